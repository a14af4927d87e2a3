//! The audit chain over a backend: appending inside a write's own
//! transaction, reading, and verifying.

use super::{Registry, DUMP_CHUNK};
use crate::audit::{chain_hash, AuditEntry, AuditEvent, AuditLog, AuditReport, Broken, GENESIS};
use crate::backend::{Backend, ReadTx, WriteTx};
use crate::{StoreError, StoreResult};
use async_trait::async_trait;
use libres_core::UnixTime;

/// An entry to append: what happened; its number, time and hash are the
/// chain's.
pub(crate) struct Entry<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub target: &'a str,
    pub details: serde_json::Value,
}

/// Appends `entries` to the audit chain inside `tx`, after locking its
/// head, all at time `now`.
pub(crate) async fn append<T: WriteTx>(
    tx: &mut T,
    now: UnixTime,
    entries: &[Entry<'_>],
) -> StoreResult<()> {
    let (mut seq, mut prev) = tx.lock_audit_head().await?;
    let at = now.rfc3339();
    let mut rows = Vec::with_capacity(entries.len());
    for e in entries {
        seq += 1;
        let mut row = AuditEntry {
            seq,
            at: at.clone(),
            actor: e.actor.to_owned(),
            action: e.action.to_owned(),
            target: e.target.to_owned(),
            details: serde_json::to_string(&e.details)
                .map_err(|err| StoreError::Other(format!("encoding an audit entry: {err}")))?,
            hash: String::new(),
        };
        row.hash = chain_hash(&prev, &row);
        prev.clone_from(&row.hash);
        rows.push(row);
    }
    tx.insert_audit(&rows).await
}

/// The moment now, by this machine's clock, for the writes that take no
/// time from their caller.
pub(crate) fn now() -> UnixTime {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    UnixTime(secs)
}

#[async_trait]
impl<B: Backend> AuditLog for Registry<B> {
    async fn record(&self, event: &AuditEvent<'_>, now: UnixTime) -> StoreResult<()> {
        let mut tx = self.backend.write().await?;
        let entry = Entry {
            actor: event.actor,
            action: event.action,
            target: event.target,
            details: event.details.clone(),
        };
        append(&mut tx, now, &[entry]).await?;
        tx.commit().await
    }

    async fn audit_entries(&self, after_seq: i64, limit: usize) -> StoreResult<Vec<AuditEntry>> {
        let mut tx = self.backend.snapshot().await?;
        tx.audit_entries(after_seq, limit).await
    }

    async fn verify_audit(&self, anchor: Option<(i64, &str)>) -> StoreResult<AuditReport> {
        let mut tx = self.backend.snapshot().await?;
        let head = tx.audit_head().await?;
        let mut check = Check::new(anchor);
        let mut after = 0;
        'chunks: loop {
            let chunk = tx.audit_entries(after, DUMP_CHUNK).await?;
            let full = chunk.len() == DUMP_CHUNK;
            for e in chunk {
                after = e.seq;
                if !check.next(&e) {
                    break 'chunks;
                }
            }
            if !full {
                break;
            }
        }
        check.end(&head);
        Ok(AuditReport {
            entries: check.entries,
            head,
            broken: check.broken,
        })
    }
}

/// Verification of a chain read in order.
struct Check<'a> {
    anchor: Option<(i64, &'a str)>,
    /// The number the next entry must have.
    expected: i64,
    /// The hash of the last entry read.
    prev: String,
    entries: u64,
    broken: Option<Broken>,
}

impl<'a> Check<'a> {
    fn new(anchor: Option<(i64, &'a str)>) -> Self {
        Check {
            anchor,
            expected: 1,
            prev: GENESIS.to_owned(),
            entries: 0,
            broken: None,
        }
    }

    fn fail(&mut self, seq: i64, reason: String) -> bool {
        self.broken = Some(Broken { seq, reason });
        false
    }

    /// Checks the next entry; false once the chain is broken.
    fn next(&mut self, e: &AuditEntry) -> bool {
        self.entries += 1;
        if e.seq != self.expected {
            let expected = self.expected;
            return self.fail(
                expected,
                format!(
                    "entry {expected} is missing: the entry after {} is {}",
                    expected - 1,
                    e.seq
                ),
            );
        }
        let computed = chain_hash(&self.prev, e);
        if computed != e.hash {
            let reason = if e.seq == 1 {
                "its content differs from what was hashed: it was altered".to_owned()
            } else {
                format!(
                    "its hash does not follow from its content and entry {}'s hash: \
                     it was altered, or entry {} was",
                    e.seq - 1,
                    e.seq - 1
                )
            };
            return self.fail(e.seq, reason);
        }
        if let Some((seq, hash)) = self.anchor {
            if seq == e.seq && !hash.eq_ignore_ascii_case(&e.hash) {
                return self.fail(
                    seq,
                    format!(
                        "its hash is {}, not {hash} as anchored: the chain was rewritten",
                        e.hash
                    ),
                );
            }
        }
        self.prev.clone_from(&e.hash);
        self.expected += 1;
        true
    }

    /// Checks the end of the chain against its head and the anchor.
    fn end(&mut self, head: &(i64, String)) {
        if self.broken.is_some() {
            return;
        }
        let last = self.expected - 1;
        let (head_seq, head_hash) = head;
        if *head_seq > last {
            self.fail(
                last + 1,
                format!(
                    "entries {} to {head_seq} are missing: the head records {head_seq} entries, \
                     the log ends at {last}",
                    last + 1
                ),
            );
        } else if *head_seq < last {
            self.fail(
                head_seq + 1,
                format!(
                    "entry {} was added behind the log's back: the head records {head_seq} entries",
                    head_seq + 1
                ),
            );
        } else if *head_hash != self.prev {
            self.fail(
                last,
                "its hash differs from the one the head records".to_owned(),
            );
        } else if let Some((seq, _)) = self.anchor {
            if seq > last || seq < 1 {
                self.fail(
                    seq,
                    format!("the anchored entry {seq} is not in the log, which ends at {last}"),
                );
            }
        }
    }
}
