#!/usr/bin/env bash
# Libres benchmark: 100,000-person import, and public pages side by side with
# Datasette on the same data.  Prints figures; it is not a test.
# See bench/README.md.  All traffic goes to 127.0.0.1 only.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
cd "$ROOT"

PERSONS="${BENCH_PERSONS:-100000}"
DURATION="${BENCH_DURATION:-12}"        # seconds per measured wrk run
WARMUP="${BENCH_WARMUP:-3}"             # seconds of unmeasured warm-up per run
THREADS="${BENCH_THREADS:-2}"           # wrk threads
CONNS="${BENCH_CONNECTIONS:-8}"         # wrk connections (same for both servers)
PAGE_LANG="${BENCH_LANG:-es}"
GZIP="${BENCH_GZIP:-1}"                 # 1: load requests send Accept-Encoding: gzip
DS_PAGE_SIZE="${BENCH_DS_PAGE_SIZE:-50}" # Datasette default_page_size: 50 rows, as Libres's list (PER_PAGE)
DS_FACETS="${BENCH_DS_SUGGEST_FACETS:-off}"  # off: skip Datasette's facet suggestions (its best case)
MODE="${BENCH_MODE:-full}"              # full | datasette-only (development)
STEP_TIMEOUT="${BENCH_STEP_TIMEOUT:-1800}"
SKIP_BUILD="${BENCH_SKIP_BUILD:-0}"

OUT_REL="bench/out"
OUT="$ROOT/$OUT_REL"
VENV="$BENCH_DIR/.venv"
LIBRES="$ROOT/target/release/libres"
HOST=127.0.0.1

mkdir -p "$OUT"

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- cleanup
PIDS=()
stop_pid() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  PIDS=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- helpers
# timed NAME CMD... : runs CMD (bounded), logs to $OUT/NAME.log, sets
# T_NAME (wall seconds) and RSS_NAME (peak resident MiB).
timed() {
  local name=$1; shift
  local tf="$OUT/time_$name.txt" secs kb
  if ! /usr/bin/time -f '%e %M' -o "$tf" timeout "$STEP_TIMEOUT" "$@" >"$OUT/$name.log" 2>&1; then
    log "step '$name' failed: $*"
    tail -n 30 "$OUT/$name.log" >&2 || true
    exit 1
  fi
  read -r secs kb < <(tail -n 1 "$tf")
  printf -v "T_$name" '%s' "$secs"
  printf -v "RSS_$name" '%s' "$((kb / 1024))"
  log "$name: ${secs} s, peak RSS $((kb / 1024)) MiB"
}

# wait_http URL SECONDS : poll until URL answers 2xx, bounded.
wait_http() {
  local url=$1 limit=$2 start=$SECONDS
  while (( SECONDS - start < limit )); do
    if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  return 1
}

free_ports() {
  python3 - <<'EOF'
import socket
socks = []
for _ in range(2):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

ensure_wrk() {
  command -v wrk >/dev/null 2>&1 && return 0
  log "installing wrk from Debian"
  [ "$(id -u)" = 0 ] || die "wrk missing; run as root or: apt-get install -y wrk"
  timeout 600 apt-get update -qq
  DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq wrk >/dev/null
  command -v wrk >/dev/null 2>&1 || die "wrk install failed"
}

ensure_venv() {
  local req="$BENCH_DIR/requirements.txt" stamp="$VENV/.bench-requirements.sha256" want
  want="$(sha256sum "$req" | cut -d' ' -f1)"
  if [ -x "$VENV/bin/datasette" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    return 0
  fi
  log "creating $VENV with pinned Datasette"
  [ -x "$VENV/bin/python" ] || timeout 300 python3 -m venv "$VENV"
  timeout 900 "$VENV/bin/pip" install -q --disable-pip-version-check -r "$req"
  echo "$want" >"$stamp"
}

# check_paths LABEL BASEURL PATHSFILE : GET the first few paths; warn on non-200.
BAD_STATUS=""
check_paths() {
  local label=$1 base=$2 file=$3 path code
  while read -r path; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 "$base$path" || echo 000)
    if [ "$code" != 200 ]; then
      log "WARNING: $label $path -> HTTP $code"
      BAD_STATUS+="$label $path -> HTTP $code; "
    fi
  done < <(head -n 5 "$file")
}

# run_wrk KEY BASEURL PATHSFILE : warm-up, then a measured run; sets
# R_KEY_rps, R_KEY_p50_ms, R_KEY_p99_ms, ... from the Lua RESULT line.
run_wrk() {
  local key=$1 base=$2 file=$3 gz="" line kv
  [ "$GZIP" = 1 ] && gz=gzip
  if (( WARMUP > 0 )); then
    timeout $((WARMUP + 30)) wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" --timeout 10s \
      -s "$BENCH_DIR/rotate.lua" "$base" -- "$file" $gz >"$OUT/wrk_${key}_warmup.txt" 2>&1 || true
  fi
  log "wrk $key: ${DURATION}s, $THREADS threads, $CONNS connections"
  timeout $((DURATION + 60)) wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 10s --latency \
    -s "$BENCH_DIR/rotate.lua" "$base" -- "$file" $gz >"$OUT/wrk_${key}.txt" 2>&1 \
    || die "wrk $key failed: $(tail -n 5 "$OUT/wrk_${key}.txt")"
  line=$(grep '^RESULT ' "$OUT/wrk_${key}.txt" | tail -n 1) || die "no RESULT from wrk $key"
  for kv in ${line#RESULT }; do
    printf -v "R_${key}_${kv%%=*}" '%s' "${kv#*=}"
  done
  local rps="R_${key}_rps" p50="R_${key}_p50_ms" p99="R_${key}_p99_ms"
  log "  $key: ${!rps} req/s, p50 ${!p50} ms, p99 ${!p99} ms"
}

# get VAR_NAME [default] : indirect read with default "n/a".
get() { local n=$1; printf '%s' "${!n:-${2:-n/a}}"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || b + 0 == 0) print "n/a"; else printf "%.1f", a / b }'; }

# gzip_sizes KEY BASEURL PATHSFILE N : fetch N pages with Accept-Encoding: gzip;
# sets Z_KEY_median/max (bytes on the wire), Z_KEY_raw_max, Z_KEY_enc.
gzip_sizes() {
  local key=$1 base=$2 file=$3 n=$4 path tmp hdr sizes=() raws=() enc="gzip"
  tmp="$OUT/.page.bin"; hdr="$OUT/.page.hdr"
  while read -r path; do
    curl -s --max-time 30 -H 'Accept-Encoding: gzip' -D "$hdr" -o "$tmp" "$base$path" || continue
    grep -qi '^content-encoding: *gzip' "$hdr" || enc="none"
    sizes+=("$(stat -c %s "$tmp")")
    raws+=("$(curl -s --max-time 30 "$base$path" | wc -c)")
  done < <(head -n "$n" "$file")
  rm -f "$tmp" "$hdr"
  (( ${#sizes[@]} > 0 )) || return 0
  local sorted; sorted=$(printf '%s\n' "${sizes[@]}" | sort -n)
  printf -v "Z_${key}_n" '%s' "${#sizes[@]}"
  printf -v "Z_${key}_median" '%s' "$(sed -n "$(( (${#sizes[@]} + 1) / 2 ))p" <<<"$sorted")"
  printf -v "Z_${key}_max" '%s' "$(tail -n 1 <<<"$sorted")"
  printf -v "Z_${key}_raw_max" '%s' "$(printf '%s\n' "${raws[@]}" | sort -n | tail -n 1)"
  printf -v "Z_${key}_enc" '%s' "$enc"
}

# ---------------------------------------------------------------- setup
ensure_wrk
ensure_venv
PY="$VENV/bin/python"

CSV_REL="$OUT_REL/persons.csv"
PUBLIC_REL=""
if [ "$MODE" = full ]; then
  if [ "$SKIP_BUILD" != 1 ]; then
    log "cargo build --release -p libres"
    timed build cargo build --release -p libres
  fi
  [ -x "$LIBRES" ] || die "$LIBRES not built"

  rm -f "$OUT"/libres.db* "$OUT"/import.db* "$OUT"/persons.csv "$OUT"/public.csv "$OUT"/import-check.csv
  DB="sqlite:$OUT_REL/libres.db"
  log "seed-demo: $PERSONS persons"
  timed seed "$LIBRES" seed-demo --db "$DB" --persons "$PERSONS"
  timed export "$LIBRES" export persons --format csv --out "$CSV_REL" --db "$DB"
  timed export_public "$LIBRES" export persons --format csv --public-only --out "$OUT_REL/public.csv" --db "$DB"
  PUBLIC_REL="$OUT_REL/public.csv"
  N_EXPORTED=$("$PY" "$BENCH_DIR/prep.py" count "$CSV_REL")
  N_PUBLIC=$("$PY" "$BENCH_DIR/prep.py" count "$PUBLIC_REL")
  log "exported $N_EXPORTED persons ($N_PUBLIC public)"
  log "import of $N_EXPORTED persons into a fresh database"
  timed import "$LIBRES" import persons "$CSV_REL" --db "sqlite:$OUT_REL/import.db"
  "$LIBRES" export persons --format csv --out "$OUT_REL/import-check.csv" --db "sqlite:$OUT_REL/import.db" \
    >"$OUT/import-check.log" 2>&1 || die "export of the imported db failed"
  N_IMPORTED=$("$PY" "$BENCH_DIR/prep.py" count "$OUT_REL/import-check.csv")
  log "imported database holds $N_IMPORTED persons"
else
  # Development: Datasette half only, on BENCH_CSV or a fabricated CSV.
  if [ -n "${BENCH_CSV:-}" ]; then
    CSV_REL="$BENCH_CSV"
  elif [ ! -s "$CSV_REL" ]; then
    log "fabricating $PERSONS persons (datasette-only mode)"
    "$PY" "$BENCH_DIR/prep.py" fake --n "$PERSONS" --out "$CSV_REL"
  fi
  N_EXPORTED=$("$PY" "$BENCH_DIR/prep.py" count "$CSV_REL")
fi

log "building the Datasette database (FTS5 on given_names, surname1, surname2)"
timed dsdb "$PY" "$BENCH_DIR/prep.py" dsdb --csv "$CSV_REL" --db "$OUT_REL/datasette.db"
"$PY" "$BENCH_DIR/prep.py" paths --csv "$CSV_REL" ${PUBLIC_REL:+--public "$PUBLIC_REL"} \
  --dsdb "$OUT_REL/datasette.db" --out-dir "$OUT_REL" --lang "$PAGE_LANG" >&2

# ---------------------------------------------------------------- servers
read -r P_LIBRES P_DS < <(free_ports)
LIBRES_URL="http://$HOST:$P_LIBRES"
DS_URL="http://$HOST:$P_DS"

if [ "$MODE" = full ]; then
  "$LIBRES" serve --db "sqlite:$OUT_REL/libres.db" --bind "$HOST:$P_LIBRES" >"$OUT/libres-serve.log" 2>&1 &
  PIDS+=("$!")
  wait_http "$LIBRES_URL/healthz" 180 || { tail -n 20 "$OUT/libres-serve.log" >&2; die "libres serve did not become healthy"; }
  log "libres serving on $LIBRES_URL"
fi

DS_ARGS=(serve -i "$OUT_REL/datasette.db" -h "$HOST" -p "$P_DS" --setting suggest_facets "$DS_FACETS")
[ -n "$DS_PAGE_SIZE" ] && DS_ARGS+=(--setting default_page_size "$DS_PAGE_SIZE")
"$VENV/bin/datasette" "${DS_ARGS[@]}" >"$OUT/datasette-serve.log" 2>&1 &
PIDS+=("$!")
wait_http "$DS_URL/-/versions.json" 60 || { tail -n 20 "$OUT/datasette-serve.log" >&2; die "datasette did not start"; }
log "datasette serving on $DS_URL"

# ---------------------------------------------------------------- load
check_paths datasette-search "$DS_URL" "$OUT/paths_ds_search.txt"
check_paths datasette-person "$DS_URL" "$OUT/paths_ds_person.txt"
if [ "$MODE" = full ]; then
  check_paths libres-search "$LIBRES_URL" "$OUT/paths_libres_search.txt"
  check_paths libres-person "$LIBRES_URL" "$OUT/paths_libres_person.txt"
  run_wrk libres_search "$LIBRES_URL" "$OUT/paths_libres_search.txt"
fi
run_wrk ds_search "$DS_URL" "$OUT/paths_ds_search.txt"
if [ "$MODE" = full ]; then
  run_wrk libres_person "$LIBRES_URL" "$OUT/paths_libres_person.txt"
fi
run_wrk ds_person "$DS_URL" "$OUT/paths_ds_person.txt"

log "page sizes"
if [ "$MODE" = full ]; then
  gzip_sizes libres_person "$LIBRES_URL" "$OUT/paths_libres_person.txt" 25
  gzip_sizes libres_search "$LIBRES_URL" "$OUT/paths_libres_search.txt" 10
  LIBRES_RSS_KB=$(awk '/^VmHWM/ { print $2 }' "/proc/${PIDS[0]}/status" 2>/dev/null || echo "")
fi
gzip_sizes ds_person "$DS_URL" "$OUT/paths_ds_person.txt" 25

cleanup

# ---------------------------------------------------------------- report
verdict() { # value op limit
  awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN { if (v == "n/a") print "n/a";
    else if ((op == ">=" && v + 0 >= l + 0) || (op == "<=" && v + 0 <= l + 0)) print "met";
    else print "NOT met" }'
}
row() { # scenario key_libres key_ds
  local s=$1 l=$2 d=$3 lr lp50 lp99 dr dp50 dp99 rr
  lr=$(get "R_${l}_rps"); lp50=$(get "R_${l}_p50_ms"); lp99=$(get "R_${l}_p99_ms")
  dr=$(get "R_${d}_rps"); dp50=$(get "R_${d}_p50_ms"); dp99=$(get "R_${d}_p99_ms")
  rr=$(ratio "$lr" "$dr")
  printf '| %s | %s | %s | %s | %s | %s | %s | **%s×** (%s) | %s |\n' "$s" "$lr" "$lp50" "$lp99" \
    "$dr" "$dp50" "$dp99" "$rr" "$(verdict "$rr" ">=" 50)" "$(verdict "$lp99" "<=" 20)"
}
errs() { # key
  local k=$1
  printf '%s: %s requests, non-2xx/3xx %s, socket errors connect %s read %s write %s timeout %s' "$k" \
    "$(get "R_${k}_requests")" "$(get "R_${k}_non2xx3xx")" "$(get "R_${k}_connect")" \
    "$(get "R_${k}_read")" "$(get "R_${k}_write")" "$(get "R_${k}_timeout")"
}

RESULTS="$OUT/results.md"
{
  echo "# Libres benchmark results"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$( [ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null | head -n 1)" ] && echo ' (dirty tree)')"
  echo "- Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "- Mode: $MODE. Peer: Datasette $("$VENV/bin/datasette" --version | awk '{ print $NF }') (Python $("$PY" -c 'import sys, sqlite3; print(sys.version.split()[0] + ", SQLite " + sqlite3.sqlite_version)')), served with \`${DS_ARGS[*]}\`"
  echo "- Load: $(wrk --version 2>&1 | head -n 1 | awk '{ print $1, $2 }'), $THREADS threads, $CONNS connections, ${DURATION} s measured after ${WARMUP} s warm-up, same for both; Accept-Encoding: gzip $( [ "$GZIP" = 1 ] && echo sent || echo 'not sent'); load generator and server share the 2 cores"
  echo
  echo "## Data and import"
  echo
  if [ "$MODE" = full ]; then
    echo "| step | seconds | peak RSS MiB |"
    echo "|---|---:|---:|"
    [ -n "${T_build:-}" ] && echo "| cargo build --release -p libres | $T_build | $RSS_build |"
    echo "| seed-demo --persons $PERSONS | $T_seed | $RSS_seed |"
    echo "| export persons csv ($N_EXPORTED rows) | $T_export | $RSS_export |"
    echo "| export persons csv --public-only ($N_PUBLIC rows) | $T_export_public | $RSS_export_public |"
    echo "| **import persons of $N_EXPORTED rows (fresh db)** | **$T_import** | $RSS_import |"
    echo "| Datasette db build (Python sqlite3, FTS5) | $T_dsdb | $RSS_dsdb |"
    echo
    echo "Import check: the imported database exports $N_IMPORTED persons (expected $N_EXPORTED)."
    echo "Import rate: $(awk -v n="$N_EXPORTED" -v t="$T_import" 'BEGIN { if (t > 0) printf "%.0f", n / t; else print "n/a" }') persons/s."
  else
    echo "Datasette half only, on $CSV_REL ($N_EXPORTED rows); db built in $T_dsdb s."
  fi
  echo
  echo "## Public pages: Libres vs Datasette"
  echo
  echo "| scenario | Libres req/s | p50 ms | p99 ms | Datasette req/s | p50 ms | p99 ms | Libres/Datasette (target ≥ 50×) | Libres p99 ≤ 20 ms |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
  row "search" libres_search ds_search
  row "person page" libres_person ds_person
  echo
  echo "- search: Libres \`/$PAGE_LANG/persons?q=…\` vs Datasette's HTML table page \`/datasette/persons?_search=…\` (FTS5; its closest equivalent to our HTML list), $(wc -l <"$OUT/queries.txt") queries from published rows (surnames, given names, \"given surname\") in rotation."
  echo "- person page: Libres \`/$PAGE_LANG/persons/{id}\` vs Datasette's HTML row page \`/datasette/persons/{rowid}\`, $(wc -l <"$OUT/paths_ds_person.txt") published persons in rotation (the same persons on both)."
  echo "- Errors: $(errs libres_search); $(errs ds_search); $(errs libres_person); $(errs ds_person)."
  [ -n "$BAD_STATUS" ] && echo "- Sample URLs that did not answer 200: $BAD_STATUS"
  echo
  echo "## Page weight (bytes on the wire with Accept-Encoding: gzip; target ≤ 20 KB)"
  echo
  echo "| page | sampled | encoding | median | max | max uncompressed |"
  echo "|---|---:|---|---:|---:|---:|"
  for k in libres_person libres_search ds_person; do
    zn="Z_${k}_n"; [ -n "${!zn:-}" ] || continue
    echo "| $k | $(get "Z_${k}_n") | $(get "Z_${k}_enc") | $(get "Z_${k}_median") | $(get "Z_${k}_max") | $(get "Z_${k}_raw_max") |"
  done
  if [ -n "${LIBRES_RSS_KB:-}" ]; then
    echo
    echo "Libres server peak RSS during the run: $((LIBRES_RSS_KB / 1024)) MiB."
  fi
} >"$RESULTS"

cat "$RESULTS"
log "written $RESULTS (raw wrk output in $OUT_REL/wrk_*.txt)"
