package io.ptorrent.plugin.sandbox;

import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.SerializableCallable;
import io.ptorrent.client.bundle.Bundle;
import io.ptorrent.client.bundle.BundleBuilder;
import io.ptorrent.client.bundle.BundleVerifier;
import io.ptorrent.client.bundle.ClosureCodec;
import io.ptorrent.plugin.sandbox.HostilePayloads.AtRunTime;
import io.ptorrent.plugin.sandbox.HostilePayloads.ByNetwork;
import io.ptorrent.plugin.sandbox.HostilePayloads.Completes;
import io.ptorrent.plugin.sandbox.HostilePayloads.NotRun;
import io.ptorrent.plugin.sandbox.HostilePayloads.Payload;
import io.ptorrent.plugin.sandbox.HostilePayloads.Stopped;
import io.ptorrent.plugin.sandbox.HostilePayloads.Target;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sandboxtest.Honest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Every hostile payload run in a real worker process. Payloads that the verifier rejects run with the
 * verifier bypassed, to show what the run-time layer alone does (defence in depth, and its holes);
 * payloads it accepts run after it, as in production. After each: the host is untouched and the same
 * runner serves an honest closure.
 */
class HostilePayloadsIT {
    /** In the tests' own range, away from Ignite's defaults; payloads listen here. */
    static final int LISTEN_PORT = 49188;
    private static SandboxRunner runner;
    private static ServerSocket server;

    @BeforeAll
    static void start() throws IOException {
        runner = new SandboxRunner(new SandboxOptions(64, HostilePayloads.LONG, HostilePayloads.MAX_RESULT_BYTES));
        // What network payloads connect to: a loopback socket of the test, never anything outside.
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterAll
    static void stop() throws IOException {
        runner.close();
        server.close();
    }

    /** The payloads that have something to show at run time here; the rest are stopped by the verifier alone (HostilePayloadVerifierTest). */
    static List<Payload> payloads() {
        return HostilePayloads.all().stream().filter(p -> !(runtimeHere(p) instanceof NotRun)).toList();
    }

    private static AtRunTime runtimeHere(Payload payload) {
        return payload.runtime() instanceof ByNetwork byNetwork ? byNetwork.here() : payload.runtime();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    void containedAtRunTimeAndTheRunnerGoesOn(Payload payload, @TempDir Path dir) throws IOException {
        AtRunTime runtime = runtimeHere(payload);
        Target target = Target.in(dir, LISTEN_PORT, server.getLocalPort());
        SerializableCallable<?> closure = payload.closure().apply(target);
        Bundle bundle = BundleBuilder.forClosure(closure);
        if (payload.rule() == null) {
            BundleVerifier.verify(bundle);
        }
        String tmpdirBefore = System.getProperty("java.io.tmpdir");

        if (runtime instanceof Stopped stopped) {
            if (stopped.needsPrlimit()) {
                assumeThat(ResourceLimits.active()).as("prlimit works on this machine").isTrue();
            }
            assertThatThrownBy(() -> runner.run(bundle, ClosureCodec.serialize(closure), payload.limit()))
                    .isInstanceOfSatisfying(PtorrentException.class, e -> {
                        assertThat(e.code()).as(e.getMessage()).isIn(stopped.codes());
                        assertThat(e.getMessage()).contains(stopped.messagePart());
                    });
        } else {
            Completes completes = (Completes) runtime;
            byte[] result = runner.run(bundle, ClosureCodec.serialize(closure), payload.limit());
            Object value = ClosureCodec.decodeResult(result, HostilePayloads.class.getClassLoader(), bundle.classes().keySet());
            assertThat(completes.check().test(value)).as("result %s", value).isTrue();
        }

        assertHostUntouched(target, runner);
        assertThat(System.getProperty("java.io.tmpdir")).isEqualTo(tmpdirBefore);
        SerializableCallable<Integer> honest = Honest.multiply(6, 7);
        Bundle honestBundle = BundleVerifier.verify(BundleBuilder.forClosure(honest));
        Integer value = ClosureCodec.decodeResult(runner.run(honestBundle, ClosureCodec.serialize(honest), HostilePayloads.LONG),
                Honest.class.getClassLoader(), honestBundle.classes().keySet());
        assertThat(value).isEqualTo(42);
    }

    /** No process left but the pool's idle workers, no byte written where it must not be, no socket left listening. */
    static void assertHostUntouched(Target target, SandboxRunner runner) throws IOException {
        PoolProcesses.assertOnlyThePool(runner);
        // A process the payload started would be re-parented (out of our tree) had it escaped the kill.
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.allProcesses()
                .noneMatch(p -> p.info().arguments().map(args -> List.of(args).contains(target.marker())).orElse(false)));
        assertThat(!Files.exists(target.pwned()) || Files.size(target.pwned()) == 0).as("nothing written to %s", target.pwned()).isTrue();
        try (ServerSocket free = new ServerSocket(target.listenPort(), 1, InetAddress.getLoopbackAddress())) {
            assertThat(free.getLocalPort()).isEqualTo(target.listenPort());
        }
    }
}
