package io.ptorrent.console;

import io.ptorrent.credit.CreditConfiguration;
import io.ptorrent.plugin.security.CredentialKind;
import io.ptorrent.plugin.security.IssuedCredential;
import io.ptorrent.plugin.testing.TestGrid;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's API authenticates with the harbor's API keys, and an account reads only its own credit and ledger. */
class ConsoleAuthIT {
    private static final int BASE_PORT = 53500;
    private static final int CONSOLE_PORT = 53590;
    private static final List<String> PROTECTED = List.of("/api/accounts/erin", "/api/accounts/erin/ledger");
    private static final String WRONG = "ptk.0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    private static TestGrid grid;
    private static ConsoleHttp http;

    @BeforeAll
    static void startHarbor() {
        grid = new TestGrid(BASE_PORT, 25); // ports 53500..53574
        grid.startHarbor("h1", false, c -> c.setConsolePort(CONSOLE_PORT)
                .setCredit(new CreditConfiguration().setStarterGrant(5_000)).setOpenAccounts(List.of("erin", "frank")));
        http = new ConsoleHttp(CONSOLE_PORT);
    }

    @AfterAll
    static void stopGrid() {
        if (grid != null) {
            grid.close();
        }
    }

    @Test
    void theProtectedRoutesRefuseNoKeyAWrongKeyAndARevokedKeyAlike() {
        grid.apiKey("erin"); // creates erin's identity
        IssuedCredential revoked = grid.identities().issue("erin", CredentialKind.API_KEY);
        assertThat(http.as(revoked.token()).get("/api/accounts/erin").statusCode()).isEqualTo(200);
        grid.identities().revoke("erin", revoked.id());

        for (String path : PROTECTED) {
            for (String key : new String[]{null, WRONG, "not-even-a-key", revoked.token()}) {
                HttpResponse<String> r = http.send("GET", path, key, null);
                assertError(r, 401, "AUTHENTICATION_FAILED");
                assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
                assertThat(message(r)).contains("bin/ptorrent account key create").doesNotContain(revoked.token());
            }
        }
        HttpResponse<String> inQuery = http.get("/api/accounts/erin?access_token=" + revoked.token());
        assertError(inQuery, 400, "BAD_REQUEST");
    }

    @Test
    void anAccountReadsItsOwnButNeitherAnothersNorOneThatDoesNotExist() {
        ConsoleHttp erin = http.as(grid.apiKey("erin"));
        assertThat(erin.object("/api/accounts/erin").getString("id")).isEqualTo("erin");
        assertThat(erin.object("/api/accounts/erin/ledger").getString("account")).isEqualTo("erin");

        HttpResponse<String> other = erin.get("/api/accounts/frank");
        HttpResponse<String> nobody = erin.get("/api/accounts/nobody-at-all");
        assertError(other, 403, "NOT_AUTHORIZED");
        assertError(nobody, 403, "NOT_AUTHORIZED");
        // The same words for an existing and a missing account: the refusal tells nothing about which exists.
        assertThat(message(other)).isEqualTo(message(nobody)).contains("erin");
        assertError(erin.get("/api/accounts/frank/ledger"), 403, "NOT_AUTHORIZED");
    }

    @Test
    void theOperatorReadsAnyAccount() {
        ConsoleHttp operator = http.as(grid.apiKey("operator"));
        assertThat(operator.object("/api/accounts/frank").getString("id")).isEqualTo("frank");
        assertThat(operator.object("/api/accounts/erin/ledger").getString("account")).isEqualTo("erin");
    }

    @Test
    void thePublicViewsAnswerWithoutAKey() {
        assertThat(http.array("/api/nodes")).isNotEmpty();
        assertThat(http.object("/api/grid").getString("harbor")).isNotNull();
        assertThat(http.get("/api/market").statusCode()).isEqualTo(200);
        assertThat(http.get("/api/estimate?workPu=10").statusCode()).isIn(200, 503);
        assertThat(http.get("/").statusCode()).isEqualTo(200);
    }

    private static String message(HttpResponse<String> r) {
        return new JsonObject(r.body()).getJsonObject("error").getString("message");
    }

    private static void assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(new JsonObject(r.body()).getJsonObject("error").getString("code")).isEqualTo(code);
    }
}
