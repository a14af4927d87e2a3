//! Staff accounts: administration, setting up an account from a one-time
//! link, logging in with a password and a second factor, and sessions.
//!
//! Every method takes the time as a value (`now`): the store never reads
//! a clock for these rules, so tests move time instead of sleeping, and
//! several instances judge a session by the same numbers.
//!
//! What the web does with this: the setup page calls
//! [`StaffStore::begin_setup`] (shows the secret and its QR code) then
//! [`StaffStore::finish_setup`] (password and a first code; shows the
//! recovery codes once); the login form calls [`StaffStore::login`] and
//! sets the session cookie from [`LoginOutcome::LoggedIn`]; every staff
//! request calls [`StaffStore::session`] and acts on the role it returns,
//! read afresh from the account each time, so that a role change or a
//! disabled account takes effect on the next request.

use crate::{RegistryMeta, StoreResult};
use async_trait::async_trait;
use libres_core::{Email, Role, UnixTime};
use std::net::IpAddr;

/// A staff account as administrators see it (no secret in it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The account's key.
    pub id: i64,
    /// Its email address, normalised.
    pub email: Email,
    /// What it may do.
    pub role: Role,
    /// A disabled account cannot log in and has no session.
    pub disabled: bool,
    /// Whether the account has a password and a second factor (its setup
    /// link was used).
    pub enrolled: bool,
    /// When it was added, RFC 3339 UTC.
    pub created_at: String,
}

/// A one-time setup link's token, shown once to whoever added the account
/// (the store keeps only its hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupLink {
    /// The account.
    pub email: Email,
    /// The secret part of the link.
    pub token: String,
    /// When the link stops working.
    pub expires_at: UnixTime,
}

/// What the setup page shows: the TOTP secret to enrol in an authenticator
/// app, as text and as the address its QR code holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    /// The account.
    pub email: Email,
    /// The secret, base32, for typing in by hand.
    pub secret: String,
    /// The `otpauth://` address for the QR code.
    pub otpauth_uri: String,
}

/// The second factor of a login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactor<'a> {
    /// A code from the authenticator app.
    Totp(&'a str),
    /// One of the account's recovery codes (each works once).
    RecoveryCode(&'a str),
}

/// A login attempt, as the login form sends it.
#[derive(Debug, Clone, Copy)]
pub struct LoginAttempt<'a> {
    /// The email address as typed.
    pub email: &'a str,
    /// The password as typed.
    pub password: &'a str,
    /// The second factor as typed.
    pub second_factor: SecondFactor<'a>,
    /// The client's address (throttling is per network, see
    /// [`libres_core::staff::client_network`]).
    pub client: IpAddr,
}

/// A staff member acting through a session: who, and what they may do now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffUser {
    /// The account's key.
    pub id: i64,
    /// Its email address.
    pub email: Email,
    /// Its role as stored at this moment.
    pub role: Role,
}

/// What a login attempt gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginOutcome {
    /// Logged in: the session token goes into the cookie; only its hash
    /// is stored.
    LoggedIn {
        /// The session token.
        token: String,
        /// Who logged in.
        user: StaffUser,
    },
    /// Too many recent failures from this network (for this account, or
    /// for any): nothing was checked. Try again after this many seconds.
    Throttled {
        /// Seconds to wait.
        retry_after_secs: i64,
    },
    /// Refused: unknown account, wrong password, wrong, stale or replayed
    /// code, used recovery code, disabled or not set up. Deliberately one
    /// answer, so that a guess learns nothing about which part was wrong.
    Refused,
}

/// Staff accounts, their setup, logins and sessions. Writes that change
/// an account append to the audit log in their own transaction.
#[async_trait]
pub trait StaffStore: RegistryMeta {
    /// Adds an account with no password yet and returns its setup link
    /// (valid [`libres_core::staff::SETUP_LINK_SECS`]). An email already
    /// in use is [`crate::StoreError::AlreadyExists`].
    async fn add_user(
        &self,
        email: &Email,
        role: Role,
        actor: &str,
        now: UnixTime,
    ) -> StoreResult<SetupLink>;

    /// Every account, by email.
    async fn users(&self) -> StoreResult<Vec<User>>;

    /// One account.
    async fn user(&self, email: &Email) -> StoreResult<Option<User>>;

    /// Changes an account's role; its sessions see the new role on their
    /// next request. An unknown email is [`crate::StoreError::NotFound`].
    async fn set_role(
        &self,
        email: &Email,
        role: Role,
        actor: &str,
        now: UnixTime,
    ) -> StoreResult<()>;

    /// Disables an account and ends its sessions. Its history stays.
    async fn disable_user(&self, email: &Email, actor: &str, now: UnixTime) -> StoreResult<()>;

    /// Starts an account over (a lost phone and lost recovery codes):
    /// removes its password, second factor, recovery codes, sessions and
    /// earlier setup links, enables it, and returns a new setup link.
    async fn reset_user(&self, email: &Email, actor: &str, now: UnixTime)
        -> StoreResult<SetupLink>;

    /// Opens a setup link: the TOTP secret to enrol. The same secret comes
    /// back until the setup is finished, so reloading the page does not
    /// invalidate a QR code already scanned. An unknown, used or expired
    /// link is [`crate::StoreError::NotFound`].
    async fn begin_setup(&self, token: &str, now: UnixTime) -> StoreResult<Enrolment>;

    /// Finishes a setup: checks the password rule and a code from the app
    /// (proving the secret was enrolled), stores the password's hash and
    /// the secret, uses up the link, and returns fresh recovery codes, to
    /// be shown once. A weak password or a wrong code is
    /// [`crate::StoreError::Invalid`] (the link still works); an unknown,
    /// used or expired link is [`crate::StoreError::NotFound`].
    async fn finish_setup(
        &self,
        token: &str,
        password: &str,
        code: &str,
        now: UnixTime,
    ) -> StoreResult<Vec<String>>;

    /// Checks a login and on success opens a session. Failures slow the
    /// next attempts down per (account, network) and per network, never
    /// locking the account (see `docs/staff.md`). A TOTP code is accepted
    /// once: a code of a step already used, even at the same moment, is
    /// refused.
    async fn login(&self, attempt: &LoginAttempt<'_>, now: UnixTime) -> StoreResult<LoginOutcome>;

    /// The staff member behind a session token, with the role stored now,
    /// if the session is open: its account exists and is enabled, it was
    /// used within the idle timeout and opened within the absolute
    /// lifetime ([`libres_core::staff::SESSIONS`]). Records the use (at
    /// most once a minute). A session found ended is deleted.
    async fn session(&self, token: &str, now: UnixTime) -> StoreResult<Option<StaffUser>>;

    /// Records a use of a session now (what [`StaffStore::session`] does
    /// once a minute), without looking it up.
    async fn touch_session(&self, token: &str, now: UnixTime) -> StoreResult<()>;

    /// Ends one session (log out).
    async fn logout(&self, token: &str) -> StoreResult<()>;

    /// Ends every session of an account (log out everywhere); returns how
    /// many were open.
    async fn logout_everywhere(
        &self,
        email: &Email,
        actor: &str,
        now: UnixTime,
    ) -> StoreResult<u64>;
}
