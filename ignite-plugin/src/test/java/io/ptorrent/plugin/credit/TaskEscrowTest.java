package io.ptorrent.plugin.credit;

import io.ptorrent.client.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The pay-as-you-go escrow's decisions, without a ledger: the window, reservations, top-ups, pause. */
class TaskEscrowTest {
    private static final long PER_FRAGMENT = 1_000;

    @Test
    void theWindowIsTheSharedCoresPlusAMarginAndNeverMoreThanTheFragmentsLeft() {
        assertThat(EscrowWindow.window(1_000, 2)).isEqualTo(3);
        assertThat(EscrowWindow.window(1_000, 8)).isEqualTo(12);
        assertThat(EscrowWindow.window(1_000, 0)).isEqualTo(2);
        assertThat(EscrowWindow.window(2, 8)).isEqualTo(2);
        assertThat(EscrowWindow.lowWater(1_000, 8)).isEqualTo(8);
        assertThat(EscrowWindow.lowWater(3, 8)).isEqualTo(3);
        // The first hold: the window's worth, or the whole balance if less.
        assertThat(TaskEscrow.firstHold(PER_FRAGMENT, 1_000, 2, 1_000_000)).isEqualTo(3 * PER_FRAGMENT);
        assertThat(TaskEscrow.firstHold(PER_FRAGMENT, 1_000, 2, 1_500)).isEqualTo(1_500);
    }

    @Test
    void aFragmentGoesOutOnlyWithRoomForItsWorstCase() {
        TaskEscrow e = escrow(10, 2 * PER_FRAGMENT, 2);
        assertThat(e.reserve()).isTrue();
        assertThat(e.reserve()).isTrue();
        assertThat(e.reserve()).isFalse();
        e.release();
        assertThat(e.reserve()).isTrue();
        // Paid less than its worst case: the rest of its room is free again, but not a whole fragment's.
        e.accepted(400);
        assertThat(e.unspent()).isEqualTo(1_600);
        assertThat(e.reserve()).isFalse();
    }

    @Test
    void theHoldIsToppedUpToTheWindowBelowTheLowWaterMark() {
        TaskEscrow e = escrow(10, 3 * PER_FRAGMENT, 2);
        assertThat(e.plan(() -> 2)).isNull(); // a full window
        e.reserve();
        e.accepted(900);
        assertThat(e.plan(() -> 2)).isNull(); // 2,100 unspent covers both cores
        e.reserve();
        e.accepted(900);
        TaskEscrow.TopUp t = e.plan(() -> 2);
        assertThat(t).isEqualTo(new TaskEscrow.TopUp(1, 3 * PER_FRAGMENT - 1_200, 1));
        assertThat(e.plan(() -> 2)).as("one top-up out at a time").isNull();
        e.toppedUp(3_000 + t.wanted());
        assertThat(e.unspent()).isEqualTo(3 * PER_FRAGMENT);
        assertThat(e.plan(() -> 2)).isNull();
    }

    @Test
    void theWindowGrowsWithWhatThePipelineWantsOut() {
        assertThat(EscrowWindow.window(1_000, 2, 8)).isEqualTo(12);
        assertThat(EscrowWindow.lowWater(1_000, 2, 8)).isEqualTo(4);
        TaskEscrow e = escrow(1_000, 3 * PER_FRAGMENT, 2);
        for (int i = 0; i < 3; i++) {
            assertThat(e.reserve()).isTrue();
        }
        assertThat(e.reserve()).as("the scheduler wants a fourth out, queued on a node").isFalse();
        TaskEscrow.TopUp t = e.plan(() -> 2);
        assertThat(t.wanted()).isEqualTo(6 * PER_FRAGMENT - 3 * PER_FRAGMENT); // 4 wanted + the margin of 2, less what is unspent
        assertThat(t.atLeast()).isEqualTo(PER_FRAGMENT); // what a poorer account must at least give: one more fragment
    }

    @Test
    void aDryAccountPausesTheTaskOnceNothingOfItRunsAndCreditResumesIt() {
        TaskEscrow e = escrow(5, PER_FRAGMENT, 1);
        assertThat(e.reserve()).isTrue();
        e.accepted(300);
        assertThat(e.reserve()).isFalse();
        TaskEscrow.TopUp t = e.plan(() -> 1);
        assertThat(t.atLeast()).as("enough for one more fragment").isEqualTo(300);
        e.refused();
        assertThat(e.starved()).isTrue();
        assertThat(e.pausedReason()).satisfies(p -> {
            assertThat(p.code()).isEqualTo(ErrorCode.INSUFFICIENT_CREDIT);
            assertThat(p.getMessage()).contains("paused", "resumes by itself", "grant", "cancel");
        });
        TaskEscrow.TopUp again = e.plan(() -> 1);
        assertThat(again.round()).isEqualTo(2);
        e.toppedUp(PER_FRAGMENT + again.wanted());
        assertThat(e.starved()).isFalse();
        assertThat(e.pausedReason()).isNull();
        assertThat(e.reserve()).isTrue();
    }

    @Test
    void aTaskWithAFragmentStillRunningIsNotPaused() {
        TaskEscrow e = escrow(5, PER_FRAGMENT, 1);
        assertThat(e.reserve()).isTrue();
        assertThat(e.plan(() -> 1)).isNotNull();
        e.refused();
        assertThat(e.starved()).isTrue();
        assertThat(e.pausedReason()).isNull();
        e.accepted(100);
        assertThat(e.pausedReason()).isNotNull();
    }

    private static TaskEscrow escrow(int fragments, long held, int cores) {
        return new TaskEscrow("t1", "carol", new WorkValue(PER_FRAGMENT), 1.0, PER_FRAGMENT, fragments, held, cores);
    }
}
