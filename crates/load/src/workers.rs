//! Splitting connections over worker processes.
//!
//! One process may hold fewer than 20 000 sockets here, so `connections` and `fanout` re-run
//! this binary K times with `--worker-index i --worker-count K`. Worker i holds the slice
//! `[i·N/K, (i+1)·N/K)` of the run's connections (their source addresses and accounts follow
//! from the global index), prints one `ready` JSON line when its handshakes are done, keeps
//! reading (answering pings, timing stamped messages) until the parent writes `stop` to its
//! stdin (or closes it), then prints one `result` line and exits.

use std::collections::BTreeMap;
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, Command};
use tokio::sync::{Semaphore, mpsc, watch};

use crate::cli::Cli;
use crate::net::Sources;
use crate::protocol::{self, Channel, Ended, Target};
use crate::safety::Endpoint;
use crate::seed::Seed;
use crate::stamp;
use crate::stats::Hist;

/// Errors by kind.
pub type Counts = BTreeMap<String, u64>;

pub fn bump(map: &Mutex<Counts>, kind: impl Into<String>) {
    if let Ok(mut m) = map.lock() {
        *m.entry(kind.into()).or_default() += 1;
    }
}

fn take(map: &Mutex<Counts>) -> Counts {
    map.lock().map(|m| m.clone()).unwrap_or_default()
}

/// Receipts of one stamped broadcast in one worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Receipts {
    pub seq: u64,
    pub received: u64,
    /// Latency histogram, `[[µs, count], …]`.
    pub hist: Vec<(u64, u64)>,
}

/// What a worker prints on stdout, one JSON object per line.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WorkerMsg {
    Ready {
        worker: usize,
        connected: u64,
        errors: Counts,
        connect_secs: f64,
    },
    Result {
        worker: usize,
        /// Connections lost while held, by kind.
        lost: Counts,
        cpu_secs: f64,
        rss_kib: u64,
        broadcasts: Vec<Receipts>,
    },
}

/// The slice of a run's `n` connections that worker `i` of `k` holds.
pub fn slice(n: usize, i: usize, k: usize) -> std::ops::Range<usize> {
    let k = k.max(1);
    (i * n / k)..((i + 1) * n / k)
}

/// The worker side: open the slice, report, hold until told to stop, report again.
pub async fn serve(cli: &Cli, n: usize, subscribe: bool) -> anyhow::Result<()> {
    let index = cli.worker_index.context("not a worker")?;
    let range = slice(n, index, cli.worker_count);
    let endpoints: Vec<Endpoint> = cli
        .urls
        .iter()
        .map(|u| Endpoint::parse(u))
        .collect::<anyhow::Result<_>>()?;
    let (cookies, fair_id) = match cli.target {
        Target::Fairhall => {
            let seed = Seed::load(cli.seed.as_deref().context("fairhall needs --seed")?)?;
            if seed.students.is_empty() {
                bail!("the seed file has no students");
            }
            let cookies: Vec<String> = seed.students.into_iter().map(|s| s.cookie).collect();
            (cookies, seed.fair_id)
        }
        _ => (Vec::new(), 0),
    };
    let cookies = Arc::new(cookies);
    let channel = Channel {
        target: cli.target,
        fair_id,
        name: cli.channel.clone(),
        app_key: cli.app_key.clone(),
    };
    let sources = Sources {
        first: cli.first_source,
        per_address: cli.per_source,
    };

    let (stop_tx, stop_rx) = watch::channel(false);
    let (done_tx, mut done_rx) = mpsc::unbounded_channel::<()>();
    let errors = Arc::new(Mutex::new(Counts::new()));
    let lost = Arc::new(Mutex::new(Counts::new()));
    let receipts: Arc<Mutex<BTreeMap<u64, Hist>>> = Arc::new(Mutex::new(BTreeMap::new()));
    let connected = Arc::new(AtomicU64::new(0));
    let gate = Arc::new(Semaphore::new(cli.connect_concurrency.max(1)));
    let started = Instant::now();
    let total = range.len();

    for global in range {
        let ep = endpoints[global % endpoints.len()].clone();
        let cookie = (!cookies.is_empty()).then(|| cookies[global % cookies.len()].clone());
        let channel = channel.clone();
        let (gate, errors, lost, receipts, connected, done_tx, stop) = (
            gate.clone(),
            errors.clone(),
            lost.clone(),
            receipts.clone(),
            connected.clone(),
            done_tx.clone(),
            stop_rx.clone(),
        );
        tokio::spawn(async move {
            let opened = {
                let _permit = gate.acquire().await;
                match sources.for_index(global) {
                    Ok(src) => {
                        protocol::open(&channel, &ep, Some(src), cookie.as_deref(), subscribe).await
                    }
                    Err(e) => Err(e),
                }
            };
            let ws = match opened {
                Ok(ws) => {
                    connected.fetch_add(1, Ordering::Relaxed);
                    let _ = done_tx.send(());
                    ws
                }
                Err(kind) => {
                    bump(&errors, kind);
                    let _ = done_tx.send(());
                    return;
                }
            };
            let ended = protocol::hold(ws, channel.target, stop, |text| {
                if let Some((sent, seq)) = stamp::parse(text) {
                    let latency = stamp::now_us().saturating_sub(sent);
                    if let Ok(mut r) = receipts.lock() {
                        r.entry(seq).or_default().record_us(latency);
                    }
                }
            })
            .await;
            if let Ended::Lost(kind) = ended {
                bump(&lost, kind);
            }
        });
    }
    drop(done_tx);
    for _ in 0..total {
        if done_rx.recv().await.is_none() {
            break;
        }
    }
    emit(&WorkerMsg::Ready {
        worker: index,
        connected: connected.load(Ordering::Relaxed),
        errors: take(&errors),
        connect_secs: started.elapsed().as_secs_f64(),
    })?;

    // Hold until the parent says stop (or goes away).
    let mut stdin = BufReader::new(tokio::io::stdin()).lines();
    loop {
        match stdin.next_line().await {
            Ok(Some(line)) if line.trim() != "stop" => continue,
            _ => break,
        }
    }
    let _ = stop_tx.send(true);
    // Let the holders see the stop (they return at once); losses so far are final.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let broadcasts = receipts
        .lock()
        .map(|r| {
            r.iter()
                .map(|(&seq, h)| Receipts {
                    seq,
                    received: h.count(),
                    hist: h.to_pairs(),
                })
                .collect()
        })
        .unwrap_or_default();
    emit(&WorkerMsg::Result {
        worker: index,
        lost: take(&lost),
        cpu_secs: crate::procfs::cpu_secs("self").unwrap_or(0.0),
        rss_kib: crate::procfs::rss_kib(std::process::id()).unwrap_or(0),
        broadcasts,
    })?;
    Ok(())
}

fn emit(msg: &WorkerMsg) -> anyhow::Result<()> {
    use std::io::Write;
    let line = serde_json::to_string(msg)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")?;
    out.flush()?;
    Ok(())
}

/// The parent side: K running workers.
pub struct Pool {
    children: Vec<(Child, Option<ChildStdin>)>,
    messages: mpsc::UnboundedReceiver<WorkerMsg>,
}

impl Pool {
    /// Starts `k` workers: this binary with the same arguments, plus the worker's index.
    pub fn spawn(k: usize) -> anyhow::Result<Self> {
        let exe = std::env::current_exe().context("finding this program")?;
        let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
        let (tx, messages) = mpsc::unbounded_channel();
        let mut children = Vec::with_capacity(k);
        for i in 0..k {
            let mut child = Command::new(&exe)
                .arg("--worker-index")
                .arg(i.to_string())
                .arg("--worker-count")
                .arg(k.to_string())
                .args(&args)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .kill_on_drop(true)
                .spawn()
                .context("starting a worker")?;
            let stdout = child.stdout.take().context("worker stdout")?;
            let stdin = child.stdin.take();
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut lines = BufReader::new(stdout).lines();
                while let Ok(Some(line)) = lines.next_line().await {
                    match serde_json::from_str::<WorkerMsg>(&line) {
                        Ok(msg) => {
                            let _ = tx.send(msg);
                        }
                        Err(_) => eprintln!("worker {i}: {line}"),
                    }
                }
            });
            children.push((child, stdin));
        }
        Ok(Self { children, messages })
    }

    pub fn len(&self) -> usize {
        self.children.len()
    }

    /// Waits for every worker's `ready` line (or until `limit`).
    pub async fn ready(&mut self, limit: Duration) -> anyhow::Result<Vec<WorkerMsg>> {
        self.collect(limit, |m| matches!(m, WorkerMsg::Ready { .. }))
            .await
    }

    /// Tells every worker to stop and collects their `result` lines.
    pub async fn stop(&mut self, limit: Duration) -> anyhow::Result<Vec<WorkerMsg>> {
        for (_, stdin) in &mut self.children {
            if let Some(mut s) = stdin.take() {
                let _ = s.write_all(b"stop\n").await;
                let _ = s.flush().await;
            }
        }
        let results = self
            .collect(limit, |m| matches!(m, WorkerMsg::Result { .. }))
            .await;
        for (child, _) in &mut self.children {
            if tokio::time::timeout(Duration::from_secs(5), child.wait())
                .await
                .is_err()
            {
                let _ = child.start_kill();
            }
        }
        results
    }

    async fn collect(
        &mut self,
        limit: Duration,
        want: impl Fn(&WorkerMsg) -> bool,
    ) -> anyhow::Result<Vec<WorkerMsg>> {
        let until = tokio::time::Instant::now() + limit;
        let mut got = Vec::new();
        while got.len() < self.children.len() {
            match tokio::time::timeout_at(until, self.messages.recv()).await {
                Ok(Some(m)) if want(&m) => got.push(m),
                Ok(Some(_)) => {}
                Ok(None) => bail!(
                    "workers exited early ({} of {} answered)",
                    got.len(),
                    self.len()
                ),
                Err(_) => bail!(
                    "workers did not answer in time ({} of {})",
                    got.len(),
                    self.len()
                ),
            }
        }
        Ok(got)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_cover_the_run_once() {
        let n = 50_001;
        let k = 3;
        let mut next = 0;
        for i in 0..k {
            let s = slice(n, i, k);
            assert_eq!(s.start, next);
            assert!(s.len() <= n / k + 1);
            next = s.end;
        }
        assert_eq!(next, n);
    }

    #[test]
    fn worker_lines_round_trip() {
        let m = WorkerMsg::Result {
            worker: 1,
            lost: Counts::from([("closed by server".to_string(), 2)]),
            cpu_secs: 1.5,
            rss_kib: 100,
            broadcasts: vec![Receipts {
                seq: 0,
                received: 3,
                hist: vec![(100, 2), (250, 1)],
            }],
        };
        let line = serde_json::to_string(&m).expect("json");
        let back: WorkerMsg = serde_json::from_str(&line).expect("parsed");
        assert!(matches!(back, WorkerMsg::Result { worker: 1, .. }));
    }
}
