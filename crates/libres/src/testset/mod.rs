//! Synthetic test sets for `libres match`.

use anyhow::Result;
use std::path::Path;

/// Writes registry.csv, list.csv and truth.csv into `out_dir`.
pub fn generate(registry: usize, list: usize, seed: u64, out_dir: &Path) -> Result<()> {
    let _ = (registry, list, seed, out_dir);
    anyhow::bail!("not written yet")
}
