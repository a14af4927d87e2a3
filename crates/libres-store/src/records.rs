//! The records stores return and take: what a case page, a list, the
//! figures and a bulk write need, in core types.

use libres_core::{
    CountryCode, Detention, EdtfDate, Event, FieldChange, Person, PersonId, Source, Status,
};
use serde::Serialize;

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
    /// Birth date.
    pub birth_date: Option<EdtfDate>,
    /// Arrest date of the latest detention.
    pub arrest_date: Option<EdtfDate>,
    /// Prison of the latest detention.
    pub prison: Option<String>,
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
    /// Rows per page, from 1 to 1,000 (a larger number is 1,000).
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
    /// When a search by name found nothing: other queries, each with one
    /// misspelled term replaced by the nearest name word of a person the
    /// query may see. Empty otherwise.
    pub suggestions: Vec<String>,
}

/// A source, and how many timeline events cite it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceUse {
    /// The source, confidential or not.
    pub source: Source,
    /// How many events (of any person) and announcements cite it.
    pub citations: u64,
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
    /// `created`, `updated`, `event_added`, `event_changed`,
    /// `event_deleted`, `detention_added` or `detention_updated`.
    pub action: String,
    /// The fields that changed (a detention's as
    /// `detention.<key>.<field>`). Confidential values older than the
    /// retention period read [`libres_core::FieldChange::REMOVED`].
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
