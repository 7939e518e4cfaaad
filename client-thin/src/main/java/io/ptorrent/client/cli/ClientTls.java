package io.ptorrent.client.cli;

import io.ptorrent.client.PtorrentClientOptions;
import io.ptorrent.client.TlsTrust;
import picocli.CommandLine.Option;

import javax.net.ssl.SSLContext;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How {@code bin/ptorrent}'s client commands reach a harbor: TLS by default, trusting the CA file given with
 * {@code --tls-trust}, else the development CA of a local grid ({@link TlsTrust#DEV_CA}, where
 * {@code bin/ptorrent demo} and {@code harbor} make it, looked up here and in ptorrent's home), else the JVM's
 * trusted CAs. {@code --no-tls} is for a harbor whose TLS is off. A picocli mixin: one definition for every command.
 */
public final class ClientTls {
    @Option(names = "--tls-trust", paramLabel = "FILE",
            description = "CA certificates (PEM) that identify the harbor (default: work/tls/ca.pem when it exists, else the JVM's trusted CAs).")
    Path trust;

    @Option(names = "--no-tls", description = "Plain TCP and HTTP, for a harbor whose TLS is off.")
    boolean plain;

    /** {@code options} with this command line's TLS. */
    public PtorrentClientOptions apply(PtorrentClientOptions options) {
        return plain ? options : options.tlsTrust(trustFile());
    }

    /** The console's URL scheme. */
    String scheme() {
        return plain ? "http" : "https";
    }

    /** The context for HTTPS requests to a console. */
    SSLContext context() {
        return TlsTrust.clientContext(plain ? null : trustFile());
    }

    /** The CA file to trust, or {@code null} for the JVM's trusted CAs. */
    Path trustFile() {
        if (trust != null) {
            return trust;
        }
        if (Files.isRegularFile(TlsTrust.DEV_CA)) {
            return TlsTrust.DEV_CA;
        }
        String home = System.getProperty("ptorrent.home");
        Path inHome = home == null ? null : Path.of(home).resolve(TlsTrust.DEV_CA);
        return inHome != null && Files.isRegularFile(inHome) ? inHome : null;
    }
}
