package io.ptorrent.examples;

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

/** A contributor that leaves mid-fragment: its fragment runs again on another contributor, and the task completes. */
class FailoverIT {
    @Test
    void aFragmentOfALeavingContributorCompletesElsewhere() {
        try (TestGrid grid = new TestGrid(48900)) {
            Ignite harbor = grid.startHarbor("harbor");
            grid.startContributor("alice", 1);
            Ignite bob = grid.startContributor("bob", 1);
            String bobId = bob.cluster().localNode().id().toString();
            try (PtorrentClient client = PtorrentClient.connect(grid.clientOptions("tester"))) {
                List<SerializableCallable<Integer>> work = List.of(BusyClosures.busy(3_000, 1), BusyClosures.busy(3_000, 2));
                TaskHandle<List<Integer>> task = client.submitAll(work);

                // Both fragments are out, one on each contributor; then alice's owner shuts her down.
                await().atMost(Duration.ofSeconds(30)).until(() -> PtorrentPlugin.of(harbor).gridSnapshot().runningFragments() == 2);
                grid.stop("alice");

                assertThat(task.get()).containsExactly(1, 2);
                assertThat(task.report().join().nodeIds()).containsExactly(bobId);
                assertThat(PtorrentPlugin.of(harbor).gridSnapshot().runningFragments()).isZero();
            }
        }
    }
}
