//! The public face of Libres: server-rendered pages in Spanish, English and
//! Arabic, and a read-only JSON API, over any [`Store`].
//!
//! What belongs here: routing, query parsing into core types, the public
//! (redacted) view of a person, translations, templates, HTTP errors, the
//! page cache and the security headers every response carries.
//!
//! What does not: SQL or any storage detail (that is the store's job) and
//! domain rules such as status derivation (`libres-core`). Handlers are
//! thin: extract, parse, call the store, render.
//!
//! The site has two sides, each behind its own layers (`routes/`): the
//! public one, anonymous, cached and banner-wrapped; and the staff one,
//! under `/staff`, never cached, behind a session and per-route permission
//! guard with CSRF tokens: account setup, login and logout, the staff home
//! and the users page (see `routes/staff/mod.rs` and `docs/staff.md`). The
//! staff pages are in English only.
//!
//! The staff side's options are [`WebOptions::secure_cookies`] (HTTPS),
//! [`WebOptions::trust_forwarded_for`] (behind a proxy) and
//! [`WebOptions::clock`]; [`staff_routes`] lists its routes with who may
//! reach each, for the access matrix test.
//!
//! Pages use no JavaScript and load nothing from other hosts; the
//! Content-Security-Policy says so to the browser. Confidential fields,
//! confidential sources and unpublished persons are removed in one place,
//! [`public`], before any template or serializer sees the data.

mod cache;
mod error;
mod gzip;
mod i18n;
mod jobs;
mod limits;
mod locale;
mod params;
pub mod public;
mod routes;
mod server;
mod signing;
mod state;
#[cfg(test)]
mod testing;
mod uploads;

pub use error::{ErrorBody, ParamError, WebError};
pub use i18n::Lang;
pub use routes::staff::{staff_routes, Access, StaffRoute};
pub use routes::CSP;
pub use server::{serve_router, Limits, MAX_HEAD_BYTES};
pub use signing::AbuseLimits;
pub use state::{Clock, OnionLocation, WebOptions};

use axum::Router;
use libres_store::{PersonQuery, Store};
use std::net::SocketAddr;
use std::sync::Arc;

/// The whole site and API over `store`, with default options.
pub fn router(store: Arc<dyn Store>) -> Router {
    router_with(store, WebOptions::default())
}

/// The whole site and API over `store`. Translations and the OpenAPI
/// document are prepared here, once. Whether pages carry the
/// synthetic-data banner is read from the store ([`Store::is_synthetic`])
/// before the first page is rendered, and again whenever the registry
/// version moves.
pub fn router_with(store: Arc<dyn Store>, opts: WebOptions) -> Router {
    routes::router(state::AppState::new(store, opts))
}

/// Serves the site on `bind` until Ctrl-C (or SIGTERM), then lets requests
/// in flight finish, with the timeouts and limits of `opts.limits` (see
/// [`serve_router`]).
///
/// Before listening it reads from the store whether the registry is
/// synthetic (then every page says so); once listening, it builds the
/// search index in the background, so that the first reader does not wait
/// for it.
pub async fn serve(
    store: Arc<dyn Store>,
    bind: SocketAddr,
    opts: WebOptions,
) -> std::io::Result<()> {
    let state = state::AppState::new(Arc::clone(&store), opts);
    match state.uploads.prepare()? {
        0 => {}
        n => tracing::info!(
            files = n,
            "removed the import uploads a previous run left behind"
        ),
    }
    match state.synthetic.refresh(store.as_ref(), None).await {
        Ok(true) => tracing::info!("the registry holds synthetic demo data: every page says so"),
        Ok(false) => {}
        Err(e) => tracing::warn!(
            error = %e,
            "could not read whether the registry is synthetic; asking again with the first page"
        ),
    }
    let limits = state.limits.clone();
    let app = routes::router(state);
    let listener = tokio::net::TcpListener::bind(bind).await?;
    let addr = listener.local_addr()?;
    tracing::info!("listening on http://{addr}");
    tokio::spawn(warm_search_index(store));
    serve_router(listener, app, limits, shutdown_signal()).await
}

/// Runs one search, so that the store builds its in-memory name index now
/// rather than for the first reader.
async fn warm_search_index(store: Arc<dyn Store>) {
    let started = std::time::Instant::now();
    match store.search_persons(&PersonQuery::default()).await {
        Ok(_) => tracing::debug!(
            elapsed_ms = started.elapsed().as_millis(),
            "search index ready"
        ),
        Err(e) => tracing::warn!(error = %e, "could not prepare the search index"),
    }
}

/// Resolves on Ctrl-C, or on SIGTERM where there is one (service managers
/// and containers stop a server that way).
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
