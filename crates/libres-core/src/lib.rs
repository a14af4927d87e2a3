//! The domain model of the Libres registry.
//!
//! What belongs here: the types a researcher talks about (persons, cases,
//! charges, timeline events, sources), EDTF dates, validation that turns raw
//! text into those types ("parse, don't validate"), the derivation of a
//! person's current status from the timeline, and staff roles with the
//! rules of logging in (`staff`).
//!
//! What does not: any IO. No database, no HTTP, no files, no async runtime.
//! Everything here is a pure function of its inputs, so it can be tested with
//! property tests and reused by every storage backend and front end.

pub mod announcement;
pub mod charges;
pub mod country;
pub mod date;
pub mod event;
pub mod figures;
pub mod held;
pub mod person;
pub mod source;
pub mod staff;
pub mod statement;
pub mod status;
pub mod text;

pub use announcement::{
    figures, public_figures, Announcement, AnnouncementText, ClaimKind, Figure, IssuerKind,
    ListedName, Proposal, PublicFigure, Review, Standing, SMALL_CELL,
};
pub use country::CountryCode;
pub use date::EdtfDate;
pub use event::{Condition, Event, EventKind, Release, ReleaseGroup, ReleaseKind, Verification};
pub use person::{Detention, FieldChange, FieldError, Person, PersonId, Sex};
pub use source::{Source, SourceKind};
pub use staff::{Email, Permission, Role, UnixTime};
pub use status::{derive_status, release_allowed, stranded_releases, Status};
