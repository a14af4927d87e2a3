//! Getting in and out: setting up an account from its one-time link,
//! logging in with a password and a second factor, logging out (here, or
//! everywhere).
//!
//! The login form has one field for the second factor: six digits are
//! read as a code from the authenticator app, anything else as a recovery
//! code. Every refusal says the same thing, as the store answers the same
//! thing ([`LoginOutcome::Refused`]); a throttled attempt is a `429` with
//! `Retry-After`. A form re-shown with an error answers `422`.

use super::session::{self, client_address, is_token};
use super::{refusal, Staff, StaffBase, PREFIX};
use crate::error::WebError;
use crate::state::{AppState, SharedState};
use askama::Template;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use libres_core::staff::{totp, SETUP_LINK_SECS};
use libres_core::Email;
use libres_store::{Enrolment, LoginAttempt, LoginOutcome, SecondFactor, StoreError};
use serde::Deserialize;
use std::net::SocketAddr;

/// The login page.
#[derive(Template)]
#[template(path = "staff/login.html")]
struct LoginView<'a> {
    b: StaffBase,
    /// The address typed, re-shown after a refusal.
    email: &'a str,
    error: Option<String>,
}

/// `GET /staff/login`.
pub(crate) async fn login_page() -> Result<Response, WebError> {
    login_form(StatusCode::OK, "", None)
}

fn login_form(
    status: StatusCode,
    email: &str,
    error: Option<String>,
) -> Result<Response, WebError> {
    // A pasted novel is not echoed back.
    let email = if email.len() <= Email::MAX_LEN {
        email
    } else {
        ""
    };
    let view = LoginView {
        b: StaffBase::anonymous(),
        email,
        error,
    };
    Ok((status, Html(view.render()?)).into_response())
}

/// What the login form sends.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct LoginForm {
    email: String,
    password: String,
    /// A TOTP code or a recovery code.
    code: String,
}

/// `POST /staff/login`.
pub(crate) async fn login(
    State(st): State<SharedState>,
    headers: HeaderMap,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    let code = form.code.trim();
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let second_factor =
        if digits.len() == totp::DIGITS && digits.bytes().all(|b| b.is_ascii_digit()) {
            SecondFactor::Totp(code)
        } else {
            SecondFactor::RecoveryCode(code)
        };
    let attempt = LoginAttempt {
        email: &form.email,
        password: &form.password,
        second_factor,
        client: client_address(&st, &headers, peer.map(|Extension(ConnectInfo(a))| a)),
    };
    match st.staff.login(&attempt, st.clock.now()).await? {
        LoginOutcome::LoggedIn { token, .. } => {
            let mut res = Redirect::to(&format!("{PREFIX}/")).into_response();
            if let Some(cookie) = session::session_cookie(&st, &token) {
                res.headers_mut().insert(header::SET_COOKIE, cookie);
            }
            Ok(res)
        }
        LoginOutcome::Throttled { retry_after_secs } => {
            let wait = retry_after_secs.max(1);
            let mut res = login_form(
                StatusCode::TOO_MANY_REQUESTS,
                &form.email,
                Some(format!(
                    "Too many failed attempts from your network. Wait {wait} seconds, then try again."
                )),
            )?;
            if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            Ok(res)
        }
        LoginOutcome::Refused => login_form(
            StatusCode::UNPROCESSABLE_ENTITY,
            &form.email,
            Some(
                "Those details did not work. Check the email address, the password and the code, and try again."
                    .to_owned(),
            ),
        ),
    }
}

/// `POST /staff/logout`: ends this session.
pub(crate) async fn logout(
    State(st): State<SharedState>,
    staff: Staff,
) -> Result<Response, WebError> {
    st.staff.logout(&staff.token).await?;
    Ok(logged_out(&st))
}

/// `POST /staff/logout-everywhere`: ends every session of this account,
/// this one included.
pub(crate) async fn logout_everywhere(
    State(st): State<SharedState>,
    staff: Staff,
) -> Result<Response, WebError> {
    let email = &staff.user.email;
    st.staff
        .logout_everywhere(email, email.as_str(), st.clock.now())
        .await?;
    Ok(logged_out(&st))
}

/// Back to the login page, the cookie forgotten.
fn logged_out(st: &AppState) -> Response {
    let mut res = Redirect::to(&format!("{PREFIX}/login")).into_response();
    if let Some(clear) = session::clear_cookie(st) {
        res.headers_mut().insert(header::SET_COOKIE, clear);
    }
    res
}

/// The setup page: the secret to enrol, its QR code, and the form.
#[derive(Template)]
#[template(path = "staff/setup.html")]
struct SetupView<'a> {
    b: StaffBase,
    token: &'a str,
    enrolment: &'a Enrolment,
    /// The QR code of the `otpauth://` address, as an SVG element.
    qr: Option<String>,
    error: Option<String>,
}

/// The page after a finished setup: the recovery codes, once.
#[derive(Template)]
#[template(path = "staff/setup_done.html")]
struct SetupDoneView<'a> {
    b: StaffBase,
    email: &'a str,
    codes: &'a [String],
}

/// `GET /staff/setup/{token}`.
pub(crate) async fn setup_page(
    State(st): State<SharedState>,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    setup_form(&st, &token, StatusCode::OK, None).await
}

/// The setup page for `token`, or the page of a link that no longer works.
async fn setup_form(
    st: &AppState,
    token: &str,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, WebError> {
    if !is_token(token) {
        return Ok(dead_link());
    }
    let enrolment = match st.staff.begin_setup(token, st.clock.now()).await {
        Ok(e) => e,
        Err(StoreError::NotFound(_)) => return Ok(dead_link()),
        Err(e) => return Err(e.into()),
    };
    let view = SetupView {
        b: StaffBase::anonymous(),
        token,
        qr: qr_svg(&enrolment.otpauth_uri),
        enrolment: &enrolment,
        error,
    };
    Ok((status, Html(view.render()?)).into_response())
}

/// What the setup form sends.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct SetupForm {
    password: String,
    password_again: String,
    code: String,
}

/// `POST /staff/setup/{token}`.
pub(crate) async fn setup(
    State(st): State<SharedState>,
    Path(token): Path<String>,
    Form(form): Form<SetupForm>,
) -> Result<Response, WebError> {
    if !is_token(&token) {
        return Ok(dead_link());
    }
    if form.password != form.password_again {
        return setup_form(
            &st,
            &token,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("The two passwords differ: type the same password twice.".to_owned()),
        )
        .await;
    }
    let now = st.clock.now();
    // Whose account this is, for the page after: the link is used up by
    // the setup.
    let enrolment = match st.staff.begin_setup(&token, now).await {
        Ok(e) => e,
        Err(StoreError::NotFound(_)) => return Ok(dead_link()),
        Err(e) => return Err(e.into()),
    };
    match st
        .staff
        .finish_setup(&token, &form.password, &form.code, now)
        .await
    {
        Ok(codes) => {
            let view = SetupDoneView {
                b: StaffBase::anonymous(),
                email: enrolment.email.as_str(),
                codes: &codes,
            };
            Ok(Html(view.render()?).into_response())
        }
        // A short password, a wrong code: the link still works.
        Err(StoreError::Invalid(why)) => {
            setup_form(&st, &token, StatusCode::UNPROCESSABLE_ENTITY, Some(why)).await
        }
        Err(StoreError::NotFound(_)) => Ok(dead_link()),
        Err(e) => Err(e.into()),
    }
}

/// The answer to a setup link that is unknown, used, replaced or expired.
fn dead_link() -> Response {
    refusal(
        StatusCode::GONE,
        "This link no longer works",
        &format!(
            "A setup link works once, for {} hours, and a newer link replaces it. \
             Ask an administrator for a new one.",
            SETUP_LINK_SECS / 3600
        ),
    )
}

/// The QR code of `data` as an inline `<svg>` element (dark modules on a
/// light square, whatever the page's colours), or `None` if it does not
/// fit in a QR code.
fn qr_svg(data: &str) -> Option<String> {
    let code = match qrcode::QrCode::new(data.as_bytes()) {
        Ok(code) => code,
        Err(e) => {
            tracing::error!(error = %e, "the setup QR code could not be made");
            return None;
        }
    };
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(240, 240)
        .build();
    // The renderer writes a whole SVG document; a page wants the element.
    let at = svg.find("<svg")?;
    Some(svg[at..].replacen(
        "<svg ",
        r#"<svg role="img" aria-label="QR code of the secret" class="qr" "#,
        1,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_code_is_an_inline_svg_element_with_nothing_a_policy_would_block() {
        let svg =
            qr_svg("otpauth://totp/Libres:ana%40example.org?secret=JBSWY3DPEHPK3PXP&issuer=Libres")
                .unwrap();
        assert!(svg.starts_with("<svg role=\"img\""), "{svg}");
        assert!(svg.ends_with("</svg>"));
        assert!(!svg.contains("<?xml"));
        assert!(!svg.contains("style") && !svg.contains("<script"));
    }
}
