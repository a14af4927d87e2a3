//! `libres link`, `libres dedup` and `libres match`: files in, files out;
//! the work is `libres-names`'.

use anyhow::Result;
use std::path::Path;

/// `libres link`.
pub fn link(left: &Path, right: &Path, config: &Path, out: &Path) -> Result<()> {
    let _ = (left, right, config, out);
    anyhow::bail!("not written yet")
}

/// `libres dedup`.
pub fn dedup(file: &Path, config: &Path, out: &Path) -> Result<()> {
    let _ = (file, config, out);
    anyhow::bail!("not written yet")
}

/// `libres match`.
pub async fn match_list(
    db: &str,
    list: &Path,
    registry: Option<&Path>,
    out: &Path,
    explain: &[String],
) -> Result<()> {
    let _ = (db, list, registry, out, explain);
    anyhow::bail!("not written yet")
}
