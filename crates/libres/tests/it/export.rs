//! `libres export persons`: formats, and what public exports never show.

use crate::helpers::{Env, HEADER};
use serde_json::Value;
use std::collections::HashSet;

/// Strings that only ever appear in confidential fields of the demo data.
const CONFIDENTIAL_MARKERS: [&str; 2] = ["(ficticio)", "Nota ficticia"];

/// Ids of the unpublished persons, read from a full CSV export.
fn unpublished_ids(full_csv: &str) -> Vec<String> {
    full_csv
        .lines()
        .skip(1)
        .filter(|l| l.ends_with(",no"))
        .map(|l| l.split(',').next().unwrap().to_owned())
        .collect()
}

#[test]
fn the_csv_export_has_the_contract_columns_and_is_ordered_by_id() {
    let env = Env::new();
    env.seed("d.db", 200);
    let csv = env.export_csv("d.db");
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some(HEADER));
    let ids: Vec<&str> = lines.map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(ids.len(), 200);
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
}

#[test]
fn public_exports_never_contain_confidential_data_or_unpublished_persons() {
    let env = Env::new();
    env.seed("d.db", 400);
    let full = env.export_csv("d.db");
    let hidden = unpublished_ids(&full);
    assert!(
        !hidden.is_empty(),
        "the demo data should have unpublished persons"
    );
    for marker in CONFIDENTIAL_MARKERS {
        assert!(
            full.contains(marker),
            "the demo data should contain {marker}"
        );
    }
    let db = env.db("d.db");
    for format in ["csv", "json", "popolo"] {
        let out = env
            .run(&[
                "export",
                "persons",
                "--format",
                format,
                "--public-only",
                "--db",
                &db,
            ])
            .ok()
            .stdout;
        for marker in CONFIDENTIAL_MARKERS {
            assert!(!out.contains(marker), "{format} export contains {marker}");
        }
        for id in &hidden {
            assert!(
                !out.contains(&format!("\"{id}\"")) && !out.contains(&format!("\n{id},")),
                "{format} names {id}"
            );
        }
        assert!(
            !out.contains("private_notes") && !out.contains("family_contact"),
            "{format}"
        );
    }
    let public = env
        .run(&["export", "persons", "--public-only", "--db", &db])
        .ok()
        .stdout;
    assert_eq!(
        public.lines().next(),
        Some("id,given_names,surname1,surname2,birth_date,sex,nationality,country,province,status,publish")
    );
    assert_eq!(public.lines().count() - 1, 400 - hidden.len());
}

#[test]
fn popolo_has_no_confidential_field_or_unpublished_person_even_without_the_flag() {
    let env = Env::new();
    env.seed("d.db", 300);
    let hidden: HashSet<String> = unpublished_ids(&env.export_csv("d.db"))
        .into_iter()
        .collect();
    let out = env
        .run(&[
            "export",
            "persons",
            "--format",
            "popolo",
            "--db",
            &env.db("d.db"),
        ])
        .ok();
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    let persons = v["persons"].as_array().unwrap();
    assert_eq!(persons.len(), 300 - hidden.len());
    for p in persons {
        assert!(!hidden.contains(p["id"].as_str().unwrap()));
        assert!(
            p["name"].as_str().is_some()
                && p["given_name"].as_str().is_some()
                && p["family_name"].as_str().is_some()
        );
    }
    for marker in CONFIDENTIAL_MARKERS {
        assert!(!out.stdout.contains(marker));
    }
}

#[test]
fn the_json_export_is_an_array_with_the_csv_keys() {
    let env = Env::new();
    env.seed("d.db", 50);
    let out = env
        .run(&[
            "export",
            "persons",
            "--format",
            "json",
            "--db",
            &env.db("d.db"),
        ])
        .ok();
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 50);
    for key in HEADER.split(',') {
        assert!(rows[0].get(key).is_some(), "missing {key}");
    }
}

#[test]
fn xlsx_needs_an_output_file_and_writes_one_when_given() {
    let env = Env::new();
    env.seed("d.db", 20);
    let run = env
        .run(&[
            "export",
            "persons",
            "--format",
            "xlsx",
            "--db",
            &env.db("d.db"),
        ])
        .fails();
    assert!(run.stderr.contains("--out"), "{}", run.stderr);
    let out = env.path("people.xlsx");
    env.run(&[
        "export",
        "persons",
        "--format",
        "xlsx",
        "--out",
        out.to_str().unwrap(),
        "--db",
        &env.db("d.db"),
    ])
    .ok();
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"PK"));
    // Nothing half-written is left beside it.
    let leftovers: Vec<_> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn an_xlsx_export_without_a_usable_temporary_directory_is_an_error_not_a_crash() {
    // Constant-memory writing keeps the sheet's rows in a temporary file;
    // when none can be made the user gets an error, and no workbook.
    let env = Env::new();
    env.seed("d.db", 5);
    let out = env.path("people.xlsx");
    let output = env
        .command()
        .args(["export", "persons", "--format", "xlsx", "--out"])
        .arg(&out)
        .args(["--db", &env.db("d.db")])
        .env("TMPDIR", env.path("no-such-dir"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error: could not write"), "{stderr}");
    assert!(stderr.contains("no-such-dir"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let left: Vec<_> = std::fs::read_dir(env.path(""))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("people"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn exporting_a_database_that_does_not_exist_fails_instead_of_creating_it() {
    let env = Env::new();
    let run = env
        .run(&["export", "persons", "--db", &env.db("typo.db")])
        .fails();
    assert!(
        run.stderr.contains("there is no database at"),
        "{}",
        run.stderr
    );
    assert!(!env.path("typo.db").exists());
}

#[cfg(unix)]
#[test]
fn export_files_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.registry("d.db", 5);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let export = |format: &str, out: &std::path::Path| {
        env.run(&[
            "export",
            "persons",
            "--format",
            format,
            "--out",
            out.to_str().unwrap(),
            "--db",
            &env.db("d.db"),
        ])
        .ok();
    };
    for (format, name) in [("csv", "p.csv"), ("xlsx", "p.xlsx"), ("json", "p.json")] {
        let out = env.path(name);
        export(format, &out);
        assert_eq!(mode(&out), 0o600, "{format}");
        assert!(std::fs::read(&out).unwrap().len() > 100);
    }
    // Replacing a wider file narrows it; replacing a narrower one keeps it
    // as narrow.
    let wide = env.write("wide.csv", "old");
    std::fs::set_permissions(&wide, std::fs::Permissions::from_mode(0o644)).unwrap();
    export("csv", &wide);
    assert_eq!(mode(&wide), 0o600);
    let narrow = env.write("narrow.csv", "old");
    std::fs::set_permissions(&narrow, std::fs::Permissions::from_mode(0o400)).unwrap();
    export("csv", &narrow);
    assert_eq!(mode(&narrow), 0o400);
    assert!(std::fs::read_to_string(&narrow)
        .unwrap()
        .contains("ficticia"));
}

#[test]
fn an_export_larger_than_a_chunk_streams_every_person_in_order() {
    let env = Env::new();
    env.registry("r.db", 2_345);
    let csv = env.export_csv("r.db");
    let ids: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(ids.len(), 2_345);
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ordered by id");
    for format in ["json", "popolo"] {
        let out = env
            .run(&[
                "export",
                "persons",
                "--format",
                format,
                "--db",
                &env.db("r.db"),
            ])
            .ok()
            .stdout;
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let list = if format == "json" { &v } else { &v["persons"] };
        let expected = if format == "json" {
            2_345
        } else {
            2_345 - 2_345 / 3
        };
        assert_eq!(list.as_array().unwrap().len(), expected, "{format}");
    }
}

#[test]
fn a_reader_that_stops_early_is_no_error() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    // `libres export persons | head -1`: the pipe closes after one line,
    // far before the export is written (more than a pipe buffer).
    let env = Env::new();
    env.registry("r.db", 3_000);
    let mut child = env
        .command()
        .args([
            "export",
            "persons",
            "--format",
            "csv",
            "--db",
            &env.db("r.db"),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("id,"), "{first}");
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
}
