#!/usr/bin/env bash
# Libres benchmark: 100,000-person import on SQLite and on PostgreSQL, and the
# public pages of Libres on SQLite and on PostgreSQL, page cache on (its
# default) and off, side by side with Datasette on the same data, in one
# table.  Optionally (BENCH_SCALE=1) a 1,000,000-person import, export and
# copy to PostgreSQL, with their peak memory.  Prints figures; it is not a
# test.  See bench/README.md.  All traffic goes to 127.0.0.1 only.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
cd "$ROOT"

PERSONS="${BENCH_PERSONS:-100000}"
DURATION="${BENCH_DURATION:-12}"        # seconds per measured wrk run
WARMUP="${BENCH_WARMUP:-3}"             # seconds of unmeasured warm-up per run
THREADS="${BENCH_THREADS:-2}"           # wrk threads
CONNS="${BENCH_CONNECTIONS:-8}"         # wrk connections (same for every server)
PAGE_LANG="${BENCH_LANG:-es}"
GZIP="${BENCH_GZIP:-1}"                 # 1: load requests send Accept-Encoding: gzip
DS_PAGE_SIZE="${BENCH_DS_PAGE_SIZE:-50}" # Datasette default_page_size: 50 rows, as Libres's list (PER_PAGE)
DS_FACETS="${BENCH_DS_SUGGEST_FACETS:-off}"  # off: skip Datasette's facet suggestions (its best case)
MODE="${BENCH_MODE:-full}"              # full | datasette-only (development)
STEP_TIMEOUT="${BENCH_STEP_TIMEOUT:-1800}"
SKIP_BUILD="${BENCH_SKIP_BUILD:-0}"
SCALE="${BENCH_SCALE:-0}"               # 1: also the 1,000,000-person import, export and copy
SCALE_PERSONS="${BENCH_SCALE_PERSONS:-1000000}"
SCALE_KEEP="${BENCH_SCALE_KEEP:-0}"     # 1: keep the large databases and CSV
RERUN="${BENCH_RERUN:-}"                # e.g. "pg_nocache:longtail datasette:*": rerun only these, reuse the rest
OTHER_CPU_WARN="${BENCH_OTHER_CPU_WARN:-0.25}"  # cores used by other processes that flag a run
MAX_RSS_MB="${BENCH_MAX_RSS_MB:-4096}"  # a step whose process passes this is killed (shared machine); 0: no cap
PG="${BENCH_PG:-postgres://postgres@127.0.0.1:5432}"  # PostgreSQL server (trust auth); none: SQLite only
PG_NAME="${BENCH_PG_DB:-libres_bench}"  # databases libres_bench, _import, _scale: created, then dropped
PG_LOAD="${BENCH_PG_LOAD:-seed}"        # seed (seed-demo, the faster today) | copy (libres copy from the SQLite db)

OUT_REL="bench/out"
OUT="$ROOT/$OUT_REL"
VENV="$BENCH_DIR/.venv"
BUILT="$ROOT/target/release/libres"
LIBRES="$OUT/libres"                    # a copy, so a rebuild by someone else cannot change it mid-run
HOST=127.0.0.1
CONFIGS=(sqlite_cache sqlite_nocache pg_cache pg_nocache datasette)
SCENARIOS=(search popular longtail)
[ "$PG" = none ] && CONFIGS=(sqlite_cache sqlite_nocache datasette)
PG_URL="$PG/$PG_NAME"
# The PostgreSQL processes that work for the benchmark: the backends and
# autovacuum workers of its databases (their process titles name the
# database) and the server's own writers (busy during its bulk loads).  The
# CPU accounting counts them apart (db), not as other processes.
PG_MARK="^postgres: .*(${PG_NAME}|checkpointer|background writer|walwriter)"
# A timed step's own backends end with it, before its second snapshot: their
# time is then in the reaped-children time of the postmaster, which is
# counted as PostgreSQL too (with that of any other client's backends that
# ended meanwhile: /proc cannot tell them apart).
PG_MARK_STEP="${PG_MARK}|^\S*postgres -D "

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
stop_server() { # PID: stop it and forget it
  local pid=$1 p rest=()
  stop_pid "$pid"
  for p in "${PIDS[@]}"; do [ "$p" = "$pid" ] || rest+=("$p"); done
  PIDS=(${rest[@]+"${rest[@]}"})
}
PG_DBS=()                               # databases this run created, dropped on exit
cleanup() {
  local pid db
  for pid in ${PIDS[@]+"${PIDS[@]}"}; do stop_pid "$pid"; done
  PIDS=()
  for db in ${PG_DBS[@]+"${PG_DBS[@]}"}; do pg_drop "$db"; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- helpers
# timed_soft NAME CMD... : runs CMD (bounded), logs to $OUT/NAME.log, writes
# $OUT/time_NAME.txt and sets T_NAME (wall seconds) and RSS_NAME (peak
# resident MiB).  Returns 1 if CMD fails, 2 if it was killed for passing
# BENCH_MAX_RSS_MB (then T_ and RSS_ are those until the kill, and K_NAME
# says so).  timed: the same, fatal on failure.  $OUT/cpu_step_NAME.txt
# gets the CPU of other processes meanwhile (see run_wrk).
timed_soft() {
  local name=$1; shift
  local tf="$OUT/time_$name.txt" cap="$OUT/cap_$name.txt" t0 rc=0 tpid wpid=""
  rm -f "$cap"
  cpusnap "$OUT/.cpu0" "$PG_MARK_STEP"; t0=$(now)
  /usr/bin/time -f '%e %M' -o "$tf" timeout "$STEP_TIMEOUT" "$@" >"$OUT/$name.log" 2>&1 &
  tpid=$!
  if [ "$name" != build ] && (( MAX_RSS_MB > 0 )); then
    "$PY" "$BENCH_DIR/prep.py" rsscap --pid "$tpid" --cap-mb "$MAX_RSS_MB" --flag "$cap" &
    wpid=$!
  fi
  wait "$tpid" || rc=$?
  if [ -n "$wpid" ]; then kill "$wpid" 2>/dev/null || true; wait "$wpid" 2>/dev/null || true; fi
  if (( rc != 0 )) && [ ! -s "$cap" ]; then
    log "step '$name' failed: $*"
    tail -n 30 "$OUT/$name.log" >&2 || true
    rm -f "$tf" "$OUT/.cpu0"
    return 1
  fi
  cpusnap "$OUT/.cpu1" "$PG_MARK_STEP"
  "$PY" "$BENCH_DIR/prep.py" cpuother "$OUT/.cpu0" "$OUT/.cpu1" --exclude "$$" \
    --wall "$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')" >"$OUT/cpu_step_$name.txt"
  rm -f "$OUT/.cpu0" "$OUT/.cpu1"
  load_timed "$name"
  local t="T_$name" r="RSS_$name" o="O_$name"
  if [ -s "$cap" ]; then
    log "step '$name' $(cat "$cap") after ${!t} s: $*"
    return 2
  fi
  log "$name: ${!t} s, peak RSS ${!r} MiB (other processes: ${!o} cores)"
  if awk -v o="${!o%% *}" -v l="$OTHER_CPU_WARN" 'BEGIN { exit !(o > l) }'; then
    log "  WARNING: other processes used ${!o%% *} cores during $name"
  fi
}
timed() { timed_soft "$@" || exit 1; }
# load_timed NAME : T_NAME and RSS_NAME from $OUT/time_NAME.txt, O_NAME
# (other processes, cores, with ⚠ above the limit) and D_NAME (PostgreSQL's
# work for the benchmark, cores) from cpu_step_NAME.txt.
load_timed() {
  local name=$1 tf="$OUT/time_$1.txt" secs kb o
  [ -s "$tf" ] || return 0
  read -r secs kb < <(tail -n 1 "$tf")
  printf -v "T_$name" '%s' "$secs"
  printf -v "RSS_$name" '%s' "$((kb / 1024))"
  o=$(sed -n 's/^other=\([0-9.]*\).*/\1/p' "$OUT/cpu_step_$name.txt" 2>/dev/null)
  if [ -n "$o" ] && awk -v o="$o" -v l="$OTHER_CPU_WARN" 'BEGIN { exit !(o > l) }'; then o="$o ⚠"; fi
  printf -v "O_$name" '%s' "${o:-n/a}"
  o=$(sed -n 's/.* db=\([0-9.]*\).*/\1/p' "$OUT/cpu_step_$name.txt" 2>/dev/null)
  printf -v "D_$name" '%s' "${o:-n/a}"
  if [ -s "$OUT/cap_$name.txt" ]; then printf -v "K_$name" '%s' "$(cat "$OUT/cap_$name.txt")"; fi
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

free_ports() { # N
  python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
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

# wanted CONFIG SCENARIO : whether this run measures it (all, unless
# BENCH_RERUN names CONFIG:SCENARIO patterns).
wanted() {
  local pat pats
  [ -z "$RERUN" ] && return 0
  read -ra pats <<<"$RERUN"   # no pathname expansion of the patterns
  for pat in "${pats[@]}"; do
    # shellcheck disable=SC2053  # the pattern is meant to glob
    [[ "$1:$2" == $pat ]] && return 0
  done
  return 1
}
config_wanted() { local s; for s in "${SCENARIOS[@]}"; do wanted "$1" "$s" && return 0; done; return 1; }

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

# CPU accounting, to tell a figure disturbed by some other process on the
# machine (a compilation, say): the CPU time, in cores, of every user-space
# process other than this script (wrk and its wrappers are its children), the
# server and the snapshots themselves (prep.py cpusnap/cpuother).  Kernel
# threads are not counted: they carry the loopback traffic of the benchmark.
CLK_TCK=$(getconf CLK_TCK)
cpusnap() { "$PY" "$BENCH_DIR/prep.py" cpusnap "$1" --mark "${2:-$PG_MARK}"; }
proc_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
now() { date +%s.%N; }

# PostgreSQL: a fresh database for the run, dropped afterwards (and on exit).
psql_admin() { PGOPTIONS='-c client_min_messages=warning' timeout 120 psql -qAtX -v ON_ERROR_STOP=1 -d "$PG/postgres" "$@"; }
pg_create() { # NAME : drop it if a past run left it, create it empty
  PG_DBS+=("$1")
  psql_admin -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" -c "CREATE DATABASE \"$1\"" >/dev/null \
    || { log "could not create the PostgreSQL database $1 on $PG (BENCH_PG=none leaves PostgreSQL out)"; return 1; }
}
pg_drop() { # NAME
  local d rest=()
  psql_admin -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null 2>&1 \
    || log "WARNING: could not drop the PostgreSQL database $1"
  for d in ${PG_DBS[@]+"${PG_DBS[@]}"}; do [ "$d" = "$1" ] || rest+=("$d"); done
  PG_DBS=(${rest[@]+"${rest[@]}"})
}
pg_persons() { # NAME : persons in that database
  psql -qAtX -d "$PG/$1" -c "SELECT count(*) FROM persons" 2>/dev/null || echo '?'
}
# pg_load STEP : fill $PG_NAME (fresh) with the registry of libres.db, by
# BENCH_PG_LOAD: `copy` from the SQLite database, or `seed-demo` (the same
# persons: the demo generator has a fixed seed).  Timed as STEP.
pg_load() {
  pg_create "$PG_NAME" || exit 1
  case $PG_LOAD in
    copy) timed "$1" "$LIBRES" copy --from "$DB" --to "$PG_URL" ;;
    seed) timed "$1" "$LIBRES" seed-demo --db "$PG_URL" --persons "$PERSONS" ;;
    *) die "BENCH_PG_LOAD must be copy or seed, not $PG_LOAD" ;;
  esac
  # Autovacuum would vacuum the freshly written tables within the next
  # minutes, in the middle of some load run; done now, it has nothing left.
  log "VACUUM (ANALYZE) on $PG_NAME (not timed)"
  timeout "$STEP_TIMEOUT" psql -qAtX -v ON_ERROR_STOP=1 -d "$PG_URL" -c "VACUUM (ANALYZE)" >/dev/null \
    || die "VACUUM on $PG_NAME failed"
}

# run_wrk KEY BASEURL PATHSFILE SERVER_PID [other-encoding-warmup] :
# warm-up, then a measured run.  Writes $OUT/wrk_KEY.txt (with wrk's RESULT
# line) and $OUT/cpu_KEY.txt.  With the 5th argument the warm-up asks for
# the other encoding (gzip or not) than the measured run: the page cache
# keys on it, so the warm-up renders the same pages without leaving a single
# entry that the measured run could hit.
run_wrk() {
  local key=$1 base=$2 file=$3 spid=$4 flip=${5:-} enc="" wenc line
  [ "$GZIP" = 1 ] && enc=gzip
  wenc=$enc
  if [ -n "$flip" ]; then if [ -n "$enc" ]; then wenc=""; else wenc=gzip; fi; fi
  if (( WARMUP > 0 )); then
    timeout $((WARMUP + 30)) wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" --timeout 10s \
      -s "$BENCH_DIR/rotate.lua" "$base" -- "$file" $wenc "threads=$THREADS" \
      >"$OUT/wrk_${key}_warmup.txt" 2>&1 || true
  fi
  log "wrk $key: ${DURATION}s, $THREADS threads, $CONNS connections, $(wc -l <"$file") paths"
  local s0 t0 s1 t1 wu ws wall
  cpusnap "$OUT/.cpu0"; s0=$(proc_ticks "$spid"); t0=$(now)
  /usr/bin/time -f '%U %S' -o "$OUT/wrkcpu_${key}.txt" \
    timeout $((DURATION + 60)) wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 10s --latency \
    -s "$BENCH_DIR/rotate.lua" "$base" -- "$file" $enc "threads=$THREADS" >"$OUT/wrk_${key}.txt" 2>&1 \
    || die "wrk $key failed: $(tail -n 5 "$OUT/wrk_${key}.txt")"
  s1=$(proc_ticks "$spid"); t1=$(now); cpusnap "$OUT/.cpu1"
  read -r wu ws < <(tail -n 1 "$OUT/wrkcpu_${key}.txt")
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  {
    awk -v s="$((s1 - s0))" -v u="$wu" -v sy="$ws" -v wall="$wall" -v hz="$CLK_TCK" \
      'BEGIN { printf "wall=%.2f server=%.2f wrk=%.2f ", wall, s / hz / wall, (u + sy) / wall }'
    "$PY" "$BENCH_DIR/prep.py" cpuother "$OUT/.cpu0" "$OUT/.cpu1" --wall "$wall" --exclude "$$" "$spid"
  } >"$OUT/cpu_${key}.txt"
  rm -f "$OUT/.cpu0" "$OUT/.cpu1"
  grep -q '^RESULT ' "$OUT/wrk_${key}.txt" || die "no RESULT from wrk $key"
  load_result "$key"
  local rps="R_${key}_rps" p50="R_${key}_p50_ms" p99="R_${key}_p99_ms" oth="C_${key}_other" srv="C_${key}_server"
  local top="C_${key}_other_top" db="C_${key}_db"
  log "  $key: ${!rps} req/s, p50 ${!p50} ms, p99 ${!p99} ms (CPU: server ${!srv}, PostgreSQL ${!db}, other processes ${!oth} cores: ${!top})"
  if awk -v o="${!oth}" -v l="$OTHER_CPU_WARN" 'BEGIN { exit !(o > l) }'; then
    log "  WARNING: other processes used ${!oth} cores during $key; rerun it with BENCH_RERUN"
  fi
}

# load_result KEY : R_KEY_* from the RESULT line of $OUT/wrk_KEY.txt, C_KEY_*
# from $OUT/cpu_KEY.txt, M_KEY (when it was measured).
load_result() {
  local key=$1 f="$OUT/wrk_$1.txt" line kv
  [ -s "$f" ] || return 0
  line=$(grep '^RESULT ' "$f" | tail -n 1) || return 0
  for kv in ${line#RESULT }; do printf -v "R_${key}_${kv%%=*}" '%s' "${kv#*=}"; done
  if [ -s "$OUT/cpu_$key.txt" ]; then
    for kv in $(cat "$OUT/cpu_$key.txt"); do printf -v "C_${key}_${kv%%=*}" '%s' "${kv#*=}"; done
  fi
  printf -v "M_${key}" '%s' "$(date -u -r "$f" +%H:%M:%S)"
}

# get VAR_NAME [default] : indirect read with default "n/a".
get() { local n=$1; printf '%s' "${!n:-${2:-n/a}}"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || b + 0 == 0) print "n/a"; else printf "%.1f", a / b }'; }

# gzip_sizes KEY BASEURL PATHSFILE N : fetch N pages with Accept-Encoding: gzip;
# appends Z_KEY_n/median/max (bytes on the wire), Z_KEY_raw_max and Z_KEY_enc
# to $OUT/weights.env.
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
  {
    echo "Z_${key}_n=${#sizes[@]}"
    echo "Z_${key}_median=$(sed -n "$(( (${#sizes[@]} + 1) / 2 ))p" <<<"$sorted")"
    echo "Z_${key}_max=$(tail -n 1 <<<"$sorted")"
    echo "Z_${key}_raw_max=$(printf '%s\n' "${raws[@]}" | sort -n | tail -n 1)"
    echo "Z_${key}_enc=$enc"
  } >>"$OUT/weights.env"
}

# ---------------------------------------------------------------- setup
ensure_wrk
ensure_venv
PY="$VENV/bin/python"

CSV_REL="$OUT_REL/persons.csv"
PUBLIC_REL=""
DB="sqlite:$OUT_REL/libres.db"
if [ "$MODE" = full ]; then
  if [ -z "$RERUN" ]; then
    # A full run: forget every figure of earlier runs.
    rm -f "$OUT"/libres.db* "$OUT"/import.db* "$OUT"/scale*.db* "$OUT"/scale.csv \
      "$OUT"/persons.csv "$OUT"/public.csv "$OUT"/import-check.csv \
      "$OUT"/pg-check.csv "$OUT"/cap_*.txt \
      "$OUT"/wrk_*.txt "$OUT"/wrkcpu_*.txt "$OUT"/cpu_*.txt "$OUT"/rss_*.txt "$OUT"/time_*.txt \
      "$OUT"/*.env "$OUT"/*.log "$OUT"/results.md
    if [ "$SKIP_BUILD" != 1 ]; then
      log "cargo build --release -p libres"
      timed build cargo build --release -p libres
    fi
    [ -x "$BUILT" ] || die "$BUILT not built"
    cp -f "$BUILT" "$LIBRES"
    # BIN_DIRTY: files outside bench/ that differ from the commit (read-only git).
    printf 'BIN_COMMIT=%q\nBIN_DIRTY=%q\nBIN_SHA=%q\nBIN_DATE=%q\n' \
      "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')" \
      "$(git -C "$ROOT" status --porcelain 2>/dev/null | awk '$2 !~ /^bench\// { n++ } END { print n + 0 }')" \
      "$(sha256sum "$LIBRES" | cut -c1-12)" "$(date -u '+%Y-%m-%d %H:%M UTC')" >"$OUT/bin.env"

    log "seed-demo: $PERSONS persons"
    timed seed "$LIBRES" seed-demo --db "$DB" --persons "$PERSONS"
    timed export "$LIBRES" export persons --format csv --out "$CSV_REL" --db "$DB"
    timed export_public "$LIBRES" export persons --format csv --public-only --out "$OUT_REL/public.csv" --db "$DB"
    PUBLIC_REL="$OUT_REL/public.csv"
    N_EXPORTED=$("$PY" "$BENCH_DIR/prep.py" count "$CSV_REL")
    N_PUBLIC=$("$PY" "$BENCH_DIR/prep.py" count "$PUBLIC_REL")
    log "exported $N_EXPORTED persons ($N_PUBLIC public)"
    log "import of $N_EXPORTED persons into a fresh SQLite database"
    timed import "$LIBRES" import persons "$CSV_REL" --db "sqlite:$OUT_REL/import.db"
    "$LIBRES" export persons --format csv --out "$OUT_REL/import-check.csv" --db "sqlite:$OUT_REL/import.db" \
      >"$OUT/import-check.log" 2>&1 || die "export of the imported db failed"
    N_IMPORTED=$("$PY" "$BENCH_DIR/prep.py" count "$OUT_REL/import-check.csv")
    rm -f "$OUT"/import.db* "$OUT/import-check.csv"
    log "imported database held $N_IMPORTED persons"
    N_PG="" N_IMPORTED_PG="" PG_SAME=""
    if [ "$PG" != none ]; then
      log "PostgreSQL: the same registry into a fresh $PG_NAME (BENCH_PG_LOAD=$PG_LOAD)"
      pg_load pg_load
      N_PG=$(pg_persons "$PG_NAME")
      # The pages are compared on the same registry: its export must be
      # byte for byte the SQLite one.
      PG_SAME=no
      "$LIBRES" export persons --format csv --out "$OUT_REL/pg-check.csv" --db "$PG_URL" >"$OUT/pg-check.log" 2>&1 \
        && cmp -s "$OUT_REL/pg-check.csv" "$CSV_REL" && PG_SAME=yes
      rm -f "$OUT/pg-check.csv"
      [ "$PG_SAME" = yes ] || log "WARNING: the PostgreSQL registry does not export as the SQLite one does"
      log "import of $N_EXPORTED persons into a fresh PostgreSQL database"
      pg_create "${PG_NAME}_import" || exit 1
      timed import_pg "$LIBRES" import persons "$CSV_REL" --db "$PG/${PG_NAME}_import"
      N_IMPORTED_PG=$(pg_persons "${PG_NAME}_import")
      pg_drop "${PG_NAME}_import"
      log "imported PostgreSQL database held $N_IMPORTED_PG persons; $PG_NAME holds $N_PG"
    fi
    printf 'N_EXPORTED=%s\nN_PUBLIC=%s\nN_IMPORTED=%s\nN_PG=%s\nN_IMPORTED_PG=%s\nPG_SAME=%s\nPG_LOADED_BY=%s\n' \
      "$N_EXPORTED" "$N_PUBLIC" "$N_IMPORTED" "$N_PG" "$N_IMPORTED_PG" "$PG_SAME" "$PG_LOAD" >"$OUT/data.env"
    printf '\nimport of %s persons into a fresh db: SQLite %s s (peak RSS %s MiB), PostgreSQL %s s (peak RSS %s MiB).\n\n' \
      "$N_EXPORTED" "$T_import" "$RSS_import" "${T_import_pg:-n/a}" "${RSS_import_pg:-n/a}"

    log "building the Datasette database (FTS5 on given_names, surname1, surname2)"
    timed dsdb "$PY" "$BENCH_DIR/prep.py" dsdb --csv "$CSV_REL" --db "$OUT_REL/datasette.db"
    "$PY" "$BENCH_DIR/prep.py" paths --csv "$CSV_REL" --public "$PUBLIC_REL" \
      --dsdb "$OUT_REL/datasette.db" --out-dir "$OUT_REL" --lang "$PAGE_LANG" >&2
  else
    # A partial rerun on the data, binary and paths of the last full run.
    for f in libres libres.db datasette.db bin.env data.env paths_libres_person_longtail.txt; do
      [ -e "$OUT/$f" ] || die "BENCH_RERUN needs a complete earlier full run ($OUT_REL/$f is missing)"
    done
    if [ "$PG" != none ] && { config_wanted pg_cache || config_wanted pg_nocache; }; then
      # The run's PostgreSQL database was dropped at its end: load it again,
      # with as many persons as the full run had (not a figure of the report).
      # shellcheck disable=SC1091
      . "$OUT/data.env"
      PERSONS=$N_EXPORTED
      log "PostgreSQL: loading $PG_NAME again for the rerun"
      pg_load pg_reload
    fi
    log "rerun of: $RERUN (data, binary and other figures from the last full run)"
  fi
else
  # Development: Datasette half only, on BENCH_CSV or a fabricated CSV.
  CONFIGS=(datasette)
  PG=none
  if [ -n "${BENCH_CSV:-}" ]; then
    CSV_REL="$BENCH_CSV"
  elif [ ! -s "$CSV_REL" ]; then
    log "fabricating $PERSONS persons (datasette-only mode)"
    "$PY" "$BENCH_DIR/prep.py" fake --n "$PERSONS" --out "$CSV_REL"
  fi
  rm -f "$OUT"/wrk_*.txt "$OUT"/cpu_*.txt "$OUT"/weights.env "$OUT"/data.env "$OUT"/bin.env
  N_EXPORTED=$("$PY" "$BENCH_DIR/prep.py" count "$CSV_REL")
  timed dsdb "$PY" "$BENCH_DIR/prep.py" dsdb --csv "$CSV_REL" --db "$OUT_REL/datasette.db"
  "$PY" "$BENCH_DIR/prep.py" paths --csv "$CSV_REL" \
    --dsdb "$OUT_REL/datasette.db" --out-dir "$OUT_REL" --lang "$PAGE_LANG" >&2
fi
# shellcheck disable=SC1091
[ -s "$OUT/data.env" ] && . "$OUT/data.env"
# shellcheck disable=SC1091
[ -s "$OUT/bin.env" ] && . "$OUT/bin.env"
N_TAIL=$(wc -l <"$OUT/paths_ds_person_longtail.txt")
N_POPULAR=$(wc -l <"$OUT/paths_ds_person.txt")
N_QUERIES=$(wc -l <"$OUT/queries.txt")

# ---------------------------------------------------------------- load
# Paths of each scenario, for Libres (libres) and Datasette (ds).
paths_file() { # libres|ds SCENARIO
  case $2 in
    search) echo "$OUT/paths_$1_search.txt" ;;
    popular) echo "$OUT/paths_$1_person.txt" ;;
    longtail) echo "$OUT/paths_$1_person_longtail.txt" ;;
  esac
}

# run_config CONFIG BASEURL SERVER_PID : the wanted scenarios on one server.
# Order: search, then the long tail (on a cache that holds no person page
# yet), then the popular pages.
run_config() {
  local cfg=$1 base=$2 spid=$3 side=libres s
  [ "$cfg" = datasette ] && side=ds
  check_paths "$cfg-search" "$base" "$(paths_file $side search)"
  check_paths "$cfg-person" "$base" "$(paths_file $side popular)"
  for s in search longtail popular; do
    wanted "$cfg" "$s" || continue
    if [ "$s" = longtail ]; then
      run_wrk "${cfg}_$s" "$base" "$(paths_file $side "$s")" "$spid" other-encoding-warmup
    else
      run_wrk "${cfg}_$s" "$base" "$(paths_file $side "$s")" "$spid"
    fi
  done
}

read -ra PORTS < <(free_ports "${#CONFIGS[@]}")
i=0
for cfg in "${CONFIGS[@]}"; do
  port=${PORTS[$i]}; i=$((i + 1))
  config_wanted "$cfg" || continue
  url="http://$HOST:$port"
  case $cfg in
    sqlite_*|pg_*)
      db=$DB; extra=()
      case $cfg in pg_*) db=$PG_URL ;; esac
      case $cfg in *_nocache) extra=(--page-cache-mb 0) ;; esac
      # The default configuration is the default: no LIBRES_PAGE_CACHE_MB from
      # the caller's environment.
      env -u LIBRES_PAGE_CACHE_MB "$LIBRES" serve --db "$db" --bind "$HOST:$port" ${extra[@]+"${extra[@]}"} \
        >"$OUT/libres-serve-$cfg.log" 2>&1 &
      spid=$!; PIDS+=("$spid")
      wait_http "$url/healthz" 180 || { tail -n 20 "$OUT/libres-serve-$cfg.log" >&2; die "libres serve ($cfg) did not become healthy"; }
      log "libres ($cfg: ${extra[*]:-default page cache}) serving on $url"
      run_config "$cfg" "$url" "$spid"
      if [ "$cfg" = sqlite_cache ] && [ -z "$RERUN" ]; then
        log "page sizes"
        rm -f "$OUT/weights.env"
        gzip_sizes libres_person "$url" "$(paths_file libres popular)" 25
        gzip_sizes libres_search "$url" "$(paths_file libres search)" 10
      fi
      awk '/^VmHWM/ { print $2 }' "/proc/$spid/status" >"$OUT/rss_$cfg.txt" 2>/dev/null || true
      stop_server "$spid"
      ;;
    datasette)
      DS_ARGS=(serve -i "$OUT_REL/datasette.db" -h "$HOST" -p "$port" --setting suggest_facets "$DS_FACETS")
      [ -n "$DS_PAGE_SIZE" ] && DS_ARGS+=(--setting default_page_size "$DS_PAGE_SIZE")
      "$VENV/bin/datasette" "${DS_ARGS[@]}" >"$OUT/datasette-serve.log" 2>&1 &
      spid=$!; PIDS+=("$spid")
      wait_http "$url/-/versions.json" 60 || { tail -n 20 "$OUT/datasette-serve.log" >&2; die "datasette did not start"; }
      log "datasette serving on $url"
      run_config datasette "$url" "$spid"
      if [ -z "$RERUN" ]; then gzip_sizes ds_person "$url" "$(paths_file ds popular)" 25; fi
      stop_server "$spid"
      ;;
  esac
done
cleanup   # stops the servers and drops the PostgreSQL database of the pages
DS_ARGS=(serve -i "$OUT_REL/datasette.db" -h "$HOST" -p PORT --setting suggest_facets "$DS_FACETS")
[ -n "$DS_PAGE_SIZE" ] && DS_ARGS+=(--setting default_page_size "$DS_PAGE_SIZE")

# ---------------------------------------------------------------- 1M registry
# Optional: seed SCALE_PERSONS persons, export them as CSV, copy the seeded
# registry to a fresh PostgreSQL database, and import the CSV into a fresh
# SQLite database; each step timed with its peak RSS (target: 500 MiB).  Not
# fatal: a failed step is reported, and the page figures above are kept.
if [ "$MODE" = full ] && [ "$SCALE" = 1 ]; then
  rm -f "$OUT"/scale*.db* "$OUT/scale.csv" "$OUT/scale.env" "$OUT"/time_scale_*.txt "$OUT"/cpu_step_scale_*.txt \
    "$OUT"/cap_scale_*.txt
  SDB="sqlite:$OUT_REL/scale.db"
  status=ok copy_status=ok
  log "scale: seed-demo $SCALE_PERSONS persons (about a minute per million)"
  if timed_soft scale_seed "$LIBRES" seed-demo --db "$SDB" --persons "$SCALE_PERSONS" \
    && timed_soft scale_export "$LIBRES" export persons --format csv --out "$OUT_REL/scale.csv" --db "$SDB"; then
    N_SCALE=$("$PY" "$BENCH_DIR/prep.py" count "$OUT_REL/scale.csv")
    if [ "$PG" != none ]; then
      log "scale: copy of the $N_SCALE-person registry to a fresh PostgreSQL database"
      if ! pg_create "${PG_NAME}_scale"; then
        copy_status="not run: the database could not be created"
      elif timed_soft scale_copy "$LIBRES" copy --from "$SDB" --to "$PG/${PG_NAME}_scale"; then
        N_SCALE_COPIED=$(pg_persons "${PG_NAME}_scale")
        log "scale: the PostgreSQL copy holds $N_SCALE_COPIED persons"
      elif [ -s "$OUT/cap_scale_copy.txt" ]; then
        copy_status="$(cat "$OUT/cap_scale_copy.txt")"
      else
        copy_status="failed (see $OUT_REL/scale_copy.log)"
      fi
      pg_drop "${PG_NAME}_scale"
    fi
    rm -f "$OUT"/scale.db*   # only the CSV is needed from here on
    log "scale: import of $N_SCALE persons into a fresh SQLite database"
    if timed_soft scale_import "$LIBRES" import persons "$OUT_REL/scale.csv" --db "sqlite:$OUT_REL/scale-import.db"; then
      N_SCALE_IMPORTED=$("$PY" -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM persons").fetchone()[0])' \
        "$OUT/scale-import.db" 2>/dev/null || echo '?')
      log "scale: imported database holds $N_SCALE_IMPORTED persons"
    elif [ -s "$OUT/cap_scale_import.txt" ]; then
      status="$(cat "$OUT/cap_scale_import.txt")"
    else
      status="failed (see $OUT_REL/scale_import.log)"
    fi
  else
    status="not run: seed or export failed (see $OUT_REL/scale_seed.log, scale_export.log)"
    copy_status="not run"
  fi
  [ "$PG" = none ] && copy_status="not run (BENCH_PG=none)"
  printf 'SCALE_STATUS=%q\nSCALE_COPY_STATUS=%q\nN_SCALE=%s\nN_SCALE_IMPORTED=%s\nN_SCALE_COPIED=%s\n' \
    "$status" "$copy_status" "${N_SCALE:-?}" "${N_SCALE_IMPORTED:-?}" "${N_SCALE_COPIED:-?}" >"$OUT/scale.env"
  if [ "$SCALE_KEEP" != 1 ]; then rm -f "$OUT"/scale*.db* "$OUT/scale.csv"; fi
fi

# ---------------------------------------------------------------- report
for n in build seed pg_load export export_public import import_pg dsdb \
  scale_seed scale_export scale_copy scale_import; do load_timed "$n"; done
for f in weights.env scale.env; do
  # shellcheck disable=SC1090
  [ -s "$OUT/$f" ] && . "$OUT/$f"
done
for cfg in "${CONFIGS[@]}"; do
  for s in "${SCENARIOS[@]}"; do load_result "${cfg}_$s"; done
done
DS_VERSION=$("$VENV/bin/datasette" --version | awk '{ print $NF }')

verdict() { # value op limit
  awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN { if (v == "n/a") print "n/a";
    else if ((op == ">=" && v + 0 >= l + 0) || (op == "<=" && v + 0 <= l + 0)) print "met";
    else print "NOT met" }'
}
label() {
  case $1 in
    sqlite_cache) echo "Libres · SQLite · cache on (default, 64 MiB)" ;;
    sqlite_nocache) echo "Libres · SQLite · cache off" ;;
    pg_cache) echo "Libres · PostgreSQL · cache on (default, 64 MiB)" ;;
    pg_nocache) echo "Libres · PostgreSQL · cache off" ;;
    datasette) echo "Datasette $DS_VERSION" ;;
  esac
}
thousands() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$1"; }
scenario_label() {
  case $1 in
    search) echo "search ($N_QUERIES rotating queries)" ;;
    popular) echo "case pages, popular ($(thousands "$N_POPULAR") ids)" ;;
    longtail) echo "case pages, long tail (all $(thousands "$N_TAIL") published ids, shuffled)" ;;
  esac
}
# target SCENARIO CONFIG RATIO P99 : the issue-8 target of that cell and
# whether it was met; empty where the issue sets none (the targets are for
# the page cache off: the cache could hide a slow store).
target() {
  local s=$1 c=$2 rr=$3 p99=$4 a b
  case "$s:$c" in
    search:*_nocache) echo "≥ 100×: **$(verdict "$rr" ">=" 100)**" ;;
    longtail:*_nocache)
      a=$(verdict "$rr" ">=" 50); b=$(verdict "$p99" "<=" 20)
      if [ "$a" = met ] && [ "$b" = met ]; then echo "≥ 50× and p99 ≤ 20 ms: **met**"
      else echo "≥ 50× and p99 ≤ 20 ms: **NOT met** (ratio $a, p99 $b)"; fi ;;
  esac
}
row() { # scenario config first-row-of-scenario
  local s=$1 c=$2 k r p50 p99 rr="—" tg="" flag="" sl=""
  k="${c}_$s"
  [ "$3" = 1 ] && sl=$(scenario_label "$s")
  r=$(get "R_${k}_rps"); p50=$(get "R_${k}_p50_ms"); p99=$(get "R_${k}_p99_ms")
  if awk -v o="$(get "C_${k}_other" 0)" -v l="$OTHER_CPU_WARN" 'BEGIN { exit !(o > l) }'; then
    flag=" ⚠"
  fi
  if [ "$c" != datasette ]; then
    rr=$(ratio "$r" "$(get "R_datasette_${s}_rps")")
    tg=$(target "$s" "$c" "$rr" "$p99")
    if [ -n "$tg" ]; then
      TARGETS_ALL=$((TARGETS_ALL + 1))
      case $tg in *"**met**"*) TARGETS_MET=$((TARGETS_MET + 1)) ;; *) TARGETS_MISSED+="$(label "$c") on $s; " ;; esac
    fi
    rr="**${rr}×**"
  else
    rr="1×"
  fi
  printf '| %s | %s | %s%s | %s | %s | %s | %s |\n' "$sl" "$(label "$c")" "$r" "$flag" "$p50" "$p99" "$rr" "$tg"
}
rate() { awk -v n="$1" -v t="$2" 'BEGIN { if (t + 0 > 0 && n + 0 > 0) printf "%.0f", n / t; else print "n/a" }'; }
# step_row LABEL NAME [TARGET] : one row of the data table.
step_row() {
  local k="K_$2"
  if [ -n "${!k:-}" ]; then
    echo "| $1 | $(get "T_$2") (killed) | **≥ $(get "RSS_$2")** (killed at the ${MAX_RSS_MB} MiB cap) | ${3:-} | $(get "O_$2") | $(get "D_$2") |"
  else
    echo "| $1 | $(get "T_$2") | $(get "RSS_$2") | ${3:-} | $(get "O_$2") | $(get "D_$2") |"
  fi
}
mem_target() { # NAME : the 500 MiB target on peak RSS
  local k="K_$1"
  if [ -n "${!k:-}" ] && (( MAX_RSS_MB < 500 )); then
    echo "RSS ≤ 500 MiB: n/a (killed at a lower cap)"
  elif [ -n "${!k:-}" ]; then
    echo "RSS ≤ 500 MiB: **NOT met**"
  else
    echo "RSS ≤ 500 MiB: **$(verdict "$(get "RSS_$1")" "<=" 500)**"
  fi
}

RESULTS="$OUT/results.md"
{
  echo "# Libres benchmark results"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'). Libres binary: commit ${BIN_COMMIT:-?}$( [ "${BIN_DIRTY:-0}" != 0 ] && echo " plus uncommitted changes in ${BIN_DIRTY} files outside bench/"), sha256 ${BIN_SHA:-?}, built for the run of ${BIN_DATE:-?}"
  if [ "$RERUN" = none ]; then
    echo "- Report written again from the figures of the last full run$( [ "$SCALE" = 1 ] && echo ', with a new large-registry run'); no page figure was measured again."
  elif [ -n "$RERUN" ]; then
    echo "- Partial rerun of \`$RERUN\`; the other figures are those of the last full run (see the measurement times below)."
  fi
  echo "- Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "- Mode: $MODE. Peer: Datasette $DS_VERSION (Python $("$PY" -c 'import sys, sqlite3; print(sys.version.split()[0] + ", SQLite " + sqlite3.sqlite_version)')), served with \`${DS_ARGS[*]}\`"
  if [ "$PG" != none ]; then
    echo "- PostgreSQL: $(psql -qAtX -d "$PG/postgres" -c 'SHOW server_version' 2>/dev/null || echo '?') at ${PG#*@} (same machine), database \`$PG_NAME\` created for the run, loaded with $( [ "${PG_LOADED_BY:-$PG_LOAD}" = copy ] && echo "\`libres copy --from $DB --to …/$PG_NAME\`" || echo "\`libres seed-demo --db …/$PG_NAME\`"), dropped at the end"
  fi
  echo "- Load: $(wrk --version 2>&1 | head -n 1 | awk '{ print $1, $2 }'), $THREADS threads, $CONNS connections, ${DURATION} s measured after ${WARMUP} s warm-up, the same for every server; Accept-Encoding: gzip $( [ "$GZIP" = 1 ] && echo sent || echo 'not sent'); one server at a time, and the load generator shares the $(nproc) cores with it (and with PostgreSQL)"
  echo
  echo "## Public pages: Libres on SQLite and on PostgreSQL, page cache on and off, vs Datasette"
  echo
  echo "| scenario | server | req/s | p50 ms | p99 ms | req/s ÷ Datasette's | issue-8 target (page cache off) |"
  echo "|---|---|---:|---:|---:|---:|---|"
  TARGETS_ALL=0 TARGETS_MET=0 TARGETS_MISSED=""
  for s in "${SCENARIOS[@]}"; do
    first=1
    for c in "${CONFIGS[@]}"; do row "$s" "$c" "$first"; first=0; done
  done
  echo
  if (( TARGETS_ALL > 0 )); then
    echo "Issue-8 targets met: **$TARGETS_MET of $TARGETS_ALL**$( [ -n "$TARGETS_MISSED" ] && echo " (not met: ${TARGETS_MISSED%; })")."
    echo
  fi
  echo "⚠: other processes used more than $OTHER_CPU_WARN of a core during that run (see the table of every run below): measure it again at a quiet time (\`BENCH_RERUN=config:scenario\`)."
  echo
  echo "- Every Libres configuration is compared with the same Datasette figure of its scenario. Each server ran alone, in turn; Libres was restarted between configurations.$( [ "$PG" != none ] && echo " Libres on PostgreSQL serves the same registry as on SQLite (${N_PG:-?} persons in \`$PG_NAME\`).")"
  echo "- search: Libres \`/$PAGE_LANG/persons?q=…\` vs Datasette's HTML table page \`/datasette/persons?_search=…\` (FTS5; its closest equivalent to our HTML list), $N_QUERIES queries from published rows (surnames, given names, \"given surname\") in rotation. With the cache on, these pages are cached after their first request."
  echo "- popular case pages: Libres \`/$PAGE_LANG/persons/{id}\` vs Datasette's HTML row page \`/datasette/persons/{rowid}\`, the same $(thousands "$N_POPULAR") published persons on both, in rotation: with the cache on, nearly every request is a cache hit."
  echo "- long tail: the same pages for all $(thousands "$N_TAIL") published persons (\`--public-only\` export, shuffled with a fixed seed), the same persons on both, none repeated within one pass through the list: each wrk thread walks its own stretch of it, and the warm-up asks for the other encoding (a different cache key), so a cache hit needs an id requested twice within the measured run. Requests per id: $(for c in "${CONFIGS[@]}"; do printf '%s %s; ' "$c" "$(awk -v r="$(get "R_${c}_longtail_requests")" -v n="$N_TAIL" 'BEGIN { if (r == "n/a") print "n/a"; else printf "%.2f", r / n }')"; done | sed 's/; $//'). Below 1.0, no id was requested twice and every Libres page was rendered from the store."
  echo
  echo "## Data, import and copy"
  echo
  if [ "$MODE" = full ]; then
    echo "| step | seconds | peak RSS MiB | target | other processes meanwhile (cores) | PostgreSQL (cores) |"
    echo "|---|---:|---:|---|---:|---:|"
    [ -n "${T_build:-}" ] && step_row "cargo build --release -p libres" build
    step_row "seed-demo --persons $PERSONS (SQLite)" seed
    if [ -n "${T_pg_load:-}" ]; then
      if [ "${PG_LOADED_BY:-$PG_LOAD}" = copy ]; then step_row "copy SQLite → PostgreSQL ($(get N_PG) persons)" pg_load
      else step_row "seed-demo --persons $PERSONS (PostgreSQL)" pg_load; fi
    fi
    step_row "export persons --format csv ($(get N_EXPORTED) rows)" export
    step_row "export persons --format csv --public-only ($(get N_PUBLIC) rows)" export_public
    step_row "**import persons, $(get N_EXPORTED) rows → fresh SQLite db** ($(rate "$(get N_EXPORTED)" "$(get T_import)")/s)" import
    [ -n "${T_import_pg:-}" ] && step_row "**import persons, $(get N_EXPORTED) rows → fresh PostgreSQL db** ($(rate "$(get N_EXPORTED)" "$(get T_import_pg)")/s)" import_pg
    step_row "Datasette db build (Python sqlite3, FTS5)" dsdb
    if [ -n "${SCALE_STATUS:-}" ]; then
      step_row "seed-demo --persons $(get N_SCALE) (SQLite)" scale_seed
      step_row "**export persons --format csv, $(get N_SCALE) rows**" scale_export "$(mem_target scale_export)"
      if [ -n "${T_scale_copy:-}" ]; then
        step_row "**copy SQLite → PostgreSQL, $(get N_SCALE) persons**" scale_copy "$(mem_target scale_copy)"
      fi
      step_row "**import persons, $(get N_SCALE) rows → fresh SQLite db** ($(rate "$(get N_SCALE)" "$(get T_scale_import)")/s)" scale_import \
        "≤ 30 s: **$( [ -n "${K_scale_import:-}" ] && echo 'not finished' || verdict "$(get T_scale_import)" "<=" 30)**; $(mem_target scale_import)"
    fi
    echo
    echo "Checks: the SQLite import holds $(get N_IMPORTED) persons, the PostgreSQL import $(get N_IMPORTED_PG), the PostgreSQL database of the pages $(get N_PG) (expected $(get N_EXPORTED) each); that database exports the same CSV as the SQLite one, byte for byte: $(get PG_SAME)."
    if [ -n "${SCALE_STATUS:-}" ]; then
      echo "Large registry ($(get N_SCALE) persons): the SQLite import: $SCALE_STATUS ($(get N_SCALE_IMPORTED) persons in the imported database); the copy to PostgreSQL: $(get SCALE_COPY_STATUS) ($(get N_SCALE_COPIED) persons in the copy). Peak RSS is that of the libres process (\`/usr/bin/time\`), not of the PostgreSQL server."
    fi
  else
    echo "Datasette half only, on $CSV_REL ($N_EXPORTED rows); db built in $(get T_dsdb) s."
  fi
  echo
  echo "### Every measured run"
  echo
  echo "| run | measured (UTC) | requests | p90 ms | max ms | non-2xx/3xx | socket errors | server CPU (cores) | PostgreSQL CPU | wrk CPU | other processes (top) |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  for s in "${SCENARIOS[@]}"; do
    for c in "${CONFIGS[@]}"; do
      k="${c}_$s"
      [ -n "$(get "R_${k}_requests" '')" ] || continue
      echo "| $k | $(get "M_$k") | $(get "R_${k}_requests") | $(get "R_${k}_p90_ms") | $(get "R_${k}_max_ms") | $(get "R_${k}_non2xx3xx") | $(( $(get "R_${k}_connect" 0) + $(get "R_${k}_read" 0) + $(get "R_${k}_write" 0) + $(get "R_${k}_timeout" 0) )) | $(get "C_${k}_server") | $(get "C_${k}_db") | $(get "C_${k}_wrk") | $(get "C_${k}_other") ($(get "C_${k}_other_top")) |"
    done
  done
  echo
  echo "\"other processes\": CPU, in cores, of the user-space processes other than the server, wrk, this script and PostgreSQL's work for the benchmark (the backends and autovacuum workers of its databases and the server's checkpointer and writers, plus, for the timed steps, the postmaster's reaped backends; counted apart as \"PostgreSQL\") during the measured run or step. Kernel threads, which carry the loopback traffic, are not counted. Above $OTHER_CPU_WARN (marked ⚠) something else was running and the figure should be measured again."
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
  rss_line=""
  for c in "${CONFIGS[@]}"; do
    [ -s "$OUT/rss_$c.txt" ] && rss_line+="$c $(( $(cat "$OUT/rss_$c.txt") / 1024 )) MiB, "
  done
  if [ -n "$rss_line" ]; then
    echo
    echo "Libres server peak RSS during its runs: ${rss_line%, }."
  fi
} >"$RESULTS"

cat "$RESULTS"
log "written $RESULTS (raw wrk output in $OUT_REL/wrk_*.txt)"
