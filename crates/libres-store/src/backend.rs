//! What a database backend provides, so that every workflow is written
//! once, in [`crate::Registry`].
//!
//! A backend crate (SQLite, PostgreSQL) implements these traits with its
//! own SQL, connections, transactions and migrations, and nothing else:
//! which rows a write touches, in which order, what is checked before and
//! what goes into the history is decided above it, the same for every
//! backend. The primitives are small on purpose: each is one statement or
//! a few (a bulk insert in chunks), with no domain rule inside.
//!
//! Reads come back as JSON text in the shapes of [`crate::rows`], built by
//! the database itself (`json_object` in SQLite, `json_build_object` in
//! PostgreSQL): one round trip brings a whole case page or a chunk of a
//! dump, and one decoder, written once, turns it into core types. The two
//! hottest reads, a case and the list rows of a search, may instead come
//! as the row values of [`crate::rows`] ([`Backend::case`],
//! [`Backend::summaries`]) where that is cheaper: SQLite reads them row by
//! row on the caller's thread, PostgreSQL the list rows as typed columns.
//! The decoder is the same.
//!
//! Statements that are the same in every dialect, on small tables where
//! no backend has a faster form of its own (staff accounts, sessions, the
//! audit chain), are written once, in [`crate::sql`]: their primitives
//! here ([`StaffTx`], the audit methods of [`ReadTx`] and [`WriteTx`],
//! the reads of [`StaffSql`]) are provided for every backend, which
//! supplies only [`Sql`] (running one statement) and its
//! [`crate::sql::Dialect`].
//!
//! A capability that stores something new (announcements, statements)
//! adds its primitives here, beside these, and either writes their SQL
//! once in [`crate::sql`] (plain statements) or implements them in each
//! backend crate in a file of its own (where the dialects differ, or
//! speed asks for each database's own form).

use crate::audit::AuditEntry;
use crate::sql::Sql;
use crate::StoreResult;
use async_trait::async_trait;
use libres_core::{Detention, Event, Person, Role, Source, Status};

/// The tables whose keys the workflows allocate before inserting rows that
/// refer to each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// `persons`.
    Persons,
    /// `sources`.
    Sources,
    /// `events`.
    Events,
}

impl Table {
    /// The table's name in SQL.
    pub fn name(self) -> &'static str {
        match self {
            Table::Persons => "persons",
            Table::Sources => "sources",
            Table::Events => "events",
        }
    }
}

/// Which persons, and how much of each, a chunk of persons carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Persons {
    /// Every person, without timeline (an export).
    All,
    /// Published persons only, without timeline (a public export).
    Published,
    /// Every person with `detentions` and `events` (a dump).
    WithTimeline,
}

/// A person row to insert.
#[derive(Debug, Clone, Copy)]
pub struct NewPerson<'a> {
    /// Its key, from [`WriteTx::keys`].
    pub pk: i64,
    /// The person.
    pub person: &'a Person,
    /// Status derived from the person's timeline.
    pub status: Status,
    /// RFC 3339 creation time to keep (a restore), or `None` for now.
    pub created_at: Option<&'a str>,
    /// RFC 3339 time of the last change to keep, or `None` for now.
    pub updated_at: Option<&'a str>,
}

/// A history row to insert.
#[derive(Debug, Clone, Copy)]
pub struct NewHistory<'a> {
    /// The person's id.
    pub person_id: &'a str,
    /// RFC 3339 time to keep (a restore), or `None` for now.
    pub at: Option<&'a str>,
    /// Who.
    pub actor: &'a str,
    /// `created`, `updated`, `event_added`, `event_changed`,
    /// `event_deleted`, `detention_added` or `detention_updated`.
    pub action: &'a str,
    /// The changed fields, as a JSON array of `FieldChange`.
    pub changes: &'a str,
}

/// A database backend: connections, transactions and the statements that
/// need no transaction (the hot reads of public pages).
#[async_trait]
pub trait Backend: Send + Sync + 'static {
    /// A write transaction.
    type Write: WriteTx;
    /// A read-only transaction on one snapshot.
    type Read: ReadTx;

    /// A short name for logs (`sqlite`, `postgres`).
    fn name(&self) -> &'static str;

    /// Closes the connections, waiting for those in use.
    async fn close(&self);

    /// Starts a write transaction holding the registry's write lock, so
    /// that writers of every process queue rather than fail, and keys
    /// allocated inside it cannot be taken by another writer.
    async fn write(&self) -> StoreResult<Self::Write>;

    /// Starts a read-only transaction on one snapshot of the database.
    async fn snapshot(&self) -> StoreResult<Self::Read>;

    /// Told after a committed write of `rows` rows; a backend may refresh
    /// its planner statistics. Failure only costs speed.
    async fn wrote(&self, _rows: usize) {}

    /// The registry version (see `RegistryMeta::version`).
    async fn version(&self) -> StoreResult<i64>;

    /// Whether no person is stored.
    async fn is_empty(&self) -> StoreResult<bool>;

    /// Whether the registry is marked synthetic.
    async fn is_synthetic(&self) -> StoreResult<bool>;

    /// One person's whole case, one statement, as a [`crate::rows`] person
    /// object with `detentions`, `events` (chronological: earliest day,
    /// latest day, EDTF text byte by byte, then key) and `sources` (every
    /// source the events cite, by key). With `published_only` an
    /// unpublished person is filtered out by that statement's first step,
    /// exactly like an unknown id.
    async fn case_json(&self, id: &str, published_only: bool) -> StoreResult<Option<String>>;

    /// The same case as [`Backend::case_json`], as row values. By default
    /// the JSON text, parsed. A backend for which a few plain statements
    /// cost less than one that builds JSON (SQLite, read on the caller's
    /// thread) reads the rows itself, inside one read transaction so that
    /// they agree with each other, with the published filter first.
    async fn case(
        &self,
        id: &str,
        published_only: bool,
    ) -> StoreResult<Option<crate::rows::PersonRow>> {
        match self.case_json(id, published_only).await? {
            Some(json) => crate::rows::case_row(&json).map(Some),
            None => Ok(None),
        }
    }

    /// The list rows (summaries) of the persons with these keys, any order.
    async fn summaries_json(&self, keys: &[i64], published_only: bool) -> StoreResult<String>;

    /// The same list rows as [`Backend::summaries_json`], as row values;
    /// by default the JSON text, parsed (see [`Backend::case`]).
    async fn summaries(
        &self,
        keys: &[i64],
        published_only: bool,
    ) -> StoreResult<Vec<crate::rows::SummaryRow>> {
        crate::rows::summary_rows(&self.summaries_json(keys, published_only).await?)
    }

    /// Counts by country and status: `[{country, status, n}]`.
    async fn status_counts_json(&self, published_only: bool) -> StoreResult<String>;

    /// The history entries of one person, oldest first.
    async fn history_json(&self, person_id: &str) -> StoreResult<String>;
}

/// A read-only transaction on one snapshot. Dropping it ends it.
#[async_trait]
pub trait ReadTx: Sql {
    /// The registry version as of this snapshot, and whether the registry
    /// is marked synthetic.
    async fn meta(&mut self) -> StoreResult<(i64, bool)>;

    /// Up to `limit` search rows of persons with keys above `after_pk`,
    /// ascending by key.
    async fn search_rows_json(&mut self, after_pk: i64, limit: usize) -> StoreResult<String>;

    /// Up to `limit` persons with ids above `after_id` (byte order; `""`
    /// before every id), ascending by id, each with `status`, `created_at`
    /// and `updated_at`, and what `which` asks for.
    async fn persons_json(
        &mut self,
        which: Persons,
        after_id: &str,
        limit: usize,
    ) -> StoreResult<String>;

    /// Up to `limit` sources with keys above `after_pk`, ascending.
    async fn sources_json(&mut self, after_pk: i64, limit: usize) -> StoreResult<String>;

    /// Up to `limit` history entries with keys above `after_pk`, ascending,
    /// each with `pk` and `person_id`.
    async fn history_json(&mut self, after_pk: i64, limit: usize) -> StoreResult<String>;

    /// Up to `limit` audit entries with numbers above `after_seq`,
    /// ascending.
    async fn audit_entries(
        &mut self,
        after_seq: i64,
        limit: usize,
    ) -> StoreResult<Vec<AuditEntry>> {
        crate::sql::audit::entries(self, after_seq, limit).await
    }

    /// The audit head: the last entry's number and hash as recorded beside
    /// the log (`0` and [`crate::audit::GENESIS`] before the first).
    async fn audit_head(&mut self) -> StoreResult<(i64, String)> {
        crate::sql::audit::head(self, false).await
    }
}

/// A write transaction holding the registry's write lock. Dropping it
/// without [`WriteTx::commit`] rolls everything back.
#[async_trait]
pub trait WriteTx: Sql {
    /// Makes everything written visible, at once.
    async fn commit(self) -> StoreResult<()>;

    /// Marks the registry as changed (the version moves, once per
    /// transaction at least).
    async fn bump_version(&mut self) -> StoreResult<()>;

    /// Marks the registry synthetic, for good.
    async fn mark_synthetic(&mut self) -> StoreResult<()>;

    /// Makes room for a whole registry: returns false, deleting nothing,
    /// when any person, source or history entry is stored and `replace` is
    /// false; otherwise deletes them all (and the synthetic mark) and
    /// returns true.
    async fn clear(&mut self, replace: bool) -> StoreResult<bool>;

    /// `n` fresh keys of `table`, ascending, that no row has and no other
    /// call in this transaction returned.
    async fn keys(&mut self, table: Table, n: usize) -> StoreResult<Vec<i64>>;

    /// The stored persons among `ids`, as person objects with `pk`.
    async fn persons_by_id_json(&mut self, ids: &[&str]) -> StoreResult<String>;

    /// The key of the person with this id.
    async fn person_key(&mut self, id: &str) -> StoreResult<Option<i64>>;

    /// Which of these source keys exist.
    async fn existing_sources(&mut self, keys: &[i64]) -> StoreResult<Vec<i64>>;

    /// The timeline of one person, as the `events` of a case.
    async fn timeline_json(&mut self, person_pk: i64) -> StoreResult<String>;

    /// Inserts persons. An id already stored is
    /// [`crate::StoreError::AlreadyExists`].
    async fn insert_persons(&mut self, rows: &[NewPerson<'_>]) -> StoreResult<()>;

    /// Overwrites the stored fields of existing persons (found by id), and
    /// their `updated_at`; their status is left as it is.
    async fn update_persons(&mut self, persons: &[&Person]) -> StoreResult<()>;

    /// Sets a person's cached status and `updated_at`.
    async fn set_status(&mut self, person_pk: i64, status: Status) -> StoreResult<()>;

    /// Inserts detentions `(person key, detention)`.
    async fn insert_detentions(&mut self, rows: &[(i64, &Detention)]) -> StoreResult<()>;

    /// Inserts sources `(key, source)`.
    async fn insert_sources(&mut self, rows: &[(i64, &Source)]) -> StoreResult<()>;

    /// Inserts events `(key, person key, event)`.
    async fn insert_events(&mut self, rows: &[(i64, i64, &Event)]) -> StoreResult<()>;

    /// Links events to sources `(event key, source key)`; a link given
    /// twice is stored once.
    async fn insert_event_sources(&mut self, rows: &[(i64, i64)]) -> StoreResult<()>;

    /// Records history entries, in order.
    async fn insert_history(&mut self, rows: &[NewHistory<'_>]) -> StoreResult<()>;

    /// The audit head (see [`ReadTx::audit_head`]), locked until the end
    /// of the transaction: appends of every process queue on it, so the
    /// chain never forks.
    async fn lock_audit_head(&mut self) -> StoreResult<(i64, String)> {
        crate::sql::audit::head(self, true).await
    }

    /// Appends audit entries (numbered and hashed by the caller, following
    /// the locked head) and moves the head to the last of them.
    async fn insert_audit(&mut self, entries: &[AuditEntry]) -> StoreResult<()> {
        crate::sql::audit::append(self, entries).await
    }

    /// The detention with key `pk`, if it is one of `person_pk`'s.
    async fn detention(&mut self, person_pk: i64, pk: i64) -> StoreResult<Option<Detention>> {
        crate::sql::edit::detention(self, person_pk, pk).await
    }

    /// Inserts one detention of `person_pk`; returns its key.
    async fn insert_detention(&mut self, person_pk: i64, d: &Detention) -> StoreResult<i64> {
        crate::sql::edit::insert_detention(self, person_pk, d).await
    }

    /// Overwrites the detention with key `d.id`.
    async fn update_detention(&mut self, d: &Detention) -> StoreResult<()> {
        crate::sql::edit::update_detention(self, d).await
    }

    /// Deletes the detention with key `pk`.
    async fn delete_detention(&mut self, pk: i64) -> StoreResult<()> {
        crate::sql::edit::delete_detention(self, pk).await
    }

    /// How many events cite the source with key `pk`.
    async fn citations(&mut self, pk: i64) -> StoreResult<Option<u64>> {
        let found = crate::sql::edit::sources_in_use(self, i64::MIN, 1, Some(pk)).await?;
        Ok(found.first().map(|(_, n)| u64::try_from(*n).unwrap_or(0)))
    }

    /// Deletes the source with key `pk` (which no event cites).
    async fn delete_source(&mut self, pk: i64) -> StoreResult<bool> {
        crate::sql::edit::delete_source(self, pk).await
    }

    /// The source with key `pk`.
    async fn source(&mut self, pk: i64) -> StoreResult<Option<Source>> {
        crate::sql::edit::source(self, pk).await
    }

    /// Overwrites the source with key `s.id`.
    async fn update_source(&mut self, s: &Source) -> StoreResult<()> {
        crate::sql::edit::update_source(self, s).await
    }

    /// Overwrites the event with key `e.id`, and drops every link to the
    /// sources it cited (the caller links the new ones).
    async fn update_event(&mut self, e: &Event) -> StoreResult<()> {
        crate::sql::edit::update_event(self, e).await?;
        crate::sql::edit::unlink_event(self, e.id).await
    }

    /// Deletes the event with key `pk` and its links to sources.
    async fn delete_event(&mut self, pk: i64) -> StoreResult<()> {
        crate::sql::edit::delete_event(self, pk).await
    }

    /// Up to `limit` history entries recorded before `before` (RFC 3339
    /// UTC with milliseconds) with keys above `after_pk`, ascending: each
    /// key with its changes as JSON text.
    async fn history_before(
        &mut self,
        before: &str,
        after_pk: i64,
        limit: usize,
    ) -> StoreResult<Vec<(i64, String)>> {
        crate::sql::edit::history_before(self, before, after_pk, limit).await
    }

    /// Replaces the changes (JSON text) of the history entry `pk`.
    async fn set_history_changes(&mut self, pk: i64, changes: &str) -> StoreResult<()> {
        crate::sql::edit::set_history_changes(self, pk, changes).await
    }
}

/// A staff account as stored, secrets included. Only the workflows see
/// it; callers get [`crate::User`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    /// Its key.
    pub id: i64,
    /// The normalised email.
    pub email: String,
    /// The role's slug.
    pub role: String,
    /// Whether it is disabled.
    pub disabled: bool,
    /// The password's PHC string, once set up.
    pub password_hash: Option<String>,
    /// The TOTP secret (base32), once set up.
    pub totp_secret: Option<String>,
    /// The last TOTP step accepted: a code of this step or an earlier one
    /// is a replay.
    pub totp_last_step: Option<i64>,
    /// RFC 3339 creation time.
    pub created_at: String,
}

/// A session as stored, with the account it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    /// The account.
    pub user: UserRow,
    /// When it was opened (Unix seconds).
    pub created_at: i64,
    /// When it was last used (Unix seconds).
    pub last_seen: i64,
}

/// A setup link as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupRow {
    /// The account.
    pub user_id: i64,
    /// The account's email.
    pub email: String,
    /// When it stops working (Unix seconds).
    pub expires_at: i64,
    /// Whether it was used.
    pub used: bool,
    /// The TOTP secret offered by the setup page, once opened.
    pub totp_secret: Option<String>,
}

/// The failed logins counted under one throttle key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThrottleRow {
    /// The key (a hash of what it counts: an account and a network, or a
    /// network).
    pub key: String,
    /// Failures counted.
    pub failures: i64,
    /// When the last one happened (Unix seconds).
    pub last_failure: i64,
}

/// What a backend provides for staff accounts: reads outside any
/// transaction, and transactions that need not wait for the registry's
/// write lock. A backend supplies the two; the reads are written once
/// ([`crate::sql`]).
#[async_trait]
pub trait StaffSql: Backend<Write: StaffTx> {
    /// Where the reads outside a transaction run: the backend's pool of
    /// (read) connections, each statement on whichever is free.
    type Reader: Sql;

    /// A write transaction for staff accounts and sessions. It may run
    /// beside a registry write (an import) where the backend allows it:
    /// logging in must not wait for an import to finish. Appending to the
    /// audit log inside it still queues on the audit head.
    async fn staff_write(&self) -> StoreResult<Self::Write>;

    /// The pool the reads run on (a cheap handle).
    fn reader(&self) -> Self::Reader;

    /// The account with this (normalised) email.
    async fn user_row(&self, email: &str) -> StoreResult<Option<UserRow>> {
        crate::sql::staff::user(&mut self.reader(), email).await
    }

    /// Every account, by email.
    async fn user_rows(&self) -> StoreResult<Vec<UserRow>> {
        crate::sql::staff::users(&mut self.reader()).await
    }

    /// The session whose token has this hash, with its account.
    async fn session_row(&self, token_hash: &str) -> StoreResult<Option<SessionRow>> {
        crate::sql::staff::session(&mut self.reader(), token_hash).await
    }

    /// The throttle rows of these keys (missing keys have none).
    async fn throttle_rows(&self, keys: &[String]) -> StoreResult<Vec<ThrottleRow>> {
        crate::sql::staff::throttle(&mut self.reader(), keys).await
    }
}

/// The statements of staff accounts inside a write transaction.
/// Implemented for every [`WriteTx`], once, by [`crate::sql`].
#[async_trait]
pub trait StaffTx: WriteTx {
    /// Inserts an account without credentials; returns its key. An email
    /// in use is [`crate::StoreError::AlreadyExists`].
    async fn insert_user(&mut self, email: &str, role: Role, created_at: &str) -> StoreResult<i64>;

    /// The account with this email, read inside the transaction.
    async fn user_by_email(&mut self, email: &str) -> StoreResult<Option<UserRow>>;

    /// Sets an account's role.
    async fn set_role(&mut self, user: i64, role: Role) -> StoreResult<()>;

    /// Sets whether an account is disabled.
    async fn set_disabled(&mut self, user: i64, disabled: bool) -> StoreResult<()>;

    /// How many enabled administrators with a password, other than
    /// account `user`, there are.
    async fn other_admins(&mut self, user: i64) -> StoreResult<i64>;

    /// Stores a password hash and TOTP secret, with the step of the code
    /// that confirmed the secret (so that code cannot log in again).
    async fn set_credentials(
        &mut self,
        user: i64,
        password_hash: &str,
        totp_secret: &str,
        totp_step: i64,
    ) -> StoreResult<()>;

    /// Removes an account's password, TOTP secret and recovery codes.
    async fn clear_credentials(&mut self, user: i64) -> StoreResult<()>;

    /// Records that a TOTP step was used, if it is later than the last one
    /// used; returns false (changing nothing) for a replay.
    async fn use_totp_step(&mut self, user: i64, step: i64) -> StoreResult<bool>;

    /// Replaces an account's recovery codes with these hashes.
    async fn replace_recovery_codes(&mut self, user: i64, hashes: &[String]) -> StoreResult<()>;

    /// Uses up the unused recovery code with this hash; false if there is
    /// none.
    async fn use_recovery_code(&mut self, user: i64, hash: &str, now: i64) -> StoreResult<bool>;

    /// Stores a setup link.
    async fn insert_setup_token(
        &mut self,
        hash: &str,
        user: i64,
        expires_at: i64,
    ) -> StoreResult<()>;

    /// The setup link with this hash.
    async fn setup_token(&mut self, hash: &str) -> StoreResult<Option<SetupRow>>;

    /// Keeps the TOTP secret offered by an opened setup link.
    async fn set_setup_secret(&mut self, hash: &str, secret: &str) -> StoreResult<()>;

    /// Uses up a setup link if it is unused and expires after `now`;
    /// false otherwise.
    async fn use_setup_token(&mut self, hash: &str, now: i64) -> StoreResult<bool>;

    /// Deletes every setup link of an account.
    async fn delete_setup_tokens(&mut self, user: i64) -> StoreResult<()>;

    /// Stores a session opened now.
    async fn insert_session(&mut self, token_hash: &str, user: i64, now: i64) -> StoreResult<()>;

    /// Sets a session's last use.
    async fn touch_session(&mut self, token_hash: &str, now: i64) -> StoreResult<()>;

    /// Deletes one session.
    async fn delete_session(&mut self, token_hash: &str) -> StoreResult<()>;

    /// Deletes every session of an account; returns how many there were.
    async fn delete_sessions(&mut self, user: i64) -> StoreResult<u64>;

    /// Deletes every session last used before `idle_before` or opened
    /// before `opened_before`.
    async fn delete_ended_sessions(
        &mut self,
        idle_before: i64,
        opened_before: i64,
    ) -> StoreResult<()>;

    /// Counts one more failure under each key at `now`, starting again
    /// from one for a key whose last failure was before `forget_before`;
    /// deletes every row last failed before `forget_before`.
    async fn record_failures(
        &mut self,
        keys: &[String],
        now: i64,
        forget_before: i64,
    ) -> StoreResult<()>;

    /// Forgets the failures under one key.
    async fn clear_throttle(&mut self, key: &str) -> StoreResult<()>;
}

/// One schema migration of a backend. Never edit one that has shipped;
/// add a new one.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Its number: 1, 2, …, in order.
    pub version: i64,
    /// A short name, for logs.
    pub name: &'static str,
    /// The SQL to run.
    pub sql: &'static str,
}

/// The migrations of `all` that a schema at version `current` still
/// lacks. A schema newer than the last of `all` was written by a newer
/// Libres: it is refused rather than guessed at.
pub fn pending(all: &'static [Migration], current: i64) -> StoreResult<&'static [Migration]> {
    let known = all.last().map_or(0, |m| m.version);
    if current > known {
        return Err(crate::StoreError::Other(format!(
            "the database has schema version {current}, newer than this libres understands \
             ({known}); upgrade libres before opening it"
        )));
    }
    let first = all
        .iter()
        .position(|m| m.version > current)
        .unwrap_or(all.len());
    Ok(&all[first..])
}
