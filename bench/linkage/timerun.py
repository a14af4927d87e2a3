#!/usr/bin/env python3
"""Time a command whole-process, N times, and report the median.

Usage:
    timerun.py --runs N --label NAME --json OUT.json --log LOG -- CMD [ARGS...]

Each run forks CMD and measures wall-clock time with time.perf_counter() from
just before the fork to just after the child has been reaped, so it covers
interpreter/binary start-up, loading, work and writing the output file (the
output is complete when the process exits). Peak resident memory of each run
is ru_maxrss from os.wait4() on that child -- the same kernel figure that
`/usr/bin/time -v` prints as "Maximum resident set size" (KiB on Linux).

The child's stdout and stderr are appended to LOG. If any run exits non-zero
the last lines of LOG are printed and this script exits with status 1, so the
calling shell script (set -e) stops.

Output: one line `TIME label=NAME runs=N median=S min=S max=S maxrss_kb=K`
and OUT.json with every run's seconds and RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--label", required=True)
    ap.add_argument("--json", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = args.cmd[1:] if args.cmd and args.cmd[0] == "--" else args.cmd
    if not cmd:
        ap.error("no command given")
    if args.runs < 1:
        ap.error("--runs must be >= 1")

    seconds: list[float] = []
    rss_kb: list[int] = []
    with open(args.log, "a", encoding="utf-8") as log:
        for i in range(args.runs):
            log.write(f"### {args.label} run {i + 1}/{args.runs}: {' '.join(cmd)}\n")
            log.flush()
            t0 = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
            _, status, usage = os.wait4(proc.pid, 0)
            t1 = time.perf_counter()
            proc.returncode = os.waitstatus_to_exitcode(status)
            if proc.returncode != 0:
                log.flush()
                print(f"timerun: {args.label}: run {i + 1} failed with exit code {proc.returncode}: "
                      f"{' '.join(cmd)}", file=sys.stderr)
                with open(args.log, encoding="utf-8", errors="replace") as f:
                    tail = f.readlines()[-25:]
                sys.stderr.write("".join("    " + line for line in tail))
                sys.exit(1)
            seconds.append(t1 - t0)
            rss_kb.append(usage.ru_maxrss)

    med = statistics.median(seconds)
    result = {
        "label": args.label,
        "cmd": cmd,
        "runs": args.runs,
        "seconds": seconds,
        "median": med,
        "min": min(seconds),
        "max": max(seconds),
        "maxrss_kb": rss_kb,
        "peak_rss_kb": max(rss_kb),
    }
    with open(args.json, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
    print(f"TIME label={args.label} runs={args.runs} median={med:.6f} min={min(seconds):.6f} "
          f"max={max(seconds):.6f} maxrss_kb={max(rss_kb)}")


if __name__ == "__main__":
    main()
