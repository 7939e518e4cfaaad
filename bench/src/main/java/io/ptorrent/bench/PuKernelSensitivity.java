package io.ptorrent.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Why the FP kernel was bimodal (issue 9): every kernel of the benchmark before issue 9 and of the one after
 * it, timed round after round in one JVM for a while, interleaved, so that whatever disturbs the core at a
 * moment disturbs every kernel's rounds alike. Per kernel: its best round and how much slower its other
 * rounds were (p10, p50, p90, max over the best). A kernel that issues much independent work per cycle
 * suffers more from a busy neighbour on its physical core than a single dependency chain does. Run it with
 * the node's JIT flags ({@code -XX:TieredStopAtLevel=1 -XX:+UseSerialGC}). Writes its table to
 * docs/BENCHMARKS.md.
 *
 * <p>{@code PuKernelSensitivity [seconds]} (40).
 */
public final class PuKernelSensitivity {
    private static volatile long blackhole;

    private PuKernelSensitivity() {
    }

    public static void main(String[] args) throws IOException {
        int seconds = args.length == 1 ? Integer.parseInt(args[0]) : 40;
        String loadBefore = loadAverage();
        int[] next = new int[1 << 23];
        for (int i = 0; i < next.length; i++) {
            next[i] = (int) ((0x2C9277B5L * i + 0x3C6EF35FL) & (next.length - 1));
        }
        double[] a = PuBenchmarkSpread.OldPuBenchmark.matrix(1);
        double[] b = PuBenchmarkSpread.OldPuBenchmark.matrix(2);
        double[] c = new double[256];
        int[] p = {0};
        String[] names = {"before: integer (xorshift + multiply-rotate hash, two chains)", "before: floating point (16×16 matrix multiply)",
            "both: memory (pointer chase, 32 MiB)", "after: integer (one multiply-add-rotate chain)", "after: floating point (one logistic-map chain)"};
        Runnable[] kernels = {
            () -> blackhole ^= PuBenchmarkSpread.OldPuBenchmark.intKernel(blackhole, 8_000_000),
            () -> blackhole ^= PuBenchmarkSpread.OldPuBenchmark.fpKernel(a, b, c, 8_000),
            () -> p[0] = PuBenchmarkSpread.OldPuBenchmark.memKernel(next, p[0], 150_000),
            () -> blackhole ^= newInt(blackhole, 7_000_000),
            () -> blackhole ^= Double.doubleToRawLongBits(newFp(0.3 + (blackhole & 0xFF) * 1e-4, 5_000_000)),
        };
        for (int w = 0; w < 3; w++) {
            for (Runnable k : kernels) {
                k.run();
            }
        }
        List<double[]> rounds = new ArrayList<>();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            double[] r = new double[kernels.length];
            for (int k = 0; k < kernels.length; k++) {
                long t0 = System.nanoTime();
                kernels[k].run();
                r[k] = (System.nanoTime() - t0) / 1e6;
            }
            rounds.add(r);
        }
        StringBuilder table = new StringBuilder("| kernel | rounds | best ms | p10 / best | p50 / best | p90 / best | max / best |\n|---|---|---|---|---|---|---|\n");
        for (int k = 0; k < kernels.length; k++) {
            double[] v = new double[rounds.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = rounds.get(i)[k];
            }
            Arrays.sort(v);
            double best = v[0];
            table.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.3f | %.3f | %.3f | %.3f |%n", names[k], v.length, best,
                    at(v, 0.1) / best, at(v, 0.5) / best, at(v, 0.9) / best, v[v.length - 1] / best));
        }
        System.out.print(table);
        String jit = "default tiered JIT, C2";
        for (String arg : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-XX:TieredStopAtLevel")) {
                jit = arg;
            }
        }
        BenchmarkReport.write("pu-kernel-sensitivity", "PU benchmark: how much each kernel's rounds vary (issue 9, the bimodal FP kernel)",
                "./mvnw -B -o -pl bench -am package -DskipTests && java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m -cp bench/target/classes io.ptorrent.bench.PuKernelSensitivity " + seconds,
                "On " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version") + " (" + jit
                        + "); load average " + loadBefore + " before and " + loadAverage() + " after (1-minute averages, this run included). "
                        + "One JVM, " + seconds + " s, the kernels timed one after the other in every round.\n\n" + table);
    }

    private static double at(double[] sorted, double q) {
        return sorted[(int) (q * (sorted.length - 1))];
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }




    /** The same chain as {@code PuBenchmark.intKernel}. */
    private static long newInt(long h, int steps) {
        for (int i = 0; i < steps; i++) {
            h = Long.rotateLeft(h * 0xBF58476D1CE4E5B9L + 0x9E3779B97F4A7C15L, 29);
        }
        return h;
    }

    /** The same chain as {@code PuBenchmark.fpKernel}. */
    private static double newFp(double x, int steps) {
        for (int i = 0; i < steps; i++) {
            x = 3.9 * x * (1.0 - x);
        }
        return x;
    }

}
