package io.ptorrent.plugin.transport;

import org.apache.ignite.configuration.ClientConnectorConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;

import javax.net.ssl.X509KeyManager;

/** Puts a node's {@link TlsConfiguration} into its Ignite configuration, before the node's SPIs start. */
public final class NodeTls {
    private NodeTls() {
    }

    /**
     * TLS on every port of the node that Ignite opens or dials: discovery, communication and (harbors) the
     * thin-client port. Nothing for {@code null} or a disabled configuration.
     *
     * @throws io.ptorrent.client.PtorrentException CONFIG_INVALID naming a missing or bad file
     */
    public static void apply(IgniteConfiguration cfg, TlsConfiguration tls, boolean harbor) {
        if (tls == null || !tls.isEnabled()) {
            return;
        }
        tls.validate(harbor);
        NodeSslContextFactory factory = new NodeSslContextFactory(tls, harbor);
        factory.create(); // reads the files now: a bad key fails the start with its message, not the first connection
        cfg.setSslContextFactory(factory);
        ClientConnectorConfiguration thin = cfg.getClientConnectorConfiguration();
        if (thin != null) {
            // Thin clients and JDBC authenticate with credentials: no client certificate.
            thin.setSslEnabled(true).setUseIgniteSslContextFactory(true).setSslClientAuth(false);
        }
    }

    /** A harbor's key and certificate chain, for the console's HTTPS. */
    public static X509KeyManager harborKeyManager(TlsConfiguration tls) {
        tls.validate(true);
        return NodeSslContextFactory.harborKeys(tls.getCertificate(), tls.getPrivateKey());
    }
}
