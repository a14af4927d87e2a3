//! The staff side's authentication, through HTTP over a real store:
//! setting up an account from its link, logging in with a password and a
//! TOTP code, sessions, CSRF, the users page, and the access matrix of
//! every staff route × every role (and anonymous), on both backends.
//!
//! Time is a clock the tests move (`WebOptions::clock`), so that each
//! login can use the code of a new TOTP step (a step is accepted once per
//! account) without sleeping.

use libres_core::{Email, Role, UnixTime};
use libres_store::Store;
use libres_testkit::{form, spawn_app_on_with, spawn_app_with, test_options, Backend, TestApp};
use libres_web::{Access, Clock, WebOptions};
use std::collections::BTreeSet;
use std::io::Write as _;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

pub(crate) const PASSWORD: &str = "correct horse battery staple";

/// A server with a clock the test moves, starting 10 s into a TOTP step.
pub(crate) struct Site {
    pub(crate) app: TestApp,
    now: Arc<AtomicI64>,
}

fn options(now: &Arc<AtomicI64>, secure: bool) -> WebOptions {
    let clock = Arc::clone(now);
    WebOptions {
        clock: Clock::from_fn(move || UnixTime(clock.load(Ordering::SeqCst))),
        secure_cookies: secure,
        ..test_options()
    }
}

pub(crate) async fn site() -> Site {
    site_with(false).await
}

async fn site_with(secure: bool) -> Site {
    let now = Arc::new(AtomicI64::new(1_800_000_010));
    let app = spawn_app_with(options(&now, secure)).await;
    Site { app, now }
}

/// A server with these limits, and a clock the test moves.
pub(crate) async fn site_with_limits(limits: libres_web::Limits) -> Site {
    site_with_options(|o| WebOptions { limits, ..o }).await
}

/// A server with the test options as `change` leaves them, and a clock
/// the test moves.
pub(crate) async fn site_with_options(change: impl FnOnce(WebOptions) -> WebOptions) -> Site {
    let now = Arc::new(AtomicI64::new(1_800_000_010));
    let app = spawn_app_with(change(options(&now, false))).await;
    Site { app, now }
}

pub(crate) async fn site_on(backend: Backend, test: &str) -> Option<Site> {
    let now = Arc::new(AtomicI64::new(1_800_000_010));
    let Some(app) = spawn_app_on_with(backend, options(&now, false)).await else {
        let reason = backend.unavailable_reason().unwrap_or_default();
        let _ = writeln!(
            std::io::stderr(),
            "*** SKIPPED {test} on {}: {reason}",
            backend.name()
        );
        return None;
    };
    Some(Site { app, now })
}

/// A signed-in staff member, as a browser holds them.
pub(crate) struct Session {
    /// The `Cookie` header to send.
    pub(crate) cookie: String,
    /// The CSRF token of the session's forms.
    pub(crate) csrf: String,
}

impl Site {
    pub(crate) fn now(&self) -> UnixTime {
        UnixTime(self.now.load(Ordering::SeqCst))
    }

    /// Moves the clock on by `secs` seconds.
    pub(crate) fn advance(&self, secs: i64) {
        self.now.fetch_add(secs, Ordering::SeqCst);
    }

    /// Moves the clock to the next TOTP step.
    pub(crate) fn next_step(&self) {
        self.now.fetch_add(30, Ordering::SeqCst);
    }

    pub(crate) fn store(&self) -> &Arc<dyn Store> {
        &self.app.store
    }

    /// Adds an account with `role` and sets it up through the store;
    /// returns its TOTP secret.
    pub(crate) async fn enrol(&self, email: &str, role: Role) -> String {
        let email = Email::parse(email).unwrap();
        let link = self
            .store()
            .add_user(&email, role, "test", self.now())
            .await
            .unwrap();
        let enrolment = self
            .store()
            .begin_setup(&link.token, self.now())
            .await
            .unwrap();
        let code = totp(&enrolment.secret, self.now());
        self.store()
            .finish_setup(&link.token, PASSWORD, &code, self.now())
            .await
            .unwrap();
        enrolment.secret
    }

    /// Logs in through the login form with the code of a new step.
    pub(crate) async fn login(&self, email: &str, secret: &str) -> Session {
        self.next_step();
        let code = totp(secret, self.now());
        let res = self
            .app
            .post_form(
                "/staff/login",
                &[],
                &form(&[("email", email), ("password", PASSWORD), ("code", &code)]),
            )
            .await;
        assert_eq!(res.status, 303, "{}", res.text());
        assert_eq!(res.header("location"), Some("/staff/"));
        let set = res.header("set-cookie").expect("a session cookie");
        let cookie = set.split(';').next().unwrap().to_owned();
        let home = self.app.get_with("/staff/", &[("cookie", &cookie)]).await;
        assert_eq!(home.status, 200, "{}", home.text());
        Session {
            csrf: csrf_of(&home.text()),
            cookie,
        }
    }

    pub(crate) async fn get(&self, path: &str, s: &Session) -> libres_testkit::TestResponse {
        self.app.get_with(path, &[("cookie", &s.cookie)]).await
    }

    /// POSTs a form with the session's cookie and CSRF token.
    pub(crate) async fn post(
        &self,
        path: &str,
        s: &Session,
        fields: &[(&str, &str)],
    ) -> libres_testkit::TestResponse {
        let mut all = vec![("csrf", s.csrf.as_str())];
        all.extend_from_slice(fields);
        self.app
            .post_form(path, &[("cookie", &s.cookie)], &form(&all))
            .await
    }
}

/// The code an authenticator app shows for `secret` at `t`.
/// Logs `email` in through the browser's login form with the password
/// and the authenticator's next code, and checks that it lands on the
/// staff home.
pub(crate) async fn log_in_with_browser(
    site: &Site,
    browser: &libres_testkit::browser::Browser,
    email: &str,
    secret: &str,
) {
    browser.goto(&site.app.url("/staff/login")).await;
    browser.fill("input[name=email]", email).await;
    browser.fill("input[name=password]", PASSWORD).await;
    site.next_step();
    let code = totp(secret, site.now());
    browser.fill("input[name=code]", &code).await;
    browser.submit("form[action='/staff/login'] button").await;
    assert_eq!(
        browser.location().await,
        "/staff/",
        "{}",
        browser.text().await
    );
}

pub(crate) fn totp(secret: &str, t: UnixTime) -> String {
    let bytes = totp_rs::Secret::Encoded(secret.to_owned())
        .to_bytes()
        .unwrap();
    totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 0, 30, bytes)
        .unwrap()
        .generate(u64::try_from(t.0).unwrap())
}

/// The CSRF token in a page's forms.
pub(crate) fn csrf_of(html: &str) -> String {
    between(html, r#"name="csrf" value=""#, "\"")
}

fn between(text: &str, start: &str, end: &str) -> String {
    let at = text
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in {text}"))
        + start.len();
    text[at..at + text[at..].find(end).unwrap()].to_owned()
}

#[tokio::test]
async fn an_account_is_set_up_from_its_link_then_logs_in_and_reaches_the_staff_home_on_sqlite() {
    full_flow(site().await).await;
}

#[tokio::test]
async fn an_account_is_set_up_from_its_link_then_logs_in_and_reaches_the_staff_home_on_postgres() {
    let test =
        "an_account_is_set_up_from_its_link_then_logs_in_and_reaches_the_staff_home_on_postgres";
    let Some(site) = site_on(Backend::Postgres, test).await else {
        return;
    };
    assert_eq!(site.store().backend(), "postgres");
    full_flow(site).await;
}

async fn full_flow(site: Site) {
    let app = &site.app;
    let email = Email::parse("ana@example.org").unwrap();
    let link = site
        .store()
        .add_user(&email, Role::Admin, "cli", site.now())
        .await
        .unwrap();
    let path = format!("/staff/setup/{}", link.token);

    // The setup page: the QR code as inline SVG, the secret beside it.
    let res = app.get(&path).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.header("cache-control"), Some("no-store"));
    let html = res.text();
    assert!(html.contains(r#"<svg role="img""#), "{html}");
    assert!(html.contains("<path fill=\"#000\" d=\"M"), "{html}");
    assert!(html.contains("ana@example.org"));
    let secret = between(&html, r#"<code class="secret">"#, "<");
    assert_eq!(secret.len(), 32, "{secret}");
    // Reloading shows the same secret.
    assert!(app.get(&path).await.text().contains(&secret));

    // Two different passwords, then a wrong code: the form again, and the
    // link still works.
    let code = totp(&secret, site.now());
    let res = app
        .post_form(
            &path,
            &[],
            &form(&[
                ("password", PASSWORD),
                ("password_again", "something else entirely"),
                ("code", &code),
            ]),
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.text().contains("The two passwords differ"));
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let res = app
        .post_form(
            &path,
            &[],
            &form(&[
                ("password", PASSWORD),
                ("password_again", PASSWORD),
                ("code", wrong),
            ]),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text());
    assert!(res.text().contains(&secret), "the form is shown again");
    let res = app
        .post_form(
            &path,
            &[],
            &form(&[
                ("password", "short"),
                ("password_again", "short"),
                ("code", &code),
            ]),
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.text().contains("at least 12"), "{}", res.text());

    // The right code: the recovery codes, once.
    let res = app
        .post_form(
            &path,
            &[],
            &form(&[
                ("password", PASSWORD),
                ("password_again", PASSWORD),
                ("code", &code),
            ]),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.header("cache-control"), Some("no-store"));
    let html = res.text();
    let codes: Vec<String> = html
        .split("<li><code>")
        .skip(1)
        .map(|c| c[..c.find('<').unwrap()].to_owned())
        .collect();
    assert_eq!(codes.len(), 10, "{html}");
    // The link is used up.
    let res = app.get(&path).await;
    assert_eq!(res.status, 410);
    assert!(res.text().contains("This link no longer works"));
    let res = app.get("/staff/setup/not-a-token").await;
    assert_eq!(res.status, 410);

    // The code that finished the setup cannot log in; the next one can.
    let res = app
        .post_form(
            "/staff/login",
            &[],
            &form(&[
                ("email", "ana@example.org"),
                ("password", PASSWORD),
                ("code", &code),
            ]),
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.header("set-cookie").is_none());
    let ana = site.login("ana@example.org", &secret).await;
    let home = site.get("/staff/", &ana).await;
    let html = home.text();
    assert!(html.contains("<strong>ana@example.org</strong>"), "{html}");
    assert!(html.contains("<strong>admin</strong>"), "{html}");
    assert!(html.contains(r#"href="/staff/users""#));
    // `/staff` is the same home.
    assert_eq!(site.get("/staff", &ana).await.status, 200);

    // A recovery code works once, in the same field.
    for (expected, what) in [(303, "first use"), (422, "second use")] {
        let res = app
            .post_form(
                "/staff/login",
                &[],
                &form(&[
                    ("email", "ana@example.org"),
                    ("password", PASSWORD),
                    ("code", &codes[3]),
                ]),
            )
            .await;
        assert_eq!(res.status, expected, "{what}");
    }

    // Logging out ends the session: its cookie leads to the login page.
    let res = site.post("/staff/logout", &ana, &[]).await;
    assert_eq!(res.status, 303);
    assert_eq!(res.header("location"), Some("/staff/login"));
    assert!(res.header("set-cookie").unwrap().contains("Max-Age=0"));
    let res = site.get("/staff/", &ana).await;
    assert_eq!(res.status, 303);
    assert_eq!(res.header("location"), Some("/staff/login"));
}

#[tokio::test]
async fn a_configured_site_address_is_the_one_setup_links_use() {
    let site = site_with_options(|o| WebOptions {
        base_url: Some("https://libres.example.org/".into()),
        ..o
    })
    .await;
    let secret = site.enrol("admin@example.org", Role::Admin).await;
    let admin = site.login("admin@example.org", &secret).await;
    let res = site
        .post(
            "/staff/users",
            &admin,
            &[("email", "bea@example.org"), ("role", "viewer")],
        )
        .await;
    let link = between(&res.text(), r#"<code class="link">"#, "<");
    assert!(
        link.starts_with("https://libres.example.org/staff/setup/"),
        "{link}"
    );
}

#[tokio::test]
async fn an_admin_adds_a_user_whose_link_then_works_and_text_fields_are_escaped() {
    let site = site().await;
    let secret = site.enrol("admin@example.org", Role::Admin).await;
    let admin = site.login("admin@example.org", &secret).await;

    let res = site
        .post(
            "/staff/users",
            &admin,
            &[("email", "Bea@Example.org"), ("role", "editor")],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let html = res.text();
    let origin = site.app.origin();
    let link = between(&html, r#"<code class="link">"#, "<");
    assert!(
        link.starts_with(&format!("{origin}/staff/setup/")),
        "{link}"
    );
    let res = site.app.get(&link[origin.len()..]).await;
    assert_eq!(res.status, 200);
    assert!(res.text().contains("bea@example.org"));
    // Listed, with its role and state.
    let html = site.get("/staff/users", &admin).await.text();
    assert!(html.contains("<td>bea@example.org</td>"), "{html}");
    assert!(html.contains("setup pending"));
    // Twice: refused, said why.
    let res = site
        .post(
            "/staff/users",
            &admin,
            &[("email", "bea@example.org"), ("role", "viewer")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.text().contains("already has an account"));

    // On record, with the administrator as the actor.
    let entries = site.store().audit_entries(0, 1000).await.unwrap();
    let added = entries
        .iter()
        .find(|e| e.action == "user_added" && e.target == "bea@example.org")
        .unwrap_or_else(|| panic!("{entries:?}"));
    assert_eq!(added.actor, "admin@example.org");

    // Markup typed into a text field comes back as text, wherever it is
    // shown: the users page's error, the login form's re-shown address.
    let evil = r#"<script>alert(1)</script>"@example.org"#;
    let res = site
        .post(
            "/staff/users",
            &admin,
            &[("email", evil), ("role", "viewer")],
        )
        .await;
    assert_eq!(res.status, 422);
    let html = res.text();
    assert!(!html.contains("<script>"), "{html}");
    let res = site
        .app
        .post_form(
            "/staff/login",
            &[],
            &form(&[("email", evil), ("password", "x"), ("code", "1")]),
        )
        .await;
    assert_eq!(res.status, 422);
    let html = res.text();
    assert!(!html.contains("<script>"), "{html}");
    // Shown, as text.
    assert!(
        html.contains("&lt;script&gt;") || html.contains("&#60;script&#62;"),
        "{html}"
    );
    assert!(site
        .store()
        .users()
        .await
        .unwrap()
        .iter()
        .all(|u| !u.email.as_str().contains('<')));
}

#[tokio::test]
async fn refused_logins_say_one_thing_and_a_replayed_or_stale_code_is_refused() {
    let site = site().await;
    let secret = site.enrol("ana@example.org", Role::Viewer).await;
    let attempt = |password: &str, code: String| {
        form(&[
            ("email", "ana@example.org"),
            ("password", password),
            ("code", &code),
        ])
    };
    let refused = |res: &libres_testkit::TestResponse| {
        assert_eq!(res.status, 422, "{}", res.text());
        assert!(res.header("set-cookie").is_none());
        assert!(
            res.text().contains("Those details did not work"),
            "{}",
            res.text()
        );
    };
    site.next_step();
    // Wrong password, right code.
    let res = site
        .app
        .post_form(
            "/staff/login",
            &[],
            &attempt("wrong password!!", totp(&secret, site.now())),
        )
        .await;
    refused(&res);
    // A stale code: four steps old.
    let stale = totp(&secret, UnixTime(site.now().0 - 120));
    let res = site
        .app
        .post_form("/staff/login", &[], &attempt(PASSWORD, stale))
        .await;
    refused(&res);
    // The right code logs in once (and forgets the failures so far); the
    // same code again is refused.
    site.next_step();
    let code = totp(&secret, site.now());
    let res = site
        .app
        .post_form("/staff/login", &[], &attempt(PASSWORD, code.clone()))
        .await;
    assert_eq!(res.status, 303);
    let res = site
        .app
        .post_form("/staff/login", &[], &attempt(PASSWORD, code.clone()))
        .await;
    refused(&res);
    // Three more failures make four from this network for this account,
    // one past the free ones: the next attempt, even a right one, waits
    // and is not looked at.
    for _ in 0..3 {
        let res = site
            .app
            .post_form(
                "/staff/login",
                &[],
                &attempt("wrong password!!", code.clone()),
            )
            .await;
        refused(&res);
    }
    // The app's next code (one step of drift is accepted).
    let next = totp(&secret, site.now().plus(30));
    let res = site
        .app
        .post_form("/staff/login", &[], &attempt(PASSWORD, next.clone()))
        .await;
    assert_eq!(res.status, 429, "{}", res.text());
    let wait: i64 = res.header("retry-after").unwrap().parse().unwrap();
    assert!((1..30).contains(&wait), "{wait}");
    assert!(res.header("set-cookie").is_none());
    assert!(res.text().contains(&format!("Wait {wait} seconds")));
    // After the wait, the same attempt works.
    site.now.fetch_add(wait, Ordering::SeqCst);
    let res = site
        .app
        .post_form("/staff/login", &[], &attempt(PASSWORD, next))
        .await;
    assert_eq!(res.status, 303, "{}", res.text());
}

#[tokio::test]
async fn a_post_without_this_sessions_csrf_token_or_from_another_site_is_refused() {
    let site = site().await;
    let secret = site.enrol("admin@example.org", Role::Admin).await;
    let other = site.enrol("other@example.org", Role::Admin).await;
    let admin = site.login("admin@example.org", &secret).await;
    let other = site.login("other@example.org", &other).await;
    assert_ne!(admin.csrf, other.csrf);
    let add = |csrf: Option<&str>| {
        let mut fields = vec![("email", "new@example.org"), ("role", "admin")];
        if let Some(c) = csrf {
            fields.push(("csrf", c));
        }
        form(&fields)
    };
    for (what, body) in [
        ("no token", add(None)),
        ("another session's token", add(Some(&other.csrf))),
        ("an empty token", add(Some(""))),
    ] {
        let res = site
            .app
            .post_form("/staff/users", &[("cookie", &admin.cookie)], &body)
            .await;
        assert_eq!(res.status, 403, "{what}");
        assert_eq!(res.header("cache-control"), Some("no-store"));
        assert!(
            res.text().contains("security token"),
            "{what}: {}",
            res.text()
        );
    }
    // The same for logging out: the session lives on.
    let res = site
        .app
        .post_form("/staff/logout", &[("cookie", &admin.cookie)], "")
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(site.get("/staff/", &admin).await.status, 200);
    // A form posted from another site's page, token and all.
    for header in [
        ("sec-fetch-site", "cross-site"),
        ("origin", "https://evil.example"),
    ] {
        let res = site
            .app
            .post_form(
                "/staff/users",
                &[("cookie", &admin.cookie), header],
                &add(Some(&admin.csrf)),
            )
            .await;
        assert_eq!(res.status, 403, "{header:?}");
        assert!(res.text().contains("another site"), "{}", res.text());
        let res = site
            .app
            .post_form(
                "/staff/login",
                &[header],
                &form(&[("email", "admin@example.org"), ("password", PASSWORD)]),
            )
            .await;
        assert_eq!(res.status, 403, "login, {header:?}");
    }
    let email = Email::parse("new@example.org").unwrap();
    assert_eq!(
        site.store().user(&email).await.unwrap(),
        None,
        "nothing was added"
    );
    // With the token, from this site's own page: done.
    let res = site
        .app
        .post_form(
            "/staff/users",
            &[
                ("cookie", &admin.cookie),
                ("sec-fetch-site", "same-origin"),
                ("origin", &site.app.origin()),
            ],
            &add(Some(&admin.csrf)),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert!(site.store().user(&email).await.unwrap().is_some());
}

#[tokio::test]
async fn an_oversized_staff_form_is_refused_before_any_handler_reads_it() {
    let site = site().await;
    let secret = site.enrol("admin@example.org", Role::Admin).await;
    let admin = site.login("admin@example.org", &secret).await;
    let big = format!("email={}", "a".repeat(2 * 1024 * 1024));
    for (path, cookie) in [
        ("/staff/users", admin.cookie.as_str()),
        ("/staff/login", ""),
    ] {
        let res = site.app.post_form(path, &[("cookie", cookie)], &big).await;
        assert_eq!(res.status, 413, "{path}");
    }
    assert_eq!(site.store().users().await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_only_administrator_cannot_demote_or_disable_themselves() {
    let site = site().await;
    let a = site.enrol("a@example.org", Role::Admin).await;
    let a = site.login("a@example.org", &a).await;
    for (path, fields) in [
        (
            "/staff/users/role",
            vec![("email", "a@example.org"), ("role", "viewer")],
        ),
        ("/staff/users/disable", vec![("email", "a@example.org")]),
    ] {
        let res = site.post(path, &a, &fields).await;
        assert_eq!(res.status, 422, "{path}");
        assert!(
            res.text().contains("the only administrator"),
            "{path}: {}",
            res.text()
        );
    }
    assert_eq!(
        site.get("/staff/users", &a).await.status,
        200,
        "still admin"
    );
}

#[tokio::test]
async fn a_disabled_account_or_a_demoted_one_is_seen_on_its_next_request() {
    let site = site().await;
    let a = site.enrol("a@example.org", Role::Admin).await;
    let b = site.enrol("b@example.org", Role::Admin).await;
    let c = site.enrol("c@example.org", Role::Editor).await;
    let a = site.login("a@example.org", &a).await;
    let b = site.login("b@example.org", &b).await;
    let c = site.login("c@example.org", &c).await;
    assert_eq!(site.get("/staff/users", &a).await.status, 200);

    // B demotes A to viewer: A's very next request sees it.
    let res = site
        .post(
            "/staff/users/role",
            &b,
            &[("email", "a@example.org"), ("role", "viewer")],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(res.header("location"), Some("/staff/users"));
    let res = site.get("/staff/users", &a).await;
    assert_eq!(res.status, 403);
    assert!(res.text().contains("Your role (viewer)"), "{}", res.text());
    assert!(site
        .get("/staff/", &a)
        .await
        .text()
        .contains("<strong>viewer</strong>"));
    let res = site
        .post("/staff/users/disable", &a, &[("email", "b@example.org")])
        .await;
    assert_eq!(res.status, 403, "a viewer cannot act as admin either");

    // B disables C: C's cookie now leads to the login page, and is cleared.
    let res = site
        .post("/staff/users/disable", &b, &[("email", "c@example.org")])
        .await;
    assert_eq!(res.status, 303);
    let res = site.get("/staff/", &c).await;
    assert_eq!(res.status, 303);
    assert_eq!(res.header("location"), Some("/staff/login"));
    assert!(res.header("set-cookie").unwrap().contains("Max-Age=0"));
    assert!(site
        .get("/staff/users", &b)
        .await
        .text()
        .contains("disabled"));

    // B logs A out everywhere; then logs itself out everywhere.
    let res = site
        .post("/staff/users/logout", &b, &[("email", "a@example.org")])
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(site.get("/staff/", &a).await.status, 303);
    let res = site.post("/staff/logout-everywhere", &b, &[]).await;
    assert_eq!(res.status, 303);
    assert_eq!(site.get("/staff/", &b).await.status, 303);
}

#[tokio::test]
async fn a_session_idle_for_longer_than_the_timeout_leads_back_to_the_login_page() {
    let site = site().await;
    let secret = site.enrol("ana@example.org", Role::Viewer).await;
    let ana = site.login("ana@example.org", &secret).await;
    let idle = libres_core::staff::SESSIONS.idle_secs;
    // Used just inside the timeout: still open, and the use counts.
    site.now.fetch_add(idle - 5, Ordering::SeqCst);
    assert_eq!(site.get("/staff/", &ana).await.status, 200);
    site.now.fetch_add(idle - 5, Ordering::SeqCst);
    assert_eq!(site.get("/staff/", &ana).await.status, 200);
    // Then left alone for longer than the timeout.
    site.now.fetch_add(idle + 1, Ordering::SeqCst);
    let res = site.get("/staff/", &ana).await;
    assert_eq!(res.status, 303);
    assert_eq!(res.header("location"), Some("/staff/login"));
}

#[tokio::test]
async fn the_session_cookie_is_http_only_strict_and_scoped_and_secure_when_configured() {
    for secure in [false, true] {
        let site = site_with(secure).await;
        let secret = site.enrol("ana@example.org", Role::Viewer).await;
        site.next_step();
        let res = site
            .app
            .post_form(
                "/staff/login",
                &[],
                &form(&[
                    ("email", "ana@example.org"),
                    ("password", PASSWORD),
                    ("code", &totp(&secret, site.now())),
                ]),
            )
            .await;
        assert_eq!(res.status, 303);
        assert_eq!(res.header("cache-control"), Some("no-store"));
        let cookie = res.header("set-cookie").unwrap().to_owned();
        let attrs: Vec<&str> = cookie.split("; ").collect();
        let name = if secure {
            "__Secure-libres_staff="
        } else {
            "libres_staff="
        };
        assert!(attrs[0].starts_with(name), "{cookie}");
        for a in [
            "HttpOnly",
            "SameSite=Strict",
            "Path=/staff",
            "Max-Age=43200",
        ] {
            assert!(attrs.contains(&a), "{a} in {cookie}");
        }
        assert_eq!(attrs.contains(&"Secure"), secure, "{cookie}");
        assert!(!cookie.contains("Domain"), "{cookie}");
        // The session works under its own name only.
        let token = &attrs[0][name.len()..];
        let ok = site.app.get_with("/staff/", &[("cookie", attrs[0])]).await;
        assert_eq!(ok.status, 200);
        let other = if secure {
            "libres_staff"
        } else {
            "__Secure-libres_staff"
        };
        let res = site
            .app
            .get_with("/staff/", &[("cookie", &format!("{other}={token}"))])
            .await;
        assert_eq!(res.status, 303);
    }
}

/// What a request to a staff route should get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// `303` to the login page.
    Login,
    /// `403`.
    Forbidden,
    /// This status, the route's own answer.
    Status(u16),
}

use Expect::{Forbidden as F, Login as L, Status as S};

/// Who asks, in the order of each row's expectations.
const WHO: [Option<Role>; 5] = [
    None,
    Some(Role::Viewer),
    Some(Role::Researcher),
    Some(Role::Editor),
    Some(Role::Admin),
];

/// One row of the access matrix: a route, the request made to it, and
/// what anonymous, viewer, researcher, editor and admin get.
struct Row {
    method: &'static str,
    pattern: &'static str,
    path: &'static str,
    fields: &'static [(&'static str, &'static str)],
    expect: [Expect; 5],
}

/// Every staff route. A route missing here fails the test.
const MATRIX: &[Row] = &[
    Row {
        method: "GET",
        pattern: "/staff/login",
        path: "/staff/login",
        fields: &[],
        expect: [S(200), S(200), S(200), S(200), S(200)],
    },
    Row {
        method: "POST",
        pattern: "/staff/login",
        path: "/staff/login",
        fields: &[
            ("email", "nobody@example.org"),
            ("password", "x"),
            ("code", "123456"),
        ],
        expect: [S(422), S(422), S(422), S(422), S(422)],
    },
    Row {
        method: "GET",
        pattern: "/staff/setup/{token}",
        path: "/staff/setup/0123456789abcdef0123456789abcdef",
        fields: &[],
        expect: [S(410), S(410), S(410), S(410), S(410)],
    },
    Row {
        method: "POST",
        pattern: "/staff/setup/{token}",
        path: "/staff/setup/0123456789abcdef0123456789abcdef",
        fields: &[
            ("password", PASSWORD),
            ("password_again", PASSWORD),
            ("code", "123456"),
        ],
        expect: [S(410), S(410), S(410), S(410), S(410)],
    },
    Row {
        method: "GET",
        pattern: "/staff/",
        path: "/staff/",
        fields: &[],
        expect: [L, S(200), S(200), S(200), S(200)],
    },
    Row {
        method: "POST",
        pattern: "/staff/logout",
        path: "/staff/logout",
        fields: &[],
        expect: [L, S(303), S(303), S(303), S(303)],
    },
    Row {
        method: "POST",
        pattern: "/staff/logout-everywhere",
        path: "/staff/logout-everywhere",
        fields: &[],
        expect: [L, S(303), S(303), S(303), S(303)],
    },
    Row {
        method: "GET",
        pattern: "/staff/users",
        path: "/staff/users",
        fields: &[],
        expect: [L, F, F, F, S(200)],
    },
    Row {
        method: "POST",
        pattern: "/staff/users",
        path: "/staff/users",
        fields: &[("email", "added@example.org"), ("role", "viewer")],
        expect: [L, F, F, F, S(200)],
    },
    Row {
        method: "POST",
        pattern: "/staff/users/role",
        path: "/staff/users/role",
        fields: &[("email", "target@example.org"), ("role", "editor")],
        expect: [L, F, F, F, S(303)],
    },
    Row {
        method: "POST",
        pattern: "/staff/users/disable",
        path: "/staff/users/disable",
        fields: &[("email", "target@example.org")],
        expect: [L, F, F, F, S(303)],
    },
    Row {
        method: "POST",
        pattern: "/staff/users/reset",
        path: "/staff/users/reset",
        fields: &[("email", "target@example.org")],
        expect: [L, F, F, F, S(200)],
    },
    Row {
        method: "POST",
        pattern: "/staff/users/logout",
        path: "/staff/users/logout",
        fields: &[("email", "target@example.org")],
        expect: [L, F, F, F, S(303)],
    },
    Row {
        method: "GET",
        pattern: "/staff/persons",
        path: "/staff/persons?q=nobody",
        fields: &[],
        expect: [L, S(200), S(200), S(200), S(200)],
    },
    Row {
        method: "GET",
        pattern: "/staff/persons/new",
        path: "/staff/persons/new",
        fields: &[],
        expect: [L, F, S(200), S(200), S(200)],
    },
    Row {
        method: "POST",
        pattern: "/staff/persons/new",
        path: "/staff/persons/new",
        fields: &[("id", "bad id")],
        expect: [L, F, S(422), S(422), S(422)],
    },
    Row {
        method: "GET",
        pattern: "/staff/persons/{id}",
        path: "/staff/persons/XX-0404",
        fields: &[],
        expect: [L, S(404), S(404), S(404), S(404)],
    },
    Row {
        method: "GET",
        pattern: "/staff/persons/{id}/edit",
        path: "/staff/persons/XX-0404/edit",
        fields: &[],
        expect: [L, F, S(404), S(404), S(404)],
    },
    Row {
        method: "POST",
        pattern: "/staff/persons/{id}/edit",
        path: "/staff/persons/XX-0404/edit",
        fields: &[("given_names", "Ana")],
        expect: [L, F, S(404), S(404), S(404)],
    },
    Row {
        method: "POST",
        pattern: "/staff/persons/{id}/events",
        path: "/staff/persons/XX-0404/events",
        fields: &[("kind", "arrest"), ("date", "2025")],
        expect: [L, F, S(404), S(404), S(404)],
    },
    Row {
        method: "POST",
        pattern: "/staff/persons/{id}/detentions",
        path: "/staff/persons/XX-0404/detentions",
        fields: &[("arrest_date", "2025")],
        expect: [L, F, S(404), S(404), S(404)],
    },
    Row {
        method: "GET",
        pattern: "/staff/persons/{id}/detentions/{key}/edit",
        path: "/staff/persons/XX-0404/detentions/1/edit",
        fields: &[],
        expect: [L, F, S(404), S(404), S(404)],
    },
    Row {
        method: "POST",
        pattern: "/staff/persons/{id}/detentions/{key}/edit",
        path: "/staff/persons/XX-0404/detentions/1/edit",
        fields: &[("arrest_date", "2025")],
        expect: [L, F, S(404), S(404), S(404)],
    },
    Row {
        method: "GET",
        pattern: "/staff/persons/{id}/events/{key}/edit",
        path: "/staff/persons/XX-0404/events/1/edit",
        fields: &[],
        expect: [L, F, S(404), S(404), S(404)],
    },
    Row {
        method: "POST",
        pattern: "/staff/persons/{id}/events/{key}/edit",
        path: "/staff/persons/XX-0404/events/1/edit",
        fields: &[("kind", "arrest"), ("date", "2025")],
        expect: [L, F, S(404), S(404), S(404)],
    },
    Row {
        method: "GET",
        pattern: "/staff/persons/{id}/events/{key}/delete",
        path: "/staff/persons/XX-0404/events/1/delete",
        fields: &[],
        expect: [L, F, S(404), S(404), S(404)],
    },
    Row {
        method: "POST",
        pattern: "/staff/persons/{id}/events/{key}/delete",
        path: "/staff/persons/XX-0404/events/1/delete",
        fields: &[],
        expect: [L, F, S(404), S(404), S(404)],
    },
    Row {
        method: "GET",
        pattern: "/staff/persons/{id}/detentions/{key}/delete",
        path: "/staff/persons/XX-0404/detentions/1/delete",
        fields: &[],
        expect: [L, F, S(404), S(404), S(404)],
    },
    Row {
        method: "POST",
        pattern: "/staff/persons/{id}/detentions/{key}/delete",
        path: "/staff/persons/XX-0404/detentions/1/delete",
        fields: &[],
        expect: [L, F, S(404), S(404), S(404)],
    },
    Row {
        method: "GET",
        pattern: "/staff/sources",
        path: "/staff/sources?after=0",
        fields: &[],
        expect: [L, S(200), S(200), S(200), S(200)],
    },
    Row {
        method: "GET",
        pattern: "/staff/sources/new",
        path: "/staff/sources/new",
        fields: &[],
        expect: [L, F, S(200), S(200), S(200)],
    },
    Row {
        method: "POST",
        pattern: "/staff/sources",
        path: "/staff/sources",
        fields: &[("title", ""), ("kind", "article")],
        expect: [L, F, S(422), S(422), S(422)],
    },
    Row {
        method: "GET",
        pattern: "/staff/sources/{key}/edit",
        path: "/staff/sources/999/edit?person=XX-0404",
        fields: &[],
        expect: [L, F, S(404), S(404), S(404)],
    },
    Row {
        method: "POST",
        pattern: "/staff/sources/{key}/edit",
        path: "/staff/sources/999/edit?person=XX-0404",
        fields: &[("title", "T"), ("kind", "article")],
        expect: [L, F, S(404), S(404), S(404)],
    },
    Row {
        method: "GET",
        pattern: "/staff/sources/{key}/delete",
        path: "/staff/sources/999/delete",
        fields: &[],
        expect: [L, F, S(404), S(404), S(404)],
    },
    Row {
        method: "POST",
        pattern: "/staff/sources/{key}/delete",
        path: "/staff/sources/999/delete",
        fields: &[],
        expect: [L, F, S(404), S(404), S(404)],
    },
    Row {
        method: "GET",
        pattern: "/staff/announcements",
        path: "/staff/announcements",
        fields: &[],
        expect: [L, S(200), S(200), S(200), S(200)],
    },
    Row {
        method: "GET",
        pattern: "/staff/announcements/new",
        path: "/staff/announcements/new",
        fields: &[],
        expect: [L, F, F, S(200), S(200)],
    },
    Row {
        method: "POST",
        pattern: "/staff/announcements/new",
        path: "/staff/announcements/new",
        fields: &[("country", "XX")],
        expect: [L, F, F, S(422), S(422)],
    },
    Row {
        method: "GET",
        pattern: "/staff/announcements/{id}/edit",
        path: "/staff/announcements/999/edit",
        fields: &[],
        expect: [L, F, F, S(404), S(404)],
    },
    Row {
        method: "GET",
        pattern: "/staff/announcements/{id}/delete",
        path: "/staff/announcements/999/delete",
        fields: &[],
        expect: [L, F, F, S(404), S(404)],
    },
    Row {
        method: "POST",
        pattern: "/staff/announcements/{id}/edit",
        path: "/staff/announcements/999/edit",
        fields: &[("country", "CU")],
        expect: [L, F, F, S(404), S(404)],
    },
    Row {
        method: "POST",
        pattern: "/staff/announcements/{id}/delete",
        path: "/staff/announcements/999/delete",
        fields: &[],
        expect: [L, F, F, S(404), S(404)],
    },
    Row {
        method: "GET",
        pattern: "/staff/announcements/{id}/names",
        path: "/staff/announcements/999/names",
        fields: &[],
        expect: [L, S(404), S(404), S(404), S(404)],
    },
    Row {
        method: "POST",
        pattern: "/staff/announcements/{id}/names",
        path: "/staff/announcements/999/names",
        fields: &[("names", "ANA PEREZ")],
        expect: [L, F, F, S(404), S(404)],
    },
    Row {
        method: "POST",
        pattern: "/staff/announcements/{id}/names/upload",
        path: "/staff/announcements/999/names/upload",
        // A form without a file: refused before the announcement is read.
        fields: &[("names", "ANA PUPO")],
        expect: [L, F, F, S(400), S(400)],
    },
    Row {
        method: "POST",
        pattern: "/staff/announcements/{id}/names/decide",
        path: "/staff/announcements/999/names/decide",
        fields: &[("review", "confirmed"), ("name", "1")],
        expect: [L, F, F, S(404), S(404)],
    },
    Row {
        method: "POST",
        pattern: "/staff/announcements/{id}/names/{name}",
        path: "/staff/announcements/999/names/1",
        fields: &[("review", "rejected")],
        expect: [L, F, F, S(404), S(404)],
    },
    Row {
        method: "GET",
        pattern: "/staff/import",
        path: "/staff/import",
        fields: &[],
        expect: [L, F, F, S(200), S(200)],
    },
    Row {
        // A form without a file (see staff_pages.rs for uploads).
        method: "POST",
        pattern: "/staff/import",
        path: "/staff/import",
        fields: &[("file", "x")],
        expect: [L, F, F, S(400), S(400)],
    },
    Row {
        method: "POST",
        pattern: "/staff/import/apply",
        path: "/staff/import/apply",
        fields: &[("token", "0123456789abcdef")],
        expect: [L, F, F, S(410), S(410)],
    },
    Row {
        method: "GET",
        pattern: "/staff/statements",
        path: "/staff/statements",
        fields: &[],
        expect: [L, S(200), S(200), S(200), S(200)],
    },
    Row {
        method: "GET",
        pattern: "/staff/statements/new",
        path: "/staff/statements/new",
        fields: &[],
        expect: [L, F, F, S(200), S(200)],
    },
    Row {
        method: "POST",
        pattern: "/staff/statements/new",
        path: "/staff/statements/new",
        fields: &[("status", "draft")],
        expect: [L, F, F, S(422), S(422)],
    },
    Row {
        method: "GET",
        pattern: "/staff/statements/{id}/edit",
        path: "/staff/statements/999/edit",
        fields: &[],
        expect: [L, F, F, S(404), S(404)],
    },
    Row {
        method: "POST",
        pattern: "/staff/statements/{id}/edit",
        path: "/staff/statements/999/edit",
        fields: &[("status", "open"), ("title_es", "x")],
        expect: [L, F, F, S(404), S(404)],
    },
    Row {
        method: "GET",
        pattern: "/staff/statements/{id}/signatures",
        path: "/staff/statements/999/signatures",
        fields: &[],
        expect: [L, S(404), S(404), S(404), S(404)],
    },
    Row {
        method: "POST",
        pattern: "/staff/statements/{id}/signatures/moderate",
        path: "/staff/statements/999/signatures/moderate",
        fields: &[("decision", "approve"), ("sig", "1")],
        expect: [L, F, F, S(404), S(404)],
    },
    Row {
        method: "POST",
        pattern: "/staff/statements/{id}/signatures/{sig}/link",
        path: "/staff/statements/999/signatures/1/link",
        fields: &[("person", "CU-0001")],
        expect: [L, F, F, S(404), S(404)],
    },
    Row {
        method: "GET",
        pattern: "/staff/statements/{id}/signatures.csv",
        path: "/staff/statements/999/signatures.csv",
        fields: &[],
        expect: [L, S(404), S(404), S(404), S(404)],
    },
    Row {
        method: "GET",
        pattern: "/staff/statements/{id}/signatures.xlsx",
        path: "/staff/statements/999/signatures.xlsx",
        fields: &[],
        expect: [L, S(404), S(404), S(404), S(404)],
    },
    Row {
        method: "GET",
        pattern: "/staff/import/jobs/{token}",
        path: "/staff/import/jobs/0123456789abcdef",
        fields: &[],
        expect: [L, F, F, S(404), S(404)],
    },
];

/// The matrix covers exactly the routes the router has, and agrees with
/// the access each declares.
#[test]
fn the_access_matrix_lists_every_staff_route_once() {
    let routes = libres_web::staff_routes();
    let declared: BTreeSet<(String, String)> = routes
        .iter()
        .map(|r| (r.method.to_owned(), r.path.clone()))
        .collect();
    let tested: BTreeSet<(String, String)> = MATRIX
        .iter()
        .map(|r| (r.method.to_owned(), r.pattern.to_owned()))
        .collect();
    assert_eq!(declared.len(), routes.len(), "a route is declared twice");
    assert_eq!(tested.len(), MATRIX.len(), "a route is tested twice");
    assert_eq!(
        declared, tested,
        "every staff route needs its row in MATRIX, and every row a route"
    );
    for r in &routes {
        let row = MATRIX
            .iter()
            .find(|m| m.method == r.method && m.pattern == r.path)
            .unwrap();
        let anonymous = row.expect[0];
        match r.access {
            Access::Anyone => assert_ne!(anonymous, L, "{}", r.path),
            Access::SignedIn | Access::Can(_) => assert_eq!(anonymous, L, "{}", r.path),
        }
        if let Access::Can(p) = r.access {
            for (who, expect) in WHO.iter().zip(row.expect).skip(1) {
                let role = who.unwrap();
                assert_eq!(
                    expect == F,
                    !role.can(p),
                    "{} {} for {role}",
                    r.method,
                    r.path
                );
            }
        }
    }
}

async fn access_matrix(site: Site) {
    let mut secrets = Vec::new();
    for who in WHO.iter().flatten() {
        let email = format!("{who}@example.org");
        secrets.push((email.clone(), site.enrol(&email, *who).await));
    }
    site.enrol("target@example.org", Role::Viewer).await;
    for row in MATRIX {
        for (i, (who, expect)) in WHO.iter().zip(row.expect).enumerate() {
            let session = match who {
                None => None,
                Some(_) => {
                    let (email, secret) = &secrets[i - 1];
                    Some(site.login(email, secret).await)
                }
            };
            let cookie = session.as_ref().map_or("", |s| s.cookie.as_str());
            let res = if row.method == "GET" {
                site.app.get_with(row.path, &[("cookie", cookie)]).await
            } else {
                let mut fields = row.fields.to_vec();
                if let Some(s) = &session {
                    fields.push(("csrf", &s.csrf));
                }
                // A new address each time: an account added must be new,
                // and failed logins must not pile up on one account (they
                // would be throttled).
                let fresh = format!("fresh{i}@example.org");
                if row.pattern == "/staff/users" || row.pattern == "/staff/login" {
                    fields[0] = ("email", &fresh);
                }
                site.app
                    .post_form(row.path, &[("cookie", cookie)], &form(&fields))
                    .await
            };
            let who = who.map_or("anonymous".to_owned(), |r| r.to_string());
            let at = format!("{} {} as {who}", row.method, row.path);
            assert_eq!(res.header("cache-control"), Some("no-store"), "{at}");
            match expect {
                L => {
                    assert_eq!(res.status, 303, "{at}: {}", res.text());
                    assert_eq!(res.header("location"), Some("/staff/login"), "{at}");
                }
                F => assert_eq!(res.status, 403, "{at}: {}", res.text()),
                S(code) => assert_eq!(res.status, code, "{at}: {}", res.text()),
            }
        }
    }
}

#[tokio::test]
async fn every_staff_route_answers_every_role_as_the_matrix_says_on_sqlite() {
    let site = site().await;
    access_matrix(site).await;
}

#[tokio::test]
async fn every_staff_route_answers_every_role_as_the_matrix_says_on_postgres() {
    let test = "every_staff_route_answers_every_role_as_the_matrix_says_on_postgres";
    let Some(site) = site_on(Backend::Postgres, test).await else {
        return;
    };
    assert_eq!(site.store().backend(), "postgres");
    access_matrix(site).await;
}
