//! `libres import persons`: reading a person list from CSV or XLSX.
//!
//! The rule is that bad input loses nothing and writes nothing. Every row is
//! read and validated before anything touches the database; every problem
//! found is reported as `line N: column: what is wrong`; and only a file
//! without a single problem is written, in one transaction. A file is never
//! half-imported.
//!
//! Reading is split by format ([`csv_input`], [`xlsx_input`]); both feed
//! rows of text cells into the same [`Validator`], so the two formats accept
//! and reject exactly the same things.
//!
//! A file of any size is imported in bounded memory, in two passes over
//! it ([`import`]): the first checks every row and keeps only the problems
//! (and the ids, to find repeats); only a file without a problem is read
//! again, and its persons go to the store a batch at a time, all in one
//! transaction that commits after the last batch. A file that changes
//! between the passes, a store that fails, a process that is killed: the
//! transaction is rolled back and the registry is as it was.

pub mod csv_input;
pub mod decode;
pub mod lines;
pub mod validate;
pub mod xlsx_input;

use crate::progress::{Progress, Silent, Unit};
use anyhow::{anyhow, bail, Context, Result};
use libres_core::Person;
use libres_store::{PersonBatches, PersonWrites, StoreError, StoreResult, UpsertSummary};
use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::Path;

pub use validate::{Keep, Sink, Validator};

/// One thing wrong with the input, located by its line (or sheet row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based physical line of the file (header = 1), or the sheet row.
    pub line: u64,
    /// The column concerned, or `header`, `row` or `quoting` for problems
    /// with the header, the row's shape or the CSV quoting.
    pub column: String,
    /// What is wrong, in words a researcher understands.
    pub message: String,
}

impl Problem {
    /// A new problem.
    pub fn new(line: u64, column: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            line,
            column: column.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}: {}", self.line, self.column, self.message)
    }
}

/// Limits and settings of an import.
#[derive(Debug, Clone, Copy)]
pub struct ImportOptions {
    /// Files larger than this many bytes are refused before being read.
    pub max_bytes: u64,
}

/// The default size limit: 1 GiB, far above any real registry (a million
/// persons is about 150 MB of CSV) yet small enough to never exhaust memory.
pub const DEFAULT_MAX_BYTES: u64 = 1 << 30;

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// The outcome of reading and validating a whole file.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Every valid person, in file order, unless they went to a
    /// [`validate::Sink`].
    pub persons: Vec<Person>,
    /// How many valid persons the file holds.
    pub count: u64,
    /// Every problem found, ordered by line. Non-empty means: import nothing.
    pub problems: Vec<Problem>,
    /// Things the user should know that are not errors (e.g. the encoding
    /// that was detected).
    pub notes: Vec<String>,
    /// Rows with every cell empty, skipped (spreadsheets leave them behind).
    pub blank_rows: u64,
    /// Person fields (names from `Person::FIELD_NAMES`) the file has no
    /// column for: an update must keep their stored values. An empty cell
    /// under a column that is present clears the field; an absent column
    /// says nothing about it.
    pub keep: Vec<&'static str>,
    /// The encoding of a CSV file, once found.
    pub encoding: Option<decode::Encoding>,
}

/// What one reading pass over a file needs besides the file.
pub struct Pass<'a> {
    /// The name of the step, for progress reports.
    pub step: &'static str,
    /// Told how far the reading is.
    pub progress: &'a dyn Progress,
    /// What to do with the valid persons.
    pub keep: Keep,
    /// The encoding an earlier pass found in a CSV file (its scan is then
    /// skipped).
    pub encoding: Option<decode::Encoding>,
}

impl<'a> Pass<'a> {
    /// A pass that checks every row and keeps the valid persons.
    pub fn checking(progress: &'a dyn Progress) -> Self {
        Pass {
            step: "checking",
            progress,
            keep: Keep::All,
            encoding: None,
        }
    }

    /// A pass that checks every row and keeps only the count of valid
    /// persons: the first pass of an import, in the memory of the ids.
    pub fn counting(progress: &'a dyn Progress) -> Self {
        Pass {
            keep: Keep::Count,
            ..Pass::checking(progress)
        }
    }
}

/// The formats we read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma- (or semicolon-, or tab-) separated text.
    Csv,
    /// An Excel workbook (Office Open XML).
    Xlsx,
}

/// Decides the format from the extension, then checks it against the first
/// bytes, so that a workbook renamed `.csv` gets a clear message instead of
/// a page of garbage errors.
pub fn detect_format(path: &Path) -> Result<Format> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let mut magic = [0u8; 8];
    let mut f = File::open(path).with_context(|| format!("could not open {}", path.display()))?;
    let n = read_up_to(&mut f, &mut magic)
        .with_context(|| format!("could not read {}", path.display()))?;
    let magic = &magic[..n];
    let zip = magic.starts_with(b"PK\x03\x04");
    let ole = magic.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    if ole {
        bail!(
            "{} is an old-style Excel (.xls) file or another binary document; \
             save it as .xlsx or as CSV UTF-8 and import that",
            path.display()
        );
    }
    match ext.as_str() {
        "xlsx" | "xlsm" if zip => Ok(Format::Xlsx),
        "xlsx" | "xlsm" => bail!(
            "{} is named .{ext} but is not an Excel workbook",
            path.display()
        ),
        "xls" | "ods" | "numbers" => bail!(
            "{}: .{ext} files are not supported; save it as .xlsx or as CSV UTF-8",
            path.display()
        ),
        _ if zip => bail!(
            "{} looks like a zipped document (an Excel workbook?), not CSV; \
             if it is a workbook, name it .xlsx",
            path.display()
        ),
        _ => Ok(Format::Csv),
    }
}

/// Reads and validates a person file without touching any database.
pub fn read_file(path: &Path, options: &ImportOptions, pass: &mut Pass<'_>) -> Result<Parsed> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("could not open {}", path.display()))?;
    if !meta.is_file() {
        bail!("{} is not a file", path.display());
    }
    // Checked before reading anything: a 2 GB file must get a clear answer,
    // not an out-of-memory kill halfway through.
    if meta.len() > options.max_bytes {
        bail!(
            "{} is {}, above the import limit of {}; split the file, or raise the limit with --max-size",
            path.display(),
            human_bytes(meta.len()),
            human_bytes(options.max_bytes)
        );
    }
    if meta.len() == 0 {
        bail!(
            "{} is empty; the first line must name the columns ({})",
            path.display(),
            crate::table::REQUIRED.join(", ")
        );
    }
    let mut parsed = match detect_format(path)? {
        Format::Csv => csv_input::read(path, meta.len(), pass)?,
        Format::Xlsx => xlsx_input::read(path, options.max_bytes, pass)?,
    };
    // Problems from different passes (quoting, then rows) are merged here;
    // the sort is stable so each line keeps its problems in column order.
    parsed.problems.sort_by_key(|p| p.line);
    // A broken quote also breaks the shape of its row; the quote message is
    // the one that says what to fix, so it is the one kept.
    let quote_lines: std::collections::HashSet<u64> = parsed
        .problems
        .iter()
        .filter(|p| p.column == "quoting")
        .map(|p| p.line)
        .collect();
    parsed
        .problems
        .retain(|p| !(p.column == "row" && quote_lines.contains(&p.line)));
    Ok(parsed)
}

/// Persons per batch handed to the store by the second pass.
const BATCH: usize = 5000;

/// Batches in flight between the reading thread and the store.
const BATCHES_IN_FLIGHT: usize = 2;

/// The second pass of an import: the file read again on a blocking
/// thread, its persons sent to the store a batch at a time.
struct SecondPass {
    batches: tokio::sync::mpsc::Receiver<Vec<Person>>,
    reader: Option<tokio::task::JoinHandle<Result<Parsed>>>,
    /// Persons the first pass found.
    expected: u64,
}

#[async_trait::async_trait]
impl PersonBatches for SecondPass {
    async fn next_batch(&mut self) -> StoreResult<Option<Vec<Person>>> {
        if let Some(batch) = self.batches.recv().await {
            return Ok(Some(batch));
        }
        // The reader is done: the import commits only if it read exactly
        // what the first pass checked.
        let Some(reader) = self.reader.take() else {
            return Ok(None);
        };
        let aborted = |e: anyhow::Error| StoreError::Aborted(e.into());
        let parsed = reader
            .await
            .map_err(|e| aborted(anyhow!("the file reader stopped: {e}")))?
            .map_err(aborted)?;
        if !parsed.problems.is_empty() || parsed.count != self.expected {
            return Err(aborted(anyhow!(
                "the file changed while it was being imported (the second reading found {} \
                 persons and {} problems, the first {} persons and none)",
                parsed.count,
                parsed.problems.len(),
                self.expected
            )));
        }
        Ok(None)
    }
}

/// Imports a file that [`read_file`] found without problems (`checked`),
/// reading it a second time and writing its persons in one transaction
/// under `actor`. The progress counts persons written.
pub async fn import(
    store: &dyn PersonWrites,
    path: &Path,
    options: &ImportOptions,
    checked: &Parsed,
    actor: &str,
    progress: std::sync::Arc<dyn Progress>,
) -> Result<UpsertSummary> {
    if !checked.problems.is_empty() {
        bail!(
            "{} has {} problems; nothing can be imported",
            path.display(),
            checked.problems.len()
        );
    }
    let (tx, rx) = tokio::sync::mpsc::channel(BATCHES_IN_FLIGHT);
    let expected = checked.count;
    let (path_buf, options, encoding) = (path.to_path_buf(), *options, checked.encoding);
    let reader = tokio::task::spawn_blocking(move || {
        // The batch being filled, shared by the sink (rows as they are
        // read) and this thread (the last, partial batch at the end).
        let batch = std::sync::Arc::new(std::sync::Mutex::new(Vec::with_capacity(BATCH)));
        let filling = std::sync::Arc::clone(&batch);
        let sender = tx.clone();
        let watcher = std::sync::Arc::clone(&progress);
        let mut sent = 0u64;
        watcher.begin("writing", Some(expected), Unit::Items);
        let sink: Sink = Box::new(move |p| {
            let mut b = filling.lock().unwrap_or_else(|e| e.into_inner());
            b.push(p);
            if b.len() < BATCH {
                return true;
            }
            let full = std::mem::replace(&mut *b, Vec::with_capacity(BATCH));
            drop(b);
            sent += full.len() as u64;
            watcher.reach(sent);
            // Waits while the store is behind; fails once it has given up.
            sender.blocking_send(full).is_ok()
        });
        let mut pass = Pass {
            step: "writing",
            progress: &Silent,
            keep: Keep::Sink(sink),
            encoding,
        };
        let parsed = read_file(&path_buf, &options, &mut pass);
        drop(pass);
        let rest = std::mem::take(&mut *batch.lock().unwrap_or_else(|e| e.into_inner()));
        if !rest.is_empty() {
            // A store that has given up already has its own error to tell.
            let _ = tx.blocking_send(rest);
        }
        progress.end();
        parsed
    });
    let mut second = SecondPass {
        batches: rx,
        reader: Some(reader),
        expected,
    };
    let summary = store
        .import_persons(&mut second, &checked.keep, actor)
        .await;
    match summary {
        Ok(s) => Ok(s),
        Err(StoreError::Aborted(e)) => Err(anyhow!(e)),
        Err(e) => Err(e.into()),
    }
}

/// How many problems are printed before the rest are summarised: a file
/// with a wrong delimiter can have a million, and nobody reads past the
/// first screen.
pub const MAX_PRINTED_PROBLEMS: usize = 50;

/// The problems as printed, capped at [`MAX_PRINTED_PROBLEMS`] with a
/// closing "… and K more" line.
pub fn problem_report(problems: &[Problem]) -> Vec<String> {
    let mut out: Vec<String> = problems
        .iter()
        .take(MAX_PRINTED_PROBLEMS)
        .map(|p| p.to_string())
        .collect();
    if problems.len() > MAX_PRINTED_PROBLEMS {
        out.push(format!(
            "… and {} more",
            problems.len() - MAX_PRINTED_PROBLEMS
        ));
    }
    out
}

/// Reads as many bytes as fit in `buf`, stopping early only at end of file.
pub(crate) fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Bytes in binary units, for messages: `1.0 GiB`, `12.3 MiB`, `512 B`.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut v = n as f64 / 1024.0;
    let mut unit = UNITS[0];
    for u in &UNITS[1..] {
        if v < 1024.0 {
            break;
        }
        v /= 1024.0;
        unit = u;
    }
    format!("{v:.1} {unit}")
}

/// Parses a size such as `1GiB`, `500MB`, `200k` or `1048576` (binary
/// multiples: k = 1024).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("`{text}` is not a size such as 1GiB, 500MiB or 1048576"))?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        "t" | "tb" | "tib" => 1 << 40,
        _ => {
            return Err(format!(
                "`{text}` has an unknown unit; use B, KiB, MiB, GiB or TiB"
            ))
        }
    };
    n.checked_mul(mult)
        .ok_or_else(|| format!("`{text}` is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_prints_as_line_column_message() {
        let p = Problem::new(7, "birth_date", "is wrong");
        assert_eq!(p.to_string(), "line 7: birth_date: is wrong");
    }

    #[test]
    fn the_report_is_capped_with_a_count_of_the_rest() {
        let problems: Vec<_> = (1..=60).map(|i| Problem::new(i, "id", "x")).collect();
        let r = problem_report(&problems);
        assert_eq!(r.len(), MAX_PRINTED_PROBLEMS + 1);
        assert_eq!(r.last().map(String::as_str), Some("… and 10 more"));
        assert_eq!(problem_report(&problems[..3]).len(), 3);
    }

    #[test]
    fn sizes_parse_with_binary_units() {
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert_eq!(parse_size("500 MB"), Ok(500 << 20));
        assert_eq!(parse_size("200k"), Ok(200 << 10));
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("5 parsecs").is_err());
    }

    const HEADER: &str = "id,given_names,surname1,country,publish";

    fn rows(n: u32) -> String {
        let mut text = format!("{HEADER}\n");
        for i in 1..=n {
            text.push_str(&format!("CU-{i:05},Ana,Pérez,CU,yes\n"));
        }
        text
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_file_changed_between_the_passes_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("list.csv");
        let url = format!("sqlite:{}", dir.path().join("r.db").display());
        let store = libres_store_sqlite::open(&url).await.unwrap();
        let options = ImportOptions::default();
        std::fs::write(&path, rows(7_000)).unwrap();
        let checked = read_file(&path, &options, &mut Pass::counting(&Silent)).unwrap();
        assert_eq!((checked.count, checked.problems.len()), (7_000, 0));
        // Someone saves the file again before the second pass: a row more.
        std::fs::write(&path, rows(7_001)).unwrap();
        let progress = std::sync::Arc::new(Silent);
        let r = import(&store, &path, &options, &checked, "cli", progress.clone()).await;
        let message = format!("{:#}", r.unwrap_err());
        assert!(message.contains("the file changed"), "{message}");
        assert!(libres_store::RegistryMeta::is_empty(&store).await.unwrap());
        // A bad row appears: nothing either.
        std::fs::write(&path, rows(6_999) + "CU-07000,Ana,Pérez,XX,yes\n").unwrap();
        let checked = Parsed {
            count: 7_000,
            ..Parsed::default()
        };
        let r = import(&store, &path, &options, &checked, "cli", progress.clone()).await;
        assert!(r.is_err());
        assert!(libres_store::RegistryMeta::is_empty(&store).await.unwrap());
        // Unchanged, it imports whole, in several batches.
        std::fs::write(&path, rows(7_000)).unwrap();
        let checked = read_file(&path, &options, &mut Pass::counting(&Silent)).unwrap();
        let s = import(&store, &path, &options, &checked, "cli", progress)
            .await
            .unwrap();
        assert_eq!(s.created, 7_000);
    }

    #[test]
    fn byte_counts_are_readable() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1 << 30), "1.0 GiB");
        assert_eq!(human_bytes(3 * (1 << 20) / 2), "1.5 MiB");
    }
}
