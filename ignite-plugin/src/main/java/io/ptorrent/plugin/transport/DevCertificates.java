package io.ptorrent.plugin.transport;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Development certificates for a grid on this machine, so that {@code bin/ptorrent demo} and
 * {@code bin/ptorrent harbor} speak TLS with nothing to set up: a CA ({@value #CA}, the file contributors
 * and clients trust) and a harbor certificate for localhost, 127.0.0.1 and ::1 signed by it. Made once, in a
 * directory of their own; keys are readable by their owner only. For a grid that others reach, use real
 * certificates ({@link TlsConfiguration}).
 */
public final class DevCertificates {
    public static final String CA = "ca.pem";
    public static final String CA_KEY = "ca-key.pem";
    public static final String HARBOR = "harbor.pem";
    public static final String HARBOR_KEY = "harbor-key.pem";
    private static final Duration VALIDITY = Duration.ofDays(825);

    private DevCertificates() {
    }

    /**
     * The TLS configuration of a harbor with the development certificates in {@code dir}, made first if they are
     * not there.
     *
     * @throws PtorrentException CONFIG_INVALID when the directory cannot be written
     */
    public static TlsConfiguration ensure(Path dir) {
        Path ca = dir.resolve(CA);
        Path harbor = dir.resolve(HARBOR);
        Path harborKey = dir.resolve(HARBOR_KEY);
        if (!(Files.isRegularFile(ca) && Files.isRegularFile(harbor) && Files.isRegularFile(harborKey))) {
            make(dir);
        }
        return new TlsConfiguration().setCertificate(harbor.toString()).setPrivateKey(harborKey.toString()).setTrustedCertificates(ca.toString());
    }

    private static void make(Path dir) {
        try {
            Files.createDirectories(dir);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
            KeyPair caKeys = Certificates.newKeyPair();
            // A name of its own: two development CAs with one name would be mistaken for each other by a TLS stack.
            X509Certificate caCert = Certificates.ca(caKeys, "ptorrent development CA " + java.util.UUID.randomUUID().toString().substring(0, 8), VALIDITY);
            KeyPair harborKeys = Certificates.newKeyPair();
            List<String> dns = new ArrayList<>(List.of("localhost"));
            String host = localHostName();
            if (host != null && !dns.contains(host)) {
                dns.add(host);
            }
            X509Certificate harborCert = Certificates.issue(caKeys, caCert, harborKeys.getPublic(), "ptorrent harbor (development)",
                    dns, List.of("127.0.0.1", "::1"), VALIDITY);
            // Keys first, the CA certificate last: a half-made directory (killed midway) lacks ca.pem and is made again.
            PemFiles.write(dir.resolve(CA_KEY), true, new JcaPKCS8Generator(caKeys.getPrivate(), null));
            PemFiles.write(dir.resolve(HARBOR_KEY), true, new JcaPKCS8Generator(harborKeys.getPrivate(), null));
            PemFiles.write(dir.resolve(HARBOR), false, harborCert, caCert);
            PemFiles.write(dir.resolve(CA), false, caCert);
        } catch (IOException e) {
            throw new PtorrentException(ErrorCode.CONFIG_INVALID, "cannot write development certificates to '" + dir + "': " + e.getMessage(), e);
        }
    }

    private static String localHostName() {
        try {
            String h = InetAddress.getLocalHost().getHostName();
            return h == null || h.isBlank() || h.matches("[0-9.:]+") ? null : h;
        } catch (IOException e) {
            return null; // a machine without a resolvable name: localhost and the loopback addresses suffice
        }
    }
}
