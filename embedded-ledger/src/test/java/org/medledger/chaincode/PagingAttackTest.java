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
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medledger.protocol.CanonicalJson;
import org.medledger.embedded.Endorsement;
import org.medledger.embedded.Identity;
import org.medledger.embedded.TxResult;
import org.medledger.embedded.TxStatus;
import org.medledger.protocol.ErrorCode;

/**
 * Review of issue 11 (opaque bookmarks, trail flooding): attacks on {@link Paging}, on the paged
 * queries of the contracts, and on where a read enters a patient's trail. The range check here is
 * independent of the production code: it compares the UTF-8 bytes of the start key, as a Fabric
 * peer's LevelDB does, with the range Fabric's shim asks for, [prefix, prefix + U+10FFFF).
 */
class PagingAttackTest {
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  private static final String MAX = new String(Character.toChars(Character.MAX_CODE_POINT));

  private static RecordDesk d;
  private static Channel ch;
  private static Actor alice;
  private static Actor bob;
  private static String aliceGrant;
  private static String aliceRecord;
  private static String bobRecord;

  @BeforeAll
  static void story() {
    d = RecordDesk.open();
    ch = d.ch;
    alice = d.patient("alice");
    bob = d.patient("bob");
    for (Actor p : List.of(alice, bob)) {
      for (int i = 0; i < 3; i++) {
        RecordDesk.Draft rec = d.write(ch.hospital, p, "visit", "{\"visit\":" + i + "}");
        String grant = d.grantRecord(p, ch.insurer, rec.recordId(), 0);
        if (i == 0) {
          if (p == alice) {
            aliceGrant = grant;
            aliceRecord = rec.recordId();
          } else {
            bobRecord = rec.recordId();
          }
        }
        assertEquals("GRANTED", d.read(ch.insurer, grant, rec.recordId()).get("outcome").getAsString());
      }
    }
  }

  // ------------------------------------------------------------------ Paging, byte for byte

  /** Fabric compares keys as UTF-8 bytes, unsigned. */
  private static int compareUtf8(String a, String b) {
    return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertInside(String prefix, String start, String bookmark) {
    assertTrue(compareUtf8(start, prefix) >= 0, () -> "start before the range for " + bookmark);
    assertTrue(compareUtf8(start, prefix + MAX) < 0, () -> "start at or past the end of the range for " + bookmark);
    assertTrue(start.startsWith(prefix), () -> "start outside the caller's prefix for " + bookmark);
  }

  /** Every accepted bookmark, random or crafted, lands in [prefix, prefix + U+10FFFF) by UTF-8 bytes. */
  @Test
  void noBookmarkLeavesTheCallersRange() {
    String prefix = new CompositeKey(RecordStore.PATIENT_TRAIL, "acct-" + "0".repeat(32)).toString();
    List<byte[]> crafted = new ArrayList<>();
    // Edge UTF-8: the largest code points below the bound, U+FFFF (sorts before U+10000 in UTF-8
    // but after it in UTF-16), surrogates, overlong NUL, code points past U+10FFFF, 5/6-byte forms.
    String[] suffixes = {"\u0000", "\uffff\u0000", "\uffff", new String(Character.toChars(0x10000)) + "\u0000",
        new String(Character.toChars(0x10FFFE)) + "\u0000", MAX + "\u0000", "a" + MAX + "\u0000", "\u0000" + MAX,
        "\u0000\u0000", "\u007f\u0000", "\u0080\u0000", "\ud7ff\u0000", "\ue000\u0000"};
    for (String s : suffixes) {
      crafted.add(s.getBytes(StandardCharsets.UTF_8));
    }
    byte[][] raw = {
        {(byte) 0xc0, (byte) 0x80}, // overlong U+0000
        {0x41, (byte) 0xc0, (byte) 0x80}, // overlong NUL at the end
        {(byte) 0xe0, (byte) 0x80, (byte) 0x80, 0}, // overlong 3-byte
        {(byte) 0xed, (byte) 0xa0, (byte) 0x80, (byte) 0xed, (byte) 0xb0, (byte) 0x80, 0}, // CESU-8 pair
        {(byte) 0xed, (byte) 0xbf, (byte) 0xbf, 0}, // lone low surrogate
        {(byte) 0xf4, (byte) 0x8f, (byte) 0xbf, (byte) 0xbf, 0}, // U+10FFFF
        {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80, 0}, // U+110000
        {(byte) 0xf7, (byte) 0xbf, (byte) 0xbf, (byte) 0xbf, 0},
        {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0}, // 5-byte form
        {(byte) 0xff, 0}, {(byte) 0xfe, 0}, {(byte) 0x80, 0}, {(byte) 0xf4, 0},
        {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, 0}, // BOM
    };
    crafted.addAll(List.of(raw));
    Random rnd = new Random(11); // reproducible fuzzing, not a secret
    for (int i = 0; i < 200_000; i++) {
      byte[] b = new byte[1 + rnd.nextInt(8)];
      rnd.nextBytes(b);
      if (rnd.nextBoolean()) {
        b[b.length - 1] = 0;
      }
      if (rnd.nextInt(4) == 0) {
        b[0] = (byte) (0xf0 + rnd.nextInt(5)); // bias towards 4-byte leads near the bound
      }
      crafted.add(b);
    }
    int accepted = 0;
    for (byte[] b : crafted) {
      String bookmark = B64URL.encodeToString(b);
      String start;
      try {
        start = Paging.startKey(prefix, bookmark);
      } catch (ChaincodeException e) {
        assertEquals(ErrorCode.BAD_BOOKMARK.name(), new String(e.getPayload(), StandardCharsets.UTF_8));
        continue;
      }
      accepted++;
      assertInside(prefix, start, bookmark);
      // What the Java shim sends is the protobuf (UTF-8) form of the string: it must be the very
      // bytes that followed the prefix, or the peer would start somewhere else.
      byte[] sent = start.getBytes(StandardCharsets.UTF_8);
      byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
      assertTrue(Arrays.equals(Arrays.copyOfRange(sent, p.length, sent.length), b), bookmark);
    }
    assertTrue(accepted > 100, "the fuzzer reached the accepting path " + accepted + " times");
  }

  @Test
  void bookmarkTextThatIsNotCanonicalIsRefused() {
    String prefix = new CompositeKey(Ledger.CREDIT, "acct").toString();
    String good = B64URL.encodeToString("tx1\u0000".getBytes(StandardCharsets.UTF_8));
    assertEquals(prefix + "tx1\u0000", Paging.startKey(prefix, good));
    for (String bad : new String[] {good + "=", good + "==", " " + good, good + "\n", good.replace('_', '/'),
        good.substring(0, good.length() - 1) + "B", good + "AB", "=" + good, good.toLowerCase(),
        "dHgxAA%3D", "dHgx\u0000AA"}) {
      if (bad.equals(good)) {
        continue;
      }
      ChaincodeException e = assertThrows(ChaincodeException.class, () -> Paging.startKey(prefix, bad), bad);
      assertEquals(ErrorCode.BAD_BOOKMARK.name(), new String(e.getPayload(), StandardCharsets.UTF_8), bad);
    }
  }

  /** Issued bookmarks resolve to the very key the peer returned, for every key shape. */
  @Test
  void issuedBookmarksRoundTripEveryKeyShape() {
    String prefix = new CompositeKey(Ledger.HISTORY, "acct").toString();
    for (String rest : new String[] {"\u0000", "x\u0000", "\uffff\u0000", new String(Character.toChars(0x10000)) + "\u0000",
        new String(Character.toChars(0x10FFFE)) + "y\u0000z\u0000", "é\u0000" + "ü".repeat(100) + "\u0000"}) {
      String key = prefix + rest;
      String bm = Paging.bookmark(prefix, key);
      assertFalse(bm.isEmpty());
      assertEquals(key, Paging.startKey(prefix, bm));
    }
    assertEquals("", Paging.bookmark(prefix, ""));
    // Paging.bookmark's IllegalStateException (no error code) fires only for a next key outside
    // the range or equal to the prefix. The peer returns the next key of [start, end) only, and no
    // contract writes a key equal to the prefix of one of its paged queries (every indexed key has
    // one attribute more than the query), so a caller cannot reach it.
    assertThrows(IllegalStateException.class, () -> Paging.bookmark(prefix, prefix));
    assertThrows(IllegalStateException.class, () -> Paging.bookmark(prefix, "\u0000hist\u0000acct2\u0000x\u0000"));
  }

  // ------------------------------------------------------------------ replays across queries

  /** A bookmark from the regulator's all-patients trail, replayed on one patient's: stays inside. */
  @Test
  void allTrailBookmarkReplayedOnOnePatientStaysInThatPatientsTrail() {
    JsonObject first = CanonicalJson.parseObject(ch.evaluate(ch.regulatorOrg, "records:auditTrail", "", "1", ""));
    String bm = first.get("bookmark").getAsString();
    assertFalse(bm.isEmpty());
    String suffix = new String(Base64.getUrlDecoder().decode(bm), StandardCharsets.UTF_8);
    assertFalse(suffix.contains("acct-"), "the all-trail bookmark names no account");
    for (Actor p : List.of(alice, bob)) {
      JsonArray items = CanonicalJson.parseObject(ch.evaluate(ch.regulatorOrg, "records:auditTrail", p.id, "100", bm))
          .getAsJsonArray("items");
      for (JsonElement e : items) {
        assertEquals(p.id, e.getAsJsonObject().get("patient").getAsString());
      }
    }
    // And the other way: a one-patient bookmark on the all-patients query is inside that range
    // (every entry there is the regulator's to read anyway).
    String one = CanonicalJson.parseObject(ch.evaluate(ch.regulatorOrg, "records:auditTrail", alice.id, "1", ""))
        .get("bookmark").getAsString();
    assertFalse(one.isEmpty());
    CanonicalJson.parseObject(ch.evaluate(ch.regulatorOrg, "records:auditTrail", "", "100", one));
  }

  /** A patient's trail bookmark, replayed by another patient on its own trail, shows only its own entries. */
  @Test
  void trailBookmarkOfAnotherPatientShowsOnlyTheCallersEntries() {
    String bobs = CanonicalJson.parseObject(ch.evaluate(ch.gateway(bob), "records:trail", d.trailQuery(bob), "1", ""))
        .get("bookmark").getAsString();
    assertFalse(bobs.isEmpty());
    // Bob's suffix names Bob's order and tx: appended to Alice's prefix it lands inside Alice's range.
    JsonArray items = CanonicalJson.parseObject(ch.evaluate(ch.gateway(alice), "records:trail", d.trailQuery(alice),
        "100", bobs)).getAsJsonArray("items");
    for (JsonElement e : items) {
      assertEquals(alice.id, e.getAsJsonObject().get("patient").getAsString());
    }
  }

  // ------------------------------------------------------------------ ids the shim refuses

  /**
   * An id holding U+0000 or U+10FFFF cannot be a composite-key attribute: the shim throws its own
   * CompositeKeyFormatException. Each paged query must still answer with a stable error code.
   */
  @Test
  void pagedQueriesRefuseIdsTheShimCannotKeyWithAnErrorCode() {
    record Q(Identity who, String function) {}
    List<String> problems = new ArrayList<>();
    for (Q q : List.of(new Q(ch.hospitalOrg, "money:credits"), new Q(ch.hospitalOrg, "money:history"),
        new Q(ch.hospitalOrg, "records:listRecords"), new Q(ch.hospitalOrg, "records:listGrants"),
        new Q(ch.hospitalOrg, "records:listCopies"), new Q(ch.hospitalOrg, "records:listClaims"),
        new Q(ch.hospitalOrg, "channels:channelsOf"), new Q(ch.regulatorOrg, "records:auditTrail"))) {
      for (String id : new String[] {alice.id + "\u0000", "\u0000", alice.id + MAX, MAX}) {
        try {
          ch.ledger.evaluate(q.who(), q.function(), id, "10", "");
          problems.add(q.function() + " accepted " + Arrays.toString(id.codePoints().toArray()));
        } catch (ChaincodeException e) {
          if (e.getPayload() == null || e.getPayload().length == 0) {
            problems.add(q.function() + ": no error code (" + e.getMessage() + ")");
          }
        } catch (RuntimeException e) {
          problems.add(q.function() + ": uncoded " + e.getClass().getSimpleName() + " (" + e.getMessage() + ")");
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  // ------------------------------------------------------------------ the access trail

  /**
   * docs/records.md §4.1: "a grantee's attempt on another patient's record under this patient's
   * grant appear[s] in the regulator's trail only". AccessLog.record lists every read whose reader
   * is the grant's grantee, whatever the record: the insurer, holding Alice's grant, tries Bob's
   * record under it, and the attempt (naming Bob's record) entered Alice's trail. Fixed: it goes to
   * the regulator's trail only.
   */
  @Test
  void aGranteesAttemptOnAnotherPatientsRecordStaysOutOfTheGrantorsTrail() {
    int before = d.trail(alice).size();
    JsonObject r = d.read(ch.insurer, aliceGrant, bobRecord);
    assertEquals("OUT_OF_SCOPE", r.get("code").getAsString());
    assertEquals(before, d.trail(alice).size(), "the attempt on Bob's record is not Alice's to see");
  }

  /** A stranger can still not reach a patient's trail, with any grant id or record id. */
  @Test
  void aStrangerCannotEnterAPatientsTrailAnyWay() {
    Actor mallory = d.register("mallory", org.medledger.protocol.Role.INSURER, "InsurerOrgMSP");
    int aliceBefore = d.trail(alice).size();
    int bobBefore = d.trail(bob).size();
    assertEquals("NOT_GRANTEE", d.read(mallory, aliceGrant, aliceRecord).get("code").getAsString());
    assertEquals("NOT_GRANTEE", d.read(mallory, aliceGrant, bobRecord).get("code").getAsString());
    assertEquals("UNKNOWN_GRANT", d.read(mallory, "grant-" + "0".repeat(32), aliceRecord).get("code").getAsString());
    assertEquals(aliceBefore, d.trail(alice).size());
    assertEquals(bobBefore, d.trail(bob).size());
    assertEquals(0, d.evaluate("records:getGrant", aliceGrant).get("deniedReads").getAsLong(),
        "a stranger does not move the grant's counter either (no hot key for strangers)");
  }

  // ------------------------------------------------------------------ embedded vs Fabric

  /**
   * Fabric v3.1 (core/chaincode/query_response_generator.go) stops a paginated query as soon as
   * pageSize results are queued, without another Next(): the range recorded for phantom checks ends
   * at the page's last key (ItrExhausted=false) even when no key follows, and the bookmark is ""
   * (GetBookmarkAndClose finds no next key). The embedded ledger records a page with an empty
   * bookmark as the whole range. A page that exactly fills up to the end of its range, submitted
   * as a transaction, is then invalidated by a key committed after its last key; on a peer it is
   * valid.
   */

  @Test
  void anExactlyFullLastPageIsNotAPhantomOnFabric() {
    assertEquals(TxStatus.VALID, raceAuditPageAgainstANewRead(true));
  }

  /** Control for the test above: a page that is not full records the whole range on both. */
  @Test
  void aShortLastPageIsAPhantomOnBoth() {
    assertEquals(TxStatus.PHANTOM_READ_CONFLICT, raceAuditPageAgainstANewRead(false));
  }

  /** Endorses the regulator's page of Dave's trail and a new read of Dave's record; commits the read first. */
  private static TxStatus raceAuditPageAgainstANewRead(boolean exactlyFull) {
    Actor dave = d.patient(exactlyFull ? "dave" : "erin");
    RecordDesk.Draft rec = d.write(ch.hospital, dave, "visit", "{\"visit\":0}");
    String grant = d.grantRecord(dave, ch.insurer, rec.recordId(), 0);
    for (int i = 0; i < 2; i++) {
      assertEquals("GRANTED", d.read(ch.insurer, grant, rec.recordId()).get("outcome").getAsString());
    }
    String size = exactlyFull ? "2" : "3";
    JsonObject page = CanonicalJson.parseObject(ch.evaluate(ch.regulatorOrg, "records:auditTrail", dave.id, size, ""));
    assertEquals(2, page.getAsJsonArray("items").size());
    assertEquals("", page.get("bookmark").getAsString());
    Endorsement query = ch.ledger.endorse(ch.regulatorOrg, ch.tick(), "records:auditTrail", dave.id, size, "");
    assertTrue(query.succeeded(), query.errorMessage());
    Endorsement read = ch.ledger.endorse(ch.gateway(ch.insurer), ch.tick(), "records:read",
        ch.insurer.sign(d.readBody(ch.insurer, grant, rec.recordId())));
    assertTrue(read.succeeded(), read.errorMessage());
    List<TxResult> results = ch.ledger.commitBlock(List.of(read, query));
    assertTrue(results.get(0).isValid(), results.get(0).toString());
    ch.insurer.nonce++;
    return results.get(1).status();
  }
}
