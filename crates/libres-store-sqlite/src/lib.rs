//! The embedded SQLite backend of the Libres store.
//!
//! What belongs here: SQL for SQLite, the connection settings, and this
//! backend's migrations (embedded in the binary and run on open). What does
//! not: workflows and domain rules. What a write does and in which order,
//! status derivation, validation and text folding live in `libres-store`
//! ([`Registry`]) and `libres-core`, so every backend gives the same
//! answers; this crate implements the primitives of
//! [`libres_store::backend`].
//!
//! Durability is explicit: every connection runs in WAL mode with
//! `synchronous = FULL`, so a committed import survives a power cut. Writes go
//! through a single-connection pool, which serialises them inside the process
//! and keeps readers (any number) from ever blocking on a writer.
//!
//! Reads go two ways: the single statements of public pages run inline on
//! the caller's thread (`inline.rs`), everything else through sqlx's pool
//! of read-only connections.

mod inline;
mod json;
mod migrate;
mod read;
mod staff;
mod write;

use async_trait::async_trait;
use inline::{Inline, InlineReaders};
use libres_store::backend::Backend;
use libres_store::rows::{self, PersonRow, SummaryRow};
use libres_store::{Registry, StoreError, StoreResult};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

pub use migrate::SCHEMA_VERSION;
pub use read::SqliteRead;
pub use staff::SqliteReader;
pub use write::SqliteWrite;

/// A Libres registry in one SQLite file.
pub type SqliteStore = Registry<Sqlite>;

/// The SQLite backend: a pool of read-only connections, the inline
/// readers of the hot pages, and one writer.
#[derive(Clone)]
pub struct Sqlite {
    reader: SqlitePool,
    writer: SqlitePool,
    inline: Arc<InlineReaders>,
}

/// Set on every connection, sqlx's and the inline readers' alike (with WAL
/// and the busy timeout, set apart). `synchronous` and `foreign_keys` mean
/// nothing to a reader, but one rule for every connection is simpler to
/// check than two.
const PRAGMAS: [(&str, &str); 4] = [
    ("synchronous", "FULL"),
    ("foreign_keys", "ON"),
    // 8 MiB of page cache per connection: the hot data (the name index,
    // the page cache) lives above the store, and a cheap server should not
    // spend hundreds of MiB on SQLite pages.
    ("cache_size", "-8000"),
    ("temp_store", "memory"),
];

/// Bytes of the database file the inline readers map into memory, and
/// then read without a system call or a copy per page. A case page
/// touches a dozen pages spread over the file; read through `pread` into
/// SQLite's small page cache they took a sixth of a page's CPU. The
/// mapped pages are the kernel's page cache, which holds them either way
/// (and may drop them): they show in the process's resident size
/// (`RssFile`) but are no memory of its own. Beyond this size a
/// database is read as before. (SQLite documents the other side: an I/O
/// error on a mapped page is a signal, not an error code.)
const INLINE_MMAP_BYTES: u64 = 1 << 30;

/// How long a connection waits for a lock held by another one.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The error of a failed step.
pub(crate) fn db(context: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |e| StoreError::database(context, e)
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

/// Runs a statement that returns one JSON text.
macro_rules! json_text {
    ($pool:expr, $sql:expr $(, $bind:expr)*) => {
        sqlx::query_scalar::<_, String>($sql)
            $(.bind($bind))*
            .fetch_one($pool)
    };
}
pub(crate) use json_text;

/// Opens (creating if needed) the registry at `url` (`sqlite:PATH`) and
/// brings its schema up to date.
pub async fn open(url: &str) -> StoreResult<SqliteStore> {
    Ok(Registry::new(Sqlite::open(url).await?))
}

impl Sqlite {
    /// Opens (creating if needed) the database at `url` (`sqlite:PATH`)
    /// and brings its schema up to date.
    pub async fn open(url: &str) -> StoreResult<Sqlite> {
        let parsed = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Other(format!("invalid SQLite URL `{url}`: {e}")))?;
        let path = parsed.get_filename().to_path_buf();
        let is_new = !path.exists();
        let options = PRAGMAS.iter().fold(
            parsed
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .busy_timeout(BUSY_TIMEOUT),
            |o, (name, value)| o.pragma(*name, *value),
        );
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
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let reader = SqlitePoolOptions::new()
            .max_connections((cores * 2).max(2) as u32)
            .connect_with(options.read_only(true))
            .await
            .map_err(|e| StoreError::Other(format!("cannot open SQLite database `{url}`: {e}")))?;
        // An inline read never waits across an `.await`, so a connection
        // per runtime thread is all that is ever in use at once.
        let inline = InlineReaders::new(
            path,
            PRAGMAS
                .iter()
                .map(|(name, value)| (*name, (*value).to_owned()))
                .chain([("mmap_size", INLINE_MMAP_BYTES.to_string())])
                .collect(),
            cores.max(2),
        );
        Ok(Sqlite {
            reader,
            writer,
            inline: Arc::new(inline),
        })
    }
}

#[async_trait]
impl Backend for Sqlite {
    type Write = SqliteWrite;
    type Read = SqliteRead;

    fn name(&self) -> &'static str {
        "sqlite"
    }

    /// Closes both pools, waiting for connections to finish. Checkpoints
    /// the WAL so the file can be copied on its own afterwards.
    async fn close(&self) {
        let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.writer)
            .await;
        self.reader.close().await;
        self.writer.close().await;
    }

    /// A write transaction that holds SQLite's write lock from its first
    /// statement (`BEGIN IMMEDIATE`). A deferred transaction that reads
    /// and then writes fails at once when another process wrote in
    /// between; an immediate one waits its turn (up to the busy timeout).
    async fn write(&self) -> StoreResult<SqliteWrite> {
        let tx = self
            .writer
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(db("starting a write transaction"))?;
        Ok(SqliteWrite::new(tx))
    }

    /// A read transaction: in WAL mode it sees one snapshot from its
    /// first statement to its end.
    async fn snapshot(&self) -> StoreResult<SqliteRead> {
        let tx = self
            .reader
            .begin()
            .await
            .map_err(db("starting a read transaction"))?;
        Ok(SqliteRead::new(tx))
    }

    async fn version(&self) -> StoreResult<i64> {
        const WHAT: &str = "reading the registry version";
        let inline = self.inline.run(WHAT, |c| {
            c.prepare_cached(read::VERSION)?.query_row([], |r| r.get(0))
        });
        if let Inline::Done(r) = inline {
            return r;
        }
        sqlx::query_scalar(read::VERSION)
            .fetch_one(&self.reader)
            .await
            .map_err(db(WHAT))
    }

    async fn is_empty(&self) -> StoreResult<bool> {
        sqlx::query_scalar("SELECT NOT EXISTS (SELECT 1 FROM persons)")
            .fetch_one(&self.reader)
            .await
            .map_err(db("checking whether the registry is empty"))
    }

    async fn is_synthetic(&self) -> StoreResult<bool> {
        const WHAT: &str = "reading the registry flags";
        let inline = self.inline.run(WHAT, |c| {
            c.prepare_cached(read::SYNTHETIC)?
                .query_row([], |r| r.get(0))
        });
        if let Inline::Done(r) = inline {
            return r;
        }
        sqlx::query_scalar(read::SYNTHETIC)
            .fetch_one(&self.reader)
            .await
            .map_err(db(WHAT))
    }

    /// The case in one statement, on sqlx's pool: what [`Backend::case`]
    /// falls back on when the inline read finds the database locked.
    async fn case_json(&self, id: &str, published_only: bool) -> StoreResult<Option<String>> {
        sqlx::query_scalar(read::SQL.case(published_only))
            .bind(id)
            .fetch_optional(&self.reader)
            .await
            .map_err(db("reading a person"))
    }

    /// The case row by row, inline: five cheap statements (each table by
    /// key, in index order) cost less than half of the one statement that
    /// builds the case as JSON, sorts every nested list again and parses
    /// the nested arrays twice.
    async fn case(&self, id: &str, published_only: bool) -> StoreResult<Option<PersonRow>> {
        let inline = self.inline.run("reading a person", |c| {
            read::case_rows(c, id, published_only)
        });
        match inline {
            Inline::Done(found) => match found? {
                Some((mut person, aliases)) => {
                    person.aliases = rows::json_list(&aliases)?;
                    Ok(Some(person))
                }
                None => Ok(None),
            },
            Inline::Busy => match self.case_json(id, published_only).await? {
                Some(json) => rows::case_row(&json).map(Some),
                None => Ok(None),
            },
        }
    }

    /// The list rows in one statement, on sqlx's pool: what
    /// [`Backend::summaries`] falls back on when the inline read finds the
    /// database locked.
    async fn summaries_json(&self, keys: &[i64], published_only: bool) -> StoreResult<String> {
        let keys = serde_json::to_string(keys)
            .map_err(|e| StoreError::Other(format!("encoding keys: {e}")))?;
        json_text!(&self.reader, read::SQL.summaries(published_only), keys)
            .await
            .map_err(db("searching persons"))
    }

    /// The list rows by key, inline, one cheap statement each.
    async fn summaries(&self, keys: &[i64], published_only: bool) -> StoreResult<Vec<SummaryRow>> {
        let inline = self.inline.run("searching persons", |c| {
            read::summary_rows(c, keys, published_only)
        });
        match inline {
            Inline::Done(found) => found,
            Inline::Busy => rows::summary_rows(&self.summaries_json(keys, published_only).await?),
        }
    }

    async fn status_counts_json(&self, published_only: bool) -> StoreResult<String> {
        json_text!(&self.reader, read::COUNTS[usize::from(published_only)])
            .await
            .map_err(db("counting persons"))
    }

    async fn history_json(&self, person_id: &str) -> StoreResult<String> {
        json_text!(&self.reader, &read::SQL.history, person_id)
            .await
            .map_err(db("reading history"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use libres_store::conformance::person;
    use libres_store::{PersonQuery, PersonReads, PersonWrites, RegistryMeta};
    use sqlx::Row;

    #[tokio::test]
    async fn every_connection_uses_wal_and_synchronous_full() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}", dir.path().join("t.db").display());
        let store = open(&url).await.unwrap();
        // Hold several reader connections at once so that each is a distinct
        // connection, and check the writer too.
        let mut held = Vec::new();
        for _ in 0..3 {
            held.push(store.backend().reader.acquire().await.unwrap());
        }
        held.push(store.backend().writer.acquire().await.unwrap());
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
        // The inline readers too, and they cannot write.
        store.backend().inline.with_connection(|c| {
            let pragma = |name: &str| -> String {
                c.query_row(&format!("PRAGMA {name}"), [], |r| {
                    r.get::<_, rusqlite::types::Value>(0)
                })
                .map(|v| format!("{v:?}"))
                .unwrap()
            };
            assert_eq!(pragma("synchronous"), "Integer(2)");
            assert_eq!(pragma("journal_mode"), "Text(\"wal\")");
            assert_eq!(pragma("foreign_keys"), "Integer(1)");
            assert_eq!(pragma("cache_size"), "Integer(-8000)");
            assert_eq!(pragma("temp_store"), "Integer(2)");
            assert_eq!(
                pragma("mmap_size"),
                format!("Integer({INLINE_MMAP_BYTES})"),
                "the inline readers map the file"
            );
            let write = c.execute("DELETE FROM registry_meta", []).unwrap_err();
            assert_eq!(
                write.sqlite_error_code(),
                Some(rusqlite::ErrorCode::ReadOnly),
                "{write}"
            );
        });
    }

    async fn temp_store() -> (SqliteStore, tempfile::TempDir, String) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}", dir.path().join("t.db").display());
        (open(&url).await.unwrap(), dir, url)
    }

    #[tokio::test]
    async fn an_edit_behind_the_stores_back_still_moves_the_version() {
        let (store, _dir, _) = temp_store().await;
        let p = person("CU-1", "Ana", "López", None, "CU");
        store.upsert_persons(&[p], &[], "cli").await.unwrap();
        let before = store.version().await.unwrap();
        sqlx::query("UPDATE persons SET publish = 0 WHERE id = 'CU-1'")
            .execute(&store.backend().writer)
            .await
            .unwrap();
        assert_ne!(store.version().await.unwrap(), before);
        let public = store.search_persons(&PersonQuery::default()).await.unwrap();
        assert_eq!(public.total, 0, "the name index must see the hand edit");
    }

    #[tokio::test]
    async fn an_unpublished_id_costs_a_public_case_lookup_exactly_what_an_unknown_id_does() {
        let (store, dir, _) = temp_store().await;
        libres_store::conformance::fill_registry(&store).await;
        let c = rusqlite::Connection::open(dir.path().join("t.db")).unwrap();
        // The steps of SQLite's virtual machine: the work of a statement,
        // with no clock in it.
        let steps = |sql: &str, id: &str| {
            let mut stmt = c.prepare(sql).unwrap();
            stmt.reset_status(rusqlite::StatementStatus::VmStep);
            let found = stmt.query([id]).unwrap().next().unwrap().is_some();
            (found, stmt.get_status(rusqlite::StatementStatus::VmStep))
        };
        for sql in [read::CASE_PERSON[1], read::SQL.case(true)] {
            let (found, unpublished) = steps(sql, "NI-1");
            assert!(!found, "NI-1 is unpublished");
            let (_, unknown) = steps(sql, "CU-404");
            let (found, published) = steps(sql, "CU-3");
            assert!(found);
            assert_eq!(unpublished, unknown, "{sql}");
            assert!(published > unknown);
            let plan: String = c
                .query_row(&format!("EXPLAIN QUERY PLAN {sql}"), ["NI-1"], |r| r.get(3))
                .unwrap();
            assert!(plan.contains("persons_published_id"), "{plan}");
        }
    }

    #[tokio::test]
    async fn a_case_read_row_by_row_equals_the_case_built_as_json() {
        let (store, _dir, _) = temp_store().await;
        libres_store::conformance::fill_registry(&store).await;
        let backend = store.backend();
        let mut read = 0;
        for id in ["CU-3", "NI-1", "VE-2", "CU-10", "CU-404"] {
            for published_only in [false, true] {
                let by_rows = backend.case(id, published_only).await.unwrap();
                let json = backend.case_json(id, published_only).await.unwrap();
                let by_json = json.map(|j| rows::case_row(&j).unwrap());
                assert_eq!(
                    format!("{by_rows:?}"),
                    format!("{by_json:?}"),
                    "{id}, published only: {published_only}"
                );
                read += usize::from(by_rows.is_some());
            }
        }
        assert_eq!(read, 7, "NI-1 is unpublished, CU-404 unknown");
        // The richest case has everything a case can have.
        let full = backend.case("CU-3", true).await.unwrap().unwrap();
        assert_eq!(full.detentions.len(), 2);
        assert_eq!(full.events.len(), 2);
        assert_eq!(full.sources.len(), 2);
        assert_eq!(full.events[0].source_pks.as_ref().map(Vec::len), Some(2));
        let many = backend.case("NI-1", false).await.unwrap().unwrap();
        assert_eq!(many.aliases.len(), 3);
        assert_eq!(many.events.len(), 4);
    }

    #[tokio::test]
    async fn list_rows_read_by_key_equal_the_list_rows_built_as_json() {
        let (store, _dir, _) = temp_store().await;
        libres_store::conformance::fill_registry(&store).await;
        let backend = store.backend();
        let all: Vec<i64> = (0..20).collect();
        for published_only in [false, true] {
            let by_key = backend.summaries(&all, published_only).await.unwrap();
            let json = backend.summaries_json(&all, published_only).await.unwrap();
            let mut by_json = rows::summary_rows(&json).unwrap();
            by_json.sort_by_key(|r| r.pk);
            assert_eq!(format!("{by_key:?}"), format!("{by_json:?}"));
            let expected = if published_only { 3 } else { 4 };
            assert_eq!(by_key.len(), expected, "published only: {published_only}");
        }
        // In the order asked, each once, unknown keys left out.
        let some = backend.summaries(&[4, 1, 99, 3], false).await.unwrap();
        let keys: Vec<i64> = some.iter().map(|r| r.pk).collect();
        assert_eq!(keys, [4, 1, 3]);
    }

    #[tokio::test]
    async fn the_hot_reads_run_inline_and_see_another_instances_writes_at_once() {
        let (server, _dir, url) = temp_store().await;
        let importer = open(&url).await.unwrap();
        let ana = person("CU-1", "Ana", "López", None, "CU");
        let v0 = server.version().await.unwrap();
        assert!(server.get_person(&ana.id).await.unwrap().is_none());
        assert!(
            server.backend().inline.idle() > 0,
            "the reads ran on an inline connection, which was kept"
        );
        importer
            .upsert_persons(std::slice::from_ref(&ana), &[], "cli")
            .await
            .unwrap();
        let v1 = server.version().await.unwrap();
        assert_ne!(v1, v0, "the version read inline moved at once");
        let got = server.get_published_person(&ana.id).await.unwrap().unwrap();
        assert_eq!(got.person, ana);
        let page = server
            .search_persons(&PersonQuery::default())
            .await
            .unwrap();
        assert_eq!(page.items.len(), 1);
        // Unpublished by the other instance: gone from the next public
        // read, the case and the list rows alike.
        let mut hidden = ana.clone();
        hidden.publish = false;
        importer
            .upsert_persons(&[hidden], &[], "cli")
            .await
            .unwrap();
        assert!(server
            .get_published_person(&ana.id)
            .await
            .unwrap()
            .is_none());
        assert!(server.get_person(&ana.id).await.unwrap().is_some());
        let page = server
            .search_persons(&PersonQuery::default())
            .await
            .unwrap();
        assert!(page.items.is_empty());
        importer.mark_synthetic().await.unwrap();
        assert!(server.is_synthetic().await.unwrap());
        assert!(server.version().await.unwrap() > v1);
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
}
