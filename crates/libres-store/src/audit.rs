//! The audit log: who did what to the registry and to staff accounts,
//! when, as a hash chain that shows any later edit or deletion.
//!
//! Each entry stores `hash = SHA-256(previous hash || canonical entry)`,
//! the first entry's previous hash being 32 zero bytes; the canonical
//! entry is [`canonical`]. A single-row `audit_head` beside the log holds
//! the last entry's number and hash, written in the same transaction as
//! the entry: deleting the newest entries shows too. Entries are appended
//! in the write transaction of what they record, so there is no write
//! without its entry and no entry without its write.
//!
//! What an entry says is documented in `docs/staff.md`: never a
//! confidential value, only which confidential fields changed.
//!
//! The chain proves the log was not edited *by someone who could not
//! recompute it*; whoever can write the database can rewrite the chain
//! whole. [`AuditReport::head`] is therefore meant to be written down
//! elsewhere from time to time (`libres audit verify` prints it), and
//! checked against later with [`AuditLog::verify_audit`]'s anchor.

use crate::{RegistryMeta, StoreResult};
use async_trait::async_trait;
use libres_core::UnixTime;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// Its number: 1, 2, 3 … with no gap.
    pub seq: i64,
    /// When, RFC 3339 UTC.
    pub at: String,
    /// Who: a staff member's email, or `cli`, `system`, `demo` for
    /// commands run on the server.
    pub actor: String,
    /// What, as a short snake-case verb (`persons_imported`,
    /// `user_added`, `login`, …).
    pub action: String,
    /// On what: a person id, an email, `registry`.
    pub target: String,
    /// The rest, as JSON text exactly as hashed.
    pub details: String,
    /// SHA-256 of the previous entry's hash and this entry, lower-case hex.
    pub hash: String,
}

/// The hash before the first entry: 32 zero bytes, in hex.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The bytes of an entry that its hash covers: a version tag, then every
/// field but the hash, each as its length in bytes, a colon and the text,
/// then a newline. Lengths make the encoding unambiguous whatever the
/// fields hold (a newline in an actor cannot pass for the next field).
pub fn canonical(e: &AuditEntry) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + e.details.len());
    out.extend_from_slice(b"libres-audit-1\n");
    let seq = e.seq.to_string();
    for field in [
        seq.as_str(),
        &e.at,
        &e.actor,
        &e.action,
        &e.target,
        &e.details,
    ] {
        out.extend_from_slice(field.len().to_string().as_bytes());
        out.push(b':');
        out.extend_from_slice(field.as_bytes());
        out.push(b'\n');
    }
    out
}

/// The hash of `entry` after the entry whose hash is `prev` (hex): what
/// `entry.hash` must be. A `prev` that is not 64 hex digits is hashed as
/// text, and so never matches.
pub fn chain_hash(prev: &str, entry: &AuditEntry) -> String {
    let mut h = Sha256::new();
    match crate::credentials::from_hex(prev) {
        Some(bytes) if bytes.len() == 32 => h.update(&bytes),
        _ => h.update(prev.as_bytes()),
    }
    h.update(canonical(entry));
    crate::credentials::to_hex(&h.finalize())
}

/// What [`AuditLog::verify_audit`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditReport {
    /// Entries read.
    pub entries: u64,
    /// The last entry's number and hash as the head records them (0 and
    /// [`GENESIS`] for an empty log).
    pub head: (i64, String),
    /// The first problem, if any.
    pub broken: Option<Broken>,
}

/// The first entry at which the chain does not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Broken {
    /// The entry's number.
    pub seq: i64,
    /// What is wrong, in words.
    pub reason: String,
}

/// A record for [`AuditLog::record`]: something done outside the store's
/// own writes that must still be on record (an export by staff).
#[derive(Debug, Clone)]
pub struct AuditEvent<'a> {
    /// Who.
    pub actor: &'a str,
    /// What (`persons_exported`).
    pub action: &'a str,
    /// On what.
    pub target: &'a str,
    /// Details; never a confidential value.
    pub details: serde_json::Value,
}

/// Reading, checking and adding to the audit log.
#[async_trait]
pub trait AuditLog: RegistryMeta {
    /// Appends an entry for something done outside the store's writes
    /// (the store's own writes record themselves).
    async fn record(&self, event: &AuditEvent<'_>, now: UnixTime) -> StoreResult<()>;

    /// Up to `limit` entries after number `after_seq`, oldest first.
    async fn audit_entries(&self, after_seq: i64, limit: usize) -> StoreResult<Vec<AuditEntry>>;

    /// Walks the whole chain from one snapshot and reports the first entry
    /// that was altered, is missing or was added out of turn. With
    /// `anchor` (an entry's number and the hash written down for it
    /// earlier), also checks that this entry still has that hash: a chain
    /// rewritten whole passes every other check.
    async fn verify_audit(&self, anchor: Option<(i64, &str)>) -> StoreResult<AuditReport>;
}
