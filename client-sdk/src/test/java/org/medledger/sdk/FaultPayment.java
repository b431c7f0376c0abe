package org.medledger.sdk;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@link AccountClient#pay} told the caller about one payment of the fault run: committed
 * (YES, with the record's transaction id), not committed (NO, with the kind and code), outcome
 * unknown (UNKNOWN, with every transaction id the exception names), or an exception that is not a
 * {@link LedgerCallException} at all (OTHER, which the SDK's contract does not allow).
 */
record FaultPayment(int payer, long amount, String phase, long startMs, long ms, Outcome outcome, String txId, String kind,
    String code, String message, Set<String> namedTxIds) {

  enum Outcome { YES, NO, UNKNOWN, OTHER }

  private static final Pattern TX_ID = Pattern.compile("\\b[0-9a-f]{64}\\b");

  static FaultPayment committed(int payer, long amount, String phase, long startMs, long ms, Transfer record) {
    String tx = record.txId();
    return new FaultPayment(payer, amount, phase, startMs, ms, Outcome.YES, tx, "", "", "", Set.of(tx));
  }

  static FaultPayment failed(int payer, long amount, String phase, long startMs, long ms, LedgerCallException e) {
    Outcome o = e.committed() == LedgerCallException.Committed.NO ? Outcome.NO : Outcome.UNKNOWN;
    return new FaultPayment(payer, amount, phase, startMs, ms, o, e.txId(), e.kind().name(), e.errorCode(),
        oneLine(e.getMessage()), named(e));
  }

  static FaultPayment broken(int payer, long amount, String phase, long startMs, long ms, Throwable t) {
    return new FaultPayment(payer, amount, phase, startMs, ms, Outcome.OTHER, "", t.getClass().getSimpleName(), "",
        oneLine(String.valueOf(t.getMessage())), named(t));
  }

  /** Every transaction id the exception (and its causes) names: its txId and the 64-hex ids in the messages. */
  private static Set<String> named(Throwable t) {
    Set<String> ids = new LinkedHashSet<>();
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof LedgerCallException l && !l.txId().isEmpty()) {
        ids.add(l.txId());
      }
      Matcher m = TX_ID.matcher(String.valueOf(c.getMessage()));
      while (m.find()) {
        ids.add(m.group());
      }
    }
    return ids;
  }

  private static String oneLine(String s) {
    String t = s.replaceAll("\\s+", " ");
    return t.length() > 300 ? t.substring(0, 300) + "…" : t;
  }

  /** "NO REFUSED/INSUFFICIENT_FUNDS" style label of the outcome, for the per-fault tables. */
  String label() {
    return switch (outcome) {
      case YES -> "YES";
      case NO, UNKNOWN -> outcome + " " + kind + (code.isEmpty() ? "" : "/" + code);
      case OTHER -> "OTHER " + kind;
    };
  }
}
