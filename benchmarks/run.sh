#!/usr/bin/env bash
# Runs the crypto benchmarks (JMH, one thread) and writes benchmarks/results/crypto.json and the
# generated table in docs/performance.md. Usage: benchmarks/run.sh [extra JMH args, e.g. a regex]
# Takes about 20 minutes on a 2-core machine; run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -DskipTests -pl benchmarks -am package
mkdir -p benchmarks/results
raw=benchmarks/results/jmh-crypto.json
java -jar benchmarks/target/benchmarks.jar -f 1 -t 1 -wi 3 -w 2s -i 5 -r 2s \
  -rf json -rff "$raw" "${@:-org.medledger.(bench.(Paillier|Javallier|Transfer|RangeProof|Record|KeyProof|Grant)Bench|chaincode.ChaincodeTransferBench)}"
java -cp benchmarks/target/benchmarks.jar org.medledger.bench.WriteResults "$raw" \
  benchmarks/results/crypto.json docs/performance.md
echo "wrote benchmarks/results/crypto.json and docs/performance.md"
