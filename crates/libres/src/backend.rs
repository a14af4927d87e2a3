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
        if let Some(rest) = strip_scheme(url, "sqlite:") {
            // `sqlite://path` is a common spelling of the same thing.
            let path = rest.strip_prefix("//").unwrap_or(rest);
            let path = path.split('?').next().unwrap_or(path);
            if path.is_empty() {
                bail!(
                    "`{}` names no database file; write sqlite:PATH, e.g. sqlite:libres.db",
                    redact(url)
                );
            }
            return Ok(DbUrl::Sqlite {
                url: format!("sqlite:{rest}"),
                path: PathBuf::from(path),
            });
        }
        // Schemes are case-insensitive (RFC 3986): `POSTGRES://` is one.
        if is_postgres(url) {
            let colon = url.find(':').unwrap_or(0);
            let scheme = url[..colon].to_ascii_lowercase();
            return Ok(DbUrl::Postgres(format!("{scheme}{}", &url[colon..])));
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
                    "there is no database at {} (from --db {})",
                    path.display(),
                    redact(&url)
                );
            }
            let store = open_sqlite(&url)
                .await
                .with_context(|| format!("could not open the database {}", redact(&url)))?;
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

/// The URL with every credential hidden, for messages, whatever the URL
/// looks like: a well-formed PostgreSQL URL keeps all but its secrets
/// (its backend knows where they hide); an SQLite URL keeps its path; any
/// other text that could be a mistyped URL (`postgress://`, `mysql://`,
/// `postgres:/`, `user:pass@host`) is shown up to its host, with the user
/// part hidden past the user name; and a `password=` (or `pass=`, `pwd=`,
/// `secret=`, …) anywhere keeps its key only.
pub fn redact(url: &str) -> String {
    let url = url.trim();
    let shown = if let Some(rest) = strip_scheme(url, "sqlite:") {
        format!("sqlite:{rest}")
    } else if is_postgres(url) {
        libres_store_postgres::redact(url)
    } else if url.contains([':', '@']) {
        redact_unknown(url)
    } else {
        url.to_owned()
    };
    hide_secret_parameters(&shown)
}

/// Whether `url` starts with `scheme` (ASCII case ignored), and what follows.
fn strip_scheme<'a>(url: &'a str, scheme: &str) -> Option<&'a str> {
    let head = url.get(..scheme.len())?;
    head.eq_ignore_ascii_case(scheme)
        .then(|| &url[scheme.len()..])
}

/// `postgres://` or `postgresql://`, in any case.
fn is_postgres(url: &str) -> bool {
    strip_scheme(url, "postgres://").is_some() || strip_scheme(url, "postgresql://").is_some()
}

/// [`redact`] of text that is neither an SQLite nor a well-formed
/// PostgreSQL URL. Where its user part ends is unclear (a password may
/// hold `/`, `@` or `:`), so everything before the last `@` is hidden
/// but a user name written after `//`, and everything after the host.
fn redact_unknown(url: &str) -> String {
    let scheme_end = url
        .find(':')
        .filter(|&i| {
            i > 0
                && url[..i]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        })
        .map_or(0, |i| i + 1);
    let (scheme, rest) = url.split_at(scheme_end);
    let slashes = rest.len() - rest.trim_start_matches('/').len();
    let (slashes, rest) = rest.split_at(slashes);
    let (user, host_on) = match rest.rfind('@') {
        // Only `scheme://user…@` names a user; in `scheme:/a:b@` or
        // `a:b@` the part before `@` may be all password.
        Some(at) if slashes == "//" => {
            let user_end = rest.find([':', '@']).unwrap_or(at);
            (Some(&rest[..user_end]), &rest[at + 1..])
        }
        Some(at) => (Some(""), &rest[at + 1..]),
        None => (None, rest),
    };
    let host_end = host_on.find(['/', '?', '#']).unwrap_or(host_on.len());
    let host = &host_on[..host_end];
    let elided = if host_end < host_on.len() { "/…" } else { "" };
    match user {
        Some("") => format!("{scheme}{slashes}***@{host}{elided}"),
        Some(user) => format!("{scheme}{slashes}{user}:***@{host}{elided}"),
        None if scheme.is_empty() => url.to_owned(),
        None => format!("{scheme}{slashes}{host}{elided}"),
    }
}

/// Parameter names whose values are secrets, wherever they appear: URL
/// parameters (`?password=`), libpq's `key=value` strings.
const SECRET_KEYS: [&str; 8] = [
    "password",
    "passwd",
    "pwd",
    "pass",
    "sslpassword",
    "secret",
    "token",
    "sslkey",
];

/// `text` with the value of every `key=value` whose key is a secret
/// ([`SECRET_KEYS`], any case) replaced by `***`.
fn hide_secret_parameters(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(eq) = rest.find('=') {
        let (before, after) = rest.split_at(eq);
        let key_start = before
            .rfind(|c: char| matches!(c, '?' | '&' | ';' | '/' | ',') || c.is_whitespace())
            .map_or(0, |i| {
                i + before[i..].chars().next().map_or(1, char::len_utf8)
            });
        let key = &before[key_start..];
        out.push_str(before);
        out.push('=');
        let value = &after[1..];
        let value_end = value
            .find(|c: char| matches!(c, '&' | ';' | '#') || c.is_whitespace())
            .unwrap_or(value.len());
        if SECRET_KEYS.iter().any(|k| key.eq_ignore_ascii_case(k)) && value_end > 0 {
            out.push_str("***");
        } else {
            out.push_str(&value[..value_end]);
        }
        rest = &value[value_end..];
    }
    out.push_str(rest);
    out
}

/// The secrets `url` may hold, as written and percent-decoded: what
/// stands between the user name and the last `@`, and the values of
/// secret parameters ([`SECRET_KEYS`]). The error printer hides each of
/// them wherever it appears, so that no message, however a library
/// worded it, shows a password.
pub fn secrets(url: &str) -> Vec<String> {
    let url = url.trim();
    let mut found = Vec::new();
    if let Some(at) = url.rfind('@') {
        let before = &url[..at];
        let authority = before.find("://").map_or(0, |i| i + 3);
        let user_part = &before[authority..];
        // Where the user name ends is unclear without `//`: what follows
        // each `:` may be the password.
        for (colon, _) in user_part.match_indices(':') {
            found.push(user_part[colon + 1..].to_owned());
        }
        // Without `//`, the whole part before `@` may be a password.
        found.push(user_part.to_owned());
    }
    for piece in url.split(|c: char| matches!(c, '?' | '&' | ';') || c.is_whitespace()) {
        if let Some((key, value)) = piece.split_once('=') {
            let key = percent_decode(key);
            if SECRET_KEYS.iter().any(|k| key.eq_ignore_ascii_case(k)) {
                found.push(value.to_owned());
            }
        }
    }
    let decoded: Vec<String> = found.iter().map(|s| percent_decode(s)).collect();
    found.extend(decoded);
    found.retain(|s| !s.is_empty());
    found.sort_by_key(|s| std::cmp::Reverse(s.len()));
    found.dedup();
    found
}

/// `s` with `%XX` escapes decoded (and left as they are where they do not
/// form UTF-8).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = |j: usize| bytes.get(j).and_then(|c| (*c as char).to_digit(16));
        match (b, hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

/// `text` with every one of `secrets` replaced by `***`.
pub fn scrub(text: &str, secrets: &[String]) -> String {
    let mut text = text.to_owned();
    // Longest first: a secret that holds another is hidden whole.
    for s in secrets {
        if text.contains(s.as_str()) {
            text = text.replace(s.as_str(), "***");
        }
    }
    text
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
    fn no_form_of_url_shows_its_password() {
        for url in [
            "postgress://libres:s3cr3t@h/db",
            "POSTGRES://libres:s3cr3t@h/db",
            "PostgreSQL://libres:s3cr3t@h/db",
            "postgres:/libres:s3cr3t@h/db",
            "postgres:libres:s3cr3t@h/db",
            "mysql://libres:s3cr3t@h/db",
            "mysql://h/db?password=s3cr3t",
            "postgres://libres@h/db?sslmode=require&password=s3cr3t",
            "postgres://libres@h/db?PASSWORD=s3cr3t",
            "postgres://libres@h/db?sslpassword=s3cr3t",
            "sqlite:x.db?password=s3cr3t",
            "SQLITE:x.db?pwd=s3cr3t",
            "host=h user=libres password=s3cr3t dbname=db",
            "libres:s3cr3t@h/db",
            "ftp://libres:s3cr3t@h",
            "redis://:s3cr3t@h:6379",
            "postgres://libres:s3%63r3t@h/db",
            "  postgres://libres:s3cr3t@h/db  ",
        ] {
            let shown = redact(url);
            assert!(
                !shown.contains("s3cr3t") && !shown.contains("s3%63r3t"),
                "{url} → {shown}"
            );
            // Whatever a message quotes of the URL, the printer hides it.
            let secrets = secrets(url);
            let message = format!("could not connect with {url}: bad password s3cr3t");
            let scrubbed = scrub(&message, &secrets);
            assert!(
                !scrubbed.contains("s3cr3t"),
                "{url}: {scrubbed} ({secrets:?})"
            );
        }
        assert_eq!(redact("libres.db"), "libres.db");
        assert_eq!(redact("sqlite:x.db?mode=ro"), "sqlite:x.db?mode=ro");
        assert_eq!(
            redact("host=h password=s3cr3t dbname=db"),
            "host=h password=*** dbname=db"
        );
        assert_eq!(redact("mysql://h:3306/db"), "mysql://h:3306/…");
    }

    #[test]
    fn schemes_are_read_in_any_case() {
        assert_eq!(
            DbUrl::parse("POSTGRES://u@h/db").unwrap(),
            DbUrl::Postgres("postgres://u@h/db".into())
        );
        assert!(matches!(
            DbUrl::parse("SQLite:x.db").unwrap(),
            DbUrl::Sqlite { path, .. } if path == Path::new("x.db")
        ));
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
