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

mod json;
mod migrate;
mod read;
mod write;

use async_trait::async_trait;
use libres_store::backend::Backend;
use libres_store::{Registry, StoreError, StoreResult};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

pub use migrate::SCHEMA_VERSION;
pub use read::SqliteRead;
pub use write::SqliteWrite;

/// A Libres registry in one SQLite file.
pub type SqliteStore = Registry<Sqlite>;

/// The SQLite backend: a pool of read-only connections and one writer.
#[derive(Clone)]
pub struct Sqlite {
    reader: SqlitePool,
    writer: SqlitePool,
}

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
        let options = parsed
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // 8 MiB of page cache per connection: the hot data (the name
            // index, the page cache) lives above the store, and a cheap
            // server should not spend hundreds of MiB on SQLite pages.
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
        Ok(Sqlite { reader, writer })
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
        sqlx::query_scalar(read::VERSION)
            .fetch_one(&self.reader)
            .await
            .map_err(db("reading the registry version"))
    }

    async fn is_empty(&self) -> StoreResult<bool> {
        sqlx::query_scalar("SELECT NOT EXISTS (SELECT 1 FROM persons)")
            .fetch_one(&self.reader)
            .await
            .map_err(db("checking whether the registry is empty"))
    }

    async fn is_synthetic(&self) -> StoreResult<bool> {
        sqlx::query_scalar(read::SYNTHETIC)
            .fetch_one(&self.reader)
            .await
            .map_err(db("reading the registry flags"))
    }

    async fn case_json(&self, id: &str, published_only: bool) -> StoreResult<Option<String>> {
        sqlx::query_scalar(read::SQL.case(published_only))
            .bind(id)
            .fetch_optional(&self.reader)
            .await
            .map_err(db("reading a person"))
    }

    async fn summaries_json(&self, keys: &[i64], published_only: bool) -> StoreResult<String> {
        let keys = serde_json::to_string(keys)
            .map_err(|e| StoreError::Other(format!("encoding keys: {e}")))?;
        json_text!(&self.reader, read::SQL.summaries(published_only), keys)
            .await
            .map_err(db("searching persons"))
    }

    async fn status_counts_json(&self) -> StoreResult<String> {
        json_text!(&self.reader, read::COUNTS)
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
