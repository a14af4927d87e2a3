//! Statements and their signatures.
//!
//! - Staff write statements ([`StatementStore::add_statement`],
//!   [`StatementStore::update_statement`]), moderate signatures and link
//!   them to registry persons; each of those writes is one transaction
//!   with one audit entry.
//! - The public signs: [`StatementStore::take_signatures`] and
//!   [`StatementStore::confirm_signatures`] take a **batch** each, in one
//!   transaction, so that a surge is written with one commit (one disk
//!   flush) for many signers. A signature is not a staff change and is not
//!   audited; it never moves the registry version either.
//! - Counts are read by aggregating the signatures
//!   ([`StatementReads::signature_counts`]); no row holds a running total
//!   that every signature would have to update.
//! - The mail a signature makes due is written in the same transaction, to
//!   an outbox that the mailer empties ([`StatementStore::due_mail`]).
//!
//! An address is confidential: [`StatementReads`] never returns one;
//! only the staff reads ([`StatementStore::signatures`]) and the mailer
//! do.

use crate::{RegistryMeta, StoreResult};
use async_trait::async_trait;
use libres_core::statement::{Signature, SignerCategory, Statement, Visibility};
use libres_core::{CountryCode, PersonId, UnixTime};

/// Seconds after a mail about a signature before signing again with its
/// address makes another one: a day.
pub const RESEND_SECS: i64 = 86_400;

/// Seconds a mailer holds the mails it took from the outbox before they
/// are due again (if it died before settling them).
pub const MAIL_LEASE_SECS: i64 = 600;

/// A signature as the signing form gave it, ready to be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSignature {
    /// The statement signed.
    pub statement: i64,
    /// The signature's checked fields.
    pub signature: Signature,
    /// The language of the page it was given on, for its mail.
    pub lang: String,
    /// The signer asks staff to link the signature to their registry
    /// record (a former prisoner, a relative), and consents to it.
    pub link_requested: bool,
    /// Why the intake set it aside for a look (`""`: it did not).
    pub flag: String,
    /// When it was given.
    pub at: UnixTime,
}

/// What became of one signature of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    /// Stored, with this id; a confirmation mail is due.
    New(i64),
    /// The mailbox had signed already (signature id given): nothing new is
    /// stored, and a mail to that mailbox is due, so that only its owner
    /// learns it.
    Duplicate(i64),
    /// The statement does not exist or does not take signatures.
    NotOpen,
}

/// What became of one confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmation {
    /// Confirmed now.
    Confirmed,
    /// It was confirmed before.
    AlreadyConfirmed,
    /// No such signature on that statement (or it was anonymised).
    Unknown,
}

/// The counts of a statement's signatures: confirmed and not
/// invalidated, flagged ones included.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignatureCounts {
    /// All of them.
    pub total: u64,
    /// By category, in the order of [`SignerCategory::ALL`], zeros left
    /// out.
    pub by_category: Vec<(SignerCategory, u64)>,
}

/// A signature as the public list shows it: never the address, and the
/// name only as the signer chose and staff approved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicSignature {
    /// The name as shown (full name or initials).
    pub name: String,
    /// Who they sign as.
    pub category: SignerCategory,
    /// Their country.
    pub country: CountryCode,
    /// Years served: from the registry when `verified`, else as stated.
    pub years: Option<u32>,
    /// Staff linked the signature to a registry person, whose timeline
    /// gave the years.
    pub verified: bool,
}

/// Which signatures a staff list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureFilter {
    /// All of them.
    All,
    /// Confirmed, with a name to show, not yet moderated.
    Unmoderated,
    /// Set aside by the intake, not invalidated.
    Flagged,
    /// The signer asked for a registry link that is not made.
    LinkRequested,
    /// Invalidated.
    Invalid,
}

/// A staff decision on signatures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moderation {
    /// The name may be shown.
    Approve,
    /// The name is not shown (the signature still counts).
    Reject,
    /// The signature does not count (abuse, a fake); it stays stored.
    Invalidate,
    /// An invalidated signature counts again.
    Restore,
}

impl Moderation {
    /// Its name in forms and in the audit log.
    pub fn slug(self) -> &'static str {
        match self {
            Moderation::Approve => "approve",
            Moderation::Reject => "reject",
            Moderation::Invalidate => "invalidate",
            Moderation::Restore => "restore",
        }
    }

    /// The decision named `slug`.
    pub fn from_slug(slug: &str) -> Option<Moderation> {
        [
            Moderation::Approve,
            Moderation::Reject,
            Moderation::Invalidate,
            Moderation::Restore,
        ]
        .into_iter()
        .find(|m| m.slug() == slug)
    }
}

/// A signature as staff see it, address included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureRecord {
    /// Its id.
    pub id: i64,
    /// The statement.
    pub statement: i64,
    /// The name as given.
    pub name: String,
    /// The address as given (normalised).
    pub email: String,
    /// Who they sign as.
    pub category: SignerCategory,
    /// Years served, as stated.
    pub years_stated: Option<u32>,
    /// Their country.
    pub country: CountryCode,
    /// How they chose to appear.
    pub visibility: Visibility,
    /// The language of their mail.
    pub lang: String,
    /// They asked for a registry link.
    pub link_requested: bool,
    /// When they signed.
    pub created_at: UnixTime,
    /// When they confirmed, if they did.
    pub confirmed_at: Option<UnixTime>,
    /// `pending`, `approved` or `rejected`.
    pub moderation: String,
    /// Who moderated it.
    pub moderated_by: Option<String>,
    /// Why the intake set it aside (`""`: it did not).
    pub flag: String,
    /// Invalidated by staff.
    pub invalid: bool,
    /// The registry person staff linked.
    pub person: Option<PersonId>,
    /// Years held, from that person's timeline.
    pub years_verified: Option<u32>,
    /// Name and address removed after the statement closed.
    pub anonymised: bool,
}

/// Which mail a signature made due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    /// "Confirm your signature", with the link.
    Confirm,
    /// The mailbox signed before: the link again if it is unconfirmed,
    /// else "you have already signed".
    AlreadySigned,
}

impl MailKind {
    /// As stored.
    pub fn slug(self) -> &'static str {
        match self {
            MailKind::Confirm => "confirm",
            MailKind::AlreadySigned => "already_signed",
        }
    }
}

/// A mail the outbox holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    /// Its id in the outbox.
    pub id: i64,
    /// Which mail.
    pub kind: MailKind,
    /// The signature it is about.
    pub signature: i64,
    /// Its statement.
    pub statement: i64,
    /// The statement's title in the signer's language (or the fallback).
    pub title: String,
    /// The address to send to.
    pub to: String,
    /// The signer's name.
    pub name: String,
    /// The signer's language.
    pub lang: String,
    /// Whether the signature is confirmed already.
    pub confirmed: bool,
    /// When the signature was given (the confirmation link expires from
    /// here).
    pub signed_at: UnixTime,
    /// Tries so far.
    pub attempts: u32,
}

/// Reading statements and their public lists: what public pages hold.
#[async_trait]
pub trait StatementReads: RegistryMeta {
    /// One statement, whole (drafts too: callers show drafts to staff
    /// only).
    async fn statement(&self, id: i64) -> StoreResult<Option<Statement>>;

    /// Every statement, newest first; drafts only when asked.
    async fn statements(&self, drafts: bool) -> StoreResult<Vec<Statement>>;

    /// The counts of statement `id` (see [`SignatureCounts`]).
    async fn signature_counts(&self, id: i64) -> StoreResult<SignatureCounts>;

    /// The signatures of statement `id` that the public list names:
    /// confirmed, valid, approved by staff, with a name to show, not
    /// anonymised; by category (in the order of [`SignerCategory::ALL`]),
    /// verified ones first within each, then in the order given. At most
    /// `limit` from `offset`.
    async fn public_signatures(
        &self,
        id: i64,
        offset: u64,
        limit: u64,
    ) -> StoreResult<Vec<PublicSignature>>;

    /// How many signatures [`StatementReads::public_signatures`] names.
    async fn public_signature_count(&self, id: i64) -> StoreResult<u64>;

    /// How signature `signature` of statement `id` would appear on the
    /// public list once approved (`None` as name when counted only), and
    /// who it signs as: what its confirmation page shows the owner of the
    /// mailbox before they confirm. `None` for no such signature, or one
    /// anonymised. Only a handler that has checked the signed link may
    /// call this.
    async fn signature_shown(
        &self,
        id: i64,
        signature: i64,
    ) -> StoreResult<Option<(Option<String>, SignerCategory)>>;
}

/// Keeping statements and signatures.
#[async_trait]
pub trait StatementStore: StatementReads {
    /// Stores a new statement; returns its id. One that fails
    /// [`Statement::problems`] is [`crate::StoreError::Invalid`]; a person
    /// or announcement it names that does not exist is
    /// [`crate::StoreError::NotFound`].
    async fn add_statement(&self, statement: &Statement, actor: &str) -> StoreResult<i64>;

    /// Replaces statement `statement.id` (its texts, addressees and links
    /// included). Returns whether anything changed. Closing it records
    /// when; reopening clears that. Refused as
    /// [`StatementStore::add_statement`] refuses; an unknown id is
    /// [`crate::StoreError::NotFound`]. A statement with signatures cannot
    /// go back to draft ([`crate::StoreError::Invalid`]).
    async fn update_statement(&self, statement: &Statement, actor: &str) -> StoreResult<bool>;

    /// Takes a batch of signatures in one transaction, with the mail each
    /// makes due; one outcome per signature, in order. A mailbox already
    /// on the statement (or earlier in the batch) is
    /// [`Taken::Duplicate`]; its mail is made due unless one is waiting
    /// already or one was made due less than [`RESEND_SECS`] before.
    async fn take_signatures(&self, batch: &[NewSignature]) -> StoreResult<Vec<Taken>>;

    /// Confirms a batch of `(statement, signature)` in one transaction, at
    /// `at`; one outcome each, in order.
    async fn confirm_signatures(
        &self,
        batch: &[(i64, i64)],
        at: UnixTime,
    ) -> StoreResult<Vec<Confirmation>>;

    /// A page of the signatures of statement `id` for staff, newest first,
    /// and how many match `filter` in all.
    async fn signatures(
        &self,
        id: i64,
        filter: SignatureFilter,
        offset: u64,
        limit: u64,
    ) -> StoreResult<(Vec<SignatureRecord>, u64)>;

    /// Applies `decision` to signatures `ids` of statement `id`; returns
    /// how many it changed. One audit entry names them. An id that is not
    /// of the statement is [`crate::StoreError::NotFound`], and nothing is
    /// changed.
    async fn moderate_signatures(
        &self,
        id: i64,
        ids: &[i64],
        decision: Moderation,
        actor: &str,
    ) -> StoreResult<u64>;

    /// Links signature `signature` of statement `id` to registry person
    /// `person` (or unlinks it, `None`), and stores the years the person's
    /// timeline holds them as of `today` (`yyyymmdd`). Refused
    /// ([`crate::StoreError::Invalid`]) unless the signer asked for it;
    /// an unknown signature or person is [`crate::StoreError::NotFound`].
    async fn link_signature(
        &self,
        id: i64,
        signature: i64,
        person: Option<&PersonId>,
        today: i64,
        actor: &str,
    ) -> StoreResult<()>;

    /// Removes the names and addresses of the signatures of every
    /// statement closed before `closed_before`; their category and
    /// country stay, so the counts do not move. Returns how many it
    /// anonymised (one audit entry when any).
    async fn anonymise_closed(&self, closed_before: UnixTime, actor: &str) -> StoreResult<u64>;

    /// Up to `limit` mails of the outbox due at `now`, oldest first,
    /// claimed for [`MAIL_LEASE_SECS`]: another call (another process's
    /// mailer) does not get them again before, unless they are settled as
    /// failed and put off to an earlier time.
    async fn due_mail(&self, now: UnixTime, limit: usize) -> StoreResult<Vec<OutgoingMail>>;

    /// Settles mails of the outbox: `sent` are removed; `failed` are tried
    /// again at the time given, or dropped after `max_attempts` tries.
    async fn settle_mail(
        &self,
        sent: &[i64],
        failed: &[(i64, UnixTime)],
        max_attempts: u32,
    ) -> StoreResult<()>;

    /// The site's key named `name`: 32 random bytes as hex, made and
    /// stored on first use, the same for every process on the database
    /// afterwards. It signs confirmation links and signing forms.
    async fn site_key(&self, name: &str) -> StoreResult<String>;
}
