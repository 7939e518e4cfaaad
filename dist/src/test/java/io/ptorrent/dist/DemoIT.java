package io.ptorrent.dist;

import io.ptorrent.plugin.testing.JobJars;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * bin/ptorrent as a user runs it: {@code demo} brings up a harbor and two contributor JVMs, {@code submit}
 * and {@code grid} talk to it, Ctrl-C (SIGINT/SIGTERM) stops every process it started. Test ports, so
 * that it passes beside a running grid.
 */
class DemoIT {
    private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    private static final int DISCOVERY = 48800;
    private static final int COMMUNICATION = 48801;
    private static final int THIN = 48802;
    private static final int CONSOLE = 48803;

    @TempDir
    Path work;

    private Process demo;

    @AfterEach
    void killDemo() throws InterruptedException {
        if (demo != null && demo.isAlive()) {
            demo.descendants().forEach(ProcessHandle::destroyForcibly);
            demo.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theDemoRunsAGridThatTakesTasksAndStopsCleanly() throws Exception {
        Path demoOut = work.resolve("demo.out");
        demo = ptorrent(demoOut, "demo", "--work-dir", work.resolve("grid").toString(),
                "--discovery-port", "" + DISCOVERY, "--communication-port", "" + COMMUNICATION,
                "--thin-port", "" + THIN, "--console-port", "" + CONSOLE);

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> read(demoOut).contains("Press Ctrl-C") || !demo.isAlive());
        String out = read(demoOut);
        assertThat(demo.isAlive()).as(out).isTrue();
        assertThat(out).contains("The grid is up: 1 harbor, 2 contributor node(s).")
                .containsPattern("pi = 3\\.1[34]")
                .containsPattern("carol +balance").containsPattern("alice +balance").containsPattern("bob +balance")
                .contains("Console:  https://localhost:" + CONSOLE + "/")
                .contains("How they authenticate");
        // Each node logs under its own work directory, and the demo says where.
        for (String who : List.of("harbor", "alice", "bob")) {
            Path log = work.resolve("grid").resolve(who).resolve("log").resolve("ptorrent.0.log");
            assertThat(out).containsPattern(who + ": +" + java.util.regex.Pattern.quote(log.toString()));
            assertThat(log).isNotEmptyFile();
        }
        // Generated credentials, readable by their owner only.
        for (String who : List.of("carol", "alice", "bob")) {
            assertThat(Files.getPosixFilePermissions(Path.of(key(who))))
                    .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        }
        // Nodes, not the contributors' sandbox workers (java processes too).
        List<ProcessHandle> nodes = demo.descendants().filter(p -> p.info().command().orElse("").endsWith("java"))
                .filter(p -> !commandLine(p).contains("io.ptorrent.plugin.sandbox.SandboxWorkerMain")).toList();
        assertThat(nodes).hasSize(3);
        List<ProcessHandle> contributors = nodes.stream().filter(p -> commandLine(p).contains("node")).toList();
        assertThat(contributors).hasSize(2);
        for (ProcessHandle c : contributors) {
            assertThat(ListeningSockets.of(c.pid())).as("listening sockets of contributor " + c.pid()).isEmpty();
        }

        // carol is charged for her task; alice and bob are paid for what their nodes did.
        String harbor = "127.0.0.1:" + THIN;
        // Every port speaks TLS; the demo made its development CA in its work directory.
        String ca = work.resolve("grid").resolve("tls").resolve("ca.pem").toString();
        assertThat(out).contains("--tls-trust " + ca);
        double carolBefore = number(succeeds("balance", "--account", "carol", "--key-file", key("carol"), "--harbor", harbor, "--tls-trust", ca), "balance");
        double earnedBefore = number(succeeds("balance", "--account", "alice", "--key-file", key("alice"), "--harbor", harbor, "--tls-trust", ca), "earned")
                + number(succeeds("balance", "--account", "bob", "--key-file", key("bob"), "--harbor", harbor, "--tls-trust", ca), "earned");
        String submitted = succeeds("submit", "--example", "pi", "--harbor", harbor, "--account", "carol", "--key-file", key("carol"), "--tls-trust", ca);
        assertThat(submitted).containsPattern("pi: 3\\.1[34]").contains("ran on 2 contributor node(s)").contains("credit spent");
        double spent = number(submitted, "credit spent");
        String alice = succeeds("balance", "--account", "alice", "--key-file", key("alice"), "--harbor", harbor, "--tls-trust", ca);
        String bob = succeeds("balance", "--account", "bob", "--key-file", key("bob"), "--harbor", harbor, "--tls-trust", ca);
        assertThat(spent).isPositive();
        assertThat(number(succeeds("balance", "--account", "carol", "--key-file", key("carol"), "--harbor", harbor, "--tls-trust", ca), "balance")).isCloseTo(carolBefore - spent, within(0.0015));
        assertThat(number(alice, "earned")).as(alice).isPositive();
        assertThat(number(bob, "earned")).as(bob).isPositive();
        assertThat(number(alice, "earned") + number(bob, "earned") - earnedBefore).isCloseTo(spent, within(0.0015));
        // A job of carol's own jar: a Function applied on a contributor; code the verifier rejects exits with 3.
        Path jar = JobJars.build(work, "jobs.jar", JobJars.SAMPLE);
        String shouted = succeeds("submit", "--jar", jar.toString(), "--class", "jobs.Shout", "--arg", "demo", "--harbor", harbor, "--account", "carol", "--key-file", key("carol"), "--tls-trust", ca);
        assertThat(shouted).contains("result: DEMO!").contains("credit spent");
        Path rejectedOut = work.resolve("rejected.out");
        Process rejected = ptorrent(rejectedOut, "submit", "--jar", jar.toString(), "--class", "jobs.ReadsFile", "--harbor", harbor, "--account", "carol", "--key-file", key("carol"), "--tls-trust", ca);
        assertThat(rejected.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(rejected.exitValue()).as(read(rejectedOut)).isEqualTo(3);
        assertThat(read(rejectedOut)).contains("BUNDLE_REJECTED").contains("jobs.ReadsFile.call()").contains("rule 'files'");
        assertThat(succeeds("grid", "--console", "https://127.0.0.1:" + CONSOLE, "--tls-trust", ca))
                .contains("1 harbor(s), 2 contributor(s)").contains("harbor default: 2 contributor(s)").contains("alice").contains("bob");
        assertThat(succeeds("estimate", "--work-pu", "100", "--console", "https://127.0.0.1:" + CONSOLE, "--tls-trust", ca))
                // The price is the market's of the moment (base × demand ÷ supply, recomputed every ratio interval): a slow
                // run crosses an interval, so the figure is not fixed — only its form.
                .contains("100.0 PU-seconds: wait").containsPattern("cost [0-9]+\\.[0-9]{2} credits");
        // A household looks at its node's journal while the node runs.
        assertThat(succeeds("node", "journal", "--work-dir", work.resolve("grid").resolve("alice").toString()))
                .containsPattern("[1-9][0-9]* fragment run\\(s\\)").contains("carol").doesNotContain("SLF4J");

        demo.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the JVM's shutdown hooks run either way
        assertThat(demo.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(read(demoOut)).contains("Stopped 3 process(es).");
        for (ProcessHandle node : nodes) {
            assertThat(node.isAlive()).as("node process " + node.pid() + " still runs").isFalse();
        }
    }

    @Test
    void aMissingConfigExitsWith2AndNamesTheFile() throws Exception {
        Path out = work.resolve("harbor.out");
        Process p = ptorrent(out, "harbor", "--config", "no/such/harbor.xml");

        assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(read(out)).contains("no/such/harbor.xml").contains("does not exist");
    }

    /** The API key file the demo generated for {@code who}. */
    private String key(String who) {
        return work.resolve("grid").resolve("credentials").resolve(who + ".api-key").toString();
    }

    /** The number after {@code label} in a CLI line, e.g. "earned 1.234". */
    private static double number(String text, String label) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(label) + " (-?[0-9]+\\.[0-9]+)").matcher(text);
        assertThat(m.find()).as("'" + label + " N' in: " + text).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** Runs a bin/ptorrent command to its end, checks it exits 0, and returns what it printed. */
    private String succeeds(String... args) throws Exception {
        Path out = work.resolve(args[0] + "-" + System.nanoTime() + ".out");
        Process p = ptorrent(out, args);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as(String.join(" ", args) + " ended").isTrue();
        assertThat(p.exitValue()).as(read(out)).isZero();
        return read(out);
    }

    private Process ptorrent(Path output, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(HOME.resolve("bin/ptorrent").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().put("PTORRENT_NO_BUILD", "1"); // Maven built it already; never a build inside the build
        return pb.start();
    }

    /** A process's arguments from /proc (ProcessHandle.Info drops them for long command lines). */
    private static List<String> commandLine(ProcessHandle p) {
        try {
            return List.of(Files.readString(Path.of("/proc", String.valueOf(p.pid()), "cmdline")).split("\0"));
        } catch (IOException gone) {
            return List.of();
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
