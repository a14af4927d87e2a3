//! Reads: the statements of the hot pages, and the snapshot that dumps,
//! exports and the name index page through.

use crate::json::{self, PERSON};
use crate::{db, Tx};
use async_trait::async_trait;
use libres_store::backend::{Persons, ReadTx};
use libres_store::StoreResult;
use sqlx::pool::PoolConnection;
use sqlx::{PgPool, Postgres};
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

/// The registry version (see `registry_touch` in the migration).
pub(crate) const VERSION: &str = "SELECT value FROM registry_meta WHERE key = 'version'";

/// Whether the registry is marked synthetic.
pub(crate) const SYNTHETIC: &str =
    "SELECT coalesce((SELECT value FROM registry_meta WHERE key = 'synthetic'), 0) <> 0";

/// The version and the synthetic mark, in one statement.
const META: &str = "SELECT (SELECT value FROM registry_meta WHERE key = 'version'), \
     coalesce((SELECT value FROM registry_meta WHERE key = 'synthetic'), 0) <> 0";

/// Counts by country and status: `[every person, published ones only]`.
pub(crate) const COUNTS: [&str; 2] = [
    "SELECT coalesce(json_agg(json_build_object('country', country, \
     'status', status, 'n', n)), '[]')::text FROM (SELECT country, status, count(*) AS n \
     FROM persons GROUP BY country, status) c",
    "SELECT coalesce(json_agg(json_build_object('country', country, \
     'status', status, 'n', n)), '[]')::text FROM (SELECT country, status, count(*) AS n \
     FROM persons WHERE publish GROUP BY country, status) c",
];

/// List rows by key, as plain columns: every person, or published ones
/// only. PostgreSQL builds JSON slowly (a search page's fifty rows cost
/// as much to turn into JSON as to find), and typed columns need no
/// parsing on our side either.
/// With the birth date (the latest arrest and prison come from the name
/// index, which holds them: see `libres_store::search_index`).
pub(crate) const SUMMARY_ROWS: [&str; 2] = [
    "SELECT pk, id, given_names, surname1, surname2, country, province, status, publish, \
     birth_date FROM persons WHERE pk = ANY($1)",
    "SELECT pk, id, given_names, surname1, surname2, country, province, status, publish, \
     birth_date FROM persons WHERE pk = ANY($1) AND publish",
];

/// A list row as [`SUMMARY_ROWS`] gives it.
pub(crate) type SummaryColumns = (
    i64,
    String,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    String,
    bool,
    Option<String>,
);

/// Pooled connections that the hot reads keep between two reads instead
/// of handing them back to the pool.
///
/// sqlx tests every connection that comes back to its pool with a round
/// trip to the server (a `Sync` and its `ReadyForQuery`): for the one
/// statement of a case page, a second round trip, an eighth of the
/// server's CPU on top of PostgreSQL's own. The hot reads (the version,
/// a case, list rows, the synthetic mark) take a kept connection when
/// there is one and keep it afterwards, up to [`Held::MAX`]; the others
/// go back to the pool as before, so the pool's bound stays the bound on
/// connections, and part of it is always left for writes. A connection
/// kept unused for [`Held::IDLE`] goes back to the pool (and its idle
/// timeout) on the next read. A read whose future is dropped midway drops
/// its connection, which sqlx's release then tests and cleans as always;
/// one that failed other than by an error of the server's (a broken
/// socket) is not kept either.
pub(crate) struct Held {
    idle: Mutex<Vec<(PoolConnection<Postgres>, Instant)>>,
}

impl Held {
    /// Connections kept at most: half the pool.
    pub const MAX: usize = crate::MAX_CONNECTIONS as usize / 2;
    /// How long a kept connection may stay unused.
    const IDLE: Duration = Duration::from_secs(60);

    pub fn new() -> Self {
        Held {
            idle: Mutex::new(Vec::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(PoolConnection<Postgres>, Instant)>> {
        self.idle.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A kept connection, else one from `pool`.
    pub async fn take(
        &self,
        pool: &PgPool,
        context: &'static str,
    ) -> StoreResult<PoolConnection<Postgres>> {
        let now = Instant::now();
        let (fresh, stale) = {
            let mut idle = self.lock();
            // The oldest first: those unused too long go back.
            let keep_from = idle
                .iter()
                .position(|(_, at)| now.duration_since(*at) < Self::IDLE)
                .unwrap_or(idle.len());
            let stale: Vec<_> = idle.drain(..keep_from).collect();
            (idle.pop(), stale)
        };
        drop(stale);
        match fresh {
            Some((conn, _)) => Ok(conn),
            None => pool.acquire().await.map_err(db(context)),
        }
    }

    /// Keeps `conn` for the next read if it is sound after `result` and
    /// there is room; else it goes back to the pool.
    pub fn give_back<T>(&self, conn: PoolConnection<Postgres>, result: &Result<T, sqlx::Error>) {
        let sound = match result {
            Ok(_) | Err(sqlx::Error::RowNotFound) => true,
            // An error of the statement leaves the connection usable; a
            // fatal one (the server ending the session) does not.
            Err(sqlx::Error::Database(e)) => e
                .try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
                .is_some_and(|e| {
                    !matches!(
                        e.severity(),
                        sqlx::postgres::PgSeverity::Fatal | sqlx::postgres::PgSeverity::Panic
                    )
                }),
            Err(_) => false,
        };
        if !sound {
            return;
        }
        let mut idle = self.lock();
        if idle.len() < Self::MAX {
            idle.push((conn, Instant::now()));
        }
    }

    /// Hands every kept connection back to the pool.
    pub fn release(&self) {
        let all: Vec<_> = self.lock().drain(..).collect();
        drop(all);
    }

    /// The connections kept now.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.lock().len()
    }
}

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
    pub(crate) tx: Tx,
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
            "SELECT coalesce(json_agg(r ORDER BY r.pk), '[]')::text FROM (SELECT p.pk, p.id, \
             p.sort_key, p.search_text, p.publish, p.country, p.status, d.arrest_date, \
             d.prison FROM persons p LEFT JOIN LATERAL (SELECT arrest_date, prison \
             FROM detentions WHERE person_pk = p.pk ORDER BY pk DESC LIMIT 1) d ON true \
             WHERE p.pk > $1 ORDER BY p.pk LIMIT $2) r",
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
