//! Folding text to comparable lower-case ASCII words, and the particles of
//! Spanish surnames.

/// Folds to lower-case ASCII words: accents dropped, ñ -> n, punctuation
/// to spaces, runs of spaces collapsed, trimmed.
///
/// `"  NÚÑEZ-García "` gives `"nunez garcia"`. The output holds only
/// `[a-z0-9 ]`, with single spaces between words, and `fold(fold(x)) ==
/// fold(x)`.
///
/// Choices worth knowing:
/// - Only letters of the Latin script are transliterated (through
///   `deunicode`: `ß` -> `ss`, `Æ` -> `ae`, full-width `Ｊ` -> `j`).
///   Letters of other scripts become separators, so `"王小明"` folds to
///   `""`: a transliteration would invent a spelling that no registry
///   entry was written in, and a false match costs more than a miss.
/// - Combining marks (decomposed accents, `"Jose\u{301}"`), zero-width
///   characters and soft hyphens vanish without splitting the word.
/// - Apostrophes (`'`, `’`, `‘`, `´`, `` ` ``) also vanish without
///   splitting: `"O'Farrill"` -> `"ofarrill"`, so it equals the common
///   spelling "Ofarrill" and no stray one-letter word (which would look
///   like an initial) appears.
/// - Digits are kept here; the name parser drops them.
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    // A separator was seen since the last pushed character.
    let mut gap = false;
    for ch in input.chars() {
        if ch.is_ascii() {
            push_ascii(&mut out, &mut gap, ch as u8);
            continue;
        }
        match classify(ch) {
            Class::Vanish => {}
            Class::Separator => gap = true,
            Class::Latin => match deunicode::deunicode_char(ch) {
                Some(ascii) => {
                    for b in ascii.bytes() {
                        push_ascii(&mut out, &mut gap, b);
                    }
                }
                None => gap = true,
            },
        }
    }
    out
}

/// Pushes one ASCII byte, lower-cased, or records a separator.
fn push_ascii(out: &mut String, gap: &mut bool, b: u8) {
    if b.is_ascii_alphanumeric() {
        if *gap && !out.is_empty() {
            out.push(' ');
        }
        *gap = false;
        out.push(char::from(b.to_ascii_lowercase()));
    } else if b != b'\'' && b != b'`' {
        *gap = true;
    }
}

/// What [`fold`] does with one non-ASCII character.
enum Class {
    /// Transliterated by `deunicode`.
    Latin,
    /// Dropped without splitting the word.
    Vanish,
    /// Splits words.
    Separator,
}

fn classify(ch: char) -> Class {
    let cp = u32::from(ch);
    let vanishes = matches!(cp,
        0x0300..=0x036F // combining diacritical marks
        | 0x1AB0..=0x1AFF
        | 0x1DC0..=0x1DFF
        | 0x20D0..=0x20FF
        | 0xFE20..=0xFE2F
        | 0x00AD // soft hyphen
        | 0x200B..=0x200D // zero-width space, non-joiner, joiner
        | 0x2060 // word joiner
        | 0xFEFF // byte-order mark
        | 0x2018 | 0x2019 | 0x00B4 // apostrophes and the lone acute accent
    );
    if vanishes {
        return Class::Vanish;
    }
    let latin_block = matches!(cp,
        0x0080..=0x024F // Latin-1 Supplement, Extended-A and -B
        | 0x0250..=0x02AF // IPA extensions
        | 0x1E00..=0x1EFF // Latin Extended Additional
        | 0x2C60..=0x2C7F // Latin Extended-C
        | 0xA720..=0xA7FF // Latin Extended-D
        | 0xAB30..=0xAB6F // Latin Extended-E
        | 0xFB00..=0xFB06 // Latin ligatures (ﬁ, ﬂ)
        | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A // full-width Latin letters
    );
    // Latin-1 also holds symbols (`×` would transliterate to "x"): only
    // letters are transliterated.
    if latin_block && ch.is_alphabetic() {
        Class::Latin
    } else {
        Class::Separator
    }
}

/// Particles: words that join a surname or a compound given name to what
/// follows and carry no identity of their own.
///
/// They are `da`, `das`, `de`, `del`, `di`, `do`, `dos`, `la`, `las`, `los`
/// and `y` (as in "Ortega y Gasset"; the parser decides in context whether
/// a lone `y` is this particle or an initial). Expects a folded word.
///
/// `san`/`santa` are not particles: "San Martín" and "Martín" are
/// different surnames, so the parser keeps them in the key
/// (`"sanmartin"`) instead of dropping them.
pub fn is_particle(word: &str) -> bool {
    matches!(
        word,
        "da" | "das" | "de" | "del" | "di" | "do" | "dos" | "la" | "las" | "los" | "y"
    )
}

/// Particles that may be glued to the front of a surname ("Delacruz"),
/// longest first so that "delacruz" is read as "de la cruz", not "del
/// acruz". Each entry is the glued prefix and the particles it stands for.
pub(crate) const GLUED_PREFIXES: &[(&str, &[&str])] = &[
    ("delas", &["de", "las"]),
    ("delos", &["de", "los"]),
    ("dela", &["de", "la"]),
    ("del", &["del"]),
    ("las", &["las"]),
    ("los", &["los"]),
    ("de", &["de"]),
    ("la", &["la"]),
];
