//! Graded comparisons of one field of two records.
//!
//! A comparison turns two values into a *level*: level 0 means "one side is
//! missing" and carries no evidence either way (its weight is 0: a missing
//! value neither rewards nor punishes a pair); level 1 is exact agreement;
//! the next levels are weaker and weaker agreement; the last level is
//! disagreement. Fellegi–Sunter weights are learnt per level
//! ([`crate::model`]).

use serde::Deserialize;

/// The level of a pair where one side (or both) is missing.
pub const NULL_LEVEL: u8 = 0;
/// The level of exact agreement.
pub const EXACT_LEVEL: u8 = 1;

/// How a field is compared.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "compare", rename_all = "snake_case", deny_unknown_fields)]
pub enum Comparison {
    /// Agree or disagree: codes, sexes, states.
    Exact,
    /// Jaro–Winkler similarity at or above each threshold, strongest
    /// first: names, suburbs, streets.
    JaroWinkler {
        /// Descending similarity thresholds (each in 0..1).
        #[serde(default = "default_jw")]
        thresholds: Vec<f64>,
    },
    /// Edit distance (insertions, deletions, substitutions and swaps of two
    /// neighbours) at or below each bound, smallest first: numbers keyed
    /// by hand, identifiers, postcodes.
    Edit {
        /// Ascending distance bounds (each at least 1).
        #[serde(default = "default_edit")]
        max: Vec<usize>,
    },
    /// Dates written `YYYYMMDD` or `YYYY-MM-DD`: exact; one keying error
    /// (one edit, or day and month swapped); the same year and month; the
    /// year within `years`; otherwise disagreement.
    Date {
        /// How many years apart still counts as a weak agreement.
        #[serde(default = "default_years")]
        years: u32,
    },
}

fn default_jw() -> Vec<f64> {
    vec![0.92, 0.80]
}

fn default_edit() -> Vec<usize> {
    vec![1, 2]
}

fn default_years() -> u32 {
    1
}

/// Why a comparison's settings cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComparisonError {
    /// Jaro–Winkler thresholds must lie in (0, 1] and descend.
    #[error("Jaro-Winkler thresholds must be between 0 and 1 and in descending order")]
    BadThresholds,
    /// Edit bounds must be at least 1 and ascend.
    #[error("edit-distance bounds must be at least 1 and in ascending order")]
    BadBounds,
    /// Too many levels to pack a pair's comparison into one pattern.
    #[error("a comparison may have at most 14 levels")]
    TooManyLevels,
}

impl Comparison {
    /// Checks the settings.
    pub fn validate(&self) -> Result<(), ComparisonError> {
        match self {
            Comparison::JaroWinkler { thresholds } => {
                let ok = thresholds.iter().all(|t| *t > 0.0 && *t <= 1.0)
                    && thresholds.windows(2).all(|w| w[0] > w[1]);
                if !ok {
                    return Err(ComparisonError::BadThresholds);
                }
            }
            Comparison::Edit { max } => {
                let ok = max.iter().all(|m| *m >= 1) && max.windows(2).all(|w| w[0] < w[1]);
                if !ok {
                    return Err(ComparisonError::BadBounds);
                }
            }
            Comparison::Exact | Comparison::Date { .. } => {}
        }
        if self.levels() > 14 {
            return Err(ComparisonError::TooManyLevels);
        }
        Ok(())
    }

    /// How many levels, the null level included.
    pub fn levels(&self) -> usize {
        // null, exact, …graded…, else
        match self {
            Comparison::Exact => 3,
            Comparison::JaroWinkler { thresholds } => 3 + thresholds.len(),
            Comparison::Edit { max } => 3 + max.len(),
            Comparison::Date { .. } => 6,
        }
    }

    /// A short label for each level, for explanations.
    pub fn level_label(&self, level: u8) -> String {
        let last = (self.levels() - 1) as u8;
        match level {
            NULL_LEVEL => "missing".to_owned(),
            EXACT_LEVEL => "exact".to_owned(),
            l if l == last => "different".to_owned(),
            l => match self {
                Comparison::JaroWinkler { thresholds } => {
                    format!("similar ≥ {}", thresholds[(l - 2) as usize])
                }
                Comparison::Edit { max } => format!("≤ {} edits", max[(l - 2) as usize]),
                Comparison::Date { years } => match l {
                    2 => "one keying error".to_owned(),
                    3 => "same year and month".to_owned(),
                    _ => format!("year within {years}"),
                },
                Comparison::Exact => "different".to_owned(),
            },
        }
    }

    /// Compares two present, distinct values (equal values are
    /// [`EXACT_LEVEL`] and missing ones [`NULL_LEVEL`]: the caller knows
    /// both from interned ids without looking at the text).
    pub fn level_of_different(&self, a: &str, b: &str) -> u8 {
        let last = (self.levels() - 1) as u8;
        match self {
            Comparison::Exact => last,
            Comparison::JaroWinkler { thresholds } => {
                let Some(weakest) = thresholds.last() else {
                    return last;
                };
                // Jaro similarity is at most (2 + short/long) / 3; skip the
                // computation when the lengths alone rule out every level.
                let (ca, cb) = (chars(a), chars(b));
                let (la, lb) = (ca.min(cb), ca.max(cb));
                let bound = (2.0 + la as f64 / lb as f64) / 3.0;
                let bound = bound + 0.4 * (1.0 - bound); // Winkler bonus
                if bound < *weakest {
                    return last;
                }
                let s = if let Some(s) = short_jaro_winkler(a, b) {
                    s
                } else {
                    match jaro_winkler_at_least(a, b, *weakest) {
                        Some(s) => s,
                        None => return last,
                    }
                };
                match thresholds.iter().position(|t| s >= *t) {
                    Some(i) => 2 + i as u8,
                    None => last,
                }
            }
            Comparison::Edit { max } => {
                let Some(widest) = max.last() else {
                    return last;
                };
                if chars(a).abs_diff(chars(b)) > *widest {
                    return last;
                }
                let Some(d) = edits_within(a, b, *widest) else {
                    return last;
                };
                match max.iter().position(|m| d <= *m) {
                    Some(i) => 2 + i as u8,
                    None => last,
                }
            }
            Comparison::Date { years } => date_level(a, b, *years),
        }
    }
}

/// The Jaro–Winkler similarity of `a` and `b` (prefix weight 0.1, as
/// Winkler), when it is at least `cutoff`. Bit-parallel (rapidfuzz), on
/// bytes when both are ASCII.
pub(crate) fn jaro_winkler_at_least(a: &str, b: &str, cutoff: f64) -> Option<f64> {
    use rapidfuzz::distance::jaro_winkler;
    let args = jaro_winkler::Args::default().score_cutoff(cutoff);
    if a.is_ascii() && b.is_ascii() {
        jaro_winkler::similarity_with_args(a.bytes(), b.bytes(), &args)
    } else {
        jaro_winkler::similarity_with_args(a.chars(), b.chars(), &args)
    }
}

/// The edit distance of `a` and `b` (insertions, deletions, substitutions
/// and swaps of neighbours: optimal string alignment), when it is at most
/// `max`.
pub(crate) fn edits_at_most(a: &str, b: &str, max: usize) -> Option<usize> {
    use rapidfuzz::distance::osa;
    let args = osa::Args::default().score_cutoff(max);
    if a.is_ascii() && b.is_ascii() {
        osa::distance_with_args(a.bytes(), b.bytes(), &args)
    } else {
        osa::distance_with_args(a.chars(), b.chars(), &args)
    }
}

/// The Jaro–Winkler similarity of two ASCII texts of at most 64 bytes
/// (`None` otherwise), exactly as [`jaro_winkler_at_least`] computes it:
/// the same matches (each character of `b` takes the first free equal
/// character of `a` within the window), transpositions and prefix bonus,
/// in the same floating-point order; a little faster on short names,
/// and it gives the similarity itself for all the levels at once.
fn short_jaro_winkler(a: &str, b: &str) -> Option<f64> {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (la, lb) = (a.len(), b.len());
    if la > 64 || lb > 64 || !a.is_ascii() || !b.is_ascii() {
        return None;
    }
    if la == 0 || lb == 0 {
        return Some(if la == lb { 1.0 } else { 0.0 });
    }
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count();
    let jaro = if la == 1 && lb == 1 {
        f64::from(u8::from(a[0] == b[0]))
    } else {
        let bound = la.max(lb) / 2 - 1;
        // Where each letter of `a` is, as bits; then each letter of `b`
        // takes the lowest free one within its window.
        let mut at = [0u64; 128];
        for (i, &c) in a.iter().enumerate() {
            at[usize::from(c)] |= 1 << i;
        }
        let (mut a_flag, mut b_flag) = (0u64, 0u64);
        for (j, &c) in b.iter().enumerate() {
            let (lo, hi) = (j.saturating_sub(bound), j + bound + 1);
            let below_hi = if hi >= 64 { !0 } else { (1u64 << hi) - 1 };
            let free = at[usize::from(c)] & below_hi & !((1u64 << lo) - 1) & !a_flag;
            if free != 0 {
                a_flag |= free & free.wrapping_neg();
                b_flag |= 1 << j;
            }
        }
        let common = a_flag.count_ones() as usize;
        if common == 0 {
            0.0
        } else {
            let mut transpositions = 0usize;
            while b_flag != 0 {
                let (i, j) = (a_flag.trailing_zeros(), b_flag.trailing_zeros());
                transpositions += usize::from(a[i as usize] != b[j as usize]);
                a_flag &= a_flag - 1;
                b_flag &= b_flag - 1;
            }
            let (m, t) = (common as f64, (transpositions / 2) as f64);
            let mut sim: f64 = 0.0;
            sim += m / la as f64;
            sim += m / lb as f64;
            sim += (m - t) / m;
            sim / 3.0
        }
    };
    Some(if jaro > 0.7 {
        jaro + prefix as f64 * 0.1 * (1.0 - jaro)
    } else {
        jaro
    })
}

/// The edit distance of two ASCII texts of at most 64 bytes, as
/// [`edits_at_most`] counts it (optimal string alignment), or
/// `usize::MAX` as soon as it is sure to be above `max`; `None` when the
/// texts are not short ASCII. By the plain table on the stack, after
/// dropping the common prefix and suffix: keyed numbers differ in one or
/// two places.
fn short_edits(a: &str, b: &str, max: usize) -> Option<usize> {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() > 64 || b.len() > 64 || !a.is_ascii() || !b.is_ascii() {
        return None;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
    if a.len().abs_diff(b.len()) > max {
        return Some(usize::MAX);
    }
    if a.is_empty() || b.is_empty() {
        return Some(a.len().max(b.len()));
    }
    // Rows i - 2, i - 1 and i of the table, over b.
    let mut before = [0usize; 65];
    let mut prev = [0usize; 65];
    let mut row = [0usize; 65];
    for (j, cell) in prev.iter_mut().enumerate().take(b.len() + 1) {
        *cell = j;
    }
    for i in 1..=a.len() {
        row[0] = i;
        let mut least = row[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(row[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            row[j] = d;
            least = least.min(d);
        }
        if least > max {
            return Some(usize::MAX);
        }
        before = prev;
        prev = row;
    }
    Some(prev[b.len()])
}

/// [`edits_at_most`], by [`short_edits`] when the texts are short ASCII.
fn edits_within(a: &str, b: &str, max: usize) -> Option<usize> {
    match short_edits(a, b, max) {
        Some(d) => (d <= max).then_some(d),
        None => edits_at_most(a, b, max),
    }
}

/// Characters in `s` (its length when it is ASCII, the usual case).
fn chars(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// Year, month and day of a `YYYYMMDD` or `YYYY-MM-DD` text, without
/// checking that the date exists (keyed dates are often impossible and
/// still informative).
fn date_parts(s: &str) -> Option<(u32, u32, u32)> {
    let mut digits = [0u8; 8];
    let mut n = 0;
    for c in s.bytes() {
        match c {
            b'0'..=b'9' if n < 8 => {
                digits[n] = c;
                n += 1;
            }
            b'-' => {}
            _ => return None,
        }
    }
    if n != 8 {
        return None;
    }
    let n = |r: std::ops::Range<usize>| {
        digits[r]
            .iter()
            .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'))
    };
    Some((n(0..4), n(4..6), n(6..8)))
}

fn date_level(a: &str, b: &str, years: u32) -> u8 {
    let (Some(x), Some(y)) = (date_parts(a), date_parts(b)) else {
        // Not dates: fall back to keying errors on the raw text.
        return if edits_within(a, b, 1).is_some() {
            2
        } else {
            5
        };
    };
    if x == y {
        return EXACT_LEVEL;
    }
    let swapped = x.0 == y.0 && x.1 == y.2 && x.2 == y.1;
    if swapped || edits_within(a, b, 1).is_some() {
        return 2;
    }
    if x.0 == y.0 && x.1 == y.1 {
        return 3;
    }
    if x.0.abs_diff(y.0) <= years {
        return 4;
    }
    5
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jaro_winkler_levels_go_from_strong_to_weak() {
        let c = Comparison::JaroWinkler {
            thresholds: vec![0.92, 0.8],
        };
        assert_eq!(c.levels(), 5);
        assert_eq!(c.level_of_different("martha", "marhta"), 2);
        assert_eq!(c.level_of_different("dwayne", "duane"), 3);
        assert_eq!(c.level_of_different("smith", "garcia"), 4);
        // Very different lengths never reach a level.
        assert_eq!(c.level_of_different("al", "alexandrina"), 4);
    }

    #[test]
    fn edit_levels_count_a_swap_as_one_edit() {
        let c = Comparison::Edit { max: vec![1, 2] };
        assert_eq!(c.level_of_different("1234567", "1234576"), 2);
        assert_eq!(c.level_of_different("1234567", "1234500"), 3);
        assert_eq!(c.level_of_different("1234567", "7654321"), 4);
    }

    #[test]
    fn dates_grade_keying_errors_above_the_same_year() {
        let c = Comparison::Date { years: 1 };
        assert_eq!(c.level_of_different("19800312", "19800313"), 2);
        assert_eq!(c.level_of_different("19800312", "19801203"), 2);
        assert_eq!(c.level_of_different("1980-03-12", "1980-03-25"), 3);
        assert_eq!(c.level_of_different("19800312", "19810620"), 4);
        assert_eq!(c.level_of_different("19800312", "19500620"), 5);
        assert_eq!(c.level_of_different("1980031", "1980032"), 2);
    }

    /// Short ASCII texts from a small alphabet, so that they share
    /// letters, with now and then one longer than 64 bytes or not ASCII.
    fn text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop_oneof![
            8 => "[abcde]{0,12}",
            2 => "[a-z ]{0,20}",
            1 => "[ab]{60,70}",
            1 => "[aé]{0,6}",
        ]
    }

    proptest::proptest! {
        #[test]
        fn the_short_jaro_winkler_is_rapidfuzzs(a in text(), b in text()) {
            use rapidfuzz::distance::jaro_winkler;
            if let Some(s) = short_jaro_winkler(&a, &b) {
                let want = jaro_winkler::similarity(a.bytes(), b.bytes());
                proptest::prop_assert_eq!(s.to_bits(), want.to_bits(), "{} {}", s, want);
            } else {
                proptest::prop_assert!(a.len() > 64 || b.len() > 64 || !a.is_ascii() || !b.is_ascii());
            }
        }

        #[test]
        fn the_short_edit_distance_is_rapidfuzzs(a in text(), b in text(), max in 1usize..4) {
            use rapidfuzz::distance::osa;
            let want = osa::distance(a.chars(), b.chars());
            let got = edits_within(&a, &b, max);
            proptest::prop_assert_eq!(got, (want <= max).then_some(want));
            if let Some(d) = short_edits(&a, &b, max) {
                proptest::prop_assert!(d == want || (d == usize::MAX && want > max));
            }
        }
    }

    #[test]
    fn the_short_comparisons_agree_with_rapidfuzz_on_names() {
        use rapidfuzz::distance::jaro_winkler;
        let names = [
            "martha", "marhta", "dwayne", "duane", "dixon", "dicksonx", "jones", "johnson",
            "abcvwxyz", "cabvwxyz", "a", "b", "ab", "ba", "crate", "trace",
        ];
        for a in names {
            for b in names {
                let want = jaro_winkler::similarity(a.bytes(), b.bytes());
                assert_eq!(short_jaro_winkler(a, b), Some(want), "{a} {b}");
            }
        }
        assert!((short_jaro_winkler("martha", "marhta").unwrap() - 0.9611).abs() < 1e-4);
        assert_eq!(edits_within("1234567", "1243567", 1), Some(1));
        assert_eq!(edits_within("ca", "abc", 3), Some(3));
        assert_eq!(edits_within("1234567", "7654321", 2), None);
    }

    #[test]
    fn dates_with_more_or_fewer_than_eight_digits_are_not_dates() {
        assert_eq!(date_parts("1980-03-12"), Some((1980, 3, 12)));
        assert_eq!(date_parts("198003121"), None);
        assert_eq!(date_parts("1980031"), None);
        assert_eq!(date_parts("1980/03/12"), None);
    }

    #[test]
    fn bad_settings_are_refused() {
        let c = Comparison::JaroWinkler {
            thresholds: vec![0.8, 0.9],
        };
        assert_eq!(c.validate(), Err(ComparisonError::BadThresholds));
        let c = Comparison::Edit { max: vec![0] };
        assert_eq!(c.validate(), Err(ComparisonError::BadBounds));
        assert!(Comparison::Date { years: 2 }.validate().is_ok());
    }
}
