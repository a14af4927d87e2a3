//! Conversions between SQLite rows and core types.
//!
//! A row that does not parse back into a valid core value means the file was
//! edited behind Libres' back; that is reported as an error, never papered
//! over with a default.

use libres_core::{
    Condition, Detention, EdtfDate, Event, EventKind, Person, Release, ReleaseKind, Source,
    SourceKind,
};
use libres_store::decode::{self, corrupt, country, date, person_id, status};
use libres_store::search_index::SearchRow;
use libres_store::{PersonSummary, StoreResult};
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

/// The person columns [`person`] reads, for `SELECT` lists.
pub(crate) const PERSON_COLUMNS: &str =
    "id, given_names, surname1, surname2, aliases, sex, birth_date, \
     nationalities, country, province, occupation, summary, publish, private_notes, family_contact";

fn get<'r, T>(row: &'r SqliteRow, col: &str) -> StoreResult<T>
where
    T: sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>,
{
    row.try_get(col).map_err(|e| corrupt(col, e))
}

pub(crate) fn split(s: &str) -> impl Iterator<Item = &str> {
    s.split('|').filter(|p| !p.is_empty())
}

/// Column values of a person that need encoding.
pub(crate) struct PersonColumns {
    pub aliases: String,
    pub sex: Option<&'static str>,
    pub birth_date: Option<String>,
    pub nationalities: String,
}

impl From<&Person> for PersonColumns {
    fn from(p: &Person) -> Self {
        PersonColumns {
            aliases: serde_json::to_string(&p.aliases).unwrap_or_else(|_| "[]".into()),
            sex: p.sex.map(|s| s.slug()),
            birth_date: p.birth_date.as_ref().map(|d| d.to_string()),
            nationalities: p
                .nationalities
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join("|"),
        }
    }
}

pub(crate) fn person(row: &SqliteRow) -> StoreResult<Person> {
    let id: String = get(row, "id")?;
    let aliases: String = get(row, "aliases")?;
    let sex: Option<String> = get(row, "sex")?;
    let nationalities: String = get(row, "nationalities")?;
    let c: String = get(row, "country")?;
    Ok(Person {
        id: person_id(&id)?,
        given_names: get(row, "given_names")?,
        surname1: get(row, "surname1")?,
        surname2: get(row, "surname2")?,
        aliases: serde_json::from_str(&aliases).map_err(|e| corrupt("aliases", e))?,
        sex: decode::sex(sex)?,
        birth_date: date(get(row, "birth_date")?)?,
        nationalities: split(&nationalities)
            .map(country)
            .collect::<StoreResult<_>>()?,
        country: country(&c)?,
        province: get(row, "province")?,
        occupation: get(row, "occupation")?,
        summary: get(row, "summary")?,
        publish: get(row, "publish")?,
        private_notes: get(row, "private_notes")?,
        family_contact: get(row, "family_contact")?,
    })
}

pub(crate) fn summary(row: &SqliteRow) -> StoreResult<PersonSummary> {
    let id: String = get(row, "id")?;
    let c: String = get(row, "country")?;
    let s: String = get(row, "status")?;
    Ok(PersonSummary {
        id: person_id(&id)?,
        given_names: get(row, "given_names")?,
        surname1: get(row, "surname1")?,
        surname2: get(row, "surname2")?,
        country: country(&c)?,
        province: get(row, "province")?,
        status: status(&s)?,
        publish: get(row, "publish")?,
    })
}

/// Column values of a detention that need encoding.
pub(crate) struct DetentionColumns {
    pub arrest_date: Option<String>,
    pub charges: String,
}

impl From<&Detention> for DetentionColumns {
    fn from(d: &Detention) -> Self {
        DetentionColumns {
            arrest_date: d.arrest_date.as_ref().map(|x| x.to_string()),
            charges: d.charges.join("|"),
        }
    }
}

pub(crate) fn detention(row: &SqliteRow) -> StoreResult<Detention> {
    let charges: String = get(row, "charges")?;
    let months: Option<i64> = get(row, "sentence_months")?;
    Ok(Detention {
        id: get(row, "pk")?,
        arrest_date: date(get(row, "arrest_date")?)?,
        arrest_place: get(row, "arrest_place")?,
        authority: get(row, "authority")?,
        charges: split(&charges).map(str::to_owned).collect(),
        court: get(row, "court")?,
        sentence: get(row, "sentence")?,
        sentence_months: months
            .map(|m| u32::try_from(m).map_err(|e| corrupt("sentence_months", e)))
            .transpose()?,
        prison: get(row, "prison")?,
    })
}

pub(crate) fn event(row: &SqliteRow) -> StoreResult<Event> {
    let kind: String = get(row, "kind")?;
    let d: String = get(row, "date")?;
    let release_kind: Option<String> = get(row, "release_kind")?;
    let conditions: String = get(row, "conditions")?;
    let source_pks: Option<String> = get(row, "source_pks")?;
    let release = release_kind
        .map(|k| {
            Ok::<_, libres_store::StoreError>(Release {
                kind: ReleaseKind::from_slug(&k).ok_or_else(|| corrupt("release kind", &k))?,
                conditions: split(&conditions)
                    .map(|c| Condition::from_slug(c).ok_or_else(|| corrupt("condition", c)))
                    .collect::<StoreResult<_>>()?,
            })
        })
        .transpose()?;
    Ok(Event {
        id: get(row, "pk")?,
        kind: EventKind::from_slug(&kind).ok_or_else(|| corrupt("event kind", &kind))?,
        date: EdtfDate::parse(&d).map_err(|e| corrupt("event date", e))?,
        release,
        place: get(row, "place")?,
        description: get(row, "description")?,
        source_ids: source_pks
            .as_deref()
            .map(|s| {
                split(s)
                    .map(|k| k.parse().map_err(|e| corrupt("event source", e)))
                    .collect::<StoreResult<Vec<i64>>>()
            })
            .transpose()?
            .unwrap_or_default(),
    })
}

pub(crate) fn source(row: &SqliteRow) -> StoreResult<Source> {
    let kind: String = get(row, "kind")?;
    Ok(Source {
        id: get(row, "pk")?,
        url: get(row, "url")?,
        title: get(row, "title")?,
        publisher: get(row, "publisher")?,
        date: date(get(row, "date")?)?,
        kind: SourceKind::from_slug(&kind).ok_or_else(|| corrupt("source kind", &kind))?,
        confidential: get(row, "confidential")?,
    })
}

pub(crate) fn search_row(row: &SqliteRow) -> StoreResult<SearchRow> {
    let c: String = get(row, "country")?;
    let s: String = get(row, "status")?;
    Ok(SearchRow {
        key: get(row, "pk")?,
        id: get(row, "id")?,
        sort_key: get(row, "sort_key")?,
        search_text: get(row, "search_text")?,
        publish: get(row, "publish")?,
        country: country(&c)?,
        status: status(&s)?,
    })
}
