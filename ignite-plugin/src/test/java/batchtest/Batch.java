package batchtest;

import io.ptorrent.client.SerializableCallable;

/**
 * Closures of ONE bundle (one capturing class) for batch tests: honest ones, one that throws, one that spins
 * until its time limit. Nothing here that the verifier refuses.
 */
public final class Batch {
    private Batch() {
    }

    public static SerializableCallable<Integer> multiply(int a, int b) {
        return () -> a * b;
    }

    public static SerializableCallable<Integer> throwing(String message) {
        return () -> {
            throw new IllegalStateException(message);
        };
    }

    public static SerializableCallable<Long> spin() {
        return () -> {
            long i = 0;
            while (true) {
                if (++i == Long.MIN_VALUE) {
                    return i;
                }
            }
        };
    }
}
