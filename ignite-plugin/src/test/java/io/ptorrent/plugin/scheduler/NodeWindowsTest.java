package io.ptorrent.plugin.scheduler;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Windows, batch sizes and lane clocks, with time passed by hand. */
class NodeWindowsTest {
    private static final long MS = 1_000_000;
    private final UUID node = UUID.randomUUID();
    private final NodeWindows w = new NodeWindows(NodeWindows.Options.DEFAULTS);

    @Test
    void theWindowIsDepthTimesTheSharedCoresLessWhatIsOutAndWhatProbesHold() {
        assertThat(w.room(node, 2, 0)).isEqualTo(4);
        w.sent(node);
        w.sent(node);
        assertThat(w.room(node, 2, 1)).isEqualTo(1);
        assertThat(w.room(node, 0, 0)).isZero(); // a node that shares nothing takes nothing
    }

    @Test
    void aBatchIsOnePieceUntilTheTaskIsKnownThenCoversOneAndAHalfRoundTripsWithinTheBounds() {
        assertThat(w.batchSize(node, "t", 1000)).isEqualTo(1);
        w.sent(node);
        // Sent at 0, back at 52 ms, the node claims 2 ms: a round trip of 50 ms, 2 ms a piece.
        w.completed(node, "t", 0, 52 * MS, 1, 1, 2);
        assertThat(w.rttMillis(node)).isEqualTo(50.0);
        assertThat(w.batchSize(node, "t", 1000)).isEqualTo(38); // 75 ms / 2 ms
        assertThat(w.batchSize(node, "t", 10)).isEqualTo(10); // never more than the task's share of the queue
        assertThat(w.batchSize(node, "other", 1000)).isEqualTo(1); // another task is unknown on the node
        w.forgetTask("t");
        assertThat(w.batchSize(node, "t", 1000)).isEqualTo(1);
    }

    @Test
    void aBatchRunsAtLeastTheMinimumAndAtMostTheCoalescingIntervalAndTheMaximumCount() {
        w.sent(node);
        w.completed(node, "fast", 0, 100_000, 1, 1, 0); // no claim: the harbor's 0.1 ms, no round trip worth counting
        assertThat(w.batchSize(node, "fast", 100_000)).isEqualTo(NodeWindows.Options.DEFAULTS.maxPieces());
        UUID far = UUID.randomUUID();
        w.sent(far);
        w.completed(far, "slow", 0, 2_000 * MS, 1, 1, 1_000); // a round trip of a second
        assertThat(w.batchSize(far, "slow", 1000)).isEqualTo(1); // 250 ms cap / 1 s a piece
    }

    @Test
    void lanesPayAtMostTheHarborsObservedTimePerCore() {
        // One core, two batches sent at 0: the second waited behind the first on the node.
        w.sent(node);
        w.sent(node);
        assertThat(w.completed(node, "t", 0, 100 * MS, 1, 10, 1_000_000)).isEqualTo(100);
        assertThat(w.completed(node, "t", 0, 150 * MS, 1, 10, 1_000_000)).isEqualTo(50);
        // Two cores now: the new lane starts at this completion and pays nothing before it.
        w.sent(node);
        assertThat(w.completed(node, "t", 0, 170 * MS, 2, 1, 0)).isEqualTo(20);
    }

    @Test
    void aBatchThatRanNothingIsPaidNothingAndKeepsTheLaneClock() {
        w.sent(node);
        assertThat(w.completed(node, "t", 0, 100 * MS, 1, 0, 0)).isZero();
        w.sent(node);
        assertThat(w.completed(node, "t", 0, 120 * MS, 1, 1, 0)).isEqualTo(120);
    }

    @Test
    void optionsAreChecked() {
        assertThatThrownBy(() -> new NodeWindows.Options(0, 1, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NodeWindows.Options(1, 1, 10, 5, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
