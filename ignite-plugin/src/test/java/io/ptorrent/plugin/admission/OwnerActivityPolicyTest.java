package io.ptorrent.plugin.admission;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Automatic mode's decisions, on samples with hand-made times. */
class OwnerActivityPolicyTest {
    private static final long SECOND = 1_000_000_000L;
    private final OwnerActivityPolicy policy = new OwnerActivityPolicy(0.25, 30 * SECOND);

    @Test
    void theFirstSampleAboveTheThresholdMakesTheOwnerActive() {
        assertThat(policy.onSample(0, 0.10)).isFalse();
        assertThat(policy.onSample(SECOND / 2, 0.30)).isTrue();
    }

    @Test
    void loadAtTheThresholdIsNotTheOwner() {
        assertThat(policy.onSample(0, 0.25)).isFalse();
    }

    @Test
    void sharingResumesOnlyAfterTheQuietPeriod() {
        policy.onSample(0, 0.9);

        assertThat(policy.onSample(29 * SECOND, 0.0)).isTrue();
        assertThat(policy.onSample(30 * SECOND, 0.0)).isFalse();
    }

    @Test
    void aNewSpikeRestartsTheQuietPeriod() {
        policy.onSample(0, 0.9);
        policy.onSample(20 * SECOND, 0.5);

        assertThat(policy.onSample(45 * SECOND, 0.0)).isTrue();
        assertThat(policy.onSample(50 * SECOND, 0.0)).isFalse();
    }

    @Test
    void badThresholdsAreRefused() {
        assertThatThrownBy(() -> new OwnerActivityPolicy(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OwnerActivityPolicy(1.5, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OwnerActivityPolicy(0.5, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
