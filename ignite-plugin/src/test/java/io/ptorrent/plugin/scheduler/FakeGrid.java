package io.ptorrent.plugin.scheduler;

import io.ptorrent.client.bundle.Bundle;
import io.ptorrent.credit.ratio.RatioConfiguration;
import io.ptorrent.credit.ratio.RatioEngine;
import io.ptorrent.plugin.scheduler.FragmentTransport.Batch;
import io.ptorrent.plugin.scheduler.FragmentTransport.BatchReply;
import io.ptorrent.plugin.scheduler.Topology.Contributor;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A harbor's scheduler core on a fake topology, a fake link and a fake clock, for tests: a discrete-event simulation
 * on one thread. Each fake node runs its batches' pieces one after another on each of its cores, a fixed time per
 * piece; the link adds a fixed delay each way. {@link #run()} moves time from event to event until nothing is left.
 */
final class FakeGrid {
    static final Bundle BUNDLE = Bundle.of(Map.of("x.X", new byte[] {1, 2, 3}));

    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final PriorityQueue<Event> events = new PriorityQueue<>(Comparator.comparingLong(Event::at).thenComparingLong(Event::seq));
    private long seq;
    final Map<UUID, Node> nodes = new LinkedHashMap<>();
    final CountingAccounting accounting = new CountingAccounting();
    final List<Sent> sent = new CopyOnWriteArrayList<>();
    final SchedulerCore core;
    long oneWayNanos;

    FakeGrid(NodeWindows.Options options) {
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
        Topology topology = new Topology() {
            @Override
            public List<Contributor> contributors() {
                List<Contributor> out = new ArrayList<>();
                for (Node n : nodes.values()) {
                    if (n.present) {
                        out.add(new Contributor(n.id, n.name, n.cores, n.pu));
                    }
                }
                return out;
            }

            @Override
            public boolean present(UUID node) {
                Node n = nodes.get(node);
                return n != null && n.present;
            }
        };
        core = new SchedulerCore("h", 60_000, topology, this::send, Placement.FREE_CAPACITY, options, accounting,
                accounting::paid, new RatioEngine(new RatioConfiguration(), clock), nanos::get, clock, m -> { }, Runnable::run);
    }

    /** A node with {@code cores} shared cores that runs each piece in {@code pieceMillis} (and claims {@code claimMillis}). */
    Node node(String name, int cores, long pieceMillis) {
        Node n = new Node(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)), name, cores, pieceMillis);
        nodes.put(n.id, n);
        return n;
    }

    static List<byte[]> closures(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new byte[] {(byte) i});
        }
        return out;
    }

    long nowMillis() {
        return nanos.get() / 1_000_000;
    }

    /** Runs events until none is left (or {@code untilNanos} is passed); returns the time then. */
    long run() {
        return run(Long.MAX_VALUE);
    }

    long run(long untilNanos) {
        while (!events.isEmpty() && events.peek().at <= untilNanos) {
            Event e = events.poll();
            nanos.set(Math.max(nanos.get(), e.at));
            e.action.run();
        }
        return nanos.get();
    }

    void at(long atNanos, Runnable action) {
        events.add(new Event(atNanos, seq++, action));
    }

    /** A batch the fake link carried. */
    record Sent(UUID node, Batch batch, CompletableFuture<BatchReply> reply, long sentNanos) {
    }

    private CompletableFuture<BatchReply> send(UUID node, Batch batch) {
        CompletableFuture<BatchReply> reply = new CompletableFuture<>();
        Sent s = new Sent(node, batch, reply, nanos.get());
        sent.add(s);
        Node n = nodes.get(node);
        at(nanos.get() + oneWayNanos, () -> n.arrive(s));
        return reply;
    }

    final class Node {
        final UUID id;
        final String name;
        int cores;
        final long pieceNanos;
        double pu = 1.0;
        boolean present = true;
        /** Claimed run time per piece; by default the true one. */
        long claimMillis;
        /** Whether the node runs what it gets (else it only holds it, for tests that answer by hand). */
        boolean automatic = true;
        final ArrayDeque<Sent> queue = new ArrayDeque<>();
        final List<Sent> held = new ArrayList<>();
        int busy;
        long busyNanos;

        Node(UUID id, String name, int cores, long pieceMillis) {
            this.id = id;
            this.name = name;
            this.cores = cores;
            this.pieceNanos = pieceMillis * 1_000_000;
            this.claimMillis = pieceMillis;
        }

        void arrive(Sent s) {
            if (!automatic) {
                held.add(s);
                return;
            }
            queue.add(s);
            startNext();
        }

        private void startNext() {
            while (busy < cores && !queue.isEmpty()) {
                Sent s = queue.poll();
                if (s.reply.isDone()) {
                    continue; // cancelled while queued
                }
                busy++;
                long runNanos = pieceNanos * s.batch.size();
                busyNanos += runNanos;
                at(nanos.get() + runNanos, () -> {
                    busy--;
                    List<FragmentOutcome> outcomes = new ArrayList<>();
                    List<Long> claims = new ArrayList<>();
                    for (int i = 0; i < s.batch.size(); i++) {
                        outcomes.add(FragmentOutcome.ok(new byte[] {1}));
                        claims.add(claimMillis);
                    }
                    BatchReply r = new BatchReply(outcomes, claims, true);
                    at(nanos.get() + oneWayNanos, () -> s.reply.complete(r));
                    startNext();
                });
            }
        }
    }

    private record Event(long at, long seq, Runnable action) {
    }
}
