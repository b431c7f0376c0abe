package org.medledger.sdk;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.security.SecureRandom;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.stats.StatsContext;
import org.medledger.crypto.stats.StatsContribution;
import org.medledger.crypto.stats.StatsOpening;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.CommitteeProtocol;
import org.medledger.protocol.StatsProtocol;
import org.medledger.sdk.internal.Requests;

/**
 * Encrypted statistics (docs/client-sdk.md §13, docs/chaincode.md §11): a hospital's statistical
 * contribution to a record, the buckets the chaincode aggregates contributions and confidential
 * payments into, folding a closed bucket in bounded batches, a committee member's request to open a
 * bucket (a PUBLIC committee disclosure of its aggregate, shared with {@link CommitteeClient#share})
 * and the published results.
 *
 * <p>A bucket is (account, kind, calendar month UTC), named by {@link #bucketId}. It may be opened
 * only once, when its month is over and it holds at least k contributions (k in the channel
 * configuration, default {@value StatsProtocol#DEFAULT_MIN_CONTRIBUTIONS}).
 *
 * <p>The usual flow: hospitals write records with {@link RecordClient#write(String, String,
 * MedicalRecord, StatsVisit)}; payments enter money buckets by themselves. After the month, anyone
 * calls {@link #foldAll}; a committee member calls {@link #requestOpening}; t members call
 * {@link CommitteeClient#share} on the disclosure; anyone calls {@link #publish}; everyone reads
 * {@link #result} or {@link #buckets}.
 */
public final class StatsClient {
  /** Most buckets one page of {@link #buckets(YearMonth, int, String)} returns. */
  public static final int MAX_PAGE = 100;

  private final Requests requests;
  private final LedgerConnection ledger;
  private final SecureRandom rnd;

  /** A client with the default settings; {@link #builder()} sets the others. */
  public StatsClient(AccountSecrets secrets, LedgerConnection ledger, SecureRandom rnd) {
    this.requests = new Requests(secrets, ledger, rnd);
    this.ledger = ledger;
    this.rnd = rnd;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link StatsClient}: secrets, ledger and random source are required. */
  public static final class Builder {
    private AccountSecrets secrets;
    private LedgerConnection ledger;
    private SecureRandom rnd;

    private Builder() {}

    public Builder secrets(AccountSecrets s) {
      this.secrets = Objects.requireNonNull(s, "secrets");
      return this;
    }

    public Builder ledger(LedgerConnection l) {
      this.ledger = Objects.requireNonNull(l, "ledger");
      return this;
    }

    public Builder random(SecureRandom r) {
      this.rnd = Objects.requireNonNull(r, "random");
      return this;
    }

    public StatsClient build() {
      Objects.requireNonNull(secrets, "secrets");
      Objects.requireNonNull(ledger, "ledger");
      Objects.requireNonNull(rnd, "random");
      return new StatsClient(secrets, ledger, rnd);
    }
  }

  /** One page of buckets; {@code bookmark} is "" after the last page. */
  public record Page(List<StatsBucket> buckets, String bookmark) {
    public Page {
      buckets = List.copyOf(buckets);
    }
  }

  /**
   * A record written with its statistical contribution, and the contribution's opening: secret (it
   * holds the chapter, band and fee); the hospital keeps it so that an auditor whom the patient
   * granted the record can check the contribution against it (docs/protocol.md §11.7).
   */
  public record Contributed(RecordClient.Written written, StatsOpening opening) {}

  public String accountId() {
    return requests.accountId();
  }

  /** The canonical id of the bucket (account, kind, month). */
  public static String bucketId(String account, StatsProtocol.Kind kind, YearMonth month) {
    return new StatsProtocol.Bucket(month, kind, account).id();
  }

  // ------------------------------------------------------------------------------- contributing

  /**
   * Builds the statistical contribution of record {@code recordId}, written by this (hospital)
   * account in {@code month}, under the channel's committee key, and keeps its opening. The
   * chaincode accepts it only in the record write of {@code recordId} whose transaction is dated in
   * {@code month}; {@link RecordClient#write(String, String, MedicalRecord, StatsVisit)} builds it for
   * you. Costs about a second of CPU at 2048 bits.
   *
   * @throws ClientRefusalException NO_COMMITTEE on a channel without a registered committee
   */
  public StatsOpening contribution(String recordId, YearMonth month, StatsVisit visit)
      throws LedgerCallException, ClientRefusalException {
    requireCommittee(ledger);
    return contribution(requests, ledger, rnd, recordId, month, visit);
  }

  /**
   * Refuses (NO_COMMITTEE, nothing built or sent) unless the channel has a registered regulator
   * committee: before it, the regulator key may be one party's, who could decrypt each visit one by
   * one (docs/chaincode.md §11.1).
   */
  static void requireCommittee(LedgerConnection ledger) throws LedgerCallException, ClientRefusalException {
    try {
      ledger.evaluate("committee:getCommittee");
    } catch (LedgerCallException e) {
      if (e.kind() == LedgerCallException.Kind.REFUSED && "NO_COMMITTEE".equals(e.errorCode())) {
        throw new ClientRefusalException(ClientError.NO_COMMITTEE, "the channel has no registered regulator committee:"
            + " a statistical contribution would be readable by whoever holds the regulator key");
      }
      throw e;
    }
  }

  static StatsOpening contribution(Requests requests, LedgerConnection ledger, SecureRandom rnd, String recordId,
      YearMonth month, StatsVisit visit) throws LedgerCallException {
    PaillierPublicKey committee = requests.key(requests.regulator());
    StatsContext ctx = new StatsContext(ledger.channel(), ledger.chaincode(), recordId, requests.accountId(),
        StatsProtocol.monthText(month));
    return StatsContribution.proveOpened(committee, ctx, visit.chapter(), visit.band(), visit.fee(), rnd);
  }

  // ------------------------------------------------------------------------------- buckets

  /**
   * A bucket as the ledger holds it now (its state judged at the query's time).
   *
   * @throws IllegalArgumentException for a string that is not a canonical bucket id
   */
  public StatsBucket bucket(String bucketId) throws LedgerCallException {
    StatsProtocol.parse(bucketId);
    return StatsBucket.fromJson(CanonicalJson.parseObject(ledger.evaluate("stats:getBucket", bucketId)));
  }

  /**
   * One page of the buckets that hold a contribution, in id order; {@code month} null for every
   * month. {@code pageSize} 1..{@value #MAX_PAGE}; {@code bookmark} "" for the first page, else the
   * one the previous page returned.
   */
  public Page buckets(YearMonth month, int pageSize, String bookmark) throws LedgerCallException {
    if (pageSize < 1 || pageSize > MAX_PAGE) {
      throw new IllegalArgumentException("page size must be 1.." + MAX_PAGE);
    }
    JsonObject page = CanonicalJson.parseObject(ledger.evaluate("stats:listBuckets",
        month == null ? "" : StatsProtocol.monthText(month), Integer.toString(pageSize), Objects.requireNonNull(bookmark)));
    List<StatsBucket> out = new ArrayList<>();
    for (JsonElement e : page.getAsJsonArray("items")) {
      out.add(StatsBucket.fromJson(e.getAsJsonObject()));
    }
    return new Page(out, out.isEmpty() ? "" : page.get("bookmark").getAsString());
  }

  /** Every bucket of {@code month} (null: of every month), all pages. */
  public List<StatsBucket> buckets(YearMonth month) throws LedgerCallException {
    List<StatsBucket> out = new ArrayList<>();
    String bookmark = "";
    do {
      Page p = buckets(month, MAX_PAGE, bookmark);
      out.addAll(p.buckets());
      bookmark = p.bookmark();
    } while (!bookmark.isEmpty());
    return out;
  }

  // ------------------------------------------------------------------------------- folding

  /**
   * Folds one batch (at most {@value StatsProtocol#MAX_FOLD_BATCH}) of a closed bucket's
   * contributions into its running aggregate; returns the bucket after it. Anyone may fold: it is
   * deterministic and reveals nothing.
   */
  public StatsBucket fold(String bucketId) throws LedgerCallException {
    StatsProtocol.parse(bucketId);
    return StatsBucket.fromJson(CanonicalJson.parseObject(ledger.submit("stats:fold", bucketId,
        Integer.toString(StatsProtocol.MAX_FOLD_BATCH))));
  }

  /**
   * Folds until every contribution written so far is in the aggregate (FOLDED, or OPENING/OPENED
   * if it is sealed already); returns the bucket. Folding never seals: a contribution written later
   * makes the bucket FOLDING again, until a committee member's opening request seals it.
   */
  public StatsBucket foldAll(String bucketId) throws LedgerCallException {
    StatsBucket b = bucket(bucketId);
    while (b.state() == StatsProtocol.State.CLOSED || b.state() == StatsProtocol.State.FOLDING) {
      b = fold(bucketId);
    }
    return b;
  }

  // ------------------------------------------------------------------------------- opening

  /**
   * Committee member: requests the opening of a folded bucket, a PUBLIC disclosure of its
   * aggregate with {@code reason} (1..500 characters, stored on chain). This signed request seals
   * the bucket (refused STATS_NOT_FOLDED while a contribution is unfolded: {@link #foldAll} first);
   * the chaincode checks the month is over by the request's timestamp, which this client stamps, and
   * the other members' clients refuse to share unless it is over by theirs. Members then share with
   * {@link CommitteeClient#share} on the returned disclosure id.
   */
  public Disclosure requestOpening(String bucketId, String reason) throws LedgerCallException {
    StatsProtocol.parse(bucketId);
    String out = requests.submit("committee:open", nonce -> {
      JsonObject b = requests.body("disclosure.open", nonce);
      b.addProperty("disclosureId", CommitteeProtocol.disclosureId(ledger.channel(), ledger.chaincode(),
          requests.accountId(), nonce));
      b.addProperty("targetKind", CommitteeProtocol.Target.STATS_BUCKET.name());
      b.addProperty("targetId", bucketId);
      b.addProperty("targetAccount", "");
      b.addProperty("reason", reason);
      b.addProperty("mode", CommitteeProtocol.Mode.PUBLIC.name());
      return b;
    });
    return Disclosure.fromJson(CanonicalJson.parseObject(out));
  }

  /**
   * Publishes the result of a bucket whose disclosure the committee has opened (t verified shares):
   * the chaincode unpacks the plaintext against the bucket's count and stores it. Anyone may call it.
   */
  public StatsResult publish(String bucketId) throws LedgerCallException {
    StatsProtocol.parse(bucketId);
    StatsBucket b = StatsBucket.fromJson(CanonicalJson.parseObject(ledger.submit("stats:publish", bucketId)));
    return b.result().orElseThrow(() -> new IllegalStateException("the chaincode published no result"));
  }

  /** The published result of a bucket, if it has been opened. */
  public Optional<StatsResult> result(String bucketId) throws LedgerCallException {
    return bucket(bucketId).result();
  }
}
