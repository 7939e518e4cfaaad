package io.ptorrent.bench;

import io.ptorrent.client.bundle.Bundle;
import io.ptorrent.client.bundle.BundleBuilder;
import io.ptorrent.client.bundle.BundleVerifier;
import io.ptorrent.client.wire.WireBundle;
import io.ptorrent.plugin.sandbox.BundleCache;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a contributor pays per fragment for the fragment's bundle, before and after the bundle cache (issue 10,
 * part 2), in one JVM and one run:
 * <ul>
 *   <li>before (the baseline): what {@code FragmentJob} did for every fragment — recompute the bundle's SHA-256
 *       and run the bytecode verifier over it ({@code BundleVerifier.verify(Bundle.verified(wire))});</li>
 *   <li>after, a fragment named by hash: {@link BundleCache#get} of a held verdict;</li>
 *   <li>after, a node's first fragment of the bundle: {@link BundleCache#admit} into an empty cache (hash and verify once).</li>
 * </ul>
 * On two bundles: a trivial closure's ({@code () -> 42}) and a large generated one (the verifier benchmark's, every
 * class reachable). Only the contributor's CPU step is timed here, not the wire: the bytes a fragment carries are
 * reported beside it (before: the whole bundle with every fragment; after: none but the first per node).
 */
final class BundleCacheBenchmark {
    private BundleCacheBenchmark() {
    }

    static Map<String, Object> run(Bench.Options o) throws IOException {
        double loadStart = load();
        int fragments = o.quick() ? 20 : 100;
        int largeClasses = o.quick() ? 300 : 1_500;
        List<String> rows = new ArrayList<>();
        Map<String, Object> json = new LinkedHashMap<>();
        Bundle small = BundleBuilder.forClosure(Closures.answer());
        Bundle large = Bundle.of(VerifierBenchmark.bundle(largeClasses, 12, largeClasses, true));
        Map<String, Bundle> bundles = new LinkedHashMap<>();
        bundles.put("trivial closure", small);
        bundles.put("generated", large);
        for (Map.Entry<String, Bundle> e : bundles.entrySet()) {
            Bundle b = e.getValue();
            WireBundle wire = b.toWire();
            long bytes = b.classes().values().stream().mapToLong(c -> c.length).sum();
            // Warm-up: the same code paths, JIT-compiled before they are timed.
            double[] before = Latencies.time(fragments, () -> BundleVerifier.verify(Bundle.verified(wire)));
            before = Latencies.time(fragments, () -> BundleVerifier.verify(Bundle.verified(wire)));
            int firstRuns = Math.max(3, fragments / 10);
            double[] first = Latencies.time(firstRuns, () -> new BundleCache(64, 64L << 20).admit(wire));
            BundleCache cache = new BundleCache(64, 64L << 20);
            cache.admit(wire);
            Latencies.time(fragments, () -> cache.get(b.sha256()));
            double[] hit = Latencies.time(fragments, () -> cache.get(b.sha256()));
            String what = e.getKey() + " (" + b.classes().size() + (b.classes().size() == 1 ? " class, " : " classes, ") + bytes / 1024 + " KiB)";
            rows.add(Latencies.row(what + ": before, hash + verify on every fragment (baseline)", before));
            rows.add(Latencies.row(what + ": after, a node's first fragment (hash + verify, kept)", first));
            rows.add(Latencies.row(what + ": after, every later fragment (cache hit by hash)", hit));
            String key = b == small ? "small" : "large";
            json.put(key + "BeforeP50Ms", round(before[before.length / 2]));
            json.put(key + "FirstP50Ms", round(first[first.length / 2]));
            json.put(key + "HitP50Ms", round(hit[hit.length / 2]));
            json.put(key + "Bytes", bytes);
        }
        String table = Latencies.HEADER + String.join("\n", rows) + "\n";
        System.out.println(table);
        BenchmarkReport.write("bundle-cache", "The contributor's bundle step per fragment, before and after the bundle cache (issue 10, part 2)",
                "bench/run bundle-cache", "On " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors()
                        + " cores, Java " + System.getProperty("java.version") + ", load average " + loadStart + " before and " + load()
                        + " after (1-minute averages; other engineers' builds share the machine), one JVM, " + fragments + " fragments per row after as many warm-up runs (wall-clock ms per fragment). "
                        + "Before, a fragment also carried the whole bundle over the wire; after, only a node's first fragment of it does "
                        + "(and one after the node evicted it), the others name it by SHA-256.\n\n" + table);
        return json;
    }

    private static double load() {
        return Math.round(java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() * 100) / 100.0;
    }

    private static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }
}
