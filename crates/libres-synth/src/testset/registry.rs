//! The synthetic registry: realistic names with hard cases planted on
//! purpose (siblings, namesakes, fathers and sons who share the full name,
//! the same common name in different provinces).
//!
//! Every person is a random combination of common name parts: no real
//! person is intended.

use super::vocab::{Sex, Vocab, NONE};
use crate::demo::places::COUNTRIES;
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// The year the ages are counted from (fixed, so the output never depends
/// on the day it is made).
pub(super) const REF_YEAR: u16 = 2025;

/// How much of the birth date the registry shows.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Shown {
    /// `YYYY-MM-DD`.
    Day,
    /// `YYYY`.
    Year,
    /// Empty: unknown to the registry (the list may still know the year).
    Nothing,
}

/// One registry person, in 16 bytes.
#[derive(Clone, Copy, Debug)]
pub(super) struct Person {
    /// One or two given-name entries (the second may be [`NONE`]).
    pub given: [u16; 2],
    /// First surname.
    pub s1: u16,
    /// Second surname, [`NONE`] when the registry has none.
    pub s2: u16,
    /// The true birth year.
    pub year: u16,
    pub month: u8,
    pub day: u8,
    pub shown: Shown,
    pub sex: Sex,
    /// Index into [`COUNTRIES`].
    pub country: u8,
    /// Index into the country's provinces.
    pub province: u8,
    /// A second nationality: 1 + index into the country's foreign codes,
    /// or 0.
    pub dual: u8,
}

impl Person {
    /// The birth year the registry shows, if any.
    pub(super) fn shown_year(&self) -> Option<u16> {
        (self.shown != Shown::Nothing).then_some(self.year)
    }

    /// The province's name.
    pub(super) fn province_name(&self) -> &'static str {
        province_name(self.country, self.province)
    }
}

/// A province's name from its indices.
pub(super) fn province_name(country: u8, province: u8) -> &'static str {
    COUNTRIES[usize::from(country)].provinces[usize::from(province)].0
}

/// How many persons of each planted kind the registry holds.
#[derive(Default, Debug, Clone)]
pub(super) struct Planted {
    /// Persons in sibling groups.
    pub siblings: usize,
    /// Persons in namesake groups.
    pub namesakes: usize,
    /// Persons in father/son (mother/daughter) pairs.
    pub parent_child: usize,
    /// Persons who share a common full name with someone in another
    /// province.
    pub duplicates: usize,
    /// Persons without a second surname.
    pub no_surname2: usize,
}

/// A random country (Cuba half the time), by index.
pub(super) fn pick_country(rng: &mut ChaCha8Rng) -> u8 {
    match rng.gen_range(0..100) {
        0..=49 => 0,
        50..=84 => 1,
        _ => 2,
    }
}

/// A random province of `country`; the capital three times as likely.
pub(super) fn pick_province(rng: &mut ChaCha8Rng, country: u8) -> u8 {
    let n = COUNTRIES[usize::from(country)].provinces.len();
    let capital = if country == 0 { 2 } else { 0 };
    let i = rng.gen_range(0..n + 2);
    u8::try_from(if i >= n { capital } else { i }).unwrap_or(0)
}

/// Another province of the same country than `not`.
fn other_province(rng: &mut ChaCha8Rng, country: u8, not: u8) -> u8 {
    let n = COUNTRIES[usize::from(country)].provinces.len();
    let step = rng.gen_range(1..n);
    u8::try_from((usize::from(not) + step) % n).unwrap_or(0)
}

/// A random sex: most political prisoners are men.
pub(super) fn pick_sex(rng: &mut ChaCha8Rng) -> Sex {
    match rng.gen_range(0..1000) {
        0..=749 => Sex::M,
        750..=994 => Sex::F,
        _ => Sex::X,
    }
}

/// A birth year for an adult detainee: mostly young, some old.
pub(super) fn pick_year(rng: &mut ChaCha8Rng) -> u16 {
    let age = match rng.gen_range(0..10) {
        0..=5 => rng.gen_range(18..40),
        6..=8 => rng.gen_range(40..60),
        _ => rng.gen_range(60..80),
    };
    REF_YEAR - age
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A second surname: another one than `s1`, or none for about 3%.
fn pick_s2(rng: &mut ChaCha8Rng, vocab: &Vocab, s1: u16) -> u16 {
    if rng.gen_range(0..100) < 3 {
        return NONE;
    }
    other_surname(rng, vocab, s1)
}

/// A surname other than `not` (people rarely carry the same one twice, and
/// a different one is what makes a namesake).
pub(super) fn other_surname(rng: &mut ChaCha8Rng, vocab: &Vocab, not: u16) -> u16 {
    loop {
        let s = vocab.pick_surname(rng);
        if s != not {
            return s;
        }
    }
}

/// Given names that share no word with any of `taken` (a sibling is not
/// called like a brother).
fn fresh_given(
    rng: &mut ChaCha8Rng,
    vocab: &Vocab,
    sex: Sex,
    country: u8,
    taken: &[[u16; 2]],
) -> Option<[u16; 2]> {
    (0..20).find_map(|_| {
        let g = vocab.pick_given(rng, sex, country);
        let clash = taken
            .iter()
            .any(|t| vocab.tokens(*t).any(|a| vocab.tokens(g).any(|b| a == b)));
        (!clash).then_some(g)
    })
}

struct Builder<'a> {
    rng: &'a mut ChaCha8Rng,
    vocab: &'a Vocab,
    persons: Vec<Person>,
    planted: Planted,
}

/// A person with the given name and place, and the rest (birth date, how
/// much of it the registry shows, a second nationality) at random.
fn make_person(
    rng: &mut ChaCha8Rng,
    given: [u16; 2],
    s1: u16,
    s2: u16,
    sex: Sex,
    place: (u8, u8),
) -> Person {
    let year = pick_year(rng);
    let month = rng.gen_range(1..=12);
    let day = rng.gen_range(1..=days_in_month(year, month));
    let shown = match rng.gen_range(0..100) {
        0..=9 => Shown::Nothing,
        10..=29 => Shown::Year,
        _ => Shown::Day,
    };
    let foreign = COUNTRIES[usize::from(place.0)].foreign.len();
    let dual = if rng.gen_range(0..100) < 3 {
        u8::try_from(1 + rng.gen_range(0..foreign)).unwrap_or(0)
    } else {
        0
    };
    Person {
        given,
        s1,
        s2,
        year,
        month,
        day,
        shown,
        sex,
        country: place.0,
        province: place.1,
        dual,
    }
}

/// Someone drawn from the registry's distributions: country, province,
/// sex, given names, surnames and birth year. The list draws its strangers
/// here too, so that they are named like registry persons.
pub(super) fn random_person(rng: &mut ChaCha8Rng, vocab: &Vocab) -> Person {
    let country = pick_country(rng);
    let province = pick_province(rng, country);
    let sex = pick_sex(rng);
    let given = vocab.pick_given(rng, sex, country);
    let s1 = vocab.pick_surname(rng);
    let s2 = pick_s2(rng, vocab, s1);
    make_person(rng, given, s1, s2, sex, (country, province))
}

impl Builder<'_> {
    /// A person with the given name and place, and the rest at random.
    fn person(&mut self, given: [u16; 2], s1: u16, s2: u16, sex: Sex, place: (u8, u8)) -> Person {
        make_person(self.rng, given, s1, s2, sex, place)
    }

    fn random_person(&mut self) -> Person {
        random_person(self.rng, self.vocab)
    }

    fn push(&mut self, p: Person) {
        self.persons.push(p);
    }

    /// Two to four children of the same parents: both surnames and the
    /// province shared, other given names, born within 15 years.
    fn siblings(&mut self, room: usize) {
        let first = self.random_person();
        let s2 = if first.s2 == NONE {
            other_surname(self.rng, self.vocab, first.s1)
        } else {
            first.s2
        };
        let oldest = first.year.min(REF_YEAR - 33);
        let youngest = (oldest + 15).min(REF_YEAR - 18);
        let mut taken = vec![first.given];
        self.push(Person {
            s2,
            year: oldest,
            day: first.day.min(days_in_month(oldest, first.month)),
            ..first
        });
        let mut n = 1;
        for _ in 1..self.rng.gen_range(2..=4).min(room) {
            let sex = pick_sex(self.rng);
            let Some(given) = fresh_given(self.rng, self.vocab, sex, first.country, &taken) else {
                break;
            };
            taken.push(given);
            let mut p = self.person(given, first.s1, s2, sex, (first.country, first.province));
            p.year = self.rng.gen_range(oldest..=youngest);
            p.day = p.day.min(days_in_month(p.year, p.month));
            self.push(p);
            n += 1;
        }
        self.planted.siblings += n;
    }

    /// Two or three persons with the same given name and first surname but
    /// another second surname, anywhere in the same country.
    fn namesakes(&mut self, room: usize) {
        let first = self.random_person();
        self.push(first);
        let mut seconds = vec![first.s2];
        let mut n = 1;
        for _ in 1..self.rng.gen_range(2..=3).min(room) {
            let s2 = loop {
                let s = other_surname(self.rng, self.vocab, first.s1);
                if !seconds.contains(&s) {
                    break s;
                }
            };
            seconds.push(s2);
            let province = pick_province(self.rng, first.country);
            let sex = first.sex;
            let p = self.person(first.given, first.s1, s2, sex, (first.country, province));
            self.push(p);
            n += 1;
        }
        self.planted.namesakes += n;
    }

    /// A father and his son (or a mother and her daughter) with the very
    /// same full name, born 20 to 35 years apart, mostly in one province.
    fn parent_and_child(&mut self) {
        let mut child = self.random_person();
        let sex = if self.rng.gen_range(0..100) < 80 {
            Sex::M
        } else {
            Sex::F
        };
        if child.sex != sex {
            child.sex = sex;
            child.given = self.vocab.pick_given(self.rng, sex, child.country);
        }
        child.year = REF_YEAR - self.rng.gen_range(18..45);
        let gap = self.rng.gen_range(20..=35);
        let province = if self.rng.gen_range(0..100) < 80 {
            child.province
        } else {
            pick_province(self.rng, child.country)
        };
        let mut parent = self.person(
            child.given,
            child.s1,
            child.s2,
            child.sex,
            (child.country, province),
        );
        parent.year = child.year - gap;
        parent.day = parent.day.min(days_in_month(parent.year, parent.month));
        child.day = child.day.min(days_in_month(child.year, child.month));
        self.push(child);
        self.push(parent);
        self.planted.parent_child += 2;
    }

    /// The same very common full name twice, in different provinces.
    fn duplicates(&mut self) {
        let sex = if self.rng.gen_range(0..100) < 80 {
            Sex::M
        } else {
            Sex::F
        };
        let given = self.vocab.pick_common_given(self.rng, sex);
        let s1 = self.vocab.pick_common_surname(self.rng);
        let s2 = loop {
            let s = self.vocab.pick_common_surname(self.rng);
            if s != s1 {
                break s;
            }
        };
        let country = pick_country(self.rng);
        let a = pick_province(self.rng, country);
        let b = other_province(self.rng, country, a);
        let first = self.person(given, s1, s2, sex, (country, a));
        let second = self.person(given, s1, s2, sex, (country, b));
        self.push(first);
        self.push(second);
        self.planted.duplicates += 2;
    }
}

/// `n` persons, shuffled so that planted groups are not neighbours.
pub(super) fn build(rng: &mut ChaCha8Rng, vocab: &Vocab, n: usize) -> (Vec<Person>, Planted) {
    let mut b = Builder {
        rng,
        vocab,
        persons: Vec::with_capacity(n + 4),
        planted: Planted::default(),
    };
    while b.persons.len() < n {
        let room = n - b.persons.len();
        match b.rng.gen_range(0..100) {
            0..=84 => {
                let p = b.random_person();
                b.push(p);
            }
            85..=89 if room >= 2 => b.siblings(room),
            90..=93 if room >= 2 => b.namesakes(room),
            94..=96 if room >= 2 => b.parent_and_child(),
            97..=99 if room >= 2 => b.duplicates(),
            _ => {
                let p = b.random_person();
                b.push(p);
            }
        }
    }
    let Builder {
        rng,
        mut persons,
        mut planted,
        ..
    } = b;
    persons.shuffle(rng);
    planted.no_surname2 = persons.iter().filter(|p| p.s2 == NONE).count();
    (persons, planted)
}

/// Who is in the registry, by surnames and given-name word, with the birth
/// year the registry shows (0 when none): enough to prove that a made-up
/// person is not someone the registry already holds.
pub(super) struct Index {
    entries: Vec<(u64, u16)>,
}

/// Key of (both surnames, one given-name word).
fn key_full(s1: u16, s2: u16, token: u16) -> u64 {
    (u64::from(s1) << 32) | (u64::from(s2) << 16) | u64::from(token)
}

/// Key of (first surname, one given-name word), whatever the second.
fn key_first(s1: u16, token: u16) -> u64 {
    (1 << 63) | (u64::from(s1) << 16) | u64::from(token)
}

impl Index {
    /// Indexes every person.
    pub(super) fn new(vocab: &Vocab, persons: &[Person]) -> Self {
        let mut entries = Vec::with_capacity(persons.len() * 3);
        for p in persons {
            let year = p.shown_year().unwrap_or(0);
            for t in vocab.tokens(p.given) {
                entries.push((key_full(p.s1, p.s2, t), year));
                entries.push((key_first(p.s1, t), year));
            }
        }
        entries.sort_unstable();
        entries.dedup();
        Index { entries }
    }

    fn years(&self, key: u64) -> &[(u64, u16)] {
        let start = self.entries.partition_point(|e| e.0 < key);
        let end = start + self.entries[start..].partition_point(|e| e.0 == key);
        &self.entries[start..end]
    }

    /// Whether no registry person has both surnames `s1 s2` (or `s1` and no
    /// second surname) and any word of `given`: such a name cannot be read
    /// as anyone in the registry.
    pub(super) fn free(&self, vocab: &Vocab, given: [u16; 2], s1: u16, s2: u16) -> bool {
        vocab.tokens(given).all(|t| {
            self.years(key_full(s1, s2, t)).is_empty()
                && self.years(key_full(s1, NONE, t)).is_empty()
        })
    }

    /// Whether no registry person has the first surname `s1` and any word
    /// of `given`, whatever their second surname: only then may the name
    /// be written with one surname.
    pub(super) fn free_first(&self, vocab: &Vocab, given: [u16; 2], s1: u16) -> bool {
        vocab
            .tokens(given)
            .all(|t| self.years(key_first(s1, t)).is_empty())
    }

    /// Whether every registry person sharing the surnames (the first one
    /// only when `s2` is [`NONE`]) and a given-name word with this name shows a birth year more than two years from
    /// `year`: the name is then someone else of another generation.
    pub(super) fn other_generation(
        &self,
        vocab: &Vocab,
        given: [u16; 2],
        s1: u16,
        s2: u16,
        year: u16,
    ) -> bool {
        vocab.tokens(given).all(|t| {
            // Without a second surname the name reads as anyone with the
            // first one.
            let keys = if s2 == NONE {
                [key_first(s1, t), key_first(s1, t)]
            } else {
                [key_full(s1, s2, t), key_full(s1, NONE, t)]
            };
            keys.into_iter().all(|k| {
                self.years(k)
                    .iter()
                    .all(|&(_, y)| y != 0 && y.abs_diff(year) > 2)
            })
        })
    }
}
