package io.ptorrent.bench;

import admissiontest.BusyClosures;
import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.SerializableCallable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench/run utilization [--quick] [reps]}: do the contributors' shared cores stay busy (issue 10, part 7)? On a
 * {@link ProcessGrid} (harbor + 2 contributors, 1 shared core each), one task of fragments that each keep a core
 * busy for 20 ms, then one of 200 ms; makespan (submit until every result is in the client) ÷ ideal (fragments ×
 * length ÷ 2 shared cores). Then the same on a new grid whose harbor and contributors add 25 ms to each way of
 * their link ({@link io.ptorrent.plugin.transport.LinkDelay}, benchmark only): a household's link. Each case runs
 * after a warm-up task of the same closure (bundle uploaded, sandbox workers running), {@code reps} times (full 3,
 * quick 1), the median reported. Full: 500 × 20 ms and 100 × 200 ms (5 s and 10 s ideal); {@code --quick}: 100 × 20 ms
 * and 20 × 200 ms (1 s and 2 s). Ports 54040–54042 and 54050–54052.
 *
 * <p>A fragment spins on {@code System.nanoTime()} for its length (the verifier allows user code no thread-CPU
 * clock): so a machine busy with other work does not stretch the fragment itself, and what stretches the makespan is
 * the time a core waits between fragments — what this scenario measures.
 *
 * <p>JSON keys: {@code ratios} (case → makespan ÷ ideal: {@code 20ms}, {@code 200ms}, {@code 20ms-wan},
 * {@code 200ms-wan}), {@code makespansMs} (the same cases), {@code idealMs}, {@code fragments}, {@code reps},
 * {@code linkDelayMs}, {@code oneClosureP50Ms} ({@code loopback}, {@code wan}: one trivial closure's round trip, where the delay
 * shows first), {@code fragmentsPerNode} (case → the nodes' counts, largest first), {@code linkDelayOn} (the nodes whose log says they applied it: all three, or the -wan figures mean nothing).
 */
final class UtilizationScenario {
    private static final int PORT = 54040;
    private static final int WAN_PORT = 54050;
    private static final long WAN_DELAY_MS = 25;
    private static final int CORES = 2;

    private UtilizationScenario() {
    }

    record Case(String name, long millis, int fragments) {
        double idealMs() {
            return (double) fragments * millis / CORES;
        }
    }

    static Map<String, Object> run(Bench.Options o) throws Exception {
        int reps = o.args().isEmpty() ? (o.quick() ? 1 : 3) : Integer.parseInt(o.args().get(0));
        List<Case> cases = List.of(new Case("20ms", 20, o.quick() ? 100 : 500), new Case("200ms", 200, o.quick() ? 20 : 100));
        double loadStart = BenchmarkReport.load();
        Path work = Files.createTempDirectory("ptorrent-utilization-");
        Map<String, Double> makespans = new LinkedHashMap<>();
        Map<String, Double> ideals = new LinkedHashMap<>();
        List<String> delayed = new ArrayList<>();
        Map<String, Double> oneClosureP50 = new LinkedHashMap<>();
        Map<String, String> spread = new LinkedHashMap<>();
        for (boolean wan : List.of(false, true)) {
            Path dir = Files.createDirectories(work.resolve(wan ? "wan" : "loopback"));
            try (ProcessGrid g = ProcessGrid.start(dir, wan ? WAN_PORT : PORT, CORES, wan ? WAN_DELAY_MS : 0);
                 PtorrentClient client = g.submitter("utilization", 10_000_000, Duration.ofSeconds(5), Duration.ofMinutes(10))) {
                if (wan) {
                    // Each node logs the delay it applies: the -wan figures are only what they say if all three do.
                    delayed.addAll(g.logsMentioning(io.ptorrent.plugin.transport.LinkDelay.LOGGED));
                    System.out.println("link delay on in: " + delayed);
                }
                // What one fragment's round trip costs on this link: the delay shows here first.
                SerializableCallable<Integer> one = Closures.answer();
                Latencies.time(10, () -> client.submit(one).get());
                oneClosureP50.put(wan ? "wan" : "loopback", Latencies.round2(Latencies.pct(Latencies.time(20, () -> client.submit(one).get()), 50)));
                for (Case c : cases) {
                    String name = c.name() + (wan ? "-wan" : "");
                    client.submitAll(closures(c.millis(), CORES * 2)).get(); // warm-up
                    double[] ms = new double[reps];
                    for (int r = 0; r < reps; r++) {
                        List<SerializableCallable<Integer>> fragments = closures(c.millis(), c.fragments());
                        long t0 = System.nanoTime();
                        var h = client.submitAll(fragments);
                        h.get();
                        ms[r] = (System.nanoTime() - t0) / 1e6;
                        if (r == reps / 2 || reps == 1) {
                            // How the fragments were spread: a makespan bound by an uneven split is not one of idle gaps.
                            Map<String, Long> perNode = new java.util.TreeMap<>();
                            h.report().get().fragments().forEach(f -> perNode.merge(f.nodeId(), 1L, Long::sum));
                            spread.put(name, perNode.values().stream().sorted(java.util.Comparator.reverseOrder()).map(String::valueOf)
                                    .collect(java.util.stream.Collectors.joining(" / ")));
                        }
                    }
                    Arrays.sort(ms);
                    makespans.put(name, ms[reps / 2]);
                    ideals.put(name, c.idealMs());
                    System.out.printf(Locale.ROOT, "%s: makespan %.0f ms, ideal %.0f ms%n", name, ms[reps / 2], c.idealMs());
                }
            }
        }
        ProcessGrid.deleteQuietly(work);

        Map<String, Double> ratios = new LinkedHashMap<>();
        StringBuilder t = new StringBuilder("| case | fragments × length | link | fragments per node | makespan ms | ideal ms | makespan ÷ ideal | target |\n|---|---|---|---|---|---|---|---|\n");
        for (String name : makespans.keySet()) {
            Case c = cases.stream().filter(x -> name.startsWith(x.name())).findFirst().orElseThrow();
            double ratio = Math.round(makespans.get(name) / ideals.get(name) * 1000) / 1000.0;
            ratios.put(name, ratio);
            t.append(String.format(Locale.ROOT, "| %s | %d × %d ms | %s | %s | %.0f | %.0f | %.3f | %s |%n", name, c.fragments(), c.millis(),
                    name.endsWith("-wan") ? "+" + WAN_DELAY_MS + " ms each way" : "loopback", spread.get(name), makespans.get(name), ideals.get(name), ratio,
                    c.millis() >= 200 ? "≤ 1.05" : "≤ 1.10"));
        }
        t.append(String.format(Locale.ROOT, "%nOne trivial closure, submit → result, p50 of 20 (warm): %.1f ms on loopback, %.1f ms with +%d ms each way.%n",
                oneClosureP50.get("loopback"), oneClosureP50.get("wan"), WAN_DELAY_MS));
        System.out.println(t);
        BenchmarkReport.write(o.quick() ? "utilization-quick" : "utilization", "Utilization: do the shared cores stay busy? (issue 10)" + (o.quick() ? ", quick" : ""),
                "bench/run utilization" + (o.quick() ? " --quick" : ""),
                BenchmarkReport.machine(loadStart)
                        + "One harbor (config/harbor.xml, persistent) and 2 contributors (1 shared core each), each its own JVM with bin/ptorrent's options "
                        + "and heap; one task of N fragments that each spin for their length (wall clock), from submit until every result is in the client; "
                        + "ideal = N × length ÷ 2 shared cores; the median of " + reps + " run(s) after a warm-up task. The -wan cases run on a new grid whose "
                        + "nodes were started with -D" + io.ptorrent.plugin.transport.LinkDelay.PROPERTY + "=" + WAN_DELAY_MS
                        + " (benchmark only: each way between harbor and contributors " + WAN_DELAY_MS + " ms later). "
                        + "The machine is shared: other load does not stretch a fragment's own spin, but it slows the harbor and the contributors between fragments.\n\n" + t);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("ratios", ratios);
        json.put("makespansMs", round(makespans));
        json.put("idealMs", round(ideals));
        Map<String, Integer> counts = new LinkedHashMap<>();
        cases.forEach(c -> counts.put(c.name(), c.fragments()));
        json.put("fragments", counts);
        json.put("reps", reps);
        json.put("linkDelayMs", WAN_DELAY_MS);
        json.put("linkDelayOn", delayed);
        json.put("oneClosureP50Ms", oneClosureP50);
        json.put("fragmentsPerNode", spread);
        return json;
    }

    private static List<SerializableCallable<Integer>> closures(long millis, int n) {
        List<SerializableCallable<Integer>> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(BusyClosures.busy(millis, i));
        }
        return list;
    }

    private static Map<String, Long> round(Map<String, Double> m) {
        Map<String, Long> r = new LinkedHashMap<>();
        m.forEach((k, v) -> r.put(k, Math.round(v)));
        return r;
    }
}
