//! Feeds arbitrary bytes, read as UTF-8 with invalid sequences replaced,
//! to every entry point of the Spanish name module. It must never panic,
//! and a few invariants must hold whatever the input.

#![no_main]

use libfuzzer_sys::fuzz_target;
use libres_names::hispanic::{
    canonical_given, fold, parse_full_name, parse_structured, phonetic, MAX_NAME_CHARS,
};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);

    if let Ok(parsed) = parse_full_name(&text) {
        assert!(!parsed.units.is_empty());
        assert_eq!(
            parsed.given.len() + parsed.surnames.len(),
            parsed.units.len()
        );
        assert!(text.chars().count() <= MAX_NAME_CHARS);
    }

    // The registry form, from the input cut in three at char boundaries.
    let chars: Vec<char> = text.chars().collect();
    let third = chars.len() / 3;
    let field = |from: usize, to: usize| chars[from..to].iter().collect::<String>();
    let _ = parse_structured(
        &field(0, third),
        &field(third, 2 * third),
        &field(2 * third, chars.len()),
    );

    let folded = fold(&text);
    assert!(folded
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b' '));
    assert_eq!(fold(&folded), folded);

    for word in folded.split(' ') {
        let key = phonetic(word);
        assert!(key.is_ascii());
        if word.bytes().any(|b| b.is_ascii_lowercase()) {
            assert!(!key.is_empty());
            assert_eq!(phonetic(&key), key);
        }
        let canonical = canonical_given(word);
        assert_eq!(canonical_given(canonical), canonical);
    }
    // Unfolded input must not trip phonetic either.
    let _ = phonetic(&text);
});
