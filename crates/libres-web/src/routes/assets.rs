//! `/static/style.css`, the site's only stylesheet, compiled in; and an
//! empty `/favicon.ico`, which browsers ask for on every first visit.
//!
//! Anonymous and public, but not the public pages' own: the pages of both
//! sides link the stylesheet, so its address is here, not in `public/`.

use crate::state::SharedState;
use axum::http::{header, HeaderValue};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use std::sync::LazyLock;

const CSS: &str = include_str!("../../static/style.css");

pub(crate) fn router() -> Router<SharedState> {
    Router::new()
        .route("/static/style.css", get(style))
        .route("/favicon.ico", get(favicon))
}

/// No icon: an empty answer, cached for a day, spares every first visit a
/// full 404 page (and the browser console an error).
async fn favicon() -> impl IntoResponse {
    (
        axum::http::StatusCode::NO_CONTENT,
        [(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=86400"),
        )],
    )
}

/// `/static/style.css?v=…`, the address pages link: the version changes
/// with the content, so the stylesheet can be cached for a year.
pub(crate) fn css_href() -> &'static str {
    static HREF: LazyLock<String> =
        LazyLock::new(|| format!("/static/style.css?v={:016x}", css_version()));
    &HREF
}

/// A hash of the stylesheet (FNV-1a), used as its version in links: a new
/// stylesheet gets a new address, so browsers may keep the old one for a
/// year without ever showing it with new pages.
const fn css_version() -> u64 {
    let bytes = CSS.as_bytes();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    hash
}

async fn style() -> impl IntoResponse {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
        ],
        CSS,
    )
}
