//! Generic record linkage and deduplication of tabular records.
//!
//! 1. Every configured field is *interned*: equal texts get the same
//!    number, so exact agreement and term frequencies cost nothing later.
//! 2. *Blocking*: each rule is a list of keys (a field, as written, by
//!    its phonetic key or by a prefix); records sharing all keys of any
//!    rule become candidate pairs. Several rules, so that one typo or one
//!    missing field does not hide a true pair. A rule on one of two
//!    *swappable* fields (given name and surname) also pairs records that
//!    hold them the other way round.
//! 3. Each candidate pair gets a [`Pattern`]: one graded level per field;
//!    swappable fields are compared both ways and the reading that agrees
//!    more is kept.
//! 4. The [`Model`] is fitted by EM over the distinct patterns, starting
//!    from `u` measured on random pairs; its prior is the share of
//!    matches among all pairs, not among the candidates.
//! 5. Each pair's weight is the pattern's weight with the exact-agreement
//!    weights of term-frequency fields replaced by value-specific ones
//!    (agreeing on a rare surname is stronger evidence than on a common
//!    one), then turned into a match probability.
//! 6. Pairs at or above the threshold are kept; optionally one-to-one.

use crate::compare::{Comparison, ComparisonError, EXACT_LEVEL, NULL_LEVEL};
use crate::model::{self, Model, Pattern, MAX_FIELDS};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::HashMap;

/// One field to compare.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldSpec {
    /// The column name.
    pub name: String,
    /// How to compare it.
    pub comparison: Comparison,
    /// Adjust exact agreement by how frequent the value is.
    pub term_frequency: bool,
}

/// How a blocking key reads a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyTransform {
    /// The value as written (trimmed).
    Exact,
    /// Its Spanish phonetic key, word by word.
    Phonetic,
    /// Its first n characters.
    Prefix(usize),
    /// Its last n characters.
    Suffix(usize),
}

/// One part of a blocking rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockKey {
    /// Index into the settings' fields.
    pub field: usize,
    /// How the field is read.
    pub transform: KeyTransform,
}

/// One part of a blocking rule made ready: the field to read and, for
/// each of its value ids, the key's number (0: no key).
type Part<'k> = (usize, &'k [u32]);

/// Key numberings by group (field, partner field or the same, transform):
/// `ids[i][0]` numbers the values of `groups[i].0`, `ids[i][1]` those of
/// `groups[i].1` in the same numbering.
struct KeyTable {
    groups: Vec<(usize, usize, KeyTransform)>,
    ids: Vec<Vec<Vec<u32>>>,
}

/// Fewer candidate pairs than this: `m` keeps its starting values.
pub const MIN_TRAINING_PAIRS: usize = 500;

/// Everything a linkage run needs besides the data.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The compared fields (at most 16).
    pub fields: Vec<FieldSpec>,
    /// Blocking rules: a pair is a candidate when it agrees on every key
    /// of at least one rule.
    pub blocking: Vec<Vec<BlockKey>>,
    /// Keep pairs whose match probability is at least this.
    pub threshold: f64,
    /// Linkage only: each record in at most one kept pair (the most
    /// probable first).
    pub one_to_one: bool,
    /// Random pairs on which `u` is measured.
    pub u_sample_pairs: usize,
    /// EM iteration cap.
    pub max_iterations: usize,
    /// Blocks larger than this many records are skipped (and counted): a
    /// key shared by half the file is not a block.
    pub max_block: usize,
    /// More candidate pairs than this is an error naming the rule that
    /// produced them, rather than gigabytes of pairs.
    pub max_pairs: usize,
    /// Pairs of fields (indices) that a record may hold the other way
    /// round: given name and surname, two address lines. Such a pair of
    /// records is compared both ways and keeps the reading that agrees
    /// more, and a blocking rule that uses either field also finds the
    /// pairs written the other way.
    pub swaps: Vec<(usize, usize)>,
}

impl Settings {
    /// Settings with the defaults for everything but fields and blocking.
    pub fn new(fields: Vec<FieldSpec>, blocking: Vec<Vec<BlockKey>>) -> Settings {
        Settings {
            fields,
            blocking,
            threshold: 0.5,
            one_to_one: false,
            u_sample_pairs: 2_000,
            max_iterations: 100,
            max_block: 10_000,
            max_pairs: 20_000_000,
            swaps: Vec::new(),
        }
    }

    /// Checks the settings against each other.
    pub fn validate(&self) -> Result<(), SettingsError> {
        if self.fields.is_empty() {
            return Err(SettingsError::NoFields);
        }
        if self.fields.len() > MAX_FIELDS {
            return Err(SettingsError::TooManyFields(self.fields.len()));
        }
        for f in &self.fields {
            f.comparison
                .validate()
                .map_err(|e| SettingsError::Comparison(f.name.clone(), e))?;
        }
        if self.blocking.len() > 32 {
            return Err(SettingsError::TooManyRules);
        }
        if self.blocking.is_empty() || self.blocking.iter().any(Vec::is_empty) {
            return Err(SettingsError::NoBlocking);
        }
        if self
            .blocking
            .iter()
            .flatten()
            .any(|k| k.field >= self.fields.len())
        {
            return Err(SettingsError::NoBlocking);
        }
        if !(self.threshold > 0.0 && self.threshold <= 1.0) {
            return Err(SettingsError::Threshold);
        }
        if self.u_sample_pairs > 10_000_000 {
            return Err(SettingsError::TooManySamples);
        }
        let mut swapped = vec![false; self.fields.len()];
        for &(f, g) in &self.swaps {
            if f == g || f >= self.fields.len() || g >= self.fields.len() {
                return Err(SettingsError::Swap);
            }
            if std::mem::replace(&mut swapped[f], true) || std::mem::replace(&mut swapped[g], true)
            {
                return Err(SettingsError::Swap);
            }
        }
        Ok(())
    }
}

/// Why settings cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SettingsError {
    /// Nothing to compare.
    #[error("no field to compare")]
    NoFields,
    /// More fields than a pattern holds.
    #[error("{0} fields to compare; at most 16")]
    TooManyFields(usize),
    /// A field's comparison settings are wrong.
    #[error("field {0}: {1}")]
    Comparison(String, ComparisonError),
    /// No usable blocking rule.
    #[error("at least one blocking rule with at least one compared field is needed")]
    NoBlocking,
    /// More than 32 blocking rules.
    #[error("at most 32 blocking rules")]
    TooManyRules,
    /// `u_sample_pairs` above 10,000,000.
    #[error("u_sample_pairs is at most 10000000")]
    TooManySamples,
    /// Threshold outside (0, 1].
    #[error("the threshold is a match probability: above 0 and at most 1")]
    Threshold,
    /// A swappable pair names one field twice, an unknown field, or a
    /// field already in another pair.
    #[error("a swappable pair is two different compared fields, each in at most one pair")]
    Swap,
}

/// Records: an id and one text per configured field (in the settings'
/// order), trimmed; an empty text is a missing value. All the texts of
/// all rows are kept one after the other in one buffer: reading a file
/// of 5,000 rows makes a handful of allocations, not 60,000.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Records {
    /// Fields per row.
    fields: usize,
    /// Every row's id and values, one after the other.
    text: String,
    /// Where each text ends in `text`: `fields + 1` per row, the id first.
    ends: Vec<usize>,
}

impl Records {
    /// No records yet, of `fields` fields each.
    pub fn new(fields: usize) -> Records {
        Records {
            fields,
            ..Records::default()
        }
    }

    /// Adds a record: its id and its values in field order (white space
    /// around them dropped; values past the last field are ignored,
    /// missing ones are empty).
    pub fn push<'v>(&mut self, id: &str, values: impl IntoIterator<Item = &'v str>) {
        self.text.push_str(trimmed(id));
        self.ends.push(self.text.len());
        let mut values = values.into_iter();
        for _ in 0..self.fields {
            self.text.push_str(values.next().map_or("", trimmed));
            self.ends.push(self.text.len());
        }
    }

    /// How many records.
    pub fn len(&self) -> usize {
        self.ends.len() / (self.fields + 1)
    }

    /// No records at all.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The text at `ends[i]`.
    fn at(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    /// Row `row`'s id (panics past the last row, as indexing does).
    pub fn id(&self, row: usize) -> &str {
        self.at(row * (self.fields + 1))
    }

    /// Row `row`'s value of `field` ("" for a field it does not have;
    /// panics past the last row).
    pub fn value(&self, row: usize, field: usize) -> &str {
        if field >= self.fields {
            return "";
        }
        self.at(row * (self.fields + 1) + 1 + field)
    }
}

/// Why a run stopped.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LinkError {
    /// Blocking produced more candidate pairs than `max_pairs`.
    #[error(
        "blocking rule {rule} (counting from 1) brings the candidate pairs to {pairs}, \
         over the limit of {limit}: make it sharper (add a key) or remove it"
    )]
    TooManyPairs {
        /// The rule, counting from 1.
        rule: usize,
        /// Pairs so far.
        pairs: usize,
        /// The limit.
        limit: usize,
    },
    /// The settings cannot be used.
    #[error(transparent)]
    Settings(#[from] SettingsError),
}

/// A kept pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoredPair {
    /// Row in the left records (for dedup: the first).
    pub a: u32,
    /// Row in the right records (for dedup: the second, `b > a`).
    pub b: u32,
    /// Total weight in bits, prior included.
    pub weight: f64,
    /// Match probability.
    pub probability: f64,
}

/// What a run found.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Kept pairs, most probable first (ties by rows).
    pub pairs: Vec<ScoredPair>,
    /// The fitted model.
    pub model: Model,
    /// Candidate pairs compared.
    pub candidates: usize,
    /// Blocks skipped for being larger than `max_block`.
    pub skipped_blocks: usize,
    /// How many matching pairs the model expects among all pairs (its
    /// `lambda` times their number).
    pub expected_matches: f64,
}

/// One field of an explained pair.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldExplanation {
    /// Field name.
    pub field: String,
    /// The two values.
    pub values: (String, String),
    /// The level reached, in words.
    pub level: String,
    /// Its weight in bits (term frequency included).
    pub weight: f64,
}

/// Interned columns over all rows of both inputs.
struct Columns<'a> {
    /// `ids[field][row]`: 0 is missing.
    ids: Vec<Vec<u32>>,
    /// `texts[field][id]`, borrowed from the records.
    texts: Vec<Vec<&'a str>>,
    /// `freq[field][id]`: share of present values equal to this one.
    freq: Vec<Vec<f64>>,
    /// `agree[field]`: the probability that the two present values of a
    /// random pair are equal (a left and a right record for linkage, two
    /// records for deduplication): the `u` of exact agreement.
    agree: Vec<f64>,
    /// `pooled[field]`: Σ freq², the same over the pooled values, against
    /// which a value's frequency is compared.
    pooled: Vec<f64>,
}

/// A fast, unkeyed hasher (FxHash's multiply-rotate, with a final mix)
/// for the engine's own maps of values and keys. Its keys come from the
/// input files, so a crafted file could at worst slow down its own run;
/// std's keyed SipHash was several per cent of a FEBRL run.
#[derive(Default, Clone, Copy)]
struct FastHasher(u64);

impl FastHasher {
    const K: u64 = 0xf135_7aea_2e62_a9c5;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::K);
    }
}

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
            ]));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        let h = self.0 ^ (self.0 >> 29);
        h.wrapping_mul(Self::K) ^ (h >> 32)
    }
}

/// A hash map with [`FastHasher`].
type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FastHasher>>;

/// `s` without surrounding white space; most values have none, and the
/// test for that is cheaper than `trim`.
fn trimmed(s: &str) -> &str {
    let plain = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b < 0x80);
    let bytes = s.as_bytes();
    if plain(bytes.first()) && plain(bytes.last()) {
        s
    } else {
        s.trim()
    }
}

/// Interns every field, one field per task; `n_left` is the number of
/// left rows for linkage (the rest are right rows), `None` for
/// deduplication.
fn intern<'a>(inputs: &[&'a Records], fields: usize, n_left: Option<usize>) -> Columns<'a> {
    let rows: usize = inputs.iter().map(|r| r.len()).sum();
    type Interned<'a> = (Vec<u32>, Vec<&'a str>, Vec<u64>);
    let interned: Vec<Interned<'a>> = (0..fields)
        .into_par_iter()
        .map(|f| {
            let mut ids = Vec::with_capacity(rows);
            let mut texts = vec![""];
            let mut counts = vec![0u64];
            let mut map: FastMap<&str, u32> = FastMap::default();
            let values = inputs
                .iter()
                .flat_map(|r| (0..r.len()).map(move |row| r.value(row, f)));
            for v in values {
                if v.is_empty() {
                    ids.push(0);
                    continue;
                }
                let next = texts.len() as u32;
                let id = *map.entry(v).or_insert(next);
                if id == next {
                    texts.push(v);
                    counts.push(0);
                }
                counts[id as usize] += 1;
                ids.push(id);
            }
            (ids, texts, counts)
        })
        .collect();
    let mut ids = Vec::with_capacity(fields);
    let mut texts = Vec::with_capacity(fields);
    let mut counts = Vec::with_capacity(fields);
    for (i, t, c) in interned {
        ids.push(i);
        texts.push(t);
        counts.push(c);
    }
    let mut freq = Vec::with_capacity(fields);
    let mut agree = Vec::with_capacity(fields);
    let mut pooled = Vec::with_capacity(fields);
    for (f, c) in counts.iter().enumerate() {
        let present: u64 = c.iter().sum();
        let p: Vec<f64> = c
            .iter()
            .map(|&n| {
                if present == 0 {
                    0.0
                } else {
                    n as f64 / present as f64
                }
            })
            .collect();
        pooled.push(p.iter().skip(1).map(|x| x * x).sum::<f64>());
        agree.push(match n_left {
            Some(n_left) => {
                // Σ over values of P(left = v) · P(right = v).
                let mut left = vec![0u64; c.len()];
                for &id in &ids[f][..n_left.min(ids[f].len())] {
                    left[id as usize] += 1;
                }
                let nl: u64 = left.iter().skip(1).sum();
                let nr = present - nl;
                if nl == 0 || nr == 0 {
                    0.0
                } else {
                    (1..c.len())
                        .map(|v| left[v] as f64 * (c[v] - left[v]) as f64)
                        .sum::<f64>()
                        / (nl as f64 * nr as f64)
                }
            }
            None if present >= 2 => {
                c.iter()
                    .skip(1)
                    .map(|&n| n as f64 * (n as f64 - 1.0))
                    .sum::<f64>()
                    / (present as f64 * (present as f64 - 1.0))
            }
            None => 0.0,
        });
        freq.push(p);
    }
    Columns {
        ids,
        texts,
        freq,
        agree,
        pooled,
    }
}

/// Links `left` to `right`.
pub fn link(settings: &Settings, left: &Records, right: &Records) -> Result<Outcome, LinkError> {
    run(settings, left, Some(right))
}

/// Finds duplicate pairs within `records`.
pub fn dedup(settings: &Settings, records: &Records) -> Result<Outcome, LinkError> {
    run(settings, records, None)
}

/// The engine behind [`link`] and [`dedup`], kept for explanations.
pub struct Engine<'a> {
    settings: &'a Settings,
    cols: Columns<'a>,
    /// Rows of the left input (the right ones follow, for linkage).
    n_left: usize,
    n_right: usize,
    dedup: bool,
}

impl<'a> Engine<'a> {
    /// Prepares the data.
    pub fn new(settings: &'a Settings, left: &'a Records, right: Option<&'a Records>) -> Self {
        let mut inputs = vec![left];
        inputs.extend(right);
        let cols = intern(&inputs, settings.fields.len(), right.map(|_| left.len()));
        Engine {
            settings,
            cols,
            n_left: left.len(),
            n_right: right.map_or(0, Records::len),
            dedup: right.is_none(),
        }
    }

    /// The pattern of rows `a` and `b` (global rows).
    fn pattern(&self, a: usize, b: usize) -> Pattern {
        self.pattern_and_swaps(a, b).0
    }

    /// The pattern of rows `a` and `b`, and which of the swappable pairs
    /// (bit i for `swaps[i]`) were read the other way round.
    fn pattern_and_swaps(&self, a: usize, b: usize) -> (Pattern, u32) {
        let mut p = Pattern::default();
        for (f, spec) in self.settings.fields.iter().enumerate() {
            let (x, y) = (self.cols.ids[f][a], self.cols.ids[f][b]);
            let level = if x == 0 || y == 0 {
                NULL_LEVEL
            } else if x == y {
                EXACT_LEVEL
            } else {
                spec.comparison.level_of_different(
                    self.cols.texts[f][x as usize],
                    self.cols.texts[f][y as usize],
                )
            };
            p = p.with(f, level);
        }
        let mut swapped = 0;
        for (i, &(f, g)) in self.settings.swaps.iter().enumerate() {
            let (lf, lg) = (p.level(f), p.level(g));
            if lf == EXACT_LEVEL && lg == EXACT_LEVEL {
                continue;
            }
            let (cf, cg) = (self.level_across(f, g, a, b), self.level_across(g, f, a, b));
            if self.strength(f, cf) + self.strength(g, cg)
                > self.strength(f, lf) + self.strength(g, lg)
            {
                p = p.with(f, cf).with(g, cg);
                swapped |= 1 << i;
            }
        }
        (p, swapped)
    }

    /// The level of row `a`'s field `f` against row `b`'s field `g`, by
    /// `f`'s comparison.
    fn level_across(&self, f: usize, g: usize, a: usize, b: usize) -> u8 {
        let (x, y) = (self.cols.ids[f][a], self.cols.ids[g][b]);
        if x == 0 || y == 0 {
            return NULL_LEVEL;
        }
        let (x, y) = (
            self.cols.texts[f][x as usize],
            self.cols.texts[g][y as usize],
        );
        if x == y {
            EXACT_LEVEL
        } else {
            self.settings.fields[f].comparison.level_of_different(x, y)
        }
    }

    /// How strongly `level` of field `f` agrees, from 1 (exact) down to 0
    /// (different or missing), to choose between two readings of a pair
    /// before there is a model to weigh them.
    fn strength(&self, f: usize, level: u8) -> f64 {
        let last = self.settings.fields[f].comparison.levels() - 1;
        match level {
            NULL_LEVEL => 0.0,
            l => (last - l as usize) as f64 / (last - 1) as f64,
        }
    }

    /// Weight of field `f` at `level` for rows `a`, `b`, term frequency
    /// included.
    fn field_weight(&self, model: &Model, f: usize, level: u8, a: usize) -> f64 {
        if level == EXACT_LEVEL && self.settings.fields[f].term_frequency {
            return self.exact_weight(model, f, self.cols.ids[f][a] as usize);
        }
        model.weight(f, level)
    }

    /// The weight of agreeing exactly on value `id` of term-frequency
    /// field `f`.
    fn exact_weight(&self, model: &Model, f: usize, id: usize) -> f64 {
        let tf = self.cols.freq[f].get(id).copied().unwrap_or(0.0);
        let agree = self.cols.pooled[f];
        if tf > 0.0 && agree > 0.0 {
            // u for agreeing on this value: the average u of exact
            // agreement, scaled by how much likelier than average it is
            // that two records share this value by chance.
            let u = (model.u[f][EXACT_LEVEL as usize] * tf / agree).clamp(1e-9, 1.0);
            return (model.m[f][EXACT_LEVEL as usize] / u).log2();
        }
        model.weight(f, EXACT_LEVEL)
    }

    /// For blocking keys read through `transform` from `fields`, a number
    /// per value of each field: equal numbers for values that give the
    /// same key, across the fields too (0 for a missing value). Each
    /// distinct value is transformed once.
    fn key_ids(&self, fields: &[usize], transform: KeyTransform) -> Vec<Vec<u32>> {
        if let ([f], KeyTransform::Exact) = (fields, transform) {
            return vec![(0..self.cols.texts[*f].len() as u32).collect()];
        }
        let mut seen: FastMap<Cow<'a, str>, u32> = FastMap::default();
        fields
            .iter()
            .map(|&f| {
                self.cols.texts[f]
                    .iter()
                    .enumerate()
                    .map(|(id, &text)| {
                        if id == 0 {
                            return 0;
                        }
                        let key: Cow<'a, str> = match transform {
                            KeyTransform::Exact => Cow::Borrowed(text),
                            KeyTransform::Phonetic => Cow::Owned(
                                crate::hispanic::fold(text)
                                    .split(' ')
                                    .map(crate::hispanic::phonetic)
                                    .collect::<Vec<_>>()
                                    .join(" "),
                            ),
                            KeyTransform::Prefix(n) => Cow::Borrowed(
                                text.char_indices().nth(n).map_or(text, |(i, _)| &text[..i]),
                            ),
                            KeyTransform::Suffix(n) => {
                                let skip = text.chars().count().saturating_sub(n);
                                Cow::Borrowed(
                                    text.char_indices()
                                        .nth(skip)
                                        .map_or("", |(i, _)| &text[i..]),
                                )
                            }
                        };
                        let next = seen.len() as u32 + 1;
                        *seen.entry(key).or_insert(next)
                    })
                    .collect()
            })
            .collect()
    }

    /// The field a swappable field is paired with.
    fn partner(&self, f: usize) -> Option<usize> {
        self.settings.swaps.iter().find_map(|&(x, y)| {
            if x == f {
                Some(y)
            } else if y == f {
                Some(x)
            } else {
                None
            }
        })
    }

    /// The numbering group of a blocking key: its field and the field's
    /// partner (numbered together, so that a key read from one meets the
    /// same key read from the other), smallest first, and the transform.
    fn key_group(&self, k: &BlockKey) -> (usize, usize, KeyTransform) {
        let g = self.partner(k.field).unwrap_or(k.field);
        (k.field.min(g), k.field.max(g), k.transform)
    }

    /// Every key numbering the rules need, each computed once (several
    /// rules share one), on all cores; sorted by group.
    fn all_key_ids(&self) -> KeyTable {
        let mut groups: Vec<(usize, usize, KeyTransform)> = self
            .settings
            .blocking
            .iter()
            .flatten()
            .map(|k| self.key_group(k))
            .collect();
        groups.sort_unstable();
        groups.dedup();
        let ids = groups
            .par_iter()
            .map(|&(f, g, t)| {
                if f == g {
                    self.key_ids(&[f], t)
                } else {
                    self.key_ids(&[f, g], t)
                }
            })
            .collect();
        KeyTable { groups, ids }
    }

    /// The parts of `rule` as written and, when it uses a swappable
    /// field, as read with each such field replaced by its partner.
    fn rule_parts<'k>(
        &self,
        rule: &[BlockKey],
        table: &'k KeyTable,
    ) -> (Vec<Part<'k>>, Option<Vec<Part<'k>>>) {
        let ids = |field: usize, k: &BlockKey| -> &'k [u32] {
            let group = self.key_group(k);
            let at = table.groups.partition_point(|g| *g < group);
            let which = usize::from(field != group.0);
            &table.ids[at][which]
        };
        let direct = rule.iter().map(|k| (k.field, ids(k.field, k))).collect();
        if !rule.iter().any(|k| self.partner(k.field).is_some()) {
            return (direct, None);
        }
        let crossed = rule
            .iter()
            .map(|k| {
                let g = self.partner(k.field).unwrap_or(k.field);
                (g, ids(g, k))
            })
            .collect();
        (direct, Some(crossed))
    }

    /// A row's key under a rule's parts (from [`Engine::rule_parts`]), or
    /// `None` when a part is missing. Keys are 64-bit mixes of the parts'
    /// numbers: two blocks sharing one by chance only add pairs to
    /// compare, never lose any.
    fn block_key(&self, row: usize, parts: &[Part]) -> Option<u64> {
        let mut key: u64 = 0x9E37_79B9_7F4A_7C15;
        for &(field, ids) in parts {
            let part = ids[self.cols.ids[field][row] as usize];
            if part == 0 {
                return None;
            }
            key = (key ^ u64::from(part))
                .wrapping_mul(0x0100_0000_01b3)
                .rotate_left(29);
        }
        Some(key)
    }

    /// Candidate pairs (global rows, `a < b`, packed `a << 32 | b`),
    /// sorted, without repeats, each with the set of rules that found it
    /// (bit r for rule r). Rules run on all cores, as many at a time as
    /// there are threads (so that at most that many rules' pairs are held
    /// before the limit is checked), their pairs taken in rule order.
    fn candidates(&self) -> Result<(Vec<(u64, u32)>, usize), LinkError> {
        let max_pairs = self.settings.max_pairs;
        let table = self.all_key_ids();
        let mut pairs: Vec<(u64, u32)> = Vec::new();
        let mut skipped = 0;
        let rules: Vec<(usize, &Vec<BlockKey>)> =
            self.settings.blocking.iter().enumerate().collect();
        for chunk in rules.chunks(rayon::current_num_threads().max(1)) {
            let found: Vec<(Vec<(u64, u32)>, usize)> = chunk
                .par_iter()
                .map(|&(r, rule)| self.rule_pairs(r, rule, &table))
                .collect();
            for (&(r, _), (found, skips)) in chunk.iter().zip(found) {
                skipped += skips;
                pairs.extend(found);
                // Merging (sorting) once at the end gives the same pairs;
                // only a rule that may have passed the limit needs it now.
                if pairs.len() > max_pairs {
                    pairs = merge(pairs);
                    if pairs.len() > max_pairs {
                        return Err(LinkError::TooManyPairs {
                            rule: r + 1,
                            pairs: pairs.len(),
                            limit: max_pairs,
                        });
                    }
                }
            }
        }
        Ok((merge(pairs), skipped))
    }

    /// The pairs rule `r` finds (with bit r), and how many of its blocks
    /// were too large. A rule that finds more than `max_pairs` distinct
    /// pairs stops there: the run fails anyway.
    fn rule_pairs(
        &self,
        r: usize,
        rule: &[BlockKey],
        table: &KeyTable,
    ) -> (Vec<(u64, u32)>, usize) {
        let total = self.n_left + self.n_right;
        let (max_block, max_pairs) = (self.settings.max_block, self.settings.max_pairs);
        let bit = 1u32 << r;
        let (direct, crossed) = self.rule_parts(rule, table);
        let mut pairs: Vec<(u64, u32)> = Vec::new();
        let mut skipped = 0;
        // Past twice the limit, drop the repeats; still past the limit,
        // stop (and the caller fails).
        let full = |pairs: &mut Vec<(u64, u32)>| {
            if pairs.len() <= max_pairs.saturating_mul(2) {
                return false;
            }
            *pairs = merge(std::mem::take(pairs));
            pairs.len() > max_pairs
        };
        let pack = |a: usize, b: usize| ((a.min(b) as u64) << 32) | b.max(a) as u64;
        // Blocks as runs of equal keys: sorting beats a map of lists.
        let indexed = if self.dedup {
            0..total
        } else {
            self.n_left..total
        };
        let mut keyed: Vec<(u64, u32)> = indexed
            .filter_map(|row| self.block_key(row, &direct).map(|k| (k, row as u32)))
            .collect();
        keyed.sort_unstable();
        // The rows of the block with `key`.
        let block = |key: u64| -> &[(u64, u32)] {
            let start = keyed.partition_point(|&(k, _)| k < key);
            let len = keyed[start..].partition_point(|&(k, _)| k == key);
            &keyed[start..start + len]
        };
        for run in keyed.chunk_by(|x, y| x.0 == y.0) {
            if run.len() > max_block {
                skipped += 1;
            } else if self.dedup {
                for (i, &(_, a)) in run.iter().enumerate() {
                    for &(_, b) in &run[i + 1..] {
                        pairs.push(((u64::from(a) << 32) | u64::from(b), bit));
                    }
                }
                if full(&mut pairs) {
                    return (pairs, skipped);
                }
            }
        }
        if self.dedup {
            // Each row's swapped key against the others' keys as written.
            if let Some(crossed) = &crossed {
                for a in 0..total {
                    let Some(key) = self.block_key(a, crossed) else {
                        continue;
                    };
                    let run = block(key);
                    if run.len() > max_block {
                        continue;
                    }
                    for &(_, b) in run.iter().filter(|&&(_, b)| b as usize != a) {
                        pairs.push((pack(a, b as usize), bit));
                    }
                    if full(&mut pairs) {
                        return (pairs, skipped);
                    }
                }
            }
        } else {
            // Left rows look up the right rows' blocks by their key as
            // written and, for a rule with a swappable field, as read the
            // other way round.
            for parts in std::iter::once(&direct).chain(crossed.as_ref()) {
                for row in 0..self.n_left {
                    let Some(key) = self.block_key(row, parts) else {
                        continue;
                    };
                    let run = block(key);
                    if run.len() > max_block {
                        continue;
                    }
                    for &(_, b) in run {
                        pairs.push((((row as u64) << 32) | u64::from(b), bit));
                    }
                    if full(&mut pairs) {
                        return (pairs, skipped);
                    }
                }
            }
        }
        (pairs, skipped)
    }

    /// How many levels each field has.
    fn levels(&self) -> Vec<usize> {
        self.settings
            .fields
            .iter()
            .map(|f| f.comparison.levels())
            .collect()
    }

    /// `u` measured on deterministic pseudo-random pairs, with exact
    /// agreement taken from the value frequencies where they are exact.
    fn sampled_u(&self) -> Vec<Vec<f64>> {
        let levels = self.levels();
        let mut counts: Vec<Vec<f64>> = levels.iter().map(|&n| vec![1.0; n]).collect();
        let (lo, hi) = if self.dedup {
            (self.n_left, self.n_left)
        } else {
            (self.n_left, self.n_right)
        };
        if lo >= 1 && hi >= 1 && (lo + hi) >= 3 {
            let mut state = 0x5EED_u64;
            let n = self.settings.u_sample_pairs;
            let sample: Vec<(usize, usize)> = (0..n)
                .filter_map(|_| {
                    let a = (splitmix(&mut state) % lo as u64) as usize;
                    let b = (splitmix(&mut state) % hi as u64) as usize;
                    if self.dedup {
                        (a != b).then_some((a, b))
                    } else {
                        Some((a, self.n_left + b))
                    }
                })
                .collect();
            let patterns: Vec<Pattern> = sample
                .par_iter()
                .map(|&(a, b)| self.pattern(a, b))
                .collect();
            for p in patterns {
                for (f, row) in counts.iter_mut().enumerate() {
                    row[p.level(f) as usize] += 1.0;
                }
            }
        }
        for (f, row) in counts.iter_mut().enumerate() {
            model::normalise(row);
            let exact = self.cols.agree[f];
            if exact > 0.0 {
                // Replace the sampled exact share by the exact one and
                // rescale the rest to keep the row a distribution.
                let rest: f64 = row.iter().skip(2).sum();
                let scale = (1.0 - exact) / rest.max(1e-12);
                row[EXACT_LEVEL as usize] = exact;
                for x in row.iter_mut().skip(2) {
                    *x *= scale;
                }
                model::normalise(row);
            }
        }
        counts
    }

    /// Fits the model: `u` from random pairs; `m` by EM on the pairs of
    /// each blocking rule in turn, leaving alone the `m` of the fields the
    /// rule blocked on, averaged over rules; then `lambda`, the share of
    /// matches among all pairs.
    fn train(&self, pairs: &[(u64, u32)], patterns: &[Pattern]) -> Model {
        let levels = self.levels();
        let mut model = Model::initial(&levels, self.sampled_u(), 0.1);
        // In a rule's session, the fields the rule blocked on are left out
        // of the likelihood altogether (as if missing): every pair agrees
        // on them by construction.
        // The pairs as distinct (pattern, rules) with their counts, once:
        // every count below reads these instead of all the pairs.
        let mut distinct: Vec<(Pattern, u32)> = pairs
            .iter()
            .zip(patterns)
            .map(|(&(_, mask), &p)| (p, mask))
            .collect();
        distinct.par_sort_unstable();
        let distinct: Vec<((Pattern, u32), u64)> = distinct
            .chunk_by(|x, y| x == y)
            .map(|run| (run[0], run.len() as u64))
            .collect();
        let count = |keep: &dyn Fn(u32) -> bool, used: &[bool]| {
            let mut counted: FastMap<Pattern, u64> = FastMap::default();
            for &((p, mask), n) in &distinct {
                if keep(mask) {
                    let p = (0..used.len())
                        .filter(|&f| !used[f])
                        .fold(p, |p, f| p.with(f, NULL_LEVEL));
                    *counted.entry(p).or_default() += n;
                }
            }
            let mut counted: Vec<(Pattern, u64)> = counted.into_iter().collect();
            counted.sort_unstable();
            counted
        };
        let fields = levels.len();
        if pairs.len() < MIN_TRAINING_PAIRS {
            // A handful of pairs teaches EM noise: keep the starting `m`
            // and fit only the share of matches.
            let all = count(&|_| true, &vec![true; fields]);
            model.fit_some(
                &all,
                &vec![false; fields],
                false,
                self.settings.max_iterations,
            );
            self.prior_over_all_pairs(&mut model, &all);
            return model;
        }
        let mut m_sum: Vec<Vec<f64>> = levels.iter().map(|&n| vec![0.0; n]).collect();
        let mut m_n = vec![0usize; fields];
        // One session per rule, on all cores; combined in rule order.
        let sessions: Vec<Option<(Vec<bool>, Model, u64)>> = self
            .settings
            .blocking
            .par_iter()
            .enumerate()
            .map(|(r, rule)| {
                let update: Vec<bool> = (0..fields)
                    .map(|f| !rule.iter().any(|k| k.field == f))
                    .collect();
                let counted = count(&|mask| mask & (1 << r) != 0, &update);
                let n: u64 = counted.iter().map(|(_, c)| c).sum();
                if (n as usize) < MIN_TRAINING_PAIRS {
                    // Too few pairs to say anything; the other rules speak.
                    return None;
                }
                let mut session = model.clone();
                session.fit_some(&counted, &update, false, self.settings.max_iterations);
                Some((update, session, n))
            })
            .collect();
        for (update, session, n) in sessions.into_iter().flatten() {
            // Each rule's estimate counts in proportion to its pairs.
            for f in (0..fields).filter(|&f| update[f]) {
                for (sum, m) in m_sum[f].iter_mut().zip(&session.m[f]) {
                    *sum += m * n as f64;
                }
                m_n[f] += n as usize;
            }
            model.iterations += session.iterations;
        }
        for f in 0..fields {
            if m_n[f] > 0 {
                model.m[f] = m_sum[f].iter().map(|s| s / m_n[f] as f64).collect();
                model::normalise(&mut model.m[f]);
            }
        }
        let all = count(&|_| true, &vec![true; fields]);
        let iterations = model.iterations;
        model.fit_some(
            &all,
            &vec![false; fields],
            false,
            self.settings.max_iterations,
        );
        model.iterations += iterations;
        self.prior_over_all_pairs(&mut model, &all);
        model
    }

    /// How many pairs the input holds: every left record against every
    /// right one, or every two records for deduplication.
    fn all_pairs(&self) -> f64 {
        if self.dedup {
            let n = self.n_left as f64;
            n * (n - 1.0) / 2.0
        } else {
            self.n_left as f64 * self.n_right as f64
        }
    }

    /// Turns `lambda` from the share of matches among the candidates into
    /// the share among *all* pairs, the prior that goes with `u` measured
    /// on random pairs. Blocking picked the candidates for agreeing on some
    /// fields, and their weights count that agreement again; a prior taken
    /// among candidates would count it twice and let weak evidence (a
    /// shared given name and postcode) pass. Fixed point of
    /// λ = Σ P(match | pattern, λ) / all pairs, the non-candidates counting
    /// as non-matches: the EM update of `lambda` over all pairs.
    fn prior_over_all_pairs(&self, model: &mut Model, counted: &[(Pattern, u64)]) {
        let all = self.all_pairs();
        let candidates: u64 = counted.iter().map(|(_, c)| c).sum();
        if candidates == 0 || all <= candidates as f64 {
            return;
        }
        let weights: Vec<(f64, f64)> = counted
            .iter()
            .map(|&(p, c)| (model.pattern_weight(p) - model.prior_weight(), c as f64))
            .collect();
        let mut lambda = (model.lambda * candidates as f64 / all).clamp(1e-300, 1.0);
        for _ in 0..self.settings.max_iterations {
            let prior = (lambda / (1.0 - lambda)).log2();
            let matches: f64 = weights
                .iter()
                .map(|&(w, c)| c * model::probability(prior + w))
                .sum();
            let next = (matches / all).clamp(1e-300, 1.0 - 1e-12);
            let moved = (next / lambda - 1.0).abs();
            lambda = next;
            if moved < 1e-9 {
                break;
            }
        }
        model.lambda = lambda;
    }

    /// Runs the whole linkage.
    pub fn run(&self) -> Result<Outcome, LinkError> {
        self.settings.validate()?;
        let (pairs, skipped_blocks) = self.candidates()?;
        let patterns: Vec<Pattern> = pairs
            .par_iter()
            .map(|&(ab, _)| self.pattern((ab >> 32) as usize, (ab & 0xFFFF_FFFF) as usize))
            .collect();
        let model = self.train(&pairs, &patterns);
        let threshold = self.settings.threshold;
        // Weights once per level, and once per value for term-frequency
        // fields, instead of once per pair.
        let fields = self.settings.fields.len();
        let table: Vec<Vec<f64>> = (0..fields)
            .map(|f| {
                (0..self.settings.fields[f].comparison.levels())
                    .map(|l| model.weight(f, l as u8))
                    .collect()
            })
            .collect();
        let exact: Vec<Option<Vec<f64>>> = (0..fields)
            .map(|f| {
                self.settings.fields[f].term_frequency.then(|| {
                    (0..self.cols.texts[f].len())
                        .map(|id| self.exact_weight(&model, f, id))
                        .collect()
                })
            })
            .collect();
        let prior = model.prior_weight();
        let mut kept: Vec<ScoredPair> = pairs
            .par_iter()
            .zip(patterns.par_iter())
            .filter_map(|(&(ab, _), &p)| {
                let (a, b) = ((ab >> 32) as usize, (ab & 0xFFFF_FFFF) as usize);
                let weight = prior
                    + (0..fields)
                        .map(|f| {
                            let level = p.level(f);
                            match &exact[f] {
                                Some(w) if level == EXACT_LEVEL => w[self.cols.ids[f][a] as usize],
                                _ => table[f][level as usize],
                            }
                        })
                        .sum::<f64>();
                let probability = model::probability(weight);
                (probability >= threshold).then(|| ScoredPair {
                    a: a as u32,
                    b: if self.dedup { b } else { b - self.n_left } as u32,
                    weight,
                    probability,
                })
            })
            .collect();
        kept.sort_by(|x, y| {
            y.weight
                .total_cmp(&x.weight)
                .then(x.a.cmp(&y.a))
                .then(x.b.cmp(&y.b))
        });
        if self.settings.one_to_one && !self.dedup {
            let mut used_a = vec![false; self.n_left];
            let mut used_b = vec![false; self.n_right];
            kept.retain(|p| {
                let (a, b) = (p.a as usize, p.b as usize);
                if used_a[a] || used_b[b] {
                    return false;
                }
                used_a[a] = true;
                used_b[b] = true;
                true
            });
        }
        Ok(Outcome {
            pairs: kept,
            expected_matches: model.lambda * self.all_pairs(),
            model,
            candidates: pairs.len(),
            skipped_blocks,
        })
    }

    /// Why rows `a` (left) and `b` (right; for dedup, another row) got
    /// their weight under `model`.
    pub fn explain(&self, model: &Model, a: usize, b: usize) -> Vec<FieldExplanation> {
        let b = if self.dedup { b } else { b + self.n_left };
        let (p, swapped) = self.pattern_and_swaps(a, b);
        self.settings
            .fields
            .iter()
            .enumerate()
            .map(|(f, spec)| {
                let text = |f: usize, row: usize| {
                    self.cols.texts[f][self.cols.ids[f][row] as usize].to_owned()
                };
                // A swapped field was compared with the other record's
                // partner field: show that value.
                let across = self
                    .settings
                    .swaps
                    .iter()
                    .enumerate()
                    .find(|&(i, &(x, y))| swapped & (1 << i) != 0 && (x == f || y == f))
                    .map(|(_, &(x, y))| if x == f { y } else { x });
                let mut level = spec.comparison.level_label(p.level(f));
                if let Some(g) = across {
                    level.push_str(&format!(" (with {})", self.settings.fields[g].name));
                }
                FieldExplanation {
                    field: spec.name.clone(),
                    values: (text(f, a), text(across.unwrap_or(f), b)),
                    level,
                    weight: self.field_weight(model, f, p.level(f), a),
                }
            })
            .collect()
    }
}

fn run(settings: &Settings, left: &Records, right: Option<&Records>) -> Result<Outcome, LinkError> {
    Engine::new(settings, left, right).run()
}

/// Sorts pairs and merges the rule sets of repeated ones.
fn merge(mut pairs: Vec<(u64, u32)>) -> Vec<(u64, u32)> {
    pairs.par_sort_unstable();
    let mut merged: Vec<(u64, u32)> = Vec::with_capacity(pairs.len());
    for (pair, mask) in pairs {
        match merged.last_mut() {
            Some(last) if last.0 == pair => last.1 |= mask,
            _ => merged.push((pair, mask)),
        }
    }
    merged
}

/// A small, fast, deterministic generator for sampling (SplitMix64).
pub(crate) fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Records as rows of owned texts, easy to change in a test.
    #[derive(Debug, Clone, Default)]
    struct Rows {
        ids: Vec<String>,
        values: Vec<Vec<String>>,
    }

    impl Rows {
        fn r(&self) -> Records {
            let fields = self.values.first().map_or(0, Vec::len);
            let mut out = Records::new(fields);
            for (id, values) in self.ids.iter().zip(&self.values) {
                out.push(id, values.iter().map(String::as_str));
            }
            out
        }

        fn and(&self, other: &Rows) -> Rows {
            let mut all = self.clone();
            all.ids.extend(other.ids.iter().cloned());
            all.values.extend(other.values.iter().cloned());
            all
        }
    }

    fn spec(name: &str, comparison: Comparison, tf: bool) -> FieldSpec {
        FieldSpec {
            name: name.to_owned(),
            comparison,
            term_frequency: tf,
        }
    }

    fn jw() -> Comparison {
        Comparison::JaroWinkler {
            thresholds: vec![0.92, 0.8],
        }
    }

    /// People described by name, surname, birth date and a code; the right
    /// side holds copies with typos and a few strangers.
    fn data() -> (Settings, Rows, Rows) {
        let fields = vec![
            spec("given", jw(), true),
            spec("surname", jw(), true),
            spec("dob", Comparison::Date { years: 1 }, false),
            spec("code", Comparison::Edit { max: vec![1, 2] }, false),
        ];
        let blocking = vec![
            vec![BlockKey {
                field: 2,
                transform: KeyTransform::Exact,
            }],
            vec![BlockKey {
                field: 1,
                transform: KeyTransform::Prefix(3),
            }],
        ];
        let names = [
            "anna", "boris", "carla", "dario", "elena", "fabio", "greta", "hugo", "ines", "jonas",
            "karin", "luca", "marta", "nils", "olga", "paolo", "rita", "sven", "tina", "ugo",
        ];
        let surnames = [
            "smith", "brown", "jones", "smith", "taylor", "wilson", "davies", "evans", "smith",
            "thomas", "roberts", "walker", "wright", "smith", "green", "hall", "wood", "jackson",
            "clarke", "hughes",
        ];
        let mut left = Rows::default();
        let mut right = Rows::default();
        for i in 0..20 {
            let dob = format!("19{:02}0{}1{}", 40 + i, 1 + i % 9, i % 10);
            let code = format!("{:07}", 1_000_003 * (i + 1) % 9_999_991);
            left.ids.push(format!("a{i}"));
            left.values.push(vec![
                names[i].to_owned(),
                surnames[i].to_owned(),
                dob.clone(),
                code.clone(),
            ]);
            // Copies of the first 15, corrupted.
            if i < 15 {
                let mut g = names[i].to_owned();
                if i % 2 == 0 {
                    g.push('h');
                }
                let code = if i % 3 == 0 {
                    format!("{}0", &code[..6])
                } else {
                    code
                };
                right.ids.push(format!("b{i}"));
                right
                    .values
                    .push(vec![g, surnames[i].to_owned(), dob, code]);
            }
        }
        // Strangers sharing a surname or a birth date with someone.
        right.ids.push("x1".into());
        right.values.push(vec![
            "zoe".into(),
            "smith".into(),
            "19990101".into(),
            "5555555".into(),
        ]);
        right.ids.push("x2".into());
        right.values.push(vec![
            "yann".into(),
            "quinn".into(),
            left.values[4][2].clone(),
            "4444444".into(),
        ]);
        (Settings::new(fields, blocking), left, right)
    }

    #[test]
    fn linkage_finds_corrupted_copies_and_leaves_strangers_alone() {
        let (mut settings, left, right) = data();
        settings.one_to_one = true;
        let out = link(&settings, &left.r(), &right.r()).unwrap();
        let mut got: Vec<(String, String)> = out
            .pairs
            .iter()
            .map(|p| {
                (
                    left.ids[p.a as usize].clone(),
                    right.ids[p.b as usize].clone(),
                )
            })
            .collect();
        got.sort();
        let mut want: Vec<(String, String)> = (0..15)
            .map(|i| (format!("a{i}"), format!("b{i}")))
            .collect();
        want.sort();
        assert_eq!(got, want, "{:?}", out.model);
        assert!(out.pairs.iter().all(|p| p.probability >= 0.5));
    }

    #[test]
    fn missing_values_weigh_nothing() {
        let (settings, left, _) = data();
        let left_r = left.r();
        let engine = Engine::new(&settings, &left_r, None);
        let out = engine.run().unwrap();
        let mut sparse = left.clone();
        sparse.values[0][3].clear();
        let sparse_r = sparse.r();
        let e2 = Engine::new(&settings, &sparse_r, None);
        let why = e2.explain(&out.model, 0, 1);
        assert_eq!(why[3].level, "missing");
        assert_eq!(why[3].weight, 0.0);
    }

    #[test]
    fn agreeing_on_a_rare_surname_weighs_more_than_on_a_common_one() {
        let (settings, left, right) = data();
        let (left_r, right_r) = (left.r(), right.r());
        let engine = Engine::new(&settings, &left_r, Some(&right_r));
        let out = engine.run().unwrap();
        // a0 is a Smith (4 on the left, 1 more on the right); a1 a Brown.
        let smith = engine.explain(&out.model, 0, 0)[1].weight;
        let brown = engine.explain(&out.model, 1, 1)[1].weight;
        assert!(brown > smith + 1.0, "brown {brown} smith {smith}");
    }

    #[test]
    fn dedup_pairs_are_ordered_and_unique() {
        let (settings, left, right) = data();
        let all = left.and(&right);
        let out = dedup(&settings, &all.r()).unwrap();
        assert!(out.pairs.iter().all(|p| p.a < p.b));
        let mut seen: Vec<(u32, u32)> = out.pairs.iter().map(|p| (p.a, p.b)).collect();
        let n = seen.len();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), n);
        assert!(n >= 15, "{n}");
    }

    #[test]
    fn settings_are_checked() {
        let (mut settings, _, _) = data();
        assert!(settings.validate().is_ok());
        settings.threshold = 0.0;
        assert_eq!(settings.validate(), Err(SettingsError::Threshold));
        settings.threshold = 0.9;
        settings.blocking.clear();
        assert_eq!(settings.validate(), Err(SettingsError::NoBlocking));
    }

    #[test]
    fn too_many_candidate_pairs_is_an_error_naming_the_rule() {
        let (mut settings, left, right) = data();
        settings.max_pairs = 10;
        match link(&settings, &left.r(), &right.r()) {
            Err(LinkError::TooManyPairs { rule, .. }) => assert!(rule >= 1),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn exact_agreement_by_chance_is_measured_across_the_two_files() {
        // Every left record says "a", every right one "b": two random
        // records (one from each) never agree by chance.
        let fields = vec![spec("x", Comparison::Exact, false)];
        let blocking = vec![vec![BlockKey {
            field: 0,
            transform: KeyTransform::Prefix(0),
        }]];
        let settings = Settings::new(fields, blocking);
        let rec = |v: &str, n: usize| Rows {
            ids: (0..n).map(|i| format!("{v}{i}")).collect(),
            values: (0..n).map(|_| vec![v.to_owned()]).collect(),
        };
        let (l, r) = (rec("a", 3), rec("b", 4));
        let (l_r, r_r) = (l.r(), r.r());
        let engine = Engine::new(&settings, &l_r, Some(&r_r));
        assert_eq!(engine.cols.agree[0], 0.0);
        assert!((engine.cols.pooled[0] - (9.0 + 16.0) / 49.0).abs() < 1e-12);
        let l_r = l.r();
        let all = Engine::new(&settings, &l_r, None);
        assert!((all.cols.agree[0] - 1.0).abs() < 1e-12);
    }

    #[test]
    fn unusable_settings_are_an_error_not_a_panic() {
        let (mut settings, left, right) = data();
        let field = settings.fields[0].clone();
        settings.fields = vec![field; MAX_FIELDS + 1];
        assert!(matches!(
            link(&settings, &left.r(), &right.r()),
            Err(LinkError::Settings(SettingsError::TooManyFields(17)))
        ));
    }

    /// The data, with the copies of a1, a5 and a7 holding their given
    /// name and surname the other way round and another birth date, so
    /// that no blocking rule as written finds them.
    fn swapped_names() -> (Settings, Rows, Rows, Vec<usize>) {
        let (settings, left, mut right) = data();
        let rows: Vec<usize> = [1, 5, 7]
            .iter()
            .map(|i| {
                right
                    .ids
                    .iter()
                    .position(|id| *id == format!("b{i}"))
                    .unwrap()
            })
            .collect();
        for &row in &rows {
            right.values[row].swap(0, 1);
            right.values[row][2].replace_range(0..2, "18");
        }
        (settings, left, right, rows)
    }

    #[test]
    fn names_written_the_other_way_round_are_found_when_the_fields_are_swappable() {
        let (mut settings, left, right, rows) = swapped_names();
        settings.one_to_one = true;
        let linked = |settings: &Settings| -> Vec<(u32, u32)> {
            let out = link(settings, &left.r(), &right.r()).unwrap();
            let mut got: Vec<(u32, u32)> = out
                .pairs
                .iter()
                .filter(|p| rows.contains(&(p.b as usize)))
                .map(|p| (p.a, p.b))
                .collect();
            got.sort_unstable();
            got
        };
        assert_eq!(linked(&settings), vec![]);
        settings.swaps = vec![(0, 1)];
        let want: Vec<(u32, u32)> = [1, 5, 7]
            .iter()
            .zip(&rows)
            .map(|(&a, &b)| (a, b as u32))
            .collect();
        assert_eq!(linked(&settings), want);
        // The explanation shows what was compared with what.
        let (left_r, right_r) = (left.r(), right.r());
        let engine = Engine::new(&settings, &left_r, Some(&right_r));
        let out = engine.run().unwrap();
        let why = engine.explain(&out.model, 1, rows[0]);
        assert_eq!(why[0].values, ("boris".to_owned(), "boris".to_owned()));
        assert_eq!(why[0].level, "exact (with surname)");
        assert_eq!(why[1].values, ("brown".to_owned(), "brown".to_owned()));
        assert!(why[0].weight > 0.0 && why[1].weight > 0.0, "{why:?}");
    }

    #[test]
    fn dedup_finds_records_whose_swappable_fields_are_the_other_way_round() {
        let (mut settings, left, right, rows) = swapped_names();
        settings.swaps = vec![(1, 0)];
        let all = left.and(&right);
        let out = dedup(&settings, &all.r()).unwrap();
        for (a, row) in [1u32, 5, 7].into_iter().zip(rows) {
            let b = (left.ids.len() + row) as u32;
            assert!(out.pairs.iter().any(|p| (p.a, p.b) == (a, b)), "{a} {b}");
        }
    }

    #[test]
    fn a_reading_the_other_way_round_is_kept_only_when_it_agrees_more() {
        let (mut settings, mut left, _) = data();
        settings.swaps = vec![(0, 1)];
        // Given names that are also surnames: "thomas smith" and "smith
        // thomas" agree crosswise; "thomas smith" and "thomas smyth"
        // agree better as written.
        left.values[0][0] = "thomas".into();
        left.values[0][1] = "smith".into();
        left.values[1][0] = "smith".into();
        left.values[1][1] = "thomas".into();
        left.values[2][0] = "thomas".into();
        left.values[2][1] = "smyth".into();
        let left_r = left.r();
        let engine = Engine::new(&settings, &left_r, None);
        let (p, swapped) = engine.pattern_and_swaps(0, 1);
        assert_eq!(
            (p.level(0), p.level(1), swapped),
            (EXACT_LEVEL, EXACT_LEVEL, 1)
        );
        let (p, swapped) = engine.pattern_and_swaps(0, 2);
        assert_eq!((p.level(0), swapped), (EXACT_LEVEL, 0));
        assert!(p.level(1) > EXACT_LEVEL);
    }

    #[test]
    fn swappable_fields_are_checked() {
        let (mut settings, _, _) = data();
        for swaps in [vec![(0, 0)], vec![(0, 1), (1, 2)], vec![(0, 4)]] {
            settings.swaps = swaps;
            assert_eq!(settings.validate(), Err(SettingsError::Swap));
        }
        settings.swaps = vec![(0, 1), (2, 3)];
        assert!(settings.validate().is_ok());
    }

    #[test]
    fn the_prior_is_the_share_of_matches_among_all_pairs_not_among_candidates() {
        // Most candidate pairs are copies, but the 17 right records could
        // pair with any of the 20 left ones: agreeing on the blocked
        // field must not be counted twice.
        let (settings, left, right) = data();
        let out = link(&settings, &left.r(), &right.r()).unwrap();
        let matches = out.model.lambda * (left.ids.len() * right.ids.len()) as f64;
        assert!(
            (13.0..=17.0).contains(&matches),
            "{matches} {:?}",
            out.model
        );
        assert!(out.candidates > 15);
        let all = left.and(&right);
        let out = dedup(&settings, &all.r()).unwrap();
        let n = all.ids.len() as f64;
        let matches = out.model.lambda * n * (n - 1.0) / 2.0;
        assert!(
            (13.0..=17.0).contains(&matches),
            "{matches} {:?}",
            out.model
        );
    }

    #[test]
    fn records_keep_each_rows_trimmed_id_and_values_in_field_order() {
        let mut r = Records::new(3);
        assert!(r.is_empty());
        r.push(" a1 ", ["x", "", " y "]);
        r.push("a2", ["only one"]);
        r.push("a3", ["p", "q", "r", "ignored"]);
        assert_eq!(r.len(), 3);
        assert_eq!(
            (r.id(0), r.value(0, 0), r.value(0, 1), r.value(0, 2)),
            ("a1", "x", "", "y")
        );
        assert_eq!(
            (r.id(1), r.value(1, 0), r.value(1, 1), r.value(1, 2)),
            ("a2", "only one", "", "")
        );
        assert_eq!((r.id(2), r.value(2, 2), r.value(2, 3)), ("a3", "r", ""));
    }

    #[test]
    fn empty_inputs_give_no_pairs() {
        let (settings, _, _) = data();
        let out = link(&settings, &Records::default(), &Records::default()).unwrap();
        assert!(out.pairs.is_empty());
        assert_eq!(out.candidates, 0);
    }
}
