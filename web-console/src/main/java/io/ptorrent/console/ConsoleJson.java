package io.ptorrent.console;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.credit.Account;
import io.ptorrent.credit.Transfer;
import io.ptorrent.credit.ratio.Forecast;
import io.ptorrent.credit.ratio.ForecastError;
import io.ptorrent.plugin.Estimate;
import io.ptorrent.plugin.GridSnapshot;
import io.ptorrent.plugin.GridSnapshot.NodeInfo;
import io.ptorrent.plugin.scheduler.FragmentScheduler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;

/**
 * Every JSON shape of the console's REST API, in one place so that the API, its tests and the page's
 * script agree on field names. Field names are part of the API: add, never rename.
 */
final class ConsoleJson {
    private ConsoleJson() {
    }

    /** {@code GET /api/grid}: totals of the grid as {@code harbor} sees it at {@code updated}. */
    static JsonObject grid(GridSnapshot s, String harbor, Instant updated) {
        return new JsonObject()
                .put("harbor", harbor)
                .put("harbors", s.harbors())
                .put("contributors", s.contributors())
                .put("capacityPu", pu(s.capacityPu()))
                .put("freePu", pu(s.freePu()))
                .put("queuedFragments", s.queuedFragments())
                .put("runningFragments", s.runningFragments())
                .put("perHarbor", perHarbor(s))
                .put("updated", updated.toString());
    }

    private static JsonArray perHarbor(GridSnapshot s) {
        JsonArray a = new JsonArray();
        for (GridSnapshot.HarborCapacity h : s.perHarbor()) {
            a.add(new JsonObject()
                    .put("harbor", h.harbor())
                    .put("contributors", h.contributors())
                    .put("capacityPu", pu(h.capacityPu()))
                    .put("freePu", pu(h.freePu())));
        }
        return a;
    }

    /** {@code GET /api/estimate}: times in seconds, cost in credits (PU-seconds at the price). */
    static JsonObject estimate(Estimate e) {
        return new JsonObject()
                .put("workPu", e.workPu())
                .put("capacityPu", pu(e.capacityPu()))
                .put("freePu", pu(e.freePu()))
                .put("waitSeconds", pu(e.waitSeconds()))
                .put("runSeconds", pu(e.runSeconds()))
                .put("costCredits", pu(e.costCredits()))
                .put("pricePerPuSecond", e.pricePerPuSecond());
    }

    /**
     * {@code GET /api/nodes}: one object per ptorrent node, in the snapshot's order (harbors first);
     * {@code puPerCore} and {@code puScore} are what the harbor measured (0 for a contributor not measured
     * yet, which takes no paid work until it is), {@code claimedPuPerCore} what the node's own benchmark says.
     */
    static JsonArray nodes(GridSnapshot s) {
        JsonArray a = new JsonArray();
        for (NodeInfo n : s.nodes()) {
            a.add(new JsonObject()
                    .put("id", n.id())
                    .put("name", n.name())
                    .put("role", n.role().id())
                    .put("harbor", n.harbor())
                    .put("cores", n.cores())
                    .put("sharedCores", n.sharedCores())
                    .put("puPerCore", pu(n.puPerCore()))
                    .put("puScore", pu(n.puScore()))
                    .put("runningFragments", n.runningFragments())
                    .put("claimedPuPerCore", pu(n.claimedPuPerCore())));
        }
        return a;
    }

    /**
     * {@code GET /api/accounts/{id}}: amounts in milli-PU-seconds (1,000 per credit); {@code entitlement} is the
     * share of the grid the account would get under contention if it submitted now (0..1), {@code weight} what
     * that share comes from (decayed contribution plus balance at the price), {@code price} the credits a
     * PU-second costs now; the three are null on a harbor without a scheduler.
     */
    static JsonObject account(Account a, FragmentScheduler.Standing standing) {
        JsonObject json = new JsonObject()
                .put("id", a.id())
                .put("displayName", a.displayName())
                .put("tier", a.tier().name())
                .put("created", a.created().toString())
                .put("unit", "milli-PU-s")
                .put("balance", a.balance())
                .put("held", a.held())
                .put("earned", a.earned())
                .put("spent", a.spent());
        if (standing == null) {
            return json.putNull("entitlement").putNull("weight").putNull("price");
        }
        return json.put("entitlement", round(standing.entitlement())).put("weight", round(standing.weight())).put("price", round(standing.price()));
    }

    /**
     * {@code GET /api/market}: {@code price} (credits per PU-second), the next interval's forecast {@code supplyPu}
     * and {@code demandPu} with what made each ({@code MODEL}: Ignite ML; {@code NAIVE}: the last value), and each
     * forecast's error against the naive one, on held-out history and live; unknown numbers are null.
     */
    static JsonObject market(Forecast f) {
        return new JsonObject()
                .put("at", f.at().toString())
                .put("price", number(f.price()))
                .put("trainingSamples", f.trainingSamples())
                .put("supply", series(f.supplyPu(), f.supplySource(), f.heldOutSupply(), f.liveSupply()))
                .put("demand", series(f.demandPu(), f.demandSource(), f.heldOutDemand(), f.liveDemand()));
    }

    private static JsonObject series(double forecastPu, Forecast.Source source, ForecastError heldOut, ForecastError live) {
        return new JsonObject().put("forecastPu", number(forecastPu)).put("source", source.name())
                .put("heldOut", error(heldOut)).put("live", error(live));
    }

    private static JsonObject error(ForecastError e) {
        return new JsonObject().put("points", e.points()).put("mae", number(e.mae())).put("naiveMae", number(e.naiveMae()))
                .put("mape", number(e.mape())).put("naiveMape", number(e.naiveMape())).put("skill", number(e.skill()));
    }

    /** JSON has no NaN: an unknown number is null. */
    private static Double number(double v) {
        return Double.isFinite(v) ? round(v) : null;
    }

    private static double round(double v) {
        return Math.round(v * 10_000.0) / 10_000.0;
    }

    /** {@code GET /api/accounts/{id}/ledger}: one page of the account's transfers, newest first. */
    static JsonObject ledger(String account, int page, int size, List<Transfer> transfers) {
        JsonArray entries = new JsonArray();
        for (Transfer t : transfers) {
            entries.add(new JsonObject()
                    .put("id", t.id())
                    .put("time", t.time().toString())
                    .put("kind", t.kind().name())
                    .put("from", t.from())
                    .put("to", t.to())
                    .put("amount", t.amount())
                    .put("key", t.key()));
        }
        return new JsonObject().put("account", account).put("page", page).put("size", size).put("unit", "milli-PU-s").put("entries", entries);
    }

    /** The body of every API error: {@code {"error":{"code":"…","message":"…"}}}; the message ends with what to do. */
    static JsonObject error(ErrorCode code, String message) {
        return new JsonObject().put("error", new JsonObject()
                .put("code", code.name())
                .put("message", message + " (" + code.hint() + ")"));
    }

    /** PU are measured, so digits past the third are noise; rounding keeps sums like 0.30000000000000004 off the page. */
    private static double pu(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
