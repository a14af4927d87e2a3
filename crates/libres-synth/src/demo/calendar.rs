//! Day arithmetic for the demo timelines, and EDTF text at a chosen
//! precision.
//!
//! Timelines are built on day numbers (days since 1970-01-01) so that gaps
//! are simple additions; each event is then written as an exact day, a
//! month, or an unspecified-digit day such as `2021-07-1X`.

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number (inverse of [`days_from_civil`]).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    let next = if month == 12 {
        days_from_civil(year + 1, 1, 1)
    } else {
        days_from_civil(year, month + 1, 1)
    };
    (next - days_from_civil(year, month, 1)) as u32
}

/// The day `months` calendar months after `day` (the 31st of a shorter
/// month becomes its last day): when a sentence of `months` that began on
/// `day` ends.
pub fn add_months(day: i64, months: u32) -> i64 {
    let (y, m, d) = civil_from_days(day);
    let total = y * 12 + i64::from(m - 1) + i64::from(months);
    let (y, m) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u32);
    days_from_civil(y, m, d.min(days_in_month(y, m)))
}

/// The day number of an EDTF day key (`yyyymmdd`, as
/// [`libres_core::EdtfDate::earliest`] gives it).
pub fn from_key(key: i64) -> i64 {
    days_from_civil(key / 10_000, (key / 100 % 100) as u32, (key % 100) as u32)
}

/// How precisely a date is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    /// `2021-07-11`
    Day,
    /// `2021-07`
    Month,
    /// `2021-07-1X`: some day from the 10th to the 19th (or 20th–29th).
    Decade,
}

/// Writes `day` at `precision`, and returns the text with the first and
/// last day it can mean. A precision that cannot express the day (the
/// `X` form only exists here for days 10–29) falls back to the exact day.
pub fn render(day: i64, precision: Precision) -> (String, i64, i64) {
    let (y, m, d) = civil_from_days(day);
    match precision {
        Precision::Month => {
            let first = days_from_civil(y, m, 1);
            (
                format!("{y:04}-{m:02}"),
                first,
                first + i64::from(days_in_month(y, m)) - 1,
            )
        }
        Precision::Decade if (10..=29).contains(&d) => {
            let tens = d / 10;
            let first = days_from_civil(y, m, tens * 10);
            // `2X` in February ends with the month, not on the 29th.
            let month_end = days_from_civil(y, m, 1) + i64::from(days_in_month(y, m)) - 1;
            (
                format!("{y:04}-{m:02}-{tens}X"),
                first,
                (first + 9).min(month_end),
            )
        }
        _ => (format!("{y:04}-{m:02}-{d:02}"), day, day),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use libres_core::EdtfDate;

    #[test]
    fn day_numbers_round_trip_through_the_calendar() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
        for d in -40_000..40_000 {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }

    #[test]
    fn months_are_added_by_the_calendar() {
        let d = days_from_civil;
        assert_eq!(add_months(d(2021, 7, 11), 120), d(2031, 7, 11));
        assert_eq!(add_months(d(2021, 1, 31), 1), d(2021, 2, 28));
        assert_eq!(add_months(d(2023, 11, 30), 3), d(2024, 2, 29));
        assert_eq!(from_key(20240229), d(2024, 2, 29));
    }

    #[test]
    fn rendered_bounds_agree_with_the_edtf_parser() {
        for day in (days_from_civil(2018, 1, 1)..days_from_civil(2027, 1, 1)).step_by(7) {
            for p in [Precision::Day, Precision::Month, Precision::Decade] {
                let (text, first, last) = render(day, p);
                let parsed = EdtfDate::parse(&text).unwrap_or_else(|e| panic!("{e}"));
                let key = |d: i64| {
                    let (y, m, dd) = civil_from_days(d);
                    y * 10_000 + i64::from(m) * 100 + i64::from(dd)
                };
                assert_eq!(
                    (parsed.earliest(), parsed.latest()),
                    (key(first), key(last)),
                    "{text}"
                );
                assert!(first <= day && day <= last);
            }
        }
    }
}
