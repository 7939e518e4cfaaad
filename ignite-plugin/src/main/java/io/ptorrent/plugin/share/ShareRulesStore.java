package io.ptorrent.plugin.share;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Keeps a node's last good share rules in a JSON file, so that rules changed at runtime survive a
 * restart. Rules are only ever saved after they validated, so the file holds good rules unless someone
 * edits it by hand; a bad file is reported and the caller keeps the rules it has.
 *
 * <p>Saving writes a temporary file in the same directory, forces it to disk and moves it over the old
 * one atomically: a crash leaves the old rules or the new, never half of either. One writer per file
 * (the node); safe to share between threads only if the caller serialises {@link #save}.
 */
public final class ShareRulesStore {
    private final int machineCores;
    private final long machineMemoryMb;

    /** A store that validates what it loads for a machine with these cores and memory. */
    public ShareRulesStore(int machineCores, long machineMemoryMb) {
        if (machineCores < 1 || machineMemoryMb < 1) {
            throw new IllegalArgumentException("not a machine: " + machineCores + " cores, " + machineMemoryMb + " MiB");
        }
        this.machineCores = machineCores;
        this.machineMemoryMb = machineMemoryMb;
    }

    /**
     * The rules saved in {@code file}, or empty if there is no such file (nothing saved yet).
     *
     * @throws PtorrentException {@link ErrorCode#CONFIG_INVALID} naming the file and the bad field; the
     *                           file is left as it is, for its owner to fix
     * @throws UncheckedIOException if the file exists but cannot be read
     */
    public Optional<ShareRules> load(Path file) {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("share rules file '" + file + "' could not be read", e);
        }
        try {
            return Optional.of(ShareRules.fromJson(json, machineCores, machineMemoryMb));
        } catch (PtorrentException e) {
            throw new PtorrentException(e.code(), "share rules file '" + file + "': " + e.getMessage(), e);
        }
    }

    /**
     * Saves {@code rules} to {@code file} atomically, creating its directory if needed.
     *
     * @throws UncheckedIOException if it cannot be written (the old file, if any, is unchanged)
     */
    public void save(Path file, ShareRules rules) {
        byte[] bytes = rules.toJson().getBytes(StandardCharsets.UTF_8);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("share rules file '" + file + "' could not be written", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // A stray temp file is harmless; the error that matters is already on its way.
                }
            }
        }
    }
}
