package io.ptorrent.plugin.sandbox;

import hostile.Network;
import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.SerializableCallable;
import io.ptorrent.client.bundle.Bundle;
import io.ptorrent.client.bundle.BundleBuilder;
import io.ptorrent.client.bundle.ClosureCodec;
import io.ptorrent.plugin.share.ShareRules;
import io.ptorrent.plugin.share.ShareRulesConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sandboxtest.OtherBundle;
import sandboxtest.Pooled;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/** The warm pool and the share's limits, through real worker processes; no Ignite node needed. */
class SandboxPoolIT {
    private static final Duration LONG = Duration.ofSeconds(60);
    private static final SandboxOptions OPTIONS = new SandboxOptions(64, LONG, 1024 * 1024);
    private final List<SandboxRunner> runners = new ArrayList<>();

    @AfterEach
    void closeRunners() {
        runners.forEach(SandboxRunner::close);
        assertThat(ProcessHandle.current().descendants()).isEmpty();
    }

    @Test
    void aWorkerIsReusedForTheSameBundleAndSubmitter() {
        SandboxRunner runner = runner(OPTIONS);

        assertThat(run(runner, Pooled.countCalls(), "alice")).isEqualTo(1);
        long startedAfterFirst = runner.workersStarted();
        assertThat(run(runner, Pooled.countCalls(), "alice")).isEqualTo(2);
        assertThat(run(runner, Pooled.countCalls(), "alice")).isEqualTo(3);

        // The same worker (its class loader, its static counter) ran all three; no JVM started for the reuses but spares.
        assertThat(runner.workersStarted()).isLessThanOrEqualTo(startedAfterFirst + OPTIONS.spareWorkers());
    }

    @Test
    void noWorkerIsReusedAcrossBundlesOrSubmitters() {
        // Three shared cores: the pool keeps up to three idle workers, one per bundle and submitter here.
        SandboxRunner runner = runner(OPTIONS, () -> SandboxLimits.of(OPTIONS, 3));
        assertThat(run(runner, Pooled.countCalls(), "alice")).isEqualTo(1);

        assertThat(run(runner, OtherBundle.countCalls(), "alice")).as("another bundle").isEqualTo(1);
        assertThat(run(runner, Pooled.countCalls(), "bob")).as("the same bundle for another submitter").isEqualTo(1);
        assertThat(run(runner, Pooled.countCalls(), "alice")).as("alice's worker again").isEqualTo(2);
    }

    @Test
    void submittersServedInTurnOnOneSharedCoreKeepTheirWarmWorkers() {
        // One shared core, four submitters in turn: each keeps its worker (up to IDLE_WORKERS_PER_CORE idle per core),
        // so each round reuses them all (its static counter goes on) and starts no JVM but spares.
        SandboxRunner runner = runner(OPTIONS, () -> SandboxLimits.of(OPTIONS, 1));
        List<String> submitters = List.of("alice", "bob", "carol", "dora");
        assertThat(submitters).hasSizeLessThanOrEqualTo(SandboxRunner.IDLE_WORKERS_PER_CORE);
        for (String s : submitters) {
            assertThat(run(runner, Pooled.countCalls(), s)).as(s + "'s first").isEqualTo(1);
        }
        long startedAfterFirstRound = runner.workersStarted();
        for (int round = 2; round <= 3; round++) {
            for (String s : submitters) {
                assertThat(run(runner, Pooled.countCalls(), s)).as(s + "'s fragment of round " + round).isEqualTo(round);
            }
        }
        assertThat(runner.workersStarted()).isLessThanOrEqualTo(startedAfterFirstRound + OPTIONS.spareWorkers());
    }

    @Test
    void aWorkerThatFailedIsReplacedAndTheNextHonestFragmentRuns() {
        SandboxRunner runner = runner(OPTIONS);
        assertThat(run(runner, Pooled.countCalls(), "alice")).isEqualTo(1);

        assertFails(runner, Pooled.hold(1024), LONG, ErrorCode.FRAGMENT_FAILED, "OutOfMemoryError");

        assertThat(run(runner, Pooled.countCalls(), "alice")).as("a fresh worker: the breached one was killed").isEqualTo(1);
        assertFails(runner, Pooled.throwing(), LONG, ErrorCode.FRAGMENT_FAILED, "thrown on purpose");
        assertThat(run(runner, Pooled.countCalls(), "alice")).as("a failed fragment's worker is not reused either").isEqualTo(1);
        PoolProcesses.assertOnlyThePool(runner);
    }

    @Test
    void aFragmentPastItsCpuTimeIsStoppedAndTheWorkerReplaced() {
        SandboxRunner runner = runner(OPTIONS.withCpuTime(Duration.ofMillis(500)));

        assertFails(runner, Pooled.spinTwice(), LONG, ErrorCode.FRAGMENT_TIMEOUT, "500 ms of CPU time");

        assertThat(run(runner, Pooled.countCalls(), "alice")).isEqualTo(1);
        PoolProcesses.assertOnlyThePool(runner);
    }

    @Test
    void theRulesMemoryCapsTheWorkerAndARuleChangeAppliesToTheNextFragment() {
        AtomicReference<SandboxLimits> limits = new AtomicReference<>(fromRules(new ShareRulesConfiguration().setCores(1).setMemoryMb(64)));
        SandboxRunner runner = runner(OPTIONS, limits::get);
        assertThat(limits.get().heapMb()).isEqualTo(32);

        assertFails(runner, Pooled.hold(48), LONG, ErrorCode.FRAGMENT_FAILED, "OutOfMemoryError", "heap of about");

        limits.set(fromRules(new ShareRulesConfiguration().setCores(1).setMemoryMb(512)));
        assertThat(run(runner, Pooled.hold(48), "alice")).isEqualTo(48);
    }

    @Test
    void theRulesLongestFragmentCapsTheWallClock() {
        SandboxRunner runner = runner(OPTIONS, () -> fromRules(new ShareRulesConfiguration().setCores(1).setMemoryMb(256).setMaxFragmentSeconds(1)));

        assertFails(runner, Pooled.spin(), LONG, ErrorCode.FRAGMENT_TIMEOUT, "1 s", "maxFragmentSeconds");
    }

    @Test
    void aThrottledWorkerGetsAboutItsShareOfACore() {
        int percent = 10;
        SandboxRunner runner = runner(OPTIONS, () -> new SandboxLimits(1, 64, 512, null, percent));
        SerializableCallable<Long> spin = Pooled.spin();
        Bundle bundle = BundleBuilder.forClosure(spin);
        CompletableFuture<byte[]> running = CompletableFuture.supplyAsync(() -> runner.run(bundle, ClosureCodec.serialize(spin), LONG, "alice"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !runner.busyPids().isEmpty());
        long pid = runner.busyPids().iterator().next();
        // Past the worker's own start-up burst; then CPU time against monotonic elapsed time.
        await().atMost(Duration.ofSeconds(30)).until(() -> ProcStat.cpuMillis(pid) > 0);
        long cpu0 = ProcStat.cpuMillis(pid);
        long t0 = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).until(() -> System.nanoTime() - t0 >= Duration.ofSeconds(3).toNanos());
        long cpu = ProcStat.cpuMillis(pid) - cpu0;
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;

        // An upper bound only, with a generous margin: load on the machine can only lower the share.
        assertThat((double) cpu / elapsedMs).as("%d ms of CPU in %d ms", cpu, elapsedMs).isLessThan(percent * 3 / 100.0);
        runner.close();
        assertThat(running).failsWithin(Duration.ofSeconds(30));
    }

    @Test
    void idleWorkersAreStoppedAfterTheirIdleTimeAndSparesWhenNothingIsShared() {
        AtomicLong clock = new AtomicLong();
        AtomicReference<SandboxLimits> limits = new AtomicReference<>(SandboxLimits.of(OPTIONS, 1));
        SandboxRunner runner = runner(OPTIONS.withIdleTimeout(Duration.ofSeconds(30)), limits::get, clock::get);
        run(runner, Pooled.countCalls(), "alice");
        await().atMost(Duration.ofSeconds(30)).until(() -> runner.idleWorkers() == 2); // alice's worker + a spare

        clock.addAndGet(Duration.ofSeconds(31).toNanos());
        await().atMost(Duration.ofSeconds(30)).until(() -> runner.idleWorkers() == 1); // the spare stays
        limits.set(SandboxLimits.of(OPTIONS, 0));
        await().atMost(Duration.ofSeconds(30)).until(() -> runner.idleWorkers() == 0);

        PoolProcesses.assertOnlyThePool(runner);
        assertThat(runner.workerPids()).isEmpty();
    }

    @Test
    void aConfinedWorkerReachesNoLoopbackPort() throws IOException {
        assumeThat(NetworkConfinement.active()).as("unshare --user --net works on this machine").isTrue();
        SandboxRunner runner = runner(OPTIONS);
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            server.configureBlocking(false);

            assertFails(runner, Network.connect(server.socket().getLocalPort()), LONG, ErrorCode.FRAGMENT_FAILED, "Network is unreachable");

            // Had it connected, the connection would wait in the backlog.
            assertThat(server.accept()).isNull();
        }
    }

    private SandboxRunner runner(SandboxOptions options) {
        return runner(options, () -> SandboxLimits.of(options, 1));
    }

    private SandboxRunner runner(SandboxOptions options, java.util.function.Supplier<SandboxLimits> limits) {
        return runner(options, limits, System::nanoTime);
    }

    private SandboxRunner runner(SandboxOptions options, java.util.function.Supplier<SandboxLimits> limits, java.util.function.LongSupplier clock) {
        SandboxRunner r = new SandboxRunner(options, limits, clock);
        runners.add(r);
        return r;
    }

    private static SandboxLimits fromRules(ShareRulesConfiguration cfg) {
        ShareRules rules = ShareRules.from(cfg, 2, 4096);
        return SandboxLimits.from(rules, null, OPTIONS, 1);
    }

    private static <T> T run(SandboxRunner runner, SerializableCallable<T> closure, String submitter) {
        Bundle bundle = BundleBuilder.forClosure(closure);
        byte[] result = runner.run(bundle, ClosureCodec.serialize(closure), LONG, submitter);
        return ClosureCodec.decodeResult(result, closure.getClass().getClassLoader(), bundle.classes().keySet());
    }

    private static void assertFails(SandboxRunner runner, SerializableCallable<?> closure, Duration timeout, ErrorCode code, String... parts) {
        Bundle bundle = BundleBuilder.forClosure(closure);
        assertThatThrownBy(() -> runner.run(bundle, ClosureCodec.serialize(closure), timeout, "alice"))
                .isInstanceOfSatisfying(PtorrentException.class, e -> {
                    assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
                    assertThat(e.getMessage()).contains(parts);
                });
    }
}
