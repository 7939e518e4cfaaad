package io.ptorrent.console;

import io.ptorrent.plugin.testing.TestGrid;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The console inside a real harbor, with real contributors joining and leaving. */
class ConsoleIT {
    private static final int BASE_PORT = 49500;
    private static final int CONSOLE_PORT = BASE_PORT + 300;

    private static TestGrid grid;
    private static ConsoleHttp http;

    @BeforeAll
    static void startHarbor() {
        grid = new TestGrid(BASE_PORT);
        grid.startHarbor("h1", false, c -> c.setHarborName("home").setConsolePort(CONSOLE_PORT));
        http = new ConsoleHttp(CONSOLE_PORT);
    }

    @AfterAll
    static void stopGrid() {
        if (grid != null) {
            grid.close();
        }
    }

    @Test
    void theCountsFollowContributorsJoiningAndLeaving() {
        assertThat(ConsolePlugin.of(grid.node("h1")).port()).isEqualTo(CONSOLE_PORT);
        awaitGrid(1, 0);
        JsonObject alone = http.object("/api/grid");
        assertThat(alone.getString("harbor")).isEqualTo("home");
        assertThat(alone.getDouble("capacityPu")).isZero();
        assertThat(alone.getString("updated")).isNotBlank();

        grid.startContributor("alice", c -> c.setHarborName("home").setSharedCores(1));
        grid.startContributor("bob", c -> c.setHarborName("home").setSharedCores(1));
        awaitGrid(1, 2);
        // The harbor measures each contributor's speed when it joins (a speed probe on one of its cores, which is
        // not free meanwhile): until then a node has no PU the grid counts.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonArray all = http.array("/api/nodes");
            for (int i = 1; i < all.size(); i++) {
                assertThat(all.getJsonObject(i).getDouble("puPerCore")).isPositive();
            }
        });
        JsonObject two = http.object("/api/grid");
        assertThat(two.getDouble("capacityPu")).isPositive();
        assertThat(two.getDouble("freePu")).isEqualTo(two.getDouble("capacityPu"));
        assertThat(two.getInteger("queuedFragments")).isZero();
        assertThat(two.getInteger("runningFragments")).isZero();

        JsonArray nodes = http.array("/api/nodes");
        JsonObject harbor = nodes.getJsonObject(0);
        assertThat(harbor.getString("role")).isEqualTo("harbor");
        assertThat(harbor.getString("name")).isEqualTo("h1");
        assertThat(harbor.getInteger("sharedCores")).isZero();
        JsonObject alice = nodes.getJsonObject(1);
        assertThat(alice.getString("name")).isEqualTo("alice");
        assertThat(alice.getString("role")).isEqualTo("contributor");
        assertThat(alice.getString("harbor")).isEqualTo("home");
        assertThat(alice.getString("id")).isEqualTo(grid.node("alice").cluster().localNode().id().toString());
        assertThat(alice.getInteger("cores")).isPositive();
        assertThat(alice.getInteger("sharedCores")).isEqualTo(1);
        assertThat(alice.getDouble("puPerCore")).isPositive();
        assertThat(alice.getDouble("puScore")).isPositive();
        assertThat(alice.getDouble("claimedPuPerCore")).isPositive();
        assertThat(alice.getInteger("runningFragments")).isZero();

        grid.stop("alice");
        awaitGrid(1, 1);
        assertThat(names(http.array("/api/nodes"))).containsExactly("h1", "bob");

        grid.stop("bob");
        awaitGrid(1, 0);
    }

    @Test
    void errorsHaveTheApiFormat() {
        HttpResponse<String> notFound = http.get("/api/nope");
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(notFound.body()).getJsonObject("error").getString("code")).isEqualTo("NOT_FOUND");

        HttpResponse<String> post = http.send("POST", "/api/grid");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(new JsonObject(post.body()).getJsonObject("error").getString("code")).isEqualTo("BAD_REQUEST");
        assertThat(post.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void theRootServesThePage() {
        HttpResponse<String> page = http.get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(page.body()).contains("<table id=\"nodes\"");
    }

    private static void awaitGrid(long harbors, long contributors) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonObject g = http.object("/api/grid");
            assertThat(g.getLong("harbors")).isEqualTo(harbors);
            assertThat(g.getLong("contributors")).isEqualTo(contributors);
            assertThat(http.array("/api/nodes")).hasSize((int) (harbors + contributors));
        });
    }

    private static List<String> names(JsonArray nodes) {
        return nodes.stream().map(n -> ((JsonObject) n).getString("name")).toList();
    }
}
