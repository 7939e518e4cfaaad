package io.ptorrent.bench;

import admissiontest.BusyClosures;
import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.TaskHandle;
import io.ptorrent.plugin.testing.NodeProcess;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * {@code bench/run load [--quick]}: sustained submissions (issue 9, part 7). One harbor (config/harbor.xml, native
 * persistence, its GC logged) and steady contributors, each its own JVM; several submitters, each with its own
 * connection and account, submit one-fragment tasks at a fixed total rate (open loop: a slow answer does not
 * slow the next submit) while contributors join and leave (half of the leaves are SIGKILLs, half Ctrl-C).
 *
 * <p>Figures: submit latency (the call until the harbor accepted the task: bundle check and task start) and
 * result latency (the call until the result), p50 and p99; errors that are not the submitter's own fault (any
 * code but those a submitter causes: bad request, rejected code, no or too little credit) and their rate; the
 * harbor's longest GC pause (from its {@code -Xlog:gc} log) and its heap at the end (used after a full GC, by
 * {@code jcmd GC.heap_info}), plus its resident memory. Full: 20 tasks/s for 10 minutes, 10 joins and 10 leaves a
 * minute; {@code --quick}: 10 tasks/s for 1 minute. Baseline in the same run: the first 10 s (warm-up, no churn yet)
 * are reported apart. Ports 53000–53020. JSON keys: {@code tasks}, {@code tasksPerSecond}, {@code p50SubmitMs},
 * {@code p99SubmitMs}, {@code p50ResultMs}, {@code p99ResultMs}, {@code errors}, {@code errorRate},
 * {@code unanswered} (no answer 2 min after the last submit: the grid fell behind), {@code submitterErrors}, {@code submitterErrorCodes}, {@code errorCodes}, {@code joins}, {@code leaves}, {@code maxGcPauseMs},
 * {@code harborHeapUsedMb}, {@code harborRssMb}, {@code passed} (no error that is not the submitter's fault).
 */
final class LoadScenario {
    private static final int BASE_PORT = 53000;
    /** Codes a submitter causes with what it sends or what it has: not the grid's failures. */
    private static final Set<ErrorCode> SUBMITTERS_FAULT = EnumSet.of(ErrorCode.BAD_REQUEST, ErrorCode.BUNDLE_INVALID, ErrorCode.BUNDLE_TOO_LARGE,
            ErrorCode.BUNDLE_REJECTED, ErrorCode.CLOSURE_REJECTED, ErrorCode.RESULT_REJECTED, ErrorCode.RESULT_TOO_LARGE, ErrorCode.FRAGMENT_FAILED,
            ErrorCode.INSUFFICIENT_CREDIT, ErrorCode.UNKNOWN_ACCOUNT);
    private static final Pattern GC_PAUSE = Pattern.compile("Pause .*? (\\d+(?:\\.\\d+)?)ms");

    private final Path work;
    private final int submitters;
    private final double rate;
    private final Duration length;
    private final int churnPerMinute;
    private final ConcurrentLinkedQueue<long[]> samples = new ConcurrentLinkedQueue<>(); // start ns, submit ns, result ns (0: failed)
    private final Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
    private final Map<String, String> errorExamples = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> submitterErrors = new ConcurrentHashMap<>();
    private final AtomicInteger seq = new AtomicInteger();
    private final List<NodeProcess> steady = new ArrayList<>();
    private final Deque<NodeProcess> churning = new ArrayDeque<>();
    private NodeProcess harbor;
    private int joins;
    private int leaves;
    private int churnSeq;

    private LoadScenario(Path work, int submitters, double rate, Duration length, int churnPerMinute) {
        this.work = work;
        this.submitters = submitters;
        this.rate = rate;
        this.length = length;
        this.churnPerMinute = churnPerMinute;
    }

    static Map<String, Object> run(Bench.Options o) throws Exception {
        Path work = Files.createTempDirectory("ptorrent-load-");
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        LoadScenario s = o.quick() ? new LoadScenario(work, 4, 10, Duration.ofMinutes(1), 10)
                : new LoadScenario(work, 4, 20, Duration.ofMinutes(10), 10);
        Map<String, Object> json;
        try {
            json = s.execute();
        } finally {
            s.stopAll();
        }
        String table = (String) json.remove("table");
        System.out.println(table);
        s.errorExamples.forEach((code, why) -> System.out.println("an error " + code + ": " + why));
        BenchmarkReport.write(o.quick() ? "load-quick" : "load", "Load: sustained submissions while contributors come and go (issue 9)" + (o.quick() ? ", quick" : ""),
                "bench/run load" + (o.quick() ? " --quick" : ""),
                "On " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores (shared), Java " + System.getProperty("java.version")
                        + ", load average " + String.format(Locale.ROOT, "%.1f", load) + " at the start, " + json.get("load1End") + " at the end. One harbor "
                        + "(config/harbor.xml, persistent, -Xmx384m, SerialGC as bin/ptorrent) and 3 steady contributors plus joining and leaving ones "
                        + "(1 shared core each), each its own JVM; " + s.submitters + " submitters (own connection and account), one-fragment tasks of "
                        + "20 ms at " + (int) s.rate + " tasks/s in total for " + s.length.toMinutes() + " min; " + s.churnPerMinute
                        + " joins and " + s.churnPerMinute + " leaves a minute (half SIGKILL, half Ctrl-C). Latencies from the submit call.\n\n" + table);
        if (json.get("passed") == Boolean.TRUE) {
            delete(work);
        } else {
            System.out.println("logs: " + work);
        }
        json.remove("load1End");
        return json;
    }

    private Map<String, Object> execute() throws Exception {
        List<String> payers = new ArrayList<>();
        for (int i = 0; i < submitters; i++) {
            payers.add("payer-" + i);
        }
        List<String> args = new ArrayList<>(List.of("--config", Bench.repo().resolve("config/harbor.xml").toString(),
                "--work-dir", work.resolve("harbor").toString(), "--discovery-port", "" + BASE_PORT, "--communication-port", "" + (BASE_PORT + 10),
                "--thin-port", "" + (BASE_PORT + 20), "--console-port", "0"));
        payers.forEach(p -> {
            args.add("--open-account");
            args.add(p);
        });
        harbor = NodeProcess.harbor("harbor", 384, List.of("-Xlog:gc:file=" + work.resolve("harbor-gc.log")), args, work.resolve("harbor.log"))
                .awaitUp(Duration.ofMinutes(3));
        // Every submitter and contributor authenticates: the harbor's operator creates their accounts.
        operatorKey = Files.readString(work.resolve("harbor").resolve(io.ptorrent.plugin.PtorrentPluginConfiguration.OPERATOR_KEY_FILE)).strip();
        for (String p : payers) {
            apiKeys.put(p, operator(op -> op.createAccount(p, "member", null, true).issued().token()));
        }
        for (int i = 0; i < 3; i++) {
            steady.add(contributor("steady-" + i));
        }
        steady.forEach(n -> n.awaitUp(Duration.ofMinutes(3)));

        List<PtorrentClient> clients = new ArrayList<>();
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "load-submit");
            t.setDaemon(true);
            return t;
        });
        // Apart from the submitters' timer: a leaving node's Ctrl-C may take seconds.
        ScheduledExecutorService churner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "load-churn");
            t.setDaemon(true);
            return t;
        });
        long t0 = System.nanoTime();
        try {
            for (String p : payers) {
                clients.add(PtorrentClient.connect(new PtorrentClientOptions().addresses("127.0.0.1:" + (BASE_PORT + 20)).apiKey(p, apiKeys.get(p))
                        .fragmentTimeout(Duration.ofSeconds(5)).timeout(Duration.ofMinutes(2))));
            }
            await("the contributors in the grid").atMost(Duration.ofMinutes(2)).ignoreExceptions()
                    .until(() -> clients.get(0).availability().contributors() == steady.size());
            long periodNanos = (long) (1e9 * submitters / rate);
            for (int i = 0; i < clients.size(); i++) {
                PtorrentClient c = clients.get(i);
                // Spread the submitters' ticks over one period.
                timer.scheduleAtFixedRate(() -> submitOne(c), periodNanos * i / submitters, periodNanos, TimeUnit.NANOSECONDS);
            }
            long churnEvery = 60_000_000_000L / Math.max(1, churnPerMinute);
            // Churn starts after a 10 s warm-up that serves as the baseline; each tick one node joins and, from the second on, one leaves.
            churner.scheduleAtFixedRate(this::churn, TimeUnit.SECONDS.toNanos(10), churnEvery / 2, TimeUnit.NANOSECONDS);
            long end = t0 + length.toNanos();
            await("the run's length").atMost(length.plusMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() -> System.nanoTime() >= end);
            timer.shutdownNow();
            churner.shutdown();
            churner.awaitTermination(1, TimeUnit.MINUTES);
            // The last tasks get their answers; a grid that fell behind keeps a backlog, reported as unanswered (not
            // an exception: the figures of a run that could not keep up are the point of a load test).
            try {
                await("the last tasks answered").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                        .until(() -> samples.stream().allMatch(s -> s[2] != 0));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                System.err.println("load: tasks still unanswered 2 minutes after the last submit; reported as unanswered");
            }
        } finally {
            timer.shutdownNow();
            churner.shutdownNow();
            clients.forEach(PtorrentClient::close);
        }
        // The rate over the submitting window (not the drain after it).
        return figures(t0, length.toMillis() / 1000.0);
    }

    private void submitOne(PtorrentClient c) {
        long[] s = {System.nanoTime(), 0, 0};
        samples.add(s);
        int n = seq.incrementAndGet();
        TaskHandle<Integer> h;
        try {
            h = c.submit(BusyClosures.busy(20, n));
        } catch (RuntimeException e) {
            failed(s, e);
            return;
        }
        h.taskId().thenRun(() -> s[1] = System.nanoTime());
        h.result().whenComplete((v, e) -> {
            if (e != null) {
                failed(s, e);
            } else if (v != n) {
                failed(s, new PtorrentException(ErrorCode.INTERNAL, "task " + n + " answered " + v));
            } else {
                s[2] = System.nanoTime();
            }
        });
    }

    private void failed(long[] s, Throwable e) {
        Throwable t = e;
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        String code = t instanceof PtorrentException p ? p.code().name() : t.getClass().getSimpleName();
        if (t instanceof PtorrentException p && SUBMITTERS_FAULT.contains(p.code())) {
            submitterErrors.computeIfAbsent(code, k -> new AtomicInteger()).incrementAndGet();
        } else {
            errors.computeIfAbsent(code, k -> new AtomicInteger()).incrementAndGet();
            errorExamples.putIfAbsent(code, String.valueOf(t.getMessage()));
        }
        s[1] = -1;
        s[2] = -1;
    }

    private static int total(Map<String, AtomicInteger> counts) {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** One churn step: a new contributor joins; every other step the oldest churning one leaves (SIGKILL or Ctrl-C). */
    private void churn() {
        try {
            if (churnSeq % 2 == 0) {
                churning.add(contributor("churn-" + churnSeq / 2));
                joins++;
            } else if (!churning.isEmpty()) {
                NodeProcess leaving = churning.poll();
                if ((churnSeq / 2) % 2 == 0) {
                    leaving.kill();
                } else {
                    leaving.close();
                }
                leaves++;
            }
            churnSeq++;
        } catch (RuntimeException e) {
            System.err.println("load: a churn step failed: " + e);
        }
    }

    private String operatorKey;
    private final Map<String, String> apiKeys = new java.util.concurrent.ConcurrentHashMap<>();

    private <T> T operator(java.util.function.Function<PtorrentClient, T> call) {
        try (PtorrentClient op = PtorrentClient.connect(new PtorrentClientOptions().addresses("127.0.0.1:" + (BASE_PORT + 20))
                .apiKey(io.ptorrent.plugin.security.Identities.OPERATOR_ACCOUNT, operatorKey))) {
            return call.apply(op);
        }
    }

    /** A file with a new join credential of the node's account (created on first use). */
    private Path joinToken(String name) {
        String account = "earner-" + name;
        if (apiKeys.putIfAbsent(account, "") == null) {
            operator(op -> op.createAccount(account, "member", null, true));
        }
        try {
            return Files.writeString(work.resolve(name + ".join-token"), operator(op -> op.issueCredential(account, "join").issued().token()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private NodeProcess contributor(String name) {
        return NodeProcess.contributor(name, 256, List.of("--config", Bench.repo().resolve("config/household-node.xml").toString(),
                "--join-token-file", joinToken(name).toString(),
                "--work-dir", work.resolve(name).toString(), "--harbor-address", "127.0.0.1:" + BASE_PORT, "--account", "earner-" + name,
                "--shared-cores", "1", "--no-automatic"), work.resolve(name + ".log"));
    }

    private Map<String, Object> figures(long t0, double seconds) throws IOException, InterruptedException {
        long warmEnd = t0 + TimeUnit.SECONDS.toNanos(10);
        List<long[]> all = new ArrayList<>(samples);
        double[] submit = all.stream().filter(s -> s[1] > 0 && s[0] >= warmEnd).mapToDouble(s -> (s[1] - s[0]) / 1e6).sorted().toArray();
        double[] result = all.stream().filter(s -> s[2] > 0 && s[0] >= warmEnd).mapToDouble(s -> (s[2] - s[0]) / 1e6).sorted().toArray();
        double[] warmSubmit = all.stream().filter(s -> s[1] > 0 && s[0] < warmEnd).mapToDouble(s -> (s[1] - s[0]) / 1e6).sorted().toArray();
        double[] warmResult = all.stream().filter(s -> s[2] > 0 && s[0] < warmEnd).mapToDouble(s -> (s[2] - s[0]) / 1e6).sorted().toArray();
        int errorCount = errors.values().stream().mapToInt(AtomicInteger::get).sum();
        long unanswered = all.stream().filter(s -> s[2] == 0).count();
        double gcMax = maxGcPause(work.resolve("harbor-gc.log"));
        double heapUsed = heapUsedAfterFullGc(harbor.pid());
        long rss = rssMb(harbor.pid());
        Map<String, Integer> codes = new TreeMap<>();
        errors.forEach((k, v) -> codes.put(k, v.get()));

        StringBuilder t = new StringBuilder("| what | n | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|\n");
        row(t, "submit → accepted, first 10 s (baseline: no churn yet)", warmSubmit);
        row(t, "submit → accepted, while contributors join and leave", submit);
        row(t, "submit → result, first 10 s", warmResult);
        row(t, "submit → result, while contributors join and leave", result);
        t.append("\n| what | value |\n|---|---|\n")
                .append(String.format(Locale.ROOT, "| tasks submitted (achieved rate) | %d (%.1f/s) |%n", all.size(), all.size() / seconds))
                .append("| errors not the submitter's fault | ").append(errorCount).append(codes.isEmpty() ? "" : " " + codes)
                .append(String.format(Locale.ROOT, " (%.3f%%) |%n", 100.0 * errorCount / Math.max(1, all.size())))
                .append("| tasks unanswered 2 min after the last submit (the grid fell behind) | ").append(unanswered).append(" |\n")
                .append("| errors the submitter caused | ").append(total(submitterErrors)).append(" ").append(new TreeMap<>(submitterErrors)).append(" |\n")
                .append("| contributors joined / left | ").append(joins).append(" / ").append(leaves).append(" |\n")
                .append(String.format(Locale.ROOT, "| harbor's longest GC pause | %.1f ms |%n", gcMax))
                .append(String.format(Locale.ROOT, "| harbor heap used at the end (after a full GC) | %.1f MiB |%n", heapUsed))
                .append("| harbor resident memory at the end | ").append(rss).append(" MiB |\n");

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tasks", all.size());
        json.put("tasksPerSecond", round(all.size() / seconds));
        json.put("p50SubmitMs", round(pct(submit, 50)));
        json.put("p99SubmitMs", round(pct(submit, 99)));
        json.put("p50ResultMs", round(pct(result, 50)));
        json.put("p99ResultMs", round(pct(result, 99)));
        json.put("errors", errorCount);
        json.put("errorRate", errorCount / (double) Math.max(1, all.size()));
        json.put("unanswered", unanswered);
        json.put("submitterErrors", total(submitterErrors));
        Map<String, Integer> byCode = new TreeMap<>();
        submitterErrors.forEach((k, v) -> byCode.put(k, v.get()));
        json.put("submitterErrorCodes", byCode);
        json.put("errorCodes", codes);
        json.put("joins", joins);
        json.put("leaves", leaves);
        json.put("maxGcPauseMs", round(gcMax));
        json.put("harborHeapUsedMb", round(heapUsed));
        json.put("harborRssMb", rss);
        json.put("passed", errorCount == 0);
        json.put("table", t.toString());
        json.put("load1End", Math.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() * 10) / 10.0);
        return json;
    }

    /** The longest "Pause" in a unified GC log, in ms. */
    static double maxGcPause(Path log) throws IOException {
        if (!Files.exists(log)) {
            return -1;
        }
        double max = 0;
        for (String line : Files.readAllLines(log)) {
            Matcher m = GC_PAUSE.matcher(line);
            if (m.find()) {
                max = Math.max(max, Double.parseDouble(m.group(1)));
            }
        }
        return max;
    }

    /** The harbor's used heap after a full GC, MiB, from jcmd (the JDK's tool); -1 if it cannot say. */
    private static double heapUsedAfterFullGc(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.exists(jcmd)) {
            return -1;
        }
        run(jcmd.toString(), "" + pid, "GC.run");
        String info = run(jcmd.toString(), "" + pid, "GC.heap_info");
        // Serial GC: "def new generation total 9792K, used 1234K ..." and "tenured generation total 21888K, used 5678K".
        Matcher m = Pattern.compile("generation\\s+total \\d+K, used (\\d+)K").matcher(info);
        long usedK = 0;
        boolean found = false;
        while (m.find()) {
            usedK += Long.parseLong(m.group(1));
            found = true;
        }
        return found ? usedK / 1024.0 : -1;
    }

    private static long rssMb(long pid) throws IOException {
        Path status = Path.of("/proc", "" + pid, "status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    private void stopAll() {
        churning.forEach(NodeProcess::kill);
        steady.forEach(NodeProcess::kill);
        if (harbor != null) {
            harbor.close();
        }
    }

    private static void row(StringBuilder b, String what, double[] sorted) {
        b.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f |%n", what, sorted.length, pct(sorted, 50), pct(sorted, 99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1]));
    }

    private static double pct(double[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
