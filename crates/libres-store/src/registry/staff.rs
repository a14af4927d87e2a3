//! Staff accounts over a backend: administration, setup, login with
//! throttling, sessions. Each change to an account appends to the audit
//! chain in its own transaction.

use super::audit::{append, Entry};
use super::Registry;
use crate::backend::{SessionRow, StaffSql, StaffTx, UserRow, WriteTx};
use crate::credentials::{
    hash_password, new_recovery_codes, new_totp_secret, normalise_recovery_code, otpauth_uri,
    random_token, sha256_hex, totp_step, verify_password,
};
use crate::staff::{
    Enrolment, LoginAttempt, LoginOutcome, SecondFactor, SetupLink, StaffStore, StaffUser, User,
};
use crate::{StoreError, StoreResult};
use async_trait::async_trait;
use libres_core::staff::{
    check_password, client_network, Throttle, SESSIONS, SETUP_LINK_SECS, THROTTLE_FORGET_SECS,
    THROTTLE_NETWORK, THROTTLE_PAIR,
};
use libres_core::{Email, Role, UnixTime};
use serde_json::json;

/// An account as callers see it.
fn user(row: UserRow) -> StoreResult<User> {
    let enrolled = row.password_hash.is_some() && row.totp_secret.is_some();
    let (email, role) = identity(&row)?;
    Ok(User {
        id: row.id,
        email,
        role,
        disabled: row.disabled,
        enrolled,
        created_at: row.created_at,
    })
}

/// The email and role of a stored account.
fn identity(row: &UserRow) -> StoreResult<(Email, Role)> {
    let corrupt = |detail: String| StoreError::Corrupt {
        what: format!("account {}", row.id),
        detail,
    };
    let email = Email::parse(&row.email).map_err(corrupt)?;
    let role = Role::from_slug(&row.role)
        .ok_or_else(|| corrupt(format!("unknown role `{}`", row.role)))?;
    Ok((email, role))
}

/// The account with this email in `tx`, or [`StoreError::NotFound`].
async fn existing<T: StaffTx>(tx: &mut T, email: &Email) -> StoreResult<UserRow> {
    tx.user_by_email(email.as_str())
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("the account {email}")))
}

/// Refuses to take the last working administrator away: demoting or
/// disabling the only enabled admin with a password would leave nobody who
/// can manage accounts from the staff pages. `doing` completes "cannot …".
async fn keep_an_admin<T: StaffTx>(tx: &mut T, row: &UserRow, doing: &str) -> StoreResult<()> {
    let working_admin =
        row.role == Role::Admin.slug() && !row.disabled && row.password_hash.is_some();
    if working_admin && tx.other_admins(row.id).await? == 0 {
        return Err(StoreError::Invalid(format!(
            "{} is the only administrator: cannot {doing}; make another account admin first",
            row.email
        )));
    }
    Ok(())
}

/// A new setup link for account `user`, stored in `tx`.
async fn issue_link<T: StaffTx>(
    tx: &mut T,
    user: i64,
    email: &Email,
    now: UnixTime,
) -> StoreResult<SetupLink> {
    let token = random_token();
    let expires_at = now.plus(SETUP_LINK_SECS);
    tx.insert_setup_token(&sha256_hex(&token), user, expires_at.0)
        .await?;
    Ok(SetupLink {
        email: email.clone(),
        token,
        expires_at,
    })
}

/// What every unusable setup link is: unknown, used, expired, or of a
/// disabled account. One answer, so a link reveals nothing.
fn link_gone() -> StoreError {
    StoreError::NotFound("this setup link (it is unknown, used or expired)".into())
}

/// The throttle keys of an attempt: one per (account, network), one per
/// network. Hashed, so the table holds neither addresses nor emails.
fn throttle_keys(attempt: &LoginAttempt<'_>) -> [(String, Throttle); 2] {
    let net = client_network(attempt.client);
    let account = Email::parse(attempt.email)
        .map(|e| e.as_str().to_owned())
        .unwrap_or_else(|_| attempt.email.trim().to_lowercase());
    [
        (
            sha256_hex(&format!("pair\n{account}\n{net}")),
            THROTTLE_PAIR,
        ),
        (sha256_hex(&format!("net\n{net}")), THROTTLE_NETWORK),
    ]
}

#[async_trait]
impl<B: StaffSql> StaffStore for Registry<B> {
    async fn add_user(
        &self,
        email: &Email,
        role: Role,
        actor: &str,
        now: UnixTime,
    ) -> StoreResult<SetupLink> {
        let mut tx = self.backend.staff_write().await?;
        let id = tx.insert_user(email.as_str(), role, &now.rfc3339()).await?;
        let link = issue_link(&mut tx, id, email, now).await?;
        let entry = Entry {
            actor,
            action: "user_added",
            target: email.as_str(),
            details: json!({ "role": role.slug() }),
        };
        append(&mut tx, now, &[entry]).await?;
        tx.commit().await?;
        Ok(link)
    }

    async fn users(&self) -> StoreResult<Vec<User>> {
        self.backend
            .user_rows()
            .await?
            .into_iter()
            .map(user)
            .collect()
    }

    async fn user(&self, email: &Email) -> StoreResult<Option<User>> {
        self.backend
            .user_row(email.as_str())
            .await?
            .map(user)
            .transpose()
    }

    async fn set_role(
        &self,
        email: &Email,
        role: Role,
        actor: &str,
        now: UnixTime,
    ) -> StoreResult<()> {
        let mut tx = self.backend.staff_write().await?;
        let row = existing(&mut tx, email).await?;
        if row.role == role.slug() {
            return Ok(());
        }
        keep_an_admin(&mut tx, &row, &format!("make it {}", role.slug())).await?;
        tx.set_role(row.id, role).await?;
        let entry = Entry {
            actor,
            action: "user_role_changed",
            target: email.as_str(),
            details: json!({ "from": row.role, "to": role.slug() }),
        };
        append(&mut tx, now, &[entry]).await?;
        tx.commit().await
    }

    async fn disable_user(&self, email: &Email, actor: &str, now: UnixTime) -> StoreResult<()> {
        let mut tx = self.backend.staff_write().await?;
        let row = existing(&mut tx, email).await?;
        keep_an_admin(&mut tx, &row, "disable it").await?;
        tx.set_disabled(row.id, true).await?;
        let ended = tx.delete_sessions(row.id).await?;
        tx.delete_setup_tokens(row.id).await?;
        let entry = Entry {
            actor,
            action: "user_disabled",
            target: email.as_str(),
            details: json!({ "sessions_ended": ended }),
        };
        append(&mut tx, now, &[entry]).await?;
        tx.commit().await
    }

    async fn reset_user(
        &self,
        email: &Email,
        actor: &str,
        now: UnixTime,
    ) -> StoreResult<SetupLink> {
        let mut tx = self.backend.staff_write().await?;
        let row = existing(&mut tx, email).await?;
        tx.clear_credentials(row.id).await?;
        let ended = tx.delete_sessions(row.id).await?;
        tx.delete_setup_tokens(row.id).await?;
        tx.set_disabled(row.id, false).await?;
        let link = issue_link(&mut tx, row.id, email, now).await?;
        let entry = Entry {
            actor,
            action: "user_reset",
            target: email.as_str(),
            details: json!({ "sessions_ended": ended, "was_disabled": row.disabled }),
        };
        append(&mut tx, now, &[entry]).await?;
        tx.commit().await?;
        Ok(link)
    }

    async fn begin_setup(&self, token: &str, now: UnixTime) -> StoreResult<Enrolment> {
        let hash = sha256_hex(token);
        let mut tx = self.backend.staff_write().await?;
        let row = tx.setup_token(&hash).await?.ok_or_else(link_gone)?;
        if row.used || row.expires_at <= now.0 {
            return Err(link_gone());
        }
        let email = Email::parse(&row.email).map_err(|detail| StoreError::Corrupt {
            what: format!("account {}", row.user_id),
            detail,
        })?;
        let secret = match row.totp_secret {
            Some(s) => s,
            None => {
                let s = new_totp_secret();
                tx.set_setup_secret(&hash, &s).await?;
                tx.commit().await?;
                s
            }
        };
        Ok(Enrolment {
            otpauth_uri: otpauth_uri(&email, &secret),
            email,
            secret,
        })
    }

    async fn finish_setup(
        &self,
        token: &str,
        password: &str,
        code: &str,
        now: UnixTime,
    ) -> StoreResult<Vec<String>> {
        let hash = sha256_hex(token);
        check_password(password).map_err(StoreError::Invalid)?;
        // Look first (and hash the password) outside the transaction that
        // writes: hashing takes tens of milliseconds.
        let row = {
            let mut tx = self.backend.staff_write().await?;
            tx.setup_token(&hash).await?.ok_or_else(link_gone)?
        };
        if row.used || row.expires_at <= now.0 {
            return Err(link_gone());
        }
        let secret = row.totp_secret.ok_or_else(|| {
            StoreError::Invalid("open the setup page first: it shows the code to enrol".into())
        })?;
        let step = totp_step(&secret, code, now)?.ok_or_else(|| {
            StoreError::Invalid(
                "the code is not the one the app shows now: check the phone's clock, and that \
                 the account was added from this page"
                    .into(),
            )
        })?;
        let password_hash = hash_password(password).await?;
        let codes = new_recovery_codes();
        let code_hashes: Vec<String> = codes
            .iter()
            .map(|c| sha256_hex(&normalise_recovery_code(c)))
            .collect();
        let mut tx = self.backend.staff_write().await?;
        if !tx.use_setup_token(&hash, now.0).await? {
            return Err(link_gone());
        }
        tx.set_credentials(row.user_id, &password_hash, &secret, step)
            .await?;
        tx.replace_recovery_codes(row.user_id, &code_hashes).await?;
        let entry = Entry {
            actor: &row.email,
            action: "user_enrolled",
            target: &row.email,
            details: json!({ "second_factor": "totp", "recovery_codes": codes.len() }),
        };
        append(&mut tx, now, &[entry]).await?;
        tx.commit().await?;
        Ok(codes)
    }

    async fn login(&self, attempt: &LoginAttempt<'_>, now: UnixTime) -> StoreResult<LoginOutcome> {
        let keys = throttle_keys(attempt);
        let names: Vec<String> = keys.iter().map(|(k, _)| k.clone()).collect();
        // A throttled attempt is answered before anything is checked, so
        // it costs the server nothing and tells the client nothing.
        let mut wait = 0;
        for row in self.backend.throttle_rows(&names).await? {
            let Some((_, policy)) = keys.iter().find(|(k, _)| *k == row.key) else {
                continue;
            };
            if now.0 - row.last_failure > THROTTLE_FORGET_SECS {
                continue;
            }
            let failures = u32::try_from(row.failures).unwrap_or(u32::MAX);
            wait = wait.max(row.last_failure + policy.delay(failures) - now.0);
        }
        if wait > 0 {
            return Ok(LoginOutcome::Throttled {
                retry_after_secs: wait,
            });
        }
        let account = match Email::parse(attempt.email) {
            Ok(e) => self.backend.user_row(e.as_str()).await?,
            Err(_) => None,
        }
        .filter(|u| !u.disabled && u.totp_secret.is_some());
        let stored_hash = account.as_ref().and_then(|u| u.password_hash.as_deref());
        let password_ok = verify_password(attempt.password, stored_hash).await?;
        let mut tx = self.backend.staff_write().await?;
        let accepted = match (&account, password_ok) {
            (Some(u), true) => match attempt.second_factor {
                SecondFactor::Totp(code) => {
                    let secret = u.totp_secret.as_deref().unwrap_or_default();
                    match totp_step(secret, code, now)? {
                        Some(step) => tx.use_totp_step(u.id, step).await?,
                        None => false,
                    }
                }
                SecondFactor::RecoveryCode(code) => {
                    let hash = sha256_hex(&normalise_recovery_code(code));
                    tx.use_recovery_code(u.id, &hash, now.0).await?
                }
            },
            _ => false,
        };
        let Some(u) = account.filter(|_| accepted) else {
            tx.record_failures(&names, now.0, now.0 - THROTTLE_FORGET_SECS)
                .await?;
            tx.commit().await?;
            return Ok(LoginOutcome::Refused);
        };
        tx.clear_throttle(&keys[0].0).await?;
        tx.delete_ended_sessions(now.0 - SESSIONS.idle_secs, now.0 - SESSIONS.absolute_secs)
            .await?;
        let token = random_token();
        tx.insert_session(&sha256_hex(&token), u.id, now.0).await?;
        let factor = match attempt.second_factor {
            SecondFactor::Totp(_) => "totp",
            SecondFactor::RecoveryCode(_) => "recovery_code",
        };
        let entry = Entry {
            actor: &u.email,
            action: "login",
            target: &u.email,
            details: json!({ "second_factor": factor }),
        };
        append(&mut tx, now, &[entry]).await?;
        tx.commit().await?;
        let (email, role) = identity(&u)?;
        Ok(LoginOutcome::LoggedIn {
            token,
            user: StaffUser {
                id: u.id,
                email,
                role,
            },
        })
    }

    async fn session(&self, token: &str, now: UnixTime) -> StoreResult<Option<StaffUser>> {
        let hash = sha256_hex(token);
        let Some(SessionRow {
            user,
            created_at,
            last_seen,
        }) = self.backend.session_row(&hash).await?
        else {
            return Ok(None);
        };
        let ended = user.disabled
            || now.0 - last_seen > SESSIONS.idle_secs
            || now.0 - created_at > SESSIONS.absolute_secs;
        if ended {
            let mut tx = self.backend.staff_write().await?;
            tx.delete_session(&hash).await?;
            tx.commit().await?;
            return Ok(None);
        }
        if now.0 - last_seen >= SESSIONS.touch_secs {
            let mut tx = self.backend.staff_write().await?;
            tx.touch_session(&hash, now.0).await?;
            tx.commit().await?;
        }
        let (email, role) = identity(&user)?;
        Ok(Some(StaffUser {
            id: user.id,
            email,
            role,
        }))
    }

    async fn touch_session(&self, token: &str, now: UnixTime) -> StoreResult<()> {
        let mut tx = self.backend.staff_write().await?;
        tx.touch_session(&sha256_hex(token), now.0).await?;
        tx.commit().await
    }

    async fn logout(&self, token: &str) -> StoreResult<()> {
        let mut tx = self.backend.staff_write().await?;
        tx.delete_session(&sha256_hex(token)).await?;
        tx.commit().await
    }

    async fn logout_everywhere(
        &self,
        email: &Email,
        actor: &str,
        now: UnixTime,
    ) -> StoreResult<u64> {
        let mut tx = self.backend.staff_write().await?;
        let row = existing(&mut tx, email).await?;
        let ended = tx.delete_sessions(row.id).await?;
        let entry = Entry {
            actor,
            action: "logged_out_everywhere",
            target: email.as_str(),
            details: json!({ "sessions_ended": ended }),
        };
        append(&mut tx, now, &[entry]).await?;
        tx.commit().await?;
        Ok(ended)
    }
}
