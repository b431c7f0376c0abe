package org.medledger.cli;

import java.nio.file.Path;
import org.medledger.embedded.MedLedgerContracts;
import org.medledger.embedded.EmbeddedLedger;

/** Another process holding the embedded ledger open: prints "open", then waits until stdin closes. */
public final class HoldLedgerLock {
  private HoldLedgerLock() {}

  public static void main(String[] args) throws Exception {
    try (EmbeddedLedger ledger = EmbeddedLedger.open(Path.of(args[0]), Organisations.CHANNEL, MedLedgerContracts.dispatcher())) {
      System.out.println("open " + ledger.height());
      System.out.flush();
      while (System.in.read() >= 0) {
        // hold the lock until the test closes our stdin
      }
    }
  }
}
