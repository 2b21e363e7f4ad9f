use fairhall_domain::file::FileKind;

use crate::{Result, Store};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FileRow {
    pub id: i64,
    pub storage_key: String,
    #[sqlx(try_from = "String")]
    pub kind: FileKind,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub original_name: String,
    pub owner_user_id: i64,
    pub created_at: i64,
}

const COLUMNS: &str =
    "id, storage_key, kind, content_type, size, sha256, original_name, owner_user_id, created_at";

impl Store {
    pub async fn insert_file(&self, f: &FileRow) -> Result<i64> {
        let id = sqlx::query_scalar(
            "INSERT INTO files (storage_key, kind, content_type, size, sha256, original_name, \
             owner_user_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&f.storage_key)
        .bind(f.kind.as_str())
        .bind(&f.content_type)
        .bind(f.size)
        .bind(&f.sha256)
        .bind(&f.original_name)
        .bind(f.owner_user_id)
        .bind(f.created_at)
        .fetch_one(self.pool())
        .await?;
        Ok(id)
    }

    pub async fn file_by_key(&self, key: &str) -> Result<Option<FileRow>> {
        let row = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM files WHERE storage_key = $1"
        )))
        .bind(key)
        .fetch_optional(self.pool())
        .await?;
        Ok(row)
    }
}
