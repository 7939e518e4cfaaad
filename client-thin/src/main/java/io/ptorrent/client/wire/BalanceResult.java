package io.ptorrent.client.wire;

/**
 * What {@value GatewayTasks#BALANCE} answers: an account's credit, or an error ({@code UNKNOWN_ACCOUNT},
 * {@code BAD_REQUEST}, {@code NOT_FOUND} when the harbor keeps no ledger). Amounts in milli-PU-seconds
 * (1,000 per credit, one credit = one PU-second).
 *
 * @param account the account's id
 * @param balance credit free to spend
 * @param held    credit locked in the escrow of the account's running tasks
 * @param earned  everything ever paid to the account for its nodes' accepted fragments
 * @param spent   everything ever paid from the account's tasks to contributors
 * @param tier    the account's SLA tier ({@code FREE}, {@code CONTRIBUTOR}, {@code GUARANTEED})
 * @param error   null on success; then the other fields are 0 or null
 */
public record BalanceResult(String account, long balance, long held, long earned, long spent, String tier, WireError error) {
    /** An error answer. */
    public static BalanceResult failed(String account, WireError error) {
        return new BalanceResult(account, 0, 0, 0, 0, null, error);
    }
}
