#!/usr/bin/env bash
# End-to-end benchmark on the real test network (docs/performance.md, "End to end on the test
# network"): committed confidential payments per second from C concurrent patients to one hospital,
# latency percentiles and CPU per committed payment by process group. Writes
# benchmarks/results/e2e.json and docs/img/e2e-{throughput,latency,cpu}.png.
#
#   benchmarks/e2e.sh [concurrencies, default 1,4,8,16] [seconds per window, default 60]
#
# Without E2E_NETWORK_DIR it brings up its own network (run directory under /tmp, base port
# MEDLEDGER_BASE_PORT, default 47050; MEDLEDGER_ORDERERS, default 3), deploys, runs, and always
# brings it down. With E2E_NETWORK_DIR=<run dir> it uses that network, which must be freshly
# deployed (the benchmark configures the channel), and leaves it running.
set -euo pipefail
cd "$(dirname "$0")/.."
conc="${1:-1,4,8,16}"
secs="${2:-60}"
mvn -B -q -ntp ${MEDLEDGER_MVN_ARGS:-} -DskipTests -pl benchmarks -am install
if [[ -n "${E2E_NETWORK_DIR:-}" ]]; then
  run="$E2E_NETWORK_DIR"
else
  export MEDLEDGER_BASE_PORT="${MEDLEDGER_BASE_PORT:-47050}"
  export MEDLEDGER_ORDERERS="${MEDLEDGER_ORDERERS:-3}"
  export MEDLEDGER_NETWORK_DIR
  MEDLEDGER_NETWORK_DIR="$(mktemp -d /tmp/medledger-e2e.XXXXXX)/run"
  run="$MEDLEDGER_NETWORK_DIR"
  trap 'test-network/network.sh down || true; rmdir "$(dirname "$run")" 2>/dev/null || true' EXIT
  test-network/network.sh up
  test-network/network.sh deploy
fi
echo "e2e: load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx2g -cp benchmarks/target/benchmarks.jar org.medledger.bench.e2e.EndToEndBench \
  "$run" "$conc" "$secs" benchmarks/results/e2e.json docs/img
