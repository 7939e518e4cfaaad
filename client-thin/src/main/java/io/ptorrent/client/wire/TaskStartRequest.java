package io.ptorrent.client.wire;

import java.util.List;
import java.util.Objects;

/**
 * The argument of {@value GatewayTasks#TASK_START}: a task whose code the harbor already holds (uploaded
 * with {@value GatewayTasks#BUNDLE_UPLOAD}), named by its hash.
 *
 * @param account       the account the task runs for (null: none; a harbor with credit refuses it)
 * @param label         a short human label (may be null)
 * @param bundleSha256  the hash of the task's bundle; unknown to the harbor: error BUNDLE_NOT_FOUND
 * @param fragments     each a Java-serialized {@code SerializableCallable}; deserialized only in a sandbox worker
 * @param timeoutMs     wall-clock limit for one fragment, ms; 0 = the harbor's limit
 * @param taskTimeoutMs wall-clock limit for the whole task from its start, ms; past it the task fails with
 *                      TASK_TIMEOUT and its fragments are cancelled; 0 = none
 */
public record TaskStartRequest(String account, String label, String bundleSha256, List<byte[]> fragments, long timeoutMs,
                               long taskTimeoutMs) {
    public TaskStartRequest {
        Objects.requireNonNull(bundleSha256, "bundleSha256");
        fragments = List.copyOf(Objects.requireNonNull(fragments, "fragments"));
    }
}
