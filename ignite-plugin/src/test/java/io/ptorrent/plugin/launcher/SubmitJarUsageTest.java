package io.ptorrent.plugin.launcher;

import io.ptorrent.plugin.testing.JobJars;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/ptorrent submit --jar} with a jar or class that cannot run: exit status 2, a stable code and a message
 * that names what is wrong, all before any harbor is contacted (the harbor address given is never listened on).
 */
class SubmitJarUsageTest {
    /** In this class's range, and nothing listens there: a test that reached for the harbor would fail with CONNECTION_FAILED. */
    private static final String NO_HARBOR = "127.0.0.1:50999";

    @TempDir
    static Path dir;
    private static Path jar;
    private static Path notAJar;

    @BeforeAll
    static void buildJar() throws IOException {
        jar = JobJars.build(dir, "jobs.jar", JobJars.SAMPLE);
        notAJar = Files.writeString(dir.resolve("notes.jar"), "not a zip file");
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of("a jar that does not exist", List.of("--jar", "{dir}/missing.jar", "--class", "jobs.SixTimesSeven"),
                        "JAR_INVALID", "there is no file"),
                Arguments.of("a file that is not a jar", List.of("--jar", "{notAJar}", "--class", "jobs.SixTimesSeven"),
                        "JAR_INVALID", "is not a readable jar file"),
                Arguments.of("a class that is not in the jar", List.of("--jar", "{jar}", "--class", "jobs.Nope"),
                        "JOB_CLASS_INVALID", "there is no class jobs.Nope in"),
                Arguments.of("a file name instead of a class name", List.of("--jar", "{jar}", "--class", "jobs/SixTimesSeven.class"),
                        "JOB_CLASS_INVALID", "give the class's name, e.g. jobs.SixTimesSeven"),
                Arguments.of("a class that is not public", List.of("--jar", "{jar}", "--class", "jobs.Hidden"),
                        "JOB_CLASS_INVALID", "jobs.Hidden is not public"),
                Arguments.of("a class without a public no-argument constructor", List.of("--jar", "{jar}", "--class", "jobs.NoDefault"),
                        "JOB_CLASS_INVALID", "has no public no-argument constructor"),
                Arguments.of("a class that is neither a Callable nor a Function", List.of("--jar", "{jar}", "--class", "jobs.Plain"),
                        "JOB_CLASS_INVALID", "implements neither java.util.concurrent.Callable nor java.util.function.Function<String, ?>"),
                Arguments.of("an abstract class", List.of("--jar", "{jar}", "--class", "jobs.Template"),
                        "JOB_CLASS_INVALID", "jobs.Template is abstract"),
                Arguments.of("an inner class", List.of("--jar", "{jar}", "--class", "jobs.Outer$Inner"),
                        "JOB_CLASS_INVALID", "is an inner class"),
                Arguments.of("--arg given to a Callable", List.of("--jar", "{jar}", "--class", "jobs.SixTimesSeven", "--arg", "x"),
                        "JOB_CLASS_INVALID", "is a Callable, which takes no argument"),
                Arguments.of("a Function without --arg", List.of("--jar", "{jar}", "--class", "jobs.Shout"),
                        "JOB_CLASS_INVALID", "give its argument with --arg"),
                Arguments.of("a Function of something other than a String", List.of("--jar", "{jar}", "--class", "jobs.Squares", "--arg", "3"),
                        "JOB_CLASS_INVALID", "is a Function<Integer, ?>"),
                Arguments.of("--jar without --class", List.of("--jar", "{jar}"), "BAD_REQUEST", "--jar needs --class"),
                Arguments.of("--class without --jar", List.of("--class", "jobs.SixTimesSeven"), "BAD_REQUEST", "--class needs --jar"),
                Arguments.of("neither a jar nor an example", List.of(), "BAD_REQUEST", "what to submit?"),
                Arguments.of("a jar and an example", List.of("--jar", "{jar}", "--class", "jobs.SixTimesSeven", "--example", "pi"),
                        "BAD_REQUEST", "not both"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void badInputExitsWith2AndSaysWhatIsWrong(String what, List<String> options, String code, String message) {
        List<String> args = new ArrayList<>(List.of("submit", "--harbor", NO_HARBOR));
        for (String o : options) {
            args.add(o.replace("{dir}", dir.toString()).replace("{jar}", jar.toString()).replace("{notAJar}", notAJar.toString()));
        }
        StringWriter err = new StringWriter();

        int status = Launcher.run(new PrintWriter(new StringWriter()), new PrintWriter(err), args.toArray(String[]::new));

        assertThat(status).as(err.toString()).isEqualTo(Launcher.EXIT_USAGE);
        assertThat(err.toString()).contains("ptorrent: " + code + ": ").contains(message).doesNotContain("CONNECTION_FAILED");
    }
}
