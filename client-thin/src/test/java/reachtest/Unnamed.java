package reachtest;

import io.ptorrent.client.SerializableCallable;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Classes that no closure names but that a forged stream could start in the worker: a {@code Serializable} class
 * (its {@code readObject} runs while the stream is read), a {@code Serializable} interface (the stream's class
 * lookup reads its {@code serialVersionUID}, which runs its static initializer) and a {@code Callable} that
 * {@code JarJob} would instantiate.
 */
public final class Unnamed {
    private Unnamed() {
    }

    public static SerializableCallable<Integer> closure() {
        return () -> 1;
    }

    static final class Gadget implements Serializable {
        private static final long serialVersionUID = 1L;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            new Thread(() -> { }).start();
        }
    }

    interface Marker extends Serializable {
        long serialVersionUID = 1L;
        String HOME = System.getProperty("user.home");
    }

    public static final class Job implements Callable<String> {
        private final String text;

        public Job() throws IOException {
            text = Files.readString(Path.of("/etc/hostname"));
        }

        @Override
        public String call() {
            return text;
        }
    }
}
