package org.medledger.crypto.proof;

import java.util.Objects;
import org.medledger.crypto.Transcript;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;

/**
 * The public side of a transfer (paper §3.2, docs/protocol.md §4.3): payer, payee and regulator
 * keys, the payer's current balance ciphertext (after folding any pending credits) and the context.
 * The payer key must differ from the payee and regulator keys.
 */
public record TransferStatement(PaillierPublicKey payerKey, PaillierPublicKey payeeKey,
    PaillierPublicKey regulatorKey, PaillierCiphertext oldBalance, TransferContext context) {

  static final String DOMAIN = "medledger/transfer/v1";

  public TransferStatement {
    Objects.requireNonNull(payerKey, "payerKey");
    Objects.requireNonNull(payeeKey, "payeeKey");
    Objects.requireNonNull(regulatorKey, "regulatorKey");
    Objects.requireNonNull(oldBalance, "oldBalance");
    Objects.requireNonNull(context, "context");
    payerKey.ciphertext(oldBalance.value());
  }

  /** A transcript that has absorbed the domain, the context, the three keys and the old balance. */
  Transcript transcript() {
    Transcript t = new Transcript(DOMAIN);
    t.appendBytes("context", context.toBytes());
    t.appendBytes("payer-key", payerKey.toBytes());
    t.appendBytes("payee-key", payeeKey.toBytes());
    t.appendBytes("regulator-key", regulatorKey.toBytes());
    t.appendBytes("old-balance", oldBalance.toBytes());
    return t;
  }
}
