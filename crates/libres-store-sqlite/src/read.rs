//! Reads: the statements of the hot pages, and the read transaction that
//! dumps, exports and the name index page through.

use crate::json::{self, PERSON, STAMPS};
use crate::{db, json_text};
use async_trait::async_trait;
use libres_store::backend::{Persons, ReadTx};
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

/// Counts by country and status.
pub(crate) const COUNTS: &str = "SELECT json_group_array(json_object('country', country, \
     'status', status, 'n', n)) FROM (SELECT country, status, count(*) AS n FROM persons \
     GROUP BY country, status)";

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
    let case = |filter: &str| {
        format!(
            "SELECT json_object({PERSON}, {}, 'events', {}, {}) FROM persons p \
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
    tx: Transaction<'static, Sqlite>,
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
             'status', status) ORDER BY pk) \
             FROM (SELECT * FROM persons WHERE pk > ?1 ORDER BY pk LIMIT ?2)",
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
