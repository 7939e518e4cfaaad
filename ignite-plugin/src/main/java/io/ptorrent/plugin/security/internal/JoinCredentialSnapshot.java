package io.ptorrent.plugin.security.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A harbor's local copy of the join credentials (ids, accounts, SHA-256 of the secrets, revocations), in a mode-600
 * file of its work directory, for the seconds after a restart before its caches are up.
 *
 * <p>Why: a harbor that restarts becomes the coordinator, and the contributors that were joined reconnect at once,
 * while its identity cache is not open yet (a persistent cluster is inactive until the plugin activates it). A
 * refused reconnect stops a contributor for good (Ignite's failure handler), and node authentication cannot wait
 * for the cache on the discovery thread that the cache's own start needs. So until the cache is open, the harbor
 * judges joins by the copy it wrote while it ran; once it is open, by the cache. The cost: a credential revoked on
 * another harbor while this one was down is accepted in that window (docs/SECURITY.md).
 */
public final class JoinCredentialSnapshot {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path file;
    private volatile Map<String, IdentityStore.CredentialRecord> byId;

    private JoinCredentialSnapshot(Path file, Map<String, IdentityStore.CredentialRecord> byId) {
        this.file = file;
        this.byId = byId;
    }

    /** The copy in {@code file} (empty when there is none or it cannot be read: then joins wait for the cache). */
    public static JoinCredentialSnapshot load(Path file) {
        Map<String, IdentityStore.CredentialRecord> m = new HashMap<>();
        if (Files.exists(file)) {
            try {
                List<IdentityStore.CredentialRecord> all = JSON.readValue(file.toFile(), new TypeReference<List<IdentityStore.CredentialRecord>>() { });
                for (IdentityStore.CredentialRecord c : all) {
                    m.put(c.id(), c);
                }
            } catch (IOException e) {
                // A torn or foreign file: nothing from it; the cache decides once it is open.
                m.clear();
            }
        }
        return new JoinCredentialSnapshot(file, Map.copyOf(m));
    }

    public IdentityStore.CredentialRecord get(String id) {
        return byId.get(id);
    }

    /** Replaces the copy (in memory and on disk, atomically) with {@code all}. */
    public synchronized void write(List<IdentityStore.CredentialRecord> all) {
        Map<String, IdentityStore.CredentialRecord> m = new HashMap<>();
        for (IdentityStore.CredentialRecord c : all) {
            m.put(c.id(), c);
        }
        byId = Map.copyOf(m);
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            SecretFiles.create(tmp, JSON.writeValueAsString(all));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
