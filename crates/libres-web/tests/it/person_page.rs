use crate::fixtures::{
    assert_no_secrets, rich_case, seed, seeded_app, ARTICLE_URL, CU1, HIDDEN, SECRET_URL,
    TESTIMONY_MARKER,
};
use libres_core::{EventKind, SourceKind};
use libres_store::Store;
use libres_testkit::{
    spawn_app, spawn_app_through, test_options, DetentionBuilder, PersonBuilder, SpyStore,
};
use libres_web::Lang;
use std::sync::Arc;

#[tokio::test]
async fn the_case_page_shows_identity_detention_timeline_and_sources() {
    let app = seeded_app().await;
    let res = app.get_person_html(Lang::Es, CU1).await;
    assert_eq!(res.status, 200);
    let html = res.text();
    for expected in [
        "<h1><bdi>Yoandri González García</bdi></h1>",
        "<title>Yoandri González García · Libres</title>",
        r#"Situación actual: <span class="st st-conditional_release">Excarcelación condicional</span>"#,
        "Fuera de prisión bajo condiciones revocables: no es libertad plena.",
        "<dd>Cuba</dd>",
        "<bdi>La Habana</bdi>",
        // Dates in words, the EDTF kept in the markup.
        r#"<dd><span class="date" data-edtf="1985~" title="EDTF 1985~">hacia 1985</span></dd>"#,
        // Computed from the dates, honest about their vagueness.
        "<dt>Edad en la primera detención</dt><dd>entre 35 y 36 años</dd>",
        "<dt>Última verificación</dt><dd><time datetime=\"2025-01-16\" data-edtf=\"2025-01-16\">16 de enero de 2025</time></dd>",
        "<dt>Tiempo privado de libertad</dt><dd>3 años y 6 meses",
        "<dd>Cuba, España</dd>",
        "<bdi>El Yoa</bdi>",
        // The registry's own text, marked as Spanish.
        r#"<bdi lang="es">Albañil</bdi>"#,
        "Detenido tras las protestas del 11 de julio de 2021.",
        // Detention.
        r#"<h3>Detención — <span class="muted">Fecha de arresto:</span> <time datetime="2021-07-11" data-edtf="2021-07-11">11 de julio de 2021</time></h3>"#,
        "<bdi>San Antonio de los Baños</bdi>",
        r#"<bdi lang="es">DSE</bdi>"#,
        r#"<bdi lang="es">Tribunal Provincial de La Habana</bdi>"#,
        "<dt>Condena</dt><dd>8 años</dd>",
        "<dt>Fin de la condena</dt><dd>11 de julio de 2029</dd>",
        "<dt>Tiempo en prisión</dt><dd>3 años y 6 meses</dd>",
        "<bdi>Combinado del Este</bdi>",
        // Timeline.
        "<strong>Detención</strong>",
        "<strong>Sentencia</strong>",
        "<strong>Excarcelación</strong>",
        "Tipo de excarcelación: Libertad condicional",
        "Condiciones: Régimen de presentación periódica ante el tribunal, Prohibición de salida del país",
        "Excarcelado con régimen de presentación.",
        // Sources.
        &format!(r#"<a href="{ARTICLE_URL}" rel="noreferrer nofollow"><bdi>Excarcelaciones condicionales en La Habana</bdi></a>"#),
        r#"Artículo de prensa, <bdi>Diario Ejemplo</bdi>, <time datetime="2025-01-17" data-edtf="2025-01-17">17 de enero de 2025</time>"#,
    ] {
        assert!(html.contains(expected), "missing {expected:?} in\n{html}");
    }
    let arrest = html.find("<strong>Detención</strong>").unwrap();
    let release = html.find("<strong>Excarcelación</strong>").unwrap();
    assert!(arrest < release, "the timeline is chronological");
}

#[tokio::test]
async fn charges_show_the_spanish_legal_term_and_english_for_other_languages() {
    let app = seeded_app().await;
    let es = app.get_person_html(Lang::Es, CU1).await.text();
    assert!(
        es.contains(r#"<li><bdi lang="es">desacato</bdi></li><li><bdi lang="es">desórdenes públicos</bdi></li>"#),
        "{es}"
    );
    let en = app.get_person_html(Lang::En, CU1).await.text();
    assert!(
        en.contains(
            r#"<li><bdi lang="es">desacato</bdi> <bdi lang="en">(contempt of authority)</bdi></li>"#
        ),
        "{en}"
    );
    assert!(en.contains(r#"<li><bdi lang="es">desórdenes públicos</bdi> <bdi lang="en">(public disorder)</bdi></li>"#));
    let ar = app.get_person_html(Lang::Ar, CU1).await.text();
    assert!(
        ar.contains(
            r#"<li><bdi lang="es">desacato</bdi> <bdi lang="en">(contempt of authority)</bdi></li>"#
        ),
        "{ar}"
    );
}

#[tokio::test]
async fn release_kinds_conditions_and_event_kinds_are_translated() {
    let app = seeded_app().await;
    let en = app.get_person_html(Lang::En, CU1).await.text();
    assert!(
        en.contains("Kind of release: Parole (libertad condicional)"),
        "{en}"
    );
    assert!(en.contains("Conditions: Periodic presentation before a court, Travel ban"));
    assert!(
        en.contains("<strong>Arrest</strong>")
            && en.contains(r#"Current status: <span class="st st-conditional_release">Conditional release</span>"#)
    );
    let ar = app.get_person_html(Lang::Ar, CU1).await.text();
    assert!(ar.contains("نوع الإفراج: إفراج مشروط"), "{ar}");
    assert!(ar.contains("الشروط: المثول الدوري أمام المحكمة، حظر السفر"));
    assert!(ar.contains("<strong>اعتقال</strong>"));
    assert!(ar.contains("مقال صحفي"), "the source kind");
}

#[tokio::test]
async fn confidential_data_never_appears_on_the_case_page() {
    let app = seeded_app().await;
    for lang in Lang::ALL {
        let html = app.get_person_html(lang, CU1).await.text();
        assert_no_secrets(&format!("/{}/persons/{CU1}", lang.code()), &html);
        assert!(!html.contains(SECRET_URL) && !html.contains(TESTIMONY_MARKER));
    }
}

#[tokio::test]
async fn event_source_links_skip_confidential_sources() {
    let app = seeded_app().await;
    let html = app.get_person_html(Lang::En, CU1).await.text();
    // The arrest cites the article and the confidential testimony: only
    // the article is linked, as source [1].
    let link = r##"Sources: <a href="#s"##;
    assert_eq!(html.matches(link).count(), 2, "{html}");
    let arrest = &html[html.find("<strong>Arrest</strong>").unwrap()
        ..html.find("<strong>Sentence</strong>").unwrap()];
    assert_eq!(arrest.matches("<a href=\"#s").count(), 1, "{arrest}");
    assert!(arrest.contains(">[1]</a>"), "{arrest}");
    assert_eq!(
        html.matches("<li id=\"s").count(),
        1,
        "one public source in the list"
    );
}

#[tokio::test]
async fn an_unpublished_person_is_a_404_indistinguishable_from_an_unknown_id() {
    let app = seeded_app().await;
    for lang in Lang::ALL {
        let hidden = app.get_person_html(lang, HIDDEN).await;
        let unknown = app.get_person_html(lang, "CU-9999").await;
        assert_eq!(hidden.status, 404);
        assert_eq!(unknown.status, 404);
        assert_eq!(hidden.headers.len(), unknown.headers.len());
        // The pages differ only by the id in the language-switcher links.
        assert_eq!(
            hidden.text().replace(HIDDEN, "ID"),
            unknown.text().replace("CU-9999", "ID")
        );
    }
    let a = app.get_person_json(HIDDEN).await;
    let b = app.get_person_json("CU-9999").await;
    assert_eq!(
        (a.status.as_u16(), a.body.clone()),
        (b.status.as_u16(), b.body.clone())
    );
}

#[tokio::test]
async fn the_public_site_reads_published_records_only() {
    // `get_person` returns unpublished records too, so reading one and
    // then refusing it would take longer for a hidden id than for an
    // unknown one. The site must ask for published records only.
    let mut spy = None;
    let app = spawn_app_through(test_options(), |store| {
        let s = Arc::new(SpyStore::new(store).refusing(&["get_person"]));
        spy = Some(Arc::clone(&s));
        s as Arc<dyn Store>
    })
    .await;
    let spy = spy.unwrap();
    seed(&app).await;
    for lang in Lang::ALL {
        assert_eq!(app.get_person_html(lang, CU1).await.status, 200);
        assert_eq!(app.get_person_html(lang, HIDDEN).await.status, 404);
        assert_eq!(app.get_person_html(lang, "CU-9999").await.status, 404);
    }
    assert_eq!(app.get_person_json(CU1).await.status, 200);
    assert_eq!(app.get_person_json(HIDDEN).await.status, 404);
    assert!(spy.called("get_published_person"), "{:?}", spy.calls());
    assert!(!spy.called("get_person"), "{:?}", spy.calls());
}

#[tokio::test]
async fn a_source_address_that_is_not_a_web_link_is_shown_as_text() {
    let app = spawn_app().await;
    app.insert([PersonBuilder::new("CU-0100", "Ana", "Pérez")
        .case()
        .source(
            SourceKind::Article,
            "Artículo raro",
            Some("javascript:alert(1)"),
        )
        .event(EventKind::Arrest, "2024")
        .cite(&[0])
        .build()])
        .await;
    let html = app.get_person_html(Lang::Es, "CU-0100").await.text();
    assert!(!html.contains(r#"href="javascript"#), "{html}");
    assert!(html.contains("<bdi>Artículo raro</bdi>"));
}

#[tokio::test]
async fn a_sentence_known_only_by_its_length_is_spelled_out_with_plurals() {
    let app = spawn_app().await;
    app.insert([PersonBuilder::new("VE-0100", "Luis", "Mora")
        .country("VE")
        .case()
        .detention(
            DetentionBuilder::new()
                .charges(&["ve.terrorismo", "ve.unknown_code"])
                .sentence(None, Some(30)),
        )
        .build()])
        .await;
    let es = app.get_person_html(Lang::Es, "VE-0100").await.text();
    // In years and months, in the reader's language.
    assert!(es.contains("<dd>2 años y 6 meses</dd>"), "{es}");
    assert!(
        es.contains(r#"<bdi lang="es">terrorismo</bdi>"#)
            && es.contains("<bdi>ve.unknown_code</bdi>")
    );
    assert!(
        es.contains("Aún no hay eventos registrados."),
        "no timeline yet"
    );
    let ar = app.get_person_html(Lang::Ar, "VE-0100").await.text();
    assert!(ar.contains("<dd>سنتان و6 أشهر</dd>"), "{ar}");
}

#[tokio::test]
async fn a_rich_case_page_stays_under_20_kb_gzipped() {
    let app = spawn_app().await;
    // The standard case plus a long timeline and many sources.
    let mut case = rich_case();
    for i in 0..30 {
        case = case
            .source(
                SourceKind::NgoReport,
                &format!("Informe mensual número {i} sobre presos políticos en Cuba"),
                Some(&format!("https://ngo.example.org/informes/2024/{i}")),
            )
            .published_by("Organización Ejemplo de Derechos Humanos", "2024-05")
            .event(EventKind::Transfer, &format!("2023-{:02}", i % 12 + 1))
            .place("Prisión Provincial de Ejemplo, Pinar del Río")
            .describe("Trasladado sin aviso a la familia; la información fue confirmada por dos fuentes independientes.")
            .cite(&[i + 2]);
    }
    app.insert([case.build()]).await;
    for lang in Lang::ALL {
        let plain = app.get_person_html(lang, CU1).await;
        let gz = app
            .get_with(
                &format!("/{}/persons/{CU1}", lang.code()),
                &[("accept-encoding", "gzip")],
            )
            .await;
        assert_eq!(gz.status, 200);
        assert_eq!(gz.header("content-encoding"), Some("gzip"));
        assert!(
            gz.body.len() < plain.body.len() / 3,
            "{} vs {}",
            gz.body.len(),
            plain.body.len()
        );
        assert!(
            gz.body.len() <= 20 * 1024,
            "{}: {} bytes gzipped",
            lang.code(),
            gz.body.len()
        );
    }
}

#[tokio::test]
async fn sources_are_numbered_per_case_leaving_no_gap_for_a_confidential_one() {
    // Other cases first, so that registry keys and numbers differ.
    let app = seeded_app().await;
    app.insert([PersonBuilder::new("CU-0200", "Ana", "Pérez")
        .case()
        .source(
            SourceKind::Article,
            "Primera fuente pública",
            Some("https://a.example.org/1"),
        )
        .confidential_source(SourceKind::Testimony, "Testimonio reservado", None)
        .source(
            SourceKind::NgoReport,
            "Segunda fuente pública",
            Some("https://b.example.org/2"),
        )
        .event(EventKind::Arrest, "2024-01")
        .cite(&[0, 1, 2])
        .event(EventKind::Trial, "2024-06")
        .cite(&[1, 2])
        .build()])
        .await;

    let html = app.get_person_html(Lang::En, "CU-0200").await.text();
    let ids: Vec<&str> = html
        .split(r#"<li id="s"#)
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    assert_eq!(ids, ["1", "2"], "{html}");
    let arrest = &html[html.find("<strong>Arrest</strong>").unwrap()
        ..html.find("<strong>Trial</strong>").unwrap()];
    assert!(
        arrest.contains(r##"<a href="#s1">[1]</a> <a href="#s2">[2]</a>"##),
        "{arrest}"
    );
    let trial = &html[html.find("<strong>Trial</strong>").unwrap()..];
    let trial = &trial[..trial.find("</li>").unwrap()];
    assert!(
        trial.contains(r##"<a href="#s2">[2]</a>"##) && !trial.contains("#s1"),
        "{trial}"
    );
    assert!(!html.contains("Testimonio reservado"));

    let v = app.get_person_json("CU-0200").await.json();
    let sources = v["sources"].as_array().unwrap();
    let ids: Vec<_> = sources.iter().map(|s| s["id"].clone()).collect();
    assert_eq!(ids, [serde_json::json!(1), serde_json::json!(2)]);
    assert_eq!(sources[1]["title"], "Segunda fuente pública");
    assert_eq!(v["events"][0]["source_ids"], serde_json::json!([1, 2]));
    assert_eq!(v["events"][1]["source_ids"], serde_json::json!([2]));
}

#[tokio::test]
async fn a_change_of_status_without_a_source_is_marked_unverified() {
    let app = crate::fixtures::seeded_app().await;
    // VE-0001's arrest cites nothing; CU-0001's events cite their sources.
    let ve = app.get("/en/persons/VE-0001").await.text();
    assert!(
        ve.contains(
            "Unverified: no published source or verification backs this change of status yet."
        ),
        "{ve}"
    );
    let cu = app
        .get(&format!("/en/persons/{}", crate::fixtures::CU1))
        .await
        .text();
    let sourced_release = cu.find("Release").expect("CU1 has a release");
    assert!(
        !cu[sourced_release..].contains("Unverified"),
        "a sourced release is not unverified: {cu}"
    );
    let api = app.get("/api/v1/persons/VE-0001").await.json();
    assert_eq!(api["events"][0]["unverified"], true);
    let es = app.get("/es/persons/VE-0001").await.text();
    assert!(es.contains("Sin verificar"), "{es}");
}

#[tokio::test]
async fn each_detention_has_its_heading_and_vague_dates_are_told_honestly() {
    use libres_core::ReleaseKind;
    let app = spawn_app().await;
    app.insert([PersonBuilder::new("CU-0200", "Ana", "Pupo")
        .born("1990-04")
        .summary("Madre de dos hijos.")
        .case()
        .detention(
            DetentionBuilder::new()
                .arrested("2019-03-2X", "Holguín")
                .sentence(Some("1 año"), Some(12)),
        )
        .detention(DetentionBuilder::new().arrested("2021-07", "Holguín"))
        .event(EventKind::Arrest, "2019-03-2X")
        .release("2020-03-28", ReleaseKind::SentenceServed, &[])
        .event(EventKind::ReArrest, "2021-07")
        .release("2022~", ReleaseKind::Parole, &[])
        .build()])
        .await;
    let en = app.get_person_html(Lang::En, "CU-0200").await.text();
    for expected in [
        // One heading per detention, with its arrest date in words.
        r#"<h3>Detention 1 of 2 — <span class="muted">Date of arrest:</span> <span class="date" data-edtf="2019-03-2X" title="EDTF 2019-03-2X">between March 20, 2019 and March 29, 2019</span></h3>"#,
        r#"<h3>Detention 2 of 2 — <span class="muted">Date of arrest:</span> <time datetime="2021-07" data-edtf="2021-07">July 2021</time></h3>"#,
        // Born April 1990, arrested March 2019: 28 for sure.
        "<dt>Age at first arrest</dt><dd>28 years old</dd>",
        // The end of a sentence from a vague arrest is vague too.
        "<dt>Sentence ended</dt><dd>between March 20, 2020 and March 29, 2020</dd>",
        // Spanish as pronounced beside the length in English.
        r#"<dd>1 year <span class="muted">(as pronounced: <bdi lang="es">1 año</bdi>)</span></dd>"#,
        // The registry's summary, marked as Spanish.
        r#"<p lang="es" dir="auto">Madre de dos hijos.</p>"#,
        r#"<span class="date" data-edtf="2022~" title="EDTF 2022~">around 2022</span>"#,
    ] {
        assert!(en.contains(expected), "missing {expected:?} in\n{en}");
    }
    // Time held is a floor: from 29 March 2019 to 28 March 2020 is not
    // yet a year; from 31 July 2021 to 1 January 2022 is five months.
    assert!(en.contains("<dt>Time held</dt><dd>11 months</dd>"), "{en}");
    assert!(en.contains("<dt>Time held</dt><dd>5 months</dd>"), "{en}");
    assert!(
        en.contains("<dt>Time deprived of liberty</dt><dd>1 year and 4 months "),
        "{en}"
    );
    let ar = app.get_person_html(Lang::Ar, "CU-0200").await.text();
    assert!(ar.contains("الاحتجاز 1 من 2"), "{ar}");
    assert!(ar.contains(r#"<p lang="es" dir="auto">Madre de dos hijos.</p>"#));
}
