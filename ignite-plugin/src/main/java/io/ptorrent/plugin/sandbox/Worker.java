package io.ptorrent.plugin.sandbox;

import io.ptorrent.client.PtorrentException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One sandbox worker process as the runner sees it: its pipes, its stderr tail, the bundle it serves, and
 * what it has done. Used by one fragment at a time (the pool hands it out); the watchdog thread reads
 * {@link #process} and sets {@link #breach}.
 */
final class Worker {
    static final int STDERR_TAIL_BYTES = 4096;

    final Process process;
    final long pid;
    final int heapMb;
    final Path tmp;
    final TailBuffer stderr = new TailBuffer(STDERR_TAIL_BYTES);
    final DataOutputStream in;
    final DataInputStream out;
    /** Bundle SHA-256 + submitter of the fragments it serves; {@code null} while it is a fresh spare. */
    String key;
    int seq;
    int fragments;
    long idleSinceNanos;
    /** The thread that drains stderr into {@link #stderr}; done when the pipe closes. */
    volatile java.util.concurrent.Future<?> drained;
    /** Set by the watchdog when it killed the worker for a limit; the fragment fails with it. */
    volatile PtorrentException breach;

    private Worker(Process process, int heapMb, Path tmp) {
        this.process = process;
        this.pid = process.pid();
        this.heapMb = heapMb;
        this.tmp = tmp;
        this.in = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 64 * 1024));
        this.out = new DataInputStream(new BufferedInputStream(process.getInputStream(), 64 * 1024));
    }

    /** Starts a worker JVM; it warms up and then waits on stdin for its first fragment. */
    static Worker start(List<String> command, Path tmp, int heapMb) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        // The node's environment may hold secrets (tokens, passwords); the worker gets none of it.
        var env = pb.environment();
        env.clear();
        env.put("PATH", "/usr/bin:/bin");
        env.put("TMPDIR", tmp.toString());
        env.put("LANG", "C.UTF-8");
        return new Worker(pb.start(), heapMb, tmp);
    }

    boolean alive() {
        return process.isAlive();
    }

    /**
     * Whether the worker has child processes now. Read from /proc/&lt;pid&gt;/task/&lt;tid&gt;/children (a few small
     * reads), not {@link ProcessHandle#children()}, which scans every process of the machine.
     */
    boolean hasChildren() {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path t : (Iterable<Path>) threads::iterator) {
                Path children = t.resolve("children");
                if (Files.exists(children) && !Files.readString(children).isBlank()) {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            // No /proc (or the kernel lacks the children file): ask the slow, portable way.
            return process.children().findAny().isPresent();
        }
    }

    /**
     * Kills the worker and everything it started, waits for its exit and removes its temp directory. The
     * descendants are listed while the worker lives (once it dies they are re-parented and out of sight),
     * killed after it, so that it cannot start more in between.
     */
    void kill() {
        List<ProcessHandle> descendants = process.descendants().collect(Collectors.toList());
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        boolean interrupted = Thread.interrupted();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        deleteTree(tmp);
    }

    /** Kills without waiting (the watchdog's way: the fragment's thread does the rest). */
    void destroy() {
        List<ProcessHandle> descendants = process.descendants().collect(Collectors.toList());
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.toList());
            all.sort(Comparator.reverseOrder());
            all.forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            // Best effort: a leftover empty directory in the temp dir is no harm.
        }
    }
}
