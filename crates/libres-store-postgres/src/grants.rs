//! Least privilege: what the role that serves the site may do to each
//! table, as SQL for the database's owner to run.
//!
//! Two roles share a Libres database on PostgreSQL:
//!
//! - **The owner** owns the tables. It runs the migrations (the first
//!   start of each new version of Libres), `libres restore`, and
//!   `libres copy --to` into this database, which replace the whole
//!   registry and so delete history.
//! - **The application role** runs `libres serve` and the everyday
//!   commands (imports, `user`, `audit`). It owns nothing and may create
//!   nothing. It reads and writes rows, except where a row is evidence:
//!   the audit log and each person's history are append-only for it, so a
//!   stolen application password cannot rewrite the record of who changed
//!   what. (The audit head moves with every append, so the role updates
//!   it; rewinding it only makes `libres audit verify` fail.)
//!
//! [`grants_sql`] gives the statements; `libres postgres-grants ROLE`
//! prints them. Every table of the schema is listed in [`TABLE_GRANTS`]
//! and a test checks that none is missing, so a migration that adds a
//! table must say here what the application may do with it.

use libres_store::{StoreError, StoreResult};

/// Each table and the privileges the application role gets on it.
pub const TABLE_GRANTS: &[(&str, &str)] = &[
    ("persons", "SELECT, INSERT, UPDATE, DELETE"),
    ("detentions", "SELECT, INSERT, UPDATE, DELETE"),
    ("sources", "SELECT, INSERT, UPDATE, DELETE"),
    ("events", "SELECT, INSERT, UPDATE, DELETE"),
    ("event_sources", "SELECT, INSERT, UPDATE, DELETE"),
    ("announcements", "SELECT, INSERT, UPDATE, DELETE"),
    ("announcement_texts", "SELECT, INSERT, UPDATE, DELETE"),
    ("announcement_sources", "SELECT, INSERT, UPDATE, DELETE"),
    ("announcement_names", "SELECT, INSERT, UPDATE, DELETE"),
    ("statements", "SELECT, INSERT, UPDATE, DELETE"),
    ("statement_texts", "SELECT, INSERT, UPDATE, DELETE"),
    ("statement_addressees", "SELECT, INSERT, UPDATE, DELETE"),
    ("statement_persons", "SELECT, INSERT, UPDATE, DELETE"),
    ("statement_announcements", "SELECT, INSERT, UPDATE, DELETE"),
    ("signatures", "SELECT, INSERT, UPDATE, DELETE"),
    ("mail_outbox", "SELECT, INSERT, UPDATE, DELETE"),
    ("site_keys", "SELECT, INSERT, DELETE"),
    // What was changed, by whom and when: added to, never rewritten.
    ("person_history", "SELECT, INSERT"),
    ("registry_meta", "SELECT, INSERT, UPDATE"),
    ("schema_migrations", "SELECT"),
    ("users", "SELECT, INSERT, UPDATE"),
    ("setup_tokens", "SELECT, INSERT, UPDATE, DELETE"),
    ("recovery_codes", "SELECT, INSERT, UPDATE, DELETE"),
    ("sessions", "SELECT, INSERT, UPDATE, DELETE"),
    ("login_throttle", "SELECT, INSERT, UPDATE, DELETE"),
    // The hash chain: appended to, never edited or cut.
    ("audit_log", "SELECT, INSERT"),
    ("audit_head", "SELECT, UPDATE"),
];

/// Whether `role` is a name these statements can quote: letters, digits,
/// `_`, `-` and `.`, at most 63 bytes (PostgreSQL's limit).
fn valid_role(role: &str) -> bool {
    !role.is_empty()
        && role.len() <= 63
        && role
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// The statements that give `role` what the application needs on a
/// migrated database, and no more, as one transaction for `psql` or any
/// other client. Run them as the owner after the owner has migrated the
/// database (after each upgrade too: a new version may add tables).
///
/// They revoke first, so running them again, or on a role that was once
/// given more, leaves exactly these privileges.
pub fn grants_sql(role: &str) -> StoreResult<String> {
    if !valid_role(role) {
        return Err(StoreError::Invalid(format!(
            "`{role}` is not a role name these grants can use: use letters, digits, `_`, `-` \
             or `.`, at most 63 of them"
        )));
    }
    let r = format!("\"{role}\"");
    let mut sql = String::from(
        "-- Libres: the application role's privileges (least privilege).\n\
         -- Run as the database's owner, after migrating, and again after each upgrade.\n\
         BEGIN;\n",
    );
    sql.push_str(&format!(
        "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {r};\n\
         REVOKE CREATE ON SCHEMA public FROM {r};\n\
         GRANT USAGE ON SCHEMA public TO {r};\n"
    ));
    for (table, privileges) in TABLE_GRANTS {
        sql.push_str(&format!("GRANT {privileges} ON TABLE {table} TO {r};\n"));
    }
    sql.push_str(&format!(
        "-- New keys come from the tables' identity sequences.\n\
         GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {r};\n\
         COMMIT;\n"
    ));
    Ok(sql)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_audit_log_and_history_are_append_only() {
        let sql = grants_sql("libres_app").unwrap();
        assert!(sql.contains("GRANT SELECT, INSERT ON TABLE audit_log TO \"libres_app\";"));
        assert!(sql.contains("GRANT SELECT, INSERT ON TABLE person_history TO \"libres_app\";"));
        for line in sql.lines().filter(|l| l.contains("audit_log")) {
            assert!(
                !line.contains("UPDATE") && !line.contains("DELETE"),
                "{line}"
            );
        }
    }

    #[test]
    fn a_role_name_that_would_need_escaping_is_refused() {
        for bad in ["", "a\"; DROP TABLE persons; --", "x y", &"r".repeat(64)] {
            assert!(
                matches!(grants_sql(bad), Err(StoreError::Invalid(_))),
                "{bad}"
            );
        }
        assert!(grants_sql("libres-app.v2").is_ok());
    }
}
