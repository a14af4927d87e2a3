//! Statements and their signatures: the vocabulary and the rules that do
//! not need a database (issue 12 builds the rest on them).
//!
//! - A [`Statement`] is open for signing only while [`StatementStatus::Open`].
//! - A [`SignatureDraft`] is what the signing form posts; [`SignatureDraft::parse`]
//!   checks every field at once and gives a [`Signature`] or every problem.
//! - The signer chooses how they appear ([`Visibility`]); [`Signature::public_name`]
//!   is the only way a signer's name reaches a public page, and only after
//!   staff moderation.
//! - Duplicates are found on the [`mailbox`] of the address, so that the
//!   same person cannot sign twice by writing their address another way.

use crate::event::vocabulary;
use crate::person::FieldError;
use crate::staff::Email;
use crate::{derive_status, CountryCode, EdtfDate, Event, PersonId, UnixTime};
use serde::{Deserialize, Serialize};

vocabulary! {
    /// Where a statement stands.
    StatementStatus {
        /// Being written: not public, no signatures.
        Draft = "draft",
        /// Public and open for signing.
        Open = "open",
        /// Public, no longer signed.
        Closed = "closed",
    }
}

vocabulary! {
    /// Who a signer is, as they say (a registry link verifies the first
    /// two).
    SignerCategory {
        /// Served time as a political prisoner (with the years served).
        FormerPrisoner = "former_prisoner",
        /// A relative of someone detained.
        Relative = "relative",
        /// An activist in the country.
        ActivistInside = "activist_inside",
        /// An activist in exile.
        ActivistExile = "activist_exile",
        /// A supporter abroad.
        ForeignSupporter = "foreign_supporter",
        /// An organisation, signing as one.
        Organisation = "organisation",
    }
}

vocabulary! {
    /// How the signer chose to appear on the public list.
    Visibility {
        /// The full name and country.
        FullName = "full_name",
        /// Initials and country.
        Initials = "initials",
        /// Counted in the totals, never listed.
        CountedOnly = "counted_only",
    }
}

/// A statement, as staff write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Store-assigned id; 0 before it is stored.
    pub id: i64,
    /// Draft, open or closed.
    pub status: StatementStatus,
    /// Title and text per language (`es`, `en`, `ar`, …).
    pub texts: Vec<crate::AnnouncementText>,
    /// Whom it is addressed to (governments, bodies, the press), as
    /// written, one each.
    pub addressees: Vec<String>,
    /// The date it bears, as published (EDTF); none for a draft not yet
    /// dated.
    pub date: Option<EdtfDate>,
    /// When it was closed, set by the store when its status becomes
    /// closed (and cleared if it is reopened): the anonymisation period
    /// runs from here.
    pub closed_at: Option<UnixTime>,
    /// The registry persons it concerns.
    pub person_ids: Vec<PersonId>,
    /// The release announcements it concerns.
    pub announcement_ids: Vec<i64>,
}

/// The longest title of a statement, in characters.
pub const MAX_TITLE_CHARS: usize = 300;
/// The longest text of a statement, in characters.
pub const MAX_TEXT_CHARS: usize = 100_000;
/// The most addressees a statement names.
pub const MAX_ADDRESSEES: usize = 50;

impl Statement {
    /// Whether a signature may be taken now.
    pub fn takes_signatures(&self) -> bool {
        self.status == StatementStatus::Open
    }

    /// What stops the statement from being stored, each on its field:
    /// no title, an over-long or control-laden text, a language code that
    /// is not two letters, a language given twice, an empty addressee.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut errs = Vec::new();
        if self.texts.iter().all(|t| t.title.trim().is_empty()) {
            errs.push(FieldError::new(
                "title",
                "is empty; give the statement a title",
            ));
        }
        let mut langs: Vec<&str> = Vec::new();
        for t in &self.texts {
            if t.lang.len() != 2 || !t.lang.bytes().all(|b| b.is_ascii_lowercase()) {
                errs.push(FieldError::new(
                    "lang",
                    format!("`{}` is not a two-letter language code", t.lang),
                ));
            } else if langs.contains(&t.lang.as_str()) {
                errs.push(FieldError::new(
                    "lang",
                    format!("`{}` is given twice", t.lang),
                ));
            }
            langs.push(&t.lang);
            if t.title.chars().count() > MAX_TITLE_CHARS {
                errs.push(FieldError::new(
                    "title",
                    format!("is longer than {MAX_TITLE_CHARS} characters"),
                ));
            } else if t.title.chars().any(char::is_control) {
                errs.push(FieldError::new("title", "holds a control character"));
            }
            if t.body.chars().count() > MAX_TEXT_CHARS {
                errs.push(FieldError::new(
                    "text",
                    format!("is longer than {MAX_TEXT_CHARS} characters"),
                ));
            } else if t
                .body
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
            {
                errs.push(FieldError::new("text", "holds a control character"));
            }
        }
        if self.addressees.len() > MAX_ADDRESSEES {
            errs.push(FieldError::new(
                "addressees",
                format!("names more than {MAX_ADDRESSEES}"),
            ));
        }
        for a in &self.addressees {
            if a.trim().is_empty() {
                errs.push(FieldError::new("addressees", "one of them is empty"));
            } else if a.chars().count() > MAX_TITLE_CHARS || a.chars().any(char::is_control) {
                errs.push(FieldError::new(
                    "addressees",
                    format!(
                        "`{}` is not one line of at most {MAX_TITLE_CHARS} characters",
                        a.chars().take(40).collect::<String>()
                    ),
                ));
            }
        }
        errs
    }

    /// The fields that differ from `old`, by name (for an audit entry);
    /// `closed_at` is the store's, not an edit.
    pub fn changed_fields(&self, old: &Statement) -> Vec<&'static str> {
        [
            ("status", self.status != old.status),
            ("texts", self.texts != old.texts),
            ("addressees", self.addressees != old.addressees),
            ("date", self.date != old.date),
            ("persons", self.person_ids != old.person_ids),
            (
                "announcements",
                self.announcement_ids != old.announcement_ids,
            ),
        ]
        .into_iter()
        .filter_map(|(name, changed)| changed.then_some(name))
        .collect()
    }

    /// The text in `lang`, or the fallback
    /// [`crate::announcement::text_in`] chooses, with whether it is in
    /// `lang`.
    pub fn text_in(&self, lang: &str) -> Option<(&crate::AnnouncementText, bool)> {
        crate::announcement::text_in(&self.texts, lang)
    }
}

/// A stretch of time a timeline holds a person deprived of liberty
/// ([`crate::Status::is_held`]), as a floor: from the latest day the
/// opening event may have happened to the earliest day the closing one may
/// have, both `yyyymmdd`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spell {
    /// The first day surely held.
    pub from: i64,
    /// The last day surely held; `None` while the person is still held.
    pub to: Option<i64>,
}

/// The spells a timeline holds a person, oldest first. A spell whose start
/// has no latest possible day (an open-ended date such as `2021/..`) is
/// left out: nothing is certain about it. One whose end has no earliest
/// possible day counts nothing.
pub fn held_spells(events: &[Event]) -> Vec<Spell> {
    let mut ordered: Vec<&Event> = events.iter().collect();
    ordered.sort_by(|a, b| a.date.chrono_cmp(&b.date));
    let mut done: Vec<Event> = Vec::new();
    // Held since the latest day of the opening event, if it has one.
    let mut since: Option<Option<i64>> = None;
    let mut spells = Vec::new();
    for e in ordered {
        done.push(e.clone());
        let held = derive_status(&done).is_held();
        match (since, held) {
            (None, true) => since = Some(e.date.latest_day()),
            (Some(from), false) => {
                if let (Some(from), Some(to)) = (from, e.date.earliest_day()) {
                    if to >= from {
                        spells.push(Spell { from, to: Some(to) });
                    }
                }
                since = None;
            }
            _ => {}
        }
    }
    if let Some(Some(from)) = since {
        spells.push(Spell { from, to: None });
    }
    spells
}

/// Whole years a timeline holds a person deprived of liberty up to
/// `today` (a `yyyymmdd` day), counted as a floor: a spell starts on the
/// latest day its opening event may have happened and ends on the
/// earliest day its closing event may have, so a coarse date never adds
/// time. Years are whole years of the calendar (an anniversary counts). What a verified former prisoner's
/// signature shows, from the registry and not from the signer's word.
pub fn years_held(events: &[Event], today: i64) -> u32 {
    let days: i64 = held_spells(events)
        .into_iter()
        .map(|s| (day_number(s.to.unwrap_or(today)) - day_number(s.from)).max(0))
        .sum();
    // Whole years of 365.25 days, a day's grace for spans with fewer
    // leap days than the average: a fifth anniversary is five years.
    u32::try_from((days + 1) * 4 / 1_461).unwrap_or(0)
}

/// Days since 1970-01-01 of a `yyyymmdd` day (Hinnant's civil-to-days).
fn day_number(yyyymmdd: i64) -> i64 {
    let (y, m, d) = (
        yyyymmdd / 10_000,
        (yyyymmdd / 100 % 100).clamp(1, 12),
        (yyyymmdd % 100).clamp(1, 31),
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The longest name a signer may give, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// The most years served a former prisoner may state.
pub const MAX_YEARS_SERVED: u32 = 60;

/// The signing form as posted: text, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignatureDraft {
    /// The signer's name.
    pub name: String,
    /// Their email address (never shown or exported publicly).
    pub email: String,
    /// A [`SignerCategory`] slug.
    pub category: String,
    /// Years served, for a former political prisoner.
    pub years_served: String,
    /// Their country (alpha-2).
    pub country: String,
    /// A [`Visibility`] slug.
    pub visibility: String,
}

/// A signature whose fields are valid (not yet confirmed by email, nor
/// moderated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The name, trimmed.
    pub name: String,
    /// The address, normalised.
    pub email: Email,
    /// Who they sign as.
    pub category: SignerCategory,
    /// Stated by a former prisoner (verified only through a registry
    /// link, from the person's timeline).
    pub years_served: Option<u32>,
    /// Their country.
    pub country: CountryCode,
    /// How they appear on the public list.
    pub visibility: Visibility,
}

impl SignatureDraft {
    /// The signature, or every problem with the form, each on its field.
    pub fn parse(&self) -> Result<Signature, Vec<FieldError>> {
        let mut errs = Vec::new();
        let name = self.name.trim();
        if name.is_empty() {
            errs.push(FieldError::new("name", "is empty; give your name"));
        } else if name.chars().count() > MAX_NAME_CHARS {
            errs.push(FieldError::new(
                "name",
                format!("is longer than {MAX_NAME_CHARS} characters"),
            ));
        } else if name.chars().any(char::is_control) {
            errs.push(FieldError::new("name", "holds a control character"));
        }
        let email = Email::parse(&self.email)
            .map_err(|why| errs.push(FieldError::new("email", why)))
            .ok();
        let category = SignerCategory::from_slug(self.category.trim());
        if category.is_none() {
            errs.push(FieldError::new("category", "choose who you sign as"));
        }
        let years = self.years_served.trim();
        let years_served = match (category, years) {
            (_, "") => None,
            (Some(SignerCategory::FormerPrisoner), y) => match y.parse::<u32>() {
                Ok(n) if (1..=MAX_YEARS_SERVED).contains(&n) => Some(n),
                _ => {
                    errs.push(FieldError::new(
                        "years_served",
                        format!("`{y}` is not a number of years from 1 to {MAX_YEARS_SERVED}"),
                    ));
                    None
                }
            },
            (_, _) => {
                errs.push(FieldError::new(
                    "years_served",
                    "only a former political prisoner states years served",
                ));
                None
            }
        };
        let country = CountryCode::parse(self.country.trim())
            .map_err(|_| errs.push(FieldError::new("country", "choose a country")))
            .ok();
        let visibility = Visibility::from_slug(self.visibility.trim());
        if visibility.is_none() {
            errs.push(FieldError::new(
                "visibility",
                "choose how you appear on the list",
            ));
        }
        match (email, category, country, visibility) {
            (Some(email), Some(category), Some(country), Some(visibility)) if errs.is_empty() => {
                Ok(Signature {
                    name: name.to_owned(),
                    email,
                    category,
                    years_served,
                    country,
                    visibility,
                })
            }
            _ => Err(errs),
        }
    }
}

impl Signature {
    /// How the signature appears on the public list, as the signer chose:
    /// the full name, or the initials ("A. P. G."); `None` when it is only
    /// counted. The country is shown beside it either way.
    pub fn public_name(&self) -> Option<String> {
        match self.visibility {
            Visibility::FullName => Some(self.name.clone()),
            Visibility::Initials => Some(initials(&self.name)),
            Visibility::CountedOnly => None,
        }
    }
}

/// "Ana María Pupo" → "A. M. P."; particles ("de", "la", "del", "y")
/// are left out.
pub fn initials(name: &str) -> String {
    const PARTICLES: [&str; 7] = ["de", "del", "la", "las", "los", "y", "e"];
    name.split_whitespace()
        .filter(|w| !PARTICLES.contains(&w.to_lowercase().as_str()))
        .filter_map(|w| w.chars().find(|c| c.is_alphabetic()))
        .map(|c| format!("{}.", c.to_uppercase()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The mailbox an address reaches, on which duplicate signatures are
/// found: lower case (already, from [`Email`]), and for Gmail, which
/// ignores them, without dots in the local part and without a `+tag`:
/// `ana.pupo+firma@gmail.com` and `anapupo@googlemail.com` are one
/// mailbox. Elsewhere a `+` may be an ordinary character of another
/// person's address, so the address is kept as it is.
pub fn mailbox(email: &Email) -> String {
    let (local, domain) = email
        .as_str()
        .split_once('@')
        .unwrap_or((email.as_str(), ""));
    match domain {
        "gmail.com" | "googlemail.com" => {
            let local = local.split('+').next().unwrap_or(local);
            format!("{}@gmail.com", local.replace('.', ""))
        }
        _ => format!("{local}@{domain}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> SignatureDraft {
        SignatureDraft {
            name: " Ana María Pupo ".into(),
            email: "Ana.Pupo@Example.org".into(),
            category: "former_prisoner".into(),
            years_served: "11".into(),
            country: "CU".into(),
            visibility: "initials".into(),
        }
    }

    #[test]
    fn a_filled_form_is_a_signature_that_shows_as_the_signer_chose() {
        let s = draft().parse().unwrap();
        assert_eq!(s.name, "Ana María Pupo");
        assert_eq!(s.email.as_str(), "ana.pupo@example.org");
        assert_eq!(s.years_served, Some(11));
        assert_eq!(s.public_name().as_deref(), Some("A. M. P."));
        let full = Signature {
            visibility: Visibility::FullName,
            ..s.clone()
        };
        assert_eq!(full.public_name().as_deref(), Some("Ana María Pupo"));
        let counted = Signature {
            visibility: Visibility::CountedOnly,
            ..s
        };
        assert_eq!(counted.public_name(), None);
        assert_eq!(initials("José de la Cruz y Díaz"), "J. C. D.");
    }

    #[test]
    fn every_problem_of_the_form_lands_on_its_field() {
        let bad = SignatureDraft {
            name: "x".repeat(100_000),
            email: "not-an-address".into(),
            category: "relative".into(),
            years_served: "11".into(),
            country: "ZZZ".into(),
            visibility: "famous".into(),
        };
        let errs = bad.parse().unwrap_err();
        let cols: Vec<&str> = errs.iter().map(|e| e.column.as_str()).collect();
        assert_eq!(
            cols,
            ["name", "email", "years_served", "country", "visibility"]
        );
        let empty = SignatureDraft::default().parse().unwrap_err();
        assert!(empty.iter().any(|e| e.column == "name"));
        assert!(empty.iter().any(|e| e.column == "email"));
        let years = SignatureDraft {
            years_served: "70".into(),
            ..draft()
        };
        assert_eq!(years.parse().unwrap_err()[0].column, "years_served");
    }

    #[test]
    fn one_mailbox_however_its_address_is_written() {
        let m = |s: &str| mailbox(&Email::parse(s).unwrap());
        assert_eq!(m("Ana.Pupo+firma@Gmail.com"), "anapupo@gmail.com");
        assert_eq!(m("anapupo@googlemail.com"), "anapupo@gmail.com");
        assert_eq!(m("ana.pupo+x@example.org"), "ana.pupo+x@example.org");
        assert_ne!(m("bob+x@corp.example"), m("bob@corp.example"));
        assert_ne!(m("ana.pupo@example.org"), m("anapupo@example.org"));
    }

    fn statement() -> Statement {
        Statement {
            id: 1,
            status: StatementStatus::Draft,
            texts: vec![crate::AnnouncementText {
                lang: "es".into(),
                title: "Libertad para todos".into(),
                body: "Exigimos…".into(),
            }],
            addressees: vec!["Gobierno de Cuba".into()],
            date: None,
            closed_at: None,
            person_ids: vec![],
            announcement_ids: vec![],
        }
    }

    #[test]
    fn a_statement_needs_a_title_and_clean_texts_and_falls_back_to_a_language_it_has() {
        assert!(statement().problems().is_empty());
        let mut bad = statement();
        bad.texts[0].title = " ".into();
        bad.texts.push(crate::AnnouncementText {
            lang: "english".into(),
            title: "t\u{7}".into(),
            body: String::new(),
        });
        bad.addressees.push("  ".into());
        let cols: Vec<String> = bad.problems().into_iter().map(|e| e.column).collect();
        assert_eq!(cols, ["lang", "title", "addressees"]);
        let mut twice = statement();
        twice.texts.push(twice.texts[0].clone());
        assert_eq!(twice.problems()[0].column, "lang");
        let s = statement();
        assert_eq!(
            s.text_in("ar").map(|(t, own)| (t.lang.as_str(), own)),
            Some(("es", false))
        );
        assert_eq!(
            s.text_in("es").map(|(t, _)| t.title.as_str()),
            Some("Libertad para todos")
        );
    }

    fn ev(kind: crate::EventKind, date: &str, release: Option<crate::ReleaseKind>) -> Event {
        Event {
            id: 0,
            kind,
            date: EdtfDate::parse(date).unwrap(),
            release: release.map(|kind| crate::Release {
                kind,
                conditions: vec![],
            }),
            place: None,
            description: None,
            source_ids: vec![],
            announcement_id: None,
            verification: None,
        }
    }

    #[test]
    fn years_held_are_a_floor_over_every_spell() {
        use crate::{EventKind as K, ReleaseKind as R};
        // 2010-03-01 to 2021-03-01 in prison: 11 years.
        let one = [
            ev(K::Arrest, "2010-03-01", None),
            ev(K::Release, "2021-03-01", Some(R::SentenceServed)),
        ];
        assert_eq!(years_held(&one, 20261204), 11);
        // Coarse dates never add time: an arrest in "2010" counts from
        // its last day, a release in "2021" from its first.
        let coarse = [
            ev(K::Arrest, "2010", None),
            ev(K::Release, "2021", Some(R::SentenceServed)),
        ];
        assert_eq!(years_held(&coarse, 20261204), 10);
        // Two spells add up; parole is not held, house arrest is.
        let two = [
            ev(K::Arrest, "2000-01-01", None),
            ev(K::Release, "2004-01-01", Some(R::Parole)),
            ev(K::Revocation, "2005-01-01", None),
            ev(K::Release, "2007-01-01", Some(R::HouseArrest)),
            ev(K::Release, "2008-01-01", Some(R::Unconditional)),
        ];
        // 1,461 + 1,095 days: seven whole years of the calendar.
        assert_eq!(years_held(&two, 20261204), 7);
        // Still held: up to today.
        let held = [ev(K::Arrest, "2021-07-11", None)];
        assert_eq!(years_held(&held, 20260711), 5);
        assert_eq!(years_held(&held, 20260710), 4);
        assert_eq!(years_held(&[], 20260710), 0);
        // An arrest with an open end ("from 11 July 2021 on, some day")
        // makes no certain start: no time is counted from it.
        let open = [Event::new(
            crate::EventKind::Arrest,
            crate::EdtfDate::parse("2021-07-11/..").unwrap(),
        )];
        assert!(held_spells(&open).is_empty());
        assert_eq!(years_held(&open, 20261204), 0);
    }

    #[test]
    fn only_an_open_statement_takes_signatures() {
        for (status, takes) in [
            (StatementStatus::Draft, false),
            (StatementStatus::Open, true),
            (StatementStatus::Closed, false),
        ] {
            let s = Statement {
                status,
                ..statement()
            };
            assert_eq!(s.takes_signatures(), takes, "{status}");
        }
    }
}
