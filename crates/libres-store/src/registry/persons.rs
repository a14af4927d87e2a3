//! Reading and writing persons: the workflows over a backend.

use super::audit::{self, append, Entry};
use super::{edits, Registry, DUMP_CHUNK, WRITE_BATCH};
use crate::backend::{Backend, NewHistory, NewPerson, Persons, ReadTx, Table, WriteTx};
use crate::records::{
    CaseBundle, HistoryEntry, PersonPage, PersonQuery, PersonRecord, SourceUse, StatusCount,
    UpsertSummary,
};
use crate::search_index::IndexQuery;
use crate::{rows, PersonBatches, PersonReads, PersonSink, PersonWrites, StoreError, StoreResult};
use async_trait::async_trait;
use libres_core::{
    derive_status, Detention, Event, FieldChange, Person, PersonId, Source, Status, UnixTime,
};
use serde_json::json;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// Person ids an audit entry of new cases names at most (the rest are in
/// the person history).
const AUDIT_IDS: usize = 100;

/// Other queries a search that found nothing offers at most.
const SUGGESTIONS: usize = 3;

/// Fields the person CSV never carries: an import keeps what is stored.
const NOT_IN_CSV: &[&str] = &["aliases", "occupation", "summary"];

#[async_trait]
impl<B: Backend> PersonReads for Registry<B> {
    async fn get_person(&self, id: &PersonId) -> StoreResult<Option<PersonRecord>> {
        self.backend
            .case(id.as_str(), false)
            .await?
            .map(rows::case)
            .transpose()
    }

    async fn get_published_person(&self, id: &PersonId) -> StoreResult<Option<PersonRecord>> {
        self.backend
            .case(id.as_str(), true)
            .await?
            .map(rows::case)
            .transpose()
    }

    async fn search_persons(&self, query: &PersonQuery) -> StoreResult<PersonPage> {
        let terms = query
            .q
            .as_deref()
            .map(libres_core::text::terms)
            .unwrap_or_default();
        let per_page = query.per_page.clamp(1, 1000);
        let page = query.page.max(1);
        let index = self.search_index().await?;
        let (total, ranks) = index.search_ranks(&IndexQuery {
            terms: &terms,
            country: query.country,
            status: query.status,
            include_unpublished: query.include_unpublished,
            offset: u64::from(page - 1) * u64::from(per_page),
            limit: u64::from(per_page),
        });
        let page_rows: Vec<_> = ranks.iter().filter_map(|r| index.row(*r)).collect();
        let keys: Vec<i64> = page_rows.iter().map(|(k, _)| *k).collect();
        let mut items = Vec::with_capacity(keys.len());
        if !keys.is_empty() {
            // The index may be a moment older than the rows: never let a
            // person unpublished in between slip into a public list.
            let found = self
                .backend
                .summaries(&keys, !query.include_unpublished)
                .await?;
            let mut by_key: HashMap<i64, _> = rows::summaries(found)?.into_iter().collect();
            // A write between the index's version and these rows could
            // have given a key to someone else (SQLite reuses the largest
            // key after a delete): the index's detention is shown only
            // when the registry has not moved since.
            let same = self.backend.version().await? == index.version();
            for (key, latest) in &page_rows {
                if let Some(mut s) = by_key.remove(key) {
                    if !same {
                        items.push(s);
                        continue;
                    }
                    s.arrest_date = latest
                        .arrest_date
                        .and_then(|d| libres_core::EdtfDate::parse(d).ok());
                    // Where the disappeared are held is not known,
                    // whatever was recorded before.
                    if s.status != Status::Disappeared {
                        s.prison = latest.prison.map(str::to_owned);
                    }
                    items.push(s);
                }
            }
        }
        // Only suggestions that find someone under the same filters. The
        // comparisons with every word run off the async workers.
        let suggestions = if total == 0 && !terms.is_empty() {
            let index = Arc::clone(&index);
            let (country, status, unpublished) =
                (query.country, query.status, query.include_unpublished);
            tokio::task::spawn_blocking(move || {
                index
                    .suggest(&terms, unpublished, 4 * SUGGESTIONS)
                    .into_iter()
                    .filter(|s| {
                        let terms = libres_core::text::terms(s);
                        let (found, _) = index.search(&IndexQuery {
                            terms: &terms,
                            country,
                            status,
                            include_unpublished: unpublished,
                            offset: 0,
                            limit: 0,
                        });
                        found > 0
                    })
                    .take(SUGGESTIONS)
                    .collect()
            })
            .await
            .map_err(|e| StoreError::Other(format!("suggesting names: {e}")))?
        } else {
            Vec::new()
        };
        Ok(PersonPage {
            items,
            total,
            page,
            per_page,
            suggestions,
        })
    }

    async fn status_counts(&self, published_only: bool) -> StoreResult<Vec<StatusCount>> {
        rows::status_counts(&self.backend.status_counts_json(published_only).await?)
    }

    async fn person_history(&self, id: &PersonId) -> StoreResult<Vec<HistoryEntry>> {
        rows::history(&self.backend.history_json(id.as_str()).await?)
    }

    async fn sources(&self, after_key: i64, limit: usize) -> StoreResult<Vec<SourceUse>> {
        let mut tx = self.backend.snapshot().await?;
        let found = crate::sql::edit::sources_in_use(&mut tx, after_key, limit, None).await?;
        Ok(found.into_iter().map(source_use).collect())
    }

    async fn source(&self, key: i64) -> StoreResult<Option<SourceUse>> {
        let mut tx = self.backend.snapshot().await?;
        let found = crate::sql::edit::sources_in_use(&mut tx, i64::MIN, 1, Some(key)).await?;
        Ok(found.into_iter().next().map(source_use))
    }

    async fn export_persons(
        &self,
        public_only: bool,
        sink: &mut dyn PersonSink,
    ) -> StoreResult<u64> {
        let mut tx = self.backend.snapshot().await?;
        let which = if public_only {
            Persons::Published
        } else {
            Persons::All
        };
        let mut after = String::new();
        let mut count = 0u64;
        loop {
            let json = tx.persons_json(which, &after, DUMP_CHUNK).await?;
            let mut chunk = rows::exported(&json)?;
            let Some((last, _)) = chunk.last() else { break };
            after = last.id.to_string();
            let full = chunk.len() == DUMP_CHUNK;
            if public_only {
                // The statement filters already; redacting here too means
                // a backend bug cannot leak a relative's phone.
                chunk.retain(|(p, _)| p.publish);
                for (p, _) in &mut chunk {
                    *p = p.redacted();
                }
            }
            count += chunk.len() as u64;
            sink.put(chunk).await?;
            if !full {
                break;
            }
        }
        Ok(count)
    }
}

/// The history entry of a person created or changed by a write.
pub(super) struct Change<'a> {
    pub(super) person_id: &'a str,
    pub(super) action: &'static str,
    pub(super) changes: Vec<FieldChange>,
}

/// Records `entries` under `actor`.
pub(super) async fn record<T: WriteTx>(
    tx: &mut T,
    actor: &str,
    entries: &[Change<'_>],
) -> StoreResult<()> {
    let encoded = entries
        .iter()
        .map(|c| {
            serde_json::to_string(&c.changes)
                .map_err(|e| StoreError::Other(format!("encoding history: {e}")))
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let rows: Vec<NewHistory<'_>> = entries
        .iter()
        .zip(&encoded)
        .map(|(c, json)| NewHistory {
            person_id: c.person_id,
            at: None,
            actor,
            action: c.action,
            changes: json,
        })
        .collect();
    tx.insert_history(&rows).await
}

/// The stored persons among `ids`, by id.
async fn stored<T: WriteTx>(tx: &mut T, ids: &[&str]) -> StoreResult<HashMap<String, Person>> {
    let mut found = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(DUMP_CHUNK) {
        for (_, p) in rows::persons(&tx.persons_by_id_json(chunk).await?)? {
            found.insert(p.id.to_string(), p);
        }
    }
    Ok(found)
}

/// A source and its count of citing events, as read.
fn source_use((source, citations): (Source, i64)) -> SourceUse {
    SourceUse {
        source,
        citations: u64::try_from(citations).unwrap_or(0),
    }
}

#[async_trait]
impl<B: Backend> PersonWrites for Registry<B> {
    async fn import_persons(
        &self,
        batches: &mut dyn PersonBatches,
        keep: &[&str],
        actor: &str,
    ) -> StoreResult<UpsertSummary> {
        if let Some(bad) = keep.iter().find(|k| !Person::FIELD_NAMES.contains(k)) {
            return Err(StoreError::Invalid(format!(
                "unknown person field `{bad}` asked to be kept"
            )));
        }
        let mut tx = self.backend.write().await?;
        let mut seen: HashSet<String> = HashSet::new();
        let mut summary = UpsertSummary::default();
        let mut fields = BTreeSet::new();
        while let Some(batch) = batches.next_batch().await? {
            for p in &batch {
                if !seen.insert(p.id.to_string()) {
                    return Err(StoreError::Duplicate(format!("the id `{}`", p.id)));
                }
            }
            for chunk in batch.chunks(WRITE_BATCH) {
                upsert_chunk(&mut tx, chunk, keep, actor, &mut summary, &mut fields).await?;
            }
        }
        if summary.created + summary.updated > 0 {
            tx.bump_version().await?;
        }
        // One entry for the whole import: the names of the fields it set
        // or changed (confidential ones included), never their values; the
        // person history holds who changed what, person by person.
        let entry = Entry {
            actor,
            action: "persons_imported",
            target: "persons",
            details: json!({
                "created": summary.created,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
                "fields": fields,
            }),
        };
        append(&mut tx, audit::now(), &[entry]).await?;
        tx.commit().await?;
        self.backend
            .wrote((summary.created + summary.updated) as usize)
            .await;
        Ok(summary)
    }

    async fn update_person(&self, person: &Person, actor: &str) -> StoreResult<bool> {
        let mut tx = self.backend.write().await?;
        let id = person.id.as_str();
        let old = stored(&mut tx, &[id])
            .await?
            .remove(id)
            .ok_or_else(|| StoreError::NotFound(format!("person `{id}`")))?;
        let changes = person.diff(&old);
        if changes.is_empty() {
            return Ok(false);
        }
        tx.update_persons(&[person]).await?;
        let fields: Vec<String> = changes.iter().map(|c| c.field.clone()).collect();
        let change = Change {
            person_id: id,
            action: "updated",
            changes,
        };
        let entry = Entry {
            actor,
            action: "person_updated",
            target: id,
            details: json!({ "fields": fields }),
        };
        edits::finish(tx, actor, Some(change), entry).await?;
        self.backend.wrote(1).await;
        Ok(true)
    }

    async fn insert_cases(&self, cases: &[CaseBundle], actor: &str) -> StoreResult<()> {
        let mut seen = HashSet::with_capacity(cases.len());
        for c in cases {
            if !seen.insert(c.person.id.as_str()) {
                return Err(StoreError::Duplicate(format!("the id `{}`", c.person.id)));
            }
            for e in &c.events {
                if let Some(&pos) = e
                    .source_ids
                    .iter()
                    .find(|&&pos| usize::try_from(pos).map_or(true, |i| i >= c.sources.len()))
                {
                    return Err(StoreError::Invalid(format!(
                        "case `{}`: an event cites source #{pos}, but the case has {} sources",
                        c.person.id,
                        c.sources.len()
                    )));
                }
            }
        }
        let mut tx = self.backend.write().await?;
        let ids: Vec<&str> = cases.iter().map(|c| c.person.id.as_str()).collect();
        if let Some(id) = stored(&mut tx, &ids).await?.keys().min() {
            return Err(StoreError::AlreadyExists(format!(
                "a person with id `{id}`"
            )));
        }
        let n_sources = cases.iter().map(|c| c.sources.len()).sum();
        let n_events = cases.iter().map(|c| c.events.len()).sum();
        let person_pks = tx.keys(Table::Persons, cases.len()).await?;
        let source_pks = tx.keys(Table::Sources, n_sources).await?;
        let event_pks = tx.keys(Table::Events, n_events).await?;
        let (mut source_pks, mut event_pks) = (source_pks.into_iter(), event_pks.into_iter());
        let too_few = || StoreError::Other("allocating keys: too few keys".into());
        let mut persons = Vec::with_capacity(cases.len());
        let mut detentions = Vec::new();
        let mut sources = Vec::with_capacity(n_sources);
        let mut events = Vec::with_capacity(n_events);
        let mut links = Vec::new();
        let mut history = Vec::with_capacity(cases.len());
        for (case, &person_pk) in cases.iter().zip(&person_pks) {
            persons.push(NewPerson {
                pk: person_pk,
                person: &case.person,
                status: derive_status(&case.events),
                created_at: None,
                updated_at: None,
            });
            history.push(Change {
                person_id: case.person.id.as_str(),
                action: "created",
                changes: case.person.creation_changes(),
            });
            detentions.extend(case.detentions.iter().map(|d| (person_pk, d)));
            // Positions in `case.sources` become the keys just allocated.
            let mut case_sources = Vec::with_capacity(case.sources.len());
            for s in &case.sources {
                let pk = source_pks.next().ok_or_else(too_few)?;
                sources.push((pk, s));
                case_sources.push(pk);
            }
            for e in &case.events {
                let event_pk = event_pks.next().ok_or_else(too_few)?;
                events.push((event_pk, person_pk, e));
                for &pos in &e.source_ids {
                    let i = usize::try_from(pos).map_err(|_| too_few())?;
                    links.push((event_pk, *case_sources.get(i).ok_or_else(too_few)?));
                }
            }
        }
        for (_, _, e) in &events {
            super::announcements::check_event_links(&mut tx, e).await?;
        }
        tx.insert_persons(&persons).await?;
        tx.insert_detentions(&detentions).await?;
        tx.insert_sources(&sources).await?;
        tx.insert_events(&events).await?;
        tx.insert_event_sources(&links).await?;
        record(&mut tx, actor, &history).await?;
        tx.bump_version().await?;
        let (target, shown) = match ids.as_slice() {
            [one] => (*one, &ids[..0]),
            _ => ("persons", &ids[..ids.len().min(AUDIT_IDS)]),
        };
        let entry = Entry {
            actor,
            action: "cases_inserted",
            target,
            details: json!({
                "persons": cases.len(),
                "ids": shown,
                "sources": n_sources,
                "events": n_events,
            }),
        };
        append(&mut tx, audit::now(), &[entry]).await?;
        tx.commit().await?;
        self.backend.wrote(cases.len()).await;
        Ok(())
    }

    async fn add_event(&self, person: &PersonId, event: &Event, actor: &str) -> StoreResult<i64> {
        let mut tx = self.backend.write().await?;
        let person_pk = tx
            .person_key(person.as_str())
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("person `{person}`")))?;
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
        let event_pk = *tx
            .keys(Table::Events, 1)
            .await?
            .first()
            .ok_or_else(|| StoreError::Other("allocating keys: no key".into()))?;
        tx.insert_events(&[(event_pk, person_pk, event)]).await?;
        let links: Vec<(i64, i64)> = cited.iter().map(|&s| (event_pk, s)).collect();
        tx.insert_event_sources(&links).await?;
        guard.after(&mut tx, person, person_pk).await?;
        let entry = Change {
            person_id: person.as_str(),
            action: "event_added",
            changes: vec![event.addition_change()],
        };
        record(&mut tx, actor, &[entry]).await?;
        tx.bump_version().await?;
        let entry = Entry {
            actor,
            action: "event_added",
            target: person.as_str(),
            details: json!({
                "event": event_pk,
                "kind": event.kind.slug(),
                "sources": cited.len(),
            }),
        };
        append(&mut tx, audit::now(), &[entry]).await?;
        tx.commit().await?;
        Ok(event_pk)
    }

    async fn add_detention(
        &self,
        person: &PersonId,
        detention: &Detention,
        actor: &str,
    ) -> StoreResult<i64> {
        edits::add_detention(self, person, detention, actor).await
    }

    async fn update_detention(
        &self,
        person: &PersonId,
        detention: &Detention,
        actor: &str,
    ) -> StoreResult<bool> {
        edits::update_detention(self, person, detention, actor).await
    }

    async fn delete_detention(
        &self,
        person: &PersonId,
        detention_id: i64,
        actor: &str,
    ) -> StoreResult<()> {
        edits::delete_detention(self, person, detention_id, actor).await
    }

    async fn add_source(&self, source: &Source, actor: &str) -> StoreResult<i64> {
        edits::add_source(self, source, actor).await
    }

    async fn update_source(&self, source: &Source, actor: &str) -> StoreResult<bool> {
        edits::update_source(self, source, actor).await
    }

    async fn delete_source(&self, key: i64, actor: &str) -> StoreResult<()> {
        edits::delete_source(self, key, actor).await
    }

    async fn update_event(
        &self,
        person: &PersonId,
        event: &Event,
        actor: &str,
    ) -> StoreResult<bool> {
        edits::update_event(self, person, event, actor).await
    }

    async fn delete_event(&self, person: &PersonId, event_id: i64, actor: &str) -> StoreResult<()> {
        edits::delete_event(self, person, event_id, actor).await
    }

    async fn purge_history(&self, before: UnixTime, actor: &str) -> StoreResult<u64> {
        edits::purge_history(self, before, actor).await
    }

    async fn mark_synthetic(&self) -> StoreResult<()> {
        let mut tx = self.backend.write().await?;
        tx.mark_synthetic().await?;
        tx.bump_version().await?;
        let entry = Entry {
            actor: "system",
            action: "registry_marked_synthetic",
            target: "registry",
            details: json!({}),
        };
        append(&mut tx, audit::now(), &[entry]).await?;
        tx.commit().await
    }
}

/// Creates or updates one chunk of an import inside `tx`.
async fn upsert_chunk<T: WriteTx>(
    tx: &mut T,
    persons: &[Person],
    keep: &[&str],
    actor: &str,
    summary: &mut UpsertSummary,
    fields: &mut BTreeSet<String>,
) -> StoreResult<()> {
    let ids: Vec<&str> = persons.iter().map(|p| p.id.as_str()).collect();
    let existing = stored(tx, &ids).await?;
    let mut new = Vec::new();
    let mut changed = Vec::new();
    let mut history = Vec::new();
    for p in persons {
        match existing.get(p.id.as_str()) {
            None => {
                new.push(p);
                let changes = p.creation_changes();
                fields.extend(changes.iter().map(|c| c.field.clone()));
                history.push(Change {
                    person_id: p.id.as_str(),
                    action: "created",
                    changes,
                });
                summary.created += 1;
            }
            Some(old) => {
                // `keep` names what this file left out: keep what is
                // stored for those, and for what no CSV carries.
                let mut merged = p.clone();
                merged
                    .keep_fields_from(old, NOT_IN_CSV)
                    .and_then(|()| merged.keep_fields_from(old, keep))
                    .map_err(|f| StoreError::Invalid(format!("unknown person field `{f}`")))?;
                let changes = merged.diff(old);
                fields.extend(changes.iter().map(|c| c.field.clone()));
                if changes.is_empty() {
                    summary.unchanged += 1;
                } else {
                    history.push(Change {
                        person_id: p.id.as_str(),
                        action: "updated",
                        changes,
                    });
                    changed.push(merged);
                    summary.updated += 1;
                }
            }
        }
    }
    let pks = tx.keys(Table::Persons, new.len()).await?;
    let rows: Vec<NewPerson<'_>> = pks
        .into_iter()
        .zip(new)
        .map(|(pk, person)| NewPerson {
            pk,
            person,
            status: Status::Unknown,
            created_at: None,
            updated_at: None,
        })
        .collect();
    tx.insert_persons(&rows).await?;
    let changed: Vec<&Person> = changed.iter().collect();
    tx.update_persons(&changed).await?;
    record(tx, actor, &history).await
}
