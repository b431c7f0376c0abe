package org.medledger.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.protocol.Role;
import org.medledger.crypto.testing.TestKeys;

/**
 * The embedded ledger's files as the command sees them: read-only commands create no ledger, a
 * damaged block log is one line with its own exit code, a torn tail is recovered with a warning, a
 * format-1 ledger is migrated on request, and a missing account names the ledger that was asked.
 */
class LedgerFilesTest {
  @TempDir
  Path dir;

  private static CliRunner.Run ok(CliRunner.Run r) {
    assertEquals(0, r.exit(), r.toString());
    return r;
  }

  private static CliRunner.Run fails(CliRunner.Run r, int exit, String code) {
    assertEquals(exit, r.exit(), r.toString());
    assertEquals(1, r.errLines().size(), r.toString());
    assertTrue(r.errLines().get(0).startsWith("medledger: error: " + code + ": "), r.toString());
    return r;
  }

  private Path log() {
    return dir.resolve("ledger").resolve("blocks.jsonl");
  }

  /** A configured ledger with a regulator and an insurer holding 100. */
  private CliRunner ledger() throws Exception {
    CliRunner cli = new CliRunner(dir);
    cli.keystore("reg", Role.REGULATOR, TestKeys.key2048c());
    cli.keystore("ins", Role.INSURER, TestKeys.key2048b());
    // records:setup before the insurer registers: its Π^fac proof is made against these parameters.
    cli.configureChannel("reg");
    ok(cli.run("accounts", "register", "--account", "ins"));
    ok(cli.run("issue", "--from", "reg", "--to", "ins", "--amount", "100"));
    return cli;
  }

  @Test
  void readOnlyCommandsCreateNoLedger() throws Exception {
    CliRunner cli = new CliRunner(dir);
    cli.keystore("ins", Role.INSURER, TestKeys.key2048b());
    cli.keystore("reg", Role.REGULATOR, TestKeys.key2048c()); // audit and trail refuse an insurer before any ledger
    Path typo = dir.resolve("typo-dir");
    List<String[]> commands = List.of(
        new String[] {"accounts", "show", "ins"},
        new String[] {"balance", "--account", "ins"},
        new String[] {"history", "--account", "ins"},
        new String[] {"audit", "--account", "reg"},
        new String[] {"claims", "list", "--account", "ins"},
        new String[] {"records", "list", "--account", "ins"},
        new String[] {"records", "grants", "--account", "ins"},
        new String[] {"records", "trail", "--account", "reg"});
    for (String[] c : commands) {
      List<String> args = new ArrayList<>(List.of(c));
      args.addAll(List.of("--ledger-dir", typo.toString()));
      CliRunner.Run r = fails(cli.run(args.toArray(String[]::new)), 4, "NO_LEDGER");
      assertTrue(r.err().contains(typo.toString()), r.toString());
      assertFalse(Files.exists(typo), String.join(" ", c));
      // The default ledger of a new home is not created either.
      fails(cli.run(c), 4, "NO_LEDGER");
      assertFalse(Files.exists(dir.resolve("ledger")), String.join(" ", c));
    }
  }

  @Test
  void aMissingAccountNamesTheLedgerThatWasAsked() throws Exception {
    CliRunner cli = ledger();
    CliRunner.Run r = fails(cli.run("accounts", "show", "acct-00000000000000000000000000000000"), 3, "UNKNOWN_ACCOUNT");
    assertTrue(r.err().contains("embedded ledger in " + dir.resolve("ledger")), r.toString());
  }

  @Test
  void aDamagedBlockLogIsOneLineWithItsOwnExitCode() throws Exception {
    CliRunner cli = ledger();
    List<String> lines = new ArrayList<>(Files.readAllLines(log(), UTF_8));
    String line = lines.get(2); // block 1
    int at = line.indexOf("\"timestamp\":\"") + 14;
    lines.set(2, line.substring(0, at) + (line.charAt(at) == '1' ? '2' : '1') + line.substring(at + 1));
    Files.writeString(log(), String.join("\n", lines) + "\n", UTF_8);
    byte[] damaged = Files.readAllBytes(log());
    for (String[] c : List.of(new String[] {"balance", "--account", "ins"},
        new String[] {"issue", "--from", "reg", "--to", "ins", "--amount", "1"})) {
      CliRunner.Run r = fails(cli.run(c), 7, "LEDGER_CORRUPT");
      assertTrue(r.err().contains(log().toString()) && r.err().contains("block 1"), r.toString());
    }
    CliRunner.Run json = cli.run("--json", "balance", "--account", "ins");
    assertEquals(7, json.json().getAsJsonObject("error").get("exitCode").getAsInt());
    assertArrayEquals(damaged, Files.readAllBytes(log()));
  }

  @Test
  void aTornTailIsReportedAndOnlyAWritingCommandCutsItOff() throws Exception {
    CliRunner cli = ledger();
    byte[] sound = Files.readAllBytes(log());
    List<String> lines = Files.readAllLines(log(), UTF_8);
    String last = lines.get(lines.size() - 1);
    Files.writeString(log(), last.substring(0, 100), UTF_8, StandardOpenOption.APPEND);
    byte[] torn = Files.readAllBytes(log());
    FileTime old = FileTime.from(Instant.parse("2025-01-01T00:00:00Z"));
    Files.setLastModifiedTime(log(), old);

    CliRunner.Run r = ok(cli.run("balance", "--account", "ins"));
    assertTrue(r.out().contains("100"), r.toString());
    assertEquals(1, r.errLines().size(), r.toString());
    assertTrue(r.errLines().get(0).startsWith("medledger: warning: ") && r.err().contains("100 bytes")
        && r.err().contains("left in place"), r.toString());
    assertArrayEquals(torn, Files.readAllBytes(log()));
    assertEquals(old, Files.getLastModifiedTime(log()));

    r = ok(cli.run("issue", "--from", "reg", "--to", "ins", "--amount", "5"));
    assertTrue(r.err().startsWith("medledger: warning: ") && r.err().contains("cut off"), r.toString());
    byte[] after = Files.readAllBytes(log());
    assertArrayEquals(sound, java.util.Arrays.copyOf(after, sound.length));
    r = ok(cli.run("balance", "--account", "ins"));
    assertEquals("", r.err(), r.toString());
    assertTrue(r.out().contains("105"), r.toString());
  }

  @Test
  void aFormatOneLedgerIsRefusedUntilMigrated() throws Exception {
    CliRunner cli = ledger();
    // Make it the ledger an older medledger wrote: bare block lines, format 1, no head.
    List<String> v1 = new ArrayList<>();
    for (String line : Files.readAllLines(log(), UTF_8).subList(1, Files.readAllLines(log(), UTF_8).size())) {
      v1.add(line.substring(line.indexOf(",\"block\":") + 9, line.length() - 1));
    }
    Files.writeString(log(), String.join("\n", v1) + "\n", UTF_8);
    Files.writeString(dir.resolve("ledger").resolve("ledger.json"), "{\"format\":1,\"channel\":\"medchannel\"}", UTF_8);
    Files.delete(dir.resolve("ledger").resolve("ledger.head"));

    CliRunner.Run r = fails(cli.run("balance", "--account", "ins"), 7, "LEDGER_FORMAT");
    assertTrue(r.err().contains("medledger ledger migrate"), r.toString());
    r = ok(cli.run("ledger", "migrate"));
    assertTrue(r.out().contains("migrated " + v1.size() + " blocks"), r.toString());
    assertTrue(ok(cli.run("balance", "--account", "ins")).out().contains("100"));
    fails(cli.run("ledger", "migrate"), 7, "LEDGER_FORMAT");
    fails(cli.run("ledger", "migrate", "--ledger-dir", dir.resolve("nowhere").toString()), 4, "NO_LEDGER");
  }
}
