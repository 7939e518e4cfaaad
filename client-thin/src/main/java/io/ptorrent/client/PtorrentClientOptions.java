package io.ptorrent.client;

import javax.cache.configuration.Factory;
import javax.net.ssl.SSLContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link PtorrentClient} connects and submits. Setters return {@code this}; values are checked
 * by {@link PtorrentClient#connect(PtorrentClientOptions)}.
 */
public final class PtorrentClientOptions {
    /** The harbor's thin-client address in a local grid (Ignite's default thin-client port). */
    public static final String DEFAULT_ADDRESS = "127.0.0.1:10800";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    /**
     * {@link #maxMapFragments}'s default: none set, {@link PtorrentClient#map} and {@link PtorrentClient#mapRange} size
     * their split from the grid ({@link #MAP_FRAGMENTS_PER_SHARED_CORE} per shared core of the harbor's contributors).
     */
    public static final int FROM_THE_GRID = 0;
    /**
     * Fragments per shared core when the grid sizes a map: several per core, so that a fast node takes more than a
     * slow one and the tail stays short (a fragment's overhead is a fraction of a millisecond on the pipelined path).
     */
    public static final int MAP_FRAGMENTS_PER_SHARED_CORE = 8;
    /** The fewest and the most fragments a map sized by the grid makes (fewer when there are fewer inputs). */
    public static final int MIN_MAP_FRAGMENTS = 16;
    public static final int MAX_MAP_FRAGMENTS = 4096;

    private final List<String> addresses = new ArrayList<>(List.of(DEFAULT_ADDRESS));
    private String account;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration fragmentTimeout = Duration.ZERO;
    private int maxMapFragments = FROM_THE_GRID;
    private String userName;
    private String password;
    private Factory<SSLContext> sslContextFactory;

    public List<String> addresses() {
        return List.copyOf(addresses);
    }

    /**
     * Harbor thin-client addresses, {@code host:port} or {@code host:port1..port2}; any one is enough. The client
     * talks to one harbor at a time and moves to another address only when that harbor is gone; the tasks that
     * harbor ran end with it (their escrow is refunded) and answer NOT_FOUND on the next one.
     */
    public PtorrentClientOptions addresses(String... addresses) {
        this.addresses.clear();
        this.addresses.addAll(List.of(addresses));
        return this;
    }

    /** The account this client acts for: the one set, else the one it authenticates as ({@link #credentials}). */
    public String account() {
        return account != null ? account : userName;
    }

    /** The account that pays for tasks (unset: none yet; accounts arrive with the credit ledger). */
    public PtorrentClientOptions account(String account) {
        this.account = account;
        return this;
    }

    public Duration timeout() {
        return timeout;
    }

    /** How long a whole task may take, from submit to result. */
    public PtorrentClientOptions timeout(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    public Duration fragmentTimeout() {
        return fragmentTimeout;
    }

    /** How long one fragment may run on a contributor; zero leaves it to the harbor's limit. */
    public PtorrentClientOptions fragmentTimeout(Duration fragmentTimeout) {
        this.fragmentTimeout = Objects.requireNonNull(fragmentTimeout, "fragmentTimeout");
        return this;
    }

    public int maxMapFragments() {
        return maxMapFragments;
    }

    /**
     * The most fragments a {@code map} or {@code mapRange} makes; more inputs are batched, consecutive ones
     * together. {@link #FROM_THE_GRID} (the default): {@link #MAP_FRAGMENTS_PER_SHARED_CORE} per core the harbor's
     * contributors share when the map starts, within {@link #MIN_MAP_FRAGMENTS}..{@link #MAX_MAP_FRAGMENTS}.
     */
    public PtorrentClientOptions maxMapFragments(int maxMapFragments) {
        this.maxMapFragments = maxMapFragments;
        return this;
    }

    public String userName() {
        return userName;
    }

    public String password() {
        return password;
    }

    /**
     * Authenticates as an account: {@code userName} is the account id, {@code password} its password or one of its API
     * keys (passed to Ignite's {@code ClientConfiguration}). The harbor charges and answers for the authenticated
     * account only; {@link #account()} is this one unless set otherwise (then the harbor refuses with NOT_AUTHORIZED).
     */
    public PtorrentClientOptions credentials(String userName, String password) {
        this.userName = Objects.requireNonNull(userName, "userName");
        this.password = Objects.requireNonNull(password, "password");
        return this;
    }

    /** {@link #credentials} with an API key of {@code account} (as {@code bin/ptorrent account key create} printed it). */
    public PtorrentClientOptions apiKey(String account, String apiKey) {
        return credentials(account, apiKey);
    }

    public Factory<SSLContext> sslContextFactory() {
        return sslContextFactory;
    }

    /**
     * Connects with TLS, using {@code factory}'s context (for example Ignite's
     * {@code org.apache.ignite.ssl.SslContextFactory} with a key store and a trust store); null: plain TCP.
     */
    public PtorrentClientOptions sslContextFactory(Factory<SSLContext> factory) {
        this.sslContextFactory = factory;
        return this;
    }

    /**
     * Connects with TLS, trusting the CA certificates in {@code caPemFile} to identify the harbor (the demo's is
     * {@link TlsTrust#DEV_CA}); {@code null} trusts the JVM's default CAs. No client key is needed.
     *
     * @throws PtorrentException CONFIG_INVALID when the file is missing or holds no certificate
     */
    public PtorrentClientOptions tlsTrust(java.nio.file.Path caPemFile) {
        return sslContextFactory(TlsTrust.clientFactory(caPemFile));
    }

    void validate() {
        if (addresses.isEmpty()) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, "PtorrentClientOptions.addresses is empty; give at least one harbor host:port");
        }
        for (String a : addresses) {
            if (a == null || !a.matches("[^\\s:]+:\\d{1,5}(\\.\\.\\d{1,5})?")) {
                throw new PtorrentException(ErrorCode.BAD_REQUEST, "PtorrentClientOptions.addresses: '" + a + "' is not host:port");
            }
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, "PtorrentClientOptions.timeout must be positive, was " + timeout);
        }
        if (maxMapFragments < 0) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, "PtorrentClientOptions.maxMapFragments must be at least 1, or "
                    + FROM_THE_GRID + " to size maps from the grid; was " + maxMapFragments);
        }
        if (fragmentTimeout.isNegative()) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, "PtorrentClientOptions.fragmentTimeout must not be negative, was " + fragmentTimeout);
        }
    }
}
