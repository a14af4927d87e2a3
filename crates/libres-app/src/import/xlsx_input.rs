//! Reading person lists from Excel workbooks (`.xlsx`).
//!
//! The first sheet is read; its first non-empty row is the header. Cells are
//! streamed (never loaded as one grid) and turned into the text a person
//! would see: `1980`, not `1980.0`; a date-formatted cell becomes
//! `YYYY-MM-DD`. Problems are located by the row number shown in the sheet.

use super::{Keep, Parsed, Pass, Problem, Validator};
use crate::progress::Unit;
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

/// Columns in a sheet: Excel stops at XFD.
pub const MAX_COLUMNS: u32 = 16_384;

/// Whether a cell has nothing in it (an empty string counts as nothing).
fn is_empty(value: &DataRef<'_>) -> bool {
    match value {
        DataRef::Empty => true,
        DataRef::String(s) => s.trim().is_empty(),
        DataRef::SharedString(s) => s.trim().is_empty(),
        _ => false,
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
    /// What to do with valid persons once the header is read.
    keep: Keep,
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
        // Positions come from the file (`<c r="ZZZZZZ1">`), not from what a
        // spreadsheet program could produce: bound them before they size
        // anything, or a 1 KB workbook asks for gigabytes.
        if c >= MAX_COLUMNS {
            if !is_empty(value) {
                self.row_problems.push(Problem::new(
                    line,
                    format!("column {}", column_letters(c)),
                    format!(
                        "is beyond the last column a spreadsheet can have ({}); \
                         the workbook is damaged or was not made by a spreadsheet program",
                        column_letters(MAX_COLUMNS - 1)
                    ),
                ));
            }
            return;
        }
        let origin = *self.origin.get_or_insert(c);
        if c < origin {
            if !is_empty(value) {
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
        // Once the header is known, no row needs to be wider than it: a
        // value further right is reported here, without growing the row.
        if self.validator.is_some() && i >= self.header.len() {
            if !is_empty(value) {
                self.row_problems.push(Problem::new(
                    line,
                    "row",
                    format!(
                        "has a value in column {} but the header has {} columns; \
                         name that column in the header or delete the value",
                        column_letters(c),
                        self.header.len()
                    ),
                ));
            }
            return;
        }
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
            // A bad cell in the header row (an error value, a cell out of
            // range) would otherwise be read as a missing column name.
            None if !problems.is_empty() => {
                self.header_problems = problems;
                return false;
            }
            None => match Validator::from_header(&cells, line) {
                Ok(v) => {
                    self.header = cells.iter().map(|c| c.trim().to_lowercase()).collect();
                    self.validator = Some(v.keeping(std::mem::replace(&mut self.keep, Keep::All)));
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

/// The largest part of a workbook that is read whole into memory (the
/// shared strings, styles, the workbook itself: everything but the
/// sheets, which are streamed), uncompressed. A workbook of a million
/// persons stays well under it.
pub const MAX_WHOLE_PART_BYTES: u64 = 256 << 20;

/// Refuses a workbook whose parts would unpack to more than `max_total`
/// bytes in all, or whose whole-read parts exceed
/// [`MAX_WHOLE_PART_BYTES`], from the sizes its directory declares,
/// before anything is unpacked. The sizes cannot lie low: the zip reader
/// stops any part at its declared size. (A workbook is a zip archive,
/// and a 2 MB one can hold gigabytes of XML.)
pub(crate) fn check_unpacked_sizes(path: &Path, file: &File, max_total: u64) -> Result<()> {
    let shown = path.display();
    let mut zip = zip::ZipArchive::new(BufReader::new(file))
        .with_context(|| format!("{shown} is not a readable .xlsx workbook"))?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let part = zip
            .by_index_raw(i)
            .with_context(|| format!("{shown} is not a readable .xlsx workbook"))?;
        let size = part.size();
        let name = String::from_utf8_lossy(part.name_raw()).into_owned();
        total = total.saturating_add(size);
        if total > max_total {
            bail!(
                "{shown} unpacks to more than {}, the import limit; it is damaged or built to \
                 exhaust memory (a decompression bomb), or it is too large: split it, or raise \
                 the limit with --max-size. Nothing was imported",
                super::human_bytes(max_total)
            );
        }
        if !name.starts_with("xl/worksheets/") && size > MAX_WHOLE_PART_BYTES {
            bail!(
                "{shown} holds a part ({name}) that unpacks to {}, above the {} a workbook \
                 part may take; it is damaged or built to exhaust memory (a decompression bomb). \
                 Nothing was imported",
                super::human_bytes(size),
                super::human_bytes(MAX_WHOLE_PART_BYTES)
            );
        }
    }
    Ok(())
}

/// Reads and validates the first sheet of a workbook, cell by cell. The
/// workbook may unpack to at most `max_unpacked` bytes.
pub fn read(path: &Path, max_unpacked: u64, pass: &mut Pass<'_>) -> Result<Parsed> {
    let shown = path.display();
    let file = File::open(path).with_context(|| format!("could not open {shown}"))?;
    check_unpacked_sizes(path, &file, max_unpacked)?;
    let file = File::open(path).with_context(|| format!("could not open {shown}"))?;
    let mut book: Xlsx<_> = Xlsx::new(BufReader::new(file))
        .with_context(|| format!("{shown} is not a readable .xlsx workbook"))?;
    let Some(sheet) = book.sheet_names().first().cloned() else {
        bail!("{shown} has no sheet");
    };
    let mut rows = Rows {
        keep: std::mem::replace(&mut pass.keep, Keep::All),
        ..Rows::default()
    };
    pass.progress.begin(pass.step, None, Unit::Items);
    // calamine computes cell positions from the file's `r="…"` attributes
    // (and the sheet's `<dimension ref="…">`) with unchecked arithmetic,
    // which panics on absurd ones (`ZZZZZZZ1`) in builds with overflow
    // checks. A hostile file must get an error, not a crash.
    let streamed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| -> Result<()> {
        let mut cells = book
            .worksheet_cells_reader(&sheet)
            .with_context(|| format!("could not read sheet `{sheet}` of {shown}"))?;
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
            if rows.validator.as_ref().is_some_and(Validator::stopped) {
                break;
            }
            if c == 0 && r.is_multiple_of(4096) {
                pass.progress.reach(u64::from(r));
            }
        }
        if let (true, Some(last)) = (header_ok, current) {
            rows.flush(last);
        }
        Ok(())
    }));
    pass.progress.end();
    match streamed {
        Ok(result) => result?,
        Err(_) => bail!(
            "could not read sheet `{sheet}` of {shown}: the workbook is damaged \
             (a cell position is out of range)"
        ),
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
    let mut n = u64::from(index) + 1;
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
        assert_eq!(column_letters(MAX_COLUMNS - 1), "XFD");
        assert_eq!(column_letters(u32::MAX), "MWLQKWV");
    }

    #[test]
    fn cells_beyond_the_last_column_or_the_header_do_not_grow_the_row() {
        let text = |s: &str| DataRef::String(s.to_owned());
        let mut rows = Rows::default();
        for (c, h) in ["id", "given_names", "surname1", "country", "publish"]
            .iter()
            .enumerate()
        {
            rows.cell(0, c as u32, &text(h));
        }
        rows.cell(0, u32::MAX, &text("x"));
        assert_eq!(rows.row.len(), 5);
        assert_eq!(rows.row_problems.len(), 1);
        rows.row_problems.clear();
        assert!(rows.flush(0));
        for (c, v) in ["CU-1", "Ana", "Pérez", "CU", "yes"].iter().enumerate() {
            rows.cell(1, c as u32, &text(v));
        }
        rows.cell(1, MAX_COLUMNS - 1, &DataRef::Empty);
        rows.cell(1, MAX_COLUMNS - 1, &text(" "));
        assert_eq!(rows.row.len(), 5);
        assert!(rows.row_problems.is_empty());
        rows.cell(1, 26, &text("x"));
        assert_eq!(rows.row.len(), 5);
        assert_eq!(
            rows.row_problems[0].to_string(),
            "line 2: row: has a value in column AA but the header has 5 columns; \
             name that column in the header or delete the value"
        );
    }
}
