//! The web layer's errors and how they become responses.
//!
//! A handler returns [`WebError`]; its response carries the status code, a
//! JSON body `{"error": "..."}` (what the API answers), and an
//! [`ErrorPage`] extension. On the HTML routes a middleware
//! ([`crate::routes::page::html_errors`]) sees that extension and replaces the
//! body with a page in the reader's language, so handlers stay one `?`
//! away from either kind of answer.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use libres_store::StoreError;
use serde::Serialize;

/// A query parameter that could not be understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamError {
    /// `page` is not a whole number from 1 up (or is absurdly large).
    Page,
    /// `per_page` is not a whole number from 1 to [`crate::params::MAX_PER_PAGE`].
    PerPage,
    /// `country` is not an ISO 3166-1 alpha-2 code.
    Country,
    /// `status` is not one of the status slugs.
    Status,
    /// `q` is longer than anyone types.
    QueryTooLong,
    /// The query string is not valid percent-encoded UTF-8.
    Encoding,
}

/// Everything that can go wrong while answering a request.
#[derive(Debug)]
pub enum WebError {
    /// The request is malformed (400).
    BadRequest(ParamError),
    /// Nothing public lives at this address (404). Unknown and unpublished
    /// persons both end here, so the two cannot be told apart.
    NotFound,
    /// The store failed (500). Logged in full, shown as opaque text.
    Store(StoreError),
    /// A template failed to render (500).
    Render(askama::Error),
}

impl std::fmt::Display for WebError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WebError::BadRequest(p) => write!(f, "bad request: {}", p.english()),
            WebError::NotFound => f.write_str("not found"),
            WebError::Store(e) => write!(f, "store error: {e}"),
            WebError::Render(e) => write!(f, "template error: {e}"),
        }
    }
}

impl std::error::Error for WebError {}

impl ParamError {
    /// The translation id of the explanation shown to the reader.
    pub fn message_id(self) -> &'static str {
        match self {
            ParamError::Page => "error-bad-page",
            ParamError::PerPage => "error-bad-per-page",
            ParamError::Country => "error-bad-country",
            ParamError::Status => "error-bad-status",
            ParamError::QueryTooLong => "error-query-too-long",
            ParamError::Encoding => "error-bad-query",
        }
    }

    /// The explanation in English, for API clients.
    pub fn english(self) -> &'static str {
        match self {
            ParamError::Page => "`page` must be a whole number from 1 up",
            ParamError::PerPage => "`per_page` must be a whole number from 1 to 1000",
            ParamError::Country => "`country` must be an ISO 3166-1 alpha-2 code such as CU",
            ParamError::Status => "`status` must be one of the status slugs, e.g. detained",
            ParamError::QueryTooLong => "`q` is too long",
            ParamError::Encoding => "the query string is not valid percent-encoded UTF-8",
        }
    }
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(_) => WebError::NotFound,
            other => WebError::Store(other),
        }
    }
}

impl From<ParamError> for WebError {
    fn from(e: ParamError) -> Self {
        WebError::BadRequest(e)
    }
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> Self {
        WebError::Render(e)
    }
}

impl WebError {
    /// The one place that maps errors to HTTP status codes.
    pub fn status_code(&self) -> StatusCode {
        match self {
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::Store(_) | WebError::Render(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the error page says, as a translation id.
    fn message_id(&self) -> &'static str {
        match self {
            WebError::BadRequest(p) => p.message_id(),
            WebError::NotFound => "error-not-found",
            WebError::Store(_) | WebError::Render(_) => "error-internal",
        }
    }

    /// What the API says. Internal details never leave the server.
    fn public_message(&self) -> &'static str {
        match self {
            WebError::BadRequest(p) => p.english(),
            WebError::NotFound => "not found",
            WebError::Store(_) | WebError::Render(_) => "internal error",
        }
    }
}

/// The JSON body of every API error.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong, in English.
    pub error: String,
}

/// Marks a response as an error, for the middleware that renders HTML
/// error pages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ErrorPage {
    /// Translation id of the explanation.
    pub message_id: &'static str,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.status_code();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let mut res = (
            status,
            Json(ErrorBody {
                error: self.public_message().to_owned(),
            }),
        )
            .into_response();
        res.extensions_mut().insert(ErrorPage {
            message_id: self.message_id(),
        });
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_maps_to_its_status_code() {
        assert_eq!(WebError::BadRequest(ParamError::Page).status_code(), 400);
        assert_eq!(WebError::NotFound.status_code(), 404);
        assert_eq!(
            WebError::Store(StoreError::Other("db gone".into())).status_code(),
            500
        );
        assert_eq!(
            WebError::from(StoreError::NotFound("x".into())).status_code(),
            404
        );
    }

    #[test]
    fn internal_details_never_reach_the_client() {
        let e = WebError::Store(StoreError::Other("secret path /var/db".into()));
        assert_eq!(e.public_message(), "internal error");
    }
}
