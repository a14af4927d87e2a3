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
//! The index holds backend keys, the folded words of names and aliases (of
//! unpublished persons too: the filter bits keep them out of public
//! answers) and filter bits; no other field. Backends rebuild it when the
//! registry version moves.

use libres_core::{CountryCode, Status};
use std::collections::HashMap;

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
    /// Every word, sorted, with the ranks of the persons carrying it.
    words: Vec<(String, Vec<u32>)>,
    published: Bitset,
    by_country: HashMap<CountryCode, Bitset>,
    by_status: HashMap<Status, Bitset>,
}

impl SearchIndex {
    /// Builds the index from every person of the registry.
    pub fn build(mut rows: Vec<SearchRow>) -> SearchIndex {
        rows.sort_by(|a, b| a.sort_key.cmp(&b.sort_key).then_with(|| a.id.cmp(&b.id)));
        let n = rows.len();
        let mut postings: HashMap<&str, Vec<u32>> = HashMap::new();
        let mut published = Bitset::empty(n);
        let mut by_country: HashMap<CountryCode, Bitset> = HashMap::new();
        let mut by_status: HashMap<Status, Bitset> = HashMap::new();
        for (rank, row) in rows.iter().enumerate() {
            let rank = rank as u32;
            for word in row.search_text.split(' ').filter(|w| !w.is_empty()) {
                let list = postings.entry(word).or_default();
                if list.last() != Some(&rank) {
                    list.push(rank);
                }
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
        let mut words: Vec<(String, Vec<u32>)> = postings
            .into_iter()
            .map(|(w, ranks)| (w.to_owned(), ranks))
            .collect();
        words.sort_by(|a, b| a.0.cmp(&b.0));
        SearchIndex {
            keys: rows.iter().map(|r| r.key).collect(),
            words,
            published,
            by_country,
            by_status,
        }
    }

    /// How many persons the index holds.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the index holds no person.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Persons carrying a word that starts with `prefix`.
    fn prefix_set(&self, prefix: &str) -> Bitset {
        let mut set = Bitset::empty(self.keys.len());
        let start = self.words.partition_point(|(w, _)| w.as_str() < prefix);
        for (word, ranks) in &self.words[start..] {
            if !word.starts_with(prefix) {
                break;
            }
            for &r in ranks {
                set.insert(r);
            }
        }
        set
    }

    /// Runs a query: the total number of matches and the backend keys of the
    /// requested page, in name order.
    pub fn search(&self, q: &IndexQuery<'_>) -> (u64, Vec<i64>) {
        let n = self.keys.len();
        let mut set = match q.terms.first() {
            Some(t) => self.prefix_set(t),
            None => Bitset::full(n),
        };
        for t in q.terms.iter().skip(1) {
            set.and(&self.prefix_set(t));
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
        let keys = set
            .page(q.offset, q.limit)
            .into_iter()
            .filter_map(|rank| self.keys.get(rank as usize).copied())
            .collect();
        (total, keys)
    }
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
                .filter(|r| t.iter().all(|t| r.search_text.split(' ').any(|w| w.starts_with(t.as_str()))))
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
