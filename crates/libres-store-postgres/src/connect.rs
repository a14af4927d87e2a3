//! Connecting: parsing `postgres://` URLs and opening connections with
//! errors an operator can act on, naming the host and never the password.

use libres_store::{StoreError, StoreResult};
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgConnection};
use std::str::FromStr;
use std::time::Duration;

/// How long opening the store waits for the server to answer.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Where a URL points, for messages: user, host and database, never the
/// password.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    user: String,
    server: String,
    database: String,
}

impl Target {
    pub(crate) fn of(options: &PgConnectOptions) -> Target {
        let server = match options.get_socket() {
            Some(dir) => format!("{} (socket)", dir.display()),
            None => format!("{}:{}", options.get_host(), options.get_port()),
        };
        let user = options.get_username().to_owned();
        Target {
            database: options.get_database().unwrap_or(&user).to_owned(),
            user,
            server,
        }
    }
}

/// Parses a `postgres://` URL. The parser's message never repeats the URL,
/// which may hold a password.
pub(crate) fn parse_url(url: &str) -> StoreResult<PgConnectOptions> {
    PgConnectOptions::from_str(url)
        .map(|o| o.application_name("libres"))
        .map_err(|e| StoreError::Other(format!("invalid PostgreSQL URL: {e}")))
}

/// Whether two `postgres://` URLs name the same database: the same server
/// (host or socket, and port) and the same database name, whoever logs in.
/// Two spellings of one host (`localhost` and `127.0.0.1`) are not
/// recognised as one.
pub fn same_database(a: &str, b: &str) -> StoreResult<bool> {
    let (a, b) = (Target::of(&parse_url(a)?), Target::of(&parse_url(b)?));
    Ok(a.server == b.server && a.database == b.database)
}

/// Opens one connection, turning every way it can fail into a message an
/// operator can act on.
pub(crate) async fn connect(options: &PgConnectOptions) -> StoreResult<PgConnection> {
    let t = Target::of(options);
    let result = tokio::time::timeout(CONNECT_TIMEOUT, PgConnection::connect_with(options)).await;
    match result {
        Ok(Ok(conn)) => Ok(conn),
        Err(_) => Err(StoreError::Other(format!(
            "cannot reach PostgreSQL at {}: no answer within {} s",
            t.server,
            CONNECT_TIMEOUT.as_secs()
        ))),
        Ok(Err(sqlx::Error::Io(e))) => Err(StoreError::Other(format!(
            "cannot reach PostgreSQL at {}: {e} (is the server running, and is the address right?)",
            t.server
        ))),
        Ok(Err(sqlx::Error::Database(db))) => {
            let message = db.message();
            Err(StoreError::Other(match db.code().as_deref() {
                // invalid_password
                Some("28P01") => format!(
                    "PostgreSQL at {} refused the credentials of user `{}`: {message}",
                    t.server, t.user
                ),
                // invalid_authorization_specification (unknown role,
                // pg_hba.conf rejection)
                Some("28000") => format!(
                    "PostgreSQL at {} does not let user `{}` connect to database `{}`: {message}",
                    t.server, t.user, t.database
                ),
                // invalid_catalog_name
                Some("3D000") => format!(
                    "the database `{}` does not exist on PostgreSQL at {}; create it first \
                     (for example `createdb -h HOST -U USER {}`)",
                    t.database, t.server, t.database
                ),
                _ => format!(
                    "PostgreSQL at {} refused the connection: {message}",
                    t.server
                ),
            }))
        }
        Ok(Err(e)) => Err(StoreError::Other(format!(
            "cannot connect to PostgreSQL at {}: {e}",
            t.server
        ))),
    }
}
