//! Integration tests of the public site and API: the real router over a
//! real SQLite store, through HTTP. One module per feature; `backends` runs
//! the smoke tests on SQLite and PostgreSQL both.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod announcements;
mod api;
mod backends;
mod browser;
mod cache;
mod errors;
mod fixtures;
mod home;
mod i18n;
mod limits;
mod named_lists;
mod person_page;
mod persons;
mod security;
mod serve;
mod staff;
mod staff_auth;
mod staff_cases;
mod staff_pages;
mod statements;
