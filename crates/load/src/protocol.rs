//! The three realtime servers compared, as a subscriber sees them: how to connect, how to join
//! the one channel every subscriber listens to, and which keep-alive frames need an answer.
//!
//! - fairhall: `GET /ws` with the session cookie and a matching `Origin`; first frame `hello`;
//!   `watch_fair` is answered `watching_fair`. WebSocket pings are answered by the library
//!   while the stream is read.
//! - soketi (Pusher protocol 7): `/app/{key}`; `pusher:connection_established`, then
//!   `pusher:subscribe` is answered `pusher_internal:subscription_succeeded`; `pusher:ping`
//!   needs a `pusher:pong`.
//! - socket.io (engine.io 4 over a plain WebSocket): `0{…}` open, `40` joins the default
//!   namespace (the server puts every socket in the room), `2` pings need a `3`.

use std::net::Ipv4Addr;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde::{Deserialize, Serialize};
use tokio::sync::watch;
use tokio_tungstenite::tungstenite::Message;

use crate::net::{Ws, connect_ws};
use crate::safety::Endpoint;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    Fairhall,
    Soketi,
    Socketio,
}

impl Target {
    pub fn name(self) -> &'static str {
        match self {
            Target::Fairhall => "fairhall",
            Target::Soketi => "soketi",
            Target::Socketio => "socketio",
        }
    }
}

/// What a subscriber needs besides the server's address.
#[derive(Debug, Clone)]
pub struct Channel {
    pub target: Target,
    /// fairhall: the fair to watch.
    pub fair_id: i64,
    /// soketi: the channel name.
    pub name: String,
    /// soketi: the app key.
    pub app_key: String,
}

/// How long one handshake step may wait for the server's answer.
const STEP_TIMEOUT: Duration = Duration::from_secs(20);

/// Opens a connection and, with `subscribe`, joins the channel. `cookie` is fairhall's session
/// cookie value (required for fairhall).
pub async fn open(
    ch: &Channel,
    ep: &Endpoint,
    source: Option<Ipv4Addr>,
    cookie: Option<&str>,
    subscribe: bool,
) -> Result<Ws, String> {
    match ch.target {
        Target::Fairhall => {
            let cookie = cookie.ok_or("fairhall needs a session cookie")?;
            let headers = [
                ("origin", ep.base.clone()),
                ("cookie", format!("fairhall_session={cookie}")),
            ];
            let mut ws = connect_ws(ep, "/ws", source, &headers).await?;
            wait_for(&mut ws, ch.target, "hello", |t| {
                t.contains("\"type\":\"hello\"").then_some(Ok(()))
            })
            .await?;
            if subscribe {
                let watch = serde_json::json!({"type": "watch_fair", "fair_id": ch.fair_id});
                send(&mut ws, watch.to_string()).await?;
                wait_for(&mut ws, ch.target, "watching_fair", |t| {
                    if t.contains("\"type\":\"watching_fair\"") {
                        Some(Ok(()))
                    } else if t.contains("\"type\":\"error\"") {
                        Some(Err(format!("watch_fair refused: {}", error_code(t))))
                    } else {
                        None
                    }
                })
                .await?;
            }
            Ok(ws)
        }
        Target::Soketi => {
            let path = format!(
                "/app/{}?protocol=7&client=js&version=8.4.0&flash=false",
                ch.app_key
            );
            let mut ws = connect_ws(ep, &path, source, &[]).await?;
            wait_for(&mut ws, ch.target, "pusher:connection_established", |t| {
                if t.contains("pusher:connection_established") {
                    Some(Ok(()))
                } else if t.contains("\"pusher:error\"") {
                    Some(Err(format!("pusher:error {}", error_code(t))))
                } else {
                    None
                }
            })
            .await?;
            if subscribe {
                let sub =
                    serde_json::json!({"event": "pusher:subscribe", "data": {"channel": ch.name}});
                send(&mut ws, sub.to_string()).await?;
                wait_for(&mut ws, ch.target, "subscription_succeeded", |t| {
                    if t.contains("pusher_internal:subscription_succeeded") {
                        Some(Ok(()))
                    } else if t.contains("\"pusher:error\"") {
                        Some(Err(format!("pusher:error {}", error_code(t))))
                    } else {
                        None
                    }
                })
                .await?;
            }
            Ok(ws)
        }
        Target::Socketio => {
            let mut ws =
                connect_ws(ep, "/socket.io/?EIO=4&transport=websocket", source, &[]).await?;
            wait_for(&mut ws, ch.target, "engine.io open", |t| {
                t.starts_with("0{").then_some(Ok(()))
            })
            .await?;
            // Joining the namespace is what makes the server's connection handler run (and
            // join the room), so it is done even for idle connections.
            send(&mut ws, "40".to_string()).await?;
            wait_for(&mut ws, ch.target, "namespace connect", |t| {
                if t.starts_with("40") {
                    Some(Ok(()))
                } else if t.starts_with("44") {
                    Some(Err("namespace refused".into()))
                } else {
                    None
                }
            })
            .await?;
            Ok(ws)
        }
    }
}

/// The `code` of an error frame, or the frame itself, cut short.
fn error_code(text: &str) -> String {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| {
            v.get("code")
                .or_else(|| v.get("data").and_then(|d| d.get("code")))
                .map(|c| c.to_string())
        })
        .unwrap_or_else(|| text.chars().take(80).collect())
}

pub async fn send(ws: &mut Ws, text: String) -> Result<(), String> {
    ws.send(Message::Text(text.into()))
        .await
        .map_err(|e| format!("send: {e}"))
}

/// The answer a keep-alive frame needs, if it is one.
pub fn keepalive_reply(target: Target, text: &str) -> Option<&'static str> {
    match target {
        Target::Soketi if text.contains("\"pusher:ping\"") => {
            Some(r#"{"event":"pusher:pong","data":{}}"#)
        }
        Target::Socketio if text == "2" => Some("3"),
        _ => None,
    }
}

/// Reads frames (answering keep-alives) until `check` gives a verdict on one.
async fn wait_for(
    ws: &mut Ws,
    target: Target,
    what: &str,
    check: impl Fn(&str) -> Option<Result<(), String>>,
) -> Result<(), String> {
    loop {
        let frame = tokio::time::timeout(STEP_TIMEOUT, ws.next())
            .await
            .map_err(|_| format!("timeout waiting for {what}"))?;
        match frame {
            None => return Err(format!("closed before {what}")),
            Some(Err(e)) => return Err(format!("error before {what}: {}", short_ws_error(&e))),
            Some(Ok(Message::Text(t))) => {
                if let Some(reply) = keepalive_reply(target, &t) {
                    send(ws, reply.to_string()).await?;
                    continue;
                }
                if let Some(verdict) = check(&t) {
                    return verdict;
                }
            }
            Some(Ok(Message::Close(c))) => {
                return Err(format!(
                    "closed before {what}: {}",
                    c.map(|c| c.code.to_string()).unwrap_or_default()
                ));
            }
            Some(Ok(_)) => {}
        }
    }
}

pub fn short_ws_error(e: &tokio_tungstenite::tungstenite::Error) -> String {
    use tokio_tungstenite::tungstenite::Error;
    match e {
        Error::Io(io) => format!("io {:?}", io.kind()),
        Error::ConnectionClosed | Error::AlreadyClosed => "closed".into(),
        Error::Protocol(p) => format!("protocol {p}"),
        other => other.to_string(),
    }
}

/// Resolves once `stop` is true (or its sender is gone).
pub async fn stopped(stop: &mut watch::Receiver<bool>) {
    loop {
        if *stop.borrow_and_update() {
            return;
        }
        if stop.changed().await.is_err() {
            return;
        }
    }
}

/// Why holding a connection ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Ended {
    /// Told to stop.
    Stopped,
    /// The server closed it or it broke; the kind, for error counts.
    Lost(String),
}

/// Keeps reading a connection (so pings are answered) until `stop` turns true, handing every
/// other text frame to `on_text`.
pub async fn hold(
    mut ws: Ws,
    target: Target,
    mut stop: watch::Receiver<bool>,
    mut on_text: impl FnMut(&str),
) -> Ended {
    loop {
        tokio::select! {
            () = stopped(&mut stop) => return Ended::Stopped,
            frame = ws.next() => match frame {
                None => return Ended::Lost("closed by server".into()),
                Some(Err(e)) => return Ended::Lost(short_ws_error(&e)),
                Some(Ok(Message::Text(t))) => {
                    if let Some(reply) = keepalive_reply(target, &t) {
                        if let Err(e) = send(&mut ws, reply.to_string()).await {
                            return Ended::Lost(e);
                        }
                    } else {
                        on_text(&t);
                    }
                }
                Some(Ok(Message::Close(c))) => {
                    return Ended::Lost(format!(
                        "close {}",
                        c.map(|c| format!("{} {}", c.code, c.reason)).unwrap_or_default()
                    ));
                }
                Some(Ok(_)) => {}
            },
        }
    }
}
