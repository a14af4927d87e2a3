//! What every handler shares: the store, the translations, the options,
//! the page cache and the registry-wide counts of the current version.
//!
//! Below the routes: nothing here knows a route, a page or a layer.

use crate::cache::PageCache;
use crate::i18n::I18n;
use crate::server::Limits;
use libres_store::{PersonReads, RegistryMeta, StatusCount, Store, StoreResult};
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
}

impl Default for WebOptions {
    fn default() -> Self {
        WebOptions {
            page_cache_bytes: 64 * 1024 * 1024,
            limits: Limits::default(),
            onion_location: None,
        }
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
            reads: store,
            i18n: I18n::load(),
            pages: Arc::new(PageCache::new(opts.page_cache_bytes)),
            synthetic: SyntheticFlag::default(),
            limits: opts.limits,
            onion_location: opts.onion_location,
            counts: RwLock::new(None),
        })
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
