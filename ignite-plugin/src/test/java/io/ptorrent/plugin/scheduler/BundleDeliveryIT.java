package io.ptorrent.plugin.scheduler;

import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.SerializableCallable;
import io.ptorrent.client.TaskHandle;
import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.sandbox.BundleCache;
import io.ptorrent.plugin.testing.TestGrid;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.Test;
import sandboxtest.Honest;
import sandboxtest.OtherBundle;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundle on a real grid (issue 10, part 2): a task of many fragments of one bundle sends its bytes to each
 * contributor once and each contributor verifies it once; a restarted contributor (a new node id) gets the bytes
 * again; a contributor that evicted a bundle answers "bundle missing" and the harbor resends the bytes without
 * using up an attempt.
 *
 * <p>The harbor pipelines: a node's window holds two batches per shared core, so a name-only batch sent right after
 * the one with the bytes can reach the node first and be answered "missing". It is sent again by name (the bytes
 * are on their way: they are not sent twice), without an attempt; so the bytes counts below are exact and a miss may
 * come once per node that was new to the bundle.
 */
class BundleDeliveryIT {
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @Test
    void manyFragmentsOfOneBundleSendItsBytesOncePerNodeAndAreVerifiedOncePerNode() {
        // Ports 54400-54409 (discovery), 54460-54519 (communication), 54520-54529 (thin clients).
        try (TestGrid grid = new TestGrid(54400, 60)) {
            Ignite harbor = grid.startHarbor("harbor");
            // What each node has verified once started (the harbor's speed probe brings a bundle of its own).
            Map<Ignite, Long> atStart = new LinkedHashMap<>();
            for (String name : List.of("alice", "bob")) {
                Ignite node = grid.startContributor(name, 1);
                atStart.put(node, verifications(node));
            }
            FragmentScheduler scheduler = PtorrentPlugin.of(harbor).scheduler();
            try (PtorrentClient carol = PtorrentClient.connect(grid.clientOptions("carol"))) {
                runAndCheckOncePerNode(carol, scheduler, atStart, 40, 2);

                // Once more, with alice restarted: a new node id, a new cache; bob already holds the bundle.
                Ignite oldAlice = grid.node("alice");
                UUID oldId = oldAlice.cluster().localNode().id();
                atStart.remove(oldAlice);
                grid.stop("alice");
                Ignite alice = grid.startContributor("alice", 1);
                assertThat(alice.cluster().localNode().id()).isNotEqualTo(oldId);
                atStart.put(alice, verifications(alice));
                assertThat(scheduler.bundleSendsWithBytes(oldId)).as("forgotten when the node left").isZero();

                runAndCheckOncePerNode(carol, scheduler, atStart, 20, 1);
            }
        }
    }

    @Test
    void aContributorThatEvictedTheBundleIsSentItsBytesAgainWithoutUsingAnAttempt() {
        // Ports 54420-54429 (discovery), 54480-54539 (communication), 54540-54549 (thin clients).
        try (TestGrid grid = new TestGrid(54420, 60)) {
            Ignite harbor = grid.startHarbor("harbor");
            Ignite alice = grid.startContributor("alice", c -> c.setSharedCores(1).setBundleCacheBundles(1));
            UUID aliceId = alice.cluster().localNode().id();
            FragmentScheduler scheduler = PtorrentPlugin.of(harbor).scheduler();
            BundleCache cache = PtorrentPlugin.of(alice).bundles();
            long verifiedBefore = cache.stats().verifications();
            try (PtorrentClient carol = PtorrentClient.connect(grid.clientOptions("carol"))) {
                assertThat(carol.submitAll(products(3)).result()).succeedsWithin(PATIENCE).isEqualTo(expected(3));
                // Another bundle takes the only place in alice's cache.
                assertThat(carol.submit(OtherBundle.countCalls()).result()).succeedsWithin(PATIENCE);
                long missedBefore = scheduler.bundleSends().missing();
                assertThat(missedBefore).as("at most one overtaken send per bundle new to alice").isLessThanOrEqualTo(2);

                // The harbor believes alice holds the first bundle and names it by hash; she answers "missing".
                assertThat(carol.submitAll(products(3)).result()).succeedsWithin(PATIENCE).isEqualTo(expected(3));

                // At least one "missing" (and one per name-only batch that reached her before the bytes came again).
                assertThat(scheduler.bundleSends().missing() - missedBefore).isPositive();
            }
            assertThat(scheduler.bundleSendsWithBytes(aliceId)).as("first bundle, other bundle, first bundle again").isEqualTo(3);
            assertThat(cache.stats().verifications() - verifiedBefore).isEqualTo(3);
            assertThat(cache.stats().bundles()).isEqualTo(1);
            assertThat(cache.stats().evictions()).isGreaterThanOrEqualTo(2);
        }
    }

    /**
     * Runs a task of {@code n} fragments of one bundle and checks: the bytes went to each node once since it started,
     * and each node verified the bundle once since it started.
     *
     * @param atStart   the contributors, with their verification counts when they had started
     * @param newToThem how many of them had not been sent this bundle before this task
     */
    private static void runAndCheckOncePerNode(PtorrentClient client, FragmentScheduler scheduler, Map<Ignite, Long> atStart, int n,
                                               int newToThem) {
        List<Ignite> nodes = List.copyOf(atStart.keySet());
        FragmentScheduler.BundleSends sendsBefore = scheduler.bundleSends();

        TaskHandle<List<Integer>> task = client.submitAll(products(n));

        assertThat(task.result()).succeedsWithin(PATIENCE).isEqualTo(expected(n));
        List<String> ranOn = task.report().join().nodeIds();
        // The first dispatch of a task sends one fragment to each free node: both took part.
        assertThat(ranOn).containsAll(nodes.stream().map(node -> node.cluster().localNode().id().toString()).toList());
        for (Ignite node : nodes) {
            assertThat(verifications(node) - atStart.get(node)).as("verifications on %s", node.name()).isEqualTo(1);
            assertThat(scheduler.bundleSendsWithBytes(node.cluster().localNode().id())).as("bytes sent to %s", node.name()).isEqualTo(1);
        }
        FragmentScheduler.BundleSends sends = scheduler.bundleSends();
        assertThat(sends.withBytes() - sendsBefore.withBytes()).isEqualTo(newToThem);
        // Counted per batch: at most one per fragment that did not carry the bytes.
        assertThat(sends.byHash() - sendsBefore.byHash()).isBetween(1L, (long) n - newToThem);
        assertThat(sends.missing() - sendsBefore.missing()).as("name-only batches that overtook the bytes").isLessThanOrEqualTo(newToThem);
    }

    private static long verifications(Ignite contributor) {
        return PtorrentPlugin.of(contributor).bundles().stats().verifications();
    }

    /** {@code n} closures of one bundle (one lambda class). */
    private static List<SerializableCallable<Integer>> products(int n) {
        return IntStream.range(0, n).mapToObj(i -> Honest.multiply(i, 3)).toList();
    }

    private static List<Integer> expected(int n) {
        return IntStream.range(0, n).mapToObj(i -> i * 3).toList();
    }
}
