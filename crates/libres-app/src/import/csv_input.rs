//! Reading person CSV files.
//!
//! Two streaming passes, so memory stays flat whatever the file size:
//!
//! 1. a scan of the raw bytes that settles the encoding (see
//!    [`super::decode`]) and checks the quoting strictly (the `csv` crate is
//!    lenient: it would silently turn `"ab"c` into `abc`, or let an
//!    unclosed quote swallow the rest of the file into one cell);
//! 2. the parse proper, record by record into the [`Validator`], with the
//!    exact physical line of each record.

use super::decode::{Encoding, Utf8Checker, Windows1252Reader};
use super::lines::LineCounter;
use super::{read_up_to, Keep, Parsed, Pass, Problem, Validator};
use crate::progress::Unit;
use crate::table::COLUMNS;
use anyhow::{bail, Context, Result};
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const CHUNK: usize = 256 * 1024;

/// The longest record (row) a person CSV may have, in bytes: far more
/// than any person's row, and a bound on what one row can make us hold
/// (a file of one 1 GB line would otherwise be held whole).
pub const MAX_RECORD_BYTES: usize = 1 << 20;

/// The most fields a record may have (a spreadsheet's column count).
pub const MAX_RECORD_FIELDS: usize = 16_384;

/// Picks the field separator from the header line: the one among `,`, `;`
/// and tab that splits it into the most known column names. Spanish-locale
/// Excel saves "CSV" with semicolons, and we would rather read that than
/// report a single unknown column.
pub fn sniff_delimiter(first_line: &[u8]) -> u8 {
    delimiter_among(first_line, &COLUMNS)
}

/// [`sniff_delimiter`] for a file whose column names are `known` (a
/// list's, say); a comma when none splits out a known name.
pub fn delimiter_among(first_line: &[u8], known: &[&str]) -> u8 {
    let mut best = (0usize, b',');
    for d in [b',', b';', b'\t'] {
        let known = first_line
            .split(|b| *b == d)
            .map(|f| {
                String::from_utf8_lossy(f)
                    .trim_start_matches('\u{feff}')
                    .trim()
                    .trim_matches('"')
                    .trim()
                    .to_lowercase()
            })
            .filter(|f| known.contains(&f.as_str()))
            .count();
        if known > best.0 {
            best = (known, d);
        }
    }
    best.1
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QuoteState {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote seen inside a quoted field: either the first of `""` or the
    /// closing quote.
    QuoteInQuoted,
}

/// Strict RFC 4180 quoting check over the raw bytes. A quote inside an
/// unquoted field is taken literally (nothing is lost); text after a closing
/// quote, and a quote never closed, are errors.
#[derive(Debug)]
pub struct QuoteChecker {
    delimiter: u8,
    state: QuoteState,
    lines: LineCounter,
    open_line: u64,
    problems: Vec<Problem>,
}

impl QuoteChecker {
    /// A checker for the given separator, at line 1.
    pub fn new(delimiter: u8) -> Self {
        QuoteChecker {
            delimiter,
            state: QuoteState::FieldStart,
            lines: LineCounter::default(),
            open_line: 1,
            problems: Vec::new(),
        }
    }

    /// Checks the next chunk.
    pub fn feed(&mut self, chunk: &[u8]) {
        use QuoteState::*;
        for &b in chunk {
            let end_of_field = b == self.delimiter || b == b'\n' || b == b'\r';
            self.state = match self.state {
                FieldStart if b == b'"' => {
                    self.open_line = self.lines.line();
                    Quoted
                }
                FieldStart | Unquoted if end_of_field => FieldStart,
                FieldStart | Unquoted => Unquoted,
                Quoted if b == b'"' => QuoteInQuoted,
                Quoted => Quoted,
                QuoteInQuoted if b == b'"' => Quoted,
                QuoteInQuoted if end_of_field => FieldStart,
                QuoteInQuoted => {
                    self.problems.push(Problem::new(
                        self.lines.line(),
                        "quoting",
                        "text follows the closing quote of a field; put the whole field in quotes \
                         and double every quote inside it (\"\")",
                    ));
                    Unquoted
                }
            };
            self.lines.byte(b);
        }
    }

    /// Ends the file and returns the problems found.
    pub fn finish(mut self) -> Vec<Problem> {
        if self.state == QuoteState::Quoted {
            self.problems.push(Problem::new(
                self.open_line,
                "quoting",
                "a quoted field starts here and is never closed, so the rest of the file would \
                 be read as part of it; add the closing quote",
            ));
        }
        self.problems
    }
}

/// Reads and validates a CSV file of `len` bytes. When `pass` knows the
/// encoding already (a second pass), the scan of encoding and quoting is
/// skipped.
pub fn read(path: &Path, len: u64, pass: &mut Pass<'_>) -> Result<Parsed> {
    let shown = path.display();
    let mut file = File::open(path).with_context(|| format!("could not open {shown}"))?;

    let mut head = vec![0u8; 64 * 1024];
    let n = read_up_to(&mut file, &mut head).with_context(|| format!("could not read {shown}"))?;
    head.truncate(n);
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        bail!("{shown} is UTF-16 text (Excel's \"Unicode text\"); save it as \"CSV UTF-8\" and import that");
    }
    if head.contains(&0) {
        bail!("{shown} contains NUL bytes: it is not a text file");
    }
    let bom = if head.starts_with(UTF8_BOM) {
        UTF8_BOM.len()
    } else {
        0
    };
    // The header is the first line with text on it (the parser skips blank
    // lines, so a header after one is still read as the header).
    let first_line = head[bom..]
        .split(|b| *b == b'\n' || *b == b'\r')
        .find(|l| !l.iter().all(u8::is_ascii_whitespace))
        .unwrap_or_default();
    if first_line.is_empty() {
        bail!(
            "{shown} has no header: its first line must name the columns ({})",
            crate::table::REQUIRED.join(", ")
        );
    }
    let delimiter = sniff_delimiter(first_line);

    // Pass 1: encoding and quoting.
    let (encoding, quote_problems) = match pass.encoding {
        Some(known) => (known, Vec::new()),
        None => {
            pass.progress.begin("checking", Some(len), Unit::Bytes);
            file.seek(SeekFrom::Start(0))
                .with_context(|| format!("could not read {shown}"))?;
            let mut utf8 = Utf8Checker::new();
            let mut quotes = QuoteChecker::new(delimiter);
            let mut buf = vec![0u8; CHUNK];
            let mut done = 0;
            loop {
                let n = read_up_to(&mut file, &mut buf)
                    .with_context(|| format!("could not read {shown}"))?;
                if n == 0 {
                    break;
                }
                utf8.feed(&buf[..n]);
                quotes.feed(&buf[..n]);
                done += n as u64;
                pass.progress.reach(done);
            }
            pass.progress.end();
            let encoding = utf8
                .finish()
                .encoding()
                .map_err(|m| anyhow::anyhow!("{shown}: {m}"))?;
            (encoding, quotes.finish())
        }
    };

    // Pass 2: rows.
    file.seek(SeekFrom::Start(bom as u64))
        .with_context(|| format!("could not read {shown}"))?;
    let source: Box<dyn Read> = match encoding {
        Encoding::Utf8 => Box::new(file),
        Encoding::Windows1252 => Box::new(Windows1252Reader::new(file)),
    };
    let mut parsed = parse_rows(source, len, delimiter, pass)?;
    parsed.encoding = Some(encoding);
    if encoding == Encoding::Windows1252 {
        parsed.notes.push(format!(
            "{shown} is not UTF-8; it was read as Windows-1252 (Latin-1). Check that accented names look right."
        ));
    }
    parsed.problems.extend(quote_problems);
    Ok(parsed)
}

/// Splits UTF-8 CSV text into records, each with the physical line it
/// starts on. Blank lines are skipped but counted, and a record's line is
/// that of its first byte, however many lines its quoted fields span.
pub struct Records<R> {
    source: R,
    parser: csv_core::Reader,
    /// Line of the next byte to be consumed.
    lines: LineCounter,
    /// Bytes consumed so far (for progress).
    offset: u64,
    /// Line of the current record's first byte, once seen.
    start_line: Option<u64>,
    out: Vec<u8>,
    ends: Vec<usize>,
    done: bool,
}

impl<R: BufRead> Records<R> {
    /// Records of `source`, separated by `delimiter`.
    pub fn new(source: R, delimiter: u8) -> Self {
        Records {
            source,
            parser: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            lines: LineCounter::default(),
            offset: 0,
            start_line: None,
            out: vec![0; 4096],
            ends: vec![0; 64],
            done: false,
        }
    }

    /// Bytes consumed so far.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// The error for a record over a bound: it names the line it starts on.
    fn too_large(&self, what: String) -> std::io::Error {
        let line = self.start_line.unwrap_or(self.lines.line());
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("the row that starts on line {line} {what}"),
        )
    }

    /// The next record as `(line, cells)`, or `None` at the end. A record
    /// longer than [`MAX_RECORD_BYTES`] or with more than
    /// [`MAX_RECORD_FIELDS`] fields is an error.
    pub fn next_record(&mut self) -> std::io::Result<Option<(u64, Vec<String>)>> {
        use csv_core::ReadRecordResult::*;
        if self.done {
            return Ok(None);
        }
        let (mut nout, mut nend) = (0, 0);
        self.start_line = None;
        loop {
            let input = self.source.fill_buf()?;
            let (result, nin, o, e) =
                self.parser
                    .read_record(input, &mut self.out[nout..], &mut self.ends[nend..]);
            // A record never starts with a line break (that would be a blank
            // line, which the parser skips), so its first other byte is
            // where it starts.
            for &b in &input[..nin] {
                if self.start_line.is_none() && b != b'\n' && b != b'\r' {
                    self.start_line = Some(self.lines.line());
                }
                self.lines.byte(b);
            }
            self.source.consume(nin);
            self.offset += nin as u64;
            nout += o;
            nend += e;
            match result {
                InputEmpty => continue,
                OutputFull if self.out.len() >= MAX_RECORD_BYTES => {
                    return Err(self.too_large(format!(
                        "is longer than {} MiB; the file is damaged, or a quote is not \
                         closed (then every line after it is one field)",
                        MAX_RECORD_BYTES >> 20
                    )))
                }
                OutputFull => {
                    let n = (self.out.len() * 2).min(MAX_RECORD_BYTES);
                    self.out.resize(n, 0);
                }
                OutputEndsFull if self.ends.len() >= MAX_RECORD_FIELDS => {
                    return Err(self.too_large(format!(
                        "has more than {MAX_RECORD_FIELDS} fields, more than a spreadsheet's columns"
                    )))
                }
                OutputEndsFull => {
                    let n = (self.ends.len() * 2).min(MAX_RECORD_FIELDS);
                    self.ends.resize(n, 0);
                }
                Record => {
                    let mut cells = Vec::with_capacity(nend);
                    let mut from = 0;
                    for &to in &self.ends[..nend] {
                        // The bytes are valid UTF-8 by now (checked or
                        // decoded); lossy conversion only guards against a
                        // bug, never against the input.
                        cells.push(String::from_utf8_lossy(&self.out[from..to]).into_owned());
                        from = to;
                    }
                    return Ok(Some((self.start_line.unwrap_or(self.lines.line()), cells)));
                }
                End => {
                    self.done = true;
                    return Ok(None);
                }
            }
        }
    }
}

/// Parses UTF-8 CSV text into the validator. `len` is only for progress.
pub fn parse_rows(
    source: impl Read,
    len: u64,
    delimiter: u8,
    pass: &mut Pass<'_>,
) -> Result<Parsed> {
    let mut records = Records::new(BufReader::with_capacity(CHUNK, source), delimiter);
    let Some((header_line, header)) = records
        .next_record()
        .context("could not read the header line")?
    else {
        bail!("the file has no header line");
    };
    let mut validator = match Validator::from_header(&header, header_line) {
        Ok(v) => v.keeping(std::mem::replace(&mut pass.keep, Keep::All)),
        Err(problems) => {
            return Ok(Parsed {
                problems,
                ..Parsed::default()
            })
        }
    };
    pass.progress.begin(pass.step, Some(len), Unit::Bytes);
    let mut rows = 0u64;
    while let Some((line, mut cells)) = records.next_record().context("could not read the file")? {
        // Undo the export's formula escaping (see `table::to_csv`).
        cells.iter_mut().for_each(crate::table::from_csv);
        validator.row(line, &cells, true);
        if validator.stopped() {
            break;
        }
        rows += 1;
        if rows.is_multiple_of(4096) {
            pass.progress.reach(records.offset());
        }
    }
    pass.progress.end();
    Ok(validator.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quotes(text: &str) -> Vec<String> {
        let mut q = QuoteChecker::new(b',');
        q.feed(text.as_bytes());
        q.finish().iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn the_separator_is_sniffed_from_the_header() {
        assert_eq!(sniff_delimiter(b"id,given_names,surname1"), b',');
        assert_eq!(
            sniff_delimiter(b"id;given_names;surname1;notes, misc"),
            b';'
        );
        assert_eq!(sniff_delimiter(b"\"id\"\t\"given_names\""), b'\t');
        assert_eq!(sniff_delimiter(b"nothing known"), b',');
        // Another file's columns, behind a byte-order mark.
        let list = ["row_id", "full_name", "birth_year", "province"];
        assert_eq!(delimiter_among(b"\xEF\xBB\xBFrow_id;notes", &list), b';');
        assert_eq!(delimiter_among(b"id;given_names", &list), b',');
    }

    #[test]
    fn well_formed_quoting_passes() {
        assert!(quotes("a,\"b, c\",\"say \"\"hi\"\"\"\n\"multi\nline\",x\r\n").is_empty());
        // A quote inside an unquoted field is literal text: nothing is lost.
        assert!(quotes("a,5'10\" tall,c\n").is_empty());
    }

    #[test]
    fn text_after_a_closing_quote_is_reported_on_its_line() {
        let p = quotes("a,b\n\"ab\"c,d\n");
        assert_eq!(p.len(), 1);
        assert!(
            p[0].starts_with("line 2: quoting: text follows the closing quote"),
            "{p:?}"
        );
    }

    #[test]
    fn an_unclosed_quote_is_reported_where_it_opens() {
        let p = quotes("a,b\nc,d\n\"e,f\ng,h\ni,j\n");
        assert_eq!(p.len(), 1);
        assert!(
            p[0].starts_with("line 3: quoting: a quoted field starts here and is never closed"),
            "{p:?}"
        );
    }

    fn parse(text: &str) -> Parsed {
        parse_rows(
            text.as_bytes(),
            text.len() as u64,
            b',',
            &mut Pass::checking(&crate::Silent),
        )
        .unwrap()
    }

    #[test]
    fn line_numbers_are_physical_lines_even_after_multiline_fields() {
        let text = "id,given_names,surname1,country,publish,private_notes\n\
                    CU-1,Ana,Pérez,CU,yes,\"two\nlines\"\n\
                    \n\
                    CU-2,Eva,,CU,yes,\n";
        let p = parse(text);
        let msgs: Vec<_> = p.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(msgs, ["line 5: surname1: is empty"]);
        assert_eq!(p.persons.len(), 1);
        assert_eq!(p.persons[0].private_notes.as_deref(), Some("two\nlines"));
    }

    #[test]
    fn blank_lines_and_crlf_endings_keep_line_numbers_exact() {
        let text = "id,given_names,surname1,country,publish\r\n\r\nCU-1,Ana,,CU,yes\r\n\n\nCU-2,Eva,,CU,yes";
        let p = parse(text);
        let lines: Vec<u64> = p.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [3, 6]);
    }

    #[test]
    fn old_mac_line_ends_are_lines_too() {
        let p = parse(
            "id,given_names,surname1,country,publish\rCU-1,Ana,Pérez,CU,yes\rCU-2,,Paz,CU,yes\r",
        );
        let lines: Vec<u64> = p.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [3]);
        assert_eq!(p.persons.len(), 1);
    }

    #[test]
    fn semicolon_files_parse_like_comma_files() {
        let text = "id;given_names;surname1;country;publish\nCU-1;José Luis;de la Cruz;CU;no\n";
        let p = parse_rows(
            text.as_bytes(),
            0,
            b';',
            &mut Pass::checking(&crate::Silent),
        )
        .unwrap();
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.persons[0].surname1, "de la Cruz");
        assert!(!p.persons[0].publish);
    }

    #[test]
    fn a_bad_header_stops_before_the_rows() {
        let p = parse("id,nombre\nCU-1,Ana\n");
        assert!(p
            .problems
            .iter()
            .all(|p| p.line == 1 && p.column == "header"));
        assert_eq!(p.problems.len(), 2);
    }

    #[test]
    fn a_row_over_the_bounds_is_an_error_naming_its_line_and_holds_no_more() {
        // A quote never closed: the rest of the file is one field.
        let mut text = String::from("id,given_names,surname1,country,publish\nCU-1,\"Ana");
        text.push_str(&"x".repeat(3 * MAX_RECORD_BYTES));
        let mut records = Records::new(text.as_bytes(), b',');
        assert!(records.next_record().unwrap().is_some());
        let e = records.next_record().unwrap_err();
        assert!(e.to_string().contains("starts on line 2"), "{e}");
        assert!(e.to_string().contains("longer than 1 MiB"), "{e}");
        assert!(records.out.len() <= MAX_RECORD_BYTES);
        let fields = ",".repeat(MAX_RECORD_FIELDS + 1);
        let mut records = Records::new(fields.as_bytes(), b',');
        let e = records.next_record().unwrap_err();
        assert!(e.to_string().contains("more than 16384 fields"), "{e}");
        // A long row under the bound is read whole.
        let long = "y".repeat(MAX_RECORD_BYTES / 2);
        let mut records = Records::new(long.as_bytes(), b',');
        assert_eq!(
            records.next_record().unwrap().unwrap().1[0].len(),
            long.len()
        );
    }
}
