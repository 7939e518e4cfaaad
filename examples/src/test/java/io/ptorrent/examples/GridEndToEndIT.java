package io.ptorrent.examples;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.TaskHandle;
import io.ptorrent.client.TaskReport;
import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.testing.TestGrid;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A harbor and two contributors (real Ignite nodes on loopback) and a thin client: closures run on the
 * contributors, never on the harbor, and their results come back right.
 */
class GridEndToEndIT {
    private static final int BASE_PORT = 48600;
    private static TestGrid grid;
    private static Ignite harbor;
    private static Set<String> contributorIds;
    private static PtorrentClient client;

    @BeforeAll
    static void startGrid() {
        grid = new TestGrid(BASE_PORT);
        harbor = grid.startHarbor("harbor");
        Ignite alice = grid.startContributor("alice", 1);
        Ignite bob = grid.startContributor("bob", 1);
        contributorIds = Set.of(alice.cluster().localNode().id().toString(), bob.cluster().localNode().id().toString());
        client = PtorrentClient.connect(grid.clientOptions("tester"));
    }

    @AfterAll
    static void stopGrid() {
        if (client != null) {
            client.close();
        }
        if (grid != null) {
            grid.close();
        }
    }

    @Test
    void piFragmentsRunOnBothContributorsAndNeverOnTheHarbor() {
        List<PiFragment> work = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            work.add(new PiFragment(i, 200_000));
        }
        TaskHandle<List<Long>> task = client.submitAll(work);

        List<Long> inside = task.get();
        TaskReport report = task.report().join();

        // The same seeds computed here give the same counts: the grid returned the closures' own results.
        for (int i = 0; i < work.size(); i++) {
            assertThat(inside.get(i)).isEqualTo(work.get(i).call());
        }
        double pi = 4.0 * inside.stream().mapToLong(Long::longValue).sum() / (6 * 200_000.0);
        assertThat(pi).isBetween(3.13, 3.15);
        assertThat(report.fragments()).hasSize(6);
        assertThat(report.nodeIds()).containsExactlyInAnyOrderElementsOf(contributorIds)
                .doesNotContain(harbor.cluster().localNode().id().toString());
        // Each contributor's own journal has what it ran.
        long journaled = PtorrentPlugin.of(grid.node("alice")).journal().totals().succeeded()
                + PtorrentPlugin.of(grid.node("bob")).journal().totals().succeeded();
        assertThat(journaled).isGreaterThanOrEqualTo(6);
    }

    @Test
    void aLambdaWithCapturedStateReturnsItsValue() {
        TaskHandle<Integer> task = client.submit(TestClosures.multiply(6, 7));

        assertThat(task.get()).isEqualTo(42);
        assertThat(task.report().join().nodeIds()).isSubsetOf(contributorIds);
    }

    @Test
    void theExamplesComputeTheRightAnswers() {
        assertThat(PrimesExample.count(client, 100_000, 4)).isEqualTo(9_592);
        double pi = PiExample.estimate(client, 4, 250_000, new PrintStream(OutputStream.nullOutputStream()));
        assertThat(pi).isBetween(3.13, 3.15);
    }

    @Test
    void aClosureThatThrowsFailsTheTaskWithItsMessage() {
        TaskHandle<Integer> task = client.submit(TestClosures.failing("no answer today"));

        assertThatThrownBy(task::get).isInstanceOfSatisfying(PtorrentException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.FRAGMENT_FAILED);
            assertThat(e.getMessage()).contains("no answer today");
        });
        // The grid keeps serving.
        assertThat(client.submit(TestClosures.multiply(2, 3)).get()).isEqualTo(6);
    }
}
