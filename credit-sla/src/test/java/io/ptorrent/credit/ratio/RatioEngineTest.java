package io.ptorrent.credit.ratio;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.credit.Account;
import io.ptorrent.credit.SlaTier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RatioEngineTest {
    private static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    private final MutableClock clock = new MutableClock(T0);

    @Test
    void contributionDecaysWithTheHalfLife() {
        RatioEngine engine = engine(new RatioConfiguration().setHalfLife(HOUR));
        engine.recordContribution("a", 8_000, T0);
        assertThat(engine.contribution("a")).isEqualTo(8_000);
        clock.advance(HOUR);
        assertThat(engine.contribution("a")).isCloseTo(4_000, within(1e-6));
        clock.advance(HOUR);
        assertThat(engine.contribution("a")).isCloseTo(2_000, within(1e-6));
        // A new contribution adds at full value; a late-reported one is decayed from when it was done.
        engine.recordContribution("a", 1_000, clock.instant());
        engine.recordContribution("a", 4_000, T0.plus(HOUR));
        assertThat(engine.contribution("a")).isCloseTo(2_000 + 1_000 + 2_000, within(1e-6));
        assertThat(engine.contribution("nobody")).isZero();
    }

    @Test
    void sharesFollowContribution() {
        RatioEngine engine = engine(new RatioConfiguration().setBalanceWeight(0));
        engine.recordContribution("a", 1_000, T0);
        engine.recordContribution("b", 2_000, T0);
        engine.recordContribution("c", 4_000, T0);
        clock.advance(HOUR);
        Entitlements e = engine.entitlements(List.of("a", "b", "c"));
        assertThat(e.share("a")).isCloseTo(1 / 7.0, within(1e-9));
        assertThat(e.share("b")).isCloseTo(2 / 7.0, within(1e-9));
        assertThat(e.share("c")).isCloseTo(4 / 7.0, within(1e-9));
        // Only accounts with demand share the grid.
        assertThat(engine.entitlements(List.of("a", "c")).share("a")).isCloseTo(0.2, within(1e-9));
    }

    @Test
    void olderContributionCountsLess() {
        RatioEngine engine = engine(new RatioConfiguration().setBalanceWeight(0).setHalfLife(HOUR));
        engine.recordContribution("old", 1_000, T0);
        clock.advance(HOUR);
        engine.recordContribution("new", 1_000, clock.instant());
        Entitlements e = engine.entitlements(List.of("old", "new"));
        assertThat(e.share("new")).isCloseTo(2 / 3.0, within(1e-9));
    }

    @Test
    void balanceCountsAndCountsLessWhenThePriceIsHigh() {
        RatioEngine engine = engine(new RatioConfiguration().setBalanceWeight(0.5));
        engine.recordContribution("giver", 10_000, T0);
        engine.onAccount(account("buyer", SlaTier.CONTRIBUTOR, 20_000));
        // 10 PU-s given vs 0.5 × 20 credits at price 1.
        assertThat(engine.entitlements(List.of("giver", "buyer")).share("buyer")).isCloseTo(0.5, within(1e-9));
        // Demand forecast at four times supply: the price quadruples, the balance buys a quarter of the standing.
        engine.recordInterval(new GridSample(T0, 10, 40));
        assertThat(engine.price()).isEqualTo(4.0);
        assertThat(engine.entitlements(List.of("giver", "buyer")).share("buyer")).isCloseTo(2.5 / 12.5, within(1e-9));
    }

    @Test
    void freeAccountsGetNothingUnderContentionAndEverythingWhenAlone() {
        RatioEngine engine = engine(new RatioConfiguration());
        engine.onAccount(account("rider", SlaTier.FREE, 1_000_000));
        engine.onAccount(account("broke", SlaTier.CONTRIBUTOR, 0));
        engine.recordContribution("giver", 1_000, T0);
        Entitlements contended = engine.entitlements(List.of("rider", "broke", "giver"));
        assertThat(contended.share("rider")).isZero();
        assertThat(contended.share("broke")).isZero();
        assertThat(contended.share("giver")).isEqualTo(1.0);
        assertThat(contended.shares()).containsOnlyKeys("rider", "broke", "giver");
        assertThat(engine.entitlements(List.of("rider")).share("rider")).isEqualTo(1.0);
        Entitlements idle = engine.entitlements(List.of("rider", "broke", "stranger"));
        assertThat(idle.share("rider")).isCloseTo(1 / 3.0, within(1e-9));
        assertThat(idle.share("stranger")).isCloseTo(1 / 3.0, within(1e-9));
        assertThat(engine.entitlements(List.of()).shares()).isEmpty();
    }

    @Test
    void guaranteedAccountGetsItsMinimumShare() {
        RatioEngine engine = engine(new RatioConfiguration().setBalanceWeight(0).setGuaranteedShare(0.3).setGuaranteedShare("lab", 0.2));
        engine.onAccount(account("ops", SlaTier.GUARANTEED, 0));
        engine.onAccount(account("lab", SlaTier.GUARANTEED, 0));
        engine.recordContribution("lab", 1_000, T0);
        engine.recordContribution("big", 99_000, T0);
        engine.onAccount(account("rider", SlaTier.FREE, 0));
        Entitlements e = engine.entitlements(List.of("ops", "lab", "big", "rider"));
        assertThat(e.share("ops")).isCloseTo(0.3, within(1e-9));
        assertThat(e.share("lab")).isCloseTo(0.2, within(1e-9));
        assertThat(e.share("big")).isCloseTo(0.5, within(1e-9));
        assertThat(e.share("rider")).isZero();
        // Above its floor, a guaranteed account keeps its proportional share.
        assertThat(engine.entitlements(List.of("lab", "ops")).share("lab")).isCloseTo(0.7, within(1e-9));
    }

    @Test
    void guaranteedFloorsAboveTheWholeGridAreScaledDown() {
        RatioEngine engine = engine(new RatioConfiguration().setGuaranteedShare(0.75));
        engine.onAccount(account("x", SlaTier.GUARANTEED, 0));
        engine.onAccount(account("y", SlaTier.GUARANTEED, 0));
        engine.recordContribution("z", 1_000, T0);
        Entitlements e = engine.entitlements(List.of("x", "y", "z"));
        assertThat(e.share("x")).isCloseTo(0.5, within(1e-9));
        assertThat(e.share("y")).isCloseTo(0.5, within(1e-9));
        assertThat(e.share("z")).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 40})
    void sharesSumToOne(int accounts) {
        RatioEngine engine = engine(new RatioConfiguration().setGuaranteedShare(0.05));
        java.util.Random random = new java.util.Random(accounts);
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < accounts; i++) {
            String id = "acc" + i;
            ids.add(id);
            SlaTier tier = SlaTier.values()[random.nextInt(3)];
            engine.onAccount(account(id, tier, random.nextInt(3) * 1_000_000L));
            if (random.nextBoolean()) {
                engine.recordContribution(id, random.nextInt(100_000), T0);
            }
        }
        Entitlements e = engine.entitlements(ids);
        assertThat(e.shares().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-9));
        assertThat(e.shares().values()).allSatisfy(s -> assertThat(s).isBetween(0.0, 1.0));
    }

    @Test
    void priceFollowsForecastDemandOverSupplyWithinBounds() {
        RatioEngine engine = engine(new RatioConfiguration().setBasePrice(2).setPriceBounds(0.5, 3));
        assertThat(engine.price()).isEqualTo(2);
        engine.recordInterval(new GridSample(T0, 10, 15));
        assertThat(engine.price()).isEqualTo(3);
        engine.recordInterval(new GridSample(T0.plusSeconds(60), 10, 100));
        assertThat(engine.price()).isEqualTo(6);
        engine.recordInterval(new GridSample(T0.plusSeconds(120), 10, 0));
        assertThat(engine.price()).isEqualTo(1);
        engine.recordInterval(new GridSample(T0.plusSeconds(180), 0, 1));
        assertThat(engine.price()).isEqualTo(6);
        engine.recordInterval(new GridSample(T0.plusSeconds(240), 0, 0));
        assertThat(engine.price()).isEqualTo(2);
        assertThat(engine.forecast().price()).isEqualTo(2);
        assertThatThrownBy(() -> engine.recordInterval(new GridSample(T0, 1, 1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badOptionsNameTheField() {
        assertThatThrownBy(() -> new RatioConfiguration().setHalfLife(Duration.ZERO)).isInstanceOfSatisfying(PtorrentException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID)).hasMessageContaining("halfLife");
        assertThatThrownBy(() -> new RatioConfiguration().setBalanceWeight(-1)).hasMessageContaining("balanceWeight");
        assertThatThrownBy(() -> new RatioConfiguration().setBalanceWeight(Double.NaN)).hasMessageContaining("balanceWeight");
        assertThatThrownBy(() -> new RatioConfiguration().setGuaranteedShare("x", 1.5)).hasMessageContaining("guaranteedShare of x");
        assertThatThrownBy(() -> new RatioConfiguration().setPriceBounds(2, 3)).hasMessageContaining("minPriceFactor");
        assertThatThrownBy(() -> new RatioEngine(new RatioConfiguration().setLags(100), clock)).isInstanceOfSatisfying(PtorrentException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID)).hasMessageContaining("minTrainingSamples");
        assertThatThrownBy(() -> new GridSample(T0, -1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RatioEngine(new RatioConfiguration(), clock).recordContribution("a", -1, T0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void defaultsAreSane() {
        RatioConfiguration c = new RatioConfiguration();
        assertThat(c.validatedCopy().halfLife()).isEqualTo(Duration.ofDays(1));
        assertThat(c.guaranteedShare("anyone")).isEqualTo(RatioConfiguration.DEFAULT_GUARANTEED_SHARE);
        assertThat(c.minPriceFactor()).isLessThan(1).isGreaterThan(0);
        assertThat(c.maxPriceFactor()).isGreaterThan(1);
    }

    @Test
    void laterChangesToTheOptionsDoNotReachTheEngine() {
        RatioConfiguration cfg = new RatioConfiguration().setBasePrice(1);
        RatioEngine engine = engine(cfg);
        cfg.setBasePrice(5);
        assertThat(engine.price()).isEqualTo(1);
        assertThat(engine.entitlements(Set.of("a")).price()).isEqualTo(1);
    }

    private RatioEngine engine(RatioConfiguration cfg) {
        return new RatioEngine(cfg, clock);
    }

    static Account account(String id, SlaTier tier, long balance) {
        return new Account(id, id, tier, T0, balance, 0, 0, 0);
    }
}
