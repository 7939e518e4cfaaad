package io.ptorrent.plugin;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.credit.ratio.RatioConfiguration;
import io.ptorrent.credit.ratio.RatioEngine;
import io.ptorrent.plugin.admission.AdmissionCollisionSpi;
import io.ptorrent.plugin.admission.OwnerActivityMonitor;
import io.ptorrent.plugin.admission.ShareRulesRemote;
import io.ptorrent.plugin.admission.ShareControl;
import io.ptorrent.plugin.bench.PuBenchmark;
import io.ptorrent.plugin.bench.PuBenchmarkProcess;
import io.ptorrent.plugin.credit.HarborCredit;
import io.ptorrent.plugin.firewall.Firewall;
import io.ptorrent.plugin.journal.Journal;
import io.ptorrent.plugin.gateway.Gateway;
import io.ptorrent.plugin.sandbox.BundleCache;
import io.ptorrent.plugin.sandbox.SandboxLimits;
import io.ptorrent.plugin.sandbox.SandboxOptions;
import io.ptorrent.plugin.sandbox.SandboxRunner;
import io.ptorrent.plugin.scheduler.FragmentScheduler;
import io.ptorrent.plugin.scheduler.NodeSpeeds;
import io.ptorrent.plugin.scheduler.TaskAccounting;
import io.ptorrent.plugin.security.AccountRole;
import io.ptorrent.plugin.security.CredentialKind;
import io.ptorrent.plugin.security.Identities;
import io.ptorrent.plugin.security.IssuedCredential;
import io.ptorrent.plugin.security.internal.IdentityStore;
import io.ptorrent.plugin.security.internal.PtorrentSecurityProcessor;
import io.ptorrent.plugin.security.internal.SecretFiles;
import io.ptorrent.plugin.share.ShareRules;
import io.ptorrent.plugin.transport.LinkDelay;
import io.ptorrent.plugin.transport.MarshallerAllowList;
import io.ptorrent.plugin.transport.NodeTls;
import org.apache.ignite.internal.IgniteEx;
import org.apache.ignite.internal.processors.security.GridSecurityProcessor;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCheckedException;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.internal.IgniteEx;
import org.apache.ignite.calcite.CalciteQueryEngineConfiguration;
import org.apache.ignite.IgniteCluster;
import org.apache.ignite.cluster.BaselineNode;
import org.apache.ignite.cluster.ClusterState;
import org.apache.ignite.configuration.ClientConnectorConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.configuration.SqlConfiguration;
import org.apache.ignite.configuration.ThinClientConfiguration;
import org.apache.ignite.plugin.ExtensionRegistry;
import org.apache.ignite.plugin.PluginContext;
import org.apache.ignite.spi.communication.CommunicationSpi;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Turns an Ignite node into a ptorrent node. Found through {@code META-INF/services}; configured by a
 * {@link PtorrentPluginConfiguration} in the node's {@code pluginConfigurations} (defaults without one).
 *
 * <p>At {@link #start} (before the node joins) it checks the configuration, shapes the node for its
 * role, measures the PU score and publishes the node attributes of {@link NodeAttributes}. At
 * {@link #onIgniteStart} (node up) it starts the harbor's scheduler and gateway, or the contributor's
 * sandbox.
 */
public final class PtorrentPluginProvider extends PluginProviderAdapter {
    public static final String NAME = "ptorrent";
    /** Thin-client tasks a harbor runs at once per connection: the gateway is the only way in. */
    static final int MAX_GATEWAY_TASKS_PER_CONNECTION = 64;

    static {
        // Before Ignite builds the node's class filter, which it does right after instantiating the providers.
        MarshallerAllowList.installDefault();
    }

    private PtorrentPlugin plugin;
    private AdmissionCollisionSpi admission;
    private ScheduledExecutorService ratioTimer;
    private OwnerActivityMonitor ownerMonitor;
    /** The benchmark-only link delay ({@link LinkDelay}), or {@code null}: off, as for every real grid. */
    private LinkDelay linkDelay;
    private ShareRules configRules;
    private Ignite ignite;
    private IgniteLogger log;
    private PtorrentSecurityProcessor security;

    @Override
    public String name() {
        return NAME;
    }

    @SuppressWarnings("unchecked")
    @Override
    public <T extends org.apache.ignite.plugin.IgnitePlugin> T plugin() {
        return (T) plugin;
    }

    /**
     * Ignite asks a plugin for its security processor while the node starts (before {@link #initExtensions}); every
     * ptorrent node supplies ptorrent's, so that harbors and contributors run one class (Ignite requires it).
     */
    @SuppressWarnings("unchecked")
    @Override
    public <T> T createComponent(PluginContext ctx, Class<T> cls) {
        if (cls != GridSecurityProcessor.class) {
            return null;
        }
        PtorrentPluginConfiguration pcfg = PtorrentPluginConfiguration.from(ctx.igniteConfiguration());
        NodeRole role;
        try {
            role = pcfg.nodeRole();
        } catch (PtorrentException e) {
            throw new IllegalArgumentException(e.describe(), e);
        }
        security = new PtorrentSecurityProcessor(((IgniteEx) ctx.grid()).context(), pcfg, role, Gateway.taskNames());
        return (T) security;
    }

    @Override
    public void initExtensions(PluginContext ctx, ExtensionRegistry registry) {
        // The plugin object must exist before start(): Ignite asks plugin() early.
        IgniteConfiguration cfg = ctx.igniteConfiguration();
        PtorrentPluginConfiguration pcfg = PtorrentPluginConfiguration.from(cfg);
        int cores = Runtime.getRuntime().availableProcessors();
        try {
            pcfg.validate(cores);
            // Rules are checked here, before the node joins: a bad rule in the config stops the start with its field named.
            configRules = pcfg.getShareRules() == null ? null : ShareRules.from(pcfg.getShareRules(), cores, machineMemoryMb());
        } catch (PtorrentException e) {
            throw new IllegalArgumentException(e.describe(), e);
        }
        NodeRole role = pcfg.nodeRole();
        shapeForRole(cfg, role);
        try {
            if (role == NodeRole.HARBOR) {
                MarshallerAllowList.enforce(cfg, ((IgniteEx) ctx.grid()).context().marshallerContext().classNameFilter());
            }
            NodeTls.apply(cfg, pcfg.getTls(), role == NodeRole.HARBOR);
        } catch (PtorrentException e) {
            throw new IllegalArgumentException(e.describe(), e);
        }
        if (role == NodeRole.HARBOR && pcfg.getCredit() != null) {
            requireSql(cfg);
        }
        PuBenchmarkProcess.Measured measured = PuBenchmarkProcess.measure();
        if (measured.inProcess()) {
            ctx.log(PtorrentPluginProvider.class).warning("the PU benchmark ran in the node's JVM, which keeps its memory; the benchmark process failed: " + measured.why());
        }
        PuBenchmark.Result pu = measured.result();
        int shared = pcfg.effectiveSharedCores(cores);
        plugin = new PtorrentPlugin(pcfg, role, pu, shared);
        if (role == NodeRole.CONTRIBUTOR) {
            // Admission is ours on a contributor: the owner's share decides what runs, not Ignite's defaults.
            admission = new AdmissionCollisionSpi(shared);
            cfg.setCollisionSpi(admission);
        }
    }

    @Override
    public void start(PluginContext ctx) {
        ignite = ctx.grid();
        log = ctx.log(PtorrentPluginProvider.class);
        IgniteConfiguration cfg = ctx.igniteConfiguration();
        // The default user-attribute map is immutable: replace it with a copy plus ours (FACTS.md).
        Map<String, Object> attrs = new HashMap<>();
        if (cfg.getUserAttributes() != null) {
            attrs.putAll(cfg.getUserAttributes());
        }
        attrs.put(NodeAttributes.ROLE, plugin.role().id());
        attrs.put(NodeAttributes.HARBOR, plugin.harborName());
        attrs.put(NodeAttributes.CORES, plugin.pu().cores());
        attrs.put(NodeAttributes.SHARED_CORES, plugin.sharedCores());
        attrs.put(NodeAttributes.PU_PER_CORE, plugin.pu().puPerCore());
        attrs.put(NodeAttributes.PU_SCORE, plugin.pu().puScore());
        if (plugin.configuration().getAccount() != null) {
            attrs.put(NodeAttributes.ACCOUNT, plugin.configuration().getAccount());
        }
        if (plugin.configuration().getOwnerToken() != null) {
            attrs.put(NodeAttributes.OWNER_TOKEN_SHA256, ShareRulesRemote.sha256(plugin.configuration().getOwnerToken()));
        }
        cfg.setUserAttributes(attrs);
        Firewall firewall = Firewall.create(ignite, log, plugin.role() == NodeRole.HARBOR);
        if (plugin.role() == NodeRole.HARBOR) {
            // Now: Ignite's communication manager has set its listener and the node has not joined yet.
            firewall.installCommunication();
        }
        plugin.firewall(firewall);
        try {
            org.apache.ignite.internal.managers.discovery.GridDiscoveryManager disco = ((IgniteEx) ignite).context().discovery();
            linkDelay = LinkDelay.install(cfg.getCommunicationSpi(), id -> disco.node(id) != null ? disco.node(id) : disco.getAlive(id),
                    plugin.role() == NodeRole.HARBOR, LinkDelay.configured());
        } catch (PtorrentException e) {
            throw new IllegalArgumentException(e.describe(), e);
        }
        if (linkDelay != null) {
            // Printed in Ignite's quiet mode too (bin/ptorrent's default): a benchmark checks the node's output for it.
            org.apache.ignite.internal.util.typedef.internal.U.quietAndWarn(log, LinkDelay.LOGGED + " (-D" + LinkDelay.PROPERTY + "): messages from the other side of the harbor-contributor link arrive "
                    + linkDelay.delayMs() + " ms late");
        }
        log.info("ptorrent " + plugin.role().id() + " of harbor '" + plugin.harborName() + "': " + plugin.pu().puPerCore()
                + " PU per core, " + plugin.pu().cores() + " cores, sharing " + plugin.sharedCores());
    }

    /**
     * Ignite collects join data after it has set its discovery listener and before the node's first discovery
     * event: the firewall wraps that listener here (then again at every collection, which does nothing).
     */
    @Override
    public java.io.Serializable provideDiscoveryData(java.util.UUID nodeId) {
        Firewall firewall = plugin == null ? null : plugin.firewallOrNull();
        if (firewall != null) {
            firewall.installDiscovery();
        }
        return null;
    }

    @Override
    public void onIgniteStart() throws IgniteCheckedException {
        plugin.firewall().requireInstalled();
        if (plugin.role() == NodeRole.HARBOR) {
            if (ignite.cluster().state() != ClusterState.ACTIVE) {
                // A harbor with native persistence starts inactive; the operator's grid is meant to serve.
                ignite.cluster().state(ClusterState.ACTIVE);
            }
            joinBaseline();
            openIdentities();
            RatioConfiguration ratioCfg = plugin.configuration().getRatio();
            RatioEngine ratio = new RatioEngine(ratioCfg, Clock.systemUTC());
            TaskAccounting accounting = TaskAccounting.FREE;
            PtorrentPluginConfiguration c = plugin.configuration();
            NodeSpeeds speeds = new NodeSpeeds(); // measured by the scheduler's speed probes, paid by the credit
            if (c.getCredit() != null) {
                // Before the scheduler and the gateway: holds of tasks that died with a harbor are refunded before new ones arrive.
                Identities ids = plugin.identities();
                long grant = c.getCredit().starterGrant();
                // The starter grant is policy: accounts an operator created get it, a self-registered one none.
                HarborCredit credit = HarborCredit.start(ignite, c.getCredit(), plugin.harborName(), c.getOpenAccounts(), ratio, Clock.systemUTC(),
                        account -> ids.createdBy(account).filter(Identities::operatorApproved).isPresent() ? grant : 0, speeds);
                plugin.credit(credit);
                accounting = credit;
            }
            FragmentScheduler scheduler = new FragmentScheduler(ignite, plugin.harborName(), c.getFragmentTimeoutMs(), accounting, ratio,
                    speeds, c.getSpeedProbe());
            plugin.scheduler(scheduler);
            plugin.ratio(ratio);
            ratioTimer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ptorrent-ratio-interval");
                t.setDaemon(true);
                return t;
            });
            long every = ratioCfg.interval().toMillis();
            ratioTimer.scheduleAtFixedRate(() -> {
                try {
                    scheduler.tick();
                } catch (RuntimeException e) {
                    // One bad interval must not stop the next ones: the shares stay as they were.
                    log.warning("ratio interval failed: " + e.getMessage(), e);
                }
            }, every, every, TimeUnit.MILLISECONDS);
            Gateway.deploy(ignite);
        } else {
            PtorrentPluginConfiguration c = plugin.configuration();
            int cores = plugin.pu().cores();
            long memoryMb = machineMemoryMb();
            Path rulesFile = Path.of(ignite.configuration().getWorkDirectory(), ShareControl.RULES_FILE);
            plugin.journal(Journal.open(Path.of(ignite.configuration().getWorkDirectory())));
            ShareControl share = new ShareControl(ignite, admission, cores, memoryMb,
                    ShareControl.startingRules(configRules, rulesFile, cores, memoryMb, log), rulesFile, Clock.systemDefaultZone());
            plugin.share(share);
            SandboxOptions options = new SandboxOptions(c.getSandboxHeapMb(), Duration.ofMillis(c.getFragmentTimeoutMs()),
                    SandboxOptions.DEFAULT_MAX_RESULT_BYTES).withSpareWorkers(c.getSandboxSpareWorkers());
            // The share rules in force now decide each fragment's heap, memory, wall clock and CPU %.
            SandboxRunner sandbox = new SandboxRunner(options, () -> SandboxLimits.from(share.rules(), share.allowance(), options, share.sharedCores()));
            log.info(SandboxRunner.confinement());
            plugin.bundles(new BundleCache(c.getBundleCacheBundles(), (long) c.getBundleCacheMb() << 20));
            plugin.sandbox(sandbox);
            if (c.isAutomaticMode()) {
                ownerMonitor = OwnerActivityMonitor.start(share, c.getOwnerBusyPercent(), Duration.ofSeconds(c.getOwnerQuietSeconds()),
                        sandbox::workerPids, log);
            }
        }
        plugin.markStarted();
    }

    @Override
    public void onIgniteStop(boolean cancel) {
        if (linkDelay != null) {
            linkDelay.stop();
        }
        Firewall firewall = plugin == null ? null : plugin.firewallOrNull();
        if (firewall != null) {
            firewall.stop();
        }
        if (ratioTimer != null) {
            ratioTimer.shutdownNow();
        }
        FragmentScheduler s = plugin == null ? null : plugin.schedulerOrNull();
        if (s != null) {
            s.stop();
        }
        HarborCredit credit = plugin == null ? null : plugin.creditOrNull();
        if (credit != null) {
            credit.close(); // after the scheduler: its stop ends the open tasks, whose refunds must still run
        }
        if (ownerMonitor != null) {
            ownerMonitor.close();
        }
        Journal journal = plugin == null ? null : plugin.journalOrNull();
        if (journal != null) {
            journal.close();
        }
        ShareControl share = plugin == null ? null : plugin.shareOrNull();
        if (share != null) {
            share.stop();
        }
        SandboxRunner r = plugin == null ? null : plugin.sandboxOrNull();
        if (r != null) {
            r.close();
        }
    }

    /**
     * Opens the harbor's identities (before anything else: contributors and thin clients cannot authenticate until
     * then) and, at a grid's first start, creates the operator account with an API key in a mode-600 file of the
     * work directory: its path goes to the log, the key never does.
     */
    private void openIdentities() {
        PtorrentPluginConfiguration c = plugin.configuration();
        IdentityStore store = IdentityStore.start(ignite, c.getCredit() == null ? null : c.getCredit().dataRegion(), Clock.systemUTC());
        Identities identities = new Identities(store);
        if (identities.createAccount(Identities.OPERATOR_ACCOUNT, AccountRole.OPERATOR, null, "harbor")) {
            IssuedCredential key = identities.issue(Identities.OPERATOR_ACCOUNT, CredentialKind.API_KEY);
            Path file = Path.of(ignite.configuration().getWorkDirectory(), PtorrentPluginConfiguration.OPERATOR_KEY_FILE);
            SecretFiles.replace(file, key.token());
            log.info("ptorrent: created the operator account '" + Identities.OPERATOR_ACCOUNT + "'; its API key (id " + key.id()
                    + ") is in " + file.toAbsolutePath() + " (mode 600)");
        }
        if (security != null) {
            security.identities(store);
        }
        plugin.identities(identities);
    }

    /**
     * Puts this harbor into the baseline topology if it is not in it. Why: with native persistence Ignite turns
     * baseline auto-adjustment off, so a harbor that joins a running grid holds no partition of the ledger — no
     * backup — and killing the first harbor would take the ledger down with it. Nodes of the baseline that are
     * offline stay in it (a killed harbor that comes back catches up from its own files). Two harbors joining at
     * once may each write a baseline without the other: each checks again until it sees itself.
     */
    private void joinBaseline() {
        IgniteCluster cluster = ignite.cluster();
        Object self = cluster.localNode().consistentId();
        for (int attempt = 0; attempt < 10; attempt++) {
            if (cluster.isBaselineAutoAdjustEnabled()) {
                return; // in-memory harbors: Ignite keeps every server in the baseline itself
            }
            Collection<BaselineNode> baseline = cluster.currentBaselineTopology();
            if (baseline == null || baseline.stream().anyMatch(n -> self.equals(n.consistentId()))) {
                return;
            }
            List<BaselineNode> next = new ArrayList<>(baseline);
            next.add(cluster.localNode());
            cluster.setBaselineTopology(next);
            log.info("ptorrent harbor " + self + " joined the baseline topology (" + next.size() + " harbor(s) hold the ledger)");
        }
        log.warning("ptorrent harbor " + self + " could not join the baseline topology; it holds no ledger data: add it with control.sh --baseline add");
    }

    /** The machine's memory in MiB (the JVM's view when the OS does not say). */
    static long machineMemoryMb() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(1, os.getTotalMemorySize() >> 20);
        }
        return Math.max(1, Runtime.getRuntime().maxMemory() >> 20);
    }

    /**
     * The ledger is read with Ignite SQL (the Calcite engine, FACTS.md): a harbor config that names no query
     * engine gets Calcite as its default, so that an operator's older config keeps working.
     */
    private static void requireSql(IgniteConfiguration cfg) {
        SqlConfiguration sql = cfg.getSqlConfiguration();
        if (sql == null) {
            sql = new SqlConfiguration();
            cfg.setSqlConfiguration(sql);
        }
        if (sql.getQueryEnginesConfiguration() == null || sql.getQueryEnginesConfiguration().length == 0) {
            sql.setQueryEnginesConfiguration(new CalciteQueryEngineConfiguration().setDefault(true));
        }
    }

    /**
     * Harbors are Ignite servers that accept thin clients; contributors are client nodes that open no
     * server socket, so that they work behind a household's NAT.
     */
    private static void shapeForRole(IgniteConfiguration cfg, NodeRole role) {
        boolean client = Boolean.TRUE.equals(cfg.isClientMode());
        // Ignite's legacy TCP REST connector (port 11211) has no place in ptorrent and no authentication.
        cfg.setConnectorConfiguration(null);
        if (cfg.isPeerClassLoadingEnabled()) {
            throw new IllegalArgumentException(new PtorrentException(ErrorCode.CONFIG_INVALID,
                    "IgniteConfiguration.peerClassLoadingEnabled must be false: ptorrent ships code as verified bundles, never through peer class loading").describe());
        }
        if (role == NodeRole.HARBOR) {
            if (client) {
                throw new IllegalArgumentException(new PtorrentException(ErrorCode.CONFIG_INVALID,
                        "IgniteConfiguration.clientMode must be false for a harbor: harbors are Ignite server nodes").describe());
            }
            ClientConnectorConfiguration cc = cfg.getClientConnectorConfiguration();
            if (cc == null) {
                throw new IllegalArgumentException(new PtorrentException(ErrorCode.CONFIG_INVALID,
                        "IgniteConfiguration.clientConnectorConfiguration must be set on a harbor: thin clients submit through it").describe());
            }
            ThinClientConfiguration tc = cc.getThinClientConfiguration();
            if (tc == null) {
                tc = new ThinClientConfiguration();
                cc.setThinClientConfiguration(tc);
            }
            if (tc.getMaxActiveComputeTasksPerConnection() == 0) {
                tc.setMaxActiveComputeTasksPerConnection(MAX_GATEWAY_TASKS_PER_CONNECTION);
            }
        } else {
            if (!client) {
                throw new IllegalArgumentException(new PtorrentException(ErrorCode.CONFIG_INVALID,
                        "IgniteConfiguration.clientMode must be true for a contributor: contributors are Ignite client nodes").describe());
            }
            // Outbound only: no thin-client listener, and servers reach us over the connection we opened.
            cfg.setClientConnectorConfiguration(null);
            CommunicationSpi<?> spi = cfg.getCommunicationSpi();
            if (spi == null) {
                spi = new TcpCommunicationSpi();
                cfg.setCommunicationSpi(spi);
            }
            if (spi instanceof TcpCommunicationSpi tcp) {
                tcp.setForceClientToServerConnections(true);
                tcp.setUsePairedConnections(false);
                // Forcing client-to-server connections alone still binds a listener (47100); port -1 binds none.
                tcp.setLocalPort(-1);
            }
        }
    }
}
