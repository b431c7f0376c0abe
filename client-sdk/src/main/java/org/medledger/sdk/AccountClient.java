package org.medledger.sdk;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.medledger.chaincode.AccountContract;
import org.medledger.chaincode.MoneyContract;
import org.medledger.chaincode.api.CanonicalJson;
import org.medledger.chaincode.api.SignedRequest;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.proof.KeyProof;
import org.medledger.crypto.proof.TransferContext;
import org.medledger.crypto.proof.TransferProof;
import org.medledger.crypto.proof.TransferStatement;

/**
 * One account's client (docs/client-sdk.md §3): registers, issues, pays and folds by building and
 * signing the chaincode's requests with the account's secrets, which never leave this object.
 * A payment that loses an MVCC race or finds its nonce or balance moved is rebuilt from fresh
 * state and resubmitted, at most {@link #MAX_ATTEMPTS} times; a refusal is never retried blindly.
 */
public final class AccountClient {
  /** Attempts per payment (first try plus retries after a conflict or a moved nonce). */
  public static final int MAX_ATTEMPTS = 4;

  private final AccountSecrets secrets;
  private final LedgerConnection ledger;
  private final SecureRandom rnd;
  private final Map<String, PaillierPublicKey> keys = new HashMap<>();

  public AccountClient(AccountSecrets secrets, LedgerConnection ledger, SecureRandom rnd) {
    this.secrets = secrets;
    this.ledger = ledger;
    this.rnd = rnd;
    secrets.paillier().precompute();
  }

  public String accountId() {
    return secrets.accountId();
  }

  /** Registers the account with its key proof. */
  public void register() throws LedgerCallException {
    JsonObject b = body("register", 0);
    b.addProperty("role", secrets.role().name());
    b.addProperty("paillierKey", b64(secrets.paillier().publicKey().toBytes()));
    byte[] ctx = AccountContract.keyProofContext(ledger.channel(), accountId());
    b.addProperty("keyProof", b64(KeyProof.prove(secrets.paillier(), ctx, rnd).toBytes()));
    b.addProperty("signingKey", b64(secrets.signingKey().generatePublicKey().getEncoded()));
    ledger.submit("accounts:register", sign(b));
  }

  /** Regulator only: issues {@code amount} to an insurer. Returns the transaction record. */
  public String issue(String insurer, long amount) throws LedgerCallException {
    JsonObject b = body("issue", nonce());
    b.addProperty("to", insurer);
    b.addProperty("amount", amount);
    return ledger.submit("money:issue", sign(b));
  }

  /**
   * Pays {@code amount} to {@code payee}, folding the account's pending credits (up to 64) into the
   * balance it spends from. Returns the transaction record.
   */
  public String pay(String payee, long amount) throws LedgerCallException {
    LedgerCallException last = null;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        return ledger.submit("money:transfer", transferRequest(payee, amount));
      } catch (LedgerCallException e) {
        boolean stale = e.kind() == LedgerCallException.Kind.CONFLICT
            || (e.kind() == LedgerCallException.Kind.REFUSED && e.errorCode().equals("BAD_NONCE"));
        if (!stale) {
          throw e;
        }
        last = e; // state moved under us: rebuild from what the ledger holds now
      }
    }
    throw last;
  }

  /** Folds every pending credit (up to 64 per call) into the stored balance; returns how many it folded. */
  public int foldAll() throws LedgerCallException {
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

  private String transferRequest(String payee, long amount) throws LedgerCallException {
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
    long nonce = nonce();
    String regulator = CanonicalJson.parseObject(ledger.evaluate("accounts:getChannel")).get("regulator").getAsString();
    TransferStatement st = new TransferStatement(pk, key(payee), key(regulator), old,
        new TransferContext(ledger.channel(), ledger.chaincode(), accountId(), payee, nonce));
    TransferProof bundle = TransferProof.prove(st, secrets.paillier(), amount, rnd);
    JsonObject b = body("transfer", nonce);
    b.addProperty("to", payee);
    b.add("fold", fold);
    b.addProperty("bundle", b64(bundle.toBytes()));
    return sign(b);
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
