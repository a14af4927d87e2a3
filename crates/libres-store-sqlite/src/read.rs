//! Reads: the statements of the hot pages, and the read transaction that
//! dumps, exports and the name index page through.

use crate::json::{self, PERSON, STAMPS};
use crate::{db, json_text};
use async_trait::async_trait;
use libres_store::backend::{Persons, ReadTx};
use libres_store::rows::{self, DetentionRow, EventRow, PersonRow, SourceRow, SummaryRow};
use libres_store::StoreResult;
use sqlx::{Sqlite, Transaction};
use std::sync::LazyLock;

/// The registry version (see the migration's triggers).
pub(crate) const VERSION: &str = "SELECT value FROM registry_meta WHERE key = 'version'";

/// Whether the registry is marked synthetic.
pub(crate) const SYNTHETIC: &str =
    "SELECT coalesce((SELECT value FROM registry_meta WHERE key = 'synthetic'), 0) <> 0";

/// The version and the synthetic mark, in one statement.
const META: &str = "SELECT (SELECT value FROM registry_meta WHERE key = 'version'), \
     coalesce((SELECT value FROM registry_meta WHERE key = 'synthetic'), 0) <> 0";

/// Counts by country and status: `[every person, published ones only]`.
pub(crate) const COUNTS: [&str; 2] = [
    "SELECT json_group_array(json_object('country', country, \
     'status', status, 'n', n)) FROM (SELECT country, status, count(*) AS n FROM persons \
     GROUP BY country, status)",
    "SELECT json_group_array(json_object('country', country, \
     'status', status, 'n', n)) FROM (SELECT country, status, count(*) AS n FROM persons \
     WHERE publish = 1 GROUP BY country, status)",
];

/// A case read row by row, on an inline connection: the person (with the
/// published filter or without), then the rest by the person's key. The
/// events come in the order of the index `events_by_person`, which is
/// the order of `EdtfDate::chrono_cmp` then insertion: no sort.
pub(crate) const CASE_PERSON: [&str; 2] = [
    "SELECT pk, id, given_names, surname1, surname2, aliases, sex, birth_date, nationalities, \
     country, province, occupation, summary, publish, private_notes, family_contact \
     FROM persons WHERE id = ?1",
    "SELECT pk, id, given_names, surname1, surname2, aliases, sex, birth_date, nationalities, \
     country, province, occupation, summary, publish, private_notes, family_contact \
     FROM persons INDEXED BY persons_published_id WHERE id = ?1 AND publish = 1",
];
const CASE_DETENTIONS: &str = "SELECT pk, arrest_date, arrest_place, authority, charges, court, \
     sentence, sentence_months, prison FROM detentions WHERE person_pk = ?1 ORDER BY pk";
const CASE_EVENTS: &str = "SELECT e.pk, e.kind, e.date, e.release_kind, e.conditions, e.place, \
     e.description, es.source_pk, e.announcement_pk, e.verified_by, e.verified_on FROM events e \
     LEFT JOIN event_sources es ON es.event_pk = e.pk WHERE e.person_pk = ?1 \
     ORDER BY e.date_earliest, e.date_latest, e.date, e.pk";
const CASE_SOURCE: &str =
    "SELECT pk, url, title, publisher, date, kind, confidential FROM sources WHERE pk = ?1";

/// A person's case, row by row, in one read transaction (so its rows
/// agree with each other), with its aliases as stored (a JSON text, for
/// [`rows::json_list`]). With `published_only` an unpublished person is
/// filtered out by the first statement, exactly like an unknown id.
pub(crate) fn case_rows(
    c: &rusqlite::Connection,
    id: &str,
    published_only: bool,
) -> rusqlite::Result<Option<(PersonRow, String)>> {
    let tx = c.unchecked_transaction()?;
    let case = case_in(&tx, id, published_only)?;
    tx.commit()?;
    Ok(case)
}

fn case_in(
    c: &rusqlite::Connection,
    id: &str,
    published_only: bool,
) -> rusqlite::Result<Option<(PersonRow, String)>> {
    let found = {
        let mut stmt = c.prepare_cached(CASE_PERSON[usize::from(published_only)])?;
        let mut found = stmt.query([id])?;
        match found.next()? {
            None => None,
            Some(r) => Some((
                PersonRow {
                    pk: r.get(0)?,
                    id: r.get(1)?,
                    given_names: r.get(2)?,
                    surname1: r.get(3)?,
                    surname2: r.get(4)?,
                    sex: r.get(6)?,
                    birth_date: r.get(7)?,
                    nationalities: rows::joined_list(r.get_ref(8)?.as_str()?),
                    country: r.get(9)?,
                    province: r.get(10)?,
                    occupation: r.get(11)?,
                    summary: r.get(12)?,
                    publish: r.get::<_, i64>(13)? != 0,
                    private_notes: r.get(14)?,
                    family_contact: r.get(15)?,
                    ..PersonRow::default()
                },
                r.get::<_, String>(5)?,
            )),
        }
    };
    let Some((mut person, aliases)) = found else {
        return Ok(None);
    };
    let mut stmt = c.prepare_cached(CASE_DETENTIONS)?;
    let mut found = stmt.query([person.pk])?;
    while let Some(r) = found.next()? {
        person.detentions.push(DetentionRow {
            pk: r.get(0)?,
            arrest_date: r.get(1)?,
            arrest_place: r.get(2)?,
            authority: r.get(3)?,
            charges: rows::joined_list(r.get_ref(4)?.as_str()?),
            court: r.get(5)?,
            sentence: r.get(6)?,
            sentence_months: r.get(7)?,
            prison: r.get(8)?,
        });
    }
    drop(found);
    let mut stmt = c.prepare_cached(CASE_EVENTS)?;
    let mut found = stmt.query([person.pk])?;
    let mut cited = Vec::new();
    while let Some(r) = found.next()? {
        let pk: i64 = r.get(0)?;
        if person.events.last().is_none_or(|e| e.pk != pk) {
            person.events.push(EventRow {
                pk,
                kind: r.get(1)?,
                date: r.get(2)?,
                release_kind: r.get(3)?,
                conditions: rows::joined_list(r.get_ref(4)?.as_str()?),
                place: r.get(5)?,
                description: r.get(6)?,
                source_pks: Some(Vec::new()),
                announcement_pk: r.get(8)?,
                verified_by: rows::joined_list(r.get_ref(9)?.as_str()?),
                verified_on: r.get(10)?,
            });
        }
        if let Some(source) = r.get::<_, Option<i64>>(7)? {
            cited.push(source);
            if let Some(Some(keys)) = person.events.last_mut().map(|e| &mut e.source_pks) {
                keys.push(source);
            }
        }
    }
    drop(found);
    for keys in person
        .events
        .iter_mut()
        .filter_map(|e| e.source_pks.as_mut())
    {
        keys.sort_unstable();
    }
    cited.sort_unstable();
    cited.dedup();
    let mut stmt = c.prepare_cached(CASE_SOURCE)?;
    for key in cited {
        let mut found = stmt.query([key])?;
        if let Some(r) = found.next()? {
            person.sources.push(SourceRow {
                pk: r.get(0)?,
                url: r.get(1)?,
                title: r.get(2)?,
                publisher: r.get(3)?,
                date: r.get(4)?,
                kind: r.get(5)?,
                confidential: r.get::<_, i64>(6)? != 0,
            });
        }
    }
    Ok(Some((person, aliases)))
}

/// One list row by key: all persons, or published ones only.
/// With the birth date (the latest arrest and prison come from the name
/// index, which holds them: see `libres_store::search_index`).
const SUMMARY: [&str; 2] = [
    "SELECT pk, id, given_names, surname1, surname2, country, province, status, publish, \
     birth_date FROM persons WHERE pk = ?1",
    "SELECT pk, id, given_names, surname1, surname2, country, province, status, publish, \
     birth_date FROM persons WHERE pk = ?1 AND publish = 1",
];

/// The list rows of the persons with these keys, in their order, looked
/// up one by one in one read transaction (fifty lookups by key cost less
/// than one statement that parses the keys from JSON and builds JSON).
pub(crate) fn summary_rows(
    c: &rusqlite::Connection,
    keys: &[i64],
    published_only: bool,
) -> rusqlite::Result<Vec<SummaryRow>> {
    let tx = c.unchecked_transaction()?;
    let mut out = Vec::with_capacity(keys.len());
    {
        let mut stmt = tx.prepare_cached(SUMMARY[usize::from(published_only)])?;
        for key in keys {
            let mut found = stmt.query([key])?;
            if let Some(r) = found.next()? {
                out.push(SummaryRow {
                    pk: r.get(0)?,
                    id: r.get(1)?,
                    given_names: r.get(2)?,
                    surname1: r.get(3)?,
                    surname2: r.get(4)?,
                    country: r.get(5)?,
                    province: r.get(6)?,
                    status: r.get(7)?,
                    publish: r.get::<_, i64>(8)? != 0,
                    birth_date: r.get(9)?,
                    arrest_date: None,
                    prison: None,
                });
            }
        }
    }
    tx.commit()?;
    Ok(out)
}

/// Statements assembled once from the pieces of [`json`], each in its
/// variants: `[all, published only]`, or by [`Persons`].
pub(crate) struct Statements {
    case: [String; 2],
    summaries: [String; 2],
    pub history: String,
    persons: [String; 3],
}

impl Statements {
    /// A whole case page.
    pub fn case(&self, published_only: bool) -> &str {
        &self.case[usize::from(published_only)]
    }

    /// List rows by key.
    pub fn summaries(&self, published_only: bool) -> &str {
        &self.summaries[usize::from(published_only)]
    }

    /// A keyset page of persons.
    fn persons(&self, which: Persons) -> &str {
        &self.persons[which as usize]
    }
}

pub(crate) static SQL: LazyLock<Statements> = LazyLock::new(|| {
    // A case page: one statement. With the published filter, an
    // unpublished person is excluded by the `WHERE`, before anything
    // else of theirs is read, exactly like an unknown id.
    // Published ids are looked up in their own index (migration 2): an
    // unpublished id costs what an unknown one does, not a row read more.
    let case = |filter: &str| {
        let index = if filter.is_empty() {
            ""
        } else {
            " INDEXED BY persons_published_id"
        };
        format!(
            "SELECT json_object({PERSON}, {}, 'events', {}, {}) FROM persons p{index} \
             WHERE p.id = ?1{filter}",
            json::DETENTIONS,
            json::events("p.pk"),
            json::cited_sources()
        )
    };
    let summaries = |filter: &str| {
        format!(
            "SELECT json_group_array({}) FROM persons p \
             WHERE p.pk IN (SELECT value FROM json_each(?1)){filter}",
            json::SUMMARY
        )
    };
    // Keyset pages in id order; `''` starts before every id.
    let persons = |filter: &str, timeline: &str| {
        format!(
            "SELECT json_group_array(json_object({PERSON}, {STAMPS}{timeline}) ORDER BY p.id) \
             FROM (SELECT * FROM persons WHERE id > ?1{filter} ORDER BY id LIMIT ?2) p"
        )
    };
    let timeline = format!(", {}, 'events', {}", json::DETENTIONS, json::events("p.pk"));
    Statements {
        case: [case(""), case(" AND p.publish = 1")],
        summaries: [summaries(""), summaries(" AND p.publish = 1")],
        history: format!(
            "SELECT json_group_array({} ORDER BY h.pk) FROM person_history h \
             WHERE h.person_id = ?1",
            json::HISTORY
        ),
        // In the order of `Persons`.
        persons: [
            persons("", ""),
            persons(" AND publish = 1", ""),
            persons("", &timeline),
        ],
    }
});

/// A read transaction on the reader pool: in WAL mode, one snapshot.
pub struct SqliteRead {
    pub(crate) tx: Transaction<'static, Sqlite>,
}

impl SqliteRead {
    pub(crate) fn new(tx: Transaction<'static, Sqlite>) -> Self {
        SqliteRead { tx }
    }
}

/// Bounds a chunk size for a `LIMIT`.
fn limit(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[async_trait]
impl ReadTx for SqliteRead {
    async fn meta(&mut self) -> StoreResult<(i64, bool)> {
        sqlx::query_as(META)
            .fetch_one(&mut *self.tx)
            .await
            .map_err(db("reading the registry version"))
    }

    async fn search_rows_json(&mut self, after_pk: i64, n: usize) -> StoreResult<String> {
        json_text!(
            &mut *self.tx,
            "SELECT json_group_array(json_object('pk', pk, 'id', id, 'sort_key', sort_key, \
             'search_text', search_text, 'publish', publish, 'country', country, \
             'status', status, 'arrest_date', arrest_date, 'prison', prison) ORDER BY pk) \
             FROM (SELECT p.pk, p.id, p.sort_key, p.search_text, p.publish, p.country, \
             p.status, d.arrest_date, d.prison FROM persons p LEFT JOIN detentions d \
             ON d.pk = (SELECT max(x.pk) FROM detentions x WHERE x.person_pk = p.pk) \
             WHERE p.pk > ?1 ORDER BY p.pk LIMIT ?2)",
            after_pk,
            limit(n)
        )
        .await
        .map_err(db("reading names for the search index"))
    }

    async fn persons_json(&mut self, which: Persons, after: &str, n: usize) -> StoreResult<String> {
        json_text!(&mut *self.tx, SQL.persons(which), after, limit(n))
            .await
            .map_err(db("reading persons"))
    }

    async fn sources_json(&mut self, after_pk: i64, n: usize) -> StoreResult<String> {
        json_text!(
            &mut *self.tx,
            &format!(
                "SELECT json_group_array({} ORDER BY s.pk) \
                 FROM (SELECT * FROM sources WHERE pk > ?1 ORDER BY pk LIMIT ?2) s",
                json::SOURCE
            ),
            after_pk,
            limit(n)
        )
        .await
        .map_err(db("reading sources"))
    }

    async fn history_json(&mut self, after_pk: i64, n: usize) -> StoreResult<String> {
        json_text!(
            &mut *self.tx,
            &format!(
                "SELECT json_group_array({} ORDER BY h.pk) \
                 FROM (SELECT * FROM person_history WHERE pk > ?1 ORDER BY pk LIMIT ?2) h",
                json::HISTORY
            ),
            after_pk,
            limit(n)
        )
        .await
        .map_err(db("reading history"))
    }
}
