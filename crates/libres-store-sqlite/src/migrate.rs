//! Embedded schema migrations for the SQLite backend.
//!
//! Each migration runs in its own transaction and is recorded in
//! `schema_migrations`. A database written by a newer Libres (a version this
//! binary does not know) is refused rather than guessed at.

use libres_store::backend::{pending, Migration};
use libres_store::{StoreError, StoreResult};
use sqlx::{Row, SqlitePool};

/// The migrations, in order. Never edit one that has shipped; add a new one.
const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "registry",
        sql: include_str!("../migrations/0001_registry.sql"),
    },
    Migration {
        version: 2,
        name: "published_ids",
        sql: include_str!("../migrations/0002_published_ids.sql"),
    },
    Migration {
        version: 3,
        name: "staff",
        sql: include_str!("../migrations/0003_staff.sql"),
    },
    Migration {
        version: 4,
        name: "announcements",
        sql: include_str!("../migrations/0004_announcements.sql"),
    },
    Migration {
        version: 5,
        name: "statements",
        sql: include_str!("../migrations/0005_statements.sql"),
    },
];

/// The schema version this binary writes: that of its last migration.
pub const SCHEMA_VERSION: i64 = 5;

fn err(context: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |e| StoreError::Other(format!("{context}: {e}"))
}

/// Brings the schema up to [`SCHEMA_VERSION`].
pub(crate) async fn run(pool: &SqlitePool) -> StoreResult<()> {
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (\
         version INTEGER PRIMARY KEY, name TEXT NOT NULL, \
         applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))",
    )
    .execute(pool)
    .await
    .map_err(err("preparing migrations"))?;
    let current: i64 = sqlx::query("SELECT coalesce(max(version), 0) AS v FROM schema_migrations")
        .fetch_one(pool)
        .await
        .map_err(err("reading the schema version"))?
        .try_get("v")
        .map_err(err("reading the schema version"))?;
    for &Migration { version, name, sql } in pending(MIGRATIONS, current)? {
        let mut tx = pool.begin().await.map_err(err("starting a migration"))?;
        sqlx::raw_sql(sql)
            .execute(&mut *tx)
            .await
            .map_err(|e| StoreError::Other(format!("migration {version} ({name}) failed: {e}")))?;
        sqlx::query("INSERT INTO schema_migrations (version, name) VALUES (?1, ?2)")
            .bind(version)
            .bind(name)
            .execute(&mut *tx)
            .await
            .map_err(err("recording a migration"))?;
        tx.commit().await.map_err(err("committing a migration"))?;
        tracing::info!(version, name, "applied migration");
    }
    Ok(())
}
