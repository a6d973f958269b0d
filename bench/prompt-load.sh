#!/usr/bin/env bash
# Prompt → file on a release dev node with the procedural backend, through one provider daemon and
# through four (each a separate process): jobs per second, submit-to-file latency p50/p99, how much
# of the providers' CPU went to generation, and their peak memory. One JSON report per run.
#
#   bench/prompt-load.sh                 # JOBS=120 SIZE=256 BLOCK_MS=250 REQUESTERS=4 by default
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-120}
SIZE=${SIZE:-256}
BLOCK_MS=${BLOCK_MS:-250}
REQUESTERS=${REQUESTERS:-4}
cargo build --release --quiet -p atelier-cli --bin atelier -p atelier-agents --example prompt_load
TARGET=${CARGO_TARGET_DIR:-$PWD/target}
BIN=$TARGET/release/atelier
LOAD=$TARGET/release/examples/prompt_load
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

for providers in 1 4; do
    work=$(mktemp -d)
    "$BIN" --output json node --dev --no-provider --accounts $((10 + REQUESTERS)) --api-addr 127.0.0.1:0 \
        --block-time-ms "$BLOCK_MS" > "$work/banner" 2> "$work/node.log" &
    node=$!
    until grep -q '^}' "$work/banner" 2>/dev/null; do sleep 0.1; done
    api=$(json '["api_url"]' < "$work/banner")
    a() { "$BIN" --node "$api" --output json "$@"; }
    weights=$(a blob put crates/generate/styles/atelier-base.json | json '["hash"]')
    a tx registry register-dataset --from dev1 --content-hash "$(printf '11%.0s' {1..32})" --license CC-BY-4.0 \
        --contributor dev5=1 --wait > /dev/null
    a tx registry register-model --from dev2 --class image-xl --weights "$weights" --dataset 1=10000 --wait > /dev/null
    a tx compliance attest --from dev8 --schema 1 --subject dataset/1 --data-hash "$(printf '33%.0s' {1..32})" \
        --wait > /dev/null
    pids=()
    flags=()
    for who in dev3 dev6 dev7 dev9; do
        [ ${#pids[@]} -ge "$providers" ] && break
        a tx compute register-provider --from "$who" --bond 1000GDC --endpoint http://127.0.0.1:1 \
            --capacity image-xl=100000 --wait > /dev/null
        port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
        "$BIN" --node "$api" provider run --from "$who" --state-dir "$work/$who" --concurrency 2 \
            --metrics-addr "127.0.0.1:$port" 2> "$work/$who.log" &
        pids+=($!)
        flags+=(--provider "127.0.0.1:$port=$!")
    done
    sleep 1
    "$LOAD" --node "$api" --jobs "$JOBS" --size "$SIZE" --requesters "$REQUESTERS" "${flags[@]}"
    kill "${pids[@]}" "$node"
    wait 2> /dev/null || true
    rm -rf "$work"
done
