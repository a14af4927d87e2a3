//! What each command does, step by step. Every step names itself in its
//! error context, so a failure reads as a sentence: "could not import
//! x.csv: …: …".

use crate::backend::{self, Open};
use crate::cli::ServeArgs;
use crate::progress;
use anyhow::{bail, Context, Result};
use libres_app::export::{AtomicFile, ExportFormat, ExportSink, ExportWriter, Output};
use libres_app::import::{self, ImportOptions, Pass};
use libres_app::linkage;
use libres_app::staff;
use libres_core::{Email, Role};
use libres_store::{SetupLink, Store, StoreError};
use libres_synth::demo;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// Who the command line is in the audit log and the history: someone
/// with a shell on the server.
const ACTOR: &str = "cli";

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
    eprintln!(
        "Libres is serving {} at http://{}/",
        backend::redact(db),
        args.bind
    );
    run_server(store, args).await
}

/// Serves `store`. Whether pages carry the synthetic-data banner is the
/// store's to say ([`Store::is_synthetic`]), not the command's.
async fn run_server(store: Arc<dyn Store>, args: ServeArgs) -> Result<()> {
    run_server_as(store, args, false).await
}

/// Serves `store`; `demo` prints the mail it would send (its links
/// included) when no mail transport is given, so that signing can be
/// tried end to end on the demo.
async fn run_server_as(store: Arc<dyn Store>, args: ServeArgs, demo: bool) -> Result<()> {
    let mailer = mailer(&store, &args, demo)?;
    let mail = tokio::spawn(mailer.run(now));
    let anonymiser = tokio::spawn(anonymise_periodically(
        Arc::clone(&store),
        i64::from(args.anonymise_after_days) * 86_400,
    ));
    let served = libres_web::serve(store, args.bind, args.web_options())
        .await
        .with_context(|| format!("the web server on {} stopped", args.bind));
    mail.abort();
    anonymiser.abort();
    served
}

/// The time now, in whole seconds.
fn now() -> libres_core::UnixTime {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    libres_core::UnixTime(i64::try_from(secs).unwrap_or(i64::MAX))
}

/// The mailer of statement confirmations, as the options say.
fn mailer(
    store: &Arc<dyn Store>,
    args: &ServeArgs,
    demo: bool,
) -> Result<libres_app::statements::Mailer> {
    use libres_app::statements::{Mailer, Transport};
    let transport = match (&args.smtp_url, &args.mail_outbox) {
        (Some(url), _) => Transport::smtp(url).map_err(anyhow::Error::msg)?,
        (None, Some(dir)) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("could not create the mail outbox {}", dir.display()))?;
            eprintln!(
                "Mail is written to {} instead of being sent.",
                dir.display()
            );
            Transport::Outbox(dir.clone())
        }
        (None, None) if demo => {
            eprintln!(
                "Demo: the mail a signature makes is printed here instead of being sent \
                 (give --smtp-url or --mail-outbox to change that)."
            );
            Transport::Print
        }
        (None, None) => {
            eprintln!(
                "No mail is sent (give --smtp-url or --mail-outbox): confirmations of \
                 signatures wait in the database until then."
            );
            Transport::None
        }
    };
    let from = args
        .mail_from
        .parse()
        .map_err(|e| anyhow::anyhow!("--mail-from `{}` is not a mailbox: {e}", args.mail_from))?;
    if args.base_url.is_none() && args.bind.ip().is_unspecified() {
        eprintln!(
            "Confirmation links point to http://{}/, which no signer can open: give \
             --base-url with the site's public address.",
            args.bind
        );
    }
    Ok(Mailer {
        store: Arc::clone(store),
        transport,
        from,
        base_url: args
            .base_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", args.bind)),
        link_secs: i64::from(args.confirm_days) * 86_400,
    })
}

/// Erases, every hour, the names and addresses of the signers of
/// statements closed longer than `after_secs` ago.
async fn anonymise_periodically(store: Arc<dyn Store>, after_secs: i64) {
    loop {
        match store
            .anonymise_closed(now().plus(-after_secs), "libres")
            .await
        {
            Ok(0) => {}
            Ok(n) => tracing::info!(
                signatures = n,
                "anonymised the signatures of closed statements"
            ),
            Err(e) => {
                tracing::warn!(error = %e, "could not anonymise the signatures of closed statements")
            }
        }
        tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
    }
}

/// `libres demo`.
pub async fn demo(db: &str, persons: u32, args: ServeArgs) -> Result<()> {
    let store = backend::open(db, Open::CreateIfMissing).await?;
    let db = &backend::redact(db);
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
    run_server_as(store, args, true).await
}

/// `libres seed-demo`.
pub async fn seed_demo(db: &str, persons: u32) -> Result<()> {
    let store = backend::open(db, Open::CreateIfMissing).await?;
    let db = &backend::redact(db);
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
    // The announcements first: the cases' releases link to them.
    let mut claims = Vec::new();
    for d in demo::announcements::announcements() {
        let id = store
            .add_announcement(&d.announcement, "demo")
            .await
            .context("could not store the demo announcements")?;
        claims.push(demo::announcements::Claim {
            id,
            country: d.announcement.country,
            from: d.from,
            to: d.to,
        });
    }
    let bar = progress::items(n as u64, "seeding");
    let mut generator = demo::Generator::new(demo::SEED).claiming(claims);
    let mut done = 0usize;
    // Former prisoners whom the demo's signatures can be linked to.
    let mut freed = Vec::new();
    while done < n {
        let batch: Vec<_> = generator.by_ref().take(SEED_BATCH.min(n - done)).collect();
        if batch.is_empty() {
            bail!("the demo generator stopped after {done} persons");
        }
        for case in &batch {
            let status = libres_core::derive_status(&case.events);
            let served = libres_core::statement::years_held(&case.events, 20261031);
            if freed.len() < 20
                && served >= 2
                && matches!(
                    status,
                    libres_core::Status::Released | libres_core::Status::ConditionalRelease
                )
            {
                freed.push(case.person.clone());
            }
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
    seed_statements(store, &freed).await?;
    eprintln!(
        "Created {n} synthetic persons in {:.1} s (demo data: no real person).",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The demo's statements and their signatures: most confirmed, most
/// names approved, and a few former prisoners linked to registry persons
/// (`freed`), so the public list shows verified years.
async fn seed_statements(store: &dyn Store, freed: &[libres_core::Person]) -> Result<()> {
    use libres_store::statements::{Moderation, SignatureFilter, Taken};
    let context = || "could not store the demo statements";
    let signed_at = libres_core::UnixTime(1_737_360_000); // 2025-01-20
    for (k, d) in demo::statements::statements().into_iter().enumerate() {
        let closing = d.statement.status == libres_core::statement::StatementStatus::Closed;
        let mut statement = d.statement;
        if closing {
            // Signed while open, then closed.
            statement.status = libres_core::statement::StatementStatus::Open;
        }
        let id = store
            .add_statement(&statement, "demo")
            .await
            .with_context(context)?;
        if d.signers == 0 {
            continue;
        }
        let mut batch =
            demo::statements::signatures(id, d.signers, demo::SEED + k as u64, signed_at);
        // The signers who will be linked are those persons, by name.
        let mut linked = freed.iter();
        for n in batch.iter_mut().filter(|n| n.link_requested).take(5) {
            if let Some(p) = linked.next() {
                n.signature.name = p.full_name();
                n.signature.country = p.country;
            }
        }
        let taken = store.take_signatures(&batch).await.with_context(context)?;
        let ids: Vec<i64> = taken
            .iter()
            .filter_map(|t| match t {
                Taken::New(id) => Some(*id),
                _ => None,
            })
            .collect();
        // One in ten never confirms: they are not counted.
        let confirmed: Vec<(i64, i64)> = ids
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 10 != 9)
            .map(|(_, s)| (id, *s))
            .collect();
        store
            .confirm_signatures(&confirmed, signed_at.plus(3600))
            .await
            .with_context(context)?;
        let (pending, _) = store
            .signatures(id, SignatureFilter::Unmoderated, 0, 100_000)
            .await
            .with_context(context)?;
        // Most names approved; a few left for the staff queue.
        let approve: Vec<i64> = pending.iter().skip(5).map(|s| s.id).collect();
        store
            .moderate_signatures(id, &approve, Moderation::Approve, "demo")
            .await
            .with_context(context)?;
        let (asked, _) = store
            .signatures(id, SignatureFilter::LinkRequested, 0, 100_000)
            .await
            .with_context(context)?;
        for person in freed.iter().take(5) {
            let Some(sig) = asked.iter().find(|s| s.name == person.full_name()) else {
                continue;
            };
            store
                .link_signature(id, sig.id, Some(&person.id), 20261031, "demo")
                .await
                .with_context(context)?;
        }
        if closing {
            statement.id = id;
            statement.status = libres_core::statement::StatementStatus::Closed;
            store
                .update_statement(&statement, "demo")
                .await
                .with_context(context)?;
        }
    }
    // The invented signers' confirmation mails are never sent.
    loop {
        let due = store
            .due_mail(libres_core::UnixTime(i64::MAX / 2), 1000)
            .await
            .with_context(context)?;
        if due.is_empty() {
            break;
        }
        let ids: Vec<i64> = due.iter().map(|m| m.id).collect();
        store
            .settle_mail(&ids, &[], 1)
            .await
            .with_context(context)?;
    }
    Ok(())
}

/// `libres import persons`: a first pass checks every row (nothing is
/// kept but the problems and the ids), a second writes the persons, batch
/// by batch, in one transaction.
pub async fn import_persons(db: &str, file: &Path, max_size: u64) -> Result<()> {
    let shown = file.display();
    let options = ImportOptions {
        max_bytes: max_size,
    };
    backend::check(db)?;
    // All reading and checking happens before the database is even opened:
    // a bad file cannot change anything.
    let bars = Arc::new(progress::Bars::default());
    let checked = tokio::task::block_in_place(|| {
        import::read_file(file, &options, &mut Pass::counting(bars.as_ref()))
    })
    .with_context(|| format!("could not import {shown}"))?;
    for note in &checked.notes {
        eprintln!("note: {note}");
    }
    if !checked.problems.is_empty() {
        for line in import::problem_report(&checked.problems) {
            eprintln!("{line}");
        }
        let n = checked.problems.len();
        bail!(
            "nothing was imported: {n} problem{} in {shown}; fix {} and run the import again",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it" } else { "them" }
        );
    }
    if checked.count == 0 {
        println!("{shown} holds no persons; nothing to import.");
        return Ok(());
    }
    let store = backend::open(db, Open::CreateIfMissing).await?;
    let db = &backend::redact(db);
    if is_synthetic(store.as_ref()).await? {
        // Real persons mixed into invented ones would be shown under the
        // "synthetic data" banner, and invented ones exported as real.
        bail!(
            "the database {db} holds the synthetic demo registry; real persons cannot be mixed \
             into it; import into a new database, e.g. --db sqlite:registry.db"
        );
    }
    let count = checked.count;
    // Said before the transaction starts, for a person watching (and for
    // the test that kills an import half-way).
    eprintln!("Writing {} in one transaction.", count_persons(count));
    // Columns the file does not have keep their stored values: a list
    // without `family_contact` must not erase the contacts on record.
    let summary = import::import(store.as_ref(), file, &options, &checked, "cli", bars)
        .await
        .with_context(|| format!("could not write the persons of {shown}; nothing was imported"))?;
    println!(
        "Imported {} from {shown}: {} created, {} updated, {} unchanged.",
        count_persons(count),
        summary.created,
        summary.updated,
        summary.unchanged
    );
    if checked.blank_rows > 0 {
        let rows = if checked.blank_rows == 1 {
            "row"
        } else {
            "rows"
        };
        println!("Skipped {} empty {rows}.", checked.blank_rows);
    }
    Ok(())
}

/// `libres export persons`: streamed from one snapshot of the registry
/// into the file (or standard output), a chunk at a time.
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
    // Popolo is a publication format: never an unpublished person (the
    // store filters and redacts, and Popolo keeps no confidential field).
    let public = public_only || format == ExportFormat::Popolo;
    let file = out.as_deref().map(AtomicFile::new).transpose()?;
    let output = match &file {
        Some(f) => Output::File(f.create_buffered()?),
        None => Output::Stream(Box::new(std::io::BufWriter::with_capacity(
            256 * 1024,
            std::io::stdout(),
        ))),
    };
    let shown = out.as_ref().map(|p| p.display().to_string());
    let writer = ExportWriter::new(format, public_only, output).with_context(|| match &shown {
        Some(path) => format!("could not write {path}"),
        None => "could not write to standard output".to_owned(),
    })?;
    let mut sink = ExportSink(writer);
    let read = store.export_persons(public, &mut sink).await;
    match read {
        Ok(_) => {}
        Err(libres_store::StoreError::Aborted(e)) => {
            return Err(anyhow::anyhow!(e)).with_context(|| match &shown {
                Some(path) => format!("could not write {path}"),
                None => "could not write to standard output".to_owned(),
            })
        }
        Err(e) => {
            return Err(e).context("could not read the persons from the database");
        }
    }
    let count = sink.0.rows();
    sink.0.finish().with_context(|| match &shown {
        Some(path) => format!("could not write {path}"),
        None => "could not write to standard output".to_owned(),
    })?;
    let format_name = format!("{format:?}").to_lowercase();
    libres_app::staff::record_export(store.as_ref(), ACTOR, &format_name, public, count).await?;
    if let (Some(file), Some(path)) = (file, &shown) {
        file.commit()?;
        eprintln!("Exported {} to {path}.", count_persons(count));
    }
    Ok(())
}

/// `libres match`: the registry is the database of `--db`, or a person CSV.
pub async fn match_list(
    db: &str,
    list: &Path,
    registry: Option<&Path>,
    out: &Path,
    explain: &[String],
    options: linkage::MatchOptions,
) -> Result<()> {
    let report = match registry {
        Some(path) => {
            linkage::match_list(
                linkage::RegistrySource::File(path),
                list,
                out,
                explain,
                options,
            )
            .await?
        }
        None => {
            let store = backend::open(db, Open::MustExist).await?;
            linkage::match_list(
                linkage::RegistrySource::Store(store.as_ref()),
                list,
                out,
                explain,
                options,
            )
            .await
            .with_context(|| format!("could not match against {}", backend::redact(db)))?
        }
    };
    for text in &report.explanations {
        print!("{text}");
    }
    eprintln!("{report}");
    if let Some(warning) = report.confidence.warning() {
        eprintln!("{warning}");
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
        Ok(_) => {
            libres_app::staff::record_copy(from_store.as_ref(), ACTOR, counts.persons).await?;
            Ok(counts)
        }
        Err(difference) => bail!(
            "the copy in {shown_to} differs from {shown_from} ({difference}); \
             this is a bug in libres: please report it, and do not use the copy"
        ),
    }
}

/// An email address from the command line.
fn email(text: &str) -> Result<Email> {
    Email::parse(text).map_err(|e| anyhow::anyhow!(e))
}

/// Prints a setup link: the link alone on standard output (for scripts),
/// what to do with it on standard error.
fn print_link(link: &SetupLink, base_url: &str) -> Result<()> {
    eprintln!(
        "Send this one-time setup link to {} over a channel you trust; it works once, \
         until {}, to choose a password and enrol an authenticator app:",
        link.email,
        link.expires_at.rfc3339()
    );
    println!("{}", staff::setup_url(base_url, link));
    std::io::stdout()
        .flush()
        .context("could not write to standard output")
}

/// `libres user add`.
pub async fn user_add(db: &str, address: &str, role: Role, base_url: &str) -> Result<()> {
    let address = email(address)?;
    let store = backend::open(db, Open::CreateIfMissing).await?;
    let link = match store.add_user(&address, role, ACTOR, staff::now()).await {
        Err(StoreError::AlreadyExists(_)) => bail!(
            "there is already an account for {address}; use `libres user reset {address}` \
             to give it a new setup link"
        ),
        r => r.with_context(|| format!("could not add {address}"))?,
    };
    eprintln!("Added {address} as {role}.");
    print_link(&link, base_url)
}

/// `libres user list`.
pub async fn user_list(db: &str) -> Result<()> {
    let store = backend::open(db, Open::MustExist).await?;
    let users = store.users().await.context("could not read the accounts")?;
    let mut out = std::io::stdout().lock();
    for u in &users {
        let state = match (u.disabled, u.enrolled) {
            (true, _) => "disabled",
            (false, true) => "active",
            (false, false) => "setup pending",
        };
        writeln!(
            out,
            "{}\t{}\t{state}\tadded {}",
            u.email, u.role, u.created_at
        )?;
    }
    if users.is_empty() {
        eprintln!("No staff accounts yet; add one with `libres user add EMAIL --role admin`.");
    }
    Ok(())
}

/// `libres user disable`.
pub async fn user_disable(db: &str, address: &str) -> Result<()> {
    let address = email(address)?;
    let store = backend::open(db, Open::MustExist).await?;
    store
        .disable_user(&address, ACTOR, staff::now())
        .await
        .with_context(|| format!("could not disable {address}"))?;
    eprintln!("Disabled {address}; its sessions have ended.");
    Ok(())
}

/// `libres user role`.
pub async fn user_role(db: &str, address: &str, role: Role) -> Result<()> {
    let address = email(address)?;
    let store = backend::open(db, Open::MustExist).await?;
    store
        .set_role(&address, role, ACTOR, staff::now())
        .await
        .with_context(|| format!("could not change the role of {address}"))?;
    eprintln!("{address} is now {role}.");
    Ok(())
}

/// `libres user reset`.
pub async fn user_reset(db: &str, address: &str, base_url: &str) -> Result<()> {
    let address = email(address)?;
    let store = backend::open(db, Open::MustExist).await?;
    let link = store
        .reset_user(&address, ACTOR, staff::now())
        .await
        .with_context(|| format!("could not reset {address}"))?;
    eprintln!("Reset {address}: its password, second factor and sessions are gone.");
    print_link(&link, base_url)
}

/// `libres user logout`.
pub async fn user_logout(db: &str, address: &str) -> Result<()> {
    let address = email(address)?;
    let store = backend::open(db, Open::MustExist).await?;
    let n = store
        .logout_everywhere(&address, ACTOR, staff::now())
        .await
        .with_context(|| format!("could not end the sessions of {address}"))?;
    eprintln!(
        "Ended {n} session{} of {address}.",
        if n == 1 { "" } else { "s" }
    );
    Ok(())
}

/// `libres audit verify`.
pub async fn audit_verify(db: &str, anchor: Option<(i64, String)>) -> Result<()> {
    let store = backend::open(db, Open::MustExist).await?;
    let report = store
        .verify_audit(anchor.as_ref().map(|(seq, hash)| (*seq, hash.as_str())))
        .await
        .context("could not read the audit log")?;
    match &report.broken {
        None => {
            println!("{}", staff::intact_summary(&report));
            Ok(())
        }
        Some(b) => bail!(
            "the audit log is broken at entry {}: {} ({} read)",
            b.seq,
            b.reason,
            staff::entries(report.entries)
        ),
    }
}

/// `libres audit log`.
pub async fn audit_log(db: &str, after: i64, limit: Option<usize>) -> Result<()> {
    let store = backend::open(db, Open::MustExist).await?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut after = after;
    let mut left = limit.unwrap_or(usize::MAX);
    while left > 0 {
        let page = store
            .audit_entries(after, left.min(1000))
            .await
            .context("could not read the audit log")?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        left -= page.len();
        for e in &page {
            writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{}",
                e.seq, e.at, e.actor, e.action, e.target, e.details
            )?;
        }
    }
    out.flush().context("could not write to standard output")
}

/// `libres history show`.
pub async fn history_show(db: &str, id: &str) -> Result<()> {
    let id = libres_core::PersonId::parse(id)
        .map_err(|e| anyhow::anyhow!("`{id}` is not a person id: {e}"))?;
    let store = backend::open(db, Open::MustExist).await?;
    let entries = store
        .person_history(&id)
        .await
        .with_context(|| format!("could not read the history of {id}"))?;
    if entries.is_empty() {
        bail!("no history for {id}: no such person on this registry");
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    for e in &entries {
        writeln!(out, "{}\t{}\t{}", e.at, e.actor, e.action)?;
        for c in &e.changes {
            writeln!(out, "\t{}\t{}\t{}", c.field, shown(&c.old), shown(&c.new))?;
        }
    }
    out.flush().context("could not write to standard output")
}

/// `libres history purge`.
pub async fn history_purge(db: &str, older_than_days: i64) -> Result<()> {
    let store = backend::open(db, Open::MustExist).await?;
    let before = staff::now().plus(-older_than_days.saturating_mul(86_400));
    let changed = store
        .purge_history(before, ACTOR)
        .await
        .context("could not remove old confidential values from the history")?;
    let entries = if changed == 1 { "entry" } else { "entries" };
    println!(
        "{changed} history {entries} older than {older_than_days} days had confidential values removed"
    );
    Ok(())
}
