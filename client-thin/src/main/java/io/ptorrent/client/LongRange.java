package io.ptorrent.client;

import java.io.Serializable;

/**
 * A half-open range of longs, {@code [from, to)}: what {@link PtorrentClient#mapRange} hands each fragment.
 *
 * @param from the first value
 * @param to   one past the last value; not below {@code from}
 */
public record LongRange(long from, long to) implements Serializable {
    private static final long serialVersionUID = 1L;

    public LongRange {
        if (to < from) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, "a range ends at or after its start: [" + from + ", " + to + ")");
        }
    }

    /** How many values the range holds. */
    public long size() {
        return to - from;
    }
}
