//! The store conformance suite.
//!
//! Every behaviour a backend must have is written here once, as an async
//! function over `&dyn Store`. Each backend crate instantiates the whole
//! suite with [`conformance_tests!`](crate::conformance_tests), giving it a
//! factory that returns a fresh, empty store (and a guard that drops the
//! database afterwards). `cargo test` then lists every case once per backend.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use crate::{CaseBundle, PersonQuery, RegistryDump, Store, StoreError, RESTORE_NOT_EMPTY};
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
            export_is_ordered_by_id_with_derived_status,
            a_restore_that_fails_midway_leaves_the_registry_as_it_was
        );
        $crate::conformance_tests!(@pairs $factory;
            a_registry_restored_elsewhere_dumps_the_same,
            restore_refuses_a_registry_that_is_not_empty,
            restore_with_replace_replaces_everything
        );
    };
    (@pairs $factory:path; $($case:ident),*) => {
        $(
            #[tokio::test]
            async fn $case() {
                let (Some((a, _guard_a)), Some((b, _guard_b))) = ($factory().await, $factory().await) else {
                    use ::std::io::Write as _;
                    let _ = writeln!(
                        ::std::io::stderr(),
                        "*** SKIPPED {}::{}: backend not configured (see the README, \"Test it\")",
                        module_path!(),
                        stringify!($case)
                    );
                    return;
                };
                $crate::conformance::$case(&*a, &*b).await;
            }
        )*
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

/// Fills `store` with a registry that uses everything a dump must carry:
/// detentions, events with sources (one source cited by two persons, one
/// cited by nobody after the fact is impossible, so every kind of link),
/// confidential and unpublished data, awkward text, updates and events
/// added later by other actors (so history has several entries and
/// `updated_at` differs from `created_at`), and events on the same day
/// (whose order is insertion order).
async fn fill_registry(store: &dyn Store) {
    let p = person("CU-3", "Dayami", "Hernández", Some("Cruz"), "CU");
    let detention = Detention {
        id: 0,
        arrest_date: Some(date("2021-07-11")),
        arrest_place: Some("San Antonio de los Baños".into()),
        authority: Some("DSE".into()),
        charges: vec!["cu.desordenes".into(), "cu.sedicion".into()],
        court: Some("Tribunal \"Provincial\", {Artemisa}".into()),
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
        date: None,
        kind: SourceKind::Testimony,
        confidential: true,
        ..public.clone()
    };
    let mut arrest = event(EventKind::Arrest, "2021-07-11");
    arrest.place = Some("San Antonio de los Baños".into());
    arrest.source_ids = vec![1, 0];
    let mut parole = release(
        "2025-01-1X",
        ReleaseKind::Parole,
        vec![Condition::PeriodicPresentation, Condition::TravelBan],
    );
    parole.source_ids = vec![0];
    parole.description = Some("línea 1\nlínea 2 \\ \"comillas\"".into());
    let mut hidden = person("NI-1", "Oculta", "Reservada", None, "NI");
    hidden.publish = false;
    hidden.aliases = vec!["La Flaca".into(), "a, b".into(), "{x}".into()];
    hidden.occupation = Some("periodista".into());
    hidden.summary = Some("Detenida en Managua.".into());
    let mut bare = person("VE-2", "Yoandri", "Pérez", None, "VE");
    bare.sex = None;
    bare.birth_date = None;
    bare.province = None;
    bare.private_notes = None;
    bare.family_contact = None;
    bare.nationalities = vec![];
    store
        .insert_cases(
            &[
                CaseBundle {
                    person: p.clone(),
                    detentions: vec![detention.clone(), Detention { id: 0, ..detention }],
                    events: vec![parole, arrest],
                    sources: vec![public, secret],
                },
                case(
                    hidden.clone(),
                    vec![
                        event(EventKind::Arrest, "2023"),
                        event(EventKind::Transfer, "2024"),
                        event(EventKind::Disappearance, "2024"),
                        event(EventKind::Trial, "2024"),
                    ],
                ),
                case(bare.clone(), vec![]),
            ],
            "system",
        )
        .await
        .unwrap();
    store
        .upsert_persons(&[person("CU-10", "Ana", "López", None, "CU")], &[], "cli")
        .await
        .unwrap();
    let mut moved = hidden.clone();
    moved.province = Some("Masaya".into());
    store.upsert_persons(&[moved], &[], "alice").await.unwrap();
    // A source of one person cited by another's event.
    let cited = store.get_person(&p.id).await.unwrap().unwrap().sources[0].id;
    let mut exile = event(EventKind::Exile, "2025-10-13");
    exile.source_ids = vec![cited];
    store.add_event(&bare.id, &exile, "bob").await.unwrap();
}

/// Every person's export row, case page (keys aside) and history.
async fn visible_state(store: &dyn Store) -> Vec<String> {
    let mut out = Vec::new();
    for (p, status) in store.export_persons(false).await.unwrap() {
        let mut r = store.get_person(&p.id).await.unwrap().unwrap();
        let sources: Vec<i64> = r.sources.iter().map(|s| s.id).collect();
        let rank = |id: i64| {
            sources
                .iter()
                .position(|s| *s == id)
                .map_or(-1, |i| i as i64)
        };
        for e in &mut r.events {
            e.id = 0;
            e.source_ids = e.source_ids.iter().map(|s| rank(*s)).collect();
        }
        for d in &mut r.detentions {
            d.id = 0;
        }
        for s in &mut r.sources {
            s.id = 0;
        }
        let history = store.person_history(&p.id).await.unwrap();
        out.push(format!("{p:?} {status:?} {r:?} {history:?}"));
    }
    out
}

pub async fn a_registry_restored_elsewhere_dumps_the_same(from: &dyn Store, to: &dyn Store) {
    fill_registry(from).await;
    from.mark_synthetic().await.unwrap();
    let dump = from.dump().await.unwrap();
    let counts = dump.counts();
    assert_eq!(
        (
            counts.persons,
            counts.detentions,
            counts.events,
            counts.sources
        ),
        (4, 2, 7, 2)
    );
    assert_eq!(counts.history, 6, "{:#?}", dump.history);
    assert!(dump.synthetic);
    let v = to.version().await.unwrap();
    to.restore(&dump, false).await.unwrap();
    assert_ne!(
        to.version().await.unwrap(),
        v,
        "a restore moves the version"
    );
    let copied = to.dump().await.unwrap();
    assert_eq!(copied.without_keys(), dump.without_keys());
    assert!(copied.same_registry(&dump));
    // `same_registry` sees what `without_keys` sees: any change at all.
    let mut changed = dump.clone();
    changed.persons[1].events[0].source_ids.pop();
    assert!(!copied.same_registry(&changed));
    let mut changed = dump.clone();
    changed.sources[0].title.push('!');
    assert!(!copied.same_registry(&changed));
    let mut changed = dump.clone();
    changed.persons[2].updated_at.push('0');
    assert!(!copied.same_registry(&changed));
    let mut changed = dump.clone();
    changed.history.swap(0, 1);
    assert!(!copied.same_registry(&changed));
    // Timestamps travel: an updated person keeps both of hers.
    let ni = copied
        .persons
        .iter()
        .find(|p| p.person.id.as_str() == "NI-1")
        .unwrap();
    assert!(ni.created_at < ni.updated_at, "{ni:?}");
    assert_eq!(visible_state(to).await, visible_state(from).await);
    assert!(to.is_synthetic().await.unwrap());
    assert_eq!(
        to.status_counts().await.unwrap(),
        from.status_counts().await.unwrap()
    );
    // The name index sees the restored persons.
    assert_eq!(names(to, query("perez yoandri")).await, ["VE-2"]);
    // Restored source keys are real: a new event can cite one.
    let cited = to.get_person(&id("CU-3")).await.unwrap().unwrap().sources[1].clone();
    let mut e = event(EventKind::Transfer, "2025-11");
    e.source_ids = vec![cited.id];
    to.add_event(&id("CU-10"), &e, "cli").await.unwrap();
    let got = to.get_person(&id("CU-10")).await.unwrap().unwrap();
    assert_eq!(got.sources, vec![cited]);
    // A copy of the copy is the same again.
    let again = to.dump().await.unwrap();
    from.restore(&again, true).await.unwrap();
    assert_eq!(
        from.dump().await.unwrap().without_keys(),
        again.without_keys()
    );
}

pub async fn restore_refuses_a_registry_that_is_not_empty(from: &dyn Store, to: &dyn Store) {
    fill_registry(from).await;
    let dump = from.dump().await.unwrap();
    to.upsert_persons(&[person("XX-1", "Otra", "Persona", None, "CU")], &[], "cli")
        .await
        .unwrap();
    let before = to.dump().await.unwrap();
    let v = to.version().await.unwrap();
    let err = to.restore(&dump, false).await;
    match err {
        Err(StoreError::Conflict(m)) => assert_eq!(m, RESTORE_NOT_EMPTY),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(to.dump().await.unwrap(), before);
    assert_eq!(to.version().await.unwrap(), v);
}

pub async fn restore_with_replace_replaces_everything(from: &dyn Store, to: &dyn Store) {
    fill_registry(from).await;
    let dump = from.dump().await.unwrap();
    assert!(!dump.synthetic);
    fill_registry(to).await;
    to.upsert_persons(&[person("XX-1", "Otra", "Persona", None, "CU")], &[], "cli")
        .await
        .unwrap();
    to.mark_synthetic().await.unwrap();
    assert_eq!(names(to, query("otra persona")).await, ["XX-1"]);
    let v = to.version().await.unwrap();
    to.restore(&dump, true).await.unwrap();
    assert_ne!(to.version().await.unwrap(), v);
    assert_eq!(to.dump().await.unwrap().without_keys(), dump.without_keys());
    assert!(to.get_person(&id("XX-1")).await.unwrap().is_none());
    assert!(to.person_history(&id("XX-1")).await.unwrap().is_empty());
    assert!(!to.is_synthetic().await.unwrap());
    assert!(names(to, query("otra persona")).await.is_empty());
    // Replacing with an empty registry empties it.
    to.restore(&RegistryDump::default(), true).await.unwrap();
    assert!(to.is_empty().await.unwrap());
    assert_eq!(to.dump().await.unwrap(), RegistryDump::default());
}

pub async fn a_restore_that_fails_midway_leaves_the_registry_as_it_was(store: &dyn Store) {
    fill_registry(store).await;
    store.mark_synthetic().await.unwrap();
    let mut before = store.dump().await.unwrap();
    let mut v = store.version().await.unwrap();
    // A person twice: found only after the registry was emptied.
    let mut twice = before.clone();
    twice.persons.push(twice.persons[1].clone());
    // An event citing a source the dump lacks: found only after persons,
    // sources and detentions were written.
    let mut dangling = before.clone();
    dangling.persons[3].events[0].source_ids.push(987_654);
    // A timestamp the database cannot read.
    let mut garbled = before.clone();
    garbled.history[2].entry.at = "yesterday".into();
    garbled.persons[0].created_at = "not a time".into();
    for (what, bad) in [
        ("garbled", garbled),
        ("twice", twice),
        ("dangling", dangling),
    ] {
        let r = store.restore(&bad, true).await;
        let is_bad = if what == "garbled" {
            // SQLite keeps timestamps as text and may accept it; then the
            // restore must have applied whole.
            r.is_err() || store.dump().await.unwrap().persons[0].created_at == "not a time"
        } else {
            r.is_err()
        };
        assert!(is_bad, "{what}: {r:?}");
        if r.is_ok() {
            // Applied whole; put the registry back for what follows.
            store.restore(&before, true).await.unwrap();
            assert_eq!(
                store.dump().await.unwrap().without_keys(),
                before.without_keys()
            );
            before = store.dump().await.unwrap();
            v = store.version().await.unwrap();
            continue;
        }
        assert_eq!(store.dump().await.unwrap(), before, "{what}");
        assert_eq!(store.version().await.unwrap(), v, "{what}");
        assert!(store.is_synthetic().await.unwrap(), "{what}");
    }
    let r = store.restore(&before, false).await;
    assert!(matches!(r, Err(StoreError::Conflict(_))), "{r:?}");
    assert_eq!(store.dump().await.unwrap(), before);
}
