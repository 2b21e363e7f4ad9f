//! The bus for several nodes: Redis pub/sub carries the events, and presence lives in Redis as
//! one hash per user (`{prefix}:presence:{user}`, a field per node whose value is when that
//! node's claim runs out). A node refreshes its users' claims on every heartbeat; a node that
//! crashed stops refreshing, so its users read as offline once their claims expire.
//!
//! Commands go through redis-rs's `ConnectionManager`, which reconnects by itself. The
//! subscription runs in a task of its own that reconnects with backoff; while Redis is away this
//! node still serves its local users (events published meanwhile by other nodes are missed, and
//! pages refetch what changed after their socket reconnects: every change is persisted).

use std::collections::HashSet;
use std::time::Duration;

use async_trait::async_trait;
use futures::StreamExt;
use futures::stream::BoxStream;
use redis::AsyncCommands;
use redis::aio::ConnectionManager;
use tokio::sync::broadcast;

use crate::Envelope;
use crate::bus::{Bus, BusError};

/// How long a node's presence claim lasts without a refresh.
pub const PRESENCE_TTL: Duration = Duration::from_secs(45);

/// The longest one bus operation may take. While Redis is away an operation fails after this
/// instead of holding up the request that caused it (a chat message is saved and answered even
/// when its live copy cannot cross to other nodes).
pub const OP_TIMEOUT: Duration = Duration::from_millis(1500);

async fn bounded<T>(
    op: impl std::future::Future<Output = redis::RedisResult<T>>,
) -> Result<T, BusError> {
    match tokio::time::timeout(OP_TIMEOUT, op).await {
        Ok(r) => r.map_err(unavailable),
        Err(_) => Err(BusError::Unavailable("Redis did not answer in time".into())),
    }
}

pub struct RedisBus {
    conn: ConnectionManager,
    channel: String,
    prefix: String,
    tx: broadcast::Sender<Envelope>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for RedisBus {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn unavailable(e: redis::RedisError) -> BusError {
    BusError::Unavailable(e.to_string())
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

impl RedisBus {
    /// Connects to `url` (`redis://host:port/db`). `prefix` separates installations (and tests)
    /// sharing one Redis.
    pub async fn connect(url: &str, prefix: &str) -> Result<RedisBus, BusError> {
        let client = redis::Client::open(url).map_err(unavailable)?;
        // Reconnects quickly and gives up quickly: callers fall back rather than wait.
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Duration::from_secs(1))
            .set_response_timeout(Duration::from_secs(1))
            .set_number_of_retries(2)
            .set_max_delay(500);
        let conn = ConnectionManager::new_with_config(client.clone(), config)
            .await
            .map_err(unavailable)?;
        let channel = format!("{prefix}:events");
        let (tx, _) = broadcast::channel(16_384);
        // Subscribed before `connect` returns, so nothing published afterwards is missed.
        let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
        let task = tokio::spawn(subscriber(client, channel.clone(), tx.clone(), ready_tx));
        let _ = tokio::time::timeout(Duration::from_secs(5), ready_rx).await;
        Ok(RedisBus {
            conn,
            channel,
            prefix: prefix.to_owned(),
            tx,
            task,
        })
    }

    fn presence_key(&self, user_id: i64) -> String {
        format!("{}:presence:{user_id}", self.prefix)
    }
}

/// Holds the subscription, reconnecting with backoff (0.1 s doubling to 5 s) when it drops.
async fn subscriber(
    client: redis::Client,
    channel: String,
    tx: broadcast::Sender<Envelope>,
    ready: tokio::sync::oneshot::Sender<()>,
) {
    let mut ready = Some(ready);
    let mut backoff = Duration::from_millis(100);
    loop {
        let subscribed = async {
            let mut pubsub = client.get_async_pubsub().await?;
            pubsub.subscribe(&channel).await?;
            Ok::<_, redis::RedisError>(pubsub)
        }
        .await;
        match subscribed {
            Ok(mut pubsub) => {
                backoff = Duration::from_millis(100);
                if let Some(r) = ready.take() {
                    let _ = r.send(());
                } else {
                    // Back after an outage: events of other nodes may have been missed, so this
                    // node's pages are told to refetch, as after their own reconnect.
                    let _ = tx.send(Envelope {
                        topic: crate::Topic::Everyone,
                        event: crate::ServerEvent::Resync {
                            reason: "bus_reconnected".into(),
                        },
                    });
                }
                tracing::info!(%channel, "subscribed to the Redis bus");
                let mut messages = pubsub.on_message();
                while let Some(msg) = messages.next().await {
                    let Ok(payload) = msg.get_payload::<String>() else {
                        continue;
                    };
                    match serde_json::from_str::<Envelope>(&payload) {
                        Ok(e) => {
                            let _ = tx.send(e);
                        }
                        Err(e) => tracing::warn!(error = %e, "unreadable event on the Redis bus"),
                    }
                }
                tracing::warn!("the Redis subscription dropped; reconnecting");
            }
            Err(e) => tracing::warn!(error = %e, "Redis subscription failed; retrying"),
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(5));
    }
}

#[async_trait]
impl Bus for RedisBus {
    async fn publish(&self, envelope: Envelope) -> Result<(), BusError> {
        let payload = serde_json::to_string(&envelope)
            .map_err(|e| BusError::Unavailable(format!("unserialisable event: {e}")))?;
        let mut conn = self.conn.clone();
        match bounded(conn.publish::<_, _, ()>(&self.channel, payload)).await {
            Ok(()) => Ok(()),
            Err(e) => {
                // Redis is away: this node's own users still get the event; other nodes'
                // users refetch what changed when their pages reconnect.
                let _ = self.tx.send(envelope);
                Err(e)
            }
        }
    }

    fn subscribe(&self) -> BoxStream<'static, Envelope> {
        crate::bus::receiver_stream(self.tx.subscribe(), "redis")
    }

    /// Claims (or refreshes) `user_id` for `node` until now + [`PRESENCE_TTL`].
    async fn presence_up(&self, node: &str, user_id: i64) -> Result<(), BusError> {
        let key = self.presence_key(user_id);
        let until = now_ms() + i64::try_from(PRESENCE_TTL.as_millis()).unwrap_or(45_000);
        let mut conn = self.conn.clone();
        bounded(
            redis::pipe()
                .hset(&key, node, until)
                .ignore()
                .expire(&key, i64::try_from(PRESENCE_TTL.as_secs()).unwrap_or(45))
                .ignore()
                .query_async::<()>(&mut conn),
        )
        .await
    }

    async fn presence_down(&self, node: &str, user_id: i64) -> Result<(), BusError> {
        let mut conn = self.conn.clone();
        bounded(conn.hdel::<_, _, ()>(self.presence_key(user_id), node)).await
    }

    async fn count_hit(&self, key: &str, window: Duration) -> Result<Option<u64>, BusError> {
        let key = format!("{}:limit:{key}", self.prefix);
        let window_ms = u64::try_from(window.as_millis()).unwrap_or(u64::MAX).max(1);
        // The first hit of a window starts its clock (NX); later hits only count.
        let mut pipe = redis::pipe();
        pipe.atomic()
            .incr(&key, 1u64)
            .cmd("PEXPIRE")
            .arg(&key)
            .arg(window_ms)
            .arg("NX")
            .ignore();
        let mut conn = self.conn.clone();
        let (hits,): (u64,) = bounded(pipe.query_async(&mut conn)).await?;
        Ok(Some(hits))
    }

    async fn online(&self, user_ids: &[i64]) -> Result<HashSet<i64>, BusError> {
        if user_ids.is_empty() {
            return Ok(HashSet::new());
        }
        let mut pipe = redis::pipe();
        for &id in user_ids {
            pipe.hvals(self.presence_key(id));
        }
        let mut conn = self.conn.clone();
        let claims: Vec<Vec<i64>> = bounded(pipe.query_async(&mut conn)).await?;
        let now = now_ms();
        Ok(user_ids
            .iter()
            .zip(claims)
            .filter(|(_, until)| until.iter().any(|&u| u > now))
            .map(|(&id, _)| id)
            .collect())
    }
}

/// Against the Redis on 127.0.0.1:6379 (`TEST_REDIS_URL` overrides), each test with
/// its own key prefix. Run by `.ci/run` with `--ignored`.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ServerEvent, Topic};

    fn url() -> String {
        std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/".into())
    }

    fn prefix(name: &str) -> String {
        format!("fairhall-test-{name}-{}-{}", std::process::id(), now_ms())
    }

    #[tokio::test]
    #[ignore = "needs Redis at 127.0.0.1:6379 (run by .ci/run)"]
    async fn an_event_published_on_one_node_reaches_the_other() {
        let p = prefix("events");
        let a = RedisBus::connect(&url(), &p).await.expect("node a");
        let b = RedisBus::connect(&url(), &p).await.expect("node b");
        let mut on_b = b.subscribe();
        let mut on_a = a.subscribe();
        let e = Envelope {
            topic: Topic::User(7),
            event: ServerEvent::Heartbeat { at: 42 },
        };
        a.publish(e.clone()).await.expect("publish");
        let got = tokio::time::timeout(Duration::from_secs(5), on_b.next())
            .await
            .expect("within 5 s");
        assert_eq!(got, Some(e.clone()));
        // The publishing node hears its own events too, like the in-process bus.
        let mine = tokio::time::timeout(Duration::from_secs(5), on_a.next())
            .await
            .expect("within 5 s");
        assert_eq!(mine, Some(e));
        // Another installation's prefix hears nothing of it.
        let other = RedisBus::connect(&url(), &prefix("other"))
            .await
            .expect("other");
        let mut on_other = other.subscribe();
        a.publish(Envelope {
            topic: Topic::User(7),
            event: ServerEvent::Heartbeat { at: 43 },
        })
        .await
        .expect("publish");
        assert!(
            tokio::time::timeout(Duration::from_millis(300), on_other.next())
                .await
                .is_err()
        );
    }

    #[tokio::test]
    #[ignore = "needs Redis at 127.0.0.1:6379 (run by .ci/run)"]
    async fn presence_is_shared_between_nodes_and_ends_with_the_last_node() {
        let p = prefix("presence");
        let a = RedisBus::connect(&url(), &p).await.expect("node a");
        let b = RedisBus::connect(&url(), &p).await.expect("node b");
        a.presence_up("a", 1).await.expect("up");
        b.presence_up("b", 1).await.expect("up");
        assert_eq!(b.online(&[1, 2]).await.expect("online"), HashSet::from([1]));
        a.presence_down("a", 1).await.expect("down");
        assert!(
            a.online(&[1]).await.expect("online").contains(&1),
            "still on b"
        );
        b.presence_down("b", 1).await.expect("down");
        assert!(a.online(&[1]).await.expect("online").is_empty());
    }

    #[tokio::test]
    #[ignore = "needs Redis at 127.0.0.1:6379 (run by .ci/run)"]
    async fn a_claim_that_was_not_refreshed_reads_offline() {
        let p = prefix("expiry");
        let a = RedisBus::connect(&url(), &p).await.expect("node a");
        a.presence_up("crashed", 5).await.expect("up");
        assert!(a.online(&[5]).await.expect("online").contains(&5));
        // The crashed node's last claim ran out a moment ago (as if 45 s passed unrefreshed).
        let mut conn = a.conn.clone();
        conn.hset::<_, _, _, ()>(a.presence_key(5), "crashed", now_ms() - 1)
            .await
            .expect("hset");
        assert!(a.online(&[5]).await.expect("online").is_empty());
        // The whole key expires too, so nothing is left behind.
        let ttl: i64 = conn.ttl(a.presence_key(5)).await.expect("ttl");
        assert!(ttl > 0 && ttl <= 45, "ttl {ttl}");
    }

    #[tokio::test]
    #[ignore = "needs Redis at 127.0.0.1:6379 (run by .ci/run)"]
    async fn hits_are_counted_across_nodes_per_window() {
        let p = prefix("limits");
        let a = RedisBus::connect(&url(), &p).await.expect("node a");
        let b = RedisBus::connect(&url(), &p).await.expect("node b");
        let window = Duration::from_millis(400);
        assert_eq!(a.count_hit("login:x", window).await.expect("hit"), Some(1));
        assert_eq!(b.count_hit("login:x", window).await.expect("hit"), Some(2));
        assert_eq!(a.count_hit("login:x", window).await.expect("hit"), Some(3));
        assert_eq!(b.count_hit("login:y", window).await.expect("hit"), Some(1));
        // Later hits do not push the window's end back: it ends 400 ms after the first.
        tokio::time::sleep(Duration::from_millis(600)).await;
        assert_eq!(b.count_hit("login:x", window).await.expect("hit"), Some(1));
    }
}

/// With a Redis of the test's own (started from `redis-server` on a free port), stopped and
/// started again while two nodes are connected.
#[cfg(test)]
mod restart_tests {
    use std::process::{Child, Command, Stdio};

    use super::*;
    use crate::{ServerEvent, Topic};

    struct OwnRedis {
        port: u16,
        child: Child,
    }

    impl OwnRedis {
        async fn start(port: u16) -> OwnRedis {
            let child = Command::new("redis-server")
                .args([
                    "--port",
                    &port.to_string(),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                ])
                .args(["--appendonly", "no"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("redis-server must be installed");
            for _ in 0..100 {
                if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            OwnRedis { port, child }
        }

        fn stop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    impl Drop for OwnRedis {
        fn drop(&mut self) {
            self.stop();
        }
    }

    fn event(at: i64) -> Envelope {
        Envelope {
            topic: Topic::User(9),
            event: ServerEvent::Heartbeat { at },
        }
    }

    async fn next(s: &mut BoxStream<'static, Envelope>) -> Option<Envelope> {
        tokio::time::timeout(Duration::from_secs(10), s.next())
            .await
            .ok()
            .flatten()
    }

    #[tokio::test]
    #[ignore = "needs redis-server (run by .ci/run)"]
    async fn while_redis_is_down_local_users_are_served_and_afterwards_nodes_hear_each_other_again()
    {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("a free port")
            .local_addr()
            .expect("its address")
            .port();
        let mut redis = OwnRedis::start(port).await;
        let url = format!("redis://127.0.0.1:{}/", redis.port);
        let a = RedisBus::connect(&url, "restart").await.expect("node a");
        let b = RedisBus::connect(&url, "restart").await.expect("node b");
        let (mut on_a, mut on_b) = (a.subscribe(), b.subscribe());
        a.publish(event(1)).await.expect("publish");
        assert_eq!(next(&mut on_b).await, Some(event(1)));
        assert_eq!(next(&mut on_a).await, Some(event(1)));

        redis.stop();
        // Redis is away: publishing fails, but the node's own users still get the event.
        assert!(a.publish(event(2)).await.is_err());
        assert_eq!(next(&mut on_a).await, Some(event(2)));

        let _redis = OwnRedis::start(port).await;
        // Both the command connection and the subscription come back by themselves.
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            if a.publish(event(3)).await.is_ok()
                && let Ok(Some(e)) =
                    tokio::time::timeout(Duration::from_millis(500), on_b.next()).await
                && e == event(3)
            {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the nodes did not hear each other again within 20 s"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}
