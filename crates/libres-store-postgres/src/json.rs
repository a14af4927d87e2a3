//! The SQL that builds the JSON objects of `libres_store::rows`.
//!
//! A case page is one statement of the shape
//!
//! ```text
//! WITH p AS (SELECT … FROM persons WHERE id = $1 AND publish), ev AS (…)
//! SELECT json_build_object(person…, 'detentions', …, 'events', …, 'sources', …) FROM p
//! ```
//!
//! Every table is reached through an index by key, whatever the planner
//! believes about the tables: right after a bulk import, before autovacuum
//! has analysed anything, a plain join of events and sources was planned as
//! two sequential scans and made a case page thirty times slower. When `p`
//! is empty (unknown id, or unpublished on a public page), nothing after it
//! is read at all. One statement sees one snapshot, so the page is
//! consistent without a transaction.

/// A timestamp column as RFC 3339 UTC text, with microseconds only when
/// they are not whole milliseconds (as SQLite writes them), so that a
/// registry copied SQLite → PostgreSQL → SQLite comes back with the very
/// same text.
pub(crate) fn rfc3339(column: &str) -> String {
    format!(
        "regexp_replace(to_char({column} AT TIME ZONE 'UTC', \
         'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), '(\\.[0-9]{{3}})000Z$', '\\1Z')"
    )
}

/// A person object of the row `p`: every stored field and the key.
pub(crate) const PERSON: &str = "'pk', p.pk, 'id', p.id, 'given_names', p.given_names, \
     'surname1', p.surname1, 'surname2', p.surname2, 'aliases', p.aliases, 'sex', p.sex, \
     'birth_date', p.birth_date, 'nationalities', p.nationalities, 'country', p.country, \
     'province', p.province, 'occupation', p.occupation, 'summary', p.summary, \
     'publish', p.publish, 'private_notes', p.private_notes, 'family_contact', p.family_contact";

/// The cached status and the timestamps of the row `p`.
pub(crate) fn stamps() -> String {
    format!(
        "'status', p.status, 'created_at', {}, 'updated_at', {}",
        rfc3339("p.created_at"),
        rfc3339("p.updated_at")
    )
}

/// The timeline of the person `p` as the CTE `ev`: one row per event,
/// with the keys of its sources in `source_pks`.
pub(crate) const EVENTS_CTE: &str = "ev AS (SELECT pk, kind, date, date_earliest, date_latest, \
     release_kind, conditions, place, description, announcement_pk, verified_by, verified_on, \
     ARRAY(SELECT source_pk FROM event_sources es WHERE es.event_pk = e.pk ORDER BY source_pk) \
     AS source_pks FROM events e WHERE e.person_pk = (SELECT pk FROM p))";

/// The detentions of the person `p`, oldest first, as a JSON array.
pub(crate) const DETENTIONS: &str = "(SELECT coalesce(json_agg(d ORDER BY d.pk), '[]') \
     FROM (SELECT pk, arrest_date, arrest_place, authority, charges, court, sentence, \
     sentence_months, prison FROM detentions WHERE person_pk = p.pk) d)";

/// The events of `ev` as a JSON array, in the order of
/// `EdtfDate::chrono_cmp` (earliest day, latest day, then the EDTF text
/// byte by byte), then insertion order.
pub(crate) const EVENTS: &str = "(SELECT coalesce(json_agg(ev ORDER BY ev.date_earliest, \
     ev.date_latest, ev.date COLLATE \"C\", ev.pk), '[]') FROM ev)";

/// The events of the person `p` as a JSON array, without the CTE (for a
/// chunk of many persons).
pub(crate) const TIMELINE: &str = "(SELECT coalesce(json_agg(ev ORDER BY ev.date_earliest, \
     ev.date_latest, ev.date COLLATE \"C\", ev.pk), '[]') FROM (SELECT pk, kind, date, \
     date_earliest, date_latest, release_kind, conditions, place, description, \
     announcement_pk, verified_by, verified_on, \
     ARRAY(SELECT source_pk FROM event_sources es WHERE es.event_pk = e.pk ORDER BY source_pk) \
     AS source_pks FROM events e WHERE e.person_pk = p.pk) ev)";

/// Every source cited in `ev`, by key, as a JSON array.
pub(crate) const SOURCES: &str = "(SELECT coalesce(json_agg(s ORDER BY s.pk), '[]') \
     FROM (SELECT pk, url, title, publisher, date, kind, confidential FROM sources \
     WHERE pk = ANY(ARRAY(SELECT DISTINCT unnest(source_pks) FROM ev))) s)";

/// A list row of `p`.
pub(crate) const SUMMARY: &str = "json_build_object('pk', p.pk, 'id', p.id, \
     'given_names', p.given_names, 'surname1', p.surname1, 'surname2', p.surname2, \
     'country', p.country, 'province', p.province, 'status', p.status, 'publish', p.publish, \
     'birth_date', p.birth_date)";

/// A history entry of the row `h`.
pub(crate) fn history() -> String {
    format!(
        "json_build_object('pk', h.pk, 'person_id', h.person_id, 'at', {}, 'actor', h.actor, \
         'action', h.action, 'changes', h.changes)",
        rfc3339("h.at")
    )
}
