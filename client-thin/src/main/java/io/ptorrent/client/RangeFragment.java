package io.ptorrent.client;

/** One fragment of {@link PtorrentClient#mapRange}: a function applied to one sub-range. */
record RangeFragment<R>(SerializableFunction<LongRange, R> function, LongRange range) implements SerializableCallable<R> {
    private static final long serialVersionUID = 1L;

    @Override
    public R call() {
        return function.apply(range);
    }
}
