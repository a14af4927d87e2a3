//! A minimal HTTP/1.1 client: one connection per request, raw bodies.
//!
//! Raw on purpose: a test that asks for gzip gets the compressed bytes and
//! can measure what a reader would download.

use axum::body::Bytes;
use axum::http::Method;
use axum::http::{header, HeaderMap, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;

/// A response, fully read.
#[derive(Debug)]
pub struct TestResponse {
    /// Status code.
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// The body exactly as sent (compressed if the server compressed it).
    pub body: Bytes,
}

impl TestResponse {
    /// The body as text (panics if it is not UTF-8, e.g. still gzipped).
    pub fn text(&self) -> String {
        String::from_utf8(self.body.to_vec()).expect("the body is UTF-8 text")
    }

    /// The body parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("the body is not JSON ({e}): {:?}", self.body))
    }

    /// A header's value as text, if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `Content-Type` header, or "".
    pub fn content_type(&self) -> &str {
        self.header(header::CONTENT_TYPE.as_str()).unwrap_or("")
    }
}

pub(crate) async fn get(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> TestResponse {
    try_get(addr, path, headers)
        .await
        .unwrap_or_else(|e| panic!("GET http://{addr}{path}: {e}"))
}

/// Like [`get`], but a server that is not there (yet) is an error, not a
/// panic: for polling a server that is still starting.
pub(crate) async fn try_get(
    addr: SocketAddr,
    path: &str,
    headers: &[(&str, &str)],
) -> Result<TestResponse, String> {
    try_request(addr, Method::GET, path, headers, Bytes::new()).await
}

/// Sends one request with `method`, extra `headers` and `body`.
pub(crate) async fn request(
    addr: SocketAddr,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Bytes,
) -> TestResponse {
    let shown = method.clone();
    try_request(addr, method, path, headers, body)
        .await
        .unwrap_or_else(|e| panic!("{shown} http://{addr}{path}: {e}"))
}

async fn try_request(
    addr: SocketAddr,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Bytes,
) -> Result<TestResponse, String> {
    let stream = tokio::net::TcpStream::connect(addr)
        .await
        .map_err(|e| format!("connect: {e}"))?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("HTTP handshake: {e}"))?;
    let conn = tokio::spawn(conn);
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, addr.to_string());
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = req
        .body(Full::new(body))
        .map_err(|e| format!("build the request: {e}"))?;
    let res = sender
        .send_request(req)
        .await
        .map_err(|e| format!("send the request: {e}"))?;
    let (parts, body) = res.into_parts();
    let body = body
        .collect()
        .await
        .map_err(|e| format!("read the body: {e}"))?
        .to_bytes();
    drop(sender);
    // The connection task ends once the sender is gone.
    let _ = conn.await;
    Ok(TestResponse {
        status: parts.status,
        headers: parts.headers,
        body,
    })
}
