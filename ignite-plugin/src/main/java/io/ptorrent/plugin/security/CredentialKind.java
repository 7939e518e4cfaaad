package io.ptorrent.plugin.security;

import java.util.Locale;

/** What a credential of an account opens: the thin-client port (and JDBC, the console) or a contributor's join. */
public enum CredentialKind {
    /** A thin client, JDBC or console call authenticates with it as the password of the account. */
    API_KEY("ptk"),
    /** A contributor node presents it when it joins the grid, to earn for the account. */
    JOIN("ptj");

    private final String prefix;

    CredentialKind(String prefix) {
        this.prefix = prefix;
    }

    /** The token's first part, which tells one kind from the other at a glance (and in a leaked-secret scanner). */
    public String prefix() {
        return prefix;
    }

    /** {@code api-key} or {@code join}: the name in JSON and on the command line. */
    public String id() {
        return this == API_KEY ? "api-key" : "join";
    }

    /** Parses {@link #id()} (case-insensitive); null for anything else. */
    public static CredentialKind fromId(String id) {
        for (CredentialKind k : values()) {
            if (k.id().equals(id == null ? null : id.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        return null;
    }
}
