package org.medledger.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medledger.sdk.CommitteeChannel.refused;

import java.math.BigInteger;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.medledger.embedded.EmbeddedConnection;
import org.medledger.crypto.stats.AgeBand;
import org.medledger.crypto.stats.IcdChapter;
import org.medledger.crypto.stats.SlotLayout;
import org.medledger.crypto.stats.StatsTally;
import org.medledger.protocol.CommitteeProtocol.Mode;
import org.medledger.protocol.CommitteeProtocol.Target;
import org.medledger.protocol.StatsProtocol.Kind;
import org.medledger.protocol.StatsProtocol.State;
import org.medledger.sdk.synthetic.SyntheticRecords;

/**
 * Encrypted statistics end to end on the embedded ledger (docs/client-sdk.md §13), with k = 4: a
 * hospital is paid four times and writes four records with contributions in March; in April the
 * buckets are folded, the 3-of-5 committee opens the payments and records buckets (PUBLIC disclosures, three
 * verified shares each) and the published results equal the plaintext sums; a bucket below k, an
 * open month, an unfolded bucket, a second opening, a PRIVATE opening and a query that is not one
 * bucket are refused with nothing written.
 */
class StatsFlowTest {
  static final YearMonth MARCH = YearMonth.of(2026, 3);

  @Test
  void committeeOpensClosedBucketsOfAtLeastKAndNothingElse() throws Exception {
    CommitteeChannel ch = fundedChannel(4); // k = 4 here (the default is 10), to keep the test short.
    String hospital = ch.hospital.accountId();
    RecordClient records = new RecordClient(ch.hospitalSecrets, ch.gateway("HospitalOrgMSP"), CommitteeChannel.RND);
    StatsClient stats = stats(ch.hospitalSecrets, ch.gateway("HospitalOrgMSP"));
    SyntheticRecords synthetic = new SyntheticRecords(14);
    Random rnd = new Random(14);
    long paid = 0;
    long fees = 0;
    long[] counters = new long[SlotLayout.COUNTERS];
    for (int i = 0; i < 4; i++) {
      long amount = 100 + rnd.nextInt(2_000);
      ch.patient.pay(hospital, amount);
      paid += amount;
      StatsVisit visit = StatsVisit.of(IcdChapter.values()[rnd.nextInt(IcdChapter.COUNT)], rnd.nextInt(100), amount);
      StatsClient.Contributed c = records.write(ch.patient.accountId(), "visit", synthetic.next(), visit);
      assertEquals(visit.chapter(), c.opening().chapter());
      assertEquals(amount, c.opening().fee());
      fees += amount;
      counters[SlotLayout.slot(visit.chapter())]++;
      counters[SlotLayout.slot(visit.band())]++;
    }
    ch.insurer.pay(hospital, 500);
    ch.insurer.pay(hospital, 700);

    String pay = StatsClient.bucketId(hospital, Kind.PAY, MARCH);
    String recs = StatsClient.bucketId(hospital, Kind.RECORDS, MARCH);
    String settle = StatsClient.bucketId(hospital, Kind.SETTLE, MARCH);
    List<StatsBucket> march = stats.buckets(MARCH);
    assertEquals(List.of(StatsClient.bucketId(ch.insurer.accountId(), Kind.FUND, MARCH),
        StatsClient.bucketId(ch.insurer.accountId(), Kind.ISSUE, MARCH), pay, recs, settle),
        march.stream().map(StatsBucket::id).toList());
    assertEquals(List.of(1L, 1L, 4L, 4L, 2L), march.stream().map(StatsBucket::contributions).toList());
    assertTrue(march.stream().allMatch(b -> b.state() == State.COLLECTING && b.countExact() && b.minContributions() == 4));
    StatsClient.Page first = stats.buckets(MARCH, 2, "");
    assertEquals(2, first.buckets().size());
    assertEquals(march.get(2).id(), stats.buckets(MARCH, 2, first.bookmark()).buckets().get(0).id());

    StatsClient committee = stats(ch.memberSecrets.get(0), ch.gateway("RegulatorOrgMSP"));
    unchanged(ch, "STATS_NOT_CLOSED", () -> committee.requestOpening(pay, "March payments"));
    unchanged(ch, "STATS_NOT_CLOSED", () -> stats.fold(pay));

    ch.clock.jumpTo(Instant.parse("2026-04-01T00:00:00Z"));
    ch.patient.pay(hospital, 1); // April: another bucket
    assertEquals(State.CLOSED, stats.bucket(pay).state());
    unchanged(ch, "STATS_NOT_FOLDED", () -> committee.requestOpening(pay, "March payments"));
    assertEquals(State.FOLDED, stats.foldAll(pay).state());
    assertEquals(State.FOLDED, stats.foldAll(recs).state());
    assertEquals(State.FOLDED, stats.foldAll(settle).state());
    assertEquals(2, stats.bucket(settle).folded());
    unchanged(ch, "STATS_BELOW_K", () -> committee.requestOpening(settle, "March settlements"));
    unchanged(ch, "UNKNOWN_TARGET", () -> committee.requestOpening(StatsClient.bucketId(hospital, Kind.TRANSFER, MARCH),
        "a bucket nobody paid into"));
    assertTrue(stats.bucket(pay).reachesK());
    assertTrue(!stats.bucket(settle).reachesK());
    unchanged(ch, "STATS_NOT_CLOSED", () -> committee.requestOpening(StatsClient.bucketId(hospital, Kind.PAY,
        YearMonth.of(2026, 4)), "April so far"));
    for (String notOne : List.of("2026-03.*." + hospital, "2026-03.PAY." + hospital + ",2026-03.SETTLE." + hospital,
        "2026-03.PAY", "2026-3.PAY." + hospital)) {
      unchanged(ch, "STATS_BAD_BUCKET", () -> ch.member(2).open(Target.STATS_BUCKET, notOne, "", "overlap", Mode.PUBLIC));
      assertThrows(IllegalArgumentException.class, () -> committee.requestOpening(notOne, "overlap"));
    }
    unchanged(ch, "STATS_PUBLIC_ONLY", () -> ch.member(2).open(Target.STATS_BUCKET, pay, "", "quietly", Mode.PRIVATE));
    unchanged(ch, "STATS_NOT_OPENED", () -> stats.publish(pay));
    unchanged(ch, "NOT_COMMITTEE_MEMBER", () -> stats.requestOpening(pay, "a hospital is no member"));

    Disclosure d = committee.requestOpening(pay, "March payments to the hospital");
    assertEquals(Target.STATS_BUCKET, d.targetKind());
    assertEquals(List.of(hospital), d.concerned());
    unchanged(ch, "STATS_ALREADY_OPENED", () -> ch.member(3).open(Target.STATS_BUCKET, pay, "", "again", Mode.PUBLIC));
    assertEquals(State.OPENING, stats.bucket(pay).state());
    ch.member(1).share(d.id(), ch.share(1));
    ch.member(3).share(d.id(), ch.share(3));
    unchanged(ch, "STATS_NOT_OPENED", () -> stats.publish(pay));
    assertEquals("OPENED", ch.member(5).share(d.id(), ch.share(5)).status());
    StatsResult r = stats.publish(pay);
    assertEquals(4, r.count());
    assertEquals(BigInteger.valueOf(paid), r.total());
    assertTrue(r.tally().isEmpty());
    assertEquals(d.id(), r.disclosureId());
    unchanged(ch, "STATS_ALREADY_OPENED", () -> stats.publish(pay));
    StatsBucket opened = stats.bucket(pay);
    assertEquals(State.OPENED, opened.state());
    assertEquals(r, opened.result().orElseThrow());

    Disclosure dr = committee.requestOpening(recs, "March visits by chapter and age");
    for (int m : new int[] {2, 4, 5}) {
      ch.member(m).share(dr.id(), ch.share(m));
    }
    StatsResult rr = stats.publish(recs);
    StatsTally t = rr.tally().orElseThrow();
    assertEquals(4, rr.count());
    assertArrayEquals(counters, t.counters());
    assertEquals(BigInteger.valueOf(fees), rr.total());
    assertEquals(rr, stats.result(recs).orElseThrow());
    assertTrue(stats.result(settle).isEmpty());

    // The hospital sees both openings in its disclosure trail.
    CommitteeClient hospitalView = new CommitteeClient(ch.hospitalSecrets, ch.gateway("HospitalOrgMSP"), CommitteeChannel.RND);
    assertEquals(List.of(d.id(), dr.id()), hospitalView.trail().stream().map(Disclosure::id).toList());
  }

  /**
   * A fold is unsigned and a Fabric client chooses its proposal timestamp: anyone may send one dated
   * in the next month. It must not seal the running month (that made every later contribution of the
   * month late, never counted: one transaction per bucket destroyed a month's statistics or kept a
   * bucket below k). Only a committee member's signed opening request seals; the contributions made
   * after a post-dated fold are counted when the bucket is opened.
   */
  @Test
  void aPostDatedFoldByANonMemberDoesNotSealTheMonth() throws Exception {
    CommitteeChannel ch = fundedChannel(4);
    String hospital = ch.hospital.accountId();
    String pay = twoMarchPayments(ch);
    // The attacker: an insurer's gateway whose clock says April 1st while March is running.
    StatsClient attacker = stats(ch.insurerSecrets, aprilFirst(ch, "InsurerOrgMSP", "InsurerOrgMSP-attacker"));
    assertEquals(2, attacker.fold(pay).folded());
    // Still March on every honest clock: three more payments of the month.
    ch.patient.pay(hospital, 300);
    ch.patient.pay(hospital, 400);
    ch.patient.pay(hospital, 500);
    StatsBucket running = new StatsClient(ch.hospitalSecrets, ch.gateway("HospitalOrgMSP"), CommitteeChannel.RND).bucket(pay);
    assertEquals(State.COLLECTING, running.state());
    assertEquals(5, running.contributions());
    assertTrue(running.reachesK());

    ch.clock.jumpTo(Instant.parse("2026-04-01T00:00:00Z"));
    StatsClient stats = stats(ch.hospitalSecrets, ch.gateway("HospitalOrgMSP"));
    StatsClient committee = stats(ch.memberSecrets.get(0), ch.gateway("RegulatorOrgMSP"));
    unchanged(ch, "STATS_NOT_FOLDED", () -> committee.requestOpening(pay, "March payments"));
    ch.patient.pay(hospital, 1); // April: another bucket (the embedded ledger dates queries by the last commit)
    assertEquals(State.FOLDING, stats.bucket(pay).state());
    StatsBucket folded = stats.foldAll(pay);
    assertEquals(State.FOLDED, folded.state());
    assertEquals(5, folded.folded());
    Disclosure d = committee.requestOpening(pay, "March payments");
    for (int m : new int[] {1, 2, 3}) {
      ch.member(m).share(d.id(), ch.share(m));
    }
    StatsResult r = stats.publish(pay);
    assertEquals(5, r.count());
    assertEquals(BigInteger.valueOf(1_500), r.total());
  }

  /**
   * The opening request seals the bucket, and its month check is made by the request's (client-chosen)
   * timestamp: a member who post-dates a request is named in the disclosure log, and the other
   * members' clients refuse to share for a bucket whose month is not over by their own clock.
   * Contributions written after the seal are late and never counted.
   */
  @Test
  void membersRefuseToShareForABucketWhoseMonthIsNotOverByTheirClock() throws Exception {
    CommitteeChannel ch = fundedChannel(2);
    String hospital = ch.hospital.accountId();
    String pay = twoMarchPayments(ch);
    StatsClient early = stats(ch.memberSecrets.get(3), aprilFirst(ch, "RegulatorOrgMSP", "RegulatorOrgMSP-early"));
    assertEquals(State.FOLDED, early.fold(pay).state());
    Disclosure d = early.requestOpening(pay, "March payments, a little early");
    assertEquals(ch.memberSecrets.get(3).accountId(), d.requester());
    ch.patient.pay(hospital, 300); // after the seal: late
    unchanged(ch, "STATS_SEALED", () -> early.fold(pay));
    StatsBucket sealed = early.bucket(pay);
    assertEquals(State.OPENING, sealed.state());
    assertEquals(2, sealed.folded());
    assertEquals(3, sealed.contributions());

    long height = ch.ledger.height();
    // Member 1's client reads its own clock (still March).
    CommitteeClient onTime = CommitteeClient.builder().secrets(ch.memberSecrets.get(0)).ledger(ch.gateway("RegulatorOrgMSP"))
        .random(CommitteeChannel.RND).clock(ch.clock).build();
    ClientRefusalException e = assertThrows(ClientRefusalException.class, () -> onTime.share(d.id(), ch.share(1)));
    assertEquals(ClientError.STATS_MONTH_NOT_OVER, e.errorCode());
    assertEquals(height, ch.ledger.height(), "a refused share must not be sent");

    ch.clock.jumpTo(Instant.parse("2026-04-01T00:00:00Z"));
    onTime.share(d.id(), ch.share(1));
    for (int m : new int[] {2, 3}) {
      ch.member(m).share(d.id(), ch.share(m));
    }
    StatsResult r = early.publish(pay);
    assertEquals(2, r.count());
    assertEquals(BigInteger.valueOf(300), r.total());
    assertEquals(1, early.bucket(pay).contributions() - early.bucket(pay).folded());
  }

  /**
   * A committee channel whose statistics buckets open from {@code k} contributions, with the insurer
   * issued 100,000 by the committee and the patient paid 60,000 by the insurer.
   */
  private static CommitteeChannel fundedChannel(int k) throws Exception {
    CommitteeChannel ch = new CommitteeChannel(false, true, CommitteeChannel.CONFIG.replace("\"patientMsps\"",
        "\"statsMinContributions\":" + k + ",\"patientMsps\""));
    ch.act(ch.member(1).issueAct(ch.insurer.accountId(), 100_000), 1, 2, 3);
    ch.insurer.pay(ch.patient.accountId(), 60_000);
    return ch;
  }

  /** The patient pays the hospital 100, then 200, in March; returns the hospital's March payments bucket. */
  private static String twoMarchPayments(CommitteeChannel ch) throws Exception {
    String hospital = ch.hospital.accountId();
    String pay = StatsClient.bucketId(hospital, Kind.PAY, MARCH);
    ch.patient.pay(hospital, 100);
    ch.patient.pay(hospital, 200);
    return pay;
  }

  /** A gateway of {@code msp} for identity {@code name} whose clock says April 1st, whatever the channel's clock says. */
  private static LedgerConnection aprilFirst(CommitteeChannel ch, String msp, String name) {
    return new EmbeddedConnection(ch.ledger, ch.ledger.identity(msp, name), "medledger",
        new SteppingClock("2026-04-01T00:00:00Z"));
  }

  private static StatsClient stats(AccountSecrets secrets, LedgerConnection ledger) {
    return StatsClient.builder().secrets(secrets).ledger(ledger).random(CommitteeChannel.RND).build();
  }

  /** The call is refused with {@code code} and the ledger does not grow. */
  private static void unchanged(CommitteeChannel ch, String code, CommitteeChannel.Executable call) {
    long height = ch.ledger.height();
    refused(code, call);
    assertEquals(height, ch.ledger.height(), code + ": a refused request must not be ordered");
  }

  /**
   * A contribution tells the chapter, age band and fee of one visit to whoever holds the regulator's
   * Paillier key. Only a registered committee (t-of-m, docs/chaincode.md §10.1) makes that key one that
   * no single party uses; before committee:register, a regulator whose key was dealt (or an ordinary
   * key) could decrypt every visit of the channel one by one from the stored record requests, and the
   * endorsing peers see the contribution even if the write were refused. So the hospital's client
   * sends none: NO_COMMITTEE, nothing sent. A record without a visit is still written.
   */
  @Test
  void aHospitalSendsNoContributionToAChannelWithoutACommittee() throws Exception {
    CommitteeChannel ch = new CommitteeChannel(false, false);
    RecordClient records = new RecordClient(ch.hospitalSecrets, ch.gateway("HospitalOrgMSP"), CommitteeChannel.RND);
    StatsClient stats = StatsClient.builder().secrets(ch.hospitalSecrets).ledger(ch.gateway("HospitalOrgMSP"))
        .random(CommitteeChannel.RND).build();
    SyntheticRecords synthetic = new SyntheticRecords(15);
    StatsVisit visit = StatsVisit.of(IcdChapter.IX, 40, 120);
    long height = ch.ledger.height();
    ClientRefusalException e = assertThrows(ClientRefusalException.class,
        () -> records.write(ch.patient.accountId(), "visit", synthetic.next(), visit));
    assertEquals(ClientError.NO_COMMITTEE, e.errorCode(), e.getMessage());
    assertEquals(height, ch.ledger.height(), "nothing was sent");
    assertEquals(ClientError.NO_COMMITTEE, assertThrows(ClientRefusalException.class,
        () -> stats.contribution("any-record", MARCH, visit)).errorCode());
    records.write(ch.patient.accountId(), "visit", synthetic.next());
    assertEquals(height + 1, ch.ledger.height());

    ch.regulator.registerCommittee(ch.dealing.publicKey(), ch.memberIds(0, 5));
    assertEquals(IcdChapter.IX, records.write(ch.patient.accountId(), "visit", synthetic.next(), visit).opening().chapter());
  }
}
