package io.ptorrent.plugin.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of a sandbox worker process.
 *
 * @param heapMb         the worker JVM's heap cap ({@code -Xmx}), MiB
 * @param timeout        the longest wall-clock time one fragment may run; the worker is killed after it
 * @param maxResultBytes the largest serialized result accepted from a worker
 */
public record SandboxOptions(int heapMb, Duration timeout, int maxResultBytes) {
    public static final int DEFAULT_MAX_RESULT_BYTES = 8 * 1024 * 1024;

    public SandboxOptions {
        if (heapMb < 16) {
            throw new IllegalArgumentException("heapMb must be at least 16, was " + heapMb);
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        if (maxResultBytes <= 0) {
            throw new IllegalArgumentException("maxResultBytes must be positive, was " + maxResultBytes);
        }
    }
}
