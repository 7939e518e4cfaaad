package io.ptorrent.plugin.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.journal.JournalCommand;
import io.ptorrent.plugin.PtorrentPluginConfiguration;
import io.ptorrent.plugin.bench.PuBenchmark;
import io.ptorrent.plugin.bench.PuBenchmarkProcess;
import io.ptorrent.plugin.sandbox.SandboxRunner;
import io.ptorrent.plugin.transport.TlsConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ptorrent node}: joins this machine to a grid as a contributor, from its Spring XML config. */
@Command(name = "node", mixinStandardHelpOptions = true, subcommands = JournalCommand.class,
        description = "Share this machine with a grid: start a contributor node (outbound connections only).")
public final class NodeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--benchmark", description = "Measure this machine's PU score, print it as one JSON line and exit (starts no node).")
    boolean benchmark;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "config/household-node.xml", description = "Ignite Spring XML config (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--name", paramLabel = "NAME", description = "The node's name, shown in the console.")
    String name;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the node keeps its files (default: work/<name>).")
    Path workDir;

    @Option(names = "--harbor-address", paramLabel = "HOST:PORT", split = ",", description = "The harbor's discovery address(es).")
    List<String> harborAddresses;

    @Option(names = "--account", paramLabel = "ID", description = "The account this node earns for.")
    String account;

    @Option(names = "--join-token-file", paramLabel = "FILE", description = "A file (mode 600) with a join credential of the account"
            + " (bin/ptorrent account join-token create); default: $" + PtorrentPluginConfiguration.JOIN_TOKEN_ENV + ". Never the token itself on the command line.")
    Path joinTokenFile;

    @Option(names = "--shared-cores", paramLabel = "N", description = "Cores to share with the grid (-1: half).")
    Integer sharedCores;

    @Option(names = "--tls-trust", paramLabel = "FILE", description = "CA certificates (PEM) that identify the harbor (default: the config's"
            + " tls.trustedCertificates, else the JVM's trusted CAs; the demo's is work/tls/ca.pem).")
    Path tlsTrust;

    @Option(names = "--no-tls", description = "Plain TCP to a harbor whose TLS is off, whatever the config says.")
    boolean noTls;

    @Option(names = "--automatic", negatable = true, description = "Automatic mode: share nothing while the machine's owner is busy (--no-automatic turns it off).")
    Boolean automatic;

    @Override
    public Integer call() throws JsonProcessingException {
        if (benchmark) {
            return printBenchmark();
        }
        IgniteConfiguration cfg = configure();
        return NodeRunner.runUntilStopped(cfg, ignite -> {
            PtorrentPlugin p = PtorrentPlugin.of(ignite);
            return "ptorrent node '" + ignite.name() + "' joined harbor '" + p.harborName() + "': sharing " + p.sharedCores()
                    + " of " + p.pu().cores() + " cores, " + p.pu().puPerCore() + " PU per core; " + SandboxRunner.confinement();
        });
    }

    /** One JSON line on the command's out (picocli's, so that tests capture it): scores, kernels, cost. */
    private int printBenchmark() throws JsonProcessingException {
        // As a node measures itself when it starts (a quiet child JVM with the node's JIT), so that this prints its claim.
        PuBenchmark.Result r = PuBenchmarkProcess.measure().result();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("puScore", r.puScore());
        json.put("puPerCore", r.puPerCore());
        json.put("cores", r.cores());
        json.put("kernels", r.kernels());
        json.put("millis", r.millis());
        PrintWriter out = spec.commandLine().getOut();
        out.println(new ObjectMapper().writeValueAsString(json));
        out.flush();
        return 0;
    }

    IgniteConfiguration configure() {
        IgniteConfiguration cfg = NodeConfigs.load(config);
        if (!Boolean.TRUE.equals(cfg.isClientMode())) {
            throw new PtorrentException(ErrorCode.CONFIG_INVALID, "config file '" + config
                    + "' is a server node's; a contributor needs clientMode=true (see config/household-node.xml)");
        }
        PtorrentPluginConfiguration plugin = NodeConfigs.plugin(cfg);
        plugin.setRole("contributor");
        if (account != null) {
            plugin.setAccount(account);
        }
        if (joinTokenFile != null) {
            plugin.setJoinTokenFile(joinTokenFile.toAbsolutePath().toString());
        }
        if (sharedCores != null) {
            plugin.setSharedCores(sharedCores);
        }
        if (automatic != null) {
            plugin.setAutomaticMode(automatic);
        }
        String nodeName = name != null ? name : cfg.getIgniteInstanceName() != null ? cfg.getIgniteInstanceName() : "node-" + ProcessHandle.current().pid();
        cfg.setIgniteInstanceName(nodeName).setConsistentId(nodeName);
        cfg.setWorkDirectory((workDir != null ? workDir : Path.of("work", nodeName)).toAbsolutePath().toString());
        if (noTls) {
            plugin.setTls(new TlsConfiguration().setEnabled(false));
        } else if (plugin.getTls() == null) {
            // Secure by default: TLS to the harbor, whose certificate must be signed by a trusted CA. No key of our own is needed.
            plugin.setTls(new TlsConfiguration());
        }
        if (tlsTrust != null && plugin.getTls().isEnabled()) {
            plugin.getTls().setTrustedCertificates(tlsTrust.toAbsolutePath().toString());
        }
        if (harborAddresses != null) {
            TcpDiscoverySpi disco = cfg.getDiscoverySpi() instanceof TcpDiscoverySpi d ? d : new TcpDiscoverySpi();
            disco.setIpFinder(new TcpDiscoveryVmIpFinder().setAddresses(harborAddresses));
            cfg.setDiscoverySpi(disco);
        }
        return cfg;
    }
}
