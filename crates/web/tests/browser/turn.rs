//! A real coturn for the relay test, started on 127.0.0.1 with a shared secret in the TURN REST
//! scheme (`use-auth-secret`), each test with its own port range, folder and log.
//!
//! `allow-loopback-peers` is here only because both browsers are on loopback; the production
//! configuration in `deploy/coturn/turnserver.conf` refuses loopback and private peers.

use std::net::{TcpListener, UdpSocket};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Turn {
    pub url: String,
    pub secret: String,
    process: Child,
    pub dir: tempfile::TempDir,
}

impl Drop for Turn {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// A port free for both TCP and UDP on 127.0.0.1.
fn free_port() -> u16 {
    loop {
        let tcp = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = tcp.local_addr().unwrap().port();
        if UdpSocket::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

impl Turn {
    pub async fn start() -> Turn {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        // Long enough for the 16-character minimum whatever the process id is (a short pid once
        // made it too short on a fresh machine).
        let secret = format!("turn-shared-secret-{:08}", std::process::id());
        // A relay range of its own, away from the listening port, per process.
        let min_port = 40000 + (std::process::id() % 200) as u16 * 100;
        let config = format!(
            "listening-ip=127.0.0.1\n\
             relay-ip=127.0.0.1\n\
             listening-port={port}\n\
             min-port={min_port}\n\
             max-port={max_port}\n\
             realm=fairhall.test\n\
             use-auth-secret\n\
             fingerprint\n\
             no-tls\n\
             no-dtls\n\
             no-cli\n\
             no-multicast-peers\n\
             allow-loopback-peers\n\
             verbose\n\
             simple-log\n\
             log-file={dir}/turn.log\n\
             pidfile={dir}/turn.pid\n\
             userdb={dir}/turndb\n",
            max_port = min_port + 99,
            dir = dir.path().display(),
        );
        let file = dir.path().join("turnserver.conf");
        std::fs::write(&file, config).unwrap();
        let process = Command::new("turnserver")
            .arg("-c")
            .arg(&file)
            .arg(format!("--static-auth-secret={secret}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("coturn must be installed (apt-get install coturn)");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "coturn did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Turn {
            url: format!("turn:127.0.0.1:{port}?transport=udp"),
            secret,
            process,
            dir,
        }
    }

    /// How many relay allocations coturn granted (from its log), to prove the path was used.
    pub fn allocations(&self) -> usize {
        std::fs::read_to_string(self.dir.path().join("turn.log"))
            .map(|log| log.matches("ALLOCATE processed, success").count())
            .unwrap_or(0)
    }
}
