package io.ptorrent.client.wire;

/**
 * The argument of {@link GatewayTasks#CREDIT_GRANT}: an operator's grant of credit to an account, from the grid
 * account, through the ledger.
 *
 * @param account who gets it
 * @param amount  milli-PU-seconds (1,000 per credit), positive, at most the ledger's cap
 * @param key     an idempotency key: the same grant sent twice (a retry) moves credit once
 */
public record GrantRequest(String account, long amount, String key) {
}
