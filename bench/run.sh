#!/usr/bin/env bash
# Libres benchmark: 100,000-person import, and public pages side by side with
# Datasette on the same data, with Libres's page cache on (its default) and
# off.  Optionally (BENCH_SCALE=1) a 1,000,000-person import.  Prints
# figures; it is not a test.  See bench/README.md.  All traffic goes to
# 127.0.0.1 only.
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
SCALE="${BENCH_SCALE:-0}"               # 1: also time a 1,000,000-person import
SCALE_PERSONS="${BENCH_SCALE_PERSONS:-1000000}"
SCALE_KEEP="${BENCH_SCALE_KEEP:-0}"     # 1: keep the large databases and CSV
RERUN="${BENCH_RERUN:-}"                # e.g. "cache:longtail datasette:*": rerun only these, reuse the rest
OTHER_CPU_WARN="${BENCH_OTHER_CPU_WARN:-0.25}"  # cores used by other processes that flag a run

OUT_REL="bench/out"
OUT="$ROOT/$OUT_REL"
VENV="$BENCH_DIR/.venv"
BUILT="$ROOT/target/release/libres"
LIBRES="$OUT/libres"                    # a copy, so a rebuild by someone else cannot change it mid-run
HOST=127.0.0.1
CONFIGS=(cache nocache datasette)
SCENARIOS=(search popular longtail)

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
cleanup() {
  local pid
  for pid in ${PIDS[@]+"${PIDS[@]}"}; do stop_pid "$pid"; done
  PIDS=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- helpers
# timed_soft NAME CMD... : runs CMD (bounded), logs to $OUT/NAME.log, writes
# $OUT/time_NAME.txt and sets T_NAME (wall seconds) and RSS_NAME (peak
# resident MiB).  Returns 1 if CMD fails.  timed: the same, fatal on failure.
# $OUT/cpu_step_NAME.txt gets the CPU of other processes meanwhile (see
# run_wrk).
timed_soft() {
  local name=$1; shift
  local tf="$OUT/time_$name.txt" t0
  "$PY" "$BENCH_DIR/prep.py" cpusnap "$OUT/.cpu0"; t0=$(now)
  if ! /usr/bin/time -f '%e %M' -o "$tf" timeout "$STEP_TIMEOUT" "$@" >"$OUT/$name.log" 2>&1; then
    log "step '$name' failed: $*"
    tail -n 30 "$OUT/$name.log" >&2 || true
    rm -f "$tf"
    return 1
  fi
  "$PY" "$BENCH_DIR/prep.py" cpusnap "$OUT/.cpu1"
  "$PY" "$BENCH_DIR/prep.py" cpuother "$OUT/.cpu0" "$OUT/.cpu1" --exclude "$$" \
    --wall "$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')" >"$OUT/cpu_step_$name.txt"
  rm -f "$OUT/.cpu0" "$OUT/.cpu1"
  load_timed "$name"
  local t="T_$name" r="RSS_$name" o="O_$name"
  log "$name: ${!t} s, peak RSS ${!r} MiB (other processes: ${!o} cores)"
  if awk -v o="${!o%% *}" -v l="$OTHER_CPU_WARN" 'BEGIN { exit !(o > l) }'; then
    log "  WARNING: other processes used ${!o%% *} cores during $name"
  fi
}
timed() { timed_soft "$@" || exit 1; }
# load_timed NAME : T_NAME and RSS_NAME from $OUT/time_NAME.txt, O_NAME
# (other processes, cores, with ⚠ above the limit) from cpu_step_NAME.txt.
load_timed() {
  local name=$1 tf="$OUT/time_$1.txt" secs kb o
  [ -s "$tf" ] || return 0
  read -r secs kb < <(tail -n 1 "$tf")
  printf -v "T_$name" '%s' "$secs"
  printf -v "RSS_$name" '%s' "$((kb / 1024))"
  o=$(sed -n 's/^other=\([0-9.]*\).*/\1/p' "$OUT/cpu_step_$name.txt" 2>/dev/null)
  if [ -n "$o" ] && awk -v o="$o" -v l="$OTHER_CPU_WARN" 'BEGIN { exit !(o > l) }'; then o="$o ⚠"; fi
  printf -v "O_$name" '%s' "${o:-n/a}"
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
proc_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
now() { date +%s.%N; }

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
  "$PY" "$BENCH_DIR/prep.py" cpusnap "$OUT/.cpu0"; s0=$(proc_ticks "$spid"); t0=$(now)
  /usr/bin/time -f '%U %S' -o "$OUT/wrkcpu_${key}.txt" \
    timeout $((DURATION + 60)) wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 10s --latency \
    -s "$BENCH_DIR/rotate.lua" "$base" -- "$file" $enc "threads=$THREADS" >"$OUT/wrk_${key}.txt" 2>&1 \
    || die "wrk $key failed: $(tail -n 5 "$OUT/wrk_${key}.txt")"
  s1=$(proc_ticks "$spid"); t1=$(now); "$PY" "$BENCH_DIR/prep.py" cpusnap "$OUT/.cpu1"
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
  local top="C_${key}_other_top"
  log "  $key: ${!rps} req/s, p50 ${!p50} ms, p99 ${!p99} ms (CPU: server ${!srv}, other processes ${!oth} cores: ${!top})"
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
    log "import of $N_EXPORTED persons into a fresh database"
    timed import "$LIBRES" import persons "$CSV_REL" --db "sqlite:$OUT_REL/import.db"
    "$LIBRES" export persons --format csv --out "$OUT_REL/import-check.csv" --db "sqlite:$OUT_REL/import.db" \
      >"$OUT/import-check.log" 2>&1 || die "export of the imported db failed"
    N_IMPORTED=$("$PY" "$BENCH_DIR/prep.py" count "$OUT_REL/import-check.csv")
    rm -f "$OUT"/import.db* "$OUT/import-check.csv"
    log "imported database held $N_IMPORTED persons"
    printf 'N_EXPORTED=%s\nN_PUBLIC=%s\nN_IMPORTED=%s\n' "$N_EXPORTED" "$N_PUBLIC" "$N_IMPORTED" >"$OUT/data.env"
    printf '\nseed-demo %s persons: %s s.  import of %s persons into a fresh db: %s s (%s persons/s), peak RSS %s MiB.\n\n' \
      "$PERSONS" "$T_seed" "$N_EXPORTED" "$T_import" \
      "$(awk -v n="$N_EXPORTED" -v t="$T_import" 'BEGIN { if (t > 0) printf "%.0f", n / t; else print "n/a" }')" "$RSS_import"

    log "building the Datasette database (FTS5 on given_names, surname1, surname2)"
    timed dsdb "$PY" "$BENCH_DIR/prep.py" dsdb --csv "$CSV_REL" --db "$OUT_REL/datasette.db"
    "$PY" "$BENCH_DIR/prep.py" paths --csv "$CSV_REL" --public "$PUBLIC_REL" \
      --dsdb "$OUT_REL/datasette.db" --out-dir "$OUT_REL" --lang "$PAGE_LANG" >&2
  else
    # A partial rerun on the data, binary and paths of the last full run.
    for f in libres libres.db datasette.db bin.env data.env paths_libres_person_longtail.txt; do
      [ -e "$OUT/$f" ] || die "BENCH_RERUN needs a complete earlier full run ($OUT_REL/$f is missing)"
    done
    log "rerun of: $RERUN (data, binary and other figures from the last full run)"
  fi
else
  # Development: Datasette half only, on BENCH_CSV or a fabricated CSV.
  CONFIGS=(datasette)
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

read -r P_CACHE P_NOCACHE P_DS < <(free_ports 3)
for cfg in "${CONFIGS[@]}"; do
  config_wanted "$cfg" || continue
  case $cfg in
    cache|nocache)
      port=$P_CACHE; extra=()
      if [ "$cfg" = nocache ]; then port=$P_NOCACHE; extra=(--page-cache-mb 0); fi
      url="http://$HOST:$port"
      # The default configuration is the default: no LIBRES_PAGE_CACHE_MB from
      # the caller's environment.
      env -u LIBRES_PAGE_CACHE_MB "$LIBRES" serve --db "$DB" --bind "$HOST:$port" ${extra[@]+"${extra[@]}"} \
        >"$OUT/libres-serve-$cfg.log" 2>&1 &
      spid=$!; PIDS+=("$spid")
      wait_http "$url/healthz" 180 || { tail -n 20 "$OUT/libres-serve-$cfg.log" >&2; die "libres serve ($cfg) did not become healthy"; }
      log "libres ($cfg: ${extra[*]:-default page cache}) serving on $url"
      run_config "$cfg" "$url" "$spid"
      if [ "$cfg" = cache ] && [ -z "$RERUN" ]; then
        log "page sizes"
        rm -f "$OUT/weights.env"
        gzip_sizes libres_person "$url" "$(paths_file libres popular)" 25
        gzip_sizes libres_search "$url" "$(paths_file libres search)" 10
      fi
      awk '/^VmHWM/ { print $2 }' "/proc/$spid/status" >"$OUT/rss_$cfg.txt" 2>/dev/null || true
      stop_server "$spid"
      ;;
    datasette)
      url="http://$HOST:$P_DS"
      DS_ARGS=(serve -i "$OUT_REL/datasette.db" -h "$HOST" -p "$P_DS" --setting suggest_facets "$DS_FACETS")
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
cleanup
DS_ARGS=(serve -i "$OUT_REL/datasette.db" -h "$HOST" -p PORT --setting suggest_facets "$DS_FACETS")
[ -n "$DS_PAGE_SIZE" ] && DS_ARGS+=(--setting default_page_size "$DS_PAGE_SIZE")

# ---------------------------------------------------------------- 1M import
# Optional: seed SCALE_PERSONS persons, export them as CSV, and time the
# import of that CSV into a fresh database.  Not fatal: the page figures
# above are reported either way.
if [ "$MODE" = full ] && [ "$SCALE" = 1 ]; then
  rm -f "$OUT"/scale*.db* "$OUT/scale.csv" "$OUT/scale.env" "$OUT"/time_scale_*.txt
  SDB="sqlite:$OUT_REL/scale.db"
  status=ok
  log "scale: seed-demo $SCALE_PERSONS persons (about a minute per million)"
  if timed_soft scale_seed "$LIBRES" seed-demo --db "$SDB" --persons "$SCALE_PERSONS" \
    && timed_soft scale_export "$LIBRES" export persons --format csv --out "$OUT_REL/scale.csv" --db "$SDB"; then
    rm -f "$OUT"/scale.db*   # only the CSV is needed from here on
    N_SCALE=$("$PY" "$BENCH_DIR/prep.py" count "$OUT_REL/scale.csv")
    log "scale: import of $N_SCALE persons into a fresh database"
    if timed_soft scale_import "$LIBRES" import persons "$OUT_REL/scale.csv" --db "sqlite:$OUT_REL/scale-import.db"; then
      N_SCALE_IMPORTED=$("$PY" -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM persons").fetchone()[0])' \
        "$OUT/scale-import.db" 2>/dev/null || echo '?')
      log "scale: imported database holds $N_SCALE_IMPORTED persons"
    else
      status="import failed (see $OUT_REL/scale_import.log)"
    fi
  else
    status="seed or export failed (see $OUT_REL/scale_seed.log, scale_export.log)"
  fi
  printf 'SCALE_STATUS=%q\nN_SCALE=%s\nN_SCALE_IMPORTED=%s\n' "$status" "${N_SCALE:-?}" "${N_SCALE_IMPORTED:-?}" >"$OUT/scale.env"
  if [ "$SCALE_KEEP" != 1 ]; then rm -f "$OUT"/scale*.db* "$OUT/scale.csv"; fi
fi

# ---------------------------------------------------------------- report
for n in build seed export export_public import dsdb scale_seed scale_export scale_import; do load_timed "$n"; done
for f in weights.env scale.env; do
  # shellcheck disable=SC1090
  [ -s "$OUT/$f" ] && . "$OUT/$f"
done
for cfg in cache nocache datasette; do
  for s in "${SCENARIOS[@]}"; do load_result "${cfg}_$s"; done
done

verdict() { # value op limit
  awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN { if (v == "n/a") print "n/a";
    else if ((op == ">=" && v + 0 >= l + 0) || (op == "<=" && v + 0 <= l + 0)) print "met";
    else print "NOT met" }'
}
label() {
  case $1 in
    cache) echo "Libres, page cache on (default, 64 MiB)" ;;
    nocache) echo "Libres, page cache off (\`--page-cache-mb 0\`)" ;;
    datasette) echo "Datasette" ;;
  esac
}
thousands() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$1"; }
scenario_label() {
  case $1 in
    search) echo "search: $N_QUERIES queries" ;;
    popular) echo "person page, popular pages: $(thousands "$N_POPULAR") ids" ;;
    longtail) echo "person page, long tail: all $(thousands "$N_TAIL") published ids" ;;
  esac
}
row() { # scenario config
  local s=$1 c=$2 k="$1" r p50 p99 rr="" v1="" v2="" flag=""
  k="${c}_$s"
  r=$(get "R_${k}_rps"); p50=$(get "R_${k}_p50_ms"); p99=$(get "R_${k}_p99_ms")
  if awk -v o="$(get "C_${k}_other" 0)" -v l="$OTHER_CPU_WARN" 'BEGIN { exit !(o > l) }'; then
    flag=" ⚠"
  fi
  if [ "$c" != datasette ]; then
    rr=$(ratio "$r" "$(get "R_datasette_${s}_rps")")
    v1="**${rr}×** ($(verdict "$rr" ">=" 50))"; v2=$(verdict "$p99" "<=" 20)
  fi
  printf '| %s | %s | %s%s | %s | %s | %s | %s |\n' "$(scenario_label "$s")" "$(label "$c")" "$r" "$flag" "$p50" "$p99" "$v1" "$v2"
}

RESULTS="$OUT/results.md"
{
  echo "# Libres benchmark results"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'). Libres binary: commit ${BIN_COMMIT:-?}$( [ "${BIN_DIRTY:-0}" != 0 ] && echo " plus uncommitted changes in ${BIN_DIRTY} files outside bench/"), sha256 ${BIN_SHA:-?}, built for the run of ${BIN_DATE:-?}"
  if [ "$RERUN" = none ]; then
    echo "- Report written again from the figures of the last full run$( [ "$SCALE" = 1 ] && echo ', with a new large import'); no page figure was measured again."
  elif [ -n "$RERUN" ]; then
    echo "- Partial rerun of \`$RERUN\`; the other figures are those of the last full run (see the measurement times below)."
  fi
  echo "- Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "- Mode: $MODE. Peer: Datasette $("$VENV/bin/datasette" --version | awk '{ print $NF }') (Python $("$PY" -c 'import sys, sqlite3; print(sys.version.split()[0] + ", SQLite " + sqlite3.sqlite_version)')), served with \`${DS_ARGS[*]}\`"
  echo "- Load: $(wrk --version 2>&1 | head -n 1 | awk '{ print $1, $2 }'), $THREADS threads, $CONNS connections, ${DURATION} s measured after ${WARMUP} s warm-up, the same for every server; Accept-Encoding: gzip $( [ "$GZIP" = 1 ] && echo sent || echo 'not sent'); one server at a time, and the load generator shares the $(nproc) cores with it"
  echo
  echo "## Data and import"
  echo
  if [ "$MODE" = full ]; then
    echo "| step | seconds | peak RSS MiB | other processes meanwhile (cores) |"
    echo "|---|---:|---:|---:|"
    [ -n "${T_build:-}" ] && echo "| cargo build --release -p libres | $T_build | $RSS_build | $(get O_build) |"
    echo "| **seed-demo --persons $PERSONS** | **$(get T_seed)** | $(get RSS_seed) | $(get O_seed) |"
    echo "| export persons csv ($(get N_EXPORTED) rows) | $(get T_export) | $(get RSS_export) | $(get O_export) |"
    echo "| export persons csv --public-only ($(get N_PUBLIC) rows) | $(get T_export_public) | $(get RSS_export_public) | $(get O_export_public) |"
    echo "| **import persons of $(get N_EXPORTED) rows (fresh db)** | **$(get T_import)** | $(get RSS_import) | $(get O_import) |"
    echo "| Datasette db build (Python sqlite3, FTS5) | $(get T_dsdb) | $(get RSS_dsdb) | $(get O_dsdb) |"
    if [ -n "${SCALE_STATUS:-}" ]; then
      echo "| seed-demo --persons $SCALE_PERSONS | $(get T_scale_seed) | $(get RSS_scale_seed) | $(get O_scale_seed) |"
      echo "| export persons csv ($(get N_SCALE) rows) | $(get T_scale_export) | $(get RSS_scale_export) | $(get O_scale_export) |"
      echo "| **import persons of $(get N_SCALE) rows (fresh db; target ≤ 30 s)** | **$(get T_scale_import)** ($(verdict "$(get T_scale_import)" "<=" 30)) | $(get RSS_scale_import) | $(get O_scale_import) |"
    fi
    echo
    echo "Import check: the imported database exported $(get N_IMPORTED) persons (expected $(get N_EXPORTED))."
    echo "Import rate: $(awk -v n="$(get N_EXPORTED)" -v t="$(get T_import)" 'BEGIN { if (t > 0) printf "%.0f", n / t; else print "n/a" }') persons/s."
    if [ -n "${SCALE_STATUS:-}" ]; then
      if [ "$SCALE_STATUS" = ok ]; then
        echo "Large import ($(get N_SCALE) rows): $(awk -v n="$(get N_SCALE)" -v t="$(get T_scale_import)" 'BEGIN { if (t > 0) printf "%.0f", n / t; else print "n/a" }') persons/s; the imported database holds $(get N_SCALE_IMPORTED) persons."
      else
        echo "Large import ($SCALE_PERSONS persons): $SCALE_STATUS."
      fi
    fi
  else
    echo "Datasette half only, on $CSV_REL ($N_EXPORTED rows); db built in $(get T_dsdb) s."
  fi
  echo
  echo "## Public pages: Libres (page cache on, and off) vs Datasette"
  echo
  echo "| scenario | server | req/s | p50 ms | p99 ms | Libres/Datasette req/s (target ≥ 50×) | p99 ≤ 20 ms |"
  echo "|---|---|---:|---:|---:|---:|---|"
  for s in "${SCENARIOS[@]}"; do
    for c in "${CONFIGS[@]}"; do row "$s" "$c"; done
  done
  echo
  echo "- Both Libres configurations are compared with the same Datasette figures. Each server ran alone, in turn; Libres was restarted between its two configurations."
  echo "- search: Libres \`/$PAGE_LANG/persons?q=…\` vs Datasette's HTML table page \`/datasette/persons?_search=…\` (FTS5; its closest equivalent to our HTML list), $N_QUERIES queries from published rows (surnames, given names, \"given surname\") in rotation. With the cache on, these 500 pages are cached after their first request."
  echo "- popular pages: Libres \`/$PAGE_LANG/persons/{id}\` vs Datasette's HTML row page \`/datasette/persons/{rowid}\`, the same $(thousands "$N_POPULAR") published persons on both, in rotation: with the cache on, nearly every request is a cache hit."
  echo "- long tail: the same pages for all $(thousands "$N_TAIL") published persons (\`--public-only\` export, shuffled with a fixed seed), the same persons on both. Each wrk thread walks its own stretch of the list, and the warm-up asks for the other encoding (a different cache key), so a cache hit needs an id requested twice within the measured run: requests per id were $(for c in "${CONFIGS[@]}"; do printf '%s %s; ' "$c" "$(awk -v r="$(get "R_${c}_longtail_requests")" -v n="$N_TAIL" 'BEGIN { if (r == "n/a") print "n/a"; else printf "%.2f", r / n }')"; done | sed 's/; $//'). Below 1.0, no id was requested twice and every Libres page was rendered from the store."
  echo
  echo "### Every measured run"
  echo
  echo "| run | measured (UTC) | requests | p90 ms | max ms | non-2xx/3xx | socket errors | server CPU (cores) | wrk CPU | other processes (top) |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---|"
  for s in "${SCENARIOS[@]}"; do
    for c in "${CONFIGS[@]}"; do
      k="${c}_$s"
      [ -n "$(get "R_${k}_requests" '')" ] || continue
      echo "| $k | $(get "M_$k") | $(get "R_${k}_requests") | $(get "R_${k}_p90_ms") | $(get "R_${k}_max_ms") | $(get "R_${k}_non2xx3xx") | $(( $(get "R_${k}_connect" 0) + $(get "R_${k}_read" 0) + $(get "R_${k}_write" 0) + $(get "R_${k}_timeout" 0) )) | $(get "C_${k}_server") | $(get "C_${k}_wrk") | $(get "C_${k}_other") ($(get "C_${k}_other_top")) |"
    done
  done
  echo
  echo "\"other processes\": CPU, in cores, of the user-space processes other than the server, wrk and this script during the measured run (kernel threads, which carry the loopback traffic, are not counted); above $OTHER_CPU_WARN (marked ⚠ above) something else was running and the figure should be measured again (\`BENCH_RERUN=config:scenario\`)."
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
  for c in cache nocache; do
    [ -s "$OUT/rss_$c.txt" ] && rss_line+="$c $(( $(cat "$OUT/rss_$c.txt") / 1024 )) MiB, "
  done
  if [ -n "$rss_line" ]; then
    echo
    echo "Libres server peak RSS during its runs: ${rss_line%, }."
  fi
} >"$RESULTS"

cat "$RESULTS"
log "written $RESULTS (raw wrk output in $OUT_REL/wrk_*.txt)"
