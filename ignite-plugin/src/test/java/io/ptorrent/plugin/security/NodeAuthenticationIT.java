package io.ptorrent.plugin.security;

import io.ptorrent.plugin.testing.TestGrid;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.internal.IgniteNodeAttributes;
import org.apache.ignite.spi.discovery.tcp.internal.TcpDiscoveryNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Who gets into the grid: a contributor with a join credential of its account, a harbor with the harbor secret;
 * nobody else (no credential, a wrong, revoked or misused one, a plain Ignite node), each refused with JOIN_REFUSED
 * and the reason. And the credentials a node presented reach no other node.
 */
class NodeAuthenticationIT {
    private static final int BASE_PORT = 52000;

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
