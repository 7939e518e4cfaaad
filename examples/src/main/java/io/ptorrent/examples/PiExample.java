package io.ptorrent.examples;

import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.TaskHandle;
import io.ptorrent.client.TaskReport;
import io.ptorrent.client.cli.ExampleProgram;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Monte Carlo π: 8 fragments of 5 million points each, summed on the submitter's side. */
public final class PiExample implements ExampleProgram {
    static final int FRAGMENTS = 8;
    static final long SAMPLES_PER_FRAGMENT = 5_000_000;

    @Override
    public String name() {
        return "pi";
    }

    @Override
    public String description() {
        return "estimate π by Monte Carlo, " + FRAGMENTS + " fragments of " + SAMPLES_PER_FRAGMENT + " points";
    }

    @Override
    public Object run(PtorrentClient client, PrintStream out) {
        return estimate(client, FRAGMENTS, SAMPLES_PER_FRAGMENT, out);
    }

    /** π ≈ 4 × inside / total, the fragments run on the grid. */
    public static double estimate(PtorrentClient client, int fragments, long samplesPerFragment, PrintStream out) {
        List<PiFragment> work = new ArrayList<>();
        for (int i = 0; i < fragments; i++) {
            work.add(new PiFragment(0x5EED_0000L + i, samplesPerFragment));
        }
        TaskHandle<List<Long>> task = client.submitAll(work);
        long inside = task.get().stream().mapToLong(Long::longValue).sum();
        TaskReport r = task.report().join();
        out.println("  " + r.fragments().size() + " fragments ran on " + r.nodeIds().size() + " contributor node(s) " + r.nodeIds()
                + String.format(java.util.Locale.ROOT, "; credit spent %.3f", r.creditsSpent()));
        return 4.0 * inside / (fragments * samplesPerFragment);
    }
}
