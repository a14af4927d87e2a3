//! A whole registry out ([`dump`]) and in ([`restore`]), for `libres copy`.
//!
//! The dump reads every table in one read transaction, so it is one
//! snapshot of the file (WAL readers never see half a commit). The restore
//! is one write transaction: the caller's `BEGIN IMMEDIATE`, so nothing
//! else writes in between, and any error rolls back everything, the
//! deletions of `replace` included.

use crate::rows::{self, PersonColumns};
use crate::{bulk, other};
use libres_core::{
    derive_status, Condition, Detention, EdtfDate, Event, EventKind, Release, ReleaseKind, Source,
    SourceKind,
};
use libres_store::{
    DumpedHistory, DumpedPerson, HistoryEntry, RegistryDump, StoreError, StoreResult,
    RESTORE_NOT_EMPTY,
};
use serde::Deserialize;
use sqlx::sqlite::SqliteConnection;
use sqlx::{QueryBuilder, Row, Sqlite, Transaction};
use std::collections::{HashMap, HashSet};

/// Rows per statement (the person row has 21 columns; SQLite allows 32,766
/// bound values per statement).
const ROWS: usize = 500;

use libres_store::decode::corrupt;

/// Reads the whole registry on `conn`, which must be inside a transaction.
pub(crate) async fn dump(conn: &mut SqliteConnection) -> StoreResult<RegistryDump> {
    let t = std::time::Instant::now();
    let synthetic = sqlx::query("SELECT value FROM registry_meta WHERE key = 'synthetic'")
        .fetch_optional(&mut *conn)
        .await
        .map_err(other("reading the registry flags"))?
        .map(|r| r.try_get::<i64, _>("value"))
        .transpose()
        .map_err(other("reading the registry flags"))?
        .is_some_and(|v| v != 0);
    let person_rows = sqlx::query(&format!(
        "SELECT pk, created_at, updated_at, {} FROM persons ORDER BY id",
        rows::PERSON_COLUMNS
    ))
    .fetch_all(&mut *conn)
    .await
    .map_err(other("reading persons"))?;
    let mut persons = Vec::with_capacity(person_rows.len());
    let mut by_pk = HashMap::with_capacity(person_rows.len());
    for r in &person_rows {
        let pk: i64 = r.try_get("pk").map_err(other("reading persons"))?;
        by_pk.insert(pk, persons.len());
        persons.push(DumpedPerson {
            person: rows::person(r)?,
            status: libres_core::Status::Unknown,
            created_at: r.try_get("created_at").map_err(other("reading persons"))?,
            updated_at: r.try_get("updated_at").map_err(other("reading persons"))?,
            detentions: Vec::new(),
            events: Vec::new(),
        });
    }
    drop(person_rows);
    tracing::debug!(elapsed = ?t.elapsed(), "dump: persons");
    // Child rows travel as JSON arrays built by SQLite, a few hundred rows
    // per array: every row sqlx hands over costs a trip through its worker
    // thread, which made a dump of a large registry several times slower
    // than the queries themselves.
    let owner = |pk: i64, what: &str| -> StoreResult<usize> {
        by_pk.get(&pk).copied().ok_or_else(|| {
            corrupt(
                what,
                format!("a row of person key {pk}, who does not exist"),
            )
        })
    };
    for list in json_chunks(
        conn,
        "SELECT json_group_array(json_object('person_pk', person_pk, 'pk', pk, \
         'arrest_date', arrest_date, 'arrest_place', arrest_place, 'authority', authority, \
         'charges', charges, 'court', court, 'sentence', sentence, \
         'sentence_months', sentence_months, 'prison', prison) ORDER BY person_pk, pk) AS list \
         FROM detentions GROUP BY person_pk / 256 ORDER BY person_pk / 256",
        "detentions",
    )
    .await?
    {
        for d in serde_json::from_str::<Vec<DetentionJson>>(&list)
            .map_err(|e| corrupt("detentions", e))?
        {
            let i = owner(d.person_pk, "detention")?;
            persons[i].detentions.push(d.into_detention()?);
        }
    }
    for list in json_chunks(
        conn,
        "SELECT json_group_array(json_object('person_pk', person_pk, 'pk', pk, 'kind', kind, \
         'date', date, 'release_kind', release_kind, 'conditions', conditions, 'place', place, \
         'description', description, 'source_pks', \
         (SELECT group_concat(source_pk, '|') FROM \
            (SELECT source_pk FROM event_sources WHERE event_pk = e.pk ORDER BY source_pk))) \
         ORDER BY person_pk, date_earliest, date_latest, date, pk) AS list \
         FROM events e GROUP BY person_pk / 256 ORDER BY person_pk / 256",
        "events",
    )
    .await?
    {
        for e in serde_json::from_str::<Vec<EventJson>>(&list).map_err(|e| corrupt("events", e))? {
            let i = owner(e.person_pk, "event")?;
            persons[i].events.push(e.into_event()?);
        }
    }
    tracing::debug!(elapsed = ?t.elapsed(), "dump: detentions and events");
    for p in &mut persons {
        p.status = derive_status(&p.events);
    }
    let mut sources = Vec::new();
    for list in json_chunks(
        conn,
        "SELECT json_group_array(json_object('pk', pk, 'url', url, 'title', title, \
         'publisher', publisher, 'date', date, 'kind', kind, 'confidential', confidential) \
         ORDER BY pk) AS list FROM sources GROUP BY pk / 1024 ORDER BY pk / 1024",
        "sources",
    )
    .await?
    {
        for s in
            serde_json::from_str::<Vec<SourceJson>>(&list).map_err(|e| corrupt("sources", e))?
        {
            sources.push(s.into_source()?);
        }
    }
    tracing::debug!(elapsed = ?t.elapsed(), "dump: sources");
    let mut history = Vec::new();
    for list in json_chunks(
        conn,
        "SELECT json_group_array(json_object('person_id', person_id, 'at', at, 'actor', actor, \
         'action', action, 'changes', changes) ORDER BY pk) AS list \
         FROM person_history GROUP BY pk / 1024 ORDER BY pk / 1024",
        "history",
    )
    .await?
    {
        for h in
            serde_json::from_str::<Vec<HistoryJson>>(&list).map_err(|e| corrupt("history", e))?
        {
            history.push(DumpedHistory {
                person_id: h.person_id,
                entry: HistoryEntry {
                    at: h.at,
                    actor: h.actor,
                    action: h.action,
                    changes: serde_json::from_str(&h.changes)
                        .map_err(|e| corrupt("history entry", e))?,
                },
            });
        }
    }
    tracing::debug!(elapsed = ?t.elapsed(), "dump: history");
    Ok(RegistryDump {
        synthetic,
        persons,
        sources,
        history,
    })
}

/// The `list` column of every row of `sql`: JSON arrays of rows.
async fn json_chunks(
    conn: &mut SqliteConnection,
    sql: &str,
    what: &str,
) -> StoreResult<Vec<String>> {
    sqlx::query(sql)
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| StoreError::Other(format!("reading {what}: {e}")))?
        .iter()
        .map(|r| r.try_get("list").map_err(|e| corrupt(what, e)))
        .collect()
}

/// A detention row as the dump's JSON carries it.
#[derive(Deserialize)]
struct DetentionJson {
    person_pk: i64,
    pk: i64,
    arrest_date: Option<String>,
    arrest_place: Option<String>,
    authority: Option<String>,
    charges: String,
    court: Option<String>,
    sentence: Option<String>,
    sentence_months: Option<i64>,
    prison: Option<String>,
}

impl DetentionJson {
    fn into_detention(self) -> StoreResult<Detention> {
        Ok(Detention {
            id: self.pk,
            arrest_date: libres_store::decode::date(self.arrest_date)?,
            arrest_place: self.arrest_place,
            authority: self.authority,
            charges: rows::split(&self.charges).map(str::to_owned).collect(),
            court: self.court,
            sentence: self.sentence,
            sentence_months: self
                .sentence_months
                .map(|m| u32::try_from(m).map_err(|e| corrupt("sentence_months", e)))
                .transpose()?,
            prison: self.prison,
        })
    }
}

/// An event row as the dump's JSON carries it.
#[derive(Deserialize)]
struct EventJson {
    person_pk: i64,
    pk: i64,
    kind: String,
    date: String,
    release_kind: Option<String>,
    conditions: String,
    place: Option<String>,
    description: Option<String>,
    source_pks: Option<String>,
}

impl EventJson {
    fn into_event(self) -> StoreResult<Event> {
        let release = self
            .release_kind
            .map(|k| {
                Ok::<_, StoreError>(Release {
                    kind: ReleaseKind::from_slug(&k).ok_or_else(|| corrupt("release kind", &k))?,
                    conditions: rows::split(&self.conditions)
                        .map(|c| Condition::from_slug(c).ok_or_else(|| corrupt("condition", c)))
                        .collect::<StoreResult<_>>()?,
                })
            })
            .transpose()?;
        Ok(Event {
            id: self.pk,
            kind: EventKind::from_slug(&self.kind)
                .ok_or_else(|| corrupt("event kind", &self.kind))?,
            date: EdtfDate::parse(&self.date).map_err(|e| corrupt("event date", e))?,
            release,
            place: self.place,
            description: self.description,
            source_ids: rows::split(self.source_pks.as_deref().unwrap_or(""))
                .map(|k| k.parse().map_err(|e| corrupt("event source", e)))
                .collect::<StoreResult<Vec<i64>>>()?,
        })
    }
}

/// A source row as the dump's JSON carries it.
#[derive(Deserialize)]
struct SourceJson {
    pk: i64,
    url: Option<String>,
    title: String,
    publisher: Option<String>,
    date: Option<String>,
    kind: String,
    confidential: i64,
}

impl SourceJson {
    fn into_source(self) -> StoreResult<Source> {
        Ok(Source {
            id: self.pk,
            url: self.url,
            title: self.title,
            publisher: self.publisher,
            date: libres_store::decode::date(self.date)?,
            kind: SourceKind::from_slug(&self.kind)
                .ok_or_else(|| corrupt("source kind", &self.kind))?,
            confidential: self.confidential != 0,
        })
    }
}

/// A history row as the dump's JSON carries it.
#[derive(Deserialize)]
struct HistoryJson {
    person_id: String,
    at: String,
    actor: String,
    action: String,
    changes: String,
}

/// Writes `dump` inside `tx`, which holds the write lock (see the module
/// documentation). The caller commits.
pub(crate) async fn restore(
    tx: &mut Transaction<'_, Sqlite>,
    dump: &RegistryDump,
    replace: bool,
) -> StoreResult<()> {
    let holds_anything: bool = sqlx::query(
        "SELECT EXISTS (SELECT 1 FROM persons) OR EXISTS (SELECT 1 FROM sources) \
         OR EXISTS (SELECT 1 FROM person_history) AS busy",
    )
    .fetch_one(&mut **tx)
    .await
    .map_err(other("checking whether the registry is empty"))?
    .try_get("busy")
    .map_err(other("checking whether the registry is empty"))?;
    if holds_anything && !replace {
        return Err(StoreError::Conflict(RESTORE_NOT_EMPTY.into()));
    }
    // Children first: event_sources has no ON DELETE CASCADE towards
    // sources. Nothing here is visible to anyone before the commit.
    for table in [
        "event_sources",
        "events",
        "detentions",
        "sources",
        "persons",
        "person_history",
    ] {
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(&mut **tx)
            .await
            .map_err(other("emptying the registry"))?;
    }
    sqlx::query("DELETE FROM registry_meta WHERE key = 'synthetic'")
        .execute(&mut **tx)
        .await
        .map_err(other("emptying the registry"))?;
    crate::bump_version(tx).await?;

    // Persons, checked for duplicate ids (the UNIQUE index would catch them
    // too, but without saying which id).
    let mut seen = HashSet::with_capacity(dump.persons.len());
    for p in &dump.persons {
        if !seen.insert(p.person.id.as_str()) {
            return Err(StoreError::Conflict(format!(
                "the registry to restore holds the person id `{}` twice",
                p.person.id
            )));
        }
    }
    let first_person = bulk::next_pk(tx, "persons").await?;
    let person_pk = |i: usize| first_person + i as i64;
    insert_persons(tx, dump, first_person).await?;

    // Sources keep their order; their keys are renumbered from the next
    // free one, and every reference follows.
    let mut source_ids: Vec<i64> = dump.sources.iter().map(|s| s.id).collect();
    source_ids.sort_unstable();
    if let Some(w) = source_ids.windows(2).find(|w| w[0] == w[1]) {
        return Err(StoreError::Conflict(format!(
            "the registry to restore holds the source id {} twice",
            w[0]
        )));
    }
    let first_source = bulk::next_pk(tx, "sources").await?;
    let source_pk: HashMap<i64, i64> = source_ids
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, first_source + i as i64))
        .collect();
    let sources: Vec<(i64, &Source)> = dump.sources.iter().map(|s| (source_pk[&s.id], s)).collect();
    bulk::insert_sources(tx, &sources).await?;

    let detentions: Vec<(i64, &Detention)> = dump
        .persons
        .iter()
        .enumerate()
        .flat_map(|(i, p)| p.detentions.iter().map(move |d| (person_pk(i), d)))
        .collect();
    bulk::insert_detentions(tx, &detentions).await?;

    let mut event_pk = bulk::next_pk(tx, "events").await?;
    let mut events = Vec::new();
    let mut links = Vec::new();
    for (i, p) in dump.persons.iter().enumerate() {
        for e in &p.events {
            events.push((event_pk, person_pk(i), e));
            for s in &e.source_ids {
                let pk = source_pk.get(s).ok_or_else(|| {
                    StoreError::Other(format!(
                        "an event of person `{}` cites source {s}, which the registry to \
                         restore does not hold",
                        p.person.id
                    ))
                })?;
                links.push((event_pk, *pk));
            }
            event_pk += 1;
        }
    }
    bulk::insert_events(tx, &events).await?;
    bulk::insert_event_sources(tx, &links).await?;
    insert_history(tx, &dump.history).await?;
    if dump.synthetic {
        sqlx::query("INSERT INTO registry_meta (key, value) VALUES ('synthetic', 1)")
            .execute(&mut **tx)
            .await
            .map_err(other("marking the registry synthetic"))?;
    }
    Ok(())
}

/// Inserts the persons of `dump` with keys from `first_pk` on, their
/// timestamps kept.
async fn insert_persons(
    tx: &mut Transaction<'_, Sqlite>,
    dump: &RegistryDump,
    first_pk: i64,
) -> StoreResult<()> {
    for (n, chunk) in dump.persons.chunks(ROWS).enumerate() {
        let mut b = QueryBuilder::<Sqlite>::new(
            "INSERT INTO persons (pk, id, given_names, surname1, surname2, aliases, sex, birth_date, \
             nationalities, country, province, occupation, summary, publish, private_notes, \
             family_contact, status, search_text, sort_key, created_at, updated_at) ",
        );
        let base = first_pk + (n * ROWS) as i64;
        b.push_values(chunk.iter().enumerate(), |mut row, (i, d)| {
            let p = &d.person;
            let v = PersonColumns::from(p);
            row.push_bind(base + i as i64)
                .push_bind(p.id.to_string())
                .push_bind(p.given_names.clone())
                .push_bind(p.surname1.clone())
                .push_bind(p.surname2.clone())
                .push_bind(v.aliases)
                .push_bind(v.sex)
                .push_bind(v.birth_date)
                .push_bind(v.nationalities)
                .push_bind(p.country.to_string())
                .push_bind(p.province.clone())
                .push_bind(p.occupation.clone())
                .push_bind(p.summary.clone())
                .push_bind(p.publish)
                .push_bind(p.private_notes.clone())
                .push_bind(p.family_contact.clone())
                .push_bind(derive_status(&d.events).slug())
                .push_bind(p.search_text())
                .push_bind(p.sort_key())
                .push_bind(d.created_at.clone())
                .push_bind(d.updated_at.clone());
        });
        match b.build().execute(&mut **tx).await {
            Ok(_) => {}
            Err(sqlx::Error::Database(db)) if db.is_unique_violation() => {
                return Err(StoreError::Conflict(
                    "the registry to restore holds a person id twice".into(),
                ))
            }
            Err(e) => return Err(other("inserting persons")(e)),
        }
    }
    Ok(())
}

/// Inserts history entries as they are, in order.
async fn insert_history(
    tx: &mut Transaction<'_, Sqlite>,
    history: &[DumpedHistory],
) -> StoreResult<()> {
    for chunk in history.chunks(ROWS) {
        let mut encoded = Vec::with_capacity(chunk.len());
        for h in chunk {
            let json = serde_json::to_string(&h.entry.changes)
                .map_err(|e| StoreError::Other(format!("encoding history: {e}")))?;
            encoded.push((h, json));
        }
        let mut b = QueryBuilder::<Sqlite>::new(
            "INSERT INTO person_history (person_id, at, actor, action, changes) ",
        );
        b.push_values(encoded, |mut row, (h, json)| {
            row.push_bind(h.person_id.clone())
                .push_bind(h.entry.at.clone())
                .push_bind(h.entry.actor.clone())
                .push_bind(h.entry.action.clone())
                .push_bind(json);
        });
        b.build()
            .execute(&mut **tx)
            .await
            .map_err(other("recording history"))?;
    }
    Ok(())
}
