package io.ptorrent.plugin.transport;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import org.bouncycastle.cert.CertIOException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * Makes X.509 certificates with Bouncy Castle (the JDK has no public API for it; its keytool's classes are
 * internal). EC P-256 keys: fast to make (a contributor makes one at every start) and accepted by every
 * TLS stack ptorrent meets (the JDK, Netty under Vert.x, browsers). Signing uses the JDK's own provider.
 */
final class Certificates {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SIGNATURE = "SHA256withECDSA";

    private Certificates() {
    }

    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new PtorrentException(ErrorCode.INTERNAL, "the JVM cannot make an EC P-256 key: " + e.getMessage(), e);
        }
    }

    /** A CA certificate that signs harbor certificates (and nothing below them: path length 0). */
    static X509Certificate ca(KeyPair keys, String commonName, Duration validity) {
        X500Name name = new X500Name("CN=" + commonName);
        X509v3CertificateBuilder b = builder(name, name, keys.getPublic(), validity);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        } catch (CertIOException | GeneralSecurityException e) {
            throw new PtorrentException(ErrorCode.INTERNAL, "cannot build a CA certificate: " + e.getMessage(), e);
        }
        return sign(b, keys);
    }

    /**
     * A TLS certificate for {@code subject}, signed by the CA. It serves as a server and as a client
     * certificate (a harbor is a TLS client of another harbor).
     *
     * @param dnsNames host names and {@code ips} addresses the certificate is valid for (its subject alternative names)
     */
    static X509Certificate issue(KeyPair ca, X509Certificate caCert, PublicKey subject, String commonName,
                                 List<String> dnsNames, List<String> ips, Duration validity) {
        X509v3CertificateBuilder b = builder(new X500Name(caCert.getSubjectX500Principal().getName()), new X500Name("CN=" + commonName), subject, validity);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subject));
            List<GeneralName> names = new ArrayList<>();
            dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
            ips.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
        } catch (CertIOException | GeneralSecurityException e) {
            throw new PtorrentException(ErrorCode.INTERNAL, "cannot build a certificate: " + e.getMessage(), e);
        }
        return sign(b, ca);
    }

    /** A self-signed client certificate that identifies nobody: what Ignite's servers ask for, nothing more. */
    static X509Certificate throwaway(KeyPair keys) {
        X500Name name = new X500Name("CN=ptorrent contributor");
        X509v3CertificateBuilder b = builder(name, name, keys.getPublic(), Duration.ofDays(2));
        try {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        } catch (CertIOException e) {
            throw new PtorrentException(ErrorCode.INTERNAL, "cannot build a certificate: " + e.getMessage(), e);
        }
        return sign(b, keys);
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey key, Duration validity) {
        Instant now = Instant.now();
        // An hour back: a machine whose clock runs a little behind must still accept the certificate.
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, RANDOM).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)), subject, key);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) {
        try {
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(SIGNATURE).build(signer.getPrivate())));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new PtorrentException(ErrorCode.INTERNAL, "cannot sign a certificate: " + e.getMessage(), e);
        }
    }
}
