#!/usr/bin/env python3
"""Helpers for bench/run.sh (standard library only).

Subcommands:
  dsdb   build the Datasette peer database (persons table + FTS5 index)
  paths  write the request-path files that the wrk Lua script rotates through
         (search queries, 2,000 "popular" person ids, all published ids)
  count  count the data rows of a CSV file (embedded newlines handled)
  fake   fabricate a persons CSV with the Libres columns (development only,
         for exercising the Datasette half before the libres binary exists)
  cpusnap   record the CPU time of every user-space process (from /proc)
  cpuother  CPU used by other processes between two snapshots, in cores
            (and apart, as db, by the PostgreSQL processes marked in them)
  rsscap    kill a step whose process passes a resident-memory cap
"""

import argparse
import csv
import os
import random
import re
import sqlite3
import sys
import urllib.parse

COLUMNS = [
    "id", "given_names", "surname1", "surname2", "birth_date", "sex",
    "nationality", "country", "province", "status", "private_notes",
    "family_contact", "publish",
]
FTS_COLUMNS = ["given_names", "surname1", "surname2"]

csv.field_size_limit(sys.maxsize)


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames or []
        for row in reader:
            yield header, row


def cmd_count(args):
    n = 0
    with open(args.csv, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader, None)
        for _ in reader:
            n += 1
    print(n)


def cmd_dsdb(args):
    if os.path.exists(args.db):
        os.remove(args.db)
    with open(args.csv, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        missing = [c for c in FTS_COLUMNS + ["id"] if c not in header]
        if missing:
            sys.exit(f"prep.py dsdb: {args.csv} lacks columns {missing}")
        con = sqlite3.connect(args.db)
        cols = ", ".join(f"[{c}] TEXT" for c in header)
        # A rowid table, so Datasette's row pages are /datasette/persons/{rowid}
        # (its cheapest lookup).  The external id gets an index as well.
        con.execute(f"CREATE TABLE [persons] ({cols})")
        marks = ", ".join("?" for _ in header)
        con.executemany(f"INSERT INTO [persons] VALUES ({marks})", reader)
        con.execute("CREATE UNIQUE INDEX [idx_persons_id] ON [persons]([id])")
        # The same shape that `sqlite-utils enable-fts` produces (external
        # content FTS5 table named <table>_fts), which Datasette detects.
        fts_cols = ", ".join(f"[{c}]" for c in FTS_COLUMNS)
        con.execute(
            f"CREATE VIRTUAL TABLE [persons_fts] USING FTS5 ({fts_cols}, content=[persons])"
        )
        con.execute(
            f"INSERT INTO [persons_fts] (rowid, {fts_cols}) "
            f"SELECT rowid, {fts_cols} FROM [persons]"
        )
        con.commit()
        con.execute("ANALYZE")
        con.commit()
        n = con.execute("SELECT count(*) FROM persons").fetchone()[0]
        con.execute("VACUUM")
        con.close()
    print(n)


def cmd_paths(args):
    rng = random.Random(args.seed)
    # Persons that the public site shows: the --public-only export when given,
    # else the rows of the full export with publish=yes.
    src = args.public or args.csv
    public = []
    for _, row in read_rows(src):
        if args.public or (row.get("publish", "yes").strip().lower() == "yes"):
            public.append(row)
    if not public:
        sys.exit("prep.py paths: no published persons found")

    con = sqlite3.connect(args.dsdb)
    rowid_of = dict(con.execute("SELECT id, rowid FROM persons"))
    con.close()

    # Person pages: a random sample of published ids, present in both.
    sample = [r for r in public if r["id"] in rowid_of]
    rng.shuffle(sample)
    sample = sample[: args.n]
    if not sample:
        sys.exit("prep.py paths: published ids not found in the Datasette db")
    lang = args.lang
    with open(os.path.join(args.out_dir, "paths_libres_person.txt"), "w") as lf, \
         open(os.path.join(args.out_dir, "paths_ds_person.txt"), "w") as df:
        for r in sample:
            lf.write(f"/{lang}/persons/{urllib.parse.quote(r['id'], safe='')}\n")
            df.write(f"/datasette/persons/{rowid_of[r['id']]}\n")

    # The long tail: every published id present in both, in an order of its
    # own (a separate generator, so the sample above and the queries below
    # stay what they were).
    tail = [r for r in public if r["id"] in rowid_of]
    random.Random(args.seed + 1).shuffle(tail)
    with open(os.path.join(args.out_dir, "paths_libres_person_longtail.txt"), "w") as lf, \
         open(os.path.join(args.out_dir, "paths_ds_person_longtail.txt"), "w") as df:
        for r in tail:
            lf.write(f"/{lang}/persons/{urllib.parse.quote(r['id'], safe='')}\n")
            df.write(f"/datasette/persons/{rowid_of[r['id']]}\n")

    # Search queries drawn from published rows (so frequent surnames come up
    # as often as they occur): 60% a first surname, 20% a first given name,
    # 20% "given surname".
    queries = []
    tries = 0
    while len(queries) < args.queries and tries < args.queries * 20:
        tries += 1
        r = rng.choice(public)
        given = (r.get("given_names") or "").split()
        s1 = (r.get("surname1") or "").strip()
        u = rng.random()
        if u < 0.6 and s1:
            q = s1
        elif u < 0.8 and given:
            q = given[0]
        elif given and s1:
            q = f"{given[0]} {s1}"
        else:
            continue
        queries.append(q)
    with open(os.path.join(args.out_dir, "queries.txt"), "w") as qf, \
         open(os.path.join(args.out_dir, "paths_libres_search.txt"), "w") as lf, \
         open(os.path.join(args.out_dir, "paths_ds_search.txt"), "w") as df:
        for q in queries:
            enc = urllib.parse.quote_plus(q)
            qf.write(q + "\n")
            lf.write(f"/{lang}/persons?q={enc}\n")
            df.write(f"/datasette/persons?_search={enc}\n")
    print(f"{len(sample)} popular person ids, {len(tail)} long-tail person ids, "
          f"{len(queries)} queries")


GIVEN = ["José", "María", "Juan", "Ana", "Luis", "Carmen", "Pedro", "Rosa",
         "Jorge", "Yoani", "Maikel", "Yunior", "Dayana", "Lázaro", "Félix",
         "Ángel", "Daniela", "Miguel", "Teresa", "Raúl", "Osmel", "Yarelis"]
SURN = ["Pérez", "García", "Rodríguez", "González", "Fernández", "López",
        "Martínez", "Sánchez", "Díaz", "Hernández", "Álvarez", "Ruiz",
        "Castillo", "Ortega", "Batista", "Ferrer", "Cabrera", "Valdés",
        "Ochoa", "Quintana", "Zamora", "Villalobos", "Betancourt", "Aguilar",
        "de la Cruz", "del Valle", "Montes de Oca", "Rivero", "Leyva", "Núñez"]


def cmd_fake(args):
    rng = random.Random(args.seed)
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for i in range(1, args.n + 1):
            given = rng.choice(GIVEN) + (" " + rng.choice(GIVEN) if rng.random() < 0.4 else "")
            w.writerow([
                f"P{i:07d}", given, rng.choice(SURN) + f"{rng.randrange(300):03d}" * (rng.random() < 0.5),
                rng.choice(SURN), f"{rng.randrange(1940, 2005)}-{rng.randrange(1, 13):02d}",
                rng.choice("MFX"), "CU", rng.choice(["CU", "VE", "NI"]), "La Habana",
                "detained", "synthetic note", "", "yes" if rng.random() < 0.9 else "no",
            ])


PF_KTHREAD = 0x00200000


def cmd_cpusnap(args):
    """One line per user-space process: pid, start time, CPU ticks of the
    process and of its reaped children, name, parent pid, and 1 if its
    command line matches --mark (the PostgreSQL processes that work for
    the benchmark's databases), else 0.  Kernel threads (softirq work for
    the loopback traffic, among others) are left out: they work for the
    benchmark itself."""
    me = os.getpid()
    mark = re.compile(args.mark) if args.mark else None
    lines = []
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) == me:
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                raw = f.read()
        except OSError:
            continue
        comm = raw[raw.index("(") + 1: raw.rindex(")")].replace(" ", "_")
        fields = raw[raw.rindex(")") + 2:].split()
        # fields[0] is field 3 of proc(5): ppid 4, flags 9, utime 14, stime 15,
        # cutime 16, cstime 17, starttime 22.
        if int(fields[6]) & PF_KTHREAD:
            continue
        marked = 0
        if mark:
            try:
                with open(f"/proc/{d}/cmdline", "rb") as f:
                    cmdline = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
            except OSError:
                cmdline = ""
            marked = 1 if mark.search(cmdline) else 0
        ticks = sum(int(fields[i]) for i in (11, 12, 13, 14))
        lines.append(f"{d} {fields[19]} {ticks} {comm} {fields[1]} {marked}")
    with open(args.out, "w") as f:
        f.write("\n".join(lines) + "\n")


def cmd_cpuother(args):
    """Cores used by processes other than the excluded ones between two
    snapshots, and the three that used most.  A process that started in
    between counts from zero.  One that ended in between is counted in the
    reaped-children time of its nearest living ancestor, for its whole
    life: what it had used by the first snapshot is taken off again there.  Marked processes (the
    PostgreSQL server's work for the benchmark) are not "other": their
    cores are reported apart, as db."""
    def load(path):
        snap = {}
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 6:
                    snap[(parts[0], parts[1])] = (int(parts[2]), parts[3], parts[4],
                                                  parts[5] == "1")
        return snap
    before, after = load(args.before), load(args.after)
    exclude = set(args.exclude)
    hz = os.sysconf("SC_CLK_TCK")
    used = {}
    db = 0
    by_pid = {key[0]: (comm, marked) for key, (_, comm, _, marked) in after.items()}
    for key, (ticks, comm, _, marked) in after.items():
        if key[0] in exclude:
            continue
        d = ticks - before.get(key, (0,))[0]
        if d <= 0:
            continue
        if marked or before.get(key, (0, "", "", False))[3]:
            db += d
        else:
            used[comm] = used.get(comm, 0) + d
    parent_before = {key[0]: ppid for key, (_, _, ppid, _) in before.items()}
    for key, (ticks, comm, ppid, _) in before.items():
        if key in after or key[0] in exclude:
            continue
        # Its whole life was charged to the nearest ancestor still living
        # (a parent that ended too passed it on to its own parent when
        # reaped); an orphan's, to init.  If an excluded process is on the
        # way, it was charged to the benchmark itself.
        anc, seen = ppid, set()
        while anc not in by_pid and anc in parent_before and anc not in exclude and anc not in seen:
            seen.add(anc)
            anc = parent_before[anc]
        if anc in exclude:
            continue
        parent, parent_marked = by_pid.get(anc) or by_pid.get("1", ("(reaper)", False))
        if parent_marked:
            db -= ticks
        else:
            used[parent] = used.get(parent, 0) - ticks
    total = max(0, sum(used.values())) / hz / args.wall
    top = sorted(used.items(), key=lambda kv: -kv[1])[:3]
    who = ",".join(f"{c}:{t / hz / args.wall:.2f}" for c, t in top if t / hz / args.wall >= 0.01)
    print(f"other={total:.2f} other_top={who or '-'} db={max(0, db) / hz / args.wall:.2f}")


def descendants(root):
    """Pids of the living descendants of `root`."""
    children = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                raw = f.read()
        except OSError:
            continue
        ppid = int(raw[raw.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(d))
    out, todo = [], [root]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def rss_mib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def cmd_rsscap(args):
    """Until `--pid` ends, watch the resident memory of each of its
    descendants; when one passes `--cap-mb`, kill it (and its own
    descendants) and write what happened to `--flag`.  Its parents are
    left to reap it, so /usr/bin/time still reports its peak.  The
    benchmark shares its machine: a step that would take all of its memory
    must not take the other processes down with it (the kernel's OOM
    killer chooses its victim freely)."""
    import signal
    import time
    while os.path.exists(f"/proc/{args.pid}"):
        procs = descendants(args.pid)
        for p in procs:
            rss = rss_mib(p)
            if rss > args.cap_mb:
                for q in [p] + descendants(p):
                    try:
                        os.kill(q, signal.SIGKILL)
                    except OSError:
                        pass
                with open(args.flag, "w") as f:
                    f.write(f"killed when its resident memory reached {rss} MiB "
                            f"(cap {args.cap_mb} MiB)\n")
                return
        time.sleep(args.every)


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("count")
    c.add_argument("csv")
    c.set_defaults(fn=cmd_count)
    d = sub.add_parser("dsdb")
    d.add_argument("--csv", required=True)
    d.add_argument("--db", required=True)
    d.set_defaults(fn=cmd_dsdb)
    pa = sub.add_parser("paths")
    pa.add_argument("--csv", required=True)
    pa.add_argument("--public")
    pa.add_argument("--dsdb", required=True)
    pa.add_argument("--out-dir", required=True)
    pa.add_argument("--lang", default="es")
    pa.add_argument("--n", type=int, default=2000)
    pa.add_argument("--queries", type=int, default=500)
    pa.add_argument("--seed", type=int, default=20250101)
    pa.set_defaults(fn=cmd_paths)
    fk = sub.add_parser("fake")
    fk.add_argument("--n", type=int, default=100000)
    fk.add_argument("--out", required=True)
    fk.add_argument("--seed", type=int, default=7)
    fk.set_defaults(fn=cmd_fake)
    cs = sub.add_parser("cpusnap")
    cs.add_argument("out")
    cs.add_argument("--mark", default="",
                    help="regex on /proc/PID/cmdline of the processes counted apart, as db")
    cs.set_defaults(fn=cmd_cpusnap)
    co = sub.add_parser("cpuother")
    co.add_argument("before")
    co.add_argument("after")
    co.add_argument("--wall", type=float, required=True)
    co.add_argument("--exclude", nargs="*", default=[])
    co.set_defaults(fn=cmd_cpuother)
    rc = sub.add_parser("rsscap")
    rc.add_argument("--pid", type=int, required=True)
    rc.add_argument("--cap-mb", type=int, required=True)
    rc.add_argument("--flag", required=True)
    rc.add_argument("--every", type=float, default=0.25)
    rc.set_defaults(fn=cmd_rsscap)
    args = p.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
