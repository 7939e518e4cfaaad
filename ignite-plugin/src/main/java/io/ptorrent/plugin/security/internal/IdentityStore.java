package io.ptorrent.plugin.security.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.plugin.security.AccountRole;
import io.ptorrent.plugin.security.CredentialInfo;
import io.ptorrent.plugin.security.CredentialKind;
import io.ptorrent.plugin.security.IssuedCredential;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.CacheAtomicityMode;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.cache.CachePeekMode;
import org.apache.ignite.cache.CacheWriteSynchronizationMode;
import org.apache.ignite.cache.PartitionLossPolicy;
import org.apache.ignite.configuration.CacheConfiguration;

import javax.cache.Cache;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The harbor's identities: accounts (role, password hash) and their credentials (API keys, join credentials:
 * SHA-256 of the secret only), in the cache {@value #CACHE}.
 *
 * <h2>Design note</h2>
 * <b>Replicated, read locally.</b> Authentication runs on Ignite's discovery thread (a node's join) and on the
 * thin-client listener's threads. A cache read from the discovery thread that had to wait for a partition map
 * exchange would wait for the very thread that runs it; so the cache is REPLICATED over the harbor servers and
 * authentication reads it with {@code localPeek}, which never leaves the node and never waits for an exchange.
 * (The ledger's caches are partitioned with backups; identities are few and small, and every harbor must answer a
 * join on its own.) Its data region is the ledger's, so it is persistent exactly when the ledger is.
 *
 * <p><b>Values are JSON strings</b>, not Java objects: nothing of ours has to pass the marshaller's allow-list,
 * and a stored record can gain fields without breaking old ones. Keys: {@code a:<account>} and
 * {@code c:<credential id>}; a credential's token carries its id, so checking it is one lookup.
 *
 * <p>Writes are single-key and atomic ({@code putIfAbsent}, {@code replace(k, old, new)}); listing an account's
 * credentials scans the local copy (an operator's or owner's request, never an authentication).
 */
public final class IdentityStore {
    public static final String CACHE = "ptorrent-identities";
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final String ACCOUNT_ID = "[A-Za-z0-9._-]{1,64}";

    private final IgniteCache<String, String> cache;
    private final Clock clock;

    /** An account as stored. */
    public record AccountRecord(String id, String role, String passwordHash, String createdBy, long createdAtMs) {
        public AccountRole accountRole() {
            AccountRole r = AccountRole.fromId(role);
            return r == null ? AccountRole.MEMBER : r;
        }
    }

    /** A credential as stored: never its secret. */
    public record CredentialRecord(String id, String account, String kind, String sha256, long createdAtMs, Long revokedAtMs) {
        public CredentialKind credentialKind() {
            return CredentialKind.fromId(kind);
        }

        CredentialInfo info() {
            return new CredentialInfo(id, account, credentialKind(), Instant.ofEpochMilli(createdAtMs),
                    revokedAtMs == null ? null : Instant.ofEpochMilli(revokedAtMs));
        }
    }

    /** Set once {@link #awaitLocalCopy} has seen the rebalance end: later copies follow each change as it is made. */
    private volatile boolean localCopyComplete;

    private IdentityStore(IgniteCache<String, String> cache, Clock clock) {
        this.cache = cache;
        this.clock = clock;
    }

    /** Creates or joins the cache on a harbor node. */
    public static IdentityStore start(Ignite ignite, String dataRegion, Clock clock) {
        CacheConfiguration<String, String> cfg = new CacheConfiguration<String, String>(CACHE)
                .setCacheMode(CacheMode.REPLICATED)
                .setAtomicityMode(CacheAtomicityMode.ATOMIC)
                .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC)
                // Only server nodes (harbors) hold a replicated cache's data; contributors are client nodes.
                .setPartitionLossPolicy(PartitionLossPolicy.READ_WRITE_SAFE);
        if (dataRegion != null) {
            cfg.setDataRegionName(dataRegion);
        }
        return new IdentityStore(ignite.getOrCreateCache(cfg), clock);
    }

    public static boolean validAccountId(String id) {
        return id != null && id.matches(ACCOUNT_ID);
    }

    // ---- reads for authentication: local, no waiting ----

    /** The account from this node's copy, or null. */
    public AccountRecord localAccount(String id) {
        String v = cache.localPeek("a:" + id, CachePeekMode.PRIMARY, CachePeekMode.BACKUP);
        return v == null ? null : read(v, AccountRecord.class);
    }

    /** The credential from this node's copy, or null. */
    public CredentialRecord localCredential(String id) {
        String v = cache.localPeek("c:" + id, CachePeekMode.PRIMARY, CachePeekMode.BACKUP);
        return v == null ? null : read(v, CredentialRecord.class);
    }

    /**
     * For authentication off the discovery thread (thin clients, the console): this node's copy, or, while that copy
     * still fills (a harbor that has just joined), the owner's: a new harbor must not refuse keys it has not got yet.
     */
    public AccountRecord accountToAuthenticate(String id) {
        AccountRecord a = localAccount(id);
        return a != null || localCopyComplete ? a : account(id);
    }

    /** As {@link #accountToAuthenticate}, for a credential. */
    public CredentialRecord credentialToAuthenticate(String id) {
        CredentialRecord c = localCredential(id);
        return c != null || localCopyComplete ? c : credential(id);
    }

    /**
     * Waits until this harbor holds its whole copy of the identities. A harbor that has just joined gets its copy
     * by rebalance, after its start: until then its local reads miss credentials that exist.
     */
    public void awaitLocalCopy() {
        if (!localCopyComplete) {
            cache.rebalance().get();
            localCopyComplete = true;
        }
    }

    // ---- reads and writes of the identity gateway and the operator ----

    /** The credential, read from the harbor that owns it (not this node's copy, which may still be filling). */
    public CredentialRecord credential(String id) {
        String v = cache.get("c:" + id);
        return v == null ? null : read(v, CredentialRecord.class);
    }

    public AccountRecord account(String id) {
        String v = cache.get("a:" + id);
        return v == null ? null : read(v, AccountRecord.class);
    }

    /**
     * Creates an account.
     *
     * @param password  null: none (the account authenticates with API keys only)
     * @param createdBy who created it: {@code operator}, {@code harbor} (the harbor's own start), {@code self}
     * @return false if it exists already (nothing changed)
     */
    public boolean createAccount(String id, AccountRole role, char[] password, String createdBy) {
        if (!validAccountId(id)) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, "account id '" + id + "' must be 1-64 letters, digits, '.', '_' or '-'");
        }
        String hash = password == null ? null : PasswordHashing.hash(checkPassword(password));
        AccountRecord a = new AccountRecord(id, role.id(), hash, createdBy, clock.millis());
        return cache.putIfAbsent("a:" + id, write(a));
    }

    /** Sets (or replaces) an account's password. */
    public void setPassword(String id, char[] password) {
        String hash = PasswordHashing.hash(checkPassword(password));
        for (int i = 0; i < 16; i++) {
            String old = cache.get("a:" + id);
            if (old == null) {
                throw unknown(id);
            }
            AccountRecord a = read(old, AccountRecord.class);
            if (cache.replace("a:" + id, old, write(new AccountRecord(a.id(), a.role(), hash, a.createdBy(), a.createdAtMs())))) {
                return;
            }
        }
        throw new PtorrentException(ErrorCode.NOT_READY, "account " + id + " changed 16 times while its password was set; try again");
    }

    /** Issues a new credential of {@code kind} to an existing account; its secret is in the result only. */
    public IssuedCredential issue(String account, CredentialKind kind) {
        if (account(account) == null) {
            throw unknown(account);
        }
        while (true) {
            String id = Tokens.newId();
            String secret = Tokens.newSecret();
            CredentialRecord c = new CredentialRecord(id, account, kind.id(), Tokens.sha256Hex(secret), clock.millis(), null);
            if (cache.putIfAbsent("c:" + id, write(c))) {
                return new IssuedCredential(id, account, kind, Tokens.format(kind, id, secret));
            }
        }
    }

    /**
     * Revokes a credential of {@code account}. Revoking twice is no error.
     *
     * @throws PtorrentException NOT_FOUND if the account has no such credential
     */
    public CredentialInfo revoke(String account, String credentialId) {
        for (int i = 0; i < 16; i++) {
            String old = credentialId == null ? null : cache.get("c:" + credentialId);
            CredentialRecord c = old == null ? null : read(old, CredentialRecord.class);
            if (c == null || !c.account().equals(account)) {
                throw new PtorrentException(ErrorCode.NOT_FOUND, "account " + account + " has no credential " + credentialId
                        + "; list them with bin/ptorrent account list");
            }
            if (c.revokedAtMs() != null) {
                return c.info();
            }
            CredentialRecord r = new CredentialRecord(c.id(), c.account(), c.kind(), c.sha256(), c.createdAtMs(), clock.millis());
            if (cache.replace("c:" + credentialId, old, write(r))) {
                return r.info();
            }
        }
        throw new PtorrentException(ErrorCode.NOT_READY, "credential " + credentialId + " changed 16 times while it was revoked; try again");
    }

    /** An account's credentials, oldest first (ids and dates, never secrets). */
    public List<CredentialInfo> list(String account) {
        List<CredentialInfo> out = new ArrayList<>();
        for (Cache.Entry<String, String> e : cache.localEntries(CachePeekMode.PRIMARY, CachePeekMode.BACKUP)) {
            if (e.getKey().startsWith("c:")) {
                CredentialRecord c = read(e.getValue(), CredentialRecord.class);
                if (c.account().equals(account)) {
                    out.add(c.info());
                }
            }
        }
        out.sort(Comparator.comparing(CredentialInfo::createdAt).thenComparing(CredentialInfo::id));
        return out;
    }

    /** Every join credential in this node's copy (for {@link JoinCredentialSnapshot}). */
    public List<CredentialRecord> localJoinCredentials() {
        List<CredentialRecord> out = new ArrayList<>();
        for (Cache.Entry<String, String> e : cache.localEntries(CachePeekMode.PRIMARY, CachePeekMode.BACKUP)) {
            if (e.getKey().startsWith("c:")) {
                CredentialRecord c = read(e.getValue(), CredentialRecord.class);
                if (c.credentialKind() == CredentialKind.JOIN) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    /**
     * Calls {@code onChange} (on an Ignite thread: keep it short) after every change of a credential, from any
     * harbor; until {@code AutoCloseable#close}.
     */
    public AutoCloseable onCredentialChange(Runnable onChange) {
        org.apache.ignite.cache.query.ContinuousQuery<String, String> q = new org.apache.ignite.cache.query.ContinuousQuery<>();
        q.setLocalListener(events -> {
            for (javax.cache.event.CacheEntryEvent<? extends String, ? extends String> e : events) {
                if (e.getKey().startsWith("c:")) {
                    onChange.run();
                    return;
                }
            }
        });
        return cache.query(q);
    }

    private static char[] checkPassword(char[] password) {
        if (password.length < 12) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, "a password needs at least 12 characters (it has " + password.length
                    + "); or use an API key, which the harbor generates");
        }
        return password;
    }

    private static PtorrentException unknown(String id) {
        return new PtorrentException(ErrorCode.UNKNOWN_ACCOUNT, "the harbor knows no account '" + id + "'; the operator creates it"
                + " (bin/ptorrent account create ID with the operator key)");
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored identity record is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
