//! `/ws`: one WebSocket per open page.
//!
//! Authenticated by the session cookie, with the Origin checked (a cross-site page cannot ride
//! on the cookie). One task per connection selects over its queue of outgoing frames, the
//! socket and a heartbeat. This module is only the transport: the connection is registered
//! through `App::open_live`, and what each message a page sends does is
//! `App::on_live_message` (`crates/app/src/live.rs`). The protocol is in `docs/REALTIME.md`.

use std::time::{Duration, Instant};

use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use fairhall_app::accounts::User;
use fairhall_domain::Lang as MessageLang;
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
    // Boxed, like the message handler below: an idle connection's task then holds only the
    // loop's own state, not room for the largest future it may ever await (database and Redis
    // calls), which would otherwise be reserved in every socket's task for its whole life.
    // Registering queues the connection's `hello`.
    let (live, mut queue) = Box::pin(state.open_live(&user)).await;
    let (mut sink, mut stream) = socket.split();
    let heartbeat = state.live_heartbeat();
    let mut tick = tokio::time::interval(heartbeat);
    tick.tick().await;
    let mut last_heard = Instant::now();

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
                None => break live.closed_reason().unwrap_or("closed by server").into(),
            },
            inbound = stream.next() => match inbound {
                Some(Ok(Message::Text(text))) => {
                    last_heard = Instant::now();
                    Box::pin(state.on_live_message(&user, &live, text.as_str(), lang)).await;
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
                live.heartbeat();
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
    drop(live);
}
