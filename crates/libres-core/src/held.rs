//! A country's political prisoners over time: how many were deprived of
//! liberty at the end of each month, and how many releases each month
//! brought, as the registry's timelines record them.
//!
//! The rules, so that the figures cannot claim more than the dates say:
//! - a person is **held** at the end of a month when their timeline holds
//!   them ([`crate::Status::is_held`], by [`derive_status`]) both on the
//!   events that surely happened by then (their latest possible day is on
//!   or before the month's last day) and on those that may have (their
//!   earliest possible day is). Where a coarse date leaves it open, the
//!   person is not counted: an arrest dated only "2021" counts from
//!   December 2021, and a release dated only "2025" stops the count from
//!   January 2025. The line is a floor, never more than the dates say;
//! - a **release** is counted in a month when its date lies wholly inside
//!   that month; a release known only to a coarser date ("2025", "2025~")
//!   is counted apart, never placed in a month it may not belong to;
//! - a release is **verified** when it is backed in public (a source the
//!   public may see, or a recorded verification); the others are counted
//!   apart, as on every other figure.

use crate::event::{Event, EventKind};
use crate::status::derive_status;

/// One event of a person's timeline, and whether the public may see what
/// backs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dated {
    /// The event.
    pub event: Event,
    /// A public source, or a recorded verification.
    pub backed: bool,
}

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    /// The year.
    pub year: i32,
    /// 1–12.
    pub month: u32,
}

impl Month {
    /// The month of a `yyyymmdd` day.
    pub fn of_day(day: i64) -> Month {
        Month {
            year: i32::try_from(day.div_euclid(10_000)).unwrap_or(i32::MAX),
            month: u32::try_from(day.div_euclid(100).rem_euclid(100)).unwrap_or(1),
        }
    }

    /// The month after this one.
    pub fn next(self) -> Month {
        if self.month >= 12 {
            Month {
                year: self.year.saturating_add(1),
                month: 1,
            }
        } else {
            Month {
                month: self.month + 1,
                ..self
            }
        }
    }

    /// The month `n` months before this one.
    pub fn back(self, n: u32) -> Month {
        let index = i64::from(self.year) * 12 + i64::from(self.month) - 1 - i64::from(n);
        Month {
            year: i32::try_from(index.div_euclid(12)).unwrap_or(i32::MIN),
            month: u32::try_from(index.rem_euclid(12)).unwrap_or(0) + 1,
        }
    }

    /// Its first and last days, as `yyyymmdd` (the last day is the 31st
    /// whatever the month: no date falls between the true last day and it).
    pub fn days(self) -> (i64, i64) {
        let base = i64::from(self.year) * 10_000 + i64::from(self.month) * 100;
        (base + 1, base + 31)
    }

    /// `2025-01`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
}

/// One month of the series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthFigures {
    /// Which month.
    pub month: Month,
    /// Persons deprived of liberty at the month's end.
    pub held: u64,
    /// Releases dated within the month, backed in public.
    pub verified_releases: u64,
    /// Releases dated within the month, not backed.
    pub unverified_releases: u64,
}

/// The series from `from` to `to` (both included) over `timelines` (one
/// per person), and the releases whose dates are too coarse to place in
/// a month of it (and that may fall within it).
pub fn months(timelines: &[Vec<Dated>], from: Month, to: Month) -> (Vec<MonthFigures>, u64) {
    let mut series = Vec::new();
    let mut m = from;
    while m <= to {
        series.push(MonthFigures {
            month: m,
            held: 0,
            verified_releases: 0,
            unverified_releases: 0,
        });
        m = m.next();
    }
    let (start, end) = (from.days().0, to.days().1);
    let mut unplaced = 0;
    for timeline in timelines {
        let mut by_latest: Vec<&Dated> = timeline.iter().collect();
        by_latest.sort_by_key(|d| d.event.date.latest());
        let mut by_earliest: Vec<&Dated> = timeline.iter().collect();
        by_earliest.sort_by_key(|d| d.event.date.earliest());
        let (mut surely, mut maybe) = (Vec::new(), Vec::new());
        let (mut next_sure, mut next_maybe) = (0, 0);
        for figures in &mut series {
            let (_, last) = figures.month.days();
            while next_sure < by_latest.len() && by_latest[next_sure].event.date.latest() <= last {
                surely.push(by_latest[next_sure].event.clone());
                next_sure += 1;
            }
            while next_maybe < by_earliest.len()
                && by_earliest[next_maybe].event.date.earliest() <= last
            {
                maybe.push(by_earliest[next_maybe].event.clone());
                next_maybe += 1;
            }
            if derive_status(&surely).is_held() && derive_status(&maybe).is_held() {
                figures.held += 1;
            }
        }
        for d in timeline
            .iter()
            .filter(|d| d.event.kind == EventKind::Release)
        {
            let (earliest, latest) = (d.event.date.earliest(), d.event.date.latest());
            if latest < start || earliest > end {
                continue;
            }
            let month = Month::of_day(earliest);
            match series.iter_mut().find(|f| f.month == month) {
                Some(f) if Month::of_day(latest) == month => {
                    if d.backed {
                        f.verified_releases += 1;
                    } else {
                        f.unverified_releases += 1;
                    }
                }
                _ => unplaced += 1,
            }
        }
    }
    (series, unplaced)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Release, ReleaseKind};
    use crate::EdtfDate;

    fn event(kind: EventKind, date: &str, backed: bool) -> Dated {
        let mut e = Event::new(kind, EdtfDate::parse(date).unwrap());
        if kind == EventKind::Release {
            e.release = Some(Release {
                kind: ReleaseKind::Parole,
                conditions: vec![],
            });
        }
        Dated { event: e, backed }
    }

    const JAN: Month = Month {
        year: 2025,
        month: 1,
    };

    #[test]
    fn months_step_over_years_both_ways() {
        assert_eq!(
            Month {
                year: 2024,
                month: 12
            }
            .next(),
            JAN
        );
        assert_eq!(
            JAN.back(1),
            Month {
                year: 2024,
                month: 12
            }
        );
        assert_eq!(
            JAN.back(13),
            Month {
                year: 2023,
                month: 12
            }
        );
        assert_eq!(JAN.back(0), JAN);
        assert_eq!(Month::of_day(20250131), JAN);
        assert_eq!(JAN.iso(), "2025-01");
    }

    #[test]
    fn held_counts_follow_dates_that_surely_passed_and_releases_land_in_their_month() {
        let timelines = vec![
            // Arrested before, released (sourced) on 16 January, re-arrested in March.
            vec![
                event(EventKind::Arrest, "2021-07-11", true),
                event(EventKind::Release, "2025-01-16", true),
                event(EventKind::ReArrest, "2025-03-02", true),
            ],
            // Held; a release known only to the year 2025: counted apart,
            // and no longer counted as held once 2025 begins.
            vec![
                event(EventKind::Arrest, "2022", true),
                event(EventKind::Release, "2025", true),
            ],
            // An unsourced release in February.
            vec![
                event(EventKind::Arrest, "2024-11-01", false),
                event(EventKind::Release, "2025-02-10", false),
            ],
            // Arrested in February 2025.
            vec![event(EventKind::Arrest, "2025-02-03", true)],
            // Nothing that holds anyone.
            vec![],
        ];
        let (series, unplaced) = months(
            &timelines,
            Month {
                year: 2024,
                month: 12,
            },
            Month {
                year: 2025,
                month: 3,
            },
        );
        let held: Vec<(String, u64, u64, u64)> = series
            .iter()
            .map(|f| {
                (
                    f.month.iso(),
                    f.held,
                    f.verified_releases,
                    f.unverified_releases,
                )
            })
            .collect();
        assert_eq!(
            held,
            [
                ("2024-12".into(), 3, 0, 0),
                ("2025-01".into(), 1, 1, 0),
                ("2025-02".into(), 1, 0, 1),
                ("2025-03".into(), 2, 0, 0),
            ]
        );
        assert_eq!(unplaced, 1);
    }
}
