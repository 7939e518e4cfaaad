package io.ptorrent.client.wire;

import java.util.List;

/**
 * What the gateway answers: either the fragments' results (in fragment order) or an error.
 *
 * @param taskId    the harbor's id of the task
 * @param fragments one outcome per fragment, in the order of the request; empty on error
 * @param error     null on success
 */
public record SubmitResult(String taskId, List<FragmentResult> fragments, WireError error) {
    public SubmitResult {
        fragments = fragments == null ? List.of() : List.copyOf(fragments);
    }

    /**
     * @param index  the fragment's position in the request
     * @param nodeId the contributor node that produced the accepted result
     * @param value  the closure's return value, Java-serialized inside the sandbox
     * @param millis the fragment's run time as the harbor observed it
     */
    public record FragmentResult(int index, String nodeId, byte[] value, long millis) {
    }
}
