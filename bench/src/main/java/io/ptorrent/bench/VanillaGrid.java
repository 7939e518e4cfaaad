package io.ptorrent.bench;

import io.ptorrent.plugin.launcher.HarborOnlyJars;
import org.apache.ignite.Ignition;
import org.apache.ignite.client.ClientCompute;
import org.apache.ignite.client.IgniteClient;
import org.apache.ignite.configuration.ClientConfiguration;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * The baseline grid of the issue-10 benchmarks: vanilla Ignite in {@link ProcessGrid}'s layout and JVM options (one
 * server node where the harbor is, client nodes where the contributors are, each its own JVM with bin/ptorrent's
 * options and heap, no ptorrent on the class path), and a thin client connected to the server. Ports:
 * {@code basePort} (discovery), {@code +1} (communication), {@code +2} (thin clients).
 */
final class VanillaGrid implements AutoCloseable {
    /** bin/ptorrent's JVM options, as {@code NodeProcess} gives every ptorrent node. */
    private static final List<String> NODE_OPTS = List.of("-Xms32m", "-Xmx" + ProcessGrid.HEAP_MB + "m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true", "-DIGNITE_QUIET=true", "-DIGNITE_NO_ASCII=true",
            "-DIGNITE_UPDATE_NOTIFIER=false", "-DIGNITE_PERFORMANCE_SUGGESTIONS_DISABLED=true");

    private final List<Process> nodes = new ArrayList<>();
    private IgniteClient thin;

    private VanillaGrid() {
    }

    static VanillaGrid start(Path work, int basePort, int clients) throws IOException {
        VanillaGrid g = new VanillaGrid();
        try {
            awaitUp(g.node(work.resolve("vanilla-server.log"), "server", "" + basePort, "" + (basePort + 1), "" + (basePort + 2)),
                    work.resolve("vanilla-server.log"), VanillaNode.SERVER_UP);
            for (int i = 0; i < clients; i++) {
                Path log = work.resolve("vanilla-client-" + i + ".log");
                awaitUp(g.node(log, "client", "" + basePort), log, VanillaNode.CLIENT_UP);
            }
            g.thin = Ignition.startClient(new ClientConfiguration().setAddresses("127.0.0.1:" + (basePort + 2)));
            await("the vanilla client nodes in the topology").atMost(Duration.ofMinutes(1))
                    .until(() -> g.thin.cluster().forClients().nodes().size() == clients);
        } catch (IOException | RuntimeException e) {
            g.close();
            throw e;
        }
        return g;
    }

    /** Thin-client compute over the client nodes (the contributors' counterparts). */
    ClientCompute computeOnClients() {
        return thin.compute(thin.cluster().forClients());
    }

    private Process node(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(NODE_OPTS);
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("--add-opens")).forEach(cmd::add);
        cmd.addAll(List.of("-cp", plainClassPath(), VanillaNode.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        nodes.add(p);
        return p;
    }

    private static void awaitUp(Process p, Path log, String banner) {
        await("vanilla node up (" + log + ")").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> {
            String text = Files.exists(log) ? Files.readString(log) : "";
            if (!p.isAlive()) {
                throw new IllegalStateException("a vanilla node exited with " + p.exitValue() + ":\n" + text);
            }
            return text.contains(banner);
        });
    }

    /** This JVM's class path without ptorrent's modules (its plugin would start) and without the harbor-only jars. */
    private static String plainClassPath() {
        return Arrays.stream(HarborOnlyJars.contributorClassPath(System.getProperty("java.class.path")).split(File.pathSeparator))
                .filter(e -> !e.contains("ptorrent-") && !e.contains(File.separator + "ignite-plugin" + File.separator)
                        && !e.contains(File.separator + "web-console" + File.separator) && !e.contains(File.separator + "client-thin" + File.separator)
                        && !e.contains(File.separator + "credit-sla" + File.separator) && !e.contains(File.separator + "examples" + File.separator))
                .collect(Collectors.joining(File.pathSeparator));
    }

    @Override
    public void close() {
        if (thin != null) {
            thin.close();
        }
        nodes.forEach(Process::destroy);
        for (Process p : nodes) {
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
