package io.ptorrent.plugin.security;

import java.util.Objects;

/**
 * A credential just issued: the only moment its secret exists outside its holder (the harbor keeps its SHA-256
 * only). Show it once, write it to a file of mode 600, never log it.
 *
 * @param id      the credential's id, for listing and revoking (not a secret)
 * @param account the account it belongs to
 * @param kind    what it opens
 * @param token   the whole secret token, {@code <prefix>.<id>.<secret>}
 */
public record IssuedCredential(String id, String account, CredentialKind kind, String token) {
    public IssuedCredential {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(token, "token");
    }

    @Override
    public String toString() {
        // A record prints its fields; this one must not print its secret into a log by accident.
        return "IssuedCredential[id=" + id + ", account=" + account + ", kind=" + kind.id() + "]";
    }
}
