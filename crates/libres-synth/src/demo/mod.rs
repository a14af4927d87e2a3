//! The synthetic demo registry.
//!
//! A deterministic generator (fixed seed, ChaCha) of whole cases over Cuba,
//! Venezuela and Nicaragua, shaped like the groups' real lists: Hispanic
//! names combined from common parts (so no real person is intended), with
//! siblings, namesakes and fathers and sons sharing a name; real provinces,
//! prisons and courts; uncertain EDTF dates; and timelines that follow the
//! patterns of DOMAIN.md — conditional releases with court presentation and
//! travel bans, revocations and re-arrests, forced exile, disappearances.
//!
//! Everything is labelled synthetic: summaries say so, confidential fields
//! say "ficticio", and every source URL is on `example.org`.
//!
//! Every case keeps the rules of [`coherence`]: a sentence is served when
//! its term ends and nobody is held past it, occupations fit the person's
//! age and sex, the disappeared have no prison, and whoever is stripped of
//! a nationality no longer holds it.
//!
//! Persons are generated one after another from one random stream, so the
//! first N persons are the same whatever the total asked for.

pub mod announcements;
pub mod calendar;
pub mod coherence;
pub mod names;
pub mod occupations;
pub mod places;
pub mod statements;

use calendar::{days_from_civil, render, Precision};
use libres_core::event::Condition;
use libres_core::{
    charges, CountryCode, Detention, EdtfDate, Event, EventKind, Person, PersonId, Release,
    ReleaseGroup, ReleaseKind, Sex, Source, SourceKind,
};
use libres_store::CaseBundle;
use places::{CountryData, COUNTRIES};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::VecDeque;

/// The seed of the demo registry (11 July 2021, the day of the Cuban
/// protests that filled the lists).
pub const SEED: u64 = 20_210_711;

/// No generated event is later than this day (2026-10-31).
fn today() -> i64 {
    days_from_civil(2026, 10, 31)
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

fn weighted<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.gen_range(0..total);
    for (item, w) in items {
        if x < *w {
            return *item;
        }
        x -= w;
    }
    items[items.len() - 1].0
}

fn chance(rng: &mut ChaCha8Rng, percent: f64) -> bool {
    rng.gen_bool(percent / 100.0)
}

fn day(y: i64, m: u32, d: u32) -> i64 {
    days_from_civil(y, m, d)
}

/// A name recently generated, for siblings, namesakes and fathers and sons.
#[derive(Clone)]
struct Recent {
    given: String,
    surname1: String,
    surname2: Option<String>,
    sex: Sex,
    country: usize,
    province: usize,
    birth_year: i64,
}

/// The demo generator: an endless, deterministic stream of cases.
pub struct Generator {
    rng: ChaCha8Rng,
    index: usize,
    recent: VecDeque<Recent>,
    /// Announcements stored already, whose releases the cases link to.
    claims: Vec<announcements::Claim>,
}

impl Generator {
    /// A generator for `seed`; [`SEED`] gives the standard demo registry.
    pub fn new(seed: u64) -> Self {
        Generator {
            rng: ChaCha8Rng::seed_from_u64(seed),
            index: 0,
            recent: VecDeque::with_capacity(64),
            claims: Vec::new(),
        }
    }

    /// The same stream, with each release that an announcement of
    /// `claims` covers (same country, dated within its window) linked to
    /// it, and, when sourced, verified by a fictitious group. The cases
    /// are otherwise the same.
    pub fn claiming(mut self, claims: Vec<announcements::Claim>) -> Self {
        self.claims = claims;
        self
    }
}

impl Iterator for Generator {
    type Item = CaseBundle;

    fn next(&mut self) -> Option<CaseBundle> {
        let n = self.index;
        self.index += 1;
        let mut case = generate_case(&mut self.rng, n, &self.recent)?;
        announcements::link(&self.claims, &mut case.0);
        if self.recent.len() == 64 {
            self.recent.pop_front();
        }
        self.recent.push_back(case.1);
        Some(case.0)
    }
}

/// The first `n` cases for `seed`.
#[cfg(test)]
pub fn generate(n: usize, seed: u64) -> Vec<CaseBundle> {
    Generator::new(seed).take(n).collect()
}

fn given_name(rng: &mut ChaCha8Rng, sex: Sex, country: &CountryData) -> String {
    let female = match sex {
        Sex::F => true,
        Sex::M => false,
        Sex::X => rng.gen_bool(0.5),
    };
    let local = if country.code == "CU" { 40.0 } else { 25.0 };
    let list = if chance(rng, 20.0) {
        if female {
            names::FEMALE_COMPOUND
        } else {
            names::MALE_COMPOUND
        }
    } else if chance(rng, local) {
        match (female, country.code == "CU") {
            (true, true) => names::FEMALE_CUBAN,
            (true, false) => names::FEMALE_MAINLAND,
            (false, true) => names::MALE_CUBAN,
            (false, false) => names::MALE_MAINLAND,
        }
    } else if female {
        names::FEMALE
    } else {
        names::MALE
    };
    (*pick(rng, list)).to_owned()
}

fn surname(rng: &mut ChaCha8Rng) -> String {
    weighted(rng, names::SURNAMES).to_owned()
}

/// Arrest days cluster around the waves of repression each group reports.
fn arrest_day(rng: &mut ChaCha8Rng, country: &str) -> i64 {
    let (wave_start, wave_days, wave_share, from, to) = match country {
        // 11 July 2021 and the days after.
        "CU" => (
            day(2021, 7, 11),
            12,
            35.0,
            day(2019, 1, 1),
            day(2026, 8, 31),
        ),
        // After the presidential election of 28 July 2024.
        "VE" => (
            day(2024, 7, 29),
            75,
            35.0,
            day(2018, 1, 1),
            day(2026, 9, 30),
        ),
        // The 2018 protests.
        _ => (
            day(2018, 4, 18),
            200,
            30.0,
            day(2018, 1, 1),
            day(2026, 9, 30),
        ),
    };
    if chance(rng, wave_share) {
        wave_start + rng.gen_range(0..wave_days)
    } else if country == "NI" && chance(rng, 30.0) {
        // Before and after the November 2021 election.
        day(2021, 5, 15) + rng.gen_range(0..200)
    } else {
        rng.gen_range(from..=to)
    }
}

/// The birth date as a registry writes it: often only the year, sometimes
/// approximate or only the decade; always a text that contains the day.
fn birth_text(rng: &mut ChaCha8Rng, year: i64, m: u32, d: u32) -> Option<String> {
    Some(match rng.gen_range(0..100) {
        0..=44 => format!("{year}"),
        45..=69 => format!("{year:04}-{m:02}-{d:02}"),
        70..=79 => format!("{year:04}-{m:02}"),
        80..=91 => format!("{year}~"),
        92..=96 => format!("{}X", year / 10),
        _ => return None,
    })
}

/// An occupation that fits someone of `sex` who was `age` at the first
/// arrest, in the word for that sex: minors are students or have none.
fn occupation(rng: &mut ChaCha8Rng, sex: Sex, age: i64) -> Option<&'static str> {
    let none = if age < occupations::ADULT { 30.0 } else { 4.0 };
    if chance(rng, none) {
        return None;
    }
    let fitting = || {
        occupations::OCCUPATIONS
            .iter()
            .filter(move |o| o.fits_age(age))
            .filter_map(move |o| o.word(Some(sex)))
    };
    let n = fitting().count();
    (n > 0)
        .then(|| rng.gen_range(0..n))
        .and_then(|k| fitting().nth(k))
}

/// One event to add to a timeline.
struct Happening<'p> {
    kind: EventKind,
    day: i64,
    precision: Precision,
    place: Option<&'p str>,
    description: String,
    release: Option<Release>,
    cite: Option<SourceKind>,
}

/// Builds a timeline in chronological order. Each event starts strictly
/// after the last day the previous one can mean, so that the status derived
/// from the timeline is the one the scenario intends.
struct Timeline<'a> {
    rng: &'a mut ChaCha8Rng,
    country: &'static CountryData,
    person: usize,
    female: bool,
    /// Whether the person holds the nationality of the country (which can
    /// then strip them of it).
    national: bool,
    /// Last day the previous event can mean.
    cursor: i64,
    /// Set once a planned event would fall after today: the story stops.
    ended: bool,
    events: Vec<Event>,
    sources: Vec<Source>,
}

impl Timeline<'_> {
    fn a(&self, masculine: &str, feminine: &str) -> String {
        if self.female {
            feminine.to_owned()
        } else {
            masculine.to_owned()
        }
    }

    /// The day `min..=max` days after the previous event, or `None` (and the
    /// story ends) if that is in the future.
    fn after(&mut self, min: i64, max: i64) -> Option<i64> {
        if self.ended {
            return None;
        }
        let d = self.cursor + self.rng.gen_range(min..=max);
        if d > today() {
            self.ended = true;
            return None;
        }
        Some(d)
    }

    /// Like [`Timeline::after`], for an event that must come before `limit`
    /// (the day a sentence ends): `None` without ending the story if the
    /// day would be `limit` or later.
    fn within(&mut self, min: i64, max: i64, limit: Option<i64>) -> Option<i64> {
        if self.ended {
            return None;
        }
        let d = self.cursor + self.rng.gen_range(min..=max);
        if limit.is_some_and(|l| d >= l) {
            return None;
        }
        if d > today() {
            self.ended = true;
            return None;
        }
        Some(d)
    }

    fn precision(&mut self, day_share: u32) -> Precision {
        let x = self.rng.gen_range(0..100);
        if x < day_share {
            Precision::Day
        } else if x < day_share + (100 - day_share) * 2 / 3 {
            Precision::Month
        } else {
            Precision::Decade
        }
    }

    fn source(&mut self, kind: SourceKind, date: &EdtfDate) -> i64 {
        let k = self.sources.len();
        let cc = self.country.code.to_ascii_lowercase();
        let n = self.person + 1;
        let (url, title, publisher, confidential) = match kind {
            SourceKind::Article => (
                Some(format!("https://example.org/noticias/{cc}/{n}-{k}")),
                "Nota de prensa (ficticia)".to_owned(),
                Some(
                    pick(
                        self.rng,
                        &["Diario Ejemplo", "Radio Muestra", "Agencia Demo"],
                    )
                    .to_string(),
                ),
                false,
            ),
            SourceKind::NgoReport => (
                Some(format!(
                    "https://example.org/informes/{cc}/{}",
                    &date.as_str()[..date.as_str().len().min(7)]
                )),
                "Informe mensual de presos políticos (ficticio)".to_owned(),
                Some("Observatorio de ejemplo".to_owned()),
                false,
            ),
            SourceKind::CourtDocument => (
                chance(self.rng, 50.0)
                    .then(|| format!("https://example.org/documentos/{cc}/{n}-{k}.pdf")),
                format!(
                    "Documento judicial n.º {}/{} (ficticio)",
                    self.rng.gen_range(10..999),
                    date.year().unwrap_or(0)
                ),
                None,
                false,
            ),
            // Testimony puts the witness at risk: always confidential.
            _ => (
                None,
                "Testimonio de un familiar (ficticio)".to_owned(),
                None,
                true,
            ),
        };
        self.sources.push(Source {
            id: 0,
            url,
            title,
            publisher,
            date: Some(date.clone()),
            kind,
            confidential,
        });
        k as i64
    }

    /// Adds an event, written at its precision when that does not overlap
    /// the previous event, with a new source of the `cite` kind if any.
    fn push(&mut self, h: Happening<'_>) -> Option<EdtfDate> {
        let Happening {
            kind,
            day,
            precision,
            place,
            description,
            release,
            cite,
        } = h;
        let (mut text, mut first, mut last) = render(day, precision);
        if first <= self.cursor {
            (text, first, last) = render(day, Precision::Day);
        }
        debug_assert!(first > self.cursor);
        let date = EdtfDate::parse(&text).ok()?;
        self.cursor = last;
        let mut e = Event::new(kind, date.clone());
        e.place = place.map(str::to_owned);
        e.description = Some(description);
        e.release = release;
        if let Some(k) = cite {
            // Later events often cite the article that reported the arrest.
            let earlier = self
                .sources
                .iter()
                .position(|s| s.kind == SourceKind::Article);
            let id = match earlier {
                Some(i) if k == SourceKind::Article && chance(self.rng, 25.0) => i as i64,
                _ => self.source(k, &date),
            };
            e.source_ids.push(id);
        }
        self.events.push(e);
        Some(date)
    }

    fn cite(&mut self, choices: &[(SourceKind, u32)], none: u32) -> Option<SourceKind> {
        let total: u32 = choices.iter().map(|c| c.1).sum();
        if self.rng.gen_range(0..total + none) >= total {
            return None;
        }
        Some(weighted(self.rng, choices))
    }
}

/// "la DSE", "el SEBIN": how the reports name each body.
fn with_article(authority: &str) -> String {
    let article = match authority {
        "SEBIN" => "el",
        _ => "la",
    };
    format!("{article} {authority}")
}

/// Whether a release of `kind` fits a detention with (`sentenced`) or
/// without a sentence: parole and early release shorten a sentence; a
/// precautionary measure replaces custody before one; a sentence is served
/// only at the end of its term, which the story places itself.
fn fits_sentence(kind: ReleaseKind, sentenced: bool) -> bool {
    match kind {
        ReleaseKind::SentenceServed => false,
        ReleaseKind::Parole | ReleaseKind::EarlyRelease => sentenced,
        ReleaseKind::SubstituteMeasure => !sentenced,
        _ => true,
    }
}

fn release_kind(
    rng: &mut ChaCha8Rng,
    country: &str,
    foreigner: bool,
    sentenced: bool,
) -> ReleaseKind {
    use ReleaseKind::*;
    if foreigner && chance(rng, 70.0) {
        return Deportation;
    }
    // The release when the sentence is served is not drawn here: the
    // story places it at the end of the term.
    let table: &[(ReleaseKind, u32)] = match country {
        "CU" => &[
            (Parole, 30),
            (EarlyRelease, 12),
            (MedicalLeave, 8),
            (HouseArrest, 8),
            (Unconditional, 4),
            (ForcedExile, 5),
            (SubstituteMeasure, 2),
        ],
        "VE" => &[
            (SubstituteMeasure, 34),
            (Unconditional, 12),
            (HouseArrest, 10),
            (MedicalLeave, 3),
            (ForcedExile, 3),
            (Parole, 2),
            (EarlyRelease, 2),
            (Deportation, 1),
        ],
        _ => &[
            (ForcedExile, 30),
            (HouseArrest, 15),
            (Unconditional, 10),
            (Parole, 5),
            (SubstituteMeasure, 5),
            (Deportation, 3),
        ],
    };
    let total: u32 = table
        .iter()
        .filter(|(k, _)| fits_sentence(*k, sentenced))
        .map(|(_, w)| w)
        .sum();
    let mut x = rng.gen_range(0..total);
    for (kind, w) in table.iter().filter(|(k, _)| fits_sentence(*k, sentenced)) {
        if x < *w {
            return *kind;
        }
        x -= w;
    }
    Unconditional
}

/// The conditions of a release of `kind`. Only a `national` can be stripped
/// of the nationality.
fn conditions(
    rng: &mut ChaCha8Rng,
    kind: ReleaseKind,
    country: &str,
    national: bool,
) -> Vec<Condition> {
    use Condition::*;
    let mut c = Vec::new();
    let mut maybe = |c: &mut Vec<Condition>, cond, p| {
        if chance(rng, p) {
            c.push(cond);
        }
    };
    match kind {
        ReleaseKind::Parole | ReleaseKind::EarlyRelease => {
            c.push(PeriodicPresentation);
            maybe(&mut c, TravelBan, 75.0);
            maybe(&mut c, GagOrder, 15.0);
        }
        ReleaseKind::SubstituteMeasure => {
            maybe(&mut c, PeriodicPresentation, 90.0);
            maybe(&mut c, TravelBan, 60.0);
            maybe(&mut c, GagOrder, 40.0);
        }
        ReleaseKind::MedicalLeave => maybe(&mut c, PeriodicPresentation, 50.0),
        ReleaseKind::HouseArrest => maybe(&mut c, TravelBan, 30.0),
        ReleaseKind::Unconditional => maybe(&mut c, TravelBan, 10.0),
        ReleaseKind::ForcedExile => {
            maybe(
                &mut c,
                Statelessness,
                match (national, country) {
                    (false, _) => 0.0,
                    (true, "NI") => 80.0,
                    (true, _) => 10.0,
                },
            );
            maybe(
                &mut c,
                Confiscation,
                if country == "NI" { 50.0 } else { 5.0 },
            );
        }
        ReleaseKind::SentenceServed | ReleaseKind::Deportation => {}
    }
    c
}

fn release_words(kind: ReleaseKind) -> &'static str {
    match kind {
        ReleaseKind::Unconditional => "excarcelación sin condiciones",
        ReleaseKind::SentenceServed => "cumplimiento total de la condena",
        ReleaseKind::Parole => "libertad condicional",
        ReleaseKind::MedicalLeave => "licencia extrapenal",
        ReleaseKind::EarlyRelease => "excarcelación anticipada",
        ReleaseKind::SubstituteMeasure => "medida cautelar sustitutiva",
        ReleaseKind::HouseArrest => "detención domiciliaria",
        ReleaseKind::ForcedExile => "destierro como condición de la excarcelación",
        ReleaseKind::Deportation => "deportación",
    }
}

/// One detention and what followed it, added to the timeline. Returns the
/// detention record and whether the person ended free of prison (so the
/// caller may add a re-arrest).
fn detention_story(
    t: &mut Timeline<'_>,
    arrest: i64,
    first: bool,
    foreigner: bool,
    city: &str,
    province: &str,
) -> Option<(Detention, Option<ReleaseKind>)> {
    let c = t.country;
    let authority = pick(t.rng, c.authorities).to_string();
    let prison = pick(t.rng, c.prisons).to_string();
    let country_code = CountryCode::parse(c.code).ok()?;
    let list = charges::for_country(country_code);
    let mut charge_codes: Vec<String> = Vec::new();
    for _ in 0..t.rng.gen_range(1..=3) {
        let ch = pick(t.rng, list);
        if !charge_codes.iter().any(|x| x == ch.code) {
            charge_codes.push(ch.code.to_owned());
        }
    }
    let charge_words: Vec<&str> = charge_codes
        .iter()
        .filter_map(|code| charges::by_code(code))
        .map(|ch| ch.es)
        .collect();

    let kind = if first {
        EventKind::Arrest
    } else {
        EventKind::ReArrest
    };
    let precision = t.precision(60);
    let cite = t.cite(
        &[
            (SourceKind::Article, 5),
            (SourceKind::NgoReport, 3),
            (SourceKind::Testimony, 1),
        ],
        2,
    );
    let verb = t.a("Detenido", "Detenida");
    let again = if first { "" } else { " de nuevo" };
    let arrest_date = t.push(Happening {
        kind,
        day: arrest,
        precision,
        place: Some(city),
        description: format!("{verb}{again} por {} en {city}.", with_article(&authority)),
        release: None,
        cite,
    })?;
    let mut det = Detention {
        id: 0,
        arrest_date: Some(arrest_date),
        arrest_place: Some(if city == province {
            city.to_owned()
        } else {
            format!("{city}, {province}")
        }),
        authority: Some(authority),
        charges: charge_codes,
        court: None,
        sentence: None,
        sentence_months: None,
        prison: Some(prison.clone()),
    };

    let free = after_arrest(t, &mut det, arrest, foreigner, province, &charge_words).flatten();
    Some((det, free))
}

/// When a sentence lets the person out: the term ends `months` after the
/// arrest, or at once if the sentence came later than that (the time spent
/// in pre-trial custody already covered it).
struct Term {
    /// The day the term ends.
    end: i64,
    /// The day the person is due out: the end of the term, or the day of
    /// the sentence if later. Nothing that happens in prison comes after it.
    due: i64,
}

/// What follows an arrest: charges, trial, prison life, and how (and
/// whether) the person leaves prison. `None` when the story reaches today
/// before it is complete; otherwise the kind of release if the person ended
/// out of prison, free to move and still in the country.
///
/// The story keeps the rules of [`coherence`]: a sentence is served only
/// when its term ends, and nobody stays in prison (or at home under
/// arrest) past it without a new case; whoever is still missing has no
/// known prison.
fn after_arrest(
    t: &mut Timeline<'_>,
    det: &mut Detention,
    arrest: i64,
    foreigner: bool,
    province: &str,
    charge_words: &[&str],
) -> Option<Option<ReleaseKind>> {
    let c = t.country;
    let mut prison = det.prison.clone().unwrap_or_default();
    // Enforced disappearance: Nicaragua and Venezuela above all.
    let disappear = match c.code {
        "NI" => 10.0,
        "VE" => 8.0,
        _ => 1.0,
    };
    if chance(t.rng, disappear) {
        if let Some(d) = t.after(1, 6) {
            let desc = "La familia desconoce su paradero; las autoridades no informan.".to_owned();
            let cite = t.cite(&[(SourceKind::NgoReport, 2), (SourceKind::Testimony, 1)], 0);
            t.push(Happening {
                kind: EventKind::Disappearance,
                day: d,
                precision: Precision::Day,
                place: None,
                description: desc,
                release: None,
                cite,
            });
            // Still missing: nobody knows where the person is held.
            let reappears = chance(t.rng, 75.0);
            let Some(d) = t.after(15, 240).filter(|_| reappears) else {
                det.prison = None;
                return Some(None);
            };
            let desc = format!("Reaparece en {prison}.");
            let cite = t.cite(&[(SourceKind::NgoReport, 1)], 1);
            t.push(Happening {
                kind: EventKind::Reappearance,
                day: d,
                precision: Precision::Day,
                place: Some(&prison),
                description: desc,
                release: None,
                cite,
            });
        }
    }

    if chance(t.rng, 90.0) {
        let d = t.after(2, 45)?;
        let desc = format!(
            "{} de {}.",
            t.a("Acusado", "Acusada"),
            charge_words.join(", ")
        );
        let cite = t.cite(
            &[(SourceKind::CourtDocument, 2), (SourceKind::Article, 1)],
            1,
        );
        t.push(Happening {
            kind: EventKind::Charge,
            day: d,
            precision: Precision::Day,
            place: None,
            description: desc,
            release: None,
            cite,
        });
    }
    if chance(t.rng, 25.0) {
        let d = t.after(20, 300)?;
        prison = pick(t.rng, c.prisons).to_string();
        det.prison = Some(prison.clone());
        let desc = format!("{} a {prison}.", t.a("Trasladado", "Trasladada"));
        let p = t.precision(70);
        t.push(Happening {
            kind: EventKind::Transfer,
            day: d,
            precision: p,
            place: Some(&prison),
            description: desc,
            release: None,
            cite: None,
        });
    }
    let tried = match c.code {
        "CU" => 85.0,
        "VE" => 45.0,
        _ => 75.0,
    };
    let mut term = None;
    if chance(t.rng, tried) {
        let court = match c.code {
            "CU" => format!("{} de {province}", pick(t.rng, c.courts)),
            _ => pick(t.rng, c.courts).to_string(),
        };
        let d = t.after(30, 420)?;
        let cite = t.cite(
            &[
                (SourceKind::CourtDocument, 2),
                (SourceKind::Testimony, 1),
                (SourceKind::Article, 1),
            ],
            1,
        );
        t.push(Happening {
            kind: EventKind::Trial,
            day: d,
            precision: Precision::Day,
            place: None,
            description: format!("Juicio en el {court}."),
            release: None,
            cite,
        });
        det.court = Some(court);
        if chance(t.rng, 92.0) {
            let months: u32 = match c.code {
                "CU" => *pick(
                    t.rng,
                    &[8, 12, 18, 24, 36, 48, 60, 72, 96, 120, 144, 180, 240],
                ),
                "VE" => *pick(t.rng, &[36, 60, 96, 120, 192, 240, 300, 360]),
                _ => *pick(t.rng, &[24, 60, 96, 120, 156, 180]),
            };
            let words = if months.is_multiple_of(12) {
                let y = months / 12;
                if y == 1 {
                    "1 año de privación de libertad".to_owned()
                } else {
                    format!("{y} años de privación de libertad")
                }
            } else {
                format!("{months} meses de privación de libertad")
            };
            let d = t.after(1, 45)?;
            let desc = format!("{} a {words}.", t.a("Condenado", "Condenada"));
            let cite = t.cite(
                &[(SourceKind::CourtDocument, 3), (SourceKind::Article, 1)],
                1,
            );
            t.push(Happening {
                kind: EventKind::Sentence,
                day: d,
                precision: Precision::Day,
                place: None,
                description: desc,
                release: None,
                cite,
            });
            det.sentence = Some(words);
            det.sentence_months = Some(months);
            let end = calendar::add_months(arrest, months);
            term = Some(Term {
                end,
                due: end.max(t.cursor + 1),
            });
        }
    }
    // Life in prison, before the person is due out.
    let due = term.as_ref().map(|t| t.due);
    if chance(t.rng, 10.0) {
        if let Some(d) = t.within(20, 300, due) {
            prison = pick(t.rng, c.prisons).to_string();
            det.prison = Some(prison.clone());
            let desc = format!("{} a {prison}.", t.a("Trasladado", "Trasladada"));
            t.push(Happening {
                kind: EventKind::Transfer,
                day: d,
                precision: Precision::Day,
                place: Some(&prison),
                description: desc,
                release: None,
                cite: None,
            });
        }
    }
    if chance(t.rng, 5.0) {
        if let Some(d) = t.within(10, 400, due) {
            let desc = format!("Inicia una huelga de hambre en {prison}.");
            let cite = t.cite(&[(SourceKind::Testimony, 2), (SourceKind::Article, 1)], 0);
            t.push(Happening {
                kind: EventKind::HungerStrike,
                day: d,
                precision: Precision::Day,
                place: Some(&prison),
                description: desc,
                release: None,
                cite,
            });
        }
    }
    if chance(t.rng, 8.0) {
        if let Some(d) = t.within(10, 400, due) {
            let desc = "La familia denuncia que no recibe atención médica.".to_owned();
            let cite = t.cite(&[(SourceKind::Testimony, 1), (SourceKind::NgoReport, 1)], 0);
            let p = t.precision(50);
            t.push(Happening {
                kind: EventKind::HealthAlert,
                day: d,
                precision: p,
                place: Some(&prison),
                description: desc,
                release: None,
                cite,
            });
        }
    }
    if chance(t.rng, 0.5) {
        if let Some(d) = t.within(30, 900, due) {
            let cite = t.cite(&[(SourceKind::NgoReport, 1), (SourceKind::Article, 1)], 0);
            let desc = format!("Fallece bajo custodia en {prison}.");
            t.push(Happening {
                kind: EventKind::DeathInCustody,
                day: d,
                precision: Precision::Day,
                place: Some(&prison),
                description: desc,
                release: None,
                cite,
            });
            return Some(None);
        }
    }
    if t.ended {
        return None;
    }

    // How (and whether) the person leaves prison: early, on conditions or
    // into exile; or when the sentence is served.
    let release_share = match c.code {
        "CU" => 50.0,
        "VE" => 55.0,
        _ => 60.0,
    };
    let early = if chance(t.rng, release_share) {
        let kind = release_kind(t.rng, c.code, foreigner, term.is_some());
        let wave = match (c.code, kind) {
            // The January 2025 Cuban releases: conditional, with court
            // presentation and no travel abroad.
            ("CU", ReleaseKind::Parole | ReleaseKind::EarlyRelease) if chance(t.rng, 60.0) => {
                Some(day(2025, 1, 14) + t.rng.gen_range(0..50))
            }
            // Nicaragua, 9 February 2023: 222 flown out and stripped of
            // their nationality.
            ("NI", ReleaseKind::ForcedExile) if chance(t.rng, 50.0) => Some(day(2023, 2, 9)),
            _ => None,
        };
        let wave = wave.filter(|d| *d > t.cursor && due.is_none_or(|due| *d < due));
        match wave {
            Some(d) => Some((kind, d)),
            None => t.within(30, 1500, due).map(|d| (kind, d)),
        }
    } else {
        None
    };
    if t.ended {
        return None;
    }
    let Some((kind, when)) = early else {
        // Not let out early: in prison until the sentence is served, if
        // there is one and it ends by today.
        let Some(due) = due.filter(|d| *d <= today()) else {
            return Some(None);
        };
        if chance(t.rng, 6.0) {
            // A new case opened in prison keeps the person inside.
            if let Some(d) = t.within(10, 600, Some(due)) {
                let desc = format!(
                    "Nueva causa abierta en prisión; sigue {} en {prison}.",
                    t.a("preso", "presa")
                );
                let cite = t.cite(&[(SourceKind::Testimony, 1), (SourceKind::Article, 1)], 1);
                t.push(Happening {
                    kind: EventKind::NewCharge,
                    day: d,
                    precision: Precision::Day,
                    place: Some(&prison),
                    description: desc,
                    release: None,
                    cite,
                });
                return Some(None);
            }
        }
        serve_out(t, due)?;
        return Some(Some(ReleaseKind::SentenceServed));
    };
    let group = release(t, kind, when);
    let still_confined = group == ReleaseGroup::StillConfined;

    // What happened after the release.
    let conditional = matches!(
        group,
        ReleaseGroup::Conditional | ReleaseGroup::StillConfined
    );
    let term_end = term.as_ref().map(|t| t.end);
    if conditional && chance(t.rng, 7.0) {
        // The Ferrer pattern: parole revoked, back to prison, later exiled;
        // only while the sentence runs.
        if let Some(d) = t.within(30, 400, term_end) {
            let what = match kind {
                ReleaseKind::Unconditional | ReleaseKind::SentenceServed => "excarcelación",
                other => release_words(other),
            };
            let desc = format!("Revocan la {what}; regresa a {prison}.");
            let cite = t.cite(
                &[(SourceKind::Article, 2), (SourceKind::CourtDocument, 1)],
                0,
            );
            t.push(Happening {
                kind: EventKind::Revocation,
                day: d,
                precision: Precision::Day,
                place: Some(&prison),
                description: desc,
                release: None,
                cite,
            });
            if chance(t.rng, 35.0) {
                if let Some(d) = t.within(60, 300, due) {
                    let desc = format!(
                        "{} al destierro tras la revocación.",
                        t.a("Enviado", "Enviada")
                    );
                    let cite = t.cite(&[(SourceKind::Article, 1)], 0);
                    t.push(Happening {
                        kind: EventKind::Exile,
                        day: d,
                        precision: Precision::Day,
                        place: None,
                        description: desc,
                        release: None,
                        cite,
                    });
                    return Some(None);
                }
            }
            // Back in prison for the rest of the sentence.
            return match due.filter(|d| *d <= today()) {
                Some(due) if !t.ended => {
                    serve_out(t, due)?;
                    Some(Some(ReleaseKind::SentenceServed))
                }
                _ => Some(None),
            };
        }
        if t.ended {
            return None;
        }
    }
    if still_confined {
        // House arrest lasts as long as the sentence, if there is one.
        return match due.filter(|d| *d <= today()) {
            Some(due) => {
                serve_out(t, due)?;
                Some(Some(ReleaseKind::SentenceServed))
            }
            None => Some(None),
        };
    }
    let travel_ban = t
        .events
        .last()
        .and_then(|e| e.release.as_ref())
        .is_some_and(|r| r.conditions.contains(&Condition::TravelBan));
    if group != ReleaseGroup::Expelled && !travel_ban && chance(t.rng, 4.0) {
        let d = t.after(30, 500)?;
        let desc = "Sale al exilio tras amenazas y acoso.".to_owned();
        let cite = t.cite(&[(SourceKind::Testimony, 1), (SourceKind::Article, 1)], 1);
        t.push(Happening {
            kind: EventKind::Exile,
            day: d,
            precision: Precision::Month,
            place: None,
            description: desc,
            release: None,
            cite,
        });
        return Some(None);
    }
    if group != ReleaseGroup::Expelled && chance(t.rng, 2.0) {
        // A new charge re-opens the case; it does not by itself put the
        // person back in prison (a re-arrest may follow).
        let d = t.after(30, 500)?;
        let desc = "Nueva acusación en su contra; el caso se reabre.".to_owned();
        let cite = t.cite(&[(SourceKind::Article, 1)], 1);
        t.push(Happening {
            kind: EventKind::NewCharge,
            day: d,
            precision: Precision::Day,
            place: None,
            description: desc,
            release: None,
            cite,
        });
        return Some(Some(kind));
    }
    if group == ReleaseGroup::Conditional && chance(t.rng, 60.0) {
        // The conditions end with the sentence.
        if let Some(due) = due.filter(|d| *d <= today()) {
            serve_out(t, due)?;
            return Some(Some(ReleaseKind::SentenceServed));
        }
    }
    Some((group != ReleaseGroup::Expelled).then_some(kind))
}

/// The release at the end of the sentence, within three weeks of `due`:
/// `None` (the story ends) if that is after today.
fn serve_out(t: &mut Timeline<'_>, due: i64) -> Option<()> {
    let d = (due + t.rng.gen_range(0..=20)).max(t.cursor + 1);
    if d > today() {
        t.ended = true;
        return None;
    }
    release(t, ReleaseKind::SentenceServed, d);
    Some(())
}

/// Adds a release of `kind` on `when`, with its conditions, and returns its
/// group.
fn release(t: &mut Timeline<'_>, kind: ReleaseKind, when: i64) -> ReleaseGroup {
    let c = t.country;
    let mut conds = conditions(t.rng, kind, c.code, t.national);
    if ReleaseKind::Parole == kind && when >= day(2025, 1, 14) && when < day(2025, 3, 15) {
        for extra in [Condition::PeriodicPresentation, Condition::TravelBan] {
            if !conds.contains(&extra) {
                conds.push(extra);
            }
        }
    }
    // The kind and the conditions are fields of the release, which every
    // page writes in its reader's language: the description adds what
    // they do not say, instead of repeating them in Spanish.
    let desc = pick(
        t.rng,
        &[
            "Su familia confirmó la salida.",
            "Salida confirmada por la organización.",
            "Llegó a su casa el mismo día.",
            "La salida se conoció por un familiar.",
        ],
    )
    .to_string();
    let release = Release {
        kind,
        conditions: conds,
    };
    let group = release.group();
    let cite = t.cite(
        &[
            (SourceKind::NgoReport, 3),
            (SourceKind::Article, 2),
            (SourceKind::Testimony, 1),
        ],
        1,
    );
    let p = t.precision(75);
    t.push(Happening {
        kind: EventKind::Release,
        day: when,
        precision: p,
        place: None,
        description: desc,
        release: Some(release),
        cite,
    });
    group
}

fn generate_case(
    rng: &mut ChaCha8Rng,
    n: usize,
    recent: &VecDeque<Recent>,
) -> Option<(CaseBundle, Recent)> {
    let ci = weighted(rng, &[(0usize, 45), (1, 35), (2, 20)]);
    let mut country = COUNTRIES[ci];
    let mut ci = ci;
    let mut sex = weighted(rng, &[(Sex::M, 84), (Sex::F, 15), (Sex::X, 1)]);
    let mut province = if chance(rng, 30.0) {
        country
            .provinces
            .iter()
            .position(|p| p.0 == "La Habana")
            .unwrap_or(0)
    } else {
        rng.gen_range(0..country.provinces.len())
    };
    let arrest = arrest_day(rng, country.code);
    let (arrest_year, _, _) = calendar::civil_from_days(arrest);
    let age = if chance(rng, 1.0) {
        rng.gen_range(15..=17)
    } else {
        18 + rng.gen_range(0..=24) + rng.gen_range(0..=24)
    };
    let mut birth_year = arrest_year - age;
    let mut given = given_name(rng, sex, country);
    let mut surname1 = surname(rng);
    let mut surname2 = (!chance(rng, 3.0)).then(|| surname(rng));

    // Families and namesakes, taken from the persons just generated.
    let relation = rng.gen_range(0..100);
    if let Some(r) = (!recent.is_empty()).then(|| recent[rng.gen_range(0..recent.len())].clone()) {
        match relation {
            // Siblings: both surnames, same province.
            0..=5 => {
                ci = r.country;
                country = COUNTRIES[ci];
                province = r.province;
                surname1 = r.surname1;
                surname2 = r.surname2;
                birth_year = r.birth_year + rng.gen_range(-8..=8);
                while given == r.given {
                    given = given_name(rng, sex, country);
                }
            }
            // Namesakes: the same full name, an unrelated person.
            6..=8 => {
                given = r.given;
                surname1 = r.surname1;
                surname2 = r.surname2;
                sex = r.sex;
            }
            // Father and son with the same full name.
            9..=10 if r.sex == Sex::M => {
                given = r.given;
                surname1 = r.surname1;
                surname2 = r.surname2;
                sex = Sex::M;
                ci = r.country;
                country = COUNTRIES[ci];
                province = r.province;
                birth_year = r.birth_year + if rng.gen_bool(0.5) { 24 } else { -26 };
            }
            _ => {}
        }
    }
    // From 15 (the minors the groups count) to 85 at the arrest.
    birth_year = birth_year.clamp(arrest_year - 85, arrest_year - 15);
    let (birth_month, birth_day) = (rng.gen_range(1..=12u32), rng.gen_range(1..=28u32));
    let age = {
        let (_, m, d) = calendar::civil_from_days(arrest);
        arrest_year - birth_year - i64::from((m, d) < (birth_month, birth_day))
    };
    let (province_name, city) = country.provinces[province];
    let own = CountryCode::parse(country.code).ok()?;

    let mut nationalities = vec![own];
    let foreign_share = match country.code {
        "VE" => 4.0,
        "NI" => 2.0,
        _ => 0.5,
    };
    let foreigner = chance(rng, foreign_share);
    if foreigner {
        let code: &&str = pick(rng, country.foreign);
        nationalities = vec![CountryCode::parse(code).ok()?];
    } else if chance(rng, 4.0) {
        let code: &&str = pick(rng, country.foreign);
        nationalities.push(CountryCode::parse(code).ok()?);
    }

    let female = sex == Sex::F || (sex == Sex::X && rng.gen_bool(0.5));
    let mut aliases = Vec::new();
    if chance(rng, 10.0) {
        let first = given.split(' ').next().unwrap_or("");
        let alias = match names::HYPOCORISMS.iter().find(|(full, _)| *full == first) {
            Some((_, short)) => format!("{short} {surname1}"),
            None if female => pick(rng, names::NICKNAMES_FEMALE).to_string(),
            None => pick(rng, names::NICKNAMES_MALE).to_string(),
        };
        aliases.push(alias);
    }
    let occupation = occupation(rng, sex, age).map(str::to_owned);
    let national = nationalities.contains(&own);
    let id = PersonId::parse(&format!("{}-{:07}", country.code, n + 1)).ok()?;

    let mut t = Timeline {
        rng,
        country,
        person: n,
        female,
        national,
        cursor: i64::MIN,
        ended: false,
        events: Vec::new(),
        sources: Vec::new(),
    };
    let mut detentions = Vec::new();
    if let Some((det, free)) = detention_story(&mut t, arrest, true, foreigner, city, province_name)
    {
        detentions.push(det);
        // Re-arrest after a release: a second detention.
        if free.is_some() && chance(t.rng, 6.0) {
            if let Some(d) = t.after(60, 700) {
                if let Some((det, _)) =
                    detention_story(&mut t, d, false, foreigner, city, province_name)
                {
                    detentions.push(det);
                }
            }
        }
    }
    let Timeline {
        rng,
        events,
        sources,
        ..
    } = t;

    let name = match &surname2 {
        Some(s2) => format!("{given} {surname1} {s2}"),
        None => format!("{given} {surname1}"),
    };
    let first_date = events
        .first()
        .map(|e| e.date.to_string())
        .unwrap_or_default();
    let verb = if female { "detenida" } else { "detenido" };
    let occupation_words = occupation
        .as_deref()
        .map(|o| format!(", {o}"))
        .unwrap_or_default();
    let summary = format!(
        "Caso sintético de demostración: no corresponde a ninguna persona real. \
         {name}{occupation_words}, de {province_name}, fue {verb} en {city} ({first_date})."
    );
    // Stripped of the nationality (Nicaragua, February 2023): no longer
    // listed as a national.
    let stripped = events.iter().any(|e| {
        e.release
            .as_ref()
            .is_some_and(|r| r.conditions.contains(&Condition::Statelessness))
    });
    if stripped {
        nationalities.retain(|c| *c != own);
    }
    let person = Person {
        id,
        given_names: given.clone(),
        surname1: surname1.clone(),
        surname2: surname2.clone(),
        aliases,
        sex: Some(sex),
        birth_date: birth_text(rng, birth_year, birth_month, birth_day)
            .and_then(|s| EdtfDate::parse(&s).ok()),
        nationalities,
        country: own,
        province: Some(province_name.to_owned()),
        occupation,
        summary: Some(summary),
        publish: !chance(rng, 5.0),
        private_notes: chance(rng, 12.0)
            .then(|| "Nota ficticia (demo): la familia pide no difundir su dirección.".to_owned()),
        family_contact: chance(rng, 20.0).then(|| format!("{} 0000 (ficticio)", country.phone)),
    };
    let recent_entry = Recent {
        given,
        surname1,
        surname2,
        sex,
        country: ci,
        province,
        birth_year,
    };
    Some((
        CaseBundle {
            person,
            detentions,
            events,
            sources,
        },
        recent_entry,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use libres_core::{derive_status, Status};
    use std::collections::{HashMap, HashSet};

    #[test]
    fn the_same_seed_gives_the_same_registry() {
        assert_eq!(generate(200, SEED), generate(200, SEED));
        assert_ne!(generate(20, SEED), generate(20, SEED + 1));
    }

    #[test]
    fn a_smaller_registry_is_a_prefix_of_a_larger_one() {
        let small = generate(50, SEED);
        let large = generate(120, SEED);
        assert_eq!(small[..], large[..50]);
    }

    #[test]
    fn three_thousand_persons_cover_every_release_kind_and_the_main_statuses() {
        let cases = generate(3000, SEED);
        assert_eq!(cases.len(), 3000);
        let kinds: HashSet<ReleaseKind> = cases
            .iter()
            .flat_map(|c| &c.events)
            .filter_map(|e| e.release.as_ref().map(|r| r.kind))
            .collect();
        for k in ReleaseKind::ALL {
            assert!(kinds.contains(k), "no {k} release");
        }
        let mut statuses: HashMap<Status, usize> = HashMap::new();
        for c in &cases {
            *statuses.entry(derive_status(&c.events)).or_default() += 1;
        }
        for s in [
            Status::Detained,
            Status::ConditionalRelease,
            Status::Exiled,
            Status::HouseArrest,
            Status::Released,
            Status::Disappeared,
        ] {
            assert!(
                statuses.get(&s).copied().unwrap_or(0) > 0,
                "no {s}: {statuses:?}"
            );
        }
        let kinds: HashSet<EventKind> = cases
            .iter()
            .flat_map(|c| &c.events)
            .map(|e| e.kind)
            .collect();
        for k in [
            EventKind::Revocation,
            EventKind::ReArrest,
            EventKind::Exile,
            EventKind::HungerStrike,
            EventKind::HealthAlert,
        ] {
            assert!(kinds.contains(&k), "no {k} event");
        }
    }

    #[test]
    fn every_case_is_consistent_and_clearly_synthetic() {
        let cases = generate(3000, SEED);
        let mut ids = HashSet::new();
        let mut unpublished = 0;
        for c in &cases {
            let p = &c.person;
            assert!(ids.insert(p.id.clone()), "duplicate id {}", p.id);
            assert!(["CU", "VE", "NI"].contains(&p.country.as_str()));
            assert!(p
                .summary
                .as_deref()
                .is_some_and(|s| s.contains("sintético")));
            assert!(!c.events.is_empty() && !c.detentions.is_empty(), "{}", p.id);
            if let Some(fc) = &p.family_contact {
                assert!(fc.contains("(ficticio)"));
            }
            unpublished += usize::from(!p.publish);
            for s in &c.sources {
                if let Some(url) = &s.url {
                    assert!(url.starts_with("https://example.org/"), "{url}");
                }
                if s.kind == SourceKind::Testimony {
                    assert!(s.confidential);
                }
            }
            for e in &c.events {
                for &i in &e.source_ids {
                    assert!((i as usize) < c.sources.len());
                }
                assert!(e.date.latest() <= 20261031, "{} {}", p.id, e.date);
            }
            // Strictly increasing dates: the recorded order is the
            // chronological order, so the intended status is the derived one.
            for w in c.events.windows(2) {
                assert!(
                    w[0].date.latest() < w[1].date.earliest(),
                    "{}: {} then {}",
                    p.id,
                    w[0].date,
                    w[1].date
                );
            }
            for d in &c.detentions {
                for code in &d.charges {
                    assert!(code.starts_with(&p.country.as_str().to_ascii_lowercase()));
                }
            }
        }
        let share = unpublished as f64 / cases.len() as f64;
        assert!((0.02..0.09).contains(&share), "{share}");
    }

    #[test]
    fn siblings_and_namesakes_appear() {
        let cases = generate(3000, SEED);
        let mut by_surnames: HashMap<(String, Option<String>), usize> = HashMap::new();
        let mut by_name: HashMap<String, usize> = HashMap::new();
        for c in &cases {
            *by_surnames
                .entry((c.person.surname1.clone(), c.person.surname2.clone()))
                .or_default() += 1;
            *by_name.entry(c.person.full_name()).or_default() += 1;
        }
        assert!(by_name.values().any(|n| *n >= 2), "no namesakes");
        assert!(by_surnames.values().any(|n| *n >= 3));
        let names: HashSet<&str> = cases
            .iter()
            .map(|c| c.person.given_names.as_str())
            .collect();
        assert!(names.contains("María de los Ángeles") || names.contains("José Luis"));
        assert!(names
            .iter()
            .any(|n| n.starts_with("Yo") || n.starts_with("Yu")));
    }
}
