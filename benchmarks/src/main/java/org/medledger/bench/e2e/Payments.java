package org.medledger.bench.e2e;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.security.SecureRandom;
import java.util.Base64;
import org.medledger.crypto.SecretAccess;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.proof.TransferContext;
import org.medledger.crypto.proof.TransferProof;
import org.medledger.crypto.proof.TransferStatement;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.SignedRequest;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.LedgerCallException;
import org.medledger.sdk.LedgerConnection;

/**
 * Signed {@code money:transfer} requests built outside the SDK's client, for the prebuilt windows
 * (a payer's chain: each transfer on the balance the previous one leaves, the chaincode computes
 * the same ciphertext) and the till (one transfer per payer from its state on the ledger). No
 * credits are folded: the payers' credits were folded before.
 */
final class Payments {
  private Payments() {}

  /** A payer's stored balance and next nonce, as the ledger has them now. */
  record State(PaillierCiphertext balance, long nonce) {}

  /** One signed request and the balance it leaves its payer. */
  record Built(String request, PaillierCiphertext newBalance) {}

  static State state(LedgerConnection gw, AccountSecrets s) throws LedgerCallException {
    JsonObject bal = CanonicalJson.parseObject(gw.evaluate("money:balance", s.accountId()));
    PaillierCiphertext balance = PaillierCiphertext.fromBytes(Base64.getDecoder().decode(bal.get("balance").getAsString()),
        s.paillier().publicKey());
    long nonce = CanonicalJson.parseObject(gw.evaluate("accounts:getNonce", s.accountId())).get("next").getAsLong();
    return new State(balance, nonce);
  }

  /** An account's Paillier key as registered, without a table (a key used for a few transfers only). */
  static PaillierPublicKey key(LedgerConnection gw, String account) throws LedgerCallException {
    JsonObject a = CanonicalJson.parseObject(gw.evaluate("accounts:getAccount", account));
    return PaillierPublicKey.fromBytes(Base64.getDecoder().decode(a.get("paillierKey").getAsString()));
  }

  /** The transfer of {@code amount} from {@code s} to {@code payeeId} with {@code nonce}, spending from {@code balance}. */
  static Built transfer(LedgerConnection gw, AccountSecrets s, PaillierCiphertext balance, long nonce, PaillierPublicKey payee,
      String payeeId, PaillierPublicKey reg, long amount, SecureRandom r) {
    PaillierPublicKey pk = s.paillier().publicKey();
    TransferStatement st = new TransferStatement(pk, payee, reg, balance,
        new TransferContext(gw.channel(), gw.chaincode(), s.accountId(), payeeId, nonce));
    TransferProof bundle = TransferProof.prove(st, s.paillier(), amount, r);
    JsonObject b = new JsonObject();
    b.addProperty("type", "transfer");
    b.addProperty("account", s.accountId());
    b.addProperty("nonce", nonce);
    b.addProperty("to", payeeId);
    b.add("fold", new JsonArray());
    b.addProperty("bundle", Base64.getEncoder().encodeToString(bundle.toBytes()));
    String request = SignedRequest.sign(gw.channel(), gw.chaincode(), b, s.signingKey(SecretAccess.explicit())).toJson();
    return new Built(request, TransferProof.newBalance(st, bundle.amountForPayer()));
  }
}
