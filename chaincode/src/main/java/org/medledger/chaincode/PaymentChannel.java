package org.medledger.chaincode;

import com.google.gson.JsonObject;
import java.time.Instant;

/**
 * A payment channel as stored under {@code pchan/<id>} (docs/payment-channels.md §4): its two
 * parties, dispute window and pipeline depth, its status, and while it closes unilaterally the
 * state being closed on. Mutable within one transaction; {@link #toJson} is what is written.
 */
final class PaymentChannel {
  enum Status {
    OPEN,
    CLOSING,
    CLOSED
  }

  /** A settlement proof accepted on chain: the net payer's transfer bundle out of its deposit. */
  record Answer(long seq, String payer, String amountPayer, String amountPayee, String amountRegulator,
      String newBalance, String proofDigest, String tx, String at) {
    JsonObject toJson() {
      JsonObject o = new JsonObject();
      o.addProperty("seq", seq);
      o.addProperty("payer", payer);
      o.addProperty("amountPayer", amountPayer);
      o.addProperty("amountPayee", amountPayee);
      o.addProperty("amountRegulator", amountRegulator);
      o.addProperty("newBalance", newBalance);
      o.addProperty("proofDigest", proofDigest);
      o.addProperty("tx", tx);
      o.addProperty("at", at);
      return o;
    }

    static Answer fromJson(JsonObject o) {
      return new Answer(o.get("seq").getAsLong(), o.get("payer").getAsString(), o.get("amountPayer").getAsString(),
          o.get("amountPayee").getAsString(), o.get("amountRegulator").getAsString(), o.get("newBalance").getAsString(),
          o.get("proofDigest").getAsString(), o.get("tx").getAsString(), o.get("at").getAsString());
    }
  }

  /** The state a unilateral close is on: who submitted it, until when it can be superseded or answered. */
  record Closing(long seq, String payer, String digest, String submittedBy, Instant deadline, Answer answer) {
    Closing withAnswer(Answer a, Instant newDeadline) {
      return new Closing(seq, payer, digest, submittedBy, newDeadline, a);
    }

    JsonObject toJson() {
      JsonObject o = new JsonObject();
      o.addProperty("seq", seq);
      o.addProperty("payer", payer);
      o.addProperty("digest", digest);
      o.addProperty("submittedBy", submittedBy);
      o.addProperty("deadline", deadline.toString());
      if (answer != null) {
        o.add("answer", answer.toJson());
      }
      return o;
    }

    static Closing fromJson(JsonObject o) {
      return new Closing(o.get("seq").getAsLong(), o.get("payer").getAsString(), o.get("digest").getAsString(),
          o.get("submittedBy").getAsString(), Instant.parse(o.get("deadline").getAsString()),
          o.has("answer") ? Answer.fromJson(o.getAsJsonObject("answer")) : null);
    }
  }

  final String id;
  final String partyA;
  final String partyB;
  final long window;
  final int depth;
  final String openTx;
  final String openedAt;
  Status status;
  Instant updatedAt;
  Closing closing;
  JsonObject settlement;

  PaymentChannel(String id, String partyA, String partyB, long window, int depth, String openTx, String openedAt) {
    this.id = id;
    this.partyA = partyA;
    this.partyB = partyB;
    this.window = window;
    this.depth = depth;
    this.openTx = openTx;
    this.openedAt = openedAt;
    this.status = Status.OPEN;
    this.updatedAt = Instant.parse(openedAt);
  }

  boolean isParty(String account) {
    return partyA.equals(account) || partyB.equals(account);
  }

  String other(String account) {
    return partyA.equals(account) ? partyB : partyA;
  }

  JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("id", id);
    o.addProperty("partyA", partyA);
    o.addProperty("partyB", partyB);
    o.addProperty("window", window);
    o.addProperty("depth", depth);
    o.addProperty("openTx", openTx);
    o.addProperty("openedAt", openedAt);
    o.addProperty("status", status.name());
    o.addProperty("updatedAt", updatedAt.toString());
    if (closing != null) {
      o.add("closing", closing.toJson());
    }
    if (settlement != null) {
      o.add("settlement", settlement);
    }
    return o;
  }

  static PaymentChannel fromJson(JsonObject o) {
    PaymentChannel c = new PaymentChannel(o.get("id").getAsString(), o.get("partyA").getAsString(),
        o.get("partyB").getAsString(), o.get("window").getAsLong(), o.get("depth").getAsInt(),
        o.get("openTx").getAsString(), o.get("openedAt").getAsString());
    c.status = Status.valueOf(o.get("status").getAsString());
    c.updatedAt = Instant.parse(o.get("updatedAt").getAsString());
    c.closing = o.has("closing") ? Closing.fromJson(o.getAsJsonObject("closing")) : null;
    c.settlement = o.has("settlement") ? o.getAsJsonObject("settlement") : null;
    return c;
  }
}
