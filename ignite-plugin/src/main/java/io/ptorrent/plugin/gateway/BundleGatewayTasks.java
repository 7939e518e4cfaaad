package io.ptorrent.plugin.gateway;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.bundle.Bundle;
import io.ptorrent.client.bundle.BundleVerifier;
import io.ptorrent.client.wire.BundleAnswer;
import io.ptorrent.client.wire.BundleQuery;
import io.ptorrent.client.wire.GatewayTasks;
import io.ptorrent.client.wire.WireBundle;
import io.ptorrent.client.wire.WireError;
import io.ptorrent.client.wire.WireJson;
import io.ptorrent.plugin.security.Caller;
import org.apache.ignite.Ignite;
import org.apache.ignite.compute.ComputeJob;
import org.apache.ignite.compute.ComputeJobAdapter;
import org.apache.ignite.compute.ComputeTaskName;
import org.apache.ignite.resources.IgniteInstanceResource;

/** The gateway tasks {@value GatewayTasks#BUNDLE_HAS} and {@value GatewayTasks#BUNDLE_UPLOAD}, on the harbor's {@link BundleStore}. */
final class BundleGatewayTasks {
    private BundleGatewayTasks() {
    }

    /** {@value GatewayTasks#BUNDLE_HAS}: whether the harbor holds a bundle. */
    @ComputeTaskName(GatewayTasks.BUNDLE_HAS)
    static final class Has extends LocalGatewayTask {
        private static final long serialVersionUID = 1L;

        @Override
        ComputeJob job(String request) {
            return new Job(request, false);
        }

        @Override
        String internalError(WireError error) {
            return WireJson.write(new BundleAnswer(null, false, error));
        }
    }

    /** {@value GatewayTasks#BUNDLE_UPLOAD}: verifies and stores a bundle. */
    @ComputeTaskName(GatewayTasks.BUNDLE_UPLOAD)
    static final class Upload extends LocalGatewayTask {
        private static final long serialVersionUID = 1L;

        @Override
        ComputeJob job(String request) {
            return new Job(request, true);
        }

        @Override
        String internalError(WireError error) {
            return WireJson.write(new BundleAnswer(null, false, error));
        }
    }

    private static final class Job extends ComputeJobAdapter {
        private static final long serialVersionUID = 1L;

        private final String request;
        private final boolean upload;

        @IgniteInstanceResource
        private transient Ignite ignite;

        Job(String request, boolean upload) {
            this.request = request;
            this.upload = upload;
        }

        @Override
        public String execute() {
            Caller.current(ignite); // an authenticated caller; any account may upload code for its tasks
            return Caller.asHarbor(ignite, this::answer);
        }

        private String answer() {
            BundleStore store = BundleStore.of(ignite);
            String sha = null;
            try {
                if (upload) {
                    WireBundle wire = WireJson.read(request, WireBundle.class);
                    sha = wire.sha256();
                    // The hash is recomputed over the content and the bytecode checked before anything is kept.
                    Bundle bundle = BundleVerifier.verify(Bundle.verified(wire));
                    store.put(bundle);
                    return WireJson.write(new BundleAnswer(sha, true, null));
                }
                BundleQuery q = WireJson.read(request, BundleQuery.class);
                sha = q.sha256();
                if (sha == null) {
                    throw new PtorrentException(ErrorCode.BAD_REQUEST, "sha256 is missing");
                }
                return WireJson.write(new BundleAnswer(sha, store.get(sha) != null, null));
            } catch (PtorrentException e) {
                return WireJson.write(new BundleAnswer(sha, false, WireError.of(e)));
            }
        }
    }
}
