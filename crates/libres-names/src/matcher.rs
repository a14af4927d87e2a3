//! Matching an announced list of names against the registry.
//!
//! Each list row ("RODRIGUEZ GARCIA, MARIA DE LOS ANGELES", "JOSE A.
//! PEREZ", birth year and province when given) is compared with the
//! registry persons that share two name keys with it (or a name key and an
//! initial; or, for typos, a name key and two letters), and gets one of
//! three decisions:
//!
//! - `match`: one person, whose probability of being the one the row
//!   names is at least [`MatchSettings::match_probability`], with nothing
//!   that contradicts it and nothing missing that would be needed to tell
//!   them from the people outside the registry;
//! - `review`: someone is plausible but a person must decide;
//! - `none`: nobody on the registry is plausible.
//!
//! Each result carries a [`Reason`], a short code and a sentence.
//!
//! # Who else the row could be
//!
//! Most people on a release list are not on the registry: of the 553
//! people Cuba released in January 2025, about 200 were political
//! prisoners. So the row's probability is shared among three kinds of
//! hypothesis, not only among the registry's candidates:
//!
//! 1. *registry person j*: prior `π · c_j / C`, where `π` is the share of
//!    the list that is on the registry and `c_j` weighs the person by
//!    detention status (a person the registry has as released is less
//!    likely to be on a release list), `C = Σ c`;
//! 2. *somebody outside the registry*: prior `1 − π`. Such a person is a
//!    random member of the population, whose name parts are drawn
//!    independently with the frequencies the registry shows. The
//!    Fellegi–Sunter weight of a pair (`log2 m/u`, with `u` adjusted by
//!    the frequency of the agreeing name: agreeing on "García" means less
//!    than agreeing on "Keilylli") is exactly the log ratio of the row's
//!    likelihood under *j* to its likelihood under *a random person*, so
//!    `P(j | row) = π c_j 2^{W_j} / C ÷ ((1 − π) + Σ_k π c_k 2^{W_k} / C)`;
//! 3. *a relative of j*: a father or son with the same name fits as well
//!    as *j* while the birth year cannot be compared, and far better when
//!    the years are a generation apart; a brother or sister fits both
//!    surnames, and better than *j* when the given names differ or only an
//!    initial is written. Their priors, as shares `ρ` of the rows that are
//!    *j*, are estimated on the list itself by EM, with `π`, from the rows
//!    whose names agree with a registry person and whose birth year is
//!    known on both sides (how many are a generation apart for each one
//!    that agrees; how many share both surnames under another given name
//!    for each one with the same), each row counted by its probability of
//!    being a relative rather than a stranger of the same name, with a
//!    prior of 1%. A row that gives a birth year the registry lacks counts
//!    a same-name relative three times as likely, and at least 3%: that is
//!    how fathers and sons reach a list.
//!
//! `π` is estimated from the list by EM, as `λ` is for pairs (the mean of
//! the rows' probabilities of being on the registry, to a fixed point), or
//! given (`MatchSettings::on_registry_share`).
//!
//! # What bars a `match`
//!
//! Precision first: a false `match` tells a family their relative is
//! free. Besides its probability, a `match` needs that:
//!
//! - the given names be compatible (the same, a hypocorism, an initial, a
//!   dropped second given name; never another given name: siblings share
//!   both surnames), that a written second surname agree (namesakes share
//!   the first), and that nothing contradict: birth years at most
//!   [`MatchSettings::max_year_gap`] apart, the same province (after the
//!   ways lists write provinces), a given name whose usual sex is the
//!   person's, and "hijo"/"Jr." on both sides or neither unless the birth
//!   year compares (on one side only, it says a father or son of the same
//!   name exists);
//! - a row that says less than the registry (fewer name parts, a second
//!   surname as an initial), or says something the registry cannot check
//!   (a birth year, province or second surname the registry lacks), single
//!   the person out in the whole population on the evidence that *was*
//!   compared: the expected number of people in the country who share it
//!   (`population × f(given) × f(surnames) × f(year) × f(province)`) is at
//!   most [`MatchSettings::max_population_namesakes`];
//! - no other record fit everything compared, under the same reading of
//!   the row, while lacking only data that would tell the two apart.
//!
//! A typo, an initial known to the registry only or a hypocorism with
//! several meanings can be a `match` only when both surnames and the
//! birth year corroborate it; a first initial, only with the same birth
//! year or a later given name written in full.
//!
//! The weights are Fellegi–Sunter weights ([`crate::model`]): `u` measured
//! on pairs of registry persons (one written as a list writes names), `m`
//! fitted by EM on the candidate pairs of a sample of the list. EM sees
//! namesakes agree on every field but one and takes many of them for
//! matches, so `m` of a disagreement is capped at what lists do: another
//! given name, first or second surname in at most one row in fifty,
//! another province in one in five, a birth year four or more years off
//! in one in a hundred, a generation off in one in a thousand. Without
//! the caps a row that names a namesake (another second surname) was
//! scored 0.8 to 0.98 and was someone else nine times in ten.

use crate::hispanic::{self, ParsedName};
use crate::model::{self, Model, Pattern};
use rayon::prelude::*;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

/// A registry person, as the person CSV or the database gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistryEntry {
    /// The person's id.
    pub id: String,
    /// Given names.
    pub given_names: String,
    /// First surname.
    pub surname1: String,
    /// Second surname.
    pub surname2: String,
    /// Birth date (EDTF: `1980-03-12`, `1980`, `198X`); may be empty.
    pub birth_date: String,
    /// Province; may be empty.
    pub province: String,
    /// Sex as the person CSV writes it (`M`, `F`, `X`); may be empty.
    pub sex: String,
    /// Country of detention (ISO 3166 alpha-2); may be empty. Sets the
    /// population that the person's name is rare or common in.
    pub country: String,
    /// Whether the registry has the person deprived of liberty now (in
    /// prison, under house arrest, disappeared); `None` when unknown. A
    /// release list names people who are held.
    pub held: Option<bool>,
    /// Other names the person is known by, written in full ("Pepe Pérez
    /// Oliva"); each is matched like the person's own name.
    pub aliases: Vec<String>,
}

/// A registry person's fields, borrowed from wherever the registry is
/// kept: what [`Matcher::build`] reads of each person.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RegistryRef<'a> {
    /// See [`RegistryEntry`], field by field.
    pub id: &'a str,
    /// Given names.
    pub given_names: &'a str,
    /// First surname.
    pub surname1: &'a str,
    /// Second surname.
    pub surname2: &'a str,
    /// Birth date (EDTF); may be empty.
    pub birth_date: &'a str,
    /// Province; may be empty.
    pub province: &'a str,
    /// Sex (`M`, `F`, `X`); may be empty.
    pub sex: &'a str,
    /// Country of detention; may be empty.
    pub country: &'a str,
    /// Held now, not held, or unknown.
    pub held: Option<bool>,
    /// Other names, written in full.
    pub aliases: &'a [String],
}

impl RegistryEntry {
    /// The entry's fields, borrowed.
    pub fn as_ref(&self) -> RegistryRef<'_> {
        RegistryRef {
            id: &self.id,
            given_names: &self.given_names,
            surname1: &self.surname1,
            surname2: &self.surname2,
            birth_date: &self.birth_date,
            province: &self.province,
            sex: &self.sex,
            country: &self.country,
            held: self.held,
            aliases: &self.aliases,
        }
    }
}

/// A registry as [`Matcher::build`] reads it: persons by position. A
/// million persons need not be a million sets of owned strings: a reader
/// can keep every field in one buffer and lend them out.
pub trait Registry: Sync {
    /// The number of persons.
    fn len(&self) -> usize;
    /// Whether there is nobody.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The person at `i` (below [`Registry::len`]).
    fn get(&self, i: usize) -> RegistryRef<'_>;
}

impl Registry for [RegistryEntry] {
    fn len(&self) -> usize {
        <[RegistryEntry]>::len(self)
    }

    fn get(&self, i: usize) -> RegistryRef<'_> {
        self[i].as_ref()
    }
}

/// A row of an announced list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListEntry {
    /// The row's id.
    pub row_id: String,
    /// The name as written.
    pub full_name: String,
    /// Birth year, when the list gives one.
    pub birth_year: Option<i32>,
    /// Province as written; may be empty.
    pub province: String,
}

/// The three decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Decision {
    /// The row names this person.
    Match,
    /// A person must look.
    Review,
    /// Nobody on the registry.
    None,
}

impl Decision {
    /// `match`, `review` or `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Match => "match",
            Decision::Review => "review",
            Decision::None => "none",
        }
    }
}

/// Decision thresholds.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchSettings {
    /// Lowest match probability for `match`.
    pub match_probability: f64,
    /// Lowest probability that the row names someone on the registry
    /// (any candidate) for `review`.
    pub review_probability: f64,
    /// Written birth years further apart than this rule out `match`.
    pub max_year_gap: i32,
    /// The share of the list that is on the registry; `None`: estimated
    /// from the list.
    pub on_registry_share: Option<f64>,
    /// A row that says less than the registry, or something the registry
    /// cannot check, is a `match` only when at most this many people in
    /// the country are expected to share what was compared.
    pub max_population_namesakes: f64,
    /// Candidate pairs of at most this many list rows train the model.
    pub training_rows: usize,
    /// Fewer candidate pairs than this in training: keep the starting
    /// model (EM on a handful of pairs learns noise).
    pub min_training_pairs: usize,
    /// Random pairs measured for the starting `u`.
    pub u_sample_pairs: usize,
    /// A pair of name keys shared by more registry persons than this is
    /// not used to find candidates: so common a name cannot be told apart
    /// without more (and the row goes to `none` if nothing else finds
    /// anyone).
    pub max_posting: usize,
    /// The least share of same-name relatives (fathers, sons) assumed
    /// among rows that give a birth year the registry lacks, whatever the
    /// list's own rows say. A policy: 0 trusts the estimate from the list.
    pub unverifiable_year_floor: f64,
    /// The people among whom a row must single the person out, when it
    /// says less than the registry: `None` for the country's population
    /// (Cuba 10 million), or a smaller one (those held in custody, say).
    pub population: Option<f64>,
}

impl MatchSettings {
    /// What is wrong with these settings, in words (empty when nothing
    /// is): probabilities and shares outside their ranges, a population
    /// that is not a number of people. A caller refuses to match with
    /// any.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut within = |name: &str, v: f64, low: f64, high: f64, high_open: bool| {
            let ok = v.is_finite() && v >= low && if high_open { v < high } else { v <= high };
            if !ok {
                out.push(format!(
                    "{name} is {v}; it must be from {low} to {high}{}",
                    if high_open { " (excluded)" } else { "" }
                ));
            }
        };
        within("match_probability", self.match_probability, 0.0, 1.0, false);
        within(
            "review_probability",
            self.review_probability,
            0.0,
            1.0,
            false,
        );
        within(
            "unverifiable_year_floor",
            self.unverifiable_year_floor,
            0.0,
            1.0,
            true,
        );
        if let Some(share) = self.on_registry_share {
            within("on_registry_share", share, 0.0, 1.0, false);
        }
        if let Some(people) = self.population {
            if !(people.is_finite() && people >= 1.0) {
                out.push(format!(
                    "population is {people}; it must be at least 1 person"
                ));
            }
        }
        if self.max_year_gap < 0 {
            out.push(format!(
                "max_year_gap is {}; it must be 0 or more",
                self.max_year_gap
            ));
        }
        out
    }
}

impl Default for MatchSettings {
    fn default() -> Self {
        MatchSettings {
            match_probability: 0.98,
            review_probability: 0.5,
            max_year_gap: 1,
            on_registry_share: None,
            max_population_namesakes: 1.0,
            training_rows: 1_000,
            min_training_pairs: 2_000,
            u_sample_pairs: 20_000,
            max_posting: 1_000,
            unverifiable_year_floor: UNVERIFIABLE_YEAR_FLOOR,
            population: None,
        }
    }
}

/// Why a row got its decision: a short code for files and a sentence for
/// people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reason {
    /// `match`: one candidate, clearly.
    OneClearCandidate,
    /// `none`: the name has nothing to compare.
    NoName,
    /// `none`: nobody shares two name parts with the row.
    NoCandidate,
    /// `none`: candidates, but nobody likely.
    Unlikely,
    /// `review`: the name is too common on the registry to look up.
    TooCommon,
    /// The given names do not agree closely enough.
    GivenNamesDiffer,
    /// The first surname only looks like a typo of the registry's.
    Surname1Typo,
    /// The first surname does not agree.
    Surname1Differs,
    /// The second surname differs.
    Surname2Differs,
    /// The list gives a second surname the registry lacks, and what can
    /// be checked does not single the person out in the population.
    Surname2Unknown,
    /// The birth years are more than a year apart.
    YearContradicts,
    /// The province is another one.
    ProvinceContradicts,
    /// The given name is usually of the other sex.
    SexContradicts,
    /// Fewer name parts than the registry, and what is there does not
    /// single the person out in the population.
    PartialNameUncorroborated,
    /// The list gives data the registry cannot check, and what can be
    /// checked does not single the person out in the population.
    Uncorroborated,
    /// Another registry person is nearly as likely.
    SeveralFit,
    /// People outside the registry with the same name are as likely.
    OffRegistryLikely,
    /// A relative of the same name cannot be ruled out without a birth
    /// year on both sides.
    RelativePossible,
    /// Another row of the list names the same person.
    SamePersonTwice,
    /// Another registry person fits everything compared, and only data
    /// the registry lacks for them tells the two apart.
    AnotherFits,
    /// One says "Jr." or "hijo", the other "Sr." or "padre".
    GenerationDiffers,
    /// Only an initial for the first given name, and no birth year to
    /// tell the person from a brother or sister.
    InitialOnly,
}

impl Reason {
    /// The short code (`province_contradicts`).
    pub fn code(self) -> &'static str {
        match self {
            Reason::OneClearCandidate => "one_clear_candidate",
            Reason::NoName => "no_name",
            Reason::NoCandidate => "no_candidate",
            Reason::Unlikely => "unlikely",
            Reason::TooCommon => "too_common",
            Reason::GivenNamesDiffer => "given_names_differ",
            Reason::Surname1Typo => "surname1_typo",
            Reason::Surname1Differs => "surname1_differs",
            Reason::Surname2Differs => "surname2_differs",
            Reason::Surname2Unknown => "surname2_unknown",
            Reason::YearContradicts => "year_contradicts",
            Reason::ProvinceContradicts => "province_contradicts",
            Reason::SexContradicts => "sex_contradicts",
            Reason::PartialNameUncorroborated => "partial_name_uncorroborated",
            Reason::Uncorroborated => "uncorroborated",
            Reason::SeveralFit => "several_fit",
            Reason::OffRegistryLikely => "off_registry_likely",
            Reason::RelativePossible => "relative_possible",
            Reason::SamePersonTwice => "same_person_twice",
            Reason::AnotherFits => "another_fits",
            Reason::GenerationDiffers => "generation_differs",
            Reason::InitialOnly => "initial_only",
        }
    }

    /// A sentence for `--explain`.
    pub fn text(self) -> &'static str {
        match self {
            Reason::OneClearCandidate => "one clear candidate",
            Reason::NoName => "the name has no letters that can be compared",
            Reason::NoCandidate => "nobody on the registry shares two name parts",
            Reason::Unlikely => "nobody on the registry is likely",
            Reason::TooCommon => {
                "the name is too common on the registry to tell who it is \
                 (a birth year or both surnames would)"
            }
            Reason::GivenNamesDiffer => "the given names do not agree closely enough (a sibling?)",
            Reason::Surname1Typo => "the first surname only looks like a typo of the registry's",
            Reason::Surname1Differs => "the first surname does not agree",
            Reason::Surname2Differs => "the second surname differs (a namesake?)",
            Reason::Surname2Unknown => {
                "the registry lacks the second surname the list gives, and what can be \
                 checked does not single the person out in the population"
            }
            Reason::YearContradicts => "the birth years are too far apart (a parent or child?)",
            Reason::ProvinceContradicts => "the list gives another province",
            Reason::SexContradicts => "the given name is usually of the other sex",
            Reason::PartialNameUncorroborated => {
                "the list gives fewer name parts than the registry, and what it gives \
                 does not single the person out in the population"
            }
            Reason::Uncorroborated => {
                "the list gives data the registry cannot check, and what can be checked \
                 does not single the person out in the population"
            }
            Reason::SeveralFit => "another registry person is nearly as likely",
            Reason::OffRegistryLikely => {
                "someone outside the registry with this name is about as likely"
            }
            Reason::RelativePossible => {
                "a relative of the same name cannot be ruled out without a birth year on both sides"
            }
            Reason::SamePersonTwice => "another row of the list names the same person",
            Reason::InitialOnly => {
                "only an initial for the given name, and no birth year to tell the person \
                 from a brother or sister"
            }
            Reason::GenerationDiffers => {
                "one writes the name as the son's (Jr., hijo), the other as the father's"
            }
            Reason::AnotherFits => {
                "another registry person fits everything compared; only data the registry \
                 lacks for them tells the two apart"
            }
        }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text())
    }
}

/// The decision on one list row.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchResult {
    /// Index of the registry person: always for `match`, for `review` when
    /// one candidate stands out (not when a name is too common to look
    /// up), never for `none`.
    pub person: Option<usize>,
    /// Probability that the row names this person (0 without any).
    pub probability: f64,
    /// The decision.
    pub decision: Decision,
    /// Why.
    pub reason: Reason,
}

// Fields of a pattern.
const GIVEN: usize = 0;
const SURNAME1: usize = 1;
const SURNAME2: usize = 2;
const YEAR: usize = 3;
const PROVINCE: usize = 4;
/// A pseudo-field of a pattern that carries no weight: facts that bar a
/// `match` without being evidence either way.
const FLAGS: usize = 5;
/// The list gives a second surname the registry does not know.
const F_SECOND_SURNAME_UNKNOWN: u8 = 1;
/// A pseudo-field: how the generation words of the row and the person
/// compare (`GEN_SAME`, `GEN_DIFFERENT`, `GEN_ONE_SIDE`; 0 neither has one).
const GENERATION: usize = 6;
const GEN_SAME: u8 = 1;
const GEN_DIFFERENT: u8 = 2;
const GEN_ONE_SIDE: u8 = 3;
/// Weights of the generation words, in bits: "JR" against "hijo" is
/// strong evidence; "JR" against a name without it, weak evidence
/// against (the registry may hold the father).
const GEN_SAME_BITS: f64 = 3.0;
const GEN_ONE_SIDE_BITS: f64 = -2.0;
const GEN_DIFFERENT_BITS: f64 = -10.0;
/// The list's first given name is usually of the other sex than the
/// registry person's.
const F_SEX_CONTRADICTS: u8 = 2;
/// Weight of a sex contradiction, in bits: a clerk may slip, but a María
/// who is a man in the registry is far more often somebody else.
const SEX_CONTRADICTION_BITS: f64 = -6.0;
/// The list gives the registry's two surnames in the other order.
const F_SWAPPED: u8 = 4;
/// The list writes only an initial for the first given name ("J. Pérez
/// García"): a brother or sister shares both surnames and, often enough,
/// the initial.
const F_FIRST_INITIAL: u8 = 8;
/// Weight of swapped surnames, in bits: lists swap them in a few rows in
/// a hundred (about `log2 0.03`), and a random person has the pair in
/// either order twice as often.
const SWAPPED_BITS: f64 = -6.0;
/// A pseudo-field for more flags (a field holds four bits).
const FLAGS2: usize = 7;
/// The list writes only an initial for the second surname ("PEREZ G.")
/// and it is the registry's: the field stays uncompared, since a brother
/// or sister has it too, but about one stranger in twelve shares it.
const F2_SURNAME2_INITIAL: u8 = 1;
/// Weight of an agreeing second-surname initial, in bits: a little less
/// than `-log2` of [`INITIAL_SHARE`], as a clerk's initial is sometimes
/// of another surname.
const SURNAME2_INITIAL_BITS: f64 = 3.0;
/// After an initial, the list writes a later given name in full that is
/// one of the registry's ("J. CARLOS PEREZ IBARRA" for Juan Carlos): a
/// brother or sister would need that name too.
const F2_LATER_GIVEN_WRITTEN: u8 = 2;
const FIELDS: [&str; 5] = [
    "given names",
    "first surname",
    "second surname",
    "birth year",
    "province",
];
const LEVELS: [usize; 5] = [8, 5, 5, 6, 3];

// Given-name levels.
const G_EXACT: u8 = 1;
const G_VARIANT: u8 = 2;
const G_PARTIAL: u8 = 3;
const G_INITIAL: u8 = 4;
const G_FUZZY: u8 = 5;
const G_SHIFTED: u8 = 6;
const G_DIFFERENT: u8 = 7;
// Surname levels.
const S_EXACT: u8 = 1;
const S_PHONETIC: u8 = 2;
const S_FUZZY: u8 = 3;
const S_DIFFERENT: u8 = 4;
// Year levels.
const Y_EXACT: u8 = 1;
const Y_ONE: u8 = 2;
const Y_FEW: u8 = 3;
const Y_FAR: u8 = 4;
const Y_GENERATION: u8 = 5;
// Province levels.
const P_SAME: u8 = 1;
const P_DIFFERENT: u8 = 2;

fn level_label(field: usize, level: u8) -> &'static str {
    if level == 0 {
        return "not compared (missing)";
    }
    match (field, level) {
        (GIVEN, G_EXACT) => "same",
        (GIVEN, G_VARIANT) => "same name, other form (hypocorism, spelling)",
        (GIVEN, G_PARTIAL) => "compatible, a given name left out",
        (GIVEN, G_INITIAL) => "compatible through an initial",
        (GIVEN, G_FUZZY) => "similar (a typo?)",
        (GIVEN, G_SHIFTED) => "only a second given name agrees",
        (GIVEN, _) => "different",
        (SURNAME1 | SURNAME2, S_EXACT) => "same",
        (SURNAME1 | SURNAME2, S_PHONETIC) => "sounds the same",
        (SURNAME1 | SURNAME2, S_FUZZY) => "similar (a typo?)",
        (SURNAME1 | SURNAME2, _) => "different",
        (YEAR, Y_EXACT) => "same",
        (YEAR, Y_ONE) => "one year apart",
        (YEAR, Y_FEW) => "two or three years apart",
        (YEAR, Y_FAR) => "more than three years apart",
        (YEAR, _) => "a generation apart",
        (_, P_SAME) => "same",
        _ => "different",
    }
}

/// A name token on either side.
#[derive(Debug, Clone, Default)]
struct Tok {
    /// Comparison text: the canonical given name, or the surname key.
    text: String,
    /// Hash of `text`, and of its phonetic key (0 when it has none).
    /// Tokens are compared by 64-bit hashes: a collision between two
    /// different names is about one in 10^19 per comparison.
    h: u64,
    ph: u64,
    /// First letter.
    first: u8,
    /// Only an initial was written.
    initial: bool,
    /// Hashes of the full names a hypocorism may stand for ("beto":
    /// alberto, roberto, humberto); empty otherwise.
    alts: Vec<u64>,
    /// Letters present (bit 0 for a), to rule out typos cheaply.
    letters: u32,
    /// A list token that is itself a real name (seen on the registry, or
    /// a known given name): a near miss with another name is then another
    /// name ("Hernández" is not a typo of "Fernández"), not a typo.
    real: bool,
}

impl Tok {
    fn new(text: &str, initial: bool) -> Tok {
        let ph = hispanic::phonetic(text);
        Tok {
            text: text.to_owned(),
            h: hash_str(text),
            ph: if ph.is_empty() { 0 } else { hash_str(&ph) },
            first: text.bytes().next().unwrap_or(0),
            initial,
            alts: Vec::new(),
            letters: letters(text),
            real: false,
        }
    }
}

/// The comparable parts of a registry name token, kept inline in
/// [`Person`] so that a candidate costs few memory reads; the text lives
/// apart ([`Matcher`]'s `texts`) and is read only for typo distances.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Key {
    h: u64,
    ph: u64,
    letters: u32,
    first: u8,
    initial: bool,
}

impl Key {
    /// The key of a registry token's comparison text.
    fn of(text: &str, initial: bool) -> Key {
        let ph = hispanic::phonetic(text);
        Key {
            h: hash_str(text),
            ph: if ph.is_empty() { 0 } else { hash_str(&ph) },
            letters: letters(text),
            first: text.bytes().next().unwrap_or(0),
            initial,
        }
    }
}

/// The set of letters a folded word uses, one bit per letter.
fn letters(text: &str) -> u32 {
    text.bytes()
        .filter(u8::is_ascii_lowercase)
        .fold(0, |m, c| m | 1 << (c - b'a'))
}

/// The texts of a person's name tokens (see [`prepare_person`]).
type Texts = Box<[Arc<str>]>;

/// Given names compared per person; a fifth and later given name is
/// rare and left out.
const MAX_GIVEN: usize = 4;

/// A registry person, prepared: what scoring a candidate reads, in
/// three cache lines (a row has about a hundred candidates, each a read
/// from anywhere in a large array); what only deciding reads is in
/// [`Shares`].
#[derive(Debug, Clone, Default)]
#[repr(align(64))]
struct Person {
    given: [Key; MAX_GIVEN],
    n_given: u8,
    s1: Option<Key>,
    s2: Option<Key>,
    years: Option<(i32, i32)>,
    /// Index into [`Matcher`]'s provinces (0: none given).
    province: u32,
    /// How much more frequent than the average agreeing value the given
    /// names and each surname are, in bits (`log2(tf / Σ tf²)`; NaN when
    /// unknown), for term-frequency adjustment. The given names are taken
    /// together, as the value that exact agreement compares (and that
    /// `u` of exact agreement was measured on): "Luis Rolando" is far
    /// rarer than "Luis", and "Luis" alone rarer than "Luis" first.
    tf_bits: [f64; 3],
    /// `SEX_M`, `SEX_F` or 0 when unknown.
    sex: u8,
    /// The registry has the person as no longer held (see
    /// [`Person::held_bits`]).
    not_held: bool,
    /// For an alias, the index of the person it belongs to; else its own
    /// index.
    owner: u32,
    /// `JUNIOR`, `SENIOR` or 0, as the registry writes the name.
    generation: u8,
}

/// How common a person's names are in the population, and the
/// population: read only to decide on a row's best candidate.
#[derive(Debug, Clone, Default)]
struct Shares {
    /// The first given name and each surname as shares in the population
    /// (0 when unknown; see [`frequencies`]).
    tf: [f64; 3],
    /// The share in the population of all the person's given names
    /// together ("Luis Miguel" is rarer than "Luis").
    given_all: f64,
    /// Population of the person's country, in persons.
    population: f64,
}

const SEX_M: u8 = 1;
const SEX_F: u8 = 2;

/// A person the registry has as no longer held counts this much less as
/// someone a release list names (the registry may be behind, or the
/// release recorded already: less likely, not impossible).
const NOT_HELD_BITS: f64 = -2.0;

/// Population by country of detention (ISO alpha-2), in persons: round
/// figures, enough to say whether a name is rare or common in the country.
/// Cuba about 10 million (ONEI, 2024), Venezuela about 28 million (UN
/// estimate, 2024), Nicaragua about 7 million; other countries 10 million.
fn population(country: &str) -> f64 {
    // Compared without folding a copy: called once per registry person.
    let country = country.trim();
    [
        ("CU", 10.0e6),
        ("VE", 28.0e6),
        ("NI", 7.0e6),
        ("BY", 9.2e6),
        ("MM", 54.0e6),
    ]
    .into_iter()
    .find(|(code, _)| country.eq_ignore_ascii_case(code))
    .map_or(10.0e6, |(_, people)| people)
}

/// One way of reading a list name: given names and surnames.
#[derive(Debug, Clone, Default)]
struct Reading {
    given: Vec<Tok>,
    surnames: Vec<Tok>,
    /// The usual sex of the first given name (`SEX_M`, `SEX_F`, 0).
    sex: u8,
    /// Tried only when no other reading fits the person (they come last).
    fallback: bool,
}

/// A list row, prepared.
#[derive(Debug, Clone, Default)]
struct Row {
    readings: Vec<Reading>,
    /// Hashes of the phonetic keys of every unit, for candidates.
    keys: Vec<u64>,
    /// Hashes of the initials written, and fallback keys (see [`SALT`]).
    initials: Vec<u64>,
    fallback: Vec<u64>,
    year: Option<i32>,
    province: String,
    /// The province level against each of the registry's provinces (by
    /// index); empty when the row gives none.
    province_levels: std::sync::Arc<[u8]>,
    /// "JR", "HIJO" (`JUNIOR`) or "SR", "PADRE" (`SENIOR`) written with
    /// the name; 0 for neither.
    generation: u8,
    /// How many given names the row writes, as the parser reads it.
    given_written: usize,
}

const JUNIOR: u8 = 1;
const SENIOR: u8 = 2;

/// The name without the words that say which generation a person is
/// ("Jr.", "hijo", "(hijo)", "Sr.", "padre"), and which one they say.
/// "Junior" is left alone: it is a given name too.
fn generation(text: &str) -> (String, u8) {
    let mut found = 0;
    let kept: Vec<&str> = text
        .split_whitespace()
        .filter(|w| {
            let bare = w
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            let g = match bare.as_str() {
                "jr" | "hijo" => JUNIOR,
                "sr" | "padre" => SENIOR,
                _ => 0,
            };
            if g != 0 {
                found = g;
            }
            g == 0
        })
        .collect();
    if found == 0 {
        (text.to_owned(), 0)
    } else {
        (kept.join(" "), found)
    }
}

/// Folded province without the words that lists add or drop ("La
/// Habana" = "Habana", "Provincia de Camagüey" = "CAMAGUEY", "Edo.
/// Miranda" = "Miranda").
pub fn province_key(s: &str) -> String {
    let folded = hispanic::fold(s);
    // Initials written with dots fold to single letters ("D.C." is "d c").
    if folded.len() <= 8 && folded.split(' ').all(|w| w.len() == 1) {
        let glued: String = folded.split(' ').collect();
        if let Some((_, canonical)) = PROVINCE_NAMES.iter().find(|(other, _)| *other == glued) {
            return (*canonical).to_owned();
        }
    }
    let words: Vec<&str> = folded
        .split(' ')
        .filter(|w| {
            !w.is_empty()
                && !matches!(
                    *w,
                    "la" | "las"
                        | "los"
                        | "el"
                        | "de"
                        | "del"
                        | "provincia"
                        | "prov"
                        | "departamento"
                        | "depto"
                        | "dpto"
                        | "estado"
                        | "edo"
                        | "est"
                        | "bolivariano"
                        | "ciudad"
                        | "cdad"
                        | "d"
                )
        })
        .collect();
    let key = words.join(" ");
    match PROVINCE_NAMES.iter().find(|(other, _)| *other == key) {
        Some((_, canonical)) => (*canonical).to_owned(),
        None => key,
    }
}

/// Other names of provinces, states and departments, as lists write them
/// (keys as [`province_key`] leaves them), with the key of the name the
/// registry uses.
const PROVINCE_NAMES: &[(&str, &str)] = &[
    // Cuba: the capital in English, and "Ciudad de La Habana" abbreviated.
    ("havana", "habana"),
    ("c habana", "habana"),
    ("cuidad habana", "habana"),
    // Cuba: the Isle of Youth was the Isle of Pines until 1978.
    ("isla pinos", "isla juventud"),
    ("isla", "isla juventud"),
    // Venezuela: the capital district is Caracas; Margarita is Nueva
    // Esparta's island.
    ("caracas", "distrito capital"),
    ("dtto capital", "distrito capital"),
    ("dc", "distrito capital"),
    ("margarita", "nueva esparta"),
    // Venezuela: Vargas was renamed La Guaira in 2019.
    ("vargas", "guaira"),
    ("isla margarita", "nueva esparta"),
    // Nicaragua: the Caribbean coast regions, by their names before 2014
    // and their initials.
    ("raccn", "costa caribe norte"),
    ("raan", "costa caribe norte"),
    ("region autonoma costa caribe norte", "costa caribe norte"),
    ("region autonoma atlantico norte", "costa caribe norte"),
    ("raccs", "costa caribe sur"),
    ("raas", "costa caribe sur"),
    ("region autonoma costa caribe sur", "costa caribe sur"),
    ("region autonoma atlantico sur", "costa caribe sur"),
];

/// Whether two province keys name the same province, as lists write them:
/// equal, one the start of the other ("pinar" for "pinar rio"), an
/// abbreviation ("stgo cuba" for "santiago cuba") or a typo apart.
pub fn same_province(a: &str, b: &str) -> bool {
    if a == b || a.starts_with(b) || b.starts_with(a) {
        return true;
    }
    let (wa, wb): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    // A typo, word by word: "Costa Caribe Norte" is not a typo of "Costa
    // Caribe Sur", although the two strings are alike.
    if wa.len() == wb.len() && wa.iter().zip(&wb).all(|(x, y)| x == y || similar(x, y)) {
        return true;
    }
    // Word by word, each the same or one an abbreviation of the other; a
    // lone initial ("V. Clara", "S. Spíritus") only beside a word that is
    // written out.
    let initial = |x: &str, y: &str| x.len() == 1 && y.starts_with(x);
    // One word for a name of several: its first word, in full or
    // abbreviated ("santiago", "stgo" for "santiago cuba"), or all of it
    // glued and abbreviated ("sspiritus" for "sancti spiritus").
    let one_for_many = |x: &[&str], y: &[&str]| {
        x.len() == 1
            && y.len() > 1
            && x[0].len() >= 3
            && (abbreviates(x[0], y[0])
                || (y[0].len() <= 4 && abbreviates(y[0], x[0]))
                || abbreviates(x[0], &y.concat()))
    };
    one_for_many(&wa, &wb)
        || one_for_many(&wb, &wa)
        || wa.len() == wb.len()
            && wa.iter().zip(&wb).any(|(x, y)| x == y)
            && wa.iter().zip(&wb).all(|(x, y)| {
                abbreviates(x, y) || abbreviates(y, x) || initial(x, y) || initial(y, x)
            })
        || wa.len() == wb.len()
            && wa
                .iter()
                .zip(&wb)
                .all(|(x, y)| abbreviates(x, y) || abbreviates(y, x))
}

/// `short` is `long` abbreviated: the same first letter, then its letters
/// in order ("stgo" for "santiago", "sto" for "santo").
fn abbreviates(short: &str, long: &str) -> bool {
    if short.len() > long.len() || short.len() < 2 || short.bytes().next() != long.bytes().next() {
        return short == long;
    }
    let mut rest = long.bytes();
    short.bytes().all(|c| rest.any(|d| d == c))
}

/// The widest range of birth years a registry date may allow and still
/// be compared (a decade: `198X`).
const MAX_YEAR_SPAN: i32 = 10;

/// A range of birth years at most this wide can confirm a list's year;
/// a wider one can only contradict it.
const CONFIRMING_SPAN: i32 = 2;

/// Birth years a registry EDTF date allows, as precise as recorded:
/// `1980-03-12` → 1980..1980, `198X` → 1980..1989, `1980~` or `1980?`
/// (approximate, uncertain) → 1979..1981, `1979/1981` → 1979..1981.
/// Anything else → unknown.
pub fn year_range(edtf: &str) -> Option<(i32, i32)> {
    let s = edtf.trim();
    if let Some((a, b)) = s.split_once('/') {
        let (lo, _) = year_range(a)?;
        let (_, hi) = year_range(b)?;
        return (lo <= hi).then_some((lo, hi));
    }
    let s = s.trim_start_matches(['~', '?', '%']);
    let head = s.as_bytes().get(..4)?;
    if !head.iter().all(|b| b.is_ascii_digit() || *b == b'X') {
        return None;
    }
    let digit = |b: u8, x: i32| if b == b'X' { x } else { i32::from(b - b'0') };
    let lo = head.iter().fold(0, |acc, &b| acc * 10 + digit(b, 0));
    let hi = head.iter().fold(0, |acc, &b| acc * 10 + digit(b, 9));
    if lo == 0 {
        return None;
    }
    // A qualifier on the year ("~1980", "1980?-05") or at the end, which
    // qualifies the whole date ("1980-05~"), widens it by a year each way.
    let whole = edtf.trim();
    let year_part = whole.split('-').next().unwrap_or("");
    let uncertain = year_part.contains(['~', '?', '%']) || whole.ends_with(['~', '?', '%']);
    Some(if uncertain {
        (lo - 1, hi + 1)
    } else {
        (lo, hi)
    })
}

/// A parsed name field: the key and text of each token.
type Parts = Arc<[(Key, Arc<str>)]>;

/// Parses of name fields already seen by one worker. Registries repeat
/// names endlessly (a million persons use a few thousand given names and
/// surnames), so each distinct field is parsed once per worker.
/// Each is kept with the generation word the field wrote (see
/// [`generation`]), keyed by the field as written.
#[derive(Default)]
struct FieldCache {
    given: FastMap<Box<str>, (Parts, u8)>,
    surname: FastMap<Box<str>, Surnames>,
}

/// A surname field read once: its first surname, a second surname typed
/// into it (see [`FieldCache::surname`]), and its generation word.
type Surnames = (Parts, Parts, u8);

impl FieldCache {
    fn given(&mut self, field: &str) -> (Parts, u8) {
        if let Some((p, g)) = self.given.get(field) {
            return (p.clone(), *g);
        }
        let (raw, g) = generation(field);
        let parts: Parts = hispanic::parse_structured(&raw, "", "")
            .map(|p| {
                p.given
                    .iter()
                    .take(MAX_GIVEN)
                    .map(|g| {
                        (
                            Key::of(&g.canonical, g.initial),
                            Arc::from(g.canonical.as_str()),
                        )
                    })
                    .collect()
            })
            .unwrap_or_else(|_| Arc::from(Vec::new()));
        self.given.insert(Box::from(field), (parts.clone(), g));
        (parts, g)
    }

    /// A surname field: its first surname unit (particles stripped: "de la
    /// Cruz" is `cruz`), and the second surname typed into it ("Urdaneta
    /// Aguirre" with the second field empty): its second unit, when it holds
    /// exactly two, neither an initial, the second without particles
    /// ("Montes de Oca" is one surname) and the first not "San" or "Santa"
    /// ("San Martín" is one too).
    fn surname(&mut self, field: &str) -> Surnames {
        if let Some(found) = self.surname.get(field) {
            return found.clone();
        }
        let (raw, g) = generation(field);
        let units = if raw.trim().is_empty() {
            Vec::new()
        } else {
            hispanic::parse_structured("", &raw, "")
                .map(|p| p.units)
                .unwrap_or_default()
        };
        let part = |u: &hispanic::Unit| (Key::of(&u.key, false), Arc::from(u.key.as_str()));
        let first: Parts = units.first().map(part).into_iter().collect();
        let second: Parts = match units.as_slice() {
            [a, b]
                if !a.initial
                    && !b.initial
                    && a.text == a.key
                    && b.text == b.key
                    && !matches!(a.key.as_str(), "san" | "santa" | "santo") =>
            {
                Arc::from(vec![part(b)])
            }
            _ => Arc::from(Vec::new()),
        };
        let found = (first, second, g);
        self.surname.insert(Box::from(field), found.clone());
        found
    }
}

/// A prepared person and the texts of its tokens: given names, then the
/// first surname if any, then the second if any. Each field is parsed on
/// its own: a first surname of two words ("Pérez Reverte") must not push
/// the second field aside.
fn prepare_person(cache: &mut FieldCache, e: RegistryRef<'_>) -> (Person, Texts) {
    let (given, g1) = cache.given(e.given_names);
    let (first, typed_second, g2) = cache.surname(e.surname1);
    let (second, g3) = if e.surname2.trim().is_empty() {
        (typed_second, 0)
    } else {
        let (second, _, g3) = cache.surname(e.surname2);
        (second, g3)
    };
    let mut keys = [Key::default(); MAX_GIVEN];
    for (k, (key, _)) in keys.iter_mut().zip(given.iter()) {
        *k = *key;
    }
    let texts: Texts = given
        .iter()
        .chain(first.iter())
        .chain(second.iter())
        .map(|(_, t)| t.clone())
        .collect();
    let person = Person {
        given: keys,
        n_given: given.len().min(MAX_GIVEN) as u8,
        s1: first.first().map(|(k, _)| *k),
        s2: second.first().map(|(k, _)| *k),
        // "19XX" says nothing useful about the year; "198X" rules out
        // 1975 but confirms nothing (see `year_level`).
        years: year_range(e.birth_date).filter(|(lo, hi)| hi - lo <= MAX_YEAR_SPAN),
        province: 0,
        tf_bits: [f64::NAN; 3],
        sex: match e.sex.trim() {
            "M" | "m" => SEX_M,
            "F" | "f" => SEX_F,
            _ => 0,
        },
        not_held: e.held == Some(false),
        owner: 0,
        generation: g1.max(g2).max(g3),
    };
    (person, texts)
}

impl Person {
    /// The person's weight as someone a release list names, in bits
    /// (`log2 c_j`: 0 when held or unknown).
    fn held_bits(&self) -> f64 {
        if self.not_held {
            NOT_HELD_BITS
        } else {
            0.0
        }
    }

    fn given(&self) -> &[Key] {
        &self.given[..self.n_given as usize]
    }

    /// Index of the first surname's text among the person's texts.
    fn s1_text(&self) -> usize {
        self.n_given as usize
    }

    fn s2_text(&self) -> usize {
        self.n_given as usize + usize::from(self.s1.is_some())
    }
}

/// The full names a list's given name may stand for: those of a
/// hypocorism ("pepe": jose), or, for a name written with an initial "x"
/// before a vowel, the same name with "j" ("Xosé", "Xuan", "Ximena": the
/// old and Galician spelling; the phonetic key reads that "x" as "s", as
/// in Xiomara).
fn given_alts(text: &str, canonical: &str) -> Vec<u64> {
    let known = hispanic::given_variants(text);
    if !known.is_empty() {
        return known.iter().map(|v| hash_str(v)).collect();
    }
    match canonical.strip_prefix('x') {
        Some(rest) if rest.starts_with(['a', 'e', 'i', 'o', 'u']) => {
            vec![hash_str(&format!("j{rest}"))]
        }
        _ => Vec::new(),
    }
}

fn given_tok(u: &hispanic::Unit) -> Tok {
    let mut t = Tok::new(&u.canonical, u.initial);
    t.alts = given_alts(&u.text, &u.canonical);
    t
}

fn surname_tok(u: &hispanic::Unit) -> Tok {
    Tok::new(&u.key, u.initial)
}

fn readings(parsed: &ParsedName) -> Vec<Reading> {
    if parsed.split_known {
        return vec![Reading {
            given: parsed
                .given
                .iter()
                .map(|g| {
                    let mut t = Tok::new(&g.canonical, g.initial);
                    t.alts = given_alts(&g.text, &g.canonical);
                    t
                })
                .collect(),
            surnames: parsed
                .surnames
                .iter()
                // "RAMOS C., KEYBER": the "C" is an initial.
                .map(|s| Tok::new(&s.key, s.initial))
                .collect(),
            sex: 0,
            fallback: false,
        }];
    }
    let units = &parsed.units;
    let n = units.len();
    let mut out = Vec::new();
    if n == 1 {
        out.push(Reading {
            given: Vec::new(),
            surnames: vec![surname_tok(&units[0])],
            sex: 0,
            fallback: false,
        });
        return out;
    }
    // Each unit read either way once; the readings take copies.
    let given: Vec<Tok> = units.iter().map(given_tok).collect();
    let surnames: Vec<Tok> = units.iter().map(surname_tok).collect();
    // Given names first (the usual order), with 1..=4 given names; then,
    // when the parser read the text as surnames first without a comma
    // ("PEREZ GARCIA JOSE") or found no given name at all, surnames first
    // with one or two surnames.
    for k in 1..n.min(5) {
        out.push(Reading {
            given: given[..k].to_vec(),
            surnames: surnames[k..].to_vec(),
            sex: 0,
            fallback: false,
        });
    }
    // Surnames first, when the parser read the text so ("PEREZ GARCIA
    // JOSE") or found no given name; else as a fallback, tried only when
    // no other reading fits (lists also write "SOTILLO MAYETA MIGUEL",
    // whatever the parser made of the first word).
    let surnames_first = parsed.given.is_empty()
        || parsed
            .surnames
            .first()
            .is_some_and(|s| s.text == units[0].text);
    for k in 1..=2.min(n - 1) {
        out.push(Reading {
            given: given[k..].to_vec(),
            surnames: surnames[..k].to_vec(),
            sex: 0,
            fallback: !surnames_first,
        });
    }
    out
}

fn prepare_row(e: &ListEntry) -> Row {
    let (name, generation) = generation(&e.full_name);
    let Ok(parsed) = hispanic::parse_full_name(&name) else {
        return Row::default();
    };
    let mut keys: Vec<u64> = parsed
        .units
        .iter()
        .filter(|u| !u.initial)
        .flat_map(|u| {
            let mut k = vec![hispanic::phonetic(&u.key), hispanic::phonetic(&u.canonical)];
            k.extend(
                hispanic::given_variants(&u.text)
                    .iter()
                    .map(|v| hispanic::phonetic(v)),
            );
            k
        })
        .filter(|k| !k.is_empty())
        .map(|k| hash_str(&k))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let mut initials: Vec<u64> = parsed
        .units
        .iter()
        .filter(|u| u.initial)
        .map(|u| hash_str(prefix1(&u.text)))
        .collect();
    initials.sort();
    initials.dedup();
    let words: Vec<&hispanic::Unit> = parsed.units.iter().filter(|u| !u.initial).collect();
    // Each word's sounds hashed once, not once per pair.
    let sounds: Vec<(u64, u64)> = words
        .iter()
        .map(|u| {
            (
                hash_str(&hispanic::phonetic(&u.canonical)),
                hash_str(&hispanic::phonetic(&u.key)),
            )
        })
        .collect();
    let mut fallback = Vec::new();
    for (a, &(ga, _)) in words.iter().zip(&sounds) {
        for (b, &(_, sb)) in words.iter().zip(&sounds) {
            if !std::ptr::eq(*a, *b) {
                fallback.push(pair_key(ga, hash_str(prefix2(&b.key))) ^ SALT[3]);
                fallback.push(pair_key(sb, hash_str(prefix2(&a.text))) ^ SALT[4]);
            }
        }
    }
    Row {
        readings: readings(&parsed),
        keys,
        initials,
        fallback,
        year: e.birth_year,
        province: province_key(&e.province),
        province_levels: std::sync::Arc::from(Vec::new()),
        generation,
        given_written: parsed.given.len(),
    }
}

/// A typo apart: Jaro–Winkler at least 0.9, or one edit (a swap of two
/// neighbours included) in words of four letters or more.
fn similar(a: &str, b: &str) -> bool {
    let short = a.len().min(b.len());
    short >= 3
        && a.len().abs_diff(b.len()) <= 2
        && (crate::compare::jaro_winkler_at_least(a, b, 0.9).is_some()
            || (short >= 4 && crate::compare::edits_at_most(a, b, 1).is_some()))
}

/// [`similar`], after a cheap test: one typo changes at most two letters
/// of the set of letters a word uses (JW ≥ 0.9 rarely allows more).
/// The registry text (`texts[i]`) is read only when the cheap test
/// passes: it lives apart, and reading it costs a cache miss.
fn similar_toks(l: &Tok, r: &Key, texts: &[Arc<str>], i: usize) -> bool {
    (l.letters ^ r.letters).count_ones() <= 4 && similar(&l.text, texts.get(i).map_or("", |t| t))
}

fn surname_level(l: &Tok, r: &Key, texts: &[Arc<str>], i: usize) -> u8 {
    if l.initial {
        // "Pérez G.": an initial says little for, but rules out the rest.
        return if l.first == r.first { 0 } else { S_DIFFERENT };
    }
    if l.h == r.h {
        S_EXACT
    } else if l.ph != 0 && l.ph == r.ph {
        S_PHONETIC
    } else if !l.real && similar_toks(l, r, texts, i) {
        S_FUZZY
    } else {
        S_DIFFERENT
    }
}

/// How one list given name fits one registry given name: 1 same, 2 other
/// form, 3 initial, 4 typo, 0 not at all.
fn given_fit(l: &Tok, r: &Key, texts: &[Arc<str>], i: usize) -> u8 {
    if l.initial {
        return if l.first == r.first { 3 } else { 0 };
    }
    if r.initial {
        // The registry knows only an initial: "Jorge" and his brother
        // "Juan" both fit "J.", so this is no better than a typo.
        return if l.first == r.first { 4 } else { 0 };
    }
    if l.h == r.h {
        1
    } else if l.alts.len() > 1 && l.alts.contains(&r.h) {
        // "Beto" is Alberto, Roberto or Humberto; "Ale" Alejandro or
        // Alejandra: one of several, so no better than a typo.
        4
    } else if l.alts.contains(&r.h) || (l.ph != 0 && l.ph == r.ph) {
        2
    } else if !l.real && similar_toks(l, r, texts, i) {
        4
    } else {
        0
    }
}

fn given_level(list: &[Tok], reg: &[Key], texts: &[Arc<str>]) -> u8 {
    if list.is_empty() || reg.is_empty() {
        return 0;
    }
    // Align in order: each list name with the next registry name it fits.
    let mut next = 0;
    let mut worst = 1;
    let mut first_at = None;
    // Given names the list writes after all the registry's: the registry
    // knows fewer ("Manuel" for "MANUEL ENRIQUE").
    let mut beyond = false;
    for l in list {
        let Some((j, fit)) = reg
            .iter()
            .enumerate()
            .skip(next)
            .map(|(j, r)| (j, given_fit(l, r, texts, j)))
            .find(|(_, f)| *f != 0)
        else {
            // Only a word known as a given name: "Ezequiel Zeledón" read
            // as two given names is a surname left out of the comparison.
            if next == reg.len() && first_at == Some(0) && !l.initial && l.real {
                beyond = true;
                break;
            }
            return G_DIFFERENT;
        };
        first_at.get_or_insert(j);
        worst = worst.max(fit);
        next = j + 1;
    }
    if first_at != Some(0) {
        return G_SHIFTED;
    }
    match worst {
        4 => G_FUZZY,
        3 => G_INITIAL,
        _ if list.len() < reg.len() || beyond => G_PARTIAL,
        2 => G_VARIANT,
        _ => G_EXACT,
    }
}

fn year_level(list: Option<i32>, reg: Option<(i32, i32)>) -> u8 {
    let (Some(y), Some((lo, hi))) = (list, reg) else {
        return 0;
    };
    let gap = if y < lo {
        lo - y
    } else if y > hi {
        y - hi
    } else {
        0
    };
    match gap {
        // Inside a wide range ("198X"): neither for nor against.
        0 if hi - lo > CONFIRMING_SPAN => 0,
        0 => Y_EXACT,
        1 => Y_ONE,
        2..=3 => Y_FEW,
        4..=14 => Y_FAR,
        _ => Y_GENERATION,
    }
}

/// The levels of birth year, province and generation words, which do not
/// depend on how the name is read.
fn context_pattern(row: &Row, p: &Person) -> Pattern {
    let province = row
        .province_levels
        .get(p.province as usize)
        .copied()
        .unwrap_or(0);
    let generation = match (row.generation, p.generation) {
        (0, 0) => 0,
        (a, b) if a == b => GEN_SAME,
        (0, _) | (_, 0) => GEN_ONE_SIDE,
        _ => GEN_DIFFERENT,
    };
    Pattern::default()
        .with(YEAR, year_level(row.year, p.years))
        .with(PROVINCE, province)
        .with(GENERATION, generation)
}

/// The name levels of one reading, added to `context`.
fn name_pattern(reading: &Reading, p: &Person, texts: &[Arc<str>], context: Pattern) -> Pattern {
    let given = given_level(&reading.given, p.given(), texts);
    let mut flags = if reading.surnames.len() >= 2 && p.s2.is_none() {
        F_SECOND_SURNAME_UNKNOWN
    } else {
        0
    };
    if reading.sex != 0 && p.sex != 0 && reading.sex != p.sex {
        flags |= F_SEX_CONTRADICTS;
    }
    let mut flags2 = 0;
    if reading.given.first().is_some_and(|g| g.initial) {
        flags |= F_FIRST_INITIAL;
        // A later name in full that is one of the registry's later names.
        let later = |l: &Tok| {
            !l.initial
                && p.given()
                    .iter()
                    .skip(1)
                    .any(|r| !r.initial && (l.h == r.h || (l.ph != 0 && l.ph == r.ph)))
        };
        if reading.given.iter().skip(1).any(later) {
            flags2 |= F2_LATER_GIVEN_WRITTEN;
        }
    }
    if let ([_, second], Some(r2)) = (reading.surnames.as_slice(), &p.s2) {
        if second.initial && second.first == r2.first {
            flags2 |= F2_SURNAME2_INITIAL;
        }
    }
    let (mut s1, mut s2) = match (reading.surnames.as_slice(), &p.s1, &p.s2) {
        ([], _, _) | (_, None, _) => (S_DIFFERENT, 0),
        ([only], Some(r1), _) => (surname_level(only, r1, texts, p.s1_text()), 0),
        ([first, second, rest @ ..], Some(r1), r2) => (
            surname_level(first, r1, texts, p.s1_text()),
            // "Morales Montes de Oca": the second surname may be followed
            // by more words of itself, or the first may have two words.
            r2.as_ref().map_or(0, |r2| {
                let a = surname_level(second, r2, texts, p.s2_text());
                match rest.last() {
                    Some(last) => a.min(surname_level(last, r2, texts, p.s2_text())),
                    None => a,
                }
            }),
        ),
    };
    // "ZALDIVAR MOYA" for Moya Zaldívar: both surnames, the other way
    // round, when the straight way the first does not agree at all. One
    // of the two may carry a typo ("ROBLEZ GIJARRO" for Guijarro Robles),
    // which the rules on a typo in a surname then judge.
    if let ([first, second], Some(r1), Some(r2)) = (reading.surnames.as_slice(), &p.s1, &p.s2) {
        if s1 == S_DIFFERENT {
            let a = surname_level(first, r2, texts, p.s2_text());
            let b = surname_level(second, r1, texts, p.s1_text());
            let strong = |l: u8| matches!(l, S_EXACT | S_PHONETIC);
            let close = |l: u8| strong(l) || l == S_FUZZY;
            if (strong(a) || strong(b)) && close(a) && close(b) {
                (s1, s2) = (b, a);
                flags |= F_SWAPPED;
            }
        }
    }
    context
        .with(GIVEN, given)
        .with(SURNAME1, s1)
        .with(SURNAME2, s2)
        .with(FLAGS, flags)
        .with(FLAGS2, flags2)
}

/// Whether a pattern may be a `match` at all, whatever its weight.
fn conflict(p: Pattern, settings: &MatchSettings) -> Option<Reason> {
    let strong = |f: usize| matches!(p.level(f), S_EXACT | S_PHONETIC);
    let year_close = match p.level(YEAR) {
        Y_EXACT => true,
        Y_ONE => settings.max_year_gap >= 1,
        _ => false,
    };
    // Everything else agrees: both surnames soundly and the birth year.
    // Only then can a weak point (a typo, a second given name alone, an
    // initial on the registry, an ambiguous hypocorism) be the same
    // person; otherwise a sibling cannot be told apart.
    let corroborated = strong(SURNAME1) && strong(SURNAME2) && year_close;
    match p.level(GIVEN) {
        G_EXACT | G_VARIANT | G_PARTIAL | G_INITIAL => {}
        G_FUZZY | G_SHIFTED if corroborated => {}
        _ => return Some(Reason::GivenNamesDiffer),
    }
    // A typo in a first surname that is no real surname ("Pdrez"), with
    // the same given name and second surname, is the same person; a
    // real surname a letter away ("Hernández", "Fernández") never is a
    // typo (see `Tok::real`).
    let given_sure = matches!(p.level(GIVEN), G_EXACT | G_VARIANT);
    match p.level(SURNAME1) {
        S_EXACT | S_PHONETIC => {}
        S_FUZZY if strong(SURNAME2) && (year_close || given_sure) => {}
        S_FUZZY => return Some(Reason::Surname1Typo),
        _ => return Some(Reason::Surname1Differs),
    }
    if p.level(SURNAME2) == S_DIFFERENT {
        return Some(Reason::Surname2Differs);
    }
    // A brother or sister with the same initial shares both surnames and
    // is often born a year or two apart: only the same birth year tells
    // the person from them.
    let later_written = p.level(FLAGS2) & F2_LATER_GIVEN_WRITTEN != 0
        && matches!(p.level(GIVEN), G_INITIAL)
        && strong(SURNAME1)
        && strong(SURNAME2);
    if p.level(FLAGS) & F_FIRST_INITIAL != 0
        && !later_written
        && !(p.level(YEAR) == Y_EXACT && strong(SURNAME1) && strong(SURNAME2))
    {
        return Some(Reason::InitialOnly);
    }
    let year_ok = match p.level(YEAR) {
        0 => true,
        _ => year_close,
    };
    if !year_ok {
        return Some(Reason::YearContradicts);
    }
    if p.level(PROVINCE) == P_DIFFERENT {
        return Some(Reason::ProvinceContradicts);
    }
    if p.level(FLAGS) & F_SEX_CONTRADICTS != 0 {
        return Some(Reason::SexContradicts);
    }
    if p.level(GENERATION) == GEN_DIFFERENT {
        return Some(Reason::GenerationDiffers);
    }
    // "hijo" or "Jr." on one side only says that a parent or child of
    // the same name exists. Without the birth year on both sides, the
    // row may be that other one.
    if p.level(GENERATION) == GEN_ONE_SIDE && !matches!(p.level(YEAR), Y_EXACT | Y_ONE) {
        return Some(Reason::RelativePossible);
    }
    None
}

/// Sets each person's term frequencies and returns Σ tf² of given names
/// and of surnames: the chance that two random persons agree exactly.
fn frequencies(persons: &mut [Person], shares: &mut [Shares]) -> [f64; 2] {
    let mut given: FastMap<u64, f64> = FastMap::default();
    let mut surname: FastMap<u64, f64> = FastMap::default();
    let mut given_all: FastMap<u64, f64> = FastMap::default();
    for p in persons.iter() {
        if p.n_given > 0 {
            *given_all.entry(all_given_key(p)).or_default() += 1.0;
        }
        if let Some(g) = p.given().first() {
            *given.entry(g.h).or_default() += 1.0;
        }
        for s in p.s1.iter().chain(p.s2.iter()) {
            *surname.entry(s.h).or_default() += 1.0;
        }
    }
    // Sums in a fixed order: floating-point addition is not associative,
    // and the same registry must give the same figures bit for bit.
    let norm = |m: &mut FastMap<u64, f64>| {
        let mut counts: Vec<f64> = m.values().copied().collect();
        counts.sort_by(f64::total_cmp);
        let total: f64 = counts.iter().sum::<f64>().max(1.0);
        let agree = counts.iter().map(|c| (c / total) * (c / total)).sum();
        for v in m.values_mut() {
            *v /= total;
        }
        (agree, total)
    };
    let ((agree_given, given_total), (agree_surname, surname_total)) =
        (norm(&mut given), norm(&mut surname));
    let (agree_all, _) = norm(&mut given_all);
    let agree = [agree_given, agree_surname];
    // Shares in the population: the registry's counts, pulled toward a
    // prior share by [`POPULATION_PRIOR_ROWS`] pseudo-persons, so a small
    // registry, where every name looks frequent, does not make every name
    // common in the country.
    let population = |share: f64, total: f64, prior: f64| {
        if share > 0.0 {
            (share * total + POPULATION_PRIOR_ROWS * prior) / (total + POPULATION_PRIOR_ROWS)
        } else {
            0.0
        }
    };
    let tfs: Vec<[f64; 4]> = persons
        .iter()
        .map(|p| {
            let look = |m: &FastMap<u64, f64>, t: Option<&Key>| {
                t.and_then(|t| m.get(&t.h).copied()).unwrap_or(0.0)
            };
            [
                look(&given, p.given().first()),
                look(&surname, p.s1.as_ref()),
                look(&surname, p.s2.as_ref()),
                if p.n_given > 0 {
                    given_all.get(&all_given_key(p)).copied().unwrap_or(0.0)
                } else {
                    0.0
                },
            ]
        })
        .collect();
    for ((p, tf), sh) in persons.iter_mut().zip(tfs).zip(shares.iter_mut()) {
        let bits = |tf: f64, agree: f64| {
            if tf > 0.0 && agree > 0.0 {
                (tf / agree).log2()
            } else {
                f64::NAN
            }
        };
        p.tf_bits = [
            bits(tf[3], agree_all),
            bits(tf[1], agree[1]),
            bits(tf[2], agree[1]),
        ];
        sh.tf = [
            population(tf[0], given_total, PRIOR_GIVEN_SHARE),
            population(tf[1], surname_total, PRIOR_SURNAME_SHARE),
            population(tf[2], surname_total, PRIOR_SURNAME_SHARE),
        ];
        // Every person with a given name counts once in both maps, so the
        // whole set's share (`tf[3]`) is among as many as the first name's.
        sh.given_all = if p.n_given > 1 {
            population(tf[3], given_total, PRIOR_COMPOUND_SHARE)
        } else {
            sh.tf[0]
        };
    }
    agree
}

/// The index keys of a person (each once), in a fixed array: at most
/// 1 + 2 × (MAX_GIVEN + 3) keys, kept on the stack, as a million persons
/// are indexed.
fn index_keys(p: &Person, t: &[Arc<str>]) -> ([u64; INDEX_KEYS], usize) {
    let text = |j: usize| t.get(j).map_or("", |s| s);
    let mut keys = [0u64; INDEX_KEYS];
    let mut n = 0;
    let mut push = |k: u64| {
        keys[n] = k;
        n += 1;
    };
    let surnames = [
        p.s1.map(|k| (k, text(p.s1_text()))),
        p.s2.map(|k| (k, text(p.s2_text()))),
    ];
    if let [Some((a, _)), Some((b, _))] = surnames {
        push(pair_key(a.ph, b.ph) ^ SALT[0]);
    }
    for (s, s_text) in surnames.iter().flatten() {
        for g in p.given().iter().filter(|g| !g.initial) {
            push(pair_key(s.ph, g.ph) ^ SALT[1]);
        }
        if let Some(g) = p.given().first() {
            let g_text = text(0);
            push(pair_key(s.ph, hash_str(prefix1(g_text))) ^ SALT[2]);
            if !g.initial {
                push(pair_key(g.ph, hash_str(prefix2(s_text))) ^ SALT[3]);
                push(pair_key(s.ph, hash_str(prefix2(g_text))) ^ SALT[4]);
            }
        }
    }
    let keys = &mut keys[..n];
    keys.sort_unstable();
    let mut unique = [0u64; INDEX_KEYS];
    let mut m = 0;
    for (j, &k) in keys.iter().enumerate() {
        if j == 0 || k != keys[j - 1] {
            unique[m] = k;
            m += 1;
        }
    }
    (unique, m)
}

const INDEX_KEYS: usize = 1 + 2 * (MAX_GIVEN + 3);

/// The index is built in parts by the top bits of the key: each part is
/// sorted on its own (small enough to stay in a core's cache), and the
/// parts in order are the whole index sorted.
const INDEX_PART_BITS: u32 = 8;
const INDEX_PARTS: usize = 1 << INDEX_PART_BITS;

/// Persons whose keys one task computes.
const INDEX_CHUNK: usize = 1 << 14;

fn index_part(key: u64) -> usize {
    (key >> (64 - INDEX_PART_BITS)) as usize
}

/// Where each key's persons are in the postings, one map per part.
type Ranges = Vec<FastMap<u64, (u32, u32)>>;

/// The postings (every person under each key, sorted by key, then by
/// person) and where each key's run is in them.
fn build_index(persons: &[Person], texts: &[Texts]) -> (Vec<u32>, Ranges) {
    // Each chunk of persons (in order): its (key, person) pairs grouped by
    // part, and where each part starts.
    let chunks: Vec<_> = persons
        .par_chunks(INDEX_CHUNK)
        .zip(texts.par_chunks(INDEX_CHUNK))
        .enumerate()
        .map(|(c, (ps, ts))| {
            let mut pairs = Vec::with_capacity(ps.len() * 12);
            for (j, (p, t)) in ps.iter().zip(ts).enumerate() {
                let i = (c * INDEX_CHUNK + j) as u32;
                let (keys, m) = index_keys(p, t);
                pairs.extend(keys[..m].iter().map(|&k| (k, i)));
            }
            let mut starts = vec![0usize; INDEX_PARTS + 1];
            for &(k, _) in &pairs {
                starts[index_part(k) + 1] += 1;
            }
            for q in 1..=INDEX_PARTS {
                starts[q] += starts[q - 1];
            }
            let mut next = starts.clone();
            let mut grouped = vec![(0u64, 0u32); pairs.len()];
            for &(k, i) in &pairs {
                let q = index_part(k);
                grouped[next[q]] = (k, i);
                next[q] += 1;
            }
            (grouped, starts)
        })
        .collect();
    let sizes: Vec<usize> = (0..INDEX_PARTS)
        .map(|q| chunks.iter().map(|(_, s)| s[q + 1] - s[q]).sum())
        .collect();
    let offsets: Vec<usize> = sizes
        .iter()
        .scan(0, |at, &n| {
            let start = *at;
            *at += n;
            Some(start)
        })
        .collect();
    // Each part: its postings and where its keys' runs are.
    let parts: Vec<_> = (0..INDEX_PARTS)
        .into_par_iter()
        .map(|q| {
            let mut index: Vec<(u64, u32)> = Vec::with_capacity(sizes[q]);
            for (pairs, starts) in &chunks {
                index.extend_from_slice(&pairs[starts[q]..starts[q + 1]]);
            }
            index.sort_unstable();
            let distinct = index.windows(2).filter(|w| w[0].0 != w[1].0).count() + 1;
            let mut ranges: FastMap<u64, (u32, u32)> =
                HashMap::with_capacity_and_hasher(distinct, Default::default());
            // Runs of one key are short (a few persons): walk them, rather
            // than search the rest of the index for the end of each.
            let mut start = 0;
            while start < index.len() {
                let key = index[start].0;
                let mut end = start + 1;
                while end < index.len() && index[end].0 == key {
                    end += 1;
                }
                ranges.insert(key, ((offsets[q] + start) as u32, (end - start) as u32));
                start = end;
            }
            let postings: Vec<u32> = index.into_iter().map(|(_, p)| p).collect();
            (postings, ranges)
        })
        .collect();
    drop(chunks);
    let mut postings = Vec::with_capacity(sizes.iter().sum());
    let mut ranges = Vec::with_capacity(INDEX_PARTS);
    for (p, r) in parts {
        postings.extend_from_slice(&p);
        ranges.push(r);
    }
    (postings, ranges)
}

/// The registry's persons (the first `n`) sorted by their surnames' and
/// first given name's sounds (aliases stay after them, in order), their
/// texts along, and where each of the first `n` went.
fn by_name(
    persons: Vec<Person>,
    texts: Vec<Texts>,
    shares: Vec<Shares>,
    n: usize,
) -> (Vec<Person>, Vec<Texts>, Vec<Shares>, Vec<u32>) {
    let ph = |k: Option<&Key>| k.map_or(0, |k| k.ph);
    // The keys taken once, then sorted: a key read at each comparison
    // would be a cache miss each.
    let mut keys: Vec<(u64, u64, u64, u32)> = persons[..n]
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            (
                ph(p.s1.as_ref()),
                ph(p.s2.as_ref()),
                ph(p.given().first()),
                i as u32,
            )
        })
        .collect();
    keys.par_sort_unstable();
    let order: Vec<u32> = keys.into_iter().map(|k| k.3).collect();
    let mut slot = vec![0u32; n];
    for (new, &old) in order.iter().enumerate() {
        slot[old as usize] = new as u32;
    }
    let mut texts: Vec<Option<Texts>> = texts.into_iter().map(Some).collect();
    // Where the record now at `i` was (aliases stay where they are).
    let from = |i: usize| order.get(i).map_or(i, |&old| old as usize);
    // Gathered on all cores: a million records read in a random order.
    let sorted_persons: Vec<Person> = (0..persons.len())
        .into_par_iter()
        .map(|i| persons[from(i)].clone())
        .collect();
    let sorted_texts: Vec<Texts> = (0..texts.len())
        .map(|i| texts[from(i)].take().unwrap_or_default())
        .collect();
    let sorted_shares: Vec<Shares> = (0..shares.len())
        .into_par_iter()
        .map(|i| shares[from(i)].clone())
        .collect();
    (sorted_persons, sorted_texts, sorted_shares, slot)
}

/// A key for all of a person's given names together.
fn all_given_key(p: &Person) -> u64 {
    p.given()
        .iter()
        .fold(0x9E37_79B9_7F4A_7C15, |acc, g| pair_key(acc, g.h))
}

/// Maps and sets with [`KeyHasher`]: the registry's names are hashed
/// millions of times while the matcher is built, and nobody chooses them
/// to collide.
type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<KeyHasher>>;
type FastSet<K> = std::collections::HashSet<K, std::hash::BuildHasherDefault<KeyHasher>>;

/// Hashes for maps keyed by values that are already 64-bit hashes (kept
/// as they are), or by text (FNV-1a).
#[derive(Default)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A candidate for a row: the person, which kinds of keys found it (bit
/// 0: both surnames, bit 1: a surname and a given name), and how many
/// keys.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    person: u32,
    kinds: u8,
    hits: u16,
    /// The person's (or alias's) place in the registry (see
    /// [`Matcher::registry_place`]).
    place: u32,
}

const BY_SURNAMES: u8 = 1;
const BY_SURNAME_AND_GIVEN: u8 = 2;
/// Kinds of keys: both surnames; a surname and a given name; a surname
/// and a given name's initial; a given name and a surname's first two
/// letters, and a surname and a given name's first two letters (these
/// two for typos that change how a name sounds; used only when the
/// others find nobody).
const SALT: [u64; 5] = [
    0x51A7_0000_0000_0001,
    0x51A7_0000_0000_0002,
    0x51A7_0000_0000_0003,
    0x51A7_0000_0000_0004,
    0x51A7_0000_0000_0005,
];

fn prefix2(s: &str) -> &str {
    s.get(..2).unwrap_or(s)
}

fn prefix1(s: &str) -> &str {
    s.get(..1).unwrap_or(s)
}

/// The registry, prepared for matching many lists.
pub struct Matcher {
    /// The persons (then the aliases), in the order of their names (see
    /// [`by_name`]); a person's place in the registry is `owner`.
    persons: Vec<Person>,
    /// Where the registry's `i`-th person is in `persons` (aliases stay
    /// where they are).
    slot: Vec<u32>,
    /// How common each person's names are, in the order of `persons`.
    shares: Vec<Shares>,
    /// Registry persons (aliases not counted).
    registry_len: usize,
    ids: Ids,
    /// (hash of a pair of name keys and their kind, person), sorted.
    postings: Vec<u32>,
    /// For each key, where its persons are in `postings`: one hash lookup
    /// instead of a binary search through millions of entries (in the
    /// map of the key's part, see [`build_index`]).
    ranges: Ranges,
    /// Province keys by number (0: none).
    provinces: Vec<String>,
    /// Some registry persons as list rows, with their index, for `u`.
    sample_rows: Vec<(Row, usize)>,
    /// Texts of each person's tokens (see [`prepare_person`]).
    texts: Vec<Texts>,
    /// Hashes of the given names and surnames seen on the registry.
    given_seen: FastSet<u64>,
    surname_seen: FastSet<u64>,
    /// The usual sex of first given names the registry shows often enough
    /// with one sex (`SEX_M`, `SEX_F`).
    given_sex: FastMap<u64, u8>,
    /// The share of registry persons in each province (by index).
    province_share: Vec<f64>,
    /// `log2 Σ c_j` over registry persons (aliases not counted): the
    /// normaliser of the per-person prior.
    log_weight_total: f64,
    /// Some person has an alias.
    has_aliases: bool,
    settings: MatchSettings,
}

/// The registry's ids, in one buffer rather than a string each.
struct Ids {
    text: String,
    ends: Vec<usize>,
}

impl Ids {
    fn new<'a>(ids: impl Iterator<Item = &'a str>) -> Ids {
        let mut out = Ids {
            text: String::new(),
            ends: Vec::new(),
        };
        for id in ids {
            out.text.push_str(id);
            out.ends.push(out.text.len());
        }
        out
    }

    fn get(&self, i: usize) -> &str {
        let start = i.checked_sub(1).map_or(0, |j| self.ends[j]);
        &self.text[start..self.ends[i]]
    }
}

/// A first given name seen this many times or more on the registry, and
/// with one sex at least this share of the time, has that sex as usual.
const SEX_MIN_COUNT: f64 = 3.0;
const SEX_MIN_SHARE: f64 = 0.9;

/// The person-CSV-like fields of an alias written as one full name.
fn alias_entry(owner: RegistryRef<'_>, alias: &str) -> Option<RegistryEntry> {
    let parsed = hispanic::parse_full_name(alias).ok()?;
    if parsed.given.is_empty() || parsed.surnames.is_empty() {
        return None;
    }
    let given: Vec<&str> = parsed.given.iter().map(|g| g.text.as_str()).collect();
    Some(RegistryEntry {
        id: owner.id.to_owned(),
        given_names: given.join(" "),
        surname1: parsed.surnames[0].text.clone(),
        surname2: parsed
            .surnames
            .get(1)
            .map(|s| s.text.clone())
            .unwrap_or_default(),
        birth_date: owner.birth_date.to_owned(),
        province: owner.province.to_owned(),
        sex: owner.sex.to_owned(),
        country: owner.country.to_owned(),
        held: owner.held,
        aliases: Vec::new(),
    })
}

fn hash_str(s: &str) -> u64 {
    // FNV-1a: stable across runs and platforms, which keeps the index
    // order (and so every result) deterministic.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The key of an unordered pair of hashed name keys.
fn pair_key(a: u64, b: u64) -> u64 {
    let (x, y) = if a <= b { (a, b) } else { (b, a) };
    x.rotate_left(17) ^ y.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// Why a row got its decision, for `--explain`.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// Readable text, several lines.
    pub text: String,
}

/// What matching a list gives, row by row, plus the model.
pub struct MatchOutcome {
    /// One result per list row, in the list's order.
    pub results: Vec<MatchResult>,
    /// The fitted model.
    pub model: Model,
    /// Candidate pairs compared.
    pub candidates: usize,
    /// `π`: the share of the list taken to be on the registry.
    pub on_registry_share: f64,
    /// Whether `π` was estimated from the list (else it was given).
    pub share_estimated: bool,
    /// `ρ`: same-name relatives per row that is a registry person, when
    /// the whole name agrees and when only the given names and first
    /// surname do, then brothers and sisters.
    pub relative_share: [f64; FAMILY],
}

/// What the whole list says about each of its rows.
#[derive(Debug, Clone, Copy)]
struct ListContext {
    on_registry_share: f64,
    relative_share: [f64; FAMILY],
}

/// Kinds of relatives: a parent or child with the whole name, one with
/// the given names and first surname, a brother or sister.
pub const FAMILY: usize = 3;
const SIBLING: usize = 2;

/// One candidate of a row, scored.
#[derive(Debug, Clone, Copy)]
struct Scored1 {
    /// The registry person (for an alias, the person it belongs to).
    person: usize,
    /// The form compared: the person or one of their aliases.
    form: usize,
    pattern: Pattern,
    /// Index of the reading of the row's name.
    reading: usize,
    /// Σ of the field weights: `log2` of the likelihood ratio of the row
    /// under "this person" against "a random person".
    weight: f64,
    /// `weight` plus the person's detention-status weight (`log2 c_j`).
    bits: f64,
}

/// A row's candidates, reduced to what deciding needs.
#[derive(Debug, Clone, Default)]
struct Scored {
    /// The most likely candidate.
    best: Option<Scored1>,
    /// The largest `bits` of the candidates, and the sums over all of them
    /// of `2^(bits − top)`, and of the same for those a same-name relative
    /// could stand in for.
    top: f64,
    sum: f64,
    /// Per kind of relative ([`FAMILY`]), then for the two same-name
    /// kinds again when the row gives a year the registry lacks.
    relatives: [f64; FAMILY + 2],
    /// Candidate pairs compared (aliases counted).
    compared: usize,
    /// A name key was left out for being shared by too many.
    capped: bool,
    /// The next most likely candidates after the best, most likely first.
    rivals: [Option<Scored1>; RIVALS],
}

/// How many candidates after the best a row keeps for the rival check.
const RIVALS: usize = 3;

/// Where the probability the best candidate lacks went: to nobody on the
/// registry, to other candidates, to same-name relatives.
#[derive(Debug, Clone, Copy, Default)]
struct Terms {
    nobody: f64,
    others: f64,
    relatives: f64,
}

/// `π` is kept inside these bounds: a list is never known to be wholly on
/// or off the registry.
const SHARE_MIN: f64 = 0.01;
const SHARE_MAX: f64 = 0.99;
const SHARE_ITERATIONS: usize = 500;
/// `ρ` before any evidence, and how many rows that prior is worth.
const RELATIVE_PRIOR: f64 = 0.01;
const RELATIVE_PRIOR_ROWS: f64 = 20.0;
/// How much more likely a same-name relative is when the row gives a
/// birth year the registry lacks: the row names someone of an age the
/// registry cannot check, which is how fathers and sons of the same name
/// reach a list; and the least share assumed then. At the floor, such a
/// row stays below a `match` at 0.98 on its name alone.
const UNVERIFIABLE_YEAR_RELATIVES: f64 = 3.0;
const UNVERIFIABLE_YEAR_FLOOR: f64 = 0.03;
/// The share of the rows that are a registry person that are instead a
/// relative, per entry of [`Scored::relatives`]: `ρ` for each kind, then
/// for the same-name kinds when the row gives a year the registry lacks.
fn relative_shares(rho: &[f64; FAMILY], floor: f64) -> [f64; FAMILY + 2] {
    let unverifiable = |r: f64| (r * UNVERIFIABLE_YEAR_RELATIVES).max(floor);
    [
        rho[0],
        rho[1],
        rho[SIBLING],
        unverifiable(rho[0]),
        unverifiable(rho[1]),
    ]
}

/// The most a match is taken to disagree on the province (`m` of
/// [`P_DIFFERENT`]): one list row in five, several times what lists do.
const MAX_M_PROVINCE_DIFFERENT: f64 = 0.2;

/// The most a match is taken to write another given name or another
/// second surname (`m` of [`G_DIFFERENT`] and of [`S_DIFFERENT`] for the
/// second surname): about one row in fifty, as the starting model has
/// for the first surname.
const MAX_M_NAME_DIFFERENT: f64 = 0.02;

/// The share of the population with a given first initial.
const INITIAL_SHARE: f64 = 0.08;
/// The share of a name part the registry has no frequency for.
const UNKNOWN_NAME_SHARE: f64 = 1e-4;
/// The prior of a name part's share in the population, and how many
/// persons it is worth (see [`frequencies`]): a population uses some
/// hundreds of given names and thousands of surnames.
const POPULATION_PRIOR_ROWS: f64 = 1_000.0;
const PRIOR_GIVEN_SHARE: f64 = 1.0 / 500.0;
const PRIOR_SURNAME_SHARE: f64 = 1.0 / 2_000.0;
const PRIOR_COMPOUND_SHARE: f64 = 1.0 / 5_000.0;
/// Birth years the adults of a population spread over, about evenly.
const BIRTH_YEARS: f64 = 60.0;

impl Matcher {
    /// Prepares the registry (in parallel).
    pub fn new(registry: &[RegistryEntry], settings: MatchSettings) -> Matcher {
        Matcher::build(registry, settings)
    }

    /// [`Matcher::new`] for a registry kept in any form (see [`Registry`]).
    pub fn build<R: Registry + ?Sized>(registry: &R, settings: MatchSettings) -> Matcher {
        let n = registry.len();
        // Each alias is one more form of its person's name, indexed and
        // compared like the name, and counted once.
        let aliases: Vec<(RegistryEntry, u32)> = (0..n)
            .flat_map(|i| {
                let e = registry.get(i);
                e.aliases
                    .iter()
                    .filter_map(move |a| alias_entry(e, a).map(|entry| (entry, i as u32)))
            })
            .collect();
        let (mut persons, texts): (Vec<Person>, Vec<Texts>) = (0..n)
            .into_par_iter()
            .map(|i| registry.get(i))
            .chain(aliases.par_iter().map(|(e, _)| e.as_ref()))
            .map_init(FieldCache::default, prepare_person)
            .unzip();
        for (i, p) in persons.iter_mut().enumerate() {
            p.owner = match i.checked_sub(n) {
                None => i as u32,
                Some(a) => aliases[a].1,
            };
        }
        let forms = (0..n)
            .map(|i| registry.get(i).province)
            .chain(aliases.iter().map(|(e, _)| e.province.as_str()));
        // Provinces are few: each gets a number, and each list row is
        // compared with each province once, not with each person. Each
        // way of writing a province is folded once.
        let mut provinces: Vec<String> = vec![String::new()];
        let mut by_key: FastMap<String, u32> = FastMap::default();
        let mut by_text: FastMap<&str, u32> = FastMap::default();
        for (person, text) in persons.iter_mut().zip(forms) {
            if text.is_empty() {
                continue;
            }
            person.province = match by_text.get(text) {
                Some(&id) => id,
                None => {
                    let key = province_key(text);
                    let id = if key.is_empty() {
                        0
                    } else {
                        let next = provinces.len() as u32;
                        *by_key.entry(key.clone()).or_insert_with(|| {
                            provinces.push(key);
                            next
                        })
                    };
                    by_text.insert(text, id);
                    id
                }
            };
        }
        let mut shares: Vec<Shares> = (0..n)
            .map(|i| registry.get(i).country)
            .chain(aliases.iter().map(|(e, _)| e.country.as_str()))
            .map(|country| Shares {
                population: settings.population.unwrap_or_else(|| population(country)),
                ..Shares::default()
            })
            .collect();
        frequencies(&mut persons, &mut shares);
        let mut province_share = vec![0.0; provinces.len()];
        for p in &persons[..n] {
            province_share[p.province as usize] += 1.0;
        }
        let known: f64 = province_share.iter().skip(1).sum::<f64>().max(1.0);
        for share in &mut province_share {
            *share /= known;
        }
        let mut sex_counts: FastMap<u64, [f64; 2]> = FastMap::default();
        for p in &persons[..n] {
            if let (Some(g), 1..=2) = (p.given().first(), p.sex) {
                if !g.initial {
                    sex_counts.entry(g.h).or_default()[usize::from(p.sex - 1)] += 1.0;
                }
            }
        }
        let given_sex: FastMap<u64, u8> = sex_counts
            .into_iter()
            .filter_map(|(h, [m, f])| {
                let n = m + f;
                if n < SEX_MIN_COUNT {
                    None
                } else if m / n >= SEX_MIN_SHARE {
                    Some((h, SEX_M))
                } else if f / n >= SEX_MIN_SHARE {
                    Some((h, SEX_F))
                } else {
                    None
                }
            })
            .collect();
        let mut held: Vec<f64> = persons[..n].iter().map(|p| p.held_bits().exp2()).collect();
        held.sort_by(f64::total_cmp);
        let log_weight_total = held.iter().sum::<f64>().max(1.0).log2();
        // Stored in the order of their names, so that the candidates of a
        // row, who share its surnames, lie near each other in memory and
        // are read together (in the registry's order they are a cache miss
        // each). Every figure above is independent of this order, and the
        // registry's order is kept where it decides anything: candidates
        // are ranked by it (see [`Matcher::candidates`]).
        let (persons, texts, shares, slot) = by_name(persons, texts, shares, n);
        let (postings, ranges) = build_index(&persons, &texts);
        let given_seen: FastSet<u64> = persons
            .iter()
            .flat_map(|p| p.given().iter().filter(|g| !g.initial).map(|g| g.h))
            .collect();
        let surname_seen: FastSet<u64> = persons
            .iter()
            .flat_map(|p| p.s1.iter().chain(p.s2.iter()).map(|s| s.h))
            .collect();
        let mut matcher = Matcher {
            sample_rows: Vec::new(),
            persons,
            texts,
            shares,
            slot,
            registry_len: n,
            ids: Ids::new((0..n).map(|i| registry.get(i).id)),
            postings,
            ranges,
            provinces,
            given_seen,
            surname_seen,
            given_sex,
            province_share,
            log_weight_total,
            has_aliases: !aliases.is_empty(),
            settings,
        };
        let step = (n / U_SAMPLE_PERSONS).max(1);
        let sample: Vec<(usize, RegistryRef<'_>)> =
            (0..n).step_by(step).map(|i| (i, registry.get(i))).collect();
        matcher.sample_rows = sample
            .into_par_iter()
            .map(|(i, e)| {
                let entry = ListEntry {
                    row_id: String::new(),
                    full_name: format!("{} {}, {}", e.surname1, e.surname2, e.given_names),
                    birth_year: year_range(e.birth_date).map(|(lo, _)| lo),
                    province: e.province.to_owned(),
                };
                (matcher.prepare_row(&entry), i)
            })
            .filter(|(row, _)| !row.readings.is_empty())
            .collect();
        matcher
    }

    /// The place in the registry of the person or alias at `form` in
    /// `persons`: aliases count after every person, in order.
    fn registry_place(&self, form: usize) -> usize {
        if form < self.registry_len {
            self.persons[form].owner as usize
        } else {
            form
        }
    }

    /// The id of a registry person.
    pub fn id(&self, person: usize) -> &str {
        self.ids.get(person)
    }

    /// The persons filed under a key, in order.
    fn posting(&self, key: u64) -> &[u32] {
        match self.ranges[index_part(key)].get(&key) {
            Some(&(start, len)) => {
                let (start, len) = (start as usize, len as usize);
                self.postings.get(start..start + len).unwrap_or(&[])
            }
            None => &[],
        }
    }

    /// Registry persons sharing a pair of name keys with the row. When
    /// some share three or more, those sharing two fewer than the best are
    /// left out: they lack at least one name the others have.
    /// Also says whether a key was left out for being shared by too many.
    fn candidates(&self, row: &Row) -> (Vec<Candidate>, bool) {
        // Each posting is sorted by person: merge them rather than sort
        // their concatenation (postings of common names run to thousands).
        let mut found: Vec<(&[u32], u8)> = Vec::new();
        let mut capped = false;
        for (i, a) in row.keys.iter().enumerate() {
            for b in &row.keys[i + 1..] {
                let key = pair_key(*a, *b);
                for (kind, salt) in SALT[..2].iter().enumerate() {
                    let posting = self.posting(key ^ salt);
                    if posting.len() > self.settings.max_posting {
                        capped = true;
                    } else if !posting.is_empty() {
                        found.push((posting, 1u8 << kind));
                    }
                }
            }
        }
        for a in &row.keys {
            for i in &row.initials {
                let posting = self.posting(pair_key(*a, *i) ^ SALT[2]);
                if !posting.is_empty() && posting.len() <= self.settings.max_posting {
                    found.push((posting, BY_SURNAME_AND_GIVEN));
                }
            }
        }
        // The typo keys, only when the name's own keys found nobody; a
        // name too common to look up (capped) is not a typo.
        if found.is_empty() && !capped {
            for &key in &row.fallback {
                let posting = self.posting(key);
                if !posting.is_empty() && posting.len() <= self.settings.max_posting {
                    found.push((posting, BY_SURNAME_AND_GIVEN));
                }
            }
        }
        let mut heads: std::collections::BinaryHeap<std::cmp::Reverse<(u32, usize)>> = found
            .iter()
            .enumerate()
            .filter_map(|(i, (list, _))| list.first().map(|p| std::cmp::Reverse((*p, i))))
            .collect();
        let mut next = vec![1usize; found.len()];
        let mut out: Vec<Candidate> = Vec::new();
        while let Some(std::cmp::Reverse((person, i))) = heads.pop() {
            let (list, kind) = found[i];
            if let Some(p) = list.get(next[i]) {
                heads.push(std::cmp::Reverse((*p, i)));
                next[i] += 1;
            }
            match out.last_mut() {
                Some(c) if c.person == person => {
                    c.kinds |= kind;
                    c.hits += 1;
                }
                _ => out.push(Candidate {
                    person,
                    kinds: kind,
                    hits: 1,
                    place: 0,
                }),
            }
        }
        // Every candidate's record is read next (below and when scoring),
        // each at a random place in a large array: reading them all here
        // first lets the processor fetch them side by side, rather than
        // wait for one after the other.
        for c in &mut out {
            let i = c.person as usize;
            std::hint::black_box((self.persons[i].clone(), self.texts[i].len()));
            c.place = self.registry_place(i) as u32;
        }
        // In the registry's order, as everything that follows expects:
        // the first of equals stays ahead.
        out.sort_unstable_by_key(|c| c.place);
        let best = out.iter().map(|c| c.hits).max().unwrap_or(0);
        if best >= 3 {
            // A record with fewer name parts (no second surname, one given
            // name) shares fewer keys for lack of data, not for another
            // name: it stays, so it can compete.
            out.retain(|c| {
                let p = &self.persons[c.person as usize];
                c.hits + 1 >= best || p.s2.is_none() || usize::from(p.n_given) < row.given_written
            });
        }
        (out, capped)
    }

    /// The best reading of a row for a person, under a model.
    fn best(&self, weights: &Weights, row: &Row, person: usize) -> (Pattern, f64) {
        let (pat, w, _) = self.best_reading(weights, row, person);
        (pat, w)
    }

    /// [`Matcher::best`], with the index of the reading.
    fn best_reading(&self, weights: &Weights, row: &Row, person: usize) -> (Pattern, f64, usize) {
        let p = &self.persons[person];
        let texts = &self.texts[person];
        let mut best = (Pattern::default(), f64::NEG_INFINITY, 0);
        let context = context_pattern(row, p);
        for (i, reading) in row.readings.iter().enumerate() {
            if reading.fallback && best.1 > f64::NEG_INFINITY && fits(best.0) {
                break;
            }
            let pat = name_pattern(reading, p, texts, context);
            let w = self.weight(weights, pat, reading, p);
            if w > best.1 {
                best = (pat, w, i);
            }
        }
        best
    }

    /// The field weights of a pattern, with term-frequency adjustment of
    /// exact agreement on names: agreeing on "García" means less than
    /// agreeing on "Keilylli".
    fn field_weights(&self, w: &Weights, pat: Pattern, reading: &Reading, p: &Person) -> [f64; 5] {
        let mut out = [0.0; 5];
        for (f, slot) in out.iter_mut().enumerate() {
            *slot = w.table[f][pat.level(f) as usize];
        }
        if pat.level(GIVEN) == G_EXACT {
            out[GIVEN] = w.adjusted(GIVEN, p.tf_bits[0], out[GIVEN]);
        }
        if pat.level(SURNAME1) == S_EXACT {
            out[SURNAME1] = w.adjusted(SURNAME1, p.tf_bits[1], out[SURNAME1]);
        }
        if pat.level(SURNAME2) == S_EXACT && reading.surnames.len() >= 2 {
            out[SURNAME2] = w.adjusted(SURNAME2, p.tf_bits[2], out[SURNAME2]);
        }
        // Only an initial for the first given name: about one person in
        // twelve shares it, whatever EM learnt from rows that rarely write
        // initials.
        if pat.level(FLAGS) & F_FIRST_INITIAL != 0 {
            out[GIVEN] = out[GIVEN].min(-INITIAL_SHARE.log2());
        }
        out
    }

    fn weight(&self, w: &Weights, pat: Pattern, reading: &Reading, p: &Person) -> f64 {
        w.prior + self.field_weights(w, pat, reading, p).iter().sum::<f64>() + flag_bits(pat)
    }

    /// The starting model: `u` from random (row, person) pairs, `m` from
    /// what official lists do to names.
    fn initial_model(&self) -> Model {
        let mut m: Vec<Vec<f64>> = vec![
            vec![0.0, 0.55, 0.08, 0.12, 0.1, 0.05, 0.02, 0.01],
            vec![0.0, 0.85, 0.07, 0.06, 0.02],
            vec![0.0, 0.85, 0.07, 0.06, 0.02],
            vec![0.0, 0.8, 0.15, 0.03, 0.015, 0.005],
            vec![0.0, 0.9, 0.1],
        ];
        for row in &mut m {
            model::normalise(row);
        }
        // `u` is what two different persons share by chance: measured on
        // pairs of registry persons (one written as a list would write
        // it), not on the list, which names registry persons on purpose.
        // A prior of 50 pseudo-pairs keeps a tiny registry sensible.
        let mut counts: Vec<Vec<f64>> = DEFAULT_U
            .iter()
            .map(|row| row.iter().map(|u| u * 50.0).collect())
            .collect();
        let rows = &self.sample_rows;
        if !rows.is_empty() && self.persons.len() >= 2 {
            let mut state = 0xC0FF_EE00_u64;
            let sample: Vec<(usize, usize)> = (0..self.settings.u_sample_pairs)
                .filter_map(|_| {
                    let r = (crate::link::splitmix(&mut state) % rows.len() as u64) as usize;
                    let p =
                        (crate::link::splitmix(&mut state) % self.persons.len() as u64) as usize;
                    (rows[r].1 != p).then_some((r, p))
                })
                .collect();
            let prior = Model {
                lambda: 0.5,
                m: m.clone(),
                u: LEVELS.iter().map(|&n| vec![1.0 / n as f64; n]).collect(),
                iterations: 0,
            };
            let prior_weights = Weights::new(&prior);
            let patterns: Vec<Pattern> = sample
                .par_iter()
                .map(|&(r, p)| {
                    let form = self.slot.get(p).map_or(p, |&s| s as usize);
                    self.best(&prior_weights, &rows[r].0, form).0
                })
                .collect();
            for pat in patterns {
                for (f, c) in counts.iter_mut().enumerate() {
                    c[pat.level(f) as usize] += 1.0;
                }
            }
        }
        for c in &mut counts {
            model::normalise(c);
        }
        Model {
            lambda: 0.3,
            m,
            u: counts,
            iterations: 0,
        }
    }

    /// Matches a whole list.
    fn prepare_row(&self, e: &ListEntry) -> Row {
        let mut row = prepare_row(e);
        if !row.province.is_empty() {
            row.province_levels = self.province_levels(&row.province);
        }
        self.mark_real(&mut row);
        row
    }

    /// Marks the list tokens that are real names, and the usual sex of
    /// each reading's first given name.
    fn mark_real(&self, row: &mut Row) {
        for reading in &mut row.readings {
            reading.sex = reading
                .given
                .first()
                .filter(|g| !g.initial)
                .and_then(|g| self.given_sex.get(&g.h).copied())
                .unwrap_or(0);
            for g in &mut reading.given {
                g.real = hispanic::is_known_given(&g.text) || self.given_seen.contains(&g.h);
            }
            for s in &mut reading.surnames {
                s.real = self.surname_seen.contains(&s.h);
            }
        }
    }

    /// The level of a list's province against each registry province.
    fn province_levels(&self, province: &str) -> std::sync::Arc<[u8]> {
        self.provinces
            .iter()
            .enumerate()
            .map(|(i, p)| {
                if i == 0 {
                    0
                } else if same_province(province, p) {
                    P_SAME
                } else {
                    P_DIFFERENT
                }
            })
            .collect()
    }

    /// Matches a whole list.
    pub fn match_list(&self, list: &[ListEntry]) -> MatchOutcome {
        let mut rows: Vec<Row> = list.par_iter().map(prepare_row).collect();
        // Lists name few provinces, each many times: compare each once.
        let mut levels: HashMap<&str, std::sync::Arc<[u8]>> = HashMap::new();
        for row in &mut rows {
            if row.province.is_empty() {
                continue;
            }
            let shared = levels
                .entry(row.province.as_str())
                .or_insert_with(|| self.province_levels(&row.province))
                .clone();
            row.province_levels = shared;
        }
        rows.par_iter_mut().for_each(|row| self.mark_real(row));
        let mut model = self.initial_model();
        // Train on the candidates of an evenly spread sample of rows:
        // `m` of the fields the candidates were not selected on, per kind
        // of key (pairs found by both surnames say nothing about how
        // often matches agree on surnames), then `lambda`.
        let step = (rows.len() / self.settings.training_rows.max(1)).max(1);
        let start = model.clone();
        let start_weights = Weights::new(&start);
        let sample: Vec<&Row> = rows.iter().step_by(step).collect();
        let patterns: Vec<(Pattern, u8)> = sample
            .par_iter()
            .flat_map_iter(|row| {
                self.candidates(row)
                    .0
                    .into_iter()
                    .map(|c| (self.best(&start_weights, row, c.person as usize).0, c.kinds))
                    .collect::<Vec<_>>()
            })
            .collect();
        // In a session, the fields the pairs were selected on are left
        // out of the likelihood altogether (as if missing): every pair
        // agrees on them by construction.
        let count = |kinds: u8, used: [bool; 5]| {
            let mut counted: HashMap<Pattern, u64> = HashMap::new();
            for &(p, k) in &patterns {
                if k & kinds != 0 {
                    let p = (0..5).filter(|&f| !used[f]).fold(p, |p, f| p.with(f, 0));
                    *counted.entry(p).or_default() += 1;
                }
            }
            let mut counted: Vec<(Pattern, u64)> = counted.into_iter().collect();
            counted.sort_unstable();
            counted
        };
        let sessions: [(u8, [bool; 5]); 2] = [
            (BY_SURNAMES, [true, false, false, true, true]),
            (BY_SURNAME_AND_GIVEN, [false, false, true, true, true]),
        ];
        let mut sums: Vec<Vec<f64>> = LEVELS.iter().map(|&n| vec![0.0; n]).collect();
        let mut n = [0usize; 5];
        for (kinds, update) in sessions {
            let mut session = model.clone();
            session.fit_some(&count(kinds, update), &update, false, 200);
            for f in (0..5).filter(|&f| update[f]) {
                for (s, m) in sums[f].iter_mut().zip(&session.m[f]) {
                    *s += m;
                }
                n[f] += 1;
            }
            model.iterations += session.iterations;
        }
        for f in 0..5 {
            if n[f] > 0 {
                model.m[f] = sums[f].iter().map(|s| s / n[f] as f64).collect();
                model::normalise(&mut model.m[f]);
            }
        }
        // EM sees namesakes, and fathers and sons who share a whole name,
        // agree on everything but one field, and takes many of them for
        // matches: left alone it makes a match disagree on that field far
        // more often than lists do. Such disagreements are kept as strong
        // evidence against:
        // - the same person cannot be born a generation apart, and rarely
        //   four years or more;
        // - a list gives another province for a few people in a hundred
        //   (a move, a clerk's slip), where EM can make it nearly one in
        //   two: then a namesake in another province takes a share from
        //   the person in the row's own;
        // - another given name or another second surname for the same
        //   person is a slip of the same order as another first surname,
        //   which the starting model holds at MAX_M_NAME_DIFFERENT and EM
        //   does not refit (see `sessions`).
        model::cap(
            &mut model.m[YEAR],
            &[(Y_FAR.into(), 0.01), (Y_GENERATION.into(), 0.001)],
        );
        model::cap(
            &mut model.m[PROVINCE],
            &[(P_DIFFERENT.into(), MAX_M_PROVINCE_DIFFERENT)],
        );
        model::cap(
            &mut model.m[GIVEN],
            &[(G_DIFFERENT.into(), MAX_M_NAME_DIFFERENT)],
        );
        model::cap(
            &mut model.m[SURNAME2],
            &[(S_DIFFERENT.into(), MAX_M_NAME_DIFFERENT)],
        );
        let iterations = model.iterations;
        model.fit_some(
            &count(BY_SURNAMES | BY_SURNAME_AND_GIVEN, [true; 5]),
            &[false; 5],
            false,
            200,
        );
        model.iterations += iterations;
        if patterns.len() < self.settings.min_training_pairs || !plausible(&model) {
            // Too few pairs to learn from, or EM found some other split of
            // the pairs (no true matches at all?): the starting model is
            // safer.
            model = start;
        }
        let weights = Weights::new(&model);
        let scored: Vec<Scored> = rows
            .par_iter()
            .map(|row| self.score_row(&weights, row))
            .collect();
        let (context, estimated) = self.list_context(&scored);
        let ListContext {
            on_registry_share,
            relative_share,
        } = context;
        let candidates = scored.iter().map(|s| s.compared).sum();
        let mut results: Vec<MatchResult> = rows
            .par_iter()
            .zip(&scored)
            .map(|(row, s)| self.decide(&context, &weights, row, s).0)
            .collect();
        // Two rows cannot both be the same person: keep the stronger
        // `match`, send the others to review.
        let mut by_person: HashMap<usize, usize> = HashMap::new();
        for i in 0..results.len() {
            let r = &results[i];
            if r.decision != Decision::Match {
                continue;
            }
            let Some(p) = r.person else { continue };
            match by_person.get(&p) {
                Some(&j) if results[j].probability >= r.probability => {
                    results[i].decision = Decision::Review;
                    results[i].reason = Reason::SamePersonTwice;
                }
                Some(&j) => {
                    results[j].decision = Decision::Review;
                    results[j].reason = Reason::SamePersonTwice;
                    by_person.insert(p, i);
                }
                None => {
                    by_person.insert(p, i);
                }
            }
        }
        MatchOutcome {
            results,
            model,
            candidates,
            on_registry_share,
            share_estimated: estimated,
            relative_share,
        }
    }

    /// One candidate, scored.
    fn scored1(&self, weights: &Weights, row: &Row, form: usize) -> Scored1 {
        let (pattern, w, reading) = self.best_reading(weights, row, form);
        let p = &self.persons[form];
        Scored1 {
            person: p.owner as usize,
            form,
            pattern,
            reading,
            weight: w - weights.prior,
            bits: w - weights.prior + p.held_bits(),
        }
    }

    /// Every candidate of a row with its best reading and weight (the
    /// prior left out), one per registry person (the best of the person's
    /// name and aliases), most likely first; with the pairs compared and
    /// whether a name key was too common to use.
    fn ranked(&self, weights: &Weights, row: &Row) -> (Vec<Scored1>, usize, bool) {
        if row.readings.is_empty() {
            return (Vec::new(), 0, false);
        }
        let (found, capped) = self.candidates(row);
        let mut candidates: Vec<Scored1> = found
            .iter()
            .map(|c| self.scored1(weights, row, c.person as usize))
            .collect();
        candidates.sort_by(|a, b| {
            b.bits
                .total_cmp(&a.bits)
                .then(a.person.cmp(&b.person))
                .then(a.form.cmp(&b.form))
        });
        let mut seen = std::collections::HashSet::new();
        candidates.retain(|c| seen.insert(c.person));
        (candidates, found.len(), capped)
    }

    /// A row's candidates, reduced to what deciding needs: the most
    /// likely, and the sums of all candidates' terms (see [`Scored`]).
    fn score_row(&self, weights: &Weights, row: &Row) -> Scored {
        let mut out = Scored {
            top: f64::NEG_INFINITY,
            ..Scored::default()
        };
        if row.readings.is_empty() {
            return out;
        }
        let year_given = row.year.is_some();
        let mut add = |c: Scored1| {
            let mut rel = [0.0; FAMILY + 2];
            if let Some((class, ratio)) = Self::family(weights, c.pattern) {
                // A year the registry lacks: the row names someone of a
                // given age that the registry cannot check, which is how
                // fathers and sons of the same name reach a list.
                let unverifiable = year_given && c.pattern.level(YEAR) == 0 && class != SIBLING;
                rel[if unverifiable { FAMILY + class } else { class }] = ratio;
            }
            if c.bits > out.top {
                let scale = (out.top - c.bits).exp2();
                out.sum = out.sum * scale + 1.0;
                for (r, x) in out.relatives.iter_mut().zip(rel) {
                    *r = *r * scale + x;
                }
                out.top = c.bits;
            } else {
                let term = (c.bits - out.top).exp2();
                out.sum += term;
                for (r, x) in out.relatives.iter_mut().zip(rel) {
                    *r += x * term;
                }
            }
            // Candidates come by person index: the first of equals stays
            // ahead.
            let mut c = Some(c);
            for slot in std::iter::once(&mut out.best).chain(out.rivals.iter_mut()) {
                match (slot.as_ref(), c) {
                    (_, None) => break,
                    (None, _) => {
                        *slot = c;
                        break;
                    }
                    (Some(held), Some(new)) if new.bits > held.bits => {
                        c = slot.replace(new);
                    }
                    _ => {}
                }
            }
        };
        if self.has_aliases {
            // A person and their aliases are one candidate: the best form.
            let (candidates, compared, capped) = self.ranked(weights, row);
            candidates.into_iter().for_each(&mut add);
            out.compared = compared;
            out.capped = capped;
        } else {
            let (found, capped) = self.candidates(row);
            for c in &found {
                add(self.scored1(weights, row, c.person as usize));
            }
            out.compared = found.len();
            out.capped = capped;
        }
        out
    }

    /// How the row's name agrees with the person's, as far as a relative
    /// could share it: 0 the whole name (both surnames), 1 the given
    /// names and first surname, the second not compared (fathers and sons
    /// share these more often); `None` for neither.
    fn name_class(pat: Pattern) -> Option<usize> {
        if !matches!(pat.level(GIVEN), G_EXACT | G_VARIANT | G_PARTIAL)
            || !matches!(pat.level(SURNAME1), S_EXACT | S_PHONETIC)
        {
            return None;
        }
        match pat.level(SURNAME2) {
            S_EXACT | S_PHONETIC => Some(0),
            0 => Some(1),
            _ => None,
        }
    }

    /// Whether a relative of the person could be the row, of which kind,
    /// and how much better than the person the relative explains what
    /// the row says (the likelihood ratio, relative over person):
    ///
    /// - 0, 1 (a parent or child with the same name, [`Matcher::name_class`]):
    ///   as well as the person while the birth year cannot be compared;
    ///   far better when the years are a generation apart (the person's
    ///   weight for that gap is undone);
    /// - 2 (a brother or sister): both surnames agree and the given names
    ///   differ, or the row gives only an initial; the given-name and
    ///   birth-year weights are undone.
    fn family(weights: &Weights, pat: Pattern) -> Option<(usize, f64)> {
        let year = pat.level(YEAR);
        let year_bits = if year == 0 {
            0.0
        } else {
            weights.table[YEAR][year as usize]
        };
        if let Some(class) = Self::name_class(pat) {
            return match year {
                0 => Some((class, 1.0)),
                Y_GENERATION => Some((class, (-year_bits).exp2())),
                _ => None,
            };
        }
        let strong = |f: usize| matches!(pat.level(f), S_EXACT | S_PHONETIC);
        let initial_only = pat.level(FLAGS) & F_FIRST_INITIAL != 0;
        if (pat.level(GIVEN) == G_DIFFERENT || initial_only) && strong(SURNAME1) && strong(SURNAME2)
        {
            let given_bits = weights.table[GIVEN][pat.level(GIVEN) as usize];
            return Some((SIBLING, (-given_bits - year_bits).exp2()));
        }
        None
    }

    /// `π` and `ρ` together, by EM on the list (see [`Matcher::share_em`]),
    /// or `ρ` alone when `π` is given.
    fn list_context(&self, scored: &[Scored]) -> (ListContext, bool) {
        let given = self
            .settings
            .on_registry_share
            .map(|s| s.clamp(SHARE_MIN, SHARE_MAX));
        let (pi, rho) = self.share_em(scored, given);
        (
            ListContext {
                on_registry_share: pi,
                relative_share: rho,
            },
            given.is_none(),
        )
    }

    /// The terms of a row under a share `π`, scaled so the largest is at
    /// most 1: (nobody on the registry, the best candidate, the other
    /// candidates, same-name relatives).
    fn terms(&self, context: &ListContext, s: &Scored) -> (f64, f64, f64, f64) {
        let (nobody, first, others, relatives) = self.terms_with(
            context,
            s,
            relative_shares(
                &context.relative_share,
                self.settings.unverifiable_year_floor,
            ),
        );
        (nobody, first, others, relatives.iter().sum())
    }

    /// [`Matcher::terms`] with the shares of each kind of relative given
    /// as they apply (see [`relative_shares`]), and the relatives' term
    /// per entry of [`Scored::relatives`].
    fn terms_with(
        &self,
        context: &ListContext,
        s: &Scored,
        shares: [f64; FAMILY + 2],
    ) -> (f64, f64, f64, [f64; FAMILY + 2]) {
        let Some(best) = s.best else {
            return (1.0, 0.0, 0.0, [0.0; FAMILY + 2]);
        };
        let pi = context.on_registry_share;
        let lp = (pi / (1.0 - pi)).log2() - self.log_weight_total;
        let x = s.top + lp;
        let scale = x.max(0.0);
        let all = s.sum * (x - scale).exp2();
        let first = (best.bits + lp - scale).exp2();
        let e = (x - scale).exp2();
        let relatives = std::array::from_fn(|k| s.relatives[k] * shares[k] * e);
        ((-scale).exp2(), first, (all - first).max(0.0), relatives)
    }

    /// `π` (unless given) and `ρ` by EM, to a fixed point:
    ///
    /// - `π` is the mean of the rows' probabilities of naming someone on
    ///   the registry, with a prior worth two rows at one half. Rows too
    ///   common to look up say nothing and are left out.
    /// - `ρ`, per kind of relative, is the expected number of rows that
    ///   are a relative of a registry person, per row that is that person:
    ///   for parents and children of the same name, counted on the rows
    ///   whose birth year is known on both sides (a generation apart
    ///   against the same year; it then applies to the rows whose year
    ///   cannot be compared, as relatives are as likely to lack a year as
    ///   anyone); for brothers and sisters, on the rows that share both
    ///   surnames (another given name against the same). Each such row
    ///   counts by its probability of being a relative rather than
    ///   somebody else who happens to share the name: "López García"
    ///   under another given name is most often a stranger, "Oquendo
    ///   Tamargo" a brother. A prior of one in a hundred is worth 20 rows.
    fn share_em(&self, scored: &[Scored], given: Option<f64>) -> (f64, [f64; FAMILY]) {
        /// A row's terms at `π` = 1/2 and every `ρ` = 1 (other values
        /// scale them), and what the row can say about each `ρ`.
        struct Sums {
            nobody: f64,
            on: f64,
            first: f64,
            relatives: [f64; FAMILY + 2],
            /// Per kind: whether the row's best candidate could have a
            /// relative of that kind the row names instead, and the row
            /// shows which (the year compared, or the given names).
            informs: [bool; FAMILY],
            /// Per kind: whether the row, when it is the best candidate,
            /// counts as that person named under the name of the kind.
            named: [bool; FAMILY],
        }
        let unit = ListContext {
            on_registry_share: 0.5,
            relative_share: [1.0; FAMILY],
        };
        let sums: Vec<Sums> = scored
            .par_iter()
            .filter(|s| !(s.capped && s.best.is_none()))
            .map(|s| {
                let (nobody, first, others, relatives) =
                    self.terms_with(&unit, s, [1.0; FAMILY + 2]);
                let mut informs = [false; FAMILY];
                let mut named = [false; FAMILY];
                if let Some(best) = s.best {
                    let pat = best.pattern;
                    if let Some(class) = Self::name_class(pat) {
                        let comparable = matches!(pat.level(YEAR), Y_EXACT | Y_ONE | Y_GENERATION);
                        informs[class] = comparable;
                        named[class] = comparable;
                    }
                    let strong = |f: usize| matches!(pat.level(f), S_EXACT | S_PHONETIC);
                    if strong(SURNAME1) && strong(SURNAME2) {
                        informs[SIBLING] = true;
                        named[SIBLING] = matches!(pat.level(GIVEN), G_EXACT | G_VARIANT);
                    }
                }
                Sums {
                    nobody,
                    on: first + others,
                    first,
                    relatives,
                    informs,
                    named,
                }
            })
            .collect();
        let mut pi = given.unwrap_or(0.5);
        let mut rho = [RELATIVE_PRIOR; FAMILY];
        for _ in 0..SHARE_ITERATIONS {
            let o = pi / (1.0 - pi);
            let shares = relative_shares(&rho, self.settings.unverifiable_year_floor);
            let mut on = 0.0;
            let mut num = [0.0; FAMILY];
            let mut den = [0.0; FAMILY];
            for s in &sums {
                let rel: [f64; FAMILY + 2] = std::array::from_fn(|k| s.relatives[k] * shares[k]);
                let total = s.nobody + o * (s.on + rel.iter().sum::<f64>());
                if total <= 0.0 {
                    continue;
                }
                on += o * s.on / total;
                for k in 0..FAMILY {
                    if s.informs[k] {
                        num[k] += o * rel[k] / total;
                    }
                    if s.named[k] {
                        den[k] += o * s.first / total;
                    }
                }
            }
            let next_pi = given.unwrap_or_else(|| {
                ((on + 1.0) / (sums.len() as f64 + 2.0)).clamp(SHARE_MIN, SHARE_MAX)
            });
            let next_rho: [f64; FAMILY] = std::array::from_fn(|k| {
                ((num[k] + RELATIVE_PRIOR * RELATIVE_PRIOR_ROWS) / (den[k] + RELATIVE_PRIOR_ROWS))
                    .clamp(0.0, 1.0)
            });
            let done = (next_pi - pi).abs() < 1e-7
                && next_rho.iter().zip(&rho).all(|(a, b)| (a - b).abs() < 1e-7);
            pi = next_pi;
            rho = next_rho;
            if done {
                break;
            }
        }
        (pi, rho)
    }

    fn decide(
        &self,
        context: &ListContext,
        weights: &Weights,
        row: &Row,
        s: &Scored,
    ) -> (MatchResult, Terms) {
        let none = |reason| MatchResult {
            person: None,
            probability: 0.0,
            decision: Decision::None,
            reason,
        };
        if row.readings.is_empty() {
            return (none(Reason::NoName), Terms::default());
        }
        let Some(best) = s.best else {
            if s.capped {
                // "José García" in a registry of a million: hundreds fit
                // and nothing else in the row tells them apart. That is
                // not "nobody", it is a question for a person.
                return (
                    MatchResult {
                        decision: Decision::Review,
                        ..none(Reason::TooCommon)
                    },
                    Terms::default(),
                );
            }
            return (none(Reason::NoCandidate), Terms::default());
        };
        let (nobody, first, others, relatives) = self.terms(context, s);
        let total = nobody + first + others + relatives;
        let probability = first / total;
        let terms = Terms {
            nobody: nobody / total,
            others: others / total,
            relatives: relatives / total,
        };
        let anyone = (first + others) / total;
        let st = &self.settings;
        // A row that names the person in all but the province is a
        // question for a person, not "nobody": the reviewer sees who it
        // may be, as for any other contradiction.
        let province_only = || {
            best.pattern.level(PROVINCE) == P_DIFFERENT
                && conflict(best.pattern, st) == Some(Reason::ProvinceContradicts)
                && {
                    let first = first * (-weights.table[PROVINCE][P_DIFFERENT as usize]).exp2();
                    (first + others) / (nobody + first + others + relatives)
                        >= st.review_probability
                }
        };
        if anyone < st.review_probability && !province_only() {
            return (
                MatchResult {
                    probability,
                    ..none(Reason::Unlikely)
                },
                terms,
            );
        }
        let result = |decision, reason| MatchResult {
            person: Some(best.person),
            probability,
            decision,
            reason,
        };
        if let Some(reason) = conflict(best.pattern, st) {
            return (result(Decision::Review, reason), terms);
        }
        if s.rivals
            .iter()
            .flatten()
            .any(|k| self.rival_lacks_data(&best, k))
        {
            return (result(Decision::Review, Reason::AnotherFits), terms);
        }
        if let Some(reason) = self.uncorroborated(row, &best) {
            return (result(Decision::Review, reason), terms);
        }
        if probability < st.match_probability {
            let reason = if terms.others >= terms.nobody && terms.others >= terms.relatives {
                Reason::SeveralFit
            } else if terms.relatives >= terms.nobody {
                Reason::RelativePossible
            } else {
                Reason::OffRegistryLikely
            };
            return (result(Decision::Review, reason), terms);
        }
        (result(Decision::Match, Reason::OneClearCandidate), terms)
    }

    /// Whether `rival` fits everything the row and `best` agree on, and is
    /// less likely only because the registry lacks some of its data (no
    /// second surname, no birth year, no province): a duplicate record,
    /// or a namesake that only the missing data would tell apart. Missing
    /// corroboration is not corroboration.
    fn rival_lacks_data(&self, best: &Scored1, rival: &Scored1) -> bool {
        // Under another reading of the row (a surname read as a given
        // name), the rival does not fit what the best fits: it is weighed
        // as any other candidate.
        if rival.person == best.person
            || rival.reading != best.reading
            || conflict(rival.pattern, &self.settings).is_some()
        {
            return false;
        }
        let mut lacks = false;
        let fewer_given = self.persons[rival.form].n_given < self.persons[best.form].n_given;
        for f in [GIVEN, SURNAME1, SURNAME2, YEAR, PROVINCE] {
            let (b, r) = (best.pattern.level(f), rival.pattern.level(f));
            if r == b {
                continue;
            }
            // The registry knows fewer of the rival's given names.
            let partial = f == GIVEN && r == G_PARTIAL && fewer_given;
            if r == 0 || partial {
                lacks = true;
            } else {
                return false;
            }
        }
        lacks
    }

    /// How many people in the person's country are expected to share what
    /// the row and the person agree on, with the facts the row gives that
    /// the registry cannot check left out.
    fn population_namesakes(&self, row: &Row, c: &Scored1) -> f64 {
        let p = &self.persons[c.form];
        let sh = &self.shares[c.form];
        let pat = c.pattern;
        let reading = &row.readings[c.reading];
        let share = |tf: f64| if tf > 0.0 { tf } else { UNKNOWN_NAME_SHARE };
        let mut f = 1.0;
        if reading.given.first().is_some_and(|g| g.initial) {
            f *= INITIAL_SHARE;
        } else if matches!(pat.level(GIVEN), G_EXACT | G_VARIANT) {
            // Every given name the registry knows, written.
            f *= share(sh.given_all);
        } else if pat.level(GIVEN) != 0 {
            f *= share(sh.tf[0]);
        }
        if pat.level(SURNAME1) != 0 {
            f *= share(sh.tf[1]);
        }
        if matches!(pat.level(SURNAME2), S_EXACT | S_PHONETIC | S_FUZZY) {
            f *= share(sh.tf[2]);
        } else if pat.level(FLAGS2) & F2_SURNAME2_INITIAL != 0 {
            f *= INITIAL_SHARE;
        }
        f *= match pat.level(YEAR) {
            Y_EXACT => 1.0 / BIRTH_YEARS,
            Y_ONE => 3.0 / BIRTH_YEARS,
            _ => 1.0,
        };
        if pat.level(PROVINCE) == P_SAME {
            f *= self
                .province_share
                .get(p.province as usize)
                .copied()
                .unwrap_or(1.0);
        }
        sh.population * f
    }

    /// Whether a row that says less than the registry, or something the
    /// registry cannot check, fails to single the person out in the
    /// population on what was compared.
    fn uncorroborated(&self, row: &Row, c: &Scored1) -> Option<Reason> {
        let p = &self.persons[c.form];
        let pat = c.pattern;
        let reading = &row.readings[c.reading];
        let one_surname = reading.surnames.len() < 2 && p.s2.is_some();
        // One surname for a person with two: the namesakes who share the
        // given names and that surname include the person's own kin (a son
        // named after his father), whom a province does not tell apart;
        // only the birth year does.
        if one_surname && !matches!(pat.level(YEAR), Y_EXACT | Y_ONE) {
            return Some(Reason::PartialNameUncorroborated);
        }
        // "PÉREZ G.": the second surname is only an initial.
        let partial = matches!(pat.level(GIVEN), G_PARTIAL | G_INITIAL)
            || one_surname
            || pat.level(FLAGS2) & F2_SURNAME2_INITIAL != 0;
        // A second surname the registry lacks: data it cannot check, like
        // a year or a province it does not have.
        let s2_unknown = pat.level(FLAGS) & F_SECOND_SURNAME_UNKNOWN != 0;
        let unverifiable = (row.year.is_some() && p.years.is_none())
            || (!row.province.is_empty() && p.province == 0)
            || s2_unknown;
        if !(partial || unverifiable) {
            return None;
        }
        if self.population_namesakes(row, c) <= self.settings.max_population_namesakes {
            return None;
        }
        Some(if partial {
            Reason::PartialNameUncorroborated
        } else if s2_unknown {
            Reason::Surname2Unknown
        } else {
            Reason::Uncorroborated
        })
    }

    /// Explains the decision on one list entry, in the context of the
    /// list it came from (its model, `π` and `ρ`): the reading of the
    /// name, who else the row could be, the best candidates and every
    /// field's weight. Decided on its own: that another row names the
    /// same person is not considered.
    pub fn explain(&self, outcome: &MatchOutcome, entry: &ListEntry) -> Explanation {
        let row = self.prepare_row(entry);
        let mut text = String::new();
        let _ = writeln!(text, "row {}: {:?}", entry.row_id, entry.full_name);
        let weights = Weights::new(&outcome.model);
        let context = ListContext {
            on_registry_share: outcome.on_registry_share,
            relative_share: outcome.relative_share,
        };
        let scored = self.score_row(&weights, &row);
        let (result, terms) = self.decide(&context, &weights, &row, &scored);
        let _ = writeln!(
            text,
            "  decision: {} [{}] ({}), probability {:.6}",
            result.decision.as_str(),
            result.reason.code(),
            result.reason,
            result.probability
        );
        if row.readings.is_empty() {
            return Explanation { text };
        }
        let _ = writeln!(
            text,
            "  the list: {:.0}% on the registry ({}); relatives per registry person named: \
             {:.3} (whole name), {:.3} (given names and first surname), {:.3} (brothers and sisters)",
            100.0 * outcome.on_registry_share,
            if outcome.share_estimated {
                "estimated from the list"
            } else {
                "as given"
            },
            outcome.relative_share[0],
            outcome.relative_share[1],
            outcome.relative_share[SIBLING],
        );
        let _ = writeln!(
            text,
            "  the probability not given to the best: {:.6} somebody outside the registry, \
             {:.6} another candidate, {:.6} a same-name relative",
            terms.nobody, terms.others, terms.relatives
        );
        let _ = writeln!(
            text,
            "  prior per registry person {:+.2} bits (log2 of the share's odds over {:.0} persons)",
            (outcome.on_registry_share / (1.0 - outcome.on_registry_share)).log2()
                - self.log_weight_total,
            self.log_weight_total.exp2()
        );
        let (ranked, _, _) = self.ranked(&weights, &row);
        let _ = writeln!(text, "  {} candidates; the best:", ranked.len());
        for c in ranked.iter().take(5) {
            let p = &self.persons[c.form];
            let reading = &row.readings[c.reading];
            let fw = self.field_weights(&weights, c.pattern, reading, p);
            let _ = writeln!(
                text,
                "  - {}{} (weight {:+.2} bits), read as given {:?} surnames {:?}",
                self.ids.get(c.person),
                if self.registry_place(c.form) != c.person {
                    " (by an alias)"
                } else {
                    ""
                },
                c.weight,
                reading
                    .given
                    .iter()
                    .map(|t| t.text.as_str())
                    .collect::<Vec<_>>(),
                reading
                    .surnames
                    .iter()
                    .map(|t| t.text.as_str())
                    .collect::<Vec<_>>(),
            );
            for f in 0..FIELDS.len() {
                let _ = writeln!(
                    text,
                    "      {:<15} {:<45} {:+.2}",
                    FIELDS[f],
                    level_label(f, c.pattern.level(f)),
                    fw[f]
                );
            }
            if c.pattern.level(FLAGS) & F_SEX_CONTRADICTS != 0 {
                let _ = writeln!(
                    text,
                    "      {:<15} {:<45} {:+.2}",
                    "sex", "the given name is usually of the other sex", SEX_CONTRADICTION_BITS
                );
            }
            let generation = match c.pattern.level(GENERATION) {
                GEN_SAME => Some(("the same (Jr./hijo, Sr./padre)", GEN_SAME_BITS)),
                GEN_ONE_SIDE => Some(("written on one side only", GEN_ONE_SIDE_BITS)),
                GEN_DIFFERENT => Some(("son on one side, father on the other", GEN_DIFFERENT_BITS)),
                _ => None,
            };
            if let Some((label, bits)) = generation {
                let _ = writeln!(
                    text,
                    "      {:<15} {:<45} {:+.2}",
                    "generation", label, bits
                );
            }
            if c.pattern.level(FLAGS) & F_SWAPPED != 0 {
                let _ = writeln!(
                    text,
                    "      {:<15} {:<45} {:+.2}",
                    "surname order", "the two surnames swapped", SWAPPED_BITS
                );
            }
            if c.pattern.level(FLAGS2) & F2_SURNAME2_INITIAL != 0 {
                let _ = writeln!(
                    text,
                    "      {:<15} {:<45} {:+.2}",
                    "2nd surname", "its initial agrees", SURNAME2_INITIAL_BITS
                );
            }
            if p.held_bits() != 0.0 {
                let _ = writeln!(
                    text,
                    "      {:<15} {:<45} {:+.2}",
                    "status",
                    "not held now, by the registry",
                    p.held_bits()
                );
            }
            let _ = writeln!(
                text,
                "      about {:.2} people in the country share what was compared",
                self.population_namesakes(&row, c)
            );
            if let Some(reason) = conflict(c.pattern, &self.settings) {
                let _ = writeln!(
                    text,
                    "      cannot be a match: {} [{}]",
                    reason,
                    reason.code()
                );
            } else if let Some(reason) = self.uncorroborated(&row, c) {
                let _ = writeln!(
                    text,
                    "      cannot be a match: {} [{}]",
                    reason,
                    reason.code()
                );
            }
        }
        Explanation { text }
    }
}

/// Whether a pattern fits the person by name: compatible given names and
/// a first surname that sounds the same.
fn fits(pat: Pattern) -> bool {
    matches!(
        pat.level(GIVEN),
        G_EXACT | G_VARIANT | G_PARTIAL | G_INITIAL
    ) && matches!(pat.level(SURNAME1), S_EXACT | S_PHONETIC)
}

/// The weight of the facts a pattern flags: a sex contradiction.
fn flag_bits(pat: Pattern) -> f64 {
    let flags = pat.level(FLAGS);
    let mut bits = 0.0;
    if flags & F_SEX_CONTRADICTS != 0 {
        bits += SEX_CONTRADICTION_BITS;
    }
    if flags & F_SWAPPED != 0 {
        bits += SWAPPED_BITS;
    }
    if pat.level(FLAGS2) & F2_SURNAME2_INITIAL != 0 {
        bits += SURNAME2_INITIAL_BITS;
    }
    match pat.level(GENERATION) {
        GEN_SAME => bits += GEN_SAME_BITS,
        GEN_ONE_SIDE => bits += GEN_ONE_SIDE_BITS,
        GEN_DIFFERENT => bits += GEN_DIFFERENT_BITS,
        _ => {}
    }
    bits
}

/// Chance agreement before any measurement, per field and level (index 0,
/// missing, unused).
const DEFAULT_U: [&[f64]; 5] = [
    &[0.0, 0.02, 0.002, 0.01, 0.005, 0.002, 0.003, 0.958],
    &[0.0, 0.02, 0.002, 0.002, 0.976],
    &[0.0, 0.02, 0.002, 0.002, 0.976],
    &[0.0, 0.02, 0.04, 0.08, 0.36, 0.5],
    &[0.0, 0.1, 0.9],
];

/// Registry persons written as a list writes names, for measuring `u`.
const U_SAMPLE_PERSONS: usize = 2_000;

/// A model's weights, computed once: `log2(m / u)` per field and level,
/// and the parts of exact agreement that term frequencies adjust.
struct Weights {
    prior: f64,
    table: [[f64; 8]; 5],
    log_m_exact: [f64; 5],
    log_u_exact: [f64; 5],
}

impl Weights {
    fn new(model: &Model) -> Weights {
        let mut table = [[0.0; 8]; 5];
        let mut log_m_exact = [0.0; 5];
        let mut log_u_exact = [0.0; 5];
        for (f, row) in table.iter_mut().enumerate() {
            for (l, cell) in row.iter_mut().enumerate().take(LEVELS[f]) {
                *cell = model.weight(f, l as u8);
            }
            log_m_exact[f] = model.m[f][1].log2();
            log_u_exact[f] = model.u[f][1].log2();
        }
        // EM sets weights for what it saw; for levels it rarely saw (an
        // initial, a typo) it can say odd things. Names that agree in
        // part are never evidence against, and never stronger than exact
        // agreement; a sounding-alike surname is no stronger than an exact
        // one, a typo no stronger than a sounding-alike one.
        let exact = table[GIVEN][G_EXACT as usize];
        for l in [G_VARIANT, G_PARTIAL, G_INITIAL, G_FUZZY, G_SHIFTED] {
            let cell = &mut table[GIVEN][l as usize];
            *cell = cell.clamp(0.0, exact.max(0.0));
        }
        for f in [SURNAME1, SURNAME2] {
            let exact = table[f][S_EXACT as usize].max(0.0);
            let phonetic = table[f][S_PHONETIC as usize].clamp(0.0, exact);
            table[f][S_PHONETIC as usize] = phonetic;
            let fuzzy = &mut table[f][S_FUZZY as usize];
            *fuzzy = fuzzy.clamp(0.0, phonetic);
        }
        Weights {
            prior: model.prior_weight(),
            table,
            log_m_exact,
            log_u_exact,
        }
    }

    /// Exact agreement on a value `2^tf_bits` times as frequent as the
    /// average agreeing value (`u` kept between 1e-9 and 1); `plain` when
    /// the frequency is unknown.
    fn adjusted(&self, f: usize, tf_bits: f64, plain: f64) -> f64 {
        if !tf_bits.is_finite() {
            return plain;
        }
        let log_u = (self.log_u_exact[f] + tf_bits).clamp(-30.0, 0.0);
        self.log_m_exact[f] - log_u
    }
}

/// Whether a fitted model still says what a match looks like: agreeing
/// names are evidence for a match, different ones against.
fn plausible(m: &Model) -> bool {
    let ok =
        |f: usize, agree: u8, differ: u8| m.weight(f, agree) > 1.0 && m.weight(f, differ) < 0.0;
    ok(GIVEN, G_EXACT, G_DIFFERENT) && ok(SURNAME1, S_EXACT, S_DIFFERENT) && m.lambda < 0.9
}

#[cfg(test)]
mod population_tests;
#[cfg(test)]
mod tests;
