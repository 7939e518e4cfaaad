package io.ptorrent.client.wire;

import java.util.List;
import java.util.Objects;

/**
 * A task as the thin client sends it: the code bundle and one serialized closure per fragment.
 *
 * @param account   the account the task runs for (may be null until accounts exist)
 * @param label     a short human label for the task (may be null; kept for a task list, not shown yet)
 * @param bundle    the classes the fragments need
 * @param fragments each a Java-serialized {@code SerializableCallable}; deserialized only inside a
 *                  sandbox worker process, never in a node's JVM
 * @param timeoutMs wall-clock limit for one fragment, in milliseconds
 */
public record SubmitRequest(String account, String label, WireBundle bundle, List<byte[]> fragments, long timeoutMs) {
    public SubmitRequest {
        Objects.requireNonNull(bundle, "bundle");
        fragments = List.copyOf(Objects.requireNonNull(fragments, "fragments"));
    }
}
