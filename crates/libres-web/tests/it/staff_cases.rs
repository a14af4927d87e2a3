//! The staff forms that change a case beyond the person's own fields:
//! detentions, timeline events and sources, through HTTP over a real
//! store. Who may send each form is in the access matrix
//! (`staff_auth.rs`).

use crate::fixtures::CU1;
use crate::staff_pages::{also, signed_in, XSS, XSS_ESCAPED};
use libres_core::{EventKind, PersonId, Role};
use libres_store::PersonRecord;
use libres_web::Lang;

/// The stored record of `id`.
async fn record(site: &crate::staff_auth::Site, id: &str) -> PersonRecord {
    site.store()
        .get_person(&PersonId::parse(id).unwrap())
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn a_researcher_adds_and_edits_a_detention_and_the_history_names_each_field() {
    let (site, researcher) = signed_in(Role::Researcher).await;
    let before = record(&site, CU1).await.detentions.len();
    let add = format!("/staff/persons/{CU1}/detentions");
    let bad = site
        .post(
            &add,
            &researcher,
            &[
                ("arrest_date", "2024-13"),
                ("prison", "Kept prison"),
                ("sentence_months", "ocho"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    let html = bad.text();
    assert!(html.contains("arrest_date: "), "{html}");
    assert!(html.contains("sentence_months: `ocho` is not"), "{html}");
    assert!(html.contains("value=\"Kept prison\""), "{html}");
    assert_eq!(record(&site, CU1).await.detentions.len(), before);

    let ok = site
        .post(
            &add,
            &researcher,
            &[
                ("arrest_date", "2024-08-03"),
                ("arrest_place", "Santa Clara"),
                ("authority", "PNR"),
                ("charges", "cu.desacato\ncu.propaganda_enemiga"),
                ("court", "Tribunal Municipal"),
                ("sentence", "3 años"),
                ("sentence_months", "36"),
                ("prison", XSS),
            ],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.text());
    let stored = record(&site, CU1).await.detentions;
    assert_eq!(stored.len(), before + 1);
    let added = stored
        .iter()
        .find(|d| d.court.as_deref() == Some("Tribunal Municipal"))
        .unwrap();
    assert_eq!(added.charges, ["cu.desacato", "cu.propaganda_enemiga"]);
    assert_eq!(added.sentence_months, Some(36));
    let key = added.id;
    let page = site
        .get(&format!("/staff/persons/{CU1}"), &researcher)
        .await
        .text();
    assert!(page.contains(XSS_ESCAPED) && !page.contains(XSS), "{page}");
    assert!(page.contains(&format!("/staff/persons/{CU1}/detentions/{key}/edit")));

    let edit = format!("/staff/persons/{CU1}/detentions/{key}/edit");
    let form = site.get(&edit, &researcher).await;
    assert_eq!(form.status, 200);
    let form = form.text();
    assert!(form.contains("value=\"Tribunal Municipal\""), "{form}");
    assert!(
        form.contains("cu.desacato\ncu.propaganda_enemiga"),
        "{form}"
    );
    assert!(form.contains(XSS_ESCAPED) && !form.contains(XSS), "{form}");
    let fields = [
        ("arrest_date", "2024-08-03"),
        ("arrest_place", "Santa Clara"),
        ("authority", "PNR"),
        ("charges", "cu.desacato|cu.desordenes"),
        ("court", "Tribunal Provincial"),
        ("sentence", "3 años"),
        ("sentence_months", "36"),
        ("prison", "Kilo 8"),
    ];
    let mut wrong = fields.to_vec();
    wrong[6] = ("sentence_months", "-1");
    let res = site.post(&edit, &researcher, &wrong).await;
    assert_eq!(res.status, 422);
    assert!(res.text().contains("value=\"Tribunal Provincial\""));
    let res = site.post(&edit, &researcher, &fields).await;
    assert_eq!(res.status, 303, "{}", res.text());
    let changed = record(&site, CU1).await;
    let d = changed.detentions.iter().find(|d| d.id == key).unwrap();
    assert_eq!(d.court.as_deref(), Some("Tribunal Provincial"));
    assert_eq!(d.charges, ["cu.desacato", "cu.desordenes"]);
    assert_eq!(d.prison.as_deref(), Some("Kilo 8"));

    let page = site
        .get(&format!("/staff/persons/{CU1}"), &researcher)
        .await
        .text();
    let history = &page[page.find("<h2>History</h2>").unwrap()..];
    let newest = &history[..history.find("</section>").unwrap()];
    assert!(newest.contains("by researcher@example.org"), "{newest}");
    for f in ["court", "charges", "prison"] {
        assert!(
            newest.contains(&format!("detention.{key}.{f}")),
            "{f}: {newest}"
        );
    }
    assert!(
        !newest.contains(&format!("detention.{key}.authority")),
        "{newest}"
    );
    // Another person's detention is not this person's to edit.
    let other = site
        .post(
            &format!("/staff/persons/VE-0001/detentions/{key}/edit"),
            &researcher,
            &fields,
        )
        .await;
    assert_eq!(other.status, 404);
    // A viewer is offered none of these forms.
    let viewer = also(&site, Role::Viewer).await;
    let seen = site
        .get(&format!("/staff/persons/{CU1}"), &viewer)
        .await
        .text();
    for form in ["/detentions", "/edit\"", "/delete\"", "Add a detention"] {
        assert!(!seen.contains(form), "{form} shown to a viewer");
    }
}

#[tokio::test]
async fn editing_a_release_changes_the_status_and_deleting_it_changes_it_again() {
    let (site, researcher) = signed_in(Role::Researcher).await;
    let before = record(&site, CU1).await;
    assert_eq!(before.status.to_string(), "conditional_release");
    let release = before
        .events
        .iter()
        .find(|e| e.kind == EventKind::Release)
        .unwrap()
        .clone();
    let edit = format!("/staff/persons/{CU1}/events/{}/edit", release.id);
    let form = site.get(&edit, &researcher).await;
    assert_eq!(form.status, 200);
    let form = form.text();
    assert!(form.contains("value=\"parole\" selected"), "{form}");
    assert!(form.contains("value=\"2025-01-16\""), "{form}");
    let sources = release
        .source_ids
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let bad = site
        .post(
            &edit,
            &researcher,
            &[
                ("kind", "release"),
                ("date", "2025-01-16"),
                ("place", "Kept"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad
        .text()
        .contains("release_kind: a release needs its kind"));
    assert!(bad.text().contains("value=\"Kept\""));
    let res = site
        .post(
            &edit,
            &researcher,
            &[
                ("kind", "release"),
                ("date", "2025-01-16"),
                ("release_kind", "house_arrest"),
                ("conditions", "travel_ban"),
                ("description", XSS),
                ("sources", &sources),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text());
    let after = record(&site, CU1).await;
    assert_eq!(after.status.to_string(), "house_arrest");
    assert_eq!(after.events.len(), before.events.len());
    let page = site
        .get(&format!("/staff/persons/{CU1}"), &researcher)
        .await
        .text();
    assert!(page.contains(XSS_ESCAPED) && !page.contains(XSS), "{page}");

    let delete = format!("/staff/persons/{CU1}/events/{}/delete", release.id);
    let res = site.post(&delete, &researcher, &[]).await;
    assert_eq!(res.status, 303, "{}", res.text());
    let gone = record(&site, CU1).await;
    assert_eq!(gone.events.len(), before.events.len() - 1);
    assert!(gone.events.iter().all(|e| e.id != release.id));
    assert_ne!(gone.status.to_string(), "house_arrest");
    assert_ne!(gone.status.to_string(), "conditional_release");
    // Deleted once: the second time there is nothing to delete.
    assert_eq!(site.post(&delete, &researcher, &[]).await.status, 404);
    assert_eq!(site.get(&edit, &researcher).await.status, 404);
}

#[tokio::test]
async fn a_source_made_confidential_is_marked_for_staff_and_never_shown_in_public() {
    let (site, researcher) = signed_in(Role::Researcher).await;
    let canary = "CANARY-SOURCE-3c9d";
    let title = format!("{canary} {XSS}");
    let bad = site
        .post(
            "/staff/sources",
            &researcher,
            &[
                ("title", &title),
                ("url", "javascript:alert(1)"),
                ("kind", "article"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.text().contains("url: must be a web address"),
        "{}",
        bad.text()
    );
    let added = site
        .post(
            "/staff/sources",
            &researcher,
            &[
                ("title", &title),
                ("url", "https://news.example.org/canary"),
                ("publisher", "Diario"),
                ("date", "2026-11"),
                ("kind", "article"),
            ],
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.text());
    let html = added.text();
    assert!(html.contains(XSS_ESCAPED) && !html.contains(XSS), "{html}");
    let key: i64 = html
        .split("is source <strong>#")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .and_then(|n| n.parse().ok())
        .expect("the page names the new source's number");
    // Cited by an event, it shows on the public page while it is public.
    let res = site
        .post(
            &format!("/staff/persons/{CU1}/events"),
            &researcher,
            &[
                ("kind", "transfer"),
                ("date", "2026-11-20"),
                ("sources", &key.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text());
    let public = site.app.get_person_html(Lang::En, CU1).await.text();
    assert!(
        public.contains(canary),
        "a public source is shown: {public}"
    );

    let edit = format!("/staff/sources/{key}/edit?person={CU1}");
    let form = site.get(&edit, &researcher).await;
    assert_eq!(form.status, 200);
    assert!(form
        .text()
        .contains("value=\"https://news.example.org/canary\""));
    assert!(!form.text().contains(" checked"), "{}", form.text());
    let res = site
        .post(
            &edit,
            &researcher,
            &[
                ("title", &title),
                ("url", "https://news.example.org/canary"),
                ("publisher", "Diario"),
                ("date", "2026-11"),
                ("kind", "testimony"),
                ("confidential", "yes"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text());
    let stored = record(&site, CU1).await;
    let s = stored.sources.iter().find(|s| s.id == key).unwrap();
    assert!(s.confidential);
    let staff_page = site
        .get(&format!("/staff/persons/{CU1}"), &researcher)
        .await
        .text();
    let line = staff_page
        .lines()
        .find(|l| l.starts_with(&format!("<li>#{key} {canary}")))
        .unwrap_or_else(|| panic!("source #{key} listed: {staff_page}"));
    assert!(line.contains("(confidential source)"), "{line}");
    assert!(staff_page.contains(&format!("/staff/sources/{key}/edit?person={CU1}")));
    assert!(site
        .get(&edit, &researcher)
        .await
        .text()
        .contains(" checked"));
    for lang in [Lang::En, Lang::Es] {
        let html = site.app.get_person_html(lang, CU1).await.text();
        assert!(
            !html.contains(canary),
            "a confidential source in public ({lang:?})"
        );
    }
    let json = site.app.get_person_json(CU1).await.text();
    assert!(!json.contains(canary), "{json}");
    // The form is opened from a page that cites the source.
    let elsewhere = format!("/staff/sources/{key}/edit?person=VE-0001");
    assert_eq!(site.get(&elsewhere, &researcher).await.status, 404);
}
