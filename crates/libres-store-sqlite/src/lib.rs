//! The embedded SQLite backend of the Libres [`Store`].
//!
//! What belongs here: SQL for SQLite, the connection settings, and this
//! backend's migrations (embedded in the binary and run on open). What does
//! not: domain rules. Status derivation, validation and text folding come
//! from `libres-core`, so every backend gives the same answers.
//!
//! Durability is explicit: every connection runs in WAL mode with
//! `synchronous = FULL`, so a committed import survives a power cut. Writes go
//! through a single-connection pool, which serialises them inside the process
//! and keeps readers (any number) from ever blocking on a writer.

mod bulk;
mod copy;
mod migrate;
mod rows;

use async_trait::async_trait;
use libres_core::{derive_status, Event, Person, PersonId, Status};
use libres_store::decode;
use libres_store::search_index::{IndexQuery, SearchIndex};
use libres_store::{
    CaseBundle, HistoryEntry, PersonPage, PersonQuery, PersonRecord, RegistryDump, StatusCount,
    Store, StoreError, StoreResult, UpsertSummary,
};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteSynchronous,
};
use sqlx::{QueryBuilder, Row, Sqlite, Transaction};
use std::collections::{HashMap, HashSet};
use std::str::FromStr;
use std::sync::{Arc, RwLock};
use std::time::Duration;

pub use migrate::SCHEMA_VERSION;

/// A Libres registry in one SQLite file.
#[derive(Clone)]
pub struct SqliteStore {
    reader: SqlitePool,
    writer: SqlitePool,
    index: Arc<IndexCache>,
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

fn other(context: &str) -> impl FnOnce(sqlx::Error) -> StoreError + '_ {
    move |e| StoreError::Other(format!("{context}: {e}"))
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `url` (`sqlite:PATH`) and
    /// brings its schema up to date.
    pub async fn open(url: &str) -> StoreResult<SqliteStore> {
        let parsed = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Other(format!("invalid SQLite URL `{url}`: {e}")))?;
        let path = parsed.get_filename().to_path_buf();
        let is_new = !path.exists();
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Other(format!("invalid SQLite URL `{url}`: {e}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // 8 MiB of page cache per connection: the hot data (the name
            // index, the page cache) lives above the store, and a cheap server
            // should not spend hundreds of MiB on SQLite pages.
            .pragma("cache_size", "-8000")
            .pragma("temp_store", "memory");
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .connect_with(options.clone())
            .await
            .map_err(|e| StoreError::Other(format!("cannot open SQLite database `{url}`: {e}")))?;
        if is_new {
            restrict_to_owner(&path)?;
        }
        migrate::run(&writer).await?;
        let readers = std::thread::available_parallelism().map_or(4, |n| n.get() * 2) as u32;
        let reader = SqlitePoolOptions::new()
            .max_connections(readers.max(2))
            .connect_with(options.read_only(true))
            .await
            .map_err(|e| StoreError::Other(format!("cannot open SQLite database `{url}`: {e}")))?;
        Ok(SqliteStore {
            reader,
            writer,
            index: Arc::default(),
        })
    }

    /// A write transaction that holds SQLite's write lock from its first
    /// statement (`BEGIN IMMEDIATE`). A deferred transaction that reads and
    /// then writes fails at once when another process wrote in between;
    /// an immediate one waits its turn (up to the busy timeout) instead.
    async fn write_tx(&self) -> StoreResult<Transaction<'static, Sqlite>> {
        self.writer
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(other("starting a write transaction"))
    }

    /// One person with detentions, timeline and sources, read in one
    /// snapshot. With `published_only`, an unpublished person is filtered
    /// out by the first statement, exactly like an unknown id.
    async fn load_person(
        &self,
        id: &PersonId,
        published_only: bool,
    ) -> StoreResult<Option<PersonRecord>> {
        let mut conn = self.reader.begin().await.map_err(other("connecting"))?;
        let Some(row) = sqlx::query(&format!(
            "SELECT pk, status, {} FROM persons WHERE id = ?1{}",
            rows::PERSON_COLUMNS,
            if published_only {
                " AND publish = 1"
            } else {
                ""
            }
        ))
        .bind(id.as_str())
        .fetch_optional(&mut *conn)
        .await
        .map_err(other("reading a person"))?
        else {
            return Ok(None);
        };
        let person_pk: i64 = row.try_get("pk").map_err(other("reading a person"))?;
        let person = rows::person(&row)?;
        let detentions = sqlx::query(
            "SELECT pk, arrest_date, arrest_place, authority, charges, court, sentence, \
             sentence_months, prison FROM detentions WHERE person_pk = ?1 ORDER BY pk",
        )
        .bind(person_pk)
        .fetch_all(&mut *conn)
        .await
        .map_err(other("reading detentions"))?
        .iter()
        .map(rows::detention)
        .collect::<StoreResult<Vec<_>>>()?;
        let events = load_events(&mut conn, person_pk).await?;
        let sources = sqlx::query(
            "SELECT DISTINCT s.pk, s.url, s.title, s.publisher, s.date, s.kind, s.confidential \
             FROM sources s JOIN event_sources es ON es.source_pk = s.pk \
             JOIN events e ON e.pk = es.event_pk WHERE e.person_pk = ?1 ORDER BY s.pk",
        )
        .bind(person_pk)
        .fetch_all(&mut *conn)
        .await
        .map_err(other("reading sources"))?
        .iter()
        .map(rows::source)
        .collect::<StoreResult<Vec<_>>>()?;
        // The cached status must always equal the derivation; derive again
        // rather than trust the cache on the page that shows the timeline.
        let status = derive_status(&events);
        conn.commit().await.map_err(other("reading a person"))?;
        Ok(Some(PersonRecord {
            person,
            status,
            detentions,
            events,
            sources,
        }))
    }

    /// The name index for the registry as it is now, rebuilt first if any
    /// writer (this process or another) changed persons since it was built.
    async fn search_index(&self) -> StoreResult<Arc<SearchIndex>> {
        let version = registry_version(&self.reader).await?;
        if let Some(idx) = self.index.get(version) {
            return Ok(idx);
        }
        let _rebuilding = self.index.rebuilding.lock().await;
        let version = registry_version(&self.reader).await?;
        if let Some(idx) = self.index.get(version) {
            return Ok(idx);
        }
        // Read the version and the rows in one snapshot, so the index is
        // tagged with exactly the version of the data it holds.
        let mut tx = self
            .reader
            .begin()
            .await
            .map_err(other("reading the registry"))?;
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

    /// Closes both pools, waiting for connections to finish. Checkpoints the
    /// WAL so the file can be copied on its own afterwards.
    pub async fn close(&self) {
        let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.writer)
            .await;
        self.reader.close().await;
        self.writer.close().await;
    }
}

/// Makes a new database file readable by its owner only: it holds
/// relatives' contacts. SQLite gives the `-wal` and `-shm` files the same
/// permissions as the database.
#[cfg(unix)]
fn restrict_to_owner(path: &std::path::Path) -> StoreResult<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(|e| {
        StoreError::Other(format!(
            "cannot restrict the permissions of {}: {e}",
            path.display()
        ))
    })
}

#[cfg(not(unix))]
fn restrict_to_owner(_path: &std::path::Path) -> StoreResult<()> {
    Ok(())
}

/// The counter that every write transaction bumps (see the migration).
async fn registry_version<'e, E>(exec: E) -> StoreResult<i64>
where
    E: sqlx::Executor<'e, Database = Sqlite>,
{
    sqlx::query("SELECT value FROM registry_meta WHERE key = 'version'")
        .fetch_one(exec)
        .await
        .map_err(other("reading the registry version"))?
        .try_get("value")
        .map_err(other("reading the registry version"))
}

/// Marks the registry as changed; called once in every write transaction.
async fn bump_version(tx: &mut Transaction<'_, Sqlite>) -> StoreResult<()> {
    sqlx::query("UPDATE registry_meta SET value = value + 1 WHERE key = 'version'")
        .execute(&mut **tx)
        .await
        .map_err(other("bumping the registry version"))?;
    Ok(())
}

async fn update_person(tx: &mut Transaction<'_, Sqlite>, p: &Person) -> StoreResult<()> {
    let v = rows::PersonColumns::from(p);
    sqlx::query(
        "UPDATE persons SET given_names = ?2, surname1 = ?3, surname2 = ?4, aliases = ?5, sex = ?6, \
         birth_date = ?7, nationalities = ?8, country = ?9, province = ?10, occupation = ?11, \
         summary = ?12, publish = ?13, private_notes = ?14, family_contact = ?15, \
         search_text = ?16, sort_key = ?17, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') \
         WHERE id = ?1",
    )
    .bind(p.id.as_str())
    .bind(&p.given_names)
    .bind(&p.surname1)
    .bind(&p.surname2)
    .bind(&v.aliases)
    .bind(v.sex)
    .bind(&v.birth_date)
    .bind(&v.nationalities)
    .bind(p.country.as_str())
    .bind(&p.province)
    .bind(&p.occupation)
    .bind(&p.summary)
    .bind(p.publish)
    .bind(&p.private_notes)
    .bind(&p.family_contact)
    .bind(p.search_text())
    .bind(p.sort_key())
    .execute(&mut **tx)
    .await
    .map_err(other("updating a person"))?;
    Ok(())
}

async fn insert_event(
    tx: &mut Transaction<'_, Sqlite>,
    person_pk: i64,
    e: &Event,
) -> StoreResult<i64> {
    let conditions = e.condition_slugs();
    let r = sqlx::query(
        "INSERT INTO events (person_pk, kind, date, date_earliest, date_latest, release_kind, \
         conditions, place, description) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )
    .bind(person_pk)
    .bind(e.kind.slug())
    .bind(e.date.as_str())
    .bind(e.date.earliest())
    .bind(e.date.latest())
    .bind(e.release.as_ref().map(|r| r.kind.slug()))
    .bind(conditions)
    .bind(&e.place)
    .bind(&e.description)
    .execute(&mut **tx)
    .await
    .map_err(other("inserting an event"))?;
    Ok(r.last_insert_rowid())
}

async fn link_source(
    tx: &mut Transaction<'_, Sqlite>,
    event_pk: i64,
    source_pk: i64,
) -> StoreResult<()> {
    let res =
        sqlx::query("INSERT OR IGNORE INTO event_sources (event_pk, source_pk) VALUES (?1, ?2)")
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

async fn load_events(conn: &mut SqliteConnection, person_pk: i64) -> StoreResult<Vec<Event>> {
    // One statement, sources folded in: the case page is the hottest read
    // after search, and every statement is a round trip to SQLite's thread.
    sqlx::query(
        "SELECT pk, kind, date, release_kind, conditions, place, description, \
         (SELECT group_concat(source_pk, '|') FROM \
            (SELECT source_pk FROM event_sources WHERE event_pk = events.pk ORDER BY source_pk)) \
           AS source_pks \
         FROM events WHERE person_pk = ?1 ORDER BY date_earliest, date_latest, date, pk",
    )
    .bind(person_pk)
    .fetch_all(&mut *conn)
    .await
    .map_err(other("reading events"))?
    .iter()
    .map(rows::event)
    .collect()
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn version(&self) -> StoreResult<i64> {
        registry_version(&self.reader).await
    }

    async fn is_empty(&self) -> StoreResult<bool> {
        let row = sqlx::query("SELECT NOT EXISTS (SELECT 1 FROM persons) AS empty")
            .fetch_one(&self.reader)
            .await
            .map_err(other("checking whether the registry is empty"))?;
        row.try_get::<bool, _>("empty")
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
        let mut history = Vec::new();
        for p in persons {
            match existing.get(p.id.as_str()) {
                None => {
                    new.push((None, p, Status::Unknown));
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
                        update_person(&mut tx, &merged).await?;
                        history.push((p.id.as_str(), "updated", changes));
                        summary.updated += 1;
                    }
                }
            }
        }
        bulk::insert_persons(&mut tx, &new).await?;
        bulk::insert_history(&mut tx, actor, &history).await?;
        if summary.created + summary.updated > 0 {
            bump_version(&mut tx).await?;
        }
        tx.commit().await.map_err(other("committing the import"))?;
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
        }
        let mut tx = self.write_tx().await?;
        // The transaction holds the write lock from its start (BEGIN
        // IMMEDIATE), so the keys allocated below cannot be taken by
        // another writer.
        bump_version(&mut tx).await?;
        let ids: Vec<&str> = cases.iter().map(|c| c.person.id.as_str()).collect();
        if let Some(id) = bulk::existing_persons(&mut tx, &ids).await?.keys().min() {
            return Err(StoreError::Conflict(format!(
                "a person with id `{id}` already exists"
            )));
        }
        let mut person_pk = bulk::next_pk(&mut tx, "persons").await?;
        let mut source_pk = bulk::next_pk(&mut tx, "sources").await?;
        let mut event_pk = bulk::next_pk(&mut tx, "events").await?;
        let mut persons = Vec::with_capacity(cases.len());
        let mut detentions = Vec::new();
        let mut sources = Vec::new();
        let mut events = Vec::new();
        let mut links = Vec::new();
        let mut history = Vec::with_capacity(cases.len());
        for case in cases {
            persons.push((Some(person_pk), &case.person, derive_status(&case.events)));
            history.push((
                case.person.id.as_str(),
                "created",
                case.person.creation_changes(),
            ));
            detentions.extend(case.detentions.iter().map(|d| (person_pk, d)));
            let first_source = source_pk;
            for s in &case.sources {
                sources.push((source_pk, s));
                source_pk += 1;
            }
            for e in &case.events {
                events.push((event_pk, person_pk, e));
                for &pos in &e.source_ids {
                    if pos < 0 || pos as usize >= case.sources.len() {
                        return Err(StoreError::Other(format!(
                            "case `{}`: an event cites source #{pos}, but the case has {} sources",
                            case.person.id,
                            case.sources.len()
                        )));
                    }
                    links.push((event_pk, first_source + pos));
                }
                event_pk += 1;
            }
            person_pk += 1;
        }
        bulk::insert_persons(&mut tx, &persons).await?;
        bulk::insert_detentions(&mut tx, &detentions).await?;
        bulk::insert_sources(&mut tx, &sources).await?;
        bulk::insert_events(&mut tx, &events).await?;
        bulk::insert_event_sources(&mut tx, &links).await?;
        bulk::insert_history(&mut tx, actor, &history).await?;
        tx.commit().await.map_err(other("committing new cases"))?;
        Ok(())
    }

    async fn add_event(&self, person: &PersonId, event: &Event, actor: &str) -> StoreResult<i64> {
        let mut tx = self.write_tx().await?;
        let person_pk: i64 = sqlx::query("SELECT pk FROM persons WHERE id = ?1")
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
        sqlx::query("UPDATE persons SET status = ?2, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE pk = ?1")
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
            .fetch_optional(&self.reader)
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
        sqlx::query("INSERT INTO registry_meta (key, value) VALUES ('synthetic', 1) ON CONFLICT (key) DO UPDATE SET value = 1")
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
            let mut b = QueryBuilder::<Sqlite>::new(
                "SELECT pk, id, given_names, surname1, surname2, country, province, status, publish \
                 FROM persons WHERE pk IN (",
            );
            let mut list = b.separated(", ");
            for k in &keys {
                list.push_bind(*k);
            }
            b.push(")");
            // The index may be a moment older than the rows: never let a
            // person unpublished in between slip into a public list.
            if !query.include_unpublished {
                b.push(" AND publish = 1");
            }
            let rows = b
                .build()
                .fetch_all(&self.reader)
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
            "SELECT country, status, count(*) AS n FROM persons GROUP BY country, status ORDER BY country, status",
        )
        .fetch_all(&self.reader)
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
        let filter = if public_only { "WHERE publish = 1" } else { "" };
        let rows = sqlx::query(&format!(
            "SELECT status, {} FROM persons {filter} ORDER BY id",
            rows::PERSON_COLUMNS
        ))
        .fetch_all(&self.reader)
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
        let rows = sqlx::query("SELECT at, actor, action, changes FROM person_history WHERE person_id = ?1 ORDER BY pk")
            .bind(id.as_str())
            .fetch_all(&self.reader)
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
        // One read transaction: one snapshot of the file.
        let mut tx = self
            .reader
            .begin()
            .await
            .map_err(other("reading the registry"))?;
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
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_connection_uses_wal_and_synchronous_full() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}", dir.path().join("t.db").display());
        let store = SqliteStore::open(&url).await.unwrap();
        // Hold several reader connections at once so that each is a distinct
        // connection, and check the writer too.
        let mut held = Vec::new();
        for _ in 0..3 {
            held.push(store.reader.acquire().await.unwrap());
        }
        held.push(store.writer.acquire().await.unwrap());
        for conn in &mut held {
            let sync: i64 = sqlx::query("PRAGMA synchronous")
                .fetch_one(&mut **conn)
                .await
                .unwrap()
                .get(0);
            let mode: String = sqlx::query("PRAGMA journal_mode")
                .fetch_one(&mut **conn)
                .await
                .unwrap()
                .get(0);
            let fk: i64 = sqlx::query("PRAGMA foreign_keys")
                .fetch_one(&mut **conn)
                .await
                .unwrap()
                .get(0);
            assert_eq!(sync, 2, "synchronous must be FULL (2)");
            assert_eq!(mode, "wal");
            assert_eq!(fk, 1);
        }
    }

    #[tokio::test]
    async fn search_sees_writes_made_by_another_process() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}", dir.path().join("t.db").display());
        let server = SqliteStore::open(&url).await.unwrap();
        let importer = SqliteStore::open(&url).await.unwrap();
        let query = PersonQuery {
            q: Some("nunez".into()),
            ..PersonQuery::default()
        };
        assert_eq!(server.search_persons(&query).await.unwrap().total, 0);
        let p = libres_store::conformance::person("CU-1", "Ana", "Núñez", None, "CU");
        importer.upsert_persons(&[p], &[], "cli").await.unwrap();
        let found = server.search_persons(&query).await.unwrap();
        assert_eq!(found.total, 1);
        assert_eq!(found.items[0].id.as_str(), "CU-1");
    }

    async fn temp_store() -> (SqliteStore, tempfile::TempDir, String) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}", dir.path().join("t.db").display());
        (SqliteStore::open(&url).await.unwrap(), dir, url)
    }

    #[tokio::test]
    async fn an_edit_behind_the_stores_back_still_moves_the_version() {
        let (store, _dir, _) = temp_store().await;
        let p = libres_store::conformance::person("CU-1", "Ana", "López", None, "CU");
        store.upsert_persons(&[p], &[], "cli").await.unwrap();
        let before = store.version().await.unwrap();
        sqlx::query("UPDATE persons SET publish = 0 WHERE id = 'CU-1'")
            .execute(&store.writer)
            .await
            .unwrap();
        assert_ne!(store.version().await.unwrap(), before);
        let public = store.search_persons(&PersonQuery::default()).await.unwrap();
        assert_eq!(public.total, 0, "the name index must see the hand edit");
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn a_new_database_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let (_store, dir, _) = temp_store().await;
        let mode = std::fs::metadata(dir.path().join("t.db"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[tokio::test]
    async fn two_processes_importing_at_once_both_succeed() {
        let (a, _dir, url) = temp_store().await;
        let b = SqliteStore::open(&url).await.unwrap();
        let batch = |prefix: &str| -> Vec<libres_core::Person> {
            (0..2000)
                .map(|i| {
                    libres_store::conformance::person(
                        &format!("{prefix}-{i}"),
                        "Ana",
                        "López",
                        None,
                        "CU",
                    )
                })
                .collect()
        };
        let (pa, pb) = (batch("A"), batch("B"));
        let (ra, rb) = tokio::join!(
            a.upsert_persons(&pa, &[], "cli"),
            b.upsert_persons(&pb, &[], "cli")
        );
        assert_eq!(ra.unwrap().created, 2000);
        assert_eq!(rb.unwrap().created, 2000);
        assert_eq!(a.export_persons(false).await.unwrap().len(), 4000);
    }
}
