package io.ptorrent.credit;

import java.time.Instant;
import java.util.Objects;

/**
 * One immutable ledger entry: {@code amount} moved from one book to another (double entry: the same
 * amount leaves {@code from} and arrives at {@code to}). Escrow books are named {@code escrow:<taskId>};
 * account ids never contain a colon, so the two never clash.
 *
 * @param id     unique, increasing within one node's reservation (ids from different harbor nodes
 *               interleave; order by {@code time} then {@code id} for a timeline); not dense
 * @param key    the idempotency key, namespaced by kind ({@code grant:…}, {@code open:…}, {@code hold:…}, {@code topup:<task>:<round>},
 *               {@code settle:<task>:<fragment>}, {@code refund:…}); at most one transfer per key, ever
 * @param amount milli-PU-seconds, never negative (0 only for the refund of a fully spent hold)
 */
public record Transfer(long id, Instant time, Kind kind, String from, String to, long amount, String key) {
    public Transfer {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(key, "key");
        if (amount < 0) {
            throw new IllegalArgumentException("amount is never negative: " + amount);
        }
    }

    /** What a transfer did. */
    public enum Kind {
        /** Issued by the {@code grid} account: an operator grant or a new account's starter grant. */
        GRANT,
        /** From a submitter's balance into a task's escrow: at acceptance, or a top-up while it runs. */
        HOLD,
        /** From a task's escrow to the contributor whose fragment was accepted. */
        SETTLE,
        /** What was left of a task's escrow, back to the submitter; closes the hold. */
        REFUND
    }

    /** The book name of a task's escrow. */
    public static String escrowOf(String taskId) {
        return "escrow:" + taskId;
    }
}
