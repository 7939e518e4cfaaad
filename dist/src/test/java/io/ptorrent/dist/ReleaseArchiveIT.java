package io.ptorrent.dist;

import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.plugin.PtorrentPluginConfiguration;
import io.ptorrent.plugin.security.Identities;
import io.ptorrent.plugin.security.internal.SecretFiles;
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
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The release as an operator and a household get it: {@code ptorrent-<version>.tar.gz} (built by this module's
 * package phase) unpacked into an empty folder, far from the source tree, runs a harbor and a contributor node with
 * its own {@code bin/ptorrent} — no Maven, no build — and each node writes its log file. Ports 55000–55003.
 */
class ReleaseArchiveIT {
    private static final int DISCOVERY = 55000;
    private static final int COMMUNICATION = 55001;
    private static final int THIN = 55002;
    private static final int CONSOLE = 55003;

    @TempDir
    Path temp;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (int i = started.size() - 1; i >= 0; i--) {
            Process p = started.get(i);
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theUnpackedArchiveRunsAHarborAndANodeThatLogToTheirWorkDirectories() throws Exception {
        Path home = unpack(archive());
        Path run = Files.createDirectories(temp.resolve("run")); // an empty folder: no config/, no sources, no mvnw
        Path bin = home.resolve("bin").resolve("ptorrent");

        String version = succeeds(bin, run, "--version");
        assertThat(version).startsWith("ptorrent ").containsPattern("\\((commit [0-9a-f]{7,}.*|unknown commit)\\)");
        assertThat(Files.readString(home.resolve("ptorrent-completion.bash"))).contains("complete -F _complete_ptorrent");

        Path harborOut = run.resolve("harbor.out");
        Process harbor = ptorrent(bin, run, harborOut, "harbor", "--work-dir", "work/harbor", "--discovery-port", "" + DISCOVERY,
                "--communication-port", "" + COMMUNICATION, "--thin-port", "" + THIN, "--console-port", "" + CONSOLE, "--tls-dir", "work/tls");
        Path harborLog = run.resolve("work/harbor/log/ptorrent.0.log");
        awaitLine(harbor, harborOut, "is up");
        assertThat(read(harborOut)).contains("log: " + harborLog)
                // the terminal: warnings and the start-up line, not Ignite's INFO lines nor its logging-config complaint
                .doesNotContain("][INFO][").doesNotContain("Failed to resolve default logging config file").doesNotContain("building");
        assertThat(harborLog).isNotEmptyFile();
        assertThat(Files.readString(harborLog)).contains("INFO [org.apache.ignite").contains("INFO [io.ptorrent.plugin.PtorrentPluginProvider]");

        Path ca = run.resolve("work/tls/ca.pem");
        Path joinToken = run.resolve("dave.join-token");
        issueJoinCredential(run.resolve("work/harbor").resolve(PtorrentPluginConfiguration.OPERATOR_KEY_FILE), ca, "dave", joinToken);

        Path nodeOut = run.resolve("node.out");
        Process node = ptorrent(bin, run, nodeOut, "node", "--name", "dave", "--account", "dave", "--join-token-file", joinToken.toString(),
                "--work-dir", "work/dave", "--harbor-address", "127.0.0.1:" + DISCOVERY, "--tls-trust", ca.toString(), "--no-automatic");
        awaitLine(node, nodeOut, "joined harbor");
        Path nodeLog = run.resolve("work/dave/log/ptorrent.0.log");
        // The start-up line says how the sandbox is confined on this machine and where the log is.
        assertThat(read(nodeOut)).contains("ptorrent node 'dave' joined harbor 'default'").contains("sandbox workers run")
                .contains("log: " + nodeLog).doesNotContain("][INFO][");
        assertThat(nodeLog).isNotEmptyFile();
        assertThat(Files.readString(nodeLog)).contains("INFO [io.ptorrent.plugin.PtorrentPluginProvider]").contains("sandbox workers run");

        // A client command from the archive sees the contributor in the harbor's grid.
        assertThat(succeeds(bin, run, "grid", "--console", "https://127.0.0.1:" + CONSOLE, "--tls-trust", ca.toString()))
                .contains("1 harbor(s), 1 contributor(s)").contains("dave");

        // SIGTERM (as Ctrl-C): the node's stop still reaches its log (JUL's own shutdown hook would close the file first).
        node.destroy();
        assertThat(node.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(Files.readString(nodeLog)).contains("Invoking shutdown hook").contains("stopped OK");
        harbor.destroy();
        assertThat(harbor.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(Files.readString(harborLog)).contains("stopped OK");
    }

    /** The one release archive this module's package phase built. */
    private static Path archive() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            List<Path> archives = files.filter(f -> f.getFileName().toString().matches("ptorrent-.+\\.tar\\.gz")).toList();
            assertThat(archives).as("release archives in dist/target").hasSize(1);
            return archives.get(0).toAbsolutePath();
        }
    }

    /** Unpacks with tar, as a user does, and returns the archive's one top folder. */
    private Path unpack(Path archive) throws Exception {
        Path into = Files.createDirectories(temp.resolve("unpacked"));
        Process tar = new ProcessBuilder("tar", "xzf", archive.toString(), "-C", into.toString()).inheritIO().start();
        assertThat(tar.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(tar.exitValue()).isZero();
        try (Stream<Path> top = Files.list(into)) {
            List<Path> folders = top.toList();
            assertThat(folders).hasSize(1);
            assertThat(folders.get(0).getFileName().toString()).startsWith("ptorrent-");
            return folders.get(0);
        }
    }

    /** What the demo does: the operator creates the household's account and a join credential for its node. */
    private static void issueJoinCredential(Path operatorKey, Path ca, String who, Path out) {
        try (PtorrentClient operator = PtorrentClient.connect(new PtorrentClientOptions().addresses("127.0.0.1:" + THIN)
                .apiKey(Identities.OPERATOR_ACCOUNT, SecretFiles.read(operatorKey)).tlsTrust(ca))) {
            operator.createAccount(who, "member", null, true); // with an API key, unused here
            SecretFiles.replace(out, operator.issueCredential(who, "join").issued().token());
        }
    }

    private static void awaitLine(Process p, Path out, String line) throws IOException {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> read(out).contains(line) || !p.isAlive());
        assertThat(p.isAlive()).as(read(out)).isTrue();
    }

    private String succeeds(Path bin, Path dir, String... args) throws Exception {
        Path out = temp.resolve(args[0].replace("-", "") + "-" + System.nanoTime() + ".out");
        Process p = ptorrent(bin, dir, out, args);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as(String.join(" ", args) + " ended").isTrue();
        assertThat(p.exitValue()).as(read(out)).isZero();
        return read(out);
    }

    /** bin/ptorrent of the unpacked archive, run in {@code dir}; PTORRENT_NO_BUILD unset: the archive must not try to build. */
    private Process ptorrent(Path bin, Path dir, Path output, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(bin.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().remove("PTORRENT_NO_BUILD");
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
