package io.ptorrent.plugin.admission;

import admissiontest.BusyClosures;
import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.client.SerializableCallable;
import io.ptorrent.client.TaskHandle;
import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.testing.TestGrid;
import org.apache.ignite.Ignite;
import org.apache.ignite.lang.IgniteFuture;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Automatic mode on real nodes: a real owner load on this machine makes the contributor hand its fragment
 * back and share nothing, and it shares again once the load is gone; a fragment handed back completes on
 * another contributor.
 */
class AutomaticModeIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void anOwnerLoadMakesTheNodeHandBackAndStopSharingUntilItIsQuiet() throws IOException {
        AdmissionIT.Blocker.reset();
        try (TestGrid grid = new TestGrid(48400)) {
            Ignite harbor = grid.startHarbor("harbor");
            Ignite alice = grid.startContributor("alice", c -> c.setSharedCores(1).setAutomaticMode(true).setOwnerBusyPercent(25).setOwnerQuietSeconds(1));
            IgniteFuture<Integer> running = harbor.compute(harbor.cluster().forNodeId(alice.cluster().localNode().id()))
                    .withNoFailover().callAsync(new AdmissionIT.Blocker());
            await().atMost(PATIENCE).until(() -> AdmissionIT.Blocker.RUNNING.get() == 1);

            // The owner starts working: a process outside the node keeps one of the machine's cores busy.
            Process owner = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
            try {
                assertThatThrownBy(running::get).isNotNull();
                assertThat(PtorrentPlugin.of(alice).share().ownerActive()).isTrue();
                assertThat(PtorrentPlugin.of(alice).sharedCores()).isZero();
            } finally {
                owner.destroyForcibly();
            }

            await().atMost(PATIENCE).until(() -> PtorrentPlugin.of(alice).sharedCores() == 1);
            assertThat(PtorrentPlugin.of(alice).share().ownerActive()).isFalse();
        } finally {
            AdmissionIT.Blocker.RELEASE.release(100);
        }
    }

    @Test
    void aFragmentHandedBackCompletesOnAnotherContributor() {
        try (TestGrid grid = new TestGrid(48450)) {
            Ignite harbor = grid.startHarbor("harbor");
            Ignite alice = grid.startContributor("alice", 1);
            Ignite bob = grid.startContributor("bob", 1);
            try (PtorrentClient client = PtorrentClient.connect(new PtorrentClientOptions().addresses(grid.thinClientAddress()))) {
                List<SerializableCallable<Integer>> work = List.of(BusyClosures.busy(2_000, 1), BusyClosures.busy(2_000, 2));
                TaskHandle<List<Integer>> task = client.submitAll(work);
                await().atMost(PATIENCE).until(() -> PtorrentPlugin.of(harbor).gridSnapshot().runningFragments() == 2);

                // What automatic mode does when it sees the owner busy.
                PtorrentPlugin.of(alice).share().ownerActive(true);

                assertThat(task.get()).containsExactly(1, 2);
                assertThat(task.report().join().nodeIds()).containsExactly(bob.cluster().localNode().id().toString());
            }
        }
    }
}
