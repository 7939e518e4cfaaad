package io.ptorrent.credit;

import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.calcite.CalciteQueryEngineConfiguration;
import org.apache.ignite.cluster.ClusterState;
import org.apache.ignite.configuration.DataRegionConfiguration;
import org.apache.ignite.configuration.DataStorageConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.configuration.SqlConfiguration;
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
import java.util.stream.Stream;

/**
 * Harbor-like Ignite server nodes in this JVM for credit-sla's tests (credit-sla cannot use the plugin's
 * TestGrid: the plugin depends on this module). Loopback only; discovery on {@code basePort..+9},
 * communication on {@code basePort+10..+19}; no thin-client port; Calcite as the SQL engine; with
 * persistence, in a temp directory that survives {@link #stop} (for restarts) and goes at {@link #close}.
 */
final class LedgerNodes implements AutoCloseable {
    private final int basePort;
    private final boolean persistent;
    private final Path workDir;
    private final Map<String, Ignite> nodes = new LinkedHashMap<>();

    LedgerNodes(int basePort, boolean persistent) {
        this.basePort = basePort;
        this.persistent = persistent;
        try {
            this.workDir = Files.createTempDirectory("ptorrent-credit-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts server nodes (in parallel, so that a persistent cluster finds its whole baseline) and activates the cluster. */
    List<Ignite> start(String... names) {
        List<Ignite> started = List.of(names).parallelStream().map(n -> Ignition.start(config(n))).toList();
        for (int i = 0; i < names.length; i++) {
            nodes.put(names[i], started.get(i));
        }
        started.get(0).cluster().state(ClusterState.ACTIVE);
        return started;
    }

    Ignite node(String name) {
        return nodes.get(name);
    }

    /** Stops one node gracefully, as when a harbor is shut down. */
    void stop(String name) {
        Ignite n = nodes.remove(name);
        if (n != null) {
            Ignition.stop(n.name(), false);
        }
    }

    /** Stops every node, gracefully (cancel = false: running transactions finish first). */
    void stopAll() {
        for (String n : new ArrayList<>(nodes.keySet())) {
            stop(n);
        }
    }

    @Override
    public void close() {
        stopAll();
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }

    private IgniteConfiguration config(String name) {
        DataRegionConfiguration region = new DataRegionConfiguration().setName("default").setPersistenceEnabled(persistent).setMaxSize(128L << 20);
        return new IgniteConfiguration()
                .setIgniteInstanceName(name)
                .setConsistentId(name)
                .setWorkDirectory(workDir.resolve(name).toString())
                .setDiscoverySpi(new TcpDiscoverySpi()
                        .setLocalAddress("127.0.0.1").setLocalPort(basePort).setLocalPortRange(9)
                        .setIpFinder(new TcpDiscoveryVmIpFinder().setAddresses(List.of("127.0.0.1:" + basePort + ".." + (basePort + 9)))))
                .setCommunicationSpi(new TcpCommunicationSpi().setLocalAddress("127.0.0.1").setLocalPort(basePort + 10).setLocalPortRange(9))
                .setClientConnectorConfiguration(null)
                .setMetricsLogFrequency(0)
                .setSqlConfiguration(new SqlConfiguration().setQueryEnginesConfiguration(new CalciteQueryEngineConfiguration().setDefault(true)))
                .setDataStorageConfiguration(new DataStorageConfiguration()
                        .setDefaultDataRegionConfiguration(region)
                        .setWalSegmentSize(8 << 20)
                        .setWalSegments(4));
    }
}
