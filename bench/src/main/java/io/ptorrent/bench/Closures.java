package io.ptorrent.bench;

import io.ptorrent.client.SerializableCallable;

/** The benchmarks' closures, apart from the benchmark classes so that their bundles stay small. */
final class Closures {
    private Closures() {
    }

    static SerializableCallable<Integer> answer() {
        return () -> 42;
    }
}
