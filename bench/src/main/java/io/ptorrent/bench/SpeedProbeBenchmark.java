package io.ptorrent.bench;

import io.ptorrent.plugin.NodeAttributes;
import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.scheduler.NodeSpeeds;
import io.ptorrent.plugin.scheduler.SpeedProbeOptions;
import io.ptorrent.plugin.testing.TestGrid;
import org.apache.ignite.Ignite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;

/**
 * The harbor's speed probe (issue 9): what the harbor measures for a contributor, against the node's own
 * claim, and how much of a probe's harbor time is not the probe's work. Two probe sizes, each on a fresh grid
 * (one harbor, one contributor sharing one core, both in this JVM; the sandbox worker is a process of its
 * own, with the node JIT flags): a harbor time is {@code overhead + work / speed}, so two sizes give both
 * (the round trip, admission, decoding and the check on the harbor are the overhead). Writes its table to
 * docs/BENCHMARKS.md.
 *
 * <p>{@code SpeedProbeBenchmark [measurements per size]} (5, the most a harbor keeps).
 */
public final class SpeedProbeBenchmark {
    /** bench's own ports (the pu helper's range), away from tests' and Ignite's defaults. */
    private static final int BASE_PORT = 52710;
    private static final double SMALL = 0.25;
    private static final double LARGE = SpeedProbeOptions.DEFAULT_REFERENCE_SECONDS;

    private SpeedProbeBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int n = Math.min(NodeSpeeds.HISTORY, args.length == 1 ? Integer.parseInt(args[0]) : NodeSpeeds.HISTORY);
        String loadBefore = loadAverage();
        double[][] small = measure(SMALL, n);
        double[][] large = measure(LARGE, n);
        // Harbor seconds per probe: work / measured speed.
        double tSmall = median(seconds(SMALL, small[0]));
        double tLarge = median(seconds(LARGE, large[0]));
        double speed = (LARGE - SMALL) / (tLarge - tSmall);
        double overhead = tSmall - SMALL / speed;
        String table = String.format(Locale.ROOT, """
                | probe work (reference-core s) | measurements | measured PU/core: median (min–max) | harbor ms per probe (median) | node's claim PU/core |
                |---|---|---|---|---|
                | %.2f | %d | %.3f (%.3f–%.3f) | %.0f | %.3f |
                | %.2f | %d | %.3f (%.3f–%.3f) | %.0f | %.3f |

                From the two sizes: the core's speed %.3f PU, the overhead of one probe %.0f ms, %.1f%% of a %.1f s probe.
                """, SMALL, small[0].length, median(small[0]), min(small[0]), max(small[0]), 1000 * tSmall, small[1][0],
                LARGE, large[0].length, median(large[0]), min(large[0]), max(large[0]), 1000 * tLarge, large[1][0],
                speed, 1000 * overhead, 100 * overhead / tLarge, LARGE);
        System.out.println(table);
        BenchmarkReport.write("speed-probe", "Harbor-measured speed: the speed probe (issue 9)",
                "./mvnw -B -o -pl bench -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt && java "
                        + "<ignite.jvm.flags from pom.xml> -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp bench/target/classes:$(cat /tmp/cp.txt) io.ptorrent.bench.SpeedProbeBenchmark " + n,
                "On " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                        + "; load average " + loadBefore + " before and " + loadAverage() + " after (1-minute averages, this run included). "
                        + "One harbor and one contributor (1 shared core, a spare-less sandbox) in this JVM, loopback; each measurement is a "
                        + "one-round warm-up and the timed probe, every 0.5–1.5 s.\n\n" + table);
    }

    /** {measured PU per core of each probe, {the node's claim}}. */
    private static double[][] measure(double referenceSeconds, int n) {
        try (TestGrid grid = new TestGrid(BASE_PORT, 10)) {
            Ignite harbor = grid.startHarbor("harbor", false, c -> c.setConsolePort(0)
                    .setSpeedProbe(SpeedProbeOptions.DEFAULTS.withInterval(Duration.ofSeconds(1)).withReferenceSeconds(referenceSeconds)));
            UUID node = grid.startContributor("contributor", 1).cluster().localNode().id();
            NodeSpeeds speeds = PtorrentPlugin.of(harbor).scheduler().speeds();
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            // The harbor keeps a node's last five: n of them is all this reads.
            while (speeds.measurements(node) < n && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            double[] got = speeds.history(node);
            double claim = NodeAttributes.doubleAttr(harbor.cluster().node(node), NodeAttributes.PU_PER_CORE);
            return new double[][] {got, {claim}};
        }
    }

    private static double[] seconds(double work, double[] pu) {
        return Arrays.stream(pu).map(v -> work / v).toArray();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
