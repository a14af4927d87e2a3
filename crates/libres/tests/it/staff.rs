//! `libres user …` and `libres audit …`.

use crate::helpers::Env;

/// Runs one statement on an SQLite database behind libres's back.
fn tamper(env: &Env, db: &str, sql: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&env.db(db)).await.unwrap();
        sqlx::query(sql).execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
    });
}

#[test]
fn adding_a_user_prints_a_one_time_setup_link_and_list_shows_the_account() {
    let env = Env::new();
    let db = env.db("s.db");
    let run = env
        .run(&[
            "user",
            "add",
            "Ana@Example.org",
            "--role",
            "editor",
            "--db",
            &db,
            "--base-url",
            "https://libres.example.org/",
        ])
        .ok();
    let link = run.stdout.trim();
    let token = link
        .strip_prefix("https://libres.example.org/staff/setup/")
        .unwrap_or_else(|| panic!("{link}"));
    assert_eq!(token.len(), 64, "{link}");
    assert!(run.stderr.contains("works once"), "{}", run.stderr);
    let again = env
        .run(&[
            "user",
            "add",
            "ana@example.org",
            "--role",
            "admin",
            "--db",
            &db,
        ])
        .fails();
    assert!(
        again.stderr.contains("already an account"),
        "{}",
        again.stderr
    );
    let bad = env.run(&[
        "user",
        "add",
        "bob@example.org",
        "--role",
        "root",
        "--db",
        &db,
    ]);
    assert_ne!(bad.code, Some(0));
    env.run(&["user", "role", "ana@example.org", "admin", "--db", &db])
        .ok();
    let list = env.run(&["user", "list", "--db", &db]).ok();
    assert!(
        list.stdout
            .starts_with("ana@example.org\tadmin\tsetup pending\t"),
        "{}",
        list.stdout
    );
    env.run(&["user", "disable", "ana@example.org", "--db", &db])
        .ok();
    let list = env.run(&["user", "list", "--db", &db]).ok();
    assert!(list.stdout.contains("\tdisabled\t"), "{}", list.stdout);
    env.run(&["user", "disable", "nobody@example.org", "--db", &db])
        .fails();
}

#[test]
fn audit_verify_names_the_first_altered_or_deleted_entry() {
    let env = Env::new();
    env.seed("a.db", 20);
    let db = env.db("a.db");
    env.run(&[
        "user",
        "add",
        "ana@example.org",
        "--role",
        "viewer",
        "--db",
        &db,
    ])
    .ok();
    env.export_csv("a.db");
    let log = env.run(&["audit", "log", "--db", &db]).ok();
    let actions: Vec<&str> = log
        .stdout
        .lines()
        .map(|l| l.split('\t').nth(3).unwrap())
        .collect();
    let n = actions.len();
    assert_eq!(
        actions[..5],
        [
            "registry_marked_synthetic",
            "announcement_added",
            "announcement_added",
            "announcement_added",
            "cases_inserted",
        ]
    );
    // The demo statements, their moderation and registry links.
    assert!(
        actions[5..n - 2]
            .iter()
            .all(|a| a.starts_with("statement_") || a.starts_with("signature")),
        "{actions:?}"
    );
    assert_eq!(actions[n - 2..], ["user_added", "persons_exported"]);
    let intact = env.run(&["audit", "verify", "--db", &db]).ok();
    assert!(
        intact.stdout.contains(&format!("intact: {n} entries")),
        "{}",
        intact.stdout
    );
    let head = intact
        .stdout
        .split("--anchor ")
        .nth(1)
        .unwrap()
        .trim_end_matches(").\n")
        .to_owned();
    env.run(&["audit", "verify", "--anchor", &head, "--db", &db])
        .ok();

    // The user's addition: the last entry but one.
    let added = n - 1;
    tamper(
        &env,
        "a.db",
        &format!("UPDATE audit_log SET target = 'someone' WHERE seq = {added}"),
    );
    let altered = env.run(&["audit", "verify", "--db", &db]).fails();
    assert!(
        altered.stderr.contains(&format!("broken at entry {added}")),
        "{}",
        altered.stderr
    );
    tamper(
        &env,
        "a.db",
        &format!("UPDATE audit_log SET target = 'ana@example.org' WHERE seq = {added}"),
    );
    env.run(&["audit", "verify", "--db", &db]).ok();
    tamper(&env, "a.db", "DELETE FROM audit_log WHERE seq = 2");
    let deleted = env.run(&["audit", "verify", "--db", &db]).fails();
    assert!(
        deleted
            .stderr
            .contains("broken at entry 2: entry 2 is missing"),
        "{}",
        deleted.stderr
    );
}

#[test]
fn postgres_grants_prints_the_application_roles_privileges_or_refuses_a_bad_name() {
    let env = Env::new();
    let run = env.run(&["postgres-grants", "libres_app"]).ok();
    assert!(run.stdout.starts_with("-- Libres"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("GRANT SELECT, INSERT ON TABLE audit_log TO \"libres_app\";"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.trim_end().ends_with("COMMIT;"), "{}", run.stdout);
    let bad = env
        .run(&["postgres-grants", "app\"; DROP TABLE persons; --"])
        .fails();
    assert!(bad.stdout.is_empty(), "{}", bad.stdout);
    assert!(bad.stderr.contains("not a role name"), "{}", bad.stderr);
}
