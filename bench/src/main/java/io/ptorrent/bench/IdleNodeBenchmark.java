package io.ptorrent.bench;

import io.ptorrent.plugin.launcher.HarborOnlyJars;

import java.io.File;
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
import java.util.stream.Collectors;

/**
 * What an idle contributor costs its household: resident memory and CPU, measured from /proc while the node
 * sits joined to a harbor with nothing to do. Baseline in the same run: a plain Ignite client node with the
 * same JVM options and the same outbound-only shape, without ptorrent on its class path.
 *
 * <p>Every node is its own JVM process, started as {@code bin/ptorrent} starts one (same heap and GC flags).
 * Usage: {@code IdleNodeBenchmark <repo dir> [settle seconds] [measure seconds]}.
 */
public final class IdleNodeBenchmark {
    private static final int DISCOVERY = 49950;
    private static final int PLAIN_DISCOVERY = DISCOVERY + 10;

    /** A join credential for the idle node, issued by the harbor's operator (its key is in the harbor's work directory). */
    private static Path joinToken(Path work, String thinAddress) throws IOException {
        String operatorKey = Files.readString(work.resolve("harbor").resolve(io.ptorrent.plugin.PtorrentPluginConfiguration.OPERATOR_KEY_FILE)).strip();
        try (io.ptorrent.client.PtorrentClient op = io.ptorrent.client.PtorrentClient.connect(new io.ptorrent.client.PtorrentClientOptions()
                .addresses(thinAddress).apiKey(io.ptorrent.plugin.security.Identities.OPERATOR_ACCOUNT, operatorKey))) {
            op.createAccount("idle", "member", null, true);
            return Files.writeString(work.resolve("idle.join-token"), op.issueCredential("idle", "join").issued().token());
        }
    }
    /** bin/ptorrent's JVM options for a node. */
    private static final List<String> NODE_OPTS = List.of("-Xms32m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Djava.net.preferIPv4Stack=true", "-DIGNITE_QUIET=true", "-DIGNITE_NO_ASCII=true", "-DIGNITE_UPDATE_NOTIFIER=false");

    private IdleNodeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        int settle = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int measure = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        Path work = Files.createTempDirectory("ptorrent-idle-");
        String cp = System.getProperty("java.class.path");
        // Without ptorrent's jars the plugin is not found: the baseline is plain Ignite.
        // Neither node gets Ignite's Calcite engine, which a contributor does not load either (bin/ptorrent node).
        String nodeCp = HarborOnlyJars.contributorClassPath(cp);
        String plainCp = Arrays.stream(nodeCp.split(File.pathSeparator))
                .filter(e -> !e.contains("ptorrent-") && !e.contains(File.separator + "ignite-plugin" + File.separator)
                        && !e.contains(File.separator + "web-console" + File.separator) && !e.contains(File.separator + "client-thin" + File.separator))
                .collect(Collectors.joining(File.pathSeparator));
        List<Process> all = new ArrayList<>();
        try {
            Process harbor = start(all, cp, work.resolve("harbor.log"), "io.ptorrent.plugin.launcher.Launcher", "harbor",
                    "--config", repo.resolve("config/harbor.xml").toString(), "--work-dir", work.resolve("harbor").toString(),
                    "--discovery-port", "" + DISCOVERY, "--communication-port", "" + (DISCOVERY + 1), "--thin-port", "" + (DISCOVERY + 2),
                    "--console-port", "0");
            waitFor(work.resolve("harbor.log"), "is up", harbor);
            Path joinToken = joinToken(work, "127.0.0.1:" + (DISCOVERY + 2));
            Process node = start(all, nodeCp, work.resolve("node.log"), "io.ptorrent.plugin.launcher.Launcher", "node",
                    "--config", repo.resolve("config/household-node.xml").toString(), "--name", "idle", "--work-dir", work.resolve("idle").toString(),
                    "--harbor-address", "127.0.0.1:" + DISCOVERY, "--no-automatic", "--join-token-file", joinToken.toString());
            waitFor(work.resolve("node.log"), "joined harbor", node);
            // A plain Ignite node cannot join a ptorrent harbor (it has no credential): the baseline joins a plain server.
            Process plainServer = start(all, plainCp, work.resolve("plain-server.log"), PlainClientNode.class.getName(), "server", "" + PLAIN_DISCOVERY);
            waitFor(work.resolve("plain-server.log"), "plain server node up", plainServer);
            Process plain = start(all, plainCp, work.resolve("plain.log"), PlainClientNode.class.getName(), "127.0.0.1:" + PLAIN_DISCOVERY);
            waitFor(work.resolve("plain.log"), "plain client node up", plain);

            TimeUnit.SECONDS.sleep(settle); // let start-up work (JIT, first metrics exchange) pass
            long[] nodeBefore = ticks(node.pid());
            long[] plainBefore = ticks(plain.pid());
            long t0 = System.nanoTime();
            TimeUnit.SECONDS.sleep(measure);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long[] nodeAfter = ticks(node.pid());
            long[] plainAfter = ticks(plain.pid());
            double hz = 100.0; // USER_HZ on Linux
            String table = "| node | RSS MiB | CPU % of one core |\n|---|---|---|\n"
                    + row("plain Ignite client node, defaults, outbound only (baseline)", rssMib(plain.pid()), (plainAfter[0] - plainBefore[0]) / hz / seconds * 100)
                    + row("ptorrent contributor (household-node.xml, idle, automatic mode off)", rssMib(node.pid()), (nodeAfter[0] - nodeBefore[0]) / hz / seconds * 100);
            System.out.println(table);
            BenchmarkReport.write("idle-node", "An idle contributor's memory and CPU (issue 3)",
                    "./mvnw -q install -DskipTests && ./mvnw -q -pl bench exec:exec -Dbench.main=io.ptorrent.bench.IdleNodeBenchmark -Dbench.args=\"" + repo + " " + settle + " " + measure + "\"",
                    "On " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                            + ". Each node in its own JVM with bin/ptorrent's options (" + String.join(" ", NODE_OPTS.subList(0, 4)) + "), joined to one harbor on loopback; "
                            + settle + " s to settle, then RSS (VmRSS) and CPU (utime+stime) over " + measure + " s. Aims: ≤ 150 MiB and ≤ 1% of a core.\n\n" + table);
        } finally {
            for (Process p : all) {
                p.destroy();
            }
            for (Process p : all) {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private static String row(String what, double rss, double cpu) {
        return String.format(Locale.ROOT, "| %s | %.0f | %.2f |%n", what, rss, cpu);
    }

    private static Process start(List<Process> all, String cp, Path log, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(NODE_OPTS);
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("--add-opens")).forEach(cmd::add);
        cmd.addAll(List.of("-cp", cp, main));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        all.add(p);
        return p;
    }

    private static void waitFor(Path log, String line, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("a node exited; see " + log + ":\n" + Files.readString(log));
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new IllegalStateException("no '" + line + "' in " + log + " within 120 s");
    }

    /** utime + stime of a process, clock ticks. */
    private static long[] ticks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12])};
    }

    private static double rssMib(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }
}
