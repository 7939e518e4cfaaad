package io.ptorrent.plugin.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the last {@code capacity} bytes written to it and counts the rest, so that a chatty process can
 * neither fill a pipe nor the memory of whoever drains it. Thread-safe. Uses only the JDK (the worker
 * process loads it too).
 */
final class TailBuffer extends OutputStream {
    private final byte[] ring;
    private long total;

    TailBuffer(int capacity) {
        this.ring = new byte[capacity];
    }

    @Override
    public synchronized void write(int b) {
        ring[(int) (total++ % ring.length)] = (byte) b;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            ring[(int) (total++ % ring.length)] = b[off + i];
        }
    }

    /** Forgets everything written so far (a reused worker's next fragment starts with empty output). */
    synchronized void reset() {
        total = 0;
    }

    /** Copies a stream into this buffer until its end (or until it fails: the process is gone). */
    void drain(InputStream in) {
        byte[] chunk = new byte[4096];
        try (in) {
            for (int n; (n = in.read(chunk)) >= 0; ) {
                write(chunk, 0, n);
            }
        } catch (IOException e) {
            // The process died or was killed: what was read so far is the tail.
        }
    }

    /** The last {@code maxChars} bytes as UTF-8 text, marked when more was written; "" when nothing was. */
    synchronized String tail(int maxChars) {
        int kept = (int) Math.min(total, Math.min(ring.length, maxChars));
        byte[] out = new byte[kept];
        for (int i = 0; i < kept; i++) {
            out[i] = ring[(int) ((total - kept + i) % ring.length)];
        }
        String text = new String(out, StandardCharsets.UTF_8).strip();
        return total > kept ? "..." + text : text;
    }
}
