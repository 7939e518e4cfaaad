package io.ptorrent.credit;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import org.apache.ignite.cache.query.SqlFieldsQuery;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ledger's rules on one in-memory server node: bad input gives its code and moves nothing; SQL over the ledger. */
class LedgerRulesIT {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final long STARTER = 1_000;
    private static LedgerNodes nodes;
    private static IgniteLedger ledger;
    private static final AtomicInteger SEQ = new AtomicInteger();

    @BeforeAll
    static void start() {
        nodes = new LedgerNodes(49200, false);
        ledger = IgniteLedger.start(nodes.start("harbor").get(0),
                new CreditConfiguration().setStarterGrant(STARTER).setMaxAmount(1_000_000), Clock.fixed(T0, ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() {
        nodes.close();
    }

    /** A fresh account per test, so tests do not see each other's money. */
    private static String newAccount() {
        String id = "acct-" + SEQ.incrementAndGet();
        ledger.openAccount(id, "Account " + id, SlaTier.CONTRIBUTOR);
        return id;
    }

    @Test
    void openAccountGivesTheStarterGrantOnceAndIsIdempotent() {
        long gridBefore = ledger.account(CreditSpi.GRID_ACCOUNT).balance();
        Account a = ledger.openAccount("dora", "Dora", SlaTier.FREE);
        Account again = ledger.openAccount("dora", "Another name", SlaTier.GUARANTEED);

        assertThat(a).isEqualTo(new Account("dora", "Dora", SlaTier.FREE, T0, STARTER, 0, 0, 0));
        assertThat(again).isEqualTo(a);
        assertThat(ledger.account(CreditSpi.GRID_ACCOUNT).balance()).isEqualTo(gridBefore - STARTER);
        assertThat(ledger.ledger("dora", 0, 10)).singleElement()
                .satisfies(t -> assertThat(t.kind()).isEqualTo(Transfer.Kind.GRANT))
                .satisfies(t -> assertThat(t.key()).isEqualTo("open:dora"));
    }

    @Test
    void escrowHoldsSettlesAndRefunds() {
        String carol = newAccount();
        String alice = newAccount();
        ledger.grant(carol, 9_000, "top-up-" + carol);

        Hold h = ledger.hold("task-esc", carol, 6_000);
        assertThat(h).isEqualTo(new Hold("task-esc", carol, 6_000, 6_000, true, T0));
        assertThat(ledger.account(carol)).extracting(Account::balance, Account::held).containsExactly(4_000L, 6_000L);

        Transfer paid = ledger.settle("task-esc", 0, alice, 2_500);
        assertThat(paid).extracting(Transfer::kind, Transfer::from, Transfer::to, Transfer::amount, Transfer::key)
                .containsExactly(Transfer.Kind.SETTLE, "escrow:task-esc", alice, 2_500L, "settle:task-esc:0");
        Transfer refund = ledger.refund("task-esc");
        assertThat(refund.amount()).isEqualTo(3_500);
        assertThat(ledger.refund("task-esc")).isEqualTo(refund);

        assertThat(ledger.account(carol)).extracting(Account::balance, Account::held, Account::spent).containsExactly(7_500L, 0L, 2_500L);
        assertThat(ledger.account(alice)).extracting(Account::balance, Account::earned).containsExactly(STARTER + 2_500, 2_500L);
        assertThat(ledger.findHold("task-esc")).get().extracting(Hold::remaining, Hold::open).containsExactly(0L, false);
        assertThat(ledger.ledger(carol, 0, 10)).extracting(Transfer::kind)
                .containsExactlyInAnyOrder(Transfer.Kind.GRANT, Transfer.Kind.GRANT, Transfer.Kind.HOLD, Transfer.Kind.REFUND);
    }

    @Test
    void aTopUpMovesWhatTheBalanceAllowsOncePerRoundAndRefusesBelowItsMinimum() {
        String carol = newAccount();
        String alice = newAccount();
        ledger.grant(carol, 4_000, "top-up-" + carol); // balance STARTER + 4,000 = 5,000
        ledger.hold("task-top", carol, 1_000);
        ledger.settle("task-top", 0, alice, 600);

        assertThat(ledger.topUp("task-top", 2_000, 500, 1)).extracting(Hold::amount, Hold::remaining).containsExactly(3_000L, 2_400L);
        // A repeated round moves nothing, whatever it asks.
        assertThat(ledger.topUp("task-top", 1_500, 1_500, 1)).extracting(Hold::amount, Hold::remaining).containsExactly(3_000L, 2_400L);
        assertThat(ledger.account(carol)).extracting(Account::balance, Account::held).containsExactly(2_000L, 2_400L);
        // Less than wanted but at least the minimum: all of the balance.
        assertThat(ledger.topUp("task-top", 5_000, 1_000, 2)).extracting(Hold::amount, Hold::remaining).containsExactly(5_000L, 4_400L);
        assertThat(ledger.account(carol)).extracting(Account::balance, Account::held).containsExactly(0L, 4_400L);
        // Below the minimum: refused, nothing moves.
        fails(() -> ledger.topUp("task-top", 1_000, 1, 3), ErrorCode.INSUFFICIENT_CREDIT, "nothing was held");
        assertThat(ledger.account(carol)).extracting(Account::balance, Account::held).containsExactly(0L, 4_400L);
        fails(() -> ledger.topUp("task-top", 1_000, 2_000, 3), ErrorCode.BAD_REQUEST, "atLeast");
        fails(() -> ledger.topUp("no-such-task", 1_000, 1, 1), ErrorCode.HOLD_NOT_FOUND, "no-such-task");

        // The refund returns exactly what is held and unspent.
        assertThat(ledger.refund("task-top").amount()).isEqualTo(4_400);
        assertThat(ledger.account(carol)).extracting(Account::balance, Account::held, Account::spent).containsExactly(4_400L, 0L, 600L);
        fails(() -> ledger.topUp("task-top", 1_000, 1, 4), ErrorCode.HOLD_CLOSED, "closed");
        assertThat(ledger.ledger(carol, 0, 10)).filteredOn(t -> t.kind() == Transfer.Kind.HOLD).extracting(Transfer::key, Transfer::amount)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("hold:task-top", 1_000L),
                        org.assertj.core.groups.Tuple.tuple("topup:task-top:1", 2_000L), org.assertj.core.groups.Tuple.tuple("topup:task-top:2", 2_000L));
    }

    @Test
    void aRepeatedKeyReturnsTheFirstResultAndMovesNothing() {
        String a = newAccount();
        String b = newAccount();
        Transfer g = ledger.grant(a, 500, "grant-" + a);
        assertThat(ledger.grant(a, 999, "grant-" + a)).isEqualTo(g);
        assertThat(ledger.account(a).balance()).isEqualTo(STARTER + 500);

        ledger.hold("task-rep-" + a, a, 1_000);
        assertThat(ledger.hold("task-rep-" + a, b, 5)).extracting(Hold::account, Hold::amount).containsExactly(a, 1_000L);
        Transfer first = ledger.settle("task-rep-" + a, 3, b, 100);
        assertThat(ledger.settle("task-rep-" + a, 3, a, 700)).isEqualTo(first);
        List<Transfer> batch = ledger.settleAll(List.of(new Settlement("task-rep-" + a, 3, b, 100),
                new Settlement("task-rep-" + a, 4, b, 200), new Settlement("task-rep-" + a, 4, b, 200)));
        assertThat(batch.get(0)).isEqualTo(first);
        assertThat(batch.get(2)).isEqualTo(batch.get(1));
        assertThat(ledger.account(b).earned()).isEqualTo(300);
        assertThat(ledger.findHold("task-rep-" + a).orElseThrow().remaining()).isEqualTo(700);
    }

    @Test
    void badInputGivesItsCodeAndMovesNothing() {
        String a = newAccount();
        String b = newAccount();
        ledger.hold("task-bad-" + a, a, 400);
        Map<String, Account> before = snapshot(a, b, CreditSpi.GRID_ACCOUNT);

        fails(() -> ledger.grant("nobody", 10, "k1"), ErrorCode.UNKNOWN_ACCOUNT, "nobody");
        fails(() -> ledger.account("nobody"), ErrorCode.UNKNOWN_ACCOUNT, "nobody");
        fails(() -> ledger.grant(a, 0, "k2"), ErrorCode.BAD_AMOUNT, "positive");
        fails(() -> ledger.grant(a, -5, "k3"), ErrorCode.BAD_AMOUNT, "positive");
        fails(() -> ledger.grant(a, 1_000_001, "k4"), ErrorCode.BAD_AMOUNT, "cap of 1000000");
        fails(() -> ledger.grant(a, 10, " "), ErrorCode.BAD_REQUEST, "idempotencyKey");
        fails(() -> ledger.grant(CreditSpi.GRID_ACCOUNT, 10, "k5"), ErrorCode.BAD_REQUEST, "grid");
        fails(() -> ledger.hold("task-x-" + a, a, STARTER), ErrorCode.INSUFFICIENT_CREDIT, "needs " + STARTER);
        fails(() -> ledger.hold("task-y-" + a, "nobody", 1), ErrorCode.UNKNOWN_ACCOUNT, "nobody");
        fails(() -> ledger.hold("task with spaces", a, 1), ErrorCode.BAD_REQUEST, "task id");
        fails(() -> ledger.openAccount("bad:id", "x", SlaTier.FREE), ErrorCode.BAD_REQUEST, "account id");
        fails(() -> ledger.settle("no-such-task", 0, b, 1), ErrorCode.HOLD_NOT_FOUND, "no-such-task");
        fails(() -> ledger.settle("task-bad-" + a, 0, b, 401), ErrorCode.INSUFFICIENT_CREDIT, "400");
        fails(() -> ledger.settle("task-bad-" + a, 0, "nobody", 1), ErrorCode.UNKNOWN_ACCOUNT, "nobody");
        fails(() -> ledger.settle("task-bad-" + a, -1, b, 1), ErrorCode.BAD_REQUEST, "fragment");
        fails(() -> ledger.settle("task-bad-" + a, 0, b, 0), ErrorCode.BAD_AMOUNT, "positive");
        // One bad settlement fails the whole batch: the good one before it is not paid either.
        fails(() -> ledger.settleAll(List.of(new Settlement("task-bad-" + a, 1, b, 100), new Settlement("task-bad-" + a, 2, b, 301))),
                ErrorCode.INSUFFICIENT_CREDIT, "fragment 2");
        fails(() -> ledger.refund("no-such-task"), ErrorCode.HOLD_NOT_FOUND, "no-such-task");
        fails(() -> ledger.ledger(a, 0, 0), ErrorCode.BAD_REQUEST, "pageSize");

        assertThat(snapshot(a, b, CreditSpi.GRID_ACCOUNT)).isEqualTo(before);
        assertThat(ledger.findHold("task-bad-" + a).orElseThrow().remaining()).isEqualTo(400);
        assertThat(ledger.findHold("task-x-" + a)).isEmpty();
        assertThat(ledger.ledger(b, 0, 10)).extracting(Transfer::kind).containsExactly(Transfer.Kind.GRANT);

        ledger.refund("task-bad-" + a);
        fails(() -> ledger.settle("task-bad-" + a, 0, b, 1), ErrorCode.HOLD_CLOSED, "closed");
    }

    @Test
    void ledgerPagesNewestFirst() {
        String a = newAccount();
        for (int i = 0; i < 5; i++) {
            ledger.grant(a, 10 + i, "page-" + a + "-" + i);
        }
        List<Transfer> first = ledger.ledger(a, 0, 4);
        List<Transfer> second = ledger.ledger(a, 1, 4);
        assertThat(first).hasSize(4);
        assertThat(second).hasSize(2);
        assertThat(first.get(0).amount()).isEqualTo(14);
        assertThat(second.get(1).key()).isEqualTo("open:" + a);
    }

    @Test
    void theLedgerIsQueryableWithCalciteSql() {
        String a = newAccount();
        String b = newAccount();
        ledger.hold("task-sql", a, 600);
        ledger.settleAll(List.of(new Settlement("task-sql", 0, b, 100), new Settlement("task-sql", 1, b, 200)));
        ledger.refund("task-sql");

        Map<String, Long> byKind = new HashMap<>();
        for (List<?> row : nodes.node("harbor").cache(ledger.configuration().ledgerCache())
                .query(new SqlFieldsQuery("SELECT KIND, SUM(AMOUNT) FROM PTORRENT.LEDGER WHERE FROM_ACCOUNT = ? OR TO_ACCOUNT = ? OR FROM_ACCOUNT = 'escrow:task-sql' GROUP BY KIND")
                        .setArgs(a, a)).getAll()) {
            byKind.put((String) row.get(0), ((Number) row.get(1)).longValue());
        }
        assertThat(byKind).containsEntry("HOLD", 600L).containsEntry("SETTLE", 300L).containsEntry("REFUND", 300L).containsEntry("GRANT", STARTER);

        List<List<?>> acct = nodes.node("harbor").cache(ledger.configuration().accountsCache())
                .query(new SqlFieldsQuery("SELECT BALANCE, EARNED FROM PTORRENT.ACCOUNT WHERE ID = ?").setArgs(b)).getAll();
        assertThat(acct).containsExactly(List.of(STARTER + 300, 300L));
    }

    private static Map<String, Account> snapshot(String... ids) {
        Map<String, Account> m = new HashMap<>();
        for (String id : ids) {
            m.put(id, ledger.account(id));
        }
        return m;
    }

    private static void fails(ThrowingCallable call, ErrorCode code, String messagePart) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PtorrentException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }
}
