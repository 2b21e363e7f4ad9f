//! Command-line options.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::protocol::Target;

/// Load generator for fairhall's realtime layer and API (and, for comparison, soketi and
/// socket.io). Only talks to 127.0.0.0/8 and always ends within its deadline.
#[derive(Debug, Clone, Parser)]
#[command(name = "fairhall-load", version)]
pub struct Cli {
    /// Which server is measured.
    #[arg(long, value_enum, default_value_t = Target::Fairhall)]
    pub target: Target,
    /// Server address, `http://127.0.0.1:PORT`; repeat for several nodes of one installation
    /// (connections are spread over them; fairhall publishes through the first).
    #[arg(long = "url", default_value = "http://127.0.0.1:8080")]
    pub urls: Vec<String>,
    /// Server process(es) whose memory (VmRSS) and CPU time are read; repeat for several nodes.
    #[arg(long = "server-pid")]
    pub server_pids: Vec<u32>,
    /// fairhall: the accounts file written by `fairhall seed --out FILE`.
    #[arg(long)]
    pub seed: Option<PathBuf>,
    /// soketi: channel every subscriber joins.
    #[arg(long, default_value = "fair-1")]
    pub channel: String,
    /// soketi: app id, key and secret.
    #[arg(long, default_value = "fairhall-bench")]
    pub app_id: String,
    #[arg(long, default_value = "fairhall-bench-key")]
    pub app_key: String,
    #[arg(long, default_value = "fairhall-bench-secret")]
    pub app_secret: String,
    /// Worker processes holding the connections (at least enough for --max-per-worker).
    #[arg(long, default_value_t = 1)]
    pub workers: usize,
    /// Most connections one worker process holds (the per-process open-file limit is 20 000).
    #[arg(long, default_value_t = 18_000)]
    pub max_per_worker: usize,
    /// Connections come from 127.0.0.{first-source}, 127.0.0.{first-source + 1}, …
    #[arg(long, default_value_t = 2)]
    pub first_source: u8,
    /// Connections per source address before moving to the next one.
    #[arg(long, default_value_t = 10_000)]
    pub per_source: usize,
    /// Handshakes in flight at once, per worker.
    #[arg(long, default_value_t = 200)]
    pub connect_concurrency: usize,
    /// Hard deadline in seconds: the process exits when it is reached, whatever it is doing.
    /// Default: the workload's own expected length plus a margin.
    #[arg(long)]
    pub deadline: Option<u64>,
    /// Print the result as one JSON object on stdout (the human summary goes to stderr).
    #[arg(long)]
    pub json: bool,
    /// Internal: this process is worker number N of a run.
    #[arg(long, hide = true)]
    pub worker_index: Option<usize>,
    /// Internal: how many workers the run has.
    #[arg(long, hide = true, default_value_t = 1)]
    pub worker_count: usize,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Open N idle connections; report the server's memory per connection and the connect rate.
    Connections {
        #[arg(long)]
        n: usize,
        /// Seconds to wait after the last handshake before reading the server's memory.
        #[arg(long, default_value_t = 5)]
        settle: u64,
        /// Seconds to keep the connections open after the reading (losses are counted).
        #[arg(long, default_value_t = 5)]
        hold: u64,
        /// Also join the channel (fairhall: watch_fair; soketi: subscribe).
        #[arg(long)]
        subscribe: bool,
    },
    /// N subscribers of one channel; publish stamped broadcasts and measure delivery to all.
    Fanout {
        #[arg(long)]
        n: usize,
        #[arg(long, default_value_t = 10)]
        broadcasts: u64,
        /// Milliseconds between broadcasts.
        #[arg(long, default_value_t = 1000)]
        interval_ms: u64,
        /// Seconds to wait after the last handshake before the first broadcast.
        #[arg(long, default_value_t = 3)]
        settle: u64,
        /// Seconds to keep listening after the last broadcast.
        #[arg(long, default_value_t = 5)]
        drain: u64,
    },
    /// Publish→receive latency at a steady rate. fairhall: students' chat messages to
    /// employers (HTTP, database, bus, WebSocket); peers: broadcasts to a few subscribers.
    Latency {
        /// Messages per second.
        #[arg(long, default_value_t = 100.0)]
        rate: f64,
        /// Seconds of sending.
        #[arg(long, default_value_t = 30)]
        duration: u64,
        /// Receiving connections (fairhall: employers; peers: channel subscribers).
        #[arg(long, default_value_t = 10)]
        subscribers: usize,
    },
    /// A simulated fair (fairhall only): students browse, apply and chat; employers accept,
    /// call (ring, answer, offer/answer/candidate) and end with a verdict.
    Fair {
        #[arg(long, default_value_t = 500)]
        students: usize,
        #[arg(long, default_value_t = 20)]
        employers: usize,
        /// Seconds the fair runs.
        #[arg(long, default_value_t = 60)]
        duration: u64,
        /// Mean pause between one user's actions, in milliseconds.
        #[arg(long, default_value_t = 3000)]
        think_ms: u64,
    },
}

impl Command {
    /// How long the workload should take at most, before the safety margin.
    pub fn expected_secs(&self) -> u64 {
        let connect = |n: usize| 30 + (n as u64) / 100;
        match self {
            Command::Connections {
                n, settle, hold, ..
            } => connect(*n) + settle + hold,
            Command::Fanout {
                n,
                broadcasts,
                interval_ms,
                settle,
                drain,
            } => connect(*n) + settle + broadcasts * interval_ms / 1000 + drain + 30,
            Command::Latency { duration, .. } => 30 + duration + 10,
            Command::Fair {
                duration, students, ..
            } => connect(*students) + duration + 30,
        }
    }
}
