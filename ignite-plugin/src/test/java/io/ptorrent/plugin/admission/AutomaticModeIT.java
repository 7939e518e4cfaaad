package io.ptorrent.plugin.admission;

import admissiontest.BusyClosures;
import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.client.SerializableCallable;
import io.ptorrent.client.TaskHandle;
import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.testing.TestGrid;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Automatic mode on real nodes: when the owner becomes busy the contributor hands its running fragment
 * back, and the fragment completes on another contributor. (Seeing the owner's load is tested on the real
 * /proc in OwnerLoadTest, the decisions in OwnerActivityPolicyTest and OwnerActivityMonitorTest: on a
 * shared test machine a real "quiet period" cannot be promised.)
 */
class AutomaticModeIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void aFragmentHandedBackCompletesOnAnotherContributor() {
        try (TestGrid grid = new TestGrid(48450)) {
            Ignite harbor = grid.startHarbor("harbor");
            Ignite alice = grid.startContributor("alice", 1);
            Ignite bob = grid.startContributor("bob", 1);
            try (PtorrentClient client = PtorrentClient.connect(grid.clientOptions("tester"))) {
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
