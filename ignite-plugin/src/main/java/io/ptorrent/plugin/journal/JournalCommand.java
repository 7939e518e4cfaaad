package io.ptorrent.plugin.journal;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

/** {@code ptorrent node journal}: what this machine ran for the grid, newest first. */
@Command(name = "journal", mixinStandardHelpOptions = true, description = "Show what a contributor node ran: when, for whom, how long, what it was worth.")
public final class JournalCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Option(names = "--name", paramLabel = "NAME", description = "The node's name; its journal is in work/<name>.")
    String name;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "The node's work directory (instead of --name).")
    Path workDir;

    @Option(names = "--last", paramLabel = "N", defaultValue = "20", description = "How many runs to show (default: ${DEFAULT-VALUE}).")
    int last;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path dir = workDir != null ? workDir : Path.of("work", name != null ? name : requireName());
        PrintWriter out = spec.commandLine().getOut();
        try (Journal journal = Journal.readOnly(dir)) {
            Journal.Totals t = journal.totals();
            out.printf("%d fragment run(s), %d succeeded, %.1f PU-seconds of work (this node's estimate; the harbor's ledger pays)%n",
                    t.runs(), t.succeeded(), t.puSeconds());
            out.printf("%-19s  %-10s  %-8s  %-10s  %8s  %10s  %-18s  %s%n", "STARTED", "ACCOUNT", "HARBOR", "TASK", "FRAGMENT", "MILLIS", "OUTCOME", "PU-S");
            for (Journal.Entry e : journal.recent(last)) {
                out.printf("%-19s  %-10s  %-8s  %-10s  %8d  %10d  %-18s  %.2f%n", TIME.format(e.started()), e.account() == null ? "-" : e.account(),
                        e.harbor(), e.taskId().substring(0, Math.min(8, e.taskId().length())), e.fragment(), e.millis(), e.outcome(), e.puSeconds());
            }
        }
        out.flush();
        return 0;
    }

    private String requireName() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give the node's --name (or its --work-dir)");
    }
}
