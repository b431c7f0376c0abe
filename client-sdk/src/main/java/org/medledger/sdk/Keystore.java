package org.medledger.sdk;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.Role;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.SecretAccess;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.paillier.PaillierSecretKey;

/**
 * The password-protected keystore of one account (docs/client-sdk.md §2): Argon2id derives a
 * 256-bit key from the password, AES-256-GCM encrypts the secrets, and everything else in the file
 * (format, version, account, public keys, KDF and cipher parameters) is authenticated as
 * associated data. Files are written atomically with owner-only permissions.
 */
public final class Keystore {
  static final String FORMAT = "medledger-keystore";
  static final int VERSION = 1;
  private static final int SALT_BYTES = 16;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int MAX_FILE_BYTES = 64 * 1024;

  /** Argon2id cost parameters. */
  public record KdfParams(int memoryKiB, int iterations, int parallelism) {
    /** The default for new keystores: 64 MiB, 3 passes, 1 lane. */
    public static final KdfParams DEFAULT = new KdfParams(64 * 1024, 3, 1);
    /** The least a keystore may ask for when read (OWASP's Argon2id minimum: 19 MiB, 2 passes). */
    public static final KdfParams MINIMUM = new KdfParams(19 * 1024, 2, 1);

    boolean atLeast(KdfParams min) {
      return memoryKiB >= min.memoryKiB && iterations >= min.iterations && parallelism >= 1 && parallelism <= 16
          && memoryKiB <= 4 * 1024 * 1024 && iterations <= 64;
    }
  }

  private Keystore() {}

  /** Encrypts {@code secrets} under {@code password} with the default KDF cost and writes {@code file}. */
  public static void write(Path file, AccountSecrets secrets, char[] password, SecureRandom rnd) throws KeystoreException {
    write(file, secrets, password, KdfParams.DEFAULT, rnd);
  }

  public static void write(Path file, AccountSecrets secrets, char[] password, KdfParams kdf, SecureRandom rnd)
      throws KeystoreException {
    if (!kdf.atLeast(KdfParams.MINIMUM)) {
      throw new KeystoreException(KeystoreException.Code.WEAK_PARAMETERS, "KDF parameters below the minimum " + KdfParams.MINIMUM);
    }
    byte[] salt = new byte[SALT_BYTES];
    byte[] nonce = new byte[NONCE_BYTES];
    rnd.nextBytes(salt);
    rnd.nextBytes(nonce);
    JsonObject header = header(secrets, kdf, salt, nonce);
    JsonObject inner = new JsonObject();
    byte[] sk = secrets.paillier().toBytes(SecretAccess.explicit());
    byte[] seed = secrets.signingSeed(SecretAccess.explicit());
    inner.addProperty("paillierSecretKey", b64(sk));
    inner.addProperty("signingSeed", b64(seed));
    byte[] plain = CanonicalJson.toBytes(inner);
    byte[] key = deriveKey(password, salt, kdf);
    byte[] ct;
    try {
      ct = gcm(true, key, nonce, CanonicalJson.toBytes(header), plain);
    } catch (InvalidCipherTextException impossible) {
      throw new IllegalStateException("AES-GCM encryption cannot fail authentication", impossible);
    } finally {
      Arrays.fill(key, (byte) 0);
      Arrays.fill(plain, (byte) 0);
      Arrays.fill(sk, (byte) 0);
      Arrays.fill(seed, (byte) 0);
    }
    JsonObject out = header.deepCopy();
    out.addProperty("ciphertext", b64(ct));
    writeAtomically(file, (CanonicalJson.toString(out) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Reads and decrypts {@code file}; every failure is a {@link KeystoreException} with a clear code. */
  public static AccountSecrets read(Path file, char[] password) throws KeystoreException {
    return read(file, password, KdfParams.MINIMUM);
  }

  /**
   * The public part of a keystore file: its account id, role and Paillier modulus size, read
   * without the password. It is not authenticated until {@link #read} succeeds, so use it to list
   * and address accounts, never to trust them.
   */
  public record PublicPart(String account, Role role, int paillierBits) {}

  /** Reads the public part of {@code file} without decrypting anything. */
  public static PublicPart publicPart(Path file) throws KeystoreException {
    JsonObject o = parse(file);
    try {
      int bits = PaillierPublicKey.fromBytes(bytes(o, "paillierPublicKey", -1)).bits();
      return new PublicPart(str(o, "account"), Role.valueOf(str(o, "role")), bits);
    } catch (IllegalArgumentException | CryptoException e) {
      throw corrupt("malformed public part: " + e.getMessage());
    }
  }

  private static JsonObject parse(Path file) throws KeystoreException {
    byte[] raw;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new KeystoreException(KeystoreException.Code.CORRUPT, file + " is too large to be a keystore");
      }
      raw = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new KeystoreException(KeystoreException.Code.IO, "cannot read " + file + ": " + e.getMessage(), e);
    }
    JsonObject o;
    try {
      o = CanonicalJson.parseObject(new String(raw, StandardCharsets.UTF_8).strip());
    } catch (IllegalArgumentException e) {
      throw corrupt("not a JSON keystore (" + e.getMessage() + ")");
    }
    if (!Set.of("format", "version", "account", "role", "paillierPublicKey", "signingPublicKey", "kdf", "cipher", "ciphertext")
        .equals(o.keySet())) {
      throw corrupt("unexpected or missing members");
    }
    if (!FORMAT.equals(str(o, "format"))) {
      throw new KeystoreException(KeystoreException.Code.UNSUPPORTED, "not a " + FORMAT + " file");
    }
    if (integer(o, "version") != VERSION) {
      throw new KeystoreException(KeystoreException.Code.UNSUPPORTED, "keystore version " + o.get("version") + " is not supported");
    }
    return o;
  }

  static AccountSecrets read(Path file, char[] password, KdfParams minimum) throws KeystoreException {
    JsonObject o = parse(file);
    JsonObject kdfJson = obj(o, "kdf");
    JsonObject cipherJson = obj(o, "cipher");
    if (!"argon2id".equals(str(kdfJson, "name")) || !"AES-256-GCM".equals(str(cipherJson, "name"))) {
      throw new KeystoreException(KeystoreException.Code.UNSUPPORTED, "only argon2id and AES-256-GCM are supported");
    }
    KdfParams kdf = new KdfParams(integer(kdfJson, "memoryKiB"), integer(kdfJson, "iterations"), integer(kdfJson, "parallelism"));
    if (!kdf.atLeast(minimum)) {
      throw new KeystoreException(KeystoreException.Code.WEAK_PARAMETERS,
          "the file asks for " + kdf + ", below the minimum " + minimum + "; refusing a possible downgrade");
    }
    byte[] salt = bytes(kdfJson, "salt", SALT_BYTES);
    byte[] nonce = bytes(cipherJson, "nonce", NONCE_BYTES);
    byte[] ct = bytes(o, "ciphertext", -1);
    JsonObject header = o.deepCopy();
    header.remove("ciphertext");
    byte[] key = deriveKey(password, salt, kdf);
    byte[] plain;
    try {
      plain = gcm(false, key, nonce, CanonicalJson.toBytes(header), ct);
    } catch (InvalidCipherTextException e) {
      throw new KeystoreException(KeystoreException.Code.WRONG_PASSWORD_OR_DAMAGED,
          "wrong password, or the keystore was altered (authentication failed)");
    } finally {
      Arrays.fill(key, (byte) 0);
    }
    try {
      JsonObject inner = CanonicalJson.parseObject(new String(plain, StandardCharsets.UTF_8));
      byte[] seed = bytes(inner, "signingSeed", 32);
      byte[] skBytes = bytes(inner, "paillierSecretKey", -1);
      PaillierSecretKey sk;
      try {
        sk = PaillierSecretKey.fromBytes(skBytes);
      } finally {
        Arrays.fill(skBytes, (byte) 0);
      }
      Role role = Role.valueOf(str(o, "role"));
      AccountSecrets secrets = new AccountSecrets(role, seed, sk);
      Arrays.fill(seed, (byte) 0);
      if (!secrets.accountId().equals(str(o, "account"))
          || !Arrays.equals(sk.publicKey().toBytes(), bytes(o, "paillierPublicKey", -1))
          || !Arrays.equals(secrets.signingPublicKey(), bytes(o, "signingPublicKey", 32))) {
        throw corrupt("the decrypted secrets do not match the keystore's public part");
      }
      return secrets;
    } catch (IllegalArgumentException | CryptoException e) {
      throw corrupt("decrypted content is malformed: " + e.getMessage());
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  private static JsonObject header(AccountSecrets s, KdfParams kdf, byte[] salt, byte[] nonce) {
    JsonObject h = new JsonObject();
    h.addProperty("format", FORMAT);
    h.addProperty("version", VERSION);
    h.addProperty("account", s.accountId());
    h.addProperty("role", s.role().name());
    h.addProperty("paillierPublicKey", b64(s.paillier().publicKey().toBytes()));
    h.addProperty("signingPublicKey", b64(s.signingPublicKey()));
    JsonObject k = new JsonObject();
    k.addProperty("name", "argon2id");
    k.addProperty("memoryKiB", kdf.memoryKiB());
    k.addProperty("iterations", kdf.iterations());
    k.addProperty("parallelism", kdf.parallelism());
    k.addProperty("salt", b64(salt));
    h.add("kdf", k);
    JsonObject c = new JsonObject();
    c.addProperty("name", "AES-256-GCM");
    c.addProperty("nonce", b64(nonce));
    h.add("cipher", c);
    return h;
  }

  static byte[] deriveKey(char[] password, byte[] salt, KdfParams kdf) {
    Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(kdf.memoryKiB())
        .withIterations(kdf.iterations())
        .withParallelism(kdf.parallelism())
        .withSalt(salt)
        .build();
    Argon2BytesGenerator gen = new Argon2BytesGenerator();
    gen.init(params);
    byte[] key = new byte[32];
    gen.generateBytes(password, key);
    return key;
  }

  static byte[] gcm(boolean encrypt, byte[] key, byte[] nonce, byte[] aad, byte[] in)
      throws InvalidCipherTextException {
    GCMModeCipher c = GCMBlockCipher.newInstance(AESEngine.newInstance());
    c.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_BITS, nonce, aad));
    byte[] out = new byte[c.getOutputSize(in.length)];
    int n = c.processBytes(in, 0, in.length, out, 0);
    n += c.doFinal(out, n);
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  static void writeAtomically(Path file, byte[] content) throws KeystoreException {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".keystore-", ".tmp");
      try {
        try {
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
          // Non-POSIX file systems keep their default permissions.
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
          ch.write(java.nio.ByteBuffer.wrap(content));
          ch.force(true);
        }
        try {
          Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new KeystoreException(KeystoreException.Code.IO, "cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static KeystoreException corrupt(String why) {
    return new KeystoreException(KeystoreException.Code.CORRUPT, why);
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  private static String str(JsonObject o, String name) throws KeystoreException {
    if (!o.has(name) || !o.get(name).isJsonPrimitive() || !o.get(name).getAsJsonPrimitive().isString()) {
      throw corrupt(name + " must be a string");
    }
    return o.get(name).getAsString();
  }

  private static int integer(JsonObject o, String name) throws KeystoreException {
    if (!o.has(name) || !o.get(name).isJsonPrimitive() || !o.get(name).getAsJsonPrimitive().isNumber()) {
      throw corrupt(name + " must be a number");
    }
    try {
      return o.get(name).getAsBigDecimal().intValueExact();
    } catch (ArithmeticException e) {
      throw corrupt(name + " must be an integer");
    }
  }

  private static JsonObject obj(JsonObject o, String name) throws KeystoreException {
    if (!o.has(name) || !o.get(name).isJsonObject()) {
      throw corrupt(name + " must be an object");
    }
    return o.getAsJsonObject(name);
  }

  private static byte[] bytes(JsonObject o, String name, int exactLength) throws KeystoreException {
    String s = str(o, name);
    byte[] b;
    try {
      b = Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw corrupt(name + " is not base64");
    }
    if (exactLength >= 0 && b.length != exactLength) {
      throw corrupt(name + " must have " + exactLength + " bytes");
    }
    return b;
  }
}
