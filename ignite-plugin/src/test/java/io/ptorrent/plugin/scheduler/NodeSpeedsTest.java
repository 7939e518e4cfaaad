package io.ptorrent.plugin.scheduler;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A node's measured figure: 0 until measured, then the upper median of its last measurements. */
class NodeSpeedsTest {
    private final NodeSpeeds speeds = new NodeSpeeds();
    private final UUID node = UUID.randomUUID();

    @Test
    void aNodeNeverMeasuredHasNoFigure() {
        assertThat(speeds.puPerCore(node)).isZero();
        assertThat(speeds.puPerCore((UUID) null)).isZero();
        assertThat(speeds.measurements(node)).isZero();
    }

    @Test
    void ofTwoMeasurementsTheHigherCountsSinceAMeasurementErrsOnlyLow() {
        speeds.record(node, 0.8);
        speeds.record(node, 1.0);

        assertThat(speeds.puPerCore(node)).isEqualTo(1.0);
    }

    @Test
    void theFigureIsTheMedianOfTheLastFiveSoOneStrayMeasurementMovesNothing() {
        for (double v : new double[] {9.0, 1.0, 1.1, 0.2, 1.0, 0.9}) {
            speeds.record(node, v);
        }

        // 9.0 has aged out; of 1.0, 1.1, 0.2, 1.0, 0.9 the median is 1.0.
        assertThat(speeds.history(node)).containsExactly(1.0, 1.1, 0.2, 1.0, 0.9);
        assertThat(speeds.puPerCore(node)).isEqualTo(1.0);
        assertThat(speeds.measurements(node)).isEqualTo(NodeSpeeds.HISTORY);
    }

    @Test
    void aNodeThatLeftIsMeasuredAgainWhenItComesBack() {
        speeds.record(node, 1.0);
        speeds.forget(node);

        assertThat(speeds.puPerCore(node)).isZero();
    }

    @Test
    void aMeasurementIsFiniteAndNotNegative() {
        assertThatThrownBy(() -> speeds.record(node, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> speeds.record(node, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> speeds.record(node, Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
        assertThat(speeds.measurements(node)).isZero();
    }
}
