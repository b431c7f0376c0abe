package org.medledger.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.security.SecureRandom;
import java.time.YearMonth;
import java.util.List;
import org.medledger.crypto.SecretAccess;
import org.medledger.crypto.paillier.KeySize;
import org.medledger.crypto.paillier.PaillierKeyGenerator;
import org.medledger.crypto.stats.IcdChapter;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.Role;
import org.medledger.protocol.StatsProtocol;
import org.medledger.protocol.StatsProtocol.Kind;
import org.medledger.protocol.StatsProtocol.State;

/**
 * The statistics step of {@link GatewayNetworkIT} (docs/client-sdk.md §13) on the real peers: a
 * record written with its contribution enters the hospital's RECORDS bucket of this month, the
 * earlier payments are in its PAY bucket, both are listed; a contribution made for another record is
 * refused by the peers; folding and opening are refused while the month runs (a real network cannot
 * post-date its transactions, so the opening itself is tested on the embedded ledger, StatsFlowTest).
 */
final class StatsOnPeers {
  private StatsOnPeers() {}

  static String run(LedgerConnection hospitalGw, RecordStory story, String paidHospital, CommitteeClient member,
      AccountSecrets memberSecrets, LedgerConnection regulatorGw, SecureRandom rnd) throws Exception {
    AccountSecrets patientSecrets = story.secrets(Role.PATIENT, new PaillierKeyGenerator(rnd).generate(KeySize.BITS_2048));
    story.register(patientSecrets, "HospitalOrgMSP");
    StatsClient stats = StatsClient.builder().secrets(story.hospitalSecrets).ledger(hospitalGw).random(rnd).build();
    YearMonth month = StatsProtocol.month(hospitalGw.queryTime());
    String recs = StatsClient.bucketId(story.hospitalSecrets.accountId(), Kind.RECORDS, month);
    long before = stats.bucket(recs).contributions();

    StatsVisit visit = StatsVisit.of(IcdChapter.X, 42, 1_200);
    StatsClient.Contributed c = story.hospital.write(patientSecrets.accountId(), "visit", story.synthetic.next(), visit);
    assertEquals(IcdChapter.X, c.opening().chapter());
    StatsBucket b = stats.bucket(recs);
    assertEquals(before + 1, b.contributions());
    assertEquals(State.COLLECTING, b.state());

    // The same contribution attached to the hospital's next record (re-signed by the hospital): refused.
    RecordClient replaying = new RecordClient(story.hospitalSecrets, new SwapStats(hospitalGw,
        c.opening().contribution().toBytes(), story.hospitalSecrets), rnd);
    LedgerCallException replay = assertThrows(LedgerCallException.class,
        () -> replaying.write(patientSecrets.accountId(), "visit", story.synthetic.next(), visit));
    assertEquals("STATS_CONTRIBUTION_INVALID", replay.errorCode(), replay.getMessage());
    assertEquals(before + 1, stats.bucket(recs).contributions());

    String pay = StatsClient.bucketId(paidHospital, Kind.PAY, month);
    StatsBucket payments = stats.bucket(pay);
    assertTrue(payments.contributions() >= 1, payments.toString());
    List<String> listed = stats.buckets(month).stream().map(StatsBucket::id).toList();
    assertTrue(listed.contains(recs) && listed.contains(pay), listed.toString());

    LedgerCallException fold = assertThrows(LedgerCallException.class, () -> stats.fold(pay));
    assertEquals("STATS_NOT_CLOSED", fold.errorCode(), fold.getMessage());
    StatsClient committee = StatsClient.builder().secrets(memberSecrets).ledger(regulatorGw).random(rnd).build();
    LedgerCallException open = assertThrows(LedgerCallException.class, () -> committee.requestOpening(pay, "too early"));
    assertEquals("STATS_NOT_CLOSED", open.errorCode(), open.getMessage());
    assertEquals(List.of(), member.disclosures().stream().filter(d -> d.targetId().equals(pay)).toList());
    return "statistics: a record contribution verified by the peers (RECORDS bucket " + (before + 1) + "), PAY bucket with "
        + payments.contributions() + " contributions listed, a replayed contribution refused, fold and opening refused"
        + " while " + month + " runs";
  }

  /** Replaces the {@code stats} member of every records:write by fixed bytes and re-signs the body. */
  private static final class SwapStats extends ForwardingConnection {
    private final String stats;
    private final AccountSecrets signer;

    SwapStats(LedgerConnection inner, byte[] stats, AccountSecrets signer) {
      super(inner);
      this.stats = java.util.Base64.getEncoder().encodeToString(stats);
      this.signer = signer;
    }

    @Override
    public String submit(String fn, String... args) throws LedgerCallException {
      if (!fn.equals("records:write")) {
        return inner.submit(fn, args);
      }
      JsonObject body = CanonicalJson.parseObject(args[0]).getAsJsonObject("body");
      body.addProperty("stats", stats);
      String[] changed = args.clone();
      changed[0] = org.medledger.protocol.SignedRequest.sign(inner.channel(), inner.chaincode(), body,
          signer.signingKey(SecretAccess.explicit())).toJson();
      return inner.submit(fn, changed);
    }
  }
}
