package io.ptorrent.credit;

import java.time.Instant;
import java.util.Objects;

/**
 * A task's escrow: credit taken from the submitter's balance when the task was accepted and topped up as it
 * runs ({@link CreditSpi#topUp}), paid out per settled fragment, the rest refunded when the task ends. Amounts
 * in milli-PU-seconds.
 *
 * @param amount    what was held in all: at acceptance plus every top-up
 * @param remaining what is still held ({@code amount} minus settlements, 0 once refunded)
 * @param open      false once {@link CreditSpi#refund} closed it; a closed hold pays nothing more
 */
public record Hold(String taskId, String account, long amount, long remaining, boolean open, Instant created) {
    public Hold {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(created, "created");
        if (amount <= 0 || remaining < 0 || remaining > amount) {
            throw new IllegalArgumentException("a hold has 0 <= remaining <= amount and amount > 0: " + remaining + " of " + amount);
        }
    }
}
