//! Dump and restore over a backend: keyset-paged reads from one snapshot
//! out, chunked writes in one transaction in.

use super::audit::{self, append, Entry};
use super::{Registry, DUMP_CHUNK};
use crate::backend::{Backend, NewHistory, NewPerson, Persons, ReadTx, Table, WriteTx};
use crate::snapshot::{DumpCounts, DumpPart, DumpSink, DumpSource, DumpedName, DumpedStatement};
use crate::sql::announcements::{self as sql, Which};
use crate::{rows, Snapshot, StoreError, StoreResult};
use async_trait::async_trait;
use libres_core::{Detention, Event};

#[async_trait]
impl<B: Backend> Snapshot for Registry<B> {
    async fn dump(&self, sink: &mut dyn DumpSink) -> StoreResult<DumpCounts> {
        let mut tx = self.backend.snapshot().await?;
        let mut counts = DumpCounts::default();
        let (_, synthetic) = tx.meta().await?;
        sink.put(DumpPart::Header { synthetic }).await?;
        let mut after = i64::MIN;
        loop {
            let chunk = rows::sources(&tx.sources_json(after, DUMP_CHUNK).await?)?;
            let Some(last) = chunk.last() else { break };
            after = last.id;
            let full = chunk.len() == DUMP_CHUNK;
            counts.sources += chunk.len() as u64;
            sink.put(DumpPart::Sources(chunk)).await?;
            if !full {
                break;
            }
        }
        let mut after = i64::MIN;
        let mut announced = Vec::new();
        loop {
            let chunk = sql::read(&mut tx, Which::After(after, DUMP_CHUNK)).await?;
            let Some(last) = chunk.last() else { break };
            after = last.id;
            let full = chunk.len() == DUMP_CHUNK;
            counts.announcements += chunk.len() as u64;
            announced.extend(chunk.iter().map(|a| a.id));
            sink.put(DumpPart::Announcements(chunk)).await?;
            if !full {
                break;
            }
        }
        for id in announced {
            let names = sql::names(&mut tx, id, None).await?;
            for chunk in names.chunks(DUMP_CHUNK) {
                counts.names += chunk.len() as u64;
                let part = chunk
                    .iter()
                    .map(|n| DumpedName {
                        announcement: id,
                        name: n.clone(),
                    })
                    .collect();
                sink.put(DumpPart::Names(part)).await?;
            }
        }
        let mut after = String::new();
        loop {
            let json = tx
                .persons_json(Persons::WithTimeline, &after, DUMP_CHUNK)
                .await?;
            let chunk = rows::dumped(&json)?;
            let Some(last) = chunk.last() else { break };
            after = last.person.id.to_string();
            let full = chunk.len() == DUMP_CHUNK;
            counts.persons += chunk.len() as u64;
            counts.detentions += chunk.iter().map(|p| p.detentions.len() as u64).sum::<u64>();
            counts.events += chunk.iter().map(|p| p.events.len() as u64).sum::<u64>();
            sink.put(DumpPart::Persons(chunk)).await?;
            if !full {
                break;
            }
        }
        let mut after = i64::MIN;
        loop {
            let chunk = rows::dumped_history(&tx.history_json(after, DUMP_CHUNK).await?)?;
            let Some((last, _)) = chunk.last() else { break };
            after = *last;
            let full = chunk.len() == DUMP_CHUNK;
            counts.history += chunk.len() as u64;
            sink.put(DumpPart::History(
                chunk.into_iter().map(|(_, h)| h).collect(),
            ))
            .await?;
            if !full {
                break;
            }
        }
        let created = crate::sql::statements::created(&mut tx).await?;
        let statements = crate::sql::statements::read(
            &mut tx,
            crate::sql::statements::Which::All { drafts: true },
        )
        .await?;
        let mut dumped: Vec<DumpedStatement> = statements
            .into_iter()
            .map(|statement| DumpedStatement {
                created_at: created
                    .iter()
                    .find(|(pk, _)| *pk == statement.id)
                    .map_or(0, |(_, at)| *at),
                statement,
            })
            .collect();
        dumped.sort_by_key(|d| d.statement.id);
        for chunk in dumped.chunks(DUMP_CHUNK) {
            counts.statements += chunk.len() as u64;
            sink.put(DumpPart::Statements(chunk.to_vec())).await?;
        }
        let mut after = i64::MIN;
        loop {
            let chunk = crate::sql::statements::dumped(&mut tx, after, DUMP_CHUNK).await?;
            let Some(last) = chunk.last() else { break };
            after = last.signature.id;
            let full = chunk.len() == DUMP_CHUNK;
            counts.signatures += chunk.len() as u64;
            sink.put(DumpPart::Signatures(chunk)).await?;
            if !full {
                break;
            }
        }
        sink.put(DumpPart::End).await?;
        Ok(counts)
    }

    async fn restore(&self, source: &mut dyn DumpSource, replace: bool) -> StoreResult<DumpCounts> {
        let mut tx = self.backend.write().await?;
        // Nothing here is visible to anyone before the commit: readers
        // keep seeing the old registry meanwhile.
        if !tx.clear(replace).await? {
            return Err(StoreError::NotEmpty);
        }
        tx.bump_version().await?;
        let mut restore = Restore::default();
        loop {
            let part = source.next_part().await?.ok_or_else(|| {
                StoreError::Invalid("the registry to restore ended before its end".into())
            })?;
            if restore.step(&mut tx, part).await? {
                break;
            }
        }
        // The audit log is not part of a dump: the target keeps its own
        // chain and records the restore in it.
        let c = restore.counts;
        let entry = Entry {
            actor: "system",
            action: "registry_restored",
            target: "registry",
            details: serde_json::json!({
                "replace": replace,
                "persons": c.persons,
                "detentions": c.detentions,
                "events": c.events,
                "sources": c.sources,
                "announcements": c.announcements,
                "names": c.names,
                "history": c.history,
                "statements": c.statements,
                "signatures": c.signatures,
            }),
        };
        append(&mut tx, audit::now(), &[entry]).await?;
        tx.commit().await?;
        self.backend.wrote(restore.counts.persons as usize).await;
        Ok(restore.counts)
    }
}

/// Where a restore stands in the stream of parts.
#[derive(Default)]
struct Restore {
    /// The stage reached: 0 before the header, then 1 sources, 2
    /// announcements, 3 listed names, 4 persons, 5 history, 6 statements,
    /// 7 signatures. A part of an earlier stage is out of order.
    stage: u8,
    /// The dump's source keys, ascending, and the keys they were given.
    old_sources: Vec<i64>,
    new_sources: Vec<i64>,
    /// The dump's announcement keys, ascending, and the keys they were
    /// given.
    old_announcements: Vec<i64>,
    new_announcements: Vec<i64>,
    /// The dump's statement keys, ascending, and the keys they were given.
    old_statements: Vec<i64>,
    new_statements: Vec<i64>,
    /// The last signature key of the dump, to keep them ascending.
    last_signature: Option<i64>,
    /// The mailboxes that signed each statement, to refuse a second.
    mailboxes: std::collections::HashSet<(i64, String)>,
    counts: DumpCounts,
}

impl Restore {
    fn enter(&mut self, stage: u8, what: &str) -> StoreResult<()> {
        if self.stage == 0 {
            return Err(StoreError::Invalid(
                "the registry to restore has no header".into(),
            ));
        }
        if stage < self.stage {
            return Err(StoreError::Invalid(format!(
                "the registry to restore is out of order: {what} came too late"
            )));
        }
        self.stage = stage;
        Ok(())
    }

    /// Writes one part; true at the end.
    async fn step<T: WriteTx>(&mut self, tx: &mut T, part: DumpPart) -> StoreResult<bool> {
        match part {
            DumpPart::Header { synthetic } => {
                if self.stage != 0 {
                    return Err(StoreError::Invalid(
                        "the registry to restore has two headers".into(),
                    ));
                }
                self.stage = 1;
                if synthetic {
                    tx.mark_synthetic().await?;
                }
            }
            DumpPart::Sources(sources) => {
                self.enter(1, "a source")?;
                for s in &sources {
                    match self.old_sources.last() {
                        Some(&last) if last == s.id => {
                            return Err(StoreError::Duplicate(format!(
                                "the source id {} in the registry to restore",
                                s.id
                            )))
                        }
                        Some(&last) if last > s.id => {
                            return Err(StoreError::Invalid(format!(
                                "the sources to restore are out of order at {}",
                                s.id
                            )))
                        }
                        _ => self.old_sources.push(s.id),
                    }
                }
                // Sources keep their order; their keys are renumbered and
                // every reference follows.
                let keys = tx.keys(Table::Sources, sources.len()).await?;
                let rows: Vec<_> = keys.iter().copied().zip(&sources).collect();
                tx.insert_sources(&rows).await?;
                self.new_sources.extend(keys);
                self.counts.sources += sources.len() as u64;
            }
            DumpPart::Announcements(announcements) => {
                self.enter(2, "an announcement")?;
                for a in &announcements {
                    if self
                        .old_announcements
                        .last()
                        .is_some_and(|&last| last >= a.id)
                    {
                        return Err(StoreError::Invalid(format!(
                            "the announcements to restore are out of order or repeated at {}",
                            a.id
                        )));
                    }
                    // The rules an announcement is stored under hold for
                    // a restored one too: a hand-edited or damaged file is
                    // refused whole, saying which and why.
                    let problems = a.problems();
                    if !problems.is_empty() {
                        let words: Vec<String> = problems.iter().map(ToString::to_string).collect();
                        return Err(StoreError::Invalid(format!(
                            "announcement {} of the registry to restore cannot be stored: {}",
                            a.id,
                            words.join("; ")
                        )));
                    }
                    let mut moved = a.clone();
                    for s in &mut moved.source_ids {
                        let i = self.old_sources.binary_search(s).map_err(|_| {
                            StoreError::Invalid(format!(
                                "announcement {} cites source {s}, which the registry to \
                                 restore does not hold",
                                a.id
                            ))
                        })?;
                        *s = self.new_sources[i];
                    }
                    moved.source_ids.sort_unstable();
                    moved.source_ids.dedup();
                    let pk = sql::insert(tx, &moved).await?;
                    sql::replace_parts(tx, pk, &moved).await?;
                    self.old_announcements.push(a.id);
                    self.new_announcements.push(pk);
                }
                self.counts.announcements += announcements.len() as u64;
            }
            DumpPart::Names(names) => {
                self.enter(3, "a listed name")?;
                for n in &names {
                    let i = self
                        .old_announcements
                        .binary_search(&n.announcement)
                        .map_err(|_| {
                            StoreError::Invalid(format!(
                                "a listed name belongs to announcement {}, which the registry \
                                 to restore does not hold",
                                n.announcement
                            ))
                        })?;
                    sql::insert_names(tx, self.new_announcements[i], std::slice::from_ref(&n.name))
                        .await?;
                }
                self.counts.names += names.len() as u64;
            }
            DumpPart::Persons(persons) => {
                self.enter(4, "a person")?;
                let person_pks = tx.keys(Table::Persons, persons.len()).await?;
                let n_events = persons.iter().map(|p| p.events.len()).sum();
                let mut event_pks = tx.keys(Table::Events, n_events).await?.into_iter();
                let rows: Vec<NewPerson<'_>> = person_pks
                    .iter()
                    .zip(&persons)
                    .map(|(&pk, d)| NewPerson {
                        pk,
                        person: &d.person,
                        status: libres_core::derive_status(&d.events),
                        created_at: Some(&d.created_at),
                        updated_at: Some(&d.updated_at),
                    })
                    .collect();
                match tx.insert_persons(&rows).await {
                    Err(StoreError::AlreadyExists(_)) => {
                        return Err(StoreError::Duplicate(
                            "a person id of the registry to restore".into(),
                        ))
                    }
                    r => r?,
                }
                let detentions: Vec<(i64, &Detention)> = person_pks
                    .iter()
                    .zip(&persons)
                    .flat_map(|(&pk, p)| p.detentions.iter().map(move |d| (pk, d)))
                    .collect();
                tx.insert_detentions(&detentions).await?;
                let mut events = Vec::with_capacity(n_events);
                let mut links = Vec::new();
                for (&person_pk, p) in person_pks.iter().zip(&persons) {
                    for e in &p.events {
                        let event_pk = event_pks.next().ok_or_else(|| {
                            StoreError::Other("allocating keys: too few keys".into())
                        })?;
                        let e = match e.announcement_id {
                            None => std::borrow::Cow::Borrowed(e),
                            Some(a) => {
                                let i = self.old_announcements.binary_search(&a).map_err(|_| {
                                    StoreError::Invalid(format!(
                                        "an event of person `{}` belongs to announcement {a}, \
                                         which the registry to restore does not hold",
                                        p.person.id
                                    ))
                                })?;
                                std::borrow::Cow::Owned(Event {
                                    announcement_id: Some(self.new_announcements[i]),
                                    ..e.clone()
                                })
                            }
                        };
                        for s in &e.source_ids {
                            let i = self.old_sources.binary_search(s).map_err(|_| {
                                StoreError::Invalid(format!(
                                    "an event of person `{}` cites source {s}, which the \
                                     registry to restore does not hold",
                                    p.person.id
                                ))
                            })?;
                            links.push((event_pk, self.new_sources[i]));
                        }
                        events.push((event_pk, person_pk, e));
                    }
                }
                let events: Vec<(i64, i64, &Event)> = events
                    .iter()
                    .map(|(k, p, e)| (*k, *p, e.as_ref()))
                    .collect();
                tx.insert_events(&events).await?;
                tx.insert_event_sources(&links).await?;
                self.counts.persons += persons.len() as u64;
                self.counts.detentions += detentions.len() as u64;
                self.counts.events += events.len() as u64;
            }
            DumpPart::History(history) => {
                self.enter(5, "a history entry")?;
                let encoded = history
                    .iter()
                    .map(|h| {
                        serde_json::to_string(&h.entry.changes)
                            .map_err(|e| StoreError::Other(format!("encoding history: {e}")))
                    })
                    .collect::<StoreResult<Vec<_>>>()?;
                let rows: Vec<NewHistory<'_>> = history
                    .iter()
                    .zip(&encoded)
                    .map(|(h, changes)| NewHistory {
                        person_id: &h.person_id,
                        at: Some(&h.entry.at),
                        actor: &h.entry.actor,
                        action: &h.entry.action,
                        changes,
                    })
                    .collect();
                tx.insert_history(&rows).await?;
                self.counts.history += history.len() as u64;
            }
            DumpPart::Statements(statements) => {
                self.enter(6, "a statement")?;
                for d in &statements {
                    let st = &d.statement;
                    if self
                        .old_statements
                        .last()
                        .is_some_and(|&last| last >= st.id)
                    {
                        return Err(StoreError::Invalid(format!(
                            "the statements to restore are out of order or repeated at {}",
                            st.id
                        )));
                    }
                    let problems = st.problems();
                    if !problems.is_empty() {
                        let words: Vec<String> = problems.iter().map(ToString::to_string).collect();
                        return Err(StoreError::Invalid(format!(
                            "statement {} of the registry to restore cannot be stored: {}",
                            st.id,
                            words.join("; ")
                        )));
                    }
                    let mut moved = st.clone();
                    for a in &mut moved.announcement_ids {
                        let i = self.old_announcements.binary_search(a).map_err(|_| {
                            StoreError::Invalid(format!(
                                "statement {} concerns announcement {a}, which the registry to \
                                 restore does not hold",
                                st.id
                            ))
                        })?;
                        *a = self.new_announcements[i];
                    }
                    let pk = crate::sql::statements::insert(
                        tx,
                        &moved,
                        libres_core::UnixTime(d.created_at),
                    )
                    .await?;
                    crate::sql::statements::replace_parts(tx, pk, &moved).await?;
                    self.old_statements.push(st.id);
                    self.new_statements.push(pk);
                }
                self.counts.statements += statements.len() as u64;
            }
            DumpPart::Signatures(signatures) => {
                self.enter(7, "a signature")?;
                let mut rows = Vec::with_capacity(signatures.len());
                for d in &signatures {
                    let g = &d.signature;
                    if self.last_signature.is_some_and(|last| last >= g.id) {
                        return Err(StoreError::Invalid(format!(
                            "the signatures to restore are out of order or repeated at {}",
                            g.id
                        )));
                    }
                    self.last_signature = Some(g.id);
                    if !["pending", "approved", "rejected"].contains(&g.moderation.as_str()) {
                        return Err(StoreError::Invalid(format!(
                            "signature {} of the registry to restore has the review `{}`, \
                             not pending, approved or rejected",
                            g.id, g.moderation
                        )));
                    }
                    let i = self
                        .old_statements
                        .binary_search(&g.statement)
                        .map_err(|_| {
                            StoreError::Invalid(format!(
                                "signature {} belongs to statement {}, which the registry to \
                             restore does not hold",
                                g.id, g.statement
                            ))
                        })?;
                    if !self.mailboxes.insert((g.statement, d.mailbox.clone())) {
                        return Err(StoreError::Duplicate(format!(
                            "a mailbox that signs statement {} twice in the registry to restore",
                            g.statement
                        )));
                    }
                    rows.push((self.new_statements[i], d));
                }
                crate::sql::statements::insert_dumped(tx, &rows).await?;
                self.counts.signatures += signatures.len() as u64;
            }
            DumpPart::End => {
                if self.stage == 0 {
                    return Err(StoreError::Invalid(
                        "the registry to restore has no header".into(),
                    ));
                }
                return Ok(true);
            }
        }
        Ok(false)
    }
}
