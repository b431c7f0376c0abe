package org.medledger.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.medledger.sdk.CommitteeChannel.refused;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medledger.embedded.EmbeddedConnection;
import org.medledger.embedded.Endorsement;
import org.medledger.embedded.Identity;
import org.medledger.embedded.TxResult;
import org.medledger.embedded.TxStatus;
import org.medledger.protocol.StatsProtocol.Kind;
import org.medledger.protocol.StatsProtocol.State;

/**
 * The opening request seals exactly the set it found folded (docs/chaincode.md §11.2): it reads the
 * bucket's contribution range, so a contribution committed between the request's endorsement and
 * its commit is a phantom that invalidates the request, and one committed after it is late: shown,
 * never folded or opened. A fold, a request and a payment race here as they would on a channel.
 */
class StatsSealRaceTest {

  /** A member's gateway that endorses its committee:open and holds it instead of ordering it. */
  private static final class Holding extends ForwardingConnection {
    final CommitteeChannel ch;
    final Identity gw;
    Endorsement held;

    Holding(CommitteeChannel ch, Identity gw) {
      super(new EmbeddedConnection(ch.ledger, gw, "medledger", ch.clock));
      this.ch = ch;
      this.gw = gw;
    }

    Holding(CommitteeChannel ch) {
      this(ch, ch.ledger.identity("RegulatorOrgMSP", "RegulatorOrgMSP-holding"));
    }

    @Override
    public String submit(String function, String... args) throws LedgerCallException {
      held = ch.ledger.endorse(gw, ch.clock.instant(), function, args);
      throw new LedgerCallException(LedgerCallException.Kind.REJECTED, "HELD", held.txId(),
          LedgerCallException.Committed.NO, "held before ordering");
    }
  }

  @Test
  void aContributionCommittedUnderAnEndorsedRequestInvalidatesItAndOneAfterItIsLate() throws Exception {
    CommitteeChannel ch = new CommitteeChannel(false, true, CommitteeChannel.CONFIG.replace("\"patientMsps\"",
        "\"statsMinContributions\":2,\"patientMsps\""));
    String hospital = ch.hospital.accountId();
    ch.act(ch.member(1).issueAct(ch.insurer.accountId(), 100_000), 1, 2, 3);
    ch.insurer.pay(ch.patient.accountId(), 60_000);
    ch.patient.pay(hospital, 100);
    ch.patient.pay(hospital, 200);
    String pay = StatsClient.bucketId(hospital, Kind.PAY, StatsFlowTest.MARCH);
    ch.clock.jumpTo(Instant.parse("2026-04-01T00:00:00Z"));
    ch.patient.pay(hospital, 1); // April: another bucket
    StatsClient stats = StatsClient.builder().secrets(ch.hospitalSecrets).ledger(ch.gateway("HospitalOrgMSP"))
        .random(CommitteeChannel.RND).build();
    assertEquals(State.FOLDED, stats.foldAll(pay).state());
    // The patient's client with a clock still in March (a back-dated payment, or one in flight at midnight).
    AccountClient lateClient = new AccountClient(ch.patientSecrets, new EmbeddedConnection(ch.ledger,
        ch.ledger.identity("HospitalOrgMSP", "HospitalOrgMSP-march"), "medledger",
        new SteppingClock("2026-03-31T23:00:00Z")), CommitteeChannel.RND);

    // 1. The request is endorsed on the folded bucket; a March payment commits before it is ordered.
    Holding holding = new Holding(ch);
    StatsClient member = StatsClient.builder().secrets(ch.memberSecrets.get(0)).ledger(holding)
        .random(CommitteeChannel.RND).build();
    assertThrows(LedgerCallException.class, () -> member.requestOpening(pay, "March payments"));
    assertNotNull(holding.held);
    assertEquals("", holding.held.errorCode(), holding.held.errorMessage());
    lateClient.pay(hospital, 7);
    TxResult raced = ch.ledger.commitBlock(List.of(holding.held)).get(0);
    assertEquals(TxStatus.PHANTOM_READ_CONFLICT, raced.status(), raced.toString());
    StatsBucket notSealed = stats.bucket(pay);
    assertEquals(State.FOLDING, notSealed.state());
    assertEquals(2, notSealed.folded());
    assertEquals(3, notSealed.contributions());

    // 2. Folded again and requested: sealed with all three. A March payment after it is late.
    assertEquals(3, stats.foldAll(pay).folded());
    StatsClient committee = StatsClient.builder().secrets(ch.memberSecrets.get(0)).ledger(ch.gateway("RegulatorOrgMSP"))
        .random(CommitteeChannel.RND).build();
    Disclosure d = committee.requestOpening(pay, "March payments");
    lateClient.pay(hospital, 50);
    StatsBucket sealed = stats.bucket(pay);
    assertEquals(State.OPENING, sealed.state());
    assertEquals(3, sealed.folded());
    assertEquals(4, sealed.contributions()); // three sealed, one late
    refused("STATS_SEALED", () -> stats.fold(pay));
    for (int m : new int[] {1, 2, 3}) {
      ch.member(m).share(d.id(), ch.share(m));
    }
    StatsResult r = stats.publish(pay);
    assertEquals(3, r.count());
    assertEquals(BigInteger.valueOf(307), r.total());
  }
}
