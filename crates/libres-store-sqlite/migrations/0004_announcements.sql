-- Release announcements: what a government (a court, a mediator, a foreign
-- government) claimed, kept apart from the releases verified name by name.
-- `claimed` is NULL when the claim gave no number ("decenas"); its own
-- words are then in `claimed_words`.

CREATE TABLE announcements (
    pk            INTEGER PRIMARY KEY,
    country       TEXT    NOT NULL,
    date          TEXT    NOT NULL,            -- EDTF
    date_earliest INTEGER NOT NULL,
    date_latest   INTEGER NOT NULL,
    issuer_kind   TEXT    NOT NULL,            -- libres_core::IssuerKind slug
    issuer        TEXT    NOT NULL,
    claim         TEXT    NOT NULL,            -- libres_core::ClaimKind slug
    claimed       INTEGER,
    claimed_words TEXT
);
CREATE INDEX announcements_by_date ON announcements (date_latest DESC, pk DESC);

-- Title and text, one row per language.
CREATE TABLE announcement_texts (
    announcement_pk INTEGER NOT NULL REFERENCES announcements (pk) ON DELETE CASCADE,
    lang            TEXT    NOT NULL,
    title           TEXT    NOT NULL,
    body            TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (announcement_pk, lang)
) WITHOUT ROWID;

-- The sources that report an announcement.
CREATE TABLE announcement_sources (
    announcement_pk INTEGER NOT NULL REFERENCES announcements (pk) ON DELETE CASCADE,
    source_pk       INTEGER NOT NULL REFERENCES sources (pk),
    PRIMARY KEY (announcement_pk, source_pk)
) WITHOUT ROWID;
CREATE INDEX announcement_sources_by_source ON announcement_sources (source_pk);

-- A timeline event may belong to an announcement (a release the government
-- counted in its claim), and says who verified it and when.
ALTER TABLE events ADD COLUMN announcement_pk INTEGER REFERENCES announcements (pk);
ALTER TABLE events ADD COLUMN verified_by TEXT NOT NULL DEFAULT '';   -- organisations joined by '|'
ALTER TABLE events ADD COLUMN verified_on TEXT;                         -- EDTF
CREATE INDEX events_by_announcement ON events (announcement_pk) WHERE announcement_pk IS NOT NULL;

CREATE TRIGGER announcements_insert_bumps_version AFTER INSERT ON announcements BEGIN
    UPDATE registry_meta SET value = value + 1 WHERE key = 'version';
END;
CREATE TRIGGER announcements_update_bumps_version AFTER UPDATE ON announcements BEGIN
    UPDATE registry_meta SET value = value + 1 WHERE key = 'version';
END;
CREATE TRIGGER announcements_delete_bumps_version AFTER DELETE ON announcements BEGIN
    UPDATE registry_meta SET value = value + 1 WHERE key = 'version';
END;
CREATE TRIGGER announcement_texts_insert_bumps_version AFTER INSERT ON announcement_texts BEGIN
    UPDATE registry_meta SET value = value + 1 WHERE key = 'version';
END;
CREATE TRIGGER announcement_texts_update_bumps_version AFTER UPDATE ON announcement_texts BEGIN
    UPDATE registry_meta SET value = value + 1 WHERE key = 'version';
END;
CREATE TRIGGER announcement_texts_delete_bumps_version AFTER DELETE ON announcement_texts BEGIN
    UPDATE registry_meta SET value = value + 1 WHERE key = 'version';
END;
CREATE TRIGGER announcement_sources_insert_bumps_version AFTER INSERT ON announcement_sources BEGIN
    UPDATE registry_meta SET value = value + 1 WHERE key = 'version';
END;
CREATE TRIGGER announcement_sources_delete_bumps_version AFTER DELETE ON announcement_sources BEGIN
    UPDATE registry_meta SET value = value + 1 WHERE key = 'version';
END;

-- An announcement's named list: each name as the list wrote it, the
-- matcher's proposal, and a person's decision (machine proposals stay
-- labelled as such until someone decides).
CREATE TABLE announcement_names (
    pk              INTEGER PRIMARY KEY,
    announcement_pk INTEGER NOT NULL REFERENCES announcements (pk) ON DELETE CASCADE,
    line            INTEGER NOT NULL,
    row_id          TEXT    NOT NULL,
    full_name       TEXT    NOT NULL,
    birth_year      INTEGER,
    province        TEXT,
    proposed        TEXT,                      -- a person id
    score_ppm       INTEGER NOT NULL,
    proposal        TEXT    NOT NULL,          -- match | review | none
    reason          TEXT    NOT NULL,
    review          TEXT    NOT NULL DEFAULT 'pending',  -- pending | confirmed | rejected
    person          TEXT,                      -- the person confirmed
    decided_by      TEXT
);
CREATE INDEX announcement_names_by_announcement ON announcement_names (announcement_pk, line);
CREATE TRIGGER announcement_names_insert_bumps_version AFTER INSERT ON announcement_names BEGIN
    UPDATE registry_meta SET value = value + 1 WHERE key = 'version';
END;
CREATE TRIGGER announcement_names_update_bumps_version AFTER UPDATE ON announcement_names BEGIN
    UPDATE registry_meta SET value = value + 1 WHERE key = 'version';
END;
CREATE TRIGGER announcement_names_delete_bumps_version AFTER DELETE ON announcement_names BEGIN
    UPDATE registry_meta SET value = value + 1 WHERE key = 'version';
END;
