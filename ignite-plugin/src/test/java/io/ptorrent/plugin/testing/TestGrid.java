package io.ptorrent.plugin.testing;

import io.ptorrent.plugin.PtorrentPluginConfiguration;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.configuration.ClientConnectorConfiguration;
import org.apache.ignite.configuration.DataRegionConfiguration;
import org.apache.ignite.configuration.DataStorageConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A ptorrent grid of real Ignite nodes in this JVM, on loopback, on ports of the test's own: the one
 * multi-node harness of the project's tests (shared as ignite-plugin's test-jar).
 *
 * <p>Ports from {@code basePort}: discovery {@code basePort..basePort+9}, communication
 * {@code basePort+100..+199}, thin clients {@code basePort+200..+209}. Give each test class its own
 * base, away from Ignite's defaults (47500, 47100, 10800). A test whose range is narrower passes a
 * smaller {@code span} ({@link #TestGrid(int, int)}). Persistence, when asked for, lives in a temp
 * directory that {@link #close()} deletes.
 */
public final class TestGrid implements AutoCloseable {
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
        PtorrentPluginConfiguration p = new PtorrentPluginConfiguration().setRole("harbor");
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

    /**
     * A contributor whose Ignite configuration the test changes too (a rogue node's, for one).
     *
     * @param igniteTweak changes to the node's Ignite configuration, after the grid's own
     */
    public Ignite startContributor(String name, Consumer<PtorrentPluginConfiguration> tweak, Consumer<IgniteConfiguration> igniteTweak) {
        PtorrentPluginConfiguration p = new PtorrentPluginConfiguration().setRole("contributor");
        tweak.accept(p);
        IgniteConfiguration cfg = base(name, p).setClientMode(true);
        igniteTweak.accept(cfg);
        return start(name, cfg);
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
