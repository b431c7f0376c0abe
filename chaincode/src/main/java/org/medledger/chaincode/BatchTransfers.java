package org.medledger.chaincode;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.proof.BatchMemberException;
import org.medledger.crypto.proof.TransferBatch;
import org.medledger.crypto.proof.TransferContext;
import org.medledger.crypto.proof.TransferProof;
import org.medledger.crypto.proof.TransferStatement;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.Limits;
import org.medledger.protocol.Role;

/**
 * {@code money:transferBatch} (docs/chaincode.md §5, Batches): up to
 * {@link Limits#MAX_BATCH_TRANSFERS} signed transfer requests, each exactly what
 * {@code money:transfer} accepts, all to one payee, verified together ({@link TransferBatch},
 * docs/protocol.md §4.5). Members are checked in order against the state the earlier members leave
 * (nonce, balance, folded credits), which a Fabric transaction cannot read back from its own writes,
 * so this class keeps that overlay itself. Any refusal of a member refuses the batch with the
 * member's own code and "member i of N" in the detail; nothing is written.
 */
final class BatchTransfers {
  private BatchTransfers() {}

  /** One authenticated, decoded member and what it spends from. */
  private record Member(Account payer, long nonce, List<String> fold, byte[] bundleBytes, TransferStatement statement,
      TransferProof bundle) {}

  static String transferBatch(Ledger ledger, String batchJson) {
    ChannelConfig cfg = ledger.config();
    List<String> requests = parse(batchJson);
    int count = requests.size();
    Account regulator = Contracts.regulator(ledger);
    PaillierPublicKey pkR = regulator.publicKeyForVerification();
    Account payee = null;
    PaillierPublicKey pkB = null;
    Map<String, PaillierPublicKey> payerKeys = new HashMap<>();
    Map<String, Long> nextNonce = new HashMap<>();
    Map<String, PaillierCiphertext> balance = new HashMap<>();
    Set<String> folded = new java.util.LinkedHashSet<>(); // deleted in the order named
    Set<String> seen = new HashSet<>();
    List<Member> members = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      try {
        String req = requests.get(i);
        if (!seen.add(req)) {
          throw LedgerException.of(ErrorCode.BATCH_DUPLICATE, "this transfer is already in the batch");
        }
        Requests.Envelope env = Requests.envelope(req, "transfer");
        JsonObject body = env.body();
        Json.onlyMembers(body, "to", "fold", "bundle", "type", "account", "nonce");
        Account payer = ledger.account(Json.string(body, "account", 64));
        Requests.checkSignature(cfg, env, payer.signingKey());
        long nonce = Json.integer(body, "nonce", 0, Long.MAX_VALUE - 1);
        Long inBatch = nextNonce.get(payer.id());
        long expected = inBatch != null ? inBatch : ledger.nonce(payer.id());
        if (inBatch != null && nonce < expected) {
          throw LedgerException.of(ErrorCode.BATCH_DUPLICATE, "nonce " + nonce + " of " + payer.id() + " is already in the batch");
        }
        if (nonce != expected) {
          throw LedgerException.of(ErrorCode.BAD_NONCE, "expected nonce " + expected + ", got " + nonce);
        }
        if (payer.role() != Role.PATIENT && payer.role() != Role.INSURER && payer.role() != Role.HOSPITAL) {
          throw LedgerException.of(ErrorCode.WRONG_ROLE, payer.role() + " accounts do not pay");
        }
        String to = Json.string(body, "to", 64);
        if (payee == null) {
          payee = ledger.account(to);
          if (payee.role() != Role.PATIENT && payee.role() != Role.INSURER && payee.role() != Role.HOSPITAL) {
            throw LedgerException.of(ErrorCode.WRONG_ROLE, payee.role() + " accounts do not receive payments");
          }
          pkB = payee.publicKeyForVerification();
        } else if (!to.equals(payee.id())) {
          throw LedgerException.of(ErrorCode.BATCH_MIXED_PAYEES, "pays " + to + ", the batch pays " + payee.id());
        }
        if (payee.id().equals(payer.id())) {
          throw LedgerException.of(ErrorCode.SELF_TRANSFER, payer.id());
        }
        List<String> fold = Json.ids(body, "fold", MoneyContract.MAX_FOLD, ErrorCode.TOO_MANY_CREDITS);
        byte[] bundleBytes = Json.base64(body, "bundle", MoneyContract.MAX_BUNDLE_BYTES);
        PaillierPublicKey pkA = payerKeys.computeIfAbsent(payer.id(), x -> payer.publicKey());
        PaillierCiphertext old = balance.get(payer.id());
        if (old == null) {
          old = MoneyContract.storedBalance(ledger, payer, pkA);
        }
        for (String id : fold) {
          String key = ledger.key(Ledger.CREDIT, payer.id(), id);
          JsonObject c = folded.contains(key) ? null : ledger.get(key);
          if (c == null) {
            throw LedgerException.of(ErrorCode.UNKNOWN_CREDIT, id);
          }
          folded.add(key);
          old = pkA.add(old, MoneyContract.ciphertext(pkA, c.get("ciphertext").getAsString()));
        }
        TransferProof bundle = Contracts.decodeBundle(bundleBytes, pkA, pkB, pkR);
        TransferContext tc = new TransferContext(cfg.channel(), cfg.chaincode(), payer.id(), payee.id(), nonce);
        TransferStatement st = new TransferStatement(pkA, pkB, pkR, old, tc);
        members.add(new Member(payer, nonce, fold, bundleBytes, st, bundle));
        balance.put(payer.id(), TransferProof.newBalance(st, bundle.amountForPayer()));
        nextNonce.put(payer.id(), nonce + 1);
      } catch (ChaincodeException e) {
        throw member(e, i, count);
      }
    }

    String tx = ledger.txId();
    List<TransferBatch.Member> proofs = new ArrayList<>(count);
    for (Member m : members) {
      proofs.add(new TransferBatch.Member(m.statement(), m.bundle()));
    }
    List<PaillierCiphertext> newBalances;
    try {
      newBalances = TransferBatch.verify(proofs, context(cfg, tx));
    } catch (BatchMemberException e) {
      throw LedgerException.of(ErrorCode.TRANSFER_PROOF_INVALID, memberPrefix(e.index(), count) + e.getCause().getMessage());
    } catch (CryptoException e) {
      throw LedgerException.of(ErrorCode.TRANSFER_PROOF_INVALID, e.getMessage());
    }

    // Nothing was written so far; every write below is one key once.
    for (String key : folded) {
      ledger.delete(key);
    }
    Map<String, PaillierCiphertext> finalBalance = new LinkedHashMap<>();
    Map<String, Long> finalNonce = new LinkedHashMap<>();
    JsonArray records = new JsonArray();
    for (int i = 0; i < count; i++) {
      Member m = members.get(i);
      String id = memberId(tx, i);
      TransferProof b = m.bundle();
      finalBalance.put(m.payer().id(), newBalances.get(i));
      finalNonce.put(m.payer().id(), m.nonce() + 1);
      MoneyContract.writeCredit(ledger, payee.id(), id, b.amountForPayee(), m.payer().id(), "TRANSFER");
      StatsBuckets.transfer(ledger, m.payer(), payee, id, b.amountForRegulator(), false);
      JsonObject record = MoneyContract.baseRecord(ledger, "TRANSFER", m.payer().id(), payee.id());
      record.addProperty("txId", id);
      record.addProperty("batch", tx);
      record.addProperty("batchIndex", i);
      record.addProperty("amountPayer", MoneyContract.b64(b.amountForPayer()));
      record.addProperty("amountPayee", MoneyContract.b64(b.amountForPayee()));
      record.addProperty("amountRegulator", MoneyContract.b64(b.amountForRegulator()));
      record.add("folded", MoneyContract.array(m.fold()));
      record.addProperty("proofDigest", MoneyContract.sha256(m.bundleBytes()));
      writeRecord(ledger, record, id, m.payer().id(), payee.id());
      MoneyContract.writeSpent(ledger, m.payer().id(), m.nonce(), id);
      records.add(record);
    }
    for (Map.Entry<String, PaillierCiphertext> e : finalBalance.entrySet()) {
      MoneyContract.writeBalance(ledger, e.getKey(), e.getValue());
    }
    for (Map.Entry<String, Long> e : finalNonce.entrySet()) {
      ledger.setNonce(e.getKey(), e.getValue());
    }
    JsonObject ev = new JsonObject();
    ev.addProperty("txId", tx);
    ev.addProperty("kind", "TRANSFER_BATCH");
    ev.addProperty("to", payee.id());
    ev.addProperty("count", count);
    ledger.stub().setEvent("medledger.TransferredBatch", CanonicalJson.toBytes(ev));
    JsonObject out = new JsonObject();
    out.addProperty("txId", tx);
    out.addProperty("to", payee.id());
    out.add("records", records);
    return CanonicalJson.toString(out);
  }

  /** The id of member i's record and credit: the transaction id, a dot, two digits. */
  static String memberId(String tx, int i) {
    return tx + "." + (i < 10 ? "0" : "") + i;
  }

  /** The weights' context: channel, chaincode and transaction id (docs/protocol.md §4.5). */
  private static byte[] context(ChannelConfig cfg, String tx) {
    return new TransferContext(cfg.channel(), cfg.chaincode(), "transferBatch", tx, 0).toBytes();
  }

  /** The batch's members as canonical request texts; BATCH_SIZE unless 1..MAX_BATCH_TRANSFERS. */
  private static List<String> parse(String batchJson) {
    if (batchJson == null || EntryCheck.utf8Length(batchJson, Limits.MAX_BATCH_BYTES) > Limits.MAX_BATCH_BYTES) {
      throw LedgerException.of(ErrorCode.PAYLOAD_TOO_LARGE, "batch exceeds " + Limits.MAX_BATCH_BYTES + " bytes");
    }
    JsonObject o = Json.object(batchJson);
    if (!CanonicalJson.toString(o).equals(batchJson)) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "the batch is not canonical JSON");
    }
    Json.onlyMembers(o, "transfers");
    JsonElement t = o.get("transfers");
    if (!(t instanceof JsonArray a)) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "transfers must be an array");
    }
    if (a.isEmpty() || a.size() > Limits.MAX_BATCH_TRANSFERS) {
      throw LedgerException.of(ErrorCode.BATCH_SIZE, "a batch holds 1.." + Limits.MAX_BATCH_TRANSFERS + " transfers, not "
          + a.size());
    }
    List<String> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      if (!(a.get(i) instanceof JsonObject m)) {
        throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, memberPrefix(i, a.size()) + "a transfer must be a signed request object");
      }
      out.add(CanonicalJson.toString(m));
    }
    return out;
  }

  private static String memberPrefix(int i, int count) {
    return "member " + i + " of " + count + ": ";
  }

  /** A member's refusal as the batch's: the same code, "member i of N: " before its detail. */
  private static ChaincodeException member(ChaincodeException e, int i, int count) {
    ErrorCode code = LedgerException.codeOf(e);
    if (code == null) {
      code = ErrorCode.MALFORMED_REQUEST;
    }
    String msg = String.valueOf(e.getMessage());
    String detail = msg.startsWith(code.name() + ": ") ? msg.substring(code.name().length() + 2) : msg;
    return LedgerException.of(code, memberPrefix(i, count) + detail);
  }

  /** {@link MoneyContract#writeRecord} under the member's id instead of the transaction id. */
  private static void writeRecord(Ledger ledger, JsonObject record, String id, String from, String to) {
    ledger.put(ledger.key(Ledger.TX, id), record);
    String order = MoneyContract.order(ledger.timestamp());
    JsonObject ref = new JsonObject();
    ref.addProperty("txId", id);
    ledger.put(ledger.key(Ledger.HISTORY, from, order, id), ref);
    ledger.put(ledger.key(Ledger.HISTORY, to, order, id), ref);
    ledger.put(ledger.key(Ledger.ALL_TX, order, id), ref);
  }
}
