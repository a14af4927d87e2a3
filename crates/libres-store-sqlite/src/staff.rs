//! Staff accounts, sessions, login throttling and the audit chain in
//! SQLite. Their statements are written once in [`libres_store::sql`];
//! this file runs them ([`Sql`]) and says how SQLite writes them
//! ([`DIALECT`]).
//!
//! Staff writes go through the one writer connection, as every write
//! does: SQLite has one writer at a time anyway. The audit head needs no
//! lock of its own here, since `BEGIN IMMEDIATE` already holds the
//! database's write lock.

use crate::{Sqlite, SqliteRead, SqliteWrite};
use async_trait::async_trait;
use libres_store::backend::{Backend, StaffSql};
use libres_store::sql::{Arg, Column, Dialect, Done, Failed, Placeholder, Sql, Statement, Value};
use libres_store::StoreResult;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteExecutor, SqlitePool};

/// `?N` placeholders; no row lock (`BEGIN IMMEDIATE` excludes every other
/// writer for the whole transaction).
const DIALECT: Dialect = Dialect {
    placeholder: Placeholder::Question,
    lock_row: "",
};

/// Runs one statement of [`libres_store::sql`] on `e`.
async fn run<'e>(e: impl SqliteExecutor<'e>, st: &Statement<'_>) -> Result<Done, Failed> {
    let mut q = sqlx::query(st.sql);
    for a in st.args {
        q = match *a {
            Arg::Int(v) => q.bind(v),
            Arg::Text(v) => q.bind(v),
            Arg::Bool(v) => q.bind(v),
        };
    }
    if st.columns.is_empty() {
        let changed = q.execute(e).await.map_err(failed)?.rows_affected();
        return Ok(Done {
            changed,
            rows: Vec::new(),
        });
    }
    let rows = q.fetch_all(e).await.map_err(failed)?;
    let rows = rows
        .iter()
        .map(|r| values(r, st.columns))
        .collect::<Result<_, _>>()
        .map_err(failed)?;
    Ok(Done { changed: 0, rows })
}

/// The columns of `r`, read as `columns` asks.
fn values(r: &SqliteRow, columns: &[Column]) -> Result<Vec<Value>, sqlx::Error> {
    let opt = |v: Option<Value>| v.unwrap_or(Value::Null);
    let mut out = Vec::with_capacity(columns.len());
    for (i, c) in columns.iter().enumerate() {
        out.push(match c {
            Column::Int => Value::Int(r.try_get(i)?),
            Column::OptInt => opt(r.try_get::<Option<i64>, _>(i)?.map(Value::Int)),
            Column::Text => Value::Text(r.try_get(i)?),
            Column::OptText => opt(r.try_get::<Option<String>, _>(i)?.map(Value::Text)),
            Column::Bool => Value::Bool(r.try_get(i)?),
        });
    }
    Ok(out)
}

fn failed(e: sqlx::Error) -> Failed {
    Failed {
        unique_violation: matches!(&e, sqlx::Error::Database(d) if d.is_unique_violation()),
        source: e.into(),
    }
}

#[async_trait]
impl Sql for SqliteWrite {
    const DIALECT: Dialect = DIALECT;

    async fn run(&mut self, st: &Statement<'_>) -> Result<Done, Failed> {
        run(&mut *self.tx, st).await
    }
}

#[async_trait]
impl Sql for SqliteRead {
    const DIALECT: Dialect = DIALECT;

    async fn run(&mut self, st: &Statement<'_>) -> Result<Done, Failed> {
        run(&mut *self.tx, st).await
    }
}

/// The pool of read-only connections, for the staff reads that need no
/// transaction.
pub struct SqliteReader(SqlitePool);

#[async_trait]
impl Sql for SqliteReader {
    const DIALECT: Dialect = DIALECT;

    async fn run(&mut self, st: &Statement<'_>) -> Result<Done, Failed> {
        run(&self.0, st).await
    }
}

#[async_trait]
impl StaffSql for Sqlite {
    type Reader = SqliteReader;

    async fn staff_write(&self) -> StoreResult<SqliteWrite> {
        self.write().await
    }

    fn reader(&self) -> SqliteReader {
        SqliteReader(self.reader.clone())
    }
}
