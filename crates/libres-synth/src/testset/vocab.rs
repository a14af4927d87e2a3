//! The name parts the test set draws from, interned as small numbers so a
//! registry of a million persons stays compact and cheap to index.
//!
//! Names are combined at random from common given names and surnames: no
//! real person is intended.

use super::lexicon;
use super::text::{fold_lower, sound_key};
use crate::demo::names;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::{HashMap, HashSet};

/// "No entry" in a `u16` slot (no second given name, no second surname).
pub(super) const NONE: u16 = u16::MAX;

/// Words that join the parts of a name and do not identify anyone.
pub(super) const PARTICLES: &[&str] = &["de", "del", "la", "las", "los", "y"];

/// Whether `word` is a particle, in any case.
pub(super) fn is_particle(word: &str) -> bool {
    PARTICLES.iter().any(|p| p.eq_ignore_ascii_case(word))
}

/// Sex as the person CSV writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Sex {
    M,
    F,
    X,
}

impl Sex {
    /// The CSV code.
    pub(super) fn code(self) -> &'static str {
        match self {
            Sex::M => "M",
            Sex::F => "F",
            Sex::X => "X",
        }
    }
}

/// One given-name entry: a single name ("José") or a compound that cannot
/// be written as two single entries ("María de los Ángeles", "Luz Marina").
pub(super) struct Given {
    /// The name as written.
    pub text: &'static str,
    /// Its identifying words (particles left out), folded and interned.
    pub tokens: Vec<u16>,
}

/// The pools a person's given names come from, for one sex.
#[derive(Default)]
struct Pools {
    common: Vec<u16>,
    cuban: Vec<u16>,
    mainland: Vec<u16>,
    compound: Vec<[u16; 2]>,
}

/// Every name part, interned.
pub(super) struct Vocab {
    /// Given-name entries; a person holds one or two indices into this.
    pub given: Vec<Given>,
    male: Pools,
    female: Pools,
    /// Surnames; the common ones first.
    pub surnames: Vec<&'static str>,
    cumulative: Vec<u32>,
    /// How many surnames count as "common" (the weighted head of the list).
    common_surnames: usize,
    /// Familiar forms by formal name.
    hypocorisms: HashMap<&'static str, Vec<&'static str>>,
    /// Given-name words, folded, to their token.
    words: HashMap<String, u16>,
    /// The first letter of each token's folded word.
    initials: Vec<char>,
    /// A folded familiar form to the tokens of the formal names it stands
    /// for ("beto": Alberto, Roberto).
    familiar: HashMap<String, Vec<u16>>,
    /// For each surname, its core: folded, leading particles left out, so
    /// "de la Cruz" and "Cruz" share one.
    cores: Vec<u16>,
}

/// A surname's weight by its rank, the commonest at rank 0: Zipf-like, so
/// García and Rodríguez hold about 4% and 3% of people, the first ten
/// about a fifth, and the last of some 1,500 about one in ten thousand.
fn rank_weight(rank: usize) -> u32 {
    u32::try_from(1_000_000 / (rank + 4)).unwrap_or(1).max(1)
}

impl Vocab {
    /// Builds the vocabulary from the demo's name lists and the test set's
    /// wider ones ([`super::lexicon`]).
    pub(super) fn new() -> Self {
        let mut interner = Interner::default();
        let mut male = Pools::default();
        let mut female = Pools::default();
        for (pool, lists) in [
            (&mut male.common, [names::MALE, lexicon::MALE]),
            (&mut male.cuban, [names::MALE_CUBAN, lexicon::MALE_CUBAN]),
            (
                &mut male.mainland,
                [names::MALE_MAINLAND, lexicon::MALE_MAINLAND],
            ),
            (&mut female.common, [names::FEMALE, lexicon::FEMALE]),
            (
                &mut female.cuban,
                [names::FEMALE_CUBAN, lexicon::FEMALE_CUBAN],
            ),
            (
                &mut female.mainland,
                [names::FEMALE_MAINLAND, lexicon::FEMALE_MAINLAND],
            ),
        ] {
            for list in lists {
                interner.singles(list, pool);
            }
        }
        for (pool, lists) in [
            (
                &mut male.compound,
                [names::MALE_COMPOUND, lexicon::MALE_COMPOUND],
            ),
            (
                &mut female.compound,
                [names::FEMALE_COMPOUND, lexicon::FEMALE_COMPOUND],
            ),
        ] {
            for list in lists {
                interner.compounds(list, pool);
            }
        }
        let Interner { given, words, .. } = interner;
        let mut initials = vec![' '; words.len()];
        for (word, &token) in &words {
            initials[usize::from(token)] = word.chars().next().unwrap_or(' ');
        }

        // The demo's head by weight, then the wider lists in rough order
        // of frequency; spellings that sound alike are kept once.
        let mut head: Vec<(&'static str, u32)> = names::SURNAMES.to_vec();
        head.sort_by_key(|s| std::cmp::Reverse(s.1));
        let common_surnames = head.iter().take_while(|(_, w)| *w >= 10).count();
        let ranked = head
            .iter()
            .map(|(n, _)| *n)
            .chain(lexicon::SURNAMES_COMMON.iter().copied())
            .chain(names::SURNAMES_TAIL.iter().copied())
            .chain(
                [
                    lexicon::SURNAMES_SPANISH,
                    lexicon::SURNAMES_BASQUE,
                    lexicon::SURNAMES_CATALAN,
                    lexicon::SURNAMES_GALICIAN,
                    lexicon::SURNAMES_CANARIAN,
                    lexicon::SURNAMES_PARTICLE,
                    lexicon::SURNAMES_ITALIAN,
                    lexicon::SURNAMES_FRENCH,
                    lexicon::SURNAMES_LEBANESE,
                    lexicon::SURNAMES_CHINESE,
                    lexicon::SURNAMES_ENGLISH,
                    lexicon::SURNAMES_AFRICAN,
                ]
                .into_iter()
                .flatten()
                .copied(),
            );
        let mut surnames: Vec<&'static str> = Vec::new();
        let mut cumulative = Vec::new();
        let mut sounds = HashSet::new();
        let mut core_ids: HashMap<String, u16> = HashMap::new();
        let mut cores = Vec::new();
        let mut total = 0u32;
        for name in ranked {
            if !sounds.insert(sound_key(name)) {
                continue;
            }
            total += rank_weight(surnames.len());
            surnames.push(name);
            cumulative.push(total);
            let core: Vec<String> = name
                .split(' ')
                .skip_while(|w| is_particle(w))
                .map(fold_lower)
                .collect();
            let next = u16::try_from(core_ids.len()).unwrap_or(NONE - 1);
            cores.push(*core_ids.entry(core.join(" ")).or_insert(next));
        }

        let mut hypocorisms: HashMap<&'static str, Vec<&'static str>> = HashMap::new();
        let mut familiar: HashMap<String, Vec<u16>> = HashMap::new();
        for (formal, short) in names::HYPOCORISMS.iter().chain(names::HYPOCORISMS_EXTRA) {
            hypocorisms.entry(formal).or_default().push(short);
            if let Some(&token) = words.get(&fold_lower(formal)) {
                familiar.entry(fold_lower(short)).or_default().push(token);
            }
        }

        Vocab {
            given,
            male,
            female,
            surnames,
            cumulative,
            common_surnames,
            hypocorisms,
            words,
            initials,
            familiar,
            cores,
        }
    }

    fn pools(&self, rng: &mut ChaCha8Rng, sex: Sex) -> &Pools {
        match sex {
            Sex::M => &self.male,
            Sex::F => &self.female,
            Sex::X if rng.gen_bool(0.5) => &self.male,
            Sex::X => &self.female,
        }
    }

    /// Given names for a person of `sex` detained in country `country`
    /// (0 Cuba, 1 Venezuela, 2 Nicaragua): one name, two names, or a
    /// compound, the first names of each list more often than the last.
    pub(super) fn pick_given(&self, rng: &mut ChaCha8Rng, sex: Sex, country: u8) -> [u16; 2] {
        let pools = self.pools(rng, sex);
        let roll = rng.gen_range(0..100);
        if roll < 20 {
            return pools.compound[skewed(rng, pools.compound.len())];
        }
        let local = if country == 0 {
            (&pools.cuban, 45)
        } else {
            (&pools.mainland, 30)
        };
        let first = if rng.gen_range(0..100) < local.1 {
            local.0[skewed(rng, local.0.len())]
        } else {
            pools.common[skewed(rng, pools.common.len())]
        };
        if roll < 32 {
            let second = pools.common[skewed(rng, pools.common.len())];
            if second != first {
                return [first, second];
            }
        }
        [first, NONE]
    }

    /// Given names among the most frequent only (for planted duplicates).
    pub(super) fn pick_common_given(&self, rng: &mut ChaCha8Rng, sex: Sex) -> [u16; 2] {
        let pools = self.pools(rng, sex);
        let n = pools.common.len().min(10);
        [pools.common[skewed(rng, n)], NONE]
    }

    /// A surname, by weight (Zipf-like: García and Rodríguez lead).
    pub(super) fn pick_surname(&self, rng: &mut ChaCha8Rng) -> u16 {
        let total = self.cumulative.last().copied().unwrap_or(1);
        let x = rng.gen_range(0..total);
        let i = self.cumulative.partition_point(|&c| c <= x);
        u16::try_from(i.min(self.surnames.len() - 1)).unwrap_or(0)
    }

    /// One of the most common surnames.
    pub(super) fn pick_common_surname(&self, rng: &mut ChaCha8Rng) -> u16 {
        u16::try_from(skewed(rng, self.common_surnames.max(1))).unwrap_or(0)
    }

    /// The text of a person's given names.
    pub(super) fn given_text(&self, given: [u16; 2], out: &mut String) {
        out.clear();
        out.push_str(self.given[usize::from(given[0])].text);
        if given[1] != NONE {
            out.push(' ');
            out.push_str(self.given[usize::from(given[1])].text);
        }
    }

    /// The identifying words of a person's given names.
    pub(super) fn tokens(&self, given: [u16; 2]) -> impl Iterator<Item = u16> + '_ {
        given
            .into_iter()
            .filter(|&g| g != NONE)
            .flat_map(|g| self.given[usize::from(g)].tokens.iter().copied())
    }

    /// The text of a surname (empty for [`NONE`]).
    pub(super) fn surname(&self, s: u16) -> &'static str {
        if s == NONE {
            ""
        } else {
            self.surnames[usize::from(s)]
        }
    }

    /// The familiar forms of a formal given name (none for most).
    pub(super) fn hypocorisms(&self, word: &str) -> &[&'static str] {
        self.hypocorisms.get(word).map_or(&[], |v| v.as_slice())
    }

    /// The token of a folded given-name word, if it is one.
    pub(super) fn word(&self, folded: &str) -> Option<u16> {
        self.words.get(folded).copied()
    }

    /// The first letter of a token's folded word.
    pub(super) fn initial(&self, token: u16) -> char {
        self.initials
            .get(usize::from(token))
            .copied()
            .unwrap_or(' ')
    }

    /// The tokens of the formal names a folded familiar form stands for.
    pub(super) fn familiar(&self, folded: &str) -> &[u16] {
        self.familiar.get(folded).map_or(&[], |v| v.as_slice())
    }

    /// A surname's core ([`NONE`] for none): surnames that differ only in
    /// their leading particles share it.
    pub(super) fn core(&self, s: u16) -> u16 {
        if s == NONE {
            NONE
        } else {
            self.cores[usize::from(s)]
        }
    }
}

/// Interns given-name entries and their words while the vocabulary is built.
#[derive(Default)]
struct Interner {
    given: Vec<Given>,
    by_text: HashMap<&'static str, u16>,
    words: HashMap<String, u16>,
    /// The sound of each single name taken, to its text.
    sounds: HashMap<String, &'static str>,
}

impl Interner {
    fn entry(&mut self, text: &'static str) -> u16 {
        if let Some(&id) = self.by_text.get(text) {
            return id;
        }
        let mut tokens = Vec::new();
        for word in text.split(' ').filter(|w| !is_particle(w)) {
            let next = u16::try_from(self.words.len()).unwrap_or(NONE - 1);
            tokens.push(*self.words.entry(fold_lower(word)).or_insert(next));
        }
        let id = u16::try_from(self.given.len()).unwrap_or(NONE - 1);
        self.given.push(Given { text, tokens });
        self.by_text.insert(text, id);
        id
    }

    /// Adds single names to `pool`, each once, leaving out one that sounds
    /// like another name already taken ("Maikel" after "Maykel").
    fn singles(&mut self, list: &[&'static str], pool: &mut Vec<u16>) {
        for &text in list {
            let taken = *self.sounds.entry(sound_key(text)).or_insert(text);
            if taken != text {
                continue;
            }
            let id = self.entry(text);
            if !pool.contains(&id) {
                pool.push(id);
            }
        }
    }

    /// A compound made of two known single names is stored as the pair, so
    /// that "José Luis" has one representation however a person came by it.
    fn compounds(&mut self, list: &[&'static str], pool: &mut Vec<[u16; 2]>) {
        for &text in list {
            let words: Vec<&str> = text.split(' ').collect();
            let pair = match words[..] {
                [a, b] => match (self.by_text.get(a), self.by_text.get(b)) {
                    (Some(&x), Some(&y)) => [x, y],
                    _ => [self.entry(text), NONE],
                },
                _ => [self.entry(text), NONE],
            };
            if !pool.contains(&pair) {
                pool.push(pair);
            }
        }
    }
}

/// An index below `len`, small ones more likely (the lesser of two draws).
pub(super) fn skewed(rng: &mut ChaCha8Rng, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    rng.gen_range(0..len).min(rng.gen_range(0..len))
}
