package io.ptorrent.client;

import java.util.Objects;

/**
 * An account's performance credit as the harbor's ledger holds it. Amounts in milli-PU-seconds (1,000 per
 * credit; one credit is one second of one reference core's work).
 *
 * @param account the account's id
 * @param balance free to spend
 * @param held    locked in the escrow of the account's running tasks
 * @param earned  ever paid to the account for its nodes' accepted fragments
 * @param spent   ever paid from the account's tasks to contributors
 * @param tier    the account's SLA tier
 */
public record Balance(String account, long balance, long held, long earned, long spent, String tier) {
    public Balance {
        Objects.requireNonNull(account, "account");
    }

    /** Milli-PU-seconds as credits. */
    public static double credits(long milliPuSeconds) {
        return milliPuSeconds / 1000.0;
    }
}
