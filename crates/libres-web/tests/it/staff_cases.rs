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

    // The record's page links to a page that asks first; deleting is its
    // POST.
    let delete = format!("/staff/persons/{CU1}/events/{}/delete", release.id);
    assert!(page.contains(&format!("href=\"{delete}\"")), "{page}");
    let ask = site.get(&delete, &researcher).await;
    assert_eq!(ask.status, 200);
    assert!(ask.text().contains("house_arrest"), "{}", ask.text());
    assert!(ask.text().contains(&format!("action=\"{delete}\"")));
    assert_eq!(record(&site, CU1).await.events.len(), before.events.len());
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
    // The form also opens from the list of sources, and goes back there.
    let plain = format!("/staff/sources/{key}/edit");
    assert_eq!(site.get(&plain, &researcher).await.status, 200);
    let not_an_id = format!("/staff/sources/{key}/edit?person=..%2F..%2Fetc");
    assert_eq!(site.get(&not_an_id, &researcher).await.status, 404);
}

#[tokio::test]
async fn a_detention_is_deleted_after_a_confirmation_and_stays_in_the_history() {
    let (site, researcher) = signed_in(Role::Researcher).await;
    let before = record(&site, CU1).await;
    let d = before.detentions[0].clone();
    let delete = format!("/staff/persons/{CU1}/detentions/{}/delete", d.id);
    let page = site
        .get(&format!("/staff/persons/{CU1}"), &researcher)
        .await
        .text();
    assert!(page.contains(&format!("href=\"{delete}\"")), "{page}");
    let ask = site.get(&delete, &researcher).await;
    assert_eq!(ask.status, 200);
    assert!(ask.text().contains(&format!("Delete detention #{}", d.id)));
    assert_eq!(record(&site, CU1).await.detentions, before.detentions);

    let res = site.post(&delete, &researcher, &[]).await;
    assert_eq!(res.status, 303, "{}", res.text());
    let after = record(&site, CU1).await;
    assert_eq!(after.detentions.len(), before.detentions.len() - 1);
    assert_eq!(after.events, before.events, "the timeline stays");
    let history = site
        .store()
        .person_history(&PersonId::parse(CU1).unwrap())
        .await
        .unwrap();
    let last = history.last().unwrap();
    assert_eq!(
        (last.action.as_str(), last.actor.as_str()),
        ("detention_deleted", "researcher@example.org")
    );
    assert_eq!(site.post(&delete, &researcher, &[]).await.status, 404);
    // A viewer may not.
    let viewer = also(&site, Role::Viewer).await;
    let other = format!(
        "/staff/persons/{CU1}/detentions/{}/delete",
        after.detentions.first().map_or(1, |d| d.id)
    );
    assert_eq!(site.post(&other, &viewer, &[]).await.status, 403);
}

#[tokio::test]
async fn every_source_is_listed_and_only_an_uncited_one_can_be_deleted() {
    let (site, researcher) = signed_in(Role::Researcher).await;
    let added = site
        .post(
            "/staff/sources",
            &researcher,
            &[
                ("title", "Uncited note"),
                ("kind", "testimony"),
                ("confidential", "yes"),
            ],
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.text());
    let key: i64 = added
        .text()
        .split("is source <strong>#")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    let cited = record(&site, CU1).await.sources[0].id;

    let list = site.get("/staff/sources", &researcher).await;
    assert_eq!(list.status, 200);
    let html = list.text();
    let row = html
        .lines()
        .find(|l| l.contains("Uncited note"))
        .unwrap_or_else(|| panic!("the uncited source is listed: {html}"));
    assert!(
        row.contains("(confidential source)") && row.contains("0 times"),
        "{row}"
    );
    assert!(row.contains(&format!("/staff/sources/{key}/edit")), "{row}");
    assert!(
        row.contains(&format!("/staff/sources/{key}/delete")),
        "{row}"
    );
    let cited_row = html
        .lines()
        .find(|l| {
            l.starts_with(&format!("<tr><td>{cited}</td>"))
                || l.contains(&format!("<td>{cited}</td>"))
        })
        .unwrap();
    assert!(!cited_row.contains("/delete"), "{cited_row}");

    // A cited source: the confirmation page says why not, and so does a
    // POST sent anyway.
    let refuse = format!("/staff/sources/{cited}/delete");
    let res = site.get(&refuse, &researcher).await;
    assert_eq!(res.status, 409);
    assert!(res.text().contains("is cited 2 times"), "{}", res.text());
    assert_eq!(site.post(&refuse, &researcher, &[]).await.status, 409);
    assert!(site.store().source(cited).await.unwrap().is_some());

    let delete = format!("/staff/sources/{key}/delete");
    assert_eq!(site.get(&delete, &researcher).await.status, 200);
    let res = site.post(&delete, &researcher, &[]).await;
    assert_eq!(res.status, 303);
    assert_eq!(res.header("location"), Some("/staff/sources"));
    assert_eq!(site.store().source(key).await.unwrap(), None);
    assert!(!site
        .get("/staff/sources", &researcher)
        .await
        .text()
        .contains("Uncited note"));
}

#[tokio::test]
async fn reading_a_record_or_a_list_is_on_record_without_what_was_read() {
    let (site, viewer) = signed_in(Role::Viewer).await;
    let secret_search = "ZZSECRETNAME";
    assert_eq!(
        site.get(&format!("/staff/persons?q={secret_search}"), &viewer)
            .await
            .status,
        200
    );
    assert_eq!(
        site.get(&format!("/staff/persons/{CU1}"), &viewer)
            .await
            .status,
        200
    );
    assert_eq!(site.get("/staff/sources", &viewer).await.status, 200);
    let log = site.store().audit_entries(0, 10_000).await.unwrap();
    let reads: Vec<(&str, &str)> = log
        .iter()
        .filter(|e| e.actor == "viewer@example.org" && e.action.ends_with("ed"))
        .filter(|e| {
            ["persons_searched", "person_viewed", "sources_listed"].contains(&e.action.as_str())
        })
        .map(|e| (e.action.as_str(), e.target.as_str()))
        .collect();
    assert_eq!(
        reads,
        [
            ("persons_searched", "persons"),
            ("person_viewed", CU1),
            ("sources_listed", "sources"),
        ]
    );
    for e in &log {
        assert!(!e.details.contains(secret_search), "{}", e.details);
    }
    assert!(site
        .store()
        .verify_audit(None)
        .await
        .unwrap()
        .broken
        .is_none());
}

#[tokio::test]
async fn an_event_form_links_an_announcement_and_its_verification_and_an_edit_keeps_them() {
    let (site, researcher) = signed_in(Role::Researcher).await;
    let announcement = crate::fixtures::cuba_553();
    let a = site
        .store()
        .add_announcement(&announcement, "test")
        .await
        .unwrap();
    let add = format!("/staff/persons/{CU1}/events");
    let fields = |announcement: &str| {
        vec![
            ("kind", "transfer".to_owned()),
            ("date", "2026-11-21".to_owned()),
            ("announcement", announcement.to_owned()),
            (
                "verified_by",
                "Prisoners Defenders | Justicia 11J".to_owned(),
            ),
            ("verified_on", "2026-11-2X".to_owned()),
        ]
    };
    let bad = fields(&(a + 1000).to_string());
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = site.post(&add, &researcher, &bad).await;
    assert_eq!(res.status, 422, "{}", res.text());
    assert!(
        res.text()
            .contains(&format!("there is no announcement {}", a + 1000)),
        "{}",
        res.text()
    );

    let good = fields(&a.to_string());
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = site.post(&add, &researcher, &good).await;
    assert_eq!(res.status, 303, "{}", res.text());
    let stored = record(&site, CU1).await;
    let e = stored
        .events
        .iter()
        .find(|e| e.date.as_str() == "2026-11-21")
        .unwrap()
        .clone();
    assert_eq!(e.announcement_id, Some(a));
    let v = e.verification.clone().unwrap();
    assert_eq!(v.by, ["Prisoners Defenders", "Justicia 11J"]);
    assert_eq!(v.on.map(|d| d.to_string()).as_deref(), Some("2026-11-2X"));
    let page = site
        .get(&format!("/staff/persons/{CU1}"), &researcher)
        .await
        .text();
    assert!(
        page.contains(&format!("Part of announcement #{a}.")),
        "{page}"
    );
    assert!(page.contains("Verified by Prisoners Defenders, Justicia 11J on 2026-11-2X."));

    // The edit form is filled with the links, so saving it unchanged keeps
    // them.
    let edit = format!("/staff/persons/{CU1}/events/{}/edit", e.id);
    let form = site.get(&edit, &researcher).await.text();
    assert!(
        form.contains(&format!("name=\"announcement\" value=\"{a}\""))
            || form.contains(&format!("value=\"{a}\"")),
        "{form}"
    );
    let mut same = good.clone();
    same.push(("description", "moved"));
    let res = site.post(&edit, &researcher, &same).await;
    assert_eq!(res.status, 303, "{}", res.text());
    let after = record(&site, CU1).await;
    let kept = after.events.iter().find(|x| x.id == e.id).unwrap();
    assert_eq!(kept.announcement_id, Some(a));
    assert_eq!(kept.verification, e.verification);
}

#[tokio::test]
async fn an_editor_records_edits_and_deletes_an_announcement() {
    let (site, researcher) = signed_in(Role::Editor).await;
    let fields = [
        ("country", "CU"),
        ("date", "2025-01-14"),
        ("issuer_kind", "government"),
        ("issuer", "MINREX"),
        ("claim", "releases"),
        ("claimed", "553"),
        ("claimed_words", "553 sancionados"),
        ("title_es", "Cuba anuncia 553 excarcelaciones"),
        ("title_en", XSS),
        ("sources", ""),
    ];
    let bad: Vec<(&str, &str)> = fields
        .iter()
        .map(|&(k, v)| {
            if k == "claimed" {
                (k, "decenas")
            } else {
                (k, v)
            }
        })
        .collect();
    let res = site
        .post("/staff/announcements/new", &researcher, &bad)
        .await;
    assert_eq!(res.status, 422, "{}", res.text());
    assert!(
        res.text()
            .contains("claimed: `decenas` is not a whole number"),
        "{}",
        res.text()
    );
    assert!(
        res.text()
            .contains("value=\"Cuba anuncia 553 excarcelaciones\""),
        "input kept"
    );

    let res = site
        .post("/staff/announcements/new", &researcher, &fields)
        .await;
    assert_eq!(res.status, 303, "{}", res.text());
    let stored = site.store().announcements(None, 10).await.unwrap();
    assert_eq!(stored.len(), 1);
    let a = stored[0].clone();
    assert_eq!((a.claimed, a.texts.len()), (Some(553), 2));
    let list = site.get("/staff/announcements", &researcher).await.text();
    assert!(list.contains(XSS_ESCAPED) && !list.contains(XSS), "{list}");
    assert!(list.contains(&format!("/staff/announcements/{}/edit", a.id)));

    let edit = format!("/staff/announcements/{}/edit", a.id);
    let form = site.get(&edit, &researcher).await.text();
    assert!(form.contains("value=\"553\""), "{form}");
    let changed: Vec<(&str, &str)> = fields
        .iter()
        .map(|&(k, v)| if k == "claimed" { (k, "554") } else { (k, v) })
        .collect();
    assert_eq!(site.post(&edit, &researcher, &changed).await.status, 303);
    assert_eq!(
        site.store()
            .announcement(a.id)
            .await
            .unwrap()
            .unwrap()
            .claimed,
        Some(554)
    );
    let log = site.store().audit_entries(0, 10_000).await.unwrap();
    let last = log
        .iter()
        .rev()
        .find(|e| e.action.starts_with("announcement"))
        .unwrap();
    assert_eq!(
        (last.action.as_str(), last.actor.as_str()),
        ("announcement_updated", "editor@example.org")
    );

    let delete = format!("/staff/announcements/{}/delete", a.id);
    assert_eq!(site.get(&delete, &researcher).await.status, 200);
    assert_eq!(site.post(&delete, &researcher, &[]).await.status, 303);
    assert_eq!(site.store().announcement(a.id).await.unwrap(), None);
    // A viewer reads the list but may not add one.
    let viewer = also(&site, Role::Viewer).await;
    assert_eq!(site.get("/staff/announcements", &viewer).await.status, 200);
    assert_eq!(
        site.post("/staff/announcements/new", &viewer, &fields)
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn a_release_for_someone_never_detained_is_refused_with_the_reason() {
    let (site, researcher) = signed_in(Role::Researcher).await;
    let res = site
        .post(
            "/staff/persons/new",
            &researcher,
            &[
                ("id", "CU-0700"),
                ("given_names", "Ana"),
                ("surname1", "Pérez"),
                ("country", "CU"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text());
    let add = "/staff/persons/CU-0700/events";
    let release = [
        ("kind", "release"),
        ("date", "2025-01-16"),
        ("release_kind", "parole"),
    ];
    let res = site.post(add, &researcher, &release).await;
    assert_eq!(res.status, 422, "{}", res.text());
    assert!(
        res.text()
            .contains("has no detention recorded before 2025-01-16"),
        "{}",
        res.text()
    );
    assert!(record(&site, "CU-0700").await.events.is_empty());
    let arrest = [("kind", "arrest"), ("date", "2024-03-01")];
    assert_eq!(site.post(add, &researcher, &arrest).await.status, 303);
    assert_eq!(site.post(add, &researcher, &release).await.status, 303);
    assert_eq!(
        record(&site, "CU-0700").await.status.to_string(),
        "conditional_release"
    );
    // Nor may the arrest go now, leaving the release after nothing:
    // refused, said, and nothing deleted.
    let events = record(&site, "CU-0700").await.events;
    let arrest = events.iter().find(|e| e.kind == EventKind::Arrest).unwrap();
    let res = site
        .post(
            &format!("/staff/persons/CU-0700/events/{}/delete", arrest.id),
            &researcher,
            &[],
        )
        .await;
    assert_eq!(res.status, 409, "{}", res.text());
    assert!(
        res.text()
            .contains("would leave the release of 2025-01-16 of `CU-0700` without a detention"),
        "{}",
        res.text()
    );
    assert_eq!(record(&site, "CU-0700").await.events, events);
}

#[tokio::test]
async fn an_editor_matches_a_pasted_list_and_decides_each_name_once() {
    let (site, editor) = signed_in(Role::Editor).await;
    let announcement = crate::fixtures::cuba_553();
    let a = site
        .store()
        .add_announcement(&announcement, "test")
        .await
        .unwrap();
    let page = format!("/staff/announcements/{a}/names");
    let empty = site.post(&page, &editor, &[("names", " \n ")]).await;
    assert_eq!(empty.status, 422, "{}", empty.text());

    let pasted = format!("GONZALEZ GARCIA, YOANDRI\n\n{XSS}\nNADIE DESCONOCIDO\n");
    let res = site.post(&page, &editor, &[("names", &pasted)]).await;
    assert_eq!(res.status, 303, "{}", res.text());
    let follow = res.header("location").unwrap().to_owned();
    assert!(follow.starts_with(&format!("{page}?job=")), "{follow}");
    let html = site.get(&follow, &editor).await.text();
    assert!(html.contains("3 names matched"), "{html}");
    assert!(html.contains(XSS_ESCAPED) && !html.contains(XSS), "{html}");
    assert!(html.contains("Machine suggestion:"), "{html}");
    let names = site.store().named_list(a).await.unwrap();
    assert_eq!(names.len(), 3);
    assert_eq!(names[0].line, 1);
    assert_eq!(names[1].row_id, "3", "row ids are the lines pasted");

    // Confirm the first with a registry person; reject the second.
    let first = format!("{page}/{}", names[0].id);
    let res = site
        .post(&first, &editor, &[("review", "confirmed"), ("person", CU1)])
        .await;
    assert_eq!(res.status, 303, "{}", res.text());
    let second = format!("{page}/{}", names[1].id);
    assert_eq!(
        site.post(&second, &editor, &[("review", "rejected")])
            .await
            .status,
        303
    );
    // Another editor, late, is told who decided.
    let other = also(&site, Role::Admin).await;
    let late = site.post(&first, &other, &[("review", "rejected")]).await;
    assert_eq!(late.status, 409, "{}", late.text());
    assert!(
        late.text().contains("already by editor@example.org"),
        "{}",
        late.text()
    );
    // A confirmation needs a person that exists.
    let third = format!("{page}/{}", names[2].id);
    let res = site
        .post(
            &third,
            &editor,
            &[("review", "confirmed"), ("person", "XX-0404")],
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text());
    let decided = site.store().named_list(a).await.unwrap();
    assert_eq!(decided[0].review, libres_core::Review::Confirmed);
    assert_eq!(decided[0].person.as_ref().map(|p| p.as_str()), Some(CU1));
    assert_eq!(decided[1].review, libres_core::Review::Rejected);
    assert_eq!(decided[2].review, libres_core::Review::Pending);
    // A new list would throw decisions away: refused, and said.
    // Said at once, before any matching.
    let res = site
        .post(&page, &editor, &[("names", "OTRA PERSONA")])
        .await;
    assert_eq!(res.status, 422, "{}", res.text());
    let html = res.text();
    assert!(
        html.contains("2 names of this list are decided already"),
        "{html}"
    );
    assert!(html.contains("OTRA PERSONA"), "the paste is kept: {html}");
    // A matching no longer followed (an hour on, or a restart) leaves the
    // page as it is, saying so.
    let gone = site.get(&format!("{page}?job=0123abcd"), &editor).await;
    assert_eq!(gone.status, 200);
    assert!(gone.text().contains("no longer followed"));
    assert_eq!(site.store().named_list(a).await.unwrap().len(), 3);
    let log = site.store().audit_entries(0, 10_000).await.unwrap();
    let decisions = log.iter().filter(|e| e.action == "name_decided").count();
    assert_eq!(decisions, 2);
    // The public page: three names on the list, one matched (published,
    // by name behind the link).
    let public = site.app.get(&format!("/en/announcements/{a}")).await.text();
    assert!(public.contains("<td>3</td>"), "{public}");
    assert!(
        public.contains(&format!("<a href=\"/en/announcements/{a}/matched\">1</a>")),
        "{public}"
    );
    let matched = site
        .app
        .get(&format!("/en/announcements/{a}/matched"))
        .await
        .text();
    assert!(matched.contains(&format!("/en/persons/{CU1}")), "{matched}");
    let api = site
        .app
        .get(&format!("/api/v1/announcements/{a}"))
        .await
        .json();
    assert_eq!(api["list_names"], 3);
    assert_eq!(api["matched"]["persons"], serde_json::json!([CU1]));
}
