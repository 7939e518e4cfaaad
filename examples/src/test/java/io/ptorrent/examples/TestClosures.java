package io.ptorrent.examples;

import io.ptorrent.client.SerializableCallable;

/**
 * Closures for the grid tests, kept apart from the test classes: a lambda's bundle holds its capturing
 * class, and this one references nothing but the JDK and the client API.
 */
final class TestClosures {
    private TestClosures() {
    }

    /** A lambda that captures two values. */
    static SerializableCallable<Integer> multiply(int a, int b) {
        return () -> a * b;
    }

    /** A closure that fails with a message of its own. */
    static SerializableCallable<Integer> failing(String message) {
        return () -> {
            throw new IllegalStateException(message);
        };
    }
}
