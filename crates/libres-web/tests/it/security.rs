use crate::fixtures::{assert_no_secrets, seeded_app, ARTICLE_URL, CU1};
use libres_core::EventKind;
use libres_testkit::{spawn_app, PersonBuilder};
use libres_web::{Lang, CSP};

/// Every route, plus error cases.
fn all_paths() -> Vec<String> {
    let mut v: Vec<String> = [
        "/",
        "/healthz",
        "/api/openapi.json",
        "/api/v1/persons",
        "/api/v1/persons/CU-0001",
        "/api/v1/persons/CU-0002",
        "/api/v1/persons?page=x",
        "/static/style.css",
        "/fr/",
        "/nothing",
        "/staff",
        "/staff/nothing",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    for l in ["es", "en", "ar"] {
        for p in [
            "/",
            "/persons",
            "/persons?q=gonzalez+garcia",
            "/persons?status=bogus",
            "/persons/CU-0001",
            "/persons/CU-0002",
            "/persons/CU-9999",
        ] {
            v.push(format!("/{l}{p}"));
        }
    }
    v
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_no_cookie() {
    let app = seeded_app().await;
    assert!(CSP.starts_with("default-src 'none'"));
    for path in all_paths() {
        let res = app.get(&path).await;
        assert_eq!(res.header("content-security-policy"), Some(CSP), "{path}");
        assert_eq!(
            res.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(res.header("referrer-policy"), Some("no-referrer"), "{path}");
        assert!(res.header("set-cookie").is_none(), "{path}");
    }
}

#[tokio::test]
async fn no_page_or_json_leaks_confidential_data() {
    let app = seeded_app().await;
    for path in all_paths() {
        let res = app.get(&path).await;
        assert_no_secrets(&path, &String::from_utf8_lossy(&res.body));
    }
}

/// Whether `html` has an attribute such as `onclick=` or `onload=`.
fn has_event_handler(html: &str) -> bool {
    html.match_indices(" on").any(|(i, _)| {
        let rest = &html[i + 3..];
        let name_len = rest.chars().take_while(|c| c.is_ascii_lowercase()).count();
        name_len > 0 && rest[name_len..].starts_with('=')
    })
}

/// Every `http://` or `https://` address in `html`.
fn absolute_urls(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for scheme in ["http://", "https://"] {
        for (i, _) in html.match_indices(scheme) {
            let end = html[i..]
                .find(|c: char| c == '"' || c == '<' || c.is_whitespace())
                .unwrap_or(html.len() - i);
            out.push(html[i..i + end].to_owned());
        }
    }
    out
}

#[tokio::test]
async fn pages_load_nothing_from_other_hosts_and_run_no_script() {
    let app = seeded_app().await;
    for lang in Lang::ALL {
        for path in [
            format!("/{}/", lang.code()),
            format!("/{}/persons", lang.code()),
            format!("/{}/persons/{CU1}", lang.code()),
            format!("/{}/persons/CU-9999", lang.code()),
        ] {
            let html = app.get(&path).await.text();
            let lower = html.to_lowercase();
            assert!(!lower.contains("<script"), "{path}");
            assert!(!lower.contains("<img"), "{path}");
            assert!(!lower.contains("<iframe"), "{path}");
            assert!(
                !lower.contains(" style=") && !lower.contains("<style"),
                "{path}: inline styles need 'unsafe-inline'"
            );
            assert!(!has_event_handler(&lower), "{path}: inline event handlers");
            // The only stylesheet is ours.
            for link in lower.split("<link").skip(1) {
                assert!(
                    link.contains(r#"href="/static/style.css"#),
                    "{path}: {link}"
                );
            }
            // The only absolute URLs are the sources a researcher entered.
            for url in absolute_urls(&html) {
                assert_eq!(url, ARTICLE_URL, "{path}");
            }
        }
    }
}

#[tokio::test]
async fn user_text_is_escaped() {
    let app = spawn_app().await;
    app.insert([
        PersonBuilder::new("CU-0666", "<script>alert(1)</script>", "O'Hara \"x\"")
            .summary("<img src=x onerror=alert(1)>")
            .case()
            .event(EventKind::Arrest, "2024")
            .build(),
    ])
    .await;
    let html = app.get_person_html(Lang::En, "CU-0666").await.text();
    assert!(
        !html.contains("<script>") && !html.contains("<img"),
        "{html}"
    );
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") || html.contains("&#60;script&#62;"),
        "{html}"
    );
}

#[tokio::test]
async fn the_stylesheet_is_served_by_us_with_a_long_cache_lifetime() {
    let app = spawn_app().await;
    let html = app.get_home_html(Lang::Es).await.text();
    let start = html.find("/static/style.css?v=").unwrap();
    let href = &html[start..start + html[start..].find('"').unwrap()];
    let res = app.get(href).await;
    assert_eq!(res.status, 200);
    assert!(res.content_type().starts_with("text/css"));
    assert_eq!(
        res.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert!(res.text().contains("--fg"));
}

#[tokio::test]
async fn onion_location_is_sent_only_when_configured_and_points_to_the_same_address() {
    let app = seeded_app().await;
    for path in all_paths() {
        assert_eq!(
            app.get(&path).await.header("onion-location"),
            None,
            "{path}"
        );
    }
    let onion = "http://libresexampleonionaddressxxxxxxxxxxxxxxxxxxxxxxxx.onion";
    let app = libres_testkit::spawn_app_with(libres_web::WebOptions {
        onion_location: Some(libres_web::OnionLocation::parse(&format!("{onion}/")).unwrap()),
        ..libres_testkit::test_options()
    })
    .await;
    for path in ["/", "/es/persons?q=garcia", "/api/v1/persons", "/nothing"] {
        let res = app.get(path).await;
        assert_eq!(
            res.header("onion-location"),
            Some(format!("{onion}{path}").as_str())
        );
        // The other headers are as strict as without it.
        assert_eq!(res.header("content-security-policy"), Some(CSP), "{path}");
        assert_eq!(res.header("referrer-policy"), Some("no-referrer"), "{path}");
    }
    let long = format!("/en/persons?x={}", "a".repeat(5_000));
    assert_eq!(
        app.get(&long).await.header("onion-location"),
        Some(format!("{onion}/").as_str())
    );
    for bad in [
        "libres.onion",
        "http://example.org",
        "http://x.onion/path",
        "ftp://x.onion",
        "http://.onion",
        "http://x.onion:",
        "http://x.onion\r\nSet-Cookie: a=b",
    ] {
        assert!(libres_web::OnionLocation::parse(bad).is_err(), "{bad}");
    }
    assert!(libres_web::OnionLocation::parse("https://abc.onion:8443").is_ok());
}
