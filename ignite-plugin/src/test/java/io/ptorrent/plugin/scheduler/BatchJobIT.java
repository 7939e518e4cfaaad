package io.ptorrent.plugin.scheduler;

import batchtest.Batch;
import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.SerializableCallable;
import io.ptorrent.client.bundle.Bundle;
import io.ptorrent.client.bundle.BundleBuilder;
import io.ptorrent.client.bundle.ClosureCodec;
import io.ptorrent.plugin.OneNodeTask;
import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.journal.Journal;
import io.ptorrent.plugin.sandbox.SandboxRunner;
import io.ptorrent.plugin.security.Caller;
import io.ptorrent.plugin.testing.TestGrid;
import org.apache.ignite.Ignite;
import org.apache.ignite.lang.IgniteFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A batch job (the batch contract of issue 10) on a real contributor: the harbor sends {@link FragmentJob#batch}
 * and reads the {@link BatchOutcome}, as the pipelined scheduler does. Ports 54800–54929 (discovery +0..9,
 * communication +60..119, thin clients +120..129).
 */
class BatchJobIT {
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final long LONG_MS = 60_000;
    private static TestGrid grid;
    private static Ignite harbor;
    private static Ignite alice;
    private static final Bundle BUNDLE = BundleBuilder.forClosure(Batch.multiply(1, 1));

    @BeforeAll
    static void start() {
        grid = new TestGrid(54800, 60);
        harbor = grid.startHarbor("harbor");
        alice = grid.startContributor("alice", 1);
    }

    @AfterAll
    static void stop() {
        grid.close();
    }

    @Test
    void aBatchOfManyPiecesRunsThemAllWithTheirResultsInOrder() {
        int n = 20;
        List<FragmentJob.Piece> pieces = new ArrayList<>();
        // Indexes of a task need not start at 0 nor be contiguous: the pieces say theirs.
        IntStream.range(0, n).forEach(i -> pieces.add(piece(100 + 2 * i, Batch.multiply(i, 3))));
        Journal.Totals before = PtorrentPlugin.of(alice).journal().totals();

        BatchOutcome batch = send(pieces, true, LONG_MS).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(batch.outcomes()).hasSize(n).allMatch(FragmentOutcome::isOk);
        assertThat(batch.outcomes().stream().map(o -> (Integer) decode(o)).toList())
                .isEqualTo(IntStream.range(0, n).mapToObj(i -> i * 3).toList());
        assertThat(batch.bundleHeld()).isTrue();
        assertThat(batch.outcomes()).allMatch(FragmentOutcome::bundleHeld);
        Journal.Totals after = PtorrentPlugin.of(alice).journal().totals();
        assertThat(after.runs() - before.runs()).isEqualTo(n);
        assertThat(after.succeeded() - before.succeeded()).isEqualTo(n);
    }

    @Test
    void aPieceThatThrowsAndOneThatRunsPastItsLimitFailAloneAndTheOthersSucceed() {
        List<FragmentJob.Piece> pieces = List.of(
                piece(0, Batch.multiply(2, 5)),
                piece(1, Batch.throwing("piece one breaks")),
                piece(2, Batch.multiply(3, 5)),
                piece(3, Batch.spin()),
                piece(4, Batch.multiply(4, 5)));

        BatchOutcome batch = send(pieces, true, 1500).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);

        List<FragmentOutcome> o = batch.outcomes();
        assertThat(o).hasSize(5);
        assertThat(o.get(0).isOk()).isTrue();
        assertThat((Integer) decode(o.get(0))).isEqualTo(10);
        assertThat(o.get(1).errorCode()).isEqualTo(ErrorCode.FRAGMENT_FAILED.name());
        assertThat(o.get(1).errorMessage()).contains("piece one breaks");
        assertThat((Integer) decode(o.get(2))).isEqualTo(15);
        assertThat(o.get(3).errorCode()).isEqualTo(ErrorCode.FRAGMENT_TIMEOUT.name());
        assertThat(o.get(3).errorMessage()).contains("1500 ms");
        assertThat((Integer) decode(o.get(4))).isEqualTo(20);
    }

    @Test
    void aCancelMidBatchAnswersNotRunForTheUnstartedPiecesAndKeepsTheFinishedOnes() {
        SandboxRunner sandbox = PtorrentPlugin.of(alice).sandbox();
        long endedBefore = sandbox.fragmentsEnded();
        List<FragmentJob.Piece> pieces = List.of(
                piece(0, Batch.multiply(1, 7)),
                piece(1, Batch.multiply(2, 7)),
                piece(2, Batch.spin()),
                piece(3, Batch.multiply(3, 7)),
                piece(4, Batch.multiply(4, 7)));
        IgniteFuture<BatchOutcome> fut = send(pieces, true, LONG_MS);
        await().atMost(PATIENCE).until(() -> sandbox.fragmentsEnded() - endedBefore >= 2);

        BatchOutcome batch = cancelAndCollect(fut);

        List<FragmentOutcome> o = batch.outcomes();
        assertThat(o).hasSize(5);
        assertThat((Integer) decode(o.get(0))).isEqualTo(7);
        assertThat((Integer) decode(o.get(1))).isEqualTo(14);
        // Cancelled under way, or before its worker had read it (then it never started).
        assertThat(o.get(2).errorCode()).isIn(ErrorCode.TASK_CANCELLED.name(), FragmentOutcome.NOT_RUN);
        assertThat(o.get(3).errorCode()).isEqualTo(FragmentOutcome.NOT_RUN);
        assertThat(o.get(4).errorCode()).isEqualTo(FragmentOutcome.NOT_RUN);
        assertThat(o.get(3).nodeMillis()).isZero();
    }

    @Test
    void rulesThatStopAcceptingTheAccountMidBatchLeaveTheRestNotRun() {
        SandboxRunner sandbox = PtorrentPlugin.of(alice).sandbox();
        var share = PtorrentPlugin.of(alice).share();
        var rulesBefore = share.rules();
        long endedBefore = sandbox.fragmentsEnded();
        // The spin holds the batch for its 5 s limit: the owner changes the rules meanwhile.
        List<FragmentJob.Piece> pieces = List.of(
                piece(0, Batch.multiply(1, 9)),
                piece(1, Batch.spin()),
                piece(2, Batch.multiply(2, 9)),
                piece(3, Batch.multiply(3, 9)));
        IgniteFuture<BatchOutcome> fut = send(pieces, true, 5000);
        await().atMost(PATIENCE).until(() -> sandbox.fragmentsEnded() - endedBefore >= 1);
        BatchOutcome batch;
        try {
            share.rules(io.ptorrent.plugin.share.ShareRules.fromJson("{\"cores\":1,\"acceptAccounts\":[\"dave\"]}",
                    Runtime.getRuntime().availableProcessors(), 8192));
            batch = fut.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            // A node without rules of its own takes everyone's work: so do these.
            share.rules(rulesBefore != null ? rulesBefore : io.ptorrent.plugin.share.ShareRules.fromJson("{\"cores\":1}",
                    Runtime.getRuntime().availableProcessors(), 8192));
        }

        List<FragmentOutcome> o = batch.outcomes();
        assertThat((Integer) decode(o.get(0))).isEqualTo(9);
        assertThat(o.get(1).errorCode()).isEqualTo(ErrorCode.FRAGMENT_TIMEOUT.name());
        assertThat(o.subList(2, 4)).allSatisfy(n -> {
            assertThat(n.errorCode()).isEqualTo(FragmentOutcome.NOT_RUN);
            assertThat(n.errorMessage()).contains("'carol'", "the rules changed");
        });
    }

    @Test
    void aBatchNamedByHashOnlyOnANodeWithoutItsBundleAnswersBundleMissingForEveryPiece() {
        Bundle other = BundleBuilder.forClosure(sandboxtest.OtherBundle.countCalls());
        List<FragmentJob.Piece> pieces = List.of(new FragmentJob.Piece(0, ClosureCodec.serialize(sandboxtest.OtherBundle.countCalls())),
                new FragmentJob.Piece(1, ClosureCodec.serialize(sandboxtest.OtherBundle.countCalls())));
        FragmentJob job = FragmentJob.batch("batch-" + UUID.randomUUID(), "carol", "harbor", other, false, pieces, LONG_MS, 1.0);

        BatchOutcome batch = execute(job).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(batch.outcomes()).hasSize(2).allMatch(FragmentOutcome::isBundleMissing);
    }

    /**
     * The contributor's admission hands the batch back (the owner shares no core now): Ignite cancels the job, whose
     * answer still reaches the harbor. Then the core is shared again, for the other tests.
     */
    private static BatchOutcome cancelAndCollect(IgniteFuture<BatchOutcome> fut) {
        PtorrentPlugin.of(alice).share().sharedCores(0);
        try {
            return fut.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            PtorrentPlugin.of(alice).share().sharedCores(1);
            await().atMost(PATIENCE).until(() -> PtorrentPlugin.of(harbor).gridSnapshot().nodes().stream()
                    .anyMatch(n -> n.name().equals("alice") && n.sharedCores() == 1));
        }
    }

    private static IgniteFuture<BatchOutcome> send(List<FragmentJob.Piece> pieces, boolean withBytes, long timeoutMs) {
        return execute(FragmentJob.batch("batch-" + UUID.randomUUID(), "carol", "harbor", BUNDLE, withBytes, pieces, timeoutMs, 1.0));
    }

    private static IgniteFuture<BatchOutcome> execute(FragmentJob job) {
        UUID node = alice.cluster().localNode().id();
        return Caller.asHarbor(harbor, () -> harbor.compute(harbor.cluster().forNodeId(node)).withNoFailover()
                .executeAsync(new OneNodeTask<BatchOutcome>(), job));
    }

    private static FragmentJob.Piece piece(int index, SerializableCallable<?> closure) {
        return new FragmentJob.Piece(index, ClosureCodec.serialize(closure));
    }

    private static Object decode(FragmentOutcome o) {
        assertThat(o.isOk()).as("%s: %s", o.errorCode(), o.errorMessage()).isTrue();
        return ClosureCodec.decodeResult(o.value(), Batch.class.getClassLoader(), BUNDLE.classes().keySet());
    }
}
