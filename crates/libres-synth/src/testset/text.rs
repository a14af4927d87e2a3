//! Spelling changes that official lists make to names: accents dropped,
//! letters confused (b/v, s/z/c, ll/y, silent h, i/y, doubled letters),
//! plain typing slips, particles dropped or glued, provinces written
//! loosely.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// The letter without its accent (ñ kept unless `enye` is false).
fn plain(c: char, enye: bool) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'Á' | 'À' | 'Â' | 'Ä' => 'A',
        'É' | 'È' | 'Ê' | 'Ë' => 'E',
        'Í' | 'Ì' | 'Î' | 'Ï' => 'I',
        'Ó' | 'Ò' | 'Ô' | 'Ö' => 'O',
        'Ú' | 'Ù' | 'Û' | 'Ü' => 'U',
        'ñ' if !enye => 'n',
        'Ñ' if !enye => 'N',
        other => other,
    }
}

/// `s` with its accents dropped; `enye` keeps ñ as it is.
pub(super) fn drop_accents(s: &str, enye: bool) -> String {
    s.chars().map(|c| plain(c, enye)).collect()
}

/// `s` in lower case without accents (ñ too): the key words are compared by.
pub(super) fn fold_lower(s: &str) -> String {
    s.chars()
        .map(|c| plain(c, false))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A crude sound of `s`, to find spellings that a list could not tell
/// apart: accents and case dropped, `h` silent, b/v/w, s/z and soft c,
/// soft g and j, ll, y and i, c/k/q, and doubled letters all alike.
/// "Vásquez" and "Vázquez", "Yoandri" and "Yoandry", "Llanes" and "Yanes"
/// sound the same.
pub(super) fn sound_key(s: &str) -> String {
    let w: Vec<char> = fold_lower(s)
        .chars()
        .filter(|c| c.is_alphabetic())
        .collect();
    let mut out = String::with_capacity(w.len());
    let mut i = 0;
    while i < w.len() {
        let soft = matches!(w.get(i + 1), Some('e' | 'i' | 'y'));
        let c = match w[i] {
            'h' => None,
            'v' | 'w' | 'b' => Some('b'),
            'z' | 's' => Some('s'),
            'c' if soft => Some('s'),
            'c' | 'k' | 'q' => Some('k'),
            'g' if soft => Some('j'),
            'l' if w.get(i + 1) == Some(&'l') => {
                i += 1;
                Some('i')
            }
            'y' => Some('i'),
            other => Some(other),
        };
        if let Some(c) = c {
            if !out.ends_with(c) {
                out.push(c);
            }
        }
        i += 1;
    }
    out
}

/// `word` with its first letter in upper case and the rest unchanged.
pub(super) fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn lower_chars(word: &str) -> Vec<char> {
    word.chars().flat_map(char::to_lowercase).collect()
}

fn is_vowel(c: char) -> bool {
    matches!(
        plain(c, true),
        'a' | 'e' | 'i' | 'o' | 'u' | 'A' | 'E' | 'I' | 'O' | 'U'
    )
}

/// Back to a word: capitalised, as names are written before any change of
/// case.
fn finish(chars: &[char]) -> String {
    capitalize(&chars.iter().collect::<String>())
}

/// One confusion of letters a clerk or a transcriber makes, chosen at
/// random among those that fit `word`; `None` when none fits.
pub(super) fn misspell(rng: &mut ChaCha8Rng, word: &str) -> Option<String> {
    let w = lower_chars(word);
    let n = w.len();
    let at = |i: usize| w.get(i).copied().unwrap_or(' ');
    let front_vowel = |i: usize| matches!(plain(at(i), true), 'e' | 'i');
    // Each fix: replace `len` letters at `pos` with `with`.
    let mut fixes: Vec<(usize, usize, &'static str)> = Vec::new();
    for (i, &c) in w.iter().enumerate() {
        let next = at(i + 1);
        match c {
            'b' => fixes.push((i, 1, "v")),
            'v' => fixes.push((i, 1, "b")),
            'z' => fixes.push((i, 1, "s")),
            's' if front_vowel(i + 1) => fixes.push((i, 1, "c")),
            's' if i > 0 && next != 's' => fixes.push((i, 1, "z")),
            'c' if front_vowel(i + 1) => fixes.push((i, 1, "s")),
            'g' if front_vowel(i + 1) => fixes.push((i, 1, "j")),
            'j' if front_vowel(i + 1) => fixes.push((i, 1, "g")),
            'l' if next == 'l' => {
                fixes.push((i, 2, "y"));
                fixes.push((i, 2, "l"));
            }
            'y' if i > 0 && is_vowel(next) => fixes.push((i, 1, "ll")),
            'y' if i > 0 && !is_vowel(next) => fixes.push((i, 1, "i")),
            'i' if i > 0 && i + 1 == n => fixes.push((i, 1, "y")),
            'i' if i > 0 && is_vowel(at(i - 1)) && !is_vowel(next) => fixes.push((i, 1, "y")),
            'h' if i == 0 && is_vowel(next) => fixes.push((0, 1, "")),
            'h' if i == 1 && !is_vowel(at(0)) => fixes.push((1, 1, "")),
            'r' if next == 'r' => fixes.push((i, 2, "r")),
            'n' if next == 'n' => fixes.push((i, 2, "n")),
            's' if next == 's' => fixes.push((i, 2, "s")),
            't' if next == 't' => fixes.push((i, 2, "t")),
            'l' | 'n' | 's' | 'r'
                if i > 0 && is_vowel(at(i - 1)) && is_vowel(next) && at(i - 1) != c =>
            {
                let doubled: &'static str = match c {
                    'l' => "ll",
                    'n' => "nn",
                    's' => "ss",
                    _ => "rr",
                };
                fixes.push((i, 1, doubled));
            }
            _ => {}
        }
    }
    if n > 1 && is_vowel(w[0]) {
        fixes.push((0, 0, "h"));
    }
    if fixes.is_empty() {
        return None;
    }
    let (pos, len, with) = fixes[rng.gen_range(0..fixes.len())];
    let mut out: Vec<char> = w[..pos].to_vec();
    out.extend(with.chars());
    out.extend_from_slice(&w[(pos + len).min(n)..]);
    let out = finish(&out);
    (fold_lower(&out) != fold_lower(word)).then_some(out)
}

/// One slip of the keyboard: a letter inserted, deleted, replaced, or two
/// neighbours swapped (never the first letter); `None` for short words.
pub(super) fn typo(rng: &mut ChaCha8Rng, word: &str) -> Option<String> {
    const LETTERS: &[char] = &[
        'a', 'b', 'c', 'd', 'e', 'f', 'g', 'i', 'l', 'm', 'n', 'o', 'r', 's', 't', 'u', 'y',
    ];
    let mut w = lower_chars(word);
    let n = w.len();
    if n < 4 {
        return None;
    }
    let letter = LETTERS[rng.gen_range(0..LETTERS.len())];
    match rng.gen_range(0..4) {
        0 => w.insert(rng.gen_range(1..=n), letter),
        1 => {
            w.remove(rng.gen_range(1..n));
        }
        2 => {
            let i = rng.gen_range(1..n);
            w[i] = if w[i] == letter { 'x' } else { letter };
        }
        _ => {
            let i = rng.gen_range(1..n - 1);
            if w[i] == w[i + 1] {
                w.remove(i);
            } else {
                w.swap(i, i + 1);
            }
        }
    }
    let out = finish(&w);
    (fold_lower(&out) != fold_lower(word)).then_some(out)
}

/// How a list writes a surname with particles ("de la Cruz").
#[derive(Clone, Copy)]
pub(super) enum ParticleForm {
    /// "Cruz".
    Dropped,
    /// "Delacruz".
    Glued,
    /// "Cruz de la".
    Moved,
}

/// `surname` with its leading particles changed as `form` says, or `None`
/// when it has none.
pub(super) fn particle_form(surname: &str, form: ParticleForm) -> Option<String> {
    let words: Vec<&str> = surname.split(' ').collect();
    let lead = words
        .iter()
        .take_while(|w| super::vocab::is_particle(w))
        .count();
    if lead == 0 || lead == words.len() {
        return None;
    }
    let (particles, core) = words.split_at(lead);
    Some(match form {
        ParticleForm::Dropped => core.join(" "),
        ParticleForm::Glued => {
            let glued: String = words.iter().map(|w| w.to_lowercase()).collect();
            capitalize(&glued)
        }
        ParticleForm::Moved => format!("{} {}", core.join(" "), particles.join(" ")),
    })
}

/// Short or old forms of province names that lists use.
const PROVINCE_ALIASES: &[(&str, &str)] = &[
    ("La Habana", "Habana"),
    ("La Habana", "Ciudad de La Habana"),
    ("Santiago de Cuba", "Santiago"),
    ("Santiago de Cuba", "Stgo. de Cuba"),
    ("Pinar del Río", "Pinar"),
    ("Sancti Spíritus", "S. Spíritus"),
    ("Isla de la Juventud", "Isla"),
    ("Ciego de Ávila", "Ciego"),
    ("Villa Clara", "V. Clara"),
    ("Las Tunas", "Tunas"),
    ("Distrito Capital", "Caracas"),
    ("Distrito Capital", "Dtto. Capital"),
    ("Nueva Esparta", "Margarita"),
    ("Costa Caribe Norte", "RACCN"),
    ("Costa Caribe Sur", "RACCS"),
    ("Río San Juan", "Rio S. Juan"),
];

/// A province as a list may write it: as it is, without accents, in upper
/// case, or shortened.
pub(super) fn loose_province(rng: &mut ChaCha8Rng, province: &str) -> String {
    let aliases: Vec<&str> = PROVINCE_ALIASES
        .iter()
        .filter(|(p, _)| *p == province)
        .map(|(_, a)| *a)
        .collect();
    let base = if !aliases.is_empty() && rng.gen_bool(0.35) {
        aliases[rng.gen_range(0..aliases.len())]
    } else {
        province
    };
    match rng.gen_range(0..10) {
        0..=3 => base.to_owned(),
        4..=5 => drop_accents(base, true),
        6..=8 => drop_accents(base, true).to_uppercase(),
        _ => base.to_uppercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn accents_are_dropped_and_enye_kept_only_when_asked() {
        assert_eq!(drop_accents("Núñez Ángel", true), "Nuñez Angel");
        assert_eq!(drop_accents("Núñez Ángel", false), "Nunez Angel");
        assert_eq!(fold_lower("María ÁNGELES"), "maria angeles");
    }

    #[test]
    fn misspellings_and_typos_always_change_the_word() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for word in [
            "Hernández",
            "Yoandri",
            "Villalobos",
            "Gutiérrez",
            "Yusleidy",
            "Ana",
        ] {
            for _ in 0..50 {
                if let Some(w) = misspell(&mut rng, word) {
                    assert_ne!(fold_lower(&w), fold_lower(word));
                    assert!(w.chars().next().is_some_and(char::is_uppercase), "{w}");
                }
                if let Some(w) = typo(&mut rng, word) {
                    assert_ne!(fold_lower(&w), fold_lower(word));
                }
            }
        }
        assert!(typo(&mut rng, "Ana").is_none());
    }

    #[test]
    fn spellings_a_list_confuses_sound_alike_and_other_names_do_not() {
        for (a, b) in [
            ("Vásquez", "Vázquez"),
            ("Yoandri", "Yoandry"),
            ("Llanes", "Yanes"),
            ("Maykel", "Maikel"),
            ("Jacqueline", "Jaqueline"),
            ("Eliécer", "Eliezer"),
            ("Hernández", "Ernandes"),
        ] {
            assert_eq!(sound_key(a), sound_key(b), "{a} {b}");
        }
        for (a, b) in [("Mora", "Moya"), ("Pérez", "Páez"), ("Yanelis", "Yenisey")] {
            assert_ne!(sound_key(a), sound_key(b), "{a} {b}");
        }
    }

    #[test]
    fn particles_are_dropped_glued_or_moved() {
        assert_eq!(
            particle_form("de la Cruz", ParticleForm::Dropped).as_deref(),
            Some("Cruz")
        );
        assert_eq!(
            particle_form("de la Cruz", ParticleForm::Glued).as_deref(),
            Some("Delacruz")
        );
        assert_eq!(
            particle_form("del Valle", ParticleForm::Moved).as_deref(),
            Some("Valle del")
        );
        assert!(particle_form("Pérez", ParticleForm::Dropped).is_none());
    }
}
