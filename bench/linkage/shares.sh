#!/usr/bin/env bash
# `libres match` on generated Hispanic-name sets at several on-registry
# shares: for each share (default 0.3 0.5 0.7) and seed (default 1 2 3) it
# generates a 20,000-person registry and a 3,000-row list with
# `libres gen-name-testset --on-registry-share`, times `libres match` on it,
# scores it with score.py, and prints one table (share, seed, precision,
# recall, recall_singled, matches, wrong matches, reviews, seconds, and the
# wrong matches on off-list strangers) with a mean row per share. See bench/linkage/README.md. A benchmark, not a test:
# it fails only if a step fails, and does not judge the figures.
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

SHARES="${BENCH_SHARES:-0.3 0.5 0.7}"
SEEDS="${BENCH_SEEDS:-1 2 3}"
REGISTRY="${BENCH_REGISTRY:-20000}"
LIST="${BENCH_LIST:-3000}"
MATCH_RUNS="${BENCH_MATCH_RUNS:-1}"         # runs of each match (median reported)
SKIP_BUILD="${BENCH_SKIP_BUILD:-0}"         # 1: use the existing target/release/libres
LIBRES_BIN="${BENCH_LIBRES_BIN:-}"          # a libres binary to use instead (no build)
RESULTS="${BENCH_RESULTS:-$HERE/results}/shares"
PY="${PYTHON:-python3}"                      # score.py and timerun.py need only the standard library

trap 'echo "shares.sh: FAILED at line $LINENO: $BASH_COMMAND" >&2' ERR

if [[ -z "$LIBRES_BIN" ]]; then
  LIBRES_BIN="$ROOT/target/release/libres"
  if [[ "$SKIP_BUILD" != 1 ]]; then
    printf '\n== cargo build --release -p libres\n'
    (cd "$ROOT" && cargo build --release -p libres)
  fi
fi
[[ -x "$LIBRES_BIN" ]] || { echo "shares.sh: $LIBRES_BIN missing or not executable" >&2; exit 1; }

# Clear only what this script writes.
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
LOG="$RESULTS/commands.log"
SUMMARY="$RESULTS/results.txt"
: >"$LOG"; : >"$SUMMARY"
# A private copy, so a rebuild by someone else cannot swap the binary mid-run.
LIBRES="$RESULTS/libres"
cp "$LIBRES_BIN" "$LIBRES"

for share in $SHARES; do
  for seed in $SEEDS; do
    task="share${share}_seed${seed}"
    dir="$RESULTS/$task"
    printf '== %s: gen-name-testset --registry %s --list %s --on-registry-share %s --seed %s\n' \
      "$task" "$REGISTRY" "$LIST" "$share" "$seed"
    "$LIBRES" gen-name-testset --registry "$REGISTRY" --list "$LIST" \
        --on-registry-share "$share" --seed "$seed" --out-dir "$dir" >>"$LOG" 2>&1 \
      || { echo "shares.sh: gen-name-testset failed; see $LOG" >&2; tail -20 "$LOG" >&2; exit 1; }
    line="$("$PY" "$HERE/timerun.py" --runs "$MATCH_RUNS" --label "$task" \
            --json "$dir/time.json" --log "$LOG" -- \
            "$LIBRES" match --list "$dir/list.csv" --registry "$dir/registry.csv" --out "$dir/matches.csv")"
    echo "$line" >>"$SUMMARY"
    seconds="$(sed -n 's/.* median=\([^ ]*\).*/\1/p' <<<"$line")"
    "$PY" "$HERE/score.py" match "$dir/matches.csv" --truth "$dir/truth.csv" \
        --tool libres --task "$task" --seconds "$seconds" >"$dir/score.txt"
    grep -E '^(RESULT|KIND) ' "$dir/score.txt" >>"$SUMMARY"
  done
done

printf '\n== libres match at each share (%s registry persons, %s list rows; seconds: whole process)\n' \
  "$REGISTRY" "$LIST"
PYTHONPATH="$HERE${PYTHONPATH:+:$PYTHONPATH}" "$PY" - "$SUMMARY" <<'EOF' | tee "$RESULTS/summary.md"
import re
import sys
from report import print_table
from collections import defaultdict

rows = []
strangers = defaultdict(int)  # wrong matches on off-list strangers, by task
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        kv = dict(kv.split("=", 1) for kv in line.split()[1:] if "=" in kv)
        if line.startswith("KIND ") and kv["kind"] in ("offlist", "offlist_samename"):
            strangers[kv["task"]] += int(kv["match_wrong"])
        if not line.startswith("RESULT "):
            continue
        m = re.fullmatch(r"share([0-9.]+)_seed([0-9]+)", kv["task"])
        kv["share"], kv["seed"] = m.group(1), m.group(2)
        rows.append(kv)
for r in rows:
    r["wrong_strangers"] = strangers[r["task"]]

cols = [("precision", 4), ("recall", 4), ("recall_singled", 4), ("matches", 0),
        ("match_wrong", 0), ("review", 0), ("seconds", 3), ("wrong_strangers", 0)]
hdr = ["share", "seed", "precision", "recall", "recall_singled", "matches",
       "wrong matches", "reviews", "seconds", "of which on strangers"]


def cell(v, digits):
    if v is None or v == "":
        return "-"
    return f"{float(v):.{digits}f}" if digits else f"{float(v):.0f}" if "." in str(v) else str(v)


table = [hdr]
by_share = defaultdict(list)
for r in rows:
    by_share[r["share"]].append(r)
for share, rs in by_share.items():
    for r in rs:
        table.append([share, r["seed"]] + [cell(r.get(k), d) for k, d in cols])
    if len(rs) > 1:
        mean = {}
        for k, d in cols:
            vals = [float(r[k]) for r in rs if r.get(k) not in (None, "")]
            mean[k] = sum(vals) / len(vals) if vals else None
        table.append([share, "mean"] + [cell(mean[k], d if d else 1) for k, d in cols])
print_table(table)
EOF
echo
echo "results in $RESULTS (per set: score.txt with the table by kind)"
