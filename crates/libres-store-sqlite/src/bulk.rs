//! Bulk writes: many rows per statement.
//!
//! An import of a million persons is a few million rows. One statement per
//! row costs a round trip to SQLite's thread each, which dominated imports;
//! multi-row `INSERT … VALUES (…), (…)` statements of a few hundred rows
//! cut that by two orders of magnitude. Everything here runs inside the
//! caller's transaction, so a batch still applies whole or not at all.

use crate::rows::{DetentionColumns, PersonColumns};
use crate::{other, rows};
use libres_core::{Detention, Event, FieldChange, Person, Source, Status};
use libres_store::{StoreError, StoreResult};
use sqlx::{QueryBuilder, Row, Sqlite, Transaction};
use std::collections::HashMap;

/// Rows per statement. SQLite allows 32,766 bound values per statement;
/// the widest row here has 19 columns.
const ROWS: usize = 500;

type Tx<'t> = Transaction<'t, Sqlite>;

/// The stored persons among `ids`, by id.
pub(crate) async fn existing_persons(
    tx: &mut Tx<'_>,
    ids: &[&str],
) -> StoreResult<HashMap<String, Person>> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(ROWS) {
        let mut b = QueryBuilder::<Sqlite>::new(format!(
            "SELECT {} FROM persons WHERE id IN (",
            rows::PERSON_COLUMNS
        ));
        let mut list = b.separated(", ");
        for id in chunk {
            list.push_bind(*id);
        }
        b.push(")");
        for row in b
            .build()
            .fetch_all(&mut **tx)
            .await
            .map_err(other("reading existing persons"))?
        {
            let p = rows::person(&row)?;
            found.insert(p.id.to_string(), p);
        }
    }
    Ok(found)
}

/// The next free primary key of `table`. Only sound inside a transaction
/// that already holds the write lock (it has written something), so that no
/// other writer can take the same keys.
pub(crate) async fn next_pk(tx: &mut Tx<'_>, table: &str) -> StoreResult<i64> {
    sqlx::query(&format!(
        "SELECT coalesce(max(pk), 0) + 1 AS next FROM {table}"
    ))
    .fetch_one(&mut **tx)
    .await
    .map_err(other("allocating keys"))?
    .try_get("next")
    .map_err(other("allocating keys"))
}

/// Inserts persons, with the primary keys given (or SQLite's when `None`).
pub(crate) async fn insert_persons(
    tx: &mut Tx<'_>,
    persons: &[(Option<i64>, &Person, Status)],
) -> StoreResult<()> {
    for chunk in persons.chunks(ROWS) {
        let mut b = QueryBuilder::<Sqlite>::new(
            "INSERT INTO persons (pk, id, given_names, surname1, surname2, aliases, sex, birth_date, \
             nationalities, country, province, occupation, summary, publish, private_notes, \
             family_contact, status, search_text, sort_key) ",
        );
        b.push_values(chunk, |mut row, (pk, p, status)| {
            let v = PersonColumns::from(*p);
            row.push_bind(*pk)
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
                .push_bind(status.slug())
                .push_bind(p.search_text())
                .push_bind(p.sort_key());
        });
        match b.build().execute(&mut **tx).await {
            Ok(_) => {}
            Err(sqlx::Error::Database(db)) if db.is_unique_violation() => {
                return Err(StoreError::Conflict(
                    "a person with one of these ids already exists".into(),
                ))
            }
            Err(e) => return Err(other("inserting persons")(e)),
        }
    }
    Ok(())
}

/// Records history entries `(person id, action, changes)`.
pub(crate) async fn insert_history(
    tx: &mut Tx<'_>,
    actor: &str,
    entries: &[(&str, &str, Vec<FieldChange>)],
) -> StoreResult<()> {
    for chunk in entries.chunks(ROWS) {
        let mut encoded = Vec::with_capacity(chunk.len());
        for (id, action, changes) in chunk {
            let json = serde_json::to_string(changes)
                .map_err(|e| StoreError::Other(format!("encoding history: {e}")))?;
            encoded.push((*id, *action, json));
        }
        let mut b = QueryBuilder::<Sqlite>::new(
            "INSERT INTO person_history (person_id, actor, action, changes) ",
        );
        b.push_values(encoded, |mut row, (id, action, json)| {
            row.push_bind(id.to_owned())
                .push_bind(actor.to_owned())
                .push_bind(action.to_owned())
                .push_bind(json);
        });
        b.build()
            .execute(&mut **tx)
            .await
            .map_err(other("recording history"))?;
    }
    Ok(())
}

/// Inserts detentions `(person pk, detention)`.
pub(crate) async fn insert_detentions(
    tx: &mut Tx<'_>,
    rows: &[(i64, &Detention)],
) -> StoreResult<()> {
    for chunk in rows.chunks(ROWS) {
        let mut b = QueryBuilder::<Sqlite>::new(
            "INSERT INTO detentions (person_pk, arrest_date, arrest_place, authority, charges, \
             court, sentence, sentence_months, prison) ",
        );
        b.push_values(chunk, |mut row, (person_pk, d)| {
            let v = DetentionColumns::from(*d);
            row.push_bind(*person_pk)
                .push_bind(v.arrest_date)
                .push_bind(d.arrest_place.clone())
                .push_bind(d.authority.clone())
                .push_bind(v.charges)
                .push_bind(d.court.clone())
                .push_bind(d.sentence.clone())
                .push_bind(d.sentence_months)
                .push_bind(d.prison.clone());
        });
        b.build()
            .execute(&mut **tx)
            .await
            .map_err(other("inserting detentions"))?;
    }
    Ok(())
}

/// Inserts sources `(pk, source)`.
pub(crate) async fn insert_sources(tx: &mut Tx<'_>, rows: &[(i64, &Source)]) -> StoreResult<()> {
    for chunk in rows.chunks(ROWS) {
        let mut b = QueryBuilder::<Sqlite>::new(
            "INSERT INTO sources (pk, url, title, publisher, date, kind, confidential) ",
        );
        b.push_values(chunk, |mut row, (pk, s)| {
            row.push_bind(*pk)
                .push_bind(s.url.clone())
                .push_bind(s.title.clone())
                .push_bind(s.publisher.clone())
                .push_bind(s.date.as_ref().map(|d| d.to_string()))
                .push_bind(s.kind.slug())
                .push_bind(s.confidential);
        });
        b.build()
            .execute(&mut **tx)
            .await
            .map_err(other("inserting sources"))?;
    }
    Ok(())
}

/// Inserts events `(pk, person pk, event)`.
pub(crate) async fn insert_events(tx: &mut Tx<'_>, rows: &[(i64, i64, &Event)]) -> StoreResult<()> {
    for chunk in rows.chunks(ROWS) {
        let mut b = QueryBuilder::<Sqlite>::new(
            "INSERT INTO events (pk, person_pk, kind, date, date_earliest, date_latest, release_kind, \
             conditions, place, description) ",
        );
        b.push_values(chunk, |mut row, (pk, person_pk, e)| {
            row.push_bind(*pk)
                .push_bind(*person_pk)
                .push_bind(e.kind.slug())
                .push_bind(e.date.to_string())
                .push_bind(e.date.earliest())
                .push_bind(e.date.latest())
                .push_bind(e.release.as_ref().map(|r| r.kind.slug()))
                .push_bind(e.condition_slugs())
                .push_bind(e.place.clone())
                .push_bind(e.description.clone());
        });
        b.build()
            .execute(&mut **tx)
            .await
            .map_err(other("inserting events"))?;
    }
    Ok(())
}

/// Links events to sources `(event pk, source pk)`.
pub(crate) async fn insert_event_sources(tx: &mut Tx<'_>, rows: &[(i64, i64)]) -> StoreResult<()> {
    for chunk in rows.chunks(ROWS) {
        let mut b = QueryBuilder::<Sqlite>::new(
            "INSERT OR IGNORE INTO event_sources (event_pk, source_pk) ",
        );
        b.push_values(chunk, |mut row, (e, s)| {
            row.push_bind(*e).push_bind(*s);
        });
        b.build()
            .execute(&mut **tx)
            .await
            .map_err(other("linking sources"))?;
    }
    Ok(())
}
