package io.ptorrent.plugin.testing;

import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.PtorrentPluginConfiguration;
import io.ptorrent.plugin.scheduler.SpeedProbeOptions;
import io.ptorrent.plugin.security.AccountRole;
import io.ptorrent.plugin.security.CredentialKind;
import io.ptorrent.plugin.security.Identities;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.configuration.ClientConnectorConfiguration;
import org.apache.ignite.configuration.DataRegionConfiguration;
import org.apache.ignite.configuration.DataStorageConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A ptorrent grid of real Ignite nodes in this JVM, on loopback, on ports of the test's own: the one
 * multi-node harness of the project's tests (shared as ignite-plugin's test-jar).
 *
 * <p>Ports from {@code basePort}: discovery {@code basePort..basePort+9}, communication
 * {@code basePort+100..+199}, thin clients {@code basePort+200..+209}. Give each test class its own
 * base, away from Ignite's defaults (47500, 47100, 10800). A test whose range is narrower passes a
 * smaller {@code span} ({@link #TestGrid(int, int)}). Persistence, when asked for, lives in a temp
 * directory that {@link #close()} deletes.
 *
 * <p>Trust comes without ceremony: every harbor gets the grid's one harbor secret, every contributor a join
 * credential of its account (created on the first harbor when missing; {@value #NODE_ACCOUNT} for a contributor
 * that names none, which is then paid nothing, as before), and {@link #clientOptions(String)} an API key.
 * <p>A contributor is returned once the grid's harbors have measured its speed (their speed probes are short
 * here, {@value #TEST_PROBE_SECONDS} reference-core seconds): a node not measured yet takes no paid work.
 */
public final class TestGrid implements AutoCloseable {
    /** Reference-core seconds of a test harbor's speed probe (production: 2.5). */
    public static final double TEST_PROBE_SECONDS = 0.25;
    private static final Duration MEASURE_WAIT = Duration.ofSeconds(30);
    private final int basePort;
    private final int span;
    private final Path workDir;
    private final Map<String, Ignite> nodes = new LinkedHashMap<>();
    /** Set by {@link #useExternalHarbor}: identities come through the thin client, as its operator. */
    private volatile PtorrentClientOptions externalOperator;
    /** The account whose join credential a contributor without an account of its own joins with. */
    public static final String NODE_ACCOUNT = "testgrid-node";

    public TestGrid(int basePort) {
        this(basePort, 100);
    }

    /**
     * A grid whose ports fit in {@code basePort..basePort+3*span-1}: discovery {@code basePort..+9}, communication
     * {@code basePort+span..+2*span-1}, thin clients {@code basePort+2*span..+9}.
     *
     * @param span at least 10, the distance between the three groups of ports
     */
    public TestGrid(int basePort, int span) {
        if (span < 10) {
            throw new IllegalArgumentException("span must be at least 10, was " + span);
        }
        this.basePort = basePort;
        this.span = span;
        try {
            this.workDir = Files.createTempDirectory("ptorrent-testgrid-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A harbor (server node) with in-memory storage and the console off. */
    public Ignite startHarbor(String name) {
        return startHarbor(name, false, c -> c.setConsolePort(0));
    }

    /**
     * A harbor.
     *
     * @param persistent native persistence in this grid's temp directory
     * @param tweak      changes to the plugin configuration (console port, harbor name, ...)
     */
    public Ignite startHarbor(String name, boolean persistent, Consumer<PtorrentPluginConfiguration> tweak) {
        // Short speed probes: a test needs a node measured, not measured precisely (a tweak may set its own).
        PtorrentPluginConfiguration p = new PtorrentPluginConfiguration().setRole("harbor").setHarborSecretFile(harborSecretFile().toString());
        shortSpeedProbe(p);
        tweak.accept(p);
        IgniteConfiguration cfg = base(name, p).setClientMode(false)
                .setClientConnectorConfiguration(new ClientConnectorConfiguration()
                        .setHost("127.0.0.1").setPort(thinClientPort()).setPortRange(9));
        if (persistent) {
            cfg.setDataStorageConfiguration(new DataStorageConfiguration()
                    .setDefaultDataRegionConfiguration(new DataRegionConfiguration().setPersistenceEnabled(true).setMaxSize(64L << 20)));
        }
        return start(name, cfg);
    }

    /** A test harbor's speed probe: {@value #TEST_PROBE_SECONDS} reference-core seconds (startHarbor's default). */
    public static void shortSpeedProbe(PtorrentPluginConfiguration harbor) {
        harbor.setSpeedProbe(SpeedProbeOptions.DEFAULTS.withReferenceSeconds(TEST_PROBE_SECONDS));
    }

    /** A contributor (client node) sharing {@code sharedCores} cores. */
    public Ignite startContributor(String name, int sharedCores) {
        return startContributor(name, c -> c.setSharedCores(sharedCores));
    }

    public Ignite startContributor(String name, Consumer<PtorrentPluginConfiguration> tweak) {
        return startContributor(name, tweak, cfg -> { });
    }

    /** A contributor whose Ignite configuration the test changes too (plugin providers, user attributes, ...). */
    public Ignite startContributor(String name, Consumer<PtorrentPluginConfiguration> tweak, Consumer<IgniteConfiguration> igniteTweak) {
        PtorrentPluginConfiguration p = new PtorrentPluginConfiguration().setRole("contributor");
        tweak.accept(p);
        if (p.getJoinTokenFile() == null) {
            p.setJoinTokenFile(joinTokenFile(name, p.getAccount() == null ? NODE_ACCOUNT : p.getAccount()).toString());
        }
        IgniteConfiguration cfg = base(name, p).setClientMode(true);
        igniteTweak.accept(cfg);
        Ignite node = start(name, cfg);
        awaitMeasured(node);
        return node;
    }

    /**
     * Waits (up to {@link #MEASURE_WAIT}) until this grid's harbors of the contributor's harbor have measured its
     * speed: until then a harbor sends it no paid work, and a test that counts where fragments run wants its
     * nodes ready. Returns anyway after the wait: a node that shares no core now is measured when it does.
     */
    private void awaitMeasured(Ignite contributor) {
        if (PtorrentPlugin.of(contributor).share().sharedCores() == 0) {
            return; // nothing to measure until it shares a core (a rogue, a node started idle)
        }
        UUID id = contributor.cluster().localNode().id();
        String harborName = PtorrentPlugin.of(contributor).harborName();
        List<Ignite> harbors = nodes.values().stream().filter(n -> !Boolean.TRUE.equals(n.configuration().isClientMode()))
                .filter(n -> harborName.equals(PtorrentPlugin.of(n).harborName())).toList();
        try {
            await().atMost(MEASURE_WAIT).pollInterval(Duration.ofMillis(20))
                    .until(() -> harbors.stream().allMatch(h -> PtorrentPlugin.of(h).scheduler().speeds().puPerCore(id) > 0));
        } catch (ConditionTimeoutException notMeasured) {
            // It shares no core now (rules, automatic mode, a busy owner): the harbor measures it when it does.
        }
    }

    /**
     * A contributor's configuration as {@link #startContributor} would start it, but with no join credential: for
     * tests of what a harbor refuses. Start it with {@link #start(String, IgniteConfiguration)}.
     */
    public IgniteConfiguration contributorConfig(String name, Consumer<PtorrentPluginConfiguration> tweak) {
        PtorrentPluginConfiguration p = new PtorrentPluginConfiguration().setRole("contributor");
        tweak.accept(p);
        return base(name, p).setClientMode(true);
    }

    /** A harbor's configuration as {@link #startHarbor(String)} would start it (in memory, console off). */
    public IgniteConfiguration harborConfig(String name, Consumer<PtorrentPluginConfiguration> tweak) {
        PtorrentPluginConfiguration p = new PtorrentPluginConfiguration().setRole("harbor").setHarborSecretFile(harborSecretFile().toString())
                .setConsolePort(0);
        tweak.accept(p);
        return base(name, p).setClientMode(false)
                .setClientConnectorConfiguration(new ClientConnectorConfiguration()
                        .setHost("127.0.0.1").setPort(thinClientPort()).setPortRange(9));
    }

    /** Ignite's discovery settings of this grid's nodes: for a plain Ignite node that tries to join. */
    public IgniteConfiguration plainConfig(String name) {
        IgniteConfiguration cfg = base(name, new PtorrentPluginConfiguration());
        return cfg.setPluginConfigurations();
    }

    /** The grid's harbor secret file (created by the first harbor). */
    public Path harborSecretFile() {
        return workDir.resolve("harbor-secret");
    }

    /**
     * A file holding a new join credential of {@code account} (the account is created on the first harbor when
     * missing), for a contributor named {@code node}.
     */
    public Path joinTokenFile(String node, String account) {
        String token;
        if (externalOperator != null) {
            token = externalIssue(account, "join");
        } else {
            Identities ids = identities();
            ensureAccount(ids, account);
            token = ids.issue(account, CredentialKind.JOIN).token();
        }
        Path file = workDir.resolve(node + "-" + System.nanoTime() + ".join-token");
        try {
            Files.writeString(file, token + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * Takes this grid's identities from a harbor that runs in another process (its thin-client address and the
     * operator key it wrote to its work directory), for contributors of this grid that join it.
     */
    public TestGrid useExternalHarbor(String thinAddress, Path operatorKeyFile) {
        try {
            externalOperator = new PtorrentClientOptions().addresses(thinAddress)
                    .apiKey(Identities.OPERATOR_ACCOUNT, Files.readString(operatorKeyFile).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    private String externalIssue(String account, String kind) {
        try (io.ptorrent.client.PtorrentClient op = io.ptorrent.client.PtorrentClient.connect(externalOperator)) {
            try {
                op.createAccount(account, Identities.OPERATOR_ACCOUNT.equals(account) ? "operator" : "member", null, true);
            } catch (io.ptorrent.client.PtorrentException e) {
                if (e.code() != io.ptorrent.client.ErrorCode.BAD_REQUEST) {
                    throw e;
                }
            }
            return op.issueCredential(account, kind).issued().token();
        }
    }

    /** A new API key of {@code account} (created as a member on the first harbor when missing). */
    public String apiKey(String account) {
        if (externalOperator != null) {
            return externalIssue(account, "api-key");
        }
        Identities ids = identities();
        ensureAccount(ids, account);
        return ids.issue(account, CredentialKind.API_KEY).token();
    }

    /** Thin-client options for this grid, authenticated as {@code account} with {@link #apiKey}. */
    public PtorrentClientOptions clientOptions(String account) {
        return new PtorrentClientOptions().addresses(thinClientAddress()).apiKey(account, apiKey(account));
    }

    /** The identities of the first running harbor. */
    public Identities identities() {
        for (Ignite n : nodes.values()) {
            if (!Boolean.TRUE.equals(n.configuration().isClientMode())) {
                return PtorrentPlugin.of(n).identities();
            }
        }
        throw new IllegalStateException("start a harbor first: accounts and credentials live on harbors");
    }

    private static void ensureAccount(Identities ids, String account) {
        if (!ids.exists(account)) {
            ids.createAccount(account, Identities.OPERATOR_ACCOUNT.equals(account) ? AccountRole.OPERATOR : AccountRole.MEMBER, null, "operator");
        }
    }

    /** The first thin-client port of this grid's harbors. */
    public int thinClientPort() {
        return basePort + 2 * span;
    }

    /** "127.0.0.1:port" for a thin client. */
    public String thinClientAddress() {
        return "127.0.0.1:" + thinClientPort();
    }

    public Ignite node(String name) {
        return nodes.get(name);
    }

    /** Stops a node gracefully, as when its owner shuts it down. */
    public void stop(String name) {
        Ignite n = nodes.remove(name);
        if (n != null) {
            Ignition.stop(n.name(), true);
        }
    }

    @Override
    public void close() {
        List<String> names = new ArrayList<>(nodes.keySet());
        // Contributors (clients) first, then harbors, so that no server waits on a leaving client.
        names.sort(Comparator.comparing(n -> Boolean.TRUE.equals(nodes.get(n).configuration().isClientMode()) ? 0 : 1));
        for (String n : names) {
            stop(n);
        }
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }

    private IgniteConfiguration base(String name, PtorrentPluginConfiguration plugin) {
        TcpDiscoverySpi disco = new TcpDiscoverySpi()
                .setLocalAddress("127.0.0.1")
                .setLocalPort(basePort)
                .setLocalPortRange(9)
                .setIpFinder(new TcpDiscoveryVmIpFinder().setAddresses(List.of("127.0.0.1:" + basePort + ".." + (basePort + 9))));
        TcpCommunicationSpi comm = new TcpCommunicationSpi()
                .setLocalAddress("127.0.0.1")
                .setLocalPort(basePort + span)
                .setLocalPortRange(span - 1);
        return new IgniteConfiguration()
                .setIgniteInstanceName(name)
                .setConsistentId(name)
                .setWorkDirectory(workDir.resolve(name).toString())
                .setDiscoverySpi(disco)
                .setCommunicationSpi(comm)
                .setMetricsLogFrequency(0)
                .setPluginConfigurations(plugin);
    }

    /** Starts a node of this grid from a configuration of {@link #contributorConfig}, {@link #harborConfig} or {@link #plainConfig}. */
    public Ignite start(String name, IgniteConfiguration cfg) {
        Ignite ignite = Ignition.start(cfg);
        nodes.put(name, ignite);
        return ignite;
    }
}
