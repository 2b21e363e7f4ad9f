//! The live socket's application side: a page's connection to this node's hub, and what each
//! message a page sends over it does.
//!
//! The web layer owns the transport (the upgrade, the read and write loop, the heartbeat's
//! timing) and hands every text frame to [`App::on_live_message`]. The protocol is in
//! `fairhall_realtime::message` and `docs/REALTIME.md`.

use std::time::Duration;

use fairhall_domain::Lang;
use fairhall_realtime::hub::Frame;
use fairhall_realtime::{ClientMessage, ConnectionGuard, Hub, ServerEvent, Topic};
use fairhall_store::users::User;
use tokio::sync::mpsc;

use crate::{App, now_ms};

/// One open live connection of this node. Dropping it unregisters the connection and, if it
/// was its user's last one on this node, reports the user offline.
pub struct LiveConnection {
    hub: Hub,
    guard: ConnectionGuard,
}

impl LiveConnection {
    /// The connection's id on this node.
    pub fn id(&self) -> u64 {
        self.guard.id()
    }

    /// Why the hub closed this connection's queue (too slow, shutting down), if it did.
    pub fn closed_reason(&self) -> Option<&'static str> {
        self.guard.closed_reason()
    }

    /// Queues a `heartbeat` frame for the page.
    pub fn heartbeat(&self) {
        self.send(&ServerEvent::Heartbeat { at: now_ms() });
    }

    fn send(&self, event: &ServerEvent) {
        self.hub.send_to(self.guard.id(), event);
    }

    fn error(&self, code: &str, message: fairhall_domain::Message, lang: Lang) {
        self.send(&ServerEvent::Error {
            code: code.into(),
            message: message.render(lang),
        });
    }
}

impl App {
    /// Registers a live connection of `user` on this node's hub and queues its `hello`. The
    /// receiver yields the frames to write to the socket, in order; it ends when the hub closes
    /// the connection (see [`LiveConnection::closed_reason`]).
    pub async fn open_live(&self, user: &User) -> (LiveConnection, mpsc::Receiver<Frame>) {
        let (guard, queue) = self.hub.register(user.id).await;
        let conn = LiveConnection {
            hub: self.hub.clone(),
            guard,
        };
        conn.send(&ServerEvent::Hello {
            user_id: user.id,
            node: self.hub.config().node.clone(),
        });
        (conn, queue)
    }

    /// How often a live connection hears a heartbeat; a page silent for three of them is gone.
    pub fn live_heartbeat(&self) -> Duration {
        self.hub.config().heartbeat
    }

    /// Closes every live connection of this node (on shutdown): their queues end, and each
    /// socket says `reason` as it closes.
    pub fn close_live_connections(&self, reason: &'static str) {
        self.hub.close_all(reason);
    }

    /// A page's text frame on its live connection. Errors are answered on the connection in
    /// `lang`, the language of the page that connected.
    ///
    /// - `ping` is answered with `pong`;
    /// - `watch_presence` watches those of the users named whom `user` may see
    ///   ([`App::visible_presence`]) and answers with each one's presence now;
    /// - `watch_fair` watches a fair's announcements if `user` takes part in the fair
    ///   ([`App::takes_part_in_fair`]);
    /// - `signal` is relayed to the other participant when it is well formed and both are
    ///   joined to that live call ([`App::may_signal`]).
    pub async fn on_live_message(
        &self,
        user: &User,
        conn: &LiveConnection,
        text: &str,
        lang: Lang,
    ) {
        let hub = &self.hub;
        let conn_id = conn.id();
        let msg: ClientMessage = match serde_json::from_str(text) {
            Ok(m) => m,
            Err(_) => {
                conn.error(
                    "bad_message",
                    fairhall_domain::msg!("error.web.ws_bad_message"),
                    lang,
                );
                return;
            }
        };
        match msg {
            ClientMessage::Ping => conn.send(&ServerEvent::Pong { at: now_ms() }),
            ClientMessage::WatchPresence { user_ids } => {
                let visible = match self.visible_presence(user, &user_ids).await {
                    Ok(v) => v,
                    Err(e) => {
                        tracing::warn!(error = %e, "presence filter failed");
                        return;
                    }
                };
                let online = hub.watch_presence(conn_id, &visible).await;
                for id in visible {
                    conn.send(&ServerEvent::Presence {
                        user_id: id,
                        online: online.contains(&id),
                    });
                }
            }
            ClientMessage::WatchFair { fair_id } => {
                match self.takes_part_in_fair(user, fair_id).await {
                    Ok(true) => {
                        hub.watch_fair(conn_id, fair_id);
                        conn.send(&ServerEvent::WatchingFair { fair_id });
                    }
                    Ok(false) => conn.error(
                        "not_in_fair",
                        fairhall_domain::msg!("error.web.ws_not_in_fair"),
                        lang,
                    ),
                    Err(e) => {
                        tracing::warn!(error = %e, fair.id = fair_id, "fair watch check failed")
                    }
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
                    conn.error(
                        "bad_signal",
                        fairhall_domain::msg!("error.web.ws_bad_signal"),
                        lang,
                    );
                    return;
                }
                let allowed = match self.may_signal(user.id, call_id, to).await {
                    Ok(a) => a,
                    Err(e) => {
                        tracing::warn!(error = %e, call.id = call_id, "signal check failed");
                        false
                    }
                };
                if !allowed {
                    conn.error(
                        "not_in_call",
                        fairhall_domain::msg!("error.web.ws_not_in_call"),
                        lang,
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
}
