package org.medledger.sdk;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.medledger.crypto.SecretAccess;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.Contexts;
import org.medledger.protocol.Limits;
import org.medledger.protocol.Role;
import org.medledger.protocol.SignedRequest;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.proof.FactorProof;
import org.medledger.crypto.proof.KeyProof;
import org.medledger.crypto.proof.RingPedersenParams;
import org.medledger.crypto.proof.TransferContext;
import org.medledger.crypto.proof.TransferProof;
import org.medledger.crypto.proof.TransferStatement;

/**
 * One account's client (docs/client-sdk.md §3): registers, issues, pays and folds by building and
 * signing the chaincode's requests with the account's secrets, which never leave this object.
 * A payment that loses an MVCC race or finds its nonce or balance moved is rebuilt from fresh
 * state and resubmitted, at most {@link #MAX_ATTEMPTS} times; a refusal is never retried blindly,
 * and an attempt of unknown outcome is looked up before anything else is sent. One client sends
 * one state-changing request at a time (those methods are synchronized).
 */
public final class AccountClient {
  /** Attempts per payment: the first try plus rebuilds after a conflict, a moved nonce or an unknown outcome. */
  public static final int MAX_ATTEMPTS = 4;
  /** How long a payment waits for an attempt of unknown outcome to become visible once its nonce moved. */
  public static final Duration DEFAULT_RESOLVE_WAIT = Duration.ofSeconds(30);
  private static final Duration RESOLVE_POLL = Duration.ofMillis(500);
  /**
   * Retries after failures a retry can fix, on top of {@link #MAX_ATTEMPTS}: endorsers or the
   * gateway not reachable, not ready or too slow (never ordered, nothing written), an endorser
   * lagging behind the ledger's nonce, a look-up that failed (docs/client-sdk.md §5).
   */
  public static final int MAX_TRANSIENT_RETRIES = 4;
  /** The first pause after a failure a retry can fix; the n-th is up to 2^(n−1) times longer, at most 8 times. */
  public static final Duration DEFAULT_RETRY_PAUSE = Duration.ofSeconds(2);

  private final AccountSecrets secrets;
  private final LedgerConnection ledger;
  private final SecureRandom rnd;
  private final Map<String, PaillierPublicKey> keys = new HashMap<>();
  private Duration resolveWait = DEFAULT_RESOLVE_WAIT;
  private Duration retryPause = DEFAULT_RETRY_PAUSE;

  public AccountClient(AccountSecrets secrets, LedgerConnection ledger, SecureRandom rnd) {
    this.secrets = secrets;
    this.ledger = ledger;
    this.rnd = rnd;
    secrets.paillier().precompute();
  }

  /** Sets how long {@link #pay} looks for an attempt of unknown outcome once its nonce has moved. */
  public synchronized AccountClient resolveWait(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("resolve wait must not be negative");
    }
    this.resolveWait = d;
    return this;
  }

  public String accountId() {
    return secrets.accountId();
  }

  /**
   * Registers the account with its key proof (Π^mod) and, for every role but the regulator, its
   * no-small-factor proof (Π^fac) against the channel's ring-Pedersen parameters, which must
   * already be published (docs/client-sdk.md §3: the regulator registers first, then runs
   * records:setup, then everyone else registers).
   *
   * @throws LedgerCallException RECORDS_NOT_SET_UP for a non-regulator before records:setup
   */
  public synchronized void register() throws LedgerCallException {
    JsonObject b = body("register", 0);
    b.addProperty("role", secrets.role().name());
    b.addProperty("paillierKey", b64(secrets.paillier().publicKey().toBytes()));
    byte[] ctx = Contexts.keyProofContext(ledger.channel(), accountId());
    b.addProperty("keyProof", b64(KeyProof.prove(secrets.paillier(), ctx, rnd).toBytes()));
    if (secrets.role() != Role.REGULATOR) {
      RingPedersenParams rp = RingPedersenSetup.fetch(ledger);
      b.addProperty("factorProof", b64(FactorProof.prove(secrets.paillier(), rp, ctx, rnd).toBytes()));
    }
    b.addProperty("signingKey", b64(secrets.signingPublicKey()));
    ledger.submit("accounts:register", sign(b));
  }

  /** Regulator only: issues {@code amount} to an insurer. Returns the transaction record. */
  public synchronized String issue(String insurer, long amount) throws LedgerCallException {
    JsonObject b = body("issue", nonce());
    b.addProperty("to", insurer);
    b.addProperty("amount", amount);
    return ledger.submit("money:issue", sign(b));
  }

  /**
   * Pays {@code amount} to {@code payee}, folding the account's pending credits (up to 64) into the
   * balance it spends from, after folding more of them first if those 64 do not cover the amount.
   * Returns the transaction record. The outcome model (YES returned, NO or UNKNOWN thrown) and what
   * is retried are in docs/client-sdk.md §5.
   *
   * <p>An attempt that loses an MVCC race or finds its nonce moved is rebuilt from fresh state, up
   * to {@link #MAX_ATTEMPTS} attempts. A failure a retry can fix (endorsers or the gateway not
   * reachable or not ready, an endorser lagging behind the ledger's nonce, a look-up that failed)
   * is tried again after a growing, randomised pause, up to {@link #MAX_TRANSIENT_RETRIES} times.
   * An attempt whose outcome is unknown (a lost connection or a deadline after it reached the
   * orderer) is never simply repeated: every later attempt reuses its nonce, so that at most one of
   * them can commit, and before each one the client looks the earlier attempts up on the ledger. If
   * one of them committed, its record is returned.
   *
   * @throws LedgerCallException with {@link LedgerCallException.Committed#NO} only when every attempt
   *     is known to have written nothing; with {@link LedgerCallException.Committed#UNKNOWN} and
   *     {@link LedgerCallException#pending()} if an attempt may still commit or may have committed
   *     without being visible yet: pass that to {@link #paymentStatus(PendingPayment)} later, and do
   *     not pay again before it says NO
   */
  public synchronized String pay(String payee, long amount) throws LedgerCallException {
    List<LedgerCallException> unknown = new ArrayList<>(); // attempts that may commit, all with nonce `pinned`
    long pinned = -1;
    LedgerCallException last = null;
    int attempts = 0; // counted against MAX_ATTEMPTS: rebuilt attempts and attempts of unknown outcome
    int transients = 0; // counted against MAX_TRANSIENT_RETRIES
    while (true) {
      long sent = -1;
      try {
        if (!unknown.isEmpty()) {
          Optional<String> committed = resolve(unknown, pinned);
          if (committed.isPresent()) {
            return committed.get();
          }
        }
        if (pinned < 0) {
          foldUntilCovered(amount);
        }
        Transfer t = transferRequest(payee, amount, pinned);
        sent = t.nonce();
        return ledger.submit("money:transfer", t.request());
      } catch (LedgerCallException e) {
        if (e.pending().isPresent()) {
          throw e; // the look-up itself reached an UNKNOWN verdict
        }
        last = e;
        if (e.committed() == LedgerCallException.Committed.UNKNOWN && sent < 0) {
          // A fold before the transfer: whether it commits changes no amount, only which credits the
          // next attempt folds, so it is treated as transient.
          if (++transients > MAX_TRANSIENT_RETRIES) {
            break;
          }
          backOff(transients, unknown, pinned);
          continue;
        } else if (e.committed() == LedgerCallException.Committed.UNKNOWN) {
          unknown.add(e);
          pinned = sent;
          if (++attempts >= MAX_ATTEMPTS) {
            break;
          }
          continue;
        }
        // From here on the failed call wrote nothing (committed NO).
        boolean retry = retryable(e);
        if (!retry && sent >= 0 && badNonce(e)) {
          try {
            retry = nonce() <= sent; // the ledger still expects `sent`: the endorser that refused lags behind it
          } catch (LedgerCallException lookup) {
            last = lookup;
            retry = true; // cannot tell yet: ask again after a pause
          }
          if (!retry) {
            if (++attempts >= MAX_ATTEMPTS) {
              break;
            }
            continue; // the nonce moved: resolve (if pinned) and rebuild
          }
        }
        if (retry) {
          if (++transients > MAX_TRANSIENT_RETRIES) {
            break;
          }
          backOff(transients, unknown, pinned);
          continue;
        }
        if (sent >= 0 && e.kind() == LedgerCallException.Kind.CONFLICT) {
          if (++attempts >= MAX_ATTEMPTS) {
            break;
          }
          continue; // state moved under the attempt: rebuild from what the ledger holds now
        }
        break; // refused outright (or a look-up refused): nothing to rebuild
      }
    }
    if (unknown.isEmpty()) {
      if (last.committed() == LedgerCallException.Committed.UNKNOWN) {
        // Only a fold before the transfer was of unknown outcome; no transfer reached the orderer.
        throw new LedgerCallException(last.kind(), last.errorCode(), "", LedgerCallException.Committed.NO,
            "no transfer was sent; a fold sent before it (it moves no money) may or may not commit: " + summary(last), last);
      }
      throw last; // every attempt is known to have written nothing
    }
    throw unconfirmed(unknown.get(0).kind(), unknown, pinned, "no later attempt was confirmed, and the last call failed with "
        + summary(last), last);
  }

  /**
   * A failure a retry can fix, before anything was sent to the orderer: the peer, the gateway or the
   * endorsers could not be reached, were not ready, or did not answer in time.
   */
  private static boolean retryable(LedgerCallException e) {
    return (e.kind() == LedgerCallException.Kind.UNAVAILABLE || e.kind() == LedgerCallException.Kind.TIMEOUT)
        && e.committed() == LedgerCallException.Committed.NO;
  }

  private static boolean badNonce(LedgerCallException e) {
    return e.kind() == LedgerCallException.Kind.REFUSED && e.errorCode().equals("BAD_NONCE");
  }

  private static String summary(LedgerCallException e) {
    return e.kind() + (e.errorCode().isEmpty() ? "" : " " + e.errorCode()) + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")");
  }

  /** The UNKNOWN verdict of a payment whose attempts {@code unknown}, all with nonce {@code pinned}, were not found. */
  private LedgerCallException unconfirmed(LedgerCallException.Kind kind, List<LedgerCallException> unknown, long pinned, String why,
      Throwable cause) {
    LedgerCallException first = unknown.get(0);
    String text = "payment not confirmed: " + ids(unknown) + " (nonce " + pinned + ") may have committed or may still commit; "
        + why + "; ask paymentStatus later, do not pay again before it says NO";
    List<String> txIds = unknown.stream().map(LedgerCallException::txId).filter(id -> !id.isEmpty()).toList();
    if (txIds.isEmpty()) {
      return new LedgerCallException(kind, first.errorCode(), "", LedgerCallException.Committed.UNKNOWN, text, cause);
    }
    return new LedgerCallException(kind, first.errorCode(), first.txId(), text, cause, new PendingPayment(accountId(), pinned, txIds));
  }

  /** Sets the first pause after a failure a retry can fix (default 2 s; the n-th pause doubles it, up to 16 s). */
  public synchronized AccountClient retryPause(Duration first) {
    if (first.isNegative() || first.isZero()) {
      throw new IllegalArgumentException("retry pause must be positive");
    }
    this.retryPause = first;
    return this;
  }

  /**
   * Waits before the {@code n}-th retry after a transient failure: a random time between half and
   * all of min(p · 2^(n−1), 8p), p = {@link #retryPause} (2 s by default), so that clients that
   * failed together do not retry together.
   */
  private void backOff(int n, List<LedgerCallException> unknown, long pinned) throws LedgerCallException {
    long ceiling = Math.min(retryPause.toMillis() << (n - 1), retryPause.toMillis() * 8);
    long ms = ceiling / 2 + (long) (rnd.nextDouble() * (ceiling / 2));
    try {
      Thread.sleep(ms);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      if (!unknown.isEmpty()) {
        // An earlier attempt may have committed: the payment is UNKNOWN, never NO.
        throw unconfirmed(unknown.get(0).kind(), unknown, pinned, "interrupted before retrying", ie);
      }
      throw new LedgerCallException(LedgerCallException.Kind.UNAVAILABLE, "", "", LedgerCallException.Committed.NO,
          "interrupted before retrying");
    }
  }

  /**
   * Looks for the outcome of attempts of unknown outcome, all built with nonce {@code pinned}. While
   * the account's next nonce is still {@code pinned}, none of them committed, and any new attempt
   * with that nonce excludes them all: empty is returned. Once the nonce has moved, one request
   * with nonce {@code pinned} committed; an {@code AccountClient} sends one request at a time, so
   * it is one of these attempts, and the ledger is asked for each until one is found (a gateway
   * peer may lag behind the one that answered the nonce) or {@link #resolveWait} passes; then the
   * payment is UNKNOWN. A look-up that fails is thrown as it is (committed NO: it wrote nothing).
   */
  private Optional<String> resolve(List<LedgerCallException> unknown, long pinned) throws LedgerCallException {
    if (nonce() <= pinned) {
      return Optional.empty();
    }
    long deadline = System.nanoTime() + resolveWait.toNanos();
    while (true) {
      for (LedgerCallException e : unknown) {
        if (!e.txId().isEmpty()) {
          Optional<String> record = transaction(e.txId());
          if (record.isPresent()) {
            return record;
          }
        }
      }
      if (System.nanoTime() - deadline > 0) {
        throw unconfirmed(LedgerCallException.Kind.TIMEOUT, unknown, pinned, "nonce " + pinned + " of " + accountId() + " was consumed, but none of them is visible after "
            + resolveWait.toSeconds() + " s", unknown.get(0));
      }
      try {
        Thread.sleep(RESOLVE_POLL.toMillis());
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw unconfirmed(unknown.get(0).kind(), unknown, pinned, "interrupted while looking them up", ie);
      }
    }
  }

  private static String ids(List<LedgerCallException> attempts) {
    return "attempts " + attempts.stream().map(e -> e.txId().isEmpty() ? "(no tx id)" : e.txId()).toList();
  }

  /**
   * The outcome of a payment {@link #pay} reported UNKNOWN ({@link LedgerCallException#pending()}),
   * asked again later: YES with the committed attempt if one is on the ledger; NO only if the
   * ledger proves that none can ever commit (every attempt is in a block, invalidated); UNKNOWN
   * otherwise, saying whether the nonce is still free (an attempt may still arrive) or taken.
   * Sends nothing. A failed look-up is thrown with {@link LedgerCallException.Committed#UNKNOWN}:
   * it says nothing about the payment, which may well be on the ledger, so it must never read as NO.
   */
  public PaymentStatus paymentStatus(PendingPayment p) throws LedgerCallException {
    if (!p.account().equals(accountId())) {
      throw new IllegalArgumentException("pending payment of " + p.account() + ", not of " + accountId());
    }
    try {
      return lookUp(p);
    } catch (LedgerCallException e) {
      throw new LedgerCallException(e.kind(), e.errorCode(), e.txId(), LedgerCallException.Committed.UNKNOWN,
          "the payment's outcome is still unknown: its look-up failed (" + summary(e) + "); ask again later", e);
    }
  }

  private PaymentStatus lookUp(PendingPayment p) throws LedgerCallException {
    for (String txId : p.txIds()) {
      Optional<String> record = transaction(txId);
      if (record.isPresent()) {
        return new PaymentStatus(PaymentStatus.Outcome.YES, txId, record, "transaction " + txId + " is on the ledger");
      }
    }
    List<String> invalid = new ArrayList<>();
    for (String txId : p.txIds()) {
      Optional<String> code = ledger.commitStatus(txId);
      if (code.isPresent() && code.get().equals("VALID")) {
        return new PaymentStatus(PaymentStatus.Outcome.YES, txId, transaction(txId),
            "transaction " + txId + " was committed as valid");
      }
      code.ifPresent(c -> invalid.add(txId + " " + c));
    }
    if (invalid.size() == p.txIds().size()) {
      return new PaymentStatus(PaymentStatus.Outcome.NO, "", Optional.empty(),
          "every attempt is in a block and was invalidated: " + invalid);
    }
    long next = nonce();
    String why = next <= p.nonce()
        ? "nonce " + p.nonce() + " is still the account's next: no attempt has committed yet, but one may still arrive"
        : "nonce " + p.nonce() + " was consumed, but no attempt is visible on this peer (it may lag, or another device used the nonce)";
    return new PaymentStatus(PaymentStatus.Outcome.UNKNOWN, "", Optional.empty(),
        why + (invalid.isEmpty() ? "" : "; invalidated: " + invalid));
  }

  /** {@link #paymentStatus(PendingPayment)} for one attempt, by its transaction id and nonce. */
  public PaymentStatus paymentStatus(String txId, long nonce) throws LedgerCallException {
    return paymentStatus(new PendingPayment(accountId(), nonce, List.of(txId)));
  }

  /** The record of a committed MedLedger transaction, or empty if the ledger (as this peer sees it) has none. */
  public Optional<String> transaction(String txId) throws LedgerCallException {
    try {
      return Optional.of(ledger.evaluate("money:getTransaction", txId));
    } catch (LedgerCallException e) {
      if (e.kind() == LedgerCallException.Kind.REFUSED && e.errorCode().equals("MALFORMED_REQUEST")) {
        return Optional.empty(); // the chaincode's answer for "no transaction <id>"
      }
      throw e;
    }
  }

  /** Folds the oldest pending credits (up to 64 per call) into the stored balance; returns how many it folded. */
  public synchronized int foldAll() throws LedgerCallException {
    List<String> ids = new ArrayList<>();
    for (Credit c : firstCredits()) {
      ids.add(c.id());
    }
    if (ids.isEmpty()) {
      return 0;
    }
    JsonObject b = body("fold", nonce());
    JsonArray a = new JsonArray();
    ids.stream().limit(Limits.MAX_FOLD).forEach(a::add);
    b.add("credits", a);
    ledger.submit("money:fold", sign(b));
    return a.size();
  }

  /** Most folds {@link #pay} sends before a transfer whose own 64 credits do not cover the amount. */
  private static final int MAX_FOLDS_BEFORE_PAY = 200;

  /**
   * A transfer folds at most 64 credits. If the account has more, and the stored balance plus the
   * oldest 64 does not cover {@code amount}, folds 64 at a time first until it does or at most 64 are left.
   */
  private void foldUntilCovered(long amount) throws LedgerCallException {
    PaillierPublicKey pk = secrets.paillier().publicKey();
    for (int i = 0; i < MAX_FOLDS_BEFORE_PAY; i++) {
      List<Credit> page = firstCredits();
      if (page.size() <= Limits.MAX_FOLD) {
        return;
      }
      PaillierCiphertext c = storedBalance();
      for (Credit cr : page.subList(0, Limits.MAX_FOLD)) {
        c = pk.add(c, cr.ciphertext());
      }
      if (secrets.paillier().decryptAmount(c) >= amount) {
        return;
      }
      foldAll();
    }
  }

  /**
   * What the account holds, stored balance plus every pending credit (all pages), decrypted
   * locally. The reads are not one snapshot: if the account's nonce moved while they ran (its own
   * fold or payment committed in between), they are read again, up to 3 times.
   */
  public long balance() throws LedgerCallException {
    PaillierPublicKey pk = secrets.paillier().publicKey();
    for (int i = 0; ; i++) {
      long before = nonce();
      PaillierCiphertext c = storedBalance();
      for (Credit cr : credits()) {
        c = pk.add(c, cr.ciphertext());
      }
      if (nonce() == before || i == 2) {
        return secrets.paillier().decryptAmount(c);
      }
    }
  }

  /**
   * A transaction as this account sees it: the amount is decrypted where this account holds the
   * key for one of the record's ciphertexts (payer copy, payee copy, regulator copy), public for
   * issues, and -1 when it cannot be read.
   */
  public record Entry(String txId, String kind, String timestamp, String from, String to, long amount) {}

  /** Every transaction of this account, oldest first, with amounts decrypted locally. */
  public List<Entry> history() throws LedgerCallException {
    return pages("money:history", accountId());
  }

  /**
   * Regulator only: every transaction on the channel with every amount decrypted under the
   * regulator's key (or public, for issues).
   */
  public List<Entry> audit() throws LedgerCallException {
    return pages("money:audit");
  }

  private List<Entry> pages(String function, String... leading) throws LedgerCallException {
    List<Entry> out = new ArrayList<>();
    String bookmark = "";
    do {
      String[] args = new String[leading.length + 2];
      System.arraycopy(leading, 0, args, 0, leading.length);
      args[leading.length] = "100";
      args[leading.length + 1] = bookmark;
      JsonObject page = CanonicalJson.parseObject(ledger.evaluate(function, args));
      JsonArray items = page.getAsJsonArray("items");
      for (JsonElement e : items) {
        out.add(entry(e.getAsJsonObject()));
      }
      bookmark = items.size() == 0 ? "" : page.get("bookmark").getAsString();
    } while (!bookmark.isEmpty());
    return out;
  }

  private Entry entry(JsonObject r) {
    String from = r.get("from").getAsString();
    String to = r.get("to").getAsString();
    long amount = -1;
    if (r.has("amount")) {
      amount = r.get("amount").getAsLong(); // issues are public
    } else {
      String field = accountId().equals(from) ? "amountPayer"
          : accountId().equals(to) ? "amountPayee"
          : secrets.role() == org.medledger.protocol.Role.REGULATOR ? "amountRegulator" : null;
      if (field != null) {
        byte[] c = Base64.getDecoder().decode(r.get(field).getAsString());
        amount = secrets.paillier().decryptAmount(PaillierCiphertext.fromBytes(c, secrets.paillier().publicKey()));
      }
    }
    return new Entry(r.get("txId").getAsString(), r.get("kind").getAsString(), r.get("timestamp").getAsString(), from, to, amount);
  }

  record Credit(String id, PaillierCiphertext ciphertext) {}

  /** Every pending credit of the account, oldest first, page by page. */
  List<Credit> credits() throws LedgerCallException {
    List<Credit> out = new ArrayList<>();
    String bookmark = "";
    do {
      JsonObject page = CanonicalJson.parseObject(ledger.evaluate("money:credits", accountId(), CREDIT_PAGE, bookmark));
      JsonArray items = page.getAsJsonArray("items");
      addCredits(items, out);
      bookmark = items.size() == 0 ? "" : page.get("bookmark").getAsString();
    } while (!bookmark.isEmpty());
    return out;
  }

  /** The oldest pending credits, one page: more than one transfer or fold takes. */
  private List<Credit> firstCredits() throws LedgerCallException {
    List<Credit> out = new ArrayList<>();
    addCredits(CanonicalJson.parseObject(ledger.evaluate("money:credits", accountId(), CREDIT_PAGE, "")).getAsJsonArray("items"), out);
    return out;
  }

  private static final String CREDIT_PAGE = "100";

  private void addCredits(JsonArray items, List<Credit> out) {
    PaillierPublicKey pk = secrets.paillier().publicKey();
    for (JsonElement e : items) {
      JsonObject c = e.getAsJsonObject();
      out.add(new Credit(c.get("id").getAsString(), ciphertext(pk, c.get("ciphertext").getAsString())));
    }
  }

  private PaillierCiphertext storedBalance() throws LedgerCallException {
    JsonObject b = CanonicalJson.parseObject(ledger.evaluate("money:balance", accountId()));
    return ciphertext(secrets.paillier().publicKey(), b.get("balance").getAsString());
  }

  private record Transfer(long nonce, String request) {}

  /** A signed transfer built on the ledger's current state, with nonce {@code pinned} if not −1. */
  private Transfer transferRequest(String payee, long amount, long pinned) throws LedgerCallException {
    PaillierPublicKey pk = secrets.paillier().publicKey();
    PaillierCiphertext old = storedBalance();
    JsonArray fold = new JsonArray();
    for (Credit c : firstCredits()) {
      if (fold.size() == Limits.MAX_FOLD) {
        break;
      }
      fold.add(c.id());
      old = pk.add(old, c.ciphertext());
    }
    long nonce = pinned >= 0 ? pinned : nonce();
    String regulator = CanonicalJson.parseObject(ledger.evaluate("accounts:getChannel")).get("regulator").getAsString();
    TransferStatement st = new TransferStatement(pk, key(payee), key(regulator), old,
        new TransferContext(ledger.channel(), ledger.chaincode(), accountId(), payee, nonce));
    TransferProof bundle = TransferProof.prove(st, secrets.paillier(), amount, rnd);
    JsonObject b = body("transfer", nonce);
    b.addProperty("to", payee);
    b.add("fold", fold);
    b.addProperty("bundle", b64(bundle.toBytes()));
    return new Transfer(nonce, sign(b));
  }

  /** Another account's Paillier key from the ledger, with its fixed-base table, cached. */
  private PaillierPublicKey key(String account) throws LedgerCallException {
    PaillierPublicKey pk = keys.get(account);
    if (pk == null) {
      JsonObject a = CanonicalJson.parseObject(ledger.evaluate("accounts:getAccount", account));
      pk = PaillierPublicKey.fromBytes(Base64.getDecoder().decode(a.get("paillierKey").getAsString())).precompute();
      keys.put(account, pk);
    }
    return pk;
  }

  private long nonce() throws LedgerCallException {
    return CanonicalJson.parseObject(ledger.evaluate("accounts:getNonce", accountId())).get("next").getAsLong();
  }

  private JsonObject body(String type, long nonce) {
    JsonObject b = new JsonObject();
    b.addProperty("type", type);
    b.addProperty("account", accountId());
    b.addProperty("nonce", nonce);
    return b;
  }

  private String sign(JsonObject body) {
    return SignedRequest.sign(ledger.channel(), ledger.chaincode(), body, secrets.signingKey(SecretAccess.explicit())).toJson();
  }

  private static PaillierCiphertext ciphertext(PaillierPublicKey pk, String b64) {
    return PaillierCiphertext.fromBytes(Base64.getDecoder().decode(b64), pk);
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
