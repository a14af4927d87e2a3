//! A country's figures as the groups publish them each month: who is
//! deprived of liberty now, broken down by province, prison, sex, age at
//! arrest, nationality and court; the entries and exits of each month
//! with their reasons; and the monthly report (totals, new cases, releases
//! by kind, deaths, health alerts).
//!
//! The rules are those of [`crate::held`], so that no figure claims more
//! than the dates say:
//! - an event counts in a month only when its date lies wholly inside it;
//!   events known only to a coarser date are counted apart ("unplaced");
//! - an event is **verified** when it is backed in public (a public source
//!   or a recorded verification); the others are counted apart;
//! - a person is a **minor at arrest** only when the dates make it certain
//!   (the latest possible birth day and the earliest possible arrest day
//!   are fewer than 18 years apart, and so are the earliest birth and the
//!   latest arrest);
//! - a person is a **foreigner** when none of their recorded nationalities
//!   is the country of detention (a person with no nationality recorded is
//!   neither foreign nor not: counted as unknown).
//!
//! Only published persons reach these functions (the store reads them so).

use crate::date::EdtfDate;
use crate::event::{EventKind, ReleaseKind};
use crate::held::{Dated, Month};
use crate::person::Sex;
use crate::{CountryCode, PersonId, Status};
use std::collections::BTreeMap;

/// One published person of a country, with what the figures need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryCase {
    /// External id.
    pub id: PersonId,
    /// "Given Surname1 Surname2".
    pub name: String,
    /// Province or department.
    pub province: Option<String>,
    /// Sex.
    pub sex: Option<Sex>,
    /// Birth date.
    pub birth_date: Option<EdtfDate>,
    /// Nationalities.
    pub nationalities: Vec<CountryCode>,
    /// Country of detention.
    pub country: CountryCode,
    /// Derived status.
    pub status: Status,
    /// Arrest date of the first detention.
    pub first_arrest: Option<EdtfDate>,
    /// Prison of the latest detention.
    pub prison: Option<String>,
    /// Court of the latest detention.
    pub court: Option<String>,
    /// The timeline, oldest first, each event marked as backed or not.
    pub events: Vec<Dated>,
}

/// The kind of court of a detention, read from the court's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CourtKind {
    /// A military court trying civilians ("Tribunal Militar").
    Military,
    /// Any other named court.
    Ordinary,
    /// No court recorded (not tried, or not known).
    Unknown,
}

impl CourtKind {
    /// The kind of the court named `court`.
    pub fn of(court: Option<&str>) -> CourtKind {
        match court {
            None => CourtKind::Unknown,
            Some(c) if c.trim().is_empty() => CourtKind::Unknown,
            Some(c) if crate::text::fold(c).split(' ').any(|w| w == "militar") => {
                CourtKind::Military
            }
            Some(_) => CourtKind::Ordinary,
        }
    }

    /// A stable slug.
    pub fn slug(self) -> &'static str {
        match self {
            CourtKind::Military => "military",
            CourtKind::Ordinary => "ordinary",
            CourtKind::Unknown => "unknown",
        }
    }
}

/// Whether the dates make it certain that the person was under 18 at
/// `arrest`; `None` when they leave it open or are missing.
pub fn minor_at(birth: Option<&EdtfDate>, arrest: Option<&EdtfDate>) -> Option<bool> {
    let (born_first, born_last) = birth?.bounded_days()?;
    let (arrested_first, arrested_last) = arrest?.bounded_days()?;
    // yyyymmdd + 18 years is + 180000.
    let surely_minor = arrested_last < born_first + 180_000;
    let surely_adult = arrested_first >= born_last + 180_000;
    match (surely_minor, surely_adult) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    }
}

/// Counts by a key, largest first, then by key.
fn ranked<K: Ord + Clone>(counts: BTreeMap<K, u64>) -> Vec<(K, u64)> {
    let mut v: Vec<(K, u64)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// Who is deprived of liberty now, broken down.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Breakdown {
    /// Persons deprived of liberty now (in prison, under house arrest,
    /// disappeared).
    pub held: u64,
    /// By status (of those held).
    pub by_status: Vec<(Status, u64)>,
    /// By province (`None`: not recorded).
    pub by_province: Vec<(Option<String>, u64)>,
    /// By prison of the latest detention (`None`: not recorded).
    pub by_prison: Vec<(Option<String>, u64)>,
    /// By sex (`None`: not recorded).
    pub by_sex: Vec<(Option<Sex>, u64)>,
    /// Minors at their first arrest: certainly, certainly not, unknown.
    pub minors: (u64, u64, u64),
    /// Foreigners, nationals, nationality unknown.
    pub foreigners: (u64, u64, u64),
    /// The foreigners by nationality (a person with two counts twice).
    pub by_nationality: Vec<(CountryCode, u64)>,
    /// By kind of court of the latest detention.
    pub by_court: Vec<(CourtKind, u64)>,
}

/// The breakdown of the persons of `cases` deprived of liberty now.
pub fn breakdown(cases: &[CountryCase]) -> Breakdown {
    let mut b = Breakdown::default();
    let (mut status, mut province, mut prison, mut sex) = (
        BTreeMap::new(),
        BTreeMap::new(),
        BTreeMap::new(),
        BTreeMap::new(),
    );
    let (mut nationality, mut court) = (BTreeMap::new(), BTreeMap::new());
    for c in cases.iter().filter(|c| c.status.is_held()) {
        b.held += 1;
        *status.entry(c.status).or_insert(0) += 1;
        *province.entry(c.province.clone()).or_insert(0) += 1;
        // The disappeared have no known prison, whatever was recorded.
        let place = (c.status != Status::Disappeared)
            .then(|| c.prison.clone())
            .flatten();
        *prison.entry(place).or_insert(0) += 1;
        *sex.entry(c.sex).or_insert(0) += 1;
        match minor_at(c.birth_date.as_ref(), c.first_arrest.as_ref()) {
            Some(true) => b.minors.0 += 1,
            Some(false) => b.minors.1 += 1,
            None => b.minors.2 += 1,
        }
        if c.nationalities.is_empty() {
            b.foreigners.2 += 1;
        } else if c.nationalities.contains(&c.country) {
            b.foreigners.1 += 1;
        } else {
            b.foreigners.0 += 1;
            for n in &c.nationalities {
                *nationality.entry(*n).or_insert(0) += 1;
            }
        }
        *court.entry(CourtKind::of(c.court.as_deref())).or_insert(0) += 1;
    }
    b.by_status = ranked(status);
    b.by_province = ranked(province);
    b.by_prison = ranked(prison);
    b.by_sex = ranked(sex);
    b.by_nationality = ranked(nationality);
    b.by_court = ranked(court);
    b
}

/// Why a person entered or left deprivation of liberty in a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    /// Arrested, re-arrested, or sent back by a revocation.
    Entry(EventKind),
    /// Released (of this kind), exiled, or died in custody.
    Exit(EventKind, Option<ReleaseKind>),
}

/// The entries and exits of one month, with their reasons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    /// Which month.
    pub month: Month,
    /// Entries by reason, verified and unverified.
    pub entries: Vec<(EventKind, u64, u64)>,
    /// Exits by reason, verified and unverified.
    pub exits: Vec<(EventKind, Option<ReleaseKind>, u64, u64)>,
}

impl Flow {
    /// All entries of the month.
    pub fn entries_total(&self) -> u64 {
        self.entries.iter().map(|e| e.1 + e.2).sum()
    }

    /// All exits of the month.
    pub fn exits_total(&self) -> u64 {
        self.exits.iter().map(|e| e.2 + e.3).sum()
    }
}

/// The reason an event gives, if it moves a person in or out.
fn reason(d: &Dated) -> Option<Reason> {
    let e = &d.event;
    match e.kind {
        EventKind::Arrest | EventKind::ReArrest | EventKind::Revocation => {
            Some(Reason::Entry(e.kind))
        }
        EventKind::Release => Some(Reason::Exit(e.kind, e.release.as_ref().map(|r| r.kind))),
        EventKind::Exile | EventKind::DeathInCustody => Some(Reason::Exit(e.kind, None)),
        _ => None,
    }
}

/// The month an event's date lies wholly inside, if one.
fn month_of(d: &Dated) -> Option<Month> {
    let m = Month::of_day(d.event.date.earliest_day()?);
    (Month::of_day(d.event.date.latest()) == m).then_some(m)
}

/// The entries and exits of each month from `from` to `to` (both
/// included), and how many entries and exits have dates too coarse to
/// place in a month.
pub fn flows(cases: &[CountryCase], from: Month, to: Month) -> (Vec<Flow>, u64) {
    let mut by_month: BTreeMap<Month, BTreeMap<Reason, (u64, u64)>> = BTreeMap::new();
    let mut unplaced = 0;
    let (first, _) = from.days();
    let (_, last) = to.days();
    for c in cases {
        for d in &c.events {
            let Some(r) = reason(d) else { continue };
            match month_of(d) {
                Some(m) if m >= from && m <= to => {
                    let slot = by_month.entry(m).or_default().entry(r).or_insert((0, 0));
                    if d.backed {
                        slot.0 += 1;
                    } else {
                        slot.1 += 1;
                    }
                }
                Some(_) => {}
                None if d.event.date.may_overlap(first, last) => unplaced += 1,
                None => {}
            }
        }
    }
    let mut out = Vec::new();
    let mut m = from;
    while m <= to {
        let reasons = by_month.remove(&m).unwrap_or_default();
        let mut entries = Vec::new();
        let mut exits = Vec::new();
        for (r, (v, u)) in reasons {
            match r {
                Reason::Entry(k) => entries.push((k, v, u)),
                Reason::Exit(k, rk) => exits.push((k, rk, v, u)),
            }
        }
        out.push(Flow {
            month: m,
            entries,
            exits,
        });
        m = m.next();
    }
    (out, unplaced)
}

/// A person named in a monthly report, with what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// External id.
    pub id: PersonId,
    /// Full name.
    pub name: String,
    /// The event's date.
    pub date: EdtfDate,
    /// The event is backed in public.
    pub verified: bool,
}

/// A country's month, as the groups' monthly lists give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthReport {
    /// Which month.
    pub month: Month,
    /// Persons deprived of liberty at the month's end (the rules of
    /// [`crate::held`]).
    pub held_at_end: u64,
    /// Persons deprived of liberty at the previous month's end.
    pub held_before: u64,
    /// The entries and exits of the month.
    pub flow: Flow,
    /// Persons arrested for the first time in the month: new cases.
    pub new_cases: Vec<Named>,
    /// Deaths in custody in the month.
    pub deaths: Vec<Named>,
    /// Health alerts in the month.
    pub health_alerts: Vec<Named>,
    /// Entries and exits that may fall in the month but are dated too
    /// coarsely to say.
    pub unplaced: u64,
}

/// The report of `month` over `cases`.
pub fn month_report(cases: &[CountryCase], month: Month) -> MonthReport {
    let timelines: Vec<Vec<Dated>> = cases.iter().map(|c| c.events.clone()).collect();
    let (series, _) = crate::held::months(&timelines, month.back(1), month);
    let held = |i: usize| series.get(i).map_or(0, |m| m.held);
    let (flows, unplaced) = flows(cases, month, month);
    let named = |c: &CountryCase, d: &Dated| Named {
        id: c.id.clone(),
        name: c.name.clone(),
        date: d.event.date.clone(),
        verified: d.backed,
    };
    let (mut new_cases, mut deaths, mut health_alerts) = (Vec::new(), Vec::new(), Vec::new());
    for c in cases {
        // The first arrest of the timeline, if it falls in the month.
        if let Some(d) = c
            .events
            .iter()
            .filter(|d| d.event.kind == EventKind::Arrest)
            .min_by(|a, b| a.event.date.chrono_cmp(&b.event.date))
        {
            if month_of(d) == Some(month) {
                new_cases.push(named(c, d));
            }
        }
        for d in c.events.iter().filter(|d| month_of(d) == Some(month)) {
            match d.event.kind {
                EventKind::DeathInCustody => deaths.push(named(c, d)),
                EventKind::HealthAlert => health_alerts.push(named(c, d)),
                _ => {}
            }
        }
    }
    for list in [&mut new_cases, &mut deaths, &mut health_alerts] {
        list.sort_by(|a, b| a.date.chrono_cmp(&b.date).then_with(|| a.name.cmp(&b.name)));
    }
    MonthReport {
        month,
        held_at_end: held(1),
        held_before: held(0),
        flow: flows.into_iter().next().unwrap_or(Flow {
            month,
            entries: Vec::new(),
            exits: Vec::new(),
        }),
        new_cases,
        deaths,
        health_alerts,
        unplaced,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Event, Release};

    fn date(s: &str) -> EdtfDate {
        EdtfDate::parse(s).unwrap()
    }

    fn ev(kind: EventKind, d: &str, backed: bool) -> Dated {
        Dated {
            event: Event::new(kind, date(d)),
            backed,
        }
    }

    fn release(d: &str, kind: ReleaseKind) -> Dated {
        let mut e = Event::new(EventKind::Release, date(d));
        e.release = Some(Release {
            kind,
            conditions: Vec::new(),
        });
        Dated {
            event: e,
            backed: true,
        }
    }

    fn case(id: &str, status: Status, events: Vec<Dated>) -> CountryCase {
        CountryCase {
            id: PersonId::parse(id).unwrap(),
            name: format!("Persona {id}"),
            province: Some("La Habana".into()),
            sex: Some(Sex::F),
            birth_date: Some(date("1990")),
            nationalities: vec![CountryCode::parse("CU").unwrap()],
            country: CountryCode::parse("CU").unwrap(),
            status,
            first_arrest: events
                .iter()
                .find(|d| d.event.kind == EventKind::Arrest)
                .map(|d| d.event.date.clone()),
            prison: Some("Combinado del Este".into()),
            court: Some("Tribunal Provincial de La Habana".into()),
            events,
        }
    }

    #[test]
    fn minors_are_counted_only_when_the_dates_make_it_certain() {
        assert_eq!(
            minor_at(Some(&date("2005-03-01")), Some(&date("2021-07-11"))),
            Some(true)
        );
        assert_eq!(
            minor_at(Some(&date("2003")), Some(&date("2021-07-11"))),
            None
        );
        assert_eq!(
            minor_at(Some(&date("2002")), Some(&date("2021-07-11"))),
            Some(false)
        );
        assert_eq!(
            minor_at(Some(&date("2003-07-12")), Some(&date("2021-07-11"))),
            Some(true)
        );
        assert_eq!(
            minor_at(Some(&date("2003-07-11")), Some(&date("2021-07-11"))),
            Some(false)
        );
        assert_eq!(minor_at(None, Some(&date("2021"))), None);
    }

    #[test]
    fn the_breakdown_counts_only_those_held_now() {
        let mut minor = case(
            "CU-1",
            Status::Detained,
            vec![ev(EventKind::Arrest, "2021-07-11", true)],
        );
        minor.birth_date = Some(date("2005-01-01"));
        minor.court = Some("Tribunal Militar de La Habana".into());
        let mut foreign = case(
            "CU-2",
            Status::Detained,
            vec![ev(EventKind::Arrest, "2021-07-11", true)],
        );
        foreign.nationalities = vec![CountryCode::parse("ES").unwrap()];
        foreign.sex = Some(Sex::M);
        let mut gone = case(
            "CU-3",
            Status::Disappeared,
            vec![ev(EventKind::Arrest, "2022", true)],
        );
        gone.province = None;
        let freed = case(
            "CU-4",
            Status::Released,
            vec![ev(EventKind::Arrest, "2021", true)],
        );
        let b = breakdown(&[minor, foreign, gone, freed]);
        assert_eq!(b.held, 3);
        assert_eq!(b.minors, (1, 2, 0));
        assert_eq!(b.foreigners, (1, 2, 0));
        assert_eq!(
            b.by_nationality,
            vec![(CountryCode::parse("ES").unwrap(), 1)]
        );
        assert_eq!(b.by_sex, vec![(Some(Sex::F), 2), (Some(Sex::M), 1)]);
        assert_eq!(
            b.by_prison,
            vec![(Some("Combinado del Este".into()), 2), (None, 1)],
            "the disappeared have no known prison"
        );
        assert_eq!(
            b.by_province,
            vec![(Some("La Habana".into()), 2), (None, 1)]
        );
        assert_eq!(
            b.by_court,
            vec![(CourtKind::Ordinary, 2), (CourtKind::Military, 1)]
        );
    }

    #[test]
    fn a_month_counts_what_surely_happened_in_it() {
        let m = Month {
            year: 2025,
            month: 1,
        };
        let cases = vec![
            case(
                "CU-1",
                Status::ConditionalRelease,
                vec![
                    ev(EventKind::Arrest, "2021-07-11", true),
                    release("2025-01-16", ReleaseKind::Parole),
                ],
            ),
            case(
                "CU-2",
                Status::Detained,
                vec![
                    ev(EventKind::Arrest, "2025-01-03", false),
                    ev(EventKind::HealthAlert, "2025-01-20", true),
                ],
            ),
            case(
                "CU-3",
                Status::DiedInCustody,
                vec![
                    ev(EventKind::Arrest, "2020", true),
                    ev(EventKind::DeathInCustody, "2025-01-30", true),
                ],
            ),
            // Released some time in 2025: may be January, counted apart.
            case(
                "CU-4",
                Status::Released,
                vec![
                    ev(EventKind::Arrest, "2019", true),
                    release("2025", ReleaseKind::SentenceServed),
                ],
            ),
        ];
        let r = month_report(&cases, m);
        assert_eq!(r.new_cases.len(), 1);
        assert_eq!(r.new_cases[0].id.as_str(), "CU-2");
        assert!(!r.new_cases[0].verified);
        assert_eq!(r.deaths.len(), 1);
        assert_eq!(r.health_alerts.len(), 1);
        assert_eq!(r.flow.entries, vec![(EventKind::Arrest, 0, 1)]);
        assert_eq!(
            r.flow.exits,
            vec![
                (EventKind::Release, Some(ReleaseKind::Parole), 1, 0),
                (EventKind::DeathInCustody, None, 1, 0),
            ]
        );
        assert_eq!(r.unplaced, 1);
        // End of December: CU-1, CU-3 and CU-4 (whose "2025" release
        // cannot have happened yet). End of January: CU-2 only (CU-4's
        // release may have happened by then: not counted).
        assert_eq!(r.held_before, 3);
        assert_eq!(r.held_at_end, 1);
    }
}
