package io.ptorrent.bench;

import io.ptorrent.client.SerializableCallable;

/** The benchmarks' closures, apart from the benchmark classes so that their bundles stay small. */
final class Closures {
    private Closures() {
    }

    static SerializableCallable<Integer> answer() {
        return () -> 42;
    }

    /**
     * A fragment that runs until it is cancelled (for hours otherwise). It computes: user code may not sleep
     * (the bundle verifier's rule 'threads').
     */
    static SerializableCallable<Integer> spin() {
        return () -> {
            long x = 1;
            for (long i = 0; i < Long.MAX_VALUE; i++) {
                x = x * 6364136223846793005L + i;
            }
            return (int) x;
        };
    }
}
