package io.ptorrent.plugin.bench;

import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The PU benchmark's arithmetic and kernels; its speed and spread are measured in bench/, not here. */
class PuBenchmarkTest {
    @Test
    void aRunGivesPositiveFiniteScoresForEveryKernel() {
        PuBenchmark.Result r = PuBenchmark.run();

        assertThat(r.puPerCore()).isPositive().isFinite();
        assertThat(r.puScore()).isPositive().isFinite().isCloseTo(r.puPerCore() * r.cores(), within(0.01));
        assertThat(r.cores()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(r.kernels().integer()).isPositive().isFinite();
        assertThat(r.kernels().floatingPoint()).isPositive().isFinite();
        assertThat(r.kernels().memory()).isPositive().isFinite();
        assertThat(r.millis()).isNotNegative();
    }

    @Test
    void aCoreThatTakesTheReferenceTimeScoresOnePuPerKernel() {
        // A fake clock that advances by a fixed step per read: every timed round then lasts one step.
        long step = 10_000_000L;
        LongSupplier clock = new LongSupplier() {
            long now;

            @Override
            public long getAsLong() {
                return now += step;
            }
        };

        PuBenchmark.Result r = PuBenchmark.run(clock);

        assertThat(r.kernels().integer()).isEqualTo(round3(PuBenchmark.REFERENCE_INT_NANOS / step));
        assertThat(r.kernels().floatingPoint()).isEqualTo(round3(PuBenchmark.REFERENCE_FP_NANOS / step));
        assertThat(r.kernels().memory()).isEqualTo(round3(PuBenchmark.REFERENCE_MEM_NANOS / step));
        double geometricMean = Math.cbrt(PuBenchmark.REFERENCE_INT_NANOS * PuBenchmark.REFERENCE_FP_NANOS * PuBenchmark.REFERENCE_MEM_NANOS) / step;
        assertThat(r.puPerCore()).isCloseTo(geometricMean, within(0.002));
    }

    @Test
    void aClockThatDoesNotMoveStillGivesAFiniteScore() {
        PuBenchmark.Result r = PuBenchmark.run(() -> 42L);

        assertThat(r.puPerCore()).isPositive().isFinite();
        assertThat(r.millis()).isZero();
    }

    /**
     * Pinned checksums: a kernel whose result changes no longer does the work its reference constant was
     * calibrated on, so recalibrate (docs/BENCHMARKS.md) and update these together.
     */
    @Test
    void kernelChecksumsAreDeterministicAndPinned() {
        assertThat(PuBenchmark.intKernel(7, 100_000)).isEqualTo(PuBenchmark.intKernel(7, 100_000)).isEqualTo(INT_CHECKSUM)
                .isNotEqualTo(PuBenchmark.intKernel(8, 100_000));
        assertThat(fp()).isEqualTo(fp()).isEqualTo(FP_CHECKSUM);
        int[] next = PuBenchmark.permutation(1 << 16);
        assertThat(PuBenchmark.memKernel(next, 0, 1000)).isEqualTo(PuBenchmark.memKernel(next, 0, 1000)).isEqualTo(MEM_CHECKSUM);
    }

    @Test
    void thePermutationIsOneCycleThroughEverySlot() {
        int n = 1 << 16;
        int[] next = PuBenchmark.permutation(n);
        BitSet seen = new BitSet(n);
        int p = 0;
        for (int i = 0; i < n; i++) {
            seen.set(p);
            p = next[p];
        }
        assertThat(p).isZero();
        assertThat(seen.cardinality()).isEqualTo(n);
    }

    private static long fp() {
        return PuBenchmark.fpKernel(PuBenchmark.matrix(1), PuBenchmark.matrix(2), new double[16 * 16], 50);
    }

    private static double round3(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    private static final long INT_CHECKSUM = -5706054372411405578L;
    private static final long FP_CHECKSUM = 4612156348805210746L;
    private static final int MEM_CHECKSUM = 56104;
}
