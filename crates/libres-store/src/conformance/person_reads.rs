//! Reading persons: case pages, search, counts, exports.

use super::*;

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
    let counts = store.status_counts(false).await.unwrap();
    assert_eq!(counts.iter().map(|c| c.count).sum::<u64>(), 2);
    // Public figures count the published person only.
    let public = store.status_counts(true).await.unwrap();
    assert_eq!(public.iter().map(|c| c.count).sum::<u64>(), 1);
    assert!(public.iter().all(|c| c.country.as_str() == "NI"));
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
    let public = export(store, true).await;
    assert_eq!(public.len(), 1);
    assert_eq!(public[0].0.id.as_str(), "CU-1");
    assert_eq!(public[0].0.private_notes, None);
    assert_eq!(public[0].0.family_contact, None);
    let all = export(store, false).await;
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
    let got: Vec<(String, Status)> = export(store, false)
        .await
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

/// A sink that fails on its second chunk.
struct FullDisk(usize);

#[async_trait::async_trait]
impl crate::PersonSink for FullDisk {
    async fn put(&mut self, _chunk: Vec<(Person, Status)>) -> crate::StoreResult<()> {
        self.0 += 1;
        if self.0 == 2 {
            return Err(StoreError::Aborted("no space left on device".into()));
        }
        Ok(())
    }
}

pub async fn export_streams_every_person_in_id_order_across_chunks(store: &dyn Store) {
    let n = 2 * crate::DUMP_CHUNK + 345;
    let mut ps: Vec<Person> = (0..n)
        .map(|i| person(&format!("CU-{i:05}"), "Ana", "López", None, "CU"))
        .collect();
    for p in ps.iter_mut().step_by(7) {
        p.publish = false;
    }
    // Written in reverse order: the export must not follow insertion.
    ps.reverse();
    store.upsert_persons(&ps, &[], "cli").await.unwrap();
    let all = export(store, false).await;
    assert_eq!(all.len(), n);
    assert!(all.windows(2).all(|w| w[0].0.id < w[1].0.id));
    let public = export(store, true).await;
    assert_eq!(public.len(), n - n.div_ceil(7));
    assert!(public
        .iter()
        .all(|(p, _)| p.publish && p.family_contact.is_none()));
    let r = store.export_persons(false, &mut FullDisk(0)).await;
    assert!(matches!(r, Err(StoreError::Aborted(_))), "{r:?}");
}
