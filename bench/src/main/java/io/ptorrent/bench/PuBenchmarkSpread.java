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
 * The PU benchmark's spread and cost (issues 3 and 9), against the benchmark before issue 9 (a two-chain
 * integer hash and a 16×16 matrix multiply beside the same pointer chase) in the same run. Each is measured
 * in a fresh JVM per run with the JIT flags a node's benchmark child and its sandbox workers have (C1 only,
 * {@code -XX:TieredStopAtLevel=1}, serial GC: what {@code bin/ptorrent node --benchmark} measures), and 10
 * times in one such JVM. Per kernel: the mean score, its CoV and its range. Writes its table to
 * docs/BENCHMARKS.md.
 *
 * <p>{@code PuBenchmarkSpread --once new|old} runs one measurement and prints
 * "puPerCore integer floatingPoint memory millis"; the main run starts itself that way for the fresh-JVM rows.
 * {@code PuBenchmarkSpread [runs]} sets the number of runs (10).
 */
public final class PuBenchmarkSpread {
    /** The flags of {@code PuBenchmarkProcess}'s child and of sandbox workers: the JIT whose speed PU is. */
    static final List<String> NODE_JVM = List.of("-Xms48m", "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData");

    private PuBenchmarkSpread() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length == 2 && args[0].equals("--once")) {
            double[] r = args[1].equals("old") ? OldPuBenchmark.run() : runNew();
            StringBuilder sb = new StringBuilder();
            for (double v : r) {
                sb.append(v).append(' ');
            }
            System.out.println(sb.toString().trim());
            return;
        }
        int runs = args.length == 1 ? Integer.parseInt(args[0]) : 10;
        String loadBefore = loadAverage();
        String command = "./mvnw -B -o -pl bench -am package -DskipTests && java -cp bench/target/classes:ignite-plugin/target/classes io.ptorrent.bench.PuBenchmarkSpread";
        List<String> rows = new ArrayList<>();
        for (String which : List.of("old", "new")) {
            double[][] fresh = new double[runs][];
            for (int i = 0; i < runs; i++) {
                fresh[i] = inFreshJvm(which);
            }
            double[][] warm = new double[runs][];
            for (int i = 0; i < runs; i++) {
                warm[i] = which.equals("old") ? OldPuBenchmark.run() : runNew();
            }
            String name = which.equals("old") ? "before issue 9 (hash, matrix multiply, pointer chase; geometric mean)"
                    : "issue 9 (three single chains; reference time over best time)";
            rows.add(row(name + ", fresh JVM per run", fresh));
            rows.add(row(name + ", " + runs + " runs in this JVM", warm));
        }
        String loadAfter = loadAverage();
        String table = "| benchmark | runs | PU/core mean | CoV | integer mean (min–max) | CoV | floating point mean (min–max) | CoV | memory mean (min–max) | CoV | mean cost ms |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n" + String.join("\n", rows) + "\n";
        System.out.println(table);
        BenchmarkReport.write("pu-benchmark", "PU benchmark: spread and cost (issues 3 and 9)", command,
                "On " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores (" + System.getProperty("os.arch") + ", Java "
                        + System.getProperty("java.version") + "); load average " + loadBefore + " before the run and " + loadAfter
                        + " after it (1-minute averages, this run included). Fresh JVMs with " + String.join(" ", NODE_JVM)
                        + " (a node's benchmark child, sandbox workers); the in-JVM rows run in this tool's JVM (" + jit() + "). "
                        + "Cost is the benchmark's own wall time (not the JVM start). Scores are against each benchmark's own reference "
                        + "constants, so the two benchmarks' means are not comparable with each other; their spreads are.\n\n" + table);
    }

    private static String jit() {
        for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-XX:TieredStopAtLevel")) {
                return a;
            }
        }
        return "default tiered JIT, C2";
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** {puPerCore, integer, floatingPoint, memory, millis}. */
    private static double[] runNew() {
        PuBenchmark.Result r = PuBenchmark.run();
        return new double[] {r.puPerCore(), r.kernels().integer(), r.kernels().floatingPoint(), r.kernels().memory(), r.millis()};
    }

    private static double[] inFreshJvm(String which) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString()));
        cmd.addAll(NODE_JVM);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), PuBenchmarkSpread.class.getName(), "--once", which));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("benchmark process failed: " + out);
        }
        String[] parts = out.split("\\s+");
        double[] r = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            r[i] = Double.parseDouble(parts[i]);
        }
        return r;
    }

    private static String row(String what, double[][] runs) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "| %s | %d | %.3f | %.2f%%", what, runs.length, mean(runs, 0), 100 * cov(runs, 0)));
        for (int k = 1; k <= 3; k++) {
            sb.append(String.format(Locale.ROOT, " | %.3f (%.3f–%.3f) | %.2f%%", mean(runs, k), min(runs, k), max(runs, k), 100 * cov(runs, k)));
        }
        return sb.append(String.format(Locale.ROOT, " | %.0f |", mean(runs, 4))).toString();
    }

    private static double mean(double[][] runs, int k) {
        double m = 0;
        for (double[] r : runs) {
            m += r[k] / runs.length;
        }
        return m;
    }

    private static double cov(double[][] runs, int k) {
        double m = mean(runs, k);
        double var = 0;
        for (double[] r : runs) {
            var += (r[k] - m) * (r[k] - m) / (runs.length - 1);
        }
        return Math.sqrt(var) / m;
    }

    private static double min(double[][] runs, int k) {
        double v = Double.MAX_VALUE;
        for (double[] r : runs) {
            v = Math.min(v, r[k]);
        }
        return v;
    }

    private static double max(double[][] runs, int k) {
        double v = -Double.MAX_VALUE;
        for (double[] r : runs) {
            v = Math.max(v, r[k]);
        }
        return v;
    }

    /**
     * The PU benchmark as issue 3 left it, copied here as the baseline: a two-chain integer hash, a 16×16
     * double matrix multiply and the same pointer chase, best of 5 rounds after 3 warm-up rounds, geometric mean.
     */
    /** The kernels before the single-chain fix, kept as the baseline of the same run (and for PuKernelSensitivity). */
    static final class OldPuBenchmark {
        private static final double REFERENCE_INT_NANOS = 17_950_000.0;
        private static final double REFERENCE_FP_NANOS = 20_080_000.0;
        private static final double REFERENCE_MEM_NANOS = 20_600_000.0;
        private static final int INT_STEPS = 8_000_000;
        private static final int FP_ROUNDS = 8_000;
        private static final int MEM_HOPS = 150_000;
        private static final int MEM_INTS = 1 << 23;
        private static final int WARMUP_ROUNDS = 3;
        private static final int ROUNDS = 5;
        private static final int N = 16;
        private static volatile long blackhole;

        private OldPuBenchmark() {
        }

        /** {puPerCore, integer, floatingPoint, memory, millis}. */
        static double[] run() {
            long start = System.nanoTime();
            int[] next = new int[MEM_INTS];
            for (int i = 0; i < MEM_INTS; i++) {
                next[i] = (int) ((0x2C9277B5L * i + 0x3C6EF35FL) & (MEM_INTS - 1));
            }
            double[] a = matrix(1);
            double[] b = matrix(2);
            double[] c = new double[N * N];
            int p = 0;
            for (int i = 0; i < WARMUP_ROUNDS; i++) {
                blackhole ^= intKernel(i, INT_STEPS);
                blackhole ^= fpKernel(a, b, c, FP_ROUNDS);
                p = memKernel(next, p, MEM_HOPS);
            }
            long bestInt = Long.MAX_VALUE;
            long bestFp = Long.MAX_VALUE;
            long bestMem = Long.MAX_VALUE;
            for (int i = 0; i < ROUNDS; i++) {
                long t0 = System.nanoTime();
                blackhole ^= intKernel(i, INT_STEPS);
                long t1 = System.nanoTime();
                blackhole ^= fpKernel(a, b, c, FP_ROUNDS);
                long t2 = System.nanoTime();
                p = memKernel(next, p, MEM_HOPS);
                long t3 = System.nanoTime();
                bestInt = Math.min(bestInt, t1 - t0);
                bestFp = Math.min(bestFp, t2 - t1);
                bestMem = Math.min(bestMem, t3 - t2);
            }
            blackhole ^= p;
            double si = REFERENCE_INT_NANOS / bestInt;
            double sf = REFERENCE_FP_NANOS / bestFp;
            double sm = REFERENCE_MEM_NANOS / bestMem;
            return new double[] {Math.cbrt(si * sf * sm), si, sf, sm, (System.nanoTime() - start) / 1_000_000L};
        }

        static long intKernel(long seed, int steps) {
            long x = 0x9E3779B97F4A7C15L ^ seed;
            long h = seed;
            for (int i = 0; i < steps; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                h = Long.rotateLeft((h ^ x) * 0xBF58476D1CE4E5B9L, 31);
            }
            return h;
        }

        static long fpKernel(double[] a, double[] b, double[] c, int rounds) {
            for (int r = 0; r < rounds; r++) {
                java.util.Arrays.fill(c, 0.0);
                for (int i = 0; i < N; i++) {
                    for (int k = 0; k < N; k++) {
                        double aik = a[i * N + k];
                        for (int j = 0; j < N; j++) {
                            c[i * N + j] += aik * b[k * N + j];
                        }
                    }
                }
                double norm = 0;
                for (double v : c) {
                    norm += v * v;
                }
                double scale = 1.0 / Math.sqrt(norm);
                for (int i = 0; i < N * N; i++) {
                    a[i] = c[i] * scale;
                }
            }
            double sum = 0;
            for (double v : a) {
                sum += v;
            }
            return Double.doubleToLongBits(sum);
        }

        static int memKernel(int[] next, int start, int hops) {
            int p = start;
            for (int i = 0; i < hops; i++) {
                p = next[p];
            }
            return p;
        }

        static double[] matrix(long seed) {
            double[] m = new double[N * N];
            long x = 0x9E3779B97F4A7C15L * (seed + 1);
            for (int i = 0; i < m.length; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                m[i] = (x >>> 11) * 0x1.0p-53 * 2.0 - 1.0;
            }
            return m;
        }
    }
}
