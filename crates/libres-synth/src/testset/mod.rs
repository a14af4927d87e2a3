//! Synthetic test sets for `libres match`.
//!
//! Three files: `registry.csv` (person CSV columns), `list.csv` (the
//! announced-list columns, written the way official lists write names) and
//! `truth.csv` (which registry person each list row truly names, and what
//! was done to the name, or why the row is nobody in the registry).
//!
//! Every name is a random combination of common given names and surnames:
//! no real person is intended. The same seed gives byte-identical files.

mod lexicon;
mod list;
mod registry;
mod text;
mod vocab;

use anyhow::{bail, Context, Result};
use list::Row;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use registry::{Person, Planted, Shown};
use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use vocab::Vocab;

use crate::demo::places::COUNTRIES;

/// The announced-list header, as `libres match` reads it.
const LIST_HEADER: [&str; 4] = ["row_id", "full_name", "birth_year", "province"];

/// The truth header.
const TRUTH_HEADER: [&str; 3] = ["row_id", "person_id", "kind"];

/// What was written: counts by kind, for a one-line report.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Persons in the registry.
    pub registry: usize,
    /// How many of them belong to each planted kind of hard case.
    planted: Planted,
    /// Rows that name a registry person.
    pub positives: usize,
    /// Rows that do not.
    pub negatives: usize,
    /// Positive rows by alteration (a row counts once per alteration).
    pub alterations: BTreeMap<String, usize>,
    /// Negative rows by kind.
    pub negative_kinds: BTreeMap<String, usize>,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let join = |m: &BTreeMap<String, usize>| {
            m.iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let p = &self.planted;
        write!(
            f,
            "registry {} persons (planted: siblings {}, namesakes {}, parent/child {}, \
             duplicates {}; no second surname {}); list {} rows: {} in the registry ({}), \
             {} not ({})",
            self.registry,
            p.siblings,
            p.namesakes,
            p.parent_child,
            p.duplicates,
            p.no_surname2,
            self.positives + self.negatives,
            self.positives,
            join(&self.alterations),
            self.negatives,
            join(&self.negative_kinds),
        )
    }
}

/// A whole test set in memory.
struct TestSet {
    vocab: Vocab,
    persons: Vec<Person>,
    planted: Planted,
    rows: Vec<Row>,
}

/// Makes the registry and the list, refusing sizes that make no sense.
fn build(registry: usize, list: usize, seed: u64) -> Result<TestSet> {
    if registry == 0 {
        bail!("the registry must hold at least one person (--registry 0)");
    }
    if registry > u32::MAX as usize {
        bail!("a registry of {registry} persons is more than this generator can index");
    }
    if list > registry.saturating_mul(2) {
        bail!(
            "a list of {list} rows is more than twice the registry ({registry} persons): \
             three quarters of the rows must name distinct registry persons"
        );
    }
    let vocab = Vocab::new();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (persons, planted) = registry::build(&mut rng, &vocab, registry);
    let index = registry::Index::new(&vocab, &persons);
    // The list draws from its own stream, so the registry of a seed does
    // not depend on the size of the list.
    rng.set_stream(1);
    let rows = list::build(&mut rng, &vocab, &persons, &index, list)?;
    Ok(TestSet {
        vocab,
        persons,
        planted,
        rows,
    })
}

fn person_id(i: usize) -> String {
    format!("P{:06}", i + 1)
}

fn row_id(i: usize) -> String {
    format!("L{:05}", i + 1)
}

fn create(dir: &Path, name: &str) -> Result<csv::Writer<BufWriter<File>>> {
    let path = dir.join(name);
    let file = File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(csv::Writer::from_writer(BufWriter::with_capacity(
        1 << 20,
        file,
    )))
}

fn write_registry(set: &TestSet, dir: &Path) -> Result<()> {
    let mut w = create(dir, "registry.csv")?;
    // The person CSV columns, but `status`: it is derived, and import
    // ignores it.
    w.write_record(
        libres_app::table::COLUMNS
            .iter()
            .filter(|c| **c != "status"),
    )?;
    let mut id = String::new();
    let mut given = String::new();
    let mut birth = String::new();
    let mut nationality = String::new();
    for (i, p) in set.persons.iter().enumerate() {
        use std::fmt::Write as _;
        id.clear();
        write!(id, "P{:06}", i + 1)?;
        set.vocab.given_text(p.given, &mut given);
        birth.clear();
        match p.shown {
            Shown::Day => write!(birth, "{:04}-{:02}-{:02}", p.year, p.month, p.day)?,
            Shown::Year => write!(birth, "{:04}", p.year)?,
            Shown::Nothing => {}
        }
        let country = COUNTRIES[usize::from(p.country)];
        nationality.clear();
        nationality.push_str(country.code);
        if p.dual > 0 {
            nationality.push('|');
            nationality.push_str(country.foreign[usize::from(p.dual - 1)]);
        }
        w.write_record([
            id.as_str(),
            given.as_str(),
            set.vocab.surname(p.s1),
            set.vocab.surname(p.s2),
            birth.as_str(),
            p.sex.code(),
            nationality.as_str(),
            country.code,
            p.province_name(),
            "",
            "",
            "yes",
        ])?;
    }
    w.flush()?;
    Ok(())
}

fn write_list(set: &TestSet, dir: &Path) -> Result<()> {
    let mut list = create(dir, "list.csv")?;
    let mut truth = create(dir, "truth.csv")?;
    list.write_record(LIST_HEADER)?;
    truth.write_record(TRUTH_HEADER)?;
    for (i, row) in set.rows.iter().enumerate() {
        let id = row_id(i);
        let year = row.birth_year.map(|y| y.to_string()).unwrap_or_default();
        list.write_record([
            id.as_str(),
            row.full_name.as_str(),
            year.as_str(),
            row.province.as_deref().unwrap_or(""),
        ])?;
        let person = row
            .person
            .map(|p| person_id(p as usize))
            .unwrap_or_default();
        truth.write_record([id.as_str(), person.as_str(), row.kind.as_str()])?;
    }
    list.flush()?;
    truth.flush()?;
    Ok(())
}

fn summarize(set: &TestSet) -> Summary {
    let mut alterations = BTreeMap::new();
    let mut negative_kinds = BTreeMap::new();
    let mut positives = 0;
    for row in &set.rows {
        if row.person.is_some() {
            positives += 1;
            for part in row.kind.split('+') {
                *alterations.entry(part.to_owned()).or_insert(0) += 1;
            }
        } else {
            *negative_kinds.entry(row.kind.clone()).or_insert(0) += 1;
        }
    }
    Summary {
        registry: set.persons.len(),
        planted: set.planted.clone(),
        positives,
        negatives: set.rows.len() - positives,
        alterations,
        negative_kinds,
    }
}

/// Writes registry.csv, list.csv and truth.csv into `out_dir` (created if
/// missing, files overwritten) and returns what was written. Printing the
/// summary is the command's business, so a test that generates a set
/// stays quiet.
///
/// `registry` persons (at least one); `list` rows, at most twice the
/// registry: about three quarters name distinct registry persons, the rest
/// are people the registry does not hold, many of them on purpose close to
/// someone it does.
pub fn generate(registry: usize, list: usize, seed: u64, out_dir: &Path) -> Result<Summary> {
    let set = build(registry, list, seed)?;
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("cannot create {}", out_dir.display()))?;
    write_registry(&set, out_dir)?;
    write_list(&set, out_dir)?;
    Ok(summarize(&set))
}

#[cfg(test)]
mod tests;
