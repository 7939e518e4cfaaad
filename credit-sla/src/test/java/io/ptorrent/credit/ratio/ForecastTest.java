package io.ptorrent.credit.ratio;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ForecastTest {
    private static final Instant T0 = SyntheticLoad.T0;

    @Test
    void untrainedForecastIsTheLastValue() {
        RatioEngine engine = engine(8, 36);
        engine.recordInterval(new GridSample(T0, 10, 5));
        engine.recordInterval(new GridSample(T0.plusSeconds(60), 12, 7));
        Forecast f = engine.forecast();
        assertThat(f.supplySource()).isEqualTo(Forecast.Source.NAIVE);
        assertThat(f.demandSource()).isEqualTo(Forecast.Source.NAIVE);
        assertThat(f.trainingSamples()).isZero();
        assertThat(f.supplyPu()).isEqualTo(12);
        assertThat(f.demandPu()).isEqualTo(7);
        assertThat(f.heldOutDemand()).isEqualTo(ForecastError.NONE);
        // The first forecast (10, 5) met the second interval (12, 7): measured, and the naive forecast is the forecast.
        assertThat(f.liveSupply().points()).isEqualTo(1);
        assertThat(f.liveSupply().mae()).isEqualTo(2);
        assertThat(f.liveDemand().naiveMae()).isEqualTo(2);
    }

    @Test
    void modelLearnsAPeriodicSeriesAndBeatsTheNaiveForecast() {
        int period = 24;
        RatioEngine engine = engine(period, 240);
        feed(engine, SyntheticLoad.periodic(480, period, 42));
        Forecast f = engine.forecast();
        System.out.println("periodic series: " + f);
        assertThat(f.supplySource()).isEqualTo(Forecast.Source.MODEL);
        assertThat(f.demandSource()).isEqualTo(Forecast.Source.MODEL);
        assertThat(f.trainingSamples()).isEqualTo(480);
        assertThat(f.heldOutDemand().skill()).isGreaterThan(0.5);
        assertThat(f.heldOutSupply().skill()).isGreaterThan(0.5);
        // Live: every forecast handed out (naive ones before the first training included), against what then arrived.
        assertThat(f.liveDemand().mae()).isLessThan(f.liveDemand().naiveMae());
        assertThat(f.liveSupply().mae()).isLessThan(f.liveSupply().naiveMae());
    }

    @Test
    void onARandomWalkTheForecastIsNoWorseThanTheLastValue() {
        // Nothing to learn: the last value is the best forecast; the held-out check must keep the model from doing worse.
        RatioEngine engine = engine(12, 120);
        feed(engine, SyntheticLoad.randomWalk(600, 7));
        Forecast f = engine.forecast();
        System.out.println("random walk: " + f);
        assertThat(f.liveDemand().mae()).isLessThanOrEqualTo(f.liveDemand().naiveMae() * 1.05);
        assertThat(f.liveSupply().mae()).isLessThanOrEqualTo(f.liveSupply().naiveMae() * 1.05);
    }

    private static void feed(RatioEngine engine, List<GridSample> samples) {
        samples.forEach(engine::recordInterval);
    }

    private static RatioEngine engine(int lags, int minTraining) {
        return new RatioEngine(new RatioConfiguration().setLags(lags).setMinTrainingSamples(minTraining).setRetrainEvery(24),
                Clock.fixed(T0, ZoneOffset.UTC));
    }
}
