//! What a store reports when something goes wrong.
//!
//! Callers tell conflicts apart by variant, never by message: the CLI
//! answers "the target is not empty" with advice about `--replace`, the
//! web answers "not found" with a 404. Database failures keep their cause
//! (the driver's own error) for the logs: [`std::error::Error::source`]
//! returns it, and the message names the step that failed.

/// A boxed error from a layer below (a driver) or beside (a caller's sink).
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Errors a store reports.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record asked for does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// A record with this id is already stored (e.g. a new case whose
    /// person id exists).
    #[error("{0} already exists")]
    AlreadyExists(String),
    /// One write names the same id twice.
    #[error("{0} appears twice")]
    Duplicate(String),
    /// A restore without `replace` found a registry that holds data.
    #[error("the target registry is not empty")]
    NotEmpty,
    /// The caller asked for something the store cannot do as asked: an
    /// unknown field to keep, an event citing a source the case lacks, a
    /// dump whose parts come out of order.
    #[error("{0}")]
    Invalid(String),
    /// A stored value that no valid write could have left: the database
    /// was edited behind Libres' back.
    #[error("corrupt {what} in the database: {detail}")]
    Corrupt {
        /// What was being read.
        what: String,
        /// What is wrong with it.
        detail: String,
    },
    /// The database failed a step: unreachable, refused, out of space,
    /// or a constraint the store did not expect. `context` names the step.
    #[error("{context}: {source}")]
    Database {
        /// The step that failed, e.g. "reading a person".
        context: String,
        /// The driver's error.
        #[source]
        source: BoxError,
    },
    /// The caller's sink or source of a streamed read or write failed
    /// (a disk full while exporting, a file that could not be read back
    /// while importing); nothing more was read or written.
    #[error("{0}")]
    Aborted(#[source] BoxError),
    /// Anything else, for logs and operators: an unreachable server, a
    /// schema newer than this binary.
    #[error("{0}")]
    Other(String),
}

impl StoreError {
    /// A database error at the step `context`, keeping the driver's error.
    pub fn database(context: impl Into<String>, source: impl Into<BoxError>) -> StoreError {
        StoreError::Database {
            context: context.into(),
            source: source.into(),
        }
    }

    /// Whether the error says that the write conflicts with what is stored
    /// or with itself (an id that exists or repeats, a registry that is
    /// not empty): the caller's data is at fault, not the database.
    pub fn is_conflict(&self) -> bool {
        matches!(
            self,
            StoreError::AlreadyExists(_) | StoreError::Duplicate(_) | StoreError::NotEmpty
        )
    }
}

/// Result alias for store operations.
pub type StoreResult<T> = Result<T, StoreError>;
