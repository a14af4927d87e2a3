#!/usr/bin/env python3
"""Helpers for bench/run.sh (standard library only).

Subcommands:
  dsdb   build the Datasette peer database (persons table + FTS5 index)
  paths  write the request-path files that the wrk Lua script rotates through
  count  count the data rows of a CSV file (embedded newlines handled)
  fake   fabricate a persons CSV with the Libres columns (development only,
         for exercising the Datasette half before the libres binary exists)
"""

import argparse
import csv
import os
import random
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
    print(f"{len(sample)} person ids, {len(queries)} queries")


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
    args = p.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
