//! The edits staff make one record at a time (a detention, a source, an
//! event), and history retention: the workflows over a backend. Each is
//! one transaction that writes the change, the person's history (where it
//! concerns a person), one audit entry without any confidential value,
//! and moves the registry version.

use super::audit::{self, append, Entry};
use super::persons::{record, Change};
use super::{Registry, DUMP_CHUNK};
use crate::backend::{Backend, Table, WriteTx};
use crate::{rows, StoreError, StoreResult};
use libres_core::{Detention, Event, FieldChange, PersonId, Source, UnixTime};
use serde_json::json;

/// The key of `person`, or [`StoreError::NotFound`].
async fn person_key<T: WriteTx>(tx: &mut T, person: &PersonId) -> StoreResult<i64> {
    tx.person_key(person.as_str())
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("person `{person}`")))
}

/// One fresh key of `table`.
async fn one_key<T: WriteTx>(tx: &mut T, table: Table) -> StoreResult<i64> {
    tx.keys(table, 1)
        .await?
        .first()
        .copied()
        .ok_or_else(|| StoreError::Other("allocating keys: no key".into()))
}

/// The names of the fields in `changes`, for an audit entry (never their
/// values).
fn names(changes: &[FieldChange]) -> Vec<&str> {
    changes.iter().map(|c| c.field.as_str()).collect()
}

/// Ends an edit that changed something: the person's history (when the
/// edit concerns a person), the registry version, one audit entry, and
/// the commit.
pub(super) async fn finish<T: WriteTx>(
    mut tx: T,
    actor: &str,
    history: Option<Change<'_>>,
    entry: Entry<'_>,
) -> StoreResult<()> {
    if let Some(change) = history {
        record(&mut tx, actor, &[change]).await?;
    }
    tx.bump_version().await?;
    append(&mut tx, audit::now(), &[entry]).await?;
    tx.commit().await
}

/// The detention `id` of the person with key `person_pk`.
async fn stored_detention<T: WriteTx>(
    tx: &mut T,
    person: &PersonId,
    person_pk: i64,
    id: i64,
) -> StoreResult<Detention> {
    tx.detention(person_pk, id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("detention {id} of `{person}`")))
}

pub(super) async fn add_detention<B: Backend>(
    reg: &Registry<B>,
    person: &PersonId,
    detention: &Detention,
    actor: &str,
) -> StoreResult<i64> {
    let mut tx = reg.backend.write().await?;
    let person_pk = person_key(&mut tx, person).await?;
    let pk = tx.insert_detention(person_pk, detention).await?;
    let stored = Detention {
        id: pk,
        ..detention.clone()
    };
    let change = Change {
        person_id: person.as_str(),
        action: "detention_added",
        changes: stored.creation_changes(),
    };
    let entry = Entry {
        actor,
        action: "detention_added",
        target: person.as_str(),
        details: json!({ "detention": pk }),
    };
    finish(tx, actor, Some(change), entry).await?;
    Ok(pk)
}

pub(super) async fn update_detention<B: Backend>(
    reg: &Registry<B>,
    person: &PersonId,
    detention: &Detention,
    actor: &str,
) -> StoreResult<bool> {
    let mut tx = reg.backend.write().await?;
    let person_pk = person_key(&mut tx, person).await?;
    let old = stored_detention(&mut tx, person, person_pk, detention.id).await?;
    let changes = detention.diff(&old);
    if changes.is_empty() {
        return Ok(false);
    }
    tx.update_detention(detention).await?;
    let entry = Entry {
        actor,
        action: "detention_updated",
        target: person.as_str(),
        details: json!({ "detention": detention.id, "fields": names(&changes) }),
    };
    let change = Change {
        person_id: person.as_str(),
        action: "detention_updated",
        changes,
    };
    finish(tx, actor, Some(change), entry).await?;
    Ok(true)
}

pub(super) async fn delete_detention<B: Backend>(
    reg: &Registry<B>,
    person: &PersonId,
    detention_id: i64,
    actor: &str,
) -> StoreResult<()> {
    let mut tx = reg.backend.write().await?;
    let person_pk = person_key(&mut tx, person).await?;
    let old = stored_detention(&mut tx, person, person_pk, detention_id).await?;
    tx.delete_detention(detention_id).await?;
    // Each field goes from its value to nothing: the history keeps what
    // the detention said.
    let changes = old
        .creation_changes()
        .into_iter()
        .map(|c| FieldChange {
            field: c.field,
            old: c.new,
            new: None,
        })
        .collect();
    let change = Change {
        person_id: person.as_str(),
        action: "detention_deleted",
        changes,
    };
    let entry = Entry {
        actor,
        action: "detention_deleted",
        target: person.as_str(),
        details: json!({ "detention": detention_id }),
    };
    finish(tx, actor, Some(change), entry).await
}

/// What an audit entry says of a source: never its title or address,
/// which are confidential when the source is (a witness's testimony).
fn source_details(pk: i64, s: &Source) -> serde_json::Value {
    json!({
        "source": pk,
        "kind": s.kind.slug(),
        "confidential": s.confidential,
    })
}

/// A source must have a title: it is what staff pick it by.
fn check_source(s: &Source) -> StoreResult<()> {
    if s.title.trim().is_empty() {
        return Err(StoreError::Invalid("a source needs a title".into()));
    }
    Ok(())
}

pub(super) async fn add_source<B: Backend>(
    reg: &Registry<B>,
    source: &Source,
    actor: &str,
) -> StoreResult<i64> {
    check_source(source)?;
    let mut tx = reg.backend.write().await?;
    let pk = one_key(&mut tx, Table::Sources).await?;
    tx.insert_sources(&[(pk, source)]).await?;
    let entry = Entry {
        actor,
        action: "source_added",
        target: "sources",
        details: source_details(pk, source),
    };
    finish(tx, actor, None, entry).await?;
    Ok(pk)
}

pub(super) async fn update_source<B: Backend>(
    reg: &Registry<B>,
    source: &Source,
    actor: &str,
) -> StoreResult<bool> {
    check_source(source)?;
    let mut tx = reg.backend.write().await?;
    let old = tx
        .source(source.id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("source {}", source.id)))?;
    let changed: Vec<&str> = [
        ("url", old.url != source.url),
        ("title", old.title != source.title),
        ("publisher", old.publisher != source.publisher),
        ("date", old.date != source.date),
        ("kind", old.kind != source.kind),
        ("confidential", old.confidential != source.confidential),
    ]
    .into_iter()
    .filter_map(|(name, differs)| differs.then_some(name))
    .collect();
    if changed.is_empty() {
        return Ok(false);
    }
    tx.update_source(source).await?;
    let mut details = source_details(source.id, source);
    details["fields"] = json!(changed);
    if old.confidential != source.confidential {
        details["was_confidential"] = json!(old.confidential);
    }
    let entry = Entry {
        actor,
        action: "source_updated",
        target: "sources",
        details,
    };
    finish(tx, actor, None, entry).await?;
    Ok(true)
}

pub(super) async fn delete_source<B: Backend>(
    reg: &Registry<B>,
    key: i64,
    actor: &str,
) -> StoreResult<()> {
    let mut tx = reg.backend.write().await?;
    let old = tx
        .source(key)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("source {key}")))?;
    match tx.citations(key).await? {
        Some(0) | None => {}
        Some(n) => {
            return Err(StoreError::Invalid(format!(
                "source {key} is cited {n} time{} (by events or announcements): \
                 remove it from them first",
                if n == 1 { "" } else { "s" },
            )))
        }
    }
    tx.delete_source(key).await?;
    let entry = Entry {
        actor,
        action: "source_deleted",
        target: "sources",
        details: source_details(key, &old),
    };
    finish(tx, actor, None, entry).await
}

/// The stored event `id` of the person with key `person_pk`.
async fn stored_event<T: WriteTx>(
    tx: &mut T,
    person: &PersonId,
    person_pk: i64,
    id: i64,
) -> StoreResult<Event> {
    rows::timeline(&tx.timeline_json(person_pk).await?)?
        .into_iter()
        .find(|e| e.id == id)
        .ok_or_else(|| StoreError::NotFound(format!("event {id} of `{person}`")))
}

pub(super) async fn update_event<B: Backend>(
    reg: &Registry<B>,
    person: &PersonId,
    event: &Event,
    actor: &str,
) -> StoreResult<bool> {
    let mut tx = reg.backend.write().await?;
    let person_pk = person_key(&mut tx, person).await?;
    let old = stored_event(&mut tx, person, person_pk, event.id).await?;
    let mut cited = event.source_ids.clone();
    cited.sort_unstable();
    cited.dedup();
    let found = tx.existing_sources(&cited).await?;
    if let Some(missing) = cited.iter().find(|k| !found.contains(k)) {
        return Err(StoreError::NotFound(format!("source {missing}")));
    }
    super::announcements::check_event_links(&mut tx, event).await?;
    let guard =
        super::releases::ReleaseGuard::before(&mut tx, person, person_pk, Some(event)).await?;
    let new = Event {
        source_ids: cited.clone(),
        ..event.clone()
    };
    let mut was_cited = old.source_ids.clone();
    was_cited.sort_unstable();
    was_cited.dedup();
    let mut changes = Vec::new();
    let (was, is) = (old.describe(), new.describe());
    if was != is {
        changes.push(FieldChange {
            field: "event".into(),
            old: Some(was),
            new: Some(is),
        });
    }
    if old.description != new.description {
        changes.push(FieldChange {
            field: "event_description".into(),
            old: old.description.clone(),
            new: new.description.clone(),
        });
    }
    if changes.is_empty() && was_cited == cited {
        return Ok(false);
    }
    tx.update_event(&new).await?;
    let links: Vec<(i64, i64)> = cited.iter().map(|&s| (event.id, s)).collect();
    tx.insert_event_sources(&links).await?;
    guard.after(&mut tx, person, person_pk).await?;
    let mut fields = names(&changes);
    if was_cited != cited {
        fields.push("sources");
    }
    let entry = Entry {
        actor,
        action: "event_changed",
        target: person.as_str(),
        details: json!({
            "event": event.id,
            "kind": event.kind.slug(),
            "sources": cited.len(),
            "fields": fields,
        }),
    };
    let change = (!changes.is_empty()).then(|| Change {
        person_id: person.as_str(),
        action: "event_changed",
        changes,
    });
    finish(tx, actor, change, entry).await?;
    Ok(true)
}

pub(super) async fn delete_event<B: Backend>(
    reg: &Registry<B>,
    person: &PersonId,
    event_id: i64,
    actor: &str,
) -> StoreResult<()> {
    let mut tx = reg.backend.write().await?;
    let person_pk = person_key(&mut tx, person).await?;
    let old = stored_event(&mut tx, person, person_pk, event_id).await?;
    let guard = super::releases::ReleaseGuard::before(&mut tx, person, person_pk, None).await?;
    tx.delete_event(event_id).await?;
    guard.after(&mut tx, person, person_pk).await?;
    let change = Change {
        person_id: person.as_str(),
        action: "event_deleted",
        changes: vec![FieldChange {
            field: "event".into(),
            old: Some(old.describe()),
            new: None,
        }],
    };
    let entry = Entry {
        actor,
        action: "event_deleted",
        target: person.as_str(),
        details: json!({ "event": event_id, "kind": old.kind.slug() }),
    };
    finish(tx, actor, Some(change), entry).await
}

/// `at` as every backend compares it with a stored time: RFC 3339 UTC
/// with milliseconds, which is how SQLite stores times (so that the text
/// comparison is the time comparison) and what PostgreSQL parses.
fn cutoff(at: UnixTime) -> String {
    let secs = at.rfc3339();
    format!("{}.000Z", secs.trim_end_matches('Z'))
}

pub(super) async fn purge_history<B: Backend>(
    reg: &Registry<B>,
    before: UnixTime,
    actor: &str,
) -> StoreResult<u64> {
    let before = cutoff(before);
    let mut tx = reg.backend.write().await?;
    let mut after = 0;
    let mut changed = 0u64;
    loop {
        let page = tx.history_before(&before, after, DUMP_CHUNK).await?;
        let full = page.len() == DUMP_CHUNK;
        for (pk, json) in page {
            after = pk;
            let mut changes: Vec<FieldChange> =
                serde_json::from_str(&json).map_err(|e| StoreError::Corrupt {
                    what: format!("history entry {pk}"),
                    detail: e.to_string(),
                })?;
            if FieldChange::remove_confidential(&mut changes) {
                let json = serde_json::to_string(&changes)
                    .map_err(|e| StoreError::Other(format!("encoding history: {e}")))?;
                tx.set_history_changes(pk, &json).await?;
                changed += 1;
            }
        }
        if !full {
            break;
        }
    }
    if changed > 0 {
        tx.bump_version().await?;
    }
    let entry = Entry {
        actor,
        action: "history_purged",
        target: "history",
        details: json!({ "before": before, "entries": changed }),
    };
    append(&mut tx, audit::now(), &[entry]).await?;
    tx.commit().await?;
    Ok(changed)
}
