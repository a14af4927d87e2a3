//! Staff accounts, sessions, login throttling and the audit chain in
//! PostgreSQL. Their statements are written once in
//! [`libres_store::sql`]; this file runs them ([`Sql`]) and says how
//! PostgreSQL writes them ([`DIALECT`]).
//!
//! Staff writes do not take the registry's write lock: a login or a
//! session's use must not wait for an import of another instance to
//! finish. Appends to the audit chain queue on its head row instead
//! (`SELECT … FOR UPDATE`), taken after the registry lock by registry
//! writes, so the two locks are always taken in the same order.

use crate::read::PgRead;
use crate::{db, Pg, PgWrite};
use async_trait::async_trait;
use libres_store::backend::StaffSql;
use libres_store::sql::{Arg, Column, Dialect, Done, Failed, Placeholder, Sql, Statement, Value};
use libres_store::StoreResult;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::{Arguments, PgExecutor, PgPool, Row};

/// `$N` placeholders; the audit head is read `FOR UPDATE` by appends, so
/// that writers of every instance queue on it.
const DIALECT: Dialect = Dialect {
    placeholder: Placeholder::Dollar,
    lock_row: " FOR UPDATE",
};

/// Runs one statement of [`libres_store::sql`] on `e`. Each argument is
/// sent with its type (`int8`, `text`, `bool`), so the server never has
/// to guess one.
async fn run<'e>(e: impl PgExecutor<'e>, st: &Statement<'_>) -> Result<Done, Failed> {
    let mut args = PgArguments::default();
    for a in st.args {
        let added = match *a {
            Arg::Int(v) => args.add(v),
            Arg::Text(v) => args.add(v),
            Arg::Bool(v) => args.add(v),
        };
        added.map_err(|source| Failed {
            unique_violation: false,
            source,
        })?;
    }
    let q = sqlx::query_with(st.sql, args);
    if st.columns.is_empty() {
        let done = q.execute(e).await.map_err(failed)?;
        return Ok(Done {
            changed: done.rows_affected(),
            rows: Vec::new(),
        });
    }
    let rows = q.fetch_all(e).await.map_err(failed)?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push(row(r, st.columns).map_err(failed)?);
    }
    Ok(Done {
        changed: 0,
        rows: out,
    })
}

/// One row's columns, each decoded as asked.
fn row(r: &PgRow, columns: &[Column]) -> Result<Vec<Value>, sqlx::Error> {
    columns
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            Ok(match kind {
                Column::Int => Value::Int(r.try_get::<i64, _>(i)?),
                Column::Text => Value::Text(r.try_get::<String, _>(i)?),
                Column::Bool => Value::Bool(r.try_get::<bool, _>(i)?),
                Column::OptInt => r
                    .try_get::<Option<i64>, _>(i)?
                    .map_or(Value::Null, Value::Int),
                Column::OptText => r
                    .try_get::<Option<String>, _>(i)?
                    .map_or(Value::Null, Value::Text),
            })
        })
        .collect()
}

/// A failure, telling a refused duplicate apart.
fn failed(e: sqlx::Error) -> Failed {
    let unique_violation = e
        .as_database_error()
        .is_some_and(|d| d.is_unique_violation());
    Failed {
        unique_violation,
        source: Box::new(e),
    }
}

#[async_trait]
impl Sql for PgWrite {
    const DIALECT: Dialect = DIALECT;
    async fn run(&mut self, st: &Statement<'_>) -> Result<Done, Failed> {
        run(&mut *self.tx, st).await
    }
}

#[async_trait]
impl Sql for PgRead {
    const DIALECT: Dialect = DIALECT;
    async fn run(&mut self, st: &Statement<'_>) -> Result<Done, Failed> {
        run(&mut *self.tx, st).await
    }
}

/// The pool, for the staff reads that need no transaction: each runs on
/// whichever connection is free.
pub struct PgReader(PgPool);

#[async_trait]
impl Sql for PgReader {
    const DIALECT: Dialect = DIALECT;
    async fn run(&mut self, st: &Statement<'_>) -> Result<Done, Failed> {
        run(&self.0, st).await
    }
}

#[async_trait]
impl StaffSql for Pg {
    type Reader = PgReader;

    /// A plain transaction, without the registry's lock.
    async fn staff_write(&self) -> StoreResult<PgWrite> {
        let tx = self
            .pool
            .begin()
            .await
            .map_err(db("starting a write transaction"))?;
        Ok(PgWrite::new(tx))
    }

    fn reader(&self) -> PgReader {
        PgReader(self.pool.clone())
    }
}
