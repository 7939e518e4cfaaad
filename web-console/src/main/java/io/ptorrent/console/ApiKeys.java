package io.ptorrent.console;

import io.ptorrent.plugin.security.Caller;

import java.util.Optional;

/** How the console checks a bearer API key: against the harbor's identities, per request (a revoked key stops at once). */
interface ApiKeys {
    /**
     * The caller the key authenticates, or empty for any wrong, unknown or revoked key.
     *
     * @throws IllegalStateException while the harbor's identities are not open yet
     */
    Optional<Caller> authenticate(String key);

    /** A console without identities (tests of the public read-only API): no key is accepted. */
    ApiKeys NONE = key -> Optional.empty();
}
