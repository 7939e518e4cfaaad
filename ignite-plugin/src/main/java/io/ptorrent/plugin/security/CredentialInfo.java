package io.ptorrent.plugin.security;

import java.time.Instant;

/**
 * A credential as a listing shows it: never its secret (the harbor does not have it).
 *
 * @param revokedAt null while the credential is valid
 */
public record CredentialInfo(String id, String account, CredentialKind kind, Instant createdAt, Instant revokedAt) {
    public boolean revoked() {
        return revokedAt != null;
    }
}
