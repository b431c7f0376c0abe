package org.medledger.sdk;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.SecretAccess;
import org.medledger.crypto.threshold.KeyShare;
import org.medledger.crypto.threshold.ThresholdPublicKey;
import org.medledger.protocol.CanonicalJson;

/**
 * A committee member's key share at rest (docs/client-sdk.md §12.4), in the client keystore's
 * format: Argon2id derives the key from the password, AES-256-GCM encrypts the share's canonical
 * encoding, and the header (format, version, member account, share index, committee fingerprint,
 * KDF and cipher parameters) is authenticated as associated data. Reading checks the share
 * against the committee key it is read for ({@link KeyShare#fromBytes}: committee and epoch,
 * and the member's verification key), so a stale share of an earlier epoch is refused.
 */
public final class ShareKeystore {
  static final String FORMAT = "medledger-keyshare";
  static final int VERSION = 1;
  private static final int MAX_FILE_BYTES = 64 * 1024;

  private ShareKeystore() {}

  /** Encrypts {@code share} of member {@code account} under {@code password} and writes {@code file}. */
  public static void write(Path file, String account, KeyShare share, char[] password, Keystore.KdfParams kdf,
      SecureRandom rnd) throws KeystoreException {
    if (!kdf.atLeast(Keystore.KdfParams.MINIMUM)) {
      throw new KeystoreException(KeystoreException.Code.WEAK_PARAMETERS, "KDF parameters below the minimum "
          + Keystore.KdfParams.MINIMUM);
    }
    byte[] salt = new byte[16];
    byte[] nonce = new byte[12];
    rnd.nextBytes(salt);
    rnd.nextBytes(nonce);
    JsonObject header = new JsonObject();
    header.addProperty("format", FORMAT);
    header.addProperty("version", VERSION);
    header.addProperty("account", account);
    header.addProperty("member", share.member());
    header.addProperty("committee", HexFormat.of().formatHex(share.committee()));
    JsonObject k = new JsonObject();
    k.addProperty("name", "argon2id");
    k.addProperty("memoryKiB", kdf.memoryKiB());
    k.addProperty("iterations", kdf.iterations());
    k.addProperty("parallelism", kdf.parallelism());
    k.addProperty("salt", b64(salt));
    header.add("kdf", k);
    JsonObject c = new JsonObject();
    c.addProperty("name", "AES-256-GCM");
    c.addProperty("nonce", b64(nonce));
    header.add("cipher", c);
    byte[] plain = share.toBytes(SecretAccess.explicit());
    byte[] key = Keystore.deriveKey(password, salt, kdf);
    byte[] ct;
    try {
      ct = Keystore.gcm(true, key, nonce, CanonicalJson.toBytes(header), plain);
    } catch (InvalidCipherTextException impossible) {
      throw new IllegalStateException("AES-GCM encryption cannot fail authentication", impossible);
    } finally {
      Arrays.fill(key, (byte) 0);
      Arrays.fill(plain, (byte) 0);
    }
    JsonObject out = header.deepCopy();
    out.addProperty("ciphertext", b64(ct));
    Keystore.writeAtomically(file, (CanonicalJson.toString(out) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Reads and decrypts the share in {@code file} for committee key {@code pk}. */
  public static KeyShare read(Path file, char[] password, ThresholdPublicKey pk) throws KeystoreException {
    JsonObject o;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw corrupt(file + " is too large to be a key share");
      }
      o = CanonicalJson.parseObject(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new KeystoreException(KeystoreException.Code.IO, "cannot read " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw corrupt("not a JSON key share (" + e.getMessage() + ")");
    }
    if (!Set.of("format", "version", "account", "member", "committee", "kdf", "cipher", "ciphertext").equals(o.keySet())) {
      throw corrupt("unexpected or missing members");
    }
    try {
      if (!FORMAT.equals(o.get("format").getAsString()) || o.get("version").getAsInt() != VERSION) {
        throw new KeystoreException(KeystoreException.Code.UNSUPPORTED, "not a " + FORMAT + " file of version " + VERSION);
      }
      JsonObject k = o.getAsJsonObject("kdf");
      JsonObject c = o.getAsJsonObject("cipher");
      if (!"argon2id".equals(k.get("name").getAsString()) || !"AES-256-GCM".equals(c.get("name").getAsString())) {
        throw new KeystoreException(KeystoreException.Code.UNSUPPORTED, "only argon2id and AES-256-GCM are supported");
      }
      Keystore.KdfParams kdf = new Keystore.KdfParams(k.get("memoryKiB").getAsInt(), k.get("iterations").getAsInt(),
          k.get("parallelism").getAsInt());
      if (!kdf.atLeast(Keystore.KdfParams.MINIMUM)) {
        throw new KeystoreException(KeystoreException.Code.WEAK_PARAMETERS, "the file asks for " + kdf
            + ", below the minimum; refusing a possible downgrade");
      }
      byte[] salt = Base64.getDecoder().decode(k.get("salt").getAsString());
      byte[] nonce = Base64.getDecoder().decode(c.get("nonce").getAsString());
      if (salt.length != 16 || nonce.length != 12) {
        throw corrupt("salt or nonce has the wrong length");
      }
      byte[] ct = Base64.getDecoder().decode(o.get("ciphertext").getAsString());
      JsonObject header = o.deepCopy();
      header.remove("ciphertext");
      byte[] key = Keystore.deriveKey(password, salt, kdf);
      byte[] plain;
      try {
        plain = Keystore.gcm(false, key, nonce, CanonicalJson.toBytes(header), ct);
      } catch (InvalidCipherTextException e) {
        throw new KeystoreException(KeystoreException.Code.WRONG_PASSWORD_OR_DAMAGED,
            "wrong password, or the key share file was altered (authentication failed)");
      } finally {
        Arrays.fill(key, (byte) 0);
      }
      try {
        KeyShare share = KeyShare.fromBytes(plain, pk);
        if (share.member() != o.get("member").getAsInt()) {
          throw corrupt("the decrypted share is not the header's member");
        }
        return share;
      } catch (CryptoException e) {
        throw corrupt("the share does not belong to this committee key: " + e.getMessage());
      } finally {
        Arrays.fill(plain, (byte) 0);
      }
    } catch (ClassCastException | UnsupportedOperationException | IllegalArgumentException | NullPointerException e) {
      throw corrupt("malformed key share file: " + e.getMessage());
    }
  }

  private static KeystoreException corrupt(String why) {
    return new KeystoreException(KeystoreException.Code.CORRUPT, why);
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
