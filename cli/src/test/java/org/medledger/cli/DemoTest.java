package org.medledger.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.cli.demo.Facts;
import org.medledger.embedded.MedLedgerContracts;
import org.medledger.embedded.EmbeddedLedger;

/** The demo end to end on a kept embedded ledger, checked by its facts rather than its wording. */
class DemoTest {
  @TempDir
  Path dir;

  @Test
  void theDemoTellsAConsistentStory() throws Exception {
    Path kept = dir.resolve("demo-ledger");
    CliRunner.Run r = new CliRunner(dir).run("--json", "demo", "--keep", kept.toString());
    assertEquals(0, r.exit(), r.toString());
    JsonObject facts = r.json();
    assertEquals(2048, facts.get("paillierBits").getAsInt());
    assertEquals(6, facts.getAsJsonArray("accounts").size());

    long issued = 0;
    long paid = 0;
    int transfers = 0;
    for (JsonElement e : facts.getAsJsonArray("steps")) {
      JsonObject s = e.getAsJsonObject();
      if (s.get("kind").getAsString().equals("issue")) {
        issued += s.get("amount").getAsLong();
      } else {
        paid += s.get("amount").getAsLong();
        transfers++;
      }
    }
    JsonObject audit = facts.getAsJsonObject("audit");
    assertEquals(issued, audit.get("issued").getAsLong(), "the regulator's audit sees every issue");
    assertEquals(paid, audit.get("transferred").getAsLong(), "the regulator decrypts every transfer");
    assertEquals(transfers, audit.getAsJsonArray("transferAmounts").size());
    assertEquals(1 + transfers, audit.get("transactions").getAsInt());

    long held = 0;
    for (Map.Entry<String, JsonElement> b : facts.getAsJsonObject("balances").entrySet()) {
      held += b.getValue().getAsLong();
    }
    assertEquals(issued, held, "the balances, each decrypted by its owner, add up to what was issued");
    assertEquals(5_000 - 1_200 - 300, facts.getAsJsonObject("balances").get("alice").getAsLong());

    // Of alice's payment to st-mary, each party reads exactly its own copy.
    JsonObject seen = facts.getAsJsonObject("visibility").getAsJsonObject("decryptedBy");
    Map<String, String> own = Map.of("alice", "amountPayer", "st-mary", "amountPayee", "regulator", "amountRegulator");
    for (Map.Entry<String, JsonElement> row : seen.entrySet()) {
      for (String copy : Set.of("amountPayer", "amountPayee", "amountRegulator")) {
        long v = row.getValue().getAsJsonObject().get(copy).getAsLong();
        long expected = copy.equals(own.get(row.getKey())) ? 1_200 : -1;
        assertEquals(expected, v, row.getKey() + " reading " + copy);
      }
    }

    // Records: alice reads what st-mary wrote; the claim is settled by a transfer of the record's fee;
    // after revocation the insurer's read is denied; the trail holds both reads.
    JsonObject records = facts.getAsJsonObject("records");
    long fee = records.get("fee").getAsLong();
    assertTrue(records.get("openedByPatientMatches").getAsBoolean());
    assertEquals("SETTLED", records.get("claimStatus").getAsString());
    JsonObject settle = null;
    for (JsonElement e : facts.getAsJsonArray("steps")) {
      if (e.getAsJsonObject().get("kind").getAsString().equals("settle")) {
        settle = e.getAsJsonObject();
      }
    }
    assertEquals(fee, settle.get("amount").getAsLong());
    assertEquals(records.get("claimTransferTx").getAsString(), settle.get("txId").getAsString());
    assertEquals("GRANT_REVOKED", records.get("readAfterRevoke").getAsString());
    JsonObject feeSeen = facts.getAsJsonObject("visibility").getAsJsonObject("claimFeeSeenBy");
    for (Map.Entry<String, JsonElement> e : feeSeen.entrySet()) {
      boolean holdsCopy = Set.of("st-mary", "insurer", "regulator").contains(e.getKey());
      assertEquals(holdsCopy ? fee : -1, e.getValue().getAsLong(), e.getKey() + " reading the claimed fee");
    }
    assertEquals(6, feeSeen.size());
    List<String> trail = new java.util.ArrayList<>();
    for (JsonElement e : audit.getAsJsonArray("trail")) {
      JsonObject x = e.getAsJsonObject();
      trail.add(x.get("reader").getAsString() + ":" + x.get("patient").getAsString() + ":" + x.get("granted").getAsBoolean()
          + ":" + x.get("code").getAsString());
    }
    assertEquals(List.of("insurer:alice:true:", "insurer:alice:false:GRANT_REVOKED"), trail);

    // The demo checks these facts itself (so that 'demo --network' is a test too), and the check can fail.
    Facts.check(facts);
    JsonObject tampered = facts.deepCopy();
    tampered.getAsJsonObject("audit").addProperty("transferred", audit.get("transferred").getAsLong() + 1);
    assertEquals("DEMO_CHECK_FAILED", org.junit.jupiter.api.Assertions.assertThrows(CliException.class, () -> Facts.check(tampered)).code());
    JsonObject leaky = facts.deepCopy();
    leaky.getAsJsonObject("visibility").getAsJsonObject("decryptedBy").getAsJsonObject("bob").addProperty("amountPayee", 1_200);
    org.junit.jupiter.api.Assertions.assertThrows(CliException.class, () -> Facts.check(leaky));

    // The kept ledger holds the story: configure, six registrations, the issue, the transfers, and
    // the records' set-up, write, claim, grant, read, link, revoke and denied read.
    assertEquals(kept.toString(), facts.get("ledgerDir").getAsString());
    try (EmbeddedLedger ledger = EmbeddedLedger.open(kept, Organisations.CHANNEL, MedLedgerContracts.dispatcher())) {
      assertEquals(1 + 6 + 1 + transfers + 8, ledger.height());
    }
    assertTrue(Files.exists(kept.resolve("blocks.jsonl")));
  }

  @Test
  void theNarrationNamesEveryStepAndTheTemporaryLedgerIsRemoved() throws Exception {
    Path tmp = dir.resolve("tmp");
    Files.createDirectories(tmp);
    String before = System.getProperty("java.io.tmpdir");
    System.setProperty("java.io.tmpdir", tmp.toString());
    CliRunner.Run r;
    try {
      r = new CliRunner(dir).run("demo");
    } finally {
      System.setProperty("java.io.tmpdir", before);
    }
    assertEquals(0, r.exit(), r.toString());
    for (String s : new String[] {"issues", "funds the patients", "pay hospitals", "writes a record", "grants the insurer",
        "settles the claim", "revokes", "Who can see what", "audits"}) {
      assertTrue(r.out().contains(s), s + " missing:\n" + r.out());
    }
    try (var files = Files.list(tmp)) {
      assertEquals(0, files.count(), "the temporary ledger is deleted");
    }
  }
}
