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
import io.ptorrent.plugin.sandbox.SandboxRunner;
import io.ptorrent.plugin.share.ShareRules;
import org.apache.ignite.Ignite;
import org.apache.ignite.compute.ComputeJob;
import org.apache.ignite.compute.ComputeJobAdapter;
import org.apache.ignite.resources.IgniteInstanceResource;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A batch of fragments of one task, sent by the harbor to one contributor node (docs: the batch contract of issue
 * 10). It runs the pieces' closures in the contributor's sandbox one after another, in their order, on the one
 * admission slot (one shared core) the job holds, and answers with a {@link BatchOutcome}: one
 * {@link FragmentOutcome} per piece, in order. It never runs user code in the node's JVM.
 *
 * <p>The bundle travels by name: the job always names it by SHA-256 and carries its class bytes only when the
 * harbor has no evidence that the node holds it ({@link BundleDelivery}). The contributor answers from its
 * {@link BundleCache} (verified once per hash on the node), or checks and verifies the bytes it brought, or
 * answers {@link FragmentOutcome#BUNDLE_MISSING} for every piece when it got a name only and holds nothing under
 * it; share rules that refuse the account answer REFUSED_BY_RULES for every piece. Nothing runs then.
 *
 * <p>Each piece has the limits of a lone fragment ({@code timeoutMs}, the share's maxFragmentSeconds, CPU time,
 * memory, result cap); one that breaks them, or whose closure throws, fails alone and the rest go on in a fresh
 * worker ({@link SandboxRunner#runAll}). Pieces the node never started answer {@link FragmentOutcome#NOT_RUN}:
 * after a cancel, when the node stops, when the owner's rules stop accepting the account mid-batch, or after a
 * piece found the node's sandbox broken. Pieces that ended before keep their outcome (an OK result is never
 * thrown away). The journal gets the batch's rows in one write on its own thread, out of the answer's way ({@link Journal#recordLater}).
 *
 * <p>A {@link ComputeJob} rather than a closure so that a cancel (the harbor cancelling the task, or the
 * contributor's admission handing the batch back) reaches it at once: {@link #cancel()} interrupts the thread
 * waiting on the sandbox, which kills the worker of the piece under way (it ends TASK_CANCELLED, as a lone
 * fragment did). Ignite's own interruption of a cancelled job waits for the failure-detection timeout.
 */
final class FragmentJob extends ComputeJobAdapter implements AdmissionPriority {
    private static final long serialVersionUID = 2L;

    /**
     * One fragment of the batch: its index in its task and its serialized closure. A value class, not a record:
     * Ignite 2.17's binary marshaller cannot write a record ("can't get field offset on a record class").
     */
    static final class Piece implements Serializable {
        private static final long serialVersionUID = 1L;
        private final int index;
        private final byte[] closure;

        Piece(int index, byte[] closure) {
            this.index = index;
            this.closure = Objects.requireNonNull(closure, "closure");
        }

        int index() {
            return index;
        }

        byte[] closure() {
            return closure;
        }
    }

    private final String taskId;
    private final String account;
    private final String harbor;
    private final String bundleSha256;
    /** The bundle's class files, or null when the harbor names the bundle by hash only. */
    private final Map<String, byte[]> bundleClasses;
    /** An ArrayList, not List.copyOf: it crosses the wire, and every node's marshaller knows it. */
    private final ArrayList<Piece> pieces;
    /** The wall-clock limit of each piece. */
    private final long timeoutMs;
    private final double share;
    /** The harbor's speed probe ({@link SpeedProbes}): not a submitter's work, so the owner's account rules do not apply. */
    private final boolean speedProbe;

    @IgniteInstanceResource
    private transient Ignite ignite;

    private FragmentJob(String taskId, String account, String harbor, Bundle bundle, boolean withBytes, List<Piece> pieces,
                        long timeoutMs, double share, boolean speedProbe) {
        if (pieces.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one piece");
        }
        this.speedProbe = speedProbe;
        this.taskId = taskId;
        this.account = account;
        this.harbor = harbor;
        this.bundleSha256 = bundle.sha256();
        this.bundleClasses = withBytes ? bundle.classes() : null;
        this.pieces = new ArrayList<>(pieces);
        this.timeoutMs = timeoutMs;
        this.share = share;
    }

    /**
     * Many fragments of ONE task, for one node, run one after another on one shared core, in this order.
     *
     * @param withBytes whether the job carries the bundle's classes, or names it by hash only
     * @param pieces    at least one
     * @param timeoutMs the wall-clock limit of each fragment
     * @param share     the account's entitlement as the harbor saw it when it sent the batch: the contributor's admission order
     */
    static FragmentJob batch(String taskId, String account, String harbor, Bundle bundle, boolean withBytes, List<Piece> pieces,
                             long timeoutMs, double share) {
        return new FragmentJob(taskId, account, harbor, bundle, withBytes, pieces, timeoutMs, share, false);
    }

    /**
     * The harbor's speed probe: one piece, no account, first in the node's admission order. It always carries the
     * bundle's bytes: probes are rare (at join, then every 20 minutes), their bundle is small, and the node then
     * verifies it from its cache, so they need no delivery bookkeeping of their own.
     */
    static FragmentJob speedProbe(String taskId, String harbor, Bundle bundle, byte[] closure, long timeoutMs) {
        return new FragmentJob(taskId, null, harbor, bundle, true, List.of(new Piece(0, closure)), timeoutMs, 1.0, true);
    }

    @Override
    public double priority() {
        return share;
    }

    /** A node joins the topology a moment before its plugin has started: a batch arriving then waits. */
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(30);

    private transient volatile Thread runner;

    @Override
    public BatchOutcome execute() {
        runner = Thread.currentThread();
        List<FragmentOutcome> outcomes = new ArrayList<>(pieces.size());
        boolean held = false;
        try {
            PtorrentPlugin plugin = PtorrentPlugin.of(ignite);
            if (!plugin.awaitStarted(STARTUP_WAIT)) {
                return all(FragmentOutcome.failed(ErrorCode.INTERNAL.name(), "the contributor did not finish starting within "
                        + STARTUP_WAIT.toSeconds() + " s"), false);
            }
            if (plugin.role() != NodeRole.CONTRIBUTOR) {
                // Defence in depth: the scheduler targets contributors only, but never run strangers' code here.
                return all(FragmentOutcome.failed(ErrorCode.INTERNAL.name(), "a batch of task " + taskId + " reached a "
                        + plugin.role().id() + "; refused"), false);
            }
            if (!accepted(plugin)) {
                return all(FragmentOutcome.failed(ErrorCode.REFUSED_BY_RULES.name(), refusal()), false);
            }
            BundleCache cache = plugin.bundles();
            Bundle bundle;
            try {
                // Verified here too, once per hash on this node: the contributor trusts the harbor's transport, not the
                // bundle's author. A name alone is looked up, never trusted: only bytes that hash to it enter the cache.
                bundle = bundleClasses != null ? cache.admit(new WireBundle(bundleSha256, bundleClasses)) : cache.get(bundleSha256);
            } catch (PtorrentException e) {
                boolean h = cache.holds(bundleSha256);
                return all(FragmentOutcome.failed(e.code().name(), e.getMessage()).withBundleHeld(h), h);
            }
            if (bundle == null) {
                // Nothing ran: the harbor sends the batch again with the bytes; no journal row.
                return all(FragmentOutcome.bundleMissing(bundleSha256), false);
            }
            List<Journal.Entry> journal = runPieces(plugin, bundle, outcomes);
            held = cache.holds(bundleSha256);
            record(plugin, journal);
        } catch (RuntimeException e) {
            // Pieces that ended keep their outcome; the rest fail as a lone fragment did.
            FragmentOutcome failed = FragmentOutcome.failed(ErrorCode.INTERNAL.name(), "batch of task " + taskId + ": " + e);
            while (outcomes.size() < pieces.size()) {
                outcomes.add(failed);
            }
        } finally {
            runner = null;
        }
        List<FragmentOutcome> out = new ArrayList<>(outcomes.size());
        for (FragmentOutcome o : outcomes) {
            out.add(o.withBundleHeld(held));
        }
        return new BatchOutcome(out, held);
    }

    /** Runs the pieces in the sandbox and fills {@code outcomes}, one per piece; returns their journal rows. */
    private List<Journal.Entry> runPieces(PtorrentPlugin plugin, Bundle bundle, List<FragmentOutcome> outcomes) {
        List<byte[]> closures = new ArrayList<>(pieces.size());
        for (Piece p : pieces) {
            closures.add(p.closure());
        }
        List<Journal.Entry> journal = new ArrayList<>(pieces.size());
        double puPerCore = plugin.pu().puPerCore();
        boolean[] refused = {false};
        if (!isCancelled()) {
            plugin.sandbox().runAll(bundle, closures, Duration.ofMillis(timeoutMs), account, (i, r) -> {
                long millis = r.nanos() / 1_000_000;
                FragmentOutcome o = r.ok() ? FragmentOutcome.ok(r.result()) : FragmentOutcome.failed(r.failure().code().name(), r.failure().getMessage());
                outcomes.add(o.withNodeMillis(millis));
                journal.add(new Journal.Entry(taskId, pieces.get(i).index(), account, harbor, Instant.now().minusMillis(millis), millis,
                        r.ok() ? "OK" : r.failure().code().name(), millis / 1000.0 * puPerCore));
                if (isCancelled()) {
                    return false;
                }
                // The owner may change the rules while a long batch runs: the next piece follows them.
                if (i + 1 < pieces.size() && !accepted(plugin)) {
                    refused[0] = true;
                    return false;
                }
                return true;
            });
        }
        if (outcomes.size() < pieces.size()) {
            FragmentOutcome notRun = FragmentOutcome.notRun(notRunReason(plugin, outcomes, refused[0]));
            while (outcomes.size() < pieces.size()) {
                outcomes.add(notRun);
            }
        }
        return journal;
    }

    private String notRunReason(PtorrentPlugin plugin, List<FragmentOutcome> outcomes, boolean refused) {
        if (isCancelled()) {
            return "the batch was cancelled or handed back before this fragment started";
        }
        if (refused) {
            return refusal() + " (the rules changed while the batch ran)";
        }
        FragmentOutcome last = outcomes.isEmpty() ? null : outcomes.get(outcomes.size() - 1);
        if (last != null && ErrorCode.INTERNAL.name().equals(last.errorCode())) {
            return "an earlier fragment of the batch found this node's sandbox broken (" + last.errorMessage() + ")";
        }
        return "the node is stopping";
    }

    private boolean accepted(PtorrentPlugin plugin) {
        ShareRules rules = plugin.share().rules();
        return speedProbe || rules == null || rules.accepts(account, Set.of(), harbor);
    }

    private String refusal() {
        return "the share rules of this node do not accept work of account " + (account == null ? "(none)" : "'" + account + "'")
                + " through harbor '" + harbor + "'";
    }

    /**
     * The journal rows of the batch, written on the journal's own thread (not an interrupted one: H2 closes its whole
     * database when an interrupted thread writes its file), so that the answer does not wait for the file.
     */
    private void record(PtorrentPlugin plugin, List<Journal.Entry> rows) {
        try {
            plugin.journal().recordLater(rows);
        } catch (RuntimeException e) {
            // The owner's journal is a record, not part of the work: it must not fail the batch.
            ignite.log().warning("could not journal " + rows.size() + " fragment(s) of task " + taskId + ": " + e.getMessage());
        }
    }

    /** The same outcome for every piece: nothing ran. */
    private BatchOutcome all(FragmentOutcome o, boolean held) {
        return new BatchOutcome(Collections.nCopies(pieces.size(), o), held);
    }

    /** How many pieces the batch has. */
    int size() {
        return pieces.size();
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
