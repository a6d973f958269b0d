#!/usr/bin/env bash
# A local network of validators, each its own `atelier node --validator` process on 127.0.0.1.
#
#   scripts/localnet.sh start [N]   write N validator homes (default 4) unless they exist, start them,
#                                   wait until they finalize blocks; validator i serves its API on
#                                   127.0.0.1:$((26657+i)) (validator 0 is the CLI's default node)
#   scripts/localnet.sh add         write one more validator home (a fresh key, the same genesis), have dev
#                                   account $OPERATOR stake and register its key, start it and wait until
#                                   it has caught up (it follows the chain); the chain chooses it once that
#                                   stake has earned reputation, and it signs from that epoch's first block;
#                                   with SYNC=1 it starts from validator 0's state at its head (checked
#                                   against the head's state root) instead of replaying the chain
#   scripts/localnet.sh status      height and state root at each validator
#   scripts/localnet.sh stop        stop them (their data stays)
#   scripts/localnet.sh reset       stop them and delete their data
#
# Environment: LOCALNET_DIR (default .localnet), ATELIER_BIN (default target/release/atelier,
# built if missing), API_PORT (26657), P2P_PORT (26700), EPOCH_BLOCKS (blocks per epoch of a new
# localnet; the dev chain's default), OPERATOR (dev9: the account `add` stakes and registers from),
# STAKE (1000GDC), SYNC (1: `add` syncs the new validator's state from validator 0).
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

launch() {
  nohup "$BIN" node --validator --home "$1" >"$1/node.log" 2>&1 &
  echo $! >"$1/node.pid"
  echo "started $(basename "$1") (pid $!, api $(api_of "$1"), log $1/node.log)"
}

start() {
  local count=${1:-4}
  if [ ! -x "$BIN" ]; then
    echo "building $BIN"
    cargo build --release --bin atelier
  fi
  if [ -z "$(homes)" ]; then
    local epochs=()
    if [ -n "${EPOCH_BLOCKS:-}" ]; then epochs=(--epoch-blocks "$EPOCH_BLOCKS"); fi
    "$BIN" init --dev --home "$DIR" --validators "$count" --api-port "$API_PORT" --p2p-port "$P2P_PORT" \
      "${epochs[@]}" >/dev/null
    echo "wrote $count validator homes under $DIR"
  fi
  for home in $(homes); do
    if running "$home"; then
      echo "$(basename "$home") already running"
      continue
    fi
    launch "$home"
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

add() {
  local first n home p2p
  first=$(homes | head -n 1)
  [ -n "$first" ] || { echo "no localnet under $DIR: run start first" >&2; exit 1; }
  n=$(homes | wc -l)
  home="$DIR/validator-$n"
  p2p="127.0.0.1:$((P2P_PORT + n))"
  local sync=()
  [ "${SYNC:-}" = 1 ] && sync=(--sync-from "$(api_of "$first")")
  "$BIN" init --join "$first" --home "$home" --api-port "$((API_PORT + n))" --p2p-port "$((P2P_PORT + n))" "${sync[@]}" >/dev/null
  echo "wrote $home"
  # Registered first: validators accept connections from the chain's candidates (from the next
  # epoch they enter).
  local node=(--node "$(api_of "$first")")
  "$BIN" "${node[@]}" tx staking stake --from "${OPERATOR:-dev9}" --amount "${STAKE:-1000GDC}" --wait >/dev/null
  "$BIN" "${node[@]}" tx validator register --from "${OPERATOR:-dev9}" --validator-home "$home" --p2p-addr "$p2p" --wait >/dev/null
  echo "${OPERATOR:-dev9} staked ${STAKE:-1000GDC} and registered $(basename "$home")'s key"
  launch "$home"
  local target
  target=$(height_of "$first")
  for _ in $(seq 1 360); do
    running "$home" || { echo "$(basename "$home") exited; see $home/node.log" >&2; exit 1; }
    [ "$(height_of "$home")" -ge "$target" ] 2>/dev/null && break
    sleep 0.5
  done
  [ "$(height_of "$home")" -ge "$target" ] 2>/dev/null \
    || { echo "$(basename "$home") did not catch up within three minutes; see $home/node.log" >&2; exit 1; }
  echo "$(basename "$home") follows the chain at height $(height_of "$home"); it joins the set once its"
  echo "operator's stake has earned reputation (see: $BIN ${node[*]} query validators)"
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
  add) add ;;
  status) status ;;
  stop) stop ;;
  reset) stop; rm -rf "$DIR"; echo "deleted $DIR" ;;
  *) sed -n '2,21p' "$0"; exit 2 ;;
esac
