package io.ptorrent.plugin.credit;

import admissiontest.BusyClosures;
import io.ptorrent.client.Balance;
import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.SerializableCallable;
import io.ptorrent.client.TaskHandle;
import io.ptorrent.client.TaskReport;
import io.ptorrent.credit.CreditConfiguration;
import io.ptorrent.credit.CreditSpi;
import io.ptorrent.credit.SlaTier;
import io.ptorrent.credit.ratio.RatioConfiguration;
import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.security.Identities;
import io.ptorrent.plugin.testing.TestGrid;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Credit on a real grid (one harbor, contributors alice and bob, submitter carol): a task is charged to its
 * submitter and pays the contributors that ran it, once per fragment also under failover; bad input moves
 * nothing; the ledger is read by an operator with Ignite's JDBC thin driver, and conserves credit.
 */
class CreditGridIT {
    private static final int BASE_PORT = 50200;
    private static final long STARTER = 1_000_000; // 1,000 credits
    private static final double PRICE = 2.0;
    private static final Duration FRAGMENT_LIMIT = Duration.ofSeconds(30);

    private static TestGrid grid;
    private static Ignite harbor;
    private static Connection jdbc;
    /** Reads every account's credit (a member reads only its own). */
    private static PtorrentClient operator;

    @BeforeAll
    static void startGrid() throws SQLException {
        grid = new TestGrid(BASE_PORT);
        harbor = grid.startHarbor("harbor", false, c -> c.setConsolePort(0)
                .setCredit(new CreditConfiguration().setStarterGrant(STARTER))
                // A price that is not 1, fixed for the test: no interval closes while it runs, so no forecast moves it.
                .setRatio(new RatioConfiguration().setBasePrice(PRICE).setInterval(Duration.ofHours(1)))
                .setOpenAccounts(List.of("carol")));
        grid.startContributor("alice", c -> c.setSharedCores(1).setAccount("alice"));
        grid.startContributor("bob", c -> c.setSharedCores(1).setAccount("bob"));
        // The ledger's SQL is read-only, and the operator's alone (docs/SECURITY.md).
        jdbc = DriverManager.getConnection("jdbc:ignite:thin://" + grid.thinClientAddress(), Identities.OPERATOR_ACCOUNT, grid.apiKey(Identities.OPERATOR_ACCOUNT));
        operator = PtorrentClient.connect(grid.clientOptions(Identities.OPERATOR_ACCOUNT));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT COUNT(*) FROM PTORRENT.ACCOUNT WHERE ID IN ('alice', 'bob')") == 2);
    }

    @AfterAll
    static void stopGrid() throws SQLException {
        if (jdbc != null) {
            jdbc.close();
        }
        if (operator != null) {
            operator.close();
        }
        if (grid != null) {
            grid.close();
        }
    }

    @Test
    void aTaskIsChargedToItsSubmitterAndPaysTheContributorsThatRanIt() throws SQLException {
        Balance carolBefore;
        Balance aliceBefore;
        Balance bobBefore;
        TaskReport report;
        try (PtorrentClient carol = client("carol")) {
            carolBefore = carol.balance();
            aliceBefore = operator.balance("alice");
            bobBefore = operator.balance("bob");
            List<SerializableCallable<Integer>> work = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                work.add(BusyClosures.busy(300, i));
            }
            TaskHandle<List<Integer>> task = carol.submitAll(work);
            assertThat(task.get()).containsExactly(0, 1, 2, 3);
            report = task.report().join();

            Balance carolAfter = carol.balance();
            long earned = operator.balance("alice").earned() - aliceBefore.earned() + operator.balance("bob").earned() - bobBefore.earned();
            assertThat(report.creditSpent()).isPositive();
            assertThat(carolAfter.balance()).isEqualTo(carolBefore.balance() - report.creditSpent());
            assertThat(carolAfter.held()).isZero();
            assertThat(carolAfter.spent() - carolBefore.spent()).isEqualTo(report.creditSpent());
            assertThat(earned).isEqualTo(report.creditSpent());
            // Each fragment is worth the harbor's time × the node's PU per core as the harbor measured it, at the task's price.
            long expected = 0;
            for (TaskReport.Fragment f : report.fragments()) {
                double puPerCore = PtorrentPlugin.of(harbor).scheduler().speeds().puPerCore(UUID.fromString(f.nodeId()));
                expected += (long) Math.floor((long) (f.millis() * puPerCore) * PRICE);
            }
            assertThat(report.creditSpent()).isEqualTo(expected);
        }
        // One payment per fragment, each to the account of the node that ran it.
        assertThat(count("SELECT COUNT(*) FROM PTORRENT.LEDGER WHERE KIND = 'SETTLE' AND FROM_ACCOUNT = 'escrow:" + report.taskId() + "'")).isEqualTo(4);
        assertThat(count("SELECT COUNT(*) FROM PTORRENT.LEDGER WHERE KIND = 'REFUND' AND FROM_ACCOUNT = 'escrow:" + report.taskId() + "'")).isEqualTo(1);
        assertConserved();
    }

    @Test
    void aFragmentRunTwiceByFailoverIsPaidOnceToTheNodeWhoseResultCounted() throws SQLException {
        Ignite erin = grid.startContributor("erin", c -> c.setSharedCores(1).setAccount("erin"));
        try (PtorrentClient carol = client("carol")) {
            // Three fragments for three cores: one is surely on erin when she stops.
            List<SerializableCallable<Integer>> work = List.of(BusyClosures.busy(4_000, 1), BusyClosures.busy(4_000, 2), BusyClosures.busy(4_000, 3));
            TaskHandle<List<Integer>> task = carol.submitAll(work);
            String erinId = erin.cluster().localNode().id().toString();
            await().atMost(Duration.ofSeconds(60)).until(() -> PtorrentPlugin.of(harbor).gridSnapshot().nodes().stream()
                    .anyMatch(n -> n.id().equals(erinId) && n.runningFragments() == 1));
            grid.stop("erin");

            assertThat(task.get()).containsExactly(1, 2, 3);
            TaskReport report = task.report().join();
            assertThat(report.nodeIds()).doesNotContain(erinId);
            String escrow = "escrow:" + report.taskId();
            assertThat(count("SELECT COUNT(*) FROM PTORRENT.LEDGER WHERE KIND = 'SETTLE' AND FROM_ACCOUNT = '" + escrow + "'")).isEqualTo(3);
            assertThat(count("SELECT COUNT(*) FROM PTORRENT.LEDGER WHERE FROM_ACCOUNT = '" + escrow + "' AND TO_ACCOUNT = 'erin'")).isZero();
            assertThat(operator.balance("erin").earned()).isZero();
            assertThat(sum("SELECT SUM(AMOUNT) FROM PTORRENT.LEDGER WHERE KIND = 'SETTLE' AND FROM_ACCOUNT = '" + escrow + "'"))
                    .isEqualTo(report.creditSpent());
        }
        assertConserved();
    }

    @Test
    void anUnknownAccountOrTheIssuerIsRefusedAndNothingMoves() throws SQLException {
        long entries = count("SELECT COUNT(*) FROM PTORRENT.LEDGER");
        try (PtorrentClient mallory = client("mallory")) {
            assertThatThrownBy(() -> mallory.submit(BusyClosures.busy(10, 1)).get())
                    .isInstanceOfSatisfying(PtorrentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_ACCOUNT));
            assertThatThrownBy(mallory::balance)
                    .isInstanceOfSatisfying(PtorrentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_ACCOUNT));
        }
        // The issuer, whose balance may go negative, pays for nothing.
        try (PtorrentClient grid = client("grid")) {
            assertThatThrownBy(() -> grid.submit(BusyClosures.busy(10, 1)).get())
                    .isInstanceOfSatisfying(PtorrentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
        }
        // Submitters' accounts are not opened on first use.
        assertThat(count("SELECT COUNT(*) FROM PTORRENT.ACCOUNT WHERE ID = 'mallory'")).isZero();
        assertThat(count("SELECT COUNT(*) FROM PTORRENT.LEDGER")).isEqualTo(entries);
        assertConserved();
    }

    @Test
    void aSubmitterWhoCannotCoverOneFragmentIsRefusedAtOnceAndNothingIsHeld() throws SQLException {
        // One credit: far less than one fragment can cost at the harbor's 10-minute fragment limit.
        CreditSpi ledger = PtorrentPlugin.of(harbor).credit();
        ledger.openAccount("dana", "dana", SlaTier.CONTRIBUTOR, 0);
        ledger.grant("dana", CreditSpi.UNITS_PER_CREDIT, "credit-grid-it-dana");
        long entries = count("SELECT COUNT(*) FROM PTORRENT.LEDGER");
        try (PtorrentClient dana = PtorrentClient.connect(grid.clientOptions("dana"))) {
            Balance before = dana.balance();
            List<SerializableCallable<Integer>> work = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                work.add(BusyClosures.busy(10, i));
            }
            assertThatThrownBy(() -> dana.submitAll(work).get())
                    .isInstanceOfSatisfying(PtorrentException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INSUFFICIENT_CREDIT);
                        assertThat(e.getMessage()).contains("nothing was held", "grant", "fragmentTimeout");
                    });
            assertThat(dana.balance()).isEqualTo(before);
        }
        assertThat(count("SELECT COUNT(*) FROM PTORRENT.LEDGER")).isEqualTo(entries);
        assertThat(count("SELECT COUNT(*) FROM PTORRENT.HOLD WHERE ACCOUNT = 'dana'")).isZero();
        assertConserved();
    }

    /** Sum of every balance (the grid's is minus all it issued) plus every open hold is 0. */
    private static void assertConserved() throws SQLException {
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT COUNT(*) FROM PTORRENT.HOLD WHERE OPEN = TRUE") == 0);
        long balances = sum("SELECT SUM(BALANCE) FROM PTORRENT.ACCOUNT");
        long holds = sum("SELECT COALESCE(SUM(REMAINING), 0) FROM PTORRENT.HOLD WHERE OPEN = TRUE");
        long held = sum("SELECT SUM(HELD) FROM PTORRENT.ACCOUNT");
        assertThat(balances + holds).as("sum of balances and open holds").isZero();
        assertThat(held).isEqualTo(holds);
    }

    private static PtorrentClient client(String account) {
        return PtorrentClient.connect(grid.clientOptions(account).fragmentTimeout(FRAGMENT_LIMIT));
    }

    private static long count(String sql) throws SQLException {
        return sum(sql);
    }

    private static long sum(String sql) throws SQLException {
        try (var st = jdbc.createStatement(); var rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }
}
