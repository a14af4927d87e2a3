//! The workflows of every store, written once over a [`Backend`]: what
//! each write does, in which order, what it checks first and what it
//! records in the history; how a read is assembled and cached. A backend
//! crate provides the SQL ([`crate::backend`]), or for the statements
//! every dialect shares only the way to run them ([`crate::sql`]);
//! [`Registry`] over it is a complete [`crate::Store`].
//!
//! One file per capability: `meta.rs`, `persons.rs`, `snapshot.rs`,
//! `staff.rs`, and `audit.rs`, whose chain every other write appends to
//! inside its own transaction. A new
//! capability (announcements, say) adds its file here, its trait beside
//! [`crate::PersonReads`], its primitives in [`crate::backend`] and its
//! cases in the conformance suite.

mod announcements;
mod audit;
mod edits;
mod meta;
mod persons;
mod releases;
mod snapshot;
mod staff;
mod statements;

use crate::backend::Backend;
use crate::search_index::SearchIndex;
use crate::{StoreError, StoreResult};
use std::sync::{Arc, RwLock};

/// Persons per write batch of an import (and per statement group of the
/// backends' bulk inserts).
pub const WRITE_BATCH: usize = 5000;

/// Persons, sources or history entries per chunk of a dump or an export:
/// what one statement reads and one part carries.
pub const DUMP_CHUNK: usize = 1000;

/// A registry: the workflows over a backend. Cheap to clone (the backend
/// holds pools; the name index is shared).
#[derive(Clone)]
pub struct Registry<B> {
    backend: B,
    index: Arc<IndexCache>,
}

impl<B: Backend> Registry<B> {
    /// The registry over an open backend.
    pub fn new(backend: B) -> Self {
        Registry {
            backend,
            index: Arc::default(),
        }
    }

    /// The backend, for what only it knows (its pools, in its own tests).
    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// Closes the backend's connections.
    pub async fn close(&self) {
        self.backend.close().await;
    }

    /// The name index for the registry as it is now, rebuilt first if any
    /// writer (this process or another) changed it since it was built.
    async fn search_index(&self) -> StoreResult<Arc<SearchIndex>> {
        let version = self.backend.version().await?;
        if let Some(idx) = self.index.get(version) {
            return Ok(idx);
        }
        let _rebuilding = self.index.rebuilding.lock().await;
        let version = self.backend.version().await?;
        if let Some(idx) = self.index.get(version) {
            return Ok(idx);
        }
        // The version and the rows from one snapshot, so the index is
        // tagged with exactly the version of the data it holds.
        let mut tx = self.backend.snapshot().await?;
        let (version, _) = crate::backend::ReadTx::meta(&mut tx).await?;
        let mut rows = Vec::new();
        let mut after = i64::MIN;
        loop {
            let json =
                crate::backend::ReadTx::search_rows_json(&mut tx, after, INDEX_CHUNK).await?;
            let chunk = crate::rows::search_rows(&json)?;
            let Some(last) = chunk.last() else { break };
            after = last.key;
            let n = chunk.len();
            rows.extend(chunk);
            if n < INDEX_CHUNK {
                break;
            }
        }
        drop(tx);
        let started = std::time::Instant::now();
        let index =
            tokio::task::spawn_blocking(move || SearchIndex::build(rows).at_version(version))
                .await
                .map_err(|e| StoreError::Other(format!("building the search index: {e}")))?;
        tracing::debug!(persons = index.len(), elapsed = ?started.elapsed(), "search index built");
        let index = Arc::new(index);
        self.index.set(version, Arc::clone(&index));
        Ok(index)
    }
}

/// Search rows per statement while the name index is rebuilt.
const INDEX_CHUNK: usize = 20_000;

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
