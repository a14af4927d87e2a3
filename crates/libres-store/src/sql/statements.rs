//! The statements of statements and signatures, the same in every
//! dialect. Times are Unix seconds in integer columns.

use super::{execute, fetch, placeholders, rows, Arg, Column, Row, Sql};
use crate::statements::{
    MailKind, Moderation, NewSignature, OutgoingMail, PublicSignature, SignatureFilter,
    SignatureRecord,
};
use crate::{StoreError, StoreResult};
use libres_core::statement::{initials, SignerCategory, Statement, StatementStatus, Visibility};
use libres_core::{AnnouncementText, CountryCode, EdtfDate, PersonId, UnixTime};

/// Which statements to read.
pub(crate) enum Which {
    /// The one with this key.
    One(i64),
    /// All, drafts or not.
    All { drafts: bool },
}

fn bad(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt {
        what: what.to_owned(),
        detail: format!("`{value}` is not one Libres writes"),
    }
}

fn status_of(r: &mut Row) -> StoreResult<StatementStatus> {
    let s = r.text()?;
    StatementStatus::from_slug(&s).ok_or_else(|| bad("statement status", &s))
}

fn category_of(s: &str) -> StoreResult<SignerCategory> {
    SignerCategory::from_slug(s).ok_or_else(|| bad("signer category", s))
}

fn country_of(s: &str) -> StoreResult<CountryCode> {
    CountryCode::parse(s).map_err(|_| bad("country", s))
}

fn years(v: Option<i64>) -> Option<u32> {
    v.and_then(|y| u32::try_from(y).ok())
}

/// Inserts a statement's row; returns its key.
pub(crate) async fn insert<S: Sql + ?Sized>(
    s: &mut S,
    st: &Statement,
    now: UnixTime,
) -> StoreResult<i64> {
    let date = st.date.as_ref().map(EdtfDate::as_str);
    let args = [
        Arg::Text(st.status.slug()),
        Arg::OptText(date),
        Arg::OptInt(st.closed_at.map(|t| t.0)),
        Arg::Int(now.0),
    ];
    let mut rows = fetch(
        s,
        "INSERT INTO statements (status, date, closed_at, created_at) VALUES (?1, ?2, ?3, ?4) \
         RETURNING pk",
        &args,
        &[Column::Int],
        "adding a statement",
    )
    .await?;
    match rows.first_mut() {
        Some(r) => r.int(),
        None => Err(StoreError::Other(
            "adding a statement: no key returned".into(),
        )),
    }
}

/// Overwrites the row of statement `st.id`.
pub(crate) async fn update<S: Sql + ?Sized>(s: &mut S, st: &Statement) -> StoreResult<()> {
    let date = st.date.as_ref().map(EdtfDate::as_str);
    let args = [
        Arg::Int(st.id),
        Arg::Text(st.status.slug()),
        Arg::OptText(date),
        Arg::OptInt(st.closed_at.map(|t| t.0)),
    ];
    execute(
        s,
        "UPDATE statements SET status = ?2, date = ?3, closed_at = ?4 WHERE pk = ?1",
        &args,
        "updating a statement",
    )
    .await?;
    Ok(())
}

/// Replaces the texts, addressees and links of statement `pk`.
pub(crate) async fn replace_parts<S: Sql + ?Sized>(
    s: &mut S,
    pk: i64,
    st: &Statement,
) -> StoreResult<()> {
    for table in [
        "statement_texts",
        "statement_addressees",
        "statement_persons",
        "statement_announcements",
    ] {
        execute(
            s,
            &format!("DELETE FROM {table} WHERE statement_pk = ?1"),
            &[Arg::Int(pk)],
            "replacing a statement's parts",
        )
        .await?;
    }
    for t in &st.texts {
        let args = [
            Arg::Int(pk),
            Arg::Text(&t.lang),
            Arg::Text(&t.title),
            Arg::Text(&t.body),
        ];
        execute(
            s,
            "INSERT INTO statement_texts (statement_pk, lang, title, body) VALUES (?1, ?2, ?3, ?4)",
            &args,
            "writing a statement's text",
        )
        .await?;
    }
    for (i, a) in st.addressees.iter().enumerate() {
        let position = i64::try_from(i).unwrap_or(i64::MAX);
        execute(
            s,
            "INSERT INTO statement_addressees (statement_pk, position, name) VALUES (?1, ?2, ?3)",
            &[Arg::Int(pk), Arg::Int(position), Arg::Text(a)],
            "writing a statement's addressee",
        )
        .await?;
    }
    for p in &st.person_ids {
        execute(
            s,
            "INSERT INTO statement_persons (statement_pk, person_id) VALUES (?1, ?2)",
            &[Arg::Int(pk), Arg::Text(p.as_str())],
            "linking a statement to a person",
        )
        .await?;
    }
    for &a in &st.announcement_ids {
        execute(
            s,
            "INSERT INTO statement_announcements (statement_pk, announcement_pk) VALUES (?1, ?2)",
            &[Arg::Int(pk), Arg::Int(a)],
            "linking a statement to an announcement",
        )
        .await?;
    }
    Ok(())
}

/// The statements `which` names, newest first, whole.
pub(crate) async fn read<S: Sql + ?Sized>(s: &mut S, which: Which) -> StoreResult<Vec<Statement>> {
    let (filter, args): (&str, Vec<Arg<'_>>) = match which {
        Which::One(pk) => ("WHERE pk = ?1", vec![Arg::Int(pk)]),
        Which::All { drafts: true } => ("", vec![]),
        Which::All { drafts: false } => ("WHERE status <> 'draft'", vec![]),
    };
    let text =
        format!("SELECT pk, status, date, closed_at FROM statements {filter} ORDER BY pk DESC");
    let cols = [Column::Int, Column::Text, Column::OptText, Column::OptInt];
    let mut out = Vec::new();
    for mut r in fetch(s, &text, &args, &cols, "reading statements").await? {
        let id = r.int()?;
        let status = status_of(&mut r)?;
        let date = match r.opt_text()? {
            Some(d) => Some(EdtfDate::parse(&d).map_err(|_| bad("statement date", &d))?),
            None => None,
        };
        out.push(Statement {
            id,
            status,
            texts: vec![],
            addressees: vec![],
            date,
            closed_at: r.opt_int()?.map(UnixTime),
            person_ids: vec![],
            announcement_ids: vec![],
        });
    }
    if out.is_empty() {
        return Ok(out);
    }
    // The parts of every statement read, one statement per table.
    let keys: Vec<i64> = out.iter().map(|st| st.id).collect();
    let key_args: Vec<Arg<'_>> = keys.iter().map(|&k| Arg::Int(k)).collect();
    let within = format!("statement_pk IN ({})", placeholders(1, keys.len()));
    let find = |out: &mut Vec<Statement>, pk: i64| out.iter().position(|st| st.id == pk);
    let text = format!(
        "SELECT statement_pk, lang, title, body FROM statement_texts WHERE {within} ORDER BY lang"
    );
    let cols = [Column::Int, Column::Text, Column::Text, Column::Text];
    for mut r in fetch(s, &text, &key_args, &cols, "reading statements' texts").await? {
        let pk = r.int()?;
        let t = AnnouncementText {
            lang: r.text()?,
            title: r.text()?,
            body: r.text()?,
        };
        if let Some(i) = find(&mut out, pk) {
            out[i].texts.push(t);
        }
    }
    let text = format!(
        "SELECT statement_pk, name FROM statement_addressees WHERE {within} ORDER BY position"
    );
    for mut r in fetch(
        s,
        &text,
        &key_args,
        &[Column::Int, Column::Text],
        "reading statements' addressees",
    )
    .await?
    {
        let pk = r.int()?;
        let name = r.text()?;
        if let Some(i) = find(&mut out, pk) {
            out[i].addressees.push(name);
        }
    }
    let text = format!(
        "SELECT statement_pk, person_id FROM statement_persons WHERE {within} ORDER BY person_id"
    );
    for mut r in fetch(
        s,
        &text,
        &key_args,
        &[Column::Int, Column::Text],
        "reading statements' persons",
    )
    .await?
    {
        let pk = r.int()?;
        let id = r.text()?;
        let id = PersonId::parse(&id).map_err(|_| bad("person id", &id))?;
        if let Some(i) = find(&mut out, pk) {
            out[i].person_ids.push(id);
        }
    }
    let text = format!(
        "SELECT statement_pk, announcement_pk FROM statement_announcements WHERE {within} \
         ORDER BY announcement_pk"
    );
    for mut r in fetch(
        s,
        &text,
        &key_args,
        &[Column::Int, Column::Int],
        "reading statements' announcements",
    )
    .await?
    {
        let pk = r.int()?;
        let a = r.int()?;
        if let Some(i) = find(&mut out, pk) {
            out[i].announcement_ids.push(a);
        }
    }
    Ok(out)
}

/// How many signatures statement `pk` holds, confirmed or not.
pub(crate) async fn signatures_held<S: Sql + ?Sized>(s: &mut S, pk: i64) -> StoreResult<i64> {
    let mut rows = fetch(
        s,
        "SELECT COUNT(*) FROM signatures WHERE statement_pk = ?1",
        &[Arg::Int(pk)],
        &[Column::Int],
        "counting a statement's signatures",
    )
    .await?;
    rows.first_mut().map_or(Ok(0), Row::int)
}

/// Which of `keys` are statements open for signing.
pub(crate) async fn open_among<S: Sql + ?Sized>(s: &mut S, keys: &[i64]) -> StoreResult<Vec<i64>> {
    if keys.is_empty() {
        return Ok(vec![]);
    }
    let text = format!(
        "SELECT pk FROM statements WHERE status = 'open' AND pk IN ({})",
        placeholders(1, keys.len())
    );
    let args: Vec<Arg<'_>> = keys.iter().map(|&k| Arg::Int(k)).collect();
    fetch(
        s,
        &text,
        &args,
        &[Column::Int],
        "reading which statements are open",
    )
    .await?
    .iter_mut()
    .map(Row::int)
    .collect()
}

/// The columns of a new signature, in the order [`insert_signatures`]
/// binds them.
const SIGNATURE_COLUMNS: usize = 13;

/// Inserts `batch` (mailboxes already computed, `mailboxes[i]` for
/// `batch[i]`), skipping a mailbox the statement holds already; returns
/// `(key, statement, mailbox)` of the rows inserted, in no set order.
pub(crate) async fn insert_signatures<S: Sql + ?Sized>(
    s: &mut S,
    batch: &[(&NewSignature, &str)],
) -> StoreResult<Vec<(i64, i64, String)>> {
    if batch.is_empty() {
        return Ok(vec![]);
    }
    let values = rows(batch.len(), |i| {
        format!(
            "({})",
            placeholders(i * SIGNATURE_COLUMNS + 1, SIGNATURE_COLUMNS)
        )
    });
    let text = format!(
        "INSERT INTO signatures (statement_pk, name, email, mailbox, category, years_stated, \
         country, visibility, lang, link_requested, flag, created_at, mailed_at) VALUES {values} \
         ON CONFLICT (statement_pk, mailbox) DO NOTHING RETURNING pk, statement_pk, mailbox"
    );
    let mut args = Vec::with_capacity(batch.len() * SIGNATURE_COLUMNS);
    for (n, mailbox) in batch {
        let sig = &n.signature;
        args.extend([
            Arg::Int(n.statement),
            Arg::Text(&sig.name),
            Arg::Text(sig.email.as_str()),
            Arg::Text(mailbox),
            Arg::Text(sig.category.slug()),
            Arg::OptInt(sig.years_served.map(i64::from)),
            Arg::Text(sig.country.as_str()),
            Arg::Text(sig.visibility.slug()),
            Arg::Text(&n.lang),
            Arg::Bool(n.link_requested),
            Arg::Text(&n.flag),
            Arg::Int(n.at.0),
            // Its confirmation mail is queued with it.
            Arg::Int(n.at.0),
        ]);
    }
    fetch(
        s,
        &text,
        &args,
        &[Column::Int, Column::Int, Column::Text],
        "taking signatures",
    )
    .await?
    .into_iter()
    .map(|mut r| Ok((r.int()?, r.int()?, r.text()?)))
    .collect()
}

/// The signature of `mailbox` on statement `pk`, whether mail about it
/// waits in the outbox, and when mail about it was last queued.
pub(crate) async fn by_mailbox<S: Sql + ?Sized>(
    s: &mut S,
    pk: i64,
    mailbox: &str,
) -> StoreResult<Option<(i64, bool, Option<i64>)>> {
    let mut rows = fetch(
        s,
        "SELECT pk, EXISTS (SELECT 1 FROM mail_outbox m WHERE m.signature_pk = signatures.pk), \
         mailed_at FROM signatures WHERE statement_pk = ?1 AND mailbox = ?2",
        &[Arg::Int(pk), Arg::Text(mailbox)],
        &[Column::Int, Column::Bool, Column::OptInt],
        "finding a signature by its mailbox",
    )
    .await?;
    match rows.first_mut() {
        Some(r) => Ok(Some((r.int()?, r.bool()?, r.opt_int()?))),
        None => Ok(None),
    }
}

/// Records that mail about signature `sig` was queued at `at`.
pub(crate) async fn mailed<S: Sql + ?Sized>(s: &mut S, sig: i64, at: UnixTime) -> StoreResult<()> {
    execute(
        s,
        "UPDATE signatures SET mailed_at = ?2 WHERE pk = ?1",
        &[Arg::Int(sig), Arg::Int(at.0)],
        "recording a mail",
    )
    .await?;
    Ok(())
}

/// Puts mails `(kind, signature key)` in the outbox, due at `due`.
pub(crate) async fn queue_mail<S: Sql + ?Sized>(
    s: &mut S,
    mails: &[(MailKind, i64)],
    due: UnixTime,
) -> StoreResult<()> {
    for chunk in mails.chunks(1000) {
        let values = rows(chunk.len(), |i| {
            format!("(?{}, ?{}, ?1)", 2 * i + 2, 2 * i + 3)
        });
        let text = format!("INSERT INTO mail_outbox (kind, signature_pk, due_at) VALUES {values}");
        // `?1` is the due time of every row; the pairs follow it.
        let mut args = vec![Arg::Int(due.0)];
        for (kind, pk) in chunk {
            args.extend([Arg::Text(kind.slug()), Arg::Int(*pk)]);
        }
        execute(s, &text, &args, "queueing mail").await?;
    }
    Ok(())
}

/// Confirms the unconfirmed signatures among `pairs` (statement,
/// signature) at `at`; returns the keys confirmed now.
pub(crate) async fn confirm<S: Sql + ?Sized>(
    s: &mut S,
    pairs: &[(i64, i64)],
    at: UnixTime,
) -> StoreResult<Vec<i64>> {
    let mut out = Vec::new();
    for chunk in pairs.chunks(500) {
        let keys = placeholders(2, chunk.len());
        let text = format!(
            "UPDATE signatures SET confirmed_at = ?1 WHERE confirmed_at IS NULL AND NOT anonymised \
             AND pk IN ({keys}) RETURNING pk, statement_pk"
        );
        let mut args = vec![Arg::Int(at.0)];
        args.extend(chunk.iter().map(|&(_, sig)| Arg::Int(sig)));
        // A signature confirmed through another statement's address is
        // not this one's: those are put back below.
        for mut r in fetch(s, &text, &args, &[Column::Int, Column::Int], "confirming").await? {
            let (sig, statement) = (r.int()?, r.int()?);
            if chunk.contains(&(statement, sig)) {
                out.push(sig);
            } else {
                execute(
                    s,
                    "UPDATE signatures SET confirmed_at = NULL WHERE pk = ?1",
                    &[Arg::Int(sig)],
                    "confirming",
                )
                .await?;
            }
        }
    }
    Ok(out)
}

/// Of `pairs`, the signature keys that exist on their statement,
/// confirmed and not anonymised.
pub(crate) async fn confirmed_among<S: Sql + ?Sized>(
    s: &mut S,
    pairs: &[(i64, i64)],
) -> StoreResult<Vec<i64>> {
    let mut out = Vec::new();
    for chunk in pairs.chunks(500) {
        let text = format!(
            "SELECT pk, statement_pk FROM signatures WHERE confirmed_at IS NOT NULL \
             AND NOT anonymised AND pk IN ({})",
            placeholders(1, chunk.len())
        );
        let args: Vec<Arg<'_>> = chunk.iter().map(|&(_, sig)| Arg::Int(sig)).collect();
        for mut r in fetch(s, &text, &args, &[Column::Int, Column::Int], "confirming").await? {
            let (sig, statement) = (r.int()?, r.int()?);
            if chunk.contains(&(statement, sig)) {
                out.push(sig);
            }
        }
    }
    Ok(out)
}

/// What counts: confirmed and not invalidated.
const COUNTED: &str = "statement_pk = ?1 AND confirmed_at IS NOT NULL AND NOT invalid";

/// Counts by category of statement `pk`.
pub(crate) async fn counts<S: Sql + ?Sized>(
    s: &mut S,
    pk: i64,
) -> StoreResult<Vec<(SignerCategory, u64)>> {
    let text =
        format!("SELECT category, COUNT(*) FROM signatures WHERE {COUNTED} GROUP BY category");
    let mut found = Vec::new();
    for mut r in fetch(
        s,
        &text,
        &[Arg::Int(pk)],
        &[Column::Text, Column::Int],
        "counting signatures",
    )
    .await?
    {
        let c = category_of(&r.text()?)?;
        found.push((c, u64::try_from(r.int()?).unwrap_or(0)));
    }
    Ok(SignerCategory::ALL
        .iter()
        .filter_map(|c| found.iter().find(|(f, _)| f == c).copied())
        .filter(|(_, n)| *n > 0)
        .collect())
}

/// What the public list names.
const LISTED: &str = "statement_pk = ?1 AND confirmed_at IS NOT NULL AND NOT invalid \
                      AND moderation = 'approved' AND visibility <> 'counted_only' \
                      AND NOT anonymised";

/// A page of the public list of statement `pk`.
pub(crate) async fn public_signatures<S: Sql + ?Sized>(
    s: &mut S,
    pk: i64,
    offset: u64,
    limit: u64,
) -> StoreResult<Vec<PublicSignature>> {
    let text = format!(
        "SELECT name, visibility, category, country, years_stated, years_verified, \
         person_id IS NOT NULL FROM signatures WHERE {LISTED} \
         ORDER BY CASE category WHEN 'former_prisoner' THEN 0 WHEN 'relative' THEN 1 \
         WHEN 'activist_inside' THEN 2 WHEN 'activist_exile' THEN 3 \
         WHEN 'foreign_supporter' THEN 4 ELSE 5 END, person_id IS NULL, pk LIMIT ?2 OFFSET ?3"
    );
    let args = [
        Arg::Int(pk),
        Arg::Int(i64::try_from(limit).unwrap_or(i64::MAX)),
        Arg::Int(i64::try_from(offset).unwrap_or(i64::MAX)),
    ];
    let cols = [
        Column::Text,
        Column::Text,
        Column::Text,
        Column::Text,
        Column::OptInt,
        Column::OptInt,
        Column::Bool,
    ];
    let mut out = Vec::new();
    for mut r in fetch(s, &text, &args, &cols, "reading the public list").await? {
        let name = r.text()?;
        let visibility = r.text()?;
        let name = match Visibility::from_slug(&visibility) {
            Some(Visibility::Initials) => initials(&name),
            Some(_) => name,
            None => return Err(bad("visibility", &visibility)),
        };
        let category = category_of(&r.text()?)?;
        let country = country_of(&r.text()?)?;
        let stated = years(r.opt_int()?);
        let verified_years = years(r.opt_int()?);
        let verified = r.bool()?;
        out.push(PublicSignature {
            name,
            category,
            country,
            years: if verified { verified_years } else { stated },
            verified,
        });
    }
    Ok(out)
}

/// How many the public list of statement `pk` names.
pub(crate) async fn public_count<S: Sql + ?Sized>(s: &mut S, pk: i64) -> StoreResult<u64> {
    let text = format!("SELECT COUNT(*) FROM signatures WHERE {LISTED}");
    let mut rows = fetch(
        s,
        &text,
        &[Arg::Int(pk)],
        &[Column::Int],
        "counting the public list",
    )
    .await?;
    Ok(u64::try_from(rows.first_mut().map_or(Ok(0), Row::int)?).unwrap_or(0))
}

fn filter_sql(filter: SignatureFilter) -> &'static str {
    match filter {
        SignatureFilter::All => "",
        SignatureFilter::Unmoderated => {
            " AND confirmed_at IS NOT NULL AND moderation = 'pending' AND NOT invalid \
             AND visibility <> 'counted_only' AND NOT anonymised"
        }
        SignatureFilter::Flagged => " AND flag <> '' AND NOT invalid",
        SignatureFilter::LinkRequested => {
            " AND link_requested AND person_id IS NULL AND NOT invalid AND NOT anonymised"
        }
        SignatureFilter::Invalid => " AND invalid",
    }
}

/// A page of statement `pk`'s signatures for staff, newest first, and the
/// count of all that `filter` selects.
pub(crate) async fn staff_signatures<S: Sql + ?Sized>(
    s: &mut S,
    pk: i64,
    filter: SignatureFilter,
    offset: u64,
    limit: u64,
) -> StoreResult<(Vec<SignatureRecord>, u64)> {
    let cond = filter_sql(filter);
    let text = format!(
        "SELECT {ALL_COLUMNS} FROM signatures WHERE statement_pk = ?1{cond} \
         ORDER BY pk DESC LIMIT ?2 OFFSET ?3"
    );
    let args = [
        Arg::Int(pk),
        Arg::Int(i64::try_from(limit).unwrap_or(i64::MAX)),
        Arg::Int(i64::try_from(offset).unwrap_or(i64::MAX)),
    ];
    let out = fetch(s, &text, &args, &ALL_TYPES, "reading signatures")
        .await?
        .iter_mut()
        .map(|r| record(r).map(|(g, _)| g))
        .collect::<StoreResult<Vec<_>>>()?;
    let text = format!("SELECT COUNT(*) FROM signatures WHERE statement_pk = ?1{cond}");
    let mut rows = fetch(
        s,
        &text,
        &[Arg::Int(pk)],
        &[Column::Int],
        "counting signatures",
    )
    .await?;
    let total = u64::try_from(rows.first_mut().map_or(Ok(0), Row::int)?).unwrap_or(0);
    Ok((out, total))
}

/// How many of `ids` are signatures of statement `pk`.
pub(crate) async fn count_of<S: Sql + ?Sized>(
    s: &mut S,
    pk: i64,
    ids: &[i64],
) -> StoreResult<usize> {
    let mut n = 0;
    for chunk in ids.chunks(500) {
        let text = format!(
            "SELECT COUNT(*) FROM signatures WHERE statement_pk = ?1 AND pk IN ({})",
            placeholders(2, chunk.len())
        );
        let mut args = vec![Arg::Int(pk)];
        args.extend(chunk.iter().map(|&k| Arg::Int(k)));
        let mut rows = fetch(s, &text, &args, &[Column::Int], "finding signatures").await?;
        n += usize::try_from(rows.first_mut().map_or(Ok(0), Row::int)?).unwrap_or(0);
    }
    Ok(n)
}

/// Applies a decision to signatures `ids` of statement `pk`; returns how
/// many changed.
pub(crate) async fn moderate<S: Sql + ?Sized>(
    s: &mut S,
    pk: i64,
    ids: &[i64],
    decision: Moderation,
    actor: &str,
) -> StoreResult<u64> {
    let (set, unless) = match decision {
        Moderation::Approve => (
            "moderation = 'approved', moderated_by = ?2",
            "moderation = 'approved'",
        ),
        Moderation::Reject => (
            "moderation = 'rejected', moderated_by = ?2",
            "moderation = 'rejected'",
        ),
        Moderation::Invalidate => ("invalid = TRUE, moderated_by = ?2", "invalid"),
        Moderation::Restore => ("invalid = FALSE, moderated_by = ?2", "NOT invalid"),
    };
    let mut n = 0;
    for chunk in ids.chunks(500) {
        let text = format!(
            "UPDATE signatures SET {set} WHERE statement_pk = ?1 AND NOT ({unless}) \
             AND pk IN ({})",
            placeholders(3, chunk.len())
        );
        let mut args = vec![Arg::Int(pk), Arg::Text(actor)];
        args.extend(chunk.iter().map(|&k| Arg::Int(k)));
        n += execute(s, &text, &args, "moderating signatures").await?;
    }
    Ok(n)
}

/// Whether signature `sig` of statement `pk` asked for a registry link
/// (`None`: no such signature).
pub(crate) async fn link_requested<S: Sql + ?Sized>(
    s: &mut S,
    pk: i64,
    sig: i64,
) -> StoreResult<Option<bool>> {
    let mut rows = fetch(
        s,
        "SELECT link_requested FROM signatures WHERE statement_pk = ?1 AND pk = ?2",
        &[Arg::Int(pk), Arg::Int(sig)],
        &[Column::Bool],
        "reading a signature",
    )
    .await?;
    rows.first_mut().map(Row::bool).transpose()
}

/// Sets or clears signature `sig`'s registry link.
pub(crate) async fn set_link<S: Sql + ?Sized>(
    s: &mut S,
    sig: i64,
    person: Option<&str>,
    years: Option<u32>,
) -> StoreResult<()> {
    execute(
        s,
        "UPDATE signatures SET person_id = ?2, years_verified = ?3 WHERE pk = ?1",
        &[
            Arg::Int(sig),
            Arg::OptText(person),
            Arg::OptInt(years.map(i64::from)),
        ],
        "linking a signature",
    )
    .await?;
    Ok(())
}

/// Anonymises the signatures of statements closed before `before`.
pub(crate) async fn anonymise<S: Sql + ?Sized>(s: &mut S, before: UnixTime) -> StoreResult<u64> {
    let closed = "statement_pk IN (SELECT pk FROM statements WHERE status = 'closed' \
                  AND closed_at IS NOT NULL AND closed_at < ?1)";
    execute(
        s,
        &format!(
            "DELETE FROM mail_outbox WHERE signature_pk IN \
             (SELECT pk FROM signatures WHERE {closed})"
        ),
        &[Arg::Int(before.0)],
        "anonymising signatures",
    )
    .await?;
    // The mailbox keeps the row unique per statement without saying
    // anything: the key is unique already.
    let text = format!(
        "UPDATE signatures SET name = '', email = '', mailbox = 'anonymised:' || pk, \
         anonymised = TRUE, person_id = NULL WHERE NOT anonymised AND {closed}"
    );
    execute(s, &text, &[Arg::Int(before.0)], "anonymising signatures").await
}

/// Up to `limit` mails due at `now`, claimed until `lease`: they are not
/// due again before it, so that two mailers (two server processes) never
/// send one mail twice, and a mailer that dies with them leaves them to
/// the next once the lease runs out. In a write transaction.
pub(crate) async fn due_mail<S: Sql + ?Sized>(
    s: &mut S,
    now: UnixTime,
    lease: UnixTime,
    limit: usize,
) -> StoreResult<Vec<(OutgoingMail, Vec<AnnouncementText>)>> {
    // The outer condition is checked again on each row as it is locked
    // (PostgreSQL): a row another mailer claimed meanwhile is skipped.
    let claim = "UPDATE mail_outbox SET due_at = ?3 WHERE due_at <= ?1 AND pk IN \
                 (SELECT pk FROM mail_outbox WHERE due_at <= ?1 ORDER BY due_at, pk LIMIT ?2) \
                 RETURNING pk";
    let args = [
        Arg::Int(now.0),
        Arg::Int(i64::try_from(limit).unwrap_or(i64::MAX)),
        Arg::Int(lease.0),
    ];
    let claimed: Vec<i64> = fetch(s, claim, &args, &[Column::Int], "claiming due mail")
        .await?
        .iter_mut()
        .map(Row::int)
        .collect::<StoreResult<_>>()?;
    if claimed.is_empty() {
        return Ok(vec![]);
    }
    let text = format!(
        "SELECT m.pk, m.kind, s.pk, s.statement_pk, s.email, s.name, s.lang, \
         s.confirmed_at IS NOT NULL, s.created_at, m.attempts \
         FROM mail_outbox m JOIN signatures s ON s.pk = m.signature_pk \
         WHERE m.pk IN ({}) ORDER BY m.pk",
        placeholders(1, claimed.len())
    );
    use Column::{Bool, Int, Text};
    let cols = [Int, Text, Int, Int, Text, Text, Text, Bool, Int, Int];
    let args: Vec<Arg<'_>> = claimed.iter().map(|&k| Arg::Int(k)).collect();
    let mut mails = Vec::new();
    for mut r in fetch(s, &text, &args, &cols, "reading the outbox").await? {
        let id = r.int()?;
        let kind = match r.text()?.as_str() {
            "confirm" => MailKind::Confirm,
            "already_signed" => MailKind::AlreadySigned,
            other => return Err(bad("mail kind", other)),
        };
        mails.push(OutgoingMail {
            id,
            kind,
            signature: r.int()?,
            statement: r.int()?,
            title: String::new(),
            to: r.text()?,
            name: r.text()?,
            lang: r.text()?,
            confirmed: r.bool()?,
            signed_at: UnixTime(r.int()?),
            attempts: u32::try_from(r.int()?).unwrap_or(u32::MAX),
        });
    }
    let mut statements: Vec<i64> = mails.iter().map(|m| m.statement).collect();
    statements.sort_unstable();
    statements.dedup();
    let mut out = Vec::with_capacity(mails.len());
    let mut texts: Vec<(i64, Vec<AnnouncementText>)> = Vec::new();
    // Only the titles are needed: the texts, not the whole statements.
    for pk in statements {
        let rows = fetch(
            s,
            "SELECT lang, title, body FROM statement_texts WHERE statement_pk = ?1 ORDER BY lang",
            &[Arg::Int(pk)],
            &[Column::Text, Column::Text, Column::Text],
            "reading a statement's titles",
        )
        .await?;
        let mut these = Vec::with_capacity(rows.len());
        for mut r in rows {
            these.push(AnnouncementText {
                lang: r.text()?,
                title: r.text()?,
                body: r.text()?,
            });
        }
        texts.push((pk, these));
    }
    for m in mails {
        let t = texts
            .iter()
            .find(|(pk, _)| *pk == m.statement)
            .map(|(_, t)| t.clone())
            .unwrap_or_default();
        out.push((m, t));
    }
    Ok(out)
}

/// Removes sent mails and puts failed ones off (or drops those tried
/// `max_attempts` times).
pub(crate) async fn settle_mail<S: Sql + ?Sized>(
    s: &mut S,
    sent: &[i64],
    failed: &[(i64, UnixTime)],
    max_attempts: u32,
) -> StoreResult<()> {
    for chunk in sent.chunks(500) {
        let text = format!(
            "DELETE FROM mail_outbox WHERE pk IN ({})",
            placeholders(1, chunk.len())
        );
        let args: Vec<Arg<'_>> = chunk.iter().map(|&k| Arg::Int(k)).collect();
        execute(s, &text, &args, "settling the outbox").await?;
    }
    for &(pk, next) in failed {
        execute(
            s,
            "UPDATE mail_outbox SET attempts = attempts + 1, due_at = ?2 WHERE pk = ?1",
            &[Arg::Int(pk), Arg::Int(next.0)],
            "settling the outbox",
        )
        .await?;
        execute(
            s,
            "DELETE FROM mail_outbox WHERE pk = ?1 AND attempts >= ?2",
            &[Arg::Int(pk), Arg::Int(i64::from(max_attempts))],
            "settling the outbox",
        )
        .await?;
    }
    Ok(())
}

/// The key named `name`, stored as `fresh` first if there is none yet.
pub(crate) async fn site_key<S: Sql + ?Sized>(
    s: &mut S,
    name: &str,
    fresh: &str,
) -> StoreResult<String> {
    execute(
        s,
        "INSERT INTO site_keys (name, key) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING",
        &[Arg::Text(name), Arg::Text(fresh)],
        "making a site key",
    )
    .await?;
    let mut rows = fetch(
        s,
        "SELECT key FROM site_keys WHERE name = ?1",
        &[Arg::Text(name)],
        &[Column::Text],
        "reading a site key",
    )
    .await?;
    match rows.first_mut() {
        Some(r) => r.text(),
        None => Err(StoreError::Other(format!(
            "the site key `{name}` was not stored"
        ))),
    }
}

/// When each statement was made: `(key, created_at)`, by key.
pub(crate) async fn created<S: Sql + ?Sized>(s: &mut S) -> StoreResult<Vec<(i64, i64)>> {
    fetch(
        s,
        "SELECT pk, created_at FROM statements ORDER BY pk",
        &[],
        &[Column::Int, Column::Int],
        "reading when statements were made",
    )
    .await?
    .into_iter()
    .map(|mut r| Ok((r.int()?, r.int()?)))
    .collect()
}

/// Every column of a signature, in the order [`record`] reads and
/// [`insert_dumped`] writes them.
const ALL_COLUMNS: &str = "pk, statement_pk, name, email, mailbox, category, years_stated, \
                           country, visibility, lang, link_requested, created_at, confirmed_at, \
                           moderation, moderated_by, flag, invalid, person_id, years_verified, \
                           anonymised";

/// Up to `limit` signatures with keys above `after`, ascending, whole.
pub(crate) async fn dumped<S: Sql + ?Sized>(
    s: &mut S,
    after: i64,
    limit: usize,
) -> StoreResult<Vec<crate::snapshot::DumpedSignature>> {
    let text = format!("SELECT {ALL_COLUMNS} FROM signatures WHERE pk > ?1 ORDER BY pk LIMIT ?2");
    let args = [
        Arg::Int(after),
        Arg::Int(i64::try_from(limit).unwrap_or(i64::MAX)),
    ];
    fetch(s, &text, &args, &ALL_TYPES, "dumping signatures")
        .await?
        .iter_mut()
        .map(|r| {
            let (signature, mailbox) = record(r)?;
            Ok(crate::snapshot::DumpedSignature { signature, mailbox })
        })
        .collect()
}

/// The types of [`ALL_COLUMNS`], in order.
const ALL_TYPES: [Column; 20] = {
    use Column::{Bool, Int, OptInt, OptText, Text};
    [
        Int, Int, Text, Text, Text, Text, OptInt, Text, Text, Text, Bool, Int, OptInt, Text,
        OptText, Text, Bool, OptText, OptInt, Bool,
    ]
};

/// A signature read as [`ALL_COLUMNS`], and its mailbox: the one reading
/// of a whole row, for staff pages and dumps alike.
fn record(r: &mut Row) -> StoreResult<(SignatureRecord, String)> {
    let id = r.int()?;
    let statement = r.int()?;
    let name = r.text()?;
    let email = r.text()?;
    let mailbox = r.text()?;
    let category = category_of(&r.text()?)?;
    let years_stated = years(r.opt_int()?);
    let country = country_of(&r.text()?)?;
    let v = r.text()?;
    let visibility = Visibility::from_slug(&v).ok_or_else(|| bad("visibility", &v))?;
    let signature = SignatureRecord {
        id,
        statement,
        name,
        email,
        category,
        years_stated,
        country,
        visibility,
        lang: r.text()?,
        link_requested: r.bool()?,
        created_at: UnixTime(r.int()?),
        confirmed_at: r.opt_int()?.map(UnixTime),
        moderation: r.text()?,
        moderated_by: r.opt_text()?,
        flag: r.text()?,
        invalid: r.bool()?,
        person: match r.opt_text()? {
            Some(p) => Some(PersonId::parse(&p).map_err(|_| bad("person id", &p))?),
            None => None,
        },
        years_verified: years(r.opt_int()?),
        anonymised: r.bool()?,
    };
    Ok((signature, mailbox))
}

/// Inserts whole signatures (keys chosen by the database), each on the
/// statement key given beside it.
pub(crate) async fn insert_dumped<S: Sql + ?Sized>(
    s: &mut S,
    rows: &[(i64, &crate::snapshot::DumpedSignature)],
) -> StoreResult<()> {
    const N: usize = 19;
    for chunk in rows.chunks(500) {
        let values = super::rows(chunk.len(), |i| format!("({})", placeholders(i * N + 1, N)));
        let columns = ALL_COLUMNS.trim_start_matches("pk, ");
        let text = format!("INSERT INTO signatures ({columns}) VALUES {values}");
        let mut args = Vec::with_capacity(chunk.len() * N);
        for (statement, d) in chunk {
            let g = &d.signature;
            args.extend([
                Arg::Int(*statement),
                Arg::Text(&g.name),
                Arg::Text(&g.email),
                Arg::Text(&d.mailbox),
                Arg::Text(g.category.slug()),
                Arg::OptInt(g.years_stated.map(i64::from)),
                Arg::Text(g.country.as_str()),
                Arg::Text(g.visibility.slug()),
                Arg::Text(&g.lang),
                Arg::Bool(g.link_requested),
                Arg::Int(g.created_at.0),
                Arg::OptInt(g.confirmed_at.map(|t| t.0)),
                Arg::Text(&g.moderation),
                Arg::OptText(g.moderated_by.as_deref()),
                Arg::Text(&g.flag),
                Arg::Bool(g.invalid),
                Arg::OptText(g.person.as_ref().map(PersonId::as_str)),
                Arg::OptInt(g.years_verified.map(i64::from)),
                Arg::Bool(g.anonymised),
            ]);
        }
        execute(s, &text, &args, "restoring signatures").await?;
    }
    Ok(())
}

/// How signature `sig` of statement `pk` would appear, and its category.
pub(crate) async fn shown<S: Sql + ?Sized>(
    s: &mut S,
    pk: i64,
    sig: i64,
) -> StoreResult<Option<(Option<String>, SignerCategory)>> {
    let mut rows = fetch(
        s,
        "SELECT name, visibility, category FROM signatures \
         WHERE statement_pk = ?1 AND pk = ?2 AND NOT anonymised",
        &[Arg::Int(pk), Arg::Int(sig)],
        &[Column::Text, Column::Text, Column::Text],
        "reading a signature",
    )
    .await?;
    let Some(r) = rows.first_mut() else {
        return Ok(None);
    };
    let name = r.text()?;
    let v = r.text()?;
    let shown = match Visibility::from_slug(&v) {
        Some(Visibility::FullName) => Some(name),
        Some(Visibility::Initials) => Some(initials(&name)),
        Some(Visibility::CountedOnly) => None,
        None => return Err(bad("visibility", &v)),
    };
    Ok(Some((shown, category_of(&r.text()?)?)))
}
