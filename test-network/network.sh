#!/usr/bin/env bash
# MedLedger test network: Hyperledger Fabric v3.1.1 as plain processes on 127.0.0.1, no Docker.
#
#   network.sh doctor    check the prerequisites, say what is missing
#   network.sh build     build peer, orderer, configtxgen, cryptogen, osnadmin into the cache
#   network.sh up        crypto material, Raft orderers, three peers, channel medchannel
#   network.sh deploy    the MedLedger chaincode as a service: package, install, approve, commit,
#                        one chaincode server per peer, smoke test
#   network.sh status    what runs (pids, ports), channel heights, chaincode definition
#   network.sh logs [N]  list the logs, or show the end of node N's log
#   network.sh kill N    SIGKILL node N by its PID file (fault injection)
#   network.sh restart N start node N again after a kill, wait until it listens
#   network.sh leader    name the orderer that is the Raft leader of the channel
#   network.sh heights   each node's channel height (and each peer's last block hash)
#   network.sh down      stop every process by its PID file, remove the run directory
#
# Nothing of Fabric is kept in this repository. Fabric is fetched as a Go module through the Go
# module proxy and built into the cache directory; its default configuration (sampleconfig/) is
# copied from the downloaded module and patched in the run directory. See docs/test-network.md.
set -euo pipefail

readonly FABRIC_VERSION=3.1.1
readonly FABRIC_MODULE=github.com/hyperledger/fabric
# Fabric's v2/v3 tags lack the /vN module suffix, so the Go proxy knows tag v3.1.1 only by this
# pseudo-version. Never use @latest: it resolves to Fabric 1.4.
readonly FABRIC_PSEUDO_VERSION=v1.4.0-rc1.0.20250510200036-435a7f1a780a
readonly FABRIC_COMMIT=435a7f1a780a
# The "go" directive of Fabric v3.1.1's go.mod: an older toolchain refuses to build it.
readonly GO_MIN_VERSION=1.24.2
readonly JAVA_MIN_MAJOR=17
readonly MAVEN_MIN_VERSION=3.8.0
readonly TOOLS=(peer orderer configtxgen cryptogen osnadmin)
# Disk a first build needs: module cache (~0.5 GB), Go build cache (~0.8 GB), binaries (~0.2 GB).
readonly MIN_FREE_MB=3072

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
readonly SCRIPT_DIR

CACHE_DIR=${MEDLEDGER_FABRIC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/medledger/fabric-v${FABRIC_VERSION}}
readonly CACHE_DIR
readonly BIN_DIR=$CACHE_DIR/bin
readonly SAMPLECONFIG_DIR=$CACHE_DIR/config
readonly WRAPPER_DIR=$CACHE_DIR/wrapper
readonly BUILD_INFO=$BIN_DIR/BUILD-INFO

log() { printf '%s\n' "$*"; }
step() { printf '==> [%3ds] %s\n' "$SECONDS" "$*"; }
err() { printf 'network.sh: %s\n' "$*" >&2; }
die() { err "$@"; exit 1; }

readonly CHANNEL=medchannel
readonly CC_NAME=medledger
readonly CC_VERSION=1.0
readonly CC_SEQUENCE=1
readonly CC_LABEL=medledger_1.0
readonly DOMAIN=medledger.test
readonly ORDERER_MSP=OrdererMSP
# One peer per organisation. The chaincode definition asks peers of two of the three organisations
# to endorse (docs/test-network.md, "Endorsement policy").
readonly ORGS=(hospital insurer regulator)
readonly ENDORSEMENT_POLICY="OutOf(2,'HospitalOrgMSP.peer','InsurerOrgMSP.peer','RegulatorOrgMSP.peer')"

readonly REPO_DIR=${SCRIPT_DIR%/*}
readonly BUILDER_DIR=$SCRIPT_DIR/ccaas-builder
readonly SERVICE_JAR_BUILT=$REPO_DIR/chaincode/target/chaincode-0.1.0-SNAPSHOT-service.jar

RUN_DIR=${MEDLEDGER_NETWORK_DIR:-$SCRIPT_DIR/.run}
readonly BASE_PORT=${MEDLEDGER_BASE_PORT:-7050}
readonly ORDERER_COUNT=${MEDLEDGER_ORDERERS:-3}
# Seconds to wait for a node to listen, for Raft to elect a leader, for gossip to connect peers.
readonly WAIT_SECONDS=${MEDLEDGER_WAIT_SECONDS:-120}
# Fabric's log format without its colour escapes, for log files.
readonly LOG_FORMAT='%{time:2006-01-02 15:04:05.000 MST} %{level:.4s} [%{module}] %{shortfunc} -> %{message}'

usage() {
  cat <<USAGE
usage: network.sh <command>

  doctor          check prerequisites (go, java, mvn, tar, disk, ports, Go proxy) and exit
                  non-zero when a required one is missing
  build           build the Fabric ${FABRIC_VERSION} binaries into the cache (instant when cached)
  build --rebuild rebuild even when the cached binaries are good
  up              start the network: ${ORDERER_COUNT} Raft orderer(s), one peer each of HospitalOrg,
                  InsurerOrg and RegulatorOrg, channel ${CHANNEL}; writes gateway/<org>.json.
                  Builds Fabric first if needed. Restarts stopped nodes of an existing network.
  deploy          build the chaincode service jar, deploy chaincode ${CC_NAME} as a service (one
                  chaincode server per peer), smoke-test it on every peer
  status          processes, ports, channel heights, gossip, chaincode definition
  logs [NODE]     list the log files, or print the last 60 lines of NODE's log
  kill NODE       SIGKILL NODE (orderer<i>, peer-<org>, ccaas-<org>) by its PID file, for fault
                  injection; the PID file stays, so status shows it stopped
  restart NODE    start NODE again on its existing data and wait until it listens
  leader          print the name of the orderer that is the Raft leader of ${CHANNEL} (needs curl)
  heights         one line per node: name, channel height (or -), and a peer's last block hash
  down            stop every process up/deploy started (by PID) and delete the run directory

environment:
  MEDLEDGER_FABRIC_CACHE  binaries and default config (now: ${CACHE_DIR})
  MEDLEDGER_NETWORK_DIR   run directory: crypto, ledgers, logs, pids (now: ${RUN_DIR})
  MEDLEDGER_BASE_PORT     first port; the network uses BASE..BASE+123 on 127.0.0.1 (now: ${BASE_PORT})
  MEDLEDGER_ORDERERS      1 or 3 Raft orderers (now: ${ORDERER_COUNT})
  MEDLEDGER_MVN_ARGS      extra arguments for the Maven build of the chaincode jar (e.g. -o)
  MEDLEDGER_WAIT_SECONDS  how long to wait for nodes, Raft and gossip (now: ${WAIT_SECONDS})
USAGE
}

# version_ge A B: true when dotted version A >= B.
version_ge() {
  local IFS=.
  local -a a b
  read -r -a a <<<"$1"
  read -r -a b <<<"$2"
  local i x y
  for ((i = 0; i < 3; i++)); do
    x=${a[i]:-0}; y=${b[i]:-0}
    x=${x%%[!0-9]*}; y=${y%%[!0-9]*}
    x=${x:-0}; y=${y:-0}
    if ((10#$x > 10#$y)); then return 0; fi
    if ((10#$x < 10#$y)); then return 1; fi
  done
  return 0
}

go_version() {
  local v
  v=$(GOTOOLCHAIN=local go env GOVERSION 2>/dev/null) || return 1
  v=${v#go}
  printf '%s\n' "${v%%[!0-9.]*}"
}

elapsed() { # seconds -> "1m05s"
  printf '%dm%02ds' $(($1 / 60)) $(($1 % 60))
}

# Fabric's build must not pick up the caller's GOFLAGS (-mod=... breaks the wrapper module) nor
# download another toolchain behind our back.
fabric_go() {
  env GOFLAGS=-buildvcs=false GOTOOLCHAIN=local GO111MODULE=on GOWORK=off go "$@"
}

ldflags() {
  local m=$FABRIC_MODULE/common/metadata
  printf '%s' "-s -w -X $m.Version=$FABRIC_VERSION -X $m.CommitSHA=$FABRIC_COMMIT"
}

# tool_ok TOOL DIR: the binary is there and says it is Fabric v3.1.1 at the pinned commit.
tool_ok() {
  local tool=$1 dir=$2 out
  [[ -x $dir/$tool ]] || return 1
  case $tool in
    configtxgen) out=$("$dir/$tool" -version 2>&1) || return 1 ;;
    # osnadmin carries no version stamp; it must at least run. BUILD-INFO pins its provenance.
    osnadmin) "$dir/$tool" --help >/dev/null 2>&1 || return 1; return 0 ;;
    *) out=$("$dir/$tool" version 2>&1) || return 1 ;;
  esac
  [[ $out == *"Version: $FABRIC_VERSION"* && $out == *"Commit SHA: $FABRIC_COMMIT"* ]]
}

binaries_ok() {
  [[ -f $BUILD_INFO ]] && grep -qx "module=$FABRIC_MODULE@$FABRIC_PSEUDO_VERSION" "$BUILD_INFO" || return 1
  local tool
  for tool in "${TOOLS[@]}"; do
    tool_ok "$tool" "$BIN_DIR" || return 1
  done
}

config_ok() {
  [[ -f $SAMPLECONFIG_DIR/core.yaml && -f $SAMPLECONFIG_DIR/orderer.yaml && -d $SAMPLECONFIG_DIR/msp ]]
}

write_wrapper() {
  mkdir -p "$WRAPPER_DIR"
  cat >"$WRAPPER_DIR/go.mod" <<GOMOD
// Generated by MedLedger's test-network/network.sh to build Fabric's commands.
module medledger.local/fabric-tools

go $GO_MIN_VERSION

require $FABRIC_MODULE $FABRIC_PSEUDO_VERSION
GOMOD
  {
    echo '//go:build tools'
    echo
    echo '// Package tools names the Fabric commands network.sh builds.'
    echo 'package tools'
    echo
    echo 'import ('
    local tool
    for tool in "${TOOLS[@]}"; do
      echo "	_ \"$FABRIC_MODULE/cmd/$tool\""
    done
    echo ')'
  } >"$WRAPPER_DIR/tools.go"
  rm -f "$WRAPPER_DIR/go.sum"
}

proxy_hint() {
  cat >&2 <<HINT

Fetching $FABRIC_MODULE@$FABRIC_PSEUDO_VERSION (Fabric v$FABRIC_VERSION) or one of its
dependencies through GOPROXY=$(go env GOPROXY 2>/dev/null) failed (see the go command's message
above). The build needs a Go module proxy that serves Fabric v$FABRIC_VERSION and its dependencies;
proxy.golang.org did on 2026-11-21. Set GOPROXY to such a proxy and run: $0 build
HINT
}

run_with_progress() {
  local label=$1; shift
  local start=$SECONDS pid rc=0 waited
  "$@" &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    waited=0
    while ((waited < 30)) && kill -0 "$pid" 2>/dev/null; do
      sleep 1
      waited=$((waited + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "      ... $label: $(elapsed $((SECONDS - start))) so far"
    fi
  done
  wait "$pid" || rc=$?
  return "$rc"
}

in_dir() { # in_dir DIR CMD...
  cd -- "$1" && shift && "$@"
}

copy_config() {
  local from=$1
  [[ -f $from/core.yaml && -f $from/orderer.yaml && -d $from/msp ]] \
    || die "$from lacks core.yaml, orderer.yaml or msp/"
  rm -rf "$SAMPLECONFIG_DIR.tmp"
  mkdir -p "$SAMPLECONFIG_DIR.tmp"
  cp -R "$from/core.yaml" "$from/orderer.yaml" "$from/configtx.yaml" "$from/msp" "$SAMPLECONFIG_DIR.tmp/"
  chmod -R u+w "$SAMPLECONFIG_DIR.tmp"
  rm -rf "$SAMPLECONFIG_DIR"
  mv "$SAMPLECONFIG_DIR.tmp" "$SAMPLECONFIG_DIR"
  log "config: copied Fabric's sampleconfig/ into $SAMPLECONFIG_DIR"
}

need_go() {
  command -v go >/dev/null 2>&1 \
    || die "go is not installed: building Fabric v$FABRIC_VERSION needs Go >= $GO_MIN_VERSION (https://go.dev/dl/); run: $0 doctor"
  local gov
  gov=$(go_version) || die "cannot run 'go env GOVERSION'"
  version_ge "$gov" "$GO_MIN_VERSION" \
    || die "go $gov is too old: Fabric v$FABRIC_VERSION needs go >= $GO_MIN_VERSION"
}

cmd_build() {
  local rebuild=0
  case ${1:-} in
    "") ;;
    --rebuild) rebuild=1 ;;
    *) usage >&2; exit 2 ;;
  esac
  local t0=$SECONDS
  if ((rebuild == 0)) && binaries_ok && config_ok; then
    log "Fabric v$FABRIC_VERSION: binaries and config cached in $CACHE_DIR"
    return 0
  fi
  need_go
  mkdir -p "$CACHE_DIR"
  step "Fabric v$FABRIC_VERSION: fetching $FABRIC_MODULE@$FABRIC_PSEUDO_VERSION and its dependencies through the Go module proxy"
  write_wrapper
  run_with_progress "downloading modules" in_dir "$WRAPPER_DIR" fabric_go mod tidy \
    || { proxy_hint; exit 1; }
  local src
  if ! src=$(in_dir "$WRAPPER_DIR" fabric_go list -m -f '{{.Dir}}' "$FABRIC_MODULE") || [[ ! -f $src/go.mod ]]; then
    die "cannot locate $FABRIC_MODULE in the module cache"
  fi
  grep -qx "FABRIC_VER ?= $FABRIC_VERSION" "$src/Makefile" \
    || die "$src is not Fabric $FABRIC_VERSION (its Makefile's FABRIC_VER differs)"
  log "source: $src ($(elapsed $((SECONDS - t0))))"

  local staging=$CACHE_DIR/bin.staging tool pkgs=()
  rm -rf "$staging"
  mkdir -p "$staging"
  for tool in "${TOOLS[@]}"; do pkgs+=("$FABRIC_MODULE/cmd/$tool"); done
  step "building ${TOOLS[*]} on $(nproc 2>/dev/null || echo '?') CPU(s); a first build takes a few minutes"
  local tb=$SECONDS
  run_with_progress "building" in_dir "$WRAPPER_DIR" \
    fabric_go build -trimpath -ldflags "$(ldflags)" -o "$staging/" "${pkgs[@]}" \
    || die "building Fabric failed (see the go command's messages above)"
  for tool in "${TOOLS[@]}"; do
    tool_ok "$tool" "$staging" || die "$staging/$tool does not report Fabric $FABRIC_VERSION ($FABRIC_COMMIT)"
  done
  log "binaries built in $(elapsed $((SECONDS - tb)))"
  {
    echo "version=$FABRIC_VERSION"
    echo "module=$FABRIC_MODULE@$FABRIC_PSEUDO_VERSION"
    echo "go=$(go_version)"
    echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  } >"$staging/BUILD-INFO"
  rm -rf "$BIN_DIR"
  mv "$staging" "$BIN_DIR"
  copy_config "$src/sampleconfig"
  if ! binaries_ok || ! config_ok; then die "build finished but the cache does not check out"; fi
  log "Fabric v$FABRIC_VERSION ready in $CACHE_DIR after $(elapsed $((SECONDS - t0))) (bin: $(du -sh "$BIN_DIR" | cut -f1))"
}

# ---------------------------------------------------------------------------------------------
# Layout of the network: names, ports, paths

# Ports, all on 127.0.0.1 (docs/test-network.md has the table):
#   orderer i (0..2): BASE+10i (client and Raft cluster), BASE+10i+3 (admin: channel participation),
#                     BASE+10i+4 (operations)
#   peer of org j (hospital 0, insurer 1, regulator 2): BASE+100+10j (peer, gossip, gateway),
#                     +1 (chaincode listener), +2 (operations), +3 (its chaincode server)
orderer_port() { echo $((BASE_PORT + 10 * $1)); }
orderer_admin_port() { echo $((BASE_PORT + 10 * $1 + 3)); }
orderer_ops_port() { echo $((BASE_PORT + 10 * $1 + 4)); }
org_index() {
  case $1 in
    hospital) echo 0 ;;
    insurer) echo 1 ;;
    regulator) echo 2 ;;
    *) die "unknown organisation $1" ;;
  esac
}
peer_port() { echo $((BASE_PORT + 100 + 10 * $(org_index "$1"))); }
peer_cc_port() { echo $(($(peer_port "$1") + 1)); }
peer_ops_port() { echo $(($(peer_port "$1") + 2)); }
ccaas_port() { echo $(($(peer_port "$1") + 3)); }

org_msp() {
  case $1 in
    hospital) echo HospitalOrgMSP ;;
    insurer) echo InsurerOrgMSP ;;
    regulator) echo RegulatorOrgMSP ;;
    *) die "unknown organisation $1" ;;
  esac
}
org_domain() { echo "$1.$DOMAIN"; }
peer_host() { echo "peer0.$1.$DOMAIN"; }
orderer_host() { echo "orderer$1.$DOMAIN"; }

all_ports() {
  local i org
  for ((i = 0; i < ORDERER_COUNT; i++)); do
    echo "$(orderer_port "$i") $(orderer_admin_port "$i") $(orderer_ops_port "$i")"
  done
  for org in "${ORGS[@]}"; do
    echo "$(peer_port "$org") $(peer_cc_port "$org") $(peer_ops_port "$org") $(ccaas_port "$org")"
  done
}

# Paths inside the run directory (set by init_paths once RUN_DIR is absolute).
init_paths() {
  if [[ -d $RUN_DIR ]]; then
    RUN_DIR=$(cd -- "$RUN_DIR" && pwd -P)
  elif [[ $RUN_DIR != /* ]]; then
    RUN_DIR=$PWD/$RUN_DIR
  fi
  MARKER=$RUN_DIR/.medledger-network
  CRYPTO=$RUN_DIR/crypto
  CONFIG=$RUN_DIR/config
  CHANNEL_DIR=$RUN_DIR/channel
  GENESIS=$CHANNEL_DIR/$CHANNEL.block
  LOGS=$RUN_DIR/logs
  PIDS=$RUN_DIR/pids
  CC_DIR=$RUN_DIR/chaincode
  GATEWAY_DIR=$RUN_DIR/gateway
  ORDERER_ORG=$CRYPTO/ordererOrganizations/$DOMAIN
  ORDERER_TLSCA=$ORDERER_ORG/tlsca/tlsca.$DOMAIN-cert.pem
  ORDERER_ADMIN=$ORDERER_ORG/users/Admin@$DOMAIN
}
orderer_crypto() { echo "$ORDERER_ORG/orderers/$(orderer_host "$1")"; }
org_crypto() { echo "$CRYPTO/peerOrganizations/$(org_domain "$1")"; }
peer_crypto() { echo "$(org_crypto "$1")/peers/$(peer_host "$1")"; }

# ---------------------------------------------------------------------------------------------
# Processes: started in the background with a PID file, stopped by that PID only

# The PID file holds the PID and a string its command line must contain (the binary or jar path),
# so that a PID reused by an unrelated process after a reboot is never signalled.
proc_alive() { # proc_alive NAME
  local f=$PIDS/$1.pid pid expect cmdline
  [[ -f $f ]] || return 1
  { read -r pid && read -r expect; } <"$f" || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r /proc/$pid/cmdline ]]; then
    cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline")
  else
    cmdline=$(ps -p "$pid" -o command= 2>/dev/null) || return 1
  fi
  [[ $cmdline == *"$expect"* ]] || return 1
  if [[ -r /proc/$pid/environ ]]; then
    # (grep reads the file itself: "tr | grep -q" would fail under pipefail when tr gets SIGPIPE.)
    grep -qzxF "MEDLEDGER_NODE=$RUN_DIR/$1" "/proc/$pid/environ"
  fi
}

ports_free() { # ports_free NAME PORT...: refuse to start NAME on a port something else holds
  local name=$1 p
  shift
  for p in "$@"; do
    port_open "$p" && die "cannot start $name: 127.0.0.1:$p is in use (another network? set MEDLEDGER_BASE_PORT)"
  done
  return 0
}

proc_pid() { head -n1 "$PIDS/$1.pid" 2>/dev/null; }

# start_proc NAME EXPECT CMD...: runs CMD detached, output appended to logs/NAME.log.
start_proc() {
  local name=$1 expect=$2
  shift 2
  mkdir -p "$LOGS" "$PIDS"
  printf '\n=== %s: starting %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$name" >>"$LOGS/$name.log"
  # MEDLEDGER_NODE tags the process, so that proc_alive recognises it among other networks' nodes.
  MEDLEDGER_NODE="$RUN_DIR/$name" nohup "$@" >>"$LOGS/$name.log" 2>&1 </dev/null &
  printf '%s\n%s\n' "$!" "$expect" >"$PIDS/$name.pid"
}

stop_proc() { # stop_proc NAME: TERM, then KILL after 15 s
  local name=$1 pid i
  [[ -f $PIDS/$name.pid ]] || return 0
  if proc_alive "$name"; then
    pid=$(proc_pid "$name")
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 150; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      err "$name (pid $pid) did not stop within 15 s; sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    log "stopped $name (pid $pid)"
  elif pid=$(proc_pid "$name") && [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
    err "$name: pid $pid from $PIDS/$name.pid runs another program now; not signalled"
  fi
  rm -f "$PIDS/$name.pid" "$PIDS/$name.stamp"
}

port_open() { # something accepts connections on 127.0.0.1:$1
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

wait_port() { # wait_port NAME PORT: until NAME listens on PORT; fails if NAME dies
  local name=$1 port=$2 i
  for ((i = 0; i < WAIT_SECONDS * 5; i++)); do
    port_open "$port" && return 0
    # Just started: the PID is ours, though it may not have exec'd its program yet.
    if ! kill -0 "$(proc_pid "$name")" 2>/dev/null; then
      err "$name exited; the end of $LOGS/$name.log:"
      tail -n 25 "$LOGS/$name.log" >&2 || true
      exit 1
    fi
    sleep 0.2
  done
  die "$name does not listen on 127.0.0.1:$port after ${WAIT_SECONDS}s (see $LOGS/$name.log)"
}

# ---------------------------------------------------------------------------------------------
# Environment of each node and of the admin CLI

orderer_env() { # orderer_env I: prints NAME=VALUE lines
  local i=$1 c
  c=$(orderer_crypto "$i")
  local data=$RUN_DIR/orderers/orderer$i
  cat <<ENV
FABRIC_CFG_PATH=$CONFIG
FABRIC_LOGGING_SPEC=INFO
FABRIC_LOGGING_FORMAT=$LOG_FORMAT
ORDERER_GENERAL_LISTENADDRESS=127.0.0.1
ORDERER_GENERAL_LISTENPORT=$(orderer_port "$i")
ORDERER_GENERAL_LOCALMSPID=$ORDERER_MSP
ORDERER_GENERAL_LOCALMSPDIR=$c/msp
ORDERER_GENERAL_TLS_ENABLED=true
ORDERER_GENERAL_TLS_PRIVATEKEY=$c/tls/server.key
ORDERER_GENERAL_TLS_CERTIFICATE=$c/tls/server.crt
ORDERER_GENERAL_TLS_ROOTCAS=[$c/tls/ca.crt]
ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE=$c/tls/server.crt
ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY=$c/tls/server.key
ORDERER_FILELEDGER_LOCATION=$data/ledger
ORDERER_CONSENSUS_WALDIR=$data/etcdraft/wal
ORDERER_CONSENSUS_SNAPDIR=$data/etcdraft/snapshot
ORDERER_CHANNELPARTICIPATION_ENABLED=true
ORDERER_ADMIN_LISTENADDRESS=127.0.0.1:$(orderer_admin_port "$i")
ORDERER_ADMIN_TLS_ENABLED=true
ORDERER_ADMIN_TLS_CERTIFICATE=$c/tls/server.crt
ORDERER_ADMIN_TLS_PRIVATEKEY=$c/tls/server.key
ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED=true
ORDERER_ADMIN_TLS_CLIENTROOTCAS=[$c/tls/ca.crt]
ORDERER_OPERATIONS_LISTENADDRESS=127.0.0.1:$(orderer_ops_port "$i")
ORDERER_OPERATIONS_TLS_ENABLED=true
ORDERER_OPERATIONS_TLS_CERTIFICATE=$c/tls/server.crt
ORDERER_OPERATIONS_TLS_PRIVATEKEY=$c/tls/server.key
ORDERER_OPERATIONS_TLS_CLIENTROOTCAS=[$c/tls/ca.crt]
ORDERER_METRICS_PROVIDER=prometheus
ENV
}

peer_env() { # peer_env ORG
  local org=$1 c p
  c=$(peer_crypto "$org")
  p=$(peer_port "$org")
  local data=$RUN_DIR/peers/$org
  cat <<ENV
FABRIC_CFG_PATH=$CONFIG
FABRIC_LOGGING_SPEC=INFO
FABRIC_LOGGING_FORMAT=$LOG_FORMAT
CORE_PEER_ID=$(peer_host "$org")
CORE_PEER_NETWORKID=medledger
CORE_PEER_LISTENADDRESS=127.0.0.1:$p
CORE_PEER_ADDRESS=127.0.0.1:$p
CORE_PEER_CHAINCODELISTENADDRESS=127.0.0.1:$(peer_cc_port "$org")
CORE_PEER_CHAINCODEADDRESS=127.0.0.1:$(peer_cc_port "$org")
CORE_PEER_GOSSIP_BOOTSTRAP=127.0.0.1:$p
CORE_PEER_GOSSIP_EXTERNALENDPOINT=127.0.0.1:$p
CORE_PEER_GOSSIP_RECONNECTINTERVAL=5s
CORE_PEER_LOCALMSPID=$(org_msp "$org")
CORE_PEER_MSPCONFIGPATH=$c/msp
CORE_PEER_FILESYSTEMPATH=$data/data
CORE_LEDGER_SNAPSHOTS_ROOTDIR=$data/snapshots
CORE_LEDGER_STATE_STATEDATABASE=goleveldb
CORE_PEER_TLS_ENABLED=true
CORE_PEER_TLS_CERT_FILE=$c/tls/server.crt
CORE_PEER_TLS_KEY_FILE=$c/tls/server.key
CORE_PEER_TLS_ROOTCERT_FILE=$c/tls/ca.crt
CORE_PEER_GATEWAY_ENABLED=true
CORE_OPERATIONS_LISTENADDRESS=127.0.0.1:$(peer_ops_port "$org")
CORE_OPERATIONS_TLS_ENABLED=true
CORE_OPERATIONS_TLS_CERT_FILE=$c/tls/server.crt
CORE_OPERATIONS_TLS_KEY_FILE=$c/tls/server.key
CORE_OPERATIONS_TLS_CLIENTROOTCAS_FILES=$c/tls/ca.crt
CORE_METRICS_PROVIDER=prometheus
MEDLEDGER_CCAAS_ADDRESS=127.0.0.1:$(ccaas_port "$org")
ENV
}

# as_admin ORG CMD...: runs a peer CLI command as ORG's admin against ORG's peer.
as_admin() {
  local org=$1
  shift
  local oc dom
  oc=$(org_crypto "$org")
  dom=$(org_domain "$org")
  env FABRIC_CFG_PATH="$CONFIG" FABRIC_LOGGING_SPEC=WARNING \
    CORE_PEER_LOCALMSPID="$(org_msp "$org")" \
    CORE_PEER_MSPCONFIGPATH="$oc/users/Admin@$dom/msp" \
    CORE_PEER_ADDRESS="127.0.0.1:$(peer_port "$org")" \
    CORE_PEER_TLS_ENABLED=true \
    CORE_PEER_TLS_ROOTCERT_FILE="$(peer_crypto "$org")/tls/ca.crt" \
    "$@"
}

orderer_args() { # the peer CLI's flags to reach orderer 0 over TLS
  printf '%s\n' -o "127.0.0.1:$(orderer_port 0)" --tls --cafile "$ORDERER_TLSCA"
}

osnadmin_args() { # osnadmin_args I
  printf '%s\n' -o "127.0.0.1:$(orderer_admin_port "$1")" --ca-file "$ORDERER_TLSCA" \
    --client-cert "$ORDERER_ADMIN/tls/client.crt" --client-key "$ORDERER_ADMIN/tls/client.key"
}

# peer_metric ORG NAME LABEL: a Prometheus value from ORG's peer operations endpoint (needs curl).
# With TLS on, /metrics wants a client certificate: the org's User1 TLS certificate.
peer_metric() {
  local org=$1 name=$2 label=$3 oc dom
  oc=$(org_crypto "$org")
  dom=$(org_domain "$org")
  { curl -fsS --max-time 5 --cacert "$(peer_crypto "$org")/tls/ca.crt" \
      --cert "$oc/users/User1@$dom/tls/client.crt" --key "$oc/users/User1@$dom/tls/client.key" \
      "https://127.0.0.1:$(peer_ops_port "$org")/metrics" 2>/dev/null || true; } \
    | awk -v n="$name" -v l="$label" '$1 ~ "^" n "[{]" && index($1, l) { print $2; exit }'
}

# ---------------------------------------------------------------------------------------------
# Prerequisites

java_major() {
  java -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n1
}

need_tools() { # need_tools what...: fail with one clear message for every missing tool
  local missing=() t
  for t in "$@"; do
    case $t in
      java)
        if ! command -v java >/dev/null 2>&1; then
          missing+=("java (a JDK >= $JAVA_MIN_MAJOR runs the chaincode service)")
        else
          local jv
          jv=$(java_major)
          [[ -n $jv ]] && ((jv >= JAVA_MIN_MAJOR)) || missing+=("java >= $JAVA_MIN_MAJOR (found ${jv:-?})")
        fi
        ;;
      mvn) command -v mvn >/dev/null 2>&1 || missing+=("mvn (Maven >= $MAVEN_MIN_VERSION builds the chaincode jar)") ;;
      *) command -v "$t" >/dev/null 2>&1 || missing+=("$t") ;;
    esac
  done
  if ((${#missing[@]})); then
    err "missing prerequisites:"
    printf '  - %s\n' "${missing[@]}" >&2
    err "run '$0 doctor' for the full list"
    exit 1
  fi
}

# ---------------------------------------------------------------------------------------------
# up

check_settings() { # the run directory belongs to this configuration
  local want="base_port=$BASE_PORT orderers=$ORDERER_COUNT fabric=$FABRIC_VERSION"
  if [[ -f $RUN_DIR/settings ]]; then
    local have
    have=$(cat "$RUN_DIR/settings")
    [[ $have == "$want" ]] \
      || die "$RUN_DIR holds a network made with '$have', not '$want'; run '$0 down' first"
  else
    echo "$want" >"$RUN_DIR/settings"
  fi
}

write_crypto_config() {
  local f=$RUN_DIR/crypto-config.yaml i org
  {
    echo "# Generated by network.sh: cryptogen input for the MedLedger test network."
    echo "OrdererOrgs:"
    echo "  - Name: Orderer"
    echo "    Domain: $DOMAIN"
    echo "    EnableNodeOUs: true"
    echo "    Specs:"
    for ((i = 0; i < ORDERER_COUNT; i++)); do
      echo "      - Hostname: orderer$i"
      echo "        SANS: [localhost, 127.0.0.1]"
    done
    echo "PeerOrgs:"
    for org in "${ORGS[@]}"; do
      echo "  - Name: $(org_msp "$org")"
      echo "    Domain: $(org_domain "$org")"
      echo "    EnableNodeOUs: true"
      echo "    Template:"
      echo "      Count: 1"
      echo "      SANS: [localhost, 127.0.0.1]"
      echo "    Users:"
      echo "      Count: 1"
    done
  } >"$f"
}

write_configtx() {
  local f=$CHANNEL_DIR/configtx.yaml i org msp
  {
    echo "# Generated by network.sh: channel $CHANNEL of the MedLedger test network."
    echo "Organizations:"
    echo "  - &OrdererOrg"
    echo "    Name: OrdererOrg"
    echo "    ID: $ORDERER_MSP"
    echo "    MSPDir: $ORDERER_ORG/msp"
    echo "    Policies:"
    echo "      Readers: {Type: Signature, Rule: \"OR('$ORDERER_MSP.member')\"}"
    echo "      Writers: {Type: Signature, Rule: \"OR('$ORDERER_MSP.member')\"}"
    echo "      Admins: {Type: Signature, Rule: \"OR('$ORDERER_MSP.admin')\"}"
    echo "    OrdererEndpoints:"
    for ((i = 0; i < ORDERER_COUNT; i++)); do
      echo "      - 127.0.0.1:$(orderer_port "$i")"
    done
    for org in "${ORGS[@]}"; do
      msp=$(org_msp "$org")
      echo "  - &$msp"
      echo "    Name: $msp"
      echo "    ID: $msp"
      echo "    MSPDir: $(org_crypto "$org")/msp"
      echo "    Policies:"
      echo "      Readers: {Type: Signature, Rule: \"OR('$msp.admin', '$msp.peer', '$msp.client')\"}"
      echo "      Writers: {Type: Signature, Rule: \"OR('$msp.admin', '$msp.client')\"}"
      echo "      Admins: {Type: Signature, Rule: \"OR('$msp.admin')\"}"
      echo "      Endorsement: {Type: Signature, Rule: \"OR('$msp.peer')\"}"
      echo "    AnchorPeers:"
      echo "      - {Host: 127.0.0.1, Port: $(peer_port "$org")}"
    done
    cat <<YAML
Profiles:
  MedChannel:
    Policies:
      Readers: {Type: ImplicitMeta, Rule: "ANY Readers"}
      Writers: {Type: ImplicitMeta, Rule: "ANY Writers"}
      Admins: {Type: ImplicitMeta, Rule: "MAJORITY Admins"}
    Capabilities: {V3_0: true}
    Orderer:
      OrdererType: etcdraft
      BatchTimeout: 500ms
      BatchSize: {MaxMessageCount: 50, AbsoluteMaxBytes: 10 MB, PreferredMaxBytes: 2 MB}
      EtcdRaft:
        Consenters:
YAML
    for ((i = 0; i < ORDERER_COUNT; i++)); do
      echo "          - Host: 127.0.0.1"
      echo "            Port: $(orderer_port "$i")"
      echo "            ClientTLSCert: $(orderer_crypto "$i")/tls/server.crt"
      echo "            ServerTLSCert: $(orderer_crypto "$i")/tls/server.crt"
    done
    cat <<YAML
        Options: {TickInterval: 500ms, ElectionTick: 10, HeartbeatTick: 1, MaxInflightBlocks: 5, SnapshotIntervalSize: 16 MB}
      Organizations:
        - *OrdererOrg
      Policies:
        Readers: {Type: ImplicitMeta, Rule: "ANY Readers"}
        Writers: {Type: ImplicitMeta, Rule: "ANY Writers"}
        Admins: {Type: ImplicitMeta, Rule: "MAJORITY Admins"}
        BlockValidation: {Type: ImplicitMeta, Rule: "ANY Writers"}
      Capabilities: {V2_0: true}
    Application:
      Organizations:
YAML
    for org in "${ORGS[@]}"; do
      echo "        - *$(org_msp "$org")"
    done
    cat <<YAML
      Policies:
        Readers: {Type: ImplicitMeta, Rule: "ANY Readers"}
        Writers: {Type: ImplicitMeta, Rule: "ANY Writers"}
        Admins: {Type: ImplicitMeta, Rule: "MAJORITY Admins"}
        LifecycleEndorsement: {Type: ImplicitMeta, Rule: "MAJORITY Endorsement"}
        Endorsement: {Type: ImplicitMeta, Rule: "MAJORITY Endorsement"}
      Capabilities: {V2_5: true}
YAML
  } >"$f"
}

# The node configuration: Fabric's sampleconfig core.yaml and orderer.yaml, with two patches to
# core.yaml (no Docker; our chaincode-as-a-service builder). Everything per node is set through
# CORE_* / ORDERER_* environment variables (peer_env, orderer_env).
write_node_config() {
  mkdir -p "$CONFIG"
  cp "$SAMPLECONFIG_DIR/orderer.yaml" "$CONFIG/orderer.yaml"
  rm -rf "$CONFIG/msp"
  cp -R "$SAMPLECONFIG_DIR/msp" "$CONFIG/msp"
  awk -v builder="$BUILDER_DIR" '
    /^vm:/ { in_vm = 1 }
    /^[a-z]/ && !/^vm:/ { in_vm = 0 }
    in_vm && /^  endpoint: unix:\/\/\/var\/run\/docker.sock$/ { print "  endpoint: \"\""; vm_done = 1; next }
    /^    - name: ccaas_builder$/ {
      print "    - name: medledger-ccaas"
      print "      path: " builder
      print "      propagateEnvironment:"
      print "        - MEDLEDGER_CCAAS_ADDRESS"
      skip = 3; builder_done = 1; next
    }
    skip > 0 { skip--; next }
    { print }
    END { if (!vm_done || !builder_done) exit 3 }
  ' "$SAMPLECONFIG_DIR/core.yaml" >"$CONFIG/core.yaml.tmp" \
    || die "cannot patch $SAMPLECONFIG_DIR/core.yaml (vm.endpoint or chaincode.externalBuilders not where Fabric $FABRIC_VERSION has them)"
  mv "$CONFIG/core.yaml.tmp" "$CONFIG/core.yaml"
}

start_orderer() { # start_orderer I
  local i=$1 name=orderer$1
  if proc_alive "$name"; then
    log "$name: running (pid $(proc_pid "$name"))"
    return 0
  fi
  ports_free "$name" "$(orderer_port "$i")" "$(orderer_admin_port "$i")" "$(orderer_ops_port "$i")"
  mkdir -p "$RUN_DIR/orderers/$name"
  local -a envs
  mapfile -t envs < <(orderer_env "$i")
  start_proc "$name" "$BIN_DIR/orderer" env "${envs[@]}" "$BIN_DIR/orderer"
  log "$name: started (pid $(proc_pid "$name")), 127.0.0.1:$(orderer_port "$i"), admin :$(orderer_admin_port "$i")"
}

start_peer() { # start_peer ORG
  local org=$1 name=peer-$1
  if proc_alive "$name"; then
    log "$name: running (pid $(proc_pid "$name"))"
    return 0
  fi
  ports_free "$name" "$(peer_port "$org")" "$(peer_cc_port "$org")" "$(peer_ops_port "$org")"
  mkdir -p "$RUN_DIR/peers/$org"
  local -a envs
  mapfile -t envs < <(peer_env "$org")
  start_proc "$name" "$BIN_DIR/peer" env "${envs[@]}" "$BIN_DIR/peer" node start
  log "$name: started (pid $(proc_pid "$name")), 127.0.0.1:$(peer_port "$org") ($(peer_host "$org"))"
}

orderer_joined() { # orderer_joined I: the orderer is a member of the channel
  local -a a
  mapfile -t a < <(osnadmin_args "$1")
  { "$BIN_DIR/osnadmin" channel list --channelID "$CHANNEL" "${a[@]}" 2>/dev/null || true; } \
    | grep -q "\"name\": \"$CHANNEL\""
}

orderer_channel_info() { # JSON of the orderer's view of the channel, or nothing
  local -a a
  mapfile -t a < <(osnadmin_args "$1")
  { "$BIN_DIR/osnadmin" channel list --channelID "$CHANNEL" "${a[@]}" 2>/dev/null || true; } | sed -n '/^{/,$p'
}

wait_raft_leader() {
  local i t=$SECONDS info
  while ((SECONDS - t < WAIT_SECONDS)); do
    for ((i = 0; i < ORDERER_COUNT; i++)); do
      info=$(orderer_channel_info "$i")
      if [[ $info == *'"status": "active"'* && $info == *'"consensusRelation": "consenter"'* ]]; then
        # An active consenter serves blocks only once Raft has a leader; ask the block height.
        if [[ $(peer_fetch_ok) == ok ]]; then
          log "Raft: channel $CHANNEL active after $(elapsed $((SECONDS - t)))"
          return 0
        fi
      fi
    done
    sleep 1
  done
  die "the orderers did not make channel $CHANNEL active within ${WAIT_SECONDS}s (see $LOGS/orderer*.log)"
}

peer_fetch_ok() { # the ordering service delivers block 0 of the channel to an admin
  local tmp
  local -a o
  mapfile -t o < <(orderer_args)
  tmp=$(mktemp -d)
  if as_admin hospital "$BIN_DIR/peer" channel fetch 0 "$tmp/b0.block" -c "$CHANNEL" \
    "${o[@]}" >/dev/null 2>&1; then
    echo ok
  fi
  rm -rf "$tmp"
}

peer_joined() { # peer_joined ORG
  { as_admin "$1" "$BIN_DIR/peer" channel list 2>/dev/null || true; } | grep -qx "$CHANNEL"
}

peer_height() { # peer_height ORG: the channel height the peer reports, or nothing
  { as_admin "$1" "$BIN_DIR/peer" channel getinfo -c "$CHANNEL" 2>/dev/null || true; } \
    | sed -n 's/.*"height":\([0-9]*\).*/\1/p'
}

# Each peer must know the other two through gossip (anchor peers): the gateway's discovery
# needs them to collect endorsements of two organisations.
wait_gossip() {
  if ! command -v curl >/dev/null 2>&1; then
    log "gossip: curl not found, not checking that the peers see each other"
    return 0
  fi
  local t=$SECONDS org n all
  while ((SECONDS - t < WAIT_SECONDS)); do
    all=1
    for org in "${ORGS[@]}"; do
      n=$(peer_metric "$org" gossip_membership_total_peers_known "channel=\"$CHANNEL\"")
      [[ ${n:-0} -ge $((${#ORGS[@]} - 1)) ]] || all=0
    done
    if ((all)); then
      log "gossip: every peer knows the other $((${#ORGS[@]} - 1)) on $CHANNEL ($(elapsed $((SECONDS - t))))"
      return 0
    fi
    sleep 2
  done
  die "gossip: the peers did not all see each other on $CHANNEL within ${WAIT_SECONDS}s (see $LOGS/peer-*.log)"
}

json_string() { # a JSON string literal
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}

write_gateway_files() {
  mkdir -p "$GATEWAY_DIR"
  local org oc dom user key
  for org in "${ORGS[@]}"; do
    oc=$(org_crypto "$org")
    dom=$(org_domain "$org")
    user=$oc/users/User1@$dom/msp
    key=$(find "$user/keystore" -type f -print -quit)
    [[ -n $key ]] || die "no private key in $user/keystore"
    {
      printf '{\n'
      printf '  "mspId": %s,\n' "$(json_string "$(org_msp "$org")")"
      printf '  "peerEndpoint": %s,\n' "$(json_string "127.0.0.1:$(peer_port "$org")")"
      printf '  "hostOverride": %s,\n' "$(json_string "$(peer_host "$org")")"
      printf '  "tlsCaCert": %s,\n' "$(json_string "$(peer_crypto "$org")/tls/ca.crt")"
      printf '  "certificate": %s,\n' "$(json_string "$user/signcerts/User1@$dom-cert.pem")"
      printf '  "privateKey": %s,\n' "$(json_string "$key")"
      printf '  "channel": %s,\n' "$(json_string "$CHANNEL")"
      printf '  "chaincode": %s\n' "$(json_string "$CC_NAME")"
      printf '}\n'
    } >"$GATEWAY_DIR/$org.json.tmp"
    mv "$GATEWAY_DIR/$org.json.tmp" "$GATEWAY_DIR/$org.json"
  done
  log "gateway: connection files in $GATEWAY_DIR/{$(IFS=,; echo "${ORGS[*]}")}.json"
}

cmd_up() {
  [[ $ORDERER_COUNT == 1 || $ORDERER_COUNT == 3 ]] || die "MEDLEDGER_ORDERERS must be 1 or 3"
  if ! [[ $BASE_PORT =~ ^[0-9]+$ ]] || ((BASE_PORT < 1024 || BASE_PORT > 65400)); then
    die "MEDLEDGER_BASE_PORT must be a number in 1024..65400"
  fi
  local t0=$SECONDS
  cmd_build
  mkdir -p "$RUN_DIR"
  init_paths
  [[ -f $MARKER ]] || date -u +%Y-%m-%dT%H:%M:%SZ >"$MARKER"
  check_settings
  mkdir -p "$LOGS" "$PIDS" "$CHANNEL_DIR"

  if [[ ! -f $ORDERER_TLSCA ]]; then
    step "crypto material (cryptogen): orderer org, HospitalOrg, InsurerOrg, RegulatorOrg"
    write_crypto_config
    rm -rf "$CRYPTO"
    "$BIN_DIR/cryptogen" generate --config="$RUN_DIR/crypto-config.yaml" --output="$CRYPTO" >/dev/null
  fi
  if [[ ! -f $GENESIS ]]; then
    step "channel $CHANNEL: genesis block (configtxgen)"
    write_configtx
    "$BIN_DIR/configtxgen" -configPath "$CHANNEL_DIR" -profile MedChannel -channelID "$CHANNEL" \
      -outputBlock "$GENESIS.tmp" >"$LOGS/configtxgen.log" 2>&1 \
      || { cat "$LOGS/configtxgen.log" >&2; die "configtxgen failed"; }
    mv "$GENESIS.tmp" "$GENESIS"
  fi
  write_node_config

  step "orderers ($ORDERER_COUNT, Raft) and peers"
  local i org
  for ((i = 0; i < ORDERER_COUNT; i++)); do start_orderer "$i"; done
  for org in "${ORGS[@]}"; do start_peer "$org"; done
  for ((i = 0; i < ORDERER_COUNT; i++)); do
    wait_port "orderer$i" "$(orderer_admin_port "$i")"
    wait_port "orderer$i" "$(orderer_port "$i")"
  done
  for org in "${ORGS[@]}"; do wait_port "peer-$org" "$(peer_port "$org")"; done

  step "channel $CHANNEL: orderers join (channel participation API), peers join"
  for ((i = 0; i < ORDERER_COUNT; i++)); do
    if orderer_joined "$i"; then
      log "orderer$i: already in $CHANNEL"
    else
      local -a a
      mapfile -t a < <(osnadmin_args "$i")
      "$BIN_DIR/osnadmin" channel join --channelID "$CHANNEL" --config-block "$GENESIS" \
        "${a[@]}" >"$LOGS/osnadmin.log" 2>&1 \
        || { cat "$LOGS/osnadmin.log" >&2; die "orderer$i could not join $CHANNEL"; }
      log "orderer$i: joined $CHANNEL"
    fi
  done
  wait_raft_leader
  for org in "${ORGS[@]}"; do
    if peer_joined "$org"; then
      log "peer-$org: already in $CHANNEL"
    else
      as_admin "$org" "$BIN_DIR/peer" channel join -b "$GENESIS" >"$LOGS/peer-join.log" 2>&1 \
        || { cat "$LOGS/peer-join.log" >&2; die "peer-$org could not join $CHANNEL"; }
      log "peer-$org: joined $CHANNEL"
    fi
  done
  write_gateway_files
  wait_gossip
  # Chaincode servers of an earlier deploy: start them again with their peers.
  if [[ -f $CC_DIR/package-id ]]; then
    start_all_ccaas
  fi
  log "network up in $(elapsed $((SECONDS - t0))); next: $0 deploy"
}

# ---------------------------------------------------------------------------------------------
# deploy: the chaincode as a service

service_jar_stale() {
  [[ -f $SERVICE_JAR_BUILT ]] || return 0
  local newer
  newer=$(find "$REPO_DIR/pom.xml" "$REPO_DIR/chaincode/pom.xml" "$REPO_DIR/crypto-core/pom.xml" \
    "$REPO_DIR/chaincode/src/main" "$REPO_DIR/crypto-core/src/main" \
    -newer "$SERVICE_JAR_BUILT" -type f -print -quit 2>/dev/null)
  [[ -n $newer ]]
}

build_service_jar() {
  if service_jar_stale; then
    step "chaincode: building the service jar (mvn package -pl chaincode -am)"
    local t=$SECONDS
    # shellcheck disable=SC2086 # MEDLEDGER_MVN_ARGS is a list of words
    (cd "$REPO_DIR" && mvn -B -ntp -q ${MEDLEDGER_MVN_ARGS:-} -pl chaincode -am package -DskipTests) \
      || die "the Maven build of the chaincode failed"
    [[ -f $SERVICE_JAR_BUILT ]] || die "the build did not produce $SERVICE_JAR_BUILT"
    log "chaincode: service jar built in $(elapsed $((SECONDS - t)))"
  else
    log "chaincode: service jar up to date ($SERVICE_JAR_BUILT)"
  fi
  mkdir -p "$CC_DIR"
  if ! cmp -s "$SERVICE_JAR_BUILT" "$CC_DIR/medledger-service.jar"; then
    cp "$SERVICE_JAR_BUILT" "$CC_DIR/medledger-service.jar.tmp"
    mv "$CC_DIR/medledger-service.jar.tmp" "$CC_DIR/medledger-service.jar"
  fi
}

# The chaincode package Fabric installs: metadata.json (type ccaas) and code.tar.gz holding
# connection.json. Its address is a placeholder each peer's builder fills in with that peer's own
# chaincode server (ccaas-builder/bin/build), so one package id serves all peers.
make_package() {
  local pkg=$CC_DIR/$CC_NAME.tar.gz
  if [[ ! -f $pkg ]]; then
    local work=$CC_DIR/package
    rm -rf "$work"
    mkdir -p "$work/code"
    # shellcheck disable=SC2016 # the placeholder is literal
    printf '{"address":"${MEDLEDGER_CCAAS_ADDRESS}","dial_timeout":"10s","tls_required":false}\n' \
      >"$work/code/connection.json"
    printf '{"type":"ccaas","label":"%s"}\n' "$CC_LABEL" >"$work/metadata.json"
    tar -C "$work/code" -czf "$work/code.tar.gz" connection.json
    tar -C "$work" -czf "$pkg.tmp" metadata.json code.tar.gz
    mv "$pkg.tmp" "$pkg"
  fi
  local id
  id=$(as_admin hospital "$BIN_DIR/peer" lifecycle chaincode calculatepackageid "$pkg") \
    || die "cannot compute the package id of $pkg"
  echo "$id" >"$CC_DIR/package-id"
  log "chaincode: package $pkg, id $id"
}

start_ccaas() { # start_ccaas ORG: the chaincode server ORG's peer dials
  local org=$1 name=ccaas-$1 jar=$CC_DIR/medledger-service.jar id
  id=$(cat "$CC_DIR/package-id")
  local stamp
  stamp="$id $(cksum <"$jar")"
  if proc_alive "$name"; then
    if [[ $(cat "$PIDS/$name.stamp" 2>/dev/null) == "$stamp" ]]; then
      log "$name: running (pid $(proc_pid "$name"))"
      return 0
    fi
    log "$name: the jar or package id changed, restarting"
    stop_proc "$name"
  fi
  ports_free "$name" "$(ccaas_port "$org")"
  start_proc "$name" "$jar" env CHAINCODE_SERVER_ADDRESS="127.0.0.1:$(ccaas_port "$org")" \
    CORE_CHAINCODE_ID_NAME="$id" CORE_PEER_LOCALMSPID="$(org_msp "$org")" \
    MEDLEDGER_WARMUP_ROUNDS="${MEDLEDGER_WARMUP_ROUNDS:-60}" \
    java -Xmx640m -XX:+UseSerialGC -jar "$jar"
  echo "$stamp" >"$PIDS/$name.stamp"
  log "$name: started (pid $(proc_pid "$name")), 127.0.0.1:$(ccaas_port "$org") for peer-$org"
}

start_all_ccaas() { # start the servers side by side, then wait until each listens
  local org
  for org in "${ORGS[@]}"; do start_ccaas "$org"; done
  for org in "${ORGS[@]}"; do wait_port "ccaas-$org" "$(ccaas_port "$org")"; done
}

committed_sequence() { # the committed definition's sequence, or nothing
  { as_admin hospital "$BIN_DIR/peer" lifecycle chaincode querycommitted -C "$CHANNEL" -n "$CC_NAME" 2>/dev/null || true; } \
    | sed -n 's/.*Sequence: \([0-9]*\),.*/\1/p'
}

definition_args() {
  printf '%s\n' --channelID "$CHANNEL" --name "$CC_NAME" --version "$CC_VERSION" \
    --sequence "$CC_SEQUENCE" --signature-policy "$ENDORSEMENT_POLICY"
}

peer_args() { # --peerAddresses/--tlsRootCertFiles for every peer
  local org
  for org in "${ORGS[@]}"; do
    printf '%s\n' --peerAddresses "127.0.0.1:$(peer_port "$org")" \
      --tlsRootCertFiles "$(peer_crypto "$org")/tls/ca.crt"
  done
}

smoke_test() { # every peer's chaincode server answers through its peer
  local org out
  for org in "${ORGS[@]}"; do
    out=$(as_admin "$org" "$BIN_DIR/peer" chaincode query -C "$CHANNEL" -n "$CC_NAME" \
      -c '{"function":"org.hyperledger.fabric:GetMetadata","Args":[]}' 2>&1) \
      || die "smoke test: peer-$org: GetMetadata failed: $out"
    [[ $out == *'"accounts"'* && $out == *'"money"'* ]] \
      || die "smoke test: peer-$org: the metadata does not list contracts accounts and money: ${out:0:300}"
    # Before the SDK configures the channel, a read is refused with the stable code NOT_CONFIGURED.
    out=$(as_admin "$org" "$BIN_DIR/peer" chaincode query -C "$CHANNEL" -n "$CC_NAME" \
      -c '{"function":"accounts:getChannel","Args":[]}' 2>&1) || true
    if [[ $out == *NOT_CONFIGURED* ]]; then
      log "smoke test: peer-$org: contracts accounts, money; accounts:getChannel -> NOT_CONFIGURED (channel not configured yet)"
    elif [[ $out == *'"config"'* ]]; then
      log "smoke test: peer-$org: contracts accounts, money; accounts:getChannel -> configured"
    else
      die "smoke test: peer-$org: unexpected answer to accounts:getChannel: ${out:0:300}"
    fi
  done
}

cmd_deploy() {
  local t0=$SECONDS
  need_tools java mvn tar gzip
  init_paths
  [[ -f $MARKER ]] || die "no network in $RUN_DIR; run: $0 up"
  binaries_ok || die "Fabric binaries missing in $BIN_DIR; run: $0 up"
  local org
  for org in "${ORGS[@]}"; do
    proc_alive "peer-$org" || die "peer-$org is not running; run: $0 up"
  done
  build_service_jar
  make_package
  local id
  id=$(cat "$CC_DIR/package-id")

  step "chaincode: install on every peer (external builder ccaas-builder)"
  for org in "${ORGS[@]}"; do
    if { as_admin "$org" "$BIN_DIR/peer" lifecycle chaincode queryinstalled 2>/dev/null || true; } | grep -qF "Package ID: $id,"; then
      log "peer-$org: $id installed"
    else
      as_admin "$org" "$BIN_DIR/peer" lifecycle chaincode install "$CC_DIR/$CC_NAME.tar.gz" \
        >"$LOGS/install-$org.log" 2>&1 || { cat "$LOGS/install-$org.log" >&2; die "install on peer-$org failed"; }
      log "peer-$org: installed $id"
    fi
  done

  step "chaincode: one chaincode server per peer"
  start_all_ccaas

  local seq
  seq=$(committed_sequence)
  if [[ -n $seq ]]; then
    log "chaincode: $CC_NAME is committed on $CHANNEL (sequence $seq)"
  else
    step "chaincode: approve for each organisation, commit (policy $ENDORSEMENT_POLICY)"
    local ready
    local -a o d pa
    mapfile -t o < <(orderer_args)
    mapfile -t d < <(definition_args)
    mapfile -t pa < <(peer_args)
    ready=$(as_admin hospital "$BIN_DIR/peer" lifecycle chaincode checkcommitreadiness \
      "${d[@]}" --output json 2>&1) || die "checkcommitreadiness failed: $ready"
    for org in "${ORGS[@]}"; do
      if [[ $(tr -d ' \n' <<<"$ready") == *"\"$(org_msp "$org")\":true"* ]]; then
        log "$(org_msp "$org"): already approved"
        continue
      fi
      as_admin "$org" "$BIN_DIR/peer" lifecycle chaincode approveformyorg "${o[@]}" \
        "${d[@]}" --package-id "$id" >"$LOGS/approve-$org.log" 2>&1 \
        || { cat "$LOGS/approve-$org.log" >&2; die "approval by $(org_msp "$org") failed"; }
      log "$(org_msp "$org"): approved"
    done
    as_admin hospital "$BIN_DIR/peer" lifecycle chaincode commit "${o[@]}" "${d[@]}" \
      "${pa[@]}" >"$LOGS/commit.log" 2>&1 || { cat "$LOGS/commit.log" >&2; die "commit failed"; }
    log "chaincode: committed $CC_NAME $CC_VERSION, sequence $CC_SEQUENCE, on $CHANNEL"
  fi

  step "smoke test: every peer queries its own chaincode server"
  smoke_test
  log "deployed in $(elapsed $((SECONDS - t0))); gateway connection files: $GATEWAY_DIR"
}

# ---------------------------------------------------------------------------------------------
# status, logs, down

all_proc_names() {
  local i org
  for ((i = 0; i < ORDERER_COUNT; i++)); do echo "orderer$i"; done
  for org in "${ORGS[@]}"; do echo "peer-$org"; done
  for org in "${ORGS[@]}"; do echo "ccaas-$org"; done
}

proc_ports() {
  local name=$1 org
  case $name in
    orderer*)
      local i=${name#orderer}
      echo "$(orderer_port "$i") (client, raft), $(orderer_admin_port "$i") (admin), $(orderer_ops_port "$i") (operations)"
      ;;
    peer-*)
      org=${name#peer-}
      echo "$(peer_port "$org") (peer, gateway), $(peer_cc_port "$org") (chaincode), $(peer_ops_port "$org") (operations)"
      ;;
    ccaas-*) echo "$(ccaas_port "${name#ccaas-}") (chaincode server)" ;;
  esac
}

cmd_status() {
  init_paths
  if [[ ! -f $MARKER ]]; then
    log "no network in $RUN_DIR"
    return 0
  fi
  log "network in $RUN_DIR (created $(cat "$MARKER"); $(cat "$RUN_DIR/settings" 2>/dev/null))"
  local name state rc=0
  printf '  %-16s %-9s %s\n' process pid ports
  while read -r name; do
    if proc_alive "$name"; then
      state=$(proc_pid "$name")
    elif [[ -f $PIDS/$name.pid ]]; then
      state="stopped"
      rc=1
    else
      state="-"
    fi
    printf '  %-16s %-9s %s\n' "$name" "$state" "$(proc_ports "$name")"
  done < <(all_proc_names)
  local org i h n
  for ((i = 0; i < ORDERER_COUNT; i++)); do
    if proc_alive "orderer$i"; then
      local info st
      info=$(orderer_channel_info "$i" | tr -d ' \t\n')
      h=$(sed -n 's/.*"height":\([0-9]*\).*/\1/p' <<<"$info")
      st=$(sed -n 's/.*"status":"\([a-z]*\)".*/\1/p' <<<"$info")
      n=$(sed -n 's/.*"consensusRelation":"\([a-z]*\)".*/\1/p' <<<"$info")
      log "  orderer$i: $CHANNEL height ${h:-?} (${st:-not joined}${n:+, $n})"
    fi
  done
  for org in "${ORGS[@]}"; do
    if proc_alive "peer-$org"; then
      h=$(peer_height "$org")
      n=""
      if command -v curl >/dev/null 2>&1; then
        n=$(peer_metric "$org" gossip_membership_total_peers_known "channel=\"$CHANNEL\"")
        n=", knows ${n:-0} other peer(s) by gossip"
      fi
      log "  peer-$org: $CHANNEL height ${h:-?}$n"
    fi
  done
  if proc_alive peer-hospital; then
    local def
    def=$({ as_admin hospital "$BIN_DIR/peer" lifecycle chaincode querycommitted -C "$CHANNEL" -n "$CC_NAME" 2>/dev/null || true; } \
      | sed -n '/^Version:/p')
    log "  chaincode $CC_NAME: ${def:-not committed}"
  fi
  return "$rc"
}

cmd_logs() {
  init_paths
  [[ -d $LOGS ]] || die "no logs in $LOGS"
  if [[ $# -eq 0 ]]; then
    log "logs in $LOGS:"
    (cd "$LOGS" && ls -l)
    return 0
  fi
  [[ -f $LOGS/$1.log ]] || die "no log $LOGS/$1.log (names: $(find "$LOGS" -name '*.log' -exec basename {} .log \; | sort | tr '\n' ' '))"
  tail -n 60 "$LOGS/$1.log"
}

cmd_down() {
  init_paths
  if [[ ! -d $RUN_DIR ]]; then
    log "no network in $RUN_DIR"
    return 0
  fi
  [[ -f $MARKER ]] || die "$RUN_DIR is not a network directory (no $MARKER); not touching it"
  local name
  # Chaincode servers first, then peers, then orderers; and any PID file left by other settings.
  for name in $(all_proc_names | tac) $(find "$PIDS" -name '*.pid' -exec basename {} .pid \; 2>/dev/null); do
    stop_proc "$name"
  done
  rm -rf -- "$RUN_DIR"
  log "network down; removed $RUN_DIR"
}

# ---------------------------------------------------------------------------------------------
# Fault injection: kill one node, restart it, find the Raft leader, compare heights

need_network() {
  init_paths
  [[ -f $MARKER ]] || die "no network in $RUN_DIR"
  check_settings
}

node_name_ok() { # node_name_ok NAME: NAME is one of this network's processes
  local n
  while read -r n; do [[ $n == "$1" ]] && return 0; done < <(all_proc_names)
  return 1
}

cmd_kill() {
  [[ $# -eq 1 ]] || die "usage: network.sh kill <node> (one of: $(all_proc_names | tr '\n' ' '))"
  need_network
  local name=$1 pid i
  node_name_ok "$name" || die "no node $name (nodes: $(all_proc_names | tr '\n' ' '))"
  proc_alive "$name" || die "$name is not running"
  pid=$(proc_pid "$name")
  kill -KILL "$pid"
  # Gone once the PID no longer names our program (a zombie's command line is empty).
  for ((i = 0; i < 100; i++)); do
    proc_alive "$name" || break
    sleep 0.1
  done
  proc_alive "$name" && die "$name (pid $pid) still runs 10 s after KILL"
  printf '\n=== %s: %s killed (SIGKILL, pid %s)\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$name" "$pid" >>"$LOGS/$name.log"
  log "killed $name (pid $pid)"
}

cmd_restart() {
  [[ $# -eq 1 ]] || die "usage: network.sh restart <node> (one of: $(all_proc_names | tr '\n' ' '))"
  need_network
  local name=$1 org i t0=$SECONDS
  node_name_ok "$name" || die "no node $name (nodes: $(all_proc_names | tr '\n' ' '))"
  case $name in
    orderer*)
      i=${name#orderer}
      start_orderer "$i"
      wait_port "$name" "$(orderer_admin_port "$i")"
      wait_port "$name" "$(orderer_port "$i")"
      ;;
    peer-*)
      org=${name#peer-}
      start_peer "$org"
      wait_port "$name" "$(peer_port "$org")"
      ;;
    ccaas-*)
      org=${name#ccaas-}
      [[ -f $CC_DIR/package-id ]] || die "the chaincode is not deployed; run deploy"
      start_ccaas "$org"
      wait_port "$name" "$(ccaas_port "$org")"
      ;;
  esac
  log "$name listens again ($(elapsed $((SECONDS - t0))))"
}

# orderer_metric I NAME LABEL: a Prometheus value from orderer I's operations endpoint (needs curl).
orderer_metric() {
  local i=$1 name=$2 label=$3
  { curl -fsS --max-time 5 --cacert "$ORDERER_TLSCA" \
      --cert "$ORDERER_ADMIN/tls/client.crt" --key "$ORDERER_ADMIN/tls/client.key" \
      "https://127.0.0.1:$(orderer_ops_port "$i")/metrics" 2>/dev/null || true; } \
    | awk -v n="$name" -v l="$label" '$1 ~ "^" n "[{]" && index($1, l) { print $2; exit }'
}

cmd_leader() {
  need_network
  command -v curl >/dev/null 2>&1 || die "leader needs curl (it reads the orderers' metrics)"
  local i v
  for ((i = 0; i < ORDERER_COUNT; i++)); do
    proc_alive "orderer$i" || continue
    v=$(orderer_metric "$i" consensus_etcdraft_is_leader "channel=\"$CHANNEL\"")
    if [[ $v == 1 ]]; then
      echo "orderer$i"
      return 0
    fi
  done
  die "no running orderer reports itself the Raft leader of $CHANNEL"
}

cmd_heights() {
  need_network
  local i org info h hash
  for ((i = 0; i < ORDERER_COUNT; i++)); do
    h=""
    if proc_alive "orderer$i"; then
      info=$(orderer_channel_info "$i" | tr -d ' \t\n')
      h=$(sed -n 's/.*"height":\([0-9]*\).*/\1/p' <<<"$info")
    fi
    echo "orderer$i ${h:--}"
  done
  for org in "${ORGS[@]}"; do
    h="" hash=""
    if proc_alive "peer-$org"; then
      info=$({ as_admin "$org" "$BIN_DIR/peer" channel getinfo -c "$CHANNEL" 2>/dev/null || true; })
      h=$(sed -n 's/.*"height":\([0-9]*\).*/\1/p' <<<"$info")
      hash=$(sed -n 's/.*"currentBlockHash":"\([^"]*\)".*/\1/p' <<<"$info")
    fi
    echo "peer-$org ${h:--}${hash:+ $hash}"
  done
}

# ---------------------------------------------------------------------------------------------
# doctor

DOCTOR_FAILED=0
ok() { printf '  ok       %s\n' "$*"; }
note() { printf '  note     %s\n' "$*"; }
bad() { printf '  MISSING  %s\n' "$*"; DOCTOR_FAILED=1; }

cmd_doctor() {
  log "MedLedger test network: prerequisites (Fabric v$FABRIC_VERSION, no Docker)"
  local v
  if ! command -v go >/dev/null 2>&1; then
    if binaries_ok; then
      note "go: not found; not needed while the cached binaries in $BIN_DIR are good"
    else
      bad "go: not found; install Go >= $GO_MIN_VERSION (https://go.dev/dl/) to build Fabric"
    fi
  elif ! v=$(go_version); then
    bad "go: installed but 'go env GOVERSION' fails"
  elif version_ge "$v" "$GO_MIN_VERSION"; then
    ok "go $v (Fabric v$FABRIC_VERSION needs >= $GO_MIN_VERSION)"
  else
    bad "go $v is too old: Fabric v$FABRIC_VERSION needs go >= $GO_MIN_VERSION"
  fi

  if ! command -v java >/dev/null 2>&1; then
    bad "java: not found; install a JDK >= $JAVA_MIN_MAJOR (runs the chaincode service)"
  else
    v=$(java_major)
    if [[ -n $v ]] && ((v >= JAVA_MIN_MAJOR)); then ok "java $v"; else bad "java ${v:-?}: need >= $JAVA_MIN_MAJOR"; fi
  fi
  if ! command -v mvn >/dev/null 2>&1; then
    bad "mvn: not found; install Maven >= $MAVEN_MIN_VERSION (builds the chaincode jar)"
  else
    v=$(mvn -v 2>/dev/null | sed -n 's/.*Apache Maven \([0-9.]*\).*/\1/p' | head -n1)
    if [[ -n $v ]] && version_ge "$v" "$MAVEN_MIN_VERSION"; then ok "mvn $v"; else bad "mvn ${v:-?}: need >= $MAVEN_MIN_VERSION"; fi
  fi
  local t
  for t in tar gzip awk sed; do
    if command -v "$t" >/dev/null 2>&1; then ok "$t"; else bad "$t: not found"; fi
  done
  if command -v curl >/dev/null 2>&1; then
    ok "curl (checks gossip through the peers' operations endpoints)"
  else
    note "curl: not found; optional: up and status then skip the gossip check"
  fi
  if command -v openssl >/dev/null 2>&1; then
    ok "openssl (optional: to inspect certificates)"
  else
    note "openssl: not found; not needed (cryptogen makes every key and certificate)"
  fi

  if binaries_ok && config_ok; then
    ok "Fabric v$FABRIC_VERSION binaries and config cached in $CACHE_DIR"
  elif command -v go >/dev/null 2>&1; then
    local probe tmp
    tmp=$(mktemp -d)
    if probe=$(in_dir "$tmp" fabric_go list -m -json "$FABRIC_MODULE@$FABRIC_PSEUDO_VERSION" 2>&1); then
      ok "the Go module proxy serves Fabric v$FABRIC_VERSION; binaries not built yet (up builds them, or: $0 build)"
    else
      bad "the Go module proxy ($(go env GOPROXY)) does not serve $FABRIC_MODULE@$FABRIC_PSEUDO_VERSION: $(head -n2 <<<"$probe" | tr '\n' ' ')"
    fi
    rm -rf "$tmp"
  fi

  local free_mb probe_dir=$CACHE_DIR
  [[ -d $probe_dir ]] || probe_dir=$HOME
  free_mb=$(df -Pm "$probe_dir" | awk 'NR == 2 { print $4 }')
  if binaries_ok || ((free_mb >= MIN_FREE_MB)); then
    ok "disk: ${free_mb} MB free"
  else
    bad "disk: ${free_mb} MB free under $probe_dir; a first build needs about ${MIN_FREE_MB} MB"
  fi

  init_paths
  local p busy=() ports
  ports=$(all_ports | tr '\n' ' ')
  if [[ -f $MARKER ]]; then
    note "a network exists in $RUN_DIR; not checking its ports (status shows them)"
  else
    for p in $ports; do
      if port_open "$p"; then busy+=("$p"); fi
    done
    if ((${#busy[@]} == 0)); then
      ok "ports free on 127.0.0.1: $ports"
    else
      bad "ports in use on 127.0.0.1: ${busy[*]} (set MEDLEDGER_BASE_PORT to move the network)"
    fi
  fi
  if ((DOCTOR_FAILED)); then
    log "doctor: something is missing (see MISSING above)"
    return 1
  fi
  log "doctor: all prerequisites present"
}

main() {
  local cmd=${1:-}
  [[ $# -gt 0 ]] && shift
  case $cmd in
    doctor) cmd_doctor "$@" ;;
    build) cmd_build "$@" ;;
    up) cmd_up "$@" ;;
    deploy) cmd_deploy "$@" ;;
    status) cmd_status "$@" ;;
    logs) cmd_logs "$@" ;;
    kill) cmd_kill "$@" ;;
    restart) cmd_restart "$@" ;;
    leader) cmd_leader "$@" ;;
    heights) cmd_heights "$@" ;;
    down) cmd_down "$@" ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
