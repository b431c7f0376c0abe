package org.medledger.chaincode;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.proof.TransferContext;
import org.medledger.crypto.proof.TransferProof;
import org.medledger.crypto.proof.TransferStatement;
import org.medledger.protocol.CanonicalJson;

/** Builds the signed members and the body of a {@code money:transferBatch} for tests on a {@link Channel}. */
final class BatchRequests {
  private static final SecureRandom RND = new SecureRandom();

  private BatchRequests() {}

  /**
   * Signed transfers from {@code from} to {@code to}, each spending from the previous one's new
   * balance with the next nonce from {@code nonce}; the first folds every pending credit. Advances
   * nothing (the payer's local nonce is restored).
   */
  static List<String> chain(Channel ch, Actor from, Actor to, long nonce, long... amounts) {
    PaillierPublicKey pk = from.paillier.publicKey();
    PaillierCiphertext old = ch.storedBalance(from);
    List<String> ids = new ArrayList<>();
    for (Channel.Credit c : ch.credits(from)) {
      ids.add(c.id());
      old = pk.add(old, c.ciphertext());
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < amounts.length; i++) {
      TransferStatement st = new TransferStatement(pk, to.paillier.publicKey(), ch.regulator.paillier.publicKey(), old,
          new TransferContext(Actor.CHANNEL, Actor.CHAINCODE, from.id, to.id, nonce + i));
      TransferProof bundle = TransferProof.prove(st, from.paillier, amounts[i], RND);
      long saved = from.nonce;
      from.nonce = nonce + i;
      out.add(from.sign(from.transferBody(to, i == 0 ? ids : List.of(), bundle)));
      from.nonce = saved;
      old = TransferProof.newBalance(st, bundle.amountForPayer());
    }
    return out;
  }

  /** The canonical {@code {"transfers":[...]}} body of a batch of signed transfer requests. */
  static String batch(List<String> requests) {
    JsonArray a = new JsonArray();
    for (String r : requests) {
      a.add(CanonicalJson.parseObject(r));
    }
    JsonObject o = new JsonObject();
    o.add("transfers", a);
    return CanonicalJson.toString(o);
  }
}
