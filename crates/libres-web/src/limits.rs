//! The limits every request meets inside the router, on both sides: the
//! body size and the request timeout (see [`crate::Limits`]). They are a
//! layer of the router rather than of the server so that their answers
//! carry the security headers like any other.
//!
//! Below the routes: nothing here knows a route, but for the one upload
//! route that takes a larger body (`staff::import::is_upload`).

use crate::routes::staff;
use crate::state::SharedState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Refuses a body larger than [`crate::Limits::max_body_bytes`] (at once
/// when its `Content-Length` says so, else as soon as it is read past the
/// limit), and answers `503` when the site takes longer than
/// [`crate::Limits::request_timeout`] to start its response.
pub(crate) async fn middleware(
    State(st): State<SharedState>,
    req: Request,
    next: Next,
) -> Response {
    // The staff import's upload is the one body allowed to be larger;
    // its refusal is a page, as the staff member sees it in a browser.
    let list = staff::named_lists::is_upload(req.method(), req.uri().path());
    let upload = list || staff::import::is_upload(req.method(), req.uri().path());
    let max = if list {
        staff::named_lists::max_upload_bytes(st.limits.max_upload_bytes)
    } else if upload {
        st.limits.max_upload_bytes
    } else {
        st.limits.max_body_bytes
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        return if list {
            staff::named_lists::too_large(max)
        } else if upload {
            staff::import::too_large(max)
        } else {
            too_large(max)
        };
    }
    // A body sent without a length (chunked) stops at the limit too,
    // whoever reads it.
    let req = req.map(|body| Body::new(http_body_util::Limited::new(body, max)));
    match tokio::time::timeout(st.limits.request_timeout, next.run(req)).await {
        Ok(res) => res,
        Err(_) => {
            tracing::warn!(
                timeout_s = st.limits.request_timeout.as_secs_f64(),
                "a request took too long; answered 503"
            );
            let mut res = (
                StatusCode::SERVICE_UNAVAILABLE,
                "The server took too long to answer this request. Try again in a moment.\n",
            )
                .into_response();
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            res
        }
    }
}

/// The answer to a body over the limit: `413`, saying the limit. The
/// connection is closed after it (the body is not read), so a client
/// cannot keep sending.
fn too_large(max: usize) -> Response {
    let mut res = (
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("The request body is larger than this server accepts ({max} bytes).\n"),
    )
        .into_response();
    res.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    res
}

#[cfg(test)]
mod tests {
    use crate::routes;
    use crate::state::AppState;
    use crate::testing::fetch;
    use crate::{Limits, WebOptions};
    use axum::body::Bytes;
    use axum::http::{Request, StatusCode};
    use axum::routing::{get, post};
    use axum::Router;
    use std::time::{Duration, Instant};
    use tower::ServiceExt;

    async fn app(limits: Limits) -> (Router, impl Sized) {
        let (store, dir) = libres_testkit::temp_store().await;
        let state = AppState::new(
            store,
            WebOptions {
                limits,
                ..WebOptions::default()
            },
        );
        let public = Router::new()
            .route(
                "/en/slow",
                get(|| async {
                    tokio::time::sleep(Duration::from_secs(30)).await;
                    "late"
                }),
            )
            .route(
                "/en/echo",
                post(|body: Bytes| async move { body.len().to_string() }),
            );
        (routes::assemble(state, public, Router::new()), dir)
    }

    #[tokio::test]
    async fn a_request_that_takes_too_long_is_answered_503_with_the_security_headers() {
        let (app, _dir) = app(Limits {
            request_timeout: Duration::from_millis(200),
            ..Limits::default()
        })
        .await;
        let started = Instant::now();
        let res = fetch(&app, "/en/slow", &[]).await;
        assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(res.header("retry-after"), Some("5"));
        assert_eq!(res.header("content-security-policy"), Some(crate::CSP));
    }

    #[tokio::test]
    async fn a_body_over_the_limit_is_refused_whether_or_not_it_says_its_length() {
        let (app, _dir) = app(Limits {
            max_body_bytes: 1000,
            ..Limits::default()
        })
        .await;
        let send = |body: Vec<u8>, length: Option<usize>| {
            let mut req = Request::post("/en/echo");
            if let Some(n) = length {
                req = req.header("content-length", n.to_string());
            }
            app.clone()
                .oneshot(req.body(axum::body::Body::from(body)).unwrap())
        };
        let res = send(vec![b'x'; 1000], Some(1000)).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        // Said by its length: refused before a byte is read.
        let res = send(Vec::new(), Some(10_000_000)).await.unwrap();
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(res.headers()["connection"], "close");
        assert_eq!(
            res.headers()["content-security-policy"],
            crate::CSP,
            "the security headers"
        );
        // Not said: refused when read past the limit.
        let res = send(vec![b'x'; 1001], None).await.unwrap();
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }
}
