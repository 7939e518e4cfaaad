package io.ptorrent.bench;

import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.SerializableCallable;
import org.apache.ignite.client.ClientCompute;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bench/run latency [--quick] [samples]}: one closure, thin client → result (issue 10, part 7). ptorrent: a
 * {@link ProcessGrid} (harbor + 2 contributors, each its own JVM), {@code submit(closure).get()} of a trivial closure,
 * one after the other, after a warm-up (the bundle uploaded, the sandbox workers started). Baseline in the same run:
 * a {@link VanillaGrid} in the same layout, the thin client's {@code execute} of a task that runs one no-op job on a
 * client node. Full: 1,000 ptorrent samples (5,000 vanilla); {@code --quick}: 200 (1,000); an argument sets the
 * ptorrent count (vanilla gets 5×). Ports 54000–54002 and 54010–54012.
 *
 * <p>JSON keys: {@code p50Ms}, {@code p99Ms}, {@code maxMs}, {@code samples} (ptorrent), {@code vanillaP50Ms},
 * {@code vanillaP99Ms}, {@code vanillaSamples}.
 */
final class LatencyScenario {
    private static final int PTORRENT_PORT = 54000;
    private static final int VANILLA_PORT = 54010;

    private LatencyScenario() {
    }

    static Map<String, Object> run(Bench.Options o) throws Exception {
        int samples = o.args().isEmpty() ? (o.quick() ? 200 : 1000) : Integer.parseInt(o.args().get(0));
        int vanillaSamples = samples * 5;
        double loadStart = BenchmarkReport.load();
        Path work = Files.createTempDirectory("ptorrent-latency-");

        double[] vanilla;
        try (VanillaGrid v = VanillaGrid.start(work, VANILLA_PORT, 2)) {
            ClientCompute compute = v.computeOnClients();
            AtomicInteger seq = new AtomicInteger();
            Runnable call = () -> {
                try {
                    compute.<Integer, Integer>execute(VanillaNode.OneNoopJob.class.getName(), seq.incrementAndGet());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            };
            Latencies.time(Math.max(200, vanillaSamples / 5), call); // warm-up: JIT, and the inverse connections to the client nodes
            vanilla = Latencies.time(vanillaSamples, call);
        }

        double[] ptorrent;
        try (ProcessGrid g = ProcessGrid.start(work, PTORRENT_PORT, 2, 0);
             PtorrentClient client = g.submitter("latency", 1_000_000, Duration.ofSeconds(5), Duration.ofMinutes(2))) {
            SerializableCallable<Integer> closure = Closures.answer();
            Latencies.time(Math.max(20, samples / 10), () -> client.submit(closure).get()); // warm-up: bundle upload, sandbox workers, JIT
            ptorrent = Latencies.time(samples, () -> client.submit(closure).get());
        }

        String table = "| what | n | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|\n"
                + row("vanilla Ignite: thin client `execute` of a task with one no-op job on a client node (baseline)", vanilla)
                + row("ptorrent: `submit(closure).get()` of one trivial closure, thin client → harbor → contributor sandbox → result", ptorrent);
        System.out.println(table);
        BenchmarkReport.write(o.quick() ? "latency-quick" : "latency", "Latency: one closure, thin client → result (issue 10)" + (o.quick() ? ", quick" : ""),
                "bench/run latency" + (o.quick() ? " --quick" : ""),
                BenchmarkReport.machine(loadStart)
                        + "ptorrent: one harbor (config/harbor.xml, persistent) and 2 contributors (1 shared core each), each its own JVM with bin/ptorrent's "
                        + "options and heap; one closure after the other, warm (bundle uploaded, sandbox workers running). Baseline, same run: vanilla Ignite "
                        + "2.17 in the same layout and JVM options (one server, 2 client nodes with forced client-to-server connections), the thin client's "
                        + "`execute` of a task that maps one no-op job onto a client node. Targets (issue 10): p50 ≤ 5 ms, p99 ≤ 20 ms.\n\n" + table);
        ProcessGrid.deleteQuietly(work);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("p50Ms", Latencies.round2(Latencies.pct(ptorrent, 50)));
        json.put("p99Ms", Latencies.round2(Latencies.pct(ptorrent, 99)));
        json.put("maxMs", Latencies.round2(ptorrent[ptorrent.length - 1]));
        json.put("samples", samples);
        json.put("vanillaP50Ms", Latencies.round2(Latencies.pct(vanilla, 50)));
        json.put("vanillaP99Ms", Latencies.round2(Latencies.pct(vanilla, 99)));
        json.put("vanillaSamples", vanillaSamples);
        return json;
    }

    private static String row(String what, double[] sorted) {
        return String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f |%n", what, sorted.length, Latencies.pct(sorted, 50),
                Latencies.pct(sorted, 99), sorted[sorted.length - 1]);
    }
}
