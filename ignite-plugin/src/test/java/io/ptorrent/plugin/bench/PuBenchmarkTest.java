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
        // The reference time of a round of all three over this core's time for it.
        assertThat(r.puPerCore()).isEqualTo(round3(PuBenchmark.referenceRoundNanos() / (3.0 * step)));
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
        assertThat(Double.doubleToRawLongBits(PuBenchmark.fpKernel(0.3, 100_000))).isEqualTo(FP_CHECKSUM);
        int[] next = PuBenchmark.permutation(1 << 16);
        assertThat(PuBenchmark.memKernel(next, 0, 1000)).isEqualTo(PuBenchmark.memKernel(next, 0, 1000)).isEqualTo(MEM_CHECKSUM);
    }

    /**
     * Issue 9, the bimodal FP kernel: its speed flipped because a 16×16 matrix multiply issues many independent
     * operations per cycle, and so runs at half speed whenever the core's other hardware thread is busy. The
     * kernel is now one dependency chain (docs/BENCHMARKS.md has the timings; no timing is asserted here). What
     * a chain must not do is settle: a map that reaches a fixed point, a short cycle or a subnormal would let
     * its result be known without the work (the harbor's speed probe relies on that) or run at another speed.
     */
    @Test
    void theFpKernelIsOneChaoticChainThatStaysInItsRangeAndNeverSettles() {
        double x = 0.3;
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            double y = PuBenchmark.fpKernel(x, 1_000);
            assertThat(y).isBetween(0.095, 0.975);
            assertThat(Math.abs(y)).isGreaterThan(Double.MIN_NORMAL);
            assertThat(seen.add(Double.doubleToRawLongBits(y))).as("a repeated value after %d steps: the chain cycles", i * 1_000).isTrue();
            x = y;
        }
        assertThat(PuBenchmark.fpKernel(0.3, 10_000)).isNotEqualTo(PuBenchmark.fpKernel(0.3 + 1e-15, 10_000));
    }

    @Test
    void theIntegerKernelIsABijectionSoItsChainNeverSettles() {
        java.util.Set<Long> seen = new java.util.HashSet<>();
        long h = 1;
        for (int i = 0; i < 100_000; i++) {
            h = PuBenchmark.intKernel(h, 1);
            assertThat(seen.add(h)).isTrue();
        }
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

    private static double round3(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    private static final long INT_CHECKSUM = -3884201022219709901L;
    private static final long FP_CHECKSUM = 4605539221427657333L;
    private static final int MEM_CHECKSUM = 56104;
}
