package io.ptorrent.plugin.scheduler;

import io.ptorrent.client.bundle.Bundle;
import io.ptorrent.client.bundle.ClosureCodec;
import io.ptorrent.plugin.NodeAttributes;
import io.ptorrent.plugin.OneNodeTask;
import io.ptorrent.plugin.bench.SpeedProbe;
import io.ptorrent.plugin.security.Caller;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.lang.IgniteFuture;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The harbor measures its contributors' speed itself: it sends each a {@link SpeedProbe} as a fragment (the
 * same {@link FragmentJob}, admission and sandbox worker as a submitter's fragment), when the node joins and
 * again at random times, and times it with its own clock from dispatch to result. The measured PU per core,
 * {@code probe work in reference-core seconds ÷ harbor seconds}, goes to {@link NodeSpeeds}.
 *
 * <h2>Design note</h2>
 * <b>A core of its own.</b> The scheduler sends a probe only onto a free shared core of the node and counts
 * it as running there ({@link #due} is asked under the scheduler's lock, before the queue), so the probe
 * neither waits in the node's admission queue behind submitters' work nor runs beside more work than the
 * node shares. A probe takes precedence over queued work: a node without a figure gets no paid work, so
 * measuring it first is what lets it work.
 *
 * <p><b>What a node can do.</b> It can make the probe slow (then it is paid less), refuse it or fail it
 * (then it stays unmeasured, or keeps its old figure until it ages out of the history), or answer wrong
 * (then the measurement is 0 and the harbor logs it). It cannot make the probe faster than its core: the
 * answer is a chain from a random seed, checked on the harbor ({@link SpeedProbe#verify}). It can tell a
 * probe from a submitter's fragment, and so run real work slower than the probe; harbor-time pricing pays
 * that stretch within {@code WorkValue}'s caps (docs/SECURITY.md).
 *
 * <p><b>Threads.</b> {@link #due} and {@link #forget} run under the scheduler's lock; {@link #send} outside
 * it. The probe's result is checked and recorded on this class's own thread (a check is tens of
 * milliseconds of CPU, too long for Ignite's threads), which then gives the core back ({@code release}) and
 * wakes the scheduler; the same thread wakes the scheduler when a node's next measurement is due.
 */
final class SpeedProbes {
    /** The probe's bundle: one empty class. Every fragment brings a bundle, and a worker serves one. */
    static final String MARKER_CLASS = "ptorrentprobe.Probe";
    /** After a failed probe (the node left, timed out, refused, failed), the next try comes this much later. */
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Ignite ignite;
    private final IgniteLogger log;
    private final String harborName;
    private final long maxTimeoutMs;
    private final SpeedProbeOptions options;
    private final NodeSpeeds speeds;
    private final LongSupplier nanoTime;
    private final Runnable wake;
    private final Bundle bundle = markerBundle();
    private final SecureRandom random = new SecureRandom();
    private final ScheduledExecutorService thread;

    /** Guarded by the scheduler's lock (every method but {@link #send} and what runs on {@link #thread}). */
    private final Map<UUID, Long> nextDueNanos = new HashMap<>();
    private final Set<UUID> inFlight = new HashSet<>();

    SpeedProbes(Ignite ignite, String harborName, long maxTimeoutMs, SpeedProbeOptions options, NodeSpeeds speeds,
                LongSupplier nanoTime, Runnable wake) {
        this.ignite = ignite;
        this.log = ignite.log().getLogger(SpeedProbes.class);
        this.harborName = harborName;
        this.maxTimeoutMs = maxTimeoutMs;
        this.options = options;
        this.speeds = speeds;
        this.nanoTime = nanoTime;
        this.wake = wake;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ptorrent-speed-probes-" + ignite.name());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The nodes among {@code withFreeCore} to probe now (never measured, or due again), marked as probed; the
     * caller counts a core of each as running and calls {@link #send} for each. Under the scheduler's lock.
     */
    List<ClusterNode> due(List<ClusterNode> withFreeCore) {
        long now = nanoTime.getAsLong();
        List<ClusterNode> out = new ArrayList<>();
        for (ClusterNode n : withFreeCore) {
            Long next = nextDueNanos.get(n.id());
            if (!inFlight.contains(n.id()) && (next == null || now - next >= 0)) {
                inFlight.add(n.id());
                out.add(n);
            }
        }
        return out;
    }

    /** The node left: its figure and schedule go (a node that comes back is measured again). Under the scheduler's lock. */
    void forget(UUID node) {
        nextDueNanos.remove(node);
        speeds.forget(node);
    }

    /**
     * Measures {@code node} once (outside the scheduler's lock): a one-round warm-up probe, whose answer is
     * checked but not timed, then the timed probe on the same core. {@code release} gives the core back and is
     * called once, whatever happens.
     *
     * <p>Why the warm-up: a fragment of a bundle that no idle worker serves starts a sandbox worker JVM
     * (about half a second here, a fifth of the probe), and a node without spare workers does so for every
     * probe; the warm-up leaves an idle worker of the probe's bundle, which the timed probe then reuses.
     */
    void send(ClusterNode node, Object schedulerLock, Runnable release) {
        send(node, SpeedProbe.sized(0, random.nextLong()), true, schedulerLock, release);
    }

    private void send(ClusterNode node, SpeedProbe probe, boolean warmUp, Object schedulerLock, Runnable release) {
        // A node at a twentieth of the reference core still finishes; a slower one stays unmeasured.
        long limitMs = Math.min(maxTimeoutMs, Math.max(60_000, (long) (probe.referenceSeconds() * 20_000)));
        FragmentJob job = FragmentJob.speedProbe("speed-probe-" + UUID.randomUUID(), harborName, bundle,
                ClosureCodec.serialize(probe), limitMs);
        long t0 = nanoTime.getAsLong();
        IgniteFuture<BatchOutcome> fut;
        try {
            // As the harbor: a probe at join is sent from a discovery thread, which runs in the joining node's
            // security context, and a contributor may execute nothing.
            fut = Caller.asHarbor(ignite, () -> ignite.compute(ignite.cluster().forNodeId(node.id())).withNoFailover()
                    .withTimeout(limitMs + 30_000).executeAsync(new OneNodeTask<BatchOutcome>(), job));
        } catch (RuntimeException e) {
            onThread(() -> finished(node, probe, warmUp, t0, t0, null, e, schedulerLock, release), release);
            return;
        }
        fut.listen(done -> {
            long t1 = nanoTime.getAsLong();
            FragmentOutcome outcome = null;
            Throwable error = null;
            try {
                outcome = single(done.get());
            } catch (RuntimeException e) {
                error = e;
            }
            FragmentOutcome o = outcome;
            Throwable err = error;
            onThread(() -> finished(node, probe, warmUp, t0, t1, o, err, schedulerLock, release), release);
        });
    }

    /** The one outcome of a probe's batch of one; an answer of another shape is a broken node's. */
    private static FragmentOutcome single(BatchOutcome batch) {
        if (batch == null || batch.outcomes().size() != 1) {
            throw new IllegalStateException("the node answered a speed probe with " + (batch == null ? "nothing" : batch.outcomes().size() + " outcomes"));
        }
        return batch.outcomes().get(0);
    }

    /** Stops the probes' thread; probes still out are dropped. */
    void stop() {
        thread.shutdownNow();
    }

    private void finished(ClusterNode node, SpeedProbe probe, boolean warmUp, long t0, long t1, FragmentOutcome outcome, Throwable error,
                          Object schedulerLock, Runnable release) {
        String name = String.valueOf(node.consistentId());
        Double measured = null;
        boolean timedNext = false;
        try {
            if (error != null || outcome == null || !outcome.isOk()) {
                String why = error != null ? error.toString() : outcome == null ? "no answer" : outcome.errorCode() + ": " + outcome.errorMessage();
                log.info("speed probe of node " + name + " failed (" + why + "); it is tried again later");
            } else {
                Object answer = ClosureCodec.decodeResult(outcome.value(), SpeedProbes.class.getClassLoader(), Set.of());
                if (warmUp && probe.verify(answer, random, 1)) {
                    timedNext = true;
                } else if (!warmUp && probe.verify(answer, random, options.checks())) {
                    measured = probe.referenceSeconds() / (Math.max(1, t1 - t0) / 1e9);
                    log.info(String.format(Locale.ROOT, "speed probe of node %s: %.3f PU per core measured (%.0f ms for %.2f reference-core s; it claims %s)",
                            name, measured, (t1 - t0) / 1e6, probe.referenceSeconds(), node.attribute(NodeAttributes.PU_PER_CORE)));
                } else {
                    measured = 0.0;
                    log.warning("speed probe of node " + name + ": its answer is wrong (not the work the probe asked for); counted as 0 PU");
                }
            }
        } catch (RuntimeException e) {
            log.warning("speed probe of node " + name + ": cannot read its answer (" + e.getMessage() + "); counted as 0 PU");
            measured = 0.0;
        }
        if (timedNext) {
            // Still on its core: the timed probe follows at once, to the worker the warm-up left.
            send(node, SpeedProbe.sized(options.referenceSeconds(), random.nextLong()), false, schedulerLock, release);
            return;
        }
        synchronized (schedulerLock) {
            inFlight.remove(node.id());
            long now = nanoTime.getAsLong();
            if (ignite.cluster().node(node.id()) == null) {
                forget(node.id());
            } else {
                if (measured != null) {
                    speeds.record(node.id(), measured);
                }
                long next = measured != null ? randomInterval() : RETRY_NANOS;
                nextDueNanos.put(node.id(), now + next);
                schedule(next);
            }
        }
        release.run();
    }

    /** Uniform in [0.5, 1.5) × the interval. */
    private long randomInterval() {
        long mean = options.interval().toNanos();
        return mean / 2 + (long) (random.nextDouble() * mean);
    }

    private void schedule(long nanos) {
        try {
            thread.schedule(wake, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopped) {
            // The harbor is stopping.
        }
    }

    private void onThread(Runnable r, Runnable release) {
        try {
            thread.execute(r);
        } catch (RejectedExecutionException stopped) {
            release.run();
        }
    }

    /** A bundle of one empty class in a package of its own (a bundle may not define ptorrent's classes). */
    static Bundle markerBundle() {
        ClassWriter w = new ClassWriter(0);
        w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, MARKER_CLASS.replace('.', '/'), null,
                "java/lang/Object", null);
        w.visitEnd();
        return Bundle.of(Map.of(MARKER_CLASS, w.toByteArray()));
    }
}
