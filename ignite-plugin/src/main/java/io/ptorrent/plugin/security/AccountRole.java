package io.ptorrent.plugin.security;

import java.util.Locale;

/** What an account may do on the grid (docs/SECURITY.md has the table). */
public enum AccountRole {
    /**
     * A person: submits tasks and reads its own credit through the gateway tasks, and earns with its contributor
     * nodes (their join credentials). No cache API and no SQL.
     */
    MEMBER,
    /** Runs the harbor: creates accounts, grants credit through the ledger, reads every account, read-only SQL for audit. */
    OPERATOR;

    /** {@code member} or {@code operator}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #id()}; null for anything else. */
    public static AccountRole fromId(String id) {
        for (AccountRole r : values()) {
            if (r.id().equals(id)) {
                return r;
            }
        }
        return null;
    }
}
