package io.ptorrent.credit;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;

import java.util.List;
import java.util.Optional;

/**
 * Performance credit: accounts, grants and escrow, with exactly-once settlement per fragment.
 *
 * <p>Shaped like an Ignite SPI but started by the ptorrent plugin on harbor (server) nodes, since Ignite
 * has no configuration slot for a new SPI type (FACTS.md); the implementation is {@link IgniteLedger}.
 *
 * <p><b>Amounts</b> are {@code long} milli-PU-seconds ({@link #UNITS_PER_CREDIT} per credit); no floating
 * point anywhere. <b>Invariant</b>: the {@link #GRID_ACCOUNT} issues all credit and is the only account
 * whose balance may go negative (it is minus everything issued); the sum of all balances plus all open
 * holds is therefore 0 in every committed state, and credit in circulation changes only by grants.
 *
 * <p><b>Idempotency</b>: every movement has a key; a repeated call with the same key moves nothing and
 * returns the first call's result, even when its other arguments differ (first writer wins: failover may
 * report a fragment twice with different measurements; it is paid once, as first reported).
 *
 * <p><b>Errors</b>: every method throws {@link PtorrentException} with a stable {@link ErrorCode}
 * ({@code UNKNOWN_ACCOUNT}, {@code INSUFFICIENT_CREDIT}, {@code BAD_AMOUNT}, {@code HOLD_NOT_FOUND},
 * {@code HOLD_CLOSED}, {@code BAD_REQUEST} for malformed ids), and then nothing was moved or held.
 * {@code NOT_READY} means the cluster could not commit (topology change, timeout) after retries: the call
 * may be repeated safely, with the same key. Arguments are never null.
 *
 * <p><b>Threads</b>: every method is thread-safe and may block on the cluster (call it off event loops).
 */
public interface CreditSpi {
    /** Milli-PU-seconds per credit (one PU-second). */
    long UNITS_PER_CREDIT = 1_000L;

    /** The issuing account: grants come from it; it always exists. */
    String GRID_ACCOUNT = "grid";

    /**
     * Opens an account, with the configured starter grant from {@link #GRID_ACCOUNT}. Idempotent: if the
     * account exists it is returned unchanged (name and tier are not updated).
     *
     * @param id letters, digits, {@code . _ @ -}, 1–64 characters
     */
    Account openAccount(String id, String displayName, SlaTier tier);

    /**
     * Opens an account with {@code starterGrant} from {@link #GRID_ACCOUNT} (0: none) instead of the configured one:
     * for a harbor whose policy gives the grant to some accounts only. Idempotent like {@link #openAccount(String,
     * String, SlaTier)}: an existing account is returned unchanged and granted nothing.
     */
    Account openAccount(String id, String displayName, SlaTier tier, long starterGrant);

    /** The account's committed state; {@code UNKNOWN_ACCOUNT} if there is none. */
    Account account(String id);

    /** Issues {@code amount} from {@link #GRID_ACCOUNT} to an account (an operator grant). */
    Transfer grant(String to, long amount, String idempotencyKey);

    /**
     * Moves {@code amount} from the account's balance into the task's escrow. One hold per task: a repeat
     * returns the task's hold as it is now.
     */
    Hold hold(String taskId, String account, long amount);

    /**
     * Moves more of the hold's account's balance into the task's open hold (pay-as-you-go escrow): {@code wanted},
     * or all of the balance when it is less but still at least {@code atLeast} (0 &lt; atLeast &le; wanted); below
     * that {@code INSUFFICIENT_CREDIT} and nothing moves. Idempotent by {@code (taskId, round)}: a repeat of a round
     * moves nothing and returns the hold as it is now. {@code HOLD_NOT_FOUND} / {@code HOLD_CLOSED} for a task
     * without an open hold.
     *
     * @param round the caller's count of this task's top-ups, from 1
     * @return the hold after the top-up
     */
    Hold topUp(String taskId, long wanted, long atLeast, int round);

    /** The task's hold as it is now, if it has one. */
    Optional<Hold> findHold(String taskId);

    /**
     * Pays a contributor for one accepted fragment out of the task's hold, exactly once per
     * {@code (taskId, fragment)}: a repeat returns the first transfer.
     */
    Transfer settle(String taskId, int fragment, String contributorAccount, long amount);

    /**
     * {@link #settle} for many fragments in one transaction: all or nothing, results in input order
     * (repeats, also within the list, return the first transfer). At most the configured batch size.
     */
    List<Transfer> settleAll(List<Settlement> settlements);

    /** Returns what is left of the task's hold to its account and closes the hold; a repeat returns the first refund. */
    Transfer refund(String taskId);

    /**
     * The account's transfers (as {@code from} or {@code to}), newest first.
     *
     * @param page     0-based
     * @param pageSize 1–1000
     */
    List<Transfer> ledger(String account, int page, int pageSize);
}
