package io.ptorrent.credit;

import org.apache.ignite.Ignite;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** Exactly-once settlement: repeats, races between two harbor nodes, and a fragment failed over after a harbor left. */
class LedgerIdempotencyIT {
    private static final CreditConfiguration CFG = new CreditConfiguration().setStarterGrant(0);

    @Test
    void aFragmentSettledTwiceAndConcurrentlyFromTwoNodesIsPaidOnce() throws Exception {
        try (LedgerNodes nodes = new LedgerNodes(49260, false)) {
            List<Ignite> servers = nodes.start("harbor-a", "harbor-b");
            CreditSpi a = IgniteLedger.start(servers.get(0), CFG, Clock.systemUTC());
            CreditSpi b = IgniteLedger.start(servers.get(1), CFG, Clock.systemUTC());
            for (String id : List.of("carol", "alice", "bob")) {
                a.openAccount(id, id, SlaTier.CONTRIBUTOR);
            }
            a.grant("carol", 100_000, "seed");
            a.hold("task-1", "carol", 10_000);

            Transfer first = a.settle("task-1", 0, "alice", 100);
            assertThat(a.settle("task-1", 0, "alice", 100)).isEqualTo(first);
            assertThat(b.settle("task-1", 0, "bob", 900)).isEqualTo(first);

            int fragments = 40;
            CyclicBarrier together = new CyclicBarrier(2);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<CompletableFuture<List<Transfer>>> racers = new ArrayList<>();
            for (CreditSpi ledger : List.of(a, b)) {
                String contributor = ledger == a ? "alice" : "bob";
                racers.add(CompletableFuture.supplyAsync(() -> {
                    List<Transfer> got = new ArrayList<>();
                    for (int f = 1; f <= fragments; f++) {
                        await(together);
                        got.add(ledger.settle("task-1", f, contributor, 100));
                    }
                    return got;
                }, pool));
            }
            List<Transfer> viaA = racers.get(0).get();
            List<Transfer> viaB = racers.get(1).get();
            pool.shutdown();

            assertThat(viaA).isEqualTo(viaB);
            long paid = (fragments + 1) * 100L;
            assertThat(a.account("alice").earned() + a.account("bob").earned()).isEqualTo(paid);
            assertThat(a.account("carol")).extracting(Account::spent, Account::held).containsExactly(paid, 10_000 - paid);
            assertThat(a.findHold("task-1").orElseThrow().remaining()).isEqualTo(10_000 - paid);
            LedgerAudit.assertConsistent(servers.get(0), CFG);
        }
    }

    @Test
    void aFragmentFailedOverAfterItsHarborLeftIsPaidOnce() {
        try (LedgerNodes nodes = new LedgerNodes(49290, false)) {
            List<Ignite> servers = nodes.start("harbor-a", "harbor-b");
            CreditSpi a = IgniteLedger.start(servers.get(0), CFG, Clock.systemUTC());
            CreditSpi b = IgniteLedger.start(servers.get(1), CFG, Clock.systemUTC());
            a.openAccount("carol", "Carol", SlaTier.FREE);
            a.openAccount("alice", "Alice", SlaTier.CONTRIBUTOR);
            a.grant("carol", 5_000, "seed");
            a.hold("task-2", "carol", 5_000);
            List<Transfer> before = new ArrayList<>();
            for (int f = 0; f < 10; f++) {
                before.add(a.settle("task-2", f, "alice", 100));
            }

            // Harbor a leaves (its primaries fail over to b's backups); the scheduler re-runs every fragment.
            nodes.stop("harbor-a");
            for (int f = 0; f < 10; f++) {
                assertThat(b.settle("task-2", f, "alice", 100)).isEqualTo(before.get(f));
            }
            b.settle("task-2", 10, "alice", 100);

            assertThat(b.account("alice").earned()).isEqualTo(1_100);
            assertThat(b.refund("task-2").amount()).isEqualTo(3_900);
            LedgerAudit.assertConsistent(servers.get(1), CFG);
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
