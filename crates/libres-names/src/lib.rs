//! Name reconciliation: who on the registry is the person an announced
//! list names?
//!
//! What belongs here: parsing and normalising Spanish-language names
//! ([`hispanic`]), and record linkage in general — blocking, graded field
//! comparisons, Fellegi–Sunter weights estimated by EM without labels,
//! term-frequency adjustments, match probabilities and decisions.
//!
//! What does not: reading files or databases (the `libres` binary does
//! that and hands rows in as strings), and the registry's domain rules
//! (`libres-core`). Everything here is deterministic: the same input gives
//! the same output, whatever the number of threads.

pub mod compare;
pub mod hispanic;
pub mod link;
pub mod matcher;
pub mod model;
