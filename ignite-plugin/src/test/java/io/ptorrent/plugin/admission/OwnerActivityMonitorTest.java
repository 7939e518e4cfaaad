package io.ptorrent.plugin.admission;

import org.apache.ignite.logger.NullLogger;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedList;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The monitor between a load source and the share: samples fed by hand, time moved by hand. */
class OwnerActivityMonitorTest {
    private static final long HALF_SECOND = 500_000_000L;
    private final Deque<OwnerLoad.Sample> samples = new LinkedList<>(); // holds nulls: a sample that failed
    private final List<Boolean> changes = new ArrayList<>();
    private long now;
    private long busy;
    private long total;
    private long own;

    /** One sample period in which the owner used {@code ownerTicks} and the node {@code nodeTicks} of 100. */
    private void period(long ownerTicks, long nodeTicks) {
        busy += ownerTicks + nodeTicks;
        own += nodeTicks;
        total += 100;
        samples.add(new OwnerLoad.Sample(busy, total, own));
    }

    private OwnerActivityMonitor monitor() {
        samples.add(new OwnerLoad.Sample(0, 0, 0));
        return new OwnerActivityMonitor(samples::poll, new OwnerActivityPolicy(0.25, Duration.ofSeconds(2).toNanos()),
                Duration.ofSeconds(2), () -> now, changes::add, new NullLogger());
    }

    private void tick(OwnerActivityMonitor m) {
        now += HALF_SECOND;
        m.sampleOnce();
    }

    @Test
    void theNodesOwnLoadNeverCountsAsTheOwners() {
        OwnerActivityMonitor m = monitor();
        for (int i = 0; i < 6; i++) {
            period(5, 90);
            tick(m);
        }
        assertThat(changes).isEmpty();
    }

    @Test
    void theOwnersLoadTakesTheShareBackAtTheFirstSampleAndGivesItAfterTheQuietPeriod() {
        OwnerActivityMonitor m = monitor();
        period(5, 50);
        tick(m);
        period(60, 40);
        tick(m);
        assertThat(changes).containsExactly(true);

        for (int i = 0; i < 3; i++) {
            period(0, 0);
            tick(m);
        }
        assertThat(changes).containsExactly(true);
        period(0, 0);
        tick(m);
        assertThat(changes).containsExactly(true, false);
    }

    @Test
    void aMissingSampleIsSkipped() {
        OwnerActivityMonitor m = monitor();
        samples.add(null);
        tick(m);
        period(80, 0);
        tick(m);
        period(80, 0);
        tick(m);
        assertThat(changes).containsExactly(true);
    }
}
