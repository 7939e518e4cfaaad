package io.ptorrent.plugin;

import java.util.Locale;

/** What a ptorrent node is in the grid. */
public enum NodeRole {
    /** The trusted core: an Ignite server node run by an operator. */
    HARBOR,
    /** A household machine: an Ignite client node that runs fragments inside its share rules. */
    CONTRIBUTOR;

    /** The name used in configs, node attributes and JSON: {@code "harbor"} or {@code "contributor"}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #id()}; null for anything else. */
    public static NodeRole fromId(String id) {
        for (NodeRole r : values()) {
            if (r.id().equals(id)) {
                return r;
            }
        }
        return null;
    }
}
