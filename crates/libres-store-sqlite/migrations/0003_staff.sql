-- Staff accounts, their setup links, recovery codes, sessions and login
-- throttling; the audit log and its head. Times the rules compare (expiry,
-- idle timeout, throttling) are Unix seconds; times only shown are RFC 3339.
-- Tokens are never stored, only their SHA-256 (hex).

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    email          TEXT    NOT NULL UNIQUE,        -- libres_core::Email, normalised
    role           TEXT    NOT NULL,               -- viewer | researcher | editor | admin
    disabled       INTEGER NOT NULL DEFAULT 0,
    password_hash  TEXT,                           -- Argon2id PHC string, once set up
    totp_secret    TEXT,                           -- base32, once set up
    totp_last_step INTEGER,                        -- last TOTP step accepted (replays refused)
    created_at     TEXT    NOT NULL
);

CREATE TABLE setup_tokens (
    token_hash  TEXT    PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER,
    totp_secret TEXT                               -- offered by the setup page, until used
);
CREATE INDEX setup_tokens_by_user ON setup_tokens (user_id);

CREATE TABLE recovery_codes (
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT    NOT NULL,
    used_at   INTEGER,
    PRIMARY KEY (user_id, code_hash)
) WITHOUT ROWID;

CREATE TABLE sessions (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Failed logins per key: a hash of (account, client network) or of a
-- network, never the address or the email itself.
CREATE TABLE login_throttle (
    key          TEXT    PRIMARY KEY,
    failures     INTEGER NOT NULL,
    last_failure INTEGER NOT NULL
) WITHOUT ROWID;

-- The audit log: each entry's hash is SHA-256 of the previous entry's hash
-- and this entry (libres_store::audit::canonical). Append only.
CREATE TABLE audit_log (
    seq     INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    target  TEXT NOT NULL,
    details TEXT NOT NULL,                         -- JSON, as hashed
    hash    TEXT NOT NULL
);

-- The last entry's number and hash, moved in the same transaction as each
-- append: deleting the newest entries shows, and appends queue on this row.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT    NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
