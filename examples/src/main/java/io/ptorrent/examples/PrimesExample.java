package io.ptorrent.examples;

import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.TaskHandle;
import io.ptorrent.client.TaskReport;
import io.ptorrent.client.cli.ExampleProgram;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Counts the primes below ten million with {@link PtorrentClient#map}: one fragment per block of numbers. */
public final class PrimesExample implements ExampleProgram {
    static final long LIMIT = 10_000_000;
    static final int BLOCKS = 10;

    @Override
    public String name() {
        return "primes";
    }

    @Override
    public String description() {
        return "count the primes below " + LIMIT + " in " + BLOCKS + " blocks";
    }

    @Override
    public Object run(PtorrentClient client, PrintStream out) {
        return count(client, LIMIT, BLOCKS, out);
    }

    /** The number of primes in [2, limit), counted block by block on the grid. */
    public static long count(PtorrentClient client, long limit, int blocks) {
        return count(client, limit, blocks, null);
    }

    /** As {@link #count(PtorrentClient, long, int)}, printing where it ran and what it cost to {@code out} (if not null). */
    public static long count(PtorrentClient client, long limit, int blocks, PrintStream out) {
        List<long[]> ranges = new ArrayList<>();
        long step = (limit + blocks - 1) / blocks;
        for (long from = 0; from < limit; from += step) {
            ranges.add(new long[] {from, Math.min(limit, from + step)});
        }
        TaskHandle<List<Long>> task = client.map(ranges, PrimesExample::countPrimes);
        List<Long> counts = task.get();
        if (out != null) {
            TaskReport r = task.report().join();
            out.println("  " + r.fragments().size() + " fragments ran on " + r.nodeIds().size() + " contributor node(s)"
                    + String.format(java.util.Locale.ROOT, "; credit spent %.3f", r.creditsSpent()));
        }
        return counts.stream().mapToLong(Long::longValue).sum();
    }

    /** Primes in [range[0], range[1]) by trial division with 6k±1 steps. */
    static long countPrimes(long[] range) {
        long n = 0;
        for (long v = Math.max(2, range[0]); v < range[1]; v++) {
            if (isPrime(v)) {
                n++;
            }
        }
        return n;
    }

    static boolean isPrime(long v) {
        if (v < 4) {
            return v >= 2;
        }
        if (v % 2 == 0 || v % 3 == 0) {
            return false;
        }
        for (long d = 5; d * d <= v; d += 6) {
            if (v % d == 0 || v % (d + 2) == 0) {
                return false;
            }
        }
        return true;
    }
}
