package io.ptorrent.client.wire;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The credit fields on the wire: written, read back, and absent from an older harbor's answer. */
class WireJsonCreditTest {
    @Test
    void aSubmitResultCarriesTheCreditSpent() {
        SubmitResult r = new SubmitResult("t1", List.of(new SubmitResult.FragmentResult(0, "n", new byte[] {1}, 12)), null, 4_321);

        String json = WireJson.write(r);

        assertThat(json).contains("\"creditSpent\":4321");
        assertThat(WireJson.read(json, SubmitResult.class).creditSpent()).isEqualTo(4_321);
    }

    @Test
    void aResultWithoutTheFieldReadsAsNothingSpent() {
        SubmitResult r = WireJson.read("{\"taskId\":\"t\",\"fragments\":[],\"error\":null}", SubmitResult.class);

        assertThat(r.creditSpent()).isZero();
        assertThat(r.taskId()).isEqualTo("t");
    }

    @Test
    void aBalanceResultRoundTrips() {
        BalanceResult b = new BalanceResult("carol", 1_000, 2, 3, 4, "FREE", null);

        assertThat(WireJson.read(WireJson.write(b), BalanceResult.class)).isEqualTo(b);
        assertThat(WireJson.read(WireJson.write(new BalanceRequest("carol")), BalanceRequest.class).account()).isEqualTo("carol");
    }
}
