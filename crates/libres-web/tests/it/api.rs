use crate::fixtures::{assert_no_secrets, seeded_app, ARTICLE_URL, CU1, HIDDEN};
use libres_testkit::{spawn_app_over, BrokenStore};
use libres_web::WebOptions;
use std::sync::Arc;

#[tokio::test]
async fn the_person_list_api_returns_items_total_page_and_per_page() {
    let app = seeded_app().await;
    let res = app.search_json("").await;
    assert_eq!(res.status, 200);
    assert!(res.content_type().starts_with("application/json"));
    let v = res.json();
    assert_eq!(v["total"], 3);
    assert_eq!(v["page"], 1);
    assert_eq!(v["per_page"], 50);
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["id"], CU1);
    assert_eq!(items[0]["full_name"], "Yoandri González García");
    assert_eq!(items[0]["country"], "CU");
    assert_eq!(items[0]["status"], "conditional_release");
    assert!(items.iter().all(|i| i["id"] != HIDDEN));
}

#[tokio::test]
async fn the_api_search_is_accent_insensitive_and_filters() {
    let app = seeded_app().await;
    let v = app.search_json("q=gonzalez+garcia").await.json();
    assert_eq!(v["total"], 1);
    assert_eq!(v["items"][0]["surname1"], "González");
    let v = app
        .search_json("country=NI&status=disappeared")
        .await
        .json();
    assert_eq!(v["total"], 1);
    assert_eq!(v["items"][0]["id"], "NI-0001");
    let v = app.search_json("status=released").await.json();
    assert_eq!(v["total"], 0);
    assert_eq!(v["items"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn the_person_api_returns_the_redacted_case_file() {
    let app = seeded_app().await;
    let res = app.get_person_json(CU1).await;
    assert_eq!(res.status, 200);
    assert_no_secrets("/api/v1/persons/CU-0001", &res.text());
    let v = res.json();
    assert_eq!(v["id"], CU1);
    assert_eq!(v["status"], "conditional_release");
    assert_eq!(v["birth_date"], "1985~");
    assert_eq!(v["nationalities"], serde_json::json!(["CU", "ES"]));
    assert!(
        v.get("private_notes").is_none()
            && v.get("family_contact").is_none()
            && v.get("publish").is_none()
    );
    let sources = v["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 1);
    assert_eq!(sources[0]["url"], ARTICLE_URL);
    let public_id = sources[0]["id"].clone();
    assert_eq!(public_id, 1, "sources are numbered within the case");
    let events = v["events"].as_array().unwrap();
    assert_eq!(events.len(), 3);
    assert_eq!(events[0]["kind"], "arrest");
    assert_eq!(events[0]["source_ids"], serde_json::json!([public_id]));
    assert_eq!(events[2]["release"]["kind"], "parole");
    assert_eq!(events[2]["release"]["group"], "conditional");
    assert_eq!(
        events[2]["release"]["conditions"],
        serde_json::json!(["periodic_presentation", "travel_ban"])
    );
    let charges = &v["detentions"][0]["charges"];
    assert_eq!(charges[0]["code"], "cu.desacato");
    assert_eq!(charges[0]["es"], "desacato");
    assert_eq!(charges[0]["en"], "contempt of authority");
}

#[tokio::test]
async fn unknown_and_unpublished_persons_are_the_same_json_404() {
    let app = seeded_app().await;
    for id in [HIDDEN, "CU-9999", "not%20an%20id"] {
        let res = app.get_person_json(id).await;
        assert_eq!(res.status, 404, "{id}");
        assert!(res.content_type().starts_with("application/json"));
        assert_eq!(res.json(), serde_json::json!({"error": "not found"}));
    }
}

#[tokio::test]
async fn bad_api_parameters_are_json_400s_that_name_the_parameter() {
    let app = seeded_app().await;
    for (query, word) in [
        ("page=abc", "page"),
        ("page=0", "page"),
        ("status=bogus", "status"),
        ("country=ZZ", "country"),
    ] {
        let res = app.search_json(query).await;
        assert_eq!(res.status, 400, "{query}");
        assert!(res.content_type().starts_with("application/json"));
        let msg = res.json()["error"].as_str().unwrap().to_owned();
        assert!(msg.contains(word), "{query}: {msg}");
    }
}

#[tokio::test]
async fn an_unknown_api_route_is_a_json_404() {
    let app = seeded_app().await;
    let res = app.get("/api/v1/nothing").await;
    assert_eq!(res.status, 404);
    assert_eq!(res.json()["error"], "not found");
}

#[tokio::test]
async fn a_store_failure_is_an_opaque_json_500() {
    let app = spawn_app_over(Arc::new(BrokenStore), WebOptions::default()).await;
    for path in ["/api/v1/persons", "/api/v1/persons/CU-0001"] {
        let res = app.get(path).await;
        assert_eq!(res.status, 500, "{path}");
        assert_eq!(res.json(), serde_json::json!({"error": "internal error"}));
    }
}

#[tokio::test]
async fn the_openapi_document_describes_the_api_from_the_code() {
    let app = seeded_app().await;
    let res = app.get("/api/openapi.json").await;
    assert_eq!(res.status, 200);
    assert!(res.content_type().starts_with("application/json"));
    let v = res.json();
    assert!(v["openapi"].as_str().unwrap().starts_with("3."));
    assert!(v["paths"]["/api/v1/persons"]["get"].is_object());
    assert!(v["paths"]["/api/v1/persons/{id}"]["get"].is_object());
    assert!(v["paths"]["/api/v1/announcements"]["get"].is_object());
    assert!(v["paths"]["/api/v1/announcements/{id}"]["get"].is_object());
    let params: Vec<&str> = v["paths"]["/api/v1/persons"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(params, ["q", "country", "status", "page", "per_page"]);
    assert_eq!(
        v["paths"]["/api/v1/persons"]["get"]["parameters"][3]["schema"]["minimum"], 1,
        "the document says what the API refuses: page 0"
    );
    assert_eq!(app.get("/api/v1/persons?page=0").await.status, 400);
    let schemas = &v["components"]["schemas"];
    for name in [
        "PersonList",
        "PersonItem",
        "PublicPerson",
        "PublicEvent",
        "PublicSource",
        "PublicAnnouncement",
        "PublicFigure",
        "ErrorBody",
    ] {
        assert!(schemas[name].is_object(), "schema {name}");
    }
    let props = schemas["PublicPerson"]["properties"].as_object().unwrap();
    assert!(
        props.contains_key("status")
            && !props.contains_key("private_notes")
            && !props.contains_key("family_contact")
    );
}

#[tokio::test]
async fn healthz_says_ok_when_the_store_answers_and_503_when_it_does_not() {
    let app = seeded_app().await;
    let res = app.get("/healthz").await;
    assert_eq!(res.status, 200);
    assert_eq!(res.text(), "ok");
    let broken = spawn_app_over(Arc::new(BrokenStore), WebOptions::default()).await;
    let res = broken.get("/healthz").await;
    assert_eq!(res.status, 503);
    assert!(!res.text().contains("BrokenStore"));
}

#[tokio::test]
async fn sex_is_written_as_the_document_says_m_f_or_x() {
    use libres_core::Sex;
    use libres_testkit::PersonBuilder;
    let app = libres_testkit::spawn_app().await;
    app.upsert([
        PersonBuilder::new("CU-0101", "Ana", "Pupo")
            .sex(Sex::F)
            .build(),
        PersonBuilder::new("CU-0102", "Luis", "Díaz")
            .sex(Sex::M)
            .build(),
        PersonBuilder::new("CU-0103", "Alex", "Gil")
            .sex(Sex::X)
            .build(),
        PersonBuilder::new("CU-0104", "Nadie", "Sabe").build(),
    ])
    .await;
    let doc = app.get("/api/openapi.json").await.json();
    let pattern = doc["components"]["schemas"]["PublicPerson"]["properties"]["sex"]["pattern"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(pattern, "^[MFX]$");
    for (id, sex) in [
        ("CU-0101", serde_json::json!("F")),
        ("CU-0102", serde_json::json!("M")),
        ("CU-0103", serde_json::json!("X")),
        ("CU-0104", serde_json::Value::Null),
    ] {
        let v = app.get_person_json(id).await.json();
        assert_eq!(v["sex"], sex, "{id}");
    }
}

#[tokio::test]
async fn an_api_page_holds_up_to_a_thousand_persons() {
    use libres_testkit::PersonBuilder;
    let app = libres_testkit::spawn_app().await;
    app.upsert(
        (0..1_205).map(|i| {
            PersonBuilder::new(&format!("CU-{i:05}"), "Ana", &format!("Pupo{i:05}")).build()
        }),
    )
    .await;
    let v = app.get("/api/v1/persons?per_page=1000").await.json();
    assert_eq!(v["items"].as_array().unwrap().len(), 1000);
    assert_eq!(v["per_page"], 1000);
    assert_eq!(v["total"], 1205);
    let v = app.get("/api/v1/persons?per_page=1000&page=2").await.json();
    assert_eq!(v["items"].as_array().unwrap().len(), 205);
    let res = app.get("/api/v1/persons?per_page=1001").await;
    assert_eq!(res.status, 400);
    assert!(res.text().contains("per_page"));
    // The HTML list keeps a chosen page size in its links.
    let html = app.get("/en/persons?per_page=100").await.text();
    assert!(
        html.contains("per_page=100&#38;page=2"),
        "the next link keeps the page size"
    );
    assert!(html.contains("Page 1 of 13"), "13 pages of 100");
}

#[tokio::test]
async fn the_public_list_downloads_whole_as_csv_and_ndjson_without_anything_confidential() {
    use libres_testkit::PersonBuilder;
    let app = libres_testkit::spawn_app().await;
    let mut persons: Vec<_> = (0..2_345)
        .map(|i| PersonBuilder::new(&format!("CU-{i:05}"), "Ana", "Pupo").build())
        .collect();
    persons.push(
        PersonBuilder::new("CU-99999", "Oculta", "Reservada")
            .unpublished()
            .family_contact("+53 5555 5555")
            .build(),
    );
    persons.push(
        PersonBuilder::new("VE-00001", "=HYPERLINK(\"x\")", "Díaz")
            .private_notes("nota privada")
            .family_contact("madre")
            .build(),
    );
    app.upsert(persons).await;
    let csv = app.get("/api/v1/export/persons.csv").await;
    assert_eq!(csv.status, 200);
    assert_eq!(csv.content_type(), "text/csv; charset=utf-8");
    assert_eq!(csv.header("cache-control"), Some("no-store"));
    let text = csv.text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        1 + 2_346,
        "a header and every published person, across chunks"
    );
    assert!(lines[0].starts_with("id,given_names,surname1"));
    assert!(!lines[0].contains("family_contact") && !lines[0].contains("private_notes"));
    assert!(!text.contains("Reservada") && !text.contains("5555") && !text.contains("madre"));
    assert!(text.contains("'=HYPERLINK"), "a formula is not one");
    let nd = app.get("/api/v1/export/persons.ndjson").await;
    assert_eq!(nd.content_type(), "application/x-ndjson");
    let rows: Vec<serde_json::Value> = nd
        .text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2_346);
    assert_eq!(rows[0]["id"], "CU-00000");
    assert_eq!(rows[0]["surname2"], serde_json::Value::Null);
    assert!(rows.iter().all(|r| r.get("family_contact").is_none()));
    assert!(!rows.iter().any(|r| r["id"] == "CU-99999"));
}
