package io.ptorrent.plugin.testing;

import javax.tools.JavaCompiler;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Builds a user's jar the way a user does, for tests of {@code bin/ptorrent submit --jar}: compiles Java sources
 * with the JDK's compiler and jars the class files (shared as ignite-plugin's test-jar).
 */
public final class JobJars {
    /**
     * The jobs of the tests' jar: good ones, ones the verifier rejects, one that throws, and classes that
     * cannot be jobs. {@code jobs.Shout} uses a helper class of the jar, which must travel in the bundle.
     */
    public static final Map<String, String> SAMPLE = Map.ofEntries(
            Map.entry("jobs.Answer", "package jobs; public record Answer(int value) {}"),
            Map.entry("jobs.SixTimesSeven", """
                    package jobs;
                    public class SixTimesSeven implements java.util.concurrent.Callable<Answer> {
                        public Answer call() { return new Answer(6 * 7); }
                    }"""),
            Map.entry("jobs.Words", """
                    package jobs;
                    final class Words {
                        static String shout(String s) { return s.toUpperCase(java.util.Locale.ROOT) + "!"; }
                    }"""),
            Map.entry("jobs.Shout", """
                    package jobs;
                    public class Shout implements java.util.function.Function<String, String> {
                        public String apply(String s) { return Words.shout(s); }
                    }"""),
            Map.entry("jobs.ReadsFile", """
                    package jobs;
                    public class ReadsFile implements java.util.concurrent.Callable<String> {
                        public String call() throws Exception { return java.nio.file.Files.readString(java.nio.file.Path.of("/etc/hostname")); }
                    }"""),
            Map.entry("jobs.Reflects", """
                    package jobs;
                    public class Reflects implements java.util.concurrent.Callable<Integer> {
                        public Integer call() { return String.class.getDeclaredMethods().length; }
                    }"""),
            Map.entry("jobs.Fails", """
                    package jobs;
                    public class Fails implements java.util.concurrent.Callable<String> {
                        public String call() { throw new IllegalStateException("the job failed on purpose"); }
                    }"""),
            Map.entry("jobs.Hidden", """
                    package jobs;
                    class Hidden implements java.util.concurrent.Callable<Integer> {
                        public Integer call() { return 1; }
                    }"""),
            Map.entry("jobs.NoDefault", """
                    package jobs;
                    public class NoDefault implements java.util.concurrent.Callable<Integer> {
                        private final int n;
                        public NoDefault(int n) { this.n = n; }
                        public Integer call() { return n; }
                    }"""),
            Map.entry("jobs.Plain", """
                    package jobs;
                    public class Plain implements Runnable {
                        public void run() { }
                    }"""),
            Map.entry("jobs.Squares", """
                    package jobs;
                    public class Squares implements java.util.function.Function<Integer, Integer> {
                        public Integer apply(Integer n) { return n * n; }
                    }"""),
            Map.entry("jobs.Outer", """
                    package jobs;
                    public class Outer {
                        public class Inner implements java.util.concurrent.Callable<Integer> {
                            public Integer call() { return 2; }
                        }
                    }"""),
            Map.entry("jobs.Template", """
                    package jobs;
                    public abstract class Template implements java.util.concurrent.Callable<Integer> {
                    }"""));

    private JobJars() {
    }

    /**
     * Compiles the sources against the JDK alone and jars every class file they produce.
     *
     * @param dir     a scratch directory (the jar is {@code dir/name})
     * @param sources source text by top-level class binary name, e.g. {@code "jobs.Answer" -> "package jobs; ..."}
     */
    public static Path build(Path dir, String name, Map<String, String> sources) {
        try {
            Path classes = Files.createTempDirectory(dir, "classes-");
            List<SimpleJavaFileObject> units = new ArrayList<>();
            for (Map.Entry<String, String> s : sources.entrySet()) {
                units.add(new SimpleJavaFileObject(URI.create("string:///" + s.getKey().replace('.', '/') + ".java"), SimpleJavaFileObject.Kind.SOURCE) {
                    @Override
                    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                        return s.getValue();
                    }
                });
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            StringWriter diagnostics = new StringWriter();
            // An empty class path: a user's job sees the JDK and its own jar, nothing of ptorrent's.
            boolean ok = javac.getTask(diagnostics, null, null, List.of("--release", "17", "-classpath", "", "-d", classes.toString()), null, units).call();
            if (!ok) {
                throw new IllegalStateException("the test's job sources do not compile:\n" + diagnostics);
            }
            Path jar = dir.resolve(name);
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                    out.write(Files.readAllBytes(f));
                    out.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
