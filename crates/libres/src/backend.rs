//! Choosing the storage backend from the `--db` URL.
//!
//! This is the one place that knows which backends exist. Everything after
//! it works on `Arc<dyn Store>`.

use anyhow::{bail, Context, Result};
use libres_store::Store;
use std::path::PathBuf;
use std::sync::Arc;

/// A parsed `--db` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbUrl {
    /// `sqlite:PATH`: an SQLite file.
    Sqlite {
        /// The URL as given, for the backend.
        url: String,
        /// The database file.
        path: PathBuf,
    },
    /// `postgres://…` or `postgresql://…`.
    Postgres(String),
}

impl DbUrl {
    /// Parses a URL, explaining what is accepted when it is not.
    pub fn parse(url: &str) -> Result<Self> {
        let url = url.trim();
        if let Some(rest) = url.strip_prefix("sqlite:") {
            // `sqlite://path` is a common spelling of the same thing.
            let path = rest.strip_prefix("//").unwrap_or(rest);
            let path = path.split('?').next().unwrap_or(path);
            if path.is_empty() {
                bail!("`{url}` names no database file; write sqlite:PATH, e.g. sqlite:libres.db");
            }
            return Ok(DbUrl::Sqlite {
                url: url.to_owned(),
                path: PathBuf::from(path),
            });
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DbUrl::Postgres(url.to_owned()));
        }
        bail!(
            "`{}` is not a database URL; use sqlite:PATH (e.g. sqlite:libres.db) or postgres://…",
            redact(url)
        )
    }
}

/// Whether opening may create a new, empty database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Open {
    /// Create the database if missing (import, seeding, serving).
    CreateIfMissing,
    /// The database must already exist (export: an empty file created by
    /// a typo in the path would export nothing, silently).
    MustExist,
}

/// Checks that `url` names a backend this build can open, without opening
/// it: commands that first read a large file fail fast on a bad `--db`.
pub fn check(url: &str) -> Result<()> {
    match DbUrl::parse(url)? {
        DbUrl::Sqlite { .. } | DbUrl::Postgres(_) => Ok(()),
    }
}

/// Opens the store named by `url`.
pub async fn open(url: &str, mode: Open) -> Result<Arc<dyn Store>> {
    match DbUrl::parse(url)? {
        DbUrl::Sqlite { url, path } => {
            if mode == Open::MustExist && !path.exists() {
                bail!(
                    "there is no database at {} (from --db {url})",
                    path.display()
                );
            }
            let store = open_sqlite(&url)
                .await
                .with_context(|| format!("could not open the database {url}"))?;
            Ok(store)
        }
        // A PostgreSQL database is never created by Libres: it must exist
        // (created by its administrator), whatever `mode` says.
        DbUrl::Postgres(url) => {
            let store = libres_store_postgres::open(&url)
                .await
                .with_context(|| format!("could not open the database {}", redact(&url)))?;
            Ok(Arc::new(store))
        }
    }
}

/// Whether two URLs name the same database: the same SQLite file (however
/// the path is spelled, links resolved) or the same PostgreSQL server and
/// database name.
pub fn same_database(a: &DbUrl, b: &DbUrl) -> Result<bool> {
    Ok(match (a, b) {
        (DbUrl::Sqlite { path: a, .. }, DbUrl::Sqlite { path: b, .. }) => {
            match (resolve(a), resolve(b)) {
                (Some(a), Some(b)) => a == b,
                _ => a == b,
            }
        }
        (DbUrl::Postgres(a), DbUrl::Postgres(b)) => libres_store_postgres::same_database(a, b)
            .context("could not read the PostgreSQL URLs")?,
        _ => false,
    })
}

/// The absolute path of `path` with links resolved, for a file that may
/// not exist yet (its directory must).
fn resolve(path: &std::path::Path) -> Option<PathBuf> {
    if let Ok(p) = std::fs::canonicalize(path) {
        return Some(p);
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    Some(std::fs::canonicalize(dir).ok()?.join(path.file_name()?))
}

/// The URL with any password replaced by `***`, for messages. Only a
/// PostgreSQL URL can hold one (in its user part, or as a `password`
/// parameter); its backend knows where. Anything else with `://` or `@`
/// may be a mistyped one, and is treated as one.
pub fn redact(url: &str) -> String {
    let url = url.trim();
    if url.starts_with("sqlite:") || !(url.contains("://") || url.contains('@')) {
        return url.to_owned();
    }
    libres_store_postgres::redact(url)
}

async fn open_sqlite(url: &str) -> Result<Arc<dyn Store>> {
    let store = libres_store_sqlite::open(url).await?;
    Ok(Arc::new(store))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn sqlite_urls_name_their_file() {
        let u = DbUrl::parse("sqlite:/tmp/x.db").unwrap();
        assert_eq!(
            u,
            DbUrl::Sqlite {
                url: "sqlite:/tmp/x.db".into(),
                path: "/tmp/x.db".into()
            }
        );
        assert!(
            matches!(DbUrl::parse("sqlite://data/x.db?mode=rwc").unwrap(), DbUrl::Sqlite { path, .. } if path == Path::new("data/x.db"))
        );
    }

    #[test]
    fn passwords_never_appear_in_messages() {
        assert_eq!(
            redact("postgres://libres:s3cr3t@db.example:5432/libres"),
            "postgres://libres:***@db.example:5432/libres"
        );
        assert_eq!(redact("postgres://libres@h/db"), "postgres://libres@h/db");
        assert_eq!(redact("sqlite:x.db"), "sqlite:x.db");
        for url in [
            "postgresql://libres@h/db?sslmode=require&password=s3cr3t",
            "postgres://libres:s3cr3t@[::1/db",
            "postgres://libres:a/s3cr3t@h/db",
            "postgress://libres:s3cr3t@h/db",
        ] {
            let shown = redact(url);
            assert!(!shown.contains("s3cr3t"), "{url} → {shown}");
        }
    }

    #[test]
    fn other_urls_are_explained() {
        assert!(matches!(
            DbUrl::parse("postgres://u@h/db").unwrap(),
            DbUrl::Postgres(_)
        ));
        let e = DbUrl::parse("libres.db").unwrap_err().to_string();
        assert!(e.contains("sqlite:PATH"), "{e}");
        assert!(e.contains("`libres.db`"), "{e}");
        let e = DbUrl::parse("postgress://libres:s3cr3t@h/db")
            .unwrap_err()
            .to_string();
        assert!(e.contains("`postgress://libres:***@h/…`"), "{e}");
        assert!(DbUrl::parse("sqlite:").is_err());
    }
}
