package io.ptorrent.client;

import javax.cache.configuration.Factory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * Which certificates identify a harbor: the certificate authorities a thin client, {@code bin/ptorrent}
 * and a contributor node trust. Either a PEM file of CA certificates (the demo's {@code work/tls/ca.pem},
 * or a grid operator's own CA) or, without one, the JVM's default trust store (public CAs: a harbor with a
 * certificate from a public CA needs no file at all).
 *
 * <p>Only trust: a client never needs a key of its own (it authenticates with credentials, and the
 * thin-client port asks for no client certificate).
 */
public final class TlsTrust {
    /**
     * Where {@code bin/ptorrent demo} and {@code bin/ptorrent harbor} put the development CA's certificate
     * (relative to the directory they run in); {@code bin/ptorrent}'s client commands trust it by default.
     */
    public static final Path DEV_CA = Path.of("work", "tls", "ca.pem");

    private TlsTrust() {
    }

    /**
     * A trust manager for the CA certificates in {@code pemFile}, or the JVM's default one for {@code null}.
     *
     * @throws PtorrentException CONFIG_INVALID naming the file when it is missing or holds no certificate
     */
    public static X509TrustManager trustManager(Path pemFile) {
        try {
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(pemFile == null ? null : trustStore(pemFile));
            for (TrustManager tm : f.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return x;
                }
            }
            throw new PtorrentException(ErrorCode.INTERNAL, "the JVM offers no X.509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new PtorrentException(ErrorCode.CONFIG_INVALID, "cannot use the trusted certificates in '" + pemFile + "': " + e.getMessage(), e);
        }
    }

    /** A TLS client context that trusts {@code pemFile}'s CAs (the JVM's defaults for {@code null}) and has no key. */
    public static SSLContext clientContext(Path pemFile) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {trustManager(pemFile)}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new PtorrentException(ErrorCode.INTERNAL, "cannot make a TLS context: " + e.getMessage(), e);
        }
    }

    /** {@link #clientContext} as the factory that Ignite's thin client takes (made once, on first use). */
    public static Factory<SSLContext> clientFactory(Path pemFile) {
        // Checked now, so that a wrong path fails where it is given rather than inside Ignite's connect.
        clientContext(pemFile);
        return new ClientFactory(pemFile == null ? null : pemFile.toAbsolutePath().toString());
    }

    /** The CA certificates of a PEM file in an in-memory key store. */
    static KeyStore trustStore(Path pemFile) {
        if (!Files.isRegularFile(pemFile)) {
            throw new PtorrentException(ErrorCode.CONFIG_INVALID, "the trusted-certificates file '" + pemFile + "' does not exist"
                    + " (a PEM file of CA certificates, such as the demo's " + DEV_CA + ")");
        }
        try (InputStream in = Files.newInputStream(pemFile)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new PtorrentException(ErrorCode.CONFIG_INVALID, "the trusted-certificates file '" + pemFile + "' holds no certificate");
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new PtorrentException(ErrorCode.CONFIG_INVALID, "the trusted-certificates file '" + pemFile
                    + "' is not a PEM file of X.509 certificates: " + e.getMessage(), e);
        }
    }

    private record ClientFactory(String pemFile) implements Factory<SSLContext> {
        @Override
        public SSLContext create() {
            return clientContext(pemFile == null ? null : Path.of(pemFile));
        }
    }
}
