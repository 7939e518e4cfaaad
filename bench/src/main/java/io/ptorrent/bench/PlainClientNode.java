package io.ptorrent.bench;

import org.apache.ignite.Ignition;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;

import java.util.List;

/**
 * The idle-node benchmark's baseline: a plain Ignite client node with Ignite's defaults (no ptorrent on
 * its class path), joined to a plain Ignite server ({@code server PORT}; a ptorrent harbor refuses it). Runs until killed.
 */
public final class PlainClientNode {
    private PlainClientNode() {
    }

    public static void main(String[] args) {
        if (args[0].equals("server")) {
            // The baseline's own plain server: a ptorrent harbor refuses a node without a credential.
            int port = Integer.parseInt(args[1]);
            Ignition.start(new IgniteConfiguration()
                    .setIgniteInstanceName("plain-server")
                    .setMetricsLogFrequency(0)
                    .setDiscoverySpi(new TcpDiscoverySpi().setLocalAddress("127.0.0.1").setLocalPort(port).setLocalPortRange(0)
                            .setIpFinder(new TcpDiscoveryVmIpFinder().setAddresses(List.of("127.0.0.1:" + port))))
                    .setCommunicationSpi(new TcpCommunicationSpi().setLocalAddress("127.0.0.1").setLocalPort(port + 1).setLocalPortRange(0))
                    .setClientConnectorConfiguration(null)
                    .setConnectorConfiguration(null));
            System.out.println("plain server node up");
            return;
        }
        String harbor = args[0];
        Ignition.start(new IgniteConfiguration()
                .setIgniteInstanceName("plain")
                .setClientMode(true)
                .setMetricsLogFrequency(0)
                .setDiscoverySpi(new TcpDiscoverySpi().setIpFinder(new TcpDiscoveryVmIpFinder().setAddresses(List.of(harbor))))
                // Same outbound-only shape as a contributor, so that the comparison is of what ptorrent adds.
                .setCommunicationSpi(new TcpCommunicationSpi().setForceClientToServerConnections(true).setLocalPort(-1))
                .setClientConnectorConfiguration(null)
                .setConnectorConfiguration(null));
        System.out.println("plain client node up");
    }
}
