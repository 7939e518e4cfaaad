package io.ptorrent.plugin.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The framed binary protocol between {@link SandboxRunner} (the node) and {@link SandboxWorkerMain}
 * (the worker process), over the worker's stdin and stdout. Uses only the JDK.
 *
 * <pre>
 * node → worker, per fragment:
 *                 int INPUT_MAGIC, int seq, int maxResultBytes, UTF bundleSha256,
 *                 int classCount (SAME_BUNDLE: the worker holds the bundle already),
 *                 classCount × (UTF name, int length, bytes), int closureLength, bytes
 * worker → node:  byte READY, int seq              (input read: the fragment's clock starts)
 *                 int OUTPUT_MAGIC, byte OK,     int length, bytes, byte reusable   (the Java-serialized result)
 *              or int OUTPUT_MAGIC, byte FAILED, UTF errorCode, UTF message
 * </pre>
 *
 * After its answer the worker waits for the next fragment of the same bundle; the node reuses it only
 * after an OK that says {@code reusable}, else kills it (and whatever it started). {@code seq} makes a
 * stale or forged answer in the pipe show up as a broken worker at the next fragment: a closure can
 * write to the real stdout (the verifier forbids it; defence in depth), but only before READY of the
 * next fragment, whose seq it does not know.
 *
 * <p>Batches ({@code SandboxRunner.runAll}): no frame of their own. The node writes the inputs of a batch's
 * fragments ahead, one after another, on a writer thread of its own, and reads the answers on another, so the
 * worker never waits for the node between fragments and neither side blocks the other on a full pipe (the
 * worker may block writing answers only while the node's reader is between two reads, never on the writer).
 * The worker reads the next input only after it has answered the one before, so every fragment's clock still
 * starts at its own READY; after a FAILED answer, or an OK that is not {@code reusable}, it reads no further
 * input (it waits to be killed), so no fragment written ahead runs in a worker that failed or is unclean.
 */
final class WorkerProtocol {
    static final int INPUT_MAGIC = 0x50545349;  // "PTSI"
    static final int OUTPUT_MAGIC = 0x5054534f; // "PTSO"
    static final int READY = 'R';
    /** classCount meaning "the bundle you already hold": a reused worker gets only the closure. */
    static final int SAME_BUNDLE = -1;
    static final byte OK = 1;
    static final byte FAILED = 2;
    /** writeUTF takes at most 65535 bytes; a character takes at most 3. */
    static final int MAX_MESSAGE_CHARS = 4000;
    private static final int MAX_CLASSES = 100_000;
    private static final int MAX_INPUT_PART_BYTES = 64 * 1024 * 1024;

    private WorkerProtocol() {
    }

    /** What the worker gets: the bundle's classes ({@code null}: the bundle it holds), the closure, and the result cap. */
    record WorkerInput(int seq, int maxResultBytes, String bundleSha256, Map<String, byte[]> classes, byte[] closure) {
    }

    /** What the node reads back. */
    sealed interface Answer permits Ok, Failed, TooLarge, NoAnswer {
    }

    /** @param reusable the worker says it is as clean as before the fragment (no thread or stream left changed) */
    record Ok(byte[] result, boolean reusable) implements Answer {
    }

    /** The worker reported a failure with one of ptorrent's error codes. */
    record Failed(String code, String message) implements Answer {
    }

    /** The worker announced a result larger than the cap; its bytes were not read. */
    record TooLarge(long length) implements Answer {
    }

    /** The worker's output ended, broke or made no sense before a complete answer. */
    record NoAnswer(String why) implements Answer {
    }

    /** @param classes the bundle's classes, or {@code null} when the worker holds this bundle already */
    static void writeInput(DataOutputStream out, int seq, int maxResultBytes, String bundleSha256, Map<String, byte[]> classes,
                           byte[] closure) throws IOException {
        out.writeInt(INPUT_MAGIC);
        out.writeInt(seq);
        out.writeInt(maxResultBytes);
        out.writeUTF(bundleSha256);
        if (classes == null) {
            out.writeInt(SAME_BUNDLE);
        } else {
            out.writeInt(classes.size());
            for (Map.Entry<String, byte[]> e : classes.entrySet()) {
                out.writeUTF(e.getKey());
                writeBytes(out, e.getValue());
            }
        }
        writeBytes(out, closure);
        out.flush();
    }

    /** @throws EOFException when the input ends before a fragment starts (the node closed it: time to go) */
    static WorkerInput readInput(DataInputStream in) throws IOException {
        if (in.readInt() != INPUT_MAGIC) {
            throw new IOException("the input does not start with the sandbox protocol's magic number");
        }
        int seq = in.readInt();
        int maxResultBytes = in.readInt();
        String sha = in.readUTF();
        int count = in.readInt();
        if (count != SAME_BUNDLE && (count < 0 || count > MAX_CLASSES)) {
            throw new IOException("bad class count " + count);
        }
        Map<String, byte[]> classes = null;
        if (count != SAME_BUNDLE) {
            classes = new HashMap<>();
            for (int i = 0; i < count; i++) {
                classes.put(in.readUTF(), readBytes(in));
            }
        }
        return new WorkerInput(seq, maxResultBytes, sha, classes, readBytes(in));
    }

    static byte[] readyFrame(int seq) {
        return new byte[] {(byte) READY, (byte) (seq >>> 24), (byte) (seq >>> 16), (byte) (seq >>> 8), (byte) seq};
    }

    static byte[] okFrame(byte[] result, boolean reusable) {
        return frame(out -> {
            out.writeByte(OK);
            writeBytes(out, result);
            out.writeByte(reusable ? 1 : 0);
        });
    }

    static byte[] failedFrame(String code, String message) {
        String text = message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) + "..." : message;
        return frame(out -> {
            out.writeByte(FAILED);
            out.writeUTF(code);
            out.writeUTF(text);
        });
    }

    /**
     * Reads the worker's answer. Never reads more than {@code maxResultBytes} of result: a larger one is
     * reported as {@link TooLarge} from its announced length alone.
     *
     * @param seq     the fragment's number, which the worker's READY must repeat
     * @param onReady called once the worker says it has the fragment
     */
    static Answer readAnswer(DataInputStream in, int seq, int maxResultBytes, Runnable onReady) {
        try {
            int first = in.read();
            if (first < 0) {
                return new NoAnswer("the worker ended its output before starting");
            }
            if (first != READY) {
                return new NoAnswer("the worker's output does not follow the protocol (first byte " + first + ")");
            }
            int echoed = in.readInt();
            if (echoed != seq) {
                return new NoAnswer("the worker answered fragment " + echoed + " when asked for fragment " + seq
                        + " (a stale or forged answer was in its output)");
            }
            onReady.run();
            if (in.readInt() != OUTPUT_MAGIC) {
                return new NoAnswer("the worker's answer does not follow the protocol (did the closure write to file descriptor 1?)");
            }
            int status = in.readUnsignedByte();
            if (status == FAILED) {
                return new Failed(in.readUTF(), in.readUTF());
            }
            if (status != OK) {
                return new NoAnswer("the worker's answer has an unknown status " + status);
            }
            int length = in.readInt();
            if (length < 0) {
                return new NoAnswer("the worker announced a result of " + length + " bytes");
            }
            if (length > maxResultBytes) {
                return new TooLarge(length);
            }
            byte[] result = in.readNBytes(length);
            if (result.length != length) {
                return new NoAnswer("the worker's output ended after " + result.length + " of " + length + " result bytes");
            }
            int reusable = in.read();
            if (reusable < 0) {
                return new NoAnswer("the worker's output ended after its result");
            }
            return new Ok(result, reusable == 1);
        } catch (EOFException e) {
            return new NoAnswer("the worker's output ended in the middle of its answer");
        } catch (IOException e) {
            return new NoAnswer("the worker's output could not be read: " + e);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_INPUT_PART_BYTES) {
            throw new IOException("bad length " + length);
        }
        return in.readNBytes(length);
    }

    private interface FrameBody {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] frame(FrameBody body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(OUTPUT_MAGIC);
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("a byte array stream does not fail", e);
        }
        return bytes.toByteArray();
    }
}
