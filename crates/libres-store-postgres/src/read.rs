//! Reads: the statements of the hot pages, and the snapshot that dumps,
//! exports and the name index page through.

use crate::json::{self, PERSON};
use crate::{db, Tx};
use async_trait::async_trait;
use libres_store::backend::ReadTx;
use libres_store::StoreResult;
use std::sync::LazyLock;

/// The registry version (see `registry_touch` in the migration).
pub(crate) const VERSION: &str = "SELECT value FROM registry_meta WHERE key = 'version'";

/// Whether the registry is marked synthetic.
pub(crate) const SYNTHETIC: &str =
    "SELECT coalesce((SELECT value FROM registry_meta WHERE key = 'synthetic'), 0) <> 0";

/// Counts by country and status.
pub(crate) const COUNTS: &str = "SELECT coalesce(json_agg(json_build_object('country', country, \
     'status', status, 'n', n)), '[]')::text FROM (SELECT country, status, count(*) AS n \
     FROM persons GROUP BY country, status) c";

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
    sources: String,
    all_history: String,
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
        case: case(""),
        published_case: case(" AND publish"),
        summaries: summaries(""),
        published_summaries: summaries(" AND p.publish"),
        history: format!(
            "SELECT coalesce(json_agg({} ORDER BY h.pk), '[]')::text FROM person_history h \
             WHERE h.person_id = $1",
            json::history()
        ),
        persons: persons("", ""),
        published_persons: persons(" AND publish", ""),
        dumped_persons: persons("", &timeline),
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
        sqlx::query_scalar(sql)
            .bind(after_id.unwrap_or(""))
            .bind(limit(n))
            .fetch_one(&mut *self.tx)
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
