package io.ptorrent.client;

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

    private final List<String> addresses = new ArrayList<>(List.of(DEFAULT_ADDRESS));
    private String account;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration fragmentTimeout = Duration.ZERO;

    public List<String> addresses() {
        return List.copyOf(addresses);
    }

    /** Harbor thin-client addresses, {@code host:port} or {@code host:port1..port2}; any one is enough. */
    public PtorrentClientOptions addresses(String... addresses) {
        this.addresses.clear();
        this.addresses.addAll(List.of(addresses));
        return this;
    }

    public String account() {
        return account;
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
        if (fragmentTimeout.isNegative()) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, "PtorrentClientOptions.fragmentTimeout must not be negative, was " + fragmentTimeout);
        }
    }
}
