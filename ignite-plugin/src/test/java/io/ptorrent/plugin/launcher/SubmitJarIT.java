package io.ptorrent.plugin.launcher;

import io.ptorrent.credit.CreditConfiguration;
import io.ptorrent.plugin.testing.JobJars;
import io.ptorrent.plugin.testing.TestGrid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/ptorrent submit --jar} against a real grid (a harbor with a ledger and one contributor), with a jar
 * compiled in the test: a Callable's and a Function's result and the credit spent (exit 0), code the verifier
 * rejects (exit 3, naming the class, the member and the rule), a job that throws (exit 1, FRAGMENT_FAILED).
 */
class SubmitJarIT {
    /** Ports 50900–50969: discovery +0..9, communication +30..59, thin client +60. */
    private static final int BASE_PORT = 50900;
    private static final int PORT_SPAN = 30;

    @TempDir
    static Path dir;
    private static Path jar;
    private static TestGrid grid;
    private static Path carolKey;

    @BeforeAll
    static void startGrid() {
        jar = JobJars.build(dir, "jobs.jar", JobJars.SAMPLE);
        grid = new TestGrid(BASE_PORT, PORT_SPAN);
        grid.startHarbor("harbor", false, c -> c.setConsolePort(0).setCredit(new CreditConfiguration()).setOpenAccounts(List.of("carol")));
        grid.startContributor("alice", c -> c.setSharedCores(1).setAccount("alice"));
    }

    @AfterAll
    static void stopGrid() {
        if (grid != null) {
            grid.close();
        }
    }

    @Test
    void aCallablesResultAndTheCreditSpentArePrinted() {
        Run run = submit("--class", "jobs.SixTimesSeven");

        assertThat(run.status()).as(run.toString()).isZero();
        // The result is a record of the jar, not Serializable: its toString() travels, made on the contributor.
        assertThat(run.out()).contains("result: Answer[value=42]").contains("1 fragment(s) on 1 contributor node(s)");
        assertThat(creditSpent(run.out())).isPositive();
    }

    @Test
    void aFunctionIsAppliedToTheArgument() {
        Run run = submit("--class", "jobs.Shout", "--arg", "share your performance");

        assertThat(run.status()).as(run.toString()).isZero();
        // Shout calls a helper class of the jar: it travelled in the bundle too.
        assertThat(run.out()).contains("result: SHARE YOUR PERFORMANCE!");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "jobs.ReadsFile, files, 'java.nio.file.Path.of(String, String[])'",
            "jobs.Reflects, reflection, java.lang.Class.getDeclaredMethods()"})
    void codeTheVerifierRejectsExitsWith3NamingTheClassMemberAndRule(String job, String rule, String reference) {
        Run run = submit("--class", job);

        assertThat(run.status()).as(run.toString()).isEqualTo(Launcher.EXIT_REJECTED);
        assertThat(run.err()).contains("ptorrent: BUNDLE_REJECTED: " + job + ".call() references " + reference)
                .contains("rule '" + rule + "'");
        assertThat(run.out()).doesNotContain("result:");
    }

    @Test
    void aJobThatThrowsExitsWith1AndFragmentFailed() {
        Run run = submit("--class", "jobs.Fails");

        assertThat(run.status()).as(run.toString()).isEqualTo(Launcher.EXIT_FAILED);
        assertThat(run.err()).contains("ptorrent: FRAGMENT_FAILED: ").contains("java.lang.IllegalStateException: the job failed on purpose");
    }

    private static synchronized Path carolKey() {
        if (carolKey == null) {
            try {
                carolKey = java.nio.file.Files.writeString(dir.resolve("carol.api-key"), grid.apiKey("carol"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return carolKey;
    }

    private static Run submit(String... options) {
        List<String> args = new java.util.ArrayList<>(List.of("submit", "--jar", jar.toString(),
                "--harbor", grid.thinClientAddress(), "--account", "carol", "--key-file", carolKey().toString(), "--no-tls")); // TestGrid's harbors speak plain TCP
        args.addAll(List.of(options));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Launcher.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        return new Run(status, out.toString(), err.toString());
    }

    private static double creditSpent(String text) {
        Matcher m = Pattern.compile("credit spent ([0-9]+\\.[0-9]+)").matcher(text);
        assertThat(m.find()).as("'credit spent N' in: " + text).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private record Run(int status, String out, String err) {
    }
}
