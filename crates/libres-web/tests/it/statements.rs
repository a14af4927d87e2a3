//! Signing a statement over HTTP, on both backends: the form, its
//! refusals (a missing token, another site, bad fields, a closed or draft
//! statement), duplicates that look like new signatures, confirmation by
//! a button behind the mailed link (reused, forged, expired), moderation,
//! and the public list in CSV and JSON with public fields only.

use libres_app::statements::{confirm_path, SiteKey};
use libres_core::statement::{Statement, StatementStatus};
use libres_core::{AnnouncementText, UnixTime};
use libres_store::statements::{Moderation, SignatureFilter};
use libres_testkit::{form, spawn_app_on_with, Backend, TestApp};
use libres_web::{Clock, WebOptions};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

fn statement(status: StatementStatus) -> Statement {
    Statement {
        id: 0,
        status,
        texts: vec![
            AnnouncementText {
                lang: "es".into(),
                title: "Libertad para todos".into(),
                body: "Exigimos la liberación.\n\nDe todos.".into(),
            },
            AnnouncementText {
                lang: "en".into(),
                title: "Freedom for all".into(),
                body: "We demand their release.".into(),
            },
        ],
        addressees: vec!["Gobierno de Cuba".into(), "Naciones Unidas".into()],
        date: Some(libres_core::EdtfDate::parse("2025-01-20").unwrap()),
        closed_at: None,
        person_ids: vec![],
        announcement_ids: vec![],
    }
}

/// The value of the hidden CSRF field of a page.
fn csrf(html: &str) -> String {
    let start = html.find("name=\"csrf\" value=\"").expect("a signing form") + 19;
    html[start..].split('"').next().unwrap().to_owned()
}

fn fields<'a>(token: &'a str, name: &'a str, email: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", token),
        ("name", name),
        ("email", email),
        ("category", "relative"),
        ("years_served", ""),
        ("country", "CU"),
        ("visibility", "full_name"),
    ]
}

async fn app_on(backend: Backend, now: Arc<AtomicI64>) -> Option<TestApp> {
    let opts = WebOptions {
        clock: Clock::from_fn(move || UnixTime(now.load(Ordering::SeqCst))),
        ..WebOptions::default()
    };
    spawn_app_on_with(backend, opts).await
}

async fn signatures(app: &TestApp, id: i64) -> Vec<libres_store::statements::SignatureRecord> {
    app.store
        .signatures(id, SignatureFilter::All, 0, 1000)
        .await
        .unwrap()
        .0
}

async fn a_signature_goes_from_the_form_to_the_public_list(backend: Backend) {
    let now = Arc::new(AtomicI64::new(1_767_000_000));
    let Some(app) = app_on(backend, Arc::clone(&now)).await else {
        eprintln!(
            "*** SKIPPED a_signature_goes_from_the_form_to_the_public_list on {}: {} (see the README, \"Test it\")",
            backend.name(),
            backend.unavailable_reason().unwrap_or_default()
        );
        return;
    };
    let id = app
        .store
        .add_statement(&statement(StatementStatus::Open), "carla")
        .await
        .unwrap();
    let page = app.get(&format!("/en/statements/{id}")).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.header("cache-control"), Some("no-store"));
    let html = page.text();
    assert!(html.contains("Freedom for all"));
    assert!(html.contains("Naciones Unidas"));
    let token = csrf(&html);
    let sign = format!("/en/statements/{id}/sign");

    // Refused before anything is read: no token, another site's page.
    let mut no_token = fields("", "Ana Pupo", "ana@example.org");
    no_token.remove(0);
    let res = app.post_form(&sign, &[], &form(&no_token)).await;
    assert_eq!(res.status, 403);
    assert!(res.text().contains("Reload the statement"));
    let res = app
        .post_form(
            &sign,
            &[("origin", "https://elsewhere.example")],
            &form(&fields(&token, "Ana Pupo", "ana@example.org")),
        )
        .await;
    assert_eq!(res.status, 403);
    let other = app
        .store
        .add_statement(&statement(StatementStatus::Open), "carla")
        .await
        .unwrap();
    let res = app
        .post_form(
            &format!("/en/statements/{other}/sign"),
            &[],
            &form(&fields(&token, "Ana Pupo", "ana@example.org")),
        )
        .await;
    assert_eq!(res.status, 403, "a token is for one statement");

    // Bad fields: the form again, each problem named, what was typed
    // escaped and a giant name cut.
    let huge = "x".repeat(100_000);
    let res = app
        .post_form(&sign, &[], &form(&fields(&token, &huge, "not-an-address")))
        .await;
    assert_eq!(res.status, 422);
    let html = res.text();
    assert!(html.contains("Give your name"));
    assert!(html.contains("Give an email address"));
    assert!(
        !html.contains(&"x".repeat(201)),
        "the name is not sent back whole"
    );
    let res = app
        .post_form(
            &sign,
            &[],
            &form(&fields(&token, "<script>alert(1)</script>", "")),
        )
        .await;
    assert_eq!(res.status, 422);
    let html = res.text();
    assert!(!html.contains("<script>alert(1)"));
    assert!(html.contains("value=\"&#60;script&#62;alert(1)"), "escaped");
    assert!(signatures(&app, id).await.is_empty(), "nothing stored");

    // A good signature, then the same mailbox written another way: the
    // same answer both times, one signature stored.
    let res = app
        .post_form(
            &sign,
            &[],
            &form(&fields(&token, "Ana Pupo", "Ana.Pupo@gmail.com")),
        )
        .await;
    assert_eq!(res.status, 303);
    let signed = res.header("location").unwrap().to_owned();
    assert_eq!(signed, format!("/en/statements/{id}/signed"));
    let again = app
        .post_form(
            &sign,
            &[],
            &form(&fields(&token, "Ana", "anapupo+x@googlemail.com")),
        )
        .await;
    assert_eq!(again.status, 303);
    assert_eq!(again.header("location"), Some(signed.as_str()));
    assert!(app.get(&signed).await.text().contains("Check your email"));
    // The same address from two connections at once: one signature.
    let body = form(&fields(&token, "Luis Díaz", "luis@example.org"));
    let (a, b) = tokio::join!(
        app.post_form(&sign, &[], &body),
        app.post_form(&sign, &[], &body)
    );
    assert_eq!((a.status.as_u16(), b.status.as_u16()), (303, 303));
    let stored = signatures(&app, id).await;
    assert_eq!(stored.len(), 2, "Ana once, Luis once");

    // Nothing counts before confirmation.
    let json = app
        .get(&format!("/en/statements/{id}/signatures.json"))
        .await;
    assert_eq!(json.json()["total"], 0);

    // The mailed link: its page confirms nothing; its button does, once.
    let mails = app
        .store
        .due_mail(UnixTime(i64::MAX / 2), 100)
        .await
        .unwrap();
    let ana = mails.iter().find(|m| m.to == "ana.pupo@gmail.com").unwrap();
    let key = SiteKey::load(app.store.as_ref()).await.unwrap();
    let link = confirm_path(&key, ana, ana.signed_at.plus(3600));
    assert!(
        link.starts_with(&format!("/en/statements/{id}/confirm?")),
        "in the language of the page it was signed on: {link}"
    );
    let page = app.get(&link).await;
    assert_eq!(page.status, 200);
    let shown = page.text();
    assert!(shown.contains("Confirm my signature"));
    assert!(
        shown.contains("Ana Pupo") && shown.contains("Relative of a detainee"),
        "the owner of the mailbox sees what they would confirm"
    );
    assert_eq!(
        app.get(&format!("/en/statements/{id}/signatures.json"))
            .await
            .json()["total"],
        0,
        "opening the link (as a mail scanner would) confirms nothing"
    );
    let query = link.split_once('?').unwrap().1;
    let confirm = format!("/en/statements/{id}/confirm");
    let res = app.post_form(&confirm, &[], query).await;
    assert_eq!(res.status, 200);
    assert!(res.text().contains("your signature is confirmed"));
    let res = app.post_form(&confirm, &[], query).await;
    assert_eq!(res.status, 200);
    assert!(res.text().contains("already confirmed"), "reused");
    // Forged: another signature's number under this token.
    let luis = mails.iter().find(|m| m.to == "luis@example.org").unwrap();
    let forged = query.replace(
        &format!("s={}", ana.signature),
        &format!("s={}", luis.signature),
    );
    let res = app.post_form(&confirm, &[], &forged).await;
    assert_eq!(res.status, 400);
    assert!(res.text().contains("is not valid"));
    assert_eq!(
        app.get(&format!("/en/statements/{id}/confirm?{forged}"))
            .await
            .status,
        400
    );
    // Expired: the clock moves past the link's hour.
    let luis_link = confirm_path(&key, luis, luis.signed_at.plus(3600));
    now.store(luis.signed_at.0 + 3601, Ordering::SeqCst);
    let res = app
        .post_form(&confirm, &[], luis_link.split_once('?').unwrap().1)
        .await;
    assert_eq!(res.status, 410);
    assert!(res.text().contains("has expired"));
    now.store(1_767_000_000, Ordering::SeqCst);
    let res = app
        .post_form(&confirm, &[], luis_link.split_once('?').unwrap().1)
        .await;
    assert_eq!(res.status, 200);

    // Counted now, named only once approved, never with an address.
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let json = app
        .get(&format!("/en/statements/{id}/signatures.json"))
        .await;
    assert_eq!(json.json()["total"], 2);
    assert_eq!(json.json()["by_category"]["relative"], 2);
    assert_eq!(json.json()["signatories"].as_array().unwrap().len(), 0);
    let ids: Vec<i64> = signatures(&app, id).await.iter().map(|s| s.id).collect();
    app.store
        .moderate_signatures(id, &ids, Moderation::Approve, "mod")
        .await
        .unwrap();
    let page = app.get(&format!("/en/statements/{id}")).await.text();
    assert!(page.contains("Ana Pupo"));
    assert!(page.contains("Relative of a detainee"));
    let json = app
        .get(&format!("/en/statements/{id}/signatures.json"))
        .await;
    let text = json.text();
    assert!(text.contains("Luis Díaz"));
    assert!(!text.contains("@"), "no address: {text}");
    let csv = app
        .get(&format!("/en/statements/{id}/signatures.csv"))
        .await;
    assert_eq!(csv.content_type(), "text/csv; charset=utf-8");
    let csv = csv.text();
    assert!(csv.starts_with("name,category,country,years,verified\r\n"));
    assert!(csv.contains("Ana Pupo,relative,CU,,false"));
    assert!(!csv.contains('@'));

    // Closed: the form is gone and a late post is told why. A draft is
    // not there at all.
    let mut closed = app.store.statement(id).await.unwrap().unwrap();
    closed.status = StatementStatus::Closed;
    app.store.update_statement(&closed, "carla").await.unwrap();
    let page = app.get(&format!("/en/statements/{id}")).await.text();
    assert!(!page.contains("name=\"csrf\""));
    assert!(page.contains("takes no more signatures"));
    let res = app
        .post_form(&sign, &[], &form(&fields(&token, "Eva", "eva@example.org")))
        .await;
    assert_eq!(res.status, 409);
    let draft = app
        .store
        .add_statement(&statement(StatementStatus::Draft), "carla")
        .await
        .unwrap();
    assert_eq!(
        app.get(&format!("/en/statements/{draft}")).await.status,
        404
    );
    assert_eq!(
        app.post_form(
            &format!("/en/statements/{draft}/sign"),
            &[],
            &form(&fields(&token, "Eva", "eva@example.org"))
        )
        .await
        .status,
        404
    );
    let list = app.get("/ar/statements").await.text();
    assert!(list.contains(&format!("/ar/statements/{id}")));
    assert!(!list.contains(&format!("/ar/statements/{draft}\"")));
}

#[tokio::test]
async fn a_signature_goes_from_the_form_to_the_public_list_on_sqlite() {
    a_signature_goes_from_the_form_to_the_public_list(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_signature_goes_from_the_form_to_the_public_list_on_postgres() {
    a_signature_goes_from_the_form_to_the_public_list(Backend::Postgres).await;
}

#[tokio::test]
async fn a_name_that_starts_like_a_formula_is_not_one_in_the_csv() {
    let now = Arc::new(AtomicI64::new(1_767_000_000));
    let app = app_on(Backend::Sqlite, now).await.unwrap();
    let id = app
        .store
        .add_statement(&statement(StatementStatus::Open), "carla")
        .await
        .unwrap();
    let token = csrf(&app.get(&format!("/es/statements/{id}")).await.text());
    let res = app
        .post_form(
            &format!("/es/statements/{id}/sign"),
            &[],
            &form(&fields(
                &token,
                "=HYPERLINK(\"http://x\",\"y\")",
                "f@example.org",
            )),
        )
        .await;
    assert_eq!(res.status, 303);
    let sig = signatures(&app, id).await[0].id;
    app.store
        .confirm_signatures(&[(id, sig)], UnixTime(1_767_000_001))
        .await
        .unwrap();
    app.store
        .moderate_signatures(id, &[sig], Moderation::Approve, "mod")
        .await
        .unwrap();
    let csv = app
        .get(&format!("/es/statements/{id}/signatures.csv"))
        .await
        .text();
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        "{csv}"
    );
}

/// A real SMTP server on localhost (Python's aiosmtpd, as Debian packages
/// it), writing what it receives to a maildir; killed when dropped.
struct SmtpServer {
    child: std::process::Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl SmtpServer {
    fn start() -> SmtpServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = tempfile::tempdir().unwrap();
        let maildir = dir.path().join("maildir");
        let child = std::process::Command::new("/usr/bin/python3")
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("start aiosmtpd (Debian: apt-get install python3-aiosmtpd; scripts/test.sh installs it)");
        let started = std::time::Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(20),
                "aiosmtpd did not listen on {port} within 20 s"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        SmtpServer { child, port, dir }
    }

    /// Every message received so far, as text.
    fn messages(&self) -> Vec<String> {
        let new = self.dir.path().join("maildir").join("new");
        std::fs::read_dir(new)
            .map(|d| {
                d.map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A mail as its reader sees it: quoted-printable undone.
fn readable(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let mut out = Vec::new();
    let b = joined.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The confirmation link of a mail: its path and query.
fn link_in(mail: &str, origin: &str) -> String {
    let text = readable(mail);
    let at = text.find(origin).expect("a link to the site") + origin.len();
    text[at..].split_whitespace().next().unwrap().to_owned()
}

/// Create, sign, confirm, moderate, publish: a statement end to end in
/// headless Chromium, with the confirmation mail sent through a real SMTP
/// server (SQLite) or written to the outbox directory (PostgreSQL).
async fn a_statement_goes_from_the_staff_form_to_a_moderated_public_list_in_chromium(
    backend: Backend,
) {
    use libres_app::statements::{Mailer, Transport};
    use libres_core::Role;
    use libres_testkit::browser::{Browser, Viewport};
    let test = "a_statement_goes_from_the_staff_form_to_a_moderated_public_list_in_chromium";
    let Some(site) = crate::staff_auth::site_on(backend, test).await else {
        return;
    };
    let secret = site.enrol("editor@example.org", Role::Editor).await;
    let Some(browser) = Browser::launch(Viewport::DESKTOP).await else {
        return;
    };
    crate::staff_auth::log_in_with_browser(&site, &browser, "editor@example.org", &secret).await;

    // Staff write the statement, open for signing.
    browser.goto(&site.app.url("/staff/statements/new")).await;
    browser
        .eval("document.querySelector('select[name=status]').value = 'open'; return 0;")
        .await;
    browser
        .fill("input[name=title_es]", "Libertad para los presos de julio")
        .await;
    browser
        .fill("textarea[name=body_es]", "Exigimos su liberación.")
        .await;
    browser
        .fill("input[name=title_en]", "Freedom for the July prisoners")
        .await;
    browser
        .fill("textarea[name=addressees]", "Gobierno de Cuba")
        .await;
    browser
        .submit("form[action='/staff/statements/new'] button")
        .await;
    let location = browser.location().await;
    let shown = browser.text().await;
    let id: i64 = location
        .strip_prefix("/staff/statements/")
        .and_then(|l| l.strip_suffix("/signatures"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{location}: {shown}"));

    // A reader signs, choosing initials.
    browser
        .goto(&site.app.url(&format!("/es/statements/{id}")))
        .await;
    assert!(browser
        .text()
        .await
        .contains("Libertad para los presos de julio"));
    browser.fill("input[name=name]", "Ana María Pupo").await;
    browser
        .fill("input[name=email]", "ana.pupo@example.org")
        .await;
    browser
        .eval(
            "document.querySelector('select[name=category]').value = 'relative'; \
             document.querySelector('select[name=country]').value = 'CU'; return 0;",
        )
        .await;
    browser
        .click("input[name=visibility][value=initials]")
        .await;
    browser.submit("form.sign button").await;
    assert_eq!(
        browser.location().await,
        format!("/es/statements/{id}/signed")
    );
    assert!(browser.text().await.contains("Revisa tu correo"));

    // The mail goes out, through SMTP or to the outbox directory.
    let smtp = (backend == Backend::Sqlite).then(SmtpServer::start);
    let outbox = tempfile::tempdir().unwrap();
    let transport = match &smtp {
        Some(s) => Transport::smtp(&format!("smtp://127.0.0.1:{}", s.port)).unwrap(),
        None => Transport::Outbox(outbox.path().to_owned()),
    };
    let mailer = Mailer {
        store: std::sync::Arc::clone(&site.app.store),
        transport,
        from: "Campaña <noreply@example.org>".parse().unwrap(),
        base_url: site.app.origin(),
        link_secs: 7 * 86_400,
    };
    assert_eq!(mailer.send_due(site.now(), 10).await.unwrap(), 1);
    let mails: Vec<String> = match &smtp {
        Some(s) => s.messages(),
        None => std::fs::read_dir(outbox.path())
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect(),
    };
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains("ana.pupo@example.org"));
    assert!(readable(&mails[0]).contains("Confirma tu firma"));
    let link = link_in(&mails[0], &site.app.origin());

    // Nothing counts until the button on the link's page is pressed.
    browser.goto(&site.app.url(&link)).await;
    assert!(browser.text().await.contains("Confirmar mi firma"));
    assert_eq!(site.app.store.signature_counts(id).await.unwrap().total, 0);
    browser
        .submit(&format!(
            "form[action='/es/statements/{id}/confirm'] button"
        ))
        .await;
    assert!(browser.text().await.contains("tu firma está confirmada"));
    assert_eq!(site.app.store.signature_counts(id).await.unwrap().total, 1);
    // Counted, not yet named.
    browser
        .goto(&site.app.url(&format!("/es/statements/{id}")))
        .await;
    let page = browser.text().await;
    assert!(page.contains("Familiar de un detenido"));
    assert!(!page.contains("A. M. P."));

    // Staff approve the name.
    browser
        .goto(&site.app.url(&format!("/staff/statements/{id}/signatures")))
        .await;
    assert!(browser.text().await.contains("ana.pupo@example.org"));
    assert_eq!(browser.click_all("input[name=sig]").await, 1);
    browser
        .submit(&format!(
            "form[action='/staff/statements/{id}/signatures/moderate'] button"
        ))
        .await;
    assert!(browser.text().await.contains("approve: 1 of 1"));

    // Published as the signer chose: initials and country.
    browser
        .goto(&site.app.url(&format!("/es/statements/{id}")))
        .await;
    let page = browser.text().await;
    assert!(page.contains("A. M. P."), "{page}");
    assert!(!page.contains("Ana María Pupo"));
    assert!(!page.contains("ana.pupo@example.org"));
    let audit: Vec<String> = site
        .app
        .store
        .audit_entries(0, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for action in [
        "statement_added",
        "signatures_viewed",
        "signatures_moderated",
    ] {
        assert!(audit.iter().any(|a| a == action), "{action} in {audit:?}");
    }
    browser.close().await;
}

#[tokio::test]
async fn a_statement_goes_from_the_staff_form_to_a_moderated_public_list_in_chromium_on_sqlite() {
    a_statement_goes_from_the_staff_form_to_a_moderated_public_list_in_chromium(Backend::Sqlite)
        .await;
}

#[tokio::test]
async fn a_statement_goes_from_the_staff_form_to_a_moderated_public_list_in_chromium_on_postgres() {
    a_statement_goes_from_the_staff_form_to_a_moderated_public_list_in_chromium(Backend::Postgres)
        .await;
}

#[tokio::test]
async fn a_statement_names_the_published_persons_it_concerns_and_no_other() {
    use libres_testkit::PersonBuilder;
    let now = Arc::new(AtomicI64::new(1_767_000_000));
    let app = app_on(Backend::Sqlite, now).await.unwrap();
    app.upsert([
        PersonBuilder::new("CU-0001", "Félix", "Navarro").build(),
        PersonBuilder::new("CU-0002", "Oculta", "Reservada")
            .unpublished()
            .build(),
    ])
    .await;
    let announced = app
        .store
        .add_announcement(
            &libres_core::Announcement {
                id: 0,
                country: libres_core::CountryCode::parse("CU").unwrap(),
                date: libres_core::EdtfDate::parse("2025-01-14").unwrap(),
                issuer_kind: libres_core::IssuerKind::Government,
                issuer: "MINREX".into(),
                claim: libres_core::ClaimKind::Releases,
                claimed: Some(553),
                claimed_words: None,
                texts: vec![AnnouncementText {
                    lang: "es".into(),
                    title: "Cuba anuncia 553 excarcelaciones".into(),
                    body: String::new(),
                }],
                source_ids: vec![],
            },
            "carla",
        )
        .await
        .unwrap();
    let id = app
        .store
        .add_statement(
            &Statement {
                person_ids: vec![
                    libres_core::PersonId::parse("CU-0001").unwrap(),
                    libres_core::PersonId::parse("CU-0002").unwrap(),
                ],
                announcement_ids: vec![announced],
                ..statement(StatementStatus::Open)
            },
            "carla",
        )
        .await
        .unwrap();
    let page = app.get(&format!("/es/statements/{id}")).await.text();
    assert!(page.contains("href=\"/es/persons/CU-0001\""));
    assert!(page.contains("Félix Navarro"));
    assert!(
        !page.contains("CU-0002"),
        "an unpublished person is not named"
    );
    assert!(!page.contains("Reservada"));
    assert!(page.contains(&format!("href=\"/es/announcements/{announced}\"")));
    assert!(page.contains("Cuba anuncia 553 excarcelaciones"));
}

#[tokio::test]
async fn a_burst_from_one_address_is_flagged_for_staff_and_answered_like_any_other() {
    let opts = WebOptions {
        abuse: libres_web::AbuseLimits {
            per_address: 2,
            per_domain: 1000,
        },
        ..WebOptions::default()
    };
    let app = libres_testkit::spawn_app_with(opts).await;
    let id = app
        .store
        .add_statement(&statement(StatementStatus::Open), "carla")
        .await
        .unwrap();
    let token = csrf(&app.get(&format!("/es/statements/{id}")).await.text());
    let mut answers = Vec::new();
    for i in 0..4 {
        let email = format!("firma{i}@gmail.com");
        let res = app
            .post_form(
                &format!("/es/statements/{id}/sign"),
                &[],
                &form(&fields(&token, "Firmante", &email)),
            )
            .await;
        answers.push((
            res.status.as_u16(),
            res.header("location").map(str::to_owned),
        ));
    }
    assert!(
        answers.windows(2).all(|w| w[0] == w[1]),
        "the same answer each time: {answers:?}"
    );
    let (flagged, n) = app
        .store
        .signatures(id, SignatureFilter::Flagged, 0, 10)
        .await
        .unwrap();
    assert_eq!(n, 2, "the third and fourth from the address");
    assert!(flagged.iter().all(|s| s.flag == "address_rate"));
    assert_eq!(signatures(&app, id).await.len(), 4, "nothing refused");
}
