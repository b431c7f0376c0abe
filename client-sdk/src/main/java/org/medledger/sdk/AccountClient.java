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
import org.medledger.chaincode.AccountContract;
import org.medledger.chaincode.MoneyContract;
import org.medledger.chaincode.api.CanonicalJson;
import org.medledger.chaincode.api.Role;
import org.medledger.chaincode.api.SignedRequest;
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
   * Retries after attempts whose endorsers could not be reached or answered too late (never
   * ordered, nothing written), on top of {@link #MAX_ATTEMPTS}.
   */
  public static final int MAX_TRANSIENT_RETRIES = 4;
  private static final Duration TRANSIENT_PAUSE = Duration.ofSeconds(2);
  private static final Duration MAX_TRANSIENT_PAUSE = Duration.ofSeconds(16);

  private final AccountSecrets secrets;
  private final LedgerConnection ledger;
  private final SecureRandom rnd;
  private final Map<String, PaillierPublicKey> keys = new HashMap<>();
  private Duration resolveWait = DEFAULT_RESOLVE_WAIT;

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
    byte[] ctx = AccountContract.keyProofContext(ledger.channel(), accountId());
    b.addProperty("keyProof", b64(KeyProof.prove(secrets.paillier(), ctx, rnd).toBytes()));
    if (secrets.role() != Role.REGULATOR) {
      RingPedersenParams rp = RingPedersenSetup.fetch(ledger);
      b.addProperty("factorProof", b64(FactorProof.prove(secrets.paillier(), rp, ctx, rnd).toBytes()));
    }
    b.addProperty("signingKey", b64(secrets.signingKey().generatePublicKey().getEncoded()));
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
   * balance it spends from. Returns the transaction record.
   *
   * <p>An attempt that loses an MVCC race or finds its nonce moved is rebuilt from fresh state, up
   * to {@link #MAX_ATTEMPTS} attempts. One whose endorsers could not be reached or answered too late
   * (so it was never ordered) is tried again after a growing, randomised pause, up to {@link
   * #MAX_TRANSIENT_RETRIES} times. An attempt whose outcome is unknown (a lost connection or a
   * deadline after it reached the orderer) is never simply repeated: every later attempt reuses its
   * nonce, so that at most one of them can commit, and before each one the client looks the earlier
   * attempts up on the ledger (docs/client-sdk.md §5). If one of them committed, its record is returned.
   *
   * @throws LedgerCallException with {@link LedgerCallException.Committed#UNKNOWN} if an attempt may
   *     still commit or may have committed without being visible yet: look up the transaction ids
   *     in its message before paying again
   */
  public synchronized String pay(String payee, long amount) throws LedgerCallException {
    List<LedgerCallException> unknown = new ArrayList<>(); // attempts that may commit, all with nonce `pinned`
    long pinned = -1;
    LedgerCallException last = null;
    int attempts = 0; // counted against MAX_ATTEMPTS: every attempt but those that failed transiently
    int transients = 0; // counted against MAX_TRANSIENT_RETRIES
    while (true) {
      if (!unknown.isEmpty()) {
        Optional<String> committed = resolve(unknown, pinned);
        if (committed.isPresent()) {
          return committed.get();
        }
      }
      Transfer t = transferRequest(payee, amount, pinned);
      try {
        return ledger.submit("money:transfer", t.request());
      } catch (LedgerCallException e) {
        last = e;
        if (transientFailure(e)) {
          if (++transients > MAX_TRANSIENT_RETRIES) {
            break;
          }
          backOff(transients); // never ordered, so it wrote nothing: try again after a pause
          continue;
        }
        if (e.committed() == LedgerCallException.Committed.UNKNOWN) {
          unknown.add(e);
          pinned = t.nonce();
        } else if (!stale(e)) {
          break; // refused outright: nothing to rebuild
        }
        if (++attempts >= MAX_ATTEMPTS) {
          break;
        }
      }
    }
    if (unknown.isEmpty()) {
      throw last;
    }
    Optional<String> committed = resolve(unknown, pinned);
    if (committed.isPresent()) {
      return committed.get();
    }
    LedgerCallException first = unknown.get(0);
    throw new LedgerCallException(first.kind(), first.errorCode(), first.txId(), LedgerCallException.Committed.UNKNOWN,
        "payment not confirmed: " + ids(unknown) + " (nonce " + pinned + ") may still commit, and no later attempt did; "
            + "last attempt: " + last.getMessage(), last);
  }

  /** The peers could not be reached or did not answer in time, before anything was sent to the orderer. */
  private static boolean transientFailure(LedgerCallException e) {
    return (e.kind() == LedgerCallException.Kind.UNAVAILABLE || e.kind() == LedgerCallException.Kind.TIMEOUT)
        && e.committed() == LedgerCallException.Committed.NO;
  }

  /**
   * Waits before the {@code n}-th retry after a transient failure: a random time between half and
   * all of min(2 s · 2^(n−1), 16 s), so that clients that failed together do not retry together.
   */
  private void backOff(int n) throws LedgerCallException {
    long ceiling = Math.min(TRANSIENT_PAUSE.toMillis() << (n - 1), MAX_TRANSIENT_PAUSE.toMillis());
    long ms = ceiling / 2 + (long) (rnd.nextDouble() * (ceiling / 2));
    try {
      Thread.sleep(ms);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new LedgerCallException(LedgerCallException.Kind.UNAVAILABLE, "", "", LedgerCallException.Committed.NO,
          "interrupted before retrying");
    }
  }

  /** State moved under the attempt: it wrote nothing and can be rebuilt from what the ledger holds now. */
  private static boolean stale(LedgerCallException e) {
    return e.kind() == LedgerCallException.Kind.CONFLICT
        || (e.kind() == LedgerCallException.Kind.REFUSED && e.errorCode().equals("BAD_NONCE"));
  }

  /**
   * Looks for the outcome of attempts of unknown outcome, all built with nonce {@code pinned}. While
   * the account's next nonce is still {@code pinned}, none of them committed, and any new attempt
   * with that nonce excludes them all: empty is returned. Once the nonce has moved, one request
   * with nonce {@code pinned} committed; an {@code AccountClient} sends one request at a time, so
   * it is one of these attempts, and the ledger is asked for each until one is found (a gateway
   * peer may lag behind the one that answered the nonce) or {@link #resolveWait} passes.
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
        LedgerCallException first = unknown.get(0);
        throw new LedgerCallException(LedgerCallException.Kind.TIMEOUT, first.errorCode(), first.txId(),
            LedgerCallException.Committed.UNKNOWN, "nonce " + pinned + " of " + accountId() + " was consumed, but none of "
                + ids(unknown) + " is visible after " + resolveWait.toSeconds() + " s; look them up before paying again", first);
      }
      try {
        Thread.sleep(RESOLVE_POLL.toMillis());
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        LedgerCallException first = unknown.get(0);
        throw new LedgerCallException(first.kind(), first.errorCode(), first.txId(), LedgerCallException.Committed.UNKNOWN,
            "interrupted while looking up " + ids(unknown), first);
      }
    }
  }

  private static String ids(List<LedgerCallException> attempts) {
    return "attempts " + attempts.stream().map(e -> e.txId().isEmpty() ? "(no tx id)" : e.txId()).toList();
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

  /** Folds every pending credit (up to 64 per call) into the stored balance; returns how many it folded. */
  public synchronized int foldAll() throws LedgerCallException {
    List<String> ids = new ArrayList<>();
    for (Credit c : credits()) {
      ids.add(c.id());
    }
    if (ids.isEmpty()) {
      return 0;
    }
    JsonObject b = body("fold", nonce());
    JsonArray a = new JsonArray();
    ids.stream().limit(MoneyContract.MAX_FOLD).forEach(a::add);
    b.add("credits", a);
    ledger.submit("money:fold", sign(b));
    return a.size();
  }

  /** What the account holds, stored balance plus pending credits, decrypted locally. */
  public long balance() throws LedgerCallException {
    PaillierPublicKey pk = secrets.paillier().publicKey();
    PaillierCiphertext c = storedBalance();
    for (Credit cr : credits()) {
      c = pk.add(c, cr.ciphertext());
    }
    return secrets.paillier().decryptAmount(c);
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
          : secrets.role() == org.medledger.chaincode.api.Role.REGULATOR ? "amountRegulator" : null;
      if (field != null) {
        byte[] c = Base64.getDecoder().decode(r.get(field).getAsString());
        amount = secrets.paillier().decryptAmount(PaillierCiphertext.fromBytes(c, secrets.paillier().publicKey()));
      }
    }
    return new Entry(r.get("txId").getAsString(), r.get("kind").getAsString(), r.get("timestamp").getAsString(), from, to, amount);
  }

  record Credit(String id, PaillierCiphertext ciphertext) {}

  List<Credit> credits() throws LedgerCallException {
    JsonObject page = CanonicalJson.parseObject(ledger.evaluate("money:credits", accountId(), "100", ""));
    PaillierPublicKey pk = secrets.paillier().publicKey();
    List<Credit> out = new ArrayList<>();
    for (JsonElement e : page.getAsJsonArray("items")) {
      JsonObject c = e.getAsJsonObject();
      out.add(new Credit(c.get("id").getAsString(), ciphertext(pk, c.get("ciphertext").getAsString())));
    }
    return out;
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
    for (Credit c : credits()) {
      if (fold.size() == MoneyContract.MAX_FOLD) {
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
    return SignedRequest.sign(ledger.channel(), ledger.chaincode(), body, secrets.signingKey()).toJson();
  }

  private static PaillierCiphertext ciphertext(PaillierPublicKey pk, String b64) {
    return PaillierCiphertext.fromBytes(Base64.getDecoder().decode(b64), pk);
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
