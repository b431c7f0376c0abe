package org.medledger.sdk.synthetic;

import java.util.List;
import java.util.SplittableRandom;
import org.medledger.sdk.MedicalRecord;

/**
 * Fictional Table 1 records for tests, the demo and benchmarks (docs/records.md §7). A seed fixes
 * the whole sequence. Nothing here is personal data:
 * <ul>
 *   <li>names combine a short list of common given and family names;
 *   <li>ID numbers have the visibly synthetic form {@code SYN-<year>-<6 digits>};
 *   <li>phone numbers lie in 555-0100..555-0199, the range reserved for fiction in North America;
 *   <li>e-mail addresses are at {@code example.org}, reserved for documentation (RFC 2606);
 *   <li>streets and towns are made up ("Example Street", "Testville").
 * </ul>
 * The generator draws from a {@link SplittableRandom}, which is fine for test data and never used
 * for secrets.
 */
public final class SyntheticRecords {
  /** Record types (categories) the demo uses. */
  public static final List<String> RECORD_TYPES = List.of("visit", "prescription", "lab", "imaging", "discharge");

  private static final List<String> GIVEN = List.of("Ada", "Ben", "Chen", "Dana", "Elif", "Femi", "Grace", "Hugo",
      "Ines", "Jamal", "Kira", "Luis", "Mei", "Nils", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tara", "Umar",
      "Vera", "Wen", "Yusuf");
  private static final List<String> FAMILY = List.of("Abbott", "Bauer", "Costa", "Dubois", "Evans", "Fischer",
      "Garcia", "Haddad", "Ivanova", "Jensen", "Kim", "Lopez", "Moreau", "Nowak", "Okafor", "Patel", "Rossi",
      "Santos", "Tanaka", "Uddin", "Varga", "Wang", "Yilmaz", "Zhou");
  private static final List<String> AREA_CODES = List.of("201", "212", "303", "415", "512", "617", "702", "808");
  private static final List<String> STREETS = List.of("Example Street", "Sample Lane", "Placeholder Road",
      "Fictional Avenue", "Testing Way", "Mock Court", "Synthetic Row", "Demo Drive");
  private static final List<String> TOWNS = List.of("Testville", "Sampleton", "Mockford", "Exampleburg", "Demoport");
  private static final List<String> DRUGS = List.of("amoxicillin 500 mg", "ibuprofen 400 mg", "paracetamol 500 mg",
      "metformin 850 mg", "lisinopril 10 mg", "atorvastatin 20 mg", "omeprazole 20 mg", "salbutamol 100 mcg inhaler",
      "cetirizine 10 mg", "amlodipine 5 mg", "sertraline 50 mg", "prednisolone 5 mg");
  private static final List<String> FREQUENCIES = List.of("once daily", "twice daily", "three times daily",
      "every 8 hours", "at night", "as needed, at most 4 times daily");
  private static final String FILLER = "Follow-up in two weeks; take with water; report side effects. ";

  private final SplittableRandom rnd;

  public SyntheticRecords(long seed) {
    this.rnd = new SplittableRandom(seed);
  }

  /** The next record: one to three prescription lines. */
  public MedicalRecord next() {
    String given = pick(GIVEN);
    String family = pick(FAMILY);
    String id = String.format("SYN-%04d-%06d", 1930 + rnd.nextInt(90), rnd.nextInt(1_000_000));
    String phone = "+1-" + pick(AREA_CODES) + "-555-01" + String.format("%02d", rnd.nextInt(100));
    String email = (given + "." + family).toLowerCase(java.util.Locale.ROOT) + rnd.nextInt(100) + "@example.org";
    String address = (1 + rnd.nextInt(999)) + " " + pick(STREETS) + ", " + pick(TOWNS);
    long fee = 1_500 + rnd.nextLong(248_500);
    StringBuilder rx = new StringBuilder(line());
    for (int i = rnd.nextInt(3); i > 0; i--) {
      rx.append("; ").append(line());
    }
    return new MedicalRecord(given + " " + family, id, phone, email, address, fee, rx.toString());
  }

  /**
   * The next record, with its prescription lengthened (more lines, then a repeated follow-up note
   * cut to fit) so that its JSON encoding is exactly {@code encodedBytes} bytes, e.g. 4096 for the
   * benchmarks' record row.
   */
  public MedicalRecord next(int encodedBytes) {
    MedicalRecord r = next();
    int size = r.toJson().length;
    if (size > encodedBytes) {
      throw new IllegalArgumentException("a record needs at least " + size + " bytes; asked for " + encodedBytes);
    }
    StringBuilder rx = new StringBuilder(r.prescription());
    while (true) {
      String more = "; " + line();
      if (size + more.length() > encodedBytes) {
        break;
      }
      rx.append(more);
      size += more.length();
    }
    int rest = encodedBytes - size;
    if (rest > 0) {
      rx.append(' ');
      for (int i = 0; i < rest - 1; i++) {
        rx.append(FILLER.charAt(i % FILLER.length()));
      }
    }
    MedicalRecord out = new MedicalRecord(r.name(), r.idNumber(), r.phone(), r.email(), r.address(), r.fee(), rx.toString());
    if (out.toJson().length != encodedBytes) {
      throw new IllegalStateException("padding missed: " + out.toJson().length + " bytes, wanted " + encodedBytes);
    }
    return out;
  }

  /** A record type drawn from {@link #RECORD_TYPES}. */
  public String recordType() {
    return pick(RECORD_TYPES);
  }

  private String line() {
    return pick(DRUGS) + ", " + pick(FREQUENCIES) + " for " + (3 + rnd.nextInt(28)) + " days";
  }

  private String pick(List<String> xs) {
    return xs.get(rnd.nextInt(xs.size()));
  }
}
