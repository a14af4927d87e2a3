//! What every handler shares: the store, the translations, the options,
//! and a short-lived cache of the registry-wide counts.

use crate::i18n::I18n;
use libres_store::{StatusCount, Store, StoreResult};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How the site is served.
#[derive(Debug, Clone)]
pub struct WebOptions {
    /// The registry is synthetic: every page then says so in a banner.
    pub demo: bool,
    /// How long the counts on the home page may be reused before the store
    /// is asked again. They are an aggregate over the whole registry, so
    /// recomputing them for every visitor would cost more than all other
    /// pages together; a few seconds of staleness is harmless.
    pub counts_ttl: Duration,
}

impl Default for WebOptions {
    fn default() -> Self {
        WebOptions {
            demo: false,
            counts_ttl: Duration::from_secs(10),
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
    counts: RwLock<Option<(Instant, Arc<Vec<StatusCount>>)>>,
    refreshing: AtomicBool,
}

/// The state as handlers receive it.
pub(crate) type SharedState = Arc<AppState>;

impl AppState {
    pub fn new(store: Arc<dyn Store>, opts: WebOptions) -> SharedState {
        Arc::new(AppState {
            store,
            i18n: I18n::load(),
            opts,
            css_href: format!(
                "/static/style.css?v={:016x}",
                crate::routes::assets::css_version()
            ),
            openapi: crate::routes::api::openapi_json().map(axum::body::Bytes::from),
            counts: RwLock::new(None),
            refreshing: AtomicBool::new(false),
        })
    }

    /// Counts by country and status, from the cache.
    ///
    /// Only the first call waits for the store. Afterwards an expired entry
    /// is still served while one background task refreshes it, so no
    /// reader ever waits for the aggregate (stale-while-revalidate). A zero
    /// `counts_ttl` turns the cache off: every call asks the store.
    pub async fn status_counts(self: &Arc<Self>) -> StoreResult<Arc<Vec<StatusCount>>> {
        if self.opts.counts_ttl.is_zero() {
            return Ok(Arc::new(self.store.status_counts().await?));
        }
        let cached = self
            .counts
            .read()
            .map(|c| c.clone())
            .unwrap_or_else(|p| p.into_inner().clone());
        match cached {
            Some((at, counts)) => {
                if at.elapsed() >= self.opts.counts_ttl
                    && !self.refreshing.swap(true, Ordering::AcqRel)
                {
                    let state = Arc::clone(self);
                    tokio::spawn(async move {
                        if let Err(e) = state.refresh_counts().await {
                            tracing::error!(error = %e, "refreshing the home-page counts failed");
                        }
                        state.refreshing.store(false, Ordering::Release);
                    });
                }
                Ok(counts)
            }
            None => self.refresh_counts().await,
        }
    }

    async fn refresh_counts(&self) -> StoreResult<Arc<Vec<StatusCount>>> {
        let counts = Arc::new(self.store.status_counts().await?);
        let entry = Some((Instant::now(), Arc::clone(&counts)));
        match self.counts.write() {
            Ok(mut slot) => *slot = entry,
            Err(poisoned) => *poisoned.into_inner() = entry,
        }
        Ok(counts)
    }
}
