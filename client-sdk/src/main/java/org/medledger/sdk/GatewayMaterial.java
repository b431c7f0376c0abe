package org.medledger.sdk;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Signers;

/**
 * What a client needs to reach a Fabric gateway as one organisation (docs/client-sdk.md §4.1): the
 * peer's address and TLS name, the CA that signed the peer's TLS certificate, the client's X.509
 * certificate and private key, and the channel and chaincode. Read from the JSON file the test
 * network writes for each organisation ({@code <run dir>/gateway/<org>.json}):
 *
 * <pre>{"mspId":"HospitalOrgMSP","peerEndpoint":"127.0.0.1:7051","hostOverride":"peer0.hospital.example",
 *  "tlsCaCert":"…/tlsca.pem","certificate":"…/cert.pem","privateKey":"…/key.pem",
 *  "channel":"medchannel","chaincode":"medledger"}</pre>
 *
 * Relative paths are resolved against the JSON file's folder. Every file is read and checked when
 * the material is loaded, so a wrong path fails here with the member's name rather than at the
 * first call.
 */
public final class GatewayMaterial {
  /** Largest connection file accepted. */
  static final int MAX_FILE_BYTES = 64 * 1024;

  private final String mspId;
  private final String host;
  private final int port;
  private final String hostOverride;
  private final Path tlsCaCert;
  private final X509Certificate certificate;
  private final PrivateKey privateKey;
  private final String channel;
  private final String chaincode;

  private GatewayMaterial(String mspId, String host, int port, String hostOverride, Path tlsCaCert,
      X509Certificate certificate, PrivateKey privateKey, String channel, String chaincode) {
    this.mspId = mspId;
    this.host = host;
    this.port = port;
    this.hostOverride = hostOverride;
    this.tlsCaCert = tlsCaCert;
    this.certificate = certificate;
    this.privateKey = privateKey;
    this.channel = channel;
    this.chaincode = chaincode;
  }

  /** Thrown when connection material is missing, unreadable or invalid; the message names the file and member. */
  public static final class InvalidException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidException(String message) {
      super(message);
    }

    InvalidException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Reads and checks the connection file {@code file} and every file it names. */
  public static GatewayMaterial read(Path file) throws InvalidException {
    byte[] bytes = readBounded(file, "connection file", MAX_FILE_BYTES);
    JsonObject o;
    try {
      JsonElement e = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
      if (!e.isJsonObject()) {
        throw new InvalidException(file + ": not a JSON object");
      }
      o = e.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new InvalidException(file + ": not valid JSON (" + e.getMessage() + ")", e);
    }
    Path dir = file.toAbsolutePath().getParent();
    String endpoint = string(file, o, "peerEndpoint");
    int colon = endpoint.lastIndexOf(':');
    if (colon <= 0 || colon == endpoint.length() - 1) {
      throw new InvalidException(file + ": peerEndpoint must be host:port, got \"" + endpoint + "\"");
    }
    int port = port(file, endpoint.substring(colon + 1));
    Path tlsCa = dir.resolve(string(file, o, "tlsCaCert"));
    certificate(tlsCa, file + ": tlsCaCert");
    Path certFile = dir.resolve(string(file, o, "certificate"));
    X509Certificate cert = certificate(certFile, file + ": certificate");
    Path keyFile = dir.resolve(string(file, o, "privateKey"));
    PrivateKey key = privateKey(keyFile, file + ": privateKey");
    requireMatch(cert, key, file + ": privateKey " + keyFile + " does not belong to certificate " + certFile);
    return new GatewayMaterial(string(file, o, "mspId"), endpoint.substring(0, colon), port, string(file, o, "hostOverride"),
        tlsCa, cert, key, string(file, o, "channel"), string(file, o, "chaincode"));
  }

  /**
   * Material given in code: the peer at {@code host:port} presenting a TLS certificate for {@code
   * hostOverride} signed by the CA in {@code tlsCaCert}, and the client identity.
   */
  public static GatewayMaterial of(String mspId, String host, int port, String hostOverride, Path tlsCaCert,
      X509Certificate certificate, PrivateKey privateKey, String channel, String chaincode) throws InvalidException {
    if (port < 1 || port > 65535) {
      throw new InvalidException("port must lie in 1..65535, got " + port);
    }
    certificate(tlsCaCert, "tlsCaCert");
    requireMatch(certificate, privateKey, "the private key does not belong to the certificate");
    return new GatewayMaterial(nonEmpty(mspId, "mspId"), nonEmpty(host, "host"), port, nonEmpty(hostOverride, "hostOverride"),
        tlsCaCert, Objects.requireNonNull(certificate, "certificate"), privateKey, nonEmpty(channel, "channel"),
        nonEmpty(chaincode, "chaincode"));
  }

  private static String nonEmpty(String s, String what) throws InvalidException {
    if (s == null || s.isEmpty()) {
      throw new InvalidException(what + " must not be empty");
    }
    return s;
  }

  private static byte[] readBounded(Path file, String what, int max) throws InvalidException {
    try {
      if (Files.isDirectory(file)) {
        throw new InvalidException(what + " " + file + " is a directory");
      }
      if (Files.size(file) > max) {
        throw new InvalidException(what + " " + file + " is larger than " + max + " bytes");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new InvalidException(what + " " + file + " does not exist", e);
    } catch (IOException e) {
      throw new InvalidException(what + " " + file + " cannot be read: " + e.getMessage(), e);
    }
  }

  private static String string(Path file, JsonObject o, String member) throws InvalidException {
    JsonElement e = o.get(member);
    if (e == null || e.isJsonNull()) {
      throw new InvalidException(file + ": member \"" + member + "\" is missing");
    }
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString() || e.getAsString().isEmpty()) {
      throw new InvalidException(file + ": member \"" + member + "\" must be a non-empty string");
    }
    return e.getAsString();
  }

  private static int port(Path file, String s) throws InvalidException {
    try {
      int p = Integer.parseInt(s);
      if (p >= 1 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new InvalidException(file + ": peerEndpoint port must be a number in 1..65535, got \"" + s + "\"");
  }

  private static X509Certificate certificate(Path pem, String what) throws InvalidException {
    byte[] bytes = readBounded(pem, what, MAX_FILE_BYTES);
    try (Reader r = new java.io.StringReader(new String(bytes, StandardCharsets.US_ASCII))) {
      return Identities.readX509Certificate(r);
    } catch (IOException | CertificateException | RuntimeException e) {
      throw new InvalidException(what + " " + pem + " is not a PEM X.509 certificate", e);
    }
  }

  private static PrivateKey privateKey(Path pem, String what) throws InvalidException {
    byte[] bytes = readBounded(pem, what, MAX_FILE_BYTES);
    try (Reader r = new java.io.StringReader(new String(bytes, StandardCharsets.US_ASCII))) {
      return Identities.readPrivateKey(r);
    } catch (IOException | InvalidKeyException | RuntimeException e) {
      throw new InvalidException(what + " " + pem + " is not a PEM private key", e);
    }
  }

  /** Signs a fixed digest with the key and verifies it with the certificate: a wrong key fails here. */
  private static void requireMatch(X509Certificate cert, PrivateKey key, String message) throws InvalidException {
    Objects.requireNonNull(cert, "certificate");
    Objects.requireNonNull(key, "privateKey");
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest("medledger/gateway-material/v1".getBytes(StandardCharsets.UTF_8));
      byte[] sig = Signers.newPrivateKeySigner(key).sign(digest);
      boolean ec = key.getAlgorithm().equals("EC") || key.getAlgorithm().equals("ECDSA");
      Signature v = Signature.getInstance(ec ? "NONEwithECDSA" : key.getAlgorithm());
      v.initVerify(cert.getPublicKey());
      v.update(digest);
      if (!v.verify(sig)) {
        throw new InvalidException(message);
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new InvalidException(message + " (" + e.getMessage() + ")", e);
    }
  }

  public String mspId() {
    return mspId;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** The name the peer's TLS certificate is issued for. */
  public String hostOverride() {
    return hostOverride;
  }

  public Path tlsCaCert() {
    return tlsCaCert;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  PrivateKey privateKey() {
    return privateKey;
  }

  public String channel() {
    return channel;
  }

  public String chaincode() {
    return chaincode;
  }

  /** Names the organisation, peer, channel and chaincode; never the key. */
  @Override
  public String toString() {
    return "GatewayMaterial[" + mspId + " at " + host + ":" + port + " (" + hostOverride + "), " + channel + "/" + chaincode + "]";
  }
}
