package org.medledger.cli;

import java.nio.file.Path;
import java.util.Locale;
import org.medledger.crypto.SecretAccess;
import org.medledger.crypto.stats.AgeBand;
import org.medledger.crypto.stats.IcdChapter;
import org.medledger.crypto.stats.StatsOpening;
import com.google.gson.JsonObject;
import org.medledger.sdk.MedicalRecord;
import org.medledger.sdk.RecordClient;
import org.medledger.sdk.StatsClient;
import org.medledger.sdk.StatsVisit;
import picocli.CommandLine.Option;

/**
 * {@code records write}'s statistical contribution (docs/cli.md §4 records, docs/protocol.md §11):
 * the visit's ICD-10 chapter and the patient's age; the fee is the record's own. The contribution's
 * opening (secret: chapter, band, fee and the encryption randomness) is kept under the home so that
 * the hospital can later show an auditor that the contribution matches the record.
 *
 * <pre>
 * &lt;home&gt;/stats-openings/&lt;record-id&gt;.opening   a contribution's opening (owner-only)
 * </pre>
 */
final class StatsVisitOptions {
  @Option(names = "--stats-chapter", paramLabel = "<chapter>",
      description = "Attach a statistical contribution: the visit's ICD-10 chapter, I..XXII, or a code such as I21 (needs"
          + " --stats-age and a Table 1 record, whose fee it counts).")
  String chapter;

  @Option(names = "--stats-age", paramLabel = "<years>", description = "With --stats-chapter: the patient's age at the visit, 0.."
      + AgeBand.MAX_AGE + ".")
  Integer age;

  private StatsVisit visit;
  private Path kept;

  /** True if a contribution was asked for. */
  boolean asked() {
    return chapter != null || age != null;
  }

  /**
   * Checks the options against {@code record} (null: not a Table 1 record) and sets the visit to
   * contribute; a bad option is a usage error, before anything is unlocked.
   */
  void check(MedicalRecord record) throws CliException {
    visit = visit(record);
  }

  /**
   * Writes {@code document} about {@code patient}: with the checked contribution if one was asked
   * for (keeping its opening under {@code home}), else as a plain document.
   */
  RecordClient.Written write(RecordClient records, Home home, String patient, String type, byte[] document)
      throws Exception {
    if (visit == null) {
      return records.writeDocument(patient, type, document);
    }
    StatsClient.Contributed c = records.write(patient, type, MedicalRecord.fromJson(document), visit);
    kept = keep(home, c.written().recordId(), c.opening());
    return c.written();
  }

  /** Adds {@code statsOpening} to a write's JSON if a contribution was made. */
  void describe(JsonObject o) {
    if (kept != null) {
      o.addProperty("statsOpening", kept.toString());
    }
  }

  /** A line for the write's text if a contribution was made, else "". */
  String note() {
    return kept == null ? "" : "\n  With a statistical contribution (" + visit.chapter().numeral() + ", age "
        + visit.band().label() + ") in this hospital's RECORDS bucket of the month; its opening is kept in " + kept;
  }

  /** The visit to contribute for {@code record} (null: not asked). */
  private StatsVisit visit(MedicalRecord record) throws CliException {
    if (!asked()) {
      return null;
    }
    if (chapter == null || age == null) {
      throw CliException.usage("--stats-chapter and --stats-age go together");
    }
    if (record == null) {
      throw CliException.usage("a statistical contribution counts a Table 1 record's fee: --stats-chapter goes with"
          + " --synthetic or a --file holding a Table 1 record");
    }
    if (age < 0 || age > AgeBand.MAX_AGE) {
      throw CliException.usage("--stats-age must be 0.." + AgeBand.MAX_AGE + ", got " + age);
    }
    try {
      return StatsVisit.of(chapter(chapter), age, record.fee());
    } catch (IllegalArgumentException e) {
      throw CliException.usage("the record's fee cannot be counted: " + e.getMessage());
    }
  }

  /** A chapter by its numeral (IX) or by a three-character code it covers (I21, i21.9). */
  static IcdChapter chapter(String value) throws CliException {
    String v = value.strip().toUpperCase(Locale.ROOT);
    for (IcdChapter c : IcdChapter.values()) {
      if (c.numeral().equals(v)) {
        return c;
      }
    }
    if (v.matches("[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?")) {
      String code = v.substring(0, 3);
      for (IcdChapter c : IcdChapter.values()) {
        String[] range = c.codes().split("–");
        if (code.compareTo(range[0]) >= 0 && code.compareTo(range[1]) <= 0) {
          return c;
        }
      }
    }
    throw CliException.usage("--stats-chapter takes an ICD-10 chapter numeral I..XXII or a code of one (e.g. I21), got '"
        + value + "'");
  }

  /** Keeps {@code opening} (secret) for record {@code recordId} under the home; returns the file. */
  static Path keep(Home home, String recordId, StatsOpening opening) throws CliException {
    Path dir = home.dir().resolve("stats-openings");
    try {
      java.nio.file.Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new CliException(ExitCode.KEYSTORE, "IO", "cannot create " + dir + ": " + Errors.cause(e), e);
    }
    Path file = dir.resolve(recordId + ".opening");
    CommitteeShares.writePrivate(file, opening.toBytes(SecretAccess.explicit()));
    return file;
  }
}
