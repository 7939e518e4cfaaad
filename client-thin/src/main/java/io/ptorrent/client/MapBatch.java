package io.ptorrent.client;

import java.util.ArrayList;

/**
 * One fragment of {@link PtorrentClient#map}: a function applied to a run of consecutive inputs. It runs in
 * the contributor's sandbox worker, which has the client API on its class path. An {@code ArrayList}, not any
 * list, because a sub-list view is not serializable and the worker reads only allow-listed JDK collections.
 */
record MapBatch<T, R>(SerializableFunction<T, R> function, ArrayList<T> inputs) implements SerializableCallable<ArrayList<R>> {
    private static final long serialVersionUID = 1L;

    @Override
    public ArrayList<R> call() {
        ArrayList<R> out = new ArrayList<>(inputs.size());
        for (T input : inputs) {
            out.add(function.apply(input));
        }
        return out;
    }
}
