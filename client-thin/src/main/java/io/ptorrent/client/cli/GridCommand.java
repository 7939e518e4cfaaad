package io.ptorrent.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code ptorrent grid}: prints what the console's {@code /api/grid} and {@code /api/nodes} say. */
@Command(name = "grid", mixinStandardHelpOptions = true, description = "Show the grid: nodes, capacity and free PU, fragments.")
public final class GridCommand implements Callable<Integer> {
    @Option(names = "--console", paramLabel = "URL",
            description = "The harbor's web console (default: https://127.0.0.1:8080, or http:// with --no-tls).")
    String console;

    @Mixin
    ClientTls tls;

    @Option(names = "--json", description = "Print /api/grid's JSON as it is.")
    boolean json;

    @Override
    public Integer call() {
        ConsoleClient api = new ConsoleClient(console, tls);
        String grid = api.text("/api/grid");
        if (json) {
            System.out.println(grid);
            return 0;
        }
        JsonNode g = api.json("/api/grid");
        System.out.printf("harbor %s: %d harbor(s), %d contributor(s); capacity %.2f PU, free %.2f PU; %d queued, %d running fragment(s)%n",
                g.path("harbor").asText("?"), g.path("harbors").asInt(), g.path("contributors").asInt(),
                g.path("capacityPu").asDouble(), g.path("freePu").asDouble(),
                g.path("queuedFragments").asInt(), g.path("runningFragments").asInt());
        for (JsonNode h : g.path("perHarbor")) {
            System.out.printf("  harbor %s: %d contributor(s), capacity %.2f PU, free %.2f PU%n", h.path("harbor").asText(),
                    h.path("contributors").asInt(), h.path("capacityPu").asDouble(), h.path("freePu").asDouble());
        }
        JsonNode nodes = api.json("/api/nodes");
        // PU/CORE and PU are what the harbor measured (0 until its first speed probe is back); CLAIMED is the node's own benchmark.
        System.out.printf("%-14s %-12s %-10s %5s %6s %9s %8s %8s %7s%n", "NAME", "ROLE", "HARBOR", "CORES", "SHARED", "PU/CORE", "PU", "CLAIMED",
                "RUNNING");
        for (JsonNode n : nodes) {
            System.out.printf("%-14s %-12s %-10s %5d %6d %9.3f %8.3f %8.3f %7d%n", n.path("name").asText(n.path("id").asText()),
                    n.path("role").asText(), n.path("harbor").asText(), n.path("cores").asInt(), n.path("sharedCores").asInt(),
                    n.path("puPerCore").asDouble(), n.path("puScore").asDouble(), n.path("claimedPuPerCore").asDouble(),
                    n.path("runningFragments").asInt());
        }
        return 0;
    }
}
