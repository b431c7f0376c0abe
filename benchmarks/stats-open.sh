#!/usr/bin/env bash
# The chaincode side of the statistics benchmarks (docs/performance.md, "Statistical contributions"),
# on the embedded ledger, in one JVM each:
#  - StatsOpenBench: opening one bucket of ${N:-10000} contributions end to end (writing by committee
#    issues, folds of 500, a member's opening request, 3 verified shares, publish), 2048 bits;
#    writes benchmarks/results/stats-open.json. About 2.5 minutes of CPU (writing 11,000 issues is
#    most of it); 13 minutes of wall time at a load average of 20 on 2 cores.
#  - StatsTransferCost: what a transfer's contribution adds to money:transfer (the contribution write
#    and the fold's share per contribution), 2048 and 3072 bits; writes
#    benchmarks/results/stats-transfer.json.
# Usage: benchmarks/stats-open.sh [open|transfer|all]   (default all)
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
mvn -B -q -ntp -DskipTests -pl benchmarks -am package
jar=benchmarks/target/benchmarks.jar
if [[ "$what" == all || "$what" == open ]]; then
  java -Xmx2g -cp "$jar" org.medledger.bench.stats.StatsOpenBench benchmarks/results/stats-open.json "${N:-10000}" "${WARM:-1000}"
fi
if [[ "$what" == all || "$what" == transfer ]]; then
  java -Xmx2g -cp "$jar" org.medledger.chaincode.StatsTransferCost benchmarks/results/stats-transfer.json 2048 3072
fi
