package org.medledger.crypto.bulletproofs;

/** Receives the wNAF terms of a multi-exponentiation: Σ digits·table (negated when asked). */
interface TermSink {
  void add(PointTable table, byte[] wnaf, boolean negate);
}
