//! `/healthz`: whether the server can reach its store.

use crate::state::SharedState;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

pub(crate) fn router() -> Router<SharedState> {
    Router::new().route("/healthz", get(healthz))
}

/// 200 `ok` when the store answers, 503 otherwise (with the cause logged).
async fn healthz(State(st): State<SharedState>) -> impl IntoResponse {
    let no_store = [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))];
    match st.reads.is_empty().await {
        Ok(_) => (StatusCode::OK, no_store, "ok"),
        Err(e) => {
            tracing::error!(error = %e, backend = st.reads.backend(), "health check: the store does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, no_store, "unavailable")
        }
    }
}
