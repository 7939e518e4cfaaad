package io.ptorrent.plugin.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The benchmark in a child JVM: real scores come back; a bad answer is an error, not a number. */
class PuBenchmarkProcessTest {
    @Test
    void aChildJvmMeasuresThisMachine() throws Exception {
        PuBenchmark.Result r = PuBenchmarkProcess.inChild(Duration.ofSeconds(60));

        assertThat(r.puPerCore()).isPositive().isFinite();
        assertThat(r.cores()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(r.kernels().memory()).isPositive();
    }

    @Test
    void measureUsesTheChild() {
        PuBenchmarkProcess.Measured m = PuBenchmarkProcess.measure();

        assertThat(m.inProcess()).as(m.why()).isFalse();
        assertThat(m.result().puScore()).isPositive();
    }

    @Test
    void whatTheChildPrintsRoundTrips() throws IOException {
        PuBenchmark.Result r = new PuBenchmark.Result(0.687, 2, 1.374, new PuBenchmark.Kernels(0.7, 0.65, 0.71), 612);

        assertThat(PuBenchmarkProcess.parse(PuBenchmarkProcess.format(r))).isEqualTo(r);
    }

    @Test
    void anAnswerThatIsNotSixNumbersIsRefused() {
        assertThatThrownBy(() -> PuBenchmarkProcess.parse("Error: could not find or load main class"))
                .isInstanceOf(IOException.class).hasMessageContaining("not six numbers");
        assertThatThrownBy(() -> PuBenchmarkProcess.parse("x 2 1 1 1 5"))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> PuBenchmarkProcess.parse("-1 2 1 1 1 5"))
                .isInstanceOf(IOException.class).hasMessageContaining("puPerCore");
    }
}
