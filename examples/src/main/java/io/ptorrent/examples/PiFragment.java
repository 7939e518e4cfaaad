package io.ptorrent.examples;

import io.ptorrent.client.SerializableCallable;

import java.util.SplittableRandom;

/**
 * One fragment of the Monte Carlo estimate of π: throws {@code samples} random points at the unit
 * square and counts those inside the quarter circle. Each fragment has its own seed, so fragments are
 * independent and the estimate is reproducible.
 */
public record PiFragment(long seed, long samples) implements SerializableCallable<Long> {
    @Override
    public Long call() {
        SplittableRandom random = new SplittableRandom(seed);
        long inside = 0;
        for (long i = 0; i < samples; i++) {
            double x = random.nextDouble();
            double y = random.nextDouble();
            if (x * x + y * y <= 1.0) {
                inside++;
            }
        }
        return inside;
    }
}
