//! Staff accounts and the audit log, as the command line and the staff
//! pages both use them: the clock, the setup link's address, what an
//! export or a copy leaves in the audit log, and the audit check in words.
//!
//! The rules themselves (hashing, codes, throttling, sessions, the chain)
//! are the store's (`libres_store::StaffStore`, `libres_store::AuditLog`);
//! nothing here touches a secret.

use anyhow::{Context, Result};
use libres_core::UnixTime;
use libres_store::{AuditEvent, AuditLog, AuditReport, SetupLink};

/// The moment now, by this machine's clock: what the front ends pass to
/// the store's staff methods (tests pass their own).
pub fn now() -> UnixTime {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    UnixTime(secs)
}

/// The address of a setup link on the site at `base_url`
/// (`https://libres.example.org`): `/staff/setup/TOKEN`.
pub fn setup_url(base_url: &str, link: &SetupLink) -> String {
    format!(
        "{}/staff/setup/{}",
        base_url.trim_end_matches('/'),
        link.token
    )
}

/// Records in the audit log that `actor` exported `count` persons: bulk
/// reads of the confidential half are on record as writes are. Never the
/// file's name or contents.
pub async fn record_export(
    store: &dyn AuditLog,
    actor: &str,
    format: &str,
    public_only: bool,
    count: u64,
) -> Result<()> {
    let event = AuditEvent {
        actor,
        action: "persons_exported",
        target: "persons",
        details: serde_json::json!({
            "format": format,
            "public_only": public_only,
            "persons": count,
        }),
    };
    store
        .record(&event, now())
        .await
        .context("could not record the export in the audit log")
}

/// Records in the source's audit log that `actor` copied the whole
/// registry out (the target records the restore in its own).
pub async fn record_copy(store: &dyn AuditLog, actor: &str, persons: u64) -> Result<()> {
    let event = AuditEvent {
        actor,
        action: "registry_copied",
        target: "registry",
        details: serde_json::json!({ "persons": persons }),
    };
    store
        .record(&event, now())
        .await
        .context("could not record the copy in the source's audit log")
}

/// Parses an anchor written down from an earlier `audit verify`:
/// `SEQ:HASH`.
pub fn parse_anchor(text: &str) -> Result<(i64, String), String> {
    let (seq, hash) = text
        .split_once(':')
        .ok_or_else(|| format!("`{text}` is not an anchor; write ENTRY:HASH, e.g. 42:9f86d0…"))?;
    let seq = seq
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("`{seq}` is not an entry number"))?;
    let hash = hash.trim().to_ascii_lowercase();
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("`{hash}` is not a SHA-256 hash (64 hex digits)"));
    }
    Ok((seq, hash))
}

/// What `audit verify` says of an intact chain: its length and the head
/// to write down as a later anchor.
pub fn intact_summary(report: &AuditReport) -> String {
    let (seq, hash) = &report.head;
    format!(
        "The audit log is intact: {}. Its head is {seq}:{hash} \
         (write it down elsewhere, and check against it later with --anchor {seq}:{hash}).",
        entries(report.entries)
    )
}

/// "1 entry", "2 entries".
pub fn entries(n: u64) -> String {
    if n == 1 {
        "1 entry".to_owned()
    } else {
        format!("{n} entries")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn anchors_are_an_entry_number_and_a_sha256() {
        let h = "AB".repeat(32);
        assert_eq!(
            parse_anchor(&format!("12:{h}")).unwrap(),
            (12, h.to_lowercase())
        );
        assert!(parse_anchor("12").is_err());
        assert!(parse_anchor("0:ab").is_err());
        assert!(parse_anchor(&format!("x:{h}")).is_err());
        assert!(parse_anchor("3:abc").is_err());
    }

    #[test]
    fn one_entry_is_not_counted_as_entries() {
        let report = |n| AuditReport {
            entries: n,
            head: (n as i64, "ab".repeat(32)),
            broken: None,
        };
        assert!(intact_summary(&report(1)).contains("intact: 1 entry."));
        assert!(intact_summary(&report(0)).contains("intact: 0 entries."));
        assert!(intact_summary(&report(7)).contains("intact: 7 entries."));
    }

    #[test]
    fn a_setup_url_sits_under_staff_on_the_base_address() {
        let link = SetupLink {
            email: libres_core::Email::parse("a@b.org").unwrap(),
            token: "t0k".into(),
            expires_at: UnixTime(0),
        };
        assert_eq!(
            setup_url("https://libres.example.org/", &link),
            "https://libres.example.org/staff/setup/t0k"
        );
    }
}
