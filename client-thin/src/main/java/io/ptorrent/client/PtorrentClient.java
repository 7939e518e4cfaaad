package io.ptorrent.client;

import io.ptorrent.client.bundle.Bundle;
import io.ptorrent.client.bundle.BundleBuilder;
import io.ptorrent.client.bundle.BundleVerifier;
import io.ptorrent.client.bundle.ClosureCodec;
import io.ptorrent.client.wire.BalanceRequest;
import io.ptorrent.client.wire.BalanceResult;
import io.ptorrent.client.wire.GatewayTasks;
import io.ptorrent.client.wire.IdentityRequest;
import io.ptorrent.client.wire.IdentityResult;
import io.ptorrent.client.wire.AvailabilityResult;
import io.ptorrent.client.wire.BundleAnswer;
import io.ptorrent.client.wire.EstimateRequest;
import io.ptorrent.client.wire.EstimateResult;
import io.ptorrent.client.wire.BundleQuery;
import io.ptorrent.client.wire.TaskQuery;
import io.ptorrent.client.wire.TaskStartRequest;
import io.ptorrent.client.wire.TaskStatusResult;
import io.ptorrent.client.wire.TaskWatch;
import io.ptorrent.client.wire.TaskWatchResult;
import io.ptorrent.client.wire.SubmitResult;
import io.ptorrent.client.wire.WireJson;
import org.apache.ignite.Ignition;
import org.apache.ignite.client.ClientException;
import org.apache.ignite.client.IgniteClient;
import org.apache.ignite.client.SslMode;
import org.apache.ignite.configuration.ClientConfiguration;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BinaryOperator;
import java.util.concurrent.TimeoutException;

/**
 * Submits closures to a ptorrent grid through Ignite's thin client.
 *
 * <pre>{@code
 * try (PtorrentClient client = PtorrentClient.connect(new PtorrentClientOptions().addresses("127.0.0.1:10800"))) {
 *     int answer = client.submit(() -> 6 * 7).get();
 * }
 * }</pre>
 *
 * <p>A closure's classes travel with it as a {@link Bundle}; it runs on a contributor node, in a
 * sandbox worker process, never on the harbor. Results come back Java-serialized and are read through
 * an allow-list (the bundle's classes and plain JDK value types). Thread-safe; one connection.
 */
public final class PtorrentClient implements AutoCloseable {
    /** How long one await may wait on the harbor before the client asks again. */
    private static final long AWAIT_MS = 10_000;
    private static final long CALL_SLACK_MS = 30_000;
    /**
     * The most gateway calls this client has open on its connection; more wait here, in order. Why: a harbor runs at
     * most {@code maxActiveComputeTasksPerConnection} (64 by default) thin-client tasks per connection and refuses the
     * next one (status 1030), and every open task of this client keeps one await open: a client following more than
     * 64 tasks at once got INTERNAL errors (bench/run load). Half the harbor's default leaves room for the others.
     */
    static final int MAX_CALLS_IN_FLIGHT = 32;
    /** The most {@value GatewayTasks#TASK_WATCH} calls this client has open at once (see {@link Watcher}). */
    static final int MAX_WATCH_CALLS = 4;

    private final IgniteClient thin;
    private final PtorrentClientOptions options;
    /** Hashes of bundles the harbor is known to hold: their tasks upload nothing. */
    private final Set<String> bundlesOnHarbor = ConcurrentHashMap.newKeySet();
    private final AtomicLong bundleUploads = new AtomicLong();
    /** Guards {@link #callsInFlight} and {@link #waiting}. */
    private final Object gate = new Object();
    /** Follows this client's open tasks. */
    private final Watcher watcher = new Watcher();
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int callsInFlight;

    private PtorrentClient(IgniteClient thin, PtorrentClientOptions options) {
        this.thin = thin;
        this.options = options;
    }

    /** Connects to a harbor. @throws PtorrentException CONNECTION_FAILED, BAD_REQUEST for bad options */
    public static PtorrentClient connect(PtorrentClientOptions options) {
        Objects.requireNonNull(options, "options").validate();
        try {
            ClientConfiguration cfg = new ClientConfiguration()
                    .setAddresses(options.addresses().toArray(String[]::new))
                    // A single request's limit, not the task's: an await legitimately takes up to AWAIT_MS.
                    .setTimeout((int) (AWAIT_MS + CALL_SLACK_MS))
                    // Every gateway call must reach the harbor that runs the client's tasks (a task lives in one harbor's
                    // memory). With partition awareness (Ignite's default) a client given several harbors sends each
                    // request to a random open connection: a task started on one harbor was awaited on the other, which
                    // answered NOT_FOUND (ChaosRun: 20 of 42 tasks). Without it every request takes the one connection,
                    // and another address is used only when that harbor is gone.
                    .setPartitionAwarenessEnabled(false);
            if (options.userName() != null) {
                cfg.setUserName(options.userName()).setUserPassword(options.password());
            }
            if (options.sslContextFactory() != null) {
                cfg.setSslMode(SslMode.REQUIRED).setSslContextFactory(options.sslContextFactory());
            }
            IgniteClient thin = Ignition.startClient(cfg);
            return new PtorrentClient(thin, options);
        } catch (org.apache.ignite.client.ClientAuthenticationException e) {
            // The harbor's message is ptorrent's own ("AUTHENTICATION_FAILED: ... (what to do)"): keep its words.
            throw new PtorrentException(ErrorCode.AUTHENTICATION_FAILED, stripCode(e.getMessage(), ErrorCode.AUTHENTICATION_FAILED), e);
        } catch (ClientException e) {
            throw new PtorrentException(ErrorCode.CONNECTION_FAILED,
                    "cannot reach a harbor at " + String.join(", ", options.addresses()) + ": " + e.getMessage(), e);
        }
    }

    /** Runs one closure on a contributor node. */
    public <R> TaskHandle<R> submit(SerializableCallable<R> closure) {
        Objects.requireNonNull(closure, "closure");
        TaskHandle<List<R>> all = submitAll(List.of(closure));
        return all.withResult(all.result().thenApply(list -> list.get(0)));
    }

    /**
     * Applies {@code function} to every input on the grid; results in input order. Inputs are batched into
     * {@link #mapFragments} fragments, each a run of consecutive inputs of equal size (±1).
     */
    public <T, R> TaskHandle<List<R>> map(List<T> inputs, SerializableFunction<T, R> function) {
        Objects.requireNonNull(function, "function");
        if (inputs.isEmpty()) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, "map needs at least one input");
        }
        int parts = mapFragments(inputs.size());
        List<MapBatch<T, R>> fragments = new ArrayList<>(parts);
        for (int i = 0; i < parts; i++) {
            int from = (int) Split.start(inputs.size(), i, parts);
            int to = (int) Split.start(inputs.size(), i + 1, parts);
            fragments.add(new MapBatch<>(function, new ArrayList<>(inputs.subList(from, to))));
        }
        TaskHandle<List<ArrayList<R>>> batches = submitAll(fragments);
        return batches.withResult(batches.result().thenApply(lists -> {
            List<R> out = new ArrayList<>(inputs.size());
            lists.forEach(out::addAll);
            return out;
        }));
    }

    /**
     * Splits {@code [from, to)} into {@link #mapFragments} sub-ranges of equal size (±1), applies {@code function} to each on the grid, and folds the results here, in range order,
     * with {@code reducer}.
     */
    public <R> TaskHandle<R> mapRange(long from, long to, SerializableFunction<LongRange, R> function, BinaryOperator<R> reducer) {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(reducer, "reducer");
        LongRange all = new LongRange(from, to);
        if (all.size() == 0) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, "mapRange needs a non-empty range, got [" + from + ", " + to + ")");
        }
        int parts = mapFragments(all.size());
        List<RangeFragment<R>> fragments = new ArrayList<>(parts);
        for (int i = 0; i < parts; i++) {
            long a = from + Split.start(all.size(), i, parts);
            long b = from + Split.start(all.size(), i + 1, parts);
            fragments.add(new RangeFragment<>(function, new LongRange(a, b)));
        }
        TaskHandle<List<R>> each = submitAll(fragments);
        return each.withResult(each.result().thenApply(list -> list.stream().reduce(reducer).orElseThrow()));
    }

    /**
     * How many fragments a map of {@code inputs} makes: {@link PtorrentClientOptions#maxMapFragments} when set, else
     * {@link PtorrentClientOptions#MAP_FRAGMENTS_PER_SHARED_CORE} per core the harbor's contributors share now (one
     * {@value GatewayTasks#AVAILABILITY} call), within {@link PtorrentClientOptions#MIN_MAP_FRAGMENTS} and
     * {@link PtorrentClientOptions#MAX_MAP_FRAGMENTS}; never more than the inputs. Why from the grid: a fixed count
     * left a large grid idle and cut a small one's work finer than it needed.
     */
    int mapFragments(long inputs) {
        int wanted = options.maxMapFragments();
        if (wanted == PtorrentClientOptions.FROM_THE_GRID) {
            int cores;
            try {
                cores = availability().sharedCores();
            } catch (PtorrentException e) {
                cores = 0; // the task's own start says what is wrong (NO_CONTRIBUTORS, ...); the split need not
            }
            wanted = (int) Math.max(PtorrentClientOptions.MIN_MAP_FRAGMENTS,
                    Math.min(PtorrentClientOptions.MAX_MAP_FRAGMENTS, (long) cores * PtorrentClientOptions.MAP_FRAGMENTS_PER_SHARED_CORE));
        }
        return Split.parts(inputs, wanted);
    }

    /**
     * Runs each closure as one fragment of a single task; results in the closures' order.
     *
     * <p>The code goes up once: the client asks the harbor whether it holds the bundle's hash and uploads
     * it only if not ({@value GatewayTasks#BUNDLE_HAS}, {@value GatewayTasks#BUNDLE_UPLOAD}); then it starts
     * the task ({@value GatewayTasks#TASK_START}) and follows it with bounded awaits
     * ({@value GatewayTasks#TASK_AWAIT}), which also feed {@link TaskHandle#progress()}. The harbor stops the
     * task with TASK_TIMEOUT after {@link PtorrentClientOptions#timeout}.
     *
     * @throws PtorrentException at once, before anything is sent: BUNDLE_REJECTED if the closures' code
     *                           references what user code may not (see {@link io.ptorrent.client.bundle.BundleVerifier}),
     *                           BAD_REQUEST, BUNDLE_TOO_LARGE
     */
    public <R> TaskHandle<List<R>> submitAll(List<? extends SerializableCallable<R>> closures) {
        if (closures.isEmpty()) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, "a task needs at least one closure");
        }
        Map<String, byte[]> classes = new HashMap<>();
        List<byte[]> serialized = new ArrayList<>(closures.size());
        for (SerializableCallable<R> c : closures) {
            Objects.requireNonNull(c, "closure");
            classes.putAll(BundleBuilder.forClosure(c).classes());
            serialized.add(ClosureCodec.serialize(c));
        }
        // The harbor and the contributor verify again; checking here gives the submitter the error before any upload.
        Bundle bundle = BundleVerifier.verify(Bundle.of(classes));
        ClassLoader loader = closures.get(0).getClass().getClassLoader();
        TaskStartRequest start = new TaskStartRequest(options.account(), closures.get(0).getClass().getName(), bundle.sha256(),
                serialized, options.fragmentTimeout().toMillis(), options.timeout().toMillis());

        TaskTracker tracker = new TaskTracker(closures.size());
        CompletableFuture<TaskStatusResult> ended = new CompletableFuture<>();
        tracker.canceller = () -> tracker.taskId.thenAccept(id -> call(GatewayTasks.TASK_CANCEL, new TaskQuery(id), TaskStatusResult.class));
        ensureBundle(bundle)
                .thenCompose(v -> startTask(start, bundle, true))
                .whenComplete((first, error) -> {
                    if (error != null) {
                        ended.completeExceptionally(TaskHandle.unwrap(error));
                    } else {
                        follow(first, tracker, ended);
                    }
                });
        CompletableFuture<List<R>> result = ended.thenApply(r -> {
            List<R> values = new ArrayList<>(r.fragments().size());
            for (SubmitResult.FragmentResult f : r.fragments()) {
                values.add(ClosureCodec.decodeResult(f.value(), loader, classes.keySet()));
            }
            return values;
        });
        ended.whenComplete((r, e) -> {
            if (e != null) {
                tracker.report.completeExceptionally(e);
            } else {
                tracker.report.complete(new TaskReport(r.taskId(), r.fragments().stream()
                        .map(f -> new TaskReport.Fragment(f.index(), f.nodeId(), f.millis())).toList(), r.creditSpent()));
            }
        });
        return new TaskHandle<>(result, tracker);
    }

    /** Makes sure the harbor holds the bundle: asks first, uploads only what it lacks. */
    private CompletableFuture<Void> ensureBundle(Bundle bundle) {
        if (bundlesOnHarbor.contains(bundle.sha256())) {
            return CompletableFuture.completedFuture(null);
        }
        return call(GatewayTasks.BUNDLE_HAS, new BundleQuery(bundle.sha256()), BundleAnswer.class).thenCompose(has -> {
            if (has.error() != null) {
                throw has.error().toException();
            }
            if (has.present()) {
                bundlesOnHarbor.add(bundle.sha256());
                return CompletableFuture.completedFuture(null);
            }
            bundleUploads.incrementAndGet();
            return call(GatewayTasks.BUNDLE_UPLOAD, bundle.toWire(), BundleAnswer.class).thenAccept(up -> {
                if (up.error() != null) {
                    throw up.error().toException();
                }
                bundlesOnHarbor.add(bundle.sha256());
            });
        });
    }

    /** Starts the task; if the harbor has dropped the bundle meanwhile, uploads it again and retries once. */
    private CompletableFuture<TaskStatusResult> startTask(TaskStartRequest start, Bundle bundle, boolean retry) {
        return call(GatewayTasks.TASK_START, start, TaskStatusResult.class).thenCompose(r -> {
            if (r.error() != null && r.state() == null) {
                if (retry && ErrorCode.BUNDLE_NOT_FOUND.name().equals(r.error().code())) {
                    bundlesOnHarbor.remove(bundle.sha256());
                    return ensureBundle(bundle).thenCompose(v -> startTask(start, bundle, false));
                }
                throw r.error().toException();
            }
            return CompletableFuture.completedFuture(r);
        });
    }

    /** Follows a started task until it ends, through this client's {@link Watcher}; each answer updates the tracker. */
    private void follow(TaskStatusResult now, TaskTracker tracker, CompletableFuture<TaskStatusResult> ended) {
        tracker.taskId.complete(now.taskId());
        if (!moved(now, tracker, ended)) {
            watcher.add(now.taskId(), new Followed(tracker, ended, now.fragmentsDone()));
        }
    }

    /** Applies a task's answer; true when it ended the task (its future completed). */
    private static boolean moved(TaskStatusResult now, TaskTracker tracker, CompletableFuture<TaskStatusResult> ended) {
        if (now.state() == null) {
            ended.completeExceptionally(now.error() != null ? now.error().toException()
                    : new PtorrentException(ErrorCode.INTERNAL, "the harbor answered no state for task " + now.taskId()));
            return true;
        }
        tracker.update(toStatus(now));
        if (!now.finished()) {
            return false;
        }
        if (now.error() != null) {
            ended.completeExceptionally(now.error().toException());
        } else {
            ended.complete(now);
        }
        return true;
    }

    /** A task this client follows: where its answers go, and the fragments done it last heard of. */
    private static final class Followed {
        final TaskTracker tracker;
        final CompletableFuture<TaskStatusResult> ended;
        int knownDone;

        Followed(TaskTracker tracker, CompletableFuture<TaskStatusResult> ended, int knownDone) {
            this.tracker = tracker;
            this.ended = ended;
            this.knownDone = knownDone;
        }
    }

    /**
     * Follows all open tasks of this client with a few {@value GatewayTasks#TASK_WATCH} calls rather than one await
     * per task. Why: a connection runs at most {@link #MAX_CALLS_IN_FLIGHT} calls, and a client following more tasks
     * than that with one await each made its next submits wait behind the awaits (bench/run load: submits took
     * minutes at 20 tasks/s). Each open task is in at most one watch call; a task that none covers (new, or its call
     * came back) goes into the next call, sent at once while fewer than {@link #MAX_WATCH_CALLS} are open. A call
     * comes back at the first change of any of its tasks, so the tasks rejoin a call soon.
     */
    private final class Watcher {
        private final Object lock = new Object();
        private final Map<String, Followed> open = new java.util.LinkedHashMap<>();
        private final Set<String> covered = new java.util.HashSet<>();
        private int calls;

        void add(String taskId, Followed f) {
            synchronized (lock) {
                open.put(taskId, f);
            }
            pump();
        }

        /** Sends watch calls for the open tasks that no call covers, while there is room. */
        private void pump() {
            List<TaskWatch> toSend = new ArrayList<>();
            synchronized (lock) {
                while (calls < MAX_WATCH_CALLS) {
                    List<TaskQuery> batch = new ArrayList<>();
                    for (Map.Entry<String, Followed> e : open.entrySet()) {
                        if (batch.size() == TaskWatch.MAX_TASKS) {
                            break;
                        }
                        if (covered.add(e.getKey())) {
                            batch.add(new TaskQuery(e.getKey(), 0, e.getValue().knownDone));
                        }
                    }
                    if (batch.isEmpty()) {
                        break;
                    }
                    calls++;
                    toSend.add(new TaskWatch(batch, AWAIT_MS));
                }
            }
            for (TaskWatch w : toSend) {
                call(GatewayTasks.TASK_WATCH, w, TaskWatchResult.class).whenComplete((r, error) -> answered(w, r, error));
            }
        }

        private void answered(TaskWatch w, TaskWatchResult r, Throwable error) {
            Map<Followed, TaskStatusResult> news = new java.util.LinkedHashMap<>();
            List<Followed> failed = new ArrayList<>();
            PtorrentException why = error != null ? failure(error) : r.error() != null ? r.error().toException() : null;
            synchronized (lock) {
                calls--;
                for (TaskQuery q : w.tasks()) {
                    covered.remove(q.taskId());
                    if (why != null) {
                        // The call itself failed (the harbor is gone, the call timed out): each of its tasks hears why.
                        Followed f = open.remove(q.taskId());
                        if (f != null) {
                            failed.add(f);
                        }
                    }
                }
                if (why == null) {
                    for (TaskStatusResult t : r.changed()) {
                        Followed f = open.get(t.taskId());
                        if (f != null) {
                            news.put(f, t);
                            f.knownDone = t.fragmentsDone();
                            if (t.state() == null || t.finished()) {
                                open.remove(t.taskId());
                            }
                        }
                    }
                }
            }
            // Outside the lock: completing a task's future runs the submitter's callbacks.
            failed.forEach(f -> f.ended.completeExceptionally(why));
            news.forEach((f, t) -> moved(t, f.tracker, f.ended));
            pump();
        }
    }

    /**
     * A task's state now, by id, through {@value GatewayTasks#TASK_STATUS}: any task this harbor runs or
     * ran recently (the last {@code FragmentScheduler.HISTORY} finished ones), whoever submitted it.
     *
     * @throws PtorrentException NOT_FOUND for an unknown id; CONNECTION_FAILED / TASK_TIMEOUT when the call fails
     */
    public TaskStatus status(String taskId) {
        Objects.requireNonNull(taskId, "taskId");
        TaskStatusResult r = join(call(GatewayTasks.TASK_STATUS, new TaskQuery(taskId), TaskStatusResult.class));
        if (r.state() == null) {
            throw r.error() != null ? r.error().toException() : new PtorrentException(ErrorCode.NOT_FOUND, "no task " + taskId);
        }
        return toStatus(r);
    }

    /** Cancels a task by id (another process's too), through {@value GatewayTasks#TASK_CANCEL}; answers its state after. */
    public TaskStatus cancel(String taskId) {
        Objects.requireNonNull(taskId, "taskId");
        TaskStatusResult r = join(call(GatewayTasks.TASK_CANCEL, new TaskQuery(taskId), TaskStatusResult.class));
        if (r.state() == null) {
            throw r.error() != null ? r.error().toException() : new PtorrentException(ErrorCode.NOT_FOUND, "no task " + taskId);
        }
        return toStatus(r);
    }

    /**
     * The capacity of the harbor's contributors now, through {@value GatewayTasks#AVAILABILITY}.
     *
     * @throws PtorrentException NOT_READY while the harbor starts; CONNECTION_FAILED / TASK_TIMEOUT when the call fails
     */
    public Availability availability() {
        AvailabilityResult r = join(call(GatewayTasks.AVAILABILITY, Map.of(), AvailabilityResult.class));
        if (r.error() != null) {
            throw r.error().toException();
        }
        return new Availability(r.contributors(), r.sharedCores(), r.freeCores(), r.capacityPu(), r.freePu(),
                r.queuedFragments(), r.runningFragments(), r.pricePerPuSecond());
    }

    /**
     * How long {@code workPu} PU-seconds of work would wait and run now, and its cost, through
     * {@value GatewayTasks#ESTIMATE} (the figures of {@code bin/ptorrent estimate}).
     *
     * @throws PtorrentException BAD_REQUEST for work that is not a positive number, NO_CONTRIBUTORS when nothing is shared
     */
    public GridEstimate estimate(double workPu) {
        EstimateResult r = join(call(GatewayTasks.ESTIMATE, new EstimateRequest(workPu), EstimateResult.class));
        if (r.error() != null) {
            throw r.error().toException();
        }
        return new GridEstimate(r.workPu(), r.capacityPu(), r.freePu(), r.waitSeconds(), r.runSeconds(), r.costCredits(), r.pricePerPuSecond());
    }

    /**
     * How many bundles this client has uploaded: a task whose code the harbor already holds uploads
     * nothing, so submitting the same closure class twice counts one.
     */
    public long bundleUploads() {
        return bundleUploads.get();
    }

    private static TaskStatus toStatus(TaskStatusResult r) {
        return new TaskStatus(r.taskId(), TaskStatus.State.valueOf(r.state()), r.fragmentsTotal(), r.fragmentsDone(), r.creditSpent(),
                r.error() == null ? null : r.error().toException());
    }

    /** One gateway call, asynchronously; a failure of the call itself completes it with a {@link PtorrentException}. */
    private <T> CompletableFuture<T> call(String task, Object argument, Class<T> answer) {
        String json = WireJson.write(argument);
        CompletableFuture<T> out = new CompletableFuture<>();
        Runnable send = () -> callNow(task, json, answer).whenComplete((v, e) -> {
            release();
            if (e != null) {
                out.completeExceptionally(e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e);
            } else {
                out.complete(v);
            }
        });
        synchronized (gate) {
            if (callsInFlight >= MAX_CALLS_IN_FLIGHT) {
                waiting.add(send);
                return out;
            }
            callsInFlight++;
        }
        send.run();
        return out;
    }

    /** A call has ended: the next waiting one goes (on another thread: a burst of failures must not recurse). */
    private void release() {
        Runnable next;
        synchronized (gate) {
            next = waiting.poll();
            if (next == null) {
                callsInFlight--;
            }
        }
        if (next != null) {
            ForkJoinPool.commonPool().execute(next);
        }
    }

    private <T> CompletableFuture<T> callNow(String task, String json, Class<T> answer) {
        CompletableFuture<String> raw;
        try {
            // An await may take AWAIT_MS on the harbor; the call's own limit leaves room for the network.
            raw = thin.compute().withTimeout(AWAIT_MS + CALL_SLACK_MS).<String, String>executeAsync2(task, json).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(failure(e));
        }
        return raw.handle((text, error) -> {
            if (error != null) {
                throw failure(error);
            }
            return WireJson.read(text, answer);
        });
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PtorrentException(ErrorCode.TASK_CANCELLED, "interrupted while waiting for the harbor", e);
        } catch (ExecutionException e) {
            throw TaskHandle.unwrap(e.getCause());
        }
    }

    /** The credit of this client's account ({@link PtorrentClientOptions#account}). */
    public Balance balance() {
        if (options.account() == null) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, "no account: set PtorrentClientOptions.account, or call balance(accountId)");
        }
        return balance(options.account());
    }

    /**
     * An account's credit, through the gateway task {@value GatewayTasks#BALANCE}.
     *
     * @throws PtorrentException UNKNOWN_ACCOUNT, BAD_REQUEST for a malformed id, NOT_FOUND when the harbor keeps
     *                           no ledger, CONNECTION_FAILED / TASK_TIMEOUT when the call itself fails
     */
    public Balance balance(String account) {
        Objects.requireNonNull(account, "account");
        String json;
        try {
            json = thin.compute().withTimeout(options.timeout().toMillis())
                    .execute(GatewayTasks.BALANCE, WireJson.write(new BalanceRequest(account)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PtorrentException(ErrorCode.TASK_CANCELLED, "interrupted while asking for the balance of " + account, e);
        } catch (RuntimeException e) {
            throw failure(e);
        }
        BalanceResult r = WireJson.read(json, BalanceResult.class);
        if (r.error() != null) {
            throw r.error().toException();
        }
        return new Balance(r.account(), r.balance(), r.held(), r.earned(), r.spent(), r.tier());
    }

    /**
     * Creates an account (the client must be authenticated as an operator), through {@value GatewayTasks#ACCOUNT_CREATE}.
     *
     * @param role     {@code member} or {@code operator}
     * @param password null: none; at least 12 characters otherwise
     * @param withKey  also issue a first API key (in the result's {@code issued}, shown once)
     */
    public IdentityResult createAccount(String account, String role, String password, boolean withKey) {
        return identity(GatewayTasks.ACCOUNT_CREATE, new IdentityRequest(Objects.requireNonNull(account, "account"), role, password,
                withKey ? "api-key" : null, null));
    }

    /**
     * Issues a credential to an account (null: this client's own), through {@value GatewayTasks#CREDENTIAL_CREATE}.
     *
     * @param kind {@code api-key} or {@code join}
     * @return the result; its {@code issued().token()} is the secret, shown this once
     */
    public IdentityResult issueCredential(String account, String kind) {
        return identity(GatewayTasks.CREDENTIAL_CREATE, new IdentityRequest(account, null, null, Objects.requireNonNull(kind, "kind"), null));
    }

    /** Revokes a credential of an account (null: this client's own) by id, through {@value GatewayTasks#CREDENTIAL_REVOKE}. */
    public IdentityResult revokeCredential(String account, String id) {
        return identity(GatewayTasks.CREDENTIAL_REVOKE, new IdentityRequest(account, null, null, null, Objects.requireNonNull(id, "id")));
    }

    /** An account's credentials (null: this client's own): ids and dates, never secrets. */
    public IdentityResult credentials(String account) {
        return identity(GatewayTasks.CREDENTIAL_LIST, new IdentityRequest(account, null, null, null, null));
    }

    /**
     * Grants credit to an account from the grid account (the client must be authenticated as an operator), through
     * {@value GatewayTasks#CREDIT_GRANT}; idempotent by {@code key}.
     *
     * @param amount milli-PU-seconds (1,000 per credit)
     * @return the account after the grant
     */
    public Balance grant(String account, long amount, String key) {
        String json;
        try {
            json = thin.compute().withTimeout(options.timeout().toMillis()).execute(GatewayTasks.CREDIT_GRANT,
                    WireJson.write(new io.ptorrent.client.wire.GrantRequest(Objects.requireNonNull(account, "account"), amount, Objects.requireNonNull(key, "key"))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PtorrentException(ErrorCode.TASK_CANCELLED, "interrupted while granting credit to " + account, e);
        } catch (RuntimeException e) {
            throw failure(e);
        }
        BalanceResult r = WireJson.read(json, BalanceResult.class);
        if (r.error() != null) {
            throw r.error().toException();
        }
        return new Balance(r.account(), r.balance(), r.held(), r.earned(), r.spent(), r.tier());
    }

        private IdentityResult identity(String task, IdentityRequest request) {
        String json;
        try {
            json = thin.compute().withTimeout(options.timeout().toMillis()).execute(task, WireJson.write(request));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PtorrentException(ErrorCode.TASK_CANCELLED, "interrupted while calling " + task, e);
        } catch (RuntimeException e) {
            throw failure(e);
        }
        IdentityResult r = WireJson.read(json, IdentityResult.class);
        if (r.error() != null) {
            throw r.error().toException();
        }
        return r;
    }

    /** The text after "CODE: " in a harbor's message, without the hint in parentheses that describe() appended. */
    static String stripCode(String message, ErrorCode code) {
        String m = String.valueOf(message);
        int at = m.indexOf(code.name() + ": ");
        if (at >= 0) {
            m = m.substring(at + code.name().length() + 2);
        }
        String hint = " (" + code.hint() + ")";
        int h = m.indexOf(hint);
        return h >= 0 ? m.substring(0, h) : m;
    }

    /** The first throwable of {@code type} in {@code t}'s cause chain, or null. */
    private static <T extends Throwable> T causeOf(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    /** What a failed call means to the submitter, as one of ptorrent's codes (package-private for its test). */
    static PtorrentException failure(Throwable error) {
        // Only the future's wrappers come off: TaskHandle.unwrap would turn anything else into INTERNAL at once,
        // and the mapping below (timeouts, cancels, a lost harbor, refusals) never ran.
        Throwable t = error;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof PtorrentException p) {
            return p;
        }
        Throwable cause = t.getCause() != null ? t.getCause() : t;
        if (t instanceof TimeoutException || cause instanceof TimeoutException
                || String.valueOf(t.getMessage()).contains("timed out")) {
            return new PtorrentException(ErrorCode.TASK_TIMEOUT, "the harbor did not answer in time: " + t.getMessage(), t);
        }
        if (t instanceof java.util.concurrent.CancellationException) {
            return new PtorrentException(ErrorCode.TASK_CANCELLED, "the task was cancelled", t);
        }
        Throwable lost = causeOf(t, org.apache.ignite.client.ClientConnectionException.class);
        if (lost == null && t instanceof ClientException && "Channel is closed".equals(t.getMessage())) {
            // How Ignite's thin client ends the compute calls still open on a connection that closed (bench/run load).
            lost = t;
        }
        if (lost != null) {
            // The harbor went away mid-call (stopped, killed, or the network): its tasks went with it.
            return new PtorrentException(ErrorCode.CONNECTION_FAILED, "the connection to the harbor closed during the call (" + lost.getMessage()
                    + "); a task it was running ended with it: check that the harbor is running, then submit again (to another harbor if"
                    + " this one is gone)", t);
        }
        if (causeOf(t, org.apache.ignite.client.ClientAuthorizationException.class) != null) {
            // Ignite's thin-client protocol drops the harbor's words for its own; the harbor's log has ptorrent's reason.
            return new PtorrentException(ErrorCode.NOT_AUTHORIZED, "the harbor refused the operation for this account: an account may call"
                    + " only the gateway tasks, for itself (" + t.getMessage() + ")", t);
        }
        String m = String.valueOf(t.getMessage());
        if (m.contains(ErrorCode.NOT_AUTHORIZED.name() + ": ")) {
            return new PtorrentException(ErrorCode.NOT_AUTHORIZED, stripCode(m, ErrorCode.NOT_AUTHORIZED), t);
        }
        return new PtorrentException(ErrorCode.INTERNAL, "the harbor failed the task: " + t.getMessage(), t);
    }

    @Override
    public void close() {
        thin.close();
    }
}
