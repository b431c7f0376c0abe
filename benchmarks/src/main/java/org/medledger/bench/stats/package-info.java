/**
 * Benchmarks of the statistics path on the embedded ledger (docs/performance.md, "Statistical
 * contributions"): {@link org.medledger.bench.stats.StatsOpenBench} opens a bucket of 10,000
 * contributions end to end through the SDK and the contracts; {@link
 * org.medledger.bench.stats.TimedDispatcher} times each contract invocation, {@link
 * org.medledger.bench.stats.Meter} a stage (wall clock, thread and process CPU time) and {@link
 * org.medledger.bench.stats.Summary} summarises samples.
 */
package org.medledger.bench.stats;
