package io.ptorrent.plugin.credit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkValueTest {
    @Test
    void aFragmentEarnsTheHarborObservedTimeTimesItsNodesPuPerCore() {
        WorkValue v = new WorkValue(WorkValue.escrowPerFragment(60_000, 2.0));

        // 1.5 s on a 2-PU core = 3 PU-seconds = 3,000 milli-PU-s.
        assertThat(v.price(1_500, 2.0)).isEqualTo(3_000);
        assertThat(v.price(1_500, 0.5)).isEqualTo(750);
    }

    @Test
    void theEscrowIsTheFragmentLimitAtTheBestCoreAndBoundsEveryFragment() {
        long escrow = WorkValue.escrowPerFragment(10_000, 1.25);
        WorkValue v = new WorkValue(escrow);

        assertThat(escrow).isEqualTo(12_500);
        // A node that stretches its run or claims a faster core than the best at acceptance gets at most the escrow.
        assertThat(v.price(10_000, 4.0)).isEqualTo(12_500);
        assertThat(v.price(1_000_000, 1.25)).isEqualTo(12_500);
    }

    @Test
    void anImplausibleBenchmarkClaimIsNotBelieved() {
        assertThat(WorkValue.escrowPerFragment(1_000, 1e9)).isEqualTo((long) (1_000 * WorkValue.MAX_PU_PER_CORE));
        assertThat(WorkValue.escrowPerFragment(1_000, Double.NaN)).isEqualTo(1);
        assertThat(new WorkValue(1_000_000).price(1_000, Double.POSITIVE_INFINITY)).isZero();
        assertThat(new WorkValue(1_000_000).price(-5, 1.0)).isZero();
    }

    @Test
    void onceThereAreEnoughSamplesAFragmentIsCappedAt110PercentOfTheTasksP95() {
        WorkValue v = new WorkValue(1_000_000);
        for (int i = 0; i < WorkValue.MIN_SAMPLES - 1; i++) {
            v.price(1_000, 1.0); // 1,000 each
        }
        // Before MIN_SAMPLES values, only the escrow caps.
        assertThat(v.price(50_000, 1.0)).isEqualTo(50_000);

        // Now 19 × 1,000 and one 50,000: the nearest-rank p95 of 20 values is the 19th, 1,000.
        assertThat(v.price(50_000, 1.0)).isEqualTo(1_100);
        assertThat(v.price(900, 1.0)).isEqualTo(900);
    }

    @Test
    void aLiarCannotRatchetThePercentileUpQuickly() {
        WorkValue v = new WorkValue(Long.MAX_VALUE / 4);
        for (int i = 0; i < 200; i++) {
            v.price(1_000, 1.0);
        }
        long last = 0;
        for (int i = 0; i < 10; i++) {
            last = v.price(1_000_000, 1.0); // a node that claims 1,000 s each time
        }
        // 10 capped claims among 200 honest values (under 5%) do not move the p95 off the honest value.
        assertThat(last).isEqualTo(1_100);
        // Past 5% of the window the p95 moves, but only by the factor per step.
        for (int i = 0; i < 10; i++) {
            last = v.price(1_000_000, 1.0);
        }
        assertThat(last).isLessThanOrEqualTo(1_210);
    }

    @Test
    void anEscrowMustBePositive() {
        assertThatThrownBy(() -> new WorkValue(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
