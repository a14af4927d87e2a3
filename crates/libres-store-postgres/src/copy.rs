//! A whole registry out ([`dump`]) and in ([`restore`]), for `libres copy`.
//!
//! The dump reads inside one `REPEATABLE READ READ ONLY` transaction: one
//! snapshot, whatever other instances commit meanwhile. The restore runs in
//! the caller's write transaction (which holds the registry write lock), so
//! any error rolls back everything, the deletions of `replace` included;
//! readers keep seeing the old registry until the commit.
//!
//! Timestamps travel as RFC 3339 UTC text. PostgreSQL keeps microseconds
//! and SQLite writes milliseconds; the text is written with microseconds
//! only when they are not whole milliseconds, so that a registry copied
//! SQLite → PostgreSQL → SQLite comes back with the very same text.

use crate::{bulk, other, rows, Tx};
use libres_core::{derive_status, Detention, Source};
use libres_store::{
    DumpedHistory, DumpedPerson, HistoryEntry, RegistryDump, StoreError, StoreResult,
    RESTORE_NOT_EMPTY,
};
use sqlx::Row;
use std::collections::{HashMap, HashSet};

/// A timestamp column as RFC 3339 UTC text with microseconds (trimmed by
/// [`trim_micros`]).
fn rfc3339(column: &str) -> String {
    format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")
}

/// `…:SS.123000Z` → `…:SS.123Z`: whole milliseconds are written as SQLite
/// writes them.
fn trim_micros(mut s: String) -> String {
    if s.len() > 8 && s.ends_with("000Z") && s.as_bytes()[s.len() - 8] == b'.' {
        s.truncate(s.len() - 4);
        s.push('Z');
    }
    s
}

use libres_store::decode::corrupt;

/// Reads the whole registry inside `tx` (a snapshot).
pub(crate) async fn dump(tx: &mut Tx) -> StoreResult<RegistryDump> {
    let synthetic = sqlx::query("SELECT value FROM registry_meta WHERE key = 'synthetic'")
        .fetch_optional(&mut **tx)
        .await
        .map_err(other("reading the registry flags"))?
        .map(|r| r.try_get::<i64, _>("value"))
        .transpose()
        .map_err(other("reading the registry flags"))?
        .is_some_and(|v| v != 0);
    let person_rows = sqlx::query(&format!(
        "SELECT pk, {} AS created_at, {} AS updated_at, {} FROM persons ORDER BY id",
        rfc3339("created_at"),
        rfc3339("updated_at"),
        rows::PERSON_COLUMNS
    ))
    .fetch_all(&mut **tx)
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
            created_at: trim_micros(r.try_get("created_at").map_err(other("reading persons"))?),
            updated_at: trim_micros(r.try_get("updated_at").map_err(other("reading persons"))?),
            detentions: Vec::new(),
            events: Vec::new(),
        });
    }
    drop(person_rows);
    let owner = |r: &sqlx::postgres::PgRow, what: &str| -> StoreResult<usize> {
        let pk: i64 = r.try_get("person_pk").map_err(|e| corrupt(what, e))?;
        by_pk.get(&pk).copied().ok_or_else(|| {
            corrupt(
                what,
                format!("a row of person key {pk}, who does not exist"),
            )
        })
    };
    // Per person, the same JSON as a case page reads (see `rows`).
    for r in sqlx::query(
        "SELECT person_pk, json_agg(d ORDER BY d.pk)::text AS list FROM \
         (SELECT person_pk, pk, arrest_date, arrest_place, authority, charges, court, sentence, \
         sentence_months, prison FROM detentions) d GROUP BY person_pk",
    )
    .fetch_all(&mut **tx)
    .await
    .map_err(other("reading detentions"))?
    {
        let i = owner(&r, "detention")?;
        let list: String = r.try_get("list").map_err(other("reading detentions"))?;
        persons[i].detentions = rows::detentions(&list)?;
    }
    for r in sqlx::query(
        "SELECT person_pk, json_agg(ev ORDER BY ev.date_earliest, ev.date_latest, \
         ev.date COLLATE \"C\", ev.pk)::text AS list FROM \
         (SELECT person_pk, pk, kind, date, date_earliest, date_latest, release_kind, conditions, \
         place, description, \
         ARRAY(SELECT source_pk FROM event_sources es WHERE es.event_pk = e.pk ORDER BY source_pk) \
         AS source_pks FROM events e) ev GROUP BY person_pk",
    )
    .fetch_all(&mut **tx)
    .await
    .map_err(other("reading events"))?
    {
        let i = owner(&r, "event")?;
        let list: String = r.try_get("list").map_err(other("reading events"))?;
        persons[i].events = rows::events(&list)?;
    }
    for p in &mut persons {
        p.status = derive_status(&p.events);
    }
    let sources: String = sqlx::query(
        "SELECT coalesce(json_agg(s ORDER BY s.pk), '[]')::text AS list FROM \
         (SELECT pk, url, title, publisher, date, kind, confidential FROM sources) s",
    )
    .fetch_one(&mut **tx)
    .await
    .map_err(other("reading sources"))?
    .try_get("list")
    .map_err(other("reading sources"))?;
    let sources = rows::sources(&sources)?;
    let history = sqlx::query(&format!(
        "SELECT person_id, {} AS at, actor, action, changes::text AS changes \
         FROM person_history ORDER BY pk",
        rfc3339("at")
    ))
    .fetch_all(&mut **tx)
    .await
    .map_err(other("reading history"))?
    .iter()
    .map(|r| {
        let changes: String = r.try_get("changes").map_err(other("reading history"))?;
        Ok(DumpedHistory {
            person_id: r.try_get("person_id").map_err(other("reading history"))?,
            entry: HistoryEntry {
                at: trim_micros(r.try_get("at").map_err(other("reading history"))?),
                actor: r.try_get("actor").map_err(other("reading history"))?,
                action: r.try_get("action").map_err(other("reading history"))?,
                changes: serde_json::from_str(&changes).map_err(|e| corrupt("history entry", e))?,
            },
        })
    })
    .collect::<StoreResult<Vec<_>>>()?;
    Ok(RegistryDump {
        synthetic,
        persons,
        sources,
        history,
    })
}

/// `n` fresh keys of `table`, ascending, so that rows keep their order.
async fn ascending_pks(tx: &mut Tx, table: &str, n: usize) -> StoreResult<Vec<i64>> {
    let mut pks = bulk::allocate_pks(tx, table, n).await?;
    pks.sort_unstable();
    Ok(pks)
}

/// Writes `dump` inside `tx`, which holds the registry write lock. The
/// caller commits.
pub(crate) async fn restore(tx: &mut Tx, dump: &RegistryDump, replace: bool) -> StoreResult<()> {
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
    // DELETE rather than TRUNCATE: TRUNCATE would lock every reader of
    // every instance out of the tables until the commit; DELETE lets them
    // keep reading the old registry meanwhile.
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

    let mut seen = HashSet::with_capacity(dump.persons.len());
    for p in &dump.persons {
        if !seen.insert(p.person.id.as_str()) {
            return Err(StoreError::Conflict(format!(
                "the registry to restore holds the person id `{}` twice",
                p.person.id
            )));
        }
    }
    let person_pks = ascending_pks(tx, "persons", dump.persons.len()).await?;
    let persons: Vec<_> = person_pks
        .iter()
        .zip(&dump.persons)
        .map(|(pk, d)| {
            (
                *pk,
                &d.person,
                derive_status(&d.events),
                d.created_at.as_str(),
                d.updated_at.as_str(),
            )
        })
        .collect();
    bulk::insert_persons_with_timestamps(tx, &persons).await?;

    let mut source_ids: Vec<i64> = dump.sources.iter().map(|s| s.id).collect();
    source_ids.sort_unstable();
    if let Some(w) = source_ids.windows(2).find(|w| w[0] == w[1]) {
        return Err(StoreError::Conflict(format!(
            "the registry to restore holds the source id {} twice",
            w[0]
        )));
    }
    let source_pks = ascending_pks(tx, "sources", source_ids.len()).await?;
    let source_pk: HashMap<i64, i64> = source_ids.into_iter().zip(source_pks).collect();
    let sources: Vec<(i64, &Source)> = dump
        .sources
        .iter()
        .filter_map(|s| source_pk.get(&s.id).map(|pk| (*pk, s)))
        .collect();
    bulk::insert_sources(tx, &sources).await?;

    let detentions: Vec<(i64, &Detention)> = person_pks
        .iter()
        .zip(&dump.persons)
        .flat_map(|(pk, p)| p.detentions.iter().map(move |d| (*pk, d)))
        .collect();
    bulk::insert_detentions(tx, &detentions).await?;

    let n_events = dump.persons.iter().map(|p| p.events.len()).sum();
    let mut event_pks = ascending_pks(tx, "events", n_events).await?.into_iter();
    let mut events = Vec::with_capacity(n_events);
    let mut links = Vec::new();
    for (person_pk, p) in person_pks.iter().zip(&dump.persons) {
        for e in &p.events {
            let event_pk = event_pks
                .next()
                .ok_or_else(|| StoreError::Other("allocating keys: too few keys".into()))?;
            events.push((event_pk, *person_pk, e));
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
        }
    }
    bulk::insert_events(tx, &events).await?;
    bulk::insert_event_sources(tx, &links).await?;
    bulk::insert_history_as_is(tx, &dump.history).await?;
    if dump.synthetic {
        sqlx::query("INSERT INTO registry_meta (key, value) VALUES ('synthetic', 1)")
            .execute(&mut **tx)
            .await
            .map_err(other("marking the registry synthetic"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::trim_micros;

    #[test]
    fn whole_milliseconds_are_written_as_sqlite_writes_them() {
        assert_eq!(
            trim_micros("2026-01-02T03:04:05.123000Z".into()),
            "2026-01-02T03:04:05.123Z"
        );
        assert_eq!(
            trim_micros("2026-01-02T03:04:05.123456Z".into()),
            "2026-01-02T03:04:05.123456Z"
        );
        assert_eq!(
            trim_micros("2026-01-02T03:04:05.000000Z".into()),
            "2026-01-02T03:04:05.000Z"
        );
    }
}
