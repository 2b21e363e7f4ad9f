//! Two `fairhall serve` processes on one PostgreSQL database and one Redis, as two nodes behind
//! a load balancer would run. The fair comes from `fairhall seed`, so every account already has
//! a session in the database that both nodes accept.
//!
//! A student on node A and an employer on node B: presence, a ticket, the ring, signalling and
//! chat cross the nodes. Redis is then stopped and started again (a chat message sent while it
//! is down is saved and shows up in the list; live events cross again afterwards). Finally node
//! A is killed; the student reconnects to node B with the same session and finds the call,
//! the queue and the chat as they were.

#![allow(clippy::unwrap_used)]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A child process killed when the test ends, however it ends.
struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_redis(port: u16) -> Proc {
    let child = Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
        .args(["--save", "", "--appendonly", "no"])
        .stdout(Stdio::null())
        .spawn()
        .expect("redis-server must be installed");
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Proc(child)
}

/// A fresh PostgreSQL database for this test.
async fn database() -> String {
    let server = std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let admin = fairhall_store::Store::connect(&format!("{server}/postgres"))
        .await
        .expect("PostgreSQL must be reachable (set TEST_POSTGRES_URL)");
    let name = format!(
        "fh_test_{}_cluster{:06x}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
        rand::random::<u32>() & 0xff_ffff
    );
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(admin.pool())
        .await
        .unwrap();
    format!("{server}/{name}")
}

struct Cluster {
    database: String,
    redis: String,
    dir: tempfile::TempDir,
}

impl Cluster {
    fn command(&self, node: &str) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_fairhall"));
        c.env("FAIRHALL_DATABASE_URL", &self.database)
            .env("FAIRHALL_REDIS_URL", &self.redis)
            .env("FAIRHALL_DATA_DIR", self.dir.path().join(node))
            .env("FAIRHALL_NODE_NAME", node)
            .env("FAIRHALL_LOG", "warn")
            .stdout(Stdio::null());
        c
    }

    async fn node(&self, node: &str) -> Node {
        let port = free_port();
        let child = self
            .command(node)
            .env("FAIRHALL_BIND", format!("127.0.0.1:{port}"))
            .arg("serve")
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(r) = reqwest::get(format!("{base}/readyz")).await
                && r.status() == 200
            {
                break;
            }
            assert!(Instant::now() < deadline, "{node} did not become ready");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Node {
            base,
            proc: Proc(child),
        }
    }
}

struct Node {
    base: String,
    proc: Proc,
}

/// One seeded account: its session cookie and CSRF token.
#[derive(Clone)]
struct Account {
    user_id: i64,
    cookie: String,
    csrf: String,
}

impl Account {
    fn of(line: &Value) -> Account {
        Account {
            user_id: line["user_id"].as_i64().unwrap(),
            cookie: format!("fairhall_session={}", line["cookie"].as_str().unwrap()),
            csrf: line["csrf"].as_str().unwrap().to_string(),
        }
    }

    async fn get(&self, node: &Node, path: &str) -> Value {
        let r = reqwest::Client::new()
            .get(format!("{}{path}", node.base))
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "GET {path}");
        r.json().await.unwrap()
    }

    async fn post(&self, node: &Node, path: &str, body: Value, status: u16) -> Value {
        let r = reqwest::Client::new()
            .post(format!("{}{path}", node.base))
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf)
            .json(&body)
            .send()
            .await
            .unwrap();
        let got = r.status().as_u16();
        let text = r.text().await.unwrap();
        assert_eq!(got, status, "POST {path}: {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    /// A WebSocket to `node`, after its `hello`; answers the node's name.
    async fn socket(&self, node: &Node) -> (Socket, String) {
        let mut req = format!("{}/ws", node.base.replace("http://", "ws://"))
            .into_client_request()
            .unwrap();
        req.headers_mut()
            .insert("origin", node.base.parse().unwrap());
        req.headers_mut()
            .insert("cookie", self.cookie.parse().unwrap());
        let (mut ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
        let hello = next_of(&mut ws, "hello").await;
        (ws, hello["node"].as_str().unwrap().to_string())
    }
}

async fn send(ws: &mut Socket, v: Value) {
    ws.send(Message::Text(v.to_string().into())).await.unwrap();
}

async fn next_of(ws: &mut Socket, kind: &str) -> Value {
    tokio::time::timeout(Duration::from_secs(10), next_of_patiently(ws, kind))
        .await
        .unwrap_or_else(|_| panic!("no {kind} within 10 s"))
}

/// Like `next_of`, without its 10 s limit (the caller sets one).
async fn next_of_patiently(ws: &mut Socket, kind: &str) -> Value {
    loop {
        match ws.next().await {
            Some(Ok(Message::Text(t))) => {
                let v: Value = serde_json::from_str(&t).unwrap();
                if v["type"] == kind {
                    return v;
                }
            }
            Some(Ok(_)) => {}
            other => panic!("socket ended while waiting for {kind}: {other:?}"),
        }
    }
}

/// Waits for a `presence` frame about `user_id` saying `online`.
async fn presence(ws: &mut Socket, user_id: i64, online: bool) {
    loop {
        let p = next_of(ws, "presence").await;
        if p["user_id"] == user_id && p["online"] == online {
            return;
        }
    }
}

#[tokio::test]
#[ignore = "needs PostgreSQL at 127.0.0.1:5432 and redis-server (run by .ci/run)"]
async fn two_serve_processes_share_presence_calls_and_chat_and_survive_a_redis_restart_and_a_dead_node()
 {
    let redis_port = free_port();
    let mut redis = start_redis(redis_port);
    let cluster = Cluster {
        database: database().await,
        redis: format!("redis://127.0.0.1:{redis_port}/"),
        dir: tempfile::tempdir().unwrap(),
    };
    let out = cluster.dir.path().join("sessions.jsonl");
    let seeded = cluster
        .command("seed")
        .args(["seed", "--employers", "2", "--students", "3", "--out"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(seeded.success());
    let lines: Vec<Value> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let fair = lines[0]["fair_id"].as_i64().unwrap();
    let hr_line = lines.iter().find(|l| l["kind"] == "employer").unwrap();
    let rid = hr_line["registration_id"].as_i64().unwrap();
    let hr = Account::of(hr_line);
    let student = Account::of(lines.iter().find(|l| l["kind"] == "student").unwrap());

    let a = cluster.node("node-a").await;
    let b = cluster.node("node-b").await;
    let (mut s_ws, s_node) = student.socket(&a).await;
    let (mut h_ws, h_node) = hr.socket(&b).await;
    assert_eq!((s_node.as_str(), h_node.as_str()), ("node-a", "node-b"));

    // A ticket: applied on A, accepted on B; the student on A hears it.
    let t = student
        .post(
            &a,
            &format!("/api/v1/fairs/{fair}/employers/{rid}/tickets"),
            json!({}),
            201,
        )
        .await;
    let ticket = t["id"].as_i64().unwrap();
    hr.post(
        &b,
        &format!("/api/v1/tickets/{ticket}/accept"),
        json!({}),
        200,
    )
    .await;
    // (Its own application came first, as `pending`.)
    while next_of(&mut s_ws, "ticket_changed").await["status"] != "queued" {}

    // Presence across the nodes, both ways.
    send(
        &mut s_ws,
        json!({"type": "watch_presence", "user_ids": [hr.user_id]}),
    )
    .await;
    presence(&mut s_ws, hr.user_id, true).await;
    send(
        &mut h_ws,
        json!({"type": "watch_presence", "user_ids": [student.user_id]}),
    )
    .await;
    presence(&mut h_ws, student.user_id, true).await;

    // 开始面试 on B rings the student on A; answered on A; signalling both ways.
    let call = hr
        .post(
            &b,
            &format!("/api/v1/tickets/{ticket}/call"),
            json!({}),
            201,
        )
        .await;
    let call_id = call["id"].as_i64().unwrap();
    let ring = next_of(&mut s_ws, "call_state").await;
    assert_eq!(
        (ring["call"]["id"].as_i64(), ring["call"]["status"].as_str()),
        (Some(call_id), Some("ringing"))
    );
    student
        .post(
            &a,
            &format!("/api/v1/calls/{call_id}/answer"),
            json!({}),
            200,
        )
        .await;
    send(
        &mut h_ws,
        json!({"type": "signal", "call_id": call_id, "to": student.user_id, "kind": "offer", "sdp": "v=0 offer"}),
    )
    .await;
    let offer = next_of(&mut s_ws, "call_signal").await;
    assert_eq!(
        (offer["kind"].as_str(), offer["from"].as_i64()),
        (Some("offer"), Some(hr.user_id))
    );
    send(
        &mut s_ws,
        json!({"type": "signal", "call_id": call_id, "to": hr.user_id, "kind": "answer", "sdp": "v=0 answer"}),
    )
    .await;
    assert_eq!(next_of(&mut h_ws, "call_signal").await["sdp"], "v=0 answer");

    // Chat from A reaches B.
    let chat = format!("/api/v1/fairs/{fair}/employers/{rid}/messages");
    student
        .post(&a, &chat, json!({"text": "您好，我准备好了"}), 201)
        .await;
    let m = next_of(&mut h_ws, "chat_message").await;
    assert_eq!(m["message"]["body"], "您好，我准备好了");
    let conversation = m["conversation_id"].as_i64().unwrap();

    // Redis goes away: the message is still saved; the employer finds it in the list.
    drop(redis);
    student
        .post(&a, &chat, json!({"text": "Redis 停了也要收到"}), 201)
        .await;
    redis = start_redis(redis_port);
    // The node tells its pages to refetch once it is back on the bus…
    let resync = tokio::time::timeout(
        Duration::from_secs(30),
        next_of_patiently(&mut h_ws, "resync"),
    )
    .await
    .expect("node B told its pages to refetch after Redis came back");
    assert_eq!(resync["reason"], "bus_reconnected");
    // …and live events cross again once the nodes have reconnected (backoff of at most 5 s).
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut n = 0;
    loop {
        n += 1;
        student
            .post(&a, &chat, json!({"text": format!("恢复了吗 {n}")}), 201)
            .await;
        let heard = tokio::time::timeout(Duration::from_secs(2), async {
            loop {
                let m = next_of(&mut h_ws, "chat_message").await;
                if m["message"]["body"] == format!("恢复了吗 {n}") {
                    return;
                }
            }
        })
        .await;
        if heard.is_ok() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "events did not cross again after Redis came back"
        );
    }
    let list = hr
        .get(&b, &format!("/api/v1/chats/{conversation}/messages"))
        .await;
    let bodies: Vec<String> = list["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["body"].as_str().unwrap().to_string())
        .collect();
    assert!(
        bodies.contains(&"Redis 停了也要收到".to_string()),
        "{bodies:?}"
    );

    // Node A dies. The student's page reconnects to B with the same session and finds the call.
    let Node { proc, .. } = a;
    drop(proc);
    drop(s_ws);
    let (mut s_ws, s_node) = student.socket(&b).await;
    assert_eq!(s_node, "node-b");
    let current = student.get(&b, "/api/v1/calls/current").await;
    assert_eq!(current["id"].as_i64(), Some(call_id), "{current}");
    assert_eq!(current["status"], "active");
    let queue = hr
        .get(
            &b,
            &format!("/api/v1/employer/registrations/{rid}/tickets?status=queued"),
        )
        .await;
    assert!(
        queue.to_string().contains(&format!("\"id\":{ticket}")),
        "{queue}"
    );
    // Signalling goes on (an ICE restart's offer), and the employer sees the student online.
    send(
        &mut h_ws,
        json!({"type": "signal", "call_id": call_id, "to": student.user_id, "kind": "offer", "sdp": "v=0 restart"}),
    )
    .await;
    assert_eq!(
        next_of(&mut s_ws, "call_signal").await["sdp"],
        "v=0 restart"
    );
    send(
        &mut h_ws,
        json!({"type": "watch_presence", "user_ids": [student.user_id]}),
    )
    .await;
    presence(&mut h_ws, student.user_id, true).await;
    // The whole conversation is there.
    let list = student.get(&b, &chat).await;
    let text = list.to_string();
    for body in ["您好，我准备好了", "Redis 停了也要收到"] {
        assert!(text.contains(body), "{body} missing: {text}");
    }
    drop(redis);
}
