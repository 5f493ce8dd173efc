#!/usr/bin/env bash
# The estimation benchmark side by side: ROUNDS rounds, each a fresh Vigil process (2 runs: the
# first cold — JIT warm-up and first touch of its buffers, what one `vigil report` pays — the
# second warm) then a numpy/scipy process (1 run), with the date and load before each.
# Usage: bench/metrics/estimation-side-by-side.sh [ROUNDS] > out.jsonl   (after `pnpm build`)
set -euo pipefail
cd "$(dirname "$0")"
rounds=${1:-3}
for r in $(seq 1 "$rounds"); do
  echo "{\"round\":$r,\"side\":\"vigil\",\"utc\":\"$(date -u +%FT%TZ)\",\"uptime\":\"$(uptime | sed 's/.*load/load/')\"}"
  BENCH_REPEATS=2 node estimation-vigil.mjs
  echo "{\"round\":$r,\"side\":\"numpy/scipy\",\"utc\":\"$(date -u +%FT%TZ)\",\"uptime\":\"$(uptime | sed 's/.*load/load/')\"}"
  BENCH_REPEATS=1 python3 estimation_numpy.py
done
