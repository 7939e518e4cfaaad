package io.ptorrent.plugin.scheduler;

import io.ptorrent.client.bundle.Bundle;
import io.ptorrent.client.bundle.BundleVerifier;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The speed probe's bundle passes the checks every contributor makes before its sandbox runs a fragment. */
class SpeedProbesTest {
    @Test
    void theProbesMarkerBundleIsOneEmptyClassThatContributorsAccept() {
        Bundle marker = SpeedProbes.markerBundle();

        assertThat(marker.classes()).containsOnlyKeys(SpeedProbes.MARKER_CLASS);
        assertThat(BundleVerifier.verify(Bundle.verified(marker.toWire()))).isEqualTo(marker);
        assertThat(SpeedProbes.markerBundle().sha256()).isEqualTo(marker.sha256()); // one bundle: its worker is reused
    }
}
