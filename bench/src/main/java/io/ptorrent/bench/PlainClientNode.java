package io.ptorrent.bench;

import org.apache.ignite.Ignition;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;

import java.util.List;

/**
 * The idle-node benchmark's baseline: a plain Ignite client node with Ignite's defaults (no ptorrent on
 * its class path), joined to the same harbor. Runs until killed.
 */
public final class PlainClientNode {
    private PlainClientNode() {
    }

    public static void main(String[] args) {
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
