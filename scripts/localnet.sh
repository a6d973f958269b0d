#!/usr/bin/env bash
# A local network of validators, each its own `atelier node --validator` process on 127.0.0.1.
#
#   scripts/localnet.sh start [N]   write N validator homes (default 4) unless they exist, start them,
#                                   wait until they finalize blocks; validator i serves its API on
#                                   127.0.0.1:$((26657+i)) (validator 0 is the CLI's default node)
#   scripts/localnet.sh status      height and state root at each validator
#   scripts/localnet.sh stop        stop them (their data stays)
#   scripts/localnet.sh reset       stop them and delete their data
#
# Environment: LOCALNET_DIR (default .localnet), ATELIER_BIN (default target/release/atelier,
# built if missing), API_PORT (26657), P2P_PORT (26700).
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=${LOCALNET_DIR:-.localnet}
BIN=${ATELIER_BIN:-target/release/atelier}
API_PORT=${API_PORT:-26657}
P2P_PORT=${P2P_PORT:-26700}

homes() { find "$DIR" -maxdepth 1 -name 'validator-*' -type d 2>/dev/null | sort -V; }

api_of() { echo "http://127.0.0.1:$((API_PORT + ${1##*-}))"; }

running() { [ -f "$1/node.pid" ] && kill -0 "$(cat "$1/node.pid")" 2>/dev/null; }

height_of() {
  "$BIN" --node "$(api_of "$1")" --output json query status 2>/dev/null \
    | sed -n 's/.*"height": *\([0-9]*\).*/\1/p' | head -n 1
}

start() {
  local count=${1:-4}
  if [ ! -x "$BIN" ]; then
    echo "building $BIN"
    cargo build --release --bin atelier
  fi
  if [ -z "$(homes)" ]; then
    "$BIN" init --dev --home "$DIR" --validators "$count" --api-port "$API_PORT" --p2p-port "$P2P_PORT" >/dev/null
    echo "wrote $count validator homes under $DIR"
  fi
  for home in $(homes); do
    if running "$home"; then
      echo "$(basename "$home") already running"
      continue
    fi
    nohup "$BIN" node --validator --home "$home" >"$home/node.log" 2>&1 &
    echo $! >"$home/node.pid"
    echo "started $(basename "$home") (pid $!, api $(api_of "$home"), log $home/node.log)"
  done
  # Wait (bounded) until every validator has committed a block.
  for _ in $(seq 1 120); do
    local ready=1
    for home in $(homes); do
      running "$home" || { echo "$(basename "$home") exited; see $home/node.log" >&2; exit 1; }
      [ "$(height_of "$home")" -ge 1 ] 2>/dev/null || ready=0
    done
    if [ "$ready" = 1 ]; then
      echo "every validator is finalizing blocks"
      status
      return 0
    fi
    sleep 0.5
  done
  echo "the validators did not finalize a block within a minute; see the logs under $DIR" >&2
  exit 1
}

status() {
  for home in $(homes); do
    if running "$home"; then
      echo "$(basename "$home")  $(api_of "$home")  $("$BIN" --node "$(api_of "$home")" query status 2>&1)"
    else
      echo "$(basename "$home")  stopped"
    fi
  done
}

stop() {
  for home in $(homes); do
    if running "$home"; then
      kill -INT "$(cat "$home/node.pid")" 2>/dev/null || true
    fi
  done
  for home in $(homes); do
    for _ in $(seq 1 40); do running "$home" || break; sleep 0.25; done
    if running "$home"; then kill -KILL "$(cat "$home/node.pid")" 2>/dev/null || true; fi
    rm -f "$home/node.pid"
  done
  echo "stopped"
}

case "${1:-}" in
  start) start "${2:-4}" ;;
  status) status ;;
  stop) stop ;;
  reset) stop; rm -rf "$DIR"; echo "deleted $DIR" ;;
  *) sed -n '2,13p' "$0"; exit 2 ;;
esac
