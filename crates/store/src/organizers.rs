use fairhall_domain::fair::OrganizerKind;

use crate::{Result, Store};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Organizer {
    pub id: i64,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub kind: OrganizerKind,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: Option<String>,
    pub created_at: i64,
}

/// An organizer in the admin's list, with how many staff accounts it has.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OrganizerSummary {
    pub id: i64,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub kind: OrganizerKind,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: Option<String>,
    pub created_at: i64,
    pub staff_count: i64,
    pub fair_count: i64,
}

/// What a new organizer is created with.
#[derive(Debug, Clone, Copy)]
pub struct NewOrganizer<'a> {
    pub name: &'a str,
    pub kind: OrganizerKind,
    pub contact_name: &'a str,
    pub contact_phone: &'a str,
    pub contact_email: Option<&'a str>,
    pub now: i64,
}

/// One staff account of an organizer.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StaffMember {
    pub id: i64,
    pub display_name: String,
    pub email: Option<String>,
    pub created_at: i64,
    pub last_login_at: Option<i64>,
}

const COLUMNS: &str = "id, name, kind, contact_name, contact_phone, contact_email, created_at";

impl Store {
    /// Creates an organizer with no contact details (tests and the demo use it).
    pub async fn insert_organizer(&self, name: &str, kind: OrganizerKind, now: i64) -> Result<i64> {
        self.create_organizer(&NewOrganizer {
            name,
            kind,
            contact_name: "",
            contact_phone: "",
            contact_email: None,
            now,
        })
        .await
    }

    /// Creates an organizer. A name already taken is
    /// `StoreError::Unique(Constraint::OrganizerName)`.
    pub async fn create_organizer(&self, new: &NewOrganizer<'_>) -> Result<i64> {
        let id = sqlx::query_scalar(
            "INSERT INTO organizers (name, kind, contact_name, contact_phone, contact_email, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(new.name)
        .bind(new.kind.as_str())
        .bind(new.contact_name)
        .bind(new.contact_phone)
        .bind(new.contact_email)
        .bind(new.now)
        .fetch_one(self.pool())
        .await?;
        Ok(id)
    }

    pub async fn organizer_by_name(&self, name: &str) -> Result<Option<Organizer>> {
        let row = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM organizers WHERE name = $1"
        )))
        .bind(name)
        .fetch_optional(self.pool())
        .await?;
        Ok(row)
    }

    /// One organizer; `StoreError::NotFound` if there is none with this id.
    pub async fn organizer(&self, id: i64) -> Result<Organizer> {
        let row = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM organizers WHERE id = $1"
        )))
        .bind(id)
        .fetch_one(self.pool())
        .await?;
        Ok(row)
    }

    /// Every organizer, newest first, with staff and fair counts (the admin's list).
    pub async fn organizers_with_counts(&self) -> Result<Vec<OrganizerSummary>> {
        let rows = sqlx::query_as(
            "SELECT o.id, o.name, o.kind, o.contact_name, o.contact_phone, o.contact_email, \
             o.created_at, \
             (SELECT COUNT(*) FROM users u WHERE u.organizer_id = o.id) AS staff_count, \
             (SELECT COUNT(*) FROM fairs f WHERE f.organizer_id = o.id) AS fair_count \
             FROM organizers o ORDER BY o.id DESC",
        )
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    /// Every organizer by name, e.g. for an employer choosing where to join (入驻).
    pub async fn organizers_all(&self) -> Result<Vec<Organizer>> {
        let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM organizers ORDER BY name"
        )))
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    /// The staff accounts of an organizer, oldest first.
    pub async fn staff_of_organizer(&self, organizer_id: i64) -> Result<Vec<StaffMember>> {
        let rows = sqlx::query_as(
            "SELECT id, display_name, email, created_at, last_login_at FROM users \
             WHERE organizer_id = $1 AND role = 'organizer_staff' ORDER BY id",
        )
        .bind(organizer_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }
}
