package io.ptorrent.bench;

import org.apache.ignite.IgniteException;
import org.apache.ignite.Ignition;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.compute.ComputeJob;
import org.apache.ignite.compute.ComputeJobAdapter;
import org.apache.ignite.compute.ComputeJobResult;
import org.apache.ignite.compute.ComputeJobResultPolicy;
import org.apache.ignite.compute.ComputeTaskAdapter;
import org.apache.ignite.compute.ComputeTaskNoResultCache;
import org.apache.ignite.configuration.ClientConnectorConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.configuration.ThinClientConfiguration;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The issue-10 benchmarks' baseline: a node of vanilla Ignite 2.17 (no ptorrent on its class path), in a JVM of its
 * own, in the layout of a ptorrent grid. {@code server DISCOVERY COMMUNICATION THIN} is the harbor's counterpart (a
 * server node that runs thin-client compute tasks); {@code client DISCOVERY} a contributor's (a client node,
 * outbound only: forced client-to-server connections, no listening port). Prints a line when it is up; runs until
 * killed. The tasks a thin client runs on it by class name are the nested classes.
 */
public final class VanillaNode {
    static final String SERVER_UP = "vanilla server node up";
    static final String CLIENT_UP = "vanilla client node up";

    private VanillaNode() {
    }

    public static void main(String[] args) {
        int discovery = Integer.parseInt(args[1]);
        TcpDiscoveryVmIpFinder finder = new TcpDiscoveryVmIpFinder().setAddresses(List.of("127.0.0.1:" + discovery));
        IgniteConfiguration cfg = new IgniteConfiguration().setMetricsLogFrequency(0).setConnectorConfiguration(null);
        if (args[0].equals("server")) {
            cfg.setIgniteInstanceName("vanilla-server")
                    .setDiscoverySpi(new TcpDiscoverySpi().setLocalAddress("127.0.0.1").setLocalPort(discovery).setLocalPortRange(0).setIpFinder(finder))
                    .setCommunicationSpi(new TcpCommunicationSpi().setLocalAddress("127.0.0.1").setLocalPort(Integer.parseInt(args[2])).setLocalPortRange(0))
                    // Thin-client compute is off by default (FACTS.md): the same limit as a harbor's gateway.
                    .setClientConnectorConfiguration(new ClientConnectorConfiguration().setHost("127.0.0.1").setPort(Integer.parseInt(args[3]))
                            .setPortRange(0).setThinClientConfiguration(new ThinClientConfiguration().setMaxActiveComputeTasksPerConnection(100)));
            Ignition.start(cfg);
            System.out.println(SERVER_UP);
        } else {
            cfg.setIgniteInstanceName("vanilla-client-" + ProcessHandle.current().pid())
                    .setClientMode(true)
                    .setDiscoverySpi(new TcpDiscoverySpi().setIpFinder(finder))
                    // The same outbound-only shape as a contributor, so that the comparison is of what ptorrent adds.
                    .setCommunicationSpi(new TcpCommunicationSpi().setForceClientToServerConnections(true).setLocalPort(-1))
                    .setClientConnectorConfiguration(null);
            Ignition.start(cfg);
            System.out.println(CLIENT_UP);
        }
    }

    /** A job that does nothing and answers 1. */
    static final class NoopJob extends ComputeJobAdapter {
        @Override
        public Object execute() {
            return 1;
        }
    }

    /**
     * {@code latency}'s baseline: one no-op job on one node of the task's cluster group (the thin client gives the
     * client nodes), the n-th call's on the n-th node round the group. Answers what the job answered.
     */
    public static final class OneNoopJob extends ComputeTaskAdapter<Integer, Integer> {
        @Override
        public Map<? extends ComputeJob, ClusterNode> map(List<ClusterNode> subgrid, Integer seq) throws IgniteException {
            return Map.of(new NoopJob(), subgrid.get(Math.floorMod(seq == null ? 0 : seq, subgrid.size())));
        }

        @Override
        public Integer reduce(List<ComputeJobResult> results) throws IgniteException {
            return results.get(0).getData();
        }
    }

    /**
     * {@code fragments}' baseline: N no-op jobs dealt round the task's cluster group, without Ignite's job-result
     * cache (with it a task of 10,000 jobs does not finish: FACTS.md); answers how many jobs answered.
     */
    @ComputeTaskNoResultCache
    public static final class NoopJobs extends ComputeTaskAdapter<Integer, Integer> {
        private final AtomicInteger answered = new AtomicInteger();

        @Override
        public Map<? extends ComputeJob, ClusterNode> map(List<ClusterNode> subgrid, Integer n) throws IgniteException {
            Map<ComputeJob, ClusterNode> jobs = new IdentityHashMap<>(n * 2);
            for (int i = 0; i < n; i++) {
                jobs.put(new NoopJob(), subgrid.get(i % subgrid.size()));
            }
            return jobs;
        }

        @Override
        public ComputeJobResultPolicy result(ComputeJobResult res, List<ComputeJobResult> rcvd) throws IgniteException {
            if (res.getException() != null) {
                throw res.getException();
            }
            answered.incrementAndGet();
            return ComputeJobResultPolicy.WAIT;
        }

        @Override
        public Integer reduce(List<ComputeJobResult> results) throws IgniteException {
            return answered.get();
        }
    }
}
