//! The staff side, under `/staff`: pages for one person's eyes.
//!
//! Nothing here is ever cached, by us or by anyone: every answer, a 404
//! included, says `Cache-Control: no-store`, and the staff stack has no
//! page cache and no banner check in it. The whole prefix (`/staff`,
//! `/staff/`, `/staff/…`) is handed to this stack, so an address that
//! matches no staff route is the staff side's own 404 and never reaches a
//! public layer.
//!
//! Staff routes are written relative to the prefix (`/login` answers
//! `/staff/login`), as axum does for a nested router; a handler that needs
//! the full address reads [`axum::extract::OriginalUri`].
//!
//! There are no staff pages yet: accounts, login, TOTP and CSRF arrive
//! with them, as layers of this stack.

use super::page::{html_errors, not_found};
use crate::state::SharedState;
use axum::http::header::{self, HeaderValue};
use axum::middleware;
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

/// Where the staff side lives.
pub(crate) const PREFIX: &str = "/staff";

/// The staff layer stack around `routes`, from the inside out: the staff
/// 404, HTML error pages, `Cache-Control: no-store`.
///
/// No gzip: staff pages will carry secrets (CSRF tokens) next to text the
/// client chose, which is what a compression side channel (BREACH) needs
/// to read them; and staff are few, so the bytes do not matter.
pub(crate) fn stack(routes: Router<SharedState>, state: SharedState) -> Router {
    routes
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), html_errors))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .with_state(state)
}
