package io.ptorrent.plugin.sandbox;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.SerializableCallable;
import io.ptorrent.client.bundle.Bundle;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Runs submitted closures outside the node's JVM, in a warm pool of worker processes.
 *
 * <p>Design note. A worker ({@link SandboxWorkerMain}) is a {@code java} of this JVM's {@code java.home} with a
 * class path of only two code locations: this module's and client-thin's (never Ignite's jars), a heap cap
 * ({@link SandboxLimits#heapMb()}), serial GC, C1 only, a 512 KiB thread stack, no perf-data file, a temp
 * directory of its own as working and {@code java.io.tmpdir} directory, an empty environment, OS limits
 * through prlimit ({@link ResourceLimits}) and no network ({@link NetworkConfinement}) where the machine
 * allows. Fragments go in on stdin and answers come back on stdout in the {@link WorkerProtocol}; stderr is
 * drained into a 4 KiB tail for failure messages. The runner never deserializes anything a worker says.
 *
 * <p>The pool. {@link SandboxOptions#spareWorkers()} fresh workers are kept started while the node shares a
 * core; a fragment of a bundle that no idle worker serves takes a spare (and a new spare starts behind it),
 * or starts a worker if there is none. A worker serves one bundle of one submitter (same SHA-256, same
 * account) for its life: its classes and their static state never meet another bundle's or another
 * submitter's. After a fragment it goes back to the pool only if the answer was OK, the worker says it is
 * clean (no thread of the closure left, standard streams untouched), it has no child process, it has run
 * fewer than {@link SandboxOptions#maxFragmentsPerWorker()} fragments and its life's CPU time leaves room
 * for another fragment under the prlimit backstop; anything else (a failure, a breach, a timeout, a
 * cancel) kills it at once. Idle workers are stopped after {@link SandboxOptions#idleTimeout()}, and beyond
 * {@link #IDLE_WORKERS_PER_CORE} per shared core at once.
 *
 * <p>Limits per fragment: the wall-clock limit {@code min(timeout, options.timeout(), the share's
 * maxFragmentSeconds)} starts when the worker has read the fragment (a cold JVM's start-up has its own
 * limit of {@link #STARTUP_LIMIT}); a watchdog reads the worker's CPU time (utime + stime, all threads) and
 * resident memory from /proc every {@link #WATCH_PERIOD} and kills it past its CPU-time limit
 * ({@link SandboxOptions#cpuTime()}) or its memory cap ({@link SandboxLimits#processMemoryMb()}); results
 * above {@link SandboxOptions#maxResultBytes()} are refused without being read; a {@link Throttle} holds
 * busy workers to the share's CPU %. Whatever happens, a worker that breached anything is gone when
 * {@link #run} returns, and the runner serves the next fragment.
 *
 * <p>Batches ({@link #runAll}): the closures of one bundle and submitter run one after another in one worker,
 * their inputs written ahead by a writer thread while a reader thread takes the answers, so the worker goes
 * from one fragment to the next without waiting for the node, and neither pipe can block the other (design
 * note of {@link WorkerProtocol}). Every piece keeps the limits of a lone fragment, its clock starting at its
 * own READY; the watchdog blames a breach on the piece under way. The checks that decide whether a worker may
 * take another fragment (an OK and clean answer, no child process, CPU room under the backstop) run after
 * every piece; a piece that fails kills its worker, and the pieces after it, including one the old worker had
 * started already, go on in a fresh worker. A lone fragment ({@link #run}) is a batch of one.
 *
 * <p>Thread-safe: any number of fragments or batches may run at once, each on its caller's thread plus two
 * I/O threads (writer and reader of its worker); the pool is guarded by one lock, held only to take or put a
 * worker (never while a process starts or dies). One timer thread runs the watchdogs and the pool's upkeep.
 */
public final class SandboxRunner implements AutoCloseable {
    /** How long a worker JVM may take to start and read its input before the node gives up on it. */
    static final Duration STARTUP_LIMIT = Duration.ofSeconds(30);
    static final Duration WATCH_PERIOD = Duration.ofMillis(50);
    /**
     * Between the pieces of a batch, how often the runner looks for a worker's child processes and its CPU room: a
     * child is found, and the worker replaced, within this much of its start; the few ms of CPU that pieces may use
     * between two looks are far inside the CPU backstop's margin of a whole fragment's limit.
     */
    static final Duration PIECE_CHECK_PERIOD = Duration.ofMillis(20);
    static final Duration UPKEEP_PERIOD = Duration.ofSeconds(1);
    private static final int STDERR_IN_MESSAGE = 1500;
    /** Codes a worker may report; anything else it says is treated as a broken worker. */
    private static final Set<String> WORKER_CODES = Set.of(ErrorCode.FRAGMENT_FAILED.name(), ErrorCode.BUNDLE_INVALID.name(),
            ErrorCode.CLOSURE_REJECTED.name(), ErrorCode.RESULT_TOO_LARGE.name(), ErrorCode.BAD_REQUEST.name());

    private final SandboxOptions options;
    private final Supplier<SandboxLimits> limits;
    private final LongSupplier nanoTime;
    private final List<String> classPath;
    private final Object lock = new Object();
    /** Fresh workers that serve no bundle yet, oldest first. Guarded by lock. */
    private final Deque<Worker> spares = new ArrayDeque<>();
    /** Idle workers by the bundle + submitter they serve, most recently used last. Guarded by lock. */
    private final Map<String, Deque<Worker>> idle = new HashMap<>();
    private final Set<Worker> busy = ConcurrentHashMap.newKeySet();
    private final Set<Worker> live = ConcurrentHashMap.newKeySet();
    private final ExecutorService io;
    private final ScheduledExecutorService timer;
    private final Throttle throttle;
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong ended = new AtomicLong();
    private volatile boolean closed;

    /** A runner with the options' own limits (no share rules) and one shared core. */
    public SandboxRunner(SandboxOptions options) {
        this(options, () -> SandboxLimits.of(options, 1));
    }

    /**
     * @param limits what the share allows now; read at every fragment's start, every throttle period and every
     *               upkeep (so it must be cheap and never block for long)
     * @throws IllegalStateException if the worker's code locations cannot be found (a broken installation)
     */
    public SandboxRunner(SandboxOptions options, Supplier<SandboxLimits> limits) {
        this(options, limits, System::nanoTime);
    }

    SandboxRunner(SandboxOptions options, Supplier<SandboxLimits> limits, LongSupplier nanoTime) {
        this.options = Objects.requireNonNull(options, "options");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.classPath = List.copyOf(new LinkedHashSet<>(List.of(codeLocation(SandboxWorkerMain.class), codeLocation(SerializableCallable.class))));
        AtomicInteger threads = new AtomicInteger();
        this.io = Executors.newCachedThreadPool(r -> daemon(r, "ptorrent-sandbox-io-" + threads.incrementAndGet()));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "ptorrent-sandbox-timer"));
        this.throttle = new Throttle(() -> this.limits.get().cpuPercent(), this::busyPids);
        timer.scheduleWithFixedDelay(this::upkeep, 0, UPKEEP_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs a fragment of an unknown submitter: {@link #run(Bundle, byte[], Duration, String)} with {@code null}. */
    public byte[] run(Bundle bundle, byte[] closure, Duration timeout) {
        return run(bundle, closure, timeout, null);
    }

    /**
     * Runs one fragment in a worker process and returns the closure's result, Java-serialized by the
     * worker. The bytes are not deserialized here: the node never deserializes a stranger's objects.
     * Blocks the calling thread until the worker answered or was killed.
     *
     * @param bundle    the verified bundle holding the closure's classes
     * @param closure   the Java-serialized {@code SerializableCallable}
     * @param timeout   wall-clock limit for this fragment (capped by {@link SandboxOptions#timeout()} and the share's
     *                  {@link SandboxLimits#maxWallClock()}; a non-positive value means the cap)
     * @param submitter the account the fragment runs for; a worker is reused only for the same bundle and submitter
     * @throws PtorrentException FRAGMENT_FAILED (the closure threw, ran out of heap or stack or past its memory
     *                           cap, called System.exit), FRAGMENT_TIMEOUT (past its wall-clock or CPU-time limit),
     *                           RESULT_TOO_LARGE, CLOSURE_REJECTED or BUNDLE_INVALID (the closure could not be read),
     *                           TASK_CANCELLED (the calling thread was interrupted), INTERNAL (the worker could not
     *                           start or died)
     */
    public byte[] run(Bundle bundle, byte[] closure, Duration timeout, String submitter) {
        Objects.requireNonNull(closure, "closure");
        PieceResult[] out = new PieceResult[1];
        int ended = runAll(bundle, List.of(closure), timeout, submitter, (i, r) -> {
            out[0] = r;
            return true;
        });
        if (ended == 0) {
            if (closed) {
                throw new PtorrentException(ErrorCode.INTERNAL, "the sandbox is closed: the node is stopping");
            }
            throw new PtorrentException(ErrorCode.TASK_CANCELLED, "the fragment was cancelled before it started");
        }
        if (out[0].failure() != null) {
            throw out[0].failure();
        }
        return out[0].result();
    }

    /**
     * What one closure of a batch ({@link #runAll}) came to: its result bytes (Java-serialized by the worker, never
     * deserialized here) or the failure it ended with, and how long it ran in its worker.
     *
     * @param nanos the piece's run time in the worker, from the moment the worker had read it to its answer (or
     *              to its failure on the node's side: a timeout, a kill)
     */
    public record PieceResult(byte[] result, PtorrentException failure, long nanos) {
        public boolean ok() {
            return failure == null;
        }
    }

    /** Told of each piece of a batch as it ends, in order, on the thread that called {@link #runAll}. */
    @FunctionalInterface
    public interface PieceListener {
        /**
         * @param index the piece's place in the batch (0, 1, ...)
         * @return whether to go on with the next piece; false stops the batch (a piece the worker may have started
         *         already is stopped and does not end)
         */
        boolean ended(int index, PieceResult result);
    }

    /**
     * Runs closures of one bundle and one submitter one after another, each with the limits {@link #run} gives one
     * fragment, and tells {@code listener} of each as it ends. A piece that fails (its code as {@link #run} says)
     * fails alone: its worker is killed and the next piece runs in a fresh one. The batch stops early, leaving the
     * pieces after it unstarted, when the calling thread is interrupted (the piece under way ends TASK_CANCELLED),
     * when the runner is closed, after a piece that failed INTERNAL (the sandbox is broken: the rest would fail
     * the same way), or when the listener says so. Blocks the calling thread.
     *
     * @return how many pieces ended (each was given to the listener): pieces from there on never started
     */
    public int runAll(Bundle bundle, List<byte[]> closures, Duration timeout, String submitter, PieceListener listener) {
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(closures, "closures");
        Objects.requireNonNull(listener, "listener");
        String key = bundle.sha256() + "/" + (submitter == null ? "" : submitter);
        int next = 0;
        while (next < closures.size() && !closed && !Thread.currentThread().isInterrupted()) {
            SandboxLimits lim = limits.get();
            Duration limit = timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(options.timeout()) > 0
                    ? options.timeout() : timeout;
            boolean byShare = lim.maxWallClock() != null && lim.maxWallClock().compareTo(limit) < 0;
            if (byShare) {
                limit = lim.maxWallClock();
            }
            Worker worker;
            try {
                worker = acquire(key, lim);
            } catch (PtorrentException e) {
                ended.incrementAndGet();
                listener.ended(next, new PieceResult(null, e, 0));
                return next + 1; // the node cannot start a worker: the rest would fail the same way
            }
            // A worker runs at most maxFragmentsPerWorker fragments in its life: the rest of the batch goes to the next.
            int count = Math.min(closures.size() - next, Math.max(1, options.maxFragmentsPerWorker() - worker.fragments));
            Segment seg = new Segment(worker, key, bundle, closures.subList(next, next + count), next, limit, byShare, lim, listener);
            try {
                seg.run();
            } finally {
                release(worker, seg.keep, lim);
            }
            next += seg.ended;
            if (seg.stop) {
                break;
            }
        }
        return next;
    }

    /** Process ids of the sandbox's processes alive now, busy or idle (the node's own load, as the owner-activity monitor counts it). */
    public Set<Long> workerPids() {
        Set<Long> pids = new HashSet<>();
        for (Worker w : live) {
            pids.add(w.pid);
        }
        throttle.shellPid().ifPresent(pids::add);
        return pids;
    }

    /** Workers alive now that wait for a fragment (spares and workers of a bundle). */
    public int idleWorkers() {
        synchronized (lock) {
            return spares.size() + idle.values().stream().mapToInt(Deque::size).sum();
        }
    }

    /** Fragments (lone or pieces of a batch) that ended since this runner was made, whatever their outcome. */
    public long fragmentsEnded() {
        return ended.get();
    }

    /** Worker JVMs started since this runner was made (a fragment on a reused worker starts none). */
    public long workersStarted() {
        return started.get();
    }

    /** One line for the node's log: how workers are confined on this machine. */
    public static String confinement() {
        return NetworkConfinement.describe() + "; " + (ResourceLimits.active() ? "prlimit applies file, core and CPU limits"
                : "no prlimit: no OS limits on files and CPU time beyond the watchdog");
    }

    public SandboxOptions options() {
        return options;
    }

    /** Kills every worker, busy or idle; later {@link #run} calls fail with INTERNAL. Idempotent. */
    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        // An upkeep under way may be starting a spare that close() would not see yet in `live`; it kills that spare
        // itself once it sees `closed`. Waiting for it means no worker outlives close() (SandboxPoolIT checks the
        // process tree right after, and failed so under load).
        boolean interrupted = false;
        try {
            timer.awaitTermination(STARTUP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        List<Worker> all;
        synchronized (lock) {
            spares.clear();
            idle.clear();
            all = new ArrayList<>(live);
        }
        throttle.close();
        for (Worker w : all) {
            w.kill();
            live.remove(w);
        }
        io.shutdownNow();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the worker's reader saw, in order: piece j started (its input read), piece j answered. */
    private record Event(int piece, boolean started, WorkerProtocol.Answer answer, long nanos) {
    }

    /**
     * Some pieces of a batch in one worker, one after another (design note of {@link WorkerProtocol}: the inputs
     * are written ahead). Three threads: a writer that writes every piece's input in order (it may block on a full
     * pipe, never the caller), a reader that reads every answer in order (so the worker never blocks on a full
     * stdout while the writer blocks on a full stdin) and hands them to the caller's thread through a queue, and
     * the caller, which keeps each piece's clock, gives each piece its outcome and decides whether the worker goes
     * on. The watchdog (timer thread) measures the piece under way from its READY.
     */
    private final class Segment {
        private final Worker w;
        private final String key;
        private final Bundle bundle;
        private final List<byte[]> closures;
        private final int base;
        private final Duration limit;
        private final boolean byShare;
        private final SandboxLimits lim;
        private final PieceListener listener;
        private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        /** The CPU time of the worker when the piece under way started (its READY); -1 before the first. */
        private final AtomicLong cpuAtReady = new AtomicLong(-1);
        /** The piece under way, as the reader saw its READY; the watchdog blames a breach on it. */
        private final AtomicInteger current = new AtomicInteger(-1);
        private volatile IOException writeFailure;
        private volatile int breachPiece = -1;
        /** Pieces that ended (given to the listener). */
        int ended;
        /** Whether the worker may go back to the pool: every piece ended OK and clean. */
        boolean keep;
        /** Whether the whole batch stops here (cancel, a broken sandbox, the listener). */
        boolean stop;

        Segment(Worker w, String key, Bundle bundle, List<byte[]> closures, int base, Duration limit, boolean byShare,
                SandboxLimits lim, PieceListener listener) {
            this.w = w;
            this.key = key;
            this.bundle = bundle;
            this.closures = closures;
            this.base = base;
            this.limit = limit;
            this.byShare = byShare;
            this.lim = lim;
            this.listener = listener;
        }

        void run() {
            boolean first = w.key == null;
            w.key = key;
            int seq0 = w.seq + 1;
            w.seq += closures.size();
            Duration cpuLimit = options.cpuTimeFor(limit);
            busy.add(w);
            if (lim.cpuPercent() < 100) {
                throttle.wake(); // unthrottled fragments leave the throttle's thread asleep: no extra switch per fragment
            }
            Future<?> writer;
            Future<?> reader;
            ScheduledFuture<?> watch;
            try {
                if (closures.size() == 1) {
                    // One input: the worker reads it whole before it answers, so one thread may write, then read.
                    writer = java.util.concurrent.CompletableFuture.completedFuture(null);
                    reader = io.submit(() -> {
                        write(seq0, first);
                        read(seq0);
                    });
                } else {
                    writer = io.submit(() -> write(seq0, first));
                    reader = io.submit(() -> read(seq0));
                }
                watch = timer.scheduleAtFixedRate(() -> watch(cpuLimit), WATCH_PERIOD.toMillis(), WATCH_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // close() shut the pools down between taking this worker and watching it (found by SandboxRunnerIT's
                // closeKillsRunningWorkers under load): the node is stopping.
                busy.remove(w);
                end(0, new PieceResult(null, new PtorrentException(ErrorCode.INTERNAL,
                        "the sandbox was closed as the fragment started: the node is stopping"), 0));
                stop = true;
                return;
            }
            try {
                keep = runPieces();
            } finally {
                watch.cancel(false);
                busy.remove(w);
                if (keep) {
                    // Every input was read (every piece answered), so the writer is done or about to return.
                    try {
                        writer.get(STARTUP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        keep = false;
                    } catch (ExecutionException | TimeoutException e) {
                        keep = false;
                    }
                }
                if (!keep) {
                    // The caller kills the worker next (release): the reader and writer end on the closed pipes.
                    reader.cancel(true);
                    writer.cancel(true);
                }
            }
        }

        private void write(int seq0, boolean first) {
            try {
                for (int j = 0; j < closures.size(); j++) {
                    WorkerProtocol.writeInput(w.in, seq0 + j, options.maxResultBytes(), bundle.sha256(),
                            first && j == 0 ? bundle.classes() : null, closures.get(j));
                }
            } catch (IOException e) {
                writeFailure = e; // the worker is gone or stopped reading; the reader says so
            }
        }

        private void read(int seq0) {
            for (int j = 0; j < closures.size(); j++) {
                int piece = j;
                WorkerProtocol.Answer a = WorkerProtocol.readAnswer(w.out, seq0 + j, options.maxResultBytes(), () -> {
                    cpuAtReady.set(ProcStat.cpuMillis(w.pid));
                    current.set(piece);
                    events.add(new Event(piece, true, null, nanoTime.getAsLong()));
                });
                events.add(new Event(j, false, a, nanoTime.getAsLong()));
                if (!(a instanceof WorkerProtocol.Ok ok) || !ok.reusable()) {
                    return; // the worker reads no more after such an answer (and a too large result was not read)
                }
            }
        }

        /** The watchdog: kills the worker past the piece's CPU time or its memory cap, and says why for the piece's failure. */
        private void watch(Duration cpuLimit) {
            long atReady = cpuAtReady.get();
            if (w.breach != null || atReady < 0) {
                return;
            }
            int piece = current.get();
            long cpu = ProcStat.cpuMillis(w.pid);
            if (cpu >= 0 && cpu - atReady > cpuLimit.toMillis()) {
                breach(piece, new PtorrentException(ErrorCode.FRAGMENT_TIMEOUT, "the fragment used more than " + describe(cpuLimit)
                        + " of CPU time (its limit) and was stopped; it ran on more than one thread or ran too long: split the work"));
                return;
            }
            long rss = ProcStat.rssMb(w.pid);
            if (rss > lim.processMemoryMb()) {
                breach(piece, new PtorrentException(ErrorCode.FRAGMENT_FAILED, "the fragment's worker used " + rss + " MiB of memory, more than the "
                        + lim.processMemoryMb() + " MiB this contributor shares per fragment, and was stopped; use less memory per fragment (split the work)"));
            }
        }

        private void breach(int piece, PtorrentException why) {
            breachPiece = piece;
            w.breach = why;
            w.destroy();
        }

        /** @return whether every piece ended OK on a worker that stayed clean */
        private boolean runPieces() {
            long lastNanos = nanoTime.getAsLong();
            long lastCheckNanos = lastNanos;
            for (int j = 0; j < closures.size(); j++) {
                w.fragments++;
                Event started;
                Event answered;
                long startNanos;
                try {
                    started = next(lastNanos + STARTUP_LIMIT.toNanos());
                    if (started == null) {
                        end(j, new PieceResult(null, new PtorrentException(ErrorCode.INTERNAL, "the sandbox worker did not start within "
                                + STARTUP_LIMIT.toSeconds() + " s" + stderrTail(w)), 0));
                        stop = true;
                        return false;
                    }
                    if (!started.started() && j > 0 && breachPiece >= 0 && breachPiece < j) {
                        // The watchdog killed the worker for an earlier piece before this one started: it did not
                        // start, so it does not end here; it runs in a fresh worker.
                        return false;
                    }
                    startNanos = started.started() ? started.nanos() : lastNanos;
                    answered = started.started() ? next(startNanos + limit.toNanos()) : started;
                    if (answered == null) {
                        end(j, new PieceResult(null, breachOr(j, new PtorrentException(ErrorCode.FRAGMENT_TIMEOUT, "the fragment ran longer than "
                                + describe(limit) + " and was stopped" + (byShare
                                ? " (the longest fragment this contributor's share rules accept: maxFragmentSeconds)" : ""))),
                                nanoTime.getAsLong() - startNanos));
                        return false;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    // A piece whose worker had not read it yet did not start: it does not end.
                    if (current.get() >= j) {
                        end(j, new PieceResult(null, new PtorrentException(ErrorCode.TASK_CANCELLED, "the fragment was cancelled while it ran"),
                                nanoTime.getAsLong() - lastNanos));
                    }
                    stop = true;
                    return false;
                }
                lastNanos = answered.nanos();
                long nanos = answered.nanos() - startNanos;
                WorkerProtocol.Answer a = answered.answer();
                PtorrentException failure = breachPiece == j ? w.breach : failureOf(a);
                if (failure != null) {
                    end(j, new PieceResult(null, failure, nanos));
                    stop |= failure.code() == ErrorCode.INTERNAL;
                    return false;
                }
                WorkerProtocol.Ok ok = (WorkerProtocol.Ok) a;
                if (!end(j, new PieceResult(ok.result(), null, nanos))) {
                    stop = true;
                    return false;
                }
                if (!ok.reusable()) {
                    return false;
                }
                // What release() checks before a worker takes another fragment, checked while the next may already run:
                // a worker that fails them is killed, and the piece it had started runs again in a fresh one. At most
                // once per PIECE_CHECK_PERIOD: the checks read /proc (a file per thread of the worker), which cost
                // more than a trivial piece itself; release() checks again at the end of the segment.
                long now = nanoTime.getAsLong();
                if (j + 1 < closures.size() && now - lastCheckNanos >= PIECE_CHECK_PERIOD.toNanos()) {
                    lastCheckNanos = now;
                    if (w.breach == null && w.alive() && (w.hasChildren() || !roomForAnotherFragment(w))) {
                        return false;
                    }
                }
            }
            return true;
        }

        /** The next event, or null past the deadline. */
        private Event next(long deadlineNanos) throws InterruptedException {
            long wait = deadlineNanos - nanoTime.getAsLong();
            return events.poll(Math.max(0, wait), TimeUnit.NANOSECONDS);
        }

        /** A breach of this piece, if the watchdog found one, else the given failure. */
        private PtorrentException breachOr(int j, PtorrentException otherwise) {
            return breachPiece == j && w.breach != null ? w.breach : otherwise;
        }

        /** Gives piece j its outcome; returns what the listener says (false also stops the batch, whatever the outcome). */
        private boolean end(int j, PieceResult r) {
            ended++;
            SandboxRunner.this.ended.incrementAndGet();
            boolean goOn = listener.ended(base + j, r);
            if (!goOn) {
                stop = true;
            }
            return goOn;
        }

        /** The failure an answer means, or null for an OK. */
        private PtorrentException failureOf(WorkerProtocol.Answer a) {
            if (a instanceof WorkerProtocol.Ok) {
                return null;
            }
            if (a instanceof WorkerProtocol.TooLarge tooLarge) {
                return new PtorrentException(ErrorCode.RESULT_TOO_LARGE, "the closure's serialized result has " + tooLarge.length()
                        + " bytes; the sandbox accepts at most " + options.maxResultBytes());
            }
            if (a instanceof WorkerProtocol.Failed failed) {
                ErrorCode code = WORKER_CODES.contains(failed.code()) ? ErrorCode.valueOf(failed.code()) : ErrorCode.INTERNAL;
                return new PtorrentException(code, failed.message());
            }
            if (closed) {
                return new PtorrentException(ErrorCode.INTERNAL, "the sandbox was closed while the fragment ran: the node is stopping");
            }
            String why = ((WorkerProtocol.NoAnswer) a).why();
            IOException wf = writeFailure;
            return new PtorrentException(ErrorCode.INTERNAL, "the sandbox worker died without an answer (" + why + ")"
                    + (wf == null ? "" : "; it did not take its input: " + wf.getMessage()) + stderrTail(w));
        }
    }

    /** Waits briefly for a dead or dying worker's exit and stderr, and says what they were. */
    private static String stderrTail(Worker w) {
        String exit = "";
        try {
            // Its output ended, so it is most likely exiting: an exit code of its own says more than our kill's.
            if (w.process.waitFor(2, TimeUnit.SECONDS)) {
                int code = w.process.exitValue();
                exit = "; exit code " + code + (code == 137 ? " (killed from outside: out of machine memory or CPU time?)" : "");
            }
            w.destroy();
            Future<?> drained = w.drained;
            if (drained != null) {
                drained.get(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // A grandchild may still hold the pipe; the tail read so far will do.
        }
        String tail = w.stderr.tail(STDERR_IN_MESSAGE);
        return exit + (tail.isEmpty() ? "" : "; its stderr ends with: " + tail);
    }

    private Worker acquire(String key, SandboxLimits lim) {
        List<Worker> stale = new ArrayList<>();
        Worker found = null;
        boolean tookSpare = false;
        synchronized (lock) {
            Deque<Worker> own = idle.get(key);
            while (own != null && !own.isEmpty() && found == null) {
                Worker w = own.pollLast();
                if (w.heapMb == lim.heapMb() && w.alive()) {
                    found = w;
                } else {
                    stale.add(w);
                }
            }
            if (own != null && own.isEmpty()) {
                idle.remove(key);
            }
            while (found == null && !spares.isEmpty()) {
                Worker w = spares.pollFirst();
                if (w.heapMb == lim.heapMb() && w.alive()) {
                    found = w;
                    tookSpare = true;
                } else {
                    stale.add(w);
                }
            }
        }
        retire(stale);
        if (tookSpare || found == null) {
            requestUpkeep();
        }
        return found != null ? found : startWorker(lim.heapMb());
    }

    private void release(Worker w, boolean reusable, SandboxLimits lim) {
        boolean keep = reusable && !closed && w.breach == null && w.fragments < options.maxFragmentsPerWorker()
                && w.alive() && !w.hasChildren() && roomForAnotherFragment(w);
        if (!keep) {
            // Synchronously: when run returns, a worker that misbehaved and all it started are gone.
            w.kill();
            live.remove(w);
            requestUpkeep();
            return;
        }
        w.idleSinceNanos = nanoTime.getAsLong();
        List<Worker> surplus = new ArrayList<>();
        synchronized (lock) {
            idle.computeIfAbsent(w.key, k -> new ArrayDeque<>()).addLast(w);
            trimIdle(idleWorkersAllowed(lim), surplus);
        }
        retire(surplus);
    }

    /**
     * Whether the worker's CPU time so far leaves room for one more fragment under its prlimit backstop
     * (RLIMIT_CPU counts the whole life of a process, so a reused worker would hit it sooner each time).
     */
    private boolean roomForAnotherFragment(Worker w) {
        if (!ResourceLimits.active()) {
            return true;
        }
        long cpu = ProcStat.cpuMillis(w.pid);
        long backstop = ResourceLimits.cpuSeconds(options.timeout()) * 1000;
        return cpu < 0 || cpu + options.cpuTimeFor(options.timeout()).toMillis() < backstop;
    }

    /**
     * Idle workers kept for bundles (each of one bundle and one submitter) per shared core. Why more than one: a node
     * that serves several submitters in turn (bench/run load: 4 submitters on 1-core nodes) otherwise stopped the last
     * one's worker for every new one and started a JVM (~0.2 s, and ~0.3 s of CPU) for nearly every fragment; an idle
     * worker costs ~40 MiB of memory (docs/BENCHMARKS.md, sandbox) and no CPU, for at most {@link SandboxOptions#idleTimeout()}.
     */
    static final int IDLE_WORKERS_PER_CORE = 4;

    private static int idleWorkersAllowed(SandboxLimits lim) {
        return Math.max(1, lim.workers()) * IDLE_WORKERS_PER_CORE;
    }

    /** Keeps at most {@code max} idle workers of bundles, stopping the least recently used. Holds lock. */
    private void trimIdle(int max, List<Worker> surplus) {
        int count = idle.values().stream().mapToInt(Deque::size).sum();
        while (count > max) {
            Deque<Worker> oldestQueue = null;
            for (Deque<Worker> q : idle.values()) {
                if (oldestQueue == null || q.peekFirst().idleSinceNanos < oldestQueue.peekFirst().idleSinceNanos) {
                    oldestQueue = q;
                }
            }
            surplus.add(oldestQueue.pollFirst());
            idle.values().removeIf(Deque::isEmpty);
            count--;
        }
    }

    private void requestUpkeep() {
        if (!closed) {
            try {
                timer.execute(this::upkeep);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    /**
     * The pool's upkeep, on the timer thread: stops idle workers past their idle time or of another heap
     * than the share now gives, keeps one idle worker per shared core at most, and starts spares up to
     * {@link SandboxOptions#spareWorkers()} while the node shares a core (none while it shares nothing).
     */
    private void upkeep() {
        if (closed) {
            return;
        }
        SandboxLimits lim;
        try {
            lim = limits.get();
        } catch (RuntimeException e) {
            return; // the share is not readable yet (node starting): next time
        }
        int target = lim.workers() > 0 ? options.spareWorkers() : 0;
        long now = nanoTime.getAsLong();
        long idleNanos = options.idleTimeout().toNanos();
        List<Worker> stop = new ArrayList<>();
        int missing;
        synchronized (lock) {
            for (Iterator<Worker> it = spares.iterator(); it.hasNext(); ) {
                Worker w = it.next();
                if (w.heapMb != lim.heapMb() || !w.alive() || spares.size() > target) {
                    it.remove();
                    stop.add(w);
                }
            }
            for (Deque<Worker> q : idle.values()) {
                q.removeIf(w -> {
                    boolean go = now - w.idleSinceNanos >= idleNanos || w.heapMb != lim.heapMb() || !w.alive();
                    if (go) {
                        stop.add(w);
                    }
                    return go;
                });
            }
            idle.values().removeIf(Deque::isEmpty);
            trimIdle(idleWorkersAllowed(lim), stop);
            missing = target - spares.size();
        }
        retire(stop);
        for (int i = 0; i < missing && !closed; i++) {
            Worker w;
            try {
                w = startWorker(lim.heapMb());
            } catch (PtorrentException e) {
                return; // a node that cannot start a worker fails its fragments with the reason; upkeep retries later
            }
            synchronized (lock) {
                if (!closed) {
                    spares.addLast(w);
                    w = null;
                }
            }
            if (w != null) {
                w.kill();
                live.remove(w);
            }
        }
    }

    private void retire(List<Worker> workers) {
        for (Worker w : workers) {
            w.kill();
            live.remove(w);
        }
    }

    /** Pids of the workers running a fragment now. */
    Set<Long> busyPids() {
        Set<Long> pids = new HashSet<>();
        for (Worker w : busy) {
            pids.add(w.pid);
        }
        return pids;
    }

    private Worker startWorker(int heapMb) {
        Path tmp = createTempDirectory();
        List<String> cmd = command(tmp, heapMb);
        Worker w;
        try {
            w = Worker.start(cmd, tmp, heapMb);
        } catch (IOException e) {
            throw new PtorrentException(ErrorCode.INTERNAL, "could not start the sandbox worker (" + cmd.get(0) + "): " + e.getMessage(), e);
        }
        live.add(w);
        started.incrementAndGet();
        try {
            w.drained = io.submit(() -> w.stderr.drain(w.process.getErrorStream()));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: nobody will read it
        }
        if (closed) {
            w.kill();
            live.remove(w);
            throw new PtorrentException(ErrorCode.INTERNAL, "the sandbox is closed: the node is stopping");
        }
        return w;
    }

    private List<String> command(Path tmp, int heapMb) {
        List<String> cmd = new ArrayList<>(NetworkConfinement.prefix());
        cmd.addAll(ResourceLimits.prefix(options.timeout()));
        cmd.add(javaExecutable().toString());
        cmd.add("-Xmx" + heapMb + "m");
        // A small start heap: an idle worker should cost its household little resident memory.
        cmd.add("-Xms" + Math.min(heapMb, 8) + "m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Xss512k");
        cmd.add("-XX:-UsePerfData");
        // Off-heap memory gets caps of its own, so that -Xmx is close to the worker's real footprint.
        cmd.add("-XX:MaxMetaspaceSize=" + Math.max(32, heapMb / 2) + "m");
        cmd.add("-XX:MaxDirectMemorySize=" + Math.max(8, heapMb / 4) + "m");
        cmd.add("-XX:+DisableAttachMechanism");
        cmd.add("-XX:-CreateCoredumpOnCrash");
        cmd.add("-Djava.security.manager=disallow");
        cmd.add("-Djava.io.tmpdir=" + tmp);
        cmd.add("-cp");
        cmd.add(String.join(java.io.File.pathSeparator, classPath));
        cmd.add(SandboxWorkerMain.class.getName());
        return cmd;
    }

    static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
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

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
