//! Writes: the write transaction and its bulk statements.
//!
//! An import of a million persons is a few million rows. One statement per
//! row costs a round trip to SQLite's thread each, which dominated imports;
//! multi-row `INSERT … VALUES (…), (…)` statements of a few hundred rows
//! cut that by two orders of magnitude. Everything runs inside the
//! transaction, so a batch still applies whole or not at all.

use crate::json::{self, PERSON};
use crate::{db, json_text};
use async_trait::async_trait;
use libres_core::{Detention, Event, Person, Source, Status};
use libres_store::backend::{NewHistory, NewPerson, Table, WriteTx};
use libres_store::{StoreError, StoreResult};
use sqlx::{QueryBuilder, Sqlite, Transaction};

/// Rows per statement. SQLite allows 32,766 bound values per statement;
/// the widest row here has 21 columns.
const ROWS: usize = 500;

/// The time as SQLite writes it: RFC 3339 UTC with milliseconds.
const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/// A write transaction (`BEGIN IMMEDIATE`: it holds the write lock).
pub struct SqliteWrite {
    pub(crate) tx: Transaction<'static, Sqlite>,
    /// The next free key of each [`Table`], once read: keys handed out
    /// but not yet inserted must not be handed out again.
    next: [Option<i64>; 3],
}

impl SqliteWrite {
    pub(crate) fn new(tx: Transaction<'static, Sqlite>) -> Self {
        SqliteWrite {
            tx,
            next: [None; 3],
        }
    }

    /// Runs one statement without parameters.
    async fn run(&mut self, sql: &str, what: &'static str) -> StoreResult<()> {
        sqlx::query(sql)
            .execute(&mut *self.tx)
            .await
            .map_err(db(what))?;
        Ok(())
    }

    async fn execute(
        &mut self,
        mut b: QueryBuilder<'_, Sqlite>,
        what: &'static str,
    ) -> StoreResult<()> {
        b.build().execute(&mut *self.tx).await.map_err(db(what))?;
        Ok(())
    }
}

/// Encodes a person's list columns as this backend stores them.
struct Encoded {
    aliases: String,
    nationalities: String,
}

impl Encoded {
    fn of(p: &Person) -> StoreResult<Encoded> {
        Ok(Encoded {
            aliases: serde_json::to_string(&p.aliases)
                .map_err(|e| StoreError::Other(format!("encoding aliases: {e}")))?,
            nationalities: p
                .nationalities
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join("|"),
        })
    }
}

#[async_trait]
impl WriteTx for SqliteWrite {
    async fn commit(self) -> StoreResult<()> {
        self.tx.commit().await.map_err(db("committing"))
    }

    async fn bump_version(&mut self) -> StoreResult<()> {
        self.run(
            "UPDATE registry_meta SET value = value + 1 WHERE key = 'version'",
            "bumping the registry version",
        )
        .await
    }

    async fn mark_synthetic(&mut self) -> StoreResult<()> {
        self.run(
            "INSERT INTO registry_meta (key, value) VALUES ('synthetic', 1) \
             ON CONFLICT (key) DO UPDATE SET value = 1",
            "marking the registry synthetic",
        )
        .await
    }

    async fn clear(&mut self, replace: bool) -> StoreResult<bool> {
        if !replace {
            let held: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM persons) OR EXISTS (SELECT 1 FROM sources) \
                 OR EXISTS (SELECT 1 FROM person_history) OR EXISTS (SELECT 1 FROM announcements) \
                 OR EXISTS (SELECT 1 FROM statements)",
            )
            .fetch_one(&mut *self.tx)
            .await
            .map_err(db("checking whether the registry is empty"))?;
            if held {
                return Ok(false);
            }
        }
        // Children first: event_sources has no ON DELETE CASCADE towards
        // sources.
        // The site's keys go too: a link signed for the old registry's
        // signatures must not confirm the new one's, which may get the
        // same numbers.
        for table in [
            "site_keys",
            "mail_outbox",
            "signatures",
            "statement_announcements",
            "statement_persons",
            "statement_addressees",
            "statement_texts",
            "statements",
            "event_sources",
            "events",
            "announcement_sources",
            "announcement_texts",
            "announcement_names",
            "announcements",
            "detentions",
            "sources",
            "persons",
            "person_history",
        ] {
            self.run(&format!("DELETE FROM {table}"), "emptying the registry")
                .await?;
        }
        self.run(
            "DELETE FROM registry_meta WHERE key = 'synthetic'",
            "emptying the registry",
        )
        .await?;
        self.next = [None; 3];
        Ok(true)
    }

    async fn keys(&mut self, table: Table, n: usize) -> StoreResult<Vec<i64>> {
        let slot = table as usize;
        let first = match self.next[slot] {
            Some(k) => k,
            // Sound only because the transaction holds the write lock:
            // no other writer can take these keys.
            None => sqlx::query_scalar(&format!(
                "SELECT coalesce(max(pk), 0) + 1 FROM {}",
                table.name()
            ))
            .fetch_one(&mut *self.tx)
            .await
            .map_err(db("allocating keys"))?,
        };
        let n = i64::try_from(n).map_err(|e| StoreError::Other(format!("allocating keys: {e}")))?;
        self.next[slot] = Some(first + n);
        Ok((first..first + n).collect())
    }

    async fn persons_by_id_json(&mut self, ids: &[&str]) -> StoreResult<String> {
        let ids = serde_json::to_string(ids)
            .map_err(|e| StoreError::Other(format!("encoding ids: {e}")))?;
        json_text!(
            &mut *self.tx,
            &format!(
                "SELECT json_group_array(json_object({PERSON})) FROM persons p \
                 WHERE p.id IN (SELECT value FROM json_each(?1))"
            ),
            ids
        )
        .await
        .map_err(db("reading existing persons"))
    }

    async fn person_key(&mut self, id: &str) -> StoreResult<Option<i64>> {
        sqlx::query_scalar("SELECT pk FROM persons WHERE id = ?1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(db("reading a person"))
    }

    async fn existing_sources(&mut self, keys: &[i64]) -> StoreResult<Vec<i64>> {
        let keys = serde_json::to_string(keys)
            .map_err(|e| StoreError::Other(format!("encoding keys: {e}")))?;
        sqlx::query_scalar("SELECT pk FROM sources WHERE pk IN (SELECT value FROM json_each(?1))")
            .bind(keys)
            .fetch_all(&mut *self.tx)
            .await
            .map_err(db("reading sources"))
    }

    async fn timeline_json(&mut self, person_pk: i64) -> StoreResult<String> {
        json_text!(
            &mut *self.tx,
            &format!("SELECT {}", json::events("?1")),
            person_pk
        )
        .await
        .map_err(db("reading events"))
    }

    async fn insert_persons(&mut self, rows: &[NewPerson<'_>]) -> StoreResult<()> {
        for chunk in rows.chunks(ROWS) {
            let encoded = chunk
                .iter()
                .map(|r| Encoded::of(r.person))
                .collect::<StoreResult<Vec<_>>>()?;
            let mut b = QueryBuilder::<Sqlite>::new(
                "INSERT INTO persons (pk, id, given_names, surname1, surname2, aliases, sex, \
                 birth_date, nationalities, country, province, occupation, summary, publish, \
                 private_notes, family_contact, status, search_text, sort_key, created_at, \
                 updated_at) ",
            );
            b.push_values(chunk.iter().zip(encoded), |mut row, (r, v)| {
                let p = r.person;
                row.push_bind(r.pk)
                    .push_bind(p.id.as_str())
                    .push_bind(p.given_names.as_str())
                    .push_bind(p.surname1.as_str())
                    .push_bind(p.surname2.as_deref())
                    .push_bind(v.aliases)
                    .push_bind(p.sex.map(|s| s.slug()))
                    .push_bind(p.birth_date.as_ref().map(|d| d.as_str()))
                    .push_bind(v.nationalities)
                    .push_bind(p.country.as_str())
                    .push_bind(p.province.as_deref())
                    .push_bind(p.occupation.as_deref())
                    .push_bind(p.summary.as_deref())
                    .push_bind(p.publish)
                    .push_bind(p.private_notes.as_deref())
                    .push_bind(p.family_contact.as_deref())
                    .push_bind(r.status.slug())
                    .push_bind(p.search_text())
                    .push_bind(p.sort_key());
                match (r.created_at, r.updated_at) {
                    (Some(c), Some(u)) => {
                        row.push_bind(c).push_bind(u);
                    }
                    _ => {
                        row.push(NOW).push(NOW);
                    }
                }
            });
            match b.build().execute(&mut *self.tx).await {
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

    async fn update_persons(&mut self, persons: &[&Person]) -> StoreResult<()> {
        for p in persons {
            let v = Encoded::of(p)?;
            sqlx::query(&format!(
                "UPDATE persons SET given_names = ?2, surname1 = ?3, surname2 = ?4, \
                 aliases = ?5, sex = ?6, birth_date = ?7, nationalities = ?8, country = ?9, \
                 province = ?10, occupation = ?11, summary = ?12, publish = ?13, \
                 private_notes = ?14, family_contact = ?15, search_text = ?16, sort_key = ?17, \
                 updated_at = {NOW} WHERE id = ?1"
            ))
            .bind(p.id.as_str())
            .bind(&p.given_names)
            .bind(&p.surname1)
            .bind(&p.surname2)
            .bind(v.aliases)
            .bind(p.sex.map(|s| s.slug()))
            .bind(p.birth_date.as_ref().map(|d| d.as_str()))
            .bind(v.nationalities)
            .bind(p.country.as_str())
            .bind(&p.province)
            .bind(&p.occupation)
            .bind(&p.summary)
            .bind(p.publish)
            .bind(&p.private_notes)
            .bind(&p.family_contact)
            .bind(p.search_text())
            .bind(p.sort_key())
            .execute(&mut *self.tx)
            .await
            .map_err(db("updating a person"))?;
        }
        Ok(())
    }

    async fn set_status(&mut self, person_pk: i64, status: Status) -> StoreResult<()> {
        sqlx::query(&format!(
            "UPDATE persons SET status = ?2, updated_at = {NOW} WHERE pk = ?1"
        ))
        .bind(person_pk)
        .bind(status.slug())
        .execute(&mut *self.tx)
        .await
        .map_err(db("updating the status"))?;
        Ok(())
    }

    async fn insert_detentions(&mut self, rows: &[(i64, &Detention)]) -> StoreResult<()> {
        for chunk in rows.chunks(ROWS) {
            let mut b = QueryBuilder::<Sqlite>::new(
                "INSERT INTO detentions (person_pk, arrest_date, arrest_place, authority, \
                 charges, court, sentence, sentence_months, prison) ",
            );
            b.push_values(chunk, |mut row, (person_pk, d)| {
                row.push_bind(*person_pk)
                    .push_bind(d.arrest_date.as_ref().map(|x| x.as_str()))
                    .push_bind(d.arrest_place.as_deref())
                    .push_bind(d.authority.as_deref())
                    .push_bind(d.charges.join("|"))
                    .push_bind(d.court.as_deref())
                    .push_bind(d.sentence.as_deref())
                    .push_bind(d.sentence_months)
                    .push_bind(d.prison.as_deref());
            });
            self.execute(b, "inserting detentions").await?;
        }
        Ok(())
    }

    async fn insert_sources(&mut self, rows: &[(i64, &Source)]) -> StoreResult<()> {
        for chunk in rows.chunks(ROWS) {
            let mut b = QueryBuilder::<Sqlite>::new(
                "INSERT INTO sources (pk, url, title, publisher, date, kind, confidential) ",
            );
            b.push_values(chunk, |mut row, (pk, s)| {
                row.push_bind(*pk)
                    .push_bind(s.url.as_deref())
                    .push_bind(s.title.as_str())
                    .push_bind(s.publisher.as_deref())
                    .push_bind(s.date.as_ref().map(|d| d.as_str()))
                    .push_bind(s.kind.slug())
                    .push_bind(s.confidential);
            });
            self.execute(b, "inserting sources").await?;
        }
        Ok(())
    }

    async fn insert_events(&mut self, rows: &[(i64, i64, &Event)]) -> StoreResult<()> {
        for chunk in rows.chunks(ROWS) {
            let mut b = QueryBuilder::<Sqlite>::new(
                "INSERT INTO events (pk, person_pk, kind, date, date_earliest, date_latest, \
                 release_kind, conditions, place, description, announcement_pk, verified_by, \
                 verified_on) ",
            );
            b.push_values(chunk, |mut row, (pk, person_pk, e)| {
                row.push_bind(*pk)
                    .push_bind(*person_pk)
                    .push_bind(e.kind.slug())
                    .push_bind(e.date.as_str())
                    .push_bind(e.date.earliest())
                    .push_bind(e.date.latest())
                    .push_bind(e.release.as_ref().map(|r| r.kind.slug()))
                    .push_bind(e.condition_slugs())
                    .push_bind(e.place.as_deref())
                    .push_bind(e.description.as_deref())
                    .push_bind(e.announcement_id)
                    .push_bind(
                        e.verification
                            .as_ref()
                            .map(|v| v.joined())
                            .unwrap_or_default(),
                    )
                    .push_bind(
                        e.verification
                            .as_ref()
                            .and_then(|v| v.on.as_ref())
                            .map(|d| d.as_str().to_owned()),
                    );
            });
            self.execute(b, "inserting events").await?;
        }
        Ok(())
    }

    async fn insert_event_sources(&mut self, rows: &[(i64, i64)]) -> StoreResult<()> {
        for chunk in rows.chunks(ROWS) {
            let mut b = QueryBuilder::<Sqlite>::new(
                "INSERT OR IGNORE INTO event_sources (event_pk, source_pk) ",
            );
            b.push_values(chunk, |mut row, (e, s)| {
                row.push_bind(*e).push_bind(*s);
            });
            self.execute(b, "linking sources").await?;
        }
        Ok(())
    }

    async fn insert_history(&mut self, rows: &[NewHistory<'_>]) -> StoreResult<()> {
        for chunk in rows.chunks(ROWS) {
            let mut b = QueryBuilder::<Sqlite>::new(
                "INSERT INTO person_history (person_id, at, actor, action, changes) ",
            );
            b.push_values(chunk, |mut row, h| {
                row.push_bind(h.person_id);
                match h.at {
                    Some(at) => row.push_bind(at),
                    None => row.push(NOW),
                };
                row.push_bind(h.actor)
                    .push_bind(h.action)
                    .push_bind(h.changes);
            });
            self.execute(b, "recording history").await?;
        }
        Ok(())
    }
}
