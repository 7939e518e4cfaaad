package io.ptorrent.console;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.credit.ratio.Forecast;
import io.ptorrent.plugin.Estimate;
import io.ptorrent.plugin.GridSnapshot;
import io.ptorrent.plugin.admission.ShareRulesRemote;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
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
    private static final int DEFAULT_PAGE_SIZE = 50;

    private final GridSource source;
    private final String harbor;
    private final Clock clock;
    private final RulesGate rules;
    private final String operatorToken;
    private final CreditSource credit;
    private final ApiKeys keys;

    /** Where a request's authenticated caller is kept between the authentication handler and the route's. */
    private static final String CALLER = "ptorrent.caller";
    /** ErrorCode.AUTHENTICATION_FAILED's hint names the thin client's ways; this says the console's. */
    private static final String HOW_TO_GET_A_KEY = "send 'Authorization: Bearer <api key>'; an account's API key comes from"
            + " 'bin/ptorrent account key create' as that account, an account from the harbor's operator";

    private ConsoleRoutes(GridSource source, String harbor, Clock clock, RulesGate rules, String operatorToken, CreditSource credit, ApiKeys keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.credit = Objects.requireNonNull(credit, "credit");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.operatorToken = operatorToken;
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
        return create(vertx, source, harbor, clock, RulesGate.NONE, null);
    }

    /**
     * @param rules         how a contributor's rules are changed
     * @param operatorToken the harbor operator's bearer token, or null for none
     */
    static Router create(Vertx vertx, GridSource source, String harbor, Clock clock, RulesGate rules, String operatorToken) {
        return create(vertx, source, harbor, clock, rules, operatorToken, CreditSource.NONE);
    }

    /** @param credit where accounts and ledgers are read */
    static Router create(Vertx vertx, GridSource source, String harbor, Clock clock, RulesGate rules, String operatorToken, CreditSource credit) {
        return create(vertx, source, harbor, clock, rules, operatorToken, credit, ApiKeys.NONE);
    }

    /** @param keys how a bearer API key is checked; every route but the public read-only views needs one */
    static Router create(Vertx vertx, GridSource source, String harbor, Clock clock, RulesGate rules, String operatorToken, CreditSource credit,
                         ApiKeys keys) {
        ConsoleRoutes r = new ConsoleRoutes(source, harbor, clock, rules, operatorToken, credit, keys);
        Router router = Router.router(vertx);
        // First, so that no protected route runs unauthenticated; the public read-only views (what the page shows) pass.
        router.route("/api/*").handler(r::authenticate);
        router.get("/api/grid").handler(ctx -> r.withSnapshot(ctx, s -> ConsoleJson.grid(s, r.harbor, r.clock.instant())));
        router.get("/api/nodes").handler(ctx -> r.withSnapshot(ctx, ConsoleJson::nodes));
        router.get("/api/estimate").handler(r::estimate);
        router.get("/api/market").handler(r::market);
        router.get("/api/accounts/:id").handler(r::account);
        router.get("/api/accounts/:id/ledger").handler(r::ledger);
        router.put("/api/nodes/:id/rules").handler(BodyHandler.create().setBodyLimit(64 * 1024)).handler(r::putRules);
        // GET only, so that any other method on a page path is a 405 rather than a silent 404.
        // Caching is off: the assets are tiny, and a stale script after an upgrade would read a newer API wrongly.
        router.get("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false).setDirectoryListing(false));
        router.errorHandler(404, ctx -> sendError(ctx, 404, ErrorCode.NOT_FOUND,
                "nothing at " + ctx.request().path() + (isApi(ctx) ? "; the API has GET /api/grid, GET /api/nodes, GET /api/estimate?workPu=N,"
                + " GET /api/accounts/{id} and GET /api/accounts/{id}/ledger?page=&size=" : "")));
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

    /** {@code GET /api/market}: the price of a PU-second and the forecast it comes from, with the forecast's measured error. */
    private void market(RoutingContext ctx) {
        Forecast f;
        try {
            f = credit.market();
        } catch (IllegalStateException e) {
            sendError(ctx, 503, ErrorCode.NOT_READY, "the harbor is not ready: " + e.getMessage());
            return;
        }
        if (f == null) {
            sendError(ctx, 404, ErrorCode.NOT_FOUND, "this console has no ratio engine (it is not inside a harbor)");
            return;
        }
        send(ctx, 200, ConsoleJson.market(f).encode());
    }

    /** {@code GET /api/accounts/{id}}: the account's credit (a ledger read, off the event loop). */
    private void account(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        if (!mayRead(ctx, id)) {
            return;
        }
        withCredit(ctx, c -> ConsoleJson.account(c.account(id), credit.standing(id)));
    }

    /** {@code GET /api/accounts/{id}/ledger?page=0&size=50}: the account's transfers, newest first, one page. */
    private void ledger(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        if (!mayRead(ctx, id)) {
            return;
        }
        int page;
        int size;
        try {
            page = intParam(ctx, "page", 0);
            size = intParam(ctx, "size", DEFAULT_PAGE_SIZE);
        } catch (PtorrentException e) {
            sendError(ctx, 400, e.code(), e.getMessage());
            return;
        }
        withCredit(ctx, c -> ConsoleJson.ledger(id, page, size, c.ledger(id, page, size)));
    }

    /**
     * Whether a request needs no credentials: all but the accounts and the rules routes. The public ones are what the
     * page shows to anyone (the grid, its nodes, the market and estimates); any other path answers 404 or 405 alike
     * with or without a key (the API's paths are documented, so a 404 tells nothing). A new protected route must be
     * named here.
     */
    private static boolean isPublic(RoutingContext ctx) {
        String path = ctx.request().path();
        return !(path.startsWith("/api/accounts/") || (path.startsWith("/api/nodes/") && path.endsWith("/rules")));
    }

    /**
     * Every {@code /api} request but the public ones: a bearer API key checked against the harbor's identities.
     * A node's owner token is no API key, so {@code PUT /api/nodes/{id}/rules} takes either (it judges which itself).
     * A key in the query string is refused: headers only (a URL ends up in logs and histories).
     */
    private void authenticate(RoutingContext ctx) {
        if (isPublic(ctx)) {
            ctx.next();
            return;
        }
        if (ctx.request().getParam("access_token") != null || ctx.request().getParam("token") != null || ctx.request().getParam("key") != null) {
            sendError(ctx, 400, ErrorCode.BAD_REQUEST, "credentials go in the Authorization header, never in the URL; " + HOW_TO_GET_A_KEY);
            return;
        }
        String token = bearer(ctx);
        java.util.Optional<io.ptorrent.plugin.security.Caller> caller;
        try {
            caller = token == null ? java.util.Optional.empty() : keys.authenticate(token);
        } catch (IllegalStateException e) {
            sendError(ctx, 503, ErrorCode.NOT_READY, "the harbor cannot check credentials yet: " + e.getMessage());
            return;
        }
        if (caller.isPresent()) {
            ctx.put(CALLER, caller.get());
            ctx.next();
        } else if (token != null && ctx.request().method() == io.vertx.core.http.HttpMethod.PUT && ctx.request().path().endsWith("/rules")) {
            ctx.next(); // perhaps a node's owner token: putRules decides
        } else {
            unauthenticated(ctx);
        }
    }

    private static void unauthenticated(RoutingContext ctx) {
        // One answer for a missing, wrong or revoked key: the caller learns nothing about which.
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"ptorrent\"");
        sendError(ctx, 401, ErrorCode.AUTHENTICATION_FAILED, "this needs an account's API key: " + HOW_TO_GET_A_KEY);
    }

    private static String bearer(RoutingContext ctx) {
        String auth = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String t = auth.substring(7).trim();
        return t.isEmpty() ? null : t;
    }

    /**
     * Whether the authenticated caller may read account {@code id}: itself or an operator. Refused otherwise with the
     * same answer whether {@code id} exists or not.
     */
    private static boolean mayRead(RoutingContext ctx, String id) {
        io.ptorrent.plugin.security.Caller c = ctx.get(CALLER);
        if (c != null && c.mayAccess(id)) {
            return true;
        }
        sendError(ctx, 403, ErrorCode.NOT_AUTHORIZED, "you are authenticated as account '" + (c == null ? "?" : c.account())
                + "' and may read only that account's credit and ledger (an operator reads every account)");
        return false;
    }

    /** Runs a ledger read on a worker thread and answers its JSON, or its error with a fitting status. */
    private void withCredit(RoutingContext ctx, Function<io.ptorrent.credit.CreditSpi, Object> read) {
        ctx.vertx().executeBlocking(() -> Json.encode(read.apply(credit.credit()))).onComplete(ar -> {
            if (ar.succeeded()) {
                send(ctx, 200, ar.result());
                return;
            }
            Throwable e = ar.cause();
            if (e instanceof IllegalStateException) {
                sendError(ctx, 503, ErrorCode.NOT_READY, "the harbor cannot read the ledger yet: " + e.getMessage());
            } else if (e instanceof PtorrentException p) {
                int status = switch (p.code()) {
                    case UNKNOWN_ACCOUNT, NOT_FOUND -> 404;
                    case BAD_REQUEST -> 400;
                    case NOT_READY -> 503;
                    default -> 500;
                };
                sendError(ctx, status, p.code(), p.getMessage());
            } else {
                ctx.fail(e);
            }
        });
    }

    private static int intParam(RoutingContext ctx, String name, int dflt) {
        String v = ctx.request().getParam(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, name + " must be a whole number, was '" + v + "'");
        }
    }

    /**
     * {@code PUT /api/nodes/{id}/rules}: the node's owner (its ownerToken) or the harbor's operator
     * (operatorToken) replaces the node's share rules; the node validates them and they take effect at once.
     */
    private void putRules(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        String token = bearer(ctx);
        if (token == null) {
            unauthenticated(ctx);
            return;
        }
        io.ptorrent.plugin.security.Caller caller = ctx.get(CALLER);
        String ownerHash = rules.ownerTokenSha256(id);
        boolean operator = (caller != null && caller.kind() == io.ptorrent.plugin.security.Caller.Kind.OPERATOR)
                || (operatorToken != null && same(token, operatorToken));
        boolean owner = ownerHash != null && same(ShareRulesRemote.sha256(token), ownerHash);
        if (!operator && !owner) {
            if (caller == null) {
                unauthenticated(ctx);
            } else {
                sendError(ctx, 403, ErrorCode.NOT_AUTHORIZED, "account '" + caller.account() + "' may not change the rules of node " + id
                        + "; the node's owner token or an operator's API key may");
            }
            return;
        }
        io.vertx.core.Context context = ctx.vertx().getOrCreateContext();
        rules.apply(id, ctx.body().asString()).whenComplete((json, error) -> context.runOnContext(v -> {
            if (error == null) {
                send(ctx, 200, json);
                return;
            }
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
            PtorrentException p = cause instanceof PtorrentException pe ? pe : new PtorrentException(ErrorCode.INTERNAL, String.valueOf(cause), cause);
            int status = switch (p.code()) {
                case CONFIG_INVALID, BAD_REQUEST -> 400;
                case NOT_FOUND -> 404;
                case NOT_READY -> 503;
                default -> 500;
            };
            sendError(ctx, status, p.code(), p.getMessage());
        }));
    }

    /** Compares secrets in constant time. */
    private static boolean same(String a, String b) {
        return java.security.MessageDigest.isEqual(a.getBytes(java.nio.charset.StandardCharsets.UTF_8), b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
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
