//! End-to-end tests of the `libres` binary: each test runs the real
//! executable against its own SQLite database in a temporary directory.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cli;
mod copy;
mod crash;
mod export;
mod helpers;
mod history;
mod import;
mod linkage;
mod roundtrip;
mod staff;
