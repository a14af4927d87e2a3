//! What the HTML pages of both sides share: the language extractor, the
//! page frame, rendering, and the middleware that turns an error into a
//! page in the reader's language.

use crate::error::{ErrorPage, WebError};
use crate::i18n::{Catalog, Lang};
use crate::state::{AppState, SharedState};
use askama::Template;
use axum::extract::{FromRequestParts, OriginalUri, Request, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::http::{StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

/// The first segment of a path: `es` for `/es/persons`.
pub(crate) fn first_segment(path: &str) -> &str {
    path.trim_start_matches('/').split('/').next().unwrap_or("")
}

/// Whether a path belongs to the machine-facing side (JSON, health),
/// whose errors stay as they are.
pub(crate) fn is_api_path(path: &str) -> bool {
    path.starts_with("/api/") || path == "/api" || path == "/healthz"
}

/// The answer to an address nothing is routed to: a 404, which
/// [`html_errors`] makes a page.
pub(crate) async fn not_found() -> WebError {
    WebError::NotFound
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
pub(crate) struct Base {
    pub lang: Lang,
    /// The data is synthetic: show the banner.
    pub demo: bool,
    pub css: &'static str,
    pub switch: Vec<LangLink>,
}

/// The longest path (after the language) or query string that a page
/// echoes in its language links. A longer one is not echoed at all (a cut
/// address would be a broken link): the links then go to the same path
/// without the query, or to the home page. Otherwise a 60,000-character
/// address would come back three times over, in any error page.
pub(crate) const MAX_ECHO: usize = 200;

impl Base {
    /// The frame of a page at `uri`, whose path starts with a language.
    /// The switcher links the same address in the other languages, query
    /// string included, each if at most [`MAX_ECHO`] bytes long.
    pub fn new(state: &AppState, lang: Lang, uri: &Uri) -> Base {
        let query = uri.query().filter(|q| q.len() <= MAX_ECHO);
        Base::with_query(state, lang, uri, query)
    }

    /// Like [`Base::new`], with the query string given: the canonical one
    /// of a page that parsed and checked its query (so it is bounded).
    pub fn with_query(state: &AppState, lang: Lang, uri: &Uri, query: Option<&str>) -> Base {
        let path = uri.path();
        let rest = path.get(1 + lang.code().len()..).unwrap_or("/");
        let rest = if rest.is_empty() || rest.len() > MAX_ECHO {
            "/"
        } else {
            rest
        };
        Base::with_rest(state, lang, rest, query)
    }

    fn with_rest(state: &AppState, lang: Lang, rest: &str, query: Option<&str>) -> Base {
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
            css: super::assets::css_href(),
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
    b: Base,
    status: u16,
    title: &'a str,
    message: &'a str,
}

/// Replaces the JSON body of an error response with an HTML page in the
/// reader's language: the language of the path when it has one, else the
/// one the browser asks for. API and health responses pass untouched.
///
/// The path is read as the client sent it ([`OriginalUri`]), not as a
/// router nested under a prefix sees it: `/staff/api/x` is a staff page,
/// not the API.
pub(crate) async fn html_errors(
    State(state): State<SharedState>,
    req: Request,
    next: Next,
) -> Response {
    let uri = match req.extensions().get::<OriginalUri>() {
        Some(OriginalUri(original)) => original.clone(),
        None => req.uri().clone(),
    };
    if is_api_path(uri.path()) {
        return next.run(req).await;
    }
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
