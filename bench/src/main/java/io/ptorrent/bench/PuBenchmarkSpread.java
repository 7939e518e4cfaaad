package io.ptorrent.bench;

import io.ptorrent.plugin.bench.PuBenchmark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The PU benchmark's spread and cost (issue 3), against the first single-kernel benchmark in the same
 * run. Each is measured twice: in a fresh JVM per run (what a node does when it starts: cold JIT) and
 * 10 times in one JVM. Writes its table to docs/BENCHMARKS.md.
 *
 * <p>{@code PuBenchmarkSpread --once new|old} runs one measurement and prints "puPerCore millis"; the
 * main run starts itself that way for the fresh-JVM rows.
 */
public final class PuBenchmarkSpread {
    private static final int RUNS = 10;

    private PuBenchmarkSpread() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length == 2 && args[0].equals("--once")) {
            double[] r = args[1].equals("old") ? OldPuBenchmark.run() : runNew();
            System.out.println(r[0] + " " + r[1]);
            return;
        }
        String load = loadAverage();
        String command = "./mvnw -B -o -pl bench -am package -DskipTests && java -cp bench/target/classes:ignite-plugin/target/classes io.ptorrent.bench.PuBenchmarkSpread";
        List<String> rows = new ArrayList<>();
        for (String which : List.of("old", "new")) {
            double[][] fresh = new double[RUNS][];
            for (int i = 0; i < RUNS; i++) {
                fresh[i] = inFreshJvm(which);
            }
            double[][] warm = new double[RUNS][];
            for (int i = 0; i < RUNS; i++) {
                warm[i] = which.equals("old") ? OldPuBenchmark.run() : runNew();
            }
            String name = which.equals("old") ? "old single-kernel benchmark (baseline)" : "calibrated PU benchmark (int + FP + memory)";
            rows.add(row(name + ", fresh JVM per run", fresh));
            rows.add(row(name + ", 10 runs in one JVM", warm));
        }
        PuBenchmark.Result one = PuBenchmark.run();
        String table = "| benchmark | runs | mean PU/core | stdev | CoV | mean cost ms | max cost ms |\n|---|---|---|---|---|---|---|\n"
                + String.join("\n", rows) + "\n";
        System.out.println(table);
        BenchmarkReport.write("pu-benchmark", "PU benchmark: spread and cost (issue 3)", command,
                "On " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores (" + System.getProperty("os.arch") + ", Java "
                        + System.getProperty("java.version") + "); load average before the run " + load + " (1-minute average: it still counts a build that just ended). "
                        + "Cost is the benchmark's own wall time (not the JVM start). The reference constants were calibrated on this machine, "
                        + "so 1.0 PU per core is this machine's core. One run's kernels: integer " + one.kernels().integer() + ", floating point "
                        + one.kernels().floatingPoint() + ", memory " + one.kernels().memory() + " PU.\n\n" + table);
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double[] runNew() {
        PuBenchmark.Result r = PuBenchmark.run();
        return new double[] {r.puPerCore(), r.millis()};
    }

    private static double[] inFreshJvm(String which) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                PuBenchmarkSpread.class.getName(), "--once", which).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("benchmark process failed: " + out);
        }
        String[] parts = out.split("\\s+");
        return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])};
    }

    private static String row(String what, double[][] runs) {
        double mean = 0;
        double cost = 0;
        double maxCost = 0;
        for (double[] r : runs) {
            mean += r[0] / runs.length;
            cost += r[1] / runs.length;
            maxCost = Math.max(maxCost, r[1]);
        }
        double var = 0;
        for (double[] r : runs) {
            var += (r[0] - mean) * (r[0] - mean) / (runs.length - 1);
        }
        double stdev = Math.sqrt(var);
        return String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.2f%% | %.0f | %.0f |", what, runs.length, mean, stdev, 100 * stdev / mean, cost, maxCost);
    }

    /**
     * The first PU benchmark (before issue 3), copied here as the baseline: one interleaved
     * integer/floating-point loop, best of 5 rounds after 2 warm-up rounds.
     */
    static final class OldPuBenchmark {
        private static final double REFERENCE_ROUND_NANOS = 22_000_000.0;
        private static final int ROUNDS = 5;
        private static final int WARMUP_ROUNDS = 2;
        private static final int INNER = 8_000_000;
        private static volatile long blackhole;

        private OldPuBenchmark() {
        }

        /** {puPerCore, millis}. */
        static double[] run() {
            long start = System.nanoTime();
            for (int i = 0; i < WARMUP_ROUNDS; i++) {
                blackhole ^= round(i);
            }
            long best = Long.MAX_VALUE;
            for (int i = 0; i < ROUNDS; i++) {
                long t0 = System.nanoTime();
                blackhole ^= round(i);
                best = Math.min(best, System.nanoTime() - t0);
            }
            double puPerCore = Math.round(REFERENCE_ROUND_NANOS / Math.max(1, best) * 1000.0) / 1000.0;
            return new double[] {puPerCore, (System.nanoTime() - start) / 1_000_000L};
        }

        private static long round(int seed) {
            long x = 0x9E3779B97F4A7C15L ^ seed;
            double y = 1.0 + seed;
            for (int i = 0; i < INNER; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                y = y * 1.0000001 + (x & 0xFF) * 1e-9;
                if (y > 1e6) {
                    y = 1.0;
                }
            }
            return x ^ Double.doubleToLongBits(y);
        }
    }
}
