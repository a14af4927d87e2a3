-- Statements and their signatures. Nothing here moves the registry
-- version: statement pages are made afresh for every request (their
-- counts move with every signature), and a surge of signatures must not
-- empty the page cache of the registry.

CREATE TABLE statements (
    pk         INTEGER PRIMARY KEY,
    status     TEXT    NOT NULL,              -- libres_core::StatementStatus slug
    date       TEXT,                          -- EDTF
    closed_at  INTEGER,                       -- Unix seconds
    created_at INTEGER NOT NULL
);

-- Title and text, one row per language.
CREATE TABLE statement_texts (
    statement_pk INTEGER NOT NULL REFERENCES statements (pk) ON DELETE CASCADE,
    lang         TEXT    NOT NULL,
    title        TEXT    NOT NULL,
    body         TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (statement_pk, lang)
) WITHOUT ROWID;

-- Whom it is addressed to, in order; the persons and announcements it
-- concerns.
CREATE TABLE statement_addressees (
    statement_pk INTEGER NOT NULL REFERENCES statements (pk) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    name         TEXT    NOT NULL,
    PRIMARY KEY (statement_pk, position)
) WITHOUT ROWID;
CREATE TABLE statement_persons (
    statement_pk INTEGER NOT NULL REFERENCES statements (pk) ON DELETE CASCADE,
    person_id    TEXT    NOT NULL,
    PRIMARY KEY (statement_pk, person_id)
) WITHOUT ROWID;
CREATE TABLE statement_announcements (
    statement_pk    INTEGER NOT NULL REFERENCES statements (pk) ON DELETE CASCADE,
    announcement_pk INTEGER NOT NULL REFERENCES announcements (pk) ON DELETE CASCADE,
    PRIMARY KEY (statement_pk, announcement_pk)
) WITHOUT ROWID;

-- One row per signature. The address is confidential: no public page,
-- feed or export reads `email` or `mailbox`. A signature counts once
-- confirmed (`confirmed_at`) and while not invalidated; its name is shown
-- only once staff approve it (`moderation`). `flag` says why the intake
-- set it aside for a look (a burst from one address or one mail domain);
-- a flagged signature still counts until staff invalidate it.
CREATE TABLE signatures (
    pk             INTEGER PRIMARY KEY,
    statement_pk   INTEGER NOT NULL REFERENCES statements (pk) ON DELETE CASCADE,
    name           TEXT    NOT NULL,
    email          TEXT    NOT NULL,
    mailbox        TEXT    NOT NULL,          -- libres_core::statement::mailbox
    category       TEXT    NOT NULL,          -- libres_core::SignerCategory slug
    years_stated   INTEGER,
    country        TEXT    NOT NULL,
    visibility     TEXT    NOT NULL,          -- libres_core::Visibility slug
    lang           TEXT    NOT NULL,          -- the language of the signer's mail
    link_requested INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL,
    confirmed_at   INTEGER,
    moderation     TEXT    NOT NULL DEFAULT 'pending',  -- pending | approved | rejected
    moderated_by   TEXT,
    flag           TEXT    NOT NULL DEFAULT '',
    invalid        INTEGER NOT NULL DEFAULT 0,
    person_id      TEXT,                      -- a registry person staff linked, with consent
    years_verified INTEGER,                   -- from that person's timeline
    anonymised     INTEGER NOT NULL DEFAULT 0,
    mailed_at      INTEGER,                      -- the last mail about it was queued (a resend waits a day)
    UNIQUE (statement_pk, mailbox)
);
CREATE INDEX signatures_by_statement ON signatures (statement_pk, confirmed_at, pk);

-- Mail waiting to be sent, written in the transaction that makes it due:
-- a crash between the signature and its mail loses neither.
CREATE TABLE mail_outbox (
    pk           INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL,            -- confirm | already_signed
    signature_pk INTEGER NOT NULL REFERENCES signatures (pk) ON DELETE CASCADE,
    due_at       INTEGER NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX mail_outbox_by_due ON mail_outbox (due_at, pk);

-- Keys the site makes for itself (the one that signs confirmation links
-- and signing forms), made on first use.
CREATE TABLE site_keys (
    name TEXT PRIMARY KEY,
    key  TEXT NOT NULL
) WITHOUT ROWID;
