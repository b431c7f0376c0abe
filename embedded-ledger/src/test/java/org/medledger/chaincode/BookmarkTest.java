package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medledger.protocol.CanonicalJson;
import org.medledger.embedded.Identity;
import org.medledger.embedded.StateProbe;
import org.medledger.protocol.ErrorCode;

/**
 * Issue 11: a paged query must never hand the shim a key the caller chose. On a Fabric peer a
 * bookmark replaces the start key unchecked (the embedded ledger now does the same), so a patient
 * could read every other patient's access trail with the bookmark {@code U+0000 ptrail U+0000}, and a
 * bookmark past the end of a range crashed the peer. Bookmarks are now opaque and resolved inside
 * the caller's own range.
 */
class BookmarkTest {
  private static RecordDesk d;
  private static Channel ch;
  private static Actor alice;
  private static Actor bob;
  private static String grantAlice;

  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  @BeforeAll
  static void story() {
    d = RecordDesk.open();
    ch = d.ch;
    // Bob is registered first, so his account id is independent of Alice's order: the attack
    // works on whichever trails sort before the attacker's, and the test covers both.
    bob = d.patient("bob");
    alice = d.patient("alice");
    for (Actor p : List.of(alice, bob)) {
      for (int i = 0; i < 3; i++) {
        RecordDesk.Draft rec = d.write(ch.hospital, p, "visit", "{\"visit\":" + i + "}");
        String grant = d.grantRecord(p, ch.insurer, rec.recordId(), 0);
        if (p == alice && i == 0) {
          grantAlice = grant;
        }
        assertEquals("GRANTED", d.read(ch.insurer, grant, rec.recordId()).get("outcome").getAsString());
      }
    }
  }

  /** The attack of issue 11, as the attacker sent it. */
  @Test
  void aPatientCannotReadOtherTrailsWithABookmark() {
    Actor attacker = alice.id.compareTo(bob.id) > 0 ? alice : bob;
    Actor victim = attacker == alice ? bob : alice;
    assertEquals(3, d.trail(victim).size());
    String attack = new CompositeKey(RecordStore.PATIENT_TRAIL).toString();
    assertEquals("\u0000ptrail\u0000", attack);
    assertRefused(ch.gateway(attacker), "records:trail", d.trailQuery(attacker), "100", attack);
    // Nor with a victim's trail key encoded as this chaincode encodes bookmarks: the suffix is
    // appended to the attacker's own prefix, so it lands inside the attacker's range.
    String victimSuffix = victim.id + "\u0000";
    String inside = CanonicalJson.toString(CanonicalJson.parseObject(ch.evaluate(ch.gateway(attacker), "records:trail",
        d.trailQuery(attacker), "100", B64URL.encodeToString(victimSuffix.getBytes(StandardCharsets.UTF_8)))));
    for (JsonElement e : CanonicalJson.parseObject(inside).getAsJsonArray("items")) {
      assertEquals(attacker.id, e.getAsJsonObject().get("patient").getAsString());
    }
  }

  /** Every paged query of every contract, with every kind of bookmark a caller could make up. */
  @Test
  void everyPagedQueryRefusesBookmarksItDidNotIssue() {
    Map<String, String> before = StateProbe.snapshot(ch.ledger);
    long height = ch.ledger.height();
    List<String> hostile = new ArrayList<>(List.of(
        "\u0000ptrail\u0000", // before every range it is used on
        "\u0000zzz", // past the end: crashed a peer
        "\u0000",
        new CompositeKey(RecordStore.PATIENT_TRAIL, alice.id, "0").toString(), // a raw key of the caller's own range
        "!!!",
        "a+b/",
        "YQ==", // padded
        "YR", // non-canonical trailing bits ("a" is "YQ")
        B64URL.encodeToString("x".getBytes(StandardCharsets.UTF_8)), // not the end of a composite key
        B64URL.encodeToString(new String(Character.toChars(Character.MAX_CODE_POINT)).concat("\u0000")
            .getBytes(StandardCharsets.UTF_8)), // the code point that bounds every range
        B64URL.encodeToString(new byte[] {(byte) 0xff, 0}), // not UTF-8
        B64URL.encodeToString(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80, 0}), // a UTF-8-encoded surrogate
        "A".repeat(Paging.MAX_BOOKMARK_CHARS + 1)));
    record Query(Identity who, String function, String... leading) {}
    List<Query> queries = List.of(
        new Query(ch.hospitalOrg, "money:credits", alice.id),
        new Query(ch.hospitalOrg, "money:history", alice.id),
        new Query(ch.regulatorOrg, "money:audit"),
        new Query(ch.hospitalOrg, "records:listRecords", alice.id),
        new Query(ch.hospitalOrg, "records:listGrants", alice.id),
        new Query(ch.hospitalOrg, "records:listCopies", grantAlice),
        new Query(ch.hospitalOrg, "records:trail", d.trailQuery(alice)),
        new Query(ch.regulatorOrg, "records:auditTrail", ""),
        new Query(ch.regulatorOrg, "records:auditTrail", alice.id),
        new Query(ch.hospitalOrg, "records:listClaims", alice.id),
        new Query(ch.hospitalOrg, "channels:channelsOf", alice.id));
    for (Query q : queries) {
      for (String bookmark : hostile) {
        String[] args = new String[q.leading().length + 2];
        System.arraycopy(q.leading(), 0, args, 0, q.leading().length);
        args[args.length - 2] = "10";
        args[args.length - 1] = bookmark;
        assertRefused(q.who(), q.function(), args);
      }
    }
    assertEquals(height, ch.ledger.height());
    assertEquals(before, StateProbe.snapshot(ch.ledger));
  }

  @Test
  void issuedBookmarksWalkTheCallersRangeOnce() {
    JsonArray whole = d.evaluate("records:listRecords", alice.id, "100", "").getAsJsonArray("items");
    assertEquals(3, whole.size());
    List<JsonElement> walked = new ArrayList<>();
    String bookmark = "";
    int pages = 0;
    do {
      JsonObject page = d.evaluate("records:listRecords", alice.id, "1", bookmark);
      page.getAsJsonArray("items").forEach(walked::add);
      bookmark = page.get("bookmark").getAsString();
      assertFalse(bookmark.contains("\u0000"), "bookmarks are opaque text");
      pages++;
    } while (!bookmark.isEmpty());
    assertEquals(whole.asList(), walked);
    assertEquals(3, pages);

    // A bookmark issued for Bob's list, used on Alice's, stays in Alice's range.
    String bobs = d.evaluate("records:listRecords", bob.id, "1", "").get("bookmark").getAsString();
    assertFalse(bobs.isEmpty());
    for (JsonElement e : d.evaluate("records:listRecords", alice.id, "100", bobs).getAsJsonArray("items")) {
      assertEquals(alice.id, e.getAsJsonObject().get("patient").getAsString());
    }
  }

  @Test
  void pageSizesMustBeCanonical() {
    for (String size : new String[] {"0", "101", "-1", "+5", "05", "5.0", "1e1", " 5", "5 ", "x", "", "99999999999"}) {
      ChaincodeException e = assertThrows(ChaincodeException.class,
          () -> ch.ledger.evaluate(ch.hospitalOrg, "records:listRecords", alice.id, size, ""));
      assertEquals(ErrorCode.BAD_PAGE.name(), new String(e.getPayload(), StandardCharsets.UTF_8), size);
    }
    assertTrue(d.evaluate("records:listRecords", alice.id, "100", "").getAsJsonArray("items").size() > 0);
  }

  private static void assertRefused(Identity who, String function, String... args) {
    ChaincodeException e = assertThrows(ChaincodeException.class, () -> ch.ledger.evaluate(who, function, args),
        () -> function + " accepted the bookmark " + printable(args[args.length - 1]));
    assertEquals(ErrorCode.BAD_BOOKMARK.name(), new String(e.getPayload(), StandardCharsets.UTF_8),
        () -> function + " with " + printable(args[args.length - 1]) + ": " + e.getMessage());
  }

  private static String printable(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s.replace("\u0000", "\\0");
  }
}
