//! The official-style list: registry persons written the way announced
//! lists write them, mixed with people who are not in the registry.
//!
//! Most of those are strangers drawn from the same names, years and
//! provinces as the registry (as most of a government's release list are
//! common prisoners), so some share a full name with a registry person by
//! chance. The rest are planted on purpose next to a registry person: a
//! sibling, a namesake, a parent or child with the same name, and the
//! look-alikes whose telling field is missing on one side.

use super::registry::{
    other_surname, pick_province, pick_sex, pick_year, province_name, random_person, Index, Person,
    Shown, REF_YEAR,
};
use super::singled::{Part, Written};
use super::text::{
    drop_accents, fold_lower, loose_province, misspell, particle_form, typo, ParticleForm,
};
use super::vocab::{is_particle, Vocab, NONE};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;

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
    /// Same surnames and province as a registry person, another given name
    /// (and no registry person reads as this name).
    Sibling,
    /// Same given name and first surname, another second surname (and no
    /// registry person reads as this name).
    Namesake,
    /// Same full name as a registry person, born 20 to 35 years apart; the
    /// list gives the year and every registry person of that name shows
    /// one far from it.
    ParentChild,
    /// A parent or child with a registry person's full name, where the
    /// registry has no birth date for that person and the list gives a
    /// year: the year that tells them apart is missing on the registry's
    /// side. (Like the three look-alikes below, in the registry person's
    /// province, and the row writes nothing the registry contradicts.)
    ParentChildNoDate,
    /// A parent or child with a registry person's full name (the registry
    /// shows a birth date), but the list gives no year.
    ParentChildNoYear,
    /// Same given name and first surname as a registry person, another
    /// second surname, and the list writes the first surname only.
    NamesakeOneSurname,
    /// A sibling (same surnames) whose first given name has the same
    /// initial as a registry person's, and the list writes only that
    /// initial ("J. Pérez García").
    SiblingInitial,
    /// A stranger drawn from the registry's own distributions.
    Offlist,
}

impl Negative {
    /// The truth's label (an off-list stranger named like a registry
    /// person is labelled [`OFFLIST_SAMENAME`] instead).
    pub(super) fn label(self) -> &'static str {
        match self {
            Negative::Sibling => "sibling",
            Negative::Namesake => "namesake",
            Negative::ParentChild => "parent_child",
            Negative::ParentChildNoDate => "parent_child_nodate",
            Negative::ParentChildNoYear => "parent_child_noyear",
            Negative::NamesakeOneSurname => "namesake_one_surname",
            Negative::SiblingInitial => "sibling_initial",
            Negative::Offlist => "offlist",
        }
    }
}

/// The label of an off-list stranger whose full name (given names and
/// both surnames) is some registry person's.
pub(super) const OFFLIST_SAMENAME: &str = "offlist_samename";

/// Whom a row truly stands for, before any alteration: a registry person,
/// or someone the list names who is not in the registry.
#[derive(Clone, Copy, Debug)]
pub(super) struct Canon {
    pub given: [u16; 2],
    pub s1: u16,
    pub s2: u16,
    /// The true birth year.
    pub year: u16,
    /// Country and province.
    pub place: (u8, u8),
    /// The row was written with the first surname only.
    #[cfg_attr(not(test), allow(dead_code))]
    pub one_surname: bool,
}

impl Canon {
    fn of(p: &Person) -> Self {
        Canon {
            given: p.given,
            s1: p.s1,
            s2: p.s2,
            year: p.year,
            place: (p.country, p.province),
            one_surname: false,
        }
    }
}

/// One list row with its truth.
pub(super) struct Row {
    pub full_name: String,
    pub birth_year: Option<u16>,
    pub province: Option<String>,
    /// Index of the registry person the row names.
    pub person: Option<u32>,
    pub kind: String,
    pub canon: Canon,
    /// What the row writes, read as meant.
    pub written: Written,
    /// For a row naming a registry person: whether what it writes singles
    /// that person out (see [`super::singled`]); set once every row is made.
    pub singled_out: Option<bool>,
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

    /// The given-name words as written so far, read as meant (call it
    /// before misspellings and typos, which do not change the meaning).
    fn parts(&self, vocab: &Vocab) -> Vec<Part> {
        let initial = |w: &str| Part::Initial(fold_lower(w).chars().next().unwrap_or(' '));
        self.given
            .iter()
            .filter(|w| !is_particle(w))
            .map(|w| {
                if w == "Ma." {
                    vocab.word("maria").map_or_else(|| initial(w), Part::Word)
                } else if w.ends_with('.') {
                    initial(w)
                } else if self.flags & HYPOCORISM != 0 {
                    Part::Familiar(fold_lower(w))
                } else {
                    vocab
                        .word(&fold_lower(w))
                        .map_or_else(|| initial(w), Part::Word)
                }
            })
            .collect()
    }

    /// Only the initial of the first given name ("J.").
    fn first_initial(&mut self) {
        if let Some(c) = self.given.first().and_then(|g| g.chars().next()) {
            self.given = vec![c.to_uppercase().chain(['.']).collect()];
            self.flags |= INITIAL;
        }
    }

    fn ma(&mut self) {
        if self.given.first().is_some_and(|g| g == "María") {
            self.given[0] = "Ma.".to_owned();
            self.flags |= MA;
        }
    }

    /// "José A.", "J. Luis", or for a single name "J." (never of a familiar
    /// form: "P." for Pepe would no longer name José).
    fn initial(&mut self, rng: &mut ChaCha8Rng) {
        if self.flags & HYPOCORISM != 0 {
            return;
        }
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
fn province_cell(rng: &mut ChaCha8Rng, place: (u8, u8)) -> Option<String> {
    chance(rng, rate::PROVINCE).then(|| loose_province(rng, province_name(place.0, place.1)))
}

/// A row's cells as written, before its truth is attached.
struct Made {
    full_name: String,
    birth_year: Option<u16>,
    province: Option<String>,
    flags: u16,
    written: Written,
}

impl Made {
    fn finish(self, canon: Canon, person: Option<u32>, kind: String) -> Row {
        Row {
            full_name: self.full_name,
            birth_year: self.birth_year,
            province: self.province,
            person,
            kind,
            canon: Canon {
                one_surname: self.flags & ONE_SURNAME != 0,
                ..canon
            },
            written: self.written,
            singled_out: None,
        }
    }
}

/// The cells of `d` once its given names are settled: the surname
/// particles, misspellings and typos if `slips`, case and order, and the
/// year and province cells.
fn made(
    rng: &mut ChaCha8Rng,
    vocab: &Vocab,
    mut d: Draft,
    c: &Canon,
    birth_year: Option<u16>,
    slips: bool,
) -> Made {
    let given = d.parts(vocab);
    if chance(rng, rate::PARTICLE) {
        d.particles(rng);
    }
    if slips && chance(rng, rate::MISSPELLING) && d.change_a_word(rng, misspell) {
        d.flags |= MISSPELLING;
    }
    if slips && chance(rng, rate::TYPO) && d.change_a_word(rng, typo) {
        d.flags |= TYPO;
    }
    d.style(rng);
    let province = province_cell(rng, c.place);
    Made {
        full_name: d.render(rng),
        birth_year,
        written: Written {
            given,
            s1: c.s1,
            s2: d.s2.is_some().then_some(c.s2),
            year: birth_year,
            place: province.is_some().then_some(c.place),
        },
        province,
        flags: d.flags,
    }
}

/// Someone written the way official lists write anyone, every alteration
/// drawn at its rate: registry persons and strangers alike, so that the
/// writing never tells them apart.
fn as_lists_write(rng: &mut ChaCha8Rng, vocab: &Vocab, c: &Canon) -> Made {
    let mut d = Draft::new(vocab, c.given, c.s1, c.s2);
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
    let birth_year = chance(rng, rate::BIRTH_YEAR).then(|| {
        if !chance(rng, rate::YEAR_OFF) {
            c.year
        } else if rng.gen_bool(0.5) {
            c.year + 1
        } else {
            c.year - 1
        }
    });
    made(rng, vocab, d, c, birth_year, true)
}

/// Registry person `index` as an official list writes them.
fn positive(rng: &mut ChaCha8Rng, vocab: &Vocab, persons: &[Person], index: usize) -> Row {
    let canon = Canon::of(&persons[index]);
    let m = as_lists_write(rng, vocab, &canon);
    let kind = label(m.flags);
    m.finish(canon, u32::try_from(index).ok(), kind)
}

/// The registry's full names: given names and both surnames.
type FullNames = HashSet<([u16; 2], u16, u16)>;

/// A stranger drawn from the registry's own distributions, written as
/// lists write anyone; their name may be a registry person's.
fn offlist(rng: &mut ChaCha8Rng, vocab: &Vocab, registry_names: &FullNames) -> Row {
    let canon = Canon::of(&random_person(rng, vocab));
    let m = as_lists_write(rng, vocab, &canon);
    let kind = if registry_names.contains(&(canon.given, canon.s1, canon.s2)) {
        OFFLIST_SAMENAME
    } else {
        Negative::Offlist.label()
    };
    m.finish(canon, None, kind.to_owned())
}

/// How a planted negative is written: its given names shortened at the
/// usual rate, or only the initial of the first; the first surname only
/// when `one_surname`; no slips of spelling (they would blur what the row
/// is there to test).
fn plainly(
    rng: &mut ChaCha8Rng,
    vocab: &Vocab,
    c: &Canon,
    initial_only: bool,
    one_surname: bool,
    birth_year: Option<u16>,
) -> Made {
    let mut d = Draft::new(vocab, c.given, c.s1, c.s2);
    if initial_only {
        d.first_initial();
    } else if chance(rng, rate::COMPOUND_SHORT) {
        d.shorten_compound(rng);
    }
    if one_surname && d.s2.is_some() {
        d.s2 = None;
        d.flags |= ONE_SURNAME;
    }
    made(rng, vocab, d, c, birth_year, false)
}

/// A birth year 20 to 35 years from `year`, for a parent or a child who is
/// an adult and not over 95.
fn other_generation(rng: &mut ChaCha8Rng, year: u16) -> Option<u16> {
    let gap = rng.gen_range(20..=35);
    if year + gap <= REF_YEAR - 18 && rng.gen_bool(0.5) {
        Some(year + gap)
    } else if REF_YEAR - (year - gap) <= 95 {
        Some(year - gap)
    } else {
        None
    }
}

/// A sibling's birth year: within 15 years of `year`, and an adult.
fn sibling_year(rng: &mut ChaCha8Rng, year: u16) -> Option<u16> {
    let year = (i32::from(year) + rng.gen_range(-15..=15)).min(i32::from(REF_YEAR - 18));
    u16::try_from(year).ok()
}

/// The year cell of a look-alike born in `year`: written at the usual rate,
/// but only when it does not tell them from `base` as the registry shows
/// them.
fn look_alike_year(rng: &mut ChaCha8Rng, base: &Person, year: u16) -> Option<u16> {
    let harmless = base.shown_year().is_none_or(|y| y.abs_diff(year) <= 1);
    (chance(rng, rate::BIRTH_YEAR) && harmless).then_some(year)
}

/// Someone not in the registry planted next to a registry person, as
/// `kind` asks; `None` when this attempt found no one fitting.
fn planted(
    rng: &mut ChaCha8Rng,
    vocab: &Vocab,
    persons: &[Person],
    index: &Index,
    kind: Negative,
) -> Option<Row> {
    let base = persons[rng.gen_range(0..persons.len())];
    let same_place = |rng: &mut ChaCha8Rng| {
        if chance(rng, 70) {
            base.province
        } else {
            pick_province(rng, base.country)
        }
    };
    let mut c = Canon::of(&base);
    let m = match kind {
        Negative::Sibling => {
            if base.s2 == NONE {
                return None;
            }
            let sex = pick_sex(rng);
            c.given = vocab.pick_given(rng, sex, base.country);
            if !index.free(vocab, c.given, c.s1, c.s2) {
                return None;
            }
            c.year = sibling_year(rng, base.year)?;
            // One surname only where no registry person has that first
            // surname and any of these given names.
            let one = chance(rng, rate::ONE_SURNAME) && index.free_first(vocab, c.given, c.s1);
            let year = chance(rng, rate::BIRTH_YEAR).then_some(c.year);
            plainly(rng, vocab, &c, false, one, year)
        }
        Negative::Namesake => {
            c.s2 = other_surname(rng, vocab, base.s1);
            if c.s2 == base.s2 || !index.free(vocab, c.given, c.s1, c.s2) {
                return None;
            }
            c.place.1 = pick_province(rng, base.country);
            c.year = pick_year(rng);
            let one = chance(rng, rate::ONE_SURNAME) && index.free_first(vocab, c.given, c.s1);
            let year = chance(rng, rate::BIRTH_YEAR).then_some(c.year);
            plainly(rng, vocab, &c, false, one, year)
        }
        Negative::ParentChild => {
            // The name is all that tells them apart from the registry
            // person but the year: both surnames, and the year, always.
            c.year = other_generation(rng, base.shown_year()?)?;
            if !index.other_generation(vocab, c.given, c.s1, c.s2, c.year) {
                return None;
            }
            c.place.1 = same_place(rng);
            plainly(rng, vocab, &c, false, false, Some(c.year))
        }
        // The look-alikes: the person lives in the registry person's
        // province, and the row writes nothing that tells them apart (a
        // year only when it is within one of the year the registry shows,
        // or the registry shows none).
        Negative::ParentChildNoDate => {
            if base.shown != Shown::Nothing {
                return None;
            }
            c.year = other_generation(rng, base.year)?;
            plainly(rng, vocab, &c, false, false, Some(c.year))
        }
        Negative::ParentChildNoYear => {
            c.year = other_generation(rng, base.shown_year()?)?;
            plainly(rng, vocab, &c, false, false, None)
        }
        Negative::NamesakeOneSurname => {
            if base.s2 == NONE {
                return None;
            }
            c.s2 = other_surname(rng, vocab, base.s1);
            if c.s2 == base.s2 {
                return None;
            }
            c.year = pick_year(rng);
            let year = look_alike_year(rng, &base, c.year);
            plainly(rng, vocab, &c, false, true, year)
        }
        Negative::SiblingInitial => {
            let first = vocab.tokens(base.given).next()?;
            if base.s2 == NONE {
                return None;
            }
            let letter = vocab.initial(first);
            c.given = (0..40).find_map(|_| {
                let sex = pick_sex(rng);
                let g = vocab.pick_given(rng, sex, base.country);
                let same_initial = vocab.tokens(g).next().map(|t| vocab.initial(t)) == Some(letter);
                let shared = vocab
                    .tokens(g)
                    .any(|t| vocab.tokens(base.given).any(|b| b == t));
                (same_initial && !shared).then_some(g)
            })?;
            c.year = sibling_year(rng, base.year)?;
            let year = look_alike_year(rng, &base, c.year);
            plainly(rng, vocab, &c, true, false, year)
        }
        Negative::Offlist => return None,
    };
    Some(m.finish(c, None, kind.label().to_owned()))
}

/// Shares of the negatives by kind, in percent; the rest (about three
/// quarters) are off-list strangers.
///
/// The look-alikes are far more common here than in life (a father and son
/// rarely share both surnames, and the mother's rarely matches), so that
/// each kind shows in a list of a few thousand rows; they are kept to 1%
/// each because nothing on their row tells them from a registry person, so
/// they weigh on precision whatever a matcher does short of review.
const NEGATIVE_SHARES: &[(Negative, usize)] = &[
    (Negative::Sibling, 7),
    (Negative::Namesake, 7),
    (Negative::ParentChild, 6),
    (Negative::ParentChildNoDate, 1),
    (Negative::ParentChildNoYear, 1),
    (Negative::NamesakeOneSurname, 1),
    (Negative::SiblingInitial, 1),
];

/// `n` list rows over `persons`, of which `positives` name distinct
/// registry persons (at most `persons.len()`), shuffled.
pub(super) fn build(
    rng: &mut ChaCha8Rng,
    vocab: &Vocab,
    persons: &[Person],
    index: &Index,
    n: usize,
    positives: usize,
) -> Vec<Row> {
    let positives = positives.min(persons.len()).min(n);
    let negatives = n - positives;
    let mut rows = Vec::with_capacity(n);
    for i in rand::seq::index::sample(rng, persons.len(), positives) {
        rows.push(positive(rng, vocab, persons, i));
    }
    let mut kinds: Vec<Negative> = Vec::with_capacity(negatives);
    for &(kind, share) in NEGATIVE_SHARES {
        let mut quota = negatives * share / 100;
        // A small list still gets one of each kind.
        if quota == 0 && negatives > NEGATIVE_SHARES.len() {
            quota = 1;
        }
        kinds.extend(std::iter::repeat_n(kind, quota));
    }
    kinds.truncate(negatives);
    kinds.resize(negatives, Negative::Offlist);
    let registry_names: FullNames = persons.iter().map(|p| (p.given, p.s1, p.s2)).collect();
    for kind in kinds {
        let row = (0..60)
            .find_map(|_| planted(rng, vocab, persons, index, kind))
            .unwrap_or_else(|| offlist(rng, vocab, &registry_names));
        rows.push(row);
    }
    rows.shuffle(rng);
    rows
}
