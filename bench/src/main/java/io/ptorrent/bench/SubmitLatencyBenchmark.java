package io.ptorrent.bench;

import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.client.SerializableCallable;
import io.ptorrent.plugin.testing.TestGrid;
import org.apache.ignite.Ignite;
import org.apache.ignite.lang.IgniteCallable;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * What a submitted closure costs end to end, against plain Ignite compute in the same run.
 *
 * <ul>
 *   <li>baseline: the harbor calls a trivial {@code IgniteCallable} on a contributor node with
 *       {@code compute(forNodeId).call(...)} (no bundle, no sandbox: code already on the node);</li>
 *   <li>ptorrent: a thin client submits a trivial closure through the gateway; it travels as a bundle
 *       and runs in a sandbox worker process on a contributor.</li>
 * </ul>
 * One harbor and two contributors in this JVM, loopback. Writes its table to docs/BENCHMARKS.md.
 */
public final class SubmitLatencyBenchmark {
    private static final int BASE_PORT = 49700;

    private SubmitLatencyBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int submits = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        List<String> rows = new ArrayList<>();
        try (TestGrid grid = new TestGrid(BASE_PORT)) {
            Ignite harbor = grid.startHarbor("harbor");
            Ignite alice = grid.startContributor("alice", 1);
            grid.startContributor("bob", 1);

            IgniteCallable<Integer> trivial = () -> 42;
            var toAlice = harbor.compute(harbor.cluster().forNodeId(alice.cluster().localNode().id()));
            for (int i = 0; i < 20; i++) {
                toAlice.call(trivial); // warm-up: the first call opens the inverse connection
            }
            rows.add(Latencies.row("Ignite compute call, harbor → contributor (baseline)", Latencies.time(calls, () -> toAlice.call(trivial))));

            try (PtorrentClient client = PtorrentClient.connect(grid.clientOptions("tester"))) {
                SerializableCallable<Integer> closure = Closures.answer();
                for (int i = 0; i < 3; i++) {
                    client.submit(closure).get();
                }
                rows.add(Latencies.row("ptorrent submit of one closure, thin client → harbor → contributor sandbox", Latencies.time(submits, () -> client.submit(closure).get())));
                List<SerializableCallable<Integer>> batch = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    batch.add(closure);
                }
                double[] batchMs = Latencies.time(Math.max(3, submits / 8), () -> client.submitAll(batch).get());
                rows.add(Latencies.row("ptorrent task of 16 closures on 2 shared cores (whole task)", batchMs));
            }
        }
        String table = Latencies.HEADER + String.join("\n", rows) + "\n";
        System.out.println(table);
        BenchmarkReport.write("submit-latency", "Submit latency (thin client → harbor → contributor)",
                "./mvnw -q install -DskipTests && ./mvnw -q -pl bench exec:exec -Dbench.args=\"" + calls + " " + submits + "\"",
                "On " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores, one JVM holding 1 harbor + 2 contributors (1 shared core each), loopback. "
                        + "Fragments run in the contributors' warm sandbox workers (one per bundle and submitter, reused); a task's first fragment on a node waits for a worker JVM to start (~130 ms), as the 16-closure task shows.\n\n" + table);
    }
}
