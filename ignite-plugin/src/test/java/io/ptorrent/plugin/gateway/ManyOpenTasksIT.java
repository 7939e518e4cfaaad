package io.ptorrent.plugin.gateway;

import admissiontest.BusyClosures;
import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.TaskHandle;
import io.ptorrent.client.wire.GatewayTasks;
import io.ptorrent.client.wire.TaskQuery;
import io.ptorrent.client.wire.TaskStatusResult;
import io.ptorrent.client.wire.TaskWatch;
import io.ptorrent.client.wire.TaskWatchResult;
import io.ptorrent.client.wire.WireJson;
import io.ptorrent.plugin.testing.TestGrid;
import org.apache.ignite.Ignition;
import org.apache.ignite.client.IgniteClient;
import org.apache.ignite.configuration.ClientConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One client follows many more tasks at once than the harbor runs gateway calls per connection (64) and than it
 * opens calls itself (32). Regressions: every open task kept an await open; past 64 the harbor refused the next call
 * (status 1030, INTERNAL to the submitter), and past 32 a submit waited behind the awaits (bench/run load). The client
 * now follows them all with a few {@value GatewayTasks#TASK_WATCH} calls; the watch's contract is checked here on
 * Ignite's own thin client. Ports 52860–52889.
 */
class ManyOpenTasksIT {
    private static TestGrid grid;

    @BeforeAll
    static void grid() {
        grid = new TestGrid(52860, 10);
        grid.startHarbor("harbor");
        grid.startContributor("node", 1);
    }

    @AfterAll
    static void stop() {
        grid.close();
    }

    @Test
    void aClientFollowsMoreOpenTasksThanOneWatchAndTheHarborsLimitPerConnection() {
        try (PtorrentClient client = PtorrentClient.connect(grid.clientOptions("tester"))) {
            List<TaskHandle<Integer>> tasks = new ArrayList<>();
            // More than TaskWatch.MAX_TASKS: the client's watches split them.
            for (int i = 0; i < TaskWatch.MAX_TASKS + 44; i++) {
                tasks.add(client.submit(BusyClosures.busy(1, i)));
            }
            for (int i = 0; i < tasks.size(); i++) {
                assertThat(tasks.get(i).get()).isEqualTo(i);
            }
        }
    }

    @Test
    void aWatchAnswersFinishedAndUnknownTasksAtOnceAndAnotherAccountsTaskAsUnknown() throws InterruptedException {
        String finished;
        try (PtorrentClient client = PtorrentClient.connect(grid.clientOptions("watcher"))) {
            TaskHandle<Integer> t = client.submit(BusyClosures.busy(1, 7));
            assertThat(t.get()).isEqualTo(7);
            finished = t.taskId().join();
        }
        try (IgniteClient mine = thin("watcher"); IgniteClient other = thin("stranger")) {
            TaskWatchResult r = watch(mine, new TaskWatch(List.of(new TaskQuery(finished, 0, 0), new TaskQuery("no-such-task", 0, 0)), 10_000));
            assertThat(r.error()).isNull();
            assertThat(r.changed()).hasSize(2);
            TaskStatusResult done = r.changed().stream().filter(s -> finished.equals(s.taskId())).findFirst().orElseThrow();
            assertThat(done.state()).isEqualTo("SUCCEEDED");
            assertThat(done.fragments()).hasSize(1);
            TaskStatusResult unknown = r.changed().stream().filter(s -> "no-such-task".equals(s.taskId())).findFirst().orElseThrow();
            assertThat(unknown.state()).isNull();
            assertThat(unknown.error().code()).isEqualTo(ErrorCode.NOT_FOUND.name());

            // Another account learns nothing of the task: it is as unknown as a wrong id.
            TaskStatusResult theirs = watch(other, new TaskWatch(List.of(new TaskQuery(finished, 0, 1)), 0)).changed().get(0);
            assertThat(theirs.state()).isNull();
            assertThat(theirs.error().code()).isEqualTo(ErrorCode.NOT_FOUND.name());
            assertThat(theirs.fragments()).isEmpty();
        }
    }

    @Test
    void anAwaitOfARunningTaskWaitsParkedUntilItEnds() throws InterruptedException {
        try (PtorrentClient client = PtorrentClient.connect(grid.clientOptions("watcher")); IgniteClient mine = thin("watcher")) {
            TaskHandle<Integer> t = client.submit(BusyClosures.busy(1_500, 5));
            String id = t.taskId().join();
            // The first answer comes when the fragment is done (parked until then), the task may end a moment later:
            // loop on the awaits as the protocol says, passing what is known.
            TaskStatusResult r = WireJson.read(mine.compute().execute(GatewayTasks.TASK_AWAIT,
                    WireJson.write(new TaskQuery(id, 30_000, 0))), TaskStatusResult.class);
            assertThat(r.fragmentsDone()).isEqualTo(1);
            for (int i = 0; i < 5 && !r.finished(); i++) {
                r = WireJson.read(mine.compute().execute(GatewayTasks.TASK_AWAIT,
                        WireJson.write(new TaskQuery(id, 30_000, r.fragmentsDone()))), TaskStatusResult.class);
            }
            assertThat(r.state()).isEqualTo("SUCCEEDED");
            assertThat(r.fragments()).hasSize(1);
            assertThat(t.get()).isEqualTo(5);
        }
    }

    @Test
    void aWatchOfNothingOrOfTooManyTasksIsABadRequest() throws InterruptedException {
        try (IgniteClient mine = thin("watcher")) {
            assertThat(watch(mine, new TaskWatch(List.of(), 0)).error().code()).isEqualTo(ErrorCode.BAD_REQUEST.name());
            List<TaskQuery> tooMany = Collections.nCopies(TaskWatch.MAX_TASKS + 1, new TaskQuery("x", 0, 0));
            assertThat(watch(mine, new TaskWatch(tooMany, 0)).error().code()).isEqualTo(ErrorCode.BAD_REQUEST.name());
        }
    }

    private static IgniteClient thin(String account) {
        return Ignition.startClient(new ClientConfiguration().setAddresses(grid.thinClientAddress())
                .setUserName(account).setUserPassword(grid.apiKey(account)));
    }

    private static TaskWatchResult watch(IgniteClient client, TaskWatch w) throws InterruptedException {
        String json = client.compute().execute(GatewayTasks.TASK_WATCH, WireJson.write(w));
        return WireJson.read(json, TaskWatchResult.class);
    }
}
