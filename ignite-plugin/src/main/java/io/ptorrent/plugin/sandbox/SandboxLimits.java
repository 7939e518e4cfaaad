package io.ptorrent.plugin.sandbox;

import io.ptorrent.plugin.share.Allowance;
import io.ptorrent.plugin.share.ShareRules;

import java.time.Duration;
import java.util.Objects;

/**
 * What the contributor's share allows its sandbox at one moment; read by the runner at the start of every
 * fragment (heap, memory, wall clock) and by the throttle every period (CPU %), so that a rule change applies
 * to the next fragment, and to the CPU share of running ones.
 *
 * <p>How share rules become limits ({@link #from}). {@code memoryMb} is what all of the node's fragments may
 * use together; it is split evenly across the cores shared at the moment (one worker per shared core). A
 * worker's heap is half its part (the other half covers metaspace, direct memory, code and the JVM itself),
 * at least {@link #MIN_HEAP_MB}; its resident memory may reach its part or, where that is more, what a JVM
 * with that heap can use within its own caps (heap + metaspace cap + direct-memory cap + {@link #JVM_FLOOR_MB}),
 * and the worker is killed when it passes that (a backstop: the heap cap usually stops a closure first). {@code
 * maxFragmentSeconds} caps the wall-clock limit; {@code cpuPercent} (of the moment: active or idle owner)
 * throttles every worker to that share of one core.
 *
 * @param workers         cores shared now (the most fragments at once); spare workers are kept only while it is positive
 * @param heapMb          a worker's heap cap, MiB
 * @param processMemoryMb a worker's resident-memory cap, MiB
 * @param maxWallClock    the share's own cap on a fragment's wall-clock time; {@code null}: none
 * @param cpuPercent      CPU share of one core that a worker may use, 1-100
 */
public record SandboxLimits(int workers, int heapMb, long processMemoryMb, Duration maxWallClock, int cpuPercent) {
    static final int MIN_HEAP_MB = 16;
    /** Resident memory of a worker JVM beside its heap: metaspace, code, stacks, GC (measured ~35 MiB warm). */
    static final int JVM_FLOOR_MB = 64;

    public SandboxLimits {
        if (workers < 0 || heapMb < MIN_HEAP_MB || processMemoryMb < heapMb || cpuPercent < 1 || cpuPercent > 100) {
            throw new IllegalArgumentException("not sandbox limits: " + workers + " workers, " + heapMb + " MiB heap, "
                    + processMemoryMb + " MiB process, " + cpuPercent + "% CPU");
        }
        if (maxWallClock != null && (maxWallClock.isNegative() || maxWallClock.isZero())) {
            maxWallClock = null;
        }
    }

    /** A node without share rules: its configured heap, full CPU, no wall-clock cap beyond the node's. */
    public static SandboxLimits of(SandboxOptions options, int sharedCores) {
        return new SandboxLimits(Math.max(0, sharedCores), options.heapMb(), processCap(options.heapMb(), 0), null, 100);
    }

    /**
     * The limits that {@code rules} give now.
     *
     * @param rules       the rules in force; {@code null}: {@link #of}
     * @param allowance   what they allow now (its cores and CPU % when admitting; else the rules' general ones)
     * @param sharedCores cores shared now
     */
    public static SandboxLimits from(ShareRules rules, Allowance allowance, SandboxOptions options, int sharedCores) {
        Objects.requireNonNull(options, "options");
        if (rules == null) {
            return of(options, sharedCores);
        }
        boolean now = allowance != null && allowance.admitting();
        int cores = Math.max(1, now ? allowance.cores() : rules.cores());
        int cpu = Math.max(1, now ? allowance.cpuPercent() : rules.cpuPercent());
        long part = Math.max(1, rules.memoryMb() / cores);
        int heap = (int) Math.max(MIN_HEAP_MB, Math.min(Integer.MAX_VALUE / 2, part / 2));
        return new SandboxLimits(Math.max(0, sharedCores), heap, processCap(heap, part), rules.maxFragment(), cpu);
    }

    /** Whether a worker started for {@code other} may run fragments under these limits (its heap is fixed at start). */
    boolean sameJvm(SandboxLimits other) {
        return heapMb == other.heapMb;
    }

    private static long processCap(int heapMb, long part) {
        return Math.max(part, (long) heapMb + JVM_FLOOR_MB + Math.max(32, heapMb / 2) + Math.max(8, heapMb / 4));
    }
}
