//! The store conformance suite.
//!
//! Every behaviour a backend must have is written here once, as an async
//! function over `&dyn Store`. Each backend crate instantiates the whole
//! suite with [`conformance_tests!`](crate::conformance_tests), giving it a
//! factory that returns a fresh, empty store (and a guard that drops the
//! database afterwards). `cargo test` then lists every case once per backend.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use crate::{CaseBundle, PersonQuery, Store, StoreError};
use libres_core::{
    Condition, CountryCode, Detention, EdtfDate, Event, EventKind, Person, PersonId, Release,
    ReleaseKind, Source, SourceKind, Status,
};

/// Instantiates every conformance case as a `#[tokio::test]` in the calling
/// module. `$factory` is an async fn returning
/// `Option<(Arc<dyn Store>, guard)>`: a fresh, empty store and whatever drops
/// its database, or `None` when the backend is not configured here (the
/// test then says loudly that it was skipped; CI always configures every
/// backend).
#[macro_export]
macro_rules! conformance_tests {
    ($factory:path) => {
        $crate::conformance_tests!(@cases $factory;
            an_empty_registry_is_empty_and_counts_nothing,
            every_committed_write_changes_the_version,
            an_update_keeps_the_fields_it_is_told_to_keep,
            the_published_lookup_never_returns_an_unpublished_person,
            a_registry_remembers_that_it_is_synthetic,
            upserted_persons_read_back_field_for_field,
            importing_the_same_persons_again_changes_nothing,
            updating_a_person_records_who_changed_what,
            updates_keep_fields_the_csv_does_not_carry,
            duplicate_ids_in_one_import_write_nothing,
            cases_keep_detentions_events_and_sources,
            a_batch_with_an_existing_id_writes_nothing,
            status_is_derived_from_the_timeline_and_follows_new_events,
            events_come_back_in_chronological_order,
            adding_an_event_to_an_unknown_person_is_not_found,
            search_ignores_accents_and_case,
            search_matches_word_prefixes_and_aliases,
            search_filters_by_country_and_status,
            search_pages_in_name_order,
            unpublished_persons_are_counted_but_never_listed,
            public_export_drops_confidential_fields_and_unpublished_persons,
            export_is_ordered_by_id_with_derived_status
        );
    };
    (@cases $factory:path; $($case:ident),*) => {
        $(
            #[tokio::test]
            async fn $case() {
                let Some((store, _guard)) = $factory().await else {
                    // Straight to the process's stderr: the test harness
                    // swallows `eprintln!` of passing tests, and a skip
                    // must never pass silently.
                    use ::std::io::Write as _;
                    let _ = writeln!(
                        ::std::io::stderr(),
                        "*** SKIPPED {}::{}: backend not configured (see the README, \"Test it\")",
                        module_path!(),
                        stringify!($case)
                    );
                    return;
                };
                $crate::conformance::$case(&*store).await;
            }
        )*
    };
}

fn cc(s: &str) -> CountryCode {
    CountryCode::parse(s).unwrap()
}

fn date(s: &str) -> EdtfDate {
    EdtfDate::parse(s).unwrap()
}

/// A person with every field filled in.
pub fn person(id: &str, given: &str, s1: &str, s2: Option<&str>, country: &str) -> Person {
    Person {
        id: PersonId::parse(id).unwrap(),
        given_names: given.into(),
        surname1: s1.into(),
        surname2: s2.map(Into::into),
        aliases: vec![],
        sex: Some(libres_core::Sex::M),
        birth_date: Some(date("1985~")),
        nationalities: vec![cc(country)],
        country: cc(country),
        province: Some("La Habana".into()),
        occupation: None,
        summary: None,
        publish: true,
        private_notes: Some(format!("PRIVATE-NOTE-{id}")),
        family_contact: Some(format!("FAMILY-CONTACT-{id}")),
    }
}

fn event(kind: EventKind, d: &str) -> Event {
    Event::new(kind, date(d))
}

fn release(d: &str, kind: ReleaseKind, conditions: Vec<Condition>) -> Event {
    Event {
        release: Some(Release { kind, conditions }),
        ..event(EventKind::Release, d)
    }
}

fn case(p: Person, events: Vec<Event>) -> CaseBundle {
    CaseBundle {
        person: p,
        detentions: vec![],
        events,
        sources: vec![],
    }
}

fn id(s: &str) -> PersonId {
    PersonId::parse(s).unwrap()
}

async fn names(store: &dyn Store, q: PersonQuery) -> Vec<String> {
    store
        .search_persons(&q)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|s| s.id.to_string())
        .collect()
}

fn query(q: &str) -> PersonQuery {
    PersonQuery {
        q: Some(q.into()),
        ..PersonQuery::default()
    }
}

pub async fn an_empty_registry_is_empty_and_counts_nothing(store: &dyn Store) {
    assert!(store.is_empty().await.unwrap());
    assert!(store.status_counts().await.unwrap().is_empty());
    assert!(store.export_persons(false).await.unwrap().is_empty());
    assert!(store.get_person(&id("nobody")).await.unwrap().is_none());
}

pub async fn every_committed_write_changes_the_version(store: &dyn Store) {
    let v0 = store.version().await.unwrap();
    let p = person("CU-1", "Ana", "López", None, "CU");
    store
        .upsert_persons(std::slice::from_ref(&p), &[], "cli")
        .await
        .unwrap();
    let v1 = store.version().await.unwrap();
    assert_ne!(v1, v0);
    store
        .upsert_persons(std::slice::from_ref(&p), &[], "cli")
        .await
        .unwrap();
    assert_eq!(
        store.version().await.unwrap(),
        v1,
        "an import that changes nothing keeps the version"
    );
    store
        .add_event(&p.id, &event(EventKind::Arrest, "2024"), "cli")
        .await
        .unwrap();
    let v2 = store.version().await.unwrap();
    assert_ne!(v2, v1);
    store
        .insert_cases(
            &[case(person("CU-2", "Eva", "Sosa", None, "CU"), vec![])],
            "system",
        )
        .await
        .unwrap();
    assert_ne!(store.version().await.unwrap(), v2);
    let v3 = store.version().await.unwrap();
    let failed = store.insert_cases(&[case(p, vec![])], "system").await;
    assert!(failed.is_err());
    assert_eq!(
        store.version().await.unwrap(),
        v3,
        "a write that failed changed nothing"
    );
    store.get_person(&id("CU-1")).await.unwrap();
    store.search_persons(&PersonQuery::default()).await.unwrap();
    assert_eq!(
        store.version().await.unwrap(),
        v3,
        "reads do not change the version"
    );
}

pub async fn an_update_keeps_the_fields_it_is_told_to_keep(store: &dyn Store) {
    let full = person("CU-1", "Ana", "López", Some("Díaz"), "CU");
    store
        .upsert_persons(std::slice::from_ref(&full), &[], "cli")
        .await
        .unwrap();
    // A file with only some columns: what it lacks must not be erased.
    let mut partial = full.clone();
    partial.surname2 = None;
    partial.private_notes = None;
    partial.family_contact = None;
    partial.province = Some("Matanzas".into());
    let s = store
        .upsert_persons(
            &[partial],
            &["surname2", "private_notes", "family_contact"],
            "cli",
        )
        .await
        .unwrap();
    assert_eq!(s.updated, 1);
    let got = store.get_person(&full.id).await.unwrap().unwrap().person;
    assert_eq!(got.surname2.as_deref(), Some("Díaz"));
    assert_eq!(got.private_notes, full.private_notes);
    assert_eq!(got.family_contact, full.family_contact);
    assert_eq!(got.province.as_deref(), Some("Matanzas"));
    // Without `keep`, an empty value clears the field.
    let mut cleared = got.clone();
    cleared.family_contact = None;
    store.upsert_persons(&[cleared], &[], "cli").await.unwrap();
    let got = store.get_person(&full.id).await.unwrap().unwrap().person;
    assert_eq!(got.family_contact, None);
    let bad = store
        .upsert_persons(&[got], &["no_such_field"], "cli")
        .await;
    assert!(bad.is_err());
}

pub async fn the_published_lookup_never_returns_an_unpublished_person(store: &dyn Store) {
    let mut hidden = person("NI-1", "Oculta", "Reservada", None, "NI");
    hidden.publish = false;
    let shown = person("NI-2", "Visible", "Pública", None, "NI");
    store
        .insert_cases(
            &[
                case(hidden.clone(), vec![event(EventKind::Arrest, "2023")]),
                case(shown.clone(), vec![]),
            ],
            "system",
        )
        .await
        .unwrap();
    assert!(store
        .get_published_person(&hidden.id)
        .await
        .unwrap()
        .is_none());
    assert!(store.get_person(&hidden.id).await.unwrap().is_some());
    assert!(store
        .get_published_person(&id("NI-404"))
        .await
        .unwrap()
        .is_none());
    let got = store
        .get_published_person(&shown.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got.person, shown);
    // Unpublishing takes effect at once.
    let mut now_hidden = shown.clone();
    now_hidden.publish = false;
    store
        .upsert_persons(&[now_hidden], &[], "cli")
        .await
        .unwrap();
    assert!(store
        .get_published_person(&shown.id)
        .await
        .unwrap()
        .is_none());
}

pub async fn a_registry_remembers_that_it_is_synthetic(store: &dyn Store) {
    assert!(!store.is_synthetic().await.unwrap());
    let v = store.version().await.unwrap();
    store.mark_synthetic().await.unwrap();
    assert!(store.is_synthetic().await.unwrap());
    assert_ne!(store.version().await.unwrap(), v);
    store.mark_synthetic().await.unwrap();
    assert!(store.is_synthetic().await.unwrap());
}

pub async fn upserted_persons_read_back_field_for_field(store: &dyn Store) {
    let mut a = person(
        "CU-1",
        "María de los Ángeles",
        "González",
        Some("García"),
        "CU",
    );
    a.nationalities = vec![cc("CU"), cc("ES")];
    a.sex = Some(libres_core::Sex::F);
    a.birth_date = Some(date("1979-05-1X"));
    let mut b = person("VE-2", "Yoandri", "Pérez", None, "VE");
    b.sex = None;
    b.birth_date = None;
    b.province = None;
    b.private_notes = None;
    b.publish = false;
    let s = store
        .upsert_persons(&[a.clone(), b.clone()], &[], "cli")
        .await
        .unwrap();
    assert_eq!((s.created, s.updated, s.unchanged), (2, 0, 0));
    assert!(!store.is_empty().await.unwrap());
    let got = store.get_person(&a.id).await.unwrap().unwrap();
    assert_eq!(got.person, a);
    assert_eq!(got.status, Status::Unknown);
    assert_eq!(store.get_person(&b.id).await.unwrap().unwrap().person, b);
}

pub async fn importing_the_same_persons_again_changes_nothing(store: &dyn Store) {
    let ps = vec![
        person("CU-1", "José Luis", "Rodríguez", Some("Díaz"), "CU"),
        person("CU-2", "Maykel", "Rodríguez", Some("Díaz"), "CU"),
    ];
    store.upsert_persons(&ps, &[], "cli").await.unwrap();
    let s = store.upsert_persons(&ps, &[], "cli").await.unwrap();
    assert_eq!((s.created, s.updated, s.unchanged), (0, 0, 2));
    assert_eq!(store.person_history(&ps[0].id).await.unwrap().len(), 1);
}

pub async fn updating_a_person_records_who_changed_what(store: &dyn Store) {
    let p = person("NI-7", "Keilylli", "Martínez", None, "NI");
    store
        .upsert_persons(std::slice::from_ref(&p), &[], "cli")
        .await
        .unwrap();
    let mut q = p.clone();
    q.province = Some("Masaya".into());
    let s = store
        .upsert_persons(&[q.clone()], &[], "alice")
        .await
        .unwrap();
    assert_eq!(s.updated, 1);
    let h = store.person_history(&p.id).await.unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(
        (h[0].action.as_str(), h[0].actor.as_str()),
        ("created", "cli")
    );
    assert!(h[0]
        .changes
        .iter()
        .any(|c| c.field == "given_names" && c.new.as_deref() == Some("Keilylli")));
    assert_eq!(
        (h[1].action.as_str(), h[1].actor.as_str()),
        ("updated", "alice")
    );
    assert_eq!(h[1].changes.len(), 1);
    assert_eq!(h[1].changes[0].field, "province");
    assert_eq!(h[1].changes[0].old.as_deref(), Some("La Habana"));
    assert_eq!(h[1].changes[0].new.as_deref(), Some("Masaya"));
    assert!(h[0].at <= h[1].at);
    assert_eq!(store.get_person(&p.id).await.unwrap().unwrap().person, q);
}

pub async fn updates_keep_fields_the_csv_does_not_carry(store: &dyn Store) {
    let mut p = person("CU-9", "Yunior", "Fernández", None, "CU");
    p.aliases = vec!["El Flaco".into()];
    p.summary = Some("Detenido el 11J.".into());
    store
        .insert_cases(&[case(p.clone(), vec![])], "system")
        .await
        .unwrap();
    let mut from_csv = p.clone();
    from_csv.aliases = vec![];
    from_csv.summary = None;
    from_csv.surname2 = Some("Ruiz".into());
    store.upsert_persons(&[from_csv], &[], "cli").await.unwrap();
    let got = store.get_person(&p.id).await.unwrap().unwrap().person;
    assert_eq!(got.aliases, p.aliases);
    assert_eq!(got.summary, p.summary);
    assert_eq!(got.surname2.as_deref(), Some("Ruiz"));
}

pub async fn duplicate_ids_in_one_import_write_nothing(store: &dyn Store) {
    let a = person("CU-1", "Ana", "López", None, "CU");
    let err = store
        .upsert_persons(
            &[a.clone(), person("CU-2", "Eva", "Sosa", None, "CU"), a],
            &[],
            "cli",
        )
        .await;
    assert!(matches!(err, Err(StoreError::Conflict(_))), "{err:?}");
    assert!(store.is_empty().await.unwrap());
}

pub async fn cases_keep_detentions_events_and_sources(store: &dyn Store) {
    let p = person("CU-3", "Dayami", "Hernández", Some("Cruz"), "CU");
    let detention = Detention {
        id: 0,
        arrest_date: Some(date("2021-07-11")),
        arrest_place: Some("San Antonio de los Baños".into()),
        authority: Some("DSE".into()),
        charges: vec!["cu.desordenes".into(), "cu.sedicion".into()],
        court: Some("Tribunal Provincial de Artemisa".into()),
        sentence: Some("10 años".into()),
        sentence_months: Some(120),
        prison: Some("Combinado del Este".into()),
    };
    let public = Source {
        id: 0,
        url: Some("https://example.org/a".into()),
        title: "Informe mensual".into(),
        publisher: Some("ONG".into()),
        date: Some(date("2021-08")),
        kind: SourceKind::NgoReport,
        confidential: false,
    };
    let secret = Source {
        title: "Testimonio de familiar".into(),
        url: None,
        kind: SourceKind::Testimony,
        confidential: true,
        ..public.clone()
    };
    let mut arrest = event(EventKind::Arrest, "2021-07-11");
    arrest.place = Some("San Antonio de los Baños".into());
    arrest.source_ids = vec![0, 1];
    let mut parole = release(
        "2025-01-1X",
        ReleaseKind::Parole,
        vec![Condition::PeriodicPresentation, Condition::TravelBan],
    );
    parole.source_ids = vec![0];
    let bundle = CaseBundle {
        person: p.clone(),
        detentions: vec![detention.clone()],
        events: vec![parole.clone(), arrest.clone()],
        sources: vec![public.clone(), secret.clone()],
    };
    store.insert_cases(&[bundle], "system").await.unwrap();
    let got = store.get_person(&p.id).await.unwrap().unwrap();
    assert_eq!(got.status, Status::ConditionalRelease);
    assert_eq!(got.detentions.len(), 1);
    assert_eq!(
        Detention {
            id: 0,
            ..got.detentions[0].clone()
        },
        detention
    );
    assert_eq!(got.events.len(), 2);
    assert_eq!(got.events[0].kind, EventKind::Arrest);
    assert_eq!(got.events[1].release, parole.release);
    assert_eq!(got.sources.len(), 2);
    let by_title = |t: &str| got.sources.iter().find(|s| s.title == t).unwrap().clone();
    assert_eq!(
        Source {
            id: 0,
            ..by_title("Informe mensual")
        },
        public
    );
    assert_eq!(
        Source {
            id: 0,
            ..by_title("Testimonio de familiar")
        },
        secret
    );
    let mut arrest_sources = got.events[0].source_ids.clone();
    arrest_sources.sort();
    let mut all: Vec<i64> = got.sources.iter().map(|s| s.id).collect();
    all.sort();
    assert_eq!(arrest_sources, all);
    assert_eq!(
        got.events[1].source_ids,
        vec![by_title("Informe mensual").id]
    );
    let counts = store.status_counts().await.unwrap();
    assert_eq!(counts.len(), 1);
    assert_eq!(
        (counts[0].status, counts[0].count),
        (Status::ConditionalRelease, 1)
    );
}

pub async fn a_batch_with_an_existing_id_writes_nothing(store: &dyn Store) {
    store
        .upsert_persons(&[person("CU-5", "Ana", "López", None, "CU")], &[], "cli")
        .await
        .unwrap();
    let batch = vec![
        case(
            person("CU-6", "Eva", "Sosa", None, "CU"),
            vec![event(EventKind::Arrest, "2022")],
        ),
        case(person("CU-5", "Ana", "López", None, "CU"), vec![]),
    ];
    let err = store.insert_cases(&batch, "system").await;
    assert!(matches!(err, Err(StoreError::Conflict(_))), "{err:?}");
    assert!(store.get_person(&id("CU-6")).await.unwrap().is_none());
    assert_eq!(store.export_persons(false).await.unwrap().len(), 1);
}

pub async fn status_is_derived_from_the_timeline_and_follows_new_events(store: &dyn Store) {
    let p = person("CU-8", "Yordanis", "Ferrer", None, "CU");
    store
        .insert_cases(
            &[case(
                p.clone(),
                vec![
                    event(EventKind::Arrest, "2021-07"),
                    release("2025-01-16", ReleaseKind::Parole, vec![]),
                ],
            )],
            "system",
        )
        .await
        .unwrap();
    let status_of = |s: Vec<(Person, Status)>| s[0].1;
    assert_eq!(
        status_of(store.export_persons(false).await.unwrap()),
        Status::ConditionalRelease
    );
    store
        .add_event(&p.id, &event(EventKind::Revocation, "2025-04-29"), "alice")
        .await
        .unwrap();
    assert_eq!(
        store.get_person(&p.id).await.unwrap().unwrap().status,
        Status::Detained
    );
    assert_eq!(
        status_of(store.export_persons(false).await.unwrap()),
        Status::Detained
    );
    let detained = PersonQuery {
        status: Some(Status::Detained),
        ..PersonQuery::default()
    };
    assert_eq!(names(store, detained).await, ["CU-8"]);
    store
        .add_event(&p.id, &event(EventKind::Exile, "2025-10-13"), "alice")
        .await
        .unwrap();
    assert_eq!(
        store.get_person(&p.id).await.unwrap().unwrap().status,
        Status::Exiled
    );
    let h = store.person_history(&p.id).await.unwrap();
    assert_eq!(h.last().unwrap().action, "event_added");
    assert_eq!(h.last().unwrap().actor, "alice");
}

pub async fn events_come_back_in_chronological_order(store: &dyn Store) {
    let p = person("VE-1", "Luis", "Mora", None, "VE");
    let evs = vec![
        event(EventKind::Transfer, "2025-02"),
        event(EventKind::Trial, "2024~"),
        event(EventKind::Arrest, "2023-12-1X"),
        event(EventKind::HungerStrike, "2025-01-05"),
    ];
    store
        .insert_cases(&[case(p.clone(), evs)], "system")
        .await
        .unwrap();
    let got = store.get_person(&p.id).await.unwrap().unwrap();
    let dates: Vec<String> = got.events.iter().map(|e| e.date.to_string()).collect();
    assert_eq!(dates, ["2023-12-1X", "2024~", "2025-01-05", "2025-02"]);
}

pub async fn adding_an_event_to_an_unknown_person_is_not_found(store: &dyn Store) {
    let r = store
        .add_event(&id("ghost"), &event(EventKind::Arrest, "2024"), "cli")
        .await;
    assert!(matches!(r, Err(StoreError::NotFound(_))), "{r:?}");
}

pub async fn search_ignores_accents_and_case(store: &dyn Store) {
    store
        .upsert_persons(
            &[
                person("CU-1", "María", "González", Some("García"), "CU"),
                person("CU-2", "Ángel", "Núñez", None, "CU"),
                person("CU-3", "Pedro", "Gómez", None, "CU"),
            ],
            &[],
            "cli",
        )
        .await
        .unwrap();
    assert_eq!(names(store, query("gonzalez garcia")).await, ["CU-1"]);
    assert_eq!(names(store, query("GONZÁLEZ")).await, ["CU-1"]);
    assert_eq!(names(store, query("nunez angel")).await, ["CU-2"]);
    assert_eq!(names(store, query("  ")).await.len(), 3);
    assert!(names(store, query("garcia gomez")).await.is_empty());
}

pub async fn search_matches_word_prefixes_and_aliases(store: &dyn Store) {
    let mut p = person("CU-1", "Yoandri", "Pérez", None, "CU");
    p.aliases = vec!["El Poeta".into()];
    store
        .insert_cases(&[case(p, vec![])], "system")
        .await
        .unwrap();
    assert_eq!(names(store, query("yoa per")).await, ["CU-1"]);
    assert_eq!(names(store, query("poeta")).await, ["CU-1"]);
    assert!(names(store, query("andri")).await.is_empty());
    assert!(names(store, query("\"*) OR NEAR(")).await.is_empty());
}

pub async fn search_filters_by_country_and_status(store: &dyn Store) {
    store
        .insert_cases(
            &[
                case(
                    person("CU-1", "Ana", "Díaz", None, "CU"),
                    vec![event(EventKind::Arrest, "2021")],
                ),
                case(
                    person("VE-1", "Ana", "Díaz", None, "VE"),
                    vec![event(EventKind::Arrest, "2024")],
                ),
                case(
                    person("VE-2", "Ana", "Díaz", None, "VE"),
                    vec![
                        event(EventKind::Arrest, "2024"),
                        release("2025", ReleaseKind::HouseArrest, vec![]),
                    ],
                ),
            ],
            "system",
        )
        .await
        .unwrap();
    let q = |country: Option<&str>, status: Option<Status>| PersonQuery {
        q: Some("ana diaz".into()),
        country: country.map(cc),
        status,
        ..PersonQuery::default()
    };
    assert_eq!(names(store, q(Some("VE"), None)).await, ["VE-1", "VE-2"]);
    assert_eq!(
        names(store, q(None, Some(Status::HouseArrest))).await,
        ["VE-2"]
    );
    assert_eq!(
        names(store, q(Some("CU"), Some(Status::Detained))).await,
        ["CU-1"]
    );
    assert!(names(store, q(Some("NI"), None)).await.is_empty());
}

pub async fn search_pages_in_name_order(store: &dyn Store) {
    let ps: Vec<Person> = (0..7)
        .map(|i| {
            person(
                &format!("P{i}"),
                "Ana",
                &format!("Apellido{}", 6 - i),
                None,
                "CU",
            )
        })
        .collect();
    store.upsert_persons(&ps, &[], "cli").await.unwrap();
    let page = |n| PersonQuery {
        page: n,
        per_page: 3,
        ..PersonQuery::default()
    };
    let p1 = store.search_persons(&page(1)).await.unwrap();
    assert_eq!(p1.total, 7);
    let ids: Vec<String> = p1.items.iter().map(|s| s.id.to_string()).collect();
    assert_eq!(ids, ["P6", "P5", "P4"]);
    let p3 = store.search_persons(&page(3)).await.unwrap();
    assert_eq!(p3.items.len(), 1);
    assert_eq!(p3.items[0].id.as_str(), "P0");
    assert!(store
        .search_persons(&page(9))
        .await
        .unwrap()
        .items
        .is_empty());
}

pub async fn unpublished_persons_are_counted_but_never_listed(store: &dyn Store) {
    let mut hidden = person("NI-1", "Secreto", "Oculto", None, "NI");
    hidden.publish = false;
    store
        .insert_cases(
            &[
                case(hidden, vec![event(EventKind::Arrest, "2023")]),
                case(
                    person("NI-2", "Visible", "Público", None, "NI"),
                    vec![event(EventKind::Arrest, "2023")],
                ),
            ],
            "system",
        )
        .await
        .unwrap();
    let counts = store.status_counts().await.unwrap();
    assert_eq!(counts.iter().map(|c| c.count).sum::<u64>(), 2);
    assert_eq!(names(store, PersonQuery::default()).await, ["NI-2"]);
    assert!(names(store, query("secreto")).await.is_empty());
    let staff = PersonQuery {
        include_unpublished: true,
        ..query("secreto")
    };
    assert_eq!(names(store, staff).await, ["NI-1"]);
}

pub async fn public_export_drops_confidential_fields_and_unpublished_persons(store: &dyn Store) {
    let mut hidden = person("CU-2", "Oculto", "Reservado", None, "CU");
    hidden.publish = false;
    store
        .upsert_persons(
            &[person("CU-1", "Ana", "López", None, "CU"), hidden],
            &[],
            "cli",
        )
        .await
        .unwrap();
    let public = store.export_persons(true).await.unwrap();
    assert_eq!(public.len(), 1);
    assert_eq!(public[0].0.id.as_str(), "CU-1");
    assert_eq!(public[0].0.private_notes, None);
    assert_eq!(public[0].0.family_contact, None);
    let all = store.export_persons(false).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].0.private_notes.as_deref(), Some("PRIVATE-NOTE-CU-1"));
}

pub async fn export_is_ordered_by_id_with_derived_status(store: &dyn Store) {
    store
        .insert_cases(
            &[
                case(
                    person("b", "B", "B", None, "CU"),
                    vec![event(EventKind::DeathInCustody, "2022")],
                ),
                case(person("a", "A", "A", None, "CU"), vec![]),
                case(
                    person("c", "C", "C", None, "CU"),
                    vec![release("2022", ReleaseKind::ForcedExile, vec![])],
                ),
            ],
            "system",
        )
        .await
        .unwrap();
    let got: Vec<(String, Status)> = store
        .export_persons(false)
        .await
        .unwrap()
        .into_iter()
        .map(|(p, s)| (p.id.to_string(), s))
        .collect();
    assert_eq!(
        got,
        [
            ("a".to_string(), Status::Unknown),
            ("b".to_string(), Status::DiedInCustody),
            ("c".to_string(), Status::Exiled)
        ]
    );
}
