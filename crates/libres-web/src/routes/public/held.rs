//! The chart on a country's announcements page: its published persons
//! deprived of liberty at the end of each of the last 36 months, the
//! releases of each month (verified, and without a source), and the
//! country's announcements marked on the months they were made. Drawn as
//! SVG on the server (no script), mirrored in right-to-left languages,
//! with a table of the same figures beside it.
//!
//! The counting rules are [`libres_core::held`]'s. The series is kept per
//! registry version and month (see [`crate::public::VersionCache`]).

use crate::error::WebError;
use crate::i18n::Lang;
use crate::state::SharedState;
use libres_core::held::{self, Month};
use libres_core::{Announcement, CountryCode};

/// Months the chart covers, the current one last.
pub(crate) const MONTHS: u32 = 36;

/// The drawing's size, in SVG units.
const WIDTH: u64 = 640;
const HEIGHT: u64 = 236;
/// The plot's left and right edges (left-to-right).
const LEFT: u64 = 48;
const RIGHT: u64 = 632;
/// The held line's top and bottom, and the release bars' top and bottom.
const HELD_TOP: u64 = 24;
const HELD_BOTTOM: u64 = 150;
const BARS_TOP: u64 = 168;
const BARS_BOTTOM: u64 = 212;

/// A month's release bar: its x, width, and the verified part above the
/// unverified one.
pub(crate) struct Bar {
    pub x: u64,
    pub width: u64,
    pub verified_y: u64,
    pub verified_height: u64,
    pub unverified_y: u64,
    pub unverified_height: u64,
}

/// An announcement's mark: its line's x, its number in the table.
pub(crate) struct Mark {
    pub x: u64,
    pub number: usize,
}

/// A row of the table beside the chart.
pub(crate) struct Row {
    pub month: String,
    pub held: u64,
    pub verified: u64,
    pub unverified: u64,
    /// The announcements of the month: (number, id).
    pub announcements: Vec<(usize, i64)>,
}

/// The chart and its table.
pub(crate) struct HeldChart {
    pub width: u64,
    pub height: u64,
    /// The held line, as SVG points.
    pub points: String,
    pub bars: Vec<Bar>,
    pub marks: Vec<Mark>,
    pub max_held: u64,
    pub max_releases: u64,
    /// Where the axis labels sit: the start edge and the end edge
    /// (mirrored in right-to-left pages, where `text-anchor` follows the
    /// page's direction).
    pub start_x: u64,
    pub end_x: u64,
    pub first: String,
    pub last: String,
    pub rows: Vec<Row>,
    /// Releases with dates too coarse to place in a month of the chart.
    pub unplaced: u64,
}

/// The chart of `country` up to this month, with `announcements` (the
/// country's, newest first) marked; `None` when nobody of the country
/// was held in any of its months and no release fell in them.
pub(crate) async fn chart(
    st: &SharedState,
    country: &CountryCode,
    announcements: &[Announcement],
    lang: Lang,
) -> Result<Option<HeldChart>, WebError> {
    let to = super::figures::this_month(st);
    let version = st.reads.version().await?;
    let key = (*country, to);
    let series = match st.held.get(version, &key) {
        Some(hit) => hit,
        None => {
            let timelines = st.announcements.country_timelines(country).await?;
            let computed = std::sync::Arc::new(held::months(&timelines, to.back(MONTHS - 1), to));
            st.held.put(version, key, std::sync::Arc::clone(&computed));
            computed
        }
    };
    let (months, unplaced) = (&series.0, series.1);
    let empty = months
        .iter()
        .all(|m| m.held == 0 && m.verified_releases == 0 && m.unverified_releases == 0);
    if empty || months.is_empty() {
        return Ok(None);
    }
    Ok(Some(draw(
        months,
        unplaced,
        announcements,
        lang.dir() == "rtl",
    )))
}

/// Lays the series out.
fn draw(
    months: &[held::MonthFigures],
    unplaced: u64,
    announcements: &[Announcement],
    rtl: bool,
) -> HeldChart {
    let n = months.len() as u64;
    let step = (RIGHT - LEFT) / n.max(1);
    // The x of month i's middle, mirrored in right-to-left pages.
    let x = |i: usize| {
        let ltr = LEFT + step * i as u64 + step / 2;
        if rtl {
            WIDTH - ltr
        } else {
            ltr
        }
    };
    let max_held = months.iter().map(|m| m.held).max().unwrap_or(0).max(1);
    let max_releases = months
        .iter()
        .map(|m| m.verified_releases + m.unverified_releases)
        .max()
        .unwrap_or(0)
        .max(1);
    let held_y = |h: u64| HELD_BOTTOM - h * (HELD_BOTTOM - HELD_TOP) / max_held;
    let points = months
        .iter()
        .enumerate()
        .map(|(i, m)| format!("{},{}", x(i), held_y(m.held)))
        .collect::<Vec<_>>()
        .join(" ");
    let span = BARS_BOTTOM - BARS_TOP;
    let bar_width = (step * 2 / 3).max(1);
    let bars = months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let unverified_height = m.unverified_releases * span / max_releases;
            let verified_height = m.verified_releases * span / max_releases;
            let unverified_y = BARS_BOTTOM - unverified_height;
            Bar {
                x: x(i) - bar_width / 2,
                width: bar_width,
                verified_y: unverified_y - verified_height,
                verified_height,
                unverified_y,
                unverified_height,
            }
        })
        .collect();
    // Announcements oldest first, numbered in that order.
    let mut marked: Vec<(usize, i64)> = Vec::new();
    let mut marks = Vec::new();
    let mut rows: Vec<Row> = months
        .iter()
        .map(|m| Row {
            month: m.month.iso(),
            held: m.held,
            verified: m.verified_releases,
            unverified: m.unverified_releases,
            announcements: Vec::new(),
        })
        .collect();
    for a in announcements.iter().rev() {
        // Marked only where its date falls within one month.
        let month = Month::of_day(a.date.earliest());
        if Month::of_day(a.date.latest()) != month {
            continue;
        }
        if let Some(i) = months.iter().position(|m| m.month == month) {
            let number = marked.len() + 1;
            marked.push((number, a.id));
            marks.push(Mark { x: x(i), number });
            rows[i].announcements.push((number, a.id));
        }
    }
    let (start_x, end_x) = if rtl { (WIDTH - 4, 4) } else { (4, WIDTH - 4) };
    HeldChart {
        width: WIDTH,
        height: HEIGHT,
        points,
        bars,
        marks,
        max_held,
        max_releases,
        start_x,
        end_x,
        first: months.first().map(|m| m.month.iso()).unwrap_or_default(),
        last: months.last().map(|m| m.month.iso()).unwrap_or_default(),
        rows,
        unplaced,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use libres_core::held::MonthFigures;

    fn month(i: u32, held: u64, verified: u64) -> MonthFigures {
        MonthFigures {
            month: Month {
                year: 2025,
                month: i,
            },
            held,
            verified_releases: verified,
            unverified_releases: 0,
        }
    }

    #[test]
    fn the_line_rises_with_the_count_and_right_to_left_mirrors_time() {
        let months = [month(1, 10, 0), month(2, 5, 5), month(3, 0, 0)];
        let ltr = draw(&months, 0, &[], false);
        assert_eq!(ltr.max_held, 10);
        let pts: Vec<(u64, u64)> = ltr
            .points
            .split(' ')
            .map(|p| {
                let (x, y) = p.split_once(',').unwrap();
                (x.parse().unwrap(), y.parse().unwrap())
            })
            .collect();
        assert!(
            pts[0].0 < pts[1].0 && pts[1].0 < pts[2].0,
            "time runs left to right"
        );
        assert_eq!(pts[0].1, HELD_TOP, "the most held is at the top");
        assert_eq!(pts[2].1, HELD_BOTTOM, "none held is at the bottom");
        assert_eq!(ltr.bars[1].verified_height, BARS_BOTTOM - BARS_TOP);
        assert_eq!(ltr.bars[0].verified_height, 0);
        let rtl = draw(&months, 0, &[], true);
        let first_x: u64 = rtl.points.split(',').next().unwrap().parse().unwrap();
        assert_eq!(first_x, WIDTH - pts[0].0, "mirrored");
        assert!(rtl.start_x > rtl.end_x);
    }
}
