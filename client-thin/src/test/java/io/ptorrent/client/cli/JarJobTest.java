package io.ptorrent.client.cli;

import clitest.Greeting;
import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.bundle.Bundle;
import io.ptorrent.client.bundle.BundleBuilder;
import io.ptorrent.client.bundle.BundleClassLoader;
import io.ptorrent.client.bundle.ClosureCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The adapter that carries a jar's job: what it bundles, how the worker's filter reads it back, what it runs and
 * what it refuses. The test's {@code clitest} classes play the jar, loaded as {@link JobJar} loads one (a loader
 * of their own over the JDK).
 */
class JarJobTest {
    private static URLClassLoader jar;

    @BeforeAll
    static void openJar() {
        URL testClasses = Greeting.class.getProtectionDomain().getCodeSource().getLocation();
        jar = new URLClassLoader("test-jar", new URL[] {testClasses}, ClassLoader.getPlatformClassLoader());
    }

    @AfterAll
    static void closeJar() throws IOException {
        jar.close();
    }

    @Test
    void theBundleHoldsTheJobClassAndTheWorkerReadsTheJobBackThroughTheBundleLoader() throws Exception {
        JarJob job = new JarJob(jar.loadClass("clitest.Greeting"), "carol");
        Bundle bundle = BundleBuilder.forClosure(job);
        assertThat(bundle.classes()).containsOnlyKeys("clitest.Greeting");

        BundleClassLoader worker = new BundleClassLoader(bundle);
        Object read = ClosureCodec.decodeClosure(ClosureCodec.serialize(job), worker, bundle.classes().keySet());

        assertThat(read).isInstanceOf(JarJob.class);
        JarJob back = (JarJob) read;
        assertThat(back.job().getClassLoader()).isSameAs(worker);
        assertThat(back.call()).isEqualTo("hello, carol");
    }

    @Test
    void aForgedJobNamingAClassOutsideTheBundleIsRefusedByTheFilter() {
        byte[] forged = ClosureCodec.serialize(new JarJob(SubmitCommand.class, null));

        assertThatThrownBy(() -> ClosureCodec.decodeClosure(forged, JarJobTest.class.getClassLoader(), java.util.Set.of()))
                .isInstanceOf(PtorrentException.class)
                .satisfies(e -> assertThat(((PtorrentException) e).code()).isEqualTo(ErrorCode.CLOSURE_REJECTED))
                .hasMessageContaining(SubmitCommand.class.getName());
    }

    @Test
    void aClassOfTheWorkersOwnClassPathOrTheJdkIsNeverStarted() {
        // ArrayList passes the filter (a JDK value type); the job refuses it all the same.
        for (Class<?> notFromAJar : new Class<?>[] {Greeting.class, ArrayList.class}) {
            assertThatThrownBy(() -> new JarJob(notFromAJar, null).call())
                    .isInstanceOf(PtorrentException.class)
                    .satisfies(e -> assertThat(((PtorrentException) e).code()).isEqualTo(ErrorCode.CLOSURE_REJECTED));
        }
    }

    @Test
    void aClassThatIsNoJobIsRefusedBeforeItsConstructorRuns() throws Exception {
        // The verifier checks the constructors of a bundle's Callable and Function classes only: no other may run here.
        Class<?> notAJob = jar.loadClass("clitest.NotAJob");

        assertThatThrownBy(() -> new JarJob(notAJob, null).call())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("clitest.NotAJob is not a java.util.concurrent.Callable");
        assertThatThrownBy(() -> new JarJob(notAJob, "x").call())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("clitest.NotAJob is not a java.util.function.Function");
    }

    @Test
    void whatTheConstructorThrowsIsPassedOnAsItIs() throws Exception {
        JarJob job = new JarJob(jar.loadClass("clitest.FailsInConstructor"), null);

        assertThatThrownBy(job::call).isInstanceOf(IllegalStateException.class).hasMessage("no instance today");
    }

    @Test
    void theResultIsItsTextAndAnArrayIsShownElementByElement() throws Exception {
        assertThat(new JarJob(jar.loadClass("clitest.Squares"), null).call()).isEqualTo("[1, 4, 9]");
        assertThat(JarJob.render(new String[][] {{"a", "b"}, {}})).isEqualTo("[[a, b], []]");
        assertThat(JarJob.render(null)).isEqualTo("null");
        assertThat(JarJob.render(42L)).isEqualTo("42");
    }
}
