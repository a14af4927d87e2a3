#!/usr/bin/env python3
"""How much of the SQLite store reappears, line for line, in the PostgreSQL store.

The measure of issue 8: the lines of `crates/libres-store-sqlite/src` that
reappear line for line in `crates/libres-store-postgres/src`, counted in runs
of six or more lines, with blank lines, comments and `use` lines dropped, and
`?1`/`$1` counted as the same.

Each `.rs` file under both crates' `src/` is reduced to its code lines:

- blank lines and comment lines (`//`, `///`, `//!`, and `/* ... */` blocks)
  are dropped; a comment after code on the same line is kept, since telling
  it from a `//` inside a string needs a Rust lexer;
- `use` declarations are dropped whole, including the continuation lines of a
  multi-line `use a::{\n b,\n c,\n};`, which are part of the same `use`;
- whitespace is folded (stripped at both ends, inner runs made one space);
- SQL placeholders `?N` (SQLite) and `$N` (PostgreSQL) become one token.

A code line of a SQLite file counts as duplicated when it lies in a run of at
least six consecutive code lines that also occur consecutively, in the same
order, in one PostgreSQL file.  Runs do not cross file boundaries.  The total
counts each SQLite line once, even when it reappears in several PostgreSQL
files; the per-pair table counts it under every pair where it reappears.

The figure is printed twice: over every line, as the issue counted it (unit
tests inside `src/` included), and with the `#[cfg(test)]` items (the
`mod tests { ... }` blocks) left out of both crates.

Usage: python3 scripts/backend-overlap.py [--min-run 6] [--show] [--root REPO]
Standard library only.
"""

import argparse
import os
import re
import sys

PLACEHOLDER = re.compile(r"[?$][0-9]+")
SPACES = re.compile(r"\s+")
USE_START = re.compile(r"^(pub(\([^)]*\))?\s+)?use\s")


def code_lines(path, without_tests):
    """(line number, normalised text) of the code lines of one file."""
    with open(path, encoding="utf-8") as f:
        raw = f.read().split("\n")
    numbered = list(enumerate(raw, start=1))
    if without_tests:
        keep = cfg_test_mask(raw)
        numbered = [x for x, k in zip(numbered, keep) if k]
    out = []
    in_block = False
    in_use = False
    for no, line in numbered:
        s = line.strip()
        if in_block:
            if "*/" in s:
                in_block = False
            continue
        if in_use:
            if s.endswith(";"):
                in_use = False
            continue
        if not s or s.startswith("//"):
            continue
        if s.startswith("/*"):
            if "*/" not in s:
                in_block = True
            continue
        if USE_START.match(s):
            if not s.endswith(";"):
                in_use = True
            continue
        s = PLACEHOLDER.sub("$N", s)
        s = SPACES.sub(" ", s)
        out.append((no, s))
    return out


def cfg_test_mask(raw_lines):
    """For each line, whether it lies outside every `#[cfg(test)]` item.

    rustfmt closes an item's block with a `}` at the indentation of the
    line that opened it, which is how the item's end is found without
    lexing Rust (braces inside strings would fool a brace counter)."""
    keep = [True] * len(raw_lines)
    i, n = 0, len(raw_lines)
    while i < n:
        if raw_lines[i].strip() != "#[cfg(test)]":
            i += 1
            continue
        start = i
        i += 1
        while i < n and raw_lines[i].strip().startswith("#["):
            i += 1
        if i < n:
            head = raw_lines[i]
            indent = head[: len(head) - len(head.lstrip())]
            if not head.rstrip().endswith(";"):
                i += 1
                while i < n and raw_lines[i].rstrip() != indent + "}":
                    i += 1
            i += 1
        for k in range(start, min(i, n)):
            keep[k] = False
    return keep


def rust_files(src):
    files = []
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(".rs"):
                files.append(os.path.join(dirpath, name))
    return files


def shared_runs(a, b, min_run):
    """The maximal runs of >= min_run consecutive entries that `a` and `b`
    (lists of normalised lines) have in common, as (start in a, start in b,
    length).  A run may overlap another one in `a` (the same lines found at
    two places of `b`)."""
    where = {}
    for j, s in enumerate(b):
        where.setdefault(s, []).append(j)
    runs = {}  # (start in a, start in b) -> length so far
    prev = {}  # j -> length of the common run ending at (i - 1, j)
    for i, s in enumerate(a):
        cur = {}
        for j in where.get(s, ()):
            length = prev.get(j - 1, 0) + 1
            cur[j] = length
            if length >= min_run:
                runs[(i - length + 1, j - length + 1)] = length
        prev = cur
    return [(i, j, n) for (i, j), n in sorted(runs.items())]


def measure(root, min_run, without_tests):
    sq_src = os.path.join(root, "crates", "libres-store-sqlite", "src")
    pg_src = os.path.join(root, "crates", "libres-store-postgres", "src")
    sq = {os.path.relpath(p, root): code_lines(p, without_tests) for p in rust_files(sq_src)}
    pg = {os.path.relpath(p, root): code_lines(p, without_tests) for p in rust_files(pg_src)}
    pairs = []
    total = 0
    per_file = {}
    for fa, la in sq.items():
        texts_a = [t for _, t in la]
        union = set()
        for fb, lb in pg.items():
            runs = shared_runs(texts_a, [t for _, t in lb], min_run)
            hit = set()
            for i, _, n in runs:
                hit.update(range(i, i + n))
            if hit:
                # Original line numbers, for --show.
                shown = [(la[i][0], la[i + n - 1][0], lb[j][0], lb[j + n - 1][0], n)
                         for i, j, n in runs]
                pairs.append((fa, fb, len(hit), shown))
                union |= hit
        per_file[fa] = (len(union), len(la))
        total += len(union)
    return {
        "sqlite_lines": sum(len(v) for v in sq.values()),
        "postgres_lines": sum(len(v) for v in pg.values()),
        "duplicated": total,
        "pairs": pairs,
        "per_file": per_file,
    }


def short(path):
    return path.replace("crates/libres-store-sqlite/", "sqlite/").replace(
        "crates/libres-store-postgres/", "postgres/")


def report(title, r, args):
    share = 100.0 * r["duplicated"] / r["sqlite_lines"] if r["sqlite_lines"] else 0.0
    print(f"## {title}")
    print()
    print(f"code lines: libres-store-sqlite {r['sqlite_lines']}, "
          f"libres-store-postgres {r['postgres_lines']}")
    print(f"duplicated: {r['duplicated']} of {r['sqlite_lines']} SQLite code lines "
          f"({share:.0f}%) reappear in PostgreSQL in runs of >= {args.min_run}")
    print()
    print("| SQLite file | PostgreSQL file | SQLite lines in shared runs |")
    print("|---|---|---:|")
    for fa, fb, n, _ in sorted(r["pairs"], key=lambda p: (-p[2], p[0], p[1])):
        print(f"| {short(fa)} | {short(fb)} | {n} |")
    print()
    if args.show:
        print("Shared runs (code lines; line numbers of the files):")
        print()
        for fa, fb, _, shown in sorted(r["pairs"]):
            for a0, a1, b0, b1, n in shown:
                print(f"- {short(fa)}:{a0}-{a1} = {short(fb)}:{b0}-{b1} ({n} lines)")
        print()
    print("| SQLite file | duplicated | code lines |")
    print("|---|---:|---:|")
    for fa, (d, n) in sorted(r["per_file"].items()):
        print(f"| {short(fa)} | {d} | {n} |")
    print()


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--min-run", type=int, default=6,
                   help="shortest run of consecutive lines that counts (default 6)")
    p.add_argument("--show", action="store_true",
                   help="also list every shared run with its line numbers")
    p.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                   help="repository root (default: this script's repository)")
    args = p.parse_args()
    if args.min_run < 1:
        sys.exit("--min-run must be at least 1")
    for crate in ("libres-store-sqlite", "libres-store-postgres"):
        if not os.path.isdir(os.path.join(args.root, "crates", crate, "src")):
            sys.exit(f"no crates/{crate}/src under {args.root}")
    report("All lines of src/ (as the issue counts them)",
           measure(args.root, args.min_run, False), args)
    report("Without #[cfg(test)] items", measure(args.root, args.min_run, True), args)


if __name__ == "__main__":
    main()
