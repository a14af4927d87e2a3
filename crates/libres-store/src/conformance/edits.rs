//! Editing one record at a time (detentions, sources, events) and history
//! retention.

use super::audit::{actions, audit_log};
use super::*;
use crate::HistoryEntry;
use libres_core::{FieldChange, UnixTime};

fn detention(prison: &str) -> Detention {
    Detention {
        id: 0,
        arrest_date: Some(date("2021-07-11")),
        arrest_place: Some("Havana".into()),
        authority: None,
        charges: vec!["cu.desordenes".into()],
        court: None,
        sentence: None,
        sentence_months: None,
        prison: Some(prison.into()),
    }
}

fn secret_source() -> Source {
    Source {
        id: 0,
        url: Some("https://example.org/SECRET-URL".into()),
        title: "SECRET-TITLE of a witness".into(),
        publisher: None,
        date: Some(date("2024-03")),
        kind: SourceKind::Testimony,
        confidential: true,
    }
}

async fn history(store: &dyn Store, p: &str) -> Vec<HistoryEntry> {
    store.person_history(&id(p)).await.unwrap()
}

pub(super) async fn two_persons(store: &dyn Store) {
    store
        .insert_cases(
            &[
                case(person("CU-1", "Ana", "Díaz", None, "CU"), vec![]),
                case(person("CU-2", "Eva", "Sosa", None, "CU"), vec![]),
            ],
            "system",
        )
        .await
        .unwrap();
}

/// Whether `e` was refused as unknown.
fn not_found<T: std::fmt::Debug>(e: crate::StoreResult<T>) -> bool {
    matches!(e, Err(StoreError::NotFound(_)))
}

pub async fn a_person_edit_replaces_every_field_even_those_an_import_keeps(store: &dyn Store) {
    two_persons(store).await;
    let before = store.get_person(&id("CU-1")).await.unwrap().unwrap().person;
    let mut edited = before.clone();
    edited.aliases = vec!["La Flaca".into()];
    edited.occupation = Some("periodista".into());
    edited.summary = Some("Detenida tras el 11J.".into());
    edited.family_contact = Some("+53 5 SECRET-PHONE".into());
    let v0 = store.version().await.unwrap();
    assert!(store.update_person(&edited, "alice").await.unwrap());
    assert_ne!(store.version().await.unwrap(), v0);
    let got = store.get_person(&id("CU-1")).await.unwrap().unwrap().person;
    assert_eq!(got, edited);
    let last = history(store, "CU-1").await.pop().unwrap();
    assert_eq!(last.actor, "alice");
    let mut fields: Vec<&str> = last.changes.iter().map(|c| c.field.as_str()).collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        ["aliases", "family_contact", "occupation", "summary"]
    );
    // The audit entry names the fields, never a value.
    let entry = audit_log(store).await.pop().unwrap();
    assert_eq!(
        (entry.action.as_str(), entry.target.as_str()),
        ("person_updated", "CU-1")
    );
    assert!(
        entry.details.contains("family_contact"),
        "{}",
        entry.details
    );
    assert!(!entry.details.contains("SECRET-PHONE"), "{}", entry.details);
    // The same again changes nothing and writes nothing.
    let v1 = store.version().await.unwrap();
    let entries = audit_log(store).await.len();
    assert!(!store.update_person(&edited, "alice").await.unwrap());
    assert_eq!(store.version().await.unwrap(), v1);
    assert_eq!(audit_log(store).await.len(), entries);
    // Clearing a field is a change too.
    edited.aliases.clear();
    assert!(store.update_person(&edited, "alice").await.unwrap());
    assert!(store
        .get_person(&id("CU-1"))
        .await
        .unwrap()
        .unwrap()
        .person
        .aliases
        .is_empty());
    let mut stranger = edited.clone();
    stranger.id = id("CU-404");
    assert!(not_found(store.update_person(&stranger, "alice").await));
}

pub async fn detentions_are_added_and_edited_with_a_change_per_field(store: &dyn Store) {
    two_persons(store).await;
    let v0 = store.version().await.unwrap();
    let pk = store
        .add_detention(&id("CU-1"), &detention("Combinado del Este"), "alice")
        .await
        .unwrap();
    let v1 = store.version().await.unwrap();
    assert_ne!(v1, v0);
    let got = store.get_person(&id("CU-1")).await.unwrap().unwrap();
    assert_eq!(
        got.detentions,
        [Detention {
            id: pk,
            ..detention("Combinado del Este")
        }]
    );
    let added = history(store, "CU-1").await.pop().unwrap();
    assert_eq!(added.action, "detention_added");
    assert_eq!(added.actor, "alice");
    assert!(added
        .changes
        .iter()
        .any(|c| c.field == format!("detention.{pk}.prison")
            && c.new.as_deref() == Some("Combinado del Este")));

    let mut edited = Detention {
        id: pk,
        ..detention("Kilo 8")
    };
    edited.charges = vec!["cu.desordenes".into(), "cu.sedicion".into()];
    edited.sentence_months = Some(96);
    store
        .update_detention(&id("CU-1"), &edited, "bob")
        .await
        .unwrap();
    assert_ne!(store.version().await.unwrap(), v1);
    let got = store.get_person(&id("CU-1")).await.unwrap().unwrap();
    assert_eq!(got.detentions, std::slice::from_ref(&edited));
    let updated = history(store, "CU-1").await.pop().unwrap();
    assert_eq!(updated.action, "detention_updated");
    assert_eq!(updated.actor, "bob");
    assert_eq!(
        updated.changes,
        [
            FieldChange {
                field: format!("detention.{pk}.charges"),
                old: Some("cu.desordenes".into()),
                new: Some("cu.desordenes|cu.sedicion".into()),
            },
            FieldChange {
                field: format!("detention.{pk}.sentence_months"),
                old: None,
                new: Some("96".into()),
            },
            FieldChange {
                field: format!("detention.{pk}.prison"),
                old: Some("Combinado del Este".into()),
                new: Some("Kilo 8".into()),
            },
        ]
    );

    // Unknown persons and detentions, or another person's detention.
    let entries = history(store, "CU-2").await.len();
    let v2 = store.version().await.unwrap();
    assert!(not_found(
        store
            .add_detention(&id("XX-404"), &detention("X"), "bob")
            .await
    ));
    assert!(not_found(
        store.update_detention(&id("CU-2"), &edited, "bob").await
    ));
    let unknown = Detention {
        id: pk + 1000,
        ..edited.clone()
    };
    assert!(not_found(
        store.update_detention(&id("CU-1"), &unknown, "bob").await
    ));
    assert_eq!(store.version().await.unwrap(), v2);
    assert_eq!(history(store, "CU-2").await.len(), entries);
    assert!(store
        .get_person(&id("CU-2"))
        .await
        .unwrap()
        .unwrap()
        .detentions
        .is_empty());

    let log = actions(store).await;
    assert_eq!(
        log[log.len() - 2..],
        ["detention_added", "detention_updated"]
    );
    assert!(store.verify_audit(None).await.unwrap().broken.is_none());
}

pub async fn sources_are_added_and_edited_and_the_audit_never_holds_a_confidential_title(
    store: &dyn Store,
) {
    two_persons(store).await;
    let v0 = store.version().await.unwrap();
    let pk = store.add_source(&secret_source(), "alice").await.unwrap();
    assert_ne!(store.version().await.unwrap(), v0);
    let mut arrest = event(EventKind::Arrest, "2024-03-01");
    arrest.source_ids = vec![pk];
    store
        .add_event(&id("CU-1"), &arrest, "alice")
        .await
        .unwrap();
    let got = store.get_person(&id("CU-1")).await.unwrap().unwrap();
    assert_eq!(
        got.sources,
        [Source {
            id: pk,
            ..secret_source()
        }]
    );

    // Made public, with a new title: every person citing it sees it.
    let public = Source {
        id: pk,
        title: "Public report".into(),
        url: Some("https://example.org/report".into()),
        kind: SourceKind::NgoReport,
        confidential: false,
        ..secret_source()
    };
    let v1 = store.version().await.unwrap();
    store.update_source(&public, "bob").await.unwrap();
    assert_ne!(store.version().await.unwrap(), v1);
    let got = store.get_person(&id("CU-1")).await.unwrap().unwrap();
    assert_eq!(got.sources, std::slice::from_ref(&public));
    // And confidential again.
    let hidden = Source {
        confidential: true,
        title: "SECRET-TITLE again".into(),
        ..public.clone()
    };
    store.update_source(&hidden, "bob").await.unwrap();
    let got = store.get_person(&id("CU-1")).await.unwrap().unwrap();
    assert!(got.sources[0].confidential);

    let v2 = store.version().await.unwrap();
    let unknown = Source {
        id: pk + 1000,
        ..public.clone()
    };
    assert!(not_found(store.update_source(&unknown, "bob").await));
    let untitled = Source {
        title: " ".into(),
        ..public.clone()
    };
    assert!(matches!(
        store.add_source(&untitled, "bob").await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(store.version().await.unwrap(), v2);

    let log = audit_log(store).await;
    let of_sources: Vec<_> = log.iter().filter(|e| e.target == "sources").collect();
    let acts: Vec<&str> = of_sources.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(acts, ["source_added", "source_updated", "source_updated"]);
    for e in &log {
        assert!(!e.details.contains("SECRET"), "{}", e.details);
        assert!(!e.details.contains("example.org"), "{}", e.details);
    }
    let added: serde_json::Value = serde_json::from_str(&of_sources[0].details).unwrap();
    assert_eq!(added["source"], pk);
    assert_eq!(added["kind"], "testimony");
    assert_eq!(added["confidential"], true);
    let made_public: serde_json::Value = serde_json::from_str(&of_sources[1].details).unwrap();
    assert_eq!(made_public["confidential"], false);
    assert_eq!(made_public["was_confidential"], true);
    assert!(store.verify_audit(None).await.unwrap().broken.is_none());
}

pub async fn editing_an_event_replaces_it_and_rederives_the_status(store: &dyn Store) {
    two_persons(store).await;
    let a = store.add_source(&secret_source(), "alice").await.unwrap();
    let b = store
        .add_source(
            &Source {
                confidential: false,
                title: "Report".into(),
                ..secret_source()
            },
            "alice",
        )
        .await
        .unwrap();
    let p = id("CU-1");
    store
        .add_event(&p, &event(EventKind::Arrest, "2021-07"), "alice")
        .await
        .unwrap();
    let mut parole = release("2025-01-16", ReleaseKind::Parole, vec![]);
    parole.source_ids = vec![a];
    let ev = store.add_event(&p, &parole, "alice").await.unwrap();
    let status = |r: crate::PersonRecord| r.status;
    assert_eq!(
        status(store.get_person(&p).await.unwrap().unwrap()),
        Status::ConditionalRelease
    );

    // A revocation now, citing the other source.
    let mut revoked = event(EventKind::Revocation, "2025-04-29");
    revoked.id = ev;
    revoked.place = Some("Havana".into());
    revoked.description = Some("Back to prison".into());
    revoked.source_ids = vec![b, b];
    let v0 = store.version().await.unwrap();
    store.update_event(&p, &revoked, "bob").await.unwrap();
    assert_ne!(store.version().await.unwrap(), v0);
    let got = store.get_person(&p).await.unwrap().unwrap();
    assert_eq!(got.status, Status::Detained);
    let stored = got.events.iter().find(|e| e.id == ev).unwrap();
    assert_eq!(stored.kind, EventKind::Revocation);
    assert_eq!(stored.release, None);
    assert_eq!(stored.place.as_deref(), Some("Havana"));
    assert_eq!(stored.description.as_deref(), Some("Back to prison"));
    assert_eq!(stored.source_ids, [b]);
    assert_eq!(got.sources.iter().map(|s| s.id).collect::<Vec<_>>(), [b]);
    assert_eq!(
        export(store, false).await[0].1,
        Status::Detained,
        "the cached status follows"
    );
    let changed = history(store, "CU-1").await.pop().unwrap();
    assert_eq!(changed.action, "event_changed");
    assert_eq!(changed.actor, "bob");
    assert_eq!(changed.changes[0].field, "event");
    assert_eq!(
        changed.changes[0].old.as_deref(),
        Some(format!("release 2025-01-16 parole sources {a}").as_str())
    );
    assert_eq!(
        changed.changes[0].new.as_deref(),
        Some(format!("revocation 2025-04-29 at Havana sources {b}").as_str())
    );
    assert_eq!(changed.changes[1].field, "event_description");
    assert_eq!(changed.changes[1].new.as_deref(), Some("Back to prison"));

    // Refused: an unknown source, another person's event, an unknown one.
    let v1 = store.version().await.unwrap();
    let mut bad = revoked.clone();
    bad.source_ids = vec![b + 1000];
    assert!(not_found(store.update_event(&p, &bad, "bob").await));
    assert!(not_found(
        store.update_event(&id("CU-2"), &revoked, "bob").await
    ));
    assert!(not_found(store.delete_event(&id("CU-2"), ev, "bob").await));
    assert!(not_found(store.delete_event(&p, ev + 1000, "bob").await));
    assert!(not_found(
        store.delete_event(&id("XX-404"), ev, "bob").await
    ));
    assert_eq!(store.version().await.unwrap(), v1);
    let got = store.get_person(&p).await.unwrap().unwrap();
    assert_eq!(got.events.iter().find(|e| e.id == ev).unwrap(), stored);

    // Deleting the revocation: detained since the arrest, still.
    store.delete_event(&p, ev, "carla").await.unwrap();
    assert_ne!(store.version().await.unwrap(), v1);
    let got = store.get_person(&p).await.unwrap().unwrap();
    assert_eq!(got.events.len(), 1);
    assert_eq!(got.events[0].kind, EventKind::Arrest);
    assert!(got.sources.is_empty());
    assert_eq!(got.status, Status::Detained);
    let deleted = history(store, "CU-1").await.pop().unwrap();
    assert_eq!(deleted.action, "event_deleted");
    assert_eq!(deleted.changes[0].new, None);

    let log = actions(store).await;
    assert_eq!(log[log.len() - 2..], ["event_changed", "event_deleted"]);
    assert!(store.verify_audit(None).await.unwrap().broken.is_none());
}

pub async fn an_edit_that_changes_nothing_writes_nothing(store: &dyn Store) {
    two_persons(store).await;
    let p = id("CU-1");
    let d = store
        .add_detention(&p, &detention("Kilo 8"), "alice")
        .await
        .unwrap();
    let s = store.add_source(&secret_source(), "alice").await.unwrap();
    let mut arrest = event(EventKind::Arrest, "2021-07-11");
    arrest.source_ids = vec![s];
    let e = store.add_event(&p, &arrest, "alice").await.unwrap();
    let (v0, log0, hist0) = (
        store.version().await.unwrap(),
        audit_log(store).await.len(),
        history(store, "CU-1").await.len(),
    );
    let same_detention = Detention {
        id: d,
        ..detention("Kilo 8")
    };
    assert!(!store
        .update_detention(&p, &same_detention, "bob")
        .await
        .unwrap());
    let same_source = Source {
        id: s,
        ..secret_source()
    };
    assert!(!store.update_source(&same_source, "bob").await.unwrap());
    let same_event = Event {
        id: e,
        ..arrest.clone()
    };
    assert!(!store.update_event(&p, &same_event, "bob").await.unwrap());
    assert_eq!(store.version().await.unwrap(), v0);
    assert_eq!(audit_log(store).await.len(), log0, "no audit entry");
    assert_eq!(history(store, "CU-1").await.len(), hist0);

    // Citing one more source is a change, though the text is the same.
    let other = store
        .add_source(
            &Source {
                confidential: false,
                title: "Report".into(),
                ..secret_source()
            },
            "alice",
        )
        .await
        .unwrap();
    let cites_more = Event {
        source_ids: vec![s, other],
        ..same_event
    };
    assert!(store.update_event(&p, &cites_more, "bob").await.unwrap());
    let got = store.get_person(&p).await.unwrap().unwrap();
    assert_eq!(got.events[0].source_ids, [s, other]);
}

pub async fn a_deleted_detention_stays_in_the_history(store: &dyn Store) {
    two_persons(store).await;
    let p = id("CU-1");
    let d = store
        .add_detention(&p, &detention("Kilo 8"), "alice")
        .await
        .unwrap();
    let v0 = store.version().await.unwrap();
    // Someone else's detention, or an unknown one, is not found.
    assert!(not_found(
        store.delete_detention(&id("CU-2"), d, "bob").await
    ));
    assert!(not_found(store.delete_detention(&p, d + 1000, "bob").await));
    assert_eq!(store.version().await.unwrap(), v0);

    store.delete_detention(&p, d, "bob").await.unwrap();
    assert_ne!(store.version().await.unwrap(), v0);
    assert!(store
        .get_person(&p)
        .await
        .unwrap()
        .unwrap()
        .detentions
        .is_empty());
    let deleted = history(store, "CU-1").await.pop().unwrap();
    assert_eq!(
        (deleted.action.as_str(), deleted.actor.as_str()),
        ("detention_deleted", "bob")
    );
    assert!(deleted
        .changes
        .iter()
        .any(|c| c.field == format!("detention.{d}.prison")
            && c.old.as_deref() == Some("Kilo 8")
            && c.new.is_none()));
    assert_eq!(actions(store).await.last().unwrap(), "detention_deleted");
    assert!(
        not_found(store.delete_detention(&p, d, "bob").await),
        "once"
    );
    assert!(store.verify_audit(None).await.unwrap().broken.is_none());
}

pub async fn sources_are_listed_with_their_citations_and_only_uncited_ones_deleted(
    store: &dyn Store,
) {
    two_persons(store).await;
    let cited = store.add_source(&secret_source(), "alice").await.unwrap();
    let spare = store
        .add_source(
            &Source {
                title: "Not cited yet".into(),
                confidential: false,
                ..secret_source()
            },
            "alice",
        )
        .await
        .unwrap();
    for p in ["CU-1", "CU-2"] {
        let mut arrest = event(EventKind::Arrest, "2021-07-11");
        arrest.source_ids = vec![cited];
        store.add_event(&id(p), &arrest, "alice").await.unwrap();
    }
    let listed = store.sources(0, 10).await.unwrap();
    let seen: Vec<(i64, u64, bool)> = listed
        .iter()
        .map(|u| (u.source.id, u.citations, u.source.confidential))
        .collect();
    assert_eq!(seen, [(cited, 2, true), (spare, 0, false)]);
    assert_eq!(
        store.sources(cited, 10).await.unwrap().len(),
        1,
        "after a key"
    );
    assert_eq!(store.sources(0, 1).await.unwrap().len(), 1, "a limit");
    let one = store.source(spare).await.unwrap().unwrap();
    assert_eq!(
        (one.source.title.as_str(), one.citations),
        ("Not cited yet", 0)
    );
    assert_eq!(store.source(spare + 1000).await.unwrap(), None);

    let v0 = store.version().await.unwrap();
    match store.delete_source(cited, "bob").await {
        Err(StoreError::Invalid(why)) => assert!(why.contains("cited 2 times"), "{why}"),
        other => panic!("a cited source was deleted: {other:?}"),
    }
    assert!(not_found(store.delete_source(spare + 1000, "bob").await));
    assert_eq!(store.version().await.unwrap(), v0);

    store.delete_source(spare, "bob").await.unwrap();
    assert_ne!(store.version().await.unwrap(), v0);
    assert_eq!(store.source(spare).await.unwrap(), None);
    let last = audit_log(store).await.pop().unwrap();
    assert_eq!(last.action, "source_deleted");
    assert!(!last.details.contains("Not cited"), "{}", last.details);
    assert!(store.verify_audit(None).await.unwrap().broken.is_none());
}

/// Now, as the clock says.
fn now() -> UnixTime {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    UnixTime(i64::try_from(secs).unwrap())
}

pub async fn purging_history_removes_only_old_confidential_values(
    store: &dyn Store,
    db: &dyn Instances,
) {
    two_persons(store).await;
    for who in ["CU-1", "CU-2"] {
        let mut p = person(who, "Ana", "Díaz", None, "CU");
        p.family_contact = Some(format!("NEW-CONTACT-{who}"));
        p.province = Some("Holguín".into());
        store.upsert_persons(&[p], &[], "alice").await.unwrap();
    }
    // CU-1's entries are two years old; CU-2's are recent.
    db.execute(
        "UPDATE person_history SET at = '2020-01-01T00:00:00.000Z' WHERE person_id = 'CU-1'",
    )
    .await;
    let old_before = history(store, "CU-1").await;
    let new_before = history(store, "CU-2").await;
    assert_eq!(old_before.len(), 2);

    let v0 = store.version().await.unwrap();
    let year_ago = now().plus(-365 * 86_400);
    assert_eq!(store.purge_history(year_ago, "cli").await.unwrap(), 2);
    assert_ne!(store.version().await.unwrap(), v0);

    let old_after = history(store, "CU-1").await;
    assert_eq!(old_after.len(), old_before.len());
    for (before, after) in old_before.iter().zip(&old_after) {
        assert_eq!(
            (&before.at, &before.actor, &before.action),
            (&after.at, &after.actor, &after.action)
        );
        assert_eq!(before.changes.len(), after.changes.len());
        for (b, a) in before.changes.iter().zip(&after.changes) {
            assert_eq!(a.field, b.field);
            if b.is_confidential() {
                let removed = |v: &Option<String>| v.as_ref().map(|_| FieldChange::REMOVED.into());
                assert_eq!((&a.old, &a.new), (&removed(&b.old), &removed(&b.new)));
            } else {
                assert_eq!(a, b, "non-confidential values stay");
            }
        }
    }
    let update = &old_after[1];
    let contact = update
        .changes
        .iter()
        .find(|c| c.field == "family_contact")
        .unwrap();
    assert_eq!(contact.old.as_deref(), Some(FieldChange::REMOVED));
    let province = update
        .changes
        .iter()
        .find(|c| c.field == "province")
        .unwrap();
    assert_eq!(province.new.as_deref(), Some("Holguín"));
    assert_eq!(
        history(store, "CU-2").await,
        new_before,
        "newer entries stay"
    );

    // Twice changes nothing.
    let v1 = store.version().await.unwrap();
    assert_eq!(store.purge_history(year_ago, "cli").await.unwrap(), 0);
    assert_eq!(store.version().await.unwrap(), v1);
    assert_eq!(history(store, "CU-1").await, old_after);

    let log = audit_log(store).await;
    let purges: Vec<_> = log
        .iter()
        .filter(|e| e.action == "history_purged")
        .collect();
    assert_eq!(purges.len(), 2);
    let details: serde_json::Value = serde_json::from_str(&purges[0].details).unwrap();
    assert_eq!(details["entries"], 2);
    assert!(details["before"].as_str().unwrap().ends_with(".000Z"));
    for e in &log {
        assert!(!e.details.contains("CONTACT"), "{}", e.details);
    }
    assert!(store.verify_audit(None).await.unwrap().broken.is_none());
}
