package io.ptorrent.plugin.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The operating system's own tools the sandbox confines workers with (prlimit, unshare), and the one way
 * to learn whether one works here: start a tiny JVM under it.
 */
final class HostTools {
    /** Only the system's own folders: a tool found on a user-controlled PATH could be anything. */
    private static final List<String> SEARCH_PATH = List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin");

    private HostTools() {
    }

    /** The executable {@code name} in the system's folders, if there is one. */
    static Optional<Path> find(String name) {
        return SEARCH_PATH.stream().map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
    }

    /** Whether {@code java -version} exits 0 when started under {@code prefix} (the tool and its options). */
    static boolean javaRunsUnder(List<String> prefix) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(SandboxRunner.javaExecutable().toString(), "-Xmx16m", "-XX:+UseSerialGC", "-version"));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
