package io.ptorrent.client.cli;

import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.client.TaskStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ptorrent status TASK-ID}: a task's state, progress, credit spent and error, through the thin
 * client's {@link PtorrentClient#status(String)}. Exit 0 when the task is known (whatever its state);
 * an unknown id fails with NOT_FOUND.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show a task by id: its state, fragments done of all, the credit it spent, and its error if it failed.")
public final class StatusCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TASK-ID", description = "The task's id, as submit printed it.")
    String taskId;

    @Mixin
    Login login;

    @Mixin
    ClientTls tls;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (PtorrentClient client = PtorrentClient.connect(tls.apply(login.options()))) {
            PrintWriter out = spec.commandLine().getOut();
            out.println(describe(client.status(taskId)));
            out.flush();
        }
        return 0;
    }

    /** One line: {@code <id>: RUNNING, 3/8 fragments done, 0.000 credits spent}, and the error when there is one. */
    public static String describe(TaskStatus s) {
        String line = String.format(Locale.ROOT, "%s: %s, %d/%d fragments done, %.3f credits spent",
                s.taskId(), s.state(), s.fragmentsDone(), s.fragmentsTotal(), s.creditSpent() / 1000.0);
        return s.error() == null ? line : line + "; " + s.error().describe();
    }
}
