package io.ptorrent.bench;

import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.client.SerializableCallable;
import io.ptorrent.plugin.testing.TestGrid;
import io.ptorrent.plugin.transport.DevCertificates;
import io.ptorrent.plugin.transport.TlsConfiguration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What TLS costs, against plain TCP in the same run: a contributor's start (join included), and one closure's
 * round trip (thin client → harbor → contributor sandbox → back), each with one harbor in this JVM, loopback.
 * A node start includes the PU benchmark (the same in both modes), so the difference of the two is TLS's share.
 * Writes its table to docs/BENCHMARKS.md.
 */
public final class TlsBenchmark {
    private static final int BASE_PORT = 52400;
    private static final int SPAN = 30;

    private TlsBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int starts = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int submits = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        double loadStart = BenchmarkReport.load();
        Path dir = Files.createTempDirectory("ptorrent-tls-bench-");
        TlsConfiguration tls = DevCertificates.ensure(dir);
        Path ca = Path.of(tls.getTrustedCertificates());
        List<String> table = new ArrayList<>();
        // A first plain round unreported: the JVM's first grid pays for class loading and JIT, which would count against plain.
        for (int round = 0; round < 3; round++) {
            boolean secure = round == 2;
            boolean warmUp = round == 0;
            String mode = secure ? "TLS" : "plain";
            List<String> rows = warmUp ? new ArrayList<>() : table;
            try (TestGrid grid = new TestGrid(BASE_PORT, SPAN)) {
                double[] harbor = Latencies.time(1, () -> grid.startHarbor("harbor", false, c -> c.setConsolePort(0).setTls(secure ? tls : null)));
                rows.add(Latencies.row("harbor start, " + mode, harbor));
                Supplier<TlsConfiguration> contributorTls = () -> secure ? new TlsConfiguration().setTrustedCertificates(ca.toString()) : null;
                int[] n = {0};
                double[] joins = Latencies.time(starts, () -> {
                    String name = "c" + n[0]++;
                    grid.startContributor(name, c -> c.setSharedCores(1).setTls(contributorTls.get()));
                    grid.stop(name);
                });
                // The stop is in the figure too; it is the same in both modes.
                rows.add(Latencies.row("contributor start (join, PU benchmark) + stop, " + mode, joins));
                grid.startContributor("alice", c -> c.setSharedCores(1).setTls(contributorTls.get()));
                PtorrentClientOptions options = grid.clientOptions("carol");
                try (PtorrentClient client = PtorrentClient.connect(secure ? options.tlsTrust(ca) : options)) {
                    SerializableCallable<Integer> closure = Closures.answer();
                    for (int i = 0; i < 5; i++) {
                        client.submit(closure).get(); // warm: the sandbox worker, the inverse connection
                    }
                    rows.add(Latencies.row("one closure, thin client → harbor → contributor sandbox, " + mode, Latencies.time(submits, () -> client.submit(closure).get())));
                }
            }
        }
        String shown = Latencies.HEADER + String.join("\n", table) + "\n";
        System.out.println(shown);
        BenchmarkReport.write("tls", "TLS against plain TCP (node start, fragment round trip)",
                "bench/run tls " + starts + " " + submits,
                BenchmarkReport.machine(loadStart) + "One JVM holding the harbor and the contributors, loopback; "
                        + "development certificates (EC P-256); the contributor makes its throwaway key at every start; "
                        + "a first plain round, not shown, warms the JVM.\n\n" + shown);
    }
}
