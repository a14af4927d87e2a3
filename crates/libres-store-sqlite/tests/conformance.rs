//! The store conformance suite, run against SQLite.
#![allow(clippy::expect_used)]

use libres_store::Store;
use std::sync::Arc;

/// The temporary directory of a test database, removed when dropped.
struct Guard {
    _dir: tempfile::TempDir,
    url: String,
}

#[async_trait::async_trait(?Send)]
impl libres_store::conformance::Instances for Guard {
    async fn another(&self) -> Arc<dyn Store> {
        Arc::new(
            libres_store_sqlite::open(&self.url)
                .await
                .expect("open store"),
        )
    }

    async fn execute(&self, sql: &str) {
        use sqlx::Connection as _;
        let mut c = sqlx::SqliteConnection::connect(&self.url)
            .await
            .expect("connect");
        sqlx::raw_sql(sql).execute(&mut c).await.expect(sql);
        c.close().await.expect("close");
    }
}

/// A fresh database in its own temporary directory.
async fn fresh() -> Option<(Arc<dyn Store>, Guard)> {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite:{}", dir.path().join("registry.db").display());
    let store = libres_store_sqlite::open(&url).await.expect("open store");
    Some((Arc::new(store), Guard { _dir: dir, url }))
}

mod sqlite {
    libres_store::conformance_tests!(super::fresh);
}
