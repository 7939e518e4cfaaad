package io.ptorrent.client.wire;

/**
 * The argument of {@value GatewayTasks#BALANCE}.
 *
 * @param account the account to read
 */
public record BalanceRequest(String account) {
}
