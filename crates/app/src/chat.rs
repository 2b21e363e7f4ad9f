//! Text chat between a student and an employer in a fair: persisted, pushed live, with unread counts.
//!
//! Who may do what:
//! - a student chats with an employer whose registration in the fair is approved, and only after
//!   entering that fair (报名进入会场); the conversation is created by the first message;
//! - the employer side is answered by the employer's admin or any of its interviewers, who share
//!   one read pointer;
//! - anyone else gets 404 for a conversation that is not theirs, and 403 for a role that has no
//!   chats.
//!
//! Every message is published to the student and to every user of the employer, followed by the
//! new unread counts of both sides. Everything pushed can be refetched with `after`.

use fairhall_domain::account::Role;
use fairhall_domain::chat::{
    DEFAULT_MAX_PER_MINUTE, RATE_WINDOW_MS, may_send, parse_message, retry_after_ms,
};
use fairhall_domain::review::RegistrationStatus;
use fairhall_realtime::message::ChatMessageData;
use fairhall_realtime::{ServerEvent, Topic};
use fairhall_store::chat::Conversation;
pub use fairhall_store::chat::{ConversationListed, Message};
use fairhall_store::registrations::Registration;
use fairhall_store::users::User;

pub use fairhall_store::chat::ChatSide;

use crate::{App, AppError, AppResult, now_ms};

/// How many messages a conversation opens with.
pub const OPENING_MESSAGES: i64 = 50;
/// The most messages one `after` fetch answers; a client asks again while it gets this many.
pub const MAX_FETCH: i64 = 200;

/// Who a conversation is with, as its page header shows it.
#[derive(Debug, Clone)]
pub struct ChatHeader {
    /// None until the first message.
    pub conversation_id: Option<i64>,
    pub fair_id: i64,
    pub fair_title: String,
    pub fair_code: String,
    pub registration_id: i64,
    pub employer_id: i64,
    pub employer_name: String,
    pub student_id: i64,
    pub student_name: String,
}

impl From<ConversationListed> for ChatHeader {
    fn from(c: ConversationListed) -> Self {
        ChatHeader {
            conversation_id: Some(c.id),
            fair_id: c.fair_id,
            fair_title: c.fair_title,
            fair_code: c.fair_code,
            registration_id: c.registration_id,
            employer_id: c.employer_id,
            employer_name: c.employer_name,
            student_id: c.student_id,
            student_name: c.student_name,
        }
    }
}

/// A conversation as one side opens it: who it is with, and messages oldest first.
#[derive(Debug, Clone)]
pub struct ChatThread {
    pub side: ChatSide,
    pub header: ChatHeader,
    pub messages: Vec<Message>,
}

/// A message just sent, and the conversation it went to.
#[derive(Debug, Clone)]
pub struct SentMessage {
    pub conversation_id: i64,
    pub message: Message,
}

/// The caller's unread messages: over all conversations, and per conversation with any.
#[derive(Debug, Clone)]
pub struct ChatUnread {
    pub side: ChatSide,
    pub total: i64,
    pub conversations: Vec<(i64, i64)>,
}

/// The side a user chats on, and who that side is (the student's own id, or the employer's).
fn party_of(user: &User) -> AppResult<(ChatSide, i64)> {
    match (user.role, user.employer_id) {
        (Role::Student, _) => Ok((ChatSide::Student, user.id)),
        (Role::EmployerAdmin | Role::Interviewer, Some(e)) => Ok((ChatSide::Employer, e)),
        _ => Err(AppError::Forbidden),
    }
}

/// The side this user is on in this conversation; 404 for anyone else's conversation.
fn side_in(user: &User, c: &Conversation) -> AppResult<ChatSide> {
    match party_of(user)? {
        (ChatSide::Student, id) if id == c.student_id => Ok(ChatSide::Student),
        (ChatSide::Employer, e) if e == c.employer_id => Ok(ChatSide::Employer),
        _ => Err(AppError::NotFound),
    }
}

fn approved(r: &Registration) -> bool {
    r.status == RegistrationStatus::Approved
}

impl App {
    /// A student's chat partner in a fair: the fair must exist (404), the student must have
    /// entered it (403), and the registration must be an approved one of that fair (404).
    async fn student_chat_target(
        &self,
        user: &User,
        fair_id: i64,
        registration_id: i64,
    ) -> AppResult<(ChatHeader, Option<Conversation>)> {
        if user.role != Role::Student {
            return Err(AppError::Forbidden);
        }
        // Through the read cache: a chat asks these on every message.
        let fair = self.store.fair_cached(fair_id).await?;
        if !self.store.has_entered(fair_id, user.id).await? {
            return Err(AppError::Forbidden);
        }
        let registration = self
            .store
            .registration_cached(registration_id)
            .await?
            .filter(|r| r.fair_id == fair_id && approved(r))
            .ok_or(AppError::NotFound)?;
        let employer = self.store.employer_cached(registration.employer_id).await?;
        let conversation = self.store.conversation_of(registration_id, user.id).await?;
        Ok((
            ChatHeader {
                conversation_id: conversation.as_ref().map(|c| c.id),
                fair_id,
                fair_title: fair.title,
                fair_code: fair.entry_code,
                registration_id,
                employer_id: employer.id,
                employer_name: employer.name,
                student_id: user.id,
                student_name: user.display_name.clone(),
            },
            conversation,
        ))
    }

    /// A conversation the user is a side of, with that side.
    async fn own_conversation(
        &self,
        user: &User,
        conversation_id: i64,
    ) -> AppResult<(Conversation, ChatSide)> {
        party_of(user)?;
        let c = self
            .store
            .conversation(conversation_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let side = side_in(user, &c)?;
        Ok((c, side))
    }

    /// Messages for a reader: newer than `after`, or the newest ones. Marks them read.
    async fn read_messages(
        &self,
        c: &Conversation,
        side: ChatSide,
        after: Option<i64>,
    ) -> AppResult<Vec<Message>> {
        let messages = match after {
            Some(after) => {
                self.store
                    .messages_after(c.id, after.max(0), MAX_FETCH)
                    .await?
            }
            None => self.store.latest_messages(c.id, OPENING_MESSAGES).await?,
        };
        if self.store.mark_conversation_read(c.id, side).await? {
            self.publish_read(c, side).await;
        }
        Ok(messages)
    }

    /// The student's conversation with an employer in a fair (empty before the first message).
    /// Opening it marks it read.
    pub async fn student_chat(
        &self,
        user: &User,
        fair_id: i64,
        registration_id: i64,
        after: Option<i64>,
    ) -> AppResult<ChatThread> {
        let (header, conversation) = self
            .student_chat_target(user, fair_id, registration_id)
            .await?;
        let messages = match conversation {
            Some(c) => self.read_messages(&c, ChatSide::Student, after).await?,
            None => Vec::new(),
        };
        Ok(ChatThread {
            side: ChatSide::Student,
            header,
            messages,
        })
    }

    /// A student writes to an employer in a fair; the first message starts the conversation.
    #[tracing::instrument(skip_all, fields(fair.id = fair_id, registration.id = registration_id))]
    pub async fn student_send_message(
        &self,
        user: &User,
        fair_id: i64,
        registration_id: i64,
        text: &str,
    ) -> AppResult<SentMessage> {
        let (header, conversation) = self
            .student_chat_target(user, fair_id, registration_id)
            .await?;
        let body = self.check_send(user, text).await?;
        let c = match conversation {
            Some(c) => c,
            None => {
                self.store
                    .get_or_create_conversation(
                        fair_id,
                        registration_id,
                        header.employer_id,
                        user.id,
                        now_ms(),
                    )
                    .await?
            }
        };
        self.deliver(user, &c, ChatSide::Student, &body).await
    }

    /// A conversation the caller is a side of (student, or any user of the employer). Opening
    /// it marks it read for the caller's side.
    pub async fn chat(
        &self,
        user: &User,
        conversation_id: i64,
        after: Option<i64>,
    ) -> AppResult<ChatThread> {
        let (c, side) = self.own_conversation(user, conversation_id).await?;
        let header = self
            .store
            .conversation_listed(c.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let messages = self.read_messages(&c, side, after).await?;
        Ok(ChatThread {
            side,
            header: header.into(),
            messages,
        })
    }

    /// Either side writes in a conversation it is part of.
    #[tracing::instrument(skip_all, fields(conversation.id = conversation_id))]
    pub async fn send_message(
        &self,
        user: &User,
        conversation_id: i64,
        text: &str,
    ) -> AppResult<SentMessage> {
        let (c, side) = self.own_conversation(user, conversation_id).await?;
        let registration = self.store.registration_cached(c.registration_id).await?;
        if !registration.as_ref().is_some_and(approved) {
            return Err(AppError::Conflict {
                code: "not_in_fair",
                field: "text",
                message: fairhall_domain::msg!("error.app.not_in_fair"),
            });
        }
        let body = self.check_send(user, text).await?;
        self.deliver(user, &c, side, &body).await
    }

    /// Marks a conversation read for the caller's side.
    pub async fn mark_chat_read(&self, user: &User, conversation_id: i64) -> AppResult<()> {
        let (c, side) = self.own_conversation(user, conversation_id).await?;
        if self.store.mark_conversation_read(c.id, side).await? {
            self.publish_read(&c, side).await;
        }
        Ok(())
    }

    /// The caller's conversations, most recent first, with their unread counts.
    pub async fn my_chats(&self, user: &User) -> AppResult<(ChatSide, Vec<ConversationListed>)> {
        let (side, owner) = party_of(user)?;
        Ok((side, self.store.conversations_of(side, owner).await?))
    }

    /// The caller's unread messages, for the badges.
    pub async fn chat_unread(&self, user: &User) -> AppResult<ChatUnread> {
        let (side, owner) = party_of(user)?;
        Ok(ChatUnread {
            side,
            total: self.store.total_unread(side, owner).await?,
            conversations: self.store.unread_by_conversation(side, owner).await?,
        })
    }

    /// The message as it will be stored, if the sender may send now.
    async fn check_send(&self, user: &User, text: &str) -> AppResult<String> {
        let body = parse_message(text)?;
        let now = now_ms();
        let recent = self
            .store
            .recent_sends(user.id, now, RATE_WINDOW_MS)
            .await?;
        if may_send(&recent, now, DEFAULT_MAX_PER_MINUTE).is_err() {
            let wait_ms = retry_after_ms(&recent, now, DEFAULT_MAX_PER_MINUTE).unwrap_or(1000);
            return Err(AppError::RateLimited {
                retry_after_secs: u64::try_from((wait_ms + 999) / 1000).unwrap_or(1).max(1),
            });
        }
        Ok(body)
    }

    async fn deliver(
        &self,
        user: &User,
        c: &Conversation,
        side: ChatSide,
        body: &str,
    ) -> AppResult<SentMessage> {
        let message = self
            .store
            .insert_message(c.id, user.id, side, body, now_ms())
            .await?;
        // The employer's accounts are read once for the three pushes below.
        let employer_users = match self.store.employer_user_ids(c.employer_id).await {
            Ok(u) => u,
            Err(e) => {
                // The message is saved; pages refetch after their next reconnect.
                tracing::warn!(error = %e, conversation.id = c.id, "chat message not pushed");
                return Ok(SentMessage {
                    conversation_id: c.id,
                    message,
                });
            }
        };
        self.publish_message(c, &message, &employer_users).await;
        // The other side has one more unread; the sender's side has read up to here.
        self.publish_unread(c, side.other(), &employer_users).await;
        self.publish_unread(c, side, &employer_users).await;
        Ok(SentMessage {
            conversation_id: c.id,
            message,
        })
    }

    /// After `side` read a conversation: its new unread counts to everyone on that side.
    async fn publish_read(&self, c: &Conversation, side: ChatSide) {
        let employer_users = match side {
            ChatSide::Student => Vec::new(),
            ChatSide::Employer => match self.store.employer_user_ids(c.employer_id).await {
                Ok(u) => u,
                Err(e) => {
                    tracing::warn!(error = %e, conversation.id = c.id, "unread count not pushed");
                    return;
                }
            },
        };
        self.publish_unread(c, side, &employer_users).await;
    }

    /// Everyone on one side of a conversation, given the employer's accounts.
    fn recipients(c: &Conversation, side: ChatSide, employer_users: &[i64]) -> Vec<i64> {
        match side {
            ChatSide::Student => vec![c.student_id],
            ChatSide::Employer => employer_users.to_vec(),
        }
    }

    /// Pushes a stored message to both sides. A failure is logged, not returned: the message is
    /// saved, and every page refetches after a reconnect.
    async fn publish_message(&self, c: &Conversation, m: &Message, employer_users: &[i64]) {
        let event = ServerEvent::ChatMessage {
            conversation_id: c.id,
            fair_id: c.fair_id,
            registration_id: c.registration_id,
            message: ChatMessageData {
                id: m.id,
                side: m.sender_side.clone(),
                sender_name: m.sender_name.clone(),
                body: m.body.clone(),
                created_at: m.created_at,
            },
        };
        for side in [ChatSide::Student, ChatSide::Employer] {
            for u in Self::recipients(c, side, employer_users) {
                self.hub.publish(Topic::User(u), event.clone()).await;
            }
        }
    }

    /// Pushes one side's current unread counts to everyone on that side.
    async fn publish_unread(&self, c: &Conversation, side: ChatSide, employer_users: &[i64]) {
        let owner = match side {
            ChatSide::Student => c.student_id,
            ChatSide::Employer => c.employer_id,
        };
        match self.store.unread_counts(c.id, side, owner).await {
            Ok((unread, total_unread)) => {
                let users = Self::recipients(c, side, employer_users);
                let event = ServerEvent::ChatUnread {
                    conversation_id: c.id,
                    unread,
                    total_unread,
                };
                for u in users {
                    self.hub.publish(Topic::User(u), event.clone()).await;
                }
            }
            Err(e) => tracing::warn!(error = %e, conversation.id = c.id, "unread count not pushed"),
        }
    }
}
