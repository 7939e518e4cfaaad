package io.ptorrent.plugin.scheduler;

import org.apache.ignite.IgniteException;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.compute.ComputeJob;
import org.apache.ignite.compute.ComputeJobResult;
import org.apache.ignite.compute.ComputeTaskAdapter;

import java.util.List;
import java.util.Map;

/**
 * Carries one {@link FragmentJob} to the one node of its cluster group (the scheduler picks the node), and
 * brings back its outcome. Failover is the scheduler's business, not Ignite's.
 */
final class FragmentTask extends ComputeTaskAdapter<FragmentJob, FragmentOutcome> {
    private static final long serialVersionUID = 1L;

    @Override
    public Map<? extends ComputeJob, ClusterNode> map(List<ClusterNode> subgrid, FragmentJob job) {
        if (subgrid.size() != 1) {
            throw new IgniteException("a fragment goes to exactly one node, not " + subgrid.size());
        }
        return Map.of(job, subgrid.get(0));
    }

    @Override
    public FragmentOutcome reduce(List<ComputeJobResult> results) {
        ComputeJobResult r = results.get(0);
        if (r.getException() != null) {
            throw r.getException();
        }
        return r.getData();
    }
}
