//! Connecting: parsing `postgres://` URLs and opening connections with
//! errors an operator can act on, naming the host and never the password.
//!
//! **TLS.** The URL's `sslmode` says whether the connection is encrypted,
//! as in libpq: `disable` and `allow` never encrypt (sqlx treats `allow`
//! as `disable`); `prefer` (the default) encrypts when the server offers
//! TLS and silently falls back to clear text when it does not, or when
//! someone on the path says it does not; `require` encrypts without
//! checking the server's certificate; `verify-ca` checks that a trusted
//! authority signed it; `verify-full` also checks that it was issued for
//! the host name in the URL. Trusted are the public authorities (Mozilla's
//! list, compiled in) and those of the PEM file named by `sslrootcert`.
//! As in libpq, `require` with `sslrootcert` checks the authority, as
//! `verify-ca` does. (With sqlx 0.8 and today's rustls, `verify-ca` checks
//! the name too: see `tls_message`.)
//!
//! **No clear text across a network.** A server that is not on this
//! machine (anything but a Unix socket, a loopback address or `localhost`)
//! is only reached with `require`, `verify-ca` or `verify-full`: otherwise
//! the password, and then the registry itself, could cross the network
//! readable by anyone on the path. The refusal comes before any byte is
//! sent. It applies whether or not the URL holds a password, because
//! sqlx may take one from `PGPASSWORD` or `~/.pgpass` unseen. A user who
//! wants clear text anyway (a private network they trust) says so in the
//! URL with [`ALLOW_CLEARTEXT`]`=true`, a parameter of Libres that is taken
//! out of the URL before sqlx reads it.

use libres_store::{StoreError, StoreResult};
use rustls::pki_types::{pem::PemObject, CertificateDer};
use sqlx::postgres::{PgConnectOptions, PgSslMode};
use sqlx::{Connection, PgConnection};
use std::net::IpAddr;
use std::str::FromStr;
use std::time::Duration;

/// How long opening the store waits for the server to answer.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The URL parameter (`true` or `false`) by which a user lets Libres reach
/// a server on another host without TLS. Libres's own: libpq and sqlx do
/// not know it.
pub const ALLOW_CLEARTEXT: &str = "libres_allow_cleartext";

/// The URL parameters by which sqlx takes the CA certificate file.
const ROOT_CERT_KEYS: [&str; 3] = ["sslrootcert", "ssl-root-cert", "ssl-ca"];

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

/// A URL as read: sqlx's options, and what Libres itself read from it.
struct Parsed {
    options: PgConnectOptions,
    /// [`ALLOW_CLEARTEXT`]`=true` was given.
    allow_cleartext: bool,
    /// The `sslrootcert` of the URL, when it names a file.
    root_cert_file: Option<String>,
}

/// An invalid-URL error. Its text never repeats the URL or a parameter's
/// value, which may hold a password.
fn invalid(why: impl std::fmt::Display) -> StoreError {
    StoreError::Other(format!("invalid PostgreSQL URL: {why}"))
}

/// Reads a URL without judging it: no file is opened, nothing refused.
fn parse(url: &str) -> StoreResult<Parsed> {
    let mut parsed = url::Url::parse(url).map_err(invalid)?;
    let mut allow_cleartext = None;
    let mut root_cert = None;
    let mut kept = Vec::new();
    for (key, value) in parsed.query_pairs() {
        if key == ALLOW_CLEARTEXT {
            allow_cleartext = Some(match &*value {
                "true" => true,
                "false" => false,
                _ => {
                    return Err(invalid(format_args!(
                        "`{ALLOW_CLEARTEXT}` must be `true` or `false`"
                    )))
                }
            });
            continue;
        }
        if ROOT_CERT_KEYS.contains(&&*key) {
            root_cert = Some(value.to_string());
        }
        kept.push((key.into_owned(), value.into_owned()));
    }
    if allow_cleartext.is_some() {
        parsed.set_query(None);
        if !kept.is_empty() {
            parsed.query_pairs_mut().extend_pairs(&kept);
        }
    }
    let mut options = PgConnectOptions::from_str(parsed.as_str())
        .map_err(invalid)?
        .application_name("libres");
    let root_cert = root_cert.or_else(|| std::env::var("PGSSLROOTCERT").ok());
    if root_cert.is_some() && matches!(options.get_ssl_mode(), PgSslMode::Require) {
        // libpq's rule, which users of managed servers rely on: a given CA
        // is checked. sqlx alone would accept any certificate.
        options = options.ssl_mode(PgSslMode::VerifyCa);
    }
    Ok(Parsed {
        options,
        allow_cleartext: allow_cleartext.unwrap_or(false),
        // An inline PEM certificate is not a file (sqlx's rule).
        root_cert_file: root_cert.filter(|c| !c.trim_start().starts_with("-----BEGIN")),
    })
}

/// Parses a `postgres://` URL for connecting, refusing before any byte is
/// sent what must not be sent: clear text to another host (unless
/// [`ALLOW_CLEARTEXT`] allows it), and a CA file that cannot be read.
pub(crate) fn parse_url(url: &str) -> StoreResult<PgConnectOptions> {
    let parsed = parse(url)?;
    refuse_cleartext_to_remote(&parsed)?;
    if let Some(file) = &parsed.root_cert_file {
        check_root_cert(file)?;
    }
    Ok(parsed.options)
}

/// Whether a connection made with `options` stays on this machine: a Unix
/// socket, a loopback address, or `localhost` (which resolves to loopback
/// by RFC 6761).
fn is_local(options: &PgConnectOptions) -> bool {
    let host = options.get_host();
    if options.get_socket().is_some() || host.starts_with('/') {
        return true;
    }
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    bare.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.to_canonical().is_loopback())
}

/// The name of an `sslmode`, as written in a URL.
fn mode_name(mode: PgSslMode) -> &'static str {
    match mode {
        PgSslMode::Disable => "disable",
        PgSslMode::Allow => "allow",
        PgSslMode::Prefer => "prefer",
        PgSslMode::Require => "require",
        PgSslMode::VerifyCa => "verify-ca",
        PgSslMode::VerifyFull => "verify-full",
    }
}

/// Refuses a connection to another host that may not be encrypted, unless
/// the URL allows it.
fn refuse_cleartext_to_remote(parsed: &Parsed) -> StoreResult<()> {
    let mode = parsed.options.get_ssl_mode();
    let encrypted = matches!(
        mode,
        PgSslMode::Require | PgSslMode::VerifyCa | PgSslMode::VerifyFull
    );
    if encrypted || parsed.allow_cleartext || is_local(&parsed.options) {
        return Ok(());
    }
    let why = match mode {
        PgSslMode::Prefer => "which falls back to clear text without telling (and is the default)",
        _ => "which does not encrypt",
    };
    Err(StoreError::Other(format!(
        "refusing to connect to PostgreSQL at {} with sslmode={}, {why}: any password, and \
         then the registry, could cross the network readable by anyone on the path. Add \
         `sslmode=verify-full` to the URL (with `sslrootcert=/path/to/ca.pem` when the \
         server's certificate is not from a public certificate authority), or at least \
         `sslmode=require`; to connect without encryption anyway, on a network you trust, \
         add `{ALLOW_CLEARTEXT}=true`",
        Target::of(&parsed.options).server,
        mode_name(mode),
    )))
}

/// Checks that the CA file exists and holds a PEM certificate: sqlx would
/// report a missing file as a network error, and silently trust only the
/// public authorities when the file holds no PEM certificate (a DER file).
fn check_root_cert(file: &str) -> StoreResult<()> {
    let bytes = std::fs::read(file)
        .map_err(|e| StoreError::Other(format!("cannot read `sslrootcert` {file}: {e}")))?;
    let mut certificates = CertificateDer::pem_slice_iter(&bytes);
    match certificates.next() {
        Some(Ok(_)) => Ok(()),
        Some(Err(e)) => Err(StoreError::Other(format!(
            "`sslrootcert` {file} is not a valid PEM certificate file: {e}"
        ))),
        None => Err(StoreError::Other(format!(
            "`sslrootcert` {file} holds no PEM certificate (`-----BEGIN CERTIFICATE-----`); \
             a DER file converts with `openssl x509 -inform der -in CA.der -out CA.pem`"
        ))),
    }
}

/// Whether two `postgres://` URLs name the same database: the same server
/// (host or socket, and port) and the same database name, whoever logs in.
/// Two spellings of one host (`localhost` and `127.0.0.1`) are not
/// recognised as one.
pub fn same_database(a: &str, b: &str) -> StoreResult<bool> {
    let a = Target::of(&parse(a)?.options);
    let b = Target::of(&parse(b)?.options);
    Ok(a.server == b.server && a.database == b.database)
}

/// The URL with every secret in it replaced by `***`, for messages: the
/// password of the user part, a `password` parameter (sqlx reads it too),
/// an inline private key. A URL that does not parse is shown up to its
/// host, with the user part's password hidden.
pub fn redact(url: &str) -> String {
    const HIDDEN: &str = "***";
    let mut parsed = match url::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "postgres" | "postgresql") && !u.cannot_be_a_base() => u,
        _ => return redact_unparsed(url),
    };
    if parsed.password().is_some() && parsed.set_password(Some(HIDDEN)).is_err() {
        return redact_unparsed(url);
    }
    // A private key may be given inline, as PEM, like a certificate.
    let secret = |key: &str, value: &str| {
        key == "password"
            || (matches!(key, "sslkey" | "ssl-key") && value.trim_start().starts_with("-----BEGIN"))
    };
    if parsed
        .query_pairs()
        .any(|(key, value)| secret(&key, &value))
    {
        let pairs: Vec<(String, String)> = parsed
            .query_pairs()
            .map(|(key, value)| {
                let value = if secret(&key, &value) {
                    HIDDEN.into()
                } else {
                    value.into_owned()
                };
                (key.into_owned(), value)
            })
            .collect();
        parsed.set_query(None);
        parsed.query_pairs_mut().extend_pairs(&pairs);
    }
    parsed.into()
}

/// [`redact`] of a URL that does not parse. Where its user part ends is
/// unclear (a password may hold `/` or `@`), so all of it up to the last
/// `@` is hidden but the user name, and all after the host.
fn redact_unparsed(url: &str) -> String {
    let Some(start) = url.find("://").map(|i| i + 3) else {
        return "(a URL that does not parse)".into();
    };
    let (scheme, rest) = url.split_at(start);
    let (user, host_on) = match rest.rfind('@') {
        Some(at) => {
            let user_end = rest.find([':', '@']).unwrap_or(at);
            (Some(&rest[..user_end]), &rest[at + 1..])
        }
        None => (None, rest),
    };
    let host_end = host_on.find(['/', '?', '#']).unwrap_or(host_on.len());
    let host = &host_on[..host_end];
    let elided = if host_end < host_on.len() { "/…" } else { "" };
    match user {
        Some(user) => format!("{scheme}{user}:***@{host}{elided}"),
        None => format!("{scheme}{host}{elided}"),
    }
}

/// The rustls error behind a failed connection, if TLS is what failed:
/// sqlx hands it over either as its own TLS error or, from inside the
/// handshake, as an I/O error.
fn tls_cause<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    let mut cause = Some(e);
    while let Some(e) = cause {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if let Some(inner) = io.get_ref() {
                if let Some(tls) = inner.downcast_ref::<rustls::Error>() {
                    return Some(tls);
                }
            }
        }
        cause = e.source();
    }
    None
}

/// What to tell the operator when TLS with the server failed.
fn tls_message(options: &PgConnectOptions, t: &Target, e: &rustls::Error) -> String {
    use rustls::CertificateError as C;
    match e {
        rustls::Error::InvalidCertificate(C::UnknownIssuer | C::BadSignature) => format!(
            "the TLS certificate of PostgreSQL at {} is not signed by a certificate authority \
             that Libres trusts ({e}); give the authority's certificate with \
             `sslrootcert=/path/to/ca.pem` in the URL",
            t.server
        ),
        rustls::Error::InvalidCertificate(
            C::NotValidForName | C::NotValidForNameContext { .. },
        ) => {
            // sqlx 0.8 means verify-ca to ignore the name, but only catches
            // the error variant that rustls used before 0.23.24 (sqlx issue
            // 3793, fixed in sqlx 0.9), so verify-ca checks it too.
            let checks = match options.get_ssl_mode() {
                PgSslMode::VerifyFull => "which sslmode=verify-full checks",
                _ => {
                    "which the sqlx 0.8 inside Libres checks with sslmode=verify-ca too (or \
                     require with sslrootcert), unlike libpq"
                }
            };
            format!(
                "the TLS certificate of PostgreSQL at {} is not issued for the host name `{}`, \
                 {checks}; connect by a name the certificate holds",
                t.server,
                options.get_host()
            )
        }
        rustls::Error::InvalidCertificate(_) => format!(
            "the TLS certificate of PostgreSQL at {} is refused: {e}",
            t.server
        ),
        _ => format!("TLS with PostgreSQL at {} failed: {e}", t.server),
    }
}

/// Opens one connection, turning every way it can fail into a message an
/// operator can act on.
pub(crate) async fn connect(options: &PgConnectOptions) -> StoreResult<PgConnection> {
    let t = Target::of(options);
    let result = tokio::time::timeout(CONNECT_TIMEOUT, PgConnection::connect_with(options)).await;
    let e = match result {
        Ok(Ok(conn)) => return Ok(conn),
        Err(_) => {
            return Err(StoreError::Other(format!(
                "cannot reach PostgreSQL at {}: no answer within {} s",
                t.server,
                CONNECT_TIMEOUT.as_secs()
            )))
        }
        Ok(Err(e)) => e,
    };
    if let Some(tls) = tls_cause(&e) {
        return Err(StoreError::Other(tls_message(options, &t, tls)));
    }
    Err(StoreError::Other(match e {
        sqlx::Error::Io(e) => format!(
            "cannot reach PostgreSQL at {}: {e} (is the server running, and is the address right?)",
            t.server
        ),
        // sqlx's words when the server answers that it has no TLS.
        sqlx::Error::Tls(e) if e.to_string() == "server does not support TLS" => format!(
            "PostgreSQL at {} does not offer TLS, which sslmode={} requires; turn on `ssl` \
             in the server's postgresql.conf, or check that the address is right",
            t.server,
            mode_name(options.get_ssl_mode())
        ),
        sqlx::Error::Tls(e) => format!("TLS with PostgreSQL at {} failed: {e}", t.server),
        sqlx::Error::Database(db) => {
            let message = db.message();
            match db.code().as_deref() {
                // invalid_password
                Some("28P01") => format!(
                    "PostgreSQL at {} refused the credentials of user `{}`: {message}",
                    t.server, t.user
                ),
                // invalid_authorization_specification (unknown role,
                // pg_hba.conf rejection, such as a server that only
                // accepts TLS seeing sslmode=disable)
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
            }
        }
        e => format!("cannot connect to PostgreSQL at {}: {e}", t.server),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSWORD: &str = "s3cr3t-pw";

    fn refused(url: &str) -> String {
        match parse_url(url) {
            Ok(_) => panic!("{} was accepted", redact(url)),
            Err(e) => e.to_string(),
        }
    }

    #[tokio::test]
    async fn another_host_without_tls_is_refused_before_connecting() {
        // `db.invalid` cannot resolve (RFC 2606): an attempt to connect
        // would end in "cannot reach", not in this refusal.
        let url = format!("postgres://libres:{PASSWORD}@db.invalid:5433/registry");
        let msg = match crate::open(&url).await {
            Ok(_) => panic!("the store opened"),
            Err(e) => e.to_string(),
        };
        assert!(
            msg.starts_with(
                "refusing to connect to PostgreSQL at db.invalid:5433 with sslmode=prefer, \
                 which falls back to clear text without telling (and is the default): any \
                 password, and then the registry, could cross the network readable by anyone \
                 on the path"
            ),
            "{msg}"
        );
        assert!(msg.contains("`sslmode=verify-full`"), "{msg}");
        assert!(msg.contains("`sslrootcert=/path/to/ca.pem`"), "{msg}");
        assert!(msg.contains("`libres_allow_cleartext=true`"), "{msg}");
        assert!(!msg.contains(PASSWORD), "{msg}");
    }

    #[test]
    fn every_mode_that_may_send_clear_text_is_refused_with_or_without_a_password() {
        for mode in ["disable", "allow", "prefer", "DISABLE"] {
            for user in [format!("libres:{PASSWORD}"), "libres".to_owned()] {
                let msg = refused(&format!(
                    "postgres://{user}@10.1.2.3/registry?sslmode={mode}"
                ));
                assert!(
                    msg.starts_with(&format!(
                        "refusing to connect to PostgreSQL at 10.1.2.3:5432 with sslmode={}",
                        mode.to_ascii_lowercase()
                    )),
                    "{msg}"
                );
                assert!(!msg.contains(PASSWORD), "{msg}");
            }
        }
        // A password in a parameter, a host in a parameter.
        let msg = refused(&format!(
            "postgres:///registry?host=db.example.org&user=libres&password={PASSWORD}&sslmode=disable"
        ));
        assert!(msg.contains("at db.example.org:5432"), "{msg}");
        assert!(!msg.contains(PASSWORD), "{msg}");
        // `false` is the default, said aloud.
        refused(&format!(
            "postgres://libres:{PASSWORD}@db.example.org/registry?libres_allow_cleartext=false"
        ));
    }

    #[test]
    fn tls_or_the_explicit_opt_in_lets_another_host_through() {
        for mode in ["require", "verify-ca", "verify-full"] {
            let options = parse_url(&format!(
                "postgres://libres:{PASSWORD}@db.example.org/registry?sslmode={mode}"
            ))
            .unwrap();
            assert_eq!(mode_name(options.get_ssl_mode()), mode);
        }
        for mode in ["disable", "prefer"] {
            let options = parse_url(&format!(
                "postgres://libres:{PASSWORD}@db.example.org:6543/registry?sslmode={mode}\
                 &libres_allow_cleartext=true&application_name=x"
            ))
            .unwrap();
            // The rest of the URL is read as before.
            assert_eq!(mode_name(options.get_ssl_mode()), mode);
            assert_eq!(options.get_host(), "db.example.org");
            assert_eq!(options.get_port(), 6543);
            assert_eq!(options.get_database(), Some("registry"));
            assert_eq!(options.get_application_name(), Some("libres"));
        }
    }

    #[test]
    fn a_bad_opt_in_value_is_refused_without_repeating_the_url() {
        let msg = refused(&format!(
            "postgres://libres:{PASSWORD}@db.example.org/registry?libres_allow_cleartext=yes"
        ));
        assert_eq!(
            msg,
            "invalid PostgreSQL URL: `libres_allow_cleartext` must be `true` or `false`"
        );
    }

    #[test]
    fn sockets_loopback_addresses_and_localhost_need_no_tls() {
        for host in [
            "127.0.0.1",
            "127.8.9.10",
            "[::1]",
            "[::ffff:127.0.0.1]",
            "localhost",
            "LocalHost",
            "%2Fvar%2Frun%2Fpostgresql",
        ] {
            let url = format!("postgres://libres:{PASSWORD}@{host}/registry?sslmode=disable");
            assert!(parse_url(&url).is_ok(), "{host}");
        }
        let url = format!(
            "postgres:///registry?host=/var/run/postgresql&password={PASSWORD}&sslmode=disable"
        );
        assert!(parse_url(&url).is_ok());
        for host in [
            "192.168.1.10",
            "[::2]",
            "[fe80::1]",
            "0.0.0.0",
            "localhost.example.org",
            "db",
        ] {
            let url = format!("postgres://libres:{PASSWORD}@{host}/registry?sslmode=disable");
            assert!(parse_url(&url).is_err(), "{host}");
        }
    }

    #[test]
    fn require_with_a_ca_file_checks_the_authority_as_libpq_does() {
        let mode = |url: &str| mode_name(parse(url).unwrap().options.get_ssl_mode());
        assert_eq!(mode("postgres://u@h/d?sslmode=require"), "require");
        assert_eq!(
            mode("postgres://u@h/d?sslmode=require&sslrootcert=/etc/ca.pem"),
            "verify-ca"
        );
        assert_eq!(
            mode("postgres://u@h/d?sslmode=verify-full&ssl-root-cert=/etc/ca.pem"),
            "verify-full"
        );
    }

    #[test]
    fn a_ca_file_that_is_missing_or_not_pem_is_named_before_connecting() {
        let dir = std::env::temp_dir().join(format!("libres-connect-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let missing = dir.join("missing.pem");
        let msg = refused(&format!(
            "postgres://u@db.example.org/d?sslmode=verify-full&sslrootcert={}",
            missing.display()
        ));
        assert!(
            msg.starts_with(&format!("cannot read `sslrootcert` {}:", missing.display())),
            "{msg}"
        );
        let der = dir.join("ca.der");
        std::fs::write(&der, [0x30, 0x82, 0x01, 0x0a, 0x02]).unwrap();
        let msg = refused(&format!(
            "postgres://u@db.example.org/d?sslmode=verify-full&sslrootcert={}",
            der.display()
        ));
        assert!(msg.contains("holds no PEM certificate"), "{msg}");
        assert!(msg.contains("openssl x509 -inform der"), "{msg}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn comparing_urls_judges_nothing() {
        // `copy` compares its two URLs before opening them; the refusal
        // belongs to opening.
        let same = same_database(
            &format!("postgres://libres:{PASSWORD}@db.example.org/registry"),
            "postgres://admin@db.example.org:5432/registry?sslmode=disable",
        );
        assert!(same.unwrap());
    }

    #[test]
    fn redacted_urls_hold_no_password() {
        assert_eq!(
            redact(&format!(
                "postgres://libres:{PASSWORD}@db.example:5432/libres"
            )),
            "postgres://libres:***@db.example:5432/libres"
        );
        assert_eq!(
            redact("postgres://libres@h/db?sslmode=require"),
            "postgres://libres@h/db?sslmode=require"
        );
        assert_eq!(
            redact(&format!(
                "postgres://libres@h/db?password={PASSWORD}&sslmode=verify-full"
            )),
            "postgres://libres@h/db?password=***&sslmode=verify-full"
        );
        for url in [
            // A percent-encoded key is still `password` to sqlx.
            format!("postgres://libres@h/db?pass%77ord={PASSWORD}"),
            format!("postgres://libres@h/db?sslkey=-----BEGIN%20PRIVATE%20KEY-----{PASSWORD}"),
            // URLs that do not parse, some with a password holding `/`,
            // `@` or `?`.
            format!("postgres://libres:{PASSWORD}@[::1/registry"),
            format!("postgres://libres:a/{PASSWORD}@h:5432/db"),
            format!("postgres://libres:a@{PASSWORD}@[h/db?x=1"),
            format!("postgres://libres:a?{PASSWORD}@h:99999/db"),
            format!("postgres://libres@h:99999/db?password={PASSWORD}"),
            format!("libres:{PASSWORD}@h/db"),
        ] {
            let shown = redact(&url);
            assert!(!shown.contains(PASSWORD), "{url} → {shown}");
        }
        assert_eq!(
            redact(&format!("postgres://libres:a/{PASSWORD}@h:5432/db")),
            "postgres://libres:***@h:5432/…"
        );
    }
}
