//! Character encodings of text files.
//!
//! Spreadsheets in Spanish-speaking offices still save CSV as Windows-1252
//! ("ANSI"), so `José` arrives as the single byte `0xE9` for `é`. We check
//! the whole file: if it is valid UTF-8 we read it as such; if not, and it
//! holds no UTF-8 at all, we decode it as Windows-1252 (a superset of
//! Latin-1 for printable text) and say so. A file that mixes both cannot be
//! decoded without garbling one half, so it is refused: we never produce
//! mojibake silently.

use super::lines::LineCounter;
use encoding_rs::{Decoder, WINDOWS_1252};
use std::io::{self, Read};

/// What a pass over the whole file learned about its bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Utf8Scan {
    /// First line holding a byte sequence that is not UTF-8.
    pub first_invalid_line: Option<u64>,
    /// First line holding a valid multi-byte UTF-8 character.
    pub first_utf8_line: Option<u64>,
}

/// The encoding a file will be read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (or plain ASCII).
    Utf8,
    /// Windows-1252 / Latin-1.
    Windows1252,
}

impl Utf8Scan {
    /// Decides the encoding, or explains why the file cannot be read.
    pub fn encoding(&self) -> Result<Encoding, String> {
        match (self.first_invalid_line, self.first_utf8_line) {
            (None, _) => Ok(Encoding::Utf8),
            (Some(_), None) => Ok(Encoding::Windows1252),
            (Some(bad), Some(good)) => Err(format!(
                "the file mixes character encodings: line {good} is UTF-8 but line {bad} is not \
                 (probably Windows-1252/Latin-1); open it in a spreadsheet and save it again as \"CSV UTF-8\""
            )),
        }
    }
}

/// Incremental UTF-8 checker fed with consecutive chunks of a file.
#[derive(Debug, Default)]
pub struct Utf8Checker {
    /// Bytes of a character cut at the end of the previous chunk.
    carry: Vec<u8>,
    /// Line of the next byte to be checked.
    lines: LineCounter,
    scan: Utf8Scan,
}

impl Utf8Checker {
    /// A checker positioned at line 1.
    pub fn new() -> Self {
        Utf8Checker::default()
    }

    /// Checks the next chunk of the file.
    pub fn feed(&mut self, chunk: &[u8]) {
        if self.carry.is_empty() {
            self.check(chunk, false);
        } else {
            let mut joined = std::mem::take(&mut self.carry);
            joined.extend_from_slice(chunk);
            self.check(&joined, false);
        }
    }

    /// Ends the file: a character cut by the end of file is invalid.
    pub fn finish(mut self) -> Utf8Scan {
        let rest = std::mem::take(&mut self.carry);
        if !rest.is_empty() {
            self.check(&rest, true);
        }
        self.scan
    }

    fn advance(&mut self, bytes: &[u8]) {
        if self.scan.first_utf8_line.is_none() {
            if let Some(at) = bytes.iter().position(|b| *b >= 0x80) {
                self.lines.bytes(&bytes[..at]);
                self.scan.first_utf8_line = Some(self.lines.line());
                self.lines.bytes(&bytes[at..]);
                return;
            }
        }
        self.lines.bytes(bytes);
    }

    fn check(&mut self, mut bytes: &[u8], at_end: bool) {
        loop {
            match std::str::from_utf8(bytes) {
                Ok(_) => {
                    self.advance(bytes);
                    return;
                }
                Err(e) => {
                    let (good, rest) = bytes.split_at(e.valid_up_to());
                    self.advance(good);
                    match e.error_len() {
                        // A character cut by the chunk boundary: finish it
                        // with the next chunk.
                        None if !at_end => {
                            self.carry = rest.to_vec();
                            return;
                        }
                        None => {
                            self.scan
                                .first_invalid_line
                                .get_or_insert(self.lines.line());
                            return;
                        }
                        Some(n) => {
                            self.scan
                                .first_invalid_line
                                .get_or_insert(self.lines.line());
                            // The bad bytes are never line ends (those are
                            // ASCII, hence valid), but they reset the `\r\n`
                            // pairing like any other byte.
                            self.lines.bytes(&rest[..n]);
                            bytes = &rest[n..];
                        }
                    }
                }
            }
        }
    }
}

/// Wraps a reader of Windows-1252 bytes into a reader of UTF-8 bytes.
///
/// Every Windows-1252 byte is one character and newlines map to newlines,
/// so line numbers are the same before and after decoding.
pub struct Windows1252Reader<R> {
    inner: R,
    decoder: Decoder,
    input: Vec<u8>,
    output: Vec<u8>,
    out_pos: usize,
    done: bool,
}

impl<R: Read> Windows1252Reader<R> {
    /// Decodes `inner`.
    pub fn new(inner: R) -> Self {
        Windows1252Reader {
            inner,
            decoder: WINDOWS_1252.new_decoder_without_bom_handling(),
            input: vec![0; 64 * 1024],
            output: Vec::new(),
            out_pos: 0,
            done: false,
        }
    }

    fn refill(&mut self) -> io::Result<()> {
        let n = loop {
            match self.inner.read(&mut self.input) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                other => break other?,
            }
        };
        let last = n == 0;
        let mut text = String::with_capacity(n * 3 + 16);
        let mut consumed = 0;
        loop {
            let (result, read, _) =
                self.decoder
                    .decode_to_string(&self.input[consumed..n], &mut text, last);
            consumed += read;
            match result {
                encoding_rs::CoderResult::InputEmpty => break,
                encoding_rs::CoderResult::OutputFull => text.reserve(n - consumed + 16),
            }
        }
        self.output = text.into_bytes();
        self.out_pos = 0;
        self.done = last;
        Ok(())
    }
}

impl<R: Read> Read for Windows1252Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_pos >= self.output.len() {
            if self.done {
                return Ok(0);
            }
            self.refill()?;
        }
        let avail = &self.output[self.out_pos..];
        let n = avail.len().min(buf.len());
        buf[..n].copy_from_slice(&avail[..n]);
        self.out_pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(chunks: &[&[u8]]) -> Utf8Scan {
        let mut c = Utf8Checker::new();
        for ch in chunks {
            c.feed(ch);
        }
        c.finish()
    }

    #[test]
    fn utf8_text_is_recognised_even_when_a_character_is_split_between_chunks() {
        let text = "id\nJosé\n".as_bytes();
        let (a, b) = text.split_at(6); // inside the two bytes of `é`
        let s = scan(&[a, b]);
        assert_eq!(
            s,
            Utf8Scan {
                first_invalid_line: None,
                first_utf8_line: Some(2)
            }
        );
        assert_eq!(s.encoding(), Ok(Encoding::Utf8));
    }

    #[test]
    fn latin1_bytes_are_detected_with_their_line() {
        let s = scan(&[b"id\nx\nJos\xe9\n"]);
        assert_eq!(s.first_invalid_line, Some(3));
        assert_eq!(s.encoding(), Ok(Encoding::Windows1252));
    }

    #[test]
    fn a_file_mixing_encodings_is_refused_naming_both_lines() {
        let s = scan(&["id\nJosé\n".as_bytes(), b"Ram\xf3n\n"]);
        let err = s.encoding().err().unwrap_or_default();
        assert!(err.contains("line 2 is UTF-8 but line 3 is not"), "{err}");
    }

    #[test]
    fn a_character_cut_by_the_end_of_file_is_invalid() {
        let s = scan(&[b"abc\xc3"]);
        assert_eq!(s.first_invalid_line, Some(1));
    }

    #[test]
    fn windows_1252_decodes_to_the_right_characters() {
        let mut out = String::new();
        let bytes: &[u8] = b"Jos\xe9 Nu\xf1ez \x93cita\x94\n";
        Windows1252Reader::new(bytes)
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "José Nuñez \u{201c}cita\u{201d}\n");
    }
}
