package io.ptorrent.plugin.sandbox;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.bundle.Bundle;

import java.time.Duration;

/**
 * Runs submitted closures outside the node's JVM, in a worker process. PLACEHOLDER CONTRACT: being
 * implemented.
 */
public final class SandboxRunner implements AutoCloseable {
    private final SandboxOptions options;

    public SandboxRunner(SandboxOptions options) {
        this.options = options;
    }

    /**
     * Runs one fragment in a worker process and returns the closure's result, Java-serialized by the
     * worker. The bytes are not deserialized here: the node never deserializes a stranger's objects.
     *
     * @param bundle  the verified bundle holding the closure's classes
     * @param closure the Java-serialized {@code SerializableCallable}
     * @param timeout wall-clock limit for this fragment (capped by {@link SandboxOptions#timeout()})
     * @throws PtorrentException FRAGMENT_FAILED (the closure threw), FRAGMENT_TIMEOUT, RESULT_TOO_LARGE,
     *                           INTERNAL (the worker could not start)
     */
    public byte[] run(Bundle bundle, byte[] closure, Duration timeout) {
        throw new PtorrentException(ErrorCode.INTERNAL, "sandbox not implemented yet");
    }

    public SandboxOptions options() {
        return options;
    }

    @Override
    public void close() {
    }
}
