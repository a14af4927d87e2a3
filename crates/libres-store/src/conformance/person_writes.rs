//! Writing persons: imports, new cases, timeline events.

use super::*;

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
    assert!(matches!(err, Err(StoreError::Duplicate(_))), "{err:?}");
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
    let counts = store.status_counts(false).await.unwrap();
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
    assert!(matches!(err, Err(StoreError::AlreadyExists(_))), "{err:?}");
    assert!(store.get_person(&id("CU-6")).await.unwrap().is_none());
    assert_eq!(export(store, false).await.len(), 1);
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
        status_of(export(store, false).await),
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
    assert_eq!(status_of(export(store, false).await), Status::Detained);
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

pub async fn adding_an_event_to_an_unknown_person_is_not_found(store: &dyn Store) {
    let r = store
        .add_event(&id("ghost"), &event(EventKind::Arrest, "2024"), "cli")
        .await;
    assert!(matches!(r, Err(StoreError::NotFound(_))), "{r:?}");
}

/// Batches that fail after a while, or carry a repeated id.
struct Batches {
    batches: std::vec::IntoIter<Vec<Person>>,
    fail_at_end: bool,
}

#[async_trait::async_trait]
impl crate::PersonBatches for Batches {
    async fn next_batch(&mut self) -> crate::StoreResult<Option<Vec<Person>>> {
        match self.batches.next() {
            Some(b) => Ok(Some(b)),
            None if self.fail_at_end => Err(StoreError::Aborted("the file went away".into())),
            None => Ok(None),
        }
    }
}

fn many(prefix: &str, n: usize) -> Vec<Person> {
    (0..n)
        .map(|i| person(&format!("{prefix}-{i:05}"), "Ana", "López", None, "CU"))
        .collect()
}

pub async fn an_import_in_many_batches_applies_whole_or_not_at_all(store: &dyn Store) {
    let v = store.version().await.unwrap();
    // A reader that fails after three batches: nothing is written.
    let mut failing = Batches {
        batches: vec![many("A", 10), many("B", 10), many("C", 10)].into_iter(),
        fail_at_end: true,
    };
    let r = store.import_persons(&mut failing, &[], "cli").await;
    assert!(matches!(r, Err(StoreError::Aborted(_))), "{r:?}");
    assert!(store.is_empty().await.unwrap());
    assert_eq!(store.version().await.unwrap(), v);
    // An id repeated in a later batch: nothing is written.
    let mut repeated = Batches {
        batches: vec![many("A", 10), many("B", 10), many("A", 1)].into_iter(),
        fail_at_end: false,
    };
    let r = store.import_persons(&mut repeated, &[], "cli").await;
    assert!(matches!(r, Err(StoreError::Duplicate(_))), "{r:?}");
    assert!(store.is_empty().await.unwrap());
    // Batches larger and smaller than the store's own chunks.
    let big = crate::WRITE_BATCH + 7;
    let mut ok = Batches {
        batches: vec![many("A", big), many("B", 3), many("C", 1)].into_iter(),
        fail_at_end: false,
    };
    let s = store.import_persons(&mut ok, &[], "cli").await.unwrap();
    assert_eq!((s.created, s.updated, s.unchanged), (big as u64 + 4, 0, 0));
    assert_ne!(store.version().await.unwrap(), v);
    let all = export(store, false).await;
    assert_eq!(all.len(), big + 4);
    assert_eq!(all[big].0.id.as_str(), "B-00000");
    // Again, with one change: the rest is unchanged.
    let mut again = many("A", big);
    again[big - 1].province = Some("Holguín".into());
    let s = store.upsert_persons(&again, &[], "cli").await.unwrap();
    assert_eq!((s.created, s.updated, s.unchanged), (0, 1, big as u64 - 1));
}

pub async fn adding_an_event_citing_an_unknown_source_writes_nothing(store: &dyn Store) {
    let p = person("CU-1", "Ana", "López", None, "CU");
    store
        .insert_cases(&[case(p.clone(), vec![])], "system")
        .await
        .unwrap();
    let v = store.version().await.unwrap();
    let mut e = event(EventKind::Arrest, "2024");
    e.source_ids = vec![424_242];
    let r = store.add_event(&p.id, &e, "cli").await;
    assert!(matches!(r, Err(StoreError::NotFound(_))), "{r:?}");
    assert!(store
        .get_person(&p.id)
        .await
        .unwrap()
        .unwrap()
        .events
        .is_empty());
    assert_eq!(store.person_history(&p.id).await.unwrap().len(), 1);
    assert_eq!(store.version().await.unwrap(), v);
}
