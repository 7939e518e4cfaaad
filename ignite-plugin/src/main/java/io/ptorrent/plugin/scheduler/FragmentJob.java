package io.ptorrent.plugin.scheduler;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.bundle.Bundle;
import io.ptorrent.client.wire.WireBundle;
import io.ptorrent.plugin.NodeRole;
import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.admission.AdmissionPriority;
import io.ptorrent.plugin.journal.Journal;
import io.ptorrent.plugin.sandbox.BundleCache;
import io.ptorrent.plugin.share.ShareRules;
import org.apache.ignite.Ignite;
import org.apache.ignite.compute.ComputeJob;
import org.apache.ignite.compute.ComputeJobAdapter;
import org.apache.ignite.resources.IgniteInstanceResource;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.Map;

/**
 * One fragment, sent by the harbor to one contributor node. It runs the closure in the contributor's
 * sandbox and answers with a {@link FragmentOutcome}; it never runs user code in the node's JVM.
 *
 * <p>The bundle travels by name: the job always names it by SHA-256 and carries its class bytes only when the
 * harbor has no evidence that the node holds it ({@link BundleDelivery}). The contributor answers from its
 * {@link BundleCache} (verified once per hash on the node), or checks and verifies the bytes it brought, or
 * answers {@link FragmentOutcome#BUNDLE_MISSING} when it got a name only and holds nothing under it.
 *
 * <p>A {@link ComputeJob} rather than a closure so that a cancel (the contributor's admission handing the
 * fragment back) reaches it at once: {@link #cancel()} interrupts the thread waiting on the sandbox, which
 * kills the worker. Ignite's own interruption of a cancelled job waits for the failure-detection timeout.
 */
final class FragmentJob extends ComputeJobAdapter implements AdmissionPriority {
    private static final long serialVersionUID = 1L;

    private final String taskId;
    private final String account;
    private final String harbor;
    private final int index;
    private final String bundleSha256;
    /** The bundle's class files, or null when the harbor names the bundle by hash only. */
    private final Map<String, byte[]> bundleClasses;
    private final byte[] closure;
    private final long timeoutMs;
    private final double share;
    /** The harbor's speed probe ({@link SpeedProbes}): not a submitter's work, so the owner's account rules do not apply. */
    private final boolean speedProbe;

    @IgniteInstanceResource
    private transient Ignite ignite;

    /**
     * @param withBytes whether the job carries the bundle's classes, or names it by hash only
     * @param share     the account's entitlement as the harbor saw it when it sent the fragment: the contributor's admission order
     */
    FragmentJob(String taskId, String account, String harbor, int index, Bundle bundle, boolean withBytes, byte[] closure, long timeoutMs,
                double share) {
        this(taskId, account, harbor, index, bundle, withBytes, closure, timeoutMs, share, false);
    }

    private FragmentJob(String taskId, String account, String harbor, int index, Bundle bundle, boolean withBytes, byte[] closure,
                        long timeoutMs, double share, boolean speedProbe) {
        this.speedProbe = speedProbe;
        this.taskId = taskId;
        this.account = account;
        this.harbor = harbor;
        this.index = index;
        this.bundleSha256 = bundle.sha256();
        this.bundleClasses = withBytes ? bundle.classes() : null;
        this.closure = closure;
        this.timeoutMs = timeoutMs;
        this.share = share;
    }

    /**
     * The harbor's speed probe: no account, first in the node's admission order. It always carries the bundle's
     * bytes: probes are rare (at join, then every 20 minutes), their bundle is small, and the node then verifies
     * it from its cache, so they need no delivery bookkeeping of their own.
     */
    static FragmentJob speedProbe(String taskId, String harbor, Bundle bundle, byte[] closure, long timeoutMs) {
        return new FragmentJob(taskId, null, harbor, 0, bundle, true, closure, timeoutMs, 1.0, true);
    }

    @Override
    public double priority() {
        return share;
    }

    /** A node joins the topology a moment before its plugin has started: a fragment arriving then waits. */
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(30);

    private transient volatile Thread runner;

    @Override
    public FragmentOutcome execute() {
        runner = Thread.currentThread();
        try {
            PtorrentPlugin plugin = PtorrentPlugin.of(ignite);
            if (!plugin.awaitStarted(STARTUP_WAIT)) {
                return FragmentOutcome.failed(ErrorCode.INTERNAL.name(), "the contributor did not finish starting within " + STARTUP_WAIT.toSeconds() + " s");
            }
            if (plugin.role() != NodeRole.CONTRIBUTOR) {
                // Defence in depth: the scheduler targets contributors only, but never run strangers' code here.
                return FragmentOutcome.failed(ErrorCode.INTERNAL.name(), "fragment " + taskId + "/" + index + " reached a " + plugin.role().id() + "; refused");
            }
            Instant started = Instant.now();
            long t0 = System.nanoTime();
            FragmentOutcome outcome = run(plugin);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            if (outcome.isBundleMissing()) {
                return outcome; // nothing ran: the harbor sends it again with the bytes; no journal row
            }
            // A cancel interrupts this thread; H2 closes its whole database when an interrupted thread writes its
            // file, so the journal is written with the flag cleared and the flag is restored after.
            boolean interrupted = Thread.interrupted();
            try {
                plugin.journal().record(new Journal.Entry(taskId, index, account, harbor, started, millis,
                        outcome.isOk() ? "OK" : outcome.errorCode(), millis / 1000.0 * plugin.pu().puPerCore()));
            } catch (RuntimeException e) {
                // The owner's journal is a record, not part of the work: a full disk must not fail the fragment.
                ignite.log().warning("could not write the journal for fragment " + taskId + "/" + index + ": " + e.getMessage());
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            return outcome;
        } catch (RuntimeException e) {
            return FragmentOutcome.failed(ErrorCode.INTERNAL.name(), "fragment " + taskId + "/" + index + ": " + e);
        } finally {
            runner = null;
        }
    }

    private FragmentOutcome run(PtorrentPlugin plugin) {
        ShareRules rules = plugin.share().rules();
        if (!speedProbe && rules != null && !rules.accepts(account, Set.of(), harbor)) {
            return FragmentOutcome.failed(ErrorCode.REFUSED_BY_RULES.name(), "the share rules of this node do not accept work of account "
                    + (account == null ? "(none)" : "'" + account + "'") + " through harbor '" + harbor + "'");
        }
        BundleCache cache = plugin.bundles();
        Bundle bundle;
        try {
            // Verified here too, once per hash on this node: the contributor trusts the harbor's transport, not the
            // bundle's author. A name alone is looked up, never trusted: only bytes that hash to it enter the cache.
            bundle = bundleClasses != null ? cache.admit(new WireBundle(bundleSha256, bundleClasses)) : cache.get(bundleSha256);
        } catch (PtorrentException e) {
            return FragmentOutcome.failed(e.code().name(), e.getMessage()).withBundleHeld(cache.holds(bundleSha256));
        }
        if (bundle == null) {
            return FragmentOutcome.bundleMissing(bundleSha256);
        }
        FragmentOutcome outcome;
        try {
            outcome = FragmentOutcome.ok(plugin.sandbox().run(bundle, closure, Duration.ofMillis(timeoutMs), account));
        } catch (PtorrentException e) {
            outcome = FragmentOutcome.failed(e.code().name(), e.getMessage());
        }
        return outcome.withBundleHeld(cache.holds(bundleSha256));
    }

    @Override
    public void cancel() {
        super.cancel();
        Thread t = runner;
        if (t != null) {
            t.interrupt();
        }
    }
}
