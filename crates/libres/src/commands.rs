//! What each command does, step by step. Every step names itself in its
//! error context, so a failure reads as a sentence: "could not import
//! x.csv: …: …".

use crate::backend::{self, Open};
use crate::cli::ServeArgs;
use crate::export::{self, AtomicFile, ExportFormat};
use crate::import::{self, ImportOptions};
use crate::{demo, progress};
use anyhow::{bail, Context, Result};
use libres_store::Store;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// How many cases go into one `insert_cases` transaction while seeding.
pub const SEED_BATCH: usize = 1000;

/// "1 person", "3 persons".
fn count_persons(n: u64) -> String {
    if n == 1 {
        "1 person".to_owned()
    } else {
        format!("{n} persons")
    }
}

/// `libres serve`.
pub async fn serve(db: &str, args: ServeArgs) -> Result<()> {
    let store = backend::open(db, Open::CreateIfMissing).await?;
    eprintln!("Libres is serving {db} at http://{}/", args.bind);
    run_server(store, args).await
}

/// Serves `store`. Whether pages carry the synthetic-data banner is the
/// store's to say ([`Store::is_synthetic`]), not the command's.
async fn run_server(store: Arc<dyn Store>, args: ServeArgs) -> Result<()> {
    let opts = libres_web::WebOptions {
        page_cache_bytes: args.page_cache_mb.saturating_mul(1024 * 1024),
    };
    libres_web::serve(store, args.bind, opts)
        .await
        .with_context(|| format!("the web server on {} stopped", args.bind))
}

/// `libres demo`.
pub async fn demo(db: &str, persons: u32, args: ServeArgs) -> Result<()> {
    let store = backend::open(db, Open::CreateIfMissing).await?;
    if store
        .is_empty()
        .await
        .context("could not read the database")?
    {
        seed(store.as_ref(), persons as usize).await?;
    } else if is_synthetic(store.as_ref()).await? {
        eprintln!(
            "The database {db} already holds the synthetic demo registry; serving it as it is."
        );
    } else {
        // The demo labels every page "synthetic data"; a real registry
        // served under that label would be discredited, and its people
        // mistaken for inventions.
        bail!(
            "the database {db} holds a real registry; `demo` serves only synthetic data; \
             use `libres serve --db {db}` to serve it, or give `demo` a new file with --db sqlite:demo.db"
        );
    }
    println!(
        "Libres demo (synthetic data, no real person) at http://{}/",
        args.bind
    );
    // The URL must reach a person watching, even when stdout is a pipe.
    std::io::stdout()
        .flush()
        .context("could not write to standard output")?;
    run_server(store, args).await
}

/// `libres seed-demo`.
pub async fn seed_demo(db: &str, persons: u32) -> Result<()> {
    let store = backend::open(db, Open::CreateIfMissing).await?;
    if !store
        .is_empty()
        .await
        .context("could not read the database")?
    {
        bail!(
            "the database {db} already holds persons; seed-demo only fills an empty database \
             (give a new file with --db sqlite:NEW.db)"
        );
    }
    seed(store.as_ref(), persons as usize).await
}

async fn is_synthetic(store: &dyn Store) -> Result<bool> {
    store
        .is_synthetic()
        .await
        .context("could not read whether the database holds the demo registry")
}

/// Marks the registry synthetic, then generates and stores `n` synthetic
/// cases in batches. The mark comes first: a seeding cut short must still
/// leave a database that says it is synthetic.
async fn seed(store: &dyn Store, n: usize) -> Result<()> {
    store
        .mark_synthetic()
        .await
        .context("could not mark the database as the synthetic demo registry")?;
    let started = Instant::now();
    let bar = progress::items(n as u64, "seeding");
    let mut generator = demo::Generator::new(demo::SEED);
    let mut done = 0usize;
    while done < n {
        let batch: Vec<_> = generator.by_ref().take(SEED_BATCH.min(n - done)).collect();
        if batch.is_empty() {
            bail!("the demo generator stopped after {done} persons");
        }
        store.insert_cases(&batch, "demo").await.with_context(|| {
            format!(
                "could not store demo persons {}–{}",
                done + 1,
                done + batch.len()
            )
        })?;
        done += batch.len();
        bar.set_position(done as u64);
    }
    bar.finish_and_clear();
    eprintln!(
        "Created {n} synthetic persons in {:.1} s (demo data: no real person).",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `libres import persons`.
pub async fn import_persons(db: &str, file: &Path, max_size: u64) -> Result<()> {
    let shown = file.display();
    let options = ImportOptions {
        max_bytes: max_size,
    };
    backend::check(db)?;
    // All reading and checking happens before the database is even opened:
    // a bad file cannot change anything.
    let parsed = tokio::task::block_in_place(|| import::read_file(file, &options))
        .with_context(|| format!("could not import {shown}"))?;
    for note in &parsed.notes {
        eprintln!("note: {note}");
    }
    if !parsed.problems.is_empty() {
        for line in import::problem_report(&parsed.problems) {
            eprintln!("{line}");
        }
        let n = parsed.problems.len();
        bail!(
            "nothing was imported: {n} problem{} in {shown}; fix {} and run the import again",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it" } else { "them" }
        );
    }
    if parsed.persons.is_empty() {
        println!("{shown} holds no persons; nothing to import.");
        return Ok(());
    }
    let store = backend::open(db, Open::CreateIfMissing).await?;
    if is_synthetic(store.as_ref()).await? {
        // Real persons mixed into invented ones would be shown under the
        // "synthetic data" banner, and invented ones exported as real.
        bail!(
            "the database {db} holds the synthetic demo registry; real persons cannot be mixed \
             into it; import into a new database, e.g. --db sqlite:registry.db"
        );
    }
    let count = parsed.persons.len();
    let spinner = progress::spinner(format!("writing {count} persons in one transaction"));
    // Columns the file does not have keep their stored values: a list
    // without `family_contact` must not erase the contacts on record.
    let summary = store
        .upsert_persons(&parsed.persons, &parsed.keep, "cli")
        .await
        .with_context(|| format!("could not write the persons of {shown}; nothing was imported"))?;
    spinner.finish_and_clear();
    println!(
        "Imported {} from {shown}: {} created, {} updated, {} unchanged.",
        count_persons(count as u64),
        summary.created,
        summary.updated,
        summary.unchanged
    );
    if parsed.blank_rows > 0 {
        let rows = if parsed.blank_rows == 1 {
            "row"
        } else {
            "rows"
        };
        println!("Skipped {} empty {rows}.", parsed.blank_rows);
    }
    Ok(())
}

/// `libres export persons`.
pub async fn export_persons(
    db: &str,
    format: ExportFormat,
    out: Option<PathBuf>,
    public_only: bool,
) -> Result<()> {
    if format == ExportFormat::Xlsx && out.is_none() {
        bail!("XLSX is a binary format; give the file to write with --out FILE.xlsx");
    }
    let store = backend::open(db, Open::MustExist).await?;
    // Popolo is a publication format: never an unpublished person.
    let public = public_only || format == ExportFormat::Popolo;
    let mut persons = Vec::new();
    store
        .export_persons(public, &mut persons)
        .await
        .context("could not read the persons from the database")?;
    if public {
        // The store already filters and redacts; doing it again here costs
        // nothing and means a backend bug cannot leak a relative's phone.
        persons.retain(|(p, _)| p.publish);
        for (p, _) in &mut persons {
            *p = p.redacted();
        }
    }
    let count = persons.len();
    tokio::task::block_in_place(|| write_export(&persons, format, out.as_deref(), public_only))?;
    if let Some(path) = &out {
        eprintln!(
            "Exported {} to {}.",
            count_persons(count as u64),
            path.display()
        );
    }
    Ok(())
}

fn write_export(
    persons: &[(libres_core::Person, libres_core::Status)],
    format: ExportFormat,
    out: Option<&Path>,
    public_only: bool,
) -> Result<()> {
    let write = |w: &mut dyn Write| -> Result<()> {
        match format {
            ExportFormat::Csv => export::write_csv(persons, public_only, w),
            ExportFormat::Json => export::write_json(persons, public_only, w),
            ExportFormat::Popolo => export::write_popolo(persons, w),
            ExportFormat::Xlsx => bail!("XLSX cannot be written to a stream"),
        }
    };
    match out {
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::with_capacity(256 * 1024, stdout.lock());
            write(&mut w)?;
            w.flush().context("could not write to standard output")?;
        }
        Some(path) => {
            let file = AtomicFile::new(path)?;
            if format == ExportFormat::Xlsx {
                let mut w = file.create_buffered()?;
                export::write_xlsx(persons, public_only, &mut w)
                    .with_context(|| format!("could not write {}", path.display()))?;
                w.flush()
                    .with_context(|| format!("could not write {}", path.display()))?;
            } else {
                let mut w = file.create_buffered()?;
                write(&mut w).with_context(|| format!("could not write {}", path.display()))?;
                w.flush()
                    .with_context(|| format!("could not write {}", path.display()))?;
            }
            file.commit()?;
        }
    }
    Ok(())
}

/// `libres copy`: the whole registry of `from` into `to`, in one
/// transaction on `to`.
pub async fn copy(from: &str, to: &str, replace: bool) -> Result<()> {
    let (shown_from, shown_to) = (backend::redact(from), backend::redact(to));
    let source = backend::DbUrl::parse(from).context("--from")?;
    let target = backend::DbUrl::parse(to).context("--to")?;
    if backend::same_database(&source, &target)? {
        bail!("--from and --to name the same database ({shown_to}); a registry cannot be copied onto itself");
    }
    let started = Instant::now();
    let from_store = backend::open(from, Open::MustExist).await?;
    // A new SQLite file is created to receive the copy; should the copy
    // fail, it is removed again rather than left behind empty.
    let created = match &target {
        backend::DbUrl::Sqlite { path, .. } if !path.exists() => Some(path.clone()),
        _ => None,
    };
    let result = copy_into(from_store, to, replace, &shown_from, &shown_to).await;
    match (result, created) {
        (Ok(counts), _) => {
            eprintln!(
                "Copied {}, {} detentions, {} events, {} sources and {} history entries \
                 from {shown_from} to {shown_to} in {:.1} s.",
                count_persons(counts.persons),
                counts.detentions,
                counts.events,
                counts.sources,
                counts.history,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        (Err(e), Some(path)) => {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let mut p = path.clone().into_os_string();
                p.push(suffix);
                let _ = std::fs::remove_file(p);
            }
            Err(e)
        }
        (Err(e), None) => Err(e),
    }
}

async fn copy_into(
    from_store: Arc<dyn Store>,
    to: &str,
    replace: bool,
    shown_from: &str,
    shown_to: &str,
) -> Result<libres_store::DumpCounts> {
    let to_store = backend::open(to, Open::CreateIfMissing).await?;
    let not_empty = || {
        anyhow::anyhow!(
            "the database {shown_to} already holds a registry; nothing was copied \
             (use --replace to delete everything it holds and put the copy in its place)"
        )
    };
    if !replace
        && !to_store
            .is_empty()
            .await
            .with_context(|| format!("could not read the database {shown_to}"))?
    {
        return Err(not_empty());
    }
    // Said before the transaction starts, for a person watching (and for
    // the test that kills a copy half-way).
    eprintln!("Copying {shown_from} to {shown_to} in one transaction.");
    let spinner = progress::spinner(format!("copying {shown_from} to {shown_to}"));
    let write = Instant::now();
    let copied = libres_store::copy(from_store.as_ref(), to_store.as_ref(), replace).await;
    spinner.finish_and_clear();
    let counts = match copied {
        Ok(counts) => counts,
        Err(libres_store::StoreError::NotEmpty) => return Err(not_empty()),
        Err(e) => {
            return Err(anyhow::Error::new(e)).with_context(|| {
                format!("could not copy the registry to {shown_to}; nothing was written")
            })
        }
    };
    eprintln!(
        "Wrote {}, {} events, {} sources and {} history entries to {shown_to} in {:.1} s; \
         checking the copy.",
        count_persons(counts.persons),
        counts.events,
        counts.sources,
        counts.history,
        write.elapsed().as_secs_f64()
    );
    // Read the copy back and compare: a backend that dropped or changed
    // anything on the way must not pass for a successful copy.
    let spinner = progress::spinner(format!("comparing {shown_to} with {shown_from}"));
    let verdict = libres_store::compare(from_store.as_ref(), to_store.as_ref()).await;
    spinner.finish_and_clear();
    match verdict.with_context(|| format!("could not read back the copy in {shown_to}"))? {
        Ok(_) => Ok(counts),
        Err(difference) => bail!(
            "the copy in {shown_to} differs from {shown_from} ({difference}); \
             this is a bug in libres: please report it, and do not use the copy"
        ),
    }
}
