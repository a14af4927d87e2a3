#!/usr/bin/env bash
# Independent Hispanic-name benchmark for `libres match`: for each share of
# the list on the registry and each seed, write a set with independent.py,
# run the matcher on it, score it with score.py and print one table.
#
#   bash bench/names/run.sh
#   LIBRES_BIN=/path/to/libres bash bench/names/run.sh
#   SHARES="0.5" SEEDS="1" REGISTRY=20000 LIST=3000 bash bench/names/run.sh
#   MATCH_ARGS="--population 90000" bash bench/names/run.sh   # options for every match
#   GEN_ARGS="--names-only" bash bench/names/run.sh            # options for every set
#
# LIBRES_BIN defaults to target/release/libres at the repository root; it is
# built with `cargo build --release -p libres` when missing.  Sets, outputs
# and results.jsonl go to bench/names/out/ (BENCH_NAMES_OUT).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SHARES=${SHARES:-"0.3 0.5 0.7"}
SEEDS=${SEEDS:-"1 2 3"}
REGISTRY=${REGISTRY:-20000}
LIST=${LIST:-3000}
OUT=${BENCH_NAMES_OUT:-$HERE/out}
PY=${PYTHON:-python3}
MATCH_ARGS=${MATCH_ARGS:-}
GEN_ARGS=${GEN_ARGS:-}

BIN=${LIBRES_BIN:-$ROOT/target/release/libres}
if [ ! -x "$BIN" ]; then
  if [ -n "${LIBRES_BIN:-}" ]; then
    echo "LIBRES_BIN=$LIBRES_BIN is not an executable" >&2
    exit 1
  fi
  echo "building $BIN ..." >&2
  (cd "$ROOT" && cargo build --release -p libres) >&2
fi

mkdir -p "$OUT"
RESULTS=$OUT/results.jsonl
: > "$RESULTS"

now() { "$PY" -c 'import time; print(repr(time.time()))'; }

for share in $SHARES; do
  for seed in $SEEDS; do
    set_dir=$OUT/set-s$share-seed$seed
    mkdir -p "$set_dir"
    # shellcheck disable=SC2086 # GEN_ARGS is split into arguments on purpose
    "$PY" "$HERE/independent.py" --registry "$REGISTRY" --list "$LIST" \
      --on-registry-share "$share" --seed "$seed" --out-dir "$set_dir" --oracle $GEN_ARGS 2>"$set_dir.gen.log" \
      || { cat "$set_dir.gen.log" >&2; exit 1; }
    country=$("$PY" -c 'import sys; print(("CU", "VE", "NI")[(int(sys.argv[1]) - 1) % 3])' "$seed")
    t0=$(now)
    # shellcheck disable=SC2086 # MATCH_ARGS is split into arguments on purpose
    if ! "$BIN" match --list "$set_dir/list.csv" --registry "$set_dir/registry.csv" \
         --out "$set_dir/matches.csv" $MATCH_ARGS >"$set_dir/libres.log" 2>&1; then
      echo "libres match failed on $set_dir (see $set_dir/libres.log)" >&2
      tail -5 "$set_dir/libres.log" >&2
      continue
    fi
    t1=$(now)
    secs=$("$PY" -c 'import sys; print(float(sys.argv[2]) - float(sys.argv[1]))' "$t0" "$t1")
    "$PY" "$HERE/score.py" --truth "$set_dir/truth.csv" --out "$set_dir/matches.csv" \
      --seconds "$secs" --label "$country share=$share seed=$seed" --jsonl "$RESULTS"
  done
done

commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
echo
echo "libres match: $BIN (tree at $commit); registry $REGISTRY, list $LIST"
"$PY" "$HERE/score.py" --table "$RESULTS"
