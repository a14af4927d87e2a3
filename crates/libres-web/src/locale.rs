//! Numbers and dates in the reader's language, by CLDR's data (ICU4X's
//! compiled data): "30.000" and "11 de julio de 2021" in Spanish,
//! "30,000" and "July 11, 2021" in English, "30,000" and "11 يوليو 2021" in
//! Arabic (CLDR's "ar" without a region writes Latin digits).
//!
//! Registry dates are EDTF and often vague (`2021-07-2X`, `1989~`). A date
//! is written at the precision it has: a day, a month, a year, or "between"
//! two of those; an approximate or uncertain one says so in words. The
//! exact EDTF stays in the markup beside the words ([`DateWords`]).

use crate::i18n::Lang;
use fluent_bundle::FluentValue;
use icu_datetime::fieldsets::{Y, YM, YMD};
use icu_datetime::input::Date;
use icu_datetime::FixedCalendarDateTimeFormatter;
use libres_core::EdtfDate;

type Gregorian = icu_calendar::Gregorian;

/// The formatters of one language.
pub struct Formats {
    decimal: Option<icu_decimal::DecimalFormatter>,
    day: Option<FixedCalendarDateTimeFormatter<Gregorian, YMD>>,
    month: Option<FixedCalendarDateTimeFormatter<Gregorian, YM>>,
    year: Option<FixedCalendarDateTimeFormatter<Gregorian, Y>>,
}

/// What a date is, once its EDTF qualifiers are set aside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// One day (`yyyymmdd`).
    Day(i64),
    /// A whole month (the `yyyymmdd` of its first day).
    Month(i64),
    /// A whole year.
    Year(i64),
    /// From one of the above to another.
    Between(i64, i64),
    /// Only an upper bound is known.
    Before(i64),
    /// Only a lower bound is known.
    After(i64),
    /// Nothing is known.
    Unknown,
}

/// A date written for readers, with what a machine needs beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateWords {
    /// The words ("around July 2021").
    pub text: String,
    /// An HTML `datetime` value when the date is one day, month or year
    /// (`2021-07-11`, `2021-07`, `2021`).
    pub iso: Option<String>,
    /// The EDTF as stored.
    pub edtf: String,
}

impl DateWords {
    /// The date as HTML: a `<time>` element with the `datetime` HTML
    /// understands when there is one, else a `<span>`; the EDTF in
    /// `data-edtf` either way. Every piece is escaped.
    pub fn html(&self) -> String {
        let (text, edtf) = (escape(&self.text), escape(&self.edtf));
        match &self.iso {
            Some(iso) => format!(
                r#"<time datetime="{}" data-edtf="{edtf}">{text}</time>"#,
                escape(iso)
            ),
            None => format!(
                r#"<span class="date" data-edtf="{edtf}" title="EDTF {edtf}">{text}</span>"#
            ),
        }
    }
}

/// `s` with the characters HTML gives a meaning escaped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn parts(ymd: i64) -> (i32, u8, u8) {
    (
        i32::try_from(ymd.div_euclid(10_000)).unwrap_or(1),
        u8::try_from(ymd / 100 % 100).unwrap_or(1),
        u8::try_from(ymd % 100).unwrap_or(1),
    )
}

/// Days in a month of the Gregorian calendar.
pub fn month_len(year: i64, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// The span of the inclusive day range `[from, to]` (`yyyymmdd`; the
/// extremes of `i64` stand for open ends).
pub fn span_of(from: i64, to: i64) -> Span {
    match (from == i64::MIN, to == i64::MAX) {
        (true, true) => return Span::Unknown,
        (true, false) => return Span::Before(to),
        (false, true) => return Span::After(from),
        _ => {}
    }
    let (fy, fm, fd) = parts(from);
    let (ty, tm, td) = parts(to);
    if from == to {
        Span::Day(from)
    } else if fy == ty && fm == 1 && fd == 1 && tm == 12 && td == 31 {
        Span::Year(from)
    } else if fy == ty && fm == tm && fd == 1 && td == month_len(i64::from(ty), tm) {
        Span::Month(from)
    } else {
        Span::Between(from, to)
    }
}

/// The span an EDTF date names, and whether it is approximate (`~`) and
/// uncertain (`?`); `%` is both. The qualifiers widen EDTF's own bounds,
/// so the span is read from the date without them.
pub fn edtf_span(date: &EdtfDate) -> (Span, bool, bool) {
    let text = date.as_str();
    let approximate = text.contains('~') || text.contains('%');
    let uncertain = text.contains('?') || text.contains('%');
    if !approximate && !uncertain {
        // Most dates: the bounds are already known.
        return (span_of(date.earliest(), date.latest()), false, false);
    }
    let bare: String = text
        .chars()
        .filter(|c| !matches!(c, '~' | '?' | '%'))
        .collect();
    let (from, to) = match EdtfDate::parse(&bare) {
        Ok(d) if !bare.contains('/') => (d.earliest(), d.latest()),
        _ => (date.earliest(), date.latest()),
    };
    (span_of(from, to), approximate, uncertain)
}

/// `yyyymmdd` plus `months` calendar months, the day kept where the month
/// has it (31 January + 1 month is 28 or 29 February).
pub fn add_months(ymd: i64, months: u32) -> i64 {
    if ymd == i64::MIN || ymd == i64::MAX {
        return ymd;
    }
    let (y, m, d) = parts(ymd);
    let total = i64::from(y) * 12 + i64::from(m) - 1 + i64::from(months);
    let (y, m) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    let m8 = u8::try_from(m).unwrap_or(1);
    let d = d.min(month_len(y, m8));
    y * 10_000 + m * 100 + i64::from(d)
}

/// Whole calendar months from day `from` to day `to` (`yyyymmdd`), a
/// floor; 0 when `to` is earlier.
pub fn months_between(from: i64, to: i64) -> u32 {
    // An open bound is no day at all: nothing can be counted from it.
    if [from, to].iter().any(|d| *d == i64::MIN || *d == i64::MAX) {
        return 0;
    }
    let (fy, fm, fd) = parts(from);
    let (ty, tm, td) = parts(to);
    let mut months = (i64::from(ty) - i64::from(fy)) * 12 + i64::from(tm) - i64::from(fm);
    if td < fd {
        months -= 1;
    }
    u32::try_from(months).unwrap_or(0)
}

impl Formats {
    /// The formatters of `lang`. One that fails to load (it cannot with
    /// compiled data) leaves digits and ISO dates in its place.
    pub fn new(lang: Lang) -> Formats {
        let locale = lang
            .code()
            .parse::<icu_locale_core::Locale>()
            .unwrap_or(icu_locale_core::Locale::UNKNOWN);
        Formats {
            decimal: icu_decimal::DecimalFormatter::try_new((&locale).into(), Default::default())
                .ok(),
            day: FixedCalendarDateTimeFormatter::try_new((&locale).into(), YMD::long()).ok(),
            month: FixedCalendarDateTimeFormatter::try_new((&locale).into(), YM::long()).ok(),
            year: FixedCalendarDateTimeFormatter::try_new((&locale).into(), Y::long()).ok(),
        }
    }

    /// A whole number in the language's digits and grouping.
    pub fn number(&self, n: i64) -> String {
        match &self.decimal {
            Some(f) => f.format(&fixed_decimal::Decimal::from(n)).to_string(),
            None => n.to_string(),
        }
    }

    fn date(ymd: i64) -> Option<Date<Gregorian>> {
        let (y, m, d) = parts(ymd);
        Date::try_new_gregorian(y, m, d).ok()
    }

    /// One day in words.
    pub fn day(&self, ymd: i64) -> String {
        match (&self.day, Self::date(ymd)) {
            (Some(f), Some(d)) => f.format(&d).to_string(),
            _ => iso(Span::Day(ymd)).unwrap_or_default(),
        }
    }

    /// A month in words.
    pub fn month(&self, ymd: i64) -> String {
        match (&self.month, Self::date(ymd)) {
            (Some(f), Some(d)) => f.format(&d).to_string(),
            _ => iso(Span::Month(ymd)).unwrap_or_default(),
        }
    }

    /// A year in words.
    pub fn year(&self, ymd: i64) -> String {
        match (&self.year, Self::date(ymd)) {
            (Some(f), Some(d)) => f.format(&d).to_string(),
            _ => iso(Span::Year(ymd)).unwrap_or_default(),
        }
    }
}

/// The HTML `datetime` value of a day, month or year.
pub fn iso(span: Span) -> Option<String> {
    let (y, m, d) = match span {
        Span::Day(v) | Span::Month(v) | Span::Year(v) => parts(v),
        _ => return None,
    };
    if !(0..=9999).contains(&y) {
        return None;
    }
    Some(match span {
        Span::Day(_) => format!("{y:04}-{m:02}-{d:02}"),
        Span::Month(_) => format!("{y:04}-{m:02}"),
        _ => format!("{y:04}"),
    })
}

/// The Fluent formatter of numbers: every number a message prints is
/// written in the language's digits and grouping.
pub(crate) fn fluent_number(
    value: &FluentValue<'_>,
    memo: &intl_memoizer::concurrent::IntlLangMemoizer,
) -> Option<String> {
    let FluentValue::Number(n) = value else {
        return None;
    };
    let v = n.value;
    if v.fract() != 0.0 || v.abs() >= 1e15 {
        return None;
    }
    memo.with_try_get::<NumberFormat, _, _>((), |f| {
        f.0.format(&fixed_decimal::Decimal::from(v as i64))
            .to_string()
    })
    .ok()
}

/// ICU4X's number formatter, kept by Fluent's memoizer once per bundle.
struct NumberFormat(icu_decimal::DecimalFormatter);

impl intl_memoizer::Memoizable for NumberFormat {
    type Args = ();
    type Error = ();

    fn construct(lang: unic_langid::LanguageIdentifier, _: ()) -> Result<Self, ()> {
        let locale = lang
            .to_string()
            .parse::<icu_locale_core::Locale>()
            .map_err(|_| ())?;
        icu_decimal::DecimalFormatter::try_new(locale.into(), Default::default())
            .map(NumberFormat)
            .map_err(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(s: &str) -> (Span, bool, bool) {
        edtf_span(&EdtfDate::parse(s).unwrap())
    }

    #[test]
    fn an_edtf_date_is_read_at_the_precision_it_has() {
        assert_eq!(span("2021-07-11"), (Span::Day(20210711), false, false));
        assert_eq!(span("2021-07"), (Span::Month(20210701), false, false));
        assert_eq!(span("2021"), (Span::Year(20210101), false, false));
        assert_eq!(span("1989~"), (Span::Year(19890101), true, false));
        assert_eq!(span("2021-07?"), (Span::Month(20210701), false, true));
        assert_eq!(span("2021-07-11%"), (Span::Day(20210711), true, true));
        assert_eq!(
            span("2021-07-2X"),
            (Span::Between(20210720, 20210729), false, false)
        );
        assert_eq!(
            span("198X"),
            (Span::Between(19800101, 19891231), false, false)
        );
        assert_eq!(span("2021-02"), (Span::Month(20210201), false, false));
        assert_eq!(span("2024-02"), (Span::Month(20240201), false, false));
        assert_eq!(span("../2021-07-11").0, Span::Before(20210711));
        assert_eq!(span("2021-07-11/..").0, Span::After(20210711));
    }

    #[test]
    fn dates_and_numbers_are_written_by_cldr_for_each_language() {
        let es = Formats::new(Lang::Es);
        let en = Formats::new(Lang::En);
        let ar = Formats::new(Lang::Ar);
        assert_eq!(es.day(20210711), "11 de julio de 2021");
        assert_eq!(en.day(20210711), "July 11, 2021");
        assert_eq!(es.month(20210701), "julio de 2021");
        assert_eq!(en.year(20210101), "2021");
        assert!(ar.day(20210711).contains("يوليو"), "{}", ar.day(20210711));
        assert_eq!(es.number(30_000), "30.000");
        assert_eq!(es.number(3_000), "3000", "Spanish groups from five digits");
        assert_eq!(en.number(3_000), "3,000");
        // CLDR's default for "ar" (no region) is Latin digits.
        assert_eq!(ar.number(2_867), "2,867");
    }

    #[test]
    fn months_are_added_and_counted_on_the_calendar() {
        assert_eq!(add_months(20210711, 96), 20290711);
        assert_eq!(add_months(20210131, 1), 20210228);
        assert_eq!(add_months(20231130, 3), 20240229);
        assert_eq!(months_between(20210711, 20221210), 16);
        assert_eq!(months_between(20210711, 20221211), 17);
        assert_eq!(months_between(20221211, 20210711), 0);
        assert_eq!(months_between(i64::MIN, 20210711), 0);
        assert_eq!(months_between(20210711, i64::MAX), 0);
        assert_eq!(add_months(i64::MAX, 12), i64::MAX);
    }
}
