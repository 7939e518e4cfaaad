package io.ptorrent.bench;

import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.plugin.PtorrentPluginConfiguration;
import io.ptorrent.plugin.security.Identities;
import io.ptorrent.plugin.testing.NodeProcess;
import io.ptorrent.plugin.transport.LinkDelay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.awaitility.Awaitility.await;

/**
 * A ptorrent grid of separate JVMs on loopback, as {@code bin/ptorrent} starts one, for the issue-10 benchmarks: one
 * harbor ({@code config/harbor.xml}, persistent) and contributors ({@code config/household-node.xml}, one shared core
 * each, automatic mode off), every node with bin/ptorrent's JVM options and default heap (256 MiB), each contributor
 * with a join credential of its own account, issued by the harbor's operator. Ports: {@code basePort} (discovery),
 * {@code +1} (communication), {@code +2} (thin clients); contributors open none.
 *
 * <p>{@code linkDelayMs > 0} starts every node with {@link LinkDelay}'s benchmark-only property: each way between
 * the harbor and a contributor then takes that much longer. {@code BENCH_NODE_JAVA_OPTS} (environment) adds JVM options
 * to every node, for a profile of the nodes (bench/run's {@code BENCH_JAVA_OPTS} reaches only the benchmark's own JVM).
 */
final class ProcessGrid implements AutoCloseable {
    /** bin/ptorrent's default heap ({@code -Xmx256m}), for the harbor and the contributors alike. */
    static final int HEAP_MB = 256;

    private final Path work;
    private final int basePort;
    private final List<String> jvmOptions;
    private final List<NodeProcess> contributors = new ArrayList<>();
    private NodeProcess harbor;
    private String operatorKey;

    private ProcessGrid(Path work, int basePort, long linkDelayMs) {
        this.work = work;
        this.basePort = basePort;
        List<String> options = new ArrayList<>();
        if (linkDelayMs > 0) {
            options.add("-D" + LinkDelay.PROPERTY + "=" + linkDelayMs);
        }
        // For a profile of the nodes themselves, e.g. BENCH_NODE_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/jfr/".
        String extra = System.getenv("BENCH_NODE_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            options.addAll(List.of(extra.trim().split("\\s+")));
        }
        this.jvmOptions = List.copyOf(options);
    }

    /** Starts the harbor and {@code contributors} contributors; returns when the harbor sees them all. */
    static ProcessGrid start(Path work, int basePort, int contributors, long linkDelayMs) {
        ProcessGrid g = new ProcessGrid(work, basePort, linkDelayMs);
        try {
            g.startNodes(contributors);
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
        return g;
    }

    private void startNodes(int count) {
        harbor = NodeProcess.harbor("harbor", HEAP_MB, jvmOptions, List.of("--config", Bench.repo().resolve("config/harbor.xml").toString(),
                "--work-dir", work.resolve("harbor").toString(), "--discovery-port", "" + basePort, "--communication-port", "" + (basePort + 1),
                "--thin-port", "" + (basePort + 2), "--console-port", "0"), work.resolve("harbor.log")).awaitUp(Duration.ofMinutes(3));
        try {
            operatorKey = Files.readString(work.resolve("harbor").resolve(PtorrentPluginConfiguration.OPERATOR_KEY_FILE)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("the harbor wrote no operator key", e);
        }
        for (int i = 0; i < count; i++) {
            String name = "contributor-" + i;
            String account = "earner-" + i;
            Path token = work.resolve(name + ".join-token");
            operator(op -> {
                op.createAccount(account, "member", null, true);
                try {
                    return Files.writeString(token, op.issueCredential(account, "join").issued().token());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            contributors.add(NodeProcess.contributor(name, HEAP_MB, jvmOptions, List.of("--config",
                    Bench.repo().resolve("config/household-node.xml").toString(), "--join-token-file", token.toString(),
                    "--work-dir", work.resolve(name).toString(), "--harbor-address", "127.0.0.1:" + basePort, "--account", account,
                    "--shared-cores", "1", "--no-automatic"), work.resolve(name + ".log")));
        }
        contributors.forEach(c -> c.awaitUp(Duration.ofMinutes(3)));
        operator(op -> {
            await("the contributors in the grid").atMost(Duration.ofMinutes(2)).ignoreExceptions()
                    .until(() -> op.availability().contributors() == count);
            return null;
        });
    }

    /**
     * A new member account with {@code credits} granted by the operator, and a client connected as it.
     *
     * @param fragmentTimeout the submitter's fragment limit: today's escrow holds it × the best PU per core for every fragment
     */
    PtorrentClient submitter(String account, long credits, Duration fragmentTimeout, Duration timeout) {
        String key = operator(op -> {
            String k = op.createAccount(account, "member", null, true).issued().token();
            op.grant(account, credits * 1000, "bench-" + account);
            return k;
        });
        return PtorrentClient.connect(new PtorrentClientOptions().addresses(thinAddress()).apiKey(account, key)
                .fragmentTimeout(fragmentTimeout).timeout(timeout));
    }

    String thinAddress() {
        return "127.0.0.1:" + (basePort + 2);
    }

    int contributors() {
        return contributors.size();
    }

    /** The nodes whose log mentions {@code text} (an {@code OutOfMemoryError}), by name. */
    List<String> logsMentioning(String text) {
        List<String> found = new ArrayList<>();
        List<NodeProcess> all = new ArrayList<>(contributors);
        all.add(0, harbor);
        for (NodeProcess n : all) {
            try {
                if (Files.exists(n.logFile()) && Files.readString(n.logFile()).contains(text)) {
                    found.add(n.name());
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // an unreadable log mentions nothing
            }
        }
        return found;
    }

    /** The nodes' logs, for a failure message. */
    Path work() {
        return work;
    }

    private <T> T operator(Function<PtorrentClient, T> call) {
        try (PtorrentClient op = PtorrentClient.connect(new PtorrentClientOptions().addresses(thinAddress())
                .apiKey(Identities.OPERATOR_ACCOUNT, operatorKey))) {
            return call.apply(op);
        }
    }

    /** Stops every node as Ctrl-C does (SIGKILL after 30 s). */
    @Override
    public void close() {
        contributors.forEach(NodeProcess::close);
        if (harbor != null) {
            harbor.close();
        }
    }

    /** Removes a run's folder of node logs and data (kept when deletion fails: it is in the temp folder). */
    static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            System.err.println("bench: could not remove " + dir + ": " + e.getMessage());
        }
    }
}
