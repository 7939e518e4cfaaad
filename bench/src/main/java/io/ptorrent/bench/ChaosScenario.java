package io.ptorrent.bench;

import io.ptorrent.plugin.testing.ChaosRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code bench/run chaos [--quick]}: faults lose nothing (issue 9). A {@link ChaosRun} on separate JVMs on
 * loopback: two harbors (persistent, one backup), contributors killed with SIGKILL mid-task again and again, a
 * harbor killed and started again while the other serves, submitters that disconnect mid-task; the ledger
 * checked all the while. {@link ChaosRun} defines each figure, "lost" included.
 *
 * <p>JSON keys: {@code fragmentsLost}, {@code paidTwice}, {@code sumDrift}, {@code negativeBalances} (each must be
 * 0), {@code kills}, {@code restarts}, {@code disconnects}, {@code tasks}, {@code accepted}, {@code succeeded},
 * {@code failures} (error code → tasks), {@code fragmentsPaid}, {@code ledgerMismatches}, {@code stuckTasks},
 * {@code orphanWorkers}, {@code checks}, {@code passed}. Ports 52900–52921. The run's logs stay in a temp folder
 * when a check fails.
 */
final class ChaosScenario {
    private static final int BASE_PORT = 52900;
    /** What the figures mean (ChaosRun's javadoc has the same, with the checks' details). */
    static final String MEANING = "Every task the grid accepted has an escrow hold in the ledger, so the holds list the accepted tasks"
            + " whether or not the submitter heard back. A fragment is **lost** when the grid kept neither side of the bargain for it:"
            + " its task's hold is still open once the grid is quiet (never finished, never refunded), or its task succeeded (as its"
            + " submitter saw it, or the harbor's status for a submitter that disconnected) but the fragment's result is missing or"
            + " wrong, or its contributor was never paid for it. A task that failed (its harbor died, its fragments ran out of attempts,"
            + " it timed out) loses nothing when its hold was closed with the unpaid part refunded. **paidTwice**: (task, fragment)"
            + " pairs with more than one payment. **sumDrift**: the largest |Σ balances + Σ held − Σ grants| in any check (all accounts"
            + " read in one transaction every 0.5 s during the run, every row of every table at the end). **negativeBalances**:"
            + " accounts seen below zero in any check.";

    private ChaosScenario() {
    }

    static Map<String, Object> run(Bench.Options o) throws IOException {
        Path work = Files.createTempDirectory("ptorrent-chaos-");
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        ChaosRun.Plan plan = o.quick()
                ? new ChaosRun.Plan(BASE_PORT, work, 3, 2, 8, 4, 400, 4, 1, 1, 7L)
                : new ChaosRun.Plan(BASE_PORT, work, 4, 3, 60, 6, 800, 20, 3, 3, 7L);
        ChaosRun.Report r = ChaosRun.run(plan);
        String table = table(plan, r);
        System.out.println(table);
        r.failureExamples().forEach((code, why) -> System.out.println("a task failed with " + code + ": " + why));
        r.violations().forEach(v -> System.out.println("violation: " + v));
        if (r.clean()) {
            delete(work);
        } else {
            System.out.println("logs of every node: " + work);
        }
        BenchmarkReport.write(o.quick() ? "chaos-quick" : "chaos", "Chaos: faults lose nothing (issue 9)" + (o.quick() ? ", quick" : ""),
                "bench/run chaos" + (o.quick() ? " --quick" : ""),
                "On " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores (shared), Java " + System.getProperty("java.version")
                        + ". Two harbors (config/harbor.xml, native persistence, ledger backups = 1) and " + plan.contributors()
                        + " contributors (1 shared core each, automatic mode off), each its own JVM; " + plan.submitters() + " submitters, tasks of "
                        + plan.fragmentsPerTask() + " fragments of " + plan.fragmentMillis() + " ms.\n\n" + MEANING + "\n\n" + table);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("fragmentsLost", r.fragmentsLost());
        json.put("paidTwice", r.paidTwice());
        json.put("sumDrift", r.sumDrift());
        json.put("negativeBalances", r.negativeBalances());
        json.put("kills", r.kills());
        json.put("restarts", r.restarts());
        json.put("disconnects", r.disconnects());
        json.put("tasks", r.tasks());
        json.put("accepted", r.accepted());
        json.put("succeeded", r.succeeded());
        json.put("failures", r.failures());
        json.put("fragmentsPaid", r.fragmentsPaid());
        json.put("ledgerMismatches", r.ledgerMismatches());
        json.put("stuckTasks", r.stuckTasks());
        json.put("orphanWorkers", r.orphanWorkers());
        json.put("checks", r.checks());
        json.put("passed", r.clean());
        return json;
    }

    private static String table(ChaosRun.Plan plan, ChaosRun.Report r) {
        StringBuilder b = new StringBuilder("| what | count | must be |\n|---|---|---|\n");
        row(b, "fragments lost (neither delivered and paid, nor refunded)", r.fragmentsLost(), "0");
        row(b, "fragments paid twice", r.paidTwice(), "0");
        row(b, "largest drift of Σ balances + held beyond grants (milli-PU-s)", r.sumDrift(), "0");
        row(b, "accounts seen below zero", r.negativeBalances(), "0");
        row(b, "accounts or holds that differ from the ledger's entries", r.ledgerMismatches(), "0");
        row(b, "tasks stuck (hold open, or no answer to the submitter)", r.stuckTasks(), "0");
        row(b, "sandbox workers left by killed contributors", r.orphanWorkers(), "0");
        row(b, "contributors killed (SIGKILL, mid-task)", r.kills(), "" + plan.contributorKills());
        row(b, "harbors killed (SIGKILL) and started again", r.restarts(), "" + plan.harborRestarts());
        row(b, "submitters disconnected mid-task", r.disconnects(), "" + plan.disconnects());
        row(b, "tasks submitted / accepted / succeeded", r.tasks() + " / " + r.accepted() + " / " + r.succeeded(), "");
        row(b, "tasks failed, by error code", r.failures().isEmpty() ? "none" : r.failures().toString(), "");
        row(b, "fragments paid", r.fragmentsPaid(), "");
        row(b, "consistent reads of all accounts during the run", r.checks(), "");
        row(b, "run time (s)", String.format(Locale.ROOT, "%.0f", r.seconds()), "");
        return b.toString();
    }

    private static void row(StringBuilder b, String what, Object value, String want) {
        b.append("| ").append(what).append(" | ").append(value).append(" | ").append(want).append(" |\n");
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
