package io.ptorrent.plugin.admission;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.wire.WireError;
import io.ptorrent.plugin.NodeAttributes;
import io.ptorrent.plugin.OneNodeTask;
import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.share.ShareRules;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteException;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.compute.ComputeJobAdapter;
import org.apache.ignite.resources.IgniteInstanceResource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Changes a contributor's share rules from a harbor (the console's {@code PUT /api/nodes/{id}/rules}).
 * The rules travel as JSON and are validated on the contributor, which knows its own cores and memory;
 * the answer is plain text (the applied rules' JSON, or an error code and message), since the harbor
 * reads it from an untrusted node.
 */
public final class ShareRulesRemote {
    private static final Duration LIMIT = Duration.ofSeconds(10);
    private static final String ERROR = "error:";

    private ShareRulesRemote() {
    }

    /**
     * Sends rules to a contributor.
     *
     * @return completes with the rules now in force (JSON), or exceptionally with a {@link PtorrentException}:
     *         NOT_FOUND (no such contributor), CONFIG_INVALID (a bad rule: nothing changed), NOT_READY (unreachable)
     */
    public static CompletableFuture<String> apply(Ignite harbor, String nodeId, String json) {
        CompletableFuture<String> out = new CompletableFuture<>();
        ClusterNode node = contributor(harbor, nodeId);
        if (node == null) {
            out.completeExceptionally(new PtorrentException(ErrorCode.NOT_FOUND, "no contributor node " + nodeId + " in the grid"));
            return out;
        }
        harbor.compute(harbor.cluster().forNode(node)).withNoFailover().withTimeout(LIMIT.toMillis())
                .executeAsync(new OneNodeTask<String>(), new Apply(json)).listen(f -> {
                    try {
                        String answer = f.get();
                        if (answer != null && answer.startsWith(ERROR)) {
                            String[] parts = answer.substring(ERROR.length()).split("\n", 2);
                            out.completeExceptionally(new WireError(parts[0], parts.length > 1 ? parts[1] : "").toException());
                        } else {
                            out.complete(answer);
                        }
                    } catch (IgniteException e) {
                        out.completeExceptionally(new PtorrentException(ErrorCode.NOT_READY, "the contributor did not answer: " + e.getMessage(), e));
                    }
                });
        return out;
    }

    /** The node's owner-token hash, or null if it has none (or is no contributor). */
    public static String ownerTokenSha256(Ignite harbor, String nodeId) {
        ClusterNode node = contributor(harbor, nodeId);
        return node == null ? null : node.attribute(NodeAttributes.OWNER_TOKEN_SHA256);
    }

    /** Hex SHA-256 of a token, as nodes publish it. */
    public static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java 17 runtime has SHA-256", e);
        }
    }

    private static ClusterNode contributor(Ignite harbor, String nodeId) {
        UUID id;
        try {
            id = UUID.fromString(nodeId);
        } catch (IllegalArgumentException e) {
            return null;
        }
        ClusterNode node = harbor.cluster().node(id);
        return node != null && NodeAttributes.isContributor(node) ? node : null;
    }

    /**
     * Runs on the contributor: validate, apply, answer. Exempt from admission: it must reach a node that
     * shares nothing (to let it share again).
     */
    private static final class Apply extends ComputeJobAdapter implements AdmissionExempt {
        private static final long serialVersionUID = 1L;
        private final String json;

        @IgniteInstanceResource
        private transient Ignite ignite;

        Apply(String json) {
            this.json = json;
        }

        @Override
        public String execute() {
            try {
                PtorrentPlugin plugin = PtorrentPlugin.of(ignite);
                ShareRules rules = ShareRules.fromJson(json, plugin.pu().cores(), plugin.machineMemoryMb());
                plugin.share().rules(rules);
                return rules.toJson();
            } catch (PtorrentException e) {
                return ERROR + e.code().name() + "\n" + e.getMessage();
            } catch (RuntimeException e) {
                return ERROR + ErrorCode.INTERNAL.name() + "\n" + e;
            }
        }
    }
}
