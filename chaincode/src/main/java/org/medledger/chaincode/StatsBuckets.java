package org.medledger.chaincode;

import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.Role;
import org.medledger.protocol.StatsProtocol;
import org.medledger.protocol.StatsProtocol.Bucket;
import org.medledger.protocol.StatsProtocol.Kind;
import org.medledger.protocol.StatsProtocol.State;

/**
 * Statistics buckets (docs/chaincode.md §11): where contributions are written, how a bucket's
 * state is kept and how it is shown.
 *
 * <p>State: {@code statsc/<month>/<kind>/<account>/<contribution>} one contribution not yet folded
 * (its own key, written blind: a payment never reads or rewrites a key another payment writes);
 * {@code statss/<month>/<kind>/<account>} the bucket's state (FOLDING: a running aggregate, not
 * sealed; OPENING and OPENED: sealed by a committee member's signed opening request), written only
 * by {@code stats:fold}, the opening request and {@code stats:publish}.
 */
final class StatsBuckets {
  static final String CONTRIBUTION = "statsc";
  static final String STATE = "statss";
  /** Unfolded contributions a query counts per bucket before it reports "at least". */
  static final int COUNT_CAP = 1000;

  private StatsBuckets() {}

  /** The bucket a query names; STATS_BAD_BUCKET unless it is exactly one canonical bucket id. */
  static Bucket parse(String id) {
    try {
      return StatsProtocol.parse(id);
    } catch (IllegalArgumentException e) {
      throw LedgerException.of(ErrorCode.STATS_BAD_BUCKET, e.getMessage());
    }
  }

  static String[] attrs(Bucket b) {
    return new String[] {b.monthText(), b.kind().name(), b.account()};
  }

  // ------------------------------------------------------------------------------- contributing

  /**
   * Writes a money contribution: {@code amount} under the committee (regulator) key, into the bucket
   * of {@code kind} and {@code account} for this transaction's month, under the contribution id
   * {@code id} (the transaction id, or a batch member's id). One blind write, nothing read.
   */
  static void money(Ledger ledger, Kind kind, String account, String id, PaillierCiphertext amount) {
    YearMonth month = month(ledger);
    if (month == null) {
      return; // A payment is never refused for statistics; no bucket id could name this month.
    }
    write(ledger, new Bucket(month, kind, account), id, amount);
  }

  /** First instant of the year 0000 and of the year 10000 (UTC): bucket months lie between. */
  private static final Instant FIRST = Instant.parse("0000-01-01T00:00:00Z");
  private static final Instant PAST_LAST = Instant.parse("+10000-01-01T00:00:00Z");

  /**
   * The month of this transaction's timestamp, or null when its year lies outside 0000..9999 (a
   * client-chosen timestamp Fabric does not check): no canonical bucket id names such a month. The
   * range is checked on the Instant before any calendar arithmetic: an Instant of the year
   * ±1,000,000,000 has no LocalDate, and taking its month would throw.
   */
  static YearMonth month(Ledger ledger) {
    Instant t = ledger.timestamp();
    return t.isBefore(FIRST) || !t.isBefore(PAST_LAST) ? null : StatsProtocol.month(t);
  }

  /**
   * The money contribution of a transfer from {@code payer} to {@code payee}, if its kind is bucketed
   * ({@link StatsProtocol#transferKind}); {@code channel} makes it a CHANNEL contribution to the
   * institutional payee.
   */
  static void transfer(Ledger ledger, Account payer, Account payee, String id, PaillierCiphertext amountRegulator,
      boolean channel) {
    Kind kind = StatsProtocol.transferKind(payer.role(), payee.role());
    if (kind == null) {
      return;
    }
    if (channel) {
      if (payee.role() == Role.HOSPITAL || payee.role() == Role.INSURER) {
        money(ledger, Kind.CHANNEL, payee.id(), id, amountRegulator);
      }
      return;
    }
    money(ledger, kind, StatsProtocol.bucketsUnderPayer(kind) ? payer.id() : payee.id(), id, amountRegulator);
  }

  /** The money contribution of an issue: the public amount encrypted deterministically, (1+n)^amount (r = 1). */
  static void issue(Ledger ledger, Account regulator, String insurer, long amount) {
    PaillierPublicKey pk = regulator.publicKey();
    money(ledger, Kind.ISSUE, insurer, ledger.txId(), pk.ciphertext(pk.gPow(BigInteger.valueOf(amount))));
  }

  static void write(Ledger ledger, Bucket b, String id, PaillierCiphertext c) {
    JsonObject o = new JsonObject();
    o.addProperty("c", MoneyContract.b64(c));
    ledger.put(ledger.key(CONTRIBUTION, b.monthText(), b.kind().name(), b.account(), id), o);
  }

  // ------------------------------------------------------------------------------- state

  /** The stored state of a bucket, or null before its first fold. */
  static JsonObject state(Ledger ledger, Bucket b) {
    return ledger.get(ledger.key(STATE, attrs(b)));
  }

  static void save(Ledger ledger, Bucket b, JsonObject state) {
    ledger.put(ledger.key(STATE, attrs(b)), state);
  }

  /** A fresh state: no fold yet, the empty aggregate 1 (the trivial encryption of 0) and count 0. */
  static JsonObject fresh(Bucket b) {
    JsonObject o = new JsonObject();
    o.addProperty("bucketId", b.id());
    o.addProperty("state", State.FOLDING.name());
    o.addProperty("folded", 0);
    o.addProperty("aggregate", "");
    o.addProperty("disclosureId", "");
    return o;
  }

  /**
   * True iff a committee member's opening request has sealed the bucket (OPENING or OPENED): its
   * contribution set is fixed, nothing more is folded, later contributions are late.
   */
  static boolean sealed(JsonObject stored) {
    String s = stored.get("state").getAsString();
    return s.equals(State.OPENING.name()) || s.equals(State.OPENED.name());
  }

  /**
   * The state at {@code now} with {@code unfolded} contributions not folded: OPENING or OPENED once
   * sealed; else, before its month is over, COLLECTING; after it, CLOSED before the first fold,
   * FOLDING while contributions remain unfolded and FOLDED while none does (not sealed: a later
   * contribution makes it FOLDING again).
   */
  static State stateAt(Bucket b, JsonObject stored, Instant now, int unfolded) {
    if (stored != null && sealed(stored)) {
      return State.valueOf(stored.get("state").getAsString());
    }
    if (now.isBefore(b.closesAt())) {
      return State.COLLECTING;
    }
    if (stored == null) {
      return State.CLOSED;
    }
    return unfolded == 0 ? State.FOLDED : State.FOLDING;
  }

  /** The unfolded contributions of a bucket, at most {@code limit}. */
  static List<KeyValue> unfolded(Ledger ledger, Bucket b, int limit) {
    return ledger.scan(CONTRIBUTION, attrs(b), limit);
  }

  /** The view a query returns ({@code StatsBucket} in the SDK), from the committed state. */
  static JsonObject view(Ledger ledger, ChannelConfig cfg, Bucket b) {
    int n = unfolded(ledger, b, COUNT_CAP + 1).size();
    return view(ledger, cfg, b, state(ledger, b), Math.min(n, COUNT_CAP), n <= COUNT_CAP);
  }

  /**
   * The view of {@code stored} with {@code unfolded} contributions not folded (a lower bound unless
   * {@code exact}). A transaction passes the state it wrote: Fabric's reads do not see the
   * transaction's own writes.
   */
  static JsonObject view(Ledger ledger, ChannelConfig cfg, Bucket b, JsonObject stored, int unfolded, boolean exact) {
    long folded = stored == null ? 0 : stored.get("folded").getAsLong();
    JsonObject o = new JsonObject();
    o.addProperty("bucketId", b.id());
    o.addProperty("state", stateAt(b, stored, ledger.timestamp(), unfolded).name());
    o.addProperty("contributions", folded + unfolded);
    o.addProperty("countExact", exact);
    o.addProperty("folded", folded);
    o.addProperty("unfolded", unfolded);
    o.addProperty("minContributions", cfg.statsMinContributions());
    o.addProperty("closesAt", b.closesAt().toString());
    o.addProperty("disclosureId", stored == null ? "" : stored.get("disclosureId").getAsString());
    o.addProperty("aggregate", stored == null ? "" : stored.get("aggregate").getAsString());
    if (stored != null && stored.has("result")) {
      o.add("result", stored.getAsJsonObject("result").deepCopy());
    }
    return o;
  }
}
