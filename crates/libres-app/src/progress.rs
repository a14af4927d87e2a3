//! Reports of long steps (reading a large file, writing a million
//! persons), so that a front end can show how far they are: the command
//! line draws a bar on a terminal, a staff page a percentage.

/// What a step counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Bytes of a file.
    Bytes,
    /// Rows or persons.
    Items,
}

/// Told about the steps of a long operation, one at a time. Calls come
/// from whichever thread does the work.
pub trait Progress: Send + Sync {
    /// A step begins: `total` units, or an unknown amount when `None`.
    fn begin(&self, step: &str, total: Option<u64>, unit: Unit);

    /// The current step has done `done` units so far.
    fn reach(&self, done: u64);

    /// The current step is over.
    fn end(&self);
}

/// Progress that nobody watches.
#[derive(Debug, Default, Clone, Copy)]
pub struct Silent;

impl Progress for Silent {
    fn begin(&self, _: &str, _: Option<u64>, _: Unit) {}
    fn reach(&self, _: u64) {}
    fn end(&self) {}
}
