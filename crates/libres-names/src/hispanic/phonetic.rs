//! A phonetic key for Spanish words, for blocking and "sounds alike"
//! comparisons.

use super::normalize::fold;

/// Spanish phonetic key of one folded word.
///
/// Spellings that sound alike in Latin American Spanish get the same key:
///
/// | spelling | key | example |
/// |---|---|---|
/// | `b`, `v`, `w` | `b` | "Vázquez" = "Basques" |
/// | `s`, `z`, `c` before `e`/`i` | `s` | "Hernández" = "Ernandes", "Cynthia" = "Sintia" |
/// | `x` at the start or before a consonant | `s` | "Xiomara", "Extremera" |
/// | `x` elsewhere (between vowels, at the end) | `ks` | "Félix" |
/// | `k`, `qu` before `e`/`i`, `c` elsewhere | `k` | "Maikel" = "Maiquel" |
/// | `g` before `e`/`i`, `j` | `j` | "Giménez" = "Jiménez" |
/// | `gu` before `e`/`i` | `gu` | "Guerra" |
/// | `ll`, `y` before a vowel | `y` | "Llanes" = "Yanes" |
/// | `y` not before a vowel | `i` | "Yoandry" = "Yoandri", "Maykel" = "Maikel" |
/// | `ch` | `ch` | "Chávez" |
/// | `ph` | `f` | "Raphael" = "Rafael" |
/// | `h` anywhere else | (silent) | "Hernández" |
///
/// A `y` that sounds as `i` also softens `c` and `g`. `h` is dropped
/// before anything else is read, so it never hides what follows ("ghe"
/// sounds as "ge").
///
/// Then a sound repeated at once is written once (`rr`, `ss`, `nn`, `cc`
/// before `e`/`i` gives `ks`, "Ascencio" = "Asencio"). Vowels are kept:
/// they are stable in Spanish and tell "Pérez" from "Paz" and "García"
/// from "Garza".
///
/// The first letter keeps its identity only up to its sound class: a
/// key starts with the first sound, so "Hernández" and "Ernández" agree,
/// and "Vázquez" starts with `b` like "Báez".
/// `ll` at the end of a word (Catalan "Rosell") is `l`.
///
/// The key is lower-case ASCII, and applying `phonetic` to a key gives
/// the key again. Input should be one folded word; anything else is
/// folded first and non-letters are ignored. A word whose letters are all
/// silent ("h") keeps its first letter, so the key of a word with letters
/// is never empty.
pub fn phonetic(word: &str) -> String {
    let raw: Vec<u8> = if word.is_ascii() {
        word.bytes()
            .filter(u8::is_ascii_alphabetic)
            .map(|b| b.to_ascii_lowercase())
            .collect()
    } else {
        fold(word).bytes().filter(u8::is_ascii_alphabetic).collect()
    };
    // Silent h goes first, so that it cannot hide what follows a letter
    // ("ghe" sounds as "ge"). It is kept only in "ch" and "ph".
    let mut letters = Vec::with_capacity(raw.len());
    let mut prev = 0u8;
    for &b in &raw {
        if b != b'h' || prev == b'c' || prev == b'p' {
            letters.push(b);
        }
        prev = b;
    }
    let mut key = Key::with_capacity(letters.len() + 2);
    let at = |j: usize| letters.get(j).copied();
    let mut i = 0;
    while let Some(c) = at(i) {
        let next = at(i + 1);
        // Letters consumed by this step.
        let mut step = 1;
        match c {
            b'a' => key.push("a"),
            b'e' => key.push("e"),
            b'i' => key.push("i"),
            b'o' => key.push("o"),
            b'u' => key.push("u"),
            b'b' | b'v' | b'w' => key.push("b"),
            b'c' if next == Some(b'h') => {
                key.push("ch");
                step = 2;
            }
            b'c' => key.push(if front_vowel(next, at(i + 2)) {
                "s"
            } else {
                "k"
            }),
            b'g' => match next {
                Some(b'u') if front_vowel(at(i + 2), at(i + 3)) => {
                    key.push("gu");
                    step = 2;
                }
                _ if front_vowel(next, at(i + 2)) => key.push("j"),
                _ => key.push("g"),
            },
            b'l' if next == Some(b'l') => {
                key.push(if vowel(at(i + 2)) { "y" } else { "l" });
                step = 2;
            }
            b'p' if next == Some(b'h') => {
                key.push("f");
                step = 2;
            }
            b'q' => {
                key.push("k");
                if next == Some(b'u') && front_vowel(at(i + 2), at(i + 3)) {
                    step = 2;
                }
            }
            b'x' => {
                if i == 0 || (next.is_some() && !vowel(next)) {
                    key.push("s");
                } else {
                    key.push("k");
                    key.push("s");
                }
            }
            b'y' => key.push(if vowel(next) { "y" } else { "i" }),
            b'z' => key.push("s"),
            b'd' => key.push("d"),
            b'f' => key.push("f"),
            b'j' => key.push("j"),
            b'k' => key.push("k"),
            b'l' => key.push("l"),
            b'm' => key.push("m"),
            b'n' => key.push("n"),
            b'p' => key.push("p"),
            b'r' => key.push("r"),
            b's' => key.push("s"),
            b't' => key.push("t"),
            _ => {}
        }
        i += step;
    }
    if key.out.is_empty() {
        if let Some(first) = raw.first() {
            key.out.push(char::from(*first));
        }
    }
    key.out
}

fn vowel(b: Option<u8>) -> bool {
    matches!(b, Some(b'a' | b'e' | b'i' | b'o' | b'u'))
}

/// `e`, `i`, or a `y` that sounds as `i` (not before a vowel): the
/// letters that soften `c` and `g` ("Cyntia" sounds "Sintia").
fn front_vowel(b: Option<u8>, after: Option<u8>) -> bool {
    match b {
        Some(b'e' | b'i') => true,
        Some(b'y') => !vowel(after),
        _ => false,
    }
}

/// The key being built, writing a sound repeated at once only once.
struct Key {
    out: String,
    last: &'static str,
}

impl Key {
    fn with_capacity(n: usize) -> Self {
        Self {
            out: String::with_capacity(n),
            last: "",
        }
    }

    fn push(&mut self, sound: &'static str) {
        if sound != self.last {
            self.out.push_str(sound);
            self.last = sound;
        }
    }
}
