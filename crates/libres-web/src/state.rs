//! What every handler shares: the store, the translations, the options,
//! the page cache and the registry-wide counts of the current version.

use crate::cache::PageCache;
use crate::i18n::I18n;
use libres_store::{StatusCount, Store, StoreResult};
use std::sync::{Arc, RwLock};

/// How the site is served.
#[derive(Debug, Clone)]
pub struct WebOptions {
    /// The registry is synthetic: every page then says so in a banner.
    pub demo: bool,
    /// Bytes of finished responses kept by the page cache (see
    /// `cache.rs`); 0 turns it off. Entries are valid for one registry
    /// version only, so the cache never serves a page older than the data.
    pub page_cache_bytes: usize,
}

impl Default for WebOptions {
    fn default() -> Self {
        WebOptions {
            demo: false,
            page_cache_bytes: 64 * 1024 * 1024,
        }
    }
}

/// Shared application state, behind one `Arc`.
pub(crate) struct AppState {
    pub store: Arc<dyn Store>,
    pub i18n: I18n,
    pub opts: WebOptions,
    /// `/static/style.css?v=…`: the version changes with the content, so
    /// the stylesheet can be cached for a year.
    pub css_href: String,
    /// The OpenAPI document, rendered once.
    pub openapi: Option<axum::body::Bytes>,
    /// Finished public responses, for the current registry version.
    pub pages: PageCache,
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
            store,
            i18n: I18n::load(),
            css_href: format!(
                "/static/style.css?v={:016x}",
                crate::routes::assets::css_version()
            ),
            openapi: crate::routes::api::openapi_json().map(axum::body::Bytes::from),
            pages: PageCache::new(opts.page_cache_bytes),
            counts: RwLock::new(None),
            opts,
        })
    }

    /// Counts by country and status, recomputed only when the registry
    /// version has moved since the last time.
    pub async fn status_counts(&self) -> StoreResult<Arc<Vec<StatusCount>>> {
        let version = self.store.version().await.ok();
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
        let counts = Arc::new(self.store.status_counts().await?);
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
