package io.ptorrent.bench;

import io.ptorrent.plugin.journal.Journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The contributor's journal, one row per write against one batch per write (issue 10, part 2): rounds of
 * {@code batch} rows written with {@link Journal#record} one by one (a commit, and with WRITE_DELAY=0 a write of
 * the file, per row: what every fragment paid before batches) interleaved with rounds of one
 * {@link Journal#recordAll} of the same rows (one transaction), in the same H2 file. Usage:
 * {@code JournalBenchmark [rounds] [batch]}.
 */
public final class JournalBenchmark {
    private JournalBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        double loadStart = BenchmarkReport.load();
        Path dir = Files.createTempDirectory("ptorrent-journal-bench-");
        double[] single = new double[rounds];
        double[] batched = new double[rounds];
        try (Journal journal = Journal.open(dir)) {
            List<Journal.Entry> rows = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                rows.add(new Journal.Entry("bench-task-0123456789", i, "carol", "home", Instant.now(), 3, "OK", 0.003));
            }
            // Warm-up: H2's statements and the JIT.
            journal.recordAll(rows);
            rows.forEach(journal::record);
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                rows.forEach(journal::record);
                long t1 = System.nanoTime();
                journal.recordAll(rows);
                long t2 = System.nanoTime();
                single[r] = (t1 - t0) / 1e6 / batch;
                batched[r] = (t2 - t1) / 1e6 / batch;
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Arrays.sort(single);
        Arrays.sort(batched);
        String table = "| what | rounds | p50 ms per row | max ms per row |\n|---|---|---|---|\n"
                + row("one row per write (`record`, a commit per row)", single)
                + row("one batch of " + batch + " rows per write (`recordAll`, one transaction)", batched)
                + String.format(Locale.ROOT, "%nPer journal row, p50 of rounds: %.3f ms one by one, %.3f ms in a batch of %d (%.0f× less).%n",
                        p50(single), p50(batched), batch, p50(single) / p50(batched));
        System.out.println(table);
        BenchmarkReport.write("journal", "The contributor's journal: a row per write against a batch per write (issue 10, part 2)",
                "java -cp ... io.ptorrent.bench.JournalBenchmark " + rounds + " " + batch,
                BenchmarkReport.machine(loadStart) + "An H2 file in a temp directory (WRITE_DELAY=0, as the node opens it), rounds of "
                        + batch + " rows each way, interleaved.\n\n" + table);
    }

    private static double p50(double[] sorted) {
        return sorted[(sorted.length - 1) / 2];
    }

    private static String row(String what, double[] sorted) {
        return String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f |%n", what, sorted.length, p50(sorted), sorted[sorted.length - 1]);
    }
}
