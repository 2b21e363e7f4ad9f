//! `fair`: a simulated fair on fairhall, as its users drive it.
//!
//! N students and M employers sign in (seeded sessions) and hold a WebSocket each. Then, for
//! `duration` seconds, each user acts after a random pause around `think_ms`:
//!
//! - a student lists the employers (a random page, sometimes filtered by city or industry),
//!   fetches the filters or one employer's detail, applies to one of the M employers (at most
//!   three), lists their tickets, or writes to an employer; when rung (`call_state` ringing)
//!   they answer over HTTP, and they answer an `offer` with an `answer` and a `candidate`;
//! - an employer lists its pending tickets and accepts the first, starts a call on it, waits for
//!   the student to answer (`call_state` active), sends an offer and waits for the answer,
//!   sends a candidate, talks for a moment and ends the call with a verdict; in about a third
//!   of its turns it replies to a student's message instead.
//!
//! Reported per operation: count, throughput, p50/p95/p99/max; HTTP operations are timed from
//! request to response, and the realtime ones end to end: `call connected` (start → the
//! employer sees `active`, through the ring, the student's answer and both pushes),
//! `signal round trip` (offer sent → answer received) and `chat delivered` (POST → the other
//! side's `chat_message`). Errors are counted by operation and kind; the server's RSS is read
//! at the end.

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::bail;
use futures::{SinkExt, StreamExt};
use rand::Rng;
use serde_json::{Value, json};
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::tungstenite::Message;

use super::{Ctx, counts_json, counts_text};
use crate::api::{Api, OpError, http_client};
use crate::net::Sources;
use crate::protocol::{self, Target};
use crate::seed::{Account, Seed};
use crate::stamp;
use crate::stats::{Hist, Summary};
use crate::workers::{Counts, bump};

pub struct Params {
    pub students: usize,
    pub employers: usize,
    pub duration: u64,
    pub think_ms: u64,
}

const SDP: &str =
    "v=0\r\no=- 46117317 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n";

/// Timings and errors of every operation.
#[derive(Default)]
struct Metrics {
    ops: Mutex<BTreeMap<&'static str, Hist>>,
    errors: Mutex<Counts>,
}

impl Metrics {
    fn ok(&self, op: &'static str, took: Duration) {
        if let Ok(mut m) = self.ops.lock() {
            m.entry(op).or_default().record(took);
        }
    }

    fn ok_us(&self, op: &'static str, us: u64) {
        if let Ok(mut m) = self.ops.lock() {
            m.entry(op).or_default().record_us(us);
        }
    }

    fn err(&self, op: &str, kind: &str) {
        bump(&self.errors, format!("{op}: {kind}"));
    }

    /// Records a timed call and hands back its value on success.
    fn track(
        &self,
        op: &'static str,
        (took, r): (Duration, Result<Value, OpError>),
    ) -> Option<Value> {
        match r {
            Ok(v) => {
                self.ok(op, took);
                Some(v)
            }
            Err(kind) => {
                self.err(op, &kind);
                None
            }
        }
    }
}

struct Shared {
    api: Api,
    fair_id: i64,
    /// The registrations of the employers taking part (they are online to take calls).
    regs: Vec<i64>,
    metrics: Metrics,
    /// The fair ends `end_ms` after `base` (set once everyone is online).
    base: Instant,
    end_ms: AtomicU64,
    think: Duration,
    pages: AtomicI64,
    cities: Vec<String>,
    industries: Vec<String>,
}

impl Shared {
    fn end(&self) -> Instant {
        self.base + Duration::from_millis(self.end_ms.load(Ordering::Relaxed))
    }

    fn over(&self) -> bool {
        Instant::now() >= self.end()
    }

    /// A pause of 0.5–1.5 × think, cut at the end of the fair.
    async fn think(&self) {
        let f: f64 = rand::rng().random_range(0.5..1.5);
        let pause = self.think.mul_f64(f);
        let left = self.end().saturating_duration_since(Instant::now());
        tokio::time::sleep(pause.min(left)).await;
    }
}

/// One user's socket: frames to send, and the frames received (as JSON).
struct Live {
    out: mpsc::UnboundedSender<Message>,
    events: mpsc::UnboundedReceiver<Value>,
}

/// Opens a user's socket; a reader task answers pings, records chat delivery latency (for
/// messages from the other side) and forwards every event.
async fn go_live(
    ctx: &Ctx,
    sh: &Arc<Shared>,
    who: &Account,
    source: std::net::Ipv4Addr,
    index: usize,
    mut stop: watch::Receiver<bool>,
    my_side: &'static str,
) -> Result<Live, String> {
    let ep = &ctx.endpoints[index % ctx.endpoints.len()];
    let channel = ctx.channel(sh.fair_id);
    let ws = protocol::open(&channel, ep, Some(source), Some(&who.cookie), false).await?;
    let (mut sink, mut stream) = ws.split();
    let (out, mut out_rx) = mpsc::unbounded_channel::<Message>();
    let (events_tx, events) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(m) = out_rx.recv().await {
            if sink.send(m).await.is_err() {
                break;
            }
        }
    });
    let sh = sh.clone();
    tokio::spawn(async move {
        loop {
            let frame = tokio::select! {
                () = protocol::stopped(&mut stop) => break,
                f = stream.next() => f,
            };
            match frame {
                Some(Ok(Message::Text(t))) => {
                    let Ok(v) = serde_json::from_str::<Value>(&t) else {
                        continue;
                    };
                    if v["type"] == "chat_message"
                        && v["message"]["side"] != my_side
                        && let Some((sent, _)) = stamp::parse(&t)
                    {
                        let op = if my_side == "student" {
                            "chat delivered to student"
                        } else {
                            "chat delivered to employer"
                        };
                        sh.metrics.ok_us(op, stamp::now_us().saturating_sub(sent));
                    }
                    let _ = events_tx.send(v);
                }
                Some(Ok(Message::Close(_))) | None => {
                    if !sh.over() {
                        sh.metrics.err("websocket", "closed by server");
                    }
                    break;
                }
                Some(Err(e)) => {
                    if !sh.over() {
                        sh.metrics.err("websocket", &protocol::short_ws_error(&e));
                    }
                    break;
                }
                Some(Ok(_)) => {}
            }
        }
    });
    Ok(Live { out, events })
}

fn signal(call_id: i64, to: i64, kind: &str) -> Message {
    let v = if kind == "candidate" {
        json!({"type": "signal", "call_id": call_id, "to": to, "kind": "candidate",
               "candidate": {"candidate": "candidate:1 1 udp 2122260223 10.0.0.2 54321 typ host",
                             "sdpMid": "0", "sdpMLineIndex": 0}})
    } else {
        json!({"type": "signal", "call_id": call_id, "to": to, "kind": kind, "sdp": SDP})
    };
    Message::Text(v.to_string().into())
}

/// Percent-encodes a query value.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn student(sh: Arc<Shared>, me: Account, live: Live) {
    let Live { out, mut events } = live;
    // Realtime side: answer rings and offers.
    {
        let (sh, me) = (sh.clone(), me.clone());
        tokio::spawn(async move {
            while let Some(v) = events.recv().await {
                match v["type"].as_str() {
                    Some("call_state") => {
                        let call = &v["call"];
                        let rung = call["callee_ids"]
                            .as_array()
                            .is_some_and(|ids| ids.iter().any(|i| i.as_i64() == Some(me.user_id)));
                        if call["status"] == "ringing" && rung {
                            let Some(id) = call["id"].as_i64() else {
                                continue;
                            };
                            let (sh, me) = (sh.clone(), me.clone());
                            tokio::spawn(async move {
                                let path = format!("/api/v1/calls/{id}/answer");
                                let r = sh.api.timed_post(&me, &path, &json!({})).await;
                                sh.metrics.track("answer call", r);
                            });
                        }
                    }
                    Some("call_signal") if v["kind"] == "offer" => {
                        if let (Some(call), Some(from)) =
                            (v["call_id"].as_i64(), v["from"].as_i64())
                        {
                            let _ = out.send(signal(call, from, "answer"));
                            let _ = out.send(signal(call, from, "candidate"));
                        }
                    }
                    _ => {}
                }
            }
        });
    }
    let f = sh.fair_id;
    let mut applied: HashSet<i64> = HashSet::new();
    while !sh.over() {
        sh.think().await;
        if sh.over() {
            break;
        }
        let (roll, reg, page) = {
            let mut rng = rand::rng();
            let pages = sh.pages.load(Ordering::Relaxed).max(1);
            (
                rng.random_range(0..100u32),
                sh.regs[rng.random_range(0..sh.regs.len())],
                rng.random_range(1..=pages),
            )
        };
        if roll < 35 {
            let r = sh
                .api
                .timed_get(&me, &format!("/api/v1/fairs/{f}/employers?page={page}"))
                .await;
            if let Some(v) = sh.metrics.track("list employers", r)
                && let Some(p) = v["pages"].as_i64()
            {
                sh.pages.fetch_max(p, Ordering::Relaxed);
            }
        } else if roll < 45 {
            let query = {
                let mut rng = rand::rng();
                if !sh.cities.is_empty() && rng.random_bool(0.5) {
                    format!(
                        "city={}",
                        encode(&sh.cities[rng.random_range(0..sh.cities.len())])
                    )
                } else if !sh.industries.is_empty() {
                    format!(
                        "industry={}",
                        encode(&sh.industries[rng.random_range(0..sh.industries.len())])
                    )
                } else {
                    "q=a".to_string()
                }
            };
            let r = sh
                .api
                .timed_get(&me, &format!("/api/v1/fairs/{f}/employers?{query}"))
                .await;
            sh.metrics.track("list employers filtered", r);
        } else if roll < 52 {
            let r = sh
                .api
                .timed_get(&me, &format!("/api/v1/fairs/{f}/employers/filters"))
                .await;
            sh.metrics.track("employer filters", r);
        } else if roll < 72 {
            let r = sh
                .api
                .timed_get(&me, &format!("/api/v1/fairs/{f}/employers/{reg}"))
                .await;
            sh.metrics.track("employer detail", r);
        } else if roll < 84 {
            if applied.len() >= 3 || applied.contains(&reg) {
                continue;
            }
            let path = format!("/api/v1/fairs/{f}/employers/{reg}/tickets");
            let r = sh.api.timed_post(&me, &path, &json!({})).await;
            if sh.metrics.track("apply", r).is_some() {
                applied.insert(reg);
            }
        } else if roll < 95 {
            let path = format!("/api/v1/fairs/{f}/employers/{reg}/messages");
            let text = format!("您好，想了解一下岗位 {}", stamp::stamp(0));
            let r = sh
                .api
                .timed_post(&me, &path, &json!({ "text": text }))
                .await;
            sh.metrics.track("student chat", r);
        } else {
            let r = sh.api.timed_get(&me, "/api/v1/tickets").await;
            sh.metrics.track("my tickets", r);
        }
    }
}

/// Waits for an event matching `want`, keeping the ids of conversations students wrote in.
async fn wait_event(
    events: &mut mpsc::UnboundedReceiver<Value>,
    to_reply: &mut VecDeque<i64>,
    limit: Duration,
    want: impl Fn(&Value) -> bool,
) -> Option<Value> {
    let until = tokio::time::Instant::now() + limit;
    loop {
        let v = tokio::time::timeout_at(until, events.recv()).await.ok()??;
        note_chat(&v, to_reply);
        if want(&v) {
            return Some(v);
        }
    }
}

fn note_chat(v: &Value, to_reply: &mut VecDeque<i64>) {
    if v["type"] == "chat_message"
        && v["message"]["side"] == "student"
        && let Some(c) = v["conversation_id"].as_i64()
        && !to_reply.contains(&c)
        && to_reply.len() < 100
    {
        to_reply.push_back(c);
    }
}

async fn employer(sh: Arc<Shared>, me: Account, reg: i64, live: Live) {
    let Live { out, mut events } = live;
    let mut to_reply: VecDeque<i64> = VecDeque::new();
    while !sh.over() {
        sh.think().await;
        if sh.over() {
            break;
        }
        while let Ok(v) = events.try_recv() {
            note_chat(&v, &mut to_reply);
        }
        // Interviews come first; a reply to a student's message now and then.
        let reply = rand::rng().random_bool(0.3);
        if reply && let Some(c) = to_reply.pop_front() {
            let text = format!("同学你好，欢迎投递 {}", stamp::stamp(0));
            let r = sh
                .api
                .timed_post(
                    &me,
                    &format!("/api/v1/chats/{c}/messages"),
                    &json!({ "text": text }),
                )
                .await;
            sh.metrics.track("employer chat", r);
            continue;
        }
        // The next ticket: a pending one to accept, else one accepted earlier.
        let mut ticket = None;
        for tab in ["pending", "queued"] {
            let path = format!("/api/v1/employer/registrations/{reg}/tickets?status={tab}");
            let r = sh.api.timed_get(&me, &path).await;
            // The first pending ticket; a random queued one (the first may belong to a
            // student who is busy in another call).
            if let Some(v) = sh.metrics.track("employer tickets", r)
                && let Some(items) = v["items"].as_array()
                && !items.is_empty()
            {
                let pick = if tab == "pending" {
                    0
                } else {
                    rand::rng().random_range(0..items.len())
                };
                if let Some(id) = items[pick]["id"].as_i64() {
                    ticket = Some((id, tab));
                    break;
                }
            }
        }
        let Some((tid, tab)) = ticket else { continue };
        if tab == "pending" {
            let r = sh
                .api
                .timed_post(&me, &format!("/api/v1/tickets/{tid}/accept"), &json!({}))
                .await;
            if sh.metrics.track("accept", r).is_none() {
                continue;
            }
        }
        call(&sh, &me, tid, &out, &mut events, &mut to_reply).await;
    }
}

/// One interview: start, wait for the answer, signal, talk, end with a verdict.
async fn call(
    sh: &Shared,
    me: &Account,
    tid: i64,
    out: &mpsc::UnboundedSender<Message>,
    events: &mut mpsc::UnboundedReceiver<Value>,
    to_reply: &mut VecDeque<i64>,
) {
    let t0 = Instant::now();
    let r = sh
        .api
        .timed_post(me, &format!("/api/v1/tickets/{tid}/call"), &json!({}))
        .await;
    let Some(started) = sh.metrics.track("start call", r) else {
        return;
    };
    let (Some(call_id), Some(student)) = (started["id"].as_i64(), started["student_id"].as_i64())
    else {
        sh.metrics.err("start call", "no id in answer");
        return;
    };
    let state = wait_event(events, to_reply, Duration::from_secs(20), |v| {
        v["type"] == "call_state"
            && v["call"]["id"].as_i64() == Some(call_id)
            && v["call"]["status"] != "ringing"
    })
    .await;
    match state.as_ref().and_then(|v| v["call"]["status"].as_str()) {
        Some("active") => sh.metrics.ok("call connected", t0.elapsed()),
        other => {
            sh.metrics.err("call connected", other.unwrap_or("timeout"));
            let path = format!("/api/v1/calls/{call_id}/cancel");
            let _ = sh.api.post(me, &path, &json!({})).await;
            return;
        }
    }
    let t1 = Instant::now();
    let _ = out.send(signal(call_id, student, "offer"));
    let answered = wait_event(events, to_reply, Duration::from_secs(10), |v| {
        v["type"] == "call_signal"
            && v["call_id"].as_i64() == Some(call_id)
            && v["kind"] == "answer"
    })
    .await;
    match answered {
        Some(_) => sh.metrics.ok("signal round trip", t1.elapsed()),
        None => sh.metrics.err("signal round trip", "timeout"),
    }
    let _ = out.send(signal(call_id, student, "candidate"));
    let talk = Duration::from_millis(rand::rng().random_range(500..2000));
    tokio::time::sleep(talk).await;
    let verdict = if rand::rng().random_bool(0.5) {
        "suitable"
    } else {
        "unsuitable"
    };
    let r = sh
        .api
        .timed_post(
            me,
            &format!("/api/v1/calls/{call_id}/end"),
            &json!({ "verdict": verdict }),
        )
        .await;
    sh.metrics.track("end call", r);
}

pub async fn run(ctx: &Ctx, p: &Params) -> anyhow::Result<()> {
    if ctx.cli.target != Target::Fairhall {
        bail!("the fair workload is for fairhall only");
    }
    let seed: Seed = ctx.seed()?;
    if seed.students.len() < p.students || seed.employers.len() < p.employers || p.employers == 0 {
        bail!(
            "the seed has {} students and {} employers; asked for {} and {}",
            seed.students.len(),
            seed.employers.len(),
            p.students,
            p.employers
        );
    }
    let api = Api::new(http_client(256)?, ctx.endpoints[0].clone());
    let probe = &seed.students[0];
    let filters = api
        .get(
            probe,
            &format!("/api/v1/fairs/{}/employers/filters", seed.fair_id),
        )
        .await
        .map_err(|e| anyhow::anyhow!("fetching the employer filters: {e}"))?;
    let strings = |key: &str| -> Vec<String> {
        filters[key]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let sh = Arc::new(Shared {
        api,
        fair_id: seed.fair_id,
        regs: seed.employers[..p.employers]
            .iter()
            .map(|e| e.registration_id)
            .collect(),
        metrics: Metrics::default(),
        base: Instant::now(),
        // Set once everyone is online.
        end_ms: AtomicU64::new(u64::MAX / 2),
        think: Duration::from_millis(p.think_ms.max(10)),
        pages: AtomicI64::new(1),
        cities: strings("cities"),
        industries: strings("industries"),
    });

    // Everyone goes online first.
    ctx.say(format!(
        "fair: connecting {} students and {} employers…",
        p.students, p.employers
    ));
    let (stop_tx, stop_rx) = watch::channel(false);
    let sources = Sources {
        first: ctx.cli.first_source,
        per_address: ctx.cli.per_source,
    };
    let users: Vec<(Account, Option<i64>)> = seed.students[..p.students]
        .iter()
        .map(|s| (s.clone(), None))
        .chain(
            seed.employers[..p.employers]
                .iter()
                .map(|e| (e.account.clone(), Some(e.registration_id))),
        )
        .collect();
    let connect_started = Instant::now();
    let opened: Vec<_> = futures::stream::iter(users.into_iter().enumerate())
        .map(|(i, (who, reg))| {
            let (sh, stop) = (sh.clone(), stop_rx.clone());
            async move {
                let side = if reg.is_some() { "employer" } else { "student" };
                let live = match sources.for_index(i) {
                    Ok(source) => go_live(ctx, &sh, &who, source, i, stop, side).await,
                    Err(e) => Err(e),
                };
                (who, reg, side, live)
            }
        })
        .buffer_unordered(ctx.cli.connect_concurrency.max(1))
        .collect()
        .await;
    let mut setup_errors = Counts::new();
    let mut joins = Vec::new();
    for (who, reg, side, live) in opened {
        match live {
            Ok(live) => joins.push((who, reg, live)),
            Err(kind) => {
                *setup_errors
                    .entry(format!("{side} connect: {kind}"))
                    .or_default() += 1
            }
        }
    }
    let connect_secs = connect_started.elapsed().as_secs_f64();
    ctx.say(format!(
        "online: {} users in {connect_secs:.1} s; errors: {}",
        joins.len(),
        counts_text(&setup_errors)
    ));

    // Now the fair runs for `duration`.
    let online = joins.len();
    let from_base = u64::try_from(sh.base.elapsed().as_millis()).unwrap_or(0);
    sh.end_ms
        .store(from_base + p.duration * 1000, Ordering::Relaxed);
    let server_cpu_before = ctx.server_cpu()?;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (who, reg, live) in joins {
        let sh = sh.clone();
        tasks.push(tokio::spawn(async move {
            match reg {
                Some(reg) => employer(sh, who, reg, live).await,
                None => student(sh, who, live).await,
            }
        }));
    }
    for t in tasks {
        let _ = tokio::time::timeout(Duration::from_secs(60), t).await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let rss = ctx.server_rss()?;
    let server_cpu = ctx.server_cpu()? - server_cpu_before;
    let _ = stop_tx.send(true);
    let client_cpu = crate::procfs::cpu_secs("self").unwrap_or(0.0);

    let ops: BTreeMap<&'static str, Summary> = sh
        .metrics
        .ops
        .lock()
        .map(|m| m.iter().map(|(k, h)| (*k, h.summary())).collect())
        .unwrap_or_default();
    let errors = sh
        .metrics
        .errors
        .lock()
        .map(|e| e.clone())
        .unwrap_or_default();
    ctx.say(format!(
        "{:<28} {:>8} {:>8}   latency",
        "operation", "count", "per s"
    ));
    let mut ops_json = serde_json::Map::new();
    for (op, s) in &ops {
        let per_sec = s.count as f64 / elapsed;
        ctx.say(format!(
            "{op:<28} {:>8} {per_sec:>8.1}   p50 {:>7.1}ms p95 {:>7.1}ms p99 {:>7.1}ms max {:>7.1}ms",
            s.count, s.p50_ms, s.p95_ms, s.p99_ms, s.max_ms
        ));
        ops_json.insert(
            (*op).to_string(),
            json!({"count": s.count, "per_sec": per_sec, "latency": s}),
        );
    }
    ctx.say(format!("errors: {}", counts_text(&errors)));
    if let Some(rss) = rss {
        ctx.say(format!(
            "server RSS at the end: {:.1} MiB",
            rss as f64 / 1024.0
        ));
    }
    ctx.say(format!(
        "CPU seconds over the fair: server {server_cpu:.2}, client {client_cpu:.2} (client total)"
    ));
    ctx.finish(&json!({
        "workload": "fair",
        "target": ctx.cli.target,
        "students": p.students,
        "employers": p.employers,
        "duration_secs": elapsed,
        "think_ms": p.think_ms,
        "servers": ctx.endpoints.len(),
        "online": online,
        "connect_secs": connect_secs,
        "setup_errors": counts_json(&setup_errors),
        "operations": ops_json,
        "errors": counts_json(&errors),
        "server_rss_end_kib": rss,
        "server_cpu_secs": server_cpu,
        "client_cpu_secs": client_cpu,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode("上海"), "%E4%B8%8A%E6%B5%B7");
        assert_eq!(encode("a b&c"), "a%20b%26c");
    }
}
