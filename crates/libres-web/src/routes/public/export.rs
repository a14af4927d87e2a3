//! The public list of persons, whole, behind stable addresses:
//!
//! - `/api/v1/export/persons.csv`: the columns of `libres export
//!   --public-only` (published persons only, no confidential column),
//!   cells safe from spreadsheet formulas;
//! - `/api/v1/export/persons.ndjson`: the same persons, one JSON object a
//!   line, with the same keys (an empty cell is `null`).
//!
//! Both stream from one snapshot of the registry, a chunk at a time, so a
//! registry of any size goes out in the memory of a few chunks. At most
//! [`RUNNING`] exports run at once; another is told to come back (503 with
//! `Retry-After`), so that downloads cannot crowd out the pages.

use crate::error::WebError;
use crate::state::SharedState;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use libres_core::{Person, Status};
use libres_store::{PersonSink, StoreResult};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

pub(crate) fn router() -> Router<SharedState> {
    Router::new()
        .route("/api/v1/export/persons.csv", get(csv))
        .route("/api/v1/export/persons.ndjson", get(ndjson))
}

/// Exports running at once, at most.
const RUNNING: usize = 2;

/// Exports running now.
static RUNNING_NOW: AtomicUsize = AtomicUsize::new(0);

/// One running export's place, given back when it ends.
struct Place;

impl Place {
    fn take() -> Option<Place> {
        RUNNING_NOW
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < RUNNING).then_some(n + 1)
            })
            .ok()
            .map(|_| Place)
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        RUNNING_NOW.fetch_sub(1, Ordering::AcqRel);
    }
}

#[derive(Clone, Copy)]
enum Format {
    Csv,
    Ndjson,
}

/// Turns chunks of persons into bytes for the response.
struct Sink {
    format: Format,
    columns: Vec<&'static str>,
    tx: tokio::sync::mpsc::Sender<Bytes>,
}

#[async_trait::async_trait]
impl PersonSink for Sink {
    async fn put(&mut self, chunk: Vec<(Person, Status)>) -> StoreResult<()> {
        let rows: Vec<Vec<String>> = chunk
            .iter()
            .map(|(p, s)| libres_app::table::row(p, *s, &self.columns))
            .collect();
        let bytes = match self.format {
            Format::Csv => libres_app::statements::csv_bytes(&[], &rows),
            Format::Ndjson => {
                let mut out = Vec::new();
                for r in &rows {
                    let object: serde_json::Map<String, serde_json::Value> = self
                        .columns
                        .iter()
                        .zip(r)
                        .map(|(c, v)| {
                            let v = if v.is_empty() {
                                serde_json::Value::Null
                            } else {
                                serde_json::Value::String(v.clone())
                            };
                            ((*c).to_owned(), v)
                        })
                        .collect();
                    // A map of strings always serialises.
                    let _ = serde_json::to_writer(&mut out, &object);
                    out.push(b'\n');
                }
                out
            }
        };
        self.tx.send(Bytes::from(bytes)).await.map_err(|_| {
            libres_store::StoreError::Aborted("the client stopped reading the export".into())
        })
    }
}

async fn csv(State(st): State<SharedState>) -> Result<Response, WebError> {
    export(st, Format::Csv).await
}

async fn ndjson(State(st): State<SharedState>) -> Result<Response, WebError> {
    export(st, Format::Ndjson).await
}

async fn export(st: SharedState, format: Format) -> Result<Response, WebError> {
    let Some(place) = Place::take() else {
        let mut res = (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(crate::ErrorBody {
                error: "other downloads are running; try again in a minute".into(),
            }),
        )
            .into_response();
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
        return Ok(res);
    };
    let columns = libres_app::table::export_columns(true);
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Bytes>(4);
    if let Format::Csv = format {
        let header = libres_app::statements::csv_bytes(&columns, &[]);
        // The channel is new and empty: this cannot wait.
        let _ = tx.try_send(Bytes::from(header));
    }
    let reads = Arc::clone(&st.reads);
    tokio::spawn(async move {
        let _place = place;
        let mut sink = Sink {
            format,
            columns,
            tx,
        };
        if let Err(e) = reads.export_persons(true, &mut sink).await {
            // The body ends early: the client sees a cut file, never a
            // file that looks whole.
            tracing::warn!(error = %e, "a public export stopped");
        }
    });
    let stream = futures_util::stream::poll_fn(move |cx| {
        rx.poll_recv(cx).map(|b| b.map(Ok::<_, std::io::Error>))
    });
    let (kind, name) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "persons-public.csv"),
        Format::Ndjson => ("application/x-ndjson", "persons-public.ndjson"),
    };
    let mut res = Response::new(Body::from_stream(stream));
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    // Made afresh from the registry each time, never kept by the page
    // cache (it may be megabytes).
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}
