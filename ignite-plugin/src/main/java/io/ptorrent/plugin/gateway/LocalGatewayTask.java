package io.ptorrent.plugin.gateway;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.wire.WireError;
import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.compute.ComputeJob;
import org.apache.ignite.compute.ComputeJobResult;
import org.apache.ignite.compute.ComputeTaskAdapter;
import org.apache.ignite.resources.IgniteInstanceResource;

import java.util.List;
import java.util.Map;

/**
 * A gateway task that answers on the harbor the thin client is connected to: one job there, JSON in,
 * JSON out. A failure the job did not turn into an answer comes back as {@link #internalError}, so that a
 * thin client in any language always gets JSON with a stable code.
 */
abstract class LocalGatewayTask extends ComputeTaskAdapter<String, String> {
    private static final long serialVersionUID = 1L;

    @IgniteInstanceResource
    private transient Ignite ignite;

    /** The job that answers {@code request} (JSON, unparsed). */
    abstract ComputeJob job(String request);

    /** The answer for an error that escaped the job. */
    abstract String internalError(WireError error);

    @Override
    public final Map<? extends ComputeJob, ClusterNode> map(List<ClusterNode> subgrid, String request) {
        return Map.of(job(request), ignite.cluster().localNode());
    }

    @Override
    public final String reduce(List<ComputeJobResult> results) {
        ComputeJobResult r = results.get(0);
        if (r.getException() != null) {
            return internalError(WireError.of(new PtorrentException(ErrorCode.INTERNAL, "gateway: " + r.getException().getMessage())));
        }
        return r.getData();
    }
}
