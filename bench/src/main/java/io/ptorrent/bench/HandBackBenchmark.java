package io.ptorrent.bench;

import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.client.TaskHandle;
import io.ptorrent.plugin.GridSnapshot;
import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.launcher.HarborOnlyJars;
import io.ptorrent.plugin.PtorrentPluginConfiguration;
import io.ptorrent.plugin.security.AccountRole;
import io.ptorrent.plugin.security.CredentialKind;
import io.ptorrent.plugin.security.Identities;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.compute.ComputeTaskFuture;
import org.apache.ignite.configuration.ClientConnectorConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Automatic mode's hand-back (issue 3: "hands back running ones within 2 seconds"), measured on a real grid.
 *
 * <p>One harbor and a steady contributor (automatic mode off) in this JVM; an automatic-mode
 * contributor in its own JVM, started as {@code bin/ptorrent node} starts one, sharing 1 core. Each trial
 * submits a computing fragment while the steady node shares nothing, so that it runs in the automatic node's
 * sandbox worker (the node's own load, not the owner's); then the steady node shares 2 cores, and the trial starts a synthetic owner load (one {@code sh} spin loop per core) and measures from the
 * load's start to
 * <ol>
 *   <li>the harbor seeing the node offer no cores,</li>
 *   <li>the node's sandbox worker gone (the fragment handed back),</li>
 *   <li>the harbor counting the fragment on the steady contributor (failed over);</li>
 * </ol>
 * then cancels the fragment (on the steady node its load would count as the owner's), stops the load and measures until the harbor sees the core offered again (the quiet period plus
 * detection). Baseline in the same run: the harbor cancelling a fragment running on that node (Ignite's
 * {@code ComputeTaskFuture.cancel()} on the fragment's task), measured the same way, from the cancel to the sandbox worker gone: the floor of
 * the cancel path, so the figure shows what detection adds.
 *
 * <p>The load detector counts every process that is not the node's as the owner's, including other work on
 * the machine: run it on a quiet machine. Usage: {@code HandBackBenchmark <repo dir> [trials] [ownerBusyPercent]
 * [ownerQuietSeconds]}.
 */
public final class HandBackBenchmark {
    /** Discovery 51400-51409, communication 51500-51549, thin clients 51580-51589. */
    private static final int BASE_PORT = 51400;
    private static final int THIN_PORT = 51580;
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** bin/ptorrent's JVM options for a node. */
    private static final List<String> NODE_OPTS = List.of("-Xms32m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Djava.net.preferIPv4Stack=true", "-DIGNITE_QUIET=true", "-DIGNITE_NO_ASCII=true", "-DIGNITE_UPDATE_NOTIFIER=false",
            "-DIGNITE_PERFORMANCE_SUGGESTIONS_DISABLED=true");

    private final Ignite harbor;
    private final PtorrentPlugin steady;
    private final PtorrentClient client;
    private final ProcessHandle node;
    private final List<TaskHandle<Integer>> tasks = new ArrayList<>();

    private HandBackBenchmark(Ignite harbor, PtorrentPlugin steady, PtorrentClient client, ProcessHandle node) {
        this.harbor = harbor;
        this.steady = steady;
        this.client = client;
        this.node = node;
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        int trials = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int busyPercent = args.length > 2 ? Integer.parseInt(args[2]) : 25;
        int quietSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Path work = Files.createTempDirectory("ptorrent-handback-");
        Path config = work.resolve("auto-node.xml");
        Files.writeString(config, Files.readString(repo.resolve("config/household-node.xml"))
                .replaceFirst("name=\"sharedCores\" value=\"\\d+\"", "name=\"sharedCores\" value=\"1\"")
                .replaceFirst("name=\"ownerBusyPercent\" value=\"\\d+\"", "name=\"ownerBusyPercent\" value=\"" + busyPercent + "\"")
                .replaceFirst("name=\"ownerQuietSeconds\" value=\"\\d+\"", "name=\"ownerQuietSeconds\" value=\"" + quietSeconds + "\""));
        String load = String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Process auto = null;
        List<double[]> results = new ArrayList<>();
        double[] baseline;
        // Not TestGrid: its thin-client port (base + 200) would leave this benchmark's port range (51400-51599).
        try (Ignite harbor = Ignition.start(node("harbor", work, new PtorrentPluginConfiguration().setRole("harbor").setConsolePort(0))
                .setClientConnectorConfiguration(new ClientConnectorConfiguration().setHost("127.0.0.1").setPort(THIN_PORT).setPortRange(9)));
             Ignite steady = Ignition.start(node("steady", work, new PtorrentPluginConfiguration().setRole("contributor").setSharedCores(0)
                     .setJoinTokenFile(joinTokenFile(harbor, work, "steady").toString()))
                     .setClientMode(true))) {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(NODE_OPTS);
            ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("--add-opens")).forEach(cmd::add);
            cmd.addAll(List.of("-cp", HarborOnlyJars.contributorClassPath(System.getProperty("java.class.path")),
                    "io.ptorrent.plugin.launcher.Launcher", "node", "--config", config.toString(), "--name", "auto",
                    "--work-dir", work.resolve("auto").toString(), "--harbor-address", "127.0.0.1:" + BASE_PORT, "--automatic",
                    "--join-token-file", joinTokenFile(harbor, work, "auto").toString()));
            Path log = work.resolve("auto.log");
            auto = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Process started = auto;
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroy)); // no orphan if this JVM is killed
            await("the automatic node joins (see " + log + ")", () -> {
                try {
                    return Files.readString(log).contains("joined harbor") || !started.isAlive();
                } catch (IOException e) {
                    return false;
                }
            });
            if (!auto.isAlive()) {
                throw new IllegalStateException("the automatic node exited:\n" + Files.readString(log));
            }
            try (PtorrentClient client = PtorrentClient.connect(new PtorrentClientOptions().addresses("127.0.0.1:" + THIN_PORT)
                    .apiKey(ACCOUNT, identities(harbor).issue(ACCOUNT, CredentialKind.API_KEY).token()))) {
                HandBackBenchmark b = new HandBackBenchmark(harbor, PtorrentPlugin.of(steady), client, auto.toHandle());
                b.warmUp();
                baseline = new double[trials];
                for (int i = 0; i < trials; i++) {
                    baseline[i] = b.cancelTrial();
                    results.add(b.handBackTrial());
                    System.out.printf(Locale.ROOT, "trial %d: cancel %.0f ms; offer %.0f, worker gone %.0f, failed over %.0f, resumed %.0f ms%n",
                            i + 1, baseline[i], results.get(i)[0], results.get(i)[1], results.get(i)[2], results.get(i)[3]);
                }
            }
        } finally {
            if (auto != null) {
                auto.destroy();
                if (!auto.waitFor(20, TimeUnit.SECONDS)) {
                    auto.destroyForcibly();
                }
            }
        }
        String[] what = {
                "owner load starts → the harbor sees the node offer no cores",
                "owner load starts → the node's sandbox worker is gone (fragment handed back)",
                "owner load starts → the harbor counts the fragment on the other contributor (failed over)",
                "owner load stops → the harbor sees the core offered again (quiet period " + quietSeconds + " s)"};
        StringBuilder table = new StringBuilder("| what | n | p50 ms | max ms |\n|---|---|---|---|\n");
        table.append(row("harbor cancels the fragment's task (`ComputeTaskFuture.cancel()`) → the node's sandbox worker is gone (baseline: the cancel path alone)", baseline));
        for (int k = 0; k < what.length; k++) {
            final int col = k;
            table.append(row(what[k], results.stream().mapToDouble(r -> r[col]).toArray()));
        }
        System.out.println(table);
        BenchmarkReport.write("hand-back", "Automatic mode: hand-back and resume (issue 3)",
                "./mvnw -q -o -pl bench -am package -DskipTests && ./mvnw -q -o -pl bench dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt"
                        + " && java $(sed -n 's/.*<ignite.jvm.flags>\\(.*\\)<\\/ignite.jvm.flags>.*/\\1/p' pom.xml) -cp bench/target/classes:ignite-plugin/target/classes:"
                        + "client-thin/target/classes:credit-sla/target/classes:web-console/target/classes:$(cat /tmp/cp.txt)"
                        + " io.ptorrent.bench.HandBackBenchmark . " + trials + " " + busyPercent + " " + quietSeconds,
                "On " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                        + ", load average " + load + " at the start (other work on the machine counts as the owner's too). "
                        + "Harbor and a steady contributor (automatic mode off; 0 shared cores until the automatic node runs the fragment, then 2) in the bench JVM; an automatic-mode contributor "
                        + "(household-node.xml, 1 shared core, ownerBusyPercent " + busyPercent + ", ownerQuietSeconds " + quietSeconds
                        + ") in its own JVM with bin/ptorrent's options. Each trial: a computing fragment runs in the automatic node's sandbox worker, "
                        + "then one `sh` spin loop per core starts (the owner's load); times polled every 5 ms. Aim: handed back within 2 s.\n\n" + table);
    }

    /** The account of the benchmark's nodes and its submitter (it runs on a harbor without a ledger: nobody pays). */
    private static final String ACCOUNT = "bench";

    private static Identities identities(Ignite harbor) {
        Identities ids = PtorrentPlugin.of(harbor).identities();
        ids.createAccount(ACCOUNT, AccountRole.MEMBER, null, "operator");
        return ids;
    }

    /** A file with a new join credential of the benchmark's account, for the node {@code name}. */
    private static Path joinTokenFile(Ignite harbor, Path work, String name) {
        try {
            return Files.writeString(work.resolve(name + ".join-token"), identities(harbor).issue(ACCOUNT, CredentialKind.JOIN).token());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static IgniteConfiguration node(String name, Path work, PtorrentPluginConfiguration plugin) {
        return new IgniteConfiguration()
                .setIgniteInstanceName(name)
                .setConsistentId(name)
                .setWorkDirectory(work.resolve(name).toString())
                .setDiscoverySpi(new TcpDiscoverySpi().setLocalAddress("127.0.0.1").setLocalPort(BASE_PORT).setLocalPortRange(9)
                        .setIpFinder(new TcpDiscoveryVmIpFinder().setAddresses(List.of("127.0.0.1:" + BASE_PORT + ".." + (BASE_PORT + 9)))))
                .setCommunicationSpi(new TcpCommunicationSpi().setLocalAddress("127.0.0.1").setLocalPort(BASE_PORT + 100).setLocalPortRange(49))
                .setMetricsLogFrequency(0)
                .setPluginConfigurations(plugin);
    }

    /** Waits until the node has finished starting (its PU benchmark child is gone) and offers its core. */
    private void warmUp() {
        await("the automatic node offers its core", () -> shared() == 1 && workers() == 0);
    }

    /** Baseline: from the harbor-side cancel of a fragment running on the node to its sandbox worker gone. */
    private double cancelTrial() {
        runOneOnNode();
        List<ComputeTaskFuture<?>> fragments = harbor.compute().activeTaskFutures().values().stream()
                .filter(f -> f.getTaskSession().getTaskName().contains("OneNodeTask")).collect(Collectors.toList());
        long t0 = System.nanoTime();
        fragments.forEach(ComputeTaskFuture::cancel);
        await("the cancelled fragment's worker goes", () -> workers() == 0);
        double ms = (System.nanoTime() - t0) / 1e6;
        cancelAll();
        return ms;
    }

    /** {offer gone, worker gone, failed over, resumed} in ms. */
    private double[] handBackTrial() throws IOException {
        runOneOnNode();
        steady.share().sharedCores(2); // now the handed-back fragment has somewhere to go
        int elsewhereBefore = runningElsewhere();
        List<Process> spinners = new ArrayList<>();
        long t0 = System.nanoTime();
        double offer = -1;
        double gone = -1;
        double failedOver = -1;
        try {
            for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
                spinners.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
            }
            while (offer < 0 || gone < 0 || failedOver < 0) {
                double now = (System.nanoTime() - t0) / 1e6;
                if (offer < 0 && shared() == 0) {
                    offer = now;
                }
                if (gone < 0 && workers() == 0) {
                    gone = now;
                }
                if (failedOver < 0 && runningOnNode() == 0 && runningElsewhere() > elsewhereBefore) {
                    failedOver = now;
                }
                if (System.nanoTime() - t0 > TIMEOUT_NANOS) {
                    throw new IllegalStateException("no hand-back within 60 s: offer " + offer + ", worker gone " + gone + ", failed over " + failedOver);
                }
                pause();
            }
        } catch (RuntimeException e) {
            spinners.forEach(Process::destroy);
            throw e;
        }
        // The failed-over fragment computes: its load would count as the owner's. End it before the owner leaves.
        cancelAll();
        spinners.forEach(Process::destroy);
        long t1 = System.nanoTime();
        await("the node offers its core again", () -> shared() == 1);
        double resumed = (System.nanoTime() - t1) / 1e6;
        return new double[] {offer, gone, failedOver, resumed};
    }

    /**
     * Submits a fragment and waits until it runs in a sandbox worker on the automatic node (the steady node
     * shares nothing now). Other load on the machine may make the node hand it back first: it queues, and
     * runs again when the node offers its core.
     */
    private TaskHandle<Integer> runOneOnNode() {
        TaskHandle<Integer> t = client.submit(Closures.spin());
        tasks.add(t);
        await("the fragment runs on the automatic node", () -> {
            if (runningOnNode() != 1 || workers() == 0) {
                return false;
            }
            // Let the worker's start-up (its own CPU, not the owner's) pass before the owner arrives.
            long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (System.nanoTime() < settle) {
                pause();
            }
            return shared() == 1 && runningOnNode() == 1 && workers() > 0;
        });
        return t;
    }

    /**
     * Ends every task from the harbor's side. The client's {@link TaskHandle#cancel()} is not used: in this build
     * it did not reach a running fragment (the fragment kept running for minutes after it).
     */
    private void cancelAll() {
        steady.share().sharedCores(0); // the next fragment can only go to the automatic node
        tasks.clear();
        await("every fragment is gone", () -> {
            harbor.compute().activeTaskFutures().values().forEach(ComputeTaskFuture::cancel);
            return runningOnNode() == 0 && runningElsewhere() == 0 && workers() == 0;
        });
    }

    private GridSnapshot snapshot() {
        return PtorrentPlugin.of(harbor).gridSnapshot();
    }

    private GridSnapshot.NodeInfo auto() {
        return snapshot().nodes().stream().filter(n -> "auto".equals(n.name())).findFirst().orElse(null);
    }

    private int shared() {
        GridSnapshot.NodeInfo n = auto();
        return n == null ? -1 : n.sharedCores();
    }

    private int runningOnNode() {
        GridSnapshot.NodeInfo n = auto();
        return n == null ? 0 : n.runningFragments();
    }

    private int runningElsewhere() {
        return snapshot().nodes().stream().filter(n -> "steady".equals(n.name())).mapToInt(GridSnapshot.NodeInfo::runningFragments).sum();
    }

    /** The automatic node's live child processes: its sandbox workers (or, while starting, its PU benchmark). */
    private long workers() {
        return node.descendants().filter(ProcessHandle::isAlive).count();
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting until " + what);
            }
            pause();
        }
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String row(String what, double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f |%n", what, s.length, s[(s.length - 1) / 2], s[s.length - 1]);
    }
}
