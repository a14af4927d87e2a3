//! The page cache, seen from outside: whatever the order of the requests,
//! each client gets the encoding it asked for and the current data.

use crate::fixtures::{rich_case, seeded_app, CU1};
use libres_core::EventKind;
use libres_store::Store;
use libres_testkit::{
    spawn_app, spawn_app_through, test_options, PersonBuilder, SpyStore, TestResponse,
};
use libres_web::Lang;
use std::io::Read;
use std::sync::Arc;

/// The body of `res`, decompressed if it is gzip.
fn decoded(res: &TestResponse) -> String {
    if res.header("content-encoding") == Some("gzip") {
        let mut out = String::new();
        flate2::read::GzDecoder::new(&res.body[..])
            .read_to_string(&mut out)
            .expect("a valid gzip body");
        out
    } else {
        res.text()
    }
}

/// Asserts that `res` is an uncompressed 200 whose body is the case page.
fn assert_plain_case_page(res: &TestResponse, what: &str) {
    assert_eq!(res.status, 200, "{what}");
    assert_eq!(res.header("content-encoding"), None, "{what}");
    assert!(
        !res.body.starts_with(&[0x1f, 0x8b]),
        "{what}: gzip bytes without the header"
    );
    assert!(res.text().contains("Yoandri González García"), "{what}");
}

#[tokio::test]
async fn a_page_cached_for_an_x_gzip_client_is_never_served_compressed_to_a_plain_one() {
    let app = seeded_app().await;
    for (i, accept) in ["x-gzip", "GZIP", "X-Gzip;q=0.5"].into_iter().enumerate() {
        // A page of its own each time, so the compressed answer is the
        // first one the cache sees.
        let path = format!("/en/persons/{CU1}?n={i}");
        let gz = app.get_with(&path, &[("accept-encoding", accept)]).await;
        assert_eq!(gz.status, 200, "{accept}");
        assert_eq!(gz.header("content-encoding"), Some("gzip"), "{accept}");
        assert!(decoded(&gz).contains("Yoandri González García"));
        assert_plain_case_page(&app.get(&path).await, accept);
        assert_plain_case_page(
            &app.get_with(&path, &[("accept-encoding", "identity")])
                .await,
            accept,
        );
    }
}

#[tokio::test]
async fn gzip_with_weight_zero_is_a_refusal_of_gzip() {
    let app = seeded_app().await;
    let path = format!("/es/persons/{CU1}");
    let gz = app.get_with(&path, &[("accept-encoding", "gzip")]).await;
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    for refusal in ["gzip;q=0", "gzip; q=0.000, br", "identity, GZIP;Q=0"] {
        let res = app.get_with(&path, &[("accept-encoding", refusal)]).await;
        assert_eq!(res.status, 200, "{refusal}");
        assert_eq!(res.header("content-encoding"), None, "{refusal}");
        assert!(res.text().contains("Yoandri González García"), "{refusal}");
    }
}

#[tokio::test]
async fn a_gzip_client_gets_gzip_even_after_a_plain_client_filled_the_cache() {
    let app = seeded_app().await;
    let path = format!("/ar/persons/{CU1}");
    let plain = app.get(&path).await;
    assert_eq!(plain.header("content-encoding"), None);
    for _ in 0..2 {
        let gz = app.get_with(&path, &[("accept-encoding", "gzip")]).await;
        assert_eq!(gz.header("content-encoding"), Some("gzip"));
        assert_eq!(decoded(&gz), plain.text());
    }
    // And the cached answers carry the same headers as fresh ones.
    let again = app.get(&path).await;
    assert_eq!(again.text(), plain.text());
    assert_eq!(
        again.header("content-security-policy"),
        Some(libres_web::CSP)
    );
}

#[tokio::test]
async fn a_response_too_large_to_cache_is_sent_whole() {
    let app = spawn_app().await;
    // 50 names of 9,000 characters: a list page of about 450 KB, over the
    // largest entry the cache keeps.
    let cases = (0..50).map(|i| {
        let long = format!("Nombre{i:02}{}", "abcdefghij".repeat(900));
        PersonBuilder::new(&format!("CU-{i:04}"), &long, "Larguísimo")
            .case()
            .event(EventKind::Arrest, "2024")
            .build()
    });
    app.insert(cases).await;
    for _ in 0..2 {
        let res = app.search_html(Lang::Es, "").await;
        assert_eq!(res.status, 200);
        assert_eq!(res.header("content-encoding"), None);
        let html = res.text();
        assert!(html.len() > 400 * 1024, "{} bytes", html.len());
        assert!(html.trim_end().ends_with("</html>"), "the page is whole");
        for i in 0..50 {
            assert!(
                html.contains(&format!(r#"<a href="/es/persons/CU-{i:04}">"#)),
                "CU-{i:04}"
            );
        }
        let json = app.search_json("").await;
        assert_eq!(json.status, 200);
        assert_eq!(json.json()["items"].as_array().unwrap().len(), 50);
        let gz = app
            .get_with("/es/persons?", &[("accept-encoding", "gzip")])
            .await;
        assert_eq!(gz.status, 200);
        assert_eq!(decoded(&gz), html);
    }
}

#[tokio::test]
async fn a_very_long_address_is_answered_without_being_cached() {
    let app = seeded_app().await;
    // Unknown parameters are ignored, so any address can be made long.
    let query = format!("q=gonzalez&ref={}", "x".repeat(600));
    for _ in 0..2 {
        let res = app.search_html(Lang::En, &query).await;
        assert_eq!(res.status, 200);
        assert!(res.text().contains("Yoandri González García"));
    }
}

#[tokio::test]
async fn a_cached_case_page_is_a_404_once_the_person_is_unpublished() {
    let app = seeded_app().await;
    let page = format!("/en/persons/{CU1}");
    let api = format!("/api/v1/persons/{CU1}");
    let gzip = [("accept-encoding", "gzip")];
    // Cached, compressed and not.
    for _ in 0..2 {
        assert_eq!(app.get(&page).await.status, 200);
        assert_eq!(app.get_with(&page, &gzip).await.status, 200);
        assert_eq!(app.get(&api).await.status, 200);
    }
    // The family withdraws consent: the person is re-imported unpublished.
    let mut person = rich_case().build().person;
    person.publish = false;
    app.upsert([person]).await;
    for res in [
        app.get(&page).await,
        app.get_with(&page, &gzip).await,
        app.get(&api).await,
    ] {
        assert_eq!(res.status, 404);
        assert!(!decoded(&res).contains("Yoandri"));
    }
    let list = app.search_html(Lang::En, "").await.text();
    assert!(!list.contains(CU1) && list.contains("2 persons"), "{list}");
}

#[tokio::test]
async fn requests_with_credentials_neither_read_nor_fill_the_page_cache() {
    let mut spy = None;
    let app = spawn_app_through(test_options(), |store| {
        let s = Arc::new(SpyStore::new(store));
        spy = Some(Arc::clone(&s));
        s as Arc<dyn Store>
    })
    .await;
    let spy = spy.unwrap();
    crate::fixtures::seed(&app).await;
    let page = format!("/en/persons/{CU1}");
    let reads = || {
        spy.calls()
            .iter()
            .filter(|c| **c == "get_published_person")
            .count()
    };
    let credentials: [&[(&str, &str)]; 3] = [
        &[("cookie", "session=abc")],
        &[("authorization", "Bearer abc")],
        &[("cookie", "a=b"), ("authorization", "Basic YTpi")],
    ];
    // Before anything is kept, and after: each such request is answered
    // afresh, and none leaves a page behind for the anonymous reader.
    for headers in credentials {
        let res = app.get_with(&page, headers).await;
        assert_eq!(res.status, 200);
        assert!(res.text().contains("Yoandri González García"));
    }
    assert_eq!(reads(), 3);
    for _ in 0..2 {
        assert_eq!(app.get(&page).await.status, 200);
    }
    assert_eq!(reads(), 4, "the anonymous page is kept");
    for headers in credentials {
        assert_eq!(app.get_with(&page, headers).await.status, 200);
    }
    assert_eq!(reads(), 7, "the kept page is not served to them");
}
