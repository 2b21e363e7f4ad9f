//! Bulk inserts for seeding a fair at load-test size (1 000 employers, 50 000 students): many
//! rows per statement, many statements per transaction, instead of one request per row.

use sqlx::AssertSqlSafe;

use crate::{Result, Store};

/// One value of a bulk row. Only the types the schema uses (see the crate docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Int(i64),
    Text(String),
    Null,
}

impl From<i64> for Cell {
    fn from(v: i64) -> Self {
        Cell::Int(v)
    }
}

impl From<&str> for Cell {
    fn from(v: &str) -> Self {
        Cell::Text(v.to_owned())
    }
}

impl From<String> for Cell {
    fn from(v: String) -> Self {
        Cell::Text(v)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Self {
        v.map_or(Cell::Null, Into::into)
    }
}

/// Placeholders per statement: well under SQLite's 32 766 and PostgreSQL's 65 535.
const MAX_PARAMS: usize = 8_000;

/// `INSERT INTO table (columns) VALUES ($1, …), (…), …` for a chunk of rows.
fn insert_sql(table: &str, columns: &[&str], rows: usize, returning: Option<&str>) -> String {
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    let mut n = 0;
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..columns.len() {
            if c > 0 {
                sql.push_str(", ");
            }
            n += 1;
            sql.push_str(&format!("${n}"));
        }
        sql.push(')');
    }
    if let Some(col) = returning {
        sql.push_str(&format!(" RETURNING {col}"));
    }
    sql
}

fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    rows: &'q [Vec<Cell>],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    for cell in rows.iter().flatten() {
        q = match cell {
            Cell::Int(v) => q.bind(*v),
            Cell::Text(v) => q.bind(v.as_str()),
            Cell::Null => q.bind(Option::<i64>::None),
        };
    }
    q
}

impl Store {
    /// Inserts every row in one transaction, in statements of many rows each. Table and column
    /// names come from the caller's code, never from input.
    pub async fn bulk_insert(
        &self,
        table: &str,
        columns: &[&str],
        rows: &[Vec<Cell>],
    ) -> Result<u64> {
        let per = (MAX_PARAMS / columns.len().max(1)).max(1);
        let mut tx = self.pool().begin().await?;
        let mut done = 0;
        for chunk in rows.chunks(per) {
            let sql = insert_sql(table, columns, chunk.len(), None);
            let q = bind_all(sqlx::query(AssertSqlSafe(sql)), chunk);
            done += q.execute(&mut *tx).await?.rows_affected();
        }
        tx.commit().await?;
        self.cache().changed_all();
        Ok(done)
    }

    /// Like `bulk_insert`, answering the new rows' ids in the order of `rows`. Rows are sent in
    /// statements of many rows; the ids are matched back through `key` (a unique text column
    /// the caller filled, e.g. an e-mail address), not through the order `RETURNING` happens
    /// to give.
    pub async fn bulk_insert_ids(
        &self,
        table: &str,
        columns: &[&str],
        key: &str,
        rows: &[Vec<Cell>],
    ) -> Result<Vec<i64>> {
        let key_at = columns
            .iter()
            .position(|c| *c == key)
            .ok_or_else(|| crate::StoreError::Other(format!("{key} is not among the columns")))?;
        let per = (MAX_PARAMS / columns.len().max(1)).max(1);
        let mut ids = std::collections::HashMap::with_capacity(rows.len());
        let mut tx = self.pool().begin().await?;
        for chunk in rows.chunks(per) {
            let sql = insert_sql(table, columns, chunk.len(), Some(&format!("id, {key}")));
            let q = bind_all(sqlx::query(AssertSqlSafe(sql)), chunk);
            for row in q.fetch_all(&mut *tx).await? {
                use sqlx::Row;
                let id: i64 = row.try_get(0)?;
                let k: String = row.try_get(1)?;
                ids.insert(k, id);
            }
        }
        tx.commit().await?;
        self.cache().changed_all();
        rows.iter()
            .map(|r| match &r[key_at] {
                Cell::Text(k) => ids
                    .get(k)
                    .copied()
                    .ok_or_else(|| crate::StoreError::Other(format!("no id came back for {k}"))),
                _ => Err(crate::StoreError::Other(format!("{key} must be text"))),
            })
            .collect()
    }
}

impl Store {
    /// The highest student phone number starting with `prefix` (seeded numbers continue after it).
    pub async fn max_student_phone_with_prefix(&self, prefix: &str) -> Result<Option<String>> {
        let max: Option<String> = sqlx::query_scalar(
            "SELECT MAX(phone) FROM users WHERE role = 'student' AND phone LIKE $1",
        )
        .bind(format!("{prefix}%"))
        .fetch_one(self.pool())
        .await?;
        Ok(max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_number_placeholders_across_rows() {
        assert_eq!(
            insert_sql("t", &["a", "b"], 2, Some("id")),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4) RETURNING id"
        );
    }
}
