package io.ptorrent.examples;

import io.ptorrent.client.SerializableCallable;

/**
 * A closure of its own class for ThinClientIT's upload-once test: a lambda's bundle is its capturing class,
 * so no other test may capture in this class, or its bundle would be on the harbor already.
 */
final class UploadOnceClosures {
    private UploadOnceClosures() {
    }

    static SerializableCallable<Integer> plusOne(int x) {
        return () -> x + 1;
    }
}
