package org.medledger.sdk.channel;

import java.security.SecureRandom;
import org.medledger.protocol.ChannelMessages;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.proof.TransferContext;
import org.medledger.crypto.proof.TransferProof;
import org.medledger.crypto.proof.TransferStatement;

/**
 * The settlement bundle of a state (docs/protocol.md §9.1–9.2): the net payer X proves a
 * transfer of the net amount out of its deposit ciphertext to the other party, in the context
 * (Fabric channel, chaincode, X, "paychan/&lt;id&gt;/settle", seq). The chaincode derives X's rest as
 * deposit · C_X⁻¹ and credits the other party its deposit times C_Y.
 */
final class Settlement {
  private Settlement() {}

  public static TransferStatement statement(ChannelParams p, Side payer, long seq) {
    TransferContext ctx = new TransferContext(p.scope().fabricChannel(), p.scope().chaincode(), p.party(payer),
        ChannelMessages.settlementPayee(p.channelId()), seq);
    return new TransferStatement(p.paillierKey(payer), p.paillierKey(payer.other()), p.regulatorKey(),
        p.depositCiphertext(payer), ctx);
  }

  /** The payer's bundle for {@code s}; the payer must be the state's net payer. */
  public static byte[] build(ChannelParams p, ChannelState s, Side payer, PaillierSecretKey payerKey, SecureRandom rnd) {
    if (p.payer(s) != payer) {
      throw new IllegalArgumentException(payer + " is not the net payer of state " + s.seq());
    }
    return TransferProof.prove(statement(p, payer, s.seq()), payerKey, p.amount(s), rnd).toBytes();
  }

  /**
   * The payee's check before it signs a close or lets an answer stand: the bundle verifies against
   * the payer's recorded deposit, and its payee copy decrypts to exactly the state's amount.
   */
  public static boolean paysExactly(ChannelParams p, ChannelState s, byte[] bundle, PaillierSecretKey payeeKey) {
    Side payer = p.payer(s);
    if (payer == null || !payeeKey.publicKey().equals(p.paillierKey(payer.other()))) {
      return false;
    }
    try {
      TransferProof proof = TransferProof.fromBytes(bundle, p.paillierKey(payer), p.paillierKey(payer.other()),
          p.regulatorKey());
      proof.verify(statement(p, payer, s.seq()));
      return payeeKey.decrypt(proof.amountForPayee()).longValueExact() == p.amount(s);
    } catch (CryptoException | ArithmeticException e) {
      return false;
    }
  }

  /** What a payee copy decrypts to, or -1 if it is not an amount. */
  public static long decryptAmount(PaillierSecretKey key, PaillierCiphertext c) {
    try {
      return key.decryptAmount(c);
    } catch (CryptoException e) {
      return -1;
    }
  }
}
