package io.ptorrent.plugin.transport;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * A harbor's trust: any client certificate, CA-checked server certificates.
 *
 * <p>Why any client certificate: Ignite's discovery and communication servers demand one from every peer
 * ({@code setNeedClientAuth(true)}, not configurable), but ptorrent identifies nodes by their join
 * credentials, not by certificates, and a household has no certificate to show. So a contributor shows a
 * throwaway one and the harbor looks no further. The other direction stays strict: a node checks the
 * certificate of the harbor it connects to (a harbor is the client when it connects to another harbor).
 */
final class AnyClientCertificate extends X509ExtendedTrustManager {
    private static final X509Certificate[] ANY_ISSUER = new X509Certificate[0];
    private final X509ExtendedTrustManager servers;

    AnyClientCertificate(X509ExtendedTrustManager servers) {
        this.servers = servers;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // any: see the class comment
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // any: see the class comment
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        // any: see the class comment
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        servers.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        servers.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        servers.checkServerTrusted(chain, authType);
    }

    /** No issuer list: a client's key manager would otherwise hold back a certificate of another issuer. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return ANY_ISSUER;
    }
}
