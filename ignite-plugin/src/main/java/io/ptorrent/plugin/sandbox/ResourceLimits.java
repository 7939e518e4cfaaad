package io.ptorrent.plugin.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Operating-system limits for a worker process through util-linux {@code prlimit}, where it exists and
 * works (checked once per JVM, by starting a JVM under the limits).
 *
 * <p>Which limits, and why not others:
 * <ul>
 * <li>{@code --nofile=64}: a worker JVM needs about 15 descriptors; the rest is room for the closure.</li>
 * <li>{@code --fsize=0}: no file can grow past zero bytes; the JVM ignores SIGXFSZ, so a write fails with
 *     an IOException ("File too large") instead of killing the worker.</li>
 * <li>{@code --core=0}: no core dumps of strangers' memory.</li>
 * <li>{@code --cpu}: a CPU-seconds backstop (SIGKILL) should the runner's watchdog ever miss. It counts a
 *     worker's whole life, so the runner retires a reused worker before its next fragment could reach it.</li>
 * <li>No {@code --nproc}: RLIMIT_NPROC counts every process and thread of the user's uid on the whole
 *     machine, not of the worker, so any useful value breaks the JVM of a household user who runs a
 *     browser; and root ignores it. No {@code --as}: the JVM reserves far more address space than it uses.</li>
 * </ul>
 */
final class ResourceLimits {
    static final int MAX_OPEN_FILES = 64;
    /** CPU seconds for JVM start-up, JIT and GC on top of the fragment's own time. */
    private static final long CPU_SLACK_SECONDS = 30;

    private ResourceLimits() {
    }

    /** The command prefix that applies the limits, or an empty list where prlimit is missing or fails. */
    static List<String> prefix(Duration wallClock) {
        return Probe.PRLIMIT.map(prlimit -> command(prlimit, cpuSeconds(wallClock))).orElse(List.of());
    }

    /** Whether workers run under prlimit on this machine. */
    static boolean active() {
        return Probe.PRLIMIT.isPresent();
    }

    /** The CPU-seconds backstop for a worker whose fragments run at most {@code wallClock} each. */
    static long cpuSeconds(Duration wallClock) {
        long seconds = Math.max(1, (wallClock.toMillis() + 999) / 1000);
        // Every core may burn the whole wall-clock time.
        return seconds * Runtime.getRuntime().availableProcessors() + CPU_SLACK_SECONDS;
    }

    private static List<String> command(Path prlimit, long cpuSeconds) {
        List<String> cmd = new ArrayList<>();
        cmd.add(prlimit.toString());
        cmd.add("--nofile=" + MAX_OPEN_FILES + ":" + MAX_OPEN_FILES);
        cmd.add("--fsize=0:0");
        cmd.add("--core=0:0");
        cmd.add("--cpu=" + cpuSeconds + ":" + cpuSeconds);
        cmd.add("--");
        return cmd;
    }

    /** Lazy holder: the probe runs once, on first use. */
    private static final class Probe {
        static final Optional<Path> PRLIMIT = HostTools.find("prlimit").filter(prlimit -> HostTools.javaRunsUnder(command(prlimit, CPU_SLACK_SECONDS)));
    }
}
