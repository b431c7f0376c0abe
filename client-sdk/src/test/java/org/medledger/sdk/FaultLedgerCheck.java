package org.medledger.sdk;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.medledger.protocol.CanonicalJson;

/**
 * The checks after the fault run, against what the ledger holds once the nodes have converged:
 * each payment's answer against the regulator's audit and the SDK's look-up by transaction id,
 * each patient's nonce, the peers' agreement, and the conservation of money. Failures are
 * collected, not thrown, so that one run reports every broken promise.
 */
final class FaultLedgerCheck {
  private final AccountClient regulator;
  private final AccountClient hospital;
  private final AccountClient insurer;
  private final List<AccountClient> patients;
  private final List<? extends LedgerConnection> gateways;

  int committed;
  long moved;
  long issued;
  String balanceSum = "?";
  int unknownCommitted;
  int unknownAbsent;

  FaultLedgerCheck(AccountClient regulator, AccountClient hospital, AccountClient insurer, List<AccountClient> patients,
      List<? extends LedgerConnection> gateways) {
    this.regulator = regulator;
    this.hospital = hospital;
    this.insurer = insurer;
    this.patients = patients;
    this.gateways = gateways;
  }

  void verify(List<FaultPayment> log, long[] nonceBefore, long issuedExpected, long fund, List<String> failures)
      throws LedgerCallException {
    Map<String, Integer> patientIndex = new HashMap<>();
    for (int i = 0; i < patients.size(); i++) {
      patientIndex.put(patients.get(i).accountId(), i);
    }
    // The audit, every page: payments from patient i of amount a, keyed "i:a".
    Map<String, List<Transfer>> onLedger = new HashMap<>();
    int fundings = 0;
    for (Transfer e : regulator.audit()) {
      if (e.kind().equals("ISSUE")) {
        issued += e.amount().orElse(-1);
        continue;
      }
      if (!e.kind().equals("TRANSFER")) {
        continue;
      }
      if (e.amount().orElse(-1) < 0) {
        failures.add("audit: transfer " + e.txId() + " does not decrypt under the regulator's key");
      }
      Integer payer = patientIndex.get(e.from());
      if (payer == null) {
        if (e.from().equals(insurer.accountId()) && patientIndex.containsKey(e.to()) && e.amount().orElse(-1) == fund) {
          fundings++;
        } else {
          failures.add("audit: unexpected transfer " + e);
        }
      } else if (!e.to().equals(hospital.accountId())) {
        failures.add("audit: a patient paid someone else than the hospital: " + e);
      } else {
        onLedger.computeIfAbsent(payer + ":" + e.amount().orElse(-1), k -> new ArrayList<>()).add(e);
      }
    }
    if (issued != issuedExpected) {
      failures.add("audit: issued " + issued + ", expected " + issuedExpected);
    }
    if (fundings != patients.size()) {
      failures.add("audit: " + fundings + " funding transfers, expected " + patients.size());
    }

    long[] committedBy = new long[patients.size()];
    long[] paidBy = new long[patients.size()];
    Set<String> logged = new HashSet<>();
    for (FaultPayment p : log) {
      String key = p.payer() + ":" + p.amount();
      String who = "payment " + p.amount() + " of patient " + p.payer() + " (" + p.label() + ", ended in '" + p.phase() + "')";
      if (!logged.add(key)) {
        failures.add(who + ": logged twice (the driver's amounts must be unique)");
      }
      List<Transfer> entries = onLedger.getOrDefault(key, List.of());
      int c = entries.size();
      Set<String> found = new HashSet<>();
      for (String id : p.namedTxIds()) {
        Optional<Transfer> r = regulator.transaction(id);
        if (r.isPresent()) {
          found.add(r.get().txId());
        }
      }
      Set<String> onLedgerIds = new HashSet<>();
      entries.forEach(e -> onLedgerIds.add(e.txId()));
      switch (p.outcome()) {
        case YES -> {
          if (c != 1) {
            failures.add(who + ": told committed as " + p.txId() + ", but on the ledger " + c + " time(s) " + onLedgerIds);
          } else if (!entries.get(0).txId().equals(p.txId())) {
            failures.add(who + ": told committed as " + p.txId() + ", but the ledger has it as " + entries.get(0).txId());
          } else if (!found.contains(p.txId())) {
            failures.add(who + ": money:getTransaction does not find " + p.txId());
          }
        }
        case NO -> {
          if (c != 0) {
            failures.add(who + ": told NOT committed, but the ledger holds it as " + onLedgerIds + "; message: " + p.message());
          }
          if (!found.isEmpty()) {
            failures.add(who + ": told NOT committed, but money:getTransaction finds " + found);
          }
        }
        case UNKNOWN, OTHER -> {
          if (p.outcome() == FaultPayment.Outcome.OTHER) {
            failures.add(who + ": pay threw " + p.kind() + " (" + p.message() + "), not a LedgerCallException");
          }
          if (c > 1) {
            failures.add(who + ": outcome unknown, and on the ledger " + c + " times " + onLedgerIds);
          } else if (c == 1) {
            unknownCommitted++;
            if (!found.equals(onLedgerIds)) {
              failures.add(who + ": outcome unknown, committed as " + onLedgerIds + ", but the transaction ids the exception named "
                  + p.namedTxIds() + " resolve to " + found + "; message: " + p.message());
            }
          } else {
            unknownAbsent++;
            if (!found.isEmpty()) {
              failures.add(who + ": not on the ledger, yet money:getTransaction finds " + found);
            }
          }
        }
      }
      committed += c;
      committedBy[p.payer()] += c;
      for (Transfer e : entries) {
        paidBy[p.payer()] += e.amount().orElse(-1);
        moved += e.amount().orElse(-1);
      }
    }
    for (String key : onLedger.keySet()) {
      if (!logged.contains(key)) {
        failures.add("audit: a payment of patient " + key.replace(":", ", amount ") + " that no call made: " + onLedger.get(key));
      }
    }

    // Nonces: each committed payment consumed exactly one; every peer says the same.
    for (int i = 0; i < patients.size(); i++) {
      String id = patients.get(i).accountId();
      List<Long> seen = new ArrayList<>();
      for (LedgerConnection gw : gateways) {
        seen.add(CanonicalJson.parseObject(gw.evaluate("accounts:getNonce", id)).get("next").getAsLong());
      }
      if (seen.stream().distinct().count() != 1) {
        failures.add("patient " + i + ": the three gateways report different nonces " + seen);
      }
      if (seen.get(0) - nonceBefore[i] != committedBy[i]) {
        failures.add("patient " + i + ": nonce moved by " + (seen.get(0) - nonceBefore[i]) + ", but " + committedBy[i]
            + " of its payments are on the ledger");
      }
    }

    // Money: every account's balance (stored plus every pending credit) against the audit.
    long sum = 0;
    long h = hospital.balance();
    int credits = hospital.credits().size();
    if (h != moved) {
      failures.add("hospital: balance() says " + h + ", the audit says it received " + moved + " (" + credits
          + " pending credits on the first page of money:credits)");
    }
    sum += h;
    for (int i = 0; i < patients.size(); i++) {
      long b = patients.get(i).balance();
      if (b != fund - paidBy[i]) {
        failures.add("patient " + i + ": balance " + b + ", expected " + (fund - paidBy[i]));
      }
      sum += b;
    }
    long ib = insurer.balance();
    if (ib != issuedExpected - fund * patients.size()) {
      failures.add("insurer: balance " + ib + ", expected " + (issuedExpected - fund * patients.size()));
    }
    sum += ib + regulator.balance();
    balanceSum = Long.toString(sum);
    if (sum != issued) {
      failures.add("money not conserved: the balances sum to " + sum + ", " + issued + " was issued");
    }
  }
}
