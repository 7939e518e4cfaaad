package marshaltest;

import io.ptorrent.plugin.PtorrentPluginConfiguration;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.internal.IgniteEx;
import org.apache.ignite.internal.processors.security.OperationSecurityContext;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;

import java.nio.file.Files;
import java.util.List;

/**
 * A contributor in a JVM of its own that sends a harbor a {@link Gadget} as a job and prints what happened:
 * "RAN: ..." or "REFUSED: ..." with the whole cause chain. Why another JVM: Ignite checks its class filter only
 * when a class is not yet in its JVM-wide class cache, and a sender in the harbor's JVM would put it there.
 *
 * <p>It joins with a join credential, as a contributor does, and sends under the harbor's security context, as a
 * modified contributor would claim it: its own node's checks then let the call through, and only the harbor's
 * refuse it.
 *
 * <p>Arguments: the harbor's first discovery port, a join-credential file.
 */
public final class SendGadget {
    private SendGadget() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        IgniteConfiguration cfg = new IgniteConfiguration().setIgniteInstanceName("gadget-sender").setClientMode(true).setMetricsLogFrequency(0)
                .setWorkDirectory(Files.createTempDirectory("ptorrent-gadget-").toString())
                .setDiscoverySpi(new TcpDiscoverySpi().setLocalAddress("127.0.0.1").setJoinTimeout(60_000)
                        .setIpFinder(new TcpDiscoveryVmIpFinder().setAddresses(List.of("127.0.0.1:" + port + ".." + (port + 9)))))
                .setCommunicationSpi(new TcpCommunicationSpi().setLocalAddress("127.0.0.1"))
                .setPluginConfigurations(new PtorrentPluginConfiguration().setRole("contributor").setSharedCores(1)
                        .setJoinTokenFile(args[1]));
        int status;
        try (Ignite ignite = Ignition.start(cfg)) {
            try (OperationSecurityContext asHarbor = ((IgniteEx) ignite).context().security()
                    .withContext(ignite.cluster().forServers().node().id())) {
                String r = ignite.compute(ignite.cluster().forServers()).call(new Gadget());
                System.out.println("RAN: " + r + " (sender pid " + ProcessHandle.current().pid() + ")");
                status = 1;
            } catch (RuntimeException e) {
                StringBuilder chain = new StringBuilder();
                for (Throwable t = e; t != null; t = t.getCause()) {
                    chain.append(" <- ").append(t);
                }
                System.out.println("REFUSED:" + chain);
                status = 0;
            }
        }
        System.out.flush();
        System.exit(status);
    }
}
