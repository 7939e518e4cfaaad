package io.ptorrent.plugin.scheduler;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.bundle.Bundle;
import io.ptorrent.client.bundle.BundleVerifier;
import io.ptorrent.client.wire.WireBundle;
import io.ptorrent.plugin.NodeRole;
import io.ptorrent.plugin.PtorrentPlugin;
import org.apache.ignite.Ignite;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.resources.IgniteInstanceResource;

import java.time.Duration;
import java.util.Map;

/**
 * One fragment, sent by the harbor to one contributor node. It runs the closure in the contributor's
 * sandbox and answers with a {@link FragmentOutcome}; it never runs user code in the node's JVM.
 */
final class FragmentJob implements IgniteCallable<FragmentOutcome> {
    private static final long serialVersionUID = 1L;

    private final String taskId;
    private final int index;
    private final String bundleSha256;
    private final Map<String, byte[]> bundleClasses;
    private final byte[] closure;
    private final long timeoutMs;

    @IgniteInstanceResource
    private transient Ignite ignite;

    FragmentJob(String taskId, int index, Bundle bundle, byte[] closure, long timeoutMs) {
        this.taskId = taskId;
        this.index = index;
        this.bundleSha256 = bundle.sha256();
        this.bundleClasses = bundle.classes();
        this.closure = closure;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public FragmentOutcome call() {
        try {
            PtorrentPlugin plugin = PtorrentPlugin.of(ignite);
            if (plugin.role() != NodeRole.CONTRIBUTOR) {
                // Defence in depth: the scheduler targets contributors only, but never run strangers' code here.
                return FragmentOutcome.failed(ErrorCode.INTERNAL.name(), "fragment " + taskId + "/" + index + " reached a " + plugin.role().id() + "; refused");
            }
            // Verified again here: the contributor trusts the harbor's transport, not the bundle's author.
            Bundle bundle = BundleVerifier.verify(Bundle.verified(new WireBundle(bundleSha256, bundleClasses)));
            return FragmentOutcome.ok(plugin.sandbox().run(bundle, closure, Duration.ofMillis(timeoutMs)));
        } catch (PtorrentException e) {
            return FragmentOutcome.failed(e.code().name(), e.getMessage());
        } catch (RuntimeException e) {
            return FragmentOutcome.failed(ErrorCode.INTERNAL.name(), "fragment " + taskId + "/" + index + ": " + e);
        }
    }
}
