//! `/{lang}/persons` (list and search) and `/{lang}/persons/{id}` (the
//! case page).

use crate::error::WebError;
use crate::i18n::{Catalog, Lang};
use crate::params::ListParams;
use crate::public::{
    PersonItem, PersonList, PublicCharge, PublicDetention, PublicPerson, PublicSource,
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
    items: Vec<PersonItem>,
    /// Other searches (text, link) when this one found nothing.
    suggestions: Vec<(String, String)>,
    results: String,
    page_label: String,
    prev: Option<String>,
    next: Option<String>,
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
        items: page.items,
        suggestions,
    };
    Ok(render(&view)?.into_response())
}

/// A detention with its sentence length spelled out when no sentence text
/// was recorded.
struct DetentionItem<'a> {
    d: &'a PublicDetention,
    months: Option<String>,
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonView<'a> {
    t: &'a Catalog,
    b: Base,
    p: &'a PublicPerson,
    nationalities: String,
    detentions: Vec<DetentionItem<'a>>,
}

impl PersonView<'_> {
    /// A charge as the groups publish it: the Spanish legal term, with the
    /// English rendering for readers of other languages.
    fn charge(&self, c: &PublicCharge) -> String {
        match (c.es, c.en) {
            (Some(es), Some(en)) if self.b.lang != Lang::Es => format!("{es} ({en})"),
            (Some(es), _) => es.to_owned(),
            _ => c.code.clone(),
        }
    }

    /// The source's address, if it is a web link. Anything else
    /// (`javascript:`, `data:`) is shown as text, never as a link.
    fn web_url<'s>(&self, s: &'s PublicSource) -> Option<&'s str> {
        s.url
            .as_deref()
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
    }
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
    // Checked again: the last gate before the network.
    let p = PublicPerson::from_record(record).ok_or(WebError::NotFound)?;
    let t = st.i18n.catalog(lang);
    let nationalities = p
        .nationalities
        .iter()
        .map(|c| t.country(c))
        .collect::<Vec<_>>()
        .join(t.get("list-separator"));
    let detentions = p
        .detentions
        .iter()
        .map(|d| DetentionItem {
            d,
            months: match (&d.sentence, d.sentence_months) {
                (None, Some(m)) => Some(t.count("det-sentence-months", "months", u64::from(m))),
                _ => None,
            },
        })
        .collect();
    render(&PersonView {
        t,
        b: Base::new(&st, lang, &uri),
        p: &p,
        nationalities,
        detentions,
    })
}
