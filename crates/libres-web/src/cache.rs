//! A cache of whole public responses, valid for one registry version.
//!
//! Public pages change only when the registry does, and readers ask for the
//! same pages again and again (a case in the news, the list of a country).
//! So a finished response (compressed, with its headers) is kept and served
//! again as long as [`Store::version`] has not moved. Every request still
//! asks the store for its version, so a change made by any process is
//! visible on the very next request: the cache never serves a page older
//! than the registry.
//!
//! Only successful `GET`s of public pages and of the read API are kept,
//! keyed by path and query (at most [`MAX_KEY_BYTES`] of them) and by the
//! `Content-Encoding` the response actually has: `gzip` or none. A gzip
//! entry is served only to a client whose `Accept-Encoding` accepts gzip
//! (parsed as HTTP says: case-insensitive, `x-gzip` too, `q=0` refuses);
//! every other client gets the identity entry or a fresh answer. So a
//! client can never make the cache hand compressed bytes to a reader that
//! did not ask for them.
//!
//! The key says nothing about who asked, so only answers that are the same
//! for everyone may be kept. A request that carries credentials
//! (`Authorization` or `Cookie`) is neither answered from the cache nor
//! stored: its answer may be meant for that client alone. A response is
//! not stored if it sets a cookie, says `Cache-Control: private` or
//! `no-store`, or varies (`Vary`) on anything but `Accept-Encoding`, the
//! one request header the key accounts for.
//!
//! The cache is bounded in bytes, counting keys and headers as well as
//! bodies. When a new entry does not fit, the addresses used least
//! recently (served or stored) go first, both codings of each; a new
//! registry version empties it. A body larger than [`MAX_ENTRY_BYTES`] is
//! not kept: it is streamed to the client as it comes.

use crate::gzip::accepts_gzip;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::Response;
use futures_util::StreamExt;
use libres_store::RegistryMeta;
use lru::LruCache;
use std::sync::{Arc, Mutex};

/// Largest single response body the cache keeps; larger ones pass through.
const MAX_ENTRY_BYTES: usize = 256 * 1024;

/// Longest path and query string whose responses are kept. Real links are
/// far shorter; longer ones would only let a client fill the cache with
/// keys.
const MAX_KEY_BYTES: usize = 512;

/// What an entry costs beyond its key, headers and body (the map slot,
/// the allocations), counted toward the capacity.
const ENTRY_OVERHEAD: usize = 128;

/// What each header costs beyond its name and value.
const HEADER_OVERHEAD: usize = 32;

/// The content coding of a cached response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Coding {
    Identity,
    Gzip,
}

#[derive(Clone)]
struct Entry {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Entry {
    /// The bytes this entry holds under `key`, bookkeeping included.
    fn cost(&self, key: &str) -> usize {
        let headers: usize = self
            .headers
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len() + HEADER_OVERHEAD)
            .sum();
        ENTRY_OVERHEAD + key.len() + headers + self.body.len()
    }
}

/// The entries of one address, one per coding, each with its cost.
#[derive(Default)]
struct Slots {
    identity: Option<(Entry, usize)>,
    gzip: Option<(Entry, usize)>,
}

impl Slots {
    fn slot(&mut self, coding: Coding) -> &mut Option<(Entry, usize)> {
        match coding {
            Coding::Identity => &mut self.identity,
            Coding::Gzip => &mut self.gzip,
        }
    }

    fn get(&self, coding: Coding) -> Option<&Entry> {
        let slot = match coding {
            Coding::Identity => &self.identity,
            Coding::Gzip => &self.gzip,
        };
        slot.as_ref().map(|(e, _)| e)
    }

    /// The bytes both slots hold.
    fn cost(&self) -> usize {
        [&self.identity, &self.gzip]
            .into_iter()
            .flatten()
            .map(|(_, cost)| cost)
            .sum()
    }
}

struct Inner {
    version: i64,
    /// The sum of the costs of every entry.
    bytes: usize,
    /// The addresses, least recently used first. Unbounded in number: the
    /// bound is in bytes, and kept by `put`. The map hashes with std's
    /// keyed SipHash: clients choose the keys.
    entries: LruCache<String, Slots>,
}

/// The response cache. A capacity of zero turns it off.
pub(crate) struct PageCache {
    capacity: usize,
    max_entry: usize,
    inner: Mutex<Inner>,
}

impl PageCache {
    /// A cache holding at most `capacity` bytes.
    pub fn new(capacity: usize) -> Self {
        Self::with_max_entry(capacity, MAX_ENTRY_BYTES)
    }

    /// A cache holding at most `capacity` bytes, keeping no body larger
    /// than `max_entry` bytes.
    fn with_max_entry(capacity: usize, max_entry: usize) -> Self {
        PageCache {
            capacity,
            max_entry: max_entry.min(capacity),
            inner: Mutex::new(Inner {
                version: 0,
                bytes: 0,
                entries: LruCache::unbounded(),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The bytes held.
    #[cfg(test)]
    pub(crate) fn bytes(&self) -> usize {
        self.lock().bytes
    }

    /// The entry of `key` in `coding`, if it was kept for `version`. A
    /// hit makes the address the most recently used. The copy is cheap:
    /// the body is shared, only the few headers are cloned.
    fn get(&self, version: i64, key: &str, coding: Coding) -> Option<Entry> {
        let mut inner = self.lock();
        if inner.version != version {
            return None;
        }
        // `peek` first: a miss in this coding must not count as a use.
        inner.entries.peek(key)?.get(coding)?;
        inner.entries.get(key)?.get(coding).cloned()
    }

    /// Keeps `entry` for `key` in `coding` at `version`, making room by
    /// dropping the addresses used least recently.
    fn put(&self, version: i64, key: &str, coding: Coding, entry: Entry) {
        let cost = entry.cost(key);
        if cost > self.capacity {
            return;
        }
        let mut inner = self.lock();
        if inner.version != version {
            inner.entries.clear();
            inner.bytes = 0;
            inner.version = version;
        }
        // Taking the old entry out also makes the address the most
        // recently used, so it is the last to go below.
        let old = inner
            .entries
            .get_mut(key)
            .and_then(|s| s.slot(coding).take());
        if let Some((_, old_cost)) = old {
            inner.bytes -= old_cost;
        }
        // Ends: the cost fits in the capacity, and an empty cache holds 0.
        while inner.bytes + cost > self.capacity {
            let Some((_, evicted)) = inner.entries.pop_lru() else {
                break;
            };
            inner.bytes -= evicted.cost();
        }
        inner.bytes += cost;
        // The address may have gone with the evictions (it was the last).
        match inner.entries.get_mut(key) {
            Some(slots) => *slots.slot(coding) = Some((entry, cost)),
            None => {
                let mut slots = Slots::default();
                *slots.slot(coding) = Some((entry, cost));
                inner.entries.push(key.to_owned(), slots);
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

/// Whether a request carries credentials, so that its answer may depend
/// on who sent it.
fn carries_credentials(headers: &HeaderMap) -> bool {
    headers.contains_key(header::AUTHORIZATION) || headers.contains_key(header::COOKIE)
}

/// Whether a response may be kept and served to other clients: it sets
/// no cookie, does not say `Cache-Control: private` or `no-store`, and
/// varies on nothing but `Accept-Encoding` (which the key accounts for).
/// A header that cannot be read counts against it.
fn shareable(headers: &HeaderMap) -> bool {
    if headers.contains_key(header::SET_COOKIE) {
        return false;
    }
    for value in headers.get_all(header::CACHE_CONTROL) {
        let Ok(value) = value.to_str() else {
            return false;
        };
        for directive in value.split(',') {
            let name = directive
                .split_once('=')
                .map_or(directive, |(n, _)| n)
                .trim();
            if name.eq_ignore_ascii_case("private") || name.eq_ignore_ascii_case("no-store") {
                return false;
            }
        }
    }
    for value in headers.get_all(header::VARY) {
        let Ok(value) = value.to_str() else {
            return false;
        };
        for name in value.split(',').map(str::trim) {
            // `*` too: it varies on what no key can hold.
            if !name.is_empty() && !name.eq_ignore_ascii_case("accept-encoding") {
                return false;
            }
        }
    }
    true
}

/// The cache key of a request: its path and query, unless too long to keep.
fn cache_key(uri: &Uri) -> Option<&str> {
    let key = uri
        .path_and_query()
        .map_or_else(|| uri.path(), |pq| pq.as_str());
    (key.len() <= MAX_KEY_BYTES).then_some(key)
}

/// The coding a response actually has, if it is one the cache keeps.
fn response_coding(headers: &HeaderMap) -> Option<Coding> {
    let mut values = headers.get_all(header::CONTENT_ENCODING).iter();
    match (values.next(), values.next()) {
        (None, _) => Some(Coding::Identity),
        (Some(v), None) if v.as_bytes().eq_ignore_ascii_case(b"gzip") => Some(Coding::Gzip),
        _ => None,
    }
}

/// A response body, read whole if it is small enough to keep.
pub(crate) enum Buffered {
    /// The whole body, at most the limit.
    Whole(Bytes),
    /// Too large: what was read, followed by the rest as it comes.
    TooLarge(Body),
}

/// Reads `body` up to `limit` bytes. A larger body is handed back intact
/// as a stream, so it can be sent without being held in memory.
pub(crate) async fn buffer(body: Body, limit: usize) -> Result<Buffered, axum::Error> {
    let mut stream = body.into_data_stream();
    let mut chunks: Vec<Bytes> = Vec::new();
    let mut len = 0;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        len += chunk.len();
        chunks.push(chunk);
        if len > limit {
            let head = futures_util::stream::iter(chunks.into_iter().map(Ok::<_, axum::Error>));
            return Ok(Buffered::TooLarge(Body::from_stream(head.chain(stream))));
        }
    }
    Ok(Buffered::Whole(match chunks.len() {
        0 => Bytes::new(),
        1 => chunks.swap_remove(0),
        _ => {
            let mut all = Vec::with_capacity(len);
            for c in &chunks {
                all.extend_from_slice(c);
            }
            Bytes::from(all)
        }
    }))
}

/// The registry version the page cache read for a request (a request
/// extension), so that the layers below need not ask the store again.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RegistryVersion(pub i64);

/// What the middleware works with: the cache, and the store whose version
/// it follows.
#[derive(Clone)]
pub(crate) struct CacheState {
    /// The cache.
    pub pages: Arc<PageCache>,
    /// The store whose version entries are valid for.
    pub store: Arc<dyn RegistryMeta>,
}

/// The middleware: answers from the cache when it can, and keeps what it
/// can of what the rest of the stack answers.
pub(crate) async fn middleware(
    State(state): State<CacheState>,
    mut req: Request,
    next: Next,
) -> Response {
    if state.pages.capacity == 0
        || req.method() != Method::GET
        || !cacheable(req.uri().path())
        || carries_credentials(req.headers())
    {
        return next.run(req).await;
    }
    let Some(key) = cache_key(req.uri()).map(str::to_owned) else {
        return next.run(req).await;
    };
    // A store that cannot say its version cannot be cached in front of.
    let Ok(version) = state.store.version().await else {
        return next.run(req).await;
    };
    // The layers below need the version too; no need to ask again.
    req.extensions_mut().insert(RegistryVersion(version));
    let wanted = if accepts_gzip(req.headers()) {
        Coding::Gzip
    } else {
        Coding::Identity
    };
    // A client that takes gzip is served only a gzip entry: an identity
    // one would cost it bytes. (An answer too small to be compressed is
    // then rendered each time, which costs next to nothing.)
    if let Some(hit) = state.pages.get(version, &key, wanted) {
        let mut res = Response::new(Body::from(hit.body));
        *res.status_mut() = hit.status;
        *res.headers_mut() = hit.headers;
        return res;
    }
    let res = next.run(req).await;
    if res.status() != StatusCode::OK || !shareable(res.headers()) {
        return res;
    }
    // Kept under the coding it really has, whatever the client asked.
    let Some(coding) = response_coding(res.headers()) else {
        return res;
    };
    let (parts, body) = res.into_parts();
    match buffer(body, state.pages.max_entry).await {
        Ok(Buffered::Whole(bytes)) => {
            state.pages.put(
                version,
                &key,
                coding,
                Entry {
                    status: parts.status,
                    headers: parts.headers.clone(),
                    body: bytes.clone(),
                },
            );
            Response::from_parts(parts, Body::from(bytes))
        }
        Ok(Buffered::TooLarge(body)) => Response::from_parts(parts, body),
        Err(e) => {
            // The body failed midway, before anything was sent: say so
            // rather than send half a page.
            tracing::error!(error = %e, "could not read a response for the page cache");
            let mut res = Response::new(Body::from("internal error"));
            *res.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            res
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use axum::routing::get;
    use axum::Router;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn entry(n: usize) -> Entry {
        Entry {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from(vec![b'x'; n]),
        }
    }

    fn held(c: &PageCache) -> usize {
        let inner = c.lock();
        let sum = inner
            .entries
            .iter()
            .flat_map(|(k, s)| {
                [&s.identity, &s.gzip]
                    .into_iter()
                    .flatten()
                    .map(move |(e, _)| e.cost(k))
            })
            .sum::<usize>();
        assert_eq!(inner.bytes, sum, "the running total matches the entries");
        sum
    }

    /// The addresses held, least recently used first.
    fn order(c: &PageCache) -> Vec<String> {
        let inner = c.lock();
        inner.entries.iter().rev().map(|(k, _)| k.clone()).collect()
    }

    /// What `entry(10)` costs under a two-byte key such as `/a`.
    const SMALL: usize = ENTRY_OVERHEAD + 12;

    #[test]
    fn entries_live_for_one_version_only() {
        let c = PageCache::new(10_000);
        c.put(1, "/es/", Coding::Gzip, entry(10));
        assert!(c.get(1, "/es/", Coding::Gzip).is_some());
        assert!(c.get(2, "/es/", Coding::Gzip).is_none());
        c.put(2, "/en/", Coding::Gzip, entry(10));
        assert!(
            c.get(2, "/es/", Coding::Gzip).is_none(),
            "a new version empties the cache"
        );
    }

    #[test]
    fn a_gzip_entry_is_never_the_identity_entry() {
        let c = PageCache::new(10_000);
        c.put(1, "/es/", Coding::Gzip, entry(10));
        assert!(c.get(1, "/es/", Coding::Identity).is_none());
        c.put(1, "/es/", Coding::Identity, entry(20));
        assert_eq!(c.get(1, "/es/", Coding::Identity).unwrap().body.len(), 20);
        assert_eq!(c.get(1, "/es/", Coding::Gzip).unwrap().body.len(), 10);
    }

    #[test]
    fn the_cache_never_holds_more_than_its_capacity() {
        let c = PageCache::new(3 * SMALL);
        for k in ["/a", "/b", "/c", "/d"] {
            c.put(1, k, Coding::Gzip, entry(10));
            assert!(held(&c) <= c.capacity);
        }
        // Replacing an entry does not count it twice, nor push another out.
        c.put(1, "/d", Coding::Gzip, entry(10));
        c.put(1, "/d", Coding::Gzip, entry(10));
        assert_eq!(held(&c), 3 * SMALL);
        assert_eq!(order(&c), ["/b", "/c", "/d"]);
    }

    #[test]
    fn an_address_that_is_read_stays_and_the_oldest_unread_goes() {
        let c = PageCache::new(3 * SMALL);
        for k in ["/a", "/b", "/c"] {
            c.put(1, k, Coding::Gzip, entry(10));
        }
        assert!(c.get(1, "/a", Coding::Gzip).is_some());
        c.put(1, "/d", Coding::Gzip, entry(10));
        assert!(c.get(1, "/a", Coding::Gzip).is_some(), "read, so kept");
        assert!(c.get(1, "/b", Coding::Gzip).is_none(), "the oldest unread");
        assert!(c.get(1, "/c", Coding::Gzip).is_some());
        assert!(c.get(1, "/d", Coding::Gzip).is_some());
        assert_eq!(held(&c), 3 * SMALL);
    }

    #[test]
    fn a_miss_in_the_other_coding_does_not_count_as_a_use() {
        let c = PageCache::new(3 * SMALL);
        for k in ["/a", "/b", "/c"] {
            c.put(1, k, Coding::Gzip, entry(10));
        }
        assert!(c.get(1, "/a", Coding::Identity).is_none());
        c.put(1, "/d", Coding::Gzip, entry(10));
        assert!(c.get(1, "/a", Coding::Gzip).is_none());
        assert_eq!(order(&c), ["/b", "/c", "/d"]);
    }

    #[test]
    fn a_large_entry_pushes_out_only_as_many_old_ones_as_it_needs() {
        let c = PageCache::new(4 * SMALL);
        for k in ["/a", "/b", "/c", "/d"] {
            c.put(1, k, Coding::Gzip, entry(10));
        }
        // Costs two small entries.
        c.put(1, "/e", Coding::Gzip, entry(SMALL + 10));
        assert_eq!(order(&c), ["/c", "/d", "/e"]);
        assert_eq!(held(&c), 4 * SMALL);
        // Storing the other coding of an address uses it: it stays.
        c.put(1, "/c", Coding::Identity, entry(10));
        assert_eq!(order(&c), ["/e", "/c"]);
        assert!(c.get(1, "/c", Coding::Gzip).is_some());
        assert!(c.get(1, "/c", Coding::Identity).is_some());
        assert_eq!(held(&c), 4 * SMALL);
    }

    #[test]
    fn an_address_whose_slots_fill_the_cache_gives_way_to_its_new_entry() {
        let c = PageCache::new(2 * SMALL);
        c.put(1, "/a", Coding::Gzip, entry(10));
        c.put(1, "/a", Coding::Identity, entry(10));
        // Bigger than what is left once the old gzip entry is out: the
        // identity entry of the same address goes too.
        c.put(1, "/a", Coding::Gzip, entry(SMALL + 10));
        assert!(c.get(1, "/a", Coding::Identity).is_none());
        assert_eq!(c.get(1, "/a", Coding::Gzip).unwrap().body.len(), SMALL + 10);
        assert_eq!(held(&c), 2 * SMALL);
    }

    #[test]
    fn the_byte_bound_holds_whatever_the_sizes_and_the_order() {
        let capacity = 20 * SMALL;
        let c = PageCache::new(capacity);
        // A fixed pseudo-random walk (a linear congruential generator):
        // keys from a small set, sizes from nothing to a tenth of the cache,
        // both codings, reads between the writes.
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: u64| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (x >> 33) % n
        };
        let mut hits = 0;
        for _ in 0..5_000 {
            let key = format!("/k{}", next(60));
            let coding = if next(2) == 0 {
                Coding::Gzip
            } else {
                Coding::Identity
            };
            if next(3) == 0 {
                hits += usize::from(c.get(1, &key, coding).is_some());
            } else {
                let size = usize::try_from(next(capacity as u64 / 10)).unwrap();
                c.put(1, &key, coding, entry(size));
                assert!(c.get(1, &key, coding).is_some(), "just stored");
            }
            assert!(held(&c) <= capacity);
        }
        assert!(hits > 0, "the walk should read something it stored");
        assert!(held(&c) > capacity / 2, "the cache stays in use");
    }

    #[test]
    fn keys_and_headers_count_toward_the_capacity() {
        let key = "/es/persons?q=".to_owned() + &"a".repeat(400);
        let mut e = entry(1);
        e.headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(crate::routes::CSP),
        );
        let cost = e.cost(&key);
        assert_eq!(
            cost,
            ENTRY_OVERHEAD
                + key.len()
                + "content-security-policy".len()
                + crate::routes::CSP.len()
                + HEADER_OVERHEAD
                + 1
        );
        let c = PageCache::new(cost - 1);
        c.put(1, &key, Coding::Identity, e.clone());
        assert!(c.get(1, &key, Coding::Identity).is_none(), "does not fit");
        let c = PageCache::new(cost);
        c.put(1, &key, Coding::Identity, e);
        assert_eq!(held(&c), cost);
    }

    #[test]
    fn long_addresses_are_not_cached() {
        let short: Uri = "/es/persons?q=garcia".parse().unwrap();
        assert_eq!(cache_key(&short), Some("/es/persons?q=garcia"));
        let long: Uri = format!("/es/persons?q={}", "a".repeat(MAX_KEY_BYTES))
            .parse()
            .unwrap();
        assert_eq!(cache_key(&long), None);
        let edge: Uri = format!("/es/persons?q={}", "a".repeat(MAX_KEY_BYTES - 14))
            .parse()
            .unwrap();
        assert_eq!(cache_key(&edge).map(str::len), Some(MAX_KEY_BYTES));
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
    fn the_coding_of_a_response_is_read_from_its_headers() {
        let mut h = HeaderMap::new();
        assert_eq!(response_coding(&h), Some(Coding::Identity));
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        assert_eq!(response_coding(&h), Some(Coding::Gzip));
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
        assert_eq!(response_coding(&h), None);
    }

    #[tokio::test]
    async fn a_body_over_the_limit_is_streamed_whole() {
        let make = || {
            Body::from_stream(futures_util::stream::iter(
                (0..10u8).map(|i| Ok::<_, std::io::Error>(Bytes::from(vec![b'a' + i; 1000]))),
            ))
        };
        let expected: Vec<u8> = (0..10u8)
            .flat_map(|i| std::iter::repeat_n(b'a' + i, 1000))
            .collect();
        let Ok(Buffered::TooLarge(body)) = buffer(make(), 2500).await else {
            panic!("expected a stream");
        };
        let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
        assert_eq!(bytes, expected);

        let Ok(Buffered::Whole(bytes)) = buffer(make(), 10_000).await else {
            panic!("expected the whole body");
        };
        assert_eq!(bytes, expected);
    }

    /// A router with the page cache in front of `routes`, over a real
    /// (empty) store, and the guard that keeps the store alive.
    async fn cached(routes: Router) -> (Router, impl Sized) {
        let (store, dir) = libres_testkit::temp_store().await;
        let state = CacheState {
            pages: Arc::new(PageCache::new(1 << 20)),
            store,
        };
        let app = routes.layer(axum::middleware::from_fn_with_state(state, middleware));
        (app, dir)
    }

    /// GETs `path` from `app` with `headers`: the status, and the body.
    async fn fetch(app: &Router, path: &str, headers: &[(&str, &str)]) -> (StatusCode, String) {
        let answer = crate::testing::fetch(app, path, headers).await;
        (answer.status, answer.body)
    }

    #[tokio::test]
    async fn a_page_that_depends_on_credentials_never_reaches_another_client() {
        // A public, cacheable address whose page names whoever asks: the
        // bearer of a token, the holder of a session cookie, or nobody.
        let renders = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&renders);
        let whoami = move |headers: HeaderMap| {
            counter.fetch_add(1, Ordering::SeqCst);
            let who = [header::AUTHORIZATION, header::COOKIE]
                .iter()
                .find_map(|h| headers.get(h)?.to_str().ok())
                .unwrap_or("anonymous")
                .to_owned();
            async move { format!("page for {who}") }
        };
        let (app, _dir) = cached(Router::new().route("/en/whoami", get(whoami))).await;
        let alice = [("authorization", "Bearer alice")];
        let carol = [("cookie", "session=carol")];

        // The first clients carry credentials: nothing of theirs is kept.
        assert_eq!(
            fetch(&app, "/en/whoami", &alice).await.1,
            "page for Bearer alice"
        );
        assert_eq!(
            fetch(&app, "/en/whoami", &carol).await.1,
            "page for session=carol"
        );
        for _ in 0..2 {
            assert_eq!(fetch(&app, "/en/whoami", &[]).await.1, "page for anonymous");
        }
        assert_eq!(
            renders.load(Ordering::SeqCst),
            3,
            "the anonymous page was cached (so the cache is on here)"
        );
        // Now that an anonymous page is kept, clients with credentials are
        // still not handed it: their page is made for them.
        assert_eq!(
            fetch(&app, "/en/whoami", &alice).await.1,
            "page for Bearer alice"
        );
        assert_eq!(
            fetch(&app, "/en/whoami", &carol).await.1,
            "page for session=carol"
        );
        assert_eq!(fetch(&app, "/en/whoami", &[]).await.1, "page for anonymous");
        assert_eq!(renders.load(Ordering::SeqCst), 5);
    }

    #[tokio::test]
    async fn a_response_that_sets_a_cookie_is_never_served_to_another_client() {
        // An anonymous visitor is given a session of their own.
        let visitors = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&visitors);
        let welcome = move || {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            async move {
                (
                    [(header::SET_COOKIE, format!("session=visitor{n}; HttpOnly"))],
                    format!("welcome, visitor {n}"),
                )
            }
        };
        let (app, _dir) = cached(Router::new().route("/es/welcome", get(welcome))).await;
        assert_eq!(
            fetch(&app, "/es/welcome", &[]).await.1,
            "welcome, visitor 1"
        );
        assert_eq!(
            fetch(&app, "/es/welcome", &[]).await.1,
            "welcome, visitor 2"
        );
    }

    #[tokio::test]
    async fn responses_that_say_they_are_private_or_vary_on_credentials_are_not_kept() {
        let cases: [(&str, &str, &str, bool); 7] = [
            ("/en/private", "cache-control", "private", false),
            (
                "/en/private-max-age",
                "cache-control",
                "max-age=60, Private",
                false,
            ),
            ("/en/no-store", "cache-control", "no-store", false),
            ("/en/vary-cookie", "vary", "Cookie", false),
            (
                "/en/vary-authorization",
                "vary",
                "accept-encoding, authorization",
                false,
            ),
            ("/en/public", "cache-control", "public, max-age=60", true),
            ("/en/vary-encoding", "vary", "Accept-Encoding", true),
        ];
        let mut routes = Router::new();
        let mut counters = Vec::new();
        for (path, name, value, _) in cases {
            let renders = Arc::new(AtomicUsize::new(0));
            counters.push(Arc::clone(&renders));
            routes = routes.route(
                path,
                get(move || {
                    let n = renders.fetch_add(1, Ordering::SeqCst);
                    async move { ([(name, value)], format!("render {n}")) }
                }),
            );
        }
        let (app, _dir) = cached(routes).await;
        for ((path, _, value, kept), renders) in cases.iter().zip(&counters) {
            for _ in 0..2 {
                assert_eq!(fetch(&app, path, &[]).await.0, StatusCode::OK);
            }
            let expected = if *kept { 1 } else { 2 };
            assert_eq!(renders.load(Ordering::SeqCst), expected, "{path}: {value}");
        }
    }

    #[test]
    fn what_a_response_may_share_is_read_from_its_headers() {
        let shared = |headers: &[(&str, &[u8])]| {
            let mut h = HeaderMap::new();
            for (name, value) in headers {
                h.append(
                    header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                    HeaderValue::from_bytes(value).unwrap(),
                );
            }
            shareable(&h)
        };
        assert!(shared(&[]));
        assert!(shared(&[("cache-control", b"public, max-age=60")]));
        assert!(shared(&[
            ("vary", b"accept-encoding"),
            ("vary", b"Accept-Encoding, ")
        ]));
        assert!(shared(&[("cache-control", b"no-cache=\"x\", immutable")]));
        for refused in [
            &[("set-cookie", &b"a=b"[..])][..],
            &[("cache-control", b"PRIVATE")],
            &[("cache-control", b"private=\"set-cookie\"")],
            &[
                ("cache-control", b"max-age=0"),
                ("cache-control", b" no-store "),
            ],
            &[("vary", b"cookie")],
            &[("vary", b"Accept-Encoding"), ("vary", b"Authorization")],
            &[("vary", b"*")],
            &[("vary", b"accept-language")],
            &[("vary", b"\xff")],
            &[("cache-control", b"\xff")],
        ] {
            assert!(!shared(refused), "{refused:?}");
        }
    }

    #[test]
    fn only_requests_without_credentials_use_the_cache() {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip"));
        assert!(!carries_credentials(&h));
        for name in [header::AUTHORIZATION, header::COOKIE] {
            let mut with = h.clone();
            with.insert(name.clone(), HeaderValue::from_static("x"));
            assert!(carries_credentials(&with), "{name}");
        }
    }
}
