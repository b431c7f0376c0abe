package org.medledger.sdk.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.medledger.crypto.SecretAccess;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.Role;
import org.medledger.protocol.SignedRequest;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.ClientRefusalException;
import org.medledger.sdk.LedgerCallException;
import org.medledger.sdk.LedgerConnection;
import org.medledger.sdk.PaymentStatus;
import org.medledger.sdk.PendingPayment;
import org.medledger.sdk.Transfer;

/**
 * The one request layer of the SDK's clients (docs/client-sdk.md §3.5): one account's nonces,
 * request bodies and signatures, a bounded cache of other accounts' keys, the base64 and
 * ciphertext helpers, and the one retry policy:
 * <ul>
 *   <li>{@link #submit}: a request that loses an MVCC race ({@code CONFLICT}) or finds its nonce
 *       moved ({@code REFUSED BAD_NONCE}) is rebuilt on the ledger's state and sent again, at most
 *       {@link #MAX_ATTEMPTS} attempts in all; anything else is thrown at once;</li>
 *   <li>{@link #submitResolving}: the same, plus pauses and retries of failures a retry can fix and
 *       the unknown-outcome resolution of a payment (YES, NO or UNKNOWN, docs/client-sdk.md §5);
 *       {@link #paymentStatus} asks the same question later.</li>
 * </ul>
 * Not API (see the package documentation). The key cache is thread-safe; the retry settings are
 * volatile; the rest keeps no state.
 */
public final class Requests {
  /** Attempts per request: the first try plus rebuilds after a conflict, a moved nonce or an unknown outcome. */
  public static final int MAX_ATTEMPTS = 4;
  /** Retries after failures a retry can fix, on top of {@link #MAX_ATTEMPTS} (resolving submissions only). */
  public static final int MAX_TRANSIENT_RETRIES = 4;
  /** How long a resolving submission looks for an attempt of unknown outcome once its nonce moved. */
  public static final Duration DEFAULT_RESOLVE_WAIT = Duration.ofSeconds(30);
  /** The first pause after a failure a retry can fix; the n-th is up to 2^(n−1) times longer, at most 8 times. */
  public static final Duration DEFAULT_RETRY_PAUSE = Duration.ofSeconds(2);
  private static final Duration RESOLVE_POLL = Duration.ofMillis(500);
  private static final int KEY_CACHE = 64;
  private static final String PAGE = "100";

  private final AccountSecrets secrets;
  private final LedgerConnection ledger;
  private final SecureRandom rnd;
  private final Map<String, AccountKeys> keys = new LinkedHashMap<>(16, 0.75f, true);
  private volatile Duration resolveWait = DEFAULT_RESOLVE_WAIT;
  private volatile Duration retryPause = DEFAULT_RETRY_PAUSE;

  /** Another account's public keys as the ledger holds them. */
  public record AccountKeys(PaillierPublicKey paillier, byte[] signingKey) {
    public AccountKeys {
      signingKey = signingKey.clone();
    }

    @Override
    public byte[] signingKey() {
      return signingKey.clone();
    }
  }

  public Requests(AccountSecrets secrets, LedgerConnection ledger, SecureRandom rnd) {
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.rnd = Objects.requireNonNull(rnd, "rnd");
  }

  public AccountSecrets secrets() {
    return secrets;
  }

  public LedgerConnection ledger() {
    return ledger;
  }

  public SecureRandom random() {
    return rnd;
  }

  public String accountId() {
    return secrets.accountId();
  }

  public void resolveWait(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("resolve wait must not be negative");
    }
    this.resolveWait = d;
  }

  public void retryPause(Duration first) {
    if (first.isNegative() || first.isZero()) {
      throw new IllegalArgumentException("retry pause must be positive");
    }
    this.retryPause = first;
  }

  // ------------------------------------------------------------------------------- building

  /** The account's next nonce, as the ledger holds it. */
  public long nonce() throws LedgerCallException {
    return CanonicalJson.parseObject(ledger.evaluate("accounts:getNonce", accountId())).get("next").getAsLong();
  }

  /** A request body {@code {"type", "account", "nonce"}} to add the request's members to. */
  public JsonObject body(String type, long nonce) {
    JsonObject b = new JsonObject();
    b.addProperty("type", type);
    b.addProperty("account", accountId());
    b.addProperty("nonce", nonce);
    return b;
  }

  /** The signed request (docs/chaincode.md §1), bound to the connection's channel and chaincode. */
  public String sign(JsonObject body) {
    return SignedRequest.sign(ledger.channel(), ledger.chaincode(), body, secrets.signingKey(SecretAccess.explicit())).toJson();
  }

  // ------------------------------------------------------------------------------- reads

  /** Another account's keys from the ledger, cached (the 64 most recently used; a registered account's keys never change). */
  public synchronized AccountKeys keys(String account) throws LedgerCallException {
    AccountKeys k = keys.get(account);
    if (k == null) {
      JsonObject a = CanonicalJson.parseObject(ledger.evaluate("accounts:getAccount", account));
      k = new AccountKeys(PaillierPublicKey.fromBytes(unb64(a.get("paillierKey").getAsString())),
          unb64(a.get("signingKey").getAsString()));
      keys.put(account, k);
      if (keys.size() > KEY_CACHE) {
        keys.remove(keys.keySet().iterator().next());
      }
    }
    return k;
  }

  /** Another account's Paillier key, cached. */
  public PaillierPublicKey key(String account) throws LedgerCallException {
    return keys(account).paillier();
  }

  /** The channel's regulator account id ("" before it registered). */
  public String regulator() throws LedgerCallException {
    return CanonicalJson.parseObject(ledger.evaluate("accounts:getChannel")).get("regulator").getAsString();
  }

  /** The account's stored balance (pending credits not folded in). */
  public PaillierCiphertext storedBalance() throws LedgerCallException {
    JsonObject b = CanonicalJson.parseObject(ledger.evaluate("money:balance", accountId()));
    return ciphertext(secrets.paillier().publicKey(), b.get("balance").getAsString());
  }

  /** A pending credit of the account. */
  public record Credit(String id, PaillierCiphertext ciphertext) {}

  /** Every pending credit of the account, oldest first, page by page. */
  public List<Credit> credits() throws LedgerCallException {
    List<Credit> out = new ArrayList<>();
    for (JsonObject c : pages("money:credits", accountId())) {
      out.add(credit(c));
    }
    return out;
  }

  /** The oldest pending credits, one page (100): more than one transfer or fold takes. */
  public List<Credit> firstCredits() throws LedgerCallException {
    List<Credit> out = new ArrayList<>();
    JsonObject page = CanonicalJson.parseObject(ledger.evaluate("money:credits", accountId(), PAGE, ""));
    for (JsonElement e : page.getAsJsonArray("items")) {
      out.add(credit(e.getAsJsonObject()));
    }
    return out;
  }

  private Credit credit(JsonObject c) {
    return new Credit(c.get("id").getAsString(), ciphertext(secrets.paillier().publicKey(), c.get("ciphertext").getAsString()));
  }

  /** Every item of a paginated query {@code function(leading…, pageSize, bookmark)}, 100 a page. */
  public List<JsonObject> pages(String function, String... leading) throws LedgerCallException {
    List<JsonObject> out = new ArrayList<>();
    String bookmark = "";
    do {
      String[] args = Arrays.copyOf(leading, leading.length + 2);
      args[leading.length] = PAGE;
      args[leading.length + 1] = bookmark;
      JsonObject page = CanonicalJson.parseObject(ledger.evaluate(function, args));
      JsonArray items = page.getAsJsonArray("items");
      for (JsonElement e : items) {
        out.add(e.getAsJsonObject());
      }
      bookmark = items.size() == 0 ? "" : page.get("bookmark").getAsString();
    } while (!bookmark.isEmpty());
    return out;
  }

  /** The record of a committed MedLedger transaction, or empty if the ledger (as this peer sees it) has none. */
  public Optional<JsonObject> transactionRecord(String txId) throws LedgerCallException {
    try {
      return Optional.of(CanonicalJson.parseObject(ledger.evaluate("money:getTransaction", txId)));
    } catch (LedgerCallException e) {
      if (e.kind() == LedgerCallException.Kind.REFUSED && e.errorCode().equals("MALFORMED_REQUEST")) {
        return Optional.empty(); // the chaincode's answer for "no transaction <id>"
      }
      throw e;
    }
  }

  /**
   * The record of {@code account}'s transfer that used {@code nonce}
   * ({@code money:transferByNonce}, the chaincode's {@code spent/<payer>/<nonce>}), if its
   * {@code proofDigest} is one of {@code digests}; empty if another request or none used it. A
   * failed look-up is thrown (it proves nothing).
   */
  public static Optional<JsonObject> transferWithDigest(LedgerConnection ledger, String account, long nonce,
      java.util.Collection<String> digests) throws LedgerCallException {
    JsonObject r;
    try {
      r = CanonicalJson.parseObject(ledger.evaluate("money:transferByNonce", account, Long.toString(nonce)));
    } catch (LedgerCallException e) {
      if (e.kind() == LedgerCallException.Kind.REFUSED && e.errorCode().equals("MALFORMED_REQUEST")) {
        return Optional.empty(); // no transfer used the nonce
      }
      throw e;
    }
    return r.has("proofDigest") && digests.contains(r.get("proofDigest").getAsString()) ? Optional.of(r) : Optional.empty();
  }

  /**
   * The {@code proofDigest} a transfer record gets for {@code request} (SHA-256 of its bundle, lower-case
   * hex), or empty if the request is not a {@code transfer} request.
   */
  public static Optional<String> bundleDigest(String request) {
    try {
      JsonObject body = CanonicalJson.parseObject(request).getAsJsonObject("body");
      if (!"transfer".equals(body.get("type").getAsString())) {
        return Optional.empty();
      }
      org.bouncycastle.crypto.digests.SHA256Digest d = new org.bouncycastle.crypto.digests.SHA256Digest();
      byte[] bundle = unb64(body.get("bundle").getAsString());
      d.update(bundle, 0, bundle.length);
      byte[] out = new byte[32];
      d.doFinal(out, 0);
      return Optional.of(java.util.HexFormat.of().formatHex(out));
    } catch (RuntimeException notATransfer) {
      return Optional.empty();
    }
  }

  /** The signing account a request names, or "" if it names none. */
  private static String payer(String request) {
    try {
      return CanonicalJson.parseObject(request).getAsJsonObject("body").get("account").getAsString();
    } catch (RuntimeException malformed) {
      return "";
    }
  }

  /**
   * A transaction record as this account sees it: the amount is public for an issue, decrypted from
   * the payer copy when this account paid, the payee copy when it received, the regulator copy for
   * the regulator; empty when it holds none of them or the copy does not hold an amount.
   */
  public Transfer transfer(JsonObject r) {
    String from = r.get("from").getAsString();
    String to = r.get("to").getAsString();
    OptionalLong amount = OptionalLong.empty();
    if (r.has("amount")) {
      amount = OptionalLong.of(r.get("amount").getAsLong()); // issues are public
    } else {
      String field = accountId().equals(from) ? "amountPayer"
          : accountId().equals(to) ? "amountPayee"
          : secrets.role() == Role.REGULATOR && secrets.hasPaillier() ? "amountRegulator" : null;
      if (field != null && r.has(field)) {
        PaillierSecretKey sk = secrets.paillier();
        try {
          amount = OptionalLong.of(sk.decryptAmount(ciphertext(sk.publicKey(), r.get(field).getAsString())));
        } catch (CryptoException notAnAmount) {
          amount = OptionalLong.empty();
        }
      }
    }
    return new Transfer(r.get("txId").getAsString(), r.get("kind").getAsString(), Instant.parse(r.get("timestamp").getAsString()),
        from, to, amount);
  }

  // ------------------------------------------------------------------------------- the retry policy

  /** Builds a request body for a given nonce. */
  @FunctionalInterface
  public interface Body {
    JsonObject build(long nonce) throws LedgerCallException;
  }

  /** A conflict or a moved nonce: the attempt wrote nothing and can be rebuilt on the state the ledger holds now. */
  public static boolean stale(LedgerCallException e) {
    return e.kind() == LedgerCallException.Kind.CONFLICT || badNonce(e);
  }

  private static boolean badNonce(LedgerCallException e) {
    return e.kind() == LedgerCallException.Kind.REFUSED && e.errorCode().equals("BAD_NONCE");
  }

  /**
   * Builds, signs and submits {@code function} with the account's next nonce; rebuilds it after a
   * conflict or a moved nonce, at most {@link #MAX_ATTEMPTS} attempts; throws anything else at once.
   */
  public String submit(String function, Body body) throws LedgerCallException {
    LedgerCallException last = null;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      long nonce = nonce();
      try {
        return ledger.submit(function, sign(body.build(nonce)));
      } catch (LedgerCallException e) {
        if (!stale(e)) {
          throw e;
        }
        last = e;
      }
    }
    throw Objects.requireNonNull(last);
  }

  /** A signed request ready to submit, with the nonce it carries. */
  public record Built(long nonce, String function, String request) {}

  /** What {@link #submitResolving} sends. */
  public interface Attempts {
    /** Runs before an attempt that takes a fresh nonce (none is pinned yet), e.g. folds. */
    void prepare() throws LedgerCallException;

    /** Builds the signed request on the ledger's state, with nonce {@code pinned}, or the account's next if it is −1. */
    Built build(long pinned) throws LedgerCallException, ClientRefusalException;
  }

  /**
   * Submits a request under the full policy of docs/client-sdk.md §5.3 and returns the committed
   * transaction's record (YES): rebuilt after a conflict or a moved nonce, at most
   * {@link #MAX_ATTEMPTS} attempts; retried after a growing, randomised pause when a retry can fix
   * the failure (nothing reached the orderer, an endorser lagging behind the nonce, a look-up
   * failed), at most {@link #MAX_TRANSIENT_RETRIES} times. An attempt of unknown outcome is never
   * simply repeated: later attempts reuse its nonce, so at most one can commit, and before each one
   * (and before giving up) the earlier attempts are looked up.
   *
   * @throws ClientRefusalException if {@link Attempts#build} refuses before anything was sent
   * @throws LedgerCallException NO only when every attempt is known to have written nothing;
   *     UNKNOWN with {@link LedgerCallException#pending()} otherwise (also when a rebuilt attempt
   *     is refused by the client after an attempt of unknown outcome)
   */
  public JsonObject submitResolving(Attempts attempts) throws LedgerCallException, ClientRefusalException {
    List<LedgerCallException> unknown = new ArrayList<>(); // attempts that may commit, all with nonce `pinned`
    // The bundle digests of every transfer request sent, by nonce: any of them may be relayed and commit.
    java.util.Map<Long, java.util.Set<String>> sentDigests = new java.util.HashMap<>();
    long pinned = -1;
    LedgerCallException last = null;
    int rebuilt = 0; // counted against MAX_ATTEMPTS: rebuilt attempts and attempts of unknown outcome
    int transients = 0; // counted against MAX_TRANSIENT_RETRIES
    while (true) {
      long sent = -1;
      Built t = null;
      try {
        if (!unknown.isEmpty()) {
          Optional<JsonObject> committed = resolve(unknown, pinned, digests(sentDigests, pinned));
          if (committed.isPresent()) {
            return committed.get();
          }
        }
        if (pinned < 0) {
          attempts.prepare();
        }
        try {
          t = attempts.build(pinned);
        } catch (ClientRefusalException refused) {
          if (unknown.isEmpty()) {
            throw refused; // nothing was sent
          }
          throw unconfirmed(unknown.get(0).kind(), unknown, pinned, digests(sentDigests, pinned),
              "the rebuilt attempt was refused by the client (" + refused.getMessage() + ")", refused);
        }
        sent = t.nonce();
        String request = t.request();
        Optional<String> digest = bundleDigest(request).filter(d -> accountId().equals(payer(request)));
        if (digest.isPresent()) {
          sentDigests.computeIfAbsent(t.nonce(), n -> new java.util.LinkedHashSet<>()).add(digest.get());
        }
        return CanonicalJson.parseObject(ledger.submit(t.function(), t.request()));
      } catch (LedgerCallException e) {
        if (e.pending().isPresent()) {
          throw e; // the look-up itself reached an UNKNOWN verdict
        }
        last = e;
        if (e.committed() == LedgerCallException.Committed.UNKNOWN && sent < 0) {
          // A call before the request (a fold): whether it commits changes no amount, only which
          // credits the next attempt folds, so it is treated as transient.
          if (++transients > MAX_TRANSIENT_RETRIES) {
            break;
          }
          backOff(transients, unknown, pinned, digests(sentDigests, pinned));
          continue;
        } else if (e.committed() == LedgerCallException.Committed.UNKNOWN) {
          unknown.add(e);
          pinned = sent;
          if (++rebuilt >= MAX_ATTEMPTS) {
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
            // The nonce moved: if a request of ours committed (someone relayed it first), it is the payment.
            Optional<JsonObject> mine = transferWithDigest(ledger, accountId(), sent, digests(sentDigests, sent));
            if (mine.isPresent()) {
              return mine.get();
            }
            if (++rebuilt >= MAX_ATTEMPTS) {
              break;
            }
            continue; // the nonce moved: resolve (if pinned) and rebuild
          }
        }
        if (retry) {
          if (++transients > MAX_TRANSIENT_RETRIES) {
            break;
          }
          backOff(transients, unknown, pinned, digests(sentDigests, pinned));
          continue;
        }
        if (sent >= 0 && e.kind() == LedgerCallException.Kind.CONFLICT) {
          Optional<JsonObject> mine = transferWithDigest(ledger, accountId(), sent, digests(sentDigests, sent));
          if (mine.isPresent()) {
            return mine.get(); // the attempt lost to a copy of itself
          }
          if (++rebuilt >= MAX_ATTEMPTS) {
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
    throw unconfirmed(unknown.get(0).kind(), unknown, pinned, digests(sentDigests, pinned),
        "no later attempt was confirmed, and the last call failed with " + summary(last), last);
  }

  private static List<String> digests(java.util.Map<Long, java.util.Set<String>> sent, long nonce) {
    return List.copyOf(sent.getOrDefault(nonce, java.util.Set.of()));
  }

  /**
   * A failure a retry can fix, before anything was sent to the orderer: the peer, the gateway or the
   * endorsers could not be reached, were not ready, or did not answer in time.
   */
  private static boolean retryable(LedgerCallException e) {
    return (e.kind() == LedgerCallException.Kind.UNAVAILABLE || e.kind() == LedgerCallException.Kind.TIMEOUT)
        && e.committed() == LedgerCallException.Committed.NO;
  }

  private static String summary(LedgerCallException e) {
    return e.kind() + (e.errorCode().isEmpty() ? "" : " " + e.errorCode()) + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")");
  }

  /**
   * The UNKNOWN verdict of a payment whose attempts {@code unknown}, all with nonce {@code pinned}, were not found;
   * {@code digests} are the bundle digests of every transfer request sent with that nonce.
   */
  private LedgerCallException unconfirmed(LedgerCallException.Kind kind, List<LedgerCallException> unknown, long pinned,
      List<String> digests, String why, Throwable cause) {
    LedgerCallException first = unknown.get(0);
    String text = "payment not confirmed: " + ids(unknown) + " (nonce " + pinned + ") may have committed or may still commit; "
        + why + "; ask paymentStatus later, do not pay again before it says NO";
    List<String> txIds = unknown.stream().map(LedgerCallException::txId).filter(id -> !id.isEmpty()).toList();
    if (txIds.isEmpty()) {
      return new LedgerCallException(kind, first.errorCode(), "", LedgerCallException.Committed.UNKNOWN, text, cause);
    }
    return new LedgerCallException(kind, first.errorCode(), first.txId(), text, cause,
        new PendingPayment(accountId(), pinned, txIds, digests));
  }

  /**
   * Waits before the {@code n}-th retry after a transient failure: a random time between half and
   * all of min(p · 2^(n−1), 8p), p = the retry pause (2 s by default), so that clients that failed
   * together do not retry together.
   */
  private void backOff(int n, List<LedgerCallException> unknown, long pinned, List<String> digests) throws LedgerCallException {
    long ceiling = Math.min(retryPause.toMillis() << (n - 1), retryPause.toMillis() * 8);
    long ms = ceiling / 2 + (long) (rnd.nextDouble() * (ceiling / 2));
    try {
      Thread.sleep(ms);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      if (!unknown.isEmpty()) {
        // An earlier attempt may have committed: the payment is UNKNOWN, never NO.
        throw unconfirmed(unknown.get(0).kind(), unknown, pinned, digests, "interrupted before retrying", ie);
      }
      throw new LedgerCallException(LedgerCallException.Kind.UNAVAILABLE, "", "", LedgerCallException.Committed.NO,
          "interrupted before retrying");
    }
  }

  /**
   * Looks for the outcome of attempts of unknown outcome, all built with nonce {@code pinned}. While
   * the account's next nonce is still {@code pinned}, none of them committed, and any new attempt
   * with that nonce excludes them all: empty is returned. Once the nonce has moved, one request
   * with nonce {@code pinned} committed; a client sends one request at a time, so it is one of
   * these attempts, and the ledger is asked for each until one is found (a gateway peer may lag
   * behind the one that answered the nonce) or the resolve wait passes; then the payment is
   * UNKNOWN. The request that used the nonce may also be a copy of one of ours committed under
   * another party's transaction (a relayer): the transfer that used it is asked for too and is the
   * payment if its bundle digest is one of {@code digests}. A look-up that fails is thrown as it is
   * (committed NO: it wrote nothing).
   */
  private Optional<JsonObject> resolve(List<LedgerCallException> unknown, long pinned, List<String> digests)
      throws LedgerCallException {
    if (nonce() <= pinned) {
      return Optional.empty();
    }
    Duration wait = resolveWait;
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      for (LedgerCallException e : unknown) {
        if (!e.txId().isEmpty()) {
          Optional<JsonObject> record = transactionRecord(e.txId());
          if (record.isPresent()) {
            return record;
          }
        }
      }
      if (!digests.isEmpty()) {
        Optional<JsonObject> copy = transferWithDigest(ledger, accountId(), pinned, digests);
        if (copy.isPresent()) {
          return copy;
        }
      }
      if (System.nanoTime() - deadline > 0) {
        throw unconfirmed(LedgerCallException.Kind.TIMEOUT, unknown, pinned, digests, "nonce " + pinned + " of " + accountId()
            + " was consumed, but none of them is visible after " + wait.toSeconds() + " s", unknown.get(0));
      }
      try {
        Thread.sleep(RESOLVE_POLL.toMillis());
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw unconfirmed(unknown.get(0).kind(), unknown, pinned, digests, "interrupted while looking them up", ie);
      }
    }
  }

  private static String ids(List<LedgerCallException> attempts) {
    return "attempts " + attempts.stream().map(e -> e.txId().isEmpty() ? "(no tx id)" : e.txId()).toList();
  }

  /**
   * The outcome of a payment a resolving submission reported UNKNOWN, asked again later (docs/client-sdk.md
   * §5.2). Sends nothing. A failed look-up is thrown with {@link LedgerCallException.Committed#UNKNOWN}.
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
      Optional<JsonObject> record = transactionRecord(txId);
      if (record.isPresent()) {
        return new PaymentStatus(PaymentStatus.Outcome.YES, txId, record.map(this::transfer),
            "transaction " + txId + " is on the ledger");
      }
    }
    // A copy of one of the signed attempts, committed under another party's transaction (a relayer).
    if (!p.proofDigests().isEmpty()) {
      Optional<JsonObject> copy = transferWithDigest(ledger, accountId(), p.nonce(), p.proofDigests());
      if (copy.isPresent()) {
        String id = copy.get().get("txId").getAsString();
        return new PaymentStatus(PaymentStatus.Outcome.YES, id, copy.map(this::transfer),
            "nonce " + p.nonce() + " was used by " + id + ", a copy of one of the attempts committed by another party");
      }
    }
    List<String> invalid = new ArrayList<>();
    for (String txId : p.txIds()) {
      Optional<String> code = ledger.commitStatus(txId);
      if (code.isPresent() && code.get().equals("VALID")) {
        return new PaymentStatus(PaymentStatus.Outcome.YES, txId, transactionRecord(txId).map(this::transfer),
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

  // ------------------------------------------------------------------------------- encodings

  /** A ciphertext under {@code pk} from its base64, as the ledger shows it. */
  public static PaillierCiphertext ciphertext(PaillierPublicKey pk, String b64) {
    return PaillierCiphertext.fromBytes(unb64(b64), pk);
  }

  public static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  public static byte[] unb64(String s) {
    return Base64.getDecoder().decode(s);
  }
}
