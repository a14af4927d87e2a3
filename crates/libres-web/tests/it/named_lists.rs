//! An announcement's named list on the staff side: a list pasted or
//! uploaded as a file, the queue page by page, decisions one by one and
//! checked in bulk, and a new person made from a name. The paste and
//! single decisions are also in `staff_cases.rs`.

use crate::fixtures::CU1;
use crate::staff_auth::{Session, Site};
use crate::staff_pages::{also, multipart, signed_in, BOUNDARY};
use libres_core::{Review, Role};

/// The announcement every test lists names for, and its names page.
async fn announcement(site: &Site) -> (i64, String) {
    let a = site
        .store()
        .add_announcement(&crate::fixtures::cuba_553(), "test")
        .await
        .unwrap();
    (a, format!("/staff/announcements/{a}/names"))
}

/// Uploads `content` as `file_name` to the names page `page`.
async fn upload(
    site: &Site,
    s: &Session,
    page: &str,
    file_name: &str,
    content: &[u8],
) -> libres_testkit::TestResponse {
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    site.app
        .post_bytes(
            &format!("{page}/upload"),
            &[("cookie", &s.cookie), ("content-type", &content_type)],
            multipart(&[("csrf", &s.csrf)], file_name, content),
        )
        .await
}

/// Follows a list's job to its page (the lists are small: done on the
/// first look).
async fn matched(site: &Site, s: &Session, res: &libres_testkit::TestResponse) -> String {
    assert_eq!(res.status, 303, "{}", res.text());
    let follow = res.header("location").unwrap().to_owned();
    assert!(follow.contains("/names?job="), "{follow}");
    site.get(&follow, s).await.text()
}

#[tokio::test]
async fn a_csv_file_is_read_by_its_headers_and_a_repeat_is_kept_once() {
    let (site, editor) = signed_in(Role::Editor).await;
    let (a, page) = announcement(&site).await;
    let csv = "Nº;Nombre y apellidos;Provincia;Año;Sanción\n\
               1;GONZALEZ GARCIA, YOANDRI;La Habana;1985;8 años\n\
               \n\
               2;NADIE DESCONOCIDO;Holguín;;\n\
               3;González García, Yoandri;LA HABANA;1985;\n";
    let res = upload(&site, &editor, &page, "lista enero.csv", csv.as_bytes()).await;
    let html = matched(&site, &editor, &res).await;
    assert!(html.contains("2 names matched"), "{html}");
    assert!(html.contains("line 5 (as line 2)"), "{html}");
    assert!(
        html.contains("`Nombre y apellidos`, `Año`, `Provincia`, `Nº`"),
        "{html}"
    );
    let names = site.store().named_list(a).await.unwrap();
    let read: Vec<(u32, &str, Option<i32>)> = names
        .iter()
        .map(|n| (n.line, n.row_id.as_str(), n.birth_year))
        .collect();
    assert_eq!(read, [(2, "1", Some(1985)), (4, "2", None)]);
    assert_eq!(
        names[0].proposed.as_ref().map(|p| p.as_str()),
        Some(CU1),
        "{names:?}"
    );

    // A bad file: its line and why, by the name the editor gave it, never
    // where the site keeps it; the list stays as it was.
    let bad = "nombre,año\nANA PUPO,setenta\n";
    let res = upload(&site, &editor, &page, "mala.csv", bad.as_bytes()).await;
    assert_eq!(res.status, 422, "{}", res.text());
    let text = res.text();
    assert!(
        text.contains("mala.csv: line 2: birth year: `setenta` is not a year"),
        "{text}"
    );
    assert!(!text.contains("libres-upload-"), "{text}");
    let res = upload(&site, &editor, &page, "lista.pdf", b"%PDF").await;
    assert_eq!(res.status, 422);
    assert!(res.text().contains("Choose a .csv or .xlsx file"));
    assert_eq!(site.store().named_list(a).await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_workbook_is_read_from_its_first_sheet() {
    let (site, editor) = signed_in(Role::Editor).await;
    let (a, page) = announcement(&site).await;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["nombres", "apellidos", "provincia"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["Yoandri", "González García", "La Habana"]
        .iter()
        .enumerate()
    {
        sheet.write_string(1, c as u16, *v).unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    let res = upload(&site, &editor, &page, "Lista.XLSX", &bytes).await;
    let html = matched(&site, &editor, &res).await;
    assert!(html.contains("1 names matched"), "{html}");
    let names = site.store().named_list(a).await.unwrap();
    assert_eq!(names[0].full_name, "González García, Yoandri");
    assert_eq!(names[0].line, 2);
}

#[tokio::test]
async fn twenty_thousand_names_are_a_list_and_one_more_is_refused_whole() {
    let (site, editor) = signed_in(Role::Editor).await;
    let (a, page) = announcement(&site).await;
    let many: String = (0..20_001)
        .map(|i| format!("PERSONA {}\n", words(i)))
        .collect();
    let res = site.post(&page, &editor, &[("names", &many)]).await;
    assert_eq!(res.status, 422, "{}", &res.text()[..500]);
    assert!(
        res.text()
            .contains("line 20001: the list has more than 20,000 names"),
        "refusal not said"
    );
    assert!(site.store().named_list(a).await.unwrap().is_empty());
    let cut = many.lines().take(20_000).collect::<Vec<_>>().join("\n");
    let res = site.post(&page, &editor, &[("names", &cut)]).await;
    let html = matched(&site, &editor, &res).await;
    assert!(html.contains("20000 names matched"), "{}", &html[..500]);
    assert_eq!(site.store().named_list(a).await.unwrap().len(), 20_000);
    // The queue shows them 100 a page.
    assert!(html.contains("Page 1 of 200"), "no pages");
    let last = site.get(&format!("{page}?page=200"), &editor).await.text();
    assert_eq!(last.matches(">Reject</button>").count(), 100);
}

/// A distinct made-up word for `i`, letters only (names have no digits).
fn words(mut i: usize) -> String {
    let mut w = String::new();
    loop {
        w.push(char::from(b'A' + (i % 26) as u8));
        i /= 26;
        if i == 0 {
            return w;
        }
    }
}

#[tokio::test]
async fn checked_names_are_decided_each_on_record_and_a_decided_one_is_left_and_said() {
    let (site, editor) = signed_in(Role::Editor).await;
    let (a, page) = announcement(&site).await;
    let pasted = "GONZALEZ GARCIA, YOANDRI\nNADIE DESCONOCIDO\nOTRA PERSONA SIN NOMBRE\n";
    let res = site.post(&page, &editor, &[("names", pasted)]).await;
    matched(&site, &editor, &res).await;
    let names = site.store().named_list(a).await.unwrap();
    assert!(names[0].proposed.is_some() && names[1].proposed.is_none());
    // Another editor rejects the third first.
    let other = also(&site, Role::Admin).await;
    let third = format!("{page}/{}", names[2].id);
    assert_eq!(
        site.post(&third, &other, &[("review", "rejected")])
            .await
            .status,
        303
    );
    let ids: Vec<String> = names.iter().map(|n| n.id.to_string()).collect();
    let res = site
        .post(
            &format!("{page}/decide"),
            &editor,
            &[
                ("review", "confirmed"),
                ("name", &ids[0]),
                ("name", &ids[1]),
                ("name", &ids[2]),
            ],
        )
        .await;
    assert_eq!(res.status, 409, "{}", res.text());
    let text = res.text();
    assert!(
        text.contains("line 2 (NADIE DESCONOCIDO): no proposal to confirm"),
        "{text}"
    );
    assert!(
        text.contains("line 3: OTRA PERSONA SIN NOMBRE was rejected already by admin@example.org"),
        "{text}"
    );
    let decided = site.store().named_list(a).await.unwrap();
    assert_eq!(decided[0].review, Review::Confirmed);
    assert_eq!(decided[0].person, names[0].proposed);
    assert_eq!(decided[0].decided_by.as_deref(), Some("editor@example.org"));
    assert_eq!(decided[1].review, Review::Pending);
    assert_eq!(decided[2].decided_by.as_deref(), Some("admin@example.org"));
    // Rejecting the checked rest works, and each decision is on record.
    let res = site
        .post(
            &format!("{page}/decide"),
            &editor,
            &[("review", "rejected"), ("name", &ids[1])],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text());
    let log = site.store().audit_entries(0, 10_000).await.unwrap();
    assert_eq!(log.iter().filter(|e| e.action == "name_decided").count(), 3);
    // Nothing pending: the queue says so; "all" shows every decision.
    let html = site.get(&page, &editor).await.text();
    assert!(html.contains("No names pending."), "{html}");
    let all = site.get(&format!("{page}?show=all"), &editor).await.text();
    assert_eq!(all.matches("<strong>rejected</strong>").count(), 2, "{all}");
    // A researcher reads the queue but is offered no decision.
    let researcher = also(&site, Role::Researcher).await;
    let html = site
        .get(&format!("{page}?show=all"), &researcher)
        .await
        .text();
    assert!(
        !html.contains("/names/decide") && !html.contains("New person"),
        "{html}"
    );
}

#[tokio::test]
async fn a_name_nobody_on_the_registry_becomes_a_new_person_confirmed_with_it() {
    let (site, editor) = signed_in(Role::Editor).await;
    let (a, page) = announcement(&site).await;
    let res = site
        .post(&page, &editor, &[("names", "PUPO NARANJO, ARNALDO")])
        .await;
    matched(&site, &editor, &res).await;
    let name = site.store().named_list(a).await.unwrap()[0].id;
    let form = site
        .get(&format!("/staff/persons/new?list={a}&name={name}"), &editor)
        .await;
    assert_eq!(form.status, 200);
    let html = form.text();
    for filled in [
        r#"name="given_names" value="Arnaldo""#,
        r#"name="surname1" value="Pupo""#,
        r#"name="surname2" value="Naranjo""#,
        r#"name="country" value="CU""#,
        &format!(r#"name="from_name" value="{name}""#),
    ] {
        assert!(html.contains(filled), "{filled} in {html}");
    }
    let res = site
        .post(
            "/staff/persons/new",
            &editor,
            &[
                ("id", "CU-0900"),
                ("given_names", "Arnaldo"),
                ("surname1", "Pupo"),
                ("surname2", "Naranjo"),
                ("country", "CU"),
                ("publish", "no"),
                ("from_list", &a.to_string()),
                ("from_name", &name.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text());
    assert_eq!(res.header("location"), Some(page.as_str()));
    let decided = &site.store().named_list(a).await.unwrap()[0];
    assert_eq!(decided.review, Review::Confirmed);
    assert_eq!(decided.person.as_ref().map(|p| p.as_str()), Some("CU-0900"));
    // The name is decided now: no second person for it.
    let again = site
        .get(&format!("/staff/persons/new?list={a}&name={name}"), &editor)
        .await;
    assert_eq!(again.status, 409, "{}", again.text());
    assert!(again
        .text()
        .contains("was confirmed already by editor@example.org"));
    let res = site
        .post(
            "/staff/persons/new",
            &editor,
            &[
                ("id", "CU-0901"),
                ("given_names", "Arnaldo"),
                ("surname1", "Pupo"),
                ("country", "CU"),
                ("from_list", &a.to_string()),
                ("from_name", &name.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status, 409, "{}", res.text());
    let id = libres_core::PersonId::parse("CU-0901").unwrap();
    assert!(site.store().get_person(&id).await.unwrap().is_none());
    // A name of no list is a 404, not a form.
    let none = site
        .get(&format!("/staff/persons/new?list={a}&name=99999"), &editor)
        .await;
    assert_eq!(none.status, 404);
}
