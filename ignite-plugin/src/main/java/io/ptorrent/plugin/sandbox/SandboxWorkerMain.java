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
import java.util.concurrent.Callable;

/**
 * The sandbox worker process: reads one fragment (bundle classes + closure) from stdin, runs it, and
 * answers on stdout in the {@link WorkerProtocol}. Started only by {@link SandboxRunner}, with a class
 * path of this module's and client-thin's code locations and nothing else; it uses only the JDK and
 * client-thin's JDK-only types, never Ignite.
 *
 * <p>Design note. User code gets {@code System.out}/{@code System.err} redirected to a capped buffer and
 * an empty {@code System.in}; the real stdin/stdout stay private to the protocol. Exactly one answer is
 * written, whoever gets there first: the main thread (result or failure) or the shutdown hook (the
 * closure called {@code System.exit}). Frames for out-of-memory and stack overflow are built before user
 * code runs, so answering them needs no allocation. After answering, the worker waits for stdin to close
 * (the runner kills it first), so that whatever the closure started is still its descendant when the
 * runner looks for it.
 */
final class SandboxWorkerMain {
    /** User output kept for failure messages; the rest is counted and dropped. */
    static final int USER_OUTPUT_CAP = 64 * 1024;
    private static final int OUTPUT_IN_MESSAGE = 1000;

    private final OutputStream wire;
    private final InputStream control;
    private final TailBuffer userOutput = new TailBuffer(USER_OUTPUT_CAP);
    private final byte[] outOfMemoryFrame;
    private final byte[] stackOverflowFrame;
    private final byte[] exitFrame;
    private boolean answered;

    private SandboxWorkerMain(OutputStream wire, InputStream control) {
        this.wire = wire;
        this.control = control;
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
        PrintStream captured = new PrintStream(worker.userOutput, true, StandardCharsets.UTF_8);
        System.setOut(captured);
        System.setErr(captured);
        System.setIn(InputStream.nullInputStream());
        Runtime.getRuntime().addShutdownHook(new Thread(worker::onExitCalled, "ptorrent-sandbox-exit"));
        worker.runFragment();
        worker.awaitEndOfInput();
        // halt, not exit: shutdown hooks that the closure registered must not run (they could run forever).
        Runtime.getRuntime().halt(0);
    }

    private void runFragment() {
        WorkerProtocol.WorkerInput input;
        try {
            input = WorkerProtocol.readInput(new DataInputStream(new BufferedInputStream(control)));
            wire.write(WorkerProtocol.READY);
            wire.flush();
        } catch (IOException e) {
            // The runner went away or sent garbage: nobody to answer to.
            diagnose("could not read the fragment: " + e);
            Runtime.getRuntime().halt(2);
            return;
        }
        try {
            byte[] result = run(input);
            answer(WorkerProtocol.okFrame(result));
        } catch (PtorrentException e) {
            answer(WorkerProtocol.failedFrame(e.code().name(), e.getMessage() + printed()));
        } catch (OutOfMemoryError e) {
            answer(outOfMemoryFrame);
        } catch (StackOverflowError e) {
            answer(stackOverflowFrame);
        } catch (Throwable e) {
            answer(WorkerProtocol.failedFrame(ErrorCode.FRAGMENT_FAILED.name(), "the closure threw " + describe(e) + printed()));
        }
    }

    private byte[] run(WorkerProtocol.WorkerInput input) throws Exception {
        BundleLoader loader = new BundleLoader(input.classes(), SandboxWorkerMain.class.getClassLoader());
        Object closure = ClosureCodec.decodeClosure(input.closure(), loader, input.classes().keySet());
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
        private final Map<String, byte[]> classes;

        BundleLoader(Map<String, byte[]> classes, ClassLoader parent) {
            super("ptorrent-bundle", parent);
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
