//! A cache of whole public responses, valid for one registry version.
//!
//! Public pages change only when the registry does, and readers ask for the
//! same pages again and again (a case in the news, the list of a country).
//! So a finished response (compressed, with its headers) is kept and served
//! again as long as [`Store::version`](libres_store::Store::version) has not
//! moved. Every request still asks the store for its version, so a change
//! made by any process is visible on the very next request: the cache never
//! serves a page older than the registry.
//!
//! Only successful `GET`s of public pages and of the read API are kept,
//! keyed by path, query and whether the client takes gzip. The cache is
//! bounded in bytes; when a new version arrives, or the bound is reached, it
//! starts again empty, which is simple and good enough for pages of 2 KB.

use crate::state::SharedState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::sync::Mutex;

/// Largest single response the cache keeps.
const MAX_ENTRY_BYTES: usize = 256 * 1024;

#[derive(Clone)]
struct Entry {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

#[derive(Default)]
struct Inner {
    version: i64,
    bytes: usize,
    entries: HashMap<(String, bool), Entry>,
}

/// The response cache. A capacity of zero turns it off.
pub(crate) struct PageCache {
    capacity: usize,
    inner: Mutex<Inner>,
}

impl PageCache {
    /// A cache holding at most `capacity` bytes of bodies.
    pub fn new(capacity: usize) -> Self {
        PageCache {
            capacity,
            inner: Mutex::new(Inner::default()),
        }
    }

    fn get(&self, version: i64, key: &(String, bool)) -> Option<Entry> {
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if inner.version != version {
            return None;
        }
        inner.entries.get(key).cloned()
    }

    fn put(&self, version: i64, key: (String, bool), entry: Entry) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if inner.version != version || inner.bytes + entry.body.len() > self.capacity {
            inner.entries.clear();
            inner.bytes = 0;
            inner.version = version;
        }
        if entry.body.len() <= self.capacity {
            inner.bytes += entry.body.len();
            if let Some(old) = inner.entries.insert(key, entry) {
                inner.bytes -= old.body.len();
            }
        }
    }
}

/// Whether responses to `path` may be cached: public pages and the read
/// API. Health checks, the root redirect (it depends on Accept-Language)
/// and static files (they have their own long cache headers) are not.
fn cacheable(path: &str) -> bool {
    ["/es/", "/en/", "/ar/", "/api/v1/"]
        .iter()
        .any(|p| path.starts_with(p))
}

fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(',').any(|t| t.trim().starts_with("gzip")))
}

/// The middleware: answers from the cache when it can, and keeps what it
/// can of what the rest of the stack answers.
pub(crate) async fn middleware(
    State(state): State<SharedState>,
    req: Request,
    next: Next,
) -> Response {
    if state.pages.capacity == 0 || req.method() != Method::GET || !cacheable(req.uri().path()) {
        return next.run(req).await;
    }
    // A store that cannot say its version cannot be cached in front of.
    let Ok(version) = state.store.version().await else {
        return next.run(req).await;
    };
    let key = (
        req.uri()
            .path_and_query()
            .map_or_else(|| req.uri().path().to_owned(), |pq| pq.as_str().to_owned()),
        accepts_gzip(req.headers()),
    );
    if let Some(hit) = state.pages.get(version, &key) {
        let mut res = Response::new(Body::from(hit.body));
        *res.status_mut() = hit.status;
        *res.headers_mut() = hit.headers;
        return res;
    }
    let res = next.run(req).await;
    if res.status() != StatusCode::OK {
        return res;
    }
    let (parts, body) = res.into_parts();
    match axum::body::to_bytes(body, MAX_ENTRY_BYTES).await {
        Ok(bytes) => {
            state.pages.put(
                version,
                key,
                Entry {
                    status: parts.status,
                    headers: parts.headers.clone(),
                    body: bytes.clone(),
                },
            );
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(e) => {
            // Too large to keep, or the body failed midway: the response is
            // lost either way, so say so rather than send half a page.
            tracing::error!(error = %e, "could not buffer a response for the page cache");
            let mut res = Response::new(Body::from("internal error"));
            *res.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            res
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: usize) -> Entry {
        Entry {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from(vec![b'x'; n]),
        }
    }

    fn key(s: &str) -> (String, bool) {
        (s.to_owned(), true)
    }

    #[test]
    fn entries_live_for_one_version_only() {
        let c = PageCache::new(1000);
        c.put(1, key("/es/"), entry(10));
        assert!(c.get(1, &key("/es/")).is_some());
        assert!(c.get(2, &key("/es/")).is_none());
        c.put(2, key("/en/"), entry(10));
        assert!(
            c.get(2, &key("/es/")).is_none(),
            "a new version empties the cache"
        );
    }

    #[test]
    fn the_cache_never_holds_more_than_its_capacity() {
        let c = PageCache::new(25);
        c.put(1, key("/a"), entry(10));
        c.put(1, key("/b"), entry(10));
        c.put(1, key("/c"), entry(10));
        let inner = c.inner.lock().unwrap();
        assert!(inner.bytes <= 25);
        assert_eq!(
            inner.bytes,
            inner.entries.values().map(|e| e.body.len()).sum::<usize>()
        );
    }

    #[test]
    fn only_public_pages_and_the_read_api_are_cacheable() {
        assert!(cacheable("/es/persons/CU-1"));
        assert!(cacheable("/api/v1/persons"));
        assert!(!cacheable("/"));
        assert!(!cacheable("/healthz"));
        assert!(!cacheable("/static/style.css"));
        assert!(!cacheable("/fr/"));
    }

    #[test]
    fn gzip_is_recognised_in_accept_encoding() {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, "br, gzip;q=0.8".parse().unwrap());
        assert!(accepts_gzip(&h));
        h.insert(header::ACCEPT_ENCODING, "identity".parse().unwrap());
        assert!(!accepts_gzip(&h));
    }
}
