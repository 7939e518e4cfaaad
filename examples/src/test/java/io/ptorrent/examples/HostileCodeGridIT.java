package io.ptorrent.examples;

import hostile.MemoryAbuse;
import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.SerializableCallable;
import io.ptorrent.client.bundle.BundleBuilder;
import io.ptorrent.client.bundle.ClosureCodec;
import io.ptorrent.client.wire.GatewayTasks;
import io.ptorrent.client.wire.SubmitRequest;
import io.ptorrent.client.wire.SubmitResult;
import io.ptorrent.client.wire.WireJson;
import io.ptorrent.plugin.sandbox.HostilePayloads;
import io.ptorrent.plugin.sandbox.HostilePayloads.Completes;
import io.ptorrent.plugin.sandbox.HostilePayloads.Payload;
import io.ptorrent.plugin.sandbox.HostilePayloads.Stopped;
import io.ptorrent.plugin.sandbox.HostilePayloads.Target;
import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.sandbox.PoolProcesses;
import io.ptorrent.plugin.sandbox.SandboxOptions;
import io.ptorrent.plugin.testing.TestGrid;
import org.apache.ignite.Ignition;
import org.apache.ignite.client.IgniteClient;
import org.apache.ignite.configuration.ClientConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hostile-code table against a whole grid: a harbor, one contributor and a thin client. What the
 * verifier rejects never leaves the client, and the harbor rejects it too when a client skips the check;
 * what only the limits stop fails with its code on the contributor. After each, the grid serves an
 * honest task.
 */
class HostileCodeGridIT {
    private static final int BASE_PORT = 49120;
    private static TestGrid grid;
    private static PtorrentClient patient;
    private static PtorrentClient quick;
    private static IgniteClient raw;

    @BeforeAll
    static void startGrid() {
        grid = new TestGrid(BASE_PORT);
        grid.startHarbor("harbor");
        grid.startContributor("carol", 1);
        patient = PtorrentClient.connect(grid.clientOptions("tester"));
        quick = PtorrentClient.connect(grid.clientOptions("tester").fragmentTimeout(HostilePayloads.SHORT));
        raw = Ignition.startClient(new ClientConfiguration().setAddresses(grid.thinClientAddress()).setUserName("tester").setUserPassword(grid.apiKey("tester")));
    }

    @AfterAll
    static void stopGrid() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {raw, quick, patient, grid}) {
            if (c != null) {
                c.close();
            }
        }
    }

    static List<Payload> rejected() {
        return HostilePayloads.all().stream().filter(p -> p.rule() != null).toList();
    }

    static List<Payload> accepted() {
        return HostilePayloads.all().stream().filter(p -> p.rule() == null).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void theClientRefusesBeforeSendingAndTheHarborRefusesWhatASkippingClientSends(Payload payload, @TempDir Path dir) throws Exception {
        SerializableCallable<?> closure = payload.closure().apply(Target.in(dir, 1, 1));

        assertThatThrownBy(() -> patient.submit(closure)).isInstanceOfSatisfying(PtorrentException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BUNDLE_REJECTED);
            assertThat(e.getMessage()).startsWith(payload.home().getName()).contains(": rule '");
        });

        // A client in another language, or a modified one, skips the check: the harbor makes it.
        String request = WireJson.write(new SubmitRequest(null, payload.name(), BundleBuilder.forClosure(closure).toWire(),
                List.of(ClosureCodec.serialize(closure)), 0));
        SubmitResult answer = WireJson.read(raw.compute().<String, String>execute(GatewayTasks.SUBMIT, request), SubmitResult.class);
        assertThat(answer.fragments()).isEmpty();
        assertThat(answer.error()).isNotNull();
        assertThat(answer.error().code()).isEqualTo(ErrorCode.BUNDLE_REJECTED.name());
        assertThat(answer.error().message()).contains("rule '");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void whatOnlyTheLimitsStopFailsWithItsCodeOnTheContributor(Payload payload, @TempDir Path dir) {
        SerializableCallable<?> closure = payload.closure().apply(Target.in(dir, 1, 1));
        if (payload.runtime() instanceof Stopped stopped) {
            if (stopped.codes().contains(ErrorCode.RESULT_TOO_LARGE)) {
                return; // the grid's cap is larger than the table's; see aResultOverTheGridsCapIsRefused
            }
            PtorrentClient client = payload.limit().equals(HostilePayloads.SHORT) ? quick : patient;
            assertThatThrownBy(() -> client.submit(closure).get()).isInstanceOfSatisfying(PtorrentException.class, e -> {
                assertThat(e.code()).as(e.getMessage()).isIn(stopped.codes());
                assertThat(e.getMessage()).contains(stopped.messagePart());
            });
        } else {
            Object value = patient.submit(closure).get();
            assertThat(((Completes) payload.runtime()).check().test(value)).as("result %s", value).isTrue();
        }
    }

    @Test
    void aResultOverTheGridsCapIsRefused() {
        assertThatThrownBy(() -> patient.submit(MemoryAbuse.hugeResult(SandboxOptions.DEFAULT_MAX_RESULT_BYTES + 1024)).get())
                .isInstanceOfSatisfying(PtorrentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESULT_TOO_LARGE));
    }

    @AfterEach
    void theGridStillServesAnHonestTask() {
        assertThat(patient.submit(TestClosures.multiply(6, 7)).get()).isEqualTo(42);
        // Nothing a closure started lives on: only the contributor's pool of sandbox workers is left.
        PoolProcesses.assertOnlyThePool(PtorrentPlugin.of(grid.node("carol")).sandbox());
    }
}
