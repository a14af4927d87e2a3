//! Text folding used for search and comparison.
//!
//! Search must be accent- and case-insensitive: `gonzalez garcia` finds
//! "González García", `nunez` finds "Núñez". Every backend indexes the folded
//! form produced here, so the rule lives in exactly one place.

/// Folds text for accent- and case-insensitive search: transliterates to
/// ASCII, lower-cases, and collapses every run of non-alphanumeric characters
/// into one space. The result has no leading or trailing space.
///
/// ```
/// assert_eq!(libres_core::text::fold("  González-GARCÍA, Ñico "), "gonzalez garcia nico");
/// ```
pub fn fold(input: &str) -> String {
    let ascii = deunicode::deunicode(input);
    let mut out = String::with_capacity(ascii.len());
    let mut pending_space = false;
    for ch in ascii.chars() {
        if ch.is_ascii_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(ch.to_ascii_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

/// Splits folded text into its search terms.
pub fn terms(input: &str) -> Vec<String> {
    fold(input)
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accents_case_and_punctuation_are_folded() {
        assert_eq!(fold("María de los Ángeles"), "maria de los angeles");
        assert_eq!(fold("NÚÑEZ"), "nunez");
        assert_eq!(fold("O'Farrill"), "o farrill");
        assert_eq!(fold(""), "");
        assert_eq!(fold(" -- "), "");
    }

    proptest! {
        #[test]
        fn folding_is_idempotent(s in "\\PC{0,40}") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once.clone());
        }

        #[test]
        fn folded_text_is_lowercase_ascii_words(s in "\\PC{0,40}") {
            let f = fold(&s);
            prop_assert!(f.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == ' '));
            prop_assert!(!f.starts_with(' ') && !f.ends_with(' ') && !f.contains("  "));
        }

        #[test]
        fn upper_and_lower_case_fold_alike(s in "[a-zA-ZáéíóúñÁÉÍÓÚÑ ]{0,30}") {
            prop_assert_eq!(fold(&s.to_uppercase()), fold(&s.to_lowercase()));
        }
    }
}
