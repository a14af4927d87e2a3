//! The storage interface of Libres.
//!
//! What belongs here: the [`Store`] trait that every backend implements
//! (SQLite today, PostgreSQL next), the records it returns, and
//! [`StoreError`]. Nothing above this crate knows which backend runs: the
//! binary picks one from the `--db` URL scheme and hands the rest of the
//! program an `Arc<dyn Store>`.
//!
//! What does not: SQL, connection handling, or any backend detail.
//!
//! Every write is one transaction: a method either applies whole or leaves
//! the database exactly as it was.

#[cfg(feature = "conformance")]
pub mod conformance;
pub mod decode;
pub mod search_index;

use async_trait::async_trait;
use libres_core::{CountryCode, Detention, Event, FieldChange, Person, PersonId, Source, Status};
use serde::Serialize;

/// Errors a store reports.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record asked for does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// The write conflicts with what is stored (e.g. a duplicate id).
    #[error("conflict: {0}")]
    Conflict(String),
    /// Anything else: the database is unreachable, corrupt, or of an
    /// unexpected schema. The message is for logs and operators.
    #[error("{0}")]
    Other(String),
}

/// Result alias for store operations.
pub type StoreResult<T> = Result<T, StoreError>;

/// A person with everything the case page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonRecord {
    /// The person (with confidential fields; callers redact for the public).
    pub person: Person,
    /// Status derived from `events`.
    pub status: Status,
    /// Detentions, oldest first.
    pub detentions: Vec<Detention>,
    /// Timeline, in chronological order.
    pub events: Vec<Event>,
    /// Every source referenced by `events`, ordered by id.
    pub sources: Vec<Source>,
}

/// One row of a person list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonSummary {
    /// External id.
    pub id: PersonId,
    /// Given names.
    pub given_names: String,
    /// First surname.
    pub surname1: String,
    /// Second surname.
    pub surname2: Option<String>,
    /// Country of detention.
    pub country: CountryCode,
    /// Province.
    pub province: Option<String>,
    /// Derived status.
    pub status: Status,
    /// The family's consent to publication.
    pub publish: bool,
}

impl PersonSummary {
    /// "Given Surname1 Surname2".
    pub fn full_name(&self) -> String {
        match &self.surname2 {
            Some(s2) => format!("{} {} {}", self.given_names, self.surname1, s2),
            None => format!("{} {}", self.given_names, self.surname1),
        }
    }
}

/// A search over persons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonQuery {
    /// Free text, matched accent- and case-insensitively against names and
    /// aliases; every word must match the start of some name word.
    pub q: Option<String>,
    /// Only this country of detention.
    pub country: Option<CountryCode>,
    /// Only this derived status.
    pub status: Option<Status>,
    /// 1-based page number.
    pub page: u32,
    /// Rows per page.
    pub per_page: u32,
    /// Include persons whose family refused publication. Only staff views
    /// and exports ever set this.
    pub include_unpublished: bool,
}

impl Default for PersonQuery {
    fn default() -> Self {
        PersonQuery {
            q: None,
            country: None,
            status: None,
            page: 1,
            per_page: 50,
            include_unpublished: false,
        }
    }
}

/// One page of search results, sorted by surnames then given names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonPage {
    /// The rows of this page.
    pub items: Vec<PersonSummary>,
    /// How many persons match in all.
    pub total: u64,
    /// This page's number (1-based).
    pub page: u32,
    /// Rows per page.
    pub per_page: u32,
}

/// How many persons (published or not) a country has in a status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusCount {
    /// Country of detention.
    pub country: CountryCode,
    /// Derived status.
    pub status: Status,
    /// Number of persons, unpublished ones included.
    pub count: u64,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct UpsertSummary {
    /// Persons that did not exist before.
    pub created: u64,
    /// Existing persons whose fields changed.
    pub updated: u64,
    /// Existing persons identical to the imported row.
    pub unchanged: u64,
}

/// One entry of a person's history: who changed what, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    /// When, as RFC 3339 UTC.
    pub at: String,
    /// Who: a staff account, or `cli` / `system`.
    pub actor: String,
    /// `created`, `updated` or `event_added`.
    pub action: String,
    /// The fields that changed.
    pub changes: Vec<FieldChange>,
}

/// A whole case, for bulk seeding: a person with detentions, events and
/// the sources they cite. In a bundle, `Event::source_ids` are positions in
/// `sources` (0-based), not stored ids; the store assigns real ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseBundle {
    /// The person.
    pub person: Person,
    /// Their detentions.
    pub detentions: Vec<Detention>,
    /// Their timeline.
    pub events: Vec<Event>,
    /// Sources cited by `events` (by position).
    pub sources: Vec<Source>,
}

/// A whole registry, as [`Store::dump`] reads it and [`Store::restore`]
/// writes it: everything a backend holds, so that a copy between any two
/// backends loses nothing.
///
/// Keys are the source database's: `Source::id` and the ids in
/// `Event::source_ids` refer to `sources` of this dump, and a restore may
/// give them new values as long as every reference follows. Detention and
/// event ids are informative only (a restore assigns new ones in the same
/// order). Timestamps are RFC 3339 UTC text, as the source wrote them.
///
/// A later issue that stores something new adds it here, and `dump` and
/// `restore` of every backend with it; the conformance suite's round trip
/// then checks it on every backend.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistryDump {
    /// Whether the registry holds synthetic demo data.
    pub synthetic: bool,
    /// Every person, ordered by id.
    pub persons: Vec<DumpedPerson>,
    /// Every source, cited or not, ordered by id.
    pub sources: Vec<Source>,
    /// Every history entry of every person, in the order they were written.
    pub history: Vec<DumpedHistory>,
}

/// One person of a [`RegistryDump`], with everything that hangs off them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DumpedPerson {
    /// The person, confidential fields included.
    pub person: Person,
    /// Status derived from `events`.
    pub status: Status,
    /// When the person was created, RFC 3339 UTC.
    pub created_at: String,
    /// When the person was last changed, RFC 3339 UTC.
    pub updated_at: String,
    /// Detentions, oldest first.
    pub detentions: Vec<Detention>,
    /// Timeline in chronological order (then insertion order); source ids
    /// refer to [`RegistryDump::sources`].
    pub events: Vec<Event>,
}

/// One history entry of a [`RegistryDump`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DumpedHistory {
    /// The id of the person it is about, as stored.
    pub person_id: String,
    /// The entry.
    pub entry: HistoryEntry,
}

/// How many rows of each kind a [`RegistryDump`] holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DumpCounts {
    /// Persons.
    pub persons: u64,
    /// Detentions.
    pub detentions: u64,
    /// Timeline events.
    pub events: u64,
    /// Sources.
    pub sources: u64,
    /// History entries.
    pub history: u64,
}

impl RegistryDump {
    /// How many rows of each kind the dump holds.
    pub fn counts(&self) -> DumpCounts {
        let n = |x: usize| x as u64;
        DumpCounts {
            persons: n(self.persons.len()),
            detentions: n(self.persons.iter().map(|p| p.detentions.len()).sum()),
            events: n(self.persons.iter().map(|p| p.events.len()).sum()),
            sources: n(self.sources.len()),
            history: n(self.history.len()),
        }
    }

    /// Whether `other` holds the same registry, keys aside: what
    /// `self.without_keys() == other.without_keys()` says, without copying
    /// either dump (a large registry is large twice over already).
    pub fn same_registry(&self, other: &RegistryDump) -> bool {
        fn ranks(d: &RegistryDump) -> Vec<&Source> {
            let mut v: Vec<&Source> = d.sources.iter().collect();
            v.sort_by_key(|s| s.id);
            v
        }
        fn rank(sorted: &[&Source], id: i64) -> Option<usize> {
            sorted.binary_search_by_key(&id, |s| s.id).ok()
        }
        fn cited(sorted: &[&Source], e: &Event) -> Vec<Option<usize>> {
            let mut v: Vec<Option<usize>> =
                e.source_ids.iter().map(|&id| rank(sorted, id)).collect();
            v.sort_unstable();
            v
        }
        let (a, b) = (ranks(self), ranks(other));
        let same_source = |x: &&Source, y: &&Source| {
            Source {
                id: 0,
                ..(*x).clone()
            } == Source {
                id: 0,
                ..(*y).clone()
            }
        };
        let same_detention = |x: &Detention, y: &Detention| {
            Detention { id: 0, ..x.clone() } == Detention { id: 0, ..y.clone() }
        };
        let same_event = |x: &Event, y: &Event| {
            x.kind == y.kind
                && x.date == y.date
                && x.release == y.release
                && x.place == y.place
                && x.description == y.description
                && cited(&a, x) == cited(&b, y)
        };
        let same_person = |x: &DumpedPerson, y: &DumpedPerson| {
            x.person == y.person
                && x.status == y.status
                && x.created_at == y.created_at
                && x.updated_at == y.updated_at
                && x.detentions.len() == y.detentions.len()
                && x.detentions
                    .iter()
                    .zip(&y.detentions)
                    .all(|(d, e)| same_detention(d, e))
                && x.events.len() == y.events.len()
                && x.events
                    .iter()
                    .zip(&y.events)
                    .all(|(d, e)| same_event(d, e))
        };
        self.synthetic == other.synthetic
            && self.history == other.history
            && a.len() == b.len()
            && a.iter().zip(&b).all(|(x, y)| same_source(x, y))
            && self.persons.len() == other.persons.len()
            && self
                .persons
                .iter()
                .zip(&other.persons)
                .all(|(x, y)| same_person(x, y))
    }

    /// The dump with its keys replaced by canonical ones: sources numbered
    /// 1, 2, … in the order of their ids (references follow), detention and
    /// event ids set to 0. Two registries hold the same data exactly when
    /// their dumps are equal after this, whatever keys each backend chose.
    /// A reference to a source the dump lacks becomes `-1`.
    pub fn without_keys(&self) -> RegistryDump {
        let mut order: Vec<i64> = self.sources.iter().map(|s| s.id).collect();
        order.sort_unstable();
        let key = |id: i64| {
            order
                .binary_search(&id)
                .map_or(-1, |i| i64::try_from(i).map_or(-1, |i| i + 1))
        };
        let mut out = self.clone();
        for s in &mut out.sources {
            s.id = key(s.id);
        }
        out.sources.sort_by_key(|s| s.id);
        for p in &mut out.persons {
            for d in &mut p.detentions {
                d.id = 0;
            }
            for e in &mut p.events {
                e.id = 0;
                for s in &mut e.source_ids {
                    *s = key(*s);
                }
                e.source_ids.sort_unstable();
            }
        }
        out
    }
}

/// The storage interface. Implementations must be cheap to share
/// (`Arc<dyn Store>`) and safe to call from many tasks at once.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// A short name of the backend, for logs (`sqlite`, `postgres`).
    fn backend(&self) -> &'static str;

    /// A number that changes after every committed write that can change
    /// what a page shows, by this process or any other sharing the
    /// database. Caches compare it to know when they are stale.
    async fn version(&self) -> StoreResult<i64>;

    /// Whether the registry holds no person at all.
    async fn is_empty(&self) -> StoreResult<bool>;

    /// Creates or updates persons by id, in one transaction, recording a
    /// history entry for each person created or changed.
    ///
    /// When a person is updated, the fields named in `keep` (names from
    /// [`Person::fields`], e.g. the CSV columns a file did not have) keep
    /// their stored values, and so do the fields the person CSV never
    /// carries (aliases, occupation, summary). A file without a
    /// `family_contact` column must never erase the contacts on record.
    /// Duplicate ids within `persons` are a [`StoreError::Conflict`] and
    /// nothing is written; an unknown name in `keep` is an error too.
    async fn upsert_persons(
        &self,
        persons: &[Person],
        keep: &[&str],
        actor: &str,
    ) -> StoreResult<UpsertSummary>;

    /// Inserts whole new cases in one transaction. Any id that already
    /// exists is a [`StoreError::Conflict`] and nothing is written.
    async fn insert_cases(&self, cases: &[CaseBundle], actor: &str) -> StoreResult<()>;

    /// Adds an event to a person's timeline and re-derives their status.
    /// Returns the new event's id.
    async fn add_event(&self, person: &PersonId, event: &Event, actor: &str) -> StoreResult<i64>;

    /// One person with detentions, timeline and sources, published or not
    /// (callers decide what the public may see).
    async fn get_person(&self, id: &PersonId) -> StoreResult<Option<PersonRecord>>;

    /// One person as [`Store::get_person`] returns it, but only when the
    /// family consented to publication. An unpublished person costs the
    /// same single lookup as an unknown id, so public pages cannot tell the
    /// two apart, not even by their timing.
    async fn get_published_person(&self, id: &PersonId) -> StoreResult<Option<PersonRecord>>;

    /// Whether the registry holds the synthetic demo data (see
    /// [`Store::mark_synthetic`]). Pages of a synthetic registry say so.
    async fn is_synthetic(&self) -> StoreResult<bool>;

    /// Records, for good, that this registry holds synthetic demo data.
    async fn mark_synthetic(&self) -> StoreResult<()>;

    /// Searches persons. See [`PersonQuery`].
    async fn search_persons(&self, query: &PersonQuery) -> StoreResult<PersonPage>;

    /// Counts by country and derived status, unpublished persons included.
    async fn status_counts(&self) -> StoreResult<Vec<StatusCount>>;

    /// Every person (or only published ones, redacted), ordered by id, with
    /// their derived status.
    async fn export_persons(&self, public_only: bool) -> StoreResult<Vec<(Person, Status)>>;

    /// The history of one person, oldest first.
    async fn person_history(&self, id: &PersonId) -> StoreResult<Vec<HistoryEntry>>;

    /// The whole registry, read from one snapshot (a write committed while
    /// it reads is either wholly in the dump or not at all).
    async fn dump(&self) -> StoreResult<RegistryDump>;

    /// Writes a whole registry, in one transaction: either all of `dump`
    /// is stored or the registry is left exactly as it was.
    ///
    /// A registry that holds anything (persons, sources or history) is
    /// refused with a [`StoreError::Conflict`] unless `replace`, in which
    /// case everything it holds is deleted first, in the same transaction.
    /// Timestamps and history are written as the dump has them (nothing is
    /// added to the history); source keys may be renumbered, references
    /// following. A dump that contradicts itself (a person id twice, an
    /// event citing a source the dump lacks) is refused, and nothing is
    /// written. The registry version moves.
    async fn restore(&self, dump: &RegistryDump, replace: bool) -> StoreResult<()>;
}

/// The message of the [`StoreError::Conflict`] that [`Store::restore`]
/// returns for a registry that is not empty.
pub const RESTORE_NOT_EMPTY: &str = "the target registry is not empty; use --replace";
