package org.medledger.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.Role;

/**
 * One-line errors name the real cause and the option at fault, in the CLI's words rather than a
 * library's or Java's (issue 16, items 5 and 6); and such a refusal writes nothing (no ledger).
 */
class ErrorMessagesTest {
  @TempDir
  Path dir;

  /** The one error line, after checking the exit code, the code and that it is the only line. */
  static String fails(CliRunner.Run r, int exit, String code) {
    assertEquals(exit, r.exit(), r.toString());
    assertEquals(1, r.errLines().size(), r.toString());
    String line = r.errLines().get(0);
    assertTrue(line.startsWith("medledger: error: " + code + ": "), r.toString());
    return line;
  }

  private CliRunner cli;

  @BeforeEach
  void runner() {
    cli = new CliRunner(dir);
  }

  /** {@code medledger args…} fails with one error line ({@link #fails}), and no ledger was created. */
  private String refused(int exit, String code, String... args) {
    String line = fails(cli.run(args), exit, code);
    assertFalse(Files.exists(dir.resolve("ledger")), "no ledger was created");
    return line;
  }

  @Test
  void aZeroFeeBlamesFee() {
    String line = refused(2, "USAGE", "claims", "file", "--account", "hosp", "--record", "rec-1", "--insurer", "ins", "--fee", "0");
    assertTrue(line.contains("--fee must be a positive whole number"), line);
    assertFalse(line.contains("--amount"), line);
  }

  @Test
  void aMistypedOptionIsNamedAsUnknown() {
    String line = refused(2, "USAGE", "pay", "--form", "alice", "--to", "hosp", "--amount", "5");
    assertTrue(line.contains("Unknown option: '--form'"), line);
    assertFalse(line.contains("Missing required option"), line);
  }

  @Test
  void aWrongRoleIsSaidInEnglish() throws Exception {
    cli.keystore("insurer", Role.INSURER, TestKeys.key2048b());
    cli.keystore("hosp", Role.HOSPITAL, TestKeys.key2048a());
    String line = refused(6, "WRONG_ROLE", "pay", "--from", "insurer", "--to", "hosp", "--amount", "5");
    assertEquals("medledger: error: WRONG_ROLE: pay is done by a patient account; 'insurer' is an insurer account", line);
  }

  /** Rewrites the Argon2id cost a keystore asks for (the check comes before any decryption). */
  private static void setKdf(Path keystore, int memoryKiB, int iterations) throws Exception {
    JsonObject o = CanonicalJson.parseObject(Files.readString(keystore).strip());
    o.getAsJsonObject("kdf").addProperty("memoryKiB", memoryKiB);
    o.getAsJsonObject("kdf").addProperty("iterations", iterations);
    Files.writeString(keystore, CanonicalJson.toString(o) + "\n");
  }

  @Test
  void aKeystoreAskingForTooMuchWorkIsNotCalledWeak() throws Exception {
    cli.keystore("alice", Role.PATIENT, TestKeys.key2048b());
    Path ks = dir.resolve("accounts").resolve("alice.keystore");
    setKdf(ks, 19 * 1024, 1_000);
    String line = refused(5, "KDF_COST_TOO_HIGH", "balance", "--account", "alice");
    assertTrue(line.contains("keystore " + ks + " asks for more key-derivation work than this build allows"), line);
    assertFalse(line.contains("below") || line.contains("KdfParams"), line);

    setKdf(ks, 1024, 1);
    line = refused(5, "WEAK_PARAMETERS", "balance", "--account", "alice");
    assertTrue(line.contains("keystore " + ks + " asks for less key-derivation work than the minimum"), line);
    assertFalse(line.contains("KdfParams"), line);
  }

  @Test
  void aMalformedNumberNamesTheOptionAndWhatItTakes() {
    String line = refused(2, "USAGE", "pay", "--from", "alice", "--to", "hosp", "--amount", "12abc");
    assertTrue(line.contains("--amount takes a whole number, got '12abc'"), line);
    assertFalse(line.contains("is not a long"), line);
  }

  @Test
  void aTruncatedKeystoreIsSaidToBeOne() throws Exception {
    cli.keystore("alice", Role.PATIENT, TestKeys.key2048b());
    Path ks = dir.resolve("accounts").resolve("alice.keystore");
    byte[] whole = Files.readAllBytes(ks);
    Files.write(ks, java.util.Arrays.copyOf(whole, whole.length / 2));
    String line = refused(5, "CORRUPT", "balance", "--account", "alice");
    assertEquals("medledger: error: CORRUPT: keystore " + ks + " is truncated or not a MedLedger keystore", line);
  }

  @Test
  void aMissingFileIsSaidToBeMissing() throws Exception {
    cli.keystore("hosp", Role.HOSPITAL, TestKeys.key2048a());
    cli.keystore("alice", Role.PATIENT, TestKeys.key2048b());
    Path nope = dir.resolve("nope.json");
    String line = refused(2, "USAGE", "records", "write", "--account", "hosp", "--patient", "alice", "--type", "visit", "--file",
        nope.toString());
    assertEquals("medledger: error: USAGE: cannot read --file " + nope + ": no such file", line);
  }

  @Test
  void anEmptyPasswordFileIsNotAWrongPassword() throws Exception {
    cli.keystore("alice", Role.PATIENT, TestKeys.key2048b());
    Path empty = Files.createFile(dir.resolve("password.txt"));
    String line = refused(5, "PASSWORD_FILE", "--password-file", empty.toString(), "balance", "--account", "alice");
    assertEquals("medledger: error: PASSWORD_FILE: the password file " + empty + " is empty (its first line is the password)",
        line);
  }
}
