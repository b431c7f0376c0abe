#!/usr/bin/env bash
# Runs the statistical-contribution benchmarks (docs/performance.md, "Statistical contributions") and
# writes benchmarks/results/stats.json (JMH, wall clock) and benchmarks/results/stats-cpu.json (thread
# CPU time, for a loaded machine). Short runs: one fork, one warm-up and three measured iterations.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -DskipTests -pl benchmarks -am package
out=$(mktemp -d)
java -jar benchmarks/target/benchmarks.jar -f 1 -t 1 -wi 1 -w 3s -i 3 -r 5s \
  -rf json -rff "$out/stats.json" 'org.medledger.bench.StatsBench'
java -cp benchmarks/target/benchmarks.jar org.medledger.bench.WriteStatsResults \
  benchmarks/results/stats.json "$out/stats.json"
java -cp benchmarks/target/benchmarks.jar org.medledger.bench.StatsCpuTime \
  benchmarks/results/stats-cpu.json "${WARM:-3}" "${N:-9}" 2048 3072
echo "wrote benchmarks/results/stats.json and benchmarks/results/stats-cpu.json"
