package io.ptorrent.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Replaces one section of docs/BENCHMARKS.md (between markers), keeping the others. */
final class BenchmarkReport {
    /** Set by {@link Bench}: the {@code bench/run} command line, which then stands for the scenario's own. */
    static final String COMMAND_PROPERTY = "ptorrent.bench.command";

    private BenchmarkReport() {
    }

    /** The 1-minute load average now (the machine is shared: every section says how busy it was). */
    static double load() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** "On DATE, N cores (shared), Java V, load average A at the start, B at the end. ": a section's first words. */
    static String machine(double loadStart) {
        return "On " + java.time.LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores (shared), Java "
                + System.getProperty("java.version")
                + String.format(java.util.Locale.ROOT, ", load average %.1f at the start, %.1f at the end. ", loadStart, load());
    }

    static void write(String id, String title, String command, String body) throws IOException {
        Path file = findDocs().resolve("BENCHMARKS.md");
        String begin = "<!-- bench:" + id + " -->";
        String end = "<!-- /bench:" + id + " -->";
        String shown = System.getProperty(COMMAND_PROPERTY, command);
        String section = begin + "\n## " + title + "\n\nCommand: `" + shown + "`\n\n" + body + end;
        String doc = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n\nFigures from `bench/`; each benchmark runs its baseline in the same run.\n";
        int a = doc.indexOf(begin);
        int b = doc.indexOf(end);
        doc = a >= 0 && b > a ? doc.substring(0, a) + section + doc.substring(b + end.length()) : doc.stripTrailing() + "\n\n" + section + "\n";
        Files.writeString(file, doc);
        System.out.println("wrote " + file.toAbsolutePath().normalize());
    }

    private static Path findDocs() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docs")) && Files.exists(p.resolve("bench"))) {
                return p.resolve("docs");
            }
        }
        return Path.of("docs");
    }
}
