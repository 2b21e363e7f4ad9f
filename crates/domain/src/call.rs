//! Calls (视频面试): one ringing or running video call on an interview ticket.
//!
//! A call starts `ringing` (the caller is in it, the callees are rung), becomes `active` when a
//! callee answers, and ends `ended` (a host finished the interview), `missed` (nobody answered
//! within the ring timeout), `declined` (a callee refused) or `cancelled` (the caller hung up
//! while it rang). At most four people are in a call at once (a panel of hosts and the
//! student). The ticket's own rules (live window, one interviewer, verdict) are in `ticket`.
//!
//! Like tickets, every function takes the status read from the store and returns the one to
//! write; the store writes it compare-and-set.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::message::Message;
use crate::msg;

/// The most people joined to one call at once (a mesh: every pair has a connection).
pub const MAX_PARTICIPANTS: usize = 4;

/// How someone came to be in a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Seat {
    /// Started the call.
    Caller,
    /// Rung by it.
    Callee,
    /// Joined it once it was running (a panel host, or someone coming back).
    Joiner,
}

impl Seat {
    pub const ALL: [Seat; 3] = [Seat::Caller, Seat::Callee, Seat::Joiner];

    pub fn as_str(self) -> &'static str {
        match self {
            Seat::Caller => "caller",
            Seat::Callee => "callee",
            Seat::Joiner => "joiner",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumIter)]
#[serde(rename_all = "snake_case")]
pub enum CallStatus {
    Ringing,
    Active,
    Ended,
    Missed,
    Declined,
    Cancelled,
}

impl CallStatus {
    pub const ALL: [CallStatus; 6] = [
        CallStatus::Ringing,
        CallStatus::Active,
        CallStatus::Ended,
        CallStatus::Missed,
        CallStatus::Declined,
        CallStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CallStatus::Ringing => "ringing",
            CallStatus::Active => "active",
            CallStatus::Ended => "ended",
            CallStatus::Missed => "missed",
            CallStatus::Declined => "declined",
            CallStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<CallStatus> {
        CallStatus::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            CallStatus::Ringing => "呼叫中",
            CallStatus::Active => "通话中",
            CallStatus::Ended => "已结束",
            CallStatus::Missed => "未接听",
            CallStatus::Declined => "已拒接",
            CallStatus::Cancelled => "已取消",
        }
    }

    /// The status's name, for messages in any language.
    pub fn label(self) -> Message {
        match self {
            CallStatus::Ringing => msg!("label.call.status.ringing"),
            CallStatus::Active => msg!("label.call.status.active"),
            CallStatus::Ended => msg!("label.call.status.ended"),
            CallStatus::Missed => msg!("label.call.status.missed"),
            CallStatus::Declined => msg!("label.call.status.declined"),
            CallStatus::Cancelled => msg!("label.call.status.cancelled"),
        }
    }

    /// Ringing or active: the call still holds its ticket. The partial unique index
    /// `calls_one_live` lists exactly these (a store test checks).
    pub const LIVE: [CallStatus; 2] = [CallStatus::Ringing, CallStatus::Active];

    /// Ringing or active: the call still holds its ticket. `LIVE` lists the same statuses
    /// (a test checks).
    pub fn is_live(self) -> bool {
        match self {
            CallStatus::Ringing | CallStatus::Active => true,
            CallStatus::Ended
            | CallStatus::Missed
            | CallStatus::Declined
            | CallStatus::Cancelled => false,
        }
    }

    /// The status as it really is at `now`: a ring past its expiry is missed even if no task
    /// has written that yet (the node that would have died).
    pub fn at(self, now: i64, ring_expires_at: i64) -> CallStatus {
        if self == CallStatus::Ringing && now >= ring_expires_at {
            CallStatus::Missed
        } else {
            self
        }
    }
}

impl fmt::Display for CallStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallAction {
    Answer,
    Decline,
    Cancel,
    Expire,
    Join,
    Leave,
    End,
}

impl CallAction {
    pub fn label_zh(self) -> &'static str {
        match self {
            CallAction::Answer => "接听",
            CallAction::Decline => "拒接",
            CallAction::Cancel => "取消呼叫",
            CallAction::Expire => "结束呼叫",
            CallAction::Join => "加入面试",
            CallAction::Leave => "离开面试",
            CallAction::End => "结束面试",
        }
    }

    /// What the action does, for messages in any language.
    pub fn label(self) -> Message {
        match self {
            CallAction::Answer => msg!("label.call.action.answer"),
            CallAction::Decline => msg!("label.call.action.decline"),
            CallAction::Cancel => msg!("label.call.action.cancel"),
            CallAction::Expire => msg!("label.call.action.expire"),
            CallAction::Join => msg!("label.call.action.join"),
            CallAction::Leave => msg!("label.call.action.leave"),
            CallAction::End => msg!("label.call.action.end"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CallError {
    #[error("cannot {action:?} a call that is {from}")]
    InvalidTransition {
        from: CallStatus,
        action: CallAction,
    },
    #[error("only a callee may {action:?}")]
    NotCallee { action: CallAction },
    #[error("only the caller may cancel")]
    NotCaller,
    #[error("only a host may {action:?}")]
    NotHost { action: CallAction },
    #[error("the call has {MAX_PARTICIPANTS} participants")]
    Full,
    #[error("already in the call")]
    AlreadyJoined,
    #[error("not in the call")]
    NotJoined,
}

impl CallError {
    pub fn code(&self) -> &'static str {
        match self {
            CallError::InvalidTransition { .. } => "call_invalid_transition",
            CallError::NotCallee { .. } => "not_callee",
            CallError::NotCaller => "not_caller",
            CallError::NotHost { .. } => "not_host",
            CallError::Full => "call_full",
            CallError::AlreadyJoined => "already_joined",
            CallError::NotJoined => "not_in_call",
        }
    }

    pub fn message(&self) -> Message {
        match self {
            CallError::InvalidTransition { from, action } => msg!(
                "error.call.invalid_transition",
                status = from.label(),
                action = action.label()
            ),
            CallError::NotCallee { action } => {
                msg!("error.call.not_callee", action = action.label())
            }
            CallError::NotCaller => msg!("error.call.not_caller"),
            CallError::NotHost { action } => {
                msg!("error.call.not_host", action = action.label())
            }
            CallError::Full => msg!("error.call.full", max = MAX_PARTICIPANTS),
            CallError::AlreadyJoined => msg!("error.call.already_joined"),
            CallError::NotJoined => msg!("error.call.not_joined"),
        }
    }

    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        self.message().zh()
    }

    /// Refusals of who is acting (403), as opposed to the call's state (409).
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            CallError::NotCallee { .. } | CallError::NotCaller | CallError::NotHost { .. }
        )
    }
}

fn require(status: CallStatus, want: CallStatus, action: CallAction) -> Result<(), CallError> {
    if status == want {
        Ok(())
    } else {
        Err(CallError::InvalidTransition {
            from: status,
            action,
        })
    }
}

/// What one user is to a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Role {
    pub is_caller: bool,
    /// Rung by this call (and not the caller).
    pub is_callee: bool,
    /// A host of the ticket's registration (employer admin or chosen interviewer).
    pub is_host: bool,
    /// Joined and not left.
    pub joined: bool,
}

/// A callee accepts a ring that has not expired: the call becomes active.
pub fn answer(status: CallStatus, who: Role) -> Result<CallStatus, CallError> {
    require(status, CallStatus::Ringing, CallAction::Answer)?;
    if !who.is_callee {
        return Err(CallError::NotCallee {
            action: CallAction::Answer,
        });
    }
    Ok(CallStatus::Active)
}

/// A callee refuses the ring.
pub fn decline(status: CallStatus, who: Role) -> Result<CallStatus, CallError> {
    require(status, CallStatus::Ringing, CallAction::Decline)?;
    if !who.is_callee {
        return Err(CallError::NotCallee {
            action: CallAction::Decline,
        });
    }
    Ok(CallStatus::Declined)
}

/// The caller hangs up while it rings.
pub fn cancel(status: CallStatus, who: Role) -> Result<CallStatus, CallError> {
    require(status, CallStatus::Ringing, CallAction::Cancel)?;
    if !who.is_caller {
        return Err(CallError::NotCaller);
    }
    Ok(CallStatus::Cancelled)
}

/// The ring timed out. `status` is the stored one; only a ring past its expiry is missed.
pub fn expire(status: CallStatus, now: i64, ring_expires_at: i64) -> Result<CallStatus, CallError> {
    require(status, CallStatus::Ringing, CallAction::Expire)?;
    match status.at(now, ring_expires_at) {
        CallStatus::Missed => Ok(CallStatus::Missed),
        s => Err(CallError::InvalidTransition {
            from: s,
            action: CallAction::Expire,
        }),
    }
}

/// Panel: a host of the registration joins a running call, or someone who left comes back.
/// `joined_now` is how many are in the call at the moment. The status does not change.
pub fn join(
    status: CallStatus,
    who: Role,
    was_in_call: bool,
    joined_now: usize,
) -> Result<CallStatus, CallError> {
    require(status, CallStatus::Active, CallAction::Join)?;
    if who.joined {
        return Err(CallError::AlreadyJoined);
    }
    if !who.is_host && !was_in_call {
        return Err(CallError::NotHost {
            action: CallAction::Join,
        });
    }
    if joined_now >= MAX_PARTICIPANTS {
        return Err(CallError::Full);
    }
    Ok(CallStatus::Active)
}

/// A participant leaves; the call goes on.
pub fn leave(status: CallStatus, who: Role) -> Result<CallStatus, CallError> {
    require(status, CallStatus::Active, CallAction::Leave)?;
    if !who.joined {
        return Err(CallError::NotJoined);
    }
    Ok(CallStatus::Active)
}

/// A host ends the interview (the verdict is the ticket's rule, `ticket::end_call`).
pub fn end(status: CallStatus, who: Role) -> Result<CallStatus, CallError> {
    require(status, CallStatus::Active, CallAction::End)?;
    if !who.is_host {
        return Err(CallError::NotHost {
            action: CallAction::End,
        });
    }
    Ok(CallStatus::Ended)
}

/// Whether two users may exchange signalling in a call: it is live and both are joined.
pub fn may_signal(status: CallStatus, from_joined: bool, to_joined: bool, same: bool) -> bool {
    status.is_live() && from_joined && to_joined && !same
}

#[cfg(test)]
mod tests {
    use super::*;
    use CallStatus::*;

    const CALLER: Role = Role {
        is_caller: true,
        is_callee: false,
        is_host: false,
        joined: true,
    };
    const CALLEE: Role = Role {
        is_caller: false,
        is_callee: true,
        is_host: false,
        joined: false,
    };
    const HOST: Role = Role {
        is_caller: false,
        is_callee: false,
        is_host: true,
        joined: false,
    };
    const STRANGER: Role = Role {
        is_caller: false,
        is_callee: false,
        is_host: false,
        joined: false,
    };

    fn invalid(from: CallStatus, action: CallAction) -> CallError {
        CallError::InvalidTransition { from, action }
    }

    #[test]
    fn the_call_status_lists_name_every_status_and_agree_with_their_rules() {
        use strum::IntoEnumIterator;
        assert_eq!(CallStatus::iter().collect::<Vec<_>>(), CallStatus::ALL);
        let live: Vec<CallStatus> = CallStatus::iter().filter(|s| s.is_live()).collect();
        assert_eq!(live, CallStatus::LIVE);
    }

    #[test]
    fn statuses_round_trip_and_only_ringing_and_active_are_live() {
        for s in CallStatus::ALL {
            assert_eq!(CallStatus::parse(s.as_str()), Some(s));
            assert_eq!(s.is_live(), matches!(s, Ringing | Active));
        }
        assert_eq!(CallStatus::parse("busy"), None);
    }

    #[test]
    fn a_ring_past_its_expiry_reads_as_missed() {
        assert_eq!(Ringing.at(999, 1000), Ringing);
        assert_eq!(Ringing.at(1000, 1000), Missed);
        assert_eq!(Active.at(5000, 1000), Active);
        assert_eq!(Ended.at(5000, 1000), Ended);
    }

    #[test]
    fn a_callee_answers_a_ring() {
        assert_eq!(answer(Ringing, CALLEE), Ok(Active));
    }

    #[test]
    fn only_a_callee_answers_or_declines() {
        for who in [CALLER, HOST, STRANGER] {
            assert_eq!(
                answer(Ringing, who),
                Err(CallError::NotCallee {
                    action: CallAction::Answer
                })
            );
            assert_eq!(
                decline(Ringing, who),
                Err(CallError::NotCallee {
                    action: CallAction::Decline
                })
            );
        }
    }

    #[test]
    fn only_a_ring_is_answered_declined_or_cancelled() {
        for s in [Active, Ended, Missed, Declined, Cancelled] {
            assert_eq!(answer(s, CALLEE), Err(invalid(s, CallAction::Answer)));
            assert_eq!(decline(s, CALLEE), Err(invalid(s, CallAction::Decline)));
            assert_eq!(cancel(s, CALLER), Err(invalid(s, CallAction::Cancel)));
        }
    }

    #[test]
    fn a_callee_declines_and_the_caller_cancels() {
        assert_eq!(decline(Ringing, CALLEE), Ok(Declined));
        assert_eq!(cancel(Ringing, CALLER), Ok(Cancelled));
        assert_eq!(cancel(Ringing, CALLEE), Err(CallError::NotCaller));
        assert_eq!(cancel(Ringing, HOST), Err(CallError::NotCaller));
    }

    #[test]
    fn a_ring_expires_only_after_its_time() {
        assert_eq!(expire(Ringing, 1000, 1000), Ok(Missed));
        assert_eq!(
            expire(Ringing, 999, 1000),
            Err(invalid(Ringing, CallAction::Expire))
        );
        for s in [Active, Ended, Missed, Declined, Cancelled] {
            assert_eq!(expire(s, 5000, 1000), Err(invalid(s, CallAction::Expire)));
        }
    }

    #[test]
    fn hosts_join_an_active_call_up_to_four() {
        assert_eq!(join(Active, HOST, false, 2), Ok(Active));
        assert_eq!(join(Active, HOST, false, 3), Ok(Active));
        assert_eq!(join(Active, HOST, false, 4), Err(CallError::Full));
        assert_eq!(
            join(Active, STRANGER, false, 2),
            Err(CallError::NotHost {
                action: CallAction::Join
            })
        );
        // Someone who was in the call (the student) may come back.
        assert_eq!(join(Active, STRANGER, true, 1), Ok(Active));
        let in_call = Role {
            joined: true,
            ..HOST
        };
        assert_eq!(
            join(Active, in_call, true, 2),
            Err(CallError::AlreadyJoined)
        );
        for s in [Ringing, Ended, Missed, Declined, Cancelled] {
            assert_eq!(join(s, HOST, false, 1), Err(invalid(s, CallAction::Join)));
        }
    }

    #[test]
    fn a_joined_participant_leaves_an_active_call() {
        let joined = Role {
            joined: true,
            ..STRANGER
        };
        assert_eq!(leave(Active, joined), Ok(Active));
        assert_eq!(leave(Active, STRANGER), Err(CallError::NotJoined));
        for s in [Ringing, Ended, Missed, Declined, Cancelled] {
            assert_eq!(leave(s, joined), Err(invalid(s, CallAction::Leave)));
        }
    }

    #[test]
    fn a_host_ends_an_active_call() {
        assert_eq!(end(Active, HOST), Ok(Ended));
        assert_eq!(
            end(Active, CALLER),
            Err(CallError::NotHost {
                action: CallAction::End
            })
        );
        for s in [Ringing, Ended, Missed, Declined, Cancelled] {
            assert_eq!(end(s, HOST), Err(invalid(s, CallAction::End)));
        }
    }

    #[test]
    fn signalling_needs_a_live_call_and_two_joined_people() {
        assert!(may_signal(Active, true, true, false));
        assert!(may_signal(Ringing, true, true, false));
        assert!(!may_signal(Active, true, false, false));
        assert!(!may_signal(Active, false, true, false));
        assert!(!may_signal(Active, true, true, true));
        for s in [Ended, Missed, Declined, Cancelled] {
            assert!(!may_signal(s, true, true, false));
        }
    }

    #[test]
    fn every_error_has_a_code_and_a_chinese_message() {
        let all = [
            invalid(Active, CallAction::Answer),
            CallError::NotCallee {
                action: CallAction::Answer,
            },
            CallError::NotCaller,
            CallError::NotHost {
                action: CallAction::End,
            },
            CallError::Full,
            CallError::AlreadyJoined,
            CallError::NotJoined,
        ];
        for e in all {
            assert!(!e.code().is_empty());
            assert!(!e.message_zh().is_empty());
        }
    }

    #[test]
    fn labels_in_messages_are_the_chinese_labels() {
        for s in CallStatus::ALL {
            assert_eq!(s.label(), s.label_zh());
        }
        use CallAction::*;
        for a in [Answer, Decline, Cancel, Expire, Join, Leave, End] {
            assert_eq!(a.label(), a.label_zh());
        }
    }
}
