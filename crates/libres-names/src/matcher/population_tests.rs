//! Tests of who else a row could be: people outside the registry (the
//! share of the list on the registry, how common a name is in the
//! country), same-name relatives, contradictions, aliases and detention
//! status.
//!
//! Each test builds its own small registry: a background of persons
//! combined deterministically from Cuban given names and surnames, with
//! sex, birth date and province, plus the persons the test is about.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

const MALE: &[&str] = &[
    "Yoandri", "Yunior", "Yordanis", "Maykel", "Yasiel", "Reinier", "Alexei", "Osmel", "Yoennis",
    "Dairon", "Lázaro", "Ulises", "Raidel", "Yusniel", "Eliécer",
];
const FEMALE: &[&str] = &[
    "Yusleidy",
    "Dayamí",
    "Yanelis",
    "Mayelín",
    "Yudisleidy",
    "Odalys",
    "Yaimara",
    "Yoanka",
    "Dianelys",
    "Niurka",
    "Yamilé",
    "Marbelis",
    "Yarisleidy",
    "Juana",
    "Leydis",
];
const SURNAMES: &[&str] = &[
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
    "Quintero",
    "Ferrer",
    "Morales",
    "Fonseca",
    "Rivero",
    "Guerra",
    "Naranjo",
    "Pupo",
    "Batista",
    "Ortiz",
];
const PROVINCES: &[&str] = &[
    "Pinar del Río",
    "Artemisa",
    "La Habana",
    "Mayabeque",
    "Matanzas",
    "Villa Clara",
    "Cienfuegos",
    "Sancti Spíritus",
    "Camagüey",
    "Holguín",
    "Granma",
    "Santiago de Cuba",
];

fn entry(id: &str, given: &str, s1: &str, s2: &str, birth: &str, province: &str) -> RegistryEntry {
    RegistryEntry {
        id: id.to_owned(),
        given_names: given.to_owned(),
        surname1: s1.to_owned(),
        surname2: s2.to_owned(),
        birth_date: birth.to_owned(),
        province: province.to_owned(),
        country: "CU".to_owned(),
        ..RegistryEntry::default()
    }
}

/// `n` background persons, the same every time, with their sex.
fn background(n: usize) -> Vec<RegistryEntry> {
    let mut state = 0x5EED_u64;
    let mut next = |k: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % k
    };
    (0..n)
        .map(|i| {
            let female = next(3) == 0;
            let given = if female {
                FEMALE[next(FEMALE.len())]
            } else {
                MALE[next(MALE.len())]
            };
            let s1 = SURNAMES[next(SURNAMES.len())];
            let s2 = SURNAMES[next(SURNAMES.len())];
            let year = 1950 + next(55);
            let mut e = entry(
                &format!("b{i}"),
                given,
                s1,
                s2,
                &year.to_string(),
                PROVINCES[next(PROVINCES.len())],
            );
            e.sex = if female { "F" } else { "M" }.to_owned();
            e
        })
        .collect()
}

fn row(id: &str, name: &str, year: Option<i32>, province: &str) -> ListEntry {
    ListEntry {
        row_id: id.to_owned(),
        full_name: name.to_owned(),
        birth_year: year,
        province: province.to_owned(),
    }
}

/// The background persons as a list writes them (upper case, no accents
/// is not needed here: the name as registered), each with its year and
/// province.
fn listed(persons: &[RegistryEntry]) -> Vec<ListEntry> {
    persons
        .iter()
        .enumerate()
        .map(|(i, e)| {
            row(
                &format!("on{i}"),
                &format!("{} {} {}", e.given_names, e.surname1, e.surname2),
                e.birth_date.parse().ok(),
                &e.province,
            )
        })
        .collect()
}

/// Strangers: names made of parts the registry never uses.
fn strangers(n: usize) -> Vec<ListEntry> {
    const GIVEN: &[&str] = &[
        "Anselmo",
        "Baudilio",
        "Cirilo",
        "Doroteo",
        "Eleuterio",
        "Fermín",
    ];
    const FAMILY: &[&str] = &[
        "Zayas", "Urquiza", "Tamayo", "Solís", "Recio", "Quevedo", "Pozo", "Olano", "Nápoles",
    ];
    (0..n)
        .map(|i| {
            row(
                &format!("off{i}"),
                &format!(
                    "{} {} {}",
                    GIVEN[i % GIVEN.len()],
                    FAMILY[i % FAMILY.len()],
                    FAMILY[(i / FAMILY.len() + 3) % FAMILY.len()]
                ),
                Some(1960 + (i % 40) as i32),
                "",
            )
        })
        .collect()
}

fn decide_one(m: &Matcher, list: &[ListEntry], id: &str) -> MatchResult {
    let out = m.match_list(list);
    let i = list.iter().position(|e| e.row_id == id).unwrap();
    out.results[i].clone()
}

/// The decision on a list of one row: `name`, `year`, `province`.
fn decide_alone(m: &Matcher, name: &str, year: Option<i32>, province: &str) -> MatchResult {
    decide_one(m, &[row("r", name, year, province)], "r")
}

#[test]
fn a_province_that_contradicts_the_registry_is_never_a_match() {
    let mut reg = background(600);
    reg.push(entry(
        "pupo",
        "Arnaldo",
        "Pupo",
        "Naranjo",
        "1978-04-02",
        "Sancti Spíritus",
    ));
    let m = Matcher::new(&reg, MatchSettings::default());
    let pupo = reg.len() - 1;
    let same = decide_alone(&m, "ARNALDO PUPO NARANJO", Some(1978), "S. SPIRITUS");
    assert_eq!(
        (same.decision, same.person),
        (Decision::Match, Some(pupo)),
        "{same:?}"
    );
    let other = decide_alone(&m, "ARNALDO PUPO NARANJO", Some(1978), "LA HABANA");
    assert_eq!(other.decision, Decision::Review, "{other:?}");
    assert_eq!(other.reason, Reason::ProvinceContradicts);
    assert!(
        other.probability < same.probability,
        "a contradiction lowers the score: {} against {}",
        other.probability,
        same.probability
    );
    // On a list of mostly strangers the contradiction can leave a person
    // of common names less likely than nobody; a reviewer still sees who
    // it may be.
    reg.push(entry(
        "common",
        "Yunior",
        "García",
        "Rodríguez",
        "1978-04-02",
        "Sancti Spíritus",
    ));
    let common = reg.len() - 1;
    let strangers = Matcher::new(
        &reg,
        MatchSettings {
            on_registry_share: Some(0.02),
            ..MatchSettings::default()
        },
    );
    for (province, decision) in [
        ("S. SPIRITUS", Decision::Match),
        ("LA HABANA", Decision::Review),
    ] {
        let r = decide_alone(&strangers, "YUNIOR GARCIA RODRIGUEZ", Some(1978), province);
        assert_eq!((r.decision, r.person), (decision, Some(common)), "{r:?}");
    }
}

#[test]
fn a_given_name_of_the_other_sex_is_never_a_match() {
    let mut reg = background(600);
    // The registry knows only the initial, and that the person is a man.
    let mut j = entry("j", "J.", "Guerra", "Pupo", "1990", "Granma");
    j.sex = "M".to_owned();
    reg.push(j);
    // Enough Juanas for the registry to know Juana is a woman's name.
    for i in 0..4 {
        let mut e = entry(
            &format!("juana{i}"),
            "Juana",
            SURNAMES[i],
            SURNAMES[i + 5],
            "1970",
            "Matanzas",
        );
        e.sex = "F".to_owned();
        reg.push(e);
    }
    let m = Matcher::new(&reg, MatchSettings::default());
    let r = decide_alone(&m, "JUANA GUERRA PUPO", Some(1990), "Granma");
    assert_ne!(r.decision, Decision::Match, "{r:?}");
    assert_eq!(r.reason, Reason::SexContradicts, "{r:?}");
    let text = m
        .explain(
            &m.match_list(&[row("r", "JUANA GUERRA PUPO", Some(1990), "Granma")]),
            &row("r", "JUANA GUERRA PUPO", Some(1990), "Granma"),
        )
        .text;
    assert!(text.contains("sex_contradicts"), "{text}");
}

#[test]
fn the_share_of_the_list_on_the_registry_is_estimated_from_the_list() {
    let reg = background(800);
    let m = Matcher::new(&reg, MatchSettings::default());
    let mut mostly_strangers = listed(&reg[..30]);
    mostly_strangers.extend(strangers(70));
    let low = m.match_list(&mostly_strangers);
    assert!(low.share_estimated);
    assert!(
        (0.15..=0.45).contains(&low.on_registry_share),
        "30 of 100 on the registry, estimated {}",
        low.on_registry_share
    );
    let mut mostly_known = listed(&reg[..80]);
    mostly_known.extend(strangers(20));
    let high = m.match_list(&mostly_known);
    assert!(
        (0.65..=0.95).contains(&high.on_registry_share),
        "80 of 100 on the registry, estimated {}",
        high.on_registry_share
    );
    // Given, it is used as it is.
    let given = Matcher::new(
        &reg,
        MatchSettings {
            on_registry_share: Some(0.5),
            ..MatchSettings::default()
        },
    )
    .match_list(&mostly_strangers);
    assert!(!given.share_estimated);
    assert_eq!(given.on_registry_share, 0.5);
}

#[test]
fn a_list_of_strangers_gives_each_name_less_probability() {
    let reg = background(800);
    let list = listed(&reg[..20]);
    let share = |s: f64| {
        Matcher::new(
            &reg,
            MatchSettings {
                on_registry_share: Some(s),
                ..MatchSettings::default()
            },
        )
        .match_list(&list)
        .results
    };
    let (few, many) = (share(0.1), share(0.9));
    let mut lower = 0;
    for (a, b) in few.iter().zip(&many) {
        if a.person.is_some() && a.person == b.person {
            assert!(a.probability <= b.probability, "{a:?} {b:?}");
            lower += usize::from(a.probability < b.probability);
        }
    }
    assert!(lower >= 10, "only {lower} rows were less probable");
}

#[test]
fn same_name_relatives_on_the_list_hold_back_rows_whose_year_cannot_be_compared() {
    let mut reg = background(800);
    reg.push(entry("x", "Keilylli", "Oquendo", "Tamargo", "", "Holguín"));
    let x = reg.len() - 1;
    let m = Matcher::new(&reg, MatchSettings::default());
    let target = row("t", "KEILYLLI OQUENDO TAMARGO", None, "Holguín");
    // A list whose rows agree with the registry's years: no relatives.
    let mut plain = listed(&reg[..60]);
    plain.push(target.clone());
    let out = m.match_list(&plain);
    assert!(out.relative_share[0] < 0.02, "{:?}", out.relative_share);
    let r = out.results.last().unwrap();
    assert_eq!((r.decision, r.person), (Decision::Match, Some(x)), "{r:?}");
    // The same list, but the row gives a birth year the registry lacks:
    // the father or son of the same name that lists are known to carry.
    let mut with_year = listed(&reg[..60]);
    with_year.push(row("t", "KEILYLLI OQUENDO TAMARGO", Some(1985), "Holguín"));
    let r = m.match_list(&with_year).results.last().unwrap().clone();
    assert_eq!(r.decision, Decision::Review, "{r:?}");
    assert_eq!(r.reason, Reason::RelativePossible);
    // A list where a third of the whole-name rows are a generation apart:
    // fathers and sons. Then a row without a year does not tell the
    // person from his father either.
    let mut families = listed(&reg[..60]);
    for e in &mut families[..30] {
        e.birth_year = e.birth_year.map(|y| y + 30);
    }
    families.push(target);
    let out = m.match_list(&families);
    assert!(out.relative_share[0] > 0.2, "{:?}", out.relative_share);
    let r = out.results.last().unwrap();
    assert_eq!(r.decision, Decision::Review, "{r:?}");
    assert_eq!(r.reason, Reason::RelativePossible);
}

#[test]
fn an_alias_finds_its_person_and_counts_once() {
    let mut reg = background(600);
    let mut e = entry("alias", "Eleuterio", "Zayas", "Recio", "1966", "Matanzas");
    e.aliases = vec!["Cirilo Zayas Recio".to_owned()];
    reg.push(e);
    let who = reg.len() - 1;
    let m = Matcher::new(&reg, MatchSettings::default());
    let list = [
        row("a", "CIRILO ZAYAS RECIO", Some(1966), "Matanzas"),
        row("b", "Lázaro Pupo Ortiz", None, ""),
    ];
    let out = m.match_list(&list);
    assert_eq!(
        (out.results[0].decision, out.results[0].person),
        (Decision::Match, Some(who)),
        "{:?}",
        out.results[0]
    );
    assert_eq!(m.id(who), "alias");
    let text = m.explain(&out, &list[0]).text;
    assert!(text.contains("alias (by an alias)"), "{text}");
    // The name and its alias are one person: a row naming both is one
    // candidate, not two that share the probability.
    let both = m.match_list(&[row("c", "Eleuterio Zayas Recio", Some(1966), "Matanzas")]);
    assert_eq!(both.results[0].person, Some(who));
    assert_eq!(both.results[0].decision, Decision::Match);
}

#[test]
fn a_person_the_registry_has_as_released_is_less_likely_on_a_release_list() {
    let base = background(600);
    let probability = |held: Option<bool>| {
        let mut reg = base.clone();
        let mut e = entry("p", "Yoandri", "Naranjo", "Pupo", "", "Granma");
        e.held = held;
        reg.push(e);
        let m = Matcher::new(&reg, MatchSettings::default());
        let r = decide_alone(&m, "YOANDRI NARANJO PUPO", None, "");
        assert_eq!(r.person, Some(reg.len() - 1), "{r:?}");
        r.probability
    };
    let (held, released, unknown) = (
        probability(Some(true)),
        probability(Some(false)),
        probability(None),
    );
    assert!(released < held, "{released} < {held}");
    assert_eq!(held, unknown);
}

#[test]
fn every_decision_carries_a_reason_code_from_the_documented_set() {
    let reg = background(600);
    let m = Matcher::new(&reg, MatchSettings::default());
    let mut list = listed(&reg[..50]);
    list.extend(strangers(20));
    list.push(row("empty", "", None, ""));
    let out = m.match_list(&list);
    for r in &out.results {
        let code = r.reason.code();
        assert!(
            !code.is_empty()
                && code
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit()),
            "{code:?}"
        );
        match r.decision {
            Decision::Match => assert_eq!(r.reason, Reason::OneClearCandidate),
            _ => assert_ne!(r.reason, Reason::OneClearCandidate),
        }
    }
    assert_eq!(out.results.last().unwrap().reason, Reason::NoName);
}

#[test]
fn jr_and_hijo_tell_a_son_from_his_father() {
    let mut reg = background(600);
    reg.push(entry(
        "father",
        "Yoandy",
        "Espinosa",
        "Hurtado",
        "1973",
        "La Habana",
    ));
    reg.push(entry(
        "son",
        "Yoandy (hijo)",
        "Espinosa",
        "Hurtado",
        "",
        "La Habana",
    ));
    let m = Matcher::new(&reg, MatchSettings::default());
    let son = m.match_list(&[row("r", "YOANDY ESPINOSA HURTADO JR", None, "LA HABANA")]);
    let r = &son.results[0];
    assert_eq!(m.id(r.person.unwrap()), "son", "{r:?}");
    assert_ne!(
        r.decision,
        Decision::Match,
        "the registry has no year for the son: {r:?}"
    );
    let text = m
        .explain(
            &son,
            &row("r", "YOANDY ESPINOSA HURTADO JR", None, "LA HABANA"),
        )
        .text;
    assert!(text.contains("generation"), "{text}");
    // "Sr." against "hijo" is never the same person.
    let father = decide_one(
        &m,
        &[row(
            "r",
            "YOANDY ESPINOSA HURTADO SR.",
            Some(1973),
            "LA HABANA",
        )],
        "r",
    );
    assert_eq!(m.id(father.person.unwrap()), "father", "{father:?}");
    assert_eq!(father.decision, Decision::Match, "{father:?}");
}

#[test]
fn a_rival_that_lacks_only_data_keeps_a_row_from_match() {
    let mut reg = background(600);
    reg.push(entry(
        "full",
        "Yunieski",
        "Muñiz",
        "Marroquín",
        "1988-06-02",
        "Pinar del Río",
    ));
    let m = Matcher::new(&reg, MatchSettings::default());
    let list = [row("r", "YUNIESKI MUNIZ MARROQUIN", Some(1988), "")];
    let alone = m.match_list(&list).results[0].clone();
    assert_eq!(alone.decision, Decision::Match, "{alone:?}");
    // A second record with the same given name, first surname and year,
    // but no second surname: the list's second surname cannot tell them
    // apart, because the registry lacks it for the other.
    reg.push(entry(
        "short",
        "Yunieski",
        "Muñiz",
        "",
        "1988-04-21",
        "Santiago de Cuba",
    ));
    let m = Matcher::new(&reg, MatchSettings::default());
    let r = m.match_list(&list).results[0].clone();
    assert_eq!(r.decision, Decision::Review, "{r:?}");
    assert_eq!(r.reason, Reason::AnotherFits, "{r:?}");
    // A rival that disagrees (another year) is no obstacle.
    reg.pop();
    reg.push(entry(
        "other",
        "Yunieski",
        "Muñiz",
        "",
        "1960",
        "Santiago de Cuba",
    ));
    let m = Matcher::new(&reg, MatchSettings::default());
    let r = m.match_list(&list).results[0].clone();
    assert_eq!(r.decision, Decision::Match, "{r:?}");
}

#[test]
fn both_surnames_typed_into_the_first_field_are_read_as_two() {
    let mut reg = background(600);
    reg.push(entry(
        "x",
        "Wilmer",
        "Urdaneta",
        "Fonseca",
        "1990-05-02",
        "Holguín",
    ));
    reg.push(entry(
        "typed",
        "Wilmer",
        "Urdaneta Aguirre",
        "",
        "1988-09-14",
        "Granma",
    ));
    reg.push(entry(
        "compound",
        "Yoandy",
        "Montes de Oca",
        "",
        "1975",
        "Granma",
    ));
    let m = Matcher::new(&reg, MatchSettings::default());
    // The record typed as "Urdaneta Aguirre" is not Urdaneta Fonseca
    // lacking a second surname: it is no rival.
    let fonseca = decide_alone(&m, "WILMER URDANETA FONSECA", None, "");
    assert_eq!(
        (fonseca.decision, m.id(fonseca.person.unwrap())),
        (Decision::Match, "x"),
        "{fonseca:?}"
    );
    let aguirre = decide_alone(&m, "WILMER URDANETA AGUIRRE", Some(1988), "GRANMA");
    assert_eq!(
        (aguirre.decision, m.id(aguirre.person.unwrap())),
        (Decision::Match, "typed"),
        "{aguirre:?}"
    );
    // "Montes de Oca" is one surname: a list's second surname is still
    // one the registry lacks.
    let oca = decide_alone(&m, "YOANDY MONTES DE OCA PUPO", None, "");
    assert_eq!(
        (oca.decision, oca.reason),
        (Decision::Review, Reason::Surname2Unknown),
        "{oca:?}"
    );
}

#[test]
fn a_rival_found_under_another_reading_of_the_row_does_not_hold_it_back() {
    let mut reg = background(600);
    reg.push(entry(
        "x",
        "Juan Jorge",
        "Schmidt",
        "Hernández",
        "1980-01-02",
        "Holguín",
    ));
    // Fits "JUAN JORGE SCHMIDT" read as given names, "HERNANDEZ" as the
    // only surname, and lacks everything else.
    reg.push(entry("other", "Juan", "Hernández", "García", "", ""));
    let m = Matcher::new(&reg, MatchSettings::default());
    let r = decide_one(
        &m,
        &[row(
            "r",
            "JUAN JORGE SCHMIDT HERNANDEZ",
            Some(1980),
            "HOLGUIN",
        )],
        "r",
    );
    assert_eq!(
        (r.decision, m.id(r.person.unwrap())),
        (Decision::Match, "x"),
        "{r:?}"
    );
}

#[test]
fn a_first_initial_is_a_match_only_with_both_surnames_and_the_same_birth_year() {
    let mut reg = background(600);
    reg.push(entry(
        "x",
        "Keilylli",
        "Oquendo",
        "Tamargo",
        "1985-02-11",
        "Holguín",
    ));
    let x = reg.len() - 1;
    let m = Matcher::new(&reg, MatchSettings::default());
    let exact = decide_alone(&m, "K. OQUENDO TAMARGO", Some(1985), "HOLGUIN");
    assert_eq!(
        (exact.decision, exact.person),
        (Decision::Match, Some(x)),
        "{exact:?}"
    );
    // A year off: a brother or sister with the same initial is often
    // born a year apart.
    let near = decide_alone(&m, "K. OQUENDO TAMARGO", Some(1986), "HOLGUIN");
    assert_eq!(
        (near.decision, near.reason),
        (Decision::Review, Reason::InitialOnly),
        "{near:?}"
    );
    assert_eq!(near.person, Some(x));
}

#[test]
fn jr_or_hijo_on_one_side_only_needs_the_birth_year_on_both() {
    let mut reg = background(600);
    reg.push(entry(
        "son",
        "Yoandy (hijo)",
        "Espinosa",
        "Hurtado",
        "1998-03-02",
        "La Habana",
    ));
    reg.push(entry(
        "plain",
        "Keilylli",
        "Oquendo",
        "Tamargo",
        "1985-02-11",
        "Holguín",
    ));
    let m = Matcher::new(&reg, MatchSettings::default());
    // The registry writes "hijo": his father of the same name exists, and
    // a row without it and without a year may be the father.
    let father = decide_alone(&m, "YOANDY ESPINOSA HURTADO", None, "LA HABANA");
    assert_eq!(
        (father.decision, father.reason, m.id(father.person.unwrap())),
        (Decision::Review, Reason::RelativePossible, "son"),
        "{father:?}"
    );
    let year = decide_alone(&m, "YOANDY ESPINOSA HURTADO", Some(1998), "LA HABANA");
    assert_eq!(
        (year.decision, m.id(year.person.unwrap())),
        (Decision::Match, "son"),
        "{year:?}"
    );
    // The list writes "HIJO" and the registry does not: the registry may
    // hold the father.
    let listed_son = decide_alone(&m, "KEILYLLI OQUENDO TAMARGO (HIJO)", None, "HOLGUIN");
    assert_eq!(
        (listed_son.decision, listed_son.reason),
        (Decision::Review, Reason::RelativePossible),
        "{listed_son:?}"
    );
    let plain = decide_alone(&m, "KEILYLLI OQUENDO TAMARGO", None, "HOLGUIN");
    assert_eq!(plain.decision, Decision::Match, "{plain:?}");
}

#[test]
fn an_initial_for_the_second_surname_counts_for_when_it_agrees_and_against_when_not() {
    let mut reg = background(600);
    reg.push(entry(
        "x",
        "Keilylli",
        "Oquendo",
        "Tamargo",
        "1985-02-11",
        "Holguín",
    ));
    let x = reg.len() - 1;
    let m = Matcher::new(&reg, MatchSettings::default());
    let list = [
        row("agrees", "OQUENDO T., KEILYLLI", Some(1985), "HOLGUIN"),
        row("differs", "OQUENDO R., KEILYLLI", Some(1985), "HOLGUIN"),
        row("plain", "OQUENDO, KEILYLLI", Some(1985), "HOLGUIN"),
    ];
    let out = m.match_list(&list);
    let [agrees, differs, plain] = [&out.results[0], &out.results[1], &out.results[2]];
    assert_eq!(
        (agrees.decision, agrees.person),
        (Decision::Match, Some(x)),
        "{agrees:?}"
    );
    assert!(
        agrees.probability > plain.probability,
        "{agrees:?} {plain:?}"
    );
    assert_ne!(differs.decision, Decision::Match, "{differs:?}");
    let text = m.explain(&out, &list[0]).text;
    assert!(text.contains("its initial agrees"), "{text}");
}

#[test]
fn a_given_name_written_in_full_after_an_initial_tells_a_sibling_apart() {
    let mut reg = background(600);
    reg.push(entry(
        "x",
        "Juan Carlos",
        "Oquendo",
        "Tamargo",
        "1985-02-11",
        "Holguín",
    ));
    let x = reg.len() - 1;
    let m = Matcher::new(&reg, MatchSettings::default());
    let list = [
        row("later", "J. CARLOS OQUENDO TAMARGO", None, "HOLGUIN"),
        row("initial", "J. OQUENDO TAMARGO", None, "HOLGUIN"),
    ];
    let out = m.match_list(&list);
    assert_eq!(
        (out.results[0].decision, out.results[0].person),
        (Decision::Match, Some(x)),
        "{:?}",
        out.results[0]
    );
    assert_eq!(
        (out.results[1].decision, out.results[1].reason),
        (Decision::Review, Reason::InitialOnly),
        "{:?}",
        out.results[1]
    );
}

#[test]
fn a_second_surname_the_registry_lacks_must_single_the_person_out() {
    let mut reg = background(600);
    reg.push(entry(
        "x",
        "Keilylli",
        "Oquendo",
        "",
        "1985-02-11",
        "Holguín",
    ));
    let x = reg.len() - 1;
    let m = Matcher::new(&reg, MatchSettings::default());
    // What can be checked (a given name and a surname) is shared by a
    // few people in the country; the second surname cannot be checked.
    let loose = decide_alone(&m, "KEILYLLI OQUENDO TAMARGO", None, "");
    assert_eq!(
        (loose.decision, loose.reason, loose.person),
        (Decision::Review, Reason::Surname2Unknown, Some(x)),
        "{loose:?}"
    );
    // Among the 2,000 people of a small custodial population, the given
    // name, the surname and the province are enough.
    let custody = Matcher::new(
        &reg,
        MatchSettings {
            population: Some(2_000.0),
            ..MatchSettings::default()
        },
    );
    let few = decide_alone(&custody, "KEILYLLI OQUENDO TAMARGO", None, "HOLGUIN");
    assert_eq!(
        (few.decision, few.person),
        (Decision::Match, Some(x)),
        "{few:?}"
    );
    // With the year and the province, nobody else in the country fits.
    let told = decide_alone(&m, "KEILYLLI OQUENDO TAMARGO", Some(1985), "HOLGUIN");
    assert_eq!(
        (told.decision, told.person),
        (Decision::Match, Some(x)),
        "{told:?}"
    );
}

#[test]
fn one_surname_for_a_person_with_two_needs_the_birth_year() {
    let mut reg = background(600);
    reg.push(entry(
        "x",
        "Keilylli",
        "Oquendo",
        "Tamargo",
        "1985-02-11",
        "Holguín",
    ));
    let x = reg.len() - 1;
    let m = Matcher::new(&reg, MatchSettings::default());
    // The province agrees, but a son named after his father shares it.
    let province = decide_alone(&m, "KEILYLLI OQUENDO", None, "HOLGUIN");
    assert_eq!(
        (province.decision, province.reason, province.person),
        (Decision::Review, Reason::PartialNameUncorroborated, Some(x)),
        "{province:?}"
    );
    let year = decide_alone(&m, "KEILYLLI OQUENDO", Some(1985), "HOLGUIN");
    assert_eq!(
        (year.decision, year.person),
        (Decision::Match, Some(x)),
        "{year:?}"
    );
}

#[test]
fn the_two_policies_are_settings_and_each_moves_the_decision_it_names() {
    let mut reg = background(800);
    reg.push(entry("x", "Keilylli", "Oquendo", "Tamargo", "", "Holguín"));
    // A row with a birth year the registry lacks, on a list whose rows
    // agree with the registry's years.
    let mut list = listed(&reg[..60]);
    list.push(row("t", "KEILYLLI OQUENDO TAMARGO", Some(1985), "Holguín"));
    let decide = |settings: MatchSettings, list: &[ListEntry]| {
        let m = Matcher::new(&reg, settings);
        m.match_list(list).results.last().unwrap().clone()
    };
    let floor = decide(MatchSettings::default(), &list);
    assert_eq!(floor.reason, Reason::RelativePossible, "{floor:?}");
    let trusted = decide(
        MatchSettings {
            unverifiable_year_floor: 0.0,
            ..MatchSettings::default()
        },
        &list,
    );
    assert!(
        trusted.probability > floor.probability,
        "{trusted:?} {floor:?}"
    );
    // A given name, one common surname, the year and the province: not
    // singled out among 10 million, but among the few thousand that a
    // custodial population holds.
    let p = &reg[0];
    let partial = [row(
        "r",
        &format!("{}, {}", p.surname1, p.given_names),
        p.birth_date.parse().ok(),
        &p.province,
    )];
    let country = decide(MatchSettings::default(), &partial);
    let custody = decide(
        MatchSettings {
            population: Some(2_000.0),
            ..MatchSettings::default()
        },
        &partial,
    );
    assert_eq!(country.decision, Decision::Review, "{country:?}");
    assert_eq!(
        (custody.decision, custody.person),
        (Decision::Match, Some(0)),
        "{custody:?}"
    );
}

#[test]
fn settings_out_of_their_ranges_are_named_and_the_defaults_pass() {
    assert!(MatchSettings::default().problems().is_empty());
    let bad = MatchSettings {
        match_probability: 1.5,
        unverifiable_year_floor: f64::NAN,
        population: Some(0.0),
        on_registry_share: Some(-0.1),
        ..MatchSettings::default()
    };
    let problems = bad.problems();
    let named: Vec<&str> = problems
        .iter()
        .map(|p| p.split(' ').next().unwrap())
        .collect();
    assert_eq!(
        named,
        [
            "match_probability",
            "unverifiable_year_floor",
            "on_registry_share",
            "population"
        ],
        "{problems:?}"
    );
    let floor_one = MatchSettings {
        unverifiable_year_floor: 1.0,
        ..MatchSettings::default()
    };
    assert_eq!(floor_one.problems().len(), 1);
}

#[test]
fn agreeing_on_two_given_names_counts_their_rarity_together() {
    // "Luis" is a common first name here; "Luis Rolando" is one person's.
    let mut reg = background(600);
    for i in 0..40 {
        let s = |k: usize| SURNAMES[(i * 7 + k) % SURNAMES.len()];
        reg.push(entry(
            &format!("luis{i}"),
            "Luis",
            s(0),
            s(3),
            "1980",
            "Granma",
        ));
    }
    reg.push(entry("lr", "Luis Rolando", "Requena", "Pérez", "", ""));
    reg.push(entry("l", "Luis", "Oquendo", "Tamargo", "", ""));
    let m = Matcher::new(&reg, MatchSettings::default());
    let list = [
        row("a", "LUIS ROLANDO REQUENA PEREZ", None, ""),
        row("b", "LUIS OQUENDO TAMARGO", None, ""),
    ];
    let out = m.match_list(&list);
    let given_bits = |e: &ListEntry| {
        let text = m.explain(&out, e).text;
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with("given names") && l.contains("same"))
            .unwrap_or_else(|| panic!("{text}"))
            .to_owned();
        let bits: f64 = line.split_whitespace().last().unwrap().parse().unwrap();
        (bits, text)
    };
    let ((both, text), (one, _)) = (given_bits(&list[0]), given_bits(&list[1]));
    assert!(both > one + 2.0, "{both} against {one}: {text}");
}

#[test]
fn swapped_surnames_with_a_typo_go_to_a_reviewer_with_the_person() {
    let mut reg = background(600);
    reg.push(entry(
        "gr",
        "José",
        "Guijarro",
        "Robles",
        "1995-12-26",
        "Granma",
    ));
    let who = reg.len() - 1;
    let m = Matcher::new(&reg, MatchSettings::default());
    let list = [row("a", "ROBLEZ GIJARRO, JOSE", None, "")];
    let out = m.match_list(&list);
    let r = &out.results[0];
    assert_eq!(r.person, Some(who), "{r:?}");
    assert_ne!(r.decision, Decision::None, "{r:?}");
    let text = m.explain(&out, &list[0]).text;
    assert!(text.contains("the two surnames swapped"), "{text}");
}
