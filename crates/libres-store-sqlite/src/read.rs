//! Reads: the statements of the hot pages, and the read transaction that
//! dumps, exports and the name index page through.

use crate::json::{self, PERSON, STAMPS};
use crate::{db, json_text};
use async_trait::async_trait;
use libres_store::backend::ReadTx;
use libres_store::StoreResult;
use sqlx::{Sqlite, Transaction};
use std::sync::LazyLock;

/// The registry version (see the migration's triggers).
pub(crate) const VERSION: &str = "SELECT value FROM registry_meta WHERE key = 'version'";

/// Whether the registry is marked synthetic.
pub(crate) const SYNTHETIC: &str =
    "SELECT coalesce((SELECT value FROM registry_meta WHERE key = 'synthetic'), 0) <> 0";

/// Counts by country and status.
pub(crate) const COUNTS: &str = "SELECT json_group_array(json_object('country', country, \
     'status', status, 'n', n)) FROM (SELECT country, status, count(*) AS n FROM persons \
     GROUP BY country, status)";

/// Statements assembled once from the pieces of [`json`].
pub(crate) struct Statements {
    pub case: String,
    pub published_case: String,
    pub summaries: String,
    pub published_summaries: String,
    pub history: String,
    persons: String,
    published_persons: String,
    dumped_persons: String,
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
        case: case(""),
        published_case: case(" AND p.publish = 1"),
        summaries: summaries(""),
        published_summaries: summaries(" AND p.publish = 1"),
        history: format!(
            "SELECT json_group_array({} ORDER BY h.pk) FROM person_history h \
             WHERE h.person_id = ?1",
            json::HISTORY
        ),
        persons: persons("", ""),
        published_persons: persons(" AND publish = 1", ""),
        dumped_persons: persons("", &timeline),
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
    async fn version(&mut self) -> StoreResult<i64> {
        sqlx::query_scalar(VERSION)
            .fetch_one(&mut *self.tx)
            .await
            .map_err(db("reading the registry version"))
    }

    async fn is_synthetic(&mut self) -> StoreResult<bool> {
        sqlx::query_scalar(SYNTHETIC)
            .fetch_one(&mut *self.tx)
            .await
            .map_err(db("reading the registry flags"))
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

    async fn persons_json(
        &mut self,
        after_id: Option<&str>,
        n: usize,
        published_only: bool,
        timeline: bool,
    ) -> StoreResult<String> {
        let sql = match (timeline, published_only) {
            (true, _) => &SQL.dumped_persons,
            (false, true) => &SQL.published_persons,
            (false, false) => &SQL.persons,
        };
        json_text!(&mut *self.tx, sql, after_id.unwrap_or(""), limit(n))
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
