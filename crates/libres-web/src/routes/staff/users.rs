//! `/staff/users`: administering staff accounts (the role must be allowed
//! [`Permission::ManageUsers`](libres_core::Permission::ManageUsers); the
//! guard checks it before any handler here runs).
//!
//! Every action is a form posted with the session's CSRF token, names the
//! account by email in its body, and is recorded in the audit log by the
//! store with the administrator's email as the actor. Adding an account
//! or resetting one shows its new setup link on the answer page, once;
//! the other actions redirect back to the list (`303`).

use super::{Staff, StaffBase, PREFIX};
use crate::error::WebError;
use crate::state::{AppState, SharedState};
use askama::Template;
use axum::extract::State;
use axum::http::header::{self, HeaderMap};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use libres_core::{Email, Role};
use libres_store::{SetupLink, StoreError, User};
use serde::Deserialize;

/// The users page.
#[derive(Template)]
#[template(path = "staff/users.html")]
struct UsersView<'a> {
    b: StaffBase,
    users: &'a [User],
    roles: &'static [Role],
    /// A setup link just made: shown once.
    link: Option<NewLink>,
    error: Option<String>,
}

/// A setup link to hand over.
struct NewLink {
    email: String,
    url: String,
    expires_at: String,
}

/// `GET /staff/users`.
pub(crate) async fn list(
    State(st): State<SharedState>,
    staff: Staff,
) -> Result<Response, WebError> {
    page(&st, &staff, StatusCode::OK, None, None).await
}

/// The users page with `link` or `error` on it.
async fn page(
    st: &AppState,
    staff: &Staff,
    status: StatusCode,
    link: Option<NewLink>,
    error: Option<String>,
) -> Result<Response, WebError> {
    let users = st.staff.users().await?;
    let view = UsersView {
        b: StaffBase::of(staff),
        users: &users,
        roles: Role::ALL,
        link,
        error,
    };
    Ok((status, Html(view.render()?)).into_response())
}

/// A form that names an account (and, for some, a role).
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct AccountForm {
    email: String,
    role: String,
}

/// The account and role a form names, or the page with what is wrong.
async fn parse(
    st: &AppState,
    staff: &Staff,
    form: &AccountForm,
    with_role: bool,
) -> Result<Result<(Email, Role), Response>, WebError> {
    let email = match Email::parse(&form.email) {
        Ok(e) => e,
        Err(why) => return Ok(Err(invalid(st, staff, why).await?)),
    };
    let role = if with_role {
        match Role::parse(&form.role) {
            Ok(r) => r,
            Err(why) => return Ok(Err(invalid(st, staff, why).await?)),
        }
    } else {
        Role::Viewer
    };
    Ok(Ok((email, role)))
}

async fn invalid(st: &AppState, staff: &Staff, why: String) -> Result<Response, WebError> {
    page(st, staff, StatusCode::UNPROCESSABLE_ENTITY, None, Some(why)).await
}

/// `POST /staff/users`: adds an account and shows its setup link.
pub(crate) async fn add(
    State(st): State<SharedState>,
    staff: Staff,
    headers: HeaderMap,
    Form(form): Form<AccountForm>,
) -> Result<Response, WebError> {
    let (email, role) = match parse(&st, &staff, &form, true).await? {
        Ok(v) => v,
        Err(res) => return Ok(res),
    };
    let now = st.clock.now();
    match st
        .staff
        .add_user(&email, role, staff.user.email.as_str(), now)
        .await
    {
        Ok(link) => {
            let link = new_link(&st, &headers, &link);
            page(&st, &staff, StatusCode::OK, Some(link), None).await
        }
        Err(StoreError::AlreadyExists(_)) => {
            invalid(
                &st,
                &staff,
                format!("{email} already has an account; reset it to give it a new setup link."),
            )
            .await
        }
        Err(StoreError::Invalid(why)) => invalid(&st, &staff, why).await,
        Err(e) => Err(e.into()),
    }
}

/// `POST /staff/users/role`.
pub(crate) async fn set_role(
    State(st): State<SharedState>,
    staff: Staff,
    Form(form): Form<AccountForm>,
) -> Result<Response, WebError> {
    let (email, role) = match parse(&st, &staff, &form, true).await? {
        Ok(v) => v,
        Err(res) => return Ok(res),
    };
    let done = st
        .staff
        .set_role(&email, role, staff.user.email.as_str(), st.clock.now())
        .await;
    back_or_say_why(&st, &staff, done).await
}

/// `POST /staff/users/disable`: the account can no longer log in, and its
/// sessions end.
pub(crate) async fn disable(
    State(st): State<SharedState>,
    staff: Staff,
    Form(form): Form<AccountForm>,
) -> Result<Response, WebError> {
    let (email, _) = match parse(&st, &staff, &form, false).await? {
        Ok(v) => v,
        Err(res) => return Ok(res),
    };
    let done = st
        .staff
        .disable_user(&email, staff.user.email.as_str(), st.clock.now())
        .await;
    back_or_say_why(&st, &staff, done).await
}

/// `POST /staff/users/reset`: starts the account over and shows its new
/// setup link.
pub(crate) async fn reset(
    State(st): State<SharedState>,
    staff: Staff,
    headers: HeaderMap,
    Form(form): Form<AccountForm>,
) -> Result<Response, WebError> {
    let (email, _) = match parse(&st, &staff, &form, false).await? {
        Ok(v) => v,
        Err(res) => return Ok(res),
    };
    let link = st
        .staff
        .reset_user(&email, staff.user.email.as_str(), st.clock.now())
        .await?;
    let link = new_link(&st, &headers, &link);
    page(&st, &staff, StatusCode::OK, Some(link), None).await
}

/// `POST /staff/users/logout`: ends every session of the account.
pub(crate) async fn logout_user(
    State(st): State<SharedState>,
    staff: Staff,
    Form(form): Form<AccountForm>,
) -> Result<Response, WebError> {
    let (email, _) = match parse(&st, &staff, &form, false).await? {
        Ok(v) => v,
        Err(res) => return Ok(res),
    };
    st.staff
        .logout_everywhere(&email, staff.user.email.as_str(), st.clock.now())
        .await?;
    Ok(back())
}

/// Back to the list when an action was done; the list with the reason
/// when the store refused it (e.g. it would leave no working
/// administrator), nothing changed.
async fn back_or_say_why(
    st: &AppState,
    staff: &Staff,
    done: Result<(), StoreError>,
) -> Result<Response, WebError> {
    match done {
        Ok(()) => Ok(back()),
        Err(StoreError::Invalid(why)) => invalid(st, staff, why).await,
        Err(e) => Err(e.into()),
    }
}

/// Back to the list.
fn back() -> Response {
    Redirect::to(&format!("{PREFIX}/users")).into_response()
}

/// The setup link as the administrator hands it over: on the site's
/// configured address (`--base-url`) when there is one, else on the
/// address their own browser used to reach the site (its `Host`), over
/// HTTPS when the site is served so.
fn new_link(st: &AppState, headers: &HeaderMap, link: &SetupLink) -> NewLink {
    let path = format!("{PREFIX}/setup/{}", link.token);
    if let Some(base) = &st.base_url {
        return NewLink {
            email: link.email.to_string(),
            url: format!("{}{path}", base.trim_end_matches('/')),
            expires_at: link.expires_at.rfc3339(),
        };
    }
    let scheme = if st.secure_cookies { "https" } else { "http" };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            h.len() <= 255
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        });
    NewLink {
        email: link.email.to_string(),
        url: host.map_or_else(|| path.clone(), |h| format!("{scheme}://{h}{path}")),
        expires_at: link.expires_at.rfc3339(),
    }
}
