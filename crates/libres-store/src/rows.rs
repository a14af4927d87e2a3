//! The JSON shapes in which every backend hands rows over, and their
//! decoding into core types, written once.
//!
//! Backends build these objects in SQL (see [`crate::backend`]). Where
//! the two databases store a value differently the decoder takes both
//! forms: a list is a JSON array (PostgreSQL arrays) or a text of items
//! joined by `|` (SQLite), a flag is `true`/`false` or `1`/`0`.
//!
//! A value that does not decode means the database was edited behind
//! Libres' back: it is reported as [`crate::StoreError::Corrupt`], never
//! papered over with a default.
//!
//! A backend that reads a case or list rows row by row rather than as one
//! JSON text (see [`crate::backend::Backend::case`] and
//! [`crate::backend::Backend::summaries`]) fills the row types
//! ([`PersonRow`], [`DetentionRow`], [`EventRow`], [`SourceRow`],
//! [`SummaryRow`]) with its columns as stored, lists through
//! [`joined_list`] and [`json_list`]; the checks and conversions into core
//! types are the same either way, here.

use crate::decode::{self, corrupt};
use crate::records::{HistoryEntry, PersonRecord, PersonSummary, StatusCount};
use crate::search_index::SearchRow;
use crate::snapshot::{DumpedHistory, DumpedPerson};
use crate::StoreResult;
use libres_core::{
    derive_status, Condition, Detention, EdtfDate, Event, EventKind, FieldChange, Person, Release,
    ReleaseKind, Source, SourceKind, Verification,
};
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

/// A person row, with whatever the statement added: `status` and the
/// timestamps for exports and dumps, the timeline for dumps and case pages,
/// the cited sources for case pages. Values are as stored: nothing is
/// checked until the row is decoded.
#[derive(Debug, Default, Deserialize)]
pub struct PersonRow {
    /// The backend's key.
    pub pk: i64,
    /// The external id.
    pub id: String,
    /// Given names.
    pub given_names: String,
    /// First surname.
    pub surname1: String,
    /// Second surname.
    pub surname2: Option<String>,
    /// Other names.
    #[serde(deserialize_with = "list")]
    pub aliases: Vec<String>,
    /// Sex slug.
    pub sex: Option<String>,
    /// EDTF birth date.
    pub birth_date: Option<String>,
    /// Alpha-2 codes.
    #[serde(deserialize_with = "list")]
    pub nationalities: Vec<String>,
    /// Alpha-2 code of the country of detention.
    pub country: String,
    /// Province.
    pub province: Option<String>,
    /// Occupation.
    pub occupation: Option<String>,
    /// Public summary.
    pub summary: Option<String>,
    /// Consent to publication.
    #[serde(deserialize_with = "flag")]
    pub publish: bool,
    /// Confidential notes.
    pub private_notes: Option<String>,
    /// Confidential contact.
    pub family_contact: Option<String>,
    /// Cached status slug (exports).
    #[serde(default)]
    pub status: Option<String>,
    /// RFC 3339 creation time (dumps).
    #[serde(default)]
    pub created_at: Option<String>,
    /// RFC 3339 time of the last change (dumps).
    #[serde(default)]
    pub updated_at: Option<String>,
    /// Detentions, oldest first (dumps, cases).
    #[serde(default)]
    pub detentions: Vec<DetentionRow>,
    /// Events in chronological order (dumps, cases).
    #[serde(default)]
    pub events: Vec<EventRow>,
    /// The sources the events cite, by key (cases).
    #[serde(default)]
    pub sources: Vec<SourceRow>,
}

/// A detention row, as stored.
#[derive(Debug, Deserialize)]
pub struct DetentionRow {
    /// Key.
    pub pk: i64,
    /// EDTF date of arrest.
    pub arrest_date: Option<String>,
    /// Place of arrest.
    pub arrest_place: Option<String>,
    /// Arresting authority.
    pub authority: Option<String>,
    /// Charge codes.
    #[serde(deserialize_with = "list")]
    pub charges: Vec<String>,
    /// Court.
    pub court: Option<String>,
    /// Sentence as pronounced.
    pub sentence: Option<String>,
    /// Sentence length in months.
    pub sentence_months: Option<i64>,
    /// Prison.
    pub prison: Option<String>,
}

/// An event row, as stored, with the keys of the sources it cites.
#[derive(Debug, Deserialize)]
pub struct EventRow {
    /// Key.
    pub pk: i64,
    /// Event kind slug.
    pub kind: String,
    /// EDTF date.
    pub date: String,
    /// Release kind slug, for releases.
    pub release_kind: Option<String>,
    /// Condition slugs.
    #[serde(deserialize_with = "list")]
    pub conditions: Vec<String>,
    /// Place.
    pub place: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Keys of the cited sources, ascending.
    #[serde(default)]
    pub source_pks: Option<Vec<i64>>,
    /// The announcement it belongs to.
    #[serde(default)]
    pub announcement_pk: Option<i64>,
    /// The organisations that verified it, joined by `|` (empty: none).
    #[serde(default, deserialize_with = "list")]
    pub verified_by: Vec<String>,
    /// When they verified it (EDTF).
    #[serde(default)]
    pub verified_on: Option<String>,
}

/// A source row, as stored.
#[derive(Debug, Deserialize)]
pub struct SourceRow {
    /// Key.
    pub pk: i64,
    /// Address.
    pub url: Option<String>,
    /// Title.
    pub title: String,
    /// Publisher.
    pub publisher: Option<String>,
    /// EDTF date.
    pub date: Option<String>,
    /// Source kind slug.
    pub kind: String,
    /// Whether it is confidential.
    #[serde(deserialize_with = "flag")]
    pub confidential: bool,
}

/// A list row, as stored.
#[derive(Debug, Deserialize)]
pub struct SummaryRow {
    /// The backend's key.
    pub pk: i64,
    /// The external id.
    pub id: String,
    /// Given names.
    pub given_names: String,
    /// First surname.
    pub surname1: String,
    /// Second surname.
    pub surname2: Option<String>,
    /// Alpha-2 code of the country of detention.
    pub country: String,
    /// Province.
    pub province: Option<String>,
    /// Cached status slug.
    pub status: String,
    /// Consent to publication.
    #[serde(deserialize_with = "flag")]
    pub publish: bool,
    /// Birth date (EDTF).
    #[serde(default)]
    pub birth_date: Option<String>,
    /// Arrest date of the latest detention (EDTF); filled from the name
    /// index, not read here.
    #[serde(default)]
    pub arrest_date: Option<String>,
    /// Prison of the latest detention; filled from the name index.
    #[serde(default)]
    pub prison: Option<String>,
}

#[derive(Deserialize)]
struct CountJson {
    country: String,
    status: String,
    n: i64,
}

#[derive(Deserialize)]
struct HistoryJson {
    #[serde(default)]
    pk: i64,
    #[serde(default)]
    person_id: String,
    at: String,
    actor: String,
    action: String,
    changes: Vec<FieldChange>,
}

#[derive(Deserialize)]
struct SearchJson {
    pk: i64,
    id: String,
    sort_key: String,
    search_text: String,
    #[serde(deserialize_with = "flag")]
    publish: bool,
    country: String,
    status: String,
    #[serde(default)]
    arrest_date: Option<String>,
    #[serde(default)]
    prison: Option<String>,
}

/// The items of a list stored as a text joined by `|` (empty items
/// dropped).
pub fn joined_list(text: &str) -> Vec<String> {
    text.split('|')
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The items of a list stored as a JSON array of strings.
pub fn json_list(text: &str) -> StoreResult<Vec<String>> {
    parse("list", text)
}

/// A list: a JSON array of strings, or a text of items joined by `|`
/// (empty items dropped), or null for none.
fn list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct ListVisitor;
    impl<'de> Visitor<'de> for ListVisitor {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an array of strings or a text joined by |")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(joined_list(v))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
            while let Some(item) = seq.next_element::<String>()? {
                out.push(item);
            }
            Ok(out)
        }
    }
    d.deserialize_any(ListVisitor)
}

/// A flag: `true`/`false` or an integer (non-zero is true).
fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    struct FlagVisitor;
    impl Visitor<'_> for FlagVisitor {
        type Value = bool;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a boolean or an integer")
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
            Ok(v)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
            Ok(v != 0)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
            Ok(v != 0)
        }
    }
    d.deserialize_any(FlagVisitor)
}

fn parse<'a, T: Deserialize<'a>>(what: &str, json: &'a str) -> StoreResult<T> {
    serde_json::from_str(json).map_err(|e| corrupt(what, e))
}

impl PersonRow {
    fn person(&mut self) -> StoreResult<Person> {
        Ok(Person {
            id: decode::person_id(&self.id)?,
            given_names: std::mem::take(&mut self.given_names),
            surname1: std::mem::take(&mut self.surname1),
            surname2: self.surname2.take(),
            aliases: std::mem::take(&mut self.aliases),
            sex: decode::sex(self.sex.take())?,
            birth_date: decode::date(self.birth_date.take())?,
            nationalities: self
                .nationalities
                .iter()
                .map(|c| decode::country(c))
                .collect::<StoreResult<_>>()?,
            country: decode::country(&self.country)?,
            province: self.province.take(),
            occupation: self.occupation.take(),
            summary: self.summary.take(),
            publish: self.publish,
            private_notes: self.private_notes.take(),
            family_contact: self.family_contact.take(),
        })
    }

    fn timestamp(t: Option<String>) -> StoreResult<String> {
        t.ok_or_else(|| corrupt("person", "a timestamp is missing"))
    }
}

impl DetentionRow {
    pub(crate) fn into_detention(self) -> StoreResult<Detention> {
        Ok(Detention {
            id: self.pk,
            arrest_date: decode::date(self.arrest_date)?,
            arrest_place: self.arrest_place,
            authority: self.authority,
            charges: self.charges,
            court: self.court,
            sentence: self.sentence,
            sentence_months: self
                .sentence_months
                .map(|m| u32::try_from(m).map_err(|e| corrupt("sentence_months", e)))
                .transpose()?,
            prison: self.prison,
        })
    }
}

impl EventRow {
    /// An event of `kind` on `date`, with its release, as a read of a few
    /// columns gives it (no place, text, sources or verification).
    pub(crate) fn bare(
        kind: String,
        date: String,
        release_kind: Option<String>,
        conditions: Vec<String>,
    ) -> StoreResult<Event> {
        EventRow {
            pk: 0,
            kind,
            date,
            release_kind,
            conditions,
            place: None,
            description: None,
            source_pks: None,
            announcement_pk: None,
            verified_by: Vec::new(),
            verified_on: None,
        }
        .into_event()
    }

    fn into_event(self) -> StoreResult<Event> {
        let conditions = &self.conditions;
        let release = self
            .release_kind
            .map(|k| {
                Ok::<_, crate::StoreError>(Release {
                    kind: ReleaseKind::from_slug(&k).ok_or_else(|| corrupt("release kind", &k))?,
                    conditions: conditions
                        .iter()
                        .map(|c| Condition::from_slug(c).ok_or_else(|| corrupt("condition", c)))
                        .collect::<StoreResult<_>>()?,
                })
            })
            .transpose()?;
        Ok(Event {
            id: self.pk,
            kind: EventKind::from_slug(&self.kind)
                .ok_or_else(|| corrupt("event kind", &self.kind))?,
            date: EdtfDate::parse(&self.date).map_err(|e| corrupt("event date", e))?,
            release,
            place: self.place,
            description: self.description,
            source_ids: self.source_pks.unwrap_or_default(),
            announcement_id: self.announcement_pk,
            verification: if self.verified_by.is_empty() {
                None
            } else {
                Some(Verification {
                    by: self.verified_by,
                    on: decode::date(self.verified_on)?,
                })
            },
        })
    }
}

impl SourceRow {
    pub(crate) fn into_source(self) -> StoreResult<Source> {
        Ok(Source {
            id: self.pk,
            url: self.url,
            title: self.title,
            publisher: self.publisher,
            date: decode::date(self.date)?,
            kind: SourceKind::from_slug(&self.kind)
                .ok_or_else(|| corrupt("source kind", &self.kind))?,
            confidential: self.confidential,
        })
    }
}

fn events(list: Vec<EventRow>) -> StoreResult<Vec<Event>> {
    list.into_iter().map(EventRow::into_event).collect()
}

fn detentions(list: Vec<DetentionRow>) -> StoreResult<Vec<Detention>> {
    list.into_iter().map(DetentionRow::into_detention).collect()
}

/// A case as [`crate::backend::Backend::case_json`] gives it.
pub fn case_row(json: &str) -> StoreResult<PersonRow> {
    parse("person", json)
}

/// A case page from [`crate::backend::Backend::case`]. The status is
/// derived afresh from the timeline, never taken from the cached column.
pub(crate) fn case(mut p: PersonRow) -> StoreResult<PersonRecord> {
    let person = p.person()?;
    let events = events(std::mem::take(&mut p.events))?;
    Ok(PersonRecord {
        person,
        status: derive_status(&events),
        detentions: detentions(std::mem::take(&mut p.detentions))?,
        sources: std::mem::take(&mut p.sources)
            .into_iter()
            .map(SourceRow::into_source)
            .collect::<StoreResult<_>>()?,
        events,
    })
}

/// Persons with their key, from a JSON array of person objects.
pub(crate) fn persons(json: &str) -> StoreResult<Vec<(i64, Person)>> {
    parse::<Vec<PersonRow>>("persons", json)?
        .into_iter()
        .map(|mut p| Ok((p.pk, p.person()?)))
        .collect()
}

/// Export rows: persons with their stored status, and each one's id.
pub(crate) fn exported(json: &str) -> StoreResult<Vec<(Person, libres_core::Status)>> {
    parse::<Vec<PersonRow>>("persons", json)?
        .into_iter()
        .map(|mut p| {
            let status = p
                .status
                .take()
                .ok_or_else(|| corrupt("person", "the status is missing"))?;
            Ok((p.person()?, decode::status(&status)?))
        })
        .collect()
}

/// Dumped persons (with timestamps and timelines; the status derived).
pub(crate) fn dumped(json: &str) -> StoreResult<Vec<DumpedPerson>> {
    parse::<Vec<PersonRow>>("persons", json)?
        .into_iter()
        .map(|mut p| {
            let events = events(std::mem::take(&mut p.events))?;
            Ok(DumpedPerson {
                person: p.person()?,
                status: derive_status(&events),
                created_at: PersonRow::timestamp(p.created_at.take())?,
                updated_at: PersonRow::timestamp(p.updated_at.take())?,
                detentions: detentions(std::mem::take(&mut p.detentions))?,
                events,
            })
        })
        .collect()
}

/// A timeline, from a JSON array of events.
pub(crate) fn timeline(json: &str) -> StoreResult<Vec<Event>> {
    events(parse("events", json)?)
}

/// Sources, from a JSON array.
pub(crate) fn sources(json: &str) -> StoreResult<Vec<Source>> {
    parse::<Vec<SourceRow>>("sources", json)?
        .into_iter()
        .map(SourceRow::into_source)
        .collect()
}

/// List rows as [`crate::backend::Backend::summaries_json`] gives them.
pub fn summary_rows(json: &str) -> StoreResult<Vec<SummaryRow>> {
    parse("persons", json)
}

/// List rows with their key.
pub(crate) fn summaries(rows: Vec<SummaryRow>) -> StoreResult<Vec<(i64, PersonSummary)>> {
    rows.into_iter()
        .map(|s| {
            Ok((
                s.pk,
                PersonSummary {
                    id: decode::person_id(&s.id)?,
                    given_names: s.given_names,
                    surname1: s.surname1,
                    surname2: s.surname2,
                    country: decode::country(&s.country)?,
                    province: s.province,
                    status: decode::status(&s.status)?,
                    publish: s.publish,
                    birth_date: decode::date(s.birth_date)?,
                    arrest_date: decode::date(s.arrest_date)?,
                    prison: s.prison,
                },
            ))
        })
        .collect()
}

/// Counts by country and status.
pub(crate) fn status_counts(json: &str) -> StoreResult<Vec<StatusCount>> {
    let mut counts = parse::<Vec<CountJson>>("counts", json)?
        .into_iter()
        .map(|c| {
            Ok(StatusCount {
                country: decode::country(&c.country)?,
                status: decode::status(&c.status)?,
                count: u64::try_from(c.n).map_err(|e| corrupt("count", e))?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    counts.sort_by(|a, b| {
        (a.country.as_str(), a.status.slug()).cmp(&(b.country.as_str(), b.status.slug()))
    });
    Ok(counts)
}

/// History entries of one person.
pub(crate) fn history(json: &str) -> StoreResult<Vec<HistoryEntry>> {
    Ok(parse::<Vec<HistoryJson>>("history", json)?
        .into_iter()
        .map(|h| HistoryEntry {
            at: h.at,
            actor: h.actor,
            action: h.action,
            changes: h.changes,
        })
        .collect())
}

/// Dumped history entries with their key.
pub(crate) fn dumped_history(json: &str) -> StoreResult<Vec<(i64, DumpedHistory)>> {
    Ok(parse::<Vec<HistoryJson>>("history", json)?
        .into_iter()
        .map(|h| {
            (
                h.pk,
                DumpedHistory {
                    person_id: h.person_id,
                    entry: HistoryEntry {
                        at: h.at,
                        actor: h.actor,
                        action: h.action,
                        changes: h.changes,
                    },
                },
            )
        })
        .collect())
}

/// Rows of the name index.
pub(crate) fn search_rows(json: &str) -> StoreResult<Vec<SearchRow>> {
    parse::<Vec<SearchJson>>("persons", json)?
        .into_iter()
        .map(|r| {
            Ok(SearchRow {
                key: r.pk,
                id: r.id,
                sort_key: r.sort_key,
                search_text: r.search_text,
                publish: r.publish,
                country: decode::country(&r.country)?,
                status: decode::status(&r.status)?,
                arrest_date: r.arrest_date,
                prison: r.prison,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_flags_read_in_either_backends_form() {
        let sqlite = r#"[{"pk":1,"id":"CU-1","given_names":"Ana","surname1":"Díaz","surname2":null,
            "aliases":["a|b"],"sex":"F","birth_date":null,"nationalities":"CU|ES","country":"CU",
            "province":null,"occupation":null,"summary":null,"publish":1,"private_notes":null,
            "family_contact":null}]"#;
        let pg = sqlite
            .replace(r#""CU|ES""#, r#"["CU","ES"]"#)
            .replace(r#""publish":1"#, r#""publish":true"#);
        let a = persons(sqlite).unwrap();
        let b = persons(&pg).unwrap();
        assert_eq!(a, b);
        assert_eq!(a[0].1.aliases, ["a|b"], "a JSON array is never split");
        assert_eq!(a[0].1.nationalities.len(), 2);
        assert!(a[0].1.publish);
    }

    #[test]
    fn stored_lists_read_the_same_from_a_row_as_from_json() {
        assert_eq!(joined_list("CU||ES|"), ["CU", "ES"]);
        assert!(joined_list("").is_empty());
        assert_eq!(json_list(r#"["a|b","c"]"#).unwrap(), ["a|b", "c"]);
        let err = json_list("a|b").unwrap_err();
        assert!(matches!(err, crate::StoreError::Corrupt { .. }), "{err:?}");
    }

    #[test]
    fn a_value_no_write_could_leave_is_corruption() {
        let bad = r#"[{"pk":1,"id":"CU-1","given_names":"Ana","surname1":"Díaz","surname2":null,
            "aliases":[],"sex":"?","birth_date":null,"nationalities":"","country":"CU",
            "province":null,"occupation":null,"summary":null,"publish":true,"private_notes":null,
            "family_contact":null}]"#;
        let err = persons(bad).unwrap_err();
        assert!(matches!(err, crate::StoreError::Corrupt { .. }), "{err:?}");
        let err = persons("[{").unwrap_err();
        assert!(matches!(err, crate::StoreError::Corrupt { .. }), "{err:?}");
    }
}
