package io.ptorrent.plugin.testing;

import io.ptorrent.plugin.launcher.HarborOnlyJars;
import io.ptorrent.plugin.launcher.Launcher;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * One ptorrent node in its own JVM, started through the launcher exactly as {@code bin/ptorrent harbor} or
 * {@code bin/ptorrent node} starts one (the same JVM options, the contributor without the harbor-only jars),
 * for tests and benchmarks where a kill is the point. Its output goes to a log file of its own (give each
 * start a new one), which the failure messages quote.
 *
 * <p>{@link #kill()} is SIGKILL (no shutdown hook runs: what a power cut or {@code kill -9} does);
 * {@link #close()} stops the node the way Ctrl-C does and kills it if it does not stop.
 */
public final class NodeProcess implements AutoCloseable {
    /** bin/ptorrent's JVM options (its heap apart). */
    private static final List<String> JVM_OPTS = List.of("-Xms32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Djava.net.preferIPv4Stack=true", "-DIGNITE_QUIET=true", "-DIGNITE_NO_ASCII=true", "-DIGNITE_UPDATE_NOTIFIER=false",
            "-DIGNITE_PERFORMANCE_SUGGESTIONS_DISABLED=true");

    private final String name;
    private final Path log;
    private final Process process;
    private final String banner;

    private NodeProcess(String name, Path log, Process process, String banner) {
        this.name = name;
        this.log = log;
        this.process = process;
        this.banner = banner;
    }

    /**
     * Starts {@code bin/ptorrent harbor --name NAME ARGS...} in a new JVM; returns at once ({@link #awaitUp}).
     *
     * @param jvmOptions more JVM options (a GC log, a larger heap)
     */
    public static NodeProcess harbor(String name, int heapMb, List<String> jvmOptions, List<String> args, Path log) {
        return start(name, "harbor", heapMb, jvmOptions, args, log, System.getProperty("java.class.path"),
                "ptorrent harbor '" + name + "' is up");
    }

    /** Starts {@code bin/ptorrent node --name NAME ARGS...} in a new JVM, without the harbor-only jars; returns at once. */
    public static NodeProcess contributor(String name, int heapMb, List<String> args, Path log) {
        return contributor(name, heapMb, List.of(), args, log);
    }

    /** As {@link #contributor(String, int, List, Path)}, with more JVM options (a benchmark's {@code -D} property). */
    public static NodeProcess contributor(String name, int heapMb, List<String> jvmOptions, List<String> args, Path log) {
        return start(name, "node", heapMb, jvmOptions, args, log, HarborOnlyJars.contributorClassPath(System.getProperty("java.class.path")),
                "ptorrent node '" + name + "' joined harbor");
    }

    private static NodeProcess start(String name, String command, int heapMb, List<String> jvmOptions, List<String> args, Path log,
                                     String classPath, String banner) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM_OPTS);
        cmd.add("-Xmx" + heapMb + "m");
        cmd.addAll(jvmOptions);
        // The --add-opens Ignite needs on Java 17 (FACTS.md), as this JVM was given them.
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("--add-opens")).forEach(cmd::add);
        cmd.addAll(List.of("-cp", classPath, Launcher.class.getName(), command, "--name", name));
        cmd.addAll(args);
        // Plain TCP like TestGrid's nodes (bin/ptorrent's default is TLS); TLS has tests of its own (TlsGridIT, DemoIT).
        cmd.add("--no-tls");
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.remove("PTORRENT_JAVA_OPTS");
            return new NodeProcess(name, log, pb.start(), banner);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command + " " + name + ": " + e.getMessage(), e);
        }
    }

    /** Waits until the node printed its banner (harbor up, node joined); fails with the log if it exits first. */
    public NodeProcess awaitUp(Duration atMost) {
        await("node " + name + " up (log " + log + ")").atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("node " + name + " exited with " + process.exitValue() + " before it was up:\n" + tail());
            }
            return read().contains(banner);
        });
        return this;
    }

    /** SIGKILL: the JVM ends at once, no shutdown hook runs. Waits until it is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("node " + name + " (pid " + process.pid() + ") survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The process's handle (its children: a contributor's sandbox workers). */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    public Path logFile() {
        return log;
    }

    /** The last lines of the log, for a failure message. */
    public String tail() {
        String text = read();
        return text.length() > 6_000 ? "…" + text.substring(text.length() - 6_000) : text;
    }

    /** SIGTERM (what Ctrl-C does: shutdown hooks run), then SIGKILL if it is still there after 30 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private String read() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
