package io.ptorrent.plugin.testing;

import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.PtorrentPluginConfiguration;
import io.ptorrent.plugin.scheduler.SpeedProbeOptions;
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
        PtorrentPluginConfiguration p = new PtorrentPluginConfiguration().setRole("harbor")
                .setSpeedProbe(SpeedProbeOptions.DEFAULTS.withReferenceSeconds(TEST_PROBE_SECONDS));
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

    private Ignite start(String name, IgniteConfiguration cfg) {
        Ignite ignite = Ignition.start(cfg);
        nodes.put(name, ignite);
        return ignite;
    }
}
