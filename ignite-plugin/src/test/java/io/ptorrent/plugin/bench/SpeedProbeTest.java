package io.ptorrent.plugin.bench;

import io.ptorrent.client.bundle.ClosureCodec;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The harbor's speed probe: its work is known, its answer is checked, and it travels as a closure. */
class SpeedProbeTest {
    @Test
    void theAnswerOfTheWorkDoneVerifiesInEveryRound() {
        SpeedProbe probe = new SpeedProbe(42, 2);

        long[] answer = probe.call();

        assertThat(answer).hasSize(2);
        // As many checks as rounds with a fixed seed: both rounds get recomputed by the formula sooner or later.
        assertThat(probe.verify(answer, new Random(1), 8)).isTrue();
        assertThat(new SpeedProbe(43, 2).call()).isNotEqualTo(answer);
    }

    @Test
    void aMadeUpRoundOrAnAnswerOfTheWrongShapeFails() {
        SpeedProbe probe = new SpeedProbe(7, 2);
        long[] answer = probe.call();

        long[] forged = answer.clone();
        forged[1] ^= 1;
        assertThat(probe.verify(forged, new Random(1), 8)).isFalse();
        assertThat(probe.verify(new long[1], new Random(1), 1)).isFalse();
        assertThat(probe.verify("fast", new Random(1), 1)).isFalse();
        assertThat(probe.verify(null, new Random(1), 1)).isFalse();
    }

    @Test
    void aProbeIsSizedInReferenceCoreSeconds() {
        SpeedProbe p = SpeedProbe.sized(2.5, 1);

        assertThat(p.referenceSeconds()).isGreaterThanOrEqualTo(2.5).isLessThan(2.5 + PuBenchmark.referenceRoundNanos() / 1e9);
        assertThat(SpeedProbe.sized(0, 1).rounds()).isEqualTo(1);
        assertThat(SpeedProbe.sized(1e9, 1).rounds()).isEqualTo(SpeedProbe.MAX_ROUNDS);
        assertThatThrownBy(() -> new SpeedProbe(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void itTravelsAsAClosureThatTheSandboxFilterAdmits() {
        SpeedProbe probe = new SpeedProbe(5, 1);

        Object read = ClosureCodec.decodeClosure(ClosureCodec.serialize(probe), SpeedProbeTest.class.getClassLoader(), Set.of());

        assertThat(read).isEqualTo(probe);
    }
}
