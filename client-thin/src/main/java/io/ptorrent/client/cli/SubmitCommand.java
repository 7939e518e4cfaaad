package io.ptorrent.client.cli;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.client.PtorrentException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code ptorrent submit --example NAME}: runs an example task on the grid and prints its result. */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Submit a task to the grid through the thin client and print its result.")
public final class SubmitCommand implements Callable<Integer> {
    @Option(names = "--example", required = true, paramLabel = "NAME",
            description = "The example to run: ${COMPLETION-CANDIDATES}. Run with an unknown name to list them.")
    String example;

    @Option(names = "--harbor", paramLabel = "HOST:PORT", defaultValue = PtorrentClientOptions.DEFAULT_ADDRESS,
            description = "The harbor's thin-client address (default: ${DEFAULT-VALUE}).")
    String harbor;

    @Option(names = "--account", paramLabel = "ID", description = "The account the task runs for.")
    String account;

    @Override
    public Integer call() {
        List<ExampleProgram> all = examples();
        ExampleProgram program = all.stream().filter(p -> p.name().equals(example)).findFirst()
                .orElseThrow(() -> new PtorrentException(ErrorCode.BAD_REQUEST, "there is no example '" + example + "'; the examples are: "
                        + all.stream().map(p -> p.name() + " (" + p.description() + ")").collect(Collectors.joining(", "))));
        long t0 = System.nanoTime();
        try (PtorrentClient client = PtorrentClient.connect(new PtorrentClientOptions().addresses(harbor).account(account))) {
            Object result = program.run(client, System.out);
            System.out.printf("%s: %s (%.1f s)%n", program.name(), result, (System.nanoTime() - t0) / 1e9);
        }
        return 0;
    }

    /** Every example on the class path. */
    public static List<ExampleProgram> examples() {
        return ServiceLoader.load(ExampleProgram.class).stream().map(ServiceLoader.Provider::get).toList();
    }
}
