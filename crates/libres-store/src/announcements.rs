//! Release announcements: storing what was claimed, apart from what was
//! verified. Every write is one transaction with one audit entry.

use crate::{RegistryMeta, StoreResult};
use async_trait::async_trait;
use libres_core::{Announcement, CountryCode, PersonId};

/// Keeping release announcements: writing them (staff) and, through
/// [`AnnouncementReads`], reading them (public pages hold only that).
#[async_trait]
pub trait AnnouncementStore: AnnouncementReads {
    /// Stores a new announcement; returns its id. `announcement.id` is
    /// ignored. One that fails [`Announcement::problems`] is
    /// [`crate::StoreError::Invalid`], a source it cites that does not
    /// exist [`crate::StoreError::NotFound`]; nothing is written then.
    async fn add_announcement(&self, announcement: &Announcement, actor: &str) -> StoreResult<i64>;

    /// Replaces the announcement whose id is `announcement.id`, texts and
    /// sources included. Returns whether anything changed; an unchanged
    /// announcement writes nothing. Refused as
    /// [`AnnouncementStore::add_announcement`] refuses, and an unknown id
    /// is [`crate::StoreError::NotFound`].
    async fn update_announcement(
        &self,
        announcement: &Announcement,
        actor: &str,
    ) -> StoreResult<bool>;

    /// Deletes an announcement with its texts and citations. An unknown
    /// id is [`crate::StoreError::NotFound`].
    async fn delete_announcement(&self, id: i64, actor: &str) -> StoreResult<()>;
}

/// Reading release announcements. Nothing of an announcement is
/// confidential; [`AnnouncementReads::announcement_persons`] names
/// unpublished persons too, and its callers must not.
#[async_trait]
pub trait AnnouncementReads: RegistryMeta {
    /// One announcement, whole.
    async fn announcement(&self, id: i64) -> StoreResult<Option<Announcement>>;

    /// The persons (published or not) with an event that belongs to
    /// announcement `id`, by id: whom its figures count. Callers name only
    /// the published ones.
    async fn announcement_persons(&self, id: i64) -> StoreResult<Vec<PersonId>>;

    /// The newest announcements (by the latest day their date allows),
    /// of one country or of all, at most `limit`.
    async fn announcements(
        &self,
        country: Option<&CountryCode>,
        limit: usize,
    ) -> StoreResult<Vec<Announcement>>;
}
