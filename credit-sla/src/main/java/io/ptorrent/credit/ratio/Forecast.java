package io.ptorrent.credit.ratio;

import java.time.Instant;
import java.util.Objects;

/**
 * Supply and demand forecast for the next interval, the price set from it, and how good the forecasts have been.
 *
 * @param at              the end of the last observed interval (the forecast is for the one after it)
 * @param supplyPu        forecast supply, in PU
 * @param demandPu        forecast demand, in PU
 * @param price           credits per PU-second, set from the forecast (see {@link RatioEngine})
 * @param supplySource    what made the supply forecast
 * @param demandSource    what made the demand forecast
 * @param trainingSamples intervals the current models were trained on (0 while untrained)
 * @param heldOutSupply   error of the supply model on the held-out tail of its training history (NONE while untrained)
 * @param heldOutDemand   the same for demand
 * @param liveSupply      error of the supply forecasts actually handed out, measured as the intervals arrived
 * @param liveDemand      the same for demand
 */
public record Forecast(Instant at, double supplyPu, double demandPu, double price,
                       Source supplySource, Source demandSource, int trainingSamples,
                       ForecastError heldOutSupply, ForecastError heldOutDemand,
                       ForecastError liveSupply, ForecastError liveDemand) {
    /** What made a forecast. */
    public enum Source {
        /** The last observed value: before a model is trained, or when the model did not beat it on held-out data. */
        NAIVE,
        /** The Ignite ML model (LSQR linear regression on lagged supply and demand). */
        MODEL
    }

    public Forecast {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(supplySource, "supplySource");
        Objects.requireNonNull(demandSource, "demandSource");
        Objects.requireNonNull(heldOutSupply, "heldOutSupply");
        Objects.requireNonNull(heldOutDemand, "heldOutDemand");
        Objects.requireNonNull(liveSupply, "liveSupply");
        Objects.requireNonNull(liveDemand, "liveDemand");
    }
}
