//! Persons: reading them (case pages, lists, figures, history, export)
//! and writing them (imports, new cases, timeline events).

use crate::records::{
    CaseBundle, HistoryEntry, PersonPage, PersonQuery, PersonRecord, SourceUse, StatusCount,
    UpsertSummary,
};
use crate::{RegistryMeta, StoreResult};
use async_trait::async_trait;
use libres_core::{Detention, Event, Person, PersonId, Source, Status, UnixTime};

/// Reading persons. Public handlers hold this view only (with
/// [`RegistryMeta`]): it cannot write.
#[async_trait]
pub trait PersonReads: RegistryMeta {
    /// One person with detentions, timeline and sources, published or not
    /// (callers decide what the public may see).
    async fn get_person(&self, id: &PersonId) -> StoreResult<Option<PersonRecord>>;

    /// One person as [`PersonReads::get_person`] returns it, but only when
    /// the family consented to publication. An unpublished person costs
    /// the same single lookup as an unknown id, so public pages cannot
    /// tell the two apart, not even by their timing.
    async fn get_published_person(&self, id: &PersonId) -> StoreResult<Option<PersonRecord>>;

    /// Searches persons. See [`PersonQuery`].
    async fn search_persons(&self, query: &PersonQuery) -> StoreResult<PersonPage>;

    /// Counts by country and derived status: of every person, or (for
    /// public figures) of published persons only, so that no public figure
    /// set against another (the list totals count published persons)
    /// tells how many unpublished persons a cell holds.
    async fn status_counts(&self, published_only: bool) -> StoreResult<Vec<StatusCount>>;

    /// The history of one person, oldest first.
    async fn person_history(&self, id: &PersonId) -> StoreResult<Vec<HistoryEntry>>;

    /// Up to `limit` sources with keys above `after_key`, ascending,
    /// confidential ones included, each with how many events cite it: the
    /// staff list of sources. Public pages show sources only through the
    /// published cases that cite them.
    async fn sources(&self, after_key: i64, limit: usize) -> StoreResult<Vec<SourceUse>>;

    /// The source with key `key`, with how many events cite it.
    async fn source(&self, key: i64) -> StoreResult<Option<SourceUse>>;

    /// Every person (or only published ones, redacted), ordered by id,
    /// with their derived status, handed to `sink` a chunk at a time from
    /// one snapshot of the registry: a registry of any size is exported in
    /// the memory of a few chunks. Returns how many persons were handed
    /// over. An error from the sink stops the export and is returned.
    async fn export_persons(
        &self,
        public_only: bool,
        sink: &mut dyn PersonSink,
    ) -> StoreResult<u64>;
}

/// Where [`PersonReads::export_persons`] puts persons.
#[async_trait]
pub trait PersonSink: Send {
    /// Takes the next chunk of persons, in id order.
    async fn put(&mut self, chunk: Vec<(Person, Status)>) -> StoreResult<()>;
}

/// A sink that keeps everything, for small registries and tests.
#[async_trait]
impl PersonSink for Vec<(Person, Status)> {
    async fn put(&mut self, chunk: Vec<(Person, Status)>) -> StoreResult<()> {
        self.extend(chunk);
        Ok(())
    }
}

/// Where [`PersonWrites::import_persons`] takes persons from, a batch at
/// a time.
#[async_trait]
pub trait PersonBatches: Send {
    /// The next batch, or `None` at the end.
    async fn next_batch(&mut self) -> StoreResult<Option<Vec<Person>>>;
}

/// Batches from a slice, cloned one batch at a time.
pub struct SliceBatches<'a> {
    rest: &'a [Person],
    size: usize,
}

impl<'a> SliceBatches<'a> {
    /// Batches of `size` persons (at least 1) from `persons`.
    pub fn new(persons: &'a [Person], size: usize) -> Self {
        SliceBatches {
            rest: persons,
            size: size.max(1),
        }
    }
}

#[async_trait]
impl PersonBatches for SliceBatches<'_> {
    async fn next_batch(&mut self) -> StoreResult<Option<Vec<Person>>> {
        if self.rest.is_empty() {
            return Ok(None);
        }
        let n = self.size.min(self.rest.len());
        let (batch, rest) = self.rest.split_at(n);
        self.rest = rest;
        Ok(Some(batch.to_vec()))
    }
}

/// Writing persons. Every method is one transaction: it applies whole or
/// leaves the registry exactly as it was.
#[async_trait]
pub trait PersonWrites: RegistryMeta {
    /// Creates or updates persons by id, batch after batch, in one
    /// transaction, recording a history entry for each person created or
    /// changed. A registry of any size is imported in the memory of a few
    /// batches; nothing is visible to others before the last batch is in.
    ///
    /// When a person is updated, the fields named in `keep` (names from
    /// [`Person::FIELD_NAMES`], e.g. the CSV columns a file did not have)
    /// keep their stored values, and so do the fields the person CSV never
    /// carries (aliases, occupation, summary). A file without a
    /// `family_contact` column must never erase the contacts on record.
    /// An id that appears twice is a [`crate::StoreError::Duplicate`] and
    /// nothing is written; an unknown name in `keep` is
    /// [`crate::StoreError::Invalid`]. An error from `batches` stops the
    /// import, and nothing is written.
    async fn import_persons(
        &self,
        batches: &mut dyn PersonBatches,
        keep: &[&str],
        actor: &str,
    ) -> StoreResult<UpsertSummary>;

    /// [`PersonWrites::import_persons`] of a few persons held in memory.
    async fn upsert_persons(
        &self,
        persons: &[Person],
        keep: &[&str],
        actor: &str,
    ) -> StoreResult<UpsertSummary> {
        let mut batches = SliceBatches::new(persons, crate::registry::WRITE_BATCH);
        self.import_persons(&mut batches, keep, actor).await
    }

    /// Replaces one person's fields with `person`'s, all of them (aliases,
    /// occupation and summary included, which an import keeps), as a staff
    /// member's edit form does: one history entry with a change per
    /// changed field, one audit entry naming the fields (never their
    /// values). Returns whether anything changed; an unchanged person
    /// writes nothing. An unknown id is [`crate::StoreError::NotFound`].
    async fn update_person(&self, person: &Person, actor: &str) -> StoreResult<bool>;

    /// Inserts whole new cases in one transaction. An id that already
    /// exists is [`crate::StoreError::AlreadyExists`], one given twice is
    /// [`crate::StoreError::Duplicate`], and nothing is written.
    async fn insert_cases(&self, cases: &[CaseBundle], actor: &str) -> StoreResult<()>;

    /// Adds an event to a person's timeline and re-derives their status.
    /// Returns the new event's id. An unknown person or an unknown source
    /// is [`crate::StoreError::NotFound`]; a release for someone the
    /// timeline does not show in custody before it
    /// ([`libres_core::release_allowed`]) is [`crate::StoreError::Invalid`].
    async fn add_event(&self, person: &PersonId, event: &Event, actor: &str) -> StoreResult<i64>;

    /// Adds a detention to a person's case; returns its key. An unknown
    /// person is [`crate::StoreError::NotFound`]. `detention.id` is
    /// ignored.
    async fn add_detention(
        &self,
        person: &PersonId,
        detention: &Detention,
        actor: &str,
    ) -> StoreResult<i64>;

    /// Overwrites the detention whose key is `detention.id`, recording
    /// each changed field in the person's history. Returns whether
    /// anything changed; an unchanged detention writes nothing (no
    /// history, no audit entry). An unknown person, or a detention that is
    /// not one of theirs, is [`crate::StoreError::NotFound`].
    async fn update_detention(
        &self,
        person: &PersonId,
        detention: &Detention,
        actor: &str,
    ) -> StoreResult<bool>;

    /// Deletes one of a person's detentions; the person's history keeps
    /// its fields as they were. An unknown person, or a detention that is
    /// not one of theirs, is [`crate::StoreError::NotFound`].
    async fn delete_detention(
        &self,
        person: &PersonId,
        detention_id: i64,
        actor: &str,
    ) -> StoreResult<()>;

    /// Stores a source (shared by every person whose events cite it);
    /// returns its key. `source.id` is ignored. The audit entry names its
    /// key, kind and whether it is confidential, never its title or
    /// address.
    async fn add_source(&self, source: &Source, actor: &str) -> StoreResult<i64>;

    /// Overwrites the source whose key is `source.id`, its confidential
    /// mark included. Returns whether anything changed; an unchanged
    /// source writes nothing. An unknown key is
    /// [`crate::StoreError::NotFound`].
    async fn update_source(&self, source: &Source, actor: &str) -> StoreResult<bool>;

    /// Deletes a source that no event cites. A cited source is
    /// [`crate::StoreError::Invalid`] (its events would lose their
    /// evidence: edit them first); an unknown key is
    /// [`crate::StoreError::NotFound`].
    async fn delete_source(&self, key: i64, actor: &str) -> StoreResult<()>;

    /// Replaces the event whose key is `event.id` (kind, date, release,
    /// place, description, cited sources) and re-derives the person's
    /// status. Returns whether anything changed; an unchanged event
    /// writes nothing. An unknown person, an event that is not one of
    /// theirs, or an unknown source is [`crate::StoreError::NotFound`].
    async fn update_event(
        &self,
        person: &PersonId,
        event: &Event,
        actor: &str,
    ) -> StoreResult<bool>;

    /// Deletes one of a person's events and re-derives their status. An
    /// unknown person or an event that is not one of theirs is
    /// [`crate::StoreError::NotFound`].
    async fn delete_event(&self, person: &PersonId, event_id: i64, actor: &str) -> StoreResult<()>;

    /// Replaces the confidential values (see
    /// [`libres_core::FieldChange::remove_confidential`]) of every
    /// history entry recorded before `before` with
    /// [`libres_core::FieldChange::REMOVED`], in one transaction; returns
    /// how many entries changed. The entries keep who changed which field
    /// and when. In PostgreSQL history is append-only for the application
    /// role: this is the owner's command.
    async fn purge_history(&self, before: UnixTime, actor: &str) -> StoreResult<u64>;

    /// Records, for good, that this registry holds synthetic demo data.
    async fn mark_synthetic(&self) -> StoreResult<()>;
}
