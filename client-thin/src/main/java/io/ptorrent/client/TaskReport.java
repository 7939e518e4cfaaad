package io.ptorrent.client;

import java.util.List;

/**
 * Where and how long a finished task ran.
 *
 * @param taskId    the harbor's id of the task
 * @param fragments one entry per fragment, in fragment order
 */
public record TaskReport(String taskId, List<Fragment> fragments) {
    public TaskReport {
        fragments = List.copyOf(fragments);
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
