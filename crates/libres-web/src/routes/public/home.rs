//! `/` (language redirect), `/{lang}` and the home page with the figures.

use super::announcements::{standings, AnnouncementItem};
use crate::error::WebError;
use crate::i18n::{Catalog, Lang};
use crate::routes::page::{render, Base};
use crate::state::SharedState;
use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use libres_core::{public_figures, CountryCode, Figure, Status};
use libres_store::StatusCount;

pub(crate) fn router() -> Router<SharedState> {
    Router::new()
        .route("/", get(root))
        .route("/{lang}", get(lang_root))
        .route("/{lang}/", get(home))
}

/// Sends the reader to the home page in the language their browser asks
/// for. `Vary` keeps caches from serving one reader's choice to another.
async fn root(headers: HeaderMap) -> Response {
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let lang = Lang::negotiate(accept);
    let mut res = Redirect::to(home_path(lang)).into_response();
    res.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("accept-language"));
    res
}

fn home_path(lang: Lang) -> &'static str {
    match lang {
        Lang::Es => "/es/",
        Lang::En => "/en/",
        Lang::Ar => "/ar/",
    }
}

/// `/es` → `/es/`, so a hand-typed address works.
async fn lang_root(lang: Lang) -> Redirect {
    Redirect::permanent(home_path(lang))
}

/// Counts of one country.
struct CountryRow {
    country: CountryCode,
    total: u64,
    statuses: Vec<(Status, u64)>,
}

/// A recent announcement on the home page: claimed against verified.
struct Latest {
    item: AnnouncementItem,
    verified: u64,
}

/// How many announcements the home page shows.
const LATEST: usize = 3;

#[derive(Template)]
#[template(path = "home.html")]
struct HomeView<'a> {
    t: &'a Catalog,
    b: Base,
    total: u64,
    /// Still deprived of liberty: in prison, under house arrest or
    /// disappeared (published persons, as every public figure).
    held: u64,
    as_of: String,
    by_country: Vec<CountryRow>,
    by_status: Vec<(Status, u64)>,
    latest: Vec<Latest>,
    /// How the announcements' figures count unpublished persons.
    small_cell: String,
}

async fn home(
    State(st): State<SharedState>,
    lang: Lang,
    uri: Uri,
) -> Result<Html<String>, WebError> {
    let counts = st.status_counts().await?;
    let (total, by_country, by_status) = tally(&counts);
    let held = by_status
        .iter()
        .filter(|(s, _)| s.is_held())
        .map(|(_, n)| n)
        .sum();
    let t = st.i18n.catalog(lang);
    let mut latest = Vec::new();
    for a in st.announcements.announcements(None, LATEST).await? {
        let people = standings(&st, &a).await?;
        let verified = public_figures(&people.people)
            .iter()
            .find(|c| c.figure == Figure::Verified)
            .map_or(0, |c| c.count());
        latest.push(Latest {
            item: AnnouncementItem::new(&a, t, lang),
            verified,
        });
    }
    // The day the figures were computed: a page is kept for one registry
    // version, and its figures with it.
    let today = st.clock.now().rfc3339();
    let as_of = t.fmt(
        "home-as-of",
        &[("date", today.get(..10).unwrap_or(&today).to_owned().into())],
    );
    render(&HomeView {
        t,
        b: Base::new(&st, lang, &uri),
        total,
        held,
        as_of,
        by_country,
        by_status,
        latest,
        small_cell: t.count("ann-small-cell", "k", libres_core::SMALL_CELL),
    })
}

/// Totals, per country (largest first) and per status (in the order of
/// [`Status::ALL`]), leaving out zeros.
fn tally(counts: &[StatusCount]) -> (u64, Vec<CountryRow>, Vec<(Status, u64)>) {
    let mut by_country: Vec<CountryRow> = Vec::new();
    let mut by_status: Vec<(Status, u64)> = Status::ALL.iter().map(|s| (*s, 0)).collect();
    for c in counts {
        let row = match by_country.iter_mut().position(|r| r.country == c.country) {
            Some(i) => &mut by_country[i],
            None => {
                by_country.push(CountryRow {
                    country: c.country,
                    total: 0,
                    statuses: Status::ALL.iter().map(|s| (*s, 0)).collect(),
                });
                let last = by_country.len() - 1;
                &mut by_country[last]
            }
        };
        row.total += c.count;
        for (s, n) in row.statuses.iter_mut().chain(by_status.iter_mut()) {
            if *s == c.status {
                *n += c.count;
            }
        }
    }
    for row in &mut by_country {
        row.statuses.retain(|(_, n)| *n > 0);
    }
    by_country.sort_by(|a, b| b.total.cmp(&a.total).then(a.country.cmp(&b.country)));
    by_status.retain(|(_, n)| *n > 0);
    let total = by_country.iter().map(|r| r.total).sum();
    (total, by_country, by_status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_summed_per_country_and_per_status() {
        let c = |cc: &str, status, count| StatusCount {
            country: CountryCode::parse(cc).unwrap(),
            status,
            count,
        };
        let counts = [
            c("VE", Status::Detained, 2),
            c("CU", Status::Detained, 5),
            c("CU", Status::ConditionalRelease, 3),
        ];
        let (total, countries, statuses) = tally(&counts);
        assert_eq!(total, 10);
        assert_eq!(countries[0].country.as_str(), "CU");
        assert_eq!(countries[0].total, 8);
        assert_eq!(
            countries[0].statuses,
            vec![(Status::Detained, 5), (Status::ConditionalRelease, 3)]
        );
        assert_eq!(
            statuses,
            vec![(Status::Detained, 7), (Status::ConditionalRelease, 3)]
        );
    }
}
