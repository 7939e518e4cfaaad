package io.ptorrent.plugin.launcher;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.TlsTrust;
import io.ptorrent.plugin.PtorrentPluginConfiguration;
import io.ptorrent.plugin.transport.DevCertificates;
import io.ptorrent.plugin.transport.TlsConfiguration;
import org.apache.ignite.configuration.ClientConnectorConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ptorrent harbor}: starts a harbor, the trusted core of a grid, from its Spring XML config. */
@Command(name = "harbor", mixinStandardHelpOptions = true,
        description = "Start a harbor (an Ignite server node with the scheduler, the thin-client gateway and the console).")
public final class HarborCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "config/harbor.xml", description = "Ignite Spring XML config (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--name", paramLabel = "NAME", description = "The node's name (its consistent id); keeps its persistent data apart.")
    String name;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the harbor keeps its data (default: work/<name>).")
    Path workDir;

    @Option(names = "--discovery-port", paramLabel = "PORT", description = "Port where nodes find this harbor.")
    Integer discoveryPort;

    @Option(names = "--harbor-address", paramLabel = "HOST:PORT", split = ",",
            description = "Discovery address(es) of other harbors of the same grid, to join them (several harbors share the ledger, one backup each).")
    List<String> harborAddresses;

    @Option(names = "--communication-port", paramLabel = "PORT", description = "Port for node-to-node messages.")
    Integer communicationPort;

    @Option(names = "--thin-port", paramLabel = "PORT", description = "Port for submitters' thin clients.")
    Integer thinPort;

    @Option(names = "--console-port", paramLabel = "PORT", description = "Port of the web console (0 turns it off).")
    Integer consolePort;

    @Option(names = "--open-account", paramLabel = "ID", description = "Open this account at start if it is new (with the starter grant): "
            + "for a person who submits without running a contributor node. Repeatable.")
    List<String> openAccounts;

    @Option(names = "--harbor-secret-file", paramLabel = "FILE", description = "The grid's harbor secret (default: harbor-secret in the work"
            + " directory, created at the first start); every harbor of a grid needs a copy of the same file.")
    Path harborSecretFile;
    @Option(names = "--tls-dir", paramLabel = "DIR", description = "Where development TLS certificates are made and kept when the config names"
            + " no tls (default: work/tls). Nodes and clients trust DIR/ca.pem.")
    Path tlsDir;

    @Option(names = "--no-tls", description = "Plain TCP and HTTP on every port, whatever the config says: for a grid on a trusted network only.")
    boolean noTls;

    @Override
    public Integer call() {
        IgniteConfiguration cfg = configure();
        PtorrentPluginConfiguration plugin = NodeConfigs.plugin(cfg);
        TlsConfiguration tls = plugin.getTls();
        boolean secure = tls != null && tls.isEnabled();
        return NodeRunner.runUntilStopped(cfg, ignite -> "ptorrent harbor '" + ignite.name() + "' is up: discovery port "
                + ((TcpDiscoverySpi) cfg.getDiscoverySpi()).getLocalPort() + ", thin clients on port " + cfg.getClientConnectorConfiguration().getPort()
                + (plugin.getConsolePort() > 0 ? ", console " + (secure ? "https" : "http") + "://" + consoleHostForUrl(plugin) + ":" + plugin.getConsolePort() + "/" : ", console off")
                + (secure ? "; TLS on every port (nodes and clients trust " + (tls.getTrustedCertificates() != null ? tls.getTrustedCertificates() : "its certificate's CA") + ")" : "; TLS OFF (tls.enabled=false): plain TCP and HTTP"));
    }

    /** The config file with this command's options applied, its ports checked. */
    IgniteConfiguration configure() {
        IgniteConfiguration cfg = NodeConfigs.load(config);
        PtorrentPluginConfiguration plugin = NodeConfigs.plugin(cfg);
        if (Boolean.TRUE.equals(cfg.isClientMode())) {
            throw new PtorrentException(ErrorCode.CONFIG_INVALID, "config file '" + config + "' is a client node's (clientMode=true); a harbor needs a server config such as config/harbor.xml");
        }
        plugin.setRole("harbor");
        if (harborSecretFile != null) {
            plugin.setHarborSecretFile(harborSecretFile.toAbsolutePath().toString());
        }
        if (name != null) {
            cfg.setIgniteInstanceName(name).setConsistentId(name);
        }
        String nodeName = cfg.getIgniteInstanceName() == null ? "harbor" : cfg.getIgniteInstanceName();
        cfg.setWorkDirectory((workDir != null ? workDir : Path.of("work", nodeName)).toAbsolutePath().toString());

        TcpDiscoverySpi disco = cfg.getDiscoverySpi() instanceof TcpDiscoverySpi d ? d : new TcpDiscoverySpi();
        cfg.setDiscoverySpi(disco);
        if (discoveryPort != null) {
            Ports.requireValid(discoveryPort, "--discovery-port");
            disco.setLocalPort(discoveryPort);
            disco.setLocalPortRange(0);
            if (disco.getIpFinder() instanceof TcpDiscoveryVmIpFinder || disco.getIpFinder() == null) {
                disco.setIpFinder(new TcpDiscoveryVmIpFinder().setAddresses(List.of("127.0.0.1:" + discoveryPort)));
            }
        }
        if (harborAddresses != null) {
            if (!(disco.getIpFinder() instanceof TcpDiscoveryVmIpFinder vm)) {
                throw new PtorrentException(ErrorCode.CONFIG_INVALID, "--harbor-address needs the config's discovery to list addresses"
                        + " (a TcpDiscoveryVmIpFinder); config file '" + config + "' uses " + disco.getIpFinder().getClass().getSimpleName()
                        + ": put the other harbors in its ip finder instead");
            }
            // This harbor's own address stays: the first harbor of a grid finds only itself.
            List<String> all = new java.util.ArrayList<>(vm.getRegisteredAddresses().stream()
                    .map(a -> a.getHostString() + ":" + a.getPort()).distinct().toList());
            for (String a : harborAddresses) {
                if (!a.matches("[^\\s:]+:\\d{1,5}(\\.\\.\\d{1,5})?")) {
                    throw new PtorrentException(ErrorCode.CONFIG_INVALID, "--harbor-address '" + a + "' is not host:port (or host:port1..port2)");
                }
                all.add(a);
            }
            vm.setAddresses(all);
        }
        TcpCommunicationSpi comm = cfg.getCommunicationSpi() instanceof TcpCommunicationSpi c ? c : new TcpCommunicationSpi();
        cfg.setCommunicationSpi(comm);
        if (communicationPort != null) {
            Ports.requireValid(communicationPort, "--communication-port");
            comm.setLocalPort(communicationPort);
            comm.setLocalPortRange(0);
        }
        ClientConnectorConfiguration thin = cfg.getClientConnectorConfiguration();
        if (thin == null) {
            thin = new ClientConnectorConfiguration();
            cfg.setClientConnectorConfiguration(thin);
        }
        if (thinPort != null) {
            Ports.requireValid(thinPort, "--thin-port");
            thin.setPort(thinPort);
            thin.setPortRange(0);
        }
        if (openAccounts != null) {
            List<String> all = new java.util.ArrayList<>(plugin.getOpenAccounts());
            all.addAll(openAccounts);
            plugin.setOpenAccounts(all);
        }
        if (consolePort != null) {
            Ports.requireValid(consolePort, "--console-port");
            plugin.setConsolePort(consolePort);
        }
        Ports.requireFree(disco.getLocalPort(), "discovery", "--discovery-port");
        Ports.requireFree(comm.getLocalPort(), "communication", "--communication-port");
        Ports.requireFree(thin.getPort(), "thin clients", "--thin-port");
        Ports.requireFree(plugin.getConsolePort(), "the console", "--console-port");
        if (noTls) {
            plugin.setTls(new TlsConfiguration().setEnabled(false));
        } else if (plugin.getTls() == null) {
            // Secure by default: a harbor whose config names no certificate gets development ones (for this machine's names only).
            plugin.setTls(DevCertificates.ensure((tlsDir != null ? tlsDir : TlsTrust.DEV_CA.getParent()).toAbsolutePath()));
        }
        return cfg;
    }

    private static String consoleHostForUrl(PtorrentPluginConfiguration plugin) {
        String h = plugin.getConsoleHost();
        return "0.0.0.0".equals(h) || "127.0.0.1".equals(h) ? "localhost" : h;
    }
}
