package reachtest;

import io.ptorrent.client.SerializableCallable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The lambda calls a helper method of its own class, which reads a file. */
public final class SameClassHelper {
    private SameClassHelper() {
    }

    public static SerializableCallable<Integer> closure(String path) {
        return () -> readInput(path).length();
    }

    private static String readInput(String path) throws IOException {
        return Files.readString(Path.of(path));
    }
}
