package org.medledger.chaincode;

import java.security.SecureRandom;
import org.medledger.crypto.paillier.KeySize;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierKeyGenerator;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.proof.TransferContext;
import org.medledger.crypto.proof.TransferProof;
import org.medledger.crypto.proof.TransferStatement;

/**
 * Brings the transfer verification's code to compiled form before the service accepts its first
 * proposal (docs/chaincode.md §1, docs/performance.md): a sample transfer between three throwaway
 * 2048-bit keys is proved once, then decoded and verified {@link #ROUNDS} times the way
 * {@code money:transfer} does it (payer key decoded fresh, payee and regulator keys with a stored
 * h_s and a fixed-base table). It runs outside any transaction, before the server listens.
 *
 * <p>The keys come from {@link SecureRandom} at start and are dropped afterwards: they are used for
 * nothing else and never leave the method. Nothing here touches {@link KeyCache} or any other
 * state a transaction can see, so it changes start-up time, never a result.
 */
final class Warmup {
  /** Verifications at start: enough for the JIT to compile the hot loops (BigInteger, curve, transcript). */
  static final int ROUNDS = 60;

  private Warmup() {}

  /** Proves one sample transfer and verifies it {@code rounds} times; returns the verifications that passed. */
  static int run(int rounds, SecureRandom rnd) {
    PaillierKeyGenerator gen = new PaillierKeyGenerator(rnd);
    PaillierSecretKey payer = gen.generate(KeySize.ofBits(2048));
    PaillierSecretKey payee = gen.generate(KeySize.ofBits(2048));
    PaillierSecretKey regulator = gen.generate(KeySize.ofBits(2048));
    TransferContext ctx = new TransferContext("warm-up", "warm-up", "warm-up-payer", "warm-up-payee", 0);
    PaillierCiphertext old = payer.publicKey().encrypt(1_000_000L, rnd);
    TransferStatement proverStatement =
        new TransferStatement(payer.publicKey(), payee.publicKey(), regulator.publicKey(), old, ctx);
    byte[] bundle = TransferProof.prove(proverStatement, payer, 1_234L, rnd).toBytes();

    PaillierPublicKey pkB = asStored(payee.publicKey()).precompute();
    PaillierPublicKey pkR = asStored(regulator.publicKey()).precompute();
    byte[] payerKey = payer.publicKey().toBytes();
    byte[] oldBytes = old.toBytes();
    int passed = 0;
    for (int i = 0; i < rounds; i++) {
      PaillierPublicKey pkA = PaillierPublicKey.fromBytes(payerKey);
      PaillierCiphertext c = PaillierCiphertext.fromBytes(oldBytes, pkA);
      TransferProof p = TransferProof.fromBytes(bundle, pkA, pkB, pkR);
      p.verify(new TransferStatement(pkA, pkB, pkR, c, ctx));
      passed++;
    }
    return passed;
  }

  private static PaillierPublicKey asStored(PaillierPublicKey k) {
    return PaillierPublicKey.fromBytes(k.toBytes()).withStoredHs(k.hsToBytes());
  }
}
