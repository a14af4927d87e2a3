//! Synthetic test sets for `libres match`.
//!
//! Three files: `registry.csv` (person CSV columns), `list.csv` (the
//! announced-list columns, written the way official lists write names) and
//! `truth.csv` (`row_id,person_id,kind,singled_out`: which registry person
//! each list row truly names and what was done to the name, or why the row
//! is nobody in the registry; and whether the row singles its person out).
//!
//! A share of the rows (`--on-registry-share`, half by default) names
//! distinct registry persons. The others are people the registry does not
//! hold. Most of them are strangers drawn from the registry's own
//! distributions of names, provinces and years, as most of a government's
//! release list are common prisoners, so some share a full name with a
//! registry person (`offlist_samename`, else `offlist`). The rest are
//! planted next to a registry person: a sibling, a namesake, a parent or
//! child with the same name (`sibling`, `namesake`, `parent_child`, none of
//! them readable as a registry person), and look-alikes whose telling field
//! is missing on one side (`parent_child_nodate`, `parent_child_noyear`,
//! `namesake_one_surname`, `sibling_initial`; see `list.rs`).
//!
//! `singled_out` (`yes` or `no` on a row naming a registry person, empty
//! otherwise) says whether anyone else the generator made, in the registry
//! or on the list, is compatible with what the row writes; the rule is in
//! `singled.rs`. A matcher cannot be asked to match a row that does not
//! single its person out.
//!
//! Names are drawn Zipf-like from some 1,760 surnames and 680 given names
//! (`lexicon.rs` beside the demo's lists). Every name is a random
//! combination of common given names and surnames: no real person is
//! intended. The same arguments and seed give byte-identical files.

mod lexicon;
mod list;
mod registry;
mod singled;
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
const TRUTH_HEADER: [&str; 4] = ["row_id", "person_id", "kind", "singled_out"];

/// The default share of list rows that name a registry person.
pub const DEFAULT_ON_REGISTRY_SHARE: f64 = 0.5;

/// What was written: counts by kind, for a one-line report.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Persons in the registry.
    pub registry: usize,
    /// How many of them belong to each planted kind of hard case.
    planted: Planted,
    /// Rows that name a registry person.
    pub positives: usize,
    /// Of those, rows that single their person out.
    pub singled_out: usize,
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
             duplicates {}; no second surname {}); list {} rows: {} in the registry \
             ({} singled out; {}), {} not ({})",
            self.registry,
            p.siblings,
            p.namesakes,
            p.parent_child,
            p.duplicates,
            p.no_surname2,
            self.positives + self.negatives,
            self.positives,
            self.singled_out,
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

/// How many of `list` rows name a registry person at `share`.
fn positives(list: usize, share: f64) -> usize {
    // A share is at most 1, so the product fits.
    (list as f64 * share).round() as usize
}

/// Makes the registry and the list, refusing sizes that make no sense.
fn build(registry: usize, list: usize, share: f64, seed: u64) -> Result<TestSet> {
    if registry == 0 {
        bail!("the registry must hold at least one person (--registry 0)");
    }
    if registry > u32::MAX as usize {
        bail!("a registry of {registry} persons is more than this generator can index");
    }
    if !(share > 0.0 && share <= 1.0) {
        bail!(
            "--on-registry-share must be more than 0 and at most 1 (the share of list rows \
             that name a registry person); got {share}"
        );
    }
    let on_registry = positives(list, share);
    if on_registry > registry {
        bail!(
            "a list of {list} rows with --on-registry-share {share} names {on_registry} \
             distinct registry persons, more than the {registry} the registry holds"
        );
    }
    let vocab = Vocab::new();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (persons, planted) = registry::build(&mut rng, &vocab, registry);
    let index = registry::Index::new(&vocab, &persons);
    // The list draws from its own stream, so the registry of a seed does
    // not depend on the list's size or share.
    rng.set_stream(1);
    let mut rows = list::build(&mut rng, &vocab, &persons, &index, list, on_registry);
    singled::mark(&vocab, &persons, &mut rows);
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
        let singled = match row.singled_out {
            Some(true) => "yes",
            Some(false) => "no",
            None => "",
        };
        truth.write_record([id.as_str(), person.as_str(), row.kind.as_str(), singled])?;
    }
    list.flush()?;
    truth.flush()?;
    Ok(())
}

fn summarize(set: &TestSet) -> Summary {
    let mut alterations = BTreeMap::new();
    let mut negative_kinds = BTreeMap::new();
    let mut positives = 0;
    let mut singled_out = 0;
    for row in &set.rows {
        if row.person.is_some() {
            positives += 1;
            singled_out += usize::from(row.singled_out == Some(true));
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
        singled_out,
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
/// `registry` persons (at least one); `list` rows, of which `share` (more
/// than 0, at most 1; [`DEFAULT_ON_REGISTRY_SHARE`] by default) name
/// distinct registry persons, rounded to the nearest row, and the rest
/// people the registry does not hold.
pub fn generate(
    registry: usize,
    list: usize,
    share: f64,
    seed: u64,
    out_dir: &Path,
) -> Result<Summary> {
    let set = build(registry, list, share, seed)?;
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("cannot create {}", out_dir.display()))?;
    write_registry(&set, out_dir)?;
    write_list(&set, out_dir)?;
    Ok(summarize(&set))
}

#[cfg(test)]
mod tests;
