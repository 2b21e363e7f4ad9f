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

/// What a client may send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    Ping,
    /// Start receiving presence for these users (the server filters by permission).
    WatchPresence {
        user_ids: Vec<i64>,
    },
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
    fn envelopes_round_trip_for_the_bus() {
        let e = Envelope {
            topic: Topic::User(3),
            event: ServerEvent::Heartbeat { at: 5 },
        };
        let s = serde_json::to_string(&e).expect("ser");
        assert_eq!(serde_json::from_str::<Envelope>(&s).expect("de"), e);
    }
}
