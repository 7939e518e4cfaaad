package io.ptorrent.credit;

import org.apache.ignite.Ignite;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** With native persistence, a harbor restart mid-task loses no transfer and makes none twice. */
class LedgerDurabilityIT {
    private static final CreditConfiguration CFG = new CreditConfiguration().setStarterGrant(1_000);

    @Test
    void balancesAndHoldsSurviveARestartAndTheTaskSettlesOnce() {
        try (LedgerNodes nodes = new LedgerNodes(49320, true)) {
            List<Ignite> servers = nodes.start("harbor-a", "harbor-b");
            CreditSpi ledger = IgniteLedger.start(servers.get(0), CFG, Clock.systemUTC());
            ledger.openAccount("carol", "Carol", SlaTier.FREE);
            ledger.openAccount("alice", "Alice", SlaTier.CONTRIBUTOR);
            ledger.openAccount("bob", "Bob", SlaTier.CONTRIBUTOR);
            ledger.grant("carol", 20_000, "seed");
            ledger.hold("task-d", "carol", 12_000);
            List<Transfer> paidBefore = new ArrayList<>(ledger.settleAll(List.of(
                    new Settlement("task-d", 0, "alice", 1_000), new Settlement("task-d", 1, "bob", 2_000))));
            paidBefore.add(ledger.settle("task-d", 2, "alice", 500));
            List<Account> accountsBefore = List.of(ledger.account("carol"), ledger.account("alice"), ledger.account("bob"), ledger.account(CreditSpi.GRID_ACCOUNT));
            Hold holdBefore = ledger.findHold("task-d").orElseThrow();

            nodes.stopAll();
            servers = nodes.start("harbor-a", "harbor-b");
            CreditSpi after = IgniteLedger.start(servers.get(1), CFG, Clock.systemUTC());

            assertThat(List.of(after.account("carol"), after.account("alice"), after.account("bob"), after.account(CreditSpi.GRID_ACCOUNT)))
                    .isEqualTo(accountsBefore);
            assertThat(after.findHold("task-d")).contains(holdBefore);
            // The scheduler resumes the task: fragments 0–2 are reported again, 3 is new.
            List<Transfer> again = after.settleAll(List.of(new Settlement("task-d", 0, "alice", 1_000),
                    new Settlement("task-d", 1, "bob", 2_000), new Settlement("task-d", 2, "alice", 500), new Settlement("task-d", 3, "bob", 1_500)));
            assertThat(again.subList(0, 3)).isEqualTo(paidBefore);
            assertThat(again.get(3).id()).as("ids continue past the stored ones").isGreaterThan(paidBefore.get(2).id());
            Transfer refund = after.refund("task-d");

            assertThat(refund.amount()).isEqualTo(12_000 - 5_000);
            assertThat(after.account("alice")).extracting(Account::balance, Account::earned).containsExactly(2_500L, 1_500L);
            assertThat(after.account("bob")).extracting(Account::balance, Account::earned).containsExactly(4_500L, 3_500L);
            assertThat(after.account("carol")).extracting(Account::balance, Account::held, Account::spent).containsExactly(21_000L - 5_000, 0L, 5_000L);
            LedgerAudit.assertConsistent(servers.get(0), CFG);
        }
    }
}
