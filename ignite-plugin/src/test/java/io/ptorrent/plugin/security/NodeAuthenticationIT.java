package io.ptorrent.plugin.security;

import io.ptorrent.plugin.testing.TestGrid;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.cache.CachePeekMode;
import io.ptorrent.plugin.security.internal.IdentityStore;
import io.ptorrent.plugin.security.internal.PtorrentSecurityProcessor;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.internal.managers.communication.GridIoMessage;
import org.apache.ignite.internal.processors.cache.distributed.dht.preloader.GridDhtPartitionSupplyMessage;
import org.apache.ignite.internal.util.typedef.internal.CU;
import org.apache.ignite.lang.IgniteRunnable;
import org.apache.ignite.plugin.extensions.communication.Message;
import org.apache.ignite.spi.communication.CommunicationListener;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.internal.IgniteNodeAttributes;
import org.apache.ignite.spi.discovery.tcp.internal.TcpDiscoveryNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Who gets into the grid: a contributor with a join credential of its account, a harbor with the harbor secret;
 * nobody else (no credential, a wrong, revoked or misused one, a plain Ignite node), each refused with JOIN_REFUSED
 * and the reason. And the credentials a node presented reach no other node.
 */
class NodeAuthenticationIT {
    private static final int BASE_PORT = 52000;
    /** A test's own grid: 52320..52369 (span 20). */
    private static final int OWN_GRID_PORT = 52320;

    private static TestGrid grid;
    private static Ignite harbor;

    @BeforeAll
    static void startGrid() {
        grid = new TestGrid(BASE_PORT);
        harbor = grid.startHarbor("harbor");
    }

    @AfterAll
    static void stopGrid() {
        if (grid != null) {
            grid.close();
        }
    }

    @Test
    void aContributorWithAJoinCredentialOfItsAccountJoinsAndSeesNoNodesCredentials() {
        Ignite alice = grid.startContributor("alice", c -> c.setSharedCores(1).setAccount("alice"));
        Ignite second = grid.startHarbor("harbor-2");
        try {
            assertThat(harbor.cluster().nodes()).extracting(ClusterNode::consistentId).contains("alice", "harbor-2");
            // Ignite hides the attribute from attributes(), but a modified node could read the raw map: it must be gone.
            for (Ignite viewer : new Ignite[] {alice, harbor, second}) {
                for (ClusterNode n : viewer.cluster().nodes()) {
                    if (n instanceof TcpDiscoveryNode t && !n.isLocal()) {
                        assertThat(t.getAttributes()).as(viewer.name() + " sees " + n.consistentId())
                                .doesNotContainKey(IgniteNodeAttributes.ATTR_SECURITY_CREDENTIALS);
                    }
                }
            }
        } finally {
            grid.stop("alice");
            grid.stop("harbor-2");
        }
    }

    /**
     * A harbor that has just joined gets its copy of the identities by rebalance, after its start. Its first pass over
     * the contributors must not take their credentials for gone meanwhile (it did: CI saw a second harbor's start fail
     * a contributor out of the grid). The rebalance to the new harbor is held until that pass has run.
     */
    @Test
    void aHarborThatJoinsWhileItsCopyOfTheIdentitiesFillsRemovesNoContributor() throws Exception {
        // A grid of its own: Ignite wants the same communication SPI class on every node, here the holding one.
        try (TestGrid own = new TestGrid(OWN_GRID_PORT, 20)) {
            Ignite first = own.start("own-harbor", holding(own.harborConfig("own-harbor", TestGrid::shortSpeedProbe)).cfg);
            Ignite bea = own.startContributor("own-bea", c -> c.setSharedCores(1).setAccount("bea"),
                    c -> c.setCommunicationSpi(HoldingCommunicationSpi.like((TcpCommunicationSpi) c.getCommunicationSpi())));
            UUID beaId = bea.cluster().localNode().id();
            Holding second = holding(own.harborConfig("own-harbor-2", TestGrid::shortSpeedProbe));
            Path snapshot = Path.of(second.cfg.getWorkDirectory(), PtorrentSecurityProcessor.JOIN_SNAPSHOT_FILE);
            second.spi.hold(IdentityStore.CACHE);
            Ignite joined = own.start("own-harbor-2", second.cfg);
            try {
                // The new harbor's pass has run (it wrote its snapshot) or waits for the whole copy (as it should).
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(snapshot) || threadWaitsIn("awaitLocalCopy"));
                second.spi.release();
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(snapshot)
                        && joined.cache(IdentityStore.CACHE).localSize(CachePeekMode.ALL) == first.cache(IdentityStore.CACHE).localSize(CachePeekMode.ALL));
                // A cache start goes round the ring after any node failure the pass sent: once it is done, both are seen.
                joined.getOrCreateCache("node-authentication-it-sync").destroy();
                assertThat(first.cluster().node(beaId)).as("bea, as the first harbor sees it").isNotNull();
                assertThat(bea.cluster().localNode().id()).as("bea's node id (a reconnect changes it)").isEqualTo(beaId);
            } finally {
                second.spi.release();
            }
        }
    }

    private record Holding(IgniteConfiguration cfg, HoldingCommunicationSpi spi) { }

    private static Holding holding(IgniteConfiguration cfg) {
        HoldingCommunicationSpi spi = HoldingCommunicationSpi.like((TcpCommunicationSpi) cfg.getCommunicationSpi());
        return new Holding(cfg.setCommunicationSpi(spi), spi);
    }

    private static boolean threadWaitsIn(String method) {
        return Thread.getAllStackTraces().values().stream()
                .anyMatch(stack -> java.util.Arrays.stream(stack).anyMatch(f -> f.getMethodName().equals(method)));
    }

    /**
     * Communication that, once told to {@link #hold} a cache, holds the rebalance messages this node gets for it until
     * {@link #release()}, then delivers them.
     */
    static final class HoldingCommunicationSpi extends TcpCommunicationSpi {
        private final List<Runnable> heldMessages = new ArrayList<>();
        private Integer groupId;

        static HoldingCommunicationSpi like(TcpCommunicationSpi spi) {
            HoldingCommunicationSpi h = new HoldingCommunicationSpi();
            h.setLocalAddress(spi.getLocalAddress()).setLocalPort(spi.getLocalPort()).setLocalPortRange(spi.getLocalPortRange());
            return h;
        }

        synchronized void hold(String cache) {
            groupId = CU.cacheId(cache);
        }

        void release() {
            List<Runnable> out;
            synchronized (this) {
                groupId = null;
                out = new ArrayList<>(heldMessages);
                heldMessages.clear();
            }
            // Delivered on another thread, as Ignite's own would be: not on the test's.
            new Thread(() -> out.forEach(Runnable::run), "held-rebalance").start();
        }

        @Override
        public void setListener(CommunicationListener<Message> lsnr) {
            super.setListener(lsnr == null ? null : new CommunicationListener<>() {
                @Override
                public void onMessage(UUID nodeId, Message msg, IgniteRunnable ack) {
                    if (msg instanceof GridIoMessage io && io.message() instanceof GridDhtPartitionSupplyMessage supply) {
                        synchronized (HoldingCommunicationSpi.this) {
                            if (groupId != null && supply.groupId() == groupId) {
                                heldMessages.add(() -> lsnr.onMessage(nodeId, msg, ack));
                                return;
                            }
                        }
                    }
                    lsnr.onMessage(nodeId, msg, ack);
                }

                @Override
                public void onDisconnected(UUID nodeId) {
                    lsnr.onDisconnected(nodeId);
                }
            });
        }
    }

    @Test
    void aContributorWithoutAJoinCredentialIsRefusedAndToldWhatToDo() {
        assertThatThrownBy(() -> grid.start("nobody", grid.contributorConfig("nobody", c -> c.setSharedCores(1))))
                .hasStackTraceContaining("JOIN_REFUSED")
                .hasStackTraceContaining("--join-token-file");
        assertThat(harbor.cluster().nodes()).extracting(ClusterNode::consistentId).doesNotContain("nobody");
    }

    @Test
    void aContributorWithAnInventedRevokedOrApiKeyCredentialIsRefused() throws Exception {
        Path invented = Files.writeString(Files.createTempFile("join", ".token"), "ptj.0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        assertRefused("invented", invented, "is not one this grid issued");

        Path revoked = grid.joinTokenFile("revoked", "dora");
        String id = Files.readString(revoked).strip().split("\\.")[1];
        grid.identities().revoke("dora", id);
        assertRefused("revoked", revoked, "was revoked");

        Path apiKey = Files.writeString(Files.createTempFile("join", ".token"), grid.apiKey("dora"));
        assertRefused("apikey", apiKey, "is not a join credential");
    }

    @Test
    void revokingAJoinCredentialRemovesTheNodeThatJoinedWithIt() throws Exception {
        Path token = grid.joinTokenFile("zoe", "zoe");
        String id = Files.readString(token).strip().split("\\.")[1];
        // A refused reconnect is a critical failure for a client node: stop the node, not this test's JVM.
        grid.start("zoe", grid.contributorConfig("zoe", c -> c.setSharedCores(1).setJoinTokenFile(token.toString()))
                .setFailureHandler(new org.apache.ignite.failure.StopNodeFailureHandler()));
        try {
            assertThat(harbor.cluster().nodes()).extracting(ClusterNode::consistentId).contains("zoe");
            grid.identities().revoke("zoe", id);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> harbor.cluster().nodes().stream().noneMatch(n -> "zoe".equals(n.consistentId())));
        } finally {
            grid.stop("zoe");
        }
    }

    @Test
    void aContributorThatClaimsAnotherAccountThanItsCredentialsIsRefused() {
        Path eves = grid.joinTokenFile("mallory", "eve");
        assertThatThrownBy(() -> grid.start("mallory", grid.contributorConfig("mallory",
                c -> c.setSharedCores(1).setAccount("alice").setJoinTokenFile(eves.toString()))))
                .hasStackTraceContaining("JOIN_REFUSED")
                .hasStackTraceContaining("its join credential is of account 'eve'");
    }

    @Test
    void aHarborWithAnotherSecretIsRefused() throws Exception {
        Path other = Files.writeString(Files.createTempFile("harbor", ".secret"), "pth.some-other-grids-secret");
        assertThatThrownBy(() -> grid.start("impostor", grid.harborConfig("impostor", c -> c.setHarborSecretFile(other.toString()))))
                .hasStackTraceContaining("JOIN_REFUSED")
                .hasStackTraceContaining("harbor secret that is not this grid's");
        assertThat(harbor.cluster().nodes()).extracting(ClusterNode::consistentId).doesNotContain("impostor");
    }

    @Test
    void aPlainIgniteNodeWithoutThePluginIsRefused() {
        // A plain Ignite node (no ptorrent jar) is refused for having no security processor, or not ptorrent's. In this
        // JVM Ignite's ServiceLoader finds the ptorrent plugin on the class path even for a node configured without it,
        // so the node has ptorrent's processor and no join credential, and is refused for that.
        assertThatThrownBy(() -> grid.start("plain", grid.plainConfig("plain").setClientMode(true)))
                .satisfies(e -> assertThat(org.apache.ignite.internal.util.typedef.X.getFullStackTrace(e))
                        .containsAnyOf("grid security processor class", "JOIN_REFUSED: the harbor refused this node: it presents no credential"));
        assertThat(harbor.cluster().nodes()).extracting(ClusterNode::consistentId).doesNotContain("plain");
        assertThat(Ignition.allGrids()).extracting(Ignite::name).doesNotContain("plain");
    }

    private static void assertRefused(String name, Path token, String why) {
        assertThatThrownBy(() -> grid.start(name, grid.contributorConfig(name, c -> c.setSharedCores(1).setJoinTokenFile(token.toString()))))
                .hasStackTraceContaining("JOIN_REFUSED")
                .hasStackTraceContaining(why);
        assertThat(harbor.cluster().nodes()).extracting(ClusterNode::consistentId).doesNotContain(name);
    }
}
