//! The workloads, and what they share: the parsed options, the servers, and the output.

pub mod connections;
pub mod fair;
pub mod fanout;
pub mod latency;

use std::time::Duration;

use anyhow::Context;
use serde_json::Value;

use crate::api::{Api, http_client};
use crate::cli::Cli;
use crate::protocol::{Channel, Target};
use crate::publish::Publisher;
use crate::safety::Endpoint;
use crate::seed::Seed;

pub struct Ctx {
    pub cli: Cli,
    pub endpoints: Vec<Endpoint>,
    /// When the run must be over (the hard deadline fires a little later).
    pub deadline: Duration,
}

impl Ctx {
    /// Prints a line of the human summary: on stdout, or on stderr under `--json`.
    pub fn say(&self, line: impl std::fmt::Display) {
        if self.cli.json {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    }

    /// Prints the JSON result under `--json`.
    pub fn finish(&self, result: &Value) -> anyhow::Result<()> {
        if self.cli.json {
            println!("{}", serde_json::to_string(result)?);
        }
        Ok(())
    }

    pub fn seed(&self) -> anyhow::Result<Seed> {
        Seed::load(
            self.cli
                .seed
                .as_deref()
                .context("fairhall workloads need --seed FILE (from `fairhall seed --out FILE`)")?,
        )
    }

    pub fn channel(&self, fair_id: i64) -> Channel {
        Channel {
            target: self.cli.target,
            fair_id,
            name: self.cli.channel.clone(),
            app_key: self.cli.app_key.clone(),
        }
    }

    /// Publishes through the first server.
    pub fn publisher(&self, seed: Option<&Seed>) -> anyhow::Result<Publisher> {
        let http = http_client(64)?;
        let ep = self.endpoints[0].clone();
        Ok(match self.cli.target {
            Target::Fairhall => {
                let seed = seed.context("fairhall needs --seed")?;
                Publisher::Fairhall {
                    api: Api::new(http, ep),
                    staff: seed.staff()?.clone(),
                    fair_id: seed.fair_id,
                }
            }
            Target::Soketi => Publisher::Soketi {
                http,
                base: ep.base,
                app_id: self.cli.app_id.clone(),
                key: self.cli.app_key.clone(),
                secret: self.cli.app_secret.clone(),
                channel: self.cli.channel.clone(),
            },
            Target::Socketio => Publisher::Socketio {
                http,
                base: ep.base,
            },
        })
    }

    /// Worker processes needed for `n` connections.
    pub fn workers_for(&self, n: usize) -> usize {
        self.cli
            .workers
            .max(n.div_ceil(self.cli.max_per_worker.max(1)))
            .max(1)
    }

    /// Server memory (KiB, summed over `--server-pid`s), if any pid was given.
    pub fn server_rss(&self) -> anyhow::Result<Option<u64>> {
        if self.cli.server_pids.is_empty() {
            return Ok(None);
        }
        crate::procfs::total_rss_kib(&self.cli.server_pids).map(Some)
    }

    pub fn server_cpu(&self) -> anyhow::Result<f64> {
        crate::procfs::total_cpu_secs(&self.cli.server_pids)
    }
}

/// A map of counts as a JSON object.
pub fn counts_json(c: &crate::workers::Counts) -> Value {
    serde_json::to_value(c).unwrap_or(Value::Null)
}

/// `a: 3, b: 1`, or `none`.
pub fn counts_text(c: &crate::workers::Counts) -> String {
    if c.is_empty() {
        return "none".into();
    }
    c.iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the workers said when their sockets were up: connected in all, the slowest worker's
/// connect time, and the connect errors by kind.
pub fn tally_ready(ready: &[crate::workers::WorkerMsg]) -> (u64, f64, crate::workers::Counts) {
    let (mut connected, mut slowest, mut errors) = (0u64, 0f64, crate::workers::Counts::new());
    for m in ready {
        if let crate::workers::WorkerMsg::Ready {
            connected: c,
            errors: e,
            connect_secs,
            ..
        } = m
        {
            connected += c;
            slowest = slowest.max(*connect_secs);
            merge_counts(&mut errors, e);
        }
    }
    (connected, slowest, errors)
}

pub fn merge_counts(into: &mut crate::workers::Counts, from: &crate::workers::Counts) {
    for (k, v) in from {
        *into.entry(k.clone()).or_default() += v;
    }
}
