package io.ptorrent.plugin;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.credit.CreditSpi;
import io.ptorrent.credit.ratio.RatioEngine;
import io.ptorrent.plugin.admission.ShareControl;
import io.ptorrent.plugin.credit.HarborCredit;
import io.ptorrent.plugin.firewall.Firewall;
import io.ptorrent.plugin.bench.PuBenchmark;
import io.ptorrent.plugin.journal.Journal;
import io.ptorrent.plugin.sandbox.BundleCache;
import io.ptorrent.plugin.sandbox.SandboxRunner;
import io.ptorrent.plugin.scheduler.FragmentScheduler;
import org.apache.ignite.Ignite;
import org.apache.ignite.plugin.IgnitePlugin;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The ptorrent plugin of one node, found with {@link #of(Ignite)}. On a harbor it holds the fragment
 * scheduler; on a contributor the sandbox that runs fragments.
 *
 * <p>Thread-safe. The services exist once the node has started ({@code onIgniteStart}).
 */
public final class PtorrentPlugin implements IgnitePlugin {
    private final PtorrentPluginConfiguration cfg;
    private final NodeRole role;
    private final PuBenchmark.Result pu;
    private final int sharedCores;
    private volatile FragmentScheduler scheduler;
    private volatile RatioEngine ratio;
    private volatile SandboxRunner sandbox;
    private volatile BundleCache bundles;
    private volatile ShareControl share;
    private volatile Journal journal;
    private volatile HarborCredit credit;
    private volatile io.ptorrent.plugin.security.Identities identities;
    private volatile Firewall firewall;
    private final CountDownLatch started = new CountDownLatch(1);

    PtorrentPlugin(PtorrentPluginConfiguration cfg, NodeRole role, PuBenchmark.Result pu, int sharedCores) {
        this.cfg = cfg;
        this.role = role;
        this.pu = pu;
        this.sharedCores = sharedCores;
    }

    /** The plugin of a node started with ptorrent; fails if the node has none. */
    public static PtorrentPlugin of(Ignite ignite) {
        return ignite.plugin(PtorrentPluginProvider.NAME);
    }

    public NodeRole role() {
        return role;
    }

    public String harborName() {
        return cfg.getHarborName();
    }

    public PtorrentPluginConfiguration configuration() {
        return cfg;
    }

    /** This node's benchmark result, measured when it started. */
    public PuBenchmark.Result pu() {
        return pu;
    }

    /** The machine's memory, MiB. */
    public long machineMemoryMb() {
        return PtorrentPluginProvider.machineMemoryMb();
    }

    /** Cores this node shares now (a contributor's share may change while it runs; a harbor shares none). */
    public int sharedCores() {
        ShareControl s = share;
        return s == null ? sharedCores : s.sharedCores();
    }

    /** The contributor's share, changeable at run time. Contributors only. */
    public ShareControl share() {
        ShareControl s = share;
        if (s == null) {
            throw new IllegalStateException(role == NodeRole.CONTRIBUTOR
                    ? "the contributor has not finished starting" : "only contributors share cores; this node is a " + role.id());
        }
        return s;
    }

    /** The grid as this harbor sees it. Harbors only. */
    public GridSnapshot gridSnapshot() {
        return scheduler().snapshot();
    }

    /** The harbor's fragment scheduler. Harbors only. */
    public FragmentScheduler scheduler() {
        FragmentScheduler s = scheduler;
        if (s == null) {
            throw new IllegalStateException(role == NodeRole.HARBOR
                    ? "the harbor has not finished starting" : "only a harbor schedules fragments; this node is a " + role.id());
        }
        return s;
    }

    /** The sandbox that runs fragments. Contributors only. */
    public SandboxRunner sandbox() {
        SandboxRunner s = sandbox;
        if (s == null) {
            throw new IllegalStateException(role == NodeRole.CONTRIBUTOR
                    ? "the contributor has not finished starting" : "only contributors run fragments; this node is a " + role.id());
        }
        return s;
    }

    /** The bundles this contributor has verified (and rejected), by SHA-256: each is verified once here. Contributors only. */
    public BundleCache bundles() {
        BundleCache b = bundles;
        if (b == null) {
            throw new IllegalStateException(role == NodeRole.CONTRIBUTOR
                    ? "the contributor has not finished starting" : "only contributors verify bundles for the sandbox; this node is a " + role.id());
        }
        return b;
    }

    void bundles(BundleCache bundles) {
        this.bundles = Objects.requireNonNull(bundles);
    }

    /** The harbor's ratio engine: entitlements and the price of a PU-second. Harbors only. */
    public RatioEngine ratio() {
        RatioEngine r = ratio;
        if (r == null) {
            throw new IllegalStateException("the ratio engine runs on harbor nodes only (this node is a " + role + ")");
        }
        return r;
    }

    void ratio(RatioEngine ratio) {
        this.ratio = Objects.requireNonNull(ratio);
    }

    /**
     * The harbor's credit ledger. Harbors only.
     *
     * @throws PtorrentException NOT_FOUND if this harbor keeps no ledger ({@code PtorrentPluginConfiguration.credit} unset)
     * @throws IllegalStateException before the harbor has finished starting, or on a contributor
     */
    public CreditSpi credit() {
        HarborCredit c = credit;
        if (c != null) {
            return c.ledger();
        }
        if (role == NodeRole.HARBOR && cfg.getCredit() == null) {
            throw new PtorrentException(ErrorCode.NOT_FOUND, "harbor '" + cfg.getHarborName()
                    + "' keeps no credit ledger (PtorrentPluginConfiguration.credit is unset): its tasks are free");
        }
        throw new IllegalStateException(role == NodeRole.HARBOR
                ? "the harbor has not finished starting" : "only a harbor keeps the ledger; this node is a " + role.id());
    }

    /**
     * The harbor's accounts and credentials. Harbors only.
     *
     * @throws IllegalStateException before the harbor has finished starting, or on a contributor
     */
    public io.ptorrent.plugin.security.Identities identities() {
        io.ptorrent.plugin.security.Identities i = identities;
        if (i == null) {
            throw new IllegalStateException(role == NodeRole.HARBOR
                    ? "the harbor has not finished starting" : "only a harbor keeps identities; this node is a " + role.id());
        }
        return i;
    }

    void identities(io.ptorrent.plugin.security.Identities identities) {
        this.identities = Objects.requireNonNull(identities);
    }

    void credit(HarborCredit credit) {
        this.credit = Objects.requireNonNull(credit);
    }

    HarborCredit creditOrNull() {
        return credit;
    }

    void scheduler(FragmentScheduler scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler);
    }

    void sandbox(SandboxRunner sandbox) {
        this.sandbox = Objects.requireNonNull(sandbox);
    }

    /**
     * Waits until the node's ptorrent services exist. A contributor is in the topology (and may be sent a
     * fragment) a moment before its plugin has finished starting.
     *
     * @return whether they exist now
     */
    public boolean awaitStarted(Duration limit) {
        try {
            return started.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void markStarted() {
        started.countDown();
    }

    /** The contributor's journal of what it ran. Contributors only. */
    public Journal journal() {
        Journal j = journal;
        if (j == null) {
            throw new IllegalStateException("only contributors keep a journal, once started; this node is a " + role.id());
        }
        return j;
    }

    void journal(Journal journal) {
        this.journal = Objects.requireNonNull(journal);
    }

    Journal journalOrNull() {
        return journal;
    }

    void share(ShareControl share) {
        this.share = Objects.requireNonNull(share);
    }

    ShareControl shareOrNull() {
        return share;
    }

    /** What this node refused from client nodes (docs/SECURITY.md). */
    public Firewall firewall() {
        Firewall f = firewall;
        if (f == null) {
            throw new IllegalStateException("the node has not started its plugin yet");
        }
        return f;
    }

    void firewall(Firewall firewall) {
        this.firewall = Objects.requireNonNull(firewall);
    }

    Firewall firewallOrNull() {
        return firewall;
    }

    FragmentScheduler schedulerOrNull() {
        return scheduler;
    }

    SandboxRunner sandboxOrNull() {
        return sandbox;
    }
}
