//! `libres import persons`: valid files import; bad files are reported line
//! by line and leave the database exactly as it was.

use crate::helpers::{Env, Run, HEADER, SHORT_HEADER};
use std::io::{Read, Write};

/// Runs an import of `content` expected to fail against a registry that
/// accepts imports, checks that the database did not change, and returns
/// the run.
fn rejected(content: impl AsRef<[u8]>, name: &str) -> Run {
    let env = Env::new();
    env.registry("reg.db", 30);
    let before = env.export_csv("reg.db");
    let file = env.write(name, content);
    let run = env.import("reg.db", &file).fails();
    assert!(run.stderr.contains("error: "), "{}", run.stderr);
    assert_eq!(
        env.export_csv("reg.db"),
        before,
        "the database changed after a failed import"
    );
    run
}

#[test]
fn a_valid_file_creates_every_person_and_reports_the_counts() {
    let env = Env::new();
    let file = env.write(
        "ok.csv",
        format!(
            "{HEADER}\n\
             CU-1,José Luis,de la Cruz,Pérez,1975~,M,CU|ES,CU,Holguín,detained,nota,+53 5 000 0000,yes\n\
             CU-2,María de los Ángeles,González,,198X,F,CU,CU,\"La Habana, Cuba\",,,,no\n"
        ),
    );
    let run = env.import("r.db", &file).ok();
    assert!(
        run.stdout.contains("2 created, 0 updated, 0 unchanged"),
        "{}",
        run.stdout
    );
    let csv = env.export_csv("r.db");
    // A cell that starts with `+` is exported with an apostrophe in front
    // (formula-safe; the import drops it again).
    assert!(csv.contains("CU-1,José Luis,de la Cruz,Pérez,1975~,M,CU|ES,CU,Holguín,unknown,nota,'+53 5 000 0000,yes"), "{csv}");
    assert!(
        csv.contains(
            "CU-2,María de los Ángeles,González,,198X,F,CU,CU,\"La Habana, Cuba\",unknown,,,no"
        ),
        "{csv}"
    );
}

#[test]
fn importing_the_same_file_twice_changes_nothing_the_second_time() {
    let env = Env::new();
    let file = env.write(
        "ok.csv",
        format!("{SHORT_HEADER}\nCU-1,Ana,Pérez,CU,yes\nCU-2,Eva,Paz,CU,no\n"),
    );
    env.import("r.db", &file).ok();
    let run = env.import("r.db", &file).ok();
    assert!(
        run.stdout.contains("0 created, 0 updated, 2 unchanged"),
        "{}",
        run.stdout
    );
    let changed = env.write(
        "changed.csv",
        format!("{SHORT_HEADER}\nCU-1,Ana,Pérez,VE,yes\n"),
    );
    let run = env.import("r.db", &changed).ok();
    assert!(
        run.stdout.contains("0 created, 1 updated, 0 unchanged"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_row_with_a_missing_field_is_reported_with_its_line_and_nothing_is_written() {
    let run = rejected(
        format!("{SHORT_HEADER}\nCU-1,Ana,Pérez,CU,yes\nCU-2,Eva,Paz,CU\nCU-3,Luz,Paz,CU,yes\n"),
        "short.csv",
    );
    assert!(
        run.stderr
            .contains("line 3: row: has 4 fields but the header has 5"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("nothing was imported: 1 problem"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_unclosed_quote_is_reported_where_it_opens() {
    let run = rejected(
        format!(
            "{SHORT_HEADER}\nCU-1,Ana,Pérez,CU,yes\n\"CU-2,Eva,Paz,CU,yes\nCU-3,Luz,Paz,CU,yes\n"
        ),
        "quote.csv",
    );
    assert!(
        run.stderr
            .contains("line 3: quoting: a quoted field starts here and is never closed"),
        "{}",
        run.stderr
    );
}

#[test]
fn text_after_a_closing_quote_is_reported() {
    let run = rejected(
        format!("{SHORT_HEADER}\nCU-1,\"Ana\" María,Pérez,CU,yes\n"),
        "after.csv",
    );
    assert!(
        run.stderr
            .contains("line 2: quoting: text follows the closing quote"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_latin1_file_imports_accented_names_correctly_and_says_how_it_was_read() {
    let env = Env::new();
    let mut bytes = format!("{SHORT_HEADER}\n").into_bytes();
    bytes.extend_from_slice(b"CU-1,Jos\xe9 Ram\xf3n,Nu\xf1ez,CU,yes\n");
    let file = env.write("latin1.csv", bytes);
    let run = env.import("r.db", &file).ok();
    assert!(
        run.stderr.contains("not UTF-8") && run.stderr.contains("Windows-1252"),
        "{}",
        run.stderr
    );
    let csv = env.export_csv("r.db");
    assert!(csv.contains("CU-1,José Ramón,Nuñez,"), "{csv}");
}

#[test]
fn a_file_mixing_utf8_and_latin1_is_refused_rather_than_garbled() {
    let mut bytes = format!("{SHORT_HEADER}\nCU-1,José,Pérez,CU,yes\n").into_bytes();
    bytes.extend_from_slice(b"CU-2,Ram\xf3n,Paz,CU,yes\n");
    let run = rejected(bytes, "mixed.csv");
    assert!(
        run.stderr.contains("mixes character encodings"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("line 2 is UTF-8 but line 3 is not"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_unknown_column_is_named_and_nothing_is_written() {
    let run = rejected(
        format!("{SHORT_HEADER},apodo\nCU-1,Ana,Pérez,CU,yes,la flaca\n"),
        "unknown.csv",
    );
    assert!(
        run.stderr
            .contains("line 1: header: unknown column `apodo`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_required_column_is_named() {
    let run = rejected("id,given_names,surname1\nCU-1,Ana,Pérez\n", "missing.csv");
    assert!(
        run.stderr
            .contains("line 1: header: missing required columns `country`, `publish`"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_impossible_date_is_reported_on_its_line_with_its_column() {
    let run = rejected(
        format!("{SHORT_HEADER},birth_date\nCU-1,Ana,Pérez,CU,yes,1980\nCU-2,Eva,Paz,CU,yes,2025-02-30\n"),
        "date.csv",
    );
    assert!(
        run.stderr
            .contains("line 3: birth_date: `2025-02-30` is not a valid EDTF date"),
        "{}",
        run.stderr
    );
}

#[test]
fn duplicate_ids_in_one_file_name_both_lines() {
    let run = rejected(
        format!(
            "{SHORT_HEADER}\nCU-1,Ana,Pérez,CU,yes\nCU-2,Eva,Paz,CU,yes\nCU-1,Ana,Pérez,CU,yes\n"
        ),
        "dup.csv",
    );
    assert!(
        run.stderr
            .contains("line 4: id: `CU-1` appears more than once: on line 2 and on line 4"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_empty_file_is_refused_with_a_clear_message() {
    let run = rejected("", "empty.csv");
    assert!(
        run.stderr
            .contains("is empty; the first line must name the columns"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_file_above_the_size_limit_is_refused_before_it_is_read() {
    let env = Env::new();
    let big = format!("{SHORT_HEADER}\n{}", "CU-1,Ana,Pérez,CU,yes\n".repeat(200));
    let file = env.write("big.csv", big);
    let run = env
        .run(&[
            "import",
            "persons",
            file.to_str().unwrap(),
            "--db",
            &env.db("r.db"),
            "--max-size",
            "1KiB",
        ])
        .fails();
    assert!(
        run.stderr.contains("above the import limit of 1.0 KiB"),
        "{}",
        run.stderr
    );
    assert!(
        !env.path("r.db").exists(),
        "the database should not even be created"
    );
}

#[test]
fn a_two_gigabyte_file_is_refused_by_the_default_limit_without_being_read() {
    let env = Env::new();
    let path = env.path("huge.csv");
    // Sparse: takes no disk space, but reports 2 GiB.
    std::fs::File::create(&path)
        .unwrap()
        .set_len(2 << 30)
        .unwrap();
    let run = env.import("r.db", &path).fails();
    assert!(
        run.stderr
            .contains("huge.csv is 2.0 GiB, above the import limit of 1.0 GiB"),
        "{}",
        run.stderr
    );
}

#[test]
fn every_problem_of_every_row_is_reported_and_long_lists_are_capped() {
    let mut text = format!("{SHORT_HEADER},sex\n");
    for i in 0..60 {
        text.push_str(&format!("CU-{i},,Pérez,XX,maybe,Q\n"));
    }
    let run = rejected(text, "many.csv");
    // Four problems per row: given_names, sex, country, publish.
    assert!(
        run.stderr.contains("line 2: given_names: is empty"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("line 2: country: `XX` is not an ISO 3166-1 alpha-2 country code"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("… and 190 more"), "{}", run.stderr);
    assert!(
        run.stderr.contains("nothing was imported: 240 problems"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_bom_upper_case_headers_and_semicolons_are_accepted() {
    let env = Env::new();
    let file = env.write(
        "excel.csv",
        "\u{feff}ID; Given_Names ;SURNAME1;Country;Publish\r\nCU-1;Ana;Pérez;cu;Sí\r\n",
    );
    env.import("r.db", &file).ok();
    assert!(env
        .export_csv("r.db")
        .contains("CU-1,Ana,Pérez,,,,,CU,,unknown,,,yes"));
}

#[test]
fn blank_lines_do_not_shift_the_reported_line_numbers() {
    let run = rejected(
        format!("{SHORT_HEADER}\r\n\r\nCU-1,Ana,Pérez,CU,yes\r\n\r\n\r\nCU-2,,Paz,CU,yes\r\n"),
        "blank.csv",
    );
    assert!(
        run.stderr.contains("line 6: given_names: is empty"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_workbook_renamed_csv_gets_a_clear_message() {
    let run = rejected(b"PK\x03\x04rest of a zip", "book.csv");
    assert!(
        run.stderr.contains("looks like a zipped document"),
        "{}",
        run.stderr
    );
}

#[test]
fn xlsx_numbers_and_dates_import_as_the_text_a_person_sees() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let env = Env::new();
    let path = env.path("list.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in [
        "id",
        "given_names",
        "surname1",
        "birth_date",
        "country",
        "publish",
        "province",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("dd/mm/yyyy");
    sheet.write_string(1, 0, "CU-1").unwrap();
    sheet.write_string(1, 1, "Yoandri").unwrap();
    sheet.write_string(1, 2, "Pérez").unwrap();
    sheet.write_number(1, 3, 1980).unwrap();
    sheet.write_string(1, 4, "CU").unwrap();
    sheet.write_boolean(1, 5, true).unwrap();
    sheet.write_number(1, 6, 12.5).unwrap();
    sheet.write_string(2, 0, "CU-2").unwrap();
    sheet.write_string(2, 1, "Dayami").unwrap();
    sheet.write_string(2, 2, "García").unwrap();
    sheet
        .write_datetime_with_format(2, 3, ExcelDateTime::from_ymd(1985, 3, 14).unwrap(), &date)
        .unwrap();
    sheet.write_string(2, 4, "CU").unwrap();
    sheet.write_string(2, 5, "no").unwrap();
    book.save(&path).unwrap();

    env.import("r.db", &path).ok();
    let csv = env.export_csv("r.db");
    assert!(
        csv.contains("CU-1,Yoandri,Pérez,,1980,,,CU,12.5,unknown,,,yes"),
        "{csv}"
    );
    assert!(
        csv.contains("CU-2,Dayami,García,,1985-03-14,,,CU,,unknown,,,no"),
        "{csv}"
    );
}

#[test]
fn xlsx_problems_are_located_by_sheet_row() {
    use rust_xlsxwriter::Workbook;
    let env = Env::new();
    env.registry("reg.db", 10);
    let before = env.export_csv("reg.db");
    let path = env.path("bad.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    // The table starts on the third row of the sheet.
    for (c, h) in [
        "id",
        "given_names",
        "surname1",
        "country",
        "publish",
        "birth_date",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    for (c, v) in ["CU-9", "Ana", "Pérez", "CU", "yes", "2025-02-30"]
        .iter()
        .enumerate()
    {
        sheet.write_string(3, c as u16, *v).unwrap();
    }
    book.save(&path).unwrap();
    let run = env.import("reg.db", &path).fails();
    assert!(
        run.stderr
            .contains("line 4: birth_date: `2025-02-30` is not a valid EDTF date"),
        "{}",
        run.stderr
    );
    assert_eq!(env.export_csv("reg.db"), before);
}

/// The row of person `id` in a CSV export.
fn row_of<'a>(csv: &'a str, id: &str) -> &'a str {
    csv.lines()
        .find(|l| l.starts_with(&format!("{id},")))
        .unwrap_or_else(|| panic!("no {id} in {csv}"))
}

#[test]
fn a_file_without_some_columns_leaves_those_fields_as_stored() {
    let env = Env::new();
    let full = env.write(
        "full.csv",
        format!(
            "{HEADER}\n\
             CU-1,José Luis,de la Cruz,Pérez,1975~,M,CU|ES,CU,Holguín,,nota ficticia,tel. 5 000 0000,yes\n"
        ),
    );
    env.import("r.db", &full).ok();
    let before = env.export_csv("r.db");
    assert_eq!(
        row_of(&before, "CU-1"),
        "CU-1,José Luis,de la Cruz,Pérez,1975~,M,CU|ES,CU,Holguín,unknown,nota ficticia,tel. 5 000 0000,yes"
    );

    // Only the required columns: the given names change, nothing else is
    // touched, confidential fields least of all.
    let short = env.write(
        "short.csv",
        format!("{SHORT_HEADER}\nCU-1,José Luís,de la Cruz,CU,yes\n"),
    );
    let run = env.import("r.db", &short).ok();
    assert!(
        run.stdout.contains("0 created, 1 updated, 0 unchanged"),
        "{}",
        run.stdout
    );
    assert_eq!(
        row_of(&env.export_csv("r.db"), "CU-1"),
        "CU-1,José Luís,de la Cruz,Pérez,1975~,M,CU|ES,CU,Holguín,unknown,nota ficticia,tel. 5 000 0000,yes"
    );

    // The same file again changes nothing.
    let run = env.import("r.db", &short).ok();
    assert!(
        run.stdout.contains("0 created, 0 updated, 1 unchanged"),
        "{}",
        run.stdout
    );

    // An empty cell under a column that is there still clears the field.
    let cleared = env.write(
        "cleared.csv",
        format!("{SHORT_HEADER},family_contact,province\nCU-1,José Luís,de la Cruz,CU,yes,,\n"),
    );
    env.import("r.db", &cleared).ok();
    assert_eq!(
        row_of(&env.export_csv("r.db"), "CU-1"),
        "CU-1,José Luís,de la Cruz,Pérez,1975~,M,CU|ES,CU,,unknown,nota ficticia,,yes"
    );
}

#[test]
fn importing_a_public_export_back_keeps_the_confidential_fields() {
    let env = Env::new();
    env.registry("staff.db", 12);
    let before = env.export_csv("staff.db");
    let public = env.path("public.csv");
    env.run(&[
        "export",
        "persons",
        "--public-only",
        "--out",
        public.to_str().unwrap(),
        "--db",
        &env.db("staff.db"),
    ])
    .ok();
    assert!(!std::fs::read_to_string(&public)
        .unwrap()
        .contains("ficticia"));
    let run = env.import("staff.db", &public).ok();
    assert!(
        run.stdout.contains("0 created, 0 updated, 8 unchanged"),
        "{}",
        run.stdout
    );
    assert_eq!(env.export_csv("staff.db"), before);
}

#[test]
fn importing_into_the_synthetic_demo_registry_is_refused() {
    let env = Env::new();
    env.seed("demo.db", 20);
    let before = env.export_csv("demo.db");
    let file = env.write(
        "real.csv",
        format!("{SHORT_HEADER}\nCU-1,Ana,Pérez,CU,yes\n"),
    );
    let run = env.import("demo.db", &file).fails();
    assert!(
        run.stderr
            .contains("holds the synthetic demo registry; real persons cannot be mixed into it; import into a new database, e.g. --db sqlite:registry.db"),
        "{}",
        run.stderr
    );
    assert_eq!(env.export_csv("demo.db"), before);
    // The same file into a new database is fine.
    env.import("registry.db", &file).ok();
}

#[test]
fn a_name_that_a_spreadsheet_would_run_as_a_formula_is_reported() {
    let run = rejected(
        format!(
            "{SHORT_HEADER},province\nCU-1,Ana,Pérez,CU,yes,Holguín\n\
             CU-2,\"=HYPERLINK(\"\"http://x.invalid\"\",\"\"Ana\"\")\",Paz,CU,yes,\n\
             CU-3,Eva,Paz,CU,yes,@SUM(A1)\n"
        ),
        "formula.csv",
    );
    assert!(
        run.stderr.contains(
            "line 3: given_names: starts with `=`, which spreadsheets would run as a formula"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("line 4: province: starts with `@`"),
        "{}",
        run.stderr
    );
}

/// A workbook with the short header and one valid row, written by
/// rust_xlsxwriter, whose sheet XML is then edited by `edit`: the way to
/// get cell positions no spreadsheet program writes.
fn crafted_xlsx(env: &Env, name: &str, edit: impl Fn(String) -> String) -> std::path::PathBuf {
    use rust_xlsxwriter::Workbook;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in [SHORT_HEADER, "CU-1,Ana,Pérez,CU,yes"].iter().enumerate() {
        for (c, v) in row.split(',').enumerate() {
            sheet.write_string(r as u32, c as u16, v).unwrap();
        }
    }
    let bytes = book.save_to_buffer().unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let entry_name = entry.name().unwrap().into_owned();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        if entry_name == "xl/worksheets/sheet1.xml" {
            content = edit(String::from_utf8(content).unwrap()).into_bytes();
        }
        out.start_file(entry_name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&content).unwrap();
    }
    env.write(name, out.finish().unwrap().into_inner())
}

/// Adds an inline-string cell at `reference` (e.g. `ZZZZZZ2`) to the end
/// of its row.
fn with_cell(xml: String, reference: &str) -> String {
    let row: String = reference
        .chars()
        .skip_while(char::is_ascii_alphabetic)
        .collect();
    let open = format!("<row r=\"{row}\"");
    let at = xml.find(&open).expect("the row exists");
    let end = at + xml[at..].find("</row>").unwrap();
    let cell = format!("<c r=\"{reference}\" t=\"inlineStr\"><is><t>x</t></is></c>");
    format!("{}{cell}{}", &xml[..end], &xml[end..])
}

#[test]
fn a_crafted_workbook_imports_unedited() {
    // The crafting itself changes nothing: the tests below fail for the
    // cell they add, not for the way the file was made.
    let env = Env::new();
    let path = crafted_xlsx(&env, "plain.xlsx", |x| x);
    env.import("r.db", &path).ok();
    assert!(env.export_csv("r.db").contains("CU-1,Ana,Pérez,"));
}

#[test]
fn an_xlsx_cell_far_beyond_the_header_is_a_problem_not_gigabytes_of_memory() {
    let env = Env::new();
    env.registry("reg.db", 5);
    let before = env.export_csv("reg.db");
    // Column ZZZZZZ is index 321,272,405: a row that wide would need more
    // than 7 GB of empty strings.
    let path = crafted_xlsx(&env, "wide.xlsx", |x| with_cell(x, "ZZZZZZ2"));
    assert!(std::fs::metadata(&path).unwrap().len() < 10_000);
    let run = env.import("reg.db", &path).fails();
    assert!(
        run.stderr.contains(
            "line 2: column ZZZZZZ: is beyond the last column a spreadsheet can have (XFD)"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(env.export_csv("reg.db"), before);
}

#[test]
fn an_xlsx_value_right_of_the_header_is_reported_with_its_column() {
    let env = Env::new();
    let path = crafted_xlsx(&env, "right.xlsx", |x| with_cell(x, "XFD2"));
    let run = env.import("r.db", &path).fails();
    assert!(
        run.stderr
            .contains("line 2: row: has a value in column XFD but the header has 5 columns"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_xlsx_header_cell_beyond_the_last_column_is_reported() {
    let env = Env::new();
    let path = crafted_xlsx(&env, "head.xlsx", |x| with_cell(x, "XFE1"));
    let run = env.import("r.db", &path).fails();
    assert!(
        run.stderr
            .contains("line 1: column XFE: is beyond the last column a spreadsheet can have (XFD)"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_xlsx_cell_position_that_overflows_is_an_error_not_a_crash() {
    let env = Env::new();
    // Seven letters overflow calamine's 32-bit arithmetic: a panic in
    // builds with overflow checks, a wrapped position without.
    let path = crafted_xlsx(&env, "overflow.xlsx", |x| with_cell(x, "ZZZZZZZ2"));
    let run = env.import("r.db", &path);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("is beyond the last column a spreadsheet can have")
            || run.stderr.contains("the workbook is damaged"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("error: "), "{}", run.stderr);
    assert!(!env.path("r.db").exists());
}

/// A person file of `n` rows, ids `ST-00001`…, one field varying.
fn many_rows(n: u32, note: &str) -> String {
    let mut text = format!("{HEADER}\n");
    for i in 1..=n {
        text.push_str(&format!(
            "ST-{i:05},Yoandri,Pérez,Núñez,1990,M,CU,CU,Holguín,,{note} {i},,yes\n"
        ));
    }
    text
}

#[test]
fn a_file_larger_than_a_batch_imports_whole_and_again_unchanged() {
    let env = Env::new();
    // More than two of the import's batches of 5,000 persons.
    let file = env.write("big.csv", many_rows(12_345, "nota"));
    let run = env.import("r.db", &file).ok();
    assert!(
        run.stdout.contains("12345 created, 0 updated, 0 unchanged"),
        "{}",
        run.stdout
    );
    let csv = env.export_csv("r.db");
    assert_eq!(csv.lines().count(), 12_346);
    assert!(
        csv.contains("ST-12345,Yoandri,Pérez,Núñez"),
        "the last batch"
    );
    let again = env.write("again.csv", many_rows(12_345, "nota"));
    let run = env.import("r.db", &again).ok();
    assert!(run.stdout.contains("0 created, 0 updated, 12345 unchanged"));
}

#[test]
fn a_bad_line_after_many_good_ones_writes_nothing() {
    let mut text = many_rows(11_000, "nota");
    text.push_str("ST-99999,Ana,Paz,,1990,M,CU,XX,Holguín,,,,yes\n");
    let run = rejected(text, "late.csv");
    assert!(run.stderr.contains("line 11002: country"), "{}", run.stderr);
}

#[test]
fn an_import_killed_halfway_leaves_the_database_as_it_was() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let env = Env::new();
    env.registry("r.db", 30);
    let before = env.export_csv("r.db");
    let file = env.write("big.csv", many_rows(60_000, "cambiada"));
    let mut child = env
        .command()
        .args(["import", "persons", file.to_str().unwrap()])
        .args(["--db", &env.db("r.db")])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    // The file is checked; the one write transaction starts now.
    let line = lines.next().unwrap().unwrap();
    assert!(line.starts_with("Writing 60000 persons"), "{line}");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let still_running = child.try_wait().unwrap().is_none();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        still_running,
        "the import ended before it could be interrupted"
    );
    let after = env.export_csv("r.db");
    assert_eq!(after, before, "a half-written import");
    // The database is sound: the same import, run to its end, applies.
    let run = env.import("r.db", &file).ok();
    assert!(run.stdout.contains("60000 created"), "{}", run.stdout);
}

/// A workbook whose shared strings unpack to `strings_mib` MiB of valid
/// XML, in a file of a few hundred KB: a decompression bomb.
fn xlsx_bomb(path: &std::path::Path, strings_mib: usize) {
    use std::io::Write as _;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    let parts: [(&str, &str); 4] = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
        ),
    ];
    for (name, text) in parts {
        zip.start_file(name, deflated).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.start_file("xl/worksheets/sheet1.xml", deflated)
        .unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>"#).unwrap();
    zip.start_file("xl/sharedStrings.xml", deflated).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#).unwrap();
    let chunk = "<si><t>id</t></si>".repeat(1 << 16);
    let mut written = 0;
    while written < strings_mib << 20 {
        zip.write_all(chunk.as_bytes()).unwrap();
        written += chunk.len();
    }
    zip.write_all(b"</sst>").unwrap();
    zip.finish().unwrap();
}

#[test]
fn an_xlsx_decompression_bomb_is_refused_at_once_and_the_database_is_untouched() {
    let env = Env::new();
    env.seed("r.db", 20);
    let before = env.export_csv("r.db");
    let bomb = env.path("bomb.xlsx");
    xlsx_bomb(&bomb, 300);
    let on_disk = std::fs::metadata(&bomb).unwrap().len();
    assert!(on_disk < 2 << 20, "the bomb is {on_disk} bytes on disk");
    // 300 MiB of shared strings, read whole by any reader: refused.
    let started = std::time::Instant::now();
    let run = env.import("r.db", &bomb).fails();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    assert!(run.stderr.contains("decompression bomb"), "{}", run.stderr);
    assert!(
        run.stderr.contains("xl/sharedStrings.xml"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    // Under the part bound but over --max-size once unpacked: refused too.
    let run = env
        .run(&[
            "import",
            "persons",
            bomb.to_str().unwrap(),
            "--max-size",
            "100MiB",
            "--db",
            &env.db("r.db"),
        ])
        .fails();
    assert!(
        run.stderr.contains("unpacks to more than 100"),
        "{}",
        run.stderr
    );
    assert_eq!(env.export_csv("r.db"), before);
}
