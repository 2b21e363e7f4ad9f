//! Follow-up notices on finished interviews: what the employer told the student afterwards.

use fairhall_domain::ticket::{Origin, Status, Verdict};
use sqlx::AssertSqlSafe;

use crate::{Result, Store};

/// Where one of a student's tickets stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct TicketState {
    pub registration_id: i64,
    #[sqlx(try_from = "String")]
    pub status: Status,
    #[sqlx(try_from = "String")]
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TicketNotice {
    pub id: i64,
    pub ticket_id: i64,
    pub sender_id: i64,
    pub body: String,
    pub created_at: i64,
}

impl Store {
    pub async fn insert_ticket_notice(
        &self,
        ticket_id: i64,
        sender_id: i64,
        body: &str,
        now: i64,
    ) -> Result<TicketNotice> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO ticket_notices (ticket_id, sender_id, body, created_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(ticket_id)
        .bind(sender_id)
        .bind(body.to_owned())
        .bind(now)
        .fetch_one(self.pool())
        .await?;
        Ok(TicketNotice {
            id,
            ticket_id,
            sender_id,
            body: body.to_owned(),
            created_at: now,
        })
    }

    /// The notices of these tickets, oldest first.
    pub async fn ticket_notices(&self, ticket_ids: &[i64]) -> Result<Vec<TicketNotice>> {
        if ticket_ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = (1..=ticket_ids.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT id, ticket_id, sender_id, body, created_at FROM ticket_notices \
             WHERE ticket_id IN ({list}) ORDER BY id"
        );
        let mut q = sqlx::query_as(AssertSqlSafe(sql));
        for id in ticket_ids {
            q = q.bind(*id);
        }
        Ok(q.fetch_all(self.pool()).await?)
    }

    /// The done tickets of a registration marked suitable (合适).
    pub async fn suitable_ticket_ids(&self, registration_id: i64) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT id FROM tickets WHERE registration_id = $1 AND status = '{}' \
             AND verdict = '{}' ORDER BY id",
            Status::Done.as_str(),
            Verdict::Suitable.as_str()
        )))
        .bind(registration_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// Every ticket of a student in a fair as (registration id, status, origin), oldest first.
    pub async fn student_ticket_states_in_fair(
        &self,
        student_id: i64,
        fair_id: i64,
    ) -> Result<Vec<TicketState>> {
        Ok(sqlx::query_as(
            "SELECT registration_id, status, origin FROM tickets \
             WHERE student_id = $1 AND fair_id = $2 ORDER BY id",
        )
        .bind(student_id)
        .bind(fair_id)
        .fetch_all(self.pool())
        .await?)
    }
}
