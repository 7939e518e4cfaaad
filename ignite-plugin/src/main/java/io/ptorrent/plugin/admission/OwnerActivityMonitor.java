package io.ptorrent.plugin.admission;

import org.apache.ignite.IgniteLogger;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Automatic mode: samples the owner's load twice a second and tells the {@link ShareControl} when the owner
 * becomes active (the node hands its fragments back and shares nothing) or idle again (it resumes). With
 * samples every 500 ms and an immediate back-off, fragments are handed back within about a second of the owner's
 * load crossing the threshold by design (one sample period, then a cancel); bench/'s {@code HandBackBenchmark}
 * measured about half a second (docs/BENCHMARKS.md).
 *
 * <p>{@link #sampleOnce()} runs on the monitor's own timer thread only.
 */
public final class OwnerActivityMonitor implements AutoCloseable {
    static final Duration PERIOD = Duration.ofMillis(500);

    private final OwnerLoad load;
    private final OwnerActivityPolicy policy;
    private final LongSupplier nanoTime;
    private final Consumer<Boolean> onChange;
    private final IgniteLogger log;
    private final Duration quiet;
    private OwnerLoad.Sample last;
    private ScheduledExecutorService timer;

    OwnerActivityMonitor(OwnerLoad load, OwnerActivityPolicy policy, Duration quiet, LongSupplier nanoTime, Consumer<Boolean> onChange, IgniteLogger log) {
        this.load = load;
        this.policy = policy;
        this.quiet = quiet;
        this.nanoTime = nanoTime;
        this.onChange = onChange;
        this.log = log;
        this.last = load.sample();
    }

    /**
     * Starts watching this machine.
     *
     * @param thresholdPercent owner's share of the machine, in percent of all cores, above which the owner is active
     * @param quiet            how long the owner must stay below it before sharing resumes
     * @param workerPids       the node's live sandbox workers (their load is the node's, not the owner's)
     * @return the monitor, or {@code null} if this platform does not show the machine's load (no /proc)
     */
    public static OwnerActivityMonitor start(ShareControl share, int thresholdPercent, Duration quiet, Supplier<Set<Long>> workerPids, IgniteLogger log) {
        OwnerActivityMonitor m = new OwnerActivityMonitor(OwnerLoad.proc(workerPids),
                new OwnerActivityPolicy(thresholdPercent / 100.0, quiet.toNanos()), quiet, System::nanoTime, share::ownerActive, log);
        if (m.last == null) {
            log.warning("automatic mode is off: this platform does not show the machine's load (/proc); share by rules instead");
            return null;
        }
        m.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ptorrent-owner-activity");
            t.setDaemon(true);
            return t;
        });
        m.timer.scheduleAtFixedRate(m::sampleOnce, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        return m;
    }

    /** Takes one sample and reports a change of the owner's activity. */
    void sampleOnce() {
        try {
            OwnerLoad.Sample now = load.sample();
            if (now == null || last == null) {
                last = now;
                return;
            }
            double owner = OwnerLoad.ownerFraction(last, now);
            last = now;
            boolean wasActive = policy.active();
            boolean active = policy.onSample(nanoTime.getAsLong(), owner);
            if (active != wasActive) {
                log.info(active ? String.format("the owner is busy (%.0f%% of the machine): handing fragments back", owner * 100)
                        : "the owner has been quiet for " + quiet.toSeconds() + " s: sharing again");
                onChange.accept(active);
            }
        } catch (RuntimeException e) {
            log.warning("owner-activity sample failed: " + e);
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
