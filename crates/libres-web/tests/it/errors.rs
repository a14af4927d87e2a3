use crate::fixtures::seeded_app;
use libres_testkit::{spawn_app_over, BrokenStore};
use libres_web::{Lang, WebOptions};
use std::sync::Arc;

#[tokio::test]
async fn bad_query_parameters_are_a_400_page_in_the_readers_language() {
    let app = seeded_app().await;
    let cases = [
        (
            "page=abc",
            ["El número de página", "The page number must", "رقم الصفحة"],
        ),
        (
            "page=0",
            ["El número de página", "The page number must", "رقم الصفحة"],
        ),
        (
            "status=bogus",
            ["Situación desconocida", "Unknown status", "وضع غير معروف"],
        ),
        (
            "country=ZZ",
            ["País desconocido", "Unknown country", "بلد غير معروف"],
        ),
        (
            "q=%FF",
            [
                "caracteres no válidos",
                "invalid characters",
                "أحرف غير صالحة",
            ],
        ),
    ];
    for (query, messages) in cases {
        for (lang, message) in Lang::ALL.into_iter().zip(messages) {
            let res = app.search_html(lang, query).await;
            assert_eq!(res.status, 400, "{query}");
            assert!(res.content_type().starts_with("text/html"), "{query}");
            let html = res.text();
            assert!(html.contains(message), "{}?{query}: {html}", lang.code());
            assert!(html.contains(&format!(r#"<html lang="{}""#, lang.code())));
        }
    }
    let html = app.search_html(Lang::En, "page=abc").await.text();
    assert!(html.contains("<h1>Bad request</h1>"), "{html}");
}

#[tokio::test]
async fn an_unknown_language_is_a_404_in_the_language_the_browser_asks_for() {
    let app = seeded_app().await;
    for path in [
        "/fr/",
        "/fr/persons",
        "/EN/",
        "/fr/persons/CU-0001",
        "/nothing/here/at/all",
    ] {
        let res = app.get_with(path, &[("accept-language", "en-US")]).await;
        assert_eq!(res.status, 404, "{path}");
        let html = res.text();
        assert!(html.contains("<h1>Page not found</h1>"), "{path}: {html}");
        assert!(
            html.contains(r#"<a href="/es/" lang="es""#),
            "the switcher offers the home pages"
        );
    }
    let html = app.get("/fr/").await.text();
    assert!(
        html.contains("<h1>Página no encontrada</h1>"),
        "Spanish by default"
    );
}

#[tokio::test]
async fn an_unknown_person_is_a_404_page_in_the_page_language() {
    let app = seeded_app().await;
    for (lang, title) in [
        (Lang::Es, "Página no encontrada"),
        (Lang::En, "Page not found"),
        (Lang::Ar, "الصفحة غير موجودة"),
    ] {
        for id in ["CU-9999", "bad%20id", "x%FF"] {
            let res = app.get_person_html(lang, id).await;
            assert_eq!(res.status, 404, "{id}");
            assert!(
                res.text().contains(&format!("<h1>{title}</h1>")),
                "{}: {id}",
                lang.code()
            );
        }
    }
}

#[tokio::test]
async fn a_store_failure_is_a_500_page_that_reveals_nothing() {
    let app = spawn_app_over(Arc::new(BrokenStore), WebOptions::default()).await;
    for (lang, title) in [
        (Lang::Es, "Error interno"),
        (Lang::En, "Internal error"),
        (Lang::Ar, "خطأ داخلي"),
    ] {
        for path in [
            format!("/{}/", lang.code()),
            format!("/{}/persons", lang.code()),
            format!("/{}/persons/CU-0001", lang.code()),
        ] {
            let res = app.get(&path).await;
            assert_eq!(res.status, 500, "{path}");
            let html = res.text();
            assert!(
                html.contains(&format!("<h1>{title}</h1>")),
                "{path}: {html}"
            );
            assert!(
                !html.contains("BrokenStore") && !html.contains("unreachable"),
                "{path}"
            );
        }
    }
}

#[tokio::test]
async fn no_page_echoes_a_long_address_back() {
    let app = seeded_app().await;
    let long = "a".repeat(60_000);
    let echoed = "a".repeat(201);
    for (path, status) in [
        // Too long a search: a 400 page.
        (format!("/es/persons?q={long}"), 400),
        (format!("/ar/persons?page=x&q={long}"), 400),
        // Parameters the list does not know are ignored, not echoed.
        (format!("/en/persons?junk={long}"), 200),
        (format!("/en/?x={long}"), 200),
        (format!("/es/persons/CU-0001?x={long}"), 200),
        // An address nothing lives at.
        (format!("/es/{long}"), 404),
        (format!("/es/persons/{long}"), 404),
        (format!("/fr/{long}"), 404),
        (format!("/api/v1/persons?q={long}"), 400),
    ] {
        let res = app.get(&path).await;
        let path = &path[..20];
        assert_eq!(res.status, status, "{path}");
        let body = String::from_utf8_lossy(&res.body);
        assert!(res.body.len() < 20_000, "{path}: {} bytes", res.body.len());
        assert!(!body.contains(&echoed), "{path}");
    }
    // A search that was understood keeps its query in the language links.
    let html = app
        .search_html(Lang::En, "q=garcia&country=CU")
        .await
        .text();
    assert!(
        html.contains("/es/persons?q=garcia&#38;country=CU\""),
        "{html}"
    );
}
