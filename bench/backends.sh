#!/usr/bin/env bash
# SQLite and PostgreSQL side by side: the same release binary, the same
# 100,000 synthetic persons, the same wrk load (bench/rotate.lua) and the
# same request lists as bench/run.sh, which must have run once before (it
# writes bench/out/paths_libres_*.txt). Needs wrk and a PostgreSQL server
# where the user may create databases (BENCH_PG, default the local one).
# Prints seed and import seconds, then req/s and latency for search, popular
# case pages and long-tail case pages, with the page cache on and off.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B="$ROOT/target/release/libres"
P="$ROOT/bench/out"
PG="${BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
PORT="${BENCH_PORT:-18383}"
W="$P/backends"
[ -s "$P/paths_libres_search.txt" ] || { echo "run bash bench/run.sh first" >&2; exit 1; }
(cd "$ROOT" && cargo build --release -p libres >/dev/null 2>&1)
mkdir -p "$W" && cd "$W"
psql -qd "$PG/postgres" -c "DROP DATABASE IF EXISTS libres_bench_seed WITH (FORCE)" \
  -c "DROP DATABASE IF EXISTS libres_bench_import WITH (FORCE)" \
  -c "CREATE DATABASE libres_bench_seed" -c "CREATE DATABASE libres_bench_import"
rm -f seed.db* import.db*
secs() { local s; s=$(date +%s.%N); timeout 1800 "$@" >/dev/null 2>&1; awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'; }
echo "| step | SQLite s | PostgreSQL s |"
echo "|---|---:|---:|"
echo "| seed-demo 100,000 | $(secs "$B" seed-demo --persons 100000 --db sqlite:seed.db) | $(secs "$B" seed-demo --persons 100000 --db "$PG/libres_bench_seed") |"
"$B" export persons --format csv --out all.csv --db sqlite:seed.db 2>/dev/null
echo "| import 100,000 | $(secs "$B" import persons all.csv --db sqlite:import.db) | $(secs "$B" import persons all.csv --db "$PG/libres_bench_import") |"
echo
echo "| backend | page cache MiB | scenario | req/s | p50 ms | p99 ms | non-2xx |"
echo "|---|---:|---|---:|---:|---:|---:|"
run() { # backend db cache_mb
  "$B" serve --db "$2" --bind "127.0.0.1:$PORT" --page-cache-mb "$3" >"serve-$1-$3.log" 2>&1 &
  local pid=$!
  trap 'kill $pid 2>/dev/null || true' EXIT
  for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
  sleep 2 # the name index is warmed in the background at start
  for sc in search person person_longtail; do
    timeout 60 wrk -t2 -c8 -d3s -s "$ROOT/bench/rotate.lua" "http://127.0.0.1:$PORT" -- "$P/paths_libres_$sc.txt" gzip >/dev/null 2>&1
    local r; r=$(timeout 60 wrk -t2 -c8 -d10s -s "$ROOT/bench/rotate.lua" "http://127.0.0.1:$PORT" -- "$P/paths_libres_$sc.txt" gzip 2>&1 | grep RESULT)
    v() { echo "$r" | sed -n "s/.* $1=\([0-9.]*\).*/\1/p"; }
    echo "| $1 | $3 | $sc | $(v rps) | $(v p50_ms) | $(v p99_ms) | $(v non2xx3xx) |"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  trap - EXIT
}
run sqlite sqlite:seed.db 64
run sqlite sqlite:seed.db 0
run postgres "$PG/libres_bench_seed" 64
run postgres "$PG/libres_bench_seed" 0
