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
                let Some(s) = jaro_winkler_at_least(a, b, *weakest) else {
                    return last;
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
                let Some(d) = edits_at_most(a, b, *widest) else {
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
    let digits: Vec<u8> = s.bytes().filter(u8::is_ascii_digit).collect();
    if digits.len() != 8 || s.bytes().any(|c| !(c.is_ascii_digit() || c == b'-')) {
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
        return if edits_at_most(a, b, 1).is_some() {
            2
        } else {
            5
        };
    };
    if x == y {
        return EXACT_LEVEL;
    }
    let swapped = x.0 == y.0 && x.1 == y.2 && x.2 == y.1;
    if swapped || edits_at_most(a, b, 1).is_some() {
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
