/**
 * JMH benchmarks of threshold decryption by a regulator committee (docs/protocol.md §10): partial
 * decryption with its proof, share checks and combination, dealing (from fixed safe primes, and
 * whole with its safe-prime search) and re-sharing, and the tool that writes
 * {@code benchmarks/results/threshold.json} from their JMH results.
 */
package org.medledger.bench.threshold;
