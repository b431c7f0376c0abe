#!/usr/bin/env bash
# End-to-end benchmark on the real test network (docs/performance.md, "End to end on the test
# network" and "Issue 17: end to end"): committed confidential payments per second from C concurrent
# patients to one hospital, latency percentiles and CPU per committed payment by process group.
#
#   benchmarks/e2e.sh [concurrencies, default 1,4,8,16] [seconds per window, default 60]
#       writes benchmarks/results/e2e.json and docs/img/e2e-{throughput,latency,cpu}.png.
#   benchmarks/e2e.sh --issue17 [single,batch,floor concurrency, default 32,8,64] [seconds per window, default 30]
#       issue 17's measurement, one command: first the in-process CPU time of transfer.verify,
#       transfer.prove and chaincode.transfer_tx (CpuTimeHarness, before the network is up), then on
#       the network single payments (in the loop, prebuilt) with the floor beside them (bench:write
#       of the same size), batched payments (money:transferBatch, prebuilt and in the loop) with
#       their floor, a hospital's till (money:transferBatch of 16 different patients' transfers,
#       as many tills as batch payers, so 16 × batch patients: the missing ones are registered,
#       funded and folded before the till windows; prebuilt and in the loop), CPU by process and
#       by chaincode thread kind (JIT, GC), and an async-profiler profile of the chaincode servers
#       in the prebuilt windows. Writes benchmarks/results/e2e-issue17.json,
#       benchmarks/results/issue17-cpu.json, docs/img/e2e17/ and the collapsed stacks in
#       benchmarks/target/profiles-issue17/. About 20 minutes. With E2E_RESULTS_SUFFIX=<s> (e.g.
#       -till) it writes e2e-issue17<s>.json, issue17-cpu<s>.json, docs/img/e2e17<s>/ and
#       profiles-issue17<s>/ instead, so that a run does not overwrite another's results.
#
# Without E2E_NETWORK_DIR it brings up its own network (run directory under /tmp, base port
# MEDLEDGER_BASE_PORT, default 47050; MEDLEDGER_ORDERERS, default 3), deploys, runs, and always
# brings it down. With E2E_NETWORK_DIR=<run dir> it uses that network, which must be freshly
# deployed (the benchmark configures the channel), and leaves it running (--issue17 then needs its
# chaincode servers started with MEDLEDGER_BENCH_FLOOR=1).
set -euo pipefail
cd "$(dirname "$0")/.."
issue17=
if [[ ${1:-} == --issue17 ]]; then
  issue17=1
  shift
  conc="${1:-32,8,64}"
  secs="${2:-30}"
else
  conc="${1:-1,4,8,16}"
  secs="${2:-60}"
fi
# package, not install: the jar is used from benchmarks/target, nothing goes into the local repository.
mvn -B -q -ntp ${MEDLEDGER_MVN_ARGS:-} -DskipTests -pl benchmarks -am package
jar=benchmarks/target/benchmarks.jar
results=benchmarks/results
mkdir -p "$results"
uptime_now() { uptime | sed 's/^ *//'; }

if [[ -n $issue17 ]]; then
  # async-profiler from Maven Central: its jar carries the native agent for linux-x64 and linux-arm64.
  ap_version=3.0
  ap_dir=benchmarks/target/async-profiler
  case "$(uname -m)" in
    x86_64) ap_arch=linux-x64 ;;
    aarch64) ap_arch=linux-arm64 ;;
    *) ap_arch= ;;
  esac
  profiler_lib=
  if [[ -n $ap_arch ]]; then
    if [[ ! -f $ap_dir/$ap_arch/libasyncProfiler.so ]]; then
      mvn -B -q -ntp ${MEDLEDGER_MVN_ARGS:-} dependency:copy -Dartifact="tools.profiler:async-profiler:$ap_version" \
        -DoutputDirectory="$ap_dir" -Dmdep.overWriteIfNewer=true
      (cd "$ap_dir" && unzip -o -q "async-profiler-$ap_version.jar" "$ap_arch/libasyncProfiler.so")
    fi
    profiler_lib="$PWD/$ap_dir/$ap_arch/libasyncProfiler.so"
  else
    echo "e2e: no async-profiler agent for $(uname -m); the windows run without a profile"
  fi
  # In-process CPU time of the transfer (thread CPU, 20 untimed and 30 timed calls), in this run
  # (E2E_SKIP_HARNESS=1 skips it, for a quick trial of the network part).
  sfx="${E2E_RESULTS_SUFFIX:-}"
  [[ $sfx =~ ^[A-Za-z0-9._-]*$ ]] || { echo "e2e: E2E_RESULTS_SUFFIX may hold letters, digits, '.', '_' and '-' only" >&2; exit 2; }
  cpu_txt="$results/issue17-cpu$sfx.txt"
  : >"$cpu_txt"
  cpu_before=$(uptime_now)
  [[ -n ${E2E_SKIP_HARNESS:-} ]] || java -cp "$jar" org.medledger.bench.CpuTimeHarness 2048 20 30 \
    'org.medledger.(bench.TransferBench|chaincode.ChaincodeTransferBench)' | tee "$cpu_txt"
  cpu_after=$(uptime_now)
  {
    printf '{\n  "harness": "CpuTimeHarness 2048 20 30 (thread CPU time, ms)",\n'
    printf '  "uptimeBefore": "%s",\n  "uptimeAfter": "%s",\n  "rows": [\n' "$cpu_before" "$cpu_after"
    sed -n 's/^\([A-Za-z]*\)\.\([A-Za-z0-9]*\) bits=\([0-9]*\) cpu_ms median=\([0-9.]*\) q1=\([0-9.]*\) q3=\([0-9.]*\) n=\([0-9]*\)$/    {"op": "\1.\2", "bits": \3, "median_ms": \4, "q1_ms": \5, "q3_ms": \6, "n": \7}/p' "$cpu_txt" \
      | sed '$!s/$/,/'
    printf '  ]\n}\n'
  } >"$results/issue17-cpu$sfx.json.tmp"
  if [[ -n ${E2E_SKIP_HARNESS:-} ]]; then rm -f "$results/issue17-cpu$sfx.json.tmp"; else mv "$results/issue17-cpu$sfx.json.tmp" "$results/issue17-cpu$sfx.json"; fi
  rm -f "$cpu_txt"
  # The floor transaction (bench:write) is answered only by chaincode servers started with this.
  export MEDLEDGER_BENCH_FLOOR=1
fi

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
echo "e2e: before the run: $(uptime_now)"
if [[ -n $issue17 ]]; then
  rm -rf "benchmarks/target/profiles-issue17$sfx"
  java -Xmx2g -cp "$jar" org.medledger.bench.e2e.EndToEndBench \
    "$run" "$conc" "$secs" "$results/e2e-issue17$sfx.json" "docs/img/e2e17$sfx" issue17 "$profiler_lib" "benchmarks/target/profiles-issue17$sfx"
else
  java -Xmx2g -cp "$jar" org.medledger.bench.e2e.EndToEndBench \
    "$run" "$conc" "$secs" "$results/e2e.json" docs/img
fi
echo "e2e: after the run: $(uptime_now)"
