package io.ptorrent.credit;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;

import java.time.Duration;
import java.util.Objects;

/**
 * Options of the credit ledger, each with its default and its check in one place. Fluent setters check
 * their argument at once and throw {@link PtorrentException} with {@code CONFIG_INVALID} naming the field.
 * Amounts in milli-PU-seconds ({@link CreditSpi#UNITS_PER_CREDIT} per credit).
 */
public final class CreditConfiguration {
    /** One PU-hour: enough to try the grid before contributing. */
    public static final long DEFAULT_STARTER_GRANT = 3_600L * CreditSpi.UNITS_PER_CREDIT;
    /** 10^9 credits (~31 PU-years) per movement: far above any real task, far below overflow of sums. */
    public static final long DEFAULT_MAX_AMOUNT = 1_000_000_000L * CreditSpi.UNITS_PER_CREDIT;
    public static final int DEFAULT_MAX_BATCH = 10_000;
    public static final Duration DEFAULT_TX_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_RETRIES = 5;
    public static final String DEFAULT_ACCOUNTS_CACHE = "ptorrent-accounts";
    public static final String DEFAULT_HOLDS_CACHE = "ptorrent-holds";
    public static final String DEFAULT_LEDGER_CACHE = "ptorrent-ledger";
    public static final String DEFAULT_CACHE_GROUP = "ptorrent-credit";
    /** SQL schema of the tables {@code ACCOUNT}, {@code HOLD} and {@code LEDGER}. */
    public static final String DEFAULT_SQL_SCHEMA = "PTORRENT";

    private long starterGrant = DEFAULT_STARTER_GRANT;
    private long maxAmount = DEFAULT_MAX_AMOUNT;
    private int maxBatch = DEFAULT_MAX_BATCH;
    private Duration txTimeout = DEFAULT_TX_TIMEOUT;
    private int retries = DEFAULT_RETRIES;
    private String accountsCache = DEFAULT_ACCOUNTS_CACHE;
    private String holdsCache = DEFAULT_HOLDS_CACHE;
    private String ledgerCache = DEFAULT_LEDGER_CACHE;
    private String cacheGroup = DEFAULT_CACHE_GROUP;
    private String sqlSchema = DEFAULT_SQL_SCHEMA;
    private String dataRegion;

    /**
     * Given to a new account from the grid account; 0 for none. {@link CreditSpi#openAccount(String, String, SlaTier)}
     * gives it to every new account; a ptorrent harbor gives it only to accounts an operator created or opened
     * (the plugin's starter-grant policy: a self-registered account gets none, docs/CREDIT.md).
     */
    public CreditConfiguration setStarterGrant(long units) {
        this.starterGrant = check("starterGrant", units, 0, Long.MAX_VALUE);
        return this;
    }

    /** The largest amount one grant, hold or settlement may move ({@code BAD_AMOUNT} above it). */
    public CreditConfiguration setMaxAmount(long units) {
        this.maxAmount = check("maxAmount", units, 1, Long.MAX_VALUE / 1_000_000);
        return this;
    }

    /** The most settlements one {@link CreditSpi#settleAll} call may carry. */
    public CreditConfiguration setMaxBatch(int maxBatch) {
        this.maxBatch = (int) check("maxBatch", maxBatch, 1, 1_000_000);
        return this;
    }

    /** How long one ledger transaction may take before it is rolled back (and retried). */
    public CreditConfiguration setTxTimeout(Duration txTimeout) {
        Objects.requireNonNull(txTimeout, "txTimeout");
        check("txTimeout (ms)", txTimeout.toMillis(), 1, Duration.ofHours(1).toMillis());
        this.txTimeout = txTimeout;
        return this;
    }

    /** How often a movement is retried after a transient cluster failure (topology change, timeout). */
    public CreditConfiguration setRetries(int retries) {
        this.retries = (int) check("retries", retries, 0, 100);
        return this;
    }

    public CreditConfiguration setAccountsCache(String name) {
        this.accountsCache = name("accountsCache", name);
        return this;
    }

    public CreditConfiguration setHoldsCache(String name) {
        this.holdsCache = name("holdsCache", name);
        return this;
    }

    public CreditConfiguration setLedgerCache(String name) {
        this.ledgerCache = name("ledgerCache", name);
        return this;
    }

    /** The cache group of the three caches (one set of partition files under persistence). */
    public CreditConfiguration setCacheGroup(String name) {
        this.cacheGroup = name("cacheGroup", name);
        return this;
    }

    public CreditConfiguration setSqlSchema(String name) {
        // No '-' here: the schema is written unquoted in SQL.
        this.sqlSchema = name("sqlSchema", name == null || name.indexOf('-') < 0 ? name : null);
        return this;
    }

    /**
     * The data region of the ledger's caches; {@code null} (the default) for the node's default region.
     * The ledger is durable exactly when this region has native persistence enabled.
     */
    public CreditConfiguration setDataRegion(String name) {
        this.dataRegion = name == null ? null : name("dataRegion", name);
        return this;
    }

    public long starterGrant() {
        return starterGrant;
    }

    public long maxAmount() {
        return maxAmount;
    }

    public int maxBatch() {
        return maxBatch;
    }

    public Duration txTimeout() {
        return txTimeout;
    }

    public int retries() {
        return retries;
    }

    public String accountsCache() {
        return accountsCache;
    }

    public String holdsCache() {
        return holdsCache;
    }

    public String ledgerCache() {
        return ledgerCache;
    }

    public String cacheGroup() {
        return cacheGroup;
    }

    public String sqlSchema() {
        return sqlSchema;
    }

    /** Null for the node's default data region. */
    public String dataRegion() {
        return dataRegion;
    }

    private static long check(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new PtorrentException(ErrorCode.CONFIG_INVALID, "credit configuration: " + field + " must be in [" + min + ", " + max + "], was " + value);
        }
        return value;
    }

    private static String name(String field, String value) {
        if (value == null || !value.matches("[A-Za-z][A-Za-z0-9_-]{0,63}")) {
            throw new PtorrentException(ErrorCode.CONFIG_INVALID, "credit configuration: " + field
                    + " must be a letter then letters, digits, '_' or '-' (at most 64), was " + value);
        }
        return value;
    }
}
