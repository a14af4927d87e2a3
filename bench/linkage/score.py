#!/usr/bin/env python3
"""Score linkage-benchmark outputs against ground truth (standard library only).

Usage:
    score.py link  LINKS.csv   [--truth febrl4_true_links.csv] [--threshold X] [COMMON]
    score.py dedup PAIRS.csv   [--truth febrl3_true_pairs.csv] [--threshold X] [COMMON]
    score.py match MATCHES.csv --truth truth.csv [COMMON]
    COMMON: [--tool T] [--task NAME] [--seconds S] [--rss-kb K]  (echoed in RESULT)

Metrics
-------
link / dedup (pairwise):
    TP = predicted pairs that are in the truth set, FP = predicted pairs that are not,
    FN = truth pairs not predicted.
    precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2PR / (P + R).
    link pairs are ordered (left_id from the left file, right_id from the right
    file); dedup pairs are unordered, so (a, b) and (b, a) are the same pair.
    Duplicate output rows count once; a self pair (a, a) in dedup output is
    reported and counted as a false positive.
    --threshold X keeps only rows with score >= X (default: every row).

match (per list row):
    a positive is a list row whose decision is `match`; it is correct when its
    person_id equals the truth person_id.
    precision = correct matches / all `match` decisions
    recall    = correct matches / list rows whose truth person_id is non-empty
    Rows sent to `review` are counted separately (with how many of them carried
    the right person_id); a per-kind table gives rows, matched correctly, matched
    wrongly, review, none.
    When the truth has the optional `singled_out` column (yes/no on rows that
    name a registry person: whether what the row writes singles that person out
    among everyone the generator made), also
    recall_singled = correct matches among singled-out rows / singled-out rows
    (a row that is not singled out cannot honestly be matched: it belongs in
    review). Wrong matches are split into those on rows naming nobody in the
    registry and those naming another registry person than the truth's.

Besides the human-readable text, one machine-friendly line is printed:
    RESULT tool=... task=... precision=... recall=... f1=... [seconds=...] ...
(fields are only ever added at the end, so older readers keep working).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

DEFAULT_FEBRL = Path("/work/shared/data/febrl")


def die(msg: str) -> None:
    print(f"score.py: error: {msg}", file=sys.stderr)
    sys.exit(2)


def read_csv(path: Path, required: list[str]) -> list[dict[str, str]]:
    if not path.is_file():
        die(f"{path}: no such file")
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, skipinitialspace=True)
        fields = [h.strip() for h in (reader.fieldnames or [])]
        reader.fieldnames = fields
        missing = [c for c in required if c not in fields]
        if missing:
            die(f"{path}: missing column(s) {missing}; header is {fields}")
        return [{k: (v or "").strip() for k, v in row.items() if k is not None} for row in reader]


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def filter_threshold(rows, threshold):
    if threshold is None:
        return rows
    kept = []
    for row in rows:
        try:
            s = float(row["score"])
        except ValueError:
            die(f"score {row['score']!r} is not a number")
        if s >= threshold:
            kept.append(row)
    return kept


def result_line(fields: dict) -> str:
    parts = []
    for k, v in fields.items():
        if v is None:
            continue
        if isinstance(v, float):
            v = f"{v:.6f}"
        parts.append(f"{k}={v}")
    return "RESULT " + " ".join(parts)


def score_pairs(args, ordered: bool) -> dict:
    if ordered:
        out_cols, truth_cols = ["left_id", "right_id", "score"], ["rec_id_a", "rec_id_b"]
        truth_path = args.truth or DEFAULT_FEBRL / "febrl4_true_links.csv"
    else:
        out_cols, truth_cols = ["id1", "id2", "score"], ["rec_id_1", "rec_id_2"]
        truth_path = args.truth or DEFAULT_FEBRL / "febrl3_true_pairs.csv"

    def key(a: str, b: str):
        return (a, b) if ordered else (min(a, b), max(a, b))

    truth = {key(r[truth_cols[0]], r[truth_cols[1]]) for r in read_csv(Path(truth_path), truth_cols)}
    rows = filter_threshold(read_csv(Path(args.output), out_cols), args.threshold)
    pred = set()
    self_pairs = 0
    for r in rows:
        a, b = r[out_cols[0]], r[out_cols[1]]
        if not a or not b:
            die(f"{args.output}: empty id in row {r}")
        if a == b:
            self_pairs += 1
        pred.add(key(a, b))
    duplicates = len(rows) - len(pred)
    tp = len(pred & truth)
    fp = len(pred) - tp
    fn = len(truth) - tp
    p, r, f = prf(tp, fp, fn)
    task = args.task or ("febrl4" if ordered else "febrl3")
    print(f"{task} ({'link' if ordered else 'dedup'}) {args.tool}: {args.output}")
    print(f"  output rows {len(rows)}, distinct pairs {len(pred)}, duplicate rows {duplicates}, self pairs {self_pairs}")
    print(f"  truth pairs {len(truth)}: TP {tp}  FP {fp}  FN {fn}")
    print(f"  precision {p:.4f}  recall {r:.4f}  F1 {f:.4f}")
    res = {
        "tool": args.tool, "task": task, "precision": p, "recall": r, "f1": f,
        "seconds": args.seconds, "rss_kb": args.rss_kb, "tp": tp, "fp": fp, "fn": fn,
    }
    print(result_line(res))
    return res


def print_kind_table(per_kind, total, singled: bool = False) -> None:
    hdr = ["kind", "rows", "in registry", "matched correctly", "matched wrongly", "review", "review right", "none"]
    cols = ["rows", "in_registry", "match_ok", "match_wrong", "review", "review_ok", "none"]
    if singled:
        hdr += ["singled out", "singled, matched correctly"]
        cols += ["singled", "singled_match_ok"]
    table = [hdr]
    for kind in sorted(per_kind):
        table.append([kind] + [per_kind[kind][c] for c in cols])
    if total is not None:
        n, tot = total
        table.append(["TOTAL", n] + [tot[c] for c in cols[1:]])
    widths = [max(len(str(row[i])) for row in table) for i in range(len(hdr))]
    for i, row in enumerate(table):
        print("  | " + " | ".join(str(v).ljust(widths[j]) if j == 0 else str(v).rjust(widths[j]) for j, v in enumerate(row)) + " |")
        if i == 0:
            print("  |" + "|".join("-" * (w + 2) for w in widths) + "|")


def score_match(args) -> dict:
    if not args.truth:
        die("match needs --truth truth.csv")
    truth_rows = read_csv(Path(args.truth), ["row_id", "person_id", "kind"])
    truth = {}
    for t in truth_rows:
        if t["row_id"] in truth:
            die(f"{args.truth}: row_id {t['row_id']} appears twice")
        truth[t["row_id"]] = t
    out_rows = read_csv(Path(args.output), ["row_id", "person_id", "score", "decision"])
    seen = {}
    for o in out_rows:
        if o["row_id"] in seen:
            die(f"{args.output}: row_id {o['row_id']} appears twice")
        if o["decision"] not in ("match", "review", "none"):
            die(f"{args.output}: row {o['row_id']}: unknown decision {o['decision']!r}")
        if o["row_id"] not in truth:
            die(f"{args.output}: row_id {o['row_id']} is not in the truth file")
        seen[o["row_id"]] = o
    absent = [rid for rid in truth if rid not in seen]

    has_singled = bool(truth_rows) and "singled_out" in truth_rows[0]
    per_kind = defaultdict(Counter)
    tot = Counter()
    for rid, t in truth.items():
        kind = t["kind"] or "(none)"
        c = per_kind[kind]
        c["rows"] += 1
        in_registry = t["person_id"] != ""
        c["in_registry"] += in_registry
        singled = t.get("singled_out", "")
        if in_registry and has_singled and singled not in ("yes", "no"):
            die(f"{args.truth}: row {rid} names a registry person but singled_out is {singled!r}")
        o = seen.get(rid)
        decision = o["decision"] if o else "missing"
        pid = o["person_id"] if o else ""
        right = in_registry and pid == t["person_id"]
        if in_registry:
            group = "singled" if singled == "yes" else "unsingled" if singled == "no" else None
            if group:
                c[group] += 1
                if decision == "match":
                    c[f"{group}_match_ok" if right else f"{group}_match_wrong"] += 1
                elif decision == "review":
                    c[f"{group}_review"] += 1
        if decision == "match" and not right:
            c["match_wrong_negative" if not in_registry else "match_wrong_other"] += 1
        if decision == "match":
            c["match_ok" if right else "match_wrong"] += 1
        elif decision == "review":
            c["review"] += 1
            c["review_ok"] += right
        elif decision == "none":
            c["none"] += 1
        else:
            c["missing"] += 1
    for c in per_kind.values():
        tot.update(c)

    n_match = tot["match_ok"] + tot["match_wrong"]
    p = tot["match_ok"] / n_match if n_match else 0.0
    r = tot["match_ok"] / tot["in_registry"] if tot["in_registry"] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    task = args.task or "names"
    print(f"{task} (match) {args.tool}: {args.output}")
    print(f"  list rows {len(truth)} (in registry {tot['in_registry']}, not in registry {len(truth) - tot['in_registry']}); output rows {len(out_rows)}, missing {len(absent)}")
    print(f"  match decisions {n_match}: correct {tot['match_ok']}, wrong {tot['match_wrong']}")
    print(f"  review {tot['review']} (right person among them {tot['review_ok']}), none {tot['none']}")
    print(f"  wrong matches {tot['match_wrong']}: on rows naming nobody in the registry "
          f"{tot['match_wrong_negative']}, on rows naming another registry person {tot['match_wrong_other']}")
    print(f"  precision {p:.4f}  recall {r:.4f}  F1 {f:.4f}")
    r_singled = None
    if has_singled:
        r_singled = tot["singled_match_ok"] / tot["singled"] if tot["singled"] else 0.0
        for group, what in (("singled", "singled out"), ("unsingled", "not singled out")):
            print(f"  rows {what} {tot[group]}: matched correctly {tot[group + '_match_ok']}, "
                  f"wrongly {tot[group + '_match_wrong']}, review {tot[group + '_review']}")
        print(f"  recall_singled {r_singled:.4f} (correct matches among rows that single their person out)")
    # Kinds may combine several alterations with '+' (e.g. upper_noaccents+typo):
    # also count each row once under every component of its kind.
    if any("+" in k for k in per_kind):
        per_part = defaultdict(Counter)
        for kind, c in per_kind.items():
            for part in kind.split("+"):
                per_part[part].update(c)
        print()
        print("  by component (a row of kind a+b counts under a and under b):")
        print_kind_table(per_part, None, has_singled)
        print()
        print("  by exact kind:")
    print_kind_table(per_kind, (len(truth), tot), has_singled)
    res = {
        "tool": args.tool, "task": task, "precision": p, "recall": r, "f1": f,
        "seconds": args.seconds, "rss_kb": args.rss_kb, "matches": n_match, "match_ok": tot["match_ok"],
        "match_wrong": tot["match_wrong"], "review": tot["review"],
        "review_ok": tot["review_ok"], "none": tot["none"], "missing": len(absent),
        "recall_singled": r_singled,
        "singled": tot["singled"] if has_singled else None,
        "match_ok_singled": tot["singled_match_ok"] if has_singled else None,
        "match_wrong_negative": tot["match_wrong_negative"],
        "match_wrong_other": tot["match_wrong_other"],
    }
    print(result_line(res))
    for kind in sorted(per_kind):
        c = per_kind[kind]
        print(f"KIND task={task} kind={kind.replace(' ', '_')} rows={c['rows']} in_registry={c['in_registry']} "
              f"match_ok={c['match_ok']} match_wrong={c['match_wrong']} review={c['review']} "
              f"review_ok={c['review_ok']} none={c['none']}"
              + (f" singled={c['singled']} match_ok_singled={c['singled_match_ok']}" if has_singled else ""))
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["link", "dedup", "match"])
    ap.add_argument("output", help="the tool's output csv")
    ap.add_argument("--truth", help="truth csv (defaults to the FEBRL truth files for link/dedup)")
    ap.add_argument("--tool", default="unknown")
    ap.add_argument("--task", help="task name in the RESULT line")
    ap.add_argument("--seconds", type=float, help="measured seconds, echoed in the RESULT line")
    ap.add_argument("--rss-kb", type=int, help="measured peak RSS in KiB, echoed in the RESULT line")
    ap.add_argument("--threshold", type=float, help="link/dedup: keep rows with score >= this")
    args = ap.parse_args()
    if args.mode == "link":
        score_pairs(args, ordered=True)
    elif args.mode == "dedup":
        score_pairs(args, ordered=False)
    else:
        score_match(args)


if __name__ == "__main__":
    main()
