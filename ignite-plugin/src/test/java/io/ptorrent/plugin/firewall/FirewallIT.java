package io.ptorrent.plugin.firewall;

import admissiontest.BusyClosures;
import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.TaskHandle;
import io.ptorrent.credit.CreditConfiguration;
import io.ptorrent.plugin.GridSnapshot;
import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.testing.TestGrid;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.query.ScanQuery;
import org.apache.ignite.cluster.ClusterState;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.internal.IgniteEx;
import org.apache.ignite.internal.cluster.IgniteClusterEx;
import org.apache.ignite.internal.processors.security.OperationSecurityContext;
import org.apache.ignite.failure.StopNodeFailureHandler;
import org.apache.ignite.lang.IgniteRunnable;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A rogue client node — one that joined the way every contributor does, and whose own node lets everything
 * through — uses Ignite's own API against the harbor: a proxy of a ledger cache, a job on the harbor, a cache
 * destroy and a deactivation (a rogue that brings the ledger caches in its configuration is refused at join). The harbor refuses each (the rogue is failed out
 * of the grid) and its data stays as it was; meanwhile an honest contributor still runs fragments, hands
 * one back and has one cancelled.
 *
 * <p>Each attack uses a rogue of its own: the harbor fails a rogue at its first refused message. Nothing
 * answers the rogue's own calls; they end when its node stops.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FirewallIT {
    /** Discovery 53200–53209, communication 53260–53319, thin clients 53320–53329. */
    private static final int BASE_PORT = 53200;
    private static final int SPAN = 60;
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final long FOREVER_MS = 600_000;
    private static final List<String> LEDGER_CACHES = List.of(CreditConfiguration.DEFAULT_ACCOUNTS_CACHE,
            CreditConfiguration.DEFAULT_HOLDS_CACHE, CreditConfiguration.DEFAULT_LEDGER_CACHE);
    /** Set by a job if it ever runs on the harbor (one JVM: the harbor's job would set this very flag). */
    static final AtomicBoolean RAN_ON_HARBOR = new AtomicBoolean();

    private static TestGrid grid;
    private static Ignite harbor;
    private static Ignite honest;
    private static final AtomicInteger rogues = new AtomicInteger();
    private static final ExecutorService attacks = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "rogue-call");
        t.setDaemon(true);
        return t;
    });

    @BeforeAll
    static void startGrid() {
        grid = new TestGrid(BASE_PORT, SPAN);
        harbor = grid.startHarbor("harbor", false, c -> c.setConsolePort(0)
                .setCredit(new CreditConfiguration().setStarterGrant(1_000_000))
                .setOpenAccounts(List.of("carol")));
        honest = grid.startContributor("honest", c -> c.setSharedCores(1).setAccount("alice"));
        await().atMost(PATIENCE).until(() -> harbor.cache(CreditConfiguration.DEFAULT_ACCOUNTS_CACHE).size() >= 1);
    }

    @AfterAll
    static void stopGrid() {
        attacks.shutdownNow();
        if (grid != null) {
            grid.close();
        }
    }

    @Test
    @Order(1)
    void aRogueThatBringsTheLedgerCachesInItsConfigurationIsRefusedAtJoin() {
        // Before authentication a rogue held proxies of the ledger caches from its join on (its configuration named
        // them), and its put, get and clear reached the harbor's firewall. Now the harbor refuses that join: a
        // contributor may not start a cache, not even its proxy of an existing one (and Order 4: a proxy asked for
        // after the join is refused by the firewall). A modified binary could still craft those cache messages; the
        // firewall's refusal of each kind (GridNearTxPrepareRequest, GridNearSingleGetRequest, ...) is ClientMessagePolicyTest's.
        Map<String, Map<String, String>> before = ledgerContent();
        String name = "rogue-" + rogues.incrementAndGet();
        assertThatThrownBy(() -> grid.startContributor(name, c -> c.setSharedCores(0), withLedgerCaches().andThen(cfg ->
                ((TcpDiscoverySpi) cfg.getDiscoverySpi()).setClientReconnectDisabled(true))))
                .hasStackTraceContaining("NOT_AUTHORIZED")
                .hasStackTraceContaining("may not CACHE_CREATE");
        assertThat(harbor.cluster().nodes()).extracting(ClusterNode::consistentId).doesNotContain(name);
        assertThat(ledgerContent()).isEqualTo(before);
        assertThat(harbor.cluster().node(honest.cluster().localNode().id())).isNotNull();
    }

    @Test
    @Order(4)
    void aRoguesCacheProxyForAPtorrentCacheIsRefused() {
        // A client starts its proxy of an existing cache by asking a server for the cache's affinity.
        attack(cfg -> { }, "GridDhtAffinityAssignmentRequest", rogue -> rogue.cache(CreditConfiguration.DEFAULT_HOLDS_CACHE).put("x", "y"));
    }

    @Test
    @Order(5)
    void aRoguesJobOnTheHarborNeverRuns() {
        attack(cfg -> { }, TASK_KINDS, rogue -> rogue.compute(rogue.cluster().forServers()).run((IgniteRunnable) () -> RAN_ON_HARBOR.set(true)));
        assertThat(RAN_ON_HARBOR).isFalse();
    }

    @Test
    @Order(6)
    void aRoguesCacheDestroyIsRefusedOnEveryNode() {
        // A discovery custom message: every node drops it, the honest contributor too.
        attack(cfg -> { }, "DynamicCacheChangeBatch", rogue -> rogue.destroyCache(CreditConfiguration.DEFAULT_LEDGER_CACHE));
        assertThat(PtorrentPlugin.of(honest).firewall().refusedByKind()).containsKey("DynamicCacheChangeBatch");
        assertThat(harbor.cacheNames()).containsAll(LEDGER_CACHES);
    }

    @Test
    @Order(7)
    void aRoguesDeactivationIsRefusedOnEveryNode() {
        // Forced, as a rogue would: unforced, the rogue's own node refuses to deactivate a grid of in-memory caches.
        // A client changes the cluster state through a job on a server (GridClusterStateProcessor).
        attack(cfg -> { }, TASK_KINDS, rogue -> ((IgniteClusterEx) rogue.cluster()).state(ClusterState.INACTIVE, true));
        assertThat(harbor.cluster().state()).isEqualTo(ClusterState.ACTIVE);
    }

    @Test
    @Order(8)
    void meanwhileAnHonestContributorRunsFragmentsHandsOneBackAndHasOneCancelled() {
        try (PtorrentClient carol = PtorrentClient.connect(grid.clientOptions("carol")
                .fragmentTimeout(Duration.ofMillis(FOREVER_MS)).timeout(Duration.ofMillis(FOREVER_MS)))) {
            TaskHandle<Integer> quick = carol.submit(BusyClosures.busy(10, 7));
            assertThat(quick.result()).succeedsWithin(PATIENCE).isEqualTo(7);
            assertThat(quick.report().join().nodeIds()).containsExactly(honest.cluster().localNode().id().toString());

            TaskHandle<Integer> endless = carol.submit(BusyClosures.busy(FOREVER_MS, 1));
            await().atMost(PATIENCE).until(() -> snapshot().runningFragments() == 1);
            // The owner takes the core back: the fragment comes back to the harbor, which sends it again once it can.
            PtorrentPlugin.of(honest).share().sharedCores(0);
            await().atMost(PATIENCE).until(() -> snapshot().runningFragments() == 0 && snapshot().queuedFragments() == 1);
            PtorrentPlugin.of(honest).share().sharedCores(1);
            await().atMost(PATIENCE).until(() -> snapshot().runningFragments() == 1);

            endless.cancel();
            await().atMost(PATIENCE).until(() -> snapshot().runningFragments() == 0 && snapshot().queuedFragments() == 0);

            TaskHandle<Integer> after = carol.submit(BusyClosures.busy(10, 8));
            assertThat(after.result()).succeedsWithin(PATIENCE).isEqualTo(8);
        }
        // Nothing the honest contributor sent was refused: the harbor fails every node it refuses something from.
        assertThat(harbor.cluster().node(honest.cluster().localNode().id())).isNotNull();
    }

    /**
     * Starts a rogue, runs {@code call} on it in the background, waits until the harbor refused a message of
     * the rogue's of the {@code kind} expected and failed it out of the grid, and checks that the ledger
     * caches hold what they held.
     */
    private static void attack(Consumer<IgniteConfiguration> rogueConfig, String kind, Consumer<Ignite> call) {
        Map<String, Map<String, String>> before = ledgerContent();
        long refusedBefore = refused(kind);
        String name = "rogue-" + rogues.incrementAndGet();
        // No account: a contributor account's first join would be granted credit, which is not the rogue's doing.
        // Reconnect disabled: a failed rogue stops at once instead of waiting to join again under a new id
        // (and only the node stops: Ignite's default failure handler would halt the test's JVM).
        Ignite rogue = grid.startContributor(name, c -> c.setSharedCores(0), rogueConfig.andThen(cfg -> {
            ((TcpDiscoverySpi) cfg.getDiscoverySpi()).setClientReconnectDisabled(true);
            cfg.setFailureHandler(new StopNodeFailureHandler());
        }));
        UUID rogueId = rogue.cluster().localNode().id();
        try {
            // What the rogue's own call returns says nothing (a broadcast whose nodes left ends empty-handed): the harbor's side does.
            // Under the harbor's security context, as a rogue would claim it: its own node's checks then let everything through.
            UUID harborId = harbor.cluster().localNode().id();
            CompletableFuture.runAsync(() -> {
                try (OperationSecurityContext asHarbor = ((IgniteEx) rogue).context().security().withContext(harborId)) {
                    call.accept(rogue);
                }
            }, attacks);
            await().atMost(PATIENCE).until(() -> refused(kind) > refusedBefore);
            // Failed out of the grid.
            await().atMost(PATIENCE).until(() -> harbor.cluster().node(rogueId) == null);
        } finally {
            grid.stop(name);
        }
        assertThat(ledgerContent()).isEqualTo(before);
        assertThat(harbor.cluster().node(honest.cluster().localNode().id())).isNotNull();
    }

    /** Refusals of these kinds ({@code "A|B"}: either). */
    private static long refused(String kinds) {
        Map<String, Long> by = PtorrentPlugin.of(harbor).firewall().refusedByKind();
        return java.util.Arrays.stream(kinds.split("\\|")).mapToLong(k -> by.getOrDefault(k, 0L)).sum();
    }

    /**
     * What a rogue's task sends first: with security on, Ignite looks up a task's name in the system cache and
     * records it there (a get, then a transaction) before it sends the job, unless the name is there already;
     * the firewall refuses whichever comes first.
     */
    private static final String TASK_KINDS = "GridNearSingleGetRequest|GridNearTxPrepareRequest|GridJobExecuteRequest";

    /** A rogue that starts with the ledger caches in its configuration: it holds their proxies from its join on. */
    private static Consumer<IgniteConfiguration> withLedgerCaches() {
        CacheConfiguration<?, ?>[] caches = LEDGER_CACHES.stream()
                .map(n -> new CacheConfiguration<>(harbor.cache(n).getConfiguration(CacheConfiguration.class)).setQueryEntities(List.of()))
                .toArray(CacheConfiguration[]::new);
        return cfg -> cfg.setCacheConfiguration(caches);
    }

    private static Map<String, Map<String, String>> ledgerContent() {
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (String n : LEDGER_CACHES) {
            IgniteCache<Object, Object> c = harbor.cache(n).withKeepBinary();
            Map<String, String> rows = new TreeMap<>();
            // A binary object's text names its identity hash, which differs from read to read.
            c.query(new ScanQuery<>()).forEach(e -> rows.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()).replaceAll("idHash=-?\\d+, ", "")));
            out.put(n, rows);
        }
        return out;
    }

    private static GridSnapshot snapshot() {
        return PtorrentPlugin.of(harbor).gridSnapshot();
    }
}
