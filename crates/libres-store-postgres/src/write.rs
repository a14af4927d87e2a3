//! Writes: the write transaction and its bulk statements.
//!
//! An import of a million persons is a few million rows, and one statement
//! per row is one network round trip each. Every bulk write here is one
//! statement per few thousand rows, written as
//! `INSERT … SELECT … FROM UNNEST($1::bigint[], $2::text[], …)`: one array
//! parameter per column rather than one parameter per value. The statement
//! text is the same for any number of rows, so it is prepared once per
//! connection, and PostgreSQL parses no thousand-row `VALUES` list.
//! Everything runs inside the transaction, so a batch still applies whole
//! or not at all.
//!
//! Array columns (aliases, nationalities, charges, conditions) cannot ride
//! in an `UNNEST` argument, which would need a two-dimensional array with
//! rows of equal length; each row's array travels as the text of an array
//! literal instead and is cast back with `::text[]`.

use crate::json::PERSON;
use crate::{db, Tx};
use async_trait::async_trait;
use libres_core::{Detention, Event, Person, Source, Status};
use libres_store::backend::{NewHistory, NewPerson, Table, WriteTx};
use libres_store::{StoreError, StoreResult};

/// Rows per statement: bounds the size of one message to the server.
const ROWS: usize = 5000;

/// A write transaction holding the registry write lock.
pub struct PgWrite {
    pub(crate) tx: Tx,
}

impl PgWrite {
    pub(crate) fn new(tx: Tx) -> Self {
        PgWrite { tx }
    }

    /// Runs one statement without parameters.
    async fn exec(&mut self, sql: &'static str, what: &'static str) -> StoreResult<()> {
        sqlx::query(sql)
            .execute(&mut *self.tx)
            .await
            .map(drop)
            .map_err(db(what))
    }
}

/// The conditions of an event's release as stored: slugs.
fn condition_slugs(e: &Event) -> Vec<&'static str> {
    e.release
        .as_ref()
        .map(|r| r.conditions.iter().map(|c| c.slug()).collect())
        .unwrap_or_default()
}

#[async_trait]
impl WriteTx for PgWrite {
    async fn commit(self) -> StoreResult<()> {
        self.tx.commit().await.map_err(db("committing"))
    }

    /// The triggers bump the version too for every table they watch;
    /// calling it explicitly keeps writes that touch no watched table (the
    /// synthetic flag) visible, and costs nothing more than once per
    /// transaction (see `registry_touch` in the migration).
    async fn bump_version(&mut self) -> StoreResult<()> {
        self.exec("SELECT registry_touch()", "bumping the registry version")
            .await
    }

    async fn mark_synthetic(&mut self) -> StoreResult<()> {
        self.exec(
            "INSERT INTO registry_meta (key, value) VALUES ('synthetic', 1) \
             ON CONFLICT (key) DO UPDATE SET value = 1",
            "marking the registry synthetic",
        )
        .await
    }

    /// One statement whatever `replace` says, so that the check and the
    /// deletion see the same rows. DELETE rather than TRUNCATE: TRUNCATE
    /// would lock every reader of every instance out of the tables until
    /// the commit; DELETE lets them keep reading the old registry
    /// meanwhile. Foreign keys are checked at the end of the statement.
    async fn clear(&mut self, replace: bool) -> StoreResult<bool> {
        sqlx::query_scalar(
            "WITH held AS (SELECT EXISTS (SELECT 1 FROM persons) OR EXISTS (SELECT 1 FROM sources) \
             OR EXISTS (SELECT 1 FROM person_history) OR EXISTS (SELECT 1 FROM announcements) \
             OR EXISTS (SELECT 1 FROM statements) AS busy), \
             go AS (SELECT $1 OR NOT busy AS ok FROM held), \
             sk AS (DELETE FROM site_keys WHERE (SELECT ok FROM go)), \
             mo AS (DELETE FROM mail_outbox WHERE (SELECT ok FROM go)), \
             sg AS (DELETE FROM signatures WHERE (SELECT ok FROM go)), \
             sa AS (DELETE FROM statement_announcements WHERE (SELECT ok FROM go)), \
             sp AS (DELETE FROM statement_persons WHERE (SELECT ok FROM go)), \
             sd AS (DELETE FROM statement_addressees WHERE (SELECT ok FROM go)), \
             st AS (DELETE FROM statement_texts WHERE (SELECT ok FROM go)), \
             stm AS (DELETE FROM statements WHERE (SELECT ok FROM go)), \
             aso AS (DELETE FROM announcement_sources WHERE (SELECT ok FROM go)), \
             ate AS (DELETE FROM announcement_texts WHERE (SELECT ok FROM go)), \
             ana AS (DELETE FROM announcement_names WHERE (SELECT ok FROM go)), \
             ann AS (DELETE FROM announcements WHERE (SELECT ok FROM go)), \
             l AS (DELETE FROM event_sources WHERE (SELECT ok FROM go)), \
             e AS (DELETE FROM events WHERE (SELECT ok FROM go)), \
             d AS (DELETE FROM detentions WHERE (SELECT ok FROM go)), \
             s AS (DELETE FROM sources WHERE (SELECT ok FROM go)), \
             p AS (DELETE FROM persons WHERE (SELECT ok FROM go)), \
             h AS (DELETE FROM person_history WHERE (SELECT ok FROM go)), \
             m AS (DELETE FROM registry_meta WHERE key = 'synthetic' AND (SELECT ok FROM go)) \
             SELECT ok FROM go",
        )
        .bind(replace)
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db("emptying the registry"))
    }

    async fn keys(&mut self, table: Table, n: usize) -> StoreResult<Vec<i64>> {
        let mut keys = allocate_pks(&mut self.tx, table.name(), n).await?;
        keys.sort_unstable();
        Ok(keys)
    }

    async fn persons_by_id_json(&mut self, ids: &[&str]) -> StoreResult<String> {
        sqlx::query_scalar(&format!(
            "SELECT coalesce(json_agg(json_build_object({PERSON})), '[]')::text \
             FROM persons p WHERE p.id = ANY($1)"
        ))
        .bind(ids)
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db("reading existing persons"))
    }

    async fn person_key(&mut self, id: &str) -> StoreResult<Option<i64>> {
        sqlx::query_scalar("SELECT pk FROM persons WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(db("reading a person"))
    }

    async fn existing_sources(&mut self, keys: &[i64]) -> StoreResult<Vec<i64>> {
        sqlx::query_scalar("SELECT pk FROM sources WHERE pk = ANY($1)")
            .bind(keys)
            .fetch_all(&mut *self.tx)
            .await
            .map_err(db("reading sources"))
    }

    async fn timeline_json(&mut self, person_pk: i64) -> StoreResult<String> {
        sqlx::query_scalar(&format!(
            "WITH p AS (SELECT $1::bigint AS pk), {} SELECT {}::text",
            crate::json::EVENTS_CTE,
            crate::json::EVENTS
        ))
        .bind(person_pk)
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db("reading events"))
    }

    async fn insert_persons(&mut self, rows: &[NewPerson<'_>]) -> StoreResult<()> {
        insert_persons(&mut self.tx, rows).await
    }

    async fn update_persons(&mut self, persons: &[&Person]) -> StoreResult<()> {
        update_persons(&mut self.tx, persons).await
    }

    async fn set_status(&mut self, person_pk: i64, status: Status) -> StoreResult<()> {
        sqlx::query("UPDATE persons SET status = $2, updated_at = now() WHERE pk = $1")
            .bind(person_pk)
            .bind(status.slug())
            .execute(&mut *self.tx)
            .await
            .map_err(db("updating the status"))?;
        Ok(())
    }

    async fn insert_detentions(&mut self, rows: &[(i64, &Detention)]) -> StoreResult<()> {
        insert_detentions(&mut self.tx, rows).await
    }

    async fn insert_sources(&mut self, rows: &[(i64, &Source)]) -> StoreResult<()> {
        insert_sources(&mut self.tx, rows).await
    }

    async fn insert_events(&mut self, rows: &[(i64, i64, &Event)]) -> StoreResult<()> {
        insert_events(&mut self.tx, rows).await
    }

    async fn insert_event_sources(&mut self, rows: &[(i64, i64)]) -> StoreResult<()> {
        insert_event_sources(&mut self.tx, rows).await
    }

    async fn insert_history(&mut self, rows: &[NewHistory<'_>]) -> StoreResult<()> {
        insert_history(&mut self.tx, rows).await
    }
}

/// The text of a PostgreSQL array literal holding `items`, each quoted, so
/// that `literal::text[]` gives back exactly `items` (no element is read as
/// NULL, and commas, braces, quotes and backslashes survive).
fn text_array_literal<S: AsRef<str>>(items: &[S]) -> String {
    let mut out = String::from("{");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        for ch in item.as_ref().chars() {
            if ch == '"' || ch == '\\' {
                out.push('\\');
            }
            out.push(ch);
        }
        out.push('"');
    }
    out.push('}');
    out
}

/// `n` fresh primary keys of `table`, drawn from its identity sequence so
/// that they can never collide with keys the database assigns itself
/// (to rows inserted by hand, say). They are distinct but not necessarily
/// consecutive.
async fn allocate_pks(tx: &mut Tx, table: &str, n: usize) -> StoreResult<Vec<i64>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let count = i64::try_from(n).map_err(|e| StoreError::Other(format!("allocating keys: {e}")))?;
    let pks = sqlx::query(
        "SELECT nextval(pg_get_serial_sequence($1, 'pk')) AS pk FROM generate_series(1, $2)",
    )
    .bind(table)
    .bind(count)
    .fetch_all(&mut **tx)
    .await
    .map_err(db("allocating keys"))?
    .iter()
    .map(|r| sqlx::Row::try_get(r, "pk").map_err(db("allocating keys")))
    .collect::<StoreResult<Vec<i64>>>()?;
    // Callers zip these with their rows; a short list would drop rows.
    if pks.len() != n {
        return Err(StoreError::Other(format!(
            "allocating keys: asked for {n} keys of {table}, got {}",
            pks.len()
        )));
    }
    Ok(pks)
}

/// The person columns the store writes, one array per column.
#[derive(Default)]
struct PersonArrays {
    id: Vec<String>,
    given_names: Vec<String>,
    surname1: Vec<String>,
    surname2: Vec<Option<String>>,
    aliases: Vec<String>,
    sex: Vec<Option<&'static str>>,
    birth_date: Vec<Option<String>>,
    nationalities: Vec<String>,
    country: Vec<String>,
    province: Vec<Option<String>>,
    occupation: Vec<Option<String>>,
    summary: Vec<Option<String>>,
    publish: Vec<bool>,
    private_notes: Vec<Option<String>>,
    family_contact: Vec<Option<String>>,
    search_text: Vec<String>,
    sort_key: Vec<String>,
}

/// `UNNEST` over the [`PersonArrays`] bound as `$1` to `$17`, as `v`.
const PERSON_UNNEST: &str = "UNNEST($1::text[], $2::text[], $3::text[], $4::text[], \
     $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], \
     $12::text[], $13::bool[], $14::text[], $15::text[], $16::text[], $17::text[]";

/// The column names of [`PERSON_UNNEST`], in order.
const PERSON_NAMES: &str = "id, given_names, surname1, surname2, aliases, sex, birth_date, \
     nationalities, country, province, occupation, summary, publish, private_notes, \
     family_contact, search_text, sort_key";

type PgQuery<'q> = sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>;

impl PersonArrays {
    fn of<'p>(persons: impl Iterator<Item = &'p Person>) -> PersonArrays {
        let mut a = PersonArrays::default();
        for p in persons {
            a.id.push(p.id.to_string());
            a.given_names.push(p.given_names.clone());
            a.surname1.push(p.surname1.clone());
            a.surname2.push(p.surname2.clone());
            a.aliases.push(text_array_literal(&p.aliases));
            a.sex.push(p.sex.map(|s| s.slug()));
            a.birth_date
                .push(p.birth_date.as_ref().map(|d| d.to_string()));
            a.nationalities.push(text_array_literal(
                &p.nationalities
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>(),
            ));
            a.country.push(p.country.to_string());
            a.province.push(p.province.clone());
            a.occupation.push(p.occupation.clone());
            a.summary.push(p.summary.clone());
            a.publish.push(p.publish);
            a.private_notes.push(p.private_notes.clone());
            a.family_contact.push(p.family_contact.clone());
            a.search_text.push(p.search_text());
            a.sort_key.push(p.sort_key());
        }
        a
    }

    /// Binds the arrays as `$1` to `$17` of `sql`.
    fn query(self, sql: &str) -> PgQuery<'_> {
        sqlx::query(sql)
            .bind(self.id)
            .bind(self.given_names)
            .bind(self.surname1)
            .bind(self.surname2)
            .bind(self.aliases)
            .bind(self.sex)
            .bind(self.birth_date)
            .bind(self.nationalities)
            .bind(self.country)
            .bind(self.province)
            .bind(self.occupation)
            .bind(self.summary)
            .bind(self.publish)
            .bind(self.private_notes)
            .bind(self.family_contact)
            .bind(self.search_text)
            .bind(self.sort_key)
    }
}

/// Inserts persons, with their timestamps when given (a restore keeps
/// them) or now.
async fn insert_persons(tx: &mut Tx, persons: &[NewPerson<'_>]) -> StoreResult<()> {
    let sql = format!(
        "INSERT INTO persons ({PERSON_NAMES}, pk, status, created_at, updated_at) \
         SELECT v.id, v.given_names, v.surname1, v.surname2, v.aliases::text[], v.sex, \
         v.birth_date, v.nationalities::text[], v.country, v.province, v.occupation, v.summary, \
         v.publish, v.private_notes, v.family_contact, v.search_text, v.sort_key, v.pk, v.status, \
         coalesce(v.created_at::timestamptz, now()), coalesce(v.updated_at::timestamptz, now()) \
         FROM {PERSON_UNNEST}, $18::bigint[], $19::text[], $20::text[], $21::text[]) \
         AS v({PERSON_NAMES}, pk, status, created_at, updated_at)"
    );
    for chunk in persons.chunks(ROWS) {
        let pks: Vec<i64> = chunk.iter().map(|r| r.pk).collect();
        let statuses: Vec<&str> = chunk.iter().map(|r| r.status.slug()).collect();
        let created: Vec<Option<&str>> = chunk.iter().map(|r| r.created_at).collect();
        let updated: Vec<Option<&str>> = chunk.iter().map(|r| r.updated_at).collect();
        let q = PersonArrays::of(chunk.iter().map(|r| r.person))
            .query(&sql)
            .bind(pks)
            .bind(statuses)
            .bind(created)
            .bind(updated);
        match q.execute(&mut **tx).await {
            Ok(_) => {}
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return Err(StoreError::AlreadyExists(
                    "a person with one of these ids".into(),
                ))
            }
            Err(e) => return Err(db("inserting persons")(e)),
        }
    }
    Ok(())
}

/// Records history entries in order, with their time when given (a
/// restore keeps it) or now.
async fn insert_history(tx: &mut Tx, entries: &[NewHistory<'_>]) -> StoreResult<()> {
    for chunk in entries.chunks(ROWS) {
        let ids: Vec<&str> = chunk.iter().map(|h| h.person_id).collect();
        let ats: Vec<Option<&str>> = chunk.iter().map(|h| h.at).collect();
        let actors: Vec<&str> = chunk.iter().map(|h| h.actor).collect();
        let actions: Vec<&str> = chunk.iter().map(|h| h.action).collect();
        let changes: Vec<&str> = chunk.iter().map(|h| h.changes).collect();
        sqlx::query(
            "INSERT INTO person_history (person_id, at, actor, action, changes) \
             SELECT v.person_id, coalesce(v.at::timestamptz, \
             date_trunc('milliseconds', statement_timestamp())), v.actor, v.action, \
             v.changes::json \
             FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) \
             WITH ORDINALITY AS v(person_id, at, actor, action, changes, ord) ORDER BY v.ord",
        )
        .bind(ids)
        .bind(ats)
        .bind(actors)
        .bind(actions)
        .bind(changes)
        .execute(&mut **tx)
        .await
        .map_err(db("recording history"))?;
    }
    Ok(())
}

/// Overwrites the stored fields of existing persons (found by id) with
/// those of `persons`; their status is left as it is.
async fn update_persons(tx: &mut Tx, persons: &[&Person]) -> StoreResult<()> {
    let sql = format!(
        "UPDATE persons p SET given_names = v.given_names, surname1 = v.surname1, \
         surname2 = v.surname2, aliases = v.aliases::text[], sex = v.sex, \
         birth_date = v.birth_date, nationalities = v.nationalities::text[], \
         country = v.country, province = v.province, occupation = v.occupation, \
         summary = v.summary, publish = v.publish, private_notes = v.private_notes, \
         family_contact = v.family_contact, search_text = v.search_text, \
         sort_key = v.sort_key, updated_at = now() \
         FROM {PERSON_UNNEST}) AS v({PERSON_NAMES}) WHERE p.id = v.id"
    );
    for chunk in persons.chunks(ROWS) {
        PersonArrays::of(chunk.iter().copied())
            .query(&sql)
            .execute(&mut **tx)
            .await
            .map_err(db("updating persons"))?;
    }
    Ok(())
}

/// Inserts detentions `(person pk, detention)`.
async fn insert_detentions(tx: &mut Tx, rows: &[(i64, &Detention)]) -> StoreResult<()> {
    for chunk in rows.chunks(ROWS) {
        let n = chunk.len();
        let mut person_pk = Vec::with_capacity(n);
        let mut arrest_date = Vec::with_capacity(n);
        let mut arrest_place = Vec::with_capacity(n);
        let mut authority = Vec::with_capacity(n);
        let mut charges = Vec::with_capacity(n);
        let mut court = Vec::with_capacity(n);
        let mut sentence = Vec::with_capacity(n);
        let mut sentence_months = Vec::with_capacity(n);
        let mut prison = Vec::with_capacity(n);
        for (pk, d) in chunk {
            person_pk.push(*pk);
            arrest_date.push(d.arrest_date.as_ref().map(|x| x.to_string()));
            arrest_place.push(d.arrest_place.as_deref());
            authority.push(d.authority.as_deref());
            charges.push(text_array_literal(&d.charges));
            court.push(d.court.as_deref());
            sentence.push(d.sentence.as_deref());
            sentence_months.push(d.sentence_months.map(i64::from));
            prison.push(d.prison.as_deref());
        }
        sqlx::query(
            "INSERT INTO detentions (person_pk, arrest_date, arrest_place, authority, charges, \
             court, sentence, sentence_months, prison) \
             SELECT v.person_pk, v.arrest_date, v.arrest_place, v.authority, v.charges::text[], \
             v.court, v.sentence, v.sentence_months, v.prison \
             FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], \
             $6::text[], $7::text[], $8::bigint[], $9::text[]) \
             AS v(person_pk, arrest_date, arrest_place, authority, charges, court, sentence, \
             sentence_months, prison)",
        )
        .bind(person_pk)
        .bind(arrest_date)
        .bind(arrest_place)
        .bind(authority)
        .bind(charges)
        .bind(court)
        .bind(sentence)
        .bind(sentence_months)
        .bind(prison)
        .execute(&mut **tx)
        .await
        .map_err(db("inserting detentions"))?;
    }
    Ok(())
}

/// Inserts sources `(pk, source)`.
async fn insert_sources(tx: &mut Tx, rows: &[(i64, &Source)]) -> StoreResult<()> {
    for chunk in rows.chunks(ROWS) {
        let n = chunk.len();
        let mut pk = Vec::with_capacity(n);
        let mut url = Vec::with_capacity(n);
        let mut title = Vec::with_capacity(n);
        let mut publisher = Vec::with_capacity(n);
        let mut date = Vec::with_capacity(n);
        let mut kind = Vec::with_capacity(n);
        let mut confidential = Vec::with_capacity(n);
        for (k, s) in chunk {
            pk.push(*k);
            url.push(s.url.as_deref());
            title.push(s.title.as_str());
            publisher.push(s.publisher.as_deref());
            date.push(s.date.as_ref().map(|d| d.as_str()));
            kind.push(s.kind.slug());
            confidential.push(s.confidential);
        }
        sqlx::query(
            "INSERT INTO sources (pk, url, title, publisher, date, kind, confidential) \
             SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[], \
             $5::text[], $6::text[], $7::bool[])",
        )
        .bind(pk)
        .bind(url)
        .bind(title)
        .bind(publisher)
        .bind(date)
        .bind(kind)
        .bind(confidential)
        .execute(&mut **tx)
        .await
        .map_err(db("inserting sources"))?;
    }
    Ok(())
}

/// Inserts events `(pk, person pk, event)`.
async fn insert_events(tx: &mut Tx, rows: &[(i64, i64, &Event)]) -> StoreResult<()> {
    for chunk in rows.chunks(ROWS) {
        let n = chunk.len();
        let mut pk = Vec::with_capacity(n);
        let mut person_pk = Vec::with_capacity(n);
        let mut kind = Vec::with_capacity(n);
        let mut date = Vec::with_capacity(n);
        let mut earliest = Vec::with_capacity(n);
        let mut latest = Vec::with_capacity(n);
        let mut release_kind = Vec::with_capacity(n);
        let mut conditions = Vec::with_capacity(n);
        let mut place = Vec::with_capacity(n);
        let mut description = Vec::with_capacity(n);
        let mut announcement = Vec::with_capacity(n);
        let mut verified_by = Vec::with_capacity(n);
        let mut verified_on = Vec::with_capacity(n);
        for (k, p, e) in chunk {
            pk.push(*k);
            person_pk.push(*p);
            kind.push(e.kind.slug());
            date.push(e.date.as_str());
            earliest.push(e.date.earliest());
            latest.push(e.date.latest());
            release_kind.push(e.release.as_ref().map(|r| r.kind.slug()));
            conditions.push(text_array_literal(&condition_slugs(e)));
            place.push(e.place.as_deref());
            description.push(e.description.as_deref());
            announcement.push(e.announcement_id);
            let by: &[String] = e.verification.as_ref().map_or(&[], |v| &v.by);
            verified_by.push(text_array_literal(by));
            verified_on.push(
                e.verification
                    .as_ref()
                    .and_then(|v| v.on.as_ref())
                    .map(|d| d.as_str()),
            );
        }
        sqlx::query(
            "INSERT INTO events (pk, person_pk, kind, date, date_earliest, date_latest, \
             release_kind, conditions, place, description, announcement_pk, verified_by, \
             verified_on) \
             SELECT v.pk, v.person_pk, v.kind, v.date, v.date_earliest, v.date_latest, \
             v.release_kind, v.conditions::text[], v.place, v.description, v.announcement_pk, \
             v.verified_by::text[], v.verified_on \
             FROM UNNEST($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], \
             $6::bigint[], $7::text[], $8::text[], $9::text[], $10::text[], $11::bigint[], \
             $12::text[], $13::text[]) \
             AS v(pk, person_pk, kind, date, date_earliest, date_latest, release_kind, \
             conditions, place, description, announcement_pk, verified_by, verified_on)",
        )
        .bind(pk)
        .bind(person_pk)
        .bind(kind)
        .bind(date)
        .bind(earliest)
        .bind(latest)
        .bind(release_kind)
        .bind(conditions)
        .bind(place)
        .bind(description)
        .bind(announcement)
        .bind(verified_by)
        .bind(verified_on)
        .execute(&mut **tx)
        .await
        .map_err(db("inserting events"))?;
    }
    Ok(())
}

/// Links events to sources `(event pk, source pk)`; a link given twice is
/// stored once.
async fn insert_event_sources(tx: &mut Tx, rows: &[(i64, i64)]) -> StoreResult<()> {
    for chunk in rows.chunks(ROWS) {
        let (events, sources): (Vec<i64>, Vec<i64>) = chunk.iter().copied().unzip();
        sqlx::query(
            "INSERT INTO event_sources (event_pk, source_pk) \
             SELECT * FROM UNNEST($1::bigint[], $2::bigint[]) ON CONFLICT DO NOTHING",
        )
        .bind(events)
        .bind(sources)
        .execute(&mut **tx)
        .await
        .map_err(db("linking sources"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::text_array_literal;

    #[test]
    fn array_literals_quote_every_element() {
        assert_eq!(text_array_literal::<&str>(&[]), "{}");
        assert_eq!(
            text_array_literal(&["El Poeta", "NULL", "a,b", "{x}", r#"say "hi" \ bye"#]),
            r#"{"El Poeta","NULL","a,b","{x}","say \"hi\" \\ bye"}"#
        );
    }
}
