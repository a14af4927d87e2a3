-- The registry: persons, detentions, timeline events, sources, history.
-- Dates are kept as the EDTF text the researcher wrote, plus the earliest and
-- latest calendar day it can mean (yyyymmdd integers) for sorting/filtering.

CREATE TABLE persons (
    pk             INTEGER PRIMARY KEY,
    id             TEXT    NOT NULL UNIQUE,
    given_names    TEXT    NOT NULL,
    surname1       TEXT    NOT NULL,
    surname2       TEXT,
    aliases        TEXT    NOT NULL DEFAULT '[]',   -- JSON array of strings
    sex            TEXT,
    birth_date     TEXT,
    nationalities  TEXT    NOT NULL DEFAULT '',     -- alpha-2 codes joined by '|'
    country        TEXT    NOT NULL,
    province       TEXT,
    occupation     TEXT,
    summary        TEXT,
    publish        INTEGER NOT NULL,
    private_notes  TEXT,                            -- confidential
    family_contact TEXT,                            -- confidential
    -- Derived from events by libres_core::derive_status in the same
    -- transaction as every event change; kept only so lists can filter and
    -- count by status without replaying every timeline.
    status         TEXT    NOT NULL DEFAULT 'unknown',
    search_text    TEXT    NOT NULL,                -- libres_core::text::fold of names and aliases
    sort_key       TEXT    NOT NULL,
    created_at     TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at     TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
-- Search and lists are answered by an in-memory name index (see
-- libres_store::search_index), rebuilt when registry_meta.version
-- moves; the table needs only the id index for lookups and export order.
CREATE INDEX persons_by_country_status ON persons (country, status);

CREATE TABLE detentions (
    pk              INTEGER PRIMARY KEY,
    person_pk       INTEGER NOT NULL REFERENCES persons (pk) ON DELETE CASCADE,
    arrest_date     TEXT,
    arrest_place    TEXT,
    authority       TEXT,
    charges         TEXT    NOT NULL DEFAULT '',   -- charge codes joined by '|'
    court           TEXT,
    sentence        TEXT,
    sentence_months INTEGER,
    prison          TEXT
);
CREATE INDEX detentions_by_person ON detentions (person_pk);

CREATE TABLE sources (
    pk           INTEGER PRIMARY KEY,
    url          TEXT,
    title        TEXT    NOT NULL,
    publisher    TEXT,
    date         TEXT,
    kind         TEXT    NOT NULL,
    confidential INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE events (
    pk            INTEGER PRIMARY KEY,
    person_pk     INTEGER NOT NULL REFERENCES persons (pk) ON DELETE CASCADE,
    kind          TEXT    NOT NULL,
    date          TEXT    NOT NULL,
    date_earliest INTEGER NOT NULL,
    date_latest   INTEGER NOT NULL,
    release_kind  TEXT,
    conditions    TEXT    NOT NULL DEFAULT '',     -- condition slugs joined by '|'
    place         TEXT,
    description   TEXT
);
CREATE INDEX events_by_person ON events (person_pk, date_earliest, date_latest, date, pk);

CREATE TABLE event_sources (
    event_pk  INTEGER NOT NULL REFERENCES events (pk) ON DELETE CASCADE,
    source_pk INTEGER NOT NULL REFERENCES sources (pk),
    PRIMARY KEY (event_pk, source_pk)
) WITHOUT ROWID;

-- Who changed what and when, for every person record. The actor is a staff
-- account once accounts exist; until then `cli` or `system`.
CREATE TABLE person_history (
    pk        INTEGER PRIMARY KEY,
    person_id TEXT NOT NULL,
    at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    changes   TEXT NOT NULL                        -- JSON array of FieldChange
);
CREATE INDEX person_history_by_person ON person_history (person_id, pk);

-- A counter that every write transaction of the store bumps, so that a
-- running server (or another process sharing the file) knows when its
-- in-memory name index and page cache are stale. Triggers bump it too, so
-- that a change made behind the store's back (an urgent `UPDATE persons SET
-- publish = 0` in the sqlite3 shell) is never hidden by a cache.
CREATE TABLE registry_meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO registry_meta (key, value) VALUES ('version', 0);
CREATE TRIGGER persons_insert_bumps_version AFTER INSERT ON persons BEGIN
    UPDATE registry_meta SET value = value + 1 WHERE key = 'version';
END;
CREATE TRIGGER persons_update_bumps_version AFTER UPDATE ON persons BEGIN
    UPDATE registry_meta SET value = value + 1 WHERE key = 'version';
END;
CREATE TRIGGER persons_delete_bumps_version AFTER DELETE ON persons BEGIN
    UPDATE registry_meta SET value = value + 1 WHERE key = 'version';
END;
CREATE TRIGGER detentions_insert_bumps_version AFTER INSERT ON detentions BEGIN
    UPDATE registry_meta SET value = value + 1 WHERE key = 'version';
END;
CREATE TRIGGER detentions_update_bumps_version AFTER UPDATE ON detentions BEGIN
    UPDATE registry_meta SET value = value + 1 WHERE key = 'version';
END;
CREATE TRIGGER detentions_delete_bumps_version AFTER DELETE ON detentions BEGIN
    UPDATE registry_meta SET value = value + 1 WHERE key = 'version';
END;
CREATE TRIGGER events_insert_bumps_version AFTER INSERT ON events BEGIN
    UPDATE registry_meta SET value = value + 1 WHERE key = 'version';
END;
CREATE TRIGGER events_update_bumps_version AFTER UPDATE ON events BEGIN
    UPDATE registry_meta SET value = value + 1 WHERE key = 'version';
END;
CREATE TRIGGER events_delete_bumps_version AFTER DELETE ON events BEGIN
    UPDATE registry_meta SET value = value + 1 WHERE key = 'version';
END;
CREATE TRIGGER sources_insert_bumps_version AFTER INSERT ON sources BEGIN
    UPDATE registry_meta SET value = value + 1 WHERE key = 'version';
END;
CREATE TRIGGER sources_update_bumps_version AFTER UPDATE ON sources BEGIN
    UPDATE registry_meta SET value = value + 1 WHERE key = 'version';
END;
CREATE TRIGGER sources_delete_bumps_version AFTER DELETE ON sources BEGIN
    UPDATE registry_meta SET value = value + 1 WHERE key = 'version';
END;
CREATE TRIGGER event_sources_insert_bumps_version AFTER INSERT ON event_sources BEGIN
    UPDATE registry_meta SET value = value + 1 WHERE key = 'version';
END;
CREATE TRIGGER event_sources_update_bumps_version AFTER UPDATE ON event_sources BEGIN
    UPDATE registry_meta SET value = value + 1 WHERE key = 'version';
END;
CREATE TRIGGER event_sources_delete_bumps_version AFTER DELETE ON event_sources BEGIN
    UPDATE registry_meta SET value = value + 1 WHERE key = 'version';
END;
