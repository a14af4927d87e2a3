//! ISO 3166-1 alpha-2 country codes.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Every officially assigned ISO 3166-1 alpha-2 code, plus `XK` (Kosovo),
/// which is user-assigned but in common use by human-rights groups.
const CODES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR \
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP \
KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT \
MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW \
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG \
UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW";

/// A validated ISO 3166-1 alpha-2 code, always upper case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CountryCode([u8; 2]);

/// A country code that is not an ISO 3166-1 alpha-2 code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an ISO 3166-1 alpha-2 country code")]
pub struct UnknownCountry(pub String);

impl CountryCode {
    /// Parses a code such as `CU` or `ve` (case-insensitive, surrounding
    /// spaces ignored).
    pub fn parse(input: &str) -> Result<Self, UnknownCountry> {
        let t = input.trim();
        match t.as_bytes() {
            [a, b] if is_known([a.to_ascii_uppercase(), b.to_ascii_uppercase()]) => {
                Ok(CountryCode([
                    a.to_ascii_uppercase(),
                    b.to_ascii_uppercase(),
                ]))
            }
            _ => Err(UnknownCountry(t.to_owned())),
        }
    }

    /// The code as text, e.g. `"CU"`.
    pub fn as_str(&self) -> &str {
        // The two bytes are ASCII upper-case letters by construction.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

/// Whether `code` is in [`CODES`], by binary search: every stored row
/// is parsed on its way out of the store (fifty per search page), so this
/// neither allocates nor scans the list.
fn is_known(code: [u8; 2]) -> bool {
    // CODES is sorted, one code every three bytes (see the tests).
    let codes = CODES.as_bytes();
    let (mut lo, mut hi) = (0, codes.len().div_ceil(3));
    while lo < hi {
        let mid = (lo + hi) / 2;
        match [codes[3 * mid], codes[3 * mid + 1]].cmp(&code) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for CountryCode {
    type Error = UnknownCountry;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        CountryCode::parse(&value)
    }
}

impl From<CountryCode> for String {
    fn from(c: CountryCode) -> String {
        c.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_parse_in_any_case() {
        assert_eq!(
            CountryCode::parse("cu").map(|c| c.to_string()),
            Ok("CU".into())
        );
        assert_eq!(
            CountryCode::parse(" NI ").map(|c| c.to_string()),
            Ok("NI".into())
        );
        assert_eq!(CODES.split(' ').count(), 250);
    }

    #[test]
    fn the_code_list_is_sorted_one_code_every_three_bytes() {
        let codes: Vec<&str> = CODES.split(' ').collect();
        assert!(codes.iter().all(|c| c.len() == 2), "{CODES}");
        assert!(codes.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats");
        for c in &codes {
            assert!(CountryCode::parse(c).is_ok(), "{c}");
            assert!(CountryCode::parse(&c.to_ascii_lowercase()).is_ok(), "{c}");
        }
        for missing in ["AA", "ZZ", "BZX", "A", "\u{e9}\u{e9}", "0A", "C U"] {
            assert!(CountryCode::parse(missing).is_err(), "{missing}");
        }
    }

    #[test]
    fn unknown_codes_are_rejected() {
        assert!(CountryCode::parse("XX").is_err());
        assert!(CountryCode::parse("CUB").is_err());
        assert!(CountryCode::parse("").is_err());
    }
}
