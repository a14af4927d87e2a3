//! The staff pages of the registry, through HTTP over a real store:
//! searching persons (unpublished ones included), a person's whole record
//! and history, editing and creating persons, adding events, and importing
//! a person file with a preview first.

use crate::fixtures::{seed, CONTACT_MARKER, CU1, HIDDEN, NOTES_MARKER, TESTIMONY_MARKER};
use crate::staff_auth::{site, Session, Site};
use libres_core::{EdtfDate, PersonId, Role};
use libres_web::Lang;

pub(crate) const XSS: &str = "<script>alert(1)</script>";
pub(crate) const XSS_ESCAPED: &str = "&#60;script&#62;alert(1)&#60;/script&#62;";

/// A seeded site and a signed-in session with `role`.
pub(crate) async fn signed_in(role: Role) -> (Site, Session) {
    let site = site().await;
    seed(&site.app).await;
    let email = format!("{role}@example.org");
    let secret = site.enrol(&email, role).await;
    let session = site.login(&email, &secret).await;
    (site, session)
}

/// Another session on the same site, with `role`.
pub(crate) async fn also(site: &Site, role: Role) -> Session {
    let email = format!("{role}@example.org");
    let secret = site.enrol(&email, role).await;
    site.login(&email, &secret).await
}

/// What the form of `id` sends when nothing is changed, with `changes`.
fn edit_fields<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("given_names", "Yoandri"),
        ("surname1", "González"),
        ("surname2", "García"),
        ("sex", ""),
        ("birth_date", "1985~"),
        ("nationality", "CU|ES"),
        ("country", "CU"),
        ("province", "La Habana"),
        ("aliases", "El Yoa"),
        ("occupation", "Albañil"),
        (
            "summary",
            "Detenido tras las protestas del 11 de julio de 2021.",
        ),
        ("private_notes", NOTES_MARKER),
        ("family_contact", CONTACT_MARKER),
        ("publish", "yes"),
    ];
    for (k, v) in changes {
        match fields.iter_mut().find(|(n, _)| n == k) {
            Some(f) => f.1 = v,
            None => fields.push((k, v)),
        }
    }
    fields
}

/// `text` as the templates escape it.
fn escaped(text: &str) -> String {
    text.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

#[tokio::test]
async fn the_search_finds_unpublished_persons_and_marks_them() {
    let (site, viewer) = signed_in(Role::Viewer).await;
    let res = site.get("/staff/persons?q=Oculta", &viewer).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let html = res.text();
    assert!(html.contains(&format!("/staff/persons/{HIDDEN}")), "{html}");
    assert!(html.contains("unpublished"), "{html}");
    let all = site.get("/staff/persons", &viewer).await.text();
    assert!(all.contains(&format!("/staff/persons/{CU1}")), "{all}");
    // A viewer reads but is offered no edit.
    assert!(!all.contains("/staff/persons/new"), "{all}");
    let page = site.get(&format!("/staff/persons/{CU1}"), &viewer).await;
    assert_eq!(page.status, 200);
    let page = page.text();
    assert!(!page.contains("/edit\""), "{page}");
    assert!(!page.contains("Add an event"), "{page}");
    assert_eq!(site.get("/staff/persons?page=0", &viewer).await.status, 400);
}

#[tokio::test]
async fn the_person_page_shows_confidential_fields_and_sources_marked_as_such() {
    let (site, viewer) = signed_in(Role::Viewer).await;
    let html = site
        .get(&format!("/staff/persons/{CU1}"), &viewer)
        .await
        .text();
    for marker in [NOTES_MARKER, CONTACT_MARKER, TESTIMONY_MARKER] {
        assert!(html.contains(marker), "{marker}");
    }
    assert!(html.contains("private_notes <strong>(confidential)</strong>"));
    assert!(html.contains("(confidential source)"));
    assert!(html.contains("parole"), "the release is on the timeline");
    assert!(html.contains("created by"), "the history: {html}");
}

#[tokio::test]
async fn a_researcher_edits_a_person_and_the_history_shows_the_diff_and_who() {
    let (site, researcher) = signed_in(Role::Researcher).await;
    let form = site
        .get(&format!("/staff/persons/{CU1}/edit"), &researcher)
        .await;
    assert_eq!(form.status, 200);
    let form = form.text();
    assert!(form.contains("value=\"La Habana\""), "{form}");
    assert!(
        !form.contains("name=\"publish\""),
        "a researcher cannot change the consent: {form}"
    );
    let res = site
        .post(
            &format!("/staff/persons/{CU1}/edit"),
            &researcher,
            // Tries to unpublish, too: kept as stored.
            &edit_fields(&[("province", "Artemisa"), ("publish", "no")]),
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text());
    assert_eq!(
        res.header("location"),
        Some(format!("/staff/persons/{CU1}").as_str())
    );
    let stored = site
        .store()
        .get_person(&PersonId::parse(CU1).unwrap())
        .await
        .unwrap()
        .unwrap()
        .person;
    assert_eq!(stored.province.as_deref(), Some("Artemisa"));
    assert!(stored.publish, "a researcher cannot unpublish");
    let page = site
        .get(&format!("/staff/persons/{CU1}"), &researcher)
        .await
        .text();
    let history = &page[page.find("<h2>History</h2>").unwrap()..];
    let first = &history[..history.find("</section>").unwrap()];
    assert!(
        first.contains("updated by researcher@example.org"),
        "{first}"
    );
    assert!(
        first.contains("<td>province</td><td style=\"white-space:pre-wrap\"><del>La Habana</del></td><td style=\"white-space:pre-wrap\"><ins>Artemisa</ins></td>"),
        "{first}"
    );
    assert!(!first.contains("<td>publish"), "{first}");
    assert!(
        !first.contains("<td>summary") && !first.contains("<td>aliases"),
        "the fields left as they were are not changes: {first}"
    );
    let audit = site.store().audit_entries(0, 1000).await.unwrap();
    let (viewed, last) = (&audit[audit.len() - 1], &audit[audit.len() - 2]);
    assert_eq!(last.actor, "researcher@example.org");
    assert_eq!(last.action, "person_updated");
    assert_eq!(viewed.action, "person_viewed", "the page read after it");

    // An editor may change the consent.
    let editor = also(&site, Role::Editor).await;
    let form = site
        .get(&format!("/staff/persons/{CU1}/edit"), &editor)
        .await
        .text();
    assert!(form.contains("name=\"publish\""));
    let res = site
        .post(
            &format!("/staff/persons/{CU1}/edit"),
            &editor,
            &edit_fields(&[("province", "Artemisa"), ("publish", "no")]),
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text());
    let stored = site
        .store()
        .get_person(&PersonId::parse(CU1).unwrap())
        .await
        .unwrap()
        .unwrap()
        .person;
    assert!(!stored.publish);
}

#[tokio::test]
async fn aliases_occupation_and_summary_are_edited_like_every_other_field() {
    let (site, researcher) = signed_in(Role::Researcher).await;
    let form = site
        .get(&format!("/staff/persons/{CU1}/edit"), &researcher)
        .await
        .text();
    assert!(form.contains("name=\"aliases\""), "{form}");
    let res = site
        .post(
            &format!("/staff/persons/{CU1}/edit"),
            &researcher,
            &edit_fields(&[
                ("aliases", "El Yoa|Yoyi"),
                ("occupation", "Carpintero"),
                ("summary", ""),
            ]),
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text());
    let stored = site
        .store()
        .get_person(&PersonId::parse(CU1).unwrap())
        .await
        .unwrap()
        .unwrap()
        .person;
    assert_eq!(stored.aliases, ["El Yoa", "Yoyi"]);
    assert_eq!(stored.occupation.as_deref(), Some("Carpintero"));
    assert_eq!(stored.summary, None);
}

#[tokio::test]
async fn a_form_with_problems_comes_back_with_the_input_and_the_import_words() {
    let (site, researcher) = signed_in(Role::Researcher).await;
    let res = site
        .post(
            &format!("/staff/persons/{CU1}/edit"),
            &researcher,
            &edit_fields(&[
                ("birth_date", "1985-13"),
                ("surname1", ""),
                ("province", "Pinar del Río"),
            ]),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text());
    let html = res.text();
    let why = EdtfDate::parse("1985-13").unwrap_err().to_string();
    assert!(
        html.contains(&format!("birth_date: {}", escaped(&why))),
        "{why} in {html}"
    );
    assert!(html.contains("surname1: is empty"), "{html}");
    assert!(html.contains("value=\"1985-13\""), "the input is kept");
    assert!(
        html.contains("value=\"Pinar del Río\""),
        "the input is kept"
    );
    let stored = site
        .store()
        .get_person(&PersonId::parse(CU1).unwrap())
        .await
        .unwrap()
        .unwrap()
        .person;
    assert_eq!(
        stored.province.as_deref(),
        Some("La Habana"),
        "nothing saved"
    );
}

#[tokio::test]
async fn markup_in_every_text_field_comes_back_escaped() {
    let (site, editor) = signed_in(Role::Editor).await;
    let fields = [
        ("id", "XSS-1"),
        ("given_names", XSS),
        ("surname1", XSS),
        ("surname2", XSS),
        ("aliases", XSS),
        ("country", "CU"),
        ("province", XSS),
        ("occupation", XSS),
        ("summary", XSS),
        ("private_notes", XSS),
        ("family_contact", XSS),
        ("publish", "yes"),
    ];
    let res = site.post("/staff/persons/new", &editor, &fields).await;
    assert_eq!(res.status, 303, "{}", res.text());
    let stored = site
        .store()
        .get_person(&PersonId::parse("XSS-1").unwrap())
        .await
        .unwrap()
        .unwrap()
        .person;
    assert_eq!(stored.summary.as_deref(), Some(XSS));
    assert_eq!(stored.aliases, [XSS]);
    let res = site
        .post(
            "/staff/persons/XSS-1/events",
            &editor,
            &[
                ("kind", "arrest"),
                ("date", "2024"),
                ("place", XSS),
                ("description", XSS),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text());
    for path in [
        "/staff/persons/XSS-1",
        "/staff/persons/XSS-1/edit",
        "/staff/persons?q=alert",
    ] {
        let html = site.get(path, &editor).await.text();
        assert!(!html.contains("<script"), "{path}: {html}");
        assert!(html.contains(XSS_ESCAPED), "{path}: {html}");
    }
    // Every field's value is on the person page (the record and the
    // history), escaped each time.
    let html = site.get("/staff/persons/XSS-1", &editor).await.text();
    assert!(html.matches(XSS_ESCAPED).count() >= 2 * 9, "{html}");
    // And a form with problems echoes the input escaped.
    let res = site
        .post(
            "/staff/persons/new",
            &editor,
            &[("id", "XSS-2"), ("summary", XSS), ("private_notes", XSS)],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(!res.text().contains("<script"));
    assert!(res.text().contains(XSS_ESCAPED));
}

#[tokio::test]
async fn a_researcher_creates_unpublished_persons_and_an_existing_id_is_refused() {
    let (site, researcher) = signed_in(Role::Researcher).await;
    let fields = [
        ("id", "CU-0900"),
        ("given_names", "Ana"),
        ("surname1", "Pérez"),
        ("country", "CU"),
        ("summary", "Detenida en 2024."),
        ("publish", "yes"),
    ];
    let res = site.post("/staff/persons/new", &researcher, &fields).await;
    assert_eq!(res.status, 303, "{}", res.text());
    assert_eq!(res.header("location"), Some("/staff/persons/CU-0900"));
    let stored = site
        .store()
        .get_person(&PersonId::parse("CU-0900").unwrap())
        .await
        .unwrap()
        .unwrap()
        .person;
    assert!(!stored.publish, "a researcher's new person is unpublished");
    assert_eq!(stored.summary.as_deref(), Some("Detenida en 2024."));
    let again = site.post("/staff/persons/new", &researcher, &fields).await;
    assert_eq!(again.status, 422);
    assert!(again.text().contains("already exists"), "{}", again.text());
    let bad = site
        .post("/staff/persons/new", &researcher, &[("id", "CU 1")])
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.text().contains("the id contains ` `"), "{}", bad.text());
}

#[tokio::test]
async fn an_event_is_added_with_its_sources_and_problems_are_shown_on_the_form() {
    let (site, researcher) = signed_in(Role::Researcher).await;
    let record = site
        .store()
        .get_person(&PersonId::parse(CU1).unwrap())
        .await
        .unwrap()
        .unwrap();
    let source = record.sources[0].id.to_string();
    let path = format!("/staff/persons/{CU1}/events");
    let bad = site
        .post(
            &path,
            &researcher,
            &[
                ("kind", "release"),
                ("date", "2026-02-30x"),
                ("place", "Kept place"),
                ("sources", "99999"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    let html = bad.text();
    assert!(html.contains("date: "), "{html}");
    assert!(
        html.contains("release_kind: a release needs its kind"),
        "{html}"
    );
    assert!(html.contains("value=\"Kept place\""), "{html}");
    let unknown = site
        .post(
            &path,
            &researcher,
            &[
                ("kind", "transfer"),
                ("date", "2026-02"),
                ("sources", "99999"),
            ],
        )
        .await;
    assert_eq!(unknown.status, 422);
    assert!(
        unknown.text().contains("there is no source 99999"),
        "{}",
        unknown.text()
    );
    let ok = site
        .post(
            &path,
            &researcher,
            &[
                ("kind", "release"),
                ("date", "2026-02"),
                ("release_kind", "house_arrest"),
                ("conditions", "travel_ban"),
                ("place", "Santa Clara"),
                ("sources", &source),
            ],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.text());
    let after = site
        .store()
        .get_person(&PersonId::parse(CU1).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.events.len(), record.events.len() + 1);
    assert_eq!(after.status.to_string(), "house_arrest");
    let page = site
        .get(&format!("/staff/persons/{CU1}"), &researcher)
        .await
        .text();
    assert!(
        page.contains("event_added by researcher@example.org"),
        "{page}"
    );
    assert!(page.contains("house_arrest"), "{page}");
}

#[tokio::test]
async fn confidential_fields_set_by_staff_never_reach_the_public_page() {
    let (site, editor) = signed_in(Role::Editor).await;
    let canary_notes = "CANARY-NOTES-5e1f";
    let canary_contact = "CANARY-CONTACT-77aa";
    let res = site
        .post(
            &format!("/staff/persons/{CU1}/edit"),
            &editor,
            &edit_fields(&[
                ("private_notes", canary_notes),
                ("family_contact", canary_contact),
            ]),
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text());
    let staff_page = site
        .get(&format!("/staff/persons/{CU1}"), &editor)
        .await
        .text();
    assert!(staff_page.contains(canary_notes));
    for lang in [Lang::En, Lang::Es] {
        let public = site.app.get_person_html(lang, CU1).await;
        assert_eq!(public.status, 200);
        let html = public.text();
        assert!(html.contains("Yoandri"));
        for canary in [canary_notes, canary_contact] {
            assert!(!html.contains(canary), "{canary} on the public page");
        }
    }
    let json = site.app.get_person_json(CU1).await.text();
    assert!(!json.contains(canary_notes) && !json.contains(canary_contact));
}

// ---------------------------------------------------------------- import

const BOUNDARY: &str = "libres-test-boundary-9f8e";
const HEADER: &str = "id,given_names,surname1,country,publish\n";

/// A multipart body: the given text fields, in order, then the file.
fn multipart(fields: &[(&str, &str)], file_name: &str, content: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: text/csv\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// Uploads `content` as `file_name` with the session's CSRF token first.
async fn upload(
    site: &Site,
    s: &Session,
    file_name: &str,
    content: &[u8],
) -> libres_testkit::TestResponse {
    upload_with(site, s, &[("csrf", &s.csrf)], file_name, content).await
}

async fn upload_with(
    site: &Site,
    s: &Session,
    fields: &[(&str, &str)],
    file_name: &str,
    content: &[u8],
) -> libres_testkit::TestResponse {
    upload_to(site, s, "/staff/import", fields, file_name, content).await
}

/// Posts `fields`, then `content` as the file `file_name`, to `path` as
/// a multipart form with the session's cookie.
pub(crate) async fn upload_to(
    site: &Site,
    s: &Session,
    path: &str,
    fields: &[(&str, &str)],
    file_name: &str,
    content: &[u8],
) -> libres_testkit::TestResponse {
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    site.app
        .post_bytes(
            path,
            &[("cookie", &s.cookie), ("content-type", &content_type)],
            multipart(fields, file_name, content),
        )
        .await
}

/// The token of the "Apply" form on a preview.
fn token_of(html: &str) -> String {
    let start = r#"name="token" value=""#;
    let at = html
        .find(start)
        .unwrap_or_else(|| panic!("no token in {html}"))
        + start.len();
    html[at..at + html[at..].find('"').unwrap()].to_owned()
}

/// Applies the upload `token`: the site sends the browser to its job's
/// page, which shows the outcome (the test files are small: it is there
/// on the first look).
async fn applied(site: &Site, s: &Session, token: &str) -> libres_testkit::TestResponse {
    let job = apply_job(site, s, token).await;
    site.get(&job, s).await
}

/// Applies the upload `token`; returns the job page's address.
async fn apply_job(site: &Site, s: &Session, token: &str) -> String {
    let res = site
        .post("/staff/import/apply", s, &[("token", token)])
        .await;
    assert_eq!(res.status, 303, "{}", res.text());
    let job = res.header("location").unwrap().to_owned();
    assert!(job.starts_with("/staff/import/jobs/"), "{job}");
    job
}

async fn exists(site: &Site, id: &str) -> bool {
    site.store()
        .get_person(&PersonId::parse(id).unwrap())
        .await
        .unwrap()
        .is_some()
}

#[tokio::test]
async fn an_import_with_a_bad_line_shows_where_and_why_and_applies_nothing() {
    let (site, editor) = signed_in(Role::Editor).await;
    let csv = format!(
        "{HEADER}CU-0500,Ana,Pérez,CU,yes\nCU-0501,Luis,,CU,yes\nCU-0502,Eva,Gil,CU,maybe\n"
    );
    let res = upload(&site, &editor, "list.csv", csv.as_bytes()).await;
    assert_eq!(res.status, 422, "{}", res.text());
    let html = res.text();
    assert!(html.contains("line 3: surname1: is empty"), "{html}");
    assert!(
        html.contains("line 4: publish: `maybe` is not yes or no"),
        "{html}"
    );
    assert!(html.contains("2 problems"), "{html}");
    assert!(
        !html.contains("/staff/import/apply"),
        "no apply form: {html}"
    );
    assert!(!exists(&site, "CU-0500").await);
}

#[tokio::test]
async fn a_good_file_is_previewed_then_applied_once_by_its_session_only() {
    let (site, editor) = signed_in(Role::Editor).await;
    let csv = format!("{HEADER}CU-0600,Ana,Pérez,CU,yes\n{CU1},Yoandri Alberto,González,CU,yes\n");
    let res = upload(&site, &editor, "Lista Final.CSV", csv.as_bytes()).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let html = res.text();
    assert!(html.contains("Preview of Lista Final.CSV"), "{html}");
    assert!(html.contains("<strong>2</strong> valid persons"), "{html}");
    assert!(!exists(&site, "CU-0600").await, "a preview writes nothing");
    let token = token_of(&html);

    // Another session, even of an administrator, cannot apply it.
    let admin = also(&site, Role::Admin).await;
    let res = site
        .post("/staff/import/apply", &admin, &[("token", &token)])
        .await;
    assert_eq!(res.status, 403, "{}", res.text());
    assert!(!exists(&site, "CU-0600").await);

    let job = apply_job(&site, &editor, &token).await;
    // Only the session that applied it reads the outcome.
    assert_eq!(site.get(&job, &admin).await.status, 403);
    let res = site.get(&job, &editor).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let html = res.text();
    assert!(html.contains("<strong>1</strong> created"), "{html}");
    assert!(!html.contains("http-equiv=\"refresh\""), "done: no reload");
    assert!(html.contains("<strong>1</strong> updated"), "{html}");
    assert!(exists(&site, "CU-0600").await);
    let history = site
        .store()
        .person_history(&PersonId::parse("CU-0600").unwrap())
        .await
        .unwrap();
    assert_eq!(history[0].actor, "editor@example.org");
    let audit = site.store().audit_entries(0, 1000).await.unwrap();
    let last = audit.last().unwrap();
    assert_eq!(
        (last.actor.as_str(), last.action.as_str()),
        ("editor@example.org", "persons_imported")
    );
    // Once only.
    let again = site
        .post("/staff/import/apply", &editor, &[("token", &token)])
        .await;
    assert_eq!(again.status, 410);
}

#[tokio::test]
async fn an_upload_waits_in_the_chosen_directory_and_leaves_it_when_applied() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("uploads");
    let chosen = dir.clone();
    let site = crate::staff_auth::site_with_options(|o| libres_web::WebOptions {
        upload_dir: Some(chosen),
        ..o
    })
    .await;
    let editor = also(&site, Role::Editor).await;
    let files = || -> Vec<String> {
        std::fs::read_dir(&dir)
            .map(|d| {
                d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let csv = format!("{HEADER}CU-0640,Ana,Pérez,CU,yes\n");
    let res = upload(&site, &editor, "a.csv", csv.as_bytes()).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let waiting = files();
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    assert!(
        waiting[0].starts_with("libres-upload-") && waiting[0].ends_with(".csv"),
        "{waiting:?}"
    );
    let token = token_of(&res.text());
    let res = applied(&site, &editor, &token).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert!(exists(&site, "CU-0640").await);
    assert_eq!(files(), Vec::<String>::new());
}

#[tokio::test]
async fn an_upload_expires_after_an_hour() {
    let (site, editor) = signed_in(Role::Editor).await;
    let csv = format!("{HEADER}CU-0650,Ana,Pérez,CU,yes\n");
    let res = upload(&site, &editor, "a.csv", csv.as_bytes()).await;
    let token = token_of(&res.text());
    // The session is kept alive by moving time in steps shorter than its
    // idle timeout.
    for _ in 0..4 {
        site.advance(15 * 60 + 1);
        assert_eq!(site.get("/staff/", &editor).await.status, 200);
    }
    let res = site
        .post("/staff/import/apply", &editor, &[("token", &token)])
        .await;
    assert_eq!(res.status, 410, "{}", res.text());
    assert!(!exists(&site, "CU-0650").await);
}

#[tokio::test]
async fn client_file_names_only_choose_the_format_and_never_a_path() {
    let (site, editor) = signed_in(Role::Editor).await;
    let unique = format!("libres-traversal-{}", std::process::id());
    let name = format!("../../{unique}.csv");
    let csv = format!("{HEADER}CU-0700,Ana,Pérez,CU,yes\n");
    let res = upload(&site, &editor, &name, csv.as_bytes()).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert!(res.text().contains("<strong>1</strong> valid persons"));
    for base in [std::env::temp_dir(), std::env::current_dir().unwrap()] {
        let target = base.join(&name);
        assert!(!target.exists(), "{}", target.display());
    }
    assert!(!std::path::Path::new("/")
        .join(format!("{unique}.csv"))
        .exists());

    // A backslash name that says .xlsx: read as a workbook, which this
    // is not; the message names the file as the user does, never where
    // the site keeps it.
    let res = upload(&site, &editor, "..\\x.xlsx", csv.as_bytes()).await;
    assert_eq!(res.status, 422, "{}", res.text());
    let html = res.text();
    assert!(html.contains("is not an Excel workbook"), "{html}");
    assert!(!html.contains("libres-upload-"), "{html}");
    assert!(
        !html.contains(&std::env::temp_dir().display().to_string()),
        "{html}"
    );

    for bad in ["list.txt", "list.csv.exe", "noextension", "/etc/passwd"] {
        let res = upload(&site, &editor, bad, csv.as_bytes()).await;
        assert_eq!(res.status, 422, "{bad}");
        assert!(res.text().contains("Choose a .csv or .xlsx file"), "{bad}");
    }
    assert!(!exists(&site, "CU-0700").await);
}

#[tokio::test]
async fn an_upload_without_this_sessions_csrf_field_first_is_refused() {
    let (site, editor) = signed_in(Role::Editor).await;
    let csv = format!("{HEADER}CU-0800,Ana,Pérez,CU,yes\n");
    for fields in [
        &[][..],
        &[("csrf", "0000")][..],
        &[("other", "x"), ("csrf", editor.csrf.as_str())][..],
    ] {
        let res = upload_with(&site, &editor, fields, "a.csv", csv.as_bytes()).await;
        assert_eq!(res.status, 403, "{fields:?}: {}", res.text());
        assert!(res.text().contains("Form expired"));
    }
    // Another session's token is refused too.
    let admin = also(&site, Role::Admin).await;
    let res = upload_with(
        &site,
        &editor,
        &[("csrf", &admin.csrf)],
        "a.csv",
        csv.as_bytes(),
    )
    .await;
    assert_eq!(res.status, 403);
    // A multipart body sent to a form route is no way around its check.
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let res = site
        .app
        .post_bytes(
            &format!("/staff/persons/{CU1}/events"),
            &[("cookie", &editor.cookie), ("content-type", &content_type)],
            multipart(
                &[("csrf", &editor.csrf), ("kind", "arrest"), ("date", "2025")],
                "a.csv",
                b"",
            ),
        )
        .await;
    assert_eq!(res.status, 400, "{}", res.text());
    assert!(res.text().contains("does not take a file"));
    let record = site
        .store()
        .get_person(&PersonId::parse(CU1).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(!record.events.iter().any(|e| e.date.as_str() == "2025"));
    // A researcher may not import at all.
    let researcher = also(&site, Role::Researcher).await;
    let res = upload(&site, &researcher, "a.csv", csv.as_bytes()).await;
    assert_eq!(res.status, 403);
    assert!(!exists(&site, "CU-0800").await);
}

#[tokio::test]
async fn the_upload_route_alone_takes_a_larger_body_and_says_when_it_is_too_large() {
    let site = crate::staff_auth::site_with_limits(libres_web::Limits {
        max_upload_bytes: 3 * 1024 * 1024,
        ..libres_web::Limits::default()
    })
    .await;
    let editor = also(&site, Role::Editor).await;
    // 1.5 MiB: over the site's form limit, under the upload limit.
    let mut csv = String::from(HEADER);
    let mut n = 0;
    while csv.len() < 1536 * 1024 {
        csv.push_str(&format!(
            "CU-{n:06},Ana María de los Ángeles,Pérez,CU,yes\n"
        ));
        n += 1;
    }
    let res = upload(&site, &editor, "big.csv", csv.as_bytes()).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert!(res
        .text()
        .contains(&format!("<strong>{n}</strong> valid persons")));
    // The same size anywhere else is refused.
    let res = site
        .post(
            &format!("/staff/persons/{CU1}/events"),
            &editor,
            &[("description", &csv)],
        )
        .await;
    assert_eq!(res.status, 413);
    // Over the upload limit: a page saying so.
    let huge = "x".repeat(3 * 1024 * 1024 + 1);
    let res = upload(&site, &editor, "huge.csv", huge.as_bytes()).await;
    assert_eq!(res.status, 413);
    assert!(res.content_type().starts_with("text/html"));
    assert!(res.text().contains("File too large"), "{}", res.text());
    assert!(res.text().contains("3.0 MiB"), "{}", res.text());
    assert_eq!(res.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn the_staff_home_links_the_pages_each_role_may_use() {
    let (site, viewer) = signed_in(Role::Viewer).await;
    let researcher = also(&site, Role::Researcher).await;
    let editor = also(&site, Role::Editor).await;
    for (s, new, import) in [
        (&viewer, false, false),
        (&researcher, true, false),
        (&editor, true, true),
    ] {
        let home = site.get("/staff/", s).await.text();
        assert!(home.contains("href=\"/staff/persons\""), "{home}");
        assert_eq!(home.contains("href=\"/staff/persons/new\""), new, "{home}");
        assert_eq!(home.contains("href=\"/staff/sources/new\""), new, "{home}");
        assert_eq!(home.contains("href=\"/staff/import\""), import, "{home}");
    }
}
