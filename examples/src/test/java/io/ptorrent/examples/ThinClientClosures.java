package io.ptorrent.examples;

import io.ptorrent.client.LongRange;
import io.ptorrent.client.SerializableCallable;
import io.ptorrent.client.SerializableFunction;

/**
 * Closures for {@link ThinClientIT}, apart from the test class: a lambda's bundle holds its capturing class,
 * and this one references nothing but the JDK and the client API.
 */
final class ThinClientClosures {
    private ThinClientClosures() {
    }

    /** Captures a prefix and a count. */
    static SerializableCallable<String> greeting(String prefix, int times) {
        return () -> prefix.repeat(times) + "!";
    }

    static SerializableFunction<Integer, Integer> square() {
        return x -> x * x;
    }

    /** Sums a range. */
    static SerializableFunction<LongRange, Long> sum() {
        return r -> {
            long s = 0;
            for (long i = r.from(); i < r.to(); i++) {
                s += i;
            }
            return s;
        };
    }

    /** Returns {@code bytes} bytes. */
    static SerializableCallable<byte[]> bigResult(int bytes) {
        return () -> new byte[bytes];
    }
}
