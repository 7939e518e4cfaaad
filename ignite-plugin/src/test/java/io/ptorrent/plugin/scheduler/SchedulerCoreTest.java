package io.ptorrent.plugin.scheduler;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.wire.SubmitResult;
import io.ptorrent.plugin.scheduler.FragmentScheduler.Accepted;
import io.ptorrent.plugin.scheduler.FragmentTransport.BatchReply;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The scheduler's core on a fake topology, link and clock: pipelining, give-backs, cancel, paid time. */
class SchedulerCoreTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Makespan ÷ ideal of 200 fragments of 20 ms on two one-core nodes over a link of 25 ms each way. */
    private static double slowLinkRatio(NodeWindows.Options options) {
        FakeGrid grid = new FakeGrid(options);
        grid.oneWayNanos = 25 * MS;
        grid.node("a", 1, 20);
        grid.node("b", 1, 20);
        long t0 = grid.nanos.get();
        Accepted a = grid.core.submit("acct", FakeGrid.BUNDLE, FakeGrid.closures(200), 10_000);
        long end = grid.run();
        SubmitResult r = a.result().join();
        assertThat(r.error()).isNull();
        assertThat(r.fragments()).hasSize(200);
        assertThat(grid.accounting.accepted).isEqualTo(200);
        assertThat(grid.accounting.open()).isZero();
        double ideal = 200 * 20.0 / 2;
        return (end - t0) / 1e6 / ideal;
    }

    @Test
    void pipelinedBatchesKeepTheCoresBusyOverASlowLink() {
        double pipelined = slowLinkRatio(NodeWindows.Options.DEFAULTS);
        double unpipelined = slowLinkRatio(NodeWindows.Options.UNPIPELINED);

        assertThat(unpipelined).as("one fragment per round trip idles the cores").isGreaterThan(3.0);
        assertThat(pipelined).as("makespan / ideal with windows of batches").isLessThan(1.10);
    }

    @Test
    void aBatchHoldsOnePieceUntilTheTaskIsKnownOnTheNodeThenGrowsToTheRoundTrip() {
        FakeGrid grid = new FakeGrid(NodeWindows.Options.DEFAULTS);
        grid.oneWayNanos = 25 * MS;
        grid.node("a", 1, 1);
        grid.core.submit("acct", FakeGrid.BUNDLE, FakeGrid.closures(1000), 10_000);
        grid.run();

        List<Integer> sizes = grid.sent.stream().map(s -> s.batch().size()).toList();
        assertThat(sizes.subList(0, 2)).containsExactly(1, 1);
        // 1.5 round trips of 50 ms at 1 ms a fragment, within the coalescing interval.
        assertThat(sizes.stream().mapToInt(Integer::intValue).max().orElseThrow()).isBetween(60, 250);
    }

    @Test
    void aNodeThatHandsBackReturnsEveryQueuedPieceWithoutUsingAnAttempt() {
        FakeGrid grid = new FakeGrid(NodeWindows.Options.DEFAULTS);
        FakeGrid.Node a = grid.node("a", 1, 5);
        a.automatic = false;
        FakeGrid.Node b = grid.node("b", 1, 5);
        b.present = false; // joins later
        Accepted task = grid.core.submit("acct", FakeGrid.BUNDLE, FakeGrid.closures(10), 10_000);
        grid.run();
        assertThat(a.held).hasSize(2); // the window: one running, one queued on the node
        // Teach the node the task: the next batches are bigger.
        for (FakeGrid.Sent s : List.copyOf(a.held)) {
            s.reply().complete(new BatchReply(List.of(FragmentOutcome.ok(new byte[0])), List.of(5L), true));
            grid.run();
        }
        assertThat(a.held).hasSize(4);
        assertThat(a.held.get(2).batch().size() + a.held.get(3).batch().size()).isEqualTo(8);

        // The owner takes the core back: the running batch stops after one piece, the queued ones never start.
        a.cores = 0;
        b.present = true;
        b.cores = 1;
        FakeGrid.Sent running = a.held.get(2);
        List<FragmentOutcome> outcomes = new ArrayList<>();
        List<Long> claims = new ArrayList<>();
        for (int i = 0; i < running.batch().size(); i++) {
            outcomes.add(i == 0 ? FragmentOutcome.ok(new byte[0]) : FragmentOutcome.failed(FailoverPolicy.NOT_RUN, "handed back"));
            claims.add(i == 0 ? 5L : 0L);
        }
        running.reply().complete(new BatchReply(outcomes, claims, true));
        a.held.stream().skip(3).forEach(s -> s.reply().completeExceptionally(new FragmentTransport.NotRunException("cancelled in the queue")));
        grid.run();

        SubmitResult r = task.result().join();
        assertThat(r.error()).isNull();
        assertThat(r.fragments()).hasSize(10);
        long onB = r.fragments().stream().filter(f -> f.nodeId().equals(b.id.toString())).count();
        assertThat(onB).isEqualTo(a.held.get(3).batch().size() + a.held.get(2).batch().size() - 1L);
        assertThat(grid.accounting.acceptedByFragment.values()).allMatch(n -> n == 1);
        assertThat(grid.accounting.open()).isZero();
    }

    @Test
    void cancelMidPipelineStopsEveryBatchAndReleasesEveryReservation() {
        FakeGrid grid = new FakeGrid(NodeWindows.Options.DEFAULTS);
        FakeGrid.Node a = grid.node("a", 2, 5);
        grid.node("b", 1, 5);
        Accepted task = grid.core.submit("acct", FakeGrid.BUNDLE, FakeGrid.closures(5000), 10_000);
        grid.run(grid.nanos.get() + 300 * MS);
        assertThat(grid.accounting.accepted).isPositive();
        int acceptedBefore = grid.accounting.accepted;

        grid.core.fail(task.taskId(), new io.ptorrent.client.PtorrentException(ErrorCode.TASK_CANCELLED, "cancelled"));
        int sentAtCancel = grid.sent.size();
        grid.run();

        assertThat(task.result().join().error().code()).isEqualTo(ErrorCode.TASK_CANCELLED.name());
        assertThat(grid.sent).hasSize(sentAtCancel); // nothing more went out
        assertThat(grid.sent).allMatch(s -> s.reply().isDone());
        assertThat(grid.accounting.accepted).isEqualTo(acceptedBefore); // late results unpaid
        assertThat(grid.accounting.open()).isZero();
        assertThat(grid.accounting.ended).isEqualTo(1);
        assertThat(grid.core.load().running()).isZero();
        assertThat(a.busy).isZero();
    }

    @Test
    void aNodeIsNeverPaidMoreThanItsCoresTimesTheHarborsWallTimeWhateverItClaims() {
        FakeGrid grid = new FakeGrid(NodeWindows.Options.DEFAULTS);
        grid.oneWayNanos = 10 * MS;
        FakeGrid.Node liar = grid.node("liar", 2, 4);
        liar.claimMillis = 60_000; // claims a minute per fragment
        long t0 = grid.nanos.get();
        grid.core.submit("acct", FakeGrid.BUNDLE, FakeGrid.closures(500), 10_000).result();
        long end = grid.run();

        long wallMillis = (end - t0) / 1_000_000;
        assertThat(grid.accounting.accepted).isEqualTo(500);
        assertThat(grid.accounting.paidMillis.get(liar.id)).isLessThanOrEqualTo(2 * wallMillis);
    }

    @Test
    void aTaskWhoseFragmentsComeBackFromTheOnlyNodeThatTookThemFailsWhenTheOthersRefuseIt() {
        FakeGrid grid = new FakeGrid(NodeWindows.Options.DEFAULTS);
        FakeGrid.Node taker = grid.node("taker", 1, 5);
        taker.automatic = false;
        FakeGrid.Node refuser = grid.node("refuser", 1, 5);
        refuser.automatic = false;
        Accepted task = grid.core.submit("acct", FakeGrid.BUNDLE, FakeGrid.closures(2), 10_000);
        grid.run();
        refuser.held.get(0).reply().complete(new BatchReply(List.of(FragmentOutcome.failed(ErrorCode.REFUSED_BY_RULES.name(), "rules")),
                List.of(0L), true));
        grid.run();
        assertThat(taker.held).hasSize(2); // both out on the taker, nothing queued

        taker.present = false;
        grid.core.nodeLeft(taker.id);
        grid.core.topologyChanged(); // discovery first: nothing is queued yet
        taker.held.forEach(s -> s.reply().completeExceptionally(new FragmentTransport.NodeLeftException("left")));
        grid.run();

        assertThat(task.result().join().error().code()).isEqualTo(ErrorCode.REFUSED_BY_RULES.name());
        assertThat(grid.accounting.open()).isZero();
    }

    @Test
    void aBatchOfANodeThatLeftUsesAnAttemptOnlyForItsFirstPiece() {
        FakeGrid grid = new FakeGrid(NodeWindows.Options.DEFAULTS);
        FakeGrid.Node a = grid.node("a", 1, 5);
        a.automatic = false;
        Accepted task = grid.core.submit("acct", FakeGrid.BUNDLE, FakeGrid.closures(3), 10_000);
        grid.run();
        FakeGrid.Node b = grid.node("b", 1, 5);
        a.present = false;
        grid.core.nodeLeft(a.id);
        a.held.forEach(s -> s.reply().completeExceptionally(new FragmentTransport.NodeLeftException("left")));
        grid.run();

        assertThat(task.result().join().error()).isNull();
        assertThat(task.result().join().fragments()).allMatch(f -> f.nodeId().equals(b.id.toString()));
    }
}
