//! `libres export persons`: the registry as CSV, XLSX, JSON or Popolo.
//!
//! CSV, XLSX and JSON carry the person-CSV columns (see [`crate::table`]), so
//! an export can be imported again unchanged. Popolo is for publication: it
//! never carries a confidential field, whatever the flags.
//!
//! Output to a file is written beside it under a temporary name and renamed
//! into place at the end, so a failed export never leaves half a file that
//! looks complete.

use crate::table;
use anyhow::{bail, Context, Result};
use libres_core::{Person, Sex, Status};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{json, Value};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// The person CSV (DESIGN.md).
    Csv,
    /// An Excel workbook with the same columns, every cell as text.
    Xlsx,
    /// A JSON array of objects with the same keys.
    Json,
    /// `{"persons": [...]}` in the Popolo person shape, public fields only.
    Popolo,
}

/// A JSON object whose keys keep the order they were added in (the
/// column order), unlike `serde_json::Map`, which sorts them.
struct Object(Vec<(&'static str, Value)>);

impl Object {
    fn insert(&mut self, key: &'static str, value: Value) {
        self.0.push((key, value));
    }
}

impl Serialize for Object {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// One person as a JSON object with the CSV keys. Absent values are `null`,
/// nationalities an array of codes and `publish` a boolean: the natural JSON
/// types for the same data.
fn json_row(p: &Person, s: Status, columns: &[&'static str]) -> Object {
    let mut m = Object(Vec::with_capacity(columns.len()));
    for c in columns {
        let v = match *c {
            "nationality" => json!(p
                .nationalities
                .iter()
                .map(|n| n.as_str())
                .collect::<Vec<_>>()),
            "publish" => json!(p.publish),
            _ => {
                let text = table::cell(p, s, c);
                if text.is_empty() {
                    Value::Null
                } else {
                    Value::String(text)
                }
            }
        };
        m.insert(c, v);
    }
    m
}

/// Whether an EDTF text is also a plain ISO 8601 date (`YYYY`, `YYYY-MM`,
/// `YYYY-MM-DD`), the only form Popolo's `birth_date` allows.
fn is_plain_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    }
}

/// One person in the Popolo shape. Built from the redacted person, so no
/// confidential field can slip in even if this function grows.
fn popolo_person(person: &Person) -> Object {
    let p = person.redacted();
    let family_name = match &p.surname2 {
        Some(s2) => format!("{} {}", p.surname1, s2),
        None => p.surname1.clone(),
    };
    let mut m = Object(Vec::with_capacity(12));
    m.insert("id", json!(p.id.as_str()));
    m.insert("name", json!(p.full_name()));
    m.insert("given_name", json!(p.given_names));
    m.insert("family_name", json!(family_name));
    m.insert(
        "sort_name",
        json!(format!("{family_name}, {}", p.given_names)),
    );
    if !p.aliases.is_empty() {
        let names: Vec<Value> = p
            .aliases
            .iter()
            .map(|a| json!({ "name": a, "note": "alias" }))
            .collect();
        m.insert("other_names", Value::Array(names));
    }
    if let Some(g) = p.sex {
        let gender = match g {
            Sex::M => "male",
            Sex::F => "female",
            Sex::X => "other",
        };
        m.insert("gender", json!(gender));
    }
    // Popolo dates are plain ISO 8601; an uncertain EDTF date (`1975~`,
    // `198X`) would be misread as exact there, so it is left out.
    if let Some(d) = p
        .birth_date
        .as_ref()
        .map(|d| d.as_str())
        .filter(|d| is_plain_iso_date(d))
    {
        m.insert("birth_date", json!(d));
    }
    if !p.nationalities.is_empty() {
        let codes: Vec<&str> = p.nationalities.iter().map(|c| c.as_str()).collect();
        m.insert("national_identity", json!(codes.join(", ")));
    }
    if let Some(s) = &p.summary {
        m.insert("summary", json!(s));
    }
    m.insert(
        "identifiers",
        json!([{ "scheme": "libres", "identifier": p.id.as_str() }]),
    );
    m
}

/// The most data rows an XLSX sheet holds (1,048,576 rows less the header).
pub const XLSX_MAX_ROWS: u64 = 1_048_575;

/// Where an export goes: any stream, or a file (XLSX needs one: a
/// workbook is a zip archive written with seeks).
pub enum Output {
    /// A stream: standard output, a pipe, a buffer.
    Stream(Box<dyn Write + Send>),
    /// A file, e.g. the temporary file of an [`AtomicFile`].
    File(BufWriter<File>),
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Output::Stream(w) => w.write(buf),
            Output::File(w) => w.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Output::Stream(w) => w.flush(),
            Output::File(w) => w.flush(),
        }
    }
}

/// The state of one format.
enum Sheet {
    Csv(Box<csv::Writer<Output>>),
    Json(Output),
    Popolo(Output),
    Xlsx(Box<rust_xlsxwriter::Workbook>, BufWriter<File>),
}

/// Writes persons in one export format, a chunk at a time, so that a
/// registry of any size is exported in the memory of one chunk. Nothing is
/// complete before [`ExportWriter::finish`]: the JSON closes its array,
/// the workbook is written out.
pub struct ExportWriter {
    sheet: Sheet,
    columns: Vec<&'static str>,
    rows: u64,
}

impl ExportWriter {
    /// Starts an export in `format` to `out`, with the confidential columns
    /// unless `public_only` (Popolo never has them).
    pub fn new(format: ExportFormat, public_only: bool, out: Output) -> Result<Self> {
        let columns = table::export_columns(public_only);
        let sheet = match format {
            ExportFormat::Csv => {
                let mut w = csv::WriterBuilder::new()
                    // `\n`, not CRLF: the files are compared byte for byte
                    // and diffed.
                    .terminator(csv::Terminator::Any(b'\n'))
                    .from_writer(out);
                w.write_record(&columns)
                    .context("could not write the CSV header")?;
                Sheet::Csv(Box::new(w))
            }
            ExportFormat::Json => {
                let mut out = out;
                out.write_all(b"[").context("could not write JSON")?;
                Sheet::Json(out)
            }
            ExportFormat::Popolo => {
                let mut out = out;
                out.write_all(b"{\"persons\":[")
                    .context("could not write JSON")?;
                Sheet::Popolo(out)
            }
            ExportFormat::Xlsx => match out {
                Output::File(file) => Sheet::Xlsx(Box::new(new_workbook(&columns)?), file),
                Output::Stream(_) => {
                    bail!("XLSX is a binary format; give the file to write with --out FILE.xlsx")
                }
            },
        };
        Ok(ExportWriter {
            sheet,
            columns,
            rows: 0,
        })
    }

    /// Writes the next persons.
    pub fn write(&mut self, persons: &[(Person, Status)]) -> Result<()> {
        for (p, s) in persons {
            let first = self.rows == 0;
            self.rows += 1;
            let context = || format!("could not write person {}", p.id);
            match &mut self.sheet {
                Sheet::Csv(w) => w
                    .write_record(
                        table::row(p, *s, &self.columns)
                            .iter()
                            .map(|c| table::to_csv(c).into_owned()),
                    )
                    .map_err(io_first)
                    .with_context(context)?,
                Sheet::Json(out) => {
                    out.write_all(if first { b"\n" } else { b",\n" })
                        .with_context(context)?;
                    serde_json::to_writer(&mut *out, &json_row(p, *s, &self.columns))
                        .with_context(context)?;
                }
                Sheet::Popolo(out) => {
                    out.write_all(if first { b"\n" } else { b",\n" })
                        .with_context(context)?;
                    serde_json::to_writer(&mut *out, &popolo_person(p)).with_context(context)?;
                }
                Sheet::Xlsx(book, _) => {
                    if self.rows > XLSX_MAX_ROWS {
                        bail!(
                            "the registry does not fit in one XLSX sheet (at most \
                             {XLSX_MAX_ROWS} rows); export CSV instead"
                        );
                    }
                    let sheet = book
                        .worksheet_from_index(0)
                        .context("could not reach the sheet")?;
                    let row = u32::try_from(self.rows).context("too many rows")?;
                    for (c, value) in table::row(p, *s, &self.columns).iter().enumerate() {
                        if !value.is_empty() {
                            sheet
                                .write_string(row, c as u16, value)
                                .with_context(context)?;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// How many persons were written.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Completes the export and flushes it.
    pub fn finish(self) -> Result<()> {
        match self.sheet {
            Sheet::Csv(mut w) => w.flush().context("could not write the CSV")?,
            Sheet::Json(mut out) => {
                out.write_all(b"\n]\n").context("could not write JSON")?;
                out.flush().context("could not write JSON")?;
            }
            Sheet::Popolo(mut out) => {
                out.write_all(b"\n]}\n").context("could not write JSON")?;
                out.flush().context("could not write JSON")?;
            }
            Sheet::Xlsx(mut book, mut file) => {
                book.save_to_writer(&mut file)
                    .context("could not write the workbook")?;
                file.flush().context("could not write the workbook")?;
            }
        }
        Ok(())
    }
}

/// A CSV error as the I/O error it is, when it is one: a reader that
/// closed the pipe (`libres export persons | head`) is then recognised as
/// such by the caller.
fn io_first(e: csv::Error) -> anyhow::Error {
    if e.is_io_error() {
        if let csv::ErrorKind::Io(io) = e.into_kind() {
            return io.into();
        }
        return anyhow::anyhow!("could not write the CSV");
    }
    e.into()
}

/// A workbook whose first sheet, `persons`, has the header row of
/// `columns` and every column formatted as text, so that ids such as
/// `0012` and dates such as `1980` survive a round trip untouched. Rows go
/// to a temporary file (constant memory).
fn new_workbook(columns: &[&'static str]) -> Result<rust_xlsxwriter::Workbook> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    // The sheet's rows go to a temporary file (`TMPDIR`); one that cannot
    // be created is an error here or on a later write, never a panic.
    let sheet = book
        .add_worksheet_with_constant_memory()
        .context("could not start the sheet")?;
    sheet
        .set_name("persons")
        .context("could not name the sheet")?;
    for (c, name) in columns.iter().enumerate() {
        let col = c as u16;
        sheet
            .write_string_with_format(0, col, *name, &bold)
            .context("could not write the header")?;
        sheet
            .set_column_format(col, &text)
            .context("could not format a column")?;
    }
    sheet
        .set_freeze_panes(1, 0)
        .context("could not freeze the header")?;
    Ok(book)
}

/// An [`ExportWriter`] as the sink of `PersonReads::export_persons`.
pub struct ExportSink(pub ExportWriter);

#[async_trait::async_trait]
impl libres_store::PersonSink for ExportSink {
    async fn put(&mut self, chunk: Vec<(Person, Status)>) -> libres_store::StoreResult<()> {
        // A chunk is written in a millisecond or two; a failure (a full
        // disk) stops the export and comes back as its error.
        self.0
            .write(&chunk)
            .map_err(|e| libres_store::StoreError::Aborted(e.into()))
    }
}

/// Writes `persons` in `format` to a stream (not XLSX); for tests and small
/// lists.
pub fn write_all(
    format: ExportFormat,
    persons: &[(Person, Status)],
    public_only: bool,
    out: impl Write + Send + 'static,
) -> Result<()> {
    let mut w = ExportWriter::new(format, public_only, Output::Stream(Box::new(out)))?;
    w.write(persons)?;
    w.finish()
}

/// A file written under a temporary name and renamed into place on
/// [`AtomicFile::commit`]; dropped without commit, it is removed.
///
/// Exports may hold relatives' contacts, so on Unix the file is created
/// readable by its owner only (0600), whatever the umask; replacing an
/// existing file never widens that file's mode.
pub struct AtomicFile {
    target: PathBuf,
    temp: PathBuf,
    committed: bool,
}

/// The mode of a new export: read and write for the owner only.
#[cfg(unix)]
const PRIVATE_MODE: u32 = 0o600;

impl AtomicFile {
    /// Prepares to write `target`.
    pub fn new(target: &Path) -> Result<Self> {
        let name = target
            .file_name()
            .with_context(|| format!("{} is not a file name", target.display()))?;
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(name);
        temp_name.push(format!(".{}.partial", std::process::id()));
        let temp = target.with_file_name(temp_name);
        Ok(AtomicFile {
            target: target.to_path_buf(),
            temp,
            committed: false,
        })
    }

    /// Creates the temporary file, private from its first byte.
    pub fn create(&self) -> Result<File> {
        let shown = self.temp.display();
        // A leftover of a run that died with the same process id. Removing
        // a symbolic link removes the link, never its target.
        match std::fs::remove_file(&self.temp) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e).with_context(|| format!("could not remove the stale {shown}"))
            }
            _ => {}
        }
        let mut options = std::fs::OpenOptions::new();
        // `create_new` never follows a link planted at the temporary name.
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
            // The mode is set explicitly after creation as well: the umask
            // could only narrow the creation mode, but an existing target
            // may be narrower still (0400), and must stay so.
            let mode = match std::fs::metadata(&self.target) {
                Ok(m) => m.permissions().mode() & PRIVATE_MODE,
                Err(_) => PRIVATE_MODE,
            };
            options.mode(mode);
            let f = options
                .open(&self.temp)
                .with_context(|| format!("could not create {shown}"))?;
            f.set_permissions(std::fs::Permissions::from_mode(mode))
                .with_context(|| format!("could not restrict the permissions of {shown}"))?;
            Ok(f)
        }
        #[cfg(not(unix))]
        {
            options
                .open(&self.temp)
                .with_context(|| format!("could not create {shown}"))
        }
    }

    /// Creates the temporary file for buffered writing.
    pub fn create_buffered(&self) -> Result<BufWriter<File>> {
        Ok(BufWriter::with_capacity(256 * 1024, self.create()?))
    }

    /// Moves the finished file into place.
    pub fn commit(mut self) -> Result<()> {
        std::fs::rename(&self.temp, &self.target).with_context(|| {
            format!(
                "could not move the export into place at {}",
                self.target.display()
            )
        })?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if !self.committed {
            // Best effort: the file may never have been created.
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use libres_core::person::PersonDraft;
    use std::sync::{Arc, Mutex};

    /// A buffer the export writes into and the test reads back.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn written(format: ExportFormat, persons: &[(Person, Status)], public_only: bool) -> Vec<u8> {
        let out = Shared::default();
        write_all(format, persons, public_only, out.clone()).unwrap();
        let bytes = out.0.lock().unwrap().clone();
        bytes
    }

    fn person(id: &str, publish: bool) -> Person {
        let d = PersonDraft {
            id: id.into(),
            given_names: "José Luis".into(),
            surname1: "de la Cruz".into(),
            surname2: "Núñez".into(),
            birth_date: "1975~".into(),
            sex: "M".into(),
            nationality: "CU|ES".into(),
            country: "CU".into(),
            province: "Holguín, Cuba".into(),
            private_notes: "Nota ficticia: vive con su tía".into(),
            family_contact: "+53 5 000 0000 (ficticio)".into(),
            publish: if publish { "yes" } else { "no" }.into(),
        };
        d.parse().unwrap()
    }

    #[test]
    fn csv_has_the_contract_columns_in_order_and_quotes_when_needed() {
        let out = written(
            ExportFormat::Csv,
            &[(person("CU-1", true), Status::Detained)],
            false,
        );
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "id,given_names,surname1,surname2,birth_date,sex,nationality,country,province,status,private_notes,family_contact,publish\n\
             CU-1,José Luis,de la Cruz,Núñez,1975~,M,CU|ES,CU,\"Holguín, Cuba\",detained,Nota ficticia: vive con su tía,'+53 5 000 0000 (ficticio),yes\n"
        );
    }

    #[test]
    fn public_csv_drops_the_confidential_columns() {
        let out = written(
            ExportFormat::Csv,
            &[(person("CU-1", true).redacted(), Status::Released)],
            true,
        );
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("id,given_names,surname1,surname2,birth_date,sex,nationality,country,province,status,publish\n"));
        assert!(!text.contains("ficticio") && !text.contains("Nota ficticia"));
    }

    #[test]
    fn json_rows_use_the_csv_keys() {
        let out = written(
            ExportFormat::Json,
            &[(person("CU-1", false), Status::Exiled)],
            false,
        );
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v[0]["id"], "CU-1");
        assert_eq!(v[0]["nationality"], json!(["CU", "ES"]));
        assert_eq!(v[0]["publish"], json!(false));
        assert_eq!(v[0]["status"], "exiled");
        let text = String::from_utf8(out).unwrap();
        let first_line = text.lines().nth(1).unwrap();
        let mut last = 0;
        for c in table::COLUMNS {
            let at = first_line.find(&format!("\"{c}\":")).unwrap();
            assert!(at >= last, "{c} is out of order in {first_line}");
            last = at;
        }
    }

    #[test]
    fn an_empty_export_is_still_valid_json() {
        let out = written(ExportFormat::Json, &[], false);
        assert_eq!(serde_json::from_slice::<Value>(&out).unwrap(), json!([]));
        let out = written(ExportFormat::Popolo, &[], false);
        assert_eq!(
            serde_json::from_slice::<Value>(&out).unwrap(),
            json!({ "persons": [] })
        );
    }

    #[test]
    fn popolo_never_carries_confidential_fields_and_skips_uncertain_dates() {
        let out = written(
            ExportFormat::Popolo,
            &[(person("CU-1", true), Status::Detained)],
            false,
        );
        let text = String::from_utf8(out.clone()).unwrap();
        assert!(
            !text.contains("ficticio") && !text.contains("Nota ficticia"),
            "{text}"
        );
        let v: Value = serde_json::from_slice(&out).unwrap();
        let p = &v["persons"][0];
        assert_eq!(p["name"], "José Luis de la Cruz Núñez");
        assert_eq!(p["family_name"], "de la Cruz Núñez");
        assert_eq!(p["gender"], "male");
        assert_eq!(p["national_identity"], "CU, ES");
        assert!(p.get("birth_date").is_none());
    }

    #[test]
    fn plain_iso_dates_are_told_apart_from_edtf_extensions() {
        for ok in ["1980", "1980-03", "1980-03-14"] {
            assert!(is_plain_iso_date(ok), "{ok}");
        }
        for no in ["1980~", "198X", "1980-03-1X", "1980?", "1980/1981"] {
            assert!(!is_plain_iso_date(no), "{no}");
        }
    }
}
