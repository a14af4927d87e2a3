//! The store conformance suite, run against SQLite.
#![allow(clippy::expect_used)]

use libres_store::Store;

use std::sync::Arc;

/// A fresh database in its own temporary directory, removed when the guard
/// drops.
async fn fresh() -> Option<(Arc<dyn Store>, tempfile::TempDir)> {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite:{}", dir.path().join("registry.db").display());
    let store = libres_store_sqlite::open(&url).await.expect("open store");
    Some((Arc::new(store), dir))
}

mod sqlite {
    libres_store::conformance_tests!(super::fresh);
}
