package io.ptorrent.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code ptorrent grid}: prints what the console's {@code /api/grid} and {@code /api/nodes} say. */
@Command(name = "grid", mixinStandardHelpOptions = true, description = "Show the grid: nodes, capacity and free PU, fragments.")
public final class GridCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--console", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
            description = "The harbor's web console (default: ${DEFAULT-VALUE}).")
    String console;

    @Option(names = "--json", description = "Print /api/grid's JSON as it is.")
    boolean json;

    @Override
    public Integer call() {
        String grid = get("/api/grid");
        if (json) {
            System.out.println(grid);
            return 0;
        }
        JsonNode g = read(grid);
        System.out.printf("harbor %s: %d harbor(s), %d contributor(s); capacity %.2f PU, free %.2f PU; %d queued, %d running fragment(s)%n",
                g.path("harbor").asText("?"), g.path("harbors").asInt(), g.path("contributors").asInt(),
                g.path("capacityPu").asDouble(), g.path("freePu").asDouble(),
                g.path("queuedFragments").asInt(), g.path("runningFragments").asInt());
        JsonNode nodes = read(get("/api/nodes"));
        System.out.printf("%-14s %-12s %-10s %5s %6s %9s %8s %7s%n", "NAME", "ROLE", "HARBOR", "CORES", "SHARED", "PU/CORE", "PU", "RUNNING");
        for (JsonNode n : nodes) {
            System.out.printf("%-14s %-12s %-10s %5d %6d %9.3f %8.3f %7d%n", n.path("name").asText(n.path("id").asText()),
                    n.path("role").asText(), n.path("harbor").asText(), n.path("cores").asInt(), n.path("sharedCores").asInt(),
                    n.path("puPerCore").asDouble(), n.path("puScore").asDouble(), n.path("runningFragments").asInt());
        }
        return 0;
    }

    private String get(String path) {
        URI uri = URI.create(console.replaceAll("/+$", "") + path);
        try {
            HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new PtorrentException(ErrorCode.INTERNAL, uri + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (ConnectException e) {
            throw new PtorrentException(ErrorCode.CONNECTION_FAILED, "no console at " + console + " (is the harbor running? is --console right?)", e);
        } catch (IOException e) {
            throw new PtorrentException(ErrorCode.CONNECTION_FAILED, "cannot read " + uri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PtorrentException(ErrorCode.TASK_CANCELLED, "interrupted", e);
        }
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new PtorrentException(ErrorCode.INTERNAL, "the console answered something that is not JSON: " + e.getMessage(), e);
        }
    }
}
