package io.ptorrent.plugin.transport;

import io.ptorrent.client.TlsTrust;
import org.apache.ignite.ssl.AbstractSslContextFactory;

import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;

/**
 * The SSL context of a ptorrent node, for Ignite's discovery, communication and thin-client port
 * ({@code IgniteConfiguration.sslContextFactory}). Ignite makes it once and keeps it.
 *
 * <p>What Ignite asks of each side (2.17): its servers for discovery ({@code ServerImpl.TcpServer}) and
 * communication ({@code GridNioServerWrapper}) always require a client certificate, so every node needs a
 * key, a contributor too; Ignite's own {@code SslContextFactory} insists on a key store file for that. This
 * factory gives a harbor its configured key and a contributor a throwaway one made in memory, and makes the
 * harbor accept any client certificate ({@link AnyClientCertificate}). The thin-client port asks for no
 * client certificate ({@code ClientConnectorConfiguration.sslClientAuth} stays false).
 */
final class NodeSslContextFactory extends AbstractSslContextFactory {
    private static final long serialVersionUID = 1L;
    private final boolean harbor;
    private final String certificate;
    private final String privateKey;
    private final String trustedCertificates;

    NodeSslContextFactory(TlsConfiguration tls, boolean harbor) {
        this.harbor = harbor;
        this.certificate = tls.getCertificate();
        this.privateKey = tls.getPrivateKey();
        this.trustedCertificates = tls.getTrustedCertificates();
    }

    @Override
    protected void checkParameters() {
        // TlsConfiguration.validate checked the files when the node started, with the property named.
    }

    @Override
    protected KeyManager[] createKeyManagers() {
        return new KeyManager[] {harbor ? harborKeys(certificate, privateKey) : throwawayKeys()};
    }

    @Override
    protected TrustManager[] createTrustManagers() {
        X509TrustManager ca = TlsTrust.trustManager(trustedCertificates == null ? null : Path.of(trustedCertificates));
        return new TrustManager[] {harbor ? new AnyClientCertificate((X509ExtendedTrustManager) ca) : ca};
    }

    static SingleKeyManager harborKeys(String certificate, String privateKey) {
        return new SingleKeyManager(PemFiles.privateKey(Path.of(privateKey)), PemFiles.certificates(Path.of(certificate), "certificate"));
    }

    private static SingleKeyManager throwawayKeys() {
        KeyPair keys = Certificates.newKeyPair();
        return new SingleKeyManager(keys.getPrivate(), List.of(Certificates.throwaway(keys)));
    }
}
