package hostile;

import io.ptorrent.client.SerializableCallable;

/** Other processes: start, list, signal. */
public final class Processes {
    private Processes() {
    }

    /** Starts a long sleep whose argument is {@code marker}, and returns at once. */
    public static SerializableCallable<String> processBuilder(String marker) {
        return () -> {
            new ProcessBuilder("sleep", marker).start();
            return "started";
        };
    }

    public static SerializableCallable<String> runtimeExec(String marker) {
        return () -> {
            Runtime.getRuntime().exec(new String[] {"sleep", marker});
            return "started";
        };
    }

    /** Would kill the contributor node itself: never run, only verified. */
    public static SerializableCallable<Boolean> killParent() {
        return () -> ProcessHandle.current().parent().map(ProcessHandle::destroyForcibly).orElse(false);
    }

    public static SerializableCallable<Long> listProcesses() {
        return () -> ProcessHandle.allProcesses().count();
    }
}
