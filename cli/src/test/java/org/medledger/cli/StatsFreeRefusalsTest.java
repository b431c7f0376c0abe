package org.medledger.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.crypto.stats.IcdChapter;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.protocol.Role;

/**
 * The stats commands and records write's contribution options refuse a bad argument or a wrong role
 * at once: before a keystore is unlocked (there is no password here) and before a ledger is opened.
 */
class StatsFreeRefusalsTest {
  @TempDir
  Path dir;

  private CliRunner cli() throws Exception {
    CliRunner cli = new CliRunner(dir);
    cli.variables.remove("MEDLEDGER_PASSWORD");
    cli.keystore("alice", Role.PATIENT, TestKeys.key3072());
    cli.keystore("hosp", Role.HOSPITAL, TestKeys.key2048a());
    return cli;
  }

  private void noLedger() {
    assertFalse(Files.exists(dir.resolve("ledger")), "no ledger was created");
  }

  @Test
  void badBucketsMonthsAndOptionsAreUsageErrors() throws Exception {
    CliRunner cli = cli();
    String line = ErrorMessagesTest.fails(cli.run("stats", "open", "--account", "hosp", "2026-11.pay.hosp"), 2, "USAGE");
    assertTrue(line.contains("<bucket> takes a bucket id") && line.contains("'2026-11.pay.hosp'"), line);
    ErrorMessagesTest.fails(cli.run("stats", "show", "2026-13.PAY.hosp"), 2, "USAGE");
    ErrorMessagesTest.fails(cli.run("stats", "show", "2026-11.*.hosp"), 2, "USAGE");
    ErrorMessagesTest.fails(cli.run("stats", "publish", "2026-11.PAY.hosp,2026-11.PAY.x"), 2, "USAGE");
    ErrorMessagesTest.fails(cli.run("stats", "show", "2026-11.PAY.nobody"), 6, "UNKNOWN_ACCOUNT_NAME");
    assertTrue(ErrorMessagesTest.fails(cli.run("stats", "buckets", "--month", "2026-1"), 2, "USAGE").contains("yyyy-MM"));
    ErrorMessagesTest.fails(cli.run("stats", "show", "--month", "2026-00"), 2, "USAGE");
    ErrorMessagesTest.fails(cli.run("stats", "buckets", "--page-size", "0"), 2, "USAGE");
    ErrorMessagesTest.fails(cli.run("stats", "buckets", "--page-size", "101"), 2, "USAGE");
    ErrorMessagesTest.fails(cli.run("stats", "show", "2026-11.PAY.hosp", "--month", "2026-11"), 2, "USAGE");
    ErrorMessagesTest.fails(cli.run("stats", "show", "--chart", "visits"), 2, "USAGE");
    ErrorMessagesTest.fails(cli.run("stats", "show", "--png", dir.resolve("x.png").toString(), "--width", "100"), 2, "USAGE");
    ErrorMessagesTest.fails(cli.run("stats", "show", "--png", dir.resolve("x.png").toString(), "--chart", "pie"), 2, "USAGE");
    ErrorMessagesTest.fails(cli.run("stats", "open", "--account", "hosp", "--reason", "", "2026-11.PAY.hosp"), 2, "USAGE");
    ErrorMessagesTest.fails(cli.run("stats"), 2, "USAGE");
    assertFalse(Files.exists(dir.resolve("x.png")));
    noLedger();
  }

  @Test
  void openingIsForCommitteeMembersOnly() throws Exception {
    CliRunner cli = cli();
    assertEquals("medledger: error: WRONG_ROLE: stats open is done by a committee_member account; 'hosp' is a hospital account",
        ErrorMessagesTest.fails(cli.run("stats", "open", "--account", "hosp", "2026-11.PAY.hosp"), 6, "WRONG_ROLE"));
    noLedger();
  }

  @Test
  void aContributionNeedsAChapterAnAgeAndATable1Record() throws Exception {
    CliRunner cli = cli();
    String[] write = {"records", "write", "--account", "hosp", "--patient", "alice", "--type", "visit"};
    ErrorMessagesTest.fails(cli.run(concat(write, "--synthetic", "--stats-chapter", "IX")), 2, "USAGE");
    ErrorMessagesTest.fails(cli.run(concat(write, "--synthetic", "--stats-age", "40")), 2, "USAGE");
    assertTrue(ErrorMessagesTest.fails(cli.run(concat(write, "--synthetic", "--stats-chapter", "XXIII", "--stats-age", "40")), 2,
        "USAGE").contains("ICD-10 chapter"));
    ErrorMessagesTest.fails(cli.run(concat(write, "--synthetic", "--stats-chapter", "IX", "--stats-age", "151")), 2, "USAGE");
    ErrorMessagesTest.fails(cli.run(concat(write, "--synthetic", "--stats-chapter", "IX", "--stats-age", "-1")), 2, "USAGE");
    Path opaque = dir.resolve("note.txt");
    Files.writeString(opaque, "not a record");
    assertTrue(ErrorMessagesTest.fails(cli.run(concat(write, "--file", opaque.toString(), "--opaque", "--stats-chapter", "IX",
        "--stats-age", "40")), 2, "USAGE").contains("Table 1"));
    noLedger();
  }

  @Test
  void aChapterIsNamedByItsNumeralOrByACodeItCovers() throws Exception {
    assertEquals(IcdChapter.IX, StatsVisitOptions.chapter("IX"));
    assertEquals(IcdChapter.IX, StatsVisitOptions.chapter("ix"));
    assertEquals(IcdChapter.IX, StatsVisitOptions.chapter("I21"));
    assertEquals(IcdChapter.IX, StatsVisitOptions.chapter("I21.9"));
    assertEquals(IcdChapter.I, StatsVisitOptions.chapter("A00"));
    assertEquals(IcdChapter.I, StatsVisitOptions.chapter("B99"));
    assertEquals(IcdChapter.II, StatsVisitOptions.chapter("D48"));
    assertEquals(IcdChapter.III, StatsVisitOptions.chapter("D50"));
    assertEquals(IcdChapter.VII, StatsVisitOptions.chapter("H59"));
    assertEquals(IcdChapter.VIII, StatsVisitOptions.chapter("H60"));
    assertEquals(IcdChapter.XIX, StatsVisitOptions.chapter("T98"));
    assertEquals(IcdChapter.XX, StatsVisitOptions.chapter("V01"));
    assertEquals(IcdChapter.XXII, StatsVisitOptions.chapter("U07.1"));
    for (String bad : new String[] {"D49", "H96", "V00", "XXIII", "I2", "", "I21.", "9I21"}) {
      CliException e = org.junit.jupiter.api.Assertions.assertThrows(CliException.class, () -> StatsVisitOptions.chapter(bad), bad);
      assertEquals(ExitCode.USAGE, e.exit());
    }
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
