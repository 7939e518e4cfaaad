package io.ptorrent.bench;

import io.ptorrent.credit.ratio.Entitlements;
import io.ptorrent.credit.ratio.FairQueue;
import io.ptorrent.credit.ratio.FairnessSimulation;
import io.ptorrent.credit.ratio.Forecast;
import io.ptorrent.credit.ratio.ForecastError;
import io.ptorrent.credit.ratio.GridSample;
import io.ptorrent.credit.ratio.RatioConfiguration;
import io.ptorrent.credit.ratio.RatioEngine;
import io.ptorrent.credit.ratio.SyntheticLoad;

import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ratio engine's figures, each against its baseline in the same run: fairness on the simulated saturated grid
 * ({@link FairnessSimulation}: FairQueue vs one FIFO), the supply/demand forecast's error (Ignite ML LSQR vs the
 * last value) on synthetic series, and the cost of one FairQueue pick (vs an ArrayDeque poll). Writes its section
 * of docs/BENCHMARKS.md.
 */
public final class RatioBenchmark {
    private RatioBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        StringBuilder body = new StringBuilder();
        body.append("On ").append(LocalDate.now()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, Java ").append(System.getProperty("java.version")).append(", load average before the run ")
                .append(loadAverage()).append(" (the timings below move with it; the fairness and error figures do not).\n\n");
        fairness(body, seeds);
        forecast(body);
        pickCost(body);
        System.out.println(body);
        BenchmarkReport.write("ratio", "Ratio engine: fairness, forecast error, pick cost (issue 5)",
                "./mvnw -B -o -pl bench -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt && java -Xmx1g "
                        + "-XX:+UseSerialGC <ignite.jvm.flags from pom.xml> -cp bench/target/classes:$(cat /tmp/cp.txt) io.ptorrent.bench.RatioBenchmark " + seeds,
                body.toString());
    }

    private static void fairness(StringBuilder out, int seeds) {
        out.append("**Fairness.** A simulated saturated grid (discrete events, injected clock): accounts a, b, c contribute 1, 2 and 4 nodes of 1 PU "
                + "and keep work queued (fragments of 2, 1 and 0.5 PU-s on average); a free rider (tier FREE, no node) too. One hour of warm-up, "
                + "one measured hour under contention, then the free rider alone (measured after the others' queued work drained). "
                + "Received = share of the PU-seconds served under contention; entitled = the engine's share averaged over that hour. "
                + "Jain's index over received/entitled of a, b, c. Mean over " + seeds + " seeds (worst in brackets).\n\n");
        out.append("| policy | a received / entitled | b received / entitled | c received / entitled | Jain's index | free rider, contention | free rider, alone |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        for (FairnessSimulation.Policy policy : List.of(FairnessSimulation.Policy.FIFO, FairnessSimulation.Policy.FAIR)) {
            Map<String, double[]> received = new HashMap<>();
            Map<String, double[]> entitled = new HashMap<>();
            double jain = 0;
            double worstJain = 1;
            double rider = 0;
            double worstRider = 0;
            double alone = 0;
            double worstAlone = 1;
            for (int seed = 1; seed <= seeds; seed++) {
                FairnessSimulation.Result r = FairnessSimulation.run(policy, seed);
                r.receivedShare().forEach((a, s) -> received.computeIfAbsent(a, k -> new double[1])[0] += s / seeds);
                r.entitledShare().forEach((a, s) -> entitled.computeIfAbsent(a, k -> new double[1])[0] += s / seeds);
                jain += r.jain() / seeds;
                worstJain = Math.min(worstJain, r.jain());
                rider += r.riderContended() / seeds;
                worstRider = Math.max(worstRider, r.riderContended());
                alone += r.riderIdle() / seeds;
                worstAlone = Math.min(worstAlone, r.riderIdle());
            }
            out.append("| ").append(policy == FairnessSimulation.Policy.FAIR ? "FairQueue by entitlement" : "one FIFO (baseline)");
            for (String a : List.of("a", "b", "c")) {
                out.append(" | ").append(pct(received.get(a)[0])).append(" / ").append(pct(entitled.get(a)[0]));
            }
            out.append(String.format(Locale.ROOT, " | %.4f (%.4f) | %s (%s) | %s (%s) |%n", jain, worstJain, pct(rider), pct(worstRider), pct(alone), pct(worstAlone)));
        }
        out.append("\nAims (issue 5): Jain's index ≥ 0.95, the free rider ≤ 5% under contention and ≥ 80% of the grid alone.\n\n");
    }

    private static void forecast(StringBuilder out) {
        out.append("**Forecast.** Next interval's supply and demand; LSQR linear regression (Ignite ML 2.15.0, fitted from a map) on the "
                + "last `lags` values of both series, against the naive forecast (the last value) on the same points. Held-out: the last "
                + "quarter of the history, unseen in training. Live: every forecast the engine handed out, against the interval that then "
                + "arrived (naive ones before the first training included). MAE in PU; MAPE in brackets.\n\n");
        out.append("| series | lags | intervals | what | held-out MAE model / naive | live MAE model / naive | source at the end | ms per training |\n");
        out.append("|---|---|---|---|---|---|---|---|\n");
        forecastRow(out, "periodic, period 24, noise", 24, 240, SyntheticLoad.periodic(1_440, 24, 42));
        forecastRow(out, "random walk (nothing to learn)", 24, 240, SyntheticLoad.randomWalk(1_440, 7));
        forecastRow(out, "periodic, period 24, defaults (30 lags)", RatioConfiguration.DEFAULT_LAGS, RatioConfiguration.DEFAULT_MIN_TRAINING_SAMPLES,
                SyntheticLoad.periodic(1_440, 24, 42));
        out.append('\n');
    }

    private static void forecastRow(StringBuilder out, String name, int lags, int minTraining, List<GridSample> series) {
        RatioEngine engine = new RatioEngine(new RatioConfiguration().setLags(lags).setMinTrainingSamples(minTraining).setRetrainEvery(60),
                Clock.fixed(SyntheticLoad.T0, ZoneOffset.UTC));
        // Warm-up: JIT and netlib's first load, on a run that is thrown away.
        RatioEngine warm = new RatioEngine(new RatioConfiguration().setLags(lags).setMinTrainingSamples(minTraining), Clock.fixed(SyntheticLoad.T0, ZoneOffset.UTC));
        series.subList(0, minTraining + 5).forEach(warm::recordInterval);
        long trainings = 0;
        long trainingNanos = 0;
        for (GridSample s : series) {
            int before = engine.forecast().trainingSamples();
            long t0 = System.nanoTime();
            engine.recordInterval(s);
            long t = System.nanoTime() - t0;
            if (engine.forecast().trainingSamples() != before) {
                trainings++;
                trainingNanos += t;
            }
        }
        Forecast f = engine.forecast();
        row(out, name, lags, series.size(), "demand", f.heldOutDemand(), f.liveDemand(), f.demandSource(), trainingNanos / 1e6 / Math.max(1, trainings));
        row(out, name, lags, series.size(), "supply", f.heldOutSupply(), f.liveSupply(), f.supplySource(), Double.NaN);
    }

    private static void row(StringBuilder out, String name, int lags, int n, String what, ForecastError heldOut, ForecastError live, Forecast.Source source, double ms) {
        out.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %.2f (%s) / %.2f (%s) | %.2f (%s) / %.2f (%s) | %s | %s |%n", name, lags, n, what,
                heldOut.mae(), pct(heldOut.mape()), heldOut.naiveMae(), pct(heldOut.naiveMape()),
                live.mae(), pct(live.mape()), live.naiveMae(), pct(live.naiveMape()), source,
                Double.isNaN(ms) ? "(same)" : String.format(Locale.ROOT, "%.0f", ms)));
    }

    private static void pickCost(StringBuilder out) {
        out.append("**Pick cost.** One `poll` + `onCompleted` on a FairQueue whose accounts all have work queued, against `ArrayDeque.poll` + "
                + "`add` of the same items (baseline); one thread, after warm-up. Timing figures for orientation, not a JMH run.\n\n");
        out.append("| accounts with work | FairQueue ns/pick | ArrayDeque ns/pick (baseline) |\n|---|---|---|\n");
        for (int accounts : new int[] {4, 100, 1_000}) {
            int picks = accounts >= 1_000 ? 200_000 : 2_000_000;
            pick(accounts, picks / 4);
            double fair = pick(accounts, picks);
            deque(picks / 4);
            double deque = deque(picks);
            out.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f |%n", accounts, fair, deque));
        }
        out.append('\n');
    }

    /** ns per pick; each account's share is proportional to its index + 1. */
    private static double pick(int accounts, int picks) {
        FairQueue<Integer> q = new FairQueue<>(withDemand -> {
            Map<String, Double> shares = new HashMap<>();
            double sum = 0;
            for (String a : withDemand) {
                sum += Integer.parseInt(a.substring(1)) + 1;
            }
            for (String a : withDemand) {
                shares.put(a, (Integer.parseInt(a.substring(1)) + 1) / sum);
            }
            return new Entitlements(SyntheticLoad.T0, shares, 1);
        });
        String[] names = new String[accounts];
        for (int a = 0; a < accounts; a++) {
            names[a] = "a" + a;
            for (int i = 0; i < 4; i++) {
                q.add(names[a], a);
            }
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < picks; i++) {
            // An item is its account's index: completed at once and queued again, so every account keeps work.
            int a = q.poll(x -> true);
            q.onCompleted(names[a], 1.0);
            q.add(names[a], a);
        }
        return (System.nanoTime() - t0) / (double) picks;
    }

    private static double deque(int picks) {
        ArrayDeque<Integer> q = new ArrayDeque<>();
        for (int i = 0; i < 64; i++) {
            q.add(i);
        }
        long t0 = System.nanoTime();
        long sink = 0;
        for (int i = 0; i < picks; i++) {
            Integer item = q.poll();
            sink += item;
            q.add(item);
        }
        double ns = (System.nanoTime() - t0) / (double) picks;
        if (sink == 42) {
            System.out.print("");
        }
        return ns;
    }

    /** The 1-minute load average, or "unknown" off Linux. */
    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String pct(double x) {
        return Double.isNaN(x) ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * x);
    }
}
