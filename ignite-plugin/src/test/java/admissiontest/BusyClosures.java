package admissiontest;

import io.ptorrent.client.SerializableCallable;

/** Closures for the admission tests, outside ptorrent's packages so that they travel as bundles. */
public final class BusyClosures {
    private BusyClosures() {
    }

    /** Keeps a core busy for about {@code millis}, then returns {@code value}. */
    public static SerializableCallable<Integer> busy(long millis, int value) {
        return () -> {
            long end = System.nanoTime() + millis * 1_000_000;
            long x = 1;
            while (System.nanoTime() < end) {
                x = x * 31 + 7;
            }
            return x == 0 ? -1 : value;
        };
    }
}
