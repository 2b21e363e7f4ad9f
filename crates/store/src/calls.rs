//! Video calls on interview tickets, and who is in them.
//!
//! Status changes are compare-and-set (`WHERE status = $old`); a change that also moves the
//! ticket (answer: queued → in_call; end: in_call → done) writes both, with the ticket's history
//! line, in one transaction, so a call is never active on a ticket that is not in a call.

use fairhall_domain::call::{CallStatus, Seat};
use fairhall_domain::ticket::{Side, Status, Verdict};
use sqlx::AssertSqlSafe;

use crate::cache::Area;
use crate::tickets::{log_ticket_event, stale_ticket};
use crate::{Result, Stale, Store, StoreError, text_list};

/// A call with its ticket's ids.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Call {
    pub id: i64,
    pub ticket_id: i64,
    pub fair_id: i64,
    pub registration_id: i64,
    pub employer_id: i64,
    pub student_id: i64,
    #[sqlx(try_from = "String")]
    pub status: CallStatus,
    pub caller_id: i64,
    pub created_at: i64,
    pub ring_expires_at: i64,
    pub answered_at: Option<i64>,
    pub ended_at: Option<i64>,
    pub updated_at: i64,
}

/// Someone rung by a call or in it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CallParticipant {
    pub user_id: i64,
    /// The resume's name for the student, the account's for hosts.
    pub name: String,
    #[sqlx(try_from = "String")]
    pub side: Side,
    #[sqlx(try_from = "String")]
    pub role: Seat,
    pub joined_at: Option<i64>,
    pub left_at: Option<i64>,
}

/// Someone to ring or seat in a new call.
#[derive(Debug, Clone, Copy)]
pub struct NewParticipant {
    pub user_id: i64,
    pub side: Side,
}

/// The answer to a call compare-and-set that matched nothing: the call's status now.
async fn stale_call(conn: &mut sqlx::AnyConnection, id: i64) -> StoreError {
    let now: std::result::Result<Option<String>, _> =
        sqlx::query_scalar("SELECT status FROM calls WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await;
    match now {
        Ok(current) => match current.map(CallStatus::try_from).transpose() {
            Ok(current) => StoreError::Stale(Stale::Call(current)),
            Err(e) => e.into(),
        },
        Err(e) => e.into(),
    }
}

const CALL_COLUMNS: &str = "c.id, c.ticket_id, t.fair_id, t.registration_id, t.employer_id, \
     t.student_id, c.status, c.caller_id, c.created_at, c.ring_expires_at, c.answered_at, \
     c.ended_at, c.updated_at";

impl Store {
    /// Opens a ringing call with its caller joined and its callees rung. A second live call on
    /// the ticket is `StoreError::Unique(Constraint::OneLiveCall)`.
    pub async fn insert_call(
        &self,
        ticket_id: i64,
        caller: NewParticipant,
        callees: &[NewParticipant],
        now: i64,
        ring_expires_at: i64,
    ) -> Result<i64> {
        let mut tx = self.pool().begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO calls (ticket_id, status, caller_id, created_at, ring_expires_at, \
             updated_at) VALUES ($1, 'ringing', $2, $3, $4, $3) RETURNING id",
        )
        .bind(ticket_id)
        .bind(caller.user_id)
        .bind(now)
        .bind(ring_expires_at)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO call_participants (call_id, user_id, side, role, joined_at) \
             VALUES ($1, $2, $3, 'caller', $4)",
        )
        .bind(id)
        .bind(caller.user_id)
        .bind(caller.side.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        for c in callees.iter().filter(|c| c.user_id != caller.user_id) {
            sqlx::query(
                "INSERT INTO call_participants (call_id, user_id, side, role) \
                 VALUES ($1, $2, $3, 'callee')",
            )
            .bind(id)
            .bind(c.user_id)
            .bind(c.side.as_str())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    pub async fn call(&self, id: i64) -> Result<Option<Call>> {
        let row = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {CALL_COLUMNS} FROM calls c JOIN tickets t ON t.id = c.ticket_id \
             WHERE c.id = $1"
        )))
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row)
    }

    /// The ticket's ringing or active call, if any.
    pub async fn live_call_of_ticket(&self, ticket_id: i64) -> Result<Option<Call>> {
        let row = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {CALL_COLUMNS} FROM calls c JOIN tickets t ON t.id = c.ticket_id \
             WHERE c.ticket_id = $1 AND c.status IN ({}) ORDER BY c.id DESC",
            text_list(CallStatus::LIVE.map(CallStatus::as_str))
        )))
        .bind(ticket_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row)
    }

    /// The user's live calls, newest first: those ringing them or rung by them, and active ones
    /// they are in (joined, not left).
    pub async fn live_calls_of_user(&self, user_id: i64) -> Result<Vec<Call>> {
        let rows = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {CALL_COLUMNS} FROM calls c JOIN tickets t ON t.id = c.ticket_id \
             JOIN call_participants p ON p.call_id = c.id AND p.user_id = $1 \
             WHERE c.status = 'ringing' \
             OR (c.status = 'active' AND p.joined_at IS NOT NULL AND p.left_at IS NULL) \
             ORDER BY c.id DESC"
        )))
        .bind(user_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    pub async fn call_participants(&self, call_id: i64) -> Result<Vec<CallParticipant>> {
        let rows = sqlx::query_as(
            "SELECT p.user_id, CASE WHEN p.side = 'student' \
             THEN COALESCE(NULLIF(rs.name, ''), u.display_name) ELSE u.display_name END AS name, \
             p.side, p.role, p.joined_at, p.left_at \
             FROM call_participants p JOIN users u ON u.id = p.user_id \
             LEFT JOIN resumes rs ON rs.user_id = p.user_id \
             WHERE p.call_id = $1 ORDER BY p.joined_at IS NULL, p.joined_at, p.user_id",
        )
        .bind(call_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    /// Moves a call from `from` to `to` (decline, cancel, miss). `Stale` with the call's status
    /// now if it moved first.
    pub async fn transition_call(
        &self,
        id: i64,
        from: CallStatus,
        to: CallStatus,
        now: i64,
    ) -> Result<()> {
        let ended = (to != CallStatus::Active).then_some(now);
        let done = sqlx::query(
            "UPDATE calls SET status = $1, updated_at = $2, ended_at = COALESCE($3, ended_at) \
             WHERE id = $4 AND status = $5",
        )
        .bind(to.as_str())
        .bind(now)
        .bind(ended)
        .bind(id)
        .bind(from.as_str())
        .execute(self.pool())
        .await?;
        if done.rows_affected() != 1 {
            let mut conn = self.pool().acquire().await?;
            return Err(stale_call(&mut conn, id).await);
        }
        Ok(())
    }

    /// A callee answers: the call ringing → active, the answerer joins, and the ticket
    /// queued → in_call taken by `interviewer_id` (unless another interviewer has it), with its
    /// history line. `Stale(Call)` if the call moved first, `Stale(Ticket)` if the ticket did or
    /// is another interviewer's; nothing is written then.
    pub async fn answer_call(
        &self,
        call: &Call,
        answerer: i64,
        interviewer_id: i64,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        let done = sqlx::query(
            "UPDATE calls SET status = 'active', answered_at = $1, updated_at = $1 \
             WHERE id = $2 AND status = 'ringing' AND ring_expires_at > $1",
        )
        .bind(now)
        .bind(call.id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(stale_call(&mut tx, call.id).await);
        }
        let done = sqlx::query(
            "UPDATE tickets SET status = 'in_call', interviewer_id = $1, started_at = $2, \
             updated_at = $2 WHERE id = $3 AND status = 'queued' \
             AND (interviewer_id IS NULL OR interviewer_id = $1)",
        )
        .bind(interviewer_id)
        .bind(now)
        .bind(call.ticket_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(stale_ticket(&mut tx, call.ticket_id).await);
        }
        log_ticket_event(
            &mut tx,
            call.ticket_id,
            answerer,
            "start_call",
            Some(Status::Queued),
            Status::InCall,
            now,
        )
        .await?;
        sqlx::query(
            "UPDATE call_participants SET joined_at = $1, left_at = NULL \
             WHERE call_id = $2 AND user_id = $3",
        )
        .bind(now)
        .bind(call.id)
        .bind(answerer)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.cache().changed(Area::Tickets);
        Ok(())
    }

    /// Seats a user in a call (a panel host, or someone coming back). `Stale(Call)` if the call is
    /// no longer active, `CallFull` if it already has `max` people in it.
    pub async fn join_call(
        &self,
        call_id: i64,
        user_id: i64,
        side: Side,
        max: usize,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        // Touching the call row first serialises joins of one call on PostgreSQL.
        let active =
            sqlx::query("UPDATE calls SET updated_at = $1 WHERE id = $2 AND status = 'active'")
                .bind(now)
                .bind(call_id)
                .execute(&mut *tx)
                .await?;
        if active.rows_affected() != 1 {
            return Err(stale_call(&mut tx, call_id).await);
        }
        let joined: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM call_participants WHERE call_id = $1 \
             AND joined_at IS NOT NULL AND left_at IS NULL AND user_id <> $2",
        )
        .bind(call_id)
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
        if joined >= max as i64 {
            return Err(StoreError::CallFull);
        }
        sqlx::query(
            "INSERT INTO call_participants (call_id, user_id, side, role, joined_at) \
             VALUES ($1, $2, $3, 'joiner', $4) \
             ON CONFLICT (call_id, user_id) DO UPDATE SET joined_at = $4, left_at = NULL",
        )
        .bind(call_id)
        .bind(user_id)
        .bind(side.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A participant leaves; false if they were not in it.
    pub async fn leave_call(&self, call_id: i64, user_id: i64, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE call_participants SET left_at = $1 WHERE call_id = $2 AND user_id = $3 \
             AND joined_at IS NOT NULL AND left_at IS NULL",
        )
        .bind(now)
        .bind(call_id)
        .bind(user_id)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// A host ends the interview: the ticket in_call → done with the verdict and notes (and its
    /// history line), the call active → ended, in one transaction. `Stale` if either moved.
    pub async fn end_call(
        &self,
        call: &Call,
        actor_id: i64,
        verdict: Verdict,
        notes: &str,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        let done = sqlx::query(
            "UPDATE calls SET status = 'ended', ended_at = $1, updated_at = $1 \
             WHERE id = $2 AND status = 'active'",
        )
        .bind(now)
        .bind(call.id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(stale_call(&mut tx, call.id).await);
        }
        let done = sqlx::query(
            "UPDATE tickets SET status = 'done', verdict = $1, notes = $2, ended_at = $3, \
             updated_at = $3 WHERE id = $4 AND status = 'in_call'",
        )
        .bind(verdict.as_str())
        .bind(notes)
        .bind(now)
        .bind(call.ticket_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(stale_ticket(&mut tx, call.ticket_id).await);
        }
        log_ticket_event(
            &mut tx,
            call.ticket_id,
            actor_id,
            "end_call",
            Some(Status::InCall),
            Status::Done,
            now,
        )
        .await?;
        sqlx::query(
            "UPDATE call_participants SET left_at = $1 WHERE call_id = $2 \
             AND joined_at IS NOT NULL AND left_at IS NULL",
        )
        .bind(now)
        .bind(call.id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.cache().changed(Area::Tickets);
        Ok(())
    }
}
