package io.ptorrent.plugin.admission;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The owner's share between two samples, and the real /proc reader. */
class OwnerLoadTest {
    @Test
    void theOwnerIsTheBusyTimeThatIsNotTheNodes() {
        OwnerLoad.Sample before = new OwnerLoad.Sample(100, 1000, 40);
        OwnerLoad.Sample after = new OwnerLoad.Sample(400, 2000, 140);

        // 300 busy ticks of 1000, 100 of them the node's: the owner had 20% of the machine.
        assertThat(OwnerLoad.ownerFraction(before, after)).isEqualTo(0.2);
    }

    @Test
    void theFractionStaysBetweenZeroAndOne() {
        OwnerLoad.Sample before = new OwnerLoad.Sample(0, 0, 0);

        assertThat(OwnerLoad.ownerFraction(before, new OwnerLoad.Sample(10, 100, 50))).isZero();
        assertThat(OwnerLoad.ownerFraction(before, new OwnerLoad.Sample(500, 100, 0))).isEqualTo(1.0);
        assertThat(OwnerLoad.ownerFraction(before, before)).isZero();
    }

    @Test // the grid's machines run Linux
    void aBusyProcessOutsideTheNodeIsTheOwnersLoad() throws Exception {
        OwnerLoad proc = OwnerLoad.proc(Set::of);
        OwnerLoad.Sample before = proc.sample();
        Process owner = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        try {
            // Wait on the machine's own clock ticks, not on ours: at least 2 s of both cores' time.
            long ticksPerCore = 0;
            OwnerLoad.Sample after = before;
            while (ticksPerCore < 200) {
                after = proc.sample();
                ticksPerCore = (after.total() - before.total()) / Runtime.getRuntime().availableProcessors();
                Thread.onSpinWait();
            }
            // One busy core of this machine's cores; whatever else runs here only adds to the owner's share.
            double oneCore = 1.0 / Runtime.getRuntime().availableProcessors();
            assertThat(OwnerLoad.ownerFraction(before, after)).isGreaterThan(oneCore * 0.6);
        } finally {
            owner.destroyForcibly().waitFor();
        }
    }

    @Test // the grid's machines run Linux
    void procGivesGrowingCounters() {
        OwnerLoad proc = OwnerLoad.proc(Set::of);

        OwnerLoad.Sample a = proc.sample();
        long x = 0;
        for (int i = 0; i < 50_000_000; i++) {
            x += i ^ (x << 1);
        }
        OwnerLoad.Sample b = proc.sample();

        assertThat(x).isNotEqualTo(42);
        assertThat(a).isNotNull();
        assertThat(b.total()).isGreaterThanOrEqualTo(a.total());
        assertThat(b.busy()).isGreaterThanOrEqualTo(a.busy());
        assertThat(b.own()).isGreaterThanOrEqualTo(a.own());
        assertThat(b.total()).isGreaterThanOrEqualTo(b.busy());
    }
}
