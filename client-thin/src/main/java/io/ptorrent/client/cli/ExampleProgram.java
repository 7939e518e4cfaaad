package io.ptorrent.client.cli;

import io.ptorrent.client.PtorrentClient;

import java.io.PrintStream;

/**
 * An example task that {@code bin/ptorrent submit --example NAME} runs. Implementations are found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.ptorrent.client.cli.ExampleProgram}).
 */
public interface ExampleProgram {
    /** The name given to {@code --example}. */
    String name();

    /** One line on what it computes. */
    String description();

    /**
     * Submits the example's task and returns its result.
     *
     * @param out where to print progress for the user
     */
    Object run(PtorrentClient client, PrintStream out);
}
