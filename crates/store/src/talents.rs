//! 求职者大厅: the students who entered a fair, as an employer of it searches them, with the
//! state of the employer's latest ticket with each.

use sqlx::AssertSqlSafe;

use crate::{Result, Store};

/// What the employer filters by. Empty strings / `None` mean "any".
#[derive(Debug, Clone, Default)]
pub struct TalentFilter<'a> {
    pub school: &'a str,
    pub major: &'a str,
    /// The stored degree (`bachelor`, …).
    pub degree: &'a str,
    pub graduation_year: Option<i64>,
    /// Matched against name, school, major, skills and intended positions.
    pub q: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Talent {
    pub student_id: i64,
    pub name: String,
    pub school: Option<String>,
    pub major: Option<String>,
    pub degree: Option<String>,
    pub graduation_year: Option<i64>,
    pub intended_positions: Option<String>,
    pub skills: Option<String>,
    pub completeness: i64,
    pub entered_at: i64,
    /// The latest ticket of this student with the registration, if any.
    pub ticket_id: Option<i64>,
    pub ticket_status: Option<String>,
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

fn pattern(words: &str) -> String {
    if words.trim().is_empty() {
        String::new()
    } else {
        like(words)
    }
}

/// Placeholders: $1 fair, $2 school pattern, $3 major pattern, $4 degree, $5 graduation year
/// (0 for any), $6 keyword pattern; '' means any.
const WHERE: &str = "FROM fair_entries fe JOIN users u ON u.id = fe.student_id \
     LEFT JOIN resumes rs ON rs.user_id = fe.student_id \
     WHERE fe.fair_id = $1 \
     AND ($2 = '' OR LOWER(rs.school) LIKE $2 ESCAPE '\\') \
     AND ($3 = '' OR LOWER(rs.major) LIKE $3 ESCAPE '\\') \
     AND ($4 = '' OR rs.degree = $4) \
     AND ($5 = 0 OR rs.graduation_year = $5) \
     AND ($6 = '' OR LOWER(COALESCE(rs.name, u.display_name)) LIKE $6 ESCAPE '\\' \
          OR LOWER(rs.school) LIKE $6 ESCAPE '\\' OR LOWER(rs.major) LIKE $6 ESCAPE '\\' \
          OR LOWER(rs.skills) LIKE $6 ESCAPE '\\' \
          OR LOWER(rs.intended_positions) LIKE $6 ESCAPE '\\')";

impl Store {
    /// One page of the students who entered `fair_id` matching `filter`, latest entry first,
    /// and how many match in all. `registration_id` picks whose tickets are shown.
    pub async fn talents(
        &self,
        fair_id: i64,
        registration_id: i64,
        filter: &TalentFilter<'_>,
        limit: i64,
        offset: i64,
    ) -> Result<(i64, Vec<Talent>)> {
        let binds = (
            pattern(filter.school),
            pattern(filter.major),
            filter.degree.trim().to_string(),
            filter.graduation_year.unwrap_or(0),
            pattern(filter.q),
        );
        let total: i64 = sqlx::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) {WHERE}")))
            .bind(fair_id)
            .bind(binds.0.clone())
            .bind(binds.1.clone())
            .bind(binds.2.clone())
            .bind(binds.3)
            .bind(binds.4.clone())
            .fetch_one(self.pool())
            .await?;
        let rows = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT fe.student_id, COALESCE(NULLIF(rs.name, ''), u.display_name) AS name, \
             rs.school, rs.major, rs.degree, rs.graduation_year, \
             rs.intended_positions, rs.skills, fe.completeness, fe.entered_at, \
             (SELECT t.id FROM tickets t WHERE t.registration_id = $7 \
              AND t.student_id = fe.student_id ORDER BY t.id DESC LIMIT 1) AS ticket_id, \
             (SELECT t.status FROM tickets t WHERE t.registration_id = $7 \
              AND t.student_id = fe.student_id ORDER BY t.id DESC LIMIT 1) AS ticket_status \
             {WHERE} ORDER BY fe.entered_at DESC, fe.student_id DESC LIMIT $8 OFFSET $9"
        )))
        .bind(fair_id)
        .bind(binds.0)
        .bind(binds.1)
        .bind(binds.2)
        .bind(binds.3)
        .bind(binds.4)
        .bind(registration_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(self.pool())
        .await?;
        Ok((total, rows))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn patterns_escape_and_blank_means_any() {
        assert_eq!(super::pattern("  "), "");
        assert_eq!(super::pattern("A_b%"), "%a\\_b\\%%");
    }
}
