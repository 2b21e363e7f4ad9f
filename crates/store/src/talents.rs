//! 求职者大厅: the students who entered a fair, as an employer of it searches them, with the
//! state of the employer's latest ticket with each.

use std::sync::Arc;

use fairhall_domain::ticket::Status;
use sqlx::AssertSqlSafe;

use crate::cache::{TalentRows, TicketStates};
use crate::{Result, Store, placeholders};

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
    #[sqlx(default)]
    pub ticket_id: Option<i64>,
    #[sqlx(skip)]
    pub ticket_status: Option<Status>,
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

/// The filters that are set, as SQL conditions on `rs` (resumes) and `u` (users), their
/// placeholders numbered from `first`. Unset filters leave no condition behind, so an unfiltered
/// count reads only the fair's entry index (a condition like `$2 = '' OR …` would make the
/// database visit every resume).
fn conditions(filter: &TalentFilter<'_>, first: usize) -> (String, Vec<Bind>) {
    let mut sql = String::new();
    let mut binds = Vec::new();
    let next = |binds: &mut Vec<Bind>, b: Bind| {
        binds.push(b);
        format!("${}", first + binds.len() - 1)
    };
    let school = pattern(filter.school);
    if !school.is_empty() {
        let p = next(&mut binds, Bind::Text(school));
        sql.push_str(&format!(" AND LOWER(rs.school) LIKE {p} ESCAPE '\\'"));
    }
    let major = pattern(filter.major);
    if !major.is_empty() {
        let p = next(&mut binds, Bind::Text(major));
        sql.push_str(&format!(" AND LOWER(rs.major) LIKE {p} ESCAPE '\\'"));
    }
    let degree = filter.degree.trim();
    if !degree.is_empty() {
        let p = next(&mut binds, Bind::Text(degree.to_string()));
        sql.push_str(&format!(" AND rs.degree = {p}"));
    }
    if let Some(year) = filter.graduation_year {
        let p = next(&mut binds, Bind::Int(year));
        sql.push_str(&format!(" AND rs.graduation_year = {p}"));
    }
    let q = pattern(filter.q);
    if !q.is_empty() {
        let p = next(&mut binds, Bind::Text(q));
        sql.push_str(&format!(
            " AND (LOWER(COALESCE(rs.name, u.display_name)) LIKE {p} ESCAPE '\\' \
             OR LOWER(rs.school) LIKE {p} ESCAPE '\\' OR LOWER(rs.major) LIKE {p} ESCAPE '\\' \
             OR LOWER(rs.skills) LIKE {p} ESCAPE '\\' \
             OR LOWER(rs.intended_positions) LIKE {p} ESCAPE '\\')"
        ));
    }
    (sql, binds)
}

#[derive(sqlx::FromRow)]
struct LatestTicket {
    student_id: i64,
    id: i64,
    #[sqlx(try_from = "String")]
    status: Status,
}

#[derive(Debug, Clone)]
enum Bind {
    Text(String),
    Int(i64),
}

const FROM: &str = "FROM fair_entries fe JOIN users u ON u.id = fe.student_id \
     LEFT JOIN resumes rs ON rs.user_id = fe.student_id WHERE fe.fair_id = $1";

impl Store {
    /// One page of the students who entered `fair_id` matching `filter`, latest entry first,
    /// and how many match in all, each with `registration_id`'s latest ticket with them.
    pub async fn talents(
        &self,
        fair_id: i64,
        registration_id: i64,
        filter: &TalentFilter<'_>,
        limit: i64,
        offset: i64,
    ) -> Result<(i64, Vec<Talent>)> {
        let rows = self.talent_rows(fair_id, filter, limit, offset).await?;
        let mut talents = rows.talents.clone();
        let ids: Vec<i64> = talents.iter().map(|t| t.student_id).collect();
        let tickets = self.latest_tickets(registration_id, &ids).await?;
        for t in &mut talents {
            if let Some((id, status)) = tickets.get(&t.student_id) {
                t.ticket_id = Some(*id);
                t.ticket_status = Some(*status);
            }
        }
        Ok((rows.total, talents))
    }

    /// One page of the students in a fair and how many match, the same for every employer:
    /// through the read cache.
    async fn talent_rows(
        &self,
        fair_id: i64,
        filter: &TalentFilter<'_>,
        limit: i64,
        offset: i64,
    ) -> Result<Arc<TalentRows>> {
        let key = (
            fair_id,
            vec![
                filter.school.to_string(),
                filter.major.to_string(),
                filter.degree.to_string(),
                filter
                    .graduation_year
                    .map(|y| y.to_string())
                    .unwrap_or_default(),
                filter.q.to_string(),
            ],
            limit,
            offset,
        );
        let cache = self.cache();
        cache
            .through(
                &cache.talents,
                key,
                self.read_talent_rows(fair_id, filter, limit, offset),
            )
            .await
    }

    async fn read_talent_rows(
        &self,
        fair_id: i64,
        filter: &TalentFilter<'_>,
        limit: i64,
        offset: i64,
    ) -> Result<Arc<TalentRows>> {
        // `$1` the fair; filters follow.
        let (conds, binds) = conditions(filter, 2);
        let total: i64 = if conds.is_empty() {
            sqlx::query_scalar("SELECT COUNT(*) FROM fair_entries WHERE fair_id = $1")
                .bind(fair_id)
                .fetch_one(self.pool())
                .await?
        } else {
            let mut q = sqlx::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) {FROM}{conds}")))
                .bind(fair_id);
            for b in binds {
                q = match b {
                    Bind::Text(t) => q.bind(t),
                    Bind::Int(i) => q.bind(i),
                };
            }
            q.fetch_one(self.pool()).await?
        };
        // `$1` the fair, `$2`/`$3` limit and offset; filters follow.
        let (conds, binds) = conditions(filter, 4);
        let mut q = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT fe.student_id, COALESCE(NULLIF(rs.name, ''), u.display_name) AS name, \
             rs.school, rs.major, rs.degree, rs.graduation_year, \
             rs.intended_positions, rs.skills, fe.completeness, fe.entered_at \
             {FROM}{conds} ORDER BY fe.entered_at DESC, fe.student_id DESC LIMIT $2 OFFSET $3"
        )))
        .bind(fair_id)
        .bind(limit)
        .bind(offset);
        for b in binds {
            q = match b {
                Bind::Text(t) => q.bind(t),
                Bind::Int(i) => q.bind(i),
            };
        }
        Ok(Arc::new(TalentRows {
            total,
            talents: q.fetch_all(self.pool()).await?,
        }))
    }

    /// The latest ticket of the registration with each of these students: id and status,
    /// through the read cache (a host's own ticket changes are seen at once).
    async fn latest_tickets(
        &self,
        registration_id: i64,
        student_ids: &[i64],
    ) -> Result<Arc<TicketStates>> {
        if student_ids.is_empty() {
            return Ok(Arc::default());
        }
        let key = (registration_id, student_ids.to_vec());
        let load = async {
            let mut q = sqlx::query_as::<_, LatestTicket>(AssertSqlSafe(format!(
                "SELECT student_id, id, status FROM tickets WHERE registration_id = $1 \
                 AND student_id IN ({}) ORDER BY id",
                placeholders(2, student_ids.len())
            )))
            .bind(registration_id);
            for id in student_ids {
                q = q.bind(*id);
            }
            // Ordered by id, so the latest of each student is inserted last.
            let states: TicketStates = q
                .fetch_all(self.pool())
                .await?
                .into_iter()
                .map(|t| (t.student_id, (t.id, t.status)))
                .collect();
            Ok(Arc::new(states))
        };
        let cache = self.cache();
        cache.through(&cache.talent_tickets, key, load).await
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn patterns_escape_and_blank_means_any() {
        assert_eq!(super::pattern("  "), "");
        assert_eq!(super::pattern("A_b%"), "%a\\_b\\%%");
    }

    #[test]
    fn only_set_filters_become_conditions_numbered_from_the_first_placeholder() {
        let none = super::conditions(&super::TalentFilter::default(), 4);
        assert_eq!((none.0.as_str(), none.1.len()), ("", 0));
        let set = super::TalentFilter {
            degree: "硕士",
            graduation_year: Some(2026),
            ..Default::default()
        };
        let (sql, binds) = super::conditions(&set, 4);
        assert_eq!(sql, " AND rs.degree = $4 AND rs.graduation_year = $5");
        assert_eq!(binds.len(), 2);
    }
}
