package io.ptorrent.credit;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.binary.BinaryObject;
import org.apache.ignite.transactions.Transaction;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import static org.apache.ignite.transactions.TransactionConcurrency.PESSIMISTIC;
import static org.apache.ignite.transactions.TransactionIsolation.REPEATABLE_READ;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jepsen-style bank test: two harbor server nodes in this JVM, worker threads making random grants,
 * holds, settlements (single and batched), refunds and duplicates through both nodes, bounded by an
 * operation count; a reader thread checks, in a transaction, that balances plus held credit sum to 0 and
 * that no balance is negative; at the end the whole ledger is audited ({@link LedgerAudit}).
 * {@code -Dptorrent.conservation.ops=N} changes the operation count (default 6,000).
 */
class LedgerConservationIT {
    private static final int THREADS = 4;
    private static final int ACCOUNTS = 8;
    private static final Set<ErrorCode> EXPECTED = Set.of(ErrorCode.INSUFFICIENT_CREDIT, ErrorCode.HOLD_CLOSED);

    private final ConcurrentMap<String, Transfer> firstResults = new ConcurrentHashMap<>();
    private final List<String> settledKeys = new ArrayList<>();
    private final List<String> tasks = new ArrayList<>();
    private final AtomicInteger taskSeq = new AtomicInteger();
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final AtomicReference<String> violation = new AtomicReference<>();

    @Test
    void creditIsConservedUnderConcurrentRandomMovements() throws Exception {
        int ops = Integer.getInteger("ptorrent.conservation.ops", 6_000);
        CreditConfiguration cfg = new CreditConfiguration().setStarterGrant(50_000);
        try (LedgerNodes nodes = new LedgerNodes(49230, false)) {
            List<Ignite> servers = nodes.start("harbor-a", "harbor-b");
            List<CreditSpi> ledgers = List.of(IgniteLedger.start(servers.get(0), cfg, Clock.systemUTC()),
                    IgniteLedger.start(servers.get(1), cfg, Clock.systemUTC()));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < ACCOUNTS; i++) {
                ids.add(ledgers.get(i % 2).openAccount("acct-" + i, "Account " + i, SlaTier.CONTRIBUTOR).id());
            }
            Set<String> allIds = new TreeSet<>(ids);
            allIds.add(CreditSpi.GRID_ACCOUNT);

            AtomicBoolean done = new AtomicBoolean();
            AtomicLong checks = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
            Future<?> reader = pool.submit(() -> {
                IgniteCache<String, BinaryObject> accounts = servers.get(1).cache(cfg.accountsCache()).withKeepBinary();
                while (!done.get() && violation.get() == null) {
                    checkSnapshot(servers.get(1), accounts, allIds);
                    checks.incrementAndGet();
                }
            });
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < THREADS; w++) {
                Random rnd = new Random(42 + w);
                int n = ops / THREADS;
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < n && violation.get() == null; i++) {
                        step(rnd, ledgers.get(rnd.nextInt(2)), ids, ops);
                    }
                }));
            }
            for (Future<?> f : workers) {
                f.get();
            }
            done.set(true);
            reader.get();
            pool.shutdown();

            checkSnapshot(servers.get(0), servers.get(0).cache(cfg.accountsCache()).withKeepBinary(), allIds);
            assertThat(violation.get()).as("invariant violation").isNull();
            long entries = LedgerAudit.assertConsistent(servers.get(0), cfg);

            System.out.printf("conservation: %d operations on %d threads, %d snapshot checks, %d ledger entries, outcomes %s%n",
                    ops, THREADS, checks.get(), entries, new TreeMap<>(counts));
            assertThat(checks.get()).isPositive();
            assertThat(count("settle ok") + count("settleAll ok")).isPositive();
            assertThat(count("duplicate ok")).isPositive();
            assertThat(count("refund ok")).isPositive();
        }
    }

    private void step(Random rnd, CreditSpi ledger, List<String> ids, int ops) {
        String account = ids.get(rnd.nextInt(ids.size()));
        int dice = rnd.nextInt(100);
        String op = dice < 10 ? "grant" : dice < 30 ? "hold" : dice < 60 ? "settle" : dice < 75 ? "settleAll" : dice < 82 ? "refund" : "duplicate";
        try {
            switch (op) {
                case "grant" -> {
                    Transfer t = ledger.grant(account, 1 + rnd.nextInt(5_000), "g-" + rnd.nextInt(ops / 20));
                    sameAsFirst(t.key(), t);
                }
                case "hold" -> {
                    String task = "t-" + taskSeq.incrementAndGet();
                    ledger.hold(task, account, 1 + rnd.nextInt(10_000));
                    synchronized (tasks) {
                        tasks.add(task);
                    }
                }
                case "settle" -> {
                    Settlement s = randomSettlement(rnd, ids);
                    if (s == null) {
                        return;
                    }
                    record(ledger.settle(s.taskId(), s.fragment(), s.contributor(), s.amount()));
                }
                case "settleAll" -> {
                    String task = randomTask(rnd);
                    if (task == null) {
                        return;
                    }
                    List<Settlement> batch = new ArrayList<>();
                    for (int i = 2 + rnd.nextInt(7); i > 0; i--) {
                        batch.add(new Settlement(task, rnd.nextInt(8), ids.get(rnd.nextInt(ids.size())), 1 + rnd.nextInt(1_000)));
                    }
                    ledger.settleAll(batch).forEach(this::record);
                }
                case "refund" -> {
                    String task = randomTask(rnd);
                    if (task == null) {
                        return;
                    }
                    Transfer t = ledger.refund(task);
                    sameAsFirst(t.key(), t);
                }
                default -> {
                    String key;
                    synchronized (settledKeys) {
                        if (settledKeys.isEmpty()) {
                            return;
                        }
                        key = settledKeys.get(rnd.nextInt(settledKeys.size()));
                    }
                    int colon = key.lastIndexOf(':');
                    String task = key.substring("settle:".length(), colon);
                    Transfer again = ledger.settle(task, Integer.parseInt(key.substring(colon + 1)), account, 1 + rnd.nextInt(3_000));
                    if (!again.equals(firstResults.get(key))) {
                        violation.compareAndSet(null, "duplicate settle " + key + " returned " + again + ", first was " + firstResults.get(key));
                    }
                }
            }
            counts.computeIfAbsent(op + " ok", k -> new LongAdder()).increment();
        } catch (PtorrentException e) {
            if (!EXPECTED.contains(e.code())) {
                violation.compareAndSet(null, op + " failed unexpectedly: " + e.describe());
            }
            counts.computeIfAbsent(op + " " + e.code(), k -> new LongAdder()).increment();
        }
    }

    private Settlement randomSettlement(Random rnd, List<String> ids) {
        String task = randomTask(rnd);
        return task == null ? null : new Settlement(task, rnd.nextInt(8), ids.get(rnd.nextInt(ids.size())), 1 + rnd.nextInt(1_500));
    }

    private String randomTask(Random rnd) {
        synchronized (tasks) {
            // Mostly recent tasks, so that settlements meet open holds.
            return tasks.isEmpty() ? null : tasks.get(Math.max(0, tasks.size() - 1 - rnd.nextInt(Math.min(tasks.size(), 12))));
        }
    }

    private void record(Transfer t) {
        if (firstResults.putIfAbsent(t.key(), t) == null) {
            synchronized (settledKeys) {
                settledKeys.add(t.key());
            }
        } else {
            sameAsFirst(t.key(), t);
        }
    }

    private void sameAsFirst(String key, Transfer t) {
        Transfer first = firstResults.putIfAbsent(key, t);
        if (first != null && !first.equals(t)) {
            violation.compareAndSet(null, "key " + key + " gave two different transfers: " + first + " and " + t);
        }
    }

    /** Reads every account in one pessimistic transaction (locks in the ledger's order: sorted account ids). */
    private void checkSnapshot(Ignite node, IgniteCache<String, BinaryObject> accounts, Set<String> allIds) {
        try (Transaction tx = node.transactions().txStart(PESSIMISTIC, REPEATABLE_READ)) {
            long total = 0;
            for (Map.Entry<String, BinaryObject> e : accounts.getAll(allIds).entrySet()) {
                Account a = LedgerSchema.account(e.getValue());
                total += a.balance() + a.held();
                if (a.balance() < 0 && !a.id().equals(CreditSpi.GRID_ACCOUNT)) {
                    violation.compareAndSet(null, "negative balance: " + a);
                }
            }
            if (total != 0) {
                violation.compareAndSet(null, "balances + held sum to " + total + ", not 0");
            }
            tx.commit();
        }
    }

    private long count(String outcome) {
        LongAdder a = counts.get(outcome);
        return a == null ? 0 : a.sum();
    }
}
