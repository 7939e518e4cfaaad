package io.ptorrent.credit.ratio;

import java.util.ArrayDeque;

/**
 * Absolute and percentage errors of a forecast and of the naive forecast over the last {@code capacity} points,
 * with running sums (O(1) per point). Not thread-safe: its owner's lock guards it.
 */
final class ErrorMeter {
    private final int capacity;
    private final ArrayDeque<double[]> points = new ArrayDeque<>();
    private double absSum;
    private double naiveAbsSum;
    private double pctSum;
    private double naivePctSum;
    private int pctPoints;

    ErrorMeter(int capacity) {
        this.capacity = capacity;
    }

    void add(double actual, double forecast, double naive) {
        double[] p = {Math.abs(actual - forecast), Math.abs(actual - naive), actual};
        points.addLast(p);
        apply(p, 1);
        if (points.size() > capacity) {
            apply(points.removeFirst(), -1);
        }
    }

    ForecastError error() {
        int n = points.size();
        if (n == 0) {
            return ForecastError.NONE;
        }
        // Sums of removed points leave rounding dust; no error is below 0.
        return new ForecastError(n, Math.max(0, absSum / n), Math.max(0, naiveAbsSum / n),
                pctPoints == 0 ? Double.NaN : Math.max(0, pctSum / pctPoints),
                pctPoints == 0 ? Double.NaN : Math.max(0, naivePctSum / pctPoints));
    }

    private void apply(double[] p, int sign) {
        absSum += sign * p[0];
        naiveAbsSum += sign * p[1];
        if (p[2] != 0) {
            pctSum += sign * p[0] / Math.abs(p[2]);
            naivePctSum += sign * p[1] / Math.abs(p[2]);
            pctPoints += sign;
        }
    }
}
