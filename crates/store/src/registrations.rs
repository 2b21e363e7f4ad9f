//! Fair registrations (单位报名) and their change log.
//!
//! Reads of positions and brochures here are the few this feature needs (ownership checks and
//! names for the log); their own modules own everything else.

use fairhall_domain::review::RegistrationStatus;
use sqlx::AssertSqlSafe;

use crate::cache::Area;
use crate::{Result, Store, placeholders};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Registration {
    pub id: i64,
    pub fair_id: i64,
    pub employer_id: i64,
    #[sqlx(try_from = "String")]
    pub status: RegistrationStatus,
    pub reason: Option<String>,
    pub contact_name: String,
    pub contact_phone: String,
    pub brochure_id: Option<i64>,
    pub submitted_at: i64,
    pub reviewed_at: Option<i64>,
    pub reviewed_by: Option<i64>,
    pub updated_at: i64,
}

/// A registration with the names a list shows.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RegistrationListed {
    pub id: i64,
    pub fair_id: i64,
    pub fair_title: String,
    pub fair_starts_at: i64,
    pub fair_ends_at: i64,
    pub organizer_id: i64,
    pub organizer_name: String,
    pub employer_id: i64,
    pub employer_name: String,
    #[sqlx(try_from = "String")]
    pub status: RegistrationStatus,
    pub reason: Option<String>,
    pub submitted_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RegistrationChange {
    pub id: i64,
    pub registration_id: i64,
    pub actor_user_id: i64,
    pub actor_name: String,
    pub action: String,
    pub before_json: String,
    pub after_json: String,
    pub note: String,
    pub at: i64,
}

/// A fair as an employer's sign-up list shows it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FairForSignup {
    pub id: i64,
    pub title: String,
    pub organizer_id: i64,
    pub organizer_name: String,
    pub signup_opens_at: i64,
    pub signup_closes_at: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub employer_limit: Option<i64>,
    pub entry_code: String,
}

/// A review decision on a submitted registration.
pub enum Review<'a> {
    Approve { fair_id: i64, limit: Option<i64> },
    Reject { reason: &'a str },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewOutcome {
    Done,
    /// The fair already has `approved` employers, its limit.
    Full {
        approved: i64,
    },
    /// The registration was no longer `submitted` (someone else reviewed or changed it).
    StatusChanged,
}

/// The registration's content to write.
pub struct RegistrationContent<'a> {
    pub position_ids: &'a [i64],
    pub interviewer_ids: &'a [i64],
    pub contact_name: &'a str,
    pub contact_phone: &'a str,
    pub brochure_id: Option<i64>,
}

const COLUMNS: &str = "id, fair_id, employer_id, status, reason, contact_name, contact_phone, \
                       brochure_id, submitted_at, reviewed_at, reviewed_by, updated_at";

const LISTED: &str = "SELECT r.id, r.fair_id, f.title AS fair_title, f.starts_at AS fair_starts_at, \
     f.ends_at AS fair_ends_at, f.organizer_id, o.name AS organizer_name, r.employer_id, \
     e.name AS employer_name, r.status, r.reason, r.submitted_at \
     FROM registrations r JOIN fairs f ON f.id = r.fair_id \
     JOIN organizers o ON o.id = f.organizer_id JOIN employers e ON e.id = r.employer_id";

impl Store {
    pub async fn registration(&self, id: i64) -> Result<Option<Registration>> {
        let row = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM registrations WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row)
    }

    /// `registration`, through the read cache: for the checks every hall page makes. Another
    /// node's review is seen within the cache time.
    pub async fn registration_cached(&self, id: i64) -> Result<Option<Registration>> {
        let cache = self.cache();
        cache
            .through_found(&cache.registrations, id, self.registration(id))
            .await
    }

    pub async fn registration_of(
        &self,
        fair_id: i64,
        employer_id: i64,
    ) -> Result<Option<Registration>> {
        let row = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM registrations WHERE fair_id = $1 AND employer_id = $2"
        )))
        .bind(fair_id)
        .bind(employer_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row)
    }

    async fn write_choices(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        id: i64,
        c: &RegistrationContent<'_>,
    ) -> Result<()> {
        sqlx::query("DELETE FROM registration_positions WHERE registration_id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
        sqlx::query("DELETE FROM registration_interviewers WHERE registration_id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
        for p in c.position_ids {
            sqlx::query(
                "INSERT INTO registration_positions (registration_id, position_id) VALUES ($1, $2)",
            )
            .bind(id)
            .bind(*p)
            .execute(&mut **tx)
            .await?;
        }
        for u in c.interviewer_ids {
            sqlx::query(
                "INSERT INTO registration_interviewers (registration_id, user_id) VALUES ($1, $2)",
            )
            .bind(id)
            .bind(*u)
            .execute(&mut **tx)
            .await?;
        }
        Ok(())
    }

    /// Creates a submitted registration with its choices, in one transaction.
    pub async fn insert_registration(
        &self,
        fair_id: i64,
        employer_id: i64,
        c: &RegistrationContent<'_>,
        now: i64,
    ) -> Result<i64> {
        let mut tx = self.pool().begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO registrations (fair_id, employer_id, status, contact_name, contact_phone, \
             brochure_id, submitted_at, updated_at) VALUES ($1, $2, 'submitted', $3, $4, $5, $6, $6) \
             RETURNING id",
        )
        .bind(fair_id)
        .bind(employer_id)
        .bind(c.contact_name)
        .bind(c.contact_phone)
        .bind(c.brochure_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        self.write_choices(&mut tx, id, c).await?;
        tx.commit().await?;
        self.cache().changed(Area::Directory);
        Ok(id)
    }

    /// Replaces a registration's content and sets its status, optionally logging the change,
    /// in one transaction: the log never disagrees with the registration. Only writes while the
    /// status is still `expected`; returns false when someone changed it meanwhile.
    pub async fn update_registration(
        &self,
        id: i64,
        expected: RegistrationStatus,
        status: RegistrationStatus,
        c: &RegistrationContent<'_>,
        change: Option<(i64, &str, &str, &str, &str)>,
        now: i64,
    ) -> Result<bool> {
        let mut tx = self.pool().begin().await?;
        let done = sqlx::query(
            "UPDATE registrations SET status = $1, contact_name = $2, contact_phone = $3, \
             brochure_id = $4, updated_at = $5, \
             submitted_at = CASE WHEN $1 = 'submitted' THEN $5 ELSE submitted_at END, \
             reason = CASE WHEN $1 = 'submitted' THEN NULL ELSE reason END \
             WHERE id = $6 AND status = $7",
        )
        .bind(status.as_str())
        .bind(c.contact_name)
        .bind(c.contact_phone)
        .bind(c.brochure_id)
        .bind(now)
        .bind(id)
        .bind(expected.as_str())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        self.write_choices(&mut tx, id, c).await?;
        if let Some((actor, action, before, after, note)) = change {
            sqlx::query(
                "INSERT INTO registration_changes (registration_id, actor_user_id, action, \
                 before_json, after_json, note, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(actor)
            .bind(action)
            .bind(before)
            .bind(after)
            .bind(note)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        self.cache().changed(Area::Directory);
        Ok(true)
    }

    /// Sets the review outcome and logs it, only while the registration is still `submitted`.
    /// With `capacity`, approval also holds the fair's limit: the fair row is locked, the
    /// approved registrations counted, and the approval refused when the fair is full — all in
    /// one transaction, so two reviewers cannot both take the last place.
    pub async fn review_registration(
        &self,
        id: i64,
        review: Review<'_>,
        reviewer: i64,
        now: i64,
    ) -> Result<ReviewOutcome> {
        let mut tx = self.pool().begin().await?;
        let (status, reason) = match review {
            Review::Approve { fair_id, limit } => {
                // Locks the fair row (PostgreSQL) or takes the write lock (SQLite) first.
                sqlx::query("UPDATE fairs SET id = id WHERE id = $1")
                    .bind(fair_id)
                    .execute(&mut *tx)
                    .await?;
                if let Some(limit) = limit {
                    let approved: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM registrations WHERE fair_id = $1 AND status = 'approved'",
                    )
                    .bind(fair_id)
                    .fetch_one(&mut *tx)
                    .await?;
                    if approved >= limit {
                        return Ok(ReviewOutcome::Full { approved });
                    }
                }
                (RegistrationStatus::Approved, None)
            }
            Review::Reject { reason } => (RegistrationStatus::Rejected, Some(reason)),
        };
        let done = sqlx::query(
            "UPDATE registrations SET status = $1, reason = $2, reviewed_at = $3, reviewed_by = $4, \
             updated_at = $3 WHERE id = $5 AND status = 'submitted'",
        )
        .bind(status.as_str())
        .bind(reason)
        .bind(now)
        .bind(reviewer)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(ReviewOutcome::StatusChanged);
        }
        sqlx::query(
            "INSERT INTO registration_changes (registration_id, actor_user_id, action, \
             before_json, after_json, note, at) VALUES ($1, $2, $3, '{}', '{}', $4, $5)",
        )
        .bind(id)
        .bind(reviewer)
        .bind(status.as_str())
        .bind(reason.unwrap_or(""))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.cache().changed(Area::Directory);
        Ok(ReviewOutcome::Done)
    }

    pub async fn registration_position_ids(&self, id: i64) -> Result<Vec<i64>> {
        let ids = sqlx::query_scalar(
            "SELECT position_id FROM registration_positions WHERE registration_id = $1 \
             ORDER BY position_id",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        Ok(ids)
    }

    /// The users who host a registration's interviews: the employer's admins and the
    /// interviewers chosen for it.
    pub async fn registration_host_ids(&self, registration_id: i64) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT u.id FROM users u JOIN registrations r ON r.employer_id = u.employer_id \
             WHERE r.id = $1 AND u.role = 'employer_admin' \
             UNION SELECT ri.user_id FROM registration_interviewers ri WHERE ri.registration_id = $1 \
             ORDER BY 1",
        )
        .bind(registration_id)
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn registration_interviewer_ids(&self, id: i64) -> Result<Vec<i64>> {
        let ids = sqlx::query_scalar(
            "SELECT user_id FROM registration_interviewers WHERE registration_id = $1 \
             ORDER BY user_id",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        Ok(ids)
    }

    pub async fn count_approved_registrations(&self, fair_id: i64) -> Result<i64> {
        let n = sqlx::query_scalar(
            "SELECT COUNT(*) FROM registrations WHERE fair_id = $1 AND status = 'approved'",
        )
        .bind(fair_id)
        .fetch_one(self.pool())
        .await?;
        Ok(n)
    }

    pub async fn registrations_of_employer(
        &self,
        employer_id: i64,
    ) -> Result<Vec<RegistrationListed>> {
        let rows = sqlx::query_as(AssertSqlSafe(format!(
            "{LISTED} WHERE r.employer_id = $1 ORDER BY f.starts_at DESC, r.id DESC"
        )))
        .bind(employer_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    /// Registrations in which `user_id` is one of the chosen interviewers.
    pub async fn registrations_of_interviewer(
        &self,
        user_id: i64,
    ) -> Result<Vec<RegistrationListed>> {
        let rows = sqlx::query_as(AssertSqlSafe(format!(
            "{LISTED} WHERE r.id IN (SELECT registration_id FROM registration_interviewers \
             WHERE user_id = $1) ORDER BY f.starts_at DESC, r.id DESC"
        )))
        .bind(user_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    /// Registrations to fairs of one organizer, oldest submission first, optionally of one
    /// status.
    pub async fn registrations_of_organizer(
        &self,
        organizer_id: i64,
        status: Option<RegistrationStatus>,
    ) -> Result<Vec<RegistrationListed>> {
        let rows = sqlx::query_as(AssertSqlSafe(format!(
            "{LISTED} WHERE f.organizer_id = $1 AND ($2 = '' OR r.status = $2) \
             ORDER BY r.submitted_at, r.id"
        )))
        .bind(organizer_id)
        .bind(status.map_or("", RegistrationStatus::as_str))
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    pub async fn registration_listed(&self, id: i64) -> Result<Option<RegistrationListed>> {
        let row = sqlx::query_as(AssertSqlSafe(format!("{LISTED} WHERE r.id = $1")))
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        Ok(row)
    }

    pub async fn registration_changes(&self, id: i64) -> Result<Vec<RegistrationChange>> {
        let rows = sqlx::query_as(
            "SELECT c.id, c.registration_id, c.actor_user_id, u.display_name AS actor_name, \
             c.action, c.before_json, c.after_json, c.note, c.at FROM registration_changes c \
             JOIN users u ON u.id = c.actor_user_id WHERE c.registration_id = $1 ORDER BY c.id",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    /// Fairs whose employer sign-up has not closed, newest fair first, optionally matching a
    /// search in the title or the organizer's name.
    pub async fn fairs_for_signup(&self, now: i64, search: &str) -> Result<Vec<FairForSignup>> {
        let escaped: String = search
            .trim()
            .chars()
            .flat_map(|c| match c {
                '%' | '_' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect();
        let like = format!("%{escaped}%");
        let rows = sqlx::query_as(
            "SELECT f.id, f.title, f.organizer_id, o.name AS organizer_name, f.signup_opens_at, \
             f.signup_closes_at, f.starts_at, f.ends_at, f.employer_limit, f.entry_code \
             FROM fairs f JOIN organizers o ON o.id = f.organizer_id \
             WHERE f.signup_closes_at > $1 AND (f.title LIKE $2 ESCAPE '\\' OR o.name LIKE $2 ESCAPE '\\') \
             ORDER BY f.starts_at, f.id LIMIT 200",
        )
        .bind(now)
        .bind(like)
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    pub async fn fair_for_signup(&self, fair_id: i64) -> Result<Option<FairForSignup>> {
        let row = sqlx::query_as(
            "SELECT f.id, f.title, f.organizer_id, o.name AS organizer_name, f.signup_opens_at, \
             f.signup_closes_at, f.starts_at, f.ends_at, f.employer_limit, f.entry_code \
             FROM fairs f JOIN organizers o ON o.id = f.organizer_id WHERE f.id = $1",
        )
        .bind(fair_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row)
    }

    /// Of `ids`, the live positions that belong to `employer_id`, with their titles.
    pub async fn own_positions(&self, employer_id: i64, ids: &[i64]) -> Result<Vec<(i64, String)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT id, title FROM positions WHERE employer_id = $1 AND deleted_at IS NULL \
             AND id IN ({}) ORDER BY id",
            placeholders(2, ids.len())
        );
        let mut q = sqlx::query_as(AssertSqlSafe(sql)).bind(employer_id);
        for id in ids {
            q = q.bind(*id);
        }
        Ok(q.fetch_all(self.pool()).await?)
    }

    /// Titles of positions by id, deleted ones included (for showing old registrations).
    pub async fn position_titles(&self, ids: &[i64]) -> Result<Vec<(i64, String)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT id, title FROM positions WHERE id IN ({}) ORDER BY id",
            placeholders(1, ids.len())
        );
        let mut q = sqlx::query_as(AssertSqlSafe(sql));
        for id in ids {
            q = q.bind(*id);
        }
        Ok(q.fetch_all(self.pool()).await?)
    }

    /// Of `ids`, the interviewers and the employer admins of `employer_id`, with their names.
    pub async fn own_staff(&self, employer_id: i64, ids: &[i64]) -> Result<Vec<(i64, String)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT id, display_name FROM users WHERE employer_id = $1 \
             AND role IN ('interviewer', 'employer_admin') AND id IN ({}) ORDER BY id",
            placeholders(2, ids.len())
        );
        let mut q = sqlx::query_as(AssertSqlSafe(sql)).bind(employer_id);
        for id in ids {
            q = q.bind(*id);
        }
        Ok(q.fetch_all(self.pool()).await?)
    }

    /// The title of a live brochure of `employer_id`.
    pub async fn own_brochure_title(
        &self,
        employer_id: i64,
        brochure_id: i64,
    ) -> Result<Option<String>> {
        let t = sqlx::query_scalar(
            "SELECT title FROM brochures WHERE id = $1 AND employer_id = $2 AND deleted_at IS NULL",
        )
        .bind(brochure_id)
        .bind(employer_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(t)
    }

    /// What an employer can choose from on the sign-up form: live positions, its interviewers
    /// and admins, live brochures, each as (id, label).
    pub async fn signup_choices(
        &self,
        employer_id: i64,
    ) -> Result<(Vec<(i64, String)>, Vec<(i64, String)>, Vec<(i64, String)>)> {
        let positions = sqlx::query_as(
            "SELECT id, title FROM positions WHERE employer_id = $1 AND deleted_at IS NULL \
             ORDER BY id",
        )
        .bind(employer_id)
        .fetch_all(self.pool())
        .await?;
        let staff = sqlx::query_as(
            "SELECT id, display_name FROM users WHERE employer_id = $1 \
             AND role IN ('interviewer', 'employer_admin') ORDER BY role DESC, id",
        )
        .bind(employer_id)
        .fetch_all(self.pool())
        .await?;
        let brochures = sqlx::query_as(
            "SELECT id, title FROM brochures WHERE employer_id = $1 AND deleted_at IS NULL \
             ORDER BY id DESC",
        )
        .bind(employer_id)
        .fetch_all(self.pool())
        .await?;
        Ok((positions, staff, brochures))
    }

    /// Every registration of a fair as (registration id, employer id).
    pub async fn registration_ids_of_fair(&self, fair_id: i64) -> Result<Vec<(i64, i64)>> {
        let rows = sqlx::query_as(
            "SELECT id, employer_id FROM registrations WHERE fair_id = $1 ORDER BY id",
        )
        .bind(fair_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }
}
