package org.medledger.chaincode;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.medledger.protocol.AccountKeys;
import org.medledger.protocol.Role;
import org.medledger.protocol.SignedRequest;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.proof.FactorProof;
import org.medledger.crypto.proof.KeyProof;
import org.medledger.crypto.proof.TransferProof;

/**
 * A test participant: an Ed25519 account key, a Paillier key, the organisation whose gateway it
 * uses, and its own nonce counter. It builds signed requests as the client SDK does.
 */
final class Actor {
  static final String CHANNEL = "medchannel";
  static final String CHAINCODE = "medledger";
  private static final SecureRandom RND = new SecureRandom();

  final String name;
  final Role role;
  final String msp;
  final PaillierSecretKey paillier;
  final Ed25519PrivateKeyParameters signing;
  final String id;
  long nonce;

  Actor(String name, Role role, String msp, PaillierSecretKey paillier) {
    this.name = name;
    this.role = role;
    this.msp = msp;
    this.paillier = paillier;
    this.signing = new Ed25519PrivateKeyParameters(RND);
    this.id = AccountKeys.accountId(signing.generatePublicKey().getEncoded());
  }

  String sign(JsonObject body) {
    return sign(body, CHANNEL, CHAINCODE);
  }

  String sign(JsonObject body, String channel, String chaincode) {
    return SignedRequest.sign(channel, chaincode, body, signing).toJson();
  }

  JsonObject body(String type) {
    JsonObject b = new JsonObject();
    b.addProperty("type", type);
    b.addProperty("account", id);
    b.addProperty("nonce", nonce);
    return b;
  }

  JsonObject registerBody() {
    JsonObject b = body("register");
    b.addProperty("nonce", 0);
    b.addProperty("role", role.name());
    b.addProperty("paillierKey", b64(paillier.publicKey().toBytes()));
    b.addProperty("keyProof", b64(KeyProof.prove(paillier, org.medledger.protocol.Contexts.keyProofContext(CHANNEL, id), RND).toBytes()));
    if (role != Role.REGULATOR) {
      b.addProperty("factorProof", b64(FactorProof.prove(paillier, RecordDesk.ringPedersen(),
          org.medledger.protocol.Contexts.keyProofContext(CHANNEL, id), RND).toBytes()));
    }
    b.addProperty("signingKey", b64(signing.generatePublicKey().getEncoded()));
    return b;
  }

  JsonObject issueBody(Actor to, long amount) {
    JsonObject b = body("issue");
    b.addProperty("to", to.id);
    b.addProperty("amount", amount);
    return b;
  }

  JsonObject transferBody(Actor to, List<String> fold, TransferProof bundle) {
    JsonObject b = body("transfer");
    b.addProperty("to", to.id);
    JsonArray f = new JsonArray();
    fold.forEach(f::add);
    b.add("fold", f);
    b.addProperty("bundle", b64(bundle.toBytes()));
    return b;
  }

  JsonObject foldBody(List<String> credits) {
    JsonObject b = body("fold");
    JsonArray f = new JsonArray();
    credits.forEach(f::add);
    b.add("credits", f);
    return b;
  }

  static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  @Override
  public String toString() {
    return name + "(" + role + ", " + id + ")";
  }
}
