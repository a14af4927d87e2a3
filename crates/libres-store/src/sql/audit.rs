//! The statements of the audit chain: reading the log and its head, and
//! appending (see [`crate::audit`]).

use super::{execute, fetch, placeholders, rows, Arg, Column, Sql};
use crate::audit::AuditEntry;
use crate::{StoreError, StoreResult};

/// Up to `n` audit entries after `after`, ascending.
pub(crate) async fn entries<S: Sql + ?Sized>(
    s: &mut S,
    after: i64,
    n: usize,
) -> StoreResult<Vec<AuditEntry>> {
    let text = "SELECT seq, at, actor, action, target, details, hash FROM audit_log \
                WHERE seq > ?1 ORDER BY seq LIMIT ?2";
    let args = [
        Arg::Int(after),
        Arg::Int(i64::try_from(n).unwrap_or(i64::MAX)),
    ];
    let mut columns = [Column::Text; 7];
    columns[0] = Column::Int;
    fetch(s, text, &args, &columns, "reading the audit log")
        .await?
        .iter_mut()
        .map(|r| {
            Ok(AuditEntry {
                seq: r.int()?,
                at: r.text()?,
                actor: r.text()?,
                action: r.text()?,
                target: r.text()?,
                details: r.text()?,
                hash: r.text()?,
            })
        })
        .collect()
}

/// The audit head; with `lock`, locked until the transaction ends (in the
/// dialect's way: see [`super::Dialect::lock_row`]).
pub(crate) async fn head<S: Sql + ?Sized>(s: &mut S, lock: bool) -> StoreResult<(i64, String)> {
    let mut text = String::from("SELECT seq, hash FROM audit_head WHERE id = 1");
    if lock {
        text.push_str(S::DIALECT.lock_row);
    }
    let columns = [Column::Int, Column::Text];
    let found = fetch(s, &text, &[], &columns, "reading the audit head").await?;
    let Some(mut r) = found.into_iter().next() else {
        return Err(StoreError::Corrupt {
            what: "audit log".into(),
            detail: "its head row is missing".into(),
        });
    };
    Ok((r.int()?, r.text()?))
}

/// Entries per `INSERT`: 7 values each, well under the bound values a
/// statement may carry (32,766 in SQLite, 65,535 in PostgreSQL).
const CHUNK: usize = 1000;

/// Appends audit entries and moves the head to the last of them.
pub(crate) async fn append<S: Sql + ?Sized>(s: &mut S, entries: &[AuditEntry]) -> StoreResult<()> {
    let Some(last) = entries.last() else {
        return Ok(());
    };
    for chunk in entries.chunks(CHUNK) {
        let text = format!(
            "INSERT INTO audit_log (seq, at, actor, action, target, details, hash) VALUES {}",
            rows(chunk.len(), |i| format!("({})", placeholders(1 + 7 * i, 7)))
        );
        let args: Vec<Arg> = chunk
            .iter()
            .flat_map(|e| {
                [
                    Arg::Int(e.seq),
                    Arg::Text(&e.at),
                    Arg::Text(&e.actor),
                    Arg::Text(&e.action),
                    Arg::Text(&e.target),
                    Arg::Text(&e.details),
                    Arg::Text(&e.hash),
                ]
            })
            .collect();
        execute(s, &text, &args, "appending to the audit log").await?;
    }
    let text = "UPDATE audit_head SET seq = ?1, hash = ?2 WHERE id = 1";
    let args = [Arg::Int(last.seq), Arg::Text(&last.hash)];
    execute(s, text, &args, "moving the audit head").await?;
    Ok(())
}
