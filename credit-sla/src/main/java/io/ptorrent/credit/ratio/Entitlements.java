package io.ptorrent.credit.ratio;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The shares of the grid the accounts with demand may use right now: they sum to 1 over {@link #shares()}.
 * An account with share 0 (a {@code FREE} account, or one with neither contribution nor credit, while an
 * entitled account has demand) runs only on capacity nobody entitled wants.
 *
 * @param at     when they were computed
 * @param shares account → share in [0, 1]; immutable
 * @param price  the credit price of a PU-second they were computed with
 */
public record Entitlements(Instant at, Map<String, Double> shares, double price) {
    public static final Entitlements NONE = new Entitlements(Instant.EPOCH, Map.of(), Double.NaN);

    public Entitlements {
        Objects.requireNonNull(at, "at");
        shares = Map.copyOf(shares);
    }

    /** The account's share; 0 for an account not among them. */
    public double share(String account) {
        Double s = shares.get(account);
        return s == null ? 0 : s;
    }
}
