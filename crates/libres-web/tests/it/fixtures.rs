//! A small registry every test can start from, with distinctive markers
//! in every confidential place so that leaks are easy to spot.

use libres_core::{Condition, EventKind, ReleaseKind, SourceKind};
use libres_testkit::{spawn_app, CaseBuilder, DetentionBuilder, PersonBuilder, TestApp};

/// Text that must never reach the public, whatever the page.
pub const SECRETS: &[&str] = &[
    NOTES_MARKER,
    CONTACT_MARKER,
    TESTIMONY_MARKER,
    SECRET_URL,
    UNPUBLISHED_NAME,
    UNPUBLISHED_NOTES,
];
pub const NOTES_MARKER: &str = "PRIVATE-NOTES-7f3a";
pub const CONTACT_MARKER: &str = "FAMILY-CONTACT-9b2c";
pub const TESTIMONY_MARKER: &str = "CONFIDENTIAL-TESTIMONY-41d8";
pub const SECRET_URL: &str = "https://witness.example.net/secret-41d8";
pub const UNPUBLISHED_NAME: &str = "Zarzamora";
pub const UNPUBLISHED_NOTES: &str = "UNPUBLISHED-NOTES-c0de";

/// The public source of the main case.
pub const ARTICLE_URL: &str = "https://news.example.org/2025/01/excarcelaciones";

/// Id of the rich, published Cuban case.
pub const CU1: &str = "CU-0001";
/// Id of the person whose family declined publication.
pub const HIDDEN: &str = "CU-0002";

/// A published Cuban case with everything a case page can show, and
/// confidential data in every field that has it.
pub fn rich_case() -> CaseBuilder {
    PersonBuilder::new(CU1, "Yoandri", "González")
        .surname2("García")
        .alias("El Yoa")
        .province("La Habana")
        .born("1985~")
        .nationality("CU")
        .nationality("ES")
        .occupation("Albañil")
        .summary("Detenido tras las protestas del 11 de julio de 2021.")
        .private_notes(NOTES_MARKER)
        .family_contact(CONTACT_MARKER)
        .case()
        .source(
            SourceKind::Article,
            "Excarcelaciones condicionales en La Habana",
            Some(ARTICLE_URL),
        )
        .published_by("Diario Ejemplo", "2025-01-17")
        .confidential_source(SourceKind::Testimony, TESTIMONY_MARKER, Some(SECRET_URL))
        .detention(
            DetentionBuilder::new()
                .arrested("2021-07-11", "San Antonio de los Baños")
                .authority("DSE")
                .charges(&["cu.desacato", "cu.desordenes"])
                .court("Tribunal Provincial de La Habana")
                .sentence(Some("8 años de privación de libertad"), Some(96))
                .prison("Combinado del Este"),
        )
        .event(EventKind::Arrest, "2021-07-11")
        .place("San Antonio de los Baños")
        .cite(&[0, 1])
        .event(EventKind::Sentence, "2022-03")
        .release(
            "2025-01-16",
            ReleaseKind::Parole,
            &[Condition::PeriodicPresentation, Condition::TravelBan],
        )
        .place("Combinado del Este")
        .describe("Excarcelado con régimen de presentación.")
        .cite(&[0, 1])
}

/// The standard registry: three published persons in CU, VE and NI, and
/// one unpublished Cuban.
pub async fn seeded_app() -> TestApp {
    let app = spawn_app().await;
    seed(&app).await;
    app
}

/// Writes the standard registry into `app`.
pub async fn seed(app: &TestApp) {
    app.insert([
        rich_case().build(),
        PersonBuilder::new("VE-0001", "María de los Ángeles", "Rodríguez")
            .surname2("Pérez")
            .country("VE")
            .province("Caracas")
            .case()
            .event(EventKind::Arrest, "2024-08")
            .build(),
        PersonBuilder::new("NI-0001", "Dayami", "Núñez")
            .country("NI")
            .province("Managua")
            .case()
            .event(EventKind::Arrest, "2023~")
            .event(EventKind::Disappearance, "2023-05")
            .build(),
        PersonBuilder::new(HIDDEN, "Yusleidy", "Oculta")
            .surname2(UNPUBLISHED_NAME)
            .province("Holguín")
            .unpublished()
            .private_notes(UNPUBLISHED_NOTES)
            .case()
            .event(EventKind::Arrest, "2022-01-1X")
            .build(),
    ])
    .await;
}

/// Asserts that no confidential marker appears in `text`.
pub fn assert_no_secrets(what: &str, text: &str) {
    for s in SECRETS {
        assert!(!text.contains(s), "{what} leaks `{s}`");
    }
}

/// Cuba's announcement of January 2025 (553 releases claimed, no list),
/// citing no source; its issuer holds markup, to check escaping.
pub fn cuba_553() -> libres_core::Announcement {
    libres_core::Announcement {
        id: 0,
        country: libres_core::CountryCode::parse("CU").unwrap(),
        date: libres_core::EdtfDate::parse("2025-01-14").unwrap(),
        issuer_kind: libres_core::IssuerKind::Government,
        issuer: "MINREX <b>".into(),
        claim: libres_core::ClaimKind::Releases,
        claimed: Some(553),
        claimed_words: Some("553 sancionados por diversos delitos".into()),
        texts: vec![
            libres_core::AnnouncementText {
                lang: "es".into(),
                title: "Cuba anuncia 553 excarcelaciones".into(),
                body: "Sin lista de nombres.".into(),
            },
            libres_core::AnnouncementText {
                lang: "en".into(),
                title: "Cuba announces 553 releases".into(),
                body: String::new(),
            },
        ],
        source_ids: vec![],
    }
}
