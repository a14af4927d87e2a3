//! Whole registries out and in: dump, restore, copy.

use super::*;

pub async fn a_registry_restored_elsewhere_dumps_the_same(from: &dyn Store, to: &dyn Store) {
    fill_registry(from).await;
    from.mark_synthetic().await.unwrap();
    let dump = read_all(from).await;
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
    dump.restore_into(to, false).await.unwrap();
    assert_ne!(
        to.version().await.unwrap(),
        v,
        "a restore moves the version"
    );
    let copied = read_all(to).await;
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
        to.status_counts(false).await.unwrap(),
        from.status_counts(false).await.unwrap()
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
    let again = read_all(to).await;
    again.restore_into(from, true).await.unwrap();
    assert_eq!(read_all(from).await.without_keys(), again.without_keys());
}

pub async fn restore_refuses_a_registry_that_is_not_empty(from: &dyn Store, to: &dyn Store) {
    fill_registry(from).await;
    let dump = read_all(from).await;
    to.upsert_persons(&[person("XX-1", "Otra", "Persona", None, "CU")], &[], "cli")
        .await
        .unwrap();
    let before = read_all(to).await;
    let v = to.version().await.unwrap();
    let err = dump.restore_into(to, false).await;
    match err {
        Err(StoreError::NotEmpty) => {}
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(read_all(to).await, before);
    assert_eq!(to.version().await.unwrap(), v);
}

pub async fn restore_with_replace_replaces_everything(from: &dyn Store, to: &dyn Store) {
    fill_registry(from).await;
    let dump = read_all(from).await;
    assert!(!dump.synthetic);
    fill_registry(to).await;
    to.upsert_persons(&[person("XX-1", "Otra", "Persona", None, "CU")], &[], "cli")
        .await
        .unwrap();
    to.mark_synthetic().await.unwrap();
    assert_eq!(names(to, query("otra persona")).await, ["XX-1"]);
    let v = to.version().await.unwrap();
    dump.restore_into(to, true).await.unwrap();
    assert_ne!(to.version().await.unwrap(), v);
    assert_eq!(read_all(to).await.without_keys(), dump.without_keys());
    assert!(to.get_person(&id("XX-1")).await.unwrap().is_none());
    assert!(to.person_history(&id("XX-1")).await.unwrap().is_empty());
    assert!(!to.is_synthetic().await.unwrap());
    assert!(names(to, query("otra persona")).await.is_empty());
    // Replacing with an empty registry empties it.
    RegistryDump::default()
        .restore_into(to, true)
        .await
        .unwrap();
    assert!(to.is_empty().await.unwrap());
    assert_eq!(read_all(to).await, RegistryDump::default());
}

pub async fn a_restore_that_fails_midway_leaves_the_registry_as_it_was(store: &dyn Store) {
    fill_registry(store).await;
    store.mark_synthetic().await.unwrap();
    let mut before = read_all(store).await;
    let mut v = store.version().await.unwrap();
    // A person twice: found only after the registry was emptied.
    let mut twice = before.clone();
    twice.persons.push(twice.persons[1].clone());
    // An event citing a source the dump lacks: found only after persons,
    // sources and detentions were written.
    let mut dangling = before.clone();
    dangling.persons[3].events[0].source_ids.push(987_654);
    // An announcement that breaks the rules it is stored under (no one
    // made it): found after the registry was emptied and the sources
    // written.
    let mut unsigned = before.clone();
    assert!(!unsigned.announcements.is_empty());
    unsigned.announcements[0].issuer = "  ".into();
    // A timestamp the database cannot read.
    let mut garbled = before.clone();
    garbled.history[2].entry.at = "yesterday".into();
    garbled.persons[0].created_at = "not a time".into();
    for (what, bad) in [
        ("garbled", garbled),
        ("twice", twice),
        ("dangling", dangling),
        ("unsigned", unsigned),
    ] {
        let r = bad.restore_into(store, true).await;
        let is_bad = if what == "garbled" {
            // SQLite keeps timestamps as text and may accept it; then the
            // restore must have applied whole.
            r.is_err() || read_all(store).await.persons[0].created_at == "not a time"
        } else {
            r.is_err()
        };
        assert!(is_bad, "{what}: {r:?}");
        if what == "unsigned" {
            assert!(
                matches!(&r, Err(StoreError::Invalid(why)) if why.contains("issuer")),
                "{r:?}"
            );
        }
        if r.is_ok() {
            // Applied whole; put the registry back for what follows.
            before.restore_into(store, true).await.unwrap();
            assert_eq!(read_all(store).await.without_keys(), before.without_keys());
            before = read_all(store).await;
            v = store.version().await.unwrap();
            continue;
        }
        assert_eq!(read_all(store).await, before, "{what}");
        assert_eq!(store.version().await.unwrap(), v, "{what}");
        assert!(store.is_synthetic().await.unwrap(), "{what}");
    }
    let r = before.restore_into(store, false).await;
    assert!(matches!(r, Err(StoreError::NotEmpty)), "{r:?}");
    assert_eq!(read_all(store).await, before);
}

pub async fn a_restore_whose_stream_stops_early_writes_nothing(store: &dyn Store) {
    fill_registry(store).await;
    let before = read_all(store).await;
    let v = store.version().await.unwrap();
    let other = RegistryDump {
        persons: before.persons[..1].to_vec(),
        ..RegistryDump::default()
    };
    let parts = other.parts();
    let cut: Vec<_> = parts[..parts.len() - 1].to_vec();
    let mut swapped = parts.clone();
    swapped.swap(0, 1);
    let mut late_source = parts.clone();
    late_source.insert(
        parts.len() - 1,
        crate::DumpPart::Sources(before.sources.clone()),
    );
    for (what, parts) in [
        ("no end", cut),
        ("no header first", swapped),
        ("a late source", late_source),
    ] {
        let mut it = parts.into_iter();
        let mut source = Parts(&mut it);
        let r = store.restore(&mut source, true).await;
        assert!(matches!(r, Err(StoreError::Invalid(_))), "{what}: {r:?}");
        assert_eq!(read_all(store).await, before, "{what}");
        assert_eq!(store.version().await.unwrap(), v, "{what}");
    }
}

struct Parts<'a>(&'a mut std::vec::IntoIter<crate::DumpPart>);

#[async_trait::async_trait]
impl crate::DumpSource for Parts<'_> {
    async fn next_part(&mut self) -> crate::StoreResult<Option<crate::DumpPart>> {
        Ok(self.0.next())
    }
}

pub async fn a_streamed_copy_arrives_whole_and_compares_equal(from: &dyn Store, to: &dyn Store) {
    fill_registry(from).await;
    // More than a chunk of sources, persons and history entries.
    let n = crate::DUMP_CHUNK + 20;
    let cases: Vec<CaseBundle> = (0..n)
        .map(|i| {
            let mut e = event(EventKind::Arrest, "2024");
            e.source_ids = vec![0];
            CaseBundle {
                person: person(&format!("VE-{i:05}"), "Luis", "Mora", None, "VE"),
                detentions: vec![],
                events: vec![e],
                sources: vec![Source {
                    id: 0,
                    url: None,
                    title: format!("Acta {i}"),
                    publisher: None,
                    date: None,
                    kind: SourceKind::CourtDocument,
                    confidential: i % 2 == 0,
                }],
            }
        })
        .collect();
    from.insert_cases(&cases, "system").await.unwrap();
    let counts = crate::copy(from, to, false).await.unwrap();
    assert_eq!(counts.persons, n as u64 + 4);
    assert_eq!(counts.sources, n as u64 + 2);
    assert_eq!(crate::compare(from, to).await.unwrap(), Ok(counts));
    assert!(read_all(to).await.same_registry(&read_all(from).await));
    // A copy onto a registry that holds data is refused, and changes nothing.
    let r = crate::copy(from, to, false).await;
    assert!(matches!(r, Err(StoreError::NotEmpty)), "{r:?}");
    // One changed event makes the two differ.
    let e = event(EventKind::Transfer, "2025-02");
    to.add_event(&id("VE-00500"), &e, "cli").await.unwrap();
    let verdict = crate::compare(from, to).await.unwrap();
    assert!(verdict.is_err(), "{verdict:?}");
}
