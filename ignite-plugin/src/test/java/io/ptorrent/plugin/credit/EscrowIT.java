package io.ptorrent.plugin.credit;

import admissiontest.BusyClosures;
import io.ptorrent.client.Balance;
import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.SerializableCallable;
import io.ptorrent.client.TaskHandle;
import io.ptorrent.client.TaskReport;
import io.ptorrent.client.TaskStatus;
import io.ptorrent.client.cli.StatusCommand;
import io.ptorrent.credit.CreditConfiguration;
import io.ptorrent.credit.CreditSpi;
import io.ptorrent.credit.Hold;
import io.ptorrent.credit.SlaTier;
import io.ptorrent.credit.Transfer;
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
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pay-as-you-go escrow on a real grid (one harbor at the demo's fragment limit and starter grant, contributors
 * alice and bob with one shared core each): the hold follows the task and is topped up as it runs; an account
 * that runs dry pauses its task ({@code PAUSED_NO_CREDIT}) until a grant resumes it or a cancel refunds exactly
 * what is held and unspent; 1,000 trivial closures run from the demo's carol with default options. Credit is
 * conserved after each.
 */
class EscrowIT {
    private static final int BASE_PORT = 54200;
    /** config/harbor.xml's: what the demo's harbor runs with. */
    private static final long DEMO_FRAGMENT_LIMIT_MS = 120_000;
    private static final long DEMO_STARTER = 3_600_000; // 3,600 credits, config/harbor.xml's starterGrant
    private static final Duration SHORT_LIMIT = Duration.ofSeconds(2);

    private static TestGrid grid;
    private static Ignite harbor;
    private static CreditSpi ledger;
    private static Connection jdbc;

    @BeforeAll
    static void startGrid() throws SQLException {
        grid = new TestGrid(BASE_PORT, 50);
        harbor = grid.startHarbor("harbor", false, c -> c.setConsolePort(0).setFragmentTimeoutMs(DEMO_FRAGMENT_LIMIT_MS)
                .setCredit(new CreditConfiguration().setStarterGrant(DEMO_STARTER))
                // Price 1, fixed for the test: no interval closes while it runs.
                .setRatio(new RatioConfiguration().setBasePrice(1.0).setInterval(Duration.ofHours(1)))
                .setOpenAccounts(List.of("carol", "tom")));
        grid.startContributor("alice", c -> c.setSharedCores(1).setAccount("alice"));
        grid.startContributor("bob", c -> c.setSharedCores(1).setAccount("bob"));
        ledger = PtorrentPlugin.of(harbor).credit();
        jdbc = DriverManager.getConnection("jdbc:ignite:thin://" + grid.thinClientAddress(), Identities.OPERATOR_ACCOUNT, grid.apiKey(Identities.OPERATOR_ACCOUNT));
    }

    @AfterAll
    static void stopGrid() throws SQLException {
        if (jdbc != null) {
            jdbc.close();
        }
        if (grid != null) {
            grid.close();
        }
    }

    @Test
    void aThousandTrivialClosuresRunFromTheDemoCarolsBalanceWithDefaultOptions() throws SQLException {
        try (PtorrentClient carol = PtorrentClient.connect(grid.clientOptions("carol"))) {
            Balance before = carol.balance();
            assertThat(before.balance()).isEqualTo(DEMO_STARTER);
            List<SerializableCallable<Integer>> work = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                work.add(BusyClosures.busy(0, i));
            }
            TaskHandle<List<Integer>> task = carol.submitAll(work);
            assertThat(task.get()).containsExactlyElementsOf(IntStream.range(0, 1_000).boxed().toList());
            TaskReport report = task.report().join();
            Balance after = carol.balance();
            assertThat(after.balance()).isEqualTo(before.balance() - report.creditSpent());
            assertThat(after.held()).isZero();
            // The hold followed the task (at most what carol had, as far as the pipeline asked for it); a worst-case hold
            // for every fragment would have needed more than carol has.
            assertThat(ledger.findHold(report.taskId()).orElseThrow().amount()).isLessThanOrEqualTo(DEMO_STARTER);
            assertThat(1_000 * perFragment(DEMO_FRAGMENT_LIMIT_MS)).isGreaterThan(DEMO_STARTER);
        }
        assertConserved();
    }

    @Test
    void theHoldIsToppedUpAsTheTaskRuns() throws SQLException {
        try (PtorrentClient tom = PtorrentClient.connect(grid.clientOptions("tom").fragmentTimeout(Duration.ofSeconds(1)))) {
            Balance before = tom.balance();
            // Each fragment costs a good part of its 1-second worst case, so the window's margin is used up and refilled.
            List<SerializableCallable<Integer>> work = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                work.add(BusyClosures.busy(300, i));
            }
            TaskHandle<List<Integer>> task = tom.submitAll(work);
            assertThat(task.get()).containsExactlyElementsOf(IntStream.range(0, 12).boxed().toList());
            TaskReport report = task.report().join();
            String taskId = report.taskId();
            List<Transfer> holds = ledger.ledger("tom", 0, 1_000).stream()
                    .filter(t -> t.kind() == Transfer.Kind.HOLD && t.to().equals(Transfer.escrowOf(taskId))).toList();
            assertThat(holds).extracting(Transfer::key).contains("hold:" + taskId).anyMatch(k -> k.startsWith("topup:" + taskId + ":"));
            Hold hold = ledger.findHold(taskId).orElseThrow();
            assertThat(hold.amount()).isEqualTo(holds.stream().mapToLong(Transfer::amount).sum());
            assertThat(hold.open()).isFalse();
            assertThat(settled(taskId)).isEqualTo(report.creditSpent());
            assertThat(tom.balance().balance()).isEqualTo(before.balance() - report.creditSpent());
        }
        assertConserved();
    }

    @Test
    void aDryAccountPausesItsTaskAndAGrantResumesIt() throws SQLException {
        long granted = dryAccount("dora");
        try (PtorrentClient dora = PtorrentClient.connect(grid.clientOptions("dora").fragmentTimeout(SHORT_LIMIT))) {
            TaskHandle<List<Integer>> task = dora.submitAll(busyWork(20));
            String taskId = task.taskId().join();
            TaskStatus paused = awaitPaused(dora, taskId);
            assertThat(paused.fragmentsDone()).isLessThan(20);
            assertThat(dora.balance().balance()).isZero();

            ledger.grant("dora", 100_000, "escrow-it-resume-dora");
            assertThat(task.get()).containsExactlyElementsOf(IntStream.range(0, 20).boxed().toList());
            TaskReport report = task.report().join();
            assertThat(settled(taskId)).isEqualTo(report.creditSpent());
            assertThat(dora.balance().balance()).isEqualTo(granted + 100_000 - report.creditSpent());
        }
        assertConserved();
    }

    @Test
    void cancelWhilePausedRefundsExactlyWhatIsHeldAndUnspent() throws SQLException {
        long granted = dryAccount("dave");
        try (PtorrentClient dave = PtorrentClient.connect(grid.clientOptions("dave").fragmentTimeout(SHORT_LIMIT))) {
            TaskHandle<List<Integer>> task = dave.submitAll(busyWork(20));
            String taskId = task.taskId().join();
            awaitPaused(dave, taskId);
            long heldWhilePaused = dave.balance().held();
            assertThat(heldWhilePaused).isPositive();

            dave.cancel(taskId);
            await().atMost(Duration.ofSeconds(30)).until(() -> dave.status(taskId).state() == TaskStatus.State.CANCELLED);
            await().atMost(Duration.ofSeconds(30)).until(() -> !ledger.findHold(taskId).orElseThrow().open());
            Hold hold = ledger.findHold(taskId).orElseThrow();
            long spent = settled(taskId);
            Transfer refund = ledger.ledger("dave", 0, 1_000).stream().filter(t -> t.kind() == Transfer.Kind.REFUND).findFirst().orElseThrow();
            // Exactly what was held and not paid out (payments of fragments accepted before the pause may still have
            // been on their way when the test read the balance, so that figure is an upper bound).
            assertThat(refund.amount()).isEqualTo(hold.amount() - spent).isLessThanOrEqualTo(heldWhilePaused);
            Balance after = dave.balance();
            assertThat(after.held()).isZero();
            assertThat(after.balance()).isEqualTo(granted - spent);
        }
        assertConserved();
    }

    /** Opens an account with credit for a little more than one fragment at {@link #SHORT_LIMIT}; returns its balance. */
    private static long dryAccount(String id) {
        long balance = perFragment(SHORT_LIMIT.toMillis()) * 3 / 2;
        ledger.openAccount(id, id, SlaTier.CONTRIBUTOR, 0);
        ledger.grant(id, balance, "escrow-it-" + id);
        return balance;
    }

    /** The most one fragment can cost at this fragment limit now, as the harbor prices it. */
    private static long perFragment(long limitMs) {
        PtorrentPlugin plugin = PtorrentPlugin.of(harbor);
        double best = plugin.scheduler().speeds().best(harbor.cluster().forClients().nodes());
        return HarborCredit.atPrice(WorkValue.escrowPerFragment(limitMs, best), plugin.ratio().price());
    }

    /** Fragments of 300 ms of CPU: each a good part of its 2-second worst case, so that a small balance runs dry. */
    private static List<SerializableCallable<Integer>> busyWork(int n) {
        List<SerializableCallable<Integer>> work = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            work.add(BusyClosures.busy(300, i));
        }
        return work;
    }

    private static TaskStatus awaitPaused(PtorrentClient client, String taskId) {
        await().atMost(Duration.ofSeconds(60)).until(() -> client.status(taskId).state() == TaskStatus.State.PAUSED_NO_CREDIT);
        TaskStatus paused = client.status(taskId);
        assertThat(paused.error().code()).isEqualTo(ErrorCode.INSUFFICIENT_CREDIT);
        // What bin/ptorrent status prints: the state and what to do.
        assertThat(StatusCommand.describe(paused)).contains("PAUSED_NO_CREDIT", "resumes by itself", "grant", "cancel");
        return paused;
    }

    private static long settled(String taskId) throws SQLException {
        return sum("SELECT COALESCE(SUM(AMOUNT), 0) FROM PTORRENT.LEDGER WHERE KIND = 'SETTLE' AND FROM_ACCOUNT = '" + Transfer.escrowOf(taskId) + "'");
    }

    /** Sum of every balance (the grid's is minus all it issued) plus every open hold is 0. */
    private static void assertConserved() throws SQLException {
        await().atMost(Duration.ofSeconds(30)).until(() -> sum("SELECT COUNT(*) FROM PTORRENT.HOLD WHERE OPEN = TRUE") == 0);
        long balances = sum("SELECT SUM(BALANCE) FROM PTORRENT.ACCOUNT");
        long holds = sum("SELECT COALESCE(SUM(REMAINING), 0) FROM PTORRENT.HOLD WHERE OPEN = TRUE");
        long held = sum("SELECT SUM(HELD) FROM PTORRENT.ACCOUNT");
        assertThat(balances + holds).as("sum of balances and open holds").isZero();
        assertThat(held).isEqualTo(holds);
    }

    private static long sum(String sql) throws SQLException {
        try (var st = jdbc.createStatement(); var rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }
}
