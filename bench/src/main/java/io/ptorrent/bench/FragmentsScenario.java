package io.ptorrent.bench;

import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.SerializableCallable;
import io.ptorrent.client.TaskHandle;
import org.apache.ignite.client.ClientCompute;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code bench/run fragments [--quick] [smaller larger [limitSeconds]]}: many trivial fragments through ptorrent's
 * whole path (issue 10, part 7): one task of N trivial closures ({@code submitAll}: bundle, sandbox, validation,
 * settlement, every result back to the client) on a {@link ProcessGrid} (harbor + 2 contributors, 1 shared core
 * each); baseline in the same run: one task of N no-op jobs without Ignite's job-result cache on a
 * {@link VanillaGrid} (the same layout), through the thin client. Counts: full 10,000 and 100,000, {@code --quick}
 * 1,000 and 10,000. Each ptorrent task gets {@code limitSeconds} (full 900, quick 300): a task that fails or does not
 * finish in time is reported as such (and cancelled), with what the nodes' logs say of memory; a larger count is not
 * tried when the smaller one did not finish. Ports 54020–54022 and 54030–54032.
 *
 * <p>The submitter sets {@code fragmentTimeout} to 5 s: today's escrow holds fragmentTimeout × the best PU per core
 * for every fragment, which for 100,000 fragments at the harbor's default limit is more credit than any account
 * has (issue 10); it is granted plenty.
 *
 * <p>JSON keys: {@code ptorrentPerSec} and {@code vanillaPerSec} (at the larger count; {@code null} when it did not
 * finish), {@code ratio} (ptorrent ÷ vanilla at the larger count), {@code linearity} (time at the larger ÷ (larger /
 * smaller × time at the smaller), for each side: {@code linearity} is ptorrent's, {@code vanillaLinearity}),
 * {@code runs} (per count: seconds, per second, outcome).
 */
final class FragmentsScenario {
    private static final int PTORRENT_PORT = 54020;
    private static final int VANILLA_PORT = 54030;

    /** One task's outcome: seconds (finished) or why not. */
    record Run(String side, int count, double seconds, String outcome) {
        boolean finished() {
            return "finished".equals(outcome);
        }

        Double perSec() {
            return finished() ? Math.round(count / seconds * 10) / 10.0 : null;
        }
    }

    private FragmentsScenario() {
    }

    static Map<String, Object> run(Bench.Options o) throws Exception {
        List<String> a = o.args();
        int smaller = a.size() > 0 ? Integer.parseInt(a.get(0)) : o.quick() ? 1_000 : 10_000;
        int larger = a.size() > 1 ? Integer.parseInt(a.get(1)) : o.quick() ? 10_000 : 100_000;
        long limit = a.size() > 2 ? Long.parseLong(a.get(2)) : o.quick() ? 300 : 900;
        double loadStart = BenchmarkReport.load();
        Path work = Files.createTempDirectory("ptorrent-fragments-");
        List<Run> runs = new ArrayList<>();

        try (VanillaGrid v = VanillaGrid.start(work, VANILLA_PORT, 2)) {
            ClientCompute compute = v.computeOnClients().withTimeout(TimeUnit.SECONDS.toMillis(limit));
            // Warm-up, twice the smaller task: with bin/ptorrent's C1-only JIT a cold first task is several times slower.
            vanilla(compute, smaller);
            vanilla(compute, smaller);
            for (int n : List.of(smaller, larger)) {
                Run r = vanilla(compute, n);
                runs.add(r);
                System.out.println("vanilla, " + n + " jobs: " + r.outcome() + (r.finished() ? String.format(Locale.ROOT, " in %.2f s", r.seconds()) : ""));
            }
        }
        boolean kept = false;
        try (ProcessGrid g = ProcessGrid.start(work, PTORRENT_PORT, 2, 0);
             PtorrentClient client = g.submitter("fragments", 1_000_000_000L, Duration.ofSeconds(5), Duration.ofSeconds(limit))) {
            ptorrent(client, g, 100, limit); // warm-up: bundle upload, sandbox workers, JIT
            for (int n : List.of(smaller, larger)) {
                Run r = ptorrent(client, g, n, limit);
                runs.add(r);
                System.out.println("ptorrent, " + n + " fragments: " + r.outcome() + (r.finished() ? String.format(Locale.ROOT, " in %.1f s", r.seconds()) : ""));
                if (!r.finished()) {
                    kept = true;
                    if (n == smaller) {
                        runs.add(new Run("ptorrent", larger, 0, "not tried: " + smaller + " did not finish"));
                        break;
                    }
                }
            }
        } finally {
            if (kept) {
                System.out.println("logs of every node: " + work);
            } else {
                ProcessGrid.deleteQuietly(work);
            }
        }

        Run ps = find(runs, "ptorrent", smaller);
        Run pl = find(runs, "ptorrent", larger);
        Run vs = find(runs, "vanilla", smaller);
        Run vl = find(runs, "vanilla", larger);
        Double ratio = pl.finished() && vl.finished() ? round3(pl.perSec() / vl.perSec()) : null;
        Double linearity = linearity(ps, pl);
        Double vanillaLinearity = linearity(vs, vl);

        StringBuilder t = new StringBuilder("| what | fragments | seconds | per second | outcome |\n|---|---|---|---|---|\n");
        for (Run r : runs) {
            t.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s |%n", r.side().equals("vanilla")
                            ? "vanilla Ignite: one task of no-op jobs, no job-result cache (baseline)" : "ptorrent: `submitAll` of trivial closures, results to the client",
                    r.count(), r.finished() ? String.format(Locale.ROOT, "%.2f", r.seconds()) : "—", r.finished() ? String.format(Locale.ROOT, "%,.0f", r.perSec()) : "—",
                    r.outcome()));
        }
        t.append(String.format(Locale.ROOT, "%n| figure | value | target |%n|---|---|---|%n| ratio: ptorrent ÷ vanilla per second at %,d | %s | ≥ 0.5 |%n"
                        + "| linearity: time at %,d ÷ (%s × time at %,d), ptorrent | %s | ≤ 1.1 |%n| the same, vanilla | %s | |%n",
                larger, ratio == null ? "—" : ratio, larger, fmtFactor(larger, smaller), smaller, linearity == null ? "—" : linearity,
                vanillaLinearity == null ? "—" : vanillaLinearity));
        System.out.println(t);
        BenchmarkReport.write(o.quick() ? "fragments-quick" : "fragments", "Fragments: many trivial fragments through the whole path (issue 10)" + (o.quick() ? ", quick" : ""),
                "bench/run fragments" + (o.quick() ? " --quick" : ""),
                BenchmarkReport.machine(loadStart)
                        + "ptorrent: one harbor (config/harbor.xml, persistent) and 2 contributors (1 shared core each), each its own JVM with bin/ptorrent's "
                        + "options and heap (256 MiB); one task of N trivial closures (`submitAll`, fragmentTimeout 5 s so that today's escrow can hold it), "
                        + "from submit until every result is in the client (-Xmx1g), after a warm-up task of 100. Baseline, same run: vanilla Ignite 2.17 in the same layout and JVM options, "
                        + "one thin-client task of N no-op jobs dealt round the 2 client nodes, `@ComputeTaskNoResultCache`, after two warm-up tasks of the smaller count. A task that fails or takes more than "
                        + limit + " s is reported so, not dropped.\n\n" + t);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("ptorrentPerSec", pl.perSec());
        json.put("vanillaPerSec", vl.perSec());
        json.put("ratio", ratio);
        json.put("linearity", linearity);
        json.put("vanillaLinearity", vanillaLinearity);
        json.put("counts", List.of(smaller, larger));
        json.put("limitSeconds", limit);
        List<Map<String, Object>> rs = new ArrayList<>();
        for (Run r : runs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("side", r.side());
            m.put("count", r.count());
            m.put("seconds", r.finished() ? Math.round(r.seconds() * 100) / 100.0 : null);
            m.put("perSec", r.perSec());
            m.put("outcome", r.outcome());
            rs.add(m);
        }
        json.put("runs", rs);
        return json;
    }

    private static Run vanilla(ClientCompute compute, int n) {
        long t0 = System.nanoTime();
        try {
            Integer answered = compute.execute(VanillaNode.NoopJobs.class.getName(), n);
            double s = (System.nanoTime() - t0) / 1e9;
            return new Run("vanilla", n, s, answered != null && answered == n ? "finished" : "answered " + answered + " of " + n);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Run("vanilla", n, 0, "interrupted");
        } catch (RuntimeException e) {
            return new Run("vanilla", n, 0, "failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static Run ptorrent(PtorrentClient client, ProcessGrid grid, int n, long limitSeconds) {
        SerializableCallable<Integer> closure = Closures.answer();
        List<SerializableCallable<Integer>> closures = Collections.nCopies(n, closure);
        long t0 = System.nanoTime();
        TaskHandle<List<Integer>> h = null;
        try {
            h = client.submitAll(closures);
            List<Integer> results = h.result().get(limitSeconds, TimeUnit.SECONDS);
            double s = (System.nanoTime() - t0) / 1e9;
            long right = results.stream().filter(r -> r != null && r == 42).count();
            return new Run("ptorrent", n, s, right == n ? "finished" : "wrong results: " + right + " of " + n + " right");
        } catch (TimeoutException e) {
            h.cancel();
            return new Run("ptorrent", n, 0, "not finished in " + limitSeconds + " s (cancelled)" + memory(grid));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Run("ptorrent", n, 0, "interrupted");
        } catch (ExecutionException | CompletionException | PtorrentException e) {
            Throwable c = e instanceof PtorrentException ? e : e.getCause();
            String why = c instanceof PtorrentException p ? p.code() + ": " + p.getMessage() : c.getClass().getSimpleName() + ": " + c.getMessage();
            return new Run("ptorrent", n, 0, "failed: " + why + memory(grid));
        } catch (OutOfMemoryError e) {
            return new Run("ptorrent", n, 0, "the client (this JVM) ran out of heap");
        }
    }

    private static String memory(ProcessGrid grid) {
        List<String> oom = grid.logsMentioning("OutOfMemoryError");
        return oom.isEmpty() ? "" : "; OutOfMemoryError in the log of " + String.join(", ", oom);
    }

    private static Run find(List<Run> runs, String side, int count) {
        return runs.stream().filter(r -> r.side().equals(side) && r.count() == count).findFirst()
                .orElse(new Run(side, count, 0, "not run"));
    }

    /** time(larger) ÷ (larger/smaller × time(smaller)): 1 is linear. */
    private static Double linearity(Run small, Run large) {
        if (!small.finished() || !large.finished()) {
            return null;
        }
        return round3(large.seconds() / ((double) large.count() / small.count() * small.seconds()));
    }

    private static String fmtFactor(int larger, int smaller) {
        double f = (double) larger / smaller;
        return f == Math.rint(f) ? String.valueOf((long) f) : String.format(Locale.ROOT, "%.2f", f);
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
