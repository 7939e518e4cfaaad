package io.ptorrent.credit.ratio;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ForecastTest {
    private static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");

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
        Random random = new Random(42);
        Instant t = T0;
        for (int i = 0; i < 480; i++) {
            t = t.plusSeconds(60);
            engine.recordInterval(periodic(t, i, period, random));
        }
        Forecast f = engine.forecast();
        System.out.println("periodic series: " + f);
        assertThat(f.supplySource()).isEqualTo(Forecast.Source.MODEL);
        assertThat(f.demandSource()).isEqualTo(Forecast.Source.MODEL);
        assertThat(f.heldOutDemand().skill()).isGreaterThan(0.5);
        assertThat(f.heldOutSupply().skill()).isGreaterThan(0.5);
        // Live: the forecasts handed out after the first training, against what then arrived.
        assertThat(f.liveDemand().mae()).isLessThan(f.liveDemand().naiveMae());
    }

    /** Demand and supply with a daily-like cycle of {@code period} intervals, plus noise. */
    static GridSample periodic(Instant at, int i, int period, Random random) {
        double phase = 2 * Math.PI * i / period;
        double demand = 100 + 60 * Math.sin(phase) + 20 * Math.sin(3 * phase) + random.nextGaussian() * 3;
        double supply = 80 + 25 * Math.cos(phase) + random.nextGaussian() * 2;
        return new GridSample(at, Math.max(0, supply), Math.max(0, demand));
    }

    private static RatioEngine engine(int lags, int minTraining) {
        return new RatioEngine(new RatioConfiguration().setLags(lags).setMinTrainingSamples(minTraining).setRetrainEvery(24)
                .setInterval(Duration.ofMinutes(1)), Clock.fixed(T0, ZoneOffset.UTC));
    }
}
