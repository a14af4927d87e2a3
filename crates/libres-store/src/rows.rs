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

use crate::decode::{self, corrupt};
use crate::records::{HistoryEntry, PersonRecord, PersonSummary, StatusCount};
use crate::search_index::SearchRow;
use crate::snapshot::{DumpedHistory, DumpedPerson};
use crate::StoreResult;
use libres_core::{
    derive_status, Condition, Detention, EdtfDate, Event, EventKind, FieldChange, Person, Release,
    ReleaseKind, Source, SourceKind,
};
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

/// A person row, with whatever the statement added: `status` and the
/// timestamps for exports and dumps, the timeline for dumps and case pages,
/// the cited sources for case pages.
#[derive(Deserialize)]
pub(crate) struct PersonJson {
    pub pk: i64,
    id: String,
    given_names: String,
    surname1: String,
    surname2: Option<String>,
    #[serde(deserialize_with = "list")]
    aliases: Vec<String>,
    sex: Option<String>,
    birth_date: Option<String>,
    #[serde(deserialize_with = "list")]
    nationalities: Vec<String>,
    country: String,
    province: Option<String>,
    occupation: Option<String>,
    summary: Option<String>,
    #[serde(deserialize_with = "flag")]
    publish: bool,
    private_notes: Option<String>,
    family_contact: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default)]
    updated_at: Option<String>,
    #[serde(default)]
    detentions: Vec<DetentionJson>,
    #[serde(default)]
    events: Vec<EventJson>,
    #[serde(default)]
    sources: Vec<SourceJson>,
}

#[derive(Deserialize)]
struct DetentionJson {
    pk: i64,
    arrest_date: Option<String>,
    arrest_place: Option<String>,
    authority: Option<String>,
    #[serde(deserialize_with = "list")]
    charges: Vec<String>,
    court: Option<String>,
    sentence: Option<String>,
    sentence_months: Option<i64>,
    prison: Option<String>,
}

#[derive(Deserialize)]
struct EventJson {
    pk: i64,
    kind: String,
    date: String,
    release_kind: Option<String>,
    #[serde(deserialize_with = "list")]
    conditions: Vec<String>,
    place: Option<String>,
    description: Option<String>,
    #[serde(default)]
    source_pks: Option<Vec<i64>>,
}

#[derive(Deserialize)]
struct SourceJson {
    pk: i64,
    url: Option<String>,
    title: String,
    publisher: Option<String>,
    date: Option<String>,
    kind: String,
    #[serde(deserialize_with = "flag")]
    confidential: bool,
}

#[derive(Deserialize)]
struct SummaryJson {
    pk: i64,
    id: String,
    given_names: String,
    surname1: String,
    surname2: Option<String>,
    country: String,
    province: Option<String>,
    status: String,
    #[serde(deserialize_with = "flag")]
    publish: bool,
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
            Ok(v.split('|')
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect())
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

impl PersonJson {
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

impl DetentionJson {
    fn into_detention(self) -> StoreResult<Detention> {
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

impl EventJson {
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
        })
    }
}

impl SourceJson {
    fn into_source(self) -> StoreResult<Source> {
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

fn events(list: Vec<EventJson>) -> StoreResult<Vec<Event>> {
    list.into_iter().map(EventJson::into_event).collect()
}

fn detentions(list: Vec<DetentionJson>) -> StoreResult<Vec<Detention>> {
    list.into_iter()
        .map(DetentionJson::into_detention)
        .collect()
}

/// A case page from [`crate::backend::Backend::case_json`]. The status is
/// derived afresh from the timeline, never taken from the cached column.
pub(crate) fn case(json: &str) -> StoreResult<PersonRecord> {
    let mut p: PersonJson = parse("person", json)?;
    let person = p.person()?;
    let events = events(std::mem::take(&mut p.events))?;
    Ok(PersonRecord {
        person,
        status: derive_status(&events),
        detentions: detentions(std::mem::take(&mut p.detentions))?,
        sources: std::mem::take(&mut p.sources)
            .into_iter()
            .map(SourceJson::into_source)
            .collect::<StoreResult<_>>()?,
        events,
    })
}

/// Persons with their key, from a JSON array of person objects.
pub(crate) fn persons(json: &str) -> StoreResult<Vec<(i64, Person)>> {
    parse::<Vec<PersonJson>>("persons", json)?
        .into_iter()
        .map(|mut p| Ok((p.pk, p.person()?)))
        .collect()
}

/// Export rows: persons with their stored status, and each one's id.
pub(crate) fn exported(json: &str) -> StoreResult<Vec<(Person, libres_core::Status)>> {
    parse::<Vec<PersonJson>>("persons", json)?
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
    parse::<Vec<PersonJson>>("persons", json)?
        .into_iter()
        .map(|mut p| {
            let events = events(std::mem::take(&mut p.events))?;
            Ok(DumpedPerson {
                person: p.person()?,
                status: derive_status(&events),
                created_at: PersonJson::timestamp(p.created_at.take())?,
                updated_at: PersonJson::timestamp(p.updated_at.take())?,
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
    parse::<Vec<SourceJson>>("sources", json)?
        .into_iter()
        .map(SourceJson::into_source)
        .collect()
}

/// List rows with their key.
pub(crate) fn summaries(json: &str) -> StoreResult<Vec<(i64, PersonSummary)>> {
    parse::<Vec<SummaryJson>>("persons", json)?
        .into_iter()
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
