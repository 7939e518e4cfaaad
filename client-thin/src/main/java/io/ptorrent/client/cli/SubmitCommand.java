package io.ptorrent.client.cli;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentClient;
import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.TaskHandle;
import io.ptorrent.client.TaskReport;
import io.ptorrent.client.TaskStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * {@code ptorrent submit --jar FILE --class NAME [--arg TEXT]} runs a class of the submitter's jar on the grid;
 * {@code ptorrent submit --example NAME} runs one of ptorrent's examples. Either prints the result and the
 * credit spent.
 *
 * <p>A jar's job class is checked before the harbor is contacted ({@link JobJar}: {@code JAR_INVALID},
 * {@code JOB_CLASS_INVALID}), then travels as a {@link JarJob} with its jar's classes as the bundle, which
 * the client verifies ({@code BUNDLE_REJECTED}) before it sends anything. The launcher turns the codes into
 * exit statuses (2 bad input, 3 rejected by verification, 1 the task failed).
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Submit a task to the grid through the thin client and print its result and the credit it cost.",
                "A job of your own: --jar FILE --class NAME, a public class with a public no-argument constructor that"
                        + " implements java.util.concurrent.Callable (no --arg) or java.util.function.Function<String, ?> (with --arg)."},
        footer = "Exit status: 0 done, 1 the task failed, 2 bad input (jar, class, options), 3 the code was rejected by verification.")
public final class SubmitCommand implements Callable<Integer> {
    /** How often the progress display is asked to redraw while the task runs. */
    private static final Duration TICK = Duration.ofMillis(250);

    @Option(names = "--jar", paramLabel = "FILE", description = "A jar with the job's classes (and any others of yours it uses).")
    Path jar;

    @Option(names = "--class", paramLabel = "NAME", description = "The job class in the jar, e.g. com.example.Job.")
    String className;

    @Option(names = "--arg", paramLabel = "TEXT", description = "The argument of a Function<String, ?> job (not for a Callable).")
    String arg;

    @Option(names = "--example", paramLabel = "NAME",
            description = "Instead of a jar, run one of ptorrent's examples by name (pi, primes; an unknown name lists them all).")
    String example;

    @Mixin
    Login login;

    @Mixin
    ClientTls tls;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (example != null && (jar != null || className != null || arg != null)) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, "give either --example NAME or --jar FILE --class NAME [--arg TEXT], not both");
        }
        if (example != null) {
            return runExample();
        }
        if (jar == null || className == null) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, jar == null && className == null
                    ? "what to submit? give --jar FILE --class NAME [--arg TEXT], or --example NAME"
                    : jar == null ? "--class needs --jar FILE: the jar that holds " + className : "--jar needs --class NAME: the job class in " + jar);
        }
        return runJar();
    }

    private int runJar() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long t0 = System.nanoTime();
        // The job is checked before the harbor is contacted: a usage error needs no grid.
        try (JobJar opened = JobJar.open(jar)) {
            JarJob job = opened.job(className, arg);
            try (PtorrentClient client = PtorrentClient.connect(options())) {
                TaskHandle<String> task = client.submit(job);
                // Fragments done/total as the harbor last reported them: a bar once the task is known, elapsed time before.
                ProgressDisplay progress = new ProgressDisplay(err, System.console() != null, className, System::nanoTime, () -> {
                    TaskStatus s = task.progress();
                    return s == null || s.fragmentsTotal() == 0 ? null : new ProgressDisplay.Progress(s.fragmentsDone(), s.fragmentsTotal());
                });
                // Ctrl-C stops the task on the grid too, not only this process: nobody would wait for its result.
                Thread cancelOnExit = new Thread(() -> {
                    if (task.result().isDone()) {
                        return;
                    }
                    String id = task.taskId().getNow(null);
                    try {
                        if (id != null) {
                            client.cancel(id); // waits for the harbor's answer: the JVM must not exit before it is sent
                        } else {
                            task.cancel();
                        }
                    } catch (PtorrentException e) {
                        // The harbor is gone or the task ended meanwhile: nothing is left to stop.
                    }
                }, "ptorrent-cancel-on-exit");
                Runtime.getRuntime().addShutdownHook(cancelOnExit);
                String result;
                try {
                    result = await(task, progress);
                } finally {
                    removeHook(cancelOnExit);
                }
                TaskReport report = task.report().join();
                out.println("result: " + result);
                out.println(String.format(Locale.ROOT, "credit spent %.3f (task %s, %d fragment(s) on %d contributor node(s), %.1f s)",
                        report.creditsSpent(), report.taskId(), report.fragments().size(), report.nodeIds().size(),
                        (System.nanoTime() - t0) / 1e9));
                out.flush();
            }
        }
        return 0;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the hook runs and cancels the task.
        }
    }

    /** Waits for the task, ticking the progress display; the task's failure is thrown as its PtorrentException. */
    private static <R> R await(TaskHandle<R> task, ProgressDisplay progress) {
        CompletableFuture<R> result = task.result();
        try {
            while (!result.isDone()) {
                try {
                    result.get(TICK.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    progress.tick();
                } catch (ExecutionException e) {
                    break; // task.get() below throws it with its code
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        } finally {
            progress.finish();
        }
        return task.get();
    }

    private int runExample() {
        List<ExampleProgram> all = examples();
        ExampleProgram program = all.stream().filter(p -> p.name().equals(example)).findFirst()
                .orElseThrow(() -> new PtorrentException(ErrorCode.BAD_REQUEST, "there is no example '" + example + "'; the examples are: "
                        + all.stream().map(p -> p.name() + " (" + p.description() + ")").collect(Collectors.joining(", "))));
        long t0 = System.nanoTime();
        try (PtorrentClient client = PtorrentClient.connect(options())) {
            Object result = program.run(client, System.out);
            System.out.printf("%s: %s (%.1f s)%n", program.name(), result, (System.nanoTime() - t0) / 1e9);
        }
        return 0;
    }

    private PtorrentClientOptions options() {
        return tls.apply(login.options());
    }

    /** Every example on the class path. */
    public static List<ExampleProgram> examples() {
        return ServiceLoader.load(ExampleProgram.class).stream().map(ServiceLoader.Provider::get).toList();
    }
}
