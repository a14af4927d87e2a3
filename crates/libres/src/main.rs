//! The `libres` binary: the command line and nothing else.
//!
//! What belongs here: parsing arguments (clap), choosing the storage
//! backend once from the `--db` URL (`backend`), running each command
//! (`commands`) and showing what it does on a terminal (`progress`).
//!
//! What does not: the work itself. Import, export and matching are
//! `libres-app`'s (the staff pages will call the same functions), the
//! demo registry and the name test sets are `libres-synth`'s, storage is
//! `libres-store-*`'s and the site `libres-web`'s.
//!
//! Errors are `anyhow` with a context on every step, printed as
//! `error: …` followed by the chain of causes, with a non-zero exit.

mod backend;
mod cli;
mod commands;
mod progress;

use clap::Parser;
use cli::{AuditCommand, Cli, Command, ExportWhat, HistoryCommand, ImportWhat, UserCommand};
use libres_app::linkage;
use std::io::Write as _;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Every database URL given, for hiding its secrets in whatever message
    // a failure prints (the messages redact URLs already; this catches a
    // library that quotes a password in its own words).
    let mut secrets = backend::secrets(&cli.db);
    if let Command::Copy { from, to, .. } = &cli.command {
        secrets.extend(backend::secrets(from));
        secrets.extend(backend::secrets(to));
    }
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                // sqlx warns about every slow statement; a bulk import is a
                // slow statement by design, and the warning is not actionable.
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,sqlx::query=error")),
        )
        .init();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // `libres export persons | head` closes the pipe early; that is
            // the reader's choice, not an error worth a message.
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            let scrub = |text: String| backend::scrub(&text, &secrets);
            eprintln!("error: {}", scrub(e.to_string()));
            // A store error names its step and its cause in one message,
            // and keeps the cause as its source too (for logs): a cause
            // already said is not said again.
            let mut said = e.to_string();
            for cause in e.chain().skip(1) {
                let text = cause.to_string();
                if said.ends_with(&text) {
                    continue;
                }
                eprintln!("  caused by: {}", scrub(text.clone()));
                said = text;
            }
            ExitCode::FAILURE
        }
    }
}

/// Prints the report of a file-only command on stderr, as every command
/// reports; a closed stderr is no reason to fail after the work is done.
fn report(r: impl std::fmt::Display) -> anyhow::Result<()> {
    let _ = writeln!(std::io::stderr().lock(), "{r}");
    Ok(())
}

fn run(cli: Cli) -> anyhow::Result<()> {
    use anyhow::Context;
    // The file-only commands need no async runtime: starting and stopping
    // one costs a few milliseconds, a tenth of linking 5,000 records.
    let command = match cli.command {
        Command::Link {
            left,
            right,
            config,
            out,
        } => return report(linkage::link(&left, &right, &config, &out)?),
        Command::Dedup { file, config, out } => {
            return report(linkage::dedup(&file, &config, &out)?)
        }
        Command::GenNameTestset {
            registry,
            list,
            on_registry_share,
            seed,
            out_dir,
        } => {
            let summary =
                libres_synth::testset::generate(registry, list, on_registry_share, seed, &out_dir)?;
            // A report only, on stderr as the other commands report; a
            // closed stderr is no reason to fail after the files are written.
            let _ = writeln!(std::io::stderr().lock(), "gen-name-testset: {summary}");
            return Ok(());
        }
        Command::PostgresGrants { role } => {
            let sql = libres_store_postgres::grants_sql(&role)?;
            std::io::stdout()
                .lock()
                .write_all(sql.as_bytes())
                .context("could not write the grants")?;
            return Ok(());
        }
        other => other,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("could not start the async runtime")?;
    let db = cli.db.as_str();
    runtime.block_on(async {
        match command {
            Command::Serve { serve } => commands::serve(db, serve).await,
            Command::Demo { persons, serve } => commands::demo(db, persons, serve).await,
            Command::SeedDemo { persons } => commands::seed_demo(db, persons).await,
            Command::Import {
                what: ImportWhat::Persons { file, max_size },
            } => commands::import_persons(db, &file, max_size).await,
            Command::Export {
                what:
                    ExportWhat::Persons {
                        format,
                        out,
                        public_only,
                    },
            } => commands::export_persons(db, format.into(), out, public_only).await,
            Command::Copy { from, to, replace } => commands::copy(&from, &to, replace).await,
            Command::User { what } => match what {
                UserCommand::Add {
                    email,
                    role,
                    base_url,
                } => commands::user_add(db, &email, role, &base_url).await,
                UserCommand::List => commands::user_list(db).await,
                UserCommand::Disable { email } => commands::user_disable(db, &email).await,
                UserCommand::Role { email, role } => commands::user_role(db, &email, role).await,
                UserCommand::Reset { email, base_url } => {
                    commands::user_reset(db, &email, &base_url).await
                }
                UserCommand::Logout { email } => commands::user_logout(db, &email).await,
            },
            Command::Audit { what } => match what {
                AuditCommand::Verify { anchor } => commands::audit_verify(db, anchor).await,
                AuditCommand::Log { after, limit } => commands::audit_log(db, after, limit).await,
            },
            Command::History { what } => match what {
                HistoryCommand::Show { id } => commands::history_show(db, &id).await,
                HistoryCommand::Purge { older_than_days } => {
                    commands::history_purge(db, older_than_days).await
                }
            },

            Command::Match {
                list,
                registry,
                out,
                explain,
                match_probability,
                on_registry_share,
                unverifiable_year_floor,
                population,
            } => {
                commands::match_list(
                    db,
                    &list,
                    registry.as_deref(),
                    &out,
                    &explain,
                    libres_app::linkage::MatchOptions {
                        match_probability,
                        on_registry_share,
                        unverifiable_year_floor,
                        population,
                    },
                )
                .await
            }
            // Handled above, before the runtime starts.
            Command::Link { .. }
            | Command::Dedup { .. }
            | Command::GenNameTestset { .. }
            | Command::PostgresGrants { .. } => {
                anyhow::bail!("this command does not run on the async runtime")
            }
        }
    })
}
