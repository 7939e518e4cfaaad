package io.ptorrent.plugin.security;

import io.ptorrent.plugin.security.internal.IdentityStore;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A harbor's accounts and their credentials (the cache {@value IdentityStore#CACHE}). Found with
 * {@code PtorrentPlugin.of(harbor).identities()}; harbors only. Whoever calls these decides who may: the identity
 * gateway tasks check the caller, the launcher and tests act as the harbor's operator.
 *
 * <p>Thread-safe; every method is a cache operation (blocking, no transaction).
 */
public final class Identities {
    /** The operator account a harbor creates at the first start of a grid. */
    public static final String OPERATOR_ACCOUNT = "operator";

    private final IdentityStore store;

    /** For the plugin, which owns the store. */
    public Identities(IdentityStore store) {
        this.store = Objects.requireNonNull(store);
    }

    /**
     * Creates an account.
     *
     * @param password  null: none (API keys only); at least 12 characters otherwise
     * @param createdBy {@code operator}, {@code harbor} or {@code self}: recorded, and the starter-grant policy reads it
     * @return false if the account exists already (nothing changed)
     */
    public boolean createAccount(String id, AccountRole role, char[] password, String createdBy) {
        return store.createAccount(id, role, password, createdBy);
    }

    /** The account's role, or empty if the harbor knows no such account. */
    public Optional<AccountRole> role(String account) {
        IdentityStore.AccountRecord a = store.account(account);
        return a == null ? Optional.empty() : Optional.of(a.accountRole());
    }

    public boolean exists(String account) {
        return store.account(account) != null;
    }

    /** Who created the account ({@code operator}, {@code harbor}, {@code self}), or empty if there is none. */
    public Optional<String> createdBy(String account) {
        IdentityStore.AccountRecord a = store.account(account);
        return a == null ? Optional.empty() : Optional.ofNullable(a.createdBy());
    }

    /**
     * Whether an account of this origin ({@link #createdBy}) was approved by an operator: created by one, or by the
     * harbor itself. The starter-grant policy gives credit only to those.
     */
    public static boolean operatorApproved(String createdBy) {
        return "operator".equals(createdBy) || "harbor".equals(createdBy);
    }

        public void setPassword(String account, char[] password) {
        store.setPassword(account, password);
    }

    /** A new credential of {@code kind} for the account; its secret is in the result only. */
    public IssuedCredential issue(String account, CredentialKind kind) {
        return store.issue(account, kind);
    }

    public CredentialInfo revoke(String account, String credentialId) {
        return store.revoke(account, credentialId);
    }

    /**
     * The caller an API key authenticates (an operator or a member), or empty for a malformed, unknown, revoked or
     * wrong key, or a join credential: one answer for all, so that a caller learns nothing about which. Reads the
     * local copy (harbors hold all of it; a harbor that has just joined asks the owner until its copy is whole), compares
     * the secret's hash in constant time, and never logs the key.
     */
    public Optional<Caller> authenticateApiKey(String key) {
        io.ptorrent.plugin.security.internal.Tokens.Parsed t = io.ptorrent.plugin.security.internal.Tokens.parse(key);
        if (t == null || t.kind() != CredentialKind.API_KEY) {
            return Optional.empty();
        }
        IdentityStore.CredentialRecord c = store.credentialToAuthenticate(t.id());
        if (c == null || c.credentialKind() != CredentialKind.API_KEY || c.revokedAtMs() != null
                || !io.ptorrent.plugin.security.internal.Tokens.matches(c.sha256(), t.secret())) {
            return Optional.empty();
        }
        IdentityStore.AccountRecord a = store.accountToAuthenticate(c.account());
        if (a == null) {
            return Optional.empty();
        }
        return Optional.of(new Caller(a.accountRole() == AccountRole.OPERATOR ? Caller.Kind.OPERATOR : Caller.Kind.MEMBER, a.id()));
    }

    /** The account's credentials (ids, never secrets), oldest first. */
    public List<CredentialInfo> list(String account) {
        return store.list(account);
    }
}
