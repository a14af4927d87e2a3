//! The store conformance suite, run against PostgreSQL.
//!
//! Each case gets a database of its own on the server named by
//! `LIBRES_TEST_POSTGRES_URL`, dropped afterwards. Without that variable
//! every case says that it was skipped.
#![allow(clippy::expect_used)]

use libres_store::Store;
use libres_store_postgres::testing::TestDatabase;
use libres_store_postgres::PgStore;
use std::sync::Arc;

/// Closes the store's pool, then drops its database.
struct Guard {
    store: PgStore,
    _db: TestDatabase,
}

impl Drop for Guard {
    fn drop(&mut self) {
        // Marks the pool closed at once; the database (dropped next, as the
        // second field) closes whatever connection is still open.
        drop(self.store.backend().close_pool());
    }
}

#[async_trait::async_trait(?Send)]
impl libres_store::conformance::Instances for Guard {
    async fn another(&self) -> Arc<dyn Store> {
        Arc::new(
            libres_store_postgres::open(self._db.url())
                .await
                .expect("open store"),
        )
    }

    async fn execute(&self, sql: &str) {
        use sqlx::Connection as _;
        let mut c = sqlx::PgConnection::connect(self._db.url())
            .await
            .expect("connect");
        sqlx::raw_sql(sql).execute(&mut c).await.expect(sql);
        c.close().await.expect("close");
    }
}

/// A fresh store on a database of its own, or `None` when no PostgreSQL
/// server is configured.
async fn fresh() -> Option<(Arc<dyn Store>, Guard)> {
    let db = TestDatabase::from_env()
        .await
        .expect("create a test database")?;
    let store = libres_store_postgres::open(db.url())
        .await
        .expect("open store");
    Some((Arc::new(store.clone()), Guard { store, _db: db }))
}

mod postgres {
    libres_store::conformance_tests!(super::fresh);
}
