package io.ptorrent.credit.ratio;

/**
 * Jain's fairness index (Jain, Chiu, Hawe 1984): (Σx)² / (n · Σx²), 1 when all x are equal, 1/n when one takes
 * everything. Applied to x = received share / entitled share it says how closely an allocation follows the
 * entitlements.
 */
public final class JainIndex {
    private JainIndex() {
    }

    /** The index of non-negative values; NaN for none or all zero. */
    public static double of(double... x) {
        double sum = 0;
        double squares = 0;
        for (double v : x) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("Jain's index takes finite values ≥ 0: " + v);
            }
            sum += v;
            squares += v * v;
        }
        return squares == 0 ? Double.NaN : sum * sum / (x.length * squares);
    }
}
