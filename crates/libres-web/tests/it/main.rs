//! Integration tests of the public site and API: the real router over a
//! real SQLite store, through HTTP. One module per feature.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api;
mod browser;
mod cache;
mod errors;
mod fixtures;
mod home;
mod i18n;
mod person_page;
mod persons;
mod security;
mod serve;
