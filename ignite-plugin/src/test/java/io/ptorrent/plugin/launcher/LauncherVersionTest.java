package io.ptorrent.plugin.launcher;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bin/ptorrent --version}: the version and the commit it was built from, or "unknown commit" without one. */
class LauncherVersionTest {
    @Test
    void theVersionLineNamesTheVersionAndTheCommit() {
        assertThat(Launcher.Version.line(props("1.2.3", "abc1234", "false"))).isEqualTo("ptorrent 1.2.3 (commit abc1234)");
        assertThat(Launcher.Version.line(props("1.2.3", "abc1234", "true"))).isEqualTo("ptorrent 1.2.3 (commit abc1234, with uncommitted changes)");
    }

    @Test
    void aBuildWithoutGitSaysUnknownCommit() {
        // A source archive without .git: the git plugin sets nothing and Maven leaves the placeholders as they are.
        assertThat(Launcher.Version.line(props("1.2.3", "${git.commit.id.abbrev}", "${git.dirty}"))).isEqualTo("ptorrent 1.2.3 (unknown commit)");
        assertThat(Launcher.Version.line(new Properties())).isEqualTo("ptorrent dev (unknown commit)");
    }

    @Test
    void theBuiltLauncherPrintsItsFilteredVersion() {
        StringWriter out = new StringWriter();

        assertThat(Launcher.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "--version")).isZero();
        assertThat(out.toString()).startsWith("ptorrent ").doesNotContain("${project.version}").containsPattern("\\((commit [0-9a-f]{7,}.*|unknown commit)\\)");
    }

    private static Properties props(String version, String commit, String dirty) {
        Properties p = new Properties();
        p.setProperty("version", version);
        p.setProperty("commit", commit);
        p.setProperty("dirty", dirty);
        return p;
    }
}
