//! The chat pages: the conversation (rendered with its history, then kept live by `chat.js`),
//! the student's list and the employer's inbox. The send form works without script too.

use askama::Template;
use axum::extract::{Path, RawForm, State};
use axum::response::{IntoResponse, Redirect, Response};
use fairhall_app::AppError;
use fairhall_app::chat::{ChatSide, ChatThread, ConversationListed, SentMessage};

use crate::AppState;
use crate::error::{fail, status_of};
use crate::guard::{Employer, SignedIn, Student};
use crate::i18n::Lang;
use crate::pages::{Base, fmt_time, render};
use crate::session::CurrentUser;

// ---------------------------------------------------------------- the conversation

pub struct Line {
    pub id: i64,
    pub mine: bool,
    pub sender_name: String,
    pub body: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "chat/conversation.html")]
struct ConversationPage {
    b: Base,
    /// Who the conversation is with.
    title: String,
    fair_title: String,
    back: String,
    /// A link beside the title: the employer's page (student) or the student's resume
    /// (employer).
    aside_link: String,
    aside_key: &'static str,
    side: &'static str,
    conversation_id: i64,
    registration_id: i64,
    /// Where the page's script fetches newer messages and sends.
    fetch_url: String,
    send_url: String,
    action: String,
    lines: Vec<Line>,
    last_id: i64,
    text: String,
    error: String,
}

/// What the form sent, or what went wrong with it.
struct Draft {
    text: String,
    error: String,
}

fn text_of(body: &[u8]) -> String {
    form_urlencoded::parse(body)
        .find(|(k, _)| k == "text")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn page_of(b: Base, t: ChatThread, draft: Draft) -> ConversationPage {
    let h = &t.header;
    let (title, back, aside_link, aside_key, fetch_url, send_url, action) = match t.side {
        ChatSide::Student => {
            let api = format!(
                "/api/v1/fairs/{}/employers/{}/messages",
                h.fair_id, h.registration_id
            );
            (
                h.employer_name.clone(),
                "/student/chats".to_string(),
                format!("/f/{}/employers/{}", h.fair_code, h.registration_id),
                "chat.employer_details",
                api.clone(),
                api,
                format!("/f/{}/employers/{}/chat", h.fair_code, h.registration_id),
            )
        }
        ChatSide::Employer => {
            let id = h.conversation_id.unwrap_or(0);
            let api = format!("/api/v1/chats/{id}/messages");
            (
                h.student_name.clone(),
                "/employer/chats".to_string(),
                format!("/employer/fairs/{}/students/{}", h.fair_id, h.student_id),
                "chat.view_resume",
                api.clone(),
                api,
                format!("/employer/chats/{id}"),
            )
        }
    };
    let side = t.side.as_str();
    let lines: Vec<Line> = t
        .messages
        .iter()
        .map(|m| Line {
            id: m.id,
            mine: m.sender_side == side,
            sender_name: m.sender_name.clone(),
            body: m.body.clone(),
            at: fmt_time(m.created_at),
        })
        .collect();
    ConversationPage {
        title,
        fair_title: h.fair_title.clone(),
        back,
        aside_link,
        aside_key,
        side,
        conversation_id: h.conversation_id.unwrap_or(0),
        registration_id: h.registration_id,
        fetch_url,
        send_url,
        action,
        last_id: lines.last().map_or(0, |l| l.id),
        lines,
        text: draft.text,
        error: draft.error,
        b,
    }
}

fn with_tab(mut b: Base) -> Base {
    b.tab = "chats";
    b
}

/// Where a student who may not chat in this fair goes: its entry page (sign in, 报名进入会场).
fn student_refused(b: Base, code: &str, error: AppError) -> Response {
    match error {
        AppError::Forbidden => Redirect::to(&format!("/f/{code}")).into_response(),
        e => fail(b, e),
    }
}

async fn fair_id_of(state: &AppState, code: &str) -> Result<i64, AppError> {
    Ok(state
        .fair_by_code(code)
        .await?
        .ok_or(AppError::NotFound)?
        .id)
}

/// `/f/{code}/employers/{registration_id}/chat`: the student's conversation with an employer.
pub async fn student_conversation(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<Student>,
    Path((code, registration_id)): Path<(String, i64)>,
) -> Response {
    let opened = async {
        let fair_id = fair_id_of(&state, &code).await?;
        state
            .student_chat(&user.user, fair_id, registration_id, None)
            .await
    }
    .await;
    let b = with_tab(Base::new(lang, Some(user)));
    match opened {
        Ok(t) => render(&page_of(
            b,
            t,
            Draft {
                text: String::new(),
                error: String::new(),
            },
        )),
        Err(e) => student_refused(b, &code, e),
    }
}

/// After a send from the plain form: back to the conversation, or the page again with the
/// message kept and the error beside it.
async fn after_send(
    b: Base,
    sent: Result<SentMessage, AppError>,
    back: String,
    text: String,
    reopen: impl Future<Output = Result<ChatThread, AppError>>,
) -> Response {
    let error = match sent {
        Ok(_) => return Redirect::to(&back).into_response(),
        Err(
            e @ (AppError::Invalid(_) | AppError::RateLimited { .. } | AppError::Conflict { .. }),
        ) => e,
        Err(e) => return fail(b, e),
    };
    let status = status_of(&error);
    let error = b.tr.err(&error);
    match reopen.await {
        Ok(t) => {
            let page = page_of(b, t, Draft { text, error });
            (status, render(&page)).into_response()
        }
        Err(e) => fail(b, e),
    }
}

pub async fn student_send(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<Student>,
    Path((code, registration_id)): Path<(String, i64)>,
    RawForm(body): RawForm,
) -> Response {
    let here = format!("/f/{code}/employers/{registration_id}/chat");
    let text = text_of(&body);
    let fair_id = match fair_id_of(&state, &code).await {
        Ok(id) => id,
        Err(e) => return fail(with_tab(Base::new(lang, Some(user))), e),
    };
    let sent = state
        .student_send_message(&user.user, fair_id, registration_id, &text)
        .await;
    if let Err(AppError::Forbidden) = sent {
        return Redirect::to(&format!("/f/{code}")).into_response();
    }
    let me = user.user.clone();
    let b = with_tab(Base::new(lang, Some(user)));
    let reopen = state.student_chat(&me, fair_id, registration_id, None);
    after_send(b, sent, here, text, reopen).await
}

/// `/employer/chats/{conversation_id}`: a conversation, for the employer's admin and
/// interviewers.
pub async fn employer_conversation(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<Employer>,
    Path(conversation_id): Path<i64>,
) -> Response {
    let opened = state.chat(&user.user, conversation_id, None).await;
    let b = Base::new(lang, Some(user));
    match opened {
        Ok(t) => render(&page_of(
            b,
            t,
            Draft {
                text: String::new(),
                error: String::new(),
            },
        )),
        Err(e) => fail(b, e),
    }
}

pub async fn employer_send(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<Employer>,
    Path(conversation_id): Path<i64>,
    RawForm(body): RawForm,
) -> Response {
    let here = format!("/employer/chats/{conversation_id}");
    let text = text_of(&body);
    let sent = state.send_message(&user.user, conversation_id, &text).await;
    let me = user.user.clone();
    let b = Base::new(lang, Some(user));
    let reopen = state.chat(&me, conversation_id, None);
    after_send(b, sent, here, text, reopen).await
}

// ---------------------------------------------------------------- the lists

pub struct Row {
    pub path: String,
    /// The other side: the employer (student's list) or the student (employer's inbox).
    pub name: String,
    pub fair_title: String,
    pub last_body: String,
    pub at: String,
    pub unread: i64,
}

#[derive(Template)]
#[template(path = "chat/inbox.html")]
struct InboxPage {
    b: Base,
    side: &'static str,
    rows: Vec<Row>,
}

fn rows_of(side: ChatSide, list: &[ConversationListed]) -> Vec<Row> {
    list.iter()
        .map(|c| Row {
            path: super::api::page_path(side, c),
            name: match side {
                ChatSide::Student => c.employer_name.clone(),
                ChatSide::Employer => c.student_name.clone(),
            },
            fair_title: c.fair_title.clone(),
            last_body: c.last_body.clone().unwrap_or_default(),
            at: c.last_message_at.map(fmt_time).unwrap_or_default(),
            unread: c.unread,
        })
        .collect()
}

async fn inbox(state: AppState, lang: Lang, user: CurrentUser) -> Response {
    let listed = state.my_chats(&user.user).await;
    let mut b = Base::new(lang, Some(user));
    match listed {
        Ok((side, list)) => {
            if side == ChatSide::Student {
                b = with_tab(b);
            }
            render(&InboxPage {
                b,
                side: side.as_str(),
                rows: rows_of(side, &list),
            })
        }
        Err(e) => fail(b, e),
    }
}

/// `/student/chats`: the student's conversations with unread counts.
pub async fn student_inbox(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<Student>,
) -> Response {
    inbox(state, lang, user).await
}

/// `/employer/chats`: the employer's conversations across fairs with unread counts.
pub async fn employer_inbox(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<Employer>,
) -> Response {
    inbox(state, lang, user).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_form_text_is_read_from_the_body() {
        assert_eq!(super::text_of(b"_csrf=x&text=%3Cb%3E+hi"), "<b> hi");
        assert_eq!(super::text_of(b"_csrf=x"), "");
    }
}
