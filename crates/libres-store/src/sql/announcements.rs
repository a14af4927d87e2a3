//! The statements of release announcements, the same in every dialect:
//! one row per announcement, its texts and its sources beside it.

use super::{execute, fetch, Arg, Column, Row, Sql};
use crate::{StoreError, StoreResult};
use libres_core::{
    Announcement, AnnouncementText, ClaimKind, CountryCode, EdtfDate, IssuerKind, ListedName,
    PersonId, Proposal, Review,
};

/// The columns of an announcement's row after its key, in the order
/// [`row_args`] binds them from `?2`.
const COLUMNS: &str = "country, date, date_earliest, date_latest, issuer_kind, issuer, claim, \
                       claimed, claimed_words";

fn row_args(a: &Announcement) -> [Arg<'_>; 9] {
    [
        Arg::Text(a.country.as_str()),
        Arg::Text(a.date.as_str()),
        Arg::Int(a.date.earliest()),
        Arg::Int(a.date.latest()),
        Arg::Text(a.issuer_kind.slug()),
        Arg::Text(&a.issuer),
        Arg::Text(a.claim.slug()),
        Arg::OptInt(a.claimed.map(i64::from)),
        Arg::OptText(a.claimed_words.as_deref()),
    ]
}

/// Inserts an announcement's row; returns its key.
pub(crate) async fn insert<S: Sql + ?Sized>(s: &mut S, a: &Announcement) -> StoreResult<i64> {
    let text = format!(
        "INSERT INTO announcements ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) \
         RETURNING pk"
    );
    let args = row_args(a);
    let mut rows = fetch(s, &text, &args, &[Column::Int], "adding an announcement").await?;
    match rows.first_mut() {
        Some(r) => r.int(),
        None => Err(StoreError::Other(
            "adding an announcement: no key returned".into(),
        )),
    }
}

/// Overwrites the row of the announcement with key `a.id`.
pub(crate) async fn update<S: Sql + ?Sized>(s: &mut S, a: &Announcement) -> StoreResult<()> {
    let text = "UPDATE announcements SET country = ?2, date = ?3, date_earliest = ?4, \
                date_latest = ?5, issuer_kind = ?6, issuer = ?7, claim = ?8, claimed = ?9, \
                claimed_words = ?10 WHERE pk = ?1";
    let mut args = vec![Arg::Int(a.id)];
    args.extend(row_args(a));
    execute(s, text, &args, "updating an announcement").await?;
    Ok(())
}

/// Replaces the texts and the cited sources of announcement `pk`.
pub(crate) async fn replace_parts<S: Sql + ?Sized>(
    s: &mut S,
    pk: i64,
    a: &Announcement,
) -> StoreResult<()> {
    let key = [Arg::Int(pk)];
    execute(
        s,
        "DELETE FROM announcement_texts WHERE announcement_pk = ?1",
        &key,
        "replacing an announcement's texts",
    )
    .await?;
    execute(
        s,
        "DELETE FROM announcement_sources WHERE announcement_pk = ?1",
        &key,
        "replacing an announcement's sources",
    )
    .await?;
    for t in &a.texts {
        let args = [
            Arg::Int(pk),
            Arg::Text(&t.lang),
            Arg::Text(&t.title),
            Arg::Text(&t.body),
        ];
        execute(
            s,
            "INSERT INTO announcement_texts (announcement_pk, lang, title, body) \
             VALUES (?1, ?2, ?3, ?4)",
            &args,
            "writing an announcement's text",
        )
        .await?;
    }
    for &source in &a.source_ids {
        execute(
            s,
            "INSERT INTO announcement_sources (announcement_pk, source_pk) VALUES (?1, ?2)",
            &[Arg::Int(pk), Arg::Int(source)],
            "citing a source",
        )
        .await?;
    }
    Ok(())
}

/// Deletes announcement `pk` with its texts and citations; whether it
/// existed.
pub(crate) async fn delete<S: Sql + ?Sized>(s: &mut S, pk: i64) -> StoreResult<bool> {
    let text = "DELETE FROM announcements WHERE pk = ?1";
    Ok(execute(s, text, &[Arg::Int(pk)], "deleting an announcement").await? > 0)
}

/// How many timeline events belong to announcement `pk`.
pub(crate) async fn linked_events<S: Sql + ?Sized>(s: &mut S, pk: i64) -> StoreResult<i64> {
    let text = "SELECT COUNT(*) FROM events WHERE announcement_pk = ?1";
    let mut rows = fetch(
        s,
        text,
        &[Arg::Int(pk)],
        &[Column::Int],
        "counting linked events",
    )
    .await?;
    rows.first_mut().map_or(Ok(0), Row::int)
}

/// The ids of the persons with an event of announcement `pk`, ascending.
pub(crate) async fn persons<S: Sql + ?Sized>(s: &mut S, pk: i64) -> StoreResult<Vec<PersonId>> {
    let text = "SELECT DISTINCT p.id FROM events e JOIN persons p ON p.pk = e.person_pk \
                WHERE e.announcement_pk = ?1 ORDER BY p.id";
    let rows = fetch(
        s,
        text,
        &[Arg::Int(pk)],
        &[Column::Text],
        "reading announced persons",
    )
    .await?;
    rows.into_iter().map(|mut r| person_id(r.text()?)).collect()
}

/// Which announcements [`read`] returns.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Which<'a> {
    /// The one with this key.
    One(i64),
    /// The newest first (by the latest day their date allows), of one
    /// country or all, at most this many.
    Newest(Option<&'a CountryCode>, usize),
    /// Keys above this one, ascending, at most this many (a dump).
    After(i64, usize),
}

/// Announcements, whole (texts by language, sources ascending).
pub(crate) async fn read<S: Sql + ?Sized>(
    s: &mut S,
    which: Which<'_>,
) -> StoreResult<Vec<Announcement>> {
    let select = format!("SELECT pk, {COLUMNS} FROM announcements");
    let limit = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let (text, args) = match which {
        Which::One(pk) => (format!("{select} WHERE pk = ?1"), vec![Arg::Int(pk)]),
        Which::Newest(country, n) => (
            format!(
                "{select} WHERE (?1 = '' OR country = ?1) \
                 ORDER BY date_latest DESC, date_earliest DESC, pk DESC LIMIT ?2"
            ),
            vec![
                Arg::Text(country.map_or("", |c| c.as_str())),
                Arg::Int(limit(n)),
            ],
        ),
        Which::After(pk, n) => (
            format!("{select} WHERE pk > ?1 ORDER BY pk LIMIT ?2"),
            vec![Arg::Int(pk), Arg::Int(limit(n))],
        ),
    };
    let columns = [
        Column::Int,
        Column::Text,
        Column::Text,
        Column::Int,
        Column::Int,
        Column::Text,
        Column::Text,
        Column::Text,
        Column::OptInt,
        Column::OptText,
    ];
    let rows = fetch(s, &text, &args, &columns, "reading announcements").await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let mut a = decode(r)?;
        a.texts = texts(s, a.id).await?;
        a.source_ids = sources(s, a.id).await?;
        out.push(a);
    }
    Ok(out)
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt {
        what: format!("announcement {what}"),
        detail: format!("`{value}`"),
    }
}

fn decode(mut r: Row) -> StoreResult<Announcement> {
    let id = r.int()?;
    let country = r.text()?;
    let date = r.text()?;
    let (_, _) = (r.int()?, r.int()?);
    let issuer_kind = r.text()?;
    let issuer = r.text()?;
    let claim = r.text()?;
    let claimed = r.opt_int()?;
    let claimed_words = r.opt_text()?;
    Ok(Announcement {
        id,
        country: CountryCode::parse(&country).map_err(|_| corrupt("country", &country))?,
        date: EdtfDate::parse(&date).map_err(|_| corrupt("date", &date))?,
        issuer_kind: IssuerKind::from_slug(&issuer_kind)
            .ok_or_else(|| corrupt("issuer kind", &issuer_kind))?,
        issuer,
        claim: ClaimKind::from_slug(&claim).ok_or_else(|| corrupt("claim", &claim))?,
        claimed: claimed
            .map(|n| u32::try_from(n).map_err(|_| corrupt("claimed count", &n.to_string())))
            .transpose()?,
        claimed_words,
        texts: Vec::new(),
        source_ids: Vec::new(),
    })
}

async fn texts<S: Sql + ?Sized>(s: &mut S, pk: i64) -> StoreResult<Vec<AnnouncementText>> {
    let text = "SELECT lang, title, body FROM announcement_texts WHERE announcement_pk = ?1 \
                ORDER BY lang";
    let columns = [Column::Text, Column::Text, Column::Text];
    let rows = fetch(
        s,
        text,
        &[Arg::Int(pk)],
        &columns,
        "reading announcement texts",
    )
    .await?;
    rows.into_iter()
        .map(|mut r| {
            Ok(AnnouncementText {
                lang: r.text()?,
                title: r.text()?,
                body: r.text()?,
            })
        })
        .collect()
}

async fn sources<S: Sql + ?Sized>(s: &mut S, pk: i64) -> StoreResult<Vec<i64>> {
    let text = "SELECT source_pk FROM announcement_sources WHERE announcement_pk = ?1 \
                ORDER BY source_pk";
    let rows = fetch(
        s,
        text,
        &[Arg::Int(pk)],
        &[Column::Int],
        "reading announcement sources",
    )
    .await?;
    rows.into_iter().map(|mut r| r.int()).collect()
}

/// The columns of a listed name after its key and announcement.
const NAME_COLUMNS: &str = "line, row_id, full_name, birth_year, province, proposed, score_ppm, \
                            proposal, reason, review, person, decided_by";

/// Replaces the named list of announcement `pk` with `names`.
pub(crate) async fn replace_names<S: Sql + ?Sized>(
    s: &mut S,
    pk: i64,
    names: &[ListedName],
) -> StoreResult<()> {
    execute(
        s,
        "DELETE FROM announcement_names WHERE announcement_pk = ?1",
        &[Arg::Int(pk)],
        "replacing a named list",
    )
    .await?;
    insert_names(s, pk, names).await
}

/// Adds `names` (their keys ignored) to the named list of announcement
/// `pk`, decisions included.
pub(crate) async fn insert_names<S: Sql + ?Sized>(
    s: &mut S,
    pk: i64,
    names: &[ListedName],
) -> StoreResult<()> {
    let text = format!(
        "INSERT INTO announcement_names (announcement_pk, {NAME_COLUMNS}) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
    );
    for n in names {
        let args = [
            Arg::Int(pk),
            Arg::Int(i64::from(n.line)),
            Arg::Text(&n.row_id),
            Arg::Text(&n.full_name),
            Arg::OptInt(n.birth_year.map(i64::from)),
            Arg::OptText(n.province.as_deref()),
            Arg::OptText(n.proposed.as_ref().map(|p| p.as_str())),
            Arg::Int(i64::from(n.score_ppm)),
            Arg::Text(n.proposal.slug()),
            Arg::Text(&n.reason),
            Arg::Text(n.review.slug()),
            Arg::OptText(n.person.as_ref().map(|p| p.as_str())),
            Arg::OptText(n.decided_by.as_deref()),
        ];
        execute(s, &text, &args, "writing a named list").await?;
    }
    Ok(())
}

/// The named list of announcement `pk`, in line order; or only the name
/// `only`.
pub(crate) async fn names<S: Sql + ?Sized>(
    s: &mut S,
    pk: i64,
    only: Option<i64>,
) -> StoreResult<Vec<ListedName>> {
    let text = format!(
        "SELECT pk, {NAME_COLUMNS} FROM announcement_names \
         WHERE announcement_pk = ?1 AND (?2 < 0 OR pk = ?2) ORDER BY line, pk"
    );
    let columns = [
        Column::Int,
        Column::Int,
        Column::Text,
        Column::Text,
        Column::OptInt,
        Column::OptText,
        Column::OptText,
        Column::Int,
        Column::Text,
        Column::Text,
        Column::Text,
        Column::OptText,
        Column::OptText,
    ];
    let args = [Arg::Int(pk), Arg::Int(only.unwrap_or(-1))];
    let rows = fetch(s, &text, &args, &columns, "reading a named list").await?;
    rows.into_iter().map(decode_name).collect()
}

fn person_id(value: String) -> StoreResult<PersonId> {
    PersonId::parse(&value).map_err(|_| corrupt("person id", &value))
}

fn person(value: Option<String>) -> StoreResult<Option<PersonId>> {
    value.map(person_id).transpose()
}

fn decode_name(mut r: Row) -> StoreResult<ListedName> {
    let id = r.int()?;
    let line = r.int()?;
    let row_id = r.text()?;
    let full_name = r.text()?;
    let birth_year = r.opt_int()?;
    let province = r.opt_text()?;
    let proposed = person(r.opt_text()?)?;
    let score = r.int()?;
    let proposal = r.text()?;
    let reason = r.text()?;
    let review = r.text()?;
    let confirmed = person(r.opt_text()?)?;
    let decided_by = r.opt_text()?;
    Ok(ListedName {
        id,
        line: u32::try_from(line).map_err(|_| corrupt("line", &line.to_string()))?,
        row_id,
        full_name,
        birth_year: birth_year
            .map(|y| i32::try_from(y).map_err(|_| corrupt("birth year", &y.to_string())))
            .transpose()?,
        province,
        proposed,
        score_ppm: u32::try_from(score).map_err(|_| corrupt("score", &score.to_string()))?,
        proposal: Proposal::from_slug(&proposal).ok_or_else(|| corrupt("proposal", &proposal))?,
        reason,
        review: Review::from_slug(&review).ok_or_else(|| corrupt("review", &review))?,
        person: confirmed,
        decided_by,
    })
}

/// Records a decision on name `name` of announcement `pk`, only if it is
/// still pending; whether it was.
pub(crate) async fn decide<S: Sql + ?Sized>(
    s: &mut S,
    pk: i64,
    name: i64,
    review: Review,
    person: Option<&PersonId>,
    actor: &str,
) -> StoreResult<bool> {
    let text = "UPDATE announcement_names SET review = ?3, person = ?4, decided_by = ?5 \
                WHERE announcement_pk = ?1 AND pk = ?2 AND review = 'pending'";
    let args = [
        Arg::Int(pk),
        Arg::Int(name),
        Arg::Text(review.slug()),
        Arg::OptText(person.map(|p| p.as_str())),
        Arg::Text(actor),
    ];
    Ok(execute(s, text, &args, "deciding a listed name").await? > 0)
}

/// How many names the named list of announcement `pk` holds, and the
/// persons confirmed on it (once each, by id).
pub(crate) async fn list_summary<S: Sql + ?Sized>(
    s: &mut S,
    pk: i64,
) -> StoreResult<(u64, Vec<PersonId>)> {
    let count = "SELECT COUNT(*) FROM announcement_names WHERE announcement_pk = ?1";
    let mut rows = fetch(
        s,
        count,
        &[Arg::Int(pk)],
        &[Column::Int],
        "counting a named list",
    )
    .await?;
    let total = rows.first_mut().map_or(Ok(0), Row::int)?;
    let confirmed = "SELECT DISTINCT person FROM announcement_names WHERE announcement_pk = ?1 \
                     AND review = 'confirmed' AND person IS NOT NULL ORDER BY person";
    let rows = fetch(
        s,
        confirmed,
        &[Arg::Int(pk)],
        &[Column::Text],
        "reading a named list",
    )
    .await?;
    let persons = rows
        .into_iter()
        .map(|mut r| person_id(r.text()?))
        .collect::<StoreResult<_>>()?;
    Ok((u64::try_from(total).unwrap_or(0), persons))
}

/// The timelines of the published persons of `country`, with each
/// person's key, in key order.
async fn timelines_by_key<S: Sql + ?Sized>(
    s: &mut S,
    country: &CountryCode,
) -> StoreResult<Vec<(i64, Vec<libres_core::held::Dated>)>> {
    let text = "SELECT p.pk, e.kind, e.date, e.release_kind, e.conditions, e.verified_by, \
                EXISTS (SELECT 1 FROM event_sources es \
                 JOIN sources src ON src.pk = es.source_pk \
                 WHERE es.event_pk = e.pk AND src.confidential = ?3) \
                FROM events e JOIN persons p ON p.pk = e.person_pk \
                WHERE p.country = ?1 AND p.publish = ?2 ORDER BY p.pk, e.pk";
    let rows = fetch(
        s,
        text,
        &[
            Arg::Text(country.as_str()),
            Arg::Bool(true),
            Arg::Bool(false),
        ],
        &[
            Column::Int,
            Column::Text,
            Column::Text,
            Column::OptText,
            Column::List,
            Column::List,
            Column::Bool,
        ],
        "reading a country's timelines",
    )
    .await?;
    let mut out: Vec<(i64, Vec<libres_core::held::Dated>)> = Vec::new();
    for mut r in rows {
        let person = r.int()?;
        let (kind, date, release_kind, conditions) =
            (r.text()?, r.text()?, r.opt_text()?, r.list()?);
        let event = crate::rows::EventRow::bare(kind, date, release_kind, conditions)?;
        let verified = !r.list()?.is_empty();
        let backed = verified || r.bool()?;
        if out.last().map(|(k, _)| *k) != Some(person) {
            out.push((person, Vec::new()));
        }
        if let Some((_, timeline)) = out.last_mut() {
            timeline.push(libres_core::held::Dated { event, backed });
        }
    }
    Ok(out)
}

/// The timelines of the published persons of `country`, one per person
/// with any event.
pub(crate) async fn country_timelines<S: Sql + ?Sized>(
    s: &mut S,
    country: &CountryCode,
) -> StoreResult<Vec<Vec<libres_core::held::Dated>>> {
    Ok(timelines_by_key(s, country)
        .await?
        .into_iter()
        .map(|(_, t)| t)
        .collect())
}

/// The published persons of `country`, with what the figures need (see
/// [`libres_core::figures`]), in key order.
pub(crate) async fn country_cases<S: Sql + ?Sized>(
    s: &mut S,
    country: &CountryCode,
) -> StoreResult<Vec<libres_core::figures::CountryCase>> {
    let text = "SELECT p.pk, p.id, p.given_names, p.surname1, p.surname2, p.province, p.sex, \
                p.birth_date, p.nationalities, p.status, \
                (SELECT d.arrest_date FROM detentions d WHERE d.person_pk = p.pk \
                 AND d.arrest_date IS NOT NULL ORDER BY d.pk LIMIT 1), \
                l.prison, l.court \
                FROM persons p LEFT JOIN detentions l \
                ON l.pk = (SELECT max(x.pk) FROM detentions x WHERE x.person_pk = p.pk) \
                WHERE p.country = ?1 AND p.publish = ?2 ORDER BY p.pk";
    let rows = fetch(
        s,
        text,
        &[Arg::Text(country.as_str()), Arg::Bool(true)],
        &[
            Column::Int,
            Column::Text,
            Column::Text,
            Column::Text,
            Column::OptText,
            Column::OptText,
            Column::OptText,
            Column::OptText,
            Column::List,
            Column::Text,
            Column::OptText,
            Column::OptText,
            Column::OptText,
        ],
        "reading a country's persons",
    )
    .await?;
    let mut timelines = timelines_by_key(s, country).await?.into_iter().peekable();
    let mut out = Vec::with_capacity(rows.len());
    for mut r in rows {
        let pk = r.int()?;
        let id = crate::decode::person_id(&r.text()?)?;
        let (given, s1, s2) = (r.text()?, r.text()?, r.opt_text()?);
        let name = match s2 {
            Some(s2) => format!("{given} {s1} {s2}"),
            None => format!("{given} {s1}"),
        };
        let province = r.opt_text()?;
        let sex = crate::decode::sex(r.opt_text()?)?;
        let birth_date = crate::decode::date(r.opt_text()?)?;
        let nationalities = r
            .list()?
            .iter()
            .map(|c| crate::decode::country(c))
            .collect::<StoreResult<Vec<_>>>()?;
        let status = crate::decode::status(&r.text()?)?;
        let first_arrest = crate::decode::date(r.opt_text()?)?;
        let (prison, court) = (r.opt_text()?, r.opt_text()?);
        // Both lists are in key order: walk them together.
        while timelines.peek().is_some_and(|(k, _)| *k < pk) {
            timelines.next();
        }
        let events = match timelines.peek() {
            Some((k, _)) if *k == pk => timelines.next().map(|(_, t)| t).unwrap_or_default(),
            _ => Vec::new(),
        };
        out.push(libres_core::figures::CountryCase {
            id,
            name,
            province,
            sex,
            birth_date,
            nationalities,
            country: *country,
            status,
            first_arrest,
            prison,
            court,
            events,
        });
    }
    Ok(out)
}
