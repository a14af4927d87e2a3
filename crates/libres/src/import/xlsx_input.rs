//! Reading person lists from Excel workbooks (`.xlsx`).
//!
//! The first sheet is read; its first non-empty row is the header. Cells are
//! streamed (never loaded as one grid) and turned into the text a person
//! would see: `1980`, not `1980.0`; a date-formatted cell becomes
//! `YYYY-MM-DD`. Problems are located by the row number shown in the sheet.

use super::{Parsed, Problem, Validator};
use anyhow::{anyhow, bail, Context, Result};
use calamine::{DataRef, Reader, Xlsx};
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

/// The text of one cell, or why it has none.
pub fn cell_text(value: &DataRef<'_>) -> Result<String, String> {
    Ok(match value {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        DataRef::DateTime(dt) if dt.is_datetime() => match dt.as_datetime() {
            Some(t) => {
                use chrono::{Datelike, Timelike};
                let date = format!("{:04}-{:02}-{:02}", t.year(), t.month(), t.day());
                if t.time() == chrono::NaiveTime::MIN {
                    date
                } else {
                    format!("{date}T{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())
                }
            }
            None => {
                return Err(format!(
                    "holds a date the spreadsheet cannot represent ({})",
                    dt.as_f64()
                ))
            }
        },
        // A duration ("[h]:mm") is not a date; keep the number rather than
        // invent a calendar day.
        DataRef::DateTime(dt) => number_text(dt.as_f64()),
        DataRef::DateTimeIso(s) => s.strip_suffix("T00:00:00").unwrap_or(s).to_owned(),
        DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => {
            return Err(format!(
                "holds the spreadsheet error {e}; fix the formula or type the value"
            ))
        }
    })
}

/// A number as a person would type it: whole numbers without `.0`.
fn number_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        // Rust prints the shortest text that reads back as the same number.
        format!("{f}")
    }
}

/// Groups streamed cells into rows and hands them to the validator.
#[derive(Default)]
struct Rows {
    validator: Option<Validator>,
    /// Header cells, lower-cased, to name columns in cell problems.
    header: Vec<String>,
    header_problems: Vec<Problem>,
    /// Column of the header's first cell: a table may start at column B.
    origin: Option<u32>,
    row: Vec<String>,
    row_problems: Vec<Problem>,
}

impl Rows {
    fn column_name(&self, offset: usize, absolute: u32) -> String {
        match self.header.get(offset) {
            Some(h) if !h.is_empty() => h.clone(),
            _ => format!("column {}", column_letters(absolute)),
        }
    }

    fn cell(&mut self, r: u32, c: u32, value: &DataRef<'_>) {
        let line = u64::from(r) + 1;
        let origin = *self.origin.get_or_insert(c);
        if c < origin {
            if !matches!(value, DataRef::Empty) {
                let column = format!("column {}", column_letters(c));
                self.row_problems.push(Problem::new(
                    line,
                    column,
                    "has a value to the left of the header",
                ));
            }
            return;
        }
        let i = (c - origin) as usize;
        if self.row.len() <= i {
            self.row.resize(i + 1, String::new());
        }
        match cell_text(value) {
            Ok(t) => self.row[i] = t,
            Err(m) => {
                let column = self.column_name(i, c);
                self.row_problems.push(Problem::new(line, column, m));
            }
        }
    }

    /// Ends row `index`. Returns false once the header is rejected: nothing
    /// more can be checked then.
    fn flush(&mut self, index: u32) -> bool {
        let line = u64::from(index) + 1;
        let cells = std::mem::take(&mut self.row);
        let problems = std::mem::take(&mut self.row_problems);
        match &mut self.validator {
            None if cells.iter().all(|c| c.trim().is_empty()) && problems.is_empty() => {
                // Rows above the table (blank) do not fix the origin.
                self.origin = None;
            }
            None => match Validator::from_header(&cells, line) {
                Ok(v) => {
                    self.header = cells.iter().map(|c| c.trim().to_lowercase()).collect();
                    self.validator = Some(v);
                }
                Err(p) => {
                    self.header_problems = p;
                    return false;
                }
            },
            Some(v) if problems.is_empty() => v.row(line, &cells, false),
            Some(v) => problems.into_iter().for_each(|p| v.problem(p)),
        }
        true
    }
}

/// Reads and validates the first sheet of a workbook.
pub fn read(path: &Path) -> Result<Parsed> {
    let shown = path.display();
    let file = File::open(path).with_context(|| format!("could not open {shown}"))?;
    let mut book: Xlsx<_> = Xlsx::new(BufReader::new(file))
        .with_context(|| format!("{shown} is not a readable .xlsx workbook"))?;
    let Some(sheet) = book.sheet_names().first().cloned() else {
        bail!("{shown} has no sheet");
    };
    let mut cells = book
        .worksheet_cells_reader(&sheet)
        .with_context(|| format!("could not read sheet `{sheet}` of {shown}"))?;

    let mut rows = Rows::default();
    let mut current: Option<u32> = None;
    let mut header_ok = true;
    while let Some(cell) = cells
        .next_cell()
        .map_err(|e| anyhow!("{e}"))
        .with_context(|| format!("could not read sheet `{sheet}` of {shown}"))?
    {
        let (r, c) = cell.get_position();
        if current != Some(r) {
            if let Some(prev) = current {
                header_ok = rows.flush(prev);
                if !header_ok {
                    break;
                }
            }
            current = Some(r);
        }
        rows.cell(r, c, cell.get_value());
    }
    if let (true, Some(last)) = (header_ok, current) {
        rows.flush(last);
    }
    if !rows.header_problems.is_empty() {
        return Ok(Parsed {
            problems: rows.header_problems,
            ..Parsed::default()
        });
    }
    match rows.validator {
        Some(v) => Ok(v.finish()),
        None => bail!(
            "the first sheet (`{sheet}`) of {shown} is empty; its first row must name the columns"
        ),
    }
}

/// Spreadsheet column letters for a 0-based index: 0 → `A`, 27 → `AB`.
pub fn column_letters(index: u32) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    #[test]
    fn whole_numbers_lose_their_decimal_point() {
        assert_eq!(cell_text(&DataRef::Float(1980.0)), Ok("1980".into()));
        assert_eq!(cell_text(&DataRef::Float(1.5)), Ok("1.5".into()));
        assert_eq!(
            cell_text(&DataRef::Float(5_350_000_000.0)),
            Ok("5350000000".into())
        );
        assert_eq!(cell_text(&DataRef::Int(42)), Ok("42".into()));
    }

    #[test]
    fn date_cells_become_iso_dates() {
        // 45671 is 2025-01-14 in the 1900 date system.
        let d = ExcelDateTime::new(45671.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(cell_text(&DataRef::DateTime(d)), Ok("2025-01-14".into()));
        let d = ExcelDateTime::new(45671.5, ExcelDateTimeType::DateTime, false);
        assert_eq!(
            cell_text(&DataRef::DateTime(d)),
            Ok("2025-01-14T12:00:00".into())
        );
        // The same day in the 1904 system (old Mac workbooks).
        let d = ExcelDateTime::new(44209.0, ExcelDateTimeType::DateTime, true);
        assert_eq!(cell_text(&DataRef::DateTime(d)), Ok("2025-01-14".into()));
        assert_eq!(
            cell_text(&DataRef::DateTimeIso("1985-03-14T00:00:00".into())),
            Ok("1985-03-14".into())
        );
    }

    #[test]
    fn error_cells_are_reported_not_emptied() {
        let e = cell_text(&DataRef::Error(calamine::CellErrorType::NA))
            .err()
            .unwrap_or_default();
        assert!(e.contains("#N/A"), "{e}");
    }

    #[test]
    fn column_letters_follow_the_spreadsheet() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
    }
}
