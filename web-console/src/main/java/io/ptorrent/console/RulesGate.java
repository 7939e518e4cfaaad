package io.ptorrent.console;

import java.util.concurrent.CompletableFuture;

/** How the console changes a contributor's share rules: through the harbor, to the node. */
interface RulesGate {
    /**
     * Sends rules (JSON) to a contributor.
     *
     * @return the rules in force (JSON), or exceptionally a {@code PtorrentException} with the code to answer
     */
    CompletableFuture<String> apply(String nodeId, String json);

    /** The node's published owner-token hash (hex SHA-256), or null if it has none or is unknown. */
    String ownerTokenSha256(String nodeId);

    /** A console that cannot change rules (tests of the read-only API). */
    RulesGate NONE = new RulesGate() {
        @Override
        public CompletableFuture<String> apply(String nodeId, String json) {
            return CompletableFuture.failedFuture(new io.ptorrent.client.PtorrentException(io.ptorrent.client.ErrorCode.NOT_FOUND, "no contributor node " + nodeId));
        }

        @Override
        public String ownerTokenSha256(String nodeId) {
            return null;
        }
    };
}
