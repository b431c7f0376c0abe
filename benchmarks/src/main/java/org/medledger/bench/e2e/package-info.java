/**
 * The end-to-end benchmark on a freshly deployed test network (docs/performance.md, "End to end
 * on the test network"; benchmarks/e2e.sh): committed confidential payments per second from
 * concurrent patients to one hospital, their latency and the CPU each process group spends per
 * committed payment, with the PNG charts drawn from the result.
 */
package org.medledger.bench.e2e;
