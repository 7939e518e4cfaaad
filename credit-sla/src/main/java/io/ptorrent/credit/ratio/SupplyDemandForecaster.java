package io.ptorrent.credit.ratio;

import org.apache.ignite.ml.dataset.feature.extractor.Vectorizer;
import org.apache.ignite.ml.dataset.feature.extractor.impl.DoubleArrayVectorizer;
import org.apache.ignite.ml.math.primitives.vector.VectorUtils;
import org.apache.ignite.ml.regressions.linear.LinearRegressionLSQRTrainer;
import org.apache.ignite.ml.regressions.linear.LinearRegressionModel;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Forecasts next interval's supply and demand from their history.
 *
 * <p><b>Design.</b> Features are the last {@code lags} values of both series; one Ignite ML LSQR linear regression
 * per series is fitted from a plain map (no cache, no cluster: FACTS.md measured ~25 ms per fit). Linear
 * autoregression learns what matters here: a daily or hourly period (x[t] ≈ x[t − period] when the period fits in
 * the lags) and a trend, and a fit is cheap enough to redo every interval. Before {@code minTrainingSamples}
 * intervals, and for a series whose model does not beat the last value on the held-out last quarter of its
 * history, the forecast is the last value (the naive forecast): a learned component always has a plain default
 * beside it. Forecasts are clamped to [0, 2 × the largest value seen].
 *
 * <p><b>Error.</b> Measured twice, never assumed: on the held-out tail at each training (model vs naive on the
 * same points), and live, each forecast against the value that then arrived (over the last {@code history}
 * intervals).
 *
 * <p><b>Concurrency.</b> Not thread-safe; the engine's lock guards it. Training ({@link #train}) is a pure
 * function of a snapshot so that the engine can run it outside its lock.
 */
final class SupplyDemandForecaster {
    /** Fitted models of one training; a null model means that series is forecast naively. */
    record Models(LinearRegressionModel supply, LinearRegressionModel demand, int trainedOn,
                  ForecastError heldOutSupply, ForecastError heldOutDemand) {
        static final Models NONE = new Models(null, null, 0, ForecastError.NONE, ForecastError.NONE);
    }

    private final int lags;
    private final int history;
    private final int minTrainingSamples;
    private final int retrainEvery;
    private final ArrayDeque<double[]> samples = new ArrayDeque<>();
    private final ErrorMeter liveSupply;
    private final ErrorMeter liveDemand;
    private Models models = Models.NONE;
    private int sinceTraining;
    private boolean pending;
    private double nextSupply;
    private double nextDemand;

    SupplyDemandForecaster(RatioConfiguration cfg) {
        this.lags = cfg.lags();
        this.history = cfg.history();
        this.minTrainingSamples = cfg.minTrainingSamples();
        this.retrainEvery = cfg.retrainEvery();
        this.liveSupply = new ErrorMeter(history);
        this.liveDemand = new ErrorMeter(history);
    }

    /** Records one interval; returns true when a training is due (then {@link #snapshot()} and {@link #train}). */
    boolean observe(double supply, double demand) {
        if (pending) {
            double[] last = samples.peekLast();
            liveSupply.add(supply, nextSupply, last[0]);
            liveDemand.add(demand, nextDemand, last[1]);
        }
        samples.addLast(new double[] {supply, demand});
        if (samples.size() > history) {
            samples.removeFirst();
        }
        sinceTraining++;
        predict();
        return samples.size() >= minTrainingSamples && (models.trainedOn() == 0 || sinceTraining >= retrainEvery);
    }

    /** The history, oldest first: [supply[], demand[]]. */
    double[][] snapshot() {
        sinceTraining = 0;
        double[][] s = new double[2][samples.size()];
        int i = 0;
        for (double[] p : samples) {
            s[0][i] = p[0];
            s[1][i++] = p[1];
        }
        return s;
    }

    void install(Models trained) {
        this.models = trained;
        predict();
    }

    double nextSupply() {
        return nextSupply;
    }

    double nextDemand() {
        return nextDemand;
    }

    boolean hasHistory() {
        return !samples.isEmpty();
    }

    Models models() {
        return models;
    }

    ForecastError liveSupply() {
        return liveSupply.error();
    }

    ForecastError liveDemand() {
        return liveDemand.error();
    }

    private void predict() {
        if (samples.isEmpty()) {
            return;
        }
        double[] last = samples.peekLast();
        double[] row = tail();
        nextSupply = models.supply() == null || row == null ? last[0] : clamp(models.supply(), row, maxOf(0));
        nextDemand = models.demand() == null || row == null ? last[1] : clamp(models.demand(), row, maxOf(1));
        pending = true;
    }

    /** The features of the next interval (the last {@code lags} of supply, then of demand), or null when there are fewer. */
    private double[] tail() {
        if (samples.size() < lags) {
            return null;
        }
        double[] row = new double[2 * lags];
        var it = samples.descendingIterator();
        for (int i = lags - 1; i >= 0; i--) {
            double[] p = it.next();
            row[i] = p[0];
            row[lags + i] = p[1];
        }
        return row;
    }

    private double maxOf(int series) {
        double max = 0;
        for (double[] p : samples) {
            max = Math.max(max, p[series]);
        }
        return max;
    }

    private static double clamp(LinearRegressionModel model, double[] features, double max) {
        double y = model.predict(VectorUtils.of(features));
        // A linear model can run away on inputs unlike its training data: keep its guess within sane bounds.
        return Double.isNaN(y) ? max : Math.max(0, Math.min(2 * max, y));
    }

    /**
     * Fits both models on the history (oldest first) and measures them on its held-out last quarter. Pure: runs
     * outside the engine's lock.
     */
    static Models train(double[][] history, int lags) {
        double[] supply = history[0];
        double[] demand = history[1];
        int windows = supply.length - lags;
        int split = windows * 3 / 4;
        LinearRegressionModel supplyModel = fit(supply, demand, lags, lags, lags + split, 0);
        LinearRegressionModel demandModel = fit(supply, demand, lags, lags, lags + split, 1);
        ForecastError supplyError = heldOut(supplyModel, supply, demand, lags, lags + split, 0);
        ForecastError demandError = heldOut(demandModel, supply, demand, lags, lags + split, 1);
        // Keep a model only where it beat (or matched) the naive forecast on data it had not seen.
        LinearRegressionModel s = supplyError.mae() <= supplyError.naiveMae() ? fit(supply, demand, lags, lags, supply.length, 0) : null;
        LinearRegressionModel d = demandError.mae() <= demandError.naiveMae() ? fit(supply, demand, lags, lags, supply.length, 1) : null;
        return new Models(s, d, supply.length, supplyError, demandError);
    }

    private static LinearRegressionModel fit(double[] supply, double[] demand, int lags, int from, int to, int series) {
        Map<Integer, double[]> rows = new HashMap<>();
        double[] label = series == 0 ? supply : demand;
        for (int t = from; t < to; t++) {
            double[] row = new double[2 * lags + 1];
            window(supply, demand, lags, t, row);
            row[2 * lags] = label[t];
            rows.put(t, row);
        }
        Vectorizer<Integer, double[], Integer, Double> vectorizer = new DoubleArrayVectorizer<Integer>().labeled(Vectorizer.LabelCoordinate.LAST);
        return new LinearRegressionLSQRTrainer().fit(rows, 1, vectorizer);
    }

    private static ForecastError heldOut(LinearRegressionModel model, double[] supply, double[] demand, int lags, int from, int series) {
        double[] label = series == 0 ? supply : demand;
        double max = 0;
        for (int t = 0; t < from; t++) {
            max = Math.max(max, label[t]);
        }
        ErrorMeter meter = new ErrorMeter(Integer.MAX_VALUE);
        double[] row = new double[2 * lags];
        for (int t = from; t < label.length; t++) {
            window(supply, demand, lags, t, row);
            meter.add(label[t], clamp(model, row, max), label[t - 1]);
        }
        return meter.error();
    }

    /** Writes the lags before {@code t} of supply, then of demand, into {@code row}. */
    private static void window(double[] supply, double[] demand, int lags, int t, double[] row) {
        System.arraycopy(supply, t - lags, row, 0, lags);
        System.arraycopy(demand, t - lags, row, lags, lags);
    }
}
