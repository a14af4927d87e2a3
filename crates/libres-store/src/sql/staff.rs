//! The statements of staff accounts, sessions and login throttling: the
//! reads of [`StaffSql`](crate::backend::StaffSql), and [`StaffTx`] for
//! every write transaction.

use super::{execute, fetch, placeholders, rows, try_fetch, Arg, Column, Row, Sql};
use crate::backend::{SessionRow, SetupRow, StaffTx, ThrottleRow, UserRow, WriteTx};
use crate::{StoreError, StoreResult};
use async_trait::async_trait;
use libres_core::Role;

/// The columns of [`UserRow`], for `SELECT … FROM users u`.
macro_rules! user_columns {
    () => {
        "u.id, u.email, u.role, u.disabled, u.password_hash, u.totp_secret, u.totp_last_step, \
         u.created_at"
    };
}

/// How [`user_columns!`] are read.
const USER: [Column; 8] = [
    Column::Int,
    Column::Text,
    Column::Text,
    Column::Bool,
    Column::OptText,
    Column::OptText,
    Column::OptInt,
    Column::Text,
];

const USER_BY_EMAIL: &str = concat!(
    "SELECT ",
    user_columns!(),
    " FROM users u WHERE u.email = ?1"
);

fn user_row(r: &mut Row) -> StoreResult<UserRow> {
    Ok(UserRow {
        id: r.int()?,
        email: r.text()?,
        role: r.text()?,
        disabled: r.bool()?,
        password_hash: r.opt_text()?,
        totp_secret: r.opt_text()?,
        totp_last_step: r.opt_int()?,
        created_at: r.text()?,
    })
}

/// The account with this email.
pub(crate) async fn user<S: Sql + ?Sized>(s: &mut S, email: &str) -> StoreResult<Option<UserRow>> {
    let rows = fetch(
        s,
        USER_BY_EMAIL,
        &[Arg::Text(email)],
        &USER,
        "reading an account",
    )
    .await?;
    rows.into_iter()
        .next()
        .map(|mut r| user_row(&mut r))
        .transpose()
}

/// Every account, by email.
pub(crate) async fn users<S: Sql + ?Sized>(s: &mut S) -> StoreResult<Vec<UserRow>> {
    let text = concat!("SELECT ", user_columns!(), " FROM users u ORDER BY u.email");
    fetch(s, text, &[], &USER, "reading accounts")
        .await?
        .iter_mut()
        .map(user_row)
        .collect()
}

/// The session whose token has this hash, with its account.
pub(crate) async fn session<S: Sql + ?Sized>(
    s: &mut S,
    token_hash: &str,
) -> StoreResult<Option<SessionRow>> {
    let text = concat!(
        "SELECT ",
        user_columns!(),
        ", s.created_at, s.last_seen \
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1"
    );
    let mut columns = USER.to_vec();
    columns.extend([Column::Int, Column::Int]);
    let rows = fetch(
        s,
        text,
        &[Arg::Text(token_hash)],
        &columns,
        "reading a session",
    )
    .await?;
    rows.into_iter()
        .next()
        .map(|mut r| {
            Ok(SessionRow {
                user: user_row(&mut r)?,
                created_at: r.int()?,
                last_seen: r.int()?,
            })
        })
        .transpose()
}

/// The throttle rows of these keys.
pub(crate) async fn throttle<S: Sql + ?Sized>(
    s: &mut S,
    keys: &[String],
) -> StoreResult<Vec<ThrottleRow>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let text = format!(
        "SELECT key, failures, last_failure FROM login_throttle WHERE key IN ({})",
        placeholders(1, keys.len())
    );
    let args: Vec<Arg> = keys.iter().map(|k| Arg::Text(k)).collect();
    let columns = [Column::Text, Column::Int, Column::Int];
    fetch(s, &text, &args, &columns, "reading login failures")
        .await?
        .iter_mut()
        .map(|r| {
            Ok(ThrottleRow {
                key: r.text()?,
                failures: r.int()?,
                last_failure: r.int()?,
            })
        })
        .collect()
}

/// Every write transaction of an SQL backend holds these statements.
#[async_trait]
impl<T: WriteTx> StaffTx for T {
    async fn insert_user(&mut self, email: &str, role: Role, created_at: &str) -> StoreResult<i64> {
        let found = try_fetch(
            self,
            "INSERT INTO users (email, role, created_at) VALUES (?1, ?2, ?3) RETURNING id",
            &[
                Arg::Text(email),
                Arg::Text(role.slug()),
                Arg::Text(created_at),
            ],
            &[Column::Int],
            "adding an account",
        )
        .await;
        match found {
            Err(f) if f.unique_violation => {
                Err(StoreError::AlreadyExists(format!("an account for {email}")))
            }
            Err(f) => Err(super::failed("adding an account", f)),
            Ok(found) => match found.into_iter().next() {
                Some(mut r) => r.int(),
                None => Err(StoreError::Other(
                    "adding an account: no key came back".into(),
                )),
            },
        }
    }

    async fn user_by_email(&mut self, email: &str) -> StoreResult<Option<UserRow>> {
        user(self, email).await
    }

    async fn set_role(&mut self, user: i64, role: Role) -> StoreResult<()> {
        let text = "UPDATE users SET role = ?2 WHERE id = ?1";
        let args = [Arg::Int(user), Arg::Text(role.slug())];
        execute(self, text, &args, "changing a role")
            .await
            .map(drop)
    }

    async fn set_disabled(&mut self, user: i64, disabled: bool) -> StoreResult<()> {
        let text = "UPDATE users SET disabled = ?2 WHERE id = ?1";
        let args = [Arg::Int(user), Arg::Bool(disabled)];
        execute(self, text, &args, "disabling an account")
            .await
            .map(drop)
    }

    async fn set_credentials(
        &mut self,
        user: i64,
        password_hash: &str,
        totp_secret: &str,
        totp_step: i64,
    ) -> StoreResult<()> {
        let text = "UPDATE users SET password_hash = ?2, totp_secret = ?3, totp_last_step = ?4 \
                    WHERE id = ?1";
        let args = [
            Arg::Int(user),
            Arg::Text(password_hash),
            Arg::Text(totp_secret),
            Arg::Int(totp_step),
        ];
        execute(self, text, &args, "setting credentials")
            .await
            .map(drop)
    }

    async fn clear_credentials(&mut self, user: i64) -> StoreResult<()> {
        let text = "UPDATE users \
                    SET password_hash = NULL, totp_secret = NULL, totp_last_step = NULL \
                    WHERE id = ?1";
        execute(self, text, &[Arg::Int(user)], "clearing credentials").await?;
        let text = "DELETE FROM recovery_codes WHERE user_id = ?1";
        execute(self, text, &[Arg::Int(user)], "clearing recovery codes")
            .await
            .map(drop)
    }

    async fn use_totp_step(&mut self, user: i64, step: i64) -> StoreResult<bool> {
        let text = "UPDATE users SET totp_last_step = ?2 \
                    WHERE id = ?1 AND (totp_last_step IS NULL OR totp_last_step < ?2)";
        let args = [Arg::Int(user), Arg::Int(step)];
        Ok(execute(self, text, &args, "using a TOTP code").await? == 1)
    }

    async fn replace_recovery_codes(&mut self, user: i64, hashes: &[String]) -> StoreResult<()> {
        let text = "DELETE FROM recovery_codes WHERE user_id = ?1";
        execute(self, text, &[Arg::Int(user)], "replacing recovery codes").await?;
        if hashes.is_empty() {
            return Ok(());
        }
        // A handful of codes: one statement, the account's key bound once.
        let text = format!(
            "INSERT INTO recovery_codes (user_id, code_hash) VALUES {}",
            rows(hashes.len(), |i| format!("(?1, ?{})", 2 + i))
        );
        let args: Vec<Arg> = std::iter::once(Arg::Int(user))
            .chain(hashes.iter().map(|h| Arg::Text(h)))
            .collect();
        execute(self, &text, &args, "storing recovery codes")
            .await
            .map(drop)
    }

    async fn use_recovery_code(&mut self, user: i64, hash: &str, now: i64) -> StoreResult<bool> {
        let text = "UPDATE recovery_codes SET used_at = ?3 \
                    WHERE user_id = ?1 AND code_hash = ?2 AND used_at IS NULL";
        let args = [Arg::Int(user), Arg::Text(hash), Arg::Int(now)];
        Ok(execute(self, text, &args, "using a recovery code").await? == 1)
    }

    async fn insert_setup_token(
        &mut self,
        hash: &str,
        user: i64,
        expires_at: i64,
    ) -> StoreResult<()> {
        let text = "INSERT INTO setup_tokens (token_hash, user_id, expires_at) VALUES (?1, ?2, ?3)";
        let args = [Arg::Text(hash), Arg::Int(user), Arg::Int(expires_at)];
        execute(self, text, &args, "storing a setup link")
            .await
            .map(drop)
    }

    async fn setup_token(&mut self, hash: &str) -> StoreResult<Option<SetupRow>> {
        let text = "SELECT t.user_id, u.email, t.expires_at, t.used_at IS NOT NULL, t.totp_secret \
                    FROM setup_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?1";
        let columns = [
            Column::Int,
            Column::Text,
            Column::Int,
            Column::Bool,
            Column::OptText,
        ];
        let found = fetch(
            self,
            text,
            &[Arg::Text(hash)],
            &columns,
            "reading a setup link",
        )
        .await?;
        found
            .into_iter()
            .next()
            .map(|mut r| {
                Ok(SetupRow {
                    user_id: r.int()?,
                    email: r.text()?,
                    expires_at: r.int()?,
                    used: r.bool()?,
                    totp_secret: r.opt_text()?,
                })
            })
            .transpose()
    }

    async fn set_setup_secret(&mut self, hash: &str, secret: &str) -> StoreResult<()> {
        let text = "UPDATE setup_tokens SET totp_secret = ?2 WHERE token_hash = ?1";
        let args = [Arg::Text(hash), Arg::Text(secret)];
        execute(self, text, &args, "opening a setup link")
            .await
            .map(drop)
    }

    async fn use_setup_token(&mut self, hash: &str, now: i64) -> StoreResult<bool> {
        let text = "UPDATE setup_tokens SET used_at = ?2 \
                    WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?2";
        let args = [Arg::Text(hash), Arg::Int(now)];
        Ok(execute(self, text, &args, "using a setup link").await? == 1)
    }

    async fn delete_setup_tokens(&mut self, user: i64) -> StoreResult<()> {
        let text = "DELETE FROM setup_tokens WHERE user_id = ?1";
        execute(self, text, &[Arg::Int(user)], "deleting setup links")
            .await
            .map(drop)
    }

    async fn insert_session(&mut self, token_hash: &str, user: i64, now: i64) -> StoreResult<()> {
        let text = "INSERT INTO sessions (token_hash, user_id, created_at, last_seen) \
                    VALUES (?1, ?2, ?3, ?3)";
        let args = [Arg::Text(token_hash), Arg::Int(user), Arg::Int(now)];
        execute(self, text, &args, "opening a session")
            .await
            .map(drop)
    }

    async fn touch_session(&mut self, token_hash: &str, now: i64) -> StoreResult<()> {
        let text = "UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1 AND last_seen < ?2";
        let args = [Arg::Text(token_hash), Arg::Int(now)];
        execute(self, text, &args, "recording a session's use")
            .await
            .map(drop)
    }

    async fn delete_session(&mut self, token_hash: &str) -> StoreResult<()> {
        let text = "DELETE FROM sessions WHERE token_hash = ?1";
        execute(self, text, &[Arg::Text(token_hash)], "ending a session")
            .await
            .map(drop)
    }

    async fn delete_sessions(&mut self, user: i64) -> StoreResult<u64> {
        let text = "DELETE FROM sessions WHERE user_id = ?1";
        execute(self, text, &[Arg::Int(user)], "ending sessions").await
    }

    async fn delete_ended_sessions(
        &mut self,
        idle_before: i64,
        opened_before: i64,
    ) -> StoreResult<()> {
        let text = "DELETE FROM sessions WHERE last_seen < ?1 OR created_at < ?2";
        let args = [Arg::Int(idle_before), Arg::Int(opened_before)];
        execute(self, text, &args, "deleting ended sessions")
            .await
            .map(drop)
    }

    async fn record_failures(
        &mut self,
        keys: &[String],
        now: i64,
        forget_before: i64,
    ) -> StoreResult<()> {
        let text = "DELETE FROM login_throttle WHERE last_failure < ?1";
        let args = [Arg::Int(forget_before)];
        execute(self, text, &args, "forgetting old login failures").await?;
        // Each key once: PostgreSQL refuses an upsert that meets the same
        // row twice.
        let mut distinct: Vec<&str> = Vec::with_capacity(keys.len());
        for k in keys {
            if !distinct.contains(&k.as_str()) {
                distinct.push(k);
            }
        }
        if distinct.is_empty() {
            return Ok(());
        }
        let text = format!(
            "INSERT INTO login_throttle AS t (key, failures, last_failure) VALUES {} \
             ON CONFLICT (key) DO UPDATE SET failures = t.failures + 1, last_failure = ?1",
            rows(distinct.len(), |i| format!("(?{}, 1, ?1)", 2 + i))
        );
        let args: Vec<Arg> = std::iter::once(Arg::Int(now))
            .chain(distinct.into_iter().map(Arg::Text))
            .collect();
        execute(self, &text, &args, "counting login failures")
            .await
            .map(drop)
    }

    async fn clear_throttle(&mut self, key: &str) -> StoreResult<()> {
        let text = "DELETE FROM login_throttle WHERE key = ?1";
        execute(self, text, &[Arg::Text(key)], "forgetting login failures")
            .await
            .map(drop)
    }
}
