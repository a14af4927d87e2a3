//! `libres link`, `libres dedup`, `libres match` and `libres gen-name-testset`.

use crate::helpers::Env;

const HEADER: &str = "rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id\n";

/// FEBRL-style records (", " separated): originals in `a`, corrupted
/// copies of the same people in `b`, plus people only in `b`.
fn febrl_like() -> (String, String) {
    let people = [
        (
            "michaela",
            "neumann",
            "8",
            "stanley street",
            "miami",
            "winston hills",
            "4223",
            "nsw",
            "19151111",
            "5304218",
        ),
        (
            "courtney",
            "painter",
            "12",
            "pinkerton circuit",
            "bega flats",
            "richlands",
            "4560",
            "vic",
            "19161214",
            "4066625",
        ),
        (
            "charles",
            "green",
            "38",
            "salkauskas crescent",
            "kela",
            "dapto",
            "4566",
            "nsw",
            "19480930",
            "4365168",
        ),
        (
            "vanessa",
            "parr",
            "905",
            "macquoid place",
            "broadbridge manor",
            "south grafton",
            "2135",
            "sa",
            "19951119",
            "9239102",
        ),
        (
            "mikayla",
            "malloney",
            "37",
            "randwick road",
            "avalind",
            "hoppers crossing",
            "4552",
            "vic",
            "19860208",
            "7207688",
        ),
        (
            "blake",
            "howie",
            "1",
            "cutlack street",
            "belmont park",
            "budgewoi",
            "2262",
            "vic",
            "19250301",
            "5180548",
        ),
        (
            "lachlan",
            "dooley",
            "4",
            "adamson street",
            "",
            "alstonville",
            "2350",
            "qld",
            "19860311",
            "8023413",
        ),
        (
            "isabella",
            "white",
            "15",
            "nyrang place",
            "jarrah",
            "ballina",
            "4812",
            "nsw",
            "19301006",
            "1599271",
        ),
        (
            "jackson",
            "baker",
            "9",
            "kinross street",
            "kilmeny",
            "forster",
            "2444",
            "wa",
            "19700522",
            "3312786",
        ),
        (
            "ruby",
            "thompson",
            "61",
            "mcinnes street",
            "rosedale",
            "orange",
            "2800",
            "nsw",
            "19820917",
            "6641950",
        ),
        (
            "thomas",
            "white",
            "7",
            "hely street",
            "",
            "ballina",
            "4812",
            "nsw",
            "19320610",
            "1599830",
        ),
        (
            "emily",
            "ryan",
            "2",
            "badimara street",
            "",
            "moss vale",
            "2577",
            "qld",
            "19690101",
            "4427193",
        ),
    ];
    let mut a = String::from(HEADER);
    let mut b = String::from(HEADER);
    for (i, p) in people.iter().enumerate() {
        let row = |id: String, g: &str, s: &str, dob: &str, ssn: &str| {
            format!(
                "{id}, {g}, {s}, {}, {}, {}, {}, {}, {}, {dob}, {ssn}\n",
                p.2, p.3, p.4, p.5, p.6, p.7
            )
        };
        a.push_str(&row(format!("rec-{i}-org"), p.0, p.1, p.8, p.9));
        // The copy: a typo in the given name or the surname, a digit of
        // the social security number keyed wrong in some.
        let g = if i % 3 == 0 {
            p.0.replacen('a', "e", 1)
        } else {
            p.0.to_owned()
        };
        let s = if i % 3 == 1 {
            format!("{}e", p.1)
        } else {
            p.1.to_owned()
        };
        let ssn = if i % 4 == 2 {
            format!("{}9", &p.9[..6])
        } else {
            p.9.to_owned()
        };
        b.push_str(&row(format!("rec-{i}-dup-0"), &g, &s, p.8, &ssn));
    }
    b.push_str("rec-900-org, oliver, kowalski, 3, fitzroy street, , lismore, 2480, nsw, 19551212, 9090901\n");
    (a, b)
}

fn pairs(csv: &str) -> Vec<(String, String)> {
    csv.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_owned(), f[1].to_owned())
        })
        .collect()
}

#[test]
fn link_finds_each_original_and_its_corrupted_copy_and_nothing_else() {
    let env = Env::new();
    let (a, b) = febrl_like();
    env.write("a.csv", a);
    env.write("b.csv", b);
    let config = format!("{}/../../examples/febrl4.toml", env!("CARGO_MANIFEST_DIR"));
    let run = env
        .run(&[
            "link",
            "a.csv",
            "b.csv",
            "--config",
            &config,
            "--out",
            "links.csv",
        ])
        .ok();
    let out = std::fs::read_to_string(env.path("links.csv")).unwrap();
    assert!(out.starts_with("left_id,right_id,score\n"), "{out}");
    let mut got = pairs(&out);
    got.sort();
    let mut want: Vec<(String, String)> = (0..12)
        .map(|i| (format!("rec-{i}-org"), format!("rec-{i}-dup-0")))
        .collect();
    want.sort();
    assert_eq!(got, want, "{out}\n{}", run.stderr);
    for line in out.lines().skip(1) {
        let score: f64 = line.rsplit(',').next().unwrap().parse().unwrap();
        assert!((0.5..=1.0).contains(&score), "{line}");
    }
}

#[test]
fn the_same_input_gives_the_same_output() {
    let env = Env::new();
    let (a, b) = febrl_like();
    env.write("a.csv", a);
    env.write("b.csv", b);
    let config = format!("{}/../../examples/febrl4.toml", env!("CARGO_MANIFEST_DIR"));
    env.run(&[
        "link", "a.csv", "b.csv", "--config", &config, "--out", "1.csv",
    ])
    .ok();
    env.run(&[
        "link", "a.csv", "b.csv", "--config", &config, "--out", "2.csv",
    ])
    .ok();
    assert_eq!(
        std::fs::read(env.path("1.csv")).unwrap(),
        std::fs::read(env.path("2.csv")).unwrap()
    );
}

#[test]
fn dedup_finds_the_copies_within_one_file() {
    let env = Env::new();
    let (a, b) = febrl_like();
    let mut both = a;
    both.push_str(b.split_once('\n').unwrap().1);
    env.write("all.csv", both);
    let config = format!("{}/../../examples/febrl3.toml", env!("CARGO_MANIFEST_DIR"));
    let run = env
        .run(&[
            "dedup",
            "all.csv",
            "--config",
            &config,
            "--out",
            "pairs.csv",
        ])
        .ok();
    let out = std::fs::read_to_string(env.path("pairs.csv")).unwrap();
    assert!(out.starts_with("id1,id2,score\n"), "{out}");
    let mut got: Vec<(String, String)> = pairs(&out)
        .into_iter()
        .map(|(x, y)| if x < y { (x, y) } else { (y, x) })
        .collect();
    got.sort();
    let mut want: Vec<(String, String)> = (0..12)
        .map(|i| (format!("rec-{i}-dup-0"), format!("rec-{i}-org")))
        .collect();
    want.sort();
    assert_eq!(got, want, "{out}\n{}", run.stderr);
}

#[test]
fn a_settings_field_that_is_not_a_column_is_named_in_the_error() {
    let env = Env::new();
    let (a, b) = febrl_like();
    env.write("a.csv", a);
    env.write("b.csv", b);
    env.write(
        "bad.toml",
        "id = \"rec_id\"\nblocking = [[\"surname\"]]\n[[fields]]\nname = \"surname\"\ncompare = \"exact\"\n[[fields]]\nname = \"nickname\"\ncompare = \"exact\"\n",
    );
    let run = env
        .run(&[
            "link", "a.csv", "b.csv", "--config", "bad.toml", "--out", "l.csv",
        ])
        .fails();
    assert!(
        run.stderr.contains("no column `nickname`"),
        "{}",
        run.stderr
    );
    assert!(!env.path("l.csv").exists());
}

#[test]
fn unknown_settings_and_comparisons_are_refused() {
    let env = Env::new();
    let (a, b) = febrl_like();
    env.write("a.csv", a);
    env.write("b.csv", b);
    for (name, text, expect) in [
        ("key.toml", "id = \"rec_id\"\nthreshhold = 0.9\nblocking = [[\"surname\"]]\n[[fields]]\nname = \"surname\"\ncompare = \"exact\"\n", "threshhold"),
        ("cmp.toml", "id = \"rec_id\"\nblocking = [[\"surname\"]]\n[[fields]]\nname = \"surname\"\ncompare = \"soundex\"\n", "soundex"),
        ("block.toml", "id = \"rec_id\"\nblocking = [[\"postcode\"]]\n[[fields]]\nname = \"surname\"\ncompare = \"exact\"\n", "postcode"),
        ("thr.toml", "id = \"rec_id\"\nthreshold = 1.5\nblocking = [[\"surname\"]]\n[[fields]]\nname = \"surname\"\ncompare = \"exact\"\n", "threshold"),
    ] {
        env.write(name, text);
        let run = env
            .run(&["link", "a.csv", "b.csv", "--config", name, "--out", "l.csv"])
            .fails();
        assert!(run.stderr.contains(expect), "{name}: {}", run.stderr);
    }
}

#[test]
fn a_short_row_is_reported_with_its_line() {
    let env = Env::new();
    let (a, _) = febrl_like();
    let mut b = String::from(HEADER);
    b.push_str("rec-1-dup-0, courtney, painter, 12\n");
    env.write("a.csv", a);
    env.write("b.csv", b);
    let config = format!("{}/../../examples/febrl4.toml", env!("CARGO_MANIFEST_DIR"));
    let run = env
        .run(&[
            "link", "a.csv", "b.csv", "--config", &config, "--out", "l.csv",
        ])
        .fails();
    assert!(run.stderr.contains("line 2"), "{}", run.stderr);
}

const REGISTRY: &str = "\
id,given_names,surname1,surname2,birth_date,sex,country,province,publish
P01,José Luis,Pérez,García,1980-03-12,M,CU,La Habana,yes
P02,María de los Ángeles,Rodríguez,García,1975,F,CU,Camagüey,yes
P03,Yoandri,Hernández,Núñez,1990-05-01,M,CU,Santiago de Cuba,yes
P04,Francisco,López,Martínez,1965,M,CU,Matanzas,no
P05,Juan,de la Cruz,Fernández,1970,M,CU,Holguín,yes
P06,Pedro,Pérez,García,1983,M,CU,La Habana,yes
P07,José Luis,Pérez,Díaz,1979,M,CU,Pinar del Río,yes
P08,Manuel,Gómez,Ruiz,1950,M,CU,Villa Clara,yes
P09,Manuel,Gómez,Ruiz,1978,M,CU,Villa Clara,yes
P10,Keilylli,Castro,Valdés,1995,F,CU,Cienfuegos,yes
P11,Yusleidy,Martínez,Sosa,1992,F,CU,La Habana,yes
P12,Dayron,Fonseca,Ávila,1988,M,CU,Granma,yes
P13,Ernesto,Borges,Quintana,1984,M,CU,Artemisa,yes
P14,Rosa María,Suárez,Llanes,1969,F,CU,Matanzas,yes
P15,Osmel,Batista,Leyva,1987,M,CU,Las Tunas,yes
P16,Carlos,Sánchez,Mora,1990,M,VE,Zulia,yes
P17,Ana Gabriela,Torres,Blanco,1993,F,VE,Caracas,yes
P18,Félix,Maradiaga,Blandón,1977,M,NI,Managua,yes
P19,Tamara,Dávila,Rivas,1981,F,NI,Managua,yes
P20,Lázaro,Yuri,Valle,1976,M,CU,La Habana,yes
";

/// `libres match --list list.csv --registry REGISTRY --out m.csv EXTRA…`.
fn run_match_with(env: &Env, registry: &str, extra: &[&str]) -> crate::helpers::Run {
    let mut args = vec![
        "match",
        "--list",
        "list.csv",
        "--registry",
        registry,
        "--out",
        "m.csv",
    ];
    args.extend_from_slice(extra);
    env.run(&args)
}

fn run_match(env: &Env, list: &str) -> Vec<(String, String, String)> {
    env.write("registry.csv", REGISTRY);
    env.write("list.csv", list);
    run_match_with(env, "registry.csv", &[]).ok();
    let out = std::fs::read_to_string(env.path("m.csv")).unwrap();
    assert!(
        out.starts_with("row_id,person_id,score,decision,reason\n"),
        "{out}"
    );
    out.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_owned(), f[1].to_owned(), f[3].to_owned())
        })
        .collect()
}

fn decision<'a>(rows: &'a [(String, String, String)], id: &str) -> (&'a str, &'a str) {
    let r = rows.iter().find(|r| r.0 == id).unwrap();
    (r.1.as_str(), r.2.as_str())
}

#[test]
fn announced_names_as_official_lists_write_them_match_the_registry() {
    let env = Env::new();
    let rows = run_match(
        &env,
        "row_id,full_name,birth_year,province\n\
         L1,\"PEREZ GARCIA, JOSE LUIS\",1980,HABANA\n\
         L2,Maria Angeles Rodriguez Garcia,,\n\
         L3,YOANDRY HERNANDEZ NUNEZ,,\n\
         L4,Paco López Martínez,1965,\n\
         L5,Juan Cruz Fernandez,,Holguin\n\
         L6,KEILYLLI CASTRO,1995,\n\
         L7,Ma. de los A. Rodríguez García,1975,CAMAGUEY\n",
    );
    assert_eq!(rows.len(), 7);
    for (row, person) in [
        ("L1", "P01"),
        ("L2", "P02"),
        ("L3", "P03"),
        ("L4", "P04"),
        ("L5", "P05"),
        ("L6", "P10"),
        ("L7", "P02"),
    ] {
        assert_eq!(decision(&rows, row).0, person, "{row}: {rows:?}");
    }
    for row in ["L1", "L3", "L4", "L5", "L6", "L7"] {
        assert_eq!(decision(&rows, row).1, "match", "{row}: {rows:?}");
    }
    // L2 and L7 name the same person: the weaker (no birth year, no
    // province) goes to a person for review.
    assert_eq!(decision(&rows, "L2").1, "review", "{rows:?}");
}

#[test]
fn a_row_that_says_less_than_the_registry_needs_corroboration_and_says_why() {
    let env = Env::new();
    env.write("registry.csv", REGISTRY);
    env.write(
        "list.csv",
        "row_id,full_name,birth_year,province\n\
         K1,KEILYLLI CASTRO,,\n\
         K2,KEILYLLI CASTRO,1995,\n\
         K3,KEILYLLI CASTRO VALDES,1995,LA HABANA\n",
    );
    run_match_with(&env, "registry.csv", &[]).ok();
    let out = std::fs::read_to_string(env.path("m.csv")).unwrap();
    let fields = |id: &str| -> Vec<String> {
        out.lines()
            .find(|l| l.starts_with(&format!("{id},")))
            .unwrap()
            .split(',')
            .map(str::to_owned)
            .collect()
    };
    // One surname, nothing else: many Keilylli Castro in the country.
    assert_eq!(
        fields("K1")[3..],
        ["review", "partial_name_uncorroborated"],
        "{out}"
    );
    // With her birth year, she is singled out.
    assert_eq!(fields("K2")[3..], ["match", "one_clear_candidate"], "{out}");
    // The registry has her in Cienfuegos.
    assert_eq!(
        fields("K3")[3..],
        ["review", "province_contradicts"],
        "{out}"
    );
    assert_eq!(fields("K3")[1], "P10", "{out}");
    // --explain says it in words, with the code.
    let run = run_match_with(&env, "registry.csv", &["--explain", "K1"]).ok();
    assert!(
        run.stdout.contains("[partial_name_uncorroborated]"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("people in the country share"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_share_on_the_registry_is_estimated_or_given() {
    let env = Env::new();
    env.write("registry.csv", REGISTRY);
    env.write(
        "list.csv",
        "row_id,full_name,birth_year\nL1,Maria Angeles Rodriguez Garcia,1975\n",
    );
    let run = run_match_with(&env, "registry.csv", &[]).ok();
    assert!(
        run.stderr.contains("on the registry (estimated)"),
        "{}",
        run.stderr
    );
    let run = run_match_with(&env, "registry.csv", &["--on-registry-share", "0.36"]).ok();
    assert!(
        run.stderr
            .contains("36% of the list on the registry (as given)"),
        "{}",
        run.stderr
    );
    let bad = run_match_with(&env, "registry.csv", &["--on-registry-share", "1"]).fails();
    assert!(bad.stderr.contains("not a probability"), "{}", bad.stderr);
}

#[test]
fn siblings_namesakes_and_fathers_are_never_matched() {
    let env = Env::new();
    let rows = run_match(
        &env,
        "row_id,full_name,birth_year,province\n\
         S1,Ramón Pérez García,1985,La Habana\n\
         N1,José Luis Pérez Sánchez,,\n\
         F1,Manuel Gómez Ruiz,2001,\n\
         A1,José Luis Pérez,,\n\
         A2,Manuel Gómez Ruiz,,\n\
         M1,Manuel Gómez Ruiz,1950,Villa Clara\n",
    );
    for row in ["S1", "N1", "F1", "A1", "A2"] {
        assert_ne!(decision(&rows, row).1, "match", "{row}: {rows:?}");
    }
    // Two persons fit equally well: a person must decide.
    assert_eq!(decision(&rows, "A1").1, "review", "{rows:?}");
    assert_eq!(decision(&rows, "A2").1, "review", "{rows:?}");
    // The birth year tells father from son.
    assert_eq!(decision(&rows, "M1"), ("P08", "match"), "{rows:?}");
}

#[test]
fn names_that_cannot_be_compared_get_none() {
    let env = Env::new();
    let long = "a".repeat(10_000);
    let rows = run_match(
        &env,
        &format!(
            "row_id,full_name\nE1,\nE2,王小明\nE3,{long}\nE4,Pérez\nE5,Zacarías Ulloa Iturbide\n"
        ),
    );
    assert_eq!(rows.len(), 5);
    for row in ["E1", "E2", "E3", "E5"] {
        assert_eq!(decision(&rows, row), ("", "none"), "{row}: {rows:?}");
    }
    assert_ne!(decision(&rows, "E4").1, "match", "{rows:?}");
}

#[test]
fn match_reads_the_registry_from_the_database() {
    let env = Env::new();
    env.write("registry.csv", REGISTRY);
    env.import("r.db", &env.path("registry.csv")).ok();
    let db = env.db("r.db");
    env.write(
        "list.csv",
        "row_id,full_name\nL1,\"RODRIGUEZ GARCIA, MARIA DE LOS ANGELES\"\n",
    );
    env.run(&["match", "--list", "list.csv", "--db", &db, "--out", "m.csv"])
        .ok();
    let out = std::fs::read_to_string(env.path("m.csv")).unwrap();
    assert_eq!(
        out.lines().nth(1).map(|l| l.starts_with("L1,P02,")),
        Some(true),
        "{out}"
    );
    assert!(
        out.trim_end().ends_with(",match,one_clear_candidate"),
        "{out}"
    );
}

#[test]
fn explain_says_which_fields_agreed() {
    let env = Env::new();
    env.write("registry.csv", REGISTRY);
    env.write("list.csv", "row_id,full_name\nS1,Ramón Pérez García\n");
    let run = run_match_with(&env, "registry.csv", &["--explain", "S1"]).ok();
    assert!(run.stdout.contains("row S1"), "{}", run.stdout);
    assert!(run.stdout.contains("given names"), "{}", run.stdout);
    assert!(run.stdout.contains("a sibling?"), "{}", run.stdout);
    let run = run_match_with(&env, "registry.csv", &["--explain", "nope"]).fails();
    assert!(run.stderr.contains("no such row_id"), "{}", run.stderr);
}

#[test]
fn bad_lists_are_refused_with_the_line() {
    let env = Env::new();
    env.write("registry.csv", REGISTRY);
    for (list, expect) in [
        ("row_id,name\nL1,José\n", "unknown column `name`"),
        ("row_id,birth_year\nL1,1980\n", "`full_name` is missing"),
        (
            "row_id,full_name,birth_year\nL1,José Pérez,1980\nL2,Ana Torres,eighty\n",
            "line 3",
        ),
        (
            "row_id,full_name\nL1,José Pérez\nL1,Ana Torres\n",
            "appears twice",
        ),
        (
            "row_id,full_name\nL1,José Pérez\n=1+2,Ana Torres\n",
            "line 3: row_id `=1+2`",
        ),
    ] {
        env.write("list.csv", list);
        let run = run_match_with(&env, "registry.csv", &[]).fails();
        assert!(run.stderr.contains(expect), "{list}: {}", run.stderr);
        assert!(!env.path("m.csv").exists());
    }
}

/// Made-up persons the review of the matcher showed at risk of a wrong
/// `match`: each list row names someone who is not on the registry.
#[test]
fn near_misses_that_could_be_relatives_are_never_matched() {
    let env = Env::new();
    let mut registry = String::from(REGISTRY);
    registry.push_str(
        "P21,Carmen,de la Cruz,,2006-04-21,F,NI,Estelí,yes\n\
         P22,J,Sarduy,Villalobos,1980,M,CU,La Habana,yes\n\
         P23,Luis,Fernández,Rivero,1970,M,CU,Matanzas,yes\n\
         P24,Alejandro,Quintana,Ledesma,1990,M,CU,Holguín,yes\n\
         P25,Yunieski,Betancourt,,1985,M,CU,Granma,yes\n",
    );
    env.write("registry.csv", registry);
    env.write(
        "list.csv",
        "row_id,full_name,birth_year,province\n\
         R1,Carmen Cruz García,,\n\
         R2,JORGE SARDUY VILLALOBOS,,\n\
         R3,LUIS HERNANDEZ RIVERO,1970,\n\
         R4,ALE QUINTANA LEDESMA,,\n\
         R5,YUNIESKI BETANCOURT FONSECA,,\n",
    );
    run_match_with(&env, "registry.csv", &[]).ok();
    let out = std::fs::read_to_string(env.path("m.csv")).unwrap();
    assert_eq!(out.lines().count(), 6, "{out}");
    for line in out.lines().skip(1) {
        assert_ne!(line.split(',').nth(3), Some("match"), "{out}");
    }
}

#[test]
fn a_stricter_match_probability_sends_more_rows_to_review() {
    let env = Env::new();
    env.write("registry.csv", REGISTRY);
    env.write(
        "list.csv",
        "row_id,full_name\nL1,Maria Angeles Rodriguez Garcia\nL2,JOSE LUIS PEREZ GARCIA\n",
    );
    let run = |p: &str| {
        run_match_with(&env, "registry.csv", &["--match-probability", p]).ok();
        std::fs::read_to_string(env.path("m.csv")).unwrap()
    };
    let relaxed = run("0.5");
    let strict = run("0.999999999");
    let count = |out: &str, what: &str| {
        out.lines()
            .filter(|l| l.split(',').nth(3) == Some(what))
            .count()
    };
    assert!(count(&relaxed, "match") >= 1, "{relaxed}");
    assert!(
        count(&strict, "match") < count(&relaxed, "match"),
        "{relaxed}\n{strict}"
    );
    let bad = run_match_with(&env, "registry.csv", &["--match-probability", "1.5"]).fails();
    assert!(bad.stderr.contains("not a probability"), "{}", bad.stderr);
}

#[test]
fn registry_errors_name_the_right_line_whether_or_not_the_file_has_quotes() {
    let env = Env::new();
    env.write("list.csv", "row_id,full_name\nL1,José Pérez\n");
    let mut plain = String::from("id,given_names,surname1,surname2\n");
    for i in 1..=40 {
        plain.push_str(&format!("P{i},Ana,Torres,Blanco\n"));
    }
    // Line 38 (the header is line 1) repeats an id: it falls in the
    // second half of the file.
    let repeated = plain.replace("P37,", "P2,");
    let short = plain.replace("P33,Ana,Torres,Blanco", "P33,Ana");
    for (name, text, expect) in [
        (
            "repeated.csv",
            repeated.clone(),
            "line 38: the id `P2` appears twice",
        ),
        (
            "short.csv",
            short.clone(),
            "line 34: 2 fields, but the header has 4",
        ),
        (
            "quoted.csv",
            repeated.replace("P5,Ana", "P5,\"Ana\""),
            "line 38: the id `P2` appears twice",
        ),
        (
            "quoted_short.csv",
            short.replace("P5,Ana", "P5,\"Ana\""),
            "line 34",
        ),
    ] {
        env.write(name, text);
        let run = run_match_with(&env, name, &[]).fails();
        assert!(run.stderr.contains(expect), "{name}: {}", run.stderr);
    }
    env.write("plain.csv", plain);
    run_match_with(&env, "plain.csv", &[]).ok();
}

#[test]
fn gen_name_testset_writes_the_three_files_and_reports_what_it_planted() {
    let env = Env::new();
    let out = env.path("set");
    let run = env
        .run(&[
            "gen-name-testset",
            "--registry",
            "200",
            "--list",
            "40",
            "--seed",
            "3",
            "--out-dir",
            out.to_str().unwrap(),
        ])
        .ok();
    // The summary is for the person at the terminal: on stderr, one line,
    // with the sizes asked for; stdout stays free for a pipe.
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    let line = run.stderr.trim_end();
    assert!(!line.contains('\n'), "{line}");
    assert!(
        line.starts_with("gen-name-testset: registry 200 persons (planted: siblings "),
        "{line}"
    );
    // Half the rows name a registry person unless told otherwise.
    assert!(line.contains("list 40 rows: 20 in the registry"), "{line}");
    for (file, rows) in [("registry.csv", 200), ("list.csv", 40), ("truth.csv", 40)] {
        let text = std::fs::read_to_string(out.join(file)).unwrap();
        assert_eq!(text.lines().count(), rows + 1, "{file}");
    }
    let truth = std::fs::read_to_string(out.join("truth.csv")).unwrap();
    assert!(truth.starts_with("row_id,person_id,kind,singled_out\n"));
}

#[test]
fn gen_name_testset_takes_the_share_of_the_list_on_the_registry() {
    let env = Env::new();
    let out = env.path("set");
    let out_dir = out.to_str().unwrap();
    let run_with = |share: &str| {
        env.run(&[
            "gen-name-testset",
            "--registry",
            "200",
            "--list",
            "40",
            "--on-registry-share",
            share,
            "--out-dir",
            out_dir,
        ])
    };
    let run = run_with("0.75").ok();
    assert!(
        run.stderr.contains("list 40 rows: 30 in the registry"),
        "{}",
        run.stderr
    );
    for bad in ["0", "1.5", "half"] {
        let run = run_with(bad).fails();
        assert!(
            run.stderr.contains("--on-registry-share"),
            "{bad}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("more than 0 and at most 1"),
            "{bad}: {}",
            run.stderr
        );
    }
}

#[test]
fn match_says_how_many_match_rows_are_likely_someone_else_and_warns_on_bare_names() {
    let env = Env::new();
    let set = env.path("set");
    env.run(&[
        "gen-name-testset",
        "--registry",
        "3000",
        "--list",
        "800",
        "--seed",
        "3",
        "--out-dir",
        set.to_str().unwrap(),
    ])
    .ok();
    let list = std::fs::read_to_string(set.join("list.csv")).unwrap();
    env.write("list.csv", &list);
    let registry = set.join("registry.csv");
    let registry = registry.to_str().unwrap();
    let full = run_match_with(&env, registry, &[]).ok();
    assert!(
        full.stderr
            .contains("of them someone else, from their scores)"),
        "{}",
        full.stderr
    );
    assert!(!full.stderr.contains("warning:"), "{}", full.stderr);
    // The same list with only the names: a name alone cannot tell a
    // person from a namesake, and the scores say so.
    let mut bare = csv::Writer::from_writer(Vec::new());
    bare.write_record(["row_id", "full_name", "birth_year", "province"])
        .unwrap();
    for row in csv::Reader::from_reader(list.as_bytes()).records() {
        let row = row.unwrap();
        bare.write_record([&row[0], &row[1], "", ""]).unwrap();
    }
    env.write(
        "list.csv",
        String::from_utf8(bare.into_inner().unwrap()).unwrap(),
    );
    let run = run_match_with(&env, registry, &[]).ok();
    assert!(run.stderr.starts_with("800 rows: "), "{}", run.stderr);
    assert!(
        run.stderr.contains("warning: from their scores, about"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("give only a name"), "{}", run.stderr);
    assert!(
        run.stderr.contains("With --match-probability"),
        "{}",
        run.stderr
    );
}

#[test]
fn lists_and_person_files_saved_with_semicolons_or_tabs_are_read_as_with_commas() {
    let env = Env::new();
    env.write("registry.csv", REGISTRY);
    let list = "row_id,full_name,birth_year,province\n\
                L1,\"RODRIGUEZ GARCIA, MARIA DE LOS ANGELES\",1975,\n\
                L2,Yoandri Pupo Labrada,,Holguín\n";
    env.write("list.csv", list);
    run_match_with(&env, "registry.csv", &[]).ok();
    let commas = std::fs::read_to_string(env.path("m.csv")).unwrap();
    assert_eq!(commas.lines().count(), 3, "{commas}");
    // As a spreadsheet in Spanish saves it (the comma inside the quoted
    // name stays a comma), and as a copy from a spreadsheet.
    let semicolons = "row_id;full_name;birth_year;province\n\
                      L1;\"RODRIGUEZ GARCIA, MARIA DE LOS ANGELES\";1975;\n\
                      L2;Yoandri Pupo Labrada;;Holguín\n";
    for written in [semicolons.to_owned(), semicolons.replace(';', "\t")] {
        env.write("list.csv", &written);
        run_match_with(&env, "registry.csv", &[]).ok();
        let out = std::fs::read_to_string(env.path("m.csv")).unwrap();
        assert_eq!(out, commas, "{written}");
    }
    // A person CSV saved the same way.
    env.write(
        "semicolons.csv",
        "id;given_names;surname1;surname2;birth_date;province\n\
         P1;Yoandri;Pupo;Labrada;1990;Holguín\n\
         P2;Keilylli;Oquendo;Tamargo;;\n",
    );
    env.write(
        "list.csv",
        "row_id,full_name\nL1,KEILYLLI OQUENDO TAMARGO\n",
    );
    run_match_with(&env, "semicolons.csv", &[]).ok();
    let out = std::fs::read_to_string(env.path("m.csv")).unwrap();
    assert!(out.lines().any(|l| l.starts_with("L1,P2,")), "{out}");
}
