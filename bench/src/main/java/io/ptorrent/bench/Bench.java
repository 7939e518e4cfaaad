package io.ptorrent.bench;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench/run <scenario> [--quick] [args...]}: the one entry point of the benchmarks. Runs a scenario, which
 * prints its human table; then prints one JSON line, last: the scenario's figures, with {@code scenario},
 * {@code quick}, {@code seconds} and the machine's load average at the start and the end ({@code load1Start},
 * {@code load1End}: the machine is shared, so figures come with it). Exit status 1 when a scenario's checks
 * failed ({@code "passed": false}), 2 for a bad command line.
 *
 * <p>To add a scenario: write a {@link Scenario} and add one line to {@link #SCENARIOS}.
 */
public final class Bench {
    /** What a scenario gets: {@code --quick} (a short version, about a minute) and the other arguments. */
    public record Options(boolean quick, List<String> args, Path repo) {
    }

    /** One scenario: prints its table to standard output and returns the fields of the JSON line. */
    @FunctionalInterface
    public interface Scenario {
        Map<String, Object> run(Options options) throws Exception;
    }

    private record Entry(String what, Scenario scenario) {
    }

    private static final Map<String, Entry> SCENARIOS = new LinkedHashMap<>();

    static {
        add("chaos", "faults lose nothing: contributors and a harbor killed mid-task, a submitter disconnecting; the ledger checked bank-test style (issue 9)", ChaosScenario::run);
        add("load", "sustained submissions while contributors join and leave: submit latency, errors, harbor GC and heap (issue 9)", LoadScenario::run);
        add("latency", "one closure, thin client → result, p50/p99 warm, against vanilla Ignite's thin-client task of one job on a client node (issue 10) [samples]",
                LatencyScenario::run);
        add("fragments", "N trivial fragments through the whole path, against N no-op jobs on vanilla Ignite, no result cache (issue 10) [smaller larger limitSeconds]",
                FragmentsScenario::run);
        add("utilization", "makespan ÷ ideal of 20 ms and 200 ms fragments on the shared cores, on loopback and with 25 ms each way (issue 10) [reps]",
                UtilizationScenario::run);
        // The benchmarks written before bench/run, each its own main; --quick passes smaller counts.
        add("sandbox", "what the sandbox worker adds to a fragment, against in-JVM [fragments coldFragments]",
                legacy(SandboxBenchmark::main, "500 20", "100 5"));
        add("journal", "the contributor's journal: a row per write against a batch of rows per write (issue 10) [rounds batch]",
                legacy(JournalBenchmark::main, "20 100", "5 100"));
        add("settlement", "credit settlement throughput on the persistent ledger, single and batched [singles batched batch]",
                legacy(SettlementBenchmark::main, "5000 100000 100", "500 10000 100"));
        add("ratio", "ratio engine: fairness, forecast error, pick cost [seeds]", legacy(RatioBenchmark::main, "5", "1"));
        add("pu-spread", "the PU benchmark's spread and cost, fresh JVMs and one JVM", legacy(PuBenchmarkSpread::main, "", ""));
        add("idle-node", "an idle contributor's memory and CPU, against a plain Ignite client node [repo settleSeconds measureSeconds]",
                legacy(IdleNodeBenchmark::main, ". 20 30", ". 5 10"));
        add("verifier", "what the bytecode verifier costs on a large bundle, against one bare ASM pass [classes methods runs]",
                legacy(VerifierBenchmark::main, "1500 12 20", "300 12 5"));
        add("bundle-cache", "a contributor's bundle step per fragment: verify on every fragment (before) against the bundle cache (after) [issue 10]",
                BundleCacheBenchmark::run);
        add("tls", "what TLS costs against plain TCP: a contributor's start and one closure's round trip [starts submits]",
                legacy(TlsBenchmark::main, "5 60", "2 20"));
        add("hand-back", "automatic mode's hand-back and resume (run on a quiet machine) [repo trials busyPercent quietSeconds]",
                legacy(HandBackBenchmark::main, ". 10", ". 3"));
    }

    private Bench() {
    }

    private static void add(String name, String what, Scenario scenario) {
        SCENARIOS.put(name, new Entry(what, scenario));
    }

    /** A benchmark main of its own: given {@code full} or {@code quick} arguments when the command line has none. */
    private static Scenario legacy(MainMethod main, String full, String quick) {
        return o -> {
            List<String> args = o.args().isEmpty() ? split(o.quick() ? quick : full) : o.args();
            main.main(args.toArray(String[]::new));
            return new LinkedHashMap<>();
        };
    }

    @FunctionalInterface
    private interface MainMethod {
        void main(String[] args) throws Exception;
    }

    public static void main(String[] argv) throws Exception {
        List<String> args = new ArrayList<>(Arrays.asList(argv));
        if (args.isEmpty() || args.contains("--help") || args.contains("-h")) {
            System.out.println(usage());
            System.exit(args.isEmpty() ? 2 : 0);
        }
        String name = args.remove(0);
        Entry e = SCENARIOS.get(name);
        if (e == null) {
            System.err.println("bench: no scenario '" + name + "'\n" + usage());
            System.exit(2);
        }
        // The section a scenario writes into docs/BENCHMARKS.md names the command that made it: this one.
        System.setProperty(BenchmarkReport.COMMAND_PROPERTY, "bench/run " + String.join(" ", argv));
        boolean quick = args.remove("--quick");
        double loadStart = load();
        long t0 = System.nanoTime();
        Map<String, Object> fields = e.scenario().run(new Options(quick, List.copyOf(args), repo()));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("scenario", name);
        json.put("quick", quick);
        json.putAll(fields);
        json.put("seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
        json.put("load1Start", loadStart);
        json.put("load1End", load());
        System.out.println(new ObjectMapper().writeValueAsString(json));
        System.out.flush();
        // Ignite and the thin clients leave non-daemon threads behind; the scenario has closed what it started.
        System.exit(Boolean.FALSE.equals(fields.get("passed")) ? 1 : 0);
    }

    private static String usage() {
        StringBuilder b = new StringBuilder("usage: bench/run <scenario> [--quick] [args...]\n"
                + "  a human table, then one JSON line last; --quick runs a short version (about a minute)\n\nscenarios:\n");
        SCENARIOS.forEach((n, e) -> b.append(String.format(Locale.ROOT, "  %-15s %s%n", n, e.what())));
        return b.toString();
    }

    private static double load() {
        return Math.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() * 100) / 100.0;
    }

    private static List<String> split(String s) {
        return s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));
    }

    /** The repository's root: where bench/run runs from (the folder with docs/ and bench/). */
    static Path repo() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docs")) && Files.exists(p.resolve("bench"))) {
                return p;
            }
        }
        return Path.of("").toAbsolutePath();
    }
}
