use super::list::POSITIVE_PERCENT;
use super::text::fold_lower;
use super::vocab::is_particle;
use super::*;
use std::collections::{HashMap, HashSet};

fn read(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

/// A registry row as the checks compare it: folded words.
struct Entry {
    given: String,
    tokens: HashSet<String>,
    s1: String,
    s2: String,
    year: Option<u16>,
}

fn tokens(given: &str) -> HashSet<String> {
    given
        .split(' ')
        .filter(|w| !is_particle(w))
        .map(fold_lower)
        .collect()
}

/// The registry file read back, by folded first surname.
fn registry_by_s1(dir: &Path) -> HashMap<String, Vec<Entry>> {
    let (_, rows) = read(&dir.join("registry.csv"));
    let mut by_s1: HashMap<String, Vec<Entry>> = HashMap::new();
    for r in rows {
        let entry = Entry {
            given: fold_lower(&r[1]),
            tokens: tokens(&r[1]),
            s1: fold_lower(&r[2]),
            s2: fold_lower(&r[3]),
            year: r[4].get(..4).map(|y| y.parse().unwrap()),
        };
        by_s1.entry(entry.s1.clone()).or_default().push(entry);
    }
    by_s1
}

#[test]
fn the_same_seed_gives_byte_identical_files_and_another_seed_does_not() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let c = tempfile::tempdir().unwrap();
    generate(3000, 600, 42, a.path()).unwrap();
    generate(3000, 600, 42, b.path()).unwrap();
    generate(3000, 600, 43, c.path()).unwrap();
    for name in ["registry.csv", "list.csv", "truth.csv"] {
        let first = std::fs::read(a.path().join(name)).unwrap();
        assert_eq!(first, std::fs::read(b.path().join(name)).unwrap(), "{name}");
        assert_ne!(first, std::fs::read(c.path().join(name)).unwrap(), "{name}");
    }
}

#[test]
fn the_headers_are_exactly_the_documented_ones() {
    let dir = tempfile::tempdir().unwrap();
    generate(200, 50, 1, dir.path()).unwrap();
    let first_line = |name: &str| {
        let text = std::fs::read_to_string(dir.path().join(name)).unwrap();
        text.lines().next().unwrap().to_owned()
    };
    assert_eq!(
        first_line("registry.csv"),
        "id,given_names,surname1,surname2,birth_date,sex,nationality,country,province,\
         private_notes,family_contact,publish"
    );
    assert_eq!(
        first_line("list.csv"),
        "row_id,full_name,birth_year,province"
    );
    assert_eq!(first_line("truth.csv"), "row_id,person_id,kind");
}

#[test]
fn every_positive_names_a_distinct_person_of_the_registry_and_three_quarters_are_positive() {
    let dir = tempfile::tempdir().unwrap();
    generate(2000, 400, 5, dir.path()).unwrap();
    let (_, registry) = read(&dir.path().join("registry.csv"));
    let ids: HashSet<&str> = registry.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids.len(), 2000);
    let (_, list) = read(&dir.path().join("list.csv"));
    let (_, truth) = read(&dir.path().join("truth.csv"));
    assert_eq!(list.len(), 400);
    assert_eq!(truth.len(), 400);
    let mut named = HashSet::new();
    for (i, (l, t)) in list.iter().zip(&truth).enumerate() {
        assert_eq!(l[0], format!("L{:05}", i + 1));
        assert_eq!(l[0], t[0]);
        assert!(!l[1].is_empty());
        if !t[1].is_empty() {
            assert!(ids.contains(t[1].as_str()), "{}", t[1]);
            assert!(named.insert(t[1].clone()), "{} named twice", t[1]);
        }
    }
    assert_eq!(named.len(), 400 * POSITIVE_PERCENT / 100);
}

#[test]
fn labels_come_from_the_documented_vocabulary_and_an_exact_row_is_the_registry_name() {
    let dir = tempfile::tempdir().unwrap();
    generate(2000, 1000, 8, dir.path()).unwrap();
    let (_, registry) = read(&dir.path().join("registry.csv"));
    let by_id: HashMap<&str, &Vec<String>> = registry.iter().map(|r| (r[0].as_str(), r)).collect();
    let (_, list) = read(&dir.path().join("list.csv"));
    let (_, truth) = read(&dir.path().join("truth.csv"));
    let known = [
        "exact",
        "upper",
        "noaccents",
        "upper_noaccents",
        "comma_form",
        "one_surname",
        "compound_short",
        "hypocorism",
        "ma_abbrev",
        "initial",
        "particle",
        "misspelling",
        "typo",
    ];
    let mut seen = HashSet::new();
    for (l, t) in list.iter().zip(&truth) {
        if t[1].is_empty() {
            assert!(
                ["sibling", "namesake", "parent_child", "absent"].contains(&t[2].as_str()),
                "{}",
                t[2]
            );
            continue;
        }
        for part in t[2].split('+') {
            assert!(known.contains(&part), "{part}");
            seen.insert(part.to_owned());
        }
        if t[2] == "exact" {
            let p = by_id[t[1].as_str()];
            let full = [&p[1], &p[2], &p[3]]
                .iter()
                .filter(|s| !s.is_empty())
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            assert_eq!(l[1], full);
        }
    }
    for label in known {
        assert!(seen.contains(label), "no row is {label}");
    }
}

#[test]
fn no_negative_is_a_registry_person_with_the_same_name_and_a_compatible_birth_year() {
    for (seed, registry, list) in [(11, 20_000, 3000), (12, 4000, 8000), (13, 3000, 6000)] {
        let negatives = check_negatives(seed, registry, list);
        // Positives are distinct persons: a list twice the registry has as
        // many negatives as positives.
        let positives = (list * POSITIVE_PERCENT / 100).min(registry);
        assert_eq!(negatives, list - positives);
    }
}

/// Checks every negative of one test set against its registry file, read
/// back; returns how many there were.
fn check_negatives(seed: u64, registry: usize, list: usize) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let set = build(registry, list, seed).unwrap();
    write_registry(&set, dir.path()).unwrap();
    let registry = registry_by_s1(dir.path());
    let empty = Vec::new();
    let mut checked = HashMap::new();
    for row in set.rows.iter().filter(|r| r.person.is_none()) {
        let c = row.canon;
        let mut given = String::new();
        set.vocab.given_text(c.given, &mut given);
        let row_tokens = tokens(&given);
        let s1 = fold_lower(set.vocab.surname(c.s1));
        let s2 = fold_lower(set.vocab.surname(c.s2));
        let same_s1 = registry.get(&s1).unwrap_or(&empty);
        // Everyone the row could be read as: the same surnames (or a
        // registry person without a second one, or any second surname
        // when the row gives one surname only) and a shared given word.
        let readable = |e: &&Entry| {
            let surnames = c.one_surname || s2.is_empty() || e.s2 == s2 || e.s2.is_empty();
            surnames && !e.tokens.is_disjoint(&row_tokens)
        };
        let clash: Vec<&Entry> = same_s1.iter().filter(readable).collect();
        match row.kind.as_str() {
            "parent_child" => {
                assert_eq!(row.birth_year, Some(c.year));
                for e in &clash {
                    let y = e.year.expect("a same-name registry person without a year");
                    assert!(y.abs_diff(c.year) > 2, "{given} {s1} {s2} {}", c.year);
                }
                assert!(same_s1.iter().any(|e| e.given == fold_lower(&given)
                    && e.s2 == s2
                    && e.year
                        .is_some_and(|y| (20..=35).contains(&y.abs_diff(c.year)))));
            }
            kind => {
                assert!(
                    clash.is_empty(),
                    "{kind} {given} {s1} {s2} is in the registry"
                );
                match kind {
                    "sibling" => assert!(same_s1.iter().any(|e| e.s2 == s2)),
                    "namesake" => assert!(same_s1
                        .iter()
                        .any(|e| e.given == fold_lower(&given) && e.s2 != s2)),
                    _ => assert_eq!(kind, "absent"),
                }
            }
        }
        *checked.entry(row.kind.clone()).or_insert(0) += 1;
    }
    assert!(checked.len() == 4, "{checked:?}");
    checked.values().sum()
}

#[test]
fn a_small_set_has_every_kind_of_hard_negative() {
    let dir = tempfile::tempdir().unwrap();
    let summary = generate(500, 100, 2, dir.path()).unwrap();
    for kind in ["sibling", "namesake", "parent_child", "absent"] {
        assert!(
            summary.negative_kinds.get(kind).is_some_and(|&n| n > 0),
            "no {kind}: {summary}"
        );
    }
    assert_eq!(summary.positives, 75);
    assert_eq!(summary.negatives, 25);
}

#[test]
fn the_registry_has_realistic_gaps_and_planted_hard_cases() {
    let dir = tempfile::tempdir().unwrap();
    let summary = generate(20_000, 10, 4, dir.path()).unwrap();
    let (_, rows) = read(&dir.path().join("registry.csv"));
    let share = |n: usize| n as f64 / rows.len() as f64;
    let no_s2 = rows.iter().filter(|r| r[3].is_empty()).count();
    assert!((0.02..0.05).contains(&share(no_s2)), "{no_s2}");
    let no_birth = rows.iter().filter(|r| r[4].is_empty()).count();
    assert!((0.07..0.13).contains(&share(no_birth)), "{no_birth}");
    for r in &rows {
        assert!(
            r[4].is_empty() || r[4].len() == 4 || r[4].len() == 10,
            "{}",
            r[4]
        );
        assert!(["M", "F", "X"].contains(&r[5].as_str()));
        assert_eq!(r[11], "yes");
        assert!(r[9].is_empty() && r[10].is_empty());
    }
    // The very common surnames lead, as they do in life, over a long tail.
    let garcia = rows.iter().filter(|r| r[2] == "García").count();
    assert!((0.03..0.06).contains(&share(garcia)), "{garcia}");
    let surnames: HashSet<&str> = rows.iter().map(|r| r[2].as_str()).collect();
    assert!(surnames.len() > 1200, "{}", surnames.len());
    let given: HashSet<&str> = rows
        .iter()
        .flat_map(|r| r[1].split(' '))
        .filter(|w| !is_particle(w))
        .collect();
    assert!(given.len() > 400, "{}", given.len());
    // Siblings: both surnames and the province shared, other given names.
    let mut families: HashMap<(&str, &str, &str), HashSet<&str>> = HashMap::new();
    for r in rows.iter().filter(|r| !r[3].is_empty()) {
        families
            .entry((&r[2], &r[3], &r[8]))
            .or_default()
            .insert(&r[1]);
    }
    assert!(families.values().filter(|g| g.len() >= 2).count() > 500);
    let p = &summary.planted;
    assert!(p.siblings > 1000 && p.namesakes > 500 && p.parent_child > 500 && p.duplicates > 500);
    assert!(rows.iter().any(|r| r[1].contains(" de ")));
    assert!(rows
        .iter()
        .any(|r| r[2].starts_with("de ") || r[3].starts_with("de ")));
}

#[test]
fn sizes_that_make_no_sense_are_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let empty = generate(0, 0, 1, dir.path()).unwrap_err().to_string();
    assert!(empty.contains("at least one person"), "{empty}");
    let long = generate(10, 21, 1, dir.path()).unwrap_err().to_string();
    assert!(long.contains("more than twice"), "{long}");
    let summary = generate(10, 20, 1, dir.path()).unwrap();
    assert_eq!(summary.positives, 10);
    assert_eq!(summary.negatives, 10);
    let summary = generate(1, 0, 1, dir.path()).unwrap();
    assert_eq!(summary.positives + summary.negatives, 0);
}

#[test]
fn the_vocabulary_is_wide_heavy_headed_and_free_of_sound_alikes() {
    let v = vocab::Vocab::new();
    assert!(v.surnames.len() >= 1500, "{}", v.surnames.len());
    assert_eq!(&v.surnames[..2], ["García", "Rodríguez"]);
    let singles: Vec<&str> = v
        .given
        .iter()
        .map(|g| g.text)
        .filter(|t| !t.contains(' '))
        .collect();
    assert!(singles.len() >= 400, "{}", singles.len());
    for name in [
        "Yoandri", "Yusniel", "Yanelys", "Yunior", "Dayron", "Yulieski", "Leydis", "Maykel",
    ] {
        assert!(singles.contains(&name), "{name}");
    }
    for (what, list) in [
        ("surname", v.surnames.clone()),
        ("given name", singles.clone()),
    ] {
        let mut sounds: HashMap<String, &str> = HashMap::new();
        for name in list {
            if let Some(other) = sounds.insert(text::sound_key(name), name) {
                panic!("{what}s {other} and {name} sound alike");
            }
        }
    }
    // A given name is never a familiar form, which would make "Pepe" two
    // people.
    for (_, familiar) in crate::demo::names::HYPOCORISMS
        .iter()
        .chain(crate::demo::names::HYPOCORISMS_EXTRA)
    {
        assert!(!singles.contains(familiar), "{familiar}");
    }
}
