package io.ptorrent.client;

/** How {@link PtorrentClient#map} and {@link PtorrentClient#mapRange} cut their input into fragments. */
final class Split {
    private Split() {
    }

    /** How many parts {@code size} items make with at most {@code maxParts} parts: one per item up to the cap. */
    static int parts(long size, int maxParts) {
        return (int) Math.min(size, maxParts);
    }

    /**
     * Where part {@code i} of {@code parts} starts in {@code size} items ({@code i == parts} gives {@code size}):
     * the first {@code size % parts} parts get one item more, so sizes differ by at most one and cover all.
     */
    static long start(long size, long i, long parts) {
        return size / parts * i + Math.min(i, size % parts);
    }
}
