package io.ptorrent.plugin.admission;

import org.apache.ignite.IgniteLogger;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Automatic mode: samples the owner's load twice a second and tells the {@link ShareControl} when the owner
 * becomes active (the node hands its fragments back and shares nothing) or idle again (it resumes). With
 * samples every 500 ms and an immediate back-off, fragments are handed back within a second of the owner's
 * load crossing the threshold.
 */
public final class OwnerActivityMonitor implements AutoCloseable {
    static final Duration PERIOD = Duration.ofMillis(500);

    private final ScheduledExecutorService timer;

    private OwnerActivityMonitor(ScheduledExecutorService timer) {
        this.timer = timer;
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
        OwnerLoad load = OwnerLoad.proc(workerPids);
        OwnerLoad.Sample first = load.sample();
        if (first == null) {
            log.warning("automatic mode is off: this platform does not show the machine's load (/proc); share by rules instead");
            return null;
        }
        OwnerActivityPolicy policy = new OwnerActivityPolicy(thresholdPercent / 100.0, quiet.toNanos());
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ptorrent-owner-activity");
            t.setDaemon(true);
            return t;
        });
        OwnerLoad.Sample[] last = {first};
        timer.scheduleAtFixedRate(() -> {
            try {
                OwnerLoad.Sample now = load.sample();
                if (now == null) {
                    return;
                }
                double owner = OwnerLoad.ownerFraction(last[0], now);
                last[0] = now;
                boolean wasActive = policy.active();
                boolean active = policy.onSample(System.nanoTime(), owner);
                if (active != wasActive) {
                    log.info(active ? String.format("the owner is busy (%.0f%% of the machine): handing fragments back", owner * 100)
                            : "the owner has been quiet for " + quiet.toSeconds() + " s: sharing again");
                    share.ownerActive(active);
                }
            } catch (RuntimeException e) {
                log.warning("owner-activity sample failed: " + e);
            }
        }, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        return new OwnerActivityMonitor(timer);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
