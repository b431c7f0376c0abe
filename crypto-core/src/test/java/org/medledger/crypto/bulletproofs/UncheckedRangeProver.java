package org.medledger.crypto.bulletproofs;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.medledger.crypto.Transcript;

/** Test-only bridge: lets malicious-prover tests in other packages skip the honest range check. */
public final class UncheckedRangeProver {
  private UncheckedRangeProver() {}

  public static RangeProof prove(Transcript t, BigInteger[] values, BigInteger[] blindings, int bits, SecureRandom rnd) {
    return RangeProof.proveUnchecked(t, values, blindings, bits, rnd);
  }
}
