//! Release announcements over a backend: the workflows of
//! [`AnnouncementStore`], each one transaction ending with one audit
//! entry. An audit entry names the announcement and the fields changed;
//! nothing of an announcement is confidential, but the texts are left
//! out all the same (they can be long).

use super::audit::Entry;
use super::edits::finish;
use super::Registry;
use crate::backend::{Backend, WriteTx};
use crate::sql::announcements::{self as sql, Which};
use crate::{AnnouncementReads, AnnouncementStore, ListSummary, StoreError, StoreResult};
use async_trait::async_trait;
use libres_core::{Announcement, CountryCode, Event, ListedName, PersonId, Review};
use serde_json::json;

/// `a` as it can be stored: valid, and its sources sorted, once each.
fn checked(a: &Announcement) -> StoreResult<Announcement> {
    let problems = a.problems();
    if !problems.is_empty() {
        let words: Vec<String> = problems.iter().map(ToString::to_string).collect();
        return Err(StoreError::Invalid(words.join("; ")));
    }
    let mut a = a.clone();
    a.source_ids.sort_unstable();
    a.source_ids.dedup();
    a.texts.sort_by(|x, y| x.lang.cmp(&y.lang));
    Ok(a)
}

/// The stored announcement `id`, or [`StoreError::NotFound`].
async fn stored<T: WriteTx>(tx: &mut T, id: i64) -> StoreResult<Announcement> {
    sql::read(tx, Which::One(id))
        .await?
        .pop()
        .ok_or_else(|| StoreError::NotFound(format!("announcement {id}")))
}

/// Refuses a citation of a source that does not exist.
async fn sources_exist<T: WriteTx>(tx: &mut T, a: &Announcement) -> StoreResult<()> {
    let found = tx.existing_sources(&a.source_ids).await?;
    match a.source_ids.iter().find(|k| !found.contains(k)) {
        Some(missing) => Err(StoreError::NotFound(format!("source {missing}"))),
        None => Ok(()),
    }
}

/// Refuses an event whose links cannot be stored: an announcement that
/// does not exist ([`StoreError::NotFound`]), a verification that names
/// no organisation ([`StoreError::Invalid`]).
pub(super) async fn check_event_links<T: WriteTx>(tx: &mut T, event: &Event) -> StoreResult<()> {
    if let Some(v) = &event.verification {
        if v.by.is_empty() || v.by.iter().any(|o| o.trim().is_empty()) {
            return Err(StoreError::Invalid(
                "a verification names the organisations that verified the event".into(),
            ));
        }
        // `|` separates the names where a backend stores them as one text.
        if let Some(o) = v.by.iter().find(|o| o.contains('|')) {
            return Err(StoreError::Invalid(format!(
                "the verification's organisation `{o}` holds a `|`, which separates names"
            )));
        }
    }
    if let Some(id) = event.announcement_id {
        stored(tx, id).await?;
    }
    Ok(())
}

/// What an audit entry says of an announcement.
fn details(pk: i64, a: &Announcement) -> serde_json::Value {
    json!({
        "announcement": pk,
        "country": a.country.as_str(),
        "claimed": a.claimed,
    })
}

#[async_trait]
impl<B: Backend> AnnouncementStore for Registry<B> {
    async fn add_announcement(&self, announcement: &Announcement, actor: &str) -> StoreResult<i64> {
        let a = checked(announcement)?;
        let mut tx = self.backend.write().await?;
        sources_exist(&mut tx, &a).await?;
        let pk = sql::insert(&mut tx, &a).await?;
        sql::replace_parts(&mut tx, pk, &a).await?;
        let entry = Entry {
            actor,
            action: "announcement_added",
            target: "announcements",
            details: details(pk, &a),
        };
        finish(tx, actor, None, entry).await?;
        Ok(pk)
    }

    async fn update_announcement(
        &self,
        announcement: &Announcement,
        actor: &str,
    ) -> StoreResult<bool> {
        let a = checked(announcement)?;
        let mut tx = self.backend.write().await?;
        let old = stored(&mut tx, a.id).await?;
        let changed = a.changed_fields(&old);
        if changed.is_empty() {
            return Ok(false);
        }
        sources_exist(&mut tx, &a).await?;
        sql::update(&mut tx, &a).await?;
        sql::replace_parts(&mut tx, a.id, &a).await?;
        let mut d = details(a.id, &a);
        d["fields"] = json!(changed);
        let entry = Entry {
            actor,
            action: "announcement_updated",
            target: "announcements",
            details: d,
        };
        finish(tx, actor, None, entry).await?;
        Ok(true)
    }

    async fn delete_announcement(&self, id: i64, actor: &str) -> StoreResult<()> {
        let mut tx = self.backend.write().await?;
        let old = stored(&mut tx, id).await?;
        let linked = sql::linked_events(&mut tx, id).await?;
        if linked > 0 {
            return Err(StoreError::Invalid(format!(
                "announcement {id} has {linked} timeline event{} linked to it: unlink them first",
                if linked == 1 { "" } else { "s" }
            )));
        }
        sql::delete(&mut tx, id).await?;
        let entry = Entry {
            actor,
            action: "announcement_deleted",
            target: "announcements",
            details: details(id, &old),
        };
        finish(tx, actor, None, entry).await
    }

    async fn set_named_list(&self, id: i64, names: &[ListedName], actor: &str) -> StoreResult<()> {
        let mut tx = self.backend.write().await?;
        stored(&mut tx, id).await?;
        if let Some(why) =
            libres_core::announcement::list_kept(&sql::names(&mut tx, id, None).await?)
        {
            return Err(StoreError::Invalid(why));
        }
        let pending: Vec<ListedName> = names
            .iter()
            .map(|n| ListedName {
                review: Review::Pending,
                person: None,
                decided_by: None,
                ..n.clone()
            })
            .collect();
        sql::replace_names(&mut tx, id, &pending).await?;
        let entry = Entry {
            actor,
            action: "named_list_set",
            target: "announcements",
            details: json!({ "announcement": id, "names": names.len() }),
        };
        finish(tx, actor, None, entry).await
    }

    async fn named_list(&self, id: i64) -> StoreResult<Vec<ListedName>> {
        let mut tx = self.backend.snapshot().await?;
        sql::names(&mut tx, id, None).await
    }

    async fn decide_name(
        &self,
        id: i64,
        name: i64,
        review: Review,
        person: Option<&PersonId>,
        actor: &str,
    ) -> StoreResult<()> {
        let person = match (review, person) {
            (Review::Confirmed, Some(p)) => Some(p),
            (Review::Rejected, None) => None,
            (Review::Confirmed, None) => {
                return Err(StoreError::Invalid(
                    "confirming a name needs the registry person it names".into(),
                ))
            }
            (Review::Rejected, Some(_)) => {
                return Err(StoreError::Invalid(
                    "a rejected name names nobody on the registry".into(),
                ))
            }
            (Review::Pending, _) => {
                return Err(StoreError::Invalid(
                    "a decision confirms or rejects a name".into(),
                ))
            }
        };
        let mut tx = self.backend.write().await?;
        if let Some(p) = person {
            if tx.person_key(p.as_str()).await?.is_none() {
                return Err(StoreError::NotFound(format!("person `{p}`")));
            }
        }
        if !sql::decide(&mut tx, id, name, review, person, actor).await? {
            return match sql::names(&mut tx, id, Some(name)).await?.pop() {
                None => Err(StoreError::NotFound(format!(
                    "name {name} of announcement {id}"
                ))),
                Some(n) => Err(StoreError::Invalid(format!(
                    "{} was {} already by {}",
                    n.full_name,
                    n.review,
                    n.decided_by.as_deref().unwrap_or("someone")
                ))),
            };
        }
        let entry = Entry {
            actor,
            action: "name_decided",
            target: "announcements",
            details: json!({
                "announcement": id,
                "name": name,
                "review": review.slug(),
                "person": person.map(|p| p.as_str()),
            }),
        };
        finish(tx, actor, None, entry).await
    }
}

#[async_trait]
impl<B: Backend> AnnouncementReads for Registry<B> {
    async fn announcement(&self, id: i64) -> StoreResult<Option<Announcement>> {
        let mut tx = self.backend.snapshot().await?;
        Ok(sql::read(&mut tx, Which::One(id)).await?.pop())
    }

    async fn announcement_persons(&self, id: i64) -> StoreResult<Vec<PersonId>> {
        let mut tx = self.backend.snapshot().await?;
        sql::persons(&mut tx, id).await
    }

    async fn announcement_list(&self, id: i64) -> StoreResult<ListSummary> {
        let mut tx = self.backend.snapshot().await?;
        let (names, confirmed) = sql::list_summary(&mut tx, id).await?;
        Ok(ListSummary { names, confirmed })
    }

    async fn announcements(
        &self,
        country: Option<&CountryCode>,
        limit: usize,
    ) -> StoreResult<Vec<Announcement>> {
        let mut tx = self.backend.snapshot().await?;
        sql::read(&mut tx, Which::Newest(country, limit)).await
    }

    async fn country_timelines(
        &self,
        country: &CountryCode,
    ) -> StoreResult<Vec<Vec<libres_core::held::Dated>>> {
        let mut tx = self.backend.snapshot().await?;
        sql::country_timelines(&mut tx, country).await
    }

    async fn country_cases(
        &self,
        country: &CountryCode,
    ) -> StoreResult<Vec<libres_core::figures::CountryCase>> {
        let mut tx = self.backend.snapshot().await?;
        sql::country_cases(&mut tx, country).await
    }
}
