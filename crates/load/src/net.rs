//! Opening WebSockets from chosen loopback source addresses.
//!
//! One source address has about 28 000 ephemeral ports (32768–60999), and the kernel hands a
//! port per bound socket, so connection number `i` of a run binds to
//! `127.0.0.{first + i / per_address}` before connecting. That is what lets a run go past 64k
//! connections to one server port.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

use crate::safety::{Endpoint, check_loopback};

pub type Ws = WebSocketStream<TcpStream>;

/// How long the TCP connect plus the WebSocket handshake may take.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(20);

/// Where connections come from: `127.0.0.{first}`, then the next address every `per_address`
/// connections.
#[derive(Debug, Clone, Copy)]
pub struct Sources {
    pub first: u8,
    pub per_address: usize,
}

impl Sources {
    /// The source address of connection number `index` of the whole run.
    pub fn for_index(&self, index: usize) -> Result<Ipv4Addr, String> {
        let step = index / self.per_address.max(1);
        let last = usize::from(self.first) + step;
        let last = u8::try_from(last)
            .ok()
            .filter(|&b| b < 255)
            .ok_or_else(|| "out of 127.0.0.x source addresses".to_string())?;
        Ok(Ipv4Addr::new(127, 0, 0, last))
    }
}

/// Small buffers: a subscriber receives small frames, and 50 000 of the default 128 KiB read
/// buffers would be gigabytes of client memory.
fn ws_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(4096)
        .write_buffer_size(0)
        .max_message_size(Some(1 << 20))
        .max_frame_size(Some(1 << 20))
}

/// A client socket that leaves no TIME_WAIT behind: closing sends a reset (linger 0), and its
/// source port may be one still in TIME_WAIT from an earlier run (SO_REUSEADDR). Without this,
/// back-to-back runs of tens of thousands of connections run out of ephemeral ports, which
/// all bound sockets of the machine share.
fn prepare(socket: &TcpSocket) -> std::io::Result<()> {
    socket.set_reuseaddr(true)?;
    #[expect(
        deprecated,
        reason = "SO_LINGER blocks on close only with a non-zero timeout; zero resets at once"
    )]
    socket.set_linger(Some(Duration::ZERO))?;
    Ok(())
}

/// Connects to `ep` from `source` (if any) and performs the WebSocket handshake on `path`
/// (`/ws`, `/app/key?…`), with extra request headers. Failures come back as a short kind for
/// error counts, e.g. `connect: AddrNotAvailable` or `http 401`.
pub async fn connect_ws(
    ep: &Endpoint,
    path: &str,
    source: Option<Ipv4Addr>,
    headers: &[(&'static str, String)],
) -> Result<Ws, String> {
    check_loopback(ep.addr).map_err(|e| e.to_string())?;
    let attempt = async {
        let socket = TcpSocket::new_v4().map_err(|e| format!("socket: {:?}", e.kind()))?;
        prepare(&socket).map_err(|e| format!("socket options: {:?}", e.kind()))?;
        if let Some(ip) = source {
            socket
                .bind(SocketAddr::new(IpAddr::V4(ip), 0))
                .map_err(|e| format!("bind: {:?}", e.kind()))?;
        }
        let stream = socket
            .connect(ep.addr)
            .await
            .map_err(|e| format!("connect: {:?}", e.kind()))?;
        let _ = stream.set_nodelay(true);
        let mut req = format!("ws://{}{}", ep.host_port, path)
            .into_client_request()
            .map_err(|e| format!("request: {e}"))?;
        for (name, value) in headers {
            let value = HeaderValue::from_str(value).map_err(|_| format!("bad header {name}"))?;
            req.headers_mut().insert(*name, value);
        }
        let (ws, _) = tokio_tungstenite::client_async_with_config(req, stream, Some(ws_config()))
            .await
            .map_err(|e| match e {
                tokio_tungstenite::tungstenite::Error::Http(resp) => {
                    format!("http {}", resp.status().as_u16())
                }
                tokio_tungstenite::tungstenite::Error::Io(io) => {
                    format!("handshake io: {:?}", io.kind())
                }
                other => format!("handshake: {other}"),
            })?;
        Ok(ws)
    };
    tokio::time::timeout(HANDSHAKE_TIMEOUT, attempt)
        .await
        .map_err(|_| "handshake timeout".to_string())?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_advance_every_per_address_connections() {
        let s = Sources {
            first: 2,
            per_address: 10_000,
        };
        assert_eq!(s.for_index(0), Ok(Ipv4Addr::new(127, 0, 0, 2)));
        assert_eq!(s.for_index(9_999), Ok(Ipv4Addr::new(127, 0, 0, 2)));
        assert_eq!(s.for_index(10_000), Ok(Ipv4Addr::new(127, 0, 0, 3)));
        assert!(s.for_index(10_000 * 253).is_err());
    }
}
