//! An in-memory name index that any backend can put in front of its tables.
//!
//! Public search is the hottest path of the site, and a SQL engine answers
//! "persons whose names start with `garcia`, published, in name order, page
//! 3, and how many in all" by touching every one of the twelve thousand
//! García rows and sorting them. This index keeps, per folded name word, the
//! sorted list of *name ranks* (positions in surname order) of the persons
//! carrying it, and a bitset per filter. A query is then a few bitset unions
//! and intersections over `n / 64` words, and the page is read off in rank
//! order without sorting anything. Memory is about 30 bytes per person.
//!
//! Search forgives spelling. A term matches a person when it starts one of
//! the person's words, when it *sounds* like the start of one (the Spanish
//! phonetic key of `libres-names`: "yoandry" finds "Yoandri", "Rodrigues"
//! finds "Rodríguez"), when it is a hypocorism of one ("pepe" finds "José"),
//! or when it is particles glued to a surname ("delacruz" finds "de la
//! Cruz"). A query that finds nothing gets suggestions: the nearest words by
//! edit distance that published persons carry ([`SearchIndex::suggest`]).
//!
//! The index holds backend keys, the folded words of names and aliases (of
//! unpublished persons too: the filter bits keep them out of public
//! answers) and filter bits; no other field. Backends rebuild it when the
//! registry version moves.

use libres_core::{CountryCode, Status};
use libres_names::hispanic::{given_variants, is_particle, phonetic};
use std::collections::HashMap;

/// Search terms beyond which no suggestion is looked for.
const SUGGEST_TERMS: usize = 4;

/// What the index needs to know about one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRow {
    /// The backend's key for the person (e.g. a primary key).
    pub key: i64,
    /// The external id, the tie-breaker of the name order.
    pub id: String,
    /// `Person::sort_key()`.
    pub sort_key: String,
    /// `Person::search_text()`: folded words of names and aliases.
    pub search_text: String,
    /// The family's consent to publication.
    pub publish: bool,
    /// Country of detention.
    pub country: CountryCode,
    /// Derived status.
    pub status: Status,
    /// Arrest date (EDTF) of the latest detention.
    pub arrest_date: Option<String>,
    /// Prison of the latest detention.
    pub prison: Option<String>,
}

/// What a list row shows of a person's latest detention, as the index
/// keeps it: read here instead of with two more look-ups per row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LatestDetention<'a> {
    /// Its arrest date (EDTF).
    pub arrest_date: Option<&'a str>,
    /// Its prison.
    pub prison: Option<&'a str>,
}

/// One query against the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexQuery<'a> {
    /// Folded search terms; each must be a prefix of some word.
    pub terms: &'a [String],
    /// Only this country.
    pub country: Option<CountryCode>,
    /// Only this status.
    pub status: Option<Status>,
    /// Include unpublished persons.
    pub include_unpublished: bool,
    /// Matches to skip (in name order).
    pub offset: u64,
    /// Matches to return at most.
    pub limit: u64,
}

/// A fixed-size set of name ranks.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Bitset(Vec<u64>);

impl Bitset {
    fn empty(n: usize) -> Self {
        Bitset(vec![0; n.div_ceil(64)])
    }

    fn full(n: usize) -> Self {
        let mut b = Bitset(vec![u64::MAX; n.div_ceil(64)]);
        if !n.is_multiple_of(64) {
            if let Some(last) = b.0.last_mut() {
                *last = (1u64 << (n % 64)) - 1;
            }
        }
        b
    }

    fn insert(&mut self, i: u32) {
        let i = i as usize;
        if let Some(w) = self.0.get_mut(i / 64) {
            *w |= 1u64 << (i % 64);
        }
    }

    fn contains(&self, i: u32) -> bool {
        let i = i as usize;
        self.0
            .get(i / 64)
            .is_some_and(|w| w & (1u64 << (i % 64)) != 0)
    }

    fn and(&mut self, other: &Bitset) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a &= *b;
        }
    }

    fn count(&self) -> u64 {
        self.0.iter().map(|w| u64::from(w.count_ones())).sum()
    }

    /// Set bits in ascending order, skipping `offset`, at most `limit`.
    fn page(&self, mut offset: u64, limit: u64) -> Vec<u32> {
        let mut out = Vec::new();
        for (wi, &word) in self.0.iter().enumerate() {
            if out.len() as u64 >= limit {
                break;
            }
            let ones = u64::from(word.count_ones());
            if offset >= ones {
                offset -= ones;
                continue;
            }
            let mut w = word;
            while w != 0 && (out.len() as u64) < limit {
                let bit = w.trailing_zeros();
                w &= w - 1;
                if offset > 0 {
                    offset -= 1;
                } else {
                    out.push((wi * 64) as u32 + bit);
                }
            }
        }
        out
    }
}

/// The index. Build it with [`SearchIndex::build`]; query it with
/// [`SearchIndex::search`].
#[derive(Debug, Clone)]
pub struct SearchIndex {
    /// Backend keys, by name rank.
    keys: Vec<i64>,
    /// The latest detention's arrest date, by name rank.
    arrests: Vec<Option<Box<str>>>,
    /// The latest detention's prison (a number in `prisons`), by name rank.
    prison_of: Vec<Option<u32>>,
    /// Every prison named, once.
    prisons: Vec<String>,
    /// The registry version the rows were read at (0 until set).
    version: i64,
    /// Every word, sorted, with the ranks of the persons carrying it.
    /// Particles glued to the word after them are words too ("delacruz").
    words: Vec<(String, Vec<u32>)>,
    /// The phonetic key of every word, sorted, with the same ranks.
    sounds: Vec<(String, Vec<u32>)>,
    published: Bitset,
    by_country: HashMap<CountryCode, Bitset>,
    by_status: HashMap<Status, Bitset>,
}

impl SearchIndex {
    /// Builds the index from every person of the registry.
    pub fn build(mut rows: Vec<SearchRow>) -> SearchIndex {
        rows.sort_by(|a, b| a.sort_key.cmp(&b.sort_key).then_with(|| a.id.cmp(&b.id)));
        let n = rows.len();
        let mut postings: HashMap<String, Vec<u32>> = HashMap::new();
        let mut sounds: HashMap<String, Vec<u32>> = HashMap::new();
        let mut published = Bitset::empty(n);
        let mut by_country: HashMap<CountryCode, Bitset> = HashMap::new();
        let mut by_status: HashMap<Status, Bitset> = HashMap::new();
        let post = |map: &mut HashMap<String, Vec<u32>>, word: &str, rank: u32| {
            if let Some(list) = map.get_mut(word) {
                if list.last() != Some(&rank) {
                    list.push(rank);
                }
            } else {
                map.insert(word.to_owned(), vec![rank]);
            }
        };
        for (rank, row) in rows.iter().enumerate() {
            let rank = rank as u32;
            for word in indexed_words(&row.search_text) {
                post(&mut sounds, &phonetic(&word), rank);
                post(&mut postings, &word, rank);
            }
            if row.publish {
                published.insert(rank);
            }
            by_country
                .entry(row.country)
                .or_insert_with(|| Bitset::empty(n))
                .insert(rank);
            by_status
                .entry(row.status)
                .or_insert_with(|| Bitset::empty(n))
                .insert(rank);
        }
        let mut prisons: Vec<String> = Vec::new();
        let mut prison_number: HashMap<&str, u32> = HashMap::new();
        let prison_of = rows
            .iter()
            .map(|r| {
                let name = r.prison.as_deref()?;
                Some(*prison_number.entry(name).or_insert_with(|| {
                    prisons.push(name.to_owned());
                    (prisons.len() - 1) as u32
                }))
            })
            .collect();
        let sorted = |map: HashMap<String, Vec<u32>>| {
            let mut v: Vec<(String, Vec<u32>)> = map.into_iter().collect();
            v.sort_by(|a, b| a.0.cmp(&b.0));
            v
        };
        SearchIndex {
            keys: rows.iter().map(|r| r.key).collect(),
            arrests: rows
                .iter()
                .map(|r| r.arrest_date.as_deref().map(Box::from))
                .collect(),
            prison_of,
            prisons,
            version: 0,
            words: sorted(postings),
            sounds: sorted(sounds),
            published,
            by_country,
            by_status,
        }
    }

    /// The index, marked as read at registry `version`.
    pub fn at_version(mut self, version: i64) -> SearchIndex {
        self.version = version;
        self
    }

    /// The registry version the index was read at.
    pub fn version(&self) -> i64 {
        self.version
    }

    /// How many persons the index holds.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the index holds no person.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Adds to `set` the persons carrying a word of `list` that starts
    /// with `prefix` (or equals it, when `whole`).
    fn add_prefixed(
        &self,
        set: &mut Bitset,
        list: &[(String, Vec<u32>)],
        prefix: &str,
        whole: bool,
    ) {
        let start = list.partition_point(|(w, _)| w.as_str() < prefix);
        for (word, ranks) in &list[start..] {
            if !word.starts_with(prefix) || (whole && word.len() != prefix.len()) {
                break;
            }
            for &r in ranks {
                set.insert(r);
            }
        }
    }

    /// Persons one search term finds: a word starts with it, sounds as if
    /// it started with it, or is a full name the term is a hypocorism of.
    fn term_set(&self, term: &str) -> Bitset {
        let mut set = Bitset::empty(self.keys.len());
        self.add_prefixed(&mut set, &self.words, term, false);
        let sound = phonetic(term);
        // A term of silent letters only ("h") has no sound to look for.
        if !sound.is_empty() && term.bytes().any(|b| b.is_ascii_alphabetic()) {
            self.add_prefixed(&mut set, &self.sounds, &sound, false);
        }
        for full in given_variants(term) {
            self.add_prefixed(&mut set, &self.words, full, true);
        }
        set
    }

    /// Whether a word of the index is carried by a person that `visible`
    /// holds.
    fn carried(&self, ranks: &[u32], visible: &Bitset) -> usize {
        ranks.iter().filter(|&&r| visible.contains(r)).count()
    }

    /// For a query that found nothing: up to `max` other queries, each
    /// with one term replaced by the nearest word (at most two edits
    /// away, one for terms of four letters or fewer) that a visible person
    /// carries, nearest first, then the most carried. Only words of
    /// published persons are offered, unless `include_unpublished`: a
    /// suggestion must never tell a public reader that an unpublished
    /// name exists.
    pub fn suggest(&self, terms: &[String], include_unpublished: bool, max: usize) -> Vec<String> {
        // Each misspelled term is compared with every word: a long query
        // would make a cheap way to load the server. Names have a few
        // words.
        if terms.len() > SUGGEST_TERMS {
            return Vec::new();
        }
        let visible = if include_unpublished {
            Bitset::full(self.keys.len())
        } else {
            self.published.clone()
        };
        // (distance, -carriers, term index, word)
        let mut found: Vec<(usize, std::cmp::Reverse<usize>, usize, &str)> = Vec::new();
        for (i, term) in terms.iter().enumerate() {
            let mut alone = self.term_set(term);
            alone.and(&visible);
            if alone.count() > 0 || term.len() < 3 {
                continue;
            }
            let limit = if term.len() <= 4 { 1 } else { 2 };
            let args = rapidfuzz::distance::levenshtein::Args::default().score_cutoff(limit);
            for (word, ranks) in &self.words {
                if word.len().abs_diff(term.len()) > limit {
                    continue;
                }
                let Some(d) = rapidfuzz::distance::levenshtein::distance_with_args(
                    term.chars(),
                    word.chars(),
                    &args,
                ) else {
                    continue;
                };
                let carriers = self.carried(ranks, &visible);
                if carriers > 0 {
                    found.push((d, std::cmp::Reverse(carriers), i, word));
                }
            }
        }
        found.sort();
        found
            .into_iter()
            .take(max)
            .map(|(_, _, i, word)| {
                let mut q = terms.to_vec();
                if let Some(t) = q.get_mut(i) {
                    *t = word.to_owned();
                }
                q.join(" ")
            })
            .collect()
    }

    /// Runs a query: the total number of matches and the backend keys of the
    /// requested page, in name order.
    pub fn search(&self, q: &IndexQuery<'_>) -> (u64, Vec<i64>) {
        let (total, ranks) = self.search_ranks(q);
        let keys = ranks
            .into_iter()
            .filter_map(|rank| self.keys.get(rank as usize).copied())
            .collect();
        (total, keys)
    }

    /// The backend key of the person at name rank `rank`, and their latest
    /// detention as the list shows it.
    pub fn row(&self, rank: u32) -> Option<(i64, LatestDetention<'_>)> {
        let i = rank as usize;
        let key = *self.keys.get(i)?;
        Some((
            key,
            LatestDetention {
                arrest_date: self.arrests.get(i).and_then(|a| a.as_deref()),
                prison: self
                    .prison_of
                    .get(i)
                    .copied()
                    .flatten()
                    .and_then(|n| self.prisons.get(n as usize))
                    .map(String::as_str),
            },
        ))
    }

    /// Runs a query: the total number of matches and the name ranks of the
    /// requested page (see [`SearchIndex::row`]).
    pub fn search_ranks(&self, q: &IndexQuery<'_>) -> (u64, Vec<u32>) {
        let n = self.keys.len();
        let mut set = match q.terms.first() {
            Some(t) => self.term_set(t),
            None => Bitset::full(n),
        };
        for t in q.terms.iter().skip(1) {
            set.and(&self.term_set(t));
        }
        if !q.include_unpublished {
            set.and(&self.published);
        }
        if let Some(c) = q.country {
            match self.by_country.get(&c) {
                Some(b) => set.and(b),
                None => return (0, Vec::new()),
            }
        }
        if let Some(s) = q.status {
            match self.by_status.get(&s) {
                Some(b) => set.and(b),
                None => return (0, Vec::new()),
            }
        }
        let total = set.count();
        (total, set.page(q.offset, q.limit))
    }
}

/// The words a person is found by: every folded word of the names, and
/// each run of particles glued to the word after it ("de la cruz" also
/// gives "delacruz" and "lacruz"; "o farrill", from "O'Farrill", gives
/// "ofarrill"), as lists and people often write them.
fn indexed_words(search_text: &str) -> Vec<String> {
    let words: Vec<&str> = search_text.split(' ').filter(|w| !w.is_empty()).collect();
    let mut out: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
    for (i, w) in words.iter().enumerate() {
        if !(is_particle(w) || w.len() == 1) {
            continue;
        }
        let mut glued = (*w).to_owned();
        for next in words.iter().skip(i + 1) {
            glued.push_str(next);
            if !is_particle(next) {
                out.push(glued);
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn row(key: i64, name: &str, publish: bool, country: &str, status: Status) -> SearchRow {
        let folded = libres_core::text::fold(name);
        SearchRow {
            key,
            id: format!("P{key}"),
            sort_key: folded.clone(),
            search_text: folded,
            publish,
            country: CountryCode::parse(country).unwrap_or_else(|e| panic!("{e}")),
            status,
            arrest_date: None,
            prison: None,
        }
    }

    fn q(terms: &[String]) -> IndexQuery<'_> {
        IndexQuery {
            terms,
            country: None,
            status: None,
            include_unpublished: false,
            offset: 0,
            limit: 100,
        }
    }

    fn terms(s: &str) -> Vec<String> {
        libres_core::text::terms(s)
    }

    #[test]
    fn every_term_must_prefix_some_word() {
        let idx = SearchIndex::build(vec![
            row(1, "Garcia Perez Ana", true, "CU", Status::Detained),
            row(2, "Gonzalez Garcia Maria", true, "CU", Status::Detained),
            row(3, "Garcia Lopez Jose", true, "VE", Status::Exiled),
        ]);
        assert_eq!(idx.search(&q(&terms("garc"))), (3, vec![3, 1, 2]));
        assert_eq!(idx.search(&q(&terms("gonzalez garcia"))), (1, vec![2]));
        assert_eq!(idx.search(&q(&terms("arcia"))), (0, vec![]));
        let t = terms("garcia");
        let mut query = q(&t);
        query.country = CountryCode::parse("VE").ok();
        assert_eq!(idx.search(&query), (1, vec![3]));
        query.country = CountryCode::parse("NI").ok();
        assert_eq!(idx.search(&query), (0, vec![]));
        query.country = None;
        query.status = Some(Status::Detained);
        assert_eq!(idx.search(&query), (2, vec![1, 2]));
    }

    #[test]
    fn unpublished_persons_are_found_only_when_asked() {
        let idx = SearchIndex::build(vec![
            row(1, "Oculto Secreto", false, "NI", Status::Detained),
            row(2, "Visible Publico", true, "NI", Status::Detained),
        ]);
        assert_eq!(idx.search(&q(&[])), (1, vec![2]));
        let mut staff = q(&[]);
        staff.include_unpublished = true;
        assert_eq!(idx.search(&staff), (2, vec![1, 2]));
    }

    fn names(idx: &SearchIndex, query: &str) -> Vec<i64> {
        idx.search(&q(&terms(query))).1
    }

    #[test]
    fn search_forgives_spelling_particles_and_hypocorisms() {
        let idx = SearchIndex::build(vec![
            row(1, "Yoandri Rodriguez Perez", true, "CU", Status::Detained),
            row(2, "Juan de la Cruz Vazquez", true, "CU", Status::Detained),
            row(
                3,
                "Jose Maria O'Farrill Llanes",
                true,
                "CU",
                Status::Detained,
            ),
            row(4, "Ana Paz Garza", true, "VE", Status::Exiled),
        ]);
        assert_eq!(names(&idx, "yoandry"), vec![1]);
        assert_eq!(names(&idx, "Rodrigues"), vec![1]);
        assert_eq!(names(&idx, "yoandry rodrigues"), vec![1]);
        // A dropped letter that changes the sound ("ge" is "he") finds
        // nothing, and is offered the right spelling.
        assert_eq!(names(&idx, "rodrigez"), Vec::<i64>::new());
        assert_eq!(idx.suggest(&terms("rodrigez"), false, 3), vec!["rodriguez"]);
        assert_eq!(names(&idx, "delacruz"), vec![2]);
        assert_eq!(names(&idx, "juan lacruz"), vec![2]);
        assert_eq!(names(&idx, "basquez"), vec![2]);
        assert_eq!(names(&idx, "ofarrill yanes"), vec![3]);
        assert_eq!(
            names(&idx, "pepe"),
            vec![3],
            "a hypocorism finds the full name"
        );
        // Vowels still tell names apart.
        assert_eq!(names(&idx, "perez"), vec![1]);
        assert_eq!(names(&idx, "garcia"), Vec::<i64>::new());
        assert_eq!(names(&idx, "paz"), vec![4]);
    }

    #[test]
    fn suggestions_offer_near_words_of_published_persons_only() {
        let idx = SearchIndex::build(vec![
            row(
                1,
                "Maikel Hernandez Rodriguez",
                true,
                "CU",
                Status::Detained,
            ),
            row(2, "Lisandra Hernandez Otero", true, "CU", Status::Detained),
            row(3, "Oculta Fernandez Secreto", false, "CU", Status::Detained),
        ]);
        // "hernadnez" is two edits from "hernandez" and does not sound
        // like it.
        assert_eq!(names(&idx, "hernadnez"), Vec::<i64>::new());
        assert_eq!(
            idx.suggest(&terms("hernadnez"), false, 3),
            vec!["hernandez"]
        );
        assert_eq!(
            idx.suggest(&terms("maikel hernadnez"), false, 3),
            vec!["maikel hernandez"]
        );
        // The unpublished "Secreto" and "Fernandez" are never offered to
        // the public, however near; staff get them.
        assert_eq!(
            idx.suggest(&terms("secrto"), false, 3),
            Vec::<String>::new()
        );
        assert_eq!(idx.suggest(&terms("secrto"), true, 3), vec!["secreto"]);
        assert!(!idx
            .suggest(&terms("fernadnez"), false, 3)
            .contains(&"fernandez".to_owned()));
        // A term that finds someone is not replaced.
        assert_eq!(
            idx.suggest(&terms("lisandra"), false, 3),
            Vec::<String>::new()
        );
    }

    proptest! {
        /// The index answers exactly what a naive scan answers, page by page.
        #[test]
        fn the_index_agrees_with_a_naive_scan(
            names in proptest::collection::vec(("[abc]{1,3} [abc]{1,3}", any::<bool>(), 0usize..3), 0..150),
            query in "[abc]{0,2}( [abc]{1,2})?",
            offset in 0u64..40,
            limit in 1u64..30,
        ) {
            let countries = ["CU", "VE", "NI"];
            let rows: Vec<SearchRow> = names
                .iter()
                .enumerate()
                .map(|(i, (n, p, c))| row(i as i64, n, *p, countries[*c], Status::Detained))
                .collect();
            let idx = SearchIndex::build(rows.clone());
            let t = terms(&query);
            let mut sorted = rows.clone();
            sorted.sort_by(|a, b| a.sort_key.cmp(&b.sort_key).then_with(|| a.id.cmp(&b.id)));
            let expected: Vec<i64> = sorted
                .iter()
                .filter(|r| r.publish)
                .filter(|r| t.iter().all(|t| {
                    indexed_words(&r.search_text).iter().any(|w| {
                        w.starts_with(t.as_str())
                            || phonetic(w).starts_with(&phonetic(t))
                            || given_variants(t).contains(&w.as_str())
                    })
                }))
                .map(|r| r.key)
                .collect();
            let mut query = q(&t);
            query.offset = offset;
            query.limit = limit;
            let (total, keys) = idx.search(&query);
            prop_assert_eq!(total, expected.len() as u64);
            let page: Vec<i64> = expected.into_iter().skip(offset as usize).take(limit as usize).collect();
            prop_assert_eq!(keys, page);
        }
    }
}
