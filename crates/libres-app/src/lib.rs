//! The application layer of Libres: what the command line and the web
//! (the staff pages) both do with a registry, written once.
//!
//! What belongs here: reading and checking person files ([`import`]) and
//! writing exports ([`export`]) in the person CSV contract ([`table`]);
//! turning a registry into the matcher's input and matching lists against
//! it, and generic record linkage of CSV files ([`linkage`]); the named
//! lists of announcements, pasted or uploaded ([`named_list`]); staff
//! accounts' setup links and what exports leave in the audit log
//! ([`staff`]); the [`progress`] reports of long steps.
//!
//! What does not: the command line (`libres`, with clap and terminal
//! progress bars), HTTP (`libres-web`), storage (`libres-store-*`), domain
//! rules (`libres-core`) and the name engine (`libres-names`). This crate
//! takes a store as `&dyn PersonReads` / `&dyn PersonWrites`, never opens
//! one, and prints nothing: it returns reports, and front ends show them.
//!
//! Errors are `anyhow` with a context on every step: they end up as a
//! message to a person (a terminal line, a staff page), never matched on.
//! What a caller must act on is structured (import [`import::Problem`]s,
//! the store's typed errors inside).

pub mod export;
pub mod import;
pub mod linkage;
pub mod named_list;
pub mod progress;
pub mod staff;
pub mod statements;
pub mod table;

pub use progress::{Progress, Silent, Unit};
