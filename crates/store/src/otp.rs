use fairhall_domain::otp::OtpState;

use crate::{Result, Store};

/// The newest code sent to a phone, with its hash for comparison.
#[derive(Debug, Clone)]
pub struct StoredCode {
    pub id: i64,
    pub code_hash: String,
    pub state: OtpState,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    code_hash: String,
    created_at: i64,
    used: i64,
    attempts: i64,
}

impl Store {
    pub async fn otp_newest(&self, phone: &str) -> Result<Option<StoredCode>> {
        let row: Option<Row> = sqlx::query_as(
            "SELECT id, code_hash, created_at, used, attempts FROM otp_codes \
             WHERE phone = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(phone)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|r| StoredCode {
            id: r.id,
            code_hash: r.code_hash,
            state: OtpState {
                created_at: r.created_at,
                used: r.used != 0,
                attempts: r.attempts,
            },
        }))
    }

    pub async fn otp_insert(&self, phone: &str, code_hash: &str, now: i64) -> Result<i64> {
        let id = sqlx::query_scalar(
            "INSERT INTO otp_codes (phone, code_hash, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(phone)
        .bind(code_hash)
        .bind(now)
        .fetch_one(self.pool())
        .await?;
        Ok(id)
    }

    pub async fn otp_count_since(&self, phone: &str, since: i64) -> Result<i64> {
        let n = sqlx::query_scalar(
            "SELECT COUNT(*) FROM otp_codes WHERE phone = $1 AND created_at >= $2",
        )
        .bind(phone)
        .bind(since)
        .fetch_one(self.pool())
        .await?;
        Ok(n)
    }

    pub async fn otp_count_attempt(&self, id: i64) -> Result<()> {
        sqlx::query("UPDATE otp_codes SET attempts = attempts + 1 WHERE id = $1")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Marks the code used. Returns false if someone else used it first, so a code can never
    /// sign in twice even when two requests race.
    pub async fn otp_consume(&self, id: i64) -> Result<bool> {
        let done = sqlx::query("UPDATE otp_codes SET used = 1 WHERE id = $1 AND used = 0")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() == 1)
    }
}
