#!/usr/bin/env python3
"""Splink baseline for the FEBRL linkage (febrl4) and dedup (febrl3) tasks.

Usage:
    python splink_febrl.py febrl4 OUT.csv   # writes left_id,right_id,score
    python splink_febrl.py febrl3 OUT.csv   # writes id1,id2,score

Environment variables (all optional):
    SPLINK_MODEL        example (default) | full   -- see below
    SPLINK_THRESHOLD    match-probability threshold, default 0.5
    SPLINK_U_MAX_PAIRS  max_pairs for u estimation in the full model, default 1e6
    FEBRL_DIR           folder with the FEBRL csv files (default /work/shared/data/febrl,
                        else ../../../shared/data/febrl relative to this file)

The whole run (imports, loading, training, prediction, writing) is what the
benchmark times, so this script does only what the output needs: no charts,
no exploratory analysis, no clustering. Logging is at WARNING.

Input: the FEBRL files use ", " as separator with no quoting; every field is
read as a string and an empty field becomes NULL (missing).

Two models, same training recipe (Fellegi-Sunter, unsupervised):

SPLINK_MODEL=example -- the models of Splink's own FEBRL4 ("detailed model")
and FEBRL3 DuckDB examples, restated. At threshold 0.5 this reproduces the
figures quoted in DESIGN.md (F1 0.9991 / 0.9926).
    febrl4 comparisons: NameComparison(given_name), NameComparison(surname)
        (both term-frequency adjusted), DateOfBirthComparison(date_of_birth,
        %Y%m%d, invalid dates as null), Damerau-Levenshtein soc_sec_id [1, 2],
        exact street_number (tf), Damerau-Levenshtein postcode [1, 2] (tf).
    febrl4 blocking: given_name&surname; names swapped; date_of_birth; soc_sec_id;
        state&address_1; street_number&address_1; postcode.
    febrl3 comparisons: NameComparison x2, DateOfBirthComparison (invalid dates as
        null; Splink's febrl3 example leaves that flag off, it changes nothing here),
        Damerau-Levenshtein soc_sec_id [2], exact street_number (tf), exact postcode (tf).
    febrl3 blocking: soc_sec_id; given_name; surname; date_of_birth; postcode.
    u: random sampling, max_pairs 1e6, seed 2.  m: EM blocked on date_of_birth,
    then on postcode.

SPLINK_MODEL=full -- one model for both tasks, using every column the
benchmark brief names (stronger than Splink's examples):
    given_name, surname   exact / Jaro-Winkler >= 0.92 / >= 0.80 / else (tf adjusted)
    date_of_birth         exact / Damerau-Levenshtein <= 1 / <= 2 / else, compared
                          as YYYYMMDD strings (some values are not real dates)
    soc_sec_id            exact / Damerau-Levenshtein <= 1 / <= 2 / else
    street_number         exact (tf) / else
    postcode              exact (tf) / Damerau-Levenshtein <= 1 / else
    suburb                exact (tf) / Jaro-Winkler >= 0.90 / else
    state                 exact / else
    address_1             exact / Jaro-Winkler >= 0.90 / >= 0.80 / else
    blocking: the febrl4 example rules above, for both tasks.
    u: random sampling, max_pairs 1e6 (1e7 gave the same F1 at ~2-3x the time),
    seed 1.  m: EM blocked on date_of_birth, then postcode, then given_name&surname.

Both: probability_two_random_records_match is estimated from deterministic
rules (soc_sec_id; given_name&surname&date_of_birth; for febrl3-example also
swapped names & date_of_birth) with assumed recall 0.8 (febrl4) / 0.9 (febrl3),
as in Splink's examples. EM runs without term frequencies. Output: every
scored pair with match_probability >= threshold; score = match probability.
"""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

import duckdb
import pyarrow as pa

import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

COLUMNS = [
    "rec_id",
    "given_name",
    "surname",
    "street_number",
    "address_1",
    "address_2",
    "suburb",
    "postcode",
    "state",
    "date_of_birth",
    "soc_sec_id",
]


def febrl_dir() -> Path:
    env = os.environ.get("FEBRL_DIR")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for cand in (Path("/work/shared/data/febrl"), here.parents[2] / "shared" / "data" / "febrl"):
        if cand.is_dir():
            return cand
    raise SystemExit("FEBRL data folder not found; set FEBRL_DIR")


def load_febrl(path: Path) -> pa.Table:
    """Read a FEBRL csv: separator ", ", no quoting, every field a string,
    empty field = missing (NULL)."""
    cols: dict[str, list] = {c: [] for c in COLUMNS}
    with open(path, encoding="utf-8", newline="") as f:
        header = [h.strip() for h in f.readline().split(",")]
        if header != COLUMNS:
            raise SystemExit(f"{path}: unexpected header {header}")
        for lineno, line in enumerate(f, start=2):
            line = line.rstrip("\r\n")
            if not line:
                continue
            fields = [x.strip() for x in line.split(",")]
            if len(fields) != len(COLUMNS):
                raise SystemExit(f"{path}:{lineno}: {len(fields)} fields, expected {len(COLUMNS)}")
            for c, v in zip(COLUMNS, fields):
                cols[c].append(v if v != "" else None)
    return pa.table({c: pa.array(v, type=pa.string()) for c, v in cols.items()})


def settings(link_type: str) -> SettingsCreator:
    blocking_rules = [
        block_on("given_name", "surname"),
        "l.given_name = r.surname and l.surname = r.given_name",
        block_on("date_of_birth"),
        block_on("soc_sec_id"),
        block_on("state", "address_1"),
        block_on("street_number", "address_1"),
        block_on("postcode"),
    ]
    tf = {"term_frequency_adjustments": True}
    comparisons = [
        cl.JaroWinklerAtThresholds("given_name", [0.92, 0.8]).configure(**tf),
        cl.JaroWinklerAtThresholds("surname", [0.92, 0.8]).configure(**tf),
        cl.DamerauLevenshteinAtThresholds("date_of_birth", [1, 2]),
        cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
        cl.ExactMatch("street_number").configure(**tf),
        cl.DamerauLevenshteinAtThresholds("postcode", [1]).configure(**tf),
        cl.JaroWinklerAtThresholds("suburb", [0.9]).configure(**tf),
        cl.ExactMatch("state"),
        cl.JaroWinklerAtThresholds("address_1", [0.9, 0.8]),
    ]
    return SettingsCreator(
        unique_id_column_name="rec_id",
        link_type=link_type,
        blocking_rules_to_generate_predictions=blocking_rules,
        comparisons=comparisons,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


def example_settings(mode: str) -> SettingsCreator:
    """SPLINK_MODEL=example: the models of Splink's own documentation examples
    (docs/demos/examples/duckdb/febrl4 'detailed model' and febrl3), restated here:
    fewer columns (no suburb, state, address_1) and Splink's NameComparison /
    DateOfBirthComparison presets."""
    if mode == "febrl4":
        rules = [
            block_on("given_name", "surname"),
            "l.given_name = r.surname and l.surname = r.given_name",
            block_on("date_of_birth"),
            block_on("soc_sec_id"),
            block_on("state", "address_1"),
            block_on("street_number", "address_1"),
            block_on("postcode"),
        ]
        comparisons = [
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d",
                invalid_dates_as_null=True,
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                term_frequency_adjustments=True
            ),
        ]
        link_type = "link_only"
    else:
        rules = [
            block_on("soc_sec_id"),
            block_on("given_name"),
            block_on("surname"),
            block_on("date_of_birth"),
            block_on("postcode"),
        ]
        comparisons = [
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d",
                invalid_dates_as_null=True,
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ]
        link_type = "dedupe_only"
    return SettingsCreator(
        unique_id_column_name="rec_id",
        link_type=link_type,
        blocking_rules_to_generate_predictions=rules,
        comparisons=comparisons,
    )


def main() -> None:
    if len(sys.argv) != 3 or sys.argv[1] not in ("febrl4", "febrl3"):
        raise SystemExit("usage: splink_febrl.py febrl4|febrl3 OUT.csv")
    mode, out = sys.argv[1], Path(sys.argv[2])
    threshold = float(os.environ.get("SPLINK_THRESHOLD", "0.5"))
    data = febrl_dir()

    model = os.environ.get("SPLINK_MODEL", "example")
    if model not in ("full", "example"):
        raise SystemExit("SPLINK_MODEL must be full or example")

    con = duckdb.connect()
    db_api = DuckDBAPI(connection=con)
    if mode == "febrl4":
        inputs = [
            db_api.register(load_febrl(data / "dataset4a.csv"), dataset_display_name="a"),
            db_api.register(load_febrl(data / "dataset4b.csv"), dataset_display_name="b"),
        ]
        link_type, recall = "link_only", 0.8
    else:
        inputs = db_api.register(load_febrl(data / "dataset3.csv"), dataset_display_name="d")
        link_type, recall = "dedupe_only", 0.9
    model_settings = settings(link_type) if model == "full" else example_settings(mode)
    linker = Linker(inputs, model_settings, log_level="WARNING")

    deterministic = [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")]
    if model == "example" and mode == "febrl3":
        deterministic.append(
            "l.given_name = r.surname and l.surname = r.given_name"
            " and l.date_of_birth = r.date_of_birth"
        )
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=recall)
    if model == "full":
        u_pairs = float(os.environ.get("SPLINK_U_MAX_PAIRS", "1e6"))
        linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=1)
        em_rules = [block_on("date_of_birth"), block_on("postcode"), block_on("given_name", "surname")]
    else:
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=2)
        em_rules = [block_on("date_of_birth"), block_on("postcode")]
    for rule in em_rules:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )

    pred = linker.inference.predict(threshold_match_probability=threshold)
    rel = pred.as_duckdbpyrelation()
    if mode == "febrl4":
        # Splink orders each link_only pair by source dataset; map back explicitly
        # so that left_id is always the dataset4a record.
        rows = rel.query(
            "p",
            "select case when source_dataset_l = 'a' then rec_id_l else rec_id_r end, "
            "case when source_dataset_l = 'a' then rec_id_r else rec_id_l end, "
            "match_probability from p order by 1, 2",
        ).fetchall()
        header = ["left_id", "right_id", "score"]
    else:
        rows = rel.query(
            "p", "select rec_id_l, rec_id_r, match_probability from p order by 1, 2"
        ).fetchall()
        header = ["id1", "id2", "score"]

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for a, b, p in rows:
            w.writerow([a, b, f"{p:.6f}"])
    tmp.replace(out)
    print(f"splink {mode}: {len(rows)} pairs >= {threshold} written to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
