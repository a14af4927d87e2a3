//! Release announcements: what a government (or a court, a mediator, a
//! foreign government) *claimed*, kept apart from what was verified name
//! by name. Cuba announced 553 releases in January 2025 without a list;
//! Nicaragua announced "decenas". An announcement keeps the claim as it
//! was made: the number when there is one, and always its own words.

use crate::date::EdtfDate;
use crate::event::{Event, EventKind, ReleaseGroup};
use crate::person::FieldError;
use crate::status::Status;
use crate::CountryCode;
use serde::{Deserialize, Serialize};

crate::event::vocabulary! {
    /// Who made an announcement.
    IssuerKind {
        /// A government body (a ministry, the presidency, the prison service).
        Government = "government",
        /// A court.
        Court = "court",
        /// A church acting as mediator (the Vatican, a bishops' conference).
        ChurchMediator = "church_mediator",
        /// A foreign government (one that negotiated the releases).
        ForeignGovernment = "foreign_government",
        /// Anyone else (a party, a state newspaper without attribution).
        Other = "other",
    }
}

crate::event::vocabulary! {
    /// What an announcement claims to count.
    ClaimKind {
        /// Persons released (excarcelados), on whatever terms.
        Releases = "releases",
        /// Pardons (indultos), amnesties.
        Pardons = "pardons",
        /// Sentence reductions, with or without release.
        SentenceReductions = "sentence_reductions",
    }
}

/// An announcement's title and text in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncementText {
    /// A two-letter language code (`es`, `en`, `ar` …).
    pub lang: String,
    /// A short title (`Cuba announces 553 releases`).
    pub title: String,
    /// The announcement in that language, as long as needed; may be empty.
    pub body: String,
}

/// Of texts in several languages (an announcement's, a statement's), the
/// one in `lang`, else the Spanish one, else the first; a text without a
/// title is passed over while one with a title exists. With whether it is
/// in `lang`: a page then says the translation is missing and marks the
/// text with its own language.
pub fn text_in<'a>(
    texts: &'a [AnnouncementText],
    lang: &str,
) -> Option<(&'a AnnouncementText, bool)> {
    let titled = |t: &&AnnouncementText| !t.title.trim().is_empty();
    if let Some(t) = texts.iter().filter(titled).find(|t| t.lang == lang) {
        return Some((t, true));
    }
    texts
        .iter()
        .filter(titled)
        .find(|t| t.lang == "es")
        .or_else(|| texts.iter().find(titled))
        .or_else(|| texts.first())
        .map(|t| (t, t.lang == lang))
}

/// A release announcement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Announcement {
    /// Store-assigned id; 0 before the announcement is stored.
    pub id: i64,
    /// The country whose prisoners it concerns.
    pub country: CountryCode,
    /// When it was made (EDTF).
    pub date: EdtfDate,
    /// Who made it: the kind of issuer.
    pub issuer_kind: IssuerKind,
    /// Who made it, by name (`Tribunal Supremo Popular`).
    pub issuer: String,
    /// What it claims to count.
    pub claim: ClaimKind,
    /// The number claimed, when the claim gives one.
    pub claimed: Option<u32>,
    /// The claim in its own words (`553 sancionados por diversos
    /// delitos`, `decenas`): required when there is no number.
    pub claimed_words: Option<String>,
    /// Title and text, one per language (at least one).
    pub texts: Vec<AnnouncementText>,
    /// Ids of the sources that report it.
    pub source_ids: Vec<i64>,
}

/// The longest issuer name, claim wording or title.
pub const MAX_LINE_CHARS: usize = 500;
/// The longest text of one language.
pub const MAX_BODY_CHARS: usize = 20_000;

impl Announcement {
    /// Every problem of this announcement, by field (`issuer`,
    /// `claimed_words`, `texts`), as a form shows them; empty when it can
    /// be stored.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut errs = Vec::new();
        let mut line = |col: &str, v: &str, max: usize| {
            if v.chars().count() > max {
                errs.push(FieldError::new(
                    col,
                    format!("is longer than {max} characters"),
                ));
            } else if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
                errs.push(FieldError::new(col, "holds a control character"));
            }
        };
        line("issuer", &self.issuer, MAX_LINE_CHARS);
        if let Some(w) = &self.claimed_words {
            line("claimed_words", w, MAX_LINE_CHARS);
        }
        for t in &self.texts {
            line("texts", &t.title, MAX_LINE_CHARS);
            line("texts", &t.body, MAX_BODY_CHARS);
        }
        if self.issuer.trim().is_empty() {
            errs.push(FieldError::new(
                "issuer",
                "is empty; say who made the announcement",
            ));
        }
        let words = self.claimed_words.as_deref().map_or("", str::trim);
        if self.claimed.is_none() && words.is_empty() {
            errs.push(FieldError::new(
                "claimed_words",
                "a claim without a number needs its own words (\"decenas\", \"dozens\")",
            ));
        }
        if self.texts.is_empty() {
            errs.push(FieldError::new(
                "texts",
                "give a title in at least one language",
            ));
        }
        let mut seen: Vec<&str> = Vec::new();
        for t in &self.texts {
            let ok = t.lang.len() == 2 && t.lang.bytes().all(|b| b.is_ascii_lowercase());
            if !ok {
                errs.push(FieldError::new(
                    "texts",
                    format!(
                        "`{}` is not a two-letter language code (es, en, ar …)",
                        t.lang
                    ),
                ));
            } else if seen.contains(&t.lang.as_str()) {
                errs.push(FieldError::new(
                    "texts",
                    format!("`{}` is given twice", t.lang),
                ));
            }
            seen.push(&t.lang);
            if t.title.trim().is_empty() {
                errs.push(FieldError::new(
                    "texts",
                    format!("the `{}` text has no title", t.lang),
                ));
            }
        }
        errs
    }

    /// The text in `lang`, or the fallback [`text_in`] chooses.
    pub fn text_in(&self, lang: &str) -> Option<(&AnnouncementText, bool)> {
        text_in(&self.texts, lang)
    }

    /// The fields that differ from `old`, by name (for an audit entry).
    pub fn changed_fields(&self, old: &Announcement) -> Vec<&'static str> {
        [
            ("country", self.country != old.country),
            ("date", self.date != old.date),
            ("issuer_kind", self.issuer_kind != old.issuer_kind),
            ("issuer", self.issuer != old.issuer),
            ("claim", self.claim != old.claim),
            ("claimed", self.claimed != old.claimed),
            ("claimed_words", self.claimed_words != old.claimed_words),
            ("texts", self.texts != old.texts),
            ("sources", self.source_ids != old.source_ids),
        ]
        .into_iter()
        .filter_map(|(name, differs)| differs.then_some(name))
        .collect()
    }
}

crate::event::vocabulary! {
    /// A figure of an announcement: a count of named persons, each a link
    /// to the names behind it. The claimed count is the government's and
    /// is never one of these.
    Figure {
        /// Persons on the registry with an event the announcement claimed.
        Named = "named",
        /// Of those, released: a release linked to the announcement,
        /// backed by a source or by a verification recorded by name.
        Verified = "verified",
        /// Named with a linked release that nothing backs: counted apart.
        Unverified = "unverified",
        /// Of the verified: released under conditions that can be revoked.
        Conditional = "conditional",
        /// Of the verified: released to house arrest.
        StillConfined = "still_confined",
        /// Of the verified: released into exile, or deported.
        Expelled = "expelled",
        /// Of the verified: released without conditions.
        FullFreedom = "full_freedom",
        /// Of the verified: revoked, re-arrested or charged again since.
        Reopened = "reopened",
        /// Of the verified: deprived of liberty again today (in prison,
        /// under house arrest or disappeared).
        StillHeld = "still_held",
    }
}

/// Where one person stands with respect to one announcement.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Standing {
    /// An event of theirs belongs to the announcement.
    pub named: bool,
    /// A release of theirs belongs to it and is backed ([`Event::backed`]).
    pub verified: bool,
    /// A release of theirs belongs to it, and none of those is backed.
    pub unverified: bool,
    /// The group of the verified release (the latest, when several).
    pub group: Option<ReleaseGroup>,
    /// Since the verified release: a revocation, re-arrest or new charge.
    pub reopened: bool,
    /// Deprived of liberty today.
    pub held: bool,
}

impl Standing {
    /// Where a person whose derived status is `status` and whose timeline
    /// is `events` (in chronological order) stands with respect to
    /// announcement `id`.
    pub fn of(id: i64, status: Status, events: &[Event]) -> Standing {
        let linked: Vec<(usize, &Event)> = events
            .iter()
            .enumerate()
            .filter(|(_, e)| e.announcement_id == Some(id))
            .collect();
        let releases: Vec<&(usize, &Event)> = linked
            .iter()
            .filter(|(_, e)| e.kind == EventKind::Release)
            .collect();
        let sourced = releases.iter().rev().find(|(_, e)| e.backed());
        let mut s = Standing {
            named: !linked.is_empty(),
            verified: sourced.is_some(),
            unverified: !releases.is_empty() && sourced.is_none(),
            ..Standing::default()
        };
        if let Some(&&(at, release)) = sourced {
            s.group = release.release.as_ref().map(|r| r.group());
            s.reopened = events[at + 1..].iter().any(|e| {
                matches!(
                    e.kind,
                    EventKind::Revocation | EventKind::ReArrest | EventKind::NewCharge
                )
            });
            s.held = status.is_held();
        }
        s
    }

    /// Whether the person counts in `figure`.
    pub fn counts_in(&self, figure: Figure) -> bool {
        match figure {
            Figure::Named => self.named,
            Figure::Verified => self.verified,
            Figure::Unverified => self.unverified,
            Figure::Conditional => self.group == Some(ReleaseGroup::Conditional),
            Figure::StillConfined => self.group == Some(ReleaseGroup::StillConfined),
            Figure::Expelled => self.group == Some(ReleaseGroup::Expelled),
            Figure::FullFreedom => self.group == Some(ReleaseGroup::FullFreedom),
            Figure::Reopened => self.verified && self.reopened,
            Figure::StillHeld => self.verified && self.held,
        }
    }
}

/// The figures of an announcement: for each [`Figure`], how many persons
/// count in it, in the order of [`Figure::ALL`].
pub fn figures(standings: &[Standing]) -> Vec<(Figure, u64)> {
    Figure::ALL
        .iter()
        .map(|&f| {
            (
                f,
                standings.iter().filter(|s| s.counts_in(f)).count() as u64,
            )
        })
        .collect()
}

/// How persons whose families refused publication are counted in a
/// public figure: in whole groups of this size, their number rounded down
/// to a multiple of it (4 count as 0, 7 as 5). No figure then gives their
/// exact number, and none tells of one or two of them: a small cell,
/// watched over time, points at a person. Set against each other, two
/// figures still give bounds, never an exact small count.
pub const SMALL_CELL: u64 = 5;

/// A figure as it is published: the published persons by key, and how
/// many unpublished ones it counts besides (a multiple of
/// [`SMALL_CELL`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicFigure<'a, K> {
    /// Which figure.
    pub figure: Figure,
    /// The published persons in it.
    pub named: Vec<&'a K>,
    /// The unpublished persons it counts.
    pub unnamed: u64,
}

impl<K> PublicFigure<'_, K> {
    /// The figure's count: named and unnamed.
    pub fn count(&self) -> u64 {
        self.named.len() as u64 + self.unnamed
    }
}

/// Every figure of an announcement as published, over `people`: each
/// person's key when published (`None` when not) and where they stand.
/// Unpublished persons are counted in groups of [`SMALL_CELL`].
pub fn public_figures<K>(people: &[(Option<K>, Standing)]) -> Vec<PublicFigure<'_, K>> {
    Figure::ALL
        .iter()
        .map(|&figure| {
            let mut named = Vec::new();
            let mut unnamed = 0u64;
            for (key, standing) in people {
                if standing.counts_in(figure) {
                    match key {
                        Some(k) => named.push(k),
                        None => unnamed += 1,
                    }
                }
            }
            PublicFigure {
                figure,
                named,
                unnamed: unnamed / SMALL_CELL * SMALL_CELL,
            }
        })
        .collect()
}

crate::event::vocabulary! {
    /// What the matcher proposes for a name of an announced list.
    Proposal {
        /// The name is this registry person.
        Match = "match",
        /// A person must look: a candidate, but not a sure one.
        Review = "review",
        /// Nobody on the registry.
        None = "none",
    }
}

crate::event::vocabulary! {
    /// Where a person's review of a listed name stands. Until a person
    /// decides, the proposal is the machine's and is labelled so.
    Review {
        /// Nobody has decided yet.
        Pending = "pending",
        /// The name is the chosen registry person (the proposal or another).
        Confirmed = "confirmed",
        /// The name is nobody on the registry.
        Rejected = "rejected",
    }
}

/// One name of an announcement's named list, with the matcher's proposal
/// and a person's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedName {
    /// Store-assigned id; 0 before it is stored.
    pub id: i64,
    /// Its line in the list as uploaded (from 1).
    pub line: u32,
    /// The list's own id for the row (its line when it has none).
    pub row_id: String,
    /// The name as the list writes it.
    pub full_name: String,
    /// The birth year, when the list gives one.
    pub birth_year: Option<i32>,
    /// The province, when the list gives one.
    pub province: Option<String>,
    /// The registry person the matcher proposes, if any.
    pub proposed: Option<crate::PersonId>,
    /// The matcher's probability, in millionths.
    pub score_ppm: u32,
    /// The matcher's decision.
    pub proposal: Proposal,
    /// Why, in the matcher's words.
    pub reason: String,
    /// A person's decision.
    pub review: Review,
    /// The person confirmed (with [`Review::Confirmed`]).
    pub person: Option<crate::PersonId>,
    /// Who decided.
    pub decided_by: Option<String>,
}

/// Why a named list with these names may not be replaced, if it may not:
/// names a person decided are never thrown away.
pub fn list_kept(names: &[ListedName]) -> Option<String> {
    let decided = names.iter().filter(|n| n.review != Review::Pending).count();
    (decided > 0).then(|| {
        format!(
            "{decided} name{} of this list {} decided already: a new list would throw the \
             decisions away",
            if decided == 1 { "" } else { "s" },
            if decided == 1 { "is" } else { "are" },
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_with_a_decided_name_is_kept_and_says_how_many() {
        let name = |review: Review| ListedName {
            id: 1,
            line: 1,
            row_id: "1".into(),
            full_name: "ANA PUPO".into(),
            birth_year: None,
            province: None,
            proposed: None,
            score_ppm: 0,
            proposal: Proposal::None,
            reason: String::new(),
            review,
            person: None,
            decided_by: None,
        };
        assert_eq!(list_kept(&[name(Review::Pending)]), None);
        assert_eq!(list_kept(&[]), None);
        let one = list_kept(&[name(Review::Rejected), name(Review::Pending)]).unwrap();
        assert!(
            one.starts_with("1 name of this list is decided already"),
            "{one}"
        );
        let two = list_kept(&[name(Review::Rejected), name(Review::Confirmed)]).unwrap();
        assert!(two.starts_with("2 names of this list are decided"), "{two}");
    }

    pub(crate) fn cuba_2025() -> Announcement {
        Announcement {
            id: 0,
            country: CountryCode::parse("CU").unwrap(),
            date: EdtfDate::parse("2025-01-14").unwrap(),
            issuer_kind: IssuerKind::Government,
            issuer: "Ministerio de Relaciones Exteriores".into(),
            claim: ClaimKind::Releases,
            claimed: Some(553),
            claimed_words: Some("553 sancionados por diversos delitos".into()),
            texts: vec![
                AnnouncementText {
                    lang: "es".into(),
                    title: "Cuba anuncia 553 excarcelaciones".into(),
                    body: String::new(),
                },
                AnnouncementText {
                    lang: "en".into(),
                    title: "Cuba announces 553 releases".into(),
                    body: "No list of names was published.".into(),
                },
            ],
            source_ids: vec![],
        }
    }

    #[test]
    fn a_claim_with_a_number_or_with_words_is_valid() {
        assert_eq!(cuba_2025().problems(), []);
        let dozens = Announcement {
            claimed: None,
            claimed_words: Some("decenas".into()),
            ..cuba_2025()
        };
        assert_eq!(dozens.problems(), []);
    }

    #[test]
    fn each_problem_is_named_by_its_field() {
        let bad = Announcement {
            issuer: " ".into(),
            claimed: None,
            claimed_words: None,
            texts: vec![
                AnnouncementText {
                    lang: "ES".into(),
                    title: "x".into(),
                    body: String::new(),
                },
                AnnouncementText {
                    lang: "en".into(),
                    title: String::new(),
                    body: "a\u{7}".into(),
                },
                AnnouncementText {
                    lang: "en".into(),
                    title: "y".into(),
                    body: String::new(),
                },
            ],
            ..cuba_2025()
        };
        let found: Vec<String> = bad.problems().iter().map(ToString::to_string).collect();
        assert_eq!(
            found.iter().filter(|p| p.starts_with("issuer")).count(),
            1,
            "{found:?}"
        );
        assert!(
            found.iter().any(|p| p.contains("needs its own words")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|p| p.contains("`ES` is not a two-letter")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|p| p.contains("`en` is given twice")),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|p| p.contains("the `en` text has no title")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|p| p.contains("control character")),
            "{found:?}"
        );
        let none = Announcement {
            texts: vec![],
            ..cuba_2025()
        };
        assert_eq!(none.problems().len(), 1);
    }

    #[test]
    fn a_missing_language_falls_back_to_spanish_and_says_so() {
        let a = cuba_2025();
        assert_eq!(
            a.text_in("en").map(|(t, own)| (t.lang.as_str(), own)),
            Some(("en", true))
        );
        assert_eq!(
            a.text_in("ar").map(|(t, own)| (t.lang.as_str(), own)),
            Some(("es", false))
        );
    }

    fn release(
        date: &str,
        kind: crate::ReleaseKind,
        announcement: Option<i64>,
        sourced: bool,
    ) -> Event {
        let mut e = Event::new(EventKind::Release, EdtfDate::parse(date).unwrap());
        e.release = Some(crate::Release {
            kind,
            conditions: vec![],
        });
        e.announcement_id = announcement;
        if sourced {
            e.source_ids = vec![1];
        }
        e
    }

    fn at(kind: EventKind, date: &str) -> Event {
        Event::new(kind, EdtfDate::parse(date).unwrap())
    }

    #[test]
    fn each_person_counts_where_the_timeline_puts_them() {
        use crate::ReleaseKind::*;
        let arrest = at(EventKind::Arrest, "2021-07-11");
        // Paroled under announcement 7 with a source, then revoked: named,
        // verified, conditional, reopened, held again.
        let revoked = vec![
            arrest.clone(),
            release("2025-01-16", Parole, Some(7), true),
            at(EventKind::Revocation, "2025-04-29"),
        ];
        let s = Standing::of(7, Status::Detained, &revoked);
        assert!(s.named && s.verified && !s.unverified && s.reopened && s.held);
        assert_eq!(s.group, Some(ReleaseGroup::Conditional));
        // Another announcement's standing ignores it.
        assert_eq!(
            Standing::of(8, Status::Detained, &revoked),
            Standing::default()
        );
        // Released with no source: unverified, never verified.
        let unsourced = vec![
            arrest.clone(),
            release("2025-01-16", HouseArrest, Some(7), false),
        ];
        let s = Standing::of(7, Status::HouseArrest, &unsourced);
        assert!(s.named && !s.verified && s.unverified && !s.held);
        assert_eq!(s.group, None);
        // House arrest, sourced: still confined and still held.
        let confined = vec![
            arrest.clone(),
            release("2025-01-16", HouseArrest, Some(7), true),
        ];
        let s = Standing::of(7, Status::HouseArrest, &confined);
        assert!(s.counts_in(Figure::StillConfined) && s.counts_in(Figure::StillHeld));
        // A revocation before the release does not reopen it.
        let earlier = vec![
            arrest.clone(),
            at(EventKind::Revocation, "2024-01-01"),
            release("2025-01-16", Unconditional, Some(7), true),
        ];
        let s = Standing::of(7, Status::Released, &earlier);
        assert!(!s.reopened && s.counts_in(Figure::FullFreedom));
        // Named by a transfer linked to it, but not released.
        let mut moved = at(EventKind::Transfer, "2025-01-20");
        moved.announcement_id = Some(7);
        let s = Standing::of(7, Status::Detained, &[arrest, moved]);
        assert!(s.named && !s.verified && !s.unverified && !s.held);

        let all = [
            Standing::of(7, Status::Detained, &revoked),
            Standing::of(7, Status::HouseArrest, &unsourced),
            Standing::of(7, Status::HouseArrest, &confined),
            Standing::of(7, Status::Released, &earlier),
        ];
        let f: Vec<(&str, u64)> = figures(&all)
            .into_iter()
            .map(|(f, n)| (f.slug(), n))
            .collect();
        assert_eq!(
            f,
            [
                ("named", 4),
                ("verified", 3),
                ("unverified", 1),
                ("conditional", 1),
                ("still_confined", 1),
                ("expelled", 0),
                ("full_freedom", 1),
                ("reopened", 1),
                ("still_held", 2),
            ]
        );
    }

    #[test]
    fn unpublished_persons_are_counted_only_in_groups_of_at_least_five() {
        let verified = Standing {
            named: true,
            verified: true,
            ..Standing::default()
        };
        let mut people: Vec<(Option<u32>, Standing)> =
            vec![(Some(1), verified), (Some(2), verified)];
        people.extend((0..4).map(|_| (None, verified)));
        let f = public_figures(&people);
        let v = f.iter().find(|f| f.figure == Figure::Verified).unwrap();
        assert_eq!(
            (v.named.len(), v.unnamed, v.count()),
            (2, 0, 2),
            "4 hidden: left out"
        );
        people.push((None, verified));
        let f = public_figures(&people);
        let v = f.iter().find(|f| f.figure == Figure::Verified).unwrap();
        assert_eq!((v.unnamed, v.count()), (5, 7), "5 hidden: counted");
        people.extend((0..4).map(|_| (None, verified)));
        let f = public_figures(&people);
        let v = f.iter().find(|f| f.figure == Figure::Verified).unwrap();
        assert_eq!(
            (v.unnamed, v.count()),
            (5, 7),
            "9 hidden: rounded down to 5"
        );
        let u = f.iter().find(|f| f.figure == Figure::Unverified).unwrap();
        assert_eq!(u.count(), 0);
    }

    #[test]
    fn changed_fields_are_named() {
        let old = cuba_2025();
        let new = Announcement {
            claimed: Some(554),
            source_ids: vec![3],
            ..old.clone()
        };
        assert_eq!(new.changed_fields(&old), ["claimed", "sources"]);
        assert!(old.changed_fields(&old).is_empty());
    }
}
