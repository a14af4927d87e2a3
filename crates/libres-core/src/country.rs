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

/// Which pairs of letters are codes: `ASSIGNED[(a - 'A') * 26 + (b - 'A')]`,
/// read off [`CODES`] once, at compile time. A lookup is one index: codes
/// are parsed for every person read from a file or a database.
const ASSIGNED: [bool; 26 * 26] = {
    let mut table = [false; 26 * 26];
    let b = CODES.as_bytes();
    let mut i = 0;
    while i + 1 < b.len() {
        if b[i].is_ascii_uppercase() && b[i + 1].is_ascii_uppercase() {
            table[(b[i] - b'A') as usize * 26 + (b[i + 1] - b'A') as usize] = true;
            i += 2;
        } else {
            i += 1;
        }
    }
    table
};

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
        if let [a, b] = *t.as_bytes() {
            let (a, b) = (a.to_ascii_uppercase(), b.to_ascii_uppercase());
            if a.is_ascii_uppercase()
                && b.is_ascii_uppercase()
                && ASSIGNED[usize::from(a - b'A') * 26 + usize::from(b - b'A')]
            {
                return Ok(CountryCode([a, b]));
            }
        }
        Err(UnknownCountry(t.to_owned()))
    }

    /// The code as text, e.g. `"CU"`.
    pub fn as_str(&self) -> &str {
        // The two bytes are ASCII upper-case letters by construction.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
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
    fn unknown_codes_are_rejected() {
        assert!(CountryCode::parse("XX").is_err());
        assert!(CountryCode::parse("CUB").is_err());
        assert!(CountryCode::parse("").is_err());
        assert!(CountryCode::parse("C1").is_err());
        assert!(
            CountryCode::parse("ñ").is_err(),
            "two bytes, not two letters"
        );
    }

    #[test]
    fn the_table_holds_exactly_the_listed_codes() {
        let listed: std::collections::HashSet<&str> = CODES.split(' ').collect();
        for a in b'A'..=b'Z' {
            for b in b'A'..=b'Z' {
                let code = String::from_utf8(vec![a, b]).unwrap();
                assert_eq!(
                    CountryCode::parse(&code).is_ok(),
                    listed.contains(code.as_str()),
                    "{code}"
                );
            }
        }
    }
}
