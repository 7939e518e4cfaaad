package io.ptorrent.client.wire;

import java.util.List;

/**
 * What the identity gateway tasks answer.
 *
 * @param account     the account concerned
 * @param role        its role ({@code member}, {@code operator}), where known
 * @param issued      the credential just issued, with its token: shown this once, stored nowhere on the harbor
 * @param credentials the account's credentials (listing, revoking), never with a token
 * @param error       null on success
 */
public record IdentityResult(String account, String role, Credential issued, List<Credential> credentials, WireError error) {
    public IdentityResult {
        credentials = credentials == null ? List.of() : List.copyOf(credentials);
    }

    public static IdentityResult failed(String account, WireError error) {
        return new IdentityResult(account, null, null, List.of(), error);
    }

    /**
     * A credential.
     *
     * @param createdAt ISO-8601 instant
     * @param revokedAt ISO-8601 instant, null while valid
     * @param token     the secret token, only in {@link IdentityResult#issued}
     */
    public record Credential(String id, String account, String kind, String createdAt, String revokedAt, String token) {
        @Override
        public String toString() {
            return "Credential[id=" + id + ", account=" + account + ", kind=" + kind + ", revokedAt=" + revokedAt + "]";
        }
    }
}
