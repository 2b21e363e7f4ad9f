//! Reading a process's memory and CPU time from `/proc` (Linux only).

use anyhow::Context;

/// Kernel clock ticks per second as `/proc/*/stat` reports them (`USER_HZ`, 100 on Linux).
const TICKS_PER_SEC: f64 = 100.0;

/// Resident set size (`VmRSS`) of a process, in KiB.
pub fn rss_kib(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("reading /proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .with_context(|| format!("no VmRSS in /proc/{pid}/status"))
}

/// The summed RSS of several processes, in KiB.
pub fn total_rss_kib(pids: &[u32]) -> anyhow::Result<u64> {
    pids.iter().map(|&p| rss_kib(p)).sum()
}

/// User + system CPU seconds used so far by a process (`self` or a pid), its own threads only.
pub fn cpu_secs(pid: &str) -> anyhow::Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .with_context(|| format!("reading /proc/{pid}/stat"))?;
    // The command name (field 2) may hold spaces; the fields after its `)` are fixed.
    let after = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .with_context(|| format!("odd /proc/{pid}/stat"))?;
    let fields: Vec<&str> = after.split_whitespace().collect();
    // `after` starts at field 3 (state); utime and stime are fields 14 and 15.
    let tick = |i: usize| -> anyhow::Result<f64> {
        let v: u64 = fields
            .get(i)
            .and_then(|s| s.parse().ok())
            .with_context(|| format!("field {} of /proc/{pid}/stat", i + 3))?;
        Ok(v as f64 / TICKS_PER_SEC)
    };
    Ok(tick(11)? + tick(12)?)
}

/// The summed CPU seconds of several processes; 0 for none.
pub fn total_cpu_secs(pids: &[u32]) -> anyhow::Result<f64> {
    pids.iter().map(|p| cpu_secs(&p.to_string())).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_memory_and_cpu() {
        let me = std::process::id();
        assert!(rss_kib(me).expect("rss") > 0);
        let mut x = 0u64;
        for i in 0..2_000_000u64 {
            x = x.wrapping_mul(31).wrapping_add(i);
        }
        assert!(x != 1);
        assert!(cpu_secs("self").expect("cpu") >= 0.0);
    }
}
