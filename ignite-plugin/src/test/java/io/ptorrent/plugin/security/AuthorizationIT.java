package io.ptorrent.plugin.security;

import io.ptorrent.client.Balance;
import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.wire.BalanceRequest;
import io.ptorrent.client.wire.BalanceResult;
import io.ptorrent.client.wire.GatewayTasks;
import io.ptorrent.client.wire.TaskStartRequest;
import io.ptorrent.client.wire.TaskStatusResult;
import io.ptorrent.client.wire.WireJson;
import io.ptorrent.credit.CreditConfiguration;
import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.testing.TestGrid;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.Ignition;
import org.apache.ignite.cache.query.SqlFieldsQuery;
import org.apache.ignite.client.ClientAuthenticationException;
import org.apache.ignite.client.ClientAuthorizationException;
import org.apache.ignite.client.ClientCache;
import org.apache.ignite.client.IgniteClient;
import org.apache.ignite.configuration.ClientConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Authentication on the thin-client port (Ignite's thin client, JDBC, PtorrentClient) and authorization through
 * Ignite's own APIs: what a member account, an operator and a contributor node may not do, each refusal with
 * NOT_AUTHORIZED and the data as it was.
 */
class AuthorizationIT {
    private static final int BASE_PORT = 52100;
    private static final long STARTER = 3_600_000;

    private static TestGrid grid;
    private static Ignite harbor;
    private static Ignite alice;
    private static List<String> caches;

    @BeforeAll
    static void startGrid() {
        grid = new TestGrid(BASE_PORT);
        harbor = grid.startHarbor("harbor", false, c -> c.setConsolePort(0)
                .setCredit(new CreditConfiguration().setStarterGrant(STARTER)).setOpenAccounts(List.of("carol", "dan")));
        alice = grid.startContributor("alice", c -> c.setSharedCores(1).setAccount("alice"));
        caches = harbor.cacheNames().stream().filter(n -> n.startsWith("ptorrent-")).sorted().toList();
        assertThat(caches).contains("ptorrent-accounts", "ptorrent-ledger", "ptorrent-holds", "ptorrent-identities");
    }

    @AfterAll
    static void stopGrid() {
        if (grid != null) {
            grid.close();
        }
    }

    // ---- authentication ----

    @Test
    void aThinClientWithoutOrWithWrongCredentialsIsRefused() {
        String address = grid.thinClientAddress();
        assertThatThrownBy(() -> Ignition.startClient(new ClientConfiguration().setAddresses(address)).close())
                .isInstanceOf(ClientAuthenticationException.class).hasMessageContaining("AUTHENTICATION_FAILED");
        assertThatThrownBy(() -> Ignition.startClient(new ClientConfiguration().setAddresses(address)
                .setUserName("carol").setUserPassword("not-carols-password")).close())
                .isInstanceOf(ClientAuthenticationException.class).hasMessageContaining("AUTHENTICATION_FAILED");
        // Another account's key does not open carol's.
        String dans = grid.apiKey("dan");
        assertThatThrownBy(() -> Ignition.startClient(new ClientConfiguration().setAddresses(address)
                .setUserName("carol").setUserPassword(dans)).close())
                .isInstanceOf(ClientAuthenticationException.class).hasMessageContaining("AUTHENTICATION_FAILED");
        // A join credential is not an API key.
        String join = readJoinToken("carol");
        assertThatThrownBy(() -> Ignition.startClient(new ClientConfiguration().setAddresses(address)
                .setUserName("carol").setUserPassword(join)).close())
                .isInstanceOf(ClientAuthenticationException.class).hasMessageContaining("join credential admits a contributor node");
        assertThatThrownBy(() -> PtorrentClient.connect(new PtorrentClientOptions().addresses(address).apiKey("carol", "wrong")))
                .isInstanceOfSatisfying(PtorrentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED));
    }

    @Test
    void aRevokedKeyNoLongerAuthenticates() {
        grid.apiKey("dan"); // dan's identity exists
        IssuedCredential key = grid.identities().issue("dan", CredentialKind.API_KEY);
        try (PtorrentClient dan = PtorrentClient.connect(new PtorrentClientOptions().addresses(grid.thinClientAddress()).apiKey("dan", key.token()))) {
            assertThat(dan.balance().account()).isEqualTo("dan");
        }
        grid.identities().revoke("dan", key.id());
        assertThatThrownBy(() -> PtorrentClient.connect(new PtorrentClientOptions().addresses(grid.thinClientAddress()).apiKey("dan", key.token())))
                .isInstanceOfSatisfying(PtorrentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED));
    }

    @Test
    void aPasswordAuthenticatesThroughArgon2() {
        grid.identities().createAccount("fay", AccountRole.MEMBER, "correct horse battery".toCharArray(), "operator");
        try (IgniteClient fay = Ignition.startClient(new ClientConfiguration().setAddresses(grid.thinClientAddress())
                .setUserName("fay").setUserPassword("correct horse battery"))) {
            assertThat(fay.cluster().state()).isNotNull();
        }
        assertThatThrownBy(() -> Ignition.startClient(new ClientConfiguration().setAddresses(grid.thinClientAddress())
                .setUserName("fay").setUserPassword("correct horse battery!")).close())
                .isInstanceOf(ClientAuthenticationException.class);
    }

    @Test
    void aJdbcConnectionWithoutOrWithWrongCredentialsIsRefused() {
        String url = "jdbc:ignite:thin://" + grid.thinClientAddress();
        assertThatThrownBy(() -> DriverManager.getConnection(url).close()).isInstanceOf(SQLException.class)
                .hasMessageContaining("AUTHENTICATION_FAILED");
        assertThatThrownBy(() -> DriverManager.getConnection(url, "operator", "not-the-key").close()).isInstanceOf(SQLException.class)
                .hasMessageContaining("AUTHENTICATION_FAILED");
    }

    // ---- a member account through Ignite's own thin client and JDBC ----

    @Test
    void aMemberHasNoCacheApiNoSqlAndNoTaskButTheGateways() throws Exception {
        String key = grid.apiKey("carol");
        Map<String, Integer> before = sizes();
        Balance carol = balanceOf("carol");
        try (IgniteClient thin = Ignition.startClient(new ClientConfiguration().setAddresses(grid.thinClientAddress())
                .setUserName("carol").setUserPassword(key))) {
            for (String name : caches) {
                ClientCache<Object, Object> c = thin.cache(name);
                assertThinRefused(() -> c.get("carol"));
                assertThinRefused(() -> c.put("carol", "x"));
                assertThinRefusedInItsJob(c::clear);
                assertThinRefused(() -> c.remove("carol"));
            }
            assertThinRefused(() -> thin.query(new SqlFieldsQuery("UPDATE PTORRENT.ACCOUNT SET BALANCE = BALANCE + 1000000000 WHERE ID = 'carol'")).getAll());
            assertThinRefused(() -> thin.query(new SqlFieldsQuery("DELETE FROM PTORRENT.LEDGER")).getAll());
            assertThinRefused(() -> thin.query(new SqlFieldsQuery("SELECT BALANCE FROM PTORRENT.ACCOUNT WHERE ID = 'alice'")).getAll());
            // A task that is not a gateway task: one of ptorrent's own, and one of Ignite's.
            assertThinRefused(() -> thin.compute().execute("io.ptorrent.plugin.OneNodeTask", null));
            assertThinRefused(() -> thin.compute().execute("org.apache.ignite.internal.visor.cache.VisorCacheStopTask", null));
            // The gateway answers.
            BalanceResult own = WireJson.read(thin.compute().<String, String>execute(GatewayTasks.BALANCE, WireJson.write(new BalanceRequest(null))), BalanceResult.class);
            assertThat(own.error()).isNull();
            assertThat(own.account()).isEqualTo("carol");
        }
        assertThat(sizes()).isEqualTo(before);
        assertThat(balanceOf("carol")).isEqualTo(carol);
    }

    @Test
    void anAccountCannotReadOrChargeAnotherAccount() throws Exception {
        Balance dan = balanceOf("dan");
        Map<String, Integer> before = sizes();
        try (PtorrentClient carol = PtorrentClient.connect(grid.clientOptions("carol"))) {
            assertThatThrownBy(() -> carol.balance("dan"))
                    .isInstanceOfSatisfying(PtorrentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_AUTHORIZED));
        }
        try (IgniteClient thin = Ignition.startClient(new ClientConfiguration().setAddresses(grid.thinClientAddress())
                .setUserName("carol").setUserPassword(grid.apiKey("carol")))) {
            // A task start that names dan as the payer: refused before anything is held.
            TaskStatusResult r = WireJson.read(thin.compute().<String, String>execute(GatewayTasks.TASK_START,
                    WireJson.write(new TaskStartRequest("dan", "x.Y", "00", List.of(new byte[] {1}), 0, 0))), TaskStatusResult.class);
            assertThat(r.error()).isNotNull();
            assertThat(r.error().code()).isEqualTo(ErrorCode.NOT_AUTHORIZED.name());
        }
        try (PtorrentClient carol = PtorrentClient.connect(grid.clientOptions("carol").account("dan"))) {
            assertThatThrownBy(() -> carol.balance())
                    .isInstanceOfSatisfying(PtorrentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_AUTHORIZED));
        }
        assertThat(balanceOf("dan")).isEqualTo(dan);
        assertThat(sizes()).isEqualTo(before);
    }

    @Test
    void anOperatorReadsWithSqlButWritesNothing() throws Exception {
        String key = grid.apiKey(Identities.OPERATOR_ACCOUNT);
        Map<String, Integer> before = sizes();
        Balance carol = balanceOf("carol");
        String url = "jdbc:ignite:thin://" + grid.thinClientAddress();
        try (Connection jdbc = DriverManager.getConnection(url, Identities.OPERATOR_ACCOUNT, key);
             Statement st = jdbc.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM PTORRENT.ACCOUNT")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isPositive();
            }
            assertThatThrownBy(() -> st.executeUpdate("UPDATE PTORRENT.ACCOUNT SET BALANCE = BALANCE + 777000 WHERE ID = 'carol'"))
                    .hasMessageContaining("NOT_AUTHORIZED");
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM PTORRENT.LEDGER")).hasMessageContaining("NOT_AUTHORIZED");
        }
        assertThat(sizes()).isEqualTo(before);
        assertThat(balanceOf("carol")).isEqualTo(carol);
    }

    // ---- the starter grant is policy ----

    @Test
    void anOperatorCreatedAccountGetsTheStarterGrantASelfRegisteredOneNoneAndOnlyAnOperatorGrants() throws Exception {
        try (PtorrentClient operator = PtorrentClient.connect(grid.clientOptions(Identities.OPERATOR_ACCOUNT))) {
            operator.createAccount("gus", "member", null, true);
            assertThat(balanceOf("gus").balance()).isEqualTo(STARTER);

            grid.identities().createAccount("selfie", AccountRole.MEMBER, null, "self");
            java.nio.file.Path token = java.nio.file.Files.writeString(java.nio.file.Files.createTempFile("selfie", ".join-token"),
                    grid.identities().issue("selfie", CredentialKind.JOIN).token());
            grid.startContributor("selfie-node", c -> c.setSharedCores(1).setAccount("selfie").setJoinTokenFile(token.toString()));
            try {
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).ignoreExceptions()
                        .until(() -> PtorrentPlugin.of(harbor).credit().account("selfie") != null);
                assertThat(balanceOf("selfie").balance()).isZero();

                try (PtorrentClient carol = PtorrentClient.connect(grid.clientOptions("carol"))) {
                    assertThatThrownBy(() -> carol.grant("carol", 1_000, "self-help"))
                            .isInstanceOfSatisfying(PtorrentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_AUTHORIZED));
                }
                assertThat(operator.grant("selfie", 5_000, "welcome-selfie").balance()).isEqualTo(5_000);
                assertThat(operator.grant("selfie", 5_000, "welcome-selfie").balance()).as("the same key moves nothing more").isEqualTo(5_000);
            } finally {
                grid.stop("selfie-node");
            }
        }
    }

    // ---- a contributor node through Ignite's own API ----

    @Test
    void aContributorNodeHasNoCacheRightsOnAnyPtorrentCache() {
        // Two layers, and the first to see an attempt refuses it: the contributor's own security processor refuses what
        // Ignite checks on the node that starts it (a task, SQL, an operation on a cache proxy it holds), and the harbor's
        // firewall refuses every message a contributor has no reason to send (a proxy of a ptorrent cache starts with one)
        // and fails the node out of the grid. FirewallIT runs each attack with the contributor's own checks switched off.
        Map<String, Integer> before = sizes();
        Balance aliceBalance = balanceOf("alice");
        // One attempt of each kind, each on another cache: every attempt costs a node.
        attempt("mallet-get", m -> m.cache("ptorrent-ledger").get(1L));
        attempt("mallet-put", m -> m.cache("ptorrent-accounts").put("alice", "x"));
        attempt("mallet-clear", m -> m.cache("ptorrent-holds").clear());
        attempt("mallet-sql", m -> m.cache("ptorrent-accounts").query(
                new SqlFieldsQuery("UPDATE PTORRENT.ACCOUNT SET BALANCE = BALANCE + 777000 WHERE ID = 'alice'")).getAll());
        attempt("mallet-identities", m -> m.cache("ptorrent-identities").get("alice"));
        attempt("mallet-task", m -> m.compute(m.cluster().forServers()).call(() -> 42));
        assertThat(sizes()).isEqualTo(before);
        assertThat(balanceOf("alice")).isEqualTo(aliceBalance);
        assertThat(harbor.cluster().node(alice.cluster().localNode().id())).as("the honest contributor stays").isNotNull();
    }

    private static long refusals() {
        return PtorrentPlugin.of(harbor).firewall().refusedByKind().values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * A contributor of its own (the harbor fails a node at its first refused message) tries {@code op}: it is refused on
     * the node (NOT_AUTHORIZED), or the harbor fails the node out of the grid before anything happens.
     */
    private static void attempt(String node, java.util.function.Consumer<Ignite> op) {
        Ignite m = grid.startContributor(node, c -> c.setSharedCores(0), cfg -> {
            // A refused reconnect would halt the test's JVM: the failed node just stops.
            ((org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi) cfg.getDiscoverySpi()).setClientReconnectDisabled(true);
            cfg.setFailureHandler(new org.apache.ignite.failure.StopNodeFailureHandler());
        });
        java.util.UUID id = m.cluster().localNode().id();
        long refusedBefore = refusals();
        try {
            // What the call itself returns says nothing once the harbor has failed the node (a proxy's get may end empty-handed).
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> op.accept(m));
            String trace = thrown == null ? "" : org.apache.ignite.internal.util.typedef.X.getFullStackTrace(thrown);
            if (!trace.contains("NOT_AUTHORIZED")) {
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> harbor.cluster().node(id) == null);
                assertThat(refusals()).as("the harbor's firewall refused what " + node + " sent").isGreaterThan(refusedBefore);
            }
        } finally {
            grid.stop(node);
        }
    }

    /**
     * Ignite's thin-client protocol answers any SecurityException with its own status and words ("User is not
     * authorized to perform this operation"): ptorrent's NOT_AUTHORIZED message stays in the harbor's log. A cache's
     * clear() runs as a job on the servers, which the same check stops there ("Remote job threw exception").
     */
    private static void assertThinRefused(ThrowingRunnable op) {
        // Compute wraps it in a ClientException; the cache API throws it as it is.
        assertThatThrownBy(op::run).hasStackTraceContaining(ClientAuthorizationException.class.getName());
    }

    private static void assertThinRefusedInItsJob(ThrowingRunnable op) {
        assertThatThrownBy(op::run).isInstanceOf(org.apache.ignite.client.ClientException.class).hasMessageContaining("Remote job threw exception");
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Entries per ptorrent cache; not the identities, which the tests' own credentials change. */
    private static Map<String, Integer> sizes() {
        Map<String, Integer> m = new TreeMap<>();
        for (String name : caches) {
            if (name.equals("ptorrent-identities")) {
                continue;
            }
            m.put(name, harbor.cache(name).size());
        }
        return m;
    }

    private static Balance balanceOf(String account) {
        var a = PtorrentPlugin.of(harbor).credit().account(account);
        return new Balance(a.id(), a.balance(), a.held(), a.earned(), a.spent(), a.tier().name());
    }

    private static String readJoinToken(String account) {
        try {
            return java.nio.file.Files.readString(grid.joinTokenFile("probe", account)).strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
