package io.ptorrent.bench;

import io.ptorrent.credit.CreditConfiguration;
import io.ptorrent.credit.CreditSpi;
import io.ptorrent.credit.IgniteLedger;
import io.ptorrent.credit.Settlement;
import io.ptorrent.credit.SlaTier;
import io.ptorrent.plugin.PtorrentPluginConfiguration;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.Ignition;
import org.apache.ignite.cache.CacheAtomicityMode;
import org.apache.ignite.cache.CacheWriteSynchronizationMode;
import org.apache.ignite.calcite.CalciteQueryEngineConfiguration;
import org.apache.ignite.cluster.ClusterState;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.ignite.configuration.ClientConnectorConfiguration;
import org.apache.ignite.configuration.DataRegionConfiguration;
import org.apache.ignite.configuration.DataStorageConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.configuration.SqlConfiguration;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;
import org.apache.ignite.transactions.Transaction;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.apache.ignite.transactions.TransactionConcurrency.PESSIMISTIC;
import static org.apache.ignite.transactions.TransactionIsolation.REPEATABLE_READ;

/**
 * Settled fragments per second on the credit ledger with native persistence, single {@code settle} vs
 * {@code settleAll} batches, each against a baseline in the same run: plain {@code cache.put} of as many
 * entries into a TRANSACTIONAL cache of the same persistent region, one transaction per entry or per batch
 * (what the ledger's bookkeeping costs on top of the bare writes). One harbor (server node with the ptorrent plugin, console off) in this JVM,
 * one calling thread. Writes its table to docs/BENCHMARKS.md.
 */
public final class SettlementBenchmark {
    private static final int BASE_PORT = 49760;

    private SettlementBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int singles = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        int batched = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        Path dir = Files.createTempDirectory("ptorrent-bench-ledger-");
        List<String> rows = new ArrayList<>();
        try (Ignite ignite = Ignition.start(config(dir))) {
            ignite.cluster().state(ClusterState.ACTIVE);
            CreditSpi ledger = IgniteLedger.start(ignite, new CreditConfiguration().setStarterGrant(0), Clock.systemUTC());
            ledger.openAccount("carol", "Carol", SlaTier.FREE);
            ledger.openAccount("alice", "Alice", SlaTier.CONTRIBUTOR);
            ledger.openAccount("bob", "Bob", SlaTier.CONTRIBUTOR);
            ledger.grant("carol", 1_000_000_000L, "bench");
            IgniteCache<String, Long> plain = ignite.getOrCreateCache(new CacheConfiguration<String, Long>("bench-plain")
                    .setAtomicityMode(CacheAtomicityMode.TRANSACTIONAL).setBackups(1)
                    .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC));

            // Warm-up: JIT, first pages, WAL segments.
            settleSingles(ledger, "warm-1", 1_000);
            settleBatches(ledger, "warm-2", 10_000, batch);
            putSingles(ignite, plain, "warm-3", 1_000);
            putBatches(ignite, plain, "warm-4", 10_000, batch);

            double putOne = putSingles(ignite, plain, "p1", singles);
            double settleOne = settleSingles(ledger, "s1", singles);
            double putMany = putBatches(ignite, plain, "p2", batched, batch);
            double settleMany = settleBatches(ledger, "s2", batched, batch);
            rows.add(row("plain `cache.put`, one transaction per entry (baseline)", singles, putOne, putOne));
            rows.add(row("ledger `settle`, one fragment per call", singles, settleOne, putOne));
            rows.add(row("plain `cache.putAll` of " + batch + " in one transaction (baseline)", batched, putMany, putMany));
            rows.add(row("ledger `settleAll` of " + batch + " fragments per call", batched, settleMany, putMany));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        String table = "| what | entries | per second | vs its baseline |\n|---|---|---|---|\n" + String.join("\n", rows) + "\n";
        System.out.println(table);
        BenchmarkReport.write("settlement", "Credit settlement throughput (issue 5: the ledger)",
                "./mvnw -B -o -pl bench -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt"
                        + " && java -Xmx1g -XX:+UseSerialGC -DIGNITE_QUIET=true -DIGNITE_UPDATE_NOTIFIER=false <ignite.jvm.flags from pom.xml>"
                        + " -cp bench/target/classes:$(cat /tmp/cp.txt) io.ptorrent.bench.SettlementBenchmark " + singles + " " + batched + " " + batch,
                "On " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores, one harbor node in this JVM, native persistence on "
                        + "(temp dir, WAL mode LOG_ONLY: a commit is in the WAL, not fsynced), one calling thread, PESSIMISTIC / REPEATABLE_READ "
                        + "transactions. A settlement locks and writes 3 keys (ledger entry, hold, payer and contributor accounts: 4 with both accounts); "
                        + "the baseline writes one entry. Each fragment pays one of two contributors from one task's hold.\n\n" + table);
    }

    private static double settleSingles(CreditSpi ledger, String task, int n) {
        ledger.hold(task, "carol", (long) n * 10);
        long t0 = System.nanoTime();
        for (int f = 0; f < n; f++) {
            ledger.settle(task, f, f % 2 == 0 ? "alice" : "bob", 10);
        }
        return perSecond(n, t0);
    }

    private static double settleBatches(CreditSpi ledger, String task, int n, int batch) {
        ledger.hold(task, "carol", (long) n * 10);
        long t0 = System.nanoTime();
        for (int f = 0; f < n; f += batch) {
            List<Settlement> list = new ArrayList<>(batch);
            for (int i = f; i < Math.min(n, f + batch); i++) {
                list.add(new Settlement(task, i, i % 2 == 0 ? "alice" : "bob", 10));
            }
            ledger.settleAll(list);
        }
        return perSecond(n, t0);
    }

    private static double putSingles(Ignite ignite, IgniteCache<String, Long> cache, String prefix, int n) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            try (Transaction tx = ignite.transactions().txStart(PESSIMISTIC, REPEATABLE_READ)) {
                cache.put(prefix + ":" + i, (long) i);
                tx.commit();
            }
        }
        return perSecond(n, t0);
    }

    private static double putBatches(Ignite ignite, IgniteCache<String, Long> cache, String prefix, int n, int batch) {
        long t0 = System.nanoTime();
        for (int f = 0; f < n; f += batch) {
            Map<String, Long> m = new HashMap<>();
            for (int i = f; i < Math.min(n, f + batch); i++) {
                m.put(prefix + ":" + i, (long) i);
            }
            try (Transaction tx = ignite.transactions().txStart(PESSIMISTIC, REPEATABLE_READ)) {
                cache.putAll(m);
                tx.commit();
            }
        }
        return perSecond(n, t0);
    }

    private static double perSecond(int n, long t0) {
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static String row(String what, int n, double perSecond, double baseline) {
        return String.format(Locale.ROOT, "| %s | %,d | %,.0f | %.2f× |", what, n, perSecond, perSecond / baseline);
    }

    private static IgniteConfiguration config(Path dir) {
        return new IgniteConfiguration()
                .setIgniteInstanceName("bench-harbor")
                .setConsistentId("bench-harbor")
                .setWorkDirectory(dir.toString())
                .setDiscoverySpi(new TcpDiscoverySpi().setLocalAddress("127.0.0.1").setLocalPort(BASE_PORT).setLocalPortRange(9)
                        .setIpFinder(new TcpDiscoveryVmIpFinder().setAddresses(List.of("127.0.0.1:" + BASE_PORT + ".." + (BASE_PORT + 9)))))
                .setCommunicationSpi(new TcpCommunicationSpi().setLocalAddress("127.0.0.1").setLocalPort(BASE_PORT + 10).setLocalPortRange(9))
                // The plugin is on this classpath and joins every node: make this one a harbor (console off).
                .setPluginConfigurations(new PtorrentPluginConfiguration().setRole("harbor").setConsolePort(0))
                .setClientConnectorConfiguration(new ClientConnectorConfiguration().setHost("127.0.0.1").setPort(BASE_PORT + 20).setPortRange(0))
                .setMetricsLogFrequency(0)
                .setSqlConfiguration(new SqlConfiguration().setQueryEnginesConfiguration(new CalciteQueryEngineConfiguration().setDefault(true)))
                .setDataStorageConfiguration(new DataStorageConfiguration().setWalSegmentSize(32 << 20)
                        .setDefaultDataRegionConfiguration(new DataRegionConfiguration().setPersistenceEnabled(true).setMaxSize(512L << 20)));
    }
}
