package io.ptorrent.credit.ratio;

/**
 * A forecast's measured error on one series against the naive forecast (the last value) on the same points.
 *
 * @param points    how many forecasts were compared with what then happened (0: nothing measured yet)
 * @param mae       mean absolute error of the forecast, in PU
 * @param naiveMae  mean absolute error of the naive forecast on the same points
 * @param mape      mean absolute percentage error of the forecast (0.1 is 10%), over the points whose actual value
 *                  was not 0; NaN when there were none
 * @param naiveMape the same for the naive forecast
 */
public record ForecastError(int points, double mae, double naiveMae, double mape, double naiveMape) {
    public static final ForecastError NONE = new ForecastError(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    public ForecastError {
        if (points < 0) {
            throw new IllegalArgumentException("points is never negative: " + points);
        }
    }

    /** 1 − mae / naiveMae: above 0 the forecast beats the naive one, 0 matches it; NaN before any point. */
    public double skill() {
        return naiveMae > 0 ? 1 - mae / naiveMae : mae == 0 && points > 0 ? 0 : Double.NaN;
    }
}
