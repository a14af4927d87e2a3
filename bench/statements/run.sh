#!/usr/bin/env bash
# Signing throughput: how many signatures per second `libres serve`
# acknowledges (each 303 is written to disk: SQLite in WAL mode with
# synchronous=FULL, PostgreSQL with its defaults), while the statement's
# public page is read at the same time, on SQLite and on PostgreSQL.
# Prints figures; it is not a test.  See bench/statements/README.md.
# All traffic goes to 127.0.0.1.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/../.." && pwd)"
cd "$ROOT"

DURATION="${BENCH_DURATION:-20}"          # seconds of load per backend
SIGN_CONNS="${BENCH_SIGN_CONNECTIONS:-64}" # signers at once
PAGE_CONNS="${BENCH_PAGE_CONNECTIONS:-4}"  # readers of the public page at once
PG="${BENCH_PG:-postgres://postgres@127.0.0.1:5432}"  # none: SQLite only
PG_NAME=libres_bench_sign
OUT="$ROOT/bench/out/statements"
LIBRES="$OUT/libres"
HOST=127.0.0.1
SKIP_BUILD="${BENCH_SKIP_BUILD:-0}"

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

SERVER=
cleanup() {
  if [ -n "$SERVER" ]; then kill -TERM "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  if [ "$PG" != none ]; then psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $PG_NAME WITH (FORCE)" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

if ! command -v wrk >/dev/null 2>&1; then
  [ "$(id -u)" -eq 0 ] || die "wrk is missing; install it (apt-get install wrk) or run this as root once"
  log "installing wrk"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends wrk >/dev/null
fi

mkdir -p "$OUT"
if [ "$SKIP_BUILD" != 1 ]; then
  log "cargo build --release -p libres"
  cargo build --release -q -p libres
fi
cp "$ROOT/target/release/libres" "$LIBRES"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

RESULTS=()
measure() { # NAME DB_URL
  local name=$1 url=$2 port log_file token sign page acked rows lost
  log "$name: seeding a demo registry (1,000 persons, the demo statements)"
  "$LIBRES" seed-demo --persons 1000 --db "$url" >"$OUT/seed_$name.log" 2>&1
  port=$(free_port)
  rm -rf "$OUT/mail_$name"
  log_file="$OUT/server_$name.log"
  "$LIBRES" serve --db "$url" --bind "$HOST:$port" --mail-outbox "$OUT/mail_$name" \
    --max-connections 1024 >"$log_file" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 100); do
    curl -fs "http://$HOST:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  token=$(curl -fs "http://$HOST:$port/es/statements/1" | grep -o 'name="csrf" value="[^"]*"' | cut -d'"' -f4)
  [ -n "$token" ] || die "$name: no signing form on /es/statements/1"
  log "$name: $DURATION s of signing ($SIGN_CONNS connections) and reading ($PAGE_CONNS connections)"
  wrk -t1 -c"$SIGN_CONNS" -d"${DURATION}s" --timeout 10s -s "$BENCH_DIR/sign.lua" \
    "http://$HOST:$port" -- "$token" /es/statements/1/sign "$name" >"$OUT/wrk_sign_$name.txt" 2>&1 &
  sign=$!
  wrk -t1 -c"$PAGE_CONNS" -d"${DURATION}s" --timeout 10s -s "$BENCH_DIR/page.lua" \
    "http://$HOST:$port/es/statements/1" >"$OUT/wrk_page_$name.txt" 2>&1 &
  page=$!
  wait "$sign" "$page"
  kill -TERM "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
  local s p
  s=$(grep '^RESULT' "$OUT/wrk_sign_$name.txt" || die "$name: wrk (signing) printed no result")
  p=$(grep '^RESULT' "$OUT/wrk_page_$name.txt" || die "$name: wrk (page) printed no result")
  acked=$(sed 's/.*acked=\([0-9]*\).*/\1/' <<<"$s")
  if [[ $url == sqlite:* ]]; then
    rows=$(python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute(\"SELECT COUNT(*) FROM signatures WHERE email LIKE 'bench%'\").fetchone()[0])" "${url#sqlite:}")
  else
    rows=$(psql -tA "$url" -c "SELECT COUNT(*) FROM signatures WHERE email LIKE 'bench%'")
  fi
  # Every acknowledged signature must be stored; a few more may be (written
  # when wrk stopped waiting for their answers).
  lost=$(( acked > rows ? acked - rows : 0 ))
  RESULTS+=("$name|$s|$p|$rows|$lost")
}

rm -f "$OUT"/sign.db*
measure sqlite "sqlite:$OUT/sign.db"
if [ "$PG" != none ]; then
  psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $PG_NAME WITH (FORCE)" >/dev/null
  psql -q "$PG/postgres" -c "CREATE DATABASE $PG_NAME" >/dev/null
  measure postgres "$PG/$PG_NAME"
fi

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $2"; }
{
  echo "# Signing a statement over HTTP"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores;"
  echo "$DURATION s per backend; $SIGN_CONNS connections signing, $PAGE_CONNS reading /es/statements/1 at the same time."
  echo
  echo "| backend | signatures acknowledged/s | sign p50 ms | sign p99 ms | other answers | stored | acknowledged but missing | page req/s | page p50 ms | page p99 ms |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for r in "${RESULTS[@]}"; do
    IFS='|' read -r name s p rows lost <<<"$r"
    echo "| $name | $(field rps "$s") | $(field p50 "$s") | $(field p99 "$s") | $(field other "$s") | $rows | $lost | $(field rps "$p") | $(field p50 "$p") | $(field p99 "$p") |"
  done
  echo
  echo "Targets (issue 12): ≥ 2,000 signatures/s on SQLite; page p99 ≤ 50 ms; nothing acknowledged and missing."
} | tee "$OUT/results.md"
