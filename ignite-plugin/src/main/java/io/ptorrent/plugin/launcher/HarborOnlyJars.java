package io.ptorrent.plugin.launcher;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The jars only a harbor needs: Ignite's Calcite SQL engine and what it brings. A contributor node never runs
 * SQL, but Ignite starts the engine on any node that finds it on the class path, which cost an idle contributor
 * ~23 MiB of resident memory (1,600 Calcite classes; docs/BENCHMARKS.md, idle node). {@code dist/} copies these
 * jars to {@code lib/harbor/} ({@code dist/pom.xml} lists the same artifacts), {@code bin/ptorrent node} leaves
 * that folder out, and the demo starts its contributors without them.
 */
public final class HarborOnlyJars {
    /** Artifact ids, as in {@code dist/pom.xml}'s {@code harbor-lib} execution. */
    static final List<String> ARTIFACTS = List.of("ignite-calcite", "calcite-core", "calcite-linq4j", "avatica-core", "avatica-metrics",
            "janino", "commons-compiler", "aggdesigner-algorithm", "jts-core", "jts-io-common", "json-path", "memory", "sketches-core",
            "uzaygezen-core");

    private HarborOnlyJars() {
    }

    /** Whether a class-path entry is one of the harbor-only jars (by its file name: {@code artifact-version.jar}). */
    public static boolean isHarborOnly(String entry) {
        String file = Path.of(entry).getFileName() == null ? entry : Path.of(entry).getFileName().toString();
        if (!file.endsWith(".jar")) {
            return false;
        }
        for (String a : ARTIFACTS) {
            if (file.startsWith(a + "-") && Character.isDigit(file.charAt(a.length() + 1))) {
                return true;
            }
        }
        return false;
    }

    /** A class path without the harbor-only jars (and without a {@code lib/harbor/*} wildcard entry). */
    public static String contributorClassPath(String classPath) {
        return Arrays.stream(classPath.split(File.pathSeparator))
                .filter(e -> !isHarborOnly(e) && !e.endsWith(File.separator + "harbor" + File.separator + "*"))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
