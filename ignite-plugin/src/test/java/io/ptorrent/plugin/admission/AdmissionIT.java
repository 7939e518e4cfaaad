package io.ptorrent.plugin.admission;

import io.ptorrent.plugin.GridSnapshot;
import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.testing.TestGrid;
import org.apache.ignite.Ignite;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.lang.IgniteFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A contributor runs no more fragments than it shares, whatever the harbor sends, and a change of its share
 * takes effect at once, on the node and in the harbor's view. Jobs are sent straight to the contributor,
 * past the harbor's scheduler, as a misbehaving harbor would.
 */
class AdmissionIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private TestGrid grid;
    private Ignite harbor;
    private Ignite alice;

    @BeforeEach
    void start() {
        Blocker.reset();
        grid = new TestGrid(48500);
        harbor = grid.startHarbor("harbor");
        alice = grid.startContributor("alice", 1);
    }

    @AfterEach
    void stop() {
        Blocker.RELEASE.release(1000);
        grid.close();
    }

    @Test
    void aContributorSharingOneCoreRunsOneFragmentAtATimeAndTwoOnceItSharesTwo() {
        List<IgniteFuture<Integer>> first = send(4);
        for (int i = 0; i < 4; i++) {
            int started = i + 1;
            await().atMost(PATIENCE).until(() -> Blocker.STARTED.get() == started);
            assertThat(Blocker.RUNNING.get()).isEqualTo(1);
            Blocker.RELEASE.release();
        }
        first.forEach(IgniteFuture::get);
        assertThat(Blocker.MAX_RUNNING.get()).isEqualTo(1);

        PtorrentPlugin.of(alice).share().sharedCores(2);
        List<IgniteFuture<Integer>> second = send(4);
        await().atMost(PATIENCE).until(() -> Blocker.RUNNING.get() == 2);
        Blocker.RELEASE.release(4);
        second.forEach(IgniteFuture::get);
        assertThat(Blocker.MAX_RUNNING.get()).isEqualTo(2);
    }

    @Test
    void sharingNothingHandsBackTheRunningFragmentAndTheHarborSeesIt() {
        IgniteFuture<Integer> running = send(1).get(0);
        await().atMost(PATIENCE).until(() -> Blocker.RUNNING.get() == 1);

        PtorrentPlugin.of(alice).share().sharedCores(0);

        assertThatThrownBy(running::get).isNotNull();
        await().atMost(PATIENCE).until(() -> Blocker.RUNNING.get() == 0);
        await().atMost(PATIENCE).until(() -> aliceInHarborView().sharedCores() == 0);
        assertThat(PtorrentPlugin.of(harbor).gridSnapshot().capacityPu()).isZero();

        PtorrentPlugin.of(alice).share().sharedCores(1);
        await().atMost(PATIENCE).until(() -> aliceInHarborView().sharedCores() == 1);
    }

    private GridSnapshot.NodeInfo aliceInHarborView() {
        return PtorrentPlugin.of(harbor).gridSnapshot().nodes().stream().filter(n -> n.name().equals("alice")).findFirst().orElseThrow();
    }

    private List<IgniteFuture<Integer>> send(int jobs) {
        List<IgniteFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            futures.add(harbor.compute(harbor.cluster().forNodeId(alice.cluster().localNode().id())).withNoFailover().callAsync(new Blocker()));
        }
        return futures;
    }

    /**
     * A job that holds its core until the test releases it; counts how many run at once (one JVM: statics are
     * shared). The counters are reset per test; a job left over from an earlier test's grid carries an older
     * generation and does not touch them.
     */
    static final class Blocker implements IgniteCallable<Integer> {
        static final AtomicInteger RUNNING = new AtomicInteger();
        static final AtomicInteger MAX_RUNNING = new AtomicInteger();
        static final AtomicInteger STARTED = new AtomicInteger();
        static final Semaphore RELEASE = new Semaphore(0);
        private static final AtomicInteger GENERATION = new AtomicInteger();

        private final int generation = GENERATION.get();

        static void reset() {
            GENERATION.incrementAndGet();
            RUNNING.set(0);
            MAX_RUNNING.set(0);
            STARTED.set(0);
            RELEASE.drainPermits();
        }

        @Override
        public Integer call() throws InterruptedException {
            if (generation != GENERATION.get()) {
                return -1; // from an earlier test: leave this test's counters alone
            }
            int now = RUNNING.incrementAndGet();
            MAX_RUNNING.accumulateAndGet(now, Math::max);
            STARTED.incrementAndGet();
            try {
                if (!RELEASE.tryAcquire(2, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("never released");
                }
                return now;
            } finally {
                RUNNING.decrementAndGet();
            }
        }
    }
}
