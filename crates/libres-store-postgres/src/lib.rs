//! The PostgreSQL backend of the Libres [`Store`].
//!
//! What belongs here: SQL for PostgreSQL, the connection pool, and this
//! backend's migrations (embedded in the binary and run on open, safe when
//! several instances start together). What does not: domain rules. Status
//! derivation, validation and text folding come from `libres-core`, so this
//! backend gives exactly the answers of the SQLite one; the store
//! conformance suite of `libres-store` runs against both to keep it so.
//!
//! This is the backend for a group that outgrows one machine: several
//! stateless `libres serve` instances share one database.
//!
//! - **Writers serialise on one row.** Every write transaction first locks
//!   the `version` row of `registry_meta` (`SELECT … FOR UPDATE`), so two
//!   imports from two instances queue instead of failing on each other, and
//!   each reads the other's committed rows before deciding what is new.
//!   Keys come from the tables' identity sequences, allocated in bulk.
//! - **One version counter for every cache.** Each write transaction bumps
//!   `registry_meta.version`, explicitly and through statement-level
//!   triggers (so a hand edit in `psql` moves it too). Every instance
//!   compares its name index and page cache against it.
//! - **Reads that must agree with themselves see one snapshot.** A case
//!   page (person, detentions, events, sources) is one statement, the
//!   person's row with the rest as JSON built by the server: one round
//!   trip, and every table reached by key (see `rows`). A rebuild of the
//!   name index reads the version and the names inside one `REPEATABLE READ
//!   READ ONLY` transaction.
//! - **Search** runs on the in-memory name index shared by every backend
//!   (`libres_store::search_index`), built from the `search_text` column.
//!   That column holds `libres_core::text::fold` of names and aliases:
//!   lower-case ASCII words, with accents and case already gone. No
//!   `unaccent` or `pg_trgm` extension is needed, deliberately: folding in
//!   core keeps one rule for both backends (`unaccent`'s rules are not
//!   `deunicode`'s, so the two backends would find different persons);
//!   extensions need privileges that a managed server or a
//!   Postgres-compatible distributed engine may not grant; and trigrams
//!   answer "similar to" where Libres answers "every term starts a name
//!   word" (`yoa per` finds Yoandri Pérez, `andri` must not). The SQL side
//!   only ever looks persons up by key.
//! - **Durability** is PostgreSQL's default (`synchronous_commit = on`): a
//!   committed import is on disk.
//!
//! Connection errors say what is wrong (server unreachable, credentials
//! refused, database missing) and name the host, never the password.

mod bulk;
mod connect;
mod copy;
mod migrate;
mod rows;
pub mod testing;

use async_trait::async_trait;
use libres_core::{derive_status, Event, Person, PersonId, Status};
use libres_store::decode;
use libres_store::search_index::{IndexQuery, SearchIndex};
use libres_store::{
    CaseBundle, HistoryEntry, PersonPage, PersonQuery, PersonRecord, RegistryDump, StatusCount,
    Store, StoreError, StoreResult, UpsertSummary,
};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::{Connection, Postgres, Row};
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::{Arc, RwLock};
use std::time::Duration;

pub use connect::same_database;
pub(crate) use connect::{connect, parse_url};
pub use migrate::SCHEMA_VERSION;

/// A transaction on a pooled connection.
pub(crate) type Tx = sqlx::Transaction<'static, Postgres>;

/// Connections per instance. A page needs one at a time; several instances
/// share the server, whose default limit is 100 connections in all.
const MAX_CONNECTIONS: u32 = 8;

/// How long a request waits for a free pooled connection.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// A Libres registry in a PostgreSQL database.
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
    index: Arc<IndexCache>,
    /// Rows this instance wrote since it last refreshed the planner's
    /// statistics (see `refresh_statistics`).
    unanalysed: Arc<std::sync::atomic::AtomicUsize>,
}

/// The in-memory name index and the registry version it was built from.
#[derive(Default)]
struct IndexCache {
    current: RwLock<Option<(i64, Arc<SearchIndex>)>>,
    /// Held while rebuilding, so that a burst of searches after an import
    /// rebuilds once rather than once per request.
    rebuilding: tokio::sync::Mutex<()>,
}

impl IndexCache {
    fn get(&self, version: i64) -> Option<Arc<SearchIndex>> {
        let guard = self.current.read().unwrap_or_else(|e| e.into_inner());
        match &*guard {
            Some((v, idx)) if *v == version => Some(Arc::clone(idx)),
            _ => None,
        }
    }

    fn set(&self, version: i64, index: Arc<SearchIndex>) {
        let mut guard = self.current.write().unwrap_or_else(|e| e.into_inner());
        *guard = Some((version, index));
    }
}

pub(crate) fn other(context: &str) -> impl FnOnce(sqlx::Error) -> StoreError + '_ {
    move |e| StoreError::Other(format!("{context}: {e}"))
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`)
    /// and brings its schema up to date. The database must exist; a database
    /// of a newer schema version than this binary knows is refused.
    pub async fn open(url: &str) -> StoreResult<PgStore> {
        let options = parse_url(url)?;
        // Migrate on one connection opened directly: its error says exactly
        // what is wrong, where a pool retries a refused connection until its
        // timeout and then only reports that it timed out.
        let mut conn = connect(&options).await?;
        migrate::run(&mut conn).await?;
        let _ = conn.close().await;
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            // sqlx already pings every connection when it comes back to the
            // pool; pinging again on the way out would add a round trip to
            // every request. A connection that dies while idle (the server
            // restarted) fails one request and is then discarded.
            .test_before_acquire(false)
            .connect_lazy_with(options);
        Ok(PgStore {
            pool,
            index: Arc::default(),
            unanalysed: Arc::default(),
        })
    }

    /// Stops handing out connections at once; the returned future resolves
    /// when every connection has been closed.
    pub fn close(&self) -> impl Future<Output = ()> + '_ {
        self.pool.close()
    }

    /// Refreshes the planner's statistics after bulk writes that grew the
    /// registry by a large share. Right after a big import the tables have
    /// no statistics (autovacuum gets to them later), and PostgreSQL then
    /// plans the case-page query with full scans: 300 ms a page instead of
    /// 1 ms. ANALYZE samples at most 30,000 rows per table, so it costs a
    /// fraction of a second however large the registry; it runs when the
    /// rows written since the last one reach a fifth of what the planner
    /// believes the table holds, so a growing registry is analysed a
    /// logarithmic number of times. Failure only costs speed: it is logged.
    async fn refresh_statistics(&self, written: usize) {
        use std::sync::atomic::Ordering;
        let pending = self.unanalysed.fetch_add(written, Ordering::AcqRel) + written;
        if pending < 1000 {
            return;
        }
        let believed = sqlx::query("SELECT reltuples::float8 AS n FROM pg_class WHERE relname = 'persons' AND relkind = 'r'")
            .fetch_optional(&self.pool)
            .await
            .map(|r| r.and_then(|r| r.try_get::<f64, _>("n").ok()).unwrap_or(-1.0));
        let believed = match believed {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(error = %e, "reading planner statistics failed");
                return;
            }
        };
        if believed >= 0.0 && (pending as f64) * 5.0 < believed {
            return;
        }
        self.unanalysed.store(0, Ordering::Release);
        if let Err(e) = sqlx::query(
            "ANALYZE persons, detentions, events, sources, event_sources, person_history",
        )
        .execute(&self.pool)
        .await
        {
            tracing::warn!(error = %e, "refreshing planner statistics failed");
        }
    }

    /// A write transaction that holds the registry's write lock (the
    /// `version` row of `registry_meta`) from its first statement. Writers
    /// of every instance queue on it, so an import never fails because
    /// another process wrote in between.
    async fn write_tx(&self) -> StoreResult<Tx> {
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(other("starting a write transaction"))?;
        sqlx::query("SELECT value FROM registry_meta WHERE key = 'version' FOR UPDATE")
            .execute(&mut *tx)
            .await
            .map_err(other("waiting for the registry write lock"))?;
        Ok(tx)
    }

    /// A read-only transaction on one snapshot of the database.
    async fn snapshot(&self) -> StoreResult<Tx> {
        self.pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await
            .map_err(other("starting a read transaction"))
    }

    /// One person with detentions, timeline and sources, read by one
    /// statement (so from one snapshot, in one round trip). With
    /// `published_only`, an unpublished person is filtered out by that
    /// statement's `WHERE`, before anything else of theirs is read, exactly
    /// like an unknown id.
    async fn load_person(
        &self,
        id: &PersonId,
        published_only: bool,
    ) -> StoreResult<Option<PersonRecord>> {
        let sql = format!(
            "WITH p AS (SELECT pk, {} FROM persons WHERE id = $1{}), {} \
             SELECT p.*, {} AS detentions, {} AS events, {} AS sources FROM p",
            rows::PERSON_COLUMNS,
            if published_only { " AND publish" } else { "" },
            rows::EVENTS_CTE,
            rows::DETENTIONS_JSON,
            rows::EVENTS_JSON,
            rows::SOURCES_JSON,
        );
        let Some(row) = sqlx::query(&sql)
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(other("reading a person"))?
        else {
            return Ok(None);
        };
        let person = rows::person(&row)?;
        let json = |col: &str| -> StoreResult<String> {
            row.try_get(col).map_err(other("reading a person"))
        };
        let detentions = rows::detentions(&json("detentions")?)?;
        let events = rows::events(&json("events")?)?;
        let sources = rows::sources(&json("sources")?)?;
        // The cached status must always equal the derivation; derive again
        // rather than trust the cache on the page that shows the timeline.
        let status = derive_status(&events);
        Ok(Some(PersonRecord {
            person,
            status,
            detentions,
            events,
            sources,
        }))
    }

    /// The name index for the registry as it is now, rebuilt first if any
    /// writer (this instance or another) changed the registry since it was
    /// built.
    async fn search_index(&self) -> StoreResult<Arc<SearchIndex>> {
        let version = registry_version(&self.pool).await?;
        if let Some(idx) = self.index.get(version) {
            return Ok(idx);
        }
        let _rebuilding = self.index.rebuilding.lock().await;
        let version = registry_version(&self.pool).await?;
        if let Some(idx) = self.index.get(version) {
            return Ok(idx);
        }
        // Read the version and the rows in one snapshot, so the index is
        // tagged with exactly the version of the data it holds.
        let mut tx = self.snapshot().await?;
        let version = registry_version(&mut *tx).await?;
        let rows = sqlx::query(
            "SELECT pk, id, sort_key, search_text, publish, country, status FROM persons",
        )
        .fetch_all(&mut *tx)
        .await
        .map_err(other("reading names for the search index"))?;
        tx.commit().await.map_err(other("reading the registry"))?;
        let rows = rows
            .iter()
            .map(rows::search_row)
            .collect::<StoreResult<Vec<_>>>()?;
        let started = std::time::Instant::now();
        let index = tokio::task::spawn_blocking(move || SearchIndex::build(rows))
            .await
            .map_err(|e| StoreError::Other(format!("building the search index: {e}")))?;
        tracing::debug!(persons = index.len(), elapsed = ?started.elapsed(), "search index built");
        let index = Arc::new(index);
        self.index.set(version, Arc::clone(&index));
        Ok(index)
    }
}

/// The counter that every write transaction bumps (see the migration).
async fn registry_version<'e, E>(exec: E) -> StoreResult<i64>
where
    E: sqlx::Executor<'e, Database = Postgres>,
{
    sqlx::query("SELECT value FROM registry_meta WHERE key = 'version'")
        .fetch_one(exec)
        .await
        .map_err(other("reading the registry version"))?
        .try_get("value")
        .map_err(other("reading the registry version"))
}

/// Marks the registry as changed by this transaction. The triggers do it
/// too for every table they watch; calling it explicitly keeps writes that
/// touch no watched table (the synthetic flag) visible, and costs nothing
/// more than once per transaction (see `registry_touch` in the migration).
async fn bump_version(tx: &mut Tx) -> StoreResult<()> {
    sqlx::query("SELECT registry_touch()")
        .execute(&mut **tx)
        .await
        .map_err(other("bumping the registry version"))?;
    Ok(())
}

async fn insert_event(tx: &mut Tx, person_pk: i64, e: &Event) -> StoreResult<i64> {
    sqlx::query(
        "INSERT INTO events (person_pk, kind, date, date_earliest, date_latest, release_kind, \
         conditions, place, description) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         RETURNING pk",
    )
    .bind(person_pk)
    .bind(e.kind.slug())
    .bind(e.date.as_str())
    .bind(e.date.earliest())
    .bind(e.date.latest())
    .bind(e.release.as_ref().map(|r| r.kind.slug()))
    .bind(rows::conditions(e))
    .bind(&e.place)
    .bind(&e.description)
    .fetch_one(&mut **tx)
    .await
    .map_err(other("inserting an event"))?
    .try_get("pk")
    .map_err(other("inserting an event"))
}

async fn link_source(tx: &mut Tx, event_pk: i64, source_pk: i64) -> StoreResult<()> {
    let res = sqlx::query(
        "INSERT INTO event_sources (event_pk, source_pk) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(event_pk)
    .bind(source_pk)
    .execute(&mut **tx)
    .await;
    match res {
        Ok(_) => Ok(()),
        Err(sqlx::Error::Database(db)) if db.is_foreign_key_violation() => {
            Err(StoreError::NotFound(format!("source {source_pk}")))
        }
        Err(e) => Err(other("linking a source")(e)),
    }
}

/// A person's timeline, in the order of the case page.
async fn load_events(tx: &mut Tx, person_pk: i64) -> StoreResult<Vec<Event>> {
    let json: String = sqlx::query(&format!(
        "WITH p AS (SELECT $1::bigint AS pk), {} SELECT {} AS events",
        rows::EVENTS_CTE,
        rows::EVENTS_JSON
    ))
    .bind(person_pk)
    .fetch_one(&mut **tx)
    .await
    .map_err(other("reading events"))?
    .try_get("events")
    .map_err(other("reading events"))?;
    rows::events(&json)
}

/// A case whose event cites a source position the case does not have.
fn no_such_source(case: &CaseBundle, pos: i64) -> StoreError {
    StoreError::Other(format!(
        "case `{}`: an event cites source #{pos}, but the case has {} sources",
        case.person.id,
        case.sources.len()
    ))
}

#[async_trait]
impl Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn version(&self) -> StoreResult<i64> {
        registry_version(&self.pool).await
    }

    async fn is_empty(&self) -> StoreResult<bool> {
        sqlx::query("SELECT NOT EXISTS (SELECT 1 FROM persons) AS empty")
            .fetch_one(&self.pool)
            .await
            .map_err(other("checking whether the registry is empty"))?
            .try_get::<bool, _>("empty")
            .map_err(other("checking whether the registry is empty"))
    }

    async fn upsert_persons(
        &self,
        persons: &[Person],
        keep: &[&str],
        actor: &str,
    ) -> StoreResult<UpsertSummary> {
        if let Some(bad) = keep.iter().find(|k| !Person::FIELD_NAMES.contains(k)) {
            return Err(StoreError::Other(format!(
                "unknown person field `{bad}` asked to be kept"
            )));
        }
        let mut seen = HashSet::with_capacity(persons.len());
        for p in persons {
            if !seen.insert(p.id.as_str()) {
                return Err(StoreError::Conflict(format!(
                    "the id `{}` appears twice",
                    p.id
                )));
            }
        }
        let mut tx = self.write_tx().await?;
        let ids: Vec<&str> = persons.iter().map(|p| p.id.as_str()).collect();
        let existing = bulk::existing_persons(&mut tx, &ids).await?;
        let mut summary = UpsertSummary::default();
        let mut new = Vec::new();
        let mut changed = Vec::new();
        let mut history = Vec::new();
        for p in persons {
            match existing.get(p.id.as_str()) {
                None => {
                    new.push(p);
                    history.push((p.id.as_str(), "created", p.creation_changes()));
                    summary.created += 1;
                }
                Some(old) => {
                    // The person CSV never carries aliases, occupation or
                    // summary, and `keep` names what this file left out:
                    // keep what is stored for all of them.
                    let mut merged = p.clone();
                    merged
                        .keep_fields_from(old, &["aliases", "occupation", "summary"])
                        .and_then(|()| merged.keep_fields_from(old, keep))
                        .map_err(|f| StoreError::Other(format!("unknown person field `{f}`")))?;
                    let changes = merged.diff(old);
                    if changes.is_empty() {
                        summary.unchanged += 1;
                    } else {
                        changed.push(merged);
                        history.push((p.id.as_str(), "updated", changes));
                        summary.updated += 1;
                    }
                }
            }
        }
        let pks = bulk::allocate_pks(&mut tx, "persons", new.len()).await?;
        let new: Vec<_> = pks
            .into_iter()
            .zip(new)
            .map(|(pk, p)| (pk, p, Status::Unknown))
            .collect();
        bulk::insert_persons(&mut tx, &new).await?;
        bulk::update_persons(&mut tx, &changed).await?;
        bulk::insert_history(&mut tx, actor, &history).await?;
        if summary.created + summary.updated > 0 {
            bump_version(&mut tx).await?;
        }
        tx.commit().await.map_err(other("committing the import"))?;
        self.refresh_statistics(persons.len()).await;
        Ok(summary)
    }

    async fn insert_cases(&self, cases: &[CaseBundle], actor: &str) -> StoreResult<()> {
        let mut seen = HashSet::with_capacity(cases.len());
        for c in cases {
            if !seen.insert(c.person.id.as_str()) {
                return Err(StoreError::Conflict(format!(
                    "the id `{}` appears twice",
                    c.person.id
                )));
            }
            for e in &c.events {
                if let Some(&pos) = e
                    .source_ids
                    .iter()
                    .find(|&&pos| usize::try_from(pos).map_or(true, |i| i >= c.sources.len()))
                {
                    return Err(no_such_source(c, pos));
                }
            }
        }
        let mut tx = self.write_tx().await?;
        let ids: Vec<&str> = cases.iter().map(|c| c.person.id.as_str()).collect();
        if let Some(id) = bulk::existing_persons(&mut tx, &ids).await?.keys().min() {
            return Err(StoreError::Conflict(format!(
                "a person with id `{id}` already exists"
            )));
        }
        let n_sources = cases.iter().map(|c| c.sources.len()).sum();
        let n_events = cases.iter().map(|c| c.events.len()).sum();
        let person_pks = bulk::allocate_pks(&mut tx, "persons", cases.len()).await?;
        let source_pks = bulk::allocate_pks(&mut tx, "sources", n_sources).await?;
        let event_pks = bulk::allocate_pks(&mut tx, "events", n_events).await?;
        let mut source_pks = source_pks.into_iter();
        let mut event_pks = event_pks.into_iter();
        let missing_key = || StoreError::Other("allocating keys: too few keys".into());
        let mut persons = Vec::with_capacity(cases.len());
        let mut detentions = Vec::new();
        let mut sources = Vec::with_capacity(n_sources);
        let mut events = Vec::with_capacity(n_events);
        let mut links = Vec::new();
        let mut history = Vec::with_capacity(cases.len());
        for (case, person_pk) in cases.iter().zip(person_pks) {
            persons.push((person_pk, &case.person, derive_status(&case.events)));
            history.push((
                case.person.id.as_str(),
                "created",
                case.person.creation_changes(),
            ));
            detentions.extend(case.detentions.iter().map(|d| (person_pk, d)));
            // Positions in `case.sources` become the keys just allocated.
            let mut case_sources = Vec::with_capacity(case.sources.len());
            for s in &case.sources {
                let pk = source_pks.next().ok_or_else(missing_key)?;
                sources.push((pk, s));
                case_sources.push(pk);
            }
            for e in &case.events {
                let event_pk = event_pks.next().ok_or_else(missing_key)?;
                events.push((event_pk, person_pk, e));
                for &pos in &e.source_ids {
                    let source_pk = usize::try_from(pos)
                        .ok()
                        .and_then(|i| case_sources.get(i))
                        .ok_or_else(|| no_such_source(case, pos))?;
                    links.push((event_pk, *source_pk));
                }
            }
        }
        bulk::insert_persons(&mut tx, &persons).await?;
        bulk::insert_detentions(&mut tx, &detentions).await?;
        bulk::insert_sources(&mut tx, &sources).await?;
        bulk::insert_events(&mut tx, &events).await?;
        bulk::insert_event_sources(&mut tx, &links).await?;
        bulk::insert_history(&mut tx, actor, &history).await?;
        bump_version(&mut tx).await?;
        tx.commit().await.map_err(other("committing new cases"))?;
        self.refresh_statistics(cases.len()).await;
        Ok(())
    }

    async fn add_event(&self, person: &PersonId, event: &Event, actor: &str) -> StoreResult<i64> {
        let mut tx = self.write_tx().await?;
        let person_pk: i64 = sqlx::query("SELECT pk FROM persons WHERE id = $1")
            .bind(person.as_str())
            .fetch_optional(&mut *tx)
            .await
            .map_err(other("reading a person"))?
            .ok_or_else(|| StoreError::NotFound(format!("person `{person}`")))?
            .try_get("pk")
            .map_err(other("reading a person"))?;
        let event_pk = insert_event(&mut tx, person_pk, event).await?;
        for &s in &event.source_ids {
            link_source(&mut tx, event_pk, s).await?;
        }
        let events = load_events(&mut tx, person_pk).await?;
        let status = derive_status(&events);
        sqlx::query("UPDATE persons SET status = $2, updated_at = now() WHERE pk = $1")
            .bind(person_pk)
            .bind(status.slug())
            .execute(&mut *tx)
            .await
            .map_err(other("updating the status"))?;
        bulk::insert_history(
            &mut tx,
            actor,
            &[(
                person.as_str(),
                "event_added",
                vec![event.addition_change()],
            )],
        )
        .await?;
        bump_version(&mut tx).await?;
        tx.commit().await.map_err(other("committing the event"))?;
        Ok(event_pk)
    }

    async fn get_person(&self, id: &PersonId) -> StoreResult<Option<PersonRecord>> {
        self.load_person(id, false).await
    }

    async fn get_published_person(&self, id: &PersonId) -> StoreResult<Option<PersonRecord>> {
        self.load_person(id, true).await
    }

    async fn is_synthetic(&self) -> StoreResult<bool> {
        let row = sqlx::query("SELECT value FROM registry_meta WHERE key = 'synthetic'")
            .fetch_optional(&self.pool)
            .await
            .map_err(other("reading the registry flags"))?;
        Ok(match row {
            Some(r) => {
                r.try_get::<i64, _>("value")
                    .map_err(other("reading the registry flags"))?
                    != 0
            }
            None => false,
        })
    }

    async fn mark_synthetic(&self) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "INSERT INTO registry_meta (key, value) VALUES ('synthetic', 1) \
             ON CONFLICT (key) DO UPDATE SET value = 1",
        )
        .execute(&mut *tx)
        .await
        .map_err(other("marking the registry synthetic"))?;
        bump_version(&mut tx).await?;
        tx.commit()
            .await
            .map_err(other("marking the registry synthetic"))?;
        Ok(())
    }

    async fn search_persons(&self, query: &PersonQuery) -> StoreResult<PersonPage> {
        let terms = query
            .q
            .as_deref()
            .map(libres_core::text::terms)
            .unwrap_or_default();
        let per_page = query.per_page.clamp(1, 500);
        let page = query.page.max(1);
        let index = self.search_index().await?;
        let (total, keys) = index.search(&IndexQuery {
            terms: &terms,
            country: query.country,
            status: query.status,
            include_unpublished: query.include_unpublished,
            offset: u64::from(page - 1) * u64::from(per_page),
            limit: u64::from(per_page),
        });
        let mut items = Vec::with_capacity(keys.len());
        if !keys.is_empty() {
            // The index may be a moment older than the rows: never let a
            // person unpublished in between slip into a public list.
            let sql = format!(
                "SELECT {} FROM persons WHERE pk = ANY($1){}",
                rows::SUMMARY_COLUMNS,
                if query.include_unpublished {
                    ""
                } else {
                    " AND publish"
                }
            );
            let rows = sqlx::query(&sql)
                .bind(&keys)
                .fetch_all(&self.pool)
                .await
                .map_err(other("searching persons"))?;
            let mut by_key = HashMap::with_capacity(rows.len());
            for r in &rows {
                let pk: i64 = r.try_get("pk").map_err(other("searching persons"))?;
                by_key.insert(pk, rows::summary(r)?);
            }
            items.extend(keys.iter().filter_map(|k| by_key.remove(k)));
        }
        Ok(PersonPage {
            items,
            total,
            page,
            per_page,
        })
    }

    async fn status_counts(&self) -> StoreResult<Vec<StatusCount>> {
        let rows = sqlx::query(
            "SELECT country, status, count(*) AS n FROM persons \
             GROUP BY country, status ORDER BY country, status",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(other("counting persons"))?;
        rows.iter()
            .map(|r| {
                let country: String = r.try_get("country").map_err(other("counting persons"))?;
                let status: String = r.try_get("status").map_err(other("counting persons"))?;
                let n: i64 = r.try_get("n").map_err(other("counting persons"))?;
                Ok(StatusCount {
                    country: decode::country(&country)?,
                    status: decode::status(&status)?,
                    count: u64::try_from(n).unwrap_or(0),
                })
            })
            .collect()
    }

    async fn export_persons(&self, public_only: bool) -> StoreResult<Vec<(Person, Status)>> {
        let filter = if public_only { "WHERE publish" } else { "" };
        let rows = sqlx::query(&format!(
            "SELECT status, {} FROM persons {filter} ORDER BY id",
            rows::PERSON_COLUMNS
        ))
        .fetch_all(&self.pool)
        .await
        .map_err(other("exporting persons"))?;
        rows.iter()
            .map(|r| {
                let p = rows::person(r)?;
                let status: String = r.try_get("status").map_err(other("exporting persons"))?;
                let p = if public_only { p.redacted() } else { p };
                Ok((p, decode::status(&status)?))
            })
            .collect()
    }

    async fn person_history(&self, id: &PersonId) -> StoreResult<Vec<HistoryEntry>> {
        let rows = sqlx::query(
            "SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS at, \
             actor, action, changes::text AS changes \
             FROM person_history WHERE person_id = $1 ORDER BY pk",
        )
        .bind(id.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(other("reading history"))?;
        rows.iter()
            .map(|r| {
                let changes: String = r.try_get("changes").map_err(other("reading history"))?;
                Ok(HistoryEntry {
                    at: r.try_get("at").map_err(other("reading history"))?,
                    actor: r.try_get("actor").map_err(other("reading history"))?,
                    action: r.try_get("action").map_err(other("reading history"))?,
                    changes: serde_json::from_str(&changes)
                        .map_err(|e| StoreError::Other(format!("corrupt history entry: {e}")))?,
                })
            })
            .collect()
    }

    async fn dump(&self) -> StoreResult<RegistryDump> {
        let mut tx = self.snapshot().await?;
        let dump = copy::dump(&mut tx).await?;
        tx.commit().await.map_err(other("reading the registry"))?;
        Ok(dump)
    }

    async fn restore(&self, dump: &RegistryDump, replace: bool) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        copy::restore(&mut tx, dump, replace).await?;
        tx.commit()
            .await
            .map_err(other("committing the restored registry"))?;
        self.refresh_statistics(dump.persons.len()).await;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{TestDatabase, TEST_URL_ENV};
    use libres_core::Detention;
    use libres_store::conformance::person;
    use sqlx::PgConnection;

    /// A fresh database, or `None` (saying so) when no server is configured.
    async fn fresh_db(test: &str) -> Option<TestDatabase> {
        let db = TestDatabase::from_env().await.unwrap();
        if db.is_none() {
            eprintln!("SKIPPED {test}: {TEST_URL_ENV} is not set (see the README, \"Test it\")");
        }
        db
    }

    fn message(r: StoreResult<PgStore>) -> String {
        match r {
            Ok(_) => panic!("the store opened"),
            Err(e) => e.to_string(),
        }
    }

    #[tokio::test]
    async fn instances_starting_together_all_migrate_safely() {
        let Some(db) = fresh_db("instances_starting_together_all_migrate_safely").await else {
            return;
        };
        let (a, b, c, d) = tokio::join!(
            PgStore::open(db.url()),
            PgStore::open(db.url()),
            PgStore::open(db.url()),
            PgStore::open(db.url())
        );
        let stores = [a.unwrap(), b.unwrap(), c.unwrap(), d.unwrap()];
        let applied: i64 = sqlx::query("SELECT count(*) AS n FROM schema_migrations")
            .fetch_one(&stores[0].pool)
            .await
            .unwrap()
            .get("n");
        assert_eq!(
            applied, SCHEMA_VERSION,
            "every migration applied exactly once"
        );
        for s in &stores {
            assert!(s.is_empty().await.unwrap());
            s.close().await;
        }
    }

    #[tokio::test]
    async fn a_database_of_a_newer_schema_is_refused() {
        let Some(db) = fresh_db("a_database_of_a_newer_schema_is_refused").await else {
            return;
        };
        let store = PgStore::open(db.url()).await.unwrap();
        sqlx::query("INSERT INTO schema_migrations (version, name) VALUES ($1, 'from the future')")
            .bind(SCHEMA_VERSION + 1)
            .execute(&store.pool)
            .await
            .unwrap();
        store.close().await;
        let msg = message(PgStore::open(db.url()).await);
        assert!(
            msg.contains(&format!(
                "schema version {}, newer than this libres understands ({SCHEMA_VERSION})",
                SCHEMA_VERSION + 1
            )),
            "{msg}"
        );
        assert!(msg.contains("upgrade libres"), "{msg}");
    }

    #[tokio::test]
    async fn an_unreachable_server_is_a_clear_error_without_the_password() {
        let msg = message(PgStore::open("postgres://libres:s3cr3t-pw@127.0.0.1:1/registry").await);
        assert!(
            msg.starts_with("cannot reach PostgreSQL at 127.0.0.1:1:"),
            "{msg}"
        );
        assert!(!msg.contains("s3cr3t-pw"), "{msg}");
    }

    #[tokio::test]
    async fn a_malformed_url_is_refused_without_repeating_it() {
        let msg = message(PgStore::open("postgres://libres:s3cr3t-pw@[::1/registry").await);
        assert!(msg.starts_with("invalid PostgreSQL URL"), "{msg}");
        assert!(!msg.contains("s3cr3t-pw"), "{msg}");
    }

    #[tokio::test]
    async fn a_missing_database_or_user_is_named_without_the_password() {
        if std::env::var(TEST_URL_ENV).map_or(true, |u| u.trim().is_empty()) {
            eprintln!("SKIPPED a_missing_database_or_user_is_named_without_the_password: {TEST_URL_ENV} is not set");
            return;
        }
        let admin = std::env::var(TEST_URL_ENV).unwrap();
        let mut url = url::Url::parse(admin.trim()).unwrap();
        url.set_path("/libres_no_such_database");
        let msg = message(PgStore::open(url.as_str()).await);
        assert!(
            msg.contains("the database `libres_no_such_database` does not exist on PostgreSQL at"),
            "{msg}"
        );
        url.set_username("libres_no_such_user").unwrap();
        url.set_password(Some("s3cr3t-pw")).unwrap();
        let msg = message(PgStore::open(url.as_str()).await);
        assert!(msg.contains("`libres_no_such_user`"), "{msg}");
        assert!(!msg.contains("s3cr3t-pw"), "{msg}");
    }

    #[tokio::test]
    async fn an_edit_behind_the_stores_back_still_moves_the_version() {
        let Some(db) = fresh_db("an_edit_behind_the_stores_back_still_moves_the_version").await
        else {
            return;
        };
        let store = PgStore::open(db.url()).await.unwrap();
        let p = person("CU-1", "Ana", "López", None, "CU");
        store.upsert_persons(&[p], &[], "cli").await.unwrap();
        let public = store.search_persons(&PersonQuery::default()).await.unwrap();
        assert_eq!(public.total, 1);
        let before = store.version().await.unwrap();
        // As an operator would in psql: its own connection, autocommit.
        let mut psql = PgConnection::connect(db.url()).await.unwrap();
        sqlx::query("UPDATE persons SET publish = false WHERE id = 'CU-1'")
            .execute(&mut psql)
            .await
            .unwrap();
        assert_ne!(store.version().await.unwrap(), before);
        let public = store.search_persons(&PersonQuery::default()).await.unwrap();
        assert_eq!(public.total, 0, "the name index must see the hand edit");
        store.close().await;
    }

    #[tokio::test]
    async fn a_bulk_write_moves_the_version_once() {
        let Some(db) = fresh_db("a_bulk_write_moves_the_version_once").await else {
            return;
        };
        let store = PgStore::open(db.url()).await.unwrap();
        let before = store.version().await.unwrap();
        let ps: Vec<Person> = (0..2500)
            .map(|i| person(&format!("CU-{i}"), "Ana", "López", None, "CU"))
            .collect();
        store.upsert_persons(&ps, &[], "cli").await.unwrap();
        assert_eq!(
            store.version().await.unwrap(),
            before + 1,
            "several statements and triggers, one transaction: one bump"
        );
        store.close().await;
    }

    #[tokio::test]
    async fn search_sees_writes_made_by_another_instance() {
        let Some(db) = fresh_db("search_sees_writes_made_by_another_instance").await else {
            return;
        };
        let server = PgStore::open(db.url()).await.unwrap();
        let importer = PgStore::open(db.url()).await.unwrap();
        let query = PersonQuery {
            q: Some("nunez".into()),
            ..PersonQuery::default()
        };
        assert_eq!(server.search_persons(&query).await.unwrap().total, 0);
        let p = person("CU-1", "Ana", "Núñez", None, "CU");
        importer.upsert_persons(&[p], &[], "cli").await.unwrap();
        let found = server.search_persons(&query).await.unwrap();
        assert_eq!(found.total, 1);
        assert_eq!(found.items[0].id.as_str(), "CU-1");
        server.close().await;
        importer.close().await;
    }

    #[tokio::test]
    async fn a_bulk_import_leaves_fresh_planner_statistics() {
        let Some(db) = fresh_db("a_bulk_import_leaves_fresh_planner_statistics").await else {
            return;
        };
        let store = PgStore::open(db.url()).await.unwrap();
        let persons: Vec<_> = (0..3000)
            .map(|i| person(&format!("CU-{i}"), "Ana", "López", None, "CU"))
            .collect();
        store.upsert_persons(&persons, &[], "cli").await.unwrap();
        let analysed: bool = sqlx::query(
            "SELECT last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL AS done \
             FROM pg_stat_user_tables WHERE relname = 'persons'",
        )
        .fetch_one(&store.pool)
        .await
        .unwrap()
        .get("done");
        assert!(
            analysed,
            "the planner must not meet 3,000 new rows without statistics"
        );
        store.close().await;
    }

    #[tokio::test]
    async fn two_instances_importing_at_once_both_succeed() {
        let Some(db) = fresh_db("two_instances_importing_at_once_both_succeed").await else {
            return;
        };
        let a = PgStore::open(db.url()).await.unwrap();
        let b = PgStore::open(db.url()).await.unwrap();
        let batch = |prefix: &str| -> Vec<Person> {
            (0..2000)
                .map(|i| person(&format!("{prefix}-{i}"), "Ana", "López", None, "CU"))
                .collect()
        };
        let (pa, pb) = (batch("A"), batch("B"));
        let cases: Vec<CaseBundle> = batch("C")
            .into_iter()
            .map(|person| CaseBundle {
                person,
                detentions: vec![],
                events: vec![],
                sources: vec![],
            })
            .collect();
        let (ra, rb, rc) = tokio::join!(
            a.upsert_persons(&pa, &[], "cli"),
            b.upsert_persons(&pb, &[], "cli"),
            b.insert_cases(&cases, "system")
        );
        assert_eq!(ra.unwrap().created, 2000);
        assert_eq!(rb.unwrap().created, 2000);
        rc.unwrap();
        assert_eq!(a.export_persons(false).await.unwrap().len(), 6000);
        a.close().await;
        b.close().await;
    }

    #[tokio::test]
    async fn text_sorts_byte_by_byte_whatever_the_locale() {
        let Some(db) = fresh_db("text_sorts_byte_by_byte_whatever_the_locale").await else {
            return;
        };
        let store = PgStore::open(db.url()).await.unwrap();
        // Test databases sort by ICU `en-US` (see `testing`), where these
        // orders differ from byte order.
        let collation: String = sqlx::query(
            "SELECT string_agg(x, ' ' ORDER BY x) AS s FROM unnest(ARRAY['CU-2', 'cu-1', 'CU-10']) x",
        )
        .fetch_one(&store.pool)
        .await
        .unwrap()
        .get("s");
        if collation == "CU-10 CU-2 cu-1" {
            eprintln!("note: this server sorts byte by byte anyway; the test proves less");
        }
        // Same calendar bounds, different text: the tie is broken as
        // `EdtfDate::chrono_cmp` breaks it.
        let dates = ["2024~", "2024", "2024?", "2024%"];
        let mut events: Vec<Event> = dates
            .iter()
            .map(|d| {
                Event::new(
                    libres_core::EventKind::Transfer,
                    libres_core::EdtfDate::parse(d).unwrap(),
                )
            })
            .collect();
        let case = |id: &str, events: Vec<Event>| CaseBundle {
            person: person(id, "Ana", "López", None, "CU"),
            detentions: vec![],
            events,
            sources: vec![],
        };
        store
            .insert_cases(
                &[
                    case("CU-2", events.clone()),
                    case("cu-1", vec![]),
                    case("CU-10", vec![]),
                ],
                "system",
            )
            .await
            .unwrap();
        let got = store
            .get_person(&PersonId::parse("CU-2").unwrap())
            .await
            .unwrap()
            .unwrap();
        events.sort_by(|a, b| a.date.chrono_cmp(&b.date));
        let expected: Vec<&str> = events.iter().map(|e| e.date.as_str()).collect();
        let got: Vec<&str> = got.events.iter().map(|e| e.date.as_str()).collect();
        assert_eq!(got, expected);
        let ids: Vec<String> = store
            .export_persons(false)
            .await
            .unwrap()
            .into_iter()
            .map(|(p, _)| p.id.to_string())
            .collect();
        assert_eq!(ids, ["CU-10", "CU-2", "cu-1"]);
        store.close().await;
    }

    #[tokio::test]
    async fn awkward_text_survives_every_write_path() {
        let Some(db) = fresh_db("awkward_text_survives_every_write_path").await else {
            return;
        };
        let store = PgStore::open(db.url()).await.unwrap();
        let awkward: Vec<String> = [
            "El \"Poeta\"",
            r"back\slash",
            "{braces}",
            "a, b",
            "NULL",
            "",
            "  spaced  ",
            "ñandú — 詩人 ‏مرحبا",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut p = person("CU-1", "Ana \"Nita\"", "O'Farrill", Some(r"Díaz\"), "CU");
        p.aliases = awkward.clone();
        p.summary = Some("{\"not\": \"json\"} \\ '; DROP TABLE persons; --".into());
        let detention = Detention {
            id: 0,
            arrest_date: None,
            arrest_place: Some("\"Villa\" {Marista}".into()),
            authority: None,
            charges: awkward.clone(),
            court: None,
            sentence: None,
            sentence_months: Some(u32::MAX),
            prison: None,
        };
        let case = CaseBundle {
            person: p.clone(),
            detentions: vec![detention.clone()],
            events: vec![],
            sources: vec![],
        };
        store.insert_cases(&[case], "system").await.unwrap();
        let got = store.get_person(&p.id).await.unwrap().unwrap();
        assert_eq!(got.person, p);
        assert_eq!(got.detentions[0].charges, awkward);
        assert_eq!(got.detentions[0].sentence_months, Some(u32::MAX));
        assert_eq!(got.detentions[0].arrest_place, detention.arrest_place);
        // The update path (bulk UPDATE) keeps aliases unless told otherwise;
        // change the names instead, and read everything back again.
        let mut q = got.person.clone();
        q.given_names = "María \"la de\" {Regla}".into();
        q.surname2 = Some(r"\N".into());
        let s = store
            .upsert_persons(&[q.clone()], &[], "cli")
            .await
            .unwrap();
        assert_eq!(s.updated, 1);
        assert_eq!(store.get_person(&p.id).await.unwrap().unwrap().person, q);
        let h = store.person_history(&p.id).await.unwrap();
        assert_eq!(h[1].changes.len(), 2, "{:?}", h[1].changes);
        store.close().await;
    }

    /// The password of the roles these tests create and drop again.
    const ROLE_PASSWORD: &str = "libres-test-role";

    #[tokio::test]
    async fn a_user_who_may_not_create_tables_is_told_why() {
        let Some(db) = fresh_db("a_user_who_may_not_create_tables_is_told_why").await else {
            return;
        };
        // PostgreSQL 15 lets only a database's owner create tables in its
        // `public` schema: a fresh role that owns nothing cannot migrate.
        let role = format!("{}_guest", db.name());
        let mut admin = PgConnection::connect(db.url()).await.unwrap();
        // A password, so that the role can log in on a server that asks
        // for one (a stock install) as well as on one that trusts.
        sqlx::query(&format!(
            "CREATE ROLE \"{role}\" LOGIN PASSWORD '{ROLE_PASSWORD}'"
        ))
        .execute(&mut admin)
        .await
        .unwrap();
        let mut url = url::Url::parse(db.url()).unwrap();
        url.set_username(&role).unwrap();
        url.set_password(Some(ROLE_PASSWORD)).unwrap();
        let opened = PgStore::open(url.as_str()).await;
        sqlx::query(&format!("DROP ROLE \"{role}\""))
            .execute(&mut admin)
            .await
            .unwrap();
        let msg = message(opened);
        if msg.contains("pg_hba") || msg.contains("does not let user") {
            eprintln!("SKIPPED a_user_who_may_not_create_tables_is_told_why: the server refuses the new role ({msg})");
            return;
        }
        assert!(msg.contains("permission denied"), "{msg}");
        assert!(msg.contains("must own the database"), "{msg}");
    }

    #[tokio::test]
    async fn an_instance_that_may_only_touch_rows_opens_a_migrated_database() {
        let Some(db) =
            fresh_db("an_instance_that_may_only_touch_rows_opens_a_migrated_database").await
        else {
            return;
        };
        PgStore::open(db.url()).await.unwrap().close().await;
        // The schema's owner migrated; the serving instances get a role
        // that may read and write rows but create nothing.
        let role = format!("{}_app", db.name());
        let mut admin = PgConnection::connect(db.url()).await.unwrap();
        for sql in [
            format!("CREATE ROLE \"{role}\" LOGIN PASSWORD '{ROLE_PASSWORD}'"),
            // Membership lets a test user that is not a superuser (only
            // CREATEROLE) `DROP OWNED BY` the role afterwards.
            format!("GRANT \"{role}\" TO CURRENT_USER"),
            format!(
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \"{role}\""
            ),
            format!("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO \"{role}\""),
        ] {
            sqlx::query(&sql).execute(&mut admin).await.unwrap();
        }
        let mut url = url::Url::parse(db.url()).unwrap();
        url.set_username(&role).unwrap();
        url.set_password(Some(ROLE_PASSWORD)).unwrap();
        let result = async {
            let store = PgStore::open(url.as_str()).await?;
            let p = person("CU-1", "Ana", "López", None, "CU");
            let v = store.version().await?;
            store
                .insert_cases(
                    &[CaseBundle {
                        person: p.clone(),
                        detentions: vec![],
                        events: vec![],
                        sources: vec![],
                    }],
                    "system",
                )
                .await?;
            let moved = store.version().await? != v;
            let found = store.get_person(&p.id).await?.is_some();
            store.close().await;
            Ok::<_, StoreError>((moved, found))
        }
        .await;
        for sql in [
            format!("DROP OWNED BY \"{role}\""),
            format!("DROP ROLE \"{role}\""),
        ] {
            sqlx::query(&sql).execute(&mut admin).await.unwrap();
        }
        assert_eq!(result.unwrap(), (true, true));
    }
}
