//! Throwaway databases for tests, one per test, dropped afterwards.
//!
//! Not for production use: this is what the conformance suite, this
//! crate's tests and the web tests use to run against PostgreSQL. Tests
//! read the server's address from [`TEST_URL_ENV`]; when it is unset they
//! say that they were skipped rather than fail (CI always sets it).

use crate::{connect, parse_url};
use libres_store::{StoreError, StoreResult};
use sqlx::postgres::PgConnectOptions;
use sqlx::Connection;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The environment variable that holds the URL of a PostgreSQL server for
/// tests, e.g. `postgres://postgres@127.0.0.1:5432/postgres`. Its user must
/// be allowed to create databases; its database is only used to issue
/// `CREATE DATABASE` and `DROP DATABASE`.
pub const TEST_URL_ENV: &str = "LIBRES_TEST_POSTGRES_URL";

/// Distinguishes databases created by one process in the same nanosecond.
static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh, empty database with a unique name, dropped (with every
/// connection to it) when this value is dropped.
#[derive(Debug)]
pub struct TestDatabase {
    admin: PgConnectOptions,
    name: String,
    url: String,
}

impl TestDatabase {
    /// Creates a fresh database on the server of [`TEST_URL_ENV`], or
    /// returns `None` when the variable is unset or empty.
    pub async fn from_env() -> StoreResult<Option<TestDatabase>> {
        match std::env::var(TEST_URL_ENV) {
            Ok(url) if !url.trim().is_empty() => TestDatabase::create(url.trim()).await.map(Some),
            _ => Ok(None),
        }
    }

    /// Creates a fresh database on the server of `admin_url`, named
    /// `libres_test_<pid>_<counter>_<nanos>`.
    pub async fn create(admin_url: &str) -> StoreResult<TestDatabase> {
        let admin = parse_url(admin_url)?;
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name = format!(
            "libres_test_{}_{}_{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let mut url = url::Url::parse(admin_url)
            .map_err(|e| StoreError::Other(format!("invalid PostgreSQL URL: {e}")))?;
        url.set_path(&format!("/{name}"));
        let mut conn = connect(&admin).await?;
        // The name is made of ASCII letters, digits and underscores only.
        // The database sorts text as one in a human locale does (ICU
        // `en-US`: `cu-1` before `CU-10`, punctuation nearly ignored), not
        // byte by byte, so that a query which forgets `COLLATE "C"` fails
        // the conformance suite instead of passing by luck on a server
        // created with the C locale. A server built without ICU (or older
        // than PostgreSQL 15) gets its default locale instead.
        let icu = sqlx::query(&format!(
            "CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C' \
             LOCALE_PROVIDER icu ICU_LOCALE 'en-US'"
        ))
        .execute(&mut conn)
        .await;
        if let Err(icu_error) = icu {
            tracing::warn!(%icu_error, "test database without an ICU locale");
            sqlx::query(&format!("CREATE DATABASE \"{name}\""))
                .execute(&mut conn)
                .await
                .map_err(|e| StoreError::Other(format!("creating test database {name}: {e}")))?;
        }
        let _ = conn.close().await;
        Ok(TestDatabase {
            admin,
            name,
            url: url.into(),
        })
    }

    /// The URL of the new database (with the credentials of the admin URL).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The name of the new database.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for TestDatabase {
    /// Drops the database, closing any connection still open to it. Drop
    /// cannot await, and the test's own runtime may be a single thread that
    /// is blocked right here, so the work runs on a runtime of its own in a
    /// thread of its own.
    fn drop(&mut self) {
        let admin = self.admin.clone();
        let name = self.name.clone();
        let dropped = std::thread::spawn(move || -> Result<(), String> {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            runtime.block_on(async {
                let mut conn = connect(&admin).await.map_err(|e| e.to_string())?;
                sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .execute(&mut conn)
                    .await
                    .map_err(|e| e.to_string())?;
                let _ = conn.close().await;
                Ok(())
            })
        })
        .join();
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("warning: could not drop test database {}: {e}", self.name),
            Err(_) => eprintln!(
                "warning: could not drop test database {}: the dropping thread panicked",
                self.name
            ),
        }
    }
}
