#!/usr/bin/env python3
"""Score `libres match` output against truth.csv from independent.py.

    score.py --truth DIR/truth.csv --out OUT.csv [--seconds S] [--label L] [--jsonl FILE]
    score.py --table FILE.jsonl

A `match` row is right when its person_id is the row's true person_id
(an off-registry row has none, so any match on it is wrong).
  precision   right matches / match rows (1.0 when there is no match row)
  recall      right matches / rows whose person is on the registry
  recall_so   the same over the positives that the row singles out
  wrong       wrong match rows, counted by the truth's kind
  review      review rows (review_ok: of them, positives whose true person is proposed)
  ref_p       when DIR/reference.json exists (independent.py --oracle): the precision of
              the registry-only frequency reference at recall 0.85 over singled-out rows
  ref_r       the same reference's highest recall over singled-out rows at which its
              precision is still at least 0.995: what the written information allows
Rows missing from the output count as `none`. Standard library only.
"""
import argparse
import collections
import csv
import json
import os
import sys

TARGET_P, TARGET_R = 0.995, 0.85


def score(truth_path, out_path):
    truth = {r["row_id"]: r for r in csv.DictReader(open(truth_path, newline="", encoding="utf-8"))}
    out = {}
    with open(out_path, newline="", encoding="utf-8") as f:
        rd = csv.reader(f)
        head = next(rd)
        if [h.strip() for h in head[:4]] != ["row_id", "person_id", "score", "decision"]:
            sys.exit("unexpected header in %s: %s" % (out_path, head[:4]))
        for row in rd:
            if row:
                out[row[0]] = (row[1].strip(), row[3].strip())
    s = collections.Counter()
    wrong = collections.Counter()
    for rid, t in truth.items():
        pid, dec = out.get(rid, ("", "none"))
        pos = bool(t["person_id"])
        so = t["singled_out"] == "yes"
        s["rows"] += 1
        s["pos"] += pos
        s["so"] += so
        if rid not in out:
            s["missing"] += 1
        if dec == "match":
            s["match"] += 1
            if pos and pid == t["person_id"]:
                s["right"] += 1
                s["right_so"] += so
            else:
                s["wrong"] += 1
                wrong[t["kind"]] += 1
        elif dec == "review":
            s["review"] += 1
            s["review_ok"] += pos and pid == t["person_id"]
        else:
            s["none"] += 1
            if dec not in ("none", ""):
                s["bad_decision"] += 1
    r = dict(s)
    r["precision"] = s["right"] / s["match"] if s["match"] else 1.0
    r["recall"] = s["right"] / s["pos"] if s["pos"] else 0.0
    r["recall_so"] = s["right_so"] / s["so"] if s["so"] else 0.0
    r["wrong_by_kind"] = dict(sorted(wrong.items(), key=lambda kv: (-kv[1], kv[0])))
    ref = os.path.join(os.path.dirname(os.path.abspath(truth_path)), "reference.json")
    if os.path.exists(ref):
        refs = json.load(open(ref, encoding="utf-8"))
        r["ref_precision"] = refs.get("freq_precision_at_085")
        r["ref_recall"] = refs.get("freq_recall_so_at_0995")
    return r


COLS = [("set", "{label}"), ("rows", "{rows}"), ("on_reg", "{pos}"), ("sing_out", "{so}"),
        ("match", "{match}"), ("wrong", "{wrong}"), ("precision", "{precision:.4f}"),
        ("recall", "{recall:.4f}"), ("recall_so", "{recall_so:.4f}"), ("review", "{review}"),
        ("rev_ok", "{review_ok}"), ("none", "{none}"), ("secs", "{seconds}"), ("ref_p", "{ref}"),
        ("ref_r", "{ref_r}"),
        ("wrong by kind", "{wk}")]


def table(results):
    lines = []
    tot = collections.Counter()
    wk_tot = collections.Counter()
    for r in results:
        for k in ("rows", "pos", "so", "match", "wrong", "right", "right_so", "review",
                  "review_ok", "none"):
            tot[k] += r.get(k, 0)
        wk_tot.update(r.get("wrong_by_kind", {}))
    allr = dict(tot)
    allr["label"] = "ALL"
    allr["precision"] = tot["right"] / tot["match"] if tot["match"] else 1.0
    allr["recall"] = tot["right"] / tot["pos"] if tot["pos"] else 0.0
    allr["recall_so"] = tot["right_so"] / tot["so"] if tot["so"] else 0.0
    secs = [r.get("seconds") for r in results if isinstance(r.get("seconds"), (int, float))]
    allr["seconds"] = max(secs) if secs else ""
    allr["wrong_by_kind"] = dict(wk_tot)
    rows = []
    for r in list(results) + [allr]:
        d = collections.defaultdict(int, r)
        sec = r.get("seconds", "")
        d["seconds"] = ("%.2f" % sec) if isinstance(sec, (int, float)) else sec
        rp = r.get("ref_precision")
        d["ref"] = ("%.4f" % rp) if isinstance(rp, (int, float)) else "-"
        rr = r.get("ref_recall")
        d["ref_r"] = ("%.4f" % rr) if isinstance(rr, (int, float)) else "-"
        d["wk"] = " ".join("%s:%d" % kv for kv in sorted(
            r.get("wrong_by_kind", {}).items(), key=lambda kv: (-kv[1], kv[0]))) or "-"
        rows.append([fmt.format_map(d) for _, fmt in COLS])
    heads = [h for h, _ in COLS]
    widths = [max(len(h), *(len(x[i]) for x in rows)) for i, h in enumerate(heads)]
    lines.append("  ".join(h.ljust(widths[i]) for i, h in enumerate(heads)))
    lines.append("  ".join("-" * w for w in widths))
    for k, x in enumerate(rows):
        if k == len(rows) - 1:
            lines.append("  ".join("-" * w for w in widths))
        lines.append("  ".join(v.ljust(widths[i]) for i, v in enumerate(x)))
    worst_p = min((r["precision"] for r in results), default=1.0)
    worst_r = min((r["recall_so"] for r in results), default=0.0)
    ok_p, ok_r = worst_p >= TARGET_P, worst_r >= TARGET_R
    lines.append("targets, in every set: precision >= %.3f: %s (worst %.4f); recall over singled-out "
                 ">= %.2f: %s (worst %.4f); max seconds %s"
                 % (TARGET_P, "met" if ok_p else "NOT met", worst_p, TARGET_R,
                    "met" if ok_r else "NOT met", worst_r, allr["seconds"]))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--truth")
    ap.add_argument("--out")
    ap.add_argument("--seconds", type=float)
    ap.add_argument("--label", default="")
    ap.add_argument("--jsonl", help="append the result as one JSON line to this file")
    ap.add_argument("--table", help="print the table of a JSON-lines file")
    a = ap.parse_args()
    if a.table:
        results = [json.loads(l) for l in open(a.table, encoding="utf-8") if l.strip()]
        print(table(results))
        return
    if not (a.truth and a.out):
        ap.error("--truth and --out are required (or --table)")
    r = score(a.truth, a.out)
    r["label"] = a.label or a.out
    if a.seconds is not None:
        r["seconds"] = round(a.seconds, 3)
    if a.jsonl:
        with open(a.jsonl, "a", encoding="utf-8") as f:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    else:
        print(table([r]))


if __name__ == "__main__":
    main()
