package org.medledger.sdk;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
import org.medledger.protocol.Contexts;
import org.medledger.protocol.Limits;
import org.medledger.protocol.Role;
import org.medledger.sdk.internal.ClientBuilder;
import org.medledger.sdk.internal.Requests;

/**
 * One account's client (docs/client-sdk.md §3): registers, issues, pays and folds by building and
 * signing the chaincode's requests with the account's secrets, which never leave this object.
 * A payment that loses an MVCC race or finds its nonce or balance moved is rebuilt from fresh
 * state and resubmitted, at most {@link #MAX_ATTEMPTS} times; a refusal is never retried blindly,
 * and an attempt of unknown outcome is looked up before anything else is sent (the request layer's
 * policy, docs/client-sdk.md §5). One client sends one state-changing request at a time (those
 * methods are synchronized).
 */
public final class AccountClient {
  /** Attempts per payment: the first try plus rebuilds after a conflict, a moved nonce or an unknown outcome. */
  public static final int MAX_ATTEMPTS = Requests.MAX_ATTEMPTS;
  /** How long a payment waits for an attempt of unknown outcome to become visible once its nonce moved. */
  public static final Duration DEFAULT_RESOLVE_WAIT = Requests.DEFAULT_RESOLVE_WAIT;
  /**
   * Retries after failures a retry can fix, on top of {@link #MAX_ATTEMPTS}: endorsers or the
   * gateway not reachable, not ready or too slow (never ordered, nothing written), an endorser
   * lagging behind the ledger's nonce, a look-up that failed (docs/client-sdk.md §5).
   */
  public static final int MAX_TRANSIENT_RETRIES = Requests.MAX_TRANSIENT_RETRIES;
  /** The first pause after a failure a retry can fix; the n-th is up to 2^(n−1) times longer, at most 8 times. */
  public static final Duration DEFAULT_RETRY_PAUSE = Requests.DEFAULT_RETRY_PAUSE;
  /** Most folds {@link #pay} sends before a transfer whose own 64 credits do not cover the amount. */
  private static final int MAX_FOLDS_BEFORE_PAY = 200;

  private final AccountSecrets secrets;
  private final LedgerConnection ledger;
  private final SecureRandom rnd;
  private final Requests requests;
  private final Executor executor; // null: the client's own thread, made on the first payAsync
  private Executor ownExecutor;

  /** A client with the default settings; {@link #builder()} sets the others. */
  public AccountClient(AccountSecrets secrets, LedgerConnection ledger, SecureRandom rnd) {
    this(new Requests(secrets, ledger, rnd), null);
  }

  AccountClient(Requests requests, Executor executor) {
    this.requests = requests;
    this.secrets = requests.secrets();
    this.ledger = requests.ledger();
    this.rnd = requests.random();
    this.executor = executor; // the owner's fixed-base tables are built by the first payment, not here
  }

  /** A builder: secrets, ledger and random source are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link AccountClient}. */
  public static final class Builder extends ClientBuilder<Builder> {
    private Duration resolveWait = DEFAULT_RESOLVE_WAIT;
    private Duration retryPause = DEFAULT_RETRY_PAUSE;
    private Executor executor;

    private Builder() {}

    /** How long {@link #pay} looks for an attempt of unknown outcome once its nonce has moved (default 30 s). */
    public Builder resolveWait(Duration d) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("resolve wait must not be negative");
      }
      this.resolveWait = d;
      return this;
    }

    /** The first pause after a failure a retry can fix (default 2 s; the n-th pause doubles it, up to 16 s). */
    public Builder retryPause(Duration first) {
      if (first.isNegative() || first.isZero()) {
        throw new IllegalArgumentException("retry pause must be positive");
      }
      this.retryPause = first;
      return this;
    }

    /**
     * Where {@link #payAsync} proves and waits for the commit. Default: one daemon thread of the
     * client's own, started on the first payAsync and ended after 30 s idle.
     */
    public Builder executor(Executor e) {
      this.executor = Objects.requireNonNull(e, "executor");
      return this;
    }

    public AccountClient build() {
      requireParts();
      Requests r = new Requests(secrets(), ledger(), random());
      r.resolveWait(resolveWait);
      r.retryPause(retryPause);
      return new AccountClient(r, executor);
    }
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
    JsonObject b = requests.body("register", 0);
    b.addProperty("role", secrets.role().name());
    b.addProperty("paillierKey", Requests.b64(secrets.paillier().publicKey().toBytes()));
    byte[] ctx = Contexts.keyProofContext(ledger.channel(), accountId());
    b.addProperty("keyProof", Requests.b64(KeyProof.prove(secrets.paillier(), ctx, rnd).toBytes()));
    if (secrets.role() != Role.REGULATOR) {
      RingPedersenParams rp = RingPedersenSetup.fetch(ledger);
      b.addProperty("factorProof", Requests.b64(FactorProof.prove(secrets.paillier(), rp, ctx, rnd).toBytes()));
    }
    b.addProperty("signingKey", Requests.b64(secrets.signingPublicKey()));
    ledger.submit("accounts:register", requests.sign(b));
  }

  /** Regulator only: issues {@code amount} to an insurer. Returns the committed issue. */
  public synchronized Transfer issue(String insurer, long amount) throws LedgerCallException {
    JsonObject b = requests.body("issue", requests.nonce());
    b.addProperty("to", insurer);
    b.addProperty("amount", amount);
    return requests.transfer(org.medledger.protocol.CanonicalJson.parseObject(ledger.submit("money:issue", requests.sign(b))));
  }

  /**
   * Pays {@code amount} to {@code payee}, folding the account's pending credits (up to 64) into the
   * balance it spends from, after folding more of them first if those 64 do not cover the amount.
   * Returns the committed transfer (YES). The outcome model (YES returned, NO or UNKNOWN thrown) and
   * what is retried are in docs/client-sdk.md §5.
   *
   * <p>An attempt that loses an MVCC race or finds its nonce moved is rebuilt from fresh state, up
   * to {@link #MAX_ATTEMPTS} attempts. A failure a retry can fix (endorsers or the gateway not
   * reachable or not ready, an endorser lagging behind the ledger's nonce, a look-up that failed)
   * is tried again after a growing, randomised pause, up to {@link #MAX_TRANSIENT_RETRIES} times.
   * An attempt whose outcome is unknown (a lost connection or a deadline after it reached the
   * orderer) is never simply repeated: every later attempt reuses its nonce, so that at most one of
   * them can commit, and before each one the client looks the earlier attempts up on the ledger. If
   * one of them committed, it is returned.
   *
   * @throws ClientRefusalException BAD_AMOUNT for an amount below 1, INSUFFICIENT_FUNDS if the
   *     balance the attempt spends from does not cover it; nothing was sent then (after an attempt of
   *     unknown outcome, the payment is UNKNOWN instead, as below)
   * @throws LedgerCallException with {@link LedgerCallException.Committed#NO} only when every attempt
   *     is known to have written nothing; with {@link LedgerCallException.Committed#UNKNOWN} and
   *     {@link LedgerCallException#pending()} if an attempt may still commit or may have committed
   *     without being visible yet: pass that to {@link #paymentStatus(PendingPayment)} later, and do
   *     not pay again before it says NO
   */
  public synchronized Transfer pay(String payee, long amount) throws LedgerCallException, ClientRefusalException {
    if (amount < 1) {
      throw new ClientRefusalException(ClientError.BAD_AMOUNT, "a payment is at least 1, not " + amount);
    }
    return requests.transfer(requests.submitResolving(new Requests.Attempts() {
      @Override
      public void prepare() throws LedgerCallException {
        foldUntilCovered(amount);
      }

      @Override
      public Requests.Built build(long pinned) throws LedgerCallException, ClientRefusalException {
        return transferRequest(payee, amount, pinned);
      }
    }));
  }

  /**
   * {@link #pay} on the client's executor (see {@link Builder#executor}), so that the calling
   * thread (an app's UI thread) is not held while the proof is built and the commit awaited. The
   * future completes when {@code pay} returns or throws, with the same truth: a {@link Transfer}
   * for YES; for NO or UNKNOWN, exceptionally with the {@link LedgerCallException} pay throws
   * (whose {@code pending()} goes to {@link #paymentStatus(PendingPayment)}), or with a
   * {@link ClientRefusalException}. {@code get()} wraps it in an ExecutionException, {@code join()}
   * in a CompletionException. Payments of one client run one at a time, in the order asked.
   * Cancelling the future does not stop a payment already under way.
   */
  public CompletableFuture<Transfer> payAsync(String payee, long amount) {
    CompletableFuture<Transfer> f = new CompletableFuture<>();
    try {
      executor().execute(() -> {
        try {
          f.complete(pay(payee, amount));
        } catch (Throwable t) {
          f.completeExceptionally(t);
        }
      });
    } catch (RejectedExecutionException e) {
      f.completeExceptionally(new LedgerCallException(LedgerCallException.Kind.UNAVAILABLE, "", "",
          LedgerCallException.Committed.NO, "the executor refused the payment; nothing was sent", e));
    }
    return f;
  }

  private synchronized Executor executor() {
    if (executor != null) {
      return executor;
    }
    if (ownExecutor == null) {
      ThreadPoolExecutor t = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
        Thread th = new Thread(r, "medledger-pay-" + accountId());
        th.setDaemon(true);
        return th;
      });
      t.allowCoreThreadTimeOut(true);
      ownExecutor = t;
    }
    return ownExecutor;
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
    return requests.paymentStatus(p);
  }

  /** {@link #paymentStatus(PendingPayment)} for one attempt, by its transaction id and nonce. */
  public PaymentStatus paymentStatus(String txId, long nonce) throws LedgerCallException {
    return paymentStatus(new PendingPayment(accountId(), nonce, List.of(txId)));
  }

  /** A committed MedLedger transaction as this account sees it, or empty if the ledger (as this peer sees it) has none. */
  public Optional<Transfer> transaction(String txId) throws LedgerCallException {
    return requests.transactionRecord(txId).map(requests::transfer);
  }

  /** Folds the oldest pending credits (up to 64 per call) into the stored balance; returns how many it folded. */
  public synchronized int foldAll() throws LedgerCallException {
    List<String> ids = new ArrayList<>();
    for (Requests.Credit c : requests.firstCredits()) {
      ids.add(c.id());
    }
    if (ids.isEmpty()) {
      return 0;
    }
    JsonObject b = requests.body("fold", requests.nonce());
    JsonArray a = new JsonArray();
    ids.stream().limit(Limits.MAX_FOLD).forEach(a::add);
    b.add("credits", a);
    ledger.submit("money:fold", requests.sign(b));
    return a.size();
  }

  /**
   * A transfer folds at most 64 credits. If the account has more, and the stored balance plus the
   * oldest 64 does not cover {@code amount}, folds 64 at a time first until it does or at most 64 are left.
   */
  private void foldUntilCovered(long amount) throws LedgerCallException {
    PaillierPublicKey pk = secrets.paillier().publicKey();
    for (int i = 0; i < MAX_FOLDS_BEFORE_PAY; i++) {
      List<Requests.Credit> page = requests.firstCredits();
      if (page.size() <= Limits.MAX_FOLD) {
        return;
      }
      PaillierCiphertext c = requests.storedBalance();
      for (Requests.Credit cr : page.subList(0, Limits.MAX_FOLD)) {
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
      long before = requests.nonce();
      PaillierCiphertext c = requests.storedBalance();
      for (Requests.Credit cr : requests.credits()) {
        c = pk.add(c, cr.ciphertext());
      }
      if (requests.nonce() == before || i == 2) {
        return secrets.paillier().decryptAmount(c);
      }
    }
  }

  /** Every transaction of this account, oldest first, with amounts decrypted from its own copies. */
  public List<Transfer> history() throws LedgerCallException {
    return transfers(requests.pages("money:history", accountId()));
  }

  /**
   * Regulator only: every transaction on the channel with every amount decrypted under the
   * regulator's key (or public, for issues).
   */
  public List<Transfer> audit() throws LedgerCallException {
    return transfers(requests.pages("money:audit"));
  }

  private List<Transfer> transfers(List<JsonObject> records) {
    List<Transfer> out = new ArrayList<>();
    for (JsonObject r : records) {
      out.add(requests.transfer(r));
    }
    return out;
  }

  /** Every pending credit of the account, oldest first (tests count them). */
  List<Requests.Credit> credits() throws LedgerCallException {
    return requests.credits();
  }

  /**
   * Builds, proves and signs up to {@link Limits#MAX_BATCH_TRANSFERS} transfers to {@code payee}
   * without sending them (docs/client-sdk.md §3.6): a chain with consecutive nonces from the
   * account's next, each spending from the one before; the first folds the oldest pending credits
   * (up to 64). Give them to a {@link Till}, or use {@link #payBatch}. Until they are on the ledger
   * or refused, they are as good as sent: do not pay with the same nonces otherwise.
   *
   * @throws ClientRefusalException BAD_AMOUNT for an amount below 1 or a count outside
   *     1..16, INSUFFICIENT_FUNDS if the balance does not cover their sum; nothing was built then
   */
  public synchronized List<SignedTransfer> prepareTransfers(String payee, long... amounts)
      throws LedgerCallException, ClientRefusalException {
    if (amounts.length < 1 || amounts.length > Limits.MAX_BATCH_TRANSFERS) {
      throw new ClientRefusalException(ClientError.BAD_AMOUNT, "a batch holds 1.." + Limits.MAX_BATCH_TRANSFERS + " transfers");
    }
    long total = 0;
    for (long a : amounts) {
      if (a < 1) {
        throw new ClientRefusalException(ClientError.BAD_AMOUNT, "a payment is at least 1, not " + a);
      }
      total = Math.addExact(total, a);
    }
    PaillierPublicKey pk = secrets.paillier().publicKey();
    PaillierCiphertext old = requests.storedBalance();
    JsonArray fold = new JsonArray();
    for (Requests.Credit c : requests.firstCredits()) {
      if (fold.size() == Limits.MAX_FOLD) {
        break;
      }
      fold.add(c.id());
      old = pk.add(old, c.ciphertext());
    }
    long spendable = secrets.paillier().decryptAmount(old);
    if (spendable < total) {
      throw new ClientRefusalException(ClientError.INSUFFICIENT_FUNDS, "the balance these payments spend from holds "
          + spendable + ", less than " + total);
    }
    long nonce = requests.nonce();
    String regulator = requests.regulator();
    PaillierPublicKey pkB = requests.key(payee).precompute();
    PaillierPublicKey pkR = requests.key(regulator).precompute();
    List<SignedTransfer> out = new ArrayList<>();
    for (int i = 0; i < amounts.length; i++) {
      TransferStatement st = new TransferStatement(pk, pkB, pkR, old,
          new TransferContext(ledger.channel(), ledger.chaincode(), accountId(), payee, nonce + i));
      TransferProof bundle = TransferProof.prove(st, secrets.paillier(), amounts[i], rnd);
      JsonObject b = requests.body("transfer", nonce + i);
      b.addProperty("to", payee);
      b.add("fold", i == 0 ? fold : new JsonArray());
      b.addProperty("bundle", Requests.b64(bundle.toBytes()));
      out.add(new SignedTransfer(accountId(), payee, nonce + i, requests.sign(b)));
      old = TransferProof.newBalance(st, bundle.amountForPayer());
    }
    return out;
  }

  /**
   * Pays {@code amounts} to {@code payee} in one {@code money:transferBatch} (docs/client-sdk.md
   * §3.6): {@link #prepareTransfers} then a {@link Till} on this client's connection. Returns one
   * outcome per amount, in order, YES with the amount decrypted from the payer copy. A refused
   * member is NO and so is every later one (each spends from the one before); the earlier ones are
   * sent again without it. UNKNOWN outcomes go to {@link Till#status} later.
   */
  public synchronized List<BatchOutcome> payBatch(String payee, long... amounts) throws LedgerCallException, ClientRefusalException {
    return new Till(ledger, requests::transfer).submit(prepareTransfers(payee, amounts));
  }

  /** A signed transfer built on the ledger's current state, with nonce {@code pinned} if not −1. */
  private Requests.Built transferRequest(String payee, long amount, long pinned) throws LedgerCallException, ClientRefusalException {
    PaillierPublicKey pk = secrets.paillier().publicKey();
    PaillierCiphertext old = requests.storedBalance();
    JsonArray fold = new JsonArray();
    for (Requests.Credit c : requests.firstCredits()) {
      if (fold.size() == Limits.MAX_FOLD) {
        break;
      }
      fold.add(c.id());
      old = pk.add(old, c.ciphertext());
    }
    long spendable = secrets.paillier().decryptAmount(old);
    if (spendable < amount) {
      throw new ClientRefusalException(ClientError.INSUFFICIENT_FUNDS, "the balance this payment spends from holds "
          + spendable + ", less than " + amount);
    }
    long nonce = pinned >= 0 ? pinned : requests.nonce();
    String regulator = requests.regulator();
    TransferStatement st = new TransferStatement(pk, requests.key(payee).precompute(), requests.key(regulator).precompute(), old,
        new TransferContext(ledger.channel(), ledger.chaincode(), accountId(), payee, nonce));
    TransferProof bundle = TransferProof.prove(st, secrets.paillier().precompute(), amount, rnd);
    JsonObject b = requests.body("transfer", nonce);
    b.addProperty("to", payee);
    b.add("fold", fold);
    b.addProperty("bundle", Requests.b64(bundle.toBytes()));
    return new Requests.Built(nonce, "money:transfer", requests.sign(b));
  }
}
