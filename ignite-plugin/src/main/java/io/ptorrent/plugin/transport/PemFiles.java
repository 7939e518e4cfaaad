package io.ptorrent.plugin.transport;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/** Reads and writes the PEM files of {@link TlsConfiguration}: certificate chains and unencrypted private keys. */
final class PemFiles {
    private PemFiles() {
    }

    /** The certificates of a PEM file, in file order (a chain: its own certificate first). */
    static List<X509Certificate> certificates(Path file, String property) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
            if (certs.isEmpty()) {
                throw new PtorrentException(ErrorCode.CONFIG_INVALID, "TlsConfiguration." + property + ": '" + file + "' holds no certificate");
            }
            return certs;
        } catch (IOException | CertificateException e) {
            throw new PtorrentException(ErrorCode.CONFIG_INVALID, "TlsConfiguration." + property + ": '" + file
                    + "' is not a PEM file of X.509 certificates: " + e.getMessage(), e);
        }
    }

    /** The private key of a PEM file: PKCS#8 ("PRIVATE KEY"), PKCS#1 ("RSA PRIVATE KEY") or SEC1 ("EC PRIVATE KEY"). */
    static PrivateKey privateKey(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(r)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            }
            throw new PtorrentException(ErrorCode.CONFIG_INVALID, "TlsConfiguration.privateKey: '" + file
                    + "' holds no unencrypted private key (PEM \"PRIVATE KEY\", \"RSA PRIVATE KEY\" or \"EC PRIVATE KEY\")");
        } catch (IOException e) {
            throw new PtorrentException(ErrorCode.CONFIG_INVALID, "TlsConfiguration.privateKey: '" + file + "' cannot be read as PEM: " + e.getMessage(), e);
        }
    }

    /**
     * Writes objects (certificates, keys) as PEM. A {@code secret} file is created readable by its owner only
     * (mode 600) before anything is written to it.
     */
    static void write(Path file, boolean secret, Object... objects) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(text)) {
            for (Object o : objects) {
                w.writeObject(o);
            }
        }
        Files.deleteIfExists(file);
        if (secret && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, text.toString(), StandardCharsets.US_ASCII, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }
}
