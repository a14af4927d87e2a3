//! The official-style list: registry persons written the way announced
//! lists write them, mixed with people who are not in the registry, some
//! of them on purpose very like someone who is.

use super::registry::{
    other_surname, pick_country, pick_province, pick_sex, pick_year, province_name, Index, Person,
    REF_YEAR,
};
use super::text::{drop_accents, loose_province, misspell, particle_form, typo, ParticleForm};
use super::vocab::{is_particle, Vocab, NONE};
use anyhow::{bail, Result};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Share of list rows that name a registry person, in percent.
pub(super) const POSITIVE_PERCENT: usize = 75;

/// Per-row chances of each alteration of a registry person's name, in
/// percent (each drawn on its own, so they combine).
mod rate {
    /// Upper case.
    pub const UPPER: u32 = 45;
    /// Accents dropped, when in upper case.
    pub const NOACCENTS_UPPER: u32 = 70;
    /// Accents dropped, otherwise.
    pub const NOACCENTS: u32 = 25;
    /// "SURNAMES, GIVEN NAMES".
    pub const COMMA: u32 = 15;
    /// Only the first surname.
    pub const ONE_SURNAME: u32 = 20;
    /// Compound given names shortened (of those who have one).
    pub const COMPOUND_SHORT: u32 = 35;
    /// A familiar form (of those whose name has one).
    pub const HYPOCORISM: u32 = 12;
    /// "Ma." (of those called María).
    pub const MA: u32 = 30;
    /// A given name as an initial.
    pub const INITIAL: u32 = 8;
    /// Particles dropped, glued or moved (of those who have one).
    pub const PARTICLE: u32 = 50;
    /// A confusion of letters.
    pub const MISSPELLING: u32 = 8;
    /// A slip of the keyboard.
    pub const TYPO: u32 = 4;
    /// The birth year given.
    pub const BIRTH_YEAR: u32 = 60;
    /// The year given is off by one (of those given).
    pub const YEAR_OFF: u32 = 5;
    /// The province given.
    pub const PROVINCE: u32 = 50;
}

/// The alterations, as bits, in the order the truth's label lists them.
const UPPER: u16 = 1;
const NOACCENTS: u16 = 1 << 1;
const COMMA: u16 = 1 << 2;
const ONE_SURNAME: u16 = 1 << 3;
const COMPOUND_SHORT: u16 = 1 << 4;
const HYPOCORISM: u16 = 1 << 5;
const MA: u16 = 1 << 6;
const INITIAL: u16 = 1 << 7;
const PARTICLE: u16 = 1 << 8;
const MISSPELLING: u16 = 1 << 9;
const TYPO: u16 = 1 << 10;

const LABELS: &[(u16, &str)] = &[
    (COMMA, "comma_form"),
    (ONE_SURNAME, "one_surname"),
    (COMPOUND_SHORT, "compound_short"),
    (HYPOCORISM, "hypocorism"),
    (MA, "ma_abbrev"),
    (INITIAL, "initial"),
    (PARTICLE, "particle"),
    (MISSPELLING, "misspelling"),
    (TYPO, "typo"),
];

/// The truth's label for a set of alterations: `exact` for none, else the
/// alterations joined with `+`.
fn label(flags: u16) -> String {
    let mut parts: Vec<&str> = Vec::new();
    match (flags & UPPER != 0, flags & NOACCENTS != 0) {
        (true, true) => parts.push("upper_noaccents"),
        (true, false) => parts.push("upper"),
        (false, true) => parts.push("noaccents"),
        (false, false) => {}
    }
    parts.extend(
        LABELS
            .iter()
            .filter(|(bit, _)| flags & bit != 0)
            .map(|(_, l)| *l),
    );
    if parts.is_empty() {
        "exact".to_owned()
    } else {
        parts.join("+")
    }
}

/// Why a row is not in the registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Negative {
    /// Same surnames and province as a registry person, another given name.
    Sibling,
    /// Same given name and first surname, another second surname.
    Namesake,
    /// Same full name as a registry person, born 20 to 35 years apart.
    ParentChild,
    /// Someone the registry has never heard of.
    Absent,
}

impl Negative {
    /// The truth's label.
    pub(super) fn label(self) -> &'static str {
        match self {
            Negative::Sibling => "sibling",
            Negative::Namesake => "namesake",
            Negative::ParentChild => "parent_child",
            Negative::Absent => "absent",
        }
    }
}

/// The name a row truly stands for, before any alteration (kept for the
/// tests, which check it against the registry file).
#[derive(Clone, Copy, Debug)]
#[cfg_attr(not(test), allow(dead_code))]
pub(super) struct Canon {
    pub given: [u16; 2],
    pub s1: u16,
    pub s2: u16,
    /// The true birth year.
    pub year: u16,
    /// The row was written with the first surname only.
    pub one_surname: bool,
}

/// One list row with its truth.
pub(super) struct Row {
    pub full_name: String,
    pub birth_year: Option<u16>,
    pub province: Option<String>,
    /// Index of the registry person the row names.
    pub person: Option<u32>,
    pub kind: String,
    #[cfg_attr(not(test), allow(dead_code))]
    pub canon: Canon,
}

/// A word of a name that a misspelling or a typo may hit.
#[derive(Clone, Copy)]
enum Slot {
    Given(usize),
    Surname1,
    Surname2,
}

/// A name being rewritten.
struct Draft {
    given: Vec<String>,
    s1: String,
    s2: Option<String>,
    flags: u16,
}

impl Draft {
    fn new(vocab: &Vocab, given: [u16; 2], s1: u16, s2: u16) -> Self {
        let mut text = String::new();
        vocab.given_text(given, &mut text);
        Draft {
            given: text.split(' ').map(str::to_owned).collect(),
            s1: vocab.surname(s1).to_owned(),
            s2: (s2 != NONE).then(|| vocab.surname(s2).to_owned()),
            flags: 0,
        }
    }

    fn significant(&self) -> Vec<usize> {
        (0..self.given.len())
            .filter(|&i| !is_particle(&self.given[i]))
            .collect()
    }

    /// "María de los Ángeles" as "María Ángeles", "María" or "Ángeles".
    fn shorten_compound(&mut self, rng: &mut ChaCha8Rng) -> bool {
        let sig = self.significant();
        if sig.len() < 2 {
            return false;
        }
        let has_particles = sig.len() < self.given.len();
        let roll = rng.gen_range(0..100);
        let keep: Vec<usize> = if has_particles && roll < 45 {
            sig
        } else if roll < 90 {
            vec![sig[0]]
        } else {
            vec![sig[sig.len() - 1]]
        };
        self.given = keep.iter().map(|&i| self.given[i].clone()).collect();
        self.flags |= COMPOUND_SHORT;
        true
    }

    /// "Pepe" for "José" (or "José Luis"): the familiar form stands for the
    /// whole given name, as neighbours and reports use it.
    fn hypocorism(&mut self, rng: &mut ChaCha8Rng, vocab: &Vocab) {
        let Some(first) = self.given.first() else {
            return;
        };
        if let Some(familiar) = vocab.hypocorisms(first).choose(rng) {
            self.given = vec![(*familiar).to_owned()];
            self.flags |= HYPOCORISM;
        }
    }

    fn ma(&mut self) {
        if self.given.first().is_some_and(|g| g == "María") {
            self.given[0] = "Ma.".to_owned();
            self.flags |= MA;
        }
    }

    /// "José A.", "J. Luis", or for a single name "J.".
    fn initial(&mut self, rng: &mut ChaCha8Rng) {
        let sig: Vec<usize> = self
            .significant()
            .into_iter()
            .filter(|&i| !self.given[i].ends_with('.'))
            .collect();
        let at = match sig.len() {
            0 => return,
            1 if rng.gen_range(0..100) < 70 => return,
            1 => sig[0],
            n if rng.gen_range(0..100) < 60 => sig[n - 1],
            _ => sig[0],
        };
        let Some(first) = self.given[at].chars().next() else {
            return;
        };
        self.given[at] = first.to_uppercase().chain(['.']).collect();
        // The particles just before an initial go with it ("María Á.").
        let mut start = at;
        while start > 0 && is_particle(&self.given[start - 1]) {
            start -= 1;
        }
        self.given.drain(start..at);
        self.flags |= INITIAL;
    }

    fn particles(&mut self, rng: &mut ChaCha8Rng) {
        let form = match rng.gen_range(0..100) {
            0..=49 => ParticleForm::Dropped,
            50..=84 => ParticleForm::Glued,
            _ => ParticleForm::Moved,
        };
        if let Some(s) = particle_form(&self.s1, form) {
            self.s1 = s;
            self.flags |= PARTICLE;
        }
        if let Some(s) = self.s2.as_deref().and_then(|s2| particle_form(s2, form)) {
            self.s2 = Some(s);
            self.flags |= PARTICLE;
        }
    }

    /// Changes one word of the name with `change`; true when it did.
    fn change_a_word(
        &mut self,
        rng: &mut ChaCha8Rng,
        change: fn(&mut ChaCha8Rng, &str) -> Option<String>,
    ) -> bool {
        let mut slots: Vec<Slot> = (0..self.given.len())
            .filter(|&i| !self.given[i].ends_with('.') && !is_particle(&self.given[i]))
            .map(Slot::Given)
            .collect();
        slots.push(Slot::Surname1);
        if self.s2.is_some() {
            slots.push(Slot::Surname2);
        }
        slots.shuffle(rng);
        for slot in slots {
            let target = match slot {
                Slot::Surname1 => &mut self.s1,
                Slot::Surname2 => match self.s2.as_mut() {
                    Some(s) => s,
                    None => continue,
                },
                Slot::Given(i) => &mut self.given[i],
            };
            // In a surname of several words, the last one (the core).
            let cut = target.rfind(' ').map_or(0, |i| i + 1);
            if let Some(new) = change(rng, &target[cut..]) {
                target.truncate(cut);
                target.push_str(&new);
                return true;
            }
        }
        false
    }

    fn render(&self, rng: &mut ChaCha8Rng) -> String {
        let given = self.given.join(" ");
        let surnames = match &self.s2 {
            Some(s2) => format!("{} {s2}", self.s1),
            None => self.s1.clone(),
        };
        let mut name = if self.flags & COMMA != 0 {
            format!("{surnames}, {given}")
        } else {
            format!("{given} {surnames}")
        };
        if self.flags & NOACCENTS != 0 {
            name = drop_accents(&name, rng.gen_bool(0.5));
        }
        if self.flags & UPPER != 0 {
            name = name.to_uppercase();
        }
        name
    }

    /// The changes of case, accents and order that any row may get.
    fn style(&mut self, rng: &mut ChaCha8Rng) {
        if chance(rng, rate::UPPER) {
            self.flags |= UPPER;
        }
        let noaccents = if self.flags & UPPER != 0 {
            rate::NOACCENTS_UPPER
        } else {
            rate::NOACCENTS
        };
        if chance(rng, noaccents) {
            self.flags |= NOACCENTS;
        }
        if chance(rng, rate::COMMA) {
            self.flags |= COMMA;
        }
    }
}

fn chance(rng: &mut ChaCha8Rng, percent: u32) -> bool {
    rng.gen_range(0..100) < percent
}

/// The province column: given about half the time, loosely written.
fn province_cell(rng: &mut ChaCha8Rng, country: u8, province: u8) -> Option<String> {
    chance(rng, rate::PROVINCE).then(|| loose_province(rng, province_name(country, province)))
}

/// Registry person `index` as an official list writes them.
fn positive(rng: &mut ChaCha8Rng, vocab: &Vocab, persons: &[Person], index: usize) -> Row {
    let p = persons[index];
    let mut d = Draft::new(vocab, p.given, p.s1, p.s2);
    if chance(rng, rate::COMPOUND_SHORT) {
        d.shorten_compound(rng);
    }
    if chance(rng, rate::HYPOCORISM) {
        d.hypocorism(rng, vocab);
    }
    if chance(rng, rate::MA) {
        d.ma();
    }
    if chance(rng, rate::INITIAL) {
        d.initial(rng);
    }
    if d.s2.is_some() && chance(rng, rate::ONE_SURNAME) {
        d.s2 = None;
        d.flags |= ONE_SURNAME;
    }
    if chance(rng, rate::PARTICLE) {
        d.particles(rng);
    }
    if chance(rng, rate::MISSPELLING) && d.change_a_word(rng, misspell) {
        d.flags |= MISSPELLING;
    }
    if chance(rng, rate::TYPO) && d.change_a_word(rng, typo) {
        d.flags |= TYPO;
    }
    d.style(rng);
    let birth_year = chance(rng, rate::BIRTH_YEAR).then(|| {
        if chance(rng, rate::YEAR_OFF) {
            if rng.gen_bool(0.5) {
                p.year + 1
            } else {
                p.year - 1
            }
        } else {
            p.year
        }
    });
    let province = province_cell(rng, p.country, p.province);
    Row {
        full_name: d.render(rng),
        birth_year,
        province,
        person: u32::try_from(index).ok(),
        kind: label(d.flags),
        canon: Canon {
            given: p.given,
            s1: p.s1,
            s2: p.s2,
            year: p.year,
            one_surname: d.flags & ONE_SURNAME != 0,
        },
    }
}

/// Someone not in the registry, as `kind` asks; `None` when this attempt
/// found no name that is safely nobody in the registry.
fn negative(
    rng: &mut ChaCha8Rng,
    vocab: &Vocab,
    persons: &[Person],
    index: &Index,
    kind: Negative,
) -> Option<Row> {
    let base = persons[rng.gen_range(0..persons.len())];
    let (given, s1, s2, year, country, province) = match kind {
        Negative::Sibling => {
            if base.s2 == NONE {
                return None;
            }
            let sex = pick_sex(rng);
            let given = vocab.pick_given(rng, sex, base.country);
            if !index.free(vocab, given, base.s1, base.s2) {
                return None;
            }
            let year =
                (i32::from(base.year) + rng.gen_range(-15..=15)).min(i32::from(REF_YEAR - 18));
            let year = u16::try_from(year).ok()?;
            (given, base.s1, base.s2, year, base.country, base.province)
        }
        Negative::Namesake => {
            let s2 = other_surname(rng, vocab, base.s1);
            if s2 == base.s2 || !index.free(vocab, base.given, base.s1, s2) {
                return None;
            }
            let province = pick_province(rng, base.country);
            (
                base.given,
                base.s1,
                s2,
                pick_year(rng),
                base.country,
                province,
            )
        }
        Negative::ParentChild => {
            let shown = base.shown_year()?;
            let gap = rng.gen_range(20..=35);
            let year = if shown + gap <= REF_YEAR - 18 && rng.gen_bool(0.5) {
                shown + gap
            } else if REF_YEAR - (shown - gap) <= 95 {
                shown - gap
            } else {
                return None;
            };
            if !index.other_generation(vocab, base.given, base.s1, base.s2, year) {
                return None;
            }
            let province = if chance(rng, 70) {
                base.province
            } else {
                pick_province(rng, base.country)
            };
            (base.given, base.s1, base.s2, year, base.country, province)
        }
        Negative::Absent => {
            let country = pick_country(rng);
            let sex = pick_sex(rng);
            let given = vocab.pick_given(rng, sex, country);
            let s1 = vocab.pick_surname(rng);
            let s2 = if chance(rng, 3) {
                NONE
            } else {
                other_surname(rng, vocab, s1)
            };
            let free = if s2 == NONE {
                index.free_first(vocab, given, s1)
            } else {
                index.free(vocab, given, s1, s2)
            };
            if !free {
                return None;
            }
            let province = pick_province(rng, country);
            (given, s1, s2, pick_year(rng), country, province)
        }
    };
    let mut d = Draft::new(vocab, given, s1, s2);
    if chance(rng, rate::COMPOUND_SHORT) {
        d.shorten_compound(rng);
    }
    // One surname only where no registry person has that first surname
    // and any of these given names (a parent or child never: the name is
    // all that tells them apart from the registry person).
    if kind != Negative::ParentChild
        && d.s2.is_some()
        && chance(rng, rate::ONE_SURNAME)
        && index.free_first(vocab, given, s1)
    {
        d.s2 = None;
        d.flags |= ONE_SURNAME;
    }
    if chance(rng, rate::PARTICLE) {
        d.particles(rng);
    }
    d.style(rng);
    let birth_year =
        (kind == Negative::ParentChild || chance(rng, rate::BIRTH_YEAR)).then_some(year);
    Some(Row {
        full_name: d.render(rng),
        birth_year,
        province: province_cell(rng, country, province),
        person: None,
        kind: kind.label().to_owned(),
        canon: Canon {
            given,
            s1,
            s2,
            year,
            one_surname: d.flags & ONE_SURNAME != 0,
        },
    })
}

/// Shares of the negatives by kind, in percent (the rest are absent).
const NEGATIVE_SHARES: &[(Negative, usize)] = &[
    (Negative::Sibling, 25),
    (Negative::Namesake, 25),
    (Negative::ParentChild, 20),
];

/// `n` list rows over `persons`, shuffled.
pub(super) fn build(
    rng: &mut ChaCha8Rng,
    vocab: &Vocab,
    persons: &[Person],
    index: &Index,
    n: usize,
) -> Result<Vec<Row>> {
    let positives = (n * POSITIVE_PERCENT).div_ceil(100).min(persons.len());
    let negatives = n - positives;
    let mut rows = Vec::with_capacity(n);
    for i in rand::seq::index::sample(rng, persons.len(), positives) {
        rows.push(positive(rng, vocab, persons, i));
    }
    let mut kinds: Vec<Negative> = Vec::with_capacity(negatives);
    for &(kind, share) in NEGATIVE_SHARES {
        let mut quota = negatives * share / 100;
        if quota == 0 && negatives >= 4 {
            quota = 1;
        }
        kinds.extend(std::iter::repeat_n(kind, quota));
    }
    kinds.truncate(negatives);
    kinds.resize(negatives, Negative::Absent);
    for kind in kinds {
        let row = (0..60)
            .find_map(|_| negative(rng, vocab, persons, index, kind))
            .or_else(|| {
                (0..2000).find_map(|_| negative(rng, vocab, persons, index, Negative::Absent))
            });
        match row {
            Some(row) => rows.push(row),
            None => bail!(
                "could not make up a name that is surely not in a registry of {} persons; \
                 try a smaller list",
                persons.len()
            ),
        }
    }
    rows.shuffle(rng);
    Ok(rows)
}
