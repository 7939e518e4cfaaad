package io.ptorrent.plugin;

import org.apache.ignite.IgniteException;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.compute.ComputeJob;
import org.apache.ignite.compute.ComputeJobResult;
import org.apache.ignite.compute.ComputeTaskAdapter;

import java.util.List;
import java.util.Map;

/**
 * Carries one job (the task's argument) to the one node of its cluster group and brings back its result.
 * ptorrent sends its own jobs this way rather than as closures, so that Ignite calls the job's
 * {@code cancel()} (a fragment handed back) and the job's type is visible to admission. Failover is the
 * caller's business, not Ignite's: use with {@code withNoFailover()}.
 */
public final class OneNodeTask<R> extends ComputeTaskAdapter<ComputeJob, R> {
    private static final long serialVersionUID = 1L;

    @Override
    public Map<? extends ComputeJob, ClusterNode> map(List<ClusterNode> subgrid, ComputeJob job) {
        if (subgrid.size() != 1) {
            throw new IgniteException("this job goes to exactly one node, not " + subgrid.size());
        }
        return Map.of(job, subgrid.get(0));
    }

    @Override
    public R reduce(List<ComputeJobResult> results) {
        ComputeJobResult r = results.get(0);
        if (r.getException() != null) {
            throw r.getException();
        }
        return r.getData();
    }
}
