package io.ptorrent.credit;

import java.time.Instant;
import java.util.Objects;

/**
 * One account's state as committed in the ledger. Amounts in milli-PU-seconds.
 *
 * @param balance credit free to spend; never negative except for {@link CreditSpi#GRID_ACCOUNT}, the issuer
 * @param held    credit of this account locked in open escrow holds (not part of {@code balance})
 * @param earned  everything ever paid to this account for accepted fragments
 * @param spent   everything ever paid out of this account's holds to contributors
 */
public record Account(String id, String displayName, SlaTier tier, Instant created,
                      long balance, long held, long earned, long spent) {
    public Account {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(created, "created");
        if (held < 0 || earned < 0 || spent < 0) {
            throw new IllegalArgumentException("held, earned and spent are never negative: " + held + ", " + earned + ", " + spent);
        }
    }
}
