//! `connections`: what an idle connection costs the server.
//!
//! Measured: the server's VmRSS before any connection and again `settle` seconds after the last
//! handshake; memory per connection = (after − before) / connected. Also the connect rate
//! (connections / the slowest worker's handshake time), the errors by kind, connections lost
//! while held, and the CPU seconds of the server(s) and of this client (parent and workers)
//! over the run, so that the two can be compared on a shared machine.

use std::time::{Duration, Instant};

use serde_json::json;

use super::{Ctx, counts_json, counts_text, merge_counts, tally_ready};
use crate::workers::{Counts, Pool, WorkerMsg};

pub async fn run(
    ctx: &Ctx,
    n: usize,
    settle: u64,
    hold: u64,
    subscribe: bool,
) -> anyhow::Result<()> {
    let rss_before = ctx.server_rss()?;
    let server_cpu_before = ctx.server_cpu()?;
    let k = ctx.workers_for(n);
    ctx.say(format!(
        "{}: opening {n} connections with {k} worker process(es)…",
        ctx.cli.target.name()
    ));
    let started = Instant::now();
    let mut pool = Pool::spawn(k)?;
    let ready = pool.ready(ctx.deadline).await?;
    let wall = started.elapsed().as_secs_f64();
    let (connected, slowest, errors) = tally_ready(&ready);
    tokio::time::sleep(Duration::from_secs(settle)).await;
    let rss_after = ctx.server_rss()?;
    tokio::time::sleep(Duration::from_secs(hold)).await;
    let results = pool.stop(Duration::from_secs(60)).await?;
    let server_cpu = ctx.server_cpu()? - server_cpu_before;
    let (mut lost, mut worker_cpu, mut client_rss) = (Counts::new(), 0f64, 0u64);
    for m in &results {
        if let WorkerMsg::Result {
            lost: l,
            cpu_secs,
            rss_kib,
            ..
        } = m
        {
            merge_counts(&mut lost, l);
            worker_cpu += cpu_secs;
            client_rss += rss_kib;
        }
    }
    let client_cpu = worker_cpu + crate::procfs::cpu_secs("self").unwrap_or(0.0);
    let per_conn_kib = match (rss_before, rss_after) {
        (Some(b), Some(a)) if connected > 0 => Some((a as f64 - b as f64) / connected as f64),
        _ => None,
    };
    let rate = if slowest > 0.0 {
        connected as f64 / slowest
    } else {
        0.0
    };

    ctx.say(format!("connected:        {connected} of {n} in {slowest:.1} s ({rate:.0}/s; {wall:.1} s with process start)"));
    ctx.say(format!("connect errors:   {}", counts_text(&errors)));
    ctx.say(format!("lost while held:  {}", counts_text(&lost)));
    if let (Some(b), Some(a)) = (rss_before, rss_after) {
        ctx.say(format!(
            "server RSS:       {:.1} MiB → {:.1} MiB; {:.2} KiB per connection",
            b as f64 / 1024.0,
            a as f64 / 1024.0,
            per_conn_kib.unwrap_or(0.0)
        ));
    }
    ctx.say(format!(
        "CPU seconds:      server {server_cpu:.2}, client {client_cpu:.2} (client RSS {:.1} MiB)",
        client_rss as f64 / 1024.0
    ));
    ctx.finish(&json!({
        "workload": "connections",
        "target": ctx.cli.target,
        "n": n,
        "subscribe": subscribe,
        "workers": k,
        "servers": ctx.endpoints.len(),
        "connected": connected,
        "connect_secs": slowest,
        "connect_wall_secs": wall,
        "connect_rate_per_sec": rate,
        "connect_errors": counts_json(&errors),
        "lost": counts_json(&lost),
        "server_rss_before_kib": rss_before,
        "server_rss_after_kib": rss_after,
        "server_kib_per_connection": per_conn_kib,
        "server_cpu_secs": server_cpu,
        "client_cpu_secs": client_cpu,
        "client_rss_kib": client_rss,
    }))
}
