//! Embedded schema migrations for the PostgreSQL backend.
//!
//! Several stateless `libres serve` instances may start at the same moment
//! against one database. All pending migrations therefore run in a single
//! transaction that first takes a transaction-scoped advisory lock: the
//! first instance migrates, the others wait on the lock, then find nothing
//! left to do. PostgreSQL's DDL is transactional, so a migration that fails
//! halfway leaves no half-made table behind.
//!
//! Every migration is recorded in `schema_migrations`. A database written by
//! a newer Libres (a version this binary does not know) is refused rather
//! than guessed at.

use libres_store::backend::{pending, Migration};
use libres_store::{StoreError, StoreResult};
use sqlx::{Connection, PgConnection, Row};

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

/// The advisory lock key that serialises migrations: the ASCII bytes of
/// `libres` read as one number. Any constant works as long as nothing else
/// in the database uses it.
const MIGRATION_LOCK: i64 = 0x6c69_6272_6573;

fn err(context: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |e| StoreError::Other(format!("{context}: {e}{}", privilege_hint(&e)))
}

/// A hint for the usual cause of a failed migration on PostgreSQL 15 and
/// later, where only a database's owner may create tables in its `public`
/// schema by default.
fn privilege_hint(e: &sqlx::Error) -> &'static str {
    match e {
        // insufficient_privilege
        sqlx::Error::Database(db) if db.code().as_deref() == Some("42501") => {
            "; the user libres connects as must own the database \
             (`ALTER DATABASE … OWNER TO …`) or hold CREATE on its schema; \
             or start Libres once as the owner, then give this role \
             `libres postgres-grants` (README, \"Least privilege\")"
        }
        _ => "",
    }
}

/// Brings the schema up to [`SCHEMA_VERSION`], or refuses a database whose
/// schema is newer.
pub(crate) async fn run(conn: &mut PgConnection) -> StoreResult<()> {
    let mut tx = conn.begin().await.map_err(err("starting the migrations"))?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(MIGRATION_LOCK)
        .execute(&mut *tx)
        .await
        .map_err(err("waiting for the migration lock"))?;
    // Look before creating: `CREATE TABLE IF NOT EXISTS` needs the right
    // to create tables even when the table exists, and an instance that
    // only reads and writes rows (the schema set up by its owner) must
    // still be able to open an up-to-date database.
    let prepared: bool =
        sqlx::query("SELECT to_regclass('schema_migrations') IS NOT NULL AS prepared")
            .fetch_one(&mut *tx)
            .await
            .map_err(err("preparing migrations"))?
            .try_get("prepared")
            .map_err(err("preparing migrations"))?;
    if !prepared {
        sqlx::query(
            "CREATE TABLE schema_migrations (\
             version BIGINT PRIMARY KEY, name TEXT NOT NULL, \
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
        )
        .execute(&mut *tx)
        .await
        .map_err(err("preparing migrations"))?;
    }
    let current: i64 =
        sqlx::query("SELECT coalesce(max(version), 0)::BIGINT AS v FROM schema_migrations")
            .fetch_one(&mut *tx)
            .await
            .map_err(err("reading the schema version"))?
            .try_get("v")
            .map_err(err("reading the schema version"))?;
    let pending = pending(MIGRATIONS, current)?;
    if pending.is_empty() {
        // Up to date. Nothing is written, not even an empty insert: an
        // application role may read `schema_migrations` but not write it
        // (see `grants.rs`), and PostgreSQL checks that right even for
        // an insert of no rows.
        return tx.commit().await.map_err(err("committing the migrations"));
    }
    for m in pending {
        sqlx::raw_sql(m.sql).execute(&mut *tx).await.map_err(|e| {
            StoreError::Other(format!(
                "migration {} ({}) failed: {e}{}",
                m.version,
                m.name,
                privilege_hint(&e)
            ))
        })?;
    }
    // All of them recorded at once, in the same transaction.
    let versions: Vec<i64> = pending.iter().map(|m| m.version).collect();
    let names: Vec<&str> = pending.iter().map(|m| m.name).collect();
    sqlx::query(
        "INSERT INTO schema_migrations (version, name) SELECT * FROM UNNEST($1::bigint[], $2::text[])",
    )
    .bind(versions)
    .bind(names)
    .execute(&mut *tx)
    .await
    .map_err(err("recording the migrations"))?;
    tx.commit()
        .await
        .map_err(err("committing the migrations"))?;
    for m in pending {
        tracing::info!(version = m.version, name = m.name, "applied migration");
    }
    Ok(())
}
