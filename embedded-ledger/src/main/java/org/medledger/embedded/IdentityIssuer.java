package org.medledger.embedded;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.operator.ContentSigner;

/**
 * The simulated membership service: per MSP a CA (ECDSA P-256, self-signed certificate) and client
 * certificates it signs, made once and then reused.
 *
 * <p>An in-memory ledger derives every key from its channel name, so its identities, and the
 * transaction ids computed from them, are the same in every run. A persisted ledger draws its keys
 * from {@link SecureRandom} and keeps them, with the certificates, in PEM files under {@code
 * msp/<mspId>/} of its directory. Either way the signatures are deterministic (RFC 6979) and the
 * validity period fixed, so no clock is read.
 */
final class IdentityIssuer {
  private static final Pattern MSP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,63}");
  private static final Pattern COMMON_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
  private static final ECNamedDomainParameters P256 =
      new ECNamedDomainParameters(SECObjectIdentifiers.secp256r1, ECNamedCurveTable.getByName("P-256"));
  private static final Date NOT_BEFORE = Date.from(Instant.parse("2020-01-01T00:00:00Z"));
  private static final Date NOT_AFTER = Date.from(Instant.parse("2099-12-31T23:59:59Z"));
  private static final String CERTIFICATE = "CERTIFICATE";
  private static final String PRIVATE_KEY = "PRIVATE KEY";

  /** A key pair and the certificate of its public key. */
  private record Credential(ECPrivateKeyParameters key, X509CertificateHolder certificate) {}

  private final byte[] seed;
  private final SecureRandom random;
  private final Path dir;
  private final Map<String, Credential> authorities = new HashMap<>();
  private final Map<String, Identity> identities = new HashMap<>();

  private IdentityIssuer(byte[] seed, SecureRandom random, Path dir) {
    this.seed = seed;
    this.random = random;
    this.dir = dir;
  }

  /** Keys derived from the channel name: the same identities in every run. */
  static IdentityIssuer deterministic(String channel) {
    return new IdentityIssuer(
        sha256("medledger/embedded-ledger/identity-seed/v1\0".getBytes(UTF_8), channel.getBytes(UTF_8)), null, null);
  }

  /** Fresh random keys, kept with their certificates under {@code mspDir}. */
  static IdentityIssuer persisted(Path mspDir) {
    return new IdentityIssuer(null, new SecureRandom(), mspDir);
  }

  Identity identity(String mspId, String commonName) {
    if (!MSP_ID.matcher(mspId).matches()) {
      throw new IllegalArgumentException("MSP ID '" + mspId + "' must match " + MSP_ID.pattern());
    }
    if (!COMMON_NAME.matcher(commonName).matches()) {
      throw new IllegalArgumentException("common name '" + commonName + "' must match " + COMMON_NAME.pattern());
    }
    String id = mspId + "/" + commonName;
    Identity identity = identities.get(id);
    if (identity == null) {
      try {
        Credential client = client(mspId, commonName);
        byte[] der = client.certificate().getEncoded();
        identity = new Identity(mspId, commonName, x509(der), pem(CERTIFICATE, der));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot issue or load the identity " + id, e);
      }
      identities.put(id, identity);
    }
    return identity;
  }

  private Credential authority(String mspId) throws IOException {
    Credential ca = authorities.get(mspId);
    if (ca == null) {
      Path home = dir == null ? null : dir.resolve(mspId);
      ca = load(home, "ca");
      if (ca == null) {
        ECPrivateKeyParameters key = newKey("ca/" + mspId);
        X500Name name = name(mspId, null, "ca." + mspId);
        SubjectPublicKeyInfo spki = publicKeyInfo(key);
        ca = new Credential(key, certify(name, key, spki, name, spki, true));
        store(home, "ca", ca);
      }
      authorities.put(mspId, ca);
    }
    return ca;
  }

  private Credential client(String mspId, String commonName) throws IOException {
    Path home = dir == null ? null : dir.resolve(mspId).resolve("users");
    Credential client = load(home, commonName);
    if (client == null) {
      Credential ca = authority(mspId);
      ECPrivateKeyParameters key = newKey("client/" + mspId + "/" + commonName);
      X509CertificateHolder cert = certify(
          ca.certificate().getSubject(),
          ca.key(),
          ca.certificate().getSubjectPublicKeyInfo(),
          name(mspId, "client", commonName),
          publicKeyInfo(key),
          false);
      client = new Credential(key, cert);
      store(home, commonName, client);
    }
    return client;
  }

  /** Subject names read, in Java's rendering, {@code CN=<cn>, OU=<ou>, O=<mspId>}. */
  private static X500Name name(String mspId, String organisationalUnit, String commonName) {
    X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, mspId);
    if (organisationalUnit != null) {
      b.addRDN(BCStyle.OU, organisationalUnit);
    }
    return b.addRDN(BCStyle.CN, commonName).build();
  }

  private static X509CertificateHolder certify(
      X500Name issuer,
      ECPrivateKeyParameters issuerKey,
      SubjectPublicKeyInfo issuerKeyInfo,
      X500Name subject,
      SubjectPublicKeyInfo subjectKeyInfo,
      boolean ca)
      throws IOException {
    byte[] h = sha256(subject.getEncoded(), subjectKeyInfo.getEncoded());
    BigInteger serial = new BigInteger(1, Arrays.copyOf(h, 16)).or(BigInteger.ONE);
    BcX509ExtensionUtils ext = new BcX509ExtensionUtils();
    X509v3CertificateBuilder b = new X509v3CertificateBuilder(issuer, serial, NOT_BEFORE, NOT_AFTER, subject, subjectKeyInfo)
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(ca))
        .addExtension(Extension.keyUsage, true,
            new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature : KeyUsage.digitalSignature))
        .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKeyInfo));
    if (!ca) {
      b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerKeyInfo));
    }
    return b.build(new DeterministicEcdsaSigner(issuerKey));
  }

  /** ECDSA with SHA-256, nonce by RFC 6979 and low-S form: the same signature for the same input. */
  private static final class DeterministicEcdsaSigner implements ContentSigner {
    private final ECPrivateKeyParameters key;
    private final ByteArrayOutputStream signed = new ByteArrayOutputStream();

    DeterministicEcdsaSigner(ECPrivateKeyParameters key) {
      this.key = key;
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
      return new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
    }

    @Override
    public OutputStream getOutputStream() {
      return signed;
    }

    @Override
    public byte[] getSignature() {
      ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
      signer.init(true, key);
      BigInteger[] rs = signer.generateSignature(sha256(signed.toByteArray()));
      BigInteger n = P256.getN();
      BigInteger s = rs[1].compareTo(n.shiftRight(1)) > 0 ? n.subtract(rs[1]) : rs[1];
      try {
        return new DERSequence(new ASN1Encodable[] {new ASN1Integer(rs[0]), new ASN1Integer(s)})
            .getEncoded(ASN1Encoding.DER);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private ECPrivateKeyParameters newKey(String label) {
    BigInteger n = P256.getN();
    BigInteger d = BigInteger.ZERO;
    for (int counter = 0; d.signum() == 0 || d.compareTo(n) >= 0; counter++) {
      d = seed != null
          ? new BigInteger(1, sha256(seed, label.getBytes(UTF_8), new byte[] {0, (byte) counter}))
          : new BigInteger(n.bitLength(), random);
    }
    return new ECPrivateKeyParameters(d, P256);
  }

  private static SubjectPublicKeyInfo publicKeyInfo(ECPrivateKeyParameters key) throws IOException {
    return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(new ECPublicKeyParameters(
        new FixedPointCombMultiplier().multiply(P256.getG(), key.getD()).normalize(), P256));
  }

  /** Reads {@code <name>-cert.pem} and {@code <name>-key.pem} from {@code home}; null if absent. */
  private static Credential load(Path home, String name) throws IOException {
    if (home == null || !Files.exists(home.resolve(name + "-cert.pem"))) {
      return null;
    }
    byte[] cert = unpem(CERTIFICATE, Files.readString(home.resolve(name + "-cert.pem"), US_ASCII));
    byte[] key = unpem(PRIVATE_KEY, Files.readString(home.resolve(name + "-key.pem"), US_ASCII));
    if (!(PrivateKeyFactory.createKey(key) instanceof ECPrivateKeyParameters ec)) {
      throw new IOException(home.resolve(name + "-key.pem") + " does not hold an EC private key");
    }
    return new Credential(new ECPrivateKeyParameters(ec.getD(), P256), new X509CertificateHolder(cert));
  }

  /** Writes the key before the certificate: {@link #load} takes the certificate as the sign of both. */
  private static void store(Path home, String name, Credential c) throws IOException {
    if (home == null) {
      return;
    }
    byte[] key = PrivateKeyInfoFactory.createPrivateKeyInfo(c.key()).getEncoded(ASN1Encoding.DER);
    DurableFiles.writeAtomically(home.resolve(name + "-key.pem"), pem(PRIVATE_KEY, key).getBytes(US_ASCII));
    DurableFiles.writeAtomically(home.resolve(name + "-cert.pem"), pem(CERTIFICATE, c.certificate().getEncoded()).getBytes(US_ASCII));
  }

  private static X509Certificate x509(byte[] der) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new IllegalStateException("the issued certificate does not parse", e);
    }
  }

  /** PEM with '\n' line ends on every platform, so the creator bytes (and tx ids) do not vary. */
  static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static byte[] unpem(String type, String text) throws IOException {
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      throw new IOException("not a PEM " + type);
    }
    return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
  }

  private static byte[] sha256(byte[]... parts) {
    SHA256Digest d = new SHA256Digest();
    for (byte[] b : parts) {
      d.update(b, 0, b.length);
    }
    byte[] out = new byte[d.getDigestSize()];
    d.doFinal(out, 0);
    return out;
  }
}
