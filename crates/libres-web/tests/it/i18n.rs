use crate::fixtures::{seed, seeded_app, CU1};
use libres_testkit::spawn_app;
use libres_web::Lang;

/// Every page of the site, for a language.
fn pages(lang: Lang) -> Vec<String> {
    let l = lang.code();
    vec![
        format!("/{l}/"),
        format!("/{l}/persons"),
        format!("/{l}/persons?q=gonzalez"),
        format!("/{l}/persons/{CU1}"),
        format!("/{l}/persons/CU-9999"),
        format!("/{l}/persons?page=0"),
    ]
}

#[tokio::test]
async fn every_page_declares_its_language_and_direction() {
    let app = seeded_app().await;
    for lang in Lang::ALL {
        let dir = if lang == Lang::Ar { "rtl" } else { "ltr" };
        for path in pages(lang) {
            let html = app.get(&path).await.text();
            let tag = format!(r#"<html lang="{}" dir="{dir}">"#, lang.code());
            assert!(html.contains(&tag), "{path}: expected {tag}");
        }
    }
}

#[tokio::test]
async fn arabic_pages_are_right_to_left_and_written_in_arabic() {
    let app = seeded_app().await;
    let html = app.get_person_html(Lang::Ar, CU1).await.text();
    assert!(
        html.starts_with("<!doctype html>\n<html lang=\"ar\" dir=\"rtl\">")
            || html.contains(r#"<html lang="ar" dir="rtl">"#)
    );
    for text in [
        r#"الوضع الحالي: <span class="st st-conditional_release">خارج السجن بشروط</span>"#,
        "التسلسل الزمني",
        "المصادر",
        "سجل المعتقلين السياسيين",
        "التهم",
    ] {
        assert!(html.contains(text), "missing {text}");
    }
    let list = app.search_html(Lang::Ar, "").await.text();
    assert!(list.contains("3 أشخاص"), "Arabic plural for 3: {list}");
    assert!(list.contains("الصفحة 1 من 1"));
}

#[tokio::test]
async fn the_language_switcher_links_the_same_page_in_the_other_languages() {
    let app = seeded_app().await;
    let html = app.search_html(Lang::En, "q=nunez&country=NI").await.text();
    assert!(
        html.contains(
            r#"<a href="/es/persons?q=nunez&#38;country=NI" lang="es" hreflang="es">Español</a>"#
        ),
        "{html}"
    );
    assert!(html.contains(
        r#"<a href="/ar/persons?q=nunez&#38;country=NI" lang="ar" hreflang="ar">العربية</a>"#
    ));
    assert!(html.contains(r#"<strong lang="en">English</strong>"#));
    let html = app.get_person_html(Lang::Ar, CU1).await.text();
    assert!(html.contains(&format!(r#"<a href="/en/persons/{CU1}" lang="en""#)));
    assert!(html.contains(&format!(r#"<a href="/es/persons/{CU1}" lang="es""#)));
    let html = app.get_home_html(Lang::Es).await.text();
    assert!(html.contains(r#"<a href="/ar/" lang="ar""#));
}

#[tokio::test]
async fn status_names_are_translated_on_every_page_that_shows_them() {
    let app = seeded_app().await;
    for (lang, detained, disappeared) in [
        (Lang::Es, "En prisión", "Desaparición forzada"),
        (Lang::En, "Detained", "Disappeared"),
        (Lang::Ar, "رهن الاحتجاز", "اختفاء قسري"),
    ] {
        let list = app.search_html(lang, "").await.text();
        assert!(
            list.contains(&format!(
                r#"<span class="st st-detained">{detained}</span>"#
            )),
            "{}: {list}",
            lang.code()
        );
        assert!(list.contains(&format!(
            r#"<span class="st st-disappeared">{disappeared}</span>"#
        )));
        assert!(list.contains(&format!(r#"<option value="detained">{detained}</option>"#)));
    }
}

#[tokio::test]
async fn the_demo_banner_is_on_every_page_in_every_language_when_the_data_is_synthetic() {
    // No option asks for the banner: the store says the data is synthetic.
    let demo = spawn_app().await;
    seed(&demo).await;
    demo.mark_synthetic().await;
    let plain = seeded_app().await;
    for (lang, banner) in [
        (
            Lang::Es,
            "Datos sintéticos de demostración: ninguna persona es real",
        ),
        (Lang::En, "Synthetic demo data — no real person"),
        (
            Lang::Ar,
            "بيانات تجريبية اصطناعية — لا يوجد فيها أي شخص حقيقي",
        ),
    ] {
        for path in pages(lang).into_iter().chain(["/fr/".to_owned()]) {
            let headers = [("accept-language", lang.code())];
            let html = demo.get_with(&path, &headers).await.text();
            assert!(
                html.contains(&format!(r#"<p class="demo" role="note">{banner}</p>"#)),
                "{path}"
            );
            assert!(
                !plain
                    .get_with(&path, &headers)
                    .await
                    .text()
                    .contains(r#"class="demo""#),
                "{path}"
            );
        }
    }
}

#[tokio::test]
async fn marking_a_served_registry_synthetic_shows_the_banner_on_the_next_request() {
    let app = seeded_app().await;
    let paths = [
        "/en/".to_owned(),
        format!("/en/persons/{CU1}"),
        "/en/persons/CU-9999".to_owned(),
        "/fr/".to_owned(),
    ];
    // Rendered (and cached) without the banner first.
    for path in &paths {
        for _ in 0..2 {
            let html = app.get(path).await.text();
            assert!(!html.contains(r#"class="demo""#), "{path}");
        }
    }
    app.mark_synthetic().await;
    for path in &paths {
        let html = app.get(path).await.text();
        assert!(html.contains(r#"<p class="demo" role="note">"#), "{path}");
    }
}
