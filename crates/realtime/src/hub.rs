//! This node's live connections.
//!
//! Each WebSocket registers here and gets a bounded queue of outgoing frames. The hub reads the
//! bus and copies each event's frame (serialised once) into the queues of the connections it is
//! for. A queue that is full means the client is not reading: the hub drops that connection and
//! logs why, rather than buffering without bound or silently skipping events.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use dashmap::DashMap;
use futures::StreamExt;
use tokio::sync::mpsc;

use crate::{Bus, Envelope, ServerEvent, Topic};

#[derive(Debug, Clone)]
pub struct HubConfig {
    /// This node's name in presence entries; unique per process.
    pub node: String,
    /// Frames a connection may have waiting before it counts as too slow.
    pub outbound_capacity: usize,
    pub heartbeat: Duration,
}

impl Default for HubConfig {
    fn default() -> Self {
        Self {
            node: "local".into(),
            outbound_capacity: 256,
            heartbeat: Duration::from_secs(15),
        }
    }
}

pub type Frame = Arc<str>;

struct Conn {
    user_id: i64,
    tx: mpsc::Sender<Frame>,
    watching: Mutex<HashSet<i64>>,
    /// Fairs whose announcements this connection receives (usually none or one).
    fairs: Mutex<Vec<i64>>,
    closed: Arc<OnceLock<&'static str>>,
}

struct Inner {
    config: HubConfig,
    bus: Arc<dyn Bus>,
    next_id: AtomicU64,
    conns: DashMap<u64, Conn>,
    by_user: DashMap<i64, HashSet<u64>>,
    watchers: DashMap<i64, HashSet<u64>>,
    fair_watchers: DashMap<i64, HashSet<u64>>,
}

#[derive(Clone)]
pub struct Hub {
    inner: Arc<Inner>,
}

/// Held by a connection task. Dropping it unregisters the connection and, if it was the user's
/// last one on this node, reports the user offline.
pub struct ConnectionGuard {
    hub: Hub,
    id: u64,
    closed: Arc<OnceLock<&'static str>>,
}

impl ConnectionGuard {
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Why the hub closed this connection's queue, if it did.
    pub fn closed_reason(&self) -> Option<&'static str> {
        self.closed.get().copied()
    }
}

impl Drop for ConnectionGuard {
    fn drop(&mut self) {
        self.hub.unregister(self.id);
    }
}

impl Hub {
    /// Creates the hub and starts the task that delivers bus events to local connections.
    pub fn start(config: HubConfig, bus: Arc<dyn Bus>) -> Hub {
        let hub = Hub {
            inner: Arc::new(Inner {
                config,
                bus,
                next_id: AtomicU64::new(1),
                conns: DashMap::new(),
                by_user: DashMap::new(),
                watchers: DashMap::new(),
                fair_watchers: DashMap::new(),
            }),
        };
        let mut events = hub.inner.bus.subscribe();
        // The task holds only a weak reference so a dropped hub stops it.
        let weak = Arc::downgrade(&hub.inner);
        tokio::spawn(async move {
            while let Some(envelope) = events.next().await {
                let Some(inner) = weak.upgrade() else { break };
                Hub { inner }.deliver(&envelope);
            }
        });
        // Presence claims are refreshed every heartbeat, so a cluster bus can let a crashed
        // node's claims expire (the in-process bus keeps them until presence_down).
        let weak = Arc::downgrade(&hub.inner);
        let every = hub.inner.config.heartbeat;
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.tick().await;
            loop {
                tick.tick().await;
                let Some(inner) = weak.upgrade() else { break };
                let hub = Hub { inner };
                for user_id in hub.local_users() {
                    if let Err(e) = hub
                        .inner
                        .bus
                        .presence_up(&hub.inner.config.node, user_id)
                        .await
                    {
                        tracing::warn!(error = %e, "presence not refreshed");
                        break;
                    }
                }
            }
        });
        hub
    }

    pub fn config(&self) -> &HubConfig {
        &self.inner.config
    }

    pub fn bus(&self) -> &Arc<dyn Bus> {
        &self.inner.bus
    }

    pub fn connection_count(&self) -> usize {
        self.inner.conns.len()
    }

    /// Users with at least one connection on this node.
    pub fn local_users(&self) -> Vec<i64> {
        self.inner.by_user.iter().map(|e| *e.key()).collect()
    }

    pub async fn register(&self, user_id: i64) -> (ConnectionGuard, mpsc::Receiver<Frame>) {
        let (tx, rx) = mpsc::channel(self.inner.config.outbound_capacity);
        let id = self.inner.next_id.fetch_add(1, Ordering::Relaxed);
        let closed = Arc::new(OnceLock::new());
        self.inner.conns.insert(
            id,
            Conn {
                user_id,
                tx,
                watching: Mutex::new(HashSet::new()),
                fairs: Mutex::new(Vec::new()),
                closed: closed.clone(),
            },
        );
        let first = {
            let mut set = self.inner.by_user.entry(user_id).or_default();
            set.insert(id);
            set.len() == 1
        };
        if first {
            let bus = &self.inner.bus;
            if let Err(e) = bus.presence_up(&self.inner.config.node, user_id).await {
                tracing::warn!(error = %e, user_id, "presence up not recorded");
            }
            self.publish(
                Topic::Presence(user_id),
                ServerEvent::Presence {
                    user_id,
                    online: true,
                },
            )
            .await;
        }
        let guard = ConnectionGuard {
            hub: self.clone(),
            id,
            closed,
        };
        (guard, rx)
    }

    /// Sends to one connection of this node, outside the bus (hello, pong, snapshots).
    pub fn send_to(&self, conn_id: u64, event: &ServerEvent) {
        let frame: Frame = event.to_frame().into();
        self.offer(conn_id, frame);
    }

    /// Publishes an event for delivery on every node.
    pub async fn publish(&self, topic: Topic, event: ServerEvent) {
        if let Err(e) = self.inner.bus.publish(Envelope { topic, event }).await {
            tracing::warn!(error = %e, ?topic, "event not published");
        }
    }

    /// Starts presence events for `user_ids` to this connection and returns who is online now.
    /// The caller has already filtered `user_ids` to those the viewer may see.
    pub async fn watch_presence(&self, conn_id: u64, user_ids: &[i64]) -> HashSet<i64> {
        if let Some(conn) = self.inner.conns.get(&conn_id) {
            let mut watching = conn.watching.lock().unwrap_or_else(|p| p.into_inner());
            for &u in user_ids {
                if watching.insert(u) {
                    self.inner.watchers.entry(u).or_default().insert(conn_id);
                }
            }
        }
        match self.inner.bus.online(user_ids).await {
            Ok(online) => online,
            Err(e) => {
                tracing::warn!(error = %e, "presence lookup failed");
                HashSet::new()
            }
        }
    }

    /// Starts the fair's announcements to this connection. The caller has checked that the
    /// user takes part in the fair.
    pub fn watch_fair(&self, conn_id: u64, fair_id: i64) {
        if let Some(conn) = self.inner.conns.get(&conn_id) {
            let mut fairs = conn.fairs.lock().unwrap_or_else(|p| p.into_inner());
            if !fairs.contains(&fair_id) {
                fairs.push(fair_id);
                self.inner
                    .fair_watchers
                    .entry(fair_id)
                    .or_default()
                    .insert(conn_id);
            }
        }
    }

    /// Closes every connection (on shutdown): their queues end, their tasks say goodbye.
    pub fn close_all(&self, reason: &'static str) {
        let ids: Vec<u64> = self.inner.conns.iter().map(|e| *e.key()).collect();
        for id in ids {
            self.drop_conn(id, reason);
        }
    }

    fn deliver(&self, envelope: &Envelope) {
        let targets: Vec<u64> = match envelope.topic {
            Topic::User(u) => self
                .inner
                .by_user
                .get(&u)
                .map(|s| s.iter().copied().collect()),
            Topic::Presence(u) => self
                .inner
                .watchers
                .get(&u)
                .map(|s| s.iter().copied().collect()),
            Topic::Fair(f) => self
                .inner
                .fair_watchers
                .get(&f)
                .map(|s| s.iter().copied().collect()),
        }
        .unwrap_or_default();
        if targets.is_empty() {
            return;
        }
        let frame: Frame = envelope.event.to_frame().into();
        for id in targets {
            self.offer(id, frame.clone());
        }
    }

    fn offer(&self, conn_id: u64, frame: Frame) {
        let full = match self.inner.conns.get(&conn_id) {
            Some(conn) => matches!(
                conn.tx.try_send(frame),
                Err(mpsc::error::TrySendError::Full(_))
            ),
            None => false,
        };
        if full {
            self.drop_conn(conn_id, "slow consumer: outbound queue full");
        }
    }

    fn drop_conn(&self, conn_id: u64, reason: &'static str) {
        if let Some((_, conn)) = self.inner.conns.remove(&conn_id) {
            let _ = conn.closed.set(reason);
            if reason.starts_with("slow") {
                tracing::warn!(
                    conn_id,
                    user_id = conn.user_id,
                    reason,
                    "dropping connection"
                );
            }
            self.forget(conn_id, &conn);
            // Dropping `conn` drops the sender: the connection task sees its queue end.
        }
    }

    fn unregister(&self, conn_id: u64) {
        if let Some((_, conn)) = self.inner.conns.remove(&conn_id) {
            self.forget(conn_id, &conn);
        }
    }

    /// Removes a connection from the indexes; reports the user offline if it was their last.
    fn forget(&self, conn_id: u64, conn: &Conn) {
        let watching =
            std::mem::take(&mut *conn.watching.lock().unwrap_or_else(|p| p.into_inner()));
        for u in watching {
            self.inner.watchers.remove_if_mut(&u, |_, set| {
                set.remove(&conn_id);
                set.is_empty()
            });
        }
        let fairs = std::mem::take(&mut *conn.fairs.lock().unwrap_or_else(|p| p.into_inner()));
        for f in fairs {
            self.inner.fair_watchers.remove_if_mut(&f, |_, set| {
                set.remove(&conn_id);
                set.is_empty()
            });
        }
        let user_id = conn.user_id;
        let last = self
            .inner
            .by_user
            .remove_if_mut(&user_id, |_, set| {
                set.remove(&conn_id);
                set.is_empty()
            })
            .is_some();
        if last {
            let hub = self.clone();
            // Drop is synchronous; the bus is not.
            if let Ok(rt) = tokio::runtime::Handle::try_current() {
                rt.spawn(async move { hub.user_left(user_id).await });
            }
        }
    }

    async fn user_left(&self, user_id: i64) {
        if self.inner.by_user.contains_key(&user_id) {
            return; // reconnected meanwhile
        }
        let bus = &self.inner.bus;
        if let Err(e) = bus.presence_down(&self.inner.config.node, user_id).await {
            tracing::warn!(error = %e, user_id, "presence down not recorded");
        }
        let still_online = bus
            .online(&[user_id])
            .await
            .map(|s| s.contains(&user_id))
            .unwrap_or(false);
        if !still_online {
            self.publish(
                Topic::Presence(user_id),
                ServerEvent::Presence {
                    user_id,
                    online: false,
                },
            )
            .await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::InProcessBus;

    fn hub(capacity: usize) -> Hub {
        Hub::start(
            HubConfig {
                outbound_capacity: capacity,
                ..HubConfig::default()
            },
            Arc::new(InProcessBus::default()),
        )
    }

    async fn next_frame(rx: &mut mpsc::Receiver<Frame>) -> serde_json::Value {
        let f = tokio::time::timeout(Duration::from_secs(2), rx.recv())
            .await
            .expect("frame in time")
            .expect("queue open");
        serde_json::from_str(&f).expect("json")
    }

    #[tokio::test]
    async fn watchers_see_a_user_come_and_go() {
        let hub = hub(16);
        let (watcher, mut rx) = hub.register(1).await;
        let online = hub.watch_presence(watcher.id(), &[2]).await;
        assert!(online.is_empty());
        let (other, _rx2) = hub.register(2).await;
        let f = next_frame(&mut rx).await;
        assert_eq!(
            (
                f["type"].as_str(),
                f["user_id"].as_i64(),
                f["online"].as_bool()
            ),
            (Some("presence"), Some(2), Some(true))
        );
        drop(other);
        let f = next_frame(&mut rx).await;
        assert_eq!(f["online"], false);
    }

    #[tokio::test]
    async fn user_events_reach_every_connection_of_that_user_only() {
        let hub = hub(16);
        let (_a, mut rx_a) = hub.register(1).await;
        let (_b, mut rx_b) = hub.register(1).await;
        let (_c, mut rx_c) = hub.register(2).await;
        hub.publish(Topic::User(1), ServerEvent::Heartbeat { at: 9 })
            .await;
        assert_eq!(next_frame(&mut rx_a).await["at"], 9);
        assert_eq!(next_frame(&mut rx_b).await["at"], 9);
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(rx_c.try_recv().is_err());
    }

    #[tokio::test]
    async fn a_client_that_does_not_read_is_dropped_with_a_reason() {
        let hub = hub(2);
        let (slow, mut rx) = hub.register(1).await;
        for i in 0..5 {
            hub.publish(Topic::User(1), ServerEvent::Heartbeat { at: i })
                .await;
        }
        // The queue holds two frames, then ends.
        let mut got = 0;
        while tokio::time::timeout(Duration::from_secs(2), rx.recv())
            .await
            .expect("queue settles")
            .is_some()
        {
            got += 1;
        }
        assert_eq!(got, 2);
        assert_eq!(
            slow.closed_reason(),
            Some("slow consumer: outbound queue full")
        );
        assert_eq!(hub.connection_count(), 0);
    }
    #[tokio::test]
    async fn fair_events_reach_only_connections_watching_that_fair_until_they_close() {
        let hub = hub(16);
        let (a, mut rx_a) = hub.register(1).await;
        let (b, mut rx_b) = hub.register(2).await;
        let (_c, mut rx_c) = hub.register(3).await;
        hub.watch_fair(a.id(), 7);
        hub.watch_fair(a.id(), 7); // twice is once
        hub.watch_fair(b.id(), 8);
        let event = ServerEvent::FairAnnouncement {
            fair_id: 7,
            id: 1,
            text: "双选会十分钟后开始".into(),
            at: 5,
        };
        hub.publish(Topic::Fair(7), event.clone()).await;
        assert_eq!(next_frame(&mut rx_a).await["text"], "双选会十分钟后开始");
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(rx_a.try_recv().is_err(), "delivered once");
        assert!(rx_b.try_recv().is_err(), "another fair's watcher");
        assert!(rx_c.try_recv().is_err(), "not watching");
        drop(a);
        assert!(hub.inner.fair_watchers.get(&7).is_none(), "index emptied");
        assert!(hub.inner.fair_watchers.get(&8).is_some());
    }
}
