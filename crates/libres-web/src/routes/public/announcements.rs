//! `/{lang}/announcements` (the newest), `/{lang}/announcements/{id}`
//! (one announcement: the claim, set against the persons verified name by
//! name) and `/{lang}/announcements/{id}/{figure}` (the names behind one
//! figure).
//!
//! The claimed count is the government's and stands alone; every other
//! figure counts persons on the registry (see [`libres_core::Figure`]).
//! Unpublished persons are counted in every figure and never named: the
//! names page says how many it leaves out, and why.

use crate::error::WebError;
use crate::i18n::{Catalog, Lang};
use crate::public::{Named, Standings};
use crate::routes::page::{render, Base};
use crate::state::SharedState;
use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use libres_core::{public_figures, Announcement, CountryCode, Figure, Standing, SMALL_CELL};

pub(crate) fn router() -> Router<SharedState> {
    Router::new()
        .route("/{lang}/announcements", get(list))
        .route("/{lang}/announcements/{id}", get(page))
        .route("/{lang}/announcements/{id}/{figure}", get(names))
}

/// How many announcements the list shows.
const LIST_LIMIT: usize = 100;

/// One announcement as a list or a page shows it, in the reader's
/// language.
pub(crate) struct AnnouncementItem {
    pub id: i64,
    pub title: String,
    /// The language of `title` and `body` when it is not the page's.
    pub fallback: Option<&'static str>,
    pub body: String,
    pub country: String,
    pub date: String,
    pub issuer: String,
    pub issuer_kind: String,
    pub claim_kind: String,
    /// The claimed number, as a figure.
    pub claimed: Option<u32>,
    /// The claim in its own words.
    pub claimed_words: Option<String>,
}

impl AnnouncementItem {
    pub(crate) fn new(a: &Announcement, t: &Catalog, lang: Lang) -> AnnouncementItem {
        let (title, body, fallback) = match a.text_in(lang.code()) {
            Some((text, own)) => (
                text.title.clone(),
                text.body.clone(),
                (!own).then(|| Lang::from_code(&text.lang).map_or("und", Lang::code)),
            ),
            None => (String::new(), String::new(), None),
        };
        AnnouncementItem {
            id: a.id,
            title,
            fallback,
            body,
            country: t.country(&a.country).to_owned(),
            date: a.date.to_string(),
            issuer: a.issuer.clone(),
            issuer_kind: t
                .get(&format!("issuer-{}", a.issuer_kind.slug()))
                .to_owned(),
            claim_kind: t.get(&format!("claim-{}", a.claim.slug())).to_owned(),
            claimed: a.claimed,
            claimed_words: a.claimed_words.clone(),
        }
    }
}

/// A line of the list: an announcement and, on a country's page, its
/// verified releases.
struct ListItem {
    a: AnnouncementItem,
    verified: Option<u64>,
}

/// A country the list can be narrowed to.
struct CountryLink {
    code: String,
    name: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "announcements.html")]
struct ListView<'a> {
    t: &'a Catalog,
    b: Base,
    items: Vec<ListItem>,
    countries: Vec<CountryLink>,
    /// On a country's page: the numbers claimed, summed, and the verified
    /// releases, summed over its announcements.
    totals: Option<(u64, u64)>,
    /// On a country's page: its persons held over time.
    chart: Option<super::held::HeldChart>,
    /// On a country's page: the unplaced releases' sentence.
    unplaced: String,
}

/// `?country=` of the list.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    country: String,
}

async fn list(
    State(st): State<SharedState>,
    lang: Lang,
    uri: Uri,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse as _;
    let t = st.i18n.catalog(lang);
    let asked = query.map(|Query(q)| q.country).unwrap_or_default();
    let country = match asked.trim() {
        "" => None,
        c => Some(CountryCode::parse(c).map_err(|_| WebError::NotFound)?),
    };
    let all = st.announcements.announcements(None, LIST_LIMIT).await?;
    let mut codes: Vec<CountryCode> = all.iter().map(|a| a.country).collect();
    codes.extend(country);
    codes.sort();
    codes.dedup();
    let countries = codes
        .iter()
        .map(|c| CountryLink {
            code: c.as_str().to_owned(),
            name: t.country(c).to_owned(),
            current: country.as_ref() == Some(c),
        })
        .collect();
    let mut items = Vec::new();
    let mut totals = country.map(|_| (0u64, 0u64));
    // A country's page reads its own announcements, however old.
    let shown = match country {
        None => all,
        Some(c) => st.announcements.announcements(Some(&c), LIST_LIMIT).await?,
    };
    for a in &shown {
        // The verified releases are read on a country's page only: the
        // whole list would read every person of every announcement.
        let verified = match country {
            None => None,
            Some(_) => {
                let people = standings(&st, a).await?;
                Some(
                    public_figures(&people.people)
                        .iter()
                        .find(|f| f.figure == Figure::Verified)
                        .map_or(0, |f| f.count()),
                )
            }
        };
        if let (Some((claimed, sum)), Some(v)) = (totals.as_mut(), verified) {
            *claimed += a.claimed.map_or(0, u64::from);
            *sum += v;
        }
        items.push(ListItem {
            a: AnnouncementItem::new(a, t, lang),
            verified,
        });
    }
    let chart = match country {
        Some(c) => super::held::chart(&st, &c, &shown, lang).await?,
        None => None,
    };
    let unplaced = chart
        .as_ref()
        .map(|c| t.count("held-unplaced", "n", c.unplaced))
        .unwrap_or_default();
    let dated = chart.is_some();
    let page = render(&ListView {
        t,
        b: Base::new(&st, lang, &uri),
        items,
        countries,
        totals,
        chart,
        unplaced,
    })?;
    // The chart ends at this month: a page kept for the registry version
    // would keep last month's chart when nothing is written for a while.
    // Its figures are kept per version and month instead (see `held`).
    Ok(if dated {
        (
            [(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            )],
            page,
        )
            .into_response()
    } else {
        page.into_response()
    })
}

/// A figure as the page shows it: its name, count, and the page of the
/// names behind it.
struct FigureRow {
    label: String,
    count: u64,
    href: String,
    /// Indented under "verified".
    part_of_verified: bool,
}

/// A bar of the chart: its label, count and length (0–100).
struct Bar {
    label: String,
    count: u64,
    width: u64,
    claimed: bool,
}

#[derive(Template)]
#[template(path = "announcement.html")]
struct PageView<'a> {
    t: &'a Catalog,
    b: Base,
    a: AnnouncementItem,
    figures: Vec<FigureRow>,
    bars: Vec<Bar>,
    claimed_label: String,
    small_cell: String,
    /// More releases were verified than were claimed: allowed, and said.
    more_than_claimed: bool,
    /// Names on the announced list.
    list_names: u64,
    /// Of those, confirmed as registry persons (published, and the others
    /// in groups).
    matched: u64,
}

/// The announcement `raw` of a path, or a 404.
async fn stored(st: &SharedState, raw: &str) -> Result<Announcement, WebError> {
    let id = match raw.parse::<i64>() {
        Ok(n) if n > 0 => n,
        _ => return Err(WebError::NotFound),
    };
    st.announcements
        .announcement(id)
        .await?
        .ok_or(WebError::NotFound)
}

/// Every person an announcement's figures count, and where they stand:
/// the published ones with their id and name, the others as `None`
/// (counted, never named; see [`libres_core::public_figures`]). Kept
/// per registry version: a page asked with any query string (which the
/// page cache keys apart) costs one read of every linked person once,
/// not once per request.
pub(crate) async fn standings(st: &SharedState, a: &Announcement) -> Result<Standings, WebError> {
    let version = st.reads.version().await?;
    if let Some(hit) = st.announced.get(version, &a.id) {
        return Ok(hit);
    }
    let list = st.announcements.announcement_list(a.id).await?;
    let mut matched = Vec::with_capacity(list.confirmed.len());
    for id in list.confirmed {
        // Unknown and unpublished persons cost the same lookup.
        matched.push(st.reads.get_published_person(&id).await?.map(|r| Named {
            name: r.person.full_name(),
            status: r.status,
            id,
        }));
    }
    let people = std::sync::Arc::new(crate::public::Announced {
        people: read_standings(st, a).await?,
        list_names: list.names,
        matched,
    });
    st.announced
        .put(version, a.id, std::sync::Arc::clone(&people));
    Ok(people)
}

async fn read_standings(
    st: &SharedState,
    a: &Announcement,
) -> Result<Vec<(Option<Named>, Standing)>, WebError> {
    let ids = st.announcements.announcement_persons(a.id).await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        // Read whole to count; only a published person leaves here.
        let Some(r) = st.reads.get_person(&id).await? else {
            continue;
        };
        // Judged on what the public may see: a release backed only by a
        // confidential source counts as unverified here, so that no figure
        // tells of a source the case page does not show.
        let secret: Vec<i64> = r
            .sources
            .iter()
            .filter(|s| s.confidential)
            .map(|s| s.id)
            .collect();
        let events: Vec<libres_core::Event> = r
            .events
            .iter()
            .map(|e| e.without_sources(|k| !secret.contains(&k)))
            .collect();
        let standing = Standing::of(a.id, r.status, &events);
        let named = r.person.publish.then(|| Named {
            name: r.person.full_name(),
            status: r.status,
            id,
        });
        out.push((named, standing));
    }
    Ok(out)
}

async fn page(
    State(st): State<SharedState>,
    lang: Lang,
    uri: Uri,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Html<String>, WebError> {
    let Ok(Path((_, raw))) = path else {
        return Err(WebError::NotFound);
    };
    let a = stored(&st, &raw).await?;
    let t = st.i18n.catalog(lang);
    let people = standings(&st, &a).await?;
    let counts = public_figures(&people.people);
    let (matched_named, matched_unnamed) = people.matched();
    let matched = matched_named.len() as u64 + matched_unnamed;
    let list_names = people.list_names;
    let figure_rows = counts
        .iter()
        .map(|c| FigureRow {
            label: t.get(&format!("figure-{}", c.figure.slug())).to_owned(),
            count: c.count(),
            href: format!(
                "/{}/announcements/{}/{}",
                lang.code(),
                a.id,
                c.figure.slug()
            ),
            part_of_verified: !matches!(
                c.figure,
                Figure::Named | Figure::Verified | Figure::Unverified
            ),
        })
        .collect();
    let count_of = |f: Figure| {
        counts
            .iter()
            .find(|c| c.figure == f)
            .map_or(0, |c| c.count())
    };
    let mut bars = Vec::new();
    let top = a
        .claimed
        .map(u64::from)
        .unwrap_or(0)
        .max(count_of(Figure::Named))
        .max(1);
    if let Some(c) = a.claimed {
        bars.push(Bar {
            label: t.get("ann-bar-claimed").to_owned(),
            count: u64::from(c),
            width: u64::from(c) * 100 / top,
            claimed: true,
        });
    }
    for f in [Figure::Named, Figure::Verified, Figure::StillHeld] {
        let n = count_of(f);
        bars.push(Bar {
            label: t.get(&format!("figure-{}", f.slug())).to_owned(),
            count: n,
            width: n * 100 / top,
            claimed: false,
        });
    }
    let more_than_claimed = a
        .claimed
        .is_some_and(|c| count_of(Figure::Verified) > u64::from(c));
    let claimed_label = match (a.claimed, &a.claimed_words) {
        (Some(n), _) => n.to_string(),
        (None, Some(w)) => w.clone(),
        (None, None) => t.get("ann-claim-none").to_owned(),
    };
    render(&PageView {
        t,
        b: Base::new(&st, lang, &uri),
        a: AnnouncementItem::new(&a, t, lang),
        figures: figure_rows,
        bars,
        claimed_label,
        small_cell: t.count("ann-small-cell", "k", SMALL_CELL),
        more_than_claimed,
        list_names,
        matched,
    })
}

/// A named person behind a figure.
struct NameRow {
    id: String,
    name: String,
    status: String,
}

#[derive(Template)]
#[template(path = "announcement_names.html")]
struct NamesView<'a> {
    t: &'a Catalog,
    b: Base,
    a: AnnouncementItem,
    figure: String,
    rows: Vec<NameRow>,
    unnamed: String,
    total: String,
    small_cell: String,
}

async fn names(
    State(st): State<SharedState>,
    lang: Lang,
    uri: Uri,
    path: Result<Path<(String, String, String)>, PathRejection>,
) -> Result<Html<String>, WebError> {
    let Ok(Path((_, raw, slug))) = path else {
        return Err(WebError::NotFound);
    };
    let figure = match slug.as_str() {
        "matched" => None,
        other => Some(Figure::from_slug(other).ok_or(WebError::NotFound)?),
    };
    let a = stored(&st, &raw).await?;
    let t = st.i18n.catalog(lang);
    let people = standings(&st, &a).await?;
    let counts = public_figures(&people.people);
    let (named, unnamed): (Vec<&Named>, u64) = match figure {
        None => people.matched(),
        Some(f) => {
            let Some(shown) = counts.iter().find(|c| c.figure == f) else {
                return Err(WebError::NotFound);
            };
            (shown.named.clone(), shown.unnamed)
        }
    };
    let total = named.len() as u64 + unnamed;
    let rows = named
        .iter()
        .map(|n| NameRow {
            id: n.id.to_string(),
            name: n.name.clone(),
            status: t.status(&n.status).to_owned(),
        })
        .collect();
    render(&NamesView {
        t,
        b: Base::new(&st, lang, &uri),
        a: AnnouncementItem::new(&a, t, lang),
        figure: match figure {
            Some(f) => t.get(&format!("figure-{}", f.slug())).to_owned(),
            None => t.get("figure-matched").to_owned(),
        },
        rows,
        unnamed: if unnamed > 0 {
            t.count("ann-unnamed", "count", unnamed)
        } else {
            String::new()
        },
        small_cell: t.count("ann-small-cell", "k", SMALL_CELL),
        total: t.count("list-results", "count", total),
    })
}
