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

/// The negative kinds truth.csv may hold.
const NEGATIVE_KINDS: [&str; 9] = [
    "offlist",
    "offlist_samename",
    "sibling",
    "namesake",
    "parent_child",
    "parent_child_nodate",
    "parent_child_noyear",
    "namesake_one_surname",
    "sibling_initial",
];

#[test]
fn the_same_seed_gives_byte_identical_files_and_another_seed_does_not() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let c = tempfile::tempdir().unwrap();
    generate(3000, 600, 0.4, 42, a.path()).unwrap();
    generate(3000, 600, 0.4, 42, b.path()).unwrap();
    generate(3000, 600, 0.4, 43, c.path()).unwrap();
    for name in ["registry.csv", "list.csv", "truth.csv"] {
        let first = std::fs::read(a.path().join(name)).unwrap();
        assert_eq!(first, std::fs::read(b.path().join(name)).unwrap(), "{name}");
        assert_ne!(first, std::fs::read(c.path().join(name)).unwrap(), "{name}");
    }
}

#[test]
fn the_share_changes_the_list_but_not_the_registry() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    generate(3000, 600, 0.3, 42, a.path()).unwrap();
    generate(3000, 600, 0.7, 42, b.path()).unwrap();
    let file = |d: &tempfile::TempDir, name: &str| std::fs::read(d.path().join(name)).unwrap();
    assert_eq!(file(&a, "registry.csv"), file(&b, "registry.csv"));
    assert_ne!(file(&a, "list.csv"), file(&b, "list.csv"));
}

#[test]
fn the_headers_are_exactly_the_documented_ones() {
    let dir = tempfile::tempdir().unwrap();
    generate(200, 50, 0.5, 1, dir.path()).unwrap();
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
    assert_eq!(first_line("truth.csv"), "row_id,person_id,kind,singled_out");
}

#[test]
fn the_share_is_honoured_and_only_positives_carry_a_person_and_a_singled_out_flag() {
    let dir = tempfile::tempdir().unwrap();
    for (share, expected) in [(0.3, 120), (0.5, 201), (0.7, 281), (0.999, 401)] {
        // 401 rows: 0.3 gives 120.3, 0.5 gives 200.5 (rounded up), 0.7
        // gives 280.7.
        generate(2000, 401, share, 5, dir.path()).unwrap();
        let (_, registry) = read(&dir.path().join("registry.csv"));
        let ids: HashSet<&str> = registry.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(ids.len(), 2000);
        let (_, list) = read(&dir.path().join("list.csv"));
        let (_, truth) = read(&dir.path().join("truth.csv"));
        assert_eq!(list.len(), 401);
        assert_eq!(truth.len(), 401);
        let mut named = HashSet::new();
        for (i, (l, t)) in list.iter().zip(&truth).enumerate() {
            assert_eq!(l[0], format!("L{:05}", i + 1));
            assert_eq!(l[0], t[0]);
            assert!(!l[1].is_empty());
            let negative = NEGATIVE_KINDS.contains(&t[2].as_str());
            if negative {
                assert!(t[1].is_empty(), "{share}: {t:?}");
                assert!(t[3].is_empty(), "{share}: {t:?}");
            } else {
                assert!(ids.contains(t[1].as_str()), "{share}: {t:?}");
                assert!(named.insert(t[1].clone()), "{} named twice", t[1]);
                assert!(["yes", "no"].contains(&t[3].as_str()), "{t:?}");
            }
        }
        assert_eq!(named.len(), expected, "share {share}");
    }
}

#[test]
fn a_list_wholly_on_the_registry_has_no_negatives() {
    let dir = tempfile::tempdir().unwrap();
    let summary = generate(2000, 500, 1.0, 9, dir.path()).unwrap();
    assert_eq!((summary.positives, summary.negatives), (500, 0));
    let (_, truth) = read(&dir.path().join("truth.csv"));
    assert_eq!(truth.len(), 500);
    assert!(truth.iter().all(|t| !t[1].is_empty() && !t[3].is_empty()));
}

#[test]
fn labels_come_from_the_documented_vocabulary_and_an_exact_row_is_the_registry_name() {
    let dir = tempfile::tempdir().unwrap();
    generate(2000, 1000, 0.75, 8, dir.path()).unwrap();
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
            assert!(NEGATIVE_KINDS.contains(&t[2].as_str()), "{}", t[2]);
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
fn no_planted_sibling_namesake_or_parent_is_readable_as_a_registry_person() {
    for (seed, registry, list, share) in [
        (11, 20_000, 3000, 0.3),
        (12, 4000, 8000, 0.5),
        (13, 3000, 6000, 0.5),
    ] {
        let checked = check_negatives(seed, registry, list, share);
        // At least the quota of each planted kind (7%, 7%, 6%).
        let negatives = list - (list as f64 * share).round() as usize;
        for (kind, percent) in [("sibling", 7), ("namesake", 7), ("parent_child", 6)] {
            assert!(
                checked.get(kind).copied().unwrap_or(0) * 100 >= negatives * percent - 100,
                "{seed}: {checked:?}"
            );
        }
    }
}

/// Checks every planted sibling, namesake and parent of one test set
/// against its registry file, read back; returns how many of each there
/// were.
fn check_negatives(seed: u64, registry: usize, list: usize, share: f64) -> HashMap<String, usize> {
    let dir = tempfile::tempdir().unwrap();
    let set = build(registry, list, share, seed).unwrap();
    write_registry(&set, dir.path()).unwrap();
    let registry = registry_by_s1(dir.path());
    let empty = Vec::new();
    let mut checked = HashMap::new();
    for row in set.rows.iter().filter(|r| r.person.is_none()) {
        let kind = row.kind.as_str();
        if !["sibling", "namesake", "parent_child"].contains(&kind) {
            continue;
        }
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
        if kind == "parent_child" {
            assert_eq!(row.birth_year, Some(c.year));
            for e in &clash {
                let y = e.year.expect("a same-name registry person without a year");
                assert!(y.abs_diff(c.year) > 2, "{given} {s1} {s2} {}", c.year);
            }
            assert!(same_s1.iter().any(|e| e.given == fold_lower(&given)
                && e.s2 == s2
                && e.year
                    .is_some_and(|y| (20..=35).contains(&y.abs_diff(c.year)))));
        } else {
            assert!(
                clash.is_empty(),
                "{kind} {given} {s1} {s2} is in the registry"
            );
            if kind == "sibling" {
                assert!(same_s1.iter().any(|e| e.s2 == s2));
            } else {
                assert!(same_s1
                    .iter()
                    .any(|e| e.given == fold_lower(&given) && e.s2 != s2));
            }
        }
        *checked.entry(kind.to_owned()).or_insert(0) += 1;
    }
    checked
}

#[test]
fn most_negatives_are_strangers_and_those_named_like_a_registry_person_say_so() {
    let set = build(20_000, 3000, 0.3, 21).unwrap();
    let names: HashSet<([u16; 2], u16, u16)> =
        set.persons.iter().map(|p| (p.given, p.s1, p.s2)).collect();
    let negatives: Vec<&list::Row> = set.rows.iter().filter(|r| r.person.is_none()).collect();
    assert_eq!(negatives.len(), 2100);
    let mut same = 0;
    let mut strangers = 0;
    for r in &negatives {
        let c = r.canon;
        match r.kind.as_str() {
            "offlist_samename" => {
                assert!(names.contains(&(c.given, c.s1, c.s2)));
                same += 1;
            }
            "offlist" => assert!(!names.contains(&(c.given, c.s1, c.s2))),
            _ => continue,
        }
        strangers += 1;
    }
    // The bulk of the negatives, and some of them by chance named like a
    // registry person (common names are common).
    assert!(strangers * 100 >= negatives.len() * 60, "{strangers}");
    assert!(same > 0, "{same} of {strangers}");
}

#[test]
fn the_look_alikes_miss_the_field_that_would_tell_them_apart() {
    let set = build(20_000, 3000, 0.3, 22).unwrap();
    let v = &set.vocab;
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for r in set.rows.iter().filter(|r| r.person.is_none()) {
        let c = r.canon;
        let same_name = |p: &&registry::Person| p.given == c.given && p.s1 == c.s1 && p.s2 == c.s2;
        let generation = |p: &registry::Person| (20..=35).contains(&p.year.abs_diff(c.year));
        match r.kind.as_str() {
            "parent_child_nodate" => {
                assert_eq!(r.birth_year, Some(c.year));
                assert!(set
                    .persons
                    .iter()
                    .filter(same_name)
                    .any(|p| p.shown == registry::Shown::Nothing && generation(p)));
            }
            "parent_child_noyear" => {
                assert_eq!(r.birth_year, None);
                assert!(set
                    .persons
                    .iter()
                    .filter(same_name)
                    .any(|p| p.shown_year().is_some() && generation(p)));
            }
            "namesake_one_surname" => {
                assert_eq!(r.written.s2, None);
                assert!(c.one_surname);
                assert!(!r
                    .full_name
                    .to_lowercase()
                    .contains(&v.surname(c.s2).to_lowercase()));
                assert!(set
                    .persons
                    .iter()
                    .any(|p| p.given == c.given && p.s1 == c.s1 && p.s2 != c.s2));
            }
            "sibling_initial" => {
                let [singled::Part::Initial(letter)] = r.written.given[..] else {
                    panic!("{:?}", r.written.given);
                };
                assert!(set.persons.iter().any(|p| p.s1 == c.s1
                    && p.s2 == c.s2
                    && p.given != c.given
                    && v.tokens(p.given).next().map(|t| v.initial(t)) == Some(letter)));
            }
            _ => continue,
        }
        // Nothing the row writes tells them from a registry person.
        assert!(
            set.persons.iter().any(|p| singled::compatible(
                v,
                &r.written,
                &singled::Known::registry(p)
            )),
            "{} {:?}",
            r.full_name,
            r.written
        );
        *seen.entry(r.kind.as_str()).or_insert(0) += 1;
    }
    // 1% of 2,100 negatives each.
    for kind in [
        "parent_child_nodate",
        "parent_child_noyear",
        "namesake_one_surname",
        "sibling_initial",
    ] {
        assert_eq!(seen.get(kind), Some(&21), "{seen:?}");
    }
}

#[test]
fn a_small_set_has_every_kind_of_negative() {
    let dir = tempfile::tempdir().unwrap();
    let summary = generate(500, 100, 0.5, 2, dir.path()).unwrap();
    for kind in NEGATIVE_KINDS.iter().filter(|k| **k != "offlist_samename") {
        assert!(
            summary.negative_kinds.get(*kind).is_some_and(|&n| n > 0),
            "no {kind}: {summary}"
        );
    }
    assert_eq!(summary.positives, 50);
    assert_eq!(summary.negatives, 50);
}

#[test]
fn the_registry_has_realistic_gaps_and_planted_hard_cases() {
    let dir = tempfile::tempdir().unwrap();
    let summary = generate(20_000, 10, 0.5, 4, dir.path()).unwrap();
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

#[test]
fn sizes_and_shares_that_make_no_sense_are_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let empty = generate(0, 0, 0.5, 1, dir.path()).unwrap_err().to_string();
    assert!(empty.contains("at least one person"), "{empty}");
    // 21 rows at one half are 11 registry persons (10.5 rounded up).
    let long = generate(10, 21, 0.5, 1, dir.path())
        .unwrap_err()
        .to_string();
    assert!(long.contains("more than the 10"), "{long}");
    for share in [0.0, -0.5, 1.01, f64::NAN] {
        let bad = generate(10, 10, share, 1, dir.path())
            .unwrap_err()
            .to_string();
        assert!(bad.contains("--on-registry-share"), "{share}: {bad}");
    }
    let summary = generate(10, 20, 0.5, 1, dir.path()).unwrap();
    assert_eq!(summary.positives, 10);
    assert_eq!(summary.negatives, 10);
    let summary = generate(1, 0, 0.5, 1, dir.path()).unwrap();
    assert_eq!(summary.positives + summary.negatives, 0);
}

/// Vocabulary ids for the hand-made cases.
fn given_id(v: &vocab::Vocab, text: &str) -> [u16; 2] {
    let entry = |t: &str| u16::try_from(v.given.iter().position(|g| g.text == t).unwrap()).unwrap();
    match text.split_once(' ') {
        Some((a, b)) => [entry(a), entry(b)],
        None => [entry(text), vocab::NONE],
    }
}

fn surname_id(v: &vocab::Vocab, text: &str) -> u16 {
    u16::try_from(v.surnames.iter().position(|s| *s == text).unwrap()).unwrap()
}

/// A registry person made by hand, in La Habana unless `province` says.
fn hand_person(
    v: &vocab::Vocab,
    given: &str,
    surnames: (&str, &str),
    year: u16,
    shown: registry::Shown,
    province: u8,
) -> registry::Person {
    registry::Person {
        given: given_id(v, given),
        s1: surname_id(v, surnames.0),
        s2: surname_id(v, surnames.1),
        year,
        month: 1,
        day: 1,
        shown,
        sex: vocab::Sex::M,
        country: 0,
        province,
        dual: 0,
    }
}

/// A list row naming `person` (or nobody) that writes `written`.
fn hand_row(person: Option<u32>, canon: list::Canon, written: singled::Written) -> list::Row {
    list::Row {
        full_name: String::new(),
        birth_year: written.year,
        province: None,
        person,
        kind: String::new(),
        canon,
        written,
        singled_out: None,
    }
}

fn canon_of(p: &registry::Person) -> list::Canon {
    list::Canon {
        given: p.given,
        s1: p.s1,
        s2: p.s2,
        year: p.year,
        place: (p.country, p.province),
        one_surname: false,
    }
}

/// Whether row 0, naming registry person 0 and writing `written`, singles
/// them out among `persons` and the off-list people of `strangers`.
fn singles_out(
    v: &vocab::Vocab,
    persons: &[registry::Person],
    strangers: &[registry::Person],
    written: singled::Written,
) -> bool {
    let mut rows = vec![hand_row(Some(0), canon_of(&persons[0]), written)];
    for s in strangers {
        let w = singled::Written {
            given: vec![],
            s1: s.s1,
            s2: None,
            year: None,
            place: None,
        };
        rows.push(hand_row(None, canon_of(s), w));
    }
    singled::mark(v, persons, &mut rows);
    assert!(rows[1..].iter().all(|r| r.singled_out.is_none()));
    rows[0].singled_out.unwrap()
}

#[test]
fn a_row_does_not_single_out_a_person_that_someone_else_also_fits() {
    use registry::Shown::{Day, Nothing};
    use singled::{Part, Written};
    let v = vocab::Vocab::new();
    let jose = Part::Word(v.word("jose").unwrap());
    let perez = surname_id(&v, "Pérez");
    let garcia = surname_id(&v, "García");
    let write =
        |given: Vec<Part>, s2: Option<u16>, year: Option<u16>, place: Option<(u8, u8)>| Written {
            given,
            s1: perez,
            s2,
            year,
            place,
        };
    let target = hand_person(&v, "José", ("Pérez", "García"), 1980, Day, 2);
    let namesake = hand_person(&v, "José", ("Pérez", "López"), 1981, Day, 5);

    // A one-surname namesake: "José Pérez" fits both.
    let both = [target, namesake];
    assert!(!singles_out(
        &v,
        &both,
        &[],
        write(vec![jose.clone()], None, None, None)
    ));
    // The second surname, the province or a year two apart tells them
    // apart; a year one apart does not.
    let full = write(vec![jose.clone()], Some(garcia), None, None);
    assert!(singles_out(&v, &both, &[], full.clone()));
    assert!(singles_out(
        &v,
        &both,
        &[],
        write(vec![jose.clone()], None, None, Some((0, 2)))
    ));
    let far = hand_person(&v, "José", ("Pérez", "López"), 1982, Day, 5);
    let one_surname_1980 = write(vec![jose.clone()], None, Some(1980), None);
    assert!(!singles_out(&v, &both, &[], one_surname_1980.clone()));
    assert!(singles_out(
        &v,
        &[target, far],
        &[],
        one_surname_1980.clone()
    ));
    // A registry person without a birth date cannot be excluded by year.
    let undated = hand_person(&v, "José", ("Pérez", "López"), 1950, Nothing, 5);
    assert!(!singles_out(&v, &[target, undated], &[], one_surname_1980));

    // A stranger on the list with the very same name: only their (known)
    // year tells them apart.
    let stranger = hand_person(&v, "José", ("Pérez", "García"), 1990, Day, 2);
    assert!(!singles_out(&v, &[target], &[stranger], full.clone()));
    let full_1980 = write(vec![jose.clone()], Some(garcia), Some(1980), None);
    assert!(singles_out(&v, &[target], &[stranger], full_1980));

    // A shortened compound fits the full one, not the other way round.
    let jose_luis = hand_person(&v, "José Luis", ("Pérez", "García"), 1960, Day, 2);
    assert!(!singles_out(&v, &[target, jose_luis], &[], full.clone()));
    let luis = Part::Word(v.word("luis").unwrap());
    let jose_luis_row = write(vec![jose.clone(), luis], Some(garcia), None, None);
    assert!(singles_out(&v, &[jose_luis, target], &[], jose_luis_row));

    // An initial fits a brother of the same initial; a familiar form only
    // the names it stands for.
    let juan = hand_person(&v, "Juan", ("Pérez", "García"), 1984, Day, 2);
    let initial = write(vec![Part::Initial('j')], Some(garcia), None, None);
    assert!(!singles_out(&v, &[target, juan], &[], initial));
    let pepe = write(
        vec![Part::Familiar("pepe".into())],
        Some(garcia),
        None,
        None,
    );
    assert!(singles_out(&v, &[target, juan], &[], pepe.clone()));
    assert!(!singles_out(&v, &[target, jose_luis], &[], pepe));

    // Particles aside, "de la Cruz" is "Cruz".
    let cruz = hand_person(&v, "José", ("Cruz", "García"), 1980, Day, 2);
    let de_la_cruz = hand_person(&v, "José", ("de la Cruz", "García"), 1980, Day, 2);
    let row = Written {
        given: vec![jose],
        s1: cruz.s1,
        s2: Some(garcia),
        year: None,
        place: None,
    };
    assert!(!singles_out(&v, &[cruz, de_la_cruz], &[], row));
}

#[test]
fn singled_out_is_what_a_search_of_everyone_finds() {
    // The index must find exactly what comparing each row with everyone
    // finds, and every row must fit the person it names.
    let set = build(3000, 1500, 0.5, 31).unwrap();
    let v = &set.vocab;
    let everyone: Vec<singled::Known> = set
        .persons
        .iter()
        .map(singled::Known::registry)
        .chain(
            set.rows
                .iter()
                .filter(|r| r.person.is_none())
                .map(|r| singled::Known {
                    given: r.canon.given,
                    s1: r.canon.s1,
                    s2: r.canon.s2,
                    year: Some(r.canon.year),
                    place: r.canon.place,
                }),
        )
        .collect();
    let (mut yes, mut no) = (0, 0);
    for r in &set.rows {
        let Some(target) = r.person else {
            assert_eq!(r.singled_out, None);
            continue;
        };
        let target = target as usize;
        assert!(
            singled::compatible(v, &r.written, &everyone[target]),
            "{} does not fit its own person: {:?}",
            r.full_name,
            r.written
        );
        let others = everyone
            .iter()
            .enumerate()
            .any(|(i, k)| i != target && singled::compatible(v, &r.written, k));
        assert_eq!(r.singled_out, Some(!others), "{}", r.full_name);
        if others {
            no += 1;
        } else {
            yes += 1;
        }
    }
    assert!(no > 20 && yes > 10 * no, "{yes} singled out, {no} not");
}
