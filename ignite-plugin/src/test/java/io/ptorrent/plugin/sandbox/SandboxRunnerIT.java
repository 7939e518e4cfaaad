package io.ptorrent.plugin.sandbox;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.SerializableCallable;
import io.ptorrent.client.bundle.Bundle;
import io.ptorrent.client.bundle.BundleBuilder;
import io.ptorrent.client.bundle.ClosureCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import sandboxtest.Closures;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/** Real closures through real worker processes; no Ignite node needed. */
class SandboxRunnerIT {
    private static final int MAX_RESULT_BYTES = 1024 * 1024;
    private static final Duration LONG = Duration.ofSeconds(60);
    private static SandboxRunner runner;

    @BeforeAll
    static void start() {
        runner = new SandboxRunner(new SandboxOptions(64, LONG, MAX_RESULT_BYTES));
    }

    @AfterAll
    static void stop() {
        runner.close();
    }

    @Test
    void valueComesBackAndDecodes() {
        SerializableCallable<Map<String, Object>> closure = Closures.value(3, 4);
        Bundle bundle = BundleBuilder.forClosure(closure);

        byte[] result = runner.run(bundle, ClosureCodec.serialize(closure), LONG);

        Map<String, Object> value = ClosureCodec.decodeResult(result, Closures.class.getClassLoader(), bundle.classes().keySet());
        assertThat(value).containsEntry("point", new Closures.Point(3, 4)).containsEntry("sum", 7).containsEntry("list", List.of("a", "b"));
    }

    @Test
    void throwingClosureFailsWithItsMessage() {
        assertFails(Closures.throwing("boom at row 42"), LONG, ErrorCode.FRAGMENT_FAILED,
                "java.lang.IllegalStateException", "boom at row 42");
    }

    @Test
    void printedOutputIsInTheFailureMessage() {
        assertFails(Closures.printThenThrow("last words"), LONG, ErrorCode.FRAGMENT_FAILED, "after printing", "last words");
    }

    @Test
    void infiniteLoopTimesOutAndLeavesNoProcess() {
        assertFails(Closures.spin(), Duration.ofMillis(1500), ErrorCode.FRAGMENT_TIMEOUT, "1500 ms");

        PoolProcesses.assertOnlyThePool(runner);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void timeoutAlsoKillsWhatTheClosureStarted() {
        assertFails(Closures.spawnThenSpin(), Duration.ofSeconds(3), ErrorCode.FRAGMENT_TIMEOUT);

        PoolProcesses.assertOnlyThePool(runner);
        // The sleep was a grandchild: had it escaped, it would be re-parented and out of our tree.
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.allProcesses()
                .noneMatch(p -> p.info().arguments().map(args -> List.of(args).contains(Closures.SLEEP_MARKER)).orElse(false)));
    }

    @Test
    void hugeResultIsRefused() {
        assertFails(Closures.bytes(2 * MAX_RESULT_BYTES), LONG, ErrorCode.RESULT_TOO_LARGE, String.valueOf(MAX_RESULT_BYTES));
    }

    @Test
    void resultJustUnderTheCapComesBack() {
        SerializableCallable<byte[]> closure = Closures.bytes(MAX_RESULT_BYTES - 100);
        Bundle bundle = BundleBuilder.forClosure(closure);

        byte[] result = runner.run(bundle, ClosureCodec.serialize(closure), LONG);

        byte[] value = ClosureCodec.decodeResult(result, Closures.class.getClassLoader(), bundle.classes().keySet());
        assertThat(value).hasSize(MAX_RESULT_BYTES - 100);
    }

    @Test
    void heapBombFailsWithOutOfMemory() {
        assertFails(Closures.heapBomb(), LONG, ErrorCode.FRAGMENT_FAILED, "OutOfMemoryError");
    }

    @Test
    void deepRecursionFailsWithStackOverflow() {
        assertFails(Closures.deepRecursion(), LONG, ErrorCode.FRAGMENT_FAILED, "StackOverflowError");
    }

    @Test
    void systemExitFailsCleanlyAndTheRunnerGoesOn() {
        assertFails(Closures.exit(3), LONG, ErrorCode.FRAGMENT_FAILED, "System.exit");

        valueComesBackAndDecodes();
        PoolProcesses.assertOnlyThePool(runner);
    }

    @Test
    void printingDoesNotCorruptTheProtocol() {
        SerializableCallable<String> closure = Closures.chatty("still here");
        Bundle bundle = BundleBuilder.forClosure(closure);

        byte[] result = runner.run(bundle, ClosureCodec.serialize(closure), LONG);

        String value = ClosureCodec.decodeResult(result, Closures.class.getClassLoader(), bundle.classes().keySet());
        assertThat(value).isEqualTo("still here");
    }

    @Test
    void filesCannotGrow() {
        assumeThat(ResourceLimits.active()).as("prlimit works on this machine").isTrue();

        assertFails(Closures.writeFile(), LONG, ErrorCode.FRAGMENT_FAILED, "write failed", "File too large");
    }

    @Test
    void closureMissingFromItsBundleIsRejected() {
        SerializableCallable<Integer> closure = Closures.throwing("never runs");
        Bundle empty = Bundle.of(Map.of("sandboxtest.Unrelated", new byte[] {1}));

        assertThatThrownBy(() -> runner.run(empty, ClosureCodec.serialize(closure), LONG))
                .isInstanceOfSatisfying(PtorrentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BUNDLE_INVALID));
    }

    @Test
    void workerSeesOnlyTwoCodeLocationsAndNoIgnite() {
        SerializableCallable<List<String>> closure = Closures.classPath();
        Bundle bundle = BundleBuilder.forClosure(closure);

        List<String> seen = ClosureCodec.decodeResult(runner.run(bundle, ClosureCodec.serialize(closure), LONG),
                Closures.class.getClassLoader(), bundle.classes().keySet());

        assertThat(seen).hasSize(2).noneMatch(entry -> entry.contains("ignite-core") || entry.equals("IGNITE VISIBLE"));
    }

    @Test
    void workerThatDiesIsAnInternalErrorWithItsExitCode() {
        assertFails(Closures.halt(7), LONG, ErrorCode.INTERNAL, "exit code 7");

        PoolProcesses.assertOnlyThePool(runner);
    }

    @Test
    void fragmentsRunSideBySide() {
        List<CompletableFuture<byte[]>> running = java.util.stream.IntStream.range(0, 3).mapToObj(i -> {
            SerializableCallable<Map<String, Object>> closure = Closures.value(i, i);
            Bundle bundle = BundleBuilder.forClosure(closure);
            return CompletableFuture.supplyAsync(() -> runner.run(bundle, ClosureCodec.serialize(closure), LONG));
        }).toList();

        assertThat(running).allSatisfy(f -> assertThat(f).succeedsWithin(Duration.ofSeconds(60)));
    }

    @Test
    void closeKillsRunningWorkers() {
        SandboxRunner own = new SandboxRunner(new SandboxOptions(32, LONG, MAX_RESULT_BYTES));
        SerializableCallable<Long> closure = Closures.spin();
        Bundle bundle = BundleBuilder.forClosure(closure);
        CompletableFuture<byte[]> running = CompletableFuture.supplyAsync(() -> own.run(bundle, ClosureCodec.serialize(closure), LONG));
        await().atMost(Duration.ofSeconds(30)).until(() -> !own.busyPids().isEmpty());

        own.close();

        assertThat(running).failsWithin(Duration.ofSeconds(30)).withThrowableThat()
                .havingCause().isInstanceOfSatisfying(PtorrentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL));
        assertThat(own.workerPids()).isEmpty();
        PoolProcesses.assertOnlyThePool(runner);
        assertThatThrownBy(() -> own.run(bundle, ClosureCodec.serialize(closure), LONG))
                .isInstanceOfSatisfying(PtorrentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL));
    }

    @Test
    void aBatchOfTrivialPiecesRunsInOrderInOneWorker() {
        Bundle bundle = BundleBuilder.forClosure(Closures.value(0, 0));
        List<byte[]> closures = java.util.stream.IntStream.range(0, 50).mapToObj(i -> ClosureCodec.serialize(Closures.value(i, 1))).toList();
        List<SandboxRunner.PieceResult> results = new java.util.ArrayList<>();
        List<Integer> order = new java.util.ArrayList<>();
        // No spares: every worker this runner starts is one a piece ran in.
        try (SandboxRunner own = new SandboxRunner(new SandboxOptions(64, LONG, MAX_RESULT_BYTES).withSpareWorkers(0))) {
            int ended = own.runAll(bundle, closures, LONG, "carol", (i, r) -> {
                order.add(i);
                return results.add(r);
            });

            assertThat(ended).isEqualTo(50);
            assertThat(own.workersStarted()).isEqualTo(1);
        }
        assertThat(order).isEqualTo(java.util.stream.IntStream.range(0, 50).boxed().toList());
        assertThat(results).hasSize(50).allMatch(SandboxRunner.PieceResult::ok);
        for (int i = 0; i < 50; i++) {
            Map<String, Object> value = ClosureCodec.decodeResult(results.get(i).result(), Closures.class.getClassLoader(), bundle.classes().keySet());
            assertThat(value).containsEntry("sum", i + 1);
        }
    }

    @Test
    void aPieceThatThrowsAndOneThatTimesOutFailAloneAndTheRestRunInFreshWorkers() {
        Bundle bundle = BundleBuilder.forClosure(Closures.value(0, 0));
        List<byte[]> closures = List.of(ClosureCodec.serialize(Closures.value(1, 1)), ClosureCodec.serialize(Closures.throwing("piece 1")),
                ClosureCodec.serialize(Closures.value(2, 2)), ClosureCodec.serialize(Closures.spin()), ClosureCodec.serialize(Closures.value(3, 3)));
        List<SandboxRunner.PieceResult> results = new java.util.ArrayList<>();

        int ended = runner.runAll(bundle, closures, Duration.ofMillis(1500), "carol", (i, r) -> results.add(r));

        assertThat(ended).isEqualTo(5);
        assertThat(results).extracting(r -> r.ok() ? "OK" : r.failure().code().name())
                .containsExactly("OK", "FRAGMENT_FAILED", "OK", "FRAGMENT_TIMEOUT", "OK");
        assertThat(results.get(1).failure().getMessage()).contains("piece 1");
        PoolProcesses.assertOnlyThePool(runner);
    }

    @Test
    void anInterruptMidBatchCancelsThePieceUnderWayAndStartsNoMore() throws Exception {
        Bundle bundle = BundleBuilder.forClosure(Closures.value(0, 0));
        List<byte[]> closures = List.of(ClosureCodec.serialize(Closures.value(1, 1)), ClosureCodec.serialize(Closures.value(2, 2)),
                ClosureCodec.serialize(Closures.spin()), ClosureCodec.serialize(Closures.value(3, 3)));
        List<SandboxRunner.PieceResult> results = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        long endedBefore = runner.fragmentsEnded();
        java.util.concurrent.atomic.AtomicInteger ended = new java.util.concurrent.atomic.AtomicInteger(-1);
        Thread caller = new Thread(() -> ended.set(runner.runAll(bundle, closures, LONG, "carol", (i, r) -> results.add(r))));
        caller.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> runner.fragmentsEnded() - endedBefore >= 2);

        caller.interrupt();
        caller.join(60_000);

        assertThat(ended.get()).isBetween(2, 3);
        assertThat(results).hasSize(ended.get());
        assertThat(results.subList(0, 2)).allMatch(SandboxRunner.PieceResult::ok);
        if (ended.get() == 3) {
            assertThat(results.get(2).failure().code()).isEqualTo(ErrorCode.TASK_CANCELLED);
        }
        PoolProcesses.assertOnlyThePool(runner);
    }

    private static void assertFails(SerializableCallable<?> closure, Duration timeout, ErrorCode code, String... messageParts) {
        Bundle bundle = BundleBuilder.forClosure(closure);
        byte[] bytes = ClosureCodec.serialize(closure);

        assertThatThrownBy(() -> runner.run(bundle, bytes, timeout))
                .isInstanceOfSatisfying(PtorrentException.class, e -> {
                    assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
                    if (messageParts.length > 0) {
                        assertThat(e.getMessage()).contains(messageParts);
                    }
                });
    }
}
