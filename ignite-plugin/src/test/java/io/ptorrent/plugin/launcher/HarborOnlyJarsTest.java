package io.ptorrent.plugin.launcher;

import org.junit.jupiter.api.Test;

import java.io.File;

import static org.assertj.core.api.Assertions.assertThat;

/** Which class-path entries a contributor goes without: Calcite's, never Ignite's own or ptorrent's. */
class HarborOnlyJarsTest {
    @Test
    void calcitesJarsAreHarborOnlyAndIgnitesAreNot() {
        assertThat(HarborOnlyJars.isHarborOnly("/r/org/apache/ignite/ignite-calcite/2.17.0/ignite-calcite-2.17.0.jar")).isTrue();
        assertThat(HarborOnlyJars.isHarborOnly("lib/harbor/calcite-core-1.37.0.jar")).isTrue();
        assertThat(HarborOnlyJars.isHarborOnly("lib/memory-0.9.0.jar")).isTrue();
        assertThat(HarborOnlyJars.isHarborOnly("lib/ignite-core-2.17.0.jar")).isFalse();
        assertThat(HarborOnlyJars.isHarborOnly("lib/ptorrent-ignite-plugin-0.1.0-SNAPSHOT.jar")).isFalse();
        // A name that only starts like one of them is not it.
        assertThat(HarborOnlyJars.isHarborOnly("lib/memory-mapped-files-1.0.jar")).isFalse();
        assertThat(HarborOnlyJars.isHarborOnly("target/classes")).isFalse();
    }

    @Test
    void aContributorsClassPathKeepsEverythingElseInOrder() {
        String cp = String.join(File.pathSeparator, "lib/ignite-core-2.17.0.jar", "lib/harbor/janino-3.1.12.jar", "target/classes",
                "lib" + File.separator + "harbor" + File.separator + "*");

        assertThat(HarborOnlyJars.contributorClassPath(cp)).isEqualTo("lib/ignite-core-2.17.0.jar" + File.pathSeparator + "target/classes");
    }
}
