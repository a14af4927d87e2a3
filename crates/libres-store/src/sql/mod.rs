//! Statements written once for every SQL backend: staff accounts,
//! sessions, login throttling (`staff.rs`), the audit chain
//! (`audit.rs`), and the one-row edits of the registry made by staff
//! (`edit.rs`: a detention, a source, an event, history retention).
//!
//! These are plain statements on small tables, the same in SQLite and
//! PostgreSQL but for a few pieces of dialect, so they live here as SQL
//! text and a backend supplies only:
//!
//! - [`Sql`]: run one statement with its arguments, and read its columns
//!   back as the values asked for ([`Column`]). The backend binds and
//!   decodes with its driver;
//! - [`Dialect`]: how a statement names its arguments (`?1` or `$1`), and
//!   what locks a row read inside a write transaction until it ends.
//!
//! The statements are written with `?N` placeholders; [`Dialect::sql`]
//! turns them into the backend's. They use nothing either database lacks:
//! multi-row `VALUES` rather than PostgreSQL's `UNNEST` or SQLite's
//! `json_each`, `IN (…)` lists of arguments, `RETURNING`, and
//! `ON CONFLICT … DO UPDATE`.
//!
//! The bulk writes and reads of the registry itself stay in each backend,
//! where each database has its fastest form (see [`crate::backend`]).

pub(crate) mod announcements;
pub(crate) mod audit;
pub(crate) mod edit;
pub(crate) mod staff;
pub(crate) mod statements;

use crate::{BoxError, StoreError, StoreResult};
use async_trait::async_trait;
use std::borrow::Cow;

/// How a statement names its `n`-th argument (from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placeholder {
    /// `?1`, `?2`, … (SQLite).
    Question,
    /// `$1`, `$2`, … (PostgreSQL).
    Dollar,
}

/// What differs between the SQL of two backends, for the statements of
/// this module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    /// How arguments are named.
    pub placeholder: Placeholder,
    /// Appended to a `SELECT` of one row inside a write transaction, so
    /// that the row stays locked until the transaction ends and writers of
    /// every process queue on it (`" FOR UPDATE"`). Empty for a database
    /// whose write transactions already exclude each other (SQLite's
    /// `BEGIN IMMEDIATE`).
    pub lock_row: &'static str,
    /// Whether a text argument compared with a stored time, or stored in
    /// a JSON column, must be cast to that type (PostgreSQL, whose
    /// arguments are typed). SQLite stores both as text: times as RFC 3339
    /// UTC with milliseconds, which order as text.
    pub cast_text: bool,
}

impl Dialect {
    /// `text`, written with `?N` placeholders, in this dialect. The
    /// statements of this module hold no `?` but their placeholders.
    pub fn sql<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match self.placeholder {
            Placeholder::Question => Cow::Borrowed(text),
            Placeholder::Dollar => {
                let mut out = String::with_capacity(text.len());
                let mut chars = text.chars().peekable();
                while let Some(c) = chars.next() {
                    let numbered = chars.peek().is_some_and(char::is_ascii_digit);
                    out.push(if c == '?' && numbered { '$' } else { c });
                }
                Cow::Owned(out)
            }
        }
    }

    /// The text argument `arg` (a placeholder such as `?2`) as a value of
    /// the SQL type `ty` (`timestamptz`, `json`), where the dialect needs
    /// the cast (see [`Dialect::cast_text`]).
    pub fn cast(&self, arg: &str, ty: &str) -> String {
        if self.cast_text {
            format!("CAST({arg} AS {ty})")
        } else {
            arg.to_owned()
        }
    }
}

/// A value bound to a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg<'a> {
    /// A 64-bit integer.
    Int(i64),
    /// Text.
    Text(&'a str),
    /// A boolean (SQLite stores it as 0 or 1).
    Bool(bool),
    /// A 64-bit integer or NULL.
    OptInt(Option<i64>),
    /// Text or NULL.
    OptText(Option<&'a str>),
    /// A list of text, stored as each backend stores its lists of codes
    /// (charges, conditions): joined by `|` in SQLite, `TEXT[]` in
    /// PostgreSQL.
    List(&'a [String]),
}

/// The type a column is read as. A column that may be NULL says so; a
/// NULL in any other column is the driver's error, as a type mismatch is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// A 64-bit integer.
    Int,
    /// A 64-bit integer or NULL.
    OptInt,
    /// Text.
    Text,
    /// Text or NULL.
    OptText,
    /// A boolean (from SQLite's 0 or 1).
    Bool,
    /// A list of text (see [`Arg::List`]).
    List,
}

/// A value read from a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// NULL, from an `Opt…` column.
    Null,
    /// An integer.
    Int(i64),
    /// Text.
    Text(String),
    /// A boolean.
    Bool(bool),
    /// A list of text.
    List(Vec<String>),
}

/// One statement for [`Sql::run`].
#[derive(Debug, Clone, Copy)]
pub struct Statement<'a> {
    /// Its text, in the backend's dialect.
    pub sql: &'a str,
    /// Its arguments: the `n`-th is placeholder `n`.
    pub args: &'a [Arg<'a>],
    /// The columns of the rows it returns, in order; empty for a statement
    /// whose rows are not read (then only the count of rows it changed is).
    pub columns: &'a [Column],
}

/// What a statement gave.
#[derive(Debug, Default)]
pub struct Done {
    /// The rows it changed (when `columns` was empty).
    pub changed: u64,
    /// The rows it returned, each with one value per column asked for.
    pub rows: Vec<Vec<Value>>,
}

/// Why a statement failed, as the driver said.
#[derive(Debug)]
pub struct Failed {
    /// Whether a unique constraint refused the row.
    pub unique_violation: bool,
    /// The driver's error.
    pub source: BoxError,
}

/// What a backend's connections and transactions provide for the
/// statements of this module: running one.
#[async_trait]
pub trait Sql: Send {
    /// The backend's dialect.
    const DIALECT: Dialect;

    /// Runs one statement, binding `args` in order and reading each row's
    /// `columns` in order.
    async fn run(&mut self, statement: &Statement<'_>) -> Result<Done, Failed>;
}

/// Runs `text` (with `?N` placeholders) on `s`; returns the rows changed.
pub(crate) async fn execute<S: Sql + ?Sized>(
    s: &mut S,
    text: &str,
    args: &[Arg<'_>],
    what: &'static str,
) -> StoreResult<u64> {
    let sql = S::DIALECT.sql(text);
    let st = Statement {
        sql: &sql,
        args,
        columns: &[],
    };
    let done = s.run(&st).await.map_err(|f| failed(what, f))?;
    Ok(done.changed)
}

/// Runs the query `text` (with `?N` placeholders) on `s`; returns its
/// rows, each read as `columns` says.
pub(crate) async fn fetch<S: Sql + ?Sized>(
    s: &mut S,
    text: &str,
    args: &[Arg<'_>],
    columns: &[Column],
    what: &'static str,
) -> StoreResult<Vec<Row>> {
    try_fetch(s, text, args, columns, what)
        .await
        .map_err(|f| failed(what, f))
}

/// [`fetch`], leaving the failure for the caller to tell apart.
pub(crate) async fn try_fetch<S: Sql + ?Sized>(
    s: &mut S,
    text: &str,
    args: &[Arg<'_>],
    columns: &[Column],
    what: &'static str,
) -> Result<Vec<Row>, Failed> {
    let sql = S::DIALECT.sql(text);
    let st = Statement {
        sql: &sql,
        args,
        columns,
    };
    let done = s.run(&st).await?;
    Ok(done
        .rows
        .into_iter()
        .map(|values| Row {
            values: values.into_iter(),
            what,
        })
        .collect())
}

/// The error of a step that failed.
pub(crate) fn failed(what: &'static str, f: Failed) -> StoreError {
    StoreError::database(what, f.source)
}

/// `?first, ?first+1, …`: `n` placeholders, numbered from `first`.
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The rows of a multi-row `VALUES`: `row(i)` for each of `n` rows.
pub(crate) fn rows(n: usize, row: impl Fn(usize) -> String) -> String {
    (0..n).map(row).collect::<Vec<_>>().join(", ")
}

/// A row read back, taken column by column in the order asked for.
pub(crate) struct Row {
    values: std::vec::IntoIter<Value>,
    what: &'static str,
}

impl Row {
    fn next(&mut self, want: &str) -> StoreResult<Value> {
        self.values.next().ok_or_else(|| self.mismatch(want))
    }

    /// What a backend that read a column as another type than asked for
    /// (or fewer columns) gives: its own fault, never a panic.
    fn mismatch(&self, want: &str) -> StoreError {
        StoreError::Other(format!(
            "{}: the backend did not read a column as {want}",
            self.what
        ))
    }

    pub fn int(&mut self) -> StoreResult<i64> {
        match self.next("an integer")? {
            Value::Int(v) => Ok(v),
            _ => Err(self.mismatch("an integer")),
        }
    }

    pub fn opt_int(&mut self) -> StoreResult<Option<i64>> {
        match self.next("an integer or NULL")? {
            Value::Int(v) => Ok(Some(v)),
            Value::Null => Ok(None),
            _ => Err(self.mismatch("an integer or NULL")),
        }
    }

    pub fn text(&mut self) -> StoreResult<String> {
        match self.next("text")? {
            Value::Text(v) => Ok(v),
            _ => Err(self.mismatch("text")),
        }
    }

    pub fn opt_text(&mut self) -> StoreResult<Option<String>> {
        match self.next("text or NULL")? {
            Value::Text(v) => Ok(Some(v)),
            Value::Null => Ok(None),
            _ => Err(self.mismatch("text or NULL")),
        }
    }

    pub fn bool(&mut self) -> StoreResult<bool> {
        match self.next("a boolean")? {
            Value::Bool(v) => Ok(v),
            _ => Err(self.mismatch("a boolean")),
        }
    }

    pub fn list(&mut self) -> StoreResult<Vec<String>> {
        match self.next("a list")? {
            Value::List(v) => Ok(v),
            _ => Err(self.mismatch("a list")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PG: Dialect = Dialect {
        placeholder: Placeholder::Dollar,
        lock_row: " FOR UPDATE",
        cast_text: true,
    };

    #[test]
    fn placeholders_are_renumbered_for_postgres_only() {
        let text = "UPDATE t SET a = ?2, b = ?12 WHERE id = ?1 AND c = '?'";
        assert_eq!(
            PG.sql(text),
            "UPDATE t SET a = $2, b = $12 WHERE id = $1 AND c = '?'"
        );
        let sqlite = Dialect {
            placeholder: Placeholder::Question,
            lock_row: "",
            cast_text: false,
        };
        assert_eq!(sqlite.cast("?1", "json"), "?1");
        assert_eq!(PG.cast("?1", "json"), "CAST(?1 AS json)");
        assert!(matches!(sqlite.sql(text), Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn lists_number_every_placeholder() {
        assert_eq!(placeholders(3, 2), "?3, ?4");
        assert_eq!(placeholders(1, 0), "");
        let two = rows(2, |i| format!("({})", placeholders(1 + 2 * i, 2)));
        assert_eq!(two, "(?1, ?2), (?3, ?4)");
    }

    /// A backend that records what it is asked to run, in PostgreSQL's
    /// dialect, and answers each query with `answer`.
    #[derive(Default)]
    struct Recorder {
        ran: Vec<(String, Vec<String>)>,
        answer: Vec<Vec<Value>>,
    }

    #[async_trait]
    impl Sql for Recorder {
        const DIALECT: Dialect = PG;

        async fn run(&mut self, st: &Statement<'_>) -> Result<Done, Failed> {
            let args = st.args.iter().map(|a| format!("{a:?}")).collect();
            self.ran.push((st.sql.to_owned(), args));
            Ok(Done {
                changed: 1,
                rows: if st.columns.is_empty() {
                    Vec::new()
                } else {
                    self.answer.clone()
                },
            })
        }
    }

    fn entry(seq: i64) -> crate::AuditEntry {
        crate::AuditEntry {
            seq,
            at: "2026-01-01T00:00:00Z".into(),
            actor: "cli".into(),
            action: "login".into(),
            target: "registry".into(),
            details: "{}".into(),
            hash: format!("h{seq}"),
        }
    }

    #[tokio::test]
    async fn audit_entries_are_appended_in_chunks_then_the_head_moves() {
        let mut db = Recorder::default();
        let entries: Vec<_> = (1..=1001).map(entry).collect();
        audit::append(&mut db, &entries).await.unwrap();
        assert_eq!(db.ran.len(), 3, "two inserts and the head");
        let (first, args) = &db.ran[0];
        assert_eq!(args.len(), 7000);
        assert!(first.contains("VALUES ($1, $2, $3, $4, $5, $6, $7), ($8,"));
        assert!(first.ends_with("$6994, $6995, $6996, $6997, $6998, $6999, $7000)"));
        let (second, args) = &db.ran[1];
        assert!(second.ends_with("VALUES ($1, $2, $3, $4, $5, $6, $7)"));
        assert_eq!(args[0], "Int(1001)");
        let (head, args) = &db.ran[2];
        assert_eq!(
            head,
            "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1"
        );
        assert_eq!(args, &["Int(1001)", "Text(\"h1001\")"]);
    }

    #[tokio::test]
    async fn nothing_to_append_runs_nothing() {
        let mut db = Recorder::default();
        audit::append(&mut db, &[]).await.unwrap();
        assert!(db.ran.is_empty());
    }

    #[tokio::test]
    async fn only_a_locking_read_of_the_head_locks_it() {
        let mut db = Recorder {
            answer: vec![vec![Value::Int(3), Value::Text("h3".into())]],
            ..Recorder::default()
        };
        assert_eq!(audit::head(&mut db, true).await.unwrap(), (3, "h3".into()));
        assert_eq!(audit::head(&mut db, false).await.unwrap(), (3, "h3".into()));
        assert!(db.ran[0].0.ends_with("WHERE id = 1 FOR UPDATE"));
        assert!(db.ran[1].0.ends_with("WHERE id = 1"));
        db.answer.clear();
        let missing = audit::head(&mut db, false).await.unwrap_err();
        assert!(matches!(missing, StoreError::Corrupt { .. }), "{missing}");
    }

    #[tokio::test]
    async fn throttle_rows_are_asked_for_by_a_list_of_keys() {
        let mut db = Recorder::default();
        let keys = ["a".to_owned(), "b".to_owned()];
        staff::throttle(&mut db, &keys).await.unwrap();
        staff::throttle(&mut db, &[]).await.unwrap();
        assert_eq!(db.ran.len(), 1, "no statement for no key");
        assert!(db.ran[0].0.ends_with("WHERE key IN ($1, $2)"));
    }

    #[test]
    fn a_column_read_as_another_type_is_an_error() {
        let mut row = Row {
            values: vec![Value::Text("x".into()), Value::Null].into_iter(),
            what: "reading",
        };
        assert!(row.int().is_err());
        assert_eq!(row.opt_text().unwrap(), None);
        assert!(row.text().is_err(), "no column left");
    }
}
