//! The staff side, under `/staff`: pages for one person's eyes.
//!
//! Nothing here is ever cached, by us or by anyone: every answer, a 404
//! included, says `Cache-Control: no-store`, and the staff stack has no
//! page cache and no banner check in it. The whole prefix (`/staff`,
//! `/staff/`, `/staff/…`) is handed to this stack, so an address that
//! matches no staff route is the staff side's own 404 and never reaches a
//! public layer.
//!
//! Staff routes are written relative to the prefix (`/login` answers
//! `/staff/login`), as axum does for a nested router; a handler that needs
//! the full address reads [`axum::extract::OriginalUri`].
//!
//! **Every route is declared once, in [`table`], with its [`Access`]**,
//! and the router puts each behind [`guard`], which enforces it:
//!
//! - every POST must come from a page of this site (`Sec-Fetch-Site` or
//!   `Origin`, see [`session`]);
//! - [`Access::Anyone`] (login, setup) stops there;
//! - otherwise the session cookie must name an open session of an enabled
//!   account ([`libres_store::StaffStore::session`], which reads the role
//!   afresh on every request), or the answer is `303` to the login page;
//! - [`Access::Can`] then asks the role (`role.can(permission)`), or `403`;
//! - a POST must carry the session's CSRF token in its `csrf` field, or
//!   `403` (a multipart upload's field is checked by the one extractor
//!   that reads its body, `import::CheckedUpload`);
//! - the handler then finds the staff member in the request, as the
//!   [`Staff`] extractor.
//!
//! [`staff_routes`] lists the table for the access matrix test, which
//! fails when a route is added without its row. A new staff page (persons,
//! events, sources, imports, history) is a new row of [`table`] with the
//! permission it needs, and a handler that takes [`Staff`].
//!
//! The staff pages are in English only: staff are few and work in it, and
//! three catalogues of administrative wording would cost more than they
//! give today. Their templates are under `templates/staff/`.

mod announcements;
mod auth;
mod cases;
mod home;
pub(crate) mod import;
pub(crate) mod named_lists;
mod persons;
pub(crate) mod session;
mod statements;
mod users;

use super::page::not_found;
use crate::error::{ErrorPage, WebError};
use crate::state::{AppState, SharedState};
use askama::Template;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use libres_core::Permission;
use libres_store::StaffUser;
use std::sync::Arc;
use tower_http::set_header::SetResponseHeaderLayer;

/// Where the staff side lives.
pub(crate) const PREFIX: &str = "/staff";

/// Who may reach a staff route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not: the login and setup pages.
    Anyone,
    /// Any staff member with an open session, whatever the role.
    SignedIn,
    /// A staff member whose role may do this.
    Can(Permission),
}

/// One staff route, as [`staff_routes`] lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRoute {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The full path pattern, e.g. `/staff/setup/{token}`.
    pub path: String,
    /// Who may reach it.
    pub access: Access,
}

/// Every staff route: method, path under the prefix, access, handler.
/// The one list the router is built from.
fn table() -> Vec<(Method, &'static str, Access, MethodRouter<SharedState>)> {
    use Access::{Anyone, Can, SignedIn};
    vec![
        (Method::GET, "/login", Anyone, get(auth::login_page)),
        (Method::POST, "/login", Anyone, post(auth::login)),
        (Method::GET, "/setup/{token}", Anyone, get(auth::setup_page)),
        (Method::POST, "/setup/{token}", Anyone, post(auth::setup)),
        (Method::GET, "/", SignedIn, get(home::home)),
        (Method::POST, "/logout", SignedIn, post(auth::logout)),
        (
            Method::POST,
            "/logout-everywhere",
            SignedIn,
            post(auth::logout_everywhere),
        ),
        (
            Method::GET,
            "/users",
            Can(Permission::ManageUsers),
            get(users::list),
        ),
        (
            Method::POST,
            "/users",
            Can(Permission::ManageUsers),
            post(users::add),
        ),
        (
            Method::POST,
            "/users/role",
            Can(Permission::ManageUsers),
            post(users::set_role),
        ),
        (
            Method::POST,
            "/users/disable",
            Can(Permission::ManageUsers),
            post(users::disable),
        ),
        (
            Method::POST,
            "/users/reset",
            Can(Permission::ManageUsers),
            post(users::reset),
        ),
        (
            Method::POST,
            "/users/logout",
            Can(Permission::ManageUsers),
            post(users::logout_user),
        ),
        (
            Method::GET,
            "/persons",
            Can(Permission::ReadRegistry),
            get(persons::list),
        ),
        (
            Method::GET,
            "/persons/new",
            Can(Permission::EditCases),
            get(persons::new_page),
        ),
        (
            Method::POST,
            "/persons/new",
            Can(Permission::EditCases),
            post(persons::create),
        ),
        (
            Method::GET,
            "/persons/{id}",
            Can(Permission::ReadRegistry),
            get(persons::show),
        ),
        (
            Method::GET,
            "/persons/{id}/edit",
            Can(Permission::EditCases),
            get(persons::edit_page),
        ),
        (
            Method::POST,
            "/persons/{id}/edit",
            Can(Permission::EditCases),
            post(persons::edit),
        ),
        (
            Method::POST,
            "/persons/{id}/events",
            Can(Permission::EditCases),
            post(persons::add_event),
        ),
        (
            Method::POST,
            "/persons/{id}/detentions",
            Can(Permission::EditCases),
            post(cases::add_detention),
        ),
        (
            Method::GET,
            "/persons/{id}/detentions/{key}/edit",
            Can(Permission::EditCases),
            get(cases::edit_detention_page),
        ),
        (
            Method::POST,
            "/persons/{id}/detentions/{key}/edit",
            Can(Permission::EditCases),
            post(cases::edit_detention),
        ),
        (
            Method::GET,
            "/persons/{id}/events/{key}/edit",
            Can(Permission::EditCases),
            get(cases::edit_event_page),
        ),
        (
            Method::POST,
            "/persons/{id}/events/{key}/edit",
            Can(Permission::EditCases),
            post(cases::edit_event),
        ),
        (
            Method::GET,
            "/persons/{id}/events/{key}/delete",
            Can(Permission::EditCases),
            get(cases::delete_event_page),
        ),
        (
            Method::POST,
            "/persons/{id}/events/{key}/delete",
            Can(Permission::EditCases),
            post(cases::delete_event),
        ),
        (
            Method::GET,
            "/persons/{id}/detentions/{key}/delete",
            Can(Permission::EditCases),
            get(cases::delete_detention_page),
        ),
        (
            Method::POST,
            "/persons/{id}/detentions/{key}/delete",
            Can(Permission::EditCases),
            post(cases::delete_detention),
        ),
        (
            Method::GET,
            "/sources",
            Can(Permission::ReadRegistry),
            get(cases::sources),
        ),
        (
            Method::GET,
            "/sources/new",
            Can(Permission::EditSources),
            get(cases::new_source_page),
        ),
        (
            Method::POST,
            "/sources",
            Can(Permission::EditSources),
            post(cases::add_source),
        ),
        (
            Method::GET,
            "/sources/{key}/edit",
            Can(Permission::EditSources),
            get(cases::edit_source_page),
        ),
        (
            Method::POST,
            "/sources/{key}/edit",
            Can(Permission::EditSources),
            post(cases::edit_source),
        ),
        (
            Method::GET,
            "/sources/{key}/delete",
            Can(Permission::EditSources),
            get(cases::delete_source_page),
        ),
        (
            Method::POST,
            "/sources/{key}/delete",
            Can(Permission::EditSources),
            post(cases::delete_source),
        ),
        (
            Method::GET,
            "/announcements",
            Can(Permission::ReadRegistry),
            get(announcements::list),
        ),
        (
            Method::GET,
            "/announcements/new",
            Can(Permission::Publish),
            get(announcements::new_page),
        ),
        (
            Method::POST,
            "/announcements/new",
            Can(Permission::Publish),
            post(announcements::create),
        ),
        (
            Method::GET,
            "/announcements/{id}/edit",
            Can(Permission::Publish),
            get(announcements::edit_page),
        ),
        (
            Method::POST,
            "/announcements/{id}/edit",
            Can(Permission::Publish),
            post(announcements::edit),
        ),
        (
            Method::GET,
            "/announcements/{id}/delete",
            Can(Permission::Publish),
            get(announcements::delete_page),
        ),
        (
            Method::POST,
            "/announcements/{id}/delete",
            Can(Permission::Publish),
            post(announcements::delete),
        ),
        (
            Method::GET,
            "/announcements/{id}/names",
            Can(Permission::ReadRegistry),
            get(named_lists::names),
        ),
        (
            Method::POST,
            "/announcements/{id}/names",
            Can(Permission::Publish),
            post(named_lists::set_names),
        ),
        (
            Method::POST,
            "/announcements/{id}/names/upload",
            Can(Permission::Publish),
            post(named_lists::upload),
        ),
        (
            Method::POST,
            "/announcements/{id}/names/decide",
            Can(Permission::Publish),
            post(named_lists::decide_checked),
        ),
        (
            Method::POST,
            "/announcements/{id}/names/{name}",
            Can(Permission::Publish),
            post(named_lists::decide),
        ),
        (
            Method::GET,
            "/statements",
            Can(Permission::ReadRegistry),
            get(statements::list),
        ),
        (
            Method::GET,
            "/statements/new",
            Can(Permission::Publish),
            get(statements::new_page),
        ),
        (
            Method::POST,
            "/statements/new",
            Can(Permission::Publish),
            post(statements::create),
        ),
        (
            Method::GET,
            "/statements/{id}/edit",
            Can(Permission::Publish),
            get(statements::edit_page),
        ),
        (
            Method::POST,
            "/statements/{id}/edit",
            Can(Permission::Publish),
            post(statements::edit),
        ),
        (
            Method::GET,
            "/statements/{id}/signatures",
            Can(Permission::ReadRegistry),
            get(statements::signatures),
        ),
        (
            Method::POST,
            "/statements/{id}/signatures/moderate",
            Can(Permission::Publish),
            post(statements::moderate),
        ),
        (
            Method::POST,
            "/statements/{id}/signatures/{sig}/link",
            Can(Permission::Publish),
            post(statements::link),
        ),
        (
            Method::GET,
            "/statements/{id}/signatures.csv",
            Can(Permission::ReadRegistry),
            get(statements::export_csv),
        ),
        (
            Method::GET,
            "/statements/{id}/signatures.xlsx",
            Can(Permission::ReadRegistry),
            get(statements::export_xlsx),
        ),
        (
            Method::GET,
            "/import",
            Can(Permission::Import),
            get(import::page),
        ),
        (
            Method::POST,
            "/import",
            Can(Permission::Import),
            // The site-wide limit is raised for this route alone (see
            // `limits.rs`), and the body is read as it streams in.
            post(import::upload).layer(axum::extract::DefaultBodyLimit::disable()),
        ),
        (
            Method::POST,
            "/import/apply",
            Can(Permission::Import),
            post(import::apply),
        ),
        (
            Method::GET,
            "/import/jobs/{token}",
            Can(Permission::Import),
            get(import::job),
        ),
    ]
}

/// Every staff route with its access, full paths (`/staff/…`): what the
/// access matrix test checks its table against.
pub fn staff_routes() -> Vec<StaffRoute> {
    table()
        .into_iter()
        .map(|(method, path, access, _)| StaffRoute {
            method: if method == Method::POST {
                "POST"
            } else {
                "GET"
            },
            path: format!("{PREFIX}{path}"),
            access,
        })
        .collect()
}

/// The staff routes, each behind its guard.
pub(crate) fn router(state: &SharedState) -> Router<SharedState> {
    table()
        .into_iter()
        .fold(Router::new(), |router, (_, path, access, handler)| {
            let guarded = handler.route_layer(middleware::from_fn_with_state(
                (Arc::clone(state), access),
                guard,
            ));
            router.route(path, guarded)
        })
}

/// The staff layer stack around `routes`, from the inside out: the staff
/// 404, error pages in the staff frame, `Cache-Control: no-store`.
///
/// No gzip: staff pages carry secrets (CSRF tokens, setup links, recovery
/// codes) next to text the client chose, which is what a compression side
/// channel (BREACH) needs to read them; and staff are few, so the bytes do
/// not matter.
pub(crate) fn stack(routes: Router<SharedState>, state: SharedState) -> Router {
    routes
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), staff_errors))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .with_state(state)
}

/// Turns an error answer (a 404, a store failure, a method the address
/// does not take) into a page of the staff frame, in English like every
/// staff page, with the status kept (and `Allow` on a `405`).
async fn staff_errors(State(st): State<SharedState>, req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    let message = match res.extensions().get::<ErrorPage>() {
        Some(page) => st.i18n.catalog(crate::i18n::Lang::En).get(page.message_id).to_owned(),
        None if status == StatusCode::METHOD_NOT_ALLOWED => {
            "This address does not take this kind of request. Use the links and forms of the staff pages.".to_owned()
        }
        None => return res,
    };
    let title = match status.as_u16() {
        400 => "Bad request",
        404 => "Page not found",
        405 => "Not allowed here",
        _ => "Something went wrong",
    };
    let mut page = refusal(status, title, &message);
    if let Some(allow) = res.headers().get(header::ALLOW) {
        page.headers_mut().insert(header::ALLOW, allow.clone());
    }
    page
}

/// The staff member behind a request, as [`guard`] found them: who they
/// are, their role read now, and their session's token and CSRF token.
#[derive(Debug, Clone)]
pub(crate) struct Staff {
    pub user: StaffUser,
    /// The session token (what `logout` ends).
    pub token: String,
    /// The CSRF token every form of this session's pages carries.
    pub csrf: String,
}

/// Handlers of [`Access::SignedIn`] and [`Access::Can`] routes take the
/// staff member as an argument. Their guard has put them in the request;
/// a handler mounted without one answers a redirect to the login page
/// rather than serve an anonymous visitor.
impl<S: Send + Sync> FromRequestParts<S> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        if parts.extensions.get::<import::Unchecked>().is_some() {
            // A multipart body whose CSRF field nobody checked: only an
            // upload route reads one (see `import::CheckedUpload`).
            return Err(refusal(
                StatusCode::BAD_REQUEST,
                "Form refused",
                "This form does not take a file. Go back, reload the page, and send it again.",
            ));
        }
        parts
            .extensions
            .get::<Staff>()
            .cloned()
            .ok_or_else(|| to_login(None))
    }
}

/// Enforces a route's [`Access`] (see the module's documentation).
async fn guard(
    State((st, access)): State<(SharedState, Access)>,
    req: Request,
    next: Next,
) -> Response {
    let is_post = req.method() == Method::POST;
    if is_post && session::cross_site(&st, req.headers()) {
        return refusal(
            StatusCode::FORBIDDEN,
            "Form refused",
            "This form was sent from another site. Open the page on this site and send it again.",
        );
    }
    let permission = match access {
        Access::Anyone => return next.run(req).await,
        Access::SignedIn => None,
        Access::Can(p) => Some(p),
    };
    let Some(token) = session::session_token(&st, req.headers()) else {
        return to_login(None);
    };
    let user = match st.staff.session(&token, st.clock.now()).await {
        Ok(Some(user)) => user,
        // Ended, expired, or its account is disabled or gone.
        Ok(None) => return to_login(session::clear_cookie(&st)),
        Err(e) => return WebError::from(e).into_response(),
    };
    if let Some(p) = permission {
        if !user.role.can(p) {
            return refusal(
                StatusCode::FORBIDDEN,
                "Not allowed",
                &format!(
                    "Your role ({}) does not allow this page or action. An administrator can change your role.",
                    user.role
                ),
            );
        }
    }
    let csrf = session::csrf_token(&token);
    let mut req = req;
    if is_post && import::is_multipart(req.headers()) {
        // A file upload carries its CSRF token in its multipart body,
        // which only the handler reads: it finds the staff member as
        // `import::Unchecked`, never as `Staff`, and the one extractor
        // that reads the body (`import::CheckedUpload`) checks the token
        // first.
        let unchecked = import::Unchecked(Staff { user, token, csrf });
        req.extensions_mut().insert(unchecked);
        return next.run(req).await;
    }
    if is_post {
        req = match checked_form(&st, req, &csrf).await {
            Ok(req) => req,
            Err(res) => return res,
        };
    }
    req.extensions_mut().insert(Staff { user, token, csrf });
    next.run(req).await
}

/// Reads a form's body and checks its CSRF field against the session's,
/// giving back the request with the same body for its handler.
#[allow(clippy::result_large_err)]
async fn checked_form(st: &AppState, req: Request, csrf: &str) -> Result<Request, Response> {
    #[derive(serde::Deserialize)]
    struct CsrfField {
        csrf: Option<String>,
    }
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, st.limits.max_body_bytes).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return Err(refusal(
                StatusCode::PAYLOAD_TOO_LARGE,
                "Form too large",
                "This form sent more than the site accepts.",
            ))
        }
    };
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let sent = is_form
        .then(|| serde_urlencoded::from_bytes::<CsrfField>(&bytes).ok())
        .flatten()
        .and_then(|f| f.csrf);
    match sent {
        Some(sent) if session::same_token(&sent, csrf) => {
            Ok(Request::from_parts(parts, Body::from(bytes)))
        }
        _ => Err(refusal(
            StatusCode::FORBIDDEN,
            "Form expired",
            "This form did not carry this session's security token: it is from an older session, from another page, or not from this site. Go back, reload the page, and send it again.",
        )),
    }
}

/// `303` to the login page, making the browser forget a dead session's
/// cookie when there was one.
fn to_login(clear: Option<HeaderValue>) -> Response {
    let mut res = Redirect::to(&format!("{PREFIX}/login")).into_response();
    if let Some(clear) = clear {
        res.headers_mut().insert(header::SET_COOKIE, clear);
    }
    res
}

/// What the frame of every staff page needs.
pub(crate) struct StaffBase {
    pub css: &'static str,
    /// Who is signed in, if anyone.
    pub who: Option<StaffUser>,
    /// The CSRF token for the frame's log-out button.
    pub csrf: String,
}

impl StaffBase {
    /// The frame of a page nobody is signed in to.
    pub fn anonymous() -> StaffBase {
        StaffBase {
            css: super::assets::css_href(),
            who: None,
            csrf: String::new(),
        }
    }

    /// The frame of a signed-in staff member's page.
    pub fn of(staff: &Staff) -> StaffBase {
        StaffBase {
            css: super::assets::css_href(),
            who: Some(staff.user.clone()),
            csrf: staff.csrf.clone(),
        }
    }
}

/// Records in the audit log that `staff` read something with
/// confidential fields or unpublished persons in it (a record, a list):
/// the log answers who saw what, never with the values seen. A read that
/// cannot be recorded is not served.
pub(crate) async fn audit_read(
    st: &SharedState,
    staff: &Staff,
    action: &str,
    target: &str,
    details: serde_json::Value,
) -> Result<(), WebError> {
    let event = libres_store::AuditEvent {
        actor: staff.user.email.as_str(),
        action,
        target,
        details,
    };
    st.staff.record(&event, st.clock.now()).await?;
    Ok(())
}

/// A page that says one thing: a refusal, a dead link.
#[derive(Template)]
#[template(path = "staff/message.html")]
struct MessageView<'a> {
    b: StaffBase,
    title: &'a str,
    message: &'a str,
}

/// A message page with `status`.
pub(crate) fn refusal(status: StatusCode, title: &str, message: &str) -> Response {
    let view = MessageView {
        b: StaffBase::anonymous(),
        title,
        message,
    };
    match view.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => WebError::from(e).into_response(),
    }
}
