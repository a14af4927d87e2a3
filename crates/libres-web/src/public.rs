//! The public view of the registry: the only shapes of data that leave the
//! server, for the HTML pages and the JSON API alike.
//!
//! Redaction happens here and nowhere else. Building a [`PublicPerson`]
//! drops the confidential fields (`private_notes`, `family_contact`),
//! every confidential source, and every reference to one from the
//! timeline, and refuses persons whose family declined publication.
//!
//! Sources are numbered per case (1, 2, … in the order of the store), not
//! by their keys in the registry: a gap in the keys of a case's public
//! sources would show that a confidential one sits between them.
//! Because the structs below simply have no field for confidential data,
//! a template or serializer cannot leak it by mistake.

use libres_core::{
    charges, Condition, CountryCode, Detention, EdtfDate, Event, EventKind, PersonId, ReleaseGroup,
    ReleaseKind, Sex, Source, SourceKind, Status,
};
use libres_store::{PersonPage, PersonRecord, PersonSummary};
use serde::Serialize;
use utoipa::ToSchema;

/// The language the registry's own text (summaries, occupations, places,
/// sentences as pronounced, event descriptions) is written in. Pages in
/// other languages mark it with this `lang`.
pub const REGISTRY_LANG: &str = "es";

/// One row of a person list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonItem {
    /// External id, e.g. `CU-00123`.
    #[schema(value_type = String, example = "CU-00123")]
    pub id: PersonId,
    /// "Given Surname1 Surname2".
    pub full_name: String,
    /// Given names.
    pub given_names: String,
    /// First surname.
    pub surname1: String,
    /// Second surname.
    pub surname2: Option<String>,
    /// Country of detention (ISO 3166-1 alpha-2).
    #[schema(value_type = String, example = "CU")]
    pub country: CountryCode,
    /// Province or department.
    pub province: Option<String>,
    /// Current status, derived from the timeline: `detained`,
    /// `disappeared`, `house_arrest`, `conditional_release`, `released`,
    /// `exiled`, `died_in_custody` or `unknown`.
    #[schema(value_type = String, example = "detained")]
    pub status: Status,
    /// Birth date (EDTF).
    #[schema(value_type = Option<String>, example = "1985~")]
    pub birth_date: Option<EdtfDate>,
    /// Arrest date of the latest detention (EDTF).
    #[schema(value_type = Option<String>, example = "2021-07-11")]
    pub arrest_date: Option<EdtfDate>,
    /// Prison of the latest detention.
    pub prison: Option<String>,
}

impl From<PersonSummary> for PersonItem {
    fn from(s: PersonSummary) -> Self {
        PersonItem {
            full_name: s.full_name(),
            id: s.id,
            given_names: s.given_names,
            surname1: s.surname1,
            surname2: s.surname2,
            country: s.country,
            province: s.province,
            status: s.status,
            birth_date: s.birth_date,
            arrest_date: s.arrest_date,
            prison: s.prison,
        }
    }
}

/// One page of a person search.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonList {
    /// The persons on this page, sorted by surnames then given names.
    pub items: Vec<PersonItem>,
    /// How many published persons match in all.
    pub total: u64,
    /// This page's number (1-based).
    pub page: u32,
    /// Rows per page.
    pub per_page: u32,
    /// When a search by name found nothing: up to three other queries,
    /// each with one misspelled word replaced by the nearest name word of
    /// the published registry. Empty otherwise.
    pub suggestions: Vec<String>,
}

impl PersonList {
    /// The public list from a store page. Rows of unpublished persons are
    /// dropped even though the query already excluded them: this is the
    /// last gate before the network.
    pub fn from_page(page: PersonPage) -> PersonList {
        PersonList {
            items: page
                .items
                .into_iter()
                .filter(|s| s.publish)
                .map(PersonItem::from)
                .collect(),
            total: page.total,
            page: page.page,
            per_page: page.per_page,
            suggestions: page.suggestions,
        }
    }
}

/// `M`, `F` or `X`, as the API document says (the vocabulary's serde
/// form is lower case).
fn sex_letter<S: serde::Serializer>(sex: &Option<Sex>, out: S) -> Result<S::Ok, S::Error> {
    match sex {
        Some(s) => out.serialize_str(s.slug()),
        None => out.serialize_none(),
    }
}

/// A person's public case file.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicPerson {
    /// External id.
    #[schema(value_type = String, example = "CU-00123")]
    pub id: PersonId,
    /// "Given Surname1 Surname2".
    pub full_name: String,
    /// Given names.
    pub given_names: String,
    /// First surname.
    pub surname1: String,
    /// Second surname.
    pub surname2: Option<String>,
    /// Other names the person is known by.
    pub aliases: Vec<String>,
    /// `M`, `F` or `X`.
    #[schema(value_type = Option<String>, example = "F", pattern = "^[MFX]$")]
    #[serde(serialize_with = "sex_letter")]
    pub sex: Option<Sex>,
    /// Birth date (EDTF, e.g. `1985`, `1990-04~`).
    #[schema(value_type = Option<String>, example = "1985~")]
    pub birth_date: Option<EdtfDate>,
    /// Nationalities (ISO 3166-1 alpha-2).
    #[schema(value_type = Vec<String>, example = json!(["CU"]))]
    pub nationalities: Vec<CountryCode>,
    /// Country of detention.
    #[schema(value_type = String, example = "CU")]
    pub country: CountryCode,
    /// Province or department.
    pub province: Option<String>,
    /// Occupation.
    pub occupation: Option<String>,
    /// Public summary of the case.
    pub summary: Option<String>,
    /// Current status, derived from the timeline (see [`PersonItem`]).
    #[schema(value_type = String, example = "conditional_release")]
    pub status: Status,
    /// Detentions, oldest first.
    pub detentions: Vec<PublicDetention>,
    /// Timeline, in chronological order.
    pub events: Vec<PublicEvent>,
    /// Public sources cited by the timeline.
    pub sources: Vec<PublicSource>,
}

/// A detention and the judicial process that followed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicDetention {
    /// Date of arrest (EDTF).
    #[schema(value_type = Option<String>, example = "2021-07-11")]
    pub arrest_date: Option<EdtfDate>,
    /// Place of arrest.
    pub arrest_place: Option<String>,
    /// Arresting authority.
    pub authority: Option<String>,
    /// Charges.
    pub charges: Vec<PublicCharge>,
    /// Court.
    pub court: Option<String>,
    /// Sentence as pronounced.
    pub sentence: Option<String>,
    /// Sentence length in months, when known.
    pub sentence_months: Option<u32>,
    /// Prison.
    pub prison: Option<String>,
}

/// A charge: its code and, when the code is known, the legal term.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicCharge {
    /// Stable code, e.g. `cu.desacato`.
    pub code: String,
    /// The legal term in Spanish, as in court papers.
    #[schema(value_type = Option<String>, example = "desacato")]
    pub es: Option<&'static str>,
    /// An English rendering.
    #[schema(value_type = Option<String>, example = "contempt of authority")]
    pub en: Option<&'static str>,
}

/// One event of the timeline.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicEvent {
    /// When (EDTF).
    #[schema(value_type = String, example = "2025-01-16")]
    pub date: EdtfDate,
    /// What happened: `arrest`, `charge`, `trial`, `sentence`,
    /// `transfer`, `hunger_strike`, `health_alert`, `release`,
    /// `revocation`, `re_arrest`, `new_charge`, `disappearance`,
    /// `reappearance`, `death_in_custody` or `exile`.
    #[schema(value_type = String, example = "release")]
    pub kind: EventKind,
    /// For releases: how, and on what conditions.
    pub release: Option<PublicRelease>,
    /// Where.
    pub place: Option<String>,
    /// Public description.
    pub description: Option<String>,
    /// Numbers of the public sources (`id` in `sources`) that back this
    /// event.
    pub source_ids: Vec<u32>,
    /// The event changes the person's status and neither a public source
    /// nor a recorded verification backs it: shown as unverified.
    pub unverified: bool,
    /// The organisations that verified it, if recorded.
    pub verified_by: Vec<String>,
    /// The release announcement it belongs to (`/api/v1/announcements/{id}`).
    pub announcement_id: Option<i64>,
}

/// How a person left prison.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicRelease {
    /// `unconditional`, `sentence_served`, `parole`, `medical_leave`,
    /// `early_release`, `substitute_measure`, `house_arrest`,
    /// `forced_exile` or `deportation`.
    #[schema(value_type = String, example = "parole")]
    pub kind: ReleaseKind,
    /// `full_freedom`, `conditional`, `still_confined` or `expelled`:
    /// what the release means for the person.
    #[schema(value_type = String, example = "conditional")]
    pub group: ReleaseGroup,
    /// `periodic_presentation`, `travel_ban`, `gag_order`,
    /// `statelessness`, `confiscation`.
    #[schema(value_type = Vec<String>, example = json!(["travel_ban"]))]
    pub conditions: Vec<Condition>,
}

/// A public source document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicSource {
    /// The source's number within this case (1, 2, …), as referenced by
    /// `source_ids` and shown in the page's source list. Not a registry
    /// key: numbers are consecutive, whatever was left out.
    pub id: u32,
    /// `article`, `ngo_report`, `testimony`, `court_document`,
    /// `official_statement` or `social_media`.
    #[schema(value_type = String, example = "article")]
    pub kind: SourceKind,
    /// Title.
    pub title: String,
    /// Publisher or author.
    pub publisher: Option<String>,
    /// Publication date (EDTF).
    #[schema(value_type = Option<String>, example = "2025-01-17")]
    pub date: Option<EdtfDate>,
    /// Where it can be read.
    pub url: Option<String>,
}

impl PublicPerson {
    /// The public view of a stored person, or `None` when the family
    /// declined publication (the caller answers 404, exactly as for an
    /// unknown id).
    pub fn from_record(rec: PersonRecord) -> Option<PublicPerson> {
        let PersonRecord {
            person,
            status,
            detentions,
            events,
            sources,
        } = rec;
        if !person.publish {
            return None;
        }
        // (registry key, public number) of each public source.
        let mut numbers: Vec<(i64, u32)> = Vec::new();
        let sources: Vec<PublicSource> = sources
            .into_iter()
            .filter(|s| !s.confidential)
            .zip(1u32..)
            .map(|(s, n)| {
                numbers.push((s.id, n));
                PublicSource::new(s, n)
            })
            .collect();
        let events = events
            .into_iter()
            .map(|e| PublicEvent::new(e, &numbers))
            .collect();
        // Destructured so that a new confidential field on `Person` makes
        // this a compile error until someone decides where it goes.
        let libres_core::Person {
            id,
            given_names,
            surname1,
            surname2,
            aliases,
            sex,
            birth_date,
            nationalities,
            country,
            province,
            occupation,
            summary,
            publish: _,
            private_notes: _,
            family_contact: _,
        } = person;
        let mut full_name = format!("{given_names} {surname1}");
        if let Some(s2) = &surname2 {
            full_name.push(' ');
            full_name.push_str(s2);
        }
        Some(PublicPerson {
            id,
            full_name,
            given_names,
            surname1,
            surname2,
            aliases,
            sex,
            birth_date,
            nationalities,
            country,
            province,
            occupation,
            summary,
            status,
            detentions: detentions.into_iter().map(PublicDetention::from).collect(),
            events,
            sources,
        })
    }
}

impl From<Detention> for PublicDetention {
    fn from(d: Detention) -> Self {
        PublicDetention {
            arrest_date: d.arrest_date,
            arrest_place: d.arrest_place,
            authority: d.authority,
            charges: d
                .charges
                .into_iter()
                .map(|code| {
                    let known = charges::by_code(&code);
                    PublicCharge {
                        es: known.map(|c| c.es),
                        en: known.map(|c| c.en),
                        code,
                    }
                })
                .collect(),
            court: d.court,
            sentence: d.sentence,
            sentence_months: d.sentence_months,
            prison: d.prison,
        }
    }
}

impl PublicEvent {
    /// The public event; `numbers` maps the keys of the public sources to
    /// their numbers, and references to any other source are dropped.
    fn new(e: Event, numbers: &[(i64, u32)]) -> PublicEvent {
        PublicEvent {
            // Judged on the public sources only: the mark never tells of a
            // confidential one.
            unverified: e
                .without_sources(|k| numbers.iter().any(|(key, _)| *key == k))
                .unverified(),
            verified_by: e.verification.map(|v| v.by).unwrap_or_default(),
            announcement_id: e.announcement_id,
            date: e.date,
            kind: e.kind,
            release: e.release.map(|r| PublicRelease {
                group: r.group(),
                kind: r.kind,
                conditions: r.conditions,
            }),
            place: e.place,
            description: e.description,
            source_ids: e
                .source_ids
                .into_iter()
                .filter_map(|key| numbers.iter().find(|(k, _)| *k == key).map(|(_, n)| *n))
                .collect(),
        }
    }
}

impl PublicSource {
    /// The public view of source `s`, numbered `n` within its case.
    fn new(s: Source, n: u32) -> Self {
        PublicSource {
            id: n,
            kind: s.kind,
            title: s.title,
            publisher: s.publisher,
            date: s.date,
            url: s.url,
        }
    }
}

/// A published person an announcement's figures name.
#[derive(Debug, Clone)]
pub(crate) struct Named {
    pub id: PersonId,
    pub name: String,
    pub status: libres_core::Status,
}

/// What an announcement's public figures are made of, as the public
/// pages read it: persons published are named, the others `None`.
#[derive(Debug, Default)]
pub(crate) struct Announced {
    /// Every person with an event of the announcement, and where they
    /// stand.
    pub people: Vec<(Option<Named>, libres_core::Standing)>,
    /// Names on its named list.
    pub list_names: u64,
    /// The registry persons confirmed on the list.
    pub matched: Vec<Option<Named>>,
}

impl Announced {
    /// "Matched to the registry" as published: the published persons, and
    /// the unpublished ones in whole groups of [`libres_core::SMALL_CELL`].
    pub fn matched(&self) -> (Vec<&Named>, u64) {
        let named: Vec<&Named> = self.matched.iter().flatten().collect();
        let unnamed = (self.matched.len() - named.len()) as u64;
        let k = libres_core::SMALL_CELL;
        (named, unnamed / k * k)
    }
}

/// [`Announced`], shared.
pub(crate) type Standings = std::sync::Arc<Announced>;

/// What the public pages read of the whole registry and keep for one
/// registry version (see [`VersionCache`]): each announcement's
/// [`Standings`], and each country's months held.
pub(crate) type AnnouncedCache = VersionCache<i64, Standings>;

/// A country's months held, from `libres_core::held::months`, and the
/// releases whose dates are too coarse to place in a month.
pub(crate) type HeldSeries = std::sync::Arc<(Vec<libres_core::held::MonthFigures>, u64)>;

/// Values computed from the registry, kept for one registry version: the
/// public pages, the home page and the API share them. Any write moves
/// the version, and the next `put` starts over.
pub(crate) struct VersionCache<K, V> {
    inner: std::sync::Mutex<(i64, std::collections::HashMap<K, V>)>,
}

impl<K, V> Default for VersionCache<K, V> {
    fn default() -> Self {
        VersionCache {
            inner: std::sync::Mutex::new((0, std::collections::HashMap::new())),
        }
    }
}

impl<K: std::hash::Hash + Eq, V: Clone> VersionCache<K, V> {
    /// Keys kept at most; past it the cache starts over.
    const MAX: usize = 1024;

    /// The value of `key` at registry `version`.
    pub fn get(&self, version: i64, key: &K) -> Option<V> {
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        (inner.0 == version)
            .then(|| inner.1.get(key).cloned())
            .flatten()
    }

    /// Keeps the value of `key` read at `version`.
    pub fn put(&self, version: i64, key: K, value: V) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if inner.0 != version || inner.1.len() >= Self::MAX {
            inner.0 = version;
            inner.1.clear();
        }
        inner.1.insert(key, value);
    }
}

/// A release announcement as the public sees it: the claim, and the
/// persons on the registry set against it, figure by figure.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicAnnouncement {
    /// Its number.
    pub id: i64,
    /// Country, ISO 3166-1 alpha-2.
    pub country: String,
    /// When it was made (EDTF).
    pub date: String,
    /// `government`, `court`, `church_mediator`, `foreign_government` or `other`.
    pub issuer_kind: String,
    /// Who made it, by name.
    pub issuer: String,
    /// What it claims to count: `releases`, `pardons`, `sentence_reductions`.
    pub claim: String,
    /// The number claimed, when the claim gives one. The announcer's
    /// figure: never added to or compared with the others as if verified.
    pub claimed: Option<u32>,
    /// The claim in its own words.
    pub claimed_words: Option<String>,
    /// Title and text, per language.
    pub texts: Vec<PublicAnnouncementText>,
    /// Names on the announcement's named list (0 without one).
    pub list_names: u64,
    /// The registry persons confirmed on the named list.
    pub matched: PublicFigure,
    /// Persons on the registry, per figure.
    pub figures: Vec<PublicFigure>,
}

/// An announcement's title and text in one language.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicAnnouncementText {
    /// Two-letter language code.
    pub lang: String,
    /// Title.
    pub title: String,
    /// Text; may be empty.
    pub body: String,
}

/// One figure of an announcement: how many persons, and the published
/// ones by id.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicFigure {
    /// `named`, `verified`, `unverified`, `conditional`, `still_confined`,
    /// `expelled`, `full_freedom`, `reopened` or `still_held`.
    pub figure: String,
    /// Persons counted: the published ones, and the unpublished ones
    /// where at least 5 fall in the figure.
    pub count: u64,
    /// The published ones, by id (see `/api/v1/persons/{id}`).
    pub persons: Vec<String>,
    /// Those counted but not named (their families asked not to publish
    /// them): 0, or at least 5; fewer are left out of the figure.
    pub unnamed: u64,
}

impl PublicAnnouncement {
    /// `a` with its figures over `people`: each person's id when
    /// published (`None` otherwise) and where they stand.
    pub(crate) fn new(
        a: &libres_core::Announcement,
        people: &[(Option<PersonId>, libres_core::Standing)],
        list_names: u64,
        matched: (Vec<&Named>, u64),
    ) -> PublicAnnouncement {
        let figures = libres_core::public_figures(people)
            .into_iter()
            .map(|f| PublicFigure {
                figure: f.figure.slug().to_owned(),
                count: f.count(),
                persons: f.named.iter().map(ToString::to_string).collect(),
                unnamed: f.unnamed,
            })
            .collect();
        let (named, unnamed) = matched;
        let matched = PublicFigure {
            figure: "matched".to_owned(),
            count: named.len() as u64 + unnamed,
            persons: named.iter().map(|n| n.id.to_string()).collect(),
            unnamed,
        };
        PublicAnnouncement {
            list_names,
            matched,
            id: a.id,
            country: a.country.as_str().to_owned(),
            date: a.date.to_string(),
            issuer_kind: a.issuer_kind.slug().to_owned(),
            issuer: a.issuer.clone(),
            claim: a.claim.slug().to_owned(),
            claimed: a.claimed,
            claimed_words: a.claimed_words.clone(),
            texts: a
                .texts
                .iter()
                .map(|t| PublicAnnouncementText {
                    lang: t.lang.clone(),
                    title: t.title.clone(),
                    body: t.body.clone(),
                })
                .collect(),
            figures,
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn announced_standings_are_kept_for_one_registry_version() {
        let cache = AnnouncedCache::default();
        let people: Standings = std::sync::Arc::new(Announced {
            people: vec![(None, libres_core::Standing::default())],
            ..Announced::default()
        });
        assert!(cache.get(1, &7).is_none());
        cache.put(1, 7, std::sync::Arc::clone(&people));
        assert_eq!(cache.get(1, &7).map(|p| p.people.len()), Some(1));
        assert!(cache.get(2, &7).is_none(), "another version: read again");
        cache.put(2, 8, people);
        assert!(cache.get(1, &7).is_none(), "the old version is gone");
        assert!(cache.get(2, &8).is_some());
    }
    use super::*;
    use libres_core::{Person, Release};

    fn record(publish: bool) -> PersonRecord {
        let d = |s: &str| EdtfDate::parse(s).unwrap();
        let person = Person {
            id: PersonId::parse("CU-1").unwrap(),
            given_names: "Ana".into(),
            surname1: "Pérez".into(),
            surname2: None,
            aliases: vec![],
            sex: None,
            birth_date: None,
            nationalities: vec![],
            country: CountryCode::parse("CU").unwrap(),
            province: None,
            occupation: None,
            summary: None,
            publish,
            private_notes: Some("NOTE-SECRET".into()),
            family_contact: Some("CONTACT-SECRET".into()),
        };
        let src = |id: i64, confidential: bool| Source {
            id,
            url: None,
            title: format!("source {id}"),
            publisher: None,
            date: None,
            kind: SourceKind::Testimony,
            confidential,
        };
        let mut ev = Event::new(EventKind::Release, d("2025-01"));
        ev.release = Some(Release {
            kind: ReleaseKind::Parole,
            conditions: vec![Condition::TravelBan],
        });
        ev.source_ids = vec![11, 12, 13];
        PersonRecord {
            person,
            status: Status::ConditionalRelease,
            detentions: vec![],
            events: vec![ev],
            sources: vec![src(11, false), src(12, true), src(13, false)],
        }
    }

    #[test]
    fn public_sources_are_numbered_from_one_without_gaps() {
        let p = PublicPerson::from_record(record(true)).unwrap();
        let ids: Vec<u32> = p.sources.iter().map(|s| s.id).collect();
        assert_eq!(ids, [1, 2], "not the registry keys 11 and 13");
        assert_eq!(p.events[0].source_ids, [1, 2]);
    }

    #[test]
    fn unpublished_persons_have_no_public_view() {
        assert!(PublicPerson::from_record(record(false)).is_none());
    }

    #[test]
    fn confidential_sources_and_their_references_are_dropped() {
        let p = PublicPerson::from_record(record(true)).unwrap();
        let titles: Vec<_> = p.sources.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["source 11", "source 13"]);
        let json = serde_json::to_string(&p).unwrap();
        assert!(!json.contains("SECRET"), "{json}");
        assert!(!json.contains("source 12"), "{json}");
        assert!(json.contains("\"group\":\"conditional\""), "{json}");
    }
}
