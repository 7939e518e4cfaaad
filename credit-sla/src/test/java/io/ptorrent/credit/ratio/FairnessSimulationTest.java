package io.ptorrent.credit.ratio;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Issue 5's fairness test, on the deterministic {@link FairnessSimulation}. */
class FairnessSimulationTest {
    @Test
    void receivedSharesFollowEntitlementsAndTheFreeRiderGetsOnlyIdleCapacity() {
        FairnessSimulation.Result r = FairnessSimulation.run(FairnessSimulation.Policy.FAIR, 7);
        System.out.println(r);
        // Contributing 1:2:4 with equal balances: entitlements in that order, close to 1/7, 2/7, 4/7.
        assertThat(r.entitledShare().get("a")).isCloseTo(1 / 7.0, within(0.03));
        assertThat(r.entitledShare().get("b")).isCloseTo(2 / 7.0, within(0.03));
        assertThat(r.entitledShare().get("c")).isCloseTo(4 / 7.0, within(0.03));
        assertThat(r.entitledShare().get(FairnessSimulation.RIDER)).isZero();
        for (String a : FairnessSimulation.NODES.keySet()) {
            assertThat(r.receivedShare().get(a)).as(a).isCloseTo(r.entitledShare().get(a), within(0.02));
        }
        assertThat(r.jain()).isGreaterThanOrEqualTo(0.95);
        assertThat(r.riderContended()).isLessThanOrEqualTo(0.05);
        assertThat(r.riderIdle()).isGreaterThanOrEqualTo(0.80);
    }

    @Test
    void aPlainFifoFailsTheSameTest() {
        // The check can fail: the baseline serves everyone alike and lets the free rider take its quarter.
        FairnessSimulation.Result r = FairnessSimulation.run(FairnessSimulation.Policy.FIFO, 7);
        System.out.println(r);
        assertThat(r.jain()).isLessThan(0.95);
        assertThat(r.riderContended()).isGreaterThan(0.05);
    }

    @Test
    void sameSeedSameResult() {
        assertThat(FairnessSimulation.run(FairnessSimulation.Policy.FAIR, 3)).isEqualTo(FairnessSimulation.run(FairnessSimulation.Policy.FAIR, 3));
    }
}
