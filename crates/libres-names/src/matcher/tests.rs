//! Tests of the list matcher on small hand-made registries.
//!
//! The registry is synthetic: a few families written by hand for the
//! cases that matter (siblings, namesakes, fathers and sons, particles,
//! hypocorisms), and a few hundred background persons generated
//! deterministically from lists of Cuban given names and common surnames.
//! Each case is checked twice: in a short list (too few candidate pairs to
//! train on, so the starting model decides) and inside a long list written
//! from the background persons (enough pairs for EM).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use proptest::prelude::*;
use std::collections::HashSet;
use std::sync::OnceLock;

// ---------------------------------------------------------------------
// The synthetic registry.
// ---------------------------------------------------------------------

/// Background given names: none of them is used by the hand-made persons.
const BACKGROUND_GIVEN: &[&str] = &[
    "Yoandri",
    "Yunior",
    "Yordanis",
    "Maykel",
    "Yasiel",
    "Reinier",
    "Alexei",
    "Osmel",
    "Yoennis",
    "Dairon",
    "Yuniesky",
    "Lázaro",
    "Ulises",
    "Eliécer",
    "Yusniel",
    "Raidel",
    "Yusleidy",
    "Dayamí",
    "Keilylli",
    "Yanelis",
    "Mayelín",
    "Yudisleidy",
    "Odalys",
    "Yaimara",
    "Yoanka",
    "Dianelys",
    "Yarisleidy",
    "Niurka",
    "Yamilé",
    "Marbelis",
];

const BACKGROUND_SURNAMES: &[&str] = &[
    "García",
    "Rodríguez",
    "Pérez",
    "González",
    "Hernández",
    "Fernández",
    "Martínez",
    "López",
    "Díaz",
    "Sánchez",
    "Ramírez",
    "Álvarez",
    "Cabrera",
    "Betancourt",
    "Oquendo",
    "Quintero",
    "Ferrer",
    "Morales",
    "Fonseca",
    "Rivero",
];

const PROVINCES: &[&str] = &[
    "Pinar del Río",
    "Artemisa",
    "La Habana",
    "Mayabeque",
    "Matanzas",
    "Cienfuegos",
    "Villa Clara",
    "Sancti Spíritus",
    "Ciego de Ávila",
    "Camagüey",
    "Las Tunas",
    "Holguín",
    "Granma",
    "Santiago de Cuba",
    "Guantánamo",
    "Isla de la Juventud",
];

/// A tiny deterministic PRNG (xorshift64*), so the registry never changes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

fn person(id: &str, given: &str, s1: &str, s2: &str, birth: &str, province: &str) -> RegistryEntry {
    RegistryEntry {
        id: id.to_owned(),
        given_names: given.to_owned(),
        surname1: s1.to_owned(),
        surname2: s2.to_owned(),
        birth_date: birth.to_owned(),
        province: province.to_owned(),
        ..RegistryEntry::default()
    }
}

/// The hand-made persons, each there for a test.
fn hand_made() -> Vec<RegistryEntry> {
    vec![
        person(
            "maria-angeles",
            "María de los Ángeles",
            "Rodríguez",
            "García",
            "1975-06-02",
            "La Habana",
        ),
        person(
            "jose-antonio",
            "José Antonio",
            "Pérez",
            "Oliva",
            "1968",
            "Camagüey",
        ),
        person(
            "francisco",
            "Francisco",
            "Vázquez",
            "Ibáñez",
            "1971-01-20",
            "Matanzas",
        ),
        person(
            "guillermo",
            "Guillermo",
            "Castillo",
            "Llanes",
            "1983",
            "Holguín",
        ),
        person(
            "humberto",
            "Humberto",
            "Hernández",
            "Hidalgo",
            "1979",
            "Granma",
        ),
        person(
            "ana-gloria",
            "Ana Gloria",
            "de la Cruz",
            "Ferrer",
            "1988",
            "Villa Clara",
        ),
        // Siblings: both surnames shared.
        person(
            "yoel",
            "Yoel",
            "Martínez",
            "Quintana",
            "1980",
            "Santiago de Cuba",
        ),
        person(
            "yosvany",
            "Yosvany",
            "Martínez",
            "Quintana",
            "1983",
            "Santiago de Cuba",
        ),
        // Twins whose given names are one letter apart.
        person(
            "dariel",
            "Dariel",
            "Soto",
            "Peña",
            "1990-04-11",
            "Cienfuegos",
        ),
        person(
            "daniel",
            "Daniel",
            "Soto",
            "Peña",
            "1990-04-11",
            "Cienfuegos",
        ),
        // Namesakes: given name and first surname shared.
        person(
            "roberto-leyva",
            "Roberto",
            "González",
            "Leyva",
            "1965",
            "Las Tunas",
        ),
        person(
            "roberto-sosa",
            "Roberto",
            "González",
            "Sosa",
            "1972",
            "Guantánamo",
        ),
        // Father and son: the whole name shared.
        person(
            "ramon-father",
            "Ramón",
            "Velázquez",
            "Toranzo",
            "1950",
            "Santiago de Cuba",
        ),
        person(
            "ramon-son",
            "Ramón",
            "Velázquez",
            "Toranzo",
            "1975",
            "Santiago de Cuba",
        ),
        // The same person registered twice (a duplicate not yet merged).
        person("odelin-a", "Odelín", "Batista", "Rey", "1984", "Artemisa"),
        person("odelin-b", "Odelín", "Batista", "Rey", "1984", "Artemisa"),
    ]
}

/// `n` background persons with distinct full names: one or two given names
/// from [`BACKGROUND_GIVEN`] and two different surnames.
fn background(n: usize) -> Vec<RegistryEntry> {
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let first = rng.pick(BACKGROUND_GIVEN);
        let given = if rng.below(4) == 0 {
            let second = rng.pick(BACKGROUND_GIVEN);
            if second == first {
                continue;
            }
            format!("{first} {second}")
        } else {
            first.to_owned()
        };
        let s1 = rng.pick(BACKGROUND_SURNAMES);
        let s2 = rng.pick(BACKGROUND_SURNAMES);
        // The first given name alone must not name another person either
        // (a list dropping "Yasiel" from "Osmel Yasiel" must not name
        // somebody else): names are unique on the first given name.
        if s1 == s2 || !seen.insert((first.to_owned(), s1, s2)) {
            continue;
        }
        let year = 1950 + rng.below(50);
        let birth = if rng.below(3) == 0 {
            format!("{year}")
        } else {
            format!("{year}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28))
        };
        let province = rng.pick(PROVINCES);
        out.push(person(
            &format!("bg-{:04}", out.len()),
            &given,
            s1,
            s2,
            &birth,
            province,
        ));
    }
    out
}

const BACKGROUND_SIZE: usize = 2_000;

fn registry() -> &'static [RegistryEntry] {
    static REGISTRY: OnceLock<Vec<RegistryEntry>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut r = hand_made();
        r.extend(background(BACKGROUND_SIZE));
        r
    })
}

fn matcher() -> &'static Matcher {
    static MATCHER: OnceLock<Matcher> = OnceLock::new();
    MATCHER.get_or_init(|| Matcher::new(registry(), MatchSettings::default()))
}

fn index_of(id: &str) -> usize {
    registry()
        .iter()
        .position(|e| e.id == id)
        .unwrap_or_else(|| panic!("no registry person {id}"))
}

fn row(id: &str, name: &str, year: Option<i32>, province: &str) -> ListEntry {
    ListEntry {
        row_id: id.to_owned(),
        full_name: name.to_owned(),
        birth_year: year,
        province: province.to_owned(),
    }
}

fn named(name: &str) -> ListEntry {
    row("r", name, None, "")
}

/// A list written from the background persons as official lists write
/// names, with the index of the person each row was written from.
fn background_list() -> &'static [(ListEntry, usize)] {
    static LIST: OnceLock<Vec<(ListEntry, usize)>> = OnceLock::new();
    LIST.get_or_init(|| {
        let reg = registry();
        let offset = hand_made().len();
        let mut rng = Rng(0xB0B0_CAFE_0000_0007);
        (offset..reg.len())
            .map(|i| {
                let e = &reg[i];
                let plain = |s: &str| deunicode::deunicode(s).to_uppercase();
                let year = year_range(&e.birth_date).map(|(lo, _)| lo);
                let name = match rng.below(6) {
                    0 => plain(&format!("{} {} {}", e.given_names, e.surname1, e.surname2)),
                    1 => plain(&format!("{} {}, {}", e.surname1, e.surname2, e.given_names)),
                    // Only the first surname.
                    2 => format!("{} {}", e.given_names, e.surname1),
                    // Only the first given name.
                    3 => {
                        let first = e.given_names.split(' ').next().unwrap_or_default();
                        format!("{first} {} {}", e.surname1, e.surname2)
                    }
                    // An initial for the second given name, when there is one.
                    4 => match e.given_names.split_once(' ') {
                        Some((first, second)) => format!(
                            "{first} {}. {} {}",
                            second.chars().next().unwrap_or('X'),
                            e.surname1,
                            e.surname2
                        ),
                        None => plain(&format!("{} {}", e.given_names, e.surname1)),
                    },
                    _ => format!("{} {} {}", e.given_names, e.surname1, e.surname2).to_lowercase(),
                };
                let written_year = (rng.below(2) == 0).then_some(year).flatten();
                let province = if rng.below(2) == 0 { &e.province } else { "" };
                (
                    row(&format!("bg-row-{i}"), &name, written_year, province),
                    i,
                )
            })
            .collect()
    })
}

/// Matches `rows` twice: alone (a short list: the starting model) and
/// after the background list (a long one: EM), and returns the results of
/// `rows` in both.
fn both_paths(rows: &[ListEntry]) -> [Vec<MatchResult>; 2] {
    let m = matcher();
    let short = m.match_list(rows);
    assert_eq!(short.model.iterations, 0, "a short list keeps the start");
    let mut long: Vec<ListEntry> = background_list().iter().map(|(e, _)| e.clone()).collect();
    let skip = long.len();
    long.extend(rows.iter().cloned());
    let long = m.match_list(&long);
    assert!(long.model.iterations > 0, "a long list trains the model");
    [short.results, long.results[skip..].to_vec()]
}

fn describe(r: &MatchResult) -> String {
    format!(
        "{} {:?} p={} ({})",
        r.decision.as_str(),
        r.person.map(|p| matcher().id(p)),
        r.probability,
        r.reason
    )
}

/// Every row, each in a list of its own (two rows naming the same person
/// cannot both be a `match`), is a `match` with the person of the given
/// id, on both paths.
fn assert_matches(rows: &[ListEntry], id: &str) {
    let want = index_of(id);
    for e in rows {
        let results = both_paths(std::slice::from_ref(e));
        for (path, r) in ["short list", "long list"]
            .iter()
            .zip(results.iter().flatten())
        {
            assert!(
                r.decision == Decision::Match && r.person == Some(want),
                "{path}: {:?} should match {id}, got {}",
                e.full_name,
                describe(r)
            );
        }
    }
}

/// No row is a `match` with any of the persons of the given ids, on
/// either path; returns the results for more checks.
fn assert_never_matches(rows: &[ListEntry], ids: &[&str]) -> [Vec<MatchResult>; 2] {
    let wrong: Vec<usize> = ids.iter().map(|id| index_of(id)).collect();
    let results = both_paths(rows);
    for (path, results) in ["short list", "long list"].iter().zip(&results) {
        for (e, r) in rows.iter().zip(results) {
            assert!(
                !(r.decision == Decision::Match && r.person.is_some_and(|p| wrong.contains(&p))),
                "{path}: {:?} (year {:?}) must not match any of {ids:?}, got {}",
                e.full_name,
                e.birth_year,
                describe(r)
            );
        }
    }
    results
}

fn check_invariants(list: &[ListEntry], results: &[MatchResult]) {
    assert_eq!(results.len(), list.len(), "one result per row");
    let mut matched = HashSet::new();
    for (e, r) in list.iter().zip(results) {
        assert!(
            r.probability.is_finite() && (0.0..=1.0).contains(&r.probability),
            "{:?}: probability {} out of [0, 1]",
            e.full_name,
            r.probability
        );
        assert!(
            r.person.is_none() || r.decision != Decision::None,
            "{:?}: no person for none, got {}",
            e.full_name,
            describe(r)
        );
        assert!(
            r.person.is_some() || r.decision != Decision::Match,
            "{:?}: a person for every match, got {}",
            e.full_name,
            describe(r)
        );
        assert!(!r.reason.code().is_empty(), "{:?}: a reason", e.full_name);
        if r.decision == Decision::Match {
            let p = r.person.unwrap_or(usize::MAX);
            assert!(
                matched.insert(p),
                "{:?}: person {} is matched by two rows",
                e.full_name,
                matcher().id(p)
            );
        }
    }
}

// ---------------------------------------------------------------------
// Names written the way lists write them.
// ---------------------------------------------------------------------

#[test]
fn upper_case_without_accents_in_the_comma_form_matches_the_person() {
    assert_matches(
        &[
            named("RODRIGUEZ GARCIA, MARIA DE LOS ANGELES"),
            named("MARIA DE LOS ANGELES RODRIGUEZ GARCIA"),
            named("maría de los ángeles rodríguez garcía"),
        ],
        "maria-angeles",
    );
}

#[test]
fn ma_for_maria_and_a_shortened_compound_name_match_the_person() {
    assert_matches(
        &[
            named("Ma. de los Ángeles Rodríguez García"),
            named("Maria Angeles Rodriguez Garcia"),
            named("MA. ANGELES RODRIGUEZ GARCIA"),
        ],
        "maria-angeles",
    );
}

#[test]
fn an_initial_for_the_second_given_name_matches_the_person() {
    assert_matches(
        &[
            named("José A. Pérez Oliva"),
            named("JOSE A PEREZ OLIVA"),
            named("PEREZ OLIVA, JOSE A."),
        ],
        "jose-antonio",
    );
}

#[test]
fn an_initial_and_only_the_first_surname_is_not_enough_alone_but_is_with_year_and_province() {
    // The only José A. Pérez on the registry is not the only one in the
    // country: the name alone does not single him out.
    assert_never_matches(&[named("José A. Pérez")], &["jose-antonio"]);
    // With his birth year and province, it does.
    assert_matches(
        &[row("r", "José A. Pérez", Some(1968), "Camagüey")],
        "jose-antonio",
    );
}

#[test]
fn hypocorisms_match_the_full_given_name() {
    assert_matches(
        &[named("Pepe Pérez Oliva"), named("PEPE PEREZ OLIVA")],
        "jose-antonio",
    );
    assert_matches(
        &[named("Paco Vázquez Ibáñez"), named("VAZQUEZ IBANEZ, PACO")],
        "francisco",
    );
}

#[test]
fn an_x_for_a_j_at_the_start_of_a_given_name_matches_the_person() {
    assert_matches(
        &[
            named("Xosé Antonio Pérez Oliva"),
            named("PEREZ OLIVA, XOSE ANTONIO"),
        ],
        "jose-antonio",
    );
}

#[test]
fn particles_moved_glued_or_dropped_match_the_person() {
    assert_matches(
        &[
            named("Ana Gloria de la Cruz Ferrer"),
            named("ANA GLORIA DE LA CRUZ FERRER"),
            named("Ana Gloria Cruz Ferrer"),
            named("ANA GLORIA DELACRUZ FERRER"),
            named("DE LA CRUZ FERRER, ANA GLORIA"),
        ],
        "ana-gloria",
    );
}

#[test]
fn b_for_v_and_s_for_z_misspellings_match_the_person() {
    assert_matches(
        &[
            named("Francisco Básquez Ibáñez"),
            named("FRANCISCO VASQUEZ IBANES"),
            named("Francisco Bazquez Ivañez"),
        ],
        "francisco",
    );
}

#[test]
fn y_for_ll_misspellings_match_the_person() {
    assert_matches(
        &[
            row("r", "Guiyermo Castiyo Yanes", Some(1983), ""),
            named("GUILLERMO CASTIYO LLANES"),
            named("Guillermo Castillo Yanes"),
        ],
        "guillermo",
    );
}

#[test]
fn a_dropped_silent_h_matches_the_person() {
    assert_matches(
        &[
            row("r", "Umberto Ernández Idalgo", Some(1979), ""),
            named("HUMBERTO ERNANDEZ HIDALGO"),
            named("Humberto Hernández Idalgo"),
        ],
        "humberto",
    );
}

// ---------------------------------------------------------------------
// Relatives and namesakes: never a wrong `match`.
// ---------------------------------------------------------------------

#[test]
fn a_sibling_sharing_both_surnames_is_never_matched_for_the_other() {
    assert_matches(&[named("Yoel Martínez Quintana")], "yoel");
    assert_matches(&[named("YOSVANY MARTINEZ QUINTANA")], "yosvany");
    assert_never_matches(
        &[
            named("Yoel Martínez Quintana"),
            row(
                "r",
                "YOEL MARTINEZ QUINTANA",
                Some(1983),
                "Santiago de Cuba",
            ),
        ],
        &["yosvany"],
    );
    assert_never_matches(&[named("YOSVANY MARTINEZ QUINTANA")], &["yoel"]);
}

#[test]
fn a_sibling_missing_from_the_registry_is_not_matched_to_a_brother() {
    assert_never_matches(
        &[
            named("Yordan Martínez Quintana"),
            named("YORDAN MARTINEZ QUINTANA"),
            row(
                "r",
                "Yordan Martínez Quintana",
                Some(1980),
                "Santiago de Cuba",
            ),
            named("Yoandri Martínez Quintana"),
        ],
        &["yoel", "yosvany"],
    );
}

#[test]
fn twins_whose_given_names_are_one_letter_apart_are_told_apart() {
    assert_matches(
        &[
            named("Daniel Soto Peña"),
            row("r", "DANIEL SOTO PENA", Some(1990), "Cienfuegos"),
        ],
        "daniel",
    );
    assert_matches(
        &[
            named("Dariel Soto Peña"),
            row("r", "DARIEL SOTO PENA", Some(1990), "Cienfuegos"),
        ],
        "dariel",
    );
}

#[test]
fn a_known_given_name_one_letter_from_the_registry_name_is_not_a_typo() {
    // Only Dariel is on this registry; "Daniel" is another name, and may
    // be his twin who is not on the registry.
    let mut reg: Vec<RegistryEntry> = hand_made()
        .into_iter()
        .filter(|e| e.id != "daniel")
        .collect();
    reg.extend(background(BACKGROUND_SIZE));
    let m = Matcher::new(&reg, MatchSettings::default());
    let dariel = reg.iter().position(|e| e.id == "dariel").unwrap();
    let list = [
        row("r", "DANIEL SOTO PENA", Some(1990), "Cienfuegos"),
        named("Daniel Soto Peña"),
    ];
    let out = m.match_list(&list);
    for (e, r) in list.iter().zip(&out.results) {
        assert!(
            !(r.decision == Decision::Match && r.person == Some(dariel)),
            "{:?} must not match Dariel: {} {:?} p={}",
            e.full_name,
            r.decision.as_str(),
            r.reason,
            r.probability
        );
    }
}

#[test]
fn a_namesake_with_another_second_surname_is_never_matched() {
    assert_matches(&[named("Roberto González Leyva")], "roberto-leyva");
    assert_matches(&[named("GONZALEZ SOSA, ROBERTO")], "roberto-sosa");
    assert_never_matches(&[named("Roberto González Leyva")], &["roberto-sosa"]);
    assert_never_matches(
        &[
            named("Roberto González Tamayo"),
            named("ROBERTO GONZALEZ TAMAYO"),
        ],
        &["roberto-leyva", "roberto-sosa"],
    );
}

#[test]
fn two_namesakes_written_with_the_first_surname_only_give_review() {
    let results = assert_never_matches(
        &[named("Roberto González"), named("ROBERTO GONZALEZ")],
        &["roberto-leyva", "roberto-sosa"],
    );
    for r in results.iter().flatten() {
        assert_eq!(r.decision, Decision::Review, "{}", describe(r));
    }
}

#[test]
fn the_birth_year_picks_the_father_or_the_son() {
    assert_matches(
        &[row("r", "Ramón Velázquez Toranzo", Some(1975), "")],
        "ramon-son",
    );
    assert_matches(
        &[row(
            "r",
            "RAMON VELAZQUEZ TORANZO",
            Some(1976),
            "Santiago de Cuba",
        )],
        "ramon-son",
    );
    assert_matches(
        &[row("r", "Ramón Velázquez Toranzo", Some(1950), "")],
        "ramon-father",
    );
    assert_never_matches(
        &[row("r", "Ramón Velázquez Toranzo", Some(1975), "")],
        &["ramon-father"],
    );
    assert_never_matches(
        &[row("r", "Ramón Velázquez Toranzo", Some(1950), "")],
        &["ramon-son"],
    );
}

#[test]
fn a_father_and_son_without_a_birth_year_give_review() {
    let results = assert_never_matches(
        &[
            named("Ramón Velázquez Toranzo"),
            row("r", "RAMON VELAZQUEZ TORANZO", None, "Santiago de Cuba"),
        ],
        &["ramon-father", "ramon-son"],
    );
    for r in results.iter().flatten() {
        assert_eq!(r.decision, Decision::Review, "{}", describe(r));
    }
}

#[test]
fn a_birth_year_far_from_both_father_and_son_matches_neither() {
    assert_never_matches(
        &[
            row("r", "Ramón Velázquez Toranzo", Some(1962), ""),
            row("r", "Ramón Velázquez Toranzo", Some(2001), ""),
        ],
        &["ramon-father", "ramon-son"],
    );
}

#[test]
fn two_equally_good_persons_give_review_with_half_the_probability_each() {
    let results = assert_never_matches(
        &[
            named("Odelín Batista Rey"),
            row("r", "ODELIN BATISTA REY", Some(1984), "Artemisa"),
        ],
        &["odelin-a", "odelin-b"],
    );
    for r in results.iter().flatten() {
        assert_eq!(r.decision, Decision::Review, "{}", describe(r));
        assert!(r.probability <= 0.5 + 1e-9, "{}", describe(r));
    }
}

#[test]
fn a_person_named_by_two_rows_is_a_match_for_at_most_one() {
    let list = [
        named("Ana Gloria de la Cruz Ferrer"),
        named("ANA GLORIA DELACRUZ FERRER"),
        named("Pepe Pérez Oliva"),
        named("José A. Pérez Oliva"),
        named("José Antonio Pérez Oliva"),
    ];
    let m = matcher();
    let out = m.match_list(&list);
    check_invariants(&list, &out.results);
    // Each of the two persons is named by more than one row: at least one
    // of those rows is sent to review.
    for (rows, id) in [(0..2, "ana-gloria"), (2..5, "jose-antonio")] {
        let want = index_of(id);
        let rs = &out.results[rows];
        assert!(rs.iter().all(|r| r.person == Some(want)), "{id}");
        let matches = rs.iter().filter(|r| r.decision == Decision::Match).count();
        assert!(matches <= 1, "{id} matched {matches} times");
        assert!(
            rs.iter().any(|r| r.reason.text().contains("another row")),
            "{id}: the other rows are told why"
        );
    }
}

// ---------------------------------------------------------------------
// Names that cannot be matched.
// ---------------------------------------------------------------------

#[test]
fn names_without_two_comparable_parts_give_none_without_panicking() {
    let long_letters: String = (0..10_000)
        .map(|i| char::from(b'a' + (i * 7 % 26) as u8))
        .collect();
    let long_words = "Yoel Quintana ".repeat(715);
    let long_one_word = "Martínez".repeat(1_250);
    let list = [
        named(""),
        named("   "),
        named(",,,"),
        named("—"),
        named("Yoandri"),
        named("RODRIGUEZ"),
        named("Иван Петров"),
        named("王小明"),
        named("محمد علي"),
        named("🙂 🙂"),
        named(&long_letters),
        named(&long_words),
        named(&long_one_word),
    ];
    for path in both_paths(&list) {
        check_invariants(&list, &path);
        for (e, r) in list.iter().zip(&path) {
            assert_eq!(
                r.decision,
                Decision::None,
                "{:?}: {}",
                e.full_name.chars().take(40).collect::<String>(),
                describe(r)
            );
        }
    }
}

#[test]
fn a_name_nobody_on_the_registry_has_gives_none() {
    let list = [
        named("Eusebio Leal Spengler"),
        named("ZAPATERO ARRIETA, CLEMENTINA"),
    ];
    for path in both_paths(&list) {
        for (e, r) in list.iter().zip(&path) {
            assert_eq!(
                r.decision,
                Decision::None,
                "{:?}: {}",
                e.full_name,
                describe(r)
            );
            assert_eq!(r.person, None);
        }
    }
}

#[test]
fn an_empty_list_gives_no_results() {
    let out = matcher().match_list(&[]);
    assert!(out.results.is_empty());
    assert_eq!(out.candidates, 0);
}

#[test]
fn an_empty_registry_gives_none_for_every_row() {
    let m = Matcher::new(&[], MatchSettings::default());
    let list = [
        named("Yoel Martínez Quintana"),
        named(""),
        named("A. B. C."),
    ];
    let out = m.match_list(&list);
    assert_eq!(out.results.len(), 3);
    for r in &out.results {
        assert_eq!(r.decision, Decision::None);
        assert_eq!(r.person, None);
        assert_eq!(r.probability.to_bits(), 0.0_f64.to_bits());
    }
}

#[test]
fn a_registry_with_empty_and_odd_entries_does_not_panic() {
    let reg = vec![
        RegistryEntry::default(),
        person("x", "", "", "", "nonsense", "???"),
        person("y", "王", "小明", "", "19XX", ""),
        person(
            "z",
            "Yoel",
            "Martínez",
            "Quintana",
            "1980",
            "Santiago de Cuba",
        ),
        person("w", &"a".repeat(5_000), "b", "c", "", ""),
    ];
    let m = Matcher::new(&reg, MatchSettings::default());
    let list = [named("Yoel Martínez Quintana"), named("王 小明"), named("")];
    let out = m.match_list(&list);
    assert_eq!(out.results.len(), 3);
    assert_eq!(out.results[0].person, Some(3));
    assert_ne!(out.results[1].decision, Decision::Match);
    assert_eq!(out.results[2].decision, Decision::None);
}

// ---------------------------------------------------------------------
// The long list: precision, both model paths, invariants.
// ---------------------------------------------------------------------

#[test]
fn the_long_list_trains_the_model_and_every_match_is_the_right_person() {
    let list: Vec<ListEntry> = background_list().iter().map(|(e, _)| e.clone()).collect();
    let out = matcher().match_list(&list);
    assert!(
        out.candidates >= MatchSettings::default().min_training_pairs,
        "{} candidate pairs: too few to exercise EM",
        out.candidates
    );
    assert!(out.model.iterations > 0, "EM ran and was kept");
    check_invariants(&list, &out.results);
    let reg = registry();
    let mut matched = 0;
    for ((e, truth), r) in background_list().iter().zip(&out.results) {
        if r.decision == Decision::Match {
            matched += 1;
            assert_eq!(
                r.person,
                Some(*truth),
                "{:?} matched {} instead of {}",
                e.full_name,
                describe(r),
                reg[*truth].id
            );
        }
    }
    // Most rows give both surnames or a unique name: the matcher finds
    // them, not just refrains. (The background draws on 30 given names
    // and 20 surnames, so every name is common in the population, and a
    // row without a birth year or both surnames rarely singles anyone
    // out: half is what a careful matcher can claim.)
    assert!(
        matched * 2 >= list.len(),
        "only {matched} of {} rows matched",
        list.len()
    );
}

#[test]
fn an_initial_still_matches_after_training_on_a_long_list_without_initials() {
    // The background list without its rows with an initial, then one row
    // with an initial for the only José Pérez on the registry.
    let mut list: Vec<ListEntry> = background_list()
        .iter()
        .filter(|(e, _)| !e.full_name.contains('.'))
        .map(|(e, _)| e.clone())
        .collect();
    list.push(row("r", "José A. Pérez", Some(1968), "Camagüey"));
    let out = matcher().match_list(&list);
    assert!(out.model.iterations > 0, "EM ran and was kept");
    let r = out.results.last().unwrap();
    assert!(
        r.decision == Decision::Match && r.person == Some(index_of("jose-antonio")),
        "got {}",
        describe(r)
    );
}

#[test]
fn a_row_with_the_first_surname_only_shared_by_a_namesake_is_not_a_match() {
    let reg = registry();
    let list: Vec<ListEntry> = background_list().iter().map(|(e, _)| e.clone()).collect();
    let out = matcher().match_list(&list);
    let mut checked = 0;
    for ((e, truth), r) in background_list().iter().zip(&out.results) {
        let t = &reg[*truth];
        let written = format!("{} {}", t.given_names, t.surname1);
        // A birth year or province may tell namesakes apart: only rows
        // with the two names alone.
        if e.full_name != written || e.birth_year.is_some() || !e.province.is_empty() {
            continue;
        }
        let namesake = reg.iter().enumerate().any(|(i, o)| {
            i != *truth && o.given_names == t.given_names && o.surname1 == t.surname1
        });
        if namesake {
            checked += 1;
            assert_ne!(
                r.decision,
                Decision::Match,
                "{:?} has a namesake on the registry: {}",
                e.full_name,
                describe(r)
            );
        }
    }
    assert!(checked > 0, "the list has such rows");
}

#[test]
fn a_short_list_keeps_the_starting_model_and_a_lower_threshold_trains_it() {
    let list: Vec<ListEntry> = background_list()
        .iter()
        .take(40)
        .map(|(e, _)| e.clone())
        .collect();
    let start = matcher().match_list(&list);
    assert!(start.candidates < MatchSettings::default().min_training_pairs);
    assert_eq!(start.model.iterations, 0);
    let settings = MatchSettings {
        min_training_pairs: 10,
        ..MatchSettings::default()
    };
    let m = Matcher::new(registry(), settings);
    let trained = m.match_list(&list);
    assert!(trained.model.iterations > 0);
    check_invariants(&list, &start.results);
    check_invariants(&list, &trained.results);
    for ((e, truth), (a, b)) in background_list()
        .iter()
        .zip(start.results.iter().zip(&trained.results))
    {
        for r in [a, b] {
            if r.decision == Decision::Match {
                assert_eq!(r.person, Some(*truth), "{:?}: {}", e.full_name, describe(r));
            }
        }
    }
}

// ---------------------------------------------------------------------
// Determinism.
// ---------------------------------------------------------------------

fn mixed_list() -> Vec<ListEntry> {
    let mut list: Vec<ListEntry> = background_list().iter().map(|(e, _)| e.clone()).collect();
    list.extend([
        named("RODRIGUEZ GARCIA, MARIA DE LOS ANGELES"),
        named("Pepe Pérez Oliva"),
        named("Roberto González"),
        named("Ramón Velázquez Toranzo"),
        named("Odelín Batista Rey"),
        named("ANA GLORIA DELACRUZ FERRER"),
        named("Ana Gloria Cruz Ferrer"),
        named(""),
    ]);
    list
}

fn fingerprint(out: &MatchOutcome) -> Vec<(Option<usize>, u64, Decision, Reason)> {
    out.results
        .iter()
        .map(|r| (r.person, r.probability.to_bits(), r.decision, r.reason))
        .collect()
}

fn model_bits(out: &MatchOutcome) -> Vec<u64> {
    let m = &out.model;
    std::iter::once(m.lambda.to_bits())
        .chain(m.m.iter().flatten().map(|x| x.to_bits()))
        .chain(m.u.iter().flatten().map(|x| x.to_bits()))
        .chain(std::iter::once(m.iterations as u64))
        .collect()
}

#[test]
fn matching_the_same_list_twice_gives_identical_results_bit_for_bit() {
    let list = mixed_list();
    let m = matcher();
    let a = m.match_list(&list);
    let b = m.match_list(&list);
    assert_eq!(first_difference(&list, &a, &b), None);
    assert_eq!(model_bits(&a), model_bits(&b));
    assert_eq!(a.candidates, b.candidates);
}

/// The first row whose result differs, for a readable failure.
fn first_difference(list: &[ListEntry], a: &MatchOutcome, b: &MatchOutcome) -> Option<String> {
    let (fa, fb) = (fingerprint(a), fingerprint(b));
    fa.iter().zip(&fb).position(|(x, y)| x != y).map(|i| {
        format!(
            "row {i} {:?} (year {:?}): {} / {}",
            list[i].full_name,
            list[i].birth_year,
            describe(&a.results[i]),
            describe(&b.results[i])
        )
    })
}

#[test]
fn a_matcher_built_again_from_the_same_registry_gives_identical_results() {
    let list = mixed_list();
    let a = matcher().match_list(&list);
    // Several times: a difference that depends on hash order shows up
    // only on some builds.
    for _ in 0..4 {
        let again = Matcher::new(registry(), MatchSettings::default());
        let b = again.match_list(&list);
        assert_eq!(first_difference(&list, &a, &b), None);
        assert_eq!(model_bits(&a), model_bits(&b));
    }
}

#[test]
fn the_number_of_threads_does_not_change_any_result() {
    let list = mixed_list();
    let many = matcher().match_list(&list);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let one = pool.install(|| matcher().match_list(&list));
    assert_eq!(first_difference(&list, &many, &one), None);
    assert_eq!(model_bits(&many), model_bits(&one));
}

#[test]
fn explain_states_the_decision_that_matching_gave() {
    let list = [
        named("RODRIGUEZ GARCIA, MARIA DE LOS ANGELES"),
        named("Roberto González"),
        named("Ramón Velázquez Toranzo"),
        named("Eusebio Leal Spengler"),
        named("Yordan Martínez Quintana"),
    ];
    let m = matcher();
    let out = m.match_list(&list);
    for (e, r) in list.iter().zip(&out.results) {
        let text = m.explain(&out, e).text;
        let line = format!(
            "decision: {} [{}] ({}), probability {:.6}",
            r.decision.as_str(),
            r.reason.code(),
            r.reason,
            r.probability
        );
        assert!(
            text.contains(&line),
            "{:?}: {line:?} not in\n{text}",
            e.full_name
        );
        if let Some(p) = r.person {
            assert!(text.contains(m.id(p)), "{text}");
        }
    }
}

// ---------------------------------------------------------------------
// Provinces and birth years.
// ---------------------------------------------------------------------

fn same(a: &str, b: &str) -> bool {
    same_province(&province_key(a), &province_key(b))
}

#[test]
fn provinces_written_differently_are_the_same_province() {
    for (a, b) in [
        ("Habana", "La Habana"),
        ("LA HABANA", "la habana"),
        ("CAMAGUEY", "Camagüey"),
        ("Provincia de Camagüey", "CAMAGUEY"),
        ("Stgo. de Cuba", "Santiago de Cuba"),
        ("STGO DE CUBA", "Santiago de Cuba"),
        ("Pinar", "Pinar del Río"),
        ("PINAR DEL RIO", "Pinar del Río"),
        ("Guantanamo", "Guantánamo"),
        ("Ciego de Avila", "Ciego de Ávila"),
        ("V. Clara", "Villa Clara"),
        ("S. Spíritus", "Sancti Spíritus"),
        ("SSPIRITUS", "Sancti Spíritus"),
        ("STGO", "Santiago de Cuba"),
        ("SANTIAGO", "Stgo. de Cuba"),
        ("TUNAS", "Las Tunas"),
        ("HAVANA", "La Habana"),
        ("C. HABANA", "La Habana"),
        ("Ciudad de La Habana", "La Habana"),
        ("Pinar D. Rio", "Pinar del Río"),
        ("CFGOS", "Cienfuegos"),
        ("Isla de Pinos", "Isla de la Juventud"),
        ("Caracas", "Distrito Capital"),
        ("DTTO. CAPITAL", "Distrito Capital"),
        ("Margarita", "Nueva Esparta"),
        ("EDO. MIRANDA", "Miranda"),
        ("Edo Zulia", "Zulia"),
        ("ESTADO TÁCHIRA", "Táchira"),
        ("Estado Bolivariano de Miranda", "Miranda"),
        ("D.C.", "Distrito Capital"),
        ("D.C.", "Caracas"),
        ("VARGAS", "La Guaira"),
        ("EDO. VARGAS", "La Guaira"),
        ("Dpto. de Masaya", "Masaya"),
        ("Prov. Holguín", "Holguín"),
        ("RACCN", "Costa Caribe Norte"),
        ("RAAS", "Región Autónoma de la Costa Caribe Sur"),
    ] {
        assert!(same(a, b), "{a:?} = {b:?}");
        assert!(same(b, a), "{b:?} = {a:?}");
    }
    assert_eq!(province_key("La Habana"), province_key("Habana"));
    assert_eq!(province_key("CAMAGUEY"), province_key("Camagüey"));
}

/// Venezuela's states and capital district.
const VE_STATES: &[&str] = &[
    "Amazonas",
    "Anzoátegui",
    "Apure",
    "Aragua",
    "Barinas",
    "Bolívar",
    "Carabobo",
    "Cojedes",
    "Delta Amacuro",
    "Falcón",
    "Guárico",
    "Lara",
    "Mérida",
    "Miranda",
    "Monagas",
    "Nueva Esparta",
    "Portuguesa",
    "Sucre",
    "Táchira",
    "Trujillo",
    "La Guaira",
    "Yaracuy",
    "Zulia",
    "Distrito Capital",
];

/// Nicaragua's departments and autonomous regions.
const NI_DEPARTMENTS: &[&str] = &[
    "Boaco",
    "Carazo",
    "Chinandega",
    "Chontales",
    "Estelí",
    "Granada",
    "Jinotega",
    "León",
    "Madriz",
    "Managua",
    "Masaya",
    "Matagalpa",
    "Nueva Segovia",
    "Río San Juan",
    "Rivas",
    "Costa Caribe Norte",
    "Costa Caribe Sur",
];

#[test]
fn different_provinces_are_never_the_same_province() {
    assert!(!same("Holguín", "Granma"));
    assert!(!same("EDO. LARA", "Miranda"));
    assert!(!same("D.C.", "Zulia"));
    assert!(!same("VARGAS", "Táchira"));
    for list in [PROVINCES, VE_STATES, NI_DEPARTMENTS] {
        for (i, a) in list.iter().enumerate() {
            for b in &list[i + 1..] {
                assert!(!same(a, b), "{a:?} != {b:?}");
                assert!(!same(b, a), "{b:?} != {a:?}");
                let edo = format!("Edo. {a}");
                assert!(!same(&edo, b), "{edo:?} != {b:?}");
            }
        }
    }
}

#[test]
fn year_range_reads_exact_dates_years_and_unknown_digits() {
    assert_eq!(year_range("198X"), Some((1980, 1989)));
    assert_eq!(year_range("19XX"), Some((1900, 1999)));
    assert_eq!(year_range("1980-03-12"), Some((1980, 1980)));
    assert_eq!(year_range("1980"), Some((1980, 1980)));
    assert_eq!(year_range(" 1975-06 "), Some((1975, 1975)));
    // Approximate or uncertain: a year either way.
    assert_eq!(year_range("~1975"), Some((1974, 1976)));
    assert_eq!(year_range("1975~"), Some((1974, 1976)));
    assert_eq!(year_range("1975?-06-02"), Some((1974, 1976)));
    assert_eq!(year_range("1975-06~"), Some((1974, 1976)));
    assert_eq!(year_range("1975-~06"), Some((1975, 1975)));
    // An interval.
    assert_eq!(year_range("1979/1981"), Some((1979, 1981)));
    assert_eq!(year_range("1981/1979"), None);
    assert_eq!(year_range(""), None);
    assert_eq!(year_range("   "), None);
    assert_eq!(year_range("198"), None);
    assert_eq!(year_range("unknown"), None);
    assert_eq!(year_range("0000"), None);
    assert_eq!(year_range("12/03/1980"), None);
    assert_eq!(year_range("١٩٨٠"), None);
}

// ---------------------------------------------------------------------
// Arbitrary input.
// ---------------------------------------------------------------------

fn any_name() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[A-Za-zÁÉÍÓÚÑáéíóúñü .,'-]{0,60}",
        proptest::sample::select(vec![
            "Yoel Martínez Quintana",
            "Roberto González",
            "RODRIGUEZ GARCIA, MARIA DE LOS ANGELES",
            "Ramón Velázquez Toranzo",
            "de la de del , ,",
            "A. B. C. D. E. F.",
        ])
        .prop_map(str::to_owned),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn arbitrary_names_never_panic_and_give_one_result_per_row(
        names in proptest::collection::vec(any_name(), 0..6),
        year in proptest::option::of(-5_000i32..5_000),
        province in any::<String>(),
    ) {
        let list: Vec<ListEntry> = names
            .iter()
            .enumerate()
            .map(|(i, n)| row(&i.to_string(), n, year, &province))
            .collect();
        let out = matcher().match_list(&list);
        prop_assert_eq!(out.results.len(), list.len());
        check_invariants(&list, &out.results);
    }

    #[test]
    fn arbitrary_provinces_and_dates_never_panic(a in any::<String>(), b in any::<String>()) {
        let (ka, kb) = (province_key(&a), province_key(&b));
        prop_assert!(same_province(&ka, &ka));
        prop_assert_eq!(same_province(&ka, &kb), same_province(&kb, &ka));
        if let Some((lo, hi)) = year_range(&a) {
            prop_assert!(0 < lo && lo <= hi && hi <= 9_999);
        }
    }
}

#[test]
fn a_name_too_common_to_look_up_goes_to_review_without_a_person() {
    let surnames = [
        "Pérez", "López", "Díaz", "Ruiz", "Mora", "Vega", "Soto", "Rey",
    ];
    let reg: Vec<RegistryEntry> = surnames
        .iter()
        .enumerate()
        .map(|(i, s2)| person(&format!("g{i}"), "José", "García", s2, "", ""))
        .chain(std::iter::once(person(
            "y",
            "Yoel",
            "Martínez",
            "Quintana",
            "1980",
            "",
        )))
        .collect();
    let settings = MatchSettings {
        max_posting: 4,
        ..MatchSettings::default()
    };
    let m = Matcher::new(&reg, settings);
    let out = m.match_list(&[named("JOSE GARCIA"), named("Yoel Martínez Quintana")]);
    assert_eq!(
        out.results[0].decision,
        Decision::Review,
        "{:?}",
        out.results[0]
    );
    assert_eq!(out.results[0].person, None);
    assert!(out.results[0].reason.text().contains("too common"));
    // A name that is not too common is looked up as usual.
    assert_eq!(out.results[1].person.map(|p| m.id(p)), Some("y"));
}

#[test]
fn a_prepared_person_fits_in_three_cache_lines() {
    // Scoring reads about a hundred persons per row from anywhere in a
    // large array; a fourth line per person showed as a slower match.
    assert!(std::mem::size_of::<Person>() <= 192);
    assert_eq!(std::mem::align_of::<Person>(), 64);
}

#[test]
fn a_list_that_often_gives_another_province_still_counts_one_against_a_match() {
    // The background list, with another province in two rows of five
    // that give one: EM, left alone, learns that matches often disagree.
    let mut list: Vec<ListEntry> = background_list().iter().map(|(e, _)| e.clone()).collect();
    for (i, r) in list.iter_mut().enumerate() {
        if i % 5 < 2 && !r.province.is_empty() {
            let at = PROVINCES.iter().position(|p| *p == r.province).unwrap_or(0);
            r.province = PROVINCES[(at + 1) % PROVINCES.len()].to_owned();
        }
    }
    let out = matcher().match_list(&list);
    assert!(out.model.iterations > 0, "EM ran and was kept");
    let differs = out.model.m[PROVINCE][P_DIFFERENT as usize];
    assert!(
        differs <= MAX_M_PROVINCE_DIFFERENT + 1e-9,
        "m of another province: {differs}"
    );
    assert!(
        out.model.weight(PROVINCE, P_DIFFERENT) < -2.0,
        "{:?}",
        out.model.m[PROVINCE]
    );
    // A row that names its person in all but the province goes to a
    // reviewer with that person, never to "nobody".
    let (mut altered, mut proposed) = (0, 0);
    for (i, ((e, truth), r)) in background_list().iter().zip(&out.results).enumerate() {
        if i % 5 < 2 && !e.province.is_empty() {
            altered += 1;
            if r.person == Some(*truth) {
                proposed += 1;
                assert_eq!(r.decision, Decision::Review, "{r:?}");
            }
        }
    }
    assert!(proposed * 2 >= altered, "{proposed} of {altered}");
}

#[test]
fn a_list_full_of_namesakes_still_counts_another_name_against_a_match() {
    // The background list with another person's second surname in one
    // row of five and another person's given names in one more: EM,
    // left alone, takes such namesakes for matches that disagree.
    let background = background_list();
    let reg = registry();
    let mut list: Vec<ListEntry> = background.iter().map(|(e, _)| e.clone()).collect();
    let mut altered = [0usize; 2];
    for (i, r) in list.iter_mut().enumerate() {
        let e = &reg[background[i].1];
        let other = &reg[background[(i + 7) % background.len()].1];
        let same = |a: &str, b: &str| {
            deunicode::deunicode(a).eq_ignore_ascii_case(&deunicode::deunicode(b))
        };
        if i % 5 == 0 && !other.surname2.is_empty() && !same(&e.surname2, &other.surname2) {
            r.full_name = format!("{} {} {}", e.given_names, e.surname1, other.surname2);
            altered[0] += 1;
        } else if i % 5 == 1
            && !e.surname2.is_empty()
            && !e
                .given_names
                .split(' ')
                .any(|a| other.given_names.split(' ').any(|b| same(a, b)))
        {
            r.full_name = format!("{} {} {}", other.given_names, e.surname1, e.surname2);
            altered[1] += 1;
        }
    }
    assert!(altered.iter().all(|&n| n >= 20), "{altered:?}");
    let out = matcher().match_list(&list);
    assert!(out.model.iterations > 0, "EM ran and was kept");
    for (field, level) in [(SURNAME2, S_DIFFERENT), (GIVEN, G_DIFFERENT)] {
        let m = out.model.m[field][level as usize];
        assert!(m <= MAX_M_NAME_DIFFERENT + 1e-12, "field {field}: m {m}");
        assert!(
            out.model.weight(field, level) < -5.0,
            "field {field}: {:?}",
            out.model.m[field]
        );
    }
    // The caps on birth years hold exactly, not just before normalising.
    let year = &out.model.m[YEAR];
    assert!(year[Y_FAR as usize] <= 0.01 + 1e-12, "{year:?}");
    assert!(year[Y_GENERATION as usize] <= 0.001 + 1e-12, "{year:?}");
    assert!(
        (year.iter().skip(1).sum::<f64>() - 1.0).abs() < 1e-9,
        "{year:?}"
    );
    // No altered row is a `match` with the person whose name it borrowed
    // half of.
    for (i, r) in out.results.iter().enumerate() {
        if i % 5 < 2
            && list[i].full_name != background[i].0.full_name
            && r.decision == Decision::Match
        {
            assert_ne!(
                r.person,
                Some(background[i].1),
                "row {i} {:?} from {:?}: {}",
                list[i].full_name,
                background[i].0.full_name,
                describe(r)
            );
        }
    }
}
