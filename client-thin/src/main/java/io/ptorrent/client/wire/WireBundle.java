package io.ptorrent.client.wire;

import java.util.Map;
import java.util.Objects;

/**
 * A code bundle on the wire: class files by binary class name, and the SHA-256 (hex) over them as
 * {@code io.ptorrent.client.bundle.Bundle} computes it. The receiver recomputes the hash.
 */
public record WireBundle(String sha256, Map<String, byte[]> classes) {
    public WireBundle {
        Objects.requireNonNull(sha256, "sha256");
        classes = Map.copyOf(Objects.requireNonNull(classes, "classes"));
    }
}
