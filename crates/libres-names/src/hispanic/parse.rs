//! Parsing whole names into given names and surnames.

use super::hypocorism::{canonical_given, is_known_given};
use super::normalize::{fold, is_particle, GLUED_PREFIXES};
use super::tables::{COMMON_SURNAMES, GIVEN_TAILS, PARTICLE_SURNAMES};

/// The longest name accepted, in characters (Unicode scalar values) of the
/// input. Longer input is rejected before any other work, so a field
/// filled with 10,000 characters by mistake costs nothing.
pub const MAX_NAME_CHARS: usize = 300;

/// Errors for names that cannot be compared at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// Nothing but whitespace and punctuation.
    #[error("the name is empty")]
    Empty,
    /// More than [`MAX_NAME_CHARS`] characters (in one field, for
    /// [`parse_structured`]).
    #[error("the name is longer than {MAX_NAME_CHARS} characters")]
    TooLong,
    /// There is text, but no letter of the Latin script survives folding
    /// (only digits, or only another script such as "王小明" or "محمد").
    #[error("the name has no Latin letters")]
    NoLatinLetters,
}

/// One given-name token.
///
/// `text` is folded lower-case ASCII ("maria"). `initial` is true when
/// the source wrote only an initial ("A." or a single letter); `text` is
/// then that one letter. `canonical` is the hypocorism-resolved form
/// ("pepe" -> "jose", "ma" -> "maria", "chucho" -> "jesus"), equal to
/// `text` when none applies (see [`canonical_given`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Given {
    /// The folded token, without particles.
    pub text: String,
    /// The full given name behind a hypocorism or abbreviation, else `text`.
    pub canonical: String,
    /// The source wrote only an initial.
    pub initial: bool,
}

/// A surname unit.
///
/// `text` is folded with its particles kept, joined by spaces ("de la
/// cruz"); `key` is the comparison form with particles removed ("cruz").
/// A particle written glued ("Delacruz") is split off when the rest is a
/// surname known to take one, giving text "de la cruz" and key "cruz";
/// "Delgado" stays "delgado". "San"/"Santa" stay in the key, glued: "San
/// Martín" and "Sanmartín" both give key "sanmartin".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Surname {
    /// Folded, particles kept ("de la cruz").
    pub text: String,
    /// Folded, particles removed ("cruz").
    pub key: String,
    /// Only an initial was written ("PEREZ G.").
    pub initial: bool,
}

/// One written unit of a name: a word with the particles before it.
///
/// `text` keeps the particles ("de la cruz", "de los angeles"), `key`
/// drops them ("cruz", "angeles"), `canonical` is
/// [`canonical_given`] of the key, and `initial` is true when the key is a
/// single letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Folded, particles kept.
    pub text: String,
    /// Folded, particles removed.
    pub key: String,
    /// The key with a hypocorism or abbreviation resolved.
    pub canonical: String,
    /// The key is a single letter: the source wrote an initial.
    pub initial: bool,
}

/// A parsed name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedName {
    /// Given names in order, particles inside compound given names dropped
    /// ("María de los Ángeles" -> [maria, angeles]).
    pub given: Vec<Given>,
    /// Surnames in order, each with its particles ("de la cruz").
    pub surnames: Vec<Surname>,
    /// True when the split between given names and surnames is known: the
    /// comma form "SURNAMES, GIVEN", or structured registry fields. False
    /// for free text, where `given` and `surnames` hold the most likely
    /// reading and `units` lets the matcher try the others.
    pub split_known: bool,
    /// Every unit in written order (for the comma form, surnames first),
    /// particles attached to the word that follows them.
    pub units: Vec<Unit>,
}

/// Parses a whole name as written in a list.
///
/// - "SURNAMES, GIVEN" (one comma with letters on both sides) is split at
///   the comma: `split_known` is true. With two or more commas the form is
///   unclear, and the commas are read as spaces.
/// - Anything else is free text: `split_known` is false, `given` and
///   `surnames` hold the most likely reading (see the module docs of
///   [`super`] for the rules), and `units` every unit in written order.
///
/// Digits and punctuation are dropped. Hyphens separate words:
/// "Pérez-Núñez" gives two surname units, "perez" and "nunez", the same
/// as a registry entry with surnames "Pérez" and "Núñez", or with
/// "Pérez-Núñez" in its first surname field.
///
/// A single unit is a given name when it is a known given name (or an
/// initial), and a surname otherwise.
pub fn parse_full_name(input: &str) -> Result<ParsedName, NameError> {
    check_length(input)?;
    let segments: Vec<&str> = input.split(',').collect();
    let with_letters: Vec<&str> = segments
        .iter()
        .copied()
        .filter(|s| s.bytes().any(|b| b.is_ascii_alphabetic()) || !s.is_ascii())
        .collect();
    if let [surname_part, given_part] = with_letters[..] {
        let surname_folded = fold(surname_part);
        let given_folded = fold(given_part);
        let surname_units = build_units(&words(&surname_folded), Mode::Surname);
        let given_units = build_units(&words(&given_folded), Mode::Given);
        if !surname_units.is_empty() && !given_units.is_empty() {
            let given = given_units.iter().map(Unit::to_given).collect();
            let surnames = surname_units.iter().map(Unit::to_surname).collect();
            let mut units = surname_units;
            units.extend(given_units);
            return Ok(ParsedName {
                given,
                surnames,
                split_known: true,
                units,
            });
        }
    }
    let folded = fold(input);
    let units = build_units(&words(&folded), Mode::Free);
    if units.is_empty() {
        return Err(nothing_left(input));
    }
    let (given, surnames) = split_free(&units);
    Ok(ParsedName {
        given,
        surnames,
        split_known: false,
        units,
    })
}

/// Parses the registry form: given names, first and second surname.
///
/// Either surname may be empty, and given names may be empty when a
/// surname is present (a name with only given names is accepted too). Each
/// field may hold up to [`MAX_NAME_CHARS`] characters. `split_known` is
/// true; `units` are the given names, then the first, then the second
/// surname. A surname field with several words gives several surname
/// units ("Pérez Reverte" -> perez, reverte), just as the same words in
/// the comma form of [`parse_full_name`] would.
pub fn parse_structured(
    given_names: &str,
    surname1: &str,
    surname2: &str,
) -> Result<ParsedName, NameError> {
    check_length(given_names)?;
    check_length(surname1)?;
    check_length(surname2)?;
    let given_units = build_units(&words(&fold(given_names)), Mode::Given);
    let mut surname_units = build_units(&words(&fold(surname1)), Mode::Surname);
    surname_units.extend(build_units(&words(&fold(surname2)), Mode::Surname));
    if given_units.is_empty() && surname_units.is_empty() {
        let all = [given_names, surname1, surname2];
        return Err(if all.iter().any(|f| has_alphanumeric(f)) {
            NameError::NoLatinLetters
        } else {
            NameError::Empty
        });
    }
    let given = given_units.iter().map(Unit::to_given).collect();
    let surnames = surname_units.iter().map(Unit::to_surname).collect();
    let mut units = given_units;
    units.extend(surname_units);
    Ok(ParsedName {
        given,
        surnames,
        split_known: true,
        units,
    })
}

impl Unit {
    fn to_given(&self) -> Given {
        Given {
            text: self.key.clone(),
            canonical: self.canonical.clone(),
            initial: self.initial,
        }
    }

    fn to_surname(&self) -> Surname {
        Surname {
            text: self.text.clone(),
            key: self.key.clone(),
            initial: self.initial,
        }
    }

    /// The unit has particles before its word.
    fn has_particles(&self) -> bool {
        match self.text.split_once(' ') {
            Some((first, _)) => is_particle(first),
            None => false,
        }
    }
}

fn check_length(input: &str) -> Result<(), NameError> {
    // A character takes at least one byte: short input needs no count, and
    // long input is counted only up to the limit.
    if input.len() > MAX_NAME_CHARS && input.chars().nth(MAX_NAME_CHARS).is_some() {
        return Err(NameError::TooLong);
    }
    Ok(())
}

fn has_alphanumeric(input: &str) -> bool {
    input.chars().any(char::is_alphanumeric)
}

/// The error for input that left no unit.
fn nothing_left(input: &str) -> NameError {
    if has_alphanumeric(input) {
        NameError::NoLatinLetters
    } else {
        NameError::Empty
    }
}

/// The words of folded text: digits split words and are dropped, and a
/// particle glued to a known surname ("delacruz") is split off.
fn words(folded: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for word in folded
        .split(|c: char| !c.is_ascii_lowercase())
        .filter(|w| !w.is_empty())
    {
        match unglue(word) {
            Some((particles, rest)) => {
                out.extend_from_slice(particles);
                out.push(rest);
            }
            None => out.push(word),
        }
    }
    out
}

/// Splits a glued particle off a known surname that takes one:
/// "delacruz" -> (["de", "la"], "cruz"). "De la O" is the one surname of
/// a single letter, and is recognised only as "delao".
fn unglue(word: &str) -> Option<(&'static [&'static str], &str)> {
    for (prefix, particles) in GLUED_PREFIXES {
        if let Some(rest) = word.strip_prefix(prefix) {
            let long_enough = rest.len() >= 2 || (rest == "o" && *prefix == "dela");
            if long_enough && PARTICLE_SURNAMES.binary_search(&rest).is_ok() {
                return Some((particles, rest));
            }
        }
    }
    None
}

/// Which part of a name a run of words is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Known to be given names: a lone "y" is an initial, never a particle.
    Given,
    /// Known to be surnames: "y" between two surnames is a particle.
    Surname,
    /// Unknown: "y" is a particle unless the word before it looks like a
    /// given name ("José Y Pérez" has an initial, "Ortega y Gasset" a
    /// particle).
    Free,
}

/// Looks like a given name on its own: a known given name or an initial.
fn given_like(word: &str) -> bool {
    word.len() == 1 || is_known_given(word)
}

/// Groups words into units: particles attach to the word after them,
/// "san"/"santa" join the word after them into one key, and particles
/// with nothing after them are dropped. When every word is a particle, the
/// words are read as plain words.
fn build_units(words: &[&str], mode: Mode) -> Vec<Unit> {
    let mut particle = vec![false; words.len()];
    for (i, word) in words.iter().enumerate() {
        particle[i] = if *word == "y" {
            let between = i > 0 && i + 1 < words.len() && !particle[i - 1];
            let before_ok = match mode {
                Mode::Given => false,
                Mode::Surname => true,
                Mode::Free => words.get(i.wrapping_sub(1)).is_some_and(|w| !given_like(w)),
            };
            between && before_ok
        } else {
            is_particle(word)
        };
    }
    if particle.iter().all(|p| *p) {
        particle.iter_mut().for_each(|p| *p = false);
    }

    let mut units = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    while let Some(word) = words.get(i) {
        if particle[i] {
            push_word(&mut text, word);
            i += 1;
            continue;
        }
        let mut key = String::from(*word);
        push_word(&mut text, word);
        let joins_next = matches!(*word, "san" | "santa")
            && words.get(i + 1).is_some()
            && !particle.get(i + 1).copied().unwrap_or(true);
        if joins_next {
            if let Some(next) = words.get(i + 1) {
                key.push_str(next);
                push_word(&mut text, next);
                i += 1;
            }
        }
        i += 1;
        let canonical = canonical_given(&key).to_owned();
        units.push(Unit {
            text: std::mem::take(&mut text),
            initial: key.len() == 1,
            key,
            canonical,
        });
    }
    units
}

fn push_word(text: &mut String, word: &str) {
    if !text.is_empty() {
        text.push(' ');
    }
    text.push_str(word);
}

fn is_common_surname(word: &str) -> bool {
    COMMON_SURNAMES.binary_search(&word).is_ok()
}

/// The unit can be a given name at position `i` of free text: an initial,
/// a known given name, or (after a given name) the tail of a compound
/// given name such as "de los Ángeles" or "de Jesús".
fn unit_given_like(unit: &Unit, i: usize) -> bool {
    if unit.initial {
        return true;
    }
    if unit.has_particles() {
        i > 0 && GIVEN_TAILS.binary_search(&unit.key.as_str()).is_ok()
    } else {
        is_known_given(&unit.key)
    }
}

/// The unit reads as a surname on its own: a frequent surname, or a word
/// with particles that is not the tail of a compound given name.
fn unit_surname_like(unit: &Unit) -> bool {
    if unit.has_particles() {
        !unit.initial
            && (is_common_surname(&unit.key)
                || GIVEN_TAILS.binary_search(&unit.key.as_str()).is_err())
    } else {
        is_common_surname(&unit.key)
    }
}

/// The most likely split of free text into given names and surnames.
fn split_free(units: &[Unit]) -> (Vec<Given>, Vec<Surname>) {
    let to_given = |us: &[Unit]| us.iter().map(Unit::to_given).collect();
    let to_surnames = |us: &[Unit]| us.iter().map(Unit::to_surname).collect();
    match choose_split(units) {
        Split::GivenFirst(g) => {
            let (given, surnames) = units.split_at(g.min(units.len()));
            (to_given(given), to_surnames(surnames))
        }
        Split::SurnamesFirst(s) => {
            let (surnames, given) = units.split_at(s.min(units.len()));
            (to_given(given), to_surnames(surnames))
        }
    }
}

/// A reading of free text.
enum Split {
    /// This many given names, then the surnames (Spanish order).
    GivenFirst(usize),
    /// This many surnames, then the given names ("PEREZ GARCIA JOSE").
    SurnamesFirst(usize),
}

/// Chooses the most likely reading of free text. The rules, in order:
///
/// 1. One unit: a given name if it looks like one, else a surname.
/// 2. Surnames first: when the first unit is not a given name but reads as
///    a surname, and the last units are given names or initials, those
///    last units are the given names ("PEREZ GARCIA JOSE").
/// 3. When the first unit is no given name and every unit reads as a surname
///    ("PÉREZ GARCÍA"), there are only surnames.
/// 4. Otherwise the leading run of given-like units are given names, but
///    at least one surname is left.
/// 5. With no known given name in front, the first unit is a given name
///    (unusual given names are common: "Yoandri", "Dairon").
/// 6. Spanish names carry two surnames: while more than two units remain
///    and the next one is neither a frequent surname nor has particles, it
///    is taken as one more given name ("Dayron Alexei Pérez García").
/// 7. When that leaves one surname, and the last given name is also a
///    frequent surname ("Luis Martín García", "Juan de la Cruz Pérez"),
///    it becomes the first surname. "José Luis Pérez" keeps two given
///    names.
fn choose_split(units: &[Unit]) -> Split {
    let n = units.len();
    let Some(first) = units.first() else {
        return Split::GivenFirst(0);
    };
    if n == 1 {
        return Split::GivenFirst(usize::from(unit_given_like(first, 0)));
    }
    let leading = units
        .iter()
        .enumerate()
        .take_while(|(i, u)| unit_given_like(u, *i))
        .count();
    if leading == 0 && unit_surname_like(first) {
        let trailing = units
            .iter()
            .rev()
            .take_while(|u| u.initial || (!u.has_particles() && is_known_given(&u.key)))
            .count();
        if trailing > 0 && trailing < n {
            return Split::SurnamesFirst(n - trailing);
        }
    }
    if leading == 0 && units.iter().all(unit_surname_like) {
        return Split::GivenFirst(0);
    }
    let mut g = leading.clamp(1, n - 1);
    while n - g > 2 {
        match units.get(g) {
            Some(u) if !u.has_particles() && !is_common_surname(&u.key) => g += 1,
            _ => break,
        }
    }
    if n - g == 1 && g >= 2 {
        if let Some(last_given) = units.get(g - 1) {
            if !last_given.initial && is_common_surname(&last_given.key) {
                g -= 1;
            }
        }
    }
    Split::GivenFirst(g)
}
