#!/usr/bin/env bash
# Record-linkage benchmark: Libres against Splink on FEBRL4 (link) and FEBRL3
# (dedup), then Libres alone on the generated Hispanic-name test set (20,000
# registry / 3,000 list) and, unless BENCH_SCALE=0, at 1,000,000 / 50,000.
# Every timing is whole-process (process start to written output), median of
# N runs. Prints a summary table; writes everything to bench/linkage/results/.
# See bench/linkage/README.md. It is a benchmark, not a test: it fails (exit
# non-zero, with the failing command's log) if any step fails, but it does not
# judge the figures.
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

SPLINK_RUNS="${BENCH_SPLINK_RUNS:-3}"       # runs per Splink task (median reported)
LIBRES_RUNS="${BENCH_LIBRES_RUNS:-10}"      # runs per Libres FEBRL task
MATCH_RUNS="${BENCH_MATCH_RUNS:-5}"         # runs of `libres match` on the 20k set
SCALE="${BENCH_SCALE:-1}"                   # 0: skip the 1,000,000 / 50,000 match run
SCALE_RUNS="${BENCH_SCALE_RUNS:-1}"         # runs of `libres match` at scale (seconds each)
SPLINK_MODELS="${BENCH_SPLINK_MODELS:-example full}"  # see splink_febrl.py
TOOLS="${BENCH_TOOLS:-splink libres}"       # drop one to run only the other half
SKIP_BUILD="${BENCH_SKIP_BUILD:-0}"         # 1: use the existing target/release/libres
LIBRES_BIN="${BENCH_LIBRES_BIN:-}"          # a libres binary to use instead (implies no build)
FEBRL_DIR="${FEBRL_DIR:-}"
RESULTS="${BENCH_RESULTS:-$HERE/results}"

if [[ -z "$FEBRL_DIR" ]]; then
  for d in /work/shared/data/febrl "$ROOT/../shared/data/febrl" "$ROOT/data/febrl"; do
    if [[ -f "$d/dataset4a.csv" ]]; then FEBRL_DIR="$(cd "$d" && pwd)"; break; fi
  done
fi
[[ -n "$FEBRL_DIR" && -f "$FEBRL_DIR/dataset4a.csv" ]] || {
  echo "run.sh: FEBRL data not found; set FEBRL_DIR" >&2; exit 1; }
export FEBRL_DIR

has_tool() { [[ " $TOOLS " == *" $1 "* ]]; }
step() { printf '\n== %s\n' "$*"; }
trap 'echo "run.sh: FAILED at line $LINENO: $BASH_COMMAND" >&2' ERR

mkdir -p "$RESULTS"
# Clear only what this script writes (BENCH_RESULTS may point anywhere).
rm -rf "$RESULTS/names20k" "$RESULTS/names1m" "$RESULTS/libres"
rm -f "$RESULTS"/*.csv "$RESULTS"/*.json "$RESULTS"/*.txt "$RESULTS"/*.md "$RESULTS"/*.log
LOG="$RESULTS/commands.log"      # stdout/stderr of every timed command
SUMMARY="$RESULTS/results.txt"   # RESULT / KIND / TIME lines
: >"$LOG"; : >"$SUMMARY"

# ---------------------------------------------------------------- setup
VENV="$HERE/.venv"
PY="$VENV/bin/python"
want_splink="$(sed -n 's/^splink==//p' "$HERE/requirements.txt")"
if ! "$PY" -c "import splink, sys; sys.exit(splink.__version__ != '$want_splink')" 2>/dev/null; then
  step "setting up $VENV (splink $want_splink)"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$PY" -m pip install --quiet --upgrade pip
  "$PY" -m pip install --quiet -r "$HERE/requirements.txt"
fi
"$PY" -c "import splink, duckdb; print('splink', splink.__version__, '/ duckdb', duckdb.__version__)" | tee -a "$SUMMARY"

LIBRES=""
if has_tool libres; then
  if [[ -z "$LIBRES_BIN" ]]; then
    LIBRES_BIN="$ROOT/target/release/libres"
    if [[ "$SKIP_BUILD" != 1 ]]; then
      step "cargo build --release -p libres"
      (cd "$ROOT" && cargo build --release -p libres)
    fi
  fi
  [[ -x "$LIBRES_BIN" ]] || { echo "run.sh: $LIBRES_BIN missing or not executable" >&2; exit 1; }
  # A private copy, so a rebuild by someone else cannot swap the binary mid-run.
  LIBRES="$RESULTS/libres"
  cp "$LIBRES_BIN" "$LIBRES"
  for cfg in febrl4 febrl3; do
    [[ -f "$ROOT/examples/$cfg.toml" ]] || { echo "run.sh: $ROOT/examples/$cfg.toml missing" >&2; exit 1; }
  done
fi

# timed LABEL RUNS CMD...  -> runs CMD RUNS times, sets T_MEDIAN and T_RSS
timed() {
  local label="$1" runs="$2"; shift 2
  local line
  line="$("$PY" "$HERE/timerun.py" --runs "$runs" --label "$label" \
          --json "$RESULTS/time_$label.json" --log "$LOG" -- "$@")"
  echo "$line" | tee -a "$SUMMARY"
  T_MEDIAN="$(sed -n 's/.* median=\([^ ]*\).*/\1/p' <<<"$line")"
  T_RSS="$(sed -n 's/.* maxrss_kb=\([^ ]*\).*/\1/p' <<<"$line")"
}

# scored MODE OUT TOOL TASK [score.py args...]  -> prints and records RESULT
scored() {
  local mode="$1" out="$2" tool="$3" task="$4"; shift 4
  "$PY" "$HERE/score.py" "$mode" "$out" --tool "$tool" --task "$task" \
      --seconds "$T_MEDIAN" --rss-kb "$T_RSS" "$@" | tee "$RESULTS/score_${tool}_$task.txt"
  grep -E '^(RESULT|KIND) ' "$RESULTS/score_${tool}_$task.txt" >>"$SUMMARY"
}

# ---------------------------------------------------------------- FEBRL
for task in febrl4 febrl3; do
  if [[ $task == febrl4 ]]; then mode=link; else mode=dedup; fi
  if has_tool splink; then
    for model in $SPLINK_MODELS; do
      tool=splink; [[ $model == example ]] || tool="splink-$model"
      out="$RESULTS/${tool}_$task.csv"
      step "$tool $task x$SPLINK_RUNS"
      timed "${tool}_$task" "$SPLINK_RUNS" env SPLINK_MODEL="$model" "$PY" "$HERE/splink_febrl.py" "$task" "$out"
      scored "$mode" "$out" "$tool" "$task"
    done
  fi
  if has_tool libres; then
    out="$RESULTS/libres_$task.csv"
    step "libres $task x$LIBRES_RUNS"
    if [[ $task == febrl4 ]]; then
      timed "libres_$task" "$LIBRES_RUNS" "$LIBRES" link "$FEBRL_DIR/dataset4a.csv" "$FEBRL_DIR/dataset4b.csv" \
          --config "$ROOT/examples/febrl4.toml" --out "$out"
    else
      timed "libres_$task" "$LIBRES_RUNS" "$LIBRES" dedup "$FEBRL_DIR/dataset3.csv" \
          --config "$ROOT/examples/febrl3.toml" --out "$out"
    fi
    scored "$mode" "$out" libres "$task"
  fi
done

# ---------------------------------------------------------------- names
if has_tool libres; then
  set_dir="$RESULTS/names20k"
  step "libres gen-name-testset --registry 20000 --list 3000 --seed 1"
  "$LIBRES" gen-name-testset --registry 20000 --list 3000 --seed 1 --out-dir "$set_dir" >>"$LOG" 2>&1 \
    || { echo "run.sh: gen-name-testset failed; see $LOG" >&2; tail -20 "$LOG" >&2; exit 1; }
  step "libres match names20k x$MATCH_RUNS"
  timed libres_names20k "$MATCH_RUNS" "$LIBRES" match --list "$set_dir/list.csv" \
      --registry "$set_dir/registry.csv" --out "$RESULTS/libres_names20k.csv"
  scored match "$RESULTS/libres_names20k.csv" libres names20k --truth "$set_dir/truth.csv"

  if [[ "$SCALE" == 1 ]]; then
    set_dir="$RESULTS/names1m"
    step "libres gen-name-testset --registry 1000000 --list 50000 --seed 1"
    timed libres_gen_names1m 1 "$LIBRES" gen-name-testset --registry 1000000 --list 50000 --seed 1 --out-dir "$set_dir"
    step "libres match names1m x$SCALE_RUNS"
    timed libres_names1m "$SCALE_RUNS" "$LIBRES" match --list "$set_dir/list.csv" \
        --registry "$set_dir/registry.csv" --out "$RESULTS/libres_names1m.csv"
    scored match "$RESULTS/libres_names1m.csv" libres names1m --truth "$set_dir/truth.csv"
  else
    echo "(scale run 1,000,000 / 50,000 skipped: BENCH_SCALE=0)"
  fi
fi

# ---------------------------------------------------------------- summary
step "summary (seconds: whole-process median; speed ratio: seconds / Libres seconds, same task)"
"$PY" "$HERE/report.py" "$SUMMARY" | tee "$RESULTS/summary.md"
echo
echo "results in $RESULTS"
