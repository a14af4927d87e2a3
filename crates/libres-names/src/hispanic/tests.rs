#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::tables::{COMMON_SURNAMES, GIVEN_NAMES, GIVEN_TAILS, PARTICLE_SURNAMES};
use super::*;

fn parse(input: &str) -> ParsedName {
    parse_full_name(input).unwrap()
}

fn given_texts(p: &ParsedName) -> Vec<&str> {
    p.given.iter().map(|g| g.text.as_str()).collect()
}

fn given_canonicals(p: &ParsedName) -> Vec<&str> {
    p.given.iter().map(|g| g.canonical.as_str()).collect()
}

fn given_initials(p: &ParsedName) -> Vec<bool> {
    p.given.iter().map(|g| g.initial).collect()
}

fn surname_texts(p: &ParsedName) -> Vec<&str> {
    p.surnames.iter().map(|s| s.text.as_str()).collect()
}

fn surname_keys(p: &ParsedName) -> Vec<&str> {
    p.surnames.iter().map(|s| s.key.as_str()).collect()
}

fn unit_texts(p: &ParsedName) -> Vec<&str> {
    p.units.iter().map(|u| u.text.as_str()).collect()
}

// ---- tables ----

fn assert_sorted_unique(name: &str, table: &[&str]) {
    for pair in table.windows(2) {
        assert!(
            pair[0] < pair[1],
            "{name}: {:?} before {:?}",
            pair[0],
            pair[1]
        );
    }
    for word in table {
        assert!(
            !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase()),
            "{name}: {word:?} is not a folded word"
        );
    }
}

#[test]
fn every_word_table_is_sorted_unique_and_folded() {
    assert_sorted_unique("GIVEN_NAMES", GIVEN_NAMES);
    assert_sorted_unique("GIVEN_TAILS", GIVEN_TAILS);
    assert_sorted_unique("COMMON_SURNAMES", COMMON_SURNAMES);
    assert_sorted_unique("PARTICLE_SURNAMES", PARTICLE_SURNAMES);
}

#[test]
fn the_hypocorism_table_is_sorted_and_resolves_to_known_given_names() {
    let shorts: Vec<&str> = hypocorism::HYPOCORISMS.iter().map(|(s, _)| *s).collect();
    assert_sorted_unique("HYPOCORISMS", &shorts);
    assert!(shorts.len() >= 60, "only {} hypocorisms", shorts.len());
    for (short, full) in hypocorism::HYPOCORISMS {
        assert!(!full.is_empty(), "{short} has no full name");
        for name in *full {
            assert!(
                GIVEN_NAMES.binary_search(name).is_ok(),
                "{short} -> {name}, which is not a known given name"
            );
        }
    }
}

#[test]
fn the_given_name_list_holds_several_hundred_names_with_cuban_ones() {
    assert!(GIVEN_NAMES.len() >= 400);
    for name in [
        "yoandri", "yunior", "yordanis", "maykel", "yusleidy", "dayami", "keilylli",
    ] {
        assert!(is_known_given(name), "{name}");
    }
}

#[test]
fn the_glued_prefixes_are_tried_longest_first() {
    let prefixes = normalize::GLUED_PREFIXES;
    for pair in prefixes.windows(2) {
        assert!(pair[0].0.len() >= pair[1].0.len());
    }
}

// ---- fold ----

#[test]
fn fold_drops_accents_lowercases_and_collapses_spaces() {
    assert_eq!(fold("  NÚÑEZ-García "), "nunez garcia");
    assert_eq!(fold("José\tLuis   PÉREZ"), "jose luis perez");
    assert_eq!(fold("MARÍA DE LOS ÁNGELES"), "maria de los angeles");
    assert_eq!(fold("Ü ç ß Æ"), "u c ss ae");
    assert_eq!(fold(""), "");
    assert_eq!(fold(" \t\n "), "");
}

#[test]
fn fold_reads_n_with_tilde_as_n() {
    assert_eq!(fold("NUNEZ"), fold("Núñez"));
    assert_eq!(fold("Ñañez"), "nanez");
}

#[test]
fn fold_drops_decomposed_accents_without_splitting_the_word() {
    assert_eq!(fold("Jose\u{301} Pe\u{301}rez"), "jose perez");
    assert_eq!(fold("Mari\u{200b}a"), "maria");
}

#[test]
fn fold_joins_apostrophes_so_no_stray_initial_appears() {
    assert_eq!(fold("O'Farrill"), "ofarrill");
    assert_eq!(fold("O’Farrill"), "ofarrill");
    assert_eq!(fold("José´"), "jose");
}

#[test]
fn fold_turns_punctuation_and_symbols_into_spaces_and_keeps_digits() {
    assert_eq!(fold("=PEREZ+GARCIA@jose"), "perez garcia jose");
    assert_eq!(fold("Pérez (1985) ×2"), "perez 1985 2");
    assert_eq!(fold("¿Quién?"), "quien");
}

#[test]
fn fold_does_not_transliterate_other_scripts() {
    assert_eq!(fold("王小明"), "");
    assert_eq!(fold("محمد"), "");
    assert_eq!(fold("Иван Pérez"), "perez");
}

#[test]
fn fold_reads_full_width_latin_letters() {
    assert_eq!(fold("ＪＯＳＥ"), "jose");
}

// ---- phonetic ----

#[test]
fn phonetic_keys_agree_on_spellings_that_sound_alike() {
    let same = [
        ("yoandri", "yoandry"),
        ("hernandez", "ernandes"),
        ("vazquez", "basques"),
        ("llanes", "yanes"),
        ("gimenez", "jimenez"),
        ("maikel", "maykel"),
        ("yusleidy", "yusleydi"),
        ("rafael", "raphael"),
        ("ascencio", "asencio"),
        ("guillermo", "guiyermo"),
        ("quintero", "kintero"),
        ("carlos", "karlos"),
        ("cynthia", "sintia"),
        ("barrios", "barios"),
        ("gonzalez", "gonsales"),
        ("xiomara", "siomara"),
    ];
    for (a, b) in same {
        assert_eq!(phonetic(a), phonetic(b), "{a} / {b}");
    }
}

#[test]
fn phonetic_keys_differ_where_the_sound_differs() {
    let different = [
        ("perez", "paz"),
        ("garcia", "garza"),
        ("gomez", "jomez"),
        ("chavez", "sabes"),
        ("luis", "luisa"),
        ("mora", "moro"),
    ];
    for (a, b) in different {
        assert_ne!(phonetic(a), phonetic(b), "{a} / {b}");
    }
}

#[test]
fn phonetic_examples_give_the_documented_keys() {
    assert_eq!(phonetic("hernandez"), "ernandes");
    assert_eq!(phonetic("vazquez"), "baskes");
    assert_eq!(phonetic("chavez"), "chabes");
    assert_eq!(phonetic("felix"), "feliks");
    assert_eq!(phonetic("extremera"), "estremera");
    assert_eq!(phonetic("rosell"), "rosel");
    assert_eq!(phonetic("guevara"), "guebara");
}

#[test]
fn phonetic_of_a_silent_word_keeps_its_first_letter() {
    assert_eq!(phonetic("h"), "h");
    assert_eq!(phonetic("hh"), "h");
    assert_eq!(phonetic(""), "");
    assert_eq!(phonetic("123"), "");
}

#[test]
fn phonetic_folds_unfolded_input_first() {
    assert_eq!(phonetic("Núñez"), phonetic("nunez"));
    assert_eq!(phonetic("GIMÉNEZ"), phonetic("jimenez"));
}

// ---- hypocorisms and given names ----

#[test]
fn hypocorisms_resolve_to_the_full_given_name() {
    let pairs = [
        ("pepe", "jose"),
        ("pepito", "jose"),
        ("paco", "francisco"),
        ("pancho", "francisco"),
        ("curro", "francisco"),
        ("lupe", "guadalupe"),
        ("manolo", "manuel"),
        ("chucho", "jesus"),
        ("chuy", "jesus"),
        ("nacho", "ignacio"),
        ("lalo", "eduardo"),
        ("memo", "guillermo"),
        ("tono", "antonio"),
        ("quique", "enrique"),
        ("rafa", "rafael"),
        ("lencho", "lorenzo"),
        ("chelo", "consuelo"),
        ("concha", "concepcion"),
        ("conchita", "concepcion"),
        ("charo", "rosario"),
        ("lola", "dolores"),
        ("pili", "pilar"),
        ("meche", "mercedes"),
        ("chema", "jose"),
        ("ma", "maria"),
        ("fco", "francisco"),
    ];
    for (short, full) in pairs {
        assert_eq!(canonical_given(short), full, "{short}");
    }
}

#[test]
fn an_unknown_or_full_given_name_is_its_own_canonical_form() {
    assert_eq!(canonical_given("maria"), "maria");
    assert_eq!(canonical_given("yoandri"), "yoandri");
    assert_eq!(canonical_given("j"), "j");
    assert_eq!(canonical_given(""), "");
    assert!(given_variants("maria").is_empty());
}

#[test]
fn ambiguous_hypocorisms_list_every_full_name_most_common_first() {
    assert_eq!(given_variants("beto"), ["alberto", "roberto", "humberto"]);
    assert_eq!(canonical_given("beto"), "alberto");
    assert_eq!(given_variants("dani"), ["daniel", "daniela"]);
}

#[test]
fn hypocorisms_and_abbreviations_count_as_known_given_names() {
    assert!(is_known_given("pepe"));
    assert!(is_known_given("ma"));
    assert!(is_known_given("luis"));
    assert!(!is_known_given("perez"));
    assert!(!is_known_given(""));
}

#[test]
fn particles_are_the_small_joining_words() {
    for p in ["de", "del", "la", "las", "los", "y", "da", "do", "dos"] {
        assert!(is_particle(p), "{p}");
    }
    for w in ["san", "santa", "delgado", "o", "e", ""] {
        assert!(!is_particle(w), "{w}");
    }
}

// ---- comma form ----

#[test]
fn surnames_first_with_comma_are_split_at_the_comma() {
    let p = parse("RODRIGUEZ GARCIA, MARIA DE LOS ANGELES");
    assert!(p.split_known);
    assert_eq!(surname_texts(&p), ["rodriguez", "garcia"]);
    assert_eq!(given_texts(&p), ["maria", "angeles"]);
    assert_eq!(
        unit_texts(&p),
        ["rodriguez", "garcia", "maria", "de los angeles"]
    );
}

#[test]
fn a_comma_with_letters_on_one_side_only_leaves_free_text() {
    let p = parse("Jose Perez, 45");
    assert!(!p.split_known);
    assert_eq!(given_texts(&p), ["jose"]);
    assert_eq!(surname_texts(&p), ["perez"]);
    let p = parse(", Jose Perez");
    assert!(!p.split_known);
}

#[test]
fn a_comma_followed_by_junk_still_splits_at_the_first_comma_with_letters() {
    let p = parse("PEREZ GARCIA, JOSE, 45");
    assert!(p.split_known);
    assert_eq!(surname_texts(&p), ["perez", "garcia"]);
    assert_eq!(given_texts(&p), ["jose"]);
}

#[test]
fn two_commas_between_words_are_read_as_free_text() {
    let p = parse("Perez, Garcia, Jose");
    assert!(!p.split_known);
    assert_eq!(unit_texts(&p), ["perez", "garcia", "jose"]);
    assert_eq!(surname_texts(&p), ["perez", "garcia"]);
    assert_eq!(given_texts(&p), ["jose"]);
}

#[test]
fn a_lone_y_in_given_names_is_an_initial() {
    let p = parse("PEREZ, JOSE Y");
    assert_eq!(given_texts(&p), ["jose", "y"]);
    assert_eq!(given_initials(&p), [false, true]);
}

// ---- initials and abbreviations ----

#[test]
fn an_initial_after_a_given_name_is_a_given_initial() {
    let p = parse("José A. Pérez");
    assert_eq!(given_texts(&p), ["jose", "a"]);
    assert_eq!(given_initials(&p), [false, true]);
    assert_eq!(surname_texts(&p), ["perez"]);
}

#[test]
fn ma_stands_for_maria_and_a_particle_before_an_initial_is_dropped() {
    let p = parse("Ma. de los A. Rodríguez");
    assert_eq!(given_texts(&p), ["ma", "a"]);
    assert_eq!(given_canonicals(&p), ["maria", "a"]);
    assert_eq!(given_initials(&p), [false, true]);
    assert_eq!(surname_texts(&p), ["rodriguez"]);
}

#[test]
fn an_uppercase_list_entry_with_initial_parses() {
    let p = parse("JOSE A. PEREZ");
    assert_eq!(given_texts(&p), ["jose", "a"]);
    assert_eq!(surname_texts(&p), ["perez"]);
}

#[test]
fn a_y_after_a_given_name_is_an_initial_but_between_surnames_a_particle() {
    let p = parse("José Y Pérez");
    assert_eq!(given_texts(&p), ["jose", "y"]);
    assert_eq!(surname_texts(&p), ["perez"]);
    let p = parse("José Ortega y Gasset");
    assert_eq!(given_texts(&p), ["jose"]);
    assert_eq!(surname_texts(&p), ["ortega", "y gasset"]);
    assert_eq!(surname_keys(&p), ["ortega", "gasset"]);
}

// ---- free text ----

#[test]
fn a_compound_given_name_without_comma_keeps_its_tail_as_given() {
    let p = parse("Maria de los Angeles Rodriguez Garcia");
    assert!(!p.split_known);
    assert_eq!(given_texts(&p), ["maria", "angeles"]);
    assert_eq!(surname_texts(&p), ["rodriguez", "garcia"]);
}

#[test]
fn a_shortened_compound_given_name_parses_like_the_full_one() {
    let p = parse("Maria Angeles Rodriguez");
    assert_eq!(given_texts(&p), ["maria", "angeles"]);
    assert_eq!(surname_texts(&p), ["rodriguez"]);
}

#[test]
fn juan_de_la_cruz_before_one_more_word_reads_de_la_cruz_as_a_surname() {
    let p = parse("Juan de la Cruz Pérez");
    assert_eq!(given_texts(&p), ["juan"]);
    assert_eq!(surname_texts(&p), ["de la cruz", "perez"]);
    assert_eq!(surname_keys(&p), ["cruz", "perez"]);
    assert_eq!(unit_texts(&p), ["juan", "de la cruz", "perez"]);
}

#[test]
fn juan_de_la_cruz_before_two_surnames_reads_as_a_compound_given_name() {
    let p = parse("Juan de la Cruz Pérez García");
    assert_eq!(given_texts(&p), ["juan", "cruz"]);
    assert_eq!(surname_texts(&p), ["perez", "garcia"]);
}

#[test]
fn a_second_known_given_name_stays_a_given_name() {
    let p = parse("José Luis Pérez");
    assert_eq!(given_texts(&p), ["jose", "luis"]);
    assert_eq!(surname_texts(&p), ["perez"]);
}

#[test]
fn a_given_name_that_is_also_a_frequent_surname_becomes_the_first_surname() {
    let p = parse("Luis Martín García");
    assert_eq!(given_texts(&p), ["luis"]);
    assert_eq!(surname_texts(&p), ["martin", "garcia"]);
}

#[test]
fn an_unusual_first_given_name_still_leaves_two_surnames() {
    let p = parse("Yoandri Pérez García");
    assert_eq!(given_texts(&p), ["yoandri"]);
    assert_eq!(surname_texts(&p), ["perez", "garcia"]);
    let p = parse("Dairelys Pérez García");
    assert_eq!(given_texts(&p), ["dairelys"]);
    assert_eq!(surname_texts(&p), ["perez", "garcia"]);
}

#[test]
fn four_units_with_unknown_given_names_split_two_and_two() {
    let p = parse("Dairelys Yanara Pérez García");
    assert_eq!(given_texts(&p), ["dairelys", "yanara"]);
    assert_eq!(surname_texts(&p), ["perez", "garcia"]);
}

#[test]
fn three_frequent_surnames_after_one_given_name_stay_surnames() {
    let p = parse("José Pérez García López");
    assert_eq!(given_texts(&p), ["jose"]);
    assert_eq!(surname_texts(&p), ["perez", "garcia", "lopez"]);
}

#[test]
fn a_hypocorism_counts_as_a_given_name_and_resolves() {
    let p = parse("Pepe Perez Gonzalez");
    assert_eq!(given_texts(&p), ["pepe"]);
    assert_eq!(given_canonicals(&p), ["jose"]);
    assert_eq!(surname_texts(&p), ["perez", "gonzalez"]);
}

#[test]
fn surnames_first_without_comma_are_recognised_by_a_trailing_given_name() {
    let p = parse("PEREZ GARCIA JOSE LUIS");
    assert!(!p.split_known);
    assert_eq!(surname_texts(&p), ["perez", "garcia"]);
    assert_eq!(given_texts(&p), ["jose", "luis"]);
    let p = parse("DE LA CRUZ PEREZ J");
    assert_eq!(surname_keys(&p), ["cruz", "perez"]);
    assert_eq!(given_texts(&p), ["j"]);
}

#[test]
fn units_hold_every_word_in_written_order_for_other_splits() {
    let p = parse("Maria del Carmen de la Cruz Perez");
    assert_eq!(
        unit_texts(&p),
        ["maria", "del carmen", "de la cruz", "perez"]
    );
    let keys: Vec<&str> = p.units.iter().map(|u| u.key.as_str()).collect();
    assert_eq!(keys, ["maria", "carmen", "cruz", "perez"]);
}

// ---- surnames ----

#[test]
fn a_glued_particle_is_split_off_a_surname_that_takes_one() {
    let p = parse("Juan Delacruz");
    assert_eq!(surname_texts(&p), ["de la cruz"]);
    assert_eq!(surname_keys(&p), ["cruz"]);
    let p = parse("Ana Delarosa Delvalle");
    assert_eq!(surname_keys(&p), ["rosa", "valle"]);
    let p = parse("Rosa Delao");
    assert_eq!(surname_texts(&p), ["de la o"]);
}

#[test]
fn a_surname_merely_starting_like_a_particle_stays_whole() {
    for name in ["Delgado", "Lara", "Losada", "Delia", "Lamas", "Deo"] {
        let p = parse(&format!("Juan {name}"));
        assert_eq!(surname_keys(&p), [fold(name)], "{name}");
    }
}

#[test]
fn spaced_and_glued_particles_give_the_same_key() {
    let spaced = parse("Juan de la Cruz");
    let glued = parse("JUAN DELACRUZ");
    assert_eq!(surname_keys(&spaced), surname_keys(&glued));
    assert_eq!(surname_texts(&spaced), surname_texts(&glued));
}

#[test]
fn san_stays_in_the_surname_key() {
    let p = parse("José San Martín Pérez");
    assert_eq!(surname_texts(&p), ["san martin", "perez"]);
    assert_eq!(surname_keys(&p), ["sanmartin", "perez"]);
    let glued = parse("José Sanmartín Pérez");
    assert_eq!(surname_keys(&glued), ["sanmartin", "perez"]);
}

#[test]
fn hyphenated_surnames_give_two_surname_units() {
    let p = parse("José Pérez-Núñez");
    assert_eq!(surname_texts(&p), ["perez", "nunez"]);
    let registry = parse_structured("José", "Pérez-Núñez", "").unwrap();
    assert_eq!(surname_keys(&registry), ["perez", "nunez"]);
    let registry = parse_structured("José", "Pérez", "Núñez").unwrap();
    assert_eq!(surname_keys(&registry), ["perez", "nunez"]);
}

#[test]
fn dangling_particles_are_dropped() {
    let p = parse("Jose Perez de");
    assert_eq!(unit_texts(&p), ["jose", "perez"]);
}

#[test]
fn a_name_of_particles_only_keeps_them_as_words() {
    let p = parse("De La");
    assert_eq!(unit_texts(&p), ["de", "la"]);
}

// ---- carelessness ----

#[test]
fn case_accents_tabs_and_spaces_do_not_change_the_parse() {
    let a = parse("José  Luis\tNÚÑEZ   García");
    let b = parse("jose luis nunez garcia");
    assert_eq!(a, b);
}

#[test]
fn digits_and_punctuation_are_dropped() {
    let p = parse("1. José Pérez (45 años)");
    assert_eq!(given_texts(&p), ["jose"]);
    assert_eq!(surname_texts(&p), ["perez", "anos"]);
    let p = parse("=JOSE+PEREZ@");
    assert_eq!(unit_texts(&p), ["jose", "perez"]);
    let p = parse("Jose2Perez");
    assert_eq!(unit_texts(&p), ["jose", "perez"]);
}

#[test]
fn a_name_of_frequent_surnames_only_has_no_given_name() {
    let p = parse("PÉREZ GARCÍA");
    assert!(p.given.is_empty());
    assert_eq!(surname_texts(&p), ["perez", "garcia"]);
    let p = parse("Pérez Yoandri");
    assert_eq!(given_texts(&p), ["yoandri"]);
    assert_eq!(surname_texts(&p), ["perez"]);
}

#[test]
fn a_single_known_given_name_is_a_given_name() {
    let p = parse("José");
    assert_eq!(given_texts(&p), ["jose"]);
    assert!(p.surnames.is_empty());
}

#[test]
fn a_single_unknown_word_is_a_surname() {
    let p = parse("Pérez");
    assert!(p.given.is_empty());
    assert_eq!(surname_texts(&p), ["perez"]);
    assert_eq!(p.units.len(), 1);
}

// ---- errors ----

#[test]
fn empty_or_blank_input_is_empty() {
    assert_eq!(parse_full_name(""), Err(NameError::Empty));
    assert_eq!(parse_full_name(" \t\n"), Err(NameError::Empty));
    assert_eq!(parse_full_name(" , .;"), Err(NameError::Empty));
    assert_eq!(parse_structured("", " ", ""), Err(NameError::Empty));
}

#[test]
fn input_over_the_limit_is_too_long() {
    let long = "a".repeat(MAX_NAME_CHARS + 1);
    assert_eq!(parse_full_name(&long), Err(NameError::TooLong));
    let huge = "Pérez ".repeat(2_000);
    assert_eq!(parse_full_name(&huge), Err(NameError::TooLong));
    assert_eq!(parse_structured("José", &huge, ""), Err(NameError::TooLong));
    // The limit counts characters, not bytes.
    let accented = "é".repeat(MAX_NAME_CHARS);
    assert!(parse_full_name(&accented).is_ok());
}

#[test]
fn names_in_other_scripts_have_no_latin_letters() {
    assert_eq!(parse_full_name("王小明"), Err(NameError::NoLatinLetters));
    assert_eq!(parse_full_name("محمد"), Err(NameError::NoLatinLetters));
    assert_eq!(parse_full_name("12345"), Err(NameError::NoLatinLetters));
    assert_eq!(
        parse_structured("王小明", "", ""),
        Err(NameError::NoLatinLetters)
    );
}

#[test]
fn a_latin_name_beside_another_script_keeps_the_latin_part() {
    let p = parse("王 José Pérez");
    assert_eq!(unit_texts(&p), ["jose", "perez"]);
}

// ---- structured ----

#[test]
fn the_registry_form_is_split_by_field() {
    let p = parse_structured("María de los Ángeles", "Rodríguez", "García").unwrap();
    assert!(p.split_known);
    assert_eq!(given_texts(&p), ["maria", "angeles"]);
    assert_eq!(surname_texts(&p), ["rodriguez", "garcia"]);
    assert_eq!(
        unit_texts(&p),
        ["maria", "de los angeles", "rodriguez", "garcia"]
    );
}

#[test]
fn the_registry_form_accepts_missing_fields() {
    let p = parse_structured("", "Pérez", "").unwrap();
    assert!(p.given.is_empty());
    assert_eq!(surname_texts(&p), ["perez"]);
    let p = parse_structured("José", "", "").unwrap();
    assert_eq!(given_texts(&p), ["jose"]);
    assert!(p.surnames.is_empty());
}

#[test]
fn the_registry_form_matches_the_comma_form() {
    let registry = parse_structured("Juan", "de la Cruz", "Pérez").unwrap();
    let listed = parse("DE LA CRUZ PEREZ, JUAN");
    assert_eq!(registry.given, listed.given);
    assert_eq!(registry.surnames, listed.surnames);
}

#[test]
fn a_y_in_a_surname_field_joins_two_surnames() {
    let p = parse_structured("José", "Ortega y Gasset", "").unwrap();
    assert_eq!(surname_texts(&p), ["ortega", "y gasset"]);
}

#[test]
fn parse_structured_is_fast_enough_for_a_million_names() {
    // A loose bound that still catches an accidental quadratic path or
    // a regex: the target is about a microsecond per name in release.
    let start = std::time::Instant::now();
    for _ in 0..10_000 {
        let p = parse_structured("María de los Ángeles", "Rodríguez", "García").unwrap();
        assert_eq!(p.units.len(), 4);
    }
    assert!(start.elapsed() < std::time::Duration::from_secs(2));
}
