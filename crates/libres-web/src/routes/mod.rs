//! Routes, merged in one place, and what they share: the language
//! extractor, the page frame, HTML error pages and the layers every
//! response goes through (security headers, gzip).

pub(crate) mod api;
pub(crate) mod assets;
pub(crate) mod health;
pub(crate) mod home;
pub(crate) mod persons;

use crate::error::{ErrorPage, WebError};
use crate::i18n::{Catalog, Lang};
use crate::state::SharedState;
use askama::Template;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::request::Parts;
use axum::http::{StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::Router;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::set_header::SetResponseHeaderLayer;

/// The Content-Security-Policy of every response: nothing runs, nothing
/// loads from elsewhere, and the only stylesheet is ours.
pub const CSP: &str =
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The whole application.
pub(crate) fn router(state: SharedState) -> Router {
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    Router::new()
        .merge(home::router())
        .merge(persons::router())
        .merge(api::router())
        .merge(health::router())
        .merge(assets::router())
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), html_errors))
        // Every page is compressed on every request. With the zlib-rs
        // backend (see Cargo.toml) the default level costs ~30 µs for a
        // case page; level 1 would save a third of that and make the page a
        // third larger, and bytes are what our readers pay for.
        .layer(
            CompressionLayer::new()
                .gzip(true)
                .quality(CompressionLevel::Default),
        )
        .layer(header(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::REFERRER_POLICY, "no-referrer"))
        // Inside the cache: a cached page was rendered with the banner of
        // its registry version already.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            synthetic_banner,
        ))
        // Outermost, so that a hit skips everything above and is served
        // exactly as it was first answered: compressed, with its headers.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::cache::middleware,
        ))
        .with_state(state)
}

async fn not_found() -> WebError {
    WebError::NotFound
}

/// Makes sure the synthetic-data banner follows the data: before a page
/// is rendered, asks the store whether the registry is synthetic, once per
/// registry version (see [`crate::state::SyntheticFlag`]).
async fn synthetic_banner(State(state): State<SharedState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let bare = is_api_path(path) || path.starts_with("/static/") || path == "/favicon.ico";
    if !bare {
        let version = req
            .extensions()
            .get::<crate::state::RegistryVersion>()
            .map(|v| v.0);
        if let Err(e) = state.synthetic.refresh(state.store.as_ref(), version).await {
            // The page itself will most likely fail, and say so.
            tracing::debug!(error = %e, "could not read whether the registry is synthetic");
        }
    }
    next.run(req).await
}

/// The first segment of a path: `es` for `/es/persons`.
fn first_segment(path: &str) -> &str {
    path.trim_start_matches('/').split('/').next().unwrap_or("")
}

/// Whether a path belongs to the machine-facing side (JSON, health),
/// whose errors stay as they are.
fn is_api_path(path: &str) -> bool {
    path.starts_with("/api/") || path == "/api" || path == "/healthz"
}

/// The language of a page, from the first segment of its path. An
/// unknown language is a 404, like any other unknown address.
impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Lang::from_code(first_segment(parts.uri.path())).ok_or(WebError::NotFound)
    }
}

/// A link of the language switcher.
pub(crate) struct LangLink {
    pub code: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

/// What the frame of every page (base.html) needs.
pub(crate) struct Base<'a> {
    pub lang: Lang,
    /// The data is synthetic: show the banner.
    pub demo: bool,
    pub css: &'a str,
    pub switch: Vec<LangLink>,
}

impl<'a> Base<'a> {
    /// The frame of a page at `uri`, whose path starts with a language.
    /// The switcher links the same address in the other languages,
    /// query string included.
    pub fn new(state: &'a crate::state::AppState, lang: Lang, uri: &Uri) -> Base<'a> {
        let path = uri.path();
        let rest = path.get(1 + lang.code().len()..).unwrap_or("/");
        let rest = if rest.is_empty() { "/" } else { rest };
        let query = uri.query();
        Base::with_rest(state, lang, rest, query)
    }

    fn with_rest(
        state: &'a crate::state::AppState,
        lang: Lang,
        rest: &str,
        query: Option<&str>,
    ) -> Base<'a> {
        let switch = Lang::ALL
            .iter()
            .map(|l| {
                let mut href =
                    String::with_capacity(4 + rest.len() + query.map_or(0, |q| q.len() + 1));
                href.push('/');
                href.push_str(l.code());
                href.push_str(rest);
                if let Some(q) = query {
                    href.push('?');
                    href.push_str(q);
                }
                LangLink {
                    code: l.code(),
                    name: l.native_name(),
                    href,
                    current: *l == lang,
                }
            })
            .collect();
        Base {
            lang,
            demo: state.synthetic.is_on(),
            css: &state.css_href,
            switch,
        }
    }
}

/// Renders a page, turning a template failure into a 500.
pub(crate) fn render(page: &impl Template) -> Result<Html<String>, WebError> {
    Ok(Html(page.render()?))
}

/// The error page.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorView<'a> {
    t: &'a Catalog,
    b: Base<'a>,
    status: u16,
    title: &'a str,
    message: &'a str,
}

/// Replaces the JSON body of an error response with an HTML page in the
/// reader's language: the language of the path when it has one, else the
/// one the browser asks for. API and health responses pass untouched.
pub(crate) async fn html_errors(
    State(state): State<SharedState>,
    req: Request,
    next: Next,
) -> Response {
    if is_api_path(req.uri().path()) {
        return next.run(req).await;
    }
    let uri = req.uri().clone();
    let accept = req.headers().get(header::ACCEPT_LANGUAGE).cloned();
    let res = next.run(req).await;
    let Some(page) = res.extensions().get::<ErrorPage>().copied() else {
        return res;
    };
    let status = res.status();
    let (lang, base) = match Lang::from_code(first_segment(uri.path())) {
        Some(lang) => (lang, Base::new(&state, lang, &uri)),
        None => {
            let lang = Lang::negotiate(accept.as_ref().and_then(|v| v.to_str().ok()));
            (lang, Base::with_rest(&state, lang, "/", None))
        }
    };
    let t = state.i18n.catalog(lang);
    let title_id = match status.as_u16() {
        400 => "error-title-400",
        404 => "error-title-404",
        _ => "error-title-500",
    };
    let view = ErrorView {
        t,
        b: base,
        status: status.as_u16(),
        title: t.get(title_id),
        message: t.get(page.message_id),
    };
    match view.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "error page failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}
