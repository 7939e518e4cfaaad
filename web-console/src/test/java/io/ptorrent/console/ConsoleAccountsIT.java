package io.ptorrent.console;

import io.ptorrent.credit.CreditConfiguration;
import io.ptorrent.credit.CreditSpi;
import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.testing.TestGrid;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/accounts/{id}} and its ledger, read from a real harbor's ledger. */
class ConsoleAccountsIT {
    private static final int BASE_PORT = 50260;
    private static final int CONSOLE_PORT = BASE_PORT + 220;
    private static final long STARTER = 7_000;

    private static TestGrid grid;
    private static ConsoleHttp http;

    @BeforeAll
    static void startHarbor() {
        grid = new TestGrid(BASE_PORT);
        grid.startHarbor("h1", false, c -> c.setConsolePort(CONSOLE_PORT)
                .setCredit(new CreditConfiguration().setStarterGrant(STARTER)).setOpenAccounts(List.of("carol", "dave")));
        http = new ConsoleHttp(CONSOLE_PORT).as(grid.apiKey("operator")); // the operator reads every account
    }

    @AfterAll
    static void stopGrid() {
        if (grid != null) {
            grid.close();
        }
    }

    @Test
    void anAccountShowsItsCreditAndTier() {
        JsonObject carol = http.object("/api/accounts/carol");

        assertThat(carol.getString("id")).isEqualTo("carol");
        assertThat(carol.getLong("balance")).isEqualTo(STARTER);
        assertThat(carol.getLong("held")).isZero();
        assertThat(carol.getLong("earned")).isZero();
        assertThat(carol.getLong("spent")).isZero();
        assertThat(carol.getString("tier")).isEqualTo("CONTRIBUTOR");
        assertThat(carol.getString("unit")).isEqualTo("milli-PU-s");
        // Nobody else has work: carol alone would have the whole grid; her weight is her starter credit's.
        assertThat(carol.getDouble("entitlement")).isEqualTo(1.0);
        assertThat(carol.getDouble("weight")).isPositive();
        assertThat(carol.getDouble("price")).isPositive();
    }

    @Test
    void theMarketShowsThePriceAndTheForecastWithItsError() {
        PtorrentPlugin.of(grid.node("h1")).scheduler().tick();

        JsonObject market = http.object("/api/market");

        assertThat(market.getDouble("price")).isPositive();
        // One interval seen: no model yet, the forecast is the last value, and nothing has been measured.
        assertThat(market.getJsonObject("supply").getString("source")).isEqualTo("NAIVE");
        assertThat(market.getJsonObject("demand").getJsonObject("live").getInteger("points")).isZero();
        assertThat(market.getJsonObject("demand").getJsonObject("live").getValue("mae")).isNull();
    }

    @Test
    void theLedgerIsPagedNewestFirst() {
        CreditSpi ledger = PtorrentPlugin.of(grid.node("h1")).credit();
        ledger.grant("dave", 1, "console-it-1");
        ledger.grant("dave", 2, "console-it-2");

        JsonObject first = http.object("/api/accounts/dave/ledger?page=0&size=2");
        JsonArray entries = first.getJsonArray("entries");
        assertThat(entries).hasSize(2);
        JsonObject newest = entries.getJsonObject(0);
        assertThat(newest.getString("kind")).isEqualTo("GRANT");
        assertThat(newest.getString("from")).isEqualTo("grid");
        assertThat(newest.getString("to")).isEqualTo("dave");
        assertThat(newest.getLong("amount")).isEqualTo(2);
        assertThat(newest.getLong("id")).isPositive();
        assertThat(newest.getString("time")).isNotBlank();

        JsonArray second = http.object("/api/accounts/dave/ledger?page=1&size=2").getJsonArray("entries");
        assertThat(second).hasSize(1); // the starter grant
        assertThat(second.getJsonObject(0).getLong("amount")).isEqualTo(STARTER);
    }

    @Test
    void anUnknownAccountIsA404AndABadPageA400() {
        HttpResponse<String> unknown = http.get("/api/accounts/nobody");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(unknown.body()).getJsonObject("error").getString("code")).isEqualTo("UNKNOWN_ACCOUNT");

        HttpResponse<String> badPage = http.get("/api/accounts/carol/ledger?page=x");
        assertThat(badPage.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(badPage.body()).getJsonObject("error").getString("code")).isEqualTo("BAD_REQUEST");

        HttpResponse<String> hugePage = http.get("/api/accounts/carol/ledger?size=5000");
        assertThat(hugePage.statusCode()).isEqualTo(400);
    }
}
