//! Physical line numbers, as a text editor shows them.
//!
//! A line ends with `\n` (Unix, and the second half of Windows `\r\n`) or
//! with a lone `\r` (old Mac "CSV (Macintosh)" files). Every pass over a
//! file counts lines with this one rule, so all problems agree on where
//! line 7 is.

/// Counts lines over a stream of bytes, fed in any chunk sizes.
#[derive(Debug, Clone, Copy)]
pub struct LineCounter {
    line: u64,
    prev_cr: bool,
}

impl Default for LineCounter {
    fn default() -> Self {
        LineCounter {
            line: 1,
            prev_cr: false,
        }
    }
}

impl LineCounter {
    /// The line of the next byte (1-based).
    pub fn line(&self) -> u64 {
        self.line
    }

    /// Accounts for one byte.
    #[inline]
    pub fn byte(&mut self, b: u8) {
        match b {
            b'\r' => {
                self.line += 1;
                self.prev_cr = true;
            }
            b'\n' => {
                if !self.prev_cr {
                    self.line += 1;
                }
                self.prev_cr = false;
            }
            _ => self.prev_cr = false,
        }
    }

    /// Accounts for a run of bytes.
    pub fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.byte(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(chunks: &[&[u8]]) -> u64 {
        let mut c = LineCounter::default();
        for ch in chunks {
            c.bytes(ch);
        }
        c.line()
    }

    #[test]
    fn unix_windows_and_old_mac_line_ends_count_alike() {
        assert_eq!(count(&[b"a\nb\nc"]), 3);
        assert_eq!(count(&[b"a\r\nb\r\nc"]), 3);
        assert_eq!(count(&[b"a\rb\rc"]), 3);
        // A CRLF split between two chunks is still one line end.
        assert_eq!(count(&[b"a\r", b"\nb"]), 2);
        assert_eq!(count(&[b"\n\n\r\n"]), 4);
    }
}
