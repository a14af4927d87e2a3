//! Gzip for the public side: each answer compressed whole, in one call.
//!
//! Every public answer is a finished body (a rendered page, a JSON
//! document, the stylesheet), so it is compressed in one call by
//! libdeflate, which compresses a whole buffer where zlib streams: at
//! the same level, a case page comes out the same size (±1%) for two
//! thirds of the CPU. Each runtime thread keeps its compressor, so
//! nothing is allocated or cleared per answer but the output.
//!
//! The level is zlib's default one (6): our readers pay for bytes. An
//! answer is compressed when the client accepts gzip (parsed as HTTP
//! says, see [`accepts_gzip`]), it is not encoded already, it is at least
//! [`MIN_BYTES`] long, and its type gains from it (not an image, except
//! SVG). Every such answer says `Vary: Accept-Encoding`, compressed or
//! not, so that a cache on the way keys on it. A body larger than
//! [`MAX_BYTES`] (none of ours) is sent as it comes, uncompressed.

use crate::cache::{buffer, Buffered};
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::cell::RefCell;

/// Smaller answers are sent as they are: gzip's own header and trailer
/// would eat what it saves.
const MIN_BYTES: usize = 32;

/// Larger bodies pass uncompressed rather than be held whole in memory.
const MAX_BYTES: usize = 4 * 1024 * 1024;

/// zlib's default level, which the site has always used.
const LEVEL: i32 = 6;

thread_local! {
    /// The compressor of this thread, made on first use (its tables take
    /// a few hundred KB).
    static COMPRESSOR: RefCell<Option<libdeflater::Compressor>> = const { RefCell::new(None) };
}

/// `body` as a gzip member.
pub(crate) fn compress(body: &[u8]) -> Vec<u8> {
    COMPRESSOR.with(|cell| {
        let mut slot = cell.borrow_mut();
        let compressor = slot.get_or_insert_with(|| {
            // LEVEL is in 0..=12, which `new` accepts.
            let level = libdeflater::CompressionLvl::new(LEVEL)
                .unwrap_or_else(|_| libdeflater::CompressionLvl::default());
            libdeflater::Compressor::new(level)
        });
        let mut out = vec![0u8; compressor.gzip_compress_bound(body.len())];
        // The bound is what libdeflate itself says suffices, so this cannot
        // fail; an empty result would be sent as is and fail loudly.
        let n = compressor.gzip_compress(body, &mut out).unwrap_or(0);
        out.truncate(n);
        out
    })
}

/// A weight (`q=0.5`) as thousandths, or `None` when malformed. Valid
/// weights are 0 to 1 with at most three decimals (RFC 9110, 12.4.2).
fn qvalue(s: &str) -> Option<u16> {
    let v = s.strip_prefix("q=").or_else(|| s.strip_prefix("Q="))?;
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let int: u16 = match int {
        "0" => 0,
        "1" => 1000,
        _ => return None,
    };
    let frac = frac
        .bytes()
        .zip([100u16, 10, 1])
        .map(|(b, f)| u16::from(b - b'0') * f)
        .sum::<u16>();
    let q = int + frac;
    (q <= 1000).then_some(q)
}

/// Whether the client accepts a gzip-encoded response: it names `gzip` or
/// `x-gzip` (in any case) with a weight above zero, and refuses it
/// nowhere. A malformed weight or an unreadable header counts as a refusal:
/// an uncompressed answer is always acceptable, a compressed one is not.
/// `*` is not taken as consent to gzip.
pub(crate) fn accepts_gzip(headers: &HeaderMap) -> bool {
    let mut accepted = false;
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else {
            return false;
        };
        for element in value.split(',') {
            let (coding, weight) = match element.split_once(';') {
                Some((c, w)) => (c.trim(), Some(w.trim())),
                None => (element.trim(), None),
            };
            if !(coding.eq_ignore_ascii_case("gzip") || coding.eq_ignore_ascii_case("x-gzip")) {
                continue;
            }
            match weight.map(qvalue) {
                None => accepted = true,
                Some(Some(q)) if q > 0 => accepted = true,
                Some(_) => return false,
            }
        }
    }
    accepted
}

/// Whether an answer with these headers would be compressed for a client
/// that takes gzip: it has a body, no coding yet, no range, and a type
/// that compresses (anything but images, SVG aside).
fn compressible(status: StatusCode, headers: &HeaderMap) -> bool {
    if status.is_informational()
        || status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED
        || headers.contains_key(header::CONTENT_ENCODING)
        || headers.contains_key(header::CONTENT_RANGE)
    {
        return false;
    }
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let image = kind.starts_with("image/") && !kind.starts_with("image/svg+xml");
    let stream = kind.starts_with("text/event-stream") || kind.starts_with("application/grpc");
    !image && !stream
}

/// The middleware.
pub(crate) async fn middleware(req: Request, next: Next) -> Response {
    let wanted = accepts_gzip(req.headers()) && req.method() != Method::HEAD;
    let mut res = next.run(req).await;
    if !compressible(res.status(), res.headers()) {
        return res;
    }
    res.headers_mut()
        .append(header::VARY, HeaderValue::from_static("accept-encoding"));
    if !wanted {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = match buffer(body, MAX_BYTES).await {
        Ok(Buffered::Whole(bytes)) => bytes,
        Ok(Buffered::TooLarge(body)) => return Response::from_parts(parts, body),
        Err(e) => {
            // The body failed midway, before anything was sent: say so
            // rather than send half a page.
            tracing::error!(error = %e, "could not read a response to compress it");
            let mut res = Response::new(Body::from("internal error"));
            *res.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            return res;
        }
    };
    if bytes.len() < MIN_BYTES {
        return Response::from_parts(parts, Body::from(bytes));
    }
    let gz = Bytes::from(compress(&bytes));
    parts
        .headers
        .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    parts
        .headers
        .insert(header::CONTENT_LENGTH, gz.len().into());
    Response::from_parts(parts, Body::from(gz))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::fetch;
    use axum::routing::get;
    use axum::Router;
    use std::io::Read;

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn what_is_compressed_reads_back_whole_on_any_thread() {
        let page = "<p>Dayami Hernández Cruz — 10 años</p>\n".repeat(200);
        let gz = compress(page.as_bytes());
        assert!(gz.len() < page.len() / 10, "{}", gz.len());
        assert_eq!(gunzip(&gz), page.as_bytes());
        // Again on this thread (the compressor is reused), and on others.
        assert_eq!(gunzip(&compress(b"")), b"");
        let threads: Vec<_> = (0..3)
            .map(|i| {
                std::thread::spawn(move || {
                    let text = format!("página {i} ").repeat(100 + i);
                    assert_eq!(gunzip(&compress(text.as_bytes())), text.as_bytes());
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(gunzip(&compress(page.as_bytes())), page.as_bytes());
    }

    #[test]
    fn gzip_acceptance_is_parsed_as_http_says() {
        let accepts = |values: &[&str]| {
            let mut h = HeaderMap::new();
            for v in values {
                h.append(header::ACCEPT_ENCODING, v.parse().unwrap());
            }
            accepts_gzip(&h)
        };
        for yes in [
            "gzip",
            "GZIP",
            "x-gzip",
            "X-Gzip;q=0.5",
            "br, gzip;q=0.8",
            "deflate , gzip ; q=1",
            "gzip;Q=0.001",
            "gzip;q=1.000",
        ] {
            assert!(accepts(&[yes]), "{yes}");
        }
        for no in [
            "",
            "identity",
            "br, deflate",
            "*",
            "gzipx",
            "gzip;q=0",
            "GZIP; q=0.000",
            "x-gzip;q=0",
            "gzip;q=0, x-gzip",
            "gzip;q=1.5",
            "gzip;q=0.0001",
            "gzip;q=abc",
            "gzip;level=1",
        ] {
            assert!(!accepts(&[no]), "{no}");
        }
        assert!(accepts(&["br", "gzip"]), "every header line counts");
        assert!(!accepts(&["gzip", "gzip;q=0"]), "a refusal anywhere wins");
        assert!(!accepts(&[]));
    }

    #[tokio::test]
    async fn only_answers_that_gain_are_compressed_and_each_says_what_it_is() {
        let page = "<h1>Presos políticos</h1>".repeat(40);
        let text = page.clone();
        let app = Router::new()
            .route(
                "/page",
                get(move || std::future::ready(axum::response::Html(text.clone()))),
            )
            .route("/tiny", get(|| async { "ok" }))
            .route(
                "/png",
                get(|| async { ([(header::CONTENT_TYPE, "image/png")], vec![7u8; 4096]) }),
            )
            .route(
                "/svg",
                get(|| async {
                    (
                        [(header::CONTENT_TYPE, "image/svg+xml")],
                        "<svg/>".repeat(50),
                    )
                }),
            )
            .route(
                "/coded",
                get(|| async { ([(header::CONTENT_ENCODING, "br")], "x".repeat(500)) }),
            )
            .layer(axum::middleware::from_fn(middleware));
        let call = |path: &'static str, accept: &'static str| {
            let app = app.clone();
            async move {
                let req = axum::http::Request::get(path)
                    .header(header::ACCEPT_ENCODING, accept)
                    .body(Body::empty())
                    .unwrap();
                let res = tower::ServiceExt::oneshot(app, req).await.unwrap();
                let headers = res.headers().clone();
                let body = axum::body::to_bytes(res.into_body(), usize::MAX)
                    .await
                    .unwrap();
                (headers, body)
            }
        };
        let (h, body) = call("/page", "gzip").await;
        assert_eq!(h["content-encoding"], "gzip");
        assert_eq!(h["vary"], "accept-encoding");
        assert_eq!(h["content-length"], body.len().to_string().as_str());
        assert_eq!(gunzip(&body), page.as_bytes());
        let (h, body) = call("/page", "br").await;
        assert!(!h.contains_key("content-encoding"));
        assert_eq!(h["vary"], "accept-encoding", "said uncompressed too");
        assert_eq!(body, page.as_bytes());
        for path in ["/tiny", "/png"] {
            let (h, _) = call(path, "gzip").await;
            assert!(!h.contains_key("content-encoding"), "{path}");
        }
        let (h, _) = call("/svg", "gzip").await;
        assert_eq!(h["content-encoding"], "gzip");
        let (h, body) = call("/coded", "gzip").await;
        assert_eq!(h["content-encoding"], "br", "never encoded twice");
        assert_eq!(body.len(), 500);
        assert!(!h.contains_key("vary"));
        // The in-memory client of the other unit tests asks for nothing.
        let plain = fetch(&app, "/page", &[]).await;
        assert_eq!(plain.body, page);
    }
}
