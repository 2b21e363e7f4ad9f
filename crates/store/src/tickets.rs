//! Interview tickets and their history.
//!
//! A ticket's status changes only compare-and-set: `UPDATE … WHERE id = $1 AND status = $old`,
//! with its history row in the same transaction. When two people answer the same ticket at
//! once, exactly one update matches; the other gets `StoreError::Stale` with the ticket's
//! status now. A partial unique index keeps one open ticket per student and registration even
//! when two requests race past the application's check.

use fairhall_domain::ticket::{Origin, Status, Verdict};
use sqlx::AssertSqlSafe;

use crate::cache::Area;
use crate::{NullText, Result, Stale, Store, StoreError, placeholders, text_list};

/// The ticket as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Ticket {
    pub id: i64,
    pub fair_id: i64,
    pub registration_id: i64,
    pub employer_id: i64,
    pub student_id: i64,
    #[sqlx(try_from = "String")]
    pub origin: Origin,
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub position_id: Option<i64>,
    pub interviewer_id: Option<i64>,
    #[sqlx(try_from = "NullText")]
    pub verdict: Option<Verdict>,
    pub notes: String,
    pub cancel_reason: Option<String>,
    pub created_by: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub answered_at: Option<i64>,
    pub started_at: Option<i64>,
    pub ended_at: Option<i64>,
}

/// A ticket as its student lists it: with the employer and the fair. No interview notes.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StudentTicket {
    pub id: i64,
    pub fair_id: i64,
    pub fair_title: String,
    pub fair_code: String,
    pub fair_starts_at: i64,
    pub fair_ends_at: i64,
    pub registration_id: i64,
    pub employer_id: i64,
    pub employer_name: String,
    #[sqlx(try_from = "String")]
    pub origin: Origin,
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub position_id: Option<i64>,
    pub position_title: Option<String>,
    #[sqlx(try_from = "NullText")]
    pub verdict: Option<Verdict>,
    pub cancel_reason: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A ticket as the employer lists it: with the student's resume basics.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EmployerTicket {
    pub id: i64,
    pub fair_id: i64,
    pub registration_id: i64,
    pub student_id: i64,
    pub student_name: String,
    pub school: Option<String>,
    pub major: Option<String>,
    pub degree: Option<String>,
    pub graduation_year: Option<i64>,
    #[sqlx(try_from = "String")]
    pub origin: Origin,
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub position_id: Option<i64>,
    pub position_title: Option<String>,
    pub interviewer_id: Option<i64>,
    pub interviewer_name: Option<String>,
    #[sqlx(try_from = "NullText")]
    pub verdict: Option<Verdict>,
    pub notes: String,
    pub cancel_reason: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// One line of a ticket's history.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TicketEvent {
    pub id: i64,
    pub ticket_id: i64,
    pub actor_id: i64,
    pub action: String,
    /// None for the ticket's creation.
    #[sqlx(try_from = "NullText")]
    pub from_status: Option<Status>,
    #[sqlx(try_from = "String")]
    pub to_status: Status,
    pub at: i64,
}

/// A ticket to open.
#[derive(Debug, Clone)]
pub struct NewTicket {
    pub fair_id: i64,
    pub registration_id: i64,
    pub employer_id: i64,
    pub student_id: i64,
    /// Also the history's action.
    pub origin: Origin,
    pub status: Status,
    pub position_id: Option<i64>,
    pub created_by: i64,
}

/// A status change, as the domain allowed it.
#[derive(Debug, Clone)]
pub struct TicketChange<'a> {
    pub from: Status,
    pub to: Status,
    /// e.g. `accept`, `reject`, `decline`, `cancel`.
    pub action: &'a str,
    pub actor_id: i64,
    /// Set when the change answers a pending ticket.
    pub answered: bool,
    /// Written when given; kept otherwise.
    pub reason: Option<&'a str>,
}

const COLUMNS: &str = "id, fair_id, registration_id, employer_id, student_id, origin, status, \
     position_id, interviewer_id, verdict, notes, cancel_reason, created_by, created_at, \
     updated_at, answered_at, started_at, ended_at";

/// The answer to a ticket compare-and-set that matched nothing: the ticket's status now.
pub(crate) async fn stale_ticket(conn: &mut sqlx::AnyConnection, id: i64) -> StoreError {
    let now: std::result::Result<Option<String>, _> =
        sqlx::query_scalar("SELECT status FROM tickets WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await;
    match now {
        Ok(current) => match current.map(Status::try_from).transpose() {
            Ok(current) => StoreError::Stale(Stale::Ticket(current)),
            Err(e) => e.into(),
        },
        Err(e) => e.into(),
    }
}

/// One line of a ticket's history (`ticket_events`), written in the transaction that made the
/// change; `from` is `None` for the ticket's creation.
pub(crate) async fn log_ticket_event(
    conn: &mut sqlx::AnyConnection,
    ticket_id: i64,
    actor_id: i64,
    action: &str,
    from: Option<Status>,
    to: Status,
    at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO ticket_events (ticket_id, actor_id, action, from_status, to_status, at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(ticket_id)
    .bind(actor_id)
    .bind(action)
    .bind(from.map(Status::as_str))
    .bind(to.as_str())
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

impl Store {
    /// Opens a ticket and writes its first history line, in one transaction. A second open
    /// ticket for the same student and registration is `StoreError::Unique(Constraint::OneOpenTicket)`.
    pub async fn insert_ticket(&self, t: &NewTicket, now: i64) -> Result<i64> {
        let mut tx = self.pool().begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO tickets (fair_id, registration_id, employer_id, student_id, origin, \
             status, position_id, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
        )
        .bind(t.fair_id)
        .bind(t.registration_id)
        .bind(t.employer_id)
        .bind(t.student_id)
        .bind(t.origin.as_str())
        .bind(t.status.as_str())
        .bind(t.position_id)
        .bind(t.created_by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        log_ticket_event(
            &mut tx,
            id,
            t.created_by,
            t.origin.as_str(),
            None,
            t.status,
            now,
        )
        .await?;
        tx.commit().await?;
        self.cache().changed(Area::Tickets);
        Ok(id)
    }

    pub async fn ticket(&self, id: i64) -> Result<Option<Ticket>> {
        let row = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM tickets WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row)
    }

    /// Moves a ticket from `change.from` to `change.to` and logs it, in one transaction. If the
    /// ticket is no longer in `change.from` (someone else moved it first), nothing is written
    /// and the answer is `StoreError::Stale` with the ticket's status now.
    pub async fn transition_ticket(
        &self,
        id: i64,
        change: &TicketChange<'_>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        let done = sqlx::query(
            "UPDATE tickets SET status = $1, updated_at = $2, answered_at = COALESCE($3, answered_at), \
             cancel_reason = COALESCE($4, cancel_reason) WHERE id = $5 AND status = $6",
        )
        .bind(change.to.as_str())
        .bind(now)
        .bind(change.answered.then_some(now))
        .bind(change.reason.map(str::to_owned))
        .bind(id)
        .bind(change.from.as_str())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(stale_ticket(&mut tx, id).await);
        }
        log_ticket_event(
            &mut tx,
            id,
            change.actor_id,
            change.action,
            Some(change.from),
            change.to,
            now,
        )
        .await?;
        tx.commit().await?;
        self.cache().changed(Area::Tickets);
        Ok(())
    }

    /// The statuses of every ticket a student has had with a registration, oldest first.
    pub async fn ticket_statuses(
        &self,
        registration_id: i64,
        student_id: i64,
    ) -> Result<Vec<Status>> {
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT status FROM tickets WHERE registration_id = $1 AND student_id = $2 ORDER BY id",
        )
        .bind(registration_id)
        .bind(student_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(Status::try_from)
            .collect::<std::result::Result<_, _>>()?)
    }

    /// A student's tickets, newest first.
    pub async fn tickets_of_student(&self, student_id: i64) -> Result<Vec<StudentTicket>> {
        let rows = sqlx::query_as(
            "SELECT t.id, t.fair_id, f.title AS fair_title, f.entry_code AS fair_code, \
             f.starts_at AS fair_starts_at, f.ends_at AS fair_ends_at, t.registration_id, \
             t.employer_id, e.name AS employer_name, t.origin, t.status, t.position_id, \
             p.title AS position_title, t.verdict, t.cancel_reason, t.created_at, t.updated_at \
             FROM tickets t JOIN fairs f ON f.id = t.fair_id JOIN employers e ON e.id = t.employer_id \
             LEFT JOIN positions p ON p.id = t.position_id \
             WHERE t.student_id = $1 ORDER BY t.id DESC",
        )
        .bind(student_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    /// The tickets of a registration in any of `statuses` (all when empty), oldest first: the
    /// order students asked in. The name is the resume's, or the account's without one.
    pub async fn tickets_of_registration(
        &self,
        registration_id: i64,
        statuses: &[Status],
    ) -> Result<Vec<EmployerTicket>> {
        let filter = if statuses.is_empty() {
            String::new()
        } else {
            format!(" AND t.status IN ({})", placeholders(2, statuses.len()))
        };
        let sql = format!(
            "SELECT t.id, t.fair_id, t.registration_id, t.student_id, \
             COALESCE(NULLIF(rs.name, ''), u.display_name) AS student_name, rs.school, rs.major, \
             rs.degree, rs.graduation_year, t.origin, t.status, t.position_id, \
             p.title AS position_title, t.interviewer_id, iv.display_name AS interviewer_name, \
             t.verdict, t.notes, t.cancel_reason, t.created_at, t.updated_at \
             FROM tickets t JOIN users u ON u.id = t.student_id \
             LEFT JOIN resumes rs ON rs.user_id = t.student_id \
             LEFT JOIN positions p ON p.id = t.position_id \
             LEFT JOIN users iv ON iv.id = t.interviewer_id \
             WHERE t.registration_id = $1{filter} ORDER BY t.id"
        );
        let mut q = sqlx::query_as(AssertSqlSafe(sql)).bind(registration_id);
        for s in statuses {
            q = q.bind(s.as_str());
        }
        Ok(q.fetch_all(self.pool()).await?)
    }

    /// 面试备注: saves the notes of a queued, running or finished interview. `Stale` if the
    /// ticket is in none of those.
    pub async fn save_ticket_notes(&self, id: i64, notes: &str, now: i64) -> Result<()> {
        let sql = format!(
            "UPDATE tickets SET notes = $1, updated_at = $2 WHERE id = $3 AND status IN ({})",
            text_list(Status::WITH_NOTES.map(Status::as_str))
        );
        let done = sqlx::query(AssertSqlSafe(sql))
            .bind(notes)
            .bind(now)
            .bind(id)
            .execute(self.pool())
            .await?;
        if done.rows_affected() != 1 {
            let mut conn = self.pool().acquire().await?;
            return Err(stale_ticket(&mut conn, id).await);
        }
        Ok(())
    }

    /// Whether a student holds an open ticket with a registration `host_id` hosts: any of the
    /// employer's when `host_is_admin`, else one they were chosen for.
    pub async fn open_ticket_with_host(
        &self,
        student_id: i64,
        employer_id: i64,
        host_id: i64,
        host_is_admin: bool,
    ) -> Result<bool> {
        let open = text_list(Status::OPEN.map(Status::as_str));
        let sql = if host_is_admin {
            format!(
                "SELECT COUNT(*) FROM tickets t WHERE t.student_id = $1 AND t.employer_id = $2 \
                 AND t.status IN ({open}) AND $3 > 0"
            )
        } else {
            format!(
                "SELECT COUNT(*) FROM tickets t JOIN registration_interviewers ri \
                 ON ri.registration_id = t.registration_id AND ri.user_id = $3 \
                 WHERE t.student_id = $1 AND t.employer_id = $2 AND t.status IN ({open})"
            )
        };
        let n: i64 = sqlx::query_scalar(AssertSqlSafe(sql))
            .bind(student_id)
            .bind(employer_id)
            .bind(host_id)
            .fetch_one(self.pool())
            .await?;
        Ok(n > 0)
    }

    /// Whether a student holds any ticket with a registration `host_id` hosts.
    pub async fn any_ticket_with_host(
        &self,
        student_id: i64,
        employer_id: i64,
        host_id: i64,
        host_is_admin: bool,
    ) -> Result<bool> {
        let sql = if host_is_admin {
            "SELECT COUNT(*) FROM tickets t WHERE t.student_id = $1 AND t.employer_id = $2 \
             AND $3 > 0"
        } else {
            "SELECT COUNT(*) FROM tickets t JOIN registration_interviewers ri \
             ON ri.registration_id = t.registration_id AND ri.user_id = $3 \
             WHERE t.student_id = $1 AND t.employer_id = $2"
        };
        let n: i64 = sqlx::query_scalar(sql)
            .bind(student_id)
            .bind(employer_id)
            .bind(host_id)
            .fetch_one(self.pool())
            .await?;
        Ok(n > 0)
    }

    /// A ticket's history, oldest first.
    pub async fn ticket_events(&self, ticket_id: i64) -> Result<Vec<TicketEvent>> {
        let rows = sqlx::query_as(
            "SELECT id, ticket_id, actor_id, action, from_status, to_status, at \
             FROM ticket_events WHERE ticket_id = $1 ORDER BY id",
        )
        .bind(ticket_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lists_bind_from_the_second_placeholder() {
        assert_eq!(placeholders(2, 3), "$2, $3, $4");
        assert_eq!(placeholders(2, 0), "");
    }
}
