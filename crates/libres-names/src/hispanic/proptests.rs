#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;

use super::*;

const GIVEN: &[&str] = &[
    "José", "María", "Luis", "Ana", "Yoandri", "Maykel", "Yusleidy", "Dayamí", "Ángel", "Jesús",
    "Pepe", "Ma.", "A.", "J", "Inés", "Dairelys",
];

const GIVEN_TAIL: &[&str] = &[
    "de los Ángeles",
    "del Carmen",
    "de Jesús",
    "de la Caridad",
    "del Rosario",
];

const SURNAMES: &[&str] = &[
    "Pérez",
    "García",
    "Rodríguez",
    "Núñez",
    "González",
    "de la Cruz",
    "del Valle",
    "Delacruz",
    "San Martín",
    "Ibáñez",
    "Peña",
    "Delgado",
    "Martín",
    "Vázquez",
    "O'Farrill",
    "Pérez-Núñez",
    "Ortega y Gasset",
];

/// A generated name: given names, first and second surname.
#[derive(Debug, Clone)]
struct Name {
    given: String,
    surname1: String,
    surname2: String,
}

fn pick(list: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    proptest::sample::select(list)
}

fn name() -> impl Strategy<Value = Name> {
    (
        proptest::collection::vec(pick(GIVEN), 1..3),
        proptest::option::of(pick(GIVEN_TAIL)),
        pick(SURNAMES),
        proptest::option::of(pick(SURNAMES)),
    )
        .prop_map(|(given, tail, s1, s2)| {
            let mut given = given.join(" ");
            if let Some(tail) = tail {
                given.push(' ');
                given.push_str(tail);
            }
            Name {
                given,
                surname1: s1.to_owned(),
                surname2: s2.unwrap_or_default().to_owned(),
            }
        })
}

/// Words chosen to hit the parser's special cases: particles, "y",
/// "san", glued particles, initials, hypocorisms, commas.
const TRICKY: &[&str] = &[
    "y",
    "Y.",
    "de",
    "la",
    "del",
    "los",
    "san",
    "Santa",
    "Delacruz",
    "delao",
    "José",
    "Pérez",
    "cruz",
    "A.",
    "Ma.",
    "o",
    ",",
    "Ortega",
    "Luis",
    "Martín",
    "García",
    "de los Ángeles",
    "-",
    "Dairelys",
    "12",
    "王",
];

fn tricky_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(pick(TRICKY), 0..8).prop_map(|words| words.join(" "))
}

/// Free text in Spanish order, or the comma form.
fn written(n: &Name, comma: bool) -> String {
    if comma {
        format!("{} {}, {}", n.surname1, n.surname2, n.given)
    } else {
        format!("{} {} {}", n.given, n.surname1, n.surname2)
    }
}

/// Writes a parse back as text: the comma form when the split was known.
fn rejoin(p: &ParsedName) -> String {
    let texts: Vec<&str> = p.units.iter().map(|u| u.text.as_str()).collect();
    if p.split_known {
        let (surnames, given) = texts.split_at(p.surnames.len());
        format!("{}, {}", surnames.join(" "), given.join(" "))
    } else {
        texts.join(" ")
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parsing_never_panics_on_arbitrary_text(s in any::<String>()) {
        let _ = parse_full_name(&s);
        let third = s.chars().count() / 3;
        let a: String = s.chars().take(third).collect();
        let b: String = s.chars().skip(third).take(third).collect();
        let c: String = s.chars().skip(2 * third).collect();
        let _ = parse_structured(&a, &b, &c);
    }

    #[test]
    fn parsing_never_panics_on_name_like_text(s in "[A-Za-zÁÉÍÓÚÑáéíóúñü ,.'-]{0,60}") {
        if let Ok(p) = parse_full_name(&s) {
            prop_assert!(!p.units.is_empty());
            prop_assert_eq!(p.given.len() + p.surnames.len(), p.units.len());
        }
    }

    #[test]
    fn fold_is_idempotent_and_gives_single_spaced_lowercase_ascii(s in any::<String>()) {
        let f = fold(&s);
        prop_assert!(f.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b' '));
        prop_assert!(!f.starts_with(' ') && !f.ends_with(' ') && !f.contains("  "));
        prop_assert_eq!(fold(&f), f);
    }

    #[test]
    fn phonetic_gives_a_non_empty_ascii_key_that_is_its_own_key(word in "[a-z]{1,14}") {
        let key = phonetic(&word);
        prop_assert!(!key.is_empty());
        prop_assert!(key.bytes().all(|b| b.is_ascii_lowercase()));
        prop_assert_eq!(phonetic(&key), key);
    }

    #[test]
    fn phonetic_never_panics_on_arbitrary_text(s in any::<String>()) {
        let key = phonetic(&s);
        prop_assert!(key.is_ascii());
        if fold(&s).bytes().any(|b| b.is_ascii_lowercase()) {
            prop_assert!(!key.is_empty());
        }
    }

    #[test]
    fn canonical_given_never_panics_and_is_stable(s in "[a-z]{0,10}") {
        let c = canonical_given(&s);
        prop_assert_eq!(canonical_given(c), c);
    }

    #[test]
    fn rejoining_the_units_of_arbitrary_text_parses_to_the_same_units(s in any::<String>()) {
        if let Ok(p) = parse_full_name(&s) {
            let again = parse_full_name(&rejoin(&p)).unwrap();
            prop_assert_eq!(&again.units, &p.units);
            prop_assert_eq!(again.split_known, p.split_known);
        }
    }

    #[test]
    fn rejoining_the_units_of_tricky_text_parses_to_the_same_units(s in tricky_text()) {
        if let Ok(p) = parse_full_name(&s) {
            prop_assert!(!p.units.is_empty());
            prop_assert_eq!(p.given.len() + p.surnames.len(), p.units.len());
            let again = parse_full_name(&rejoin(&p)).unwrap();
            prop_assert_eq!(again, p);
        }
    }

    #[test]
    fn rejoining_the_units_of_a_name_parses_to_the_same_name(n in name(), comma in any::<bool>()) {
        let p = parse_full_name(&written(&n, comma)).unwrap();
        let again = parse_full_name(&rejoin(&p)).unwrap();
        prop_assert_eq!(again, p);
    }

    #[test]
    fn the_comma_form_and_the_registry_form_give_the_same_name(n in name()) {
        let listed = parse_full_name(&written(&n, true)).unwrap();
        let registry = parse_structured(&n.given, &n.surname1, &n.surname2).unwrap();
        prop_assert!(listed.split_known);
        prop_assert_eq!(listed.given, registry.given);
        prop_assert_eq!(listed.surnames, registry.surnames);
    }

    #[test]
    fn upper_case_and_missing_accents_never_change_the_parse(n in name(), comma in any::<bool>()) {
        let text = written(&n, comma);
        let p = parse_full_name(&text).unwrap();
        prop_assert_eq!(&parse_full_name(&text.to_uppercase()).unwrap(), &p);
        prop_assert_eq!(&parse_full_name(&deunicode::deunicode(&text)).unwrap(), &p);
        let registry = parse_structured(&n.given, &n.surname1, &n.surname2).unwrap();
        let shouted = parse_structured(
            &n.given.to_uppercase(),
            &deunicode::deunicode(&n.surname1),
            &n.surname2.to_uppercase(),
        )
        .unwrap();
        prop_assert_eq!(shouted, registry);
    }

    #[test]
    fn overlong_input_is_rejected(extra in 1usize..2_000) {
        let s = "ñ".repeat(MAX_NAME_CHARS + extra);
        prop_assert_eq!(parse_full_name(&s), Err(NameError::TooLong));
    }
}
