//! What people are told: the kinds of in-app notifications, and the outbox of messages for
//! people outside the app (SMS and e-mail).

use serde::{Deserialize, Serialize};

/// What an in-app notification is about. Pages and clients may style or route by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// An employer asked to join an organizer (to its staff).
    JoinSubmitted,
    JoinApproved,
    JoinRejected,
    RegistrationApproved,
    RegistrationRejected,
    /// Staff changed an approved registration.
    RegistrationChanged,
    TicketApplied,
    TicketInvited,
    TicketAccepted,
    TicketRejected,
    TicketNoShow,
    TicketDeclined,
    TicketCancelled,
    /// A follow-up notice after an interview.
    TicketNotice,
}

impl Kind {
    pub const ALL: [Kind; 14] = [
        Kind::JoinSubmitted,
        Kind::JoinApproved,
        Kind::JoinRejected,
        Kind::RegistrationApproved,
        Kind::RegistrationRejected,
        Kind::RegistrationChanged,
        Kind::TicketApplied,
        Kind::TicketInvited,
        Kind::TicketAccepted,
        Kind::TicketRejected,
        Kind::TicketNoShow,
        Kind::TicketDeclined,
        Kind::TicketCancelled,
        Kind::TicketNotice,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::JoinSubmitted => "join_submitted",
            Kind::JoinApproved => "join_approved",
            Kind::JoinRejected => "join_rejected",
            Kind::RegistrationApproved => "registration_approved",
            Kind::RegistrationRejected => "registration_rejected",
            Kind::RegistrationChanged => "registration_changed",
            Kind::TicketApplied => "ticket_applied",
            Kind::TicketInvited => "ticket_invited",
            Kind::TicketAccepted => "ticket_accepted",
            Kind::TicketRejected => "ticket_rejected",
            Kind::TicketNoShow => "ticket_no_show",
            Kind::TicketDeclined => "ticket_declined",
            Kind::TicketCancelled => "ticket_cancelled",
            Kind::TicketNotice => "ticket_notice",
        }
    }
}

/// How an outbox message leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Sms,
    Email,
}

impl Channel {
    pub const ALL: [Channel; 2] = [Channel::Sms, Channel::Email];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Email => "email",
        }
    }
}

/// Where an outbox message is: kept only in the outbox (no real sender configured), handed to
/// a sender, delivered, or refused by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    Logged,
    Queued,
    Sent,
    Failed,
}

impl Delivery {
    pub const ALL: [Delivery; 4] = [
        Delivery::Logged,
        Delivery::Queued,
        Delivery::Sent,
        Delivery::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Logged => "logged",
            Delivery::Queued => "queued",
            Delivery::Sent => "sent",
            Delivery::Failed => "failed",
        }
    }
}
