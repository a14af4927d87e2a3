//! `libres history …`: reading a person's history, and removing old
//! confidential values from it.

use crate::helpers::Env;

/// Makes the history entries of one person look `days` old, behind
/// libres's back.
fn age_history(env: &Env, db: &str, person: &str, days: u32) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&env.db(db)).await.unwrap();
        sqlx::query(
            "UPDATE person_history SET at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?1) \
             WHERE person_id = ?2",
        )
        .bind(format!("-{days} days"))
        .bind(person)
        .execute(&mut conn)
        .await
        .unwrap();
        conn.close().await.unwrap();
    });
}

fn show(env: &Env, db: &str, id: &str) -> String {
    env.run(&["history", "show", id, "--db", &env.db(db)])
        .ok()
        .stdout
}

#[test]
fn purging_history_removes_old_confidential_values_and_keeps_the_rest() {
    let env = Env::new();
    env.registry("h.db", 2);
    age_history(&env, "h.db", "CU-001", 400);
    let before = show(&env, "h.db", "CU-001");
    assert!(before.contains("nota ficticia 1"), "{before}");
    assert!(before.contains("Holguín"), "{before}");

    let run = env.run(&["history", "purge", "--db", &env.db("h.db")]).ok();
    assert!(
        run.stdout.contains("1 history entry older than 365 days"),
        "{}",
        run.stdout
    );
    let old = show(&env, "h.db", "CU-001");
    assert!(!old.contains("nota ficticia"), "{old}");
    assert!(!old.contains("(ficticio)"), "{old}");
    assert!(old.contains("\tprivate_notes\t-\t[removed]"), "{old}");
    assert!(old.contains("\tfamily_contact\t-\t[removed]"), "{old}");
    assert!(
        old.contains("Holguín"),
        "non-confidential values stay: {old}"
    );
    let recent = show(&env, "h.db", "CU-002");
    assert!(recent.contains("nota ficticia 2"), "{recent}");

    let again = env
        .run(&[
            "history",
            "purge",
            "--older-than-days",
            "30",
            "--db",
            &env.db("h.db"),
        ])
        .ok();
    assert!(
        again.stdout.starts_with("0 history entries"),
        "{}",
        again.stdout
    );
    let log = env
        .run(&["audit", "log", "--db", &env.db("h.db")])
        .ok()
        .stdout;
    assert_eq!(log.matches("history_purged").count(), 2, "{log}");
    env.run(&["audit", "verify", "--db", &env.db("h.db")]).ok();
}

#[test]
fn a_retention_period_under_one_day_is_refused() {
    let env = Env::new();
    env.registry("h.db", 1);
    for days in ["--older-than-days=0", "--older-than-days=-3"] {
        let run = env
            .run(&["history", "purge", days, "--db", &env.db("h.db")])
            .fails();
        assert!(run.stderr.contains("at least 1 day"), "{}", run.stderr);
    }
    let kept = show(&env, "h.db", "CU-001");
    assert!(kept.contains("nota ficticia 1"), "{kept}");
    let unknown = env
        .run(&["history", "show", "CU-404", "--db", &env.db("h.db")])
        .fails();
    assert!(
        unknown.stderr.contains("no history for CU-404"),
        "{}",
        unknown.stderr
    );
}
