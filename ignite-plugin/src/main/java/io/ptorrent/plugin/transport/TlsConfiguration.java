package io.ptorrent.plugin.transport;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.TlsTrust;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TLS of a ptorrent node: the {@code tls} property of {@code PtorrentPluginConfiguration}. With it, a harbor
 * speaks only TLS on discovery, communication, the thin-client port and the console; a contributor speaks
 * TLS to the harbor and checks the harbor's certificate.
 *
 * <pre>{@code
 * <property name="tls">
 *   <bean class="io.ptorrent.plugin.transport.TlsConfiguration">
 *     <property name="certificate" value="/etc/ptorrent/fullchain.pem"/>   <!-- harbor only -->
 *     <property name="privateKey" value="/etc/ptorrent/privkey.pem"/>      <!-- harbor only -->
 *     <property name="trustedCertificates" value="/etc/ptorrent/ca.pem"/>  <!-- optional -->
 *   </bean>
 * </property>
 * }</pre>
 *
 * <p>Why only PEM files: they are what a CA hands out (Let's Encrypt's {@code fullchain.pem} and
 * {@code privkey.pem} work as they are), and a key file needs no password in a config file, only mode 600.
 * A contributor names no key: Ignite's discovery and communication servers always ask for a client
 * certificate, so a contributor makes a throwaway one in memory at every start; harbors accept any client
 * certificate, because nodes authenticate with credentials, not certificates.
 */
public class TlsConfiguration {
    private boolean enabled = true;
    private String certificate;
    private String privateKey;
    private String trustedCertificates;

    public boolean isEnabled() {
        return enabled;
    }

    /**
     * {@code false} turns TLS off (plain TCP and HTTP, for a grid on a trusted network only); {@code bin/ptorrent}
     * then makes no development certificates either.
     */
    public TlsConfiguration setEnabled(boolean enabled) {
        this.enabled = enabled;
        return this;
    }

    public String getCertificate() {
        return certificate;
    }

    /** A harbor's certificate chain, PEM, its own certificate first (for localhost and the names nodes use to reach it). */
    public TlsConfiguration setCertificate(String certificate) {
        this.certificate = certificate;
        return this;
    }

    public String getPrivateKey() {
        return privateKey;
    }

    /** A harbor's private key, PEM, unencrypted (PKCS#8, PKCS#1 or SEC1); keep the file readable by its owner only. */
    public TlsConfiguration setPrivateKey(String privateKey) {
        this.privateKey = privateKey;
        return this;
    }

    public String getTrustedCertificates() {
        return trustedCertificates;
    }

    /**
     * The CA certificates (PEM) that identify harbors; unset: the JVM's default trust store (public CAs).
     * The demo's is {@link TlsTrust#DEV_CA}.
     */
    public TlsConfiguration setTrustedCertificates(String trustedCertificates) {
        this.trustedCertificates = trustedCertificates;
        return this;
    }

    /** The trusted-certificates file, or {@code null} for the JVM's defaults. */
    Path trustedCertificatesPath() {
        return trustedCertificates == null ? null : Path.of(trustedCertificates);
    }

    /**
     * Checks the files a node of this kind needs.
     *
     * @throws PtorrentException CONFIG_INVALID naming the property
     */
    public void validate(boolean harbor) {
        if (!enabled) {
            return;
        }
        if (harbor) {
            requireFile(certificate, "certificate");
            requireFile(privateKey, "privateKey");
        }
        if (trustedCertificates != null) {
            requireFile(trustedCertificates, "trustedCertificates");
        }
    }

    private static void requireFile(String file, String property) {
        if (file == null || file.isBlank()) {
            throw new PtorrentException(ErrorCode.CONFIG_INVALID, "TlsConfiguration." + property + " must be set on a harbor (a PEM file),"
                    + " or leave tls unset for bin/ptorrent harbor to make development certificates");
        }
        if (!Files.isRegularFile(Path.of(file)) || !Files.isReadable(Path.of(file))) {
            throw new PtorrentException(ErrorCode.CONFIG_INVALID, "TlsConfiguration." + property + ": '" + file + "' is not a readable file");
        }
    }
}
