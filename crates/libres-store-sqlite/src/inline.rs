//! The hot reads of public pages, run on the caller's thread.
//!
//! sqlx runs every SQLite statement on a worker thread of its connection
//! and sends the rows back over a channel: each statement costs two thread
//! wake-ups, which on a small server took more time than the statement
//! itself (a third of a case page's CPU was context switches). The reads a
//! public page makes (the registry version, a case, the list rows of a
//! search, the synthetic mark) are single statements of tens of
//! microseconds, so they run here, inline, on a small pool of read-only
//! connections opened with `rusqlite` on the same SQLite library. Writes,
//! transactions and long reads (dumps, exports, the name index, the
//! registry-wide counts) stay on sqlx's pools.
//!
//! Each statement is its own read transaction, so it sees every write
//! committed before it began, by this process or any other: nothing here
//! is cached but compiled statements.
//!
//! A read must never hold a thread of the async runtime for long. In WAL
//! mode a reader waits for nobody except in rare moments (a process
//! recovering the WAL, a connection in exclusive locking mode); then,
//! after [`INLINE_BUSY`], the read gives up here with [`Inline::Busy`] and
//! the caller runs it again on sqlx's pool, which waits as long as
//! every other connection (the busy timeout of `lib.rs`).

use libres_store::{StoreError, StoreResult};
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

/// How long an inline read waits for a lock before handing the read to
/// sqlx's pool.
pub(crate) const INLINE_BUSY: Duration = Duration::from_millis(50);

/// Compiled statements kept per connection: the few statements of the
/// public pages, in their variants.
const STATEMENTS_PER_CONNECTION: usize = 16;

/// What an inline read gave.
pub(crate) enum Inline<T> {
    /// The answer, or the error of a failed read.
    Done(StoreResult<T>),
    /// The database was locked past [`INLINE_BUSY`]: run the read on
    /// sqlx's pool instead.
    Busy,
}

/// Read-only connections to one database file, opened on demand and kept
/// for the next read.
pub(crate) struct InlineReaders {
    path: PathBuf,
    /// The `PRAGMA` settings of every connection of the store, as
    /// `(name, value)`.
    pragmas: Vec<(&'static str, String)>,
    idle: Mutex<Vec<Connection>>,
    /// Connections kept idle at most; a burst beyond opens more and closes
    /// them after.
    max_idle: usize,
}

impl InlineReaders {
    /// Readers of the database at `path`, each set up with `pragmas`.
    pub fn new(path: PathBuf, pragmas: Vec<(&'static str, String)>, max_idle: usize) -> Self {
        InlineReaders {
            path,
            pragmas,
            idle: Mutex::new(Vec::new()),
            max_idle,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Connection>> {
        self.idle.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn open(&self) -> rusqlite::Result<Connection> {
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(INLINE_BUSY)?;
        for (name, value) in &self.pragmas {
            conn.pragma_update(None, name, value)?;
        }
        conn.set_prepared_statement_cache_capacity(STATEMENTS_PER_CONNECTION);
        Ok(conn)
    }

    /// Runs `read` on an idle connection (or a new one), then keeps the
    /// connection for the next read. `context` names the step in errors.
    pub fn run<T>(
        &self,
        context: &'static str,
        read: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Inline<T> {
        let taken = self.lock().pop();
        let conn = match taken {
            Some(conn) => conn,
            None => match self.open() {
                Ok(conn) => conn,
                Err(e) => return classify(context, Err(e)),
            },
        };
        let result = read(&conn);
        // A connection left inside a transaction (a read that failed
        // midway and could not roll back) would serve an old snapshot to
        // every later read: it is closed instead of kept.
        if conn.is_autocommit() {
            let mut idle = self.lock();
            if idle.len() < self.max_idle {
                idle.push(conn);
            }
        }
        classify(context, result)
    }

    /// The connections kept idle now.
    #[cfg(test)]
    pub fn idle(&self) -> usize {
        self.lock().len()
    }

    /// Runs `check` on one connection of the pool, as every read would
    /// get it.
    #[cfg(test)]
    pub fn with_connection<T>(&self, check: impl FnOnce(&Connection) -> T) -> T {
        let conn = match self.lock().pop() {
            Some(conn) => conn,
            None => self.open().unwrap(),
        };
        let out = check(&conn);
        self.lock().push(conn);
        out
    }
}

fn classify<T>(context: &'static str, result: rusqlite::Result<T>) -> Inline<T> {
    match result {
        Ok(v) => Inline::Done(Ok(v)),
        Err(e)
            if matches!(
                e.sqlite_error_code(),
                Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
            ) =>
        {
            tracing::debug!(error = %e, "{context}: database locked, reading through the pool");
            Inline::Busy
        }
        Err(e) => Inline::Done(Err(StoreError::database(context, e))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn version(readers: &InlineReaders) -> Inline<i64> {
        readers.run("reading", |c| {
            c.prepare_cached("SELECT value FROM meta")?
                .query_row([], |r| r.get(0))
        })
    }

    #[test]
    fn a_locked_database_is_handed_back_soon_and_read_once_free() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let setup = Connection::open(&path).unwrap();
        setup
            .execute_batch(
                "PRAGMA journal_mode = WAL; CREATE TABLE meta (value INTEGER); \
                 INSERT INTO meta VALUES (7);",
            )
            .unwrap();
        drop(setup);
        let readers = InlineReaders::new(path.clone(), vec![("cache_size", "-100".into())], 2);
        assert!(matches!(version(&readers), Inline::Done(Ok(7))));
        // A connection in exclusive locking mode keeps every reader out
        // until it closes (the kept reader is closed first, to let it in).
        drop(readers.lock().pop());
        let locker = Connection::open(&path).unwrap();
        locker
            .execute_batch(
                "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; \
                 UPDATE meta SET value = 8; COMMIT;",
            )
            .unwrap();
        let started = Instant::now();
        assert!(matches!(version(&readers), Inline::Busy));
        let waited = started.elapsed();
        // Soon: far below the 10 s that sqlx's connections wait (the
        // margin is for a loaded test machine).
        assert!(
            waited >= INLINE_BUSY && waited < Duration::from_secs(2),
            "waited {waited:?}"
        );
        drop(locker);
        assert!(matches!(version(&readers), Inline::Done(Ok(8))));
        assert_eq!(readers.idle(), 1, "one connection, kept for the next read");
    }

    #[test]
    fn only_a_lock_hands_a_read_back_and_other_errors_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let readers = InlineReaders::new(dir.path().join("missing.db"), Vec::new(), 2);
        let Inline::Done(Err(e)) = version(&readers) else {
            panic!("a database that cannot be opened is an error");
        };
        assert!(e.to_string().starts_with("reading: "), "{e}");
    }
}
