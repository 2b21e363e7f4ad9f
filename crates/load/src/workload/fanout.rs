//! `fanout`: one message to N subscribers.
//!
//! N connections (over worker processes) join one channel (fairhall: `watch_fair` on the seeded
//! fair; soketi: channel `fair-1`; socket.io: room `fair-1`). Then `broadcasts` messages are
//! published through the server's own backend API, each carrying its send time
//! (`fhstamp:<epoch µs>:<seq>`, see `stamp`). Every receiver, in whichever process, records
//! `receive time − send time`. Per broadcast: how many of the connected subscribers got it, and
//! p50/p99/max over them. Summary: the median over broadcasts of each, without the first
//! (cold: caches, allocations, TCP windows), which is reported on its own.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::json;

use super::{Ctx, counts_json, counts_text, merge_counts, tally_ready};
use crate::stamp;
use crate::stats::{Hist, median};
use crate::workers::{Counts, Pool, WorkerMsg};

pub struct Params {
    pub n: usize,
    pub broadcasts: u64,
    pub interval_ms: u64,
    pub settle: u64,
    pub drain: u64,
}

pub async fn run(ctx: &Ctx, p: &Params) -> anyhow::Result<()> {
    let seed = match ctx.cli.target {
        crate::protocol::Target::Fairhall => Some(ctx.seed()?),
        _ => None,
    };
    let publisher = ctx.publisher(seed.as_ref())?;
    let rss_before = ctx.server_rss()?;
    let server_cpu_before = ctx.server_cpu()?;
    let k = ctx.workers_for(p.n);
    ctx.say(format!(
        "{}: {} subscribers over {k} worker process(es) and {} server(s)…",
        ctx.cli.target.name(),
        p.n,
        ctx.endpoints.len()
    ));
    let mut pool = Pool::spawn(k)?;
    let ready = pool.ready(ctx.deadline).await?;
    let (connected, slowest, errors) = tally_ready(&ready);
    ctx.say(format!(
        "subscribed:  {connected} of {} in {slowest:.1} s; errors: {}",
        p.n,
        counts_text(&errors)
    ));
    tokio::time::sleep(Duration::from_secs(p.settle)).await;
    let rss_subscribed = ctx.server_rss()?;

    let mut publish_ms = Vec::new();
    let mut publish_errors = Counts::new();
    let mut sent = Vec::new();
    for seq in 0..p.broadcasts {
        let t0 = Instant::now();
        let text = format!("load test broadcast {}", stamp::stamp(seq));
        match publisher.publish(&text).await {
            Ok(()) => sent.push(seq),
            Err(kind) => *publish_errors.entry(kind).or_default() += 1,
        }
        publish_ms.push(t0.elapsed().as_secs_f64() * 1000.0);
        let wait = Duration::from_millis(p.interval_ms).saturating_sub(t0.elapsed());
        tokio::time::sleep(wait).await;
    }
    tokio::time::sleep(Duration::from_secs(p.drain)).await;
    let results = pool.stop(Duration::from_secs(60)).await?;
    let server_cpu = ctx.server_cpu()? - server_cpu_before;

    let mut per_seq: BTreeMap<u64, Hist> = BTreeMap::new();
    let (mut lost, mut worker_cpu) = (Counts::new(), 0f64);
    for m in &results {
        if let WorkerMsg::Result {
            lost: l,
            cpu_secs,
            broadcasts,
            ..
        } = m
        {
            merge_counts(&mut lost, l);
            worker_cpu += cpu_secs;
            for r in broadcasts {
                per_seq
                    .entry(r.seq)
                    .or_default()
                    .add(&Hist::from_pairs(&r.hist));
            }
        }
    }
    let client_cpu = worker_cpu + crate::procfs::cpu_secs("self").unwrap_or(0.0);

    let mut rows = Vec::new();
    ctx.say("broadcast  received        p50        p99        max");
    for &seq in &sent {
        let s = per_seq.get(&seq).map(Hist::summary).unwrap_or_default();
        ctx.say(format!(
            "{seq:>9}  {:>8}  {:>7.1}ms  {:>7.1}ms  {:>7.1}ms",
            s.count, s.p50_ms, s.p99_ms, s.max_ms
        ));
        rows.push((seq, s));
    }
    let warm: Vec<_> = rows
        .iter()
        .filter(|(seq, _)| *seq > 0 || rows.len() == 1)
        .collect();
    let med = |f: fn(&crate::stats::Summary) -> f64| {
        median(&warm.iter().map(|(_, s)| f(s)).collect::<Vec<_>>())
    };
    let (p50, p99, max) = (med(|s| s.p50_ms), med(|s| s.p99_ms), med(|s| s.max_ms));
    let received = median(&warm.iter().map(|(_, s)| s.count as f64).collect::<Vec<_>>());
    let cold = rows.first().map(|(_, s)| *s);
    ctx.say(format!(
        "median over warm broadcasts: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; received {:.0} of {connected}",
        p50.unwrap_or(f64::NAN),
        p99.unwrap_or(f64::NAN),
        max.unwrap_or(f64::NAN),
        received.unwrap_or(0.0)
    ));
    if let Some(c) = cold {
        ctx.say(format!(
            "cold (first) broadcast:     p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; received {}",
            c.p50_ms, c.p99_ms, c.max_ms, c.count
        ));
    }
    ctx.say(format!(
        "publish call: median {:.1} ms; errors: {}; lost connections: {}",
        median(&publish_ms).unwrap_or(f64::NAN),
        counts_text(&publish_errors),
        counts_text(&lost)
    ));
    if let (Some(b), Some(a)) = (rss_before, rss_subscribed) {
        ctx.say(format!(
            "server RSS {:.1} → {:.1} MiB; CPU seconds: server {server_cpu:.2}, client {client_cpu:.2}",
            b as f64 / 1024.0,
            a as f64 / 1024.0
        ));
    }
    ctx.finish(&json!({
        "workload": "fanout",
        "target": ctx.cli.target,
        "n": p.n,
        "workers": k,
        "servers": ctx.endpoints.len(),
        "connected": connected,
        "connect_secs": slowest,
        "connect_errors": counts_json(&errors),
        "lost": counts_json(&lost),
        "broadcasts": rows.iter().map(|(seq, s)| json!({"seq": seq, "received": s.count, "latency": s})).collect::<Vec<_>>(),
        "median_p50_ms": p50,
        "median_p99_ms": p99,
        "median_max_ms": max,
        "median_received": received,
        "cold": cold,
        "publish_median_ms": median(&publish_ms),
        "publish_errors": counts_json(&publish_errors),
        "server_rss_before_kib": rss_before,
        "server_rss_subscribed_kib": rss_subscribed,
        "server_cpu_secs": server_cpu,
        "client_cpu_secs": client_cpu,
    }))
}
