package io.ptorrent.client.wire;

import java.util.List;

/**
 * What the gateway answers: either the fragments' results (in fragment order) or an error.
 *
 * @param taskId    the harbor's id of the task
 * @param fragments one outcome per fragment, in the order of the request; empty on error
 * @param error       null on success
 * @param creditSpent what the task cost its account, milli-PU-seconds: the sum paid to contributors for its
 *                    accepted fragments (also when it failed or was cancelled; 0 on a harbor that keeps no ledger)
 */
public record SubmitResult(String taskId, List<FragmentResult> fragments, WireError error, long creditSpent) {
    public SubmitResult {
        fragments = fragments == null ? List.of() : List.copyOf(fragments);
    }

    /** A result with nothing spent (yet). */
    public SubmitResult(String taskId, List<FragmentResult> fragments, WireError error) {
        this(taskId, fragments, error, 0);
    }

    /** This result with {@code creditSpent} set. */
    public SubmitResult withCreditSpent(long creditSpent) {
        return new SubmitResult(taskId, fragments, error, creditSpent);
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
