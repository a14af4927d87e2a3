//! Charges used against political prisoners, per country (DOMAIN.md).
//!
//! Charges are recorded as stable codes (`cu.desacato`) so that figures can
//! be counted per charge; the Spanish legal term is what the groups publish.

use crate::country::CountryCode;

/// A charge in a country's penal vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Charge {
    /// Stable code, `<country>.<slug>`.
    pub code: &'static str,
    /// The legal term in Spanish, as written in court papers.
    pub es: &'static str,
    /// An English rendering.
    pub en: &'static str,
}

const fn c(code: &'static str, es: &'static str, en: &'static str) -> Charge {
    Charge { code, es, en }
}

const CU: &[Charge] = &[
    c(
        "cu.ultraje",
        "ultraje a los símbolos de la patria",
        "insulting national symbols",
    ),
    c("cu.desacato", "desacato", "contempt of authority"),
    c("cu.propaganda", "propaganda enemiga", "enemy propaganda"),
    c("cu.desordenes", "desórdenes públicos", "public disorder"),
    c("cu.sedicion", "sedición", "sedition"),
    c("cu.atentado", "atentado", "assault on an official"),
    c(
        "cu.instigacion",
        "instigación a delinquir",
        "incitement to commit a crime",
    ),
    c("cu.resistencia", "resistencia", "resisting authority"),
];

const VE: &[Charge] = &[
    c("ve.terrorismo", "terrorismo", "terrorism"),
    c("ve.traicion", "traición a la patria", "treason"),
    c("ve.odio", "incitación al odio", "incitement to hatred"),
    c("ve.conspiracion", "conspiración", "conspiracy"),
];

const NI: &[Charge] = &[
    c(
        "ni.menoscabo",
        "menoscabo a la integridad nacional",
        "undermining national integrity",
    ),
    c(
        "ni.noticias_falsas",
        "propagación de noticias falsas",
        "spreading false news",
    ),
];

/// The charges known for a country (empty for countries without a list yet).
pub fn for_country(country: CountryCode) -> &'static [Charge] {
    match country.as_str() {
        "CU" => CU,
        "VE" => VE,
        "NI" => NI,
        _ => &[],
    }
}

/// Looks a charge up by its code, in any country.
pub fn by_code(code: &str) -> Option<&'static Charge> {
    CU.iter().chain(VE).chain(NI).find(|ch| ch.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_prefixed_by_their_country() {
        for cc in ["CU", "VE", "NI"] {
            let country = CountryCode::parse(cc).unwrap_or_else(|e| panic!("{e}"));
            let list = for_country(country);
            assert!(!list.is_empty());
            for ch in list {
                assert!(ch.code.starts_with(&cc.to_ascii_lowercase()));
                assert_eq!(by_code(ch.code), Some(ch));
            }
        }
        assert_eq!(by_code("cu.nothing"), None);
    }
}
