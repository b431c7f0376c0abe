package org.medledger.sdk.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.medledger.sdk.MedicalRecord;

class SyntheticRecordsTest {
  private static final Pattern ID = Pattern.compile("SYN-(19[3-9]\\d|20[01]\\d)-\\d{6}");
  private static final Pattern PHONE = Pattern.compile("\\+1-\\d{3}-555-01\\d{2}");
  private static final Pattern EMAIL = Pattern.compile("[a-z]+\\.[a-z]+\\d{1,2}@example\\.org");

  @Test
  void aSeedFixesTheSequenceAndAnotherSeedChangesIt() {
    List<byte[]> a = take(new SyntheticRecords(42), 20);
    List<byte[]> b = take(new SyntheticRecords(42), 20);
    List<byte[]> c = take(new SyntheticRecords(43), 20);
    for (int i = 0; i < 20; i++) {
      assertEquals(new String(a.get(i)), new String(b.get(i)));
    }
    assertNotEquals(new String(a.get(0)) + new String(a.get(1)), new String(c.get(0)) + new String(c.get(1)));
  }

  @Test
  void everyFieldIsVisiblyFictional() {
    SyntheticRecords g = new SyntheticRecords(7);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      MedicalRecord r = g.next();
      assertTrue(ID.matcher(r.idNumber()).matches(), r.idNumber());
      assertTrue(PHONE.matcher(r.phone()).matches(), r.phone());
      assertTrue(EMAIL.matcher(r.email()).matches(), r.email());
      assertTrue(r.address().matches("\\d{1,3} [A-Z][a-z]+ [A-Z][a-z]+, [A-Z][a-z]+"), r.address());
      assertTrue(r.fee() >= 1_500 && r.fee() < 250_000, Long.toString(r.fee()));
      assertTrue(r.prescription().contains(" for ") && r.prescription().contains(" days"), r.prescription());
      names.add(r.name());
    }
    assertTrue(names.size() > 200, "names vary: " + names.size());
    assertTrue(SyntheticRecords.RECORD_TYPES.contains(g.recordType()));
  }

  @Test
  void paddedRecordsHitTheSizeExactlyAndRoundTrip() {
    SyntheticRecords g = new SyntheticRecords(1);
    for (int size : new int[] {400, 1000, 4096, 4097, 8000, 16_000}) {
      MedicalRecord r = g.next(size);
      byte[] json = r.toJson();
      assertEquals(size, json.length);
      assertEquals(r, MedicalRecord.fromJson(json));
    }
    assertThrows(IllegalArgumentException.class, () -> g.next(50));
  }

  @Test
  void theTableOneEncodingIsStrict() {
    MedicalRecord r = new SyntheticRecords(3).next();
    String json = new String(r.toJson());
    assertTrue(json.startsWith("{\"address\":"), "canonical: members sorted");
    assertThrows(IllegalArgumentException.class, () -> MedicalRecord.fromJson(json.replace("\"fee\":", "\"cost\":").getBytes()));
    assertThrows(IllegalArgumentException.class,
        () -> MedicalRecord.fromJson(json.replace("\"fee\":" + r.fee(), "\"fee\":\"" + r.fee() + "\"").getBytes()));
    assertThrows(IllegalArgumentException.class,
        () -> MedicalRecord.fromJson(json.replace("\"fee\":" + r.fee(), "\"fee\":1.5").getBytes()));
    assertThrows(IllegalArgumentException.class,
        () -> MedicalRecord.fromJson(json.replace("}", ",\"extra\":1}").getBytes()));
    assertThrows(IllegalArgumentException.class, () -> MedicalRecord.fromJson("not json".getBytes()));
    assertEquals("MedicalRecord[personal data redacted]", r.toString());
  }

  private static List<byte[]> take(SyntheticRecords g, int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(g.next().toJson());
    }
    return out;
  }
}
