#!/usr/bin/env bash
# The dashboard over a busy chain: a release dev node (with its provider) is driven by
# `busy_chain` until it holds BLOCKS blocks of transfers and settled jobs, then Chromium times the
# overview's and an account page's first render and counts the bytes they transfer, and the series
# query is timed (tests/browser/bench.mjs). One JSON report on stdout; the chain is kept in WORK so
# that a second run measures again without rebuilding it.
#
#   bench/dashboard.sh                  # BLOCKS=100000 BLOCK_MS=2 RUNS=5 WORK=target/bench-dashboard
set -euo pipefail
cd "$(dirname "$0")/.."
BLOCKS=${BLOCKS:-100000}
BLOCK_MS=${BLOCK_MS:-2}
RUNS=${RUNS:-5}
WORK=${WORK:-$PWD/target/bench-dashboard}
cargo build --release --quiet -p atelier-cli --bin atelier -p atelier-agents --example busy_chain
TARGET=${CARGO_TARGET_DIR:-$PWD/target}
BIN=$TARGET/release/atelier
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

mkdir -p "$WORK"
"$BIN" --output json node --dev --home "$WORK/home" --api-addr 127.0.0.1:0 --block-time-ms "$BLOCK_MS" \
    > "$WORK/banner" 2> "$WORK/node.log" &
node=$!
trap 'kill $node 2> /dev/null; wait 2> /dev/null || true' EXIT
until grep -q '^}' "$WORK/banner" 2>/dev/null; do sleep 0.1; done
api=$(json '["api_url"]' < "$WORK/banner")
account=$(json '["accounts"][4]["address"]' < "$WORK/banner")
height=$(curl -s "$api/status" | json '["height"]')
if [ "$height" -lt "$BLOCKS" ]; then
    "$TARGET/release/examples/busy_chain" --node "$api" --blocks "$BLOCKS" > "$WORK/busy.json"
fi
# The history index and the series follow the chain: let them catch up before measuring.
until [ "$(curl -s "$api/accounts/$account/events?limit=1" | json '["indexed_height"]')" -ge "$BLOCKS" ]; do sleep 1; done
(cd tests/browser && npm ci --silent --no-audit --no-fund && ATELIER_API="$api" ACCOUNT="$account" RUNS="$RUNS" node bench.mjs)
