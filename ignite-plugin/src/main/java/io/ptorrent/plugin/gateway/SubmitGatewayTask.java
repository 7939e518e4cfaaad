package io.ptorrent.plugin.gateway;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.bundle.Bundle;
import io.ptorrent.client.bundle.BundleVerifier;
import io.ptorrent.client.wire.GatewayTasks;
import io.ptorrent.client.wire.SubmitRequest;
import io.ptorrent.client.wire.SubmitResult;
import io.ptorrent.client.wire.WireError;
import io.ptorrent.client.wire.WireJson;
import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.scheduler.FragmentScheduler;
import io.ptorrent.plugin.security.Caller;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteException;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.compute.ComputeJob;
import org.apache.ignite.compute.ComputeJobAdapter;
import org.apache.ignite.compute.ComputeJobResult;
import org.apache.ignite.compute.ComputeTaskAdapter;
import org.apache.ignite.compute.ComputeTaskName;
import org.apache.ignite.resources.IgniteInstanceResource;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * The thin-client entry {@value GatewayTasks#SUBMIT}: takes a {@link SubmitRequest} (JSON), hands its
 * fragments to the harbor's scheduler and answers a {@link SubmitResult} (JSON). Every failure a user can
 * cause comes back as a result with an error, never as an exception, so that thin clients in any
 * language see the same stable codes.
 *
 * <p>The task runs one job on the harbor the client is connected to; the job waits for the scheduler
 * while the fragments run on contributors. Cancelling the task (the client's future) cancels them.
 */
@ComputeTaskName(GatewayTasks.SUBMIT)
final class SubmitGatewayTask extends LocalGatewayTask {
    private static final long serialVersionUID = 1L;

    @Override
    ComputeJob job(String request) {
        return new SubmitJob(request);
    }

    @Override
    String internalError(WireError error) {
        return WireJson.write(new SubmitResult(null, List.of(), error));
    }

    private static final class SubmitJob extends ComputeJobAdapter {
        private static final long serialVersionUID = 1L;

        private final String request;
        private transient volatile FragmentScheduler.Accepted accepted;

        @IgniteInstanceResource
        private transient Ignite ignite;

        SubmitJob(String request) {
            this.request = request;
        }

        @Override
        public String execute() {
            Caller caller = Caller.current(ignite);
            return Caller.asHarbor(ignite, () -> answer(caller));
        }

        private String answer(Caller caller) {
            try {
                SubmitRequest req = WireJson.read(request, SubmitRequest.class);
                String account = caller.chargeable(req.account());
                if (req.fragments().isEmpty()) {
                    throw new PtorrentException(ErrorCode.BAD_REQUEST, "the task has no fragments");
                }
                if (req.timeoutMs() < 0) {
                    throw new PtorrentException(ErrorCode.BAD_REQUEST, "timeoutMs must not be negative, was " + req.timeoutMs());
                }
                Bundle bundle = BundleVerifier.verify(Bundle.verified(req.bundle()));
                FragmentScheduler scheduler = PtorrentPlugin.of(ignite).scheduler();
                accepted = scheduler.submit(account, bundle, req.fragments(), req.timeoutMs());
                return WireJson.write(accepted.result().get());
            } catch (PtorrentException e) {
                return WireJson.write(new SubmitResult(taskId(), List.of(), WireError.of(e)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return WireJson.write(new SubmitResult(taskId(), List.of(),
                        WireError.of(new PtorrentException(ErrorCode.TASK_CANCELLED, "the task was cancelled"))));
            } catch (ExecutionException e) {
                throw new IgniteException("scheduler failed", e.getCause());
            }
        }

        private String taskId() {
            FragmentScheduler.Accepted a = accepted;
            return a == null ? null : a.taskId();
        }

        /** Called by Ignite when the client cancels the task or disconnects. */
        @Override
        public void cancel() {
            FragmentScheduler.Accepted a = accepted;
            if (a != null) {
                Caller.asHarbor(ignite, () -> {
                    PtorrentPlugin.of(ignite).scheduler().cancel(a.taskId());
                    return null;
                });
            }
            super.cancel();
        }
    }
}
