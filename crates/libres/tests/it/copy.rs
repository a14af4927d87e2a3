//! `libres copy`: a whole registry between any two backends, in one
//! transaction on the target.

use crate::helpers::{Env, HEADER};
use libres_store::RegistryDump;
use libres_store_postgres::testing::{TestDatabase, TEST_URL_ENV};
use std::io::Write;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// The whole registry of an SQLite database, keys aside.
fn dump_sqlite(env: &Env, db: &str) -> RegistryDump {
    runtime().block_on(async {
        let store = libres_store_sqlite::open(&env.db(db)).await.unwrap();
        let dump = RegistryDump::read(&store).await.unwrap().without_keys();
        store.close().await;
        dump
    })
}

/// A registry with history of every kind: created by an import, updated by
/// a second one.
fn registry_with_history(env: &Env, db: &str, n: u32) {
    env.registry(db, n);
    let mut text = format!("{HEADER}\n");
    for i in (1..=n).step_by(2) {
        text.push_str(&format!(
            "CU-{i:03},Ana María,Pérez,\"García, \"\"la\"\"\",1980,F,CU,CU,Matanzas,,\
             nota cambiada {i},,yes\n"
        ));
    }
    let file = env.write(&format!("{db}.update.csv"), text);
    env.import(db, &file).ok();
}

#[test]
fn a_copy_between_sqlite_files_keeps_everything() {
    let env = Env::new();
    env.seed("a.db", 300);
    let run = env
        .run(&["copy", "--from", &env.db("a.db"), "--to", &env.db("b.db")])
        .ok();
    assert!(
        run.stderr.contains("Copied 300 persons"),
        "progress and counts go to stderr: {}",
        run.stderr
    );
    assert_eq!(env.export_csv("b.db"), env.export_csv("a.db"));
    let (a, b) = (dump_sqlite(&env, "a.db"), dump_sqlite(&env, "b.db"));
    assert!(a.synthetic, "the demo registry is synthetic");
    assert_eq!(a.counts().persons, 300);
    assert!(a.counts().events > 300 && a.counts().sources > 0);
    assert_eq!(a, b);
}

#[test]
fn a_target_that_is_not_empty_is_refused_unless_replace() {
    let env = Env::new();
    registry_with_history(&env, "a.db", 7);
    env.registry("b.db", 2);
    let before = dump_sqlite(&env, "b.db");
    let b_export = env.export_csv("b.db");
    let run = env
        .run(&["copy", "--from", &env.db("a.db"), "--to", &env.db("b.db")])
        .fails();
    assert!(
        run.stderr.contains("already holds a registry"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--replace"), "{}", run.stderr);
    assert_eq!(env.export_csv("b.db"), b_export);
    assert_eq!(dump_sqlite(&env, "b.db"), before, "history and all");
    env.run(&[
        "copy",
        "--from",
        &env.db("a.db"),
        "--to",
        &env.db("b.db"),
        "--replace",
    ])
    .ok();
    assert_eq!(env.export_csv("b.db"), env.export_csv("a.db"));
    assert_eq!(dump_sqlite(&env, "b.db"), dump_sqlite(&env, "a.db"));
}

#[test]
fn a_database_is_never_copied_onto_itself() {
    let env = Env::new();
    env.registry("a.db", 3);
    let export = env.export_csv("a.db");
    let other_spelling = format!(
        "sqlite:{}/../{}/a.db",
        env.path("").display(),
        env.path("").file_name().unwrap().to_str().unwrap()
    );
    for to in [env.db("a.db"), "sqlite:a.db".into(), other_spelling] {
        let run = env
            .run(&["copy", "--from", &env.db("a.db"), "--to", &to, "--replace"])
            .fails();
        assert!(run.stderr.contains("onto itself"), "{to}: {}", run.stderr);
    }
    let run = env
        .run(&[
            "copy",
            "--from",
            "postgres://u:s3cr3t@db.example:5432/registry",
            "--to",
            "postgres://other@db.example/registry",
        ])
        .fails();
    assert!(run.stderr.contains("onto itself"), "{}", run.stderr);
    assert!(!run.stderr.contains("s3cr3t"), "{}", run.stderr);
    assert_eq!(env.export_csv("a.db"), export);
}

#[test]
fn a_copy_that_fails_leaves_no_new_file_behind() {
    let env = Env::new();
    let run = env
        .run(&[
            "copy",
            "--from",
            &env.db("missing.db"),
            "--to",
            &env.db("b.db"),
        ])
        .fails();
    assert!(
        run.stderr.contains("there is no database"),
        "{}",
        run.stderr
    );
    assert!(!env.path("missing.db").exists());
    assert!(!env.path("b.db").exists());
    // The source is read first; an unreachable server is named, its
    // password never.
    env.registry("a.db", 2);
    let run = env
        .run(&[
            "copy",
            "--from",
            &env.db("a.db"),
            "--to",
            "postgres://libres:s3cr3t@127.0.0.1:1/registry",
        ])
        .fails();
    assert!(
        run.stderr.contains("cannot reach PostgreSQL"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("s3cr3t"), "{}", run.stderr);
    let run = env
        .run(&["copy", "--from", "nonsense", "--to", &env.db("b.db")])
        .fails();
    assert!(run.stderr.contains("sqlite:PATH"), "{}", run.stderr);
    assert!(!env.path("b.db").exists());
}

#[test]
fn a_database_of_a_newer_schema_is_refused_on_either_side() {
    let env = Env::new();
    env.registry("new.db", 2);
    env.registry("old.db", 2);
    runtime().block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&env.db("new.db"))
            .await
            .unwrap();
        sqlx::query("INSERT INTO schema_migrations (version, name) VALUES (999, 'future')")
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
    });
    let old_export = env.export_csv("old.db");
    for (from, to) in [("new.db", "b.db"), ("old.db", "new.db")] {
        let run = env
            .run(&[
                "copy",
                "--from",
                &env.db(from),
                "--to",
                &env.db(to),
                "--replace",
            ])
            .fails();
        assert!(run.stderr.contains("schema version 999"), "{}", run.stderr);
        assert!(run.stderr.contains("upgrade libres"), "{}", run.stderr);
    }
    assert!(!env.path("b.db").exists());
    assert_eq!(env.export_csv("old.db"), old_export);
}

/// A fresh PostgreSQL database, or `None` (said loudly) without one.
fn postgres(test: &str) -> Option<TestDatabase> {
    let db = runtime().block_on(TestDatabase::from_env()).unwrap();
    if db.is_none() {
        let _ = writeln!(
            std::io::stderr(),
            "*** SKIPPED copy::{test}: {TEST_URL_ENV} is not set (see the README, \"Test it\")"
        );
    }
    db
}

#[test]
fn sqlite_to_postgres_to_sqlite_gives_identical_exports_and_history() {
    let Some(pg) = postgres("sqlite_to_postgres_to_sqlite_gives_identical_exports_and_history")
    else {
        return;
    };
    let env = Env::new();
    registry_with_history(&env, "a.db", 40);
    env.run(&["copy", "--from", &env.db("a.db"), "--to", pg.url()])
        .ok();
    env.run(&["copy", "--from", pg.url(), "--to", &env.db("b.db")])
        .ok();
    let a_csv = env.export_csv("a.db");
    assert_eq!(a_csv.lines().count(), 41);
    let pg_csv = env
        .run(&["export", "persons", "--format", "csv", "--db", pg.url()])
        .ok()
        .stdout;
    assert_eq!(pg_csv, a_csv);
    assert_eq!(env.export_csv("b.db"), a_csv);
    let (a, b) = (dump_sqlite(&env, "a.db"), dump_sqlite(&env, "b.db"));
    assert_eq!(a.counts().history, 60, "40 created, 20 updated");
    assert_eq!(b, a, "history, timestamps and all");
    // A second copy into the now full database needs --replace.
    env.seed("demo.db", 50);
    let run = env
        .run(&["copy", "--from", &env.db("demo.db"), "--to", pg.url()])
        .fails();
    assert!(
        run.stderr.contains("already holds a registry"),
        "{}",
        run.stderr
    );
    env.run(&[
        "copy",
        "--from",
        &env.db("demo.db"),
        "--to",
        pg.url(),
        "--replace",
    ])
    .ok();
    let pg_csv = env
        .run(&["export", "persons", "--format", "csv", "--db", pg.url()])
        .ok()
        .stdout;
    assert_eq!(pg_csv, env.export_csv("demo.db"));
}

#[test]
fn a_copy_killed_halfway_leaves_the_target_as_it_was() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let env = Env::new();
    env.seed("a.db", 20_000);
    env.registry("b.db", 3);
    let old = env.export_csv("b.db");
    let mut child = env
        .command()
        .args([
            "copy",
            "--from",
            &env.db("a.db"),
            "--to",
            &env.db("b.db"),
            "--replace",
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    // The source is open; the one write transaction starts now and
    // streams the registry across.
    let read = lines.next().unwrap().unwrap();
    assert!(read.starts_with("Copying "), "{read}");
    std::thread::sleep(std::time::Duration::from_millis(150));
    let still_running = child.try_wait().unwrap().is_none();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        still_running,
        "the copy ended before it could be interrupted"
    );
    let after = env.export_csv("b.db");
    if after != old {
        // Killed in the instant after the commit: then the copy is whole.
        assert_eq!(after, env.export_csv("a.db"), "a half-written copy");
    }
    // Either way the target is a sound registry that a new copy can replace.
    env.run(&[
        "copy",
        "--from",
        &env.db("a.db"),
        "--to",
        &env.db("b.db"),
        "--replace",
    ])
    .ok();
    assert_eq!(env.export_csv("b.db"), env.export_csv("a.db"));
}
