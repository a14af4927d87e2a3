//! A country's figures and its monthly reports:
//!
//! - `/{lang}/countries/{cc}`: who is deprived of liberty now, broken
//!   down by status, province, prison, sex, age at arrest, nationality and
//!   court; the entries and exits of the last twelve months with their
//!   reasons; links to the monthly reports;
//! - `/{lang}/countries/{cc}/{yyyy-mm}`: the report of one month, in the
//!   manner of the lists the groups publish: totals, new cases, releases by
//!   kind, deaths and health alerts, each chart with its table. It prints
//!   as a document (the stylesheet's print rules).
//!
//! The counting rules are [`libres_core::figures`]'s. Charts are SVG drawn
//! here, mirrored in right-to-left pages; every chart has a table of the
//! same figures beside it, which is what screen readers read.

use crate::error::WebError;
use crate::i18n::{Catalog, Lang};
use crate::routes::page::{render, Base};
use crate::state::SharedState;
use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use fluent_bundle::FluentValue;
use libres_core::figures::{self, CountryCase, CourtKind, Flow, MonthReport, Named};
use libres_core::held::Month;
use libres_core::{CountryCode, EventKind};
use std::sync::Arc;

pub(crate) fn router() -> Router<SharedState> {
    Router::new()
        .route("/{lang}/countries/{cc}", get(country))
        .route("/{lang}/countries/{cc}/{month}", get(report_or_feed))
}

/// A country's published cases, kept per registry version.
pub(crate) type CasesCache = crate::public::VersionCache<CountryCode, Arc<Vec<CountryCase>>>;

/// Months of entries and exits on a country's page, the current one last.
const FLOW_MONTHS: u32 = 12;

/// The drawing's width, in SVG units.
const WIDTH: u64 = 640;
/// Where bars start (left-to-right) and their longest length.
const BAR_START: u64 = 236;
const BAR_MAX: u64 = 340;
/// The height of a bar's row.
const ROW: u64 = 22;
/// Labels longer than this are cut in the drawing (never in the table).
const LABEL_CHARS: usize = 30;

/// One bar of a horizontal bar chart, placed.
pub(crate) struct HBar {
    pub label: String,
    pub label_x: u64,
    pub y: u64,
    pub bar_x: u64,
    pub width: u64,
    pub value: String,
    pub value_x: u64,
    pub text_y: u64,
}

/// A horizontal bar chart and the rows of its table.
pub(crate) struct Bars {
    pub height: u64,
    pub bars: Vec<HBar>,
    pub rows: Vec<(String, String)>,
}

/// Lays out `items` (label, count) as bars, mirrored in right-to-left
/// pages. Every text is anchored at its start, which a right-to-left
/// page's direction puts on the right.
fn bars(t: &Catalog, items: &[(String, u64)], rtl: bool) -> Bars {
    let max = items.iter().map(|i| i.1).max().unwrap_or(0).max(1);
    let bars = items
        .iter()
        .enumerate()
        .map(|(i, (label, n))| {
            let width = (n * BAR_MAX / max).max(u64::from(*n > 0));
            let y = 4 + ROW * i as u64;
            let cut: String = if label.chars().count() > LABEL_CHARS {
                let mut s: String = label.chars().take(LABEL_CHARS - 1).collect();
                s.push('…');
                s
            } else {
                label.clone()
            };
            let (label_x, bar_x, value_x) = if rtl {
                (
                    WIDTH - 4,
                    WIDTH - BAR_START - width,
                    WIDTH - BAR_START - width - 4,
                )
            } else {
                (4, BAR_START, BAR_START + width + 4)
            };
            HBar {
                label: cut,
                label_x,
                y,
                bar_x,
                width,
                value: t.number(i64::try_from(*n).unwrap_or(i64::MAX)),
                value_x,
                text_y: y + 15,
            }
        })
        .collect();
    Bars {
        height: 8 + ROW * items.len() as u64,
        bars,
        rows: items
            .iter()
            .map(|(l, n)| (l.clone(), t.number(i64::try_from(*n).unwrap_or(i64::MAX))))
            .collect(),
    }
}

/// A breakdown as a titled chart.
pub(crate) struct Section {
    pub id: &'static str,
    pub title: String,
    pub chart: Bars,
}

/// One month of the entries and exits chart.
pub(crate) struct FlowBar {
    pub x_in: u64,
    pub x_out: u64,
    pub width: u64,
    pub in_y: u64,
    pub in_h: u64,
    pub out_h: u64,
}

/// A row of the entries and exits table.
pub(crate) struct FlowRow {
    pub month: String,
    pub href: String,
    pub entries: String,
    pub exits: String,
    pub reasons: String,
}

/// The entries and exits chart: entries above the axis, exits below.
pub(crate) struct FlowChart {
    pub bars: Vec<FlowBar>,
    pub axis_y: u64,
    pub rows: Vec<FlowRow>,
    pub start_x: u64,
    pub end_x: u64,
    pub first: String,
    pub last: String,
    pub unplaced: String,
}

const FLOW_AXIS: u64 = 100;
const FLOW_HALF: u64 = 84;

/// The words of one reason of an exit.
fn exit_label(t: &Catalog, kind: EventKind, release: Option<libres_core::ReleaseKind>) -> String {
    match release {
        Some(r) => t.release_kind(&r).to_owned(),
        None => t.event_kind(&kind).to_owned(),
    }
}

fn flow_chart(
    t: &Catalog,
    lang: Lang,
    cc: &CountryCode,
    flows: &[Flow],
    unplaced: u64,
) -> FlowChart {
    let rtl = lang.dir() == "rtl";
    let n = flows.len().max(1) as u64;
    let step = (WIDTH - 16) / n;
    let width = (step / 3).max(1);
    let max = flows
        .iter()
        .map(|f| f.entries_total().max(f.exits_total()))
        .max()
        .unwrap_or(0)
        .max(1);
    let x = |i: usize| {
        let ltr = 8 + step * i as u64 + step / 2;
        if rtl {
            WIDTH - ltr
        } else {
            ltr
        }
    };
    let bars = flows
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let in_h = f.entries_total() * FLOW_HALF / max;
            let out_h = f.exits_total() * FLOW_HALF / max;
            FlowBar {
                x_in: x(i) - width,
                x_out: x(i),
                width,
                in_y: FLOW_AXIS - in_h,
                in_h,
                out_h,
            }
        })
        .collect();
    let rows = flows
        .iter()
        .map(|f| {
            let mut reasons: Vec<String> = f
                .entries
                .iter()
                .map(|(k, v, u)| {
                    format!(
                        "+{} {}",
                        t.number(i64::try_from(v + u).unwrap_or(0)),
                        t.event_kind(k)
                    )
                })
                .collect();
            reasons.extend(f.exits.iter().map(|(k, r, v, u)| {
                format!(
                    "−{} {}",
                    t.number(i64::try_from(v + u).unwrap_or(0)),
                    exit_label(t, *k, *r)
                )
            }));
            FlowRow {
                month: t.span(crate::locale::Span::Month(month_day(f.month))),
                href: format!(
                    "/{}/countries/{}/{}",
                    lang.code(),
                    cc.as_str(),
                    f.month.iso()
                ),
                entries: t.number(i64::try_from(f.entries_total()).unwrap_or(0)),
                exits: t.number(i64::try_from(f.exits_total()).unwrap_or(0)),
                reasons: reasons.join(t.get("list-separator")),
            }
        })
        .collect();
    let (start_x, end_x) = if rtl { (WIDTH - 4, 4) } else { (4, WIDTH - 4) };
    FlowChart {
        bars,
        axis_y: FLOW_AXIS,
        rows,
        start_x,
        end_x,
        first: flows
            .first()
            .map(|f| t.span(crate::locale::Span::Month(month_day(f.month))))
            .unwrap_or_default(),
        last: flows
            .last()
            .map(|f| t.span(crate::locale::Span::Month(month_day(f.month))))
            .unwrap_or_default(),
        unplaced: t.number(i64::try_from(unplaced).unwrap_or(0)),
    }
}

/// The first day of a month, as `yyyymmdd`.
fn month_day(m: Month) -> i64 {
    m.days().0
}

/// This month, by the server's clock.
pub(crate) fn this_month(st: &SharedState) -> Month {
    Month::of_day(st.clock.now().day())
}

/// The country of the path, if the registry has published persons there.
async fn known_country(st: &SharedState, raw: &str) -> Result<CountryCode, WebError> {
    let cc = CountryCode::parse(&raw.to_uppercase()).map_err(|_| WebError::NotFound)?;
    let counts = st.status_counts().await?;
    if counts.iter().any(|c| c.country == cc && c.count > 0) {
        Ok(cc)
    } else {
        Err(WebError::NotFound)
    }
}

/// The published cases of `cc`, from the cache when the registry has not
/// moved.
async fn cases(st: &SharedState, cc: &CountryCode) -> Result<Arc<Vec<CountryCase>>, WebError> {
    let version = st.reads.version().await?;
    if let Some(hit) = st.cases.get(version, cc) {
        return Ok(hit);
    }
    let read = Arc::new(st.announcements.country_cases(cc).await?);
    st.cases.put(version, *cc, Arc::clone(&read));
    Ok(read)
}

#[derive(Template)]
#[template(path = "country.html")]
struct CountryView<'a> {
    t: &'a Catalog,
    b: Base,
    cc: CountryCode,
    name: &'a str,
    held: String,
    sections: Vec<Section>,
    flow: FlowChart,
    months: Vec<(String, String)>,
}

async fn country(
    State(st): State<SharedState>,
    lang: Lang,
    uri: Uri,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Html<String>, WebError> {
    let Ok(Path((_, raw))) = path else {
        return Err(WebError::NotFound);
    };
    let cc = known_country(&st, &raw).await?;
    let all = cases(&st, &cc).await?;
    let t = st.i18n.catalog(lang);
    let rtl = lang.dir() == "rtl";
    let b = figures::breakdown(&all);
    let unknown = t.get("fig-not-recorded");
    let text_or = |v: &Option<String>| v.clone().unwrap_or_else(|| unknown.to_owned());
    // A breakdown as a titled chart.
    let section = |id: &'static str, title: &str, items: Vec<(String, u64)>| Section {
        id,
        title: t.get(title).to_owned(),
        chart: bars(t, &items, rtl),
    };
    let labelled = |rows: &[(Option<String>, u64)]| -> Vec<(String, u64)> {
        rows.iter().map(|(v, n)| (text_or(v), *n)).collect()
    };
    let mut sections = vec![
        section(
            "status",
            "fig-by-status",
            b.by_status
                .iter()
                .map(|(s, n)| (t.status(s).to_owned(), *n))
                .collect(),
        ),
        section("province", "fig-by-province", labelled(&b.by_province)),
        section("prison", "fig-by-prison", labelled(&b.by_prison)),
        section(
            "sex",
            "fig-by-sex",
            b.by_sex
                .iter()
                .map(|(s, n)| {
                    let label = match s {
                        Some(s) => t.get(&format!("sex-{}", s.slug())).to_owned(),
                        None => unknown.to_owned(),
                    };
                    (label, *n)
                })
                .collect(),
        ),
        section(
            "minors",
            "fig-minors",
            vec![
                (t.get("fig-minor-yes").to_owned(), b.minors.0),
                (t.get("fig-minor-no").to_owned(), b.minors.1),
                (t.get("fig-minor-unknown").to_owned(), b.minors.2),
            ],
        ),
        section(
            "nationality",
            "fig-nationality",
            vec![
                (t.get("fig-foreigners").to_owned(), b.foreigners.0),
                (t.get("fig-nationals").to_owned(), b.foreigners.1),
                (unknown.to_owned(), b.foreigners.2),
            ],
        ),
    ];
    if !b.by_nationality.is_empty() {
        sections.push(section(
            "foreigners",
            "fig-foreigners-by-nationality",
            b.by_nationality
                .iter()
                .map(|(c, n)| (t.country(c).to_owned(), *n))
                .collect(),
        ));
    }
    sections.push(section(
        "court",
        "fig-by-court",
        b.by_court
            .iter()
            .map(|(k, n)| {
                let label = match k {
                    CourtKind::Military => t.get("fig-court-military"),
                    CourtKind::Ordinary => t.get("fig-court-ordinary"),
                    CourtKind::Unknown => t.get("fig-court-unknown"),
                };
                (label.to_owned(), *n)
            })
            .collect(),
    ));
    let to = this_month(&st);
    let (flows, unplaced) = figures::flows(&all, to.back(FLOW_MONTHS - 1), to);
    let flow = flow_chart(t, lang, &cc, &flows, unplaced);
    let months = flow
        .rows
        .iter()
        .rev()
        .map(|r| (r.month.clone(), r.href.clone()))
        .collect();
    render(&CountryView {
        t,
        b: Base::new(&st, lang, &uri),
        cc,
        name: t.country(&cc),
        held: t.count("fig-held-now", "count", b.held),
        sections,
        flow,
        months,
    })
}

/// A named person of a report, for the page.
pub(crate) struct NamedRow {
    pub id: String,
    pub name: String,
    pub date: crate::locale::DateWords,
    pub verified: bool,
}

fn named_rows(t: &Catalog, list: &[Named]) -> Vec<NamedRow> {
    list.iter()
        .map(|n| NamedRow {
            id: n.id.to_string(),
            name: n.name.clone(),
            date: t.date(&n.date),
            verified: n.verified,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportView<'a> {
    t: &'a Catalog,
    b: Base,
    cc: CountryCode,
    name: &'a str,
    title: String,
    held_at_end: String,
    change: String,
    entries: String,
    exits: String,
    exits_chart: Bars,
    entries_chart: Bars,
    /// New cases, deaths, health alerts: heading, count, names.
    lists: Vec<(&'a str, String, Vec<NamedRow>)>,
    unplaced: String,
    prev: Option<String>,
    next: Option<String>,
}

/// Entries a feed carries, newest first.
const FEED_ENTRIES: usize = 50;

/// One entry of an Atom feed.
pub(crate) struct FeedEntry {
    pub id: String,
    pub title: String,
    pub updated: String,
    pub href: String,
    pub summary: String,
}

#[derive(Template)]
#[template(path = "feed.xml")]
struct FeedView {
    lang: &'static str,
    id: String,
    title: String,
    updated: String,
    self_path: String,
    page_path: String,
    entries: Vec<FeedEntry>,
}

/// The Atom form of a `yyyymmdd` day (a feed needs a time: midnight UTC).
fn atom_time(ymd: i64) -> String {
    // RFC 3339 has four-digit years only.
    let ymd = ymd.clamp(10_101, 99_991_231);
    let (y, m, d) = (ymd / 10_000, ymd / 100 % 100, ymd % 100);
    format!("{y:04}-{m:02}-{d:02}T00:00:00Z")
}

/// The feeds of a country, each at `/{lang}/countries/{cc}/{name}.atom`:
/// `cases` (first arrests, the newest cases) and `changes` (every event
/// that moves a person in or out of custody, exile or death), newest
/// first, by the earliest day their dates allow; unverified ones say so.
async fn feed(
    st: &SharedState,
    lang: Lang,
    cc: CountryCode,
    which: &str,
) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse as _;
    let all = cases(st, &cc).await?;
    let t = st.i18n.catalog(lang);
    let changes = which == "changes";
    // Each event with its number among the person's events of its kind
    // (the first arrest, the second release): an entry's id stays when a
    // researcher refines a date.
    let mut picked: Vec<(&CountryCase, &libres_core::held::Dated, usize)> = Vec::new();
    let nth = |c: &CountryCase, d: &libres_core::held::Dated| {
        c.events
            .iter()
            .filter(|o| o.event.kind == d.event.kind)
            .position(|o| std::ptr::eq(o, d))
            .map_or(1, |i| i + 1)
    };
    for c in all.iter() {
        if changes {
            picked.extend(
                c.events
                    .iter()
                    .filter(|d| d.event.kind.changes_status())
                    .map(|d| (c, d, nth(c, d))),
            );
        } else if let Some(d) = c
            .events
            .iter()
            .filter(|d| d.event.kind == EventKind::Arrest)
            .min_by(|a, b| a.event.date.chrono_cmp(&b.event.date))
        {
            picked.push((c, d, nth(c, d)));
        }
    }
    // Dates without a lower bound cannot be placed: left out.
    picked.retain(|(_, d, _)| d.event.date.earliest_day().is_some());
    picked.sort_by(|a, b| {
        b.1.event
            .date
            .chrono_cmp(&a.1.event.date)
            .then_with(|| a.0.id.cmp(&b.0.id))
    });
    picked.truncate(FEED_ENTRIES);
    let l = lang.code();
    let entries: Vec<FeedEntry> = picked
        .iter()
        .map(|(c, d, n)| {
            let e = &d.event;
            let what = match &e.release {
                Some(r) => t.release_kind(&r.kind).to_owned(),
                None => t.event_kind(&e.kind).to_owned(),
            };
            let when = t.date(&e.date).text;
            let mut summary = format!(
                "{what}: {when}. {}: {}.",
                t.get("person-status"),
                t.status(&c.status)
            );
            if !d.backed {
                summary.push(' ');
                summary.push_str(t.get("event-unverified"));
            }
            FeedEntry {
                id: format!("urn:libres:{}:{}:{n}", c.id.as_str(), e.kind.slug()),
                title: format!("{} — {what} ({when})", c.name),
                updated: atom_time(e.date.earliest()),
                href: format!("/{l}/persons/{}", c.id.as_str()),
                summary,
            }
        })
        .collect();
    let name = t.country(&cc);
    let title_id = if changes {
        "feed-changes"
    } else {
        "feed-cases"
    };
    let view = FeedView {
        lang: l,
        id: format!("urn:libres:feed:{}:{which}:{l}", cc.as_str()),
        title: t.fmt(title_id, &[("country", FluentValue::from(name))]),
        updated: entries
            .first()
            .map(|e| e.updated.clone())
            .unwrap_or_else(|| atom_time(st.clock.now().day())),
        self_path: format!("/{l}/countries/{}/{which}.atom", cc.as_str()),
        page_path: format!("/{l}/countries/{}", cc.as_str()),
        entries,
    };
    let body = view.render()?;
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "application/atom+xml; charset=utf-8",
        )],
        body,
    )
        .into_response())
}

async fn report_or_feed(
    State(st): State<SharedState>,
    lang: Lang,
    uri: Uri,
    path: Result<Path<(String, String, String)>, PathRejection>,
) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse as _;
    let Ok(Path((l, raw, last))) = path else {
        return Err(WebError::NotFound);
    };
    if let Some(which) = last.strip_suffix(".atom") {
        if which == "cases" || which == "changes" {
            let cc = known_country(&st, &raw).await?;
            return feed(&st, lang, cc, which).await;
        }
        return Err(WebError::NotFound);
    }
    Ok(report(State(st), lang, uri, Ok(Path((l, raw, last))))
        .await?
        .into_response())
}

/// `2025-01` as a month, if it is one.
fn parse_month(raw: &str) -> Option<Month> {
    let (y, m) = raw.split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let (year, month) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
    (1900..=9999).contains(&year).then_some(())?;
    (1..=12).contains(&month).then_some(Month { year, month })
}

async fn report(
    State(st): State<SharedState>,
    lang: Lang,
    uri: Uri,
    path: Result<Path<(String, String, String)>, PathRejection>,
) -> Result<Html<String>, WebError> {
    let Ok(Path((_, raw, raw_month))) = path else {
        return Err(WebError::NotFound);
    };
    let month = parse_month(&raw_month).ok_or(WebError::NotFound)?;
    let now = this_month(&st);
    if month > now {
        return Err(WebError::NotFound);
    }
    let cc = known_country(&st, &raw).await?;
    let all = cases(&st, &cc).await?;
    let t = st.i18n.catalog(lang);
    let rtl = lang.dir() == "rtl";
    let r: MonthReport = figures::month_report(&all, month);
    let month_words = t.span(crate::locale::Span::Month(month_day(month)));
    let n = |v: u64| t.number(i64::try_from(v).unwrap_or(i64::MAX));
    let change =
        i64::try_from(r.held_at_end).unwrap_or(0) - i64::try_from(r.held_before).unwrap_or(0);
    let change = if change > 0 {
        format!("+{}", t.number(change))
    } else {
        t.number(change)
    };
    let exits_chart = bars(
        t,
        &r.flow
            .exits
            .iter()
            .map(|(k, rk, v, u)| (exit_label(t, *k, *rk), v + u))
            .collect::<Vec<_>>(),
        rtl,
    );
    let entries_chart = bars(
        t,
        &r.flow
            .entries
            .iter()
            .map(|(k, v, u)| (t.event_kind(k).to_owned(), v + u))
            .collect::<Vec<_>>(),
        rtl,
    );
    let link = |m: Month| format!("/{}/countries/{}/{}", lang.code(), cc.as_str(), m.iso());
    let name = t.country(&cc);
    render(&ReportView {
        t,
        b: Base::new(&st, lang, &uri),
        cc,
        name,
        title: t.fmt(
            "report-title",
            &[
                ("country", FluentValue::from(name)),
                ("month", FluentValue::from(month_words)),
            ],
        ),
        held_at_end: n(r.held_at_end),
        change,
        entries: n(r.flow.entries_total()),
        exits: n(r.flow.exits_total()),
        exits_chart,
        entries_chart,
        lists: vec![
            (
                t.get("report-new-cases"),
                n(r.new_cases.len() as u64),
                named_rows(t, &r.new_cases),
            ),
            (
                t.get("report-deaths"),
                n(r.deaths.len() as u64),
                named_rows(t, &r.deaths),
            ),
            (
                t.get("report-health-alerts"),
                n(r.health_alerts.len() as u64),
                named_rows(t, &r.health_alerts),
            ),
        ],
        unplaced: n(r.unplaced),
        prev: Some(link(month.back(1))),
        next: (month < now).then(|| link(month.next())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_in_addresses_are_strict() {
        assert_eq!(
            parse_month("2025-01"),
            Some(Month {
                year: 2025,
                month: 1
            })
        );
        for bad in [
            "2025-1",
            "2025-13",
            "2025-00",
            "25-01",
            "2025-01-01",
            "abcd-ef",
            "",
        ] {
            assert_eq!(parse_month(bad), None, "{bad}");
        }
    }

    #[test]
    fn bars_are_mirrored_in_right_to_left_pages() {
        let i18n = crate::i18n::I18n::load();
        let t = i18n.catalog(Lang::En);
        let items = vec![
            ("Kilo 8".to_owned(), 10),
            ("A very long prison name that goes on".to_owned(), 5),
        ];
        let ltr = bars(t, &items, false);
        assert_eq!(ltr.bars[0].width, BAR_MAX, "the largest fills the length");
        assert_eq!(ltr.bars[1].width, BAR_MAX / 2);
        assert_eq!(ltr.bars[0].bar_x, BAR_START);
        assert!(
            ltr.bars[1].label.ends_with('…') && ltr.bars[1].label.chars().count() == LABEL_CHARS
        );
        assert_eq!(
            ltr.rows[1].0, "A very long prison name that goes on",
            "the table is never cut"
        );
        let rtl = bars(t, &items, true);
        assert_eq!(rtl.bars[0].bar_x + rtl.bars[0].width, WIDTH - BAR_START);
        assert!(rtl.bars[0].label_x > rtl.bars[0].bar_x);
    }
}
