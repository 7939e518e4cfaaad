package io.ptorrent.console;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.plugin.Estimate;
import io.ptorrent.plugin.GridSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

import java.time.Clock;
import java.util.Objects;
import java.util.function.Function;

/**
 * The console's routes: the REST API under {@code /api} and the page's static assets from the classpath's
 * {@code webroot/}.
 *
 * <p>Design note: every handler runs on the Vert.x event loop and only reads an in-memory snapshot, so
 * none blocks. Errors of every kind (404, 405, 500, 503) leave through {@link #sendError}, so the API
 * always answers {@code {"error":{"code","message"}}}; a handler that throws is logged and answered 500
 * {@code INTERNAL} while the server keeps serving.
 */
final class ConsoleRoutes {
    private static final System.Logger LOG = System.getLogger(ConsoleRoutes.class.getName());
    private static final String API = "/api/";

    private final GridSource source;
    private final String harbor;
    private final Clock clock;

    private ConsoleRoutes(GridSource source, String harbor, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.harbor = Objects.requireNonNull(harbor, "harbor");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The router of one console.
     *
     * @param source where the grid is read, per request
     * @param harbor this harbor's name, reported in {@code /api/grid}
     * @param clock  stamps {@code updated} in {@code /api/grid}
     */
    static Router create(Vertx vertx, GridSource source, String harbor, Clock clock) {
        ConsoleRoutes r = new ConsoleRoutes(source, harbor, clock);
        Router router = Router.router(vertx);
        router.get("/api/grid").handler(ctx -> r.withSnapshot(ctx, s -> ConsoleJson.grid(s, r.harbor, r.clock.instant())));
        router.get("/api/nodes").handler(ctx -> r.withSnapshot(ctx, ConsoleJson::nodes));
        router.get("/api/estimate").handler(r::estimate);
        // GET only, so that any other method on a page path is a 405 rather than a silent 404.
        // Caching is off: the assets are tiny, and a stale script after an upgrade would read a newer API wrongly.
        router.get("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false).setDirectoryListing(false));
        router.errorHandler(404, ctx -> sendError(ctx, 404, ErrorCode.NOT_FOUND,
                "nothing at " + ctx.request().path() + (isApi(ctx) ? "; the API has GET /api/grid, GET /api/nodes and GET /api/estimate?workPu=N" : "")));
        router.errorHandler(405, ctx -> {
            ctx.response().putHeader(HttpHeaders.ALLOW, "GET");
            sendError(ctx, 405, ErrorCode.BAD_REQUEST, ctx.request().method() + " is not allowed on " + ctx.request().path() + "; use GET");
        });
        router.errorHandler(500, ctx -> {
            LOG.log(System.Logger.Level.ERROR, "console request " + ctx.request().method() + " " + ctx.request().path() + " failed", ctx.failure());
            sendError(ctx, 500, ErrorCode.INTERNAL, "the console failed to answer " + ctx.request().path()
                    + (ctx.failure() == null ? "" : ": " + ctx.failure()));
        });
        return router;
    }

    private void withSnapshot(RoutingContext ctx, Function<GridSnapshot, ?> body) {
        GridSnapshot s;
        try {
            s = source.snapshot();
        } catch (IllegalStateException e) {
            // The plugins start in no fixed order, and the scheduler exists only once ptorrent's own
            // onIgniteStart ran: until then (and while stopping) the harbor is not ready, which is no bug.
            sendError(ctx, 503, ErrorCode.NOT_READY, "the harbor cannot report the grid yet: " + e.getMessage());
            return;
        }
        Object answer;
        try {
            answer = body.apply(s);
        } catch (PtorrentException e) {
            // What the grid cannot answer now (no capacity) is a 503; anything else the caller asked wrongly.
            sendError(ctx, e.code() == ErrorCode.NO_CONTRIBUTORS ? 503 : 400, e.code(), e.getMessage());
            return;
        }
        send(ctx, 200, Json.encode(answer));
    }

    /** {@code GET /api/estimate?workPu=N}: wait, run time and cost of N PU-seconds of work now. */
    private void estimate(RoutingContext ctx) {
        String given = ctx.request().getParam("workPu");
        double workPu;
        try {
            workPu = Double.parseDouble(Objects.requireNonNull(given));
        } catch (NullPointerException | NumberFormatException e) {
            sendError(ctx, 400, ErrorCode.BAD_REQUEST, given == null
                    ? "give the task's work in PU-seconds, e.g. /api/estimate?workPu=3600"
                    : "workPu must be a number of PU-seconds, was '" + given + "'");
            return;
        }
        withSnapshot(ctx, s -> ConsoleJson.estimate(Estimate.of(s, workPu)));
    }

    private static void sendError(RoutingContext ctx, int status, ErrorCode code, String message) {
        if (ctx.response().headWritten()) {
            // The failure came after the answer began: a status can no longer be sent, so cut the answer short.
            if (!ctx.response().ended()) {
                ctx.response().reset();
            }
            return;
        }
        send(ctx, status, ConsoleJson.error(code, message).encode());
    }

    private static void send(RoutingContext ctx, int status, String json) {
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                // The grid changes every second: neither browsers nor proxies may keep an answer.
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(json);
    }

    private static boolean isApi(RoutingContext ctx) {
        return ctx.request().path().startsWith(API);
    }
}
