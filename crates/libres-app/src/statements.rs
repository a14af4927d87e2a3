//! What signing a statement needs besides the store, for any front end:
//!
//! - [`SiteKey`]: the signatures of signing forms (a form is accepted only
//!   with a token this site issued for that statement, within a day) and
//!   of confirmation links (a link names one signature and its expiry,
//!   and nobody without the key can make one);
//! - [`Mailer`]: empties the store's mail outbox through a [`Transport`]:
//!   SMTP (lettre), files in a directory (`--mail-outbox DIR`, for
//!   development), or nowhere yet (the mail waits in the database);
//! - the text of each mail in the signer's language ([`compose`]).

use hmac::{Hmac, Mac};
use lettre::message::header::ContentType;
use lettre::message::{Body, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use libres_core::UnixTime;
use libres_store::statements::{MailKind, OutgoingMail};
use libres_store::{Store, StoreResult};
use sha2::Sha256;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// How long a signing form's token is accepted after the page was made.
pub const FORM_TOKEN_SECS: i64 = 24 * 3600;

/// The store's name of the key that signs forms and links.
pub const KEY_NAME: &str = "statements";

/// The key that signs forms and confirmation links.
#[derive(Clone)]
pub struct SiteKey(Vec<u8>);

impl std::fmt::Debug for SiteKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SiteKey(…)")
    }
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    /// No token, or one this site did not make for this purpose.
    Forged,
    /// Made here, but too long ago.
    Expired,
}

impl SiteKey {
    /// The key as the store keeps it (hex or any text).
    pub fn new(stored: &str) -> SiteKey {
        SiteKey(stored.as_bytes().to_vec())
    }

    /// The store's key, made on first use.
    pub async fn load(store: &dyn Store) -> StoreResult<SiteKey> {
        Ok(SiteKey::new(&store.site_key(KEY_NAME).await?))
    }

    fn mac(&self, message: &str) -> Hmac<Sha256> {
        // An HMAC takes a key of any length.
        let mut mac = match Hmac::<Sha256>::new_from_slice(&self.0) {
            Ok(m) => m,
            Err(_) => unreachable_key(),
        };
        mac.update(message.as_bytes());
        mac
    }

    fn sign(&self, message: &str) -> String {
        libres_store::credentials::to_hex(&self.mac(message).finalize().into_bytes())
    }

    fn verify(&self, message: &str, hex: &str) -> bool {
        match libres_store::credentials::from_hex(hex) {
            Some(bytes) => self.mac(message).verify_slice(&bytes).is_ok(),
            None => false,
        }
    }

    /// The token of a signing form for statement `statement`, made at
    /// `now`.
    pub fn form_token(&self, statement: i64, now: UnixTime) -> String {
        let issued = now.0;
        format!(
            "{issued}.{}",
            self.sign(&format!("form|{statement}|{issued}"))
        )
    }

    /// Checks a signing form's token at `now`.
    pub fn check_form_token(
        &self,
        token: &str,
        statement: i64,
        now: UnixTime,
    ) -> Result<(), TokenProblem> {
        let (issued, mac) = token.split_once('.').ok_or(TokenProblem::Forged)?;
        let at: i64 = issued.parse().map_err(|_| TokenProblem::Forged)?;
        if !self.verify(&format!("form|{statement}|{at}"), mac) {
            return Err(TokenProblem::Forged);
        }
        let age = now.since(UnixTime(at));
        if !(-300..=FORM_TOKEN_SECS).contains(&age) {
            return Err(TokenProblem::Expired);
        }
        Ok(())
    }

    /// The signature of a confirmation link for signature `signature` of
    /// statement `statement`, valid until `expires`.
    pub fn confirm_token(&self, statement: i64, signature: i64, expires: UnixTime) -> String {
        self.sign(&format!("confirm|{statement}|{signature}|{}", expires.0))
    }

    /// Checks a confirmation link at `now`.
    pub fn check_confirm_token(
        &self,
        token: &str,
        statement: i64,
        signature: i64,
        expires: UnixTime,
        now: UnixTime,
    ) -> Result<(), TokenProblem> {
        if !self.verify(
            &format!("confirm|{statement}|{signature}|{}", expires.0),
            token,
        ) {
            return Err(TokenProblem::Forged);
        }
        if now > expires {
            return Err(TokenProblem::Expired);
        }
        Ok(())
    }
}

#[cold]
fn unreachable_key() -> ! {
    // `Hmac::new_from_slice` refuses no length; this is never reached.
    std::process::abort()
}

/// The path and query of the page that confirms signature
/// `mail.signature`, with a link valid until `expires`.
pub fn confirm_path(key: &SiteKey, mail: &OutgoingMail, expires: UnixTime) -> String {
    let lang = match mail.lang.as_str() {
        "es" | "en" | "ar" => mail.lang.as_str(),
        _ => "es",
    };
    format!(
        "/{lang}/statements/{}/confirm?s={}&e={}&t={}",
        mail.statement,
        mail.signature,
        expires.0,
        key.confirm_token(mail.statement, mail.signature, expires)
    )
}

/// A mail's subject and text.
pub struct Composed {
    /// The subject line.
    pub subject: String,
    /// The plain text.
    pub body: String,
}

/// The mail for `mail`, sent at `now`, in its signer's language (Spanish,
/// English or Arabic; Spanish otherwise), with its link on `base_url`,
/// valid for `link_secs` from `now`: a link sent again later (a second
/// signing, a mailer that was down) is as good as the first was.
pub fn compose(
    mail: &OutgoingMail,
    base_url: &str,
    key: &SiteKey,
    now: UnixTime,
    link_secs: i64,
) -> Composed {
    let link = format!(
        "{}{}",
        base_url.trim_end_matches('/'),
        confirm_path(key, mail, now.plus(link_secs))
    );
    let days = link_secs / 86_400;
    let title = &mail.title;
    let name = &mail.name;
    let confirm = mail.kind == MailKind::Confirm || !mail.confirmed;
    let again = mail.kind == MailKind::AlreadySigned;
    let (subject, body) =
        match (mail.lang.as_str(), confirm) {
            ("en", true) => (
                format!("Confirm your signature: {title}"),
                format!(
                "Hello {name},\n\n{}To count your signature on \"{title}\", open this link and \
                 press the button on the page (within {days} days):\n\n{link}\n\n\
                 If you did not sign, ignore this message: nothing is published without \
                 confirmation.\n",
                if again { "Someone signed again with this address. " } else { "" }
            ),
            ),
            ("en", false) => (
                format!("You have already signed: {title}"),
                format!(
                    "Hello {name},\n\nSomeone tried to sign \"{title}\" again with this address. \
                 Your signature is already counted; nothing has changed.\n"
                ),
            ),
            ("ar", true) => (
                format!("أكّد توقيعك: {title}"),
                format!(
                "مرحبًا {name}،\n\n{}لاحتساب توقيعك على «{title}»، افتح هذا الرابط واضغط الزر في \
                 الصفحة (خلال {days} أيام):\n\n{link}\n\nإذا لم توقّع، تجاهل هذه الرسالة: لا يُنشر \
                 شيء دون تأكيد.\n",
                if again { "وقّع أحدهم مرة أخرى بهذا العنوان. " } else { "" }
            ),
            ),
            ("ar", false) => (
                format!("لقد وقّعت من قبل: {title}"),
                format!(
                    "مرحبًا {name}،\n\nحاول أحدهم التوقيع على «{title}» مرة أخرى بهذا العنوان. \
                 توقيعك محتسب بالفعل، ولم يتغير شيء.\n"
                ),
            ),
            (_, true) => (
                format!("Confirma tu firma: {title}"),
                format!(
                "Hola {name}:\n\n{}Para que cuente tu firma en «{title}», abre este enlace y pulsa \
                 el botón de la página (antes de {days} días):\n\n{link}\n\n\
                 Si no firmaste, ignora este mensaje: nada se publica sin confirmación.\n",
                if again { "Alguien volvió a firmar con esta dirección. " } else { "" }
            ),
            ),
            (_, false) => (
                format!("Ya habías firmado: {title}"),
                format!(
                "Hola {name}:\n\nAlguien intentó firmar de nuevo «{title}» con esta dirección. \
                 Tu firma ya cuenta; no ha cambiado nada.\n"
            ),
            ),
        };
    Composed { subject, body }
}

/// Where mail goes.
pub enum Transport {
    /// Nowhere yet: mail waits in the database's outbox until a transport
    /// is configured.
    None,
    /// One `.eml` file per message in a directory (development).
    Outbox(PathBuf),
    /// An SMTP server.
    Smtp(Box<AsyncSmtpTransport<Tokio1Executor>>),
    /// Printed on standard error, for `libres demo`: the demo's visitor
    /// follows the link from the terminal.
    Print,
}

impl Transport {
    /// An SMTP transport from a URL: `smtp://host:port` (plain, for a
    /// relay on the same machine), `smtp://user:pass@host:587?tls=required`
    /// (STARTTLS), `smtps://user:pass@host:465` (TLS).
    pub fn smtp(url: &str) -> Result<Transport, String> {
        AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map(|b| Transport::Smtp(Box::new(b.timeout(Some(Duration::from_secs(30))).build())))
            .map_err(|e| {
                format!(
                    "`{}` is not an SMTP address lettre can use: {e}",
                    redact(url)
                )
            })
    }
}

/// An SMTP URL without its password.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}{user}:…{}", &url[..s + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

/// Empties the outbox.
pub struct Mailer {
    /// The store whose outbox it empties.
    pub store: Arc<dyn Store>,
    /// Where the mail goes.
    pub transport: Transport,
    /// The sender (`Libres <noreply@example.org>`).
    pub from: Mailbox,
    /// The site's address, for links.
    pub base_url: String,
    /// Seconds a confirmation link stays valid.
    pub link_secs: i64,
}

/// The most tries of one mail before it is dropped.
pub const MAX_ATTEMPTS: u32 = 8;

impl Mailer {
    /// Sends what is due at `now`, up to `limit` mails; returns how many
    /// were sent. A mail that fails is tried again later (after 1, 2, 4 …
    /// minutes), and dropped after [`MAX_ATTEMPTS`] tries.
    pub async fn send_due(&self, now: UnixTime, limit: usize) -> StoreResult<usize> {
        if matches!(self.transport, Transport::None) {
            return Ok(0);
        }
        let due = self.store.due_mail(now, limit).await?;
        if due.is_empty() {
            return Ok(0);
        }
        let key = SiteKey::load(self.store.as_ref()).await?;
        let mut sent = Vec::new();
        let mut failed = Vec::new();
        for mail in &due {
            match self.send(mail, &key, now).await {
                Ok(()) => sent.push(mail.id),
                Err(why) => {
                    tracing::warn!(mail = mail.id, attempt = mail.attempts + 1, error = %why, "a mail was not sent; it will be tried again");
                    let wait = 60i64 << mail.attempts.min(10);
                    failed.push((mail.id, now.plus(wait)));
                }
            }
        }
        self.store.settle_mail(&sent, &failed, MAX_ATTEMPTS).await?;
        Ok(sent.len())
    }

    async fn send(&self, mail: &OutgoingMail, key: &SiteKey, now: UnixTime) -> Result<(), String> {
        let c = compose(mail, &self.base_url, key, now, self.link_secs);
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|e| format!("the address cannot be written to: {e}"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(c.subject)
            .header(ContentType::TEXT_PLAIN)
            // Encoded as lettre chooses (quoted-printable for these
            // texts: their links are longer than a mail line).
            .body(Body::new(c.body))
            .map_err(|e| format!("the message cannot be built: {e}"))?;
        match &self.transport {
            Transport::None => Err("no mail transport".into()),
            Transport::Outbox(dir) => {
                let name = format!("{:012}-{:010}.eml", mail.signed_at.0, mail.id);
                let tmp = dir.join(format!(".{name}.tmp"));
                let bytes = message.formatted();
                tokio::fs::write(&tmp, &bytes)
                    .await
                    .map_err(|e| format!("writing {}: {e}", tmp.display()))?;
                tokio::fs::rename(&tmp, dir.join(&name))
                    .await
                    .map_err(|e| format!("writing {name}: {e}"))
            }
            // The server's reply may quote the address: only its code is
            // logged.
            Transport::Smtp(t) => t
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| match e.status() {
                    Some(code) => format!("the SMTP server answered {code}"),
                    None if e.is_timeout() => "the SMTP server did not answer in time".into(),
                    None => "the SMTP server could not be reached or refused the session".into(),
                }),
            Transport::Print => {
                let c = compose(mail, &self.base_url, key, now, self.link_secs);
                eprintln!(
                    "--- mail to {} (demo: not sent) ---\nSubject: {}\n\n{}---",
                    mail.to, c.subject, c.body
                );
                Ok(())
            }
        }
    }

    /// Sends what is due, every second, for ever (until the task is
    /// dropped). Errors of the store are logged and tried again.
    pub async fn run(self, clock: impl Fn() -> UnixTime + Send) {
        loop {
            match self.send_due(clock(), 200).await {
                Ok(n) if n > 0 => tracing::debug!(sent = n, "mail sent"),
                Ok(_) => tokio::time::sleep(Duration::from_secs(1)).await,
                Err(e) => {
                    tracing::warn!(error = %e, "could not read the mail outbox");
                    tokio::time::sleep(Duration::from_secs(5)).await;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(kind: MailKind, lang: &str, confirmed: bool) -> OutgoingMail {
        OutgoingMail {
            id: 1,
            kind,
            signature: 42,
            statement: 7,
            title: "Libertad".into(),
            to: "ana@example.org".into(),
            name: "Ana".into(),
            lang: lang.into(),
            confirmed,
            signed_at: UnixTime(1_000_000),
            attempts: 0,
        }
    }

    /// A mail as its reader shows it: quoted-printable undone.
    pub fn decode_quoted_printable(raw: &str) -> String {
        let joined = raw.replace("=\r\n", "").replace("=\n", "");
        let mut out = Vec::new();
        let b = joined.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'=' && i + 2 < b.len() {
                if let Ok(v) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                    out.push(v);
                    i += 3;
                    continue;
                }
            }
            out.push(b[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn a_form_token_is_good_for_its_statement_for_a_day() {
        let key = SiteKey::new("k1");
        let t = key.form_token(7, UnixTime(1_000_000));
        assert_eq!(key.check_form_token(&t, 7, UnixTime(1_000_100)), Ok(()));
        assert_eq!(
            key.check_form_token(&t, 8, UnixTime(1_000_100)),
            Err(TokenProblem::Forged),
            "another statement's form"
        );
        assert_eq!(
            key.check_form_token(&t, 7, UnixTime(1_000_000 + FORM_TOKEN_SECS + 1)),
            Err(TokenProblem::Expired)
        );
        assert_eq!(
            SiteKey::new("k2").check_form_token(&t, 7, UnixTime(1_000_100)),
            Err(TokenProblem::Forged),
            "another site's key"
        );
        for bad in ["", "1000000", "1000000.zz", "x.00"] {
            assert_eq!(
                key.check_form_token(bad, 7, UnixTime(1_000_100)),
                Err(TokenProblem::Forged)
            );
        }
        // A token whose time was moved is not this site's.
        let (_, mac) = t.split_once('.').unwrap();
        let moved = format!("1000050.{mac}");
        assert_eq!(
            key.check_form_token(&moved, 7, UnixTime(1_000_100)),
            Err(TokenProblem::Forged)
        );
    }

    #[test]
    fn a_confirmation_link_names_one_signature_until_it_expires() {
        let key = SiteKey::new("k1");
        let m = mail(MailKind::Confirm, "es", false);
        let path = confirm_path(&key, &m, UnixTime(1_604_800));
        assert!(path.starts_with("/es/statements/7/confirm?s=42&e=1604800&t="));
        let t = path.rsplit("t=").next().unwrap();
        let e = UnixTime(1_604_800);
        assert_eq!(
            key.check_confirm_token(t, 7, 42, e, UnixTime(1_000_001)),
            Ok(())
        );
        assert_eq!(
            key.check_confirm_token(t, 7, 43, e, UnixTime(1_000_001)),
            Err(TokenProblem::Forged)
        );
        assert_eq!(
            key.check_confirm_token(t, 7, 42, UnixTime(1_704_800), UnixTime(1_000_001)),
            Err(TokenProblem::Forged),
            "an expiry moved by hand"
        );
        assert_eq!(
            key.check_confirm_token(t, 7, 42, e, UnixTime(1_604_801)),
            Err(TokenProblem::Expired)
        );
    }

    #[test]
    fn each_mail_speaks_the_signers_language_and_only_a_confirmation_carries_a_link() {
        let key = SiteKey::new("k");
        for (lang, word) in [
            ("es", "Confirma"),
            ("en", "Confirm"),
            ("ar", "أكّد"),
            ("fr", "Confirma"),
        ] {
            let c = compose(
                &mail(MailKind::Confirm, lang, false),
                "https://x.org/",
                &key,
                UnixTime(1_000_000),
                86_400,
            );
            assert!(c.subject.starts_with(word), "{lang}: {}", c.subject);
            assert!(c.body.contains("https://x.org/"), "{lang}");
            assert!(c.body.contains("/statements/7/confirm?s=42"), "{lang}");
        }
        // Signing again once confirmed: told, with no link to follow.
        let c = compose(
            &mail(MailKind::AlreadySigned, "en", true),
            "https://x.org",
            &key,
            UnixTime(5_000_000),
            86_400,
        );
        assert!(c.subject.starts_with("You have already signed"));
        assert!(!c.body.contains("http"));
        // Signing again before confirming: the link again.
        let c = compose(
            &mail(MailKind::AlreadySigned, "en", false),
            "https://x.org",
            &key,
            UnixTime(5_000_000),
            86_400,
        );
        assert!(c.body.contains("Someone signed again"));
        // A link sent again is valid from when it is sent, not from the
        // first signature (whose link may have expired).
        assert!(c.body.contains("/confirm?s=42&e=5086400&"), "{}", c.body);
    }

    #[test]
    fn an_smtp_address_is_checked_and_its_password_never_shown() {
        assert!(Transport::smtp("smtp://127.0.0.1:2525").is_ok());
        let Err(e) = Transport::smtp("gopher://user:secret@host") else {
            panic!("accepted");
        };
        assert!(!e.contains("secret"), "{e}");
        assert_eq!(
            redact("smtps://ana:pw@mail.example.org:465"),
            "smtps://ana:…@mail.example.org:465"
        );
    }

    #[tokio::test]
    async fn the_outbox_directory_gets_one_file_per_mail_and_the_store_forgets_it() {
        use libres_core::statement::{SignatureDraft, Statement, StatementStatus};
        use libres_store::statements::NewSignature;
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}", dir.path().join("t.db").display());
        let store: Arc<dyn Store> = Arc::new(libres_store_sqlite::open(&url).await.unwrap());
        let sid = store
            .add_statement(
                &Statement {
                    id: 0,
                    status: StatementStatus::Open,
                    texts: vec![libres_core::AnnouncementText {
                        lang: "es".into(),
                        title: "Libertad".into(),
                        body: String::new(),
                    }],
                    addressees: vec![],
                    date: None,
                    closed_at: None,
                    person_ids: vec![],
                    announcement_ids: vec![],
                },
                "t",
            )
            .await
            .unwrap();
        let signature = SignatureDraft {
            name: "Ana".into(),
            email: "ana@example.org".into(),
            category: "relative".into(),
            years_served: String::new(),
            country: "CU".into(),
            visibility: "full_name".into(),
        }
        .parse()
        .unwrap();
        store
            .take_signatures(&[NewSignature {
                statement: sid,
                signature,
                lang: "es".into(),
                link_requested: false,
                flag: String::new(),
                at: UnixTime(1_000),
            }])
            .await
            .unwrap();
        let out = dir.path().join("outbox");
        std::fs::create_dir(&out).unwrap();
        let mailer = Mailer {
            store: store.clone(),
            transport: Transport::Outbox(out.clone()),
            from: "Libres <noreply@example.org>".parse().unwrap(),
            base_url: "http://127.0.0.1:8080".into(),
            link_secs: 7 * 86_400,
        };
        assert_eq!(mailer.send_due(UnixTime(2_000), 10).await.unwrap(), 1);
        let files: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 1);
        let text = decode_quoted_printable(&std::fs::read_to_string(&files[0]).unwrap());
        assert!(text.contains("To: ana@example.org"), "{text}");
        assert!(text.contains("/es/statements/"), "{text}");
        assert_eq!(
            mailer.send_due(UnixTime(3_000), 10).await.unwrap(),
            0,
            "sent once"
        );
    }
}

/// The columns of the staff export of signatures, in order.
pub const SIGNATURE_COLUMNS: [&str; 18] = [
    "id",
    "name",
    "email",
    "category",
    "years_stated",
    "country",
    "visibility",
    "lang",
    "link_requested",
    "signed_at",
    "confirmed_at",
    "moderation",
    "moderated_by",
    "flag",
    "invalid",
    "person_id",
    "years_verified",
    "anonymised",
];

/// A signature as a row of [`SIGNATURE_COLUMNS`].
pub fn signature_row(r: &libres_store::statements::SignatureRecord) -> Vec<String> {
    let opt = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
    vec![
        r.id.to_string(),
        r.name.clone(),
        r.email.clone(),
        r.category.slug().to_owned(),
        opt(r.years_stated),
        r.country.as_str().to_owned(),
        r.visibility.slug().to_owned(),
        r.lang.clone(),
        r.link_requested.to_string(),
        r.created_at.rfc3339(),
        r.confirmed_at.map(UnixTime::rfc3339).unwrap_or_default(),
        r.moderation.clone(),
        r.moderated_by.clone().unwrap_or_default(),
        r.flag.clone(),
        r.invalid.to_string(),
        r.person
            .as_ref()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default(),
        opt(r.years_verified),
        r.anonymised.to_string(),
    ]
}

/// Rows as CSV (UTF-8, a header line first unless `header` is empty),
/// every cell safe from
/// spreadsheet formulas ([`crate::table::to_csv`]).
pub fn csv_bytes(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to memory fails only when memory does. No header: rows to
    // follow others.
    if !header.is_empty() {
        let _ = w.write_record(header);
    }
    for r in rows {
        let _ = w.write_record(r.iter().map(|c| crate::table::to_csv(c).into_owned()));
    }
    w.into_inner().unwrap_or_default()
}

/// Rows as an `.xlsx` workbook of one sheet; every cell is written as
/// text, which a spreadsheet never runs as a formula.
pub fn xlsx_bytes(header: &[&str], rows: &[Vec<String>]) -> anyhow::Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = Format::new().set_bold();
    for (c, h) in header.iter().enumerate() {
        sheet.write_string_with_format(0, u16::try_from(c)?, *h, &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1)?;
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r, u16::try_from(c)?, v)?;
        }
    }
    Ok(book.save_to_buffer()?)
}

/// The columns of the public list of signatories.
pub const PUBLIC_COLUMNS: [&str; 5] = ["name", "category", "country", "years", "verified"];

/// A name of the public list as a row of [`PUBLIC_COLUMNS`]: public
/// fields only.
pub fn public_row(s: &libres_store::statements::PublicSignature) -> Vec<String> {
    vec![
        s.name.clone(),
        s.category.slug().to_owned(),
        s.country.as_str().to_owned(),
        s.years.map(|y| y.to_string()).unwrap_or_default(),
        s.verified.to_string(),
    ]
}

#[cfg(test)]
mod export_tests {
    use super::*;

    #[test]
    fn an_export_never_hands_a_spreadsheet_a_formula() {
        let rows = vec![vec![
            "=HYPERLINK(\"http://x\")".to_owned(),
            "+1".into(),
            "Ana".into(),
        ]];
        let csv = String::from_utf8(csv_bytes(&["a", "b", "c"], &rows)).unwrap();
        assert_eq!(
            csv,
            "a,b,c\r\n\"'=HYPERLINK(\"\"http://x\"\")\",'+1,Ana\r\n"
        );
        let xlsx = xlsx_bytes(&["a", "b", "c"], &rows).unwrap();
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
        use calamine::Reader;
        let formulas = book.worksheet_formula("Sheet1").unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "no formula cell"
        );
        let range = book.worksheet_range("Sheet1").unwrap();
        assert_eq!(
            range.get_value((1, 0)).map(ToString::to_string).as_deref(),
            Some("=HYPERLINK(\"http://x\")"),
            "kept as text"
        );
    }
}
