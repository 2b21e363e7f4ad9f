//! Review work done by organizer staff: employers asking to join an organizer (入驻申请) and
//! employers registering for a fair (单位报名).
//!
//! Every change of status goes through a transition function here, so the web layer can never
//! write a status the rules do not allow (for example approving twice after two staff members
//! clicked at once, or an employer quietly changing an approved registration).

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::DomainError;
use crate::message::Message;
use crate::msg;

/// Staff promise employers an answer within a day; the queue surfaces anything older first.
pub const REVIEW_DEADLINE_SECS: i64 = 24 * 3600;

/// Reasons are shown to the employer, so a bare "no" is not enough and an essay does not fit
/// the notification.
pub const REASON_MIN_CHARS: usize = 2;
pub const REASON_MAX_CHARS: usize = 200;

/// Beijing time, the only time zone the product's users live in; used for dates in messages.
const DISPLAY_OFFSET_MS: i64 = 8 * 3600 * 1000;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReviewError {
    #[error("cannot {action} when status is {from}")]
    InvalidTransition {
        /// The stored status (`as_str`), for logs.
        from: &'static str,
        /// The same status as users see it (`label`), for the message.
        label: Message,
        action: Action,
    },
    #[error("a reason is required")]
    ReasonRequired,
    #[error("the reason must have at least {REASON_MIN_CHARS} characters")]
    ReasonTooShort,
    #[error("the reason must have at most {REASON_MAX_CHARS} characters, got {len}")]
    ReasonTooLong { len: usize },
    #[error("an approved registration can only be changed by the organizer")]
    RegistrationLocked,
    #[error("sign-up has not opened yet (opens at {opens_ms} ms)")]
    SignupNotOpen { opens_ms: i64 },
    #[error("sign-up has closed (closed at {closes_ms} ms)")]
    SignupClosed { closes_ms: i64 },
    #[error("the fair is full ({limit} employers)")]
    FairFull { limit: u32 },
    #[error("unknown status {value:?}")]
    UnknownStatus { value: String },
}

impl ReviewError {
    /// Stable code for API clients and logs.
    pub fn code(&self) -> &'static str {
        match self {
            ReviewError::InvalidTransition { .. } => "invalid_transition",
            ReviewError::ReasonRequired => "reason_required",
            ReviewError::ReasonTooShort => "reason_too_short",
            ReviewError::ReasonTooLong { .. } => "reason_too_long",
            ReviewError::RegistrationLocked => "registration_locked",
            ReviewError::SignupNotOpen { .. } => "signup_not_open",
            ReviewError::SignupClosed { .. } => "signup_closed",
            ReviewError::FairFull { .. } => "fair_full",
            ReviewError::UnknownStatus { .. } => "unknown_status",
        }
    }

    /// The form field the error belongs to, so pages can show it beside the input; errors
    /// about the whole request have none.
    pub fn field(&self) -> &'static str {
        match self {
            ReviewError::ReasonRequired
            | ReviewError::ReasonTooShort
            | ReviewError::ReasonTooLong { .. } => "reason",
            _ => "",
        }
    }

    pub fn message(&self) -> Message {
        match self {
            ReviewError::InvalidTransition { label, action, .. } => msg!(
                "error.review.invalid_transition",
                status = label.clone(),
                action = action.label()
            ),
            ReviewError::ReasonRequired => msg!("error.review.reason_required"),
            ReviewError::ReasonTooShort => {
                msg!("error.review.reason_too_short", min = REASON_MIN_CHARS)
            }
            ReviewError::ReasonTooLong { len } => {
                msg!(
                    "error.review.reason_too_long",
                    max = REASON_MAX_CHARS,
                    len = *len
                )
            }
            ReviewError::RegistrationLocked => msg!("error.review.registration_locked"),
            ReviewError::SignupNotOpen { opens_ms } => {
                msg!("error.review.signup_not_open", at = beijing_time(*opens_ms))
            }
            ReviewError::SignupClosed { closes_ms } => {
                msg!("error.review.signup_closed", at = beijing_time(*closes_ms))
            }
            ReviewError::FairFull { limit } => msg!("error.review.fair_full", limit = *limit),
            ReviewError::UnknownStatus { value } => {
                msg!("error.review.unknown_status", value = value)
            }
        }
    }

    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        self.message().zh()
    }
}

impl From<ReviewError> for DomainError {
    fn from(e: ReviewError) -> Self {
        DomainError::new(e.code(), e.field(), e.message())
    }
}

/// What a person tried to do; carried by `InvalidTransition` so the message can say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Approve,
    Reject,
    Resubmit,
    EmployerEdit,
    StaffEdit,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::Resubmit => "resubmit",
            Action::EmployerEdit => "employer_edit",
            Action::StaffEdit => "staff_edit",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Action::Approve => "通过审核",
            Action::Reject => "拒绝",
            Action::Resubmit => "重新提交",
            Action::EmployerEdit => "修改报名信息",
            Action::StaffEdit => "修改报名信息",
        }
    }

    /// What the action does, for messages in any language.
    pub fn label(self) -> Message {
        match self {
            Action::Approve => msg!("label.review.action.approve"),
            Action::Reject => msg!("label.review.action.reject"),
            Action::Resubmit => msg!("label.review.action.resubmit"),
            Action::EmployerEdit | Action::StaffEdit => msg!("label.review.action.edit"),
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rejection reason that has been trimmed and checked, ready to store and show.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RejectReason(String);

impl RejectReason {
    pub fn parse(input: &str) -> Result<RejectReason, ReviewError> {
        let s = input.trim();
        let len = s.chars().count();
        if len == 0 {
            Err(ReviewError::ReasonRequired)
        } else if len < REASON_MIN_CHARS {
            Err(ReviewError::ReasonTooShort)
        } else if len > REASON_MAX_CHARS {
            Err(ReviewError::ReasonTooLong { len })
        } else {
            Ok(RejectReason(s.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for RejectReason {
    type Error = ReviewError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        RejectReason::parse(&s)
    }
}

impl From<RejectReason> for String {
    fn from(r: RejectReason) -> Self {
        r.0
    }
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Status of an employer's request to join an organizer (入驻申请).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JoinStatus {
    Pending,
    Approved,
    Rejected,
}

impl JoinStatus {
    pub const ALL: [JoinStatus; 3] = [
        JoinStatus::Pending,
        JoinStatus::Approved,
        JoinStatus::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JoinStatus::Pending => "pending",
            JoinStatus::Approved => "approved",
            JoinStatus::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<JoinStatus> {
        JoinStatus::ALL.into_iter().find(|st| st.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            JoinStatus::Pending => "待审核",
            JoinStatus::Approved => "已通过",
            JoinStatus::Rejected => "已拒绝",
        }
    }

    /// The status's name, for messages in any language.
    pub fn label(self) -> Message {
        match self {
            JoinStatus::Pending => msg!("label.review.join.pending"),
            JoinStatus::Approved => msg!("label.review.join.approved"),
            JoinStatus::Rejected => msg!("label.review.join.rejected"),
        }
    }
}

impl std::str::FromStr for JoinStatus {
    type Err = ReviewError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        JoinStatus::parse(s).ok_or_else(|| ReviewError::UnknownStatus {
            value: s.to_owned(),
        })
    }
}

/// Transitions of a join request. Each takes the status read from the store and returns the
/// one to write, so a stale page cannot, say, reject an already-approved employer.
pub mod join {
    use super::{Action, JoinStatus, RejectReason, ReviewError};

    fn refuse(from: JoinStatus, action: Action) -> ReviewError {
        ReviewError::InvalidTransition {
            from: from.as_str(),
            label: from.label(),
            action,
        }
    }

    pub fn approve(from: JoinStatus) -> Result<JoinStatus, ReviewError> {
        match from {
            JoinStatus::Pending => Ok(JoinStatus::Approved),
            _ => Err(refuse(from, Action::Approve)),
        }
    }

    /// The status is checked before the reason: if someone else already handled the request,
    /// that is what the reviewer needs to hear, not that their reason is too short.
    pub fn reject(
        from: JoinStatus,
        reason: &str,
    ) -> Result<(JoinStatus, RejectReason), ReviewError> {
        match from {
            JoinStatus::Pending => Ok((JoinStatus::Rejected, RejectReason::parse(reason)?)),
            _ => Err(refuse(from, Action::Reject)),
        }
    }

    /// A rejected employer fixes what the reason said and asks again; the request goes back
    /// to the queue (with a new submission time, so the deadline restarts).
    pub fn resubmit(from: JoinStatus) -> Result<JoinStatus, ReviewError> {
        match from {
            JoinStatus::Rejected => Ok(JoinStatus::Pending),
            _ => Err(refuse(from, Action::Resubmit)),
        }
    }
}

/// Status of an employer's registration for one fair (单位报名).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationStatus {
    Submitted,
    Approved,
    Rejected,
}

impl RegistrationStatus {
    pub const ALL: [RegistrationStatus; 3] = [
        RegistrationStatus::Submitted,
        RegistrationStatus::Approved,
        RegistrationStatus::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RegistrationStatus::Submitted => "submitted",
            RegistrationStatus::Approved => "approved",
            RegistrationStatus::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<RegistrationStatus> {
        RegistrationStatus::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            RegistrationStatus::Submitted => "待审核",
            RegistrationStatus::Approved => "已通过",
            RegistrationStatus::Rejected => "已拒绝",
        }
    }

    /// The status's name, for messages in any language.
    pub fn label(self) -> Message {
        match self {
            RegistrationStatus::Submitted => msg!("label.review.registration.submitted"),
            RegistrationStatus::Approved => msg!("label.review.registration.approved"),
            RegistrationStatus::Rejected => msg!("label.review.registration.rejected"),
        }
    }
}

impl std::str::FromStr for RegistrationStatus {
    type Err = ReviewError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RegistrationStatus::parse(s).ok_or_else(|| ReviewError::UnknownStatus {
            value: s.to_owned(),
        })
    }
}

/// Transitions of a fair registration.
pub mod registration {
    use super::{Action, RegistrationStatus, RejectReason, ReviewError};

    fn refuse(from: RegistrationStatus, action: Action) -> ReviewError {
        ReviewError::InvalidTransition {
            from: from.as_str(),
            label: from.label(),
            action,
        }
    }

    /// Capacity is a separate rule (`check_capacity`) because it needs a count from the
    /// store; call both before writing.
    pub fn approve(from: RegistrationStatus) -> Result<RegistrationStatus, ReviewError> {
        match from {
            RegistrationStatus::Submitted => Ok(RegistrationStatus::Approved),
            _ => Err(refuse(from, Action::Approve)),
        }
    }

    pub fn reject(
        from: RegistrationStatus,
        reason: &str,
    ) -> Result<(RegistrationStatus, RejectReason), ReviewError> {
        match from {
            RegistrationStatus::Submitted => {
                Ok((RegistrationStatus::Rejected, RejectReason::parse(reason)?))
            }
            _ => Err(refuse(from, Action::Reject)),
        }
    }

    /// Once approved, the fair's schedule, booths and student-facing listings are built from
    /// the registration, so only organizer staff may change it; editing a rejected one is how
    /// the employer answers the rejection, and sends it back for review.
    pub fn employer_edit(from: RegistrationStatus) -> Result<RegistrationStatus, ReviewError> {
        match from {
            RegistrationStatus::Submitted | RegistrationStatus::Rejected => {
                Ok(RegistrationStatus::Submitted)
            }
            RegistrationStatus::Approved => Err(ReviewError::RegistrationLocked),
        }
    }

    /// Staff edit approved registrations on the employer's behalf; anything not yet approved
    /// is sent back through rejection instead, so the employer sees what to change.
    pub fn staff_edit(from: RegistrationStatus) -> Result<RegistrationStatus, ReviewError> {
        match from {
            RegistrationStatus::Approved => Ok(RegistrationStatus::Approved),
            _ => Err(refuse(from, Action::StaffEdit)),
        }
    }
}

/// The deadline by which staff should have answered a request submitted at `submitted_at_ms`.
pub fn review_deadline(submitted_at_ms: i64) -> i64 {
    submitted_at_ms.saturating_add(REVIEW_DEADLINE_SECS * 1000)
}

/// A request answered exactly at the deadline is still on time.
pub fn is_overdue(submitted_at_ms: i64, now_ms: i64) -> bool {
    now_ms > review_deadline(submitted_at_ms)
}

/// Orders a queue of pending items so overdue ones come first, then oldest first; items
/// submitted at the same instant keep their order (the sort is stable) so the page does not
/// shuffle between refreshes.
pub fn sort_review_queue<T>(items: &mut [T], submitted_at: impl Fn(&T) -> i64, now_ms: i64) {
    items.sort_by_key(|item| {
        let at = submitted_at(item);
        (!is_overdue(at, now_ms), at)
    });
}

/// Sign-up is open from `opens_ms` (inclusive) to `closes_ms` (exclusive).
pub fn check_signup_window(now_ms: i64, opens_ms: i64, closes_ms: i64) -> Result<(), ReviewError> {
    if now_ms < opens_ms {
        Err(ReviewError::SignupNotOpen { opens_ms })
    } else if now_ms >= closes_ms {
        Err(ReviewError::SignupClosed { closes_ms })
    } else {
        Ok(())
    }
}

/// `approved_count` is the number of registrations already approved for the fair; `None`
/// means the organizer set no limit.
pub fn check_capacity(approved_count: u32, limit: Option<u32>) -> Result<(), ReviewError> {
    match limit {
        Some(limit) if approved_count >= limit => Err(ReviewError::FairFull { limit }),
        _ => Ok(()),
    }
}

/// Formats an instant as Beijing time, "2025-03-01 09:00", without reading any clock or
/// time zone database (China has had no daylight saving time since 1991).
fn beijing_time(ms: i64) -> String {
    let local = ms.saturating_add(DISPLAY_OFFSET_MS);
    let days = local.div_euclid(86_400_000);
    let minutes_of_day = local.rem_euclid(86_400_000) / 60_000;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        minutes_of_day / 60,
        minutes_of_day % 60
    )
}

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    const HOUR_MS: i64 = 3600 * 1000;

    fn join_act(action: Action, from: JoinStatus) -> Result<JoinStatus, ReviewError> {
        match action {
            Action::Approve => join::approve(from),
            Action::Reject => join::reject(from, "材料不全").map(|(s, _)| s),
            Action::Resubmit => join::resubmit(from),
            Action::EmployerEdit | Action::StaffEdit => unreachable!("not a join action"),
        }
    }

    fn registration_act(
        action: Action,
        from: RegistrationStatus,
    ) -> Result<RegistrationStatus, ReviewError> {
        match action {
            Action::Approve => registration::approve(from),
            Action::Reject => registration::reject(from, "职位信息不完整").map(|(s, _)| s),
            Action::EmployerEdit => registration::employer_edit(from),
            Action::StaffEdit => registration::staff_edit(from),
            Action::Resubmit => unreachable!("not a registration action"),
        }
    }

    #[test]
    fn join_transitions_exactly_the_legal_set() {
        use JoinStatus::*;
        let legal = [
            (Pending, Action::Approve, Approved),
            (Pending, Action::Reject, Rejected),
            (Rejected, Action::Resubmit, Pending),
        ];
        let mut tried = 0;
        for from in JoinStatus::ALL {
            for action in [Action::Approve, Action::Reject, Action::Resubmit] {
                tried += 1;
                let got = join_act(action, from);
                match legal.iter().find(|(f, a, _)| *f == from && *a == action) {
                    Some((_, _, to)) => assert_eq!(got, Ok(*to), "{from:?} {action:?}"),
                    None => {
                        let err = got.unwrap_err();
                        assert_eq!(err.code(), "invalid_transition", "{from:?} {action:?}");
                        assert!(err.message_zh().contains(from.label_zh()));
                    }
                }
            }
        }
        assert_eq!(tried, 9);
    }

    #[test]
    fn registration_transitions_exactly_the_legal_set() {
        use RegistrationStatus::*;
        let legal = [
            (Submitted, Action::Approve, Approved),
            (Submitted, Action::Reject, Rejected),
            (Submitted, Action::EmployerEdit, Submitted),
            (Rejected, Action::EmployerEdit, Submitted),
            (Approved, Action::StaffEdit, Approved),
        ];
        let actions = [
            Action::Approve,
            Action::Reject,
            Action::EmployerEdit,
            Action::StaffEdit,
        ];
        let mut legal_seen = 0;
        for from in RegistrationStatus::ALL {
            for action in actions {
                let got = registration_act(action, from);
                match legal.iter().find(|(f, a, _)| *f == from && *a == action) {
                    Some((_, _, to)) => {
                        legal_seen += 1;
                        assert_eq!(got, Ok(*to), "{from:?} {action:?}");
                    }
                    None => {
                        let err = got.unwrap_err();
                        let expected = if (from, action) == (Approved, Action::EmployerEdit) {
                            "registration_locked"
                        } else {
                            "invalid_transition"
                        };
                        assert_eq!(err.code(), expected, "{from:?} {action:?}");
                    }
                }
            }
        }
        assert_eq!(legal_seen, legal.len());
    }

    #[test]
    fn locked_registration_tells_employer_to_contact_organizer() {
        let err = registration::employer_edit(RegistrationStatus::Approved).unwrap_err();
        assert_eq!(
            err.message_zh(),
            "报名已通过审核，如需修改招聘职位、面试官等信息，请联系双选会主办方工作人员"
        );
    }

    #[test]
    fn reject_reason_is_trimmed_and_bounded() {
        let (to, reason) = join::reject(JoinStatus::Pending, "  营业执照不清晰 \n").unwrap();
        assert_eq!(to, JoinStatus::Rejected);
        assert_eq!(reason.as_str(), "营业执照不清晰");

        for (input, code) in [
            ("", "reason_required"),
            ("   　", "reason_required"),
            ("否", "reason_too_short"),
        ] {
            assert_eq!(
                join::reject(JoinStatus::Pending, input).unwrap_err().code(),
                code
            );
            assert_eq!(
                registration::reject(RegistrationStatus::Submitted, input)
                    .unwrap_err()
                    .code(),
                code
            );
        }
        assert!(RejectReason::parse("不符").is_ok());
        assert!(RejectReason::parse(&"字".repeat(200)).is_ok());
        assert_eq!(
            RejectReason::parse(&"字".repeat(201)),
            Err(ReviewError::ReasonTooLong { len: 201 })
        );
        assert_eq!(ReviewError::ReasonRequired.field(), "reason");
    }

    #[test]
    fn stale_state_wins_over_bad_reason() {
        let err = join::reject(JoinStatus::Approved, "").unwrap_err();
        assert_eq!(err.code(), "invalid_transition");
    }

    #[test]
    fn statuses_round_trip_as_text() {
        for st in JoinStatus::ALL {
            assert_eq!(JoinStatus::parse(st.as_str()), Some(st));
            assert_eq!(st.as_str().parse::<JoinStatus>(), Ok(st));
            let json = serde_json::to_string(&st).unwrap();
            assert_eq!(json, format!("\"{}\"", st.as_str()));
        }
        for st in RegistrationStatus::ALL {
            assert_eq!(RegistrationStatus::parse(st.as_str()), Some(st));
            let json = serde_json::to_string(&st).unwrap();
            assert_eq!(json, format!("\"{}\"", st.as_str()));
        }
        assert_eq!(JoinStatus::parse("Pending"), None);
        assert_eq!(
            "done".parse::<RegistrationStatus>().unwrap_err().code(),
            "unknown_status"
        );
        let labels: Vec<_> = JoinStatus::ALL.iter().map(|s| s.label_zh()).collect();
        assert_eq!(labels, ["待审核", "已通过", "已拒绝"]);
        let labels: Vec<_> = RegistrationStatus::ALL
            .iter()
            .map(|s| s.label_zh())
            .collect();
        assert_eq!(labels, ["待审核", "已通过", "已拒绝"]);
    }

    #[test]
    fn deadline_is_a_day_after_submission() {
        let t = 1_700_000_000_000;
        assert_eq!(review_deadline(t), t + 24 * HOUR_MS);
        assert!(!is_overdue(t, t));
        assert!(!is_overdue(t, t + 24 * HOUR_MS));
        assert!(is_overdue(t, t + 24 * HOUR_MS + 1));
        assert!(!is_overdue(i64::MAX - 5, i64::MAX));
    }

    #[test]
    fn queue_puts_overdue_first_then_oldest() {
        let now = 100 * HOUR_MS;
        // (name, submitted_at)
        let mut items = vec![
            ("fresh", now - HOUR_MS),
            ("overdue_recent", now - 25 * HOUR_MS),
            ("older_fresh", now - 23 * HOUR_MS),
            ("overdue_old", now - 60 * HOUR_MS),
            ("fresh_twin_a", now - 2 * HOUR_MS),
            ("fresh_twin_b", now - 2 * HOUR_MS),
        ];
        sort_review_queue(&mut items, |i| i.1, now);
        let names: Vec<_> = items.iter().map(|i| i.0).collect();
        assert_eq!(
            names,
            [
                "overdue_old",
                "overdue_recent",
                "older_fresh",
                "fresh_twin_a",
                "fresh_twin_b",
                "fresh"
            ]
        );
    }

    #[test]
    fn signup_window_is_half_open() {
        let (opens, closes) = (1_000, 2_000);
        assert_eq!(
            check_signup_window(999, opens, closes).unwrap_err().code(),
            "signup_not_open"
        );
        assert!(check_signup_window(1_000, opens, closes).is_ok());
        assert!(check_signup_window(1_999, opens, closes).is_ok());
        assert_eq!(
            check_signup_window(2_000, opens, closes)
                .unwrap_err()
                .code(),
            "signup_closed"
        );
    }

    #[test]
    fn window_messages_show_beijing_time() {
        // 2025-03-01 01:00 UTC is 09:00 in Beijing.
        let opens = 1_740_790_800_000;
        let err = check_signup_window(0, opens, opens + 1).unwrap_err();
        assert_eq!(
            err.message_zh(),
            "报名尚未开始，将于 2025-03-01 09:00 开放报名"
        );
        let err = check_signup_window(opens + 1, 0, opens).unwrap_err();
        assert_eq!(err.message_zh(), "报名已于 2025-03-01 09:00 截止");
        assert_eq!(beijing_time(0), "1970-01-01 08:00");
        assert_eq!(beijing_time(-8 * HOUR_MS - 60_000), "1969-12-31 23:59");
        // 2024-02-29 is a leap day: 2024-02-28 16:00 UTC.
        assert_eq!(beijing_time(1_709_136_000_000), "2024-02-29 00:00");
    }

    #[test]
    fn capacity_counts_approved_employers() {
        assert!(check_capacity(1_000, None).is_ok());
        assert!(check_capacity(49, Some(50)).is_ok());
        assert_eq!(
            check_capacity(50, Some(50)),
            Err(ReviewError::FairFull { limit: 50 })
        );
        assert_eq!(check_capacity(0, Some(0)).unwrap_err().code(), "fair_full");
        assert!(
            ReviewError::FairFull { limit: 50 }
                .message_zh()
                .contains("50")
        );
    }

    #[test]
    fn converts_to_domain_error() {
        let e: DomainError = ReviewError::RegistrationLocked.into();
        assert_eq!(e.code, "registration_locked");
        assert_eq!(e.field, "");
        let e: DomainError = ReviewError::ReasonTooShort.into();
        assert_eq!(e.field, "reason");
    }

    #[test]
    fn labels_in_messages_are_the_chinese_labels() {
        for s in JoinStatus::ALL {
            assert_eq!(s.label(), s.label_zh());
        }
        for s in RegistrationStatus::ALL {
            assert_eq!(s.label(), s.label_zh());
        }
        use Action::*;
        for a in [Approve, Reject, Resubmit, EmployerEdit, StaffEdit] {
            assert_eq!(a.label(), a.label_zh());
        }
    }
}
