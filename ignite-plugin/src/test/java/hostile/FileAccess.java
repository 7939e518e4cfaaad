package hostile;

import io.ptorrent.client.SerializableCallable;

import java.io.File;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The file system. */
public final class FileAccess {
    private FileAccess() {
    }

    public static SerializableCallable<String> readFile(String path) {
        return () -> Files.readString(Path.of(path));
    }

    public static SerializableCallable<String> writeFile(String path) {
        return () -> {
            Files.writeString(Path.of(path), "pwned");
            return "written";
        };
    }

    public static SerializableCallable<List<String>> listDirectory(String dir) {
        return () -> {
            try (Stream<Path> files = Files.list(Path.of(dir))) {
                return files.map(String::valueOf).toList();
            }
        };
    }

    public static SerializableCallable<Boolean> deleteFile(String path) {
        return () -> new File(path).delete();
    }

    public static SerializableCallable<String> randomAccessWrite(String path) {
        return () -> {
            try (RandomAccessFile file = new RandomAccessFile(path, "rw")) {
                file.writeLong(0x5057_4E45_44L);
            }
            return "written";
        };
    }
}
