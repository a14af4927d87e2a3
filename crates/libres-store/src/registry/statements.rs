//! Statements and signatures over a backend: the workflows of
//! [`StatementStore`]. Staff writes are one transaction with one audit
//! entry each; a signature is not audited (it is not a staff change) and
//! none of these moves the registry version (statement pages are never
//! cached, see the migration).

use super::audit::{self, append, Entry};
use super::Registry;
use crate::backend::{Backend, WriteTx};
use crate::sql::announcements as announcement_sql;
use crate::sql::statements::{self as sql, Which};
use crate::statements::{
    Confirmation, MailKind, Moderation, NewSignature, OutgoingMail, PublicSignature,
    SignatureCounts, SignatureFilter, SignatureRecord, StatementReads, StatementStore, Taken,
    MAIL_LEASE_SECS, RESEND_SECS,
};
use crate::{rows, StoreError, StoreResult};
use async_trait::async_trait;
use libres_core::statement::{mailbox, years_held, Statement, StatementStatus};
use libres_core::{PersonId, UnixTime};
use serde_json::json;

/// `st` as it can be stored: valid, its parts sorted and given once.
fn checked(st: &Statement) -> StoreResult<Statement> {
    let problems = st.problems();
    if !problems.is_empty() {
        let words: Vec<String> = problems.iter().map(ToString::to_string).collect();
        return Err(StoreError::Invalid(words.join("; ")));
    }
    let mut st = st.clone();
    st.texts.sort_by(|x, y| x.lang.cmp(&y.lang));
    st.addressees = st.addressees.iter().map(|a| a.trim().to_owned()).collect();
    st.person_ids.sort();
    st.person_ids.dedup();
    st.announcement_ids.sort_unstable();
    st.announcement_ids.dedup();
    Ok(st)
}

/// Refuses a link to a person or an announcement that does not exist.
async fn links_exist<T: WriteTx>(tx: &mut T, st: &Statement) -> StoreResult<()> {
    for p in &st.person_ids {
        if tx.person_key(p.as_str()).await?.is_none() {
            return Err(StoreError::NotFound(format!("person `{p}`")));
        }
    }
    for &a in &st.announcement_ids {
        if announcement_sql::read(tx, announcement_sql::Which::One(a))
            .await?
            .is_empty()
        {
            return Err(StoreError::NotFound(format!("announcement {a}")));
        }
    }
    Ok(())
}

/// The stored statement `id`, or [`StoreError::NotFound`].
async fn stored<T: WriteTx>(tx: &mut T, id: i64) -> StoreResult<Statement> {
    sql::read(tx, Which::One(id))
        .await?
        .pop()
        .ok_or_else(|| StoreError::NotFound(format!("statement {id}")))
}

/// Ends a staff write: its audit entry, then the commit.
async fn audited<T: WriteTx>(mut tx: T, entry: Entry<'_>) -> StoreResult<()> {
    append(&mut tx, audit::now(), &[entry]).await?;
    tx.commit().await
}

#[async_trait]
impl<B: Backend> StatementStore for Registry<B> {
    async fn add_statement(&self, statement: &Statement, actor: &str) -> StoreResult<i64> {
        let mut st = checked(statement)?;
        let now = audit::now();
        st.closed_at = (st.status == StatementStatus::Closed).then_some(now);
        let mut tx = self.backend.write().await?;
        links_exist(&mut tx, &st).await?;
        let pk = sql::insert(&mut tx, &st, now).await?;
        sql::replace_parts(&mut tx, pk, &st).await?;
        let entry = Entry {
            actor,
            action: "statement_added",
            target: "statements",
            details: json!({ "statement": pk, "status": st.status.slug() }),
        };
        audited(tx, entry).await?;
        Ok(pk)
    }

    async fn update_statement(&self, statement: &Statement, actor: &str) -> StoreResult<bool> {
        let mut st = checked(statement)?;
        let mut tx = self.backend.write().await?;
        let old = stored(&mut tx, st.id).await?;
        let fields = st.changed_fields(&old);
        if fields.is_empty() {
            return Ok(false);
        }
        if st.status == StatementStatus::Draft
            && old.status != StatementStatus::Draft
            && sql::signatures_held(&mut tx, st.id).await? > 0
        {
            return Err(StoreError::Invalid(format!(
                "statement {} has signatures: it can be closed, not taken back to draft",
                st.id
            )));
        }
        st.closed_at = match (old.status, st.status) {
            (StatementStatus::Closed, StatementStatus::Closed) => old.closed_at,
            (_, StatementStatus::Closed) => Some(audit::now()),
            _ => None,
        };
        links_exist(&mut tx, &st).await?;
        sql::update(&mut tx, &st).await?;
        sql::replace_parts(&mut tx, st.id, &st).await?;
        let entry = Entry {
            actor,
            action: "statement_updated",
            target: "statements",
            details: json!({
                "statement": st.id,
                "status": st.status.slug(),
                "fields": fields,
            }),
        };
        audited(tx, entry).await?;
        Ok(true)
    }

    async fn take_signatures(&self, batch: &[NewSignature]) -> StoreResult<Vec<Taken>> {
        if batch.is_empty() {
            return Ok(vec![]);
        }
        let mailboxes: Vec<String> = batch.iter().map(|n| mailbox(&n.signature.email)).collect();
        let mut keys: Vec<i64> = batch.iter().map(|n| n.statement).collect();
        keys.sort_unstable();
        keys.dedup();
        let mut tx = self.backend.write().await?;
        let open = sql::open_among(&mut tx, &keys).await?;
        let takes: Vec<(&NewSignature, &str)> = batch
            .iter()
            .zip(&mailboxes)
            .filter(|(n, _)| open.contains(&n.statement))
            .map(|(n, m)| (n, m.as_str()))
            .collect();
        let mut inserted = Vec::new();
        for chunk in takes.chunks(500) {
            inserted.extend(sql::insert_signatures(&mut tx, chunk).await?);
        }
        let mut out = Vec::with_capacity(batch.len());
        let mut mails = Vec::new();
        // A mailbox's row is claimed by the first signature of the batch
        // that gave it; the others are duplicates of it.
        let mut claimed: Vec<(i64, &str)> = Vec::new();
        for (n, m) in batch.iter().zip(&mailboxes) {
            if !open.contains(&n.statement) {
                out.push(Taken::NotOpen);
                continue;
            }
            let new = inserted
                .iter()
                .find(|(_, st, mb)| *st == n.statement && mb == m)
                .map(|(pk, _, _)| *pk)
                .filter(|_| !claimed.contains(&(n.statement, m.as_str())));
            if let Some(pk) = new {
                claimed.push((n.statement, m));
                mails.push((MailKind::Confirm, pk));
                out.push(Taken::New(pk));
                continue;
            }
            match sql::by_mailbox(&mut tx, n.statement, m).await? {
                Some((pk, waiting, mailed_at)) => {
                    let queued_now = mails.iter().any(|&(_, k)| k == pk);
                    // At most one mail a day about one signature, however
                    // often someone signs with the address: the site must
                    // not be a way to flood a mailbox.
                    let rested = mailed_at.is_none_or(|at| n.at.since(UnixTime(at)) >= RESEND_SECS);
                    if !waiting && !queued_now && rested {
                        mails.push((MailKind::AlreadySigned, pk));
                        sql::mailed(&mut tx, pk, n.at).await?;
                    }
                    out.push(Taken::Duplicate(pk));
                }
                None => {
                    return Err(StoreError::Other(format!(
                        "taking signatures: the row of a mailbox on statement {} vanished",
                        n.statement
                    )))
                }
            }
        }
        let due = batch.iter().map(|n| n.at).min().unwrap_or(UnixTime(0));
        sql::queue_mail(&mut tx, &mails, due).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn confirm_signatures(
        &self,
        batch: &[(i64, i64)],
        at: UnixTime,
    ) -> StoreResult<Vec<Confirmation>> {
        if batch.is_empty() {
            return Ok(vec![]);
        }
        let mut tx = self.backend.write().await?;
        let now = sql::confirm(&mut tx, batch, at).await?;
        let before = sql::confirmed_among(&mut tx, batch).await?;
        tx.commit().await?;
        let mut reported: Vec<i64> = Vec::new();
        Ok(batch
            .iter()
            .map(|&(_, sig)| {
                if now.contains(&sig) && !reported.contains(&sig) {
                    reported.push(sig);
                    Confirmation::Confirmed
                } else if before.contains(&sig) {
                    Confirmation::AlreadyConfirmed
                } else {
                    Confirmation::Unknown
                }
            })
            .collect())
    }

    async fn signatures(
        &self,
        id: i64,
        filter: SignatureFilter,
        offset: u64,
        limit: u64,
    ) -> StoreResult<(Vec<SignatureRecord>, u64)> {
        let mut tx = self.backend.snapshot().await?;
        sql::staff_signatures(&mut tx, id, filter, offset, limit).await
    }

    async fn moderate_signatures(
        &self,
        id: i64,
        ids: &[i64],
        decision: Moderation,
        actor: &str,
    ) -> StoreResult<u64> {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let mut tx = self.backend.write().await?;
        stored(&mut tx, id).await?;
        let found = sql::count_of(&mut tx, id, &ids).await?;
        if found != ids.len() {
            return Err(StoreError::NotFound(format!(
                "{} of the {} signatures are not of statement {id}",
                ids.len() - found,
                ids.len()
            )));
        }
        let n = sql::moderate(&mut tx, id, &ids, decision, actor).await?;
        if n == 0 {
            return Ok(0);
        }
        let entry = Entry {
            actor,
            action: "signatures_moderated",
            target: "signatures",
            details: json!({
                "statement": id,
                "decision": decision.slug(),
                "signatures": ids,
                "changed": n,
            }),
        };
        audited(tx, entry).await?;
        Ok(n)
    }

    async fn link_signature(
        &self,
        id: i64,
        signature: i64,
        person: Option<&PersonId>,
        today: i64,
        actor: &str,
    ) -> StoreResult<()> {
        let mut tx = self.backend.write().await?;
        match sql::link_requested(&mut tx, id, signature).await? {
            None => {
                return Err(StoreError::NotFound(format!(
                    "signature {signature} of statement {id}"
                )))
            }
            Some(false) if person.is_some() => {
                return Err(StoreError::Invalid(format!(
                    "signature {signature} did not ask to be linked to the registry: \
                     a link needs the signer's consent"
                )))
            }
            Some(_) => {}
        }
        let years = match person {
            Some(p) => {
                let pk = tx
                    .person_key(p.as_str())
                    .await?
                    .ok_or_else(|| StoreError::NotFound(format!("person `{p}`")))?;
                let timeline = rows::timeline(&tx.timeline_json(pk).await?)?;
                Some(years_held(&timeline, today))
            }
            None => None,
        };
        sql::set_link(&mut tx, signature, person.map(PersonId::as_str), years).await?;
        let entry = Entry {
            actor,
            action: if person.is_some() {
                "signature_linked"
            } else {
                "signature_unlinked"
            },
            target: "signatures",
            details: json!({
                "statement": id,
                "signature": signature,
                "person": person.map(PersonId::as_str),
                "years": years,
            }),
        };
        audited(tx, entry).await
    }

    async fn anonymise_closed(&self, closed_before: UnixTime, actor: &str) -> StoreResult<u64> {
        let mut tx = self.backend.write().await?;
        let n = sql::anonymise(&mut tx, closed_before).await?;
        if n == 0 {
            return Ok(0);
        }
        let entry = Entry {
            actor,
            action: "signatures_anonymised",
            target: "signatures",
            details: json!({ "closed_before": closed_before.rfc3339(), "signatures": n }),
        };
        audited(tx, entry).await?;
        Ok(n)
    }

    async fn due_mail(&self, now: UnixTime, limit: usize) -> StoreResult<Vec<OutgoingMail>> {
        let mut tx = self.backend.write().await?;
        let due = sql::due_mail(&mut tx, now, now.plus(MAIL_LEASE_SECS), limit).await?;
        tx.commit().await?;
        Ok(due
            .into_iter()
            .map(|(mut m, texts)| {
                m.title = libres_core::announcement::text_in(&texts, &m.lang)
                    .map(|(t, _)| t.title.clone())
                    .unwrap_or_default();
                m
            })
            .collect())
    }

    async fn settle_mail(
        &self,
        sent: &[i64],
        failed: &[(i64, UnixTime)],
        max_attempts: u32,
    ) -> StoreResult<()> {
        if sent.is_empty() && failed.is_empty() {
            return Ok(());
        }
        let mut tx = self.backend.write().await?;
        sql::settle_mail(&mut tx, sent, failed, max_attempts).await?;
        tx.commit().await
    }

    async fn site_key(&self, name: &str) -> StoreResult<String> {
        let fresh = crate::credentials::random_token();
        let mut tx = self.backend.write().await?;
        let key = sql::site_key(&mut tx, name, &fresh).await?;
        tx.commit().await?;
        Ok(key)
    }
}

#[async_trait]
impl<B: Backend> StatementReads for Registry<B> {
    async fn statement(&self, id: i64) -> StoreResult<Option<Statement>> {
        let mut tx = self.backend.snapshot().await?;
        Ok(sql::read(&mut tx, Which::One(id)).await?.pop())
    }

    async fn statements(&self, drafts: bool) -> StoreResult<Vec<Statement>> {
        let mut tx = self.backend.snapshot().await?;
        sql::read(&mut tx, Which::All { drafts }).await
    }

    async fn signature_counts(&self, id: i64) -> StoreResult<SignatureCounts> {
        let mut tx = self.backend.snapshot().await?;
        let by_category = sql::counts(&mut tx, id).await?;
        Ok(SignatureCounts {
            total: by_category.iter().map(|(_, n)| n).sum(),
            by_category,
        })
    }

    async fn public_signatures(
        &self,
        id: i64,
        offset: u64,
        limit: u64,
    ) -> StoreResult<Vec<PublicSignature>> {
        let mut tx = self.backend.snapshot().await?;
        sql::public_signatures(&mut tx, id, offset, limit).await
    }

    async fn public_signature_count(&self, id: i64) -> StoreResult<u64> {
        let mut tx = self.backend.snapshot().await?;
        sql::public_count(&mut tx, id).await
    }

    async fn signature_shown(
        &self,
        id: i64,
        signature: i64,
    ) -> StoreResult<Option<(Option<String>, libres_core::statement::SignerCategory)>> {
        let mut tx = self.backend.snapshot().await?;
        sql::shown(&mut tx, id, signature).await
    }
}
