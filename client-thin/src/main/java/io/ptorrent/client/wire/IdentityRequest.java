package io.ptorrent.client.wire;

/**
 * The argument of the identity gateway tasks ({@link GatewayTasks#ACCOUNT_CREATE}, {@link GatewayTasks#CREDENTIAL_CREATE},
 * {@link GatewayTasks#CREDENTIAL_REVOKE}, {@link GatewayTasks#CREDENTIAL_LIST}). Every field may be null where a task
 * does not use it.
 *
 * @param account  the account; null: the caller's own
 * @param role     {@code member} (default) or {@code operator}, for a new account
 * @param password a new account's password (at least 12 characters); null: none, API keys only
 * @param kind     {@code api-key} or {@code join}
 * @param id       a credential's id, to revoke it
 */
public record IdentityRequest(String account, String role, String password, String kind, String id) {
    @Override
    public String toString() {
        return "IdentityRequest[account=" + account + ", role=" + role + ", kind=" + kind + ", id=" + id + "]";
    }
}
