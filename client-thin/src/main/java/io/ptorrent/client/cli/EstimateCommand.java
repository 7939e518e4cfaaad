package io.ptorrent.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code ptorrent estimate --work-pu N}: how long N PU-seconds of work would wait and run now, and the cost. */
@Command(name = "estimate", mixinStandardHelpOptions = true, description = "Estimate the wait, run time and cost of a task of some work.")
public final class EstimateCommand implements Callable<Integer> {
    @Option(names = "--work-pu", required = true, paramLabel = "N", description = "The task's work in PU-seconds (one reference core for one second).")
    double workPu;

    @Option(names = "--console", paramLabel = "URL", description = "The harbor's web console (default: https://127.0.0.1:8080, or http:// with --no-tls).")
    String console;

    @Mixin
    ClientTls tls;

    @Override
    public Integer call() {
        JsonNode e = new ConsoleClient(console, tls).json("/api/estimate?workPu=" + workPu);
        System.out.printf("%s PU-seconds: wait %.1f s, run %.1f s on %.2f PU (%.2f free), cost %.2f credits%n",
                e.path("workPu").asText(), e.path("waitSeconds").asDouble(), e.path("runSeconds").asDouble(),
                e.path("capacityPu").asDouble(), e.path("freePu").asDouble(), e.path("costCredits").asDouble());
        return 0;
    }
}
