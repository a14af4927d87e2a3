//! Staff accounts, sessions, login throttling and the audit chain in
//! PostgreSQL: the primitives of `StaffSql` and `StaffTx`, and the audit
//! statements of the read and write transactions.
//!
//! Staff writes do not take the registry's write lock: a login or a
//! session's use must not wait for an import of another instance to
//! finish. Appends to the audit chain queue on its head row instead
//! (`SELECT … FOR UPDATE`), taken after the registry lock by registry
//! writes, so the two locks are always taken in the same order.

use crate::{db, Pg, PgWrite};
use async_trait::async_trait;
use libres_core::Role;
use libres_store::audit::AuditEntry;
use libres_store::backend::{SessionRow, SetupRow, StaffSql, StaffTx, ThrottleRow, UserRow};
use libres_store::{StoreError, StoreResult};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};

/// The columns of [`UserRow`], for `SELECT … FROM users u`.
const USER: &str = "u.id, u.email, u.role, u.disabled, u.password_hash, u.totp_secret, \
                    u.totp_last_step, u.created_at";

fn user_row(r: &PgRow) -> Result<UserRow, sqlx::Error> {
    Ok(UserRow {
        id: r.try_get("id")?,
        email: r.try_get("email")?,
        role: r.try_get("role")?,
        disabled: r.try_get("disabled")?,
        password_hash: r.try_get("password_hash")?,
        totp_secret: r.try_get("totp_secret")?,
        totp_last_step: r.try_get("totp_last_step")?,
        created_at: r.try_get("created_at")?,
    })
}

fn audit_row(r: &PgRow) -> Result<AuditEntry, sqlx::Error> {
    Ok(AuditEntry {
        seq: r.try_get("seq")?,
        at: r.try_get("at")?,
        actor: r.try_get("actor")?,
        action: r.try_get("action")?,
        target: r.try_get("target")?,
        details: r.try_get("details")?,
        hash: r.try_get("hash")?,
    })
}

/// Up to `n` audit entries after `after`.
pub(crate) async fn audit_entries(
    c: &mut PgConnection,
    after: i64,
    n: usize,
) -> StoreResult<Vec<AuditEntry>> {
    let rows = sqlx::query(
        "SELECT seq, at, actor, action, target, details, hash FROM audit_log \
         WHERE seq > $1 ORDER BY seq LIMIT $2",
    )
    .bind(after)
    .bind(i64::try_from(n).unwrap_or(i64::MAX))
    .fetch_all(c)
    .await
    .map_err(db("reading the audit log"))?;
    rows.iter()
        .map(audit_row)
        .collect::<Result<_, _>>()
        .map_err(db("reading the audit log"))
}

/// The audit head; with `lock`, locked until the transaction ends.
pub(crate) async fn audit_head(c: &mut PgConnection, lock: bool) -> StoreResult<(i64, String)> {
    let sql = if lock {
        "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"
    } else {
        "SELECT seq, hash FROM audit_head WHERE id = 1"
    };
    sqlx::query_as(sql)
        .fetch_optional(c)
        .await
        .map_err(db("reading the audit head"))?
        .ok_or_else(|| StoreError::Corrupt {
            what: "audit log".into(),
            detail: "its head row is missing".into(),
        })
}

/// Appends audit entries and moves the head.
pub(crate) async fn insert_audit(c: &mut PgConnection, entries: &[AuditEntry]) -> StoreResult<()> {
    let Some(last) = entries.last() else {
        return Ok(());
    };
    let col = |f: fn(&AuditEntry) -> &String| entries.iter().map(f).collect::<Vec<_>>();
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, target, details, hash) \
         SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], \
         $6::text[], $7::text[])",
    )
    .bind(entries.iter().map(|e| e.seq).collect::<Vec<_>>())
    .bind(col(|e| &e.at))
    .bind(col(|e| &e.actor))
    .bind(col(|e| &e.action))
    .bind(col(|e| &e.target))
    .bind(col(|e| &e.details))
    .bind(col(|e| &e.hash))
    .execute(&mut *c)
    .await
    .map_err(db("appending to the audit log"))?;
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind(last.seq)
        .bind(&last.hash)
        .execute(c)
        .await
        .map_err(db("moving the audit head"))?;
    Ok(())
}

#[async_trait]
impl StaffSql for Pg {
    async fn staff_write(&self) -> StoreResult<PgWrite> {
        let tx = self
            .pool
            .begin()
            .await
            .map_err(db("starting a write transaction"))?;
        Ok(PgWrite::new(tx))
    }

    async fn user_row(&self, email: &str) -> StoreResult<Option<UserRow>> {
        sqlx::query(&format!("SELECT {USER} FROM users u WHERE u.email = $1"))
            .bind(email)
            .fetch_optional(&self.pool)
            .await
            .and_then(|r| r.as_ref().map(user_row).transpose())
            .map_err(db("reading an account"))
    }

    async fn user_rows(&self) -> StoreResult<Vec<UserRow>> {
        sqlx::query(&format!("SELECT {USER} FROM users u ORDER BY u.email"))
            .fetch_all(&self.pool)
            .await
            .and_then(|rows| rows.iter().map(user_row).collect())
            .map_err(db("reading accounts"))
    }

    async fn session_row(&self, token_hash: &str) -> StoreResult<Option<SessionRow>> {
        let row = sqlx::query(&format!(
            "SELECT {USER}, s.created_at AS s_created, s.last_seen \
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(db("reading a session"))?;
        row.map(|r| {
            Ok(SessionRow {
                user: user_row(&r)?,
                created_at: r.try_get("s_created")?,
                last_seen: r.try_get("last_seen")?,
            })
        })
        .transpose()
        .map_err(db("reading a session"))
    }

    async fn throttle_rows(&self, keys: &[String]) -> StoreResult<Vec<ThrottleRow>> {
        let rows: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT key, failures, last_failure FROM login_throttle WHERE key = ANY($1)",
        )
        .bind(keys)
        .fetch_all(&self.pool)
        .await
        .map_err(db("reading login failures"))?;
        Ok(rows
            .into_iter()
            .map(|(key, failures, last_failure)| ThrottleRow {
                key,
                failures,
                last_failure,
            })
            .collect())
    }
}

impl PgWrite {
    /// Runs one statement with its binds; returns the rows it changed.
    async fn changed(
        &mut self,
        q: sqlx::query::Query<'_, sqlx::Postgres, sqlx::postgres::PgArguments>,
        what: &'static str,
    ) -> StoreResult<u64> {
        q.execute(&mut *self.tx)
            .await
            .map(|r| r.rows_affected())
            .map_err(db(what))
    }
}

#[async_trait]
impl StaffTx for PgWrite {
    async fn insert_user(&mut self, email: &str, role: Role, created_at: &str) -> StoreResult<i64> {
        let r = sqlx::query_scalar(
            "INSERT INTO users (email, role, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(email)
        .bind(role.slug())
        .bind(created_at)
        .fetch_one(&mut *self.tx)
        .await;
        match r {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                Err(StoreError::AlreadyExists(format!("an account for {email}")))
            }
            r => r.map_err(db("adding an account")),
        }
    }

    async fn user_by_email(&mut self, email: &str) -> StoreResult<Option<UserRow>> {
        sqlx::query(&format!("SELECT {USER} FROM users u WHERE u.email = $1"))
            .bind(email)
            .fetch_optional(&mut *self.tx)
            .await
            .and_then(|r| r.as_ref().map(user_row).transpose())
            .map_err(db("reading an account"))
    }

    async fn set_role(&mut self, user: i64, role: Role) -> StoreResult<()> {
        let q = sqlx::query("UPDATE users SET role = $2 WHERE id = $1")
            .bind(user)
            .bind(role.slug());
        self.changed(q, "changing a role").await.map(drop)
    }

    async fn set_disabled(&mut self, user: i64, disabled: bool) -> StoreResult<()> {
        let q = sqlx::query("UPDATE users SET disabled = $2 WHERE id = $1")
            .bind(user)
            .bind(disabled);
        self.changed(q, "disabling an account").await.map(drop)
    }

    async fn set_credentials(
        &mut self,
        user: i64,
        password_hash: &str,
        totp_secret: &str,
        totp_step: i64,
    ) -> StoreResult<()> {
        let q = sqlx::query(
            "UPDATE users SET password_hash = $2, totp_secret = $3, totp_last_step = $4 \
             WHERE id = $1",
        )
        .bind(user)
        .bind(password_hash)
        .bind(totp_secret)
        .bind(totp_step);
        self.changed(q, "setting credentials").await.map(drop)
    }

    async fn clear_credentials(&mut self, user: i64) -> StoreResult<()> {
        let q = sqlx::query(
            "UPDATE users SET password_hash = NULL, totp_secret = NULL, totp_last_step = NULL \
             WHERE id = $1",
        )
        .bind(user);
        self.changed(q, "clearing credentials").await?;
        let q = sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user);
        self.changed(q, "clearing recovery codes").await.map(drop)
    }

    async fn use_totp_step(&mut self, user: i64, step: i64) -> StoreResult<bool> {
        let q = sqlx::query(
            "UPDATE users SET totp_last_step = $2 \
             WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)",
        )
        .bind(user)
        .bind(step);
        Ok(self.changed(q, "using a TOTP code").await? == 1)
    }

    async fn replace_recovery_codes(&mut self, user: i64, hashes: &[String]) -> StoreResult<()> {
        let q = sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user);
        self.changed(q, "replacing recovery codes").await?;
        let q = sqlx::query(
            "INSERT INTO recovery_codes (user_id, code_hash) SELECT $1, UNNEST($2::text[])",
        )
        .bind(user)
        .bind(hashes);
        self.changed(q, "storing recovery codes").await.map(drop)
    }

    async fn use_recovery_code(&mut self, user: i64, hash: &str, now: i64) -> StoreResult<bool> {
        let q = sqlx::query(
            "UPDATE recovery_codes SET used_at = $3 \
             WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
        )
        .bind(user)
        .bind(hash)
        .bind(now);
        Ok(self.changed(q, "using a recovery code").await? == 1)
    }

    async fn insert_setup_token(
        &mut self,
        hash: &str,
        user: i64,
        expires_at: i64,
    ) -> StoreResult<()> {
        let q = sqlx::query(
            "INSERT INTO setup_tokens (token_hash, user_id, expires_at) VALUES ($1, $2, $3)",
        )
        .bind(hash)
        .bind(user)
        .bind(expires_at);
        self.changed(q, "storing a setup link").await.map(drop)
    }

    async fn setup_token(&mut self, hash: &str) -> StoreResult<Option<SetupRow>> {
        let row: Option<(i64, String, i64, bool, Option<String>)> = sqlx::query_as(
            "SELECT t.user_id, u.email, t.expires_at, t.used_at IS NOT NULL, t.totp_secret \
             FROM setup_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
        )
        .bind(hash)
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(db("reading a setup link"))?;
        Ok(
            row.map(|(user_id, email, expires_at, used, totp_secret)| SetupRow {
                user_id,
                email,
                expires_at,
                used,
                totp_secret,
            }),
        )
    }

    async fn set_setup_secret(&mut self, hash: &str, secret: &str) -> StoreResult<()> {
        let q = sqlx::query("UPDATE setup_tokens SET totp_secret = $2 WHERE token_hash = $1")
            .bind(hash)
            .bind(secret);
        self.changed(q, "opening a setup link").await.map(drop)
    }

    async fn use_setup_token(&mut self, hash: &str, now: i64) -> StoreResult<bool> {
        let q = sqlx::query(
            "UPDATE setup_tokens SET used_at = $2 \
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(hash)
        .bind(now);
        Ok(self.changed(q, "using a setup link").await? == 1)
    }

    async fn delete_setup_tokens(&mut self, user: i64) -> StoreResult<()> {
        let q = sqlx::query("DELETE FROM setup_tokens WHERE user_id = $1").bind(user);
        self.changed(q, "deleting setup links").await.map(drop)
    }

    async fn insert_session(&mut self, token_hash: &str, user: i64, now: i64) -> StoreResult<()> {
        let q = sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, last_seen) \
             VALUES ($1, $2, $3, $3)",
        )
        .bind(token_hash)
        .bind(user)
        .bind(now);
        self.changed(q, "opening a session").await.map(drop)
    }

    async fn touch_session(&mut self, token_hash: &str, now: i64) -> StoreResult<()> {
        let q = sqlx::query(
            "UPDATE sessions SET last_seen = $2 WHERE token_hash = $1 AND last_seen < $2",
        )
        .bind(token_hash)
        .bind(now);
        self.changed(q, "recording a session's use").await.map(drop)
    }

    async fn delete_session(&mut self, token_hash: &str) -> StoreResult<()> {
        let q = sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash);
        self.changed(q, "ending a session").await.map(drop)
    }

    async fn delete_sessions(&mut self, user: i64) -> StoreResult<u64> {
        let q = sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user);
        self.changed(q, "ending sessions").await
    }

    async fn delete_ended_sessions(
        &mut self,
        idle_before: i64,
        opened_before: i64,
    ) -> StoreResult<()> {
        let q = sqlx::query("DELETE FROM sessions WHERE last_seen < $1 OR created_at < $2")
            .bind(idle_before)
            .bind(opened_before);
        self.changed(q, "deleting ended sessions").await.map(drop)
    }

    async fn record_failures(
        &mut self,
        keys: &[String],
        now: i64,
        forget_before: i64,
    ) -> StoreResult<()> {
        let q =
            sqlx::query("DELETE FROM login_throttle WHERE last_failure < $1").bind(forget_before);
        self.changed(q, "forgetting old login failures").await?;
        let q = sqlx::query(
            "INSERT INTO login_throttle AS t (key, failures, last_failure) \
             SELECT UNNEST($1::text[]), 1, $2 \
             ON CONFLICT (key) DO UPDATE SET failures = t.failures + 1, last_failure = $2",
        )
        .bind(keys)
        .bind(now);
        self.changed(q, "counting login failures").await.map(drop)
    }

    async fn clear_throttle(&mut self, key: &str) -> StoreResult<()> {
        let q = sqlx::query("DELETE FROM login_throttle WHERE key = $1").bind(key);
        self.changed(q, "forgetting login failures").await.map(drop)
    }
}
