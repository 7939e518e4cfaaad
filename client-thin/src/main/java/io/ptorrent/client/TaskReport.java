package io.ptorrent.client;

import java.util.List;

/**
 * Where and how long a finished task ran.
 *
 * @param taskId    the harbor's id of the task
 * @param fragments   one entry per fragment, in fragment order
 * @param creditSpent what the task cost, milli-PU-seconds (1,000 per credit; 0 on a harbor without a ledger)
 */
public record TaskReport(String taskId, List<Fragment> fragments, long creditSpent) {
    public TaskReport {
        fragments = List.copyOf(fragments);
    }

    /** A report with nothing spent. */
    public TaskReport(String taskId, List<Fragment> fragments) {
        this(taskId, fragments, 0);
    }

    /** {@link #creditSpent} in credits (PU-seconds). */
    public double creditsSpent() {
        return creditSpent / 1000.0;
    }

    /** The distinct contributor node ids that produced the results. */
    public List<String> nodeIds() {
        return fragments.stream().map(Fragment::nodeId).distinct().sorted().toList();
    }

    /**
     * @param index  the fragment's position
     * @param nodeId the contributor node that ran it
     * @param millis its run time as the harbor observed it
     */
    public record Fragment(int index, String nodeId, long millis) {
    }
}
