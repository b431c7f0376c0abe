package org.medledger.chaincode;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.proof.TransferProof;
import org.medledger.crypto.proof.TransferStatement;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.Role;

/**
 * What every contract needs and the contracts used to copy from each other: the role and
 * organisation checks, the regulator account, one page of a list function, events, the decoding
 * and verification of a transfer bundle, and the refusal of an unknown function. Each refusal
 * keeps the code and detail the copies had (docs/chaincode.md §6).
 */
final class Contracts {
  private Contracts() {}

  /** WRONG_ROLE unless the account has {@code role}. */
  static void requireRole(Account a, Role role) {
    if (a.role() != role) {
      throw LedgerException.of(ErrorCode.WRONG_ROLE, a.id() + " is a " + a.role() + ", not a " + role);
    }
  }

  /** FORBIDDEN_ORGANISATION unless the caller's MSP is mapped to {@code role} in the configuration. */
  static void requireOrganisation(Ledger ledger, ChannelConfig cfg, Role role) {
    if (!cfg.mayRegister(ledger.callerMsp(), role)) {
      throw LedgerException.of(ErrorCode.FORBIDDEN_ORGANISATION, ledger.callerMsp() + " does not act as " + role);
    }
  }

  /** The channel's regulator account; NO_REGULATOR before it registered. */
  static Account regulator(Ledger ledger) {
    JsonObject r = ledger.get(ledger.key(Ledger.REGULATOR));
    if (r == null) {
      throw LedgerException.of(ErrorCode.NO_REGULATOR, "register the regulator first");
    }
    return ledger.account(r.get("account").getAsString());
  }

  /**
   * One page of the range under (type, owner) as {@code {"items":[…],"bookmark":"…"}}, each item
   * passed through {@code view}. The page size is checked (BAD_PAGE) before the bookmark
   * (BAD_BOOKMARK, {@link Paging}); the caller checks the owner first.
   */
  static String page(Ledger ledger, String type, String owner, String pageSize, String bookmark,
      UnaryOperator<JsonObject> view) {
    Ledger.Page refs = ledger.page(type, new String[] {owner}, Paging.pageSize(pageSize), bookmark);
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject ref : refs.items()) {
      out.add(view.apply(ref));
    }
    return Paging.json(new Ledger.Page(out, refs.bookmark()));
  }

  /** Emits the event {@code name}: {@code ev} with the transaction id added, in canonical JSON. */
  static void emit(Ledger ledger, String name, JsonObject ev) {
    ev.addProperty("txId", ledger.txId());
    ledger.stub().setEvent(name, CanonicalJson.toBytes(ev));
  }

  /** One event per transaction: the tx id and the given name/value pairs, never any content. */
  static void emit(Ledger ledger, String name, String... pairs) {
    JsonObject ev = new JsonObject();
    for (int i = 0; i < pairs.length; i += 2) {
      ev.addProperty(pairs[i], pairs[i + 1]);
    }
    emit(ledger, name, ev);
  }

  /** A transfer bundle under the three keys; MALFORMED_PROOF if it does not decode. */
  static TransferProof decodeBundle(byte[] bytes, PaillierPublicKey pkX, PaillierPublicKey pkY, PaillierPublicKey pkR) {
    try {
      return TransferProof.fromBytes(bytes, pkX, pkY, pkR);
    } catch (MalformedInputException e) {
      throw LedgerException.of(ErrorCode.MALFORMED_PROOF, e.getMessage());
    }
  }

  /** Verifies a bundle against its statement and returns the payer's rest; TRANSFER_PROOF_INVALID otherwise. */
  static PaillierCiphertext verifyBundle(TransferProof bundle, TransferStatement st) {
    try {
      return bundle.verify(st);
    } catch (CryptoException e) {
      throw LedgerException.of(ErrorCode.TRANSFER_PROOF_INVALID, e.getMessage());
    }
  }

  /** Standard base64 of {@code b}, as stored. */
  static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  /**
   * The refusal for a function a contract lacks: Fabric's contract router calls
   * {@code unknownTransaction}, which throws this, so that the code is the entry check's.
   */
  static ChaincodeException unknownFunction(Context ctx) {
    return LedgerException.of(ErrorCode.MALFORMED_REQUEST, "unknown function " + ctx.getStub().getFunction());
  }
}
