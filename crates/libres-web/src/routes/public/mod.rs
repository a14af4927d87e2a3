//! The public side: anonymous, cached, banner-wrapped.
//!
//! Its routes are the pages in three languages (`/{lang}/…`), the read
//! API (`/api/…`), the health check and the static files. They answer
//! anyone the same, so their answers may be kept: the page cache sits in
//! front of them (see [`crate::cache`] for what it keeps and what it
//! refuses), and every page carries the synthetic-data banner when the
//! registry is synthetic.

pub(crate) mod announcements;
pub(crate) mod api;
pub(crate) mod export;
pub(crate) mod figures;
pub(crate) mod health;
pub(crate) mod held;
pub(crate) mod home;
pub(crate) mod persons;
pub(crate) mod statements;

use super::page::{html_errors, is_api_path, not_found};
use crate::cache::{self, RegistryVersion};
use crate::gzip;
use crate::state::SharedState;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use std::sync::Arc;

/// The public layer stack around `routes`, from the inside out: the
/// public 404, HTML error pages, gzip, the banner check, the page cache.
pub(crate) fn stack(routes: Router<SharedState>, state: SharedState) -> Router {
    let pages = cache::CacheState {
        pages: Arc::clone(&state.pages),
        store: Arc::clone(&state.reads) as _,
    };
    routes
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), html_errors))
        // Every page is compressed on every request, at zlib's default
        // level: bytes are what our readers pay for (see `gzip.rs`).
        .layer(middleware::from_fn(gzip::middleware))
        // Inside the cache: a cached page was rendered with the banner of
        // its registry version already.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            synthetic_banner,
        ))
        // Outermost here, so that a hit skips everything above and is
        // served exactly as it was first answered: compressed, with its
        // headers.
        .layer(middleware::from_fn_with_state(pages, cache::middleware))
        .with_state(state)
}

/// Makes sure the synthetic-data banner follows the data: before a page
/// is rendered, asks the store whether the registry is synthetic, once per
/// registry version (see [`crate::state::SyntheticFlag`]).
async fn synthetic_banner(State(state): State<SharedState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let bare = is_api_path(path) || path.starts_with("/static/") || path == "/favicon.ico";
    if !bare {
        let version = req.extensions().get::<RegistryVersion>().map(|v| v.0);
        if let Err(e) = state.synthetic.refresh(state.reads.as_ref(), version).await {
            // The page itself will most likely fail, and say so.
            tracing::debug!(error = %e, "could not read whether the registry is synthetic");
        }
    }
    next.run(req).await
}
