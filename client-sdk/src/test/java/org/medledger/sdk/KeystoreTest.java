package org.medledger.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.crypto.SecretAccess;
import org.medledger.protocol.Role;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.testing.TestKeys;

/** The keystore: round trip, wrong password, damage anywhere, downgrade, permissions, redaction. */
class KeystoreTest {
  private static final SecureRandom RND = new SecureRandom();
  private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
  /** The minimum cost keeps the suite fast; the default is exercised once. */
  private static final Keystore.KdfParams FAST = Keystore.KdfParams.MINIMUM;
  private static byte[] seed;
  @TempDir
  Path dir;

  @BeforeAll
  static void seed() {
    seed = new byte[32];
    RND.nextBytes(seed);
  }

  private AccountSecrets secrets() {
    return new AccountSecrets(Role.PATIENT, seed, PaillierSecretKey.fromBytes(TestKeys.key2048a().toBytes(SecretAccess.explicit())));
  }

  private Path written() throws KeystoreException {
    Path f = dir.resolve("alice.keystore");
    Keystore.write(f, secrets(), PASSWORD, FAST, RND);
    return f;
  }

  @Test
  void thePublicPartIsReadWithoutThePasswordAndCheckedLikeTheRest() throws Exception {
    Path f = written();
    Keystore.PublicPart p = Keystore.publicPart(f);
    assertEquals(secrets().accountId(), p.account());
    assertEquals(Role.PATIENT, p.role());
    assertEquals(2048, p.paillierBits());
    Files.writeString(f, Files.readString(f).replace("\"format\":\"medledger-keystore\"", "\"format\":\"other\""));
    assertEquals(KeystoreException.Code.UNSUPPORTED, assertThrows(KeystoreException.class, () -> Keystore.publicPart(f)).code());
    Files.writeString(f, "{}");
    assertEquals(KeystoreException.Code.CORRUPT, assertThrows(KeystoreException.class, () -> Keystore.publicPart(f)).code());
    assertEquals(KeystoreException.Code.IO,
        assertThrows(KeystoreException.class, () -> Keystore.publicPart(dir.resolve("missing"))).code());
  }

  @Test
  void roundTripsWithTheDefaultCost() throws Exception {
    Path f = dir.resolve("default.keystore");
    AccountSecrets s = secrets();
    Keystore.write(f, s, PASSWORD, RND);
    AccountSecrets back = Keystore.read(f, PASSWORD);
    assertEquals(s.accountId(), back.accountId());
    assertEquals(Role.PATIENT, back.role());
    assertArrayEquals(s.signingKey(SecretAccess.explicit()).getEncoded(),
        back.signingKey(SecretAccess.explicit()).getEncoded());
    BigInteger m = BigInteger.valueOf(4242);
    assertEquals(m, back.paillier().decrypt(s.paillier().publicKey().encrypt(m, RND)));
    String text = Files.readString(f);
    assertTrue(text.contains("\"memoryKiB\":65536"), text);
    assertFalse(text.contains(s.paillier().p(SecretAccess.explicit()).toString(16)), "no secret in clear");
    if (Files.getFileStore(f).supportsFileAttributeView("posix")) {
      assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(f));
    }
  }

  @Test
  void wrongPasswordIsAClearError() throws Exception {
    Path f = written();
    KeystoreException e = assertThrows(KeystoreException.class, () -> Keystore.read(f, "wrong".toCharArray()));
    assertEquals(KeystoreException.Code.WRONG_PASSWORD_OR_DAMAGED, e.code());
    assertTrue(e.getMessage().contains("wrong password"), e.getMessage());
  }

  @Test
  void everyAlteredCharacterIsRefused() throws Exception {
    Path f = written();
    String text = Files.readString(f).strip();
    int refused = 0;
    // every 7th character plus the last 40, to keep the Argon2 runs bounded
    for (int i = 0; i < text.length(); i++) {
      if (i % 7 != 0 && i < text.length() - 40) {
        continue;
      }
      char c = text.charAt(i);
      char d = c == 'A' ? 'B' : (c == '"' || c == ':' || c == ',' || c == '{' || c == '}' ? ' ' : 'A');
      Files.writeString(f, text.substring(0, i) + d + text.substring(i + 1));
      try {
        Keystore.read(f, PASSWORD, FAST);
        // a change that is only whitespace around structure may still parse to the same content
        assertTrue(d == ' ', "altered character " + i + " was accepted");
      } catch (KeystoreException expected) {
        refused++;
      }
    }
    assertTrue(refused > 20);
  }

  @Test
  void headerTamperingBreaksAuthentication() throws Exception {
    Path f = written();
    String text = Files.readString(f);
    Files.writeString(f, text.replace("\"role\":\"PATIENT\"", "\"role\":\"HOSPITAL\""));
    assertEquals(KeystoreException.Code.WRONG_PASSWORD_OR_DAMAGED,
        assertThrows(KeystoreException.class, () -> Keystore.read(f, PASSWORD, FAST)).code());
  }

  @Test
  void downgradedKdfParametersAreRefusedBeforeAnyDerivation() throws Exception {
    Path f = written();
    String text = Files.readString(f);
    Files.writeString(f, text.replace("\"memoryKiB\":19456", "\"memoryKiB\":8"));
    assertEquals(KeystoreException.Code.WEAK_PARAMETERS,
        assertThrows(KeystoreException.class, () -> Keystore.read(f, PASSWORD)).code());
    assertEquals(KeystoreException.Code.WEAK_PARAMETERS, assertThrows(KeystoreException.class,
        () -> Keystore.write(dir.resolve("weak"), secrets(), PASSWORD, new Keystore.KdfParams(1024, 1, 1), RND)).code());
  }

  @Test
  void corruptUnsupportedAndMissingFiles() throws Exception {
    Path f = written();
    String text = Files.readString(f);
    Files.writeString(f, text.substring(0, text.length() / 2));
    assertEquals(KeystoreException.Code.CORRUPT, assertThrows(KeystoreException.class, () -> Keystore.read(f, PASSWORD)).code());
    Files.writeString(f, text.replace("\"version\":1", "\"version\":2"));
    assertEquals(KeystoreException.Code.UNSUPPORTED, assertThrows(KeystoreException.class, () -> Keystore.read(f, PASSWORD)).code());
    Files.writeString(f, "{}");
    assertEquals(KeystoreException.Code.CORRUPT, assertThrows(KeystoreException.class, () -> Keystore.read(f, PASSWORD)).code());
    Files.write(f, new byte[100_000]);
    assertEquals(KeystoreException.Code.CORRUPT, assertThrows(KeystoreException.class, () -> Keystore.read(f, PASSWORD)).code());
    assertEquals(KeystoreException.Code.IO,
        assertThrows(KeystoreException.class, () -> Keystore.read(dir.resolve("missing"), PASSWORD)).code());
  }

  @Test
  void secretsAreRedactedAndDestroyable() {
    AccountSecrets s = secrets();
    String shown = s.toString();
    assertFalse(shown.contains(s.paillier().p(SecretAccess.explicit()).toString()));
    assertTrue(shown.contains(s.accountId()));
    byte[] pub = s.signingKey(SecretAccess.explicit()).generatePublicKey().getEncoded();
    assertArrayEquals(pub, s.signingPublicKey());
    assertThrows(NullPointerException.class, () -> s.signingKey(null), "no read without the token");
    s.destroy();
    assertTrue(s.isDestroyed());
    assertThrows(IllegalStateException.class, () -> s.signingKey(SecretAccess.explicit()));
    assertArrayEquals(pub, s.signingPublicKey(), "the public key outlives the secrets");
  }
}
