//! `/{lang}/persons` (list and search) and `/{lang}/persons/{id}` (the
//! case page).

use crate::error::WebError;
use crate::i18n::{Catalog, Lang};
use crate::locale::DateWords;
use crate::params::ListParams;
use crate::public::{
    PersonItem, PersonList, PublicCharge, PublicDetention, PublicEvent, PublicPerson, PublicSource,
    REGISTRY_LANG,
};
use crate::routes::page::{render, Base};
use crate::state::SharedState;
use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::Uri;
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use fluent_bundle::FluentValue;
use libres_core::statement::held_spells;
use libres_core::{CountryCode, PersonId, Status};

pub(crate) fn router() -> Router<SharedState> {
    Router::new()
        .route("/{lang}/persons", get(list))
        .route("/{lang}/persons/{id}", get(person))
}

/// An option of a filter select.
struct Choice<'a> {
    value: &'a str,
    label: &'a str,
    selected: bool,
}

#[derive(Template)]
#[template(path = "persons.html")]
struct ListView<'a> {
    t: &'a Catalog,
    b: Base,
    q: &'a str,
    countries: Vec<Choice<'a>>,
    statuses: Vec<Choice<'a>>,
    items: Vec<(PersonItem, Vec<String>)>,
    /// Other searches (text, link) when this one found nothing.
    suggestions: Vec<(String, String)>,
    results: String,
    page_label: String,
    prev: Option<String>,
    next: Option<String>,
}

/// What tells namesakes apart in a list row, in the reader's language:
/// birth year and latest arrest (the prison, registry text, is shown
/// apart).
fn row_details(t: &Catalog, p: &PersonItem) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(b) = &p.birth_date {
        let year = b.year().filter(|y| b.latest() / 10_000 == *y);
        let born = match year {
            Some(_) if !b.as_str().contains(['~', '?', '%']) => {
                t.span(crate::locale::Span::Year(b.earliest()))
            }
            _ => t.date(b).text,
        };
        out.push(t.fmt("list-born", &[("date", FluentValue::from(born))]));
    }
    if let Some(a) = &p.arrest_date {
        out.push(t.fmt(
            "list-arrested",
            &[("date", FluentValue::from(t.date(a).text))],
        ));
    }
    out
}

/// The published person whose id `q` is (`CU-0001650`, in any case),
/// if it is one.
async fn by_id(st: &SharedState, q: &str) -> Result<Option<PersonId>, WebError> {
    let q = q.trim();
    if q.is_empty() || q.contains(char::is_whitespace) || !q.contains('-') {
        return Ok(None);
    }
    let Ok(id) = PersonId::parse(&q.to_uppercase()) else {
        return Ok(None);
    };
    Ok(st.reads.get_published_person(&id).await?.map(|_| id))
}

async fn list(
    State(st): State<SharedState>,
    lang: Lang,
    uri: Uri,
    RawQuery(raw): RawQuery,
) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse as _;
    let params = ListParams::parse(raw.as_deref())?;
    // A search for a case's id goes straight to the case.
    if let Some(id) = match &params.q {
        Some(q) => by_id(&st, q).await?,
        None => None,
    } {
        let to = format!("/{}/persons/{}", lang.code(), id.as_str());
        return Ok(axum::response::Redirect::to(&to).into_response());
    }
    let page = PersonList::from_page(st.reads.search_persons(&params.to_query()).await?);
    // The country filter offers the countries the registry holds (from
    // the cached counts), plus the one asked for.
    let counts = st.status_counts().await?;
    let t = st.i18n.catalog(lang);
    let mut codes: Vec<CountryCode> = counts.iter().map(|c| c.country).collect();
    codes.extend(params.country);
    codes.sort();
    codes.dedup();
    let countries = codes
        .iter()
        .map(|c| Choice {
            value: c.as_str(),
            label: t.country(c),
            selected: params.country.as_ref() == Some(c),
        })
        .collect();
    let statuses = Status::ALL
        .iter()
        .map(|s| Choice {
            value: s.slug(),
            label: t.status(s),
            selected: params.status == Some(*s),
        })
        .collect();
    let pages = page.total.div_ceil(u64::from(params.per_page)).max(1);
    let here = u64::from(params.page);
    let link = |p: u32| format!("/{}/persons{}", lang.code(), params.query_string(p));
    // The language links keep the search as parsed, not as sent: only the
    // known parameters, each checked (so the query is bounded).
    let canonical = params.query_string(params.page);
    let suggestions = page
        .suggestions
        .iter()
        .map(|q| {
            let other = ListParams {
                q: Some(q.clone()),
                ..params.clone()
            };
            (
                q.clone(),
                format!("/{}/persons{}", lang.code(), other.query_string(1)),
            )
        })
        .collect();
    let view = ListView {
        t,
        b: Base::with_query(
            &st,
            lang,
            &uri,
            canonical.strip_prefix('?').filter(|q| !q.is_empty()),
        ),
        q: params.q.as_deref().unwrap_or(""),
        countries,
        statuses,
        results: t.count("list-results", "count", page.total),
        page_label: t.fmt(
            "list-page",
            &[("page", here.into()), ("pages", pages.into())],
        ),
        prev: (params.page > 1).then(|| link(params.page - 1)),
        next: (here < pages).then(|| link(params.page + 1)),
        items: page
            .items
            .into_iter()
            .map(|p| {
                let details = row_details(t, &p);
                (p, details)
            })
            .collect(),
        suggestions,
    };
    Ok(render(&view)?.into_response())
}

/// A detention as the case page shows it: its own heading, dates in
/// words, the sentence's length in the reader's language and its end, and
/// the time held.
struct DetentionItem<'a> {
    d: &'a PublicDetention,
    heading: String,
    arrest: Option<DateWords>,
    /// The length, from the months recorded, in the reader's language.
    length: Option<String>,
    /// When the sentence ends (or ended), from arrest and length.
    end: Option<(&'static str, String)>,
    /// Time held from this arrest, while it lasted or until today.
    served: Option<String>,
}

/// An event with its date in words.
struct EventItem<'a> {
    ev: &'a PublicEvent,
    date: DateWords,
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonView<'a> {
    t: &'a Catalog,
    b: Base,
    p: &'a PublicPerson,
    /// The language the registry's own text is written in.
    reg: &'static str,
    nationalities: String,
    birth: Option<DateWords>,
    age: Option<String>,
    held: Option<String>,
    last_verified: Option<DateWords>,
    lead: Vec<String>,
    detentions: Vec<DetentionItem<'a>>,
    events: Vec<EventItem<'a>>,
    source_dates: Vec<Option<DateWords>>,
}

impl PersonView<'_> {
    /// The source's address, if it is a web link. Anything else
    /// (`javascript:`, `data:`) is shown as text, never as a link.
    fn web_url<'s>(&self, s: &'s PublicSource) -> Option<&'s str> {
        s.url
            .as_deref()
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
    }

    /// Whether the English rendering of a charge is shown beside the
    /// Spanish legal term.
    fn charge_en(&self, c: &PublicCharge) -> Option<&'static str> {
        c.en.filter(|_| self.b.lang != Lang::Es)
    }
}

/// Whole years from one `yyyymmdd` day to another.
fn years(from: i64, to: i64) -> u32 {
    crate::locale::months_between(from, to) / 12
}

/// Age at the first arrest, as a range when the dates leave it open.
fn age_at_arrest(t: &Catalog, p: &PublicPerson) -> Option<String> {
    let birth = p.birth_date.as_ref()?;
    let arrest = p.detentions.iter().find_map(|d| d.arrest_date.as_ref())?;
    let (born_first, born_last) = birth.bounded_days()?;
    let (arrested_first, arrested_last) = arrest.bounded_days()?;
    let least = years(born_last, arrested_first);
    let most = years(born_first, arrested_last);
    Some(if least == most {
        t.count("age-years", "years", u64::from(least))
    } else {
        t.fmt(
            "age-between",
            &[
                ("from", FluentValue::from(t.number(least))),
                ("to", FluentValue::from(t.number(most))),
            ],
        )
    })
}

async fn person(
    State(st): State<SharedState>,
    lang: Lang,
    uri: Uri,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Html<String>, WebError> {
    let Ok(Path((_, raw_id))) = path else {
        return Err(WebError::NotFound);
    };
    // A malformed id cannot exist: same answer as an unknown one.
    let id = PersonId::parse(&raw_id).map_err(|_| WebError::NotFound)?;
    // Unknown and unpublished ids cost the same single lookup.
    let record = st
        .reads
        .get_published_person(&id)
        .await?
        .ok_or(WebError::NotFound)?;
    // Read from the record's timeline before it becomes the public view
    // (which keeps every event, only not every source).
    let spells = held_spells(&record.events);
    // Checked again: the last gate before the network.
    let p = PublicPerson::from_record(record).ok_or(WebError::NotFound)?;
    let t = st.i18n.catalog(lang);
    let today = st.clock.now().day();
    let nationalities = p
        .nationalities
        .iter()
        .map(|c| t.country(c))
        .collect::<Vec<_>>()
        .join(t.get("list-separator"));
    let held_months: u32 = spells
        .iter()
        .map(|s| crate::locale::months_between(s.from, s.to.unwrap_or(today)))
        .sum();
    let still_held = spells.last().is_some_and(|s| s.to.is_none());
    let held = (!spells.is_empty()).then(|| {
        let d = t.duration(held_months);
        if still_held {
            t.fmt("held-still", &[("duration", FluentValue::from(d))])
        } else {
            d
        }
    });
    let total = p.detentions.len();
    let detentions: Vec<DetentionItem<'_>> = p
        .detentions
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let heading = if total == 1 {
                t.get("det-heading-one").to_owned()
            } else {
                t.fmt(
                    "det-heading",
                    &[
                        ("n", FluentValue::from(i + 1)),
                        ("total", FluentValue::from(total)),
                    ],
                )
            };
            let arrested = d
                .arrest_date
                .as_ref()
                .and_then(libres_core::EdtfDate::bounded_days);
            let end = match (arrested, d.sentence_months) {
                (Some((first, last)), Some(m)) => {
                    let (from, to) = (
                        crate::locale::add_months(first, m),
                        crate::locale::add_months(last, m),
                    );
                    let label = if to < today {
                        "det-sentence-ended"
                    } else {
                        "det-sentence-end"
                    };
                    Some((label, t.span(crate::locale::span_of(from, to))))
                }
                _ => None,
            };
            // The spell that began with this arrest.
            let served = d.arrest_date.as_ref().and_then(|a| {
                let next = p
                    .detentions
                    .get(i + 1)
                    .and_then(|n| n.arrest_date.as_ref())
                    .map_or(i64::MAX, |n| n.earliest());
                spells
                    .iter()
                    .find(|s| s.from >= a.earliest() && s.from < next)
                    .map(|s| {
                        t.duration(crate::locale::months_between(s.from, s.to.unwrap_or(today)))
                    })
            });
            DetentionItem {
                d,
                heading,
                arrest: d.arrest_date.as_ref().map(|a| t.date(a)),
                length: d.sentence_months.map(|m| t.duration(m)),
                end,
                served,
            }
        })
        .collect();
    let last_verified = p
        .events
        .iter()
        .filter(|e| !e.source_ids.is_empty() || !e.verified_by.is_empty())
        .max_by(|a, b| a.date.chrono_cmp(&b.date))
        .map(|e| t.date(&e.date));
    // One line in the reader's language, from the structured fields.
    let mut lead = Vec::new();
    if let Some(a) = detentions.first().and_then(|d| d.arrest.as_ref()) {
        lead.push(format!("{}: {}", t.get("det-arrest-date"), a.text));
    }
    if let Some(l) = detentions.iter().rev().find_map(|d| d.length.as_ref()) {
        lead.push(format!("{}: {l}", t.get("det-sentence")));
    }
    if let Some(h) = &held {
        lead.push(format!("{}: {h}", t.get("person-time-held")));
    }
    let events = p
        .events
        .iter()
        .map(|ev| EventItem {
            ev,
            date: t.date(&ev.date),
        })
        .collect();
    let source_dates = p
        .sources
        .iter()
        .map(|s| s.date.as_ref().map(|d| t.date(d)))
        .collect();
    render(&PersonView {
        t,
        b: Base::new(&st, lang, &uri),
        p: &p,
        reg: REGISTRY_LANG,
        nationalities,
        birth: p.birth_date.as_ref().map(|d| t.date(d)),
        age: age_at_arrest(t, &p),
        held,
        last_verified,
        lead,
        detentions,
        events,
        source_dates,
    })
}
