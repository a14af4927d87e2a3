//! EDTF dates (ISO 8601-2 Extended Date/Time Format).
//!
//! Researchers rarely know an exact day: "January 2025" (`2025-01`), "around
//! 2024" (`2024~`), "some day in the second decade of January" (`2025-01-1X`).
//! Parsing and validation are done by the `edtf-core` crate. We keep the text
//! exactly as written, so that export → import round-trips byte for byte, and
//! derive from it the earliest and latest calendar day it can mean, which is
//! what sorting and filtering use.

use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;

/// A valid EDTF expression together with its calendar bounds.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EdtfDate {
    text: String,
    earliest: i64,
    latest: i64,
}

/// Text that is not a valid EDTF date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a valid EDTF date ({reason}); examples: 2025-01-14, 2025-01, 2024~, 2025-01-1X")]
pub struct DateError {
    /// The rejected input.
    pub text: String,
    /// Why the parser rejected it.
    pub reason: String,
}

/// The years a registry date may fall in. EDTF can write years of any
/// length (`Y170000002`); no prisoner's life does, and packing such a year
/// into [`day_key`] would overflow.
const YEARS: std::ops::RangeInclusive<i64> = -9999..=9999;

/// A day packed as `yyyymmdd` so that integer order is calendar order, or
/// `None` for a year outside [`YEARS`].
fn day_key(year: i64, month: u8, day: u8) -> Option<i64> {
    YEARS
        .contains(&year)
        .then(|| year * 10_000 + i64::from(month) * 100 + i64::from(day))
}

impl EdtfDate {
    /// Parses and validates an EDTF expression. Surrounding spaces are
    /// trimmed; anything else must be valid EDTF (levels 0–2).
    pub fn parse(input: &str) -> Result<Self, DateError> {
        let text = input.trim();
        let parsed = edtf_core::Edtf::parse(text).map_err(|e| DateError {
            text: text.to_owned(),
            reason: e.message.to_owned(),
        })?;
        let b = parsed.bounds();
        let out_of_range = || DateError {
            text: text.to_owned(),
            reason: "the year is outside -9999 to 9999".to_owned(),
        };
        let earliest = match b.earliest {
            edtf_core::Bound::Date(d) => {
                Some(day_key(d.year, d.month, d.day).ok_or_else(out_of_range)?)
            }
            edtf_core::Bound::NegativeInfinity => Some(i64::MIN),
            _ => None,
        };
        let latest = match b.latest {
            edtf_core::Bound::Date(d) => {
                Some(day_key(d.year, d.month, d.day).ok_or_else(out_of_range)?)
            }
            edtf_core::Bound::PositiveInfinity => Some(i64::MAX),
            _ => None,
        };
        let (earliest, latest) = match (earliest, latest) {
            (Some(e), Some(l)) => (e, l),
            (Some(e), None) => (e, i64::MAX),
            (None, Some(l)) => (i64::MIN, l),
            (None, None) => {
                return Err(DateError {
                    text: text.to_owned(),
                    reason: "it has no known calendar bounds".to_owned(),
                })
            }
        };
        Ok(EdtfDate {
            text: text.to_owned(),
            earliest,
            latest,
        })
    }

    /// The date exactly as it was written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The earliest day the date can mean, as `yyyymmdd`.
    pub fn earliest(&self) -> i64 {
        self.earliest
    }

    /// The latest day the date can mean, as `yyyymmdd`.
    pub fn latest(&self) -> i64 {
        self.latest
    }

    /// The earliest day the date can mean, as `yyyymmdd`; `None` when it
    /// has no lower bound (`../2021`).
    pub fn earliest_day(&self) -> Option<i64> {
        (self.earliest != i64::MIN).then_some(self.earliest)
    }

    /// The latest day the date can mean, as `yyyymmdd`; `None` when it
    /// has no upper bound (`2021/..`).
    pub fn latest_day(&self) -> Option<i64> {
        (self.latest != i64::MAX).then_some(self.latest)
    }

    /// The earliest and the latest day the date can mean, when it has
    /// both bounds: what arithmetic on dates (ages, durations) needs.
    pub fn bounded_days(&self) -> Option<(i64, i64)> {
        self.earliest_day().zip(self.latest_day())
    }

    /// The earliest year the date can mean.
    pub fn year(&self) -> Option<i64> {
        self.earliest_day().map(|d| d.div_euclid(10_000))
    }

    /// Whether the date may fall within the inclusive day range
    /// `[from, to]` (both `yyyymmdd`). Used for "events in January 2025":
    /// `2025~` or `2025-01-1X` may, `2024-12` may not.
    pub fn may_overlap(&self, from: i64, to: i64) -> bool {
        self.earliest <= to && self.latest >= from
    }

    /// Chronological order: by earliest day, then by latest day, then by
    /// text so that the order is total. `2025-01` (1–31 January) sorts before
    /// `2025-01-05`, which sorts before `2025-01-1X`.
    pub fn chrono_cmp(&self, other: &Self) -> Ordering {
        self.earliest
            .cmp(&other.earliest)
            .then(self.latest.cmp(&other.latest))
            .then_with(|| self.text.cmp(&other.text))
    }
}

impl PartialEq for EdtfDate {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}
impl Eq for EdtfDate {}

impl PartialOrd for EdtfDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for EdtfDate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.chrono_cmp(other)
    }
}

impl fmt::Display for EdtfDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl TryFrom<String> for EdtfDate {
    type Error = DateError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        EdtfDate::parse(&value)
    }
}

impl From<EdtfDate> for String {
    fn from(d: EdtfDate) -> String {
        d.text
    }
}

impl std::str::FromStr for EdtfDate {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EdtfDate::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_bounds_are_none_and_closed_ones_are_days() {
        assert_eq!(d("2021-07-2X").bounded_days(), Some((20210720, 20210729)));
        assert_eq!(d("198X").bounded_days(), Some((19800101, 19891231)));
        let open_start = d("../2021");
        assert_eq!(open_start.earliest_day(), None);
        assert_eq!(open_start.latest_day(), Some(20211231));
        assert_eq!(open_start.bounded_days(), None);
        assert_eq!(open_start.year(), None);
        let open_end = d("2021-07-11/..");
        assert_eq!(open_end.earliest_day(), Some(20210711));
        assert_eq!(open_end.latest_day(), None);
        assert_eq!(open_end.bounded_days(), None);
    }
    use proptest::prelude::*;

    fn d(s: &str) -> EdtfDate {
        match EdtfDate::parse(s) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn partial_and_uncertain_dates_round_trip() {
        for s in [
            "2025-01",
            "2024~",
            "2025-01-1X",
            "2025-01-14",
            "1985?",
            "2025-01/2025-03",
            "19XX",
        ] {
            assert_eq!(d(s).to_string(), s);
        }
    }

    #[test]
    fn impossible_dates_are_rejected_with_a_reason() {
        for s in [
            "2025-02-30",
            "2025-13",
            "yesterday",
            "",
            "14/01/2025",
            "Y100000000000000000",
            "Y-100000000000000000",
            "Y17E15",
            "Y170000002",
        ] {
            let e = EdtfDate::parse(s).err();
            assert!(e.is_some(), "{s} should be rejected");
        }
        let msg = EdtfDate::parse("2025-02-30")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(msg.contains("2025-02-30"), "{msg}");
    }

    #[test]
    fn bounds_follow_precision() {
        assert_eq!(
            (d("2025-01").earliest(), d("2025-01").latest()),
            (20250101, 20250131)
        );
        assert_eq!(
            (d("2025-01-1X").earliest(), d("2025-01-1X").latest()),
            (20250110, 20250119)
        );
        assert_eq!(d("2024~").year(), Some(2024));
    }

    #[test]
    fn dates_sort_chronologically_whatever_their_precision() {
        let mut v = [
            d("2025-02"),
            d("2025-01-1X"),
            d("2024~"),
            d("2025-01-05"),
            d("2025"),
        ];
        v.sort();
        let got: Vec<_> = v.iter().map(|x| x.to_string()).collect();
        assert_eq!(
            got,
            ["2024~", "2025", "2025-01-05", "2025-01-1X", "2025-02"]
        );
    }

    #[test]
    fn overlap_filters_sensibly() {
        assert!(d("2025-01-1X").may_overlap(20250115, 20250115));
        assert!(!d("2024-12").may_overlap(20250101, 20250131));
        assert!(d("2025").may_overlap(20250101, 20250131));
    }

    proptest! {
        #[test]
        fn any_calendar_day_round_trips(y in 1900i64..2100, m in 1u8..=12, day in 1u8..=28) {
            let s = format!("{y:04}-{m:02}-{day:02}");
            let parsed = d(&s);
            prop_assert_eq!(parsed.as_str(), s.as_str());
            prop_assert_eq!(parsed.earliest(), parsed.latest());
            prop_assert_eq!(parsed.year(), Some(y));
        }

        #[test]
        fn a_month_contains_each_of_its_days(y in 1900i64..2100, m in 1u8..=12, day in 1u8..=28) {
            let month = d(&format!("{y:04}-{m:02}"));
            let exact = d(&format!("{y:04}-{m:02}-{day:02}"));
            prop_assert!(month.earliest() <= exact.earliest() && exact.latest() <= month.latest());
            if day > 1 { prop_assert!(month < exact); }
        }

        #[test]
        fn parsing_never_panics(s in "\\PC{0,20}") {
            let _ = EdtfDate::parse(&s);
        }

        #[test]
        fn long_years_never_panic(digits in "-?[1-9][0-9]{4,30}", exp in proptest::option::of(1u8..40)) {
            let text = match exp {
                Some(e) => format!("Y{digits}E{e}"),
                None => format!("Y{digits}"),
            };
            let _ = EdtfDate::parse(&text);
        }
    }
}
