//! Interview tickets (面试): one student × one registration (an employer in a fair).
//!
//! A ticket starts when the student applies (主动报名) or the employer invites (邀约), waits
//! `pending` for the other side's answer, then `queued` (待面试) until a call, `in_call`, and
//! ends `done` with a verdict, or `rejected`, `declined`, `cancelled`, `no_show` on the way.
//!
//! Every change goes through a function here that takes the status read from the store and
//! returns the one to write, so a stale page or two interviewers clicking at once cannot write
//! a status the rules do not allow. Checks run in a fixed order: the status first (if someone
//! else already moved the ticket, that is what the user needs to hear), then who is acting,
//! then time, presence and the input.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::DomainError;
use crate::message::Message;
use crate::msg;

/// A cancellation reason is shown to the other side; a short one is fine ("临时有事").
pub const CANCEL_REASON_MAX: usize = 200;
/// Interview notes (面试备注), written during the call.
pub const NOTES_MAX: usize = 2000;

/// An interviewer's account id.
pub type InterviewerId = i64;

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

/// The fair's live window in Unix milliseconds: from `starts_at` (inclusive) to `ends_at`
/// (exclusive), the same bounds `fair::FairStatus::at` calls 进行中.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveWindow {
    pub starts_at: i64,
    pub ends_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LivePhase {
    Before,
    Live,
    After,
}

impl LiveWindow {
    pub fn new(starts_at: i64, ends_at: i64) -> LiveWindow {
        LiveWindow { starts_at, ends_at }
    }

    pub fn phase(self, now: i64) -> LivePhase {
        if now < self.starts_at {
            LivePhase::Before
        } else if now < self.ends_at {
            LivePhase::Live
        } else {
            LivePhase::After
        }
    }

    pub fn contains(self, now: i64) -> bool {
        self.phase(now) == LivePhase::Live
    }

    fn require_live(self, now: i64) -> Result<(), TicketError> {
        match self.phase(now) {
            LivePhase::Live => Ok(()),
            phase => Err(TicketError::NotLive { phase }),
        }
    }
}

/// The two sides of a ticket. Employer admins and interviewers act as `Employer`; which
/// interviewer matters only for `start_call`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Student,
    Employer,
}

impl Side {
    pub const ALL: [Side; 2] = [Side::Student, Side::Employer];

    pub fn as_str(self) -> &'static str {
        match self {
            Side::Student => "student",
            Side::Employer => "employer",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Side::Student => "学生",
            Side::Employer => "单位",
        }
    }

    /// The side's name, for messages in any language.
    pub fn label(self) -> Message {
        match self {
            Side::Student => msg!("label.ticket.side.student"),
            Side::Employer => msg!("label.ticket.side.employer"),
        }
    }

    pub fn other(self) -> Side {
        match self {
            Side::Student => Side::Employer,
            Side::Employer => Side::Student,
        }
    }
}

/// Who opened the ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// The student applied (求职者主动报名); the employer answers.
    Applied,
    /// The employer invited (单位主动邀约); the student answers.
    Invited,
}

impl Origin {
    pub const ALL: [Origin; 2] = [Origin::Applied, Origin::Invited];

    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Applied => "applied",
            Origin::Invited => "invited",
        }
    }

    pub fn parse(s: &str) -> Option<Origin> {
        Origin::ALL.into_iter().find(|o| o.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Origin::Applied => "主动申请",
            Origin::Invited => "单位邀约",
        }
    }

    /// The side that opened the ticket.
    pub fn asker(self) -> Side {
        match self {
            Origin::Applied => Side::Student,
            Origin::Invited => Side::Employer,
        }
    }

    /// The side that must answer a pending ticket.
    pub fn answerer(self) -> Side {
        self.asker().other()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumIter)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 待处理: the other side must answer.
    Pending,
    /// 待面试: both sides agreed; waiting for a call.
    Queued,
    /// 已拒绝: the employer refused an application. Final for this student, employer and fair.
    Rejected,
    /// 已婉拒: the student declined an invitation.
    Declined,
    /// 已取消
    Cancelled,
    /// 面试中
    InCall,
    /// 已面试, with a verdict.
    Done,
    /// 未到场
    NoShow,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Pending,
        Status::Queued,
        Status::Rejected,
        Status::Declined,
        Status::Cancelled,
        Status::InCall,
        Status::Done,
        Status::NoShow,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Queued => "queued",
            Status::Rejected => "rejected",
            Status::Declined => "declined",
            Status::Cancelled => "cancelled",
            Status::InCall => "in_call",
            Status::Done => "done",
            Status::NoShow => "no_show",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Status::Pending => "待处理",
            Status::Queued => "待面试",
            Status::Rejected => "已拒绝",
            Status::Declined => "已婉拒",
            Status::Cancelled => "已取消",
            Status::InCall => "面试中",
            Status::Done => "已面试",
            Status::NoShow => "未到场",
        }
    }

    /// The status's name, for messages in any language.
    pub fn label(self) -> Message {
        match self {
            Status::Pending => msg!("label.ticket.status.pending"),
            Status::Queued => msg!("label.ticket.status.queued"),
            Status::Rejected => msg!("label.ticket.status.rejected"),
            Status::Declined => msg!("label.ticket.status.declined"),
            Status::Cancelled => msg!("label.ticket.status.cancelled"),
            Status::InCall => msg!("label.ticket.status.in_call"),
            Status::Done => msg!("label.ticket.status.done"),
            Status::NoShow => msg!("label.ticket.status.no_show"),
        }
    }

    /// The statuses still in play: a student has at most one open ticket per registration.
    /// The partial unique index `tickets_one_open` lists exactly these (a store test checks).
    pub const OPEN: [Status; 3] = [Status::Pending, Status::Queued, Status::InCall];

    /// The statuses whose 面试备注 a host may still write: agreed, running or finished.
    pub const WITH_NOTES: [Status; 3] = [Status::Queued, Status::InCall, Status::Done];

    /// Still in play: a student has at most one open ticket per registration. `OPEN` lists
    /// the same statuses (a test checks).
    pub fn is_open(self) -> bool {
        match self {
            Status::Pending | Status::Queued | Status::InCall => true,
            Status::Rejected
            | Status::Declined
            | Status::Cancelled
            | Status::Done
            | Status::NoShow => false,
        }
    }

    /// A host may still write the ticket's 面试备注. `WITH_NOTES` lists the same statuses.
    pub fn takes_notes(self) -> bool {
        match self {
            Status::Queued | Status::InCall | Status::Done => true,
            Status::Pending
            | Status::Rejected
            | Status::Declined
            | Status::Cancelled
            | Status::NoShow => false,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Status {
    type Err = TicketError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Status::parse(s).ok_or_else(|| TicketError::UnknownStatus {
            value: s.to_owned(),
        })
    }
}

/// The employer's verdict at the end of an interview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// 合适
    Suitable,
    /// 不合适
    Unsuitable,
}

impl Verdict {
    pub const ALL: [Verdict; 2] = [Verdict::Suitable, Verdict::Unsuitable];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Suitable => "suitable",
            Verdict::Unsuitable => "unsuitable",
        }
    }

    pub fn parse(s: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Verdict::Suitable => "合适",
            Verdict::Unsuitable => "不合适",
        }
    }
}

/// A change to an existing ticket; carried by errors so the message can name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Accept,
    Reject,
    Decline,
    Cancel,
    StartCall,
    EndCall,
    NoShow,
}

impl Action {
    pub const ALL: [Action; 7] = [
        Action::Accept,
        Action::Reject,
        Action::Decline,
        Action::Cancel,
        Action::StartCall,
        Action::EndCall,
        Action::NoShow,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::Reject => "reject",
            Action::Decline => "decline",
            Action::Cancel => "cancel",
            Action::StartCall => "start_call",
            Action::EndCall => "end_call",
            Action::NoShow => "no_show",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Action::Accept => "接受",
            Action::Reject => "拒绝",
            Action::Decline => "婉拒",
            Action::Cancel => "取消",
            Action::StartCall => "开始面试",
            Action::EndCall => "结束面试",
            Action::NoShow => "标记未到场",
        }
    }

    /// What the action does, for messages in any language.
    pub fn label(self) -> Message {
        match self {
            Action::Accept => msg!("label.ticket.action.accept"),
            Action::Reject => msg!("label.ticket.action.reject"),
            Action::Decline => msg!("label.ticket.action.decline"),
            Action::Cancel => msg!("label.ticket.action.cancel"),
            Action::StartCall => msg!("label.ticket.action.start_call"),
            Action::EndCall => msg!("label.ticket.action.end_call"),
            Action::NoShow => msg!("label.ticket.action.no_show"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TicketError {
    #[error("cannot {action:?} a ticket that is {from}")]
    InvalidTransition { from: Status, action: Action },
    #[error("the {actor:?} side may not {action:?} a ticket from {origin:?}")]
    NotAllowed {
        actor: Side,
        action: Action,
        origin: Origin,
    },
    #[error("the fair is not live ({phase:?})")]
    NotLive { phase: LivePhase },
    #[error("the employer rejected this student in this fair")]
    RejectedFinal { actor: Side },
    #[error("an open ticket already exists")]
    AlreadyOpen { actor: Side },
    #[error("the registration is not approved")]
    RegistrationNotApproved,
    #[error("the other side is offline")]
    OtherSideOffline { actor: Side },
    #[error("another interviewer has this ticket")]
    TakenByOther,
    #[error("a verdict is required to end the interview")]
    VerdictRequired,
    #[error("a reason is required")]
    ReasonRequired,
    #[error("the reason has {len} characters, at most {CANCEL_REASON_MAX}")]
    ReasonTooLong { len: usize },
    #[error("the notes have {len} characters, at most {NOTES_MAX}")]
    NotesTooLong { len: usize },
    #[error("the text contains control characters")]
    InvalidCharacters { field: &'static str },
    #[error("unknown status {value:?}")]
    UnknownStatus { value: String },
}

impl TicketError {
    /// Stable code for API clients and logs.
    pub fn code(&self) -> &'static str {
        match self {
            TicketError::InvalidTransition { .. } => "invalid_transition",
            TicketError::NotAllowed { .. } => "not_allowed",
            TicketError::NotLive { .. } => "not_live",
            TicketError::RejectedFinal { .. } => "rejected_final",
            TicketError::AlreadyOpen { .. } => "already_open",
            TicketError::RegistrationNotApproved => "registration_not_approved",
            TicketError::OtherSideOffline { .. } => "other_side_offline",
            TicketError::TakenByOther => "taken_by_other",
            TicketError::VerdictRequired => "verdict_required",
            TicketError::ReasonRequired => "reason_required",
            TicketError::ReasonTooLong { .. } => "reason_too_long",
            TicketError::NotesTooLong { .. } => "notes_too_long",
            TicketError::InvalidCharacters { .. } => "invalid_characters",
            TicketError::UnknownStatus { .. } => "unknown_status",
        }
    }

    /// The form field the error belongs to; empty for errors about the whole request.
    pub fn field(&self) -> &'static str {
        match self {
            TicketError::ReasonRequired | TicketError::ReasonTooLong { .. } => "reason",
            TicketError::NotesTooLong { .. } => "notes",
            TicketError::VerdictRequired => "verdict",
            TicketError::InvalidCharacters { field } => field,
            _ => "",
        }
    }

    pub fn message(&self) -> Message {
        match self {
            TicketError::InvalidTransition { from, action } => msg!(
                "error.ticket.invalid_transition",
                status = from.label(),
                action = action.label()
            ),
            TicketError::NotAllowed {
                actor,
                action,
                origin,
            } => match (action, origin) {
                (Action::Accept | Action::Reject | Action::Decline, Origin::Applied) => {
                    msg!("error.ticket.application_answered_by_employer")
                }
                (Action::Accept | Action::Reject | Action::Decline, Origin::Invited) => {
                    msg!("error.ticket.invitation_answered_by_student")
                }
                (Action::Cancel, Origin::Applied) => {
                    msg!("error.ticket.pending_application_cannot_cancel")
                }
                (Action::Cancel, Origin::Invited) => {
                    msg!("error.ticket.pending_invitation_cannot_cancel")
                }
                (Action::EndCall, _) => msg!("error.ticket.only_interviewer_ends"),
                (Action::NoShow, _) => msg!("error.ticket.only_interviewer_marks_no_show"),
                (Action::StartCall, _) => {
                    msg!(
                        "error.ticket.side_cannot",
                        side = actor.label(),
                        action = action.label()
                    )
                }
            },
            TicketError::NotLive { phase } => match phase {
                LivePhase::Before => msg!("error.ticket.fair_not_started"),
                LivePhase::Live | LivePhase::After => msg!("error.ticket.fair_ended"),
            },
            TicketError::RejectedFinal { actor } => match actor {
                Side::Student => msg!("error.ticket.rejected_final_student"),
                Side::Employer => msg!("error.ticket.rejected_final_employer"),
            },
            TicketError::AlreadyOpen { actor } => match actor {
                Side::Student => msg!("error.ticket.already_open_student"),
                Side::Employer => msg!("error.ticket.already_open_employer"),
            },
            TicketError::RegistrationNotApproved => msg!("error.ticket.registration_not_approved"),
            TicketError::OtherSideOffline { actor } => match actor {
                Side::Employer => msg!("error.ticket.student_offline"),
                Side::Student => msg!("error.ticket.interviewer_offline"),
            },
            TicketError::TakenByOther => msg!("error.ticket.taken_by_other"),
            TicketError::VerdictRequired => msg!("error.ticket.verdict_required"),
            TicketError::ReasonRequired => msg!("error.ticket.reason_required"),
            TicketError::ReasonTooLong { len } => {
                msg!(
                    "error.ticket.reason_too_long",
                    max = CANCEL_REASON_MAX,
                    len = *len
                )
            }
            TicketError::NotesTooLong { len } => {
                msg!("error.ticket.notes_too_long", max = NOTES_MAX, len = *len)
            }
            TicketError::InvalidCharacters { .. } => msg!("error.ticket.invalid_characters"),
            TicketError::UnknownStatus { value } => {
                msg!("error.ticket.unknown_status", value = value)
            }
        }
    }

    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        self.message().zh()
    }
}

impl From<TicketError> for DomainError {
    fn from(e: TicketError) -> Self {
        DomainError::new(e.code(), e.field(), e.message())
    }
}

// ---------------------------------------------------------------------------------------------
// Opening a ticket
// ---------------------------------------------------------------------------------------------

/// What earlier tickets between this student and this registration allow. A rejection is
/// final: the seed says a rejected candidate can never come back (拒绝后不可再进来). Otherwise
/// a new ticket is fine once the last one is closed (declined, cancelled, done, no-show).
fn check_history(previous: &[Status], actor: Side) -> Result<(), TicketError> {
    if previous.contains(&Status::Rejected) {
        return Err(TicketError::RejectedFinal { actor });
    }
    if previous.iter().any(|s| s.is_open()) {
        return Err(TicketError::AlreadyOpen { actor });
    }
    Ok(())
}

/// A student asks the employer for a video interview. Only while the fair is live: before
/// the fair day students deliver resumes and chat (seed guide, part 3).
///
/// `previous` holds the statuses of every earlier ticket of this student with this
/// registration.
pub fn apply(previous: &[Status], now: i64, live: LiveWindow) -> Result<Status, TicketError> {
    check_history(previous, Side::Student)?;
    live.require_live(now)?;
    Ok(Status::Pending)
}

/// The employer invites a student from the job-seeker hall (求职者大厅). Allowed once the
/// registration is approved, before the fair as well as during it (so the queue is ready on the
/// day), but not after it ended.
pub fn invite(
    previous: &[Status],
    registration_approved: bool,
    now: i64,
    live: LiveWindow,
) -> Result<Status, TicketError> {
    if !registration_approved {
        return Err(TicketError::RegistrationNotApproved);
    }
    check_history(previous, Side::Employer)?;
    if live.phase(now) == LivePhase::After {
        return Err(TicketError::NotLive {
            phase: LivePhase::After,
        });
    }
    Ok(Status::Pending)
}

// ---------------------------------------------------------------------------------------------
// Answering a pending ticket
// ---------------------------------------------------------------------------------------------

/// A pending ticket is answered by the side that did not open it.
fn answer(
    status: Status,
    origin: Origin,
    actor: Side,
    action: Action,
    only_for: Option<Origin>,
    to: Status,
) -> Result<Status, TicketError> {
    if status != Status::Pending {
        return Err(TicketError::InvalidTransition {
            from: status,
            action,
        });
    }
    if actor != origin.answerer() || only_for.is_some_and(|o| o != origin) {
        return Err(TicketError::NotAllowed {
            actor,
            action,
            origin,
        });
    }
    Ok(to)
}

/// The employer accepts an application, or the student accepts an invitation: either way the
/// student joins the interview list (待面试).
pub fn accept(status: Status, origin: Origin, actor: Side) -> Result<Status, TicketError> {
    answer(status, origin, actor, Action::Accept, None, Status::Queued)
}

/// The employer refuses an application. Final: see `apply`.
pub fn reject(status: Status, origin: Origin, actor: Side) -> Result<Status, TicketError> {
    answer(
        status,
        origin,
        actor,
        Action::Reject,
        Some(Origin::Applied),
        Status::Rejected,
    )
}

/// The student declines an invitation. Not final: the student may apply later.
pub fn decline(status: Status, origin: Origin, actor: Side) -> Result<Status, TicketError> {
    answer(
        status,
        origin,
        actor,
        Action::Decline,
        Some(Origin::Invited),
        Status::Declined,
    )
}

/// A cancellation reason, trimmed and checked.
pub fn parse_cancel_reason(input: &str) -> Result<String, TicketError> {
    let s = input.trim();
    let len = s.chars().count();
    if len == 0 {
        Err(TicketError::ReasonRequired)
    } else if len > CANCEL_REASON_MAX {
        Err(TicketError::ReasonTooLong { len })
    } else if s.chars().any(char::is_control) {
        Err(TicketError::InvalidCharacters { field: "reason" })
    } else {
        Ok(s.to_owned())
    }
}

/// Either side calls off an agreed interview (待面试), with a reason the other side is shown.
/// A pending ticket may be withdrawn only by the side that opened it; the side that must answer
/// it accepts, rejects or declines instead, so an employer cannot dodge the finality of a
/// rejection by "cancelling" an application.
pub fn cancel(
    status: Status,
    origin: Origin,
    actor: Side,
    reason: &str,
) -> Result<(Status, String), TicketError> {
    match status {
        Status::Pending if actor != origin.asker() => Err(TicketError::NotAllowed {
            actor,
            action: Action::Cancel,
            origin,
        }),
        Status::Pending | Status::Queued => Ok((Status::Cancelled, parse_cancel_reason(reason)?)),
        _ => Err(TicketError::InvalidTransition {
            from: status,
            action: Action::Cancel,
        }),
    }
}

// ---------------------------------------------------------------------------------------------
// The call
// ---------------------------------------------------------------------------------------------

/// A call starts from 待面试, only inside the live window and with the other side online.
/// Either side may start it (the student, when the employer is online; the employer, with any
/// online candidate). `interviewer` is the one hosting the call: the one who clicked "开始面试",
/// or who picked up the student's call. One interviewer per ticket: if `taken_by` names someone
/// else, the ticket is theirs; the app then records `interviewer` as `taken_by`.
pub fn start_call(
    status: Status,
    actor: Side,
    now: i64,
    live: LiveWindow,
    other_side_online: bool,
    taken_by: Option<InterviewerId>,
    interviewer: InterviewerId,
) -> Result<Status, TicketError> {
    let taken_by_other = taken_by.is_some_and(|t| t != interviewer);
    match status {
        Status::Queued => {}
        Status::InCall if taken_by_other => return Err(TicketError::TakenByOther),
        _ => {
            return Err(TicketError::InvalidTransition {
                from: status,
                action: Action::StartCall,
            });
        }
    }
    if taken_by_other {
        return Err(TicketError::TakenByOther);
    }
    live.require_live(now)?;
    if !other_side_online {
        return Err(TicketError::OtherSideOffline { actor });
    }
    Ok(Status::InCall)
}

/// Interview notes (面试备注): trimmed, line endings unified, bounded. May be empty.
pub fn parse_notes(input: &str) -> Result<String, TicketError> {
    let s = input.replace("\r\n", "\n").replace(['\r', '\t'], " ");
    let s = s.trim();
    if s.chars().any(|c| c.is_control() && c != '\n') {
        return Err(TicketError::InvalidCharacters { field: "notes" });
    }
    let len = s.chars().count();
    if len > NOTES_MAX {
        return Err(TicketError::NotesTooLong { len });
    }
    Ok(s.to_owned())
}

/// What `end_call` writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallResult {
    pub status: Status,
    pub verdict: Verdict,
    pub notes: String,
}

/// The employer ends the interview. The seed is explicit: the candidate must be marked 合适 or
/// 不合适 first, so every finished interview has a result the student can be told.
pub fn end_call(
    status: Status,
    origin: Origin,
    actor: Side,
    verdict: Option<Verdict>,
    notes: &str,
) -> Result<CallResult, TicketError> {
    if status != Status::InCall {
        return Err(TicketError::InvalidTransition {
            from: status,
            action: Action::EndCall,
        });
    }
    if actor != Side::Employer {
        return Err(TicketError::NotAllowed {
            actor,
            action: Action::EndCall,
            origin,
        });
    }
    let verdict = verdict.ok_or(TicketError::VerdictRequired)?;
    Ok(CallResult {
        status: Status::Done,
        verdict,
        notes: parse_notes(notes)?,
    })
}

/// The employer marks that the student did not turn up: from 待面试, or from a call the
/// student never joined. Not before the fair has started, since nobody can miss an interview
/// that could not yet take place; after it ended is fine (tidying the list).
pub fn no_show(
    status: Status,
    origin: Origin,
    actor: Side,
    now: i64,
    live: LiveWindow,
) -> Result<Status, TicketError> {
    if !matches!(status, Status::Queued | Status::InCall) {
        return Err(TicketError::InvalidTransition {
            from: status,
            action: Action::NoShow,
        });
    }
    if actor != Side::Employer {
        return Err(TicketError::NotAllowed {
            actor,
            action: Action::NoShow,
            origin,
        });
    }
    if live.phase(now) == LivePhase::Before {
        return Err(TicketError::NotLive {
            phase: LivePhase::Before,
        });
    }
    Ok(Status::NoShow)
}

/// An optional reason (a rejection may give one): blank means none, otherwise checked like a
/// cancellation reason.
pub fn parse_optional_reason(input: Option<&str>) -> Result<Option<String>, TicketError> {
    match input.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => parse_cancel_reason(s).map(Some),
    }
}

/// The longest follow-up notice, in characters.
pub const NOTICE_MAX: usize = 500;

/// A follow-up notice to a student after the interview (面试结果通知): 1–500 characters, line
/// breaks allowed, no other control characters.
pub fn parse_notice_body(input: &str) -> Result<String, DomainError> {
    let s = input.trim();
    let len = s.chars().count();
    if len == 0 {
        Err(DomainError::new(
            "notice_required",
            "body",
            msg!("error.ticket.notice_required"),
        ))
    } else if len > NOTICE_MAX {
        Err(DomainError::new(
            "notice_too_long",
            "body",
            msg!("error.ticket.notice_too_long", max = NOTICE_MAX, len = len),
        ))
    } else if s
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        Err(DomainError::new(
            "invalid_characters",
            "body",
            msg!("error.ticket.notice_invalid_characters"),
        ))
    } else {
        Ok(s.to_owned())
    }
}

// ---------------------------------------------------------------------------------------------
// Lists
// ---------------------------------------------------------------------------------------------

/// The tabs of an interview room's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListTab {
    /// 待处理: applications and invitations waiting for an answer.
    Pending,
    /// 待面试: agreed, waiting for a call or in one.
    Queued,
    /// 已面试: interviews that ended, with or without the student.
    Done,
    /// Closed without an interview: rejected, declined, cancelled.
    Closed,
}

impl ListTab {
    pub const ALL: [ListTab; 4] = [
        ListTab::Pending,
        ListTab::Queued,
        ListTab::Done,
        ListTab::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ListTab::Pending => "pending",
            ListTab::Queued => "queued",
            ListTab::Done => "done",
            ListTab::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<ListTab> {
        ListTab::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The statuses the tab lists.
    pub fn statuses(self) -> &'static [Status] {
        match self {
            ListTab::Pending => &[Status::Pending],
            ListTab::Queued => &[Status::Queued, Status::InCall],
            ListTab::Done => &[Status::Done, Status::NoShow],
            ListTab::Closed => &[Status::Rejected, Status::Declined, Status::Cancelled],
        }
    }

    /// The tab a status is listed under.
    pub fn of(status: Status) -> ListTab {
        match status {
            Status::Pending => ListTab::Pending,
            Status::Queued | Status::InCall => ListTab::Queued,
            Status::Done | Status::NoShow => ListTab::Done,
            Status::Rejected | Status::Declined | Status::Cancelled => ListTab::Closed,
        }
    }
}

/// How a registration's tickets count on the 面试间's tabs, and how many interviews ended
/// 合适 (suitable).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TabCounts {
    pub pending: usize,
    pub queued: usize,
    pub done: usize,
    pub closed: usize,
    pub suitable: usize,
}

impl TabCounts {
    pub fn of(tickets: impl IntoIterator<Item = (Status, Option<Verdict>)>) -> TabCounts {
        let mut c = TabCounts::default();
        for (status, verdict) in tickets {
            match ListTab::of(status) {
                ListTab::Pending => c.pending += 1,
                ListTab::Queued => c.queued += 1,
                ListTab::Done => c.done += 1,
                ListTab::Closed => c.closed += 1,
            }
            if status == Status::Done && verdict == Some(Verdict::Suitable) {
                c.suitable += 1;
            }
        }
        c
    }
}

/// Where a student's 我的面试 lists a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StudentGroup {
    /// 面试邀请: an employer invited; the student answers.
    Invitations,
    /// 我的申请: the student applied; the employer answers.
    Applications,
    /// 待面试 (or in the call now).
    Queued,
    /// 已面试
    Finished,
    /// Closed without an interview.
    Closed,
}

impl StudentGroup {
    pub fn of(status: Status, origin: Origin) -> StudentGroup {
        match (ListTab::of(status), origin) {
            (ListTab::Pending, Origin::Invited) => StudentGroup::Invitations,
            (ListTab::Pending, Origin::Applied) => StudentGroup::Applications,
            (ListTab::Queued, _) => StudentGroup::Queued,
            (ListTab::Done, _) => StudentGroup::Finished,
            (ListTab::Closed, _) => StudentGroup::Closed,
        }
    }
}

/// What the 视频面试 button beside an employer shows a student.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyButton {
    /// 申请面试, enabled: the fair is live and the student has no ticket that stands.
    Apply,
    /// No ticket that stands and the fair is not live: when it opens, or that it ended.
    Closed(crate::fair::VideoButton),
    /// The ticket that stands with this employer, shown instead of the button.
    Ticket(TicketShown),
}

/// A ticket as the button beside its employer shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketShown {
    /// The employer refused the application: final for this fair.
    Rejected,
    /// The employer invited; the student answers on 我的面试.
    Invited,
    /// The student applied; the employer has not answered.
    Pending,
    Queued,
    InCall,
    Done,
}

impl TicketShown {
    pub fn as_str(self) -> &'static str {
        match self {
            TicketShown::Rejected => "rejected",
            TicketShown::Invited => "invited",
            TicketShown::Pending => "pending",
            TicketShown::Queued => "queued",
            TicketShown::InCall => "in_call",
            TicketShown::Done => "done",
        }
    }
}

impl ApplyButton {
    /// The button for the fair's `video` state and the student's latest ticket with the
    /// employer, if any. A declined, cancelled or missed interview does not stand: the student
    /// may apply again while the fair is live.
    pub fn of(video: crate::fair::VideoButton, ticket: Option<(Status, Origin)>) -> ApplyButton {
        let shown = ticket.and_then(|(status, origin)| match status {
            Status::Rejected => Some(TicketShown::Rejected),
            Status::Pending => Some(match origin {
                Origin::Invited => TicketShown::Invited,
                Origin::Applied => TicketShown::Pending,
            }),
            Status::Queued => Some(TicketShown::Queued),
            Status::InCall => Some(TicketShown::InCall),
            Status::Done => Some(TicketShown::Done),
            Status::Declined | Status::Cancelled | Status::NoShow => None,
        });
        match (shown, video) {
            (Some(t), _) => ApplyButton::Ticket(t),
            (None, crate::fair::VideoButton::Live) => ApplyButton::Apply,
            (None, v) => ApplyButton::Closed(v),
        }
    }
}

#[cfg(test)]
mod tests {

    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn tab_counts_count_each_ticket_once_and_suitable_interviews_apart() {
        let c = TabCounts::of([
            (Status::Pending, None),
            (Status::Pending, None),
            (Status::InCall, None),
            (Status::Queued, None),
            (Status::Done, Some(Verdict::Suitable)),
            (Status::Done, Some(Verdict::Unsuitable)),
            (Status::NoShow, None),
            (Status::Declined, None),
        ]);
        assert_eq!(
            c,
            TabCounts {
                pending: 2,
                queued: 2,
                done: 3,
                closed: 1,
                suitable: 1
            }
        );
    }

    #[test]
    fn a_students_tickets_group_by_state_and_who_began() {
        use StudentGroup as G;
        assert_eq!(G::of(Status::Pending, Origin::Invited), G::Invitations);
        assert_eq!(G::of(Status::Pending, Origin::Applied), G::Applications);
        assert_eq!(G::of(Status::InCall, Origin::Invited), G::Queued);
        assert_eq!(G::of(Status::NoShow, Origin::Applied), G::Finished);
        assert_eq!(G::of(Status::Cancelled, Origin::Applied), G::Closed);
    }

    #[test]
    fn the_apply_button_shows_a_standing_ticket_else_the_fairs_state() {
        use crate::fair::VideoButton;
        let b = ApplyButton::of;
        assert_eq!(b(VideoButton::Live, None), ApplyButton::Apply);
        assert_eq!(
            b(VideoButton::OpensAt(5), None),
            ApplyButton::Closed(VideoButton::OpensAt(5))
        );
        assert_eq!(
            b(VideoButton::Live, Some((Status::Pending, Origin::Invited))),
            ApplyButton::Ticket(TicketShown::Invited)
        );
        assert_eq!(
            b(
                VideoButton::Ended,
                Some((Status::Rejected, Origin::Applied))
            ),
            ApplyButton::Ticket(TicketShown::Rejected)
        );
        for s in [Status::Declined, Status::Cancelled, Status::NoShow] {
            assert_eq!(
                b(VideoButton::Live, Some((s, Origin::Applied))),
                ApplyButton::Apply
            );
        }
    }

    #[test]
    fn the_status_lists_name_every_status_and_agree_with_their_rules() {
        use strum::IntoEnumIterator;
        assert_eq!(Status::iter().collect::<Vec<_>>(), Status::ALL, "ALL");
        let open: Vec<Status> = Status::iter().filter(|s| s.is_open()).collect();
        assert_eq!(open, Status::OPEN, "OPEN");
        let notes: Vec<Status> = Status::iter().filter(|s| s.takes_notes()).collect();
        assert_eq!(notes, Status::WITH_NOTES, "WITH_NOTES");
    }

    #[test]
    fn a_notice_has_one_to_five_hundred_characters() {
        assert_eq!(
            parse_notice_body("  请于周五前回复  ").unwrap(),
            "请于周五前回复"
        );
        assert_eq!(
            parse_notice_body(" \n ").unwrap_err().code,
            "notice_required"
        );
        assert_eq!(
            parse_notice_body(&"好".repeat(500))
                .unwrap()
                .chars()
                .count(),
            500
        );
        assert_eq!(
            parse_notice_body(&"好".repeat(501)).unwrap_err().code,
            "notice_too_long"
        );
        assert_eq!(
            parse_notice_body("第一行\n第二行").unwrap(),
            "第一行\n第二行"
        );
        assert_eq!(
            parse_notice_body("a\u{7}b").unwrap_err().code,
            "invalid_characters"
        );
    }

    const LIVE: LiveWindow = LiveWindow {
        starts_at: 1_000,
        ends_at: 2_000,
    };
    const DURING: i64 = 1_500;

    /// Every action in the most favourable circumstances, so only status, origin and actor
    /// decide.
    fn act(
        status: Status,
        origin: Origin,
        action: Action,
        actor: Side,
    ) -> Result<Status, TicketError> {
        match action {
            Action::Accept => accept(status, origin, actor),
            Action::Reject => reject(status, origin, actor),
            Action::Decline => decline(status, origin, actor),
            Action::Cancel => cancel(status, origin, actor, "临时有事").map(|(s, _)| s),
            Action::StartCall => start_call(status, actor, DURING, LIVE, true, None, 7),
            Action::EndCall => end_call(status, origin, actor, Some(Verdict::Suitable), "沟通顺畅")
                .map(|r| r.status),
            Action::NoShow => no_show(status, origin, actor, DURING, LIVE),
        }
    }

    /// The statuses an action may start from at all.
    fn sources(action: Action) -> &'static [Status] {
        match action {
            Action::Accept | Action::Reject | Action::Decline => &[Status::Pending],
            Action::Cancel => &[Status::Pending, Status::Queued],
            Action::StartCall => &[Status::Queued],
            Action::EndCall => &[Status::InCall],
            Action::NoShow => &[Status::Queued, Status::InCall],
        }
    }

    #[test]
    fn exactly_the_legal_transitions_succeed() {
        use Action::*;
        use Origin::*;
        use Side::*;
        use Status::*;
        let mut legal: Vec<(Status, Origin, Action, Side, Status)> = vec![
            (Pending, Applied, Accept, Employer, Queued),
            (Pending, Invited, Accept, Student, Queued),
            (Pending, Applied, Reject, Employer, Rejected),
            (Pending, Invited, Decline, Student, Declined),
            (Pending, Applied, Cancel, Student, Cancelled),
            (Pending, Invited, Cancel, Employer, Cancelled),
        ];
        for origin in Origin::ALL {
            for actor in Side::ALL {
                legal.push((Queued, origin, Cancel, actor, Cancelled));
                legal.push((Queued, origin, StartCall, actor, InCall));
            }
            legal.push((InCall, origin, EndCall, Employer, Done));
            legal.push((Queued, origin, Action::NoShow, Employer, Status::NoShow));
            legal.push((InCall, origin, Action::NoShow, Employer, Status::NoShow));
        }

        let mut tried = 0;
        let mut succeeded = 0;
        for status in Status::ALL {
            for origin in Origin::ALL {
                for action in Action::ALL {
                    for actor in Side::ALL {
                        tried += 1;
                        let got = act(status, origin, action, actor);
                        let case = format!("{status:?} {origin:?} {action:?} {actor:?}");
                        match legal
                            .iter()
                            .find(|l| (l.0, l.1, l.2, l.3) == (status, origin, action, actor))
                        {
                            Some(l) => {
                                succeeded += 1;
                                assert_eq!(got, Ok(l.4), "{case}");
                            }
                            None => {
                                let err = got.unwrap_err();
                                let want = if sources(action).contains(&status) {
                                    "not_allowed"
                                } else {
                                    "invalid_transition"
                                };
                                assert_eq!(err.code(), want, "{case}");
                                if want == "invalid_transition" {
                                    assert!(err.message_zh().contains(status.label_zh()), "{case}");
                                }
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(tried, 8 * 2 * 7 * 2);
        assert_eq!(succeeded, legal.len());
    }

    #[test]
    fn wrong_side_messages_say_who_must_answer() {
        let e = accept(Status::Pending, Origin::Applied, Side::Student).unwrap_err();
        assert_eq!(e.message_zh(), "该面试申请需由单位接受或拒绝");
        let e = reject(Status::Pending, Origin::Invited, Side::Employer).unwrap_err();
        assert_eq!(e.message_zh(), "该面试邀约需由学生接受或婉拒");
        let e = cancel(Status::Pending, Origin::Applied, Side::Employer, "x").unwrap_err();
        assert_eq!(e.message_zh(), "待处理的面试申请不能直接取消，请接受或拒绝");
        let e = end_call(
            Status::InCall,
            Origin::Applied,
            Side::Student,
            Some(Verdict::Suitable),
            "",
        )
        .unwrap_err();
        assert_eq!(e.message_zh(), "只有单位面试官可以结束面试并给出结果");
    }

    // --- opening --------------------------------------------------------------------------

    #[test]
    fn applying_is_only_possible_inside_the_live_window() {
        assert_eq!(apply(&[], LIVE.starts_at, LIVE), Ok(Status::Pending));
        assert_eq!(apply(&[], LIVE.ends_at - 1, LIVE), Ok(Status::Pending));
        assert_eq!(
            apply(&[], LIVE.starts_at - 1, LIVE),
            Err(TicketError::NotLive {
                phase: LivePhase::Before
            })
        );
        assert_eq!(
            apply(&[], LIVE.ends_at, LIVE),
            Err(TicketError::NotLive {
                phase: LivePhase::After
            })
        );
        assert_eq!(
            TicketError::NotLive {
                phase: LivePhase::Before
            }
            .message_zh(),
            "双选会尚未开始，开始后才能进行视频面试"
        );
    }

    #[test]
    fn rejection_is_final_for_that_student_employer_and_fair() {
        for history in [
            vec![Status::Rejected],
            vec![Status::Cancelled, Status::Rejected, Status::Done],
        ] {
            let e = apply(&history, DURING, LIVE).unwrap_err();
            assert_eq!(
                e,
                TicketError::RejectedFinal {
                    actor: Side::Student
                }
            );
            assert_eq!(e.code(), "rejected_final");
            let e = invite(&history, true, DURING, LIVE).unwrap_err();
            assert_eq!(e.code(), "rejected_final");
        }
        // Even outside the window, the permanent reason is the one given.
        assert_eq!(
            apply(&[Status::Rejected], 0, LIVE).map_err(|e| e.code()),
            Err("rejected_final")
        );
    }

    #[test]
    fn one_open_ticket_at_a_time() {
        for open in [Status::Pending, Status::Queued, Status::InCall] {
            assert_eq!(
                apply(&[open], DURING, LIVE),
                Err(TicketError::AlreadyOpen {
                    actor: Side::Student
                })
            );
            assert_eq!(
                invite(&[Status::Done, open], true, DURING, LIVE),
                Err(TicketError::AlreadyOpen {
                    actor: Side::Employer
                })
            );
        }
        for closed in [
            Status::Declined,
            Status::Cancelled,
            Status::Done,
            Status::NoShow,
        ] {
            assert_eq!(apply(&[closed], DURING, LIVE), Ok(Status::Pending));
            assert_eq!(invite(&[closed], true, DURING, LIVE), Ok(Status::Pending));
        }
    }

    #[test]
    fn invitations_need_an_approved_registration_and_a_fair_not_yet_over() {
        assert_eq!(
            invite(&[], false, DURING, LIVE),
            Err(TicketError::RegistrationNotApproved)
        );
        assert_eq!(invite(&[], true, 0, LIVE), Ok(Status::Pending));
        assert_eq!(
            invite(&[], true, LIVE.ends_at - 1, LIVE),
            Ok(Status::Pending)
        );
        assert_eq!(
            invite(&[], true, LIVE.ends_at, LIVE).map_err(|e| e.code()),
            Err("not_live")
        );
    }

    // --- the call -------------------------------------------------------------------------

    #[test]
    fn a_call_starts_only_inside_the_live_window() {
        let start = |now| start_call(Status::Queued, Side::Employer, now, LIVE, true, None, 7);
        assert_eq!(start(LIVE.starts_at), Ok(Status::InCall));
        assert_eq!(start(LIVE.ends_at - 1), Ok(Status::InCall));
        assert_eq!(
            start(LIVE.starts_at - 1),
            Err(TicketError::NotLive {
                phase: LivePhase::Before
            })
        );
        assert_eq!(
            start(LIVE.ends_at),
            Err(TicketError::NotLive {
                phase: LivePhase::After
            })
        );
        assert!(LIVE.contains(LIVE.starts_at) && !LIVE.contains(LIVE.ends_at));
    }

    #[test]
    fn a_call_needs_the_other_side_online() {
        for actor in Side::ALL {
            let e = start_call(Status::Queued, actor, DURING, LIVE, false, None, 7).unwrap_err();
            assert_eq!(e, TicketError::OtherSideOffline { actor });
            assert_eq!(e.code(), "other_side_offline");
        }
        assert!(
            TicketError::OtherSideOffline {
                actor: Side::Employer
            }
            .message_zh()
            .contains("学生")
        );
    }

    #[test]
    fn one_interviewer_per_ticket() {
        let start = |status, taken_by, me| {
            start_call(status, Side::Employer, DURING, LIVE, true, taken_by, me)
        };
        assert_eq!(start(Status::Queued, None, 7), Ok(Status::InCall));
        assert_eq!(start(Status::Queued, Some(7), 7), Ok(Status::InCall));
        assert_eq!(
            start(Status::Queued, Some(8), 7),
            Err(TicketError::TakenByOther)
        );
        assert_eq!(
            start(Status::InCall, Some(8), 7),
            Err(TicketError::TakenByOther)
        );
        assert_eq!(
            start(Status::InCall, Some(7), 7).map_err(|e| e.code()),
            Err("invalid_transition")
        );
        // Taken outranks timing and presence: it is the reason that will not go away.
        assert_eq!(
            start_call(Status::Queued, Side::Employer, 0, LIVE, false, Some(8), 7),
            Err(TicketError::TakenByOther)
        );
    }

    #[test]
    fn an_interview_ends_only_with_a_verdict() {
        assert_eq!(
            end_call(
                Status::InCall,
                Origin::Applied,
                Side::Employer,
                None,
                "备注"
            ),
            Err(TicketError::VerdictRequired)
        );
        assert_eq!(TicketError::VerdictRequired.field(), "verdict");
        for v in Verdict::ALL {
            let r = end_call(
                Status::InCall,
                Origin::Invited,
                Side::Employer,
                Some(v),
                " 表达清晰\r\n基础扎实 ",
            )
            .unwrap();
            assert_eq!(
                r,
                CallResult {
                    status: Status::Done,
                    verdict: v,
                    notes: "表达清晰\n基础扎实".into()
                }
            );
        }
        assert_eq!(
            end_call(
                Status::InCall,
                Origin::Applied,
                Side::Employer,
                Some(Verdict::Unsuitable),
                &"字".repeat(NOTES_MAX + 1)
            )
            .map_err(|e| e.code()),
            Err("notes_too_long")
        );
        // Status first: a finished interview is not ended twice.
        assert_eq!(
            end_call(Status::Done, Origin::Applied, Side::Employer, None, "").map_err(|e| e.code()),
            Err("invalid_transition")
        );
    }

    #[test]
    fn no_shows_are_marked_after_the_fair_starts() {
        let mark = |now| no_show(Status::Queued, Origin::Applied, Side::Employer, now, LIVE);
        assert_eq!(
            mark(LIVE.starts_at - 1).map_err(|e| e.code()),
            Err("not_live")
        );
        assert_eq!(mark(LIVE.starts_at), Ok(Status::NoShow));
        assert_eq!(mark(LIVE.ends_at + 1), Ok(Status::NoShow));
    }

    #[test]
    fn cancelling_needs_a_reason() {
        let c = |reason: &str| cancel(Status::Queued, Origin::Applied, Side::Student, reason);
        assert_eq!(c(" 临时有事 "), Ok((Status::Cancelled, "临时有事".into())));
        assert_eq!(c("  "), Err(TicketError::ReasonRequired));
        assert_eq!(
            c(&"字".repeat(CANCEL_REASON_MAX + 1)),
            Err(TicketError::ReasonTooLong {
                len: CANCEL_REASON_MAX + 1
            })
        );
        assert_eq!(c("a\u{0}b").map_err(|e| e.field()), Err("reason"));
        assert_eq!(TicketError::ReasonRequired.field(), "reason");
        // Status before reason.
        assert_eq!(
            cancel(Status::Done, Origin::Applied, Side::Student, "").map_err(|e| e.code()),
            Err("invalid_transition")
        );
    }

    // --- values ---------------------------------------------------------------------------

    #[test]
    fn labels_in_messages_are_the_chinese_labels() {
        for s in Status::ALL {
            assert_eq!(s.label(), s.label_zh());
        }
        for a in Action::ALL {
            assert_eq!(a.label(), a.label_zh());
        }
        for s in Side::ALL {
            assert_eq!(s.label(), s.label_zh());
        }
    }

    #[test]
    fn statuses_round_trip_and_have_chinese_labels() {
        let labels: Vec<&str> = Status::ALL.iter().map(|s| s.label_zh()).collect();
        assert_eq!(
            labels,
            vec![
                "待处理",
                "待面试",
                "已拒绝",
                "已婉拒",
                "已取消",
                "面试中",
                "已面试",
                "未到场"
            ]
        );
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
            assert_eq!(s.as_str().parse::<Status>(), Ok(s));
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
        }
        assert_eq!(
            "queue".parse::<Status>().map_err(|e| e.code()),
            Err("unknown_status")
        );
        for o in Origin::ALL {
            assert_eq!(Origin::parse(o.as_str()), Some(o));
            assert_ne!(o.asker(), o.answerer());
        }
        for v in Verdict::ALL {
            assert_eq!(Verdict::parse(v.as_str()), Some(v));
        }
        assert_eq!(Verdict::Suitable.label_zh(), "合适");
        assert_eq!(Verdict::Unsuitable.label_zh(), "不合适");
        let open: Vec<Status> = Status::ALL.into_iter().filter(|s| s.is_open()).collect();
        assert_eq!(open, vec![Status::Pending, Status::Queued, Status::InCall]);
    }

    #[test]
    fn errors_convert_to_domain_errors_with_their_code() {
        let e: DomainError = TicketError::InvalidTransition {
            from: Status::Rejected,
            action: Action::Accept,
        }
        .into();
        assert_eq!(e.code, "invalid_transition");
        assert_eq!(
            e.message,
            "当前状态为“已拒绝”，不能接受。页面可能已过期，请刷新后查看最新状态"
        );
        let e: DomainError = TicketError::NotesTooLong { len: 2001 }.into();
        assert_eq!((e.code, e.field), ("notes_too_long", "notes"));
    }

    #[test]
    fn a_rejection_reason_is_optional_but_checked() {
        assert_eq!(parse_optional_reason(None), Ok(None));
        assert_eq!(parse_optional_reason(Some("  ")), Ok(None));
        assert_eq!(
            parse_optional_reason(Some(" 专业不符 ")),
            Ok(Some("专业不符".into()))
        );
        assert_eq!(
            parse_optional_reason(Some(&"字".repeat(CANCEL_REASON_MAX + 1))).map_err(|e| e.code()),
            Err("reason_too_long")
        );
    }

    #[test]
    fn every_status_is_listed_under_exactly_one_tab() {
        for s in Status::ALL {
            let tabs: Vec<ListTab> = ListTab::ALL
                .into_iter()
                .filter(|t| t.statuses().contains(&s))
                .collect();
            assert_eq!(tabs, vec![ListTab::of(s)], "{s}");
        }
        assert_eq!(ListTab::of(Status::InCall), ListTab::Queued);
        assert_eq!(ListTab::of(Status::NoShow), ListTab::Done);
        for t in ListTab::ALL {
            assert_eq!(ListTab::parse(t.as_str()), Some(t));
        }
        assert_eq!(ListTab::parse("all"), None);
    }
}
