package io.ptorrent.plugin.gateway;

import admissiontest.BusyClosures;
import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.client.TaskHandle;
import io.ptorrent.plugin.testing.TestGrid;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client given the addresses of two harbors of one grid follows each of its tasks to the end. Regression: with
 * the thin client's partition awareness on, every gateway call went to a random harbor, and the awaits of a task
 * started on one harbor were answered NOT_FOUND by the other (ChaosRun: 20 of 42 tasks). Ports 52830–52859.
 */
class TwoHarborsIT {
    @Test
    void aClientOfTwoHarborsFollowsEveryTaskOnTheHarborThatRunsIt() {
        try (TestGrid grid = new TestGrid(52830, 10)) {
            grid.startHarbor("harbor-a");
            grid.startHarbor("harbor-b");
            grid.startContributor("node", 2);
            String[] both = {"127.0.0.1:" + grid.thinClientPort(), "127.0.0.1:" + (grid.thinClientPort() + 1)};
            try (PtorrentClient client = PtorrentClient.connect(grid.clientOptions("tester").addresses(both))) {
                List<TaskHandle<Integer>> tasks = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    tasks.add(client.submit(BusyClosures.busy(50, i)));
                }
                for (int i = 0; i < tasks.size(); i++) {
                    assertThat(tasks.get(i).get()).isEqualTo(i);
                    // Asked again after the end: the same harbor answers.
                    assertThat(client.status(tasks.get(i).taskId().join()).state().finished()).isTrue();
                }
            }
        }
    }
}
