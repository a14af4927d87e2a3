use crate::fixtures::{seeded_app, CU1};
use libres_core::EventKind;
use libres_testkit::{spawn_app, PersonBuilder};
use libres_web::Lang;

#[tokio::test]
async fn a_search_without_accents_or_capitals_finds_the_accented_name() {
    let app = seeded_app().await;
    for q in [
        "gonzalez+garcia",
        "GONZALEZ",
        "Gonz%C3%A1lez+Garc%C3%ADa",
        "yoandri+gonz",
    ] {
        let html = app.search_html(Lang::Es, &format!("q={q}")).await.text();
        assert!(html.contains("González García"), "q={q}: {html}");
        assert!(
            html.contains(&format!(r#"<a href="/es/persons/{CU1}">"#)),
            "q={q}"
        );
        assert!(html.contains("1 persona"), "q={q}");
        assert!(!html.contains("Rodríguez"), "q={q}");
    }
    let html = app.search_html(Lang::En, "q=nunez").await.text();
    assert!(html.contains("Dayami Núñez"), "{html}");
    let html = app
        .search_html(Lang::En, "q=maria+de+los+angeles")
        .await
        .text();
    assert!(
        html.contains("María de los Ángeles Rodríguez Pérez"),
        "{html}"
    );
}

#[tokio::test]
async fn the_list_shows_published_persons_sorted_by_surname_with_country_and_status() {
    let app = seeded_app().await;
    let res = app.search_html(Lang::Es, "").await;
    assert_eq!(res.status, 200);
    assert!(res.content_type().starts_with("text/html"));
    let html = res.text();
    assert!(html.contains("3 personas"), "{html}");
    let g = html.find("González García").unwrap();
    let n = html.find("Dayami Núñez").unwrap();
    let r = html.find("Rodríguez Pérez").unwrap();
    assert!(g < n && n < r, "sorted by first surname");
    assert!(
        html.contains(r#"<td><bdi>Caracas</bdi>, Venezuela</td><td><span class="st st-detained">En prisión</span></td>"#),
        "{html}"
    );
    assert!(html.contains(
        r#"<td><bdi>Managua</bdi>, Nicaragua</td><td><span class="st st-disappeared">Desaparición forzada</span></td>"#
    ));
    assert!(html.contains("Excarcelación condicional"));
    // What tells namesakes apart, in the reader's language.
    assert!(
        html.contains(r#"<small>nac. hacia 1985 · detención: 11 de julio de 2021 · <bdi>Combinado del Este</bdi></small>"#),
        "{html}"
    );
    let en = app.search_html(libres_web::Lang::En, "").await.text();
    assert!(
        en.contains(r#"<small>born around 1985 · arrested July 11, 2021 · <bdi>Combinado del Este</bdi></small>"#),
        "{en}"
    );
}

#[tokio::test]
async fn the_country_and_status_filters_narrow_the_list_and_stay_selected() {
    let app = seeded_app().await;
    let html = app.search_html(Lang::En, "country=ve").await.text();
    assert!(
        html.contains("1 person") && html.contains("Rodríguez Pérez") && !html.contains("González"),
        "{html}"
    );
    assert!(
        html.contains(r#"<option value="VE" selected>Venezuela</option>"#),
        "{html}"
    );
    let html = app.search_html(Lang::En, "status=disappeared").await.text();
    assert!(
        html.contains("Dayami Núñez") && !html.contains("Rodríguez"),
        "{html}"
    );
    assert!(html.contains(r#"<option value="disappeared" selected>Disappeared</option>"#));
    let html = app
        .search_html(Lang::En, "country=CU&status=detained")
        .await
        .text();
    assert!(
        html.contains("0 persons") && html.contains("No published person matches the search."),
        "{html}"
    );
    // Empty values, as the form sends for "All", mean no filter.
    let html = app
        .search_html(Lang::En, "q=&country=&status=")
        .await
        .text();
    assert!(html.contains("3 persons"), "{html}");
}

#[tokio::test]
async fn the_country_filter_offers_the_countries_of_the_registry() {
    let app = seeded_app().await;
    let html = app.search_html(Lang::Ar, "").await.text();
    for (code, name) in [("CU", "كوبا"), ("VE", "فنزويلا"), ("NI", "نيكاراغوا")]
    {
        assert!(
            html.contains(&format!(r#"<option value="{code}">{name}</option>"#)),
            "{code}: {html}"
        );
    }
}

#[tokio::test]
async fn pagination_shows_fifty_per_page_and_its_links_keep_the_search() {
    let app = spawn_app().await;
    let cases = (0..120).map(|i| {
        PersonBuilder::new(&format!("CU-{i:04}"), "Maykel", &format!("Pérez{i:03}"))
            .surname2("Díaz")
            .case()
            .event(EventKind::Arrest, "2021-07-11")
            .build()
    });
    app.insert(cases).await;
    let html = app
        .search_html(Lang::En, "q=maykel&status=detained")
        .await
        .text();
    assert!(
        html.contains("120 persons") && html.contains("Page 1 of 3"),
        "{html}"
    );
    assert_eq!(html.matches(r#"<a href="/en/persons/CU-"#).count(), 50);
    assert!(
        html.contains(
            r#"<a href="/en/persons?q=maykel&#38;status=detained&#38;page=2" rel="next">Next</a>"#
        ),
        "{html}"
    );
    assert!(!html.contains(r#"rel="prev""#));

    let html = app
        .search_html(Lang::En, "q=maykel&status=detained&page=2")
        .await
        .text();
    assert!(html.contains("Page 2 of 3"));
    assert!(
        html.contains(
            r#"<a href="/en/persons?q=maykel&#38;status=detained" rel="prev">Previous</a>"#
        ),
        "{html}"
    );
    assert!(html.contains(r#"page=3" rel="next""#));
    assert!(
        html.contains("Pérez050") && !html.contains("Pérez049"),
        "page 2 starts at the 51st"
    );

    let html = app
        .search_html(Lang::En, "q=maykel&status=detained&page=3")
        .await
        .text();
    assert_eq!(html.matches(r#"<a href="/en/persons/CU-"#).count(), 20);
    assert!(!html.contains(r#"rel="next""#));

    // Past the last page: a valid request with nothing on it.
    let res = app.search_html(Lang::En, "q=maykel&page=9").await;
    assert_eq!(res.status, 200);
    assert!(res
        .text()
        .contains("No published person matches the search."));
}

#[tokio::test]
async fn the_search_box_shows_the_current_search_escaped() {
    let app = seeded_app().await;
    let html = app.search_html(Lang::Es, "q=%22%3E%3Cb%3Ex").await.text();
    assert!(
        html.contains(r#"value="&#34;&#62;&#60;b&#62;x""#)
            || html.contains(r#"value="&quot;&gt;&lt;b&gt;x""#),
        "{html}"
    );
    assert!(!html.contains("\"><b>x"));
}

#[tokio::test]
async fn a_search_for_a_case_id_goes_straight_to_the_case_and_never_to_an_unpublished_one() {
    use libres_testkit::PersonBuilder;
    let app = libres_testkit::spawn_app().await;
    app.upsert([
        PersonBuilder::new("CU-0001650", "Ana", "Pupo").build(),
        PersonBuilder::new("CU-0001651", "Oculta", "Reservada")
            .unpublished()
            .build(),
    ])
    .await;
    for q in ["CU-0001650", "cu-0001650", "+CU-0001650+"] {
        let res = app.get(&format!("/es/persons?q={q}")).await;
        assert_eq!(res.status, 303, "{q}");
        assert_eq!(
            res.header("location"),
            Some("/es/persons/CU-0001650"),
            "{q}"
        );
    }
    // An unpublished or unknown id is an ordinary search that finds
    // nothing: the same page either way.
    let hidden = app.get("/es/persons?q=CU-0001651").await;
    let unknown = app.get("/es/persons?q=CU-0009999").await;
    assert_eq!(hidden.status, 200);
    assert_eq!(unknown.status, 200);
    assert!(!hidden.text().contains("Reservada"));
    assert_eq!(
        hidden.text().replace("CU-0001651", "X"),
        unknown.text().replace("CU-0009999", "X")
    );
}
