package io.ptorrent.credit.ratio;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Options of the {@link RatioEngine}, each with its default and its check in one place. Fluent setters check
 * their argument at once and throw {@link PtorrentException} with {@code CONFIG_INVALID} naming the field.
 */
public final class RatioConfiguration {
    /** One day, HTCondor's default {@code PRIORITY_HALFLIFE}: yesterday's contribution counts half. */
    public static final Duration DEFAULT_HALF_LIFE = Duration.ofDays(1);
    /** Contribution is the main title to the grid; a balance counts a tenth as much (see {@link #setBalanceWeight}). */
    public static final double DEFAULT_BALANCE_WEIGHT = 0.1;
    public static final double DEFAULT_GUARANTEED_SHARE = 0.1;
    /** One PU-second costs one credit when forecast demand equals forecast supply. */
    public static final double DEFAULT_BASE_PRICE = 1.0;
    public static final double DEFAULT_MIN_PRICE_FACTOR = 0.25;
    public static final double DEFAULT_MAX_PRICE_FACTOR = 4.0;
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
    /** A day of one-minute intervals. */
    public static final int DEFAULT_HISTORY = 1_440;
    /** Lags of each series in the forecast's features: half an hour of one-minute intervals. */
    public static final int DEFAULT_LAGS = 30;
    public static final int DEFAULT_MIN_TRAINING_SAMPLES = 180;
    public static final int DEFAULT_RETRAIN_EVERY = 1;

    private Duration halfLife = DEFAULT_HALF_LIFE;
    private double balanceWeight = DEFAULT_BALANCE_WEIGHT;
    private double guaranteedShare = DEFAULT_GUARANTEED_SHARE;
    private final Map<String, Double> guaranteedShares = new HashMap<>();
    private double basePrice = DEFAULT_BASE_PRICE;
    private double minPriceFactor = DEFAULT_MIN_PRICE_FACTOR;
    private double maxPriceFactor = DEFAULT_MAX_PRICE_FACTOR;
    private Duration interval = DEFAULT_INTERVAL;
    private int history = DEFAULT_HISTORY;
    private int lags = DEFAULT_LAGS;
    private int minTrainingSamples = DEFAULT_MIN_TRAINING_SAMPLES;
    private int retrainEvery = DEFAULT_RETRAIN_EVERY;

    /** After this long a contribution counts half, after twice as long a quarter. */
    public RatioConfiguration setHalfLife(Duration halfLife) {
        Objects.requireNonNull(halfLife, "halfLife");
        check("halfLife (s)", halfLife.toSeconds(), 1, Duration.ofDays(3_650).toSeconds());
        this.halfLife = halfLife;
        return this;
    }

    /**
     * How much a PU-second of balance (credit divided by the price) weighs against a PU-second of decayed
     * contribution; 0 makes entitlement follow contribution alone.
     */
    public RatioConfiguration setBalanceWeight(double weight) {
        this.balanceWeight = check("balanceWeight", weight, 0, 1_000);
        return this;
    }

    /** The minimum share of a {@code GUARANTEED} account that has demand, unless set for the account. */
    public RatioConfiguration setGuaranteedShare(double share) {
        this.guaranteedShare = check("guaranteedShare", share, 0, 1);
        return this;
    }

    /** The minimum share of one {@code GUARANTEED} account, overriding {@link #setGuaranteedShare}. */
    public RatioConfiguration setGuaranteedShare(String account, double share) {
        Objects.requireNonNull(account, "account");
        guaranteedShares.put(account, check("guaranteedShare of " + account, share, 0, 1));
        return this;
    }

    /** Credits per PU-second when forecast demand equals forecast supply. */
    public RatioConfiguration setBasePrice(double price) {
        this.basePrice = check("basePrice", price, 1e-6, 1e6);
        return this;
    }

    /** The price stays within [{@code min} × base, {@code max} × base]. */
    public RatioConfiguration setPriceBounds(double min, double max) {
        this.minPriceFactor = check("minPriceFactor", min, 1e-3, 1);
        this.maxPriceFactor = check("maxPriceFactor", max, 1, 1e3);
        return this;
    }

    /** The length of one supply/demand sample and of one forecast step. */
    public RatioConfiguration setInterval(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        check("interval (ms)", interval.toMillis(), 1, Duration.ofDays(1).toMillis());
        this.interval = interval;
        return this;
    }

    /** How many intervals of supply/demand history are kept (and trained on). */
    public RatioConfiguration setHistory(int intervals) {
        this.history = (int) check("history", intervals, 16, 1_000_000);
        return this;
    }

    /** How many past intervals of each series the forecast sees; at least the period it should learn. */
    public RatioConfiguration setLags(int lags) {
        this.lags = (int) check("lags", lags, 1, 1_000);
        return this;
    }

    /** Intervals of history before a model is trained; until then the forecast is the last value. */
    public RatioConfiguration setMinTrainingSamples(int samples) {
        this.minTrainingSamples = (int) check("minTrainingSamples", samples, 8, 1_000_000);
        return this;
    }

    /** Retrain the forecast every this many intervals (each training fits four small models). */
    public RatioConfiguration setRetrainEvery(int intervals) {
        this.retrainEvery = (int) check("retrainEvery", intervals, 1, 1_000_000);
        return this;
    }

    public Duration halfLife() {
        return halfLife;
    }

    public double balanceWeight() {
        return balanceWeight;
    }

    /** The minimum share of a {@code GUARANTEED} account. */
    public double guaranteedShare(String account) {
        return guaranteedShares.getOrDefault(account, guaranteedShare);
    }

    public double basePrice() {
        return basePrice;
    }

    public double minPriceFactor() {
        return minPriceFactor;
    }

    public double maxPriceFactor() {
        return maxPriceFactor;
    }

    public Duration interval() {
        return interval;
    }

    public int history() {
        return history;
    }

    public int lags() {
        return lags;
    }

    public int minTrainingSamples() {
        return minTrainingSamples;
    }

    public int retrainEvery() {
        return retrainEvery;
    }

    /** A checked copy: the engine keeps its own, so later changes to this object do not reach it. */
    RatioConfiguration validatedCopy() {
        // Training needs windows of lags + 1 and a held-out tail of at least a quarter of them.
        if (minTrainingSamples < 4 * (lags + 1)) {
            throw new PtorrentException(ErrorCode.CONFIG_INVALID, "ratio configuration: minTrainingSamples must be at least 4 × (lags + 1) = "
                    + 4 * (lags + 1) + ", was " + minTrainingSamples);
        }
        if (history < minTrainingSamples) {
            throw new PtorrentException(ErrorCode.CONFIG_INVALID, "ratio configuration: history must be at least minTrainingSamples = "
                    + minTrainingSamples + ", was " + history);
        }
        RatioConfiguration c = new RatioConfiguration();
        c.halfLife = halfLife;
        c.balanceWeight = balanceWeight;
        c.guaranteedShare = guaranteedShare;
        c.guaranteedShares.putAll(guaranteedShares);
        c.basePrice = basePrice;
        c.minPriceFactor = minPriceFactor;
        c.maxPriceFactor = maxPriceFactor;
        c.interval = interval;
        c.history = history;
        c.lags = lags;
        c.minTrainingSamples = minTrainingSamples;
        c.retrainEvery = retrainEvery;
        return c;
    }

    private static double check(String field, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new PtorrentException(ErrorCode.CONFIG_INVALID, "ratio configuration: " + field + " must be in [" + min + ", " + max + "], was " + value);
        }
        return value;
    }

    private static long check(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new PtorrentException(ErrorCode.CONFIG_INVALID, "ratio configuration: " + field + " must be in [" + min + ", " + max + "], was " + value);
        }
        return value;
    }
}
