//! Routes, merged in one place, and the layers every response goes
//! through (the security headers).
//!
//! Two sides, each with its own layer stack:
//! - [`public`]: anonymous, cached and banner-wrapped: the pages, the read
//!   API, the health check; and the static files ([`assets`]);
//! - [`staff`]: everything under `/staff`, never cached
//!   (`Cache-Control: no-store`), each route behind the staff guard
//!   (session, permission, CSRF).
//!
//! What the HTML pages of both sides share is in [`page`]. Each
//! `x.rs` exposes `router()`; they are merged here and nowhere else.
//! Dependencies point one way: routes use the state, the cache and the
//! rest of the crate; nothing below uses routes.

pub(crate) mod assets;
pub(crate) mod page;
pub(crate) mod public;
pub(crate) mod staff;

use crate::state::SharedState;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

/// The Content-Security-Policy of every response: nothing runs, nothing
/// loads from elsewhere, and the only stylesheet is ours.
pub const CSP: &str =
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The whole application.
pub(crate) fn router(state: SharedState) -> Router {
    let public = Router::new()
        .merge(public::home::router())
        .merge(public::persons::router())
        .merge(public::figures::router())
        .merge(public::announcements::router())
        .merge(public::statements::router())
        .merge(public::api::router())
        .merge(public::export::router())
        .merge(public::health::router())
        .merge(assets::router());
    let staff = staff::router(&state);
    assemble(state, public, staff)
}

/// Puts each side in its stack, both behind the request limits, and all
/// behind the security headers.
pub(crate) fn assemble(
    state: SharedState,
    public: Router<SharedState>,
    staff: Router<SharedState>,
) -> Router {
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    public::stack(public, state.clone())
        .nest_service(staff::PREFIX, staff::stack(staff, state.clone()))
        // Extractors that read a body (forms, uploads) stop at the same
        // limit as the layer below.
        .layer(DefaultBodyLimit::max(state.limits.max_body_bytes))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::limits::middleware,
        ))
        .layer(middleware::from_fn_with_state(state, onion_location))
        // Outside both stacks, so no answer of either side can miss them,
        // a page-cache hit and a refused body included.
        .layer(header(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::REFERRER_POLICY, "no-referrer"))
}

/// The longest path and query echoed in `Onion-Location`; a longer one
/// points to the onion service's home instead.
const MAX_ONION_PATH: usize = 1024;

/// Says where the onion service serves the same address, when the site
/// has one (`--onion-location`).
async fn onion_location(State(st): State<SharedState>, req: Request, next: Next) -> Response {
    let Some(onion) = &st.onion_location else {
        return next.run(req).await;
    };
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str())
        .filter(|p| p.len() <= MAX_ONION_PATH && p.starts_with('/'))
        .unwrap_or("/");
    let value = HeaderValue::from_str(&format!("{}{path}", onion.as_str()));
    let mut res = next.run(req).await;
    if let Ok(value) = value {
        res.headers_mut()
            .insert(HeaderName::from_static("onion-location"), value);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::AppState;
    use crate::testing::fetch;
    use crate::WebOptions;
    use axum::http::{HeaderMap, StatusCode};
    use axum::routing::get;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[tokio::test]
    async fn a_staff_page_is_made_afresh_for_every_request_and_kept_nowhere() {
        let (store, _dir) = libres_testkit::temp_store().await;
        let state = AppState::new(store, WebOptions::default());
        // A page for whoever is signed in, on each side.
        let renders = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&renders);
        let whoami = move |headers: HeaderMap| {
            counter.fetch_add(1, Ordering::SeqCst);
            let who = headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("nobody")
                .to_owned();
            async move { format!("desk of {who}") }
        };
        let staff = Router::new().route("/desk", get(whoami));
        let public = Router::new().route("/en/page", get(|| async { "public page" }));
        let app = assemble(Arc::clone(&state), public, staff);

        for (i, who) in ["Bearer alice", "Bearer bob", "Bearer alice"]
            .iter()
            .enumerate()
        {
            let res = fetch(
                &app,
                "/staff/desk",
                &[("authorization", who), ("accept-encoding", "gzip")],
            )
            .await;
            assert_eq!(res.status, StatusCode::OK);
            assert_eq!(res.body, format!("desk of {who}"), "{i}");
            assert_eq!(res.header("cache-control"), Some("no-store"));
            assert_eq!(res.header("content-security-policy"), Some(CSP));
            assert_eq!(res.header("x-content-type-options"), Some("nosniff"));
            assert_eq!(res.header("referrer-policy"), Some("no-referrer"));
            assert_eq!(
                res.header("content-encoding"),
                None,
                "no gzip on staff pages"
            );
            assert_eq!(renders.load(Ordering::SeqCst), i + 1, "rendered every time");
        }
        assert_eq!(state.pages.bytes(), 0, "nothing of the staff side was kept");
        // The public side of the same application is cached, and says
        // nothing about storing.
        for _ in 0..2 {
            let res = fetch(&app, "/en/page", &[]).await;
            assert_eq!(res.body, "public page");
            assert_eq!(res.header("cache-control"), None);
            assert_eq!(res.header("content-security-policy"), Some(CSP));
        }
        assert!(state.pages.bytes() > 0, "the public page was kept");
    }
}
