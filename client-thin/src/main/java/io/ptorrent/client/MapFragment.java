package io.ptorrent.client;

/**
 * One fragment of {@link PtorrentClient#map}: a function applied to one input. It runs in the
 * contributor's sandbox worker, which has the client API on its class path.
 */
record MapFragment<T, R>(SerializableFunction<T, R> function, T input) implements SerializableCallable<R> {
    private static final long serialVersionUID = 1L;

    @Override
    public R call() {
        return function.apply(input);
    }
}
