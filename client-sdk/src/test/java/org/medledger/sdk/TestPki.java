package org.medledger.sdk;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throwaway PKI for tests: a P-256 CA and the certificates it signs, written as PEM files. */
final class TestPki {
  private static final SecureRandom RND = new SecureRandom();
  final KeyPair caKeys;
  final X509Certificate caCert;

  /** A party: its key pair and a certificate from the CA. */
  record Party(KeyPair keys, X509Certificate cert) {}

  TestPki(String caName) {
    caKeys = keyPair();
    caCert = sign(new X500Name("CN=" + caName), caKeys, null, true);
  }

  static KeyPair keyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RND);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A client or server certificate; {@code dnsName} (may be null) becomes its subject alternative name. */
  Party issue(String commonName, String dnsName) {
    KeyPair k = keyPair();
    return new Party(k, sign(new X500Name("CN=" + commonName), k, dnsName, false));
  }

  private X509Certificate sign(X500Name subject, KeyPair subjectKeys, String dnsName, boolean ca) {
    try {
      Instant now = Instant.now();
      X500Name issuer = ca ? subject : new X500Name(caCert.getSubjectX500Principal().getName());
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RND),
          Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)), subject, subjectKeys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      if (dnsName != null) {
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
      }
      java.security.PrivateKey signer = ca ? subjectKeys.getPrivate() : caKeys.getPrivate();
      return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(Object o) {
    StringWriter s = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(s)) {
      w.writeObject(o instanceof java.security.PrivateKey k ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null) : o);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return s.toString();
  }

  static Path write(Path file, Object o) throws IOException {
    Files.writeString(file, pem(o), StandardCharsets.US_ASCII);
    return file;
  }
}
