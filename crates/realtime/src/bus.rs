use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use futures::stream::BoxStream;
use thiserror::Error;
use tokio::sync::broadcast;

use crate::Envelope;

#[derive(Debug, Error)]
pub enum BusError {
    #[error("bus unavailable: {0}")]
    Unavailable(String),
}

/// Carries events between nodes and remembers who is online where.
///
/// Presence is kept per (node, user): a node says a user is up while it holds at least one of
/// their connections, and refreshes that on every heartbeat; a cluster implementation lets the
/// entry expire if the node stops refreshing (it crashed), so its users go offline by themselves.
#[async_trait]
pub trait Bus: Send + Sync + 'static {
    async fn publish(&self, envelope: Envelope) -> Result<(), BusError>;
    /// Every envelope published from now on, from any node, including this one.
    fn subscribe(&self) -> BoxStream<'static, Envelope>;
    async fn presence_up(&self, node: &str, user_id: i64) -> Result<(), BusError>;
    async fn presence_down(&self, node: &str, user_id: i64) -> Result<(), BusError>;
    /// Which of `user_ids` are online on any node.
    async fn online(&self, user_ids: &[i64]) -> Result<HashSet<i64>, BusError>;
    /// Counts one hit on `key` in the current window of length `window`, across every node,
    /// and answers the hits so far in that window (for rate limits that must hold for the
    /// whole cluster). `None` where there is no cluster to count across: a single node's own
    /// limiter is then the whole truth.
    async fn count_hit(&self, _key: &str, _window: Duration) -> Result<Option<u64>, BusError> {
        Ok(None)
    }
}

/// A broadcast receiver as a stream of envelopes. A subscriber that falls behind skips what it
/// missed, with a warning naming the bus, rather than ending.
pub(crate) fn receiver_stream(
    rx: broadcast::Receiver<Envelope>,
    bus: &'static str,
) -> BoxStream<'static, Envelope> {
    Box::pin(futures::stream::unfold(rx, move |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(e) => return Some((e, rx)),
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    tracing::warn!(skipped = n, bus, "hub fell behind the bus");
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    }))
}

/// The default bus: one process, a broadcast channel and a map.
pub struct InProcessBus {
    tx: broadcast::Sender<Envelope>,
    presence: Mutex<HashMap<i64, HashSet<String>>>,
}

impl InProcessBus {
    pub fn new(capacity: usize) -> Self {
        let (tx, _) = broadcast::channel(capacity);
        Self {
            tx,
            presence: Mutex::new(HashMap::new()),
        }
    }

    fn presence(&self) -> std::sync::MutexGuard<'_, HashMap<i64, HashSet<String>>> {
        // A poisoned lock only means another thread panicked mid-update of a plain map.
        self.presence.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Default for InProcessBus {
    fn default() -> Self {
        Self::new(16_384)
    }
}

#[async_trait]
impl Bus for InProcessBus {
    async fn publish(&self, envelope: Envelope) -> Result<(), BusError> {
        // No subscriber is not an error: nobody is connected.
        let _ = self.tx.send(envelope);
        Ok(())
    }

    fn subscribe(&self) -> BoxStream<'static, Envelope> {
        receiver_stream(self.tx.subscribe(), "in-process")
    }

    async fn presence_up(&self, node: &str, user_id: i64) -> Result<(), BusError> {
        self.presence()
            .entry(user_id)
            .or_default()
            .insert(node.to_string());
        Ok(())
    }

    async fn presence_down(&self, node: &str, user_id: i64) -> Result<(), BusError> {
        let mut map = self.presence();
        if let Some(nodes) = map.get_mut(&user_id) {
            nodes.remove(node);
            if nodes.is_empty() {
                map.remove(&user_id);
            }
        }
        Ok(())
    }

    async fn online(&self, user_ids: &[i64]) -> Result<HashSet<i64>, BusError> {
        let map = self.presence();
        Ok(user_ids
            .iter()
            .copied()
            .filter(|u| map.contains_key(u))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use futures::StreamExt;

    use super::*;
    use crate::{ServerEvent, Topic};

    #[tokio::test]
    async fn subscribers_receive_what_is_published_after_they_subscribe() {
        let bus = InProcessBus::new(8);
        let mut sub = bus.subscribe();
        let e = Envelope {
            topic: Topic::User(1),
            event: ServerEvent::Heartbeat { at: 1 },
        };
        bus.publish(e.clone()).await.expect("publish");
        assert_eq!(sub.next().await, Some(e));
    }

    #[tokio::test]
    async fn a_user_is_online_while_any_node_holds_them() {
        let bus = InProcessBus::default();
        bus.presence_up("a", 1).await.expect("up");
        bus.presence_up("b", 1).await.expect("up");
        bus.presence_down("a", 1).await.expect("down");
        assert!(bus.online(&[1, 2]).await.expect("online").contains(&1));
        bus.presence_down("b", 1).await.expect("down");
        assert!(bus.online(&[1]).await.expect("online").is_empty());
    }
}
