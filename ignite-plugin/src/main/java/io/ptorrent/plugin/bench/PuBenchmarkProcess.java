package io.ptorrent.plugin.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@link PuBenchmark} in a short-lived child JVM and reads its scores.
 *
 * <p>Why a child: the memory kernel needs a 32 MiB array, and a node that measured itself in-process
 * kept that heap (and the kernels' compiled code) committed for as long as it ran: a household paid
 * ~30 MiB of RSS for a number measured once (docs/BENCHMARKS.md, idle node). The child gets the parent's
 * JIT settings, so its scores are those the node would have measured itself. It is this JVM's
 * {@code java} with only this module's classes on its class path; it prints one line of numbers, which
 * is all that is read back.
 *
 * <p>If the child cannot be started or does not answer within the limit, the node measures in-process
 * (correct, only heavier), and says so through {@link Measured#inProcess()}.
 */
public final class PuBenchmarkProcess {
    /** A start of the JVM plus the benchmark's ~0.6 s, with room for a loaded machine. */
    static final Duration LIMIT = Duration.ofSeconds(30);

    private PuBenchmarkProcess() {
    }

    /**
     * A benchmark result and how it was obtained.
     *
     * @param inProcess true if the child failed and the node measured in its own JVM
     * @param why       why the child failed, else null
     */
    public record Measured(PuBenchmark.Result result, boolean inProcess, String why) {
    }

    /** Measures in a child JVM, or in this one if that fails. */
    public static Measured measure() {
        try {
            return new Measured(inChild(LIMIT), false, null);
        } catch (IOException | RuntimeException e) {
            return new Measured(PuBenchmark.run(), true, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Measured(PuBenchmark.run(), true, "interrupted");
        }
    }

    static PuBenchmark.Result inChild(Duration limit) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // 32 MiB array + a little: the heap is the child's, gone when it exits.
        cmd.addAll(List.of("-Xms48m", "-Xmx64m", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xss512k"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-XX:TieredStopAtLevel") || a.equals("-XX:-TieredCompilation") || a.startsWith("-XX:CICompilerCount")) {
                cmd.add(a); // the same JIT as the node: the same scores
            }
        }
        cmd.addAll(List.of("-cp", codeLocation(), PuBenchmarkProcess.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            p.getOutputStream().close();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("the benchmark process did not finish within " + limit.toSeconds() + " s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0) {
                throw new IOException("the benchmark process exited with " + p.exitValue() + ": " + tail(out));
            }
            return parse(out);
        } finally {
            p.destroyForcibly();
        }
    }

    /** The child's side: one line {@code puPerCore cores integer floatingPoint memory millis}. */
    public static void main(String[] args) {
        PuBenchmark.Result r = PuBenchmark.run();
        System.out.println(format(r));
    }

    static String format(PuBenchmark.Result r) {
        return String.format(Locale.ROOT, "%s %d %s %s %s %d", r.puPerCore(), r.cores(), r.kernels().integer(),
                r.kernels().floatingPoint(), r.kernels().memory(), r.millis());
    }

    static PuBenchmark.Result parse(String line) throws IOException {
        String[] f = line.trim().split(" ");
        if (f.length != 6) {
            throw new IOException("the benchmark process answered '" + tail(line) + "', not six numbers");
        }
        try {
            double puPerCore = Double.parseDouble(f[0]);
            int cores = Integer.parseInt(f[1]);
            PuBenchmark.Kernels k = new PuBenchmark.Kernels(Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]));
            return new PuBenchmark.Result(puPerCore, cores, Math.round(puPerCore * cores * 1000.0) / 1000.0, k, Long.parseLong(f[5]));
        } catch (IllegalArgumentException e) {
            throw new IOException("the benchmark process answered '" + tail(line) + "': " + e.getMessage(), e);
        }
    }

    private static String codeLocation() throws IOException {
        try {
            return Path.of(PuBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException | NullPointerException e) {
            throw new IOException("cannot find the benchmark's own code location", e);
        }
    }

    private static String tail(String s) {
        return s.length() <= 300 ? s : "…" + s.substring(s.length() - 300);
    }
}
