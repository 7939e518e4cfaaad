package io.ptorrent.plugin.scheduler;

import admissiontest.BusyClosures;
import io.ptorrent.client.Balance;
import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.SerializableCallable;
import io.ptorrent.client.TaskHandle;
import io.ptorrent.client.TaskStatus;
import io.ptorrent.credit.CreditConfiguration;
import io.ptorrent.credit.CreditSpi;
import io.ptorrent.credit.Hold;
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
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cancel mid-pipeline on a real grid (a harbor with credit, two contributors with one shared core each): a task's
 * batches are out on the nodes, queued and running, when its submitter cancels; then nothing of it runs any more, the
 * harbor has nothing out, and the refund is exactly the hold minus what was paid. Credit is conserved.
 */
class PipelineCancelIT {
    private static final int BASE_PORT = 54600;

    private static TestGrid grid;
    private static Ignite harbor;
    private static CreditSpi ledger;
    private static Connection jdbc;

    @BeforeAll
    static void startGrid() throws SQLException {
        grid = new TestGrid(BASE_PORT, 50);
        harbor = grid.startHarbor("harbor", false, c -> c.setConsolePort(0)
                .setCredit(new CreditConfiguration().setStarterGrant(10_000_000))
                .setRatio(new RatioConfiguration().setBasePrice(1.0).setInterval(Duration.ofHours(1)))
                .setOpenAccounts(List.of("carol")));
        grid.startContributor("alice", c -> c.setSharedCores(1).setAccount("alice"));
        grid.startContributor("bob", c -> c.setSharedCores(1).setAccount("bob"));
        ledger = PtorrentPlugin.of(harbor).credit();
        jdbc = DriverManager.getConnection("jdbc:ignite:thin://" + grid.thinClientAddress(), Identities.OPERATOR_ACCOUNT,
                grid.apiKey(Identities.OPERATOR_ACCOUNT));
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
    void cancelMidPipelineStopsEverythingAndRefundsExactly() throws SQLException {
        FragmentScheduler scheduler = PtorrentPlugin.of(harbor).scheduler();
        try (PtorrentClient carol = PtorrentClient.connect(grid.clientOptions("carol").fragmentTimeout(Duration.ofSeconds(5)))) {
            Balance before = carol.balance();
            List<SerializableCallable<Integer>> work = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                work.add(BusyClosures.busy(10, i));
            }
            TaskHandle<List<Integer>> task = carol.submitAll(work);
            String taskId = task.taskId().join();
            // Under way: some results back, more fragments out on the nodes than they have shared cores.
            AtomicInteger mostOut = new AtomicInteger();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                mostOut.accumulateAndGet(scheduler.snapshot().runningFragments(), Math::max);
                return carol.status(taskId).fragmentsDone() >= 20 && mostOut.get() > 2;
            });

            carol.cancel(taskId);
            await().atMost(Duration.ofSeconds(30)).until(() -> carol.status(taskId).state() == TaskStatus.State.CANCELLED);
            await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.snapshot().runningFragments() == 0);
            await().atMost(Duration.ofSeconds(30)).until(() -> !ledger.findHold(taskId).orElseThrow().open());
            int doneAtCancel = carol.status(taskId).fragmentsDone();
            assertThat(doneAtCancel).isLessThan(2_000);

            Hold hold = ledger.findHold(taskId).orElseThrow();
            long spent = settled(taskId);
            long refunded = ledger.ledger("carol", 0, 1_000).stream()
                    .filter(t -> t.kind() == Transfer.Kind.REFUND && t.from().equals(Transfer.escrowOf(taskId)))
                    .mapToLong(Transfer::amount).sum();
            assertThat(refunded).isEqualTo(hold.amount() - spent);
            Balance after = carol.balance();
            assertThat(after.held()).isZero();
            assertThat(after.balance()).isEqualTo(before.balance() - spent);
            assertThat(scheduler.snapshot().queuedFragments()).isZero();
        }
        assertConserved();
    }

    private static long settled(String taskId) throws SQLException {
        return sum("SELECT COALESCE(SUM(AMOUNT), 0) FROM PTORRENT.LEDGER WHERE KIND = 'SETTLE' AND FROM_ACCOUNT = '" + Transfer.escrowOf(taskId) + "'");
    }

    /** Sum of every balance (the grid's is minus all it issued) plus every open hold is 0. */
    private static void assertConserved() throws SQLException {
        await().atMost(Duration.ofSeconds(30)).until(() -> sum("SELECT COUNT(*) FROM PTORRENT.HOLD WHERE OPEN = TRUE") == 0);
        long balances = sum("SELECT SUM(BALANCE) FROM PTORRENT.ACCOUNT");
        long holds = sum("SELECT COALESCE(SUM(REMAINING), 0) FROM PTORRENT.HOLD WHERE OPEN = TRUE");
        assertThat(balances + holds).as("sum of balances and open holds").isZero();
    }

    private static long sum(String sql) throws SQLException {
        try (var st = jdbc.createStatement(); var rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }
}
