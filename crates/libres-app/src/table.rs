//! The person table: the columns of the person CSV (DESIGN.md) and how a
//! stored person becomes one row of text.
//!
//! Import and every tabular export share this one definition, so that what
//! we write is exactly what we read back.

use libres_core::{Person, Status};

/// Every column of the person CSV, in export order.
pub const COLUMNS: [&str; 13] = [
    "id",
    "given_names",
    "surname1",
    "surname2",
    "birth_date",
    "sex",
    "nationality",
    "country",
    "province",
    "status",
    "private_notes",
    "family_contact",
    "publish",
];

/// Columns that hold confidential data: dropped entirely from public
/// exports.
pub const CONFIDENTIAL: [&str; 2] = ["private_notes", "family_contact"];

/// Columns an import cannot do without.
pub const REQUIRED: [&str; 5] = ["id", "given_names", "surname1", "country", "publish"];

/// The person field (a name from `Person::FIELD_NAMES`) a column of
/// [`COLUMNS`] carries; `None` for `status`, which is derived and never
/// imported, and for names that are not columns.
pub fn field_name(column: &str) -> Option<&'static str> {
    if column == "status" || !COLUMNS.contains(&column) {
        return None;
    }
    Person::FIELD_NAMES.iter().copied().find(|f| *f == column)
}

/// The person fields an import must leave as stored because the file has
/// no column for them: a list without `family_contact` must not erase the
/// contacts on record. `present` holds the file's columns (names from
/// [`COLUMNS`]).
pub fn absent_fields(present: &[&str]) -> Vec<&'static str> {
    COLUMNS
        .iter()
        .filter(|c| !present.contains(c))
        .filter_map(|c| field_name(c))
        .collect()
}

/// The columns of an export, public or not.
pub fn export_columns(public_only: bool) -> Vec<&'static str> {
    COLUMNS
        .iter()
        .copied()
        .filter(|c| !(public_only && CONFIDENTIAL.contains(c)))
        .collect()
}

/// One cell of a person's row, as text (empty when the value is absent).
pub fn cell(person: &Person, status: Status, column: &str) -> String {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    match column {
        "id" => person.id.to_string(),
        "given_names" => person.given_names.clone(),
        "surname1" => person.surname1.clone(),
        "surname2" => opt(&person.surname2),
        "birth_date" => person
            .birth_date
            .as_ref()
            .map(|d| d.to_string())
            .unwrap_or_default(),
        "sex" => person.sex.map(|s| s.slug().to_owned()).unwrap_or_default(),
        "nationality" => person
            .nationalities
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join("|"),
        "country" => person.country.to_string(),
        "province" => opt(&person.province),
        "status" => status.slug().to_owned(),
        "private_notes" => opt(&person.private_notes),
        "family_contact" => opt(&person.family_contact),
        "publish" => if person.publish { "yes" } else { "no" }.to_owned(),
        // Callers pass names from COLUMNS only; an unknown name is a bug, but
        // an empty cell is a safer failure than a panic in a user's export.
        _ => String::new(),
    }
}

/// The characters that make a spreadsheet program read a cell as a
/// formula (or as the start of one) when it opens a CSV file: `=`, `+`,
/// `-`, `@`, a tab and a carriage return.
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell as the person CSV writes it: one that starts with a formula
/// character ([`FORMULA_STARTS`]) or with an apostrophe gets an
/// apostrophe in front, so that no spreadsheet runs it; every other
/// cell is written as it is. [`from_csv`] undoes exactly this, so an
/// export imports back to the same values.
pub fn to_csv(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) || cell.starts_with('\'') {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// A cell of a person CSV as read: one leading apostrophe is dropped
/// (the one [`to_csv`] added; to import a value that starts with an
/// apostrophe, write two).
pub fn from_csv(cell: &mut String) {
    if cell.starts_with('\'') {
        cell.remove(0);
    }
}

/// [`from_csv`] on borrowed text: the cell without its leading apostrophe.
pub fn from_csv_str(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

/// A person's row for the given columns.
pub fn row(person: &Person, status: Status, columns: &[&str]) -> Vec<String> {
    columns.iter().map(|c| cell(person, status, c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_formula_safe_and_read_back_as_they_were() {
        for (value, written) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+53 5555 5555", "'+53 5555 5555"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("'quoted'", "''quoted'"),
            ("''", "'''"),
            ("Pérez", "Pérez"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(to_csv(value), written, "{value:?}");
            let mut read = written.to_owned();
            from_csv(&mut read);
            assert_eq!(read, value, "{value:?}");
        }
    }

    #[test]
    fn every_imported_column_is_a_person_field() {
        for c in COLUMNS {
            assert_eq!(field_name(c).is_none(), c == "status", "{c}");
        }
        assert_eq!(field_name("nationality"), Some("nationality"));
        assert_eq!(field_name("aliases"), None);
    }

    #[test]
    fn absent_fields_are_the_missing_columns_but_status() {
        assert_eq!(absent_fields(&COLUMNS), Vec::<&str>::new());
        assert_eq!(
            absent_fields(&REQUIRED),
            [
                "surname2",
                "birth_date",
                "sex",
                "nationality",
                "province",
                "private_notes",
                "family_contact"
            ]
        );
        assert_eq!(
            absent_fields(&export_columns(true)),
            ["private_notes", "family_contact"]
        );
    }
}
