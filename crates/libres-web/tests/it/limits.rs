//! The HTTP layer's timeouts and limits, through real sockets: slow
//! clients, idle connections, oversized bodies.

use libres_testkit::{spawn_app_with, test_options, TestApp};
use libres_web::{Limits, WebOptions};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn with_limits(limits: Limits) -> WebOptions {
    WebOptions {
        limits,
        ..test_options()
    }
}

/// Opens a connection and starts a request that never ends its head.
async fn slow_client(app: &TestApp) -> TcpStream {
    let mut s = TcpStream::connect(app.addr).await.unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: libres\r\nX-Slow: 1")
        .await
        .unwrap();
    s
}

/// Waits until the server closes `s` (end of stream, a reset, or an
/// error answer followed by either), or `deadline` passes.
async fn closed_by(s: &mut TcpStream, deadline: Instant) -> bool {
    let mut buf = [0u8; 1024];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, s.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            // hyper may answer before closing (a 408); read on to the end.
            Ok(Ok(_)) => continue,
        }
    }
}

/// Whether the server has closed `s` already, without waiting.
async fn is_closed(s: &mut TcpStream) -> bool {
    closed_by(s, Instant::now() + Duration::from_millis(1)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_slow_clients_leaves_healthz_answering_and_is_closed_after_the_header_timeout() {
    let header_timeout = Duration::from_secs(3);
    let app = spawn_app_with(with_limits(Limits {
        header_timeout,
        max_connections: 200,
        ..Limits::default()
    }))
    .await;
    // Seven times more slow clients than the server keeps connections.
    let started = Instant::now();
    let mut slow = Vec::new();
    for _ in 0..1_400 {
        slow.push(slow_client(&app).await);
    }
    let opened = started.elapsed();
    assert!(
        opened < header_timeout,
        "opening the flood took {opened:?}; the test needs it under the header timeout"
    );
    // The site answers at once, on new connections, while the flood
    // holds every place it can.
    for _ in 0..3 {
        let asked = Instant::now();
        let res = tokio::time::timeout(Duration::from_secs(2), app.get("/healthz"))
            .await
            .expect("/healthz answered within 2 s during the flood");
        assert_eq!(res.status, 200);
        assert!(asked.elapsed() < Duration::from_secs(2));
    }
    // The newest slow clients still hold their places: the header timeout
    // has not passed for them.
    let mut still_open = 0;
    for s in slow.iter_mut().rev().take(50) {
        if !is_closed(s).await {
            still_open += 1;
        }
    }
    assert!(
        still_open > 0 || started.elapsed() >= header_timeout,
        "slow clients are closed before their header timeout"
    );
    // And every one of them is closed once the header timeout has passed
    // (with a margin for a loaded machine).
    let deadline = started + header_timeout + Duration::from_secs(6);
    for (i, s) in slow.iter_mut().enumerate() {
        assert!(
            closed_by(s, deadline).await,
            "slow connection {i} still open {:?} after the flood began",
            started.elapsed()
        );
    }
    let res = app.get("/healthz").await;
    assert_eq!(res.status, 200);
}

#[tokio::test]
async fn a_connection_on_which_nothing_moves_is_closed_after_the_idle_timeout() {
    // A header timeout long enough not to interfere.
    let app = spawn_app_with(with_limits(Limits {
        header_timeout: Duration::from_secs(60),
        idle_timeout: Duration::from_millis(500),
        ..Limits::default()
    }))
    .await;
    let started = Instant::now();
    let mut s = slow_client(&app).await;
    assert!(closed_by(&mut s, started + Duration::from_secs(10)).await);
    assert!(started.elapsed() >= Duration::from_millis(500));
    // A client that keeps sending, slowly, is still cut by the header
    // timeout; one that sends its request in time is answered.
    let res = app.get("/healthz").await;
    assert_eq!(res.status, 200);
}

#[tokio::test]
async fn a_body_larger_than_the_limit_is_refused_with_413_before_it_is_read() {
    let app = spawn_app_with(with_limits(Limits {
        max_body_bytes: 64 * 1024,
        ..Limits::default()
    }))
    .await;
    let mut s = TcpStream::connect(app.addr).await.unwrap();
    // Says 100 MB, sends none of it.
    s.write_all(
        b"POST /es/ HTTP/1.1\r\nHost: libres\r\nContent-Type: text/plain\r\n\
          Content-Length: 100000000\r\n\r\n",
    )
    .await
    .unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut answer))
        .await
        .expect("answered and closed at once")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("65536 bytes"), "{answer}");
    assert!(
        answer
            .to_ascii_lowercase()
            .contains("content-security-policy:"),
        "{answer}"
    );
}

#[tokio::test]
async fn a_request_head_larger_than_the_limit_is_refused_with_431() {
    let app = libres_testkit::spawn_app().await;
    let mut s = TcpStream::connect(app.addr).await.unwrap();
    let big = "a".repeat(libres_web::MAX_HEAD_BYTES);
    let head = format!("GET /healthz HTTP/1.1\r\nHost: libres\r\nX-Big: {big}\r\n\r\n");
    // The server may stop reading (and close) before all of it is sent.
    let _ = s.write_all(head.as_bytes()).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.starts_with("HTTP/1.1 431"),
        "{}",
        &answer[..answer.len().min(200)]
    );
}
