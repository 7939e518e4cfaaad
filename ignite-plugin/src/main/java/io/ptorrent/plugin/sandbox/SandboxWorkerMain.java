package io.ptorrent.plugin.sandbox;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.bundle.ClosureCodec;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The sandbox worker process: reads fragments (bundle classes + closure) from stdin, runs them one at a
 * time, and answers each on stdout in the {@link WorkerProtocol}. Started only by {@link SandboxRunner},
 * with a class path of this module's and client-thin's code locations and nothing else; it uses only the
 * JDK and client-thin's JDK-only types, never Ignite.
 *
 * <p>Design note. A worker serves one bundle: the first fragment brings the classes, which get a class
 * loader of their own, kept for the fragments after it (the runner sends those only to a worker of the
 * same bundle and submitter); a fragment of another bundle stops the worker. User code gets
 * {@code System.out}/{@code System.err} redirected to a capped buffer (emptied per fragment) and an empty
 * {@code System.in}; the real stdin/stdout stay private to the protocol. The runner may write the inputs of a
 * batch's next fragments ahead: the worker reads the next only after it has answered the one before, and reads
 * none after an answer that is a failure or says it is not clean (it then waits for the runner's kill). Exactly one answer is written per
 * fragment, whoever gets there first: the main thread (result or failure) or the shutdown hook (the
 * closure called {@code System.exit}). Frames for out-of-memory and stack overflow are built before user
 * code runs, so answering them needs no allocation. An OK answer says whether the worker is still clean
 * (no thread of the closure alive, the standard streams as they were); the runner reuses only a clean
 * worker. Between fragments the worker blocks on stdin, so that whatever a closure started is still its
 * descendant when the runner looks; it halts when stdin ends or when the node that started it is gone.
 */
final class SandboxWorkerMain {
    /** User output kept for failure messages; the rest is counted and dropped. */
    static final int USER_OUTPUT_CAP = 64 * 1024;
    private static final int OUTPUT_IN_MESSAGE = 1000;

    private final OutputStream wire;
    private final DataInputStream control;
    private final TailBuffer userOutput = new TailBuffer(USER_OUTPUT_CAP);
    private final PrintStream captured = new PrintStream(userOutput, true, StandardCharsets.UTF_8);
    private final InputStream emptyIn = InputStream.nullInputStream();
    private final byte[] outOfMemoryFrame;
    private final byte[] stackOverflowFrame;
    private final byte[] exitFrame;
    private Set<Thread> baselineThreads = Set.of();
    private BundleLoader loader;
    private boolean answered;

    private SandboxWorkerMain(OutputStream wire, InputStream control) {
        this.wire = wire;
        this.control = new DataInputStream(new BufferedInputStream(control));
        long heapMb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        this.outOfMemoryFrame = WorkerProtocol.failedFrame(ErrorCode.FRAGMENT_FAILED.name(), "OutOfMemoryError: the closure needed more than"
                + " the sandbox's heap of about " + heapMb + " MiB; use less memory per fragment (split the work)");
        this.stackOverflowFrame = WorkerProtocol.failedFrame(ErrorCode.FRAGMENT_FAILED.name(),
                "StackOverflowError: the closure recursed too deep for the sandbox's thread stack; recurse less deeply or iterate");
        this.exitFrame = WorkerProtocol.failedFrame(ErrorCode.FRAGMENT_FAILED.name(),
                "the closure called System.exit (or Runtime.exit); return a value or throw an exception instead");
    }

    public static void main(String[] args) {
        SandboxWorkerMain worker = new SandboxWorkerMain(new FileOutputStream(FileDescriptor.out), new FileInputStream(FileDescriptor.in));
        worker.redirectStandardStreams();
        Runtime.getRuntime().addShutdownHook(new Thread(worker::onExitCalled, "ptorrent-sandbox-exit"));
        watchParent();
        warmUp();
        worker.baselineThreads = liveThreads();
        while (worker.runFragment()) {
            // One fragment after the other, until the runner closes stdin or kills the worker.
        }
        // halt, not exit: shutdown hooks that a closure registered must not run (they could run forever).
        Runtime.getRuntime().halt(0);
    }

    /** @return whether to wait for another fragment */
    private boolean runFragment() {
        WorkerProtocol.WorkerInput input;
        try {
            input = WorkerProtocol.readInput(control);
            holdBundle(input);
            synchronized (this) {
                answered = false;
            }
            wire.write(WorkerProtocol.readyFrame(input.seq()));
            wire.flush();
        } catch (java.io.EOFException e) {
            return false; // the runner is done with this worker
        } catch (IOException e) {
            // The runner went away or sent garbage: nobody to answer to.
            diagnose("could not read the fragment: " + e);
            Runtime.getRuntime().halt(2);
            return false;
        }
        userOutput.reset();
        boolean goOn = false;
        try {
            byte[] result = run(input);
            goOn = clean();
            answer(WorkerProtocol.okFrame(result, goOn));
        } catch (PtorrentException e) {
            answer(WorkerProtocol.failedFrame(e.code().name(), e.getMessage() + printed()));
        } catch (OutOfMemoryError e) {
            answer(outOfMemoryFrame);
        } catch (StackOverflowError e) {
            answer(stackOverflowFrame);
        } catch (Throwable e) {
            answer(WorkerProtocol.failedFrame(ErrorCode.FRAGMENT_FAILED.name(), "the closure threw " + describe(e) + printed()));
        }
        redirectStandardStreams();
        if (!goOn) {
            // After a failure or an unclean fragment the runner kills this worker: the inputs it wrote ahead must not
            // run here. Blocking (not halting) keeps whatever the closure started a descendant for the kill to find.
            awaitEndOfInput();
            return false;
        }
        return true;
    }

    /** Takes the bundle's classes on the first fragment; later fragments must be of the same bundle. */
    private void holdBundle(WorkerProtocol.WorkerInput input) throws IOException {
        if (input.classes() != null) {
            if (loader != null) {
                // The runner never does this: a worker's classes (and their static state) belong to one bundle.
                throw new IOException("a second bundle was sent to a worker that holds one");
            }
            loader = new BundleLoader(input.bundleSha256(), input.classes(), SandboxWorkerMain.class.getClassLoader());
        } else if (loader == null || !loader.sha256.equals(input.bundleSha256())) {
            throw new IOException("a fragment of bundle " + input.bundleSha256() + " came without its classes");
        }
    }

    private byte[] run(WorkerProtocol.WorkerInput input) throws Exception {
        Object closure = ClosureCodec.decodeClosure(input.closure(), loader, loader.classes.keySet());
        if (!(closure instanceof Callable<?> callable)) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, "the closure is a " + closure.getClass().getName()
                    + ", not a SerializableCallable; submit a SerializableCallable");
        }
        Object result;
        try {
            result = callable.call();
        } catch (Exception e) {
            // Whatever the closure throws is its failure, even a PtorrentException with some other code.
            throw new PtorrentException(ErrorCode.FRAGMENT_FAILED, "the closure threw " + describe(e));
        }
        return serialize(result, input.maxResultBytes());
    }

    private static byte[] serialize(Object result, int maxResultBytes) {
        CappedOutput bytes = new CappedOutput(maxResultBytes);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(result);
        } catch (CappedOutput.Overflow e) {
            throw new PtorrentException(ErrorCode.RESULT_TOO_LARGE, "the closure's serialized result is larger than the sandbox's cap of "
                    + maxResultBytes + " bytes");
        } catch (NotSerializableException e) {
            throw new PtorrentException(ErrorCode.FRAGMENT_FAILED, "the closure returned or holds a " + e.getMessage()
                    + ", which is not serializable; return serializable values only");
        } catch (IOException e) {
            throw new PtorrentException(ErrorCode.FRAGMENT_FAILED, "the closure's result could not be serialized: " + e);
        }
        return bytes.toByteArray();
    }

    /** Runs in the shutdown hook: the closure (or a thread it started) called System.exit. */
    private void onExitCalled() {
        answer(exitFrame);
        awaitEndOfInput();
    }

    private void redirectStandardStreams() {
        System.setOut(captured);
        System.setErr(captured);
        System.setIn(emptyIn);
    }

    /**
     * Whether the fragment left the worker as it found it: no thread of its own still alive, the standard
     * streams untouched. Threads are what could carry one fragment's work into the next.
     */
    private boolean clean() {
        if (System.out != captured || System.err != captured || System.in != emptyIn) {
            return false;
        }
        for (Thread t : liveThreads()) {
            if (!baselineThreads.contains(t)) {
                return false;
            }
        }
        return true;
    }

    /** The JVM's live Java threads, from the root thread group (no safepoint, unlike Thread.getAllStackTraces). */
    private static Set<Thread> liveThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 8];
        int n = root.enumerate(threads, true);
        Set<Thread> live = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < n; i++) {
            live.add(threads[i]);
        }
        return live;
    }

    /**
     * A worker whose node died (killed, crashed) would otherwise run on with a spinning closure until its
     * CPU backstop: it halts once its parent is gone. The parent is polled, not waited for (it is no child of ours).
     */
    private static void watchParent() {
        java.util.Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        if (parent.isEmpty()) {
            return;
        }
        ProcessHandle node = parent.get();
        Thread watch = new Thread(() -> {
            while (node.isAlive()) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
            Runtime.getRuntime().halt(5);
        }, "ptorrent-sandbox-parent-watch");
        watch.setDaemon(true);
        watch.start();
    }

    /** Loads and links what every fragment needs (serialization, the allow-list filter) while the worker waits as a spare. */
    private static void warmUp() {
        try {
            byte[] bytes = ClosureCodec.serialize(new java.util.ArrayList<>(java.util.List.of(1, "a", 2L)));
            ClosureCodec.decodeResult(bytes, SandboxWorkerMain.class.getClassLoader(), Set.of());
            serialize(java.util.Map.of("k", 1.0), 1024);
        } catch (RuntimeException e) {
            diagnose("warm-up failed (the first fragment will be slower): " + e);
        }
    }

    private synchronized void answer(byte[] frame) {
        if (answered) {
            return;
        }
        answered = true;
        try {
            wire.write(frame);
            wire.flush();
        } catch (IOException e) {
            diagnose("could not answer: " + e);
        }
    }

    private void awaitEndOfInput() {
        try {
            while (control.read() >= 0) {
                // Nothing more is expected; the runner closes stdin or kills the process.
            }
        } catch (IOException e) {
            // Closed: done.
        }
    }

    private String printed() {
        String text = userOutput.tail(OUTPUT_IN_MESSAGE);
        return text.isEmpty() ? "" : "; it printed: " + text;
    }

    private static String describe(Throwable e) {
        String message;
        try {
            message = e.getMessage();
        } catch (RuntimeException ignored) {
            message = "(its getMessage() threw)";
        }
        return e.getClass().getName() + (message == null ? "" : ": " + message);
    }

    /** The worker's own trouble goes to the process's real stderr, which the runner keeps the tail of. */
    private static void diagnose(String text) {
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8).println("ptorrent sandbox worker: " + text);
    }

    /** Defines the bundle's classes from their bytes; everything else comes from the parent (JDK + client API). */
    private static final class BundleLoader extends ClassLoader {
        private final String sha256;
        private final Map<String, byte[]> classes;

        BundleLoader(String sha256, Map<String, byte[]> classes, ClassLoader parent) {
            super("ptorrent-bundle", parent);
            this.sha256 = sha256;
            this.classes = classes;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = classes.get(name);
            if (bytes == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, bytes, 0, bytes.length);
        }
    }

    /** A byte sink that refuses to grow past its cap, so a huge result fails fast instead of filling the heap. */
    private static final class CappedOutput extends java.io.ByteArrayOutputStream {
        private final int cap;

        CappedOutput(int cap) {
            this.cap = cap;
        }

        @Override
        public synchronized void write(int b) {
            ensure(1);
            super.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            ensure(len);
            super.write(b, off, len);
        }

        private void ensure(int more) {
            if ((long) count + more > cap) {
                throw new Overflow();
            }
        }

        /** Unchecked so that ByteArrayOutputStream's signatures hold; ObjectOutputStream passes it through. */
        static final class Overflow extends RuntimeException {
            private static final long serialVersionUID = 1L;

            Overflow() {
                super("result cap reached", null, false, false);
            }
        }
    }
}
