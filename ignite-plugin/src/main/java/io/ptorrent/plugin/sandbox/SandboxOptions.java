package io.ptorrent.plugin.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * The node's settings for its sandbox workers; the share rules narrow them per fragment
 * ({@link SandboxLimits}).
 *
 * @param heapMb                the worker JVM's heap cap ({@code -Xmx}), MiB, when no share rules set one
 * @param timeout               the longest wall-clock time one fragment may run; the worker is killed after it
 * @param maxResultBytes        the largest serialized result accepted from a worker
 * @param spareWorkers          fresh workers kept started and waiting for a bundle they have not seen yet, while the
 *                              node shares at least one core; 0 = none (every new bundle waits for a JVM start)
 * @param idleTimeout           how long a worker that served a bundle waits for another fragment of it before it is stopped
 * @param maxFragmentsPerWorker fragments one worker runs before it is replaced (bounds what a bundle's static state
 *                              and the JVM's own can pile up)
 * @param cpuTime               CPU time (user + system, all threads) one fragment may use; {@code null} = one core
 *                              for the whole of its wall-clock limit
 */
public record SandboxOptions(int heapMb, Duration timeout, int maxResultBytes, int spareWorkers, Duration idleTimeout,
                             int maxFragmentsPerWorker, Duration cpuTime) {
    public static final int DEFAULT_MAX_RESULT_BYTES = 8 * 1024 * 1024;
    /**
     * One spare: a new bundle starts at once, and an idle node pays one small JVM (~40 MiB resident, see
     * docs/BENCHMARKS.md) for it; more spares help only a node that gets many new bundles at once.
     */
    public static final int DEFAULT_SPARE_WORKERS = 1;
    /** Long enough to carry a task's fragments from one to the next, short enough to give the memory back soon. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * A worker's start costs ~0.3–0.5 s of CPU here: replaced every 256 fragments (as before), it cost trivial fragments
     * more than their own run. What a long-lived worker can pile up is bounded anyway: its heap and metaspace caps,
     * the watchdog's memory cap, and the CPU backstop ({@code roomForAnotherFragment}).
     */
    public static final int DEFAULT_MAX_FRAGMENTS_PER_WORKER = 65_536;

    public SandboxOptions {
        if (heapMb < 16) {
            throw new IllegalArgumentException("heapMb must be at least 16, was " + heapMb);
        }
        checkPositive("timeout", timeout);
        if (maxResultBytes <= 0) {
            throw new IllegalArgumentException("maxResultBytes must be positive, was " + maxResultBytes);
        }
        if (spareWorkers < 0) {
            throw new IllegalArgumentException("spareWorkers must not be negative, was " + spareWorkers);
        }
        checkPositive("idleTimeout", idleTimeout);
        if (maxFragmentsPerWorker < 1) {
            throw new IllegalArgumentException("maxFragmentsPerWorker must be at least 1, was " + maxFragmentsPerWorker);
        }
        if (cpuTime != null) {
            checkPositive("cpuTime", cpuTime);
        }
    }

    /** The defaults for everything but the heap, the wall-clock cap and the result cap. */
    public SandboxOptions(int heapMb, Duration timeout, int maxResultBytes) {
        this(heapMb, timeout, maxResultBytes, DEFAULT_SPARE_WORKERS, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_FRAGMENTS_PER_WORKER, null);
    }

    public SandboxOptions withSpareWorkers(int spares) {
        return new SandboxOptions(heapMb, timeout, maxResultBytes, spares, idleTimeout, maxFragmentsPerWorker, cpuTime);
    }

    public SandboxOptions withIdleTimeout(Duration idle) {
        return new SandboxOptions(heapMb, timeout, maxResultBytes, spareWorkers, idle, maxFragmentsPerWorker, cpuTime);
    }

    public SandboxOptions withMaxFragmentsPerWorker(int max) {
        return new SandboxOptions(heapMb, timeout, maxResultBytes, spareWorkers, idleTimeout, max, cpuTime);
    }

    public SandboxOptions withCpuTime(Duration cpu) {
        return new SandboxOptions(heapMb, timeout, maxResultBytes, spareWorkers, idleTimeout, maxFragmentsPerWorker, cpu);
    }

    /** The CPU-time limit of a fragment whose wall-clock limit is {@code wallClock}. */
    Duration cpuTimeFor(Duration wallClock) {
        return cpuTime == null ? wallClock : cpuTime;
    }

    private static void checkPositive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
