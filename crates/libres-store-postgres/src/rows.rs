//! Conversions between PostgreSQL rows and core types.
//!
//! A case page is read in one statement: the person's row, with its
//! detentions, events and sources as JSON arrays built by the server (see
//! [`EVENTS_CTE`] and its siblings). One round trip instead of one per
//! table, and one statement sees one snapshot, so the page is consistent
//! without a transaction.
//!
//! A row that does not parse back into a valid core value means the
//! database was edited behind Libres' back; that is reported as an error,
//! never papered over with a default.

use libres_core::{
    Condition, Detention, EdtfDate, Event, EventKind, Person, Release, ReleaseKind, Source,
    SourceKind,
};
use libres_store::decode::{self, corrupt, country, date, person_id, status};
use libres_store::search_index::SearchRow;
use libres_store::{PersonSummary, StoreResult};
use serde::Deserialize;
use sqlx::postgres::PgRow;
use sqlx::Row;

/// The person columns [`person`] reads, for `SELECT` lists.
pub(crate) const PERSON_COLUMNS: &str =
    "id, given_names, surname1, surname2, aliases, sex, birth_date, \
     nationalities, country, province, occupation, summary, publish, private_notes, family_contact";

/// The columns [`summary`] reads.
pub(crate) const SUMMARY_COLUMNS: &str =
    "pk, id, given_names, surname1, surname2, country, province, status, publish";

// A case page is read by one statement of the shape
//
//   WITH p AS (SELECT … FROM persons WHERE id = $1 AND publish), ev AS (…)
//   SELECT p.*, detentions JSON, events JSON, sources JSON FROM p
//
// Every table is reached through an index by key, whatever the planner
// believes about the tables: right after a bulk import, before autovacuum
// has analysed anything, a plain join of events and sources was planned as
// two sequential scans and made a case page thirty times slower. When `p`
// is empty (unknown id, or unpublished on a public page), nothing after it
// is read at all.

/// The timeline of the person in the CTE `p`, as the CTE `ev`: one row per
/// event, with the keys of its sources in `source_pks`.
pub(crate) const EVENTS_CTE: &str = "ev AS (SELECT pk, kind, date, date_earliest, date_latest, \
     release_kind, conditions, place, description, \
     ARRAY(SELECT source_pk FROM event_sources es WHERE es.event_pk = e.pk ORDER BY source_pk) \
     AS source_pks FROM events e WHERE e.person_pk = (SELECT pk FROM p))";

/// The detentions of the person `p`, oldest first, as the text of a JSON
/// array of [`DetentionJson`].
pub(crate) const DETENTIONS_JSON: &str = "(SELECT coalesce(json_agg(d ORDER BY d.pk), '[]') \
     FROM (SELECT pk, arrest_date, arrest_place, authority, charges, court, sentence, \
     sentence_months, prison FROM detentions WHERE person_pk = p.pk) d)::text";

/// The events of `ev` as the text of a JSON array of [`EventJson`], in the
/// order of `EdtfDate::chrono_cmp` (earliest day, latest day, then the
/// EDTF text byte by byte), then insertion order.
pub(crate) const EVENTS_JSON: &str = "(SELECT coalesce(json_agg(ev ORDER BY ev.date_earliest, \
     ev.date_latest, ev.date COLLATE \"C\", ev.pk), '[]') FROM ev)::text";

/// Every source cited in `ev`, by key, as the text of a JSON array of
/// [`SourceJson`].
pub(crate) const SOURCES_JSON: &str = "(SELECT coalesce(json_agg(s ORDER BY s.pk), '[]') \
     FROM (SELECT pk, url, title, publisher, date, kind, confidential FROM sources \
     WHERE pk = ANY(ARRAY(SELECT DISTINCT unnest(source_pks) FROM ev))) s)::text";

fn get<'r, T>(row: &'r PgRow, col: &str) -> StoreResult<T>
where
    T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
{
    row.try_get(col).map_err(|e| corrupt(col, e))
}

/// The nationalities of a person as stored: alpha-2 codes.
pub(crate) fn nationalities(p: &Person) -> Vec<String> {
    p.nationalities
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect()
}

/// The conditions of an event's release as stored: slugs.
pub(crate) fn conditions(e: &Event) -> Vec<String> {
    e.release
        .as_ref()
        .map(|r| r.conditions.iter().map(|c| c.slug().to_owned()).collect())
        .unwrap_or_default()
}

pub(crate) fn person(row: &PgRow) -> StoreResult<Person> {
    let id: String = get(row, "id")?;
    let sex: Option<String> = get(row, "sex")?;
    let nationalities: Vec<String> = get(row, "nationalities")?;
    let c: String = get(row, "country")?;
    Ok(Person {
        id: person_id(&id)?,
        given_names: get(row, "given_names")?,
        surname1: get(row, "surname1")?,
        surname2: get(row, "surname2")?,
        aliases: get(row, "aliases")?,
        sex: decode::sex(sex)?,
        birth_date: date(get(row, "birth_date")?)?,
        nationalities: nationalities
            .iter()
            .map(|c| country(c))
            .collect::<StoreResult<_>>()?,
        country: country(&c)?,
        province: get(row, "province")?,
        occupation: get(row, "occupation")?,
        summary: get(row, "summary")?,
        publish: get(row, "publish")?,
        private_notes: get(row, "private_notes")?,
        family_contact: get(row, "family_contact")?,
    })
}

pub(crate) fn summary(row: &PgRow) -> StoreResult<PersonSummary> {
    let id: String = get(row, "id")?;
    let c: String = get(row, "country")?;
    let s: String = get(row, "status")?;
    Ok(PersonSummary {
        id: person_id(&id)?,
        given_names: get(row, "given_names")?,
        surname1: get(row, "surname1")?,
        surname2: get(row, "surname2")?,
        country: country(&c)?,
        province: get(row, "province")?,
        status: status(&s)?,
        publish: get(row, "publish")?,
    })
}

/// A detention as [`DETENTIONS_JSON`] lists it.
#[derive(Deserialize)]
struct DetentionJson {
    pk: i64,
    arrest_date: Option<String>,
    arrest_place: Option<String>,
    authority: Option<String>,
    charges: Vec<String>,
    court: Option<String>,
    sentence: Option<String>,
    sentence_months: Option<i64>,
    prison: Option<String>,
}

/// An event as [`EVENTS_JSON`] lists it (its date bounds, used only for
/// ordering, are left out).
#[derive(Deserialize)]
struct EventJson {
    pk: i64,
    kind: String,
    date: String,
    release_kind: Option<String>,
    conditions: Vec<String>,
    place: Option<String>,
    description: Option<String>,
    source_pks: Vec<i64>,
}

/// A source as [`SOURCES_JSON`] lists it.
#[derive(Deserialize)]
struct SourceJson {
    pk: i64,
    url: Option<String>,
    title: String,
    publisher: Option<String>,
    date: Option<String>,
    kind: String,
    confidential: bool,
}

fn json_list<T: for<'de> Deserialize<'de>>(what: &str, json: &str) -> StoreResult<Vec<T>> {
    serde_json::from_str(json).map_err(|e| corrupt(what, e))
}

/// Detentions from the text of [`DETENTIONS_JSON`].
pub(crate) fn detentions(json: &str) -> StoreResult<Vec<Detention>> {
    json_list::<DetentionJson>("detentions", json)?
        .into_iter()
        .map(|d| {
            Ok(Detention {
                id: d.pk,
                arrest_date: date(d.arrest_date)?,
                arrest_place: d.arrest_place,
                authority: d.authority,
                charges: d.charges,
                court: d.court,
                sentence: d.sentence,
                sentence_months: d
                    .sentence_months
                    .map(|m| u32::try_from(m).map_err(|e| corrupt("sentence_months", e)))
                    .transpose()?,
                prison: d.prison,
            })
        })
        .collect()
}

/// Events from the text of [`EVENTS_JSON`].
pub(crate) fn events(json: &str) -> StoreResult<Vec<Event>> {
    json_list::<EventJson>("events", json)?
        .into_iter()
        .map(|e| {
            let release = e
                .release_kind
                .map(|k| {
                    Ok::<_, libres_store::StoreError>(Release {
                        kind: ReleaseKind::from_slug(&k)
                            .ok_or_else(|| corrupt("release kind", &k))?,
                        conditions: e
                            .conditions
                            .iter()
                            .map(|c| Condition::from_slug(c).ok_or_else(|| corrupt("condition", c)))
                            .collect::<StoreResult<_>>()?,
                    })
                })
                .transpose()?;
            Ok(Event {
                id: e.pk,
                kind: EventKind::from_slug(&e.kind)
                    .ok_or_else(|| corrupt("event kind", &e.kind))?,
                date: EdtfDate::parse(&e.date).map_err(|err| corrupt("event date", err))?,
                release,
                place: e.place,
                description: e.description,
                source_ids: e.source_pks,
            })
        })
        .collect()
}

/// Sources from the text of [`SOURCES_JSON`].
pub(crate) fn sources(json: &str) -> StoreResult<Vec<Source>> {
    json_list::<SourceJson>("sources", json)?
        .into_iter()
        .map(|s| {
            Ok(Source {
                id: s.pk,
                url: s.url,
                title: s.title,
                publisher: s.publisher,
                date: date(s.date)?,
                kind: SourceKind::from_slug(&s.kind)
                    .ok_or_else(|| corrupt("source kind", &s.kind))?,
                confidential: s.confidential,
            })
        })
        .collect()
}

pub(crate) fn search_row(row: &PgRow) -> StoreResult<SearchRow> {
    let c: String = get(row, "country")?;
    let s: String = get(row, "status")?;
    Ok(SearchRow {
        key: get(row, "pk")?,
        id: get(row, "id")?,
        sort_key: get(row, "sort_key")?,
        search_text: get(row, "search_text")?,
        publish: get(row, "publish")?,
        country: country(&c)?,
        status: status(&s)?,
    })
}
