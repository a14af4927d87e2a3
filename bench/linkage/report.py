#!/usr/bin/env python3
"""Turn the RESULT lines that score.py printed into the summary table.

Usage: report.py RESULTS.txt   (a file holding RESULT lines; other lines ignored)

Columns: task | tool | precision | recall | F1 | seconds | speed ratio | peak RSS MiB
speed ratio = that row's seconds / the Libres seconds for the same task, so a
Splink row showing 40x means Libres finished that task 40 times faster. The
Libres row shows 1x; tasks without a Libres row show "-".
"""

from __future__ import annotations

import sys
from collections import OrderedDict


def parse(path: str) -> list[dict[str, str]]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("RESULT "):
                continue
            rows.append(dict(kv.split("=", 1) for kv in line.split()[1:] if "=" in kv))
    return rows


def fmt(v: str | None, digits: int) -> str:
    if v is None or v == "":
        return "-"
    return f"{float(v):.{digits}f}"


def print_table(table: list[list[str]]) -> None:
    """Prints rows of cells (the first one the header) as a Markdown table:
    the first two columns left-aligned, the others right-aligned."""
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for i, row in enumerate(table):
        print("| " + " | ".join(v.ljust(widths[j]) if j < 2 else v.rjust(widths[j])
                                for j, v in enumerate(row)) + " |")
        if i == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit("usage: report.py RESULTS.txt")
    rows = parse(sys.argv[1])
    libres_secs = {r["task"]: float(r["seconds"]) for r in rows
                   if r.get("tool") == "libres" and r.get("seconds")}
    by_task: OrderedDict[str, list] = OrderedDict()
    for r in rows:
        by_task.setdefault(r["task"], []).append(r)
    hdr = ["task", "tool", "precision", "recall", "F1", "seconds", "speed ratio", "peak RSS MiB"]
    table = [hdr]
    for task, rs in by_task.items():
        for r in rs:
            secs = r.get("seconds")
            ratio = "-"
            if secs and task in libres_secs and libres_secs[task] > 0:
                ratio = f"{float(secs) / libres_secs[task]:.1f}x"
            rss = r.get("rss_kb")
            table.append([
                task, r.get("tool", "?"), fmt(r.get("precision"), 4), fmt(r.get("recall"), 4),
                fmt(r.get("f1"), 4), fmt(secs, 3), ratio,
                f"{int(rss) / 1024:.0f}" if rss else "-",
            ])
    print_table(table)


if __name__ == "__main__":
    main()
