//! The audit chain: every write appends to it in its own transaction, and
//! verification finds any entry altered or deleted behind the store's back.

use super::staff::{email, enrolled, login_at, token, T0};
use super::*;
use crate::{AuditEntry, AuditEvent};
use libres_core::{Role, UnixTime};

/// Every entry of the log.
pub async fn audit_log(store: &dyn Store) -> Vec<AuditEntry> {
    store.audit_entries(0, 100_000).await.unwrap()
}

/// The actions of the log, in order.
pub async fn actions(store: &dyn Store) -> Vec<String> {
    audit_log(store)
        .await
        .into_iter()
        .map(|e| e.action)
        .collect()
}

/// A registry and accounts that have written every kind of entry.
async fn busy(store: &dyn Store) {
    fill_registry(store).await;
    store.mark_synthetic().await.unwrap();
    let (secret, _) = enrolled(store, "ana@example.org", Role::Editor, T0).await;
    token(login_at(store, "ana@example.org", &secret, "192.0.2.1", T0.plus(60)).await);
    let ana = email("ana@example.org");
    store
        .set_role(&ana, Role::Researcher, "cli", T0.plus(90))
        .await
        .unwrap();
    store
        .record(
            &AuditEvent {
                actor: "ana@example.org",
                action: "persons_exported",
                target: "persons",
                details: serde_json::json!({ "format": "csv", "public_only": false }),
            },
            T0.plus(100),
        )
        .await
        .unwrap();
    store.disable_user(&ana, "cli", T0.plus(120)).await.unwrap();
}

pub async fn every_write_appends_to_a_chain_that_verifies(store: &dyn Store) {
    let empty = store.verify_audit(None).await.unwrap();
    assert_eq!(empty.entries, 0);
    assert_eq!(empty.head, (0, crate::audit::GENESIS.to_owned()));
    assert!(empty.broken.is_none());
    busy(store).await;
    assert_eq!(
        actions(store).await,
        [
            "cases_inserted",
            "persons_imported",
            "persons_imported",
            "announcement_added",
            "announcement_added",
            "event_added",
            "named_list_set",
            "name_decided",
            "registry_marked_synthetic",
            "user_added",
            "user_enrolled",
            "login",
            "user_role_changed",
            "persons_exported",
            "user_disabled",
        ]
    );
    let log = audit_log(store).await;
    let seqs: Vec<i64> = log.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=15).collect::<Vec<_>>());
    assert_eq!(log[5].target, "VE-2");
    assert_eq!(log[5].actor, "bob");
    assert_eq!(log[12].details, r#"{"from":"editor","to":"researcher"}"#);
    assert_eq!(log[11].at, T0.plus(60).rfc3339());
    let report = store.verify_audit(None).await.unwrap();
    assert_eq!(report.entries, 15);
    assert!(report.broken.is_none(), "{:?}", report.broken);
    assert_eq!(report.head, (15, log[14].hash.clone()));
    // Anchored at an entry whose hash was written down: still whole.
    let anchored = store.verify_audit(Some((5, &log[4].hash))).await.unwrap();
    assert!(anchored.broken.is_none(), "{:?}", anchored.broken);
    // Paged reads give the same entries.
    let page = store.audit_entries(4, 3).await.unwrap();
    assert_eq!(page, log[4..7]);
}

pub async fn the_audit_log_names_confidential_fields_but_never_their_values(store: &dyn Store) {
    fill_registry(store).await;
    let mut changed = person("CU-3", "Dayami", "Hernández", Some("Cruz"), "CU");
    changed.family_contact = Some("NEW-CONTACT-555".into());
    store.upsert_persons(&[changed], &[], "ana").await.unwrap();
    let log = audit_log(store).await;
    let last = log.last().unwrap();
    assert_eq!(last.action, "persons_imported");
    let details: serde_json::Value = serde_json::from_str(&last.details).unwrap();
    assert_eq!(details["updated"], 1);
    assert_eq!(details["fields"], serde_json::json!(["family_contact"]));
    for e in &log {
        let text = format!("{e:?}");
        for secret in [
            "PRIVATE-NOTE",
            "FAMILY-CONTACT",
            "NEW-CONTACT",
            "Testimonio",
        ] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
}

pub async fn a_failed_write_appends_nothing(store: &dyn Store) {
    fill_registry(store).await;
    let before = audit_log(store).await;
    let dup = store
        .insert_cases(&[case(person("CU-3", "X", "Y", None, "CU"), vec![])], "cli")
        .await;
    assert!(dup.is_err());
    let unknown = store
        .add_event(&id("XX-404"), &event(EventKind::Arrest, "2024"), "cli")
        .await;
    assert!(unknown.is_err());
    store
        .add_user(&email("ana@example.org"), Role::Viewer, "cli", T0)
        .await
        .unwrap();
    let twice = store
        .add_user(&email("ana@example.org"), Role::Viewer, "cli", T0)
        .await;
    assert!(twice.is_err());
    let after = audit_log(store).await;
    assert_eq!(after.len(), before.len() + 1, "only the account added");
    assert!(store.verify_audit(None).await.unwrap().broken.is_none());
}

pub async fn a_restore_is_recorded_in_the_targets_own_chain(from: &dyn Store, to: &dyn Store) {
    fill_registry(from).await;
    to.add_user(&email("ana@example.org"), Role::Admin, "cli", T0)
        .await
        .unwrap();
    let dump = read_all(from).await;
    dump.restore_into(to, false).await.unwrap();
    assert_eq!(actions(to).await, ["user_added", "registry_restored"]);
    let details: serde_json::Value = serde_json::from_str(&audit_log(to).await[1].details).unwrap();
    assert_eq!(details["persons"], 4);
    assert_eq!(details["replace"], false);
    assert!(to.verify_audit(None).await.unwrap().broken.is_none());
}

/// The report of a chain that must be broken, at `seq`.
async fn broken_at(store: &dyn Store, seq: i64) -> String {
    let report = store.verify_audit(None).await.unwrap();
    let broken = report.broken.expect("the chain should be broken");
    assert_eq!(broken.seq, seq, "{}", broken.reason);
    broken.reason
}

pub async fn an_altered_audit_entry_is_found(store: &dyn Store, db: &dyn Instances) {
    busy(store).await;
    db.execute("UPDATE audit_log SET actor = 'someone else' WHERE seq = 4")
        .await;
    broken_at(store, 4).await;
    db.execute("UPDATE audit_log SET actor = 'carla' WHERE seq = 4")
        .await;
    assert!(store.verify_audit(None).await.unwrap().broken.is_none());
    // Details edited, hash left: found at that entry.
    db.execute("UPDATE audit_log SET details = '{}' WHERE seq = 8")
        .await;
    broken_at(store, 8).await;
}

pub async fn an_entry_given_a_new_hash_breaks_the_link_after_it(
    store: &dyn Store,
    db: &dyn Instances,
) {
    busy(store).await;
    let log = audit_log(store).await;
    // A forger alters entry 6 and gives it the hash its new content would
    // have: entry 6 checks out, but entry 7 no longer follows from it.
    let mut forged = log[5].clone();
    forged.actor = "someone else".into();
    let hash = crate::audit::chain_hash(&log[4].hash, &forged);
    db.execute(&format!(
        "UPDATE audit_log SET actor = 'someone else', hash = '{hash}' WHERE seq = 6"
    ))
    .await;
    let reason = broken_at(store, 7).await;
    assert!(reason.contains("entry 6"), "{reason}");
    // A hash simply overwritten is found at its own entry.
    db.execute(&format!(
        "UPDATE audit_log SET hash = '{}' WHERE seq = 3",
        "ab".repeat(32)
    ))
    .await;
    broken_at(store, 3).await;
}

pub async fn a_deleted_audit_entry_is_found(store: &dyn Store, db: &dyn Instances) {
    busy(store).await;
    db.execute("DELETE FROM audit_log WHERE seq = 3").await;
    let reason = broken_at(store, 3).await;
    assert!(reason.contains("missing"), "{reason}");
}

pub async fn deleting_the_newest_audit_entries_is_found(store: &dyn Store, db: &dyn Instances) {
    busy(store).await;
    db.execute("DELETE FROM audit_log WHERE seq >= 10").await;
    let reason = broken_at(store, 10).await;
    assert!(reason.contains("missing"), "{reason}");
    // Appending after the cut does not hide it.
    store
        .add_user(
            &email("eve@example.org"),
            Role::Viewer,
            "cli",
            UnixTime(T0.0 + 500),
        )
        .await
        .unwrap();
    let report = store.verify_audit(None).await.unwrap();
    assert!(report.broken.is_some());
}

pub async fn a_chain_rewritten_whole_fails_its_anchor(store: &dyn Store, db: &dyn Instances) {
    busy(store).await;
    let log = audit_log(store).await;
    // Pretend the operator wrote down entry 5's hash; the database was
    // then emptied of its log and head, as a thorough forger would.
    db.execute("DELETE FROM audit_log").await;
    db.execute(&format!(
        "UPDATE audit_head SET seq = 0, hash = '{}'",
        crate::audit::GENESIS
    ))
    .await;
    assert!(store.verify_audit(None).await.unwrap().broken.is_none());
    let report = store.verify_audit(Some((5, &log[4].hash))).await.unwrap();
    assert_eq!(report.broken.unwrap().seq, 5);
}
