//! An announcement's named list on the staff side: a list pasted or
//! uploaded as a file, the queue page by page, decisions one by one and
//! checked in bulk, and a new person made from a name. The paste and
//! single decisions are also in `staff_cases.rs`.

use crate::fixtures::CU1;
use crate::staff_auth::{Session, Site};
use crate::staff_pages::{also, signed_in, upload_to};
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
    let path = format!("{page}/upload");
    upload_to(site, s, &path, &[("csrf", &s.csrf)], file_name, content).await
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
    // A name of no list among the checked: nothing is decided.
    let res = site
        .post(
            &format!("{page}/decide"),
            &editor,
            &[
                ("review", "rejected"),
                ("name", &names[0].id.to_string()),
                ("name", "999999"),
            ],
        )
        .await;
    assert_eq!(res.status, 404);
    assert!(site
        .store()
        .named_list(a)
        .await
        .unwrap()
        .iter()
        .all(|n| n.review == Review::Pending));
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
    // A researcher may make persons, but not decide a list's name.
    let researcher = also(&site, Role::Researcher).await;
    let res = site
        .get(
            &format!("/staff/persons/new?list={a}&name={name}"),
            &researcher,
        )
        .await;
    assert_eq!(res.status, 404);
    // A name of no list is a 404, not a form.
    let none = site
        .get(&format!("/staff/persons/new?list={a}&name=99999"), &editor)
        .await;
    assert_eq!(none.status, 404);
}

// ---------------------------------------------------------------- in a browser

/// Given names and surnames of the made-up registry, and the surnames of
/// the list's strangers (none of them on the registry).
const GIVEN: [&str; 20] = [
    "Yoandri",
    "Maykel",
    "Yunior",
    "Lisandra",
    "Arnaldo",
    "Yaquelín",
    "Osmel",
    "Dayana",
    "Yosvany",
    "Marlenis",
    "Reinier",
    "Yanelis",
    "Ariel",
    "Mabel",
    "Duniesky",
    "Yudith",
    "Roilán",
    "Idalmis",
    "Leosvel",
    "Niurka",
];
const SURNAMES: [&str; 30] = [
    "Pupo",
    "Naranjo",
    "Céspedes",
    "Batista",
    "Almaguer",
    "Zaldívar",
    "Ochoa",
    "Ricardo",
    "Leyva",
    "Cabrera",
    "Infante",
    "Peña",
    "Guerra",
    "Tamayo",
    "Aguilera",
    "Escalona",
    "Rosales",
    "Fonseca",
    "Pacheco",
    "Quesada",
    "Mojena",
    "Velázquez",
    "Labrada",
    "Góngora",
    "Ferrer",
    "Barrios",
    "Nápoles",
    "Oliva",
    "Sarmiento",
    "Urquiza",
];
const STRANGERS: [&str; 15] = [
    "Abreu",
    "Bencomo",
    "Cordovés",
    "Dorticós",
    "Echemendía",
    "Fajardo",
    "Garcés",
    "Hechavarría",
    "Iznaga",
    "Jústiz",
    "Lamadrid",
    "Milanés",
    "Novoa",
    "Portuondo",
    "Rabí",
];
const PROVINCES: [&str; 5] = [
    "Holguín",
    "Granma",
    "Las Tunas",
    "Santiago de Cuba",
    "Camagüey",
];

/// Registry person `i` of the browser test: (id, given, surname1,
/// surname2, birth year, province).
fn registry_person(
    i: usize,
) -> (
    String,
    &'static str,
    &'static str,
    &'static str,
    u32,
    &'static str,
) {
    (
        format!("CU-{:04}", 1000 + i),
        GIVEN[i % 20],
        SURNAMES[(i / 20) % 30],
        SURNAMES[(i * 7 + 3) % 30],
        1960 + (i % 40) as u32,
        PROVINCES[i % 5],
    )
}

/// Folds accents away and shouts, as official lists write names.
fn shout(s: &str) -> String {
    libres_core::text::fold(s).to_uppercase()
}

#[tokio::test]
async fn a_list_of_500_names_goes_through_the_review_queue_in_chromium() {
    use libres_core::EventKind;
    use libres_testkit::browser::{Browser, Viewport};
    use libres_testkit::{CaseBuilder, DetentionBuilder, PersonBuilder};
    let site = crate::staff_auth::site().await;
    crate::fixtures::seed(&site.app).await;
    site.app
        .insert((0..300).map(|i| {
            let (id, given, s1, s2, year, province) = registry_person(i);
            CaseBuilder::new(
                PersonBuilder::new(&id, given, s1)
                    .surname2(s2)
                    .born(&year.to_string())
                    .country("CU")
                    .province(province),
            )
            .detention(DetentionBuilder::new().arrested("2021-07-11", province))
            .event(EventKind::Arrest, "2021-07-11")
            .build()
        }))
        .await;
    let (a, page) = announcement(&site).await;
    // The list: 200 registry persons as a clerk writes them, and 300
    // strangers, in a spreadsheet's CSV with its own columns.
    let mut csv = "No.;Apellidos y nombres;Año;Provincia;Causa\n".to_owned();
    let mut truth = std::collections::HashMap::new();
    for row in 0..500 {
        let line = if row % 5 < 2 {
            let (id, given, s1, s2, year, province) = registry_person(row / 5 * 2 + row % 5);
            truth.insert((row + 1).to_string(), id);
            format!(
                "{} {}, {};{year};{};desorden público",
                shout(s1),
                shout(s2),
                shout(given),
                shout(province)
            )
        } else {
            let given = GIVEN[(row * 3) % 20];
            let s1 = STRANGERS[row % 15];
            let s2 = STRANGERS[(row / 15) % 15];
            format!(
                "{} {}, {};{};{};hurto",
                shout(s1),
                shout(s2),
                shout(given),
                1950 + row % 50,
                shout(PROVINCES[row % 5])
            )
        };
        csv.push_str(&format!("{};{line}\n", row + 1));
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("excarcelados.csv");
    std::fs::write(&file, csv).unwrap();

    let secret = site.enrol("editor@example.org", Role::Editor).await;
    let Some(browser) = Browser::launch(Viewport::DESKTOP).await else {
        return;
    };
    // Log in with the password and the authenticator's code.
    crate::staff_auth::log_in_with_browser(&site, &browser, "editor@example.org", &secret).await;

    // Upload the file; the page follows the matching until it is done.
    browser.goto(&site.app.url(&page)).await;
    browser.choose_file("input[type=file]", &file).await;
    browser.submit("form[action$='/names/upload'] button").await;
    let mut text = browser.text().await;
    for _ in 0..20 {
        if !text.contains("being matched") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        text = browser.text().await;
    }
    assert!(text.contains("500 names matched"), "{text}");
    assert!(
        text.contains("500 names on the list; 500 pending"),
        "{text}"
    );
    let proposed = site.store().named_list(a).await.unwrap();
    let machine_matches = proposed
        .iter()
        .filter(|n| n.proposal == libres_core::Proposal::Match)
        .count();
    // Every `match` the machine proposes is the right person.
    for n in &proposed {
        if n.proposal == libres_core::Proposal::Match {
            let right = truth.get(&n.row_id).map(String::as_str);
            assert_eq!(n.proposed.as_ref().map(|p| p.as_str()), right, "{n:?}");
        }
    }
    assert!(machine_matches >= 100, "{machine_matches} matches of 200");

    // One `review` name confirmed with the right person typed in.
    let typed = proposed
        .iter()
        .find(|n| n.proposal != libres_core::Proposal::Match && truth.contains_key(&n.row_id));
    if let Some(n) = typed {
        let field = format!("input[aria-label='Person id for line {}']", n.line);
        browser
            .eval(&format!(
                "document.querySelector(\"{field}\").value = ''; return 0;"
            ))
            .await;
        browser.fill(&field, &truth[&n.row_id]).await;
        browser
            .submit(&format!("form[action$='/names/{}'] button", n.id))
            .await;
        assert!(browser.text().await.contains("499 pending"));
    }

    // Page by page: confirm the checked machine matches, then reject the
    // checked others.
    let rows_where = |matched: bool| {
        format!(
            "return Array.from(document.querySelectorAll('tbody tr')).filter(tr => \
             tr.innerText.includes('Machine suggestion: match') === {matched}).map(tr => \
             tr.querySelector('input[type=checkbox]').value);"
        )
    };
    let mut rounds = 0;
    while !browser.text().await.contains("No names pending.") {
        rounds += 1;
        assert!(rounds < 30, "the queue does not empty");
        for (matched, button) in [(true, "confirmed"), (false, "rejected")] {
            let ids = browser.eval(&rows_where(matched)).await;
            let boxes: Vec<String> = ids
                .as_array()
                .unwrap()
                .iter()
                .map(|v| format!("input[type=checkbox][value='{}']", v.as_str().unwrap()))
                .collect();
            if boxes.is_empty() {
                continue;
            }
            assert_eq!(browser.click_all(&boxes.join(", ")).await, boxes.len());
            browser
                .submit(&format!("button[form=checked][value={button}]"))
                .await;
            assert!(
                !browser.text().await.contains("were left as they are"),
                "a checked name was left"
            );
        }
    }
    let decided = site.store().named_list(a).await.unwrap();
    assert!(decided.iter().all(|n| n.review != Review::Pending));
    let confirmed: Vec<_> = decided
        .iter()
        .filter(|n| n.review == Review::Confirmed)
        .collect();
    assert_eq!(
        confirmed.len(),
        machine_matches + usize::from(typed.is_some())
    );
    for n in &confirmed {
        assert_eq!(
            n.person.as_ref().map(|p| p.as_str()),
            truth.get(&n.row_id).map(String::as_str)
        );
    }
    // Each decision is on record under the editor's name.
    let log = site.store().audit_entries(0, 100_000).await.unwrap();
    let decisions = log
        .iter()
        .filter(|e| e.action == "name_decided" && e.actor == "editor@example.org")
        .count();
    assert_eq!(decisions, 500);
    // The public page counts the list and the matched, names behind.
    browser
        .goto(&site.app.url(&format!("/en/announcements/{a}")))
        .await;
    let public = browser.text().await;
    assert!(public.contains("500"), "{public}");
    browser
        .submit(&format!("a[href='/en/announcements/{a}/matched']"))
        .await;
    let matched = browser.text().await;
    let first = confirmed[0].person.as_ref().unwrap().as_str();
    assert!(
        matched.contains(first)
            || browser
                .eval(&format!(
                    "return !!document.querySelector(\"a[href='/en/persons/{first}']\");"
                ))
                .await
                == serde_json::json!(true),
        "{matched}"
    );
    browser.close().await;
}

#[tokio::test]
async fn a_list_file_over_the_named_list_limit_is_refused_with_its_own_words() {
    let (site, editor) = signed_in(Role::Editor).await;
    let (a, page) = announcement(&site).await;
    let big = vec![b'A'; (libres_app::named_list::MAX_FILE_BYTES + (128 << 10)) as usize];
    let res = upload(&site, &editor, &page, "lista.csv", &big).await;
    assert_eq!(res.status, 413, "{}", res.text());
    assert!(
        res.text().contains("larger than a named list may be"),
        "{}",
        res.text()
    );
    assert!(site.store().named_list(a).await.unwrap().is_empty());
}
