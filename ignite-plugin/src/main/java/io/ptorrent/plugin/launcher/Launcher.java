package io.ptorrent.plugin.launcher;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.cli.AccountCommand;
import io.ptorrent.client.cli.BalanceCommand;
import io.ptorrent.client.cli.EstimateCommand;
import io.ptorrent.client.cli.GridCommand;
import io.ptorrent.client.cli.StatusCommand;
import io.ptorrent.client.cli.SubmitCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.Properties;
import java.util.Set;

/**
 * {@code bin/ptorrent}: one entry for every user. Operators start harbors, households start nodes,
 * submitters submit, and {@code demo} runs a whole local grid.
 *
 * <p>Exit status: 0 done; 1 the work failed (a task, a node); 2 the user's input is wrong (a usage
 * error, a bad or missing config, a port in use, a jar or job class that cannot run); 3 the submitted code
 * was rejected by verification (the bytecode allow-list or the closure filter), which no retry mends.
 */
@Command(name = "ptorrent", mixinStandardHelpOptions = true, versionProvider = Launcher.Version.class,
        description = "ptorrent, the performance torrent: share your machine's compute, run your tasks on everyone's.",
        subcommands = {HarborCommand.class, NodeCommand.class, DemoCommand.class, SubmitCommand.class, GridCommand.class, EstimateCommand.class,
                BalanceCommand.class, StatusCommand.class, AccountCommand.class})
public final class Launcher {
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_REJECTED = 3;
    private static final Set<ErrorCode> USER_INPUT = EnumSet.of(ErrorCode.BAD_REQUEST, ErrorCode.CONFIG_INVALID, ErrorCode.PORT_IN_USE,
            ErrorCode.JAR_INVALID, ErrorCode.JOB_CLASS_INVALID,
            ErrorCode.AUTHENTICATION_FAILED, ErrorCode.JOIN_REFUSED);
    /** Why a status of its own: a script can tell code that must change from a task that may succeed when retried. */
    private static final Set<ErrorCode> REJECTED = EnumSet.of(ErrorCode.BUNDLE_REJECTED, ErrorCode.CLOSURE_REJECTED);

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit status. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs a command line with picocli's own output (help, usage, errors) going to {@code out} and {@code err}. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cmd = new CommandLine(new Launcher()).setOut(out).setErr(err);
        cmd.setExecutionExceptionHandler((e, line, parsed) -> {
            PtorrentException p = asPtorrent(e);
            line.getErr().println("ptorrent: " + p.describe());
            line.getErr().flush();
            return exitStatus(p.code());
        });
        return cmd.execute(args);
    }

    /** The exit status for a failure with this code. */
    static int exitStatus(ErrorCode code) {
        if (USER_INPUT.contains(code)) {
            return EXIT_USAGE;
        }
        return REJECTED.contains(code) ? EXIT_REJECTED : EXIT_FAILED;
    }

    private static PtorrentException asPtorrent(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PtorrentException p) {
                return p;
            }
        }
        return new PtorrentException(ErrorCode.INTERNAL, String.valueOf(e), e);
    }

    /**
     * The version and the git commit it was built from, from {@code version.properties} (filtered by Maven); a build
     * from a source archive without {@code .git} has no commit: "unknown commit".
     */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {line(read())};
        }

        static String line(Properties p) {
            String version = known(p.getProperty("version"));
            String commit = known(p.getProperty("commit"));
            String where = commit == null ? "unknown commit"
                    : "commit " + commit + ("true".equals(known(p.getProperty("dirty"))) ? ", with uncommitted changes" : "");
            return "ptorrent " + (version == null ? "dev" : version) + " (" + where + ")";
        }

        /** A value Maven filled in; null for a placeholder it left (the property was not set) or none at all. */
        private static String known(String value) {
            return value == null || value.isBlank() || value.contains("${") ? null : value.trim();
        }

        private static Properties read() {
            Properties p = new Properties();
            try (InputStream in = Launcher.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                // no version file: "ptorrent dev (unknown commit)"
            }
            return p;
        }
    }
}
