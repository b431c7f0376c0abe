package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.stats.AgeBand;
import org.medledger.crypto.stats.IcdChapter;
import org.medledger.crypto.stats.StatsContext;
import org.medledger.crypto.stats.StatsContribution;
import org.medledger.embedded.TxResult;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.StatsProtocol;

/**
 * The statistics side of a test channel (docs/chaincode.md §11): record writes with a contribution
 * (honest or any bytes), bucket queries, folds, and the regulator's decryption of a folded
 * aggregate (the chaincode channel's regulator holds an ordinary key, so the tests can check sums
 * without a committee).
 */
final class StatsBench {
  static final SecureRandom RND = new SecureRandom();

  final RecordDesk desk;
  final Channel ch;

  StatsBench() {
    this.desk = RecordDesk.open();
    this.ch = desk.ch;
  }

  PaillierPublicKey committee() {
    return ch.regulator.paillier.publicKey();
  }

  /** The month of the next transaction (the channel's clock ticks one second per transaction). */
  String nextMonth() {
    return StatsProtocol.monthText(ch.now().plusSeconds(1));
  }

  /** An honest contribution for {@code author}'s next record, in the next transaction's month. */
  StatsContribution honest(Actor author, IcdChapter chapter, AgeBand band, long fee) {
    return StatsContribution.prove(committee(), context(author, nextRecordId(author), nextMonth()), chapter, band, fee, RND);
  }

  StatsContext context(Actor author, String recordId, String month) {
    return new StatsContext(Actor.CHANNEL, Actor.CHAINCODE, recordId, author.id, month);
  }

  String nextRecordId(Actor author) {
    return org.medledger.protocol.RecordProtocol.recordId(Actor.CHANNEL, Actor.CHAINCODE, author.id, author.nonce);
  }

  /** A record write carrying {@code stats} (base64 of the given bytes; null for none), submitted. */
  TxResult writeWithStats(Actor author, Actor patient, byte[] stats) {
    RecordDesk.Draft d = desk.draft(author, patient, "visit", "synthetic visit".getBytes(StandardCharsets.UTF_8));
    if (stats != null) {
      d.body().addProperty("stats", Base64.getEncoder().encodeToString(stats));
    }
    return desk.submit(author, "records:write", d.body());
  }

  JsonObject bucket(String id) {
    return CanonicalJson.parseObject(ch.evaluate(ch.hospitalOrg, "stats:getBucket", id));
  }

  List<JsonObject> buckets(String month) {
    List<JsonObject> out = new ArrayList<>();
    String bookmark = "";
    do {
      JsonObject page = CanonicalJson.parseObject(ch.evaluate(ch.hospitalOrg, "stats:listBuckets", month, "2", bookmark));
      for (JsonElement e : page.getAsJsonArray("items")) {
        out.add(e.getAsJsonObject());
      }
      bookmark = page.get("bookmark").getAsString();
    } while (!bookmark.isEmpty());
    return out;
  }

  TxResult fold(String id, String batch) {
    return ch.submit(ch.insurerOrg, "stats:fold", id, batch);
  }

  /** Folds in batches of {@code batch} until FOLDED; returns the number of fold transactions. */
  int foldAll(String id, int batch) {
    int txs = 0;
    while (!bucket(id).get("state").getAsString().equals("FOLDED")) {
      TxResult r = fold(id, Integer.toString(batch));
      assertTrue(r.isValid(), r.toString());
      txs++;
    }
    return txs;
  }

  /** The regulator's decryption of a folded bucket's aggregate (as its view shows it). */
  BigInteger decryptAggregate(String id) {
    JsonObject st = bucket(id);
    assertTrue(st.get("state").getAsString().equals("FOLDED"), st.toString());
    PaillierCiphertext c = PaillierCiphertext.fromBytes(Base64.getDecoder().decode(st.get("aggregate").getAsString()),
        committee());
    return ch.regulator.paillier.decrypt(c);
  }
}
