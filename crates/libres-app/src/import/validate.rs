//! Turning rows of text cells into persons, collecting every problem.
//!
//! Field rules live in `libres_core::PersonDraft::parse`; what is added here
//! is what only a whole file can know: which column is which, rows of the
//! wrong shape, and ids that appear twice.

use super::{Parsed, Problem};
use crate::table::{absent_fields, COLUMNS, REQUIRED};
use libres_core::person::PersonDraft;
use libres_core::{Person, PersonId};
use std::collections::HashMap;

/// Where a reading pass hands each valid person, instead of keeping it in
/// [`Parsed::persons`]: returns false to stop the reading (the consumer
/// went away).
pub type Sink = Box<dyn FnMut(Person) -> bool + Send>;

/// What a pass does with the valid persons it reads.
#[derive(Default)]
pub enum Keep {
    /// Keeps them in [`Parsed::persons`].
    #[default]
    All,
    /// Only counts them (ids are still checked for repeats): a first pass
    /// in the memory of the ids.
    Count,
    /// Hands them to a sink. Ids are not checked for repeats: such a pass
    /// reads a file that a counting pass (and the store) checked.
    Sink(Sink),
}

/// Where each known column sits in the input rows.
#[derive(Debug, Clone)]
struct Layout {
    /// For each entry of [`COLUMNS`], its position in the row, if present.
    position: [Option<usize>; COLUMNS.len()],
    /// Positions whose header cell is empty: tolerated only while every
    /// value under them is empty too.
    unnamed: Vec<usize>,
    /// Number of header cells.
    width: usize,
}

impl Layout {
    fn get<'a>(&self, cells: &'a [String], column: &str) -> &'a str {
        COLUMNS
            .iter()
            .position(|c| *c == column)
            .and_then(|i| self.position[i])
            .and_then(|p| cells.get(p))
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// Validates rows one at a time (so files are streamed, not loaded whole)
/// and accumulates problems, and persons unless they go to a [`Sink`].
pub struct Validator {
    layout: Layout,
    /// Each id seen so far, with the line it was first seen on (not kept
    /// when persons go to a sink: that pass comes after a checking pass).
    seen: HashMap<PersonId, u64>,
    keep: Keep,
    /// The sink asked to stop.
    stopped: bool,
    out: Parsed,
}

impl std::fmt::Debug for Validator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Validator")
            .field("layout", &self.layout)
            .field("out", &self.out)
            .finish_non_exhaustive()
    }
}

fn fields(n: usize) -> String {
    if n == 1 {
        "1 field".to_owned()
    } else {
        format!("{n} fields")
    }
}

/// Normalises a header cell: surrounding spaces and a stray byte-order mark
/// removed, lower case.
fn header_name(cell: &str) -> String {
    cell.trim_start_matches('\u{feff}').trim().to_lowercase()
}

impl Validator {
    /// Reads the header row. On error returns every header problem at once
    /// (unknown, missing and repeated columns), located on `line`.
    pub fn from_header(cells: &[String], line: u64) -> Result<Self, Vec<Problem>> {
        let mut position = [None; COLUMNS.len()];
        let mut unnamed = Vec::new();
        let mut unknown = Vec::new();
        let mut repeated = Vec::new();
        for (i, cell) in cells.iter().enumerate() {
            let name = header_name(cell);
            if name.is_empty() {
                unnamed.push(i);
                continue;
            }
            match COLUMNS.iter().position(|c| *c == name) {
                Some(k) if position[k].is_some() => repeated.push(name),
                Some(k) => position[k] = Some(i),
                None => unknown.push(cell.trim().to_owned()),
            }
        }
        let mut problems = Vec::new();
        let quote = |v: &[String]| {
            v.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !unknown.is_empty() {
            let s = if unknown.len() == 1 { "" } else { "s" };
            problems.push(Problem::new(
                line,
                "header",
                format!(
                    "unknown column{s} {}; the columns are {}",
                    quote(&unknown),
                    COLUMNS.join(", ")
                ),
            ));
        }
        if !repeated.is_empty() {
            problems.push(Problem::new(
                line,
                "header",
                format!("column {} appears more than once", quote(&repeated)),
            ));
        }
        let missing: Vec<String> = REQUIRED
            .iter()
            .filter(|r| {
                COLUMNS
                    .iter()
                    .position(|c| c == *r)
                    .and_then(|k| position[k])
                    .is_none()
            })
            .map(|r| (*r).to_owned())
            .collect();
        if !missing.is_empty() {
            let s = if missing.len() == 1 { "" } else { "s" };
            problems.push(Problem::new(
                line,
                "header",
                format!("missing required column{s} {}", quote(&missing)),
            ));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let present: Vec<&str> = COLUMNS
            .iter()
            .zip(&position)
            .filter(|(_, p)| p.is_some())
            .map(|(c, _)| *c)
            .collect();
        Ok(Validator {
            layout: Layout {
                position,
                unnamed,
                width: cells.len(),
            },
            seen: HashMap::new(),
            keep: Keep::All,
            stopped: false,
            out: Parsed {
                keep: absent_fields(&present),
                ..Parsed::default()
            },
        })
    }

    /// Says what to do with the valid persons (see [`Keep`]).
    pub fn keeping(mut self, keep: Keep) -> Self {
        self.keep = keep;
        self
    }

    /// Whether the sink asked to stop reading.
    pub fn stopped(&self) -> bool {
        self.stopped
    }

    /// Records a problem found by the reader (a bad quote, a bad cell).
    pub fn problem(&mut self, problem: Problem) {
        self.out.problems.push(problem);
    }

    /// Validates one data row found on `line`.
    ///
    /// `exact_width` is true for CSV, where every record must have as many
    /// fields as the header (extra fields are tolerated only when empty);
    /// spreadsheets store rows sparsely, so a short row there is normal.
    pub fn row(&mut self, line: u64, cells: &[String], exact_width: bool) {
        if cells.iter().all(|c| c.trim().is_empty()) {
            self.out.blank_rows += 1;
            return;
        }
        let width = self.layout.width;
        if exact_width && cells.len() < width {
            self.out.problems.push(Problem::new(
                line,
                "row",
                format!(
                    "has {} but the header has {width}; check for a missing separator or a broken quote",
                    fields(cells.len())
                ),
            ));
            return;
        }
        if let Some(extra) = cells.iter().skip(width).position(|c| !c.trim().is_empty()) {
            let what = if exact_width {
                format!("has {} but the header has {width}", fields(cells.len()))
            } else {
                format!(
                    "has a value in column {} but the header has {width} columns",
                    width + extra + 1
                )
            };
            self.out.problems.push(Problem::new(
                line,
                "row",
                format!(
                    "{what}; quote fields that contain the separator, or name the extra column"
                ),
            ));
            return;
        }
        for &i in &self.layout.unnamed {
            if cells.get(i).is_some_and(|c| !c.trim().is_empty()) {
                self.out.problems.push(Problem::new(
                    line,
                    format!("column {}", i + 1),
                    "has a value but no column name in the header",
                ));
            }
        }
        let l = &self.layout;
        let draft = PersonDraft {
            id: l.get(cells, "id").to_owned(),
            given_names: l.get(cells, "given_names").to_owned(),
            surname1: l.get(cells, "surname1").to_owned(),
            surname2: l.get(cells, "surname2").to_owned(),
            birth_date: l.get(cells, "birth_date").to_owned(),
            sex: l.get(cells, "sex").to_owned(),
            nationality: l.get(cells, "nationality").to_owned(),
            country: l.get(cells, "country").to_owned(),
            province: l.get(cells, "province").to_owned(),
            private_notes: l.get(cells, "private_notes").to_owned(),
            family_contact: l.get(cells, "family_contact").to_owned(),
            publish: l.get(cells, "publish").to_owned(),
        };
        // Duplicates are checked even when other fields are wrong, so the
        // user sees every problem of the file in one run.
        let track = !matches!(self.keep, Keep::Sink(_));
        if let (true, Ok(id)) = (track, PersonId::parse(&draft.id)) {
            if let Some(first) = self.seen.get(&id) {
                self.out.problems.push(Problem::new(
                    line,
                    "id",
                    format!("`{id}` appears more than once: on line {first} and on line {line}"),
                ));
            } else {
                self.seen.insert(id, line);
            }
        }
        match draft.parse() {
            Ok(person) => {
                self.out.count += 1;
                match &mut self.keep {
                    Keep::All => self.out.persons.push(person),
                    Keep::Count => {}
                    Keep::Sink(sink) => self.stopped |= !sink(person),
                }
            }
            Err(errors) => self.out.problems.extend(
                errors
                    .into_iter()
                    .map(|e| Problem::new(line, e.column, e.message)),
            ),
        }
    }

    /// Everything found.
    pub fn finish(self) -> Parsed {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(s: &str) -> Vec<String> {
        s.split(',').map(str::to_owned).collect()
    }

    const HEADER: &str = "id,given_names,surname1,surname2,birth_date,sex,nationality,country,province,status,private_notes,family_contact,publish";

    #[test]
    fn header_names_are_trimmed_and_case_insensitive() {
        let v = Validator::from_header(
            &cells("\u{feff}ID , Given_Names,SURNAME1,country,publish"),
            1,
        );
        assert!(v.is_ok());
    }

    #[test]
    fn columns_absent_from_the_file_are_kept_on_update() {
        let v = Validator::from_header(&cells(HEADER), 1).unwrap();
        assert!(v.finish().keep.is_empty());
        let v = Validator::from_header(
            &cells("id,given_names,surname1,country,publish,Province,private_notes"),
            1,
        )
        .unwrap();
        assert_eq!(
            v.finish().keep,
            [
                "surname2",
                "birth_date",
                "sex",
                "nationality",
                "family_contact"
            ]
        );
    }

    #[test]
    fn an_empty_cell_under_a_present_column_clears_the_field() {
        let mut v = Validator::from_header(
            &cells("id,given_names,surname1,country,publish,family_contact"),
            1,
        )
        .unwrap();
        v.row(2, &cells("CU-1,Ana,Pérez,CU,yes,"), true);
        let out = v.finish();
        assert!(!out.keep.contains(&"family_contact"));
        assert_eq!(out.persons[0].family_contact, None);
    }

    #[test]
    fn unknown_and_missing_columns_are_named() {
        let Err(p) = Validator::from_header(&cells("id,given_names,apodo,surname1,edad"), 1) else {
            panic!("header should be rejected");
        };
        let text: Vec<_> = p.iter().map(|p| p.to_string()).collect();
        assert!(
            text[0].starts_with("line 1: header: unknown columns `apodo`, `edad`;"),
            "{text:?}"
        );
        assert_eq!(
            text[1],
            "line 1: header: missing required columns `country`, `publish`"
        );
    }

    #[test]
    fn a_repeated_column_is_an_error() {
        let Err(p) =
            Validator::from_header(&cells("id,id,given_names,surname1,country,publish"), 1)
        else {
            panic!("header should be rejected");
        };
        assert_eq!(
            p[0].to_string(),
            "line 1: header: column `id` appears more than once"
        );
    }

    #[test]
    fn every_field_error_of_a_row_is_reported_with_its_line() {
        let mut v = Validator::from_header(&cells(HEADER), 1).unwrap();
        v.row(
            4,
            &cells("CU-1,Ana,Pérez,,2025-02-30,Q,CU,CU,,,,,yes"),
            true,
        );
        let out = v.finish();
        let text: Vec<_> = out.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(text.len(), 2, "{text:?}");
        assert!(
            text[0].starts_with("line 4: birth_date: `2025-02-30` is not a valid EDTF date"),
            "{text:?}"
        );
        assert_eq!(text[1], "line 4: sex: `Q` is not one of M, F, X");
    }

    #[test]
    fn duplicate_ids_name_both_lines() {
        let mut v = Validator::from_header(&cells(HEADER), 1).unwrap();
        v.row(2, &cells("CU-1,Ana,Pérez,,,,,CU,,,,,yes"), true);
        v.row(3, &cells("CU-2,Eva,Pérez,,,,,CU,,,,,yes"), true);
        v.row(5, &cells("CU-1,Ana,Pérez,,,,,CU,,,,,yes"), true);
        let out = v.finish();
        assert_eq!(
            out.problems
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>(),
            ["line 5: id: `CU-1` appears more than once: on line 2 and on line 5"]
        );
    }

    #[test]
    fn rows_of_the_wrong_width_are_rejected_but_empty_extras_are_harmless() {
        let mut v = Validator::from_header(&cells(HEADER), 1).unwrap();
        v.row(2, &cells("CU-1,Ana,Pérez"), true);
        v.row(3, &cells("CU-2,Ana,Pérez,,,,,CU,,,,,yes,extra"), true);
        v.row(4, &cells("CU-3,Ana,Pérez,,,,,CU,,,,,yes,,"), true);
        let out = v.finish();
        let text: Vec<_> = out.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(text.len(), 2, "{text:?}");
        assert!(
            text[0].starts_with("line 2: row: has 3 fields but the header has 13"),
            "{text:?}"
        );
        assert!(
            text[1].starts_with("line 3: row: has 14 fields but the header has 13"),
            "{text:?}"
        );
        assert_eq!(out.persons.len(), 1);
    }

    #[test]
    fn blank_rows_are_skipped_and_counted() {
        let mut v = Validator::from_header(&cells(HEADER), 1).unwrap();
        v.row(2, &cells(",,,,,,,,,,,, "), true);
        let out = v.finish();
        assert!(out.problems.is_empty());
        assert_eq!(out.blank_rows, 1);
    }

    #[test]
    fn a_value_under_an_unnamed_column_is_not_dropped_silently() {
        let mut v =
            Validator::from_header(&cells("id,given_names,surname1,country,publish,"), 1).unwrap();
        v.row(2, &cells("CU-1,Ana,Pérez,CU,yes,"), true);
        v.row(3, &cells("CU-2,Ana,Pérez,CU,yes,lost?"), true);
        let out = v.finish();
        let text: Vec<_> = out.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            text,
            ["line 3: column 6: has a value but no column name in the header"]
        );
    }
}
