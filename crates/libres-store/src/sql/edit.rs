//! The one-row edits staff make to the registry (a detention, a source,
//! an event), and the rewriting of old history entries when their
//! confidential values are removed. Each is a plain statement on one row,
//! the same in every dialect; the bulk inserts of imports and restores
//! stay in each backend.

use super::{execute, fetch, Arg, Column, Sql};
use crate::rows::{DetentionRow, SourceRow};
use crate::StoreResult;
use libres_core::{Detention, Event, Source};

/// The columns of a detention, in the order [`detention_args`] binds them
/// from `?2`.
const DETENTION: &str =
    "arrest_date, arrest_place, authority, charges, court, sentence, sentence_months, prison";

fn detention_args(d: &Detention) -> [Arg<'_>; 8] {
    [
        Arg::OptText(d.arrest_date.as_ref().map(|x| x.as_str())),
        Arg::OptText(d.arrest_place.as_deref()),
        Arg::OptText(d.authority.as_deref()),
        Arg::List(&d.charges),
        Arg::OptText(d.court.as_deref()),
        Arg::OptText(d.sentence.as_deref()),
        Arg::OptInt(d.sentence_months.map(i64::from)),
        Arg::OptText(d.prison.as_deref()),
    ]
}

/// The detention with key `pk`, if it is one of `person_pk`'s.
pub(crate) async fn detention<S: Sql + ?Sized>(
    s: &mut S,
    person_pk: i64,
    pk: i64,
) -> StoreResult<Option<Detention>> {
    let text = format!("SELECT pk, {DETENTION} FROM detentions WHERE pk = ?1 AND person_pk = ?2");
    let columns = [
        Column::Int,
        Column::OptText,
        Column::OptText,
        Column::OptText,
        Column::List,
        Column::OptText,
        Column::OptText,
        Column::OptInt,
        Column::OptText,
    ];
    let args = [Arg::Int(pk), Arg::Int(person_pk)];
    let Some(mut r) = fetch(s, &text, &args, &columns, "reading a detention")
        .await?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    DetentionRow {
        pk: r.int()?,
        arrest_date: r.opt_text()?,
        arrest_place: r.opt_text()?,
        authority: r.opt_text()?,
        charges: r.list()?,
        court: r.opt_text()?,
        sentence: r.opt_text()?,
        sentence_months: r.opt_int()?,
        prison: r.opt_text()?,
    }
    .into_detention()
    .map(Some)
}

/// Inserts one detention of `person_pk`; returns its key.
pub(crate) async fn insert_detention<S: Sql + ?Sized>(
    s: &mut S,
    person_pk: i64,
    d: &Detention,
) -> StoreResult<i64> {
    let text = format!(
        "INSERT INTO detentions (person_pk, {DETENTION}) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING pk"
    );
    let mut args = vec![Arg::Int(person_pk)];
    args.extend(detention_args(d));
    let mut rows = fetch(s, &text, &args, &[Column::Int], "inserting a detention").await?;
    match rows.first_mut() {
        Some(r) => r.int(),
        None => Err(crate::StoreError::Other(
            "inserting a detention: no key returned".into(),
        )),
    }
}

/// Overwrites the detention with key `d.id`.
pub(crate) async fn update_detention<S: Sql + ?Sized>(s: &mut S, d: &Detention) -> StoreResult<()> {
    let text = "UPDATE detentions SET arrest_date = ?2, arrest_place = ?3, authority = ?4, \
                charges = ?5, court = ?6, sentence = ?7, sentence_months = ?8, prison = ?9 \
                WHERE pk = ?1";
    let mut args = vec![Arg::Int(d.id)];
    args.extend(detention_args(d));
    execute(s, text, &args, "updating a detention").await?;
    Ok(())
}

/// The source with key `pk`.
pub(crate) async fn source<S: Sql + ?Sized>(s: &mut S, pk: i64) -> StoreResult<Option<Source>> {
    let text = "SELECT pk, url, title, publisher, date, kind, confidential FROM sources \
                WHERE pk = ?1";
    let columns = [
        Column::Int,
        Column::OptText,
        Column::Text,
        Column::OptText,
        Column::OptText,
        Column::Text,
        Column::Bool,
    ];
    let Some(mut r) = fetch(s, text, &[Arg::Int(pk)], &columns, "reading a source")
        .await?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    SourceRow {
        pk: r.int()?,
        url: r.opt_text()?,
        title: r.text()?,
        publisher: r.opt_text()?,
        date: r.opt_text()?,
        kind: r.text()?,
        confidential: r.bool()?,
    }
    .into_source()
    .map(Some)
}

/// Up to `limit` sources, with keys above `after_pk` ascending, or only
/// the source `only` when it is given: each with how many events and
/// announcements cite it.
pub(crate) async fn sources_in_use<S: Sql + ?Sized>(
    s: &mut S,
    after_pk: i64,
    limit: usize,
    only: Option<i64>,
) -> StoreResult<Vec<(Source, i64)>> {
    let text = "SELECT s.pk, s.url, s.title, s.publisher, s.date, s.kind, s.confidential, \
                (SELECT COUNT(*) FROM event_sources es WHERE es.source_pk = s.pk) \
                + (SELECT COUNT(*) FROM announcement_sources a WHERE a.source_pk = s.pk) \
                FROM sources s WHERE s.pk > ?1 AND (?3 < 0 OR s.pk = ?3) \
                ORDER BY s.pk LIMIT ?2";
    let columns = [
        Column::Int,
        Column::OptText,
        Column::Text,
        Column::OptText,
        Column::OptText,
        Column::Text,
        Column::Bool,
        Column::Int,
    ];
    let args = [
        Arg::Int(after_pk),
        Arg::Int(i64::try_from(limit).unwrap_or(i64::MAX)),
        Arg::Int(only.unwrap_or(-1)),
    ];
    let rows = fetch(s, text, &args, &columns, "reading sources").await?;
    let mut out = Vec::with_capacity(rows.len());
    for mut r in rows {
        let source = SourceRow {
            pk: r.int()?,
            url: r.opt_text()?,
            title: r.text()?,
            publisher: r.opt_text()?,
            date: r.opt_text()?,
            kind: r.text()?,
            confidential: r.bool()?,
        }
        .into_source()?;
        out.push((source, r.int()?));
    }
    Ok(out)
}

/// Deletes the source with key `pk`; returns whether it existed. The
/// caller has checked that no event cites it.
pub(crate) async fn delete_source<S: Sql + ?Sized>(s: &mut S, pk: i64) -> StoreResult<bool> {
    let text = "DELETE FROM sources WHERE pk = ?1";
    Ok(execute(s, text, &[Arg::Int(pk)], "deleting a source").await? > 0)
}

/// Deletes the detention with key `pk`.
pub(crate) async fn delete_detention<S: Sql + ?Sized>(s: &mut S, pk: i64) -> StoreResult<()> {
    let text = "DELETE FROM detentions WHERE pk = ?1";
    execute(s, text, &[Arg::Int(pk)], "deleting a detention").await?;
    Ok(())
}

/// Overwrites the source with key `src.id`.
pub(crate) async fn update_source<S: Sql + ?Sized>(s: &mut S, src: &Source) -> StoreResult<()> {
    let text = "UPDATE sources SET url = ?2, title = ?3, publisher = ?4, date = ?5, kind = ?6, \
                confidential = ?7 WHERE pk = ?1";
    let args = [
        Arg::Int(src.id),
        Arg::OptText(src.url.as_deref()),
        Arg::Text(&src.title),
        Arg::OptText(src.publisher.as_deref()),
        Arg::OptText(src.date.as_ref().map(|d| d.as_str())),
        Arg::Text(src.kind.slug()),
        Arg::Bool(src.confidential),
    ];
    execute(s, text, &args, "updating a source").await?;
    Ok(())
}

/// Overwrites the event with key `e.id` (not its cited sources).
pub(crate) async fn update_event<S: Sql + ?Sized>(s: &mut S, e: &Event) -> StoreResult<()> {
    let text = "UPDATE events SET kind = ?2, date = ?3, date_earliest = ?4, date_latest = ?5, \
                release_kind = ?6, conditions = ?7, place = ?8, description = ?9, \
                announcement_pk = ?10, verified_by = ?11, verified_on = ?12 WHERE pk = ?1";
    let conditions: Vec<String> = e
        .release
        .as_ref()
        .map(|r| r.conditions.iter().map(|c| c.slug().to_owned()).collect())
        .unwrap_or_default();
    let verified_by: &[String] = e.verification.as_ref().map_or(&[], |v| &v.by);
    let args = [
        Arg::Int(e.id),
        Arg::Text(e.kind.slug()),
        Arg::Text(e.date.as_str()),
        Arg::Int(e.date.earliest()),
        Arg::Int(e.date.latest()),
        Arg::OptText(e.release.as_ref().map(|r| r.kind.slug())),
        Arg::List(&conditions),
        Arg::OptText(e.place.as_deref()),
        Arg::OptText(e.description.as_deref()),
        Arg::OptInt(e.announcement_id),
        Arg::List(verified_by),
        Arg::OptText(
            e.verification
                .as_ref()
                .and_then(|v| v.on.as_ref())
                .map(|d| d.as_str()),
        ),
    ];
    execute(s, text, &args, "updating an event").await?;
    Ok(())
}

/// Removes every source an event cites.
pub(crate) async fn unlink_event<S: Sql + ?Sized>(s: &mut S, event_pk: i64) -> StoreResult<()> {
    let text = "DELETE FROM event_sources WHERE event_pk = ?1";
    execute(s, text, &[Arg::Int(event_pk)], "unlinking sources").await?;
    Ok(())
}

/// Deletes an event, with its links to sources.
pub(crate) async fn delete_event<S: Sql + ?Sized>(s: &mut S, event_pk: i64) -> StoreResult<()> {
    unlink_event(s, event_pk).await?;
    let text = "DELETE FROM events WHERE pk = ?1";
    execute(s, text, &[Arg::Int(event_pk)], "deleting an event").await?;
    Ok(())
}

/// Up to `limit` history entries recorded before `before` (RFC 3339 UTC
/// with milliseconds) with keys above `after_pk`, ascending: their keys
/// and changes (JSON text).
pub(crate) async fn history_before<S: Sql + ?Sized>(
    s: &mut S,
    before: &str,
    after_pk: i64,
    limit: usize,
) -> StoreResult<Vec<(i64, String)>> {
    let text = format!(
        "SELECT pk, CAST(changes AS TEXT) FROM person_history \
         WHERE at < {} AND pk > ?2 ORDER BY pk LIMIT ?3",
        S::DIALECT.cast("?1", "timestamptz")
    );
    let args = [
        Arg::Text(before),
        Arg::Int(after_pk),
        Arg::Int(i64::try_from(limit).unwrap_or(i64::MAX)),
    ];
    let columns = [Column::Int, Column::Text];
    fetch(s, &text, &args, &columns, "reading old history")
        .await?
        .iter_mut()
        .map(|r| Ok((r.int()?, r.text()?)))
        .collect()
}

/// Replaces the changes of one history entry (JSON text).
pub(crate) async fn set_history_changes<S: Sql + ?Sized>(
    s: &mut S,
    pk: i64,
    changes: &str,
) -> StoreResult<()> {
    let text = format!(
        "UPDATE person_history SET changes = {} WHERE pk = ?1",
        S::DIALECT.cast("?2", "json")
    );
    let args = [Arg::Int(pk), Arg::Text(changes)];
    execute(s, &text, &args, "rewriting history").await?;
    Ok(())
}
