package io.ptorrent.plugin.scheduler;

import admissiontest.BusyClosures;
import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.TaskHandle;
import io.ptorrent.plugin.GridSnapshot;
import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.share.ShareRulesConfiguration;
import io.ptorrent.plugin.testing.TestGrid;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The harbor's queue when share rules refuse work: a refused fragment does not hold back the ones behind
 * it, and a task that no remaining contributor accepts fails instead of waiting forever.
 *
 * <p>Both tests use a grid of alice (1 core, works only for dave) and bob (1 core, works for anyone), and
 * a task of carol's with two fragments that run for minutes: one runs on bob, alice refuses the other.
 * After that refusal both are out on bob (one running, one queued in bob's window: the harbor pipelines), which
 * the tests wait for.
 */
class SchedulerQueueIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** Longer than any test: carol's fragments end only when the test ends them. */
    private static final long FOREVER_MS = 600_000;

    @Test
    void aRefusedFragmentAtTheHeadDoesNotHoldBackWorkAnotherNodeTakes() {
        try (TestGrid grid = new TestGrid(51000)) {
            Ignite harbor = grid.startHarbor("harbor");
            Ignite alice = startAliceAndBob(grid);
            try (PtorrentClient carol = client(grid, "carol"); PtorrentClient dave = client(grid, "dave")) {
                TaskHandle<List<Integer>> carols = carol.submitAll(List.of(BusyClosures.busy(FOREVER_MS, 1), BusyClosures.busy(FOREVER_MS, 2)));
                awaitAliceRefusedCarol(harbor);

                TaskHandle<Integer> daves = dave.submit(BusyClosures.busy(10, 7));

                assertThat(daves.result()).succeedsWithin(PATIENCE).isEqualTo(7);
                assertThat(daves.report().join().nodeIds()).containsExactly(alice.cluster().localNode().id().toString());
                assertThat(carols.result()).isNotDone();
                carols.cancel();
            }
        }
    }

    @Test
    void aTaskNoRemainingContributorAcceptsFailsWhenTheLastOneThatDidLeaves() {
        try (TestGrid grid = new TestGrid(51020)) {
            Ignite harbor = grid.startHarbor("harbor");
            startAliceAndBob(grid);
            try (PtorrentClient carol = client(grid, "carol")) {
                TaskHandle<List<Integer>> carols = carol.submitAll(List.of(BusyClosures.busy(FOREVER_MS, 1), BusyClosures.busy(FOREVER_MS, 2)));
                awaitAliceRefusedCarol(harbor);

                grid.stop("bob");

                assertThat(carols.result()).failsWithin(PATIENCE)
                        .withThrowableOfType(ExecutionException.class)
                        .havingCause().isInstanceOfSatisfying(PtorrentException.class, e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.REFUSED_BY_RULES);
                            assertThat(e.getMessage()).contains("share rules");
                        });
            }
        }
    }

    @Test
    void aLaterAccountIsServedBetweenTheFragmentsOfAnEarlierOneNotAfterThemAll() {
        try (TestGrid grid = new TestGrid(51040)) {
            Ignite harbor = grid.startHarbor("harbor");
            grid.startContributor("bob", 1);
            try (PtorrentClient carol = client(grid, "carol"); PtorrentClient dave = client(grid, "dave")) {
                TaskHandle<List<Integer>> carols = carol.submitAll(List.of(BusyClosures.busy(2_000, 1), BusyClosures.busy(2_000, 2),
                        BusyClosures.busy(2_000, 3), BusyClosures.busy(2_000, 4), BusyClosures.busy(2_000, 5)));
                await().atMost(PATIENCE).until(() -> PtorrentPlugin.of(harbor).gridSnapshot().runningFragments() >= 1);

                TaskHandle<List<Integer>> daves = dave.submitAll(List.of(BusyClosures.busy(10, 6), BusyClosures.busy(10, 7)));

                // In arrival order dave would wait for all five of carol's; by account, his two come within carol's next three.
                assertThat(daves.result()).succeedsWithin(PATIENCE).isEqualTo(List.of(6, 7));
                assertThat(carols.result()).isNotDone();
                carols.cancel();
            }
        }
    }

    private static Ignite startAliceAndBob(TestGrid grid) {
        Ignite alice = grid.startContributor("alice", c -> c.setSharedCores(1)
                .setShareRules(new ShareRulesConfiguration().setCores(1).setAcceptAccounts(List.of("dave"))));
        grid.startContributor("bob", 1);
        return alice;
    }

    private static PtorrentClient client(TestGrid grid, String account) {
        return PtorrentClient.connect(grid.clientOptions(account)
                .fragmentTimeout(Duration.ofMillis(FOREVER_MS)).timeout(Duration.ofMillis(FOREVER_MS)));
    }

    /** Before alice's refusal one fragment is out on each node; after it, both are out on bob (one waits in his window). */
    private static void awaitAliceRefusedCarol(Ignite harbor) {
        await().atMost(PATIENCE).until(() -> {
            GridSnapshot s = PtorrentPlugin.of(harbor).gridSnapshot();
            return s.nodes().stream().anyMatch(n -> n.name().equals("bob") && n.runningFragments() == 2);
        });
    }
}
