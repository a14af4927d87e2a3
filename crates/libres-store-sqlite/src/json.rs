//! The SQL that builds the JSON objects of `libres_store::rows`: one
//! statement brings a chunk of a dump or an export across sqlx's worker
//! thread in one piece instead of row by row. (Case pages and list rows
//! are read row by row, inline, see `read.rs`; their JSON statements are
//! what a read falls back on when the database is locked.)
//!
//! Lists are stored as text joined by `|` (aliases as a JSON array), and
//! go out as stored; the shared decoder reads either form. Nested arrays
//! pass through `json(…)`, since a subquery's result loses its JSON type.

/// A person object of the row `p`: every stored field and the key.
pub(crate) const PERSON: &str = "'pk', p.pk, 'id', p.id, 'given_names', p.given_names, \
     'surname1', p.surname1, 'surname2', p.surname2, 'aliases', json(p.aliases), 'sex', p.sex, \
     'birth_date', p.birth_date, 'nationalities', p.nationalities, 'country', p.country, \
     'province', p.province, 'occupation', p.occupation, 'summary', p.summary, \
     'publish', p.publish, 'private_notes', p.private_notes, 'family_contact', p.family_contact";

/// The cached status and the timestamps of the row `p`.
pub(crate) const STAMPS: &str =
    "'status', p.status, 'created_at', p.created_at, 'updated_at', p.updated_at";

/// The detentions of the person `p`, oldest first.
pub(crate) const DETENTIONS: &str = "'detentions', json((SELECT json_group_array(json_object(\
     'pk', d.pk, 'arrest_date', d.arrest_date, 'arrest_place', d.arrest_place, \
     'authority', d.authority, 'charges', d.charges, 'court', d.court, 'sentence', d.sentence, \
     'sentence_months', d.sentence_months, 'prison', d.prison) ORDER BY d.pk) \
     FROM detentions d WHERE d.person_pk = p.pk))";

/// The events of the person with key `{person}`, in the order of
/// `EdtfDate::chrono_cmp` (earliest day, latest day, EDTF text byte by
/// byte), then insertion order, each with the keys of its sources.
pub(crate) fn events(person: &str) -> String {
    format!(
        "json((SELECT json_group_array(json_object('pk', e.pk, 'kind', e.kind, 'date', e.date, \
         'release_kind', e.release_kind, 'conditions', e.conditions, 'place', e.place, \
         'description', e.description, 'announcement_pk', e.announcement_pk, \
         'verified_by', e.verified_by, 'verified_on', e.verified_on, \
         'source_pks', json((SELECT json_group_array(es.source_pk \
         ORDER BY es.source_pk) FROM event_sources es WHERE es.event_pk = e.pk))) \
         ORDER BY e.date_earliest, e.date_latest, e.date, e.pk) \
         FROM events e WHERE e.person_pk = {person}))"
    )
}

/// A source object of the row `s`.
pub(crate) const SOURCE: &str = "json_object('pk', s.pk, 'url', s.url, 'title', s.title, \
     'publisher', s.publisher, 'date', s.date, 'kind', s.kind, 'confidential', s.confidential)";

/// Every source cited by the events of the person `p`, by key.
pub(crate) fn cited_sources() -> String {
    format!(
        "'sources', json((SELECT json_group_array({SOURCE} ORDER BY s.pk) FROM sources s \
         WHERE s.pk IN (SELECT es.source_pk FROM event_sources es JOIN events e \
         ON e.pk = es.event_pk WHERE e.person_pk = p.pk)))"
    )
}

/// A list row of `p`.
pub(crate) const SUMMARY: &str = "json_object('pk', p.pk, 'id', p.id, \
     'given_names', p.given_names, 'surname1', p.surname1, 'surname2', p.surname2, \
     'country', p.country, 'province', p.province, 'status', p.status, 'publish', p.publish, \
     'birth_date', p.birth_date)";

/// A history entry of the row `h`.
pub(crate) const HISTORY: &str = "json_object('pk', h.pk, 'person_id', h.person_id, \
     'at', h.at, 'actor', h.actor, 'action', h.action, 'changes', json(h.changes))";
