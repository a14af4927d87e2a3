//! The storage interface of Libres, and the workflows every backend shares.
//!
//! What belongs here:
//! - the store's capabilities as traits, each a file: [`RegistryMeta`]
//!   (`meta.rs`), [`PersonReads`] and [`PersonWrites`] (`persons.rs`),
//!   [`Snapshot`] (`snapshot.rs`), [`StaffStore`] (`staff.rs`) and
//!   [`AuditLog`] (`audit.rs`), with [`Store`] as their sum. Public
//!   handlers hold a reads-only view (`Arc<dyn PersonReads>`); the binary
//!   and staff pages hold the whole [`Store`];
//! - the records they take and return (`records.rs`), and [`StoreError`];
//! - the secrets of staff accounts (`credentials.rs`: Argon2id, TOTP,
//!   tokens and their hashes);
//! - [`Registry`], the workflows written once (what a write does, in which
//!   order, with which checks and which history), over the small
//!   primitives of a [`backend::Backend`], which each backend crate
//!   implements with its own SQL;
//! - the statements that read and write the same way in every dialect
//!   (staff accounts and the audit chain, [`sql`]), over one primitive a
//!   backend provides: running a statement;
//! - the decoding of what backends read (`rows.rs`, `decode.rs`), the
//!   in-memory name index (`search_index.rs`) and the conformance suite
//!   (`conformance/`, one file per capability), run on every backend.
//!
//! What does not: connections, drivers, SQL of one dialect, migrations,
//! or any other backend detail. Nothing above this crate knows which backend runs: the binary
//! picks one from the `--db` URL scheme and hands the rest of the program
//! an `Arc<dyn Store>`.
//!
//! Every write is one transaction: a method either applies whole or leaves
//! the database exactly as it was.

pub mod announcements;
pub mod audit;
pub mod backend;
#[cfg(feature = "conformance")]
pub mod conformance;
pub mod credentials;
pub mod decode;
mod error;
mod meta;
mod persons;
mod records;
mod registry;
pub mod rows;
pub mod search_index;
mod snapshot;
pub mod sql;
mod staff;
pub mod statements;

pub use announcements::{AnnouncementReads, AnnouncementStore, ListSummary};
pub use audit::{AuditEntry, AuditEvent, AuditLog, AuditReport, Broken};
pub use error::{BoxError, StoreError, StoreResult};
pub use meta::RegistryMeta;
pub use persons::{PersonBatches, PersonReads, PersonSink, PersonWrites, SliceBatches};
pub use records::{
    CaseBundle, HistoryEntry, PersonPage, PersonQuery, PersonRecord, PersonSummary, SourceUse,
    StatusCount, UpsertSummary,
};
pub use registry::{Registry, DUMP_CHUNK, WRITE_BATCH};
pub use snapshot::{
    channel, compare, copy, ChannelSink, ChannelSource, DumpCounts, DumpPart, DumpSink, DumpSource,
    DumpedHistory, DumpedName, DumpedPerson, DumpedSignature, DumpedStatement, RegistryDump,
    Snapshot,
};
pub use staff::{
    Enrolment, LoginAttempt, LoginOutcome, SecondFactor, SetupLink, StaffStore, StaffUser, User,
};
pub use statements::{StatementReads, StatementStore};

/// Everything a registry can do: the sum of the capability traits. A
/// later capability adds its trait to this sum.
pub trait Store:
    PersonReads + PersonWrites + Snapshot + StaffStore + AuditLog + AnnouncementStore + StatementStore
{
}

impl<
        T: PersonReads
            + PersonWrites
            + Snapshot
            + StaffStore
            + AuditLog
            + AnnouncementStore
            + StatementStore,
    > Store for T
{
}
