//! The page and API smoke tests, written once and run on every storage
//! backend: `backends::sqlite::…` and `backends::postgres::…` are the same
//! tests over the same data, seeded through the store API. Without
//! `LIBRES_TEST_POSTGRES_URL` the PostgreSQL ones print `*** SKIPPED` and
//! return (CI always sets it).
//!
//! Also here: the same pages, byte for byte, on both backends.

use crate::fixtures::{assert_no_secrets, seed, ARTICLE_URL, CU1, HIDDEN, UNPUBLISHED_NAME};
use libres_testkit::{spawn_app_on, Backend, PersonBuilder, TestApp};
use libres_web::Lang;
use std::io::Write as _;

/// A person written with `upsert_persons` (the import path) rather than
/// `insert_cases`: published, no timeline yet.
const UPSERTED: &str = "VE-0002";

/// Writes the standard registry (four cases, one of them unpublished)
/// with `insert_cases`, then one more person with `upsert_persons`. Every
/// value is given, none is assigned by the store in a way pages show, so
/// both backends must serve the same bytes.
async fn seed_all(app: &TestApp) {
    seed(app).await;
    app.upsert([PersonBuilder::new(UPSERTED, "Luis Alberto", "Peña")
        .country("VE")
        .province("Zulia")
        .build()])
        .await;
}

/// A server over a freshly seeded store of `backend`, or `None` after
/// printing that `test` was skipped because the backend is not configured.
async fn seeded_on(backend: Backend, test: &str) -> Option<TestApp> {
    let Some(app) = spawn_app_on(backend).await else {
        // Straight to the process's stderr: the harness swallows
        // `eprintln!` of passing tests, and a skip must never pass
        // silently.
        let reason = backend
            .unavailable_reason()
            .unwrap_or_else(|| "backend not configured".to_owned());
        let _ = writeln!(
            std::io::stderr(),
            "*** SKIPPED {test}: {reason} (see the README, \"Test it\")"
        );
        return None;
    };
    assert_eq!(app.store.backend(), backend.name());
    seed_all(&app).await;
    Some(app)
}

/// Instantiates every smoke test below as a `#[tokio::test]` over
/// `$backend`.
macro_rules! smoke_tests {
    ($backend:expr) => {
        smoke_tests!(@cases $backend;
            the_home_page_counts_published_persons_only_and_names_no_unpublished_one,
            an_accentless_search_finds_the_accented_name,
            a_misspelled_search_finds_or_suggests_published_names_only,
            a_countrys_figures_and_monthly_report_count_published_cases_only,
            the_case_page_shows_timeline_and_sources_but_nothing_confidential,
            an_unpublished_id_is_the_same_404_as_an_unknown_one,
            a_bad_parameter_is_a_400_in_the_page_language,
            the_api_lists_details_and_404s_in_json,
            healthz_and_the_openapi_document_answer
        );
    };
    (@cases $backend:expr; $($case:ident),*) => {
        $(
            #[tokio::test]
            async fn $case() {
                let test = concat!(module_path!(), "::", stringify!($case));
                let Some(app) = super::seeded_on($backend, test).await else {
                    return;
                };
                super::$case(&app).await;
            }
        )*
    };
}

mod sqlite {
    smoke_tests!(libres_testkit::Backend::Sqlite);
}

mod postgres {
    smoke_tests!(libres_testkit::Backend::Postgres);
}

async fn the_home_page_counts_published_persons_only_and_names_no_unpublished_one(app: &TestApp) {
    for (lang, title) in [
        (Lang::Es, "Presos políticos en cifras"),
        (Lang::En, "Political prisoners in figures"),
        (Lang::Ar, "المعتقلون السياسيون بالأرقام"),
    ] {
        let res = app.get_home_html(lang).await;
        assert_eq!(res.status, 200, "{}", lang.code());
        let html = res.text();
        assert!(html.contains(title), "{}: {html}", lang.code());
        // Four in all: the unpublished Cuban is not counted.
        assert!(html.contains(r#"<span class="total">4</span>"#), "{html}");
        let code = lang.code();
        for (cc, n) in [("CU", 1), ("VE", 2), ("NI", 1)] {
            let cell = format!(r#"<a href="/{code}/persons?country={cc}">"#);
            let at = html
                .find(&cell)
                .unwrap_or_else(|| panic!("no {cc} row in {html}"));
            let row = &html[at..at + html[at..].find("</tr>").unwrap()];
            assert!(
                row.contains(&format!(r#"</th><td class="n">{n}</td>"#)),
                "{row}"
            );
        }
        assert!(!html.contains(UNPUBLISHED_NAME) && !html.contains(HIDDEN));
        assert_no_secrets(&format!("/{code}/"), &html);
    }
}

async fn an_accentless_search_finds_the_accented_name(app: &TestApp) {
    for (lang, one) in [
        (Lang::Es, "1 persona"),
        (Lang::En, "1 person"),
        (Lang::Ar, "شخص واحد"),
    ] {
        let res = app.search_html(lang, "q=gonzalez+garcia").await;
        assert_eq!(res.status, 200);
        let html = res.text();
        assert!(html.contains("González García"), "{html}");
        assert!(html.contains(&format!(r#"<a href="/{}/persons/{CU1}">"#, lang.code())));
        assert!(html.contains(one), "{}: {html}", lang.code());
        assert!(!html.contains("Rodríguez"));
    }
    // The upserted person is searchable too, and the unpublished one never.
    let html = app.search_html(Lang::En, "q=pena").await.text();
    assert!(html.contains("Luis Alberto Peña") && html.contains("1 person"));
    let html = app.search_html(Lang::En, "q=zarzamora").await.text();
    assert!(
        html.contains("0 persons") && !html.contains(HIDDEN),
        "{html}"
    );
    let html = app.search_html(Lang::En, "").await.text();
    assert!(html.contains("4 persons"), "{html}");
}

async fn a_misspelled_search_finds_or_suggests_published_names_only(app: &TestApp) {
    // Spelled as it sounds: found, on the page and in the API.
    for q in ["gonsales+garsia", "yoandry", "Gonz%C3%A1les"] {
        let html = app.search_html(Lang::En, &format!("q={q}")).await.text();
        assert!(
            html.contains("González García") && html.contains("1 person"),
            "q={q}: {html}"
        );
    }
    // Two letters swapped: nothing found, and the right spelling offered
    // as a link that keeps the filters.
    let html = app
        .search_html(Lang::En, "q=gonzalez+garica&country=CU")
        .await
        .text();
    assert!(html.contains("0 persons"), "{html}");
    // Only suggestions that find someone with the same filters: "gonzalez
    // maria" is as near, but María is in Venezuela.
    assert!(
        html.contains(r#"Did you mean: <a href="/en/persons?q=gonzalez+garcia&#38;country=CU"><bdi>gonzalez garcia</bdi></a></p>"#),
        "{html}"
    );
    let api = app.get("/api/v1/persons?q=gonzalez+garica").await.json();
    assert_eq!(api["total"], 0);
    assert_eq!(api["suggestions"], serde_json::json!(["gonzalez garcia"]));
    // The unpublished person's surname is never offered, however near.
    for q in ["zarzamorra", "zarsamora", "oculta"] {
        let html = app.search_html(Lang::En, &format!("q={q}")).await.text();
        assert!(html.contains("0 persons"), "q={q}: {html}");
        assert!(!html.to_lowercase().contains("zarzamora"), "q={q}: {html}");
        assert!(!html.to_lowercase().contains(">oculta<"), "q={q}: {html}");
        let api = app.get(&format!("/api/v1/persons?q={q}")).await.json();
        assert_eq!(api["suggestions"], serde_json::json!([]), "q={q}");
    }
}

async fn a_countrys_figures_and_monthly_report_count_published_cases_only(app: &TestApp) {
    // Cuba: the published case was released on parole in January 2025;
    // the unpublished Cuban, arrested in January 2022, counts nowhere.
    let cu = app.get("/en/countries/CU").await;
    assert_eq!(cu.status, 200);
    let html = cu.text();
    assert!(html.contains("0 persons deprived of liberty now"), "{html}");
    assert!(!html.contains("Holguín") && !html.contains(HIDDEN));
    let report = app.get("/en/countries/CU/2025-01").await;
    assert_eq!(report.status, 200);
    let html = report.text();
    for expected in [
        "<h1>Cuba: report for January 2025</h1>",
        "<div><dt>Deprived of liberty at the end of the month</dt><dd>0</dd></div>",
        "<div><dt>Change over the month</dt><dd>-1</dd></div>",
        "<div><dt>Exits</dt><dd>1</dd></div>",
        r#"<tr><th scope="row"><bdi>Parole (libertad condicional)</bdi></th><td class="n">1</td></tr>"#,
        r#"<svg viewBox="0 0 640 30" width="100%" role="img" aria-label="Exits by kind""#,
    ] {
        assert!(
            html.contains(expected),
            "missing {expected:?} in
{html}"
        );
    }
    assert!(!html.contains(UNPUBLISHED_NAME) && !html.contains(HIDDEN));
    // The month of the unpublished arrest shows no new case.
    let jan22 = app.get("/en/countries/CU/2022-01").await.text();
    assert!(
        jan22.contains("<div><dt>New cases (first arrest)</dt><dd>0</dd></div>"),
        "{jan22}"
    );
    assert!(!jan22.contains(UNPUBLISHED_NAME) && !jan22.contains(HIDDEN));
    // Venezuela: one arrested in August 2024, one with no timeline.
    let ve = app.get("/es/countries/VE").await.text();
    assert!(ve.contains("1 persona privada de libertad hoy"), "{ve}");
    let aug = app.get("/es/countries/ve/2024-08").await.text();
    assert!(
        aug.contains(
            r#"<a href="/es/persons/VE-0001"><bdi>María de los Ángeles Rodríguez Pérez</bdi></a>"#
        ),
        "{aug}"
    );
    assert!(
        aug.contains("sin verificar"),
        "an arrest without a source is marked"
    );
    // Unknown countries, countries without published persons, malformed
    // and future months: the public 404.
    for path in [
        "/en/countries/ZZ",
        "/en/countries/AR",
        "/en/countries/CU/2025-13",
        "/en/countries/CU/2025-1",
        "/en/countries/CU/9999-01",
    ] {
        assert_eq!(app.get(path).await.status, 404, "{path}");
    }
    assert_no_secrets("/en/countries/CU/2025-01", &html);
    // The country's feeds: every change of status, and the new cases.
    let feed = app.get("/en/countries/CU/changes.atom").await;
    assert_eq!(feed.status, 200);
    assert_eq!(feed.content_type(), "application/atom+xml; charset=utf-8");
    let xml = feed.text();
    assert!(
        xml.starts_with(r#"<?xml version="1.0" encoding="utf-8"?>"#),
        "{xml}"
    );
    assert!(
        xml.contains("<title>Yoandri González García — Parole (libertad condicional) (January 16, 2025)</title>"),
        "{xml}"
    );
    assert!(xml.contains("<updated>2025-01-16T00:00:00Z</updated>"));
    assert!(xml.contains(r#"<link rel="alternate" type="text/html" href="/en/persons/CU-0001"/>"#));
    let newest = xml.find("Parole").unwrap();
    let arrest = xml.find("— Arrest (July 11, 2021)").unwrap();
    assert!(newest < arrest, "newest first");
    assert!(!xml.contains(HIDDEN) && !xml.contains(UNPUBLISHED_NAME));
    let cases = app.get("/es/countries/VE/cases.atom").await.text();
    assert_eq!(cases.matches("<entry>").count(), 1, "{cases}");
    assert!(cases.contains("<title>Venezuela: casos nuevos</title>"));
    assert!(
        cases.contains("Sin verificar"),
        "an unsourced arrest says so: {cases}"
    );
    assert_eq!(app.get("/en/countries/CU/other.atom").await.status, 404);
    // Names are escaped.
    app.upsert([PersonBuilder::new("CU-0900", "Ana <b>&", "Pupo").build()])
        .await;
    app.insert([PersonBuilder::new("CU-0901", "Eva & <i>", "Díaz")
        .case()
        .event(libres_core::EventKind::Arrest, "2026-01-05")
        .build()])
        .await;
    let xml = app.get("/en/countries/CU/cases.atom").await.text();
    assert!(
        xml.contains("Eva &#38; &#60;i&#62; Díaz") || xml.contains("Eva &amp; &lt;i&gt; Díaz"),
        "{xml}"
    );
    assert!(!xml.contains("<i>"));
}

async fn the_case_page_shows_timeline_and_sources_but_nothing_confidential(app: &TestApp) {
    let source = format!(
        r#"<a href="{ARTICLE_URL}" rel="noreferrer nofollow"><bdi>Excarcelaciones condicionales en La Habana</bdi></a>"#
    );
    for (lang, expected) in [
        (
            Lang::Es,
            [
                "Cronología",
                "<strong>Detención</strong>",
                "<strong>Excarcelación</strong>",
                "Fuentes",
            ],
        ),
        (
            Lang::En,
            [
                "Timeline",
                "<strong>Arrest</strong>",
                "<strong>Release</strong>",
                "Sources",
            ],
        ),
        (
            Lang::Ar,
            [
                "التسلسل الزمني",
                "<strong>اعتقال</strong>",
                "<strong>إفراج</strong>",
                "المصادر",
            ],
        ),
    ] {
        let res = app.get_person_html(lang, CU1).await;
        assert_eq!(res.status, 200, "{}", lang.code());
        let html = res.text();
        assert!(html.contains("<h1><bdi>Yoandri González García</bdi></h1>"));
        for e in expected {
            assert!(
                html.contains(e),
                "{}: missing {e:?} in\n{html}",
                lang.code()
            );
        }
        assert!(html.contains(&source), "{html}");
        let arrest = html.find(expected[1]).unwrap();
        let release = html.find(expected[2]).unwrap();
        assert!(arrest < release, "the timeline is chronological");
        assert_no_secrets(&format!("/{}/persons/{CU1}", lang.code()), &html);
    }
}

async fn an_unpublished_id_is_the_same_404_as_an_unknown_one(app: &TestApp) {
    for (lang, title) in [
        (Lang::Es, "Página no encontrada"),
        (Lang::En, "Page not found"),
        (Lang::Ar, "الصفحة غير موجودة"),
    ] {
        let hidden = app.get_person_html(lang, HIDDEN).await;
        let unknown = app.get_person_html(lang, "CU-9999").await;
        assert_eq!(hidden.status, 404);
        assert_eq!(unknown.status, 404);
        assert_eq!(hidden.headers.len(), unknown.headers.len());
        let hidden = hidden.text();
        assert!(hidden.contains(&format!("<h1>{title}</h1>")), "{hidden}");
        // They differ only by the id in the language-switcher links.
        assert_eq!(
            hidden.replace(HIDDEN, "ID"),
            unknown.text().replace("CU-9999", "ID")
        );
        assert_no_secrets("the 404 of an unpublished person", &hidden);
    }
}

async fn a_bad_parameter_is_a_400_in_the_page_language(app: &TestApp) {
    for (lang, message) in [
        (Lang::Es, "El número de página"),
        (Lang::En, "The page number must"),
        (Lang::Ar, "رقم الصفحة"),
    ] {
        let res = app.search_html(lang, "page=abc").await;
        assert_eq!(res.status, 400);
        assert!(res.content_type().starts_with("text/html"));
        let html = res.text();
        assert!(html.contains(message), "{}: {html}", lang.code());
        assert!(html.contains(&format!(r#"<html lang="{}""#, lang.code())));
    }
}

async fn the_api_lists_details_and_404s_in_json(app: &TestApp) {
    let res = app.search_json("").await;
    assert_eq!(res.status, 200);
    assert!(res.content_type().starts_with("application/json"));
    let v = res.json();
    assert_eq!(v["total"], 4);
    let ids: Vec<&str> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [CU1, "NI-0001", UPSERTED, "VE-0001"], "{v}");
    assert_no_secrets("/api/v1/persons", &res.text());

    let v = app.search_json("q=gonzalez+garcia").await.json();
    assert_eq!(v["total"], 1);
    assert_eq!(v["items"][0]["full_name"], "Yoandri González García");

    let res = app.get_person_json(CU1).await;
    assert_eq!(res.status, 200);
    assert_no_secrets("/api/v1/persons/CU-0001", &res.text());
    let v = res.json();
    assert_eq!(v["status"], "conditional_release");
    assert_eq!(v["events"].as_array().unwrap().len(), 3);
    assert_eq!(v["sources"].as_array().unwrap().len(), 1);
    assert_eq!(v["sources"][0]["url"], ARTICLE_URL);

    let hidden = app.get_person_json(HIDDEN).await;
    let unknown = app.get_person_json("CU-9999").await;
    for res in [&hidden, &unknown] {
        assert_eq!(res.status, 404);
        assert!(res.content_type().starts_with("application/json"));
        assert_eq!(res.json(), serde_json::json!({"error": "not found"}));
    }
    assert_eq!(hidden.body, unknown.body);
}

async fn healthz_and_the_openapi_document_answer(app: &TestApp) {
    let res = app.get("/healthz").await;
    assert_eq!(res.status, 200);
    assert_eq!(res.text(), "ok");
    let res = app.get("/api/openapi.json").await;
    assert_eq!(res.status, 200);
    assert!(res.content_type().starts_with("application/json"));
    let v = res.json();
    assert!(v["paths"]["/api/v1/persons/{id}"]["get"].is_object(), "{v}");
}

/// The same registry renders to the same bytes on both backends: every
/// page and API answer below, in every language. Nothing is normalised.
#[tokio::test]
async fn both_backends_serve_identical_pages_for_identical_data() {
    let test = concat!(
        module_path!(),
        "::both_backends_serve_identical_pages_for_identical_data"
    );
    let Some(sqlite) = seeded_on(Backend::Sqlite, test).await else {
        return;
    };
    let Some(postgres) = seeded_on(Backend::Postgres, test).await else {
        return;
    };
    let mut paths = Vec::new();
    for lang in Lang::ALL {
        let code = lang.code();
        paths.extend([
            format!("/{code}/persons/{CU1}"),
            format!("/{code}/persons/VE-0001"),
            format!("/{code}/persons/NI-0001"),
            format!("/{code}/persons/{UPSERTED}"),
            format!("/{code}/persons/{HIDDEN}"),
            format!("/{code}/"),
            format!("/{code}/persons"),
            format!("/{code}/persons?q=gonzalez+garcia"),
            format!("/{code}/persons?country=CU&status=conditional_release"),
        ]);
    }
    paths.extend([
        format!("/api/v1/persons/{CU1}"),
        "/api/v1/persons".to_owned(),
        "/api/v1/persons?q=nunez".to_owned(),
    ]);
    for path in &paths {
        let a = sqlite.get(path).await;
        let b = postgres.get(path).await;
        assert_eq!(a.status, b.status, "{path}");
        // Headers too, but for the clock's.
        let headers = |h: &axum::http::HeaderMap| {
            let mut v: Vec<(String, String)> = h
                .iter()
                .filter(|(name, _)| *name != "date")
                .map(|(name, value)| (name.to_string(), format!("{value:?}")))
                .collect();
            v.sort();
            v
        };
        assert_eq!(headers(&a.headers), headers(&b.headers), "{path}");
        assert!(
            a.body == b.body,
            "{path} differs between SQLite and PostgreSQL:\n--- sqlite ---\n{}\n--- postgres ---\n{}",
            a.text(),
            b.text()
        );
    }
}

/// An announcement's ledger built the same way on a seeded store: a
/// public and a confidential source; releases that are sourced, unsourced,
/// sourced only in confidence, of published and unpublished persons (six
/// of them, so that the unpublished are counted in a group); a revocation;
/// and a named list with names confirmed, rejected and pending. Returns
/// the announcement's id.
async fn ledger(app: &TestApp) -> i64 {
    use libres_core::{
        EdtfDate, Event, EventKind, ListedName, Proposal, Release, ReleaseKind, Review, Source,
        SourceKind, Verification,
    };
    use libres_testkit::{CaseBuilder, DetentionBuilder};
    let store = &app.store;
    let source = |title: &str, confidential: bool| Source {
        id: 0,
        url: Some(format!("https://news.example.org/{}", title.len())),
        title: title.into(),
        publisher: None,
        date: None,
        kind: SourceKind::Article,
        confidential,
    };
    let public = store
        .add_source(&source("Lista", false), "t")
        .await
        .unwrap();
    let secret = store
        .add_source(&source("Testimonio", true), "t")
        .await
        .unwrap();
    let a = store
        .add_announcement(
            &libres_core::Announcement {
                source_ids: vec![public],
                ..crate::fixtures::cuba_553()
            },
            "t",
        )
        .await
        .unwrap();
    let unpublished: Vec<String> = (1..=6).map(|i| format!("CU-01{i:02}")).collect();
    app.insert(unpublished.iter().map(|id| {
        CaseBuilder::new(
            PersonBuilder::new(id, "Persona", "Reservada")
                .country("CU")
                .unpublished(),
        )
        .detention(DetentionBuilder::new().arrested("2021-07-11", "Holguín"))
        .event(EventKind::Arrest, "2021-07-11")
        .build()
    }))
    .await;
    let release = |kind: ReleaseKind, date: &str, sources: Vec<i64>| {
        let mut e = Event::new(EventKind::Release, EdtfDate::parse(date).unwrap());
        e.release = Some(Release {
            kind,
            conditions: vec![],
        });
        e.announcement_id = Some(a);
        e.source_ids = sources;
        e
    };
    let id = |s: &str| libres_core::PersonId::parse(s).unwrap();
    let mut verified = release(ReleaseKind::Parole, "2025-01-16", vec![public]);
    verified.verification = Some(Verification {
        by: vec!["Prisoners Defenders".into()],
        on: Some(EdtfDate::parse("2025-01-20").unwrap()),
    });
    let events = [
        (CU1.to_owned(), verified),
        (
            HIDDEN.to_owned(),
            release(ReleaseKind::HouseArrest, "2025-01-17", vec![public]),
        ),
        (
            "VE-0001".to_owned(),
            release(ReleaseKind::Parole, "2025-01-18", vec![]),
        ),
        (
            "NI-0001".to_owned(),
            release(ReleaseKind::Unconditional, "2025-01-18", vec![secret]),
        ),
    ];
    for (person, e) in events.iter().cloned().chain(unpublished.iter().map(|p| {
        (
            p.clone(),
            release(ReleaseKind::Parole, "2025-01-19", vec![public]),
        )
    })) {
        store.add_event(&id(&person), &e, "t").await.unwrap();
    }
    let mut revoked = Event::new(
        EventKind::Revocation,
        EdtfDate::parse("2025-03-01").unwrap(),
    );
    revoked.source_ids = vec![public];
    store
        .add_event(&id(&unpublished[0]), &revoked, "t")
        .await
        .unwrap();
    let listed = |line: u32, name: &str, proposed: Option<&str>| ListedName {
        id: 0,
        line,
        row_id: line.to_string(),
        full_name: name.into(),
        birth_year: None,
        province: None,
        proposed: proposed.map(id),
        score_ppm: 990_000,
        proposal: if proposed.is_some() {
            Proposal::Match
        } else {
            Proposal::None
        },
        reason: "test".into(),
        review: Review::Pending,
        person: None,
        decided_by: None,
    };
    store
        .set_named_list(
            a,
            &[
                listed(1, "GONZALEZ GARCIA, YOANDRI", Some(CU1)),
                listed(2, "PERSONA RESERVADA", Some(&unpublished[1])),
                listed(3, "NADIE DESCONOCIDO", None),
                listed(4, "OTRO MAS", None),
            ],
            "t",
        )
        .await
        .unwrap();
    let names = store.named_list(a).await.unwrap();
    for (n, review, person) in [
        (0, Review::Confirmed, Some(id(CU1))),
        (1, Review::Confirmed, Some(id(&unpublished[1]))),
        (2, Review::Rejected, None),
    ] {
        store
            .decide_name(a, names[n].id, review, person.as_ref(), "t")
            .await
            .unwrap();
    }
    a
}

#[tokio::test]
async fn an_announcements_figures_are_the_same_on_both_backends_and_as_built() {
    let test = concat!(
        module_path!(),
        "::an_announcements_figures_are_the_same_on_both_backends_and_as_built"
    );
    let Some(sqlite) = seeded_on(Backend::Sqlite, test).await else {
        return;
    };
    let Some(postgres) = seeded_on(Backend::Postgres, test).await else {
        return;
    };
    let a = ledger(&sqlite).await;
    assert_eq!(ledger(&postgres).await, a);
    let mut paths = vec![
        format!("/api/v1/announcements/{a}"),
        "/api/v1/announcements".to_owned(),
    ];
    for lang in Lang::ALL {
        let code = lang.code();
        paths.extend([
            format!("/{code}/"),
            format!("/{code}/announcements"),
            format!("/{code}/announcements?country=CU"),
            format!("/{code}/announcements/{a}"),
        ]);
        for figure in [
            "named",
            "matched",
            "verified",
            "unverified",
            "conditional",
            "still_confined",
            "still_held",
            "reopened",
        ] {
            paths.push(format!("/{code}/announcements/{a}/{figure}"));
        }
    }
    for path in &paths {
        let (x, y) = (sqlite.get(path).await, postgres.get(path).await);
        assert_eq!((x.status.as_u16(), y.status.as_u16()), (200, 200), "{path}");
        assert!(
            x.body == y.body,
            "{path} differs between SQLite and PostgreSQL:\n--- sqlite ---\n{}\n--- postgres ---\n{}",
            x.text(),
            y.text()
        );
        assert_no_secrets(path, &x.text());
    }
    // The figures as built. Published persons are named; the seven
    // unpublished ones (HIDDEN and six more) are counted in groups of 5,
    // rounded down, and never named.
    let api = sqlite
        .get(&format!("/api/v1/announcements/{a}"))
        .await
        .json();
    let figure = |slug: &str| {
        let f = api["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["figure"] == slug)
            .unwrap_or_else(|| panic!("no {slug} in {api}"))
            .clone();
        (
            f["count"].as_u64().unwrap(),
            f["persons"].as_array().unwrap().len(),
            f["unnamed"].as_u64().unwrap(),
        )
    };
    // Linked to the announcement: CU1, VE-0001, NI-0001 and 7 unpublished.
    assert_eq!(figure("named"), (8, 3, 5));
    // Sourced in public: CU1, and the 7 unpublished. VE-0001 has no
    // source; NI-0001's only source is confidential.
    assert_eq!(figure("verified"), (6, 1, 5));
    assert_eq!(figure("unverified"), (2, 2, 0));
    // Parole: CU1 and 6 unpublished. House arrest: HIDDEN alone, fewer
    // than 5: not counted. The one revocation is an unpublished person's.
    assert_eq!(figure("conditional"), (6, 1, 5));
    assert_eq!(figure("still_confined"), (0, 0, 0));
    assert_eq!(figure("reopened"), (0, 0, 0));
    // The list: 4 names; confirmed: CU1 by name, one unpublished (not
    // counted alone).
    assert_eq!(api["list_names"], 4);
    assert_eq!(api["matched"]["count"], 1);
    assert_eq!(api["matched"]["persons"], serde_json::json!([CU1]));
    assert_eq!(api["claimed"], 553);
}
