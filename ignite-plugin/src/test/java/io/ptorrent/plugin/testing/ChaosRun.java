package io.ptorrent.plugin.testing;

import admissiontest.BusyClosures;
import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.SerializableCallable;
import io.ptorrent.client.TaskHandle;
import io.ptorrent.client.TaskStatus;
import org.apache.ignite.Ignition;
import org.apache.ignite.client.IgniteClient;
import org.apache.ignite.configuration.ClientConfiguration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;

/**
 * A chaos run on a real grid of separate JVMs on loopback: two harbors (native persistence; the ledger's caches
 * keep one backup, so each harbor holds all of it), contributors that are killed with SIGKILL mid-task and started
 * again, a harbor killed with SIGKILL and started again while the other serves, and submitters that disconnect
 * mid-task — with the credit ledger checked all the while, bank-test style ({@link LedgerAudit}).
 *
 * <h2>What is checked, and what "lost" means</h2>
 * Every task the grid accepted has an escrow hold in the ledger (the harbor holds before it queues anything), so
 * the holds are the list of accepted tasks, whether or not the submitter heard back. Once the run is over and
 * the grid is quiet:
 * <ul>
 *   <li><b>fragmentsLost</b>: fragments of accepted tasks for which the grid kept neither side of the bargain: a
 *       task whose hold is still open (never finished, never refunded) loses its unpaid fragments; a task that the
 *       submitter (or, for a submitter that disconnected, the harbor's status) saw succeed loses each fragment whose
 *       result is missing or wrong and each fragment its contributor was not paid for. A task that failed (its
 *       harbor died, its fragments ran out of attempts, it timed out) loses nothing if its hold was closed with the
 *       unpaid part refunded.</li>
 *   <li><b>paidTwice</b>: (task, fragment) pairs with more than one payment in the ledger, plus payments beyond a
 *       task's fragment count.</li>
 *   <li><b>sumDrift</b>: the largest |Σ balances + Σ held − Σ grants| seen, in every check during the run (all
 *       accounts read in one transaction) and in the final one (every table, every row).</li>
 *   <li><b>negativeBalances</b>: accounts seen with a negative balance or held amount, in any check.</li>
 *   <li><b>ledgerMismatches</b>: accounts whose balance, held, earned or spent differ from the replay of the ledger's
 *       entries, and holds whose remaining is not their amount minus payments and refund.</li>
 * </ul>
 *
 * <p>Ports from the plan's base: discovery base and base+1 (the two harbors), communication base+10 and base+11,
 * thin clients base+20 and base+21; contributors open none. Consoles are off.
 */
public final class ChaosRun {
    /** A generous bound, not a timing assert: on a busy shared machine a persistent harbor took minutes to start. */
    private static final Duration NODE_UP = Duration.ofMinutes(4);

    /**
     * What a run does.
     *
     * @param contributors     contributor nodes, one shared core each
     * @param submitters       submitting threads, each with its own connection and account
     * @param tasks            tasks to submit at least (more if the chaos is not done by then)
     * @param fragmentsPerTask fragments of every task
     * @param fragmentMillis   how long one fragment computes
     * @param contributorKills SIGKILLs of contributors, each mid-task
     * @param harborRestarts   SIGKILLs of a harbor (then started again) while the other one serves
     * @param disconnects      submitters that close their connection mid-task
     * @param seed             what the random choices (whom to kill) come from
     */
    public record Plan(int basePort, Path workDir, int contributors, int submitters, int tasks, int fragmentsPerTask, long fragmentMillis,
                       int contributorKills, int harborRestarts, int disconnects, long seed) {
    }

    /**
     * What a run found. The first four must be 0.
     *
     * @param tasks       tasks submitted (accepted or not)
     * @param accepted    tasks the grid accepted (holds in the ledger)
     * @param succeeded   tasks whose submitter got all results
     * @param failures    error code → tasks the submitter saw fail with it
     * @param failureExamples error code → the message of its first failure
     * @param checks      consistent reads of all accounts during the run
     * @param violations  what broke, one line each (empty when all is well)
     */
    public record Report(long fragmentsLost, long paidTwice, long sumDrift, long negativeBalances, int kills, int restarts, int disconnects,
                         int tasks, int accepted, int succeeded, Map<String, Integer> failures, Map<String, String> failureExamples, long fragmentsPaid, long ledgerMismatches,
                         long stuckTasks, long orphanWorkers, int checks, double seconds, List<String> violations) {
        public boolean clean() {
            return fragmentsLost == 0 && paidTwice == 0 && sumDrift == 0 && negativeBalances == 0 && ledgerMismatches == 0
                    && stuckTasks == 0 && orphanWorkers == 0;
        }
    }

    private final Plan plan;
    private final Random random;
    private final List<Harbor> harbors = new ArrayList<>();
    private final List<Contributor> contributors = new ArrayList<>();
    private final List<Submitted> submitted = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Set<String> negative = ConcurrentHashMap.newKeySet();
    private final List<Long> killedWorkers = new CopyOnWriteArrayList<>();
    private final AtomicLong maxDrift = new AtomicLong();
    private final AtomicInteger checks = new AtomicInteger();
    private final AtomicInteger taskSeq = new AtomicInteger();
    private final AtomicLong progress = new AtomicLong();
    private volatile boolean chaosDone;
    private int kills;
    private int restarts;
    private int disconnects;

    private ChaosRun(Plan plan) {
        this.plan = plan;
        this.random = new Random(plan.seed());
    }

    /** Runs the plan; stops every process it started, whatever happens. */
    public static Report run(Plan plan) {
        ChaosRun run = new ChaosRun(plan);
        try {
            return run.execute();
        } finally {
            run.stopAll();
        }
    }

    /** The first harbor's operator key (it wrote it to its work directory) and every account's API key. */
    private String operatorKey;
    private final java.util.Map<String, String> apiKeys = new java.util.concurrent.ConcurrentHashMap<>();

    private Report execute() {
        long t0 = System.nanoTime();
        List<String> payers = new ArrayList<>();
        for (int i = 0; i < plan.submitters() + plan.disconnects(); i++) {
            payers.add("payer-" + i);
        }
        for (int h = 0; h < 2; h++) {
            harbors.add(new Harbor(h, payers));
        }
        harbors.get(0).start().awaitUp(NODE_UP);
        harbors.get(1).start().awaitUp(NODE_UP);
        // Every account authenticates: the first harbor's operator creates them, with an API key each.
        operatorKey = readKey(plan.workDir().resolve(harbors.get(0).name).resolve(io.ptorrent.plugin.PtorrentPluginConfiguration.OPERATOR_KEY_FILE));
        for (String p : payers) {
            apiKeys.put(p, createAccount(p));
        }
        for (int c = 0; c < plan.contributors(); c++) {
            contributors.add(new Contributor(c));
        }
        contributors.forEach(Contributor::start);
        contributors.forEach(c -> c.process.awaitUp(NODE_UP));

        ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "chaos-ledger-check"));
        ExecutorService workers = Executors.newFixedThreadPool(plan.submitters() + 1);
        try (IgniteClient operator = thin(); PtorrentClient watcher = operatorClient(harbors.get(0).thinAddress(), harbors.get(1).thinAddress())) {
            LedgerAudit audit = new LedgerAudit(operator);
            await("the contributors in the grid").atMost(NODE_UP).ignoreExceptions()
                    .until(() -> watcher.availability().contributors() == plan.contributors());
            checker.scheduleWithFixedDelay(() -> check(audit), 0, 500, TimeUnit.MILLISECONDS);
            List<Future<?>> running = new ArrayList<>();
            for (int s = 0; s < plan.submitters(); s++) {
                String account = payers.get(s);
                running.add(workers.submit(() -> submitLoop(account)));
            }
            Future<?> chaos = workers.submit(() -> chaos(watcher, payers.subList(plan.submitters(), payers.size())));
            for (Future<?> f : running) {
                join(f);
            }
            join(chaos);
            checker.shutdown();
            awaitTermination(checker);

            // Quiet: every accepted task ended (refunds run on the harbors' credit threads), then the whole ledger.
            try {
                await("every hold closed").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> audit.ledger().holds().values().stream().noneMatch(LedgerAudit.HoldState::open));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                violations.add("holds still open 90 s after the last task ended (stuck tasks)");
            }
            check(audit);
            LedgerAudit.Ledger ledger = audit.ledger();
            return report(ledger, watcher, (System.nanoTime() - t0) / 1e9);
        } finally {
            checker.shutdownNow();
            workers.shutdownNow();
        }
    }

    /** One consistent read of every account; records drift and negative balances. */
    private void check(LedgerAudit audit) {
        try {
            LedgerAudit.Accounts a = audit.accounts();
            checks.incrementAndGet();
            maxDrift.accumulateAndGet(Math.abs(a.sum()), Math::max);
            if (a.sum() != 0) {
                violations.add("check " + checks.get() + ": Σ balance + held over all accounts is " + a.sum() + ", not 0");
            }
            if (!a.negative().isEmpty()) {
                negative.addAll(a.negative());
                violations.add("check " + checks.get() + ": negative accounts " + a.negative());
            }
        } catch (RuntimeException e) {
            // A harbor is down or the topology changes: this check is skipped, the next one reads again.
        }
    }

    /** Submits tasks one after another until enough were submitted and the chaos is over. */
    private void submitLoop(String account) {
        try (PtorrentClient client = client(account)) {
            while (taskSeq.get() < plan.tasks() || !chaosDone) {
                int seq = taskSeq.getAndIncrement();
                Submitted s = new Submitted(seq, account, false);
                submitted.add(s);
                TaskHandle<List<Integer>> h;
                try {
                    h = client.submitAll(closures(seq));
                } catch (PtorrentException e) {
                    s.failed(e.code().name(), e.getMessage());
                    continue;
                }
                h.taskId().thenAccept(id -> s.taskId = id);
                h.onProgress(p -> progress.incrementAndGet());
                try {
                    s.succeeded(h.result().get(10, TimeUnit.MINUTES));
                } catch (java.util.concurrent.ExecutionException e) {
                    s.failed(TaskHandleErrors.code(e.getCause()), String.valueOf(e.getCause().getMessage()));
                } catch (java.util.concurrent.TimeoutException e) {
                    s.failed("CLIENT_GAVE_UP", "no answer within 10 minutes");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The chaos, event after event, each once the grid has made progress since the last one and a fragment runs. */
    private void chaos(PtorrentClient watcher, List<String> disconnecting) {
        try {
            List<Runnable> events = new ArrayList<>();
            for (int i = 0; i < plan.contributorKills(); i++) {
                events.add(this::killContributor);
            }
            for (int i = 0; i < plan.harborRestarts(); i++) {
                events.add(this::restartHarbor);
            }
            for (int i = 0; i < plan.disconnects(); i++) {
                String account = disconnecting.get(i);
                events.add(() -> disconnect(account));
            }
            Collections.shuffle(events, random);
            for (Runnable event : events) {
                long seen = progress.get();
                await("progress and a running fragment before the next fault").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                        .ignoreExceptions().until(() -> progress.get() > seen && watcher.availability().runningFragments() > 0);
                event.run();
            }
        } finally {
            chaosDone = true;
        }
    }

    private void killContributor() {
        Contributor c = contributors.get(random.nextInt(contributors.size()));
        c.process.awaitUp(NODE_UP); // it may still be starting after an earlier kill
        c.process.handle().descendants().forEach(w -> killedWorkers.add(w.pid()));
        c.process.kill();
        kills++;
        c.start(); // comes back with the same name and account, as a household machine does after a crash
    }

    private void restartHarbor() {
        Harbor h = harbors.get(restarts % 2);
        Harbor other = harbors.get((restarts + 1) % 2);
        h.process.kill();
        restarts++;
        // The other harbor serves alone: its ledger answers (the accounts are readable through it).
        try (IgniteClient c = Ignition.startClient(new ClientConfiguration().setAddresses(other.thinAddress())
                .setUserName(io.ptorrent.plugin.security.Identities.OPERATOR_ACCOUNT).setUserPassword(operatorKey))) {
            LedgerAudit alone = new LedgerAudit(c);
            await("harbor " + other.name + " serving alone").atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> alone.accounts().sum() == 0);
        }
        h.start().awaitUp(NODE_UP);
        contributors.forEach(c -> c.process.awaitUp(NODE_UP));
    }

    private void disconnect(String account) {
        PtorrentClient client = client(account);
        int seq = taskSeq.getAndIncrement();
        Submitted s = new Submitted(seq, account, true);
        submitted.add(s);
        try {
            TaskHandle<List<Integer>> h = client.submitAll(closures(seq));
            await("the disconnecting submitter's task runs").atMost(Duration.ofMinutes(2))
                    .until(() -> h.result().isDone() || h.progress().fragmentsDone() > 0);
            s.taskId = h.taskId().getNow(null);
        } catch (RuntimeException e) {
            s.failed(TaskHandleErrors.code(e), String.valueOf(e.getMessage()));
        } finally {
            client.close(); // mid-task: the harbor keeps the task; nobody waits for its result any more
        }
        disconnects++;
    }

    private Report report(LedgerAudit.Ledger ledger, PtorrentClient watcher, double seconds) {
        violations.addAll(ledger.mismatches());
        maxDrift.accumulateAndGet(ledger.sumDrift(), Math::max);
        negative.addAll(ledger.negative());
        Map<String, Submitted> byTask = new LinkedHashMap<>();
        for (Submitted s : submitted) {
            if (s.taskId != null) {
                byTask.put(s.taskId, s);
            }
        }
        int f = plan.fragmentsPerTask();
        long lost = 0;
        long paidTwice = 0;
        long fragmentsPaid = 0;
        long stuck = 0;
        for (LedgerAudit.HoldState h : ledger.holds().values()) {
            int settled = h.payments().size();
            fragmentsPaid += settled;
            for (Map.Entry<Integer, Integer> p : h.payments().entrySet()) {
                if (p.getValue() > 1) {
                    paidTwice += p.getValue() - 1;
                    violations.add("task " + h.taskId() + " fragment " + p.getKey() + " paid " + p.getValue() + " times");
                }
            }
            if (settled > f) {
                paidTwice += settled - f;
                violations.add("task " + h.taskId() + " has payments for " + settled + " fragments, it has " + f);
            }
            if (h.open()) {
                stuck++;
                lost += f - settled;
                violations.add("task " + h.taskId() + ": hold still open (" + settled + " of " + f + " fragments paid, nothing refunded)");
                continue;
            }
            Submitted s = byTask.get(h.taskId());
            boolean succeeded = s != null && s.results != null;
            if (s != null && s.disconnected) {
                succeeded = finishedOnHarbor(h.taskId());
            }
            if (succeeded && settled < f) {
                lost += f - settled;
                violations.add("task " + h.taskId() + " succeeded but only " + settled + " of " + f + " fragments were paid");
            }
        }
        for (Submitted s : submitted) {
            if (s.results != null) {
                for (int i = 0; i < f; i++) {
                    Integer want = expected(s.seq, i);
                    if (i >= s.results.size() || !want.equals(s.results.get(i))) {
                        lost++;
                        violations.add("task " + s.taskId + " (seq " + s.seq + ") succeeded with a wrong or missing result for fragment " + i);
                    }
                }
            }
            if (s.results == null && s.error == null && !s.disconnected) {
                stuck++;
                violations.add("task seq " + s.seq + " never ended for its submitter");
            }
        }
        long orphans = countOrphans();
        Map<String, Integer> failures = new TreeMap<>();
        Map<String, String> examples = new TreeMap<>();
        submitted.stream().filter(s -> s.error != null).forEach(s -> {
            failures.merge(s.error, 1, Integer::sum);
            examples.putIfAbsent(s.error, s.message);
        });
        int succeeded = (int) submitted.stream().filter(s -> s.results != null).count();
        return new Report(lost, paidTwice, maxDrift.get(), negative.size(), kills, restarts, disconnects, submitted.size(), ledger.holds().size(),
                succeeded, failures, examples, fragmentsPaid, ledger.mismatches().size(), stuck, orphans, checks.get(), seconds, List.copyOf(violations));
    }

    /** Whether a disconnected submitter's task succeeded, by the status of the harbor that ran it (either one). */
    private boolean finishedOnHarbor(String taskId) {
        for (Harbor h : harbors) {
            try (PtorrentClient c = operatorClient(h.thinAddress())) {
                TaskStatus st = c.status(taskId);
                return st.state() == TaskStatus.State.SUCCEEDED;
            } catch (PtorrentException e) {
                // not this harbor's task (or it restarted since): ask the other
            }
        }
        return false;
    }

    /** Sandbox workers of killed contributors still alive (each should halt once its node is gone). */
    private long countOrphans() {
        try {
            await("killed contributors' sandbox workers gone").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> killedWorkers.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
            return 0;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            long n = killedWorkers.stream().filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).count();
            violations.add(n + " sandbox worker(s) of killed contributors still alive 30 s later");
            killedWorkers.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            return n;
        }
    }

    private List<SerializableCallable<Integer>> closures(int seq) {
        List<SerializableCallable<Integer>> work = new ArrayList<>();
        for (int i = 0; i < plan.fragmentsPerTask(); i++) {
            work.add(BusyClosures.busy(plan.fragmentMillis(), expected(seq, i)));
        }
        return work;
    }

    private static Integer expected(int seq, int fragment) {
        return seq * 1_000 + fragment;
    }

    private PtorrentClient client(String account) {
        return PtorrentClient.connect(new PtorrentClientOptions().addresses(harbors.get(0).thinAddress(), harbors.get(1).thinAddress())
                .apiKey(account, apiKeys.get(account)).fragmentTimeout(Duration.ofSeconds(30)).timeout(Duration.ofMinutes(3)));
    }

    /** The operator reads every account and task (the ledger audit's SQL and cache reads are read-only). */
    private PtorrentClient operatorClient(String... addresses) {
        return PtorrentClient.connect(new PtorrentClientOptions().addresses(addresses).apiKey(io.ptorrent.plugin.security.Identities.OPERATOR_ACCOUNT, operatorKey));
    }

    private IgniteClient thin() {
        return Ignition.startClient(new ClientConfiguration().setAddresses(harbors.get(0).thinAddress(), harbors.get(1).thinAddress())
                .setUserName(io.ptorrent.plugin.security.Identities.OPERATOR_ACCOUNT).setUserPassword(operatorKey));
    }

    /** Creates a member account through the operator; returns its API key. */
    private String createAccount(String account) {
        try (PtorrentClient op = operatorClient(harbors.get(0).thinAddress())) {
            return op.createAccount(account, "member", null, true).issued().token();
        }
    }

    /** A file with a new join credential of {@code account}. */
    private Path joinTokenFile(String node, String account) {
        if (!apiKeys.containsKey(account)) {
            apiKeys.put(account, createAccount(account));
        }
        try (PtorrentClient op = operatorClient(harbors.get(0).thinAddress())) {
            return java.nio.file.Files.writeString(plan.workDir().resolve(node + ".join-token"), op.issueCredential(account, "join").issued().token());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String readKey(Path file) {
        try {
            return java.nio.file.Files.readString(file).strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void stopAll() {
        for (Contributor c : contributors) {
            if (c.process != null) {
                c.process.kill();
            }
        }
        for (Harbor h : harbors) {
            if (h.process != null) {
                h.process.close();
            }
        }
    }

    private static void join(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a chaos thread failed: " + e.getCause(), e.getCause());
        }
    }

    private static void awaitTermination(ExecutorService e) {
        try {
            e.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** A task as its submitter saw it. */
    private static final class Submitted {
        final int seq;
        final String account;
        final boolean disconnected;
        volatile String taskId;
        volatile List<Integer> results;
        volatile String error;
        volatile String message;

        Submitted(int seq, String account, boolean disconnected) {
            this.seq = seq;
            this.account = account;
            this.disconnected = disconnected;
        }

        void succeeded(List<Integer> r) {
            results = r;
        }

        void failed(String code, String why) {
            error = code;
            message = why;
        }
    }

    private final class Harbor {
        final int index;
        final String name;
        final List<String> payers;
        int starts;
        NodeProcess process;

        Harbor(int index, List<String> payers) {
            this.index = index;
            this.name = "harbor-" + index;
            this.payers = payers;
        }

        String thinAddress() {
            return "127.0.0.1:" + (plan.basePort() + 20 + index);
        }

        NodeProcess start() {
            List<String> args = new ArrayList<>(List.of("--config", config().toString(), "--work-dir", plan.workDir().resolve(name).toString(),
                    "--harbor-secret-file", plan.workDir().resolve("harbor-secret").toString(),
                    "--discovery-port", "" + (plan.basePort() + index), "--communication-port", "" + (plan.basePort() + 10 + index),
                    "--thin-port", "" + (plan.basePort() + 20 + index), "--console-port", "0",
                    "--harbor-address", "127.0.0.1:" + (plan.basePort() + 1 - index)));
            for (String p : payers) {
                args.add("--open-account");
                args.add(p);
            }
            process = NodeProcess.harbor(name, 384, List.of(), args, plan.workDir().resolve(name + "-" + (++starts) + ".log"));
            return process;
        }
    }

    private final class Contributor {
        final String name;
        int starts;
        NodeProcess process;

        Contributor(int index) {
            this.name = "node-" + index;
        }

        Path joinToken;

        void start() {
            if (joinToken == null) {
                joinToken = joinTokenFile(name, "earner-" + name);
            }
            process = NodeProcess.contributor(name, 256, List.of("--config", householdConfig().toString(), "--join-token-file", joinToken.toString(),
                    "--work-dir", plan.workDir().resolve(name).toString(),
                    "--harbor-address", "127.0.0.1:" + plan.basePort() + ",127.0.0.1:" + (plan.basePort() + 1),
                    "--account", "earner-" + name, "--shared-cores", "1", "--no-automatic"), plan.workDir().resolve(name + "-" + (++starts) + ".log"));
        }
    }

    private static Path config() {
        return repoFile("config/harbor.xml");
    }

    private static Path householdConfig() {
        return repoFile("config/household-node.xml");
    }

    /** A file of the repository, found from the working directory (a module's folder under Maven, the root under bench/run). */
    private static Path repoFile(String relative) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (p.resolve(relative).toFile().exists()) {
                return p.resolve(relative);
            }
        }
        throw new IllegalStateException("cannot find " + relative + " above " + Path.of("").toAbsolutePath());
    }

    /** The error code of a task's failure. */
    private static final class TaskHandleErrors {
        static String code(Throwable t) {
            while (t != null && !(t instanceof PtorrentException) && t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
            return t instanceof PtorrentException p ? p.code().name() : String.valueOf(t);
        }
    }
}
