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
 * One client follows more tasks at once than the harbor runs gateway calls per connection (64). Regression: every
 * open task keeps an await open, and past 64 the harbor refused the next call (status 1030), which the submitter
 * got as INTERNAL (bench/run load: 47 of 534 tasks). Ports 52860–52889.
 */
class ManyOpenTasksIT {
    @Test
    void aClientFollowsMoreOpenTasksThanTheHarborsLimitPerConnection() {
        try (TestGrid grid = new TestGrid(52860, 10)) {
            grid.startHarbor("harbor");
            grid.startContributor("node", 1);
            try (PtorrentClient client = PtorrentClient.connect(grid.clientOptions("tester"))) {
                List<TaskHandle<Integer>> tasks = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    tasks.add(client.submit(BusyClosures.busy(20, i)));
                }
                for (int i = 0; i < tasks.size(); i++) {
                    assertThat(tasks.get(i).get()).isEqualTo(i);
                }
            }
        }
    }
}
