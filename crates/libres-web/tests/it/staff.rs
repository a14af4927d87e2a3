//! The staff side's prefix, `/staff`: whatever is asked under it, the
//! answer comes from the staff layers, is never stored by anyone, and
//! never touches the public page cache.

use crate::fixtures::seed;
use libres_store::Store;
use libres_testkit::{spawn_app, spawn_app_through, test_options, SpyStore};
use libres_web::CSP;
use std::sync::Arc;

/// Addresses under the staff prefix that no staff route answers, some
/// shaped like public ones.
const STAFF_PATHS: &[&str] = &[
    "/staff/logi",
    "/staff/es/",
    "/staff/es/persons/CU-0001",
    "/staff/api/v1/persons",
    "/staff/static/style.css",
    "/staff/x?q=1",
];

#[tokio::test]
async fn every_staff_answer_even_a_404_is_no_store_with_the_security_headers() {
    let mut spy = None;
    let app = spawn_app_through(test_options(), |store| {
        let s = Arc::new(SpyStore::new(store));
        spy = Some(Arc::clone(&s));
        s as Arc<dyn Store>
    })
    .await;
    let spy = spy.unwrap();
    seed(&app).await;
    let before = spy.calls().len();
    for path in STAFF_PATHS {
        for _ in 0..2 {
            let res = app
                .get_with(
                    path,
                    &[("accept-encoding", "gzip"), ("accept-language", "en")],
                )
                .await;
            assert_eq!(res.status, 404, "{path}");
            assert_eq!(res.header("cache-control"), Some("no-store"), "{path}");
            assert_eq!(res.header("content-security-policy"), Some(CSP), "{path}");
            assert_eq!(
                res.header("x-content-type-options"),
                Some("nosniff"),
                "{path}"
            );
            assert_eq!(res.header("referrer-policy"), Some("no-referrer"), "{path}");
            assert!(res.header("set-cookie").is_none(), "{path}");
            assert_eq!(
                res.header("content-encoding"),
                None,
                "{path}: not compressed"
            );
            assert!(res.content_type().starts_with("text/html"), "{path}");
            assert!(
                res.text().contains("Page not found"),
                "{path}: {}",
                res.text()
            );
            assert!(
                res.text().contains("Libres staff") && !res.text().contains("hreflang"),
                "{path}: the staff frame, not the public one: {}",
                res.text()
            );
        }
    }
    // The page cache asks the store for the registry version before
    // anything else, and so does the banner check: the staff side went
    // through neither.
    assert_eq!(spy.calls()[before..], [] as [&str; 0], "{:?}", spy.calls());

    // The public side does ask, and says nothing about storing.
    let res = app.get("/en/nothing").await;
    assert_eq!(res.status, 404);
    assert_eq!(res.header("cache-control"), None);
    assert!(
        spy.calls()[before..].contains(&"version"),
        "{:?}",
        spy.calls()
    );
}

#[tokio::test]
async fn addresses_that_only_start_like_the_staff_prefix_are_public() {
    let app = spawn_app().await;
    for path in ["/staffing", "/staff.html", "/es/staff"] {
        let res = app.get(path).await;
        assert_eq!(res.status, 404, "{path}");
        assert_eq!(res.header("cache-control"), None, "{path}: a public 404");
        assert_eq!(res.header("content-security-policy"), Some(CSP), "{path}");
    }
}

#[tokio::test]
async fn a_method_a_staff_address_does_not_take_is_a_staff_page_with_allow() {
    let app = spawn_app().await;
    let res = app.post_bytes("/staff/persons", &[], Vec::new()).await;
    assert_eq!(res.status, 405);
    assert!(
        res.header("allow").is_some_and(|a| a.contains("GET")),
        "{:?}",
        res.header("allow")
    );
    assert_eq!(res.header("cache-control"), Some("no-store"));
    assert!(res.content_type().starts_with("text/html"));
    assert!(
        res.text().contains("does not take this kind of request"),
        "{}",
        res.text()
    );
}
