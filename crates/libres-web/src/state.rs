//! What every handler shares: the store, the translations, the options,
//! the page cache and the registry-wide counts of the current version.
//!
//! Below the routes: nothing here knows a route, a page or a layer.

use crate::cache::PageCache;
use crate::i18n::I18n;
use crate::jobs::Jobs;
use crate::server::Limits;
use crate::uploads::Uploads;
use libres_core::UnixTime;
use libres_store::UpsertSummary;
use libres_store::{AnnouncementReads, PersonReads, RegistryMeta, StatusCount, Store, StoreResult};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

/// How the site is served.
///
/// Whether the registry is synthetic (and every page says so in a banner)
/// is not an option: it is read from the data, [`Store::is_synthetic`].
#[derive(Debug, Clone)]
pub struct WebOptions {
    /// Bytes kept by the page cache (see `cache.rs`): bodies, headers and
    /// keys; 0 turns it off. Entries are valid for one registry version
    /// only, so the cache never serves a page older than the data.
    pub page_cache_bytes: usize,
    /// Timeouts and limits of the HTTP layer.
    pub limits: Limits,
    /// Where the same site is served as a Tor onion service: every answer
    /// then says so in an `Onion-Location` header, which Tor Browser
    /// offers to follow.
    pub onion_location: Option<OnionLocation>,
    /// The site is reached over HTTPS (directly or through a proxy that
    /// terminates TLS): the staff session cookie is then `Secure` and
    /// named `__Secure-libres_staff`, so a browser never sends it over
    /// plain HTTP. Off by default, for a site on `http://localhost` or an
    /// onion service.
    pub secure_cookies: bool,
    /// A reverse proxy in front of the site appends the client's address
    /// to `X-Forwarded-For`: staff login throttling then counts the last
    /// address of that header instead of the peer's (which is the
    /// proxy's). Leave it off unless such a proxy is the only way in: a
    /// client that reaches the site directly could otherwise choose its
    /// own address and escape throttling.
    pub trust_forwarded_for: bool,
    /// What the staff side takes as the time now (sessions, TOTP codes,
    /// throttling): the system clock, or a clock a test moves.
    pub clock: Clock,
    /// Where import files wait between their preview and their
    /// application (see `uploads.rs`): a directory only the server's user
    /// may enter, cleared of leftovers at start; `None` for a private
    /// temporary directory removed at exit.
    pub upload_dir: Option<std::path::PathBuf>,
    /// The address the site is reached at (`https://example.org`): the
    /// users page builds setup links on it. `None`: on the `Host` the
    /// administrator's browser sent.
    pub base_url: Option<String>,
    /// Signatures per hour from one address or one mail domain before
    /// they are flagged for staff (never refused).
    pub abuse: crate::signing::AbuseLimits,
}

impl Default for WebOptions {
    fn default() -> Self {
        WebOptions {
            page_cache_bytes: 64 * 1024 * 1024,
            limits: Limits::default(),
            onion_location: None,
            secure_cookies: false,
            trust_forwarded_for: false,
            clock: Clock::system(),
            upload_dir: None,
            base_url: None,
            abuse: crate::signing::AbuseLimits::default(),
        }
    }
}

/// Where the time comes from: the system clock in a server, any function
/// in a test (so that a test moves time past a TOTP step or an idle
/// timeout instead of sleeping).
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> UnixTime + Send + Sync>);

impl Clock {
    /// The system clock, in whole seconds.
    pub fn system() -> Clock {
        Clock(Arc::new(|| {
            let secs = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            UnixTime(i64::try_from(secs).unwrap_or(i64::MAX))
        }))
    }

    /// A clock that reads `now`.
    pub fn from_fn(now: impl Fn() -> UnixTime + Send + Sync + 'static) -> Clock {
        Clock(Arc::new(now))
    }

    /// The time now, by this clock.
    pub fn now(&self) -> UnixTime {
        (self.0)()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Clock({})", self.now().0)
    }
}

/// The origin of the site's onion service, `http://….onion` (or
/// `https://`), without a path: what `Onion-Location` points to, with the
/// path of each request appended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnionLocation(String);

impl OnionLocation {
    /// Parses an onion origin such as `http://abc…xyz.onion`, explaining
    /// what is expected when it is not one.
    pub fn parse(s: &str) -> Result<OnionLocation, String> {
        let s = s.trim().trim_end_matches('/');
        let host = s
            .strip_prefix("http://")
            .or_else(|| s.strip_prefix("https://"))
            .ok_or_else(|| format!("`{s}` must start with http:// or https://"))?;
        let name = host.split(':').next().unwrap_or(host);
        let valid = name.ends_with(".onion")
            && name.len() > ".onion".len()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
            && host[name.len()..]
                .strip_prefix(':')
                .is_none_or(|port| !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()));
        if !valid {
            return Err(format!(
                "`{s}` is not the address of an onion service: give its origin only, \
                 e.g. http://….onion"
            ));
        }
        Ok(OnionLocation(s.to_owned()))
    }

    /// The origin, without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether the registry holds synthetic demo data, as the store says.
///
/// Read again whenever the registry version moves, until it is true; then
/// it stays true, because a store marks a registry synthetic for good.
#[derive(Default)]
pub(crate) struct SyntheticFlag {
    on: AtomicBool,
    /// The registry version the flag was last read at.
    read_at: Mutex<Option<i64>>,
}

impl SyntheticFlag {
    /// Whether pages must carry the synthetic-data banner.
    pub fn is_on(&self) -> bool {
        self.on.load(Ordering::Acquire)
    }

    /// Reads the flag from `store`, unless it is already on or was read at
    /// `version` (the current registry version, when the caller knows it).
    pub async fn refresh(
        &self,
        store: &dyn RegistryMeta,
        version: Option<i64>,
    ) -> StoreResult<bool> {
        if self.is_on() {
            return Ok(true);
        }
        // Read before the flag: if the store is marked in between, the
        // version has moved by the next request, which reads it again.
        let version = match version {
            Some(v) => Some(v),
            None => store.version().await.ok(),
        };
        if version.is_some() && *self.lock() == version {
            return Ok(false);
        }
        let on = store.is_synthetic().await?;
        if on {
            self.on.store(true, Ordering::Release);
        }
        if version.is_some() {
            *self.lock() = version;
        }
        Ok(on)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<i64>> {
        self.read_at.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Shared application state, behind one `Arc`.
pub(crate) struct AppState {
    /// What public handlers may do with the registry: read it.
    pub reads: Arc<dyn PersonReads>,
    /// Release announcements, to read.
    pub announcements: Arc<dyn AnnouncementReads>,
    /// Who each announcement's figures count, for the current version.
    pub announced: crate::public::AnnouncedCache,
    /// Each country's months held, for one registry version.
    /// Each country's published cases for its figures, for one registry
    /// version.
    pub cases: crate::routes::public::figures::CasesCache,
    pub held: crate::public::VersionCache<
        (libres_core::CountryCode, libres_core::held::Month),
        crate::public::HeldSeries,
    >,
    /// What staff handlers work with: the whole store (accounts and
    /// sessions today; the registry's writes and the audit log as the
    /// staff pages grow). Only the staff stack, behind its session
    /// check, reads this field.
    pub staff: Arc<dyn Store>,
    /// How staff cookies are set and client addresses read.
    pub secure_cookies: bool,
    pub trust_forwarded_for: bool,
    /// The site's configured address, for setup links.
    pub base_url: Option<String>,
    /// The time now, for the staff side.
    pub clock: Clock,
    /// Import files waiting to be applied (staff side only).
    pub uploads: Uploads,
    /// Imports being applied, or applied within the hour.
    pub imports: Jobs<UpsertSummary>,
    /// Named lists being matched, or matched within the hour: how many
    /// names, and what the reading of the list noted.
    pub lists: Jobs<(usize, Vec<String>)>,
    /// Announcements whose named list is being matched (one at a time each).
    pub matching: std::sync::Mutex<std::collections::HashSet<i64>>,
    pub i18n: I18n,
    /// Finished public responses, for the current registry version.
    pub pages: Arc<PageCache>,
    /// Whether the data is synthetic: every page then says so.
    pub synthetic: SyntheticFlag,
    /// The limits of the HTTP layer; the router applies the body limit
    /// and the request timeout.
    pub limits: Limits,
    /// The onion service's origin, if the site has one.
    pub onion_location: Option<OnionLocation>,
    /// Statements, to read.
    pub statements: Arc<dyn libres_store::StatementReads>,
    /// Signatures and confirmations, written in batches.
    pub intake: crate::signing::Intake,
    /// Signatures per address and per domain, for flags.
    pub abuse: crate::signing::Abuse,
    /// Each statement's public counts, for a few seconds.
    pub signature_counts: crate::signing::CountsCache,
    /// Rendered statement pages, for a few seconds.
    pub statement_pages: crate::signing::PageTtl,
    /// The key that signs forms and confirmation links, read once.
    pub site_key: tokio::sync::OnceCell<libres_app::statements::SiteKey>,
    /// The registry-wide counts and the registry version they were
    /// computed for: an aggregate over every person, too dear to redo for
    /// each visitor of the home page and the list filters.
    counts: RwLock<Option<(i64, Arc<Vec<StatusCount>>)>>,
}

/// The state as handlers receive it.
pub(crate) type SharedState = Arc<AppState>;

impl AppState {
    pub fn new(store: Arc<dyn Store>, opts: WebOptions) -> SharedState {
        Arc::new(AppState {
            reads: Arc::clone(&store) as Arc<dyn PersonReads>,
            announcements: Arc::clone(&store) as Arc<dyn AnnouncementReads>,
            announced: crate::public::AnnouncedCache::default(),
            held: crate::public::VersionCache::default(),
            cases: crate::public::VersionCache::default(),
            statements: Arc::clone(&store) as Arc<dyn libres_store::StatementReads>,
            intake: crate::signing::Intake::new(Arc::clone(&store)),
            abuse: crate::signing::Abuse::new(opts.abuse),
            signature_counts: crate::signing::CountsCache::default(),
            statement_pages: crate::signing::PageTtl::default(),
            site_key: tokio::sync::OnceCell::new(),
            staff: store,
            secure_cookies: opts.secure_cookies,
            trust_forwarded_for: opts.trust_forwarded_for,
            base_url: opts.base_url,
            clock: opts.clock,
            uploads: Uploads::new(opts.upload_dir),
            imports: Jobs::default(),
            lists: Jobs::default(),
            matching: std::sync::Mutex::default(),
            i18n: I18n::load(),
            pages: Arc::new(PageCache::new(opts.page_cache_bytes)),
            synthetic: SyntheticFlag::default(),
            limits: opts.limits,
            onion_location: opts.onion_location,
            counts: RwLock::new(None),
        })
    }

    /// The key that signs statement forms and confirmation links.
    pub async fn site_key(&self) -> StoreResult<&libres_app::statements::SiteKey> {
        self.site_key
            .get_or_try_init(|| libres_app::statements::SiteKey::load(self.staff.as_ref()))
            .await
    }

    /// Counts by country and status, recomputed only when the registry
    /// version has moved since the last time.
    pub async fn status_counts(&self) -> StoreResult<Arc<Vec<StatusCount>>> {
        let version = self.reads.version().await.ok();
        if let Some(v) = version {
            let cached = self
                .counts
                .read()
                .map(|c| c.clone())
                .unwrap_or_else(|p| p.into_inner().clone());
            if let Some((cv, counts)) = cached {
                if cv == v {
                    return Ok(counts);
                }
            }
        }
        // Published persons only: see `PersonReads::status_counts`.
        let counts = Arc::new(self.reads.status_counts(true).await?);
        if let Some(v) = version {
            // Tagged with the version read *before* counting: if a write
            // slipped in between, the next call sees a newer version and
            // counts again, so the tag can only err towards recounting.
            let entry = Some((v, Arc::clone(&counts)));
            match self.counts.write() {
                Ok(mut slot) => *slot = entry,
                Err(poisoned) => *poisoned.into_inner() = entry,
            }
        }
        Ok(counts)
    }
}
