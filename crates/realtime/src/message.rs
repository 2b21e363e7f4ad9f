//! The WebSocket protocol, version 1. Documented for client authors in `docs/REALTIME.md`.
//!
//! Every frame is one JSON object with a `type` tag and the protocol version `v`. Commands that
//! change state go over HTTP; the socket pushes what changed and carries only presence watches,
//! pings and (later) call signalling.

use serde::{Deserialize, Serialize};

pub const PROTOCOL_VERSION: u32 = 1;

/// Who an event is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Topic {
    /// Every connection of one user, on every node.
    User(i64),
    /// Everyone who watches this user's presence.
    Presence(i64),
    /// Every connection that watches this fair (its participants on the venue or hall pages).
    Fair(i64),
}

/// An event travelling over the bus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    pub topic: Topic,
    pub event: ServerEvent,
}

/// What the server sends. Serialised with `type` and `v`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerEvent {
    /// First frame on a new connection.
    Hello {
        user_id: i64,
        node: String,
    },
    /// Sent every heartbeat interval; a client that hears nothing for three intervals reconnects.
    Heartbeat {
        at: i64,
    },
    Pong {
        at: i64,
    },
    Presence {
        user_id: i64,
        online: bool,
    },
    /// Something new in the user's notification list; refetch `/api/v1/notifications`.
    Notification {
        id: i64,
        kind: String,
        title: String,
        body: String,
    },
    /// A new message in one of the user's chat conversations (either side's, including the
    /// user's own from another page). Refetch with `GET /api/v1/chats/{id}/messages?after=`.
    ChatMessage {
        conversation_id: i64,
        fair_id: i64,
        registration_id: i64,
        message: ChatMessageData,
    },
    /// The user's side's unread count changed: in this conversation, and over all of them.
    ChatUnread {
        conversation_id: i64,
        unread: i64,
        total_unread: i64,
    },
    /// One of the user's interview tickets changed (opened, answered, cancelled, …): the
    /// student's own, or one of the employer's. Refetch the list it belongs to.
    TicketChanged {
        ticket_id: i64,
        /// The new status: `pending`, `queued`, `rejected`, `declined`, `cancelled`, …
        status: String,
    },
    /// A call the user is in or is rung by changed: ringing started, answered, someone joined
    /// or left, or it ended (`ended`, `missed`, `declined`, `cancelled`). Callees ring while the
    /// status is `ringing` and stop on any other.
    CallState {
        call: CallData,
    },
    /// WebRTC signalling relayed from another participant of a call.
    CallSignal {
        call_id: i64,
        from: i64,
        kind: SignalKind,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sdp: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        candidate: Option<IceCandidate>,
    },
    /// The connection now receives this fair's announcements (the answer to `watch_fair`).
    WatchingFair {
        fair_id: i64,
    },
    /// 现场公告: the organizer told everyone in the fair something. Also listed by
    /// `GET /api/v1/fairs/{fair_id}/announcements`, so a client that was away refetches it.
    FairAnnouncement {
        fair_id: i64,
        id: i64,
        text: String,
        at: i64,
    },
    /// The client sent something the server does not understand or may not do.
    Error {
        code: String,
        message: String,
    },
}

/// One chat message as pushed; the same shape as in the HTTP API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessageData {
    pub id: i64,
    /// `student` or `employer`: who in the conversation sent it.
    pub side: String,
    pub sender_name: String,
    /// Plain text; clients show it as text, never as HTML.
    pub body: String,
    pub created_at: i64,
}

/// A call as pushed in `call_state`; the same shape as `CallView` in the HTTP API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallData {
    pub id: i64,
    pub ticket_id: i64,
    pub fair_id: i64,
    pub registration_id: i64,
    /// `ringing`, `active`, `ended`, `missed`, `declined` or `cancelled`.
    pub status: String,
    pub caller_id: i64,
    /// When an unanswered ring ends as missed (Unix ms).
    pub ring_expires_at: i64,
    /// Everyone who joined the call, in the order they joined; those who left have `left_at`.
    pub participants: Vec<CallParticipantData>,
    /// Who is rung (the callees), joined or not.
    pub callee_ids: Vec<i64>,
    pub student_id: i64,
    pub employer_name: String,
    pub student_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallParticipantData {
    pub user_id: i64,
    pub name: String,
    /// `student` or `employer`.
    pub side: String,
    pub joined_at: Option<i64>,
    pub left_at: Option<i64>,
}

/// The kind of a WebRTC signalling message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    Offer,
    Answer,
    Candidate,
}

/// An `RTCIceCandidateInit`, with the browser's field names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IceCandidate {
    pub candidate: String,
    #[serde(rename = "sdpMid", default)]
    pub sdp_mid: Option<String>,
    #[serde(rename = "sdpMLineIndex", default)]
    pub sdp_m_line_index: Option<u32>,
    #[serde(
        rename = "usernameFragment",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub username_fragment: Option<String>,
}

/// The longest SDP relayed (offers with many candidates stay well below).
pub const MAX_SDP: usize = 32 * 1024;
/// The longest ICE candidate line relayed.
pub const MAX_CANDIDATE: usize = 1024;

/// What a client may send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    Ping,
    /// Start receiving presence for these users (the server filters by permission).
    WatchPresence {
        user_ids: Vec<i64>,
    },
    /// Start receiving this fair's announcements (participants only).
    WatchFair {
        fair_id: i64,
    },
    /// WebRTC signalling for another joined participant of a call: `sdp` with `offer` and
    /// `answer`, `candidate` with `candidate`.
    Signal {
        call_id: i64,
        to: i64,
        kind: SignalKind,
        #[serde(default)]
        sdp: Option<String>,
        #[serde(default)]
        candidate: Option<IceCandidate>,
    },
}

impl ClientMessage {
    /// A signal carries what its kind needs, within bounds.
    pub fn signal_is_well_formed(
        kind: SignalKind,
        sdp: Option<&str>,
        candidate: Option<&IceCandidate>,
    ) -> bool {
        match kind {
            SignalKind::Offer | SignalKind::Answer => {
                candidate.is_none() && sdp.is_some_and(|s| !s.is_empty() && s.len() <= MAX_SDP)
            }
            SignalKind::Candidate => {
                sdp.is_none()
                    && candidate.is_some_and(|c| {
                        c.candidate.len() <= MAX_CANDIDATE
                            && c.sdp_mid.as_ref().is_none_or(|m| m.len() <= 64)
                            && c.username_fragment.as_ref().is_none_or(|u| u.len() <= 256)
                    })
            }
        }
    }
}

#[derive(Serialize)]
struct Versioned<'a, T> {
    v: u32,
    #[serde(flatten)]
    body: &'a T,
}

impl ServerEvent {
    /// The frame as sent: `{"v":1,"type":…,…}`.
    pub fn to_frame(&self) -> String {
        serde_json::to_string(&Versioned {
            v: PROTOCOL_VERSION,
            body: self,
        })
        .unwrap_or_else(|_| {
            String::from(r#"{"v":1,"type":"error","code":"internal","message":""}"#)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_carry_type_and_version() {
        let f = ServerEvent::Presence {
            user_id: 7,
            online: true,
        }
        .to_frame();
        let v: serde_json::Value = serde_json::from_str(&f).expect("json");
        assert_eq!(v["v"], 1);
        assert_eq!(v["type"], "presence");
        assert_eq!(v["user_id"], 7);
    }

    #[test]
    fn chat_frames_nest_the_message() {
        let f = ServerEvent::ChatMessage {
            conversation_id: 4,
            fair_id: 1,
            registration_id: 2,
            message: ChatMessageData {
                id: 9,
                side: "student".into(),
                sender_name: "张同学".into(),
                body: "<b>你好</b>".into(),
                created_at: 5,
            },
        }
        .to_frame();
        let v: serde_json::Value = serde_json::from_str(&f).expect("json");
        assert_eq!(v["type"], "chat_message");
        assert_eq!(v["message"]["body"], "<b>你好</b>");
        assert_eq!(v["message"]["side"], "student");
        let u = ServerEvent::ChatUnread {
            conversation_id: 4,
            unread: 1,
            total_unread: 3,
        }
        .to_frame();
        let v: serde_json::Value = serde_json::from_str(&u).expect("json");
        assert_eq!(
            (v["type"].as_str(), v["total_unread"].as_i64()),
            (Some("chat_unread"), Some(3))
        );
    }

    #[test]
    fn ticket_frames_carry_the_new_status() {
        let f = ServerEvent::TicketChanged {
            ticket_id: 8,
            status: "queued".into(),
        }
        .to_frame();
        let v: serde_json::Value = serde_json::from_str(&f).expect("json");
        assert_eq!(
            (
                v["type"].as_str(),
                v["ticket_id"].as_i64(),
                v["status"].as_str()
            ),
            (Some("ticket_changed"), Some(8), Some("queued"))
        );
    }

    #[test]
    fn client_messages_parse_by_type() {
        let m: ClientMessage =
            serde_json::from_str(r#"{"v":1,"type":"watch_presence","user_ids":[1,2]}"#)
                .expect("parse");
        assert_eq!(
            m,
            ClientMessage::WatchPresence {
                user_ids: vec![1, 2]
            }
        );
        assert!(serde_json::from_str::<ClientMessage>(r#"{"type":"drop_tables"}"#).is_err());
    }

    #[test]
    fn signals_parse_with_browser_field_names_and_relay_without_empty_fields() {
        let m: ClientMessage = serde_json::from_str(
            r#"{"v":1,"type":"signal","call_id":3,"to":9,"kind":"candidate",
                "candidate":{"candidate":"candidate:1 1 udp 1 10.0.0.1 5000 typ host",
                "sdpMid":"0","sdpMLineIndex":0}}"#,
        )
        .expect("parse");
        let ClientMessage::Signal {
            kind,
            sdp,
            candidate,
            ..
        } = m
        else {
            panic!("a signal");
        };
        assert_eq!(kind, SignalKind::Candidate);
        assert!(ClientMessage::signal_is_well_formed(
            kind,
            sdp.as_deref(),
            candidate.as_ref()
        ));
        assert!(!ClientMessage::signal_is_well_formed(
            SignalKind::Offer,
            None,
            None
        ));
        let big = "x".repeat(MAX_SDP + 1);
        assert!(!ClientMessage::signal_is_well_formed(
            SignalKind::Offer,
            Some(&big),
            None
        ));
        let f = ServerEvent::CallSignal {
            call_id: 3,
            from: 2,
            kind: SignalKind::Offer,
            sdp: Some("v=0".into()),
            candidate: None,
        }
        .to_frame();
        let v: serde_json::Value = serde_json::from_str(&f).expect("json");
        assert_eq!(v["type"], "call_signal");
        assert_eq!(v["kind"], "offer");
        assert!(v.get("candidate").is_none());
        assert!(
            serde_json::from_str::<ClientMessage>(
                r#"{"type":"signal","call_id":3,"to":9,"kind":"bye"}"#
            )
            .is_err()
        );
    }

    #[test]
    fn envelopes_round_trip_for_the_bus() {
        let e = Envelope {
            topic: Topic::User(3),
            event: ServerEvent::Heartbeat { at: 5 },
        };
        let s = serde_json::to_string(&e).expect("ser");
        assert_eq!(serde_json::from_str::<Envelope>(&s).expect("de"), e);
    }
}
