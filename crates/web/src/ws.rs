//! `/ws`: one WebSocket per open page.
//!
//! Authenticated by the session cookie, with the Origin checked (a cross-site page cannot ride
//! on the cookie). One task per connection selects over the hub's queue, the socket and a
//! heartbeat. The protocol is in `fairhall_realtime::message` and `docs/REALTIME.md`.

use std::time::{Duration, Instant};

use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use fairhall_app::now_ms;
use fairhall_domain::Lang as MessageLang;
use fairhall_realtime::{ClientMessage, ServerEvent, Topic};
use fairhall_store::users::User;
use futures::{SinkExt, StreamExt};

use crate::AppState;
use crate::csrf::expected_origin;
use crate::error::{ApiError, json_error};
use crate::i18n::Lang;
use crate::session::CurrentUser;

/// A frame that cannot be written within this time means the client is gone or stuck.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Big enough for a call offer (`message::MAX_SDP`) with its JSON around it.
const MAX_INBOUND: usize = 40 * 1024;
/// What each socket reads into at a time, allocated for the socket's whole life. The library's
/// default (128 KiB) made an idle socket cost the server about 135 KiB; clients send small
/// frames (pings, watches, signalling), and a larger one (an SDP offer) is simply read in
/// several steps.
const READ_BUFFER: usize = 2 * 1024;
/// Frames are flushed one at a time, so the write buffer never needs to be large.
const WRITE_BUFFER: usize = 4 * 1024;

pub async fn upgrade(
    State(state): State<AppState>,
    headers: HeaderMap,
    lang: Lang,
    user: Result<CurrentUser, ApiError>,
    ws: WebSocketUpgrade,
) -> Response {
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    if origin.is_none() || origin.map(str::to_string) != expected_origin(&state, &headers) {
        return json_error(
            StatusCode::FORBIDDEN,
            "bad_origin",
            fairhall_domain::msg!("error.web.bad_origin"),
        );
    }
    let user = match user {
        Ok(u) => u.user,
        Err(e) => return e.into_response(),
    };
    ws.max_message_size(MAX_INBOUND)
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(WRITE_BUFFER)
        .on_upgrade(move |socket| connection(state, user, lang.into(), socket))
}

#[tracing::instrument(skip_all, fields(user.id = user.id))]
async fn connection(state: AppState, user: User, lang: MessageLang, socket: WebSocket) {
    let hub = state.hub.clone();
    // Boxed, like the message handler below: an idle connection's task then holds only the
    // loop's own state, not room for the largest future it may ever await (database and Redis
    // calls), which would otherwise be reserved in every socket's task for its whole life.
    let (guard, mut queue) = Box::pin(hub.register(user.id)).await;
    let (mut sink, mut stream) = socket.split();
    let heartbeat = hub.config().heartbeat;
    let mut tick = tokio::time::interval(heartbeat);
    tick.tick().await;
    let mut last_heard = Instant::now();

    hub.send_to(
        guard.id(),
        &ServerEvent::Hello {
            user_id: user.id,
            node: hub.config().node.clone(),
        },
    );

    let reason: String = loop {
        tokio::select! {
            frame = queue.recv() => match frame {
                Some(frame) => {
                    let sent = tokio::time::timeout(
                        WRITE_TIMEOUT,
                        sink.send(Message::Text(frame.as_ref().into())),
                    )
                    .await;
                    if !matches!(sent, Ok(Ok(()))) {
                        break "write failed or timed out".into();
                    }
                }
                None => break guard.closed_reason().unwrap_or("closed by server").into(),
            },
            inbound = stream.next() => match inbound {
                Some(Ok(Message::Text(text))) => {
                    last_heard = Instant::now();
                    Box::pin(handle_client_message(&state, &user, lang, guard.id(), text.as_str()))
                        .await;
                }
                Some(Ok(Message::Pong(_) | Message::Ping(_) | Message::Binary(_))) => {
                    last_heard = Instant::now();
                }
                Some(Ok(Message::Close(_))) | None => break "client closed".into(),
                Some(Err(e)) => break format!("socket error: {e}"),
            },
            _ = tick.tick() => {
                if last_heard.elapsed() > heartbeat * 3 {
                    break "heartbeat timeout".into();
                }
                hub.send_to(guard.id(), &ServerEvent::Heartbeat { at: now_ms() });
                let _ = sink.send(Message::Ping(Vec::new().into())).await;
            }
        }
    };
    tracing::debug!(reason = %reason, "websocket closed");
    let close = CloseFrame {
        code: if reason.starts_with("slow") {
            1008
        } else {
            1000
        },
        reason: reason.chars().take(100).collect::<String>().into(),
    };
    let _ = tokio::time::timeout(
        Duration::from_secs(1),
        sink.send(Message::Close(Some(close))),
    )
    .await;
    drop(guard);
}

/// A client's frame; errors are answered in `lang`, the language of the page that connected.
async fn handle_client_message(
    state: &AppState,
    user: &User,
    lang: MessageLang,
    conn_id: u64,
    text: &str,
) {
    let hub = &state.hub;
    let msg: ClientMessage = match serde_json::from_str(text) {
        Ok(m) => m,
        Err(_) => {
            hub.send_to(
                conn_id,
                &ServerEvent::Error {
                    code: "bad_message".into(),
                    message: fairhall_domain::msg!("error.web.ws_bad_message").render(lang),
                },
            );
            return;
        }
    };
    match msg {
        ClientMessage::Ping => hub.send_to(conn_id, &ServerEvent::Pong { at: now_ms() }),
        ClientMessage::WatchPresence { user_ids } => {
            let visible = match state.visible_presence(user, &user_ids).await {
                Ok(v) => v,
                Err(e) => {
                    tracing::warn!(error = %e, "presence filter failed");
                    return;
                }
            };
            let online = hub.watch_presence(conn_id, &visible).await;
            for id in visible {
                hub.send_to(
                    conn_id,
                    &ServerEvent::Presence {
                        user_id: id,
                        online: online.contains(&id),
                    },
                );
            }
        }
        ClientMessage::WatchFair { fair_id } => {
            match state.takes_part_in_fair(user, fair_id).await {
                Ok(true) => {
                    hub.watch_fair(conn_id, fair_id);
                    hub.send_to(conn_id, &ServerEvent::WatchingFair { fair_id });
                }
                Ok(false) => hub.send_to(
                    conn_id,
                    &ServerEvent::Error {
                        code: "not_in_fair".into(),
                        message: fairhall_domain::msg!("error.web.ws_not_in_fair").render(lang),
                    },
                ),
                Err(e) => tracing::warn!(error = %e, fair.id = fair_id, "fair watch check failed"),
            }
        }
        ClientMessage::Signal {
            call_id,
            to,
            kind,
            sdp,
            candidate,
        } => {
            if !ClientMessage::signal_is_well_formed(kind, sdp.as_deref(), candidate.as_ref()) {
                hub.send_to(
                    conn_id,
                    &ServerEvent::Error {
                        code: "bad_signal".into(),
                        message: fairhall_domain::msg!("error.web.ws_bad_signal").render(lang),
                    },
                );
                return;
            }
            let allowed = match state.may_signal(user.id, call_id, to).await {
                Ok(a) => a,
                Err(e) => {
                    tracing::warn!(error = %e, call.id = call_id, "signal check failed");
                    false
                }
            };
            if !allowed {
                hub.send_to(
                    conn_id,
                    &ServerEvent::Error {
                        code: "not_in_call".into(),
                        message: fairhall_domain::msg!("error.web.ws_not_in_call").render(lang),
                    },
                );
                return;
            }
            hub.publish(
                Topic::User(to),
                ServerEvent::CallSignal {
                    call_id,
                    from: user.id,
                    kind,
                    sdp,
                    candidate,
                },
            )
            .await;
        }
    }
}
