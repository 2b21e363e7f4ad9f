//! `latency`: publish→receive latency under a steady message rate.
//!
//! fairhall: students send chat messages (`POST /api/v1/fairs/{f}/employers/{r}/messages`) to
//! `subscribers` employers who hold a WebSocket; the time runs from just before the POST to the
//! `chat_message` frame at the employer, so it covers the HTTP request, the database write, the
//! bus (Redis when configured, with the employers on the last `--url` and the POSTs on the
//! first) and the push. Students are rotated so each stays under the chat limit (20 a minute).
//! soketi and socket.io: broadcasts through their HTTP API to `subscribers` subscribers of one
//! channel, every receipt counted.
//!
//! Sending is open-loop: one message every 1/rate seconds whatever the server's pace, with at
//! most 512 requests in flight (beyond that a tick is counted as skipped).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::json;
use tokio::sync::{Semaphore, watch};

use super::{Ctx, counts_json, counts_text};
use crate::api::{Api, http_client};
use crate::protocol::{self, Ended, Target};
use crate::stamp;
use crate::stats::Hist;
use crate::workers::{Counts, bump};

/// Chat messages one student may send a minute, with a margin under the server's 20.
const PER_STUDENT_PER_MINUTE: f64 = 15.0;

pub async fn run(ctx: &Ctx, rate: f64, duration: u64, subscribers: usize) -> anyhow::Result<()> {
    if !(rate > 0.0 && rate <= 100_000.0) {
        bail!("--rate must be between 0 and 100000");
    }
    let subscribers = subscribers.max(1);
    let seed = match ctx.cli.target {
        Target::Fairhall => Some(ctx.seed()?),
        _ => None,
    };
    let receipts = Arc::new(Mutex::new(Hist::default()));
    let lost = Arc::new(Mutex::new(Counts::new()));
    let (stop_tx, stop_rx) = watch::channel(false);
    let channel = ctx.channel(seed.as_ref().map_or(0, |s| s.fair_id));
    let recv_ep = ctx.endpoints.last().context("no --url")?.clone();

    // The receivers.
    let mut holders = Vec::new();
    for i in 0..subscribers {
        let cookie = match &seed {
            Some(s) => Some(
                s.employers
                    .get(i)
                    .context("the seed has fewer employers than --subscribers")?
                    .account
                    .cookie
                    .clone(),
            ),
            None => None,
        };
        let ep = match ctx.cli.target {
            Target::Fairhall => recv_ep.clone(),
            _ => ctx.endpoints[i % ctx.endpoints.len()].clone(),
        };
        let subscribe = ctx.cli.target != Target::Fairhall;
        let ws = protocol::open(&channel, &ep, None, cookie.as_deref(), subscribe)
            .await
            .map_err(|e| anyhow::anyhow!("subscriber {i}: {e}"))?;
        let (receipts, lost, stop) = (receipts.clone(), lost.clone(), stop_rx.clone());
        let target = ctx.cli.target;
        holders.push(tokio::spawn(async move {
            let ended = protocol::hold(ws, target, stop, |text| {
                if let Some((sent, _)) = stamp::parse(text)
                    && let Ok(mut h) = receipts.lock()
                {
                    h.record_us(stamp::now_us().saturating_sub(sent));
                }
            })
            .await;
            if let Ended::Lost(kind) = ended {
                bump(&lost, kind);
            }
        }));
    }

    // The senders.
    let publisher = Arc::new(ctx.publisher(seed.as_ref())?);
    let api = Api::new(http_client(512)?, ctx.endpoints[0].clone());
    let senders = seed.as_ref().map_or(0, |s| {
        ((rate * 60.0 / PER_STUDENT_PER_MINUTE).ceil() as usize).clamp(1, s.students.len().max(1))
    });
    if let Some(s) = &seed
        && (s.students.is_empty() || s.employers.len() < subscribers)
    {
        bail!("the seed needs students and at least {subscribers} employers");
    }
    let send_hist = Arc::new(Mutex::new(Hist::default()));
    let errors = Arc::new(Mutex::new(Counts::new()));
    let in_flight = Arc::new(Semaphore::new(512));
    let mut skipped = 0u64;
    let mut ticks = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let server_cpu_before = ctx.server_cpu()?;
    let started = Instant::now();
    let until = started + Duration::from_secs(duration);
    let mut seq = 0u64;
    ctx.say(format!(
        "{}: {rate}/s for {duration} s to {subscribers} receiver(s){}…",
        ctx.cli.target.name(),
        if senders > 0 {
            format!(" from {senders} students")
        } else {
            String::new()
        }
    ));
    let mut tasks = Vec::new();
    while Instant::now() < until {
        ticks.tick().await;
        let Ok(permit) = in_flight.clone().try_acquire_owned() else {
            skipped += 1;
            continue;
        };
        let (send_hist, errors) = (send_hist.clone(), errors.clone());
        let text = format!("load test message {}", stamp::stamp(seq));
        let job: tokio::task::JoinHandle<()> = match &seed {
            Some(s) => {
                let i = (seq as usize) % senders;
                let student = s.students[i].clone();
                let employer = &s.employers[i % subscribers];
                let path = format!(
                    "/api/v1/fairs/{}/employers/{}/messages",
                    s.fair_id, employer.registration_id
                );
                let api = api.clone();
                tokio::spawn(async move {
                    let (took, r) = api
                        .timed_post(&student, &path, &json!({ "text": text }))
                        .await;
                    record(&send_hist, &errors, took, r.map(|_| ()));
                    drop(permit);
                })
            }
            None => {
                let publisher = publisher.clone();
                tokio::spawn(async move {
                    let t0 = Instant::now();
                    let r = publisher.publish(&text).await;
                    record(&send_hist, &errors, t0.elapsed(), r);
                    drop(permit);
                })
            }
        };
        tasks.push(job);
        seq += 1;
    }
    for t in tasks {
        let _ = tokio::time::timeout(Duration::from_secs(30), t).await;
    }
    let sending_secs = started.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let _ = stop_tx.send(true);
    for h in holders {
        let _ = h.await;
    }
    let server_cpu = ctx.server_cpu()? - server_cpu_before;
    let client_cpu = crate::procfs::cpu_secs("self").unwrap_or(0.0);

    let recv = receipts.lock().map(|h| h.summary()).unwrap_or_default();
    let sendsum = send_hist.lock().map(|h| h.summary()).unwrap_or_default();
    let errors = errors.lock().map(|e| e.clone()).unwrap_or_default();
    let lost = lost.lock().map(|e| e.clone()).unwrap_or_default();
    let sent_ok = sendsum.count;
    let expected = match ctx.cli.target {
        Target::Fairhall => sent_ok,
        _ => sent_ok * subscribers as u64,
    };
    ctx.say(format!(
        "sent:     {seq} ({:.1}/s achieved), {sent_ok} accepted, {skipped} skipped; errors: {}",
        seq as f64 / sending_secs,
        counts_text(&errors)
    ));
    ctx.say(format!("send call:        {sendsum}"));
    ctx.say(format!("publish→receive:  {recv}"));
    ctx.say(format!(
        "received {} of {expected} expected; lost connections: {}; CPU seconds: server {server_cpu:.2}, client {client_cpu:.2}",
        recv.count,
        counts_text(&lost)
    ));
    ctx.finish(&json!({
        "workload": "latency",
        "target": ctx.cli.target,
        "rate": rate,
        "duration_secs": duration,
        "subscribers": subscribers,
        "servers": ctx.endpoints.len(),
        "senders": senders,
        "attempted": seq,
        "accepted": sent_ok,
        "skipped": skipped,
        "send_errors": counts_json(&errors),
        "send_call": sendsum,
        "latency": recv,
        "received": recv.count,
        "expected": expected,
        "lost": counts_json(&lost),
        "server_cpu_secs": server_cpu,
        "client_cpu_secs": client_cpu,
    }))
}

fn record(hist: &Mutex<Hist>, errors: &Mutex<Counts>, took: Duration, result: Result<(), String>) {
    match result {
        Ok(()) => {
            if let Ok(mut h) = hist.lock() {
                h.record(took);
            }
        }
        Err(kind) => bump(errors, kind),
    }
}
