use fairhall_domain::account::Role;

use sqlx::AssertSqlSafe;

use crate::cache::Area;
use crate::{Result, Store};

/// A row of `users`, as the application layer sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub role: Role,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub display_name: String,
    pub organizer_id: Option<i64>,
    pub employer_id: Option<i64>,
    pub created_at: i64,
}

/// The user together with the stored password hash, for sign-in only.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: Option<String>,
}

pub struct NewUser<'a> {
    pub role: Role,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub password_hash: Option<&'a str>,
    pub display_name: &'a str,
    pub organizer_id: Option<i64>,
    pub employer_id: Option<i64>,
    pub now: i64,
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    #[sqlx(try_from = "String")]
    role: Role,
    email: Option<String>,
    phone: Option<String>,
    password_hash: Option<String>,
    display_name: String,
    organizer_id: Option<i64>,
    employer_id: Option<i64>,
    created_at: i64,
}

impl UserRow {
    fn into_credentials(self) -> Result<Credentials> {
        let role = self.role;
        Ok(Credentials {
            password_hash: self.password_hash,
            user: User {
                id: self.id,
                role,
                email: self.email,
                phone: self.phone,
                display_name: self.display_name,
                organizer_id: self.organizer_id,
                employer_id: self.employer_id,
                created_at: self.created_at,
            },
        })
    }
}

const COLUMNS: &str = "id, role, email, phone, password_hash, display_name, organizer_id, \
                       employer_id, created_at";

impl Store {
    #[tracing::instrument(skip_all, fields(role = new.role.as_str()))]
    pub async fn insert_user(&self, new: &NewUser<'_>) -> Result<i64> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (role, email, phone, password_hash, display_name, organizer_id, \
             employer_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(new.role.as_str())
        .bind(new.email)
        .bind(new.phone)
        .bind(new.password_hash)
        .bind(new.display_name)
        .bind(new.organizer_id)
        .bind(new.employer_id)
        .bind(new.now)
        .fetch_one(self.pool())
        .await?;
        Ok(id)
    }

    pub async fn user(&self, id: i64) -> Result<User> {
        let row: UserRow = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM users WHERE id = $1"
        )))
        .bind(id)
        .fetch_one(self.pool())
        .await?;
        Ok(row.into_credentials()?.user)
    }

    /// `user`, through the read cache: for the signed-in user every request looks up.
    pub async fn user_cached(&self, id: i64) -> Result<User> {
        let cache = self.cache();
        cache.through(&cache.users, id, self.user(id)).await
    }

    pub async fn credentials_by_email(&self, email: &str) -> Result<Option<Credentials>> {
        let row: Option<UserRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM users WHERE email = $1"
        )))
        .bind(email)
        .fetch_optional(self.pool())
        .await?;
        row.map(UserRow::into_credentials).transpose()
    }

    pub async fn student_by_phone(&self, phone: &str) -> Result<Option<User>> {
        let row: Option<UserRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM users WHERE phone = $1 AND role = 'student'"
        )))
        .bind(phone)
        .fetch_optional(self.pool())
        .await?;
        Ok(row
            .map(UserRow::into_credentials)
            .transpose()?
            .map(|c| c.user))
    }

    pub async fn set_password_hash(&self, user_id: i64, hash: &str) -> Result<()> {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(user_id)
            .execute(self.pool())
            .await?;
        self.cache().changed(Area::Users);
        Ok(())
    }

    pub async fn record_consent(&self, user_id: i64, version: &str, now: i64) -> Result<()> {
        sqlx::query("UPDATE users SET consent_version = $1, consent_at = $2 WHERE id = $3")
            .bind(version)
            .bind(now)
            .bind(user_id)
            .execute(self.pool())
            .await?;
        self.cache().changed(Area::Users);
        Ok(())
    }

    pub async fn touch_login(&self, user_id: i64, now: i64) -> Result<()> {
        sqlx::query("UPDATE users SET last_login_at = $1 WHERE id = $2")
            .bind(now)
            .bind(user_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn users_by_role(&self, role: Role) -> Result<Vec<User>> {
        let rows: Vec<UserRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM users WHERE role = $1 ORDER BY id"
        )))
        .bind(role.as_str())
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|r| r.into_credentials().map(|c| c.user))
            .collect()
    }
}
