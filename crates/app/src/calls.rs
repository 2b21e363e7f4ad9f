//! Calls: the ICE servers a browser gets, with TURN credentials minted per call.

use fairhall_domain::turn::{self, IceServer, TurnTag};
use fairhall_store::users::User;

use crate::{App, now_ms};

/// What a browser puts in `RTCConfiguration.iceServers`, and until when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IceServers {
    pub servers: Vec<IceServer>,
    /// When the TURN credentials expire (Unix ms); the browser fetches new ones before. `None`
    /// without TURN servers, since STUN needs no credentials.
    pub expires_at: Option<i64>,
}

impl App {
    /// The ICE servers for any signed-in user, with TURN credentials minted for them.
    pub fn ice_servers(&self, user: &User) -> IceServers {
        self.ice_servers_for(TurnTag::user(user.id), now_ms())
    }

    /// The ICE servers for one call, with TURN credentials minted for this user in this call.
    /// Only for those who may see the call (its student and the registration's hosts).
    pub async fn call_ice_servers(&self, user: &User, call_id: i64) -> AppResult<IceServers> {
        self.call_view(user, call_id).await?;
        Ok(self.ice_servers_for(TurnTag::call(user.id, call_id), now_ms()))
    }

    /// The ICE servers with TURN credentials for `tag` (a user, or a user in a call), valid
    /// from `now` (Unix ms) for `turn_ttl_secs`.
    pub fn ice_servers_for(&self, tag: TurnTag, now: i64) -> IceServers {
        let c = &self.config.calls;
        let creds = c
            .turn_secret()
            .filter(|_| !c.turn_urls.is_empty())
            .map(|secret| {
                turn::turn_credentials(
                    secret.as_bytes(),
                    &tag.to_string(),
                    now.div_euclid(1000),
                    i64::from(c.turn_ttl_secs),
                )
            });
        IceServers {
            servers: turn::ice_servers(&c.stun_urls, &c.turn_urls, creds.as_ref()),
            expires_at: creds.map(|t| t.expires_at.saturating_mul(1000)),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Video calls on interview tickets
// ---------------------------------------------------------------------------------------------
//
// Who may do what:
// - the student of a queued ticket, or a host of its registration (the employer's admins and
//   the interviewers chosen for it), starts a call during the fair's live window when the other
//   side is online; a host starting takes the ticket (one interviewer per ticket);
// - a callee answers or declines; the caller cancels while it rings; an unanswered ring ends
//   `missed` after `ring_timeout_secs` (a task on the node that started it, and a lazy check on
//   every read, so a ring whose node died still reads as missed);
// - a host of the registration joins a running call (at most four people), anyone in it leaves;
// - a host ends it with a verdict, and saves 面试备注 while the ticket is queued, in a call or done;
// - everyone else gets 404 for a call or ticket that is not theirs.
//
// Every change pushes `call_state` to everyone rung by the call or in it, and `ticket_changed`
// when the ticket moved.

use std::time::Duration;

use fairhall_domain::account::Role as AccountRole;
use fairhall_domain::call::{self, CallError, CallStatus, MAX_PARTICIPANTS, Seat};
use fairhall_domain::ticket::{self as ticket_rules, Action, Side, Status, TicketError, Verdict};
use fairhall_realtime::{CallData, CallParticipantData, Hub, ServerEvent, Topic};
use fairhall_store::calls::{Call, CallParticipant, NewParticipant};
use fairhall_store::tickets::Ticket;
use fairhall_store::{Constraint, Stale, Store, StoreError};

use crate::{AppError, AppResult};

/// A call as the HTTP API answers it: the pushed shape, plus the notes for hosts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallView {
    pub call: CallData,
    /// 面试备注, for hosts only (never sent to the student).
    pub notes: Option<String>,
}

impl From<CallError> for AppError {
    fn from(e: CallError) -> Self {
        if e.is_refusal() {
            AppError::Refused {
                code: e.code(),
                message: e.message(),
            }
        } else {
            AppError::Conflict {
                code: e.code(),
                field: "",
                message: e.message(),
            }
        }
    }
}

fn joined(p: &CallParticipant) -> bool {
    p.joined_at.is_some() && p.left_at.is_none()
}

/// What `user_id` is to the call.
fn role_in(call: &Call, parts: &[CallParticipant], user_id: i64, is_host: bool) -> call::Role {
    let me = parts.iter().find(|p| p.user_id == user_id);
    call::Role {
        is_caller: call.caller_id == user_id,
        is_callee: me.is_some_and(|p| p.role == Seat::Callee),
        is_host,
        joined: me.is_some_and(joined),
    }
}

/// The pushed shape of a call, read from the store.
async fn call_data(store: &Store, call: &Call, now: i64) -> Result<CallData, StoreError> {
    let parts = store.call_participants(call.id).await?;
    let employer_name = store.employer(call.employer_id).await?.name;
    let student_name = parts
        .iter()
        .find(|p| p.side == Side::Student)
        .map(|p| p.name.clone())
        .unwrap_or_default();
    let status = call
        .status
        .at(now, call.ring_expires_at)
        .as_str()
        .to_owned();
    Ok(CallData {
        id: call.id,
        ticket_id: call.ticket_id,
        fair_id: call.fair_id,
        registration_id: call.registration_id,
        status,
        caller_id: call.caller_id,
        ring_expires_at: call.ring_expires_at,
        participants: parts
            .iter()
            .filter(|p| p.joined_at.is_some())
            .map(|p| CallParticipantData {
                user_id: p.user_id,
                name: p.name.clone(),
                side: p.side.as_str().to_owned(),
                joined_at: p.joined_at,
                left_at: p.left_at,
            })
            .collect(),
        callee_ids: parts
            .iter()
            .filter(|p| p.role == Seat::Callee)
            .map(|p| p.user_id)
            .collect(),
        student_id: call.student_id,
        employer_name,
        student_name,
    })
}

/// Pushes `call_state` to everyone rung by the call or in it. Best-effort: pages refetch
/// `GET /api/v1/calls/current` after a reconnect.
async fn publish_call(store: &Store, hub: &Hub, call_id: i64) {
    let pushed = async {
        let Some(call) = store.call(call_id).await? else {
            return Ok::<_, StoreError>(());
        };
        let data = call_data(store, &call, crate::now_ms()).await?;
        let users = store.call_participants(call_id).await?;
        let event = ServerEvent::CallState { call: data };
        for u in users {
            hub.publish(Topic::User(u.user_id), event.clone()).await;
        }
        Ok(())
    }
    .await;
    if let Err(e) = pushed {
        tracing::warn!(error = %e, call.id = call_id, "call state not pushed");
    }
}

/// Writes `missed` on a ring past its expiry (compare-and-set: an answer that got in first
/// wins) and tells everyone. Returns the call as it is now.
async fn settle(store: &Store, hub: &Hub, call: Call, now: i64) -> Result<Call, StoreError> {
    let due = call::expire(call.status, now, call.ring_expires_at).is_ok();
    if !due {
        return Ok(call);
    }
    match store
        .transition_call(call.id, CallStatus::Ringing, CallStatus::Missed, now)
        .await
    {
        Ok(()) => publish_call(store, hub, call.id).await,
        Err(StoreError::Stale(_)) => {}
        Err(e) => return Err(e),
    }
    Ok(store.call(call.id).await?.unwrap_or(call))
}

/// The ring timer: once the ring's time is up, the call is missed unless answered first.
fn spawn_ring_timer(store: Store, hub: Hub, call_id: i64, ring_expires_at: i64) {
    tokio::spawn(async move {
        let wait = ring_expires_at.saturating_sub(crate::now_ms()).max(0);
        tokio::time::sleep(Duration::from_millis(wait as u64)).await;
        let result = async {
            match store.call(call_id).await? {
                Some(call) => settle(&store, &hub, call, crate::now_ms()).await.map(drop),
                None => Ok(()),
            }
        }
        .await;
        if let Err(e) = result {
            tracing::warn!(error = %e, call.id = call_id, "ring timeout not written");
        }
    });
}

impl App {
    async fn online(&self, ids: &[i64]) -> AppResult<std::collections::HashSet<i64>> {
        self.hub
            .bus()
            .online(ids)
            .await
            .map_err(|e| AppError::Internal(anyhow::anyhow!("presence lookup failed: {e}")))
    }

    /// A call of a ticket the user is a side of (404 otherwise), with that ticket and side, its
    /// ring settled.
    async fn own_call(&self, user: &User, call_id: i64) -> AppResult<(Call, Ticket, Side)> {
        if !matches!(
            user.role,
            AccountRole::Student | AccountRole::EmployerAdmin | AccountRole::Interviewer
        ) {
            return Err(AppError::Forbidden);
        }
        let call = self.store.call(call_id).await?.ok_or(AppError::NotFound)?;
        let (t, side) = self.own_ticket(user, call.ticket_id).await?;
        let call = settle(&self.store, &self.hub, call, now_ms()).await?;
        Ok((call, t, side))
    }

    async fn view(&self, call: &Call, side: Side) -> AppResult<CallView> {
        let data = call_data(&self.store, call, now_ms()).await?;
        let notes = match side {
            Side::Employer => self.store.ticket(call.ticket_id).await?.map(|t| t.notes),
            Side::Student => None,
        };
        Ok(CallView { call: data, notes })
    }

    /// After a failed compare-and-set: what the call or its ticket is now, as the error the
    /// user reads. A call that moved is named by its status now; a ticket still queued was
    /// taken by another interviewer.
    fn moved(call: &Call, stale: Stale, call_action: call::CallAction, action: Action) -> AppError {
        match stale {
            Stale::Call(Some(from)) => CallError::InvalidTransition {
                from: from.at(now_ms(), call.ring_expires_at),
                action: call_action,
            }
            .into(),
            Stale::Ticket(Some(Status::Queued)) => TicketError::TakenByOther.into(),
            Stale::Ticket(Some(from)) => TicketError::InvalidTransition { from, action }.into(),
            Stale::Call(None) | Stale::Ticket(None) => AppError::NotFound,
        }
    }

    /// 开始面试: starts a call on a queued ticket. The student rings the online hosts (only the
    /// ticket's interviewer once it has one); a host rings the student and takes the ticket.
    #[tracing::instrument(skip_all, fields(ticket.id = ticket_id))]
    pub async fn start_call(&self, user: &User, ticket_id: i64) -> AppResult<CallView> {
        let (t, side) = self.own_ticket(user, ticket_id).await?;
        self.start_on(user, t, side).await
    }

    async fn start_on(&self, user: &User, t: Ticket, side: Side) -> AppResult<CallView> {
        let now = now_ms();
        if let Some(c) = self.store.live_call_of_ticket(t.id).await? {
            let c = settle(&self.store, &self.hub, c, now).await?;
            if c.status.is_live() {
                return Err(AppError::Conflict {
                    code: "call_exists",
                    field: "",
                    message: fairhall_domain::msg!("error.app.call_exists"),
                });
            }
        }
        let live = self.live_window(t.fair_id).await?;
        let callees: Vec<NewParticipant> = match side {
            Side::Student => {
                let hosts = match t.interviewer_id {
                    Some(i) => vec![i],
                    None => self.store.registration_host_ids(t.registration_id).await?,
                };
                let online = self.online(&hosts).await?;
                hosts
                    .into_iter()
                    .filter(|h| online.contains(h))
                    .map(|user_id| NewParticipant {
                        user_id,
                        side: Side::Employer,
                    })
                    .collect()
            }
            Side::Employer => {
                let online = self.online(&[t.student_id]).await?;
                online
                    .contains(&t.student_id)
                    .then_some(NewParticipant {
                        user_id: t.student_id,
                        side: Side::Student,
                    })
                    .into_iter()
                    .collect()
            }
        };
        let interviewer = match side {
            Side::Employer => user.id,
            Side::Student => t.interviewer_id.unwrap_or_default(),
        };
        ticket_rules::start_call(
            t.status,
            side,
            now,
            live,
            !callees.is_empty(),
            t.interviewer_id,
            interviewer,
        )?;
        // The ticket is taken when the call is answered (compare-and-set in `answer_call`), not
        // here: a ring that is missed, declined or cancelled leaves it free for every host.
        let expires = now + i64::from(self.config.calls.ring_timeout_secs) * 1000;
        let caller = NewParticipant {
            user_id: user.id,
            side,
        };
        let id = match self
            .store
            .insert_call(t.id, caller, &callees, now, expires)
            .await
        {
            Ok(id) => id,
            Err(StoreError::Unique(Constraint::OneLiveCall)) => {
                return Err(AppError::Conflict {
                    code: "call_exists",
                    field: "",
                    message: fairhall_domain::msg!("error.app.call_exists"),
                });
            }
            Err(e) => return Err(e.into()),
        };
        spawn_ring_timer(self.store.clone(), self.hub.clone(), id, expires);
        publish_call(&self.store, &self.hub, id).await;
        let call = self.store.call(id).await?.ok_or(AppError::NotFound)?;
        self.view(&call, side).await
    }

    /// 下一位: starts a call with the registration's oldest queued ticket whose student is
    /// online (and that no other interviewer has taken).
    #[tracing::instrument(skip_all, fields(registration.id = registration_id))]
    pub async fn next_call(&self, user: &User, registration_id: i64) -> AppResult<CallView> {
        let registration = self.employer_registration(user, registration_id).await?;
        let live = self.live_window(registration.fair_id).await?;
        let now = now_ms();
        if !live.contains(now) {
            return Err(TicketError::NotLive {
                phase: live.phase(now),
            }
            .into());
        }
        let queued = self
            .store
            .tickets_of_registration(registration_id, &[Status::Queued])
            .await?;
        let students: Vec<i64> = queued.iter().map(|t| t.student_id).collect();
        let online = self.online(&students).await?;
        for q in queued
            .iter()
            .filter(|q| online.contains(&q.student_id))
            .filter(|q| q.interviewer_id.is_none_or(|i| i == user.id))
        {
            let Some(t) = self.store.ticket(q.id).await? else {
                continue;
            };
            match self.start_on(user, t, Side::Employer).await {
                Ok(v) => return Ok(v),
                // Someone else got to this one first: try the next.
                Err(AppError::Conflict { .. }) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(AppError::Missing {
            code: "no_one_online",
            message: fairhall_domain::msg!("error.app.no_one_online"),
        })
    }

    /// The user's ringing or active call, if any: to resume after a reload or a reconnect.
    pub async fn current_call(&self, user: &User) -> AppResult<Option<CallView>> {
        let side = match user.role {
            AccountRole::Student => Side::Student,
            AccountRole::EmployerAdmin | AccountRole::Interviewer => Side::Employer,
            // Every page asks (the ring banner); other roles simply have no calls.
            _ => return Ok(None),
        };
        let now = now_ms();
        for c in self.store.live_calls_of_user(user.id).await? {
            let c = settle(&self.store, &self.hub, c, now).await?;
            if c.status.is_live() {
                return Ok(Some(self.view(&c, side).await?));
            }
        }
        Ok(None)
    }

    /// A call of the user's ticket.
    pub async fn call_view(&self, user: &User, call_id: i64) -> AppResult<CallView> {
        let (call, _, side) = self.own_call(user, call_id).await?;
        self.view(&call, side).await
    }

    /// 接听: a callee answers; the call is active and the ticket in a call, taken by the host.
    #[tracing::instrument(skip_all, fields(call.id = call_id))]
    pub async fn answer_call(&self, user: &User, call_id: i64) -> AppResult<CallView> {
        let (call, _, side) = self.own_call(user, call_id).await?;
        let parts = self.store.call_participants(call.id).await?;
        let who = role_in(&call, &parts, user.id, side == Side::Employer);
        call::answer(call.status, who)?;
        let interviewer = match side {
            Side::Employer => user.id,
            Side::Student => call.caller_id,
        };
        match self
            .store
            .answer_call(&call, user.id, interviewer, now_ms())
            .await
        {
            Ok(()) => {}
            Err(StoreError::Stale(stale)) => {
                return Err(Self::moved(
                    &call,
                    stale,
                    call::CallAction::Answer,
                    Action::StartCall,
                ));
            }
            Err(e) => return Err(e.into()),
        }
        if let Some(t) = self.store.ticket(call.ticket_id).await? {
            self.publish_ticket(&t).await;
        }
        self.after_change(call.id, side).await
    }

    async fn after_change(&self, call_id: i64, side: Side) -> AppResult<CallView> {
        publish_call(&self.store, &self.hub, call_id).await;
        let call = self.store.call(call_id).await?.ok_or(AppError::NotFound)?;
        self.view(&call, side).await
    }

    /// A ringing call moves to `to` if the domain allows it (decline, cancel).
    async fn close_ring(
        &self,
        user: &User,
        call_id: i64,
        action: call::CallAction,
    ) -> AppResult<CallView> {
        let (call, _, side) = self.own_call(user, call_id).await?;
        let parts = self.store.call_participants(call.id).await?;
        let who = role_in(&call, &parts, user.id, side == Side::Employer);
        let from = call.status;
        let to = match action {
            call::CallAction::Decline => call::decline(from, who)?,
            _ => call::cancel(from, who)?,
        };
        match self
            .store
            .transition_call(call.id, from, to, now_ms())
            .await
        {
            Ok(()) => {}
            Err(StoreError::Stale(stale)) => {
                return Err(Self::moved(&call, stale, action, Action::Cancel));
            }
            Err(e) => return Err(e.into()),
        }
        self.after_change(call.id, side).await
    }

    /// 拒接: a callee declines; the ticket stays queued.
    pub async fn decline_call(&self, user: &User, call_id: i64) -> AppResult<CallView> {
        self.close_ring(user, call_id, call::CallAction::Decline)
            .await
    }

    /// The caller hangs up while it rings.
    pub async fn cancel_call(&self, user: &User, call_id: i64) -> AppResult<CallView> {
        self.close_ring(user, call_id, call::CallAction::Cancel)
            .await
    }

    /// Panel: a host of the registration joins a running call; someone who left comes back.
    #[tracing::instrument(skip_all, fields(call.id = call_id))]
    pub async fn join_call(&self, user: &User, call_id: i64) -> AppResult<CallView> {
        let (call, _, side) = self.own_call(user, call_id).await?;
        let parts = self.store.call_participants(call.id).await?;
        let who = role_in(&call, &parts, user.id, side == Side::Employer);
        let was_in = parts
            .iter()
            .any(|p| p.user_id == user.id && p.joined_at.is_some());
        let joined_now = parts.iter().filter(|p| joined(p)).count();
        call::join(call.status, who, was_in, joined_now)?;
        match self
            .store
            .join_call(call.id, user.id, side, MAX_PARTICIPANTS, now_ms())
            .await
        {
            Ok(()) => {}
            Err(StoreError::CallFull) => return Err(CallError::Full.into()),
            Err(StoreError::Stale(stale)) => {
                return Err(Self::moved(
                    &call,
                    stale,
                    call::CallAction::Join,
                    Action::StartCall,
                ));
            }
            Err(e) => return Err(e.into()),
        }
        self.after_change(call.id, side).await
    }

    /// A participant leaves; the call goes on (a host ends it with a verdict).
    pub async fn leave_call(&self, user: &User, call_id: i64) -> AppResult<CallView> {
        let (call, _, side) = self.own_call(user, call_id).await?;
        let parts = self.store.call_participants(call.id).await?;
        let who = role_in(&call, &parts, user.id, side == Side::Employer);
        call::leave(call.status, who)?;
        if !self.store.leave_call(call.id, user.id, now_ms()).await? {
            return Err(CallError::NotJoined.into());
        }
        self.after_change(call.id, side).await
    }

    /// 结束面试: a host ends the interview with a verdict (合适 / 不合适) and the notes (the
    /// saved ones when none are given). The ticket is done; the call ended.
    #[tracing::instrument(skip_all, fields(call.id = call_id))]
    pub async fn end_call(
        &self,
        user: &User,
        call_id: i64,
        verdict: Option<Verdict>,
        notes: Option<&str>,
    ) -> AppResult<CallView> {
        let (call, t, side) = self.own_call(user, call_id).await?;
        let parts = self.store.call_participants(call.id).await?;
        let who = role_in(&call, &parts, user.id, side == Side::Employer);
        call::end(call.status, who)?;
        let result =
            ticket_rules::end_call(t.status, t.origin, side, verdict, notes.unwrap_or(&t.notes))?;
        match self
            .store
            .end_call(&call, user.id, result.verdict, &result.notes, now_ms())
            .await
        {
            Ok(()) => {}
            Err(StoreError::Stale(stale)) => {
                return Err(Self::moved(
                    &call,
                    stale,
                    call::CallAction::End,
                    Action::EndCall,
                ));
            }
            Err(e) => return Err(e.into()),
        }
        if let Some(t) = self.store.ticket(call.ticket_id).await? {
            self.publish_ticket(&t).await;
        }
        self.after_change(call.id, side).await
    }

    /// 面试备注: a host saves the notes of a queued, running or finished interview. Returns
    /// when they were saved (Unix ms).
    pub async fn save_notes(&self, user: &User, ticket_id: i64, notes: &str) -> AppResult<i64> {
        let (t, side) = self.own_ticket(user, ticket_id).await?;
        if side != Side::Employer {
            return Err(AppError::Forbidden);
        }
        let notes = ticket_rules::parse_notes(notes)?;
        let now = now_ms();
        match self.store.save_ticket_notes(t.id, &notes, now).await {
            Ok(()) => Ok(now),
            Err(StoreError::Stale(Stale::Ticket(now))) => {
                let from = now.unwrap_or(t.status);
                Err(AppError::Conflict {
                    code: "invalid_transition",
                    field: "notes",
                    message: fairhall_domain::msg!(
                        "error.app.notes_invalid_transition",
                        status = from.label()
                    ),
                })
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The ticket left the queue (cancelled by either side, or marked 未到场) while a call rang
    /// or ran: a ring stops as `cancelled`, a running call ends. Best-effort; a ring that is not
    /// stopped times out anyway.
    pub(crate) async fn ticket_closed(&self, ticket_id: i64) {
        let stopped = async {
            let Some(c) = self.store.live_call_of_ticket(ticket_id).await? else {
                return Ok::<_, StoreError>(None);
            };
            let to = match c.status {
                CallStatus::Ringing => CallStatus::Cancelled,
                CallStatus::Active => CallStatus::Ended,
                _ => return Ok(None),
            };
            match self
                .store
                .transition_call(c.id, c.status, to, now_ms())
                .await
            {
                Ok(()) => Ok(Some(c.id)),
                Err(StoreError::Stale(_)) => Ok(None),
                Err(e) => Err(e),
            }
        }
        .await;
        match stopped {
            Ok(Some(id)) => publish_call(&self.store, &self.hub, id).await,
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, ticket.id = ticket_id, "ring not stopped"),
        }
    }

    /// Whether `from` may send signalling to `to` in a call: both joined, the call live.
    pub async fn may_signal(&self, from: i64, call_id: i64, to: i64) -> AppResult<bool> {
        let Some(call) = self.store.call(call_id).await? else {
            return Ok(false);
        };
        let status = call.status.at(now_ms(), call.ring_expires_at);
        let parts = self.store.call_participants(call.id).await?;
        let is_in = |u: i64| parts.iter().any(|p| p.user_id == u && joined(p));
        Ok(call::may_signal(status, is_in(from), is_in(to), from == to))
    }
}
