//! Test helpers for Libres. A dev-dependency only: nothing here ships.
//!
//! What belongs here: [`spawn_app`], which serves the real router over a
//! real SQLite store in a temporary directory on a free port, and
//! [`spawn_app_on`], which does the same over either [`Backend`] (a
//! throwaway PostgreSQL database when `LIBRES_TEST_POSTGRES_URL` is set);
//! a small HTTP
//! client ([`TestApp::get`] and typed helpers such as
//! [`TestApp::get_person_html`]); builders for persons and whole cases
//! ([`PersonBuilder`], [`CaseBuilder`]); [`BrokenStore`], a store that
//! always fails, for testing error paths; [`SpyStore`], which records the
//! calls made to a store and can refuse some; and [`browser::Browser`],
//! headless Chromium over WebDriver, for looking at pages as a reader's
//! browser lays them out.
//!
//! What does not: assertions about behaviour. Those live in each crate's
//! `tests/`.
//!
//! The helpers panic on failure (a broken fixture is a failed test), so the
//! workspace's ban on `unwrap`/`expect` is lifted for this crate.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod browser;
mod builders;
mod client;
mod spy;

pub use builders::{CaseBuilder, DetentionBuilder, PersonBuilder};
pub use client::TestResponse;
pub use spy::SpyStore;

use libres_store::{
    CaseBundle, PersonReads, PersonWrites, RegistryMeta, Snapshot, Store, StoreError, StoreResult,
};
use libres_store_postgres::testing::{TestDatabase, TEST_URL_ENV};
use libres_web::{Lang, WebOptions};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::task::JoinHandle;

/// A running server, its store, and an HTTP client for it. The server
/// stops and the temporary database is deleted when this is dropped.
pub struct TestApp {
    /// Where the server listens (127.0.0.1, a free port).
    pub addr: SocketAddr,
    /// The store the server reads; write fixtures through it.
    pub store: Arc<dyn Store>,
    server: JoinHandle<()>,
    // Dropped last: the database lives in it (or is dropped by it).
    _guard: Option<StoreGuard>,
}

/// The storage engines a registry can live in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// A SQLite file in a temporary directory.
    Sqlite,
    /// A fresh database on the PostgreSQL server of
    /// `LIBRES_TEST_POSTGRES_URL` (unavailable when it is unset).
    Postgres,
}

impl Backend {
    /// Every backend, SQLite first.
    pub const ALL: [Backend; 2] = [Backend::Sqlite, Backend::Postgres];

    /// `sqlite` or `postgres`, as the stores call themselves.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// Why this backend is not available here, if it is not: for the
    /// `*** SKIPPED` line a test prints instead of passing silently.
    pub fn unavailable_reason(self) -> Option<String> {
        match self {
            Backend::Sqlite => None,
            Backend::Postgres => match std::env::var(TEST_URL_ENV) {
                Ok(url) if !url.trim().is_empty() => None,
                _ => Some(format!("{TEST_URL_ENV} is unset")),
            },
        }
    }
}

/// What keeps a temporary store's data alive, and deletes it when dropped:
/// a temporary directory (SQLite) or a throwaway database (PostgreSQL).
#[derive(Debug)]
pub enum StoreGuard {
    /// The directory that holds the SQLite file.
    Dir(tempfile::TempDir),
    /// The PostgreSQL database, dropped (connections and all) with this.
    /// Boxed: its connection options are large.
    Postgres(Box<TestDatabase>),
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Options for tests: the defaults, page cache included (it follows the
/// registry version, so a test always sees what it has just written).
pub fn test_options() -> WebOptions {
    WebOptions::default()
}

/// Serves the real router with [`test_options`] over a fresh SQLite
/// registry in a temporary directory.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(test_options()).await
}

/// Like [`spawn_app`], with the options given (e.g. another page cache
/// size). Whether the registry is synthetic is not an option: mark the
/// store with [`TestApp::mark_synthetic`].
pub async fn spawn_app_with(opts: WebOptions) -> TestApp {
    spawn_app_through(opts, |store| store).await
}

/// Like [`spawn_app_with`], but the server (and [`TestApp::store`]) see
/// the fresh SQLite store through `wrap`, e.g. a [`SpyStore`].
pub async fn spawn_app_through(
    opts: WebOptions,
    wrap: impl FnOnce(Arc<dyn Store>) -> Arc<dyn Store>,
) -> TestApp {
    let (store, dir) = temp_store().await;
    let mut app = spawn_app_over(wrap(store), opts).await;
    app._guard = Some(StoreGuard::Dir(dir));
    app
}

/// Serves the real router with [`test_options`] over a fresh, empty store
/// of `backend`. `None` when that backend is not configured here (only
/// PostgreSQL, when `LIBRES_TEST_POSTGRES_URL` is unset): the caller must
/// then say that it skipped, see [`Backend::unavailable_reason`].
pub async fn spawn_app_on(backend: Backend) -> Option<TestApp> {
    spawn_app_on_with(backend, test_options()).await
}

/// Like [`spawn_app_on`], with the options given (e.g. a clock the test
/// moves).
pub async fn spawn_app_on_with(backend: Backend, opts: WebOptions) -> Option<TestApp> {
    let (store, guard) = temp_store_on(backend).await?;
    let mut app = spawn_app_over(store, opts).await;
    app._guard = Some(guard);
    Some(app)
}

/// A fresh, empty store of `backend` and the guard that deletes it when
/// dropped (keep it alive as long as the store), or `None` when the
/// backend is not configured here. Panics if it is configured but fails.
pub async fn temp_store_on(backend: Backend) -> Option<(Arc<dyn Store>, StoreGuard)> {
    match backend {
        Backend::Sqlite => {
            let (store, dir) = temp_store().await;
            Some((store, StoreGuard::Dir(dir)))
        }
        Backend::Postgres => {
            let db = TestDatabase::from_env()
                .await
                .unwrap_or_else(|e| panic!("create a PostgreSQL test database: {e}"))?;
            let store = libres_store_postgres::open(db.url())
                .await
                .unwrap_or_else(|e| panic!("open the PostgreSQL store {}: {e}", db.name()));
            Some((Arc::new(store), StoreGuard::Postgres(Box::new(db))))
        }
    }
}

/// A fresh, empty SQLite store in a temporary directory, which is deleted
/// when the returned guard is dropped (keep it alive as long as the store).
pub async fn temp_store() -> (Arc<dyn Store>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("create a temporary directory");
    let url = format!("sqlite:{}", dir.path().join("libres.db").display());
    let store = libres_store_sqlite::open(&url)
        .await
        .expect("open the SQLite store");
    (Arc::new(store), dir)
}

/// Serves the real router over any store (e.g. [`BrokenStore`]).
pub async fn spawn_app_over(store: Arc<dyn Store>, opts: WebOptions) -> TestApp {
    // Bound before the server task starts, so connections made right away
    // wait in the accept queue: no sleeping for readiness.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local address");
    let limits = opts.limits.clone();
    let router = libres_web::router_with(Arc::clone(&store), opts);
    // The server `libres serve` runs, with its timeouts and limits.
    let server = tokio::spawn(async move {
        libres_web::serve_router(listener, router, limits, std::future::pending())
            .await
            .expect("serve");
    });
    TestApp {
        addr,
        store,
        server,
        _guard: None,
    }
}

impl TestApp {
    /// The site's origin, `http://127.0.0.1:{port}`: where every request a
    /// page makes should go.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The absolute URL of `path` (with its query string) on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin())
    }

    /// Creates or updates persons (every field as given), as an import
    /// would.
    pub async fn upsert(&self, persons: impl IntoIterator<Item = libres_core::Person>) {
        let persons: Vec<libres_core::Person> = persons.into_iter().collect();
        self.store
            .upsert_persons(&persons, &[], "test")
            .await
            .expect("upsert persons");
    }

    /// Records that the registry holds synthetic demo data.
    pub async fn mark_synthetic(&self) {
        self.store.mark_synthetic().await.expect("mark synthetic");
    }

    /// Stores whole cases (persons with detentions, events and sources).
    pub async fn insert(&self, cases: impl IntoIterator<Item = CaseBundle>) {
        let cases: Vec<CaseBundle> = cases.into_iter().collect();
        self.store
            .insert_cases(&cases, "test")
            .await
            .expect("insert cases");
    }

    /// GET `path` (with its query string), no extra headers.
    pub async fn get(&self, path: &str) -> TestResponse {
        self.get_with(path, &[]).await
    }

    /// GET `path` with extra request headers.
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> TestResponse {
        client::get(self.addr, path, headers).await
    }

    /// POST `body` to `path` as an HTML form would
    /// (`application/x-www-form-urlencoded`), with extra request headers.
    /// Redirects are not followed.
    pub async fn post_form(
        &self,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> TestResponse {
        let mut all = vec![("content-type", "application/x-www-form-urlencoded")];
        all.extend_from_slice(headers);
        client::request(
            self.addr,
            axum::http::Method::POST,
            path,
            &all,
            axum::body::Bytes::from(body.to_owned()),
        )
        .await
    }

    /// POST `body` to `path` with the given request headers (the content
    /// type among them), e.g. a multipart upload. Redirects are not
    /// followed.
    pub async fn post_bytes(
        &self,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> TestResponse {
        client::request(
            self.addr,
            axum::http::Method::POST,
            path,
            headers,
            axum::body::Bytes::from(body),
        )
        .await
    }

    /// The home page in `lang`.
    pub async fn get_home_html(&self, lang: Lang) -> TestResponse {
        self.get(&format!("/{}/", lang.code())).await
    }

    /// A case page, `/{lang}/persons/{id}`.
    pub async fn get_person_html(&self, lang: Lang, id: &str) -> TestResponse {
        self.get(&format!("/{}/persons/{id}", lang.code())).await
    }

    /// The person list with a raw query string (`q=…&page=2`, already
    /// encoded; empty for none).
    pub async fn search_html(&self, lang: Lang, query: &str) -> TestResponse {
        self.get(&format!("/{}/persons?{query}", lang.code())).await
    }

    /// `/api/v1/persons/{id}`.
    pub async fn get_person_json(&self, id: &str) -> TestResponse {
        self.get(&format!("/api/v1/persons/{id}")).await
    }

    /// `/api/v1/persons` with a raw query string.
    pub async fn search_json(&self, query: &str) -> TestResponse {
        self.get(&format!("/api/v1/persons?{query}")).await
    }
}

/// A form's fields, encoded as a browser posts them
/// (`application/x-www-form-urlencoded`).
pub fn form(fields: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

/// A store whose every call fails, as an unreachable database would.
#[derive(Debug, Default, Clone, Copy)]
pub struct BrokenStore;

fn broken<T>() -> StoreResult<T> {
    Err(StoreError::Other(
        "BrokenStore: database unreachable (test double)".into(),
    ))
}

#[async_trait::async_trait]
impl RegistryMeta for BrokenStore {
    fn backend(&self) -> &'static str {
        "broken"
    }
    async fn version(&self) -> StoreResult<i64> {
        broken()
    }
    async fn is_empty(&self) -> StoreResult<bool> {
        broken()
    }
    async fn is_synthetic(&self) -> StoreResult<bool> {
        broken()
    }
}

#[async_trait::async_trait]
impl PersonReads for BrokenStore {
    async fn get_person(
        &self,
        _: &libres_core::PersonId,
    ) -> StoreResult<Option<libres_store::PersonRecord>> {
        broken()
    }
    async fn get_published_person(
        &self,
        _: &libres_core::PersonId,
    ) -> StoreResult<Option<libres_store::PersonRecord>> {
        broken()
    }
    async fn search_persons(
        &self,
        _: &libres_store::PersonQuery,
    ) -> StoreResult<libres_store::PersonPage> {
        broken()
    }
    async fn status_counts(
        &self,
        _published_only: bool,
    ) -> StoreResult<Vec<libres_store::StatusCount>> {
        broken()
    }
    async fn person_history(
        &self,
        _: &libres_core::PersonId,
    ) -> StoreResult<Vec<libres_store::HistoryEntry>> {
        broken()
    }
    async fn sources(&self, _: i64, _: usize) -> StoreResult<Vec<libres_store::SourceUse>> {
        broken()
    }
    async fn source(&self, _: i64) -> StoreResult<Option<libres_store::SourceUse>> {
        broken()
    }
    async fn export_persons(
        &self,
        _: bool,
        _: &mut dyn libres_store::PersonSink,
    ) -> StoreResult<u64> {
        broken()
    }
}

#[async_trait::async_trait]
impl PersonWrites for BrokenStore {
    async fn import_persons(
        &self,
        _: &mut dyn libres_store::PersonBatches,
        _: &[&str],
        _: &str,
    ) -> StoreResult<libres_store::UpsertSummary> {
        broken()
    }
    async fn insert_cases(&self, _: &[CaseBundle], _: &str) -> StoreResult<()> {
        broken()
    }
    async fn add_event(
        &self,
        _: &libres_core::PersonId,
        _: &libres_core::Event,
        _: &str,
    ) -> StoreResult<i64> {
        broken()
    }
    async fn add_detention(
        &self,
        _: &libres_core::PersonId,
        _: &libres_core::Detention,
        _: &str,
    ) -> StoreResult<i64> {
        broken()
    }
    async fn update_detention(
        &self,
        _: &libres_core::PersonId,
        _: &libres_core::Detention,
        _: &str,
    ) -> StoreResult<bool> {
        broken()
    }
    async fn delete_detention(
        &self,
        _: &libres_core::PersonId,
        _: i64,
        _: &str,
    ) -> StoreResult<()> {
        broken()
    }
    async fn add_source(&self, _: &libres_core::Source, _: &str) -> StoreResult<i64> {
        broken()
    }
    async fn update_source(&self, _: &libres_core::Source, _: &str) -> StoreResult<bool> {
        broken()
    }
    async fn delete_source(&self, _: i64, _: &str) -> StoreResult<()> {
        broken()
    }
    async fn update_event(
        &self,
        _: &libres_core::PersonId,
        _: &libres_core::Event,
        _: &str,
    ) -> StoreResult<bool> {
        broken()
    }
    async fn delete_event(&self, _: &libres_core::PersonId, _: i64, _: &str) -> StoreResult<()> {
        broken()
    }
    async fn update_person(&self, _: &libres_core::Person, _: &str) -> StoreResult<bool> {
        broken()
    }
    async fn purge_history(&self, _: libres_core::UnixTime, _: &str) -> StoreResult<u64> {
        broken()
    }
    async fn mark_synthetic(&self) -> StoreResult<()> {
        broken()
    }
}

#[async_trait::async_trait]
impl Snapshot for BrokenStore {
    async fn dump(
        &self,
        _: &mut dyn libres_store::DumpSink,
    ) -> StoreResult<libres_store::DumpCounts> {
        broken()
    }
    async fn restore(
        &self,
        _: &mut dyn libres_store::DumpSource,
        _: bool,
    ) -> StoreResult<libres_store::DumpCounts> {
        broken()
    }
}

#[async_trait::async_trait]
impl libres_store::StaffStore for BrokenStore {
    async fn add_user(
        &self,
        _: &libres_core::Email,
        _: libres_core::Role,
        _: &str,
        _: libres_core::UnixTime,
    ) -> StoreResult<libres_store::SetupLink> {
        broken()
    }
    async fn users(&self) -> StoreResult<Vec<libres_store::User>> {
        broken()
    }
    async fn user(&self, _: &libres_core::Email) -> StoreResult<Option<libres_store::User>> {
        broken()
    }
    async fn set_role(
        &self,
        _: &libres_core::Email,
        _: libres_core::Role,
        _: &str,
        _: libres_core::UnixTime,
    ) -> StoreResult<()> {
        broken()
    }
    async fn disable_user(
        &self,
        _: &libres_core::Email,
        _: &str,
        _: libres_core::UnixTime,
    ) -> StoreResult<()> {
        broken()
    }
    async fn reset_user(
        &self,
        _: &libres_core::Email,
        _: &str,
        _: libres_core::UnixTime,
    ) -> StoreResult<libres_store::SetupLink> {
        broken()
    }
    async fn begin_setup(
        &self,
        _: &str,
        _: libres_core::UnixTime,
    ) -> StoreResult<libres_store::Enrolment> {
        broken()
    }
    async fn finish_setup(
        &self,
        _: &str,
        _: &str,
        _: &str,
        _: libres_core::UnixTime,
    ) -> StoreResult<Vec<String>> {
        broken()
    }
    async fn login(
        &self,
        _: &libres_store::LoginAttempt<'_>,
        _: libres_core::UnixTime,
    ) -> StoreResult<libres_store::LoginOutcome> {
        broken()
    }
    async fn session(
        &self,
        _: &str,
        _: libres_core::UnixTime,
    ) -> StoreResult<Option<libres_store::StaffUser>> {
        broken()
    }
    async fn touch_session(&self, _: &str, _: libres_core::UnixTime) -> StoreResult<()> {
        broken()
    }
    async fn logout(&self, _: &str) -> StoreResult<()> {
        broken()
    }
    async fn logout_everywhere(
        &self,
        _: &libres_core::Email,
        _: &str,
        _: libres_core::UnixTime,
    ) -> StoreResult<u64> {
        broken()
    }
}

#[async_trait::async_trait]
impl libres_store::AnnouncementStore for BrokenStore {
    async fn add_announcement(&self, _: &libres_core::Announcement, _: &str) -> StoreResult<i64> {
        broken()
    }
    async fn update_announcement(
        &self,
        _: &libres_core::Announcement,
        _: &str,
    ) -> StoreResult<bool> {
        broken()
    }
    async fn delete_announcement(&self, _: i64, _: &str) -> StoreResult<()> {
        broken()
    }
    async fn set_named_list(
        &self,
        _: i64,
        _: &[libres_core::ListedName],
        _: &str,
    ) -> StoreResult<()> {
        broken()
    }
    async fn named_list(&self, _: i64) -> StoreResult<Vec<libres_core::ListedName>> {
        broken()
    }
    async fn decide_name(
        &self,
        _: i64,
        _: i64,
        _: libres_core::Review,
        _: Option<&libres_core::PersonId>,
        _: &str,
    ) -> StoreResult<()> {
        broken()
    }
}

#[async_trait::async_trait]
impl libres_store::AnnouncementReads for BrokenStore {
    async fn announcement(&self, _: i64) -> StoreResult<Option<libres_core::Announcement>> {
        broken()
    }
    async fn announcement_persons(&self, _: i64) -> StoreResult<Vec<libres_core::PersonId>> {
        broken()
    }
    async fn announcements(
        &self,
        _: Option<&libres_core::CountryCode>,
        _: usize,
    ) -> StoreResult<Vec<libres_core::Announcement>> {
        broken()
    }
    async fn announcement_list(&self, _: i64) -> StoreResult<libres_store::ListSummary> {
        broken()
    }
    async fn country_timelines(
        &self,
        _: &libres_core::CountryCode,
    ) -> StoreResult<Vec<Vec<libres_core::held::Dated>>> {
        broken()
    }
    async fn country_cases(
        &self,
        _: &libres_core::CountryCode,
    ) -> StoreResult<Vec<libres_core::figures::CountryCase>> {
        broken()
    }
}

#[async_trait::async_trait]
impl libres_store::AuditLog for BrokenStore {
    async fn record(
        &self,
        _: &libres_store::AuditEvent<'_>,
        _: libres_core::UnixTime,
    ) -> StoreResult<()> {
        broken()
    }
    async fn audit_entries(&self, _: i64, _: usize) -> StoreResult<Vec<libres_store::AuditEntry>> {
        broken()
    }
    async fn verify_audit(&self, _: Option<(i64, &str)>) -> StoreResult<libres_store::AuditReport> {
        broken()
    }
}

/// Statements, through the same door.
mod statements_impl {
    use super::*;
    use libres_core::statement::Statement;
    use libres_core::{PersonId, UnixTime};
    use libres_store::statements as st;

    #[async_trait::async_trait]
    impl libres_store::StatementReads for BrokenStore {
        async fn statement(&self, _: i64) -> StoreResult<Option<Statement>> {
            broken()
        }
        async fn statements(&self, _: bool) -> StoreResult<Vec<Statement>> {
            broken()
        }
        async fn signature_counts(&self, _: i64) -> StoreResult<st::SignatureCounts> {
            broken()
        }
        async fn public_signatures(
            &self,
            _: i64,
            _: u64,
            _: u64,
        ) -> StoreResult<Vec<st::PublicSignature>> {
            broken()
        }
        async fn public_signature_count(&self, _: i64) -> StoreResult<u64> {
            broken()
        }
        async fn signature_shown(
            &self,
            _: i64,
            _: i64,
        ) -> StoreResult<Option<(Option<String>, libres_core::statement::SignerCategory)>> {
            broken()
        }
    }
    #[async_trait::async_trait]
    impl libres_store::StatementStore for BrokenStore {
        async fn add_statement(&self, _: &Statement, _: &str) -> StoreResult<i64> {
            broken()
        }
        async fn update_statement(&self, _: &Statement, _: &str) -> StoreResult<bool> {
            broken()
        }
        async fn take_signatures(&self, _: &[st::NewSignature]) -> StoreResult<Vec<st::Taken>> {
            broken()
        }
        async fn confirm_signatures(
            &self,
            _: &[(i64, i64)],
            _: UnixTime,
        ) -> StoreResult<Vec<st::Confirmation>> {
            broken()
        }
        async fn signatures(
            &self,
            _: i64,
            _: st::SignatureFilter,
            _: u64,
            _: u64,
        ) -> StoreResult<(Vec<st::SignatureRecord>, u64)> {
            broken()
        }
        async fn moderate_signatures(
            &self,
            _: i64,
            _: &[i64],
            _: st::Moderation,
            _: &str,
        ) -> StoreResult<u64> {
            broken()
        }
        async fn link_signature(
            &self,
            _: i64,
            _: i64,
            _: Option<&PersonId>,
            _: i64,
            _: &str,
        ) -> StoreResult<()> {
            broken()
        }
        async fn anonymise_closed(&self, _: UnixTime, _: &str) -> StoreResult<u64> {
            broken()
        }
        async fn due_mail(&self, _: UnixTime, _: usize) -> StoreResult<Vec<st::OutgoingMail>> {
            broken()
        }
        async fn settle_mail(&self, _: &[i64], _: &[(i64, UnixTime)], _: u32) -> StoreResult<()> {
            broken()
        }
        async fn site_key(&self, _: &str) -> StoreResult<String> {
            broken()
        }
    }
}
