package io.ptorrent.console;

import io.ptorrent.plugin.Estimate;
import io.ptorrent.plugin.GridSnapshot;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The routes on a real HTTP server (an ephemeral port on loopback), over a grid the test sets. */
class ConsoleRoutesTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T10:15:30Z"), ZoneOffset.UTC);

    private final AtomicReference<Supplier<GridSnapshot>> grid = new AtomicReference<>(() -> ConsoleJsonTest.GRID);
    private ConsoleServer server;
    private ConsoleHttp http;

    @BeforeEach
    void start() {
        server = ConsoleServer.start("127.0.0.1", 0, () -> grid.get().get(), "home", CLOCK);
        http = new ConsoleHttp(server.port());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void gridAndNodesAnswerJson() {
        JsonObject g = http.object("/api/grid");
        assertThat(g).isEqualTo(ConsoleJson.grid(ConsoleJsonTest.GRID, "home", CLOCK.instant()));
        assertThat(http.array("/api/nodes")).isEqualTo(ConsoleJson.nodes(ConsoleJsonTest.GRID));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/grid", "/api/nodes", "/api/nope"})
    void apiAnswersAreNeverCached(String path) {
        assertThat(http.get(path).headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void anUnknownApiPathIsA404WithTheErrorFormat() {
        HttpResponse<String> r = http.get("/api/nope");

        assertThat(r.statusCode()).isEqualTo(404);
        assertError(r, "NOT_FOUND", "/api/nope");
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE"})
    void anotherMethodThanGetIsA405(String method) {
        HttpResponse<String> r = http.send(method, "/api/grid");

        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("GET");
        assertError(r, "BAD_REQUEST", method + " is not allowed on /api/grid");
    }

    @Test
    void aFailingHandlerIsA500AndTheConsoleKeepsServing() {
        grid.set(() -> {
            throw new NullPointerException("a bug");
        });
        HttpResponse<String> r = http.get("/api/grid");
        assertThat(r.statusCode()).isEqualTo(500);
        assertError(r, "INTERNAL", "a bug");

        grid.set(() -> ConsoleJsonTest.GRID);
        assertThat(http.object("/api/grid").getLong("contributors")).isEqualTo(2);
    }

    @Test
    void aHarborThatIsNotReadyIsA503() {
        grid.set(() -> {
            throw new IllegalStateException("the harbor has not finished starting");
        });
        HttpResponse<String> r = http.get("/api/nodes");

        assertThat(r.statusCode()).isEqualTo(503);
        assertError(r, "NOT_READY", "not finished starting");
    }

    @Test
    void anEstimateAnswersWaitRunAndCost() {
        JsonObject e = http.object("/api/estimate?workPu=36");

        assertThat(e).isEqualTo(ConsoleJson.estimate(Estimate.of(ConsoleJsonTest.GRID, 36)));
        assertThat(e.getDouble("costCredits")).isEqualTo(36.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/estimate", "/api/estimate?workPu=lots", "/api/estimate?workPu=-5", "/api/estimate?workPu=0", "/api/estimate?workPu=1e12"})
    void aBadEstimateRequestIsA400(String path) {
        HttpResponse<String> r = http.get(path);

        assertThat(r.statusCode()).isEqualTo(400);
        assertError(r, "BAD_REQUEST", "workPu");
    }

    @Test
    void anEstimateWithoutCapacityIsA503() {
        grid.set(() -> new GridSnapshot(List.of(), 0, 0));

        HttpResponse<String> r = http.get("/api/estimate?workPu=10");

        assertThat(r.statusCode()).isEqualTo(503);
        assertError(r, "NO_CONTRIBUTORS", "no contributor");
    }

    @Test
    void theRootServesThePage() {
        HttpResponse<String> r = http.get("/");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(r.body()).contains("<table id=\"nodes\"", "console.js");
        assertThat(http.get("/console.js").statusCode()).isEqualTo(200);
        assertThat(http.get("/console.css").statusCode()).isEqualTo(200);
    }

    private static void assertError(HttpResponse<String> r, String code, String messagePart) {
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonObject e = new JsonObject(r.body()).getJsonObject("error");
        assertThat(e.getString("code")).isEqualTo(code);
        assertThat(e.getString("message")).contains(messagePart);
    }
}
