//! The venue for students: the employer list of a fair, employer and position details, and deliveries (投递简历) with the employer's received-resume pages.
//!
//! The list is filtered and paged here, in SQL, so a fair with a thousand employers answers a
//! page with three statements: the count, twenty registrations, and their positions. Only
//! approved registrations and positions not deleted are ever shown to students. Pages go through
//! the read cache (`venue_page`).

use std::sync::Arc;

use sqlx::AssertSqlSafe;

use crate::cache::DirectoryPage;
use crate::{Result, Store, placeholders};

/// What the student typed and chose above the list. Empty strings mean "any".
#[derive(Debug, Clone, Default)]
pub struct VenueFilter<'a> {
    /// Words in the employer's name or a position's title.
    pub q: &'a str,
    /// The employer's city or a position's city.
    pub city: &'a str,
    pub industry: &'a str,
    /// A position's education, as any of these stored spellings (e.g. `bachelor`, `本科`).
    pub education: &'a [&'a str],
    /// Part of a position's majors.
    pub major: &'a str,
}

/// An approved registration of a fair with the employer a list shows.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct VenueEmployer {
    pub registration_id: i64,
    pub fair_id: i64,
    pub employer_id: i64,
    pub name: String,
    pub industry: Option<String>,
    pub city: Option<String>,
    pub size: Option<String>,
    pub logo_key: Option<String>,
    pub brochure_id: Option<i64>,
}

/// A position chosen in a registration.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct VenuePosition {
    pub registration_id: i64,
    pub id: i64,
    pub title: String,
    pub headcount: i64,
    pub education: String,
    pub majors: String,
    pub city: String,
    pub salary_min: Option<i64>,
    pub salary_max: Option<i64>,
    pub description: Option<String>,
}

/// The values the filters offer: what the fair's employers and positions actually have.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VenueFilterValues {
    pub cities: Vec<String>,
    pub industries: Vec<String>,
    pub educations: Vec<String>,
    /// Each a position's majors as stored (joined with `、`); the caller splits them.
    pub majors: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Delivery {
    pub id: i64,
    pub fair_id: i64,
    pub registration_id: i64,
    pub employer_id: i64,
    pub student_id: i64,
    pub position_id: Option<i64>,
    pub created_at: i64,
    pub viewed_at: Option<i64>,
    pub viewed_by: Option<i64>,
}

/// A delivery as its student sees it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StudentDelivery {
    pub id: i64,
    pub fair_id: i64,
    pub fair_title: String,
    pub entry_code: String,
    pub registration_id: i64,
    pub employer_name: String,
    pub position_id: Option<i64>,
    pub position_title: Option<String>,
    pub created_at: i64,
    pub viewed_at: Option<i64>,
}

/// A delivery as the employer sees it, with the student's resume basics.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EmployerDelivery {
    pub id: i64,
    pub fair_id: i64,
    pub fair_title: String,
    pub student_id: i64,
    pub student_name: String,
    pub school: Option<String>,
    pub major: Option<String>,
    pub degree: Option<String>,
    pub graduation_year: Option<i64>,
    pub position_id: Option<i64>,
    pub position_title: Option<String>,
    pub created_at: i64,
    pub viewed_at: Option<i64>,
    pub viewed_by_name: Option<String>,
}

/// `%words%` for LIKE, with the pattern characters typed by the user escaped (`ESCAPE '\'`).
fn like(words: &str) -> String {
    let mut out = String::from("%");
    for c in words.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

const EMPLOYER_COLUMNS: &str = "r.id AS registration_id, r.fair_id, r.employer_id, e.name, \
     e.industry, e.city, e.size, e.logo_key, r.brochure_id";

/// The positions of registration `r` that students see.
const LIVE_POSITIONS: &str = "FROM registration_positions rp JOIN positions p ON p.id = rp.position_id \
     WHERE rp.registration_id = r.id AND p.deleted_at IS NULL";

/// The list's WHERE clause. Placeholders: $1 fair, $2 keyword pattern ('' for none), $3 city,
/// $4 industry, $5 major pattern ('' for none), then the education spellings from $6 on.
fn list_where(education: usize) -> String {
    let mut sql = format!(
        "FROM registrations r JOIN employers e ON e.id = r.employer_id \
         WHERE r.fair_id = $1 AND r.status = 'approved' \
         AND ($2 = '' OR LOWER(e.name) LIKE $2 ESCAPE '\\' \
              OR EXISTS (SELECT 1 {LIVE_POSITIONS} AND LOWER(p.title) LIKE $2 ESCAPE '\\')) \
         AND ($3 = '' OR e.city = $3 OR EXISTS (SELECT 1 {LIVE_POSITIONS} AND p.city = $3)) \
         AND ($4 = '' OR e.industry = $4)"
    );
    // Education and major are about one position: one position must fit both. A position
    // open to any major (stored empty) fits every major.
    sql.push_str(&format!(
        " AND ($5 = '' OR EXISTS (SELECT 1 {LIVE_POSITIONS} \
         AND (LOWER(p.majors) LIKE $5 ESCAPE '\\' OR p.majors = '')"
    ));
    if education > 0 {
        sql.push_str(&format!(
            " AND p.education IN ({})",
            placeholders(6, education)
        ));
    }
    sql.push_str("))");
    sql
}

impl Store {
    /// One page of a fair's approved employers matching `filter`, ordered by name, and the
    /// number of all that match.
    pub async fn venue_employers(
        &self,
        fair_id: i64,
        filter: &VenueFilter<'_>,
        limit: i64,
        offset: i64,
    ) -> Result<(i64, Vec<VenueEmployer>)> {
        let q = if filter.q.trim().is_empty() {
            String::new()
        } else {
            like(filter.q)
        };
        let major = if filter.major.trim().is_empty() {
            // With an education chosen, the major clause still has to find a position.
            if filter.education.is_empty() {
                String::new()
            } else {
                "%".to_string()
            }
        } else {
            like(filter.major)
        };
        let where_ = list_where(filter.education.len());
        let mut count = sqlx::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) {where_}")))
            .bind(fair_id)
            .bind(q.clone())
            .bind(filter.city.trim().to_string())
            .bind(filter.industry.trim().to_string())
            .bind(major.clone());
        for e in filter.education {
            count = count.bind(e.to_string());
        }
        let total: i64 = count.fetch_one(self.pool()).await?;
        let n = filter.education.len();
        let mut page = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {EMPLOYER_COLUMNS} {where_} ORDER BY e.name, r.id LIMIT ${} OFFSET ${}",
            6 + n,
            7 + n
        )))
        .bind(fair_id)
        .bind(q)
        .bind(filter.city.trim().to_string())
        .bind(filter.industry.trim().to_string())
        .bind(major);
        for e in filter.education {
            page = page.bind(e.to_string());
        }
        let rows = page.bind(limit).bind(offset).fetch_all(self.pool()).await?;
        Ok((total, rows))
    }

    /// `venue_employers` and their `venue_positions`, through the read cache: every student in
    /// a fair reads the same few pages.
    pub async fn venue_page(
        &self,
        fair_id: i64,
        filter: &VenueFilter<'_>,
        limit: i64,
        offset: i64,
    ) -> Result<Arc<DirectoryPage>> {
        let key = (
            fair_id,
            vec![
                filter.q.to_string(),
                filter.city.to_string(),
                filter.industry.to_string(),
                filter.major.to_string(),
                // The count too: no education and one empty spelling are different filters.
                format!("{}:{}", filter.education.len(), filter.education.join("\n")),
            ],
            limit,
            offset,
        );
        let load = async {
            let (total, employers) = self.venue_employers(fair_id, filter, limit, offset).await?;
            let ids: Vec<i64> = employers.iter().map(|e| e.registration_id).collect();
            let positions = self.venue_positions(&ids).await?;
            Ok(Arc::new(DirectoryPage {
                total,
                employers,
                positions,
            }))
        };
        let cache = self.cache();
        cache.through(&cache.directory, key, load).await
    }

    /// The positions students see for these registrations, by registration then id.
    pub async fn venue_positions(&self, registration_ids: &[i64]) -> Result<Vec<VenuePosition>> {
        if registration_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT rp.registration_id, p.id, p.title, p.headcount, p.education, p.majors, \
             p.city, p.salary_min, p.salary_max, p.description \
             FROM registration_positions rp JOIN positions p ON p.id = rp.position_id \
             WHERE p.deleted_at IS NULL AND rp.registration_id IN ({}) \
             ORDER BY rp.registration_id, p.id",
            placeholders(1, registration_ids.len())
        );
        let mut q = sqlx::query_as(AssertSqlSafe(sql));
        for id in registration_ids {
            q = q.bind(*id);
        }
        Ok(q.fetch_all(self.pool()).await?)
    }

    /// The values the list's filters offer for a fair, each sorted.
    pub async fn venue_filter_values(&self, fair_id: i64) -> Result<VenueFilterValues> {
        let approved = "FROM registrations r JOIN employers e ON e.id = r.employer_id \
                        WHERE r.fair_id = $1 AND r.status = 'approved'";
        let positions = "FROM registrations r \
                         JOIN registration_positions rp ON rp.registration_id = r.id \
                         JOIN positions p ON p.id = rp.position_id \
                         WHERE r.fair_id = $1 AND r.status = 'approved' AND p.deleted_at IS NULL";
        let distinct = |sql: String| async move {
            let v: Vec<String> = sqlx::query_scalar(AssertSqlSafe(sql))
                .bind(fair_id)
                .fetch_all(self.pool())
                .await?;
            Ok::<_, crate::StoreError>(v)
        };
        let cities = distinct(format!(
            "SELECT DISTINCT c FROM (SELECT e.city AS c {approved} UNION SELECT p.city AS c {positions}) x \
             WHERE c IS NOT NULL AND c <> '' ORDER BY c"
        ))
        .await?;
        let industries = distinct(format!(
            "SELECT DISTINCT e.industry {approved} AND e.industry IS NOT NULL AND e.industry <> '' \
             ORDER BY e.industry"
        ))
        .await?;
        let educations = distinct(format!(
            "SELECT DISTINCT p.education {positions} ORDER BY p.education"
        ))
        .await?;
        let majors = distinct(format!(
            "SELECT DISTINCT p.majors {positions} AND p.majors <> '' ORDER BY p.majors"
        ))
        .await?;
        Ok(VenueFilterValues {
            cities,
            industries,
            educations,
            majors,
        })
    }

    /// An approved registration of `fair_id`, with its employer.
    pub async fn venue_employer(
        &self,
        fair_id: i64,
        registration_id: i64,
    ) -> Result<Option<VenueEmployer>> {
        let row = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {EMPLOYER_COLUMNS} FROM registrations r JOIN employers e ON e.id = r.employer_id \
             WHERE r.id = $1 AND r.fair_id = $2 AND r.status = 'approved'"
        )))
        .bind(registration_id)
        .bind(fair_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row)
    }

    /// A position students may see in `fair_id`: chosen in an approved registration of that
    /// fair and not deleted.
    pub async fn venue_position(
        &self,
        fair_id: i64,
        position_id: i64,
    ) -> Result<Option<VenuePosition>> {
        let row = sqlx::query_as(
            "SELECT rp.registration_id, p.id, p.title, p.headcount, p.education, p.majors, \
             p.city, p.salary_min, p.salary_max, p.description \
             FROM positions p JOIN registration_positions rp ON rp.position_id = p.id \
             JOIN registrations r ON r.id = rp.registration_id \
             WHERE p.id = $1 AND p.deleted_at IS NULL AND r.fair_id = $2 AND r.status = 'approved' \
             ORDER BY r.id LIMIT 1",
        )
        .bind(position_id)
        .bind(fair_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row)
    }

    // ------------------------------------------------------------------------ deliveries

    /// Delivers a resume; once per registration, student and position (`None`: to the employer
    /// as a whole). Returns the delivery's id and whether this call created it.
    pub async fn insert_delivery(
        &self,
        fair_id: i64,
        registration_id: i64,
        employer_id: i64,
        student_id: i64,
        position_id: Option<i64>,
        now: i64,
    ) -> Result<(i64, bool)> {
        let key = position_id.unwrap_or(0);
        let created: Option<i64> = sqlx::query_scalar(
            "INSERT INTO deliveries (fair_id, registration_id, employer_id, student_id, \
             position_id, position_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (registration_id, student_id, position_key) DO NOTHING RETURNING id",
        )
        .bind(fair_id)
        .bind(registration_id)
        .bind(employer_id)
        .bind(student_id)
        .bind(position_id)
        .bind(key)
        .bind(now)
        .fetch_optional(self.pool())
        .await?;
        if let Some(id) = created {
            return Ok((id, true));
        }
        let id = sqlx::query_scalar(
            "SELECT id FROM deliveries WHERE registration_id = $1 AND student_id = $2 \
             AND position_key = $3",
        )
        .bind(registration_id)
        .bind(student_id)
        .bind(key)
        .fetch_one(self.pool())
        .await?;
        Ok((id, false))
    }

    pub async fn delivery(&self, id: i64) -> Result<Option<Delivery>> {
        let row = sqlx::query_as(
            "SELECT id, fair_id, registration_id, employer_id, student_id, position_id, \
             created_at, viewed_at, viewed_by FROM deliveries WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row)
    }

    /// The position keys (position id, or 0 for the employer as a whole) a student delivered
    /// to in one registration.
    pub async fn delivered_keys(&self, registration_id: i64, student_id: i64) -> Result<Vec<i64>> {
        let keys = sqlx::query_scalar(
            "SELECT position_key FROM deliveries WHERE registration_id = $1 AND student_id = $2 \
             ORDER BY position_key",
        )
        .bind(registration_id)
        .bind(student_id)
        .fetch_all(self.pool())
        .await?;
        Ok(keys)
    }

    /// A student's deliveries, newest first.
    pub async fn deliveries_of_student(&self, student_id: i64) -> Result<Vec<StudentDelivery>> {
        let rows = sqlx::query_as(
            "SELECT d.id, d.fair_id, f.title AS fair_title, f.entry_code, d.registration_id, \
             e.name AS employer_name, d.position_id, p.title AS position_title, d.created_at, \
             d.viewed_at FROM deliveries d JOIN fairs f ON f.id = d.fair_id \
             JOIN employers e ON e.id = d.employer_id LEFT JOIN positions p ON p.id = d.position_id \
             WHERE d.student_id = $1 ORDER BY d.id DESC",
        )
        .bind(student_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    /// The deliveries an employer received, optionally in one fair, newest first. The name
    /// is the resume's, or the account's when the resume has none.
    pub async fn deliveries_of_employer(
        &self,
        employer_id: i64,
        fair_id: Option<i64>,
    ) -> Result<Vec<EmployerDelivery>> {
        let rows = sqlx::query_as(
            "SELECT d.id, d.fair_id, f.title AS fair_title, d.student_id, \
             COALESCE(NULLIF(rs.name, ''), u.display_name) AS student_name, rs.school, rs.major, \
             rs.degree, rs.graduation_year, d.position_id, p.title AS position_title, \
             d.created_at, d.viewed_at, v.display_name AS viewed_by_name \
             FROM deliveries d JOIN fairs f ON f.id = d.fair_id JOIN users u ON u.id = d.student_id \
             LEFT JOIN resumes rs ON rs.user_id = d.student_id \
             LEFT JOIN positions p ON p.id = d.position_id \
             LEFT JOIN users v ON v.id = d.viewed_by \
             WHERE d.employer_id = $1 AND ($2 = 0 OR d.fair_id = $2) ORDER BY d.id DESC",
        )
        .bind(employer_id)
        .bind(fair_id.unwrap_or(0))
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    /// Marks a delivery viewed by `user_id`, only the first time. True if this call did.
    pub async fn mark_delivery_viewed(&self, id: i64, user_id: i64, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE deliveries SET viewed_at = $1, viewed_by = $2 WHERE id = $3 AND viewed_at IS NULL",
        )
        .bind(now)
        .bind(user_id)
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_escape_what_the_user_typed() {
        assert_eq!(like(" 软件 "), "%软件%");
        assert_eq!(like("100%_a\\B"), "%100\\%\\_a\\\\b%");
    }

    #[test]
    fn the_list_binds_one_placeholder_per_education_spelling() {
        let none = list_where(0);
        assert!(!none.contains("$6"));
        let two = list_where(2);
        assert!(two.contains("IN ($6, $7)"));
        assert!(!two.contains("$8"));
    }
}
