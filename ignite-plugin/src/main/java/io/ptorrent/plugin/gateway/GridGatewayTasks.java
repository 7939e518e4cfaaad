package io.ptorrent.plugin.gateway;

import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.wire.AvailabilityResult;
import io.ptorrent.client.wire.EstimateRequest;
import io.ptorrent.client.wire.EstimateResult;
import io.ptorrent.client.wire.GatewayTasks;
import io.ptorrent.client.wire.WireError;
import io.ptorrent.client.wire.WireJson;
import io.ptorrent.plugin.Estimate;
import io.ptorrent.plugin.GridSnapshot;
import io.ptorrent.plugin.NodeRole;
import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.security.Caller;
import org.apache.ignite.Ignite;
import org.apache.ignite.compute.ComputeJob;
import org.apache.ignite.compute.ComputeJobAdapter;
import org.apache.ignite.compute.ComputeTaskName;
import org.apache.ignite.resources.IgniteInstanceResource;

/** {@value GatewayTasks#AVAILABILITY} and {@value GatewayTasks#ESTIMATE}: the harbor's {@link GridSnapshot} and {@link Estimate} for thin clients. */
final class GridGatewayTasks {
    private GridGatewayTasks() {
    }

    @ComputeTaskName(GatewayTasks.AVAILABILITY)
    static final class Availability extends LocalGatewayTask {
        private static final long serialVersionUID = 1L;

        @Override
        ComputeJob job(String request) {
            return new Job(request, false);
        }

        @Override
        String internalError(WireError error) {
            return WireJson.write(AvailabilityResult.failed(error));
        }
    }

    @ComputeTaskName(GatewayTasks.ESTIMATE)
    static final class EstimateTask extends LocalGatewayTask {
        private static final long serialVersionUID = 1L;

        @Override
        ComputeJob job(String request) {
            return new Job(request, true);
        }

        @Override
        String internalError(WireError error) {
            return WireJson.write(EstimateResult.failed(error));
        }
    }

    private static final class Job extends ComputeJobAdapter {
        private static final long serialVersionUID = 1L;

        private final String request;
        private final boolean estimate;

        @IgniteInstanceResource
        private transient Ignite ignite;

        Job(String request, boolean estimate) {
            this.request = request;
            this.estimate = estimate;
        }

        @Override
        public String execute() {
            Caller.current(ignite);
            return Caller.asHarbor(ignite, this::answer);
        }

        private String answer() {
            try {
                PtorrentPlugin plugin = PtorrentPlugin.of(ignite);
                GridSnapshot s = TaskGatewayTasks.scheduler(ignite).snapshot();
                if (estimate) {
                    Estimate e = Estimate.of(s, WireJson.read(request, EstimateRequest.class).workPu());
                    return WireJson.write(new EstimateResult(e.workPu(), e.capacityPu(), e.freePu(), e.waitSeconds(), e.runSeconds(),
                            e.costCredits(), e.pricePerPuSecond(), null));
                }
                int contributors = 0;
                int shared = 0;
                int free = 0;
                double capacity = 0;
                double freePu = 0;
                // This harbor's contributors only: they are the ones its scheduler sends fragments to.
                for (GridSnapshot.NodeInfo n : s.nodes()) {
                    if (n.role() == NodeRole.CONTRIBUTOR && plugin.harborName().equals(n.harbor())) {
                        contributors++;
                        shared += n.sharedCores();
                        free += Math.max(0, n.sharedCores() - n.runningFragments());
                        capacity += n.sharedPu();
                        freePu += n.freePu();
                    }
                }
                return WireJson.write(new AvailabilityResult(contributors, shared, free, capacity, freePu,
                        s.queuedFragments(), s.runningFragments(), s.pricePerPuSecond(), null));
            } catch (PtorrentException e) {
                return estimate ? WireJson.write(EstimateResult.failed(WireError.of(e))) : WireJson.write(AvailabilityResult.failed(WireError.of(e)));
            }
        }
    }
}
