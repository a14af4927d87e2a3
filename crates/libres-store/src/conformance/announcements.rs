//! Release announcements: stored whole, read back newest first, edited
//! and deleted with one audit entry each, and never citing a source that
//! does not exist.

use super::audit::{actions, audit_log};
use super::edits::two_persons;
use super::*;
use libres_core::{
    Announcement, AnnouncementText, ClaimKind, IssuerKind, ListedName, Proposal, Review,
};

fn text(lang: &str, title: &str) -> AnnouncementText {
    AnnouncementText {
        lang: lang.into(),
        title: title.into(),
        body: String::new(),
    }
}

/// Cuba's announcement of January 2025: a number, and no list.
pub fn cuba_553() -> Announcement {
    Announcement {
        id: 0,
        country: cc("CU"),
        date: date("2025-01-14"),
        issuer_kind: IssuerKind::Government,
        issuer: "Ministerio de Relaciones Exteriores".into(),
        claim: ClaimKind::Releases,
        claimed: Some(553),
        claimed_words: Some("553 sancionados por diversos delitos".into()),
        texts: vec![
            text("es", "Cuba anuncia 553 excarcelaciones"),
            AnnouncementText {
                body: "No list of names was published.".into(),
                ..text("en", "Cuba announces 553 releases")
            },
        ],
        source_ids: vec![],
    }
}

/// Nicaragua's of January 2026: words, no number.
fn nicaragua_dozens() -> Announcement {
    Announcement {
        country: cc("NI"),
        date: date("2026-01-10"),
        claimed: None,
        claimed_words: Some("decenas".into()),
        texts: vec![text("es", "Excarcelan a decenas")],
        ..cuba_553()
    }
}

async fn report(store: &dyn Store, title: &str) -> i64 {
    store
        .add_source(
            &Source {
                id: 0,
                url: Some("https://example.org/report".into()),
                title: title.into(),
                publisher: None,
                date: Some(date("2025-01-15")),
                kind: SourceKind::Article,
                confidential: false,
            },
            "alice",
        )
        .await
        .unwrap()
}

pub async fn an_announcement_is_stored_whole_and_listed_newest_first(store: &dyn Store) {
    let s2 = report(store, "B").await;
    let s1 = report(store, "A").await;
    let v0 = store.version().await.unwrap();
    let cuba = Announcement {
        source_ids: vec![s2, s1, s2],
        ..cuba_553()
    };
    let a = store.add_announcement(&cuba, "alice").await.unwrap();
    assert_ne!(store.version().await.unwrap(), v0);
    let got = store.announcement(a).await.unwrap().unwrap();
    let mut sources = vec![s1, s2];
    sources.sort_unstable();
    let mut texts = cuba_553().texts;
    texts.reverse();
    assert_eq!(
        got,
        Announcement {
            id: a,
            source_ids: sources,
            texts,
            ..cuba_553()
        },
        "texts in the order of their languages (en, es), sources once each"
    );
    let n = store
        .add_announcement(&nicaragua_dozens(), "bob")
        .await
        .unwrap();
    let got = store.announcement(n).await.unwrap().unwrap();
    assert_eq!(
        (got.claimed, got.claimed_words.as_deref()),
        (None, Some("decenas"))
    );
    assert_eq!(store.announcement(n + a + 1000).await.unwrap(), None);

    let ids = |v: Vec<Announcement>| v.into_iter().map(|a| a.id).collect::<Vec<_>>();
    assert_eq!(ids(store.announcements(None, 10).await.unwrap()), [n, a]);
    assert_eq!(ids(store.announcements(None, 1).await.unwrap()), [n]);
    assert_eq!(
        ids(store.announcements(Some(&cc("CU")), 10).await.unwrap()),
        [a]
    );
    assert!(store
        .announcements(Some(&cc("VE")), 10)
        .await
        .unwrap()
        .is_empty());

    let log = audit_log(store).await;
    let added: Vec<_> = log
        .iter()
        .filter(|e| e.action == "announcement_added")
        .collect();
    assert_eq!(added.len(), 2);
    assert_eq!(
        (added[0].actor.as_str(), added[0].target.as_str()),
        ("alice", "announcements")
    );
    let d: serde_json::Value = serde_json::from_str(&added[0].details).unwrap();
    assert_eq!(
        (d["announcement"].as_i64(), d["claimed"].as_i64()),
        (Some(a), Some(553))
    );
    assert!(store.verify_audit(None).await.unwrap().broken.is_none());
}

pub async fn an_announcement_that_cannot_be_stored_writes_nothing(store: &dyn Store) {
    let v0 = store.version().await.unwrap();
    let log0 = audit_log(store).await.len();
    let no_claim = Announcement {
        claimed: None,
        claimed_words: None,
        ..cuba_553()
    };
    match store.add_announcement(&no_claim, "alice").await {
        Err(StoreError::Invalid(why)) => assert!(why.contains("claimed_words"), "{why}"),
        other => panic!("{other:?}"),
    }
    let unknown_source = Announcement {
        source_ids: vec![4242],
        ..cuba_553()
    };
    match store.add_announcement(&unknown_source, "alice").await {
        Err(StoreError::NotFound(what)) => assert_eq!(what, "source 4242"),
        other => panic!("{other:?}"),
    }
    assert_eq!(store.version().await.unwrap(), v0);
    assert_eq!(audit_log(store).await.len(), log0);
    assert!(store.announcements(None, 10).await.unwrap().is_empty());
}

pub async fn editing_an_announcement_replaces_it_and_names_the_fields(store: &dyn Store) {
    let s = report(store, "A").await;
    let a = store.add_announcement(&cuba_553(), "alice").await.unwrap();
    let same = Announcement {
        id: a,
        ..cuba_553()
    };
    let (v0, log0) = (store.version().await.unwrap(), audit_log(store).await.len());
    assert!(!store.update_announcement(&same, "bob").await.unwrap());
    assert_eq!(
        store.version().await.unwrap(),
        v0,
        "unchanged: nothing written"
    );
    assert_eq!(audit_log(store).await.len(), log0);

    let mut edited = same.clone();
    edited.claimed = Some(554);
    edited.texts.push(text("ar", "كوبا تعلن"));
    edited.texts.retain(|t| t.lang != "en");
    edited.source_ids = vec![s];
    assert!(store.update_announcement(&edited, "bob").await.unwrap());
    let got = store.announcement(a).await.unwrap().unwrap();
    assert_eq!(got.claimed, Some(554));
    let langs: Vec<&str> = got.texts.iter().map(|t| t.lang.as_str()).collect();
    assert_eq!(langs, ["ar", "es"]);
    assert_eq!(got.source_ids, [s]);
    let last = audit_log(store).await.pop().unwrap();
    assert_eq!(
        (last.action.as_str(), last.actor.as_str()),
        ("announcement_updated", "bob")
    );
    let d: serde_json::Value = serde_json::from_str(&last.details).unwrap();
    assert_eq!(
        d["fields"],
        serde_json::json!(["claimed", "texts", "sources"])
    );

    let unknown = Announcement {
        id: a + 1000,
        ..edited.clone()
    };
    match store.update_announcement(&unknown, "bob").await {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("{other:?}"),
    }
    let bad = Announcement {
        issuer: String::new(),
        ..edited.clone()
    };
    assert!(matches!(
        store.update_announcement(&bad, "bob").await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(store.announcement(a).await.unwrap().unwrap(), got);
}

pub async fn a_source_an_announcement_cites_stays_until_the_announcement_goes(store: &dyn Store) {
    let s = report(store, "A").await;
    let a = store
        .add_announcement(
            &Announcement {
                source_ids: vec![s],
                ..cuba_553()
            },
            "alice",
        )
        .await
        .unwrap();
    assert_eq!(store.source(s).await.unwrap().unwrap().citations, 1);
    assert!(matches!(
        store.delete_source(s, "bob").await,
        Err(StoreError::Invalid(_))
    ));

    store.delete_announcement(a, "bob").await.unwrap();
    assert_eq!(store.announcement(a).await.unwrap(), None);
    assert!(store.announcements(None, 10).await.unwrap().is_empty());
    assert_eq!(store.source(s).await.unwrap().unwrap().citations, 0);
    assert!(matches!(
        store.delete_announcement(a, "bob").await,
        Err(StoreError::NotFound(_))
    ));
    store.delete_source(s, "bob").await.unwrap();
    let log = actions(store).await;
    assert_eq!(
        log[log.len() - 2..],
        ["announcement_deleted", "source_deleted"]
    );
    assert!(store.verify_audit(None).await.unwrap().broken.is_none());
}

pub async fn a_release_belongs_to_an_announcement_and_says_who_verified_it(store: &dyn Store) {
    store
        .insert_cases(
            &[
                case(
                    person("CU-1", "Ana", "Díaz", None, "CU"),
                    vec![event(EventKind::Arrest, "2021-07-11")],
                ),
                case(person("CU-2", "Eva", "Sosa", None, "CU"), vec![]),
            ],
            "alice",
        )
        .await
        .unwrap();
    let a = store.add_announcement(&cuba_553(), "alice").await.unwrap();
    let mut parole = release("2025-01-16", ReleaseKind::Parole, vec![]);
    parole.announcement_id = Some(a);
    parole.verification = Some(libres_core::Verification {
        by: vec!["Prisoners Defenders".into()],
        on: Some(date("2025-01-20")),
    });
    let v0 = store.version().await.unwrap();
    let mut unknown = parole.clone();
    unknown.announcement_id = Some(a + 1000);
    match store.add_event(&id("CU-1"), &unknown, "alice").await {
        Err(StoreError::NotFound(what)) => assert_eq!(what, format!("announcement {}", a + 1000)),
        other => panic!("{other:?}"),
    }
    let mut nobody = parole.clone();
    nobody.verification = Some(libres_core::Verification {
        by: vec![" ".into()],
        on: None,
    });
    assert!(matches!(
        store.add_event(&id("CU-1"), &nobody, "alice").await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(store.version().await.unwrap(), v0);

    // Nobody is released who was not held: CU-2 has no arrest.
    match store.add_event(&id("CU-2"), &parole, "alice").await {
        Err(StoreError::Invalid(why)) => {
            assert!(
                why.contains("no detention recorded before 2025-01-16"),
                "{why}"
            )
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(store.version().await.unwrap(), v0);
    assert!(store.announcement_persons(a).await.unwrap().is_empty());
    let e = store
        .add_event(&id("CU-1"), &parole, "alice")
        .await
        .unwrap();
    assert_eq!(store.announcement_persons(a).await.unwrap(), [id("CU-1")]);
    let got = store.get_person(&id("CU-1")).await.unwrap().unwrap();
    assert_eq!(
        got.events[1],
        Event {
            id: e,
            ..parole.clone()
        }
    );
    let added = store
        .person_history(&id("CU-1"))
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(
        added.changes[0].new.as_deref(),
        Some(
            format!(
                "release 2025-01-16 parole announcement {a} verified by Prisoners Defenders on 2025-01-20"
            )
            .as_str()
        )
    );
    // Linked, the announcement cannot go.
    match store.delete_announcement(a, "bob").await {
        Err(StoreError::Invalid(why)) => assert!(why.contains("1 timeline event"), "{why}"),
        other => panic!("{other:?}"),
    }
    // Unlinked by an edit, it can.
    let unlinked = Event {
        id: e,
        announcement_id: None,
        ..parole
    };
    assert!(store
        .update_event(&id("CU-1"), &unlinked, "bob")
        .await
        .unwrap());
    store.delete_announcement(a, "bob").await.unwrap();
    let got = store.get_person(&id("CU-1")).await.unwrap().unwrap();
    assert_eq!(got.events[1].announcement_id, None);
    assert_eq!(
        got.events[1].verification.as_ref().map(|v| v.by.clone()),
        Some(vec!["Prisoners Defenders".to_owned()])
    );
}

/// Two names of a list, as the matcher proposes them.
pub fn two_names() -> Vec<ListedName> {
    let name = |line: u32, full: &str, proposed: Option<&str>, proposal: Proposal| ListedName {
        id: 0,
        line,
        row_id: line.to_string(),
        full_name: full.into(),
        birth_year: Some(1985),
        province: Some("La Habana".into()),
        proposed: proposed.map(id),
        score_ppm: 991_000,
        proposal,
        reason: "full name, province".into(),
        review: Review::Pending,
        person: None,
        decided_by: None,
    };
    vec![
        name(1, "HERNANDEZ CRUZ, DAYAMI", Some("CU-3"), Proposal::Match),
        name(2, "JOSE A. PEREZ", None, Proposal::None),
    ]
}

pub async fn a_named_list_keeps_proposals_until_a_person_decides_once(store: &dyn Store) {
    two_persons(store).await;
    let a = store.add_announcement(&cuba_553(), "alice").await.unwrap();
    assert!(matches!(
        store.set_named_list(a + 1000, &two_names(), "alice").await,
        Err(StoreError::NotFound(_))
    ));
    store
        .set_named_list(a, &two_names(), "alice")
        .await
        .unwrap();
    let list = store.named_list(a).await.unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(
        ListedName {
            id: 0,
            ..list[0].clone()
        },
        two_names()[0],
        "read back as proposed, pending"
    );
    // A new list replaces it while nothing is decided.
    let mut shorter = two_names();
    shorter.truncate(1);
    store.set_named_list(a, &shorter, "alice").await.unwrap();
    let list = store.named_list(a).await.unwrap();
    assert_eq!(list.len(), 1);
    let n = list[0].id;

    // Decisions: a person must be named to confirm; unknown ones refused.
    assert!(matches!(
        store
            .decide_name(a, n, Review::Confirmed, None, "bob")
            .await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store
            .decide_name(a, n, Review::Confirmed, Some(&id("XX-404")), "bob")
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store
            .decide_name(a, n + 1000, Review::Rejected, None, "bob")
            .await,
        Err(StoreError::NotFound(_))
    ));
    store
        .decide_name(a, n, Review::Confirmed, Some(&id("CU-2")), "bob")
        .await
        .unwrap();
    // The second editor is told who decided first; nothing changes.
    match store
        .decide_name(a, n, Review::Rejected, None, "carla")
        .await
    {
        Err(StoreError::Invalid(why)) => assert!(why.contains("confirmed already by bob"), "{why}"),
        other => panic!("{other:?}"),
    }
    let got = store.named_list(a).await.unwrap().pop().unwrap();
    assert_eq!(
        (got.review, got.person, got.decided_by.as_deref()),
        (Review::Confirmed, Some(id("CU-2")), Some("bob"))
    );
    let summary = store.announcement_list(a).await.unwrap();
    assert_eq!((summary.names, summary.confirmed), (1, vec![id("CU-2")]));
    // Decisions are never thrown away by a new list.
    assert!(matches!(
        store.set_named_list(a, &two_names(), "alice").await,
        Err(StoreError::Invalid(_))
    ));
    let log = actions(store).await;
    assert_eq!(
        log[log.len() - 3..],
        ["named_list_set", "named_list_set", "name_decided"]
    );
    // The list goes with its announcement.
    store.delete_announcement(a, "alice").await.unwrap();
    assert!(store.named_list(a).await.unwrap().is_empty());
}

pub async fn a_countrys_timelines_are_its_published_persons_marked_as_backed_in_public(
    store: &dyn Store,
) {
    let public = report(store, "Lista").await;
    let secret = store
        .add_source(
            &Source {
                id: 0,
                url: None,
                title: "Testimonio".into(),
                publisher: None,
                date: None,
                kind: SourceKind::Testimony,
                confidential: true,
            },
            "alice",
        )
        .await
        .unwrap();
    let hidden = Person {
        publish: false,
        ..person("CU-0003", "Ana", "Reservada", None, "CU")
    };
    store
        .insert_cases(
            &[
                case(
                    person("CU-0001", "Luis", "Pupo", None, "CU"),
                    vec![event(EventKind::Arrest, "2021-07-11")],
                ),
                case(
                    person("CU-0002", "Eva", "Díaz", None, "CU"),
                    vec![event(EventKind::Arrest, "2022")],
                ),
                case(hidden, vec![event(EventKind::Arrest, "2021-07-11")]),
                case(
                    person("VE-0001", "Iván", "Cruz", None, "VE"),
                    vec![event(EventKind::Arrest, "2024-01-09")],
                ),
            ],
            "alice",
        )
        .await
        .unwrap();
    let backed_by = |sources: Vec<i64>, by: Vec<String>| {
        let mut e = release(
            "2025-01-16",
            ReleaseKind::Parole,
            vec![libres_core::Condition::TravelBan],
        );
        e.source_ids = sources;
        if !by.is_empty() {
            e.verification = Some(libres_core::Verification { by, on: None });
        }
        e
    };
    store
        .add_event(
            &id("CU-0001"),
            &backed_by(vec![secret, public], vec![]),
            "alice",
        )
        .await
        .unwrap();
    store
        .add_event(&id("CU-0002"), &backed_by(vec![secret], vec![]), "alice")
        .await
        .unwrap();
    let timelines = store.country_timelines(&cc("CU")).await.unwrap();
    let read: Vec<Vec<(EventKind, String, bool)>> = timelines
        .iter()
        .map(|t| {
            t.iter()
                .map(|d| (d.event.kind, d.event.date.as_str().to_owned(), d.backed))
                .collect()
        })
        .collect();
    // The unpublished person and the other country are not read; a
    // release backed only by a confidential source is not backed in
    // public.
    assert_eq!(
        read,
        [
            vec![
                (EventKind::Arrest, "2021-07-11".to_owned(), false),
                (EventKind::Release, "2025-01-16".to_owned(), true)
            ],
            vec![
                (EventKind::Arrest, "2022".to_owned(), false),
                (EventKind::Release, "2025-01-16".to_owned(), false)
            ],
        ]
    );
    let release = &timelines[0][1].event.release;
    assert_eq!(
        release.as_ref().map(|r| (r.kind, r.conditions.clone())),
        Some((ReleaseKind::Parole, vec![libres_core::Condition::TravelBan]))
    );
    // A recorded verification backs a release without a public source.
    store
        .add_event(
            &id("VE-0001"),
            &backed_by(vec![], vec!["Foro Penal".into()]),
            "alice",
        )
        .await
        .unwrap();
    let ve = store.country_timelines(&cc("VE")).await.unwrap();
    assert_eq!(ve.len(), 1);
    assert!(ve[0][1].backed);
    assert!(store.country_timelines(&cc("NI")).await.unwrap().is_empty());
    // The same persons with what the figures count, the latest detention's
    // prison and court, and the first detention's arrest date.
    store
        .add_detention(
            &id("CU-0001"),
            &libres_core::Detention {
                arrest_date: Some(date("2021-07-11")),
                prison: Some("Kilo 8".into()),
                court: Some("Tribunal Municipal".into()),
                ..Default::default()
            },
            "alice",
        )
        .await
        .unwrap();
    store
        .add_detention(
            &id("CU-0001"),
            &libres_core::Detention {
                arrest_date: Some(date("2023-02")),
                prison: Some("Combinado del Este".into()),
                court: Some("Tribunal Militar Territorial".into()),
                ..Default::default()
            },
            "alice",
        )
        .await
        .unwrap();
    let cases = store.country_cases(&cc("CU")).await.unwrap();
    let ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        ["CU-0001", "CU-0002"],
        "published persons of Cuba only"
    );
    let first = &cases[0];
    assert_eq!(first.name, "Luis Pupo");
    assert_eq!(first.province.as_deref(), Some("La Habana"));
    assert_eq!(first.sex, Some(libres_core::Sex::M));
    assert_eq!(first.birth_date.as_ref().map(|d| d.as_str()), Some("1985~"));
    assert_eq!(first.nationalities, vec![cc("CU")]);
    assert_eq!(
        first.first_arrest.as_ref().map(|d| d.as_str()),
        Some("2021-07-11")
    );
    assert_eq!(first.prison.as_deref(), Some("Combinado del Este"));
    assert_eq!(first.court.as_deref(), Some("Tribunal Militar Territorial"));
    assert_eq!(first.status, Status::ConditionalRelease);
    assert_eq!(first.events.len(), 2);
    assert!(first.events[1].backed);
    assert_eq!(cases[1].prison, None);
    assert!(!cases[1].events[1].backed);
    assert!(store.country_cases(&cc("NI")).await.unwrap().is_empty());
}

/// A release linked to an announcement while another writer deletes it:
/// one of the two goes first (every backend's writes exclude each other),
/// and the other is told why, never with a database error.
pub async fn linking_to_an_announcement_while_it_is_deleted_ends_one_way_or_the_other(
    store: &dyn Store,
) {
    const N: usize = 6;
    let ids: Vec<String> = (0..N).map(|i| format!("CU-07{i:02}")).collect();
    let cases: Vec<CaseBundle> = ids
        .iter()
        .map(|p| {
            case(
                person(p, "Ana", "Pupo", None, "CU"),
                vec![event(EventKind::Arrest, "2021-07-11")],
            )
        })
        .collect();
    store.insert_cases(&cases, "alice").await.unwrap();
    let mut announcements = Vec::new();
    for _ in 0..N {
        announcements.push(store.add_announcement(&cuba_553(), "alice").await.unwrap());
    }
    for (p, a) in ids.iter().zip(&announcements) {
        let mut e = release("2025-01-16", ReleaseKind::Parole, vec![]);
        e.announcement_id = Some(*a);
        let pid = id(p);
        let (linked, deleted) = tokio::join!(
            store.add_event(&pid, &e, "alice"),
            store.delete_announcement(*a, "bob")
        );
        match (&linked, &deleted) {
            // Linked first: the deletion is refused, saying why.
            (Ok(_), Err(StoreError::Invalid(why))) => {
                assert!(why.contains("linked to it"), "{why}");
                assert!(store.announcement(*a).await.unwrap().is_some());
            }
            // Deleted first: the link is refused as not found.
            (Err(StoreError::NotFound(what)), Ok(())) => {
                assert!(what.contains("announcement"), "{what}");
                let record = store.get_person(&id(p)).await.unwrap().unwrap();
                assert_eq!(record.events.len(), 1, "only the arrest");
            }
            other => panic!("announcement {a}: {other:?}"),
        }
    }
    // Whatever happened, the audit chain holds.
    assert!(store.verify_audit(None).await.unwrap().broken.is_none());
}

/// An edit that would strand a release (its arrest deleted, or moved after
/// it) is refused and writes nothing; with the release gone first, it
/// goes through.
pub async fn an_arrest_a_release_follows_is_neither_deleted_nor_moved_past_it(store: &dyn Store) {
    store
        .insert_cases(
            &[case(
                person("CU-0801", "Ana", "Pupo", None, "CU"),
                vec![
                    event(EventKind::Arrest, "2021-07-11"),
                    release("2025-01-16", ReleaseKind::Parole, vec![]),
                ],
            )],
            "alice",
        )
        .await
        .unwrap();
    let p = id("CU-0801");
    let events = store.get_person(&p).await.unwrap().unwrap().events;
    let (arrest, freed) = (events[0].clone(), events[1].clone());
    let v0 = store.version().await.unwrap();
    let err = store
        .delete_event(&p, arrest.id, "alice")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid(why) if why.contains("release of 2025-01-16") && why.contains("without a detention")),
        "{err:?}"
    );
    let moved = Event {
        date: date("2025-03-01"),
        ..arrest.clone()
    };
    let err = store.update_event(&p, &moved, "alice").await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    assert_eq!(store.version().await.unwrap(), v0, "nothing written");
    assert_eq!(store.get_person(&p).await.unwrap().unwrap().events, events);
    // Nor may an exile slip in before the release.
    let err = store
        .add_event(&p, &event(EventKind::Exile, "2023-05-01"), "alice")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    assert_eq!(store.version().await.unwrap(), v0, "nothing written");
    // Moving the arrest earlier is fine; so is deleting both, release first.
    let earlier = Event {
        date: date("2021-07-10"),
        ..arrest.clone()
    };
    assert!(store.update_event(&p, &earlier, "alice").await.unwrap());
    store.delete_event(&p, freed.id, "alice").await.unwrap();
    store.delete_event(&p, arrest.id, "alice").await.unwrap();
    let record = store.get_person(&p).await.unwrap().unwrap();
    assert!(record.events.is_empty());
    assert_eq!(record.status, Status::Unknown);
    // A release stranded already (imported so) does not block the
    // person's other edits.
    store
        .insert_cases(
            &[case(
                person("CU-0802", "Luis", "Cruz", None, "CU"),
                vec![
                    release("2025-01-16", ReleaseKind::Parole, vec![]),
                    event(EventKind::HealthAlert, "2025-02-01"),
                ],
            )],
            "alice",
        )
        .await
        .unwrap();
    let q = id("CU-0802");
    let alert = store.get_person(&q).await.unwrap().unwrap().events[1].clone();
    let described = Event {
        description: Some("Hospitalised".into()),
        ..alert.clone()
    };
    assert!(store.update_event(&q, &described, "alice").await.unwrap());
    store.delete_event(&q, alert.id, "alice").await.unwrap();
}
