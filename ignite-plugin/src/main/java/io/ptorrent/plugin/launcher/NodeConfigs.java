package io.ptorrent.plugin.launcher;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.plugin.PtorrentPluginConfiguration;
import org.apache.ignite.IgniteCheckedException;
import org.apache.ignite.IgniteException;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.internal.IgnitionEx;
import org.apache.ignite.plugin.PluginConfiguration;

import org.xml.sax.SAXParseException;

import java.net.MalformedURLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Reads a node's Ignite Spring XML config, the way people join the grid. */
final class NodeConfigs {
    private NodeConfigs() {
    }

    /**
     * The one {@code IgniteConfiguration} in a Spring XML file.
     *
     * @throws PtorrentException CONFIG_INVALID naming the file and what is wrong with it
     */
    static IgniteConfiguration load(Path given) {
        Path file = resolve(given);
        if (!Files.exists(file)) {
            throw new PtorrentException(ErrorCode.CONFIG_INVALID, "config file '" + file + "' does not exist");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new PtorrentException(ErrorCode.CONFIG_INVALID, "config file '" + file + "' is not a readable file");
        }
        try {
            return IgnitionEx.loadConfiguration(file.toUri().toURL()).get1();
        } catch (IgniteCheckedException | IgniteException | MalformedURLException e) {
            throw new PtorrentException(ErrorCode.CONFIG_INVALID, "config file '" + file + "' is not a valid Ignite Spring XML config: " + rootMessage(e), e);
        }
    }

    /**
     * A relative path that does not exist here is looked up in ptorrent's home (set by bin/ptorrent), so
     * that {@code --config config/harbor.xml} works from any directory.
     */
    static Path resolve(Path file) {
        String home = System.getProperty("ptorrent.home");
        if (file.isAbsolute() || Files.exists(file) || home == null) {
            return file;
        }
        Path inHome = Path.of(home).resolve(file);
        return Files.exists(inHome) ? inHome : file;
    }

    /** The ptorrent plugin configuration in {@code cfg}, added with defaults if the file has none. */
    static PtorrentPluginConfiguration plugin(IgniteConfiguration cfg) {
        PtorrentPluginConfiguration found = PtorrentPluginConfiguration.from(cfg);
        PluginConfiguration[] all = cfg.getPluginConfigurations() == null ? new PluginConfiguration[0] : cfg.getPluginConfigurations();
        if (!Arrays.asList(all).contains(found)) {
            // from() gave the defaults: add them, so that the launcher's overrides reach the plugin.
            PluginConfiguration[] more = Arrays.copyOf(all, all.length + 1);
            more[all.length] = found;
            cfg.setPluginConfigurations(more);
        }
        return found;
    }

    /** The deepest cause's message: Spring wraps the useful part (file line, bad property) deep inside. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        m = m == null ? t.getClass().getSimpleName() : m.replaceAll("\\s+", " ").trim();
        return t instanceof SAXParseException sax && sax.getLineNumber() > 0 ? "line " + sax.getLineNumber() + ": " + m : m;
    }
}
