//! `libres link`, `libres dedup` and `libres match`: files in, files out;
//! the work is `libres-names`'.
//!
//! The settings file of `link` and `dedup` (TOML):
//!
//! ```toml
//! id = "rec_id"             # the id column
//! threshold = 0.5           # keep pairs with a match probability ≥ this
//! one_to_one = true         # link only: each record in at most one link
//! blocking = [["soc_sec_id"], ["given_name:phonetic", "surname:prefix3"]]
//! swappable = [["given_name", "surname"]]  # may be written the other way round
//!
//! [[fields]]
//! name = "given_name"
//! compare = "jaro_winkler"  # exact | jaro_winkler | edit | date
//! thresholds = [0.92, 0.8]
//! term_frequency = true
//! ```
//!
//! Blocking keys are column names, optionally with `:phonetic`,
//! `:prefixN` or `:suffixN`; a column used in blocking must also be one of
//! the compared fields.

use crate::export::AtomicFile;
use crate::import::csv_input::delimiter_among;
use anyhow::{bail, Context, Result};
use libres_names::compare::Comparison;
use libres_names::link::{self, BlockKey, FieldSpec, KeyTransform, Records, Settings};
use libres_names::matcher::{
    Decision, ListEntry, MatchSettings, Matcher, Reason, Registry, RegistryEntry, RegistryRef,
};
use libres_store::PersonReads;
use rayon::prelude::*;
use serde::Deserialize;
use std::path::Path;
use std::time::Instant;

/// The settings file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    id: String,
    #[serde(default = "default_threshold")]
    threshold: f64,
    #[serde(default)]
    one_to_one: bool,
    blocking: Vec<Vec<String>>,
    #[serde(default)]
    swappable: Vec<[String; 2]>,
    fields: Vec<FieldConfig>,
    u_sample_pairs: Option<usize>,
    max_block: Option<usize>,
    max_iterations: Option<usize>,
    max_pairs: Option<usize>,
}

fn default_threshold() -> f64 {
    0.5
}

#[derive(Debug, Deserialize)]
struct FieldConfig {
    name: String,
    #[serde(default)]
    term_frequency: bool,
    /// Compare the values with case, accents and punctuation folded.
    #[serde(default)]
    fold: bool,
    #[serde(flatten)]
    comparison: Comparison,
}

/// Settings, and which fields are folded.
struct Loaded {
    settings: Settings,
    id: String,
    fold: Vec<bool>,
}

fn load_config(path: &Path) -> Result<Loaded> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("could not read the settings {}", path.display()))?;
    let config: Config = toml::from_str(&text)
        .with_context(|| format!("the settings {} are not valid", path.display()))?;
    let names: Vec<&str> = config.fields.iter().map(|f| f.name.as_str()).collect();
    for (i, n) in names.iter().enumerate() {
        if names[..i].contains(n) {
            bail!(
                "the settings {} compare the field `{n}` twice",
                path.display()
            );
        }
    }
    let mut blocking = Vec::new();
    for rule in &config.blocking {
        let mut keys = Vec::new();
        for key in rule {
            keys.push(parse_key(key, &names).with_context(|| {
                format!(
                    "the settings {}: blocking key `{key}` is not usable",
                    path.display()
                )
            })?);
        }
        blocking.push(keys);
    }
    let mut swaps = Vec::new();
    for [x, y] in &config.swappable {
        let field = |n: &str| {
            names.iter().position(|f| *f == n).with_context(|| {
                format!(
                    "the settings {}: swappable field `{n}` is not one of the compared fields",
                    path.display()
                )
            })
        };
        swaps.push((field(x)?, field(y)?));
    }
    let fold = config.fields.iter().map(|f| f.fold).collect();
    let fields = config
        .fields
        .into_iter()
        .map(|f| FieldSpec {
            name: f.name,
            comparison: f.comparison,
            term_frequency: f.term_frequency,
        })
        .collect();
    let mut settings = Settings::new(fields, blocking);
    settings.threshold = config.threshold;
    settings.one_to_one = config.one_to_one;
    settings.swaps = swaps;
    if let Some(n) = config.u_sample_pairs {
        settings.u_sample_pairs = n;
    }
    if let Some(n) = config.max_block {
        settings.max_block = n;
    }
    if let Some(n) = config.max_iterations {
        settings.max_iterations = n;
    }
    if let Some(n) = config.max_pairs {
        settings.max_pairs = n;
    }
    settings
        .validate()
        .with_context(|| format!("the settings {} are not usable", path.display()))?;
    Ok(Loaded {
        settings,
        id: config.id,
        fold,
    })
}

fn parse_key(key: &str, fields: &[&str]) -> Result<BlockKey> {
    let (name, transform) = match key.split_once(':') {
        None => (key, KeyTransform::Exact),
        Some((name, t)) => {
            let n = |rest: &str| -> Result<usize> {
                rest.parse::<usize>()
                    .ok()
                    .filter(|n| *n >= 1)
                    .with_context(|| format!("`{t}` needs a length of at least 1, as in prefix3"))
            };
            let transform = if t == "phonetic" {
                KeyTransform::Phonetic
            } else if let Some(rest) = t.strip_prefix("prefix") {
                KeyTransform::Prefix(n(rest)?)
            } else if let Some(rest) = t.strip_prefix("suffix") {
                KeyTransform::Suffix(n(rest)?)
            } else {
                bail!("unknown transform `{t}` (phonetic, prefixN or suffixN)");
            };
            (name, transform)
        }
    };
    let field = fields
        .iter()
        .position(|f| *f == name)
        .with_context(|| format!("`{name}` is not one of the compared fields"))?;
    Ok(BlockKey { field, transform })
}

/// Reads the id column and the configured fields of a CSV file. Fields
/// are trimmed (some files separate with ", ").
fn read_records(path: &Path, loaded: &Loaded) -> Result<Records> {
    let shown = path.display();
    // Not trimmed by the reader: the records trim what they keep, and
    // trimming every field of every row cost a tenth of the reading.
    let mut reader = csv::ReaderBuilder::new()
        .from_path(path)
        .with_context(|| format!("could not open {shown}"))?;
    let headers: Vec<String> = header_names(path, &mut reader)?
        .into_iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let column = |name: &str| -> Result<usize> {
        headers.iter().position(|h| h == name).with_context(|| {
            format!(
                "{shown} has no column `{name}` (named in the settings); its columns are: {}",
                headers.join(", ")
            )
        })
    };
    let id_col = column(&loaded.id)?;
    let cols: Vec<usize> = loaded
        .settings
        .fields
        .iter()
        .map(|f| column(&f.name))
        .collect::<Result<_>>()?;
    let mut records = Records::new(cols.len());
    let mut lines = Vec::new();
    let mut row = csv::ByteRecord::new();
    loop {
        if !reader
            .read_byte_record(&mut row)
            .map_err(|e| record_error(path, e))?
        {
            break;
        }
        let line = row.position().map_or(0, csv::Position::line);
        // The whole row checked for UTF-8 at once; when some column is
        // not, only the id and the compared columns must be (each is
        // checked and named on its own).
        let (strings, bytes) = match csv::StringRecord::from_byte_record(std::mem::take(&mut row)) {
            Ok(strings) => (Some(strings), None),
            Err(e) => (None, Some(e.into_byte_record())),
        };
        {
            let text = |c: usize| -> Result<&str> {
                match (&strings, &bytes) {
                    (Some(s), _) => Ok(s.get(c).unwrap_or("").trim()),
                    (None, Some(b)) => {
                        Ok(utf8_field(path, line, &headers[c], b.get(c).unwrap_or(b""))?.trim())
                    }
                    (None, None) => Ok(""),
                }
            };
            let id = text(id_col)?;
            if id.is_empty() {
                bail!(
                    "{shown}: line {line}: the id column `{}` is empty",
                    loaded.id
                );
            }
            check_id(path, line, &loaded.id, id)?;
            lines.push(line);
            let mut folded: Vec<String> = Vec::new();
            for (&c, &fold) in cols.iter().zip(&loaded.fold) {
                if fold {
                    folded.push(libres_names::hispanic::fold(text(c)?));
                }
            }
            let mut folded = folded.iter();
            let mut values: Vec<&str> = Vec::with_capacity(cols.len());
            for (&c, &fold) in cols.iter().zip(&loaded.fold) {
                values.push(if fold {
                    folded.next().map_or("", String::as_str)
                } else {
                    text(c)?
                });
            }
            records.push(id, values);
        }
        row = match (strings, bytes) {
            (Some(s), _) => s.into_byte_record(),
            (None, Some(b)) => b,
            (None, None) => csv::ByteRecord::new(),
        };
    }
    if let Some((line, id)) = repeated(|i| records.id(i), &lines) {
        bail!("{shown}: line {line}: the id `{id}` appears twice");
    }
    Ok(records)
}

/// The first repeated id, by the line of its second appearance (found by
/// sorting, cheaper than a set of copied ids).
fn repeated<'a>(id: impl Fn(usize) -> &'a str, lines: &[u64]) -> Option<(u64, &'a str)> {
    // Exports are ordered by id: strictly increasing ids repeat nothing,
    // and checking that is one pass instead of a sort. Numbered ids
    // increase by length first ("P999999", then "P1000000").
    let by_length = |i: usize| (id(i).len(), id(i));
    if (1..lines.len()).all(|i| id(i - 1) < id(i))
        || (1..lines.len()).all(|i| by_length(i - 1) < by_length(i))
    {
        return None;
    }
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_unstable_by(|&a, &b| id(a).cmp(id(b)).then(a.cmp(&b)));
    order
        .windows(2)
        .filter(|w| id(w[0]) == id(w[1]))
        .map(|w| (lines[w[1]], id(w[1])))
        .min_by_key(|(line, _)| *line)
}

/// Writes a CSV file whole or not at all (private from its first byte,
/// see [`AtomicFile`]) and says how many rows it holds.
fn write_csv<R, F>(out: &Path, header: &[&str], rows: impl IntoIterator<Item = R>) -> Result<usize>
where
    R: IntoIterator<Item = F>,
    F: AsRef<[u8]>,
{
    let file = AtomicFile::new(out)?;
    let shown = out.display();
    let mut w = csv::Writer::from_writer(file.create_buffered()?);
    w.write_record(header)
        .with_context(|| format!("could not write {shown}"))?;
    let mut n = 0;
    for row in rows {
        w.write_record(row)
            .with_context(|| format!("could not write {shown}"))?;
        n += 1;
    }
    w.flush()
        .with_context(|| format!("could not write {shown}"))?;
    drop(w);
    file.commit()?;
    Ok(n)
}

/// Refuses an id a spreadsheet would run as a formula when it opens the
/// output (announced lists come from the other side).
fn check_id(path: &Path, line: u64, column: &str, id: &str) -> Result<()> {
    if id.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        bail!(
            "{}: line {line}: {column} `{id}` starts with a character that spreadsheets read as a formula; \
             ids must not start with = + - @, a tab or a carriage return",
            path.display()
        );
    }
    Ok(())
}

/// A CSV reading error as a sentence with the file and line.
fn record_error(path: &Path, e: csv::Error) -> anyhow::Error {
    let shown = path.display();
    let line = e.position().map_or(0, csv::Position::line);
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            anyhow::anyhow!("{shown}: line {line}: {len} fields, but the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => anyhow::anyhow!(
            "{shown}: line {line}: not UTF-8 text (save the file as UTF-8 and try again)"
        ),
        _ => anyhow::Error::new(e).context(format!("could not read {shown}")),
    }
}

/// What a link or dedup run did, for the person who ran it.
#[derive(Debug, Clone)]
pub struct LinkReport {
    /// Pairs written.
    pub written: usize,
    /// `links` or `duplicate pairs`.
    pub what: &'static str,
    /// Candidate pairs compared.
    pub candidates: u64,
    /// EM iterations.
    pub iterations: usize,
    /// How many matching pairs the model expects among all pairs.
    pub expected_matches: f64,
    /// Blocks larger than `max_block`, skipped.
    pub skipped_blocks: u64,
    /// Seconds, whole run.
    pub seconds: f64,
}

impl std::fmt::Display for LinkReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} from {} candidate pairs in {:.2} s (EM: {} iterations, about {:.0} matching pairs expected)",
            self.written, self.what, self.candidates, self.seconds, self.iterations, self.expected_matches,
        )?;
        if self.skipped_blocks > 0 {
            write!(
                f,
                "\nwarning: {} blocks were larger than max_block and were skipped; add a sharper blocking rule",
                self.skipped_blocks
            )?;
        }
        Ok(())
    }
}

/// `libres link`.
pub fn link(left: &Path, right: &Path, config: &Path, out: &Path) -> Result<LinkReport> {
    let started = Instant::now();
    let loaded = load_config(config)?;
    // The two files at once, one per core.
    let (l, r) = rayon::join(
        || read_records(left, &loaded),
        || read_records(right, &loaded),
    );
    let (l, r) = (l?, r?);
    let outcome = link::link(&loaded.settings, &l, &r)?;
    finish(
        &outcome,
        out,
        &["left_id", "right_id", "score"],
        (&l, &r),
        "links",
        started,
    )
}

/// `libres dedup`.
pub fn dedup(file: &Path, config: &Path, out: &Path) -> Result<LinkReport> {
    let started = Instant::now();
    let loaded = load_config(config)?;
    if loaded.settings.one_to_one {
        bail!("one_to_one applies to `link` only: a record may have several duplicates");
    }
    let records = read_records(file, &loaded)?;
    let outcome = link::dedup(&loaded.settings, &records)?;
    let both = (&records, &records);
    finish(
        &outcome,
        out,
        &["id1", "id2", "score"],
        both,
        "duplicate pairs",
        started,
    )
}

/// Writes the kept pairs (ids from the two sides) and reports.
fn finish(
    outcome: &link::Outcome,
    out: &Path,
    header: &[&str],
    (a, b): (&Records, &Records),
    what: &'static str,
    started: Instant,
) -> Result<LinkReport> {
    let n = write_csv(
        out,
        header,
        outcome.pairs.iter().map(|p| {
            [
                a.id(p.a as usize).to_owned(),
                b.id(p.b as usize).to_owned(),
                format!("{:.6}", p.probability),
            ]
        }),
    )?;
    Ok(LinkReport {
        written: n,
        what,
        candidates: outcome.candidates as u64,
        iterations: outcome.model.iterations,
        expected_matches: outcome.expected_matches,
        skipped_blocks: outcome.skipped_blocks as u64,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Opens a CSV file and returns its reader and header names (a UTF-8
/// byte-order mark is ignored); the fields are separated by what splits
/// the header into the most of the `known` column names (see
/// [`delimiter_among`]), read from the start of the file as opened.
fn open_csv(path: &Path, known: &[&str]) -> Result<(csv::Reader<CsvFile>, Vec<String>)> {
    use std::io::BufRead;
    let shown = path.display();
    let mut file = std::io::BufReader::new(
        std::fs::File::open(path).with_context(|| format!("could not open {shown}"))?,
    );
    let start = file
        .fill_buf()
        .with_context(|| format!("could not read {shown}"))?;
    let header_line = start.split(|&b| b == b'\n').next().unwrap_or_default();
    let delimiter = delimiter_among(header_line, known);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .from_reader(file);
    let headers = header_names(path, &mut reader)?;
    Ok((reader, headers))
}

/// A CSV file as [`open_csv`] reads it.
type CsvFile = std::io::BufReader<std::fs::File>;

/// The header row's names, a UTF-8 byte-order mark ignored.
fn header_names<R: std::io::Read>(path: &Path, reader: &mut csv::Reader<R>) -> Result<Vec<String>> {
    Ok(reader
        .headers()
        .map_err(|e| record_error(path, e))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_owned())
        .collect())
}

/// A field as text, or an error naming the file, line and column.
fn utf8_field<'a>(path: &Path, line: u64, column: &str, bytes: &'a [u8]) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|_| {
        anyhow::anyhow!(
            "{}: line {line}: {column}: not UTF-8 text (save the file as UTF-8 and try again)",
            path.display()
        )
    })
}

/// Checks the header (every name one of `known`, every `required` one
/// there) and finds the `wanted` columns.
fn columns(
    path: &Path,
    headers: &[String],
    known: &[&str],
    required: &[&str],
    wanted: &[&str],
) -> Result<Vec<Option<usize>>> {
    let shown = path.display();
    for h in headers {
        if !known.contains(&h.as_str()) {
            bail!(
                "{shown}: unknown column `{h}`; the columns are {}",
                known.join(", ")
            );
        }
    }
    for r in required {
        if !headers.iter().any(|h| h == r) {
            bail!("{shown}: the column `{r}` is missing");
        }
    }
    Ok(wanted
        .iter()
        .map(|k| headers.iter().position(|h| h == k))
        .collect())
}

/// Reads each record of a CSV file, with its line number.
fn each_record(
    path: &Path,
    mut reader: csv::Reader<CsvFile>,
    mut f: impl FnMut(u64, &csv::StringRecord) -> Result<()>,
) -> Result<()> {
    let mut row = csv::StringRecord::new();
    loop {
        if !reader
            .read_record(&mut row)
            .map_err(|e| record_error(path, e))?
        {
            return Ok(());
        }
        let line = row.position().map_or(0, csv::Position::line);
        f(line, &row)?;
    }
}

const LIST_COLUMNS: [&str; 4] = ["row_id", "full_name", "birth_year", "province"];

fn read_list(path: &Path) -> Result<Vec<ListEntry>> {
    let shown = path.display();
    let (reader, headers) = open_csv(path, &LIST_COLUMNS)?;
    let cols = columns(
        path,
        &headers,
        &LIST_COLUMNS,
        &["row_id", "full_name"],
        &LIST_COLUMNS,
    )?;
    let get = |row: &csv::StringRecord, c: usize| -> String {
        cols[c].and_then(|i| row.get(i)).unwrap_or("").to_owned()
    };
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    each_record(path, reader, |line, row| {
        let row_id = get(row, 0);
        if row_id.is_empty() {
            bail!("{shown}: line {line}: row_id is empty");
        }
        check_id(path, line, "row_id", &row_id)?;
        if !seen.insert(row_id.clone()) {
            bail!("{shown}: line {line}: row_id `{row_id}` appears twice");
        }
        let year = get(row, 2);
        let birth_year = if year.is_empty() {
            None
        } else {
            match year.parse::<i32>() {
                Ok(y) if (1000..=2999).contains(&y) => Some(y),
                _ => bail!("{shown}: line {line}: birth_year: `{year}` is not a year"),
            }
        };
        out.push(ListEntry {
            row_id,
            full_name: get(row, 1),
            birth_year,
            province: get(row, 3),
        });
        Ok(())
    })?;
    Ok(out)
}

/// The person CSV columns `match` reads (the name, birth date, province,
/// sex, country and, from an export, the status); the other columns of the
/// person CSV are allowed and ignored.
const REGISTRY_READS: [&str; 9] = [
    "id",
    "given_names",
    "surname1",
    "surname2",
    "birth_date",
    "province",
    "sex",
    "country",
    "status",
];

/// The fields of a person CSV that `match` reads, every person's in one
/// buffer: a million persons are then two allocations, not eight million
/// small strings to make and to free.
#[derive(Debug)]
struct CsvRegistry {
    /// The fields, one after another: id, given names, first and second
    /// surname, birth date, province, sex, country.
    text: String,
    /// Where each field ends in `text`, [`CSV_FIELDS`] per person.
    ends: Vec<u32>,
    held: Vec<Option<bool>>,
}

/// Fields kept per person in [`CsvRegistry`].
const CSV_FIELDS: usize = 8;

impl CsvRegistry {
    fn new() -> CsvRegistry {
        CsvRegistry {
            text: String::new(),
            ends: Vec::new(),
            held: Vec::new(),
        }
    }

    /// Appends a field of the person being added.
    fn push_field(&mut self, path: &Path, field: &str) -> Result<()> {
        self.text.push_str(field);
        let end = u32::try_from(self.text.len()).map_err(|_| {
            anyhow::anyhow!(
                "{}: the registry's names take more than 4 GiB; split it by country",
                path.display()
            )
        })?;
        self.ends.push(end);
        Ok(())
    }

    /// Appends another stretch's persons.
    fn append(&mut self, path: &Path, other: CsvRegistry) -> Result<()> {
        let base = self.text.len();
        self.text.push_str(&other.text);
        if u32::try_from(self.text.len()).is_err() {
            bail!(
                "{}: the registry's names take more than 4 GiB; split it by country",
                path.display()
            );
        }
        self.ends
            .extend(other.ends.iter().map(|&e| e + base as u32));
        self.held.extend(other.held);
        Ok(())
    }

    fn field(&self, i: usize, k: usize) -> &str {
        let j = i * CSV_FIELDS + k;
        let start = j.checked_sub(1).map_or(0, |j| self.ends[j] as usize);
        &self.text[start..self.ends[j] as usize]
    }
}

impl Registry for CsvRegistry {
    fn len(&self) -> usize {
        self.held.len()
    }

    fn get(&self, i: usize) -> RegistryRef<'_> {
        RegistryRef {
            id: self.field(i, 0),
            given_names: self.field(i, 1),
            surname1: self.field(i, 2),
            surname2: self.field(i, 3),
            birth_date: self.field(i, 4),
            province: self.field(i, 5),
            sex: self.field(i, 6),
            country: self.field(i, 7),
            held: self.held[i],
            aliases: &[],
        }
    }
}

fn read_registry(path: &Path) -> Result<CsvRegistry> {
    let shown = path.display();
    let bytes = std::fs::read(path).with_context(|| format!("could not read {shown}"))?;
    let header_line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let delimiter = delimiter_among(header_line, &crate::table::COLUMNS);
    let mut header = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .from_reader(bytes.as_slice());
    let headers = header_names(path, &mut header)?;
    let cols = columns(
        path,
        &headers,
        &crate::table::COLUMNS,
        &["id", "given_names", "surname1"],
        &REGISTRY_READS,
    )?;
    let start = header.position().byte() as usize;
    let first_line = header.position().line();
    let data = bytes.get(start..).unwrap_or(&[]);
    // A registry can hold a million rows. Without any quote character,
    // every line is one record, so stretches of the file (cut at line
    // ends) are read on all cores, several per core so that a busy core
    // holds up little; with quotes (a field may hold a line break) the
    // file is read in one pass.
    let pieces = if data.contains(&b'"') {
        vec![(data, first_line)]
    } else {
        let n = 4 * rayon::current_num_threads();
        let mut pieces = Vec::with_capacity(n);
        let (mut rest, mut line) = (data, first_line);
        for k in (1..=n).rev() {
            let size = rest.len() / k;
            let cut = rest[size..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(rest.len(), |p| size + p + 1);
            let (piece, after) = rest.split_at(cut);
            pieces.push((piece, line));
            line += piece.iter().filter(|&&c| c == b'\n').count() as u64;
            rest = after;
        }
        pieces
    };
    let parts: Vec<Result<(CsvRegistry, Vec<u64>)>> = pieces
        .par_iter()
        .map(|(chunk, line)| registry_rows(path, chunk, *line, &cols, headers.len(), delimiter))
        .collect();
    // Sized once: growing by doubling while the stretches are alive would
    // hold the registry about three times over.
    let (mut rows, mut bytes) = (0, 0);
    for (r, _) in parts.iter().flatten() {
        rows += r.held.len();
        bytes += r.text.len();
    }
    let mut out = CsvRegistry {
        text: String::with_capacity(bytes),
        ends: Vec::with_capacity(rows * CSV_FIELDS),
        held: Vec::with_capacity(rows),
    };
    let mut lines = Vec::with_capacity(rows);
    for part in parts {
        let (rows, numbers) = part?;
        out.append(path, rows)?;
        lines.extend(numbers);
    }
    if let Some((line, id)) = repeated(|i| out.field(i, 0), &lines) {
        bail!("{shown}: line {line}: the id `{id}` appears twice");
    }
    Ok(out)
}

/// The registry rows of one stretch of a person CSV that starts at line
/// `first_line`, with their line numbers. Only the six columns `match`
/// reads are checked for UTF-8 and copied.
fn registry_rows(
    path: &Path,
    chunk: &[u8],
    first_line: u64,
    cols: &[Option<usize>],
    width: usize,
    delimiter: u8,
) -> Result<(CsvRegistry, Vec<u64>)> {
    let shown = path.display();
    // Not trimmed by the reader, which copies every record to trim it:
    // the few fields read are trimmed as they are copied.
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(chunk);
    let mut out = CsvRegistry::new();
    let mut lines = Vec::new();
    let mut row = csv::ByteRecord::new();
    loop {
        if !reader
            .read_byte_record(&mut row)
            .map_err(|e| record_error(path, e))?
        {
            break;
        }
        let line = first_line + row.position().map_or(1, csv::Position::line) - 1;
        if row.len() != width {
            bail!(
                "{shown}: line {line}: {} fields, but the header has {width}",
                row.len()
            );
        }
        let get = |c: usize| -> Result<&str> {
            let bytes = cols[c].and_then(|i| row.get(i)).unwrap_or(b"").trim_ascii();
            // A person CSV from `export`: its formula escaping undone.
            let text = utf8_field(path, line, REGISTRY_READS[c], bytes)?;
            Ok(crate::table::from_csv_str(text))
        };
        let id = get(0)?;
        if id.is_empty() {
            bail!("{shown}: line {line}: id is empty");
        }
        check_id(path, line, "id", id)?;
        lines.push(line);
        let status = get(8)?;
        let held = if status.is_empty() {
            None
        } else {
            match libres_core::Status::from_slug(status) {
                Some(s) => held(s),
                None => bail!(
                    "{shown}: line {line}: status: `{status}` is not a status (detained, \
                     disappeared, house_arrest, conditional_release, released, exiled, \
                     died_in_custody, unknown)"
                ),
            }
        };
        out.push_field(path, id)?;
        for c in 1..CSV_FIELDS {
            out.push_field(path, get(c)?)?;
        }
        out.held.push(held);
    }
    Ok((out, lines))
}

/// What the matcher knows of a person's detention from their status:
/// held or not, or nothing when the registry has no events.
fn held(status: libres_core::Status) -> Option<bool> {
    (status != libres_core::Status::Unknown).then(|| status.is_held())
}

/// Drops a large value on a thread of its own, so whoever waits for the
/// result does not wait for the memory to be freed.
fn drop_aside<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

/// Registry persons turned into the matcher's entries as they stream out
/// of the store, so only the few fields the matcher reads are held.
struct Entries(Vec<RegistryEntry>);

#[async_trait::async_trait]
impl libres_store::PersonSink for Entries {
    async fn put(
        &mut self,
        chunk: Vec<(libres_core::Person, libres_core::Status)>,
    ) -> libres_store::StoreResult<()> {
        self.0
            .extend(chunk.into_iter().map(|(p, status)| RegistryEntry {
                id: p.id.to_string(),
                given_names: p.given_names,
                surname1: p.surname1,
                surname2: p.surname2.unwrap_or_default(),
                birth_date: p.birth_date.map(|d| d.to_string()).unwrap_or_default(),
                province: p.province.unwrap_or_default(),
                sex: p.sex.map(|s| s.slug().to_owned()).unwrap_or_default(),
                country: p.country.to_string(),
                held: held(status),
                aliases: p.aliases,
            }));
        Ok(())
    }
}

/// A registry turned into the matcher's input: every person, with the few
/// fields the matcher reads, streamed out of the store.
pub async fn registry_entries(store: &dyn PersonReads) -> Result<Vec<RegistryEntry>> {
    let mut entries = Entries(Vec::new());
    store
        .export_persons(false, &mut entries)
        .await
        .context("could not read the registry")?;
    Ok(entries.0)
}

/// The registry as read for `match`.
enum Persons {
    Csv(CsvRegistry),
    Entries(Vec<RegistryEntry>),
}

/// Where `match` finds the registry.
pub enum RegistrySource<'a> {
    /// A person CSV file (the columns of `export persons`).
    File(&'a Path),
    /// A store.
    Store(&'a dyn PersonReads),
}

/// What a match run did, for the person who ran it.
#[derive(Debug, Clone)]
pub struct MatchReport {
    /// List rows.
    pub rows: usize,
    /// Rows by decision: match, review, none.
    pub decisions: [usize; 3],
    /// Candidate pairs compared.
    pub candidates: u64,
    /// EM iterations.
    pub iterations: usize,
    /// Seconds to read the list and the registry.
    pub read_seconds: f64,
    /// Seconds, whole run.
    pub seconds: f64,
    /// The share of the list taken to be on the registry.
    pub on_registry_share: f64,
    /// Whether that share was estimated from the list (else given).
    pub share_estimated: bool,
    /// What `--explain` asked for, one text per row asked.
    pub explanations: Vec<String>,
    /// What the scores of the `match` rows say of them.
    pub confidence: MatchConfidence,
}

/// What the scores of the `match` rows say of them. The scores are
/// calibrated (of the rows scored 0.99, about 1 in 100 is someone else),
/// so their complements add up to about the number of `match` rows that
/// are someone else: one in a few hundred on a list that gives birth
/// years, about one in a hundred on one that gives only names.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MatchConfidence {
    /// `match` rows.
    pub matches: usize,
    /// The sum of `1 - score` over the `match` rows.
    pub expected_wrong: f64,
    /// `match` rows that give neither a birth year nor a province.
    pub name_only: usize,
    /// When more than [`MatchConfidence::AIM`] of the `match` rows are
    /// expected to be someone else: the lowest of
    /// [`MatchConfidence::STRICTER`] that would bring it back under, with
    /// the `match` rows it would keep and how many of those are expected
    /// to be someone else; `None` when none would, or none is needed.
    pub stricter: Option<(f64, usize, f64)>,
}

impl MatchConfidence {
    /// The most of the `match` rows that may be someone else without a
    /// warning: the precision `match` aims at is 0.995.
    pub const AIM: f64 = 0.005;
    /// The `--match-probability` values a warning may suggest.
    pub const STRICTER: [f64; 4] = [0.985, 0.99, 0.995, 0.999];

    /// From the `match` rows' scores, and whether each gives neither a
    /// birth year nor a province; `current` is the `--match-probability`
    /// in force.
    pub fn of(matches: &[(f64, bool)], current: f64) -> MatchConfidence {
        // The rows at or above `floor`, and their expected wrong, summed
        // from +0 (an empty float sum is -0, printed "-0.0").
        let expected = |floor: f64| {
            matches
                .iter()
                .filter(|(p, _)| *p >= floor)
                .fold((0, 0.0), |(n, wrong), (p, _)| (n + 1, wrong + (1.0 - p)))
        };
        let (n, wrong) = expected(f64::NEG_INFINITY);
        let stricter = if Self::over(n, wrong) {
            Self::STRICTER
                .iter()
                .filter(|&&t| t > current)
                .map(|&t| {
                    let (k, w) = expected(t);
                    (t, k, w)
                })
                .find(|&(_, k, w)| k > 0 && !Self::over(k, w))
        } else {
            None
        };
        MatchConfidence {
            matches: n,
            expected_wrong: wrong,
            name_only: matches.iter().filter(|(_, bare)| *bare).count(),
            stricter,
        }
    }

    /// Whether more than [`MatchConfidence::AIM`] of the `match` rows are
    /// expected to be someone else.
    pub fn too_many_wrong(&self) -> bool {
        Self::over(self.matches, self.expected_wrong)
    }

    /// Whether `wrong` expected of `n` rows is more than
    /// [`MatchConfidence::AIM`] of them, and at least one row once
    /// rounded (a handful of `match` rows at 0.99 says little).
    fn over(n: usize, wrong: f64) -> bool {
        n > 0 && wrong > Self::AIM * n as f64 && wrong >= 0.5
    }

    /// A warning for the person who ran `match`, when
    /// [`MatchConfidence::too_many_wrong`].
    pub fn warning(&self) -> Option<String> {
        if !self.too_many_wrong() {
            return None;
        }
        let mut text = format!(
            "warning: from their scores, about {:.0} of the {} `match` rows ({:.1}%) are \
             someone else, more than the 1 in 200 that `match` aims at.",
            self.expected_wrong,
            self.matches,
            100.0 * self.expected_wrong / self.matches as f64
        );
        if self.name_only * 2 >= self.matches {
            text.push_str(&format!(
                " {} of them give only a name (no birth year, no province), and a name alone \
                 cannot tell a person from a namesake or a father or son of the same name.",
                self.name_only
            ));
        }
        match self.stricter {
            Some((t, k, w)) => text.push_str(&format!(
                " With --match-probability {t}, {k} rows would be `match`, {} of them \
                 someone else; the others would go to review.",
                if w < 0.5 {
                    "fewer than one".to_owned()
                } else {
                    format!("about {w:.1}")
                }
            )),
            None => text.push_str(
                " No stricter --match-probability brings it under 1 in 200: check the \
                 `match` rows by hand.",
            ),
        }
        Some(text)
    }
}

/// How `match` decides.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MatchOptions {
    /// Lowest probability for `match`.
    pub match_probability: f64,
    /// The share of the list that is on the registry, when known; else
    /// estimated from the list.
    pub on_registry_share: Option<f64>,
    /// The least share of same-name relatives among rows with a birth
    /// year the registry lacks (see
    /// [`MatchSettings::unverifiable_year_floor`]).
    pub unverifiable_year_floor: f64,
    /// The people a row must single the person out among; `None`: the
    /// country's population (see [`MatchSettings::population`]).
    pub population: Option<f64>,
}

impl Default for MatchOptions {
    fn default() -> Self {
        let settings = MatchSettings::default();
        MatchOptions {
            match_probability: settings.match_probability,
            on_registry_share: None,
            unverifiable_year_floor: settings.unverifiable_year_floor,
            population: settings.population,
        }
    }
}

impl std::fmt::Display for MatchReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.rows == 0 {
            // No share of the list on the registry to speak of: the
            // estimate would be its prior alone.
            return write!(
                f,
                "0 rows: the list names nobody (total {:.2} s)",
                self.seconds
            );
        }
        let likely_wrong = if self.decisions[0] > 0 {
            format!(
                " (about {:.1} of them someone else, from their scores)",
                self.confidence.expected_wrong
            )
        } else {
            String::new()
        };
        write!(
            f,
            "{} rows: {} match{likely_wrong}, {} review, {} none; {:.0}% of the list on the \
             registry ({}) ({} candidate pairs, EM {} iterations; read in {:.2} s, total {:.2} s)",
            self.rows,
            self.decisions[0],
            self.decisions[1],
            self.decisions[2],
            100.0 * self.on_registry_share,
            if self.share_estimated {
                "estimated"
            } else {
                "as given"
            },
            self.candidates,
            self.iterations,
            self.read_seconds,
            self.seconds
        )
    }
}

/// `libres match`: every row of `list` matched against the registry,
/// `row_id,person_id,score,decision,reason` written to `out`.
pub async fn match_list(
    registry: RegistrySource<'_>,
    list: &Path,
    out: &Path,
    explain: &[String],
    options: MatchOptions,
) -> Result<MatchReport> {
    let started = Instant::now();
    let settings = MatchSettings {
        match_probability: options.match_probability,
        review_probability: MatchSettings::default()
            .review_probability
            .min(options.match_probability),
        on_registry_share: options.on_registry_share,
        unverifiable_year_floor: options.unverifiable_year_floor,
        population: options.population,
        ..MatchSettings::default()
    };
    let problems = settings.problems();
    if !problems.is_empty() {
        bail!("the matching options are wrong: {}", problems.join("; "));
    }
    let entries = read_list(list)?;
    for id in explain {
        if !entries.iter().any(|e| &e.row_id == id) {
            bail!("--explain {id}: {} has no such row_id", list.display());
        }
    }
    let persons = match registry {
        RegistrySource::File(path) => Persons::Csv(read_registry(path)?),
        RegistrySource::Store(store) => Persons::Entries(registry_entries(store).await?),
    };
    let read = started.elapsed().as_secs_f64();
    // Matching is CPU work on every core; keep it off the async runtime.
    let explain = explain.to_vec();
    let match_probability = settings.match_probability;
    let (lines, outcome, matcher) = tokio::task::spawn_blocking(move || {
        let matcher = match &persons {
            Persons::Csv(csv) => Matcher::build(csv, settings),
            Persons::Entries(entries) => Matcher::build(entries.as_slice(), settings),
        };
        // A million registry rows take a while to free, and the matcher
        // keeps what it needs: free them beside the matching.
        drop_aside(persons);
        let outcome = matcher.match_list(&entries);
        let explanations: Vec<String> = explain
            .iter()
            .filter_map(|id| entries.iter().find(|e| &e.row_id == id))
            .map(|e| matcher.explain(&outcome, e).text)
            .collect();
        let confident: Vec<(f64, bool)> = entries
            .iter()
            .zip(&outcome.results)
            .filter(|(_, r)| r.decision == Decision::Match)
            .map(|(e, r)| {
                let bare = e.birth_year.is_none() && e.province.trim().is_empty();
                (r.probability, bare)
            })
            .collect();
        let confidence = MatchConfidence::of(&confident, match_probability);
        let lines: Vec<(String, Option<usize>, f64, Decision, Reason)> = entries
            .iter()
            .zip(&outcome.results)
            .map(|(e, r)| {
                (
                    e.row_id.clone(),
                    r.person,
                    r.probability,
                    r.decision,
                    r.reason,
                )
            })
            .collect();

        (
            (lines, explanations, confidence),
            (
                outcome.candidates,
                outcome.model.iterations,
                outcome.on_registry_share,
                outcome.share_estimated,
            ),
            matcher,
        )
    })
    .await
    .context("the matcher stopped unexpectedly")?;
    let ((lines, explanations, confidence), (candidates, iterations, share, estimated)) =
        (lines, outcome);
    let mut counts = [0usize; 3];
    for (_, _, _, decision, _) in &lines {
        counts[*decision as usize] += 1;
    }
    // The four contract columns first and unchanged; the reason after.
    write_csv(
        out,
        &["row_id", "person_id", "score", "decision", "reason"],
        lines
            .iter()
            .map(|(row_id, person, probability, decision, reason)| {
                let person = match (decision, person) {
                    (Decision::None, _) | (_, None) => "",
                    (_, Some(p)) => matcher.id(*p),
                };
                [
                    row_id.as_str(),
                    person,
                    &format!("{probability:.6}"),
                    decision.as_str(),
                    reason.code(),
                ]
                .map(str::to_owned)
            }),
    )?;
    drop_aside(matcher);
    Ok(MatchReport {
        rows: lines.len(),
        decisions: counts,
        candidates: candidates as u64,
        iterations,
        read_seconds: read,
        seconds: started.elapsed().as_secs_f64(),
        on_registry_share: share,
        share_estimated: estimated,
        explanations,
        confidence,
    })
}

/// The matcher's proposal for every name of `list` against the registry
/// in `store`, as an announcement's named list keeps them (pending). The
/// matching runs off the async runtime.
pub async fn propose(
    store: &dyn PersonReads,
    list: crate::named_list::NamedList,
) -> Result<Vec<libres_core::ListedName>> {
    let entries = registry_entries(store).await?;
    tokio::task::spawn_blocking(move || {
        let matcher = Matcher::build(entries.as_slice(), MatchSettings::default());
        let outcome = matcher.match_list(&list.entries());
        list.names
            .iter()
            .zip(&outcome.results)
            .map(|(named, r)| {
                let e = &named.entry;
                let proposed = match (r.decision, r.person) {
                    (Decision::None, _) | (_, None) => None,
                    (_, Some(p)) => libres_core::PersonId::parse(matcher.id(p)).ok(),
                };
                libres_core::ListedName {
                    id: 0,
                    line: u32::try_from(named.line).unwrap_or(u32::MAX),
                    row_id: e.row_id.clone(),
                    full_name: e.full_name.clone(),
                    birth_year: e.birth_year,
                    province: (!e.province.is_empty()).then(|| e.province.clone()),
                    proposed,
                    score_ppm: (r.probability.clamp(0.0, 1.0) * 1e6).round() as u32,
                    proposal: match r.decision {
                        Decision::Match => libres_core::Proposal::Match,
                        Decision::Review => libres_core::Proposal::Review,
                        Decision::None => libres_core::Proposal::None,
                    },
                    reason: r.reason.text().to_owned(),
                    review: libres_core::Review::Pending,
                    person: None,
                    decided_by: None,
                }
            })
            .collect()
    })
    .await
    .context("the matcher stopped unexpectedly")
}

#[cfg(test)]
mod tests {
    use super::{read_registry, repeated};
    use libres_names::matcher::Registry;

    #[test]
    fn the_match_rows_scores_say_how_many_are_someone_else() {
        // 200 rows that give only a name at 0.985, 50 with a year at 0.997:
        // about 3.15 wrong of 250, more than one in 200.
        let mut rows = vec![(0.985, true); 200];
        rows.extend(vec![(0.997, false); 50]);
        let c = super::MatchConfidence::of(&rows, 0.98);
        assert_eq!((c.matches, c.name_only), (250, 200));
        assert!((c.expected_wrong - 3.15).abs() < 1e-9, "{c:?}");
        assert!(c.too_many_wrong());
        // 0.985 keeps every row; 0.99 keeps the 50, 0.15 wrong of 50.
        let (t, k, w) = c.stricter.expect("a stricter threshold");
        assert_eq!((t, k), (0.99, 50));
        assert!((w - 0.15).abs() < 1e-9, "{w}");
        let warning = c.warning().expect("a warning");
        assert!(
            warning.contains("about 3 of the 250 `match` rows (1.3%)"),
            "{warning}"
        );
        assert!(
            warning.contains("200 of them give only a name"),
            "{warning}"
        );
        assert!(
            warning.contains("With --match-probability 0.99, 50 rows"),
            "{warning}"
        );
        assert!(warning.contains("fewer than one of them"), "{warning}");
        // Already stricter than 0.99: only 0.995 and 0.999 are offered.
        let c = super::MatchConfidence::of(&rows, 0.99);
        assert_eq!(c.stricter.map(|s| s.0), Some(0.995));
    }

    #[test]
    fn confident_match_rows_get_no_warning_and_hopeless_ones_are_told_so() {
        let c = super::MatchConfidence::of(&vec![(0.999, false); 100], 0.98);
        assert!(!c.too_many_wrong());
        assert_eq!((c.warning(), c.stricter), (None, None));
        assert!((c.expected_wrong - 0.1).abs() < 1e-9, "{c:?}");
        // Every row at 0.98: no stricter threshold keeps any.
        let c = super::MatchConfidence::of(&vec![(0.98, true); 40], 0.98);
        let warning = c.warning().expect("a warning");
        assert!(
            warning.contains("check the `match` rows by hand"),
            "{warning}"
        );
        // A few rows at 0.985: fewer than one expected wrong, no warning.
        let few = super::MatchConfidence::of(&[(0.985, true); 3], 0.98);
        assert!(!few.too_many_wrong(), "{few:?}");
        let report = super::MatchReport {
            rows: 0,
            decisions: [0; 3],
            candidates: 0,
            iterations: 0,
            read_seconds: 0.0,
            seconds: 0.01,
            on_registry_share: 0.5,
            share_estimated: true,
            explanations: Vec::new(),
            confidence: super::MatchConfidence::default(),
        };
        assert_eq!(
            report.to_string(),
            "0 rows: the list names nobody (total 0.01 s)"
        );
        let empty = super::MatchConfidence::of(&[], 0.98);
        assert_eq!((empty.matches, empty.warning()), (0, None));
        assert_eq!(format!("{:.1}", empty.expected_wrong), "0.0");
    }

    #[test]
    fn an_exported_status_tells_the_matcher_who_is_held() {
        let dir = std::env::temp_dir().join(format!("libres-held-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("registry.csv");
        std::fs::write(
            &path,
            "id,given_names,surname1,status\n\
             A,Ana,Torres,detained\nB,Luis,Pupo,released\nC,Eva,Díaz,unknown\nD,Iván,Cruz,\n",
        )
        .unwrap();
        let registry = read_registry(&path).unwrap();
        let held: Vec<Option<bool>> = (0..registry.len()).map(|i| registry.get(i).held).collect();
        assert_eq!(registry.get(2).id, "C");
        assert_eq!(registry.get(2).surname1, "Díaz");
        assert_eq!(held, [Some(true), Some(false), None, None]);
        std::fs::write(
            &path,
            "id,given_names,surname1,status\nA,Ana,Torres,freed\n",
        )
        .unwrap();
        let err = format!("{:#}", read_registry(&path).unwrap_err());
        assert!(
            err.contains("line 2: status: `freed` is not a status"),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_person_csv_is_read_field_by_field_with_quotes_or_without() {
        let dir = std::env::temp_dir().join(format!("libres-fields-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("registry.csv");
        let header = "id,given_names,surname1,surname2,birth_date,sex,country,province,status\n";
        let rows: String = (0..40)
            .map(|i| {
                format!(
                    "P{i}, Ana {i} ,'-Pupo,,198{},F,CU,Holguín,detained\n",
                    i % 10
                )
            })
            .collect();
        for quoted in [false, true] {
            let extra = if quoted {
                "Q1,\"Luis, hijo\",Cruz,Díaz,,M,VE,,\n"
            } else {
                "Q1,Luis,Cruz,Díaz,,M,VE,,\n"
            };
            std::fs::write(&path, format!("{header}{rows}{extra}")).unwrap();
            let r = read_registry(&path).unwrap();
            assert_eq!(r.len(), 41);
            for i in 0..40 {
                let e = r.get(i);
                assert_eq!(
                    (e.id, e.given_names, e.surname1, e.surname2),
                    (
                        format!("P{i}").as_str(),
                        format!("Ana {i}").as_str(),
                        "-Pupo",
                        ""
                    )
                );
                assert_eq!(e.birth_date, format!("198{}", i % 10));
                assert_eq!((e.sex, e.country, e.province), ("F", "CU", "Holguín"));
                assert_eq!(e.held, Some(true));
            }
            let last = r.get(40);
            let given = if quoted { "Luis, hijo" } else { "Luis" };
            assert_eq!(
                (
                    last.id,
                    last.given_names,
                    last.surname2,
                    last.country,
                    last.held
                ),
                ("Q1", given, "Díaz", "VE", None)
            );
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn check(ids: &[&str]) -> Option<(u64, String)> {
        let lines: Vec<u64> = (2..).take(ids.len()).collect();
        repeated(|i| ids[i], &lines).map(|(l, id)| (l, id.to_owned()))
    }

    #[test]
    fn a_repeated_id_is_found_with_its_later_line_in_order_or_not() {
        assert_eq!(check(&["A", "B", "C"]), None);
        assert_eq!(check(&["C", "A", "B"]), None);
        assert_eq!(check(&["P8", "P9", "P10", "P11"]), None);
        assert_eq!(
            check(&["P9", "P10", "P10", "P11"]),
            Some((4, "P10".to_owned()))
        );
        assert_eq!(check(&[]), None);
        // In order, the repeat next to its first.
        assert_eq!(check(&["A", "B", "B", "C"]), Some((4, "B".to_owned())));
        // Out of order, the earliest second occurrence.
        assert_eq!(
            check(&["P1", "P10", "P2", "P3", "P2", "P10"]),
            Some((6, "P2".to_owned()))
        );
    }
}
