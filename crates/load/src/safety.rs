//! Guards that keep a run harmless: it only ever talks to this machine, and it always ends.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, ToSocketAddrs};
use std::time::Duration;

use anyhow::{Context, bail};

/// A server this tool may talk to: `http://HOST:PORT` with HOST on the loopback network.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// `127.0.0.1:8080`, as sent in `Host` (and so in the `Origin` fairhall expects).
    pub host_port: String,
    /// `http://127.0.0.1:8080`.
    pub base: String,
    /// The resolved address (always loopback).
    pub addr: SocketAddr,
}

impl Endpoint {
    /// Parses `http://HOST:PORT` (a trailing `/` is allowed) and refuses any host that is not
    /// `localhost` or an address in 127.0.0.0/8.
    pub fn parse(url: &str) -> anyhow::Result<Self> {
        let rest = url
            .strip_prefix("http://")
            .with_context(|| format!("{url}: only http:// URLs are supported"))?;
        let host_port = rest.trim_end_matches('/');
        if host_port.contains('/') || host_port.contains('@') {
            bail!("{url}: give only the scheme, host and port");
        }
        let (host, port) = host_port
            .rsplit_once(':')
            .with_context(|| format!("{url}: the port is missing"))?;
        let port: u16 = port
            .parse()
            .with_context(|| format!("{url}: bad port {port}"))?;
        let addr = match host {
            "localhost" => SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port),
            _ => {
                let ip: Ipv4Addr = host
                    .parse()
                    .with_context(|| format!("{url}: the host must be localhost or 127.x.y.z"))?;
                SocketAddr::new(IpAddr::V4(ip), port)
            }
        };
        check_loopback(addr)?;
        // Resolve once more the way a client library would, to be sure nothing maps elsewhere.
        for resolved in (host, port)
            .to_socket_addrs()
            .context("resolving the host")?
        {
            if resolved.is_ipv4() {
                check_loopback(resolved)?;
            }
        }
        Ok(Self {
            host_port: host_port.to_string(),
            base: format!("http://{host_port}"),
            addr,
        })
    }
}

/// Refuses anything outside 127.0.0.0/8.
pub fn check_loopback(addr: SocketAddr) -> anyhow::Result<()> {
    match addr.ip() {
        IpAddr::V4(ip) if ip.octets()[0] == 127 => Ok(()),
        other => bail!("{other} is not a loopback address; this tool only targets 127.0.0.0/8"),
    }
}

/// Ends the whole process after `limit`, whatever it is doing, so no run can outlive its
/// budget (a stuck server or a lost worker included). Exit code 3 tells the caller it fired.
pub fn hard_deadline(limit: Duration, who: &'static str) {
    std::thread::spawn(move || {
        std::thread::sleep(limit);
        eprintln!(
            "fairhall-load {who}: hard deadline of {} s reached, exiting",
            limit.as_secs()
        );
        std::process::exit(3);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_are_accepted() {
        for url in [
            "http://127.0.0.1:8080",
            "http://127.0.0.9:1/",
            "http://localhost:6001",
        ] {
            let ep = Endpoint::parse(url).expect("accepted");
            assert_eq!(ep.addr.ip().to_string().split('.').next(), Some("127"));
        }
    }

    #[test]
    fn other_hosts_are_refused() {
        for url in [
            "http://10.0.0.1:8080",
            "http://example.com:80",
            "https://127.0.0.1:443",
            "http://0.0.0.0:8080",
            "http://127.0.0.1",
            "http://127.0.0.1:80/path",
        ] {
            assert!(Endpoint::parse(url).is_err(), "{url} must be refused");
        }
    }
}
