//! Named lists as staff bring them to an announcement: text pasted one
//! name a line, or a CSV or XLSX file as a government or a newspaper
//! published it.
//!
//! The defined answers, for the paste and the files alike:
//! - blank lines are skipped;
//! - a name repeated with the same year and province (after folding case,
//!   accents and punctuation) is kept once, and the repeat is reported
//!   with the line it repeats: a list that names one person twice does not
//!   name two;
//! - "SURNAMES, GIVEN NAMES" and every other form are kept as written, for
//!   the matcher to read;
//! - at most [`MAX_NAMES`] distinct names; one more is an error that says
//!   so, and nothing is kept.
//!
//! A file's first row names its columns, in English or Spanish
//! ([`NAME_HEADERS`] and the rest); columns it does not know (sentence,
//! prison, notes) are ignored and the report says which were read. A file
//! whose first row names no column it knows, and that has a single column,
//! is a plain list of names, its first line included. Any other problem
//! stops the reading with the line (CSV) or row (XLSX) and why.

use crate::import::{self, Format};
use anyhow::{anyhow, bail, Context, Result};
use libres_names::matcher::ListEntry;
use std::collections::HashMap;
use std::path::Path;

/// The most names one announcement's list may hold.
pub const MAX_NAMES: usize = 20_000;

/// The most lines (or sheet rows) a list may have, repeats and blank
/// lines aside: reading stops past it, so a huge file costs no more than
/// this.
pub const MAX_LINES: usize = 2 * MAX_NAMES;

/// The most columns a list's sheet may use.
pub const MAX_COLUMNS: usize = 200;

/// A list file's largest size: ample for 20,000 names with their other
/// columns.
pub const MAX_FILE_BYTES: u64 = 16 << 20;

/// Headers of a column holding whole names (folded).
pub const NAME_HEADERS: [&str; 9] = [
    "full name",
    "name",
    "nombre completo",
    "nombre y apellidos",
    "nombres y apellidos",
    "apellidos y nombre",
    "apellidos y nombres",
    "nombre",
    "persona",
];
/// Headers of a column of given names, when surnames have their own.
const GIVEN_HEADERS: [&str; 4] = ["given names", "given name", "nombres", "nombre"];
/// Headers of a column of both surnames.
const SURNAMES_HEADERS: [&str; 3] = ["surnames", "surname", "apellidos"];
const SURNAME1_HEADERS: [&str; 4] = ["surname1", "primer apellido", "first surname", "apellido 1"];
const SURNAME2_HEADERS: [&str; 4] = [
    "surname2",
    "segundo apellido",
    "second surname",
    "apellido 2",
];
/// Headers of a birth year (or a birth date, whose year is read).
const YEAR_HEADERS: [&str; 10] = [
    "birth year",
    "year of birth",
    "year",
    "ano",
    "ano de nacimiento",
    "anio",
    "nacimiento",
    "fecha de nacimiento",
    "birth date",
    "date of birth",
];
/// Headers of the province. Not `estado`: Cuban lists use it for the
/// person's status ("Excarcelado"), Venezuelan ones for the state; a
/// Venezuelan list names it `province` or `provincia`.
const PROVINCE_HEADERS: [&str; 5] = ["province", "provincia", "departamento", "region", "state"];
/// Headers of the list's own numbers ("Nº", "N°" and "No." fold to
/// `n o`, `n deg` and `no`).
const ID_HEADERS: [&str; 8] = ["row id", "no", "n", "n o", "n deg", "numero", "nro", "id"];

/// What a file whose header names no column of names is told.
const NO_NAME_COLUMN: &str = "no column of names; name it `full_name`, `name` or `nombre` (or \
     `given_names` and `surnames`), and the birth year `birth_year` and the province `province` \
     if the list gives them";

/// A name of the list, with the line it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedLine {
    /// Its line in the paste or the CSV file, or its row in the sheet.
    pub line: u64,
    /// The name as the matcher reads it; its `row_id` is the list's own
    /// number when it has a column of them, else the line.
    pub entry: ListEntry,
}

/// A named list as read, each name once.
#[derive(Debug, Clone, Default)]
pub struct NamedList {
    /// The names in list order.
    pub names: Vec<ListedLine>,
    /// Lines that repeat an earlier one: (line, the line it repeats).
    pub repeats: Vec<(u64, u64)>,
    /// The columns a file's names, years, provinces and numbers were read
    /// from, as its header writes them (empty for a paste).
    pub columns: Vec<String>,
}

impl NamedList {
    /// What the reading wants the person who brought the list to know:
    /// the columns read, and the repeated lines.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if !self.columns.is_empty() {
            notes.push(format!(
                "Read from the columns {}.",
                self.columns.join(", ")
            ));
        }
        if !self.repeats.is_empty() {
            let shown: Vec<String> = self
                .repeats
                .iter()
                .take(10)
                .map(|(line, first)| format!("line {line} (as line {first})"))
                .collect();
            let more = self.repeats.len().saturating_sub(shown.len());
            notes.push(format!(
                "{} line{} repeat{} an earlier name with the same year and province and {} kept once: {}{}.",
                self.repeats.len(),
                if self.repeats.len() == 1 { "" } else { "s" },
                if self.repeats.len() == 1 { "s" } else { "" },
                if self.repeats.len() == 1 { "was" } else { "were" },
                shown.join(", "),
                if more > 0 { format!(" and {more} more") } else { String::new() }
            ));
        }
        notes
    }

    /// The names as the matcher takes them.
    pub fn entries(&self) -> Vec<ListEntry> {
        self.names.iter().map(|n| n.entry.clone()).collect()
    }

    /// Adds a name unless it repeats one (same folded name, year and
    /// province); refuses the name past [`MAX_NAMES`].
    fn push(
        &mut self,
        seen: &mut HashMap<(String, Option<i32>, String), u64>,
        line: u64,
        entry: ListEntry,
    ) -> Result<()> {
        let key = (
            libres_core::text::fold(&entry.full_name),
            entry.birth_year,
            libres_core::text::fold(&entry.province),
        );
        if let Some(first) = seen.get(&key) {
            self.repeats.push((line, *first));
            return Ok(());
        }
        if self.names.len() == MAX_NAMES {
            bail!(
                "line {line}: the list has more than {} names, the most one announcement's list may \
                 hold; nothing was kept. Split it into the announcements it belongs to",
                thousands(MAX_NAMES)
            );
        }
        seen.insert(key, line);
        self.names.push(ListedLine { line, entry });
        Ok(())
    }
}

/// `20000` as `20,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn name_only(line: u64, name: &str) -> ListEntry {
    ListEntry {
        row_id: line.to_string(),
        full_name: name.trim().to_owned(),
        birth_year: None,
        province: String::new(),
    }
}

/// A list pasted as text, one name a line.
pub fn pasted(text: &str) -> Result<NamedList> {
    let mut list = NamedList::default();
    let mut seen = HashMap::new();
    for (line, name) in lines_with_text(&one_line_ending(text))? {
        list.push(&mut seen, line, name_only(line, name))?;
    }
    Ok(list)
}

/// The lines of `text` (one line ending already) that hold anything,
/// with their numbers; an error past [`MAX_LINES`].
fn lines_with_text(text: &str) -> Result<Vec<(u64, &str)>> {
    let mut out = Vec::new();
    for (i, l) in text.lines().enumerate() {
        if l.trim().is_empty() {
            continue;
        }
        let line = i as u64 + 1;
        if i >= MAX_LINES {
            bail!("{}", too_many_lines(line));
        }
        out.push((line, l));
    }
    Ok(out)
}

/// `text` with every line ending written `\n`: `\r\n` (Windows) and a
/// lone `\r` (old Mac spreadsheets) as well.
fn one_line_ending(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// What a list longer than [`MAX_LINES`] is told, at `line`.
fn too_many_lines(line: u64) -> String {
    format!(
        "line {line}: the list is longer than {} lines, more than one announcement's list may be \
         (at most {} names); nothing was kept",
        thousands(MAX_LINES),
        thousands(MAX_NAMES)
    )
}

/// A list file (`.csv` or `.xlsx`, from its extension and first bytes) of
/// at most `max_bytes` (unpacked, for a workbook). Errors name the file as
/// `path` shows it and the line or row.
pub fn read_file(path: &Path, max_bytes: u64) -> Result<NamedList> {
    let max_bytes = max_bytes.min(MAX_FILE_BYTES);
    let shown = path.display();
    let meta = std::fs::metadata(path).with_context(|| format!("could not open {shown}"))?;
    if meta.len() > max_bytes {
        bail!(
            "{shown} is {}, above the limit of {}",
            import::human_bytes(meta.len()),
            import::human_bytes(max_bytes)
        );
    }
    let read = match import::detect_format(path)? {
        Format::Csv => csv_rows(path),
        Format::Xlsx => xlsx_rows(path, max_bytes),
    };
    let (rows, unit) = read?;
    from_rows(rows, unit).map_err(|e| anyhow!("{shown}: {e}"))
}

/// A file's rows: each with its line (or sheet row) and its cells.
type Rows = Vec<(u64, Vec<String>)>;

/// Each non-empty row of a CSV file with its line; the delimiter is the one
/// of `, ; tab` that splits the first line into the most known headers.
fn csv_rows(path: &Path) -> Result<(Rows, &'static str)> {
    let shown = path.display();
    let bytes = std::fs::read(path).with_context(|| format!("could not read {shown}"))?;
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        anyhow!("{shown}: line {line}: not UTF-8 text (save the file as UTF-8 and try again)")
    })?;
    let text = one_line_ending(text.trim_start_matches('\u{feff}'));
    let text = text.as_ref();
    // The header is the first line that holds anything.
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| {
            let known = first
                .split(char::from(*d))
                .filter(|h| Header::of(h).is_some())
                .count();
            // Ties go to the earlier delimiter.
            (known, usize::from(*d != b','))
        })
        .filter(|d| first.split(char::from(*d)).any(|h| Header::of(h).is_some()));
    let Some(delimiter) = delimiter else {
        // No header it knows: a column of names, if it looks like one (no
        // other delimiter, at most the comma of "SURNAMES, GIVEN", and no
        // digits, which names do not have and numbers and dates do).
        let bare = text.lines().all(|l| {
            !l.contains([';', '\t'])
                && l.matches(',').count() <= 1
                && !l.contains(|c: char| c.is_ascii_digit())
        });
        if !bare {
            let at = text.lines().position(|l| !l.trim().is_empty()).unwrap_or(0) + 1;
            bail!("{shown}: line {at}: {NO_NAME_COLUMN}");
        }
        let rows = lines_with_text(text)
            .map_err(|e| anyhow!("{shown}: {e}"))?
            .into_iter()
            .map(|(line, l)| (line, vec![l.trim().trim_matches('"').to_owned()]))
            .collect();
        return Ok((rows, "line"));
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    // Lines are counted from the records' byte offsets: the reader's own
    // count does not include the blank lines it skips.
    let (mut counted, mut line) = (0usize, 1u64);
    let mut line_at = |byte: u64| {
        let mut byte = usize::try_from(byte).unwrap_or(text.len()).min(text.len());
        // A record's offset is where the reader began, before the blank
        // lines it skipped.
        while matches!(text.as_bytes().get(byte), Some(b'\n' | b'\r')) {
            byte += 1;
        }
        line += text.as_bytes()[counted..byte]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64;
        counted = byte;
        line
    };
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, csv::Position::line);
            anyhow!("{shown}: line {line}: {e}")
        })?;
        let line = line_at(record.position().map_or(0, csv::Position::byte));
        if rows.len() > MAX_LINES {
            bail!("{shown}: {}", too_many_lines(line));
        }
        if record.len() > MAX_COLUMNS {
            bail!("{shown}: line {line}: a name list has at most {MAX_COLUMNS} columns");
        }
        rows.push((line, record.iter().map(str::to_owned).collect()));
    }
    Ok((rows, "line"))
}

/// Each row of a workbook's first sheet with its row number, after the
/// workbook's unpacked size is checked against `max_bytes`.
fn xlsx_rows(path: &Path, max_bytes: u64) -> Result<(Rows, &'static str)> {
    use calamine::Reader as _;
    let shown = path.display();
    let file = std::fs::File::open(path).with_context(|| format!("could not open {shown}"))?;
    import::xlsx_input::check_unpacked_sizes(path, &file, max_bytes)?;
    let file = std::fs::File::open(path).with_context(|| format!("could not open {shown}"))?;
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::BufReader::new(file))
        .with_context(|| format!("{shown} is not a readable .xlsx workbook"))?;
    let Some(sheet) = book.sheet_names().first().cloned() else {
        bail!("{shown} has no sheet");
    };
    // calamine panics on absurd cell positions (see `xlsx_input::read`):
    // a hostile file gets an error, not a crash.
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| -> Result<_> {
        let mut cells = book
            .worksheet_cells_reader(&sheet)
            .with_context(|| format!("could not read sheet `{sheet}` of {shown}"))?;
        let mut rows: Vec<(u64, Vec<String>)> = Vec::new();
        while let Some(cell) = cells
            .next_cell()
            .map_err(|e| anyhow!("could not read sheet `{sheet}` of {shown}: {e}"))?
        {
            let (r, c) = cell.get_position();
            let row = u64::from(r) + 1;
            let text = import::xlsx_input::cell_text(cell.get_value()).map_err(|why| {
                anyhow!(
                    "{shown}: row {row}, column {}: {why}",
                    import::xlsx_input::column_letters(c)
                )
            })?;
            if rows.len() > MAX_LINES {
                bail!(
                    "{shown}: {}",
                    too_many_lines(row).replacen("line", "row", 1)
                );
            }
            let cells_of = match rows.last_mut() {
                Some((last, cells)) if *last == row => cells,
                _ => {
                    rows.push((row, Vec::new()));
                    match rows.last_mut() {
                        Some((_, cells)) => cells,
                        None => continue,
                    }
                }
            };
            let c = usize::try_from(c).unwrap_or(usize::MAX);
            if c >= MAX_COLUMNS {
                if text.trim().is_empty() {
                    continue;
                }
                bail!("{shown}: row {row}: a name list has at most {MAX_COLUMNS} columns");
            }
            if cells_of.len() <= c {
                cells_of.resize(c + 1, String::new());
            }
            cells_of[c] = text.trim().to_owned();
        }
        Ok(rows)
    }));
    match read {
        Ok(rows) => Ok((rows?, "row")),
        Err(_) => bail!(
            "could not read sheet `{sheet}` of {shown}: the workbook is damaged \
             (a cell position is out of range)"
        ),
    }
}

/// What a header says its column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Header {
    Name,
    Given,
    Surnames,
    Surname1,
    Surname2,
    Year,
    Province,
    Id,
}

impl Header {
    fn of(text: &str) -> Option<Header> {
        let folded = libres_core::text::fold(text.trim().trim_matches('"')).replace('_', " ");
        let h = folded.as_str();
        // "nombre" is a whole name unless surnames have their own column;
        // `from_rows` decides that, so it is read as a name here.
        [
            (&NAME_HEADERS[..], Header::Name),
            (&GIVEN_HEADERS[..], Header::Given),
            (&SURNAMES_HEADERS[..], Header::Surnames),
            (&SURNAME1_HEADERS[..], Header::Surname1),
            (&SURNAME2_HEADERS[..], Header::Surname2),
            (&YEAR_HEADERS[..], Header::Year),
            (&PROVINCE_HEADERS[..], Header::Province),
            (&ID_HEADERS[..], Header::Id),
        ]
        .into_iter()
        .find(|(names, _)| names.contains(&h))
        .map(|(_, kind)| kind)
    }
}

/// The year a cell gives: its first four-digit run from 1000 to 2999
/// ("1978", "02/04/1978", "1978-04-02"), none for an empty cell, an error
/// otherwise.
fn year_of(cell: &str) -> Result<Option<i32>, String> {
    if cell.is_empty() {
        return Ok(None);
    }
    let digits: Vec<&str> = cell
        .split(|c: char| !c.is_ascii_digit())
        .filter(|d| d.len() == 4)
        .collect();
    match digits.first().and_then(|d| d.parse::<i32>().ok()) {
        Some(y) if (1000..=2999).contains(&y) => Ok(Some(y)),
        _ => Err(format!("`{cell}` is not a year")),
    }
}

/// The list in `rows` (the first is the header, unless it names nothing
/// known and the file has one column).
fn from_rows(rows: Vec<(u64, Vec<String>)>, unit: &str) -> Result<NamedList> {
    let mut list = NamedList::default();
    let mut seen = HashMap::new();
    let rows: Vec<(u64, Vec<String>)> = rows
        .into_iter()
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .collect();
    let Some((header_line, header)) = rows.first() else {
        bail!("the file holds no names");
    };
    let kinds: Vec<Option<Header>> = header.iter().map(|h| Header::of(h)).collect();
    if kinds.iter().all(Option::is_none) {
        if rows
            .iter()
            .all(|(_, cells)| cells.iter().filter(|c| !c.is_empty()).count() <= 1)
        {
            for (line, cells) in &rows {
                if let Some(name) = cells.iter().find(|c| !c.is_empty()) {
                    list.push(&mut seen, *line, name_only(*line, name))?;
                }
            }
            return Ok(list);
        }
        bail!("{unit} {header_line}: {NO_NAME_COLUMN}");
    }
    let at = |kind: Header| kinds.iter().position(|k| *k == Some(kind));
    let has_surnames = at(Header::Surnames).or(at(Header::Surname1)).is_some();
    // "nombre" beside a surname column is the given names.
    let name_col = kinds.iter().enumerate().position(|(i, k)| {
        *k == Some(Header::Name)
            && !(has_surnames && libres_core::text::fold(&header[i]) == "nombre")
    });
    let given_col = at(Header::Given).or_else(|| {
        has_surnames
            .then(|| {
                header
                    .iter()
                    .position(|h| libres_core::text::fold(h) == "nombre")
            })
            .flatten()
    });
    let (year_col, province_col, id_col) = (at(Header::Year), at(Header::Province), at(Header::Id));
    if name_col.is_none() && !(given_col.is_some() && has_surnames) {
        bail!(
            "{unit} {header_line}: no column of whole names, nor of given names and surnames; name \
             it `full_name`, `name` or `nombre` (or `given_names` and `surnames`)"
        );
    }
    let used = |c: Option<usize>| c.map(|i| format!("`{}`", header[i].trim()));
    list.columns = [
        name_col,
        name_col.is_none().then_some(given_col).flatten(),
        name_col.is_none().then(|| at(Header::Surnames)).flatten(),
        name_col.is_none().then(|| at(Header::Surname1)).flatten(),
        name_col.is_none().then(|| at(Header::Surname2)).flatten(),
        year_col,
        province_col,
        id_col,
    ]
    .into_iter()
    .filter_map(used)
    .collect();
    let mut ids = HashMap::new();
    for (line, cells) in rows.iter().skip(1) {
        if cells
            .iter()
            .skip(header.len())
            .any(|c| !c.trim().is_empty())
        {
            bail!(
                "{unit} {line}: more cells than the header names; a name that holds the \
                 file's separator must be in quotes (\"PEREZ, JOSE\")"
            );
        }
        let cell = |c: Option<usize>| c.and_then(|i| cells.get(i)).map_or("", |s| s.trim());
        let full_name = match name_col {
            Some(_) => cell(name_col).to_owned(),
            None => {
                let surnames = [
                    cell(at(Header::Surnames)),
                    cell(at(Header::Surname1)),
                    cell(at(Header::Surname2)),
                ]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
                match (surnames.is_empty(), cell(given_col)) {
                    (true, given) => given.to_owned(),
                    (false, "") => surnames,
                    (false, given) => format!("{surnames}, {given}"),
                }
            }
        };
        if full_name.contains(['\n', '\r']) {
            bail!("{unit} {line}: the name runs over several lines; write it on one");
        }
        if full_name.is_empty() {
            bail!("{unit} {line}: the name is empty (a row without a name cannot be matched; delete it or write the name)");
        }
        let birth_year =
            year_of(cell(year_col)).map_err(|why| anyhow!("{unit} {line}: birth year: {why}"))?;
        let row_id = match cell(id_col) {
            "" => line.to_string(),
            id => id.to_owned(),
        };
        if let Some(first) = ids.insert(row_id.clone(), *line) {
            bail!("{unit} {line}: the number `{row_id}` was given to {unit} {first} already");
        }
        let entry = ListEntry {
            row_id,
            full_name,
            birth_year,
            province: cell(province_col).to_owned(),
        };
        list.push(&mut seen, *line, entry)?;
    }
    if list.names.is_empty() {
        bail!("the file names its columns but holds no names");
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &NamedList) -> Vec<(u64, &str, Option<i32>, &str, &str)> {
        list.names
            .iter()
            .map(|n| {
                (
                    n.line,
                    n.entry.full_name.as_str(),
                    n.entry.birth_year,
                    n.entry.province.as_str(),
                    n.entry.row_id.as_str(),
                )
            })
            .collect()
    }

    fn file(name: &str, content: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        (dir, path)
    }

    #[test]
    fn a_paste_skips_blank_lines_keeps_forms_and_a_repeat_once() {
        let list =
            pasted("  PEREZ, JOSE A.\r\n\n\tMARIA DE LOS ANGELES  \nPérez, José A.\n \n").unwrap();
        assert_eq!(
            names(&list),
            [
                (1, "PEREZ, JOSE A.", None, "", "1"),
                (3, "MARIA DE LOS ANGELES", None, "", "3")
            ]
        );
        assert_eq!(list.repeats, [(4, 1)]);
        let notes = list.notes();
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("line 4 (as line 1)"), "{notes:?}");
    }

    #[test]
    fn twenty_thousand_names_are_a_list_and_one_more_is_refused() {
        let text: String = (0..MAX_NAMES)
            .map(|i| format!("PERSONA NUMERO {i}\n"))
            .collect();
        assert_eq!(pasted(&text).unwrap().names.len(), MAX_NAMES);
        let more = format!("{text}\nOTRA PERSONA\n");
        let err = pasted(&more).unwrap_err().to_string();
        assert!(
            err.starts_with("line 20002: the list has more than 20,000 names"),
            "{err}"
        );
        // Repeats do not count against the limit.
        let repeated = format!("{text}PERSONA NUMERO 7\n");
        assert_eq!(pasted(&repeated).unwrap().repeats.len(), 1);
    }

    #[test]
    fn a_csv_with_spanish_headers_and_semicolons_reads_its_columns() {
        let (_d, path) = file(
            "lista.csv",
            "\u{feff}No.;Nombre y apellidos;Provincia;Fecha de nacimiento;Sanción\n\
             1;RODRIGUEZ GARCIA, MARIA;La Habana;02/04/1978;8 años\n\
             \n\
             2;José Pérez Díaz;;;\n\
             3;rodriguez garcia, maria;LA HABANA;1978;\n"
                .as_bytes(),
        );
        let list = read_file(&path, 1 << 20).unwrap();
        assert_eq!(
            names(&list),
            [
                (2, "RODRIGUEZ GARCIA, MARIA", Some(1978), "La Habana", "1"),
                (4, "José Pérez Díaz", None, "", "2")
            ]
        );
        assert_eq!(list.repeats, [(5, 2)]);
        assert_eq!(
            list.columns,
            [
                "`Nombre y apellidos`",
                "`Fecha de nacimiento`",
                "`Provincia`",
                "`No.`"
            ]
        );
    }

    #[test]
    fn given_names_and_surnames_in_their_own_columns_make_one_name() {
        let (_d, path) = file(
            "l.csv",
            b"nombre,primer apellido,segundo apellido,ano\nYoandri,Gonzalez,Garcia,1990\nAna,Pupo,,\n",
        );
        let list = read_file(&path, 1 << 20).unwrap();
        assert_eq!(
            names(&list),
            [
                (2, "Gonzalez Garcia, Yoandri", Some(1990), "", "2"),
                (3, "Pupo, Ana", None, "", "3")
            ]
        );
    }

    #[test]
    fn a_file_of_bare_names_is_read_whole_and_commas_stay_in_the_names() {
        let (_d, path) = file("l.csv", b"GONZALEZ GARCIA, YOANDRI\n\nPUPO, ARNALDO\n");
        let list = read_file(&path, 1 << 20).unwrap();
        assert_eq!(
            names(&list),
            [
                (1, "GONZALEZ GARCIA, YOANDRI", None, "", "1"),
                (3, "PUPO, ARNALDO", None, "", "3")
            ]
        );
    }

    #[test]
    fn each_bad_file_is_refused_with_its_line_and_why() {
        let cases: [(&str, &[u8], &str); 7] = [
            ("a.csv", b"", "the file holds no names"),
            (
                "b.csv",
                b"sentencia,prision\n8,Kilo 8\n",
                "line 1: no column of names",
            ),
            (
                "c.csv",
                b"name,birth_year\nAna Pupo,setenta\n",
                "line 2: birth year: `setenta` is not a year",
            ),
            (
                "d.csv",
                b"name,province\n,Holguin\n",
                "line 2: the name is empty",
            ),
            (
                "e.csv",
                b"no,name\n1,Ana Pupo\n1,Luis Cruz\n",
                "line 3: the number `1` was given to line 2 already",
            ),
            ("f.csv", b"name\nAna \xff Pupo\n", "line 2: not UTF-8"),
            ("g.xlsx", b"name\nAna\n", "is not an Excel workbook"),
        ];
        for (name, content, expected) in cases {
            let (_d, path) = file(name, content);
            let err = format!("{:#}", read_file(&path, 1 << 20).unwrap_err());
            assert!(err.contains(expected), "{name}: {err}");
        }
        let (_d, path) = file("big.csv", &[b'a'; 2000]);
        let err = format!("{:#}", read_file(&path, 1000).unwrap_err());
        assert!(err.contains("above the limit of"), "{err}");
    }

    #[test]
    fn line_endings_a_leading_blank_line_and_unquoted_commas_get_defined_answers() {
        // Old Mac line endings, and a blank line before the header.
        let (_d, path) = file(
            "mac.csv",
            b"\r\rname;province\rANA PUPO;Granma\r\rLUIS CRUZ;\r",
        );
        let list = read_file(&path, 1 << 20).unwrap();
        assert_eq!(
            names(&list),
            [
                (4, "ANA PUPO", None, "Granma", "4"),
                (6, "LUIS CRUZ", None, "", "6")
            ]
        );
        let list = pasted("PUPO, ANA\rCRUZ, LUIS\r\nDIAZ, EVA").unwrap();
        assert_eq!(list.names.len(), 3);
        assert_eq!(list.names[2].line, 3);
        // A comma inside a name, unquoted, under a comma-separated header.
        let (_d, path) = file("c.csv", b"name,province\nPEREZ, JOSE,Holguin\n");
        let err = format!("{:#}", read_file(&path, 1 << 20).unwrap_err());
        assert!(
            err.contains("line 2: more cells than the header names"),
            "{err}"
        );
        let (_d, path) = file("q.csv", b"name,province\n\"PEREZ, JOSE\",Holguin\n");
        let list = read_file(&path, 1 << 20).unwrap();
        assert_eq!(names(&list), [(2, "PEREZ, JOSE", None, "Holguin", "2")]);
        // "Estado" is the person's status on Cuban lists: not a province.
        let (_d, path) = file("e.csv", b"nombre,estado\nANA PUPO,Excarcelado\n");
        let list = read_file(&path, 1 << 20).unwrap();
        assert_eq!(names(&list), [(2, "ANA PUPO", None, "", "2")]);
    }

    #[test]
    fn a_list_longer_than_its_line_limit_is_refused_without_reading_on() {
        let text = "A\n".repeat(MAX_LINES + 1);
        let err = pasted(&text).unwrap_err().to_string();
        assert!(err.contains("longer than 40,000 lines"), "{err}");
        let (_d, path) = file("many.csv", text.as_bytes());
        let err = format!("{:#}", read_file(&path, 1 << 30).unwrap_err());
        assert!(err.contains("longer than 40,000 lines"), "{err}");
        let (_d, path) = file("big.csv", &vec![b'a'; (MAX_FILE_BYTES + 1) as usize]);
        let err = format!("{:#}", read_file(&path, 1 << 30).unwrap_err());
        assert!(err.contains("above the limit of 16"), "{err}");
    }

    #[test]
    fn a_workbook_is_read_from_its_first_sheet_with_row_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lista.xlsx");
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "Nº").unwrap();
        sheet.write_string(0, 1, "Apellidos y nombres").unwrap();
        sheet.write_string(0, 2, "Año").unwrap();
        sheet.write_number(1, 0, 1.0).unwrap();
        sheet.write_string(1, 1, "PUPO NARANJO, ARNALDO").unwrap();
        sheet.write_number(1, 2, 1978.0).unwrap();
        sheet.write_number(3, 0, 2.0).unwrap();
        sheet.write_string(3, 1, "DIAZ, EVA").unwrap();
        book.save(&path).unwrap();
        let list = read_file(&path, 1 << 20).unwrap();
        assert_eq!(
            names(&list),
            [
                (2, "PUPO NARANJO, ARNALDO", Some(1978), "", "1"),
                (4, "DIAZ, EVA", None, "", "2")
            ]
        );
        sheet_with_bad_year(&path);
        let err = format!("{:#}", read_file(&path, 1 << 20).unwrap_err());
        assert!(
            err.contains("row 2: birth year: `hace mucho` is not a year"),
            "{err}"
        );
    }

    fn sheet_with_bad_year(path: &Path) {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "name").unwrap();
        sheet.write_string(0, 1, "year").unwrap();
        sheet.write_string(1, 0, "ANA").unwrap();
        sheet.write_string(1, 1, "hace mucho").unwrap();
        book.save(path).unwrap();
    }
}
