//! The HTTP server: accepting connections, and the limits that keep slow
//! or hostile clients from holding the site.
//!
//! `axum::serve` sets no timeout and no limit: a client that opens a
//! connection and never finishes its request head holds a socket, a file
//! descriptor and a task for as long as it likes, and some thousands of
//! them starve everyone else. So the connections are served here, one
//! hyper HTTP/1.1 connection per task, with:
//!
//! - a **header timeout** ([`Limits::header_timeout`], hyper's): the request
//!   head must arrive whole within it, counted from the connection's
//!   opening or from the end of the previous response; it is therefore
//!   also how long a kept-alive connection may wait for its next request;
//! - an **idle timeout** ([`Limits::idle_timeout`]): a connection on which
//!   no byte has moved either way for that long is closed, whatever it is
//!   doing (a body trickling in, a reader that stopped reading);
//! - a **cap on connections** ([`Limits::max_connections`]): when it is
//!   reached, a new connection takes the place of the one that has waited
//!   longest for a request (a slow client's, most likely); when every open
//!   connection is busy with a request, the new one is closed at once.
//!   Either way the server keeps accepting, so the kernel's queue never
//!   fills and a real request is served as soon as it is sent;
//! - a bound on the request head's size ([`MAX_HEAD_BYTES`]).
//!
//! Each request carries its peer's address as axum's
//! [`ConnectInfo`]`<SocketAddr>`, for what needs the client's address
//! (throttling staff logins).
//!
//! The request timeout and the body limit are layers of the router
//! (`limits.rs`), so that their answers carry the security headers.

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify};
use tokio::task::JoinSet;
use tower::ServiceExt;

/// The largest request head (request line and headers) read, in bytes;
/// a longer one is answered `431` by hyper and the connection closed.
/// Well above any address the site makes (search texts are at most 200
/// characters) and any browser's headers.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;

/// Timeouts and limits of the HTTP layer. The defaults suit a public site
/// behind nothing, or behind a proxy or a Tor onion service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// How long a client has to send a whole request head, from the
    /// opening of the connection or the end of the previous response
    /// (so also how long a kept-alive connection waits for its next
    /// request).
    pub header_timeout: Duration,
    /// A connection on which no byte moves either way for this long is
    /// closed.
    pub idle_timeout: Duration,
    /// How long the site may take from a request's head to its response's
    /// head (reading the body included); past it the answer is `503`.
    pub request_timeout: Duration,
    /// The largest request body accepted, in bytes; a larger one is
    /// answered `413` (at once when its `Content-Length` says so).
    pub max_body_bytes: usize,
    /// The largest file a staff member may upload to import, in bytes:
    /// the upload route alone accepts a body this large (a larger one is
    /// answered `413` with a page saying so), and the import refuses a
    /// file larger than this, as `libres import --max-size` does.
    pub max_upload_bytes: usize,
    /// Connections open at once, at most.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            request_timeout: Duration::from_secs(30),
            max_body_bytes: 1024 * 1024,
            max_upload_bytes: usize::try_from(libres_app::import::DEFAULT_MAX_BYTES)
                .unwrap_or(usize::MAX),
            max_connections: 512,
        }
    }
}

/// Serves `app` on `listener` with `limits` until `shutdown` resolves;
/// then stops accepting, lets requests in flight finish, and returns when
/// every connection is closed.
pub async fn serve_router(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let limits = Arc::new(limits);
    let open = Arc::new(Connections::new(limits.max_connections));
    let (stop, stopping) = watch::channel(false);
    let mut tasks = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let tcp = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((tcp, _)) => tcp,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
            // Reap finished connections as they end, so the set stays
            // the size of what is open.
            Some(_) = tasks.join_next(), if !tasks.is_empty() => continue,
            () = &mut shutdown => break,
        };
        let Some(slot) = open.admit() else {
            // Every connection is busy with a request: this one is closed
            // unanswered, and the client may try again.
            tracing::debug!("connection limit reached; closing a new connection");
            continue;
        };
        // Pages fit in a few packets; Nagle's algorithm would only delay them.
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "could not set TCP_NODELAY");
        }
        tasks.spawn(serve_connection(
            tcp,
            app.clone(),
            Arc::clone(&limits),
            slot,
            stopping.clone(),
        ));
    }
    drop(listener);
    let _ = stop.send(true);
    while tasks.join_next().await.is_some() {}
    Ok(())
}

/// What to do when `accept` fails. A connection that failed before it was
/// accepted concerns that client only; running out of file descriptors
/// (or memory) needs a moment for connections to close.
async fn accept_failed(e: io::Error) {
    use io::ErrorKind as K;
    if matches!(
        e.kind(),
        K::ConnectionAborted | K::ConnectionReset | K::ConnectionRefused | K::Interrupted
    ) {
        return;
    }
    tracing::warn!(error = %e, "could not accept a connection; retrying in 50 ms");
    tokio::time::sleep(Duration::from_millis(50)).await;
}

/// One connection, from its first byte to its closing.
async fn serve_connection(
    tcp: TcpStream,
    app: Router,
    limits: Arc<Limits>,
    slot: Arc<Slot>,
    mut stopping: watch::Receiver<bool>,
) {
    // Handlers that need the client's address (staff login throttling)
    // read it as axum's `ConnectInfo`.
    let peer = tcp.peer_addr().ok();
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched {
        inner: tcp,
        activity: Arc::clone(&activity),
    });
    let in_service = Arc::clone(&slot);
    let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
        let app = app.clone();
        let slot = Arc::clone(&in_service);
        async move {
            slot.busy();
            let mut req = req.map(Body::new);
            if let Some(peer) = peer {
                req.extensions_mut().insert(ConnectInfo(peer));
            }
            let res = app.oneshot(req).await;
            slot.waiting();
            res
        }
    });
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_header_size(MAX_HEAD_BYTES);
    let conn = builder.serve_connection(io, service);
    tokio::pin!(conn);
    let mut graceful = false;
    loop {
        tokio::select! {
            done = conn.as_mut() => {
                if let Err(e) = done {
                    tracing::debug!(error = %e, "connection ended");
                }
                break;
            }
            // Another connection needed the place (see `Connections`).
            () = slot.evicted.notified() => break,
            () = idle(&activity, limits.idle_timeout) => {
                tracing::debug!("connection idle for too long; closing it");
                break;
            }
            changed = stopping.changed(), if !graceful => {
                // Shutting down (or the server is gone): finish the request
                // in flight, if any, then close.
                graceful = true;
                let _ = changed;
                conn.as_mut().graceful_shutdown();
            }
        }
    }
}

/// Resolves once nothing has moved on the connection for `limit`.
async fn idle(activity: &Activity, limit: Duration) {
    loop {
        let deadline = activity.last() + limit;
        if Instant::now() >= deadline {
            return;
        }
        tokio::time::sleep_until(deadline.into()).await;
    }
}

/// When a connection last moved a byte, in milliseconds from its opening.
struct Activity {
    opened: Instant,
    last_ms: AtomicU64,
}

impl Activity {
    fn new() -> Self {
        Activity {
            opened: Instant::now(),
            last_ms: AtomicU64::new(0),
        }
    }

    fn touch(&self) {
        let ms = u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    fn last(&self) -> Instant {
        self.opened + Duration::from_millis(self.last_ms.load(Ordering::Relaxed))
    }
}

/// A socket that notes when bytes move through it.
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The open connections, and which of them wait for a request (the ones
/// a new connection may take the place of, longest-waiting first).
struct Connections {
    max: usize,
    inner: Mutex<Open>,
}

#[derive(Default)]
struct Open {
    count: usize,
    next_id: u64,
    /// Connections waiting for a request head, by when they began to wait.
    waiting: BTreeMap<(Instant, u64), Arc<Notify>>,
    /// When each waiting connection began to wait, by id.
    since: HashMap<u64, Instant>,
}

impl Open {
    fn start_waiting(&mut self, id: u64, evicted: &Arc<Notify>) {
        let now = Instant::now();
        self.waiting.insert((now, id), Arc::clone(evicted));
        self.since.insert(id, now);
    }

    fn stop_waiting(&mut self, id: u64) {
        if let Some(since) = self.since.remove(&id) {
            self.waiting.remove(&(since, id));
        }
    }
}

impl Connections {
    fn new(max: usize) -> Self {
        Connections {
            max: max.max(1),
            inner: Mutex::new(Open::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Open> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A place for a new connection: a free one, or that of the connection
    /// that has waited longest for a request, which is told to close.
    /// `None` when every connection is busy with a request.
    fn admit(self: &Arc<Self>) -> Option<Arc<Slot>> {
        let mut open = self.lock();
        if open.count >= self.max {
            let ((_, oldest), evicted) = open.waiting.pop_first()?;
            open.since.remove(&oldest);
            // It closes as soon as its task runs, and leaves then.
            evicted.notify_one();
        }
        open.count += 1;
        open.next_id += 1;
        let slot = Arc::new(Slot {
            id: open.next_id,
            evicted: Arc::new(Notify::new()),
            open: Arc::clone(self),
        });
        open.start_waiting(slot.id, &slot.evicted);
        Some(slot)
    }
}

/// One connection's place among the open ones.
struct Slot {
    id: u64,
    /// Notified when another connection takes this one's place.
    evicted: Arc<Notify>,
    open: Arc<Connections>,
}

impl Slot {
    /// A request has arrived: this connection may not be displaced.
    fn busy(&self) {
        self.open.lock().stop_waiting(self.id);
    }

    /// The response is on its way: the connection waits for the next
    /// request.
    fn waiting(&self) {
        let mut open = self.open.lock();
        open.stop_waiting(self.id);
        open.start_waiting(self.id, &self.evicted);
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.open.lock();
        open.stop_waiting(self.id);
        open.count = open.count.saturating_sub(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_connection_takes_the_place_of_the_one_waiting_longest() {
        let open = Arc::new(Connections::new(2));
        let a = open.admit().unwrap();
        let b = open.admit().unwrap();
        // `a` is busy with a request, `b` waits: `b` makes way.
        a.busy();
        let c = open.admit().unwrap();
        assert_eq!(open.lock().waiting.len(), 1);
        assert!(open.lock().since.contains_key(&c.id));
        assert!(!open.lock().since.contains_key(&b.id));
        drop(b);
        // `a` and `c` busy: nobody to displace, the new one is refused.
        c.busy();
        assert!(open.admit().is_none());
        // `a` answered and waits again: it is the one to go.
        a.waiting();
        let d = open.admit().unwrap();
        assert!(!open.lock().since.contains_key(&a.id));
        drop((a, c, d));
        assert_eq!(open.lock().count, 0);
        assert!(open.lock().waiting.is_empty() && open.lock().since.is_empty());
    }
}
