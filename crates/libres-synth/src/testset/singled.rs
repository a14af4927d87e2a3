//! Whether a list row singles out the registry person it names, among
//! everyone the generator made: every registry person, and every person
//! the list names who is not in the registry.
//!
//! A row singles its person out when nobody else is *compatible* with what
//! the row writes. Another person is compatible when all of these hold:
//!
//! * **Given names.** Every given-name word the row writes fits one of the
//!   other's given-name words: the same word (accents and case aside), an
//!   initial of it ("J." fits José), or a familiar form of it ("Pepe" fits
//!   José, "Beto" fits Alberto and Roberto); "Ma." is María. Particles
//!   ("de los") do not count. So a shortened compound fits the full one
//!   ("José" fits "José Luis"), but not the other way round.
//! * **First surname**: the same, leading particles aside ("de la Cruz"
//!   and "Cruz" are one).
//! * **Second surname**, if the row writes one: the same, unless the other
//!   person has none on record (a registry person without a second surname
//!   cannot be excluded by it).
//! * **Birth year**, if the row writes one and the other's year is known:
//!   within one year. A registry person whose birth date is empty cannot be
//!   excluded by year; a person off the registry has a known (true) year.
//! * **Province**, if the row writes one: the same (every person's province
//!   is known).
//!
//! The row is read as it was meant: a misspelling or a slip of the keyboard
//! counts as the word it stands for (the test set keeps apart names that
//! sound alike, see [`super::text::sound_key`]), a loosely written province
//! as that province. Sex, country and nationality are not written on a list
//! and do not count.

use super::list::Row;
use super::registry::Person;
use super::vocab::{Vocab, NONE};

/// One given-name word as a row writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Part {
    /// A whole word (its token in the vocabulary).
    Word(u16),
    /// An initial, folded ("J." is `j`).
    Initial(char),
    /// A familiar form, folded ("pepe").
    Familiar(String),
}

/// What a row writes about its person, read as meant.
#[derive(Clone, Debug)]
pub(super) struct Written {
    /// The given-name words.
    pub given: Vec<Part>,
    /// The first surname.
    pub s1: u16,
    /// The second surname, when the row writes one.
    pub s2: Option<u16>,
    /// The birth year, when the row writes one.
    pub year: Option<u16>,
    /// The province (country, province), when the row writes one.
    pub place: Option<(u8, u8)>,
}

/// A person as far as a row could tell them apart from another.
#[derive(Clone, Copy, Debug)]
pub(super) struct Known {
    pub given: [u16; 2],
    pub s1: u16,
    /// [`NONE`] when not on record.
    pub s2: u16,
    /// `None` when not on record.
    pub year: Option<u16>,
    pub place: (u8, u8),
}

impl Known {
    /// A registry person, as the registry shows them.
    pub(super) fn registry(p: &Person) -> Self {
        Known {
            given: p.given,
            s1: p.s1,
            s2: p.s2,
            year: p.shown_year(),
            place: (p.country, p.province),
        }
    }
}

/// Whether `part` fits the given-name word `token`.
fn fits(vocab: &Vocab, part: &Part, token: u16) -> bool {
    match part {
        Part::Word(w) => *w == token,
        Part::Initial(c) => vocab.initial(token) == *c,
        Part::Familiar(f) => vocab.familiar(f).contains(&token) || vocab.word(f) == Some(token),
    }
}

/// Whether `other` is compatible with what `w` writes (the rule in the
/// module docs).
pub(super) fn compatible(vocab: &Vocab, w: &Written, other: &Known) -> bool {
    if vocab.core(other.s1) != vocab.core(w.s1) {
        return false;
    }
    if let Some(s2) = w.s2 {
        if other.s2 != NONE && vocab.core(other.s2) != vocab.core(s2) {
            return false;
        }
    }
    if let (Some(a), Some(b)) = (w.year, other.year) {
        if a.abs_diff(b) > 1 {
            return false;
        }
    }
    if w.place.is_some_and(|p| p != other.place) {
        return false;
    }
    w.given
        .iter()
        .all(|part| vocab.tokens(other.given).any(|t| fits(vocab, part, t)))
}

/// Everyone, indexed by (first surname's core, given-name word), and by
/// the core alone under the word [`NONE`].
struct Index {
    entries: Vec<(u32, u32)>,
}

fn key(core: u16, token: u16) -> u32 {
    (u32::from(core) << 16) | u32::from(token)
}

impl Index {
    fn new(vocab: &Vocab, everyone: &[Known]) -> Self {
        let mut entries = Vec::with_capacity(everyone.len() * 3);
        for (i, k) in everyone.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            let core = vocab.core(k.s1);
            entries.push((key(core, NONE), i));
            entries.extend(vocab.tokens(k.given).map(|t| (key(core, t), i)));
        }
        entries.sort_unstable();
        entries.dedup();
        Index { entries }
    }

    fn get(&self, key: u32) -> impl Iterator<Item = usize> + '_ {
        let start = self.entries.partition_point(|e| e.0 < key);
        self.entries[start..]
            .iter()
            .take_while(move |e| e.0 == key)
            .map(|e| e.1 as usize)
    }
}

/// The keys under which anyone compatible with `w` is sure to be found:
/// one written word, else the familiar form's formal names, else the
/// surname alone.
fn keys(vocab: &Vocab, w: &Written) -> Vec<u32> {
    let core = vocab.core(w.s1);
    if let Some(t) = w.given.iter().find_map(|p| match p {
        Part::Word(t) => Some(*t),
        _ => None,
    }) {
        return vec![key(core, t)];
    }
    if let Some(f) = w.given.iter().find_map(|p| match p {
        Part::Familiar(f) => Some(f),
        _ => None,
    }) {
        return vocab
            .familiar(f)
            .iter()
            .copied()
            .chain(vocab.word(f))
            .map(|t| key(core, t))
            .collect();
    }
    vec![key(core, NONE)]
}

/// Sets `singled_out` on every row that names a registry person (and
/// leaves it `None` on the others).
pub(super) fn mark(vocab: &Vocab, persons: &[Person], rows: &mut [Row]) {
    let everyone: Vec<Known> = persons
        .iter()
        .map(Known::registry)
        .chain(rows.iter().filter(|r| r.person.is_none()).map(|r| Known {
            given: r.canon.given,
            s1: r.canon.s1,
            s2: r.canon.s2,
            year: Some(r.canon.year),
            place: r.canon.place,
        }))
        .collect();
    let index = Index::new(vocab, &everyone);
    for row in rows.iter_mut() {
        row.singled_out = row.person.map(|target| {
            let target = target as usize;
            !keys(vocab, &row.written).into_iter().any(|k| {
                index
                    .get(k)
                    .any(|i| i != target && compatible(vocab, &row.written, &everyone[i]))
            })
        });
    }
}
