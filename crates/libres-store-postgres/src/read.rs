//! Reads: the statements of the hot pages, and the snapshot that dumps,
//! exports and the name index page through.

use crate::json::{self, PERSON};
use crate::{db, Tx};
use async_trait::async_trait;
use libres_store::backend::{Persons, ReadTx};
use libres_store::StoreResult;
use std::sync::LazyLock;

/// The registry version (see `registry_touch` in the migration).
pub(crate) const VERSION: &str = "SELECT value FROM registry_meta WHERE key = 'version'";

/// Whether the registry is marked synthetic.
pub(crate) const SYNTHETIC: &str =
    "SELECT coalesce((SELECT value FROM registry_meta WHERE key = 'synthetic'), 0) <> 0";

/// The version and the synthetic mark, in one statement.
const META: &str = "SELECT (SELECT value FROM registry_meta WHERE key = 'version'), \
     coalesce((SELECT value FROM registry_meta WHERE key = 'synthetic'), 0) <> 0";

/// Counts by country and status.
pub(crate) const COUNTS: &str = "SELECT coalesce(json_agg(json_build_object('country', country, \
     'status', status, 'n', n)), '[]')::text FROM (SELECT country, status, count(*) AS n \
     FROM persons GROUP BY country, status) c";

/// Statements assembled once from the pieces of [`json`].
pub(crate) struct Statements {
    /// A case page: every person, or published ones only.
    pub case: (String, String),
    /// List rows by key: every person, or published ones only.
    pub summaries: (String, String),
    pub history: String,
    /// Keyset pages of persons, by [`Persons`].
    persons: Vec<String>,
    sources: String,
    all_history: String,
}

/// The first or the second of a pair.
pub(crate) fn pick(pair: &(String, String), second: bool) -> &str {
    if second {
        &pair.1
    } else {
        &pair.0
    }
}

pub(crate) static SQL: LazyLock<Statements> = LazyLock::new(|| {
    let case = |filter: &str| {
        format!(
            "WITH p AS (SELECT * FROM persons WHERE id = $1{filter}), {} \
             SELECT json_build_object({PERSON}, 'detentions', {}, 'events', {}, \
             'sources', {})::text FROM p",
            json::EVENTS_CTE,
            json::DETENTIONS,
            json::EVENTS,
            json::SOURCES
        )
    };
    let summaries = |filter: &str| {
        format!(
            "SELECT coalesce(json_agg({}), '[]')::text FROM persons p \
             WHERE p.pk = ANY($1){filter}",
            json::SUMMARY
        )
    };
    // Keyset pages in id order; `''` starts before every id.
    let persons = |filter: &str, timeline: &str| {
        format!(
            "SELECT coalesce(json_agg(json_build_object({PERSON}, {}{timeline}) ORDER BY p.id), \
             '[]')::text FROM (SELECT * FROM persons WHERE id > $1{filter} ORDER BY id \
             LIMIT $2) p",
            json::stamps()
        )
    };
    let timeline = format!(
        ", 'detentions', {}, 'events', {}",
        json::DETENTIONS,
        json::TIMELINE
    );
    Statements {
        case: (case(""), case(" AND publish")),
        summaries: (summaries(""), summaries(" AND p.publish")),
        history: format!(
            "SELECT coalesce(json_agg({} ORDER BY h.pk), '[]')::text FROM person_history h \
             WHERE h.person_id = $1",
            json::history()
        ),
        persons: vec![
            persons("", ""),
            persons(" AND publish", ""),
            persons("", &timeline),
        ],
        sources: "SELECT coalesce(json_agg(s ORDER BY s.pk), '[]')::text FROM (SELECT pk, url, \
             title, publisher, date, kind, confidential FROM sources WHERE pk > $1 ORDER BY pk \
             LIMIT $2) s"
            .to_owned(),
        all_history: format!(
            "SELECT coalesce(json_agg({} ORDER BY h.pk), '[]')::text FROM (SELECT * FROM \
             person_history WHERE pk > $1 ORDER BY pk LIMIT $2) h",
            json::history()
        ),
    }
});

/// A `REPEATABLE READ READ ONLY` transaction: one snapshot.
pub struct PgRead {
    tx: Tx,
}

impl PgRead {
    pub(crate) fn new(tx: Tx) -> Self {
        PgRead { tx }
    }

    /// One JSON text from `sql` with a key and a limit.
    async fn page(
        &mut self,
        sql: &str,
        after: i64,
        n: usize,
        what: &'static str,
    ) -> StoreResult<String> {
        sqlx::query_scalar(sql)
            .bind(after)
            .bind(limit(n))
            .fetch_one(&mut *self.tx)
            .await
            .map_err(db(what))
    }
}

/// Bounds a chunk size for a `LIMIT`.
fn limit(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[async_trait]
impl ReadTx for PgRead {
    async fn meta(&mut self) -> StoreResult<(i64, bool)> {
        let row: (i64, bool) = sqlx::query_as(META)
            .fetch_one(&mut *self.tx)
            .await
            .map_err(db("reading the registry version"))?;
        Ok(row)
    }

    async fn search_rows_json(&mut self, after_pk: i64, n: usize) -> StoreResult<String> {
        self.page(
            "SELECT coalesce(json_agg(r ORDER BY r.pk), '[]')::text FROM (SELECT pk, id, \
             sort_key, search_text, publish, country, status FROM persons WHERE pk > $1 \
             ORDER BY pk LIMIT $2) r",
            after_pk,
            n,
            "reading names for the search index",
        )
        .await
    }

    async fn persons_json(&mut self, which: Persons, after: &str, n: usize) -> StoreResult<String> {
        let sql = &SQL.persons[which as usize];
        let page = sqlx::query_scalar(sql).bind(after).bind(limit(n));
        page.fetch_one(&mut *self.tx)
            .await
            .map_err(db("reading persons"))
    }

    async fn sources_json(&mut self, after_pk: i64, n: usize) -> StoreResult<String> {
        self.page(&SQL.sources, after_pk, n, "reading sources")
            .await
    }

    async fn history_json(&mut self, after_pk: i64, n: usize) -> StoreResult<String> {
        self.page(&SQL.all_history, after_pk, n, "reading history")
            .await
    }
}
