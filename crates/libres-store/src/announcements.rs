//! Release announcements: storing what was claimed, apart from what was
//! verified. Every write is one transaction with one audit entry.

use crate::{RegistryMeta, StoreResult};
use async_trait::async_trait;
use libres_core::{Announcement, CountryCode, ListedName, PersonId, Review};

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

    /// Replaces the named list of announcement `id` with `names` (as the
    /// matcher proposed them; every name pending), in one transaction.
    /// Refused with [`crate::StoreError::Invalid`] once a person has
    /// decided on any name of the list: decisions are never thrown away.
    /// An unknown announcement is [`crate::StoreError::NotFound`].
    async fn set_named_list(&self, id: i64, names: &[ListedName], actor: &str) -> StoreResult<()>;

    /// The named list of announcement `id`, in line order.
    async fn named_list(&self, id: i64) -> StoreResult<Vec<ListedName>>;

    /// Records a person's decision on name `name` of announcement `id`:
    /// [`Review::Confirmed`] with the registry person it names (the
    /// proposal or another), or [`Review::Rejected`] without one. A name
    /// already decided is [`crate::StoreError::Invalid`], saying by whom:
    /// of two editors deciding at once, one wins and the other is told.
    /// An unknown name or person is [`crate::StoreError::NotFound`].
    async fn decide_name(
        &self,
        id: i64,
        name: i64,
        review: Review,
        person: Option<&PersonId>,
        actor: &str,
    ) -> StoreResult<()>;
}

/// An announcement's named list, as public figures read it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListSummary {
    /// Names on the list.
    pub names: u64,
    /// The registry persons confirmed on it, once each.
    pub confirmed: Vec<PersonId>,
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

    /// How many names the announcement's named list holds, and the
    /// persons (published or not) confirmed on it, by id. Callers name
    /// only the published ones.
    async fn announcement_list(&self, id: i64) -> StoreResult<ListSummary>;

    /// The newest announcements (by the latest day their date allows),
    /// of one country or of all, at most `limit`.
    async fn announcements(
        &self,
        country: Option<&CountryCode>,
        limit: usize,
    ) -> StoreResult<Vec<Announcement>>;

    /// The timelines of the published persons of `country`, one per
    /// person, each event marked as backed in public or not (see
    /// [`libres_core::held`]).
    async fn country_timelines(
        &self,
        country: &CountryCode,
    ) -> StoreResult<Vec<Vec<libres_core::held::Dated>>>;

    /// The published persons of `country` with their timelines and what
    /// the breakdowns and monthly reports count (see
    /// [`libres_core::figures`]).
    async fn country_cases(
        &self,
        country: &CountryCode,
    ) -> StoreResult<Vec<libres_core::figures::CountryCase>>;
}
