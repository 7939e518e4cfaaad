package io.ptorrent.plugin.sandbox;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.SerializableCallable;
import io.ptorrent.client.bundle.Bundle;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs submitted closures outside the node's JVM, one fresh worker process per fragment.
 *
 * <p>Design note. The worker ({@link SandboxWorkerMain}) is a {@code java} of this JVM's
 * {@code java.home} with a class path of only two code locations: this module's and client-thin's (never
 * Ignite's jars), a small heap ({@link SandboxOptions#heapMb()}), serial GC, C1 only, a 512 KiB thread
 * stack, no perf-data file, a fresh temp directory as working and {@code java.io.tmpdir} directory, an
 * empty environment, and OS limits through prlimit where it works ({@link ResourceLimits}). The fragment
 * (bundle + closure) goes in on stdin, the answer comes back on stdout in the {@link WorkerProtocol};
 * stderr is drained into a 4 KiB tail for failure messages. The runner never deserializes anything the
 * worker says: the result goes back as raw bytes.
 *
 * <p>Limits: the wall-clock limit {@code min(timeout, options.timeout())} starts once the worker JVM is up
 * (start-up has its own limit of {@link #STARTUP_LIMIT}); on breach the worker and everything it started
 * are killed. Results above {@link SandboxOptions#maxResultBytes()} are refused without being read.
 * Whatever happens, when {@link #run} returns the worker process is gone.
 *
 * <p>Thread-safe: any number of fragments may run at once, each on its caller's thread plus two I/O
 * threads from a shared pool.
 */
public final class SandboxRunner implements AutoCloseable {
    /** How long a worker JVM may take to start and read its input before the node gives up on it. */
    static final Duration STARTUP_LIMIT = Duration.ofSeconds(30);
    private static final int STDERR_TAIL_BYTES = 4096;
    private static final int STDERR_IN_MESSAGE = 1500;
    /** Codes a worker may report; anything else it says is treated as a broken worker. */
    private static final Set<String> WORKER_CODES = Set.of(ErrorCode.FRAGMENT_FAILED.name(), ErrorCode.BUNDLE_INVALID.name(),
            ErrorCode.CLOSURE_REJECTED.name(), ErrorCode.RESULT_TOO_LARGE.name(), ErrorCode.BAD_REQUEST.name());

    private final SandboxOptions options;
    private final List<String> classPath;
    private final Set<Process> live = ConcurrentHashMap.newKeySet();
    private final ExecutorService io;
    private volatile boolean closed;

    /**
     * @throws IllegalStateException if the worker's code locations cannot be found (a broken installation)
     */
    public SandboxRunner(SandboxOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.classPath = List.copyOf(new LinkedHashSet<>(List.of(codeLocation(SandboxWorkerMain.class), codeLocation(SerializableCallable.class))));
        AtomicInteger threads = new AtomicInteger();
        this.io = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ptorrent-sandbox-io-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs one fragment in a worker process and returns the closure's result, Java-serialized by the
     * worker. The bytes are not deserialized here: the node never deserializes a stranger's objects.
     * Blocks the calling thread until the worker answered or was killed.
     *
     * @param bundle  the verified bundle holding the closure's classes
     * @param closure the Java-serialized {@code SerializableCallable}
     * @param timeout wall-clock limit for this fragment (capped by {@link SandboxOptions#timeout()};
     *                a non-positive value means the cap)
     * @throws PtorrentException FRAGMENT_FAILED (the closure threw, ran out of heap or stack, called
     *                           System.exit), FRAGMENT_TIMEOUT, RESULT_TOO_LARGE, CLOSURE_REJECTED or
     *                           BUNDLE_INVALID (the closure could not be read), TASK_CANCELLED (the calling
     *                           thread was interrupted), INTERNAL (the worker could not start or died)
     */
    public byte[] run(Bundle bundle, byte[] closure, Duration timeout) {
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(closure, "closure");
        Duration limit = timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(options.timeout()) > 0
                ? options.timeout() : timeout;
        if (closed) {
            throw new PtorrentException(ErrorCode.INTERNAL, "the sandbox is closed: the node is stopping");
        }
        Path tmp = createTempDirectory();
        try {
            Process worker = start(tmp, limit);
            live.add(worker);
            try {
                return exchange(worker, bundle, closure, limit);
            } finally {
                kill(worker);
                live.remove(worker);
            }
        } finally {
            deleteTree(tmp);
        }
    }

    /** Process ids of the workers running now (the node's own load, as the owner-activity monitor counts it). */
    public Set<Long> workerPids() {
        Set<Long> pids = new java.util.HashSet<>();
        for (Process p : live) {
            pids.add(p.pid());
        }
        return pids;
    }

    public SandboxOptions options() {
        return options;
    }

    /** Kills every live worker; later {@link #run} calls fail with INTERNAL. Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (Process p : live) {
            kill(p);
        }
        io.shutdownNow();
    }

    private byte[] exchange(Process worker, Bundle bundle, byte[] closure, Duration limit) {
        TailBuffer stderr = new TailBuffer(STDERR_TAIL_BYTES);
        Future<?> drained = io.submit(() -> stderr.drain(worker.getErrorStream()));
        CountDownLatch ready = new CountDownLatch(1);
        Future<WorkerProtocol.Answer> answer = io.submit(() -> {
            try {
                WorkerProtocol.writeInput(new DataOutputStream(worker.getOutputStream()), options.maxResultBytes(), bundle.classes(), closure);
                return WorkerProtocol.readAnswer(new DataInputStream(worker.getInputStream()), options.maxResultBytes(), ready::countDown);
            } catch (IOException e) {
                return new WorkerProtocol.NoAnswer("the worker did not take its input: " + e.getMessage());
            } finally {
                ready.countDown();
            }
        });
        WorkerProtocol.Answer a;
        try {
            if (!ready.await(STARTUP_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                answer.cancel(true);
                throw new PtorrentException(ErrorCode.INTERNAL, "the sandbox worker did not start within " + STARTUP_LIMIT.toSeconds()
                        + " s" + stderrTail(worker, stderr, drained));
            }
            a = answer.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new PtorrentException(ErrorCode.FRAGMENT_TIMEOUT, "the fragment ran longer than " + describe(limit) + " and was stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.cancel(true);
            throw new PtorrentException(ErrorCode.TASK_CANCELLED, "the fragment was cancelled while it ran");
        } catch (ExecutionException e) {
            throw new PtorrentException(ErrorCode.INTERNAL, "talking to the sandbox worker failed: " + e.getCause(), e.getCause());
        }
        if (a instanceof WorkerProtocol.Ok ok) {
            return ok.result();
        }
        if (a instanceof WorkerProtocol.TooLarge tooLarge) {
            throw new PtorrentException(ErrorCode.RESULT_TOO_LARGE, "the closure's serialized result has " + tooLarge.length()
                    + " bytes; the sandbox accepts at most " + options.maxResultBytes());
        }
        if (a instanceof WorkerProtocol.Failed failed) {
            ErrorCode code = WORKER_CODES.contains(failed.code()) ? ErrorCode.valueOf(failed.code()) : ErrorCode.INTERNAL;
            throw new PtorrentException(code, failed.message());
        }
        String why = ((WorkerProtocol.NoAnswer) a).why();
        throw new PtorrentException(ErrorCode.INTERNAL, "the sandbox worker died without an answer (" + why + ")" + stderrTail(worker, stderr, drained));
    }

    /** Waits briefly for a dead or dying worker's exit and stderr, and says what they were. */
    private static String stderrTail(Process worker, TailBuffer stderr, Future<?> drained) {
        String exit = "";
        try {
            // Its output ended, so it is most likely exiting: an exit code of its own says more than our kill's.
            if (worker.waitFor(2, TimeUnit.SECONDS)) {
                int code = worker.exitValue();
                exit = "; exit code " + code + (code == 137 ? " (killed from outside: out of machine memory or CPU time?)" : "");
            }
            kill(worker);
            drained.get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // A grandchild may still hold the pipe; the tail read so far will do.
        }
        String tail = stderr.tail(STDERR_IN_MESSAGE);
        return exit + (tail.isEmpty() ? "" : "; its stderr ends with: " + tail);
    }

    private Process start(Path tmp, Duration limit) {
        List<String> cmd = new ArrayList<>(ResourceLimits.prefix(limit));
        cmd.add(javaExecutable().toString());
        cmd.add("-Xmx" + options.heapMb() + "m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Xss512k");
        cmd.add("-XX:-UsePerfData");
        // Off-heap memory gets caps of its own, so that -Xmx is close to the worker's real footprint.
        cmd.add("-XX:MaxMetaspaceSize=" + Math.max(32, options.heapMb() / 2) + "m");
        cmd.add("-XX:MaxDirectMemorySize=" + Math.max(8, options.heapMb() / 4) + "m");
        cmd.add("-XX:+DisableAttachMechanism");
        cmd.add("-XX:-CreateCoredumpOnCrash");
        cmd.add("-Djava.security.manager=disallow");
        cmd.add("-Djava.io.tmpdir=" + tmp);
        cmd.add("-cp");
        cmd.add(String.join(java.io.File.pathSeparator, classPath));
        cmd.add(SandboxWorkerMain.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        // The node's environment may hold secrets (tokens, passwords); the worker gets none of it.
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", "/usr/bin:/bin");
        env.put("TMPDIR", tmp.toString());
        env.put("LANG", "C.UTF-8");
        try {
            return pb.start();
        } catch (IOException e) {
            throw new PtorrentException(ErrorCode.INTERNAL, "could not start the sandbox worker (" + cmd.get(0) + "): " + e.getMessage(), e);
        }
    }

    /**
     * Kills a worker and everything it started, and waits for the worker's exit. The descendants are
     * listed while the worker lives (once it dies they are re-parented and out of sight), killed after
     * it, so that it cannot start more in between.
     */
    private static void kill(Process worker) {
        List<ProcessHandle> descendants = worker.descendants().collect(Collectors.toList());
        worker.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        boolean interrupted = Thread.interrupted();
        try {
            worker.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    private static String codeLocation(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IllegalStateException("cannot find the code location of " + type.getName() + " for the sandbox worker's class path");
        }
        try {
            return Path.of(source.getLocation().toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException("the code location of " + type.getName() + " is not a file: " + source.getLocation(), e);
        }
    }

    private static Path createTempDirectory() {
        try {
            return Files.createTempDirectory("ptorrent-sandbox-");
        } catch (IOException e) {
            throw new PtorrentException(ErrorCode.INTERNAL, "could not create the sandbox worker's temp directory: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            // Best effort: a leftover empty directory in the temp dir is no harm.
        }
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
