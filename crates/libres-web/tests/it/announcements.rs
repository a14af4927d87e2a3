//! The public announcement pages: the claim set against the persons
//! verified name by name, every figure linked to its names, unpublished
//! persons counted and never named.

use crate::fixtures::{assert_no_secrets, seeded_app, CU1, HIDDEN, UNPUBLISHED_NAME};
use libres_core::{
    Announcement, CountryCode, EdtfDate, Event, EventKind, PersonId, Release, ReleaseKind, Source,
    SourceKind,
};
use libres_testkit::PersonBuilder;

/// A public source: the report an announcement and its releases cite.
async fn report(store: &dyn libres_store::Store) -> i64 {
    store
        .add_source(
            &Source {
                id: 0,
                url: Some("https://news.example.org/553".into()),
                title: "Report".into(),
                publisher: None,
                date: None,
                kind: SourceKind::Article,
                confidential: false,
            },
            "t",
        )
        .await
        .unwrap()
}

fn cuba_553(source: i64) -> Announcement {
    Announcement {
        source_ids: vec![source],
        ..crate::fixtures::cuba_553()
    }
}

fn release(kind: ReleaseKind, date: &str, announcement: i64, source: Option<i64>) -> Event {
    let mut e = Event::new(EventKind::Release, EdtfDate::parse(date).unwrap());
    e.release = Some(Release {
        kind,
        conditions: vec![],
    });
    e.announcement_id = Some(announcement);
    e.source_ids = source.into_iter().collect();
    e
}

#[tokio::test]
async fn an_announcement_sets_the_claim_against_the_names_and_hides_the_unpublished() {
    let app = seeded_app().await;
    let store = &app.store;
    let source = report(store.as_ref()).await;
    let a = store
        .add_announcement(&cuba_553(source), "test")
        .await
        .unwrap();
    let id = |s: &str| PersonId::parse(s).unwrap();
    // CU1: paroled, sourced. HIDDEN (unpublished): house arrest, sourced.
    // VE-0001: a release nobody sourced.
    store
        .add_event(
            &id(CU1),
            &release(ReleaseKind::Parole, "2025-01-16", a, Some(source)),
            "t",
        )
        .await
        .unwrap();
    store
        .add_event(
            &id(HIDDEN),
            &release(ReleaseKind::HouseArrest, "2025-01-17", a, Some(source)),
            "t",
        )
        .await
        .unwrap();
    store
        .add_event(
            &id("VE-0001"),
            &release(ReleaseKind::Parole, "2025-01-18", a, None),
            "t",
        )
        .await
        .unwrap();

    let list = app.get("/en/announcements").await;
    assert_eq!(list.status, 200);
    assert!(
        list.text().contains(&format!("/en/announcements/{a}")),
        "{}",
        list.text()
    );
    assert!(list.text().contains("Cuba announces 553 releases"));

    let page = app.get(&format!("/en/announcements/{a}")).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert!(html.contains("MINREX &#60;b&#62;"), "escaped: {html}");
    assert!(html.contains("<strong>553</strong>"), "{html}");
    let figure = |slug: &str, n: u64| format!("<a href=\"/en/announcements/{a}/{slug}\">{n}</a>");
    // The one unpublished person is left out of every figure: fewer than
    // five unpublished persons are never counted.
    for (slug, n) in [
        ("named", 2),
        ("verified", 1),
        ("unverified", 1),
        ("conditional", 1),
        ("still_confined", 0),
        ("still_held", 0),
        ("reopened", 0),
    ] {
        assert!(html.contains(&figure(slug, n)), "{slug} = {n}: {html}");
    }
    assert!(html.contains("<svg role=\"img\""), "{html}");
    assert!(!html.contains(UNPUBLISHED_NAME) && !html.contains(HIDDEN));
    assert_no_secrets("announcement page", &html);

    // The names behind "verified": CU1 by name, nothing of the other.
    let names = app.get(&format!("/en/announcements/{a}/verified")).await;
    assert_eq!(names.status, 200);
    let html = names.text();
    assert!(html.contains(&format!("/en/persons/{CU1}")), "{html}");
    assert!(html.contains("1 person"), "{html}");
    assert!(!html.contains("more person"), "{html}");
    assert!(html.contains("counted in groups of 5"), "{html}");
    assert!(
        !html.contains(UNPUBLISHED_NAME) && !html.contains(HIDDEN),
        "{html}"
    );
    assert!(
        !html.contains("VE-0001"),
        "unverified is not verified: {html}"
    );
    assert_no_secrets("names page", &html);

    // The home page shows it, claimed against verified.
    let home = app.get("/en/").await.text();
    assert!(
        home.contains(&format!("<a href=\"/en/announcements/{a}/verified\">1</a>")),
        "{home}"
    );
    assert!(home.contains("<td class=\"n\">553</td>"), "{home}");

    // The API gives the same figures, the published persons by id.
    let api = app.get(&format!("/api/v1/announcements/{a}")).await;
    assert_eq!(api.status, 200);
    let v = api.json();
    assert_eq!(v["claimed"], 553);
    let verified = v["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["figure"] == "verified")
        .unwrap();
    assert_eq!(verified["count"], 1);
    assert_eq!(verified["persons"], serde_json::json!([CU1]));
    assert_eq!(verified["unnamed"], 0);
    assert!(!api.text().contains(HIDDEN) && !api.text().contains(UNPUBLISHED_NAME));
    assert_no_secrets("announcement API", &api.text());
    let all = app.get("/api/v1/announcements").await.json();
    assert_eq!(all[0]["id"], a);
    assert_eq!(app.get("/api/v1/announcements/0").await.status, 404);

    // Arabic has no text: the Spanish one, marked as such.
    let ar = app.get(&format!("/ar/announcements/{a}")).await.text();
    assert!(ar.contains("lang=\"es\""), "{ar}");
    assert!(ar.contains("Cuba anuncia 553 excarcelaciones"));

    // The country's page: its announcements with their verified releases,
    // and the sums.
    let cuba = app.get("/en/announcements?country=CU").await.text();
    assert!(
        cuba.contains(&format!("<a href=\"/en/announcements/{a}/verified\">1</a>")),
        "{cuba}"
    );
    assert!(
        cuba.contains("<td class=\"n\">553</td><td class=\"n\">1</td></tr></tfoot>"),
        "{cuba}"
    );
    let venezuela = app.get("/en/announcements?country=VE").await.text();
    assert!(
        venezuela.contains("No announcement recorded yet."),
        "{venezuela}"
    );
    assert_eq!(app.get("/en/announcements?country=XX").await.status, 404);

    // A claim smaller than what was verified is allowed, and said.
    let mut small = store.announcement(a).await.unwrap().unwrap();
    small.claimed = Some(0);
    store.update_announcement(&small, "test").await.unwrap();
    let html = app.get(&format!("/en/announcements/{a}")).await.text();
    assert!(
        html.contains("More releases were verified than this announcement claimed."),
        "{html}"
    );

    for bad in [
        format!("/en/announcements/{}", a + 1000),
        "/en/announcements/0".to_owned(),
        "/en/announcements/x".to_owned(),
        format!("/en/announcements/{a}/nonsense"),
        format!("/xx/announcements/{a}"),
    ] {
        assert_eq!(app.get(&bad).await.status, 404, "{bad}");
    }
}

#[tokio::test]
async fn five_unpublished_persons_are_counted_and_still_never_named() {
    let app = seeded_app().await;
    let store = &app.store;
    let report = Source {
        id: 0,
        url: None,
        title: "Report".into(),
        publisher: None,
        date: None,
        kind: SourceKind::Article,
        confidential: false,
    };
    let source = store.add_source(&report, "test").await.unwrap();
    let a = store
        .add_announcement(&cuba_553(source), "test")
        .await
        .unwrap();
    let hidden: Vec<libres_store::CaseBundle> = (0..5)
        .map(|i| {
            let mut case = PersonBuilder::new(
                &format!("CU-09{i:02}"),
                "Oculta",
                &format!("{UNPUBLISHED_NAME}{i}"),
            )
            .unpublished()
            .case()
            .build();
            case.sources = vec![report.clone()];
            case.events = vec![release(ReleaseKind::Parole, "2025-01-16", a, Some(0))];
            case
        })
        .collect();
    store.insert_cases(&hidden, "test").await.unwrap();
    let html = app.get(&format!("/en/announcements/{a}")).await.text();
    assert!(
        html.contains(&format!("<a href=\"/en/announcements/{a}/verified\">5</a>")),
        "{html}"
    );
    let names = app
        .get(&format!("/en/announcements/{a}/verified"))
        .await
        .text();
    assert!(
        names.contains("5 more persons are counted here but not named"),
        "{names}"
    );
    assert!(
        !names.contains(UNPUBLISHED_NAME) && !names.contains("CU-09"),
        "{names}"
    );
    let api = app.get(&format!("/api/v1/announcements/{a}")).await.text();
    assert!(
        !api.contains(UNPUBLISHED_NAME) && !api.contains("CU-09"),
        "{api}"
    );
}

#[tokio::test]
async fn a_claim_without_a_number_shows_its_words_and_an_empty_registry_no_figures() {
    let app = seeded_app().await;
    let store = &app.store;
    let dozens = Announcement {
        country: CountryCode::parse("NI").unwrap(),
        claimed: None,
        claimed_words: Some("decenas".into()),
        source_ids: vec![],
        ..cuba_553(0)
    };
    let a = store.add_announcement(&dozens, "test").await.unwrap();
    let html = app.get(&format!("/es/announcements/{a}")).await.text();
    assert!(html.contains("<strong>decenas</strong>"), "{html}");
    assert!(
        html.contains(&format!("<a href=\"/es/announcements/{a}/named\">0</a>")),
        "{html}"
    );
    assert!(
        !html.contains("Anunciado</th>"),
        "no claimed bar without a number: {html}"
    );
}

#[tokio::test]
async fn a_release_backed_only_by_a_confidential_source_is_unverified_in_public() {
    let app = seeded_app().await;
    let store = &app.store;
    let testimony = Source {
        id: 0,
        url: None,
        title: "Testimonio de la madre".into(),
        publisher: None,
        date: None,
        kind: SourceKind::Testimony,
        confidential: true,
    };
    let secret = store.add_source(&testimony, "test").await.unwrap();
    let a = store
        .add_announcement(&cuba_553(secret), "test")
        .await
        .unwrap();
    store
        .add_event(
            &PersonId::parse("VE-0001").unwrap(),
            &release(ReleaseKind::Parole, "2025-01-16", a, Some(secret)),
            "t",
        )
        .await
        .unwrap();
    // Staff see it backed; the public sees neither the source nor a
    // "verified" that would tell of it.
    let html = app.get(&format!("/en/announcements/{a}")).await.text();
    for (slug, n) in [("verified", 0), ("unverified", 1)] {
        assert!(
            html.contains(&format!("<a href=\"/en/announcements/{a}/{slug}\">{n}</a>")),
            "{slug} = {n}: {html}"
        );
    }
    let page = app.get("/en/persons/VE-0001").await.text();
    assert!(!page.contains("Testimonio"), "{page}");
    let api = app.get("/api/v1/persons/VE-0001").await.json();
    let released = api["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "release")
        .unwrap();
    assert_eq!(released["unverified"], true);
    assert_eq!(released["source_ids"], serde_json::json!([]));
}

/// The row of `month` in the held table: (held, verified, unverified).
fn held_row(html: &str, month: &str) -> (u64, u64, u64) {
    let start = format!("<th scope=\"row\"><bdi dir=\"ltr\">{month}</bdi></th>");
    let at = html
        .find(&start)
        .unwrap_or_else(|| panic!("no {month} row in {html}"))
        + start.len();
    let row = &html[at..at + html[at..].find("</tr>").unwrap()];
    let cells: Vec<u64> = row
        .split("<td class=\"n\">")
        .skip(1)
        .map(|c| c[..c.find('<').unwrap()].parse().unwrap())
        .collect();
    (cells[0], cells[1], cells[2])
}

#[tokio::test]
async fn a_countrys_page_charts_who_was_held_each_month_with_its_releases_and_announcements() {
    use libres_testkit::CaseBuilder;
    // The staff site's clock: 15 January 2027, so the chart runs from
    // February 2024 to January 2027.
    let site = crate::staff_auth::site().await;
    crate::fixtures::seed(&site.app).await;
    let store = site.store();
    let source = report(store.as_ref()).await;
    let a = store
        .add_announcement(&cuba_553(source), "t")
        .await
        .unwrap();
    site.app
        .insert([
            CaseBuilder::new(PersonBuilder::new("CU-0500", "Ana", "Pupo").country("CU"))
                .event(EventKind::Arrest, "2024-06-01")
                .release("2025-03-05", ReleaseKind::Parole, &[])
                .build(),
            CaseBuilder::new(PersonBuilder::new("CU-0501", "Luis", "Cruz").country("CU"))
                .event(EventKind::Arrest, "2023")
                .release("2025", ReleaseKind::Parole, &[])
                .build(),
        ])
        .await;
    let page = site.app.get("/en/announcements?country=CU").await;
    // The chart ends at this month: the page is not kept past it.
    assert_eq!(page.header("cache-control"), Some("no-store"));
    let html = page.text();
    assert!(html.contains("<polyline points=\""), "{html}");
    // CU-0500 is held from June 2024 to its release in March 2025; CU1
    // (the seeded case) leaves on parole in January 2025, sourced: a
    // verified release that month, when the announcement is marked.
    let (may, june) = (held_row(&html, "2024-05"), held_row(&html, "2024-06"));
    assert_eq!(june.0, may.0 + 1, "{html}");
    // CU-0501's release, dated only "2025", may have come in January: it
    // is no longer counted as held from then, and is not placed in a
    // month.
    let (dec, jan) = (held_row(&html, "2024-12"), held_row(&html, "2025-01"));
    assert_eq!(jan.0 + 2, dec.0);
    assert_eq!((jan.1, jan.2), (1, 0));
    let (feb, march) = (held_row(&html, "2025-02"), held_row(&html, "2025-03"));
    assert_eq!(march.0 + 1, feb.0);
    assert_eq!((march.1, march.2), (0, 1), "an unsourced release");
    assert_eq!(held_row(&html, "2025-12").0, held_row(&html, "2025-11").0);
    assert!(html.contains("One release is dated too coarsely"), "{html}");
    assert!(html.contains(&format!("<a href=\"/en/announcements/{a}\">1</a>")));
    assert!(!html.contains("2024-01</bdi>") && html.contains("2027-01</bdi>"));
    // Unpublished persons are not in it; nor is the chart on the list of
    // all countries.
    assert_no_secrets("country page", &html);
    let all = site.app.get("/en/announcements").await.text();
    assert!(!all.contains("<polyline"));
    // In Arabic, time runs from right to left.
    let ar = site.app.get("/ar/announcements?country=CU").await.text();
    let at = ar.find("<polyline points=\"").unwrap() + 18;
    let points: Vec<u64> = ar[at..at + ar[at..].find('"').unwrap()]
        .split(' ')
        .map(|p| p.split(',').next().unwrap().parse().unwrap())
        .collect();
    assert!(points.first() > points.last(), "{points:?}");
    assert_eq!(held_row(&ar, "2025-01"), jan);
}
