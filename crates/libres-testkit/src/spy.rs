//! [`SpyStore`]: a store that records which of its methods are called,
//! and can refuse some of them, in front of a real one.

use async_trait::async_trait;
use libres_core::{Email, Event, Person, PersonId, Role, UnixTime};
use libres_store::{
    AuditEntry, AuditEvent, AuditLog, AuditReport, CaseBundle, DumpCounts, DumpSink, DumpSource,
    Enrolment, HistoryEntry, LoginAttempt, LoginOutcome, PersonBatches, PersonPage, PersonQuery,
    PersonReads, PersonRecord, PersonSink, PersonWrites, RegistryMeta, SetupLink, Snapshot,
    StaffStore, StaffUser, StatusCount, Store, StoreError, StoreResult, UpsertSummary, User,
};
use std::sync::{Arc, Mutex};

/// A store that passes every call to `inner`, recording the method's name,
/// except the methods it was told to refuse: those fail, as an
/// unreachable database would. For asserting what the web layer asks of
/// its store, e.g. that the public site never reads an unpublished
/// person's record.
pub struct SpyStore {
    inner: Arc<dyn Store>,
    refused: Vec<&'static str>,
    calls: Mutex<Vec<&'static str>>,
}

impl SpyStore {
    /// A spy in front of `inner`, refusing nothing.
    pub fn new(inner: Arc<dyn Store>) -> Self {
        SpyStore {
            inner,
            refused: Vec::new(),
            calls: Mutex::new(Vec::new()),
        }
    }

    /// Makes the methods named in `methods` (e.g. `"get_person"`) fail.
    pub fn refusing(mut self, methods: &[&'static str]) -> Self {
        self.refused.extend_from_slice(methods);
        self
    }

    /// The names of the methods called so far, in order (refused calls
    /// included).
    pub fn calls(&self) -> Vec<&'static str> {
        self.calls.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Whether `method` has been called.
    pub fn called(&self, method: &str) -> bool {
        self.calls().contains(&method)
    }

    fn record(&self, method: &'static str) -> StoreResult<()> {
        self.calls
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(method);
        if self.refused.contains(&method) {
            return Err(StoreError::Other(format!(
                "SpyStore: {method} refused (test double)"
            )));
        }
        Ok(())
    }
}

#[async_trait]
impl RegistryMeta for SpyStore {
    fn backend(&self) -> &'static str {
        self.inner.backend()
    }
    async fn version(&self) -> StoreResult<i64> {
        self.record("version")?;
        self.inner.version().await
    }
    async fn is_empty(&self) -> StoreResult<bool> {
        self.record("is_empty")?;
        self.inner.is_empty().await
    }
    async fn is_synthetic(&self) -> StoreResult<bool> {
        self.record("is_synthetic")?;
        self.inner.is_synthetic().await
    }
}

#[async_trait]
impl PersonReads for SpyStore {
    async fn get_person(&self, id: &PersonId) -> StoreResult<Option<PersonRecord>> {
        self.record("get_person")?;
        self.inner.get_person(id).await
    }
    async fn get_published_person(&self, id: &PersonId) -> StoreResult<Option<PersonRecord>> {
        self.record("get_published_person")?;
        self.inner.get_published_person(id).await
    }
    async fn search_persons(&self, query: &PersonQuery) -> StoreResult<PersonPage> {
        self.record("search_persons")?;
        self.inner.search_persons(query).await
    }
    async fn status_counts(&self, published_only: bool) -> StoreResult<Vec<StatusCount>> {
        self.record("status_counts")?;
        self.inner.status_counts(published_only).await
    }
    async fn person_history(&self, id: &PersonId) -> StoreResult<Vec<HistoryEntry>> {
        self.record("person_history")?;
        self.inner.person_history(id).await
    }
    async fn sources(
        &self,
        after_key: i64,
        limit: usize,
    ) -> StoreResult<Vec<libres_store::SourceUse>> {
        self.record("sources")?;
        self.inner.sources(after_key, limit).await
    }
    async fn source(&self, key: i64) -> StoreResult<Option<libres_store::SourceUse>> {
        self.record("source")?;
        self.inner.source(key).await
    }
    async fn export_persons(
        &self,
        public_only: bool,
        sink: &mut dyn PersonSink,
    ) -> StoreResult<u64> {
        self.record("export_persons")?;
        self.inner.export_persons(public_only, sink).await
    }
}

#[async_trait]
impl PersonWrites for SpyStore {
    async fn import_persons(
        &self,
        batches: &mut dyn PersonBatches,
        keep: &[&str],
        actor: &str,
    ) -> StoreResult<UpsertSummary> {
        self.record("import_persons")?;
        self.inner.import_persons(batches, keep, actor).await
    }
    async fn upsert_persons(
        &self,
        persons: &[Person],
        keep: &[&str],
        actor: &str,
    ) -> StoreResult<UpsertSummary> {
        self.record("upsert_persons")?;
        self.inner.upsert_persons(persons, keep, actor).await
    }
    async fn insert_cases(&self, cases: &[CaseBundle], actor: &str) -> StoreResult<()> {
        self.record("insert_cases")?;
        self.inner.insert_cases(cases, actor).await
    }
    async fn add_event(&self, person: &PersonId, event: &Event, actor: &str) -> StoreResult<i64> {
        self.record("add_event")?;
        self.inner.add_event(person, event, actor).await
    }
    async fn add_detention(
        &self,
        person: &PersonId,
        detention: &libres_core::Detention,
        actor: &str,
    ) -> StoreResult<i64> {
        self.record("add_detention")?;
        self.inner.add_detention(person, detention, actor).await
    }
    async fn update_detention(
        &self,
        person: &PersonId,
        detention: &libres_core::Detention,
        actor: &str,
    ) -> StoreResult<bool> {
        self.record("update_detention")?;
        self.inner.update_detention(person, detention, actor).await
    }
    async fn delete_detention(
        &self,
        person: &PersonId,
        detention_id: i64,
        actor: &str,
    ) -> StoreResult<()> {
        self.record("delete_detention")?;
        self.inner
            .delete_detention(person, detention_id, actor)
            .await
    }
    async fn add_source(&self, source: &libres_core::Source, actor: &str) -> StoreResult<i64> {
        self.record("add_source")?;
        self.inner.add_source(source, actor).await
    }
    async fn update_source(&self, source: &libres_core::Source, actor: &str) -> StoreResult<bool> {
        self.record("update_source")?;
        self.inner.update_source(source, actor).await
    }
    async fn delete_source(&self, key: i64, actor: &str) -> StoreResult<()> {
        self.record("delete_source")?;
        self.inner.delete_source(key, actor).await
    }
    async fn update_event(
        &self,
        person: &PersonId,
        event: &Event,
        actor: &str,
    ) -> StoreResult<bool> {
        self.record("update_event")?;
        self.inner.update_event(person, event, actor).await
    }
    async fn delete_event(&self, person: &PersonId, event_id: i64, actor: &str) -> StoreResult<()> {
        self.record("delete_event")?;
        self.inner.delete_event(person, event_id, actor).await
    }
    async fn update_person(&self, person: &libres_core::Person, actor: &str) -> StoreResult<bool> {
        self.record("update_person")?;
        self.inner.update_person(person, actor).await
    }
    async fn purge_history(&self, before: UnixTime, actor: &str) -> StoreResult<u64> {
        self.record("purge_history")?;
        self.inner.purge_history(before, actor).await
    }
    async fn mark_synthetic(&self) -> StoreResult<()> {
        self.record("mark_synthetic")?;
        self.inner.mark_synthetic().await
    }
}

#[async_trait]
impl Snapshot for SpyStore {
    async fn dump(&self, sink: &mut dyn DumpSink) -> StoreResult<DumpCounts> {
        self.record("dump")?;
        self.inner.dump(sink).await
    }
    async fn restore(&self, source: &mut dyn DumpSource, replace: bool) -> StoreResult<DumpCounts> {
        self.record("restore")?;
        self.inner.restore(source, replace).await
    }
}

#[async_trait]
impl StaffStore for SpyStore {
    async fn add_user(
        &self,
        email: &Email,
        role: Role,
        actor: &str,
        now: UnixTime,
    ) -> StoreResult<SetupLink> {
        self.record("add_user")?;
        self.inner.add_user(email, role, actor, now).await
    }
    async fn users(&self) -> StoreResult<Vec<User>> {
        self.record("users")?;
        self.inner.users().await
    }
    async fn user(&self, email: &Email) -> StoreResult<Option<User>> {
        self.record("user")?;
        self.inner.user(email).await
    }
    async fn set_role(
        &self,
        email: &Email,
        role: Role,
        actor: &str,
        now: UnixTime,
    ) -> StoreResult<()> {
        self.record("set_role")?;
        self.inner.set_role(email, role, actor, now).await
    }
    async fn disable_user(&self, email: &Email, actor: &str, now: UnixTime) -> StoreResult<()> {
        self.record("disable_user")?;
        self.inner.disable_user(email, actor, now).await
    }
    async fn reset_user(
        &self,
        email: &Email,
        actor: &str,
        now: UnixTime,
    ) -> StoreResult<SetupLink> {
        self.record("reset_user")?;
        self.inner.reset_user(email, actor, now).await
    }
    async fn begin_setup(&self, token: &str, now: UnixTime) -> StoreResult<Enrolment> {
        self.record("begin_setup")?;
        self.inner.begin_setup(token, now).await
    }
    async fn finish_setup(
        &self,
        token: &str,
        password: &str,
        code: &str,
        now: UnixTime,
    ) -> StoreResult<Vec<String>> {
        self.record("finish_setup")?;
        self.inner.finish_setup(token, password, code, now).await
    }
    async fn login(&self, attempt: &LoginAttempt<'_>, now: UnixTime) -> StoreResult<LoginOutcome> {
        self.record("login")?;
        self.inner.login(attempt, now).await
    }
    async fn session(&self, token: &str, now: UnixTime) -> StoreResult<Option<StaffUser>> {
        self.record("session")?;
        self.inner.session(token, now).await
    }
    async fn touch_session(&self, token: &str, now: UnixTime) -> StoreResult<()> {
        self.record("touch_session")?;
        self.inner.touch_session(token, now).await
    }
    async fn logout(&self, token: &str) -> StoreResult<()> {
        self.record("logout")?;
        self.inner.logout(token).await
    }
    async fn logout_everywhere(
        &self,
        email: &Email,
        actor: &str,
        now: UnixTime,
    ) -> StoreResult<u64> {
        self.record("logout_everywhere")?;
        self.inner.logout_everywhere(email, actor, now).await
    }
}

#[async_trait]
impl AuditLog for SpyStore {
    async fn record(&self, event: &AuditEvent<'_>, now: UnixTime) -> StoreResult<()> {
        SpyStore::record(self, "record")?;
        self.inner.record(event, now).await
    }
    async fn audit_entries(&self, after_seq: i64, limit: usize) -> StoreResult<Vec<AuditEntry>> {
        SpyStore::record(self, "audit_entries")?;
        self.inner.audit_entries(after_seq, limit).await
    }
    async fn verify_audit(&self, anchor: Option<(i64, &str)>) -> StoreResult<AuditReport> {
        SpyStore::record(self, "verify_audit")?;
        self.inner.verify_audit(anchor).await
    }
}

#[async_trait]
impl libres_store::AnnouncementStore for SpyStore {
    async fn add_announcement(
        &self,
        announcement: &libres_core::Announcement,
        actor: &str,
    ) -> StoreResult<i64> {
        self.record("add_announcement")?;
        self.inner.add_announcement(announcement, actor).await
    }
    async fn update_announcement(
        &self,
        announcement: &libres_core::Announcement,
        actor: &str,
    ) -> StoreResult<bool> {
        self.record("update_announcement")?;
        self.inner.update_announcement(announcement, actor).await
    }
    async fn delete_announcement(&self, id: i64, actor: &str) -> StoreResult<()> {
        self.record("delete_announcement")?;
        self.inner.delete_announcement(id, actor).await
    }
    async fn set_named_list(
        &self,
        id: i64,
        names: &[libres_core::ListedName],
        actor: &str,
    ) -> StoreResult<()> {
        self.record("set_named_list")?;
        self.inner.set_named_list(id, names, actor).await
    }
    async fn named_list(&self, id: i64) -> StoreResult<Vec<libres_core::ListedName>> {
        self.record("named_list")?;
        self.inner.named_list(id).await
    }
    async fn decide_name(
        &self,
        id: i64,
        name: i64,
        review: libres_core::Review,
        person: Option<&PersonId>,
        actor: &str,
    ) -> StoreResult<()> {
        self.record("decide_name")?;
        self.inner
            .decide_name(id, name, review, person, actor)
            .await
    }
}

#[async_trait]
impl libres_store::AnnouncementReads for SpyStore {
    async fn announcement(&self, id: i64) -> StoreResult<Option<libres_core::Announcement>> {
        self.record("announcement")?;
        self.inner.announcement(id).await
    }
    async fn announcement_persons(&self, id: i64) -> StoreResult<Vec<PersonId>> {
        self.record("announcement_persons")?;
        self.inner.announcement_persons(id).await
    }
    async fn announcements(
        &self,
        country: Option<&libres_core::CountryCode>,
        limit: usize,
    ) -> StoreResult<Vec<libres_core::Announcement>> {
        self.record("announcements")?;
        self.inner.announcements(country, limit).await
    }
    async fn announcement_list(&self, id: i64) -> StoreResult<libres_store::ListSummary> {
        self.record("announcement_list")?;
        self.inner.announcement_list(id).await
    }
    async fn country_timelines(
        &self,
        country: &libres_core::CountryCode,
    ) -> StoreResult<Vec<Vec<libres_core::held::Dated>>> {
        self.record("country_timelines")?;
        self.inner.country_timelines(country).await
    }
    async fn country_cases(
        &self,
        country: &libres_core::CountryCode,
    ) -> StoreResult<Vec<libres_core::figures::CountryCase>> {
        self.record("country_cases")?;
        self.inner.country_cases(country).await
    }
}

/// Statements, through the same door.
mod statements_impl {
    use super::*;
    use libres_core::statement::Statement;
    #[allow(unused_imports)]
    use libres_core::{PersonId, UnixTime};
    use libres_store::statements as st;

    #[async_trait::async_trait]
    impl libres_store::StatementReads for SpyStore {
        async fn statement(&self, id: i64) -> StoreResult<Option<Statement>> {
            self.record("statement")?;
            self.inner.statement(id).await
        }
        async fn statements(&self, drafts: bool) -> StoreResult<Vec<Statement>> {
            self.record("statements")?;
            self.inner.statements(drafts).await
        }
        async fn signature_counts(&self, id: i64) -> StoreResult<st::SignatureCounts> {
            self.record("signature_counts")?;
            self.inner.signature_counts(id).await
        }
        async fn public_signatures(
            &self,
            id: i64,
            offset: u64,
            limit: u64,
        ) -> StoreResult<Vec<st::PublicSignature>> {
            self.record("public_signatures")?;
            self.inner.public_signatures(id, offset, limit).await
        }
        async fn public_signature_count(&self, id: i64) -> StoreResult<u64> {
            self.record("public_signature_count")?;
            self.inner.public_signature_count(id).await
        }
        async fn signature_shown(
            &self,
            id: i64,
            signature: i64,
        ) -> StoreResult<Option<(Option<String>, libres_core::statement::SignerCategory)>> {
            self.record("signature_shown")?;
            self.inner.signature_shown(id, signature).await
        }
    }
    #[async_trait::async_trait]
    impl libres_store::StatementStore for SpyStore {
        async fn add_statement(&self, statement: &Statement, actor: &str) -> StoreResult<i64> {
            self.record("add_statement")?;
            self.inner.add_statement(statement, actor).await
        }
        async fn update_statement(&self, statement: &Statement, actor: &str) -> StoreResult<bool> {
            self.record("update_statement")?;
            self.inner.update_statement(statement, actor).await
        }
        async fn take_signatures(&self, batch: &[st::NewSignature]) -> StoreResult<Vec<st::Taken>> {
            self.record("take_signatures")?;
            self.inner.take_signatures(batch).await
        }
        async fn confirm_signatures(
            &self,
            batch: &[(i64, i64)],
            at: UnixTime,
        ) -> StoreResult<Vec<st::Confirmation>> {
            self.record("confirm_signatures")?;
            self.inner.confirm_signatures(batch, at).await
        }
        async fn signatures(
            &self,
            id: i64,
            filter: st::SignatureFilter,
            offset: u64,
            limit: u64,
        ) -> StoreResult<(Vec<st::SignatureRecord>, u64)> {
            self.record("signatures")?;
            self.inner.signatures(id, filter, offset, limit).await
        }
        async fn moderate_signatures(
            &self,
            id: i64,
            ids: &[i64],
            decision: st::Moderation,
            actor: &str,
        ) -> StoreResult<u64> {
            self.record("moderate_signatures")?;
            self.inner
                .moderate_signatures(id, ids, decision, actor)
                .await
        }
        async fn link_signature(
            &self,
            id: i64,
            signature: i64,
            person: Option<&PersonId>,
            today: i64,
            actor: &str,
        ) -> StoreResult<()> {
            self.record("link_signature")?;
            self.inner
                .link_signature(id, signature, person, today, actor)
                .await
        }
        async fn anonymise_closed(&self, closed_before: UnixTime, actor: &str) -> StoreResult<u64> {
            self.record("anonymise_closed")?;
            self.inner.anonymise_closed(closed_before, actor).await
        }
        async fn due_mail(
            &self,
            now: UnixTime,
            limit: usize,
        ) -> StoreResult<Vec<st::OutgoingMail>> {
            self.record("due_mail")?;
            self.inner.due_mail(now, limit).await
        }
        async fn settle_mail(
            &self,
            sent: &[i64],
            failed: &[(i64, UnixTime)],
            max_attempts: u32,
        ) -> StoreResult<()> {
            self.record("settle_mail")?;
            self.inner.settle_mail(sent, failed, max_attempts).await
        }
        async fn site_key(&self, name: &str) -> StoreResult<String> {
            self.record("site_key")?;
            self.inner.site_key(name).await
        }
    }
}
