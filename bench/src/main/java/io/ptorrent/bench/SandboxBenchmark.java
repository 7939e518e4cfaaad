package io.ptorrent.bench;

import io.ptorrent.client.SerializableCallable;
import io.ptorrent.client.bundle.Bundle;
import io.ptorrent.client.bundle.BundleBuilder;
import io.ptorrent.client.bundle.ClosureCodec;
import io.ptorrent.plugin.sandbox.SandboxOptions;
import io.ptorrent.plugin.sandbox.SandboxRunner;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * What the sandbox adds to a fragment, against the same closure run in this JVM, in the same run.
 *
 * <ul>
 *   <li>baseline, in-JVM: decode the serialized closure through the same allow-list filter, call it,
 *       serialize its result: what a worker does, without the process boundary;</li>
 *   <li>warm worker: {@link SandboxRunner#run} of the same bytes, the worker reused (same bundle and submitter);</li>
 *   <li>one by one against batched, per fragment: rounds of {@value #BATCH} fragments through {@link SandboxRunner#run}
 *       one after another, interleaved with rounds of one {@link SandboxRunner#runAll} of {@value #BATCH} (inputs
 *       written ahead, one worker), each round's time divided by {@value #BATCH};</li>
 *   <li>cold worker: a runner without spares that replaces its worker after every fragment, so each fragment
 *       waits for a JVM start (what a node without a warm pool paid per fragment);</li>
 *   <li>warm worker's resident memory (VmRSS from /proc), idle after the warm runs, and of the spare.</li>
 * </ul>
 * Usage: {@code SandboxBenchmark [fragments] [cold fragments]}.
 */
public final class SandboxBenchmark {
    /** Fragments per batch in the batched rows. */
    static final int BATCH = 100;

    private SandboxBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int fragments = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int coldFragments = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        SerializableCallable<Integer> closure = Closures.answer();
        Bundle bundle = BundleBuilder.forClosure(closure);
        byte[] bytes = ClosureCodec.serialize(closure);
        Duration timeout = Duration.ofSeconds(60);
        SandboxOptions options = new SandboxOptions(64, timeout, SandboxOptions.DEFAULT_MAX_RESULT_BYTES);

        Callable<byte[]> inJvm = () -> {
            Object decoded = ClosureCodec.decodeClosure(bytes, SandboxBenchmark.class.getClassLoader(), bundle.classes().keySet());
            return serialize(((Callable<?>) decoded).call());
        };
        double[] baseline;
        double[] warm;
        double[] oneByOne;
        double[] batched;
        long warmRss;
        long spareRss;
        try (SandboxRunner runner = new SandboxRunner(options)) {
            time(fragments / 5, inJvm);
            time(fragments / 5, () -> runner.run(bundle, bytes, timeout, "bench"));
            // Interleaved rounds, so that a burst of load on the machine hits both sides alike.
            double[][] rounds = new double[2][fragments];
            for (int i = 0; i < fragments; i++) {
                rounds[0][i] = time(1, inJvm)[0];
                rounds[1][i] = time(1, () -> runner.run(bundle, bytes, timeout, "bench"))[0];
            }
            baseline = rounds[0];
            warm = rounds[1];
            int batchRounds = Math.max(10, fragments / BATCH * 4);
            java.util.List<byte[]> batch = java.util.Collections.nCopies(BATCH, bytes);
            oneByOne = new double[batchRounds];
            batched = new double[batchRounds];
            for (int r = 0; r < batchRounds; r++) {
                oneByOne[r] = time(1, () -> {
                    for (int i = 0; i < BATCH; i++) {
                        runner.run(bundle, bytes, timeout, "bench");
                    }
                    return null;
                })[0] / BATCH;
                batched[r] = time(1, () -> runner.runAll(bundle, batch, timeout, "bench", (i, res) -> {
                    if (!res.ok()) {
                        throw res.failure();
                    }
                    return true;
                }))[0] / BATCH;
            }
            long[] rss = runner.workerPids().stream().mapToLong(SandboxBenchmark::rssMib).sorted().toArray();
            warmRss = rss.length == 0 ? -1 : rss[rss.length - 1];
            spareRss = rss.length == 0 ? -1 : rss[0];
            System.out.println("pool after the warm runs: " + runner.idleWorkers() + " idle worker(s), RSS MiB " + Arrays.toString(rss));
        }
        double[] cold;
        try (SandboxRunner runner = new SandboxRunner(options.withSpareWorkers(0).withMaxFragmentsPerWorker(1))) {
            runner.run(bundle, bytes, timeout, "bench"); // the probes for prlimit and unshare run once, here
            cold = time(coldFragments, () -> runner.run(bundle, bytes, timeout, "bench"));
        }
        Arrays.sort(baseline);
        Arrays.sort(warm);
        Arrays.sort(cold);
        Arrays.sort(oneByOne);
        Arrays.sort(batched);
        String table = "| what | n | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|\n"
                + row("same closure in the node's JVM: decode, call, serialize (baseline)", baseline)
                + row("warm sandbox worker, reused for the same bundle", warm)
                + row("cold sandbox worker: a JVM started for the fragment", cold)
                + row("per fragment, " + BATCH + " one by one (run), warm worker; n = rounds", oneByOne)
                + row("per fragment, one batch of " + BATCH + " (runAll, inputs written ahead); n = rounds", batched)
                + String.format(Locale.ROOT, "\nAdded by a warm worker over the baseline: p50 %.3f ms, p99 %.3f ms (aim: ≤ 2 ms). "
                        + "Warm worker's resident memory, idle: %d MiB (aim: ≤ 64 MiB); the spare's: %d MiB.%n",
                        pct(warm, 50) - pct(baseline, 50), pct(warm, 99) - pct(baseline, 99), warmRss, spareRss)
                + String.format(Locale.ROOT, "Per trivial fragment, p50 of rounds: %.3f ms one by one, %.3f ms in a batch of %d (%.1f× less).%n",
                        pct(oneByOne, 50), pct(batched, 50), BATCH, pct(oneByOne, 50) / pct(batched, 50));
        System.out.println(table);
        BenchmarkReport.write("sandbox", "Sandbox worker: warm pool against in-JVM (issue 4)",
                "./mvnw -q -o -pl bench -am package -DskipTests && ./mvnw -q -o -pl bench dependency:build-classpath -Dmdep.outputFile=/tmp/cp-sandbox.txt"
                        + " && java -cp client-thin/target/classes:ignite-plugin/target/classes:bench/target/classes:$(cat /tmp/cp-sandbox.txt)"
                        + " io.ptorrent.bench.SandboxBenchmark " + fragments + " " + coldFragments,
                "On " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                        + ". A trivial closure (`() -> 42`), " + fragments + " fragments each way, in-JVM and warm worker interleaved; workers with a 64 MiB heap, "
                        + SandboxRunner.confinement() + ".\n\n" + table);
    }

    private static byte[] serialize(Object value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(out)) {
            o.writeObject(value);
        }
        return out.toByteArray();
    }

    private static double[] time(int n, Callable<?> body) throws Exception {
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            body.call();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return ms;
    }

    private static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static String row(String what, double[] sorted) {
        return String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f |%n", what, sorted.length, pct(sorted, 50), pct(sorted, 99), sorted[sorted.length - 1]);
    }

    private static long rssMib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }
}
