package verifiertest;

import io.ptorrent.client.SerializableCallable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One forbidden construct per class, so that each bundle has exactly one violation. */
public final class Forbidden {
    private Forbidden() {
    }

    public static final class ReadFile implements SerializableCallable<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String call() throws Exception {
            return Files.readString(Path.of("/etc/hostname"));
        }
    }

    /** A method reference to System.exit: no call instruction, only a method handle constant. */
    public static final class ExitReference implements SerializableCallable<Integer> {
        private static final long serialVersionUID = 1L;

        @Override
        public Integer call() {
            java.util.function.IntConsumer exit = System::exit;
            exit.accept(3);
            return 0;
        }
    }

    /** parallelStream() reached through a list class of the bundle's own. */
    public static final class OwnList extends ArrayList<Integer> {
        private static final long serialVersionUID = 1L;
    }

    public static final class InheritedParallel implements SerializableCallable<Integer> {
        private static final long serialVersionUID = 1L;

        @Override
        public Integer call() {
            OwnList list = new OwnList();
            list.add(1);
            return list.parallelStream().mapToInt(Integer::intValue).sum();
        }
    }

    public static final class GetProperty implements SerializableCallable<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String call() {
            return System.getProperty("user.home");
        }
    }

    public static final class ClassLiteralOfThread implements SerializableCallable<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String call() {
            List<Object> types = List.of(Thread.class);
            return types.toString();
        }
    }
}
