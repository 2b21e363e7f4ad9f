//! `fairhall-load`: load generator for fairhall's realtime layer and HTTP API, with soketi and
//! socket.io as peers for comparison. It only talks to 127.0.0.0/8 and every run ends by itself
//! (a hard deadline exits the process).
//!
//! ```text
//! # fairhall, seeded with `fairhall seed --employers 1000 --students 50000 --out seed.jsonl`
//! fairhall-load --url http://127.0.0.1:8080 --server-pid $PID --seed seed.jsonl connections --n 10000
//! fairhall-load --seed seed.jsonl --server-pid $PID fanout --n 10000 --broadcasts 10
//! fairhall-load --seed seed.jsonl latency --rate 200 --duration 30
//! fairhall-load --seed seed.jsonl fair --students 1000 --employers 50 --duration 60
//! # three nodes on one PostgreSQL and Redis: repeat --url and --server-pid
//! fairhall-load --url http://127.0.0.1:8081 --url http://127.0.0.1:8082 --url http://127.0.0.1:8083 \
//!     --server-pid 1 --server-pid 2 --server-pid 3 --seed seed.jsonl fanout --n 50000
//! # the peers
//! fairhall-load --target soketi --url http://127.0.0.1:6001 --server-pid $PID fanout --n 10000
//! fairhall-load --target socketio --url http://127.0.0.1:3001 --server-pid $PID latency --rate 200
//! ```
//!
//! `--json` prints one JSON object with every figure on stdout (the human summary goes to
//! stderr). `connections` and `fanout` spread their sockets over worker processes (this same
//! binary, started with `--worker-index`; at most `--max-per-worker` sockets each, since a
//! process may open fewer than 20 000 files here) and over source addresses 127.0.0.2,
//! 127.0.0.3, … (`--per-source` connections each), which is how a run passes 64k connections
//! to one port. Each module's documentation says what exactly it measures.

mod api;
mod cli;
mod net;
mod procfs;
mod protocol;
mod publish;
mod safety;
mod seed;
mod stamp;
mod stats;
mod workers;
mod workload;

use std::process::ExitCode;
use std::time::Duration;

use anyhow::bail;
use clap::Parser;

use crate::cli::{Cli, Command};
use crate::safety::Endpoint;
use crate::workload::Ctx;

/// Added to a workload's expected length to make its hard deadline.
const MARGIN_SECS: u64 = 60;
/// Workers outlive the parent's deadline a little: the parent ends them first.
const WORKER_GRACE_SECS: u64 = 15;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let deadline = cli
        .deadline
        .unwrap_or(cli.command.expected_secs() + MARGIN_SECS);
    if cli.worker_index.is_some() {
        safety::hard_deadline(Duration::from_secs(deadline + WORKER_GRACE_SECS), "worker");
    } else {
        safety::hard_deadline(Duration::from_secs(deadline), "run");
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("fairhall-load: starting the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli, deadline)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fairhall-load: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli, deadline_secs: u64) -> anyhow::Result<()> {
    let endpoints = cli
        .urls
        .iter()
        .map(|u| Endpoint::parse(u))
        .collect::<anyhow::Result<Vec<_>>>()?;
    if cli.worker_index.is_some() {
        return match cli.command {
            Command::Connections { n, subscribe, .. } => workers::serve(&cli, n, subscribe).await,
            Command::Fanout { n, .. } => workers::serve(&cli, n, true).await,
            _ => bail!("only connections and fanout use workers"),
        };
    }
    let ctx = Ctx {
        cli: cli.clone(),
        endpoints,
        // Leave part of the budget for stopping and reporting.
        deadline: Duration::from_secs(deadline_secs * 9 / 10),
    };
    match cli.command {
        Command::Connections {
            n,
            settle,
            hold,
            subscribe,
        } => workload::connections::run(&ctx, n, settle, hold, subscribe).await,
        Command::Fanout {
            n,
            broadcasts,
            interval_ms,
            settle,
            drain,
        } => {
            let p = workload::fanout::Params {
                n,
                broadcasts,
                interval_ms,
                settle,
                drain,
            };
            workload::fanout::run(&ctx, &p).await
        }
        Command::Latency {
            rate,
            duration,
            subscribers,
        } => workload::latency::run(&ctx, rate, duration, subscribers).await,
        Command::Fair {
            students,
            employers,
            duration,
            think_ms,
        } => {
            let p = workload::fair::Params {
                students,
                employers,
                duration,
                think_ms,
            };
            workload::fair::run(&ctx, &p).await
        }
    }
}
