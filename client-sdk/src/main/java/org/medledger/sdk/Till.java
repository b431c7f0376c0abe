package org.medledger.sdk;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.Limits;
import org.medledger.sdk.internal.Requests;

/**
 * Submits transfers signed by their payers in batches ({@code money:transferBatch},
 * docs/client-sdk.md §3.6): a hospital's till collecting its patients' payments, or one payer's
 * chain ({@link AccountClient#payBatch}). It holds no secrets. The chaincode refuses a whole batch
 * for one bad member and names it; the till then reports that member NO, drops it together with
 * any later transfer of the same payer (each spends from the one before), and sends the rest
 * again. A batch that lost an MVCC race or could not be sent is sent again as it is, at most
 * {@link #MAX_ATTEMPTS} times in all; a batch whose outcome is unknown is never sent again (its
 * members keep their nonces, so none of them can commit twice): they are reported UNKNOWN and
 * {@link #status} asks later. Results are truthful per transfer: YES only when the ledger
 * returned its record, NO only when nothing of it can ever commit.
 */
public final class Till {
  /** Sends of one batch beyond the drops of culprits: after a conflict or a failure before ordering. */
  public static final int MAX_ATTEMPTS = 4;
  private static final Pattern MEMBER = Pattern.compile(": member (\\d+) of (\\d+): ");

  private final LedgerConnection ledger;
  private final Function<JsonObject, Transfer> view;

  /** A till on {@code ledger}; the amounts of its results are empty (it holds no key). */
  public Till(LedgerConnection ledger) {
    this(ledger, Till::publicView);
  }

  Till(LedgerConnection ledger, Function<JsonObject, Transfer> view) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.view = Objects.requireNonNull(view, "view");
  }

  /**
   * Sends {@code transfers} (1 to {@link Limits#MAX_BATCH_TRANSFERS}, all to one payee, each
   * payer's in nonce order) and returns one outcome per transfer, in the same order. A transfer
   * whose signed request does not pay its record's payee from its record's payer with its record's
   * nonce is NO without being sent.
   *
   * @throws IllegalArgumentException for an empty or over-long list, or records naming different payees
   */
  public List<BatchOutcome> submit(List<SignedTransfer> transfers) {
    if (transfers.isEmpty() || transfers.size() > Limits.MAX_BATCH_TRANSFERS) {
      throw new IllegalArgumentException("a batch holds 1.." + Limits.MAX_BATCH_TRANSFERS + " transfers");
    }
    String payee = transfers.get(0).payee();
    for (SignedTransfer t : transfers) {
      if (!t.payee().equals(payee)) {
        throw new IllegalArgumentException("a batch pays one payee: " + payee + " and " + t.payee());
      }
    }
    BatchOutcome[] out = new BatchOutcome[transfers.size()];
    List<Integer> rest = new ArrayList<>();
    // The same signed transfer given twice is one payment: sent once, the copy reported at the end.
    int[] copyOf = new int[transfers.size()];
    java.util.Map<String, Integer> firstOf = new java.util.HashMap<>();
    for (int i = 0; i < transfers.size(); i++) {
      Integer first = firstOf.putIfAbsent(transfers.get(i).request(), i);
      copyOf[i] = first == null ? -1 : first;
      if (first != null) {
        continue;
      }
      // The till trusts no payer: a transfer whose signed request is not what its record says (it
      // pays someone else, or names another payer or nonce, which would decide what is dropped
      // with it) is not sent, and costs no other transfer.
      String why = mismatch(transfers.get(i));
      if (why == null) {
        rest.add(i);
      } else {
        out[i] = new BatchOutcome(i, transfers.get(i), PaymentStatus.Outcome.NO, "", "", "", "not sent: " + why,
            Optional.empty());
      }
    }
    int attempts = 0;
    String lastTx = "";
    while (!rest.isEmpty()) {
      JsonArray members = new JsonArray();
      for (int i : rest) {
        members.add(CanonicalJson.parseObject(transfers.get(i).request()));
      }
      JsonObject batch = new JsonObject();
      batch.add("transfers", members);
      try {
        JsonObject result = CanonicalJson.parseObject(ledger.submit("money:transferBatch", CanonicalJson.toString(batch)));
        String tx = result.get("txId").getAsString();
        JsonArray records = result.getAsJsonArray("records");
        for (int k = 0; k < rest.size(); k++) {
          int i = rest.get(k);
          JsonObject r = records.get(k).getAsJsonObject();
          out[i] = new BatchOutcome(i, transfers.get(i), PaymentStatus.Outcome.YES, tx, r.get("txId").getAsString(), "",
              "committed in batch " + tx, Optional.of(view.apply(r)));
        }
        rest.clear();
      } catch (LedgerCallException e) {
        lastTx = e.txId();
        if (e.committed() == LedgerCallException.Committed.UNKNOWN) {
          for (int k = 0; k < rest.size(); k++) {
            int i = rest.get(k);
            out[i] = new BatchOutcome(i, transfers.get(i), PaymentStatus.Outcome.UNKNOWN, e.txId(),
                e.txId().isEmpty() ? "" : memberId(e.txId(), k), e.errorCode(),
                "batch " + (e.txId().isEmpty() ? "(no tx id)" : e.txId()) + " may have committed or may still commit: "
                    + e.getMessage() + "; ask Till.status later, do not send this transfer again before it says NO",
                Optional.empty());
          }
          rest.clear();
          break;
        }
        int culprit = culprit(e, rest.size());
        if (culprit >= 0 && e.errorCode().equals("BATCH_DUPLICATE")) {
          // Another transfer of the batch carries this one's payer and nonce (identical copies are
          // never sent): this one is refused alone; the payer's later transfers spend from that one.
          int i = rest.remove(culprit);
          out[i] = new BatchOutcome(i, transfers.get(i), PaymentStatus.Outcome.NO, "", "", e.errorCode(),
              "refused: transfer " + holderOf(transfers, rest, i) + " carries the same payer's nonce " + transfers.get(i).nonce()
                  + " (" + e.getMessage() + ")", Optional.empty());
          continue;
        }
        if (culprit >= 0) {
          int i = rest.get(culprit);
          SignedTransfer bad = transfers.get(i);
          Optional<JsonObject> copy = e.errorCode().equals("BAD_NONCE") ? committedCopy(bad) : Optional.empty();
          if (copy.isPresent()) {
            // Its nonce is taken by this very request, committed by someone else: it is paid.
            String id = copy.get().get("txId").getAsString();
            out[i] = new BatchOutcome(i, bad, PaymentStatus.Outcome.YES, "", id, "", "committed elsewhere as " + id,
                Optional.of(view.apply(copy.get())));
            rest.remove(culprit);
            continue;
          }
          out[i] = new BatchOutcome(i, bad, PaymentStatus.Outcome.NO, "", "", e.errorCode(), "refused: " + e.getMessage(),
              Optional.empty());
          List<Integer> kept = new ArrayList<>();
          for (int j : rest) {
            SignedTransfer t = transfers.get(j);
            if (j == i) {
              continue;
            }
            if (t.payer().equals(bad.payer()) && t.nonce() > bad.nonce()) {
              out[j] = new BatchOutcome(j, t, PaymentStatus.Outcome.NO, "", "", "", "not sent: it spends from transfer "
                  + i + " of the same payer, which was refused (" + e.errorCode() + ")", Optional.empty());
            } else {
              kept.add(j);
            }
          }
          rest = kept;
          continue; // a drop is not an attempt: at most 16 of them
        }
        boolean again = e.kind() == LedgerCallException.Kind.CONFLICT || e.kind() == LedgerCallException.Kind.UNAVAILABLE
            || e.kind() == LedgerCallException.Kind.TIMEOUT;
        if (again && ++attempts < MAX_ATTEMPTS) {
          continue;
        }
        for (int i : rest) {
          out[i] = new BatchOutcome(i, transfers.get(i), PaymentStatus.Outcome.NO, "", "", e.errorCode(),
              "the batch was " + (e.kind() == LedgerCallException.Kind.REFUSED ? "refused as a whole" : "not committed")
                  + ": " + e.getMessage(), Optional.empty());
        }
        rest.clear();
      }
    }
    for (int i = 0; i < out.length; i++) {
      if (copyOf[i] >= 0) {
        BatchOutcome first = out[copyOf[i]];
        out[i] = new BatchOutcome(i, transfers.get(i), first.committed(), first.batchTxId(), first.recordId(),
            "BATCH_DUPLICATE", "not sent: the same signed transfer as transfer " + copyOf[i]
                + ", which the batch carried once; this is its outcome: " + first.detail(), Optional.empty());
      }
    }
    return Arrays.asList(out);
  }

  /** The index among {@code sent} of the transfer with the payer and nonce of transfer {@code i}. */
  private static int holderOf(List<SignedTransfer> transfers, List<Integer> sent, int i) {
    SignedTransfer t = transfers.get(i);
    for (int j : sent) {
      if (transfers.get(j).payer().equals(t.payer()) && transfers.get(j).nonce() == t.nonce()) {
        return j;
      }
    }
    return -1;
  }

  /**
   * The outcome of a transfer {@link #submit} reported UNKNOWN, asked again: YES if its record is
   * on the ledger, or if its signed request committed under another transaction (the payer's own,
   * another relayer's: {@code money:transferByNonce} names a record with its bundle's digest); NO
   * if neither and its batch is in a block and was invalidated; UNKNOWN otherwise. Sends nothing.
   * Any other outcome is returned as it is.
   */
  public BatchOutcome status(BatchOutcome o) throws LedgerCallException {
    if (o.committed() != PaymentStatus.Outcome.UNKNOWN || o.recordId().isEmpty()) {
      return o;
    }
    try {
      JsonObject r = CanonicalJson.parseObject(ledger.evaluate("money:getTransaction", o.recordId()));
      return new BatchOutcome(o.index(), o.transfer(), PaymentStatus.Outcome.YES, o.batchTxId(), o.recordId(), "",
          "record " + o.recordId() + " is on the ledger", Optional.of(view.apply(r)));
    } catch (LedgerCallException e) {
      if (e.kind() != LedgerCallException.Kind.REFUSED || !e.errorCode().equals("MALFORMED_REQUEST")) {
        throw e;
      }
    }
    Optional<JsonObject> copy = copyOf(o.transfer());
    if (copy.isPresent()) {
      String id = copy.get().get("txId").getAsString();
      return new BatchOutcome(o.index(), o.transfer(), PaymentStatus.Outcome.YES, "", id, "",
          "committed elsewhere as " + id, Optional.of(view.apply(copy.get())));
    }
    Optional<String> code = ledger.commitStatus(o.batchTxId());
    if (code.isPresent() && !code.get().equals("VALID")) {
      return new BatchOutcome(o.index(), o.transfer(), PaymentStatus.Outcome.NO, o.batchTxId(), "", code.get(),
          "batch " + o.batchTxId() + " is in a block and was invalidated: " + code.get(), Optional.empty());
    }
    return o;
  }

  /**
   * Why {@code t}'s signed request is not a transfer of its record's payer, with its nonce, to its
   * payee; null if it is (its signature and everything else are the chaincode's to check).
   */
  static String mismatch(SignedTransfer t) {
    try {
      JsonObject body = CanonicalJson.parseObject(t.request()).getAsJsonObject("body");
      if (body == null || !"transfer".equals(string(body, "type"))) {
        return "its signed request is not a transfer";
      }
      if (!t.payer().equals(string(body, "account"))) {
        return "its signed request is paid by " + string(body, "account") + ", not " + t.payer();
      }
      if (!t.payee().equals(string(body, "to"))) {
        return "its signed request pays " + string(body, "to") + ", not " + t.payee();
      }
      if (!(body.get("nonce") instanceof com.google.gson.JsonPrimitive n) || !n.isNumber()
          || !String.valueOf(t.nonce()).equals(n.getAsString())) {
        return "its signed request carries another nonce than " + t.nonce();
      }
      return null;
    } catch (RuntimeException malformed) {
      return "its signed request is not a JSON request";
    }
  }

  private static String string(JsonObject o, String name) {
    return o.get(name) instanceof com.google.gson.JsonPrimitive p && p.isString() ? p.getAsString() : null;
  }

  /**
   * The record of the transfer that used {@code t}'s nonce, if it carries {@code t}'s bundle
   * ({@code money:transferByNonce}); empty otherwise or if the look-up fails.
   */
  private Optional<JsonObject> committedCopy(SignedTransfer t) {
    try {
      return copyOf(t);
    } catch (LedgerCallException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** As {@link #committedCopy}, throwing a failed look-up (it proves nothing either way). */
  private Optional<JsonObject> copyOf(SignedTransfer t) throws LedgerCallException {
    Optional<String> digest = Requests.bundleDigest(t.request());
    return digest.isEmpty() ? Optional.empty()
        : Requests.transferWithDigest(ledger, t.payer(), t.nonce(), List.of(digest.get()));
  }

  /** The index the chaincode named ("CODE: member i of N: …"), or −1 if it named none of these {@code count}. */
  static int culprit(LedgerCallException e, int count) {
    if (e.kind() != LedgerCallException.Kind.REFUSED || e.committed() != LedgerCallException.Committed.NO) {
      return -1;
    }
    Matcher m = MEMBER.matcher(String.valueOf(e.getMessage()));
    if (!m.find()) {
      return -1;
    }
    try {
      int i = Integer.parseInt(m.group(1));
      int n = Integer.parseInt(m.group(2));
      return n == count && i >= 0 && i < n ? i : -1;
    } catch (NumberFormatException tooLong) {
      return -1;
    }
  }

  /** The chaincode's id of member i of batch {@code tx} (docs/chaincode.md §5, Batches). */
  static String memberId(String tx, int i) {
    return tx + "." + (i < 10 ? "0" : "") + i;
  }

  /** A record as an account without a key to it sees it: no amount. */
  private static Transfer publicView(JsonObject r) {
    return new Transfer(r.get("txId").getAsString(), r.get("kind").getAsString(), Instant.parse(r.get("timestamp").getAsString()),
        r.get("from").getAsString(), r.get("to").getAsString(), OptionalLong.empty());
  }
}
