//! Registry metadata: emptiness, the version, the synthetic mark.

use super::*;

pub async fn an_empty_registry_is_empty_and_counts_nothing(store: &dyn Store) {
    assert!(store.is_empty().await.unwrap());
    assert!(store.status_counts(false).await.unwrap().is_empty());
    assert!(export(store, false).await.is_empty());
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

pub async fn a_registry_remembers_that_it_is_synthetic(store: &dyn Store) {
    assert!(!store.is_synthetic().await.unwrap());
    let v = store.version().await.unwrap();
    store.mark_synthetic().await.unwrap();
    assert!(store.is_synthetic().await.unwrap());
    assert_ne!(store.version().await.unwrap(), v);
    store.mark_synthetic().await.unwrap();
    assert!(store.is_synthetic().await.unwrap());
}

pub async fn a_second_instance_sees_every_write_at_once(server: &dyn Store, importer: &dyn Store) {
    let query = PersonQuery {
        q: Some("nunez".into()),
        ..PersonQuery::default()
    };
    assert_eq!(server.search_persons(&query).await.unwrap().total, 0);
    let v = server.version().await.unwrap();
    let p = person("CU-1", "Ana", "Núñez", None, "CU");
    importer.upsert_persons(&[p], &[], "cli").await.unwrap();
    assert_ne!(server.version().await.unwrap(), v);
    let found = server.search_persons(&query).await.unwrap();
    assert_eq!(found.total, 1);
    assert_eq!(found.items[0].id.as_str(), "CU-1");
    importer.mark_synthetic().await.unwrap();
    assert!(server.is_synthetic().await.unwrap());
}

pub async fn two_instances_importing_at_once_both_succeed(a: &dyn Store, b: &dyn Store) {
    let batch = |prefix: &str| -> Vec<Person> {
        (0..2000)
            .map(|i| person(&format!("{prefix}-{i}"), "Ana", "López", None, "CU"))
            .collect()
    };
    let (pa, pb) = (batch("A"), batch("B"));
    let cases: Vec<CaseBundle> = batch("C").into_iter().map(|p| case(p, vec![])).collect();
    let (ra, rb, rc) = tokio::join!(
        a.upsert_persons(&pa, &[], "cli"),
        b.upsert_persons(&pb, &[], "cli"),
        b.insert_cases(&cases, "system")
    );
    assert_eq!(ra.unwrap().created, 2000);
    assert_eq!(rb.unwrap().created, 2000);
    rc.unwrap();
    assert_eq!(export(a, false).await.len(), 6000);
    assert_eq!(export(b, false).await.len(), 6000);
}
