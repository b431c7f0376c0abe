#!/usr/bin/env bash
# Runs the threshold-decryption benchmarks (docs/performance.md, "Threshold decryption") and
# writes benchmarks/results/threshold.json. Short runs: one fork, one warm-up and three measured
# iterations of 3 s for the operations; single-shot dealings with the safe-prime search, five at
# 2048 bits (3 of 5 and 5 of 9) and three at 3072 (3 of 5 and 5 of 9), each capped by a timeout;
# then the thread-CPU-time harness (ThresholdCpuHarness), whose figures docs/performance.md quotes,
# printed to stdout.
# About 40 to 60 minutes on a 2-core machine (the 3072-bit searches vary most).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -DskipTests -pl benchmarks -am package
out=$(mktemp -d)
java -jar benchmarks/target/benchmarks.jar -f 1 -t 1 -wi 1 -w 2s -i 3 -r 3s \
  -rf json -rff "$out/ops.json" 'org.medledger.bench.threshold.ThresholdBench'
timeout 900 java -jar benchmarks/target/benchmarks.jar -f 1 -t 1 -wi 0 -i 5 -p bits=2048 -p shape=3of5 \
  -rf json -rff "$out/deal-2048.json" 'org.medledger.bench.threshold.ThresholdDealBench'
timeout 900 java -jar benchmarks/target/benchmarks.jar -f 1 -t 1 -wi 0 -i 5 -p bits=2048 -p shape=5of9 \
  -rf json -rff "$out/deal-2048-5of9.json" 'org.medledger.bench.threshold.ThresholdDealBench'
timeout 1200 java -jar benchmarks/target/benchmarks.jar -f 1 -t 1 -wi 0 -i 3 -p bits=3072 -p shape=3of5 \
  -rf json -rff "$out/deal-3072.json" 'org.medledger.bench.threshold.ThresholdDealBench'
timeout 1200 java -jar benchmarks/target/benchmarks.jar -f 1 -t 1 -wi 0 -i 3 -p bits=3072 -p shape=5of9 \
  -rf json -rff "$out/deal-3072-5of9.json" 'org.medledger.bench.threshold.ThresholdDealBench'
java -cp benchmarks/target/benchmarks.jar org.medledger.bench.threshold.WriteThresholdResults \
  benchmarks/results/threshold.json "$out/ops.json" "$out/deal-2048.json" "$out/deal-2048-5of9.json" \
  "$out/deal-3072.json" "$out/deal-3072-5of9.json"
echo "wrote benchmarks/results/threshold.json"
for cfg in "2048 3of5" "2048 5of9" "3072 3of5" "3072 5of9"; do
  # shellcheck disable=SC2086
  java -cp benchmarks/target/benchmarks.jar org.medledger.bench.threshold.ThresholdCpuHarness $cfg 2 7
done
