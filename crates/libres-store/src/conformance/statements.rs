//! Statements and signatures: stored whole, signed in batches without
//! double signatures, confirmed once, counted without a counter, listed
//! in public only as signers chose and staff approved, linked to the
//! registry with consent, anonymised after closing, and never moving the
//! registry version.

use super::audit::actions;
use super::edits::two_persons;
use super::*;
use crate::statements::{Confirmation, MailKind, Moderation, NewSignature, SignatureFilter, Taken};
use libres_core::statement::{SignatureDraft, SignerCategory, Statement, StatementStatus};
use libres_core::{AnnouncementText, UnixTime};

/// An open statement in Spanish and English, addressed to two.
pub fn open_statement() -> Statement {
    Statement {
        id: 0,
        status: StatementStatus::Open,
        texts: vec![
            AnnouncementText {
                lang: "es".into(),
                title: "Libertad para todos los presos políticos".into(),
                body: "Exigimos la liberación inmediata.".into(),
            },
            AnnouncementText {
                lang: "en".into(),
                title: "Freedom for every political prisoner".into(),
                body: "We demand their immediate release.".into(),
            },
        ],
        addressees: vec!["Gobierno de Cuba".into(), "Santa Sede".into()],
        date: Some(date("2025-01-20")),
        closed_at: None,
        person_ids: vec![],
        announcement_ids: vec![],
    }
}

/// A signature of `email` on statement `id`, in category `category`.
pub fn signing(id: i64, name: &str, email: &str, category: &str, visibility: &str) -> NewSignature {
    let years = if category == "former_prisoner" {
        "9"
    } else {
        ""
    };
    let signature = SignatureDraft {
        name: name.into(),
        email: email.into(),
        category: category.into(),
        years_served: years.into(),
        country: "CU".into(),
        visibility: visibility.into(),
    }
    .parse()
    .unwrap();
    NewSignature {
        statement: id,
        signature,
        lang: "es".into(),
        link_requested: category == "former_prisoner",
        flag: String::new(),
        at: UnixTime(1_767_000_000),
    }
}

fn new_id(t: Taken) -> i64 {
    match t {
        Taken::New(id) => id,
        other => panic!("expected a new signature, got {other:?}"),
    }
}

pub async fn a_statement_is_stored_whole_and_edited_with_an_audit_entry(store: &dyn Store) {
    two_persons(store).await;
    let mut st = open_statement();
    st.person_ids = vec![id("CU-2"), id("CU-1"), id("CU-1")];
    let version = store.version().await.unwrap();
    let sid = store.add_statement(&st, "carla").await.unwrap();
    let back = store.statement(sid).await.unwrap().unwrap();
    assert_eq!(back.id, sid);
    let mut sorted = st.texts.clone();
    sorted.sort_by(|a, b| a.lang.cmp(&b.lang));
    assert_eq!(back.texts, sorted, "texts, sorted by language");
    assert_eq!(back.addressees, st.addressees, "addressees, in order");
    assert_eq!(
        back.person_ids,
        vec![id("CU-1"), id("CU-2")],
        "persons, once each"
    );
    assert_eq!(back.date, st.date);
    assert_eq!(back.closed_at, None);
    assert_eq!(
        store.version().await.unwrap(),
        version,
        "a statement does not move the registry version"
    );
    // Unchanged: nothing written.
    assert!(!store.update_statement(&back, "carla").await.unwrap());
    // Closing records when.
    let closed = Statement {
        status: StatementStatus::Closed,
        ..back.clone()
    };
    assert!(store.update_statement(&closed, "carla").await.unwrap());
    let back = store.statement(sid).await.unwrap().unwrap();
    assert_eq!(back.status, StatementStatus::Closed);
    assert!(back.closed_at.is_some());
    assert_eq!(
        actions(store)
            .await
            .iter()
            .filter(|a| a.starts_with("statement_"))
            .collect::<Vec<_>>(),
        ["statement_added", "statement_updated"]
    );
    // A draft is listed only when drafts are asked for.
    let draft = Statement {
        status: StatementStatus::Draft,
        ..open_statement()
    };
    let did = store.add_statement(&draft, "carla").await.unwrap();
    let public: Vec<i64> = store
        .statements(false)
        .await
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(public, [sid]);
    let all: Vec<i64> = store
        .statements(true)
        .await
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(all, [did, sid], "newest first");
    // What cannot be stored writes nothing.
    let before = actions(store).await.len();
    let untitled = Statement {
        texts: vec![],
        ..open_statement()
    };
    assert!(matches!(
        store.add_statement(&untitled, "carla").await,
        Err(StoreError::Invalid(_))
    ));
    let unknown = Statement {
        person_ids: vec![id("CU-404")],
        ..open_statement()
    };
    assert!(matches!(
        store.add_statement(&unknown, "carla").await,
        Err(StoreError::NotFound(_))
    ));
    let no_announcement = Statement {
        announcement_ids: vec![999],
        ..open_statement()
    };
    assert!(matches!(
        store.add_statement(&no_announcement, "carla").await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(actions(store).await.len(), before);
    assert_eq!(store.statements(true).await.unwrap().len(), 2);
}

pub async fn signatures_are_taken_in_batches_once_per_mailbox_with_their_mail(store: &dyn Store) {
    let sid = store
        .add_statement(&open_statement(), "carla")
        .await
        .unwrap();
    let draft = store
        .add_statement(
            &Statement {
                status: StatementStatus::Draft,
                ..open_statement()
            },
            "carla",
        )
        .await
        .unwrap();
    let version = store.version().await.unwrap();
    let audit = actions(store).await.len();
    let batch = vec![
        signing(
            sid,
            "Ana Pupo",
            "Ana.Pupo@gmail.com",
            "former_prisoner",
            "full_name",
        ),
        signing(sid, "Luis Díaz", "luis@example.org", "relative", "initials"),
        // The same mailbox written another way, in the same batch.
        signing(
            sid,
            "Ana P.",
            "anapupo+firma@googlemail.com",
            "activist_exile",
            "full_name",
        ),
        signing(
            draft,
            "Eva Sosa",
            "eva@example.org",
            "relative",
            "full_name",
        ),
        signing(999, "Nadie", "nadie@example.org", "relative", "full_name"),
    ];
    let taken = store.take_signatures(&batch).await.unwrap();
    let ana = new_id(taken[0]);
    let luis = new_id(taken[1]);
    assert_ne!(ana, luis);
    assert_eq!(taken[2], Taken::Duplicate(ana));
    assert_eq!(taken[3], Taken::NotOpen, "a draft takes no signature");
    assert_eq!(
        taken[4],
        Taken::NotOpen,
        "nor does a statement that does not exist"
    );
    // One confirmation mail each; the duplicate's mail waits behind the
    // first one, so no second mail is queued for it yet.
    let due = store.due_mail(UnixTime(i64::MAX / 2), 100).await.unwrap();
    let mut kinds: Vec<(MailKind, i64)> = due.iter().map(|m| (m.kind, m.signature)).collect();
    kinds.sort_by_key(|k| k.1);
    assert_eq!(kinds, [(MailKind::Confirm, ana), (MailKind::Confirm, luis)]);
    let to_ana = due.iter().find(|m| m.signature == ana).unwrap();
    assert_eq!(to_ana.to, "ana.pupo@gmail.com");
    assert_eq!(to_ana.title, "Libertad para todos los presos políticos");
    assert!(!to_ana.confirmed);
    // Nothing is due before its time; what a mailer took is not given to
    // another (a second process) while it holds it.
    assert!(store.due_mail(UnixTime(0), 100).await.unwrap().is_empty());
    assert!(store
        .due_mail(UnixTime(i64::MAX / 2), 100)
        .await
        .unwrap()
        .is_empty());
    // Once the mails are sent, signing again the same day queues nothing
    // (a mailbox is not flooded); a day later, "already signed".
    let sent: Vec<i64> = due.iter().map(|m| m.id).collect();
    store.settle_mail(&sent, &[], 5).await.unwrap();
    let same_day = signing(sid, "Ana", "ANA.PUPO@gmail.com", "relative", "full_name");
    for _ in 0..3 {
        let again = store
            .take_signatures(std::slice::from_ref(&same_day))
            .await
            .unwrap();
        assert_eq!(again, [Taken::Duplicate(ana)]);
    }
    assert!(store
        .due_mail(UnixTime(i64::MAX / 2), 100)
        .await
        .unwrap()
        .is_empty());
    let next_day = NewSignature {
        at: same_day.at.plus(crate::statements::RESEND_SECS),
        ..same_day
    };
    let again = store.take_signatures(&[next_day]).await.unwrap();
    assert_eq!(again, [Taken::Duplicate(ana)]);
    let due = store.due_mail(UnixTime(i64::MAX / 2), 100).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(
        (due[0].kind, due[0].signature),
        (MailKind::AlreadySigned, ana)
    );
    // A failed send is tried again later, and dropped after its last try.
    store
        .settle_mail(&[], &[(due[0].id, UnixTime(2_000_000_000))], 2)
        .await
        .unwrap();
    assert!(store
        .due_mail(UnixTime(1_999_999_999), 10)
        .await
        .unwrap()
        .is_empty());
    let later = store.due_mail(UnixTime(2_000_000_000), 10).await.unwrap();
    assert_eq!(later[0].attempts, 1);
    store
        .settle_mail(&[], &[(later[0].id, UnixTime(2_000_000_001))], 2)
        .await
        .unwrap();
    assert!(store
        .due_mail(UnixTime(i64::MAX / 2), 10)
        .await
        .unwrap()
        .is_empty());
    // Nothing counts before confirmation; signing is neither audited nor
    // a registry change.
    assert_eq!(store.signature_counts(sid).await.unwrap().total, 0);
    assert_eq!(store.version().await.unwrap(), version);
    assert_eq!(actions(store).await.len(), audit);
}

pub async fn a_confirmation_counts_once_and_the_public_list_shows_what_was_chosen_and_approved(
    store: &dyn Store,
) {
    let sid = store
        .add_statement(&open_statement(), "carla")
        .await
        .unwrap();
    let other = store
        .add_statement(&open_statement(), "carla")
        .await
        .unwrap();
    let taken = store
        .take_signatures(&[
            signing(
                sid,
                "Ana María Pupo",
                "ana@example.org",
                "former_prisoner",
                "full_name",
            ),
            signing(
                sid,
                "Luis Díaz Soto",
                "luis@example.org",
                "relative",
                "initials",
            ),
            signing(
                sid,
                "Eva Sosa",
                "eva@example.org",
                "relative",
                "counted_only",
            ),
            signing(
                sid,
                "Rosa Gil",
                "rosa@example.org",
                "foreign_supporter",
                "full_name",
            ),
        ])
        .await
        .unwrap();
    let ids: Vec<i64> = taken.into_iter().map(new_id).collect();
    let at = UnixTime(1_767_000_100);
    let confirmed = store
        .confirm_signatures(
            &[
                (sid, ids[0]),
                (sid, ids[1]),
                (sid, ids[2]),
                (sid, ids[0]),
                (other, ids[3]),
                (sid, 999_999),
            ],
            at,
        )
        .await
        .unwrap();
    assert_eq!(
        confirmed,
        [
            Confirmation::Confirmed,
            Confirmation::Confirmed,
            Confirmation::Confirmed,
            Confirmation::AlreadyConfirmed,
            Confirmation::Unknown,
            Confirmation::Unknown,
        ],
        "a link of another statement confirms nothing"
    );
    assert_eq!(
        store
            .confirm_signatures(&[(sid, ids[1])], at)
            .await
            .unwrap(),
        [Confirmation::AlreadyConfirmed]
    );
    let counts = store.signature_counts(sid).await.unwrap();
    assert_eq!(counts.total, 3, "Rosa never confirmed");
    assert_eq!(
        counts.by_category,
        [
            (SignerCategory::FormerPrisoner, 1),
            (SignerCategory::Relative, 2)
        ]
    );
    // Names wait for staff.
    assert_eq!(store.public_signature_count(sid).await.unwrap(), 0);
    let (pending, n) = store
        .signatures(sid, SignatureFilter::Unmoderated, 0, 100)
        .await
        .unwrap();
    assert_eq!(n, 2, "the counted-only and the unconfirmed wait for nobody");
    assert!(pending.iter().all(|s| s.confirmed_at == Some(at)));
    let changed = store
        .moderate_signatures(sid, &[ids[0], ids[1], ids[2]], Moderation::Approve, "mod")
        .await
        .unwrap();
    assert_eq!(changed, 3);
    assert!(actions(store)
        .await
        .contains(&"signatures_moderated".to_string()));
    let list = store.public_signatures(sid, 0, 10).await.unwrap();
    let names: Vec<&str> = list.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        ["Ana María Pupo", "L. D. S."],
        "counted-only is never listed"
    );
    assert_eq!(list[0].years, Some(9), "as stated, not verified");
    assert!(!list[0].verified);
    assert_eq!(store.public_signature_count(sid).await.unwrap(), 2);
    // Rejecting a name hides it and keeps it counted; invalidating stops
    // the count.
    store
        .moderate_signatures(sid, &[ids[1]], Moderation::Reject, "mod")
        .await
        .unwrap();
    store
        .moderate_signatures(sid, &[ids[2]], Moderation::Invalidate, "mod")
        .await
        .unwrap();
    assert_eq!(store.public_signature_count(sid).await.unwrap(), 1);
    assert_eq!(store.signature_counts(sid).await.unwrap().total, 2);
    let (invalid, _) = store
        .signatures(sid, SignatureFilter::Invalid, 0, 10)
        .await
        .unwrap();
    assert_eq!(invalid.iter().map(|s| s.id).collect::<Vec<_>>(), [ids[2]]);
    // A decision on a signature of another statement changes nothing.
    let before = actions(store).await.len();
    assert!(matches!(
        store
            .moderate_signatures(other, &[ids[0], ids[3]], Moderation::Invalidate, "mod")
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(actions(store).await.len(), before);
    assert_eq!(store.signature_counts(sid).await.unwrap().total, 2);
}

pub async fn a_registry_link_needs_consent_and_takes_the_years_from_the_timeline(
    store: &dyn Store,
) {
    two_persons(store).await;
    let p = id("CU-1");
    store
        .add_event(&p, &event(EventKind::Arrest, "2010-03-01"), "carla")
        .await
        .unwrap();
    store
        .add_event(
            &p,
            &release("2021-03-01", ReleaseKind::SentenceServed, vec![]),
            "carla",
        )
        .await
        .unwrap();
    let sid = store
        .add_statement(&open_statement(), "carla")
        .await
        .unwrap();
    let ids: Vec<i64> = store
        .take_signatures(&[
            signing(
                sid,
                "Ana Díaz",
                "ana@example.org",
                "former_prisoner",
                "full_name",
            ),
            signing(sid, "Eva Sosa", "eva@example.org", "relative", "full_name"),
        ])
        .await
        .unwrap()
        .into_iter()
        .map(new_id)
        .collect();
    let (asked, _) = store
        .signatures(sid, SignatureFilter::LinkRequested, 0, 10)
        .await
        .unwrap();
    assert_eq!(asked.iter().map(|s| s.id).collect::<Vec<_>>(), [ids[0]]);
    assert!(matches!(
        store
            .link_signature(sid, ids[1], Some(&p), 20261204, "mod")
            .await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store
            .link_signature(sid, ids[0], Some(&id("CU-404")), 20261204, "mod")
            .await,
        Err(StoreError::NotFound(_))
    ));
    store
        .link_signature(sid, ids[0], Some(&p), 20261204, "mod")
        .await
        .unwrap();
    store
        .confirm_signatures(&[(sid, ids[0]), (sid, ids[1])], UnixTime(1_767_000_100))
        .await
        .unwrap();
    store
        .moderate_signatures(sid, &ids, Moderation::Approve, "mod")
        .await
        .unwrap();
    let list = store.public_signatures(sid, 0, 10).await.unwrap();
    assert_eq!(list[0].name, "Ana Díaz", "the verified first");
    assert!(list[0].verified);
    assert_eq!(
        list[0].years,
        Some(11),
        "from the timeline, not the 9 stated"
    );
    assert!(!list[1].verified);
    assert!(actions(store)
        .await
        .contains(&"signature_linked".to_string()));
    // Unlinking shows the stated years again.
    store
        .link_signature(sid, ids[0], None, 20261204, "mod")
        .await
        .unwrap();
    let list = store.public_signatures(sid, 0, 10).await.unwrap();
    assert!(!list.iter().any(|s| s.verified));
}

pub async fn a_closed_statements_signatures_are_anonymised_after_the_period(store: &dyn Store) {
    let sid = store
        .add_statement(&open_statement(), "carla")
        .await
        .unwrap();
    let open = store
        .add_statement(&open_statement(), "carla")
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (st, name, email) in [
        (sid, "Ana Pupo", "ana@example.org"),
        (sid, "Luis Díaz", "luis@example.org"),
        (open, "Eva Sosa", "eva@example.org"),
    ] {
        let t = store
            .take_signatures(&[signing(st, name, email, "relative", "full_name")])
            .await
            .unwrap();
        ids.push((st, new_id(t[0])));
    }
    store
        .confirm_signatures(&ids, UnixTime(1_767_000_100))
        .await
        .unwrap();
    for &(st, sig) in &ids {
        store
            .moderate_signatures(st, &[sig], Moderation::Approve, "mod")
            .await
            .unwrap();
    }
    let mut closed = store.statement(sid).await.unwrap().unwrap();
    closed.status = StatementStatus::Closed;
    store.update_statement(&closed, "carla").await.unwrap();
    let closed_at = store
        .statement(sid)
        .await
        .unwrap()
        .unwrap()
        .closed_at
        .unwrap();
    // Not yet: the period has not run.
    assert_eq!(
        store.anonymise_closed(closed_at, "libres").await.unwrap(),
        0
    );
    let n = store
        .anonymise_closed(closed_at.plus(1), "libres")
        .await
        .unwrap();
    assert_eq!(n, 2, "the closed statement's two, not the open one's");
    let (rows, _) = store
        .signatures(sid, SignatureFilter::All, 0, 10)
        .await
        .unwrap();
    assert!(rows
        .iter()
        .all(|s| s.anonymised && s.name.is_empty() && s.email.is_empty()));
    assert_eq!(
        store.signature_counts(sid).await.unwrap().total,
        2,
        "still counted"
    );
    assert_eq!(
        store.public_signature_count(sid).await.unwrap(),
        0,
        "named no more"
    );
    assert_eq!(store.public_signature_count(open).await.unwrap(), 1);
    assert!(actions(store)
        .await
        .contains(&"signatures_anonymised".to_string()));
    // A second run has nothing left to do.
    assert_eq!(
        store
            .anonymise_closed(closed_at.plus(1), "libres")
            .await
            .unwrap(),
        0
    );
    // A statement with signatures cannot go back to draft.
    let mut back = store.statement(open).await.unwrap().unwrap();
    back.status = StatementStatus::Draft;
    assert!(matches!(
        store.update_statement(&back, "carla").await,
        Err(StoreError::Invalid(_))
    ));
}

pub async fn the_site_key_is_made_once_and_shared(store: &dyn Store) {
    let a = store.site_key("statements").await.unwrap();
    let b = store.site_key("statements").await.unwrap();
    assert_eq!(a, b);
    assert!(a.len() >= 32);
    assert_ne!(a, store.site_key("other").await.unwrap());
}

pub async fn statements_and_signatures_travel_whole_in_a_copy(from: &dyn Store, to: &dyn Store) {
    use crate::snapshot::RegistryDump;
    two_persons(from).await;
    let p = id("CU-1");
    from.add_event(&p, &event(EventKind::Arrest, "2010-03-01"), "carla")
        .await
        .unwrap();
    from.add_event(
        &p,
        &release("2021-03-01", ReleaseKind::SentenceServed, vec![]),
        "carla",
    )
    .await
    .unwrap();
    let announced = from
        .add_announcement(&super::announcements::cuba_553(), "carla")
        .await
        .unwrap();
    let open = from
        .add_statement(
            &Statement {
                person_ids: vec![id("CU-2")],
                announcement_ids: vec![announced],
                ..open_statement()
            },
            "carla",
        )
        .await
        .unwrap();
    let closed = from
        .add_statement(&open_statement(), "carla")
        .await
        .unwrap();
    let mut batch = vec![
        signing(
            open,
            "Ana Díaz",
            "ana@example.org",
            "former_prisoner",
            "full_name",
        ),
        signing(open, "Eva Sosa", "eva@example.org", "relative", "initials"),
        signing(
            open,
            "Flood",
            "x@flood.example",
            "activist_inside",
            "full_name",
        ),
        signing(
            closed,
            "Luis Gil",
            "luis@example.org",
            "relative",
            "full_name",
        ),
    ];
    batch[2].flag = "address_rate".into();
    let ids: Vec<i64> = from
        .take_signatures(&batch)
        .await
        .unwrap()
        .into_iter()
        .map(new_id)
        .collect();
    let pairs: Vec<(i64, i64)> = batch
        .iter()
        .zip(&ids)
        .map(|(b, &i)| (b.statement, i))
        .collect();
    from.confirm_signatures(&pairs[..3], UnixTime(1_767_000_100))
        .await
        .unwrap();
    from.moderate_signatures(open, &ids[..2], Moderation::Approve, "mod")
        .await
        .unwrap();
    from.moderate_signatures(open, &ids[2..3], Moderation::Invalidate, "mod")
        .await
        .unwrap();
    from.link_signature(open, ids[0], Some(&p), 20261204, "mod")
        .await
        .unwrap();
    let mut st = from.statement(closed).await.unwrap().unwrap();
    st.status = StatementStatus::Closed;
    from.update_statement(&st, "carla").await.unwrap();

    let counts = crate::copy(from, to, false).await.unwrap();
    assert_eq!((counts.statements, counts.signatures), (2, 4));
    assert_eq!(crate::compare(from, to).await.unwrap(), Ok(counts));
    let (a, b) = (
        RegistryDump::read(from).await.unwrap(),
        RegistryDump::read(to).await.unwrap(),
    );
    assert!(a.same_registry(&b));
    assert_eq!(a.without_keys(), b.without_keys());
    // What readers and staff see is the same.
    for s in [open, closed] {
        assert_eq!(
            to.statement(s)
                .await
                .unwrap()
                .map(|x| (x.status, x.texts, x.closed_at)),
            from.statement(s)
                .await
                .unwrap()
                .map(|x| (x.status, x.texts, x.closed_at))
        );
        assert_eq!(
            to.signature_counts(s).await.unwrap(),
            from.signature_counts(s).await.unwrap()
        );
        assert_eq!(
            to.public_signatures(s, 0, 10).await.unwrap(),
            from.public_signatures(s, 0, 10).await.unwrap()
        );
    }
    assert!(to.public_signatures(open, 0, 10).await.unwrap()[0].verified);
    // A mailbox still signs once: the copy knows it.
    let again = to
        .take_signatures(&[signing(
            open,
            "Ana",
            "ANA@example.org",
            "relative",
            "full_name",
        )])
        .await
        .unwrap();
    assert!(matches!(again[0], Taken::Duplicate(_)), "{again:?}");
    // Any change is seen.
    let mut changed = a.clone();
    changed.signatures[1].signature.moderation = "rejected".into();
    assert!(!b.same_registry(&changed));
    let mut changed = a.clone();
    changed.statements[0].statement.addressees.pop();
    assert!(!b.same_registry(&changed));
    // A hand-edited dump that signs twice with one mailbox, or signs a
    // statement it lacks, is refused whole.
    let mut twice = a.clone();
    let mut extra = twice.signatures[0].clone();
    extra.signature.id += 100;
    twice.signatures.push(extra);
    assert!(matches!(
        twice.restore_into(to, true).await,
        Err(StoreError::Duplicate(_))
    ));
    let mut orphan = a.clone();
    orphan.signatures[0].signature.statement = 999;
    assert!(matches!(
        orphan.restore_into(to, true).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(
        RegistryDump::read(to).await.unwrap().same_registry(&a),
        "nothing written"
    );
    // A restore makes a new site key: links signed for the registry it
    // replaces confirm nothing in the new one.
    let key = to.site_key("statements").await.unwrap();
    a.restore_into(to, true).await.unwrap();
    assert_ne!(to.site_key("statements").await.unwrap(), key);
}
