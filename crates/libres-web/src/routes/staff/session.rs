//! Who is asking, on the staff side: the session cookie, the CSRF token
//! bound to it, the check that a form was posted from this site, and the
//! client's address for login throttling.
//!
//! - **The cookie** holds the session token (256 random bits; the store
//!   keeps only its SHA-256). It is `HttpOnly` (no script reads it),
//!   `SameSite=Strict` (no other site's page or link sends it),
//!   `Path=/staff` (public pages never receive it), lives at most as long
//!   as a session ([`SESSIONS`]`.absolute_secs`), and is `Secure` when
//!   the site is served over HTTPS ([`crate::WebOptions::secure_cookies`]).
//!   A secure cookie is named `__Secure-libres_staff`: browsers accept a
//!   cookie of that name only with `Secure` and from an HTTPS page, so a
//!   man in the middle of a plain-HTTP request cannot plant one. The
//!   stronger `__Host-` prefix would also forbid a `Domain`, which we never
//!   set anyway, but it demands `Path=/`, which would send the staff
//!   session along with every public request; `Path=/staff` matters more.
//! - **The CSRF token** of a session is SHA-256 of a fixed label and the
//!   session token, in hex: only whoever holds the cookie can know it,
//!   every instance computes the same one without storing anything, and
//!   it differs from the hash the store keeps (so a copy of the database
//!   yields no CSRF token either). Every staff form carries it in a hidden
//!   `csrf` field, and every POST behind a session is refused without it
//!   (see `super::guard`).
//! - **Same-origin posts.** Before any session exists (the login and setup
//!   forms) there is nothing to bind a token to, so every staff POST,
//!   those included, must come from a page of this site: a browser says
//!   where a form came from in `Sec-Fetch-Site` (all current browsers) or
//!   `Origin`; a post that says it came from elsewhere is refused. A
//!   client that sends neither is not a browser a cross-site page could
//!   drive, and passes.

use crate::state::AppState;
use axum::http::header::{self, HeaderMap, HeaderValue};
use libres_core::staff::SESSIONS;
use sha2::{Digest, Sha256};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// The cookie's name when the site is served over plain HTTP.
pub(crate) const COOKIE: &str = "libres_staff";
/// Its name when the site is served over HTTPS.
pub(crate) const SECURE_COOKIE: &str = "__Secure-libres_staff";

/// The session cookie's name under these options.
pub(crate) fn cookie_name(st: &AppState) -> &'static str {
    if st.secure_cookies {
        SECURE_COOKIE
    } else {
        COOKIE
    }
}

/// The `Set-Cookie` value that opens a session in the browser.
pub(crate) fn session_cookie(st: &AppState, token: &str) -> Option<HeaderValue> {
    cookie(st, token, SESSIONS.absolute_secs)
}

/// The `Set-Cookie` value that makes the browser forget the session.
pub(crate) fn clear_cookie(st: &AppState) -> Option<HeaderValue> {
    cookie(st, "", 0)
}

fn cookie(st: &AppState, value: &str, max_age: i64) -> Option<HeaderValue> {
    let secure = if st.secure_cookies { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{}={value}; Path={}; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}",
        cookie_name(st),
        super::PREFIX
    ))
    .ok()
}

/// The session token the request's cookie holds, if any. A token is what
/// the store issued: URL-safe characters, bounded in length; anything
/// else is ignored, never sent to the store.
pub(crate) fn session_token(st: &AppState, headers: &HeaderMap) -> Option<String> {
    let name = cookie_name(st);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| is_token(v))
        .map(str::to_owned)
}

/// Whether `s` looks like a token the store issues (setup links, sessions).
pub(crate) fn is_token(s: &str) -> bool {
    (16..=128).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The CSRF token of the session whose token is `session`.
pub(crate) fn csrf_token(session: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"libres staff csrf v1\0");
    h.update(session.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two tokens in time that depends on their lengths only.
pub(crate) fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Whether a POST may have come from another site's page: its
/// `Sec-Fetch-Site` says so, or (without it) its `Origin` is not this
/// site's.
pub(crate) fn cross_site(st: &AppState, headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return !matches!(site.to_str(), Ok("same-origin" | "none"));
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return false;
    };
    let Ok(origin) = origin.to_str() else {
        return true;
    };
    let Some(origin_host) = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
    else {
        // `null` (a sandboxed or file page) and anything stranger.
        return true;
    };
    let host = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let mut ours = vec![host(header::HOST.as_str())];
    if st.trust_forwarded_for {
        ours.push(host("x-forwarded-host"));
    }
    !ours
        .into_iter()
        .flatten()
        .any(|h| h.eq_ignore_ascii_case(origin_host))
}

/// The client's address for login throttling: the peer's, or behind a
/// trusted proxy the last address of `X-Forwarded-For` (the one the proxy
/// added; those before it are whatever the client wrote). Without either
/// (a router driven in memory) the unspecified address stands in, so such
/// requests share one throttle.
pub(crate) fn client_address(
    st: &AppState,
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
) -> IpAddr {
    if st.trust_forwarded_for {
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .next_back()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok());
        if let Some(ip) = forwarded {
            return ip;
        }
    }
    peer.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |p| p.ip())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csrf_token_is_bound_to_its_session_and_is_not_the_stored_hash() {
        let a = csrf_token("session-a-0123456789abcdef");
        let b = csrf_token("session-b-0123456789abcdef");
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(a, csrf_token("session-a-0123456789abcdef"));
        let stored: String = Sha256::digest(b"session-a-0123456789abcdef")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_ne!(a, stored);
        assert!(same_token(&a, &a.clone()));
        assert!(!same_token(&a, &b));
        assert!(!same_token(&a, &a[1..]));
    }

    async fn state(trust_forwarded_for: bool) -> (crate::state::SharedState, impl Sized) {
        let (store, dir) = libres_testkit::temp_store().await;
        let opts = crate::WebOptions {
            trust_forwarded_for,
            ..crate::WebOptions::default()
        };
        (AppState::new(store, opts), dir)
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| {
                (
                    header::HeaderName::from_static(k),
                    HeaderValue::from_static(v),
                )
            })
            .collect()
    }

    #[tokio::test]
    async fn a_post_is_cross_site_when_the_browser_says_so_or_its_origin_is_not_ours() {
        let (st, _dir) = state(false).await;
        let host = ("host", "libres.example.org");
        for (pairs, cross) in [
            (vec![host], false),
            (vec![host, ("sec-fetch-site", "same-origin")], false),
            (vec![host, ("sec-fetch-site", "same-site")], true),
            (vec![host, ("sec-fetch-site", "cross-site")], true),
            (vec![host, ("origin", "https://libres.example.org")], false),
            (vec![host, ("origin", "https://evil.example")], true),
            (vec![host, ("origin", "null")], true),
            // What the browser says about the fetch wins over Origin.
            (
                vec![
                    host,
                    ("sec-fetch-site", "cross-site"),
                    ("origin", "https://libres.example.org"),
                ],
                true,
            ),
        ] {
            assert_eq!(cross_site(&st, &headers(&pairs)), cross, "{pairs:?}");
        }
    }

    #[tokio::test]
    async fn x_forwarded_for_counts_only_behind_a_trusted_proxy_and_only_its_last_address() {
        let peer: SocketAddr = "10.0.0.7:5555".parse().unwrap();
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.9")]);
        let (direct, _d1) = state(false).await;
        assert_eq!(client_address(&direct, &h, Some(peer)), peer.ip());
        let (proxied, _d2) = state(true).await;
        assert_eq!(
            client_address(&proxied, &h, Some(peer)),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
        let junk = headers(&[("x-forwarded-for", "not an address")]);
        assert_eq!(client_address(&proxied, &junk, Some(peer)), peer.ip());
        assert_eq!(
            client_address(&direct, &HeaderMap::new(), None),
            IpAddr::V4(Ipv4Addr::UNSPECIFIED)
        );
    }

    #[test]
    fn only_well_formed_tokens_are_read_from_cookies() {
        assert!(is_token("AbC-_0123456789xyzXYZ"));
        assert!(!is_token("short"));
        assert!(!is_token("has space 0123456789abcdef"));
        assert!(!is_token(&"a".repeat(129)));
    }
}
