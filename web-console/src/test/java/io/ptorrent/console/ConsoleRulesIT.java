package io.ptorrent.console;

import io.ptorrent.plugin.testing.TestGrid;
import io.vertx.core.json.JsonObject;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code PUT /api/nodes/{id}/rules} on a real harbor and contributors: only the node's owner or the
 * operator may change rules; good rules take effect at once and the harbor sees them; bad rules are
 * refused with the field named and change nothing.
 */
class ConsoleRulesIT {
    private static final int BASE_PORT = 49600;
    private static final int CONSOLE_PORT = BASE_PORT + 300;
    private static final String OPERATOR = "operator-secret-0123456789";
    private static final String ALICE = "alice-owner-secret-0123456789";
    private static TestGrid grid;
    private static ConsoleHttp http;
    private static String aliceId;
    private static String bobId;

    @BeforeAll
    static void start() {
        grid = new TestGrid(BASE_PORT);
        grid.startHarbor("h1", false, c -> c.setConsolePort(CONSOLE_PORT).setOperatorToken(OPERATOR));
        Ignite alice = grid.startContributor("alice", c -> c.setSharedCores(1).setOwnerToken(ALICE));
        Ignite bob = grid.startContributor("bob", 1);
        aliceId = alice.cluster().localNode().id().toString();
        bobId = bob.cluster().localNode().id().toString();
        http = new ConsoleHttp(CONSOLE_PORT);
    }

    @AfterAll
    static void stop() {
        grid.close();
    }

    private static HttpResponse<String> put(String nodeId, String token, String rules) {
        return http.send("PUT", "/api/nodes/" + nodeId + "/rules", token, rules);
    }

    @Test
    void withoutATokenOrWithAWrongOneIsA401AndAMembersKeyA403() {
        assertError(put(aliceId, null, "{\"cores\":0}"), 401, "AUTHENTICATION_FAILED");
        // Another node's owner token is, for this node, just a wrong token: the same answer as any other.
        assertError(put(bobId, ALICE, "{\"cores\":0}"), 401, "AUTHENTICATION_FAILED");
        assertError(put(aliceId, "not-the-token-at-all", "{\"cores\":0}"), 401, "AUTHENTICATION_FAILED");
        assertError(put(aliceId, grid.apiKey("mallory"), "{\"cores\":0}"), 403, "NOT_AUTHORIZED");
        HttpResponse<String> inQuery = http.send("PUT", "/api/nodes/" + aliceId + "/rules?access_token=" + ALICE, null, "{\"cores\":0}");
        assertError(inQuery, 400, "BAD_REQUEST");
        assertThat(sharedCoresOf("alice")).isEqualTo(1);
    }

    @Test
    void theOwnerChangesTheRulesAndTheHarborSeesThemAtOnceWhileBadRulesChangeNothing() {
        HttpResponse<String> ok = put(aliceId, ALICE, "{\"cores\":0,\"timeZone\":\"UTC\"}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(new JsonObject(ok.body()).getInteger("cores")).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> sharedCoresOf("alice") == 0);

        HttpResponse<String> bad = put(aliceId, ALICE, "{\"cores\":1,\"windows\":[\"Mon-Fry\"]}");
        assertError(bad, 400, "CONFIG_INVALID");
        assertThat(new JsonObject(bad.body()).getJsonObject("error").getString("message")).contains("windows");
        assertThat(sharedCoresOf("alice")).isZero();

        assertThat(put(aliceId, ALICE, "{\"cores\":1,\"timeZone\":\"UTC\"}").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> sharedCoresOf("alice") == 1);
    }

    @Test
    void theOperatorMayChangeAnyNodeAndAnUnknownNodeIsA404() {
        assertThat(put(bobId, OPERATOR, "{\"cores\":1,\"timeZone\":\"UTC\"}").statusCode()).isEqualTo(200);
        assertThat(put(bobId, grid.apiKey("operator"), "{\"cores\":1,\"timeZone\":\"UTC\"}").statusCode()).isEqualTo(200);
        assertError(put("3f1e2d4c-0000-4000-8000-000000000000", OPERATOR, "{\"cores\":1}"), 404, "NOT_FOUND");
    }

    private static int sharedCoresOf(String name) {
        for (Object o : http.array("/api/nodes")) {
            JsonObject n = (JsonObject) o;
            if (name.equals(n.getString("name"))) {
                return n.getInteger("sharedCores");
            }
        }
        return -1;
    }

    private static void assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(new JsonObject(r.body()).getJsonObject("error").getString("code")).isEqualTo(code);
    }
}
