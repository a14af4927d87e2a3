//! The command line (DESIGN.md, "Outside contracts"). Names and defaults
//! here are a contract: scripts and tests depend on them.

use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Libres: a registry of political prisoners that tells the truth about
/// releases.
#[derive(Debug, Parser)]
#[command(name = "libres", version, about, propagate_version = true)]
pub struct Cli {
    /// Database URL: sqlite:PATH or postgres://…
    #[arg(
        long,
        global = true,
        env = "LIBRES_DB",
        default_value = "sqlite:libres.db"
    )]
    pub db: String,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the site and the API.
    Serve {
        /// How to serve.
        #[command(flatten)]
        serve: ServeArgs,
    },
    /// Create a synthetic demo registry if the database is empty, then serve it.
    Demo {
        /// How many synthetic persons to create.
        #[arg(long, default_value_t = 3000, value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
        persons: u32,
        /// How to serve.
        #[command(flatten)]
        serve: ServeArgs,
    },
    /// Create the synthetic demo registry only (the database must be empty).
    SeedDemo {
        /// How many synthetic persons to create.
        #[arg(long, default_value_t = 3000, value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
        persons: u32,
    },
    /// Import records.
    Import {
        /// What to import.
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Export records.
    Export {
        /// What to export.
        #[command(subcommand)]
        what: ExportWhat,
    },
    /// Copy a whole registry (persons, detentions, timelines, sources,
    /// history) from one database to another, e.g. from SQLite to
    /// PostgreSQL. The target is written in one transaction: it gets the
    /// whole registry or is left as it was. `--db` is not used.
    Copy {
        /// The database to copy from (sqlite:PATH or postgres://…). It must
        /// exist; it is only read.
        #[arg(long)]
        from: String,
        /// The database to copy to. A missing SQLite file is created; a
        /// PostgreSQL database must exist. It must hold no registry yet,
        /// unless --replace is given.
        #[arg(long)]
        to: String,
        /// Delete everything the target holds and put the copy in its
        /// place (in the same transaction).
        #[arg(long)]
        replace: bool,
    },
    /// Link the records of two CSV files that name the same entity
    /// (generic record linkage). Writes `left_id,right_id,score`, one row
    /// per pair whose match probability reaches the config's threshold.
    Link {
        /// The left file (CSV with a header row).
        left: PathBuf,
        /// The right file (CSV with the same columns).
        right: PathBuf,
        /// The linkage settings (TOML): id column, fields and how to
        /// compare them, blocking rules, threshold.
        #[arg(long)]
        config: PathBuf,
        /// Where to write the links.
        #[arg(long)]
        out: PathBuf,
    },
    /// Find the records of one CSV file that name the same entity
    /// (generic deduplication). Writes `id1,id2,score`, one row per pair
    /// whose match probability reaches the config's threshold.
    Dedup {
        /// The file (CSV with a header row).
        file: PathBuf,
        /// The settings (TOML), as for `link`.
        #[arg(long)]
        config: PathBuf,
        /// Where to write the pairs.
        #[arg(long)]
        out: PathBuf,
    },
    /// Match an announced list of names against the registry. Writes
    /// `row_id,person_id,score,decision,reason` for every list row, where
    /// decision is `match`, `review` (a person must look) or `none`, and
    /// reason a short code (`province_contradicts`, `several_fit`, …).
    Match {
        /// The list: `row_id,full_name` and optionally `birth_year`,
        /// `province`.
        #[arg(long)]
        list: PathBuf,
        /// Match against this person CSV instead of the database.
        #[arg(long)]
        registry: Option<PathBuf>,
        /// Where to write the matches.
        #[arg(long)]
        out: PathBuf,
        /// Print why this list row got its decision: the candidates, which
        /// fields agreed and their weights (may be repeated).
        #[arg(long, value_name = "ROW_ID")]
        explain: Vec<String>,
        /// Lowest probability that the row names the person (against every
        /// other registry person, and against somebody outside the
        /// registry) for `match`; below it a person reviews. Raise it to
        /// send more rows to review.
        #[arg(long, default_value_t = 0.98, value_parser = probability)]
        match_probability: f64,
        /// The share of the list's names that are on the registry, when you
        /// know it (0.36 for 200 political prisoners among 553 released).
        /// Without it, it is estimated from the list.
        #[arg(long, value_parser = probability)]
        on_registry_share: Option<f64>,
        /// The least share of same-name relatives (a father or son of the
        /// same name) assumed among rows that give a birth year the
        /// registry lacks. Such a row cannot be checked against the
        /// person's age; at the default a row with the name alone stays
        /// below `match`. 0 trusts what the list's own rows show.
        #[arg(long, default_value_t = 0.03, value_parser = share_or_zero)]
        unverifiable_year_floor: f64,
        /// The number of people among whom a row that says less than the
        /// registry must single the person out to be a `match`. By default
        /// the country's population (Cuba 10 million); a release list names
        /// people in custody, so a group may give that population instead
        /// (e.g. 90000).
        #[arg(long, value_parser = people)]
        population: Option<f64>,
    },
    /// Manage staff accounts.
    User {
        /// What to do.
        #[command(subcommand)]
        what: UserCommand,
    },
    /// Check or read the audit log.
    Audit {
        /// What to do.
        #[command(subcommand)]
        what: AuditCommand,
    },
    /// Read a person's history, or remove old confidential values from it.
    History {
        /// What to do.
        #[command(subcommand)]
        what: HistoryCommand,
    },
    /// Print the SQL that gives a PostgreSQL role what `libres serve` and
    /// the everyday commands need, and no more: it owns no table, and the
    /// audit log and history are append-only for it. Run the output as the
    /// database's owner (`psql -f`) after migrating, and after each
    /// upgrade. See the README, "Least privilege".
    PostgresGrants {
        /// The application's role, e.g. libres_app.
        role: String,
    },
    /// Write a synthetic test set for `match`: a registry, an official-style
    /// list with typical alterations, people off the registry (strangers
    /// named like registry persons, siblings, namesakes, fathers and sons,
    /// look-alikes missing the telling field), and the truth. For
    /// benchmarks and tests; no real person is named.
    #[command(hide = true)]
    GenNameTestset {
        /// Persons in the registry.
        #[arg(long, default_value_t = 20_000)]
        registry: usize,
        /// Rows in the list.
        #[arg(long, default_value_t = 3_000)]
        list: usize,
        /// Share of the list's rows that name a (distinct) registry person,
        /// more than 0 and at most 1; the others are people the registry
        /// does not hold.
        #[arg(
            long,
            value_name = "F",
            default_value_t = libres_synth::testset::DEFAULT_ON_REGISTRY_SHARE,
            value_parser = share,
        )]
        on_registry_share: f64,
        /// Random seed (the same seed gives the same files).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Folder to write registry.csv, list.csv and truth.csv into.
        #[arg(long)]
        out_dir: PathBuf,
    },
}

/// A share: more than 0, at most 1.
fn share(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(f) if f > 0.0 && f <= 1.0 => Ok(f),
        _ => Err(format!(
            "`{s}` is not a share of the list: give a number more than 0 and at most 1"
        )),
    }
}

/// A probability strictly between 0 and 1.
fn probability(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(p) if p > 0.0 && p < 1.0 => Ok(p),
        _ => Err(format!(
            "`{s}` is not a probability between 0 and 1 (exclusive)"
        )),
    }
}

/// A share from 0 (included) to 1 (excluded).
fn share_or_zero(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(p) if (0.0..1.0).contains(&p) => Ok(p),
        _ => Err(format!("`{s}` is not a share from 0 to 1 (1 excluded)")),
    }
}

/// A number of people: a whole number of at least 1.
fn people(s: &str) -> Result<f64, String> {
    match s.replace(['_', ','], "").parse::<u64>() {
        Ok(n) if n >= 1 => Ok(n as f64),
        _ => Err(format!("`{s}` is not a number of people (1 or more)")),
    }
}

/// Options of the commands that serve the site.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Memory for finished public pages, in MiB (0 turns the cache off).
    /// Cached pages are valid for one registry version only: any change,
    /// by any process, is visible on the next request.
    #[arg(long, env = "LIBRES_PAGE_CACHE_MB", default_value_t = 64)]
    pub page_cache_mb: usize,
    /// Seconds a client has to send a whole request head (from opening the
    /// connection, or from the end of the previous answer on a kept-alive
    /// one). Slow clients are closed after it.
    #[arg(long, env = "LIBRES_HEADER_TIMEOUT", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub header_timeout: u64,
    /// Seconds a connection may stay open with no byte moving either way.
    #[arg(long, env = "LIBRES_IDLE_TIMEOUT", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub idle_timeout: u64,
    /// Seconds the site may take to start answering a request (reading its
    /// body included); past it the answer is 503.
    #[arg(long, env = "LIBRES_REQUEST_TIMEOUT", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub request_timeout: u64,
    /// The largest request body accepted (e.g. 1MiB, 64KiB); a larger one
    /// is answered 413.
    #[arg(long, env = "LIBRES_MAX_BODY", default_value = "1MiB", value_parser = body_size)]
    pub max_body: usize,
    /// Connections open at once, at most. When full, a new connection
    /// takes the place of the one that has waited longest for a request.
    /// Keep it well under the open-file limit (`ulimit -n`).
    #[arg(long, env = "LIBRES_MAX_CONNECTIONS", default_value_t = 512, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub max_connections: u64,
    /// The site's Tor onion service (`http://….onion`): every answer then
    /// carries an `Onion-Location` header pointing to the same address
    /// there, which Tor Browser offers to follow.
    #[arg(long, env = "LIBRES_ONION_LOCATION", value_parser = libres_web::OnionLocation::parse)]
    pub onion_location: Option<libres_web::OnionLocation>,
    /// The site is reached over HTTPS (here or at a proxy in front):
    /// the staff session cookie is then `Secure` (named
    /// `__Secure-libres_staff`) and never travels over plain HTTP.
    #[arg(long, env = "LIBRES_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// A reverse proxy in front of the site, and nothing else, reaches
    /// it, and appends the client's address to `X-Forwarded-For`: staff
    /// login throttling then counts that address instead of the proxy's.
    /// Never set it when clients can reach the site directly.
    #[arg(long, env = "LIBRES_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,
    /// Where import files wait between their preview and their
    /// application (they may hold relatives' contacts): a directory only
    /// this user may enter, on the same encrypted disk as the database.
    /// It is created if missing; upload files a crashed run left there
    /// are removed at start. Without it, a private directory in the
    /// system's temporary directory, removed at exit.
    #[arg(long, env = "LIBRES_UPLOAD_DIR", value_name = "DIR")]
    pub upload_dir: Option<std::path::PathBuf>,
    /// The address the site is reached at (`https://example.org`): the
    /// users page builds setup links on it. Without it, on the address
    /// the administrator's browser used.
    #[arg(long, env = "LIBRES_BASE_URL", value_name = "URL", value_parser = site_url)]
    pub base_url: Option<String>,
    /// The SMTP server that sends statement confirmations:
    /// `smtp://host:25` (a relay on this machine, plain),
    /// `smtp://user:password@host:587?tls=required` (STARTTLS), or
    /// `smtps://user:password@host:465`. Without it (and without
    /// --mail-outbox) mail waits in the database until one is given.
    #[arg(
        long,
        env = "LIBRES_SMTP_URL",
        value_name = "URL",
        conflicts_with = "mail_outbox"
    )]
    pub smtp_url: Option<String>,
    /// Write each outgoing mail to a `.eml` file in this directory instead
    /// of sending it (for development and tests).
    #[arg(long, env = "LIBRES_MAIL_OUTBOX", value_name = "DIR")]
    pub mail_outbox: Option<std::path::PathBuf>,
    /// The sender of the mail, e.g. `Libres <noreply@example.org>`.
    #[arg(
        long,
        env = "LIBRES_MAIL_FROM",
        default_value = "Libres <noreply@localhost>",
        value_name = "MAILBOX"
    )]
    pub mail_from: String,
    /// Days a confirmation link stays valid.
    #[arg(long, env = "LIBRES_CONFIRM_DAYS", default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=365))]
    pub confirm_days: u32,
    /// Days after a statement closes before its signers' names and
    /// addresses are erased (their category and country stay, so the
    /// counts do not move).
    #[arg(long, env = "LIBRES_ANONYMISE_AFTER_DAYS", default_value_t = 90, value_parser = clap::value_parser!(u32).range(0..=36_500))]
    pub anonymise_after_days: u32,
    /// Signatures per hour from one client address before they are
    /// flagged for review (never refused).
    #[arg(long, env = "LIBRES_SIGNATURES_PER_ADDRESS", default_value_t = 50)]
    pub signatures_per_address: u32,
    /// Signatures per hour from one mail domain (large public providers
    /// excepted) before they are flagged for review (never refused).
    #[arg(long, env = "LIBRES_SIGNATURES_PER_DOMAIN", default_value_t = 200)]
    pub signatures_per_domain: u32,
}

impl ServeArgs {
    /// The web server's options.
    pub fn web_options(&self) -> libres_web::WebOptions {
        use std::time::Duration;
        libres_web::WebOptions {
            page_cache_bytes: self.page_cache_mb.saturating_mul(1024 * 1024),
            limits: libres_web::Limits {
                header_timeout: Duration::from_secs(self.header_timeout),
                idle_timeout: Duration::from_secs(self.idle_timeout),
                request_timeout: Duration::from_secs(self.request_timeout),
                max_body_bytes: self.max_body,
                max_connections: usize::try_from(self.max_connections).unwrap_or(usize::MAX),
                ..libres_web::Limits::default()
            },
            onion_location: self.onion_location.clone(),
            secure_cookies: self.secure_cookies,
            trust_forwarded_for: self.trust_forwarded_for,
            clock: libres_web::Clock::system(),
            upload_dir: self.upload_dir.clone(),
            base_url: self.base_url.clone(),
            abuse: libres_web::AbuseLimits {
                per_address: self.signatures_per_address,
                per_domain: self.signatures_per_domain,
            },
        }
    }
}

/// A site address: `http://` or `https://`, without spaces.
fn site_url(s: &str) -> Result<String, String> {
    let lower = s.to_ascii_lowercase();
    if (lower.starts_with("https://") || lower.starts_with("http://"))
        && !s.chars().any(char::is_whitespace)
    {
        Ok(s.to_owned())
    } else {
        Err(format!(
            "`{s}` is not a site address: give https://… or http://…"
        ))
    }
}

/// A body size: at least 1 KiB, at most 1 GiB.
fn body_size(s: &str) -> Result<usize, String> {
    let n = libres_app::import::parse_size(s)?;
    if !(1024..=1 << 30).contains(&n) {
        return Err(format!("`{s}` is not a body size from 1KiB to 1GiB"));
    }
    usize::try_from(n).map_err(|_| format!("`{s}` is too large"))
}

/// `libres user …`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a staff account and print its one-time setup link (it works
    /// once, for three days, to choose a password and enrol a second
    /// factor).
    Add {
        /// The staff member's email address (their login name).
        email: String,
        /// What they may do: viewer (reads everything), researcher (+ edits
        /// cases and sources), editor (+ publishes, imports, decides
        /// reconciliations), admin (+ users and settings).
        #[arg(long, value_parser = role)]
        role: libres_core::Role,
        /// The address the site is reached at, for the link.
        #[arg(long, env = "LIBRES_BASE_URL", default_value = "http://127.0.0.1:8080")]
        base_url: String,
    },
    /// List the staff accounts.
    List,
    /// Disable an account and end its sessions at once.
    Disable {
        /// The account's email address.
        email: String,
    },
    /// Change an account's role; its open sessions get the new role on
    /// their next request.
    Role {
        /// The account's email address.
        email: String,
        /// The new role.
        #[arg(value_parser = role)]
        role: libres_core::Role,
    },
    /// Start an account over (a lost phone and lost recovery codes):
    /// remove its password and second factor, end its sessions, enable it,
    /// and print a new setup link.
    Reset {
        /// The account's email address.
        email: String,
        /// The address the site is reached at, for the link.
        #[arg(long, env = "LIBRES_BASE_URL", default_value = "http://127.0.0.1:8080")]
        base_url: String,
    },
    /// End every session of an account (log out everywhere).
    Logout {
        /// The account's email address.
        email: String,
    },
}

/// `libres audit …`.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain of the audit log: exits non-zero naming the
    /// first entry that was altered or deleted; prints the head to write
    /// down otherwise.
    Verify {
        /// An entry's number and hash written down earlier (ENTRY:HASH, as
        /// printed by an earlier verify): also check that it still has that
        /// hash, which a chain rewritten whole would not.
        #[arg(long, value_parser = anchor)]
        anchor: Option<(i64, String)>,
    },
    /// Print the audit log, oldest first, one entry per line: number, time,
    /// actor, action, target, details.
    Log {
        /// Only the entries after this number.
        #[arg(long, default_value_t = 0)]
        after: i64,
        /// At most this many entries.
        #[arg(long)]
        limit: Option<usize>,
    },
}

/// `libres history …`.
#[derive(Debug, Subcommand)]
pub enum HistoryCommand {
    /// Print one person's history, oldest first: a line per entry (time,
    /// actor, action), then a line per changed field (field, old value,
    /// new value). Confidential values included: this is for staff.
    Show {
        /// The person's id, e.g. CU-00042.
        id: String,
    },
    /// Replace the confidential values (private notes, family contact) of
    /// history entries older than the retention period with `[removed]`;
    /// the entries keep who changed which field, and when. Prints how many
    /// entries changed. On PostgreSQL, history is append-only for the
    /// application role: run this as the database's owner, e.g. from a
    /// daily cron job.
    Purge {
        /// The retention period, in days (at least 1).
        #[arg(long, default_value_t = 365, value_parser = days)]
        older_than_days: i64,
    },
}

/// A retention period in days: a whole number, at least 1 (0 would remove
/// the values just written).
fn days(s: &str) -> Result<i64, String> {
    let n: i64 = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a whole number of days"))?;
    if n < 1 {
        return Err(format!(
            "the retention period must be at least 1 day, not {n}: \
             0 or less would remove the confidential values just written"
        ));
    }
    if n > 100_000 {
        return Err(format!("{n} days is more than any registry has existed"));
    }
    Ok(n)
}

fn role(s: &str) -> Result<libres_core::Role, String> {
    libres_core::Role::parse(s)
}

fn anchor(s: &str) -> Result<(i64, String), String> {
    libres_app::staff::parse_anchor(s)
}

/// What `import` reads.
#[derive(Debug, Subcommand)]
pub enum ImportWhat {
    /// Import persons from a CSV or XLSX file: every row is checked first,
    /// and nothing is written unless all rows are valid. Persons already in
    /// the registry are updated; fields whose column the file lacks keep
    /// their stored values (an empty cell clears its field).
    Persons {
        /// The file (.csv or .xlsx).
        file: PathBuf,
        /// Refuse files larger than this (e.g. 500MiB, 2GiB).
        #[arg(long, env = "LIBRES_IMPORT_MAX_SIZE", default_value = "1GiB", value_parser = libres_app::import::parse_size)]
        max_size: u64,
    },
}

/// What `export` writes.
#[derive(Debug, Subcommand)]
pub enum ExportWhat {
    /// Export persons, ordered by id.
    Persons {
        /// Output format. Popolo is always public: no confidential field and
        /// no unpublished person.
        #[arg(long, value_enum, default_value_t = FormatArg::Csv)]
        format: FormatArg,
        /// Write to this file instead of standard output (required for xlsx).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Only published persons, without the confidential columns.
        #[arg(long)]
        public_only: bool,
    },
}

/// The export formats, as `--format` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// The person CSV (DESIGN.md).
    Csv,
    /// An Excel workbook with the same columns, every cell as text.
    Xlsx,
    /// A JSON array of objects with the same keys.
    Json,
    /// `{"persons": [...]}` in the Popolo person shape, public fields only.
    Popolo,
}

impl From<FormatArg> for libres_app::export::ExportFormat {
    fn from(f: FormatArg) -> Self {
        use libres_app::export::ExportFormat as F;
        match f {
            FormatArg::Csv => F::Csv,
            FormatArg::Xlsx => F::Xlsx,
            FormatArg::Json => F::Json,
            FormatArg::Popolo => F::Popolo,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use clap::Parser;

    fn serve_args(args: &[&str]) -> ServeArgs {
        let mut all = vec!["libres", "serve"];
        all.extend_from_slice(args);
        match Cli::try_parse_from(all).unwrap().command {
            Command::Serve { serve } => serve,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn staff_cookies_are_secure_and_forwarded_addresses_trusted_only_when_asked() {
        let plain = serve_args(&[]).web_options();
        assert!(!plain.secure_cookies && !plain.trust_forwarded_for);
        let proxied = serve_args(&["--secure-cookies", "--trust-forwarded-for"]).web_options();
        assert!(proxied.secure_cookies && proxied.trust_forwarded_for);
    }

    #[test]
    fn the_site_address_must_be_a_web_address() {
        let set = serve_args(&["--base-url", "https://libres.example.org"]).web_options();
        assert_eq!(set.base_url.as_deref(), Some("https://libres.example.org"));
        let mut all = vec!["libres", "serve", "--base-url", "libres.example.org"];
        let err = Cli::try_parse_from(std::mem::take(&mut all)).unwrap_err();
        assert!(err.to_string().contains("is not a site address"), "{err}");
    }
}
